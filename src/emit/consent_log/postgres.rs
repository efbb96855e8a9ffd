//! The consent log for PostgreSQL: `sql/postgres[/<database>]/consent_log.sql`.
//!
//! For each dataset declared with `consent_log:`, in one transaction:
//!
//! - `CREATE SCHEMA IF NOT EXISTS` and `CREATE TABLE IF NOT EXISTS` with the fixed
//!   [`COLUMNS`](super::COLUMNS): `log_id bigint GENERATED ALWAYS AS IDENTITY`, lists as
//!   `text[]`, `action` checked to be `given` or `withdrawn`, instants as `timestamptz`
//!   (`recorded_at` defaults to `now()`). An existing table is left as it is: the file never
//!   rewrites the log.
//! - the trigger function `lawful.consent_log_append_only()` and, on the table, triggers
//!   that refuse every `UPDATE`, `DELETE` and `TRUNCATE`, whoever runs them: the table's
//!   owner and superusers too. The one exception is the dataset's retention job, which
//!   deletes rows past their period after setting `lawful.retention` for its own
//!   transaction ([`super::RETENTION_SETTING`]); writers and readers have no `DELETE`
//!   privilege to try it with. (A superuser can still drop or disable the triggers, or set
//!   `session_replication_role = replica`; that leaves a trace in the server log and DDL
//!   audit, and is outside what SQL grants can prevent.)
//! - the grants of [`crate::emit::grants::privileges`]: writers `INSERT` and `SELECT`,
//!   readers `SELECT`, nobody else anything (`PUBLIC` loses its privileges). Each role is
//!   created `NOLOGIN` if missing, as in `grants.sql`. The identity column needs no
//!   privilege on its sequence: PostgreSQL draws identity values without checking one.
//!
//! Apply it before `grants.sql`, which grants the same privileges again (it revokes and
//! regrants every table privilege of the managed roles in the managed schemas).

use std::collections::{BTreeMap, BTreeSet};

use super::{COLUMNS, ColumnKind};
use crate::Project;
use crate::emit::grants::{Action, Plan};
use crate::emit::{postgres_table, source_list, sql_name_error};
use crate::report::Diagnostic;
use crate::sql::postgres::{
    STANDARD_STRINGS, comment, dollar_quote, ident, literal, qualified, raise_message,
};

/// The trigger function refusing changes, in the schema `lawful`.
pub const APPEND_ONLY_FUNCTION: &str = "consent_log_append_only";

/// The consent-log DDL and grants for the logs `logs` (indices into
/// `Model::consent_logs`), all in one database.
///
/// Errors: a schema, table or role name PostgreSQL cannot hold.
pub fn generate(p: &Project, logs: &[usize]) -> Result<Option<String>, Vec<Diagnostic>> {
    let m = &p.model;
    let group: Vec<usize> = logs
        .iter()
        .map(|&l| m.consent_logs[l].dataset)
        .filter(|&i| postgres_table(&m.datasets[i]).is_some())
        .collect();
    if group.is_empty() {
        return Ok(None);
    }
    let empty = Plan {
        roles: Vec::new(),
        views: Vec::new(),
        schemas: BTreeSet::new(),
    };
    let privileges = crate::emit::grants::privileges(m, &empty, &group);
    let mut errors = Vec::new();
    let mut blocks = Vec::new();
    for &l in logs {
        let log = &m.consent_logs[l];
        let d = &m.datasets[log.dataset];
        let Some((schema, table, span)) = postgres_table(d) else {
            continue;
        };
        let names = (|| -> Result<_, Box<Diagnostic>> {
            let s = ident(schema).map_err(|e| sql_name_error("the schema", e, span))?;
            let t = qualified(schema, table).map_err(|e| sql_name_error("the table", e, span))?;
            let trig_base = format!("{table}_append_only");
            let trig = ident(&trig_base).map_err(|e| {
                sql_name_error("the append-only trigger `<table>_append_only`", e, span)
            })?;
            let mut roles = BTreeMap::new();
            for &r in log.writers.iter().chain(&log.readers) {
                let role = &m.roles[r];
                let rspan = role
                    .decl
                    .db_role
                    .as_ref()
                    .map(|x| x.span)
                    .unwrap_or(role.id.span);
                let q = ident(&role.db_role)
                    .map_err(|e| sql_name_error("the database role", e, rspan))?;
                let lit = literal(&role.db_role)
                    .map_err(|e| sql_name_error("the database role", e, rspan))?;
                roles.insert(role.db_role.clone(), (q, lit));
            }
            Ok((s, t, trig, roles))
        })();
        let (s, t, trig, roles) = match names {
            Ok(n) => n,
            Err(e) => {
                errors.push(*e);
                continue;
            }
        };
        let mut b = String::new();
        b.push_str(&comment(&format!(
            "Consent log {} ({schema}.{table}): append-only; writers {}, readers {}.",
            d.id.value,
            list(log.writers.iter().map(|&r| m.roles[r].db_role.as_str())),
            list(log.readers.iter().map(|&r| m.roles[r].db_role.as_str())),
        )));
        b.push('\n');
        b.push_str(&format!("CREATE SCHEMA IF NOT EXISTS {s};\n"));
        let cols = COLUMNS
            .iter()
            .map(|c| {
                let name = ident(c.name).expect("fixed column name");
                let ty = match c.kind {
                    ColumnKind::RowId => "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY".into(),
                    ColumnKind::Text => "text".into(),
                    ColumnKind::List => "text[]".into(),
                    ColumnKind::Action => format!("text CHECK ({name} IN ('given', 'withdrawn'))"),
                    ColumnKind::Instant => "timestamptz".into(),
                    ColumnKind::RecordedAt => "timestamptz DEFAULT now()".into(),
                };
                let null = if c.required && c.kind != ColumnKind::RowId {
                    " NOT NULL"
                } else {
                    ""
                };
                format!("  {name} {ty}{null}")
            })
            .collect::<Vec<_>>()
            .join(",\n");
        b.push_str(&format!("CREATE TABLE IF NOT EXISTS {t} (\n{cols}\n);\n"));
        for c in COLUMNS {
            b.push_str(&format!(
                "COMMENT ON COLUMN {t}.{} IS {};\n",
                ident(c.name).expect("fixed column name"),
                literal(c.meaning).expect("fixed text")
            ));
        }
        b.push_str(&format!(
            "DROP TRIGGER IF EXISTS {trig} ON {t};\n\
             CREATE TRIGGER {trig} BEFORE UPDATE OR DELETE ON {t}\n  FOR EACH ROW EXECUTE FUNCTION lawful.{APPEND_ONLY_FUNCTION}();\n"
        ));
        let trig_trunc = ident(&format!("{table}_no_truncate"));
        let trig_trunc = match trig_trunc {
            Ok(x) => x,
            Err(e) => {
                errors.push(*sql_name_error(
                    "the trigger `<table>_no_truncate`",
                    e,
                    span,
                ));
                continue;
            }
        };
        b.push_str(&format!(
            "DROP TRIGGER IF EXISTS {trig_trunc} ON {t};\n\
             CREATE TRIGGER {trig_trunc} BEFORE TRUNCATE ON {t}\n  FOR EACH STATEMENT EXECUTE FUNCTION lawful.{APPEND_ONLY_FUNCTION}();\n"
        ));
        // Roles, then grants: revoke everything first, so the file converges.
        for (q, lit) in roles.values() {
            let body = format!(
                " BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {lit}) THEN CREATE ROLE {q} NOLOGIN; END IF; END "
            );
            b.push_str(&format!("DO {};\n", dollar_quote(&body)));
        }
        b.push_str(&format!("REVOKE ALL ON TABLE {t} FROM PUBLIC;\n"));
        for (q, _) in roles.values() {
            b.push_str(&format!("REVOKE ALL ON TABLE {t} FROM {q};\n"));
        }
        for (role, (q, _)) in &roles {
            let acts: Vec<&str> = [Action::Select, Action::Insert]
                .into_iter()
                .filter(|a| {
                    privileges.iter().any(|p| {
                        &p.role == role
                            && p.schema == schema
                            && p.object.as_deref() == Some(table)
                            && p.column.is_none()
                            && p.action == *a
                    })
                })
                .map(|a| match a {
                    Action::Select => "SELECT",
                    Action::Insert => "INSERT",
                    Action::Usage => "USAGE",
                })
                .collect();
            if !acts.is_empty() {
                b.push_str(&format!("GRANT USAGE ON SCHEMA {s} TO {q};\n"));
                b.push_str(&format!("GRANT {} ON TABLE {t} TO {q};\n", acts.join(", ")));
            }
        }
        blocks.push(b);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if blocks.is_empty() {
        return Ok(None);
    }
    let refuse = raise_message(
        "the consent log is append-only: record a withdrawal as a new row with action 'withdrawn'",
    )
    .expect("fixed text");
    let setting = literal(super::RETENTION_SETTING).expect("a fixed name");
    let func = format!(
        "
BEGIN
  -- The retention job (lawful.retain_<dataset>) deletes rows past their period; it says so
  -- for its own transaction. Nothing else may change a row.
  IF TG_OP = 'DELETE' AND current_setting({setting}, true) = 'on' THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION USING
    MESSAGE = format('%s on %s refused', TG_OP, TG_TABLE_SCHEMA || '.' || TG_TABLE_NAME),
    DETAIL = {refuse},
    ERRCODE = 'insufficient_privilege';
END
"
    );
    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(m, group.iter().map(|&i| m.datasets[i].id.span))
    )));
    out.push_str(
        "\n--\n\
         -- Append-only consent logs (GDPR Art 7(1): the controller can demonstrate consent).\n\
         -- Writers may INSERT and SELECT, readers SELECT; triggers refuse UPDATE, DELETE and\n\
         -- TRUNCATE for everyone, owner included. Withdrawal is a new row, never an update.\n\
         -- Applying it again changes nothing; an existing log keeps its rows.\n\n\
         BEGIN;\n",
    );
    out.push_str(STANDARD_STRINGS);
    out.push_str("\nCREATE SCHEMA IF NOT EXISTS lawful;\n");
    out.push_str(&format!(
        "CREATE OR REPLACE FUNCTION lawful.{APPEND_ONLY_FUNCTION}()\nRETURNS trigger\nLANGUAGE plpgsql\nAS {};\n",
        dollar_quote(&func)
    ));
    for b in blocks {
        out.push('\n');
        out.push_str(&b);
    }
    out.push_str("\nCOMMIT;\n");
    Ok(Some(out))
}

fn list<'a>(it: impl Iterator<Item = &'a str>) -> String {
    let v: Vec<&str> = it.collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}
