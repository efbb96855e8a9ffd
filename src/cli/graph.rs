//! `lawful graph [DIR]`: the data map as Mermaid, DOT or JSON.

use std::fmt::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use crate::Project;
use crate::cli::{EXIT_OK, excluded, report_failure};
use crate::model::NodeRef;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The project folder (with lawful.yaml at its root).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "mermaid")]
    format: Format,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Mermaid,
    Dot,
    Json,
}

pub fn run(a: Args) -> i32 {
    let project = match crate::load(&a.dir, &excluded(None)) {
        Ok(p) => p,
        Err(f) => return report_failure(&f),
    };
    crate::cli::out(&match a.format {
        Format::Mermaid => mermaid(&project),
        Format::Dot => dot(&project),
        Format::Json => json(&project),
    });
    EXIT_OK
}

fn node_key(n: NodeRef) -> String {
    match n {
        NodeRef::Subject(i) => format!("subject_{i}"),
        NodeRef::Dataset(i) => format!("dataset_{i}"),
        NodeRef::System(i) => format!("system_{i}"),
        NodeRef::Recipient(i) => format!("recipient_{i}"),
    }
}

fn nodes(p: &Project) -> Vec<NodeRef> {
    let m = &p.model;
    (0..m.subjects.len())
        .map(NodeRef::Subject)
        .chain((0..m.datasets.len()).map(NodeRef::Dataset))
        .chain((0..m.systems.len()).map(NodeRef::System))
        .chain((0..m.recipients.len()).map(NodeRef::Recipient))
        .collect()
}

fn node_label(p: &Project, n: NodeRef) -> String {
    let id = p.model.node_id(n);
    match p.model.node_country(n) {
        Some(c) => format!("{id} ({c})"),
        None => id.to_string(),
    }
}

fn edge_label(p: &Project, fi: usize) -> String {
    let m = &p.model;
    let purposes: Vec<&str> = m.flows[fi]
        .purposes
        .iter()
        .map(|&i| m.purposes[i].id.value.as_str())
        .collect();
    let mut l = purposes.join(", ");
    if p.graph.is_gdpr_transfer(m, fi) {
        l.push_str(" [GDPR transfer]");
    }
    if p.graph.is_pipl_export(m, fi) {
        l.push_str(" [PIPL export]");
    }
    l
}

/// Escape text for a Mermaid label in double quotes.
fn mermaid_text(s: &str) -> String {
    s.replace('"', "#quot;")
}

fn mermaid(p: &Project) -> String {
    let mut out = String::from("flowchart LR\n");
    for n in nodes(p) {
        let label = mermaid_text(&node_label(p, n));
        let shape = match n {
            NodeRef::Subject(_) => format!("(([\"{label}\"]))"),
            NodeRef::Dataset(_) => format!("[(\"{label}\")]"),
            NodeRef::System(_) => format!("[\"{label}\"]"),
            NodeRef::Recipient(_) => format!("{{{{\"{label}\"}}}}"),
        };
        let _ = writeln!(out, "  {}{}", node_key(n), shape);
    }
    for (fi, f) in p.model.flows.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {} -->|\"{}\"| {}",
            node_key(f.from),
            mermaid_text(&edge_label(p, fi)),
            node_key(f.to)
        );
    }
    out
}

fn dot_text(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

fn dot(p: &Project) -> String {
    let mut out = String::from("digraph lawful {\n  rankdir=LR;\n");
    for n in nodes(p) {
        let shape = match n {
            NodeRef::Subject(_) => "ellipse",
            NodeRef::Dataset(_) => "cylinder",
            NodeRef::System(_) => "box",
            NodeRef::Recipient(_) => "hexagon",
        };
        let _ = writeln!(
            out,
            "  {} [label=\"{}\", shape={shape}];",
            node_key(n),
            dot_text(&node_label(p, n))
        );
    }
    for (fi, f) in p.model.flows.iter().enumerate() {
        let _ = writeln!(
            out,
            "  {} -> {} [label=\"{}\"];",
            node_key(f.from),
            node_key(f.to),
            dot_text(&edge_label(p, fi))
        );
    }
    out.push_str("}\n");
    out
}

fn json(p: &Project) -> String {
    let m = &p.model;
    let kind = |n: NodeRef| match n {
        NodeRef::Subject(_) => "subject",
        NodeRef::Dataset(_) => "dataset",
        NodeRef::System(_) => "system",
        NodeRef::Recipient(_) => "recipient",
    };
    let cats = |set: &crate::graph::CatSet| -> Vec<String> {
        set.iter().map(|c| m.taxonomy.cat(c).id.clone()).collect()
    };
    let v = serde_json::json!({
        "nodes": nodes(p).into_iter().map(|n| serde_json::json!({
            "id": m.node_id(n),
            "kind": kind(n),
            "country": m.node_country(n).map(|c| c.as_str()),
            "categories": cats(p.graph.categories_at(n)),
        })).collect::<Vec<_>>(),
        "flows": m.flows.iter().enumerate().map(|(fi, f)| serde_json::json!({
            "from": m.node_id(f.from),
            "to": m.node_id(f.to),
            "purposes": f.purposes.iter().map(|&i| m.purposes[i].id.value.as_str()).collect::<Vec<_>>(),
            "categories": cats(p.graph.flow_categories(fi)),
            "gdpr_transfer": p.graph.is_gdpr_transfer(m, fi),
            "pipl_export": p.graph.is_pipl_export(m, fi),
            "onward": p.graph.is_onward(m, fi),
        })).collect::<Vec<_>>(),
    });
    let mut s = serde_json::to_string_pretty(&v).expect("json");
    s.push('\n');
    s
}
