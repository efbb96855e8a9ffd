//! `lawful check` reports every declaration the SQL generators would refuse, at its YAML
//! line and column, before anyone runs `lawful build`: mask bounds, masking-view names,
//! consent-log columns and tables, MySQL schemas, empty legal holds, cron steps and days
//! that never come, and names an engine cannot hold.

use std::process::Command;

const HEAD: &str = "version: 1
organization: { name: Acme, contact: { email: privacy@acme.example }, establishments: [DE] }
subjects: { people: { lives_in: [EU] } }
purposes:
  support: { title: { en: Support }, legal_basis: { gdpr: contract }, categories: [contact.email, contact.phone, account.id], retention: P1Y }
roles: { agent: { db_role: agent, purposes: [support], masked: [contact.phone] } }
datasets:
";

/// The JSON report of `lawful check` on a project of one file, `yaml`, which must have
/// findings (exit code 1).
fn check_json(yaml: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lawful.yaml"), yaml).unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(["check", "--format", "json"])
        .arg(dir.path())
        .env("LAWFUL_TODAY", "2026-11-29")
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

/// A finding's key (its rule, or what `key` takes of it) with its line and column.
fn placed(f: &serde_json::Value, key: impl Fn(&serde_json::Value) -> String) -> (String, u64, u64) {
    let l = &f["location"];
    (
        key(f),
        l["line"].as_u64().unwrap(),
        l["column"].as_u64().unwrap(),
    )
}

/// The `emit::` findings of `lawful check` on `HEAD` + `datasets`, as (code, line, column).
fn emit_findings(datasets: &str) -> Vec<(String, u64, u64)> {
    let v = check_json(&format!("{HEAD}{datasets}"));
    let mut out: Vec<(String, u64, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("emit::"))
        .map(|f| placed(f, |f| f["rule"].as_str().unwrap().to_string()))
        .collect();
    out.sort();
    out
}

fn codes(v: &[(String, u64, u64)]) -> Vec<&str> {
    v.iter().map(|(c, _, _)| c.as_str()).collect()
}

#[test]
fn masks_views_schemas_holds_and_schedules_are_checked_at_their_place() {
    let f = emit_findings(
        "  customers:
    storage: { engine: mysql, database: shop, schema: x, table: customers }
    subjects: [people]
    retention: { period: P1Y, after: seen, then: delete, legal_hold: {}, schedule: \"1/5 * * * *\" }
    fields:
      seen: { categories: [non_personal.operational] }
      phone: { categories: [contact.phone], mask: { style: partial, keep_first: 4000000, keep_last: 4 } }
",
    );
    assert_eq!(
        f,
        [
            ("emit::legal-hold-empty".to_string(), 11, 70),
            ("emit::mask-keep".to_string(), 14, 81),
            ("emit::mysql-schema".to_string(), 9, 14),
            ("emit::retention-schedule".to_string(), 11, 84),
        ]
    );
}

#[test]
fn a_table_named_like_a_masking_view_and_odd_consent_logs_are_refused() {
    let f = emit_findings(
        "  customers:
    storage: { engine: mysql, database: shop, table: customers }
    subjects: [people]
    fields:
      phone: { categories: [contact.phone], mask: { style: phone } }
  cm:
    storage: { engine: mysql, database: shop, table: customers_masked }
    subjects: [people]
    fields:
      id: { categories: [account.id] }
  clog:
    storage: { engine: postgres, database: shop, table: consent_log }
    subjects: [people]
    consent_log: { readers: [agent] }
    fields: { email: { categories: [contact.email] } }
  clog2:
    storage: { engine: postgres, database: shop, table: consent_log }
    subjects: [people]
    consent_log: { readers: [agent] }
",
    );
    assert_eq!(
        codes(&f),
        [
            "emit::consent-log-column",
            "emit::consent-log-table",
            "emit::masking-view-name"
        ],
        "{f:?}"
    );
    // The view's name is reported at the table that takes it.
    assert!(
        f.contains(&("emit::masking-view-name".to_string(), 14, 54)),
        "{f:?}"
    );
}

#[test]
fn what_the_generators_refuse_is_reported_by_check_too() {
    // A PostgreSQL table name so long that its masking view's name would pass 63 bytes, and
    // a retention without a subject key: both only the generator knows.
    let long = "t".repeat(60);
    let f = emit_findings(&format!(
        "  customers:
    storage: {{ engine: postgres, table: {long} }}
    subjects: [people]
    retention: {{ period: P1Y, after: seen, then: delete }}
    fields:
      seen: {{ categories: [non_personal.operational] }}
      phone: {{ categories: [contact.phone], mask: {{ style: phone }} }}
"
    ));
    assert!(
        codes(&f).contains(&"emit::retention-needs-subject-key"),
        "{f:?}"
    );
    assert!(
        f.iter()
            .any(|(c, _, _)| c.starts_with("emit::") && c.contains("view")
                || c == "emit::sql-identifier"),
        "{f:?}"
    );
}

#[test]
fn a_name_refused_by_several_generators_and_databases_is_reported_once_each() {
    // The same role in two databases, with a name PostgreSQL cannot hold; a table name that
    // both the retention job and the grants quote; a dataset id too long for its job's
    // name: what `lawful build` refuses, each once, at its place.
    let long_table = "t".repeat(64);
    let long_id = format!("d{}", "x".repeat(58));
    let long_column = "c".repeat(64);
    let head = HEAD.replace("db_role: agent", &format!("db_role: {}", "a".repeat(64)));
    let datasets = format!(
        "  customers:
    storage: {{ engine: postgres, database: one, table: {long_table} }}
    subjects: [people]
    subject_key: id
    retention: {{ period: P1Y, after: seen, then: delete }}
    fields:
      id: {{ categories: [account.id] }}
      seen: {{ categories: [non_personal.operational] }}
  {long_id}:
    storage: {{ engine: postgres, database: two, table: orders }}
    subjects: [people]
    subject_key: id
    retention: {{ period: P1Y, after: seen, then: anonymise }}
    fields:
      id: {{ categories: [account.id] }}
      seen: {{ categories: [non_personal.operational] }}
      email: {{ categories: [contact.email], column: {long_column}, anonymise: hash }}
"
    );
    let v = check_json(&format!("{head}{datasets}"));
    let mut f: Vec<(String, u64, u64)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "emit::sql-identifier")
        .map(|f| {
            placed(f, |f| {
                let m = f["message"].as_str().unwrap();
                m.split(':').next().unwrap().to_string()
            })
        })
        .collect();
    f.sort();
    let at = |what: &str, line, col| (format!("cannot generate SQL for {what}"), line, col);
    assert_eq!(
        f,
        [
            // The column of the first dataset: quoted by the grants.
            at("the column", 24, 53),
            at("the database role", 6, 28),
            // The schedule of the job, and the job itself (which stops at its first name).
            at("the retention job of this dataset", 20, 16),
            at("the retention procedure of this dataset", 16, 3),
            // Quoted by the grants and by the retention job.
            at("the table", 9, 56),
        ],
        "{v:#}"
    );
}

#[test]
fn two_datasets_of_one_table_must_agree_on_masks_and_retention() {
    let f = emit_findings(
        "  a:
    storage: { engine: postgres, table: customers }
    subjects: [people]
    subject_key: id
    retention: { period: P1Y, after: id, then: delete }
    fields:
      id: { categories: [account.id] }
      phone: { categories: [contact.phone], mask: { style: phone } }
  b:
    storage: { engine: postgres, table: customers }
    subjects: [people]
    subject_key: id
    retention: { period: P2Y, after: id, then: delete }
    fields:
      id: { categories: [account.id] }
      phone: { categories: [contact.phone], mask: { style: redact } }
",
    );
    assert_eq!(
        codes(&f),
        ["emit::mask-conflict", "emit::retention-same-table"],
        "{f:?}"
    );
}
