//! Traceability: every artefact ends with the SHA-256 of the inputs that made it, so that an
//! auditor can tie a published notice or an applied script to a commit. No timestamp: the
//! same input always gives the same bytes.
//!
//! The hash covers each project file lawful read, in name order, as its relative name, a
//! NUL byte, its length in bytes as decimal text, a NUL byte and its text (after a BOM is
//! removed). `lawful trace FILE` reads the hash an artefact carries and compares it with the
//! project's.

use sha2::{Digest, Sha256};

use crate::manifest::SourceMap;

/// The marker that precedes the hash in every artefact.
pub const MARKER: &str = "lawful inputs sha256:";

/// SHA-256 of the project's inputs, as 64 lower-case hex digits.
pub fn inputs_hash(sources: &SourceMap) -> String {
    let mut files: Vec<(&str, &str)> = sources
        .files()
        .map(|(_, f)| (f.name.as_str(), f.text.as_str()))
        .collect();
    files.sort();
    let mut h = Sha256::new();
    for (name, text) in files {
        h.update(name.as_bytes());
        h.update([0]);
        h.update(text.len().to_string().as_bytes());
        h.update([0]);
        h.update(text.as_bytes());
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// [`inputs_hash`] of a resolved project's inputs, computed once per model (a `build`
/// needs it for every file and prints it).
pub fn model_hash(m: &crate::model::Model) -> &str {
    m.cache.inputs_hash.get_or_init(|| inputs_hash(&m.sources))
}

/// The most bytes a footer takes: a generator of a large text keeps this much room at its
/// end, so that adding the footer does not copy the text.
pub const FOOTER_ROOM: usize = 128;

/// The last line of an artefact at `path`, in the comment syntax of its format.
pub fn footer(path: &str, hash: &str) -> String {
    let ext = path.rsplit('.').next().unwrap_or_default();
    match ext {
        "sql" => format!("-- {MARKER}{hash}\n"),
        "md" | "html" => format!("<!-- {MARKER}{hash} -->\n"),
        "csv" => format!("# {MARKER}{hash}\n"),
        _ => format!("# {MARKER}{hash}\n"),
    }
}

/// The hash an artefact carries, if any: the last occurrence of the marker.
pub fn carried(text: &str) -> Option<&str> {
    let i = text.rfind(MARKER)? + MARKER.len();
    let rest = &text[i..];
    let hex: &str = &rest[..rest
        .find(|c: char| !c.is_ascii_hexdigit())
        .unwrap_or(rest.len())];
    (hex.len() == 64).then_some(hex)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_footer_carries_the_hash_in_each_format() {
        let h = "a".repeat(64);
        for path in ["x.sql", "n.md", "n.html", "r.csv"] {
            let f = footer(path, &h);
            assert_eq!(carried(&format!("body\n{f}")), Some(h.as_str()), "{path}");
            assert!(f.len() <= FOOTER_ROOM, "{path}: {} bytes", f.len());
        }
        assert!(footer("x.sql", &h).starts_with("-- "));
        assert!(footer("n.html", &h).starts_with("<!-- "));
        assert_eq!(carried("no marker here"), None);
        assert_eq!(carried(&format!("{MARKER}abc")), None);
    }
}
