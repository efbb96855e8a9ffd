//! Grants for Snowflake: `sql/snowflake[/<database>]/grants.sql`, from the access plan
//! ([`super::plan`]) shared by every engine.
//!
//! **Design: one secure view per role and table.** Snowflake has no column-level `SELECT`
//! privilege. Two designs were possible:
//!
//! - *Masking policies* on the table, returning the value to the roles that read it in clear,
//!   the mask to masked readers and NULL to everyone else, with `SELECT` on the whole table
//!   granted to every reader. A role would still see every column lawful does not know of (a
//!   column added last week, or left out of the manifest) in clear, since no policy is
//!   attached to it; and a policy's signature must match the column's type, which the
//!   manifest does not always declare.
//! - *Secure views*: for each role and each table it reads, a view holding exactly the
//!   columns the plan gives the role, the masked ones masked. The role gets `SELECT` on its
//!   views only, never on the table.
//!
//! The second is the one where "a role sees exactly the plan's columns" holds by
//! construction: a column nobody declared is in no view. So lawful writes views:
//! `"<database>"."<schema>_LAWFUL"."<table>__<role id>"` (the suffix is `_lawful` when the
//! schema's name has lower-case letters), `SECURE` so the definition stays hidden from the
//! readers. Roles query their view instead of the table.
//!
//! Names are quoted, so case-sensitive (see [`crate::sql::snowflake`]): write table, column
//! and schema names as Snowflake stores them (`PUBLIC`, `CUSTOMERS` for objects created
//! without quotes). The schema defaults to `PUBLIC`.
//!
//! The script is idempotent and convergent: each managed role is created if missing
//! (`CREATE ROLE IF NOT EXISTS`), loses every privilege on the tables and views of the
//! schemas lawful manages (`REVOKE ALL PRIVILEGES ON ALL TABLES/VIEWS IN SCHEMA`) and usage
//! of them; the view schema is dropped and created again (`DROP SCHEMA … CASCADE`), which
//! removes views and grants of roles or tables no longer declared; then the views are
//! created and granted. The view schemas belong to lawful: keep nothing else in them. While
//! the file runs, readers briefly lose access; Snowflake DDL commits on its own, so the file
//! is not one transaction.
//!
//! Consent logs ([`crate::emit::consent_log`]) get their grants here too, from
//! [`super::privileges`]: writers `INSERT` and `SELECT`, readers `SELECT`, on the log table
//! itself. Apply `consent_log.sql` before this file.

use std::collections::{BTreeMap, BTreeSet};

use super::{Action, TableName, role_span};
use crate::Project;
use crate::emit::{source_list, sql_name_error};
use crate::manifest::Span;
use crate::manifest::types::{Engine, Mask};
use crate::model::{DatasetR, Model, RoleR};
use crate::report::Diagnostic;
use crate::sql::snowflake::{
    On, comment, create_role, grant, ident, literal, qualified, revoke, schema_name,
};

/// Role names Snowflake defines itself; lawful must not manage them.
const SYSTEM_ROLES: &[&str] = &[
    "ACCOUNTADMIN",
    "SECURITYADMIN",
    "USERADMIN",
    "SYSADMIN",
    "ORGADMIN",
    "PUBLIC",
];

/// The schema Snowflake gives a table when the storage names none.
pub const DEFAULT_SCHEMA: &str = "PUBLIC";

/// The schema holding lawful's views for the tables of `schema`.
pub fn view_schema(schema: &str) -> String {
    if schema.chars().any(char::is_lowercase) {
        format!("{schema}_lawful")
    } else {
        format!("{schema}_LAWFUL")
    }
}

/// The view of table `table` for role `role_id`: `<table>__<role id>`.
pub fn view_name(table: &str, role_id: &str) -> String {
    format!("{table}__{role_id}")
}

/// Problems with the roles and schemas that keep Snowflake's grants and jobs from being
/// generated, reported once:
///
/// - `emit::grants-duplicate-role`: two roles with one Snowflake role;
/// - `emit::grants-reserved-role`: a Snowflake system role (`ACCOUNTADMIN`, `PUBLIC`, …);
/// - `emit::grants-role-id`: a role id containing `__` ([`role_id_problem`]);
/// - a role name Snowflake cannot hold ([`crate::emit::sql_name_error`]);
/// - `emit::snowflake-lawful-schema`: a Snowflake dataset stored in `LAWFUL` (the schema of
///   the retention jobs) or in a schema ending in `_LAWFUL` (where lawful puts its views),
///   either case, at the dataset's `storage.table`: lawful drops and recreates those
///   schemas, so a table in one would be lost.
pub fn check_roles(m: &Model) -> Vec<Diagnostic> {
    let mut out = managed_roles(m).1;
    for d in &m.datasets {
        let Some((t, span)) = table_name(d) else {
            continue;
        };
        if let Some(why) = lawful_schema(&t.schema) {
            out.push(
                Diagnostic::error(
                    "emit::snowflake-lawful-schema",
                    format!(
                        "dataset `{}` is stored in the schema `{}`, {why}",
                        d.id.value, t.schema
                    ),
                )
                .at(span, "in a schema lawful owns")
                .with_help("move the table to another schema: lawful owns the schema LAWFUL and every schema <schema>_LAWFUL, and drops and recreates them each time its files are applied")
                .with_target(format!("datasets.{}", d.id.value)),
            );
        }
    }
    out
}

/// Why a table may not live in `schema`, when the schema is one lawful owns: `LAWFUL` (the
/// retention jobs) or `<schema>_LAWFUL` (the grants' views), compared without case.
pub fn lawful_schema(schema: &str) -> Option<&'static str> {
    let up = schema.to_uppercase();
    if up == crate::emit::retention::snowflake::JOB_SCHEMA {
        Some("which lawful's retention jobs own: retention.sql drops and recreates it")
    } else if up.ends_with("_LAWFUL") {
        Some(
            "a name of the form <schema>_LAWFUL, which lawful keeps for its views: grants.sql drops and recreates such schemas",
        )
    } else {
        None
    }
}

/// `emit::grants-role-id`, at the role's id, when the id contains `__`. Snowflake and
/// BigQuery views are named `<table>__<role id>`, so with such an id two pairs of table and
/// role could name one view (`t__x` read by `y`, `t` read by `x__y`), and a role could be
/// given another table's columns.
pub fn role_id_problem(r: &RoleR, engine: &str) -> Option<Diagnostic> {
    r.id.value.contains("__").then(|| {
        Diagnostic::error(
            "emit::grants-role-id",
            format!(
                "the role id `{}` contains `__`, which {engine} views cannot carry",
                r.id.value
            ),
        )
        .at(r.id.span, "contains `__`")
        .with_help(format!("{engine} view names are `<table>__<role id>`, so a role id may not contain `__`: rename the role (a single `_` is fine)"))
        .with_target(format!("roles.{}", r.id.value))
    })
}

/// The roles to manage, sorted by role name, and the problems that keep others out:
/// [`super::managed_roles`] with Snowflake's system roles and the names it cannot hold.
fn managed_roles(m: &Model) -> (Vec<&RoleR>, Vec<Diagnostic>) {
    super::managed_roles(m, |r| {
        if let Some(d) = role_id_problem(r, "Snowflake") {
            return Some(d);
        }
        let span = role_span(r);
        if SYSTEM_ROLES.contains(&r.db_role.to_uppercase().as_str()) {
            return Some(
                Diagnostic::error(
                    "emit::grants-reserved-role",
                    format!("`{}` is a Snowflake system role", r.db_role),
                )
                .at(span, "system role")
                .with_help("choose another `db_role`; lawful revokes and grants everything its roles hold, which must not touch ACCOUNTADMIN, SYSADMIN, PUBLIC and the like"),
            );
        }
        ident(&r.db_role)
            .err()
            .map(|e| *sql_name_error("the Snowflake role", e, span))
    })
}

/// Schema and table of a Snowflake dataset (schema default [`DEFAULT_SCHEMA`]).
pub fn table_name(d: &DatasetR) -> Option<(TableName, Span)> {
    let s = d.decl.storage.as_ref()?;
    if s.engine != Engine::Snowflake {
        return None;
    }
    Some((
        TableName {
            schema: s.schema.clone().unwrap_or_else(|| DEFAULT_SCHEMA.into()),
            table: s.table.value.clone(),
        },
        s.table.span,
    ))
}

/// The database of a group (all its datasets share it).
fn database<'a>(m: &'a Model, group: &[usize]) -> Option<&'a str> {
    group.iter().find_map(|&i| {
        m.datasets[i]
            .decl
            .storage
            .as_ref()
            .and_then(|s| s.database.as_deref())
    })
}

/// The masked expression of `v` (a quoted column reference) in Snowflake SQL: `mask.kept()`
/// first and last characters kept and the rest `*` (all hidden when the value is not longer
/// than what is kept), `****@domain` for `email`, `****` for `redact`. NULL stays NULL.
pub fn mask_expr(v: &str, mask: &Mask) -> String {
    let v = format!("CAST({v} AS VARCHAR)");
    let star = literal("*").expect("fixed");
    let stars = literal("****").expect("fixed");
    match mask.kept() {
        None => format!(
            "CASE WHEN {v} IS NULL THEN NULL WHEN POSITION('@' IN {v}) > 0 THEN CONCAT({stars}, SUBSTR({v}, POSITION('@' IN {v}))) ELSE {stars} END"
        ),
        Some((0, 0)) => format!("CASE WHEN {v} IS NULL THEN NULL ELSE {stars} END"),
        Some((f, l)) => {
            let mut parts = Vec::new();
            if f > 0 {
                parts.push(format!("LEFT({v}, {f})"));
            }
            parts.push(format!("REPEAT({star}, LENGTH({v}) - {})", f + l));
            if l > 0 {
                parts.push(format!("RIGHT({v}, {l})"));
            }
            format!(
                "CASE WHEN {v} IS NULL THEN NULL WHEN LENGTH({v}) <= {} THEN REPEAT({star}, LENGTH({v})) ELSE CONCAT({}) END",
                f + l,
                parts.join(", ")
            )
        }
    }
}

/// One role's view of one table.
struct View {
    schema: String,
    name: String,
    table: TableName,
    /// (column, mask when read masked), in column order.
    columns: Vec<(String, Option<Mask>)>,
    span: Span,
}

/// The grant file of one database's Snowflake datasets.
pub fn generate(p: &Project, group: &[usize]) -> crate::emit::Files {
    vec![("grants.sql".into(), file(p, group))]
}

fn file(p: &Project, group: &[usize]) -> Result<Option<String>, Vec<Diagnostic>> {
    let m = &p.model;
    let sf: Vec<usize> = group
        .iter()
        .copied()
        .filter(|&i| table_name(&m.datasets[i]).is_some())
        .collect();
    if m.roles.is_empty() || sf.is_empty() {
        return Ok(None);
    }
    let db = database(m, &sf);
    let roles = managed_roles(m).0;
    let plan = super::plan(m, &sf, &roles, table_name);
    let privileges = super::privileges(m, &plan, &sf);
    // `super::privileges` names a consent log stored without `schema:` by its database;
    // in Snowflake such a table is in PUBLIC.
    let log_schema = |pr: &super::Privilege| -> String {
        let bare = m.consent_logs.iter().any(|l| {
            sf.contains(&l.dataset)
                && m.datasets[l.dataset]
                    .decl
                    .storage
                    .as_ref()
                    .is_some_and(|s| {
                        s.schema.is_none() && Some(&s.table.value) == pr.object.as_ref()
                    })
        });
        if bare {
            DEFAULT_SCHEMA.to_string()
        } else {
            pr.schema.clone()
        }
    };
    let mut errors: Vec<Diagnostic> = Vec::new();
    let mut err = |what: &str, e: String, span: Span| errors.push(*sql_name_error(what, e, span));

    // The base schemas, quoted, with a span to blame.
    let mut bases: BTreeMap<String, (String, Span)> = BTreeMap::new();
    for &i in &sf {
        let (t, span) = table_name(&m.datasets[i]).expect("filtered");
        match schema_name(db, &t.schema) {
            Ok(q) => {
                bases.entry(t.schema.clone()).or_insert((q, span));
            }
            Err(e) => err("the schema", e, span),
        }
    }
    let db_q = match db.map(ident).transpose() {
        Ok(q) => q,
        Err(e) => {
            err("the database", e, m.datasets[sf[0]].id.span);
            None
        }
    };

    // Base schemas whose name is a view schema of another.
    let mut clashes: Vec<Diagnostic> = Vec::new();

    // Views, role by role.
    let mut views: BTreeMap<&str, Vec<View>> = BTreeMap::new();
    for ra in &plan.roles {
        let mut vs = Vec::new();
        for (name, a) in &ra.tables {
            let d = &m.datasets[a.dataset];
            let masks: Vec<(String, Option<Mask>)> = plan
                .views
                .iter()
                .find(|v| &v.table == name)
                .map(|v| v.columns.clone())
                .unwrap_or_default();
            let mut order: Vec<&str> = d.fields.iter().map(|f| f.column.as_str()).collect();
            for c in a.clear.iter().chain(&a.masked) {
                if !order.contains(&c.as_str()) {
                    order.push(c);
                }
            }
            let mut columns = Vec::new();
            for c in order {
                if a.clear.contains(c) {
                    columns.push((c.to_string(), None));
                } else if a.masked.contains(c) {
                    let mask = masks
                        .iter()
                        .find(|(mc, _)| mc == c)
                        .and_then(|(_, k)| k.clone())
                        .or_else(|| {
                            d.fields
                                .iter()
                                .find(|f| f.column == c)
                                .and_then(|f| f.decl.mask.as_ref().map(|k| k.value.clone()))
                        });
                    match mask {
                        Some(k) => columns.push((c.to_string(), Some(k))),
                        None => continue,
                    }
                }
            }
            vs.push(View {
                schema: view_schema(&name.schema),
                name: view_name(&name.table, &ra.role.id.value),
                table: name.clone(),
                columns,
                span: a.span,
            });
        }
        views.insert(ra.role.db_role.as_str(), vs);
    }
    clashes.extend(view_clashes(
        plan.roles.iter().flat_map(|ra| {
            views
                .get(ra.role.db_role.as_str())
                .into_iter()
                .flatten()
                .map(move |v| {
                    (
                        v.schema.as_str(),
                        v.name.as_str(),
                        ra.role,
                        &v.table,
                        v.span,
                    )
                })
        }),
        "Snowflake",
    ));

    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(
            m,
            m.roles
                .iter()
                .map(|r| r.id.span)
                .chain(sf.iter().map(|&i| m.datasets[i].id.span))
        )
    )));
    out.push_str(
        "\n--\n\
         -- Read access derived from purposes, for Snowflake. Snowflake has no column-level\n\
         -- SELECT, so each role reads one secure view per table holding exactly the columns\n\
         -- its purposes allow (masked where it may only see them masked), and nothing on the\n\
         -- tables themselves. The views live in the schemas named <schema>_LAWFUL, which\n\
         -- belong to lawful: this file drops and recreates them.\n\
         -- Run it as a role that may create roles and schemas and grant on these objects\n\
         -- (SECURITYADMIN with SYSADMIN, or the owner of the schemas). Apply consent_log.sql\n\
         -- first when there is one. Applying it twice changes nothing; roles still need a\n\
         -- warehouse (GRANT USAGE ON WAREHOUSE) to run queries, which lawful leaves to you.\n\
         -- Snowflake DDL commits statement by statement: readers lose access for the few\n\
         -- seconds the file takes.\n\n",
    );

    out.push_str(&comment("The roles lawful manages."));
    out.push('\n');
    for r in &roles {
        if let Ok(s) = create_role(&r.db_role) {
            out.push_str(&s);
            out.push('\n');
        }
    }

    out.push('\n');
    out.push_str(&comment(
        "Take away what they hold on the tables and views of these schemas.",
    ));
    out.push('\n');
    for r in &roles {
        // (The view schemas are dropped below, with every grant on their views.)
        for (q, _) in bases.values() {
            for (on, obj) in [(On::AllTablesIn, q), (On::AllViewsIn, q)] {
                if let Ok(s) = revoke("ALL PRIVILEGES", on, obj, &r.db_role) {
                    out.push_str(&s);
                    out.push('\n');
                }
            }
            if let Ok(s) = revoke("USAGE", On::Schema, q, &r.db_role) {
                out.push_str(&s);
                out.push('\n');
            }
        }
    }

    for (schema, (_, span)) in &bases {
        let vs = view_schema(schema);
        if bases.contains_key(&vs) {
            clashes.push(
                Diagnostic::error(
                    "emit::snowflake-view-schema",
                    format!("the schema `{vs}` holds tables lawful describes, but it is where lawful puts its views over `{schema}`, and this file drops it"),
                )
                .at(*span, "a table of this schema")
                .with_help("rename the schema that ends in _LAWFUL; lawful owns the schemas <schema>_LAWFUL"),
            );
            continue;
        }
        let vq = match schema_name(db, &vs) {
            Ok(q) => q,
            Err(e) => {
                err("the view schema", e, *span);
                continue;
            }
        };
        out.push('\n');
        out.push_str(&comment(&format!(
            "Views over {schema}: dropped and made again, so views of roles or tables no longer declared go."
        )));
        out.push('\n');
        out.push_str(&format!("DROP SCHEMA IF EXISTS {vq} CASCADE;\n"));
        out.push_str(&format!("CREATE SCHEMA {vq};\n"));
        for r in &roles {
            for v in views.get(r.db_role.as_str()).into_iter().flatten() {
                if v.table.schema != *schema {
                    continue;
                }
                match view_sql(db, v) {
                    Ok(s) => {
                        out.push_str(&comment(&format!(
                            "{} reads {}.{}: {}.",
                            r.id.value,
                            v.table.schema,
                            v.table.table,
                            v.columns
                                .iter()
                                .map(|(c, k)| if k.is_some() {
                                    format!("{c} (masked)")
                                } else {
                                    c.clone()
                                })
                                .collect::<Vec<_>>()
                                .join(", ")
                        )));
                        out.push('\n');
                        out.push_str(&s);
                        out.push('\n');
                    }
                    Err(e) => err("a view", e, v.span),
                }
            }
        }
    }

    // Grants.
    for r in &roles {
        let vs = views
            .get(r.db_role.as_str())
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let logs: Vec<&super::Privilege> = privileges
            .iter()
            .filter(|pr| pr.role == r.db_role && pr.column.is_none() && pr.object.is_some())
            .collect();
        let purposes: Vec<&str> = r
            .purposes
            .iter()
            .map(|&p| m.purposes[p].id.value.as_str())
            .collect();
        out.push('\n');
        out.push_str(&comment(&format!(
            "Role {} (Snowflake role {}): purposes {}.",
            r.id.value,
            r.db_role,
            if purposes.is_empty() {
                "none".to_string()
            } else {
                purposes.join(", ")
            }
        )));
        out.push('\n');
        if vs.is_empty() && logs.is_empty() {
            out.push_str(&comment(
                "Its purposes cover no stored column, so it may read nothing.",
            ));
            out.push('\n');
            if let Some(d) = &db_q
                && let Ok(s) = revoke("USAGE", On::Database, d, &r.db_role)
            {
                out.push_str(&s);
                out.push('\n');
            }
            continue;
        }
        if let Some(d) = &db_q
            && let Ok(s) = grant("USAGE", On::Database, d, &r.db_role)
        {
            out.push_str(&s);
            out.push('\n');
        }
        let mut schemas: BTreeSet<String> = BTreeSet::new();
        for v in vs {
            if let Ok(q) = schema_name(db, &v.schema) {
                schemas.insert(q);
            }
        }
        for pr in &logs {
            match schema_name(db, &log_schema(pr)) {
                Ok(q) => {
                    schemas.insert(q);
                }
                Err(e) => err("the schema", e, r.id.span),
            }
        }
        for s in &schemas {
            if let Ok(g) = grant("USAGE", On::Schema, s, &r.db_role) {
                out.push_str(&g);
                out.push('\n');
            }
        }
        for v in vs {
            match qualified(db, &v.schema, &v.name) {
                Ok(q) => {
                    if let Ok(g) = grant("SELECT", On::View, &q, &r.db_role) {
                        out.push_str(&g);
                        out.push('\n');
                    }
                }
                Err(e) => err("a view", e, v.span),
            }
        }
        // Consent logs: table-wide INSERT and SELECT for writers, SELECT for readers.
        let mut by_table: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
        for pr in &logs {
            let words = match pr.action {
                Action::Insert => "INSERT",
                Action::Select => "SELECT",
                Action::Usage => continue,
            };
            by_table
                .entry((log_schema(pr), pr.object.clone().unwrap_or_default()))
                .or_default()
                .push(words);
        }
        for ((schema, table), mut words) in by_table {
            words.sort_by_key(|w| if *w == "INSERT" { 0 } else { 1 });
            match qualified(db, &schema, &table) {
                Ok(q) => {
                    if let Ok(g) = grant(&words.join(", "), On::Table, &q, &r.db_role) {
                        out.push_str(&g);
                        out.push('\n');
                    }
                }
                Err(e) => err("the consent log table", e, r.id.span),
            }
        }
    }
    errors.extend(clashes);
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Some(out))
}

/// `emit::grants-view-name`: two (role, table) pairs whose views would have one name in
/// one schema (`t_` read by `x` and `t` read by `_x` both give `t___x`), at the second
/// table's `storage.table`. [`role_id_problem`] rules out most such pairs; this catches the
/// rest, so that no view is created twice and no role is given another table's view.
/// `views` yields (view schema, view name, role, table, table span).
pub(crate) fn view_clashes<'a>(
    views: impl Iterator<Item = (&'a str, &'a str, &'a RoleR, &'a TableName, Span)>,
    engine: &str,
) -> Vec<Diagnostic> {
    let mut seen: BTreeMap<(&str, &str), (&RoleR, &TableName, Span)> = BTreeMap::new();
    let mut out = Vec::new();
    for (schema, name, role, table, span) in views {
        match seen.get(&(schema, name)) {
            Some((r0, t0, s0)) => out.push(
                Diagnostic::error(
                    "emit::grants-view-name",
                    format!(
                        "the {engine} view `{schema}.{name}` would be made twice: for role `{}` reading `{}.{}` and for role `{}` reading `{}.{}`",
                        r0.id.value, t0.schema, t0.table, role.id.value, table.schema, table.table
                    ),
                )
                .at(span, "this table's view")
                .with_secondary(*s0, "the other table")
                .with_help("view names are `<table>__<role id>`: rename one of the roles (or tables) so that the names differ, for example without a leading or trailing `_`"),
            ),
            None => {
                seen.insert((schema, name), (role, table, span));
            }
        }
    }
    out
}

fn view_sql(db: Option<&str>, v: &View) -> Result<String, String> {
    let name = qualified(db, &v.schema, &v.name)?;
    let table = qualified(db, &v.table.schema, &v.table.table)?;
    let mut cols = Vec::new();
    for (c, mask) in &v.columns {
        let q = ident(c)?;
        let r = format!("t.{q}");
        cols.push(match mask {
            None => format!("  {r} AS {q}"),
            Some(k) => format!("  {} AS {q}", mask_expr(&r, k)),
        });
    }
    Ok(format!(
        "CREATE SECURE VIEW {name} AS\nSELECT\n{}\nFROM {table} AS t;",
        cols.join(",\n")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::types::{Mask, MaskStyle};

    fn mask(style: MaskStyle) -> Mask {
        Mask {
            style: Some(crate::manifest::Sp::new(style, Span::default())),
            keep_first: None,
            keep_last: None,
        }
    }

    #[test]
    fn phone_masks_keep_three_and_four() {
        let e = mask_expr("t.\"phone\"", &mask(MaskStyle::Phone));
        assert!(e.contains("LEFT(CAST(t.\"phone\" AS VARCHAR), 3)"), "{e}");
        assert!(e.contains("RIGHT(CAST(t.\"phone\" AS VARCHAR), 4)"), "{e}");
        assert!(
            e.contains("LENGTH(CAST(t.\"phone\" AS VARCHAR)) - 7"),
            "{e}"
        );
    }

    #[test]
    fn email_and_redact_masks() {
        let e = mask_expr("t.\"e\"", &mask(MaskStyle::Email));
        assert!(e.contains("POSITION('@' IN"), "{e}");
        let r = mask_expr("t.\"e\"", &mask(MaskStyle::Redact));
        assert!(r.ends_with("ELSE '****' END"), "{r}");
    }

    #[test]
    fn view_schemas_follow_the_case_of_their_schema() {
        assert_eq!(view_schema("PUBLIC"), "PUBLIC_LAWFUL");
        assert_eq!(view_schema("sales"), "sales_lawful");
    }
}
