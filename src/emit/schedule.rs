//! When retention jobs run: each dataset's `retention.schedule`, a five-field cron
//! expression in UTC (default [`DEFAULT_SCHEDULE`]). The PostgreSQL files carry pg_cron
//! statements, the MySQL files events; this module checks the expressions and writes the
//! Kubernetes CronJob manifests (`k8s/`).

use crate::manifest::Span;
use crate::model::{DatasetR, Model};
use crate::report::Diagnostic;

/// Daily at 03:00 UTC.
pub const DEFAULT_SCHEDULE: &str = "0 3 * * *";

/// A checked cron expression: minute, hour, day of month, month, day of week.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cron {
    /// The five fields as written, single spaces between them.
    pub fields: [String; 5],
}

/// The range of each field, and its name for messages.
const FIELDS: [(&str, u32, u32); 5] = [
    ("minute", 0, 59),
    ("hour", 0, 23),
    ("day of month", 1, 31),
    ("month", 1, 12),
    ("day of week", 0, 7),
];

impl Cron {
    /// Parse five whitespace-separated fields, each `*`, a number, a range `a-b`, a step
    /// `*/n` or `a-b/n`, or a comma-separated list of those, every number within the
    /// field's range. Names (`MON`, `JAN`) and the `@daily` shorthands are refused, so
    /// every scheduler reads the expression the same way.
    ///
    /// Errors: a message naming the field at fault.
    pub fn parse(text: &str) -> Result<Cron, String> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        if parts.len() != 5 {
            return Err(format!(
                "a schedule has five fields (minute hour day-of-month month day-of-week), this has {}",
                parts.len()
            ));
        }
        for (p, (name, lo, hi)) in parts.iter().zip(FIELDS) {
            for item in p.split(',') {
                let (range, step) = match item.split_once('/') {
                    Some((r, s)) => (r, Some(s)),
                    None => (item, None),
                };
                if let Some(s) = step {
                    match s.parse::<u32>() {
                        Ok(n) if n >= 1 && n <= hi => {}
                        _ => {
                            return Err(format!(
                                "the {name} step `{s}` is not a number from 1 to {hi}"
                            ));
                        }
                    }
                    // `5/15` means "from 5 every 15" to some crons and is an error to
                    // others (pg_cron): a step follows `*` or a range.
                    if range != "*" && !range.contains('-') {
                        return Err(format!(
                            "the {name} step `{item}` follows a single number; write `*/{s}` or a range such as `{range}-{hi}/{s}`"
                        ));
                    }
                }
                if range == "*" {
                    continue;
                }
                let num = |t: &str| -> Result<u32, String> {
                    match t.parse::<u32>() {
                        Ok(n) if (lo..=hi).contains(&n) => Ok(n),
                        _ => Err(format!(
                            "the {name} `{t}` is not a number from {lo} to {hi}"
                        )),
                    }
                };
                match range.split_once('-') {
                    Some((a, b)) => {
                        if num(a)? > num(b)? {
                            return Err(format!("the {name} range `{range}` runs backwards"));
                        }
                    }
                    None => {
                        num(range)?;
                    }
                }
            }
        }
        // A day that never comes: `0 3 31 2 *` would never run.
        if let (Ok(day), Ok(month)) = (parts[2].parse::<u32>(), parts[3].parse::<u32>()) {
            let last = match month {
                2 => 29,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            if day > last {
                return Err(format!(
                    "day {day} of month {month} never comes, so the job would never run"
                ));
            }
        }
        Ok(Cron {
            fields: [0, 1, 2, 3, 4].map(|i| parts[i].to_string()),
        })
    }

    /// The expression, fields separated by single spaces.
    pub fn text(&self) -> String {
        self.fields.join(" ")
    }

    /// A fixed-interval reading of the expression, for schedulers without cron (MySQL
    /// events): `(every, first)` where `every` is `(n, unit)` with unit `MINUTE`, `HOUR`,
    /// `DAY`, `WEEK` or `MONTH`, and `first` the minute, hour, day of week (0–6, Sunday 0)
    /// and day of month the first run must fall on (`None` where any will do). `None` when
    /// the expression is not one fixed interval (`0 3 * * 1-5`).
    pub fn interval(&self) -> Option<Interval> {
        let f = &self.fields;
        let n = |s: &str| s.parse::<u32>().ok();
        let star = |s: &str| s == "*";
        match (
            f[0].as_str(),
            f[1].as_str(),
            f[2].as_str(),
            f[3].as_str(),
            f[4].as_str(),
        ) {
            (m, h, d, mo, w) if star(h) && star(d) && star(mo) && star(w) => {
                if let Some(step) = m.strip_prefix("*/") {
                    let s = n(step)?;
                    (60 % s == 0).then_some(Interval {
                        every: s,
                        unit: "MINUTE",
                        minute: Some(0),
                        hour: None,
                        weekday: None,
                        day: None,
                    })
                } else {
                    Some(Interval {
                        every: 1,
                        unit: "HOUR",
                        minute: Some(n(m)?),
                        hour: None,
                        weekday: None,
                        day: None,
                    })
                }
            }
            (m, h, d, mo, w) if star(d) && star(mo) && star(w) => {
                if let Some(step) = h.strip_prefix("*/") {
                    let s = n(step)?;
                    (24 % s == 0).then_some(Interval {
                        every: s,
                        unit: "HOUR",
                        minute: Some(n(m)?),
                        hour: Some(0),
                        weekday: None,
                        day: None,
                    })
                } else {
                    Some(Interval {
                        every: 1,
                        unit: "DAY",
                        minute: Some(n(m)?),
                        hour: Some(n(h)?),
                        weekday: None,
                        day: None,
                    })
                }
            }
            (m, h, d, mo, w) if star(d) && star(mo) => Some(Interval {
                every: 1,
                unit: "WEEK",
                minute: Some(n(m)?),
                hour: Some(n(h)?),
                weekday: Some(n(w)? % 7),
                day: None,
            }),
            (m, h, d, mo, w) if star(mo) && star(w) && n(d)? <= 28 => Some(Interval {
                every: 1,
                unit: "MONTH",
                minute: Some(n(m)?),
                hour: Some(n(h)?),
                weekday: None,
                day: Some(n(d)?),
            }),
            _ => None,
        }
    }
}

/// A schedule as one fixed interval: see [`Cron::interval`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Interval {
    pub every: u32,
    /// `MINUTE`, `HOUR`, `DAY`, `WEEK` or `MONTH`.
    pub unit: &'static str,
    pub minute: Option<u32>,
    pub hour: Option<u32>,
    /// 0–6, Sunday 0.
    pub weekday: Option<u32>,
    /// 1–28.
    pub day: Option<u32>,
}

/// The schedule of a dataset's retention job and the span it was declared at (the
/// retention's own span for the default), or `None` without retention.
pub fn of(d: &DatasetR) -> Option<(Result<Cron, String>, Span)> {
    let ret = d.decl.retention.as_ref()?;
    Some(match &ret.schedule {
        Some(s) => (Cron::parse(&s.value), s.span),
        None => (Cron::parse(DEFAULT_SCHEDULE), ret.span),
    })
}

/// `emit::retention-schedule` (error): a schedule that is not a valid cron expression.
pub fn check(m: &Model) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for d in &m.datasets {
        if let Some((Err(why), span)) = of(d) {
            out.push(
                Diagnostic::error(
                    "emit::retention-schedule",
                    format!("the retention schedule of dataset `{}` is not a cron expression: {why}", d.id.value),
                )
                .at(span, "not minute hour day-of-month month day-of-week")
                .with_help("write five fields in UTC, for example `0 3 * * *` (daily at 03:00) or `30 2 * * 0` (Sundays at 02:30); names such as `MON` and shorthands such as `@daily` are not accepted")
                .with_target(format!("datasets.{}", d.id.value)),
            );
        }
    }
    out
}

/// `k8s/retention-cronjobs.yaml`: one Kubernetes CronJob per dataset whose retention job
/// lawful generates (PostgreSQL and MySQL, a period other than `indefinite`, a valid
/// schedule), or `None` when there is none. Each runs on the dataset's schedule in UTC
/// (`timeZone: Etc/UTC`), never twice at once (`concurrencyPolicy: Forbid`), and calls
/// the job with the database client:
///
/// - PostgreSQL: `psql -v ON_ERROR_STOP=1 -c 'CALL "lawful"."retain_<dataset>"()'`, the
///   connection from the Secret `lawful-postgres[-<database>]` as libpq variables
///   (`PGHOST`, `PGPORT`, `PGDATABASE`, `PGUSER`, `PGPASSWORD`; a hashing job reads its
///   salt from the setting `lawful.salt` of that user);
/// - MySQL and MariaDB: `mariadb -e 'CALL …'`, the connection from the Secret
///   `lawful-mysql[-<database>]` (`MYSQL_HOST`, `MYSQL_TCP_PORT`, `MYSQL_USER`,
///   `MYSQL_PWD`).
///
/// The YAML is written in a fixed order with every string JSON-quoted (valid YAML), so the
/// same project gives the same bytes.
pub fn k8s(m: &Model) -> Option<String> {
    use crate::manifest::Period;
    use crate::manifest::types::Engine;
    let q = |s: &str| serde_json::to_string(s).expect("a string serialises");
    let mut datasets: Vec<&DatasetR> = m.datasets.iter().collect();
    datasets.sort_by(|a, b| a.id.value.cmp(&b.id.value));
    // About 1 KB per job: sized once, since a large organisation's file runs to megabytes.
    let mut out = String::with_capacity(datasets.len() * 1024);
    let mut names = std::collections::BTreeSet::new();
    let mut skipped: Vec<String> = Vec::new();
    for d in datasets {
        let Some(s) = d.decl.storage.as_ref() else {
            continue;
        };
        let Some(ret) = d.decl.retention.as_ref() else {
            continue;
        };
        if matches!(ret.period.value, Period::Indefinite) {
            continue;
        }
        let Some((Ok(cron), _)) = of(d) else { continue };
        let id = &d.id.value;
        let hashes = ret.then.value == crate::manifest::types::RetentionAction::Anonymise
            && d.fields.iter().any(|f| {
                f.decl
                    .anonymise
                    .as_ref()
                    .is_some_and(|a| a.value == crate::manifest::types::AnonymiseMethod::Hash)
            });
        let db_suffix = s
            .database
            .as_deref()
            .map(|x| format!("-{}", dns_label(x)))
            .unwrap_or_default();
        let (image, secret, command): (&str, String, Vec<String>) = match s.engine {
            Engine::Postgres => {
                let Ok(proc_name) = crate::sql::postgres::qualified(
                    "lawful",
                    &format!("{}{id}", crate::emit::retention::JOB_PREFIX),
                ) else {
                    continue;
                };
                (
                    "postgres:16",
                    format!("lawful-postgres{db_suffix}"),
                    vec![
                        "psql".into(),
                        "-X".into(),
                        "-v".into(),
                        "ON_ERROR_STOP=1".into(),
                        "-c".into(),
                        format!("CALL {proc_name}()"),
                    ],
                )
            }
            Engine::Mysql => {
                // The salt of a hashing job must not sit in a manifest any more than in an
                // event: such a job is left to a scheduler that holds the secret.
                if hashes {
                    skipped.push(format!(
                        "# {id}: its job hashes with a secret salt, so it has no CronJob here; call it with the salt from a scheduler that holds the secret."
                    ));
                    continue;
                }
                let db = s.database.clone().unwrap_or_default();
                let Ok(proc_name) = crate::sql::mysql::qualified(
                    &db,
                    &format!("lawful_{}{id}", crate::emit::retention::JOB_PREFIX),
                ) else {
                    continue;
                };
                (
                    "mariadb:11",
                    format!("lawful-mysql{db_suffix}"),
                    vec![
                        "mariadb".into(),
                        "--batch".into(),
                        "-e".into(),
                        format!("CALL {proc_name}(NULL, NULL)"),
                    ],
                )
            }
            _ => continue,
        };
        let mut name = format!("lawful-retain-{}", dns_label(id));
        name.truncate(52);
        let base = name.clone();
        let mut n = 1;
        while !names.insert(name.clone()) {
            n += 1;
            name = format!("{}-{n}", &base[..base.len().min(48)]);
        }
        let cmd = command.iter().map(|c| q(c)).collect::<Vec<_>>().join(", ");
        let salt_note = if hashes {
            "\n# It hashes: set the salt for the Secret's user first (ALTER ROLE <user> SET lawful.salt = '<secret>')."
        } else {
            ""
        };
        out.push_str(&format!(
            "---\n\
             # Retention job of dataset {id}.{salt_note}\n\
             apiVersion: batch/v1\n\
             kind: CronJob\n\
             metadata:\n  name: {}\n  labels:\n    app.kubernetes.io/managed-by: lawful\n    lawful/dataset: {}\n\
             spec:\n  schedule: {}\n  timeZone: Etc/UTC\n  concurrencyPolicy: Forbid\n  startingDeadlineSeconds: 3600\n  successfulJobsHistoryLimit: 3\n  failedJobsHistoryLimit: 3\n\
             \x20 jobTemplate:\n    spec:\n      backoffLimit: 0\n      template:\n        spec:\n          restartPolicy: Never\n\
             \x20         containers:\n            - name: retain\n              image: {}\n              command: [{cmd}]\n\
             \x20             envFrom:\n                - secretRef:\n                    name: {}\n",
            q(&name),
            q(&dns_label(id)),
            q(&cron.text()),
            q(image),
            q(&secret),
        ));
    }
    (!out.is_empty() || !skipped.is_empty()).then(|| {
        let mut head = String::from(
            "# Generated by lawful; do not edit. Kubernetes CronJobs running the retention jobs\n\
             # (times in UTC). Create the Secrets they name with the connection settings:\n\
             # PostgreSQL: PGHOST, PGPORT, PGDATABASE, PGUSER, PGPASSWORD;\n\
             # MySQL and MariaDB: MYSQL_HOST, MYSQL_TCP_PORT, MYSQL_USER, MYSQL_PWD.\n",
        );
        for l in &skipped {
            head.push_str(l);
            head.push('\n');
        }
        // The head goes in front of the jobs in place: the jobs are not copied.
        out.reserve(head.len() + crate::emit::trace::FOOTER_ROOM);
        out.insert_str(0, &head);
        out
    })
}

/// A DNS-1123 label part: lower case ASCII letters, digits and `-`; anything else becomes
/// `-` (a non-ASCII id becomes its UTF-8 bytes in hex, so it stays distinct).
fn dns_label(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            c if c.is_ascii() => out.push('-'),
            c => {
                let mut b = [0u8; 4];
                for x in c.encode_utf8(&mut b).bytes() {
                    out.push_str(&format!("{x:02x}"));
                }
            }
        }
    }
    let t = out.trim_matches('-').to_string();
    if t.is_empty() { "x".into() } else { t }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cron_expressions_are_checked_field_by_field() {
        assert!(Cron::parse("0 3 * * *").is_ok());
        assert!(Cron::parse("*/15 1-5,7 1 1-12/2 0").is_ok());
        assert!(Cron::parse("0 3 * *").unwrap_err().contains("five fields"));
        assert!(
            Cron::parse("60 3 * * *")
                .unwrap_err()
                .contains("minute `60`")
        );
        assert!(
            Cron::parse("0 3 * * MON")
                .unwrap_err()
                .contains("day of week")
        );
        assert!(
            Cron::parse("0 5-3 * * *")
                .unwrap_err()
                .contains("backwards")
        );
        assert!(Cron::parse("@daily").is_err());
        assert!(Cron::parse("1/5 * * * *").unwrap_err().contains("`*/5`"));
        assert!(Cron::parse("1-59/5 * * * *").is_ok());
        assert!(Cron::parse("0 3 31 2 *").unwrap_err().contains("never"));
        assert!(Cron::parse("0 3 29 2 *").is_ok());
    }

    #[test]
    fn simple_schedules_become_fixed_intervals() {
        let i = |s: &str| Cron::parse(s).unwrap().interval();
        assert_eq!(i("0 3 * * *").unwrap().unit, "DAY");
        assert_eq!(i("30 * * * *").unwrap().unit, "HOUR");
        assert_eq!(i("*/15 * * * *").unwrap().every, 15);
        assert_eq!(i("0 2 * * 7").unwrap().weekday, Some(0));
        assert_eq!(i("0 2 1 * *").unwrap().unit, "MONTH");
        assert_eq!(i("0 3 * * 1-5"), None);
        assert_eq!(i("0 3 31 * *"), None);
    }
}
