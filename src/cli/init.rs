//! `lawful init [DIR] [--from-sql FILE --dialect D]`: a starter project, without prompts.

use std::path::PathBuf;

use crate::import::sql::Dialect;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder to create the project in; it must not exist or be empty.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Draft datasets from this SQL schema (as `lawful import sql`).
    #[arg(long, value_name = "FILE")]
    from_sql: Option<PathBuf>,
    /// The dialect of `--from-sql`.
    #[arg(long, value_enum, default_value = "postgres")]
    dialect: Dialect,
}

pub fn run(a: Args) -> i32 {
    let _ = a;
    crate::cli::EXIT_UNREADABLE
}
