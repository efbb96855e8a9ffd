//! GDPR-ART22-AUTOMATED-DECISION: a solely automated decision with legal or similarly
//! significant effects rests on an Art 22(2) exception, with the safeguards of 22(3) and
//! 22(4), and its logic is explained (13(2)(f), 14(2)(g)).

use crate::manifest::types::{
    AdmSafeguard, Art9Condition, Art22Exception, ConsentKind, RegimeName,
};
use crate::report::Severity;
use crate::rules::facts::{consents_by_purpose, has_consent, list_ids, purpose_categories};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART22-AUTOMATED-DECISION",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 22(1)–(4), 13(2)(f), 14(2)(g), 15(1)(h); CJEU C-634/21 SCHUFA; C-203/22 Dun & Bradstreet Austria",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_22",
    default_severity: Severity::Error,
    summary: "A solely automated decision with significant effects lacks an Art 22(2) exception, its safeguards, or an explanation of its logic",
    explanation: "Article 22(1) of the GDPR gives people the right not to be subject to a decision based solely on automated processing, profiling included, that produces legal effects on them or similarly significantly affects them. Such a decision is allowed only when it is necessary for a contract with the person, authorised by Union or member-state law with suitable safeguards, or based on the person's explicit consent (Art 22(2)). Under the contract and consent exceptions the controller must at least let the person obtain human intervention, express their point of view and contest the decision (Art 22(3)). Special-category data may feed such decisions only with explicit consent or for reasons of substantial public interest under law (Art 9(2)(a) or (g)), with suitable safeguards (Art 22(4)). People must be told that the decision is made, with meaningful information about the logic involved and its significance and envisaged consequences (Art 13(2)(f), 14(2)(g), 15(1)(h)). In *SCHUFA* (C-634/21, 2023) the Court of Justice held that a credit score a third party relies on decisively is itself such a decision; in *Dun & Bradstreet Austria* (C-203/22, 2025) it held that the explanation must let the person understand how their data led to the result.\n\nFor a purpose whose `automated_decision` has `solely_automated: true` and `significant_effect: true`, lawful reports: no `exception`; `exception: contract` or `explicit_consent` without all of the safeguards `human_review`, `express_view` and `contest`; `exception: explicit_consent` without a consent of kind `explicit` covering the purpose; special-category data used by the purpose (declared, or carried by its flows) without `gdpr_art9_condition: explicit_consent` or `substantial_public_interest`; and no `logic` text.\n\nNot yet checked: that a `law` exception cites the authorising law and its safeguards, that a `rights.automated_decision` handler exists, and whether human involvement declared as meaningful really is.",
    fix: "Name the Art 22(2) exception, offer human review, a chance to be heard and to contest, and explain the logic.\n\n```yaml\npurposes:\n  credit_check:\n    legal_basis: { gdpr: contract }\n    automated_decision:\n      solely_automated: true\n      significant_effect: true\n      exception: contract\n      safeguards: [human_review, express_view, contest]\n      logic: { en: We score payment history and income; a low score means we offer invoice payment only. }\n```",
    check,
};

/// The safeguards Art 22(3) requires under the contract and consent exceptions.
const REQUIRED: [(AdmSafeguard, &str); 3] = [
    (AdmSafeguard::HumanReview, "human_review"),
    (AdmSafeguard::ExpressView, "express_view"),
    (AdmSafeguard::Contest, "contest"),
];

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    let used = purpose_categories(m, cx.graph);
    let consents = consents_by_purpose(m);
    for (pi, p) in m.purposes.iter().enumerate() {
        let Some(adm) = &p.decl.automated_decision else {
            continue;
        };
        if !(adm.solely_automated.value && adm.significant_effect.value) {
            continue;
        }
        let id = &p.id.value;
        let target = format!("purposes.{id}");
        match &adm.exception {
            None => {
                let d = out
                    .at(
                        adm.span,
                        "no Art 22(2) exception",
                        format!(
                            "purpose `{id}` makes solely automated decisions with significant effects but names no Art 22(2) exception (GDPR Art 22(1)–(2))"
                        ),
                    )
                    .with_help("add `exception: contract`, `law` or `explicit_consent` under `automated_decision`, or put a person in the loop and set `solely_automated: false`")
                    .with_target(target.clone());
                out.push(d);
            }
            Some(ex) => {
                if matches!(
                    ex.value,
                    Art22Exception::Contract | Art22Exception::ExplicitConsent
                ) {
                    let missing: Vec<&str> = REQUIRED
                        .iter()
                        .filter(|(s, _)| !adm.safeguards.iter().any(|g| g.value == *s))
                        .map(|(_, k)| *k)
                        .collect();
                    if !missing.is_empty() {
                        let letter = if ex.value == Art22Exception::Contract {
                            'a'
                        } else {
                            'c'
                        };
                        let span = adm.safeguards.first().map(|s| s.span).unwrap_or(ex.span);
                        let d = out
                            .at(
                                span,
                                format!("missing {}", list_ids(missing.iter().copied(), 3)),
                                format!(
                                    "purpose `{id}` relies on Art 22(2)({letter}) but does not offer {} (GDPR Art 22(3))",
                                    list_ids(missing.iter().copied(), 3)
                                ),
                            )
                            .with_secondary(ex.span, "exception relied on")
                            .with_help(format!(
                                "add them to `automated_decision.safeguards`: [{}]",
                                REQUIRED.iter().map(|(_, k)| *k).collect::<Vec<_>>().join(", ")
                            ))
                            .with_target(target.clone());
                        out.push(d);
                    }
                }
                if ex.value == Art22Exception::ExplicitConsent
                    && !has_consent(m, &consents, pi, &[ConsentKind::Explicit], None)
                {
                    let mut d = out
                        .at(
                            ex.span,
                            "no explicit consent covers the purpose",
                            format!(
                                "purpose `{id}` relies on explicit consent for automated decisions, but no consent of kind `explicit` covers it (GDPR Art 22(2)(c))"
                            ),
                        )
                        .with_help(format!(
                            "add a consent with `kind: explicit` and `purposes: [{id}]`, or rely on another exception"
                        ))
                        .with_target(target.clone());
                    if let Some(c) = p.consent {
                        d = d.with_secondary(
                            m.consents[c].decl.kind.span,
                            "this consent is not explicit",
                        );
                    }
                    out.push(d);
                }
            }
        }
        let special: Vec<_> = used[pi]
            .iter()
            .filter(|&c| t.cat(c).is_gdpr_special())
            .collect();
        let cond = p.decl.gdpr_art9_condition.as_ref();
        if !special.is_empty()
            && !cond.is_some_and(|c| {
                matches!(
                    c.value,
                    Art9Condition::ExplicitConsent | Art9Condition::SubstantialPublicInterest
                )
            })
        {
            let ids = list_ids(special.iter().map(|&c| t.cat(c).id.as_str()), 4);
            let mut d = out
                .at(
                    cond.map(|c| c.span).unwrap_or(adm.span),
                    "needs Art 9(2)(a) or (g)",
                    format!(
                        "purpose `{id}` feeds special-category data ({ids}) into solely automated decisions, which is allowed only with explicit consent or for substantial public interest (GDPR Art 22(4), 9(2)(a), (g))"
                    ),
                )
                .with_help("set `gdpr_art9_condition: explicit_consent` (with an explicit consent) or `substantial_public_interest` (with a `law_ref`), or stop using the data for the decision")
                .with_target(target.clone());
            if let Some(c) = p.categories.iter().find(|c| special.contains(&c.cat)) {
                d = d.with_secondary(c.span, "special category declared here");
            }
            out.push(d);
        }
        if adm
            .logic
            .as_ref()
            .is_none_or(|l| l.en.is_none() && l.zh_cn.is_none())
        {
            let d = out
                .at(
                    adm.span,
                    "no `logic`",
                    format!(
                        "purpose `{id}` does not describe the logic of its automated decisions, their significance and envisaged consequences, which the notice must give (GDPR Art 13(2)(f), 14(2)(g))"
                    ),
                )
                .with_help("describe it under `automated_decision.logic: { en: …, zh-CN: … }`")
                .with_target(target.clone());
            out.push(d);
        }
    }
}
