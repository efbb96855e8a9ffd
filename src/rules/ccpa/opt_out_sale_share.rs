//! CCPA-1798.120-OPT-OUT-SALE-SHARE: a business that sells or shares personal information
//! lets consumers opt out through at least two methods (an opt-out preference signal among
//! them when it collects online), stops the sale or sharing within 15 business days, tells
//! the third parties, and waits 12 months before asking again.
//!
//! Also holds the facts the other opt-out rules share: which flows are a sale or sharing,
//! whether the business collects online, and where organisation-level findings point.

use crate::manifest::Duration;
use crate::manifest::types::{RegimeName, RequestChannel, RightKind};
use crate::manifest::yaml::Span;
use crate::model::Model;
use crate::report::Severity;
use crate::rules::facts::{flow_name, flow_target, is_true};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-1798.120-OPT-OUT-SALE-SHARE",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.120(a), (b), (d); 1798.135(c)(4); 11 CCR 7026",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.120",
    default_severity: Severity::Error,
    summary: "A sale or sharing of personal information does not stop when the consumer opts out, or the opt-out is hard to use, slow, or not passed on",
    explanation: "A California consumer may tell a business at any time to stop selling or sharing their personal information, and the business must then stop (Cal. Civ. Code 1798.120(a), (d)). The business must offer at least two ways to opt out, and a business that interacts with consumers online must treat an opt-out preference signal such as Global Privacy Control as one of them (11 CCR 7026(a)). It must stop selling and sharing as soon as feasibly possible and no later than 15 business days after the request, and tell the third parties to which it sold or shared the information after the request and before it took effect to stop as well (7026(f)). Having received an opt-out, it must wait at least 12 months before asking the consumer to opt back in (1798.135(c)(4)).\n\nlawful looks at every flow with `sale: true` or `share: true` and reports:\n\n- a flow that does not declare `honours_opt_out: true`;\n- a `rights.opt_out_sale_share` handler with fewer than two methods (its `channels`, counting an honoured `organization.optout.gpc` as one);\n- no `organization.optout.notifies_third_parties: true`;\n- an `organization.optout.reask_after` shorter than 12 months.\n\nThree neighbouring checks live in their own rules, so that each gap is reported once: a missing `rights.opt_out_sale_share` handler (CCPA-1798.105-125-RIGHTS-COVERAGE), its deadline (CCPA-1798.130-RESPONSE-DEADLINES) and Global Privacy Control (CCPA-7025-OPT-OUT-PREFERENCE-SIGNAL).\n\nNot yet checked: whether the opt-out also covers the consumer's pseudonymous profiles and later sales, and whether the business asks for more information than it needs to process the request (7026(c)–(d)).",
    fix: "Make every sale or sharing stop for consumers who opted out, offer at least two opt-out methods, tell the third parties, and wait 12 months before asking again.\n\n```yaml\norganization:\n  name: Example Shop, Inc.\n  establishments: [US-CA]\n  website: https://shop.example.com\n  optout:\n    dnss_link: https://shop.example.com/do-not-sell\n    gpc: { honoured: true, displays_status: true }\n    notifies_third_parties: true\n    reask_after: P12M\nrights:\n  opt_out_sale_share:\n    sla: 15 business days\n    channels: [web_form, toll_free_phone, gpc]\nflows:\n  - from: web_events\n    to: ad_network\n    purposes: [advertising]\n    sale: false\n    share: true\n    honours_opt_out: true\n```",
    check,
};

/// The flows that are a sale or sharing (`sale: true` or `share: true`), each with the span
/// of the first of those two flags that is true, in manifest order.
pub fn sale_share_flows(m: &Model) -> Vec<(usize, Span)> {
    m.flows
        .iter()
        .enumerate()
        .filter_map(|(fi, f)| {
            [&f.decl.sale, &f.decl.share]
                .into_iter()
                .flatten()
                .find(|b| b.value)
                .map(|b| (fi, b.span))
        })
        .collect()
}

/// Collection points that are online.
const ONLINE: &[&str] = &["web", "app", "mini_program"];

/// Whether the business collects personal information online, with where the manifest
/// says so and why: an `organization.website`, or a consent or notice collected on the
/// `web`, in an `app` or a `mini_program`. `None` when nothing says so.
pub fn online_collection(m: &Model) -> Option<(Span, String)> {
    if let Some(o) = &m.organization
        && let Some(w) = &o.value.website
    {
        return Some((o.value.name.span, format!("has a website ({w})")));
    }
    let online = |chs: &[String]| chs.iter().find(|c| ONLINE.contains(&c.as_str())).cloned();
    for c in &m.consents {
        if let Some(ch) = online(&c.decl.channels) {
            return Some((c.id.span, format!("consent collected online (`{ch}`)")));
        }
    }
    for n in &m.notices {
        if let Some(ch) = online(&n.decl.value.channels) {
            return Some((n.id.span, format!("notice shown online (`{ch}`)")));
        }
    }
    None
}

/// Where an organisation-level opt-out finding points: `organization.optout` when declared,
/// else the organisation's name, else the reason the CCPA applies.
pub fn optout_anchor(m: &Model) -> Span {
    if let Some(o) = &m.organization {
        if let Some(opt) = &o.value.optout {
            return opt.span;
        }
        return o.value.name.span;
    }
    m.regimes
        .iter()
        .find(|r| r.regime == RegimeName::Ccpa)
        .map(|r| r.span)
        .unwrap_or_default()
}

/// The shortest wait before asking a consumer who opted out to opt back in
/// (1798.135(c)(4)).
const REASK_MONTHS: &str = "P12M";

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let flows = sale_share_flows(m);
    let Some(&(_, first_span)) = flows.first() else {
        return;
    };
    for &(fi, span) in &flows {
        let f = &m.flows[fi].decl;
        if is_true(&f.honours_opt_out) {
            continue;
        }
        let (at, label, also) = match &f.honours_opt_out {
            Some(h) => (h.span, "does not honour opt-outs", span),
            None => (span, "no `honours_opt_out: true`", Span::NONE),
        };
        let d = out
            .at(
                at,
                label,
                format!(
                    "{} sells or shares personal information but does not stop for consumers who opted out: make it conditional on the opt-out and declare `honours_opt_out: true` (1798.120(a), (d))",
                    flow_name(m, fi)
                ),
            )
            .with_secondary(also, "a sale or sharing")
            .with_target(flow_target(m, fi));
        out.push(d);
    }

    let optout = m
        .organization
        .as_ref()
        .and_then(|o| o.value.optout.as_ref());
    let gpc = optout.and_then(|o| o.value.gpc.as_ref());
    let gpc_honoured = gpc.is_some_and(|g| g.value.honoured.value);
    let handler = m
        .rights
        .as_ref()
        .and_then(|r| r.handler(RightKind::OptOutSaleShare));
    if let Some(h) = handler {
        {
            let mut methods: Vec<RequestChannel> = Vec::new();
            for c in &h.value.channels {
                if !methods.contains(&c.value) {
                    methods.push(c.value);
                }
            }
            if gpc_honoured && !methods.contains(&RequestChannel::Gpc) {
                methods.push(RequestChannel::Gpc);
            }
            if methods.len() < 2 {
                let d = out
                    .at(
                        h.span,
                        match methods.len() {
                            0 => "no opt-out method",
                            _ => "one opt-out method",
                        },
                        format!(
                            "consumers can opt out of sale and sharing in {}; offer at least two methods in `rights.opt_out_sale_share.channels` (11 CCR 7026(a))",
                            match methods.len() {
                                0 => "no declared way",
                                _ => "only one way",
                            }
                        ),
                    )
                    .with_target("rights.opt_out_sale_share");
                out.push(d);
            }
        }
    }

    let notifies = optout.and_then(|o| o.value.notifies_third_parties.as_ref());
    if !notifies.is_some_and(|b| b.value) {
        let at = notifies.map(|b| b.span).unwrap_or_else(|| optout_anchor(m));
        let d = out
            .at(
                at,
                match notifies {
                    Some(_) => "third parties are not told",
                    None => "no `notifies_third_parties: true`",
                },
                "the business sells or shares personal information but does not say that it tells the third parties which received it after an opt-out to stop selling or sharing it: set `organization.optout.notifies_third_parties: true` (11 CCR 7026(f)(2))",
            )
            .with_secondary(first_span, "a sale or sharing")
            .with_target("organization.optout.notifies_third_parties");
        out.push(d);
    }

    if let Some(reask) = optout.and_then(|o| o.value.reask_after.as_ref()) {
        let min = Duration::parse(REASK_MONTHS).expect("constant duration");
        // A day of slack so that `P365D` counts as twelve months.
        if reask.value.approx_seconds() + 86_400.0 < min.approx_seconds() {
            let d = out
                .at(
                    reask.span,
                    "shorter than 12 months",
                    format!(
                        "the business may ask consumers who opted out to opt back in after {}; it must wait at least 12 months (1798.135(c)(4)): set `organization.optout.reask_after: P12M` or longer",
                        reask.value
                    ),
                )
                .with_target("organization.optout.reask_after");
            out.push(d);
        }
    }
}
