//! The command line: one file per command.

mod build;
pub(crate) mod check;
mod diff;
mod grants;
mod graph;
mod import;
mod init;
mod parse;
pub(crate) mod rules;
mod schema;
mod taxonomy;
mod trace;

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::report::{Failure, Severity};

/// Exit code when the project is clean (or the command succeeded).
pub const EXIT_OK: i32 = 0;
/// Exit code when findings reach `--fail-on`, or `build --check` finds stale output.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code when the project cannot be read, or the command line is wrong.
pub const EXIT_UNREADABLE: i32 = 2;

#[derive(Parser, Debug)]
#[command(
    name = "lawful",
    version,
    about = "Privacy-as-code compiler and linter: checks a YAML description of personal data against the GDPR, PIPL and CCPA, and generates notices, retention jobs and grants"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Check a project against every rule of the regimes in scope.
    Check(check::Args),
    /// Check, then generate every artefact into the output folder.
    Build(build::Args),
    /// List every rule.
    Rules(rules::ListArgs),
    /// Explain one rule: its article, rationale and fix.
    Explain(rules::ExplainArgs),
    /// Show what a change does to the processing, as Markdown for a pull request.
    Diff(diff::Args),
    /// Print the data-flow graph (the data map) as Mermaid, DOT or JSON.
    Graph(graph::Args),
    /// Compare the grants on a live database with the declared ones (`grants plan`).
    Grants(grants::Args),
    /// Convert what a team already has into a lawful project: Fides manifests or SQL DDL.
    Import(import::Args),
    /// Write a starter project, optionally drafted from a SQL schema.
    Init(init::Args),
    /// Read and parse every file as `check` does, then stop (the benchmark's lower bound).
    #[command(hide = true)]
    Parse(parse::Args),
    /// Print the JSON Schema of the manifest language.
    Schema,
    /// Print the built-in data-category taxonomy.
    Taxonomy(taxonomy::Args),
    /// Print the hash of the inputs a generated file was built from, and compare it with a
    /// project's.
    Trace(trace::Args),
}

/// Severity threshold for `--fail-on`.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

impl FailOn {
    pub fn severity(self) -> Option<Severity> {
        match self {
            FailOn::Error => Some(Severity::Error),
            FailOn::Warning => Some(Severity::Warning),
            FailOn::Info => Some(Severity::Info),
            FailOn::Never => None,
        }
    }
}

/// Run the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() {
                EXIT_UNREADABLE
            } else {
                EXIT_OK
            };
            let _ = e.print();
            return code;
        }
    };
    match cli.command {
        Command::Check(a) => check::run(a),
        Command::Build(a) => build::run(a),
        Command::Rules(a) => rules::list(a),
        Command::Explain(a) => rules::explain(a),
        Command::Diff(a) => diff::run(a),
        Command::Graph(a) => graph::run(a),
        Command::Grants(a) => grants::run(a),
        Command::Import(a) => import::run(a),
        Command::Init(a) => init::run(a),
        Command::Parse(a) => parse::run(a),
        Command::Schema => schema::run(),
        Command::Taxonomy(a) => taxonomy::run(a),
        Command::Trace(a) => trace::run(a),
    }
}

/// Print to standard output. A closed pipe (`lawful taxonomy | head`) ends the output
/// quietly instead of panicking; other write errors are reported on stderr.
pub(crate) fn out(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    if let Err(e) = stdout
        .write_all(text.as_bytes())
        .and_then(|()| stdout.flush())
        && e.kind() != std::io::ErrorKind::BrokenPipe
    {
        eprintln!("lawful: cannot write to standard output: {e}");
    }
}

/// `--select` and `--ignore`, shared by `check` and `build`.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct SelectArgs {
    /// Run only the rules with these ids or id prefixes (`GDPR-ART44-TRANSFER-MECHANISM`,
    /// `PIPL-`); comma-separated or repeated.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Vec<String>,
    /// Do not run the rules with these ids or id prefixes.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
}

impl SelectArgs {
    /// The selection, or exit code 2 with a message when a selector matches no rule.
    pub(crate) fn selection(&self) -> Result<crate::Selection, i32> {
        let sel = crate::Selection {
            select: self.select.clone(),
            ignore: self.ignore.clone(),
        };
        let unknown = sel.unknown();
        if unknown.is_empty() {
            return Ok(sel);
        }
        for u in unknown {
            let hint = crate::suggest::closest(u, crate::rules::all().iter().map(|r| r.id))
                .map(|s| format!("; did you mean {s}?"))
                .unwrap_or_default();
            eprintln!("lawful: `{u}` matches no rule id{hint} (`lawful rules` lists them)");
        }
        Err(EXIT_UNREADABLE)
    }
}

/// `--select POLICY-x` / `--ignore POLICY-x` must name (a prefix of) one of the project's
/// policies: a typo would otherwise silently select nothing. Exit code 2 with a message.
pub(crate) fn check_policy_selectors(
    sel: &crate::Selection,
    m: &crate::model::Model,
) -> Result<(), i32> {
    let mut bad = false;
    for s in sel.select.iter().chain(&sel.ignore) {
        let Some(id) = crate::model::strip_policy_prefix(s.trim()) else {
            continue;
        };
        if m.policies.iter().any(|p| p.id.value.starts_with(id)) {
            continue;
        }
        let hint = crate::suggest::closest(id, m.policies.iter().map(|p| p.id.value.as_str()))
            .map(|c| format!("; did you mean POLICY-{c}?"))
            .unwrap_or_default();
        eprintln!("lawful: `{s}` matches no policy of this project{hint}");
        bad = true;
    }
    if bad { Err(EXIT_UNREADABLE) } else { Ok(()) }
}

/// Whether stderr gets colors.
pub(crate) fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none() && std::io::stderr().is_terminal()
}

/// Print the diagnostics of a project that could not be read, and return exit code 2.
pub(crate) fn report_failure(f: &Failure) -> i32 {
    let color = color();
    for d in &f.diagnostics {
        eprint!("{}", crate::report::human::render(d, &f.sources, color));
    }
    eprintln!(
        "lawful: the project could not be read ({} problem{})",
        f.diagnostics.len(),
        if f.diagnostics.len() == 1 { "" } else { "s" }
    );
    EXIT_UNREADABLE
}

/// The folders a command must not read as part of the project.
pub(crate) fn excluded(out: Option<&PathBuf>) -> Vec<PathBuf> {
    out.into_iter().cloned().collect()
}
