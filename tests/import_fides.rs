//! `lawful import fides`: fideslang manifests → a lawful project, bad input refused at its
//! place, and lawful's side of the parity table in docs/fides.md (Fides' own verdicts are
//! recorded there; Fides never runs here).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

const FIDES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/corpus/fides");
const BAD: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/import_fides");

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

/// A temp folder holding copies of `files` (paths relative to the Fides corpus), each
/// rewritten by `edit`.
fn fixture(files: &[&str], edit: impl Fn(String) -> String) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("fides");
    std::fs::create_dir_all(&input).expect("mkdir");
    for f in files {
        let src = Path::new(FIDES).join(f);
        let paths: Vec<PathBuf> = if src.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(&src)
                .expect("corpus folder")
                .map(|e| e.expect("entry").path())
                .collect();
            v.sort();
            v
        } else {
            vec![src]
        };
        for p in paths {
            let text = std::fs::read_to_string(&p).expect("corpus file");
            std::fs::write(input.join(p.file_name().expect("name")), edit(text)).expect("write");
        }
    }
    dir
}

struct Run {
    import: Output,
    out: PathBuf,
    check: Option<Output>,
    /// The findings of `lawful check --format json`.
    findings: Vec<serde_json::Value>,
}

impl Run {
    fn policy(&self) -> Vec<&serde_json::Value> {
        self.findings
            .iter()
            .filter(|f| f["rule"].as_str().is_some_and(|r| r.starts_with("POLICY")))
            .collect()
    }
}

/// `lawful import fides` on the folder `fides` of `dir`, then `lawful check` on the result.
fn import_and_check(dir: &TempDir) -> Run {
    let input = dir.path().join("fides");
    let out = dir.path().join("project");
    let import = lawful(&[
        "import",
        "fides",
        input.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let (check, findings) = if import.status.code() == Some(0) {
        let c = lawful(&["check", out.to_str().expect("utf-8"), "--format", "json"]);
        let v: serde_json::Value = serde_json::from_slice(&c.stdout).expect("json report");
        let f = v["findings"].as_array().cloned().unwrap_or_default();
        (Some(c), f)
    } else {
        (None, Vec::new())
    };
    Run {
        import,
        out,
        check,
        findings,
    }
}

/// One row of the parity table: the fixture, and lawful's verdict on it.
struct Row {
    name: &'static str,
    files: &'static [&'static str],
    /// Rewrite applied to each file (the edits Fides' own tests make, or none).
    edit: fn(String) -> String,
    /// `None`: imports and checks; `Some(codes)`: the import refuses with these codes.
    refused: Option<&'static [&'static str]>,
    /// POLICY findings of `lawful check` (when imported).
    policy: usize,
}

fn same(s: String) -> String {
    s
}

fn uncomment_contact(s: String) -> String {
    s.replace("#- user.contact # uncomment", "- user.contact # uncomment")
}

/// The ctl fixtures written for fideslang 1.x name a rule with `fides_key:`; fideslang 3
/// wants `name:`.
fn rule_name(s: String) -> String {
    s.replace(
        "- fides_key: reject_political_opinion",
        "- name: reject_political_opinion",
    )
}

const DATASETS_NO_BIGQUERY: &[&str] = &[
    "datasets/hubspot_dataset.yml",
    "datasets/mailchimp_dataset.yml",
    "datasets/mssql_example_test_dataset.yml",
    "datasets/mysql_example_test_dataset.yml",
    "datasets/postgres_example_invalid_masking_strategy_override_dataset.yml",
    "datasets/postgres_example_test_dataset.yml",
    "datasets/redshift_example_test_dataset.yml",
    "datasets/snowflake_example_test_dataset.yml",
    "datasets/stripe_dataset.yml",
    "demo_resources/demo_policy.yml",
];

const DATASETS_NO_TEMPLATES: &[&str] = &[
    "datasets/mssql_example_test_dataset.yml",
    "datasets/mysql_example_test_dataset.yml",
    "datasets/postgres_example_invalid_masking_strategy_override_dataset.yml",
    "datasets/postgres_example_test_dataset.yml",
    "datasets/redshift_example_test_dataset.yml",
    "datasets/snowflake_example_test_dataset.yml",
    "demo_resources/demo_policy.yml",
];

const ROWS: &[Row] = &[
    Row {
        name: "demo_resources",
        files: &["demo_resources"],
        edit: same,
        refused: None,
        policy: 0,
    },
    Row {
        name: "demo_resources, user.contact uncommented",
        files: &["demo_resources"],
        edit: uncomment_contact,
        refused: None,
        policy: 1,
    },
    Row {
        name: "sample_project",
        files: &["sample_project"],
        edit: same,
        refused: Some(&["import::fides-missing"]),
        policy: 0,
    },
    Row {
        name: "fidesdemo",
        files: &["fidesdemo"],
        edit: same,
        refused: Some(&["import::fides-unknown-key"]),
        policy: 0,
    },
    Row {
        name: "self_annotation",
        files: &["self_annotation"],
        edit: same,
        refused: None,
        policy: 0,
    },
    Row {
        name: "pbac",
        files: &["pbac"],
        edit: same,
        refused: Some(&["import::fides-yaml"]),
        policy: 0,
    },
    Row {
        name: "datasets",
        files: &["datasets"],
        edit: same,
        refused: Some(&["import::fides-yaml"]),
        policy: 0,
    },
    Row {
        name: "datasets + demo policy",
        files: &["datasets", "demo_resources/demo_policy.yml"],
        edit: same,
        refused: Some(&["import::fides-yaml"]),
        policy: 0,
    },
    Row {
        name: "datasets without BigQuery + demo policy",
        files: DATASETS_NO_BIGQUERY,
        edit: same,
        refused: Some(&["import::fides-duplicate"]),
        policy: 0,
    },
    Row {
        name: "datasets without BigQuery and the SaaS templates + demo policy",
        files: DATASETS_NO_TEMPLATES,
        edit: same,
        refused: None,
        policy: 0,
    },
    Row {
        name: "graph_examples",
        files: &["graph_examples"],
        edit: same,
        refused: None,
        policy: 0,
    },
    Row {
        name: "regression",
        files: &["regression"],
        edit: same,
        refused: Some(&["import::fides-duplicate", "import::fides-unknown-key"]),
        policy: 0,
    },
    Row {
        name: "reference",
        files: &["reference"],
        edit: same,
        refused: Some(&["import::fides-yaml"]),
        policy: 0,
    },
    Row {
        name: "ctl dataset_missing_categories",
        files: &["ctl_test_data/dataset_missing_categories.yml"],
        edit: same,
        refused: Some(&["import::fides-unknown-key"]),
        policy: 0,
    },
    Row {
        name: "ctl failing_dataset_collection_taxonomy",
        files: &["ctl_test_data/failing_dataset_collection_taxonomy.yml"],
        edit: same,
        refused: Some(&["import::fides-yaml"]),
        policy: 0,
    },
    Row {
        name: "ctl failing_dataset_field_taxonomy",
        files: &["ctl_test_data/failing_dataset_field_taxonomy.yml"],
        edit: same,
        refused: Some(&["import::fides-yaml"]),
        policy: 0,
    },
    Row {
        name: "ctl failing_dataset_field_taxonomy, rule named",
        files: &["ctl_test_data/failing_dataset_field_taxonomy.yml"],
        edit: rule_name,
        refused: None,
        policy: 1,
    },
    Row {
        name: "ctl failing_dataset_taxonomy",
        files: &["ctl_test_data/failing_dataset_taxonomy.yml"],
        edit: same,
        refused: Some(&["import::fides-yaml"]),
        policy: 0,
    },
    Row {
        name: "ctl failing_dataset_taxonomy, rule named",
        files: &["ctl_test_data/failing_dataset_taxonomy.yml"],
        edit: rule_name,
        refused: None,
        policy: 1,
    },
    Row {
        name: "ctl failing_declaration_taxonomy",
        files: &["ctl_test_data/failing_declaration_taxonomy.yml"],
        edit: same,
        refused: None,
        policy: 1,
    },
    Row {
        name: "ctl failing_direction",
        files: &["ctl_test_data/failing_direction.yml"],
        edit: same,
        refused: None,
        policy: 0,
    },
    Row {
        name: "ctl failing_nested_dataset",
        files: &["ctl_test_data/failing_nested_dataset.yml"],
        edit: same,
        refused: Some(&["import::fides-unknown-key"]),
        policy: 0,
    },
    Row {
        name: "ctl passing_declaration_taxonomy",
        files: &["ctl_test_data/passing_declaration_taxonomy.yml"],
        edit: same,
        refused: None,
        policy: 0,
    },
];

#[test]
fn parity_table_lawful_side() {
    let mut failures = Vec::new();
    for row in ROWS {
        let dir = fixture(row.files, row.edit);
        let run = import_and_check(&dir);
        let err = stderr(&run.import);
        match row.refused {
            Some(codes) => {
                if run.import.status.code() != Some(2) || run.out.exists() {
                    failures.push(format!(
                        "{}: expected the import to refuse (exit 2, nothing written), got {:?}\n{err}",
                        row.name,
                        run.import.status.code()
                    ));
                }
                let found: std::collections::BTreeSet<&str> =
                    err.lines().filter(|l| l.starts_with("import::")).collect();
                let want: std::collections::BTreeSet<&str> = codes.iter().copied().collect();
                if found != want {
                    failures.push(format!("{}: codes {found:?}, expected {want:?}", row.name));
                }
            }
            None => {
                if run.import.status.code() != Some(0) {
                    failures.push(format!("{}: import failed\n{err}", row.name));
                    continue;
                }
                let check = run.check.as_ref().expect("checked");
                let want_exit = if row.policy > 0 { 1 } else { 0 };
                if check.status.code() != Some(want_exit) {
                    failures.push(format!(
                        "{}: check exit {:?}, expected {want_exit}",
                        row.name,
                        check.status.code()
                    ));
                }
                let policy = run.policy();
                if policy.len() != row.policy {
                    failures.push(format!(
                        "{}: {} POLICY findings, expected {}: {policy:#?}",
                        row.name,
                        policy.len(),
                        row.policy
                    ));
                }
                // Besides policies and review notes, an import checks clean of errors.
                let errors: Vec<&serde_json::Value> = run
                    .findings
                    .iter()
                    .filter(|f| f["severity"] == "error")
                    .filter(|f| !f["rule"].as_str().unwrap_or("").starts_with("POLICY"))
                    .collect();
                if !errors.is_empty() {
                    failures.push(format!("{}: error findings {errors:#?}", row.name));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn demo_resources_imports_and_checks_clean_of_policy_findings() {
    let dir = fixture(&["demo_resources"], same);
    let run = import_and_check(&dir);
    assert_eq!(run.import.status.code(), Some(0), "{}", stderr(&run.import));
    assert!(run.policy().is_empty(), "{:#?}", run.policy());
    // What Fides cannot say is left to review, at its place.
    let todos = run
        .findings
        .iter()
        .filter(|f| f["rule"] == "CORE-TODO")
        .count();
    assert!(todos >= 8, "{todos} review notes");
    assert_eq!(run.check.expect("checked").status.code(), Some(0));
}

#[test]
fn uncommenting_user_contact_gives_one_violation_at_the_marketing_purpose() {
    let dir = fixture(&["demo_resources"], uncomment_contact);
    let run = import_and_check(&dir);
    assert_eq!(run.import.status.code(), Some(0), "{}", stderr(&run.import));
    let policy = run.policy();
    assert_eq!(policy.len(), 1, "{policy:#?}");
    let f = policy[0];
    assert_eq!(f["rule"], "POLICY-demo_privacy_policy");
    let msg = f["message"].as_str().expect("message");
    assert!(
        msg.contains("demo_marketing_system__collect_data_for_marketing"),
        "{msg}"
    );
    assert!(msg.contains("reject_direct_marketing"), "{msg}");
    assert_eq!(f["location"]["file"], "purposes.yaml");
    let purposes = std::fs::read_to_string(run.out.join("purposes.yaml")).expect("purposes");
    let line = purposes
        .lines()
        .position(|l| {
            l.trim_start()
                .starts_with("demo_marketing_system__collect_data_for_marketing:")
        })
        .expect("the purpose")
        + 1;
    assert_eq!(f["location"]["line"], line as u64);
    assert_eq!(run.check.expect("checked").status.code(), Some(1));
}

#[test]
fn the_imported_demo_project_reads_as_a_dpo_would_want() {
    let dir = fixture(&["demo_resources"], same);
    let run = import_and_check(&dir);
    assert_eq!(run.import.status.code(), Some(0), "{}", stderr(&run.import));
    let mut all = String::new();
    let mut files: Vec<PathBuf> = walk(&run.out);
    files.sort();
    for f in files {
        let rel = f
            .strip_prefix(&run.out)
            .expect("inside")
            .to_string_lossy()
            .replace('\\', "/");
        all.push_str(&format!(
            "==> {rel}\n{}\n",
            std::fs::read_to_string(&f).expect("read")
        ));
    }
    insta::assert_snapshot!(all);
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("dir") {
        let p = e.expect("entry").path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let (da, db) = (
        fixture(&["self_annotation"], same),
        fixture(&["self_annotation"], same),
    );
    let (a, b) = (import_and_check(&da), import_and_check(&db));
    let (mut fa, mut fb) = (walk(&a.out), walk(&b.out));
    fa.sort();
    fb.sort();
    assert_eq!(fa.len(), fb.len());
    for (x, y) in fa.iter().zip(&fb) {
        assert_eq!(x.strip_prefix(&a.out).ok(), y.strip_prefix(&b.out).ok());
        assert_eq!(
            std::fs::read(x).ok(),
            std::fs::read(y).ok(),
            "{}",
            x.display()
        );
    }
}

#[test]
fn a_fides_user_device_rule_still_catches_a_cookie_id() {
    // demo_resources' marketing declaration uses user.device.cookie_id, which maps to
    // identifier.cookie_id, outside lawful's `device`: the translated rule must still
    // catch it.
    let dir = fixture(&["demo_resources"], |s| {
        s.replace(
            "            - user.contact\n        data_uses:",
            "            - user.device\n        data_uses:",
        )
    });
    let run = import_and_check(&dir);
    assert_eq!(run.import.status.code(), Some(0), "{}", stderr(&run.import));
    let policies = std::fs::read_to_string(run.out.join("policies.yaml")).expect("policies");
    assert!(policies.contains("identifier.cookie_id"), "{policies}");
    assert_eq!(run.policy().len(), 1, "{:#?}", run.policy());
}

#[test]
fn a_fides_user_rule_catches_every_personal_category_also_a_bare_user() {
    // One declaration files its data only under `user` (the import declares a project
    // category `personal` for it), the other under `user.contact.email`: Fides reports both.
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(dir.path().join("fides")).expect("mkdir");
    std::fs::write(
        dir.path().join("fides/m.yml"),
        "system:\n  - fides_key: shop\n    name: Shop\n    system_type: Service\n    privacy_declarations:\n      - name: a\n        data_categories: [user]\n        data_use: marketing.advertising\n        data_subjects: [customer]\n      - name: b\n        data_categories: [user.contact.email]\n        data_use: marketing.advertising\n        data_subjects: [customer]\npolicy:\n  - fides_key: p\n    name: p\n    rules:\n      - name: r\n        data_categories: { matches: ANY, values: [user] }\n        data_uses: { matches: ANY, values: [marketing] }\n        data_subjects: { matches: ANY, values: [customer] }\n",
    )
    .expect("write");
    let run = import_and_check(&dir);
    assert_eq!(run.import.status.code(), Some(0), "{}", stderr(&run.import));
    let mut targets: Vec<&str> = run
        .policy()
        .iter()
        .map(|f| f["target"].as_str().unwrap_or(""))
        .collect();
    targets.sort();
    assert_eq!(targets, ["purposes.shop__a", "purposes.shop__b"]);
}

/// Import a folder of tests/import_fides: it must be refused, exit 2, nothing written.
fn refused(case: &str) -> String {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("project");
    let input = format!("{BAD}/{case}");
    let o = lawful(&[
        "import",
        "fides",
        &input,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(!out.exists(), "nothing may be written");
    assert!(err.contains("nothing written"), "{err}");
    err
}

#[test]
fn a_duplicate_fides_key_is_reported_at_both_places() {
    let err = refused("duplicate_key");
    assert!(err.contains("the system `shop` is declared twice"), "{err}");
    assert!(err.contains("duplicate_key/b.yml:6:16"), "{err}");
    assert!(err.contains("duplicate_key/a.yml:2:16"), "{err}");
}

#[test]
fn keys_with_spaces_or_backslashes_are_refused() {
    let err = refused("bad_keys");
    assert!(
        err.contains("`web shop` is not a valid system fides_key"),
        "{err}"
    );
    assert!(err.contains("bad_keys/system.yml:2:16"), "{err}");
    assert!(
        err.contains("`user\\contact` is not a valid data category key"),
        "{err}"
    );
    assert!(err.contains("bad_keys/system.yml:7:27"), "{err}");
}

#[test]
fn unknown_taxonomy_keys_are_named_with_a_suggestion() {
    let err = refused("unknown_key");
    // The project's own category is known; the misspelt ones are not.
    assert!(!err.contains("user.contact.work_phone`"), "{err}");
    assert!(
        err.contains("unknown data category `user.contact.emial`"),
        "{err}"
    );
    assert!(err.contains("unknown_key/system.yml:13:13"), "{err}");
    assert!(err.contains("did you mean `user.contact.email`?"), "{err}");
    assert!(
        err.contains("unknown data use `essential.servise`"),
        "{err}"
    );
    assert!(err.contains("did you mean `essential.service`?"), "{err}");
    assert!(err.contains("unknown data subject `customers`"), "{err}");
    assert!(err.contains("unknown_key/system.yml:15:25"), "{err}");
}

#[test]
fn an_unknown_match_mode_is_refused() {
    let err = refused("match_mode");
    assert!(err.contains("unknown match mode `SOME`"), "{err}");
    assert!(err.contains("match_mode/policy.yml:10:20"), "{err}");
    // fideslang's modes are upper case.
    assert!(err.contains("unknown match mode `any`"), "{err}");
    assert!(err.contains("did you mean `ANY`?"), "{err}");
}

#[test]
fn a_reference_to_a_missing_dataset_is_refused() {
    let err = refused("missing_dataset");
    assert!(err.contains("there is no dataset `customer_db`"), "{err}");
    assert!(err.contains("missing_dataset/system.yml:17:30"), "{err}");
    assert!(err.contains("did you mean `customers_db`?"), "{err}");
}

#[test]
fn yaml_that_is_not_fideslang_is_refused_key_by_key() {
    let err = refused("not_fideslang");
    assert!(err.contains("unknown field `purpose`"), "{err}");
    assert!(err.contains("not_fideslang/purpose.yml:1:1"), "{err}");
    assert!(err.contains("unknown field `data_categorie`"), "{err}");
    assert!(err.contains("not_fideslang/system.yml:7:9"), "{err}");
    assert!(err.contains("did you mean `data_categories`?"), "{err}");
}

#[test]
fn a_folder_without_fideslang_files_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("empty");
    std::fs::create_dir_all(&input).expect("mkdir");
    let out = dir.path().join("project");
    let o = lawful(&[
        "import",
        "fides",
        input.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("holds no .yml or .yaml file"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists());
}

#[test]
fn keys_that_would_become_one_lawful_id_are_refused() {
    let err = refused("clash");
    assert!(
        err.contains(
            "the systems `web.shop` and `web_shop` would both become the lawful id `web_shop`"
        ),
        "{err}"
    );
    assert!(err.contains("clash/systems.yml:5:16"), "{err}");
    assert!(err.contains("and this one"), "{err}");
}

#[test]
fn shapes_lawful_spells_differently_are_carried_over() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("project");
    let input = format!("{BAD}/edge");
    let o = lawful(&[
        "import",
        "fides",
        &input,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let crm = std::fs::read_to_string(out.join("datasets/crm.yaml")).expect("crm");
    // A field name with a space keeps its name as the column.
    assert!(
        crm.contains("First_Name:\n        column: First Name\n"),
        "{crm}"
    );
    // Nested fields are flattened; a document with only sub-fields is not a field.
    assert!(crm.contains("address.city:"), "{crm}");
    assert!(!crm.contains("      address:"), "{crm}");
    // The field Fides matches requests on is the subject key.
    assert!(crm.contains("subject_key: email"), "{crm}");
    assert!(crm.contains("fields: {}"), "{crm}");
    let placeholder =
        std::fs::read_to_string(out.join("datasets/placeholder.yaml")).expect("placeholder");
    assert!(placeholder.contains("datasets: {}"), "{placeholder}");
    let root = std::fs::read_to_string(out.join("lawful.yaml")).expect("root");
    // An extension under `user` lands under `personal`, which is declared for review.
    assert!(root.contains("  personal.loyalty_tier:"), "{root}");
    assert!(root.contains("  personal:\n"), "{root}");
    let flows = std::fs::read_to_string(out.join("flows.yaml")).expect("flows");
    assert!(flows.contains("from: customer\n    to: crm_app"), "{flows}");
    let c = lawful(&["check", out.to_str().expect("utf-8"), "--format", "json"]);
    assert_eq!(
        c.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&c.stdout)
    );
}

#[test]
fn a_single_manifest_file_imports_as_fides_evaluate_takes_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("project");
    let file = format!("{FIDES}/ctl_test_data/failing_declaration_taxonomy.yml");
    let o = lawful(&[
        "import",
        "fides",
        &file,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = lawful(&["check", out.to_str().expect("utf-8"), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&c.stdout).expect("json");
    let policy = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "POLICY-primary_privacy_policy")
        .count();
    assert_eq!(policy, 1);
}

/// Import a folder of tests/import_fides that must import (exit 0): the output folder.
fn imported(case: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("project");
    let input = format!("{BAD}/{case}");
    let o = lawful(&[
        "import",
        "fides",
        &input,
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let c = lawful(&["check", out.to_str().expect("utf-8"), "--format", "json"]);
    assert_ne!(c.status.code(), Some(2), "{}", stderr(&c));
    (dir, out)
}

#[test]
fn keys_of_different_kinds_get_distinct_ids_said_in_a_comment() {
    let (_dir, out) = imported("shared_ids");
    let root = std::fs::read_to_string(out.join("lawful.yaml")).expect("root");
    assert!(
        root.contains(
            "  customer_2:\n    # The Fides data subject `customer`: `customer` is already the id"
        ),
        "{root}"
    );
    assert!(root.contains("  ds__d_2:\n"), "{root}");
    let systems = std::fs::read_to_string(out.join("systems.yaml")).expect("systems");
    assert!(systems.contains("  customer:\n"), "{systems}");
    assert!(systems.contains("  ds__c:\n"), "{systems}");
    let ds = std::fs::read_to_string(out.join("datasets/ds.yaml")).expect("ds");
    assert!(
        ds.contains("# The collection `c`: `ds__c` is already the id"),
        "{ds}"
    );
    assert!(ds.contains("  ds__c_2:\n"), "{ds}");
    assert!(ds.contains("  ds__d:\n"), "{ds}");
    assert!(ds.contains("subjects: [customer_2, ds__d_2]"), "{ds}");
    let purposes = std::fs::read_to_string(out.join("purposes.yaml")).expect("purposes");
    assert!(
        purposes.contains("datasets: [ds__c_2, ds__d]"),
        "{purposes}"
    );
}

#[test]
fn control_characters_in_text_are_refused_at_their_place() {
    let err = refused("control");
    assert!(
        err.contains("`\\u{1} ctrl` holds a control character"),
        "{err}"
    );
    assert!(err.contains("control/system.yml:6:15"), "{err}");
    assert!(err.contains("control/system.yml:7:27"), "{err}");
    assert!(err.contains("control/system.yml:4:18"), "{err}");
    assert!(!err.contains("internal error"), "{err}");
}

#[test]
fn a_field_without_a_name_is_refused_at_its_place() {
    let err = refused("empty_name");
    assert!(
        err.contains("a field of the collection `c` has no name"),
        "{err}"
    );
    assert!(err.contains("empty_name/dataset.yml:6:19"), "{err}");
    assert!(!err.contains("internal error"), "{err}");
}

#[test]
fn a_parent_key_cycle_is_refused_at_the_key() {
    let err = refused("cycle");
    assert!(
        err.contains(
            "the data category `user.a` is its own ancestor: `user.a` → `user.b` → `user.a`"
        ),
        "{err}"
    );
    assert!(err.contains("cycle/taxonomy.yml:3:17"), "{err}");
    assert!(err.contains("cycle/taxonomy.yml:5:17"), "{err}");
    assert!(
        err.contains("the data category `user.self` is its own ancestor"),
        "{err}"
    );
    assert!(err.contains("cycle/taxonomy.yml:7:17"), "{err}");
    assert!(
        err.contains("the data use `own.x` is its own ancestor"),
        "{err}"
    );
    assert!(err.contains("cycle/taxonomy.yml:10:17"), "{err}");
    assert!(!err.contains("internal error"), "{err}");
}

#[test]
fn rules_without_values_keep_fides_verdict() {
    let (_dir, out) = imported("empty_values");
    let c = lawful(&["check", out.to_str().expect("utf-8"), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&c.stdout).expect("json");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .filter(|r| r.starts_with("POLICY"))
        .collect();
    // As `fides evaluate`: the ANY rule never matches, the NONE/OTHER one always does.
    assert_eq!(rules, ["POLICY-always"]);
    let p = std::fs::read_to_string(out.join("policies.yaml")).expect("policies");
    assert!(p.contains("Fides' rule \"any_empty\" is left out"), "{p}");
}

#[test]
fn a_field_renamed_after_a_clash_keeps_its_column() {
    let (_dir, out) = imported("field_clash");
    let ds = std::fs::read_to_string(out.join("datasets/ds.yaml")).expect("ds");
    assert!(
        ds.contains("first_name:\n        column: first name\n"),
        "{ds}"
    );
    assert!(
        ds.contains("first_name_2:\n        column: first_name\n"),
        "{ds}"
    );
}

#[test]
fn fideslang_1_keys_are_named_with_their_renamed_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("project");
    let o = lawful(&[
        "import",
        "fides",
        &format!("{FIDES}/fidesdemo"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o)
        .replace('\n', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for (old, hint) in [
        ("user.race", "user.demographic.race_ethnicity"),
        ("user.browsing_history", "user.behavior.browsing_history"),
        ("user.date_of_birth", "user.demographic.date_of_birth"),
        (
            "user.political_opinion",
            "user.demographic.political_opinion",
        ),
        ("user.genetic", "user.health_and_medical.genetic"),
        (
            "user.credentials.password",
            "user.authorization.credentials",
        ),
        ("improve", "functional"),
        ("provide", "essential"),
        ("advertising", "marketing.advertising"),
        ("provide.service.operations", "essential.service.operations"),
    ] {
        assert!(err.contains(&format!("`{old}`")), "{old}: {err}");
        assert!(
            err.contains(&format!("did you mean `{hint}`?")),
            "{hint}: {err}"
        );
    }
    assert!(!err.contains("user.criminal_history"), "{err}");
    assert!(!err.contains("did you mean `user.name`"), "{err}");
}

#[test]
fn an_output_folder_inside_the_input_folder_is_refused() {
    let dir = fixture(&["demo_resources"], same);
    let input = dir.path().join("fides");
    for out in [input.join("sub"), input.clone(), input.join("a/../b")] {
        let imp = lawful::import::fides::import_to(&input, &out);
        assert!(imp.files.is_empty());
        let msgs: Vec<&str> = imp.diagnostics.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(msgs.len(), 1, "{msgs:?}");
        assert!(
            msgs[0].contains("lies inside the folder of Fides manifests"),
            "{msgs:?}"
        );
    }
    let beside = lawful::import::fides::import_to(&input, &dir.path().join("project"));
    assert!(!beside.files.is_empty());
}

#[test]
fn a_file_that_is_not_utf8_is_refused_at_its_line_and_column() {
    let dir = tempfile::tempdir().expect("temp dir");
    let input = dir.path().join("fides");
    std::fs::create_dir_all(&input).expect("mkdir");
    std::fs::write(
        input.join("system.yml"),
        b"system:\n  - fides_key: shop\n    name: Caf\xe9\n".as_slice(),
    )
    .expect("write");
    let out = dir.path().join("project");
    let o = lawful(&[
        "import",
        "fides",
        input.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("fides/system.yml:3:14: the file is not UTF-8 text (byte 0xE9"),
        "{err}"
    );
    assert!(!out.exists());
}

#[test]
fn a_key_given_twice_is_reported_in_lawfuls_words_at_both_places() {
    let err = refused("duplicate_yaml_key");
    assert!(
        err.contains("the key `name` is given twice in one mapping"),
        "{err}"
    );
    assert!(err.contains("duplicate_yaml_key/system.yml:4:5"), "{err}");
    assert!(err.contains("first given here"), "{err}");
    assert!(!err.contains("DuplicateKeyPolicy"), "{err}");
}

#[test]
fn rule_names_that_become_one_id_get_a_suffix() {
    let (_dir, out) = imported("rule_names");
    let p = std::fs::read_to_string(out.join("policies.yaml")).expect("policies");
    assert!(
        p.contains("      rule_one:\n        # \"Rule One!\"\n"),
        "{p}"
    );
    assert!(
        p.contains("      rule_one_2:\n        # \"rule one\"\n        # `rule_one` is already the id of another rule of this policy.\n"),
        "{p}"
    );
    let c = lawful(&["check", out.to_str().expect("utf-8"), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&c.stdout).expect("json");
    let policy = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "POLICY-p")
        .count();
    // Fides reports the declaration once per rule it breaks.
    assert_eq!(policy, 2);
}

#[test]
fn policy_keys_that_become_one_id_are_refused_in_plain_english() {
    let err = refused("policy_clash");
    assert!(
        err.contains("the policies `main.policy` and `main_policy` would both become the lawful id `main_policy`"),
        "{err}"
    );
    assert!(err.contains("policy_clash/policies.yml:4:16"), "{err}");
}

#[test]
fn a_redefined_default_subject_keeps_the_projects_name() {
    let (_dir, out) = imported("renamed_subject");
    let root = std::fs::read_to_string(out.join("lawful.yaml")).expect("root");
    assert!(root.contains("    title: { en: Shop members }\n"), "{root}");
    assert!(root.contains("# People with a member account."), "{root}");
    assert!(!root.contains("Customers"), "{root}");
}

#[test]
fn rule_values_become_the_fewest_lawful_categories() {
    let (_dir, out) = imported("rule_values");
    let p = std::fs::read_to_string(out.join("policies.yaml")).expect("policies");
    // `user.device` covers `user.device.cookie_id` and `user.device.device_id`.
    assert!(
        p.contains("categories: { matches: any, values: [device, identifier] }"),
        "{p}"
    );
}

#[test]
fn a_system_without_system_type_is_refused_as_fideslang_does() {
    let err = refused("no_system_type");
    assert!(err.contains("missing field `system_type`"), "{err}");
    assert!(err.contains("no_system_type/system.yml:"), "{err}");
}

#[test]
fn the_fides_1_key_of_failing_nested_dataset_is_named_at_its_place() {
    let dir = fixture(&["ctl_test_data/failing_nested_dataset.yml"], same);
    let run = import_and_check(&dir);
    let err = stderr(&run.import);
    assert_eq!(run.import.status.code(), Some(2), "{err}");
    // Fides: "Found missing key (account.contact.street) referenced in taxonomy".
    assert!(
        err.contains("unknown data category `account.contact.street`"),
        "{err}"
    );
    assert!(err.contains("failing_nested_dataset.yml:14:21"), "{err}");
}

#[test]
fn the_command_refuses_an_output_folder_inside_the_input() {
    let dir = fixture(&["demo_resources"], same);
    let input = dir.path().join("fides");
    let out = input.join("sub");
    let o = lawful(&[
        "import",
        "fides",
        input.to_str().expect("utf-8"),
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("lies inside the folder"),
        "{}",
        stderr(&o)
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn keys_that_share_a_lawful_category_keep_fides_verdict() {
    // user.contact.address.street and .city both map to contact.postal_address; the import
    // declares an extension for each. `fides --local evaluate` on this fixture (Fides 2.x,
    // /tmp/fidesvenv) reports:
    //   Declaration (a) of system (shop) failed rule (address) from policy (p)
    //   Declaration (a) of system (shop) failed rule (not city) from policy (p)
    //   Declaration (b) of system (shop) failed rule (address) from policy (p)
    //   Declaration (b) of system (shop) failed rule (city) from policy (p)
    //   Declaration (d) of system (shop) failed rule (address) from policy (p) for dataset field (street)
    //   Declaration (d) of system (shop) failed rule (not city) from policy (p)
    //   Declaration (d) of system (shop) failed rule (not city) from policy (p) for dataset field (street)
    // With one category for both keys, the `city` rule would also catch a and d.
    let (_dir, out) = imported("shared_image");
    let c = lawful(&["check", out.to_str().expect("utf-8"), "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&c.stdout).expect("json");
    let findings = v["findings"].as_array().expect("findings");
    let mut pairs: Vec<String> = findings
        .iter()
        .filter(|f| f["rule"] == "POLICY-p")
        .map(|f| {
            let m = f["message"].as_str().unwrap_or("");
            let rule = m.split("breaks rule `").nth(1).unwrap_or("");
            let rule = rule.split('`').next().unwrap_or("");
            format!("{} {rule}", f["target"].as_str().unwrap_or(""))
        })
        .collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            "purposes.shop__a address",
            "purposes.shop__a not_city",
            "purposes.shop__b address",
            "purposes.shop__b city",
            "purposes.shop__d address",
            "purposes.shop__d not_city",
        ]
    );
    // The extensions are declared once, with fideslang's names and their parent's flags,
    // so the import adds no classification finding.
    assert!(
        findings
            .iter()
            .all(|f| f["rule"] != "CORE-FIELD-CLASSIFICATION"),
        "{findings:#?}"
    );
    let root = std::fs::read_to_string(out.join("lawful.yaml")).expect("lawful.yaml");
    assert!(root.contains("  contact.postal_address.city:\n"), "{root}");
    assert!(
        root.contains("label: { en: User Contact Street }"),
        "{root}"
    );
}
