//! `lawful import fides DIR --out DIR` and `lawful import sql FILE --dialect D --out DIR`.

use std::path::{Path, PathBuf};

use crate::cli::{EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE};
use crate::import::{Imported, sql::Dialect};
use crate::report::Severity;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    what: What,
}

#[derive(clap::Subcommand, Debug)]
enum What {
    /// Convert fideslang manifests (a Fides data map) into a lawful project.
    Fides {
        /// The folder of fideslang YAML files (read recursively), or one manifest file.
        dir: PathBuf,
        /// The folder to write the project into; it must not exist or be empty.
        #[arg(long)]
        out: PathBuf,
    },
    /// Draft a lawful project from SQL DDL, with data categories suggested for review.
    Sql {
        /// The SQL file (CREATE TABLE statements; other statements are skipped).
        file: PathBuf,
        /// The SQL dialect of the file.
        #[arg(long, value_enum)]
        dialect: Dialect,
        /// The folder to write the project into; it must not exist or be empty.
        #[arg(long)]
        out: PathBuf,
    },
}

pub fn run(a: Args) -> i32 {
    match a.what {
        What::Fides { dir, out } => finish(
            crate::import::fides::import_to(&dir, &out),
            &out,
            false,
            false,
        ),
        What::Sql { file, dialect, out } => finish(
            crate::import::sql::import(&file, dialect),
            &out,
            true,
            false,
        ),
    }
}

/// Print the import's diagnostics, verify the project reads, and write it.
/// `partial`: write the project even when some input was skipped (and still exit 1).
/// `beside`: `out` may hold other files, as long as none is one of the project's.
pub(crate) fn finish(imported: Imported, out: &Path, partial: bool, beside: bool) -> i32 {
    let color = crate::cli::color();
    for d in &imported.diagnostics {
        eprint!(
            "{}",
            crate::report::human::render(d, &imported.sources, color)
        );
    }
    let errors = imported
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 && (!partial || imported.files.is_empty()) {
        eprintln!(
            "lawful: nothing written: {errors} problem{} in the input",
            if errors == 1 { "" } else { "s" }
        );
        return EXIT_UNREADABLE;
    }
    if let Err(f) = crate::import::verify(&imported.files) {
        eprintln!("lawful: internal error: the imported project does not read back:");
        crate::cli::report_failure(&f);
        return EXIT_UNREADABLE;
    }
    let written = if beside {
        crate::import::write_beside(out, &imported.files)
    } else {
        crate::import::write_project(out, &imported.files)
    };
    if let Err(e) = written {
        eprintln!("lawful: {e}");
        return EXIT_UNREADABLE;
    }
    eprintln!(
        "lawful: wrote {} file{} to {}; run `lawful check {}` for what is left to review",
        imported.files.len(),
        if imported.files.len() == 1 { "" } else { "s" },
        out.display(),
        out.display()
    );
    if errors > 0 { EXIT_FINDINGS } else { EXIT_OK }
}
