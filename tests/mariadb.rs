//! End to end against a real MariaDB: the real sakila schema (its MySQL original, loaded
//! unchanged), the fixture project tests/mariadb/sakila, and the grants, masking views,
//! retention jobs, events and consent log `lawful build` generates for it.
//!
//! Each test starts its own throwaway server (tests/support/mariadb.rs): MariaDB must be
//! installed, or the tests fail, unless `LAWFUL_SKIP_MARIADB=1` says to skip them.
//!
//! The fixture is about SQL, not compliance, so it is built with `--fail-on never` (it
//! lacks notices and rights handlers that the rules ask for). The test adds to sakila only
//! what the fixture declares and sakila lacks: a boolean `customer.on_hold` (the legal-hold
//! column) and a table `legal_hold (customer_id)` (the legal-hold list).
//!
//! The expected grants and retention outcomes are written out here by hand from the YAML,
//! not computed by lawful, so that the test is an independent oracle. Readable columns are
//! found by logging in as a user granted the role and selecting each column.
//!
//! Every generated statement is also parsed back with sqlparser 0.59 (MySqlDialect); see
//! [`every_generated_statement_parses_as_mysql`] for the statement kinds it cannot read
//! and how those are checked instead (by the real server, in the other tests).

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};
use support::mariadb::Server;

const DB: &str = "sakila";
const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/schemas/sakila/mysql-sakila-schema.sql"
);
const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/mariadb/sakila");
const PASSWORD: &str = "pw";

/// Roles of the fixture and the login user the test makes for each.
const ROLES: [(&str, &str); 4] = [
    ("sakila_dpo", "u_dpo"),
    ("sakila_finance", "u_finance"),
    ("sakila_marketing", "u_marketing"),
    ("sakila_support", "u_support"),
];

/// Every column of the tables and views the roles may touch, as the server has them.
const OBJECTS: [(&str, &[&str]); 7] = [
    (
        "customer",
        &[
            "customer_id",
            "store_id",
            "first_name",
            "last_name",
            "email",
            "address_id",
            "active",
            "create_date",
            "last_update",
            "on_hold",
        ],
    ),
    (
        "customer_masked",
        &[
            "customer_id",
            "store_id",
            "first_name",
            "last_name",
            "email",
            "address_id",
            "create_date",
            "last_update",
            "on_hold",
        ],
    ),
    (
        "address",
        &[
            "address_id",
            "address",
            "address2",
            "district",
            "city_id",
            "postal_code",
            "phone",
            "last_update",
        ],
    ),
    (
        "address_masked",
        &[
            "address_id",
            "address",
            "district",
            "postal_code",
            "phone",
            "last_update",
        ],
    ),
    (
        "rental",
        &[
            "rental_id",
            "rental_date",
            "inventory_id",
            "customer_id",
            "return_date",
            "staff_id",
            "last_update",
        ],
    ),
    (
        "payment",
        &[
            "payment_id",
            "customer_id",
            "staff_id",
            "rental_id",
            "amount",
            "payment_date",
            "last_update",
        ],
    ),
    ("consent_log", CONSENT_COLUMNS),
];

const CONSENT_COLUMNS: &[&str] = &[
    "log_id",
    "subject_id",
    "consent",
    "purposes",
    "categories",
    "channel",
    "notice_version",
    "notice_hash",
    "action",
    "occurred_at",
    "recorded_at",
    "source",
];

/// Seed rows: customers 1–3 and 6 last changed in 2015 (due for anonymisation after five
/// years), 4 recently, 5 in 2015 but on legal hold. Rentals: see `retention_*`.
const SEED: &str = "
SET FOREIGN_KEY_CHECKS = 0;
INSERT INTO address (address_id, address, address2, district, city_id, postal_code, phone, last_update) VALUES
  (1, '1 Main St', NULL, 'Mitte', 1, '10115', '13812345678', '2015-01-01'),
  (2, '2 Side St', NULL, 'Mitte', 1, '10115', '12345', '2015-01-01'),
  (3, '3 Back St', NULL, 'Mitte', 1, '10115', '+49 30 1234567', '2015-01-01');
INSERT INTO customer (customer_id, store_id, first_name, last_name, email, address_id, active, create_date, last_update, on_hold) VALUES
  (1, 1, 'MARY', 'SMITH', 'mary.smith@sakilacustomer.org', 1, 1, '2014-05-17 10:00:00', '2015-02-01 00:00:00', 0),
  (2, 1, 'PATRICIA', 'JOHNSON', 'patricia.johnson@sakilacustomer.org', 2, 1, '2014-06-01 11:00:00', '2015-02-01 00:00:00', 0),
  (3, 1, 'LINDA', 'WILLIAMS', 'linda@example.cn', 3, 1, '2014-07-09 12:00:00', '2015-02-01 00:00:00', 0),
  (4, 1, 'BARBARA', 'JONES', 'barbara.jones@sakilacustomer.org', 1, 1, '2020-01-01 00:00:00', NOW() - INTERVAL 1 DAY, 0),
  (5, 1, 'ELIZABETH', 'BROWN', 'elizabeth.brown@sakilacustomer.org', 2, 1, '2014-01-01 00:00:00', '2015-02-01 00:00:00', 1),
  (6, 1, 'JENNIFER', 'DAVIS', NULL, 3, 1, '2014-03-03 03:03:03', '2015-02-01 00:00:00', 0),
  (7, 1, '李', '小龙', NULL, 3, 1, '2014-03-03 03:03:03', '2015-02-01 00:00:00', 0);
INSERT INTO rental (rental_id, rental_date, inventory_id, customer_id, return_date, staff_id) VALUES
  (1, '2019-05-24 22:53:30', 1, 1, '2019-05-26 22:04:30', 1),
  (2, '2019-06-24 22:53:30', 2, 1, NULL, 1),
  (3, '2018-05-24 22:53:30', 3, 2, NULL, 1),
  (4, '2020-01-01 00:00:00', 4, 3, NULL, 1),
  (5, NOW() - INTERVAL 1 DAY, 5, 4, NULL, 1),
  (6, '2019-05-24 22:53:30', 6, 5, NULL, 1),
  (7, NOW() - INTERVAL 2 YEAR, 7, 2, NULL, 1),
  (8, '2019-07-01 00:00:00', 8, 3, NULL, 1);
INSERT INTO legal_hold (customer_id) VALUES (5);
SET FOREIGN_KEY_CHECKS = 1;
";

/// A server with the sakila schema loaded and seeded, or `None` when skipping.
fn sakila() -> Option<Server> {
    let db = Server::start_or_skip()?;
    // The MySQL original of sakila loads unchanged on MariaDB 10.11.
    db.file("", Path::new(SCHEMA));
    db.sql(
        DB,
        "ALTER TABLE customer ADD COLUMN on_hold BOOLEAN NOT NULL DEFAULT FALSE;
         CREATE TABLE legal_hold (customer_id INT UNSIGNED NOT NULL PRIMARY KEY);",
    );
    db.sql(DB, SEED);
    Some(db)
}

/// `lawful build <project> --out <tmp>/out --fail-on never`; returns the folder of the
/// scripts of database `db`.
fn build(project: &Path, tmp: &tempfile::TempDir, db: &str) -> PathBuf {
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .arg("build")
        .arg(project)
        .arg("--out")
        .arg(&out)
        .args(["--fail-on", "never"])
        .env("LAWFUL_TODAY", "2026-11-29")
        .env("NO_COLOR", "1")
        .output()
        .expect("run lawful");
    assert!(
        o.status.success(),
        "lawful build {} failed:\n{}{}",
        project.display(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let dir = out.join("sql/mysql").join(db);
    // Which files there are depends on the project (no roles: no grants.sql; no
    // retention: no retention.sql); each test applies and checks what it needs.
    assert!(
        dir.is_dir(),
        "lawful build wrote nothing to sql/mysql/{db}/"
    );
    dir
}

/// Apply every script of a build, in the documented order.
fn apply(db: &Server, name: &str, dir: &Path) {
    for f in [
        "consent_log.sql",
        "grants.sql",
        "retention.sql",
        "schedule.sql",
    ] {
        if dir.join(f).is_file() {
            db.file(name, &dir.join(f));
        }
    }
}

/// A login user for each role, the role its default.
fn users(db: &Server, roles: &[(&str, &str)]) {
    for (role, user) in roles {
        let role = role.replace('`', "``");
        db.sql(
            "",
            &format!(
                "CREATE USER IF NOT EXISTS '{user}'@'localhost' IDENTIFIED BY '{PASSWORD}';
                 GRANT `{role}` TO '{user}'@'localhost';
                 SET DEFAULT ROLE `{role}` FOR '{user}'@'localhost';"
            ),
        );
    }
}

type Readable = BTreeMap<(String, String), BTreeSet<String>>;

/// What each role's user can really SELECT: one statement per column, run with
/// `--force`, so a denied column is skipped and every other one prints its name.
fn readable(
    db: &Server,
    name: &str,
    roles: &[(&str, &str)],
    objects: &[(&str, &[&str])],
) -> Readable {
    let mut out = Readable::new();
    for (role, user) in roles {
        let mut sql = String::new();
        for (t, cols) in objects {
            for c in *cols {
                let qt = t.replace('`', "``");
                let qc = c.replace('`', "``");
                let lit = |s: &str| s.replace('\\', "\\\\").replace('\'', "''");
                sql.push_str(&format!(
                    "SELECT '{}', '{}', COUNT(`{qc}`) >= 0 FROM `{}`.`{qt}`;\n",
                    lit(t),
                    lit(c),
                    name.replace('`', "``")
                ));
            }
        }
        let text = db.sql_as_forced(user, PASSWORD, name, &sql);
        for line in text.lines().filter(|l| !l.is_empty()) {
            let v: Vec<&str> = line.split('\t').collect();
            out.entry((role.to_string(), v[0].to_string()))
                .or_default()
                .insert(v[1].to_string());
        }
    }
    out
}

fn owned(m: &[((&str, &str), &[&str])]) -> Readable {
    m.iter()
        .map(|((r, t), cols)| {
            (
                (r.to_string(), t.to_string()),
                cols.iter().map(|c| c.to_string()).collect(),
            )
        })
        .collect()
}

fn assert_readable(actual: &Readable, expected: &Readable, what: &str) {
    let keys: BTreeSet<_> = actual.keys().chain(expected.keys()).collect();
    let none = BTreeSet::new();
    let mut diff = Vec::new();
    for k in keys {
        let (a, e) = (
            actual.get(k).unwrap_or(&none),
            expected.get(k).unwrap_or(&none),
        );
        let extra: Vec<_> = a.difference(e).collect();
        let missing: Vec<_> = e.difference(a).collect();
        if !extra.is_empty() {
            diff.push(format!(
                "{} can read {}.{extra:?}, which it must not",
                k.0, k.1
            ));
        }
        if !missing.is_empty() {
            diff.push(format!(
                "{} cannot read {}.{missing:?}, which it must",
                k.0, k.1
            ));
        }
    }
    assert!(diff.is_empty(), "{what}:\n  {}", diff.join("\n  "));
}

/// What each role may read, written out from tests/mariadb/sakila/lawful.yaml.
fn expected() -> Vec<((&'static str, &'static str), &'static [&'static str])> {
    vec![
        // support: customer_support (customer id, name, email, phone, postal address,
        // purchases, transactions), phone only masked; writes the consent log.
        (
            ("sakila_support", "customer"),
            &[
                "customer_id",
                "store_id",
                "first_name",
                "last_name",
                "email",
                "address_id",
                "create_date",
                "last_update",
                "on_hold",
            ],
        ),
        (
            ("sakila_support", "address"),
            &[
                "address_id",
                "address",
                "district",
                "postal_code",
                "last_update",
            ],
        ),
        (
            ("sakila_support", "address_masked"),
            &[
                "address_id",
                "address",
                "district",
                "postal_code",
                "phone",
                "last_update",
            ],
        ),
        (
            ("sakila_support", "rental"),
            &[
                "rental_id",
                "rental_date",
                "inventory_id",
                "customer_id",
                "return_date",
                "staff_id",
            ],
        ),
        (
            ("sakila_support", "payment"),
            &["payment_id", "customer_id", "amount", "payment_date"],
        ),
        (("sakila_support", "consent_log"), CONSENT_COLUMNS),
        // finance: bookkeeping (customer id, transactions, purchases) and
        // payment_processing (name), datasets customer, payment, rental.
        (
            ("sakila_finance", "customer"),
            &[
                "customer_id",
                "store_id",
                "first_name",
                "last_name",
                "create_date",
                "last_update",
                "on_hold",
            ],
        ),
        (
            ("sakila_finance", "rental"),
            &[
                "rental_id",
                "rental_date",
                "inventory_id",
                "customer_id",
                "return_date",
                "staff_id",
            ],
        ),
        (
            ("sakila_finance", "payment"),
            &["payment_id", "customer_id", "amount", "payment_date"],
        ),
        // marketing: marketing_email (customer id, name, email), email only masked.
        (
            ("sakila_marketing", "customer"),
            &[
                "customer_id",
                "store_id",
                "first_name",
                "last_name",
                "create_date",
                "last_update",
                "on_hold",
            ],
        ),
        (
            ("sakila_marketing", "customer_masked"),
            &[
                "customer_id",
                "store_id",
                "first_name",
                "last_name",
                "email",
                "create_date",
                "last_update",
                "on_hold",
            ],
        ),
        (("sakila_marketing", "rental"), &["customer_id", "staff_id"]),
        (("sakila_marketing", "payment"), &["customer_id"]),
        // Its customer id, and the non-personal time beside it.
        (
            ("sakila_marketing", "consent_log"),
            &["occurred_at", "subject_id"],
        ),
        // dpo: reads the consent log, nothing else.
        (("sakila_dpo", "consent_log"), CONSENT_COLUMNS),
    ]
}

/// The privileges of the managed roles as the grant tables hold them (without the
/// timestamps), for before/after comparisons.
fn privilege_snapshot(db: &Server) -> String {
    let roles = ROLES
        .iter()
        .map(|(r, _)| format!("'{r}'"))
        .collect::<Vec<_>>()
        .join(",");
    db.sql(
        "",
        &format!(
            "SELECT 'table', User, Db, Table_name, '', Table_priv, Column_priv
               FROM mysql.tables_priv WHERE User IN ({roles})
             UNION ALL
             SELECT 'column', User, Db, Table_name, Column_name, Column_priv, ''
               FROM mysql.columns_priv WHERE User IN ({roles})
             UNION ALL
             SELECT 'db', User, Db, '', '', '', '' FROM mysql.db WHERE User IN ({roles})
             ORDER BY 1, 2, 3, 4, 5"
        ),
    )
}

fn copy_project(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.path().extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn grants_give_each_role_exactly_its_purposes_columns_and_converge() {
    let Some(db) = sakila() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let sql = build(Path::new(FIXTURE), &tmp, DB);
    apply(&db, DB, &sql);
    users(&db, &ROLES);

    // (a) Each role reads exactly the columns its purposes allow, on the real server.
    assert_readable(
        &readable(&db, DB, &ROLES, &OBJECTS),
        &owned(&expected()),
        "(a) the columns each role can read differ from the fixture's purposes",
    );

    // (b) Applying the same grants again changes nothing.
    let before = privilege_snapshot(&db);
    assert!(
        before.contains("column\tsakila_finance\tsakila\tcustomer\tfirst_name"),
        "{before}"
    );
    db.file(DB, &sql.join("grants.sql"));
    assert_eq!(
        privilege_snapshot(&db),
        before,
        "(b) a second run of grants.sql changed privileges"
    );

    // A privilege granted by hand to a managed role is revoked by the next apply.
    db.sql(DB, "GRANT SELECT ON sakila.staff TO sakila_marketing");
    db.file(DB, &sql.join("grants.sql"));
    assert_eq!(
        privilege_snapshot(&db),
        before,
        "a hand-made grant survived"
    );

    // (c) finance loses payment_processing: the names it gave are revoked, the rest stays.
    let changed = tmp.path().join("without-payment-processing");
    copy_project(Path::new(FIXTURE), &changed);
    let yaml = std::fs::read_to_string(changed.join("lawful.yaml")).unwrap();
    let edited = yaml.replace(
        "purposes: [bookkeeping, payment_processing]",
        "purposes: [bookkeeping]",
    );
    assert_ne!(
        yaml, edited,
        "lawful.yaml no longer has the line this test edits"
    );
    std::fs::write(changed.join("lawful.yaml"), edited).unwrap();
    let tmp2 = tempfile::tempdir().unwrap();
    let sql2 = build(&changed, &tmp2, DB);
    db.file(DB, &sql2.join("grants.sql"));
    let mut exp = owned(&expected());
    exp.get_mut(&("sakila_finance".into(), "customer".into()))
        .unwrap()
        .retain(|c| c != "first_name" && c != "last_name");
    assert_readable(
        &readable(&db, DB, &ROLES, &OBJECTS),
        &exp,
        "(c) removing a purpose did not revoke exactly the columns it gave",
    );
    // Giving it back restores them.
    db.file(DB, &sql.join("grants.sql"));
    assert_eq!(
        privilege_snapshot(&db),
        before,
        "(c) the grants did not converge back"
    );
}

#[test]
fn masking_views_show_only_part_of_the_value() {
    let Some(db) = sakila() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let sql = build(Path::new(FIXTURE), &tmp, DB);
    apply(&db, DB, &sql);
    users(&db, &ROLES);
    let phones = db
        .try_sql_as(
            "u_support",
            PASSWORD,
            DB,
            "SELECT address_id, phone FROM address_masked ORDER BY address_id",
        )
        .unwrap();
    assert_eq!(
        phones, "1\t138****5678\n2\t*****\n3\t+49*******4567\n",
        "phone: first 3 and last 4 kept; a value too short to hide anything is masked whole"
    );
    let denied = db
        .try_sql_as("u_support", PASSWORD, DB, "SELECT phone FROM address")
        .expect_err("support must not read address.phone in clear");
    assert!(denied.contains("denied"), "{denied}");

    let emails = db
        .try_sql_as(
            "u_marketing",
            PASSWORD,
            DB,
            "SELECT customer_id, COALESCE(email, 'NULL') FROM customer_masked ORDER BY customer_id",
        )
        .unwrap();
    assert_eq!(
        emails,
        "1\t****@sakilacustomer.org\n2\t****@sakilacustomer.org\n3\t****@example.cn\n\
         4\t****@sakilacustomer.org\n5\t****@sakilacustomer.org\n6\tNULL\n7\tNULL\n",
        "email: the local part hidden, the domain kept, NULL stays NULL"
    );
    assert!(
        db.try_sql_as("u_marketing", PASSWORD, DB, "SELECT email FROM customer")
            .is_err(),
        "marketing must not read customer.email in clear"
    );
    // The support role reads email in clear (no `masked:` for it).
    let clear = db
        .try_sql_as(
            "u_support",
            PASSWORD,
            DB,
            "SELECT email FROM customer WHERE customer_id = 1",
        )
        .unwrap();
    assert_eq!(clear, "mary.smith@sakilacustomer.org\n");
}

fn call(db: &Server, sql: &str) -> i64 {
    let out = db.sql(DB, sql);
    out.trim()
        .parse()
        .unwrap_or_else(|_| panic!("{sql} printed {out:?}, not a count"))
}

/// `anon:` and the first `hex` hex digits of SHA-256(salt || value), computed here.
fn hashed(salt: &str, value: &str, hex: usize) -> String {
    let d = Sha256::digest(format!("{salt}{value}").as_bytes());
    let h: String = d.iter().map(|b| format!("{b:02x}")).collect();
    format!("anon:{}", &h[..hex])
}

#[test]
fn retention_deletes_and_anonymises_exactly_the_due_rows_and_spares_held_ones() {
    let Some(db) = sakila() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let sql = build(Path::new(FIXTURE), &tmp, DB);
    apply(&db, DB, &sql);

    // rental (P3Y after rental_date, delete, customer 5 on the legal-hold list): due are
    // 1, 2 (customer 1, 2019), 3 (2018), 4 (2020), 8 (2019); 5 and 7 are recent, 6 held.
    assert_eq!(
        call(&db, "CALL lawful_due_rental()"),
        5,
        "dry run of rental"
    );
    assert_eq!(call(&db, "CALL lawful_retain_rental(NULL, NULL)"), 5);
    assert_eq!(
        db.sql(DB, "SELECT rental_id FROM rental ORDER BY rental_id"),
        "5\n6\n7\n"
    );
    assert_eq!(call(&db, "CALL lawful_due_rental()"), 0);
    assert_eq!(
        call(&db, "CALL lawful_retain_rental(NULL, NULL)"),
        0,
        "second run"
    );
    // A batch of one row works too (the loop ends when a batch is not full).
    db.sql(
        DB,
        "SET FOREIGN_KEY_CHECKS = 0;
         INSERT INTO rental (rental_id, rental_date, inventory_id, customer_id, staff_id)
         VALUES (9, '2001-01-01', 9, 1, 1), (10, '2001-01-02', 10, 2, 1)",
    );
    assert_eq!(call(&db, "CALL lawful_retain_rental(1, NULL)"), 2);

    // customer (P5Y after last_update, anonymise; on_hold = true is held): due are 1, 2, 3,
    // 6 and 7; 4 is recent, 5 held.
    let before = db.sql(DB, "SELECT * FROM customer ORDER BY customer_id");
    assert_eq!(
        call(&db, "CALL lawful_due_customer()"),
        5,
        "dry run of customer"
    );
    let no_salt = db
        .try_sql(DB, "CALL lawful_retain_customer(NULL, NULL)")
        .expect_err("hashing needs a salt");
    assert!(no_salt.contains("needs a salt"), "{no_salt}");
    assert_eq!(
        db.sql(DB, "SELECT * FROM customer ORDER BY customer_id"),
        before,
        "a refused run changed rows"
    );
    assert_eq!(call(&db, "CALL lawful_retain_customer(NULL, 's3cr3t')"), 5);
    let rows = db.sql(
        DB,
        "SELECT customer_id, first_name, last_name, COALESCE(email, 'NULL'), create_date, address_id
           FROM customer ORDER BY customer_id",
    );
    // varchar(45) leaves room for 40 hex digits after `anon:`.
    let h = |v: &str| hashed("s3cr3t", v, 40);
    let expected = [
        format!(
            "1\t{}\t{}\tNULL\t2014-01-01 00:00:00\t1",
            h("MARY"),
            h("SMITH")
        ),
        format!(
            "2\t{}\t{}\tNULL\t2014-01-01 00:00:00\t2",
            h("PATRICIA"),
            h("JOHNSON")
        ),
        format!(
            "3\t{}\t{}\tNULL\t2014-01-01 00:00:00\t3",
            h("LINDA"),
            h("WILLIAMS")
        ),
        "4\tBARBARA\tJONES\tbarbara.jones@sakilacustomer.org\t2020-01-01 00:00:00\t1".to_string(),
        "5\tELIZABETH\tBROWN\telizabeth.brown@sakilacustomer.org\t2014-01-01 00:00:00\t2"
            .to_string(),
        format!(
            "6\t{}\t{}\tNULL\t2014-01-01 00:00:00\t3",
            h("JENNIFER"),
            h("DAVIS")
        ),
        // The digest is of the UTF-8 bytes, as on PostgreSQL, though the column is utf8mb3.
        format!(
            "7\t{}\t{}\tNULL\t2014-01-01 00:00:00\t3",
            h("李"),
            h("小龙")
        ),
    ];
    assert_eq!(rows, expected.join("\n") + "\n");
    // sakila's last_update moves to now on every UPDATE; put it back in the past so the
    // second run really looks at the anonymised rows again.
    db.sql(
        DB,
        "UPDATE customer SET last_update = '2015-02-01' WHERE customer_id <> 4",
    );
    let after = db.sql(DB, "SELECT * FROM customer ORDER BY customer_id");
    assert_eq!(call(&db, "CALL lawful_due_customer()"), 0);
    assert_eq!(call(&db, "CALL lawful_retain_customer(NULL, 's3cr3t')"), 0);
    assert_eq!(
        db.sql(DB, "SELECT * FROM customer ORDER BY customer_id"),
        after,
        "a second run changed anonymised rows"
    );
    // The hold lifted, the held row goes too.
    db.sql(
        DB,
        "UPDATE customer SET on_hold = FALSE, last_update = last_update WHERE customer_id = 5",
    );
    assert_eq!(call(&db, "CALL lawful_due_customer()"), 1);

    // The event exists with the declared schedule; the hashing job has none (its salt
    // must not be stored in an event).
    assert_eq!(
        db.sql(
            "",
            "SELECT EVENT_NAME, INTERVAL_VALUE, INTERVAL_FIELD, STARTS, TIME_ZONE
               FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'sakila' ORDER BY 1"
        ),
        "lawful_retain_consents\t1\tDAY\t2000-01-01 03:00:00\t+00:00\nlawful_retain_rental\t1\tDAY\t2000-01-01 02:30:00\t+00:00\n"
    );
    // Applying the scripts again is harmless.
    apply(&db, DB, &sql);
}

#[test]
fn the_consent_log_is_append_only_even_for_root() {
    let Some(db) = sakila() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let sql = build(Path::new(FIXTURE), &tmp, DB);
    apply(&db, DB, &sql);
    users(&db, &ROLES);
    let insert = "INSERT INTO consent_log (subject_id, consent, purposes, channel, notice_version, action, occurred_at, source, recorded_at)
                  VALUES ('1', 'newsletter', '[\"marketing_email\"]', 'web', 'v3', 'given', '2026-11-01 10:00:00', 'crm', '1999-01-01')";
    db.try_sql_as("u_support", PASSWORD, DB, insert)
        .expect("the writer may insert");
    let rows = db
        .try_sql_as(
            "u_dpo",
            PASSWORD,
            DB,
            "SELECT subject_id, action, recorded_at > '2020-01-01' FROM consent_log",
        )
        .expect("the reader may select");
    assert_eq!(
        rows, "1\tgiven\t1\n",
        "recorded_at is the server's time, not the writer's"
    );
    assert!(
        db.try_sql_as("u_dpo", PASSWORD, DB, insert).is_err(),
        "a reader must not insert"
    );
    for stmt in [
        "UPDATE consent_log SET action = 'withdrawn'",
        "DELETE FROM consent_log",
    ] {
        let e = db
            .try_sql_as("u_support", PASSWORD, DB, stmt)
            .expect_err("the writer must not rewrite the log");
        assert!(e.contains("denied"), "{stmt}: {e}");
        let e = db
            .try_sql(DB, stmt)
            .expect_err("root must not rewrite the log");
        assert!(e.contains("append-only"), "{stmt}: {e}");
    }
    let e = db
        .try_sql(DB, "INSERT INTO consent_log (subject_id, consent, purposes, channel, notice_version, action, occurred_at, source) VALUES ('1','c','not json','web','v','given',NOW(),'s')")
        .expect_err("purposes must be JSON");
    assert!(e.contains("CONSTRAINT") || e.contains("constraint"), "{e}");
    assert_eq!(db.sql(DB, "SELECT COUNT(*) FROM consent_log"), "1\n");

    // The log's own retention job is the one thing that may delete: a record past its
    // period goes, the recent one stays, and afterwards plain deletes are refused again.
    db.sql(
        DB,
        "INSERT INTO consent_log (subject_id, consent, purposes, channel, notice_version, action, occurred_at, source)
         VALUES ('2', 'newsletter', '[\"marketing_email\"]', 'web', 'v1', 'given', UTC_TIMESTAMP() - INTERVAL 2 YEAR, 'crm')",
    );
    db.sql(DB, "CALL lawful_retain_consents(NULL, NULL)");
    assert_eq!(
        db.sql(DB, "SELECT GROUP_CONCAT(subject_id) FROM consent_log"),
        "1\n",
        "exactly the record past its period was deleted"
    );
    let e = db
        .try_sql(DB, "DELETE FROM consent_log")
        .expect_err("after the job, deletes are refused again");
    assert!(e.contains("append-only"), "{e}");
}

/// Names that break naive SQL, applied for real: a database and table with a quote, a
/// backtick, a semicolon and Chinese, columns that are reserved words, mixed case, hold
/// quotes and backslashes, and a role with a quote in its name.
#[test]
fn awkward_identifiers_are_applied_for_real() {
    let Some(db) = Server::start_or_skip() else {
        return;
    };
    let name = "odd'db;x";
    let table = "Cust`omers; 客户";
    let yaml = r#"version: 1
organization:
  name: Odd GmbH
  contact: { email: privacy@odd.example, address: "Torstraße 1, 10119 Berlin, Germany" }
  establishments: [DE]
subjects:
  people: { title: { en: People } }
purposes:
  support:
    description: { en: We help you. }
    legal_basis: { gdpr: contract }
    categories: [identifier.customer_id, identity.name, contact.phone]
    retention: P1Y
datasets:
  odd:
    storage: { engine: mysql, database: "odd'db;x", table: "Cust`omers; 客户" }
    country: DE
    subjects: [people]
    subject_key: id
    retention: { period: P1Y, after: when, then: delete, anchor_type: epoch_milliseconds, schedule: "0 4 * * 0" }
    fields:
      id: { column: "select", categories: [identifier.customer_id] }
      name: { column: 'Na"me', categories: [identity.name] }
      phone: { column: "电话", type: varchar(20), categories: [contact.phone], mask: { style: phone } }
      slash: { column: 'back\slash', categories: [identity.name] }
      secret: { column: "it's; DROP", categories: [health.disability] }
      when: { column: "发生时间", categories: [non_personal.operational] }
  log:
    storage: { engine: mysql, database: "odd'db;x", table: "同意;log" }
    country: DE
    subjects: [people]
    consent_log: { writers: [agent] }
    fields:
      subject_id: { categories: [identifier.customer_id] }
roles:
  agent: { db_role: "Odd'Role`x", purposes: [support], masked: [contact.phone] }
flows:
  - { from: people, to: odd, purposes: [support] }
"#;
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("odd");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("lawful.yaml"), yaml).unwrap();
    let sql = build(&project, &tmp, name);

    let q = |s: &str| format!("`{}`", s.replace('`', "``"));
    db.sql(
        "",
        &format!(
            "CREATE DATABASE {db};
             CREATE TABLE {db}.{t} ({id} BIGINT, {n} VARCHAR(20), {p} VARCHAR(20), {b} VARCHAR(20),
                                   {s} VARCHAR(20), {w} BIGINT, `other` INT);
             INSERT INTO {db}.{t} VALUES
               (1, 'old', '13812345678', 'x', 'y', 1000, 0),
               (2, 'new', '13900001111', 'x', 'y', UNIX_TIMESTAMP() * 1000, 0),
               (NULL, 'keyless', NULL, 'x', 'y', 2000, 0);",
            db = q(name),
            t = q(table),
            id = q("select"),
            n = q("Na\"me"),
            p = q("电话"),
            b = q("back\\slash"),
            s = q("it's; DROP"),
            w = q("发生时间"),
        ),
    );
    apply(&db, name, &sql);
    let role = "Odd'Role`x";
    users(&db, &[(role, "u_odd")]);
    let cols: &[&str] = &[
        "select",
        "Na\"me",
        "电话",
        "back\\slash",
        "it's; DROP",
        "发生时间",
        "other",
    ];
    let masked = format!("{table}_masked");
    let view_cols: &[&str] = &[
        "select",
        "Na\"me",
        "电话",
        "back\\slash",
        "it's; DROP",
        "发生时间",
    ];
    let got = readable(
        &db,
        name,
        &[(role, "u_odd")],
        &[(table, cols), (masked.as_str(), view_cols)],
    );
    let exp = owned(&[
        (
            (role, table),
            &["select", "Na\"me", "back\\slash", "发生时间"],
        ),
        (
            (role, masked.as_str()),
            &["select", "Na\"me", "电话", "back\\slash", "发生时间"],
        ),
    ]);
    assert_readable(&got, &exp, "odd names");
    let phone = db
        .try_sql_as(
            "u_odd",
            PASSWORD,
            name,
            &format!(
                "SELECT {} FROM {} WHERE {} = 1",
                q("电话"),
                q(&masked),
                q("select")
            ),
        )
        .unwrap();
    assert_eq!(phone, "138****5678\n");

    // Retention by epoch milliseconds: rows 1 and the keyless one are a year past.
    let proc = |p: &str| format!("CALL {}.{}", q(name), q(&format!("{p}odd")));
    assert_eq!(
        db.sql(name, &format!("{}()", proc("lawful_due_"))).trim(),
        "2"
    );
    assert_eq!(
        db.sql(name, &format!("{}(NULL, NULL)", proc("lawful_retain_")))
            .trim(),
        "2"
    );
    assert_eq!(
        db.sql(
            name,
            &format!("SELECT {} FROM {}.{}", q("Na\"me"), q(name), q(table))
        ),
        "new\n"
    );
    // Weekly event on Sundays at 04:00 UTC.
    assert_eq!(
        db.sql(
            "",
            "SELECT INTERVAL_VALUE, INTERVAL_FIELD, STARTS FROM information_schema.EVENTS"
        ),
        "1\tWEEK\t2000-01-02 04:00:00\n"
    );
    // The writer records a consent in the log with an odd name; nobody removes it.
    db.try_sql_as(
        "u_odd",
        PASSWORD,
        name,
        &format!(
            "INSERT INTO {} (subject_id, consent, purposes, channel, notice_version, action, occurred_at, source)
             VALUES ('1', 'c', '[]', 'web', 'v1', 'given', '2026-01-01', 'app')",
            q("同意;log")
        ),
    )
    .expect("the writer may insert");
    let e = db
        .try_sql(name, &format!("DELETE FROM {}", q("同意;log")))
        .expect_err("append-only");
    assert!(e.contains("append-only"), "{e}");
}

/// A wall-clock anchor (`DATETIME` in Asia/Shanghai, UTC+8): the cutoff is the current
/// time in that zone minus the period. Without the server's time zone tables the job
/// refuses to run rather than silently doing nothing.
#[test]
fn wall_clock_anchors_are_compared_in_their_declared_zone() {
    let Some(db) = Server::start_or_skip() else {
        return;
    };
    let yaml = format!(
        "{BAD_HEAD}datasets:
  visits:
    storage: {{ engine: mysql, database: shop, table: visits }}
    subjects: [people]
    subject_key: id
    retention: {{ period: PT1H, after: seen, then: delete, anchor_type: timestamp, time_zone: Asia/Shanghai }}
    fields:
      id: {{ categories: [identifier.customer_id] }}
      seen: {{ categories: [non_personal.operational] }}
"
    );
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("p");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("lawful.yaml"), yaml).unwrap();
    let sql = build(&project, &tmp, "shop");
    db.sql(
        "",
        "CREATE DATABASE shop;
         CREATE TABLE shop.visits (id INT, seen DATETIME);
         SET time_zone = '+00:00';
         -- Shanghai wall clock: 2 hours ago (due), 30 minutes ago (kept), and UTC now,
         -- which is 8 hours behind Shanghai, so also due.
         INSERT INTO shop.visits VALUES
           (1, UTC_TIMESTAMP() + INTERVAL 8 HOUR - INTERVAL 2 HOUR),
           (2, UTC_TIMESTAMP() + INTERVAL 8 HOUR - INTERVAL 30 MINUTE),
           (3, UTC_TIMESTAMP());",
    );
    apply(&db, "shop", &sql);
    let e = db
        .try_sql("shop", "CALL lawful_due_visits()")
        .expect_err("no time zone tables yet");
    assert!(e.contains("Asia/Shanghai is unknown"), "{e}");
    // Load the zone tables as the job's error says, then it runs.
    let tz = Command::new("mariadb-tzinfo-to-sql")
        .arg("/usr/share/zoneinfo")
        .output()
        .expect("mariadb-tzinfo-to-sql");
    assert!(tz.status.success());
    db.sql("mysql", &String::from_utf8_lossy(&tz.stdout));
    assert_eq!(db.sql("shop", "CALL lawful_due_visits()"), "2\n");
    assert_eq!(
        db.sql("shop", "CALL lawful_retain_visits(NULL, NULL)"),
        "2\n"
    );
    assert_eq!(db.sql("shop", "SELECT id FROM visits"), "2\n");
    // The caller's session time zone is left as it was.
    assert_eq!(
        db.sql(
            "shop",
            "SET time_zone = '+05:00'; CALL lawful_due_visits(); SELECT @@time_zone"
        ),
        "0\n+05:00\n"
    );
}

/// Two databases on one server: each file revokes only on its own database, so applying
/// them in any order leaves the role with the columns of both, and a second run changes
/// nothing.
#[test]
fn grants_of_several_databases_on_one_server_do_not_undo_each_other() {
    let Some(db) = Server::start_or_skip() else {
        return;
    };
    let ds = |id: &str, database: &str| {
        format!(
            "  {id}:
    storage: {{ engine: mysql, database: {database}, table: people }}
    subjects: [people]
    fields:
      id: {{ categories: [identifier.customer_id] }}
      email: {{ categories: [contact.email] }}
      notes: {{ categories: [health.disability] }}
"
        )
    };
    let yaml = format!(
        "{BAD_HEAD}roles:
  agent: {{ db_role: agent, purposes: [support] }}
datasets:
{}{}",
        ds("a", "shop_a"),
        ds("b", "shop_b")
    );
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path().join("p");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("lawful.yaml"), yaml).unwrap();
    let out = tmp.path().join("out/sql/mysql");
    let _ = build(&project, &tmp, "shop_a");
    for d in ["shop_a", "shop_b"] {
        db.sql(
            "",
            &format!(
                "CREATE DATABASE {d}; CREATE TABLE {d}.people (id INT, email TEXT, notes TEXT);"
            ),
        );
    }
    // A grant by hand on a managed table, and one elsewhere that lawful does not manage.
    db.sql(
        "",
        "CREATE ROLE agent; GRANT SELECT ON shop_a.people TO agent WITH GRANT OPTION;
         CREATE DATABASE other; CREATE TABLE other.t (x INT); GRANT SELECT ON other.t TO agent;",
    );
    let a = out.join("shop_a/grants.sql");
    let b = out.join("shop_b/grants.sql");
    db.file("shop_a", &a);
    db.file("shop_b", &b);
    let grants = || db.sql("", "SHOW GRANTS FOR agent");
    // (SHOW GRANTS lists columns in table order; lines sorted here.)
    let expected = "GRANT SELECT (`id`, `email`) ON `shop_a`.`people` TO `agent`\n\
                    GRANT SELECT (`id`, `email`) ON `shop_b`.`people` TO `agent`\n\
                    GRANT SELECT ON `other`.`t` TO `agent`\n\
                    GRANT USAGE ON *.* TO `agent`\n";
    let sorted = |s: String| {
        let mut l: Vec<&str> = s.lines().collect();
        l.sort();
        l.join("\n") + "\n"
    };
    assert_eq!(sorted(grants()), expected, "after a, then b");
    db.file("shop_a", &a);
    db.file("shop_b", &b);
    db.file("shop_a", &a);
    assert_eq!(sorted(grants()), expected, "after a, b, a again");
    // The scoped revokes parse too, but for `REVOKE GRANT OPTION ON …`, which sqlparser
    // 0.59 does not read: what it does is what SHOW GRANTS showed above.
    use sqlparser::dialect::MySqlDialect;
    use sqlparser::parser::Parser;
    for st in statements(&std::fs::read_to_string(&a).unwrap()) {
        if st.starts_with("REVOKE GRANT OPTION ON ") {
            continue;
        }
        if let Err(e) = Parser::parse_sql(&MySqlDialect {}, &st) {
            panic!("{e}\n{st}");
        }
    }
}

// ---------------------------------------------------------------------------------------
// Parsing every generated statement back
// ---------------------------------------------------------------------------------------

/// Split a script the way the mysql client does: `DELIMITER x` lines change the
/// terminator; a terminator inside quotes, backquotes or a `--` comment does not count.
fn statements(script: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut delim = ";".to_string();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    for line in script.split_inclusive('\n') {
        if quote.is_none()
            && cur.trim().is_empty()
            && let Some(d) = line.trim().strip_prefix("DELIMITER ")
        {
            delim = d.trim().to_string();
            continue;
        }
        let mut i = 0;
        let chars: Vec<char> = line.chars().collect();
        while i < chars.len() {
            let c = chars[i];
            match quote {
                Some(q) => {
                    cur.push(c);
                    if c == q {
                        if chars.get(i + 1) == Some(&q) {
                            cur.push(q);
                            i += 1;
                        } else {
                            quote = None;
                        }
                    }
                }
                None => {
                    if c == '-' && chars.get(i + 1) == Some(&'-') {
                        break;
                    }
                    if matches!(c, '\'' | '"' | '`') {
                        quote = Some(c);
                        cur.push(c);
                    } else if chars[i..].iter().collect::<String>().starts_with(&delim) {
                        let s = cur.trim().to_string();
                        if !s.is_empty() {
                            out.push(s);
                        }
                        cur.clear();
                        i += delim.chars().count();
                        continue;
                    } else {
                        cur.push(c);
                    }
                }
            }
            i += 1;
        }
        if quote.is_none() && !cur.ends_with('\n') {
            cur.push('\n');
        }
    }
    assert!(
        cur.trim().is_empty(),
        "text after the last statement: {cur}"
    );
    out
}

/// sqlparser 0.59 with MySqlDialect reads the grants, views, tables and events, but not:
/// - `CREATE PROCEDURE … BEGIN … END` with `DECLARE … HANDLER`, labelled `LOOP`, `SIGNAL`
///   and `LEAVE`: its MySQL procedure support stops at those. The statements inside the
///   bodies (the batch `DELETE`/`UPDATE … ORDER BY … LIMIT`, the counts, the cutoffs) are
///   parsed on their own instead, and the procedures themselves are created and run by the
///   real server in `retention_*` and `awkward_identifiers_*`.
/// - `CREATE TRIGGER … SIGNAL …`: the trigger body is `SIGNAL`, which it does not know;
///   checked by the server in `the_consent_log_is_append_only_even_for_root`.
/// - `CREATE EVENT` and `DROP EVENT`: not supported at all. The event body (`CALL …`) is
///   parsed on its own; the events are created by the server and read back from
///   `information_schema.EVENTS` in `retention_*` and `awkward_identifiers_*`.
/// - `UPDATE … ORDER BY … LIMIT` (inside the anonymising procedure): parsed without the
///   `ORDER BY … LIMIT` tail, which it reads on `DELETE`.
/// - `REVOKE ALL PRIVILEGES, GRANT OPTION FROM role` (MySQL's revoke of everything a
///   role holds, without `ON`): checked by the server in every grant test, whose
///   before/after snapshots show it revokes everything, hand-made grants included.
///
/// Any other statement that fails to parse fails this test.
#[test]
fn every_generated_statement_parses_as_mysql() {
    use sqlparser::dialect::MySqlDialect;
    use sqlparser::parser::Parser;
    let tmp = tempfile::tempdir().unwrap();
    let sql = build(Path::new(FIXTURE), &tmp, DB);
    let mut parsed = 0;
    let mut by_server: BTreeMap<&str, usize> = BTreeMap::new();
    let mut failures = Vec::new();
    for f in [
        "grants.sql",
        "retention.sql",
        "schedule.sql",
        "consent_log.sql",
    ] {
        let text = std::fs::read_to_string(sql.join(f)).unwrap();
        for st in statements(&text) {
            let upper = st.to_uppercase();
            let kind = if upper.starts_with("CREATE PROCEDURE") {
                Some("CREATE PROCEDURE")
            } else if upper.starts_with("CREATE TRIGGER") && upper.contains("SIGNAL") {
                Some("CREATE TRIGGER … SIGNAL")
            } else if upper.starts_with("DROP EVENT") {
                Some("DROP EVENT")
            } else if upper.starts_with("CREATE EVENT") {
                // The event's body, `CALL …`, is parsed on its own.
                let call = &st[upper.find(" DO ").expect("an event body") + 4..];
                match Parser::parse_sql(&MySqlDialect {}, call) {
                    Ok(_) => parsed += 1,
                    Err(e) => failures.push(format!("{f} (event body): {e}\n{call}")),
                }
                Some("CREATE EVENT")
            } else {
                None
            };
            if let Some(kind) = kind {
                *by_server.entry(kind).or_default() += 1;
                // The SQL statements of the body, parsed one by one.
                if kind == "CREATE PROCEDURE" {
                    for inner in body_statements(&st) {
                        match Parser::parse_sql(&MySqlDialect {}, &inner) {
                            Ok(_) => parsed += 1,
                            Err(e) => failures.push(format!("{f} (in a body): {e}\n{inner}")),
                        }
                    }
                }
                continue;
            }
            // A trigger body is read up to its own `;`.
            let st = if upper.starts_with("CREATE TRIGGER") {
                format!("{st};")
            } else {
                st
            };
            match Parser::parse_sql(&MySqlDialect {}, &st) {
                Ok(v) => {
                    assert_eq!(v.len(), 1, "{st}");
                    parsed += 1;
                }
                Err(e) => {
                    if upper.starts_with("REVOKE ALL PRIVILEGES, GRANT OPTION FROM") {
                        *by_server
                            .entry("REVOKE ALL PRIVILEGES, GRANT OPTION")
                            .or_default() += 1;
                    } else {
                        failures.push(format!("{f}: {e}\n{st}"));
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "unparsable statements:\n{}",
        failures.join("\n\n")
    );
    assert!(parsed > 20, "only {parsed} statements parsed");
    eprintln!("checked by the server instead of sqlparser: {by_server:?}");
    // The jobs and dry runs of rental, customer and the consent log.
    assert_eq!(by_server.get("CREATE PROCEDURE"), Some(&6), "{by_server:?}");
}

/// The plain SQL statements inside a procedure body: `SELECT … INTO`, `UPDATE`, `DELETE`,
/// `SELECT` (variables are ordinary identifiers to the parser).
fn body_statements(proc: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut on = false;
    for line in proc.lines() {
        let t = line.trim();
        if !on
            && (t.starts_with("UPDATE ")
                || t.starts_with("DELETE ")
                || t.starts_with("SELECT ")
                || t.starts_with("SET v_cutoff"))
        {
            on = true;
            cur.clear();
        }
        if on {
            cur.push_str(line);
            cur.push('\n');
            if t.ends_with(';') {
                on = false;
                let s = cur.trim().trim_end_matches(';').to_string();
                // `SELECT … INTO v` and `SET v = …` are read as SELECTs of the expression.
                let s = match s.strip_prefix("SET v_cutoff = ") {
                    Some(e) => format!("SELECT {e}"),
                    None => s,
                };
                // sqlparser reads `ORDER BY … LIMIT` on DELETE but not on UPDATE (a MySQL
                // extension): the UPDATE is parsed without it, and the same clause is
                // parsed on the DELETE of the other job and run by the server.
                let s = match (s.starts_with("UPDATE "), s.rfind("ORDER BY")) {
                    (true, Some(i)) => s[..i].to_string(),
                    _ => s,
                };
                out.push(s);
            }
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Bad input: a finding at its place, never SQL that fails when applied
// ---------------------------------------------------------------------------------------

/// The refusals of a one-file project: (code, line, column) of each primary label.
fn refusals(yaml: &str) -> Vec<(String, usize, usize)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lawful.yaml"), yaml).unwrap();
    let project = lawful::load(dir.path(), &[]).expect("the project loads");
    let errors = lawful::emit::generate(&project).expect_err("must be refused");
    let mut out: Vec<(String, usize, usize)> = errors
        .iter()
        .map(|d| {
            let p = d.primary.as_ref().expect("a place");
            let (_, line, col) = project.model.sources.locate(p.span).unwrap();
            (d.code.clone(), line, col)
        })
        .collect();
    out.sort();
    out
}

const BAD_HEAD: &str = "version: 1
organization: { name: Acme, establishments: [DE] }
subjects: { people: { lives_in: [EU] } }
purposes:
  support:
    legal_basis: { gdpr: contract }
    categories: [identifier.customer_id, contact.email]
    retention: P1Y
";

#[test]
fn mysql_names_roles_and_schedules_it_cannot_hold_are_refused_at_their_place() {
    // A reserved role name (line 10), a schedule that is no fixed interval (line 16), a
    // column name longer than MySQL's 64 characters (line 20).
    let long = "c".repeat(65);
    let yaml = format!(
        "{BAD_HEAD}roles:
  admin: {{ db_role: root, purposes: [support] }}
datasets:
  people_db:
    storage: {{ engine: mysql, database: shop, table: people }}
    subjects: [people]
    subject_key: id
    retention: {{ period: P1Y, after: seen, then: delete, schedule: \"0 3 * * 1-5\" }}
    fields:
      id: {{ categories: [identifier.customer_id] }}
      seen: {{ categories: [non_personal.operational] }}
      email: {{ column: {long}, categories: [contact.email] }}
"
    );
    // The role and the schedule are declaration problems, found (and reported by `lawful
    // check`) before any SQL is generated.
    let r = refusals(&yaml);
    assert_eq!(
        r,
        [
            ("emit::grants-reserved-role".to_string(), 10, 21),
            ("emit::retention-schedule-mysql".to_string(), 16, 68)
        ],
        "the reserved role at its db_role, the schedule at its value"
    );
    // Without them, the long column is refused where it is written, when the SQL is made.
    let yaml = yaml
        .replace("db_role: root", "db_role: support_agent")
        .replace("0 3 * * 1-5", "0 3 * * *");
    let r = refusals(&yaml);
    assert_eq!(
        r,
        [("emit::sql-identifier".to_string(), 20, 24)],
        "the long column at its `column:`"
    );

    // A MySQL dataset must name its database.
    let yaml = format!(
        "{BAD_HEAD}roles:
  agent: {{ db_role: agent, purposes: [support] }}
datasets:
  people_db:
    storage: {{ engine: mysql, table: people }}
    subjects: [people]
    fields:
      id: {{ categories: [identifier.customer_id] }}
"
    );
    let r = refusals(&yaml);
    assert_eq!(r.len(), 1, "{r:?}");
    assert_eq!(r[0].0, "emit::database-missing");
    assert_eq!(r[0].1, 13, "at the storage: {r:?}");
}
