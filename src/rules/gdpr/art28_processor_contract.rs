//! GDPR-ART28-PROCESSOR-CONTRACT: a processor or sub-processor has a contract with every
//! term Art 28(3)(a)–(h) requires.

use crate::manifest::types::{Art28Term, GdprRole, RegimeName};
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART28-PROCESSOR-CONTRACT",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 28(1)–(4), (10)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_28",
    default_severity: Severity::Error,
    summary: "A processor has no contract, or its contract lacks an Art 28(3) term",
    explanation: "A controller may use only processors that give sufficient guarantees (Art 28(1)), and the processing must be governed by a contract or other legal act that binds the processor (Art 28(3)). That contract must set out the subject matter, duration, nature and purpose of the processing and the categories of data and subjects, and contain eight terms: (a) processing only on documented instructions, including on transfers; (b) confidentiality of the people authorised to process; (c) the security measures of Art 32; (d) the conditions for engaging sub-processors; (e) help with data-subject requests; (f) help with Arts 32 to 36; (g) deletion or return at the end; (h) audits and the information needed to show compliance. A sub-processor must be bound by the same terms (Art 28(4)).\n\nlawful reports a recipient whose GDPR role is `processor` or `sub_processor` and that has no `contract`, or whose contract does not list all eight terms under `art28_terms`.\n\nNot yet checked: whether a sub-processor was authorised in writing (Art 28(2)) and whether a processor uses the data for its own purposes (Art 28(10)), which would make it a controller; the language has no facts for them yet.",
    fix: "Attach the data processing agreement to the recipient and list the Art 28(3) terms it contains.\n\n```yaml\nrecipients:\n  mail_service:\n    name: Example Mail GmbH\n    role: { gdpr: processor }\n    contract:\n      ref: DPA-2025-014\n      signed_on: 2025-03-01\n      art28_terms: [instructions, confidentiality, security, sub_processors, data_subject_rights, assistance, deletion_or_return, audits]\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    for r in &m.recipients {
        let Some(role) = &r.decl.role.gdpr else {
            continue;
        };
        if !matches!(role.value, GdprRole::Processor | GdprRole::SubProcessor) {
            continue;
        }
        let kind = if role.value == GdprRole::Processor {
            "processor"
        } else {
            "sub-processor"
        };
        let target = format!("recipients.{}", r.id.value);
        let Some(contract) = &r.decl.contract else {
            let d = out
                .at(
                    r.id.span,
                    "no contract",
                    format!("{kind} `{}` has no contract under Art 28(3)", r.id.value),
                )
                .with_secondary(role.span, format!("declared a {kind} here"))
                .with_target(target);
            out.push(d);
            continue;
        };
        let missing: Vec<Art28Term> = Art28Term::ALL
            .iter()
            .copied()
            .filter(|t| !contract.art28_terms.iter().any(|x| x.value == *t))
            .collect();
        if missing.is_empty() {
            continue;
        }
        let letters: Vec<String> = missing
            .iter()
            .map(|t| format!("({})", t.letter()))
            .collect();
        let keys: Vec<&str> = missing.iter().map(|t| t.key()).collect();
        let d = out
            .at(
                contract.reference.span,
                format!("lacks {}", letters.join("")),
                format!(
                    "the contract with {kind} `{}` does not contain Art 28(3) term{} {}",
                    r.id.value,
                    if missing.len() == 1 { "" } else { "s" },
                    letters.join(", ")
                ),
            )
            .with_help(format!(
                "add the missing terms to the contract and list them under `art28_terms`: {}",
                keys.join(", ")
            ))
            .with_secondary(role.span, format!("declared a {kind} here"))
            .with_target(target);
        out.push(d);
    }
}
