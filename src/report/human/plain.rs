//! The human report without colour, drawn by lawful itself, byte for byte as miette's
//! graphical handler draws it (the theme `unicode_nocolor`, 100 columns, links as text).
//!
//! Drawing a finding through miette costs about 35 µs, most of it in generic text wrapping
//! and in building each gutter and underline from styled pieces; a large project reports
//! tens of thousands of findings. This draws the shapes lawful's findings take (labels
//! within one line, on lines without tabs or control characters) directly, and declines
//! the others ([`draw`] returns `None`), which miette then draws. Each text is wrapped as
//! textwrap wraps it for miette, with the word separator its script needs ([`spaced`]).
//! The tests of `human.rs` hold the drawing to miette's bytes, on every finding of the
//! examples and rule fixtures and on thousands of random labels; the test below holds the
//! wrapping to textwrap's.

use std::fmt::Write;

use miette::{LabeledSpan, SourceCode, SourceSpan, SpanContents};

use super::Rendered;

/// The width miette wraps text to: its terminal width (100) less 2.
const WIDTH: usize = 98;

/// Draw `r` as miette's graphical handler does, or `None` when it takes a shape this does
/// not draw. Each text is wrapped as miette wraps it with the word separator [`fill`] picks
/// for that text.
pub(super) fn draw(r: &Rendered<'_>) -> Option<String> {
    let mut out = String::with_capacity(1024);
    if !r.code.is_empty() {
        header(&mut out, r);
        out.push('\n');
    }
    report(&mut out, r, None)?;
    Some(out)
}

/// The header line: the code, and the URL in parentheses.
fn header(out: &mut String, r: &Rendered<'_>) {
    if !r.code.is_empty() {
        out.push_str(&r.code);
        if let Some(url) = &r.url {
            out.push_str(" (");
            out.push_str(url);
            out.push(')');
        }
        out.push('\n');
    }
}

/// What follows the header: the message, the snippets, the help and the related findings
/// (miette's `render_causes`, `render_snippets`, `render_footer`, `render_related`).
fn report<'s>(
    out: &mut String,
    r: &Rendered<'s>,
    parent: Option<&super::Source<'s>>,
) -> Option<()> {
    let (icon, bar) = match r.severity {
        miette::Severity::Error => ("  × ", "  │ "),
        miette::Severity::Warning => ("  ⚠ ", "  │ "),
        miette::Severity::Advice => ("  ☞ ", "  │ "),
    };
    fill(out, &r.message, icon, bar);
    out.push('\n');
    let src = r.source.as_ref().or(parent);
    if let Some(src) = src
        && !r.labels.is_empty()
    {
        snippets(out, src, &r.labels)?;
    }
    if let Some(help) = &r.help {
        fill(out, help, "  help: ", "        ");
        out.push('\n');
    }
    for rel in &r.related {
        out.push('\n');
        out.push_str(match rel.severity {
            miette::Severity::Error => "Error: ",
            miette::Severity::Warning => "Warning: ",
            miette::Severity::Advice => "Advice: ",
        });
        // A nested header: the code when there is one, then a line break either way.
        header(out, rel);
        out.push('\n');
        report(out, rel, src)?;
    }
    Some(())
}

/// A line of a snippet, as miette's `get_lines` cuts them: its 1-based number, the byte
/// offset of its start in the file, its length with its line ending, and its text without.
struct Line<'a> {
    number: usize,
    offset: usize,
    length: usize,
    text: &'a str,
}

/// A label: its place in the file and its text.
#[derive(Clone, Copy)]
struct Mark<'a> {
    offset: usize,
    len: usize,
    text: &'a str,
    primary: bool,
}

/// miette tells labels apart by place and text only.
impl PartialEq for Mark<'_> {
    fn eq(&self, other: &Self) -> bool {
        (self.offset, self.len, self.text) == (other.offset, other.len, other.text)
    }
}

impl Line<'_> {
    fn holds(&self, m: &Mark) -> bool {
        m.offset >= self.offset && m.offset + m.len <= self.offset + self.length
    }
    /// Whether the label shows on this line at all (miette's `span_applies`).
    fn shows(&self, m: &Mark) -> bool {
        let len = m.len.max(1);
        let (start, end) = (self.offset, self.offset + self.length);
        (m.offset >= start && m.offset < end)
            || (m.offset < start && m.offset + len > end)
            || (m.offset + len > start && m.offset + len <= end)
    }
}

/// The snippets of a finding: its labels' contexts, merged where they touch.
fn snippets(out: &mut String, src: &super::Source<'_>, labels: &[LabeledSpan]) -> Option<()> {
    let mut marks: Vec<Mark> = Vec::with_capacity(labels.len());
    for l in labels {
        let text = l.label()?;
        if text.contains('\n') {
            return None;
        }
        marks.push(Mark {
            offset: l.offset(),
            len: l.len(),
            text,
            primary: l.primary(),
        });
    }
    // The same sort as miette's, on the same order, gives the same order of equal places.
    marks.sort_unstable_by_key(|m| m.offset);
    let mut contexts: Vec<(SourceSpan, Box<dyn SpanContents<'_> + '_>)> = Vec::new();
    for m in &marks {
        let span = SourceSpan::new(m.offset.into(), m.len);
        let conts = src.read_span(&span, 1, 1).ok()?;
        if let Some((left, left_conts)) = contexts.last()
            && left_conts.line() + left_conts.line_count() >= conts.line()
        {
            let end = (left.offset() + left.len()).max(m.offset + m.len);
            let merged = SourceSpan::new(left.offset().into(), end - left.offset());
            if let Ok(c) = src.read_span(&merged, 1, 1) {
                contexts.pop();
                contexts.push((merged, c));
                continue;
            }
        }
        contexts.push((span, conts));
    }
    for (span, conts) in &contexts {
        context(out, src, *span, conts.as_ref(), &marks)?;
    }
    Some(())
}

/// Cut a snippet into lines as miette's `get_lines` does (a lone CR stays in the text).
fn lines<'a>(c: &'a dyn SpanContents<'_>) -> Option<Vec<Line<'a>>> {
    let text = std::str::from_utf8(c.data()).ok()?;
    let mut number = c.line();
    let start = c.span().offset();
    let mut out = Vec::with_capacity(4);
    let mut rest = text;
    let mut at = start;
    while !rest.is_empty() {
        let (line, ending) = match rest.find('\n') {
            Some(i) if i > 0 && rest.as_bytes()[i - 1] == b'\r' => (&rest[..i - 1], i + 1),
            Some(i) => (&rest[..i], i + 1),
            None => (rest, rest.len()),
        };
        number += 1;
        out.push(Line {
            number,
            offset: at,
            length: ending,
            text: line,
        });
        at += ending;
        rest = &rest[ending..];
    }
    Some(out)
}

/// One snippet (miette's `render_context`), for labels that each lie within a line.
fn context(
    out: &mut String,
    src: &super::Source<'_>,
    span: SourceSpan,
    conts: &dyn SpanContents<'_>,
    marks: &[Mark],
) -> Option<()> {
    let lines = lines(conts)?;
    let last = lines.last()?;
    for line in &lines {
        // Tabs are expanded and control characters measured by miette's own rules.
        if line.text.bytes().any(|b| b < 0x20 || b == 0x7f) {
            return None;
        }
        // A label over more than one line is drawn in a gutter.
        if marks.iter().any(|m| line.shows(m) && !line.holds(m)) {
            return None;
        }
    }
    let width = decimal_width(last.number);
    let (lo, hi) = (span.offset(), span.offset() + span.len());
    let inside = |m: &&Mark| lo <= m.offset && m.offset + m.len <= hi;
    let primary = marks
        .iter()
        .filter(inside)
        .find(|m| m.primary)
        .or_else(|| marks.iter().find(inside));
    pad(out, width + 2);
    out.push_str("╭─");
    let at = match primary {
        Some(m) => src
            .read_span(&SourceSpan::new(m.offset.into(), m.len), 0, 0)
            .ok()?,
        None => src.read_span(&span, 1, 1).ok()?,
    };
    let name = at.name()?;
    let _ = writeln!(out, "[{name}:{}:{}]", at.line() + 1, at.column() + 1);
    for line in &lines {
        let _ = write!(out, " {:>width$} │ ", line.number);
        out.push_str(line.text);
        out.push('\n');
        let here: Vec<&Mark> = marks.iter().filter(|m| line.shows(m)).collect();
        if !here.is_empty() {
            underlines(out, line, width, &here)?;
        }
    }
    pad(out, width + 2);
    out.push_str("╰────\n");
    Some(())
}

/// The underlines of the labels on one line, then their texts, the last first (miette's
/// `render_single_line_highlights`).
fn underlines(out: &mut String, line: &Line, width: usize, here: &[&Mark]) -> Option<()> {
    no_number(out, width);
    let mut highest = 0;
    let mut bars: Vec<usize> = Vec::with_capacity(here.len());
    for m in here {
        let start = column(line, m.offset)?.max(highest);
        let end = if m.len == 0 {
            start + 1
        } else {
            column(line, m.offset + m.len)?.max(start + 1)
        };
        let bar = (start + end) / 2;
        pad(out, start.saturating_sub(highest));
        repeat(out, '─', bar - start);
        out.push(if m.len == 0 { '▲' } else { '┬' });
        repeat(out, '─', end - bar - 1);
        highest = highest.max(end);
        bars.push(bar);
    }
    out.push('\n');
    for m in here.iter().rev() {
        no_number(out, width);
        let mut col = 1usize;
        for (other, &bar) in here.iter().zip(&bars) {
            pad(out, (bar + 1).saturating_sub(col));
            col = col.max(bar + 1);
            // Of two alike labels (same place and text), miette draws the text at the first.
            if **other != **m {
                out.push('│');
                col += 1;
            } else {
                out.push_str("╰── ");
                out.push_str(m.text);
                out.push('\n');
                break;
            }
        }
    }
    Some(())
}

/// The column a byte offset of a line is drawn at; `None` unless the text before it is
/// ASCII (miette measures other characters by their Unicode width).
fn column(line: &Line, offset: usize) -> Option<usize> {
    let i = offset.checked_sub(line.offset)?;
    if i > line.length {
        return None;
    }
    if i > line.text.len() {
        // Past the end of the text: one column past it, as miette draws a line ending.
        return line.text.is_ascii().then_some(line.text.len() + 1);
    }
    line.text.as_bytes()[..i].is_ascii().then_some(i)
}

fn no_number(out: &mut String, width: usize) {
    pad(out, width + 1);
    out.push_str(" · ");
}

fn pad(out: &mut String, n: usize) {
    repeat(out, ' ', n);
}

fn repeat(out: &mut String, c: char, n: usize) {
    out.extend(std::iter::repeat_n(c, n));
}

fn decimal_width(mut n: usize) -> usize {
    let mut w = 1;
    while n >= 10 {
        n /= 10;
        w += 1;
    }
    w
}

/// Whether `text` is written with spaces between its words, so that it is wrapped at
/// spaces: no character of the scripts written without them (Thai, Lao, Tibetan, Myanmar,
/// Khmer, and Chinese, Japanese and Korean with their punctuation and full-width forms,
/// which the Unicode line-breaking rules break between characters).
pub(super) fn spaced(text: &str) -> bool {
    !text
        .chars()
        .any(|c| matches!(c, '\u{0E00}'..='\u{109F}' | '\u{1780}'..='\u{17FF}') || c >= '\u{2E80}')
}

/// Wrap `text` to [`WIDTH`] columns as `textwrap::fill` does with the options miette gives
/// it, and append it: text written with spaces ([`spaced`]) first-fit at its spaces, words
/// split after a hyphen between letters or digits, and words longer than a line broken;
/// other text by the Unicode line-breaking rules, which this leaves to textwrap.
fn fill(out: &mut String, text: &str, first: &str, rest: &str) {
    debug_assert!(
        !first.is_empty() && !rest.is_empty(),
        "miette always indents"
    );
    let spaced = spaced(text);
    if !spaced || text.contains('\x1b') {
        let mut opts = textwrap::Options::new(WIDTH)
            .initial_indent(first)
            .subsequent_indent(rest)
            .break_words(true);
        if spaced {
            opts = opts.word_separator(textwrap::WordSeparator::AsciiSpace);
        }
        out.push_str(&textwrap::fill(text, opts));
        return;
    }
    let widths = [
        WIDTH.saturating_sub(display_width(first)),
        WIDTH.saturating_sub(display_width(rest)),
    ];
    let mut frags: Vec<Frag> = Vec::with_capacity(32);
    let mut lines_out = 0usize;
    for line in text.split('\n') {
        frags.clear();
        // textwrap starts every line with an empty word when there is a first indent.
        frags.push(Frag {
            start: 0,
            end: 0,
            width: 0,
            ws: 0,
        });
        words(line, widths[1], &mut frags);
        // First fit: a fragment goes to the next line when it would pass the width.
        let mut start = 0;
        let mut taken = 0usize;
        let mut wrapped = 0usize;
        let mut from = 0usize;
        for i in 0..frags.len() {
            let limit = widths[wrapped.min(1)];
            let f = &frags[i];
            if taken + f.width > limit && i > start {
                from = emit(out, line, &frags[start..i], from, lines_out, first, rest);
                lines_out += 1;
                wrapped += 1;
                start = i;
                taken = 0;
            }
            let f = &frags[i];
            taken += f.width + f.ws;
        }
        emit(out, line, &frags[start..], from, lines_out, first, rest);
        lines_out += 1;
    }
}

/// Columns a text takes, by textwrap's measure (the one it wraps by).
fn display_width(text: &str) -> usize {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        text.len()
    } else {
        textwrap::core::display_width(text)
    }
}

/// A piece of a line: the word `start..end`, `width` columns wide, then `ws` spaces.
struct Frag {
    start: usize,
    end: usize,
    width: usize,
    ws: usize,
}

/// The words of a line (each with the spaces after it), split after inner hyphens, and
/// broken where longer than `width`.
fn words(line: &str, width: usize, frags: &mut Vec<Frag>) {
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        while i < b.len() && b[i] != b' ' {
            i += 1;
        }
        let end = i;
        while i < b.len() && b[i] == b' ' {
            i += 1;
        }
        let ws = i - end;
        // Split after a hyphen with a letter or digit on both sides.
        let mut prev = start;
        for h in start..end {
            if b[h] == b'-'
                && line[start..h]
                    .chars()
                    .next_back()
                    .is_some_and(char::is_alphanumeric)
                && line[h + 1..end]
                    .chars()
                    .next()
                    .is_some_and(char::is_alphanumeric)
            {
                piece(frags, line, prev, h + 1, 0, width);
                prev = h + 1;
            }
        }
        piece(frags, line, prev, end, ws, width);
    }
}

/// A fragment, broken into pieces of `width` columns when wider.
fn piece(frags: &mut Vec<Frag>, line: &str, start: usize, end: usize, ws: usize, width: usize) {
    let w = display_width(&line[start..end]);
    if w <= width {
        frags.push(Frag {
            start,
            end,
            width: w,
            ws,
        });
        return;
    }
    let mut s = start;
    let mut taken = 0;
    for (i, c) in line[start..end].char_indices() {
        let i = start + i;
        let cw = display_width(c.encode_utf8(&mut [0; 4]));
        if taken > 0 && taken + cw > width {
            frags.push(Frag {
                start: s,
                end: i,
                width: taken,
                ws: 0,
            });
            s = i;
            taken = cw;
        } else {
            taken += cw;
        }
    }
    frags.push(Frag {
        start: s,
        end,
        width: taken,
        ws,
    });
}

/// Append one wrapped line (its indent, its fragments without the last one's spaces);
/// returns where the next line starts in `line`.
fn emit(
    out: &mut String,
    line: &str,
    frags: &[Frag],
    from: usize,
    lines_out: usize,
    first: &str,
    rest: &str,
) -> usize {
    if lines_out > 0 {
        out.push('\n');
    }
    let Some(last) = frags.last() else {
        return from;
    };
    let len: usize = frags.iter().map(|f| (f.end - f.start) + f.ws).sum();
    out.push_str(if lines_out == 0 { first } else { rest });
    out.push_str(&line[from..from + len - last.ws]);
    from + len
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Deterministic pseudo-random text: words of letters, digits, hyphens and the odd long
    /// run, separated by one or more spaces, over several lines.
    fn texts() -> Vec<String> {
        // Deterministic xorshift, so that a failure can be replayed.
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let alphabet: Vec<char> = "abcdefghij0123456789----.,/()`_ é–“ß\u{301}\t"
            .chars()
            .collect();
        let mut out = vec![
            String::new(),
            " ".into(),
            "\n".into(),
            "a\n\nb".into(),
            "  leading spaces".into(),
            "trailing spaces   ".into(),
            "x".repeat(250),
            format!("{} {}", "y".repeat(97), "z".repeat(99)),
            "GDPR-ART6-LAWFUL-BASIS and CCPA-1798.120-OPT-OUT-SALE-SHARE -- --x- a-b-".into(),
        ];
        for _ in 0..3000 {
            let len = next(400) as usize;
            let mut s = String::new();
            for _ in 0..len {
                let c = alphabet[next(alphabet.len() as u64) as usize];
                s.push(c);
                if next(60) == 0 {
                    s.push('\n');
                }
                if next(200) == 0 {
                    s.push_str(&"w".repeat(next(120) as usize));
                }
            }
            out.push(s);
        }
        out
    }

    /// Text written with spaces is wrapped exactly as textwrap wraps it at spaces.
    #[test]
    fn wrapping_matches_textwrap_at_spaces() {
        let indents = [("  × ", "  │ "), ("  help: ", "        "), ("  ☞ ", "  │ ")];
        for text in texts() {
            for (first, rest) in indents {
                let mut ours = String::new();
                fill(&mut ours, &text, first, rest);
                let opts = textwrap::Options::new(WIDTH)
                    .initial_indent(first)
                    .subsequent_indent(rest)
                    .break_words(true)
                    .word_separator(textwrap::WordSeparator::AsciiSpace);
                assert_eq!(ours, textwrap::fill(&text, opts), "text {text:?}");
            }
        }
    }
}
