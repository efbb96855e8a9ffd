//! The integration files (action.yml, .pre-commit-hooks.yaml) parse, and the commands they
//! run are ones lawful accepts.

use std::path::Path;
use std::process::Command;

fn yaml(path: &str) -> serde_json::Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_action_runs_check_with_options_lawful_accepts() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    let steps = action["runs"]["steps"].as_array().unwrap();
    let check = steps
        .iter()
        .find(|s| s["id"] == "check")
        .expect("a check step");
    let run = check["run"].as_str().unwrap();
    for opt in ["--format github", "--fail-on", "--sarif-file"] {
        assert!(run.contains(opt), "{run}");
    }
    // The same options on a real project: annotations on stdout, SARIF in the file.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("lawful.yaml"),
        "organization: { name: X, establishments: [DE] }\npurposes:\n  p: { categories: [contact] }\n",
    )
    .unwrap();
    let sarif = dir.path().join("lawful.sarif");
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args([
            "check",
            "--format",
            "github",
            "--fail-on",
            "error",
            "--sarif-file",
        ])
        .arg(&sarif)
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stdout).contains("::error "));
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(v["version"], "2.1.0");
}

#[test]
fn the_pre_commit_hooks_name_real_commands() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let entries: Vec<&str> = hooks
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["entry"].as_str().unwrap())
        .collect();
    assert_eq!(entries, ["lawful check", "lawful build --check"]);
    for h in hooks.as_array().unwrap() {
        assert_eq!(h["language"], "rust");
        assert_eq!(h["pass_filenames"], false);
    }
}
