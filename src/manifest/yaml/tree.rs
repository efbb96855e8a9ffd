//! Read a YAML file into a small tree of nodes, refusing what a manifest never needs.
//!
//! One pass over the events of the YAML parser (granit, the parser under serde-saphyr)
//! builds the tree and refuses, at the first offending event:
//!
//! - syntax errors (with a hint when a tab or an unclosed `[`/`{` is the likely cause);
//! - tags (`!name`, `!!binary`, `!!str` …): they change how a value is read (`!!binary`
//!   decodes base64, an application tag would be dropped silently), and a manifest never
//!   needs one;
//! - merge keys (`<<`): a declaration must read on its own;
//! - a second document (`---`): one file, one document;
//! - nesting deeper than [`MAX_DEPTH`];
//! - more than [`MAX_ANCHORS`] anchors or [`MAX_ALIASES`] aliases, or aliases expanding to
//!   more than [`MAX_ALIAS_NODES`] nodes in all (an alias bomb fails fast, before any
//!   expansion is built).
//!
//! Honest aliases are expanded: the alias becomes a copy of its anchored node (carrying the
//! span of the `*name` token at its root), so the deserializer never sees an alias.
//! Duplicate keys are found here too, but only recorded on their mapping: the deserializer
//! refuses one when it reaches it, so that the first problem of the file in reading order is
//! the one reported.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use serde_saphyr::granit_parser::{Event, Parser, ScalarStyle, ScanError, StructureStyle};

use super::{
    MAX_ALIAS_NODES, MAX_ALIASES, MAX_ANCHORS, MAX_DEPTH, YamlError, YamlErrorKind, line_col,
    offset_of_line_col,
};

/// A YAML node with the byte range of the event that starts it (for an alias, the `*name`
/// token).
#[derive(Clone, Debug)]
pub(crate) struct Node<'a> {
    pub start: u32,
    pub end: u32,
    pub kind: Kind<'a>,
}

#[derive(Clone, Debug)]
pub(crate) enum Kind<'a> {
    /// A scalar's text (escapes and folding resolved), and whether it was written plain
    /// (only plain scalars can be null, booleans or numbers).
    Scalar {
        text: Cow<'a, str>,
        plain: bool,
    },
    Seq(Vec<Node<'a>>),
    /// Entries in the order of the file; `dup` is the index of the first entry whose key
    /// repeats an earlier key of the same mapping.
    Map {
        entries: Vec<(Node<'a>, Node<'a>)>,
        dup: Option<u32>,
    },
    /// An alias inside the node it refers to.
    Recursive,
}

impl Node<'_> {
    /// Place this node and all below it at `start..end`.
    fn place_at(&mut self, start: u32, end: u32) {
        self.start = start;
        self.end = end;
        match &mut self.kind {
            Kind::Seq(items) => items.iter_mut().for_each(|n| n.place_at(start, end)),
            Kind::Map { entries, .. } => entries.iter_mut().for_each(|(k, v)| {
                k.place_at(start, end);
                v.place_at(start, end);
            }),
            Kind::Scalar { .. } | Kind::Recursive => {}
        }
    }

    /// The scalar's text, if the node is a scalar.
    pub fn scalar(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { text, .. } => Some(text),
            _ => None,
        }
    }
}

/// One open collection.
struct Frame<'a> {
    /// For a mapping: whether the next node is a key. `None` for a sequence.
    expect_key: Option<bool>,
    /// Nodes in the collection so far, itself included, aliases counted expanded.
    size: u64,
    /// The anchor defined on the collection, 0 for none.
    anchor: usize,
    /// Byte range of the start event, and whether it is a flow `[`/`{`.
    start: usize,
    end: usize,
    flow: bool,
    /// Items of a sequence so far.
    items: Vec<Node<'a>>,
    /// Entries of a mapping so far, and the key waiting for its value.
    entries: Vec<(Node<'a>, Node<'a>)>,
    key: Option<Node<'a>>,
}

pub(super) fn limit(message: String, help: &str, offset: usize, len: usize) -> YamlError {
    YamlError {
        message,
        offset: Some(offset),
        len,
        kind: YamlErrorKind::Limit,
        help: Some(help.to_string()),
    }
}

/// Read `text` into its root node (`None` for a stream without a document), or the first
/// refusal of the file.
pub(crate) fn read(text: &str) -> Result<Option<Node<'_>>, YamlError> {
    let mut stack: Vec<Frame> = Vec::new();
    // Completed anchored nodes, by anchor id, with their size (aliases counted expanded).
    let mut anchored: HashMap<usize, (Node, u64)> = HashMap::new();
    let mut anchors = 0usize;
    let mut aliases = 0usize;
    let mut alias_nodes = 0u64;
    let mut documents = 0usize;
    let mut root: Option<Node> = None;

    for item in Parser::new_from_str(text) {
        let (ev, span) = match item {
            Ok(x) => x,
            Err(e) => return Err(scan_error(&e, text, &stack)),
        };
        let range = span.byte_range();
        let at = span.start.byte_offset().unwrap_or(0);
        let len = range.as_ref().map(|r| r.len()).unwrap_or(0).max(1);
        let end = range.map(|r| r.end).unwrap_or(at);
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
        if let Event::Scalar(_, _, _, Some(_))
        | Event::SequenceStart(_, _, Some(_))
        | Event::MappingStart(_, _, Some(_)) = &ev
        {
            return Err(tag_error(text, at, len));
        }
        // A node completed by this event, its size, and the anchor it defines.
        let done: Option<(Node, u64, usize)> = match ev {
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
                let plain = style == ScalarStyle::Plain;
                if is_key && plain && value == "<<" {
                    return Err(limit(
                        "merge keys (`<<`) are not supported".into(),
                        "write the keys out in full, so that each declaration reads on its own",
                        at,
                        len,
                    ));
                }
                let node = Node {
                    start: at as u32,
                    end: end as u32,
                    kind: Kind::Scalar { text: value, plain },
                };
                Some((node, 1, anchor))
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
                    anchor,
                    start: at,
                    end,
                    flow: style == StructureStyle::Flow,
                    items: Vec::new(),
                    entries: Vec::new(),
                    key: None,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => match stack.pop() {
                Some(f) => {
                    let kind = if f.expect_key.is_some() {
                        map_kind(f.entries)
                    } else {
                        Kind::Seq(f.items)
                    };
                    let node = Node {
                        start: f.start as u32,
                        end: f.end as u32,
                        kind,
                    };
                    Some((node, f.size, f.anchor))
                }
                None => None,
            },
            Event::Alias(id) => {
                aliases += 1;
                let found = anchored.get(&id);
                let size = found.map_or(1, |(_, s)| *s);
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
                // Every node of the copy is placed at the alias, as serde-saphyr placed
                // them. An alias to a collection still open refers to itself: refused when
                // the deserializer reaches it.
                let node = match found {
                    Some((node, _)) => {
                        let mut node = node.clone();
                        node.place_at(at as u32, end as u32);
                        node
                    }
                    None => Node {
                        start: at as u32,
                        end: end as u32,
                        kind: Kind::Recursive,
                    },
                };
                Some((node, size, 0))
            }
            _ => None,
        };
        if let Some((node, size, anchor)) = done {
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
                anchored.insert(anchor, (node.clone(), size));
            }
            match stack.last_mut() {
                Some(parent) => {
                    parent.size = parent.size.saturating_add(size);
                    if parent.expect_key.is_none() {
                        parent.items.push(node);
                    } else if let Some(key) = parent.key.take() {
                        parent.entries.push((key, node));
                    } else {
                        parent.key = Some(node);
                    }
                }
                None => root = Some(node),
            }
        }
    }
    Ok(root)
}

/// A mapping from its entries, with its first repeated key.
fn map_kind<'a>(entries: Vec<(Node<'a>, Node<'a>)>) -> Kind<'a> {
    let key = |i: usize| entries[i].0.scalar();
    let mut dup = None;
    if entries.len() <= 16 {
        'outer: for i in 1..entries.len() {
            let Some(k) = key(i) else { continue };
            for j in 0..i {
                if key(j) == Some(k) {
                    dup = Some(i as u32);
                    break 'outer;
                }
            }
        }
    } else {
        let mut seen = HashSet::with_capacity(entries.len());
        for (i, (k, _)) in entries.iter().enumerate() {
            if let Some(k) = k.scalar()
                && !seen.insert(k)
            {
                dup = Some(i as u32);
                break;
            }
        }
    }
    Kind::Map { entries, dup }
}

/// The refusal of a tag, pointing at the tag itself.
fn tag_error(text: &str, at: usize, len: usize) -> YamlError {
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
    limit(
        "YAML tags (`!name`, `!!binary`, `!!str` …) are not supported".into(),
        "remove the tag: write the value plainly, and quote it if it must stay text",
        tag_at,
        tag_len,
    )
}

/// A syntax error from the scanner, with a hint for the usual causes.
fn scan_error(e: &ScanError, text: &str, stack: &[Frame]) -> YamlError {
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
