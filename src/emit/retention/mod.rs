//! Retention jobs, one module per SQL dialect: [`postgres`], [`mysql`], [`snowflake`],
//! [`bigquery`]; the schedules that run them are in [`crate::emit::schedule`].
//!
//! This module holds what every dialect shares: the limits and the checks of the
//! `retention:` settings, so the same YAML is refused the same way whatever the engine.

use crate::Project;
use crate::manifest::types::{AnchorType, Engine};
use crate::manifest::{Period, Span};
use crate::model::Model;
use crate::report::Diagnostic;

pub mod bigquery;
pub mod mysql;
pub mod postgres;
pub mod snowflake;

/// The retention files of one database of `engine` (file name → contents), for the
/// datasets `group` (indices into `Model::datasets`). With `render` false (`lawful
/// check`), the PostgreSQL jobs and schedules are only checked (see
/// [`crate::emit::database_refusals`]).
pub fn generate(p: &Project, engine: Engine, group: &[usize], render: bool) -> crate::emit::Files {
    match engine {
        Engine::Postgres => vec![
            ("retention.sql".into(), postgres::generate(p, group, render)),
            ("schedule.sql".into(), postgres::schedule(p, group, render)),
        ],
        Engine::Mysql => mysql::generate(p, group),
        Engine::Snowflake => snowflake::generate(p, group),
        Engine::Bigquery => bigquery::generate(p, group),
        Engine::Other => Vec::new(),
    }
}

/// The column a dataset's legal-hold table is matched on: the column of the field
/// `legal_hold.key` names (by field name or column name), else of the subject key. The hold table has a column of the same
/// name; a row is held when its value is listed there. `None` without a hold table or when
/// neither names a field (reported by [`check_settings`]).
pub fn hold_key(d: &crate::model::DatasetR) -> Option<&str> {
    let h = d.decl.retention.as_ref()?.legal_hold.as_ref()?;
    h.table.as_ref()?;
    match &h.key {
        Some(k) => d
            .fields
            .iter()
            .find(|f| f.name.value == k.value || f.column == k.value)
            .map(|f| f.column.as_str()),
        None => d.subject_key.map(|i| d.fields[i].column.as_str()),
    }
}

/// Default rows per batch when the retention declares no `batch_size`.
pub const DEFAULT_BATCH_SIZE: u32 = 5000;
/// The largest `batch_size` accepted: a batch is one transaction, and larger ones hold
/// locks and WAL for long.
pub const MAX_BATCH_SIZE: u32 = 1_000_000;
/// The longest period accepted, in years. PostgreSQL's timestamps start in 4713 BC, so
/// `now() - 99999 years` fails at run time; no law asks for more than a lifetime anyway.
pub const MAX_PERIOD_YEARS: f64 = 1000.0;
/// What a hashed value starts with: `anon:` and then hex digits of the salted digest.
pub const HASH_PREFIX: &str = "anon:";
/// The fewest hex digits of the digest a hashed column must hold after the prefix.
pub const MIN_HASH_HEX: usize = 8;
/// Name prefixes of the job procedures and the dry-run functions.
pub const JOB_PREFIX: &str = "retain_";
pub const DUE_PREFIX: &str = "due_";
/// Name prefix of the jobs of earlier lawful versions, dropped too.
pub(crate) const LEGACY_PREFIX: &str = "retention_";

/// Retention settings PostgreSQL would only reject when the job runs, or that would
/// silently do nothing: checked for every dataset with a retention, whatever its engine, so
/// the same YAML is refused the same way.
///
/// - a period longer than [`MAX_PERIOD_YEARS`];
/// - a `batch_size` of 0 or above [`MAX_BATCH_SIZE`];
/// - a `time_zone` that is neither `UTC` nor of the IANA form `Area/Location` (letters,
///   digits, `_`, `-`, `+`, with `/` between parts); PostgreSQL checks the name itself
///   when the job runs;
/// - a `time_zone` with a `timestamptz` or epoch anchor, where it would have no effect.
pub fn check_settings(m: &Model) -> Vec<Diagnostic> {
    let mut errors = Vec::new();
    for d in &m.datasets {
        let Some(ret) = d.decl.retention.as_ref() else {
            continue;
        };
        let id = &d.id.value;
        if let Period::Duration(dur) = &ret.period.value
            && dur.approx_seconds() > MAX_PERIOD_YEARS * 365.2425 * 86_400.0
        {
            errors.push(
                Diagnostic::error(
                    "emit::retention-period-range",
                    format!("the retention period of dataset `{id}` is longer than {MAX_PERIOD_YEARS} years"),
                )
                .at(ret.period.span, "too long")
                .with_help("PostgreSQL cannot compute a cutoff that far back (its dates start in 4713 BC); write the period the law or the purpose requires, or `indefinite` if the data is kept without end")
                .with_target(format!("datasets.{id}")),
            );
        }
        if let Some(b) = ret.batch_size
            && (b == 0 || b > MAX_BATCH_SIZE)
        {
            errors.push(
                Diagnostic::error(
                    "emit::retention-batch-size",
                    format!("the batch size {b} of dataset `{id}` is out of range"),
                )
                .at(
                    value_span(m, ret.span, "batch_size").unwrap_or(ret.span),
                    format!("between 1 and {MAX_BATCH_SIZE}"),
                )
                .with_help(format!("each batch is one transaction: give a number of rows between 1 and {MAX_BATCH_SIZE}, or leave `batch_size` out for {DEFAULT_BATCH_SIZE}"))
                .with_target(format!("datasets.{id}")),
            );
        }
        if let Some(z) = &ret.time_zone {
            if !matches!(ret.anchor_type, AnchorType::Timestamp | AnchorType::Date) {
                errors.push(
                    Diagnostic::error(
                        "emit::retention-time-zone-unused",
                        format!(
                            "the time zone of dataset `{id}` has no effect: its anchor `{}` is {}",
                            ret.after.value,
                            match ret.anchor_type {
                                AnchorType::Timestamptz => "an absolute instant (`timestamptz`)",
                                _ => "counted from 1970-01-01 UTC",
                            }
                        ),
                    )
                    .at(z.span, "no effect")
                    .with_help("remove `time_zone`; or, if the column holds wall-clock time without a zone, say `anchor_type: timestamp` (or `date`)")
                    .with_target(format!("datasets.{id}")),
                );
            } else if !is_zone_name(&z.value) {
                errors.push(
                    Diagnostic::error(
                        "emit::retention-time-zone",
                        format!("`{}` is not an IANA time zone name", z.value.escape_debug()),
                    )
                    .at(z.span, "not of the form Area/Location")
                    .with_help("write `UTC` or an IANA name such as `Europe/Berlin` or `America/New_York`; abbreviations such as `CET` or `EST` are ambiguous and follow no daylight-saving rules. PostgreSQL checks the name when the job runs")
                    .with_target(format!("datasets.{id}")),
                );
            }
        }
    }
    errors.extend(check_types(m));
    errors
}

/// Checks of the retention against the fields' declared `type:` and the legal hold, for
/// every dataset with a retention (errors, each at the YAML that is wrong):
///
/// - `emit::anonymise-type`: `anonymise: hash` on a field whose type is not text (the
///   digest is text), `anonymise: year` on one that is not a date or timestamp;
/// - `emit::anchor-type`: an anchor field whose declared type contradicts `anchor_type`
///   (a `bigint` anchor with `timestamptz`, a `timestamptz` one with `epoch_seconds`);
/// - `emit::legal-hold-column`: a `legal_hold.column` that is not a field of the dataset,
///   or whose declared type is not boolean;
/// - `emit::legal-hold-table`: a `legal_hold.table` on a dataset without `subject_key`
///   (held rows are found by their subject key).
pub fn check_types(m: &Model) -> Vec<Diagnostic> {
    use crate::manifest::types::AnonymiseMethod;
    use crate::sql::{TypeFamily, type_family_in};
    let mut out = Vec::new();
    for d in &m.datasets {
        let Some(ret) = d.decl.retention.as_ref() else {
            continue;
        };
        let engine = d
            .decl
            .storage
            .as_ref()
            .map_or(Engine::Postgres, |s| s.engine);
        let type_family = |t: &str| type_family_in(engine, t);
        let id = &d.id.value;
        let target = format!("datasets.{id}");
        for f in &d.fields {
            let (Some(t), Some(a)) = (f.decl.sql_type.as_ref(), f.decl.anonymise.as_ref()) else {
                continue;
            };
            let fam = type_family(&t.value);
            let (ok, need) = match a.value {
                AnonymiseMethod::Hash => (fam == TypeFamily::Text, "a text type"),
                AnonymiseMethod::Year => (
                    matches!(
                        fam,
                        TypeFamily::Date | TypeFamily::Timestamp | TypeFamily::Timestamptz
                    ),
                    "a date or timestamp type",
                ),
                _ => (true, ""),
            };
            if !ok {
                out.push(
                    Diagnostic::error(
                        "emit::anonymise-type",
                        format!(
                            "field `{id}.{}` is of type `{}`; `anonymise: {}` needs {need}",
                            f.name.value,
                            t.value,
                            if a.value == AnonymiseMethod::Hash { "hash" } else { "year" }
                        ),
                    )
                    .at(a.span, "cannot apply to this column")
                    .with_secondary(t.span, "declared type")
                    .with_help("use `anonymise: null` (set to NULL), or a method that fits the type: `hash` for text, `year` for dates and timestamps")
                    .with_target(target.clone()),
                );
            }
        }
        if let Some(a) = d.anchor
            && let Some(t) = d.fields[a].decl.sql_type.as_ref()
        {
            let fam = type_family(&t.value);
            let ok = match ret.anchor_type {
                AnchorType::Timestamptz => fam == TypeFamily::Timestamptz,
                AnchorType::Timestamp => fam == TypeFamily::Timestamp,
                AnchorType::Date => fam == TypeFamily::Date,
                AnchorType::EpochSeconds | AnchorType::EpochMilliseconds => {
                    matches!(fam, TypeFamily::Integer | TypeFamily::Numeric)
                }
            };
            if !ok && fam != TypeFamily::Other {
                let (name, fix) = match fam {
                    TypeFamily::Timestamptz => ("an instant", "timestamptz"),
                    TypeFamily::Timestamp => ("a wall-clock timestamp", "timestamp"),
                    TypeFamily::Date => ("a date", "date"),
                    TypeFamily::Integer | TypeFamily::Numeric => {
                        ("a number", "epoch_seconds` or `epoch_milliseconds")
                    }
                    _ => ("text", "the type the column really has"),
                };
                out.push(
                    Diagnostic::error(
                        "emit::anchor-type",
                        format!(
                            "the retention anchor `{id}.{}` is of type `{}`, {name}, but `anchor_type` says otherwise",
                            d.fields[a].name.value, t.value
                        ),
                    )
                    .at(t.span, "declared type")
                    .with_secondary(ret.after.span, "retention anchor")
                    .with_help(format!("set `anchor_type: {fix}` so the job compares the column with a cutoff of the same kind"))
                    .with_target(target.clone()),
                );
            }
        }
        let Some(h) = ret.legal_hold.as_ref() else {
            continue;
        };
        if h.value.column.is_none() && h.value.table.is_none() {
            out.push(
                Diagnostic::error(
                    "emit::legal-hold-empty",
                    format!("the legal hold of dataset `{id}` names neither a `column` nor a `table`, so it holds nothing"),
                )
                .at(h.span, "no `column` or `table`")
                .with_help("flag held rows with `column: <boolean field>`, or list held subjects in `table: <schema.table>`")
                .with_target(target.clone()),
            );
        }
        if let Some(c) = &h.value.column {
            match d.fields.iter().find(|f| f.name.value == c.value) {
                None => out.push(
                    Diagnostic::error(
                        "emit::legal-hold-column",
                        format!("the legal hold column `{}` is not a field of dataset `{id}`", c.value),
                    )
                    .at(c.span, "not a field")
                    .with_help("declare the boolean column under `fields:` (with `type: boolean`), or name the field that flags held rows")
                    .with_target(target.clone()),
                ),
                Some(f) => {
                    if let Some(t) = f.decl.sql_type.as_ref()
                        && type_family(&t.value) != TypeFamily::Boolean
                    {
                        out.push(
                            Diagnostic::error(
                                "emit::legal-hold-column",
                                format!("the legal hold column `{id}.{}` is of type `{}`, not boolean", f.name.value, t.value),
                            )
                            .at(c.span, "flags held rows")
                            .with_secondary(t.span, "declared type")
                            .with_help("a row is held when this column is true; point `legal_hold.column` at a boolean column, or use `legal_hold.table` to list held subjects")
                            .with_target(target.clone()),
                        );
                    }
                }
            }
        }
        if let Some(k) = &h.value.key
            && !d
                .fields
                .iter()
                .any(|f| f.name.value == k.value || f.column == k.value)
        {
            let mut diag = Diagnostic::error(
                "emit::legal-hold-key",
                format!(
                    "the legal hold key `{}` is not a field of dataset `{id}`",
                    k.value
                ),
            )
            .at(k.span, "not a field");
            diag = match crate::suggest::closest(&k.value, d.fields.iter().map(|f| f.name.value.as_str())) {
                Some(s) => diag.with_help(format!("did you mean `{s}`? The key is the field of this dataset whose value the hold table lists, in a column of the same name")),
                None => diag.with_help("name the field of this dataset whose value the hold table lists (the hold table has a column of the same name)"),
            };
            out.push(diag.with_target(target.clone()));
        }
        if let Some(t) = &h.value.table
            && d.subject_key.is_none()
            && h.value.key.is_none()
        {
            out.push(
                Diagnostic::error(
                    "emit::legal-hold-table",
                    format!("dataset `{id}` lists held subjects in `{}` but declares no `subject_key`", t.value),
                )
                .at(t.span, "held subjects are matched by subject key")
                .with_help("name the field the hold table lists with `legal_hold.key`, declare `subject_key: <field>`, or flag held rows with `legal_hold.column`")
                .with_target(target.clone()),
            );
        }
    }
    out
}

/// `UTC`, or `Area/Location[/More]`: parts of letters, digits, `_`, `-` and `+`, the first
/// starting with a letter.
pub(crate) fn is_zone_name(z: &str) -> bool {
    if z == "UTC" {
        return true;
    }
    let parts: Vec<&str> = z.split('/').collect();
    parts.len() >= 2
        && parts[0].starts_with(|c: char| c.is_ascii_alphabetic())
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        })
}

/// The span of the value of `key:` inside `within` (a mapping), found in the source text;
/// for settings the manifest keeps without a span.
pub(crate) fn value_span(m: &Model, within: Span, key: &str) -> Option<Span> {
    let text = &m.sources.get(within.file)?.text;
    let start = within.start as usize;
    let region = text.get(start..mapping_end(text, start)?)?;
    let mut from = 0;
    while let Some(at) = region[from..].find(key) {
        let k = from + at;
        from = k + key.len();
        let before_ok = region[..k]
            .chars()
            .next_back()
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'));
        let rest = &region[from..];
        let after = rest.trim_start_matches([' ', '\t']);
        if !before_ok || !after.starts_with(':') {
            continue;
        }
        let value = after[1..].trim_start_matches([' ', '\t']);
        let len = value
            .find([',', '}', '\n', '#', '\r'])
            .unwrap_or(value.len());
        let start = within.start as usize + (region.len() - value.len());
        let len = value[..len].trim_end().len();
        return Some(Span::new(within.file, start, start + len));
    }
    None
}

/// Where the YAML mapping starting at `start` ends: the matching `}` of a flow mapping, or
/// the first later line indented less than the mapping's first key.
fn mapping_end(text: &str, start: usize) -> Option<usize> {
    let rest = text.get(start..)?;
    if rest.starts_with('{') {
        let (mut depth, mut quote) = (0usize, None);
        for (i, c) in rest.char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '\'' | '"') => quote = Some(c),
                (None, '{' | '[') => depth += 1,
                (None, '}' | ']') => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(start + i + 1);
                    }
                }
                _ => {}
            }
        }
        return Some(text.len());
    }
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let indent = text[line_start..start].chars().count();
    let mut end = start + rest.find('\n').map_or(rest.len(), |i| i + 1);
    for line in text[end..].split_inclusive('\n') {
        let trimmed = line.trim_start_matches(' ');
        let deeper = line.len() - trimmed.len() >= indent;
        if !(deeper || trimmed.trim().is_empty() || trimmed.starts_with('#')) {
            break;
        }
        end += line.len();
    }
    Some(end.min(text.len()))
}
