//! The JSON report (`lawful check --format json`), a stable shape for machines:
//!
//! ```json
//! { "version": 1,
//!   "regimes": [{ "regime": "gdpr", "applies": true, "reason": "…" }],
//!   "summary": { "errors": 1, "warnings": 0, "infos": 0, "suppressed": 0, "baselined": 0 },
//!   "findings": [{ "rule": "GDPR-ART6-LAWFUL-BASIS", "severity": "error", "message": "…",
//!                  "article": "…", "url": "…", "fix": "…", "target": "purposes.x",
//!                  "location": { "file": "purposes.yaml", "line": 3, "column": 3,
//!                                "end_line": 3, "end_column": 9 },
//!                  "label": "…", "related": [{ "message": "…", "location": {…} }],
//!                  "suppressed": null, "fingerprint": "9f1c…" }] }
//! ```

use serde::Serialize;

use crate::manifest::source::SourceMap;
use crate::model::RegimeScope;
use crate::report::{Diagnostic, Location, locate};

#[derive(Serialize)]
struct Report<'a> {
    version: u32,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    regimes: Vec<RegimeOut<'a>>,
    summary: Summary,
    findings: Vec<FindingOut<'a>>,
}

#[derive(Serialize)]
struct RegimeOut<'a> {
    regime: &'static str,
    applies: bool,
    reason: &'a str,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    suppressed: usize,
    baselined: usize,
}

#[derive(Serialize)]
struct FindingOut<'a> {
    rule: &'a str,
    severity: &'static str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    article: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target: Option<&'a str>,
    location: Option<Location>,
    #[serde(skip_serializing_if = "Option::is_none")]
    label: Option<&'a str>,
    related: Vec<Related<'a>>,
    suppressed: Option<&'a str>,
    fingerprint: String,
}

#[derive(Serialize)]
struct Related<'a> {
    message: &'a str,
    location: Option<Location>,
}

/// Render findings (or load errors) and the regimes in scope as pretty JSON.
pub fn render(findings: &[Diagnostic], regimes: &[RegimeScope], sources: &SourceMap) -> String {
    use crate::report::Severity::*;
    let live = |s| {
        findings
            .iter()
            .filter(|d| d.suppressed.is_none() && d.severity == s)
            .count()
    };
    let report = Report {
        version: 1,
        regimes: regimes
            .iter()
            .map(|r| RegimeOut {
                regime: r.regime.key(),
                applies: r.applies,
                reason: &r.reason,
            })
            .collect(),
        summary: Summary {
            errors: live(Error),
            warnings: live(Warning),
            infos: live(Info),
            suppressed: findings
                .iter()
                .filter(|d| d.suppressed.is_some() && !d.baselined)
                .count(),
            baselined: findings.iter().filter(|d| d.baselined).count(),
        },
        findings: findings
            .iter()
            .zip(crate::report::baseline::fingerprints(findings, sources))
            .map(|(d, fingerprint)| FindingOut {
                rule: &d.code,
                severity: d.severity.as_str(),
                message: &d.message,
                article: d.article,
                url: d.url,
                fix: d.help.as_deref(),
                target: d.target.as_deref(),
                location: d.primary.as_ref().and_then(|l| locate(sources, l.span)),
                label: d.primary.as_ref().map(|l| l.text.as_str()),
                related: d
                    .secondary
                    .iter()
                    .map(|l| Related {
                        message: &l.text,
                        location: locate(sources, l.span),
                    })
                    .collect(),
                suppressed: d.suppressed.as_deref(),
                fingerprint,
            })
            .collect(),
    };
    let mut s = serde_json::to_string_pretty(&report).expect("report serializes");
    s.push('\n');
    s
}
