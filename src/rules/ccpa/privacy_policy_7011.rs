//! CCPA-7011-PRIVACY-POLICY: California consumers are covered by a privacy policy that the
//! manifest can fill item by item (REGULATIONS.md §2.3.2) and that was updated in the last
//! 12 months.

use crate::manifest::Duration;
use crate::manifest::types::{NoticeKind, RegimeName};
use crate::report::Severity;
use crate::rules::ccpa::notice_at_collection::{coverage, missing_parts};
use crate::rules::checklist;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-7011-PRIVACY-POLICY",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.130(a)(5); 11 CCR 7011",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.130",
    default_severity: Severity::Error,
    summary: "California consumers have no privacy policy, the manifest lacks an item it must contain, or it was not updated in the last 12 months",
    explanation: "A business must publish a privacy policy describing its online and offline practices and update it at least once every 12 months (Cal. Civ. Code 1798.130(a)(5)). The CPPA regulations list what it contains (11 CCR 7011(e)): the categories of personal information collected in the last 12 months by their statutory names, their sources, the purposes of collection, the categories sold or shared and disclosed for a business purpose with the recipients and purposes of each, whether the business knowingly sells or shares the personal information of consumers under 16, and whether it uses sensitive personal information beyond the purposes of 7027(m); an explanation of each right and how to exercise it (the methods, the opt-out and limit links where they apply, how identity is verified, how opt-out preference signals such as Global Privacy Control are processed, how an authorised agent makes a request, the opt-in process for minors, a contact); the date of the last update; and, for a business handling the personal information of 10,000,000 or more consumers a year, the request metrics of 11 CCR 7102.\n\nlawful generates the policy from the manifest, so it checks the facts the policy is made of. It reports a kind of subject within the CCPA's reach that no `ccpa_privacy_policy` notice addresses (a notice without `subjects` addresses them all); for each such notice, one finding listing the items the manifest cannot yet fill and the key to add; and a `last_updated` more than 12 months before today.\n\nNot yet checked: the 12-month look-back of the categories (the manifest describes current processing), the fixed wording of the rights, and retention per category in the policy when the notice at collection is given through it (7011(e)(1); [?] in REGULATIONS.md §2.3.2).",
    fix: "Declare the privacy policy with its address and the date of its last review, and add the facts its finding names; regenerate it from the manifest and review it at least every 12 months.\n\n```yaml\nnotices:\n  ca_privacy_policy:\n    kind: ccpa_privacy_policy\n    title: { en: California privacy policy }\n    url: https://example.com/privacy\n    last_updated: 2026-06-01\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    coverage(cx, out, NoticeKind::CcpaPrivacyPolicy, "privacy policy");
    let m = cx.model;
    let year = Duration {
        years: 1,
        ..Duration::default()
    };
    for (ni, n) in m.notices.iter().enumerate() {
        if n.decl.kind.value != NoticeKind::CcpaPrivacyPolicy {
            continue;
        }
        let target = format!("notices.{}", n.id.value);
        let items = checklist::ccpa::privacy_policy(m, ni);
        let parts = missing_parts(&items);
        if !parts.is_empty() {
            let mut d = out
                .at(
                    n.id.span,
                    format!(
                        "{} item{} missing",
                        parts.len(),
                        if parts.len() == 1 { "" } else { "s" }
                    ),
                    format!(
                        "privacy policy `{}` cannot be completed from the manifest; it lacks: {}",
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
        if let Some(lu) = &n.decl.last_updated {
            let due = lu.value.plus(&year);
            if due < cx.today {
                let d = out
                    .at(
                        lu.span,
                        "more than 12 months ago",
                        format!(
                            "privacy policy `{}` was last updated on {}, more than 12 months before {}; review it and update `last_updated` (1798.130(a)(5): at least every 12 months; the review was due by {due})",
                            n.id.value, lu.value, cx.today
                        ),
                    )
                    .with_target(target);
                out.push(d);
            }
        }
    }
}
