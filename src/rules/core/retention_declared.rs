//! CORE-RETENTION-DECLARED: storage limitation. Every dataset holding personal data says
//! how long rows are kept, from which event, and what then happens; `indefinite` needs a
//! statutory basis on a purpose that uses the dataset.

use crate::manifest::scalars::Period;
use crate::report::Severity;
use crate::rules::facts::{dataset_purposes, list_ids};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CORE-RETENTION-DECLARED",
    set: RuleSet::Core,
    article: "GDPR Art 5(1)(e), 13(2)(a), 14(2)(a), 30(1)(f); PIPL Art 17(1), 19; CCPA 1798.100(a)(3); 11 CCR 7012(e)(4)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_5",
    default_severity: Severity::Error,
    summary: "A dataset holding personal data has no retention, or keeps it indefinitely without a legal reason",
    explanation: "Personal data may be kept no longer than its purposes need (GDPR Art 5(1)(e); PIPL Art 19, the shortest period necessary). Each regime also makes the retention period something people are told: GDPR Art 13(2)(a) and 14(2)(a) put it in the notice and Art 30(1)(f) in the record of processing; PIPL Art 17(1) lists the retention period among the items of the notice; CCPA 1798.100(a)(3) requires the notice at collection to state how long each category is kept, or the criteria used to decide it.\n\nlawful asks every dataset that holds personal data for a `retention` with a period, the field whose time starts it (`after`) and the action at the end (`then: delete` or `anonymise`); the same facts generate the deletion job. A period of `indefinite` is accepted only when a purpose using the dataset cites the statute that requires keeping the data (`retention_legal_ref`), for instance archiving in the public interest under GDPR Art 89.\n\nNot yet checked: retention per CCPA category inside one dataset (the language declares retention per dataset only).",
    fix: "Declare `retention` with `period`, `after` and `then` on the dataset.\n\n```yaml\ndatasets:\n  customers:\n    retention: { period: P3Y, after: last_order_at, then: delete }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    let uses = dataset_purposes(m);
    for (di, d) in m.datasets.iter().enumerate() {
        if !d.is_personal(t) {
            continue;
        }
        let target = format!("datasets.{}", d.id.value);
        match &d.decl.retention {
            None => {
                let mut diag = out
                    .at(
                        d.id.span,
                        "no `retention`",
                        format!(
                            "dataset `{}` holds personal data but declares no retention",
                            d.id.value
                        ),
                    )
                    .with_target(target);
                if let Some(f) = d.fields.iter().find(|f| f.is_personal(t)) {
                    diag = diag.with_secondary(f.name.span, "personal data here");
                }
                out.push(diag);
            }
            Some(r) if r.period.value == Period::Indefinite => {
                let purposes = &uses[di];
                if purposes
                    .iter()
                    .any(|&p| m.purposes[p].decl.retention_legal_ref.is_some())
                {
                    continue;
                }
                let message = if purposes.is_empty() {
                    format!(
                        "dataset `{}` keeps personal data indefinitely, and no purpose uses it to justify that",
                        d.id.value
                    )
                } else {
                    format!(
                        "dataset `{}` keeps personal data indefinitely, but none of the purposes using it ({}) cites a law that requires it",
                        d.id.value,
                        list_ids(purposes.iter().map(|&p| m.purposes[p].id.value.as_str()), 4)
                    )
                };
                let mut diag = out
                    .at(r.period.span, "kept indefinitely", message)
                    .with_help("set a period, or cite the statute on the purpose with `retention_legal_ref:`")
                    .with_target(target);
                for &p in purposes {
                    diag = diag.with_secondary(
                        m.purposes[p].id.span,
                        "uses the dataset, with no `retention_legal_ref`",
                    );
                }
                out.push(diag);
            }
            Some(_) => {}
        }
    }
}
