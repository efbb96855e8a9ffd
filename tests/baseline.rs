//! Baselines: accepted findings keyed by a fingerprint that survives unrelated edits.

use std::path::Path;
use std::process::Command;

fn run(dir: &Path, args: &[&str]) -> (i32, serde_json::Value, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(["check", "--format", "json"])
        .args(args)
        .arg(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let v = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.code().unwrap_or(-1),
        v,
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

const PROJECT: &str = "organization: { name: X GmbH, establishments: [DE] }
# Only the lawful-basis finding matters to these tests.
rules: { GDPR-ART15-21-RIGHTS-COVERAGE: off, GDPR-ART30-RECORDS-OF-PROCESSING: off }
purposes:
  marketing: { categories: [contact.email] }
";

#[test]
fn a_baselined_finding_stays_baselined_when_lines_are_inserted_above_it() {
    let dir = tempfile::tempdir().unwrap();
    let proj = dir.path().join("p");
    std::fs::create_dir(&proj).unwrap();
    std::fs::write(proj.join("lawful.yaml"), PROJECT).unwrap();
    let base = dir.path().join("baseline.json");

    let (code, before, _) = run(&proj, &[]);
    assert_eq!(code, 1);
    let fp = before["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    let line = before["findings"][0]["location"]["line"].as_u64().unwrap();

    let (code, _, err) = run(&proj, &["--write-baseline", base.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");

    // Insert comment lines and an unrelated purpose above the baselined one.
    std::fs::write(
        proj.join("lawful.yaml"),
        PROJECT.replace(
            "purposes:\n",
            "# a comment\n\npurposes:\n  support: { legal_basis: { gdpr: contract }, necessity: { en: Answering the customer. }, categories: [contact.email] }\n",
        ),
    )
    .unwrap();
    let (code, after, err) = run(&proj, &["--baseline", base.to_str().unwrap()]);
    assert_eq!(code, 0, "the old finding is baselined: {after} {err}");
    let f = &after["findings"][0];
    assert_eq!(
        f["fingerprint"],
        fp.as_str(),
        "the fingerprint did not move"
    );
    assert!(
        f["location"]["line"].as_u64().unwrap() > line,
        "the line did move"
    );
    assert_eq!(after["summary"]["baselined"], 1);

    // A new finding is reported.
    std::fs::write(
        proj.join("lawful.yaml"),
        format!("{PROJECT}  analytics: {{ categories: [device.ip_address] }}\n"),
    )
    .unwrap();
    let (code, v, _) = run(&proj, &["--baseline", base.to_str().unwrap()]);
    assert_eq!(code, 1);
    let live: Vec<_> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .collect();
    assert_eq!(live.len(), 1, "{v}");
    assert!(live[0]["message"].as_str().unwrap().contains("analytics"));
}

#[test]
fn a_corrupt_or_foreign_baseline_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lawful.yaml"), PROJECT).unwrap();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        "{ \"version\": 1, \"findings\": [ { \"rule\": 3 } ] }",
    )
    .unwrap();
    let (code, _, err) = run(dir.path(), &["--baseline", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(
        err.contains("bad.json:1:") && err.contains("not a lawful baseline"),
        "{err}"
    );

    std::fs::write(&bad, "{ \"version\": 7, \"findings\": [] }").unwrap();
    let (code, _, err) = run(dir.path(), &["--baseline", bad.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("baseline version 7 is not supported"), "{err}");

    let (code, _, err) = run(dir.path(), &["--baseline", "/nonexistent/b.json"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read the baseline"), "{err}");
}
