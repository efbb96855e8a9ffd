//! Artefact generation. Each artefact family is a module; [`generate_into`] runs them all
//! and hands each file (relative path, contents) to a sink as soon as it is finished
//! (`lawful build` writes it straight into its staging folder); [`generate`] collects them
//! in memory. The files are deterministic for the same input.
//!
//! | file | module | when |
//! | --- | --- | --- |
//! | `notices/<notice>.<lang>.md`, `.html` | [`notice`], [`notice_pipl`], [`notice_ccpa`], [`html`] | each declared notice of a regime in scope, in each of its languages |
//! | `records/…` | [`ropa`] | GDPR Art 30 records and the PIPL processing record |
//! | `assessments/…` | [`assessments`] | the DPIA, PIPIA, CCPA risk, TIA and LIA report |
//! | `sql/<engine>[/<database>]/grants.sql` | [`grants`] | roles and datasets of that engine: grants, masking views |
//! | `sql/<engine>[/<database>]/consent_log.sql` | [`consent_log`] | a dataset of that engine declared `consent_log:` |
//! | `sql/<engine>[/<database>]/retention.sql` | [`retention`] | datasets of that engine with a retention (PostgreSQL: also when none has one, so that old jobs are dropped) |
//! | `sql/postgres[/<database>]/schedule.sql`, `sql/mysql/<database>/schedule.sql` | [`retention`], [`schedule`] | pg_cron jobs, MySQL events |
//! | `k8s/retention-cronjobs.yaml` | [`schedule`] | datasets with a retention in PostgreSQL or MySQL |
//!
//! `<engine>` is `postgres`, `mysql`, `snowflake` or `bigquery`. Each engine's artefacts are
//! grouped by database: when none of its datasets names a `storage.database`, they go to
//! `sql/<engine>/`; as soon as one does, every dataset of that engine must name one, and
//! each database gets its own `sql/<engine>/<database>/`, to be applied while connected to
//! that database. Grants and jobs never cross databases: a schema or table name means
//! different objects in different databases. `engine: other` means a store without SQL.
//!
//! Apply the files of one database in this order: `consent_log.sql` (grants.sql grants on
//! the log), `grants.sql`, `retention.sql`, then `schedule.sql`.
//!
//! Every file starts with a header naming the project files it was built from, without a
//! timestamp, so that the same input always gives the same bytes.

pub mod assessments;
pub mod consent_log;
pub mod grants;
pub mod html;
pub mod notice;
pub mod notice_ccpa;
pub mod notice_pipl;
pub mod retention;
pub mod ropa;
pub mod schedule;
pub mod templates;
pub mod trace;
pub mod words;

use std::collections::{BTreeMap, BTreeSet};

use crate::Project;
use crate::manifest::types::{Engine, NoticeKind};
use crate::manifest::{FileId, Span};
use crate::model::{DatasetR, Model};
use crate::report::{Diagnostic, Severity};

/// The files one generator produces for one database: (file name, contents), where
/// `Ok(None)` means there is nothing to write and `Err` holds what kept the file from being
/// generated.
pub type Files = Vec<(String, Result<Option<String>, Vec<Diagnostic>>)>;

/// Every generated file, by path relative to the output folder (forward slashes).
pub type Artefacts = BTreeMap<String, String>;

/// What [`generate`] produces: the files, and notes (warnings) about what it could not
/// generate, for the command line to print.
#[derive(Debug, Default)]
pub struct Generated {
    pub artefacts: Artefacts,
    pub notes: Vec<Diagnostic>,
}

/// Receives each generated file as soon as it is finished, from any thread: its path
/// relative to the output folder (forward slashes) and its whole contents, footer included.
/// Each path comes once; the order is not fixed.
pub type Sink<'a> = dyn Fn(String, String) + Sync + 'a;

/// Generate every artefact of the project, in memory (see [`generate_into`]).
pub fn generate(project: &Project) -> Result<Generated, Vec<Diagnostic>> {
    let files = std::sync::Mutex::new(Artefacts::new());
    let notes = generate_into(project, &|path, text| {
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(path, text);
    })?;
    Ok(Generated {
        artefacts: files.into_inner().unwrap_or_else(|e| e.into_inner()),
        notes,
    })
}

/// Generate every artefact of the project, handing each file to `sink` as soon as it is
/// finished, so that a large project's files need not all be held at once. Returns the
/// notes (warnings) for the command line to print.
///
/// Errors: a generator that cannot produce correct output (an identifier SQL cannot hold,
/// a retention job without a subject key, a retention setting PostgreSQL would reject at
/// run time, a template error) returns a diagnostic. Every generator runs, so all such
/// problems are reported at once; the files already handed to `sink` must then be
/// discarded (`lawful build` writes them into a folder it removes).
pub fn generate_into(project: &Project, sink: &Sink) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let m = &project.model;
    use rayon::prelude::*;
    // Every artefact ends with the hash of the inputs that made it.
    let hash = trace::model_hash(m);
    let put = |path: String, mut text: String| {
        text.push_str(&trace::footer(&path, hash));
        sink(path, text);
    };
    // Notices: each declared notice of a regime in scope, in each of its languages, as
    // Markdown and as a self-contained HTML page. Every family, and every notice, is
    // generated on its own, in parallel.
    let notices: Vec<(usize, crate::manifest::obligations::Language)> = m
        .notices
        .iter()
        .enumerate()
        .filter(|(_, nr)| m.applies(nr.decl.kind.value.regime()))
        .flat_map(|(ni, _)| {
            crate::rules::checklist::notice_languages(m, ni)
                .into_iter()
                .map(move |lang| (ni, lang))
        })
        .collect();
    let ((notices, (records, assessed)), refused) = rayon::join(
        || {
            rayon::join(
                || {
                    crate::timed("notices", || {
                        notices
                            .par_iter()
                            .map(|&(ni, lang)| {
                                let md = match m.notices[ni].decl.kind.value {
                                    NoticeKind::GdprArt13 | NoticeKind::GdprArt14 => {
                                        notice::gdpr(project, ni, lang)
                                    }
                                    NoticeKind::PiplArt17 => {
                                        notice_pipl::pipl_art17(project, ni, lang)
                                    }
                                    NoticeKind::CcpaNoticeAtCollection
                                    | NoticeKind::CcpaPrivacyPolicy
                                    | NoticeKind::CcpaFinancialIncentive => {
                                        notice_ccpa::ccpa(project, ni, lang)
                                    }
                                };
                                let base =
                                    format!("notices/{}.{}", m.notices[ni].id.value, lang.tag());
                                match md {
                                    Ok(Some(md)) => {
                                        put(format!("{base}.html"), html::page(lang, &md));
                                        put(format!("{base}.md"), md);
                                        Vec::new()
                                    }
                                    Ok(None) => Vec::new(),
                                    Err(d) => d,
                                }
                            })
                            .collect::<Vec<_>>()
                    })
                },
                || {
                    rayon::join(
                        || crate::timed("records of processing", || ropa::all(project)),
                        || crate::timed("assessments", || assessments::report(project)),
                    )
                },
            )
        },
        || crate::timed("SQL", || database_artefacts(project, &put)),
    );
    let mut errors: Vec<Diagnostic> = notices.into_iter().flatten().collect();
    for files in [records, assessed] {
        match files {
            Ok(files) => files.into_iter().for_each(|(path, text)| put(path, text)),
            Err(d) => errors.extend(d),
        }
    }
    // Problems found before any file is generated.
    errors.extend(refused);
    if errors.is_empty() {
        Ok(Vec::new())
    } else {
        errors.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        Err(errors)
    }
}

/// The database artefacts (`sql/…`, `k8s/…`), handed to `sink`, or what keeps them from
/// being generated. Declarations no SQL can be generated for ([`check`]'s errors) come
/// first: while one is there nothing is generated; then each generator's own refusals (a
/// name too long for its engine, a retention job without a subject key).
pub fn database_artefacts(project: &Project, sink: &Sink) -> Vec<Diagnostic> {
    let refused: Vec<Diagnostic> = check(&project.model)
        .into_iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !refused.is_empty() {
        return refused;
    }
    database_files(project, Some(sink))
}

/// What the SQL generators refuse in a project whose declarations [`check`] found no error
/// in (names an engine cannot hold, a job without a subject key, colliding view names),
/// without writing their files. `lawful check` reports these before a build does: the
/// generators that can tell their refusals without writing their files (PostgreSQL grants,
/// whose files hold a block per role and database, and PostgreSQL retention jobs and
/// schedules) only check.
pub fn database_refusals(project: &Project) -> Vec<Diagnostic> {
    database_files(project, None)
}

/// The database artefacts, handed to `sink` (none without one: then the generators only
/// check), and what the generators refuse.
fn database_files(project: &Project, sink: Option<&Sink>) -> Vec<Diagnostic> {
    let m = &project.model;
    let render = sink.is_some();
    let mut errors = Vec::new();
    // Each database's files on their own, in parallel; refusals merged in the order of
    // the groups.
    use rayon::prelude::*;
    let groups: Vec<(Engine, SqlGroup)> = SQL_ENGINES
        .into_iter()
        .flat_map(|engine| {
            sql_groups(m, engine)
                .unwrap_or_default()
                .into_iter()
                .map(move |g| (engine, g))
        })
        .collect();
    // The Kubernetes schedules, of every database at once, beside them.
    let (refused, ()): (Vec<Vec<Diagnostic>>, ()) = rayon::join(
        || {
            groups
                .par_iter()
                .map(|(engine, g)| {
                    let mut refused = Vec::new();
                    let files = retention::generate(project, *engine, &g.datasets, render)
                        .into_iter()
                        .chain(grants::generate(project, *engine, &g.datasets, render))
                        .chain(consent_log::generate(project, *engine, &g.datasets));
                    for (name, r) in files {
                        match (r, sink) {
                            (Ok(Some(text)), Some(sink)) => sink(format!("{}/{name}", g.dir), text),
                            (Ok(_), _) => {}
                            (Err(d), _) => refused.extend(d),
                        }
                    }
                    refused
                })
                .collect()
        },
        || {
            if let Some(sink) = sink
                && let Some(k8s) = schedule::k8s(m)
            {
                sink("k8s/retention-cronjobs.yaml".into(), k8s);
            }
        },
    );
    for engine in SQL_ENGINES {
        if groups.iter().any(|(e, _)| *e == engine) {
            errors.extend(grants::role_name_errors(m, engine));
        }
    }
    errors.extend(refused.into_iter().flatten());
    // A name the engine cannot hold is refused by each generator that prints it (the
    // retention jobs, the grants): reported once.
    let mut seen = std::collections::HashSet::new();
    errors.retain(|d: &Diagnostic| {
        seen.insert((
            d.code.clone(),
            d.message.clone(),
            d.primary.as_ref().map(|l| l.span),
        ))
    });
    errors
}

/// Problems in the declarations behind the generated SQL that the build would refuse, or
/// that would make the SQL do less than the YAML seems to say: retention settings, masks,
/// roles, schedules. `lawful check` reports them with the rules' findings; `lawful build`
/// refuses to write anything while one of them is an error.
pub fn check(m: &Model) -> Vec<Diagnostic> {
    // Each check on its own, in parallel (beside the rules, which `lawful check` runs at
    // the same time); their findings joined in this order.
    use rayon::prelude::*;
    let checks: [fn(&Model) -> Vec<Diagnostic>; 7] = [
        retention::check_settings,
        grants::check_roles_masked,
        grants::check_storage,
        grants::check_masks,
        schedule::check,
        retention::mysql::check,
        engine_checks,
    ];
    checks.par_iter().flat_map_iter(|c| c(m)).collect()
}

/// Per SQL engine in use: its databases' grouping, and its roles' names.
fn engine_checks(m: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for engine in SQL_ENGINES {
        match sql_groups(m, engine) {
            Ok(g) if g.is_empty() => {}
            Ok(_) => out.extend(grants::check_roles(m, engine)),
            Err(e) => out.extend(e),
        }
    }
    out
}

/// The SQL engines lawful generates scripts for, in the order of their folders.
pub const SQL_ENGINES: [Engine; 4] = [
    Engine::Postgres,
    Engine::Mysql,
    Engine::Snowflake,
    Engine::Bigquery,
];

/// The folder name of an engine's scripts: `sql/<name>/`.
pub fn engine_dir(e: Engine) -> &'static str {
    match e {
        Engine::Postgres => "postgres",
        Engine::Mysql => "mysql",
        Engine::Snowflake => "snowflake",
        Engine::Bigquery => "bigquery",
        Engine::Other => "other",
    }
}

/// The datasets of one engine and database, and the folder of their scripts.
pub(crate) struct SqlGroup {
    /// `sql/<engine>` or `sql/<engine>/<database>`.
    pub dir: String,
    /// Indices into `Model::datasets`.
    pub datasets: Vec<usize>,
}

/// Group the datasets stored in `engine` by `storage.database` (see the module
/// documentation).
///
/// Errors: a PostgreSQL dataset without a database when another names one; a database name
/// that cannot be a folder name (empty, `.`/`..`, a slash, a backslash, a control
/// character, longer than PostgreSQL's 63 bytes); two database names that differ only in
/// case (they would be one folder on a case-insensitive file system).
pub(crate) fn sql_groups(m: &Model, engine: Engine) -> Result<Vec<SqlGroup>, Vec<Diagnostic>> {
    let dir = engine_dir(engine);
    let pg: Vec<usize> = (0..m.datasets.len())
        .filter(|&i| {
            m.datasets[i]
                .decl
                .storage
                .as_ref()
                .is_some_and(|s| s.engine == engine)
        })
        .collect();
    if pg.is_empty() {
        return Ok(Vec::new());
    }
    let db = |i: usize| {
        m.datasets[i]
            .decl
            .storage
            .as_ref()
            .and_then(|s| s.database.as_deref())
    };
    let storage_span = |i: usize| {
        m.datasets[i]
            .decl
            .storage
            .as_ref()
            .map(|s| s.span)
            .unwrap_or(m.datasets[i].id.span)
    };
    let Some(named) = pg.iter().copied().find(|&i| db(i).is_some()) else {
        return Ok(vec![SqlGroup {
            dir: format!("sql/{dir}"),
            datasets: pg,
        }]);
    };
    let mut errors = Vec::new();
    let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for &i in &pg {
        match db(i) {
            Some(name) => groups.entry(name).or_default().push(i),
            None => errors.push(
                Diagnostic::error(
                    "emit::database-missing",
                    format!(
                        "dataset `{}` names no `storage.database`, but other {dir} datasets do",
                        m.datasets[i].id.value
                    ),
                )
                .at(storage_span(i), "no `database` here")
                .with_secondary(
                    storage_span(named),
                    format!(
                        "this one is in database `{}`",
                        db(named).unwrap_or_default()
                    ),
                )
                .with_help(format!(
                    "lawful writes one set of scripts per database (sql/{dir}/<database>/), \
                     so it must know the database of every {dir} dataset; add \
                     `database: <name>` to its `storage`"
                ))
                .with_target(format!("datasets.{}", m.datasets[i].id.value)),
            ),
        }
    }
    let mut folded: BTreeMap<String, &str> = BTreeMap::new();
    for (name, members) in &groups {
        let span = storage_span(members[0]);
        if let Err(why) = folder_name(name) {
            errors.push(
                Diagnostic::error(
                    "emit::database-name",
                    format!(
                        "the database name `{}` cannot name a folder of generated scripts: {why}",
                        name.escape_debug()
                    ),
                )
                .at(span, "in this storage")
                .with_help(
                    "give the database's real name; PostgreSQL database names are at most 63 bytes",
                ),
            );
            continue;
        }
        if let Some(other) = folded.insert(name.to_lowercase(), name) {
            errors.push(
                Diagnostic::error(
                    "emit::database-name",
                    format!(
                        "databases `{other}` and `{name}` differ only in case, so their scripts would share one folder on a case-insensitive file system"
                    ),
                )
                .at(span, "in this storage")
                .with_secondary(storage_span(groups[other][0]), "the other database")
                .with_help("if they are one database, spell its name the same way everywhere"),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(groups
        .into_iter()
        .map(|(name, datasets)| SqlGroup {
            dir: format!("sql/{dir}/{name}"),
            datasets,
        })
        .collect())
}

/// Whether a database name can be one folder name, the same on every file system.
fn folder_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() {
        return Err("it is empty");
    }
    if name == "." || name == ".." {
        return Err("`.` and `..` are not folder names");
    }
    if name.len() > crate::sql::postgres::MAX_IDENT_BYTES {
        return Err("it is longer than 63 bytes");
    }
    if name.chars().any(|c| {
        c.is_control() || matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')
    }) {
        return Err("it holds a character that is not allowed in folder names");
    }
    if name.ends_with('.') || name.ends_with(' ') {
        return Err("a folder name cannot end with a dot or a space on every file system");
    }
    Ok(())
}

/// The project files that hold the given spans, sorted and comma-separated:
/// `lawful.yaml, datasets/customers.yaml`. Built-in data (no file) is left out.
pub(crate) fn source_list(m: &Model, spans: impl IntoIterator<Item = Span>) -> String {
    // Files first, by id (the spans of a database's roles and datasets come from a few
    // files, over and over), then their names.
    let mut files: Vec<u32> = spans.into_iter().map(|s| s.file.0).collect();
    files.sort_unstable();
    files.dedup();
    let names: BTreeSet<&str> = files
        .into_iter()
        .filter_map(|f| m.sources.get(FileId(f)).map(|f| f.name.as_str()))
        .collect();
    if names.is_empty() {
        "the project".to_string()
    } else {
        names.into_iter().collect::<Vec<_>>().join(", ")
    }
}

/// Schema and table of a dataset stored in PostgreSQL (schema default `public`).
pub(crate) fn postgres_table(d: &DatasetR) -> Option<(&str, &str, Span)> {
    let s = d.decl.storage.as_ref()?;
    if s.engine != Engine::Postgres {
        return None;
    }
    Some((
        s.schema.as_deref().unwrap_or("public"),
        s.table.value.as_str(),
        s.table.span,
    ))
}

/// A diagnostic for a name that SQL cannot hold (empty, NUL, too long). Boxed, since it
/// travels in `Result`s.
pub(crate) fn sql_name_error(what: &str, err: String, span: Span) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            "emit::sql-identifier",
            format!("cannot generate SQL for {what}: {err}"),
        )
        .at(span, "this name")
        .with_help("rename it in the YAML (`db_role`, `column:`, `storage.table` or `storage.schema`) to the name the database really uses, within what the engine accepts"),
    )
}

/// `last_update` → `last update`, `firstName` → `first name`: an identifier as words, for
/// people. Non-ASCII names are kept as they are.
pub(crate) fn words(id: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in id.chars() {
        if c == '_' || c == '-' || c == '.' {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.extend(c.to_lowercase());
    }
    out.trim().to_string()
}

/// `order_fulfilment` → `Order fulfilment`.
pub(crate) fn humanize(id: &str) -> String {
    let w = words(id);
    let mut cs = w.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_become_words() {
        assert_eq!(words("last_update"), "last update");
        assert_eq!(words("lastLoginAt"), "last login at");
        assert_eq!(humanize("order_fulfilment"), "Order fulfilment");
        assert_eq!(humanize("客户"), "客户");
    }
}
