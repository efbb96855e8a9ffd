//! PIPL Art 17 notice checklist (REGULATIONS.md §2.2): the baseline rows 1–5 and 7, and
//! the conditional rows 9–12, 14, 15 and 17, each with the manifest fact that supplies it.
//! Row 6 (other laws), 8 (exceptions), 13 (mergers), 16 (cameras in public places) and 18
//! (the NDSMR list of SDKs) have no manifest fact yet.

use super::{
    Builder, ItemStatus, has_contact, notice_flows, notice_purposes, notice_recipients,
    notice_subjects, retention_known,
};
use crate::graph::is_pipl_export;
use crate::manifest::Localized;
use crate::manifest::types::{ConsentKind, Language, PiplBasis, PiplRole, RegimeName, RightKind};
use crate::manifest::yaml::Span;
use crate::model::{Model, NodeRef};
use crate::rules::facts;

/// The PIPO threshold: the personal information of 1,000,000 individuals (PIPL Art 52).
const PIPO_THRESHOLD: u64 = 1_000_000;

/// The recipient a flow exports personal information to (PIPL Art 38): the flow leaves
/// mainland China (`graph::is_pipl_export`) and ends at a recipient.
pub fn export_recipient(m: &Model, fi: usize) -> Option<usize> {
    match m.flows[fi].to {
        NodeRef::Recipient(r) if is_pipl_export(m, fi) => Some(r),
        _ => None,
    }
}

/// Whether a flow exports personal information to the organisation's own system or dataset
/// abroad (its head office or another establishment outside mainland China): the foreign
/// recipient of Art 39 is then the organisation itself, there.
pub fn export_to_own(m: &Model, fi: usize) -> bool {
    matches!(m.flows[fi].to, NodeRef::System(_) | NodeRef::Dataset(_)) && is_pipl_export(m, fi)
}

/// The §2.2 checklist of notice `notice` (an index into `Model::notices`).
pub fn pipl(m: &Model, notice: usize) -> Vec<ItemStatus> {
    let n = &m.notices[notice];
    let mut b = Builder::new(m, notice);
    let subjects = notice_subjects(m, notice, RegimeName::Pipl);
    let purposes = notice_purposes(m, &subjects);
    let org = m.organization.as_ref();
    let org_span = org.map(|o| o.value.name.span).unwrap_or(Span::NONE);
    let zh = n.decl.languages.iter().any(|l| l.value == Language::ZhCn);
    // Text the notice shows: in Chinese when the notice is published in Chinese.
    let text = |l: Option<&Localized>, key: String| -> (String, bool) {
        if zh {
            (format!("{key}.zh-CN"), l.is_some_and(|l| l.zh_cn.is_some()))
        } else {
            (key, l.is_some_and(|l| l.en.is_some() || l.zh_cn.is_some()))
        }
    };

    // 1. The handler's name and contact method.
    b.push(
        "PIPL Art 17(1)(1)",
        "the handler's name and contact method",
        "organization.contact",
        true,
        org.is_some_and(|o| !o.name.value.trim().is_empty() && has_contact(&o.contact)),
        org_span,
    );

    let consents = facts::consents_by_purpose(m);
    let mut consent_based = false;
    for &p in &purposes {
        let pr = &m.purposes[p];
        let id = &pr.id.value;
        let d = &pr.decl.value;
        consent_based |= m.pipl_basis(p) == Some(PiplBasis::Consent);
        // 2. Purposes and methods.
        let (fact, ok) = text(Some(&d.title), format!("purposes.{id}.title"));
        b.push(
            "PIPL Art 17(1)(2)",
            "the purpose of the processing",
            fact,
            true,
            ok,
            pr.id.span,
        );
        let (fact, ok) = text(Some(&d.description), format!("purposes.{id}.description"));
        b.push(
            "PIPL Art 17(1)(2)",
            "how the personal information is processed",
            fact,
            true,
            ok,
            pr.id.span,
        );
        // 3. Categories.
        b.push(
            "PIPL Art 17(1)(2)",
            "the categories of personal information processed",
            format!("purposes.{id}.categories"),
            true,
            !pr.categories.is_empty(),
            pr.id.span,
        );
        // 4. Retention.
        b.push(
            "PIPL Art 17(1)(2)",
            "how long the personal information is kept",
            format!("purposes.{id}.retention"),
            true,
            retention_known(m, p),
            pr.id.span,
        );
        // 9. Sensitive personal information: necessity and impact.
        let sensitive = pr
            .categories
            .iter()
            .any(|c| m.taxonomy.cat(c.cat).is_pipl_sensitive());
        let (fact, ok) = text(d.necessity.as_ref(), format!("purposes.{id}.necessity"));
        b.push(
            "PIPL Art 30",
            "why processing sensitive personal information is necessary, and its impact",
            fact,
            sensitive,
            ok,
            pr.id.span,
        );
        // 14. Targeted push or marketing: an option not based on personal characteristics.
        if let Some(adm) = &d.automated_decision {
            b.push(
                "PIPL Art 24(2)",
                "an option not targeted on personal characteristics, or an easy way to refuse",
                format!("purposes.{id}.automated_decision.non_personalised_option"),
                adm.targeted_push.value,
                adm.non_personalised_option.value,
                adm.span,
            );
        }
        // 15. Publishing personal information: separate consent.
        if let Some(pb) = d.publishes.as_ref().filter(|b| b.value) {
            b.push(
                "PIPL Art 25",
                "that the personal information is made public, with separate consent",
                format!("consents.<id>.kind: separate (purposes: [{id}])"),
                true,
                facts::has_consent(m, &consents, p, &[ConsentKind::Separate], None),
                pb.span,
            );
        }
    }

    // 5. How to exercise the rights.
    let rights = m.rights.as_ref();
    let rights_span = rights.map(|r| r.decl.span).unwrap_or(Span::NONE);
    for (k, required) in [
        (RightKind::Access, true),
        (RightKind::Rectification, true),
        (RightKind::Erasure, true),
        (RightKind::Restriction, true),
        (RightKind::WithdrawConsent, consent_based),
        (RightKind::Portability, false),
        (RightKind::Explanation, false),
        (RightKind::AccountCancellation, false),
    ] {
        let h = rights.and_then(|r| r.handler(k));
        b.push(
            "PIPL Art 17(1)(3)",
            "how and through which channel people exercise their rights",
            format!("rights.{}.channels", k.key()),
            required,
            h.is_some_and(|h| !h.channels.is_empty()),
            h.map(|h| h.span).unwrap_or(rights_span),
        );
    }
    // 7. How changes are notified.
    b.push(
        "PIPL Art 17(2)",
        "how people are told of changes to the notice",
        format!("notices.{}.change_notification", n.id.value),
        true,
        n.decl.change_notification.is_some(),
        Span::NONE,
    );
    // 10. Under-14s: guardian consent.
    let minors: Vec<usize> = subjects
        .iter()
        .copied()
        .filter(|&s| facts::may_be_under(m, s, 14))
        .collect();
    if !minors.is_empty() {
        let of_minors = facts::purpose_subjects(m);
        let guardian = purposes.iter().any(|&p| {
            of_minors[p].iter().any(|s| minors.contains(s))
                && facts::has_consent(m, &consents, p, &[ConsentKind::Guardian], None)
        });
        b.push(
            "PIPL Art 31",
            "that a parent or guardian consents for children under 14",
            "consents.<id>.kind: guardian",
            true,
            guardian,
            m.subjects[minors[0]].id.span,
        );
    }
    // 11. Provision to another handler; 12. export, to a recipient or to the organisation's
    // own system or dataset abroad.
    let flows = notice_flows(m, &purposes);
    // Sorted, without repeats: looked up once per recipient.
    let mut exported: Vec<usize> = flows
        .iter()
        .filter_map(|&fi| export_recipient(m, fi))
        .collect();
    exported.sort_unstable();
    exported.dedup();
    let to_own = flows.iter().any(|&fi| export_to_own(m, fi));
    for r in notice_recipients(m, &purposes) {
        let rr = &m.recipients[r];
        let other =
            rr.decl.role.pipl.as_ref().is_some_and(|p| {
                matches!(p.value, PiplRole::OtherHandler | PiplRole::JointHandler)
            });
        let export = exported.binary_search(&r).is_ok();
        b.push(
            if export { "PIPL Art 39" } else { "PIPL Art 23" },
            if export {
                "the foreign recipient's name and contact method"
            } else {
                "the other handler's name and contact method"
            },
            format!("recipients.{}.contact", rr.id.value),
            export || other,
            rr.decl.contact.as_ref().is_some_and(has_contact),
            rr.id.span,
        );
    }
    if to_own {
        // The foreign recipient is the organisation's establishment abroad: its name and
        // contact are the organisation's.
        b.push(
            "PIPL Art 39",
            "the foreign recipient's name and contact method",
            "organization.contact",
            true,
            org.is_some_and(|o| !o.name.value.trim().is_empty() && has_contact(&o.contact)),
            org_span,
        );
    }
    if !exported.is_empty() || to_own {
        let erasure = rights.and_then(|r| r.handler(RightKind::Erasure));
        b.push(
            "PIPL Art 39",
            "how people exercise their rights against the foreign recipient",
            "rights.erasure.propagates",
            true,
            erasure.is_some_and(|h| facts::is_true(&h.propagates)),
            erasure.map(|h| h.span).unwrap_or(rights_span),
        );
    }
    // 17. The PIPO's contact details.
    let pipo = org.and_then(|o| o.pipo.as_ref());
    b.push(
        "PIPL Art 52",
        "the personal information protection officer's contact details",
        "organization.pipo.email",
        org.and_then(|o| o.pipl_individuals_total.as_ref())
            .is_some_and(|t| t.value >= PIPO_THRESHOLD),
        pipo.is_some_and(|p| has_contact(p)),
        pipo.map(|p| p.span).unwrap_or(org_span),
    );
    b.items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::checklist::gdpr::tests::model;

    #[test]
    fn checklist_pipl_asks_for_chinese_text_and_the_pipo_above_the_threshold() {
        let yaml = "version: 1
organization:
  name: 示例科技有限公司
  establishments: [CN]
  contact: { email: privacy@example.cn }
  pipl_individuals_total: 2000000
subjects:
  user: { lives_in: [CN] }
purposes:
  orders:
    title: { en: Fulfil orders, zh-CN: 履行订单 }
    legal_basis: { pipl: contract_or_hr }
    categories: [contact.email]
    retention: P2Y
notices:
  app:
    kind: pipl_art17
    languages: [zh-CN]
";
        let m = model(yaml);
        let items = pipl(&m, 0);
        let find = |f: &str| items.iter().find(|i| i.fact == f).expect(f);
        assert!(find("purposes.orders.title.zh-CN").supplied);
        assert!(find("purposes.orders.description.zh-CN").missing());
        assert!(find("organization.pipo.email").missing());
        assert!(find("organization.contact").supplied);
    }

    #[test]
    fn checklist_pipl_counts_an_export_to_the_organisations_own_system_abroad() {
        // The dataset has no country: it is where its system is, in Shanghai. Its flow to the
        // organisation's own system in Germany is an export, with no recipient.
        let yaml = "version: 1
organization:
  name: Example GmbH
  establishments: [DE, CN]
  targets_cn: true
subjects:
  user: { lives_in: [CN] }
systems:
  storefront: { country: CN }
  head_office_db: { country: DE }
purposes:
  orders:
    title: { en: Fulfil orders, zh-CN: 履行订单 }
    legal_basis: { pipl: contract_or_hr }
    categories: [contact.email]
    retention: P2Y
datasets:
  cn_orders:
    system: storefront
    subjects: [user]
    fields:
      email: { categories: [contact.email] }
flows:
  - from: cn_orders
    to: head_office_db
    purposes: [orders]
    transfer: { pipl: standard_contract }
notices:
  app:
    kind: pipl_art17
    languages: [zh-CN]
";
        let m = model(yaml);
        assert!(export_to_own(&m, 0));
        assert_eq!(export_recipient(&m, 0), None);
        let items = pipl(&m, 0);
        let foreign: Vec<&ItemStatus> = items
            .iter()
            .filter(|i| i.what == "the foreign recipient's name and contact method")
            .collect();
        assert_eq!(foreign.len(), 1);
        assert_eq!(foreign[0].fact, "organization.contact");
        // No contact declared: the organisation abroad cannot be reached.
        assert!(foreign[0].missing());
        assert!(
            items
                .iter()
                .any(|i| i.fact == "rights.erasure.propagates" && i.required)
        );
    }
}
