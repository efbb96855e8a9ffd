//! Malformed projects: each is written to a temporary folder and checked by the real
//! binary. A project that cannot be read exits with 2, never panics, and every problem
//! points at its file, line and column. Inputs that look malformed but are valid (a
//! byte-order mark, `NO` for Norway, an empty file) are read normally.

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

/// Write `files` (path relative to the project root, content) into a new folder.
fn project(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, content).expect("write");
    }
    dir
}

fn lawful(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lawful"))
        .arg("check")
        .arg(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env("LAWFUL_TODAY", "2026-11-29")
        .output()
        .expect("lawful runs")
}

/// Check a project that must be refused: exit code 2, no panic. Returns stderr with the
/// temporary folder's path replaced by `[DIR]`.
fn refused(dir: &Path) -> String {
    let out = lawful(dir, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr).replace(&dir.display().to_string(), "[DIR]");
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit code 2\nstderr:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "lawful panicked:\n{stderr}");
    assert!(
        stderr.contains("the project could not be read"),
        "no summary line:\n{stderr}"
    );
    stderr
}

/// Assert that `stderr` points at `file:line:col`.
#[track_caller]
fn points_at(stderr: &str, place: &str) {
    assert!(
        stderr.contains(&format!("[{place}]")) || stderr.contains(&format!("{place}:")),
        "expected a pointer to {place} in:\n{stderr}"
    );
}

fn refuse_one(yaml: &str) -> String {
    let dir = project(&[("lawful.yaml", yaml.as_bytes())]);
    refused(dir.path())
}

#[test]
fn duplicate_keys_in_a_mapping() {
    let err = refuse_one(
        "purposes:\n  marketing:\n    title: { en: Marketing }\n  marketing:\n    title: { en: Newsletters }\n",
    );
    points_at(&err, "lawful.yaml:4:3");
    assert!(err.contains("appears twice"));
    insta::assert_snapshot!(err);
}

#[test]
fn same_id_in_two_files_is_reported_at_both_places() {
    let dir = project(&[
        ("lawful.yaml", b"systems:\n  shop_backend: { owner: web }\n"),
        (
            "teams/payments.yaml",
            b"# payments team\nsystems:\n  shop_backend: { owner: payments }\n",
        ),
    ]);
    let err = refused(dir.path());
    points_at(&err, "teams/payments.yaml:3:3");
    points_at(&err, "lawful.yaml:2:3");
    assert!(err.contains("system `shop_backend` is declared twice"));
    insta::assert_snapshot!(err);
}

#[test]
fn dataset_id_equal_to_recipient_id() {
    let err = refuse_one(
        "datasets:\n  stripe:\n    title: { en: Payments }\nrecipients:\n  stripe:\n    name: Stripe Payments Europe Ltd\n",
    );
    points_at(&err, "lawful.yaml:5:3");
    assert!(err.contains("both a dataset and a recipient"));
    // Both declarations are labelled.
    assert!(err.contains("dataset declared here") && err.contains("recipient declared here"));
    insta::assert_snapshot!(err);
}

#[test]
fn merge_keys_are_refused() {
    let err = refuse_one(
        "purposes:\n  billing: &base\n    title: { en: Billing }\n  invoicing:\n    <<: *base\n",
    );
    points_at(&err, "lawful.yaml:5:5");
    assert!(err.contains("merge keys (`<<`) are not supported"));
    insta::assert_snapshot!(err);
}

/// A byte-order mark is accepted, and does not shift line or column numbers.
#[test]
fn byte_order_mark_is_accepted_and_lines_stay_right() {
    let dir = project(&[(
        "lawful.yaml",
        "\u{feff}organization: { name: Beispiel GmbH, establishments: [DE] }\npurposes:\n  newsletter:\n    title: { en: Newsletter }\n"
            .as_bytes(),
    )]);
    let out = lawful(dir.path(), &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let finding = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "GDPR-ART6-LAWFUL-BASIS")
        .expect("a purpose without a GDPR basis is reported");
    assert_eq!(finding["location"]["file"], "lawful.yaml");
    assert_eq!(finding["location"]["line"], 3);
    assert_eq!(finding["location"]["column"], 3);
}

#[test]
fn tab_indentation() {
    let err = refuse_one("systems:\n\tshop_backend: {}\n");
    points_at(&err, "lawful.yaml:2:1");
    assert!(err.contains("YAML syntax error"));
    assert!(err.contains("spaces"));
    insta::assert_snapshot!(err);
}

/// `NO` is Norway (YAML 1.2), never the boolean `false`: an establishment there brings
/// the GDPR into scope.
#[test]
fn no_is_norway() {
    let dir = project(&[(
        "lawful.yaml",
        b"organization:\n  name: Eksempel AS\n  establishments: [NO]\nsubjects:\n  customers:\n    lives_in: [NO, EEA]\n",
    )]);
    let out = lawful(dir.path(), &["--format", "json"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_ne!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json report");
    let gdpr = json["regimes"]
        .as_array()
        .expect("regimes")
        .iter()
        .find(|r| r["regime"] == "gdpr")
        .expect("gdpr");
    assert_eq!(gdpr["applies"], true);
    assert_eq!(gdpr["reason"], "establishment in NO (GDPR Art 3(1))");
}

#[test]
fn wrong_country_codes_suggest_the_iso_code() {
    let dir = project(&[
        ("lawful.yaml", b"version: 1\n"),
        ("systems/uk.yaml", b"systems:\n  london:\n    country: UK\n"),
        (
            "systems/ger.yaml",
            b"systems:\n  berlin:\n    country: GER\n",
        ),
        ("systems/el.yaml", b"systems:\n  athens:\n    country: EL\n"),
        (
            "systems/lower.yaml",
            b"systems:\n  munich:\n    country: de\n",
        ),
    ]);
    let err = refused(dir.path());
    for (file, suggestion) in [
        ("systems/uk.yaml", "did you mean `GB` (United Kingdom)?"),
        ("systems/ger.yaml", "did you mean `DE` (Germany)?"),
        ("systems/el.yaml", "did you mean `GR` (Greece)?"),
        ("systems/lower.yaml", "write `DE`"),
    ] {
        points_at(&err, &format!("{file}:3:14"));
        assert!(err.contains(suggestion), "{suggestion} missing:\n{err}");
    }
    assert!(err.contains("(4 problems)"));
    insta::assert_snapshot!(err);
}

/// The billion laughs: nine levels of nine aliases. It must be refused before it expands.
#[test]
fn alias_bomb_is_refused() {
    let mut yaml =
        String::from("subjects:\n  l0:\n    lives_in: &l0 [DE, DE, DE, DE, DE, DE, DE, DE, DE]\n");
    for i in 1..9 {
        let refs = vec![format!("*l{}", i - 1); 9].join(", ");
        yaml.push_str(&format!("  l{i}:\n    lives_in: &l{i} [{refs}]\n"));
    }
    let err = refuse_one(&yaml);
    assert!(err.contains("YAML refused"), "{err}");
    assert!(err.contains("alias bomb"), "{err}");
    // l4 is the first level whose expansion passes the limit: 9^5 > 10,000.
    points_at(&err, "lawful.yaml:11:20");
    insta::assert_snapshot!(err);
}

#[test]
fn fifty_levels_of_nesting_are_refused() {
    let mut yaml = String::from("systems:\n");
    for depth in 1..=50 {
        yaml.push_str(&format!("{}level{depth}:\n", "  ".repeat(depth)));
    }
    yaml.push_str(&format!("{}end: true\n", "  ".repeat(51)));
    let err = refuse_one(&yaml);
    assert!(err.contains("nested more than 48 levels deep"), "{err}");
    // Refused where the 49th collection opens, not at some unknown key on the way.
    points_at(&err, "lawful.yaml:49:97");
    assert!(!err.contains("unknown key"));
}

#[test]
fn fifty_nested_flow_lists_are_refused() {
    let yaml = format!(
        "purposes:\n  a:\n    categories: {}{}\n",
        "[".repeat(50),
        "]".repeat(50)
    );
    let err = refuse_one(&yaml);
    assert!(err.contains("nested more than 48 levels deep"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn empty_files_are_accepted() {
    let dir = project(&[
        ("lawful.yaml", b""),
        ("notes.yaml", b"# nothing here yet\n\n"),
        (
            "datasets.yaml",
            b"datasets:\n  # customers: moved to the new shop\nsystems:\n",
        ),
    ]);
    let out = lawful(dir.path(), &[]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("in 3 files"), "{stdout}");
}

#[test]
fn a_file_that_is_not_utf8_is_named() {
    let dir = project(&[
        ("lawful.yaml", b"version: 1\n"),
        ("datasets/legacy.yaml", b"datasets:\n  caf\xe9: {}\n"),
    ]);
    let err = refused(dir.path());
    points_at(&err, "datasets/legacy.yaml:2:6");
    assert!(err.contains("not UTF-8"));
    insta::assert_snapshot!(err);
}

#[test]
fn ids_with_spaces_or_backslashes() {
    let err = refuse_one(
        "systems:\n  \"shop backend\": {}\n  'crm\\legacy': {}\ndatasets:\n  orders:\n    fields:\n      \"order id\": {}\n",
    );
    points_at(&err, "lawful.yaml:2:3");
    points_at(&err, "lawful.yaml:3:3");
    points_at(&err, "lawful.yaml:7:7");
    assert!(
        err.contains("`shop backend` is not a valid system id"),
        "{err}"
    );
    assert!(
        err.contains("`crm\\legacy` is not a valid system id"),
        "{err}"
    );
    assert!(
        err.contains("`order id` is not a valid field name"),
        "{err}"
    );
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_section_suggests_the_closest() {
    let err = refuse_one("purpose:\n  marketing: {}\n");
    points_at(&err, "lawful.yaml:1:1");
    assert!(err.contains("unknown key `purpose`"));
    assert!(err.contains("did you mean `purposes`?"));
    insta::assert_snapshot!(err);
}

#[test]
fn unknown_key_suggests_the_closest() {
    let err = refuse_one("systems:\n  shop_backend:\n    ownr: web-team\n");
    points_at(&err, "lawful.yaml:3:5");
    assert!(err.contains("did you mean `owner`?"));
    insta::assert_snapshot!(err);
}

#[test]
fn misspelt_category() {
    let err = refuse_one("purposes:\n  newsletter:\n    categories: [contact.emial]\n");
    points_at(&err, "lawful.yaml:3:18");
    assert!(err.contains("did you mean `contact.email`?"));
    insta::assert_snapshot!(err);
}

#[test]
fn dangling_reference_suggests_the_closest() {
    let err = refuse_one(
        "datasets:\n  customers: {}\nrecipients:\n  parcel_carrier:\n    name: DHL Paket GmbH\nflows:\n  - from: customers\n    to: parcel_carier\n",
    );
    points_at(&err, "lawful.yaml:8:9");
    assert!(err.contains("unknown node `parcel_carier`"));
    assert!(err.contains("did you mean `parcel_carrier`?"));
    insta::assert_snapshot!(err);
}

#[test]
fn unclosed_bracket_is_a_syntax_error() {
    let err =
        refuse_one("purposes:\n  newsletter:\n    categories: [contact.email\n  billing: {}\n");
    assert!(err.contains("YAML syntax error"), "{err}");
    assert!(!err.contains("missing"), "{err}");
    points_at(&err, "lawful.yaml:4:10");
    assert!(err.contains("the `[` opened at line 3, column 17 is not closed"));
    insta::assert_snapshot!(err);
}

/// A file with two documents is refused whole: nothing of the first document reaches the
/// model (its dangling reference is never reported).
#[test]
fn two_documents_are_refused_whole() {
    let err = refuse_one(
        "flows:\n  - from: nowhere\n    to: nobody\n---\nsystems:\n  shop_backend: {}\n",
    );
    points_at(&err, "lawful.yaml:4:1");
    assert!(err.contains("more than one YAML document"));
    assert!(err.contains("(1 problem)"));
    assert!(!err.contains("nowhere"));
    insta::assert_snapshot!(err);
}

#[test]
fn bad_duration_suggests_iso_8601() {
    let err = refuse_one("purposes:\n  billing:\n    retention: 3 years\n");
    points_at(&err, "lawful.yaml:3:16");
    assert!(err.contains("did you mean `P3Y`?"));
    insta::assert_snapshot!(err);
}

#[test]
fn bad_dates() {
    let dir = project(&[
        (
            "lawful.yaml",
            b"suppressions:\n  - rule: CORE-RETENTION-DECLARED\n    target: datasets.logs\n    reason: reviewed with the DPO\n    expires: 2026-02-30\n",
        ),
        (
            "more.yaml",
            b"suppressions:\n  - rule: CORE-RETENTION-DECLARED\n    target: datasets.logs\n    reason: reviewed with the DPO\n    expires: 31/12/2026\n",
        ),
    ]);
    let err = refused(dir.path());
    points_at(&err, "lawful.yaml:5:14");
    points_at(&err, "more.yaml:5:14");
    assert!(err.contains("`2026-02-30` is not a valid calendar date"));
    assert!(err.contains("write `YYYY-MM-DD`"));
    insta::assert_snapshot!(err);
}

#[test]
fn yes_is_not_a_boolean() {
    let err = refuse_one(
        "datasets:\n  customers: {}\nrecipients:\n  ads:\n    name: Ad Network Inc\nflows:\n  - from: customers\n    to: ads\n    sale: yes\n",
    );
    points_at(&err, "lawful.yaml:9:11");
    assert!(err.contains("`yes` is not a boolean"));
    assert!(err.contains("write `true` or `false`"));
    insta::assert_snapshot!(err);
}

#[test]
fn a_single_value_where_a_list_belongs() {
    let err = refuse_one("purposes:\n  newsletter:\n    categories: contact.email\n");
    points_at(&err, "lawful.yaml:3:17");
    assert!(err.contains("expected a list here, found `contact.email`"));
    insta::assert_snapshot!(err);
}

#[test]
fn an_empty_list_section_needs_brackets() {
    let err = refuse_one("flows:\n");
    points_at(&err, "lawful.yaml:1:6");
    assert!(err.contains("expected a list here, found nothing"), "{err}");
    assert!(err.contains("`[]` for none"), "{err}");
}

#[test]
fn missing_lawful_yaml() {
    let dir = project(&[("datasets/customers.yaml", b"datasets:\n  customers: {}\n")]);
    let err = refused(dir.path());
    assert!(err.contains("`[DIR]` has no `lawful.yaml`"), "{err}");
    insta::assert_snapshot!(err);
}

#[test]
fn dir_that_does_not_exist() {
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("nope");
    let out = lawful(&missing, &[]);
    let err =
        String::from_utf8_lossy(&out.stderr).replace(&dir.path().display().to_string(), "[TMP]");
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(!err.contains("panicked"));
    assert!(err.contains("`[TMP]/nope` does not exist"), "{err}");
    insta::assert_snapshot!(err);
}

/// Every problem of every file is reported in one run, in a stable order.
#[test]
fn every_file_is_reported_in_one_run() {
    let dir = project(&[
        ("lawful.yaml", b"purpose:\n  a: {}\n"),
        ("b.yaml", b"systems:\n\tx: {}\n"),
        ("c/d.yaml", b"purposes:\n  a:\n    retention: 30 days\n"),
    ]);
    let err = refused(dir.path());
    assert!(err.contains("(3 problems)"), "{err}");
    let a = err.find("[lawful.yaml:1:1]").expect("lawful.yaml");
    let b = err.find("[b.yaml:2:1]").expect("b.yaml");
    let c = err.find("[c/d.yaml:3:16]").expect("c/d.yaml");
    assert!(a < b && b < c, "files in order:\n{err}");
    assert!(err.contains("did you mean `P30D`?"));
}

#[test]
fn empty_text_is_refused_rather_than_counted_as_declared() {
    // An empty link would otherwise satisfy the CCPA opt-out link rule.
    let err = refuse_one("organization:\n  name: Shop\n  optout:\n    dnss_link: \"  \"\n");
    points_at(&err, "lawful.yaml:4:16");
    assert!(err.contains("empty text"), "{err}");
}

#[test]
fn a_handler_key_without_a_value_is_refused_rather_than_dropped() {
    let err = refuse_one("rights:\n  access:\n  erasure: { sla: P1M }\n");
    assert!(err.contains("no value"), "{err}");
    assert!(err.contains("`{}`"), "{err}");
    points_at(&err, "lawful.yaml:2:9");
}

#[test]
fn business_day_deadlines_are_written_one_way() {
    let err = refuse_one("rights:\n  access: { sla: 15 Business Days }\n");
    assert!(err.contains("did you mean `15"), "{err}");
    assert!(err.contains("business days`?"), "{err}");
    points_at(&err, "lawful.yaml:2:18");
}

#[test]
fn an_assessment_reviewed_before_it_was_done() {
    let err = refuse_one(
        "purposes:\n  p1:\n    legal_basis: { gdpr: contract }\nassessments:\n  a1:\n    kind: dpia\n    purposes: [p1]\n    done_on: 2026-01-10\n    review_by: 2025-01-10\n",
    );
    points_at(&err, "lawful.yaml:9:16");
    assert!(err.contains("before it was done on 2026-01-10"), "{err}");
}

#[test]
fn a_template_override_that_does_not_parse_is_reported_by_check() {
    let dir = project(&[
        (
            "lawful.yaml",
            b"organization:\n  name: X\n  establishments: [DE]\n",
        ),
        (
            "templates/gdpr_art13.en.md.hbs",
            b"# Notice\n\n{{#each purposes}}\n- {{title}}\n",
        ),
        ("templates/gdpr_art13.en.hbs", b"# misspelt\n"),
    ]);
    let out = lawful(dir.path(), &[]);
    let stderr = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("templates/gdpr_art13.en.md.hbs:5:1"),
        "{stderr}"
    );
    assert!(stderr.contains("unclosed block"), "{stderr}");
    assert!(stderr.contains("does not parse"), "{stderr}");
    assert!(
        stderr.contains("overrides no built-in template"),
        "{stderr}"
    );
    assert!(
        stderr.contains("did you mean `gdpr_art13.en.md.hbs`?"),
        "{stderr}"
    );
}
