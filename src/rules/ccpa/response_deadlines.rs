//! CCPA-1798.130-RESPONSE-DEADLINES: the handlers of requests to know, delete, correct and
//! port confirm receipt within 10 business days and answer within 45 days (plus at most 45
//! more); opt-out and limit requests take effect within 15 business days. Every bound comes
//! from the rights table (src/reference/rights.tsv).

use crate::manifest::Deadline;
use crate::manifest::types::{RegimeName, RightHandler, RightKind};
use crate::manifest::yaml::Sp;
use crate::reference::rights::{RightLimit, limit};
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-1798.130-RESPONSE-DEADLINES",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.130(a)(2); 11 CCR 7021, 7026(f), 7027(g)",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.130",
    default_severity: Severity::Error,
    summary: "A CCPA request handler confirms or answers later than the law allows, or does not say when",
    explanation: "A business must confirm receipt of a request to know, delete or correct within 10 business days and tell the consumer how it will process it (11 CCR 7021(a)). It must answer within 45 calendar days of receipt; when reasonably necessary it may take 45 more, 90 in all, if it tells the consumer of the extension and the reasons within the first 45 days (Cal. Civ. Code 1798.130(a)(2); 7021(b)). Requests to opt out of sale and sharing, and to limit the use of sensitive personal information, must take effect as soon as feasibly possible and no later than 15 business days after receipt (11 CCR 7026(f), 7027(g)).\n\nFor the `access`, `erasure`, `rectification` and `portability` handlers under `rights:`, lawful reports a `confirm_within` that is missing or longer than 10 business days, an `sla` that is missing or longer than 45 days, an `extension` longer than 45 days, and a `notify_extension_within` later than the first 45 days. For `opt_out_sale_share` and `limit_spi` it reports an `sla` longer than 15 business days. A deadline in calendar days is compared with one in business days by its longest possible span, so `P21D` fits within 15 business days and `P22D` does not. The bounds come from lawful's rights table; a bound the table marks as resting on a single secondary source (the 15 business days) is reported as a warning.\n\nNot yet checked: that the handlers' answers cover the 12 months before the request, and the verification steps that may pause the clock (7060–7062).",
    fix: "Set each handler's deadlines within the CCPA bounds.\n\n```yaml\nrights:\n  access:\n    confirm_within: 10 business days\n    sla: P45D\n    extension: P45D\n    notify_extension_within: P45D\n  opt_out_sale_share:\n    sla: 15 business days\n```",
    check,
};

/// Handlers answering requests to know, delete, correct and port: confirm and answer.
const ANSWERED: [RightKind; 4] = [
    RightKind::Access,
    RightKind::Erasure,
    RightKind::Rectification,
    RightKind::Portability,
];

/// Handlers of opt-out and limit requests: only the time to take effect.
const TAKE_EFFECT: [RightKind; 2] = [RightKind::OptOutSaleShare, RightKind::LimitSpi];

fn check(cx: &Context, out: &mut Findings) {
    let Some(rights) = &cx.model.rights else {
        return;
    };
    for k in ANSWERED {
        let (Some(h), Some(lim)) = (rights.handler(k), limit(RegimeName::Ccpa, k)) else {
            continue;
        };
        let hv = &h.value;
        bound(
            out,
            k,
            h,
            lim,
            "confirm_within",
            &hv.confirm_within,
            lim.confirm.as_ref(),
            true,
            "confirm receipt within",
        );
        bound(
            out,
            k,
            h,
            lim,
            "sla",
            &hv.sla,
            lim.sla.as_ref(),
            true,
            "answer within",
        );
        bound(
            out,
            k,
            h,
            lim,
            "extension",
            &hv.extension,
            lim.extension.as_ref(),
            false,
            "extend the deadline by at most",
        );
        bound(
            out,
            k,
            h,
            lim,
            "notify_extension_within",
            &hv.notify_extension_within,
            lim.notify.as_ref(),
            false,
            "announce an extension within",
        );
    }
    for k in TAKE_EFFECT {
        let (Some(h), Some(lim)) = (rights.handler(k), limit(RegimeName::Ccpa, k)) else {
            continue;
        };
        bound(
            out,
            k,
            h,
            lim,
            "sla",
            &h.value.sla,
            lim.sla.as_ref(),
            false,
            "act on the request within",
        );
    }
}

/// A deadline in words: `45 days`, `15 business days`.
fn words(d: &Deadline) -> String {
    match d {
        Deadline::Calendar(c) => c.to_english(),
        Deadline::BusinessDays(_) => d.to_string(),
    }
}

/// Report `key` of handler `k` when it is later than `max`, or missing and `required`.
#[allow(clippy::too_many_arguments)]
fn bound(
    out: &mut Findings,
    k: RightKind,
    h: &Sp<RightHandler>,
    lim: &RightLimit,
    key: &str,
    value: &Option<Sp<Deadline>>,
    max: Option<&Deadline>,
    required: bool,
    what: &str,
) {
    let Some(max) = max else { return };
    let path = format!("rights.{}.{key}", k.key());
    let mut d = match value {
        Some(v) if !v.value.within(max) => out.at(
            v.span,
            format!("may be later than {}", words(max)),
            format!(
                "`{path}` is {}, but the business must {what} {} ({})",
                v.value,
                words(max),
                lim.article
            ),
        ),
        None if required => out.at(
            h.span,
            format!("no `{key}`"),
            format!(
                "`rights.{}` has no `{key}`: add `{key}: {max}` or shorter; the business must {what} {} ({})",
                k.key(),
                words(max),
                lim.article
            ),
        ),
        _ => return,
    };
    if matches!(lim.mark, "S" | "?") {
        d.severity = Severity::Warning;
    }
    out.push(d.with_target(path));
}
