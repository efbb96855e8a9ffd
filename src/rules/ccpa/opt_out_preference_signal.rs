//! CCPA-7025-OPT-OUT-PREFERENCE-SIGNAL: a business that sells or shares and collects
//! online treats an opt-out preference signal such as Global Privacy Control as a valid
//! opt-out and, from 2026, shows whether it processed the signal.

use crate::manifest::Date;
use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::ccpa::opt_out_sale_share::{online_collection, optout_anchor, sale_share_flows};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-7025-OPT-OUT-PREFERENCE-SIGNAL",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.135(b), (e); 11 CCR 7025",
    url: "https://cppa.ca.gov/regulations/",
    default_severity: Severity::Error,
    summary: "A business that sells or shares online does not honour the Global Privacy Control signal, or does not show that it did",
    explanation: "A business that sells or shares personal information and interacts with consumers online must treat an opt-out preference signal as a valid request to opt out of sale and sharing (Cal. Civ. Code 1798.135(b), (e); 11 CCR 7025(b)). Global Privacy Control is such a signal: browsers and extensions send the `Sec-GPC: 1` HTTP header and expose `navigator.globalPrivacyControl`. The opt-out covers the browser or device, any consumer profile associated with it, including pseudonymous ones, and the consumer if known (7025(c)(1)). From 1 January 2026 the business must also display whether it has processed the signal, for example \"Opt-Out Request Honored\" (7025(c)(6)).\n\nlawful reports a business with a flow that has `sale: true` or `share: true` and that collects online (an `organization.website`, or a consent or notice collected on the `web`, in an `app` or a `mini_program`) when `organization.optout.gpc` is missing or its `honoured` is not `true`, and, from 1 January 2026, when `displays_status` is not `true`.\n\nNot yet checked: whether the signal is applied to pseudonymous profiles and to the known consumer, and whether the business asks a consumer whose signal conflicts with a setting they chose before (7025(c)(3)). Watch: AB 566 (2025) requires browsers to offer such a signal from 2027.",
    fix: "Honour the `Sec-GPC` header server-side as an opt-out of sale and sharing, show the consumer that it was honoured, and declare both.\n\n```yaml\norganization:\n  name: Example Shop, Inc.\n  establishments: [US-CA]\n  website: https://shop.example.com\n  optout:\n    dnss_link: https://shop.example.com/do-not-sell-or-share\n    gpc: { honoured: true, displays_status: true }\n```",
    check,
};

/// 11 CCR 7025(c)(6), displaying the status of the signal, applies from this date.
const DISPLAY_FROM: &str = "2026-01-01";

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let flows = sale_share_flows(m);
    let Some(&(_, sale_span)) = flows.first() else {
        return;
    };
    let Some((online_span, why)) = online_collection(m) else {
        return;
    };
    let display_due = cx.today >= Date::parse(DISPLAY_FROM).expect("constant date");
    let gpc = m
        .organization
        .as_ref()
        .and_then(|o| o.value.optout.as_ref())
        .and_then(|o| o.value.gpc.as_ref());
    let Some(gpc) = gpc else {
        let d = out
            .at(
                optout_anchor(m),
                "no `gpc`",
                format!(
                    "the business sells or shares personal information and collects it online, but does not say that it honours opt-out preference signals such as Global Privacy Control: add `organization.optout.gpc: {{ honoured: true{} }}` (11 CCR 7025(b))",
                    if display_due {
                        ", displays_status: true"
                    } else {
                        ""
                    }
                ),
            )
            .with_secondary(online_span, why)
            .with_secondary(sale_span, "a sale or sharing")
            .with_target("organization.optout.gpc");
        out.push(d);
        return;
    };
    let g = &gpc.value;
    if !g.honoured.value {
        let at = if g.honoured.span.is_none() {
            gpc.span
        } else {
            g.honoured.span
        };
        let d = out
            .at(
                at,
                "signal not honoured",
                "the business sells or shares personal information and collects it online, but does not treat an opt-out preference signal such as Global Privacy Control as a valid opt-out: set `organization.optout.gpc.honoured: true` and honour the `Sec-GPC` header (11 CCR 7025(b))",
            )
            .with_secondary(online_span, why.clone())
            .with_secondary(sale_span, "a sale or sharing")
            .with_target("organization.optout.gpc.honoured");
        out.push(d);
    }
    if display_due && !g.displays_status.value {
        let at = if g.displays_status.span.is_none() {
            gpc.span
        } else {
            g.displays_status.span
        };
        let d = out
            .at(
                at,
                "status not displayed",
                "the business does not show consumers whether it processed their opt-out preference signal, which 11 CCR 7025(c)(6) requires from 1 January 2026: display a status such as \"Opt-Out Request Honored\" and set `organization.optout.gpc.displays_status: true`",
            )
            .with_secondary(online_span, why)
            .with_target("organization.optout.gpc.displays_status");
        out.push(d);
    }
}
