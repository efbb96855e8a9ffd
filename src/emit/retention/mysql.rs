//! Retention jobs for MySQL 8 and MariaDB 10.11: `sql/mysql/<database>/retention.sql` and
//! `schedule.sql`.
//!
//! For each MySQL dataset with a retention period, two procedures in the dataset's own
//! database (so the jobs live, and are granted and backed up, with the data they clean):
//!
//! - `` `db`.`lawful_retain_<dataset>`(batch_size INT, salt VARCHAR(255)) `` deletes the
//!   rows whose anchor is older than the period, or anonymises them, `batch_size` rows at a
//!   time (`NULL`: the declared `batch_size`, default 5000) with a `COMMIT` after each
//!   batch, and returns one row with the number of rows touched. `salt` is only used (and
//!   then required) by jobs that hash a field.
//! - `` `db`.`lawful_due_<dataset>`() `` returns one row: the number of rows the job would
//!   touch now (a dry run). A procedure rather than a function, since creating functions is
//!   restricted on servers with binary logging.
//!
//! Batches are `DELETE … WHERE <due> ORDER BY <subject key> LIMIT batch_size` (or `UPDATE
//! … LIMIT` when anonymising), repeated until a batch touches no row. Every statement is
//! bounded by `batch_size` rows; rows without a key (NULL) sort first and are taken like
//! the others. Anonymising only touches rows that still hold something to anonymise (a
//! `null` field not yet NULL, a `hash` field not yet starting with [`HASH_PREFIX`], a
//! `year` field not yet on the 1st of January), so the loop ends, a second run changes
//! nothing, and the dry run counts what is still to do. Methods: `null`, `hash` (`anon:`
//! and the salted SHA-256 digest in hex of the UTF-8 bytes of salt and value,
//! `SHA2(CONVERT(CONCAT(salt, value) USING utf8mb4), 256)`, the same digest PostgreSQL's
//! job computes, whatever the column's character set; cut to the
//! column's length when it is shorter than 69 characters; a column narrower than 13
//! characters is refused before anything changes), `year` (`MAKEDATE(YEAR(value), 1)`),
//! `keep`.
//!
//! Legal holds: a row is never touched while its `legal_hold.column` is true, or while its
//! subject key is listed in `legal_hold.table` (column `legal_hold.key`, default the subject
//! key's column name; `db.table` or a table of the dataset's database).
//!
//! Time: each procedure sets its session `time_zone` to UTC while it runs (restored at the
//! end, and on error), so a `TIMESTAMP` anchor (`anchor_type: timestamptz`; a `DATETIME`
//! holding UTC reads the same) compares as the instant it is. A wall-clock `timestamp` or
//! `date` anchor with a `time_zone` other than UTC is compared with the current time in
//! that zone, `CONVERT_TZ(UTC_TIMESTAMP(6), '+00:00', zone)`: this needs the server's time
//! zone tables (`mariadb-tzinfo-to-sql /usr/share/zoneinfo | mariadb mysql`); without them
//! `CONVERT_TZ` gives NULL and the job stops with an error rather than doing nothing
//! silently. Epoch anchors compare with `UNIX_TIMESTAMP(UTC cutoff)` (× 1000 for
//! milliseconds).
//!
//! Inside the bodies every column is qualified by its table (`` `t`.`c` ``) and every
//! variable starts with `v_`, so a column called `cutoff` or `salt` is never read as a
//! variable (MySQL prefers the variable).
//!
//! How to apply: the routines have bodies with `;` inside, so the file uses the client
//! command `DELIMITER`; apply it with the `mysql` or `mariadb` command-line client
//! (`mariadb sakila < retention.sql`), not through a driver. Each routine is dropped
//! (`DROP PROCEDURE IF EXISTS`) and created again. MySQL DDL commits at once, so there is
//! no transaction around the file; a job removed from the project is not dropped (MySQL
//! cannot drop a routine it finds by name from SQL): drop it by hand.
//!
//! `schedule.sql` holds one event per job (`CREATE EVENT … ON SCHEDULE EVERY n unit STARTS
//! …`, created with the session time zone UTC, so the times are UTC like the cron
//! expression); the server runs events only with `event_scheduler=ON`. A schedule that is
//! not one fixed interval (`0 3 * * 1-5`) cannot be an event and is refused with a
//! diagnostic. A job that hashes needs its salt, which must not be written into an event
//! (event bodies are readable in `information_schema.EVENTS`): it gets no event, only a
//! comment saying to call it from a scheduler that holds the secret.

use super::*;
use crate::Project;
use crate::emit::schedule::{self, Cron};
use crate::emit::{source_list, sql_name_error};
use crate::manifest::types::{AnchorType, AnonymiseMethod, Engine, RetentionAction};
use crate::manifest::{Duration, Period, Span};
use crate::model::{DatasetR, Model};
use crate::report::Diagnostic;
use crate::sql::mysql::{comment, ident, literal, qualified};

/// Name prefix of the MySQL job procedures: `lawful_retain_<dataset>`.
pub const MYSQL_JOB_PREFIX: &str = "lawful_retain_";
/// Name prefix of the MySQL dry-run procedures: `lawful_due_<dataset>`.
pub const MYSQL_DUE_PREFIX: &str = "lawful_due_";
/// The delimiter the file switches to around routine bodies.
pub const DELIMITER: &str = "$$";

/// The session variable a delete job sets (`'on'`) while it deletes: the only deletes a
/// consent log's trigger lets through ([`crate::emit::consent_log::RETENTION_SETTING`] on
/// PostgreSQL). Reset when the job ends or fails.
pub const RETENTION_VARIABLE: &str = "@lawful_retention";

/// The retention files of one database (file name → contents): `retention.sql` and
/// `schedule.sql`.
pub fn generate(p: &Project, group: &[usize]) -> crate::emit::Files {
    let m = &p.model;
    let mut datasets: Vec<&DatasetR> = group
        .iter()
        .map(|&i| &m.datasets[i])
        .filter(|d| storage(d).is_some())
        .collect();
    if datasets.is_empty() {
        return Vec::new();
    }
    datasets.sort_by(|a, b| a.id.value.cmp(&b.id.value));
    let with_ret: Vec<&DatasetR> = datasets
        .iter()
        .copied()
        .filter(|d| d.decl.retention.is_some())
        .collect();
    // Without a retention there is nothing to create, and MySQL cannot drop routines it
    // finds by name, so an empty file would do nothing.
    if with_ret.is_empty() {
        return Vec::new();
    }
    vec![
        ("retention.sql".into(), retention_file(m, group, &with_ret)),
        ("schedule.sql".into(), schedule_file(m, group, &with_ret)),
    ]
}

/// The storage of a MySQL dataset.
fn storage(d: &DatasetR) -> Option<&crate::manifest::types::Storage> {
    d.decl
        .storage
        .as_ref()
        .map(|s| &s.value)
        .filter(|s| s.engine == Engine::Mysql)
}

/// The database of a MySQL dataset, or a diagnostic at its storage.
fn database(d: &DatasetR) -> Result<&str, Box<Diagnostic>> {
    let s = storage(d).expect("a MySQL dataset");
    s.schema
        .as_deref()
        .or(s.database.as_deref())
        .ok_or_else(|| {
            Box::new(
                Diagnostic::error(
                    "emit::database-missing",
                    format!(
                        "dataset `{}` is stored in MySQL but names no `storage.database`",
                        d.id.value
                    ),
                )
                .at(
                    d.decl.storage.as_ref().map(|s| s.span).unwrap_or(d.id.span),
                    "no `database` here",
                )
                .with_help(
                    "MySQL tables live in a database: add `database: <name>` to its `storage`",
                )
                .with_target(format!("datasets.{}", d.id.value)),
            )
        })
}

fn retention_file(
    m: &Model,
    group: &[usize],
    datasets: &[&DatasetR],
) -> Result<Option<String>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut jobs = Vec::new();
    for d in datasets {
        match job(m, d) {
            Ok(s) => jobs.push(s),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(m, group.iter().map(|&i| m.datasets[i].id.span))
    ));
    out.push_str(&format!(
        "\n--\n\
         -- Retention jobs for MySQL 8 and MariaDB 10.11: one procedure per dataset deletes or\n\
         -- anonymises the rows whose retention period has ended, in batches, committing after\n\
         -- each batch:\n\
         --   CALL `<database>`.`{MYSQL_JOB_PREFIX}<dataset>`(NULL, NULL);  -- (batch size, salt)\n\
         -- Each `CALL {MYSQL_DUE_PREFIX}<dataset>()` returns the number of rows the job would touch now.\n\
         -- Apply this file with the mysql or mariadb command-line client (it uses DELIMITER):\n\
         --   mariadb <database> < retention.sql\n\
         -- It drops and creates each procedure again, and changes nothing else.\n"
    ));
    if jobs.is_empty() {
        out.push('\n');
        out.push_str(&comment(
            "No MySQL dataset of this database declares a retention, so there is no job.",
        ));
        out.push('\n');
        return Ok(Some(out));
    }
    out.push_str(&format!("\nDELIMITER {DELIMITER}\n"));
    for j in jobs {
        out.push('\n');
        out.push_str(&j);
    }
    out.push_str("\nDELIMITER ;\n");
    Ok(Some(out))
}

/// A field's anonymisation in the job.
struct Anon<'a> {
    column: &'a str,
    span: Span,
    method: AnonymiseMethod,
}

/// `- INTERVAL 3 YEAR - INTERVAL 6 MONTH`: subtract a period from a datetime expression.
fn minus(d: &Duration) -> String {
    let parts = [
        (d.years, "YEAR"),
        (d.months, "MONTH"),
        (d.weeks, "WEEK"),
        (d.days, "DAY"),
        (d.hours, "HOUR"),
        (d.minutes, "MINUTE"),
        (d.seconds, "SECOND"),
    ];
    let s: Vec<String> = parts
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, u)| format!(" - INTERVAL {n} {u}"))
        .collect();
    s.concat()
}

fn job(m: &Model, d: &DatasetR) -> Result<String, Vec<Diagnostic>> {
    let id = &d.id.value;
    let s = storage(d).expect("a MySQL dataset");
    let ret = d.decl.retention.as_ref().expect("filtered on retention");
    let period = match &ret.period.value {
        Period::Duration(dur) => dur.clone(),
        Period::Indefinite => {
            return Ok(format!(
                "{}\n",
                comment(&format!(
                    "{id}: kept indefinitely, so there is no retention job."
                ))
            ));
        }
    };
    let mut errors: Vec<Diagnostic> = Vec::new();
    let db = match database(d) {
        Ok(db) => Some(db),
        Err(e) => {
            errors.push(*e);
            None
        }
    };
    let key = match d.subject_key {
        Some(k) => Some(&d.fields[k]),
        None => {
            errors.push(
                Diagnostic::error(
                    "emit::retention-needs-subject-key",
                    format!("the retention job of dataset `{id}` needs a subject key"),
                )
                .at(ret.span, "retention declared here")
                .with_secondary(d.id.span, "this dataset declares no `subject_key`")
                .with_help(
                    "the job deletes and anonymises in batches ordered by the subject key; \
                     declare `subject_key: <field>` (the field that identifies the person)",
                )
                .with_target(format!("datasets.{id}")),
            );
            None
        }
    };
    let anchor = match d.anchor {
        Some(a) => Some(&d.fields[a]),
        None => {
            errors.push(
                Diagnostic::error(
                    "emit::retention-anchor",
                    format!(
                        "the retention anchor `{}` of dataset `{id}` is not one of its fields",
                        ret.after.value
                    ),
                )
                .at(ret.after.span, "not a field"),
            );
            None
        }
    };
    let mut anon = Vec::new();
    if ret.then.value == RetentionAction::Anonymise {
        for (i, f) in d.fields.iter().enumerate() {
            let declared = f.decl.anonymise.as_ref();
            if Some(i) == d.subject_key {
                if let Some(a) = declared.filter(|a| a.value != AnonymiseMethod::Keep) {
                    errors.push(
                        Diagnostic::error(
                            "emit::retention-anonymise-key",
                            format!("the subject key `{}` of dataset `{id}` cannot be anonymised by the retention job", f.name.value),
                        )
                        .at(a.span, "anonymises the subject key")
                        .with_help("the job orders its batches by the subject key; drop `anonymise` here, or delete the rows instead (`then: delete`)"),
                    );
                }
                continue;
            }
            let method = match declared {
                Some(a) => a.value,
                None if Some(i) != d.anchor && f.is_personal(&m.taxonomy) => AnonymiseMethod::Null,
                None => AnonymiseMethod::Keep,
            };
            if method != AnonymiseMethod::Keep {
                anon.push(Anon {
                    column: &f.column,
                    span: f
                        .decl
                        .column
                        .as_ref()
                        .map(|c| c.span)
                        .unwrap_or(f.name.span),
                    method,
                });
            }
        }
        if anon.is_empty() && errors.is_empty() {
            errors.push(
                Diagnostic::error(
                    "emit::retention-anonymise-nothing",
                    format!("dataset `{id}` is anonymised when its retention ends, but no field would change"),
                )
                .at(ret.then.span, "anonymise")
                .with_help("give personal fields an `anonymise` method (`null`, `hash`, `year`), or delete the rows (`then: delete`)"),
            );
        }
    }
    // The legal hold column, a field of this dataset.
    let hold_col = match ret.legal_hold.as_ref().and_then(|h| h.column.as_ref()) {
        Some(c) => match d
            .fields
            .iter()
            .find(|f| f.name.value == c.value || f.column == c.value)
        {
            Some(f) => Some((f.column.as_str(), c.span)),
            None => {
                errors.push(
                    Diagnostic::error(
                        "emit::retention-legal-hold",
                        format!(
                            "the legal hold column `{}` of dataset `{id}` is not one of its fields",
                            c.value
                        ),
                    )
                    .at(c.span, "not a field")
                    .with_help("name a boolean field of this dataset that is true for held rows"),
                );
                None
            }
        },
        None => None,
    };
    let (Some(db), Some(key), Some(anchor)) = (db, key, anchor) else {
        return Err(errors);
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    render(RenderArgs {
        d,
        db,
        table: &s.table.value,
        table_span: s.table.span,
        key: (&key.column, key.name.span),
        anchor: (&anchor.column, anchor.name.span),
        hold_col,
        period: &period,
        anon: &anon,
    })
    .map_err(|e| vec![*e])
}

struct RenderArgs<'a> {
    d: &'a DatasetR,
    db: &'a str,
    table: &'a str,
    table_span: Span,
    key: (&'a str, Span),
    anchor: (&'a str, Span),
    hold_col: Option<(&'a str, Span)>,
    period: &'a Duration,
    anon: &'a [Anon<'a>],
}

fn render(a: RenderArgs) -> Result<String, Box<Diagnostic>> {
    let d = a.d;
    let id = &d.id.value;
    let ret = d.decl.retention.as_ref().expect("has retention");
    let err = |what: &'static str, span: Span| move |e: String| sql_name_error(what, e, span);
    let proc_name = qualified(a.db, &format!("{MYSQL_JOB_PREFIX}{id}"))
        .map_err(err("the retention procedure of this dataset", d.id.span))?;
    let due_name = qualified(a.db, &format!("{MYSQL_DUE_PREFIX}{id}"))
        .map_err(err("the dry-run procedure of this dataset", d.id.span))?;
    let tbl = qualified(a.db, a.table).map_err(err("the table", a.table_span))?;
    // Columns are qualified by the bare table name, which the statements below reach as
    // `db`.`table`.
    let t = ident(a.table).map_err(err("the table", a.table_span))?;
    let col = |c: &str, span: Span| -> Result<String, Box<Diagnostic>> {
        Ok(format!(
            "{t}.{}",
            ident(c).map_err(|e| sql_name_error("the column", e, span))?
        ))
    };
    let key = col(a.key.0, a.key.1)?;
    let anchor = col(a.anchor.0, a.anchor.1)?;

    // The cutoff, in the anchor's terms (the session time zone is UTC).
    let zone_name = ret
        .time_zone
        .as_ref()
        .map(|z| z.value.as_str())
        .unwrap_or("UTC");
    let zone_span = ret.time_zone.as_ref().map(|z| z.span).unwrap_or(d.id.span);
    let now_in_zone = if zone_name == "UTC" {
        "UTC_TIMESTAMP(6)".to_string()
    } else {
        let z = literal(zone_name).map_err(err("the time zone", zone_span))?;
        format!("CONVERT_TZ(UTC_TIMESTAMP(6), '+00:00', {z})")
    };
    let minus = minus(a.period);
    let utc_cutoff = format!("UTC_TIMESTAMP(6){minus}");
    let (cutoff_type, cutoff) = match ret.anchor_type {
        AnchorType::Timestamptz => ("DATETIME(6)", utc_cutoff),
        AnchorType::Timestamp => ("DATETIME(6)", format!("{now_in_zone}{minus}")),
        AnchorType::Date => ("DATE", format!("DATE({now_in_zone}{minus})")),
        AnchorType::EpochSeconds => ("BIGINT", format!("FLOOR(UNIX_TIMESTAMP({utc_cutoff}))")),
        AnchorType::EpochMilliseconds => (
            "BIGINT",
            format!("FLOOR(UNIX_TIMESTAMP({utc_cutoff}) * 1000)"),
        ),
    };

    // The rows never touched: legal holds.
    let mut held = Vec::new();
    if let Some((c, span)) = a.hold_col {
        held.push(format!("NOT COALESCE({}, FALSE)", col(c, span)?));
    }
    if let Some(h) = ret.legal_hold.as_ref()
        && let Some(ht) = h.table.as_ref()
    {
        let (hdb, htable) = match ht.value.split_once('.') {
            Some((x, y)) => (x, y),
            None => (a.db, ht.value.as_str()),
        };
        let hq = qualified(hdb, htable).map_err(err("the legal hold table", ht.span))?;
        let hkey_name = super::hold_key(d).unwrap_or(a.key.0);
        let hkey_span = h.key.as_ref().map(|k| k.span).unwrap_or(ht.span);
        let hkey = ident(hkey_name).map_err(err("the legal hold key column", hkey_span))?;
        held.push(format!(
            "NOT EXISTS (SELECT 1 FROM {hq} AS lawful_hold WHERE lawful_hold.{hkey} = {tbl}.{hkey})"
        ));
    }

    // SET clauses and the "still to anonymise" condition.
    let anonymise = ret.then.value == RetentionAction::Anonymise;
    let mut sets = Vec::new();
    let mut pending = Vec::new();
    let (mut nulled, mut hashed, mut yeared) = (Vec::new(), Vec::new(), Vec::new());
    let mut declares = Vec::new();
    let mut checks = Vec::new();
    let prefix = literal(HASH_PREFIX).map_err(err("the hash prefix", d.id.span))?;
    let prefix_like =
        literal(&format!("{HASH_PREFIX}%")).map_err(err("the hash prefix", d.id.span))?;
    let prefix_len = HASH_PREFIX.chars().count();
    for an in a.anon {
        let c = col(an.column, an.span)?;
        match an.method {
            AnonymiseMethod::Null => {
                sets.push(format!("{c} = NULL"));
                pending.push(format!("{c} IS NOT NULL"));
                nulled.push(an.column);
            }
            AnonymiseMethod::Hash => {
                let n = hashed.len() + 1;
                let lit = |v: &str, what: &'static str| {
                    literal(v).map_err(|e| sql_name_error(what, e, an.span))
                };
                let (ldb, ltable, lcol) = (
                    lit(a.db, "the database")?,
                    lit(a.table, "the table")?,
                    lit(an.column, "the column")?,
                );
                declares.push(format!("  DECLARE v_hash_hex_{n} INT DEFAULT 64;\n"));
                let narrow = literal(&format!(
                    "lawful: a hashed column is too narrow for {HASH_PREFIX} and {MIN_HASH_HEX} hex digits; nothing was changed"
                ))
                .map_err(err("a message", d.id.span))?;
                checks.push(format!(
                    "  SELECT LEAST(64, COALESCE(MAX(c.CHARACTER_MAXIMUM_LENGTH) - {prefix_len}, 64)) INTO v_hash_hex_{n}\n    FROM information_schema.COLUMNS AS c\n    WHERE c.TABLE_SCHEMA = {ldb} AND c.TABLE_NAME = {ltable} AND c.COLUMN_NAME = {lcol};\n  IF v_hash_hex_{n} < {MIN_HASH_HEX} THEN\n    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = {narrow};\n  END IF;\n"
                ));
                sets.push(format!(
                    "{c} = CONCAT({prefix}, LEFT(SHA2(CONVERT(CONCAT(v_salt, {c}) USING utf8mb4), 256), v_hash_hex_{n}))"
                ));
                pending.push(format!("{c} NOT LIKE {prefix_like}"));
                hashed.push(an.column);
            }
            AnonymiseMethod::Year => {
                sets.push(format!("{c} = MAKEDATE(YEAR({c}), 1)"));
                pending.push(format!("{c} <> MAKEDATE(YEAR({c}), 1)"));
                yeared.push(an.column);
            }
            AnonymiseMethod::Keep => {}
        }
    }
    let needs_salt = !hashed.is_empty();
    let mut due = vec![format!("{anchor} < v_cutoff")];
    if anonymise {
        due.push(format!("({})", pending.join("\n         OR ")));
    }
    due.extend(held);
    let due = due.join("\n      AND ");

    let batch = ret.batch_size.unwrap_or(DEFAULT_BATCH_SIZE);
    let when = format!("{} after {}", a.period.to_english(), a.anchor.0);
    let mut out = String::new();
    let mut header = vec![if anonymise {
        format!("{id}: anonymises rows {when}, {batch} rows at a time.")
    } else {
        format!("{id}: deletes rows {when}, {batch} rows at a time.")
    }];
    if !nulled.is_empty() {
        header.push(format!("Sets to NULL: {}.", nulled.join(", ")));
    }
    if !hashed.is_empty() {
        header.push(format!(
            "Replaces with {HASH_PREFIX} and a salted SHA-256 hash: {}. Pass the salt: CALL {proc_name}(NULL, '<secret>');",
            hashed.join(", ")
        ));
    }
    if !yeared.is_empty() {
        header.push(format!("Keeps only the year of: {}.", yeared.join(", ")));
    }
    if let Some(h) = ret.legal_hold.as_ref() {
        let mut w = Vec::new();
        if let Some((c, _)) = a.hold_col {
            w.push(format!("rows whose {c} is true"));
        }
        if let Some(t) = h.table.as_ref() {
            w.push(format!("subjects listed in {}", t.value));
        }
        header.push(format!("Never touches {} (legal hold).", w.join(" or ")));
    }
    header.push(format!(
        "Table {}.{}, batches ordered by {}; {} holds {}.",
        a.db,
        a.table,
        a.key.0,
        a.anchor.0,
        match ret.anchor_type {
            AnchorType::Timestamptz => "an instant (a TIMESTAMP, or a DATETIME in UTC)".to_string(),
            AnchorType::Timestamp => format!("a wall-clock DATETIME in {zone_name}"),
            AnchorType::Date => format!("a calendar date in {zone_name}"),
            AnchorType::EpochSeconds => "seconds since 1970-01-01 UTC".to_string(),
            AnchorType::EpochMilliseconds => "milliseconds since 1970-01-01 UTC".to_string(),
        }
    ));
    for h in &header {
        out.push_str(&comment(h));
        out.push('\n');
    }

    let no_zone = literal(&format!(
        "lawful: the time zone {zone_name} is unknown to this server; load its time zone tables"
    ))
    .map_err(err("the time zone", zone_span))?;
    let zone_check = if zone_name == "UTC" {
        String::new()
    } else {
        format!(
            "  IF v_cutoff IS NULL THEN\n    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = {no_zone};\n  END IF;\n"
        )
    };
    let prelude = format!(
        "  DECLARE v_cutoff {cutoff_type};
  DECLARE v_time_zone VARCHAR(64) DEFAULT @@session.time_zone;
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    SET @@session.time_zone = v_time_zone;
    SET {RETENTION_VARIABLE} = NULL;
    RESIGNAL;
  END;
  SET @@session.time_zone = '+00:00';
  SET v_cutoff = {cutoff};
{zone_check}"
    );
    // A delete announces itself to the append-only triggers of a consent log
    // (crate::emit::consent_log::mysql), which let only retention jobs delete.
    let head = if anonymise {
        format!("UPDATE {tbl}\n      SET {}", sets.join(",\n          "))
    } else {
        format!("SET {RETENTION_VARIABLE} = 'on';\n    DELETE FROM {tbl}")
    };
    let no_batch =
        literal("lawful: batch_size must be at least 1").map_err(err("a message", d.id.span))?;
    let salt_check = if needs_salt {
        let m =
            literal("lawful: this job hashes, so it needs a salt: CALL it with (NULL, '<secret>')")
                .map_err(err("a message", d.id.span))?;
        format!(
            "  IF v_salt IS NULL OR v_salt = '' THEN\n    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = {m};\n  END IF;\n"
        )
    } else {
        String::new()
    };
    let declares = declares.concat();
    let checks = checks.concat();
    let counted = if anonymise {
        "rows_anonymised"
    } else {
        "rows_deleted"
    };
    out.push_str(&format!(
        "DROP PROCEDURE IF EXISTS {proc_name}{DELIMITER}\n"
    ));
    out.push_str(&format!(
        "CREATE PROCEDURE {proc_name}(IN v_batch_size INT, IN v_salt VARCHAR(255) CHARACTER SET utf8mb4)
MODIFIES SQL DATA
BEGIN
  DECLARE v_touched BIGINT DEFAULT 0;
  DECLARE v_total BIGINT DEFAULT 0;
{declares}{prelude}  SET v_batch_size = COALESCE(v_batch_size, {batch});
  IF v_batch_size < 1 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = {no_batch};
  END IF;
{salt_check}{checks}  batches: LOOP
    {head}
      WHERE {due}
      ORDER BY {key}
      LIMIT v_batch_size;
    SET v_touched = ROW_COUNT();
    SET v_total = v_total + v_touched;
    COMMIT;
    IF v_touched < v_batch_size THEN
      LEAVE batches;
    END IF;
  END LOOP batches;
  SET {RETENTION_VARIABLE} = NULL;
  SET @@session.time_zone = v_time_zone;
  SELECT v_total AS {counted};
END{DELIMITER}\n\n"
    ));
    out.push_str(&comment(&format!(
        "How many {id} rows {MYSQL_JOB_PREFIX}{id} would {} now.",
        if anonymise { "anonymise" } else { "delete" }
    )));
    out.push('\n');
    out.push_str(&format!("DROP PROCEDURE IF EXISTS {due_name}{DELIMITER}\n"));
    out.push_str(&format!(
        "CREATE PROCEDURE {due_name}()
READS SQL DATA
BEGIN
{prelude}  SELECT COUNT(*) AS due_rows FROM {tbl}
    WHERE {due};
  SET @@session.time_zone = v_time_zone;
END{DELIMITER}\n"
    ));
    Ok(out)
}

/// Declaration problems of MySQL retention jobs, for `lawful check` (errors): a schedule
/// that is a valid cron expression but not one fixed interval, which no MySQL event can
/// express (`emit::retention-schedule-mysql`, at the schedule). The generator refuses the
/// same schedules.
pub fn check(m: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for d in &m.datasets {
        if storage(d).is_none()
            || d.decl
                .retention
                .as_ref()
                .is_none_or(|r| matches!(r.period.value, Period::Indefinite))
        {
            continue;
        }
        if let Some((Ok(cron), span)) = schedule::of(d)
            && cron.interval().is_none()
        {
            out.push(not_an_interval(d, &cron, span));
        }
    }
    out
}

fn not_an_interval(d: &DatasetR, cron: &Cron, span: Span) -> Diagnostic {
    let id = &d.id.value;
    Diagnostic::error(
        "emit::retention-schedule-mysql",
        format!(
            "the retention schedule `{}` of dataset `{id}` is not one fixed interval, which is all a MySQL event can express",
            cron.text()
        ),
    )
    .at(span, "not every n minutes, hours, days, weeks or months")
    .with_help("use a schedule such as `0 3 * * *` (daily), `0 2 * * 0` (weekly), `0 1 1 * *` (monthly) or `*/30 * * * *`, or run the job from another scheduler")
    .with_target(format!("datasets.{id}"))
}

/// `schedule.sql`: one event per job, or the diagnostics of schedules MySQL cannot hold.
fn schedule_file(
    m: &Model,
    group: &[usize],
    datasets: &[&DatasetR],
) -> Result<Option<String>, Vec<Diagnostic>> {
    let mut errors = Vec::new();
    let mut blocks = Vec::new();
    for d in datasets {
        let ret = d.decl.retention.as_ref().expect("filtered");
        if matches!(ret.period.value, Period::Indefinite) {
            continue;
        }
        let Some((Ok(cron), span)) = schedule::of(d) else {
            // An invalid cron expression is reported by schedule::check.
            continue;
        };
        match event(m, d, &cron, span) {
            Ok(b) => blocks.push(b),
            Err(e) => errors.push(*e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out = comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(m, group.iter().map(|&i| m.datasets[i].id.span))
    ));
    out.push_str(
        "\n--\n\
         -- When the retention jobs run: one MySQL event per job, at the times of its cron\n\
         -- schedule (UTC). Apply it after retention.sql; the server runs events only with\n\
         -- event_scheduler=ON. Each event is dropped and created again.\n\n\
         SET time_zone = '+00:00';\n",
    );
    if blocks.is_empty() {
        out.push('\n');
        out.push_str(&comment("No job of this database needs an event."));
        out.push('\n');
    }
    for b in blocks {
        out.push('\n');
        out.push_str(&b);
    }
    Ok(Some(out))
}

fn event(m: &Model, d: &DatasetR, cron: &Cron, span: Span) -> Result<String, Box<Diagnostic>> {
    let _ = m;
    let id = &d.id.value;
    let db = database(d)?;
    let name = qualified(db, &format!("{MYSQL_JOB_PREFIX}{id}"))
        .map_err(|e| sql_name_error("the event of this dataset", e, d.id.span))?;
    let Some(iv) = cron.interval() else {
        return Err(Box::new(not_an_interval(d, cron, span)));
    };
    let hashes = d.decl.retention.as_ref().is_some_and(|r| {
        r.then.value == RetentionAction::Anonymise
            && d.fields.iter().any(|f| {
                f.decl
                    .anonymise
                    .as_ref()
                    .is_some_and(|a| a.value == AnonymiseMethod::Hash)
            })
    });
    let mut out = comment(&format!("{id}: {} (cron, UTC).", cron.text()));
    out.push('\n');
    if hashes {
        out.push_str(&comment(&format!(
            "{MYSQL_JOB_PREFIX}{id} hashes with a secret salt, which must not be written into an event (events are readable in information_schema.EVENTS): call it from a scheduler that holds the salt."
        )));
        out.push('\n');
        out.push_str(&format!("DROP EVENT IF EXISTS {name};\n"));
        return Ok(out);
    }
    // A fixed first run, so the output never depends on the day it is generated:
    // 2000-01-02 was a Sunday.
    let day = match (iv.weekday, iv.day) {
        (Some(w), _) => 2 + w,
        (None, Some(dd)) => dd,
        _ => 1,
    };
    let starts = format!(
        "'2000-01-{day:02} {:02}:{:02}:00'",
        iv.hour.unwrap_or(0),
        iv.minute.unwrap_or(0)
    );
    out.push_str(&format!("DROP EVENT IF EXISTS {name};\n"));
    out.push_str(&format!(
        "CREATE EVENT {name}\n  ON SCHEDULE EVERY {} {} STARTS {starts}\n  ON COMPLETION PRESERVE\n  DO CALL {name}(NULL, NULL);\n",
        iv.every, iv.unit
    ));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_become_interval_subtractions() {
        let d = Duration::parse("P1Y6M").unwrap();
        assert_eq!(minus(&d), " - INTERVAL 1 YEAR - INTERVAL 6 MONTH");
        let d = Duration::parse("PT36H").unwrap();
        assert_eq!(minus(&d), " - INTERVAL 36 HOUR");
    }
}
