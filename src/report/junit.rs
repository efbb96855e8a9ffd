//! The JUnit XML report (`lawful check --format junit`, `--junit-file PATH`), for CI
//! systems that show test results: one test suite `lawful`, one test case per rule that
//! ran (it passes when it has no unsuppressed finding), and one `<failure>` per finding.
//! Problems reading the project, and findings of lawful itself (a stale suppression), get
//! a test case named by their code.

use crate::manifest::source::SourceMap;
use crate::report::{Diagnostic, locate};
use crate::rules::Rule;

/// Escape text for XML 1.0 content and attribute values; characters XML 1.0 cannot hold
/// are dropped.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

fn failure(d: &Diagnostic, sources: &SourceMap, prefix: &str) -> String {
    let mut body = match d.primary.as_ref().and_then(|l| locate(sources, l.span)) {
        Some(l) => format!("{prefix}{}:{}:{}: ", l.file, l.line, l.column),
        None => String::new(),
    };
    body.push_str(&format!("{}: {}", d.severity.as_str(), d.message));
    if let Some(h) = &d.help {
        body.push_str("\nfix: ");
        body.push_str(h);
    }
    format!(
        "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
        escape(&d.message),
        escape(&d.code),
        escape(&body)
    )
}

/// Render the findings as JUnit XML. `ran` is the rules that ran, in order; `prefix` is
/// what [`crate::report::sarif::uri_prefix`] gives for the project folder.
pub fn render(findings: &[Diagnostic], ran: &[&Rule], sources: &SourceMap, prefix: &str) -> String {
    let live: Vec<&Diagnostic> = findings.iter().filter(|d| d.suppressed.is_none()).collect();
    let mut cases: Vec<(&str, String)> = ran
        .iter()
        .map(|r| (r.id, r.set.title().to_string()))
        .collect();
    for d in &live {
        if !cases.iter().any(|(id, _)| *id == d.code) {
            cases.push((&d.code, "lawful".to_string()));
        }
    }
    // JUnit counts failing test cases, not failure elements.
    let failures = cases
        .iter()
        .filter(|(id, _)| live.iter().any(|d| d.code == *id))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"lawful\" tests=\"{}\" failures=\"{failures}\" errors=\"0\">\n",
        cases.len()
    ));
    out.push_str(&format!(
        "  <testsuite name=\"lawful\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n",
        cases.len()
    ));
    for (id, set) in &cases {
        let mine: Vec<&&Diagnostic> = live.iter().filter(|d| d.code == *id).collect();
        let open = format!(
            "    <testcase name=\"{}\" classname=\"lawful.{}\"",
            escape(id),
            escape(set)
        );
        if mine.is_empty() {
            out.push_str(&open);
            out.push_str("/>\n");
        } else {
            out.push_str(&open);
            out.push_str(">\n");
            for d in mine {
                out.push_str(&failure(d, sources, prefix));
            }
            out.push_str("    </testcase>\n");
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}
