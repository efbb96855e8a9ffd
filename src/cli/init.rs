//! `lawful init [DIR] [--from-sql FILE --dialect D]`: a starter project, without prompts.
//!
//! The project reads and checks at once. Until the team says where the organisation is
//! established and where its data subjects live, no regime applies, so `lawful check`
//! reports only the `TODO(lawful)` notes: the facts a new team must supply first. With
//! `--from-sql`, the datasets are drafted from the schema as `lawful import sql` drafts them
//! (each suggested category is a note to review).

use std::path::PathBuf;

use crate::cli::{EXIT_OK, EXIT_UNREADABLE};
use crate::import::sql::Dialect;
use crate::import::yaml::Writer;
use crate::import::{Files, Imported};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The folder to create the project in. It may hold other files, but none of those
    /// the starter writes.
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Draft datasets from this SQL schema (as `lawful import sql` does); needs `--dialect`.
    #[arg(long, value_name = "FILE", requires = "dialect")]
    from_sql: Option<PathBuf>,
    /// The dialect of `--from-sql`.
    #[arg(long, value_enum, requires = "from_sql")]
    dialect: Option<Dialect>,
}

pub fn run(a: Args) -> i32 {
    let imported = match (&a.from_sql, a.dialect) {
        (Some(file), Some(dialect)) => {
            let mut i = crate::import::sql::import(file, dialect);
            // The starter's lawful.yaml declares the organisation and the subjects; the
            // schema supplies the datasets.
            i.files.remove("lawful.yaml");
            i
        }
        _ => Imported {
            files: example_files(),
            ..Imported::default()
        },
    };
    let mut imported = imported;
    if a.from_sql.is_some() && !imported.files.keys().any(|f| f.starts_with("datasets/")) {
        // The schema could not be read at all: say why, write nothing.
        let color = crate::cli::color();
        for d in &imported.diagnostics {
            eprint!(
                "{}",
                crate::report::human::render(d, &imported.sources, color)
            );
        }
        eprintln!("lawful: no table could be drafted from the schema; nothing written");
        return EXIT_UNREADABLE;
    }
    if a.dir.join("lawful.yaml").exists() {
        eprintln!(
            "lawful: `{}` already holds a project (lawful.yaml); nothing written",
            a.dir.display()
        );
        return EXIT_UNREADABLE;
    }
    let taken = dataset_ids(&imported.files);
    let subject = ["customers", "customer_subjects", "people"]
        .into_iter()
        .find(|s| !taken.iter().any(|t| t == s))
        .unwrap_or("data_subjects");
    imported
        .files
        .insert("lawful.yaml".into(), lawful_yaml(subject));
    if let Some(example) = imported.files.get_mut("datasets/accounts.yaml") {
        *example = example.replace("[customers]", &format!("[{subject}]"));
    }
    // Every *.yaml below the folder is part of the project: YAML already there (a
    // docker-compose.yaml, a k8s/ folder) must read as lawful's, or the starter would
    // leave a project `lawful check` cannot read.
    if a.dir.is_dir() {
        let mut merged = imported.files.clone();
        let existing = crate::manifest::loader::project_files(&a.dir, &[]).unwrap_or_default();
        for (rel, path) in existing {
            let text = std::fs::read(&path).unwrap_or_default();
            merged.insert(rel, String::from_utf8_lossy(&text).into_owned());
        }
        if merged.len() > imported.files.len()
            && let Err(f) = crate::import::verify(&merged)
        {
            crate::cli::report_failure(&f);
            eprintln!(
                "lawful: `{}` already holds YAML files that would be read as part of the project, and they are not lawful's; nothing written. Start the project in a folder of its own, e.g. `lawful init privacy`",
                a.dir.display()
            );
            return EXIT_UNREADABLE;
        }
    }
    let code = crate::cli::import::finish(imported, &a.dir, true, true);
    if code == EXIT_OK {
        eprintln!(
            "lawful: next: answer each TODO(lawful) note, starting with the countries in lawful.yaml; `lawful check {}` lists them",
            a.dir.display()
        );
    }
    code
}

/// The root file: the organisation and the data subjects, with the facts only the team
/// knows left as notes.
fn lawful_yaml(subject: &str) -> String {
    let mut w = Writer::new();
    w.comment("The root of a lawful project: every *.yaml file below this folder is part of it.");
    w.comment("`lawful schema` prints the JSON Schema of the language, for editor completion.");
    w.raw("version", "1");
    w.blank();
    w.open("organization");
    w.todo("your organisation's legal name, as notices must show it (GDPR Art 13(1)(a); PIPL Art 17(1)(1)).");
    w.scalar("name", "Example Ltd");
    w.open("contact");
    w.todo("the address people write to about their data.");
    w.scalar("email", "privacy@example.com");
    w.close();
    w.todo("the countries where the organisation is established, as ISO 3166 codes (`DE`, `CN`, `US-CA` for California): lawful derives the regimes that apply from them.");
    w.raw("establishments", "[]");
    w.close();
    {
        w.blank();
        w.open("subjects");
        w.open(subject);
        w.raw("title", "{ en: Customers, zh-CN: 客户 }");
        w.todo("where these people live (`EU`, `CN`, `US-CA`, country codes): the GDPR, PIPL and CCPA reach them there.");
        w.raw("lives_in", "[]");
        w.close();
        w.close();
    }
    w.finish()
}

/// The ids of the datasets the files declare (subjects share their namespace).
fn dataset_ids(files: &Files) -> Vec<String> {
    files
        .values()
        .filter_map(|t| {
            crate::manifest::yaml::parse_document::<crate::manifest::Document>(
                crate::manifest::FileId(0),
                t,
            )
            .ok()
        })
        .flat_map(|d| d.datasets.0.into_iter().map(|(k, _)| k.value))
        .collect()
}

/// Without a schema: one dataset and one purpose to show the shape, to be replaced.
fn example_files() -> Files {
    let mut files = Files::new();
    let mut w = Writer::new();
    w.comment("An example dataset: replace it with your own tables (or start again with");
    w.comment("`lawful init --from-sql schema.sql --dialect postgres`, or mysql, sqlite,");
    w.comment("mssql or snowflake). docs/language.md lists every key.");
    w.open("datasets");
    w.open("accounts");
    w.raw("title", "{ en: Customer accounts, zh-CN: 客户账户 }");
    w.raw(
        "storage",
        "{ engine: postgres, database: shop, schema: public, table: customers }",
    );
    w.list("subjects", &["customers"]);
    w.scalar("subject_key", "id");
    w.todo("where this data is stored (ISO 3166 code), e.g. `country: DE`.");
    w.todo("how long accounts are kept once closed, e.g. `retention: { period: P2Y, after: closed_at, then: delete }`.");
    w.open("fields");
    w.raw("id", "{ categories: [identifier.customer_id] }");
    w.raw("email", "{ categories: [contact.email] }");
    w.raw("name", "{ categories: [identity.name] }");
    w.raw("created_at", "{ categories: [non_personal.operational] }");
    w.raw("closed_at", "{ categories: [non_personal.operational] }");
    w.close();
    w.close();
    w.close();
    files.insert("datasets/accounts.yaml".into(), w.finish());

    let mut w = Writer::new();
    w.comment("Why the data is processed. Each purpose needs a legal basis under every regime in");
    w.comment("scope, the categories it needs and how long it may keep them.");
    w.open("purposes");
    w.open("customer_accounts");
    w.raw(
        "title",
        "{ en: Run your customer account, zh-CN: 管理您的客户账户 }",
    );
    w.list(
        "categories",
        &["identifier.customer_id", "contact.email", "identity.name"],
    );
    w.list("datasets", &["accounts"]);
    w.todo("the legal basis under each regime, e.g. `legal_basis: { gdpr: contract, pipl: contract_or_hr, ccpa: business_purpose }`.");
    w.todo("the longest retention this purpose justifies, e.g. `retention: P2Y`.");
    w.close();
    w.close();
    files.insert("purposes.yaml".into(), w.finish());
    files
}
