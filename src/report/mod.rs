//! Findings and diagnostics, and the renderers that turn them into human and machine
//! reports. Renderers only format: every fact they print is computed before.

pub mod baseline;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

use serde::Serialize;

use crate::manifest::source::SourceMap;
use crate::manifest::yaml::Span;

/// Severity of a finding. Ordered: `Info < Warning < Error`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

/// A labelled place in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub text: String,
}

impl Label {
    pub fn new(span: Span, text: impl Into<String>) -> Label {
        Label {
            span,
            text: text.into(),
        }
    }
}

/// One finding of a rule, or one problem reading the project.
///
/// `code` is the rule id (`GDPR-ART6-LAWFUL-BASIS`) or, for problems reading the project,
/// a `load::` or `resolve::` code. `target` names the declaration (`purposes.marketing`)
/// that suppressions match.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub message: String,
    pub primary: Option<Label>,
    pub secondary: Vec<Label>,
    pub help: Option<String>,
    /// The article or section the finding rests on.
    pub article: Option<&'static str>,
    /// Link to the official text.
    pub url: Option<&'static str>,
    pub target: Option<String>,
    /// The reason of the suppression that matched, if any.
    pub suppressed: Option<String>,
    /// The finding is in the baseline given with `--baseline` (and so also `suppressed`).
    pub baselined: bool,
}

impl Diagnostic {
    pub fn new(code: impl Into<String>, severity: Severity, message: impl Into<String>) -> Self {
        Diagnostic {
            code: code.into(),
            severity,
            message: message.into(),
            primary: None,
            secondary: Vec::new(),
            help: None,
            article: None,
            url: None,
            target: None,
            suppressed: None,
            baselined: false,
        }
    }
    pub fn error(code: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic::new(code, Severity::Error, message)
    }
    pub fn with_primary(mut self, l: Label) -> Self {
        self.primary = Some(l);
        self
    }
    pub fn at(self, span: Span, text: impl Into<String>) -> Self {
        self.with_primary(Label::new(span, text))
    }
    pub fn with_secondary(mut self, span: Span, text: impl Into<String>) -> Self {
        if !span.is_none() {
            self.secondary.push(Label::new(span, text));
        }
        self
    }
    pub fn with_help(mut self, h: impl Into<String>) -> Self {
        self.help = Some(h.into());
        self
    }
    pub fn with_target(mut self, t: impl Into<String>) -> Self {
        self.target = Some(t.into());
        self
    }
    /// Order of reports: by file, position, then code.
    pub fn sort_key(&self) -> (u32, u32, &str, &str) {
        let s = self.primary.as_ref().map(|l| l.span).unwrap_or(Span::NONE);
        (s.file.0, s.start, &self.code, &self.message)
    }
}

/// A project that could not be read: the diagnostics, and the sources they point into.
#[derive(Debug, Default)]
pub struct Failure {
    pub sources: SourceMap,
    pub diagnostics: Vec<Diagnostic>,
}

/// A located position for machine formats: file, 1-based line and column of start and end.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Location {
    pub file: String,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
}

/// Where a span is, for machine formats.
pub fn locate(sources: &SourceMap, span: Span) -> Option<Location> {
    let (file, line, column) = sources.locate(span)?;
    let (end_line, end_column) = sources.locate_end(span)?;
    Some(Location {
        file: file.to_string(),
        line,
        column,
        end_line,
        end_column,
    })
}
