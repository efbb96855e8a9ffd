//! CCPA-1798.100A-NOTICE-AT-COLLECTION: every kind of California consumer gets a notice at
//! collection, given at or before the point of collection, and the manifest supplies each
//! item of it (REGULATIONS.md §2.3.1).

use crate::manifest::types::{NoticeDelivery, NoticeKind, RegimeName};
use crate::report::Severity;
use crate::rules::checklist::{self, ItemStatus};
use crate::rules::facts::subject_in_scope;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-1798.100A-NOTICE-AT-COLLECTION",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.100(a)–(b); 11 CCR 7012",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.100",
    default_severity: Severity::Error,
    summary: "A kind of California consumer has no notice at collection, or the manifest lacks an item the notice must contain",
    explanation: "A business that collects personal information from California consumers must tell them, at or before the point of collection, which categories it collects (sensitive personal information included), why it collects and uses each one, whether each is sold or shared, and how long each is kept or the criteria used to decide (Cal. Civ. Code 1798.100(a)). The CPPA regulations add a link to the Notice of Right to Opt-out when the business sells or shares, a link to the privacy policy, and, where third parties control the collection on the business's site or premises, their names or their practices (11 CCR 7012(e), (g)). Online, the notice or a conspicuous link to it sits on the page where the data is collected; offline, on the form or on signage (7012(c)). A business that gives no notice at collection may not collect the information (1798.100(b); 7012(a)).\n\nlawful generates the notice from the manifest, so it checks the facts the notice is made of. It reports a kind of subject within the CCPA's reach that no `ccpa_notice_at_collection` notice addresses (a notice without `subjects` addresses them all); for each such notice, one finding listing the items the manifest cannot yet fill and the key to add (categories without a `ccpa_category`, categories no purpose declares, flows to third parties without `sale` and `share`, datasets without `retention`, the opt-out link when data is sold or shared, the privacy policy's `url`, and the names of recipients with `controls_collection: true`), and whether `delivery` is missing; and a notice whose `delivery` is not `at_collection`.\n\nNot yet checked: that a notice written by hand rather than generated lists every category collected and every purpose served; the form rules of 11 CCR 7003 (plain language, accessibility, the languages the business ordinarily uses), where the link is placed on each page, and flows to third parties are judged for the whole organisation rather than per notice.",
    fix: "Declare a notice at collection for the consumers, given at collection, and add the facts its finding names.\n\n```yaml\nnotices:\n  ca_notice:\n    kind: ccpa_notice_at_collection\n    title: { en: Notice at collection }\n    url: https://example.com/privacy#collection\n    delivery: at_collection\n    channels: [web, app]\n```",
    check,
};

/// The missing required items of a checklist, as message parts.
pub(crate) fn missing_parts(items: &[ItemStatus]) -> Vec<String> {
    items
        .iter()
        .filter(|i| i.required && !i.supplied)
        .map(|i| format!("{} [{}] (add {})", i.what, i.item, i.fact))
        .collect()
}

fn check(cx: &Context, out: &mut Findings) {
    coverage(
        cx,
        out,
        NoticeKind::CcpaNoticeAtCollection,
        "notice at collection",
    );
    let m = cx.model;
    for (ni, n) in m.notices.iter().enumerate() {
        if n.decl.kind.value != NoticeKind::CcpaNoticeAtCollection {
            continue;
        }
        let target = format!("notices.{}", n.id.value);
        let items = checklist::ccpa::notice_at_collection(m, ni);
        let mut parts = missing_parts(&items);
        if n.decl.delivery.is_none() {
            parts.push(
                "when it reaches the consumer [11 CCR 7012(a)] (add `delivery: at_collection`)"
                    .into(),
            );
        }
        if !parts.is_empty() {
            let mut d = out
                .at(
                    n.id.span,
                    format!("{} item{} missing", parts.len(), if parts.len() == 1 { "" } else { "s" }),
                    format!(
                        "notice at collection `{}` cannot be completed from the manifest; it lacks: {}",
                        n.id.value,
                        parts.join("; ")
                    ),
                )
                .with_target(target.clone());
            for i in items.iter().filter(|i| i.required && !i.supplied) {
                // Mappings have a zero-width span: a label there would point at nothing.
                if i.span != n.id.span && i.span.end > i.span.start {
                    d = d.with_secondary(i.span, format!("needed for {}", i.item));
                }
            }
            out.push(d);
        }
        if let Some(del) = &n.decl.delivery
            && del.value != NoticeDelivery::AtCollection
        {
            let d = out
                .at(
                    del.span,
                    "not at collection",
                    format!(
                        "notice at collection `{}` is not given at or before the point of collection; set `delivery: at_collection` (11 CCR 7012(a), (c))",
                        n.id.value
                    ),
                )
                .with_secondary(n.id.span, "this notice")
                .with_target(target);
            out.push(d);
        }
    }
}

/// Report each kind of subject within the CCPA's reach that no notice of `kind` addresses.
pub(crate) fn coverage(cx: &Context, out: &mut Findings, kind: NoticeKind, name: &str) {
    let m = cx.model;
    let notices: Vec<_> = m
        .notices
        .iter()
        .filter(|n| n.decl.kind.value == kind)
        .collect();
    let key = match kind {
        NoticeKind::CcpaNoticeAtCollection => "ccpa_notice_at_collection",
        NoticeKind::CcpaPrivacyPolicy => "ccpa_privacy_policy",
        _ => "ccpa_financial_incentive",
    };
    for (si, s) in m.subjects.iter().enumerate() {
        if !subject_in_scope(m, si, RegimeName::Ccpa) {
            continue;
        }
        if notices
            .iter()
            .any(|n| n.subjects.is_empty() || n.subjects.contains(&si))
        {
            continue;
        }
        let hint = if notices.is_empty() {
            format!("declare a `notices:` entry of kind `{key}`")
        } else {
            format!(
                "add `{}` to the `subjects` of notice `{}`, or declare another `{key}` notice",
                s.id.value, notices[0].id.value
            )
        };
        let d = out
            .at(
                s.id.span,
                format!("no {name}"),
                format!(
                    "subjects `{}` are California consumers but no {name} addresses them; {hint}",
                    s.id.value
                ),
            )
            .with_target(format!("subjects.{}", s.id.value));
        out.push(d);
    }
}
