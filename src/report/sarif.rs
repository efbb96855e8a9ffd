//! The SARIF 2.1.0 report (`lawful check --format sarif`, `--sarif-file PATH`), for code
//! scanning services such as GitHub's: one run whose driver lists every rule, and one
//! result per finding (suppressed ones carry a `suppressions` entry) or per problem
//! reading the project (its `ruleId` is the `load::` or `resolve::` code).
//!
//! File URIs are relative to the current directory (where CI checks out the repository),
//! with `%SRCROOT%` as their base: the project folder as given on the command line, then
//! the file's path inside the project, such as `examples/sakila/purposes.yaml`.

use std::path::{Component, Path};

use serde_json::{Map, Value, json};

use crate::manifest::source::SourceMap;
use crate::manifest::yaml::Span;
use crate::report::{Diagnostic, Severity, locate};
use crate::rules::Rule;

/// The `$schema` of the log.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// Where users learn about the tool: the package's homepage or repository, when
/// Cargo.toml names one (there is no public home yet, and we do not make one up).
fn information_uri() -> Option<&'static str> {
    [env!("CARGO_PKG_HOMEPAGE"), env!("CARGO_PKG_REPOSITORY")]
        .into_iter()
        .find(|u| !u.is_empty())
}
/// The key of our fingerprint in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "lawful/v1";

/// The prefix that turns a project-relative file name into a path relative to the current
/// directory, with forward slashes and a trailing `/` (empty for the current directory):
/// `./examples/sakila/` gives `examples/sakila/`. An absolute folder inside the current
/// directory is made relative to it; one outside it stays absolute.
pub fn uri_prefix(dir: &Path) -> String {
    let dir = match std::env::current_dir() {
        Ok(cwd) if dir.is_absolute() => dir.strip_prefix(&cwd).unwrap_or(dir),
        _ => dir,
    };
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for c in dir.components() {
        match c {
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => absolute = true,
            Component::ParentDir => {
                if parts.last().is_some_and(|p| p != "..") {
                    parts.pop();
                } else if !absolute {
                    parts.push("..".into());
                }
            }
            Component::Normal(s) => parts.push(s.to_string_lossy().into_owned()),
        }
    }
    let mut out = if absolute {
        "/".to_string()
    } else {
        String::new()
    };
    for p in parts {
        out.push_str(&p);
        out.push('/');
    }
    out
}

/// Percent-encode what may not appear in a URI path (RFC 3986), keeping `/`.
fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `GDPR-ART6-LAWFUL-BASIS` → `GdprArt6LawfulBasis`.
pub fn camel_name(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            let mut cs = lower.chars();
            match cs.next() {
                Some(f) => f.to_ascii_uppercase().to_string() + cs.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn first_paragraph(text: &str) -> &str {
    text.trim().split("\n\n").next().unwrap_or("").trim()
}

fn descriptor(r: &Rule) -> Value {
    let mut v = json!({
        "id": r.id,
        "name": camel_name(r.id),
        "shortDescription": { "text": r.summary },
        "fullDescription": { "text": first_paragraph(r.explanation) },
        "help": { "text": r.fix.trim(), "markdown": r.fix.trim() },
        "defaultConfiguration": { "level": level(r.default_severity) },
        "properties": {
            "article": r.article,
            "ruleSet": r.set.title(),
            "docs": format!("docs/rules/{}.md", r.id),
            "tags": [r.set.title(), "privacy"],
        },
    });
    if !r.url.is_empty() {
        v["helpUri"] = json!(r.url);
    }
    v
}

fn physical(sources: &SourceMap, span: Span, prefix: &str) -> Option<Value> {
    let l = locate(sources, span)?;
    let path = encode_path(&format!("{prefix}{}", l.file));
    // A project outside the current directory gets an absolute `file:` URI instead.
    let artifact = if path.starts_with('/') {
        json!({ "uri": format!("file://{path}") })
    } else {
        json!({ "uri": path, "uriBaseId": "%SRCROOT%" })
    };
    Some(json!({
        "artifactLocation": artifact,
        "region": {
            "startLine": l.line.max(1),
            "startColumn": l.column.max(1),
            "endLine": l.end_line.max(1),
            "endColumn": l.end_column.max(1),
        },
    }))
}

fn result(
    d: &Diagnostic,
    fingerprint: String,
    rule_ids: &[String],
    sources: &SourceMap,
    prefix: &str,
) -> Value {
    let mut r = Map::new();
    r.insert("ruleId".into(), json!(d.code));
    if let Some(i) = rule_ids.iter().position(|id| *id == d.code) {
        r.insert("ruleIndex".into(), json!(i));
    }
    r.insert("level".into(), json!(level(d.severity)));
    r.insert("message".into(), json!({ "text": d.message }));
    if let Some(p) = d
        .primary
        .as_ref()
        .and_then(|l| physical(sources, l.span, prefix))
    {
        let mut loc = Map::new();
        loc.insert("physicalLocation".into(), p);
        if let Some(t) = d.target.as_deref() {
            loc.insert(
                "logicalLocations".into(),
                json!([{ "fullyQualifiedName": t }]),
            );
        }
        r.insert("locations".into(), json!([loc]));
    }
    let related: Vec<Value> = d
        .secondary
        .iter()
        .filter_map(|l| physical(sources, l.span, prefix).map(|p| (l, p)))
        .enumerate()
        .map(|(i, (l, p))| json!({ "id": i, "physicalLocation": p, "message": { "text": l.text } }))
        .collect();
    if !related.is_empty() {
        r.insert("relatedLocations".into(), json!(related));
    }
    r.insert(
        "partialFingerprints".into(),
        json!({ FINGERPRINT_KEY: fingerprint }),
    );
    if let Some(reason) = &d.suppressed {
        // A baseline file lives outside the project; a suppression is declared in it.
        let kind = if d.baselined { "external" } else { "inSource" };
        r.insert(
            "suppressions".into(),
            json!([{ "kind": kind, "justification": reason }]),
        );
    }
    let mut props = Map::new();
    if let Some(a) = d.article {
        props.insert("article".into(), json!(a));
    }
    if let Some(h) = &d.help {
        props.insert("fix".into(), json!(h));
    }
    if !props.is_empty() {
        r.insert("properties".into(), Value::Object(props));
    }
    Value::Object(r)
}

/// Render findings (or problems reading the project) as a SARIF 2.1.0 log. `prefix` is
/// what [`uri_prefix`] gives for the project folder.
pub fn render(findings: &[Diagnostic], sources: &SourceMap, prefix: &str) -> String {
    // The catalogue, then the project's own rules that have findings: CORE-TODO, and one
    // descriptor per policy (`POLICY-<id>`), so that every result has its rule.
    let mut descriptors: Vec<Value> = crate::rules::all().iter().map(|r| descriptor(r)).collect();
    let mut rule_ids: Vec<String> = crate::rules::all()
        .iter()
        .map(|r| r.id.to_string())
        .collect();
    for d in findings {
        if rule_ids.contains(&d.code) {
            continue;
        }
        let Some(rule) = crate::rules::project_rules()
            .iter()
            .find(|r| crate::rules::find(&d.code).is_some_and(|f| std::ptr::eq(f, **r)))
        else {
            continue;
        };
        let mut v = descriptor(rule);
        v["id"] = json!(d.code);
        v["name"] = json!(camel_name(&d.code));
        rule_ids.push(d.code.clone());
        descriptors.push(v);
    }
    let fps = crate::report::baseline::fingerprints(findings, sources);
    let results: Vec<Value> = findings
        .iter()
        .zip(fps)
        .map(|(d, fp)| result(d, fp, &rule_ids, sources, prefix))
        .collect();
    let mut driver = json!({
        "name": "lawful",
        "version": env!("CARGO_PKG_VERSION"),
        "semanticVersion": env!("CARGO_PKG_VERSION"),
    });
    if let Some(uri) = information_uri() {
        driver["informationUri"] = json!(uri);
    }
    driver["rules"] = json!(descriptors);
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut s = serde_json::to_string_pretty(&log).expect("SARIF serializes");
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_prefixes() {
        assert_eq!(camel_name("GDPR-ART6-LAWFUL-BASIS"), "GdprArt6LawfulBasis");
        assert_eq!(
            camel_name("CCPA-1798.100A3-RETENTION-PER-CATEGORY"),
            "Ccpa1798100a3RetentionPerCategory"
        );
        assert_eq!(uri_prefix(Path::new(".")), "");
        assert_eq!(
            uri_prefix(Path::new("./examples//sakila/")),
            "examples/sakila/"
        );
        assert_eq!(uri_prefix(Path::new("a/../b/./c")), "b/c/");
        assert_eq!(uri_prefix(Path::new("../x")), "../x/");
        assert_eq!(encode_path("my dir/ü.yaml"), "my%20dir/%C3%BC.yaml");
    }
}
