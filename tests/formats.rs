//! The machine formats of `lawful check`: SARIF 2.1.0, GitHub Actions annotations and
//! JUnit XML. Snapshots of all three for one project (an error, a warning, a secondary
//! label, a suppressed finding), the escaping of workflow commands, the extra report
//! files, and the SARIF of every rule fixture validated against the OASIS schema.

use std::path::{Path, PathBuf};
use std::process::Command;

use lawful::manifest::Date;
use lawful::report::{Diagnostic, Severity, github};
use serde_json::Value;

const TODAY: &str = "2026-11-29";
/// The fixture, as given on the command line from the crate root.
const PROJECT: &str = "tests/formats/project";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Run `lawful check PROJECT ARGS` from the crate root; (stdout, exit code).
fn check(args: &[&str]) -> (String, i32) {
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .current_dir(root())
        .env("LAWFUL_TODAY", TODAY)
        .env("NO_COLOR", "1")
        .arg("check")
        .arg(PROJECT)
        .args(args)
        .output()
        .expect("lawful runs");
    (
        String::from_utf8(out.stdout).expect("utf-8"),
        out.status.code().expect("exit code"),
    )
}

/// The SARIF log without the rule descriptors (snapshotted once, in `sarif_driver`).
fn results_only(sarif: &str) -> Value {
    let mut v: Value = serde_json::from_str(sarif).expect("SARIF is JSON");
    let rules = v["runs"][0]["tool"]["driver"]["rules"]
        .as_array_mut()
        .expect("rules");
    let n = rules.len();
    rules.clear();
    v["runs"][0]["tool"]["driver"]["rules"] = Value::String(format!("<{n} rules>"));
    v
}

#[test]
fn sarif_report() {
    let (out, code) = check(&["--format", "sarif"]);
    assert_eq!(code, 1, "errors fail the check whatever the format");
    let v = results_only(&out);
    let results = v["runs"][0]["results"].as_array().expect("results");
    assert!(results.iter().any(|r| r["level"] == "error"));
    assert!(results.iter().any(|r| r["level"] == "warning"));
    assert!(results.iter().any(|r| r.get("relatedLocations").is_some()));
    assert!(results.iter().any(|r| r.get("suppressions").is_some()));
    insta::assert_snapshot!(serde_json::to_string_pretty(&v).unwrap());
}

#[test]
fn sarif_driver_lists_every_rule() {
    let (out, _) = check(&["--format", "sarif"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    let driver = &v["runs"][0]["tool"]["driver"];
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rules = driver["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let all: Vec<&str> = lawful::rules::all().iter().map(|r| r.id).collect();
    assert_eq!(ids, all);
    for (r, rule) in rules.iter().zip(lawful::rules::all()) {
        assert_eq!(r["helpUri"], rule.url);
        let docs = r["properties"]["docs"].as_str().unwrap();
        assert!(root().join(docs).is_file(), "{docs} does not exist");
        assert!(!r["fullDescription"]["text"].as_str().unwrap().is_empty());
    }
    // ruleIndex points at the result's rule.
    for res in v["runs"][0]["results"].as_array().unwrap() {
        let i = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[i]["id"], res["ruleId"]);
    }
    insta::assert_snapshot!(serde_json::to_string_pretty(&rules[8]).unwrap());
}

#[test]
fn github_report() {
    let (out, code) = check(&["--format", "github"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn junit_report() {
    let (out, code) = check(&["--format", "junit"]);
    assert_eq!(code, 1);
    insta::assert_snapshot!(out);
}

#[test]
fn github_escaping() {
    assert_eq!(
        github::escape_data("100% a:b, c\r\nd"),
        "100%25 a:b, c%0D%0Ad"
    );
    assert_eq!(github::escape_property("a:b,c%\nd"), "a%3Ab%2Cc%25%0Ad");
    let mut d = Diagnostic::new("X:1,2", Severity::Info, "50% done: a, b\nnext line");
    d.help = Some("fix: it".into());
    let sources = lawful::manifest::source::SourceMap::default();
    assert_eq!(
        github::annotation(&d, &sources, ""),
        "::notice title=X%3A1%2C2::50%25 done: a, b%0Anext line%0A%0Afix: fix: it\n"
    );
}

#[test]
fn extra_report_files_match_their_formats() {
    let dir = tempfile::tempdir().unwrap();
    let sarif = dir.path().join("out.sarif");
    let junit = dir.path().join("junit.xml");
    let (human, code) = check(&[
        "--format",
        "human",
        "--sarif-file",
        sarif.to_str().unwrap(),
        "--junit-file",
        junit.to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(human.contains("Regimes:"), "stdout keeps its format");
    assert_eq!(
        std::fs::read_to_string(&sarif).unwrap(),
        check(&["--format", "sarif"]).0
    );
    assert_eq!(
        std::fs::read_to_string(&junit).unwrap(),
        check(&["--format", "junit"]).0
    );
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 2, "no temporary file is left: {names:?}");
}

#[test]
fn load_errors_render_as_sarif_results() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("lawful.yaml"),
        "version: 1\norganization: [\n",
    )
    .unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(["check", "--format", "sarif"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for r in results {
        let id = r["ruleId"].as_str().unwrap();
        assert!(lawful::rules::find(id).is_none(), "{id} is a load code");
        assert_eq!(r["level"], "error");
    }
    let uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.starts_with("file:///") && uri.ends_with("/lawful.yaml"),
        "a project outside the current directory has an absolute URI: {uri}"
    );
    validate(&v, "a project that cannot be read");
}

fn schema() -> &'static jsonschema::Validator {
    static V: std::sync::OnceLock<jsonschema::Validator> = std::sync::OnceLock::new();
    V.get_or_init(|| {
        let text = std::fs::read_to_string(root().join("tests/sarif/sarif-schema-2.1.0.json"))
            .expect("schema copy");
        let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
        jsonschema::options()
            .should_validate_formats(true)
            .build(&schema)
            .expect("schema compiles")
    })
}

/// Validate a log against the schema, and check that every region is 1-based.
fn validate(log: &Value, what: &str) {
    let errors: Vec<String> = schema()
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF of {what} is invalid:\n{}",
        errors.join("\n")
    );
    fn regions(v: &Value, what: &str) {
        match v {
            Value::Object(m) => {
                if let Some(r) = m.get("region") {
                    for k in ["startLine", "startColumn", "endLine", "endColumn"] {
                        let n = r[k].as_u64().unwrap_or(0);
                        assert!(n >= 1, "{what}: region {k} is {n}: {r}");
                    }
                }
                m.values().for_each(|v| regions(v, what));
            }
            Value::Array(a) => a.iter().for_each(|v| regions(v, what)),
            _ => {}
        }
    }
    regions(log, what);
}

#[test]
fn sarif_of_every_rule_fixture_is_valid() {
    let today = Date::parse(TODAY).unwrap();
    let mut n = 0;
    for rule in lawful::rules::all() {
        let dir: PathBuf = root().join("tests/rules").join(rule.id).join("fires");
        let project = lawful::load(&dir, &[]).unwrap_or_else(|_| panic!("{}", dir.display()));
        let result = lawful::check(&project, today);
        assert!(result.findings.iter().any(|d| d.code == rule.id));
        let prefix =
            lawful::report::sarif::uri_prefix(Path::new(&format!("tests/rules/{}/fires", rule.id)));
        let text = lawful::report::sarif::render(&result.findings, &project.model.sources, &prefix);
        let log: Value = serde_json::from_str(&text).unwrap();
        validate(&log, rule.id);
        for r in log["runs"][0]["results"].as_array().unwrap() {
            let uri = r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap();
            assert!(
                root().join(uri).is_file(),
                "{uri} is not repository-relative"
            );
        }
        n += 1;
    }
    assert_eq!(n, lawful::rules::all().len());
}

#[test]
fn the_validator_rejects_a_bad_log() {
    // Guards the test above: a region at line 0 and an unknown level are refused.
    let bad: Value = serde_json::json!({
        "version": "2.1.0",
        "runs": [{ "tool": { "driver": { "name": "lawful" } }, "results": [{
            "message": { "text": "x" }, "level": "fatal",
            "locations": [{ "physicalLocation": {
                "artifactLocation": { "uri": "a.yaml" },
                "region": { "startLine": 0 } } }] }] }]
    });
    assert!(schema().iter_errors(&bad).count() >= 2);
}

#[test]
fn baselined_findings_are_external_suppressions() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let (_, code) = check(&["--write-baseline", baseline.to_str().unwrap()]);
    assert_eq!(code, 0);
    let (out, code) = check(&[
        "--format",
        "sarif",
        "--baseline",
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "every finding is in the baseline");
    let v: Value = serde_json::from_str(&out).unwrap();
    let kinds: Vec<&str> = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["suppressions"][0]["kind"].as_str().unwrap())
        .collect();
    // Four in the baseline, one suppressed in the project.
    assert_eq!(
        kinds.iter().filter(|k| **k == "external").count(),
        4,
        "{kinds:?}"
    );
    assert_eq!(
        kinds.iter().filter(|k| **k == "inSource").count(),
        1,
        "{kinds:?}"
    );
    let (github, _) = check(&[
        "--format",
        "github",
        "--baseline",
        baseline.to_str().unwrap(),
    ]);
    assert_eq!(
        github,
        "lawful: 0 errors, 0 warnings, 0 infos (5 suppressed)\n"
    );
}
