//! GDPR-ART6-4-COMPATIBLE-FURTHER-USE: a dataset that declares the purposes it was collected
//! for feeds another purpose only on consent or on a law that requires or permits it.

use std::collections::HashMap;

use crate::manifest::types::{GdprBasis, RegimeName};
use crate::manifest::yaml::Span;
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::facts::{flow_name, flow_purpose_span, flow_target, list_ids};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART6-4-COMPATIBLE-FURTHER-USE",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 6(4), 5(1)(b), 13(3), 14(4)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_6",
    default_severity: Severity::Warning,
    summary: "A dataset feeds a purpose it was not collected for, without consent or a law behind the new use",
    explanation: "Personal data collected for specified purposes may not be further processed in a manner incompatible with them (Art 5(1)(b)). When data is used for a purpose other than the one it was collected for, and the new use rests neither on the subject's consent nor on Union or member-state law that safeguards an objective of Art 23(1), the controller must assess whether the new purpose is compatible with the original one, taking into account the link between them, the context of collection, the nature of the data, the possible consequences and the safeguards in place (Art 6(4)). Before the further processing starts, the subjects must be told about the new purpose (Art 13(3), 14(4)).\n\nlawful reads a dataset's `collected_for`, the purposes disclosed when its data was collected, and reports each other purpose that a flow leaving the dataset names or a role reading the dataset serves, unless that purpose's GDPR basis is `consent`, or `legal_obligation` or `public_task` with a `law_ref`. Datasets without `collected_for` are not checked.\n\nThis is a warning: the new use may well be compatible. Not yet checked, because the language cannot record them yet: a reference to the compatibility assessment, and whether the notice was updated before the new use began.",
    fix: "Add the purpose to `collected_for` if it was disclosed at collection; otherwise assess compatibility and update the notice before the new use, or obtain consent.\n\n```yaml\ndatasets:\n  customers:\n    collected_for: [rental_service, customer_support, delivery]\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let by_id: HashMap<&str, usize> = m
        .purposes
        .iter()
        .enumerate()
        .map(|(i, p)| (p.id.value.as_str(), i))
        .collect();
    // The uses of each dataset: (purpose, the flow or role that uses it). Where a use is
    // written, its label and its suppression target are worked out only for a use that is
    // reported (few are).
    let mut uses: Vec<Vec<(usize, User)>> = vec![Vec::new(); m.datasets.len()];
    for (fi, f) in m.flows.iter().enumerate() {
        if let NodeRef::Dataset(d) = f.from {
            for &p in &f.purposes {
                uses[d].push((p, User::Flow(fi)));
            }
        }
    }
    for (ri, r) in m.roles.iter().enumerate() {
        for &d in &r.datasets {
            for &p in &r.purposes {
                uses[d].push((p, User::Role(ri)));
            }
        }
    }
    // (span of the use, label, suppression target)
    let describe = |p: usize, user: User| -> (Span, String, String) {
        match user {
            User::Flow(fi) => (
                flow_purpose_span(m, fi, p),
                format!("{} uses it for this", flow_name(m, fi)),
                flow_target(m, fi),
            ),
            User::Role(ri) => {
                let r = &m.roles[ri];
                let span = r
                    .decl
                    .purposes
                    .iter()
                    .find(|s| s.value == m.purposes[p].id.value)
                    .map(|s| s.span)
                    .unwrap_or(r.id.span);
                (
                    span,
                    format!("role `{}` reads it for this", r.id.value),
                    format!("roles.{}", r.id.value),
                )
            }
        }
    };
    for (di, d) in m.datasets.iter().enumerate() {
        let Some(first) = d.decl.collected_for.first() else {
            continue;
        };
        if !d.is_personal(&m.taxonomy) {
            continue;
        }
        let collected: Vec<usize> = d
            .decl
            .collected_for
            .iter()
            .filter_map(|s| by_id.get(s.value.as_str()).copied())
            .collect();
        let mut seen = Vec::new();
        for &(p, user) in &uses[di] {
            if collected.contains(&p) || seen.contains(&p) {
                continue;
            }
            seen.push(p);
            let purpose = &m.purposes[p];
            let with_law = purpose.decl.law_ref.is_some();
            match m.gdpr_basis(p) {
                Some(GdprBasis::Consent) => continue,
                Some(GdprBasis::LegalObligation | GdprBasis::PublicTask) if with_law => continue,
                // No basis at all is GDPR-ART6-LAWFUL-BASIS's finding.
                None => continue,
                _ => {}
            }
            let (span, label, target) = describe(p, user);
            let diag = out
                .at(
                    span,
                    label,
                    format!(
                        "dataset `{}` was collected for {}, but `{}` uses it too, on a basis that is neither consent nor a law",
                        d.id.value,
                        list_ids(d.decl.collected_for.iter().map(|s| s.value.as_str()), 4),
                        purpose.id.value
                    ),
                )
                .with_secondary(first.span, "the purposes disclosed at collection")
                .with_secondary(
                    purpose.decl.legal_basis.value.gdpr.as_ref().map(|b| b.span).unwrap_or_default(),
                    format!("`{}` rests on this basis", purpose.id.value),
                )
                .with_target(target);
            out.push(diag);
        }
    }
}

/// What uses a dataset for a purpose: a flow leaving it, or a role reading it.
#[derive(Clone, Copy)]
enum User {
    Flow(usize),
    Role(usize),
}
