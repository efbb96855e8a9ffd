//! GDPR Art 13 / Art 14 notice checklist (REGULATIONS.md §2.1): rows 1–14 and 16, each
//! with the manifest fact that supplies it. Row 15 (a new purpose, 13(3)/14(4)) needs the
//! difference between two manifests and is not listed here.

use super::{
    Builder, ItemStatus, has_contact, notice_flows, notice_purposes, notice_recipients,
    notice_subjects, retention_known,
};
use crate::manifest::types::{
    DataRequired, DataSource, GdprBasis, NoticeKind, RegimeName, RightKind,
};
use crate::manifest::yaml::Span;
use crate::model::{Model, NodeRef};
use crate::rules::facts;

/// Whether the GDPR reaches the organisation only through Art 3(2) (no establishment in
/// the EEA) and it does not declare the Art 27(2) exemption: a representative is then due.
pub fn representative_due(m: &Model) -> bool {
    let Some(o) = &m.organization else {
        return false;
    };
    m.applies(RegimeName::Gdpr)
        && !o.establishments.iter().any(|c| c.in_eea())
        && !facts::is_true(&o.art27_exempt)
}

/// Whether a flow leaves the EEA: its destination has a country outside the EEA and it
/// does not start at a data subject (collection is not a transfer). An approximation of
/// `DataFlowGraph::is_gdpr_transfer` that needs no graph.
pub fn leaves_eea(m: &Model, fi: usize) -> bool {
    let f = &m.flows[fi];
    !matches!(f.from, NodeRef::Subject(_)) && m.node_country(f.to).is_some_and(|c| !c.in_eea())
}

/// The §2.1 checklist of notice `notice` (an index into `Model::notices`), for an Art 13 or
/// an Art 14 notice (another kind is read as Art 13).
pub fn gdpr(m: &Model, notice: usize) -> Vec<ItemStatus> {
    let n = &m.notices[notice];
    let art14 = n.decl.kind.value == NoticeKind::GdprArt14;
    let a = |a13: &'static str, a14: &'static str| if art14 { a14 } else { a13 };
    let mut b = Builder::new(m, notice);
    let subjects = notice_subjects(m, notice, RegimeName::Gdpr);
    let purposes = notice_purposes(m, &subjects);
    let org = m.organization.as_ref();
    let org_span = org.map(|o| o.value.name.span).unwrap_or(Span::NONE);

    // 1. Controller's identity and contact details; the representative.
    b.push(
        a("GDPR Art 13(1)(a)", "GDPR Art 14(1)(a)"),
        "the controller's name and contact details",
        "organization.contact",
        true,
        org.is_some_and(|o| !o.name.value.trim().is_empty() && has_contact(&o.contact)),
        org_span,
    );
    if representative_due(m) {
        let rep = org.and_then(|o| o.eu_representative.as_ref());
        b.push(
            a("GDPR Art 13(1)(a)", "GDPR Art 14(1)(a)"),
            "the representative in the Union and its contact details",
            "organization.eu_representative",
            true,
            rep.is_some_and(|r| has_contact(r)),
            rep.map(|r| r.span).unwrap_or(org_span),
        );
    }
    // 2. The DPO's contact details, where there is one.
    let dpo = org.and_then(|o| o.dpo.as_ref());
    b.push(
        a("GDPR Art 13(1)(b)", "GDPR Art 14(1)(b)"),
        "the data protection officer's contact details",
        "organization.dpo.email",
        dpo.is_some(),
        dpo.is_some_and(|d| has_contact(d)),
        dpo.map(|d| d.span).unwrap_or(org_span),
    );

    let any_basis = |k: &[GdprBasis]| {
        purposes
            .iter()
            .any(|&p| m.gdpr_basis(p).is_some_and(|b| k.contains(&b)))
    };
    let portability = any_basis(&[GdprBasis::Consent, GdprBasis::Contract]);
    let objection = any_basis(&[GdprBasis::PublicTask, GdprBasis::LegitimateInterests]);
    let consents = facts::consents_by_purpose(m);

    for &p in &purposes {
        let pr = &m.purposes[p];
        let id = &pr.id.value;
        let d = &pr.decl.value;
        // 3. Purposes and legal basis, per purpose.
        b.push(
            a("GDPR Art 13(1)(c)", "GDPR Art 14(1)(c)"),
            "the purpose, in words people understand",
            format!("purposes.{id}.title"),
            true,
            d.title.en.is_some(),
            pr.id.span,
        );
        b.push(
            a("GDPR Art 13(1)(c)", "GDPR Art 14(1)(c)"),
            "the legal basis of the purpose",
            format!("purposes.{id}.legal_basis.gdpr"),
            true,
            d.legal_basis.gdpr.is_some(),
            d.legal_basis
                .gdpr
                .as_ref()
                .map(|b| b.span)
                .unwrap_or(pr.id.span),
        );
        let special = pr
            .categories
            .iter()
            .any(|c| m.taxonomy.cat(c.cat).is_gdpr_special());
        b.push(
            a("GDPR Art 13(1)(c)", "GDPR Art 14(1)(c)"),
            "the Art 9(2) condition for special-category data",
            format!("purposes.{id}.gdpr_art9_condition"),
            special,
            d.gdpr_art9_condition.is_some(),
            pr.id.span,
        );
        // 4. The legitimate interests pursued.
        b.push(
            a("GDPR Art 13(1)(d)", "GDPR Art 14(2)(b)"),
            "the legitimate interests pursued",
            format!("purposes.{id}.legitimate_interest"),
            m.gdpr_basis(p) == Some(GdprBasis::LegitimateInterests),
            d.legitimate_interest
                .as_ref()
                .is_some_and(|l| l.en.is_some()),
            pr.id.span,
        );
        // 5. Categories of personal data (Art 14 only).
        if art14 {
            b.push(
                "GDPR Art 14(1)(d)",
                "the categories of personal data concerned",
                format!("purposes.{id}.categories"),
                true,
                !pr.categories.is_empty(),
                pr.id.span,
            );
        }
        // 8. Storage period.
        b.push(
            a("GDPR Art 13(2)(a)", "GDPR Art 14(2)(a)"),
            "how long the data is kept, or the criteria for it",
            format!("purposes.{id}.retention"),
            true,
            retention_known(m, p),
            pr.id.span,
        );
        // 10. Withdrawal of consent.
        let consent_based = m.gdpr_basis(p) == Some(GdprBasis::Consent)
            || d.gdpr_art9_condition
                .as_ref()
                .is_some_and(|c| c.value == crate::manifest::types::Art9Condition::ExplicitConsent);
        if consent_based {
            let cs = &consents[p];
            if cs.is_empty() {
                b.push(
                    a("GDPR Art 13(2)(c)", "GDPR Art 14(2)(d)"),
                    "that consent may be withdrawn at any time, and how",
                    format!("purposes.{id}.consent"),
                    true,
                    false,
                    pr.id.span,
                );
            }
            for &c in cs {
                let c = &m.consents[c];
                b.push(
                    a("GDPR Art 13(2)(c)", "GDPR Art 14(2)(d)"),
                    "that consent may be withdrawn at any time, and how",
                    format!("consents.{}.withdrawal", c.id.value),
                    true,
                    c.decl.withdrawal.is_some(),
                    c.id.span,
                );
            }
        }
        // 12. Whether the data must be provided (Art 13 only).
        if !art14 {
            let dr = d.data_required.as_ref();
            let (fact, supplied) = match dr.map(|r| r.value) {
                None => (format!("purposes.{id}.data_required"), false),
                Some(DataRequired::Voluntary) => (format!("purposes.{id}.data_required"), true),
                Some(_) => (
                    format!("purposes.{id}.if_not_provided"),
                    d.if_not_provided.is_some(),
                ),
            };
            b.push(
                "GDPR Art 13(2)(e)",
                "whether people must provide the data, and what happens if they do not",
                fact,
                true,
                supplied,
                dr.map(|r| r.span).unwrap_or(pr.id.span),
            );
        }
        // 14. Automated decisions: the logic, significance and consequences.
        if let Some(adm) = &d.automated_decision {
            b.push(
                a("GDPR Art 13(2)(f)", "GDPR Art 14(2)(g)"),
                "the logic of the automated decision, its significance and consequences",
                format!("purposes.{id}.automated_decision.logic"),
                adm.solely_automated.value && adm.significant_effect.value,
                adm.logic.as_ref().is_some_and(|l| l.en.is_some()),
                adm.span,
            );
        }
    }

    // 6. Recipients or categories of recipients.
    for r in notice_recipients(m, &purposes) {
        let rr = &m.recipients[r];
        b.push(
            a("GDPR Art 13(1)(e)", "GDPR Art 14(1)(e)"),
            "the recipients, or their categories",
            format!("recipients.{}.role.gdpr", rr.id.value),
            true,
            rr.decl.role.gdpr.is_some(),
            rr.id.span,
        );
    }
    // 7. Transfers: adequacy or the safeguards.
    for fi in notice_flows(m, &purposes) {
        if !leaves_eea(m, fi) {
            continue;
        }
        let tool = m.flows[fi]
            .decl
            .transfer
            .as_ref()
            .and_then(|t| t.gdpr.as_ref());
        b.push(
            a("GDPR Art 13(1)(f)", "GDPR Art 14(1)(f)"),
            "the transfer outside the EEA and its adequacy decision or safeguards",
            format!("{}.transfer.gdpr", facts::flow_target(m, fi)),
            true,
            tool.is_some(),
            tool.map(|t| t.span).unwrap_or(m.flows[fi].decl.span),
        );
    }
    // 9. The rights of access, rectification, erasure, restriction, objection, portability.
    let rights = m.rights.as_ref();
    let rights_span = rights.map(|r| r.decl.span).unwrap_or(Span::NONE);
    for (k, required) in [
        (RightKind::Access, true),
        (RightKind::Rectification, true),
        (RightKind::Erasure, true),
        (RightKind::Restriction, true),
        (RightKind::Objection, objection),
        (RightKind::Portability, portability),
    ] {
        let h = rights.and_then(|r| r.handler(k));
        b.push(
            a("GDPR Art 13(2)(b)", "GDPR Art 14(2)(c)"),
            "the rights of access, rectification, erasure, restriction, objection and portability",
            format!("rights.{}", k.key()),
            required,
            h.is_some(),
            h.map(|h| h.span).unwrap_or(rights_span),
        );
    }
    // 11. The right to complain to a supervisory authority.
    b.push(
        a("GDPR Art 13(2)(d)", "GDPR Art 14(2)(e)"),
        "the right to complain to a supervisory authority, and which",
        "organization.supervisory_authority",
        true,
        org.is_some_and(|o| o.supervisory_authority.is_some()),
        org_span,
    );
    // 13. The source of the data (Art 14 only).
    if art14 {
        for &d in &n.datasets {
            let ds = &m.datasets[d];
            b.push(
                "GDPR Art 14(2)(f)",
                "where the data comes from, and whether from public sources",
                format!("datasets.{}.source", ds.id.value),
                true,
                ds.decl.source.is_some_and(|s| s != DataSource::Subject),
                ds.id.span,
            );
        }
    }
    // 16. Timing.
    let delivery = n.decl.delivery.as_ref();
    b.push(
        a("GDPR Art 13(1)", "GDPR Art 14(3)"),
        "when the notice reaches people",
        format!("notices.{}.delivery", n.id.value),
        true,
        delivery.is_some(),
        delivery.map(|d| d.span).unwrap_or(Span::NONE),
    );
    let mut items = b.items;
    items.extend(super::translations(
        m,
        notice,
        &purposes,
        a("GDPR Art 12(1), 13", "GDPR Art 12(1), 14"),
    ));
    items
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn project(yaml: &str) -> crate::Project {
        let files = vec![("lawful.yaml".to_string(), yaml.as_bytes().to_vec())];
        match crate::load_from_files(std::path::Path::new("."), files) {
            Ok(p) => p,
            Err(_) => panic!("fixture does not load"),
        }
    }

    pub(crate) fn model(yaml: &str) -> Model {
        project(yaml).model
    }

    const BASE: &str = "version: 1
organization:
  name: Example Shop GmbH
  establishments: [DE]
  contact: { email: privacy@example.de }
subjects:
  customer: { lives_in: [DE] }
purposes:
  orders:
    title: { en: Fulfil orders }
    legal_basis: { gdpr: contract }
    categories: [contact.email]
    retention: P2Y
notices:
  web:
    kind: gdpr_art13
";

    fn status<'a>(items: &'a [ItemStatus], fact: &str) -> &'a ItemStatus {
        items
            .iter()
            .find(|i| i.fact == fact)
            .unwrap_or_else(|| panic!("no item {fact}"))
    }

    #[test]
    fn checklist_gdpr_reports_a_missing_item_and_a_supplied_one() {
        let m = model(BASE);
        let items = gdpr(&m, 0);
        let contact = status(&items, "organization.contact");
        assert!(contact.required && contact.supplied);
        let sa = status(&items, "organization.supervisory_authority");
        assert!(sa.missing());
        assert_eq!(sa.item, "GDPR Art 13(2)(d)");
        // No DPO declared: the item does not apply.
        assert!(!status(&items, "organization.dpo.email").required);
        // Art 13(2)(e) is missing until `data_required` is declared.
        assert!(status(&items, "purposes.orders.data_required").missing());
        let with = BASE.replace(
            "    retention: P2Y\n",
            "    retention: P2Y\n    data_required: voluntary\n",
        );
        let m = model(&with);
        assert!(!status(&gdpr(&m, 0), "purposes.orders.data_required").missing());
    }
}
