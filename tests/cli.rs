//! Whole-CLI tests: `lawful` run as a process, its exit code and output.

use std::path::Path;
use std::process::{Command, Output};

use tempfile::TempDir;

fn lawful(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("LAWFUL_TODAY", "2026-11-29")
        .output()
        .expect("lawful runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn project(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, content).expect("write");
    }
    dir
}

fn check(dir: &Path, extra: &[&str]) -> Output {
    let d = dir.to_str().expect("utf-8 path");
    let mut args = vec!["check", d];
    args.extend_from_slice(extra);
    lawful(&args)
}

/// A tiny project no rule has anything to say about: no regime applies (the organisation
/// is in Switzerland, its customers too), nothing is collected.
const CLEAN: &str = "\
organization:
  name: Beispiel AG
  establishments: [CH]
subjects:
  customers:
    title: { en: Customers }
    lives_in: [CH]
";

/// A German shop with a purpose that has no GDPR basis, on line 6.
const NO_BASIS: &str = "\
organization:
  name: Beispiel GmbH
  establishments: [DE]
purposes:
  # the basis is missing
  newsletter:
    title: { en: Newsletter }
";

#[test]
fn version_exits_0() {
    let o = lawful(&["--version"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o).trim(),
        format!("lawful {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn unknown_command_exits_2() {
    let o = lawful(&["chek"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("check"), "{}", stderr(&o));
}

#[test]
fn rules_lists_the_lawful_basis_rule() {
    let o = lawful(&["rules"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.starts_with("GDPR-ART6-LAWFUL-BASIS "))
        .unwrap_or_else(|| panic!("GDPR-ART6-LAWFUL-BASIS not listed:\n{out}"));
    assert!(line.contains("error"), "{line}");
    assert!(line.contains("no GDPR legal basis"), "{line}");
}

#[test]
fn rules_json_lists_every_rule_once() {
    let o = lawful(&["rules", "--json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let ids: Vec<&str> = v
        .as_array()
        .expect("array")
        .iter()
        .map(|r| r["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&"GDPR-ART6-LAWFUL-BASIS"));
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate rule ids: {ids:?}");
}

#[test]
fn explain_prints_the_article_case_insensitively() {
    let o = lawful(&["explain", "gdpr-art6-lawful-basis"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("# GDPR-ART6-LAWFUL-BASIS\n"), "{out}");
    assert!(
        out.contains("| source | GDPR Art 6(1)(a)–(f); Art 5(1)(a) |"),
        "{out}"
    );
    assert!(out.contains("https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_6"));
    assert!(out.contains("## Why") && out.contains("## Fix"));
}

#[test]
fn explain_unknown_rule_exits_2_with_a_suggestion() {
    let o = lawful(&["explain", "NOPE"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stdout(&o).is_empty());
    let err = stderr(&o);
    assert!(err.contains("no rule `NOPE`"), "{err}");
    assert!(err.contains("`lawful rules` lists them"), "{err}");
    let o = lawful(&["explain", "GDPR-ART6-LAWFUL-BASES"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("did you mean GDPR-ART6-LAWFUL-BASIS?"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn check_clean_project_exits_0() {
    let dir = project(&[("lawful.yaml", CLEAN)]);
    let o = check(dir.path(), &[]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(0), "{out}{}", stderr(&o));
    assert!(out.starts_with("Regimes:\n"), "{out}");
    assert!(out.contains("0 errors, 0 warnings"), "{out}");
    // The JSON report agrees.
    let o = check(dir.path(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["version"], 1);
    assert_eq!(v["findings"], serde_json::json!([]));
}

#[test]
fn check_missing_gdpr_basis_exits_1_and_points_at_the_purpose() {
    let dir = project(&[("lawful.yaml", NO_BASIS)]);
    let o = check(dir.path(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let gdpr = v["regimes"]
        .as_array()
        .expect("regimes")
        .iter()
        .find(|r| r["regime"] == "gdpr")
        .expect("gdpr regime");
    assert_eq!(gdpr["applies"], true);
    let f = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["rule"] == "GDPR-ART6-LAWFUL-BASIS")
        .expect("GDPR-ART6-LAWFUL-BASIS fires");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["target"], "purposes.newsletter");
    assert_eq!(
        f["location"],
        serde_json::json!({ "file": "lawful.yaml", "line": 6, "column": 3, "end_line": 6, "end_column": 13 })
    );
    assert!(v["summary"]["errors"].as_u64().expect("errors") >= 1);
}

#[test]
fn check_human_report_points_at_the_purpose() {
    let dir = project(&[("lawful.yaml", NO_BASIS)]);
    let o = check(dir.path(), &[]);
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(out.contains("GDPR-ART6-LAWFUL-BASIS"), "{out}");
    assert!(out.contains("[lawful.yaml:6:3]"), "{out}");
    assert!(
        out.contains("✓ GDPR      establishment in DE (GDPR Art 3(1))"),
        "{out}"
    );
}

#[test]
fn fail_on_never_exits_0() {
    let dir = project(&[("lawful.yaml", NO_BASIS)]);
    let o = check(dir.path(), &["--fail-on", "never"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // The finding is still reported.
    assert!(stdout(&o).contains("GDPR-ART6-LAWFUL-BASIS"));
}

#[test]
fn check_unreadable_project_exits_2_with_json_on_stdout() {
    let dir = project(&[("lawful.yaml", "purpose:\n  a: {}\n")]);
    let o = check(dir.path(), &["--format", "json"]);
    assert_eq!(o.status.code(), Some(2));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "load::structure");
    assert_eq!(f["location"]["line"], 1);
    assert!(stderr(&o).contains("did you mean `purposes`?"));
}

#[test]
fn check_bad_format_exits_2() {
    let dir = project(&[("lawful.yaml", CLEAN)]);
    let o = check(dir.path(), &["--format", "xml"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn schema_prints_json_schema() {
    let o = lawful(&["schema"]);
    assert_eq!(o.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["title"], "lawful manifest v1");
    assert!(
        v["$schema"]
            .as_str()
            .expect("$schema")
            .contains("json-schema.org")
    );
    assert!(v["properties"]["datasets"].is_object());
}

#[test]
fn taxonomy_prints_contact_email_with_both_labels() {
    let o = lawful(&["taxonomy"]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.starts_with("contact.email "))
        .unwrap_or_else(|| panic!("contact.email not listed:\n{out}"));
    assert!(line.ends_with("Email address / 电子邮箱地址"), "{line}");
    // `--format json`, as the other commands take it; `--json` is kept as its alias.
    let o = lawful(&["taxonomy", "--format", "json"]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(o.stdout, lawful(&["taxonomy", "--json"]).stdout);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    let email = v
        .as_array()
        .expect("array")
        .iter()
        .find(|c| c["id"] == "contact.email")
        .expect("contact.email");
    assert_eq!(email["label"]["en"], "Email address");
    assert_eq!(email["label"]["zh-CN"], "电子邮箱地址");
}

#[test]
fn a_suppression_of_a_rule_that_did_not_run_is_not_called_unused() {
    let sakila = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/sakila");
    for extra in [
        &["--select", "GDPR-"][..],
        &["--ignore", "PIPL-ART55-PIPIA-REQUIRED"],
    ] {
        let mut args = vec!["check", sakila, "--fail-on", "info"];
        args.extend_from_slice(extra);
        let o = lawful(&args);
        assert_eq!(o.status.code(), Some(0), "{extra:?}: {}", stdout(&o));
        assert!(!stdout(&o).contains("suppression-unused"), "{}", stdout(&o));
    }
    // The rule runs but its finding is gone: then the suppression is stale.
    let tmp = tempfile::tempdir().expect("temp dir");
    copy_dir(std::path::Path::new(sakila), tmp.path());
    let sup = tmp.path().join("suppressions.yaml");
    let s = std::fs::read_to_string(&sup).expect("suppressions");
    std::fs::write(
        &sup,
        s.replace(
            "target: purposes.staff_administration",
            "target: purposes.bookkeeping",
        ),
    )
    .expect("write");
    let o = lawful(&[
        "check",
        tmp.path().to_str().expect("utf-8"),
        "--select",
        "PIPL-",
    ]);
    assert!(stdout(&o).contains("suppression-unused"), "{}", stdout(&o));
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    for e in std::fs::read_dir(from).expect("read dir").flatten() {
        let p = e.path();
        let dest = to.join(e.file_name());
        if p.is_dir() {
            std::fs::create_dir_all(&dest).expect("mkdir");
            copy_dir(&p, &dest);
        } else {
            std::fs::copy(&p, &dest).expect("copy");
        }
    }
}
