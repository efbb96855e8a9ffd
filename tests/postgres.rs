//! End to end against a real PostgreSQL: the real sakila schema, the example project
//! examples/sakila, and the grants and retention jobs `lawful build` generates for it.
//!
//! Each test starts its own throwaway cluster (tests/support/pg.rs): PostgreSQL must be
//! installed, or the tests fail, unless `LAWFUL_SKIP_PG=1` says to skip them.
//!
//! The expected grants and retention outcomes are written out here by hand from the
//! example's YAML, not computed by lawful, so that the test is an independent oracle.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use support::pg::Cluster;

const DB: &str = "sakila";
const SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/schemas/sakila/postgres-sakila-schema.sql"
);
const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/sakila");
const SEED: &str = include_str!("support/sakila_seed.sql");

/// The tables and views the example describes, by schema; grants are checked on every
/// column of each: its five sakila tables, the masking view of `customer` and the consent
/// log.
const MANAGED: [(&str, &str); 7] = [
    ("public", "address"),
    ("public", "customer"),
    ("public", "payment"),
    ("public", "rental"),
    ("public", "staff"),
    ("public", "customer_masked"),
    ("lawful", "consent_log"),
];
/// The database roles of examples/sakila/roles.yaml.
const ROLES: [&str; 4] = [
    "sakila_finance",
    "sakila_marketing",
    "sakila_storefront",
    "sakila_support",
];
/// Every column of the consent log (src/emit/consent_log/mod.rs), which its writers and
/// readers may all read.
const CONSENT_LOG_ALL: &[&str] = &[
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

/// A cluster with the sakila schema loaded and seeded, or `None` when skipping.
fn sakila() -> Option<Cluster> {
    let pg = Cluster::start_or_skip()?;
    pg.sql("postgres", "CREATE DATABASE sakila");
    // The corpus copy of the dump keeps the views but not the bodies of its functions,
    // aggregates, rules and triggers (those sections are empty). The views actor_info,
    // film_list and nicer_but_slower_film_list call the aggregate group_concat(text), so it
    // is created first, exactly as the original sakila defines it; nothing else is changed.
    // PostgreSQL 15 itself accepts every statement of the dump.
    pg.sql(
        DB,
        "CREATE FUNCTION public._group_concat(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
           SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END
         $$;
         CREATE AGGREGATE public.group_concat(text) (SFUNC = public._group_concat, STYPE = text);",
    );
    pg.file(DB, Path::new(SCHEMA));
    pg.sql(DB, SEED);
    // The example's rentals and payments name a legal-hold table (retention.legal_hold);
    // customer 1 is on hold.
    pg.sql(
        DB,
        "CREATE TABLE public.legal_hold (customer_id integer PRIMARY KEY);
         INSERT INTO public.legal_hold VALUES (1);",
    );
    Some(pg)
}

/// `lawful build <project> --out <tmp>`; returns the folder of the scripts of the sakila
/// database (every dataset of the example says `database: sakila`), kept alive by `tmp`.
fn build(project: &Path, tmp: &tempfile::TempDir) -> PathBuf {
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .arg("build")
        .arg(project)
        .arg("--out")
        .arg(&out)
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
    for f in ["grants.sql", "retention.sql"] {
        assert!(
            out.join("sql/postgres/sakila").join(f).is_file(),
            "lawful build wrote no sql/postgres/sakila/{f}"
        );
    }
    out.join("sql/postgres/sakila")
}

/// Copy a project folder (YAML files only, recursively).
fn copy_project(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            copy_project(&p, &to.join(e.file_name()));
        } else if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

// ---------------------------------------------------------------------------------------
// Grants
// ---------------------------------------------------------------------------------------

/// Every column of `rental` and `payment`: each is either within every role's purposes
/// that names the table, or non-personal (`staff_id`, `last_update`).
const RENTAL_ALL: &[&str] = &[
    "rental_id",
    "rental_date",
    "inventory_id",
    "customer_id",
    "return_date",
    "staff_id",
    "last_update",
];
const PAYMENT_ALL: &[&str] = &[
    "payment_id",
    "customer_id",
    "staff_id",
    "rental_id",
    "amount",
    "payment_date",
];

/// What each role may read, written out from examples/sakila: a role reads exactly the
/// columns whose categories its purposes declare, in the datasets it names, plus the
/// non-personal columns (`non_personal.operational`: `store_id`, `staff_id`,
/// `last_update`) of those tables. Nothing of `staff`, and no `account` column of
/// `customer` (`activebool`, `create_date`, `active`): no role's purposes declare them.
fn expected_grants() -> BTreeMap<(&'static str, &'static str), BTreeSet<&'static str>> {
    let mut m = BTreeMap::new();
    let mut put = |role, table, cols: &[&'static str]| {
        m.insert((role, table), cols.iter().copied().collect::<BTreeSet<_>>());
    };
    // support_agent: customer_support = customer id, name, email, phone, postal address,
    // purchases, transactions; datasets customer, address, rental, payment.
    put(
        "sakila_support",
        "customer",
        &[
            "customer_id",
            "store_id",
            "first_name",
            "last_name",
            "email",
            "address_id",
            "last_update",
        ],
    );
    put(
        "sakila_support",
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
    );
    put("sakila_support", "rental", RENTAL_ALL);
    put("sakila_support", "payment", PAYMENT_ALL);
    // finance: bookkeeping (customer id, transactions, purchases) + payment_processing
    // (adds name and card number); datasets payment, rental, customer.
    put(
        "sakila_finance",
        "customer",
        &[
            "customer_id",
            "store_id",
            "first_name",
            "last_name",
            "last_update",
        ],
    );
    put("sakila_finance", "rental", RENTAL_ALL);
    put("sakila_finance", "payment", PAYMENT_ALL);
    // marketing_analyst: marketing_email = customer id, name, email, purchases; datasets
    // customer, rental; but email only masked (`masked: [contact.email]`): not on the
    // table, only through customer_masked, which also serves its other columns.
    put(
        "sakila_marketing",
        "customer",
        &[
            "customer_id",
            "store_id",
            "first_name",
            "last_name",
            "last_update",
        ],
    );
    put(
        "sakila_marketing",
        "customer_masked",
        &[
            "customer_id",
            "store_id",
            "first_name",
            "last_name",
            "email",
            "last_update",
        ],
    );
    put("sakila_marketing", "rental", RENTAL_ALL);
    // The consent log: storefront writes it (INSERT and SELECT), support reads it.
    put("sakila_storefront", "consent_log", CONSENT_LOG_ALL);
    put("sakila_support", "consent_log", CONSENT_LOG_ALL);
    m
}

/// Columns readable by (role, table).
type Grants = BTreeMap<(String, String), BTreeSet<String>>;

/// Every column each role can SELECT, by `has_column_privilege` over every column of every
/// managed table (so a table-level grant would show up as every column).
fn readable(pg: &Cluster) -> Grants {
    let tables = MANAGED
        .iter()
        .map(|(s, t)| format!("('{s}', '{t}')"))
        .collect::<Vec<_>>()
        .join(",");
    let roles = ROLES
        .iter()
        .map(|r| format!("'{r}'"))
        .collect::<Vec<_>>()
        .join(",");
    let out = pg.sql(
        DB,
        &format!(
            "SELECT r.rolname, c.table_name, c.column_name
               FROM information_schema.columns c CROSS JOIN pg_roles r
              WHERE (c.table_schema, c.table_name) IN ({tables})
                AND r.rolname IN ({roles})
                AND has_column_privilege(r.rolname,
                      format('%I.%I', c.table_schema, c.table_name), c.column_name, 'SELECT')
              ORDER BY 1, 2, 3"
        ),
    );
    let mut m = Grants::new();
    for line in out.lines().filter(|l| !l.is_empty()) {
        let v: Vec<&str> = line.split('|').collect();
        m.entry((v[0].to_string(), v[1].to_string()))
            .or_default()
            .insert(v[2].to_string());
    }
    m
}

/// Assert two grant maps are equal, listing only the differences.
fn assert_grants(actual: &Grants, expected: &Grants, what: &str) {
    let keys: BTreeSet<_> = actual.keys().chain(expected.keys()).collect();
    let mut diff = Vec::new();
    let none = BTreeSet::new();
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

fn owned(m: &BTreeMap<(&'static str, &'static str), BTreeSet<&'static str>>) -> Grants {
    m.iter()
        .map(|((r, t), cols)| {
            (
                (r.to_string(), t.to_string()),
                cols.iter().map(|c| c.to_string()).collect(),
            )
        })
        .collect()
}

/// Every privilege the managed roles hold on tables and columns, for before/after checks.
fn privilege_snapshot(pg: &Cluster) -> String {
    let roles = ROLES
        .iter()
        .map(|r| format!("'{r}'"))
        .collect::<Vec<_>>()
        .join(",");
    pg.sql(
        DB,
        &format!(
            "SELECT 'table', grantee, table_schema, table_name, '', privilege_type, is_grantable
               FROM information_schema.table_privileges WHERE grantee IN ({roles})
             UNION ALL
             SELECT 'column', grantee, table_schema, table_name, column_name, privilege_type,
                    is_grantable
               FROM information_schema.column_privileges WHERE grantee IN ({roles})
             ORDER BY 1, 2, 3, 4, 5, 6"
        ),
    )
}

#[test]
fn grants_give_each_role_exactly_its_purposes_columns_and_converge() {
    let Some(pg) = sakila() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let sql = build(Path::new(EXAMPLE), &tmp);
    let grants = sql.join("grants.sql");

    // The consent log first: grants.sql grants on it.
    pg.file(DB, &sql.join("consent_log.sql"));
    pg.file(DB, &grants);
    let expected = owned(&expected_grants());
    assert_grants(
        &readable(&pg),
        &expected,
        "(a) the columns each role can read differ from the example's purposes",
    );
    // A role must actually be able to read its columns (and not others) when it logs in.
    pg.sql(
        DB,
        "SET ROLE sakila_finance; SELECT customer_id, first_name FROM customer LIMIT 1",
    );
    let denied = pg
        .try_sql(
            DB,
            "SET ROLE sakila_finance; SELECT email FROM customer LIMIT 1",
        )
        .expect_err("finance must not read customer.email");
    assert!(denied.contains("permission denied"), "{denied}");
    // Marketing reads the email masked, through the view, and not on the table.
    let masked = pg.sql(
        DB,
        "SET ROLE sakila_marketing; SELECT email FROM customer_masked WHERE customer_id = 1",
    );
    assert_eq!(masked.trim(), "****@example.org");
    pg.try_sql(
        DB,
        "SET ROLE sakila_marketing; SELECT email FROM customer LIMIT 1",
    )
    .expect_err("marketing must not read customer.email in clear");
    // The storefront records consents and cannot rewrite them.
    pg.sql(
        DB,
        "SET ROLE sakila_storefront; INSERT INTO lawful.consent_log
           (subject_id, consent, purposes, channel, notice_version, action, occurred_at, source)
         VALUES ('1', 'newsletter', '{marketing_email}', 'web', '2026-09', 'given', now(), 'shop')",
    );
    let refused = pg
        .try_sql(
            DB,
            "SET ROLE sakila_storefront; UPDATE lawful.consent_log SET action = 'withdrawn'",
        )
        .expect_err("a consent record cannot be updated");
    assert!(refused.contains("permission denied"), "{refused}");

    // (b) applying the same grants again changes nothing.
    let before = privilege_snapshot(&pg);
    assert!(
        !before.trim().is_empty(),
        "no privileges were granted at all"
    );
    pg.file(DB, &grants);
    assert_eq!(
        privilege_snapshot(&pg),
        before,
        "(b) a second run of grants.sql changed privileges"
    );

    // (c) finance loses payment_processing: the names it gave are revoked, the rest stays.
    let changed = tmp.path().join("without-payment-processing");
    copy_project(Path::new(EXAMPLE), &changed);
    let roles = std::fs::read_to_string(changed.join("roles.yaml")).unwrap();
    let edited = roles.replace(
        "purposes: [bookkeeping, payment_processing]",
        "purposes: [bookkeeping]",
    );
    assert_ne!(
        roles, edited,
        "roles.yaml no longer has the line this test edits"
    );
    std::fs::write(changed.join("roles.yaml"), edited).unwrap();
    let tmp2 = tempfile::tempdir().unwrap();
    let sql2 = build(&changed, &tmp2);
    pg.file(DB, &sql2.join("grants.sql"));
    let mut expected = expected_grants();
    expected
        .get_mut(&("sakila_finance", "customer"))
        .unwrap()
        .retain(|c| !["first_name", "last_name"].contains(c));
    assert_grants(
        &readable(&pg),
        &owned(&expected),
        "(c) removing a purpose from a role did not revoke exactly the columns it gave",
    );
    // And giving it back restores them (the grants converge both ways).
    pg.file(DB, &grants);
    assert_grants(
        &readable(&pg),
        &owned(&expected_grants()),
        "(c) giving the purpose back did not restore its columns",
    );
}

// ---------------------------------------------------------------------------------------
// Retention
// ---------------------------------------------------------------------------------------

/// What the retention job does to one column of an expired row.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Expect {
    Kept,
    Null,
    Hashed,
    Year,
}

/// Every row of a table as JSON objects, by key.
fn rows(pg: &Cluster, table: &str, key: &str) -> BTreeMap<i64, serde_json::Map<String, Value>> {
    let out = pg.sql(
        DB,
        &format!("SELECT coalesce(json_agg(t ORDER BY t.{key}), '[]') FROM public.{table} AS t"),
    );
    let v: Value = serde_json::from_str(out.trim()).expect("json_agg output");
    v.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let o = r.as_object().unwrap().clone();
            (o[key].as_i64().unwrap(), o)
        })
        .collect()
}

fn due(pg: &Cluster, dataset: &str) -> i64 {
    pg.sql(DB, &format!("SELECT lawful.due_{dataset}()"))
        .trim()
        .parse()
        .unwrap()
}

/// A deleted dataset: which keys must be gone and which must stay untouched.
struct Deleted {
    dataset: &'static str,
    key: &'static str,
    gone: &'static [i64],
}

/// An anonymised dataset: which rows expire, and what happens to each column.
struct Anonymised {
    dataset: &'static str,
    key: &'static str,
    expired: &'static [i64],
    columns: &'static [(&'static str, Expect)],
}

/// From the seed (tests/support/sakila_seed.sql) and the periods of examples/sakila.
const DELETED: [Deleted; 2] = [
    // P10Y after payment_date. Payment 5 is as old, but its customer (1) is on legal hold.
    Deleted {
        dataset: "payment",
        key: "payment_id",
        gone: &[1, 4],
    },
    // P10Y after rental_date; runs after payment, whose rows reference rentals.
    Deleted {
        dataset: "rental",
        key: "rental_id",
        gone: &[1, 4],
    },
];

const ANONYMISED: [Anonymised; 3] = [
    // P3Y after last_update.
    Anonymised {
        dataset: "customer",
        key: "customer_id",
        expired: &[1, 3],
        columns: &[
            ("customer_id", Expect::Kept),
            ("store_id", Expect::Kept),
            ("first_name", Expect::Hashed),
            ("last_name", Expect::Hashed),
            ("email", Expect::Null),
            ("address_id", Expect::Kept),
            ("activebool", Expect::Kept),
            ("create_date", Expect::Year),
            ("last_update", Expect::Kept),
            ("active", Expect::Kept),
        ],
    },
    Anonymised {
        dataset: "address",
        key: "address_id",
        expired: &[2, 5],
        columns: &[
            ("address_id", Expect::Kept),
            ("address", Expect::Hashed),
            ("address2", Expect::Null),
            ("district", Expect::Hashed),
            ("city_id", Expect::Kept),
            ("postal_code", Expect::Null),
            ("phone", Expect::Hashed),
            ("last_update", Expect::Kept),
        ],
    },
    Anonymised {
        dataset: "staff",
        key: "staff_id",
        expired: &[2],
        columns: &[
            ("staff_id", Expect::Kept),
            ("first_name", Expect::Hashed),
            ("last_name", Expect::Hashed),
            ("address_id", Expect::Kept),
            ("email", Expect::Null),
            ("store_id", Expect::Kept),
            ("active", Expect::Kept),
            ("username", Expect::Hashed),
            ("password", Expect::Null),
            ("last_update", Expect::Kept),
            ("picture", Expect::Null),
        ],
    },
];

/// `anon:` and 8 to 64 lower-case hex digits: what a hashed value becomes.
fn is_anonymised_hash(v: &Value) -> bool {
    v.as_str()
        .and_then(|s| s.strip_prefix("anon:"))
        .is_some_and(|h| {
            h.len() >= 8
                && h.len() <= 64
                && h.bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

#[test]
fn retention_jobs_delete_or_anonymise_exactly_the_expired_rows() {
    let Some(pg) = sakila() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let sql = build(Path::new(EXAMPLE), &tmp);
    // The consent log's table first: its job is declared on it.
    pg.file(DB, &sql.join("consent_log.sql"));
    pg.file(DB, &sql.join("retention.sql"));
    // Applying the file twice is allowed and replaces the jobs.
    pg.file(DB, &sql.join("retention.sql"));
    // Consent records: one past the six years, one within; only the job may delete.
    pg.sql(
        DB,
        "INSERT INTO lawful.consent_log
           (subject_id, consent, purposes, channel, notice_version, action, occurred_at, source)
         VALUES ('1', 'newsletter', '{marketing_email}', 'web', '2019-01', 'given',
                 now() - interval '7 years', 'shop'),
                ('2', 'newsletter', '{marketing_email}', 'web', '2026-09', 'given',
                 now() - interval '1 year', 'shop')",
    );
    let refused = pg
        .try_sql(DB, "DELETE FROM lawful.consent_log")
        .expect_err("the consent log refuses a plain DELETE, even from its owner");
    assert!(refused.contains("append-only"), "{refused}");
    assert_eq!(due(&pg, "consent_log"), 1);
    pg.sql(DB, "CALL lawful.retain_consent_log()");
    assert_eq!(
        pg.sql(
            DB,
            "SELECT string_agg(subject_id, ',') FROM lawful.consent_log"
        )
        .trim(),
        "2",
        "the job deleted exactly the consent record past its period"
    );

    let mut before = BTreeMap::new();
    for d in &DELETED {
        before.insert(d.dataset, rows(&pg, d.dataset, d.key));
    }
    for a in &ANONYMISED {
        before.insert(a.dataset, rows(&pg, a.dataset, a.key));
    }

    // The dry runs count exactly the rows past their period, before anything runs.
    for d in &DELETED {
        assert_eq!(
            due(&pg, d.dataset),
            d.gone.len() as i64,
            "due_{} before the job",
            d.dataset
        );
    }
    for a in &ANONYMISED {
        assert_eq!(
            due(&pg, a.dataset),
            a.expired.len() as i64,
            "due_{} before the job",
            a.dataset
        );
    }

    // A job that hashes refuses to run without a salt, and changes nothing.
    let err = pg
        .try_sql(DB, "CALL lawful.retain_customer()")
        .expect_err("the customer job must refuse to run without a salt");
    assert!(err.contains("salt"), "{err}");
    assert_eq!(due(&pg, "customer"), 2);

    // Run every job, in the order the foreign keys need (payments before rentals), with a
    // batch size of 1 so that batching and the commit after each batch are exercised.
    for d in &DELETED {
        pg.sql(
            DB,
            &format!("CALL lawful.retain_{}(batch_size => 1)", d.dataset),
        );
    }
    for a in &ANONYMISED {
        pg.sql(
            DB,
            &format!(
                "CALL lawful.retain_{}(batch_size => 1, salt => 'test-salt')",
                a.dataset
            ),
        );
    }

    for d in &DELETED {
        let after = rows(&pg, d.dataset, d.key);
        let mut expected = before[d.dataset].clone();
        for k in d.gone {
            assert!(
                expected.remove(k).is_some(),
                "seed has no {} {k}",
                d.dataset
            );
        }
        assert_eq!(
            after, expected,
            "{}: exactly the expired rows are deleted, the others untouched",
            d.dataset
        );
        assert_eq!(due(&pg, d.dataset), 0, "due_{} after", d.dataset);
    }
    for a in &ANONYMISED {
        let after = rows(&pg, a.dataset, a.key);
        let old = &before[a.dataset];
        assert_eq!(
            after.keys().collect::<Vec<_>>(),
            old.keys().collect::<Vec<_>>(),
            "{}: anonymising must keep every row",
            a.dataset
        );
        assert_eq!(
            a.columns.len(),
            old.values().next().unwrap().len(),
            "{}: the test lists every column",
            a.dataset
        );
        for (k, row) in &after {
            if !a.expired.contains(k) {
                assert_eq!(
                    row, &old[k],
                    "{} {k} is within its period: untouched",
                    a.dataset
                );
                continue;
            }
            for (col, how) in a.columns {
                let (was, now) = (&old[k][*col], &row[*col]);
                let ok = match how {
                    Expect::Kept => now == was,
                    Expect::Null => now.is_null(),
                    Expect::Hashed => is_anonymised_hash(now) && now != was,
                    // A date keeps its type: `YYYY-01-01`.
                    Expect::Year => {
                        let (w, n) = (was.as_str().unwrap_or(""), now.as_str().unwrap_or(""));
                        n.len() >= 10 && n[..4] == w[..4] && &n[4..10] == "-01-01"
                    }
                };
                assert!(
                    ok,
                    "{} {k}.{col}: expected {how:?}, was {was}, now {now}",
                    a.dataset
                );
            }
        }
        assert_eq!(due(&pg, a.dataset), 0, "due_{} after", a.dataset);
    }

    // A second run changes nothing: hashes are not hashed again.
    let mut snapshot = BTreeMap::new();
    for a in &ANONYMISED {
        snapshot.insert(a.dataset, rows(&pg, a.dataset, a.key));
        pg.sql(
            DB,
            &format!("CALL lawful.retain_{}(salt => 'test-salt')", a.dataset),
        );
    }
    for d in &DELETED {
        snapshot.insert(d.dataset, rows(&pg, d.dataset, d.key));
        pg.sql(DB, &format!("CALL lawful.retain_{}()", d.dataset));
    }
    for a in &ANONYMISED {
        assert_eq!(
            rows(&pg, a.dataset, a.key),
            snapshot[a.dataset],
            "{} rerun",
            a.dataset
        );
    }
    for d in &DELETED {
        assert_eq!(
            rows(&pg, d.dataset, d.key),
            snapshot[d.dataset],
            "{} rerun",
            d.dataset
        );
    }
}

// ---------------------------------------------------------------------------------------
// Retention edge cases and multi-database grants, on small projects of their own
// ---------------------------------------------------------------------------------------

/// Write a project (file name → YAML) and `lawful build` it (findings do not stop it: these
/// projects exercise the generator, not the rules). Returns the output folder.
fn build_files(files: &[(&str, &str)], tmp: &tempfile::TempDir, name: &str) -> PathBuf {
    let proj = tmp.path().join(name);
    std::fs::create_dir_all(&proj).unwrap();
    for (f, text) in files {
        std::fs::write(proj.join(f), text).unwrap();
    }
    let out = tmp.path().join(format!("{name}-out"));
    let o = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .arg("build")
        .arg(&proj)
        .arg("--out")
        .arg(&out)
        .args(["--fail-on", "never"])
        .env("LAWFUL_TODAY", "2026-11-29")
        .env("NO_COLOR", "1")
        .output()
        .expect("run lawful");
    assert!(
        o.status.success(),
        "lawful build {name} failed:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    out
}

const EDGE_ORG: &str = "version: 1
organization: { name: Acme GmbH, establishments: [DE] }
subjects: { customer: { lives_in: [DE] } }
";

/// `x` anonymises a table whose name holds a backslash; `due_x` is named so that the old
/// scheme (`retention_<id>`, `retention_due_<id>`) gave two objects one name; `short` hashes
/// a column too narrow for `anon:` and 8 hex digits.
const EDGE_DATASETS: &str = r#"datasets:
  x:
    storage: { engine: postgres, schema: public, table: 'con\tacts' }
    subjects: [customer]
    subject_key: id
    retention: { period: P1Y, after: seen_at, then: anonymise }
    fields:
      id: { categories: [identifier.customer_id], anonymise: keep }
      phone: { categories: [contact.phone], anonymise: hash }
      name: { categories: [identity.name], anonymise: "null" }
      seen_at: { categories: [non_personal.operational] }
  due_x:
    storage: { engine: postgres, schema: public, table: visits }
    subjects: [customer]
    subject_key: id
    retention: { period: P30D, after: seen_at, then: delete }
    fields:
      id: { categories: [identifier.customer_id] }
      seen_at: { categories: [non_personal.operational] }
  short:
    storage: { engine: postgres, schema: public, table: codes }
    subjects: [customer]
    subject_key: id
    retention: { period: P1Y, after: seen_at, then: anonymise }
    fields:
      id: { categories: [identifier.customer_id], anonymise: keep }
      code: { categories: [identifier.customer_id], anonymise: hash }
      seen_at: { categories: [non_personal.operational] }
"#;

const EDGE_TABLES: &str = r#"
CREATE TABLE public."con\tacts" (id integer, phone varchar(20), name varchar(40), seen_at timestamptz NOT NULL);
INSERT INTO public."con\tacts" VALUES
  (1, '03012345678901234567', 'old one', now() - interval '2 years'),
  (NULL, '0301111111', 'old keyless', now() - interval '2 years'),
  (NULL, '0302222222', 'keep keyless', now()),
  (2, '0303333333', 'keep two', now()),
  (3, NULL, 'old three', now() - interval '2 years');
CREATE TABLE public.visits (id integer, seen_at timestamptz NOT NULL);
INSERT INTO public.visits VALUES (1, now() - interval '60 days'), (NULL, now() - interval '60 days'), (2, now());
CREATE TABLE public.codes (id integer, code char(10), seen_at timestamptz NOT NULL);
INSERT INTO public.codes VALUES (1, 'ABCDEFGHIJ', now() - interval '2 years');
-- A routine named as the jobs of earlier lawful versions: the file must drop it.
CREATE SCHEMA lawful;
CREATE FUNCTION lawful.retention_due_gone() RETURNS integer LANGUAGE sql AS 'SELECT 1';
"#;

fn contacts(pg: &Cluster, db: &str) -> Vec<String> {
    pg.sql(
        db,
        r#"SELECT coalesce(id::text, '-') || '|' || coalesce(phone, '-') || '|' || coalesce(name, '-')
             FROM public."con\tacts" ORDER BY name"#,
    )
    .lines()
    .filter(|l| !l.is_empty())
    .map(str::to_string)
    .collect()
}

fn count(pg: &Cluster, db: &str, sql: &str) -> i64 {
    pg.sql(db, sql).trim().parse().unwrap()
}

#[test]
fn retention_handles_hex_looking_values_null_keys_and_converges() {
    let Some(pg) = Cluster::start_or_skip() else {
        return;
    };
    let db = "edge";
    pg.sql("postgres", "CREATE DATABASE edge");
    pg.sql(db, EDGE_TABLES);
    // Every session from now on reads backslashes in '…' as escapes: the generated SQL must
    // not depend on it.
    pg.sql(
        "postgres",
        "ALTER DATABASE edge SET standard_conforming_strings = off",
    );
    let tmp = tempfile::tempdir().unwrap();
    let out = build_files(
        &[("lawful.yaml", EDGE_ORG), ("datasets.yaml", EDGE_DATASETS)],
        &tmp,
        "edge",
    );
    let retention = out.join("sql/postgres/retention.sql");
    pg.file(db, &retention);
    assert_eq!(
        count(
            &pg,
            db,
            "SELECT count(*) FROM pg_proc WHERE proname = 'retention_due_gone'"
        ),
        0,
        "a job of an earlier version survived"
    );

    // Due: the hex-looking phone, the row without a key, and the row whose phone is NULL.
    assert_eq!(count(&pg, db, "SELECT lawful.due_x()"), 3);
    assert_eq!(count(&pg, db, "SELECT lawful.due_due_x()"), 2);
    pg.sql(
        db,
        "CALL lawful.retain_x(batch_size => 1, salt => 'pepper')",
    );
    pg.sql(db, "CALL lawful.retain_due_x(batch_size => 1)");
    assert_eq!(count(&pg, db, "SELECT lawful.due_x()"), 0);
    assert_eq!(count(&pg, db, "SELECT lawful.due_due_x()"), 0);
    assert_eq!(
        pg.sql(
            db,
            "SELECT coalesce(id::text, '-') FROM public.visits ORDER BY 1"
        )
        .trim(),
        "2",
        "the expired visits, with and without a key, are deleted"
    );
    let rows = contacts(&pg, db);
    let anon = |r: &str| {
        let phone = r.split('|').nth(1).unwrap();
        phone.len() == 20
            && phone.starts_with("anon:")
            && phone[5..].bytes().all(|b| b.is_ascii_hexdigit())
    };
    // Sorted by name; the anonymised rows have none and come last.
    assert_eq!(rows.len(), 5, "{rows:?}");
    assert_eq!(rows[0], "-|0302222222|keep keyless");
    assert_eq!(rows[1], "2|0303333333|keep two");
    let expired: Vec<&String> = rows[2..].iter().collect();
    assert!(
        expired.iter().all(|r| r.ends_with("|-")),
        "names removed: {rows:?}"
    );
    assert!(
        expired.iter().any(|r| r.starts_with("1|") && anon(r)),
        "the all-digits phone of row 1 is hashed: {rows:?}"
    );
    assert!(
        expired.iter().any(|r| r.starts_with("-|") && anon(r)),
        "the row without a key is anonymised: {rows:?}"
    );
    assert!(expired.iter().any(|r| r.as_str() == "3|-|-"), "{rows:?}");

    // A second run changes nothing: a hash is never hashed again.
    pg.sql(db, "CALL lawful.retain_x(salt => 'pepper')");
    assert_eq!(contacts(&pg, db), rows);

    // A column too narrow for `anon:` and 8 hex digits: refused before anything changes.
    let err = pg
        .try_sql(db, "CALL lawful.retain_short(salt => 'pepper')")
        .expect_err("codes.code is char(10)");
    assert!(err.contains("too narrow"), "{err}");
    assert!(err.contains("anonymise: null"), "{err}");
    assert_eq!(
        pg.sql(db, "SELECT code FROM public.codes").trim(),
        "ABCDEFGHIJ"
    );

    // Convergence: `x` now deletes (its job loses the salt parameter) and `short` is gone.
    let changed = EDGE_DATASETS
        .replace(
            "retention: { period: P1Y, after: seen_at, then: anonymise }\n    fields:\n      id: { categories: [identifier.customer_id], anonymise: keep }\n      phone",
            "retention: { period: P1Y, after: seen_at, then: delete }\n    fields:\n      id: { categories: [identifier.customer_id], anonymise: keep }\n      phone",
        );
    let changed = &changed[..changed.find("  short:").unwrap()];
    assert!(changed.contains("then: delete }\n    fields:\n      id: { categories: [identifier.customer_id], anonymise: keep }\n      phone"));
    let out2 = build_files(
        &[("lawful.yaml", EDGE_ORG), ("datasets.yaml", changed)],
        &tmp,
        "edge2",
    );
    pg.file(db, &out2.join("sql/postgres/retention.sql"));
    pg.sql(db, "CALL lawful.retain_x()");
    assert_eq!(
        pg.sql(
            db,
            "SELECT string_agg(p.oid::regprocedure::text, ' ' ORDER BY p.oid::regprocedure::text)
               FROM pg_proc AS p WHERE p.pronamespace = 'lawful'::regnamespace"
        )
        .trim(),
        "lawful.due_due_x() lawful.due_x() lawful.retain_due_x(integer) lawful.retain_x(integer)",
        "exactly the jobs of the project, old overloads and removed datasets gone"
    );
    assert_eq!(
        count(&pg, db, "SELECT count(*) FROM public.\"con\\tacts\""),
        2
    );
}

#[test]
fn grants_are_written_per_database_and_keep_every_column() {
    let Some(pg) = Cluster::start_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = build_files(
        &[
            ("lawful.yaml", EDGE_ORG),
            (
                "datasets.yaml",
                "purposes:
  support:
    legal_basis: { gdpr: contract }
    categories: [identifier.customer_id, contact.email, identity.name]
datasets:
  east_emails:
    storage: { engine: postgres, database: east, schema: public, table: people }
    subjects: [customer]
    fields:
      id: { categories: [identifier.customer_id] }
      email: { categories: [contact.email] }
  east_names:
    storage: { engine: postgres, database: east, schema: public, table: people }
    subjects: [customer]
    fields:
      name: { categories: [identity.name] }
  west_names:
    storage: { engine: postgres, database: west, schema: public, table: people }
    subjects: [customer]
    fields:
      id: { categories: [identifier.customer_id] }
      name: { categories: [identity.name] }
roles:
  support: { db_role: e2e_support, purposes: [support] }
",
            ),
        ],
        &tmp,
        "twodb",
    );
    assert!(!out.join("sql/postgres/grants.sql").exists());
    for db in ["east", "west"] {
        pg.sql("postgres", &format!("CREATE DATABASE {db}"));
        pg.sql(
            db,
            "CREATE TABLE public.people (id integer, email text, name text, notes text)",
        );
        pg.file(db, &out.join(format!("sql/postgres/{db}/grants.sql")));
    }
    let readable = |db: &str| {
        pg.sql(
            db,
            "SELECT string_agg(column_name::text, ',' ORDER BY column_name)
               FROM information_schema.columns
              WHERE table_name = 'people'
                AND has_column_privilege('e2e_support', 'public.people', column_name, 'SELECT')",
        )
        .trim()
        .to_string()
    };
    // east: the union of the two datasets on one table; west: only its own columns.
    assert_eq!(readable("east"), "email,id,name");
    assert_eq!(readable("west"), "id,name");
}

/// Two databases, two roles, each role's purposes covering only the dataset of one of them:
/// in the other database the role is idle. Its stale grants there (made by hand, or by an
/// earlier project) are revoked by the one idle loop of that database's grants.sql, the role
/// is kept, and the role that reads there keeps its columns.
#[test]
fn grants_revoke_stale_privileges_of_roles_idle_in_a_database() {
    let Some(pg) = Cluster::start_or_skip() else {
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = build_files(
        &[
            ("lawful.yaml", EDGE_ORG),
            (
                "datasets.yaml",
                "purposes:
  newsletter:
    legal_basis: { gdpr: contract }
    categories: [identifier.customer_id, contact.email]
  shipping:
    legal_basis: { gdpr: contract }
    categories: [identity.name, contact.phone]
datasets:
  east_contacts:
    storage: { engine: postgres, database: east, schema: crm, table: contacts }
    subjects: [customer]
    fields:
      id: { categories: [identifier.customer_id] }
      email: { categories: [contact.email] }
  west_orders:
    storage: { engine: postgres, database: west, schema: sales, table: orders }
    subjects: [customer]
    fields:
      name: { categories: [identity.name] }
      phone: { categories: [contact.phone] }
roles:
  mailer: { db_role: e2e_mailer, purposes: [newsletter] }
  shipper: { db_role: e2e_shipper, purposes: [shipping] }
",
            ),
        ],
        &tmp,
        "idle",
    );
    let west_grants = out.join("sql/postgres/west/grants.sql");
    let text = std::fs::read_to_string(&west_grants).unwrap();
    // In west, the mailer reads nothing: one loop resets it, no block of its own; the
    // shipper has its block.
    assert_eq!(
        text.matches("FOREACH r IN ARRAY").count(),
        1,
        "west/grants.sql must hold exactly one idle loop:\n{text}"
    );
    assert!(
        !text.contains("-- Role mailer "),
        "the idle role has a block of its own in west/grants.sql:\n{text}"
    );
    assert!(
        text.contains("-- Role shipper "),
        "the reading role has no block in west/grants.sql:\n{text}"
    );

    pg.sql("postgres", "CREATE DATABASE east");
    pg.sql(
        "east",
        "CREATE SCHEMA crm; CREATE TABLE crm.contacts (id integer, email text)",
    );
    pg.sql("postgres", "CREATE DATABASE west");
    pg.sql(
        "west",
        "CREATE SCHEMA sales; CREATE TABLE sales.orders (name text, phone text)",
    );
    // A stale grant: the mailer was once allowed to read the orders.
    pg.sql("postgres", "CREATE ROLE e2e_mailer NOLOGIN");
    pg.sql(
        "west",
        "GRANT USAGE ON SCHEMA sales TO e2e_mailer; GRANT SELECT ON sales.orders TO e2e_mailer",
    );
    let privs = |role: &str| {
        pg.sql(
            "west",
            &format!(
                "SELECT has_table_privilege('{role}', 'sales.orders', 'SELECT')
                     || '|' || has_schema_privilege('{role}', 'sales', 'USAGE')
                     || '|' || has_column_privilege('{role}', 'sales.orders', 'name', 'SELECT')
                     || '|' || has_column_privilege('{role}', 'sales.orders', 'phone', 'SELECT')"
            ),
        )
        .trim()
        .to_string()
    };
    assert_eq!(
        privs("e2e_mailer"),
        "true|true|true|true",
        "the stale grant"
    );

    for run in ["first", "second"] {
        pg.file("west", &west_grants);
        assert_eq!(
            pg.sql(
                "west",
                "SELECT count(*) FROM pg_roles WHERE rolname = 'e2e_mailer'"
            )
            .trim(),
            "1",
            "{run} run: the idle role must be kept"
        );
        assert_eq!(
            privs("e2e_mailer"),
            "false|false|false|false",
            "{run} run: the idle role keeps (table SELECT | schema USAGE | name | phone)"
        );
        assert_eq!(
            privs("e2e_shipper").split('|').skip(1).collect::<Vec<_>>(),
            ["true", "true", "true"],
            "{run} run: the shipper must have USAGE on sales and read name and phone"
        );
    }
    pg.sql(
        "west",
        "SET ROLE e2e_shipper; SELECT name, phone FROM sales.orders",
    );
    let denied = pg
        .try_sql("west", "SET ROLE e2e_mailer; SELECT name FROM sales.orders")
        .expect_err("the idle mailer must not read the orders");
    assert!(denied.contains("permission denied"), "{denied}");
}
