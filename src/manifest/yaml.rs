//! The one reader of YAML manifests.
//!
//! Every other module sees only [`Sp`] (a value with its [`Span`]) and [`parse_document`].
//! A file is read in two steps, both ours, over the event parser granit (re-exported by
//! serde-saphyr):
//!
//! 1. `tree` reads the events into a small tree of nodes and refuses, in one pass, what a
//!    manifest written by people never needs: tags, merge keys (`<<`), a second document,
//!    nesting deeper than [`MAX_DEPTH`] levels, and anchors and aliases beyond
//!    [`MAX_ANCHORS`], [`MAX_ALIASES`] and [`MAX_ALIAS_NODES`] (an alias bomb fails fast).
//!    Honest aliases are expanded.
//! 2. `de` deserializes the tree into the manifest types with YAML 1.2 core-schema rules:
//!    only `true`/`false` are booleans (`NO` is Norway, not `false`), quoted scalars are
//!    always text, and a key repeated in a mapping is refused.
//!
//! A file is therefore either read whole or refused whole, and a syntax error is never
//! reported as a missing key. Messages and places are those lawful gave when it read
//! manifests through serde-saphyr's own deserializer (which cost twice the time).

use std::cell::Cell;
use std::fmt;

use schemars::JsonSchema;
use serde::de::{DeserializeOwned, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::manifest::source::FileId;

mod de;
#[cfg(test)]
mod legacy;
mod tree;

thread_local! {
    /// The file being parsed on this thread; spans created while parsing belong to it.
    static CURRENT_FILE: Cell<FileId> = const { Cell::new(FileId::NONE) };
}

/// A byte range in one source file: `start..end`, in bytes from the start of the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub const NONE: Span = Span {
        file: FileId::NONE,
        start: 0,
        end: 0,
    };

    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: start as u32,
            end: end.max(start) as u32,
        }
    }

    pub fn is_none(&self) -> bool {
        self.file == FileId::NONE
    }

    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }

    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

/// A value together with the span of the YAML node it was read from.
///
/// Deserializes like `T`; its JSON Schema is that of `T`. Equality and ordering look at the
/// value only, so spans never change the meaning of a manifest.
#[derive(Clone, Debug, Default)]
pub struct Sp<T> {
    pub value: T,
    pub span: Span,
}

impl<T> Sp<T> {
    pub fn new(value: T, span: Span) -> Self {
        Sp { value, span }
    }
}

impl<T> std::ops::Deref for Sp<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.value
    }
}

impl<T: PartialEq> PartialEq for Sp<T> {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}
impl<T: Eq> Eq for Sp<T> {}

impl<T: fmt::Display> fmt::Display for Sp<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.value.fmt(f)
    }
}

impl<T: Serialize> Serialize for Sp<T> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.value.serialize(s)
    }
}

/// Reads `T` and, from [`parse_document`], the span of its node; from any other deserializer
/// (serde_json, serde-saphyr), `T` with [`Span::NONE`].
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[cfg(test)]
        if LEGACY.with(|c| c.get()) {
            return legacy_sp(d);
        }
        d.deserialize_newtype_struct(de::SPAN_MARKER, SpVisitor(std::marker::PhantomData))
    }
}

struct SpVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for SpVisitor<T> {
    type Value = Sp<T>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Sp<T>, D::Error> {
        // Set by our deserializer right before this call; nothing else sets it.
        let span = match de::NODE_SPAN.with(|c| c.take()) {
            Some((start, end)) => Span {
                file: CURRENT_FILE.with(|c| c.get()),
                start,
                end: end.max(start),
            },
            None => Span::NONE,
        };
        Ok(Sp {
            value: T::deserialize(d)?,
            span,
        })
    }
}

#[cfg(test)]
thread_local! {
    /// Set while the differential test reads a file the former way (through serde-saphyr).
    static LEGACY: Cell<bool> = const { Cell::new(false) };
}

#[cfg(test)]
fn legacy_sp<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Sp<T>, D::Error> {
    let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
    let file = CURRENT_FILE.with(|c| c.get());
    let loc = s.referenced;
    let span = match (loc.span().byte_offset(), loc.span().byte_len()) {
        (Some(off), Some(len)) => Span::new(file, off as usize, (off + len) as usize),
        _ => Span::NONE,
    };
    Ok(Sp {
        value: s.value,
        span,
    })
}

impl<T: JsonSchema> JsonSchema for Sp<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }
    fn schema_id() -> std::borrow::Cow<'static, str> {
        T::schema_id()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        T::json_schema(generator)
    }
    fn inline_schema() -> bool {
        T::inline_schema()
    }
}

/// A YAML error: what went wrong and where (a byte offset into the file, when known).
#[derive(Debug, Clone)]
pub struct YamlError {
    pub message: String,
    pub offset: Option<usize>,
    /// Length of the offending token, when known.
    pub len: usize,
    /// "syntax" for malformed YAML, "structure" for valid YAML that is not a valid manifest,
    /// "limit" for a refused resource budget or YAML feature.
    pub kind: YamlErrorKind,
    /// How to fix it, when the parser wrapper knows better than the raw message.
    pub help: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlErrorKind {
    Syntax,
    Structure,
    Limit,
}

/// Deepest nesting of mappings and sequences a manifest may use (the language itself needs
/// six levels).
pub const MAX_DEPTH: usize = 48;
/// Most nodes that aliases may expand to in one file, counting nested aliases in full.
pub const MAX_ALIAS_NODES: u64 = 10_000;
/// Most anchors (`&name`) and most aliases (`*name`) in one file.
pub const MAX_ANCHORS: usize = 1_000;
pub const MAX_ALIASES: usize = 1_000;

/// Parse one YAML document of `file` into `T`.
///
/// `text` must already be free of a leading byte-order mark (the source map strips it, so
/// that spans and the text shown in reports agree). An empty document (or one holding only
/// comments) gives `T::default()`. Errors carry a byte offset into `text`.
///
/// Syntax errors, a second document, merge keys, tags, nesting deeper than [`MAX_DEPTH`]
/// and aliases beyond the limits are refused while the file is read into a tree (see
/// `tree`), before any value is deserialized.
pub fn parse_document<T: DeserializeOwned + Default>(
    file: FileId,
    text: &str,
) -> Result<T, YamlError> {
    // YAML breaks lines at LF, CRLF and a lone CR alike.
    if text
        .split(['\n', '\r'])
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#') || l.trim() == "---")
    {
        return Ok(T::default());
    }
    let Some(root) = tree::read(text)? else {
        return Ok(T::default());
    };
    CURRENT_FILE.with(|c| c.set(file));
    de::reset();
    let res = de::read(std::marker::PhantomData::<T>, &root);
    de::reset();
    CURRENT_FILE.with(|c| c.set(FileId::NONE));
    res.map_err(|e| convert_error(e, text))
}

/// A deserialization error in the words of the manifest.
fn convert_error(e: de::Error, text: &str) -> YamlError {
    let offset = e.at.map(|(start, _)| (start as usize).min(text.len()));
    let len =
        e.at.map_or(0, |(start, end)| end.saturating_sub(start) as usize);
    located_error(
        clean_message(&escape_controls(&e.message)),
        offset,
        len,
        text,
    )
}

/// A structure error at `offset` (`len` bytes), in the words of the manifest: classified,
/// explained ([`humanize`]), and an invalid boolean named with the token the file holds.
fn located_error(message: String, offset: Option<usize>, len: usize, text: &str) -> YamlError {
    let kind = classify(&message);
    let mut err = YamlError {
        message,
        offset,
        len,
        kind,
        help: None,
    };
    humanize(&mut err, text);
    if err.message.to_ascii_lowercase().contains("invalid boolean") {
        let token = offset
            .map(|o| {
                text[o..]
                    .split(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}')
                    .next()
                    .unwrap_or("")
            })
            .unwrap_or("");
        err.message = if token.is_empty() {
            "expected a boolean".into()
        } else {
            format!("`{token}` is not a boolean")
        };
        err.len = token.len();
        err.help = Some("write `true` or `false`: lawful reads YAML 1.2, where `yes`, `no`, `on` and `off` are text, not booleans".into());
    }
    err
}

/// Messages quote what the file says (an unknown key, a value that is not a date): control
/// characters and line separators in it are shown escaped (`\u{1b}`, `\n`), so that a
/// manifest can neither drive the terminal that shows the report nor hide what it holds.
fn escape_controls(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    for c in message.chars() {
        if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out
}

/// 1-based line and column (in characters) of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

/// Byte offset of a 1-based line and 1-based column (in characters).
fn offset_of_line_col(text: &str, line: usize, col: usize) -> Option<usize> {
    if line == 0 {
        return None;
    }
    let mut start = 0usize;
    for _ in 1..line {
        start += text[start..].find('\n')? + 1;
    }
    let rest = &text[start..];
    let end = rest.find('\n').unwrap_or(rest.len());
    let within = rest[..end]
        .char_indices()
        .nth(col.saturating_sub(1))
        .map(|(i, _)| i)
        .unwrap_or(end);
    Some(start + within)
}

/// What the YAML at `offset` is, in a few words: "a list", "a mapping", "`3 years`".
fn found_at(text: &str, offset: usize) -> String {
    let rest = text.get(offset..).unwrap_or("");
    let mut line = rest.lines().next().unwrap_or("").trim();
    // Inside `{ }` or `[ ]` opened earlier on the line, the value ends at the next `,`,
    // `}` or `]` (`{role: processor, name: x}` found `processor`, not a mapping).
    let start = text
        .get(..offset)
        .map_or(0, |t| t.rfind('\n').map_or(0, |i| i + 1));
    let depth = text.get(start..offset).map_or(0, |before| {
        before.chars().fold(0i32, |d, c| match c {
            '{' | '[' => d + 1,
            '}' | ']' => d - 1,
            _ => d,
        })
    });
    if depth > 0 && !line.starts_with(['{', '[']) {
        line = line
            .split([',', '}', ']'])
            .next()
            .unwrap_or(line)
            .trim_end();
    }
    // An empty value is located at the `:` of its key (`flows:` and nothing after it).
    if let Some(after) = line.strip_prefix(':') {
        let after = after.trim();
        if after.is_empty() || after.starts_with('#') {
            return "nothing (an empty value)".into();
        }
    }
    let mut chars = line.chars();
    match chars.next() {
        Some('[') => "a list".into(),
        Some('{') => "a mapping".into(),
        Some('-') if matches!(chars.next(), None | Some(' ')) => "a list".into(),
        Some('*') => format!(
            "the alias `{}`",
            line.split(|c: char| c.is_whitespace() || c == ',' || c == ']' || c == '}')
                .next()
                .unwrap_or(line)
        ),
        None => "nothing".into(),
        Some(_)
            if line == "~"
                || line == "null"
                || line.starts_with("~:")
                || line.starts_with("null:") =>
        {
            "nothing (null)".into()
        }
        Some(_) if line.contains(": ") || line.ends_with(':') => "a mapping".into(),
        Some(_) => {
            let token: String = line.chars().take(40).collect();
            format!("`{token}`")
        }
    }
}

/// Rewrite serde-saphyr's type errors in the words of the manifest.
fn humanize(err: &mut YamlError, text: &str) {
    let lower = err.message.to_ascii_lowercase();
    let found = || {
        err.offset
            .map(|o| found_at(text, o))
            .unwrap_or_else(|| "something else".into())
    };
    let anchor = err
        .message
        .find("(defined at ")
        .and_then(|i| err.message[i + 12..].split(')').next())
        .map(|at| format!(" (its anchor is at {at})"))
        .unwrap_or_default();
    let (message, help) = if lower.starts_with("expected mapping start") {
        (
            format!(
                "expected a mapping (`key: value`) here, found {}{anchor}",
                found()
            ),
            "write one `key: value` per line, indented below, or `{ key: value }`",
        )
    } else if lower.starts_with("expected sequence start") {
        (
            format!("expected a list here, found {}{anchor}", found()),
            "write a list, `[a, b]` or one `- item` per line, even for a single item (`[]` for none)",
        )
    } else if lower.starts_with("expected string scalar") || lower.contains("null into string") {
        (
            format!("expected a text value here, found {}{anchor}", found()),
            "write a single value (quote it if it holds `:` or `#`)",
        )
    } else if lower.starts_with("invalid u32") || lower.starts_with("invalid u64") {
        (
            format!(
                "expected a whole number (0 or more) here, found {}",
                found()
            ),
            "write digits only, without quotes or units",
        )
    } else {
        return;
    };
    err.message = message;
    err.help = Some(help.into());
}

fn clean_message(raw: &str) -> String {
    // serde-saphyr appends " at line X, column Y" to some messages, and spreads others over
    // several lines; the report prints the location itself.
    let joined = raw
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let cut = joined
        .rfind(" at line ")
        .filter(|&i| {
            joined[i + 9..]
                .chars()
                .all(|c| c.is_ascii_digit() || c == ',' || c == ' ' || c.is_ascii_lowercase())
        })
        .map(|i| &joined[..i])
        .unwrap_or(&joined);
    cut.trim_end_matches(':').to_string()
}

/// The whole file has already passed the pre-scan, so an error here is about what the
/// YAML says (a structure error), unless a budget refused it.
fn classify(msg: &str) -> YamlErrorKind {
    let lower = msg.to_ascii_lowercase();
    if lower.contains("budget") || lower.contains("merge") || lower.contains("too deep") {
        YamlErrorKind::Limit
    } else {
        YamlErrorKind::Structure
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> YamlError {
        tree::read(text).expect_err("refused")
    }

    /// A key or value quoted in a message shows its control characters and line breaks
    /// escaped, never raw (an ESC would reach the terminal).
    #[test]
    fn control_characters_in_messages_are_escaped() {
        use crate::manifest::types::Document;
        let e = parse_document::<Document>(FileId::NONE, "roles:\n  r:\n    \"db\\x1brole\": x\n")
            .expect_err("unknown key");
        assert!(e.message.contains("db\\u{1b}role"), "{}", e.message);
        assert!(!e.message.contains('\u{1b}'), "{}", e.message);
        let e = parse_document::<Document>(
            FileId::NONE,
            "suppressions:\n  - rule: CORE-X\n    target: a\n    reason: r\n    expires: \"2027-06-30\\n\"\n",
        )
        .expect_err("not a date");
        assert!(e.message.contains("`2027-06-30\\n`"), "{}", e.message);
    }

    /// A value inside a one-line `{ }` is quoted up to its end, not to the end of the line.
    #[test]
    fn a_value_in_a_flow_mapping_is_quoted_alone() {
        use crate::manifest::types::Document;
        for text in [
            "recipients: {x: {role: processor}}\n",
            "recipients: {x: {role: processor, title: t}}\n",
        ] {
            let e = parse_document::<Document>(FileId::NONE, text).expect_err("role");
            assert!(e.message.contains("found `processor`"), "{}", e.message);
        }
    }

    #[test]
    fn prescan_accepts_honest_anchors() {
        let text = "a: &x [1, 2, 3]\nb: *x\nc: *x\n";
        assert!(tree::read(text).is_ok());
    }

    #[test]
    fn prescan_refuses_billion_laughs() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let e = err(&text);
        assert_eq!(e.kind, YamlErrorKind::Limit);
        assert!(e.message.contains("alias bomb"), "{}", e.message);
    }

    #[test]
    fn prescan_refuses_depth_documents_and_merge_keys() {
        let deep = format!("a: {}{}\n", "[".repeat(60), "]".repeat(60));
        assert!(err(&deep).message.contains("nested"));
        let docs = "a: 1\n---\nb: 2\n";
        let e = err(docs);
        assert_eq!(e.offset, Some(5));
        assert!(e.message.contains("more than one"));
        let merge = "a: &x {b: 1}\nc:\n  <<: *x\n";
        assert_eq!(err(merge).offset, Some(18));
        // `<<` as a value is just text.
        assert!(tree::read("a: <<\n").is_ok());
    }

    /// What the reading of the tree refuses, `parse_document` refuses with the same
    /// message.
    #[test]
    fn documents_are_refused_as_the_prescan_refuses_them() {
        type Doc = std::collections::BTreeMap<String, serde_json::Value>;
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let refs = vec![format!("*a{}", i - 1); 10].join(", ");
            bomb.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
        }
        let cases = [
            (
                format!("a: {}{}\n", "[".repeat(60), "]".repeat(60)),
                "nested",
            ),
            ("a: 1\n---\nb: 2\n".to_string(), "more than one"),
            ("a: &x {b: 1}\nc:\n  <<: *x\n".to_string(), "merge keys"),
            ("a: !!binary aGVsbG8=\n".to_string(), "tags"),
            ("a: !custom x\n".to_string(), "tags"),
            (bomb, "alias bomb"),
            ("a:\n  b: [x, y\n  c: 1\n".to_string(), "line 2"),
        ];
        for (text, expected) in cases {
            let e = parse_document::<Doc>(FileId::NONE, &text).expect_err(&text);
            let all = format!("{} {}", e.message, e.help.clone().unwrap_or_default());
            assert!(all.contains(expected), "{text:?}: {all}");
        }
        // An alias bomb in a file padded so that serde-saphyr's node budget lets it through.
        let padded = format!(
            "# {}\na: &x [{}]\nb: [{}]\n",
            "x".repeat(30_000),
            vec!["v"; 200].join(", "),
            vec!["*x"; 90].join(", ")
        );
        let e = parse_document::<Doc>(FileId::NONE, &padded).expect_err("padded bomb");
        assert!(e.message.contains("alias bomb"), "{}", e.message);
        // Honest files, with and without a `!` in a string, are read.
        let ok = parse_document::<Doc>(FileId::NONE, "a: \"hello!\"\nb: &x [1]\nc: *x\n");
        assert_eq!(ok.expect("read").len(), 3);
    }

    #[test]
    fn syntax_errors_point_at_the_place_and_the_open_bracket() {
        let e = err("a:\n  b: [x, y\n  c: 1\n");
        assert_eq!(e.kind, YamlErrorKind::Syntax);
        assert!(e.offset.unwrap() > 10, "{:?}", e.offset);
        assert!(e.help.unwrap().contains("line 2, column 6"));
    }

    #[test]
    fn offsets_from_line_and_column() {
        let t = "ab\ncdé f\n";
        assert_eq!(offset_of_line_col(t, 2, 5), Some(8));
        assert_eq!(line_col(t, 8), (2, 5));
    }

    #[derive(Debug, Default, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Probe {
        #[serde(default)]
        text: Option<Sp<String>>,
        #[serde(default)]
        flag: Option<bool>,
        #[serde(default)]
        count: Option<Sp<u32>>,
        #[serde(default)]
        list: Vec<Sp<String>>,
        #[serde(default)]
        map: crate::manifest::Entries<Sp<String>>,
        #[serde(default)]
        level: Option<Sp<crate::manifest::types::RuleLevel>>,
    }

    fn probe(text: &str) -> Result<Probe, YamlError> {
        parse_document::<Probe>(FileId(3), text)
    }

    #[test]
    fn spans_of_scalars_keys_and_collections() {
        let text = "text: hello\nlist: [a, 'b']\nmap:\n  k1: v1\n";
        let p = probe(text).expect("read");
        let t = p.text.expect("text");
        assert_eq!(t.span, Span::new(FileId(3), 6, 11));
        assert_eq!(&text[t.span.start as usize..t.span.end as usize], "hello");
        // A quoted scalar's span covers its quotes.
        assert_eq!(
            &text[p.list[1].span.start as usize..p.list[1].span.end as usize],
            "'b'"
        );
        let (k, v) = &p.map.0[0];
        assert_eq!(&text[k.span.start as usize..k.span.end as usize], "k1");
        assert_eq!(&text[v.span.start as usize..v.span.end as usize], "v1");
        // Spans come only from this reader: serde_json gives none.
        let j: Sp<String> = serde_json::from_str("\"x\"").expect("json");
        assert_eq!((j.value.as_str(), j.span), ("x", Span::NONE));
    }

    #[test]
    fn plain_scalars_are_text_where_text_is_expected() {
        let p = probe("text: 123\nlist: [NO, 1.5, true, 0x1F]\n").expect("read");
        assert_eq!(p.text.expect("text").value, "123");
        let list: Vec<&str> = p.list.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(list, ["NO", "1.5", "true", "0x1F"]);
        // A null is not text (an optional text is absent instead).
        assert!(probe("text: ~\n").expect("read").text.is_none());
        let e = probe("list: [a, ~]\n").expect_err("null");
        assert!(e.message.contains("expected a text value"), "{}", e.message);
        assert_eq!((e.offset, e.len), (Some(10), 1));
    }

    #[test]
    fn booleans_are_yaml_1_2() {
        assert_eq!(probe("flag: true\n").expect("read").flag, Some(true));
        assert_eq!(probe("flag: FALSE\n").expect("read").flag, Some(false));
        for no in ["NO", "yes", "on", "'maybe'"] {
            let e = probe(&format!("flag: {no}\n")).expect_err(no);
            assert_eq!(e.message, format!("`{no}` is not a boolean"));
            assert_eq!((e.offset, e.len), (Some(6), no.len()));
        }
    }

    #[test]
    fn numbers_and_their_errors() {
        assert_eq!(
            probe("count: 42\n").expect("read").count.expect("n").value,
            42
        );
        for bad in ["-1", "1.5", "4294967296", "010", "ten"] {
            let e = probe(&format!("count: {bad}\n")).expect_err(bad);
            assert!(
                e.message.starts_with("expected a whole number"),
                "{bad}: {}",
                e.message
            );
            assert_eq!(e.offset, Some(7), "{bad}");
        }
    }

    #[test]
    fn structural_errors_point_at_their_node() {
        // An unknown key: the key.
        let e = probe("text: a\nbogus: 1\n").expect_err("unknown");
        assert!(
            e.message.starts_with("unknown field `bogus`"),
            "{}",
            e.message
        );
        assert_eq!((e.offset, e.len), (Some(8), 5));
        // A list where text is expected: the list.
        let e = probe("text: [a]\n").expect_err("list");
        assert_eq!(e.message, "expected a text value here, found a list");
        assert_eq!(e.offset, Some(6));
        // A mapping expected: the value found.
        let e = probe("map: [a]\n").expect_err("map");
        assert!(e.message.starts_with("expected a mapping"), "{}", e.message);
        assert_eq!(e.offset, Some(5));
        // A variant, and an unknown one: the value.
        let level = probe("level: off\n").expect("read").level.expect("level");
        assert_eq!(level.span.start, 7);
        let e = probe("level: loud\n").expect_err("variant");
        assert!(
            e.message.starts_with("unknown variant `loud`"),
            "{}",
            e.message
        );
        assert_eq!((e.offset, e.len), (Some(7), 4));
    }

    #[test]
    fn duplicate_keys_are_refused_where_they_repeat() {
        let e = probe("map:\n  a: x\n  b: y\n  a: z\n").expect_err("dup");
        assert!(
            e.message.starts_with("duplicate mapping key: a"),
            "{}",
            e.message
        );
        assert_eq!((e.offset, e.len), (Some(21), 1));
        let e = probe("text: a\ntext: b\n").expect_err("dup field");
        assert_eq!(e.offset, Some(8));
        // Many keys (the large-mapping path).
        let mut many: String = (0..40).map(|i| format!("  k{i}: v\n")).collect();
        many.push_str("  k7: again\n");
        let e = probe(&format!("map:\n{many}")).expect_err("dup in many");
        assert!(e.message.contains("k7"), "{}", e.message);
    }

    #[test]
    fn aliases_are_expanded_at_the_alias() {
        let text = "list: &l [a, b]\nmap:\n  x: *l\n";
        // `map` holds text values: the expanded list is refused at the alias.
        let e = probe(text).expect_err("list as text");
        assert_eq!(e.offset, Some(text.find("*l").expect("alias")));
        let text = "text: &t hello\nlist: [*t, *t]\n";
        let p = probe(text).expect("read");
        assert_eq!(p.list.len(), 2);
        assert_eq!(p.list[0].value, "hello");
        assert_eq!(
            p.list[1].span.start as usize,
            text.rfind("*t").expect("alias")
        );
        // An alias inside its own anchor.
        let e = parse_document::<serde_json::Value>(FileId::NONE, "a: &x [*x]\n")
            .expect_err("recursive");
        assert!(e.message.contains("recursive"), "{}", e.message);
    }

    /// The same outcome, the former way (serde-saphyr's deserializer) and ours: the same
    /// value with the same spans, or the same error at the same place.
    fn same(text: &str) -> Result<(), String> {
        use crate::manifest::Document;
        let file = FileId(7);
        let old = legacy::parse_legacy::<Document>(file, text);
        let new = parse_document::<Document>(file, text);
        let show = |r: &Result<Document, YamlError>| match r {
            Ok(d) => format!("{d:?}"),
            Err(e) => format!(
                "{:?} {:?}+{} {:?} help={:?}",
                e.message, e.offset, e.len, e.kind, e.help
            ),
        };
        let (o, n) = (show(&old), show(&new));
        if o == n {
            Ok(())
        } else {
            Err(format!("{text}\n--- old: {o}\n--- new: {n}"))
        }
    }

    /// Untyped values (`serde_json::Value`, read through `deserialize_any`) are typed as
    /// serde-saphyr typed them.
    #[test]
    fn untyped_values_read_as_serde_saphyr_did() {
        type Doc = serde_json::Value;
        let scalars = [
            "1",
            "-2",
            "1.5",
            ".inf",
            "-.inf",
            "-.nan",
            ".nan",
            "0x1F",
            "0X1F",
            "0o17",
            "0b11",
            "007",
            "-007",
            "1_000",
            "true",
            "True",
            "TRUE",
            "NO",
            "yes",
            "~",
            "null",
            "NULL",
            "''",
            "\"3\"",
            "1e999",
            "+5",
            "1.",
            ".5",
            "inf",
            "nan",
            "-0",
            "18446744073709551616",
            "-9223372036854775809",
            "1e3",
            "|\n  block",
            "[a, 1]",
            "{b: ~}",
        ];
        for v in scalars {
            let text = format!("a: {v}\n");
            let file = FileId(7);
            let show = |r: Result<Doc, YamlError>| match r {
                Ok(d) => format!("{d:?}"),
                Err(e) => format!("{:?} {:?}+{}", e.message, e.offset, e.len),
            };
            let old = show(legacy::parse_legacy::<Doc>(file, &text));
            let new = show(parse_document::<Doc>(file, &text));
            assert_eq!(old, new, "{text}");
        }
    }

    /// Every manifest of the repository, and variants of each with a line removed, doubled,
    /// its key renamed or its value replaced, reads as it did through serde-saphyr.
    #[test]
    fn reads_as_serde_saphyr_did() {
        fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
            let Ok(rd) = std::fs::read_dir(dir) else {
                return;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    walk(&p, out);
                } else if p.extension().is_some_and(|x| x == "yaml") {
                    out.push(p);
                }
            }
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        walk(&root.join("examples"), &mut files);
        walk(&root.join("tests"), &mut files);
        files.sort();
        let values = [
            "[]",
            "{}",
            "~",
            "\"\"",
            "123",
            "NO",
            "true",
            "x y",
            "{a: 1}",
            "[a, b]",
            "-1",
            "P3Y",
            "1.5",
            "",
            "'7'",
            "null",
            "[1, {b: c}]",
            "XX",
            "0x1F",
            "yes",
            "- a",
            "FALSE",
            "\"true\"",
            "4294967296",
            ".inf",
            "&a x",
        ];
        let mut failures = Vec::new();
        let mut count = 0usize;
        for f in &files {
            let text = std::fs::read_to_string(f).expect("read");
            let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
            let mut cases = vec![text.to_string()];
            let lines: Vec<&str> = text.lines().collect();
            for i in 0..lines.len() {
                let with = |l: Option<String>, extra: Option<String>| {
                    let mut v: Vec<String> = Vec::new();
                    for (j, x) in lines.iter().enumerate() {
                        if j == i {
                            if let Some(l) = &l {
                                v.push(l.clone());
                            }
                            if let Some(e) = &extra {
                                v.push(e.clone());
                            }
                        } else {
                            v.push(x.to_string());
                        }
                    }
                    v.join("\n") + "\n"
                };
                let line = lines[i];
                cases.push(with(None, None));
                cases.push(with(Some(line.to_string()), Some(line.to_string())));
                if let Some((k, v)) = line.split_once(':') {
                    let indent = &k[..k.len() - k.trim_start().len()];
                    let dash = if k.trim_start().starts_with("- ") {
                        "- "
                    } else {
                        ""
                    };
                    cases.push(with(Some(format!("{indent}{dash}bogus_key:{v}")), None));
                    for n in 0..2 {
                        let val = values[(i * 2 + n) % values.len()];
                        cases.push(with(Some(format!("{k}: {val}")), None));
                    }
                }
            }
            for c in cases {
                count += 1;
                if let Err(e) = same(&c) {
                    failures.push(format!("{}: {e}", f.display()));
                }
            }
        }
        let extra = [
            "version: 1\n",
            "version: \"1\"\n",
            "version: 1.0\n",
            "version: -1\n",
            "version: 0x10\n",
            "version: 010\n",
            "version: +3\n",
            "version: 1_0\n",
            "version:\n",
            "version: ~\n",
            "a: &x [*x]\n",
            "datasets: &d\n  t: {}\nsystems: *d\n",
            "datasets:\n  t: {}\n  t: {}\n",
            "datasets:\n  t: {}\n  u: {}\n  t: {}\n",
            "datasets:\n  t:\n    fields: {a: {}, a: {}}\n",
            "- a\n",
            "x\n",
            "~\n",
            "'quoted'\n",
            "{}\n",
            "[]\n",
            "datasets: [a]\n",
            "datasets: a\n",
            "datasets:\n  t:\n    fields:\n      f:\n        anonymise: null\n",
            "datasets:\n  t:\n    fields:\n      f:\n        anonymise:\n",
            "datasets:\n  t:\n    fields:\n      f:\n        mask: {keep_first: NO}\n",
            "datasets:\n  t:\n    encryption: {at_rest: NO}\n",
            "datasets:\n  t:\n    encryption: {at_rest: 'true'}\n",
            "datasets:\n  t:\n    encryption: {at_rest: True}\n",
            "datasets:\n  t:\n    country: [DE]\n",
            "datasets:\n  t:\n    country: UK\n",
            "datasets:\n  t:\n    country: 12\n",
            "datasets:\n  t:\n    title: {en: ''}\n",
            "datasets:\n  t:\n    title: {en: 5}\n",
            "datasets:\n  t:\n    subjects: [a, [b]]\n",
            "datasets:\n  t:\n    subjects: [a, ~]\n",
            "datasets:\n  t:\n    subjects: [a, {b: 1}]\n",
            "datasets:\n  ? [a]\n  : {}\n",
            "datasets:\n  1: {}\n  true: {}\n  ~: {}\n",
            "datasets:\n  t: &x {}\n  u: *x\n",
            "a: *x\n",
        ];
        for c in extra {
            count += 1;
            if let Err(e) = same(c) {
                failures.push(e);
            }
        }
        if !failures.is_empty() {
            let all = std::env::temp_dir().join("lawful-yaml-diff.txt");
            let _ = std::fs::write(&all, failures.join("\n\n====\n"));
        }
        assert!(
            failures.is_empty(),
            "{} of {count} differ (all in lawful-yaml-diff.txt in the temporary folder):\n{}",
            failures.len(),
            failures
                .iter()
                .map(|f| f.rsplit("--- old").next().unwrap_or(f).to_string())
                .take(40)
                .collect::<Vec<_>>()
                .join("\n")
        );
    }
}
