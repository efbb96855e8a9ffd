//! CCPA-1798.105-125-RIGHTS-COVERAGE: every CCPA consumer right has a handler, deletion is
//! passed on to the recipients, and requests can be made through the methods 1798.130(a)(1)
//! requires.

use crate::manifest::types::{RegimeName, RequestChannel, RightKind, SpiUse};
use crate::manifest::yaml::Span;
use crate::model::{Model, NodeRef};
use crate::report::Severity;
use crate::rules::ccpa::opt_out_sale_share::sale_share_flows;
use crate::rules::facts::{flow_name, is_true, list_ids};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-1798.105-125-RIGHTS-COVERAGE",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.105, 106, 110, 115, 120, 121, 125, 130(a)(1); 11 CCR 7020–7028, 7063",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.130",
    default_severity: Severity::Error,
    summary: "A CCPA consumer right has no handler, deletion is not passed on to recipients, or the required request methods are missing",
    explanation: "California consumers have the right to know what personal information a business holds about them, in categories and in specific pieces (Cal. Civ. Code 1798.110, 115), to have it deleted (1798.105), to have it corrected (1798.106), to opt out of its sale and sharing (1798.120), to limit the use of their sensitive personal information (1798.121), and not to be treated worse for using these rights (1798.125). A business that deletes must also tell its service providers and contractors to delete, and the third parties to which it sold or shared the information, unless that proves impossible or involves disproportionate effort (1798.105(c)). It must offer two or more designated methods for requests to know, delete and correct, one of them a toll-free telephone number; a business that operates only online and has a direct relationship with its consumers needs only an email address; a business with a website must let consumers make requests through it (1798.130(a)(1)).\n\nlawful reports:\n\n- a missing handler under `rights:` for `access` (know), `erasure` (delete), `rectification` (correct) and `non_discrimination`; for `opt_out_sale_share` when a flow has `sale: true` or `share: true`; for `limit_spi` when a purpose's `ccpa_spi_use` is `beyond_permitted`. Without a `rights:` section, one finding lists them all;\n- an `erasure` handler without `propagates: true` while flows carry data to recipients;\n- request methods, the `channels` of the `access`, `erasure` and `rectification` handlers together, that number fewer than two, lack `toll_free_phone`, or lack `web_form` when `organization.website` is set; with `organization.online_only: true`, only a missing `email` is reported.\n\nNot yet checked: identity verification and authorised agents (11 CCR 7060–7063), and whether the right to know covers specific pieces as well as categories.",
    fix: "Declare a handler for each right, pass deletions on, and offer a toll-free number (or email, online only) and a web form.\n\n```yaml\nrights:\n  access: { sla: P45D, confirm_within: 10 business days, channels: [web_form, toll_free_phone] }\n  erasure: { sla: P45D, confirm_within: 10 business days, channels: [web_form, toll_free_phone], propagates: true }\n  rectification: { sla: P45D, confirm_within: 10 business days, channels: [web_form, toll_free_phone] }\n  opt_out_sale_share: { sla: 15 business days, channels: [web_form, gpc] }\n  non_discrimination: {}\n```",
    check,
};

/// The handlers whose channels serve requests to know, delete and correct (1798.130(a)(1)).
const REQUEST_RIGHTS: [RightKind; 3] = [
    RightKind::Access,
    RightKind::Erasure,
    RightKind::Rectification,
];

/// What each right is called in the CCPA.
fn ccpa_name(k: RightKind) -> &'static str {
    match k {
        RightKind::Access => "know (1798.110, 115)",
        RightKind::Erasure => "delete (1798.105)",
        RightKind::Rectification => "correct (1798.106)",
        RightKind::OptOutSaleShare => "opt out of sale and sharing (1798.120)",
        RightKind::LimitSpi => "limit the use of sensitive personal information (1798.121)",
        RightKind::NonDiscrimination => "non-discrimination (1798.125)",
        _ => "",
    }
}

/// The rights the business must handle, each with the span of what requires it when it
/// is conditional.
fn required(m: &Model) -> Vec<(RightKind, Option<(Span, &'static str)>)> {
    let mut v: Vec<(RightKind, Option<(Span, &'static str)>)> = vec![
        (RightKind::Access, None),
        (RightKind::Erasure, None),
        (RightKind::Rectification, None),
    ];
    if let Some(&(_, span)) = sale_share_flows(m).first() {
        v.push((
            RightKind::OptOutSaleShare,
            Some((span, "a sale or sharing")),
        ));
    }
    if let Some(u) = m.purposes.iter().find_map(|p| {
        p.decl
            .ccpa_spi_use
            .as_ref()
            .filter(|u| u.value == SpiUse::BeyondPermitted)
    }) {
        v.push((
            RightKind::LimitSpi,
            Some((u.span, "sensitive personal information used beyond 7027(m)")),
        ));
    }
    v.push((RightKind::NonDiscrimination, None));
    v
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let need = required(m);
    let Some(rights) = &m.rights else {
        let anchor = m
            .organization
            .as_ref()
            .map(|o| o.value.name.span)
            .or_else(|| {
                m.regimes
                    .iter()
                    .find(|r| r.regime == RegimeName::Ccpa)
                    .map(|r| r.span)
            })
            .unwrap_or_default();
        let keys = list_ids(need.iter().map(|(k, _)| k.key()), need.len());
        let mut d = out
            .at(
                anchor,
                "no `rights:` section",
                format!(
                    "the manifest declares no `rights:` section, so nothing shows how California consumers exercise their rights; add handlers for {} (1798.105–125, 130)",
                    keys
                ),
            )
            .with_target("rights");
        for (_, why) in need.iter().filter_map(|(k, w)| w.map(|w| (k, w))) {
            d = d.with_secondary(why.0, why.1);
        }
        out.push(d);
        return;
    };

    for (k, why) in &need {
        if rights.handler(*k).is_some() {
            continue;
        }
        let mut d = out
            .at(
                rights.decl.span,
                format!("`rights` has no `{}`", k.key()),
                format!(
                    "`rights:` has no `{}` handler for the right to {}",
                    k.key(),
                    ccpa_name(*k)
                ),
            )
            .with_target(format!("rights.{}", k.key()));
        if let Some((span, label)) = why {
            d = d.with_secondary(*span, *label);
        }
        out.push(d);
    }

    if let Some(h) = rights.handler(RightKind::Erasure)
        && !is_true(&h.value.propagates)
        && let Some(fi) = m
            .flows
            .iter()
            .position(|f| matches!(f.to, NodeRef::Recipient(_)))
    {
        let at = h
            .value
            .propagates
            .as_ref()
            .map(|p| p.span)
            .unwrap_or(h.span);
        let d = out
            .at(
                at,
                "deletion not passed on",
                "`rights.erasure` does not pass deletion requests on to the service providers, contractors and third parties that received the data: set `propagates: true` and notify them (1798.105(c))",
            )
            .with_secondary(
                m.flows[fi].decl.to.span,
                format!("{} discloses to a recipient", flow_name(m, fi)),
            )
            .with_target("rights.erasure.propagates");
        out.push(d);
    }

    // Request methods for know, delete and correct, together.
    let declared: Vec<_> = REQUEST_RIGHTS
        .iter()
        .filter_map(|&k| rights.handler(k))
        .collect();
    let Some(first) = declared.first() else {
        return;
    };
    let mut methods: Vec<RequestChannel> = Vec::new();
    for h in &declared {
        for c in &h.value.channels {
            if !methods.contains(&c.value) {
                methods.push(c.value);
            }
        }
    }
    let org = m.organization.as_ref().map(|o| &o.value);
    let online_only = org.is_some_and(|o| is_true(&o.online_only));
    let website = org.and_then(|o| o.website.as_deref());
    let mut missing: Vec<String> = Vec::new();
    if online_only {
        // 1798.130(a)(1)(A): an email address is all an online-only business must offer.
        if !methods.contains(&RequestChannel::Email) {
            missing.push("an email address (`email`), which is enough for a business that operates only online".into());
        }
    } else {
        if methods.len() < 2 {
            missing.push(format!(
                "at least two methods (there {} {})",
                if methods.len() == 1 { "is" } else { "are" },
                methods.len()
            ));
        }
        if !methods.contains(&RequestChannel::TollFreePhone) {
            missing.push("a toll-free telephone number (`toll_free_phone`)".into());
        }
        if let Some(w) = website
            && !methods.contains(&RequestChannel::WebForm)
        {
            missing.push(format!("a form on the website {w} (`web_form`)"));
        }
    }
    if !missing.is_empty() {
        let d = out
            .at(
                first.span,
                "request methods incomplete",
                format!(
                    "requests to know, delete and correct lack {}: add them to the `channels` of `rights.access`, `rights.erasure` and `rights.rectification` (1798.130(a)(1))",
                    missing.join("; ")
                ),
            )
            .with_target("rights");
        out.push(d);
    }
}
