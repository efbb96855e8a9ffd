//! `lawful check [DIR]`.

use std::path::PathBuf;

use clap::ValueEnum;

use crate::cli::{EXIT_FINDINGS, EXIT_OK, FailOn, excluded, report_failure};
use crate::manifest::Date;
use crate::report::Severity;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The project folder (with lawful.yaml at its root).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
    /// Exit with 1 when a finding is at or above this severity.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    #[command(flatten)]
    rules: crate::cli::SelectArgs,
    /// Report only findings that are not in this baseline file.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write the current findings to this baseline file and exit 0.
    #[arg(long, value_name = "FILE", conflicts_with = "baseline")]
    write_baseline: Option<PathBuf>,
    /// Report only findings that were not there at this git revision (a commit, branch or
    /// tag); the project at that revision is read from git, the work tree is untouched.
    #[arg(long, value_name = "REV", conflicts_with = "write_baseline")]
    new_since: Option<String>,
    /// Also write the SARIF report to this file, whatever --format prints.
    #[arg(long, value_name = "PATH")]
    sarif_file: Option<PathBuf>,
    /// Also write the JUnit XML report to this file, whatever --format prints.
    #[arg(long, value_name = "PATH")]
    junit_file: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    /// SARIF 2.1.0, for code scanning.
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// JUnit XML, for CI test reports.
    Junit,
}

pub fn run(a: Args) -> i32 {
    let selection = match a.rules.selection() {
        Ok(s) => s,
        Err(code) => return code,
    };
    // The process ends after the report: freeing the model, field by field, would only
    // delay it (3 % of a check on a large project; docs/performance.md).
    let project = match crate::load(&a.dir, &excluded(None)) {
        Ok(p) => std::mem::ManuallyDrop::new(p),
        Err(f) => {
            let prefix = crate::report::sarif::uri_prefix(&a.dir);
            let machine = |format| match format {
                Format::Human => None,
                Format::Json => Some(crate::report::json::render(&f.diagnostics, &[], &f.sources)),
                Format::Sarif => Some(crate::report::sarif::render(
                    &f.diagnostics,
                    &f.sources,
                    &prefix,
                )),
                Format::Github => Some(crate::report::github::render(
                    &f.diagnostics,
                    &f.sources,
                    &prefix,
                )),
                Format::Junit => Some(crate::report::junit::render(
                    &f.diagnostics,
                    &[],
                    &f.sources,
                    &prefix,
                )),
            };
            if let Some(text) = machine(a.format) {
                crate::cli::out(&text);
            }
            for (path, format) in [
                (&a.sarif_file, Format::Sarif),
                (&a.junit_file, Format::Junit),
            ] {
                if let (Some(path), Some(text)) = (path, machine(format))
                    && let Err(msg) = write_atomic(path, &text)
                {
                    eprintln!("lawful: {msg}");
                }
            }
            return report_failure(&f);
        }
    };
    let known = match a.baseline.as_deref().map(crate::report::baseline::read) {
        None => None,
        Some(Ok(k)) => Some(k),
        Some(Err(msg)) => {
            eprintln!("lawful: {msg}");
            return crate::cli::EXIT_UNREADABLE;
        }
    };
    if let Err(code) = crate::cli::check_policy_selectors(&selection, &project.model) {
        return code;
    }
    let mut result = crate::timed("check", || {
        crate::check_with(&project, Date::today(), &selection)
    });
    let m = &project.model;
    if let Some(path) = &a.write_baseline {
        let text = crate::report::baseline::write(&result.findings, &m.sources);
        let tmp = path.with_extension("lawful-tmp");
        if let Err(e) = std::fs::write(&tmp, &text).and_then(|()| std::fs::rename(&tmp, path)) {
            let _ = std::fs::remove_file(&tmp);
            eprintln!("lawful: cannot write the baseline {}: {e}", path.display());
            return crate::cli::EXIT_UNREADABLE;
        }
        let n = result
            .findings
            .iter()
            .filter(|d| d.suppressed.is_none())
            .count();
        eprintln!(
            "lawful: wrote {} with {n} finding{}; `lawful check --baseline {}` reports only new ones",
            path.display(),
            if n == 1 { "" } else { "s" },
            path.display()
        );
        return EXIT_OK;
    }
    if let Some(known) = &known {
        crate::report::baseline::apply(&mut result.findings, &m.sources, known);
    }
    if let Some(rev) = &a.new_since {
        match crate::diff::fingerprints_at(&a.dir, rev, Date::today(), &selection) {
            Ok(old) => {
                crate::report::baseline::apply(&mut result.findings, &m.sources, &old);
            }
            Err(msg) => {
                eprintln!("lawful: {msg}");
                return crate::cli::EXIT_UNREADABLE;
            }
        }
    }
    let prefix = crate::report::sarif::uri_prefix(&a.dir);
    let ran = crate::rules_that_run(&project, &selection);
    let render = |format| match format {
        Format::Json => crate::report::json::render(&result.findings, &m.regimes, &m.sources),
        Format::Human => human_report(&project, &result),
        Format::Sarif => crate::report::sarif::render(&result.findings, &m.sources, &prefix),
        Format::Github => crate::report::github::render(&result.findings, &m.sources, &prefix),
        Format::Junit => crate::report::junit::render(&result.findings, &ran, &m.sources, &prefix),
    };
    let text = crate::timed("report", || render(a.format));
    crate::timed("output", || crate::cli::out(&text));
    for (path, format) in [
        (&a.sarif_file, Format::Sarif),
        (&a.junit_file, Format::Junit),
    ] {
        if let Some(path) = path
            && let Err(msg) = write_atomic(path, &render(format))
        {
            eprintln!("lawful: {msg}");
            return crate::cli::EXIT_UNREADABLE;
        }
    }
    match a.fail_on.severity() {
        Some(level) if result.count_at_least(level) > 0 => EXIT_FINDINGS,
        _ => EXIT_OK,
    }
}

/// The human report: regimes in scope and why, each finding, then a summary line.
pub fn human_report(project: &crate::Project, result: &crate::CheckResult) -> String {
    let m = &project.model;
    let color = crate::cli::color();
    let mut out = String::new();
    out.push_str("Regimes:\n");
    for r in &m.regimes {
        out.push_str(&format!(
            "  {} {:<9} {}\n",
            if r.applies { "✓" } else { "✗" },
            r.regime.title(),
            r.reason
        ));
    }
    out.push('\n');
    // Each finding is drawn on its own, in parallel; they are printed in order.
    use rayon::prelude::*;
    let drawn: Vec<String> = result
        .findings
        .par_iter()
        .filter(|d| d.suppressed.is_none())
        .map(|d| crate::report::human::render(d, &m.sources, color))
        .collect();
    // Grown once: the report of a large project is tens of megabytes.
    out.reserve(drawn.iter().map(|d| d.len() + 1).sum::<usize>() + 256);
    for d in drawn {
        out.push_str(&d);
        out.push('\n');
    }
    let (e, w, i, s) = (
        result.count(Severity::Error),
        result.count(Severity::Warning),
        result.count(Severity::Info),
        result.suppressed(),
    );
    let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
    out.push_str(&format!(
        "{}, {}, {} ({} suppressed{}) in {}, {}, {}, {}\n",
        plural(e, "error"),
        plural(w, "warning"),
        plural(i, "info"),
        s - result.baselined(),
        match result.baselined() {
            0 => String::new(),
            b => format!(", {b} in the baseline"),
        },
        plural(m.sources.files().count(), "file"),
        plural(m.datasets.len(), "dataset"),
        plural(
            m.datasets.iter().map(|d| d.fields.len()).sum::<usize>(),
            "field"
        ),
        plural(m.flows.len(), "flow"),
    ));
    out
}

/// Write a report file whole or not at all: into a temporary file beside it, then renamed.
fn write_atomic(path: &std::path::Path, text: &str) -> Result<(), String> {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lawful-tmp");
    let tmp = path.with_file_name(name);
    std::fs::write(&tmp, text)
        .and_then(|()| std::fs::rename(&tmp, path))
        .map_err(|e| {
            let _ = std::fs::remove_file(&tmp);
            format!("cannot write {}: {e}", path.display())
        })
}
