//! Retention jobs for Snowflake: `sql/snowflake[/<database>]/retention.sql`.
//!
//! For each Snowflake dataset with a retention period, in the schema `LAWFUL` of its
//! database:
//!
//! - a view `"LAWFUL"."due_<dataset>"` with one column `due`: the number of rows the job
//!   would delete or anonymise now (the dry run: `SELECT "due" FROM "LAWFUL"."due_x";`);
//! - a procedure `"LAWFUL"."retain_<dataset>"()` (`LANGUAGE SQL`, Snowflake Scripting),
//!   taking a `SALT` argument when a field is hashed, that deletes or anonymises the due rows
//!   in one statement and returns how many it touched;
//! - a task `"LAWFUL"."task_<dataset>"` that calls it on the dataset's schedule
//!   (`SCHEDULE = 'USING CRON <schedule> UTC'`, serverless: no warehouse named), resumed so
//!   it runs. A job that hashes needs the salt, which must not sit in this file: its task is
//!   left suspended, and the file says how to give it the salt and resume it.
//!
//! **No batches.** Snowflake stores tables in immutable micro-partitions and has no row
//! locks: a `DELETE` or `UPDATE` never blocks readers, only other writes to the same table
//! while it runs, and every statement rewrites the micro-partitions it touches. Batching
//! would rewrite the same partitions many times over. So each job is one statement;
//! `batch_size` does not apply here.
//!
//! Due rows are those whose anchor is older than the period, computed when the statement
//! starts: from `CURRENT_TIMESTAMP()` for `timestamptz` anchors and epoch seconds or
//! milliseconds (UTC), from the wall-clock time in the declared `time_zone` for `timestamp`
//! (`TIMESTAMP_NTZ`) and `date` anchors. Rows on legal hold are never due: a
//! `legal_hold.column` that is true, or a subject key listed in `legal_hold.table`.
//! Anonymising only touches rows that still hold something to anonymise (`null` fields not
//! yet NULL, `hash` fields not yet starting with `anon:`, `year` fields not yet truncated),
//! so a second run changes nothing and hashed values are never hashed again. `hash` writes
//! `anon:` and the hex SHA-256 (`SHA2(…, 256)`) of the salt followed by the value.
//!
//! Convergence: the file drops the schema `LAWFUL` with everything in it and creates it
//! again, so jobs of datasets no longer declared go. The schema belongs to lawful; a table
//! stored in a schema called `LAWFUL` is refused.

use super::HASH_PREFIX;
use crate::Project;
use crate::emit::{source_list, sql_name_error};
use crate::manifest::types::{AnchorType, AnonymiseMethod, Engine, RetentionAction};
use crate::manifest::{Duration, Period, Span};
use crate::model::{DatasetR, Model};
use crate::report::Diagnostic;
use crate::sql::snowflake::{body, comment, ident, literal, qualified, schema_name};

/// The schema of the jobs.
pub const JOB_SCHEMA: &str = "LAWFUL";
/// Name prefix of the tasks (procedures are `retain_<dataset>`, dry runs `due_<dataset>`).
pub const TASK_PREFIX: &str = "task_";

/// A field's anonymisation.
pub(crate) struct Anon {
    pub column: String,
    pub method: AnonymiseMethod,
    pub span: Span,
    pub sql_type: Option<String>,
}

/// Where a hold table is and which of its columns holds the subject key.
pub(crate) struct HoldTable {
    pub schema: Option<String>,
    pub table: String,
    pub key: String,
    pub span: Span,
}

/// What one job does, engine-neutral: checked against the dataset's fields.
pub(crate) struct JobPlan<'a> {
    pub dataset: &'a DatasetR,
    pub period: Duration,
    pub anchor: String,
    pub anchor_span: Span,
    pub anonymise: bool,
    pub anon: Vec<Anon>,
    /// The boolean hold column, as a column name.
    pub hold_column: Option<String>,
    /// The hold table and the dataset's subject-key column it is matched on.
    pub hold_table: Option<(HoldTable, String)>,
}

/// The job of dataset `d`; `Ok(None)` when it is kept indefinitely.
///
/// Errors: the anchor is not a field; the legal hold names a column that is not a field, or
/// a table while the dataset has no subject key; anonymising changes nothing or touches the
/// subject key.
pub(crate) fn plan_job<'a>(
    m: &Model,
    d: &'a DatasetR,
) -> Result<Option<JobPlan<'a>>, Vec<Diagnostic>> {
    let id = &d.id.value;
    let ret = d.decl.retention.as_ref().expect("a retention");
    let period = match &ret.period.value {
        Period::Duration(dur) => dur.clone(),
        Period::Indefinite => return Ok(None),
    };
    let target = format!("datasets.{id}");
    let mut errors = Vec::new();
    let anchor = d.anchor.map(|a| &d.fields[a]);
    if anchor.is_none() {
        errors.push(
            Diagnostic::error(
                "emit::retention-anchor",
                format!(
                    "the retention anchor `{}` of dataset `{id}` is not one of its fields",
                    ret.after.value
                ),
            )
            .at(ret.after.span, "not a field")
            .with_target(target.clone()),
        );
    }
    let mut hold_column = None;
    let mut hold_table = None;
    if let Some(h) = &ret.legal_hold {
        if let Some(c) = &h.column {
            match d.fields.iter().find(|f| f.name.value == c.value || f.column == c.value) {
                Some(f) => hold_column = Some(f.column.clone()),
                None => errors.push(
                    Diagnostic::error(
                        "emit::legal-hold-column",
                        format!("the legal-hold column `{}` is not a field of dataset `{id}`", c.value),
                    )
                    .at(c.span, "not a field")
                    .with_help("declare the boolean hold column under `fields:` (category `non_personal.operational`), or name an existing field")
                    .with_target(target.clone()),
                ),
            }
        }
        if let Some(t) = &h.table {
            match super::hold_key(d) {
                Some(k) => {
                    let (schema, table) = match t.value.split_once('.') {
                        Some((s, t)) => (Some(s.to_string()), t.to_string()),
                        None => (None, t.value.clone()),
                    };
                    hold_table = Some((
                        HoldTable {
                            schema,
                            table,
                            key: k.to_string(),
                            span: t.span,
                        },
                        k.to_string(),
                    ));
                }
                None => errors.push(
                    Diagnostic::error(
                        "emit::legal-hold-needs-subject-key",
                        format!("the legal-hold table of dataset `{id}` lists subject keys, but the dataset declares no `subject_key`"),
                    )
                    .at(t.span, "matched on the subject key")
                    .with_help("declare `subject_key: <field>` on the dataset")
                    .with_target(target.clone()),
                ),
            }
        }
    }
    let anonymise = ret.then.value == RetentionAction::Anonymise;
    let mut anon = Vec::new();
    if anonymise {
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
                        .with_help("drop `anonymise` here, or delete the rows instead (`then: delete`)")
                        .with_target(target.clone()),
                    );
                }
                continue;
            }
            if Some(&f.column) == hold_column.as_ref() {
                continue;
            }
            let method = match declared {
                Some(a) => a.value,
                None if Some(i) != d.anchor && f.is_personal(&m.taxonomy) => AnonymiseMethod::Null,
                None => AnonymiseMethod::Keep,
            };
            if method != AnonymiseMethod::Keep {
                anon.push(Anon {
                    column: f.column.clone(),
                    method,
                    span: declared.map(|a| a.span).unwrap_or(f.name.span),
                    sql_type: f.decl.sql_type.as_ref().map(|t| t.value.clone()),
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
                .with_help("give personal fields an `anonymise` method (`null`, `hash`, `year`), or delete the rows (`then: delete`)")
                .with_target(target),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let anchor = anchor.expect("checked");
    Ok(Some(JobPlan {
        dataset: d,
        period,
        anchor: anchor.column.clone(),
        anchor_span: anchor.name.span,
        anonymise,
        anon,
        hold_column,
        hold_table,
    }))
}

/// The period as `(unit, amount)` pairs, largest first, weeks as days; zero parts left out.
pub(crate) fn period_parts(p: &Duration) -> Vec<(&'static str, u32)> {
    [
        ("year", p.years),
        ("month", p.months),
        ("day", p.weeks * 7 + p.days),
        ("hour", p.hours),
        ("minute", p.minutes),
        ("second", p.seconds),
    ]
    .into_iter()
    .filter(|(_, n)| *n > 0)
    .collect()
}

/// `DATEADD(<unit>, -n, …)` around `base` for each part of the period.
fn minus(base: &str, p: &Duration) -> String {
    let mut e = base.to_string();
    for (unit, n) in period_parts(p) {
        e = format!("DATEADD({unit}, -{n}, {e})");
    }
    e
}

/// The file for one database's Snowflake datasets.
pub fn generate(p: &Project, group: &[usize]) -> crate::emit::Files {
    vec![("retention.sql".into(), file(p, group))]
}

fn sf_table(d: &DatasetR) -> Option<(String, &str, Span)> {
    let s = d.decl.storage.as_ref()?;
    (s.engine == Engine::Snowflake).then(|| {
        (
            s.schema.clone().unwrap_or_else(|| "PUBLIC".into()),
            s.table.value.as_str(),
            s.table.span,
        )
    })
}

fn file(p: &Project, group: &[usize]) -> Result<Option<String>, Vec<Diagnostic>> {
    let m = &p.model;
    let mut datasets: Vec<&DatasetR> = group
        .iter()
        .map(|&i| &m.datasets[i])
        .filter(|d| sf_table(d).is_some())
        .collect();
    if datasets.is_empty() {
        return Ok(None);
    }
    datasets.sort_by(|a, b| a.id.value.cmp(&b.id.value));
    let db = datasets
        .iter()
        .find_map(|d| d.decl.storage.as_ref().and_then(|s| s.database.as_deref()));
    let mut errors = Vec::new();
    for d in &datasets {
        let (schema, _, span) = sf_table(d).expect("filtered");
        if schema == JOB_SCHEMA {
            errors.push(
                Diagnostic::error(
                    "emit::snowflake-lawful-schema",
                    format!("dataset `{}` is stored in the schema `{JOB_SCHEMA}`, which lawful's retention jobs own and replace", d.id.value),
                )
                .at(span, "in schema LAWFUL")
                .with_help("move the table to another schema; lawful drops and recreates LAWFUL each time the retention file is applied")
                .with_target(format!("datasets.{}", d.id.value)),
            );
        }
    }
    let mut jobs = Vec::new();
    for d in &datasets {
        if d.decl.retention.is_none() {
            continue;
        }
        match plan_job(m, d) {
            Ok(Some(j)) => match render(db, &j) {
                Ok(s) => jobs.push(s),
                Err(e) => errors.push(*e),
            },
            Ok(None) => jobs.push(format!(
                "{}\n",
                comment(&format!(
                    "{}: kept indefinitely, so there is no retention job.",
                    d.id.value
                ))
            )),
            Err(e) => errors.extend(e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let schema = schema_name(db, JOB_SCHEMA)
        .map_err(|e| vec![*sql_name_error("the database", e, datasets[0].id.span)])?;
    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(m, datasets.iter().map(|d| d.id.span))
    )));
    out.push_str(
        "\n--\n\
         -- Retention jobs for Snowflake: for each dataset, a procedure that deletes or\n\
         -- anonymises the rows whose retention period has ended, in one statement (Snowflake\n\
         -- has no row locks and rewrites micro-partitions, so batches would only repeat work),\n\
         -- a task that calls it on the dataset's schedule (cron, UTC), and a view counting the\n\
         -- rows it would touch now (the dry run). Applying this file drops the schema LAWFUL\n\
         -- and creates it again with the jobs below: lawful owns that schema.\n\
         -- Run it as a role that owns the tables and may EXECUTE TASK and EXECUTE MANAGED TASK.\n\n",
    );
    out.push_str(&format!(
        "DROP SCHEMA IF EXISTS {schema} CASCADE;\nCREATE SCHEMA {schema};\n"
    ));
    if jobs.is_empty() {
        out.push('\n');
        out.push_str(&comment(
            "No Snowflake dataset of this database declares a retention, so there is no job.",
        ));
        out.push('\n');
    }
    for j in jobs {
        out.push('\n');
        out.push_str(&j);
    }
    Ok(Some(out))
}

fn render(db: Option<&str>, j: &JobPlan) -> Result<String, Box<Diagnostic>> {
    let d = j.dataset;
    let id = &d.id.value;
    let ret = d.decl.retention.as_ref().expect("a retention");
    let (schema, table, table_span) = sf_table(d).expect("a Snowflake dataset");
    let name_err = |what: &'static str, span: Span| move |e: String| sql_name_error(what, e, span);
    let tbl = qualified(db, &schema, table).map_err(name_err("the table", table_span))?;
    let anchor =
        ident(&j.anchor).map_err(name_err("the retention anchor column", j.anchor_span))?;
    let proc_name = qualified(db, JOB_SCHEMA, &format!("{}{id}", super::JOB_PREFIX)).map_err(
        name_err("the retention procedure of this dataset", d.id.span),
    )?;
    let task_name = qualified(db, JOB_SCHEMA, &format!("{TASK_PREFIX}{id}"))
        .map_err(name_err("the retention task of this dataset", d.id.span))?;
    let due_name = qualified(db, JOB_SCHEMA, &format!("{}{id}", super::DUE_PREFIX))
        .map_err(name_err("the dry-run view of this dataset", d.id.span))?;
    let zone_name = ret
        .time_zone
        .as_ref()
        .map(|z| z.value.as_str())
        .unwrap_or("UTC");
    let zone = literal(zone_name).map_err(name_err("the time zone", d.id.span))?;
    let now = "CURRENT_TIMESTAMP()";
    let cutoff = match ret.anchor_type {
        AnchorType::Timestamptz => minus(now, &j.period),
        AnchorType::Timestamp => minus(
            &format!("CAST(CONVERT_TIMEZONE({zone}, {now}) AS TIMESTAMP_NTZ)"),
            &j.period,
        ),
        AnchorType::Date => format!(
            "CAST({} AS DATE)",
            minus(
                &format!("CAST(CONVERT_TIMEZONE({zone}, {now}) AS TIMESTAMP_NTZ)"),
                &j.period
            )
        ),
        AnchorType::EpochSeconds => format!("DATE_PART(epoch_second, {})", minus(now, &j.period)),
        AnchorType::EpochMilliseconds => {
            format!("DATE_PART(epoch_millisecond, {})", minus(now, &j.period))
        }
    };
    let mut due = vec![format!("{anchor} < {cutoff}")];
    if let Some(c) = &j.hold_column {
        let q = ident(c).map_err(name_err("the legal-hold column", d.id.span))?;
        due.push(format!("NOT COALESCE({q}, FALSE)"));
    }
    if let Some((h, key)) = &j.hold_table {
        let ht = qualified(db, h.schema.as_deref().unwrap_or(&schema), &h.table)
            .map_err(name_err("the legal-hold table", h.span))?;
        let hk = ident(&h.key).map_err(name_err("the legal-hold key column", h.span))?;
        let k = ident(key).map_err(name_err("the subject key column", d.id.span))?;
        due.push(format!(
            "({k} IS NULL OR {k} NOT IN (SELECT h.{hk} FROM {ht} AS h WHERE h.{hk} IS NOT NULL))"
        ));
    }
    let prefix = literal(HASH_PREFIX).map_err(name_err("the hash prefix", d.id.span))?;
    let mut sets = Vec::new();
    let mut pending = Vec::new();
    let mut hashed = Vec::new();
    for a in &j.anon {
        let c = ident(&a.column).map_err(name_err("a column", a.span))?;
        match a.method {
            AnonymiseMethod::Null => {
                sets.push(format!("{c} = NULL"));
                pending.push(format!("{c} IS NOT NULL"));
            }
            AnonymiseMethod::Hash => {
                sets.push(format!(
                    "{c} = CONCAT({prefix}, SHA2(CONCAT(:SALT, CAST({c} AS VARCHAR)), 256))"
                ));
                pending.push(format!("NOT STARTSWITH(CAST({c} AS VARCHAR), {prefix})"));
                hashed.push(a.column.as_str());
            }
            AnonymiseMethod::Year => {
                sets.push(format!("{c} = DATE_TRUNC('year', {c})"));
                pending.push(format!("{c} <> DATE_TRUNC('year', {c})"));
            }
            AnonymiseMethod::Keep => {}
        }
    }
    if j.anonymise {
        due.push(format!("({})", pending.join(" OR ")));
    }
    let due_sql = due.join("\n  AND ");
    let action = if j.anonymise {
        format!(
            "UPDATE {tbl}\n    SET {}\n  WHERE {}",
            sets.join(",\n        "),
            due.join("\n    AND ")
        )
    } else {
        format!("DELETE FROM {tbl}\n  WHERE {}", due.join("\n    AND "))
    };
    let (schedule, _) = crate::emit::schedule::of(d).expect("a retention");
    let cron = schedule
        .map_err(|e| sql_name_error("the schedule", e, d.id.span))?
        .text();
    let sched =
        literal(&format!("USING CRON {cron} UTC")).map_err(name_err("the schedule", d.id.span))?;

    let when = format!("{} after {}", j.period.to_english(), j.anchor);
    let mut out = String::new();
    out.push_str(&comment(&format!(
        "{id}: {} rows of {schema}.{table} {when}; {}.",
        if j.anonymise { "anonymises" } else { "deletes" },
        match ret.anchor_type {
            AnchorType::Timestamptz => "the anchor is an instant".to_string(),
            AnchorType::Timestamp => format!("the anchor is a wall-clock time in {zone_name}"),
            AnchorType::Date => format!("the anchor is a date in {zone_name}"),
            AnchorType::EpochSeconds => "the anchor holds seconds since 1970-01-01 UTC".into(),
            AnchorType::EpochMilliseconds =>
                "the anchor holds milliseconds since 1970-01-01 UTC".into(),
        }
    )));
    out.push('\n');
    if j.hold_column.is_some() || j.hold_table.is_some() {
        out.push_str(&comment("Rows on legal hold are never touched."));
        out.push('\n');
    }
    out.push_str(&comment(&format!(
        "Dry run: SELECT \"due\" FROM {due_name};"
    )));
    out.push('\n');
    out.push_str(&format!(
        "CREATE VIEW {due_name} AS\nSELECT COUNT(*) AS \"due\" FROM {tbl}\nWHERE {due_sql};\n"
    ));
    let (params, check) = if hashed.is_empty() {
        (String::new(), String::new())
    } else {
        let msg = literal(&format!("a salt is required to hash {}", hashed.join(", ")))
            .map_err(name_err("a column", d.id.span))?;
        (
            "SALT VARCHAR".to_string(),
            format!("DECLARE\n  no_salt EXCEPTION (-20001, {msg});\n"),
        )
    };
    let guard = if hashed.is_empty() {
        String::new()
    } else {
        "  IF (SALT IS NULL OR SALT = '') THEN\n    RAISE no_salt;\n  END IF;\n".to_string()
    };
    let text = format!("\n{check}BEGIN\n{guard}  {action};\n  RETURN SQLROWCOUNT;\nEND;\n");
    let b = body(&text).map_err(name_err("the procedure body", d.id.span))?;
    out.push_str(&format!(
        "CREATE PROCEDURE {proc_name}({params})\nRETURNS NUMBER\nLANGUAGE SQL\nEXECUTE AS OWNER\nAS {b};\n"
    ));
    if hashed.is_empty() {
        out.push_str(&format!(
            "CREATE TASK {task_name}\n  SCHEDULE = {sched}\n  AS CALL {proc_name}();\nALTER TASK {task_name} RESUME;\n"
        ));
    } else {
        out.push_str(&comment(&format!(
            "The job hashes {} with a secret salt, which does not belong in this file. The task below calls it with a placeholder and stays suspended: replace it, keeping the salt out of version control, then resume it:",
            hashed.join(", ")
        )));
        out.push('\n');
        out.push_str(&comment(&format!(
            "  CREATE OR REPLACE TASK {task_name} SCHEDULE = {sched} AS CALL {proc_name}('<salt>'); ALTER TASK {task_name} RESUME;"
        )));
        out.push('\n');
        out.push_str(&format!(
            "CREATE TASK {task_name}\n  SCHEDULE = {sched}\n  AS CALL {proc_name}(NULL);\n"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_become_nested_dateadds() {
        let p = Duration::parse("P1Y2W").unwrap();
        assert_eq!(
            minus("CURRENT_TIMESTAMP()", &p),
            "DATEADD(day, -14, DATEADD(year, -1, CURRENT_TIMESTAMP()))"
        );
    }
}
