//! `lawful diff --base REV [--head REV] [DIR]`: what a change does to the processing, as
//! Markdown for a pull-request comment or as JSON.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::cli::{EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, FailOn, report_failure};
use crate::manifest::Date;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The project folder (with lawful.yaml at its root), inside a git repository.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// The revision to compare against (a commit, branch or tag).
    #[arg(long, value_name = "REV")]
    base: String,
    /// The revision to compare; default: the files on disk.
    #[arg(long, value_name = "REV")]
    head: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "markdown")]
    format: Format,
    /// Exit with 1 when a finding the change introduces is at or above this severity.
    #[arg(long, value_enum, default_value = "never")]
    fail_on: FailOn,
    #[command(flatten)]
    rules: crate::cli::SelectArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Markdown,
    Json,
}

/// A side read from git: the project, `None` when it did not exist there; exit code 2 on
/// error.
fn at_revision(a: &Args, rev: &str) -> Result<Option<crate::Project>, i32> {
    match crate::diff::git::read_revision(&a.dir, rev) {
        Err(msg) => {
            eprintln!("lawful: {msg}");
            Err(EXIT_UNREADABLE)
        }
        Ok(None) => Ok(None),
        Ok(Some(files)) => match crate::load_from_files(&a.dir, files) {
            Ok(p) => Ok(Some(p)),
            Err(f) => {
                eprintln!("lawful: the project at `{rev}` could not be read:");
                Err(report_failure(&f))
            }
        },
    }
}

pub fn run(a: Args) -> i32 {
    let selection = match a.rules.selection() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let base = match at_revision(&a, &a.base) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let head = match &a.head {
        Some(rev) => match at_revision(&a, rev) {
            Ok(p) => p,
            Err(code) => return code,
        },
        None => match crate::load(&a.dir, &[]) {
            Ok(p) => Some(p),
            Err(f) => return report_failure(&f),
        },
    };
    let head_name = a.head.as_deref().unwrap_or("work tree");
    let d = crate::diff::diff(
        base.as_ref(),
        head.as_ref(),
        (&a.base, head_name),
        Date::today(),
        &selection,
    );
    match a.format {
        Format::Markdown => crate::cli::out(&crate::diff::markdown(&d)),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&d).expect("diff serializes");
            s.push('\n');
            crate::cli::out(&s);
        }
    }
    match a.fail_on.severity() {
        Some(level) if d.introduced.iter().any(|f| f.severity >= level) => EXIT_FINDINGS,
        _ => EXIT_OK,
    }
}
