//! Severity control: the project's `rules:` section and `--select` / `--ignore`.

use std::path::Path;
use std::process::Command;

const PROJECT: &str = "
organization: { name: X GmbH, establishments: [DE, CN] }
purposes:
  p: { categories: [contact] }
";

fn check(dir: &Path, args: &[&str]) -> (i32, Vec<(String, String)>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(["check", "--format", "json"])
        .args(args)
        .arg(dir)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    let findings = serde_json::from_str::<serde_json::Value>(&stdout)
        .ok()
        .map(|v| {
            v["findings"]
                .as_array()
                .unwrap()
                .iter()
                .map(|f| {
                    (
                        f["rule"].as_str().unwrap().to_string(),
                        f["severity"].as_str().unwrap().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    (out.status.code().unwrap_or(-1), findings, stderr)
}

fn project(extra: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("lawful.yaml"), format!("{PROJECT}{extra}")).unwrap();
    dir
}

fn has(f: &[(String, String)], rule: &str, sev: &str) -> bool {
    f.iter().any(|(r, s)| r == rule && s == sev)
}

#[test]
fn by_default_both_regimes_report_the_missing_bases_as_errors() {
    let d = project("");
    let (code, f, _) = check(d.path(), &[]);
    assert_eq!(code, 1);
    assert!(has(&f, "GDPR-ART6-LAWFUL-BASIS", "error"), "{f:?}");
    assert!(has(&f, "PIPL-ART13-LAWFUL-BASIS", "error"), "{f:?}");
}

#[test]
fn the_rules_section_turns_a_rule_off_or_changes_its_severity() {
    // The rights rules are lowered too, so that only the two rules under test decide.
    let d = project(
        "rules:\n  GDPR-ART6-LAWFUL-BASIS: off\n  PIPL-ART13-LAWFUL-BASIS: warning\n  GDPR-ART15-21-RIGHTS-COVERAGE: warning\n  PIPL-ART44-50-RIGHTS-COVERAGE: warning\n",
    );
    let (code, f, err) = check(d.path(), &[]);
    assert!(
        !f.iter().any(|(r, _)| r == "GDPR-ART6-LAWFUL-BASIS"),
        "{f:?}"
    );
    assert!(has(&f, "PIPL-ART13-LAWFUL-BASIS", "warning"), "{f:?}");
    assert_eq!(code, 0, "only warnings are left: {f:?} {err}");
    let (code, _, _) = check(d.path(), &["--fail-on", "warning"]);
    assert_eq!(code, 1);
}

#[test]
fn select_and_ignore_take_ids_and_prefixes() {
    let d = project("");
    let (_, f, _) = check(d.path(), &["--select", "PIPL-"]);
    assert!(
        !f.is_empty() && f.iter().all(|(r, _)| r.starts_with("PIPL-")),
        "{f:?}"
    );
    let (_, f, _) = check(d.path(), &["--ignore", "pipl-,CORE"]);
    assert!(
        f.iter()
            .all(|(r, _)| !r.starts_with("PIPL-") && !r.starts_with("CORE")),
        "{f:?}"
    );
    assert!(has(&f, "GDPR-ART6-LAWFUL-BASIS", "error"), "{f:?}");
}

#[test]
fn an_unknown_rule_is_an_error_with_a_suggestion() {
    let d = project("");
    let (code, _, err) = check(d.path(), &["--select", "GDPR-ART6-LAWFUL-BASES"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("did you mean GDPR-ART6-LAWFUL-BASIS?"),
        "{err}"
    );

    let d = project("rules:\n  GDPR-ART6-LAWFUL-BASES: off\n");
    let (code, _, err) = check(d.path(), &[]);
    assert_eq!(code, 2);
    assert!(
        err.contains("did you mean `GDPR-ART6-LAWFUL-BASIS`?"),
        "{err}"
    );
    assert!(err.contains("lawful.yaml:6:3"), "{err}");
}
