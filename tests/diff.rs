//! `lawful diff` and `lawful check --new-since`, on real git repositories in temporary
//! folders. Commits pass their own identity: CI has none configured.

use std::path::Path;
use std::process::Command;

/// A shop in Germany that keeps its customers' phone numbers for delivery.
const BASE: &str = "version: 1
organization:
  name: Shopwise GmbH
  contact: { email: privacy@shopwise.example }
  establishments: [DE]
subjects:
  customer:
    title: { en: Customers }
    lives_in: [EU]
purposes:
  delivery:
    title: { en: Delivery }
    description: { en: We deliver your orders. }
    legal_basis: { gdpr: contract }
    categories: [identity.name, contact.phone, contact.postal_address]
    retention: P1Y
systems:
  shop:
    title: { en: Web shop }
    country: DE
datasets:
  customers:
    title: { en: Customer accounts }
    system: shop
    subjects: [customer]
    fields:
      name: { categories: [identity.name] }
      phone: { categories: [contact.phone] }
      address: { categories: [contact.postal_address] }
flows:
  - from: customer
    to: customers
    purposes: [delivery]
";

/// The change under review: phone numbers now go to a carrier in the United States, with
/// no transfer tool and no processor contract.
const ADDED: &str = "  - from: customers
    to: parcelco
    categories: [contact.phone]
    purposes: [delivery]
recipients:
  parcelco:
    name: ParcelCo Inc.
    role: { gdpr: processor }
    country: US
";

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com"])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn commit(dir: &Path, msg: &str) {
    git(dir, &["add", "-A"]);
    git(dir, &["commit", "-q", "--allow-empty", "-m", msg]);
}

fn lawful(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(args)
        .current_dir(dir)
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

/// A repository whose project lives in `privacy/`: the first commit holds `BASE`, the
/// second adds the flow to ParcelCo.
fn two_commits() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    std::fs::create_dir(repo.join("privacy")).unwrap();
    std::fs::write(repo.join("privacy/lawful.yaml"), BASE).unwrap();
    // Generated output and hidden folders are not part of the project, at a revision as on
    // disk: were they read, these files would make the project unreadable (exit 2).
    for junk in ["privacy/generated", "privacy/.github"] {
        std::fs::create_dir(repo.join(junk)).unwrap();
        std::fs::write(repo.join(junk).join("x.yaml"), "not: [a manifest\n").unwrap();
    }
    commit(repo, "first");
    std::fs::write(repo.join("privacy/lawful.yaml"), format!("{BASE}{ADDED}")).unwrap();
    commit(repo, "second");
    dir
}

#[test]
fn a_new_flow_to_the_united_states_reads_as_a_sentence_with_its_findings() {
    let dir = two_commits();
    let (code, md, err) = lawful(dir.path(), &["diff", "--base", "HEAD~1", "privacy"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        md.contains(
            "Phone number now goes from Customer accounts to ParcelCo Inc. in the United States, for the purpose “Delivery”."
        ),
        "{md}"
    );
    assert!(md.contains("`GDPR-ART44-TRANSFER-MECHANISM`"), "{md}");
    assert!(md.contains("### Findings this change fixes (0)"), "{md}");
    insta::assert_snapshot!(md);

    // Comparing two revisions gives the same facts as comparing with the work tree.
    let (code, md2, _) = lawful(
        dir.path(),
        &["diff", "--base", "HEAD~1", "--head", "HEAD", "privacy"],
    );
    assert_eq!(code, 0);
    assert_eq!(
        md2.replace("`HEAD`", "`work tree`"),
        md,
        "--head HEAD differs from the work tree"
    );

    // Reversed, the flow is removed and its findings are fixed.
    let (_, back, _) = lawful(
        dir.path(),
        &["diff", "--base", "HEAD", "--head", "HEAD~1", "privacy"],
    );
    assert!(back.contains("### Removed flows"), "{back}");
    assert!(
        back.contains("### Findings this change introduces (0)"),
        "{back}"
    );
    assert!(
        back.contains("### Findings this change fixes (2)"),
        "{back}"
    );
}

#[test]
fn json_gives_the_same_facts_and_fail_on_counts_only_new_findings() {
    let dir = two_commits();
    let (code, out, err) = lawful(
        dir.path(),
        &[
            "diff",
            "--base",
            "HEAD~1",
            "--format",
            "json",
            "--fail-on",
            "error",
            "privacy",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let flows: Vec<&serde_json::Value> = v["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["section"] == "flows")
        .collect();
    assert_eq!(flows.len(), 1, "{out}");
    assert_eq!(flows[0]["kind"], "added");
    assert_eq!(flows[0]["key"], "customers -> parcelco [delivery]");
    let rules: Vec<&str> = v["introduced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(
        rules.contains(&"GDPR-ART44-TRANSFER-MECHANISM"),
        "{rules:?}"
    );

    // Nothing changed between a revision and itself: no finding is new, exit 0.
    let (code, same, _) = lawful(
        dir.path(),
        &["diff", "--base", "HEAD", "--fail-on", "info", "privacy"],
    );
    assert_eq!(code, 0, "{same}");
    assert!(
        same.contains("No change to the processing described."),
        "{same}"
    );
}

#[test]
fn a_project_absent_at_the_base_is_all_additions() {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path();
    git(repo, &["init", "-q"]);
    std::fs::write(repo.join("README.md"), "shop\n").unwrap();
    commit(repo, "before lawful");
    std::fs::create_dir(repo.join("privacy")).unwrap();
    std::fs::write(repo.join("privacy/lawful.yaml"), format!("{BASE}{ADDED}")).unwrap();
    let (code, md, err) = lawful(repo, &["diff", "--base", "HEAD", "privacy"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        md.contains("There was no lawful project at `HEAD`: everything below is new."),
        "{md}"
    );
    assert!(!md.contains("### Removed"), "{md}");
    assert!(!md.contains("### Changed"), "{md}");
    assert!(md.contains("### New purposes"), "{md}");
    assert!(md.contains("New purpose “Delivery”"), "{md}");
    assert!(md.contains("### Findings this change fixes (0)"), "{md}");
    insta::assert_snapshot!(md);
}

#[test]
fn check_new_since_reports_only_the_new_findings() {
    let dir = two_commits();
    let (code, out, err) = lawful(
        dir.path(),
        &[
            "check",
            "--format",
            "json",
            "--new-since",
            "HEAD~1",
            "privacy",
        ],
    );
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let mut shown: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"].is_null())
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    shown.sort();
    assert_eq!(
        shown,
        [
            "GDPR-ART28-PROCESSOR-CONTRACT",
            "GDPR-ART44-TRANSFER-MECHANISM"
        ],
        "{out}"
    );

    // Against the revision that already has them, nothing is new.
    let (code, human, err) = lawful(dir.path(), &["check", "--new-since", "HEAD", "privacy"]);
    assert_eq!(code, 0, "{err}");
    assert!(human.contains("0 errors, 0 warnings, 0 infos"), "{human}");
}

#[test]
fn a_revision_that_does_not_exist_exits_2() {
    let dir = two_commits();
    let (code, _, err) = lawful(dir.path(), &["diff", "--base", "no-such-branch", "privacy"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("the revision `no-such-branch` does not exist"),
        "{err}"
    );
    let (code, _, err) = lawful(
        dir.path(),
        &["check", "--new-since", "no-such-branch", "privacy"],
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("the revision `no-such-branch` does not exist"),
        "{err}"
    );
}

#[test]
fn changed_retention_and_legal_basis_say_what_they_were() {
    let dir = two_commits();
    let changed = BASE
        .replace("retention: P1Y", "retention: P2Y")
        .replace("{ gdpr: contract }", "{ gdpr: legitimate_interests }");
    std::fs::write(dir.path().join("privacy/lawful.yaml"), changed).unwrap();
    let (code, md, err) = lawful(dir.path(), &["diff", "--base", "HEAD~1", "privacy"]);
    assert_eq!(code, 0, "{err}");
    assert!(md.contains("### Changed retention"), "{md}");
    assert!(
        md.contains("Data for “Delivery” is now kept for 2 years (before: 1 year)."),
        "{md}"
    );
    assert!(
        md.contains("“Delivery” now has the legal basis “legitimate interests” under the GDPR (before: “contract”)."),
        "{md}"
    );
    assert!(!md.contains("### New flows"), "{md}");
}

#[test]
fn unchanged_findings_keep_their_fingerprints_and_the_head_sarif_points_at_the_new_flow() {
    let dir = two_commits();
    let repo = dir.path();
    // The base's findings, from a work tree checked out at the first commit.
    git(repo, &["stash", "-q", "--include-untracked"]);
    git(repo, &["checkout", "-q", "HEAD~1"]);
    let (_, base, _) = lawful(repo, &["check", "--format", "json", "privacy"]);
    git(repo, &["checkout", "-q", "-"]);
    let (_, head, _) = lawful(repo, &["check", "--format", "json", "privacy"]);
    let prints = |s: &str| -> Vec<(String, String)> {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["rule"].as_str().unwrap().to_string(),
                    f["fingerprint"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (base, head) = (prints(&base), prints(&head));
    assert!(!base.is_empty(), "the base has findings to compare");
    for f in &base {
        assert!(head.contains(f), "{f:?} changed its fingerprint: {head:?}");
    }
    assert_eq!(head.len(), base.len() + 2, "{head:?}");

    let (_, sarif, err) = lawful(repo, &["check", "--format", "sarif", "privacy"]);
    let v: serde_json::Value =
        serde_json::from_str(&sarif).unwrap_or_else(|e| panic!("{e}: {err}"));
    let result = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["ruleId"] == "GDPR-ART44-TRANSFER-MECHANISM")
        .expect("the transfer finding is in the SARIF");
    let loc = &result["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "privacy/lawful.yaml");
    let line = BASE.lines().count() + 2; // `to: parcelco` is the second line of ADDED
    assert_eq!(loc["region"]["startLine"], line, "{result}");
}

/// A published artefact built from an older commit: `lawful trace` names that commit.
#[test]
fn trace_names_the_commit_an_old_artefact_was_built_from() {
    let dir = two_commits();
    let repo = dir.path();
    // Build the first commit's project, as it was published then.
    git(repo, &["checkout", "-q", "HEAD~1"]);
    let out = repo.join("published");
    let (code, _, err) = lawful(
        repo,
        &[
            "build",
            "privacy",
            "--fail-on",
            "never",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(code, 0, "{err}");
    git(repo, &["checkout", "-q", "main"]);
    let record = out.join("records/gdpr-art30-controller.md");
    assert!(record.is_file(), "no record was built");
    let (code, stdout, err) = lawful(
        repo,
        &["trace", record.to_str().unwrap(), "--project", "privacy"],
    );
    assert_eq!(code, 1, "{stdout}{err}");
    assert!(stdout.contains("built from another version"), "{stdout}");
    assert!(stdout.contains("built from commit"), "{stdout}");
    assert!(
        stdout.contains(" first"),
        "the first commit is named: {stdout}"
    );
}
