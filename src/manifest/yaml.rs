//! The one wrapper around the YAML parser (serde-saphyr).
//!
//! Every other module sees only [`Sp`] (a value with its [`Span`]) and [`parse_document`].
//! The parser is configured for manifests written by people and read by machines:
//! YAML 1.2 booleans only (`NO` is Norway, not `false`), duplicate keys and merge keys (`<<`)
//! rejected, alias expansion tightly bounded (an alias bomb fails fast), a node budget scaled
//! to the size of the file, nesting limited to 48 levels, and a single document per file.

use std::cell::Cell;
use std::fmt;

use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::manifest::source::FileId;

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

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Sp<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
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
    /// "limit" for a refused resource budget.
    pub kind: YamlErrorKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum YamlErrorKind {
    Syntax,
    Structure,
    Limit,
}

fn options_for(len: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    // A manifest node costs at least two bytes of source text ("a\n"), so a budget of one
    // node per byte plus headroom never refuses an honest file, while alias replay (which
    // creates nodes without source text) stays bounded below.
    budget.max_nodes = len.saturating_add(1024);
    budget.max_events = len.saturating_mul(2).saturating_add(4096);
    budget.max_depth = 48;
    budget.max_aliases = 1_000;
    budget.max_anchors = 1_000;
    budget.max_documents = 1;
    let mut o = serde_saphyr::Options::default();
    o.budget = Some(budget);
    o.strict_booleans = true;
    o.duplicate_keys = serde_saphyr::options::DuplicateKeyPolicy::Error;
    o.merge_keys = serde_saphyr::options::MergeKeyPolicy::Error;
    o.alias_limits.max_total_replayed_events = 10_000;
    o.alias_limits.max_replay_stack_depth = 8;
    o.alias_limits.max_alias_expansions_per_anchor = 100;
    o
}

/// Parse one YAML document of `file` into `T`.
///
/// `text` must already be free of a leading byte-order mark (the source map strips it, so
/// that spans and the text shown in reports agree). An empty document (or one holding only
/// comments) gives `T::default()`. Errors carry a byte offset into `text`.
pub fn parse_document<T: DeserializeOwned + Default>(
    file: FileId,
    text: &str,
) -> Result<T, YamlError> {
    let body = text;
    if body
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#') || l.trim() == "---")
    {
        return Ok(T::default());
    }
    CURRENT_FILE.with(|c| c.set(file));
    let res: Result<T, serde_saphyr::Error> =
        serde_saphyr::from_str_with_options(body, options_for(body.len()));
    CURRENT_FILE.with(|c| c.set(FileId::NONE));
    res.map_err(|e| convert_error(&e))
}

fn convert_error(e: &serde_saphyr::Error) -> YamlError {
    let loc = e.location();
    let offset = loc.and_then(|l| l.span().byte_offset()).map(|o| o as usize);
    let len = loc
        .and_then(|l| l.span().byte_len())
        .map(|l| l as usize)
        .unwrap_or(0);
    let raw = e.without_snippet().to_string();
    let message = clean_message(&raw);
    let kind = classify(e, &message);
    YamlError {
        message,
        offset,
        len,
        kind,
    }
}

fn clean_message(raw: &str) -> String {
    // serde-saphyr appends " at line X, column Y" to some messages; the report prints the
    // location itself.
    let first = raw.lines().next().unwrap_or(raw).trim();
    let cut = first
        .rfind(" at line ")
        .map(|i| &first[..i])
        .unwrap_or(first);
    cut.trim_end_matches(':').to_string()
}

fn classify(_e: &serde_saphyr::Error, msg: &str) -> YamlErrorKind {
    let lower = msg.to_ascii_lowercase();
    if lower.contains("budget") || lower.contains("limit") || lower.contains("too deep") {
        return YamlErrorKind::Limit;
    }
    const STRUCTURE: [&str; 12] = [
        "unknown field",
        "unknown variant",
        "missing field",
        "invalid type",
        "invalid value",
        "invalid length",
        "duplicate field",
        "is not an iso",
        "is not a date",
        "is not a valid",
        "country codes",
        "duplicate mapping key",
    ];
    if STRUCTURE.iter().any(|m| lower.contains(m)) {
        YamlErrorKind::Structure
    } else {
        YamlErrorKind::Syntax
    }
}
