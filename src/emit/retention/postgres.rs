//! Retention jobs for PostgreSQL: `sql/postgres[/<database>]/retention.sql`.
//!
//! For each dataset stored in PostgreSQL with a retention period, two objects in the schema
//! `lawful`:
//!
//! - `lawful.retain_<dataset>(batch_size integer DEFAULT <n>[, salt text DEFAULT NULL])`,
//!   a procedure that deletes the rows whose anchor column is older than the period, or
//!   anonymises them (each field's `anonymise` method), in batches of `batch_size` rows with
//!   a `COMMIT` after each batch. Call it outside a transaction block (`CALL …;` in psql or a
//!   scheduler such as pg_cron), since a procedure can only commit at top level.
//! - `lawful.due_<dataset>() RETURNS bigint`, the number of rows the procedure would touch
//!   now (a dry run).
//!
//! The two prefixes differ from their first letter, so no dataset id can make one job's
//! name equal another's dry run (`x` and `due_x` give `retain_x`, `due_x`, `retain_due_x`
//! and `due_due_x`).
//!
//! The file is convergent: in one transaction it drops every procedure and function of the
//! schema `lawful` whose name starts with `retain_`, `due_` or `retention_` (the names of
//! earlier versions), whatever their arguments, then creates the jobs of the datasets the
//! project declares now. A dataset removed from the project, or whose job changed its
//! parameters (hash → delete drops the `salt` parameter), leaves nothing behind. The schema
//! `lawful` belongs to lawful: do not keep other routines with these prefixes in it.
//!
//! Batching walks the dataset's subject key in ascending ranges (`key >= start AND key <=
//! end`), found with `ORDER BY key LIMIT batch_size`, so every statement reads one bounded
//! index range: no marker column, no aggregate (a `uuid` key has no `max()`). Rows whose key
//! is NULL are outside every range; after the walk they are taken `batch_size` at a time by
//! `ctid = ANY (ARRAY(SELECT ctid … LIMIT batch_size))`, again with a `COMMIT` after each
//! batch, so the job touches exactly the rows the dry run counts. (On a table with
//! inheritance children a `ctid` is only unique per table, so such a batch can hold up to
//! `batch_size` rows per child table; every row it touches is still a due row.) The key is
//! why a retention job requires `subject_key`; without it the generator reports a diagnostic
//! instead of writing SQL that cannot batch.
//!
//! Anonymising only touches rows that still hold something to anonymise (a `null` field that
//! is not NULL, a `hash` field that does not yet start with [`HASH_PREFIX`], a `year` field
//! not yet truncated), so a second run changes nothing, a hashed value is never hashed again,
//! and the dry run counts the rows still to do. Methods: `null` (the default for personal
//! fields other than the subject key and the anchor), `hash` (`anon:` followed by the salted
//! SHA-256 digest in hex; the column must hold text; a `varchar(n)` or `char(n)` shorter than
//! 69 gets the first n − 5 hex digits; the salt is a parameter and the job refuses to run
//! without one), `year` (`date_trunc('year', …)`; a date or timestamp column), `keep`. A
//! `null` field must allow NULL.
//!
//! The `anon:` prefix is what marks a value as anonymised: a real value that merely looks
//! like hex digits (a phone number `0301234567`) is still hashed. Column widths are not in
//! the manifest, so a column too narrow for the prefix and 8 hex digits (narrower than 13
//! characters) is refused when the job starts, before it changes anything, with a hint to
//! use `anonymise: null`.
//!
//! The cutoff is computed once per call, in UTC for absolute instants (`timestamptz`, epoch
//! seconds or milliseconds) and in the declared `time_zone` (default UTC) for wall-clock
//! `timestamp` and `date` anchors, and held in a variable of the anchor column's own type so
//! the comparison can use an index on it. PostgreSQL checks the zone name when the job runs;
//! lawful only checks its form ([`check_settings`]).
//!
//! **Legal holds** (`retention.legal_hold`): a row whose hold column is true, or whose
//! subject key is listed in the hold table's key column, is never due: the batches, the
//! rows without a key, the partition drops and the dry run all leave it out.
//!
//! **Partitioned tables**: when the job starts, if the table is partitioned by RANGE on the
//! anchor column alone (`pg_partitioned_table`), every partition whose upper bound is at or
//! before the cutoff (so every row in it is due) and that holds no row on legal hold is
//! dropped (`DROP TABLE`, one commit each; it takes a brief ACCESS EXCLUSIVE lock on the
//! parent). The bound is read from the catalog (`pg_get_expr`), so bounds written with any
//! time-zone offset (pagila's `payment` mixes `+00` and `+01`) compare as instants. A
//! partition that cannot be dropped (still referenced, locked) is reported by a NOTICE
//! and left to the batches; the others, the boundary partition included, are
//! batch-deleted as usual. `then: anonymise` never drops a partition.
//!
//! **Rows whose anchor is NULL** are never due: a NULL anchor means the period has not
//! started (an account never closed, an order never delivered), so they are kept and not
//! counted by the dry run. Find them with `SELECT count(*) FROM … WHERE <anchor> IS NULL`.
//!
//! **Foreign keys**: a batch that another table still references fails with
//! `foreign_key_violation`; the job catches it per batch, rolls back only that batch,
//! reports it with a NOTICE naming the table and the key range, goes on with the next
//! batches, and ends with a WARNING counting the blocked batches. Delete or detach the
//! referencing rows first (or declare their retention) and the next run takes them.
//!
//! **The salt** of a hashing job: arguments of `CALL` are visible to other sessions in
//! `pg_stat_activity` and may reach the server log. When `salt` is NULL the job reads the
//! setting `lawful.salt` (`current_setting('lawful.salt', true)`), which can be set for the
//! role that runs the job only: `ALTER ROLE retention_runner SET lawful.salt = '…';`. The
//! schedules (pg_cron, Kubernetes) call the job without a salt for that reason.
//!
//! Inside the bodies every column is qualified by the table alias `t` and the bodies say
//! `#variable_conflict use_variable`, so a column that happens to be called `salt` or
//! `cutoff` can never be confused with a variable.

use super::*;
use crate::Project;
use crate::emit::{postgres_table, source_list, sql_name_error};
use crate::manifest::types::{AnchorType, AnonymiseMethod, RetentionAction};
use crate::manifest::{Duration, Period, Span};
use crate::model::{DatasetR, Model};
use crate::report::Diagnostic;
use crate::sql::postgres::{
    STANDARD_STRINGS, check_ident, column_type, comment, dollar_quote, ident, interval,
    like_prefix, literal, qualified, raise_format, raise_message, regclass,
};

/// The file for one database's PostgreSQL datasets (indices into `Model::datasets`), or
/// `None` when there are none. The file is written even when none of them declares a
/// retention: applying it removes the jobs lawful generated before. With `render` false
/// (`lawful check`), the jobs are checked and `None` is returned.
pub fn generate(
    p: &Project,
    group: &[usize],
    render: bool,
) -> Result<Option<String>, Vec<Diagnostic>> {
    let m = &p.model;
    if group.is_empty() {
        return Ok(None);
    }
    let mut datasets: Vec<&DatasetR> = group
        .iter()
        .map(|&i| &m.datasets[i])
        .filter(|d| postgres_table(d).is_some() && d.decl.retention.is_some())
        .collect();
    datasets.sort_by(|a, b| a.id.value.cmp(&b.id.value));

    let mut errors = Vec::new();
    let mut jobs = Vec::new();
    for d in &datasets {
        match job(m, d, render) {
            Ok(s) => jobs.push(s),
            Err(mut e) => errors.append(&mut e),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if !render {
        return Ok(None);
    }
    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(m, group.iter().map(|&i| m.datasets[i].id.span))
    )));
    out.push_str(&format!(
        "\n--\n\
         -- Retention jobs: one procedure per dataset deletes or anonymises the rows whose\n\
         -- retention period has ended, in batches, committing after each batch. Run them\n\
         -- outside a transaction block, e.g. daily from a scheduler:\n\
         --   CALL lawful.{JOB_PREFIX}<dataset>();\n\
         -- Each lawful.{DUE_PREFIX}<dataset>() counts the rows the job would touch now.\n\
         -- Applying this file replaces every job lawful made in this database with the ones\n\
         -- below, in one transaction, and changes nothing else.\n\
         -- Apply order: consent_log.sql (when there is one), grants.sql, this file,\n\
         -- schedule.sql. Legal-hold tables a job names must exist before it runs.\n\n\
         BEGIN;\n\
         {STANDARD_STRINGS}\n\
         CREATE SCHEMA IF NOT EXISTS lawful;\n\n"
    ));
    out.push_str(&drop_old_jobs());
    if jobs.is_empty() {
        out.push('\n');
        out.push_str(&comment(
            "No PostgreSQL dataset of this database declares a retention, so there is no job.",
        ));
        out.push('\n');
    }
    for j in jobs {
        out.push('\n');
        out.push_str(&j);
    }
    out.push_str("\nCOMMIT;\n");
    Ok(Some(out))
}

/// The `DO` block that drops every routine lawful owns in the schema `lawful`.
fn drop_old_jobs() -> String {
    let starts = [JOB_PREFIX, DUE_PREFIX, LEGACY_PREFIX]
        .iter()
        .map(|p| {
            format!(
                "starts_with(p.proname, {})",
                literal(p).expect("a fixed prefix")
            )
        })
        .collect::<Vec<_>>()
        .join("\n           OR ");
    let body = format!(
        "
DECLARE
  f record;
BEGIN
  FOR f IN
    SELECT p.oid::regprocedure AS sig, p.prokind AS kind FROM pg_proc AS p
    WHERE p.pronamespace = 'lawful'::regnamespace
      AND ({starts})
    ORDER BY p.oid
  LOOP
    EXECUTE format('DROP %s %s', CASE f.kind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END, f.sig);
  END LOOP;
END
"
    );
    format!(
        "{}\nDO {};\n",
        comment(&format!(
            "Drop the jobs and dry runs made before (lawful.{JOB_PREFIX}*, lawful.{DUE_PREFIX}*, lawful.{LEGACY_PREFIX}*)."
        )),
        dollar_quote(&body)
    )
}

/// A field's anonymisation in the job.
struct Anon {
    column: String,
    method: AnonymiseMethod,
}

fn job(m: &Model, d: &DatasetR, render: bool) -> Result<String, Vec<Diagnostic>> {
    let id = &d.id.value;
    let (schema, table, table_span) = postgres_table(d).expect("filtered on PostgreSQL");
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
    let mut errors = Vec::new();
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
                    "the job deletes and anonymises in batches by ranges of the subject key, \
                     so that a large table is never locked as a whole; declare \
                     `subject_key: <field>` (the field that identifies the person, such as \
                     the customer id)",
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
    let (Some(key), Some(anchor)) = (key, anchor) else {
        return Err(errors);
    };

    // Anonymisation plan (only for `then: anonymise`).
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
                        .with_help("the job walks the table by ranges of the subject key; drop `anonymise` here, or delete the rows instead (`then: delete`)"),
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
                    column: f.column.clone(),
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
    if !errors.is_empty() {
        return Err(errors);
    }

    let hold = match legal_hold(d, schema, &key.column) {
        Ok(h) => h,
        Err(e) => return Err(vec![*e]),
    };
    let mut sql = Sql::new(
        d,
        schema,
        table,
        table_span,
        &key.column,
        key.name.span,
        &anchor.column,
        anchor.name.span,
    );
    sql.hold = hold;
    if !render {
        return sql
            .check_names(ret, &anon)
            .map(|()| String::new())
            .map_err(|d| vec![*d]);
    }
    sql.render(ret, &period, &anon).map_err(|d| vec![*d])
}

/// The SQL condition that holds for a row on legal hold (`t` is the dataset's table), or
/// `None` without a `legal_hold`. The settings were checked by
/// [`super::check_settings`]; a column that names no field is taken as a column name.
fn legal_hold(
    d: &DatasetR,
    schema: &str,
    key_col: &str,
) -> Result<Option<String>, Box<Diagnostic>> {
    let Some(h) = d
        .decl
        .retention
        .as_ref()
        .and_then(|r| r.legal_hold.as_ref())
    else {
        return Ok(None);
    };
    let mut parts = Vec::new();
    if let Some(c) = &h.value.column {
        let col = d
            .fields
            .iter()
            .find(|f| f.name.value == c.value)
            .map(|f| f.column.as_str())
            .unwrap_or(c.value.as_str());
        let q = ident(col).map_err(|e| sql_name_error("the legal hold column", e, c.span))?;
        parts.push(format!("coalesce(t.{q}, false)"));
    }
    if let Some(tab) = &h.value.table {
        let (s, t) = tab
            .value
            .split_once('.')
            .unwrap_or((schema, tab.value.as_str()));
        let q = qualified(s, t).map_err(|e| sql_name_error("the legal hold table", e, tab.span))?;
        let kspan = h.value.key.as_ref().map_or(tab.span, |k| k.span);
        let kc = super::hold_key(d).unwrap_or(key_col);
        let k = ident(kc).map_err(|e| sql_name_error("the legal hold key column", e, kspan))?;
        parts.push(format!("EXISTS (SELECT FROM {q} AS h WHERE h.{k} = t.{k})"));
    }
    Ok((!parts.is_empty()).then(|| parts.join(" OR ")))
}

/// Quoted names of one job.
struct Sql<'a> {
    id: &'a str,
    schema: &'a str,
    table: &'a str,
    key_col: &'a str,
    anchor_col: &'a str,
    spans: (Span, Span, Span, Span),
    dataset: &'a DatasetR,
    /// The condition of a row on legal hold, see [`legal_hold`].
    hold: Option<String>,
}

impl<'a> Sql<'a> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        dataset: &'a DatasetR,
        schema: &'a str,
        table: &'a str,
        table_span: Span,
        key_col: &'a str,
        key_span: Span,
        anchor_col: &'a str,
        anchor_span: Span,
    ) -> Self {
        Sql {
            id: &dataset.id.value,
            schema,
            table,
            key_col,
            anchor_col,
            spans: (dataset.id.span, table_span, key_span, anchor_span),
            dataset,
            hold: None,
        }
    }

    /// Check every name the job quotes, in the order [`Sql::render`] quotes them, without
    /// writing the job: `lawful check` stops here. Every later step of the rendering only
    /// quotes these names again or text built from them, so a job whose names pass is
    /// rendered without error.
    fn check_names(
        &self,
        ret: &crate::manifest::types::Retention,
        anon: &[Anon],
    ) -> Result<(), Box<Diagnostic>> {
        let (id_span, table_span, key_span, anchor_span) = self.spans;
        let id = self.id;
        let err = |what: &'static str, span: Span| move |e| sql_name_error(what, e, span);
        // Checked without quoting them; `qualified(a, b)` refuses what `ident` refuses of
        // `a`, then of `b` (and the schema `lawful` is always fine).
        check_ident(&format!("{JOB_PREFIX}{id}"))
            .map_err(err("the retention procedure of this dataset", id_span))?;
        check_ident(&format!("{DUE_PREFIX}{id}"))
            .map_err(err("the dry-run function of this dataset", id_span))?;
        check_ident(self.schema)
            .and_then(|()| check_ident(self.table))
            .map_err(err("the table", table_span))?;
        check_ident(self.key_col).map_err(err("the subject key column", key_span))?;
        check_ident(self.anchor_col).map_err(err("the retention anchor column", anchor_span))?;
        if let Some(z) = &ret.time_zone {
            literal(&z.value).map_err(err("the time zone", z.span))?;
        }
        for a in anon.iter().filter(|a| a.method != AnonymiseMethod::Keep) {
            let span = self
                .dataset
                .fields
                .iter()
                .find(|f| f.column == a.column)
                .map(|f| f.name.span)
                .unwrap_or(id_span);
            check_ident(&a.column).map_err(err("a column", span))?;
        }
        Ok(())
    }

    fn render(
        &self,
        ret: &crate::manifest::types::Retention,
        period: &Duration,
        anon: &[Anon],
    ) -> Result<String, Box<Diagnostic>> {
        self.check_names(ret, anon)?;
        let (id_span, table_span, key_span, anchor_span) = self.spans;
        let id = self.id;
        fn name_err(what: &'static str, span: Span) -> impl Fn(String) -> Box<Diagnostic> {
            move |e| sql_name_error(what, e, span)
        }
        let proc_name = qualified("lawful", &format!("{JOB_PREFIX}{id}"))
            .map_err(name_err("the retention procedure of this dataset", id_span))?;
        let due_name = qualified("lawful", &format!("{DUE_PREFIX}{id}"))
            .map_err(name_err("the dry-run function of this dataset", id_span))?;
        let tbl = qualified(self.schema, self.table).map_err(name_err("the table", table_span))?;
        let key = ident(self.key_col).map_err(name_err("the subject key column", key_span))?;
        let anchor =
            ident(self.anchor_col).map_err(name_err("the retention anchor column", anchor_span))?;
        let key_type = column_type(self.schema, self.table, self.key_col)
            .map_err(name_err("the subject key column", key_span))?;
        let anchor_type = column_type(self.schema, self.table, self.anchor_col)
            .map_err(name_err("the retention anchor column", anchor_span))?;
        let field_span = |col: &str| {
            self.dataset
                .fields
                .iter()
                .find(|f| f.column == col)
                .map(|f| f.name.span)
                .unwrap_or(id_span)
        };

        let iv = interval(&period.to_interval_words()).map_err(name_err("the period", id_span))?;
        let zone_name = ret
            .time_zone
            .as_ref()
            .map(|z| z.value.as_str())
            .unwrap_or("UTC");
        let zone = literal(zone_name).map_err(|e| {
            sql_name_error(
                "the time zone",
                e,
                ret.time_zone.as_ref().map(|z| z.span).unwrap_or(id_span),
            )
        })?;
        let utc_cutoff = format!("(now() AT TIME ZONE 'UTC' - {iv}) AT TIME ZONE 'UTC'");
        let cutoff = match ret.anchor_type {
            AnchorType::Timestamptz => utc_cutoff,
            AnchorType::Timestamp => format!("(now() AT TIME ZONE {zone}) - {iv}"),
            AnchorType::Date => format!("((now() AT TIME ZONE {zone}) - {iv})::date"),
            AnchorType::EpochSeconds => format!("floor(extract(epoch FROM {utc_cutoff}))"),
            AnchorType::EpochMilliseconds => {
                format!("floor(extract(epoch FROM {utc_cutoff}) * 1000)")
            }
        };

        // SET clauses and the "still to anonymise" condition.
        let mut sets = Vec::new();
        let mut pending = Vec::new();
        let mut nulled = Vec::new();
        let mut hashed = Vec::new();
        let mut yeared = Vec::new();
        let mut hash_lens = Vec::new();
        let mut width_checks = Vec::new();
        let prefix = literal(HASH_PREFIX).map_err(name_err("the hash prefix", id_span))?;
        let prefix_like = like_prefix(HASH_PREFIX).map_err(name_err("the hash prefix", id_span))?;
        let prefix_len = HASH_PREFIX.chars().count();
        let rel = regclass(self.schema, self.table).map_err(name_err("the table", table_span))?;
        let msg =
            |s: String| raise_message(&s).map_err(|e| sql_name_error("a message", e, id_span));
        for a in anon {
            let c = ident(&a.column)
                .map_err(|e| sql_name_error("a column", e, field_span(&a.column)))?;
            match a.method {
                AnonymiseMethod::Null => {
                    sets.push(format!("{c} = NULL"));
                    pending.push(format!("t.{c} IS NOT NULL"));
                    nulled.push(a.column.as_str());
                }
                AnonymiseMethod::Hash => {
                    // `anon:` and the digest, cut to the column's length when it is a
                    // varchar(n) or char(n) too short for all 64 hex digits.
                    let n = hashed.len() + 1;
                    let att = literal(&a.column)
                        .map_err(|e| sql_name_error("a column", e, field_span(&a.column)))?;
                    let off = prefix_len + 4;
                    hash_lens.push(format!(
                        "  hash_hex_{n} integer := least(64, coalesce((SELECT a.atttypmod - {off} FROM pg_attribute AS a WHERE a.attrelid = {rel} AND a.attname = {att} AND a.atttypmod > 4), 64));\n"
                    ));
                    let narrow = msg(format!(
                        "lawful.{JOB_PREFIX}{id}: column {} is too narrow to hold {HASH_PREFIX} and {MIN_HASH_HEX} hex digits of a hash ({} characters); nothing was changed",
                        a.column,
                        prefix_len + MIN_HASH_HEX
                    ))?;
                    let hint = msg(format!(
                        "give the field `anonymise: null` in the manifest, or widen the column to at least {} characters",
                        prefix_len + MIN_HASH_HEX
                    ))?;
                    width_checks.push(format!(
                        "  IF hash_hex_{n} < {MIN_HASH_HEX} THEN\n    RAISE EXCEPTION {narrow} USING HINT = {hint};\n  END IF;\n"
                    ));
                    sets.push(format!(
                        "{c} = {prefix} || left(encode(sha256(convert_to(salt || t.{c}::text, 'UTF8')), 'hex'), hash_hex_{n})"
                    ));
                    pending.push(format!("t.{c}::text NOT LIKE {prefix_like}"));
                    hashed.push(a.column.as_str());
                }
                AnonymiseMethod::Year => {
                    sets.push(format!("{c} = date_trunc('year', t.{c})"));
                    pending.push(format!("t.{c} IS DISTINCT FROM date_trunc('year', t.{c})"));
                    yeared.push(a.column.as_str());
                }
                AnonymiseMethod::Keep => {}
            }
        }
        let anonymise = ret.then.value == RetentionAction::Anonymise;
        let needs_salt = !hashed.is_empty();
        // The rows due: past the cutoff and, when anonymising, not yet anonymised. `pad` is
        // the indentation of continuation lines.
        let due_at = |pad: usize| {
            let mut d = format!("t.{anchor} < cutoff");
            if let Some(h) = &self.hold {
                d.push_str(&format!("\n{:pad$}AND NOT ({h})", ""));
            }
            if anonymise {
                let sep = format!("\n{:pad$}  OR ", "");
                d.push_str(&format!("\n{:pad$}AND ({})", "", pending.join(&sep)));
            }
            d
        };
        let due = due_at(6);
        let due8 = due_at(8);

        let batch = ret.batch_size.unwrap_or(DEFAULT_BATCH_SIZE);
        let when = format!("{} after {}", period.to_english(), self.anchor_col);
        let mut header = vec![if anonymise {
            format!("Anonymises {id} rows {when}, {batch} rows at a time.")
        } else {
            format!("Deletes {id} rows {when}, {batch} rows at a time.")
        }];
        if !nulled.is_empty() {
            header.push(format!("Sets to NULL: {}.", nulled.join(", ")));
        }
        if !hashed.is_empty() {
            header.push(format!(
                "Replaces with {HASH_PREFIX} and a salted SHA-256 hash: {}. Pass the salt: CALL {}(salt => '…');",
                hashed.join(", "),
                proc_name
            ));
        }
        if !yeared.is_empty() {
            header.push(format!("Keeps only the year of: {}.", yeared.join(", ")));
        }
        let zone_note = match ret.anchor_type {
            AnchorType::Timestamptz => "an instant (timestamptz), compared in UTC".to_string(),
            AnchorType::Timestamp => format!("a wall-clock timestamp in {zone_name}"),
            AnchorType::Date => format!("a calendar date in {zone_name}"),
            AnchorType::EpochSeconds => "seconds since 1970-01-01 UTC".to_string(),
            AnchorType::EpochMilliseconds => "milliseconds since 1970-01-01 UTC".to_string(),
        };
        header.push(format!(
            "Table {}.{}, batched by {} ranges, then rows without one by ctid; {} holds {zone_note}.",
            self.schema, self.table, self.key_col, self.anchor_col
        ));

        let mut out = String::new();
        for h in &header {
            out.push_str(&comment(h));
            out.push('\n');
        }

        // The procedure.
        let params = if needs_salt {
            format!("batch_size integer DEFAULT {batch}, salt text DEFAULT NULL")
        } else {
            format!("batch_size integer DEFAULT {batch}")
        };
        let bad_batch = msg("batch_size must be at least 1".into())?;
        let salt_check = if needs_salt {
            let m = msg(format!(
                "lawful.{JOB_PREFIX}{id}: a salt is required to hash {}",
                hashed.join(", ")
            ))?;
            let hint = msg(format!(
                "CALL {proc_name}(salt => '<secret>'); or set lawful.salt for the role that runs the job: ALTER ROLE <role> SET lawful.salt = '<secret>';"
            ))?;
            format!(
                "  salt := nullif(salt, '');\n  IF salt IS NULL THEN\n    salt := nullif(current_setting('lawful.salt', true), '');\n  END IF;\n  IF salt IS NULL THEN\n    RAISE EXCEPTION {m} USING HINT = {hint};\n  END IF;\n"
            )
        } else {
            String::new()
        };
        // A delete announces itself to the append-only trigger of a consent log
        // (crate::emit::consent_log::postgres), which lets only retention jobs delete; the
        // setting lasts until the batch commits.
        let head = if anonymise {
            format!("UPDATE {tbl} AS t\n    SET {}", sets.join(",\n        "))
        } else {
            format!(
                "PERFORM set_config({}, 'on', true);\n    DELETE FROM {tbl} AS t",
                literal(crate::emit::consent_log::RETENTION_SETTING).expect("a fixed name")
            )
        };
        let action = format!(
            "{head}\n    WHERE t.{key} >= batch_start AND t.{key} <= batch_end\n      AND {due};"
        );
        // Rows without a key: a bounded batch by ctid, the conditions checked again on the
        // row itself.
        let due10 = due_at(10);
        let keyless = format!(
            "{head}\n    WHERE t.ctid = ANY (ARRAY(\n        SELECT t.ctid FROM {tbl} AS t\n        WHERE t.{key} IS NULL\n          AND {due10}\n        LIMIT batch_size))\n      AND t.{key} IS NULL\n      AND {due};"
        );
        let done = raise_format(&[
            &format!("lawful.{JOB_PREFIX}{id}: "),
            if anonymise {
                " rows anonymised"
            } else {
                " rows deleted"
            },
        ])
        .map_err(|e| sql_name_error("a message", e, id_span))?;
        let tname = format!("{}.{}", self.schema, self.table);
        let fmt = |parts: &[&str]| {
            raise_format(parts).map_err(|e| sql_name_error("a message", e, id_span))
        };
        let fk_notice = fmt(&[
            &format!(
                "lawful.{JOB_PREFIX}{id}: rows of {tname} with {} from ",
                self.key_col
            ),
            " to ",
            " are still referenced by another table and were left in place: ",
            "",
        ])?;
        let fk_keyless = fmt(&[
            &format!(
                "lawful.{JOB_PREFIX}{id}: rows of {tname} without {} are still referenced by another table and were left in place: ",
                self.key_col
            ),
            "",
        ])?;
        let fk_done = fmt(&[
            &format!("lawful.{JOB_PREFIX}{id}: "),
            &format!(
                " batches of {tname} were blocked by foreign keys; delete or detach the referencing rows first"
            ),
        ])?;
        let (part_decl, partitions) = if anonymise {
            (String::new(), String::new())
        } else {
            self.partition_drop(&rel, &anchor_type)?
        };
        let action_in = action.replace('\n', "\n  ");
        let keyless_in = keyless.replace('\n', "\n  ");
        let hash_lens = hash_lens.concat();
        let width_checks = width_checks.concat();
        let body = format!(
            "
#variable_conflict use_variable
DECLARE
  cutoff {anchor_type} := {cutoff};
{hash_lens}  batch_start {key_type};
  batch_end {key_type};
  touched bigint;
  total bigint := 0;
  blocked bigint := 0;
{part_decl}BEGIN
  IF batch_size IS NULL OR batch_size < 1 THEN
    RAISE EXCEPTION {bad_batch};
  END IF;
{salt_check}{width_checks}{partitions}  SELECT t.{key} INTO batch_start FROM {tbl} AS t
    WHERE {due}
    ORDER BY t.{key} LIMIT 1;
  WHILE batch_start IS NOT NULL LOOP
    SELECT b.k INTO batch_end FROM (
      SELECT t.{key} AS k FROM {tbl} AS t
      WHERE t.{key} >= batch_start
        AND {due8}
      ORDER BY t.{key} LIMIT batch_size
    ) AS b ORDER BY b.k DESC LIMIT 1;
    EXIT WHEN batch_end IS NULL;
    BEGIN
      {action_in}
      GET DIAGNOSTICS touched = ROW_COUNT;
    EXCEPTION WHEN foreign_key_violation THEN
      touched := 0;
      blocked := blocked + 1;
      RAISE NOTICE {fk_notice}, batch_start, batch_end, SQLERRM;
    END;
    total := total + touched;
    COMMIT;
    SELECT t.{key} INTO batch_start FROM {tbl} AS t
    WHERE t.{key} > batch_end
      AND {due}
    ORDER BY t.{key} LIMIT 1;
  END LOOP;
  LOOP
    BEGIN
      {keyless_in}
      GET DIAGNOSTICS touched = ROW_COUNT;
    EXCEPTION WHEN foreign_key_violation THEN
      touched := 0;
      blocked := blocked + 1;
      RAISE NOTICE {fk_keyless}, SQLERRM;
    END;
    total := total + touched;
    EXIT WHEN touched = 0;
    COMMIT;
  END LOOP;
  IF blocked > 0 THEN
    RAISE WARNING {fk_done}, blocked;
  END IF;
  RAISE NOTICE {done}, total;
END
"
        );
        out.push_str(&format!(
            "CREATE OR REPLACE PROCEDURE {proc_name}({params})\nLANGUAGE plpgsql\nAS {};\n\n",
            dollar_quote(&body)
        ));

        // The dry run.
        let due_body = format!(
            "
#variable_conflict use_variable
DECLARE
  cutoff {anchor_type} := {cutoff};
BEGIN
  RETURN (SELECT count(*) FROM {tbl} AS t
    WHERE {due});
END
"
        );
        out.push_str(&comment(&format!(
            "How many {id} rows lawful.{JOB_PREFIX}{id} would {} now.",
            if anonymise { "anonymise" } else { "delete" }
        )));
        out.push('\n');
        out.push_str(&format!(
            "CREATE OR REPLACE FUNCTION {due_name}()\nRETURNS bigint\nLANGUAGE plpgsql STABLE\nAS {};\n",
            dollar_quote(&due_body)
        ));
        Ok(out)
    }

    /// Declarations and code that drop whole partitions past the period, when the table is
    /// partitioned by range on the anchor column alone (checked when the job runs, so the
    /// same job works before and after a table is partitioned). A partition is dropped when
    /// its upper bound is at or before the cutoff (every row in it is due) and it holds no
    /// row on legal hold; the rest, the boundary partition included, is left to the
    /// batches. Each drop commits on its own; one that fails (another table still
    /// references it, a lock) is reported by a notice and left to the batches.
    fn partition_drop(
        &self,
        rel: &str,
        anchor_type: &str,
    ) -> Result<(String, String), Box<Diagnostic>> {
        let id = self.id;
        let id_span = self.spans.0;
        let anchor_lit = literal(self.anchor_col)
            .map_err(|e| sql_name_error("the retention anchor column", e, self.spans.3))?;
        let fmt = |parts: &[&str]| {
            raise_format(parts).map_err(|e| sql_name_error("a message", e, id_span))
        };
        let dropped = fmt(&[
            &format!("lawful.{JOB_PREFIX}{id}: dropped partition "),
            " (",
            " rows)",
        ])?;
        let kept = fmt(&[
            &format!("lawful.{JOB_PREFIX}{id}: partition "),
            " is past the period but could not be dropped, its rows are deleted in batches: ",
            "",
        ])?;
        let held = match &self.hold {
            Some(h) => {
                let q = literal(h).map_err(|e| sql_name_error("the legal hold", e, id_span))?;
                format!(
                    "      EXECUTE format('SELECT EXISTS (SELECT FROM %s AS t WHERE %s)', part.name, {q}) INTO part_held;\n      CONTINUE WHEN part_held;\n"
                )
            }
            None => String::new(),
        };
        let decl = format!(
            "  part record;\n  part_upper text;\n  part_bound {anchor_type};\n  part_held boolean;\n  part_rows bigint;\n"
        );
        let code = format!(
            "  IF EXISTS (SELECT FROM pg_partitioned_table AS pt WHERE pt.partrelid = {rel}
      AND pt.partstrat = 'r' AND pt.partnatts = 1
      AND pt.partattrs[0] = (SELECT a.attnum FROM pg_attribute AS a WHERE a.attrelid = {rel} AND a.attname = {anchor_lit})) THEN
    FOR part IN SELECT c.oid::regclass AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
      FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid
      WHERE i.inhparent = {rel} ORDER BY c.oid::regclass::text
    LOOP
      part_upper := substring(part.bound FROM 'TO [(](.*)[)]$');
      CONTINUE WHEN part_upper IS NULL OR part_upper ILIKE '%MAXVALUE%' OR part_upper ILIKE '%MINVALUE%';
      EXECUTE format('SELECT %s', part_upper) INTO part_bound;
      CONTINUE WHEN part_bound > cutoff;
{held}      BEGIN
        EXECUTE format('SELECT count(*) FROM %s', part.name) INTO part_rows;
        EXECUTE format('DROP TABLE %s', part.name);
        total := total + part_rows;
        RAISE NOTICE {dropped}, part.name, part_rows;
      EXCEPTION WHEN dependent_objects_still_exist OR foreign_key_violation OR lock_not_available THEN
        RAISE NOTICE {kept}, part.name, SQLERRM;
      END;
      COMMIT;
    END LOOP;
  END IF;
"
        );
        Ok((decl, code))
    }
}

/// The pg_cron job name of a dataset's retention job: `lawful-retain-<dataset>`.
pub fn cron_job_name(dataset: &str) -> String {
    format!("lawful-retain-{dataset}")
}

/// `sql/postgres[/<database>]/schedule.sql`: pg_cron statements that run each retention
/// job of the group on its `retention.schedule` (UTC), or `None` when the group has no
/// PostgreSQL dataset, and when `render` is false (`lawful check`: the names are checked,
/// nothing is written).
///
/// pg_cron lives in one database of the server (`cron.database_name`), so the file is
/// applied there. Each job is upserted by its name ([`cron_job_name`]); with a
/// `storage.database` it runs in that database (`cron.schedule_in_database`), else in the
/// database the file is applied to. Jobs named `lawful-retain-*` of that database that the
/// project no longer declares are unscheduled. Without pg_cron the file does nothing and
/// says so in a NOTICE. Jobs that hash call the procedure without a salt: set it for the
/// role pg_cron runs as (`ALTER ROLE … SET lawful.salt = '…'`).
pub fn schedule(
    p: &Project,
    group: &[usize],
    render: bool,
) -> Result<Option<String>, Vec<Diagnostic>> {
    let m = &p.model;
    let mut datasets: Vec<&DatasetR> = group
        .iter()
        .map(|&i| &m.datasets[i])
        .filter(|d| postgres_table(d).is_some())
        .collect();
    if datasets.is_empty() {
        return Ok(None);
    }
    datasets.sort_by(|a, b| a.id.value.cmp(&b.id.value));
    let database = datasets
        .iter()
        .find_map(|d| d.decl.storage.as_ref().and_then(|s| s.database.clone()));
    let mut errors = Vec::new();
    let mut jobs = Vec::new();
    for d in &datasets {
        let Some(ret) = d.decl.retention.as_ref() else {
            continue;
        };
        if matches!(ret.period.value, Period::Indefinite) {
            continue;
        }
        let Some((Ok(cron), span)) = super::super::schedule::of(d) else {
            // A bad expression is reported by schedule::check.
            continue;
        };
        let id = &d.id.value;
        let r = (|| -> Result<(String, String, String), String> {
            let name = literal(&cron_job_name(id))?;
            let proc_name = qualified("lawful", &format!("{JOB_PREFIX}{id}"))?;
            let cmd = literal(&format!("CALL {proc_name}()"))?;
            Ok((name, literal(&cron.text())?, cmd))
        })();
        match r {
            Ok(j) => jobs.push((id.clone(), j)),
            Err(e) => errors.push(*sql_name_error(
                "the retention job of this dataset",
                e,
                span,
            )),
        }
    }
    let db = match &database {
        Some(name) => match literal(name) {
            Ok(l) => l,
            Err(e) => {
                errors.push(*sql_name_error("the database", e, datasets[0].id.span));
                String::new()
            }
        },
        None => "current_database()".to_string(),
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    if !render {
        return Ok(None);
    }
    let mut body = String::from(
        "\nBEGIN\n  IF NOT EXISTS (SELECT FROM pg_extension WHERE extname = 'pg_cron') THEN\n",
    );
    body.push_str(&format!(
        "    RAISE NOTICE {};\n    RETURN;\n  END IF;\n",
        raise_message("pg_cron is not installed in this database, so no retention job was scheduled; install it (shared_preload_libraries = 'pg_cron', CREATE EXTENSION pg_cron) and apply this file in the database named by cron.database_name, or run the jobs from another scheduler").expect("fixed text")
    ));
    let prefix = literal(&cron_job_name("")).expect("fixed text");
    let keep = if jobs.is_empty() {
        String::new()
    } else {
        format!(
            "\n    AND j.jobname NOT IN ({})",
            jobs.iter()
                .map(|(_, (n, _, _))| n.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    body.push_str(&format!(
        "  PERFORM cron.unschedule(j.jobid) FROM cron.job AS j\n    WHERE starts_with(j.jobname, {prefix})\n    AND j.database = {db}{keep};\n"
    ));
    for (_, (name, cron, cmd)) in &jobs {
        if database.is_some() {
            body.push_str(&format!(
                "  PERFORM cron.schedule_in_database({name}, {cron}, {cmd}, {db});\n"
            ));
        } else {
            body.push_str(&format!(
                "  PERFORM cron.schedule({name}, {cron}, {cmd});\n"
            ));
        }
    }
    body.push_str("END\n");
    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(m, datasets.iter().map(|d| d.id.span))
    )));
    out.push_str(
        "\n--\n\
         -- Schedules of the retention jobs, as pg_cron jobs (times in UTC). Apply it while\n\
         -- connected to the database pg_cron is installed in (cron.database_name). It\n\
         -- replaces the lawful-retain-* jobs of this database with the ones below and\n\
         -- does nothing, with a NOTICE, where pg_cron is not installed. Jobs that hash\n\
         -- read their salt from the setting lawful.salt of the role pg_cron runs them as.\n",
    );
    for (id, (_, cron, _)) in &jobs {
        out.push_str(&comment(&format!(
            "{id}: {cron}, CALL lawful.{JOB_PREFIX}{id}();"
        )));
        out.push('\n');
    }
    out.push_str(&format!(
        "\nBEGIN;\n{STANDARD_STRINGS}\nDO {};\nCOMMIT;\n",
        dollar_quote(&body)
    ));
    Ok(Some(out))
}
