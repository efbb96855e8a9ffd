//! CCPA-1798.140-SALE-SHARE-CLASSIFICATION: every flow to a CCPA third party says whether it
//! is a sale and whether it is sharing; service providers and contractors cannot receive
//! data for cross-context behavioural advertising.

use crate::manifest::types::{CcpaRole, RegimeName};
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::facts::{flow_name, flow_target};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-1798.140-SALE-SHARE-CLASSIFICATION",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.140(ad), (ah), (k), (e)(6), (ag); 11 CCR 7050",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.140",
    default_severity: Severity::Warning,
    summary: "A flow to a third party does not say whether it is a sale or sharing, or a service provider receives data for cross-context advertising",
    explanation: "Under the CCPA as amended by the CPRA, disclosing personal information to a third party for money or other valuable consideration is a sale (Cal. Civ. Code 1798.140(ad)), and disclosing it for cross-context behavioural advertising is sharing, paid or not (1798.140(ah), (k)). Sales and sharing trigger the right to opt out, the \"Do Not Sell or Share\" link and the opt-out preference signal, so each flow to a third party must be classified. A service provider or contractor may not provide cross-context behavioural advertising (1798.140(e)(6), (ag); 11 CCR 7050(b)); a recipient that does so for the business is a third party for that work.\n\nlawful reports a flow to a recipient whose CCPA role is `third_party` that does not state both `sale` and `share`, and a flow with `share: true` to a `service_provider` or `contractor`. It is a warning because the classification depends on facts such as consideration that the manifest records only as these two answers.",
    fix: "State `sale` and `share` explicitly on each flow to a third party, and make a recipient that does cross-context advertising a third party.\n\n```yaml\nflows:\n  - from: web_events\n    to: ad_network\n    purposes: [advertising]\n    sale: false\n    share: true\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    for (fi, f) in m.flows.iter().enumerate() {
        let NodeRef::Recipient(ri) = f.to else {
            continue;
        };
        let r = &m.recipients[ri];
        let Some(role) = &r.decl.role.ccpa else {
            continue;
        };
        match role.value {
            CcpaRole::ThirdParty => {
                let mut missing = Vec::new();
                if f.decl.sale.is_none() {
                    missing.push("`sale`");
                }
                if f.decl.share.is_none() {
                    missing.push("`share`");
                }
                if missing.is_empty() {
                    continue;
                }
                let d = out
                    .at(
                        f.decl.to.span,
                        format!("{} not stated", missing.join(" and ")),
                        format!(
                            "{} discloses personal information to a third party but does not state {}, so it cannot be classified as a sale or sharing",
                            flow_name(m, fi),
                            missing.join(" or ")
                        ),
                    )
                    .with_secondary(role.span, "a CCPA third party")
                    .with_target(flow_target(m, fi));
                out.push(d);
            }
            CcpaRole::ServiceProvider | CcpaRole::Contractor => {
                let Some(share) = &f.decl.share else { continue };
                if !share.value {
                    continue;
                }
                let kind = if role.value == CcpaRole::ServiceProvider {
                    "service provider"
                } else {
                    "contractor"
                };
                let d = out
                    .at(
                        share.span,
                        "sharing with a service provider",
                        format!(
                            "{} shares personal information for cross-context behavioural advertising with `{}`, but a {kind} cannot provide that service (it is a third party for it)",
                            flow_name(m, fi),
                            r.id.value
                        ),
                    )
                    .with_secondary(role.span, format!("declared a {kind} here"))
                    .with_help("make the recipient a `third_party` for this work (11 CCR 7050(b)), or stop sharing")
                    .with_target(flow_target(m, fi));
                out.push(d);
            }
        }
    }
}
