//! Drift: the privileges the roles lawful manages hold on a live server, compared with the
//! declared ones, and the statements that bring the server to the declared state
//! (`lawful grants plan --postgres URL` / `--mysql URL`).
//!
//! The declared state is [`crate::emit::grants::privileges`] for one database: the very set
//! the generated `grants.sql` grants, so a server on which that file was applied has no
//! drift. A column privilege beside the same privilege on the whole table (a consent-log
//! reader whose purposes also reach the log's columns) is neither required nor revoked. The
//! live state is read by [`postgres::read`] and [`mysql::read`] for the managed roles
//! (every role of the project, by its database role), where the generated script revokes:
//! on PostgreSQL the managed schemas (every schema holding a table of the group); on MySQL
//! the whole server except the project's other MySQL databases, since its script revokes
//! every privilege of the role.
//!
//! [`compare`] is engine-free: what is held and not declared is revoked, what is declared
//! and not held is granted, a managed role that does not exist is created first. The
//! statements are printed by the dialect's renderer, which quotes every name through
//! [`crate::sql`].
//!
//! Objects lawful cannot create in a plan are reported, not planned: a masking view
//! (`<table>_masked`) that does not exist yet is created by `grants.sql`, so the report says
//! "apply grants.sql"; a table, schema or column the YAML names but the server lacks means
//! the YAML and the database disagree. Grants on such objects would fail, so none is
//! printed for them.
//!
//! A masking view lawful made that is no longer declared is reported too: `grants.sql`
//! drops it.
//!
//! `PUBLIC` (PostgreSQL) may hold nothing on lawful's masking views (they run with their
//! owner's rights, so a privilege of `PUBLIC` on one shows every column to every role) nor
//! on the consent logs: `grants.sql` and `consent_log.sql` revoke it, and a plan revokes
//! whatever `PUBLIC` holds there again.
//!
//! The declared state is that of the database the URL names; a URL naming a database no
//! dataset names is refused, unless no dataset of the engine names a database at all.
//! Reading a server is bounded by [`Timeouts`] (see [`within`]).
//!
//! Not compared: privileges a managed role holds through membership of another role or
//! through `PUBLIC` (other than the above), object ownership, default privileges, sequences and routines, and
//! (PostgreSQL) privileges outside the managed schemas; the generated scripts leave those
//! alone too, except MySQL's routine privileges.

pub mod mysql;
pub mod postgres;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use crate::Project;
use crate::emit::grants::{self, Action, TableName};
use crate::manifest::Span;
use crate::manifest::types::Engine;
use crate::model::{DatasetR, RoleR};
use crate::report::{Diagnostic, Severity};

/// One privilege, in the form the declared and the live state are compared in.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Grant {
    /// The database role.
    pub role: String,
    /// The schema (MySQL: the database); empty for a server-wide privilege (MySQL's
    /// `*.*`).
    pub schema: String,
    /// The table or view; `None` for a privilege on the schema itself.
    pub object: Option<String>,
    /// The column; `None` for the whole table or view (or the schema).
    pub column: Option<String>,
    /// The privilege as the engine names it, upper case: `SELECT`, `USAGE`, `UPDATE`,
    /// `GRANT OPTION` (MySQL, where it is a privilege of its own)…
    pub privilege: String,
}

/// The declared state of one database.
#[derive(Clone, Debug)]
pub struct Desired {
    /// The `storage.database` the datasets of the group name, if any.
    pub database: Option<String>,
    /// Where `lawful build` writes the group's scripts (`sql/postgres/sakila`).
    pub dir: String,
    /// Every managed database role, sorted.
    pub roles: Vec<String>,
    /// Every managed schema (MySQL: database), sorted.
    pub schemas: BTreeSet<String>,
    /// The schemas of the project's other databases of the same engine: their grants are
    /// declared by their own `grants.sql`, so they are not compared here.
    pub others: BTreeSet<String>,
    /// Every privilege the managed roles should hold there, and no other.
    pub grants: BTreeSet<Grant>,
    /// The masking views `grants.sql` creates, as (schema, view).
    pub views: BTreeSet<(String, String)>,
    /// The objects on which `PUBLIC` must hold nothing, as (schema, object): the masking
    /// views (they run with their owner's rights, so `PUBLIC` on one shows every column it
    /// has to everyone) and the consent-log tables. `grants.sql` and `consent_log.sql`
    /// revoke `ALL` from `PUBLIC` on them. Empty for MySQL, which has no `PUBLIC`.
    pub public_closed: BTreeSet<(String, String)>,
}

/// Why the declared state could not be computed.
#[derive(Debug)]
pub enum DesiredError {
    /// The project has problems that keep `lawful build` from generating its grants.
    Project(Vec<Diagnostic>),
    /// The project has nothing to compare with this database.
    Message(String),
}

/// The declared state of the database `database` (the one the URL names) of `engine`: the
/// group of datasets whose `storage.database` is that name; the only group when no dataset
/// names a database (or the URL names none).
///
/// Errors: problems that keep `lawful build` from generating the grants (role names the
/// engine reserves, two roles with one database role, mask and retention errors, datasets
/// without a database); no dataset of the engine; a URL database that no dataset names
/// (any database is accepted only when no dataset of the engine names one); no database
/// in the URL while the datasets are in several; no role at all.
pub fn desired(
    p: &Project,
    engine: Engine,
    database: Option<&str>,
) -> Result<Desired, DesiredError> {
    let m = &p.model;
    let mut problems: Vec<Diagnostic> = crate::emit::grants::check_roles(m, engine);
    problems.extend(
        crate::emit::check(m)
            .into_iter()
            .filter(|d| d.severity == Severity::Error),
    );
    let groups = match crate::emit::sql_groups(m, engine) {
        Ok(g) => g,
        Err(e) => {
            problems.extend(e);
            Vec::new()
        }
    };
    if !problems.is_empty() {
        problems.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        return Err(DesiredError::Project(problems));
    }
    let name = crate::emit::engine_dir(engine);
    if groups.is_empty() {
        return Err(DesiredError::Message(format!(
            "the project has no dataset stored in {name} (`storage.engine: {name}`), so there is nothing to compare"
        )));
    }
    let db_of = |g: &crate::emit::SqlGroup| -> Option<String> {
        g.datasets.iter().find_map(|&i| {
            m.datasets[i]
                .decl
                .storage
                .as_ref()
                .and_then(|s| s.database.clone())
        })
    };
    // The URL's database picks the group; any database will do only where no dataset of
    // the engine names one (a single group in `sql/<engine>`).
    let unnamed = groups.len() == 1 && db_of(&groups[0]).is_none();
    let known = || {
        groups
            .iter()
            .filter_map(db_of)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let group = match database {
        _ if unnamed => &groups[0],
        Some(db) => match groups.iter().find(|g| db_of(g).as_deref() == Some(db)) {
            Some(g) => g,
            None => {
                return Err(DesiredError::Message(format!(
                    "the project has no {name} datasets in database `{db}`; its databases: {}",
                    known()
                )));
            }
        },
        None if groups.len() == 1 => &groups[0],
        None => {
            return Err(DesiredError::Message(format!(
                "the URL names no database, and the project's {name} datasets are in several: {}; name one of them in the URL",
                known()
            )));
        }
    };
    if m.roles.is_empty() {
        return Err(DesiredError::Message(
            "the project declares no role, so lawful manages no privilege".into(),
        ));
    }
    let mut roles: Vec<&RoleR> = m.roles.iter().collect();
    roles.sort_by(|a, b| a.db_role.cmp(&b.db_role).then(a.id.value.cmp(&b.id.value)));
    let datasets: Vec<usize> = group
        .datasets
        .iter()
        .copied()
        .filter(|&i| table_of(engine, &m.datasets[i]).is_some())
        .collect();
    let plan = grants::plan(m, &datasets, &roles, |d| table_of(engine, d));
    let privileges = grants::privileges(m, &plan, &datasets);
    let others: BTreeSet<String> = groups
        .iter()
        .filter(|g| g.dir != group.dir)
        .flat_map(|g| g.datasets.iter())
        .filter_map(|&i| table_of(engine, &m.datasets[i]).map(|(t, _)| t.schema))
        .filter(|s| !plan.schemas.contains(s))
        .collect();
    let mut public_closed: BTreeSet<(String, String)> = BTreeSet::new();
    if engine == Engine::Postgres {
        public_closed.extend(
            plan.views
                .iter()
                .map(|v| (v.table.schema.clone(), v.view.clone())),
        );
        public_closed.extend(
            m.consent_logs
                .iter()
                .filter(|l| datasets.contains(&l.dataset))
                .filter_map(|l| table_of(engine, &m.datasets[l.dataset]))
                .map(|(t, _)| (t.schema, t.table)),
        );
    }
    let grants = privileges
        .into_iter()
        .filter_map(|p| {
            let privilege = match (p.action, engine) {
                // MySQL has no schemas below databases, and no USAGE on them.
                (Action::Usage, Engine::Mysql) => return None,
                (Action::Usage, _) => "USAGE",
                (Action::Select, _) => "SELECT",
                (Action::Insert, _) => "INSERT",
            };
            Some(Grant {
                role: p.role,
                schema: p.schema,
                object: p.object,
                column: p.column,
                privilege: privilege.into(),
            })
        })
        .collect();
    Ok(Desired {
        database: db_of(group),
        dir: group.dir.clone(),
        roles: roles.iter().map(|r| r.db_role.clone()).collect(),
        schemas: plan.schemas.clone(),
        others,
        grants,
        views: plan
            .views
            .iter()
            .map(|v| (v.table.schema.clone(), v.view.clone()))
            .collect(),
        public_closed,
    })
}

/// Schema and table of a dataset of `engine`, as the generators name them: PostgreSQL's
/// schema defaults to `public`; MySQL's "schema" is the database (`storage.schema` if given,
/// else `storage.database`).
fn table_of(engine: Engine, d: &DatasetR) -> Option<(TableName, Span)> {
    let s = d.decl.storage.as_ref()?;
    if s.engine != engine {
        return None;
    }
    let schema = match (engine, &s.schema) {
        (_, Some(x)) => x.clone(),
        (Engine::Postgres, None) => "public".into(),
        (_, None) => s.database.clone()?,
    };
    Some((
        TableName {
            schema,
            table: s.table.value.clone(),
        },
        s.table.span,
    ))
}

/// The live state of the managed roles in the managed schemas.
#[derive(Clone, Debug, Default)]
pub struct Live {
    /// The managed roles that exist.
    pub roles: BTreeSet<String>,
    /// The managed schemas that exist.
    pub schemas: BTreeSet<String>,
    /// Every table, view or other relation of the managed schemas, with its columns.
    pub objects: BTreeMap<(String, String), BTreeSet<String>>,
    /// The privileges the managed roles hold there, directly.
    pub grants: BTreeSet<Grant>,
    /// Those of [`Live::grants`] held `WITH GRANT OPTION` (PostgreSQL; MySQL reports its
    /// grant option as a privilege of its own).
    pub grantable: BTreeSet<Grant>,
    /// The masking views lawful made (PostgreSQL: marked by their comment), as (schema,
    /// view).
    pub lawful_views: BTreeSet<(String, String)>,
    /// The privileges `PUBLIC` holds on the relations of the managed schemas (PostgreSQL),
    /// with [`Grant::role`] `PUBLIC`.
    pub public: BTreeSet<Grant>,
}

/// What a statement applies to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// Every database of the server (MySQL's `*.*`).
    Global,
    /// A schema (PostgreSQL) or a whole database (MySQL's `` `db`.* ``).
    Schema(String),
    Table {
        schema: String,
        object: String,
    },
    Columns {
        schema: String,
        object: String,
        columns: Vec<String>,
    },
}

/// One statement to run, dialect-free.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// The role does not exist.
    CreateRole,
    /// Take `privileges` away (only their grant option when `grant_option`).
    Revoke {
        target: Target,
        privileges: Vec<String>,
        grant_option: bool,
    },
    /// Give `privileges`.
    Grant {
        target: Target,
        privileges: Vec<String>,
    },
}

/// The statements for one role, in the order they must run.
#[derive(Clone, Debug)]
pub struct RoleSteps {
    /// The database role; `PUBLIC` when [`RoleSteps::public`].
    pub role: String,
    pub exists: bool,
    /// The steps take privileges away from `PUBLIC` (every role), not from a managed role.
    pub public: bool,
    pub steps: Vec<Step>,
}

/// What the declaration names but the server lacks, or a masking view lawful made that
/// the declaration no longer names: things a plan of grants cannot fix.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Missing {
    Schema(String),
    /// A masking view: `grants.sql` creates it.
    View(String, String),
    Table(String, String),
    /// A column of a table; of a masking view when the last field is true.
    Column(String, String, String, bool),
    /// A masking view lawful made that is no longer declared: `grants.sql` drops it.
    StaleView(String, String),
}

impl Missing {
    /// A sentence for people; `dir` is where the group's scripts are written.
    pub fn message(&self, dir: &str) -> String {
        match self {
            Missing::Schema(s) => format!(
                "schema `{s}` does not exist on the server; the YAML names it (no grant on it is planned)"
            ),
            Missing::View(s, v) => format!(
                "masking view `{s}`.`{v}` does not exist: apply {dir}/grants.sql, which creates it (a plan does not recreate views)"
            ),
            Missing::Table(s, t) => format!(
                "table `{s}`.`{t}` does not exist on the server; the YAML names it (no grant on it is planned)"
            ),
            Missing::Column(s, t, c, true) => format!(
                "masking view `{s}`.`{t}` has no column `{c}`: apply {dir}/grants.sql, which recreates it"
            ),
            Missing::Column(s, t, c, false) => format!(
                "column `{c}` of `{s}`.`{t}` does not exist on the server; the YAML names it (no grant on it is planned)"
            ),
            Missing::StaleView(s, v) => format!(
                "masking view `{s}`.`{v}` is no longer declared: apply {dir}/grants.sql, which drops it"
            ),
        }
    }
}

/// The statements that bring the live state to the declared one.
#[derive(Clone, Debug)]
pub struct DriftPlan {
    /// Every managed role, sorted, with its statements (none when in sync); then, when it
    /// holds a privilege on a masking view or a consent log, `PUBLIC`
    /// ([`RoleSteps::public`]) with its revokes.
    pub roles: Vec<RoleSteps>,
    /// Objects the declaration names that the server lacks, sorted.
    pub missing: Vec<Missing>,
}

impl DriftPlan {
    /// Whether nothing needs doing.
    pub fn in_sync(&self) -> bool {
        self.missing.is_empty() && self.roles.iter().all(|r| r.steps.is_empty())
    }
}

/// Compare, role by role. `revoke_clears_columns`: revoking a table-wide privilege also
/// revokes it on every column (PostgreSQL), so the declared column privileges of that kind
/// must be granted again after it.
///
/// `PUBLIC`'s privileges on the objects of [`Desired::public_closed`] and on the masking
/// views lawful made are revoked, table-wide first.
///
/// Order within a role: create it; revoke table-wide privileges, then column privileges,
/// then grant options, then schema `USAGE`; grant schema `USAGE`, then table-wide
/// privileges, then column privileges. Objects are sorted by schema and name.
pub fn compare(d: &Desired, live: &Live, revoke_clears_columns: bool) -> DriftPlan {
    let mut missing = BTreeSet::new();
    let mut want: BTreeSet<&Grant> = BTreeSet::new();
    for g in &d.grants {
        if !live.schemas.contains(&g.schema) {
            missing.insert(Missing::Schema(g.schema.clone()));
            continue;
        }
        if let Some(o) = &g.object {
            let Some(cols) = live.objects.get(&(g.schema.clone(), o.clone())) else {
                if d.views.contains(&(g.schema.clone(), o.clone())) {
                    missing.insert(Missing::View(g.schema.clone(), o.clone()));
                } else {
                    missing.insert(Missing::Table(g.schema.clone(), o.clone()));
                }
                continue;
            };
            if let Some(c) = &g.column
                && !cols.contains(c)
            {
                let view = d.views.contains(&(g.schema.clone(), o.clone()));
                missing.insert(Missing::Column(
                    g.schema.clone(),
                    o.clone(),
                    c.clone(),
                    view,
                ));
                continue;
            }
        }
        want.insert(g);
    }
    for v in &live.lawful_views {
        if !d.views.contains(v) {
            missing.insert(Missing::StaleView(v.0.clone(), v.1.clone()));
        }
    }
    let mut roles = Vec::new();
    for role in &d.roles {
        let exists = live.roles.contains(role);
        let want_r: BTreeSet<&Grant> = want.iter().copied().filter(|g| &g.role == role).collect();
        let have_r: BTreeSet<&Grant> = live.grants.iter().filter(|g| &g.role == role).collect();
        // A column privilege beside the same privilege on the whole table adds nothing:
        // whether a generator prints it or not, neither side needs it.
        let subsumed = |g: &Grant| {
            g.column.is_some()
                && want_r.iter().any(|w| {
                    w.column.is_none()
                        && w.object == g.object
                        && w.schema == g.schema
                        && w.privilege == g.privilege
                })
        };
        let mut extra: BTreeSet<&Grant> = have_r
            .difference(&want_r)
            .copied()
            .filter(|g| !subsumed(g))
            .collect();
        let mut lacking: BTreeSet<&Grant> = want_r
            .difference(&have_r)
            .copied()
            .filter(|g| !subsumed(g))
            .collect();

        // Table-wide revokes, by object.
        let mut table_revokes: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
        for g in extra
            .iter()
            .filter(|g| g.object.is_some() && g.column.is_none())
        {
            table_revokes
                .entry((g.schema.clone(), g.object.clone().unwrap_or_default()))
                .or_default()
                .insert(g.privilege.clone());
        }
        let cleared = |g: &Grant| {
            g.column.is_some()
                && g.object.as_ref().is_some_and(|o| {
                    table_revokes
                        .get(&(g.schema.clone(), o.clone()))
                        .is_some_and(|ps| ps.contains(&g.privilege))
                })
        };
        if revoke_clears_columns {
            extra.retain(|g| !cleared(g));
            for g in &want_r {
                if cleared(g) {
                    lacking.insert(g);
                }
            }
        }
        let grant_option: BTreeSet<&Grant> = want_r
            .iter()
            .copied()
            .filter(|g| have_r.contains(g) && live.grantable.contains(*g))
            .filter(|g| !(revoke_clears_columns && cleared(g)))
            .collect();

        let mut steps = Vec::new();
        if !exists {
            steps.push(Step::CreateRole);
        }
        for ((schema, object), ps) in &table_revokes {
            steps.push(Step::Revoke {
                target: Target::Table {
                    schema: schema.clone(),
                    object: object.clone(),
                },
                privileges: ps.iter().cloned().collect(),
                grant_option: false,
            });
        }
        for (target, ps) in column_groups(extra.iter().copied()) {
            steps.push(Step::Revoke {
                target,
                privileges: ps,
                grant_option: false,
            });
        }
        for g in &grant_option {
            let (target, privileges) = single(g);
            steps.push(Step::Revoke {
                target,
                privileges,
                grant_option: true,
            });
        }
        let mut schema_revokes: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for g in extra.iter().filter(|g| g.object.is_none()) {
            schema_revokes
                .entry(g.schema.as_str())
                .or_default()
                .push(g.privilege.clone());
        }
        for (schema, privileges) in schema_revokes {
            if schema.is_empty() {
                // MySQL's `ALL PRIVILEGES` takes no other privilege beside it.
                for p in privileges {
                    steps.push(Step::Revoke {
                        target: Target::Global,
                        privileges: vec![p],
                        grant_option: false,
                    });
                }
                continue;
            }
            steps.push(Step::Revoke {
                target: Target::Schema(schema.to_string()),
                privileges,
                grant_option: false,
            });
        }
        for g in lacking.iter().filter(|g| g.object.is_none()) {
            let (target, privileges) = single(g);
            steps.push(Step::Grant { target, privileges });
        }
        let mut table_grants: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for g in lacking
            .iter()
            .filter(|g| g.object.is_some() && g.column.is_none())
        {
            table_grants
                .entry((g.schema.clone(), g.object.clone().unwrap_or_default()))
                .or_default()
                .push(g.privilege.clone());
        }
        for ((schema, object), privileges) in table_grants {
            steps.push(Step::Grant {
                target: Target::Table { schema, object },
                privileges,
            });
        }
        for (target, privileges) in column_groups(lacking.iter().copied()) {
            steps.push(Step::Grant { target, privileges });
        }
        roles.push(RoleSteps {
            role: role.clone(),
            exists,
            public: false,
            steps,
        });
    }
    // What PUBLIC holds on a masking view or a consent log, every role holds: revoked.
    let closed = |g: &&Grant| {
        g.object.as_ref().is_some_and(|o| {
            let k = (g.schema.clone(), o.clone());
            d.public_closed.contains(&k) || live.lawful_views.contains(&k)
        })
    };
    let open: Vec<&Grant> = live.public.iter().filter(closed).collect();
    if !open.is_empty() {
        let mut steps = Vec::new();
        let mut wide: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for g in open.iter().filter(|g| g.column.is_none()) {
            wide.entry((g.schema.clone(), g.object.clone().unwrap_or_default()))
                .or_default()
                .push(g.privilege.clone());
        }
        let cleared = |g: &Grant| {
            wide.get(&(g.schema.clone(), g.object.clone().unwrap_or_default()))
                .is_some_and(|ps| ps.contains(&g.privilege))
        };
        let columns: Vec<&Grant> = open
            .iter()
            .copied()
            .filter(|g| g.column.is_some() && !(revoke_clears_columns && cleared(g)))
            .collect();
        for ((schema, object), privileges) in &wide {
            steps.push(Step::Revoke {
                target: Target::Table {
                    schema: schema.clone(),
                    object: object.clone(),
                },
                privileges: privileges.clone(),
                grant_option: false,
            });
        }
        for (target, privileges) in column_groups(columns.into_iter()) {
            steps.push(Step::Revoke {
                target,
                privileges,
                grant_option: false,
            });
        }
        roles.push(RoleSteps {
            role: "PUBLIC".into(),
            exists: true,
            public: true,
            steps,
        });
    }
    DriftPlan {
        roles,
        missing: missing.into_iter().collect(),
    }
}

/// The column privileges among `grants`, one target per (object, privilege) with its
/// columns sorted.
fn column_groups<'a>(grants: impl Iterator<Item = &'a Grant>) -> Vec<(Target, Vec<String>)> {
    let mut by: BTreeMap<(String, String, String), Vec<String>> = BTreeMap::new();
    for g in grants {
        if let (Some(o), Some(c)) = (&g.object, &g.column) {
            by.entry((g.schema.clone(), o.clone(), g.privilege.clone()))
                .or_default()
                .push(c.clone());
        }
    }
    by.into_iter()
        .map(|((schema, object, p), columns)| {
            (
                Target::Columns {
                    schema,
                    object,
                    columns,
                },
                vec![p],
            )
        })
        .collect()
}

/// One grant as a target and its privilege.
fn single(g: &Grant) -> (Target, Vec<String>) {
    let target = match (&g.object, &g.column) {
        (None, _) if g.schema.is_empty() => Target::Global,
        (None, _) => Target::Schema(g.schema.clone()),
        (Some(o), None) => Target::Table {
            schema: g.schema.clone(),
            object: o.clone(),
        },
        (Some(o), Some(c)) => Target::Columns {
            schema: g.schema.clone(),
            object: o.clone(),
            columns: vec![c.clone()],
        },
    };
    (target, vec![g.privilege.clone()])
}

/// How long a plan waits for a server.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Timeouts {
    /// For the connection and the log-in: `LAWFUL_CONNECT_TIMEOUT_SECS`, default 10 s.
    pub connect: Duration,
    /// For all the reading once logged in: `LAWFUL_READ_TIMEOUT_SECS`, default 30 s.
    pub read: Duration,
}

impl Timeouts {
    /// The defaults, or the whole seconds (at least 1) the environment variables give;
    /// a value that is not a positive whole number is ignored.
    pub fn from_env() -> Timeouts {
        let secs = |var: &str, default: u64| {
            std::env::var(var)
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .filter(|&n| n > 0)
                .unwrap_or(default)
        };
        Timeouts {
            connect: Duration::from_secs(secs("LAWFUL_CONNECT_TIMEOUT_SECS", 10)),
            read: Duration::from_secs(secs("LAWFUL_READ_TIMEOUT_SECS", 30)),
        }
    }
}

/// A wait of [`within`] that ran out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TimedOut {
    /// Whether it ran out before the work said it was connected.
    pub connecting: bool,
    pub after: Duration,
}

impl TimedOut {
    /// `timed out after 10 s …`, for a message that already names the server.
    pub fn message(&self, engine: &str) -> String {
        let s = self.after.as_secs();
        if self.connecting {
            format!(
                "timed out after {s} s without a {engine} log-in (the port accepts connections but does not answer as {engine} does; is it the right host and port?)"
            )
        } else {
            format!("timed out after {s} s waiting for the server to answer the queries")
        }
    }
}

/// Run `work` on a thread of its own and wait for it: at most `t.connect` until it calls
/// the callback it is given (once logged in), then at most `t.read` until it ends. The
/// client libraries bound only some of their waits (a listener that accepts a connection
/// and never answers holds a PostgreSQL client forever), so the whole conversation is
/// bounded here. A thread that runs out is left behind; the command ends soon after.
pub fn within<T: Send + 'static>(
    t: Timeouts,
    work: impl FnOnce(&dyn Fn()) -> T + Send + 'static,
) -> Result<T, TimedOut> {
    use std::sync::mpsc;
    enum Msg<T> {
        Connected,
        Done(T),
    }
    let (tx, rx) = mpsc::channel::<Msg<T>>();
    std::thread::spawn(move || {
        let connected = {
            let tx = tx.clone();
            move || {
                let _ = tx.send(Msg::Connected);
            }
        };
        let out = work(&connected);
        let _ = tx.send(Msg::Done(out));
    });
    let mut connecting = true;
    let mut deadline = std::time::Instant::now() + t.connect;
    loop {
        let left = deadline.saturating_duration_since(std::time::Instant::now());
        match rx.recv_timeout(left) {
            Ok(Msg::Done(out)) => return Ok(out),
            Ok(Msg::Connected) => {
                connecting = false;
                deadline = std::time::Instant::now() + t.read;
            }
            Err(_) => {
                return Err(TimedOut {
                    connecting,
                    after: if connecting { t.connect } else { t.read },
                });
            }
        }
    }
}

/// Read live privileges with `read_now` within the timeouts of the environment
/// ([`within`]). Running out is an error naming the engine and the server (never the
/// password).
pub fn read_bounded<T: Send + 'static>(
    engine: &str,
    host: &str,
    database: Option<&str>,
    read_now: impl FnOnce(&dyn Fn()) -> Result<T, String> + Send + 'static,
) -> Result<T, String> {
    match within(Timeouts::from_env(), read_now) {
        Ok(r) => r,
        Err(out) => Err(format!(
            "{engine} at {host}{}: {}: {}",
            in_database(database),
            if out.connecting {
                "cannot connect"
            } else {
                "cannot read the privileges"
            },
            out.message(engine)
        )),
    }
}

/// ` (database `shop`)` for a message that names a server, or nothing without a database.
pub fn in_database(db: Option<&str>) -> String {
    match db {
        Some(d) => format!(" (database `{d}`)"),
        None => String::new(),
    }
}

/// An error and its causes, in words (`error connecting to server: Connection refused`).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut msg = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        let t = c.to_string();
        if !msg.contains(&t) {
            msg.push_str(&format!(": {t}"));
        }
        cause = c.source();
    }
    msg
}

/// Replace every occurrence of `secret` in `text` with `***`, so that no message of a
/// client library can show the password of a URL.
pub fn redact(text: &str, secret: Option<&str>) -> String {
    match secret {
        Some(s) if !s.is_empty() => text.replace(s, "***"),
        _ => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn g(role: &str, object: Option<&str>, column: Option<&str>, p: &str) -> Grant {
        Grant {
            role: role.into(),
            schema: "public".into(),
            object: object.map(Into::into),
            column: column.map(Into::into),
            privilege: p.into(),
        }
    }

    fn desired(grants: Vec<Grant>) -> Desired {
        Desired {
            database: None,
            dir: "sql/postgres".into(),
            roles: vec!["r".into()],
            schemas: ["public".to_string()].into(),
            others: BTreeSet::new(),
            grants: grants.into_iter().collect(),
            views: [("public".to_string(), "t_masked".to_string())].into(),
            public_closed: [("public".to_string(), "t_masked".to_string())].into(),
        }
    }

    fn live(grants: Vec<Grant>) -> Live {
        Live {
            roles: ["r".to_string()].into(),
            schemas: ["public".to_string()].into(),
            objects: [(
                ("public".to_string(), "t".to_string()),
                ["a", "b", "c"].iter().map(|s| s.to_string()).collect(),
            )]
            .into(),
            grants: grants.into_iter().collect(),
            grantable: BTreeSet::new(),
            lawful_views: BTreeSet::new(),
            public: BTreeSet::new(),
        }
    }

    #[test]
    fn the_same_state_needs_nothing() {
        let state = vec![
            g("r", None, None, "USAGE"),
            g("r", Some("t"), Some("a"), "SELECT"),
        ];
        let p = compare(&desired(state.clone()), &live(state), true);
        assert!(p.in_sync(), "{p:?}");
    }

    #[test]
    fn a_table_wide_revoke_regrants_the_declared_columns_on_postgres() {
        let d = desired(vec![g("r", Some("t"), Some("a"), "SELECT")]);
        let l = live(vec![
            g("r", Some("t"), None, "SELECT"),
            g("r", Some("t"), Some("a"), "SELECT"),
            g("r", Some("t"), Some("b"), "SELECT"),
        ]);
        let p = compare(&d, &l, true);
        assert_eq!(
            p.roles[0].steps,
            vec![
                Step::Revoke {
                    target: Target::Table {
                        schema: "public".into(),
                        object: "t".into()
                    },
                    privileges: vec!["SELECT".into()],
                    grant_option: false
                },
                Step::Grant {
                    target: Target::Columns {
                        schema: "public".into(),
                        object: "t".into(),
                        columns: vec!["a".into()]
                    },
                    privileges: vec!["SELECT".into()]
                },
            ]
        );
        // Where revoking the table privilege leaves the column ones, only the extra
        // column goes.
        let p = compare(&d, &l, false);
        assert_eq!(p.roles[0].steps.len(), 2);
        assert!(matches!(
            &p.roles[0].steps[1],
            Step::Revoke { target: Target::Columns { columns, .. }, .. } if columns == &vec!["b".to_string()]
        ));
    }

    #[test]
    fn missing_views_and_columns_are_reported_not_planned() {
        let d = desired(vec![
            g("r", Some("t_masked"), Some("a"), "SELECT"),
            g("r", Some("t"), Some("zz"), "SELECT"),
        ]);
        let p = compare(&d, &live(vec![]), true);
        assert!(p.roles[0].steps.is_empty());
        assert_eq!(
            p.missing,
            vec![
                Missing::View("public".into(), "t_masked".into()),
                Missing::Column("public".into(), "t".into(), "zz".into(), false),
            ]
        );
        assert!(!p.in_sync());
        assert!(
            p.missing[0]
                .message("sql/postgres")
                .contains("apply sql/postgres/grants.sql")
        );
    }

    #[test]
    fn column_privileges_beside_the_table_wide_one_are_neither_needed_nor_revoked() {
        let wide = g("r", Some("t"), None, "SELECT");
        let d = desired(vec![wide.clone(), g("r", Some("t"), Some("a"), "SELECT")]);
        assert!(compare(&d, &live(vec![wide.clone()]), true).in_sync());
        let both = live(vec![wide, g("r", Some("t"), Some("b"), "SELECT")]);
        assert!(compare(&d, &both, true).in_sync());
    }

    #[test]
    fn a_missing_role_is_created_before_its_grants() {
        let d = desired(vec![g("r", None, None, "USAGE")]);
        let mut l = live(vec![]);
        l.roles.clear();
        let p = compare(&d, &l, true);
        assert!(!p.roles[0].exists);
        assert_eq!(p.roles[0].steps[0], Step::CreateRole);
        assert_eq!(p.roles[0].steps.len(), 2);
    }

    #[test]
    fn public_on_a_masking_view_is_revoked_but_not_elsewhere() {
        let mut l = live(vec![]);
        l.public = [
            g("PUBLIC", Some("t_masked"), None, "SELECT"),
            g("PUBLIC", Some("t_masked"), Some("a"), "SELECT"),
            g("PUBLIC", Some("t"), None, "SELECT"),
        ]
        .into();
        let p = compare(&desired(vec![]), &l, true);
        let last = p.roles.last().unwrap();
        assert!(last.public);
        assert_eq!(
            last.steps,
            vec![Step::Revoke {
                target: Target::Table {
                    schema: "public".into(),
                    object: "t_masked".into()
                },
                privileges: vec!["SELECT".into()],
                grant_option: false
            }]
        );
        assert!(!p.in_sync());
    }

    #[test]
    fn passwords_are_redacted() {
        assert_eq!(
            redact("cannot log in as bob with s3cret", Some("s3cret")),
            "cannot log in as bob with ***"
        );
        assert_eq!(redact("x", Some("")), "x");
    }
}
