//! `lawful grants plan` against real servers: the sakila schema on a throwaway PostgreSQL
//! (tests/support/pg.rs) and a small shop database on a throwaway MariaDB
//! (tests/support/mariadb.rs).
//!
//! Each test applies the generated grants.sql, checks the plan is empty, drifts the
//! privileges by hand, checks the exact statements printed (written out here by hand, not
//! computed by lawful), applies them and checks the plan is empty again.
//!
//! PostgreSQL and MariaDB must be installed, or the tests fail, unless `LAWFUL_SKIP_PG=1`
//! or `LAWFUL_SKIP_MARIADB=1` says to skip them.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use support::pg::Cluster;

const SAKILA_SCHEMA: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../shared/corpus/schemas/sakila/postgres-sakila-schema.sql"
);
const SAKILA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/sakila");

/// A cluster with the sakila schema (no rows: grants need none), or `None` when skipping.
fn sakila() -> Option<Cluster> {
    let pg = Cluster::start_or_skip()?;
    pg.sql("postgres", "CREATE DATABASE sakila");
    // The corpus dump's views call group_concat(text), whose body the dump leaves out; it
    // is created first, as tests/postgres.rs does.
    pg.sql(
        "sakila",
        "CREATE FUNCTION public._group_concat(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
           SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END
         $$;
         CREATE AGGREGATE public.group_concat(text) (SFUNC = public._group_concat, STYPE = text);",
    );
    pg.file("sakila", Path::new(SAKILA_SCHEMA));
    Some(pg)
}

/// Apply a build's PostgreSQL scripts for sakila in the documented order: the consent log
/// (grants.sql grants on it), then the grants.
fn apply_grants(pg: &Cluster, out: &Path) {
    let dir = out.join("sql/postgres/sakila");
    if dir.join("consent_log.sql").is_file() {
        pg.file("sakila", &dir.join("consent_log.sql"));
    }
    pg.file("sakila", &dir.join("grants.sql"));
}

/// `lawful build <project> --out <tmp>/out`; returns the output folder.
fn build(project: &Path, tmp: &Path) -> PathBuf {
    let out = tmp.join("out");
    let o = lawful(&[
        "build".as_ref(),
        project.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    assert!(o.status.success(), "lawful build failed:\n{}", both(&o));
    out
}

fn lawful<S: AsRef<std::ffi::OsStr>>(args: &[S]) -> Output {
    lawful_env(args, &[])
}

/// [`lawful`] with extra environment variables.
fn lawful_env<S: AsRef<std::ffi::OsStr>>(args: &[S], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(args)
        .envs(env.iter().copied())
        .env("LAWFUL_TODAY", "2026-11-29")
        .env("NO_COLOR", "1")
        .env_remove("PGPASSWORD")
        .env_remove("MYSQL_PWD")
        .output()
        .expect("run lawful")
}

fn both(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// `lawful grants plan --<engine> URL <project> --format <format>`.
fn plan(engine: &str, url: &str, project: &Path, format: &str) -> Output {
    lawful(&[
        "grants".as_ref(),
        "plan".as_ref(),
        format!("--{engine}").as_ref(),
        url.as_ref(),
        project.as_os_str(),
        "--format".as_ref(),
        format.as_ref(),
    ])
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Assert the plan is empty: exit 0 and nothing on stdout, in every format but JSON.
fn assert_in_sync(engine: &str, url: &str, project: &Path) {
    for format in ["sql", "human"] {
        let o = plan(engine, url, project, format);
        assert_eq!(
            o.status.code(),
            Some(0),
            "plan --format {format} is not empty:\n{}",
            both(&o)
        );
        assert_eq!(stdout(&o), "", "--format {format}");
    }
    let o = plan(engine, url, project, "json");
    assert_eq!(o.status.code(), Some(0), "{}", both(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["in_sync"], true);
}

fn pg_url(pg: &Cluster) -> String {
    format!("postgresql://postgres@127.0.0.1:{}/sakila", pg.port)
}

#[test]
fn postgres_plan_is_empty_after_apply_and_lists_exactly_the_drift() {
    let Some(pg) = sakila() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let project = Path::new(SAKILA);
    let out = build(project, tmp.path());
    let url = pg_url(&pg);

    // A fresh database: the roles do not exist yet.
    let o = plan("postgres", &url, project, "human");
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    let text = stdout(&o);
    assert!(
        text.contains("role sakila_finance (does not exist): 5 statements\n  CREATE ROLE \"sakila_finance\" NOLOGIN;\n  GRANT USAGE ON SCHEMA \"public\" TO \"sakila_finance\";\n"),
        "{text}"
    );

    // grants.sql applied: nothing to do.
    apply_grants(&pg, &out);
    assert_in_sync("postgres", &url, project);

    // Drift by hand.
    pg.sql(
        "sakila",
        r#"GRANT SELECT (email) ON customer TO sakila_finance;
           GRANT SELECT (first_name) ON customer TO sakila_finance WITH GRANT OPTION;
           GRANT UPDATE ON rental TO sakila_marketing;
           GRANT SELECT ON film TO sakila_marketing;
           GRANT INSERT (last_name) ON customer TO sakila_marketing;
           REVOKE USAGE ON SCHEMA public FROM sakila_marketing;
           REVOKE SELECT (phone) ON address FROM sakila_support;
           GRANT SELECT ON customer TO sakila_support;
           CREATE SCHEMA elsewhere;
           CREATE TABLE elsewhere.t (x int);
           GRANT USAGE ON SCHEMA elsewhere TO sakila_support;
           GRANT SELECT ON elsewhere.t TO sakila_support;"#,
    );
    let expected = [
        r#"REVOKE SELECT ("email") ON TABLE "public"."customer" FROM "sakila_finance";"#,
        r#"REVOKE GRANT OPTION FOR SELECT ("first_name") ON TABLE "public"."customer" FROM "sakila_finance";"#,
        r#"REVOKE SELECT ON TABLE "public"."film" FROM "sakila_marketing";"#,
        r#"REVOKE UPDATE ON TABLE "public"."rental" FROM "sakila_marketing";"#,
        r#"REVOKE INSERT ("last_name") ON TABLE "public"."customer" FROM "sakila_marketing";"#,
        r#"GRANT USAGE ON SCHEMA "public" TO "sakila_marketing";"#,
        // Revoking the table-wide SELECT also takes the column ones: they come back.
        r#"REVOKE SELECT ON TABLE "public"."customer" FROM "sakila_support";"#,
        r#"GRANT SELECT ("phone") ON TABLE "public"."address" TO "sakila_support";"#,
        r#"GRANT SELECT ("address_id", "customer_id", "email", "first_name", "last_name", "last_update", "store_id") ON TABLE "public"."customer" TO "sakila_support";"#,
    ];
    let o = plan("postgres", &url, project, "sql");
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    let sql = stdout(&o);
    assert_eq!(sql, expected.map(|s| format!("{s}\n")).concat());

    // The human report: a header per role, its statements below.
    let o = plan("postgres", &url, project, "human");
    assert_eq!(o.status.code(), Some(1));
    let human = stdout(&o);
    let mut want = String::from("role sakila_finance: 2 statements\n");
    for s in &expected[..2] {
        want.push_str(&format!("  {s}\n"));
    }
    want.push_str("role sakila_marketing: 4 statements\n");
    for s in &expected[2..6] {
        want.push_str(&format!("  {s}\n"));
    }
    want.push_str("role sakila_support: 3 statements\n");
    for s in &expected[6..] {
        want.push_str(&format!("  {s}\n"));
    }
    assert_eq!(human, want);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("9 statements needed"),
        "{}",
        both(&o)
    );

    // JSON: the same statements, by role.
    let o = plan("postgres", &url, project, "json");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["in_sync"], false);
    assert_eq!(v["database"], "sakila");
    // Every managed role, sorted; the storefront (a consent-log writer) is in sync.
    assert_eq!(v["roles"][2]["role"], "sakila_storefront");
    assert_eq!(v["roles"][2]["statements"], serde_json::json!([]));
    assert_eq!(v["roles"][3]["role"], "sakila_support");
    assert_eq!(v["roles"][3]["statements"][0], expected[6]);

    // Applying the plan brings the server to the declared state.
    let f = tmp.path().join("plan.sql");
    std::fs::write(&f, &sql).unwrap();
    pg.file("sakila", &f);
    assert_in_sync("postgres", &url, project);
    // Privileges outside the managed schemas are left alone.
    assert_eq!(
        pg.sql(
            "sakila",
            "SELECT has_table_privilege('sakila_support', 'elsewhere.t', 'SELECT')"
        )
        .trim(),
        "t"
    );
}

#[test]
fn postgres_plan_on_an_empty_server_converges_when_applied() {
    let Some(pg) = sakila() else { return };
    let url = pg_url(&pg);
    // Without masking views, which a plan never creates (see the next test).
    let tmp = tempfile::tempdir().unwrap();
    let project = &unmasked_sakila(tmp.path());
    // The consent log's table is DDL, not a privilege: its script comes first.
    let out = build(project, tmp.path());
    pg.file("sakila", &out.join("sql/postgres/sakila/consent_log.sql"));
    let o = plan("postgres", &url, project, "sql");
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    let f = tmp.path().join("plan.sql");
    std::fs::write(&f, stdout(&o)).unwrap();
    pg.file("sakila", &f);
    assert_in_sync("postgres", &url, project);
}

/// examples/sakila, with support agents reading phone numbers only masked: their address
/// columns come from the masking view `address_masked`.
fn masked_sakila(tmp: &Path) -> PathBuf {
    let dir = tmp.join("project");
    copy_project(Path::new(SAKILA), &dir);
    let roles = dir.join("roles.yaml");
    let text = std::fs::read_to_string(&roles).unwrap();
    let from = "    datasets: [customer, address, rental, payment]\n";
    assert!(text.contains(from), "examples/sakila/roles.yaml changed");
    std::fs::write(
        &roles,
        text.replace(from, &format!("{from}    masked: [contact.phone]\n")),
    )
    .unwrap();
    dir
}

/// examples/sakila without its masked reader (marketing reads the email in clear), so that
/// it needs no masking view.
fn unmasked_sakila(tmp: &Path) -> PathBuf {
    let dir = tmp.join("unmasked");
    copy_project(Path::new(SAKILA), &dir);
    let roles = dir.join("roles.yaml");
    let text = std::fs::read_to_string(&roles).unwrap();
    let line = "    masked: [contact.email]\n";
    assert!(text.contains(line), "examples/sakila/roles.yaml changed");
    std::fs::write(&roles, text.replace(line, "")).unwrap();
    dir
}

fn copy_project(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            if e.file_name() != "generated" {
                copy_project(&p, &to.join(e.file_name()));
            }
        } else if p.extension().is_some_and(|x| x == "yaml") {
            std::fs::copy(&p, to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn postgres_missing_masking_view_says_apply_grants_sql() {
    let Some(pg) = sakila() else { return };
    let url = pg_url(&pg);
    let tmp = tempfile::tempdir().unwrap();
    // The plain example applied first: the masked one then needs the view.
    let out = build(Path::new(SAKILA), tmp.path());
    apply_grants(&pg, &out);
    let project = masked_sakila(tmp.path());

    let o = plan("postgres", &url, &project, "human");
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    let text = stdout(&o);
    assert!(
        text.contains(
            "not planned:\n  masking view `public`.`address_masked` does not exist: apply sql/postgres/sakila/grants.sql, which creates it (a plan does not recreate views)\n"
        ),
        "{text}"
    );
    // No grant on the missing view is planned; the phone column of the table is revoked.
    assert!(!text.contains("address_masked\""), "{text}");
    assert!(
        text.contains(
            r#"REVOKE SELECT ("phone") ON TABLE "public"."address" FROM "sakila_support";"#
        ),
        "{text}"
    );
    let o = plan("postgres", &url, &project, "sql");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("address_masked"),
        "the sql format reports missing objects on stderr: {}",
        both(&o)
    );

    // The masked project's grants.sql applied: views compared like tables, in sync.
    let out2 = tmp.path().join("out2");
    let o = lawful(&[
        "build".as_ref(),
        project.as_os_str(),
        "--out".as_ref(),
        out2.as_os_str(),
    ]);
    assert!(o.status.success(), "{}", both(&o));
    apply_grants(&pg, &out2);
    assert_in_sync("postgres", &url, &project);
    // Back to the plain example: the view is no longer declared.
    let o = plan("postgres", &url, Path::new(SAKILA), "human");
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    assert!(
        stdout(&o).contains("  masking view `public`.`address_masked` is no longer declared: apply sql/postgres/sakila/grants.sql, which drops it\n"),
        "{}",
        both(&o)
    );
    // A column granted by hand on the view is drift too.
    pg.sql(
        "sakila",
        "GRANT SELECT (postal_code) ON address_masked TO sakila_finance",
    );
    let o = plan("postgres", &url, &project, "sql");
    assert_eq!(
        stdout(&o),
        "REVOKE SELECT (\"postal_code\") ON TABLE \"public\".\"address_masked\" FROM \"sakila_finance\";\n"
    );
}

#[test]
fn postgres_unreachable_server_exits_2_naming_the_host_without_the_password() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let project = Path::new(SAKILA);
    let url = format!("postgresql://admin:hunter2secret@127.0.0.1:{port}/sakila");
    let o = plan("postgres", &url, project, "human");
    let err = both(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(err.contains("cannot connect"), "{err}");
    assert!(err.contains("Connection refused"), "{err}");
    assert!(!err.contains("hunter2secret"), "{err}");
    // A malformed URL: exit 2, password not echoed.
    let o = plan(
        "postgres",
        "postgresql://admin:hunter2secret@127.0.0.1:notaport/sakila",
        project,
        "human",
    );
    assert_eq!(o.status.code(), Some(2));
    assert!(!both(&o).contains("hunter2secret"), "{}", both(&o));
}

// ---------------------------------------------------------------------------------------
// MariaDB
// ---------------------------------------------------------------------------------------

const SHOP: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/grants_plan/shop");

/// A MariaDB server with the shop's tables and an administrator reachable over TCP, and
/// the URL to reach it; `None` when skipping.
fn shop() -> Option<(support::mariadb::Server, String)> {
    let db = support::mariadb::Server::start_or_skip()?;
    db.sql(
        "",
        "CREATE USER 'lawful_admin'@'127.0.0.1' IDENTIFIED BY 'adm1n-pw';
         GRANT ALL PRIVILEGES ON *.* TO 'lawful_admin'@'127.0.0.1' WITH GRANT OPTION;
         CREATE DATABASE shop;
         CREATE TABLE shop.customers (id INT PRIMARY KEY, name VARCHAR(80), email VARCHAR(80),
           phone VARCHAR(20), created_at DATETIME);
         CREATE TABLE shop.orders (id INT PRIMARY KEY, customer_id INT, total DECIMAL(10, 2));",
    );
    let url = format!("mysql://lawful_admin:adm1n-pw@127.0.0.1:{}/shop", db.port);
    Some((db, url))
}

/// `lawful build` of the shop fixture (its compliance findings are not the point here).
fn build_shop(tmp: &Path) -> PathBuf {
    let out = tmp.join("out");
    let o = lawful(&[
        "build".as_ref(),
        SHOP.as_ref(),
        "--out".as_ref(),
        out.as_os_str(),
        "--fail-on".as_ref(),
        "never".as_ref(),
    ]);
    assert!(o.status.success(), "lawful build failed:\n{}", both(&o));
    out.join("sql/mysql/shop")
}

#[test]
fn mariadb_plan_is_empty_after_apply_and_lists_exactly_the_drift() {
    let Some((db, url)) = shop() else { return };
    let tmp = tempfile::tempdir().unwrap();
    let scripts = build_shop(tmp.path());
    let project = Path::new(SHOP);

    // Nothing applied yet: the roles are missing, and so is the masking view.
    let o = plan("mysql", &url, project, "human");
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    let text = stdout(&o);
    assert!(
        text.contains("role shop_support (does not exist): 3 statements\n  CREATE ROLE IF NOT EXISTS `shop_support`;\n  GRANT SELECT (`created_at`, `id`, `name`) ON `shop`.`customers` TO `shop_support`;\n  GRANT SELECT (`customer_id`, `id`, `total`) ON `shop`.`orders` TO `shop_support`;\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "masking view `shop`.`customers_masked` does not exist: apply sql/mysql/shop/grants.sql"
        ),
        "{text}"
    );
    assert!(
        text.contains("table `shop`.`consent_log` does not exist"),
        "{text}"
    );

    db.file("shop", &scripts.join("consent_log.sql"));
    db.file("shop", &scripts.join("grants.sql"));
    assert_in_sync("mysql", &url, project);

    // Drift by hand, at every level.
    db.sql(
        "",
        "GRANT SELECT (email) ON shop.customers TO shop_support;
         REVOKE SELECT (total) ON shop.orders FROM shop_support;
         GRANT PROCESS ON *.* TO shop_support;
         CREATE DATABASE other;
         GRANT SELECT ON other.* TO shop_support;
         GRANT SELECT ON shop.customers TO shop_marketing;
         GRANT UPDATE ON shop.orders TO shop_marketing;
         GRANT SELECT ON shop.* TO shop_marketing;
         REVOKE INSERT ON shop.consent_log FROM shop_marketing;",
    );
    let expected = [
        "REVOKE SELECT ON `shop`.`customers` FROM `shop_marketing`;",
        "REVOKE UPDATE ON `shop`.`orders` FROM `shop_marketing`;",
        "REVOKE SELECT ON `shop`.* FROM `shop_marketing`;",
        "GRANT INSERT ON `shop`.`consent_log` TO `shop_marketing`;",
        // MariaDB takes the column privileges away with the table-wide one: they come back.
        "GRANT SELECT (`created_at`, `email`, `id`, `name`) ON `shop`.`customers` TO `shop_marketing`;",
        "REVOKE SELECT (`email`) ON `shop`.`customers` FROM `shop_support`;",
        "REVOKE ALL PRIVILEGES ON *.* FROM `shop_support`;",
        "REVOKE SELECT ON `other`.* FROM `shop_support`;",
        "GRANT SELECT (`total`) ON `shop`.`orders` TO `shop_support`;",
    ];
    let o = plan("mysql", &url, project, "sql");
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    let sql = stdout(&o);
    assert_eq!(sql, expected.map(|s| format!("{s}\n")).concat());
    let o = plan("mysql", &url, project, "human");
    let human = stdout(&o);
    assert!(
        human.starts_with(
            "role shop_marketing: 5 statements\n  REVOKE SELECT ON `shop`.`customers`"
        ),
        "{human}"
    );
    assert!(
        human.contains("\nrole shop_support: 4 statements\n"),
        "{human}"
    );

    // Applying the plan brings the server to the declared state.
    let f = tmp.path().join("plan.sql");
    std::fs::write(&f, &sql).unwrap();
    db.file("", &f);
    assert_in_sync("mysql", &url, project);
}

#[test]
fn mariadb_unreachable_server_exits_2_naming_the_host_without_the_password() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("mysql://admin:hunter2secret@127.0.0.1:{port}/shop");
    let o = plan("mysql", &url, Path::new(SHOP), "human");
    let err = both(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("127.0.0.1:{port}")), "{err}");
    assert!(err.contains("cannot connect"), "{err}");
    assert!(
        err.contains("Connection refused") && !err.contains("DriverError"),
        "{err}"
    );
    assert!(!err.contains("hunter2secret"), "{err}");
}

#[test]
fn a_project_without_datasets_of_the_engine_exits_2_before_connecting() {
    // examples/sakila stores nothing in MySQL: nothing to compare, whatever the server.
    let o = plan(
        "mysql",
        "mysql://admin:hunter2secret@127.0.0.1:1/sakila",
        Path::new(SAKILA),
        "sql",
    );
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    assert_eq!(stdout(&o), "");
    assert!(
        both(&o).contains("the project has no dataset stored in mysql"),
        "{}",
        both(&o)
    );
}

#[test]
fn a_url_database_the_project_does_not_name_exits_2_before_connecting() {
    // Nobody listens on port 1: the refusal comes before any connection.
    let o = plan(
        "postgres",
        "postgresql://u@127.0.0.1:1/other",
        Path::new(SAKILA),
        "sql",
    );
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    assert_eq!(stdout(&o), "");
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "lawful: the project has no postgres datasets in database `other`; its databases: sakila\n"
    );
    // The same for MySQL; a name with a quote is printed as it is, not escaped.
    let o = plan(
        "mysql",
        "mysql://u@127.0.0.1:1/sh%22op",
        Path::new(SHOP),
        "human",
    );
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "lawful: the project has no mysql datasets in database `sh\"op`; its databases: shop\n"
    );
}

#[test]
fn a_project_without_database_names_takes_any_url_database() {
    // examples/sakila without `database:`: one group (sql/postgres), any URL database.
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("nodb");
    copy_project(Path::new(SAKILA), &dir);
    let mut n = 0;
    for e in std::fs::read_dir(dir.join("datasets")).unwrap().flatten() {
        let p = e.path();
        let t = std::fs::read_to_string(&p).unwrap();
        n += t.matches("database: sakila, ").count();
        std::fs::write(&p, t.replace("database: sakila, ", "")).unwrap();
    }
    assert_eq!(n, 6, "examples/sakila changed");
    let port = refused_port();
    let o = plan(
        "postgres",
        &format!("postgresql://u@127.0.0.1:{port}/whatever"),
        &dir,
        "human",
    );
    // Past the choice of the group: the connection is tried (and refused).
    let err = both(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains(&format!(
            "PostgreSQL at 127.0.0.1:{port} (database `whatever`): cannot connect"
        )),
        "{err}"
    );
}

/// A port of 127.0.0.1 nobody listens on.
fn refused_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn postgres_public_on_a_masking_view_or_the_consent_log_is_revoked() {
    let Some(pg) = sakila() else { return };
    let url = pg_url(&pg);
    let tmp = tempfile::tempdir().unwrap();
    let project = masked_sakila(tmp.path());
    let out = build(&project, tmp.path());
    apply_grants(&pg, &out);
    assert_in_sync("postgres", &url, &project);

    // PUBLIC on the view shows every masked column to everyone; on the log, anyone may
    // write consents. PUBLIC on an ordinary table is not lawful's to judge.
    pg.sql(
        "sakila",
        "GRANT SELECT ON address_masked TO PUBLIC;
         GRANT UPDATE (phone) ON address_masked TO PUBLIC;
         GRANT INSERT, SELECT ON lawful.consent_log TO PUBLIC;
         GRANT SELECT ON film TO PUBLIC;",
    );
    let expected = "REVOKE INSERT, SELECT ON TABLE \"lawful\".\"consent_log\" FROM PUBLIC;\n\
                    REVOKE SELECT ON TABLE \"public\".\"address_masked\" FROM PUBLIC;\n\
                    REVOKE UPDATE (\"phone\") ON TABLE \"public\".\"address_masked\" FROM PUBLIC;\n";
    let o = plan("postgres", &url, &project, "sql");
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    assert_eq!(stdout(&o), expected);
    let o = plan("postgres", &url, &project, "human");
    assert_eq!(o.status.code(), Some(1), "{}", both(&o));
    assert!(
        stdout(&o).starts_with(
            "PUBLIC (every role) on masking views and consent logs: 3 statements\n  REVOKE INSERT, SELECT ON TABLE \"lawful\".\"consent_log\" FROM PUBLIC;\n"
        ),
        "{}",
        both(&o)
    );
    let o = plan("postgres", &url, &project, "json");
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let last = v["roles"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["public"], true);
    assert_eq!(last["role"], "PUBLIC");

    let f = tmp.path().join("plan.sql");
    std::fs::write(&f, expected).unwrap();
    pg.file("sakila", &f);
    assert_in_sync("postgres", &url, &project);
    assert_eq!(
        pg.sql(
            "sakila",
            "SELECT has_table_privilege('public', 'address_masked', 'SELECT'),
                    has_column_privilege('public', 'address_masked', 'phone', 'UPDATE'),
                    has_table_privilege('public', 'lawful.consent_log', 'INSERT'),
                    has_table_privilege('public', 'film', 'SELECT')"
        )
        .trim(),
        "f|f|f|t"
    );
}

/// A listener on 127.0.0.1 that accepts connections and never answers; the connections
/// stay open while the thread lives (until the test process ends).
fn silent_listener() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = l.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for s in l.incoming().flatten() {
            held.push(s);
        }
    });
    port
}

#[test]
fn a_server_that_never_answers_times_out_with_exit_2() {
    let port = silent_listener();
    for (engine, url, project) in [
        (
            "postgres",
            format!("postgresql://u:hunter2secret@127.0.0.1:{port}/sakila"),
            SAKILA,
        ),
        (
            "mysql",
            format!("mysql://u:hunter2secret@127.0.0.1:{port}/shop"),
            SHOP,
        ),
    ] {
        let start = std::time::Instant::now();
        let o = lawful_env(
            &[
                "grants",
                "plan",
                &format!("--{engine}"),
                &url,
                project,
                "--format",
                "sql",
            ],
            &[("LAWFUL_CONNECT_TIMEOUT_SECS", "1")],
        );
        let took = start.elapsed();
        let err = both(&o);
        assert_eq!(o.status.code(), Some(2), "{engine}: {err}");
        assert!(
            err.contains(&format!("at 127.0.0.1:{port} ")),
            "{engine}: {err}"
        );
        assert!(err.contains("timed out after 1 s"), "{engine}: {err}");
        assert!(!err.contains("hunter2secret"), "{engine}: {err}");
        assert!(
            took < std::time::Duration::from_secs(8),
            "{engine} took {took:?}"
        );
    }
    // The timeouts are documented.
    let o = lawful(&["grants", "plan", "--help"]);
    assert!(
        stdout(&o).contains("LAWFUL_CONNECT_TIMEOUT_SECS"),
        "{}",
        both(&o)
    );
}

#[test]
fn malformed_urls_are_refused_in_words() {
    let o = plan("postgres", "", Path::new(SAKILA), "sql");
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    assert!(
        both(&o)
            .contains("the --postgres value is empty, which is not a PostgreSQL connection URL"),
        "{}",
        both(&o)
    );
    let o = plan(
        "mysql",
        "mysql://u@127.0.0.1:1/shop/extra",
        Path::new(SHOP),
        "sql",
    );
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    assert!(
        both(&o).contains("path has more than one segment, so it does not name one database"),
        "{}",
        both(&o)
    );
    let o = plan("mysql", "mysql://u:pw@[::1/shop", Path::new(SHOP), "sql");
    assert_eq!(o.status.code(), Some(2), "{}", both(&o));
    assert_eq!(
        String::from_utf8_lossy(&o.stderr),
        "lawful: the --mysql value is not a MySQL connection URL (invalid IPv6 address); write mysql://user[:password]@host[:port]/database\n"
    );
    let o = plan("mysql", "", Path::new(SHOP), "sql");
    assert!(
        both(&o).contains("the --mysql value is empty"),
        "{}",
        both(&o)
    );
}

#[test]
fn mariadb_errors_give_the_servers_message_not_the_clients_types() {
    let Some((db, _)) = shop() else { return };
    let url = format!("mysql://lawful_admin:wrong-pw@127.0.0.1:{}/shop", db.port);
    let o = plan("mysql", &url, Path::new(SHOP), "sql");
    let err = both(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cannot connect: Access denied for user"),
        "{err}"
    );
    assert!(err.contains("(error 1045, SQLSTATE 28000)"), "{err}");
    assert!(!err.contains("MySqlError") && !err.contains('{'), "{err}");
    assert!(!err.contains("wrong-pw"), "{err}");
}
