//! CCPA-1798.140D-BUSINESS-APPLICABILITY: the CCPA binds a "business" only when it meets one
//! of the thresholds of 1798.140(d)(1); report when none is declared as met.

use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

/// 1798.140(d)(1)(A), as adjusted by the CPPA from 1 January 2025.
pub const REVENUE_USD: u64 = 26_625_000;
/// 1798.140(d)(1)(B).
pub const CONSUMERS: u64 = 100_000;
/// 1798.140(d)(1)(C), percent.
pub const SHARE_PERCENT: u8 = 50;

pub static RULE: Rule = Rule {
    id: "CCPA-1798.140D-BUSINESS-APPLICABILITY",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.140(d)(1); 1798.199.95(d) (inflation adjustment)",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.140",
    default_severity: Severity::Info,
    summary: "The CCPA is applied, but no threshold that makes the organisation a \"business\" is declared as met",
    explanation: "The CCPA's duties fall on a \"business\": a for-profit entity doing business in California that determines the purposes and means of processing consumers' personal information and meets at least one of three thresholds (Cal. Civ. Code 1798.140(d)(1)): (A) annual gross revenue above $25,000,000 in the preceding calendar year, adjusted for inflation every two years, $26,625,000 from 1 January 2025; (B) buying, selling or sharing the personal information of 100,000 or more California consumers or households a year; or (C) deriving 50 percent or more of annual revenue from selling or sharing consumers' personal information. An entity that controls or is controlled by such a business and shares common branding with it can also be one ((d)(2)).\n\nWhen the California facts bring the CCPA into scope, lawful reads `organization.annual_gross_revenue_usd`, `ca_consumers_per_year` and `revenue_share_sell_share`, and reports, as information, an organisation for which none of them meets its threshold, naming the inputs that are missing. The other CCPA findings then rest on an applicability the manifest does not show.\n\nNot yet checked: the common-branding and joint-venture routes of 1798.140(d)(2) and (3).",
    fix: "Declare the facts that make the organisation a CCPA business, or drop `ccpa` from the regimes if none applies.\n\n```yaml\norganization:\n  name: Example Shop, Inc.\n  establishments: [US-CA]\n  annual_gross_revenue_usd: 40000000\n  ca_consumers_per_year: 250000\n  revenue_share_sell_share: 0\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let Some(o) = &m.organization else {
        return;
    };
    let org = &o.value;
    let revenue = org.annual_gross_revenue_usd.as_ref().map(|v| v.value);
    let consumers = org.ca_consumers_per_year.as_ref().map(|v| v.value);
    let share = org.revenue_share_sell_share.as_ref().map(|v| v.value);
    if revenue.is_some_and(|v| v >= REVENUE_USD)
        || consumers.is_some_and(|v| v >= CONSUMERS)
        || share.is_some_and(|v| v >= SHARE_PERCENT)
    {
        return;
    }
    let missing: Vec<&str> = [
        ("`annual_gross_revenue_usd`", revenue.is_none()),
        ("`ca_consumers_per_year`", consumers.is_none()),
        ("`revenue_share_sell_share`", share.is_none()),
    ]
    .into_iter()
    .filter(|(_, m)| *m)
    .map(|(k, _)| k)
    .collect();
    let tail = if missing.is_empty() {
        "all three are declared and none is met, so the organisation may not be a CCPA business"
            .to_string()
    } else {
        format!("missing: {}", missing.join(", "))
    };
    let d = out
        .at(
            org.name.span,
            "no CCPA business threshold declared as met",
            format!(
                "the CCPA applies to `{}` by its California facts, but none of the 1798.140(d)(1) thresholds ($26,625,000 revenue, 100,000 consumers or households, 50% of revenue from selling or sharing) is declared as met; {tail}",
                org.name.value
            ),
        )
        .with_target("organization".to_string());
    out.push(d);
}
