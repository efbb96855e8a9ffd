//! Loading a project folder: find its files in a deterministic order, read them, parse each
//! into a [`Document`] in parallel, and turn every YAML problem into a located diagnostic.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::manifest::source::{FileId, SourceFile, SourceMap};
use crate::manifest::types::Document;
use crate::manifest::yaml::{Span, YamlErrorKind, parse_document};
use crate::report::{Diagnostic, Failure, Label};

/// The largest manifest file lawful reads, in bytes (64 MiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The file every project has at its root.
pub const ROOT_FILE: &str = "lawful.yaml";

/// A project read from disk: its sources and one parsed document per file, in file order.
#[derive(Debug, Default)]
pub struct Loaded {
    pub sources: SourceMap,
    pub documents: Vec<(FileId, Document)>,
}

/// Read every manifest file of the project at `root`: `lawful.yaml` first, then every other
/// `*.yaml` below it in byte order of its relative path, skipping hidden folders, `target/`,
/// the folders in `exclude` (the output folder) and every folder holding the
/// [`crate::OUTPUT_MARKER`] of a build's output.
///
/// Errors: a missing root file, an unreadable or non-UTF-8 file, and every YAML or
/// structure error, each located at its file, line and column. All files are parsed even
/// when one fails, so that one run reports every problem.
pub fn load_project(root: &Path, exclude: &[PathBuf]) -> Result<Loaded, Failure> {
    let mut errors = Vec::new();
    if !root.join(ROOT_FILE).is_file() {
        let msg = if root.is_dir() {
            format!(
                "`{}` has no `{ROOT_FILE}`: a lawful project is a folder with `{ROOT_FILE}` at its root (examples/sakila is a complete one to start from)",
                root.display()
            )
        } else if root.exists() {
            format!(
                "`{}` is a file, not a folder: give the folder that holds `{ROOT_FILE}`",
                root.display()
            )
        } else {
            format!("`{}` does not exist", root.display())
        };
        return Err(Failure {
            sources: SourceMap::default(),
            diagnostics: vec![Diagnostic::error("load::no-project", msg)],
        });
    }
    let mut paths = Vec::new();
    let exclude: Vec<PathBuf> = exclude
        .iter()
        .filter_map(|p| p.canonicalize().ok())
        .collect();
    collect(root, root, &exclude, &mut paths, &mut errors);
    paths.sort_by(|a, b| {
        let ka = (a.0 != ROOT_FILE, a.0.as_bytes());
        let kb = (b.0 != ROOT_FILE, b.0.as_bytes());
        ka.cmp(&kb)
    });

    // Read in parallel (thousands of small files), kept in the sorted order.
    let read: Vec<_> = paths
        .into_par_iter()
        .map(|(name, path)| {
            let bytes = std::fs::read(&path);
            (name, path, bytes)
        })
        .collect();
    let mut files = Vec::new();
    for (name, path, bytes) in read {
        match bytes {
            Ok(bytes) => files.push((name, path, bytes)),
            Err(e) => errors.push(Diagnostic::error(
                "load::unreadable",
                format!("{name}: cannot be read: {e}"),
            )),
        }
    }
    parse_files(files, errors)
}

/// Parse a project given as in-memory files (a revision read from git, for instance):
/// `(path relative to the project root with forward slashes, contents)`. The same rules as
/// [`load_project`] apply: `lawful.yaml` must be at the root and comes first, only `*.yaml`
/// files are read, and files under hidden folders, `target/`, `generated/` or a folder
/// holding the [`crate::OUTPUT_MARKER`] of a build's output are skipped.
pub fn load_files(files: Vec<(String, Vec<u8>)>) -> Result<Loaded, Failure> {
    // The output folders of `lawful build` among them: the folders holding its marker.
    let outputs: Vec<String> = files
        .iter()
        .filter_map(|(name, _)| name.strip_suffix(crate::OUTPUT_MARKER))
        .filter(|dir| dir.ends_with('/'))
        .map(str::to_string)
        .collect();
    let mut files: Vec<(String, PathBuf, Vec<u8>)> = files
        .into_iter()
        .filter(|(name, _)| {
            let parts: Vec<&str> = name.split('/').collect();
            let (file, dirs) = parts.split_last().expect("split yields one part");
            file.ends_with(".yaml")
                && dirs.iter().enumerate().all(|(i, d)| {
                    !d.starts_with('.') && *d != "target" && !(i == 0 && *d == crate::DEFAULT_OUT)
                })
                && !outputs.iter().any(|o| name.starts_with(o.as_str()))
        })
        .map(|(name, bytes)| {
            let path = PathBuf::from(&name);
            (name, path, bytes)
        })
        .collect();
    if !files.iter().any(|(name, _, _)| name == ROOT_FILE) {
        return Err(Failure {
            sources: SourceMap::default(),
            diagnostics: vec![Diagnostic::error(
                "load::no-project",
                format!("there is no `{ROOT_FILE}` at the root of the project"),
            )],
        });
    }
    files.sort_by(|a, b| {
        let ka = (a.0 != ROOT_FILE, a.0.as_bytes());
        let kb = (b.0 != ROOT_FILE, b.0.as_bytes());
        ka.cmp(&kb)
    });
    parse_files(files, Vec::new())
}

/// Decode and parse files already read, in the order given, adding to `errors`.
fn parse_files(
    files: Vec<(String, PathBuf, Vec<u8>)>,
    mut errors: Vec<Diagnostic>,
) -> Result<Loaded, Failure> {
    // Decoded and indexed in parallel; ids given in the order of the files.
    let decoded: Vec<Result<SourceFile, Box<Diagnostic>>> = files
        .into_par_iter()
        .map(|(name, path, bytes)| {
            if bytes.len() as u64 > MAX_FILE_BYTES {
                return Err(Box::new(Diagnostic::error(
                    "load::too-large",
                    format!(
                        "{name}: {} MiB is larger than the {} MiB lawful reads from one manifest file; split it into several files",
                        bytes.len() as u64 / (1024 * 1024),
                        MAX_FILE_BYTES / (1024 * 1024)
                    ),
                )));
            }
            match String::from_utf8(bytes) {
                Ok(text) => Ok(SourceFile::new(&path, name, text)),
                Err(e) => {
                    let (line, col) = not_utf8_at(&e);
                    let (bytes, at) = (e.as_bytes(), e.utf8_error().valid_up_to());
                    Err(Box::new(Diagnostic::error(
                        "load::not-utf8",
                        format!(
                            "{name}:{line}:{col}: the file is not UTF-8 text (byte 0x{:02X} at offset {at})",
                            bytes[at]
                        ),
                    )
                    .with_help("save the file as UTF-8 (a legacy encoding such as Latin-1 or GBK is not read)")))
                }
            }
        })
        .collect();
    let mut sources = SourceMap::default();
    let mut ids = Vec::new();
    for f in decoded {
        match f {
            Ok(f) => ids.push(sources.push(f)),
            Err(d) => errors.push(*d),
        }
    }

    let parsed: Vec<(FileId, Result<Document, Diagnostic>)> = ids
        .par_iter()
        .map(|&id| {
            let f = sources.get(id).expect("file id from this map");
            let res = parse_document::<Document>(id, &f.text).map_err(|e| {
                let start = e.offset.unwrap_or(0).min(f.text.len());
                let span = Span::new(id, start, (start + e.len.max(1)).min(f.text.len()));
                let (code, what) = match e.kind {
                    YamlErrorKind::Syntax => ("load::syntax", "YAML syntax error"),
                    YamlErrorKind::Structure => ("load::structure", "invalid manifest"),
                    YamlErrorKind::Limit => ("load::limit", "YAML refused"),
                };
                let (message, help) = match &e.help {
                    Some(h) => (e.message.clone(), Some(h.clone())),
                    None => explain_yaml_message(&e.message),
                };
                let mut d = Diagnostic::error(code, format!("{what}: {message}"))
                    .with_primary(Label::new(span, label_for(e.kind)));
                if let Some(h) = help {
                    d = d.with_help(h);
                }
                d
            });
            (id, res)
        })
        .collect();

    let mut documents = Vec::new();
    for (id, res) in parsed {
        match res {
            Ok(doc) => documents.push((id, doc)),
            Err(d) => errors.push(d),
        }
    }
    if errors.is_empty() {
        Ok(Loaded { sources, documents })
    } else {
        errors.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Err(Failure {
            sources,
            diagnostics: errors,
        })
    }
}

fn label_for(kind: YamlErrorKind) -> &'static str {
    match kind {
        YamlErrorKind::Syntax => "here",
        YamlErrorKind::Structure => "not valid here",
        YamlErrorKind::Limit => "refused here",
    }
}

/// Where the first byte that is not UTF-8 is: line and column, 1-based (the column counts
/// the characters before it on its line).
pub fn not_utf8_at(e: &std::string::FromUtf8Error) -> (usize, usize) {
    let bytes = e.as_bytes();
    let at = e.utf8_error().valid_up_to();
    let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = bytes[..at]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    // The bytes before `at` are valid UTF-8: count characters for the column.
    let col = String::from_utf8_lossy(&bytes[line_start..at])
        .chars()
        .count()
        + 1;
    (line, col)
}

/// The `*.yaml` files a project at `root` is made of, as `lawful check` finds them (hidden
/// folders, `target/`, the folders in `exclude` and every folder holding the
/// [`crate::OUTPUT_MARKER`] of a build's output skipped): `(path relative to root, path)`.
/// Errors: the folders or links that cannot be read.
pub fn project_files(
    root: &Path,
    exclude: &[PathBuf],
) -> Result<Vec<(String, PathBuf)>, Vec<Diagnostic>> {
    let (mut out, mut errors) = (Vec::new(), Vec::new());
    collect(root, root, exclude, &mut out, &mut errors);
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

fn collect(
    root: &Path,
    dir: &Path,
    exclude: &[PathBuf],
    out: &mut Vec<(String, PathBuf)>,
    errors: &mut Vec<Diagnostic>,
) {
    let mut visited = std::collections::HashSet::new();
    if let Ok(c) = dir.canonicalize() {
        visited.insert(c);
    }
    collect_in(root, dir, exclude, &mut visited, out, errors);
}

fn relative(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().to_string())
        .collect::<Vec<_>>()
        .join("/")
}

/// Walk one folder. Symbolic links are followed (a linked folder is part of the project);
/// a link that loops back to a folder already walked is reported, and anything that is
/// neither a regular file nor a folder (a FIFO, a device) named `*.yaml` is refused rather
/// than read.
fn collect_in(
    root: &Path,
    dir: &Path,
    exclude: &[PathBuf],
    visited: &mut std::collections::HashSet<PathBuf>,
    out: &mut Vec<(String, PathBuf)>,
    errors: &mut Vec<Diagnostic>,
) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            errors.push(Diagnostic::error(
                "load::unreadable",
                format!("{}: cannot be read: {e}", relative(root, dir)),
            ));
            return;
        }
    };
    let mut entries: Vec<_> = entries.flatten().collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        // Follow symbolic links: what matters is what the link points at.
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => {
                if name.ends_with(".yaml") || entry.file_type().is_ok_and(|t| t.is_dir()) {
                    errors.push(Diagnostic::error(
                        "load::unreadable",
                        format!("{}: cannot be read: {e}", relative(root, &path)),
                    ));
                }
                continue;
            }
        };
        if meta.is_dir() {
            // An output folder of `lawful build` (it holds the marker file), wherever it is.
            if name.starts_with('.')
                || name == "target"
                || path.join(crate::OUTPUT_MARKER).is_file()
            {
                continue;
            }
            let Ok(canon) = path.canonicalize() else {
                continue;
            };
            if exclude.contains(&canon) {
                continue;
            }
            if visited.contains(&canon) {
                errors.push(Diagnostic::error(
                    "load::symlink-loop",
                    format!(
                        "{}: this symbolic link leads to a folder lawful already reads (a loop, or a second path to the same files); each file must be reachable once, so remove the link",
                        relative(root, &path)
                    ),
                ));
                continue;
            }
            visited.insert(canon);
            collect_in(root, &path, exclude, visited, out, errors);
        } else if name.ends_with(".yaml") {
            if !meta.is_file() {
                errors.push(Diagnostic::error(
                    "load::not-a-file",
                    format!(
                        "{}: not a regular file (a pipe, socket or device); a manifest must be a file",
                        relative(root, &path)
                    ),
                ));
            } else if meta.len() > MAX_FILE_BYTES {
                errors.push(Diagnostic::error(
                    "load::too-large",
                    format!(
                        "{}: {} MiB is larger than the {} MiB lawful reads from one manifest file; split it into several files",
                        relative(root, &path),
                        meta.len() / (1024 * 1024),
                        MAX_FILE_BYTES / (1024 * 1024)
                    ),
                ));
            } else {
                out.push((relative(root, &path), path));
            }
        }
    }
}

/// Rewrite the parser's messages for people: "did you mean" for unknown keys and values,
/// plain words for refused YAML features.
fn explain_yaml_message(msg: &str) -> (String, Option<String>) {
    let clean = msg.replace('`', "");
    for (prefix, what) in [("unknown field ", "key"), ("unknown variant ", "value")] {
        if let Some(rest) = clean.strip_prefix(prefix) {
            let (name, tail) = rest.split_once(", ").unwrap_or((rest, ""));
            let list_text = tail
                .strip_prefix("expected one of ")
                .or_else(|| tail.strip_prefix("expected "))
                .unwrap_or("");
            let expected: Vec<String> = list_text
                .split(", ")
                .flat_map(|s| s.split(" or "))
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            let suggestion = crate::suggest::closest(name, expected.iter().map(String::as_str));
            let message = format!("unknown {what} `{name}`");
            let help = match suggestion {
                Some(s) => Some(format!(
                    "did you mean `{s}`? Allowed here: {}",
                    list(&expected)
                )),
                None if expected.is_empty() => Some(format!("no {what}s are allowed here")),
                None => Some(format!("allowed here: {}", list(&expected))),
            };
            return (message, help);
        }
    }
    let lower = clean.to_ascii_lowercase();
    if lower.contains("merge key") || lower.contains("<<") {
        return (
            "merge keys (`<<`) are not supported".into(),
            Some("write the keys out in full, so that each declaration reads on its own".into()),
        );
    }
    if lower.contains("documents") {
        return (
            "this file holds more than one YAML document (`---`)".into(),
            Some("a manifest file holds one document: move each `---` document into a file of its own".into()),
        );
    }
    if lower.contains("depth") {
        return (
            "the YAML is nested too deeply (more than 48 levels)".into(),
            Some("a manifest never needs this much nesting; flatten the structure".into()),
        );
    }
    if lower.contains("alias")
        || lower.contains("replay")
        || lower.contains("anchor")
        || lower.contains("budget")
    {
        return (
            format!("the YAML expands beyond the limits lawful accepts ({clean})"),
            Some("anchors and aliases may only be used sparingly (an alias bomb is refused); write the values out".into()),
        );
    }
    if let Some(rest) = clean.strip_prefix("duplicate mapping key: ") {
        let key = rest.split(',').next().unwrap_or(rest).trim();
        return (
            format!("the key `{key}` appears twice in this mapping"),
            Some("keep one of them: YAML mappings cannot repeat a key".into()),
        );
    }
    if let Some(rest) = clean.strip_prefix("missing field ") {
        let name = rest.split_whitespace().next().unwrap_or(rest);
        return (
            format!("missing required key `{name}`"),
            Some(format!("add `{name}:` to this mapping")),
        );
    }
    (msg.to_string(), None)
}

fn list(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Files of a revision under a build's output folder (marked by its `.lawful-output`) or
    /// under `generated/` are not part of the project; a folder merely named like one is.
    #[test]
    fn files_under_a_build_output_are_skipped() {
        let f = |name: &str, text: &str| (name.to_string(), text.as_bytes().to_vec());
        let loaded = load_files(vec![
            f("lawful.yaml", "purposes: {}\n"),
            f("deploy/out/.lawful-output", "x\n"),
            f("deploy/out/k8s/retention-cronjobs.yaml", "kind: CronJob\n"),
            f("generated/k8s/retention-cronjobs.yaml", "kind: CronJob\n"),
            f("deploy/outside.yaml", "subjects: {}\n"),
            f("deploy/out2/more.yaml", "subjects: {}\n"),
        ])
        .expect("loads");
        let names: Vec<&str> = loaded
            .sources
            .files()
            .map(|(_, f)| f.name.as_str())
            .collect();
        assert_eq!(
            names,
            [
                "lawful.yaml",
                "deploy/out2/more.yaml",
                "deploy/outside.yaml"
            ]
        );
    }
}
