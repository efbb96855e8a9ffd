//! The former reading of manifests through serde-saphyr's deserializer, kept for tests only:
//! the differential test in `yaml.rs` checks that the new reader gives the same values,
//! spans and errors on every manifest of the repository and on mutations of them. The
//! wording of messages (`humanize`, `found_at`, `clean_message`, …) is shared with the new
//! reader; what is this module's own is serde-saphyr's options, the former pre-scan and the
//! conversion of serde-saphyr's errors.
#![allow(dead_code)]

use serde::de::DeserializeOwned;

use super::tree::limit;
use super::*;
use crate::manifest::source::FileId;

fn options_for(len: usize) -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    // A manifest node costs at least two bytes of source text ("a\n"), so a budget of one
    // node per byte plus headroom never refuses an honest file, while alias replay (which
    // creates nodes without source text) stays bounded below.
    budget.max_nodes = len.saturating_add(1024);
    budget.max_events = len.saturating_mul(2).saturating_add(4096);
    budget.max_depth = MAX_DEPTH;
    budget.max_aliases = MAX_ALIASES;
    budget.max_anchors = MAX_ANCHORS;
    budget.max_documents = 1;
    let mut o = serde_saphyr::Options::default();
    o.budget = Some(budget);
    o.strict_booleans = true;
    o.duplicate_keys = serde_saphyr::options::DuplicateKeyPolicy::Error;
    o.merge_keys = serde_saphyr::options::MergeKeyPolicy::Error;
    o.alias_limits.max_total_replayed_events = 2 * MAX_ALIAS_NODES as usize + 2;
    o.alias_limits.max_replay_stack_depth = 8;
    o.alias_limits.max_alias_expansions_per_anchor = 100;
    o
}

/// Parse one YAML document of `file` into `T`.
///
/// `text` must already be free of a leading byte-order mark (the source map strips it, so
/// that spans and the text shown in reports agree). An empty document (or one holding only
/// comments) gives `T::default()`. Errors carry a byte offset into `text`.
///
/// Syntax errors, a second document, merge keys, tags, nesting deeper than [`MAX_DEPTH`]
/// and aliases that expand beyond [`MAX_ALIAS_NODES`] are refused, by a scan of the whole
/// file as a stream of YAML events (the pre-scan) that runs whenever the file is refused or
/// holds a `!` or a `*`. A file is therefore either read whole or refused whole, and a syntax error
/// is never reported as a missing key.
pub fn parse_legacy<T: DeserializeOwned + Default>(
    file: FileId,
    text: &str,
) -> Result<T, YamlError> {
    let body = text;
    // YAML breaks lines at LF, CRLF and a lone CR alike.
    if body
        .split(['\n', '\r'])
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#') || l.trim() == "---")
    {
        return Ok(T::default());
    }
    CURRENT_FILE.with(|c| c.set(file));
    LEGACY.with(|c| c.set(true));
    let res: Result<T, serde_saphyr::Error> =
        serde_saphyr::from_str_with_options(body, options_for(body.len()));
    CURRENT_FILE.with(|c| c.set(FileId::NONE));
    LEGACY.with(|c| c.set(false));
    match res {
        // serde-saphyr's own budget already refuses a second document, merge keys and deep
        // nesting. What passes it: tags, which need a `!`, and aliases expanding beyond
        // [`MAX_ALIAS_NODES`] in a large file (its node budget grows with the file), which
        // need a `*`. The second pass is skipped for the other files: it was a third of
        // the time spent parsing (docs/performance.md).
        Ok(v) if !body.contains(['!', '*']) => Ok(v),
        Ok(v) => prescan(body).map(|()| v),
        // A refused file: the pre-scan names the first problem of the file in the words of
        // the manifest (a syntax error before any missing key), else serde-saphyr's error.
        Err(e) => Err(prescan(body)
            .err()
            .unwrap_or_else(|| convert_error(&e, body))),
    }
}

/// One open collection during the pre-scan.
struct Frame {
    /// For a mapping: whether the next node is a key. `None` for a sequence.
    expect_key: Option<bool>,
    /// Nodes in the collection so far, itself included, aliases counted expanded.
    size: u64,
    /// The anchor defined on the collection, 0 for none.
    anchor: usize,
    /// Byte offset of the collection's first character, and whether it is a flow `[`/`{`.
    start: usize,
    flow: bool,
}

/// Scan `text` as YAML events and refuse what a manifest never needs (see
/// [`parse_document`]).
fn prescan(text: &str) -> Result<(), YamlError> {
    use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, StructureStyle};
    use std::collections::HashMap;

    let mut stack: Vec<Frame> = Vec::new();
    let mut anchor_sizes: HashMap<usize, u64> = HashMap::new();
    let mut anchors = 0usize;
    let mut aliases = 0usize;
    let mut alias_nodes = 0u64;
    let mut documents = 0usize;

    for item in Parser::new_from_str(text) {
        let (ev, span) = match item {
            Ok(x) => x,
            Err(e) => return Err(scan_error(&e, text, &stack)),
        };
        let at = span.start.byte_offset().unwrap_or(0);
        let len = span.byte_range().map(|r| r.len()).unwrap_or(0).max(1);
        // A node starts: flip its mapping parent between key and value.
        let starts_node = matches!(
            ev,
            Event::Scalar(..)
                | Event::Alias(_)
                | Event::SequenceStart(..)
                | Event::MappingStart(..)
        );
        let mut is_key = false;
        if starts_node
            && let Some(Frame {
                expect_key: Some(k),
                ..
            }) = stack.last_mut()
        {
            is_key = *k;
            *k = !*k;
        }
        // Tags change how a value is read (`!!binary` decodes base64, `!custom` is dropped
        // silently by serde): a manifest never needs one.
        if let Event::Scalar(_, _, _, Some(_))
        | Event::SequenceStart(_, _, Some(_))
        | Event::MappingStart(_, _, Some(_)) = &ev
        {
            // The event starts at the value; the tag is written before it on the same line.
            let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let tag_at = text[line_start..at]
                .rfind('!')
                .map(|i| {
                    let mut i = line_start + i;
                    while i > line_start && text.as_bytes()[i - 1] == b'!' {
                        i -= 1;
                    }
                    i
                })
                .unwrap_or(at);
            let tag_len = text[tag_at..]
                .find(|c: char| c.is_whitespace())
                .unwrap_or(len)
                .max(1);
            return Err(limit(
                "YAML tags (`!name`, `!!binary`, `!!str` …) are not supported".into(),
                "remove the tag: write the value plainly, and quote it if it must stay text",
                tag_at,
                tag_len,
            ));
        }
        // Size of a node completed by this event, and the anchor it defines.
        let done: Option<(u64, usize)> = match &ev {
            Event::DocumentStart(..) => {
                documents += 1;
                if documents > 1 {
                    return Err(limit(
                        "this file holds more than one YAML document (`---`)".into(),
                        "a manifest file holds one document: move each `---` document into a file of its own",
                        at,
                        len,
                    ));
                }
                None
            }
            Event::Scalar(value, style, anchor, _) => {
                if is_key && *style == ScalarStyle::Plain && value == "<<" {
                    return Err(limit(
                        "merge keys (`<<`) are not supported".into(),
                        "write the keys out in full, so that each declaration reads on its own",
                        at,
                        len,
                    ));
                }
                Some((1, *anchor))
            }
            Event::SequenceStart(style, anchor, _) | Event::MappingStart(style, anchor, _) => {
                if stack.len() >= MAX_DEPTH {
                    return Err(limit(
                        format!("the YAML is nested more than {MAX_DEPTH} levels deep"),
                        "a manifest never needs this much nesting (the deepest key, a field's `categories`, is six levels down); flatten the structure",
                        at,
                        len,
                    ));
                }
                stack.push(Frame {
                    expect_key: matches!(ev, Event::MappingStart(..)).then_some(true),
                    size: 1,
                    anchor: *anchor,
                    start: at,
                    flow: *style == StructureStyle::Flow,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => stack.pop().map(|f| (f.size, f.anchor)),
            Event::Alias(id) => {
                aliases += 1;
                let size = anchor_sizes.get(id).copied().unwrap_or(1);
                alias_nodes = alias_nodes.saturating_add(size);
                if aliases > MAX_ALIASES || alias_nodes > MAX_ALIAS_NODES {
                    return Err(limit(
                        format!(
                            "aliases in this file expand to more than {} values (an alias bomb, or close to one)",
                            if aliases > MAX_ALIASES {
                                MAX_ALIASES as u64
                            } else {
                                MAX_ALIAS_NODES
                            }
                        ),
                        "anchors (`&name`) and aliases (`*name`) may only be used sparingly; write the values out",
                        at,
                        len,
                    ));
                }
                Some((size, 0))
            }
            _ => None,
        };
        if let Some((size, anchor)) = done {
            if anchor != 0 {
                anchors += 1;
                if anchors > MAX_ANCHORS {
                    return Err(limit(
                        format!("this file defines more than {MAX_ANCHORS} anchors (`&name`)"),
                        "anchors and aliases may only be used sparingly; write the values out",
                        at,
                        len,
                    ));
                }
                anchor_sizes.insert(anchor, size);
            }
            if let Some(parent) = stack.last_mut() {
                parent.size = parent.size.saturating_add(size);
            }
        }
    }
    Ok(())
}

/// A syntax error from the scanner, with a hint for the usual causes.
fn scan_error(
    e: &serde_saphyr::granit_parser::ScanError,
    text: &str,
    stack: &[Frame],
) -> YamlError {
    let mark = e.marker();
    let offset = mark
        .byte_offset()
        .or_else(|| offset_of_line_col(text, mark.line(), mark.col() + 1))
        .unwrap_or(0)
        .min(text.len());
    let message = e.info();
    let lower = message.to_ascii_lowercase();
    // The scanner notices a tab after reading it: point at the tab itself.
    let offset = if lower.contains("tab") {
        let line_start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
        let line_end = text[offset..].find('\n').map_or(text.len(), |i| offset + i);
        text[line_start..line_end]
            .find('\t')
            .map_or(offset, |i| line_start + i)
    } else {
        offset
    };
    let help = if lower.contains("tab") {
        Some("YAML indents with spaces only: replace the tab characters with spaces".to_string())
    } else if let Some(open) = stack.iter().rev().find(|f| f.flow) {
        let (line, col) = line_col(text, open.start);
        let bracket = text[open.start..].chars().next().unwrap_or('[');
        let close = if bracket == '{' { '}' } else { ']' };
        Some(format!(
            "the `{bracket}` opened at line {line}, column {col} is not closed: add the `{close}`"
        ))
    } else {
        None
    };
    YamlError {
        message,
        offset: Some(offset),
        len: 1,
        kind: YamlErrorKind::Syntax,
        help,
    }
}

fn convert_error(e: &serde_saphyr::Error, text: &str) -> YamlError {
    let loc = e.location();
    let offset = loc
        .and_then(|l| {
            l.span()
                .byte_offset()
                .map(|o| o as usize)
                .or_else(|| offset_of_line_col(text, l.line() as usize, l.column() as usize))
        })
        .map(|o| o.min(text.len()));
    let len = loc
        .and_then(|l| l.span().byte_len())
        .map(|l| l as usize)
        .unwrap_or(0);
    let raw = e.without_snippet().to_string();
    located_error(clean_message(&raw), offset, len, text)
}
