//! `lawful import sql`: every corpus schema imports and reads back; bad input is reported
//! at its line with the right exit code; and the category suggestions are measured against
//! hand-written labels (tests/import_sql/labels/*.tsv), failing when precision or recall
//! drops below the figures recorded in docs/import.md.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lawful::import::sql::{self, Dialect, ddl};

const CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/schemas");

fn corpus(p: &str) -> PathBuf {
    Path::new(CORPUS).join(p)
}

fn lawful(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("LAWFUL_TODAY", "2026-11-29")
        .output()
        .expect("lawful runs")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Every schema file of the corpus, with its dialect.
const SCHEMAS: &[(&str, Dialect)] = &[
    ("pagila/pagila-schema.sql", Dialect::Postgres),
    ("sakila/mysql-sakila-schema.sql", Dialect::Mysql),
    ("sakila/postgres-sakila-schema.sql", Dialect::Postgres),
    ("sakila/sql-server-sakila-schema.sql", Dialect::Mssql),
    // Oracle is not a dialect of `import sql`; its DDL here is plain enough for PostgreSQL's.
    ("sakila/oracle-sakila-schema.sql", Dialect::Postgres),
    ("chinook/Chinook_MySql_ddl_only.sql", Dialect::Mysql),
    ("chinook/Chinook_PostgreSql_ddl_only.sql", Dialect::Postgres),
    ("chinook/Chinook_SqlServer_ddl_only.sql", Dialect::Mssql),
    ("chinook/Chinook_Sqlite_ddl_only.sql", Dialect::Sqlite),
    ("northwind/northwind_psql_ddl_only.sql", Dialect::Postgres),
    ("synapse/full.sql.postgres", Dialect::Postgres),
    ("synapse/full.sql.sqlite", Dialect::Sqlite),
    ("listmonk/listmonk_schema.sql", Dialect::Postgres),
    ("openstreetmap/osm_website_structure.sql", Dialect::Postgres),
    ("ruoyi/ry_20260417.sql", Dialect::Mysql),
];

/// (file, tables expected at least): each corpus schema imports every table it creates
/// (partitions folded into their parent), and the project reads back as `lawful check`
/// would read it.
#[test]
fn every_corpus_schema_imports_and_reads_back() {
    let expected_tables: BTreeMap<&str, usize> = [
        ("pagila/pagila-schema.sql", 16),
        ("sakila/mysql-sakila-schema.sql", 16),
        ("sakila/postgres-sakila-schema.sql", 21),
        // 16: `inventory` follows `film_text` with no `;` nor `GO` (T-SQL needs neither).
        ("sakila/sql-server-sakila-schema.sql", 16),
        ("sakila/oracle-sakila-schema.sql", 16),
        ("chinook/Chinook_MySql_ddl_only.sql", 11),
        ("chinook/Chinook_PostgreSql_ddl_only.sql", 11),
        ("chinook/Chinook_SqlServer_ddl_only.sql", 11),
        ("chinook/Chinook_Sqlite_ddl_only.sql", 11),
        ("northwind/northwind_psql_ddl_only.sql", 14),
        ("listmonk/listmonk_schema.sql", 16),
        ("ruoyi/ry_20260417.sql", 20),
        ("openstreetmap/osm_website_structure.sql", 57),
        ("synapse/full.sql.sqlite", 130),
        ("synapse/full.sql.postgres", 134),
    ]
    .into_iter()
    .collect();
    for (file, dialect) in SCHEMAS {
        let imported = sql::import(&corpus(file), *dialect);
        let errors: Vec<String> = imported
            .diagnostics
            .iter()
            .filter(|d| d.severity == lawful::report::Severity::Error)
            .map(|d| d.message.clone())
            .collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
        let datasets = imported
            .files
            .keys()
            .filter(|k| k.starts_with("datasets/"))
            .count();
        assert_eq!(datasets, expected_tables[file], "{file}: datasets");
        if let Err(f) = lawful::import::verify(&imported.files) {
            let msgs: Vec<_> = f.diagnostics.iter().map(|d| d.message.clone()).collect();
            panic!("{file}: the project does not read back: {msgs:?}");
        }
        // Same input, same bytes.
        let again = sql::import(&corpus(file), *dialect);
        assert_eq!(imported.files, again.files, "{file}: not deterministic");
    }
}

/// The wrong dialect misreads statements; it must still never panic nor write a project
/// that does not read back.
#[test]
fn every_corpus_schema_in_every_dialect_imports_something_that_reads_back() {
    let dialects = [
        Dialect::Postgres,
        Dialect::Mysql,
        Dialect::Sqlite,
        Dialect::Mssql,
        Dialect::Snowflake,
    ];
    for (file, _) in SCHEMAS {
        for d in dialects {
            let imported = sql::import(&corpus(file), d);
            if !imported.files.is_empty()
                && let Err(f) = lawful::import::verify(&imported.files)
            {
                let msgs: Vec<_> = f.diagnostics.iter().map(|d| d.message.clone()).collect();
                panic!("{file} as {d:?}: the project does not read back: {msgs:?}");
            }
        }
    }
}

#[test]
fn ruoyi_chinese_comments_and_pinyin_map_to_categories() {
    let imported = sql::import(&corpus("ruoyi/ry_20260417.sql"), Dialect::Mysql);
    let user = &imported.files["datasets/sys_user.yaml"];
    for needle in [
        "title: { zh-CN: 用户信息表 }",
        "subject_key: user_id",
        "# TODO(lawful): review: suggested contact.phone from the column name \"phonenumber\"",
        "# TODO(lawful): review: suggested identity.gender from the column name \"sex\"",
        "description: 手机号码",
    ] {
        assert!(user.contains(needle), "sys_user lacks {needle:?}:\n{user}");
    }
    let log = &imported.files["datasets/sys_logininfor.yaml"];
    assert!(
        log.contains("suggested location.coarse from the comment \"登录地点\""),
        "{log}"
    );
    // Comments alone, and pinyin names.
    let ddl = "CREATE TABLE kehu (\n  id bigint primary key,\n  col_a varchar(18) comment '身份证号',\n  \
               col_b varchar(11) comment '手机号码',\n  shouji varchar(11),\n  xingming varchar(20),\n  \
               col_c varchar(50) comment '电子邮箱',\n  col_d varchar(200) comment '家庭地址',\n  \
               col_e char(1) comment '性别',\n  col_f date comment '出生日期',\n  mima varchar(64),\n  \
               col_g varchar(20) comment '创建时间'\n);";
    let d = sql::draft(ddl, "kehu.sql", Dialect::Mysql);
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    let k = &d.files["datasets/kehu.yaml"];
    for (col, cat) in [
        ("col_a", "identity.national_id"),
        ("col_b", "contact.phone"),
        ("shouji", "contact.phone"),
        ("xingming", "identity.name"),
        ("col_c", "contact.email"),
        ("col_d", "contact.postal_address"),
        ("col_e", "identity.gender"),
        ("col_f", "identity.date_of_birth"),
        ("mima", "account.credentials"),
        ("id", "identifier.customer_id"),
    ] {
        assert!(
            k.contains(&format!("      {col}:\n        categories: [{cat}]")),
            "{col} should be {cat}:\n{k}"
        );
    }
    assert!(!k.contains("col_g:\n        categories"), "{k}");
    lawful::import::verify(&d.files).expect("reads back");
}

#[test]
fn keys_joins_partitions_and_comments_are_kept() {
    let ddl = "CREATE TABLE public.customer (customer_id integer PRIMARY KEY, email text, active boolean);\n\
               CREATE TABLE public.rental (rental_id int, customer_id int, rented_at timestamptz)\n\
               PARTITION BY RANGE (rented_at);\n\
               CREATE TABLE public.rental_2026 (rental_id int, customer_id int, rented_at timestamptz);\n\
               ALTER TABLE ONLY public.rental ATTACH PARTITION public.rental_2026 FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');\n\
               CREATE TABLE public.rental_2027 PARTITION OF public.rental FOR VALUES FROM ('2027-01-01') TO ('2028-01-01');\n\
               ALTER TABLE ONLY public.rental ADD CONSTRAINT rental_pkey PRIMARY KEY (rental_id, rented_at);\n\
               ALTER TABLE ONLY public.rental ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES public.customer(customer_id);\n\
               COMMENT ON COLUMN public.customer.email IS 'Where receipts go';\n\
               COMMENT ON TABLE public.customer IS 'Shop customers';\n";
    let d = sql::draft(ddl, "shop.sql", Dialect::Postgres);
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    assert_eq!(
        d.files.keys().collect::<Vec<_>>(),
        [
            "datasets/customer.yaml",
            "datasets/rental.yaml",
            "lawful.yaml"
        ]
    );
    let c = &d.files["datasets/customer.yaml"];
    assert!(c.contains("title: { en: Shop customers }"), "{c}");
    assert!(c.contains("subject_key: customer_id"), "{c}");
    assert!(c.contains("description: Where receipts go"), "{c}");
    assert!(
        c.contains("storage: { engine: postgres, schema: public, table: customer }"),
        "{c}"
    );
    let r = &d.files["datasets/rental.yaml"];
    for needle in [
        "# primary key: (rental_id, rented_at)",
        "# joins: customer_id → customer.customer_id",
        "# partitioned: PARTITION BY RANGE(rented_at)",
        "# partitions (2), imported as this one dataset: rental_2026, rental_2027",
        "subject_key: customer_id",
        "suggested identifier.customer_id from the foreign key to customer.customer_id",
        "no category suggested for 2 of 3 columns: rental_id, rented_at",
    ] {
        assert!(r.contains(needle), "rental lacks {needle:?}:\n{r}");
    }
    lawful::import::verify(&d.files).expect("reads back");
}

#[test]
fn a_mysqldump_with_conditional_comments_delimiters_options_and_partitions_reads() {
    let dump = "/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */;\n\
        DROP TABLE IF EXISTS `orders`;\n\
        /*!40101 SET @saved_cs_client     = @@character_set_client */;\n\
        CREATE TABLE `orders` (\n\
          `id` bigint NOT NULL AUTO_INCREMENT,\n\
          `buyer_phone` varchar(20) DEFAULT NULL COMMENT '买家手机号',\n\
          `created` datetime NOT NULL,\n\
          PRIMARY KEY (`id`,`created`)\n\
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COMMENT='订单表'\n\
        /*!50100 PARTITION BY RANGE (YEAR(created))\n\
        (PARTITION p2025 VALUES LESS THAN (2026) ENGINE = InnoDB) */;\n\
        DELIMITER ;;\n\
        CREATE TRIGGER t BEFORE INSERT ON orders FOR EACH ROW BEGIN SET NEW.created = NOW(); END ;;\n\
        DELIMITER ;\n\
        # a MySQL comment; with a semicolon\n\
        CREATE TABLE `shop`.`members` (`member_id` int PRIMARY KEY, `xingming` varchar(20));\n";
    let d = sql::draft(dump, "dump.sql", Dialect::Mysql);
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    let o = &d.files["datasets/orders.yaml"];
    for needle in [
        "title: { zh-CN: 订单表 }",
        "# primary key: (id, created)",
        "# partitioned: PARTITION BY RANGE (YEAR(created))",
        "suggested contact.phone from the column name \"buyer_phone\"",
        "description: 买家手机号",
    ] {
        assert!(o.contains(needle), "orders lacks {needle:?}:\n{o}");
    }
    let m = &d.files["datasets/shop_members.yaml"];
    assert!(
        m.contains("storage: { engine: mysql, database: shop, table: members }"),
        "{m}"
    );
    assert!(
        m.contains("xingming:\n        categories: [identity.name]"),
        "{m}"
    );
    lawful::import::verify(&d.files).expect("reads back");
}

#[test]
fn snowflake_ddl_reads() {
    let d = sql::draft(
        "CREATE OR REPLACE TABLE analytics.public.app_users (\n  id NUMBER PRIMARY KEY,\n  \
         email VARCHAR COMMENT 'login email',\n  last_seen_at TIMESTAMP_NTZ\n) COMMENT = 'app users';",
        "sf.sql",
        Dialect::Snowflake,
    );
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    let u = &d.files["datasets/app_users.yaml"];
    for needle in [
        "title: { en: app users }",
        "storage: { engine: snowflake, schema: public, table: app_users }",
        "subject_key: id",
        "email:\n        categories: [contact.email]",
        "last_seen_at:\n        categories: [account.login_history]",
    ] {
        assert!(u.contains(needle), "app_users lacks {needle:?}:\n{u}");
    }
    lawful::import::verify(&d.files).expect("reads back");
}

#[test]
fn create_table_like_copies_the_columns_of_its_source() {
    let d = sql::draft(
        "CREATE TABLE public.card (id int PRIMARY KEY, ccn bigint);\n\
         CREATE TABLE backup.card (LIKE public.card INCLUDING ALL);",
        "like.sql",
        Dialect::Postgres,
    );
    assert!(d.diagnostics.is_empty(), "{:?}", d.diagnostics);
    let b = &d.files["datasets/backup_card.yaml"];
    assert!(
        b.contains("storage: { engine: postgres, schema: backup, table: card }"),
        "{b}"
    );
    assert!(
        b.contains("ccn:\n        categories: [financial.card_number]"),
        "{b}"
    );
}

#[test]
fn a_statement_the_parser_cannot_read_is_named_and_skipped_and_the_rest_imported() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("bad.sql");
    std::fs::write(
        &input,
        "SET client_encoding = 'UTF8';\n\nCREATE TABLE users (id int PRIMARY KEY, email text);\n\n\
         CREATE TABLE broken (((;\n\nCREATE TABLE orders (id int, user_id int REFERENCES users(id));\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = lawful(&[
        "import",
        "sql",
        input.to_str().unwrap(),
        "--dialect",
        "postgres",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot read the statement `CREATE TABLE broken`"),
        "{err}"
    );
    assert!(err.contains("bad.sql:5:1"), "{err}");
    assert!(out.join("datasets/users.yaml").exists());
    assert!(out.join("datasets/orders.yaml").exists());
    // Every review note is reported, and nothing else is: lawful.yaml's note; users: its
    // subject key, id and email; orders: its subject key, user_id, and the unsuggested id.
    let check = lawful(&["check", out.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&check.stdout);
    assert_eq!(report.matches("CORE-TODO").count(), 7, "{report}");
    assert!(report.contains("0 errors, 7 warnings"), "{report}");
}

#[test]
fn a_column_the_parser_cannot_read_keeps_its_name_and_type_with_a_warning() {
    let d = sql::draft(
        "CREATE TABLE staff (\n  staff_id int PRIMARY KEY,\n  password VARCHAR(40) BINARY DEFAULT NULL\n) ENGINE=InnoDB;",
        "staff.sql",
        Dialect::Mysql,
    );
    assert_eq!(d.diagnostics.len(), 1, "{:?}", d.diagnostics);
    assert_eq!(d.diagnostics[0].severity, lawful::report::Severity::Warning);
    assert!(
        d.diagnostics[0]
            .message
            .contains("password VARCHAR(40) BINARY")
    );
    assert!(
        d.files["datasets/staff.yaml"]
            .contains("password:\n        categories: [account.credentials]")
    );
}

#[test]
fn a_missing_file_a_file_not_utf8_and_a_file_without_tables_exit_2_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let latin1 = dir.path().join("latin1.sql");
    std::fs::write(&latin1, b"CREATE TABLE t (\n  nom varchar(10) -- \xe9\n);").unwrap();
    let none = dir.path().join("none.sql");
    std::fs::write(&none, "SET x = 1;\nSELECT 1;\n").unwrap();
    let missing = dir.path().join("missing.sql");
    for (input, msg) in [
        (&missing, "cannot read `"),
        (
            &latin1,
            "is not UTF-8: the first bad byte is at line 2, column 22",
        ),
        (&none, "holds no CREATE TABLE statement"),
    ] {
        let out = dir.path().join("out");
        let o = lawful(&[
            "import",
            "sql",
            input.to_str().unwrap(),
            "--dialect",
            "mysql",
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains(msg), "{msg:?} not in {err}");
        assert!(!out.exists(), "nothing may be written");
    }
}

#[test]
fn the_corpus_file_without_tables_is_refused_whole() {
    let imported = sql::import(&corpus("pagila/pg_partman-setup.sql"), Dialect::Postgres);
    assert!(imported.files.is_empty());
    assert_eq!(imported.diagnostics.len(), 1);
    assert_eq!(imported.diagnostics[0].code, "import::sql-no-tables");
}

// ---------------------------------------------------------------------------------------
// Measurement

/// A labelled schema: label file, schema file, dialect.
const LABELLED: &[(&str, &str, Dialect)] = &[
    ("sakila", "sakila/mysql-sakila-schema.sql", Dialect::Mysql),
    (
        "chinook",
        "chinook/Chinook_PostgreSql_ddl_only.sql",
        Dialect::Postgres,
    ),
    (
        "northwind",
        "northwind/northwind_psql_ddl_only.sql",
        Dialect::Postgres,
    ),
    ("ruoyi", "ruoyi/ry_20260417.sql", Dialect::Mysql),
    // Held out: labelled after the rules were frozen (docs/import.md).
    (
        "listmonk",
        "listmonk/listmonk_schema.sql",
        Dialect::Postgres,
    ),
];

#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    labelled: usize,
    predicted: usize,
    hit: usize,
    exact: usize,
}

impl Counts {
    fn pct(a: usize, b: usize) -> f64 {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    }
    /// precision, recall (personal or not), precision, recall (exact category).
    fn figures(&self) -> [f64; 4] {
        [
            Self::pct(self.hit, self.predicted),
            Self::pct(self.hit, self.labelled),
            Self::pct(self.exact, self.predicted),
            Self::pct(self.exact, self.labelled),
        ]
    }
}

fn measure(label: &str, file: &str, dialect: Dialect) -> (Counts, Vec<String>) {
    let text = std::fs::read_to_string(corpus(file)).unwrap();
    let schema = ddl::read(&text, dialect);
    let got = sql::suggestions(&schema);
    let labels_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/import_sql/labels")
        .join(format!("{label}.tsv"));
    let mut labels: BTreeMap<(String, String), String> = BTreeMap::new();
    for line in std::fs::read_to_string(&labels_path).unwrap().lines() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 3, "{label}.tsv: {line:?}");
        let key = (f[0].to_lowercase(), f[1].to_lowercase());
        assert!(
            got.iter()
                .any(|g| (g.table.to_lowercase(), g.column.to_lowercase()) == key),
            "{label}.tsv names a column the schema lacks: {line:?}"
        );
        assert!(
            labels.insert(key, f[2].to_string()).is_none(),
            "{label}.tsv: twice: {line:?}"
        );
    }
    let mut c = Counts {
        labelled: labels.len(),
        ..Counts::default()
    };
    let mut misses = Vec::new();
    for g in &got {
        let key = (g.table.to_lowercase(), g.column.to_lowercase());
        let want = labels.get(&key);
        let have = g.suggestion.as_ref().map(|s| s.category.as_str());
        if have.is_some() {
            c.predicted += 1;
        }
        match (want, have) {
            (Some(w), Some(h)) => {
                c.hit += 1;
                if w == h {
                    c.exact += 1;
                } else {
                    misses.push(format!("{}.{}: {h}, labelled {w}", g.table, g.column));
                }
            }
            (Some(w), None) => {
                misses.push(format!("{}.{}: missed, labelled {w}", g.table, g.column))
            }
            (None, Some(h)) => misses.push(format!(
                "{}.{}: {h}, labelled not personal",
                g.table, g.column
            )),
            (None, None) => {}
        }
    }
    (c, misses)
}

/// The figures recorded in docs/import.md: rows `| schema | p | r | p | r |` between the
/// markers.
fn recorded() -> BTreeMap<String, [f64; 4]> {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/import.md")).unwrap();
    let start = doc
        .find("<!-- measured:start -->")
        .expect("marker in docs/import.md");
    let end = doc
        .find("<!-- measured:end -->")
        .expect("marker in docs/import.md");
    let mut out = BTreeMap::new();
    for line in doc[start..end].lines().filter(|l| l.starts_with("| ")) {
        let cells: Vec<&str> = line.trim_matches('|').split('|').map(str::trim).collect();
        let nums: Vec<f64> = cells
            .iter()
            .filter_map(|c| c.strip_suffix('%').and_then(|n| n.parse().ok()))
            .collect();
        if nums.len() == 4 {
            let name = cells[0].split_whitespace().next().unwrap_or("").to_string();
            out.insert(name, [nums[0], nums[1], nums[2], nums[3]]);
        }
    }
    out
}

/// Run with `cargo test --test import_sql suggestions_ -- --nocapture` to print the table.
#[test]
fn suggestions_keep_the_precision_and_recall_recorded_in_docs() {
    let rec = recorded();
    let mut total = Counts::default();
    let mut failures = Vec::new();
    println!(
        "| schema | precision (personal) | recall (personal) | precision (category) | recall (category) |"
    );
    for (label, file, dialect) in LABELLED {
        let (c, misses) = measure(label, file, *dialect);
        total.labelled += c.labelled;
        total.predicted += c.predicted;
        total.hit += c.hit;
        total.exact += c.exact;
        let f = c.figures();
        println!(
            "| {label} | {:.1}% | {:.1}% | {:.1}% | {:.1}% |   ({} labelled, {} suggested)",
            f[0], f[1], f[2], f[3], c.labelled, c.predicted
        );
        for m in &misses {
            println!("    {m}");
        }
        let Some(r) = rec.get(*label) else {
            failures.push(format!("docs/import.md records no figures for {label}"));
            continue;
        };
        for i in 0..4 {
            if f[i] + 0.05 < r[i] {
                failures.push(format!(
                    "{label}: figure {i} fell to {:.1}% from {:.1}%",
                    f[i], r[i]
                ));
            }
        }
    }
    let f = total.figures();
    println!(
        "| all | {:.1}% | {:.1}% | {:.1}% | {:.1}% |",
        f[0], f[1], f[2], f[3]
    );
    match rec.get("all") {
        Some(r) => {
            for i in 0..4 {
                if f[i] + 0.05 < r[i] {
                    failures.push(format!(
                        "all: figure {i} fell to {:.1}% from {:.1}%",
                        f[i], r[i]
                    ));
                }
            }
        }
        None => failures.push("docs/import.md records no figures for all".into()),
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Runs `lawful import sql` on `text` in `dialect`; returns the output and the out folder.
fn import_text(text: &str, dialect: &str) -> (Output, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.sql");
    std::fs::write(&input, text).unwrap();
    let out = dir.path().join("out");
    let o = lawful(&[
        "import",
        "sql",
        input.to_str().unwrap(),
        "--dialect",
        dialect,
        "--out",
        out.to_str().unwrap(),
    ]);
    (o, dir)
}

fn read(dir: &tempfile::TempDir, p: &str) -> String {
    std::fs::read_to_string(dir.path().join("out").join(p)).unwrap_or_else(|e| panic!("{p}: {e}"))
}

#[test]
fn commas_and_brackets_in_comments_and_names_are_quoted_inside_flow_maps() {
    let (o, dir) = import_text(
        "CREATE TABLE t (email text);\nCOMMENT ON TABLE t IS 'Customers, and their emails';\n\
         CREATE TABLE \"a,b\" (x int);\nCREATE TABLE \"a}b\" (x int);\nCREATE TABLE \"s,1\".t (x int);\n",
        "postgres",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let t = read(&dir, "datasets/t.yaml");
    assert!(
        t.contains("title: { en: \"Customers, and their emails\" }"),
        "{t}"
    );
    let ab = read(&dir, "datasets/a_b.yaml");
    assert!(ab.contains("table: \"a,b\" }"), "{ab}");
    let (o, dir) = import_text("CREATE TABLE m (x int) COMMENT='a, b';\n", "mysql");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(read(&dir, "datasets/m.yaml").contains("title: { en: \"a, b\" }"));
    let (o, dir) = import_text("CREATE TABLE [we]]ird;x] (x int);\n", "mssql");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let w = std::fs::read_dir(dir.path().join("out/datasets"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect::<String>();
    assert!(w.contains("table: \"we]ird;x\" }"), "{w}");
}

/// Each file has table t, the case, then table u: u (or t) never vanishes without a
/// message at the place of the case.
#[test]
fn the_statement_splitter_never_loses_a_table_silently() {
    // (dialect, the case, the message at line 2, col 1 of the case's line, u imported)
    type Case<'a> = (&'a str, &'a str, Option<(&'a str, &'a str)>, bool);
    let cases: &[Case] = &[
        (
            "postgres",
            "/* never closed",
            Some(("comment `/*` is never closed", ":2:1")),
            true,
        ),
        (
            "postgres",
            "CREATE TABLE x (a text default 'oops);",
            Some(("string `'` is never closed", ":2:32")),
            true,
        ),
        (
            "postgres",
            "CREATE FUNCTION f() RETURNS int AS $body$ select 1 $$ LANGUAGE sql;",
            Some(("dollar quote `$body$` is never closed", ":2:36")),
            true,
        ),
        (
            "mysql",
            "DELIMITER",
            Some(("`DELIMITER` names no delimiter", ":2:1")),
            true,
        ),
        (
            "postgres",
            "# not a comment in PostgreSQL",
            Some(("a CREATE TABLE inside the statement", ":3:1")),
            false,
        ),
        (
            "postgres",
            "CREATE TABLE x (a int) -- no semicolon",
            Some((
                "a CREATE TABLE inside the statement `CREATE TABLE x`",
                ":3:1",
            )),
            false,
        ),
        (
            "postgres",
            "CREATE TABLE x (a text default E'it\\'s; ok');",
            None,
            true,
        ),
        (
            "postgres",
            "/* outer /* inner; */ still a comment; */",
            None,
            true,
        ),
        (
            "snowflake",
            "CREATE TABLE x (a text default 'it\\'s; ok');",
            None,
            true,
        ),
        (
            "mysql",
            "# a comment in MySQL; with a semicolon",
            None,
            true,
        ),
    ];
    for (dialect, case, message, u_kept) in cases {
        let (o, dir) = import_text(
            &format!("CREATE TABLE t (a int);\n{case}\nCREATE TABLE u (b int);\n"),
            dialect,
        );
        let err = stderr(&o);
        assert!(
            read(&dir, "datasets/t.yaml").contains("table: t"),
            "{case}: {err}"
        );
        assert_eq!(
            dir.path().join("out/datasets/u.yaml").exists(),
            *u_kept,
            "{case}: {err}"
        );
        match message {
            Some((m, at)) => {
                assert_eq!(o.status.code(), Some(1), "{case}: {err}");
                assert!(err.contains(m), "{case}: {err}");
                assert!(err.contains(&format!("in.sql{at}]")), "{case}: {err}");
            }
            None => assert_eq!(o.status.code(), Some(0), "{case}: {err}"),
        }
    }
}

#[test]
fn alter_table_and_drop_table_change_the_draft_in_file_order() {
    let (o, dir) = import_text(
        "CREATE TABLE t (a int, b int, c int);\nALTER TABLE t ADD COLUMN email text;\n\
         ALTER TABLE t DROP COLUMN b;\nALTER TABLE t RENAME COLUMN c TO phone;\n\
         CREATE TABLE old (x int);\nALTER TABLE old RENAME TO renamed;\n\
         CREATE TABLE gone (x int);\nDROP TABLE gone;\nALTER TABLE missing ADD COLUMN z int;\n",
        "postgres",
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let t = read(&dir, "datasets/t.yaml");
    assert!(
        t.contains("      email:\n        categories: [contact.email]"),
        "{t}"
    );
    assert!(
        t.contains("      phone:\n        categories: [contact.phone]"),
        "{t}"
    );
    assert!(!t.contains(" b:") && !t.contains(" c:"), "{t}");
    let names: Vec<String> = std::fs::read_dir(dir.path().join("out/datasets"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    assert_eq!(names, ["renamed.yaml", "t.yaml"]);
    assert!(
        err.contains("ALTER TABLE changes the columns of `missing`, which no CREATE TABLE"),
        "{err}"
    );
    assert!(err.contains("in.sql:9:1]"), "{err}");
}

#[test]
fn a_partition_of_a_table_not_created_is_named() {
    let (o, dir) = import_text(
        "CREATE TABLE t (a int);\nCREATE TABLE p1 PARTITION OF nowhere FOR VALUES IN (1);\n\
         CREATE TABLE a (x int);\nALTER TABLE missing ATTACH PARTITION a FOR VALUES IN (1);\n",
        "postgres",
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "`p1` is a partition of `nowhere`, which the file does not create: `p1` is not imported"
        ),
        "{err}"
    );
    assert!(err.contains("in.sql:2:1]"), "{err}");
    assert!(
        err.contains("`a` is imported as a table of its own"),
        "{err}"
    );
    assert!(read(&dir, "datasets/a.yaml").contains("table: a }"));
}

#[test]
fn positions_inside_a_create_table_after_blank_lines_and_a_dump_comment_are_exact() {
    let (o, dir) = import_text(
        "\n\n\n--\n-- Name: staff; Type: TABLE; Schema: public; Owner: postgres\n--\n\n\
         CREATE TABLE staff (\n  staff_id int PRIMARY KEY,\n  password VARCHAR(40) BINARY DEFAULT NULL\n);\n",
        "postgres",
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains(
            "cannot read `password VARCHAR(40) BINARY DEFAULT NULL` in CREATE TABLE staff"
        ),
        "{err}"
    );
    assert!(err.contains("in.sql:10:3]"), "{err}");
    assert!(!err.contains("OutOfBounds"), "{err}");
    assert!(
        read(&dir, "datasets/staff.yaml")
            .contains("password:\n        categories: [account.credentials]")
    );
    // A statement the parser stops in: the secondary label at the exact column.
    let d = sql::draft(
        "-- a comment\n\n\nCREATE TABLE broken (a int,, b int);\n",
        "b.sql",
        Dialect::Postgres,
    );
    let e = &d.diagnostics[0];
    assert_eq!(e.severity, lawful::report::Severity::Error);
    let at = e.secondary[0].span.start as usize;
    assert_eq!(at, "-- a comment\n\n\nCREATE TABLE broken (a int,".len());
}

#[test]
fn a_table_created_twice_is_an_error_at_the_second() {
    let (o, dir) = import_text(
        "CREATE TABLE t (a int);\n\nCREATE TABLE t (b int);\n",
        "postgres",
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("a second CREATE TABLE t: skipped, the first is imported"),
        "{err}"
    );
    assert!(err.contains("in.sql:3:1]"), "{err}");
    assert!(read(&dir, "datasets/t.yaml").contains("      a:"));
    assert!(!dir.path().join("out/datasets/t_2.yaml").exists());
}

#[test]
fn unlogged_tables_are_read_virtual_tables_named_and_a_double_comma_refused() {
    let (o, dir) = import_text("CREATE UNLOGGED TABLE t (email text);\n", "postgres");
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(read(&dir, "datasets/t.yaml").contains("categories: [contact.email]"));
    let (o, _dir) = import_text(
        "CREATE TABLE t (a int);\nCREATE VIRTUAL TABLE docs USING fts5(title, body);\n",
        "sqlite",
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(0), "{err}");
    assert!(
        err.contains("the virtual table `docs` (USING fts5) is not imported"),
        "{err}"
    );
    assert!(err.contains("in.sql:2:1]"), "{err}");
    let (o, dir) = import_text(
        "CREATE TABLE t (a int);\nCREATE TABLE broken (a int,, b int);\n",
        "postgres",
    );
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("cannot read the statement `CREATE TABLE broken`"),
        "{err}"
    );
    assert!(!dir.path().join("out/datasets/broken.yaml").exists());
}

#[test]
fn chinese_table_names_stay_ids_and_chinese_column_names_get_categories() {
    let (o, dir) = import_text(
        "CREATE TABLE `用户` (`编号` int primary key, `出生日期` date, `手机号` varchar(20));\n\
         CREATE TABLE `订单` (id int);\n",
        "mysql",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let u = read(&dir, "datasets/用户.yaml");
    assert!(u.contains("datasets:\n  用户:\n"), "{u}");
    assert!(
        u.contains("# TODO(lawful): review: suggested identity.date_of_birth from the column name \"出生日期\"\n      出生日期:\n        categories: [identity.date_of_birth]"),
        "{u}"
    );
    assert!(
        u.contains("手机号:\n        categories: [contact.phone]"),
        "{u}"
    );
    assert!(read(&dir, "datasets/订单.yaml").contains("  订单:\n"));
    let check = lawful(&["check", dir.path().join("out").to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&check.stdout).contains("0 errors"));
}

#[test]
fn names_and_comments_with_newlines_cannot_make_a_review_note() {
    let (o, dir) = import_text(
        "CREATE TABLE \"x\n# TODO(lawful): fake\" (\"y\n# TODO(lawful): fake too\" int);\n\
         COMMENT ON TABLE \"x\n# TODO(lawful): fake\" IS 'line one\n# TODO(lawful): fake three';\n",
        "postgres",
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let check = lawful(&["check", dir.path().join("out").to_str().unwrap()]);
    let report = String::from_utf8_lossy(&check.stdout);
    // The notes: lawful.yaml's, and the unsuggested column's (which quotes its name).
    assert!(report.contains("0 errors, 2 warnings"), "{report}");
    let d = read(&dir, "datasets/x___TODO_lawful___fake.yaml");
    assert!(
        d.lines()
            .all(|l| !l.trim_start().starts_with("# TODO(lawful): fake")),
        "{d}"
    );
    assert!(d.contains("# # TODO (lawful): fake, from in.sql."), "{d}");
    assert!(
        d.contains("title: { en: \"line one\\n# TODO(lawful): fake three\" }"),
        "{d}"
    );
}

/// docs/import.md shows the start of RuoYi's `sys_user` draft: it is the tool's output,
/// byte for byte.
#[test]
fn the_sys_user_example_in_the_docs_is_the_real_output() {
    let doc =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/import.md")).unwrap();
    let start = doc.find("```yaml\n# Table sys_user").expect("the example") + "```yaml\n".len();
    let end = start + doc[start..].find("      # … the 13 other columns").unwrap();
    let shown = &doc[start..end];
    let imported = sql::import(&corpus("ruoyi/ry_20260417.sql"), Dialect::Mysql);
    let real = &imported.files["datasets/sys_user.yaml"];
    assert!(real.starts_with(shown), "docs:\n{shown}\ntool:\n{real}");
    let rest = &real[shown.len()..];
    assert_eq!(
        rest.lines()
            .filter(|l| l.starts_with("      ") && !l.starts_with("       ") && l.ends_with(':'))
            .count(),
        13,
        "{rest}"
    );
}
