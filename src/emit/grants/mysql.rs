//! Column-level grants and masking views for MySQL 8 and MariaDB 10.11:
//! `sql/mysql/<database>/grants.sql`, one file per database (see [`crate::emit`]).
//!
//! The columns come from the shared access plan ([`super::plan`], [`super::privileges`]),
//! so a role reads exactly what it reads on every other engine. For MySQL a dataset's table
//! is `` `database`.`table` `` (`storage.schema`, when given, names the database instead:
//! MySQL has no schemas below databases). A MySQL dataset must name its `database`.
//!
//! The file, applied with the `mysql` or `mariadb` client as a user that may create roles
//! and grant on these tables:
//! 1. creates each managed role if missing (`CREATE ROLE IF NOT EXISTS`; grant the role to
//!    users yourself, and have them `SET ROLE` or make it a default role);
//! 2. creates or replaces the masking views `<table>_masked` (`SQL SECURITY DEFINER`: the
//!    view reads the table with the privileges of the user who applied the file, so a
//!    masked reader needs no privilege on the table). Each masked column is replaced by its
//!    mask: `phone` keeps the first 3 and last 4 characters (`138****5678`), `national_id`
//!    the last 4, `partial` what it says, `email` hides the local part (`****@example.com`),
//!    `redact` shows `****`; a value no longer than the characters kept is masked whole,
//!    and NULL stays NULL;
//! 3. for every managed role, revokes every privilege it holds (`REVOKE ALL PRIVILEGES,
//!    GRANT OPTION`; see below for projects with several databases), then grants `SELECT` on exactly the allowed columns of tables and
//!    views, and the consent logs' `INSERT`/`SELECT`.
//!
//! Applying it twice changes nothing; removing a purpose removes the columns it gave.
//! MySQL has no transactional DDL, so the statements take effect one by one; the revoke
//! and the grants of one role follow each other immediately.
//!
//! Roles are server-wide, and so is the revoke when all of the project's MySQL datasets
//! are in one database: these roles belong to lawful, and a privilege granted to them by
//! hand anywhere on the server is revoked. When the project's MySQL datasets are in several
//! databases, each database gets its own file, and a server-wide revoke in one would undo
//! the grants of another; then each file revokes only on its own database (`` `db`.* ``),
//! tables and masking views ([`crate::sql::mysql::revoke_all_on`]), so the files can be
//! applied in any order.
//!
//! MySQL has no `USAGE` on a database: a column privilege is enough to see the table.

use std::collections::{BTreeMap, BTreeSet};

use super::{Action, MaskingView, TableName, role_span};
use crate::Project;
use crate::emit::{source_list, sql_name_error};
use crate::manifest::Span;
use crate::manifest::types::{Engine, MaskStyle};
use crate::model::{DatasetR, Model, RoleR};
use crate::report::Diagnostic;
use crate::sql::mysql::{
    Priv, account, comment, create_role, grant, ident, mask_email, mask_kept, qualified,
    reserved_role, revoke_all, revoke_all_on,
};

/// Problems with the roles themselves, reported once however many databases there are:
/// two roles with one database role, names MySQL reserves or cannot hold.
pub fn check_roles(m: &Model) -> Vec<Diagnostic> {
    if !m.datasets.iter().any(|d| mysql_storage(d).is_some()) {
        return Vec::new();
    }
    managed_roles(m).1
}

/// The roles to manage, sorted by database role, and the problems that keep others out:
/// [`super::managed_roles`] with MySQL's built-in accounts and the names it cannot hold.
fn managed_roles(m: &Model) -> (Vec<&RoleR>, Vec<Diagnostic>) {
    super::managed_roles(m, |r| {
        let span = role_span(r);
        if let Some(why) = reserved_role(&r.db_role) {
            return Some(
                Diagnostic::error("emit::grants-reserved-role", why)
                    .at(span, "reserved role name")
                    .with_help(
                        "choose another `db_role`; lawful revokes everything its roles hold, \
                         so it must never manage a built-in account",
                    ),
            );
        }
        account(&r.db_role)
            .err()
            .map(|e| *sql_name_error("the database role", e, span))
    })
}

/// The storage of a dataset kept in MySQL.
fn mysql_storage(d: &DatasetR) -> Option<&crate::manifest::types::Storage> {
    d.decl
        .storage
        .as_ref()
        .map(|s| &s.value)
        .filter(|s| s.engine == Engine::Mysql)
}

/// The database and table of a MySQL dataset, for [`super::plan`].
fn table_name(d: &DatasetR) -> Option<(TableName, Span)> {
    let s = mysql_storage(d)?;
    let schema = s.schema.clone().or_else(|| s.database.clone())?;
    Some((
        TableName {
            schema,
            table: s.table.value.clone(),
        },
        s.table.span,
    ))
}

/// The grant file of one database's MySQL datasets (indices into `Model::datasets`), or
/// nothing when the project has no roles.
pub fn generate(p: &Project, group: &[usize]) -> crate::emit::Files {
    vec![("grants.sql".into(), file(p, group))]
}

fn file(p: &Project, group: &[usize]) -> Result<Option<String>, Vec<Diagnostic>> {
    let m = &p.model;
    let my: Vec<usize> = group
        .iter()
        .copied()
        .filter(|&i| mysql_storage(&m.datasets[i]).is_some())
        .collect();
    if m.roles.is_empty() || my.is_empty() {
        return Ok(None);
    }
    let mut errors = Vec::new();
    for &i in &my {
        if table_name(&m.datasets[i]).is_none() {
            let s = m.datasets[i].decl.storage.as_ref().expect("filtered");
            errors.push(
                Diagnostic::error(
                    "emit::database-missing",
                    format!(
                        "dataset `{}` is stored in MySQL but names no `storage.database`",
                        m.datasets[i].id.value
                    ),
                )
                .at(s.span, "no `database` here")
                .with_help(
                    "MySQL tables live in a database: add `database: <name>` to its `storage`",
                )
                .with_target(format!("datasets.{}", m.datasets[i].id.value)),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let roles = managed_roles(m).0;
    let plan = super::plan(m, &my, &roles, table_name);
    let privileges = super::privileges(m, &plan, &my);

    // Where each column name came from, for diagnostics.
    let column_span = |schema: &str, table: &str, column: &str| -> Span {
        for &i in &my {
            let d = &m.datasets[i];
            if let Some((t, span)) = table_name(d)
                && t.schema == schema
                && (t.table == table || format!("{}{}", t.table, super::MASKED_SUFFIX) == table)
            {
                if let Some(f) = d.fields.iter().find(|f| f.column == column) {
                    return f
                        .decl
                        .column
                        .as_ref()
                        .map(|c| c.span)
                        .unwrap_or(f.name.span);
                }
                return span;
            }
        }
        m.datasets[my[0]].id.span
    };
    let object_span = |schema: &str, table: &str| -> Span {
        for &i in &my {
            if let Some((t, span)) = table_name(&m.datasets[i])
                && t.schema == schema
                && (t.table == table || format!("{}{}", t.table, super::MASKED_SUFFIX) == table)
            {
                return span;
            }
        }
        m.datasets[my[0]].id.span
    };

    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(
            m,
            m.roles
                .iter()
                .map(|r| r.id.span)
                .chain(my.iter().map(|&i| m.datasets[i].id.span))
        )
    )));
    out.push_str(
        "\n--\n\
         -- Read access derived from purposes, for MySQL 8 and MariaDB 10.11: each role below\n\
         -- may read exactly the columns whose data categories all fall within the categories\n\
         -- of at least one of its purposes. Apply it with the mysql or mariadb client as a\n\
         -- user that may create roles and grant on these tables. It is convergent: each role\n\
         -- first loses every privilege it holds on this server, then gets what its purposes\n\
         -- allow; applying it twice changes nothing.\n\n",
    );

    // Roles are server-wide and so is the revoke below: say so when the project spreads
    // its MySQL datasets over several databases.
    let databases: BTreeSet<String> = m
        .datasets
        .iter()
        .filter_map(|d| table_name(d).map(|(t, _)| t.schema))
        .collect();
    let scoped = databases.len() > 1;
    if scoped {
        out.push_str(&comment(&format!(
            "The project's MySQL datasets are in several databases ({}), so each role loses only its privileges on this database and on the tables and views below before it is granted what its purposes allow here.",
            databases.into_iter().collect::<Vec<_>>().join(", ")
        )));
        out.push_str("\n\n");
    }
    // The objects a scoped revoke reaches: the database, every table of the group and
    // every masking view.
    let mut objects: BTreeSet<(String, Option<String>)> = BTreeSet::new();
    for &i in &my {
        if let Some((t, _)) = table_name(&m.datasets[i]) {
            objects.insert((t.schema.clone(), None));
            objects.insert((t.schema, Some(t.table)));
        }
    }
    for v in &plan.views {
        objects.insert((v.table.schema.clone(), Some(v.view.clone())));
    }

    // Roles.
    out.push_str(&comment("The roles lawful manages."));
    out.push('\n');
    for r in &roles {
        match create_role(&r.db_role) {
            Ok(s) => {
                out.push_str(&s);
                out.push('\n');
            }
            Err(e) => errors.push(*sql_name_error("the database role", e, role_span(r))),
        }
    }

    // Masking views.
    for v in &plan.views {
        match view(m, v) {
            Ok(s) => {
                out.push('\n');
                out.push_str(&s);
            }
            Err(d) => errors.push(*d),
        }
    }

    // Privileges, role by role: (schema, object, action) → columns (empty = whole object).
    type Grants = BTreeMap<(String, String, Priv), BTreeSet<String>>;
    let mut by_role: BTreeMap<&str, Grants> = BTreeMap::new();
    let mut whole: BTreeSet<(String, String, String, Priv)> = BTreeSet::new();
    for pr in &privileges {
        let action = match pr.action {
            Action::Usage => continue,
            Action::Select => Priv::Select,
            Action::Insert => Priv::Insert,
        };
        let Some(object) = &pr.object else { continue };
        let e = by_role
            .entry(pr.role.as_str())
            .or_default()
            .entry((pr.schema.clone(), object.clone(), action))
            .or_default();
        match &pr.column {
            Some(c) => {
                e.insert(c.clone());
            }
            None => {
                whole.insert((pr.role.clone(), pr.schema.clone(), object.clone(), action));
            }
        }
    }
    for ra in &plan.roles {
        let r = ra.role;
        let purposes: Vec<&str> = r
            .purposes
            .iter()
            .map(|&p| m.purposes[p].id.value.as_str())
            .collect();
        out.push('\n');
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
        let grants = by_role.get(r.db_role.as_str());
        if grants.is_none_or(|g| g.is_empty()) {
            out.push_str(&comment(
                "Its purposes cover no stored column, so it may read nothing.",
            ));
            out.push('\n');
        }
        if scoped {
            for (schema, object) in &objects {
                match revoke_all_on(schema, object.as_deref(), &r.db_role) {
                    Ok(s) => {
                        out.push_str(&s);
                        out.push('\n');
                    }
                    Err(e) => errors.push(*sql_name_error(
                        "the table",
                        e,
                        object_span(schema, object.as_deref().unwrap_or("")),
                    )),
                }
            }
        } else {
            match revoke_all(&r.db_role) {
                Ok(s) => {
                    out.push_str(&s);
                    out.push('\n');
                }
                Err(e) => errors.push(*sql_name_error("the database role", e, role_span(r))),
            }
        }
        for ((schema, object, action), cols) in grants.into_iter().flatten() {
            let table_wide =
                whole.contains(&(r.db_role.clone(), schema.clone(), object.clone(), *action));
            let cols: Vec<&str> = if table_wide {
                Vec::new()
            } else {
                cols.iter().map(String::as_str).collect()
            };
            // Check every name on its own first, for a diagnostic at its place.
            let mut bad = false;
            for c in &cols {
                if let Err(e) = ident(c) {
                    errors.push(*sql_name_error(
                        "the column",
                        e,
                        column_span(schema, object, c),
                    ));
                    bad = true;
                }
            }
            if let Err(e) = qualified(schema, object) {
                errors.push(*sql_name_error("the table", e, object_span(schema, object)));
                bad = true;
            }
            if bad {
                continue;
            }
            match grant(*action, &cols, schema, object, &r.db_role) {
                Ok(s) => {
                    out.push_str(&s);
                    out.push('\n');
                }
                Err(e) => errors.push(*sql_name_error("the grant", e, role_span(r))),
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        errors.dedup_by(|a, b| a.message == b.message);
        return Err(errors);
    }
    Ok(Some(out))
}

/// `CREATE OR REPLACE SQL SECURITY DEFINER VIEW `db`.`t_masked` AS SELECT …`.
fn view(m: &Model, v: &MaskingView) -> Result<String, Box<Diagnostic>> {
    let d = &m.datasets[v.dataset];
    let name = qualified(&v.table.schema, &v.view)
        .map_err(|e| sql_name_error("the masking view of this table", e, v.span))?;
    let table = qualified(&v.table.schema, &v.table.table)
        .map_err(|e| sql_name_error("the table", e, v.span))?;
    let mut cols = Vec::new();
    let mut masked = Vec::new();
    for (c, mask) in &v.columns {
        let span = d
            .fields
            .iter()
            .find(|f| &f.column == c)
            .map(|f| {
                f.decl
                    .column
                    .as_ref()
                    .map(|x| x.span)
                    .unwrap_or(f.name.span)
            })
            .unwrap_or(v.span);
        let q = ident(c).map_err(|e| sql_name_error("the column", e, span))?;
        let col = format!("t.{q}");
        match mask {
            None => cols.push(format!("{col} AS {q}")),
            Some(mk) => {
                masked.push(format!(
                    "{c} ({})",
                    match mk.style() {
                        MaskStyle::Phone => "phone",
                        MaskStyle::Email => "email",
                        MaskStyle::NationalId => "national id",
                        MaskStyle::Partial => "partial",
                        MaskStyle::Redact => "redact",
                    }
                ));
                let e = match mk.kept() {
                    Some((first, last)) => mask_kept(&col, first, last),
                    None => mask_email(&col),
                };
                cols.push(format!("{e} AS {q}"));
            }
        }
    }
    Ok(format!(
        "{}\nCREATE OR REPLACE SQL SECURITY DEFINER VIEW {name} AS\n  SELECT {}\n  FROM {table} AS t;\n",
        comment(&format!(
            "Masking view of {}.{}: masks {}.",
            v.table.schema,
            v.table.table,
            masked.join(", ")
        )),
        cols.join(",\n    ")
    ))
}
