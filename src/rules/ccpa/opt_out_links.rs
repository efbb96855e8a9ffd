//! CCPA-1798.135-OPT-OUT-LINKS: a business that sells or shares publishes "Do Not Sell or
//! Share My Personal Information", one that uses sensitive personal information beyond
//! 11 CCR 7027(m) publishes "Limit the Use of My Sensitive Personal Information", or either
//! publishes the Alternative Opt-out Link instead.

use crate::manifest::types::{RegimeName, SpiUse};
use crate::report::Severity;
use crate::rules::ccpa::opt_out_sale_share::{optout_anchor, sale_share_flows};
use crate::rules::facts::{flow_name, list_ids};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-1798.135-OPT-OUT-LINKS",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.135(a)–(b); 11 CCR 7013–7015",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.135",
    default_severity: Severity::Error,
    summary: "The business sells, shares or uses sensitive personal information beyond the permitted purposes but publishes no opt-out or limit link",
    explanation: "A business that sells or shares personal information must put a clear and conspicuous link titled exactly \"Do Not Sell or Share My Personal Information\" on its homepage, leading to a way to opt out (Cal. Civ. Code 1798.135(a)(1); 11 CCR 7013). A business that uses or discloses sensitive personal information beyond the purposes listed in 11 CCR 7027(m) must likewise offer a link titled \"Limit the Use of My Sensitive Personal Information\" (1798.135(a)(2); 7014). Instead of the two links it may publish a single Alternative Opt-out Link titled \"Your Privacy Choices\" or \"Your California Privacy Choices\", shown with the opt-out icon of 11 CCR 7015(b), that leads to a page where the consumer can do both (1798.135(a)(3); 7015).\n\nlawful reports a business with a flow that has `sale: true` or `share: true` and neither `organization.optout.dnss_link` nor `organization.optout.alternative_link`, and a business with a purpose whose `ccpa_spi_use` is `beyond_permitted` and neither `organization.optout.limit_link` nor `organization.optout.alternative_link`. It does not check the link texts: generated pages should use the titles above word for word.\n\nThe statute lets a business skip the links if it processes opt-out preference signals in a frictionless manner that meets the regulations (1798.135(b)). Whether a given setup qualifies is unsettled enough that lawful does not infer it: if your counsel signs off on it, suppress the finding with that reason.\n\nNot yet checked: the notice of the right to opt out and the notice of the right to limit (7013(e), 7014(e)), and where on the site the links appear.",
    fix: "Publish the \"Do Not Sell or Share My Personal Information\" link (and \"Limit the Use of My Sensitive Personal Information\" when it applies), or the single \"Your Privacy Choices\" link with the 7015 icon, and record their addresses.\n\n```yaml\norganization:\n  name: Example Shop, Inc.\n  establishments: [US-CA]\n  website: https://shop.example.com\n  optout:\n    dnss_link: https://shop.example.com/do-not-sell-or-share\n    limit_link: https://shop.example.com/limit-sensitive\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let optout = m
        .organization
        .as_ref()
        .and_then(|o| o.value.optout.as_ref());
    let has = |f: fn(&crate::manifest::types::OptOut) -> bool| optout.is_some_and(|o| f(&o.value));
    let alternative = has(|o| o.alternative_link.is_some());

    let flows = sale_share_flows(m);
    if let Some(&(first, span)) = flows.first()
        && !alternative
        && !has(|o| o.dnss_link.is_some())
    {
        let d = out
            .at(
                optout_anchor(m),
                "no `dnss_link` or `alternative_link`",
                format!(
                    "the business sells or shares personal information ({}{}) but publishes no \"Do Not Sell or Share My Personal Information\" link: add `organization.optout.dnss_link`, or `alternative_link` for the \"Your Privacy Choices\" link (1798.135(a)(1), (a)(3))",
                    flow_name(m, first),
                    match flows.len() {
                        1 => String::new(),
                        n => format!(" and {} more", n - 1),
                    }
                ),
            )
            .with_secondary(span, "a sale or sharing")
            .with_target("organization.optout.dnss_link");
        out.push(d);
    }

    let beyond: Vec<_> = m
        .purposes
        .iter()
        .filter_map(|p| {
            p.decl
                .ccpa_spi_use
                .as_ref()
                .filter(|u| u.value == SpiUse::BeyondPermitted)
                .map(|u| (p, u.span))
        })
        .collect();
    if let Some(&(_, span)) = beyond.first()
        && !alternative
        && !has(|o| o.limit_link.is_some())
    {
        let d = out
            .at(
                optout_anchor(m),
                "no `limit_link` or `alternative_link`",
                format!(
                    "the business uses sensitive personal information beyond the purposes of 11 CCR 7027(m) ({} {}) but publishes no \"Limit the Use of My Sensitive Personal Information\" link: add `organization.optout.limit_link`, or `alternative_link` for the \"Your Privacy Choices\" link (1798.135(a)(2), (a)(3))",
                    if beyond.len() == 1 { "purpose" } else { "purposes" },
                    list_ids(beyond.iter().map(|(p, _)| p.id.value.as_str()), 4)
                ),
            )
            .with_secondary(span, "used beyond the permitted purposes")
            .with_target("organization.optout.limit_link");
        out.push(d);
    }
}
