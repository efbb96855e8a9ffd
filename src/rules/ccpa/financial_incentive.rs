//! CCPA-1798.125-FINANCIAL-INCENTIVE: a financial incentive tied to personal information has
//! a notice of financial incentive, an opt-in the consumer can withdraw, and a good-faith
//! estimate of the data's value.

use crate::manifest::types::{ConsentKind, NoticeKind, RegimeName};
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-1798.125-FINANCIAL-INCENTIVE",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.125(b); 11 CCR 7016, 7080–7081",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.125",
    default_severity: Severity::Warning,
    summary: "A financial incentive tied to personal information lacks its notice, a withdrawable opt-in, or an estimate of the data's value",
    explanation: "A business may offer consumers a financial incentive, such as a loyalty discount or a payment, or a different price or level of service, in exchange for the collection, sale, sharing or retention of their personal information, but only if the difference is reasonably related to the value of that information to the business (Cal. Civ. Code 1798.125(b)(1)). The consumer must first be given a notice of financial incentive (1798.125(b)(2); 11 CCR 7016) and must opt in with prior consent that states the material terms and can be revoked at any time (1798.125(b)(3)). The notice summarises the incentive and its terms, the categories of personal information involved, how to opt in and how to withdraw, and explains why the incentive is reasonably related to the value of the data, with a good-faith estimate of that value and the method used to calculate it (7016(b); 7080–7081). Incentive practices that are unjust, unreasonable, coercive or usurious are forbidden (1798.125(b)(4)).\n\nlawful reports a purpose with `financial_incentive` whose incentive has no `notice_url`, no `consent`, a consent that is not declared or not of kind `opt_in`, an opt-in without a `withdrawal` method, or no `value_estimate`; it also says so when no notice of kind `ccpa_financial_incentive` is declared under `notices:`.\n\nNot yet checked: whether the incentive is reasonably related to the estimated value, whether the practice is coercive, and that the notice lists the categories of personal information involved. These rest on judgement; review them by hand.",
    fix: "Publish the notice of financial incentive, link the opt-in consent with its withdrawal method, and state the good-faith estimate of the data's value with the method used.\n\n```yaml\npurposes:\n  loyalty:\n    financial_incentive:\n      notice_url: https://example.com/rewards-notice\n      consent: loyalty_opt_in\n      value_estimate: { en: \"About $12 a year per member: the average margin on repeat orders attributable to offers (7081(a)(2))\" }\nconsents:\n  loyalty_opt_in:\n    kind: opt_in\n    title: { en: Join the rewards programme }\n    purposes: [loyalty]\n    withdrawal: { en: \"Leave the programme in Account > Rewards at any time\" }\nnotices:\n  rewards_notice:\n    kind: ccpa_financial_incentive\n    url: https://example.com/rewards-notice\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let has_notice = m
        .notices
        .iter()
        .any(|n| n.decl.kind.value == NoticeKind::CcpaFinancialIncentive);
    for p in &m.purposes {
        let Some(fi) = &p.decl.financial_incentive else {
            continue;
        };
        let mut missing: Vec<String> = Vec::new();
        let mut secondary = None;
        if fi.notice_url.is_none() {
            missing.push(
                "no notice of financial incentive (add `notice_url`; 11 CCR 7016)".to_string(),
            );
        }
        match &fi.consent {
            None => missing.push(
                "no opt-in consent the consumer can withdraw (add `consent` naming a consent of kind `opt_in`; 1798.125(b)(3))"
                    .to_string(),
            ),
            Some(cid) => match m.consents.iter().find(|c| c.id.value == cid.value) {
                None => missing.push(format!(
                    "consent `{}` is not declared under `consents:` (declare it with `kind: opt_in` and a `withdrawal`)",
                    cid.value
                )),
                Some(c) => {
                    if c.decl.kind.value != ConsentKind::OptIn {
                        missing.push(format!(
                            "consent `{}` is of kind `{}`, not an opt-in (set `kind: opt_in`; 1798.125(b)(3))",
                            c.id.value,
                            serde_json::to_value(c.decl.kind.value)
                                .ok()
                                .and_then(|v| v.as_str().map(str::to_string))
                                .unwrap_or_default()
                        ));
                        secondary = Some((c.decl.kind.span, "not `opt_in`"));
                    }
                    if c.decl.withdrawal.is_none() {
                        missing.push(format!(
                            "consent `{}` has no withdrawal method (add `withdrawal`; 1798.125(b)(3))",
                            c.id.value
                        ));
                        secondary.get_or_insert((c.id.span, "no `withdrawal`"));
                    }
                }
            },
        }
        if fi.value_estimate.is_none() {
            missing.push(
                "no good-faith estimate of the data's value and its method (add `value_estimate`; 11 CCR 7016(b)(5), 7081)"
                    .to_string(),
            );
        }
        if missing.is_empty() && has_notice {
            continue;
        }
        let mut message = format!(
            "purpose `{}` offers a financial incentive for personal information",
            p.id.value
        );
        if !missing.is_empty() {
            message.push_str(&format!(" with {}", missing.join("; ")));
        }
        if !has_notice {
            message.push_str(&format!(
                "{}no notice of kind `ccpa_financial_incentive` is declared under `notices:`",
                if missing.is_empty() { "; " } else { "; and " }
            ));
        }
        let label = if missing.is_empty() {
            "no `ccpa_financial_incentive` notice".to_string()
        } else {
            format!(
                "{} gap{}",
                missing.len() + usize::from(!has_notice),
                if missing.len() + usize::from(!has_notice) == 1 {
                    ""
                } else {
                    "s"
                }
            )
        };
        let mut d = out
            .at(p.id.span, label, message)
            .with_target(format!("purposes.{}", p.id.value));
        if let Some((span, text)) = secondary {
            d = d.with_secondary(span, text);
        }
        out.push(d);
    }
}
