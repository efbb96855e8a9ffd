//! The append-only consent log for MySQL 8 and MariaDB 10.11: `consent_log.sql`.
//!
//! For each consent-log dataset of the database: `CREATE TABLE IF NOT EXISTS` with the
//! fixed [`COLUMNS`], and three triggers:
//! - `<table>_recorded_at` (`BEFORE INSERT`) sets `recorded_at` to the server's UTC time,
//!   so a writer cannot back-date a row;
//! - `<table>_no_update` and `<table>_no_delete` (`BEFORE UPDATE`, `BEFORE DELETE`) refuse
//!   the statement with `SIGNAL SQLSTATE '45000'`, whoever runs it, the owner and `root`
//!   included; the one exception is the dataset's retention job, which sets the session
//!   variable `@lawful_retention` while it deletes records past their period.
//!   (`TRUNCATE` and `DROP TABLE` fire no trigger; they need the `DROP` privilege, which
//!   the writers and readers never get.)
//!
//! Types: lists are `JSON` arrays (checked with `JSON_VALID`), `action` is
//! `ENUM('given','withdrawn')`, instants are `DATETIME(6)` holding UTC (not `TIMESTAMP`,
//! which ends in 2038 and converts with the session time zone): write `occurred_at` in UTC.
//!
//! Each trigger is dropped (`DROP TRIGGER IF EXISTS`) and created again, so the file
//! converges when applied again. The delete trigger's body is a compound statement, so
//! the file uses `DELIMITER`: apply it with the `mysql` or `mariadb` client. The grants (writers `INSERT` and `SELECT`, readers `SELECT`) are in
//! `grants.sql`.

use super::{COLUMNS, ColumnKind};
use crate::Project;
use crate::emit::retention::mysql::{DELIMITER, RETENTION_VARIABLE};
use crate::emit::{source_list, sql_name_error};
use crate::manifest::types::Engine;
use crate::report::Diagnostic;
use crate::sql::mysql::{comment, ident, literal, qualified};

/// The consent-log DDL for the logs `logs` (indices into `Model::consent_logs`), all in
/// one database.
pub fn generate(p: &Project, logs: &[usize]) -> Result<Option<String>, Vec<Diagnostic>> {
    let m = &p.model;
    let mut errors = Vec::new();
    let mut blocks = Vec::new();
    for &li in logs {
        let log = &m.consent_logs[li];
        let d = &m.datasets[log.dataset];
        let Some(s) = d
            .decl
            .storage
            .as_ref()
            .filter(|s| s.engine == Engine::Mysql)
        else {
            continue;
        };
        let Some(db) = s.schema.as_deref().or(s.database.as_deref()) else {
            errors.push(
                Diagnostic::error(
                    "emit::database-missing",
                    format!(
                        "the consent log `{}` is stored in MySQL but names no `storage.database`",
                        d.id.value
                    ),
                )
                .at(s.span, "no `database` here")
                .with_help("add `database: <name>` to its `storage`"),
            );
            continue;
        };
        let table = &s.table.value;
        let span = s.table.span;
        let name_err = |what: &str, e: String| sql_name_error(what, e, span);
        let q = match qualified(db, table) {
            Ok(q) => q,
            Err(e) => {
                errors.push(*name_err("the consent log table", e));
                continue;
            }
        };
        let trig = |suffix: &str| {
            qualified(db, &format!("{table}_{suffix}"))
                .map_err(|e| name_err("a trigger of the consent log", e))
        };
        let (t_ins, t_upd, t_del) =
            match (trig("recorded_at"), trig("no_update"), trig("no_delete")) {
                (Ok(a), Ok(b), Ok(c)) => (a, b, c),
                (a, b, c) => {
                    errors.extend(
                        [a.err(), b.err(), c.err()]
                            .into_iter()
                            .flatten()
                            .map(|b| *b),
                    );
                    continue;
                }
            };
        let refuse = |verb: &str| {
            // At most 128 characters (MESSAGE_TEXT), so no table name in it.
            literal(&format!(
                "lawful: the consent log is append-only; {verb} is not allowed, record a new row instead"
            ))
            .map_err(|e| name_err("a message", e))
        };
        let (no_upd, no_del) = match (refuse("UPDATE"), refuse("DELETE")) {
            (Ok(a), Ok(b)) => (a, b),
            (a, b) => {
                errors.extend([a.err(), b.err()].into_iter().flatten().map(|b| *b));
                continue;
            }
        };
        let mut cols = Vec::new();
        for c in COLUMNS {
            let n = ident(c.name).expect("fixed column names are valid");
            let null = if c.required { " NOT NULL" } else { " NULL" };
            let def = match c.kind {
                ColumnKind::RowId => format!("{n} BIGINT UNSIGNED NOT NULL AUTO_INCREMENT"),
                ColumnKind::Text => format!("{n} VARCHAR(255) CHARACTER SET utf8mb4{null}"),
                ColumnKind::List => format!("{n} JSON{null}"),
                ColumnKind::Action => format!("{n} ENUM('given', 'withdrawn'){null}"),
                ColumnKind::Instant => format!("{n} DATETIME(6){null}"),
                // The default only satisfies NOT NULL; the trigger below sets UTC.
                ColumnKind::RecordedAt => {
                    format!("{n} DATETIME(6){null} DEFAULT CURRENT_TIMESTAMP(6)")
                }
            };
            let meaning = literal(c.meaning).map_err(|e| name_err("a comment", e));
            match meaning {
                // COMMENT before CHECK: MariaDB reads the column attributes in that order.
                Ok(mm) if c.kind == ColumnKind::List => {
                    cols.push(format!("{def} COMMENT {mm} CHECK (JSON_VALID({n}))"))
                }
                Ok(mm) => cols.push(format!("{def} COMMENT {mm}")),
                Err(e) => errors.push(*e),
            }
        }
        let key = ident(COLUMNS[0].name).expect("fixed");
        let rec = ident("recorded_at").expect("fixed");
        let writers: Vec<&str> = log
            .writers
            .iter()
            .map(|&w| m.roles[w].db_role.as_str())
            .collect();
        let readers: Vec<&str> = log
            .readers
            .iter()
            .map(|&r| m.roles[r].db_role.as_str())
            .collect();
        let mut b = String::new();
        b.push_str(&comment(&format!(
            "Consent log {db}.{table} (dataset {}): append-only. Writers ({}) may INSERT and SELECT, readers ({}) SELECT, in grants.sql.",
            d.id.value,
            if writers.is_empty() { "none".into() } else { writers.join(", ") },
            if readers.is_empty() { "none".into() } else { readers.join(", ") },
        )));
        b.push('\n');
        b.push_str(&format!(
            "CREATE TABLE IF NOT EXISTS {q} (\n  {},\n  PRIMARY KEY ({key})\n) DEFAULT CHARSET = utf8mb4;\n",
            cols.join(",\n  ")
        ));
        b.push_str(&comment(
            "recorded_at is always the server's UTC time of the insert.",
        ));
        b.push('\n');
        b.push_str(&format!("DROP TRIGGER IF EXISTS {t_ins};\n"));
        b.push_str(&format!(
            "CREATE TRIGGER {t_ins} BEFORE INSERT ON {q} FOR EACH ROW SET NEW.{rec} = UTC_TIMESTAMP(6);\n"
        ));
        b.push_str(&comment("No row is ever changed or removed, whoever asks."));
        b.push('\n');
        b.push_str(&format!("DROP TRIGGER IF EXISTS {t_upd};\n"));
        b.push_str(&format!(
            "CREATE TRIGGER {t_upd} BEFORE UPDATE ON {q} FOR EACH ROW SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = {no_upd};\n"
        ));
        b.push_str(&comment(
            "Deletes only from the dataset's retention job, which sets @lawful_retention while it deletes.",
        ));
        b.push('\n');
        b.push_str(&format!("DROP TRIGGER IF EXISTS {t_del};\n"));
        b.push_str(&format!(
            "DELIMITER {DELIMITER}\nCREATE TRIGGER {t_del} BEFORE DELETE ON {q} FOR EACH ROW\nBEGIN\n  IF COALESCE({RETENTION_VARIABLE}, '') <> 'on' THEN\n    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = {no_del};\n  END IF;\nEND{DELIMITER}\nDELIMITER ;\n"
        ));
        blocks.push(b);
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if blocks.is_empty() {
        return Ok(None);
    }
    let mut out = comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(
            m,
            logs.iter()
                .map(|&l| m.datasets[m.consent_logs[l].dataset].id.span)
        )
    ));
    out.push_str(
        "\n--\n\
         -- The append-only consent log (GDPR Art 7(1): the controller must be able to\n\
         -- demonstrate consent; PIPL Art 14, 15). Apply it with the mysql or mariadb client\n\
         -- (it uses DELIMITER) before grants.sql. Withdrawing consent is a new row with action 'withdrawn'.\n",
    );
    for b in blocks {
        out.push('\n');
        out.push_str(&b);
    }
    Ok(Some(out))
}
