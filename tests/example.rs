//! The worked example: it checks clean, and breaking it is reported where a user would look.

use std::path::{Path, PathBuf};
use std::process::Command;

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sakila")
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

fn lawful(args: &[&str], dir: &Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(args)
        .arg(dir)
        .env("NO_COLOR", "1")
        .env("LAWFUL_TODAY", "2026-11-29")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

#[test]
fn the_example_checks_clean_under_all_three_regimes() {
    let (code, stdout, stderr) = lawful(
        &["check", "--format", "json", "--fail-on", "info"],
        &example(),
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for r in v["regimes"].as_array().unwrap() {
        assert_eq!(r["applies"], true, "{r}");
    }
    assert_eq!(v["findings"].as_array().unwrap().len(), 0);
}

#[test]
fn removing_a_purposes_gdpr_basis_is_reported_at_that_purpose_and_fails() {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&example(), dir.path());
    let purposes = dir.path().join("purposes.yaml");
    let text = std::fs::read_to_string(&purposes).unwrap();
    let broken = text.replacen(
        "legal_basis: { gdpr: contract, pipl: contract_or_hr, ccpa: business_purpose }",
        "legal_basis: { pipl: contract_or_hr, ccpa: business_purpose }",
        1,
    );
    assert_ne!(
        text, broken,
        "the example no longer has the line this test edits"
    );
    std::fs::write(&purposes, broken).unwrap();
    let line = text
        .lines()
        .position(|l| l.trim_end() == "  rental_service:")
        .unwrap()
        + 1;

    let (code, stdout, _) = lawful(&["check", "--format", "json"], dir.path());
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let findings = v["findings"].as_array().unwrap();
    let f = findings
        .iter()
        .find(|f| f["rule"] == "GDPR-ART6-LAWFUL-BASIS")
        .expect("GDPR-ART6-LAWFUL-BASIS reported");
    assert_eq!(f["location"]["file"], "purposes.yaml");
    assert_eq!(f["location"]["line"], line);
    assert_eq!(f["location"]["column"], 3);
    assert!(f["message"].as_str().unwrap().contains("rental_service"));

    let (code, stdout, _) = lawful(&["check"], dir.path());
    assert_eq!(code, 1);
    assert!(
        stdout.contains(&format!("[purposes.yaml:{line}:3]")),
        "the human report points at the purpose:\n{stdout}"
    );
}

#[test]
fn committed_generated_output_is_current() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/sakila");
    let (code, _, stderr) = lawful(
        &["build", "--check", "--out", out.to_str().unwrap()],
        &example(),
    );
    assert_eq!(
        code, 0,
        "generated/sakila is stale; run `cargo run -- build examples/sakila --out generated/sakila`\n{stderr}"
    );
}
