//! `lawful grants plan (--postgres URL | --mysql URL) [DIR] [--format human|sql|json]`:
//! the statements that bring the privileges of the managed roles on a live server to the
//! declared state (see [`crate::drift`]).
//!
//! Exit codes: 0 in sync (nothing printed on standard output, except the JSON report);
//! 1 statements are needed, or an object the declaration names is missing; 2 the project
//! cannot be read or built, the URL is wrong, or the server cannot be reached or read.

use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};

use crate::cli::{EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, excluded, out, report_failure};
use crate::drift::{self, DesiredError, DriftPlan};
use crate::manifest::types::Engine;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Read the live privileges of the roles lawful manages and print the statements that
    /// bring them to the declared state (nothing when in sync).
    Plan(PlanArgs),
}

#[derive(clap::Args, Debug)]
#[command(group(clap::ArgGroup::new("server").required(true).args(["postgres", "mysql"])))]
#[command(
    after_help = "Timeouts: connecting and logging in may take LAWFUL_CONNECT_TIMEOUT_SECS \
seconds (default 10), reading the privileges once logged in LAWFUL_READ_TIMEOUT_SECS (default \
30); past them the command says which server timed out and exits with code 2."
)]
pub struct PlanArgs {
    /// The project folder (with lawful.yaml at its root).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// A PostgreSQL server: postgresql://user[:password]@host[:port]/database. Without a
    /// password in the URL, PGPASSWORD is used. No TLS yet.
    #[arg(long, value_name = "URL")]
    postgres: Option<String>,
    /// A MySQL or MariaDB server: mysql://user[:password]@host[:port]/database. Without a
    /// password in the URL, MYSQL_PWD is used. No TLS yet.
    #[arg(long, value_name = "URL")]
    mysql: Option<String>,
    /// Output format: `human` (a header per role, its statements below), `sql` (only the
    /// statements, to pipe into psql or mysql) or `json`.
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum Format {
    Human,
    Sql,
    Json,
}

pub fn run(a: Args) -> i32 {
    match a.command {
        Command::Plan(p) => plan(p),
    }
}

/// The server a plan reads, whatever its engine.
enum Server {
    Postgres(Box<drift::postgres::Server>),
    Mysql(drift::mysql::Server),
}

impl Server {
    fn engine(&self) -> Engine {
        match self {
            Server::Postgres(_) => Engine::Postgres,
            Server::Mysql(_) => Engine::Mysql,
        }
    }
    fn host(&self) -> &str {
        match self {
            Server::Postgres(s) => &s.host,
            Server::Mysql(s) => &s.host,
        }
    }
    fn database(&self) -> Option<&str> {
        match self {
            Server::Postgres(s) => s.database.as_deref(),
            Server::Mysql(s) => s.database.as_deref(),
        }
    }
    fn read(&self, d: &drift::Desired) -> Result<drift::Live, String> {
        match self {
            Server::Postgres(s) => drift::postgres::read(s, d),
            Server::Mysql(s) => drift::mysql::read(s, d),
        }
    }
    /// `role` is `None` for `PUBLIC`.
    fn statement(&self, role: Option<&str>, step: &drift::Step) -> Result<String, String> {
        match self {
            Server::Postgres(_) => drift::postgres::statement(role, step),
            Server::Mysql(_) => drift::mysql::statement(role, step),
        }
    }
}

fn plan(a: PlanArgs) -> i32 {
    let server = match (&a.postgres, &a.mysql) {
        (Some(url), _) => drift::postgres::server(url).map(|s| Server::Postgres(Box::new(s))),
        (_, Some(url)) => drift::mysql::server(url).map(Server::Mysql),
        (None, None) => Err("give --postgres URL or --mysql URL".into()),
    };
    let server = match server {
        Ok(s) => s,
        Err(e) => {
            eprintln!("lawful: {e}");
            return EXIT_UNREADABLE;
        }
    };
    let project = match crate::load(&a.dir, &excluded(None)) {
        Ok(p) => p,
        Err(f) => return report_failure(&f),
    };
    let engine = server.engine();
    let desired = match drift::desired(&project, engine, server.database()) {
        Ok(d) => d,
        Err(DesiredError::Project(diags)) => {
            for d in &diags {
                eprint!(
                    "{}",
                    crate::report::human::render(d, &project.model.sources, crate::cli::color())
                );
            }
            eprintln!(
                "lawful: the project's grants cannot be generated ({} problem{}), so there is no declared state to compare with",
                diags.len(),
                if diags.len() == 1 { "" } else { "s" }
            );
            return EXIT_UNREADABLE;
        }
        Err(DesiredError::Message(m)) => {
            eprintln!("lawful: {m}");
            return EXIT_UNREADABLE;
        }
    };
    let live = match server.read(&desired) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("lawful: {e}");
            return EXIT_UNREADABLE;
        }
    };
    // PostgreSQL and MariaDB take the column privileges away with the table-wide one;
    // where a server keeps them, granting them again changes nothing.
    let plan = drift::compare(&desired, &live, true);
    // Every statement, role by role.
    let mut roles: Vec<(&drift::RoleSteps, Vec<String>)> = Vec::new();
    for r in &plan.roles {
        let mut sts = Vec::new();
        for s in &r.steps {
            let grantee = if r.public {
                None
            } else {
                Some(r.role.as_str())
            };
            match server.statement(grantee, s) {
                Ok(t) => sts.push(t),
                Err(e) => {
                    eprintln!(
                        "lawful: cannot write a statement for role `{}`: {e}",
                        r.role
                    );
                    return EXIT_UNREADABLE;
                }
            }
        }
        roles.push((r, sts));
    }
    let db = server
        .database()
        .or(desired.database.as_deref())
        .unwrap_or("")
        .to_string();
    let name = crate::emit::engine_dir(engine);
    match a.format {
        Format::Sql => {
            let mut text = String::new();
            for (_, sts) in &roles {
                for s in sts {
                    text.push_str(s);
                    text.push('\n');
                }
            }
            out(&text);
            for m in &plan.missing {
                eprintln!("lawful: {}", m.message(&desired.dir));
            }
        }
        Format::Json => out(&json(&plan, &roles, &desired, name, &db, server.host())),
        Format::Human => {
            out(&human(&plan, &roles, &desired));
            let n: usize = roles.iter().map(|(_, s)| s.len()).sum();
            if plan.in_sync() {
                eprintln!(
                    "lawful: {name} database `{db}` at {}: the {} managed role{} match {}/grants.sql",
                    server.host(),
                    desired.roles.len(),
                    if desired.roles.len() == 1 { "" } else { "s" },
                    desired.dir
                );
            } else {
                eprintln!(
                    "lawful: {name} database `{db}` at {}: {n} statement{} needed{}",
                    server.host(),
                    if n == 1 { "" } else { "s" },
                    if plan.missing.is_empty() {
                        String::new()
                    } else {
                        format!(
                            ", {} missing object{}",
                            plan.missing.len(),
                            if plan.missing.len() == 1 { "" } else { "s" }
                        )
                    }
                );
            }
        }
    }
    if plan.in_sync() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

/// A header per role that needs statements (`role sakila_support: 2 statements`, or
/// `(does not exist)`), its statements indented below, then what a plan cannot fix
/// (missing objects, stale masking views).
fn human(
    plan: &DriftPlan,
    roles: &[(&drift::RoleSteps, Vec<String>)],
    d: &drift::Desired,
) -> String {
    let mut text = String::new();
    for (r, sts) in roles {
        if sts.is_empty() {
            continue;
        }
        text.push_str(&format!(
            "{}{}: {} statement{}\n",
            if r.public {
                "PUBLIC (every role) on masking views and consent logs".to_string()
            } else {
                format!("role {}", r.role)
            },
            if r.exists { "" } else { " (does not exist)" },
            sts.len(),
            if sts.len() == 1 { "" } else { "s" }
        ));
        for s in sts {
            text.push_str("  ");
            text.push_str(s);
            text.push('\n');
        }
    }
    if !plan.missing.is_empty() {
        text.push_str("not planned:\n");
        for m in &plan.missing {
            text.push_str("  ");
            text.push_str(&m.message(&d.dir));
            text.push('\n');
        }
    }
    text
}

fn json(
    plan: &DriftPlan,
    roles: &[(&drift::RoleSteps, Vec<String>)],
    d: &drift::Desired,
    engine: &str,
    db: &str,
    host: &str,
) -> String {
    use serde_json::json;
    let missing: Vec<_> = plan
        .missing
        .iter()
        .map(|m| {
            let (kind, schema, object, column) = match m {
                drift::Missing::Schema(s) => ("schema", s, None, None),
                drift::Missing::View(s, v) => ("view", s, Some(v), None),
                drift::Missing::Table(s, t) => ("table", s, Some(t), None),
                drift::Missing::Column(s, t, c, _) => ("column", s, Some(t), Some(c)),
                drift::Missing::StaleView(s, v) => ("stale_view", s, Some(v), None),
            };
            json!({
                "kind": kind,
                "schema": schema,
                "object": object,
                "column": column,
                "message": m.message(&d.dir),
            })
        })
        .collect();
    let v = json!({
        "engine": engine,
        "host": host,
        "database": db,
        "scripts": d.dir,
        "in_sync": plan.in_sync(),
        "roles": roles.iter().map(|(r, sts)| json!({
            "role": r.role,
            "exists": r.exists,
            "public": r.public,
            "statements": sts,
        })).collect::<Vec<_>>(),
        "missing": missing,
    });
    let mut s = serde_json::to_string_pretty(&v).expect("JSON of strings");
    s.push('\n');
    s
}
