//! examples/chayu on a real PostgreSQL: its tables exist only in its YAML, so the test
//! creates the four that its roles read (every column as text), applies the generated
//! grants.sql, and checks, column by column, what each role can read — the tables in clear
//! and the masking views `members_masked` and `orders_masked` — against a list written by
//! hand from the example's purposes, datasets and `masked:` categories. Customer service
//! sees phone numbers only as 138****5678.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use support::pg::Cluster;

const EXAMPLE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/chayu");
const DB: &str = "chayu";

/// The tables the roles read, with their columns in the order of the YAML.
const TABLES: [(&str, &str, &[&str]); 4] = [
    (
        "member",
        "members",
        &[
            "member_id",
            "wechat_unionid",
            "mobile",
            "nickname",
            "avatar_url",
            "birthday",
            "member_tier",
            "points_balance",
            "registered_channel",
            "registered_at",
            "last_active_at",
        ],
    ),
    (
        "trade",
        "orders",
        &[
            "order_no",
            "member_id",
            "store_id",
            "channel",
            "items",
            "amount_fen",
            "pickup_code",
            "receiver_name",
            "receiver_phone",
            "delivery_address",
            "placed_at",
            "completed_at",
        ],
    ),
    (
        "trade",
        "payments",
        &[
            "payment_id",
            "order_no",
            "member_id",
            "pay_channel",
            "payer_account",
            "transaction_id",
            "amount_fen",
            "paid_at",
            "refunded_at",
        ],
    ),
    (
        "marketing",
        "push_audience",
        &[
            "member_id",
            "device_token",
            "platform",
            "city",
            "segment",
            "personalised",
            "updated_at",
        ],
    ),
];

const ROLES: [&str; 3] = ["chayu_cs", "chayu_growth", "chayu_store_ops"];

fn columns(table: &str) -> Vec<&'static str> {
    TABLES
        .iter()
        .find(|(_, t, _)| *t == table)
        .map(|(_, _, c)| c.to_vec())
        .unwrap()
}

fn without(table: &str, gone: &[&str]) -> Vec<&'static str> {
    columns(table)
        .into_iter()
        .filter(|c| !gone.contains(c))
        .collect()
}

/// What each role may read, from examples/chayu by hand:
/// - customer_service (`chayu_cs`): membership, order_fulfilment and order_payment cover
///   every personal column of its three datasets; `masked: [contact.phone]` moves `mobile`
///   and `receiver_phone` off the tables and onto the masking views, which serve every
///   column;
/// - growth_analyst (`chayu_growth`): targeted_push covers all of push_audience, and of
///   orders the purchases and customer number, not the receiver's name, phone or address
///   (plus the non-personal store, channel and pickup code);
/// - store_ops (`chayu_store_ops`): order_fulfilment covers all of orders, the phone in
///   clear (it is not masked for this role).
fn expected() -> BTreeMap<(&'static str, &'static str), BTreeSet<&'static str>> {
    let mut m = BTreeMap::new();
    let mut put = |r, t, cols: Vec<&'static str>| {
        m.insert((r, t), cols.into_iter().collect::<BTreeSet<_>>());
    };
    put("chayu_cs", "members", without("members", &["mobile"]));
    put("chayu_cs", "members_masked", columns("members"));
    put("chayu_cs", "orders", without("orders", &["receiver_phone"]));
    put("chayu_cs", "orders_masked", columns("orders"));
    put("chayu_cs", "payments", columns("payments"));
    put("chayu_growth", "push_audience", columns("push_audience"));
    put(
        "chayu_growth",
        "orders",
        without(
            "orders",
            &["receiver_name", "receiver_phone", "delivery_address"],
        ),
    );
    put("chayu_store_ops", "orders", columns("orders"));
    m
}

#[test]
fn every_chayu_role_reads_exactly_its_columns_and_phones_are_masked() {
    let Some(pg) = Cluster::start_or_skip() else {
        return;
    };
    pg.sql("postgres", "CREATE DATABASE chayu");
    for (schema, table, cols) in TABLES {
        let cols: Vec<String> = cols.iter().map(|c| format!("{c} text")).collect();
        pg.sql(
            DB,
            &format!(
                "CREATE SCHEMA IF NOT EXISTS {schema}; CREATE TABLE {schema}.{table} ({});",
                cols.join(", ")
            ),
        );
    }
    pg.sql(
        DB,
        "INSERT INTO member.members (member_id, mobile, nickname) VALUES ('1', '13812345678', '小茶');",
    );

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .arg("build")
        .arg(EXAMPLE)
        .arg("--out")
        .arg(&out)
        .env("LAWFUL_TODAY", "2026-11-29")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let grants = out.join("sql/postgres/chayu/grants.sql");
    assert!(Path::new(&grants).is_file());
    pg.file(DB, &grants);
    // Applying twice changes nothing that matters here: the same columns stay readable.
    pg.file(DB, &grants);

    let roles = ROLES.map(|r| format!("'{r}'")).join(",");
    let rows = pg.sql(
        DB,
        &format!(
            "SELECT r.rolname, c.table_name, c.column_name
               FROM information_schema.columns c CROSS JOIN pg_roles r
              WHERE c.table_schema IN ('member', 'trade', 'marketing')
                AND r.rolname IN ({roles})
                AND has_column_privilege(r.rolname,
                      format('%I.%I', c.table_schema, c.table_name), c.column_name, 'SELECT')
              ORDER BY 1, 2, 3"
        ),
    );
    let mut actual: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for line in rows.lines().filter(|l| !l.is_empty()) {
        let v: Vec<&str> = line.split('|').collect();
        actual
            .entry((v[0].to_string(), v[1].to_string()))
            .or_default()
            .insert(v[2].to_string());
    }
    let expected: BTreeMap<(String, String), BTreeSet<String>> = expected()
        .into_iter()
        .map(|((r, t), c)| {
            (
                (r.to_string(), t.to_string()),
                c.into_iter().map(str::to_string).collect(),
            )
        })
        .collect();
    assert_eq!(actual, expected, "the columns each chayu role can read");

    let masked = pg.sql(
        DB,
        "SET ROLE chayu_cs; SELECT mobile FROM member.members_masked WHERE member_id = '1'",
    );
    assert_eq!(masked.trim(), "138****5678");
    let denied = pg
        .try_sql(DB, "SET ROLE chayu_cs; SELECT mobile FROM member.members")
        .expect_err("customer service must not read the number in clear");
    assert!(denied.contains("permission denied"), "{denied}");
}
