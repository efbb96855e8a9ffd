//! End to end against a real PostgreSQL, on pagila (/work/shared/corpus/schemas/pagila):
//! masking views, legal holds, partition drops on `payment` (monthly partitions whose bounds
//! are written with mixed time-zone offsets), the append-only consent log, pg_cron
//! schedules, and grants applied twice and converged.
//!
//! The corpus dump is written for PostgreSQL 18 and pgvector; on the PostgreSQL 15 the
//! tests install, two PostgreSQL 18 features are mapped before loading: `uuidv7()` (a
//! stand-in returning `gen_random_uuid()`) and virtual generated columns (read as
//! `STORED`). The pgvector objects and the views that need sakila's `group_concat` fail to
//! load and are not used; the file is loaded without ON_ERROR_STOP for that reason, and
//! the test checks that `payment` and its 55 partitions are there.
//!
//! The expected outcomes are computed here from the partition names
//! (`payment_pYYYY_MM` holds that month), not from lawful's SQL.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use support::pg::Cluster;

const DB: &str = "pagila";
const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/schemas/pagila/pagila-schema.sql"
);
const SHOP_LAWFUL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/emit/shop/lawful.yaml");

/// The project: payments deleted after two years with a legal-hold table, customers and
/// addresses read masked by support, a consent log.
const DATASETS: &str = r#"
datasets:
  payments:
    title: { en: Payments }
    storage: { engine: postgres, database: pagila, schema: public, table: payment }
    country: DE
    subjects: [customer]
    subject_key: customer_id
    retention:
      period: P2Y
      after: payment_date
      then: delete
      batch_size: 7
      legal_hold: { table: public.legal_hold }
      schedule: "15 4 * * *"
    fields:
      customer_id: { categories: [identifier.customer_id] }
      amount: { categories: [financial.transactions] }
      payment_date: { categories: [non_personal.operational] }
  customers:
    title: { en: Customers }
    storage: { engine: postgres, database: pagila, schema: public, table: customer }
    country: DE
    subjects: [customer]
    subject_key: customer_id
    fields:
      customer_id: { categories: [identifier.customer_id] }
      first_name: { categories: [identity.name], type: text }
      email: { categories: [contact.email], type: text, mask: { style: email } }
  addresses:
    title: { en: Addresses }
    storage: { engine: postgres, database: pagila, schema: public, table: address }
    country: DE
    subjects: [customer]
    fields:
      address_id: { categories: [identifier.customer_id] }
      address: { categories: [contact.postal_address], mask: { style: partial, keep_first: 2 } }
      phone: { categories: [contact.phone], type: text, mask: { style: phone } }
  consents:
    title: { en: Consent records }
    storage: { engine: postgres, database: pagila, schema: audit, table: consent_log }
    country: DE
    subjects: [customer]
    consent_log: { writers: [support], readers: [accounting] }
    fields:
      subject_id: { categories: [identifier.customer_id] }
flows:
  - { from: customer, to: payments, purposes: [order_fulfilment] }
  - { from: customer, to: customers, purposes: [order_fulfilment] }
  - { from: customer, to: addresses, purposes: [order_fulfilment] }
roles:
  support:
    db_role: support_agent
    purposes: [order_fulfilment]
    masked: [contact]
  accounting:
    db_role: Reporting "Team"; 客户
    purposes: [order_fulfilment]
"#;

/// Write the project (the shop fixture's lawful.yaml with [`DATASETS`], edited by `edit`)
/// and generate it; returns the folder holding the scripts of database `pagila`.
fn build(tmp: &Path, edit: impl Fn(String) -> String) -> PathBuf {
    let proj = tmp.join("project");
    std::fs::create_dir_all(&proj).unwrap();
    // Order fulfilment needs the phone number too (the courier calls).
    let lawful = std::fs::read_to_string(SHOP_LAWFUL).unwrap().replace(
        "categories: [identity.name, contact.email, contact.postal_address,",
        "categories: [identity.name, contact.email, contact.phone, contact.postal_address,",
    );
    assert!(lawful.contains("contact.phone"));
    std::fs::write(proj.join("lawful.yaml"), lawful).unwrap();
    std::fs::write(proj.join("datasets.yaml"), edit(DATASETS.to_string())).unwrap();
    let project = lawful::load(&proj, &[]).expect("project loads");
    let g = lawful::emit::generate(&project).unwrap_or_else(|e| panic!("generate: {e:#?}"));
    let out = tmp.join("out");
    for (path, text) in &g.artefacts {
        let p = out.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    out.join("sql/postgres/pagila")
}

/// A cluster (pg_cron loaded when it is installed) with pagila's schema.
fn pagila() -> Option<Cluster> {
    let pg = Cluster::start_with_or_skip(&[
        ("shared_preload_libraries", "pg_cron"),
        ("cron.database_name", DB),
    ])?;
    pg.sql("postgres", "CREATE DATABASE pagila");
    pg.sql(
        DB,
        "CREATE FUNCTION pg_catalog.uuidv7() RETURNS uuid LANGUAGE sql AS 'SELECT gen_random_uuid()'",
    );
    let text = std::fs::read_to_string(SCHEMA)
        .unwrap()
        .replace(") VIRTUAL\n", ") STORED\n");
    let path = pg.socket_dir.join("pagila15.sql");
    std::fs::write(&path, text).unwrap();
    let _ = pg.try_file_lenient(DB, &path);
    assert_eq!(
        pg.sql(
            DB,
            "SELECT count(*) FROM pg_inherits WHERE inhparent = 'public.payment'::regclass"
        )
        .trim(),
        "55",
        "pagila's payment partitions did not load"
    );
    Some(pg)
}

/// The names of payment's partitions.
fn partitions(pg: &Cluster) -> BTreeSet<String> {
    pg.sql(
        DB,
        "SELECT c.relname FROM pg_inherits AS i JOIN pg_class AS c ON c.oid = i.inhrelid \
         WHERE i.inhparent = 'public.payment'::regclass",
    )
    .lines()
    .map(str::to_string)
    .collect()
}

#[test]
fn payment_partitions_past_the_period_are_dropped_and_the_boundary_batch_deleted() {
    let Some(pg) = pagila() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = build(tmp.path(), |s| s);
    // Seed: one row in the middle of every month partition (the 15th, 12:00 UTC) for
    // customers 1..3, and customer 7 (on legal hold) in 2023-03. FK checks are off for
    // the seed only (no customers, rentals or staff are needed for this test).
    pg.sql(
        DB,
        "SET session_replication_role = replica;
         INSERT INTO public.payment (customer_id, staff_id, rental_id, amount, payment_date)
         SELECT c, 1, 1, 1.00, make_timestamptz(y, m, 15, 12, 0, 0, 'UTC')
         FROM generate_series(2022, 2026) AS y, generate_series(1, 12) AS m, generate_series(1, 3) AS c
         WHERE make_date(y, m, 1) <= date '2026-07-01';
         INSERT INTO public.payment (customer_id, staff_id, rental_id, amount, payment_date)
         VALUES (7, 1, 1, 9.99, '2023-03-15 12:00+00');
         CREATE TABLE public.legal_hold (customer_id integer PRIMARY KEY);
         INSERT INTO public.legal_hold VALUES (7);",
    );
    // The rows of the boundary month that are past the period: in the month of today two
    // years ago, on the 15th, when the 15th is before that day.
    let today = pg.sql(
        DB,
        "SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY MM DD HH24')",
    );
    let t: Vec<i32> = today
        .split_whitespace()
        .map(|x| x.parse().unwrap())
        .collect();
    let (cy, cm, cd) = (t[0] - 2, t[1], t[2]);
    let before = partitions(&pg);
    pg.file(DB, &dir.join("retention.sql"));
    let due: i64 = pg
        .sql(DB, "SELECT lawful.due_payments()")
        .trim()
        .parse()
        .unwrap();
    pg.sql(DB, "CALL lawful.retain_payments()");
    let after = partitions(&pg);

    // Oracle: month (y, m) is dropped when the first of the next month is on or before the
    // cutoff (today two years ago), unless it holds customer 7's held row.
    let mut expected = BTreeSet::new();
    for name in &before {
        let Some(ym) = name.strip_prefix("payment_p") else {
            continue;
        };
        let (y, m): (i32, i32) = (ym[..4].parse().unwrap(), ym[5..].parse().unwrap());
        let next = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        // (The first of the month at 00:00 UTC is before now two years ago unless that
        // is the very first hour of a month; the test does not run then.)
        let past = next <= (cy, cm);
        if !(past && name != "payment_p2023_03") {
            expected.insert(name.clone());
        }
    }
    assert_eq!(after, expected, "kept partitions");
    assert!(
        after.contains("payment_p2023_03"),
        "the partition with a held row stays"
    );
    assert!(!after.contains("payment_p2022_01"));
    // The held row survives, its month's other rows are gone.
    assert_eq!(
        pg.sql(
            DB,
            "SELECT customer_id FROM public.payment_p2023_03 ORDER BY 1"
        )
        .trim(),
        "7"
    );
    // The boundary month: rows of the 15th are gone when the 15th is past the cutoff.
    // (Pagila's partitions end in 2026-07: from 2028-08 on there is no boundary partition
    // left to look at.)
    let boundary = format!("payment_p{cy:04}_{cm:02}");
    if before.contains(&boundary) {
        assert!(after.contains(&boundary), "the boundary partition is kept");
        let left: i64 = pg
            .sql(DB, &format!("SELECT count(*) FROM public.{boundary}"))
            .trim()
            .parse()
            .unwrap();
        let gone = cd > 15 || (cd == 15 && t[3] >= 12);
        assert_eq!(
            left,
            if gone { 0 } else { 3 },
            "boundary partition {boundary}"
        );
    }
    // Nothing past the period is left but the held row, and the dry run counted exactly
    // what went.
    assert_eq!(pg.sql(DB, "SELECT lawful.due_payments()").trim(), "0");
    let rows_before: i64 = 3 * 55 + 1;
    let rows_after: i64 = pg
        .sql(DB, "SELECT count(*) FROM public.payment")
        .trim()
        .parse()
        .unwrap();
    assert_eq!(rows_before - rows_after, due);
    // A second run changes nothing.
    pg.sql(DB, "CALL lawful.retain_payments()");
    assert_eq!(partitions(&pg), after);
}

/// Every privilege the server reports for lawful's roles, as sorted lines.
fn privilege_dump(pg: &Cluster) -> String {
    pg.sql(
        DB,
        "SELECT grantee, table_schema, table_name, column_name, privilege_type \
         FROM information_schema.column_privileges \
         WHERE grantee IN ('support_agent', 'Reporting \"Team\"; 客户') \
         UNION ALL SELECT grantee, table_schema, table_name, '', privilege_type \
         FROM information_schema.table_privileges \
         WHERE grantee IN ('support_agent', 'Reporting \"Team\"; 客户') ORDER BY 1, 2, 3, 4, 5",
    )
}

#[test]
fn masking_views_consent_log_and_grants_apply_twice_and_converge() {
    let Some(pg) = pagila() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = build(tmp.path(), |s| s);
    pg.sql(
        DB,
        "ALTER TABLE public.address ALTER phone DROP NOT NULL;
         INSERT INTO public.country (country_id, country) VALUES (1, 'China');
         INSERT INTO public.city (city_id, city, country_id) VALUES (1, '上海', 1);
         INSERT INTO public.address (address_id, address, district, city_id, phone)
         VALUES (1, '南京路100号', 'x', 1, '13812345678'), (2, '1 Main St', 'x', 1, '12'),
                (3, 'Somewhere', 'x', 1, NULL);",
    );
    pg.file(DB, &dir.join("consent_log.sql"));
    pg.file(DB, &dir.join("grants.sql"));
    let first = privilege_dump(&pg);
    pg.file(DB, &dir.join("consent_log.sql"));
    pg.file(DB, &dir.join("grants.sql"));
    assert_eq!(
        privilege_dump(&pg),
        first,
        "applying twice changes no privilege"
    );

    // Masked through the view, as the support role.
    let as_support = |sql: &str| pg.try_sql(DB, &format!("SET ROLE support_agent; {sql}"));
    assert_eq!(
        as_support("SELECT phone, address FROM public.address_masked ORDER BY address_id").unwrap(),
        "138****5678|南京*****\n**|1 *******\n|So*******\n"
    );
    // Email: the local part hidden, the domain (after the last `@`) kept.
    pg.sql(
        DB,
        "SET session_replication_role = replica;
         INSERT INTO public.customer (customer_id, store_id, first_name, last_name, email, address_id)
         VALUES (1, 1, '小明', 'Wang', 'ming.wang@example.cn', 1), (2, 1, 'A', 'B', 'odd@x@y.org', 1),
                (3, 1, 'C', 'D', 'no-at-sign', 1), (4, 1, 'E', 'F', NULL, 1);",
    );
    assert_eq!(
        as_support("SELECT email, first_name FROM public.customer_masked ORDER BY customer_id")
            .unwrap(),
        "****@example.cn|小明\n****@y.org|A\n****|C\n|E\n"
    );
    assert!(
        as_support("SELECT phone FROM public.address").is_err(),
        "no clear phone"
    );
    // The view grants only the columns the role may read (columns of address it has no
    // purpose for stay closed).
    assert!(as_support("SELECT district FROM public.address_masked").is_err());

    // The consent log: the writer inserts and reads; nobody updates, deletes or truncates.
    as_support(
        "INSERT INTO audit.consent_log (subject_id, consent, purposes, channel, notice_version, action, occurred_at, source) \
         VALUES ('1', 'newsletter_consent', ARRAY['newsletter'], 'web', 'v1', 'given', now(), 'test')",
    )
    .unwrap();
    assert_eq!(
        as_support("SELECT count(*) FROM audit.consent_log").unwrap(),
        "1\n"
    );
    for stmt in [
        "UPDATE audit.consent_log SET action = 'withdrawn'",
        "DELETE FROM audit.consent_log",
        "TRUNCATE audit.consent_log",
    ] {
        assert!(as_support(stmt).is_err(), "writer: {stmt}");
        let e = pg.try_sql(DB, stmt).expect_err(stmt);
        assert!(e.contains("refused"), "superuser: {stmt}: {e}");
    }
    assert!(
        pg.try_sql(DB, "INSERT INTO audit.consent_log (subject_id, consent, purposes, channel, notice_version, action, occurred_at, source) VALUES ('1','c','{}','web','v1','maybe',now(),'t')").is_err(),
        "action is given or withdrawn"
    );

    // Converge: support no longer reads contact data masked, so the views go and the
    // columns close; a view lawful did not make is left alone.
    pg.sql(DB, "CREATE VIEW public.mine_masked AS SELECT 1 AS x");
    let dir2 = build(&tmp.path().join("v2"), |s| {
        s.replace("    masked: [contact]\n", "")
    });
    pg.file(DB, &dir2.join("grants.sql"));
    assert_eq!(
        pg.sql(
            DB,
            "SELECT count(*) FROM pg_views WHERE viewname IN ('address_masked', 'customer_masked')"
        )
        .trim(),
        "0"
    );
    assert_eq!(
        pg.sql(
            DB,
            "SELECT count(*) FROM pg_views WHERE viewname = 'mine_masked'"
        )
        .trim(),
        "1"
    );
    assert_eq!(
        as_support("SELECT phone FROM public.address WHERE address_id = 1").unwrap(),
        "13812345678\n"
    );
}

#[test]
fn schedules_become_pg_cron_jobs_and_old_ones_go() {
    let Some(pg) = pagila() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let dir = build(tmp.path(), |s| s);
    let has_cron = pg.try_sql(DB, "CREATE EXTENSION pg_cron").is_ok();
    pg.file(DB, &dir.join("retention.sql"));
    pg.file(DB, &dir.join("schedule.sql"));
    if !has_cron {
        // scripts/test installs pg_cron; under CI a missing pg_cron is a failure, never a
        // silent skip.
        assert!(
            std::env::var_os("CI").is_none(),
            "pg_cron could not be loaded (install Debian's postgresql-<major>-cron)"
        );
        eprintln!("pg_cron could not be loaded; schedule.sql was applied as a no-op");
        return;
    }
    pg.sql(
        DB,
        "SELECT cron.schedule('lawful-retain-gone', '0 1 * * *', 'SELECT 1')",
    );
    pg.sql(
        DB,
        "SELECT cron.schedule('someone-else', '0 1 * * *', 'SELECT 1')",
    );
    pg.file(DB, &dir.join("schedule.sql"));
    pg.file(DB, &dir.join("schedule.sql"));
    let jobs: BTreeMap<String, String> = pg
        .sql(DB, "SELECT jobname, schedule || ' ' || command || ' ' || database FROM cron.job ORDER BY 1")
        .lines()
        .map(|l| {
            let (a, b) = l.split_once('|').unwrap();
            (a.to_string(), b.to_string())
        })
        .collect();
    assert_eq!(
        jobs,
        BTreeMap::from([
            (
                "lawful-retain-payments".to_string(),
                "15 4 * * * CALL \"lawful\".\"retain_payments\"() pagila".to_string()
            ),
            (
                "someone-else".to_string(),
                "0 1 * * * SELECT 1 pagila".to_string()
            ),
        ])
    );
}

#[test]
fn kubernetes_cronjobs_parse_and_call_the_job_on_its_schedule() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = build(tmp.path(), |s| s);
    let text = std::fs::read_to_string(dir.join("../../../k8s/retention-cronjobs.yaml")).unwrap();
    let docs: Vec<serde_json::Value> = text
        .split("\n---\n")
        .skip(1)
        .map(|d| serde_saphyr::from_str(d).unwrap_or_else(|e| panic!("{e}\n{d}")))
        .collect();
    // Only payments has a retention.
    assert_eq!(docs.len(), 1, "{text}");
    let j = &docs[0];
    assert_eq!(j["kind"], "CronJob");
    assert_eq!(j["metadata"]["name"], "lawful-retain-payments");
    assert_eq!(j["spec"]["schedule"], "15 4 * * *");
    assert_eq!(j["spec"]["timeZone"], "Etc/UTC");
    assert_eq!(j["spec"]["concurrencyPolicy"], "Forbid");
    let c = &j["spec"]["jobTemplate"]["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(
        c["command"],
        serde_json::json!([
            "psql",
            "-X",
            "-v",
            "ON_ERROR_STOP=1",
            "-c",
            "CALL \"lawful\".\"retain_payments\"()"
        ])
    );
    assert_eq!(
        c["envFrom"][0]["secretRef"]["name"],
        "lawful-postgres-pagila"
    );
}
