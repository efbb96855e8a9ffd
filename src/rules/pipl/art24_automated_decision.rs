//! PIPL-ART24-AUTOMATED-DECISION: automated decision-making is transparent and fair,
//! targeted pushes offer a non-personalised option, decisions with a significant impact can
//! be explained and refused.

use crate::manifest::types::{AdmSafeguard, RegimeName, RightKind};
use crate::report::Severity;
use crate::rules::facts::{purpose_subjects, purposes_in_scope};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART24-AUTOMATED-DECISION",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 24, 55(1)(2), 73(2)",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "An automated decision lacks a non-personalised option, or an explanation and refusal path",
    explanation: "PIPL Art 73(2) defines automated decision-making (自动化决策) as using a computer program to analyse and assess a person's behaviour, habits, interests, hobbies, or economic, health or credit status, and to make decisions on that basis. Art 24 (个人信息保护法第二十四条) sets three duties. First, the decisions must be transparent and their results fair and just; a handler may not apply unreasonable differential treatment to individuals in trading conditions such as price (24(1)). Second, information pushes and commercial marketing targeted by automated decision-making must come with an option that is not based on the person's characteristics, or a convenient way to refuse (24(2)). Third, where a decision significantly affects a person's rights and interests, the person may ask for an explanation and may refuse a decision made solely by automated means (24(3)). Before automated decision-making starts, the handler must also carry out a personal information protection impact assessment (PIPIA, Art 55(1)(2)).\n\nFor each purpose within the PIPL's reach that declares `automated_decision`, lawful reports: `targeted_push: true` without `non_personalised_option: true`; `significant_effect: true` when `safeguards` lacks `explanation` or `refuse`; `significant_effect: true` when `rights.automated_decision` names no handler to receive those requests. The PIPIA that automated decision-making needs (Art 55(1)(2)) is reported by PIPL-ART55-PIPIA-REQUIRED.\n\nA purpose with `differential_pricing: true` is reported as a warning, not an error: Art 24(1) does not forbid different prices or terms as such, only unreasonable differential treatment, and whether a difference is reasonable is a judgement lawful cannot make. Review the pricing logic for fairness and record the outcome, then suppress the finding with the reason.\n\nNot yet checked: whether the explanation and refusal really work in the product, and whether the decision logic is disclosed in the notice.",
    fix: "Offer a non-personalised option for targeted pushes, let people ask for an explanation and refuse significant automated decisions, and run a PIPIA.\n\n```yaml\npurposes:\n  credit_scoring:\n    legal_basis: { pipl: contract_or_hr }\n    automated_decision:\n      significant_effect: true\n      safeguards: [explanation, refuse, human_review]\nrights:\n  automated_decision: { sla: 15 business days, channels: [in_app], refusal_reasons: true }\nassessments:\n  credit_pipia:\n    kind: pipia\n    purposes: [credit_scoring]\n    done_on: 2026-03-01\n    covers: [lawfulness_necessity, impact_risk, measures]\n    kept_for: P3Y\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let subjects = purpose_subjects(m);
    let in_scope = purposes_in_scope(m, subjects, RegimeName::Pipl);
    let handler = m
        .rights
        .as_ref()
        .and_then(|r| r.handler(RightKind::AutomatedDecision));
    for (pi, p) in m.purposes.iter().enumerate() {
        let Some(ad) = &p.decl.automated_decision else {
            continue;
        };
        if !in_scope[pi] {
            continue;
        }
        let a = &ad.value;
        let id = &p.id.value;
        let target = format!("purposes.{id}");
        if a.targeted_push.value && !a.non_personalised_option.value {
            let d = out
                .at(
                    a.targeted_push.span,
                    "targeted by personal characteristics",
                    format!(
                        "purpose `{id}` pushes information or marketing chosen by automated decision-making but offers no option that is not based on personal characteristics (PIPL Art 24(2)); add `non_personalised_option: true` once the product offers one with an easy way to refuse"
                    ),
                )
                .with_secondary(p.id.span, "this purpose")
                .with_target(target.clone());
            out.push(d);
        }
        if a.significant_effect.value {
            let missing: Vec<&str> = [
                (AdmSafeguard::Explanation, "explanation"),
                (AdmSafeguard::Refuse, "refuse"),
            ]
            .into_iter()
            .filter(|(s, _)| !a.safeguards.iter().any(|g| g.value == *s))
            .map(|(_, k)| k)
            .collect();
            if !missing.is_empty() {
                let keys = missing
                    .iter()
                    .map(|k| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(" and ");
                let d = out
                    .at(
                        a.significant_effect.span,
                        "significant effect on the person",
                        format!(
                            "purpose `{id}` makes automated decisions with a significant effect on people, but its `safeguards` lack {keys}: people may ask for an explanation and refuse a decision made solely by automated means (PIPL Art 24(3))"
                        ),
                    )
                    .with_secondary(
                        a.safeguards.first().map(|g| g.span).unwrap_or_default(),
                        "the safeguards offered",
                    )
                    .with_target(target.clone());
                out.push(d);
            }
            if handler.is_none() {
                let d = out
                    .at(
                        a.significant_effect.span,
                        "no one receives the requests",
                        format!(
                            "purpose `{id}` makes automated decisions with a significant effect on people, but `rights.automated_decision` names no handler to receive requests for an explanation or a refusal (PIPL Art 24(3))"
                        ),
                    )
                    .with_target(target.clone());
                out.push(d);
            }
        }
        if a.differential_pricing.value {
            let mut d = out
                .at(
                    a.differential_pricing.span,
                    "prices or terms differ by person",
                    format!(
                        "purpose `{id}` sets different prices or other trading terms per person by automated decision-making: the results must be fair and the treatment not unreasonably different (PIPL Art 24(1)); review the logic and record the outcome"
                    ),
                )
                .with_target(target.clone());
            d.severity = Severity::Warning;
            out.push(d);
        }
    }
}
