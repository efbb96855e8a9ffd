//! CCPA-7101-REQUEST-RECORDS: consumer requests and their answers are kept for at least 24
//! months, and a business handling the personal information of 10,000,000 or more
//! consumers a year publishes its request metrics.

use crate::manifest::types::RegimeName;
use crate::manifest::yaml::Span;
use crate::manifest::{Duration, Period};
use crate::report::Severity;
use crate::rules::ccpa::risk_assessment_7150::CPPA_REGULATIONS_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

/// 11 CCR 7102(a): the metrics duty starts at this many consumers a year.
pub const METRICS_CONSUMERS: u64 = 10_000_000;

pub static RULE: Rule = Rule {
    id: "CCPA-7101-REQUEST-RECORDS",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "11 CCR 7101, 7102",
    url: CPPA_REGULATIONS_URL,
    default_severity: Severity::Warning,
    summary: "Consumer requests are not recorded for 24 months, or a large business publishes no request metrics",
    explanation: "A business must keep records of the consumer requests it receives and of how it answered them for at least 24 months, and may keep them in a ticket or log format (11 CCR 7101(a)–(b)). The records serve to show compliance and may not be used for other purposes. A business that knows, or reasonably should know, that it buys, receives for a commercial purpose, sells or shares the personal information of 10,000,000 or more consumers in a calendar year must also compile metrics for the previous year (how many requests to know, delete, correct, opt out and limit it received, how many it complied with in whole or in part or denied, and the median or mean days to respond) and publish them by 1 July in its privacy policy or through a link in it (7102).\n\nlawful reports a project with no `rights.request_log`, and a `request_log.retention` shorter than 24 months (`indefinite` is accepted). When `organization.ca_consumers_per_year` is 10,000,000 or more, it also reports a `request_log` without `metrics_url`.\n\nNot yet checked: whether the log records each request's date, nature, channel and answer, and whether the metrics page is updated each year.",
    fix: "Keep a log of consumer requests for at least 24 months and, above 10,000,000 consumers a year, publish the yearly metrics.\n\n```yaml\nrights:\n  request_log:\n    retention: P24M\n    metrics_url: https://example.com/privacy#metrics\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let org = m.organization.as_ref();
    let log = m
        .rights
        .as_ref()
        .and_then(|r| r.decl.value.request_log.as_ref());
    let large = org
        .and_then(|o| o.value.ca_consumers_per_year.as_ref())
        .filter(|n| n.value >= METRICS_CONSUMERS);
    let Some(log) = log else {
        let span = m
            .rights
            .as_ref()
            .map(|r| r.decl.span)
            .or_else(|| org.map(|o| o.value.name.span))
            .or_else(|| m.purposes.first().map(|p| p.id.span))
            .unwrap_or(Span::NONE);
        let mut d = out
            .at(
                span,
                "no `request_log`",
                "the project declares no `rights.request_log`: records of consumer requests and how they were answered must be kept for at least 24 months (11 CCR 7101)",
            )
            .with_target("rights.request_log");
        if let Some(n) = large {
            d = d.with_secondary(
                n.span,
                "10,000,000 or more consumers: metrics must be published too (7102)",
            );
        }
        out.push(d);
        return;
    };
    let two_years = Duration {
        months: 24,
        ..Duration::default()
    };
    if let Period::Duration(r) = &log.value.retention.value
        && r.approx_seconds() < two_years.approx_seconds()
    {
        let d = out
            .at(
                log.value.retention.span,
                "shorter than 24 months",
                format!(
                    "request records are kept for {}, less than the 24 months 11 CCR 7101(a) requires; set `rights.request_log.retention` to at least `P24M`",
                    r.to_english()
                ),
            )
            .with_target("rights.request_log");
        out.push(d);
    }
    if let Some(n) = large
        && log.value.metrics_url.is_none()
    {
        let d = out
            .at(
                n.span,
                "10,000,000 or more consumers",
                format!(
                    "the business handles the personal information of {} California consumers a year, so it must publish the previous year's request metrics by 1 July (11 CCR 7102); add `rights.request_log.metrics_url`",
                    n.value
                ),
            )
            .with_secondary(log.span, "the request log, without `metrics_url`")
            .with_target("rights.request_log");
        out.push(d);
    }
}
