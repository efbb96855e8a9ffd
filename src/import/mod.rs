//! Importers: turn what a team already has into a lawful project.
//!
//! - [`fides`]: fideslang manifests (a Fides data map) → a project, with fideslang's
//!   taxonomy keys mapped to lawful's through a table kept as data.
//! - [`sql`]: DDL → a draft project, with data categories suggested from column names,
//!   types and comments, each marked for review.
//!
//! Both produce the files of a project in memory ([`Imported`]); the command line checks
//! that lawful can read them ([`verify`]) and then writes them with [`write_project`], which
//! never overwrites a folder that holds anything.

pub mod fides;
pub mod sql;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::Path;

use crate::manifest::SourceMap;
use crate::report::{Diagnostic, Failure};

/// The files of a project, by path relative to its root (`lawful.yaml`,
/// `datasets/customers.yaml`), with their text.
pub type Files = BTreeMap<String, String>;

/// What an import produced: the project's files, and what could not be imported (each
/// pointing into `sources`, the input files). Files are written only when no diagnostic is
/// an error, unless the importer documents otherwise (`import sql` skips a statement it
/// cannot read, imports the rest and still exits non-zero).
#[derive(Debug, Default)]
pub struct Imported {
    pub files: Files,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
}

/// Load `files` as a project, in memory, exactly as `lawful check` would: an importer must
/// never write a project that lawful cannot read.
pub fn verify(files: &Files) -> Result<crate::Project, Failure> {
    crate::load_from_files(
        Path::new("."),
        files
            .iter()
            .map(|(p, t)| (p.clone(), t.clone().into_bytes()))
            .collect(),
    )
}

/// Write `files` into `out`, which must not exist or be an empty folder: an import never
/// overwrites a user's files. Everything is written into a sibling folder first and then
/// renamed into place, so a failure leaves nothing half-written.
///
/// Errors: `out` is a file or a non-empty folder, or an I/O error, as a sentence.
pub fn write_project(out: &Path, files: &Files) -> Result<(), String> {
    if out.exists() {
        if !out.is_dir() {
            return Err(format!("`{}` is a file, not a folder", out.display()));
        }
        let non_empty = std::fs::read_dir(out)
            .map_err(|e| format!("cannot read `{}`: {e}", out.display()))?
            .next()
            .is_some();
        if non_empty {
            return Err(format!(
                "`{}` is not empty; choose a new folder (an import never overwrites files)",
                out.display()
            ));
        }
    }
    let (parent, name) = crate::beside(out, "project");
    let tmp = parent.join(format!(".{name}.lawful-new-{}", std::process::id()));
    let res = (|| -> std::io::Result<()> {
        std::fs::create_dir_all(parent)?;
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(&tmp)?;
        for (path, text) in files {
            let p = tmp.join(path);
            if let Some(d) = p.parent() {
                std::fs::create_dir_all(d)?;
            }
            std::fs::write(&p, text)?;
        }
        if out.exists() {
            std::fs::remove_dir(out)?;
        }
        std::fs::rename(&tmp, out)
    })();
    if let Err(e) = res {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(format!("cannot write `{}`: {e}", out.display()));
    }
    Ok(())
}

/// Write `files` into `out`, which may hold other files but none of these: `lawful init`
/// in a repository's root. Each file is written to a temporary name and renamed; on an
/// error, the files already written are removed again.
///
/// Errors: one of the files exists, or an I/O error, as a sentence.
pub fn write_beside(out: &Path, files: &Files) -> Result<(), String> {
    if out.exists() && !out.is_dir() {
        return Err(format!("`{}` is a file, not a folder", out.display()));
    }
    if let Some(p) = files.keys().find(|p| out.join(p).exists()) {
        return Err(format!(
            "`{}` exists already; nothing written (lawful never overwrites files)",
            out.join(p).display()
        ));
    }
    let mut done: Vec<std::path::PathBuf> = Vec::new();
    let mut made_dirs: Vec<std::path::PathBuf> = Vec::new();
    let res = (|| -> std::io::Result<()> {
        for (path, text) in files {
            let p = out.join(path);
            if let Some(d) = p.parent() {
                // Remember the folders this call creates, to remove them on failure.
                let mut missing = Vec::new();
                let mut cur = Some(d);
                while let Some(c) = cur {
                    if c.as_os_str().is_empty() || c.exists() {
                        break;
                    }
                    missing.push(c.to_path_buf());
                    cur = c.parent();
                }
                std::fs::create_dir_all(d)?;
                made_dirs.extend(missing.into_iter().rev());
            }
            let tmp = p.with_extension(format!("lawful-new-{}", std::process::id()));
            std::fs::write(&tmp, text)?;
            if let Err(e) = std::fs::rename(&tmp, &p) {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
            done.push(p);
        }
        Ok(())
    })();
    if let Err(e) = res {
        for p in done {
            let _ = std::fs::remove_file(p);
        }
        for d in made_dirs.iter().rev() {
            let _ = std::fs::remove_dir(d);
        }
        return Err(format!("cannot write into `{}`: {e}", out.display()));
    }
    Ok(())
}
