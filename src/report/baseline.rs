//! Stable fingerprints of findings, and baseline files.
//!
//! A fingerprint identifies a finding by its rule, its file, the logical node it is about
//! (its suppression target, such as `purposes.marketing`) and the text of the YAML node it
//! points at, never by line or column: inserting or editing unrelated lines does not change
//! it. Findings that would share a fingerprint are told apart by their order.
//!
//! A baseline file records the fingerprints of the findings a team accepts for now
//! (`lawful check --write-baseline FILE`); `--baseline FILE` then reports only new ones.

use std::collections::{BTreeSet, HashMap};
use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::manifest::source::SourceMap;
use crate::report::Diagnostic;

/// The baseline format version this lawful reads and writes.
pub const VERSION: u32 = 1;

/// 64-bit FNV-1a: stable across platforms and releases, unlike std's hasher.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for p in parts {
        for b in p.bytes().chain(std::iter::once(0xff)) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// The fingerprint of each finding, in order: 16 hex digits.
pub fn fingerprints(findings: &[Diagnostic], sources: &SourceMap) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    findings
        .iter()
        .map(|d| {
            let (file, node) = match &d.primary {
                Some(l) => match sources.get(l.span.file) {
                    Some(f) => (
                        f.name.as_str(),
                        f.text
                            .get(l.span.start as usize..l.span.end as usize)
                            .unwrap_or(""),
                    ),
                    None => ("", ""),
                },
                None => ("", d.message.as_str()),
            };
            let base = fnv1a(&[
                &d.code,
                file,
                d.target.as_deref().unwrap_or(""),
                node.trim(),
            ]);
            let n = seen.entry(base).or_insert(0);
            *n += 1;
            let fp = if *n == 1 {
                base
            } else {
                fnv1a(&[&format!("{base:016x}"), &n.to_string()])
            };
            format!("{fp:016x}")
        })
        .collect()
}

/// A baseline file.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Format version; must be [`VERSION`].
    pub version: u32,
    /// The accepted findings, sorted by fingerprint.
    pub findings: Vec<Entry>,
}

/// One accepted finding: the fingerprint, plus what a reviewer needs to recognise it.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub fingerprint: String,
    pub rule: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    pub message: String,
}

/// The baseline of the unsuppressed findings, as pretty JSON.
pub fn write(findings: &[Diagnostic], sources: &SourceMap) -> String {
    let fps = fingerprints(findings, sources);
    let mut entries: Vec<Entry> = findings
        .iter()
        .zip(fps)
        .filter(|(d, _)| d.suppressed.is_none())
        .map(|(d, fp)| Entry {
            fingerprint: fp,
            rule: d.code.clone(),
            target: d.target.clone(),
            message: d.message.clone(),
        })
        .collect();
    entries.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
    let mut s = serde_json::to_string_pretty(&Baseline {
        version: VERSION,
        findings: entries,
    })
    .expect("baseline serializes");
    s.push('\n');
    s
}

/// Read a baseline file. Errors name the file and say what is wrong with it.
pub fn read(path: &Path) -> Result<BTreeSet<String>, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read the baseline {}: {e}", path.display()))?;
    let b: Baseline = serde_json::from_str(&text).map_err(|e| {
        format!(
            "{}:{}:{}: not a lawful baseline: {e}; write a new one with `lawful check --write-baseline {}`",
            path.display(),
            e.line(),
            e.column(),
            path.display()
        )
    })?;
    if b.version != VERSION {
        return Err(format!(
            "{}: baseline version {} is not supported (this lawful reads version {VERSION}); write a new one with `lawful check --write-baseline {}`",
            path.display(),
            b.version,
            path.display()
        ));
    }
    Ok(b.findings.into_iter().map(|e| e.fingerprint).collect())
}

/// Mark the findings whose fingerprint is in the baseline; returns how many.
pub fn apply(findings: &mut [Diagnostic], sources: &SourceMap, known: &BTreeSet<String>) -> usize {
    let fps = fingerprints(findings, sources);
    let mut n = 0;
    for (d, fp) in findings.iter_mut().zip(fps) {
        if d.suppressed.is_none() && known.contains(&fp) {
            d.suppressed = Some("in the baseline".into());
            d.baselined = true;
            n += 1;
        }
    }
    n
}
