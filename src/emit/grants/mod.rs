//! Grants, one module per SQL dialect ([`postgres`], [`mysql`], [`snowflake`],
//! [`bigquery`]), all derived from one access plan computed here, so every engine grants the
//! same columns.
//!
//! Roles → purposes → categories → columns. A role may read a column of a dataset when
//! **every** personal data category of the column falls within
//! ([`crate::taxonomy::Taxonomy::is_within`]) a category declared by at least one of the
//! role's purposes. "Every", not "any": a column that mixes a category the role needs with
//! one it does not (a free-text `notes` column tagged `contact.email` and `health`) stays
//! closed, which is what least privilege asks for.
//!
//! Further decisions:
//! - A column with no category at all is never granted: lawful does not know what it holds.
//! - A column whose categories are all non-personal (`non_personal.*`) is granted on the
//!   tables where the role already reads a personal column, or that the role lists under
//!   `datasets:`. Purposes declare the personal data they need; the timestamps and status
//!   columns beside it are not personal data.
//! - When a role lists `datasets:`, only those datasets are considered.
//! - **Masking.** A readable column with a personal category that falls within one of the
//!   role's `masked:` categories is read masked: if the field declares a `mask`, the role
//!   reads it through the table's masking view (`<table>_masked`, every known column, the
//!   masked ones masked), else not at all. The role's other readable columns of that table
//!   are granted on the view too, so a masked reader can work from the view alone.
//!
//! Two datasets of one database may describe the same table (two views of one wide table,
//! say): a role reads the union of the columns each of them allows it. Datasets in
//! different databases never mix.

use std::collections::{BTreeMap, BTreeSet};

use crate::Project;
use crate::manifest::Span;
use crate::manifest::types::{Engine, Mask};
use crate::model::{DatasetR, FieldR, Model, RoleR};
use crate::report::Diagnostic;

pub mod bigquery;
pub mod mysql;
pub mod postgres;
pub mod snowflake;

/// The grant files of one database of `engine` (file name → contents), for the datasets
/// `group` (indices into `Model::datasets`). With `render` false, a dialect that can tell
/// its refusals without writing the file (PostgreSQL) only checks, and gives `Ok(None)`.
pub fn generate(p: &Project, engine: Engine, group: &[usize], render: bool) -> crate::emit::Files {
    match engine {
        Engine::Postgres => vec![("grants.sql".into(), postgres::generate(p, group, render))],
        Engine::Mysql => mysql::generate(p, group),
        Engine::Snowflake => snowflake::generate(p, group),
        Engine::Bigquery => bigquery::generate(p, group),
        Engine::Other => Vec::new(),
    }
}

/// Problems with the roles that keep `engine`'s grants from being generated (two roles
/// with one database role, a role name the engine reserves or cannot hold), reported once
/// however many databases there are.
pub fn check_roles(m: &Model, engine: Engine) -> Vec<Diagnostic> {
    match engine {
        Engine::Postgres => postgres::check_roles(m),
        Engine::Mysql => mysql::check_roles(m),
        Engine::Snowflake => snowflake::check_roles(m),
        Engine::Bigquery => bigquery::check_roles(m),
        Engine::Other => Vec::new(),
    }
}

/// Role names `engine` cannot hold, once for all its databases, to report beside what
/// [`generate`] finds (the dialects without this check report them from `generate`).
pub fn role_name_errors(m: &Model, engine: Engine) -> Vec<Diagnostic> {
    match engine {
        Engine::Postgres => postgres::role_name_errors(m),
        _ => Vec::new(),
    }
}

/// The most characters a `partial` mask keeps at either end.
pub const MAX_KEPT: u32 = 100;

/// The suffix of a masking view's name: `customer` → `customer_masked`.
pub const MASKED_SUFFIX: &str = "_masked";

/// Where a table lives, as its dataset's `storage` says (`schema` is the MySQL database,
/// the Snowflake schema or the BigQuery dataset).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct TableName {
    pub schema: String,
    pub table: String,
}

/// What one role may read of one table.
#[derive(Clone, Debug)]
pub struct TableAccess {
    /// The first dataset (index into `Model::datasets`) that describes the table.
    pub dataset: usize,
    /// Span of the table name in that dataset's storage.
    pub span: Span,
    /// Columns readable in clear on the table itself.
    pub clear: BTreeSet<String>,
    /// Columns readable only masked, through the table's masking view.
    pub masked: BTreeSet<String>,
}

/// What one role may read, table by table.
#[derive(Clone, Debug)]
pub struct RoleAccess<'a> {
    pub role: &'a RoleR,
    pub tables: BTreeMap<TableName, TableAccess>,
}

/// A masking view: every column lawful knows of the table, the masked ones with their mask.
#[derive(Clone, Debug)]
pub struct MaskingView {
    pub table: TableName,
    /// `<table>_masked`, in the table's schema.
    pub view: String,
    /// The first dataset that describes the table, and the span of its table name.
    pub dataset: usize,
    pub span: Span,
    /// Every column in column order of the datasets, with its mask when it has one.
    pub columns: Vec<(String, Option<Mask>)>,
}

/// The access plan of one database: every managed role (sorted by database role) with the
/// tables it reads, and the masking views the masked readers need.
#[derive(Clone, Debug)]
pub struct Plan<'a> {
    pub roles: Vec<RoleAccess<'a>>,
    pub views: Vec<MaskingView>,
    /// Every schema that holds a table of the group (sorted).
    pub schemas: BTreeSet<String>,
}

/// How a role may read one field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// Not at all.
    No,
    /// In clear.
    Clear,
    /// Masked (the field has a mask and a `masked:` category of the role covers it).
    Masked,
    /// A column of only non-personal categories: granted alongside personal ones.
    Alongside,
}

/// How role `r` may read field `f`.
pub fn read(m: &Model, r: &RoleR, f: &FieldR) -> Read {
    if f.categories.is_empty() {
        return Read::No;
    }
    let mut personal = false;
    let mut masked = false;
    for c in &f.categories {
        if !m.taxonomy.cat(c.cat).personal {
            continue;
        }
        personal = true;
        if !r.purposes.iter().any(|&p| m.purpose_covers(p, c.cat)) {
            return Read::No;
        }
        if r.masked.iter().any(|k| m.taxonomy.is_within(c.cat, k.cat)) {
            masked = true;
        }
    }
    match (personal, masked) {
        (false, _) => Read::Alongside,
        (true, false) => Read::Clear,
        (true, true) if f.decl.mask.is_some() => Read::Masked,
        (true, true) => Read::No,
    }
}

/// The access plan for the datasets `group` (indices into `Model::datasets`), whose tables
/// `table_of` names (datasets it returns `None` for are left out). `roles` are the roles
/// to manage, already checked by the dialect.
pub fn plan<'a>(
    m: &'a Model,
    group: &[usize],
    roles: &[&'a RoleR],
    table_of: impl Fn(&DatasetR) -> Option<(TableName, Span)>,
) -> Plan<'a> {
    let tables: Vec<(usize, TableName, Span)> = group
        .iter()
        .filter_map(|&i| table_of(&m.datasets[i]).map(|(t, s)| (i, t, s)))
        .collect();
    let schemas = tables.iter().map(|(_, t, _)| t.schema.clone()).collect();
    let mut out = Vec::new();
    let mut masked_tables: BTreeSet<TableName> = BTreeSet::new();
    // Where each dataset of the group is in `tables` (by dataset index; `usize::MAX` for
    // the others): a role that lists its datasets visits only those, so that the plans of
    // all databases together stay linear in the roles' datasets rather than roles × tables.
    let mut at = vec![usize::MAX; m.datasets.len()];
    for (k, (i, _, _)) in tables.iter().enumerate() {
        at[*i] = k;
    }
    for &r in roles {
        let mut access: BTreeMap<TableName, TableAccess> = BTreeMap::new();
        let visit: Vec<usize> = if r.datasets.is_empty() {
            (0..tables.len()).collect()
        } else {
            let mut v: Vec<usize> = r
                .datasets
                .iter()
                .map(|&i| at[i])
                .filter(|&k| k != usize::MAX)
                .collect();
            v.sort_unstable();
            v.dedup();
            v
        };
        for (i, name, span) in visit.iter().map(|&k| &tables[k]) {
            let d = &m.datasets[*i];
            let (mut clear, mut masked, mut alongside) =
                (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
            for f in &d.fields {
                match read(m, r, f) {
                    Read::Clear => {
                        clear.insert(f.column.clone());
                    }
                    Read::Masked => {
                        masked.insert(f.column.clone());
                    }
                    Read::Alongside => {
                        alongside.insert(f.column.clone());
                    }
                    Read::No => {}
                }
            }
            if clear.is_empty() && masked.is_empty() && !r.datasets.contains(i) {
                continue;
            }
            clear.extend(alongside);
            if clear.is_empty() && masked.is_empty() {
                continue;
            }
            if !masked.is_empty() {
                masked_tables.insert(name.clone());
            }
            let e = access.entry(name.clone()).or_insert_with(|| TableAccess {
                dataset: *i,
                span: *span,
                clear: BTreeSet::new(),
                masked: BTreeSet::new(),
            });
            e.clear.extend(clear);
            e.masked.extend(masked);
        }
        // A column another dataset of the same table gives in clear is read in clear.
        for a in access.values_mut() {
            let clear = a.clear.clone();
            a.masked.retain(|c| !clear.contains(c));
        }
        out.push(RoleAccess {
            role: r,
            tables: access,
        });
    }
    let mut views = Vec::new();
    for name in masked_tables {
        let mut columns: Vec<(String, Option<Mask>)> = Vec::new();
        let mut first: Option<(usize, Span)> = None;
        for (i, t, span) in &tables {
            if *t != name {
                continue;
            }
            first.get_or_insert((*i, *span));
            for f in &m.datasets[*i].fields {
                let mask = f.decl.mask.as_ref().map(|k| k.value.clone());
                match columns.iter_mut().find(|(c, _)| *c == f.column) {
                    Some(slot) => {
                        if slot.1.is_none() {
                            slot.1 = mask;
                        }
                    }
                    None => columns.push((f.column.clone(), mask)),
                }
            }
        }
        let (dataset, span) = first.expect("a masked table has a dataset");
        views.push(MaskingView {
            view: format!("{}{MASKED_SUFFIX}", name.table),
            table: name,
            dataset,
            span,
            columns,
        });
    }
    Plan {
        roles: out,
        views,
        schemas,
    }
}

/// Problems in the roles and masks that every engine shares, for `lawful check` and
/// `lawful build` alike:
///
/// - `emit::role-without-purposes` (warning): a role with no purpose reads nothing; unless
///   it only writes or reads a consent log, that is likely an omission;
/// - `emit::masked-not-covered` (warning): a `masked:` category that none of the role's
///   purposes declares gives nothing (purposes decide whether a role reads a column,
///   `masked:` only how);
/// - `emit::mask-missing` (warning): a column the role may read only masked, but whose
///   field declares no `mask`, stays closed to it;
/// - `emit::mask-style` (error): `keep_first` or `keep_last` with a style other than
///   `partial`;
/// - `emit::mask-type` (error): a mask on a field whose declared `type` is not text.
///
/// This checks the roles (the first three); [`check_masks`] the masks (the last two).
pub(crate) fn check_roles_masked(m: &Model) -> Vec<Diagnostic> {
    use crate::report::Severity;
    let mut out = Vec::new();
    let in_log: BTreeSet<usize> = m
        .consent_logs
        .iter()
        .flat_map(|l| l.writers.iter().chain(&l.readers).copied())
        .collect();
    for (ri, r) in m.roles.iter().enumerate() {
        let target = format!("roles.{}", r.id.value);
        if r.purposes.is_empty() && r.decl.purposes.is_empty() && !in_log.contains(&ri) {
            out.push(
                Diagnostic::new(
                    "emit::role-without-purposes",
                    Severity::Warning,
                    format!("role `{}` declares no purpose, so it may read nothing", r.id.value),
                )
                .at(r.id.span, "no `purposes:`")
                .with_help("list the purposes the role serves under `purposes:`; a role's access is derived from them")
                .with_target(target.clone()),
            );
        }
        for (k, decl) in r.masked.iter().zip(&r.decl.masked) {
            if !r.purposes.iter().any(|&p| {
                m.purposes[p].categories.iter().any(|c| {
                    m.taxonomy.is_within(k.cat, c.cat) || m.taxonomy.is_within(c.cat, k.cat)
                })
            }) {
                out.push(
                    Diagnostic::new(
                        "emit::masked-not-covered",
                        Severity::Warning,
                        format!(
                            "role `{}` may see `{}` masked, but none of its purposes declares that category",
                            r.id.value, decl.value
                        ),
                    )
                    .at(decl.span, "covered by no purpose of the role")
                    .with_help("purposes decide whether a role reads a column and `masked:` only how; add a purpose that needs this category, or remove it from `masked:`")
                    .with_target(target.clone()),
                );
            }
        }
        // Only a role with `masked:` categories can miss a mask. It sees the datasets it is
        // limited to when it names any (ids are unique, so the index tells them apart),
        // else every dataset.
        if r.masked.is_empty() {
            continue;
        }
        let visit: Vec<usize> = if r.datasets.is_empty() {
            (0..m.datasets.len()).collect()
        } else {
            let mut v = r.datasets.clone();
            v.sort_unstable();
            v.dedup();
            v
        };
        for d in visit.iter().map(|&di| &m.datasets[di]) {
            for f in &d.fields {
                if f.decl.mask.is_some() {
                    continue;
                }
                let all_covered = f.categories.iter().any(|c| m.taxonomy.cat(c.cat).personal)
                    && f.categories.iter().all(|c| {
                        !m.taxonomy.cat(c.cat).personal
                            || r.purposes.iter().any(|&p| m.purpose_covers(p, c.cat))
                    });
                let masked_cat = f.categories.iter().find_map(|c| {
                    r.masked.iter().zip(&r.decl.masked).find(|(k, _)| {
                        m.taxonomy.cat(c.cat).personal && m.taxonomy.is_within(c.cat, k.cat)
                    })
                });
                if let (true, Some((_, decl))) = (all_covered, masked_cat) {
                    out.push(
                        Diagnostic::new(
                            "emit::mask-missing",
                            Severity::Warning,
                            format!(
                                "role `{}` may see `{}` only masked, but field `{}.{}` declares no `mask`, so the role cannot read it at all",
                                r.id.value, decl.value, d.id.value, f.name.value
                            ),
                        )
                        .at(f.name.span, "no `mask:`")
                        .with_secondary(decl.span, "read only masked")
                        .with_help("give the field a `mask:` (`style: phone`, `email`, `national_id`, `partial` or `redact`) so masked readers see part of it")
                        .with_target(format!("datasets.{}", d.id.value)),
                    );
                }
            }
        }
    }
    out
}

/// The masks' problems of [`check_roles_masked`]'s list, and `emit::mask-keep` (error): a
/// mask keeping more than [`MAX_KEPT`] characters at either end.
pub(crate) fn check_masks(m: &Model) -> Vec<Diagnostic> {
    use crate::sql::{TypeFamily, type_family_in};
    let mut out = Vec::new();
    for d in &m.datasets {
        for f in &d.fields {
            let Some(mask) = f.decl.mask.as_ref() else {
                continue;
            };
            let target = format!("datasets.{}", d.id.value);
            for k in [&mask.keep_first, &mask.keep_last].into_iter().flatten() {
                if k.value > MAX_KEPT {
                    out.push(
                        Diagnostic::error(
                            "emit::mask-keep",
                            format!("a mask keeps at most {MAX_KEPT} characters at either end; this one keeps {}", k.value),
                        )
                        .at(k.span, "too many")
                        .with_help("a mask that keeps more characters than the value has hides nothing; keep a few (`keep_first: 3`, `keep_last: 4`), or give no mask")
                        .with_target(target.clone()),
                    );
                }
            }
            if mask.style() != crate::manifest::types::MaskStyle::Partial {
                for k in [&mask.keep_first, &mask.keep_last].into_iter().flatten() {
                    out.push(
                        Diagnostic::error(
                            "emit::mask-style",
                            "`keep_first` and `keep_last` apply only to the `partial` mask style",
                        )
                        .at(k.span, "ignored by this style")
                        .with_help("remove it, or write `style: partial` to choose the characters kept yourself")
                        .with_target(target.clone()),
                    );
                }
            }
            let engine = d
                .decl
                .storage
                .as_ref()
                .map_or(Engine::Postgres, |s| s.engine);
            if let Some(t) = f.decl.sql_type.as_ref()
                && type_family_in(engine, &t.value) != TypeFamily::Text
            {
                out.push(
                    Diagnostic::error(
                        "emit::mask-type",
                        format!(
                            "field `{}.{}` is of type `{}`; a mask shows part of a text and cannot apply to it",
                            d.id.value, f.name.value, t.value
                        ),
                    )
                    .at(t.span, "not a text type")
                    .with_secondary(mask.span, "mask declared here")
                    .with_help("remove the `mask`, or leave the column closed to roles that may only see it masked; a number or date cannot be partly hidden")
                    .with_target(target.clone()),
                );
            }
        }
    }
    out
}

/// A privilege kind lawful grants.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Action {
    /// `USAGE` on a schema (PostgreSQL, Snowflake).
    Usage,
    /// `SELECT` on a table or view, or on one of its columns.
    Select,
    /// `INSERT` on a table (consent-log writers only).
    Insert,
}

/// One privilege a managed role holds, in a form every dialect can print and the drift
/// check (`lawful grants plan`) can compare with what a live server reports.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Privilege {
    /// The database role.
    pub role: String,
    /// The schema (MySQL: the database).
    pub schema: String,
    /// The table or view; `None` for a privilege on the schema itself.
    pub object: Option<String>,
    /// The column; `None` for the whole table or view.
    pub column: Option<String>,
    pub action: Action,
}

/// Every privilege the plan gives, plus the consent logs' of the group: the desired state
/// of the managed roles, dialect-free. A role's clear columns are `SELECT`ed on their
/// table; on a table with a masking view, the role's clear and masked columns are also
/// `SELECT`ed on the view; every schema holding one of those gets `USAGE`. A consent log's
/// writers get table-wide `INSERT` and `SELECT`, its readers `SELECT`.
pub fn privileges(m: &Model, plan: &Plan, group: &[usize]) -> BTreeSet<Privilege> {
    let mut out = BTreeSet::new();
    let mut add = |role: &str, schema: &str, object: Option<&str>, column: Option<&str>, action| {
        out.insert(Privilege {
            role: role.to_string(),
            schema: schema.to_string(),
            object: object.map(str::to_string),
            column: column.map(str::to_string),
            action,
        });
    };
    for ra in &plan.roles {
        let role = ra.role.db_role.as_str();
        for (t, a) in &ra.tables {
            for c in &a.clear {
                add(role, &t.schema, Some(&t.table), Some(c), Action::Select);
            }
            if !a.masked.is_empty() {
                let view = format!("{}{MASKED_SUFFIX}", t.table);
                for c in a.clear.iter().chain(&a.masked) {
                    add(role, &t.schema, Some(&view), Some(c), Action::Select);
                }
            }
            add(role, &t.schema, None, None, Action::Usage);
        }
    }
    for log in &m.consent_logs {
        if !group.contains(&log.dataset) {
            continue;
        }
        let Some(s) = m.datasets[log.dataset].decl.storage.as_ref() else {
            continue;
        };
        let schema = plan_schema(s);
        for &w in &log.writers {
            let role = m.roles[w].db_role.as_str();
            add(role, schema, Some(&s.table.value), None, Action::Insert);
            add(role, schema, Some(&s.table.value), None, Action::Select);
            add(role, schema, None, None, Action::Usage);
        }
        for &r in &log.readers {
            let role = m.roles[r].db_role.as_str();
            add(role, schema, Some(&s.table.value), None, Action::Select);
            add(role, schema, None, None, Action::Usage);
        }
    }
    out
}

/// The schema a dataset's storage names in the plan: `schema`, else the engine's default
/// (PostgreSQL `public`, Snowflake `PUBLIC`), else the `database` (MySQL has no schemas
/// below databases; BigQuery requires its dataset as `schema`).
fn plan_schema(s: &crate::manifest::types::Storage) -> &str {
    match (&s.schema, s.engine) {
        (Some(x), _) => x,
        (None, Engine::Postgres) => "public",
        (None, Engine::Snowflake) => "PUBLIC",
        (None, _) => s.database.as_deref().unwrap_or_default(),
    }
}

/// Where a role's database name is written: its `db_role`, else its id.
pub fn role_span(r: &RoleR) -> Span {
    r.decl.db_role.as_ref().map(|d| d.span).unwrap_or(r.id.span)
}

/// The roles an engine's grants manage, sorted by database role, and the problems that
/// keep the others out: `refuse` says what the engine cannot accept of a role (a reserved
/// or unusable name), checked first; then a second role with the same database role is
/// `emit::grants-duplicate-role`, at the second, naming the first.
pub fn managed_roles(
    m: &Model,
    refuse: impl Fn(&RoleR) -> Option<Diagnostic>,
) -> (Vec<&RoleR>, Vec<Diagnostic>) {
    // Sorted once per model: every database's grants ask.
    let order = m.cache.roles_by_db_role.get_or_init(|| {
        let mut v: Vec<usize> = (0..m.roles.len()).collect();
        v.sort_by(|&a, &b| {
            let (a, b) = (&m.roles[a], &m.roles[b]);
            a.db_role.cmp(&b.db_role).then(a.id.value.cmp(&b.id.value))
        });
        v
    });
    // In that order, a second role with a database role is next to the first one kept.
    let mut last: Option<&RoleR> = None;
    let (mut ok, mut errors) = (Vec::new(), Vec::new());
    for r in order.iter().map(|&i| &m.roles[i]) {
        if let Some(d) = refuse(r) {
            errors.push(d);
            continue;
        }
        if let Some(first) = last.filter(|f| f.db_role == r.db_role) {
            errors.push(
                Diagnostic::error(
                    "emit::grants-duplicate-role",
                    format!(
                        "roles `{}` and `{}` both use the database role `{}`",
                        first.id.value, r.id.value, r.db_role
                    ),
                )
                .at(role_span(r), "same database role")
                .with_secondary(first.id.span, "first role")
                .with_help(
                    "give each role its own `db_role`, or merge their purposes into one role",
                ),
            );
            continue;
        }
        last = Some(r);
        ok.push(r);
    }
    (ok, errors)
}

/// Where a dataset's table lives, for comparing tables: engine, database, schema (the
/// engine's default when none is given) and table.
fn place(s: &crate::manifest::types::Storage) -> (Engine, Option<&str>, &str, &str) {
    (
        s.engine,
        s.database.as_deref(),
        plan_schema(s),
        s.table.value.as_str(),
    )
}

/// Storage problems every engine's SQL would stumble on, for `lawful check`:
///
/// - `emit::mysql-schema` (error): `storage.schema` on a MySQL dataset; MySQL has no
///   schemas below databases, so the table's database is `storage.database`;
/// - `emit::masking-view-name` (error): a declared table named `<table>_masked` beside a
///   table with a masked field: the masking view needs that name;
/// - `emit::consent-log-column` (error): a field of a consent log that is not one of its
///   fixed columns (the generated table has no such column, so grants on it would fail);
/// - `emit::consent-log-table` (error): two consent logs in one table;
/// - `emit::mask-conflict` (error): two datasets of one table masking a column differently;
/// - `emit::retention-same-table` (error): two datasets of one table each declaring a
///   retention (two jobs would compete for the same rows).
pub fn check_storage(m: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    // The datasets of each table's place, in declaration order, for the masking views'
    // names: looked up once per masked dataset rather than scanning every dataset.
    let mut by_place: std::collections::HashMap<_, Vec<usize>> = std::collections::HashMap::new();
    if m.datasets
        .iter()
        .any(|d| d.fields.iter().any(|f| f.decl.mask.is_some()))
    {
        for (i, d) in m.datasets.iter().enumerate() {
            if let Some(s) = d.decl.storage.as_ref() {
                by_place.entry(place(s)).or_default().push(i);
            }
        }
    }
    for d in &m.datasets {
        let Some(s) = d.decl.storage.as_ref() else {
            continue;
        };
        let target = format!("datasets.{}", d.id.value);
        if s.engine == Engine::Mysql && s.schema.is_some() {
            out.push(
                Diagnostic::error(
                    "emit::mysql-schema",
                    format!("dataset `{}` names a schema, but MySQL has none: a table lives in a database", d.id.value),
                )
                .at(s.span, "`schema` in a MySQL storage")
                .with_help("write the table's database as `database:` and remove `schema:`")
                .with_target(target.clone()),
            );
        }
        if d.fields.iter().any(|f| f.decl.mask.is_some()) {
            let view = format!("{}{MASKED_SUFFIX}", s.table.value);
            let (e, db, schema, _) = place(s);
            let same = by_place.get(&(e, db, schema, view.as_str()));
            for &oi in same.map_or(&[][..], Vec::as_slice) {
                let other = &m.datasets[oi];
                if let Some(o) = other.decl.storage.as_ref() {
                    out.push(
                        Diagnostic::error(
                            "emit::masking-view-name",
                            format!(
                                "table `{view}` of dataset `{}` has the name of the masking view of `{}`",
                                other.id.value, s.table.value
                            ),
                        )
                        .at(o.table.span, "a declared table")
                        .with_secondary(s.table.span, "masked fields here need a view of that name")
                        .with_help("lawful serves masked columns through `<table>_masked`; rename that table in the database, or leave masks off this table")
                        .with_target(format!("datasets.{}", other.id.value)),
                    );
                }
            }
        }
    }
    // Two datasets describing one table: their masks of a column, and their retentions,
    // must not disagree (one view and one job serve the table).
    // (table's place, column) → (dataset, field) of the first mask.
    type MaskKey<'a> = (Engine, Option<&'a str>, &'a str, &'a str, &'a str);
    let mut masks: BTreeMap<MaskKey, (usize, usize)> = BTreeMap::new();
    let mut jobs: BTreeMap<(Engine, Option<&str>, &str, &str), usize> = BTreeMap::new();
    for (di, d) in m.datasets.iter().enumerate() {
        let Some(s) = d.decl.storage.as_ref() else {
            continue;
        };
        if s.engine == Engine::Other {
            continue;
        }
        let (e, db, schema, table) = place(s);
        for (fi, f) in d.fields.iter().enumerate() {
            let Some(mask) = f.decl.mask.as_ref() else {
                continue;
            };
            let key = (e, db, schema, table, f.column.as_str());
            match masks.get(&key) {
                Some(&(od, of)) => {
                    let other = m.datasets[od].fields[of]
                        .decl
                        .mask
                        .as_ref()
                        .expect("masked");
                    if (other.style(), other.kept()) != (mask.style(), mask.kept()) {
                        out.push(
                            Diagnostic::error(
                                "emit::mask-conflict",
                                format!(
                                    "column `{}` of table `{table}` is masked one way in dataset `{}` and another in `{}`",
                                    f.column, m.datasets[od].id.value, d.id.value
                                ),
                            )
                            .at(mask.span, "this mask")
                            .with_secondary(other.span, "the other mask")
                            .with_help("one masking view serves the table: give the column the same mask in both datasets")
                            .with_target(format!("datasets.{}", d.id.value)),
                        );
                    }
                }
                None => {
                    masks.insert(key, (di, fi));
                }
            }
        }
        if let Some(ret) = d.decl.retention.as_ref() {
            match jobs.get(&(e, db, schema, table)) {
                Some(&od) => out.push(
                    Diagnostic::error(
                        "emit::retention-same-table",
                        format!(
                            "datasets `{}` and `{}` both declare a retention for table `{table}`",
                            m.datasets[od].id.value, d.id.value
                        ),
                    )
                    .at(ret.span, "a second job for the same rows")
                    .with_secondary(m.datasets[od].id.span, "the first")
                    .with_help("declare the table's retention once, in one of the datasets that describe it")
                    .with_target(format!("datasets.{}", d.id.value)),
                ),
                None => {
                    jobs.insert((e, db, schema, table), di);
                }
            }
        }
    }
    let mut logs: BTreeMap<(Engine, Option<&str>, &str, &str), usize> = BTreeMap::new();
    for log in &m.consent_logs {
        let d = &m.datasets[log.dataset];
        for f in &d.fields {
            if !crate::emit::consent_log::COLUMNS
                .iter()
                .any(|c| c.name == f.column)
            {
                out.push(
                    Diagnostic::error(
                        "emit::consent-log-column",
                        format!(
                            "field `{}` of consent log `{}` is not one of the log's columns",
                            f.name.value, d.id.value
                        ),
                    )
                    .at(f.name.span, "no such column in the generated table")
                    .with_help(format!(
                        "a consent log has fixed columns: {}; declare only those (to give them categories), or keep other data in another dataset",
                        crate::emit::consent_log::COLUMNS
                            .iter()
                            .map(|c| c.name)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                    .with_target(format!("datasets.{}", d.id.value)),
                );
            }
        }
        let Some(s) = d.decl.storage.as_ref() else {
            continue;
        };
        if let Some(&first) = logs.get(&place(s)) {
            out.push(
                Diagnostic::error(
                    "emit::consent-log-table",
                    format!(
                        "consent logs `{}` and `{}` are the same table",
                        m.datasets[first].id.value, d.id.value
                    ),
                )
                .at(s.table.span, "same table")
                .with_secondary(m.datasets[first].id.span, "first consent log")
                .with_help("declare the consent log once, or give the second its own table")
                .with_target(format!("datasets.{}", d.id.value)),
            );
        } else {
            logs.insert(place(s), log.dataset);
        }
    }
    out
}
