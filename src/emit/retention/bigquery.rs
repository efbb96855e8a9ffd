//! Retention jobs for BigQuery: `sql/bigquery[/<project>]/retention.sql`, one BigQuery
//! script holding, per dataset with a retention period, a dry-run count and the `DELETE` or
//! `UPDATE` of the rows whose period has ended (same rules as
//! [`super::snowflake`]: legal holds, anonymise methods `null`, `hash` (`anon:` and the hex
//! SHA-256 of the salt followed by the value, rows already hashed skipped), `year`, `keep`;
//! anchors `timestamptz` (BigQuery `TIMESTAMP`), `timestamp` (`DATETIME` in the declared
//! zone), `date`, epoch seconds or milliseconds).
//!
//! **No batches.** BigQuery DML takes no row locks: a `DELETE` or `UPDATE` runs as one job
//! over a snapshot, readers are never blocked, and concurrent DML on a table is queued, not
//! deadlocked. The cost is a function of the bytes scanned, not of the rows changed, so
//! splitting the statement would only scan the table more often; on a table partitioned by
//! the anchor, the cutoff condition prunes the partitions past the period by itself.
//!
//! **Schedules are not SQL.** A scheduled query is a BigQuery Data Transfer configuration:
//! the file's header gives the exact `bq mk --transfer_config` command for the schedule. A
//! job that hashes reads its salt from the query parameter `@salt`, which scheduled queries
//! cannot pass: run such a file with `bq query --parameter=salt:STRING:<secret>` from your
//! own scheduler instead.

use super::HASH_PREFIX;
use super::snowflake::{JobPlan, period_parts, plan_job};
use crate::Project;
use crate::emit::{source_list, sql_name_error};
use crate::manifest::types::{AnchorType, AnonymiseMethod, Engine};
use crate::manifest::{Duration, Span};
use crate::model::{DatasetR, Model};
use crate::report::Diagnostic;
use crate::sql::bigquery::{column, comment, literal, qualified};
use crate::sql::{TypeFamily, type_family_in};

/// The file for one project's BigQuery datasets.
pub fn generate(p: &Project, group: &[usize]) -> crate::emit::Files {
    vec![("retention.sql".into(), file(p, group))]
}

/// `DATETIME_SUB(…, INTERVAL n UNIT)` around `base` for each part of the period.
fn minus(base: &str, p: &Duration) -> String {
    let mut e = base.to_string();
    for (unit, n) in period_parts(p) {
        e = format!("DATETIME_SUB({e}, INTERVAL {n} {})", unit.to_uppercase());
    }
    e
}

/// The cutoff of a `timestamptz` anchor (a BigQuery `TIMESTAMP`, an instant), as a
/// `TIMESTAMP`: `TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL n UNIT)` for periods of days,
/// hours, minutes and seconds. `TIMESTAMP_SUB` takes no `MONTH` or `YEAR`, so a period with
/// months or years is counted on the UTC calendar and made an instant again:
/// `TIMESTAMP(DATETIME_SUB(CURRENT_DATETIME('UTC'), …), 'UTC')`. Never a `DATETIME`, which
/// BigQuery will not compare with a `TIMESTAMP`.
fn instant_cutoff(p: &Duration) -> String {
    let parts = period_parts(p);
    if parts.iter().any(|(u, _)| matches!(*u, "year" | "month")) {
        return format!("TIMESTAMP({}, 'UTC')", minus("CURRENT_DATETIME('UTC')", p));
    }
    let mut e = "CURRENT_TIMESTAMP()".to_string();
    for (unit, n) in parts {
        e = format!("TIMESTAMP_SUB({e}, INTERVAL {n} {})", unit.to_uppercase());
    }
    e
}

/// The cutoff of a `date` anchor (a BigQuery `DATE`), as a `DATE`: the date in `zone` (a
/// quoted literal) less the period, `DATE_SUB(CURRENT_DATE(zone), INTERVAL n UNIT)` when the
/// period is whole days, months and years; with hours, minutes or seconds, the date of the
/// wall-clock time in `zone` less the period.
fn date_cutoff(zone: &str, p: &Duration) -> String {
    let parts = period_parts(p);
    if parts
        .iter()
        .any(|(u, _)| matches!(*u, "hour" | "minute" | "second"))
    {
        return format!("DATE({})", minus(&format!("CURRENT_DATETIME({zone})"), p));
    }
    let mut e = format!("CURRENT_DATE({zone})");
    for (unit, n) in parts {
        e = format!("DATE_SUB({e}, INTERVAL {n} {})", unit.to_uppercase());
    }
    e
}

fn file(p: &Project, group: &[usize]) -> Result<Option<String>, Vec<Diagnostic>> {
    let m = &p.model;
    let mut datasets: Vec<&DatasetR> = group
        .iter()
        .map(|&i| &m.datasets[i])
        .filter(|d| {
            d.decl
                .storage
                .as_ref()
                .is_some_and(|s| s.engine == Engine::Bigquery)
                // Storage problems are reported once by the grants' check_roles.
                && crate::emit::grants::bigquery::storage_problem(d).is_none()
        })
        .collect();
    if datasets.is_empty() {
        return Ok(None);
    }
    datasets.sort_by(|a, b| a.id.value.cmp(&b.id.value));
    let mut errors = Vec::new();
    let mut jobs = Vec::new();
    let mut schedules = Vec::new();
    let mut salted = false;
    for d in &datasets {
        if d.decl.retention.is_none() {
            continue;
        }
        match plan_job(m, d) {
            Ok(Some(j)) => match render(m, &j) {
                Ok((s, hashes)) => {
                    salted |= hashes;
                    jobs.push(s);
                    if let Some((Ok(c), _)) = crate::emit::schedule::of(d) {
                        schedules.push((d.id.value.clone(), c.text()));
                    }
                }
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
    let project = datasets
        .iter()
        .find_map(|d| d.decl.storage.as_ref().and_then(|s| s.database.clone()));
    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(m, datasets.iter().map(|d| d.id.span))
    )));
    out.push_str(
        "\n--\n\
         -- Retention for BigQuery: one script that, per dataset, counts the rows whose retention\n\
         -- period has ended (the dry run: run only those SELECT statements to see them) and\n\
         -- deletes or anonymises them. BigQuery DML takes no row locks and is billed by bytes\n\
         -- scanned, so each job is one statement rather than batches.\n\
         --\n",
    );
    if salted {
        out.push_str(
            "-- Some jobs hash values with a secret salt, passed as the query parameter @salt.\n\
             -- Scheduled queries cannot pass it: run the file from your scheduler with\n\
             --   bq query --use_legacy_sql=false --parameter=salt:STRING:<secret> < retention.sql\n",
        );
    } else {
        out.push_str(
            "-- A scheduled query is a Data Transfer configuration, not SQL. To run this file on\n\
             -- the schedule below (cron in UTC), with the bq tool:\n",
        );
    }
    let mut crons: Vec<&str> = schedules.iter().map(|(_, c)| c.as_str()).collect();
    crons.sort();
    crons.dedup();
    if !crons.is_empty() {
        out.push_str(&comment(&format!(
            "  schedules (UTC): {}",
            schedules
                .iter()
                .map(|(d, c)| format!("{d} `{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        )));
        out.push('\n');
    }
    if !salted && let Some(c) = crons.first() {
        let every = crate::emit::schedule::Cron::parse(c)
            .ok()
            .and_then(|c| c.interval())
            .and_then(|i| {
                const DAYS: [&str; 7] = [
                    "sunday",
                    "monday",
                    "tuesday",
                    "wednesday",
                    "thursday",
                    "friday",
                    "saturday",
                ];
                let at = |i: &crate::emit::schedule::Interval| {
                    format!("{:02}:{:02}", i.hour.unwrap_or(0), i.minute.unwrap_or(0))
                };
                match i.unit {
                    "MINUTE" => Some(format!("every {} minutes", i.every)),
                    "HOUR" if i.every > 1 || i.minute == Some(0) => {
                        Some(format!("every {} hours", i.every))
                    }
                    "DAY" => Some(format!("every day {}", at(&i))),
                    "WEEK" => Some(format!("every {} {}", DAYS[i.weekday? as usize], at(&i))),
                    _ => None,
                }
            });
        let exact = every.is_some();
        let every = every.unwrap_or_else(|| "every 24 hours".into());
        out.push_str(&comment(&format!(
            "  bq mk --transfer_config --project_id={} --data_source=scheduled_query --display_name='lawful retention' --schedule='{every}' --params='{{\"query\":\"<the contents of this file>\"}}'",
            project.as_deref().unwrap_or("<project>")
        )));
        out.push('\n');
        if !exact || crons.len() > 1 {
            out.push_str(&comment(
                "  (a scheduled query runs the whole file on one schedule, in UTC, written like `every day 03:00`; this one does not match every cron above, so adjust it)",
            ));
            out.push('\n');
        }
    }
    if jobs.is_empty() {
        out.push('\n');
        out.push_str(&comment(
            "No BigQuery dataset here declares a retention, so there is no job.",
        ));
        out.push('\n');
    }
    if salted {
        out.push('\n');
        out.push_str("ASSERT @salt IS NOT NULL AND @salt != '' AS 'lawful: pass the salt with --parameter=salt:STRING:<secret>';\n");
    }
    for j in jobs {
        out.push('\n');
        out.push_str(&j);
    }
    Ok(Some(out))
}

/// One job: its comment, dry run and statement; and whether it needs the salt.
fn render(_m: &Model, j: &JobPlan) -> Result<(String, bool), Box<Diagnostic>> {
    let d = j.dataset;
    let id = &d.id.value;
    let ret = d.decl.retention.as_ref().expect("a retention");
    let s = d.decl.storage.as_ref().expect("a storage");
    let ds = s.schema.clone().expect("checked");
    let proj = s.database.as_deref();
    let name_err = |what: &'static str, span: Span| move |e: String| sql_name_error(what, e, span);
    let tbl = qualified(proj, &ds, &s.table.value).map_err(name_err("the table", s.table.span))?;
    let anchor =
        column(&j.anchor).map_err(name_err("the retention anchor column", j.anchor_span))?;
    let zone_name = ret
        .time_zone
        .as_ref()
        .map(|z| z.value.as_str())
        .unwrap_or("UTC");
    let zone = literal(zone_name).map_err(name_err("the time zone", d.id.span))?;
    let instant = instant_cutoff(&j.period);
    let cutoff = match ret.anchor_type {
        AnchorType::Timestamptz => instant,
        AnchorType::Timestamp => minus(&format!("CURRENT_DATETIME({zone})"), &j.period),
        AnchorType::Date => date_cutoff(&zone, &j.period),
        AnchorType::EpochSeconds => format!("UNIX_SECONDS({instant})"),
        AnchorType::EpochMilliseconds => format!("UNIX_MILLIS({instant})"),
    };
    let mut due = vec![format!("{anchor} < {cutoff}")];
    if let Some(c) = &j.hold_column {
        let q = column(c).map_err(name_err("the legal-hold column", d.id.span))?;
        due.push(format!("NOT COALESCE({q}, FALSE)"));
    }
    if let Some((h, key)) = &j.hold_table {
        let ht = qualified(proj, h.schema.as_deref().unwrap_or(&ds), &h.table)
            .map_err(name_err("the legal-hold table", h.span))?;
        let hk = column(&h.key).map_err(name_err("the legal-hold key column", h.span))?;
        let k = column(key).map_err(name_err("the subject key column", d.id.span))?;
        due.push(format!(
            "({k} IS NULL OR {k} NOT IN (SELECT h.{hk} FROM {ht} AS h WHERE h.{hk} IS NOT NULL))"
        ));
    }
    let prefix = literal(HASH_PREFIX).map_err(name_err("the hash prefix", d.id.span))?;
    let (mut sets, mut pending, mut hashed) = (Vec::new(), Vec::new(), Vec::new());
    for a in &j.anon {
        let c = column(&a.column).map_err(name_err("a column", a.span))?;
        match a.method {
            AnonymiseMethod::Null => {
                sets.push(format!("{c} = NULL"));
                pending.push(format!("{c} IS NOT NULL"));
            }
            AnonymiseMethod::Hash => {
                sets.push(format!(
                    "{c} = CONCAT({prefix}, TO_HEX(SHA256(CONCAT(@salt, CAST({c} AS STRING)))))"
                ));
                pending.push(format!("NOT STARTS_WITH(CAST({c} AS STRING), {prefix})"));
                hashed.push(a.column.as_str());
            }
            AnonymiseMethod::Year => {
                // BigQuery's TIMESTAMP is an instant, its DATETIME a wall-clock time.
                let f = match a
                    .sql_type
                    .as_deref()
                    .map(|t| type_family_in(Engine::Bigquery, t))
                {
                    Some(TypeFamily::Date) => "DATE_TRUNC",
                    Some(TypeFamily::Timestamp) => "DATETIME_TRUNC",
                    Some(TypeFamily::Timestamptz) => "TIMESTAMP_TRUNC",
                    _ => {
                        return Err(Box::new(
                            Diagnostic::error(
                                "emit::bigquery-year-type",
                                format!("field `{}` of dataset `{id}` is anonymised to its year, but BigQuery needs its `type` (DATE, DATETIME or TIMESTAMP) to truncate it", a.column),
                            )
                            .at(a.span, "type unknown")
                            .with_help("declare the column's type with `type: date`, `type: datetime` or `type: timestamp`")
                            .with_target(format!("datasets.{id}")),
                        ));
                    }
                };
                sets.push(format!("{c} = {f}({c}, YEAR)"));
                pending.push(format!("{c} != {f}({c}, YEAR)"));
            }
            AnonymiseMethod::Keep => {}
        }
    }
    if j.anonymise {
        due.push(format!("({})", pending.join(" OR ")));
    }
    let mut out = String::new();
    out.push_str(&comment(&format!(
        "{id}: {} rows of {ds}.{} {} after {}.",
        if j.anonymise { "anonymises" } else { "deletes" },
        s.table.value,
        j.period.to_english(),
        j.anchor
    )));
    out.push('\n');
    if j.hold_column.is_some() || j.hold_table.is_some() {
        out.push_str(&comment("Rows on legal hold are never touched."));
        out.push('\n');
    }
    out.push_str(&comment(&format!(
        "Dry run: how many {id} rows are due now."
    )));
    out.push('\n');
    out.push_str(&format!(
        "SELECT {} AS dataset, COUNT(*) AS due FROM {tbl}\nWHERE {};\n",
        literal(id).map_err(name_err("the dataset id", d.id.span))?,
        due.join("\n  AND ")
    ));
    if j.anonymise {
        out.push_str(&format!(
            "UPDATE {tbl}\nSET {}\nWHERE {};\n",
            sets.join(",\n    "),
            due.join("\n  AND ")
        ));
    } else {
        out.push_str(&format!(
            "DELETE FROM {tbl}\nWHERE {};\n",
            due.join("\n  AND ")
        ));
    }
    Ok((out, !hashed.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instants_are_cut_off_as_timestamps() {
        let days = Duration::parse("P90D").unwrap();
        assert_eq!(
            instant_cutoff(&days),
            "TIMESTAMP_SUB(CURRENT_TIMESTAMP(), INTERVAL 90 DAY)"
        );
        let years = Duration::parse("P1Y").unwrap();
        assert_eq!(
            instant_cutoff(&years),
            "TIMESTAMP(DATETIME_SUB(CURRENT_DATETIME('UTC'), INTERVAL 1 YEAR), 'UTC')"
        );
        assert_eq!(
            date_cutoff("'Europe/Berlin'", &years),
            "DATE_SUB(CURRENT_DATE('Europe/Berlin'), INTERVAL 1 YEAR)"
        );
    }

    #[test]
    fn periods_become_datetime_subtractions() {
        let p = Duration::parse("P3Y6M").unwrap();
        assert_eq!(
            minus("CURRENT_DATETIME('UTC')", &p),
            "DATETIME_SUB(DATETIME_SUB(CURRENT_DATETIME('UTC'), INTERVAL 3 YEAR), INTERVAL 6 MONTH)"
        );
    }
}
