//! Column-level grants for PostgreSQL: `sql/postgres[/<database>]/grants.sql`, one file per
//! database (see [`crate::emit`]).
//!
//! Roles → purposes → categories → columns. A role may read a column of a PostgreSQL
//! dataset when **every** personal data category of the column falls within
//! ([`crate::taxonomy::Taxonomy::is_within`]) a category declared by at least one of the
//! role's purposes. "Every", not "any": a column that mixes a category the role needs with
//! one it does not (a free-text `notes` column tagged `contact.email` and `health`) stays
//! closed, which is what least privilege asks for.
//!
//! Two more decisions:
//! - A column with no category at all is never granted: lawful does not know what it holds.
//! - A column whose categories are all non-personal (`non_personal.*`) is granted on the
//!   tables where the role already reads a personal column, or that the role lists under
//!   `datasets:`. Purposes declare the personal data they need; the timestamps and status
//!   columns beside it are not personal data.
//!
//! When a role lists `datasets:`, only those datasets are considered.
//!
//! Two datasets of one database may describe the same table (two views of one wide table,
//! say): a role reads the union of the columns each of them allows it. Datasets in different
//! databases never mix, even when their schema and table names are the same: each database
//! has its own file.
//!
//! The script is convergent: inside one transaction it creates each role if missing
//! (`NOLOGIN`; give it members or `LOGIN` yourself), then for every managed role revokes all
//! privileges on all tables of every schema lawful manages (which also revokes column
//! privileges), then grants `USAGE` on the schemas and `SELECT` on exactly the allowed
//! columns. Roles are shared by all databases of a server, so every database's file creates
//! every role and manages its privileges in that database only. Applying it twice changes
//! nothing; removing a purpose from a role removes the
//! columns it gave. A privilege granted by hand to a managed role on a table in those schemas
//! is revoked too: these roles belong to lawful.

use std::collections::{BTreeMap, BTreeSet};

use super::{RoleAccess, TableName};
use crate::Project;
use crate::emit::{postgres_table, source_list, sql_name_error};
use crate::manifest::Span;
use crate::model::{DatasetR, FieldR, Model, RoleR};
use crate::report::Diagnostic;
use crate::sql::postgres::{STANDARD_STRINGS, comment, dollar_quote, ident, literal, qualified};

/// Role names PostgreSQL reserves.
const RESERVED_ROLES: &[&str] = &[
    "public",
    "none",
    "current_role",
    "current_user",
    "session_user",
];

/// Problems with the roles themselves, reported once however many databases there are: two
/// roles with one database role, and role names PostgreSQL reserves.
pub fn check_roles(m: &Model) -> Vec<Diagnostic> {
    managed_roles(m).1
}

/// The roles to manage, sorted by database role, and the problems that keep others out.
fn managed_roles(m: &Model) -> (Vec<&RoleR>, Vec<Diagnostic>) {
    let mut roles: Vec<&RoleR> = m.roles.iter().collect();
    roles.sort_by(|a, b| a.db_role.cmp(&b.db_role).then(a.id.value.cmp(&b.id.value)));
    let mut seen: BTreeMap<&str, &RoleR> = BTreeMap::new();
    let mut ok = Vec::new();
    let mut errors = Vec::new();
    for r in roles {
        let span = r.decl.db_role.as_ref().map(|d| d.span).unwrap_or(r.id.span);
        if let Some(first) = seen.insert(&r.db_role, r) {
            errors.push(
                Diagnostic::error(
                    "emit::grants-duplicate-role",
                    format!(
                        "roles `{}` and `{}` both use the database role `{}`",
                        first.id.value, r.id.value, r.db_role
                    ),
                )
                .at(span, "same database role")
                .with_secondary(first.id.span, "first role")
                .with_help(
                    "give each role its own `db_role`, or merge their purposes into one role",
                ),
            );
            continue;
        }
        let lower = r.db_role.to_lowercase();
        if lower.starts_with("pg_") || RESERVED_ROLES.contains(&lower.as_str()) {
            errors.push(
                Diagnostic::error(
                    "emit::grants-reserved-role",
                    format!("`{}` is a role name PostgreSQL reserves", r.db_role),
                )
                .at(span, "reserved role name")
                .with_help(
                    "choose another `db_role`; names starting with `pg_` and `public` are reserved",
                ),
            );
            continue;
        }
        ok.push(r);
    }
    (ok, errors)
}

/// The file for one database's PostgreSQL datasets (indices into `Model::datasets`), or
/// `None` when the project has no roles or the group no dataset. The role problems of
/// [`check_roles`] are not reported here; such roles are left out.
pub fn generate(p: &Project, group: &[usize]) -> Result<Option<String>, Vec<Diagnostic>> {
    let m = &p.model;
    let pg: Vec<usize> = group
        .iter()
        .copied()
        .filter(|&i| postgres_table(&m.datasets[i]).is_some())
        .collect();
    if m.roles.is_empty() || pg.is_empty() {
        return Ok(None);
    }
    let roles = managed_roles(m).0;
    let plan = super::plan(m, &pg, &roles, table_name);
    let mut errors = Vec::new();

    let mut schemas = BTreeSet::new();
    for &i in &pg {
        let (schema, _, span) = postgres_table(&m.datasets[i]).expect("filtered on PostgreSQL");
        match ident(schema) {
            Ok(q) => {
                schemas.insert(q);
            }
            Err(e) => errors.push(*sql_name_error("the schema", e, span)),
        }
    }

    let mut blocks = Vec::new();
    for ra in &plan.roles {
        match role_block(m, ra, &schemas) {
            Ok(b) => blocks.push(b),
            Err(d) => errors.push(*d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }

    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(
            m,
            m.roles
                .iter()
                .map(|r| r.id.span)
                .chain(pg.iter().map(|&i| m.datasets[i].id.span))
        )
    )));
    out.push_str(
        "\n--\n\
         -- Read access derived from purposes: each role below may read exactly the columns\n\
         -- whose data categories all fall within the categories of at least one of its\n\
         -- purposes. Run it as a role that may create roles and grant on these tables.\n\
         -- It is convergent: each role first loses every table privilege in the schemas\n\
         -- lawful manages, then gets what its purposes allow; applying it twice changes\n\
         -- nothing.\n\n\
         BEGIN;\n",
    );
    out.push_str(STANDARD_STRINGS);
    out.push('\n');
    for b in blocks {
        out.push('\n');
        out.push_str(&b);
    }
    out.push_str("\nCOMMIT;\n");
    Ok(Some(out))
}

/// The schema and table of a PostgreSQL dataset, for [`super::plan`].
fn table_name(d: &DatasetR) -> Option<(TableName, Span)> {
    postgres_table(d).map(|(schema, table, span)| {
        (
            TableName {
                schema: schema.to_string(),
                table: table.to_string(),
            },
            span,
        )
    })
}

fn role_block(
    m: &Model,
    ra: &RoleAccess,
    schemas: &BTreeSet<String>,
) -> Result<String, Box<Diagnostic>> {
    let r = ra.role;
    let span = r.decl.db_role.as_ref().map(|d| d.span).unwrap_or(r.id.span);
    let role = ident(&r.db_role).map_err(|e| sql_name_error("the database role", e, span))?;
    let role_lit = literal(&r.db_role).map_err(|e| sql_name_error("the database role", e, span))?;

    // (quoted table) → (quoted schema, sorted quoted columns).
    let mut grants: BTreeMap<String, (String, BTreeSet<String>)> = BTreeMap::new();
    for (name, access) in &ra.tables {
        if access.clear.is_empty() {
            continue;
        }
        let d = &m.datasets[access.dataset];
        let mut cols = BTreeSet::new();
        for c in &access.clear {
            let f = d.fields.iter().find(|f| &f.column == c);
            let fspan = f.map(field_span).unwrap_or(access.span);
            cols.insert(ident(c).map_err(|e| sql_name_error("the column", e, fspan))?);
        }
        let q = qualified(&name.schema, &name.table)
            .map_err(|e| sql_name_error("the table", e, access.span))?;
        let s = ident(&name.schema).map_err(|e| sql_name_error("the schema", e, access.span))?;
        grants.insert(q, (s, cols));
    }

    let purposes: Vec<&str> = r
        .purposes
        .iter()
        .map(|&p| m.purposes[p].id.value.as_str())
        .collect();
    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Role {} (database role {}): purposes {}.",
        r.id.value,
        r.db_role,
        if purposes.is_empty() {
            "none".to_string()
        } else {
            purposes.join(", ")
        }
    )));
    out.push('\n');
    if grants.is_empty() {
        out.push_str(&comment(
            "Its purposes cover no stored column, so it may read nothing.",
        ));
        out.push('\n');
    }
    let body = format!(
        " BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {role_lit}) THEN CREATE ROLE {role} NOLOGIN; END IF; END "
    );
    out.push_str(&format!("DO {};\n", dollar_quote(&body)));
    let used: BTreeSet<&String> = grants.values().map(|(s, _)| s).collect();
    for s in schemas {
        out.push_str(&format!(
            "REVOKE ALL ON ALL TABLES IN SCHEMA {s} FROM {role};\n"
        ));
    }
    for s in schemas {
        if used.contains(s) {
            out.push_str(&format!("GRANT USAGE ON SCHEMA {s} TO {role};\n"));
        } else {
            out.push_str(&format!("REVOKE USAGE ON SCHEMA {s} FROM {role};\n"));
        }
    }
    for (table, (_, cols)) in &grants {
        out.push_str(&format!(
            "GRANT SELECT ({}) ON TABLE {table} TO {role};\n",
            cols.iter().cloned().collect::<Vec<_>>().join(", ")
        ));
    }
    Ok(out)
}

fn field_span(f: &FieldR) -> Span {
    f.decl
        .column
        .as_ref()
        .map(|c| c.span)
        .unwrap_or(f.name.span)
}
