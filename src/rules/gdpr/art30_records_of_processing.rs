//! GDPR-ART30-RECORDS-OF-PROCESSING: the record of processing activities generated from
//! the manifest has every column Art 30(1) makes mandatory.

use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::checklist::gdpr::representative_due;
use crate::rules::checklist::has_contact;
use crate::rules::facts::{self, list_ids};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART30-RECORDS-OF-PROCESSING",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 30(1), (5)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_30",
    default_severity: Severity::Warning,
    summary: "A mandatory column of the record of processing activities is empty, or the small-organisation exemption does not apply",
    explanation: "A controller keeps a written record of its processing activities and shows it to the supervisory authority on request (Art 30(1), (4)). The record names the controller, any joint controller, the representative and the data protection officer with their contact details; the purposes; the categories of data subjects and of personal data; the recipients, including those in third countries; transfers to third countries with their safeguards; where possible, the time limits for erasure; and, where possible, a general description of the security measures of Art 32(1). lawful generates the record from the manifest, so each empty column is a fact missing from the manifest.\n\nlawful reports: the organisation's name or contact details; the DPO's contact details when a `dpo` is declared; the `eu_representative` when the GDPR applies through Art 3(2) and no Art 27(2) exemption is declared; `organization.security_measures`; per purpose, an English `title`, the kinds of data subjects (through its datasets and flows) and its categories; per recipient that receives data, its `country`; per personal dataset, its `retention`. Transfers and their tools are left to GDPR-ART44-TRANSFER-MECHANISM.\n\nOrganisations with fewer than 250 employees need not keep the record unless the processing is likely to result in a risk to people's rights, is not occasional, or includes Art 9 or Art 10 data (Art 30(5)). The exemption is narrow (regular processing of customer data alone rules it out), and lawful generates the record anyway, so it expects the record's columns from every controller.\n\nA 2025 simplification proposal would raise the Art 30(5) threshold; it is not law.\n\nNot yet checked: a claim of the Art 30(5) exemption, which the language has no key for; joint controllers' contact details in the record, and the processor's record of Art 30(2).",
    fix: "Declare the missing facts; the generated record fills its columns from them.\n\n```yaml\norganization:\n  name: Example Shop GmbH\n  establishments: [DE]\n  contact: { email: privacy@example.de }\n  security_measures: { en: Encryption at rest and in transit; role-based access; quarterly access reviews. }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    if let Some(o) = &m.organization {
        let mut gaps: Vec<&str> = Vec::new();
        if o.name.value.trim().is_empty() || !has_contact(&o.contact) {
            gaps.push("organization.contact");
        }
        if o.dpo.as_ref().is_some_and(|d| !has_contact(d)) {
            gaps.push("organization.dpo.email");
        }
        if representative_due(m) && o.eu_representative.is_none() {
            gaps.push("organization.eu_representative");
        }
        if o.security_measures.as_ref().is_none_or(|s| s.en.is_none()) {
            gaps.push("organization.security_measures");
        }
        if !gaps.is_empty() {
            let d = out
                .at(
                    o.name.span,
                    "record columns empty",
                    format!(
                        "the record of processing of `{}` has empty columns; declare {} (GDPR Art 30(1)(a), (g))",
                        o.name.value,
                        list_ids(gaps.iter().copied(), 5)
                    ),
                )
                .with_target("organization".to_string());
            out.push(d);
        }
    }

    let used = facts::purpose_categories(m, cx.graph);
    let subjects = facts::purpose_subjects(m);
    for (pi, p) in m.purposes.iter().enumerate() {
        let id = &p.id.value;
        let mut gaps: Vec<String> = Vec::new();
        if p.decl.title.en.is_none() {
            gaps.push(format!("`purposes.{id}.title.en`"));
        }
        if subjects[pi].is_empty() {
            gaps.push(
                "its kinds of data subjects (`subjects:` on its datasets, or a flow from a subject kind)"
                    .to_string(),
            );
        }
        if used[pi].iter().next().is_none() {
            gaps.push(format!("`purposes.{id}.categories`"));
        }
        if gaps.is_empty() {
            continue;
        }
        let d = out
            .at(
                p.id.span,
                "record row incomplete",
                format!(
                    "purpose `{id}` has empty columns in the record of processing; declare {} (GDPR Art 30(1)(b)–(c))",
                    gaps.join("; ")
                ),
            )
            .with_target(format!("purposes.{id}"));
        out.push(d);
    }

    let mut receives = vec![false; m.recipients.len()];
    for f in &m.flows {
        if let crate::model::NodeRef::Recipient(r) = f.to {
            receives[r] = true;
        }
    }
    for (ri, r) in m.recipients.iter().enumerate() {
        if !receives[ri] || r.decl.country.is_some() {
            continue;
        }
        let d = out
            .at(
                r.id.span,
                "no `country`",
                format!(
                    "recipient `{}` receives personal data but has no `country`, so the record cannot say whether it is in a third country (GDPR Art 30(1)(d))",
                    r.id.value
                ),
            )
            .with_target(format!("recipients.{}", r.id.value));
        out.push(d);
    }

    for ds in &m.datasets {
        if ds.decl.retention.is_some() || !ds.is_personal(t) {
            continue;
        }
        let d = out
            .at(
                ds.id.span,
                "no `retention`",
                format!(
                    "dataset `{}` holds personal data but has no `retention`, so the record has no time limit for erasure (GDPR Art 30(1)(f))",
                    ds.id.value
                ),
            )
            .with_target(format!("datasets.{}", ds.id.value));
        out.push(d);
    }
}
