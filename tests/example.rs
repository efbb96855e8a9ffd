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
    // Nothing left to report; the one accepted finding is suppressed, with its reason.
    let findings = v["findings"].as_array().unwrap();
    assert!(
        findings.iter().all(|f| !f["suppressed"].is_null()),
        "unsuppressed: {findings:#?}"
    );
    let suppressed: Vec<(&str, &str)> = findings
        .iter()
        .map(|f| (f["rule"].as_str().unwrap(), f["target"].as_str().unwrap()))
        .collect();
    assert_eq!(
        suppressed,
        [("PIPL-ART55-PIPIA-REQUIRED", "purposes.staff_administration")]
    );
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

// ---------------------------------------------------------------------------------------
// The second example, examples/chayu: a tea-drink chain in mainland China under the PIPL
// alone (app, WeChat mini program, stores; children under 14; an export to a US
// processor).

fn chayu() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/chayu")
}

fn json(stdout: &str) -> serde_json::Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("{e}:\n{stdout}"))
}

#[test]
fn chayu_checks_clean_with_the_pipl_applying_through_its_shanghai_establishment() {
    let (code, stdout, stderr) = lawful(
        &["check", "--format", "json", "--fail-on", "info"],
        &chayu(),
    );
    assert_eq!(code, 0, "{stdout}{stderr}");
    let v = json(&stdout);
    let regime = |name: &str| {
        v["regimes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["regime"] == name)
            .unwrap_or_else(|| panic!("no regime {name} in {v}"))
            .clone()
    };
    let pipl = regime("pipl");
    assert_eq!(pipl["applies"], true, "{pipl}");
    assert_eq!(
        pipl["reason"],
        "processing in mainland China through the establishment in CN (PIPL Art 3(1))"
    );
    assert_eq!(regime("gdpr")["applies"], false);
    assert_eq!(regime("ccpa")["applies"], false);

    // Nothing left to report, and nothing suppressed.
    let findings = v["findings"].as_array().unwrap();
    assert!(findings.is_empty(), "findings: {findings:#?}");
}

#[test]
fn every_pipl_rule_runs_on_chayu_and_none_fails() {
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(["rules", "--format", "json", "--select", "PIPL-"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rules = json(&String::from_utf8(out.stdout).unwrap());
    let ids: Vec<&str> = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(ids.len() >= 20, "only {} PIPL rules: {ids:?}", ids.len());

    // JUnit has one test case per rule that ran, with a <failure> when it found something.
    let (code, junit, stderr) = lawful(&["check", "--format", "junit"], &chayu());
    assert_eq!(code, 0, "{junit}{stderr}");
    for id in &ids {
        let case = format!("<testcase name=\"{id}\" classname=\"lawful.PIPL\"");
        let at = junit
            .find(&case)
            .unwrap_or_else(|| panic!("{id} did not run on the example:\n{junit}"));
        assert!(
            junit[at..].starts_with(&format!("{case}/>")),
            "{id} reports a finding on the example:\n{}",
            &junit[at..]
        );
    }
}

#[test]
fn chayus_push_audience_to_braze_is_the_one_pipl_export() {
    let (code, stdout, stderr) = lawful(&["graph", "--format", "json"], &chayu());
    assert_eq!(code, 0, "{stderr}");
    let v = json(&stdout);
    let exports: Vec<(&str, &str)> = v["flows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["pipl_export"] == true)
        .map(|f| (f["from"].as_str().unwrap(), f["to"].as_str().unwrap()))
        .collect();
    assert_eq!(exports, [("push_audience", "crm_platform")]);
}

#[test]
fn chayus_export_volume_is_read_against_the_cac_2024_thresholds() {
    // 620,000 members a year need at least the standard contract: claiming the
    // small-volume exemption instead is reported at the flow.
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&chayu(), dir.path());
    let flows = dir.path().join("flows.yaml");
    let text = std::fs::read_to_string(&flows).unwrap();
    let broken = text.replacen(
        "      pipl: standard_contract",
        "      pipl: exempt_cac2024_art5_4",
        1,
    );
    assert_ne!(
        text, broken,
        "the example no longer has the line this test edits"
    );
    std::fs::write(&flows, broken).unwrap();

    let (code, stdout, _) = lawful(&["check", "--format", "json"], dir.path());
    assert_eq!(code, 1, "{stdout}");
    let v = json(&stdout);
    let hits: Vec<&serde_json::Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .collect();
    assert_eq!(hits.len(), 1, "{hits:#?}");
    assert_eq!(hits[0]["rule"], "PIPL-CAC2024-XBORDER-VOLUME-THRESHOLD");
    assert_eq!(hits[0]["target"], "flows.push_to_braze");
    assert_eq!(hits[0]["location"]["file"], "flows.yaml");
    insta::assert_snapshot!(hits[0]["message"].as_str().unwrap());
}

#[test]
fn chayus_committed_generated_output_is_current() {
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("generated/chayu");
    let (code, _, stderr) = lawful(
        &["build", "--check", "--out", out.to_str().unwrap()],
        &chayu(),
    );
    assert_eq!(
        code, 0,
        "generated/chayu is stale; run `cargo run -- build examples/chayu --out generated/chayu`\n{stderr}"
    );
}
