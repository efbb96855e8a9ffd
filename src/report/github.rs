//! The GitHub Actions report (`lawful check --format github`): one workflow command per
//! unsuppressed finding, which GitHub shows as an annotation on the file and line, errors
//! first, then a plain summary line.
//!
//! ```text
//! ::error file=examples/sakila/purposes.yaml,line=3,col=5,endLine=3,endColumn=14,title=GDPR-ART6-LAWFUL-BASIS::purpose `marketing` has no lawful basis%0A%0Afix: …
//! ```

use crate::manifest::source::SourceMap;
use crate::report::{Diagnostic, Severity, locate};

/// Escape the message of a workflow command.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escape the value of a workflow command property (`file=`, `title=`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// One workflow command for a finding; `prefix` is what
/// [`crate::report::sarif::uri_prefix`] gives for the project folder.
pub fn annotation(d: &Diagnostic, sources: &SourceMap, prefix: &str) -> String {
    let mut props = Vec::new();
    if let Some(l) = d.primary.as_ref().and_then(|l| locate(sources, l.span)) {
        props.push(format!(
            "file={}",
            escape_property(&format!("{prefix}{}", l.file))
        ));
        props.push(format!("line={}", l.line));
        props.push(format!("col={}", l.column));
        props.push(format!("endLine={}", l.end_line));
        props.push(format!("endColumn={}", l.end_column));
    }
    props.push(format!("title={}", escape_property(&d.code)));
    let mut message = d.message.clone();
    if let Some(h) = &d.help {
        message.push_str("\n\nfix: ");
        message.push_str(h);
    }
    format!(
        "::{} {}::{}\n",
        command(d.severity),
        props.join(","),
        escape_data(&message)
    )
}

/// Render the unsuppressed findings (or problems reading the project) as workflow
/// commands, errors first and then by place, and a summary line.
pub fn render(findings: &[Diagnostic], sources: &SourceMap, prefix: &str) -> String {
    let mut live: Vec<&Diagnostic> = findings.iter().filter(|d| d.suppressed.is_none()).collect();
    live.sort_by(|a, b| {
        (std::cmp::Reverse(a.severity), a.sort_key())
            .cmp(&(std::cmp::Reverse(b.severity), b.sort_key()))
    });
    let mut out: String = live
        .iter()
        .map(|d| annotation(d, sources, prefix))
        .collect();
    let count = |s| live.iter().filter(|d| d.severity == s).count();
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    out.push_str(&format!(
        "lawful: {}, {}, {} ({} suppressed)\n",
        plural(count(Severity::Error), "error"),
        plural(count(Severity::Warning), "warning"),
        plural(count(Severity::Info), "info"),
        findings.len() - live.len()
    ));
    out
}
