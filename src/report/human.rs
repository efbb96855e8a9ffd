//! The human report: miette's graphical diagnostics with the YAML source, labelled spans,
//! the rule id, its article and its fix.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};

mod plain;

use crate::manifest::source::{SourceFile, SourceMap};
use crate::manifest::yaml::Span;
use crate::report::{Diagnostic, Label, Severity};

/// A diagnostic prepared for miette: the labels of one file and, for labels in other files,
/// related diagnostics.
struct Rendered<'s> {
    message: String,
    code: String,
    severity: miette::Severity,
    help: Option<String>,
    url: Option<String>,
    source: Option<Source<'s>>,
    labels: Vec<LabeledSpan>,
    related: Vec<Rendered<'s>>,
}

/// A loaded file as miette reads it, borrowed rather than copied. miette finds a snippet's
/// lines by scanning its source from the first byte, which costs files × findings on a
/// large project; this reads from a few lines above the snippet instead (the file's line
/// index finds them), and gives miette's own answer, shifted back into the whole file.
struct Source<'s>(&'s SourceFile);

impl SourceCode for Source<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let f = self.0;
        // One line more than the context, so that miette's own scan finds the same start.
        let base = f
            .line_start_before(span.offset(), context_lines_before + 1)
            .filter(|&b| b <= span.offset() && f.text.is_char_boundary(b))
            .unwrap_or(0);
        let first_line = if base == 0 { 0 } else { f.line_index(base) };
        let window = SourceSpan::new((span.offset() - base).into(), span.len());
        let c = f.text.as_bytes()[base..].read_span(
            &window,
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(
            MietteSpanContents::new_named(
                f.name.clone(),
                c.data(),
                SourceSpan::new((c.span().offset() + base).into(), c.span().len()),
                c.line() + first_line,
                c.column(),
                c.line_count() + first_line,
            )
            .with_language("yaml"),
        ))
    }
}

impl fmt::Debug for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl fmt::Display for Rendered<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}
impl std::error::Error for Rendered<'_> {}

impl miette::Diagnostic for Rendered<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        if self.code.is_empty() {
            None
        } else {
            Some(Box::new(&self.code))
        }
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.url
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn miette::Diagnostic> + 'a>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(
                self.related.iter().map(|r| r as &dyn miette::Diagnostic),
            ))
        }
    }
}

fn miette_severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

/// The furthest column a snippet is drawn at: miette pads its underlines to the column, and
/// Rust's formatter refuses widths above 65,535 (a minified line would panic the report).
const MAX_SNIPPET_COLUMN: usize = 10_000;

/// A diagnostic with a place too far along its line to draw: its places, in words.
fn without_snippet<'s>(d: &Diagnostic, sources: &'s SourceMap) -> Rendered<'s> {
    let places: Vec<String> = d
        .primary
        .iter()
        .chain(&d.secondary)
        .filter_map(|l| {
            let (name, line, col) = sources.locate(l.span)?;
            Some(format!("{name}:{line}:{col}: {}", l.text))
        })
        .collect();
    let mut help = d.help.clone();
    if let Some(article) = d.article {
        help = Some(match help {
            Some(h) => format!("{h}\n(source: {article})"),
            None => format!("source: {article}"),
        });
    }
    Rendered {
        message: format!(
            "{}\n  at {} (the line is too long to show)",
            d.message,
            places.join("\n  and ")
        ),
        code: d.code.clone(),
        severity: miette_severity(d.severity),
        help,
        url: d.url.map(str::to_string),
        source: None,
        labels: Vec::new(),
        related: Vec::new(),
    }
}

fn prepare<'s>(d: &Diagnostic, sources: &'s SourceMap) -> Rendered<'s> {
    let too_far = d.primary.iter().chain(&d.secondary).any(|l| {
        sources
            .locate(l.span)
            .is_some_and(|(_, _, col)| col > MAX_SNIPPET_COLUMN)
    });
    if too_far {
        return without_snippet(d, sources);
    }
    let primary_file = d.primary.as_ref().map(|l| l.span.file);
    let mut labels = Vec::new();
    let mut related = Vec::new();
    let mut help = d.help.clone();
    if let Some(article) = d.article {
        help = Some(match help {
            Some(h) => format!("{h}\n(source: {article})"),
            None => format!("source: {article}"),
        });
    }
    if let Some(l) = &d.primary {
        labels.push(LabeledSpan::new_primary_with_span(
            Some(l.text.clone()),
            source_span(l.span),
        ));
    }
    let primary_start = d.primary.as_ref().map(|l| l.span.start).unwrap_or(0);
    for l in &d.secondary {
        // miette opens the snippet at its earliest label; a secondary label well above the
        // primary one would make the report's header point at the wrong place, so it goes
        // into a related snippet instead.
        let near = l.span.start >= primary_start
            || sources
                .get(l.span.file)
                .is_some_and(|f| f.line_col(primary_start).0 - f.line_col(l.span.start).0 <= 3);
        if Some(l.span.file) == primary_file && near {
            labels.push(LabeledSpan::new_with_span(
                Some(l.text.clone()),
                source_span(l.span),
            ));
        } else {
            related.push(secondary_elsewhere(l, sources));
        }
    }
    let source = primary_file.and_then(|f| sources.get(f)).map(Source);
    Rendered {
        message: d.message.clone(),
        code: d.code.clone(),
        severity: miette_severity(d.severity),
        help,
        url: d.url.map(str::to_string),
        source,
        labels,
        related,
    }
}

fn secondary_elsewhere<'s>(l: &Label, sources: &'s SourceMap) -> Rendered<'s> {
    let source = sources.get(l.span.file).map(Source);
    Rendered {
        message: l.text.clone(),
        code: String::new(),
        severity: miette::Severity::Advice,
        help: None,
        url: None,
        source,
        labels: vec![LabeledSpan::new_primary_with_span(
            Some("here".to_string()),
            source_span(l.span),
        )],
        related: Vec::new(),
    }
}

/// Render one diagnostic as miette prints it. `color` picks the colored theme.
pub fn render(d: &Diagnostic, sources: &SourceMap, color: bool) -> String {
    let r = prepare(d, sources);
    // Without colour, lawful draws the usual shapes itself, as miette would.
    let drawn = if color { None } else { plain::draw(&r) };
    let mut out = drawn.unwrap_or_else(|| {
        // Text written with spaces between words (English) is wrapped at spaces: the
        // Unicode line-breaking rules, which text without spaces (Chinese) needs, would
        // also cut paths at their slashes, and cost a third of drawing a finding. lawful's
        // own drawing picks per text; miette, which takes one word separator, per finding.
        let spaced = plain::spaced(&d.message)
            && d.help.as_ref().is_none_or(|h| plain::spaced(h))
            && d.article.is_none_or(plain::spaced)
            && d.primary
                .iter()
                .chain(&d.secondary)
                .all(|l| plain::spaced(&l.text));
        let mut out = String::new();
        if miette_handler(color, spaced)
            .render_report(&mut out, &r)
            .is_err()
        {
            out = format!("{}: {}\n", d.code, d.message);
        }
        out
    });
    // miette heads each related snippet with its severity on a line of its own
    // ("Advice: "); the snippet's own `☞` line already says what it is.
    if out.contains("\nAdvice: \n") {
        out = out.replace("\nAdvice: \n", "\n");
    }
    out
}

/// miette's graphical handler as lawful sets it: 100 columns, links as text, and text
/// wrapped at spaces when `spaced`.
fn miette_handler(color: bool, spaced: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    if spaced {
        handler.with_word_separator(textwrap::WordSeparator::AsciiSpace)
    } else {
        handler
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::NamedSource;

    /// lawful's drawing of `d`, checked against miette's bytes; `false` when lawful leaves
    /// it to miette. A finding whose texts differ in [`plain::spaced`] is drawn but not
    /// compared (miette wraps all of a finding's texts one way).
    fn drawn_as_miette_draws(d: &Diagnostic, sources: &SourceMap) -> bool {
        let r = prepare(d, sources);
        let Some(ours) = plain::draw(&r) else {
            return false;
        };
        let mut texts = vec![d.message.as_str()];
        texts.extend(d.help.as_deref());
        texts.extend(d.article);
        texts.extend(
            d.primary
                .iter()
                .chain(&d.secondary)
                .map(|l| l.text.as_str()),
        );
        let spaced = texts.iter().all(|t| plain::spaced(t));
        if spaced || texts.iter().all(|t| !plain::spaced(t)) {
            let mut theirs = String::new();
            miette_handler(false, spaced)
                .render_report(&mut theirs, &r)
                .expect("miette draws it");
            assert_eq!(ours, theirs, "{d:?}");
        }
        true
    }

    /// Every finding of the example projects and of the rules' fixtures is drawn by lawful
    /// byte for byte as miette draws it, and lawful draws nearly all of them itself.
    #[test]
    fn lawful_draws_the_findings_of_examples_and_fixtures_as_miette() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut dirs = vec![root.join("examples/sakila"), root.join("examples/chayu")];
        for rule in crate::rules::all() {
            for case in ["fires", "passes"] {
                let dir = root.join("tests/rules").join(rule.id).join(case);
                if dir.is_dir() {
                    dirs.push(dir);
                }
            }
        }
        let today = crate::manifest::Date::parse("2026-11-29").expect("date");
        let (mut drawn, mut total) = (0, 0);
        for dir in dirs {
            let Ok(p) = crate::load(&dir, &[]) else {
                continue;
            };
            for d in crate::check(&p, today).findings {
                total += 1;
                drawn += usize::from(drawn_as_miette_draws(&d, &p.model.sources));
            }
        }
        assert!(total > 500, "{total} findings");
        assert!(drawn * 10 >= total * 9, "lawful drew {drawn} of {total}");
    }

    /// Random labels over a file with the awkward cases (CRLF, no final line break, tabs,
    /// Chinese, line numbers growing a digit, labels alike or overlapping, places at a line
    /// end and at the end of the file): whatever lawful draws, it draws as miette.
    #[test]
    fn lawful_draws_random_labels_as_miette() {
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let mut body = String::new();
        for i in 0..120 {
            match i % 9 {
                0 => body.push_str(&format!("key_{i}:\n")),
                1 => body.push_str(&format!("  title: {{ en: Staff {i}, zh-CN: 门店员工 }}\n")),
                2 => body.push_str("\tindented: with a tab\n"),
                3 => body.push('\n'),
                4 => body.push_str(&format!("  - item-{i}-with-hyphens and words\n")),
                _ => body.push_str(&format!("  name: value number {i}\n")),
            }
        }
        let texts = [
            body.clone(),
            body.replace('\n', "\r\n"),
            body.trim_end().to_string(),
        ];
        let mut compared = 0;
        for text in texts {
            let mut sources = SourceMap::default();
            let a = sources.add(
                std::path::Path::new("a.yaml"),
                "a.yaml".into(),
                text.clone(),
            );
            let b = sources.add(
                std::path::Path::new("b.yaml"),
                "b.yaml".into(),
                text.clone(),
            );
            let bounds: Vec<usize> = (0..=text.len())
                .filter(|&o| text.is_char_boundary(o))
                .collect();
            let span = |next: &mut dyn FnMut(usize) -> usize, file| {
                let s = next(bounds.len());
                let e = (s + next(4).pow(2)).min(bounds.len() - 1);
                Span::new(file, bounds[s], bounds[e])
            };
            for i in 0..4000 {
                let message = format!("finding {i} about `a/b` at some length ").repeat(1 + i % 4);
                let mut d = Diagnostic::error("core::x", message)
                    .at(span(&mut next, a), ["here", "", "a label"][i % 3]);
                if i % 2 == 0 {
                    d = d.with_help("help text – with an en dash, and (source: Art 1–2)");
                }
                for _ in 0..next(3) {
                    let file = if next(4) == 0 { b } else { a };
                    let at = span(&mut next, file);
                    d = d.with_secondary(at, ["there", "here", "also"][next(3)]);
                }
                if i % 5 == 0 {
                    let p = d.primary.clone().expect("set");
                    d = d.with_secondary(p.span, p.text);
                }
                compared += usize::from(drawn_as_miette_draws(&d, &sources));
            }
        }
        assert!(compared > 3000, "{compared} drawn");
    }

    /// A place 200,000 characters along a line is reported in words, not drawn (miette
    /// would panic padding its underline).
    #[test]
    fn a_place_far_along_a_minified_line_is_named_not_drawn() {
        let text = format!("a: [{}, oops\n", "x, ".repeat(70_000));
        let mut sources = SourceMap::default();
        let id = sources.add(
            std::path::Path::new("a.yaml"),
            "a.yaml".into(),
            text.clone(),
        );
        let at = text.find("oops").expect("there") as u32;
        let d = Diagnostic::error("yaml::syntax", "the YAML cannot be read")
            .at(Span::new(id, at as usize, at as usize + 4), "here");
        let out = render(&d, &sources, false);
        assert!(out.contains("a.yaml:1:210007: here"), "{out}");
        assert!(out.contains("too long to show"), "{out}");
    }

    /// English is wrapped at spaces, a path is never cut at its slashes; a help without
    /// spaces (Chinese) is still wrapped within the width, by the Unicode rules.
    #[test]
    fn english_wraps_at_spaces_and_chinese_still_wraps() {
        let sources = SourceMap::default();
        let path = "teams/support_0853/systems/support_0853_s7/datasets/events.yaml";
        let d = Diagnostic::error("core::x", "m")
            .with_help(format!("{} see {path} for the dataset", "word ".repeat(14)));
        let out = render(&d, &sources, false);
        assert!(out.contains(path), "{out}");
        let zh = Diagnostic::error("core::x", "m").with_help("请在处理开始前完成个人信息保护影响评估，并将评估报告与其所评估的处理目的和数据流关联起来，至少保存三年。".repeat(2));
        let out = render(&zh, &sources, false);
        let help: Vec<&str> = out
            .lines()
            .filter(|l| l.contains('请') || l.contains('评'))
            .collect();
        assert!(help.len() > 1, "{out}");
        assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");
    }

    /// Reading a snippet from a few lines above it gives exactly what miette gives when it
    /// scans the whole file: the same bytes, place, line, column and line count.
    #[test]
    fn snippets_read_from_the_line_index_match_miette_reading_the_whole_file() {
        let mut lf = String::new();
        for i in 0..40 {
            lf.push_str(&format!("key_{i}:\n  name: 名前 {i}\n  list: [a, b]\n"));
        }
        let crlf = lf.replace('\n', "\r\n");
        for text in [lf, crlf] {
            let mut sources = SourceMap::default();
            let id = sources.add(
                std::path::Path::new("a.yaml"),
                "a.yaml".into(),
                text.clone(),
            );
            let f = sources.get(id).expect("added");
            let whole = NamedSource::new("a.yaml", text.clone()).with_language("yaml");
            let windowed = Source(f);
            let offsets: Vec<usize> = (0..text.len())
                .filter(|&o| text.is_char_boundary(o))
                .step_by(7)
                .collect();
            for &o in &offsets {
                for len in [0, 1, 5] {
                    let len = len.min(text.len() - o);
                    for (before, after) in [(0, 0), (1, 1), (2, 3)] {
                        let span = SourceSpan::new(o.into(), len);
                        let a = whole.read_span(&span, before, after).expect("in bounds");
                        let b = windowed.read_span(&span, before, after).expect("in bounds");
                        assert_eq!(
                            a.data(),
                            b.data(),
                            "offset {o} len {len} ({before}, {after})"
                        );
                        assert_eq!(a.span(), b.span(), "offset {o}");
                        assert_eq!(
                            (a.line(), a.column(), a.line_count()),
                            (b.line(), b.column(), b.line_count()),
                            "offset {o} len {len} ({before}, {after})"
                        );
                        assert_eq!(a.name(), b.name());
                    }
                }
            }
        }
    }
}
