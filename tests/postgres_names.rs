//! Identifiers with quotes, semicolons, mixed case, reserved words and Chinese characters,
//! applied for real: grants with a masking view, retention with a legal-hold column, and
//! the consent log, on a throwaway PostgreSQL.

mod support;

use std::path::{Path, PathBuf};

use support::pg::Cluster;

const SHOP_LAWFUL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/emit/shop/lawful.yaml");

const DATASETS: &str = r#"
datasets:
  weird:
    storage: { engine: postgres, schema: '客户 "Schema"; x', table: 'User''s "Table"; DROP' }
    subjects: [customer]
    subject_key: id
    retention:
      period: P1Y
      after: when
      then: delete
      batch_size: 2
      legal_hold: { column: on_hold }
    fields:
      id: { column: Order, categories: [identifier.customer_id] }
      phone: { column: 电话; "号码", categories: [contact.phone], type: varchar(20), mask: { style: phone } }
      when: { column: when, categories: [non_personal.operational], type: timestamptz }
      on_hold: { column: On Hold, categories: [non_personal.operational], type: boolean }
  log:
    storage: { engine: postgres, schema: '客户 "Schema"; x', table: 同意 "Log" }
    subjects: [customer]
    consent_log: { writers: [support] }
roles:
  support:
    db_role: 'Support "Desk"; 客服'
    purposes: [order_fulfilment]
    masked: [contact]
"#;

fn build(tmp: &Path) -> PathBuf {
    let proj = tmp.join("project");
    std::fs::create_dir_all(&proj).unwrap();
    let lawful = std::fs::read_to_string(SHOP_LAWFUL).unwrap().replace(
        "categories: [identity.name, contact.email, contact.postal_address,",
        "categories: [identity.name, contact.email, contact.phone, contact.postal_address,",
    );
    std::fs::write(proj.join("lawful.yaml"), lawful).unwrap();
    std::fs::write(proj.join("datasets.yaml"), DATASETS).unwrap();
    let project = lawful::load(&proj, &[]).expect("project loads");
    let g = lawful::emit::generate(&project).unwrap_or_else(|e| panic!("generate: {e:#?}"));
    let out = tmp.join("out");
    for (path, text) in &g.artefacts {
        let p = out.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    out.join("sql/postgres")
}

#[test]
fn awkward_identifiers_apply_and_run() {
    let Some(pg) = Cluster::start_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let dir = build(tmp.path());
    let db = "postgres";
    let t = r#""客户 ""Schema""; x"."User's ""Table""; DROP""#;
    pg.sql(
        db,
        &format!(
            r#"CREATE SCHEMA "客户 ""Schema""; x";
               CREATE TABLE {t} ("Order" integer, "电话; ""号码""" varchar(20), "when" timestamptz, "On Hold" boolean);
               INSERT INTO {t} VALUES
                 (1, '13812345678', now() - interval '2 years', false),
                 (2, '13900001111', now() - interval '2 years', true),
                 (3, '13700002222', now(), NULL),
                 (NULL, '13600003333', now() - interval '2 years', NULL),
                 (4, '13500004444', NULL, false);"#
        ),
    );
    for f in [
        "consent_log.sql",
        "grants.sql",
        "retention.sql",
        "grants.sql",
    ] {
        pg.file(db, &dir.join(f));
    }
    let role = r#""Support ""Desk""; 客服""#;
    let view = r#""客户 ""Schema""; x"."User's ""Table""; DROP_masked""#;
    assert_eq!(
        pg.sql(
            db,
            &format!(r#"SET ROLE {role}; SELECT "电话; ""号码""" FROM {view} WHERE "Order" = 1"#)
        ),
        "138****5678\n"
    );
    assert!(
        pg.try_sql(
            db,
            &format!(r#"SET ROLE {role}; SELECT "电话; ""号码""" FROM {t}"#)
        )
        .is_err()
    );
    assert_eq!(pg.sql(db, r#"SELECT "lawful"."due_weird"()"#).trim(), "2");
    pg.sql(db, r#"CALL "lawful"."retain_weird"()"#);
    // Deleted: 1 and the keyless row; kept: 2 (on hold), 3 (recent), 4 (no anchor: the
    // period has not started).
    assert_eq!(
        pg.sql(
            db,
            &format!(r#"SELECT coalesce("Order"::text, '-') FROM {t} ORDER BY 1"#)
        ),
        "2\n3\n4\n"
    );
    pg.sql(
        db,
        &format!(
            r#"SET ROLE {role}; INSERT INTO "客户 ""Schema""; x"."同意 ""Log""" (subject_id, consent, purposes, channel, notice_version, action, occurred_at, source) VALUES ('1', 'c', '{{p}}', 'web', 'v1', 'given', now(), 't')"#
        ),
    );
}

const FK_AND_SALT: &str = r#"
datasets:
  accounts:
    storage: { engine: postgres, table: accounts }
    subjects: [customer]
    subject_key: id
    retention: { period: P1Y, after: closed_at, then: delete, batch_size: 1 }
    fields:
      id: { categories: [identifier.customer_id] }
      closed_at: { categories: [non_personal.operational] }
  orders:
    storage: { engine: postgres, table: orders }
    subjects: [customer]
    subject_key: customer_id
    retention: { period: P1Y, after: placed_at, then: anonymise }
    fields:
      customer_id: { categories: [identifier.customer_id] }
      email: { categories: [contact.email], anonymise: hash }
      placed_at: { categories: [non_personal.operational] }
"#;

#[test]
fn a_batch_blocked_by_a_foreign_key_is_reported_and_the_salt_comes_from_a_setting() {
    let Some(pg) = Cluster::start_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("project");
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::copy(SHOP_LAWFUL, proj.join("lawful.yaml")).unwrap();
    std::fs::write(proj.join("datasets.yaml"), FK_AND_SALT).unwrap();
    let project = lawful::load(&proj, &[]).expect("project loads");
    let g = lawful::emit::generate(&project).unwrap_or_else(|e| panic!("{e:#?}"));
    let file = tmp.path().join("retention.sql");
    std::fs::write(&file, &g.artefacts["sql/postgres/retention.sql"]).unwrap();
    let db = "postgres";
    pg.sql(
        db,
        "CREATE TABLE accounts (id integer PRIMARY KEY, closed_at timestamptz);
         CREATE TABLE orders (customer_id integer REFERENCES accounts, email text, placed_at timestamptz);
         INSERT INTO accounts SELECT i, now() - interval '2 years' FROM generate_series(1, 3) AS i;
         INSERT INTO orders VALUES (2, 'a@example.com', now());",
    );
    pg.file(db, &file);
    // Account 2 is still referenced by a recent order: its batch is skipped with a notice,
    // the others are deleted, and the job does not abort.
    pg.sql(db, "CALL lawful.retain_accounts()");
    // The closing WARNING reaches the server log (log_min_messages = warning).
    assert!(
        pg.log().contains(
            "lawful.retain_accounts: 1 batches of public.accounts were blocked by foreign keys"
        ),
        "{}",
        pg.log()
    );
    assert_eq!(pg.sql(db, "SELECT id FROM accounts ORDER BY 1"), "2\n");

    // The salt: refused without one, read from lawful.salt when the call gives none.
    pg.sql(
        db,
        "UPDATE orders SET placed_at = now() - interval '2 years'",
    );
    let e = pg.try_sql(db, "CALL lawful.retain_orders()").unwrap_err();
    assert!(e.contains("a salt is required"), "{e}");
    pg.sql(db, "ALTER ROLE postgres SET lawful.salt = 's3cret'");
    pg.sql(db, "CALL lawful.retain_orders()");
    assert_eq!(
        pg.sql(db, "SELECT email FROM orders"),
        pg.sql(
            db,
            "SELECT 'anon:' || encode(sha256(convert_to('s3cret' || 'a@example.com', 'UTF8')), 'hex')"
        )
    );
}
