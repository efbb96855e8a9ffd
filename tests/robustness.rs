//! Inputs an adversarial tester used to get past the loader and resolver: each is now a
//! located error (exit 2) or, for stale suppressions, a warning.

use std::path::Path;
use std::process::Command;

fn write(dir: &Path, files: &[(&str, &[u8])]) {
    for (name, text) in files {
        let p = dir.join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
}

fn check(dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(["check", "--format", "json"])
        .arg(dir)
        .env("NO_COLOR", "1")
        .env("LAWFUL_TODAY", "2026-11-29")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

fn refused(files: &[(&str, &[u8])], expect: &str) {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), files);
    let (code, _, err) = check(dir.path());
    assert_eq!(code, 2, "expected exit 2 for {expect:?}:\n{err}");
    assert!(err.contains(expect), "expected {expect:?} in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
}

const ORG: &str = "organization: { name: X GmbH, establishments: [DE] }\n";

#[test]
fn a_cr_only_file_starting_with_a_comment_is_read_not_skipped() {
    refused(
        &[(
            "lawful.yaml",
            b"# Acme\rorganization:\r  name: A\rbogus_key: 1\r",
        )],
        "unknown key `bogus_key`",
    );
}

#[test]
fn yaml_tags_are_refused() {
    refused(
        &[("lawful.yaml", b"organization:\n  name: !!binary aGVsbG8=\n")],
        "YAML tags",
    );
    refused(
        &[("lawful.yaml", b"organization:\n  name: !custom Acme\n")],
        "lawful.yaml:2:9",
    );
}

#[test]
fn duplicate_flow_ids_and_columns_are_reported_at_both_places() {
    let base = format!(
        "{ORG}purposes:\n  p: {{ categories: [contact] }}\ndatasets:\n  d:\n    fields:\n      email: {{ categories: [contact.email] }}\n      email_copy: {{ column: email, categories: [contact.email] }}\nrecipients:\n  r: {{ name: R }}\nflows:\n  - {{ id: f1, from: d, to: r, purposes: [p] }}\n  - {{ id: f1, from: d, to: r, purposes: [p] }}\n"
    );
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), &[("lawful.yaml", base.as_bytes())]);
    let (code, _, err) = check(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("flow `f1` is declared twice"), "{err}");
    assert!(
        err.contains("fields `email` and `email_copy` of dataset `d` both name the column `email`"),
        "{err}"
    );
}

#[test]
fn a_category_extension_cannot_be_less_sensitive_than_its_parent() {
    refused(
        &[(
            "lawful.yaml",
            format!("{ORG}categories:\n  health.diagnosis_x: {{ gdpr_art9: none }}\n").as_bytes(),
        )],
        "less sensitive than its parent",
    );
}

#[test]
fn a_suppression_of_an_unknown_rule_suggests_the_right_one() {
    refused(
        &[(
            "lawful.yaml",
            format!(
                "{ORG}suppressions:\n  - {{ rule: GDPR-ART6-LAWFUL-BASES, target: purposes.p, reason: known, expires: 2027-01-01 }}\n"
            )
            .as_bytes(),
        )],
        "did you mean `GDPR-ART6-LAWFUL-BASIS`?",
    );
}

#[test]
fn expired_and_unused_suppressions_are_warnings_and_suppress_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let text = format!(
        "{ORG}purposes:\n  p: {{ categories: [contact] }}\nsuppressions:\n  - {{ rule: GDPR-ART6-LAWFUL-BASIS, target: purposes.p, reason: old, expires: 2025-01-01 }}\n  - {{ rule: GDPR-ART6-LAWFUL-BASIS, target: purposes.typo, reason: new, expires: 2027-01-01 }}\n"
    );
    write(dir.path(), &[("lawful.yaml", text.as_bytes())]);
    let (code, out, err) = check(dir.path());
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let rules: Vec<(&str, &str, Option<&str>)> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap(),
                f["severity"].as_str().unwrap(),
                f["suppressed"].as_str(),
            )
        })
        .collect();
    assert!(
        rules.contains(&("GDPR-ART6-LAWFUL-BASIS", "error", None)),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("lawful::suppression-expired", "warning", None)),
        "{rules:?}"
    );
    assert!(
        rules.contains(&("lawful::suppression-unused", "warning", None)),
        "{rules:?}"
    );
}

#[test]
fn an_unquoted_null_anonymise_method_means_set_to_null() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[(
            "lawful.yaml",
            b"datasets:\n  d:\n    fields:\n      notes: { categories: [contact.email], anonymise: null }\n",
        )],
    );
    let p = lawful::load(dir.path(), &[]).unwrap();
    let f = &p.model.datasets[0].fields[0];
    assert_eq!(
        f.decl.anonymise.as_ref().map(|a| a.value),
        Some(lawful::manifest::AnonymiseMethod::Null)
    );
}

#[cfg(unix)]
#[test]
fn fifos_and_symlink_loops_are_refused_without_hanging() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("lawful.yaml", ORG.as_bytes()),
            ("real/x.yaml", b"purposes: {}\n"),
        ],
    );
    let fifo = dir.path().join("pipe");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    std::os::unix::fs::symlink(&fifo, dir.path().join("f.yaml")).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.path().join("sub/loop")).unwrap();
    let (code, _, err) = check(dir.path());
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("f.yaml: not a regular file"), "{err}");
    assert!(
        err.contains("sub/loop: this symbolic link leads to a folder"),
        "{err}"
    );
}

#[test]
fn a_symlinked_folder_is_read_as_part_of_the_project() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        &[
            ("lawful.yaml", ORG.as_bytes()),
            ("elsewhere/x.yaml", b"bogus: 1\n"),
        ],
    );
    let proj = dir.path().join("proj");
    std::fs::create_dir(&proj).unwrap();
    std::fs::copy(dir.path().join("lawful.yaml"), proj.join("lawful.yaml")).unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(dir.path().join("elsewhere"), proj.join("linked")).unwrap();
    let (code, _, err) = check(&proj);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("linked/x.yaml"), "{err}");
}
