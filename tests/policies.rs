//! Organisation policies (`policies:`, docs/policies.md) and review notes (CORE-TODO), as a
//! user sees them: `lawful check` run as a process on the fixtures in tests/policies/ and on
//! small projects written to a temporary folder, asserting exit codes, rule ids, places and
//! messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;
use tempfile::TempDir;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/policies")
        .join(name)
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

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Write `files` (path relative to the project root, content) into a new folder.
fn project(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (path, content) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
        std::fs::write(&p, content).expect("write");
    }
    dir
}

/// A finding as the JSON report gives it.
#[derive(Debug)]
struct Finding {
    rule: String,
    severity: String,
    message: String,
    /// `file:line:col` of the primary place.
    at: String,
    /// `file:line:col` of each secondary place.
    related: Vec<String>,
    fix: String,
    suppressed: bool,
}

fn place(v: &Value) -> String {
    format!(
        "{}:{}:{}",
        v["file"].as_str().unwrap_or("?"),
        v["line"],
        v["column"]
    )
}

/// Run `lawful check --format json` and return the exit code and the findings.
fn findings(dir: &Path, extra: &[&str]) -> (i32, Vec<Finding>) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let out = lawful(dir, &args);
    let stdout = text(&out.stdout);
    let v: Value = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\nstderr:\n{}", text(&out.stderr)));
    let list = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| Finding {
            rule: f["rule"].as_str().expect("rule").to_string(),
            severity: f["severity"].as_str().expect("severity").to_string(),
            message: f["message"].as_str().expect("message").to_string(),
            at: place(&f["location"]),
            related: f["related"]
                .as_array()
                .map(|r| r.iter().map(|x| place(&x["location"])).collect())
                .unwrap_or_default(),
            fix: f["fix"].as_str().unwrap_or_default().to_string(),
            suppressed: !f["suppressed"].is_null(),
        })
        .collect();
    (out.status.code().expect("exit code"), list)
}

/// The findings of rules whose id starts with `prefix`.
fn of<'a>(all: &'a [Finding], prefix: &str) -> Vec<&'a Finding> {
    all.iter().filter(|f| f.rule.starts_with(prefix)).collect()
}

/// A project that must be refused: exit code 2, no panic; returns stderr.
fn refused(dir: &Path) -> String {
    let out = lawful(dir, &[]);
    let stderr = text(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit code 2:\n{stderr}"
    );
    assert!(!stderr.contains("panicked"), "lawful panicked:\n{stderr}");
    stderr
}

#[test]
fn any_matches_a_category_below_a_value_a_use_below_a_value_and_a_subject() {
    let (code, all) = findings(&fixture("modes"), &[]);
    assert_eq!(code, 1, "an error-level policy finding fails the check");
    let f = of(&all, "POLICY-no_marketing_contact");
    assert_eq!(f.len(), 1, "{f:#?}");
    let f = f[0];
    assert_eq!(f.severity, "error", "the default severity of a policy");
    assert_eq!(
        f.message,
        "purpose `marketing_emails` breaks rule `reject_direct_marketing` of policy `no_marketing_contact`: it uses contact.email (within contact) for marketing.advertising.first_party (within marketing) on customer"
    );
    // At the purpose, with the rule as the second place; help from the rule's description.
    assert_eq!(f.at, "lawful.yaml:15:3");
    assert_eq!(f.related, ["lawful.yaml:59:7"]);
    assert!(
        f.fix
            .starts_with("Disallow collecting any user contact info to use for marketing"),
        "{}",
        f.fix
    );
}

#[test]
fn all_needs_every_category_of_a_unit_within_the_values_and_each_field_is_a_unit() {
    let (_, all) = findings(&fixture("modes"), &[]);
    let f = of(&all, "POLICY-only_identity");
    assert_eq!(f.len(), 1, "{f:#?}");
    // The fields `email` and `name` each match on their own; `created_at` does not, and
    // does not stop the others (Fides evaluates each dataset field by itself).
    assert_eq!(
        f[0].message,
        "purpose `marketing_emails` breaks rule `identity_for_marketing` of policy `only_identity`: it uses contact.email (within contact), identity.name (within identity) for marketing.advertising.first_party (within marketing.advertising)"
    );
    assert_eq!(f[0].severity, "warning", "the policy's severity");
    // `support` declares contact.email with non_personal.operational in one unit: not all
    // of them are within the values.
    assert!(!f[0].message.contains("support"));
}

#[test]
fn none_matches_subjects_outside_every_value() {
    let (_, all) = findings(&fixture("modes"), &[]);
    let f = of(&all, "POLICY-customers_only");
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        f[0].message,
        "purpose `payroll` breaks rule `financial_beyond_customers` of policy `customers_only`: it uses financial.bank_account (within financial) for payroll on employee (outside the rule's subjects)"
    );
    assert_eq!(f[0].severity, "info");
    assert_eq!(f[0].at, "lawful.yaml:20:3");
}

#[test]
fn other_matches_a_use_outside_the_values_and_flows_are_units_and_personal_is_the_root() {
    let (_, all) = findings(&fixture("modes"), &[]);
    let f = of(&all, "POLICY-approved_uses");
    // `analytics` declares no category itself: the flow serving it carries
    // behaviour.browsing, which is personal. `support` (provide.service, within
    // `provide`), `payroll` and `marketing_emails` are approved uses.
    assert_eq!(f.len(), 1, "{f:#?}");
    assert_eq!(
        f[0].message,
        "purpose `analytics` breaks rule `unapproved_use` of policy `approved_uses`: it uses behaviour.browsing (within personal) for analytics.reporting (outside the rule's purposes)"
    );
}

#[test]
fn select_and_ignore_take_policy_ids() {
    let dir = fixture("modes");
    let (_, all) = findings(&dir, &["--select", "POLICY-"]);
    let mut rules: Vec<&str> = all.iter().map(|f| f.rule.as_str()).collect();
    rules.dedup();
    assert_eq!(
        rules.iter().collect::<std::collections::BTreeSet<_>>(),
        [
            "POLICY-approved_uses",
            "POLICY-customers_only",
            "POLICY-no_marketing_contact",
            "POLICY-only_identity"
        ]
        .iter()
        .collect()
    );
    let (code, all) = findings(&dir, &["--select", "POLICY-only_identity"]);
    assert_eq!(code, 0, "only a warning is left");
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].rule, "POLICY-only_identity");
    let (_, all) = findings(&dir, &["--ignore", "POLICY-approved_uses"]);
    assert!(of(&all, "POLICY-approved_uses").is_empty());
    assert_eq!(of(&all, "POLICY-no_marketing_contact").len(), 1);
    assert!(!of(&all, "GDPR-").is_empty(), "other rules still run");
    let (_, all) = findings(&dir, &["--ignore", "POLICY"]);
    assert!(of(&all, "POLICY-").is_empty());

    // A policy id that the project does not have is refused, with the closest one.
    let o = lawful(&dir, &["--select", "POLICY-only_identiy"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("`POLICY-only_identiy` matches no policy of this project; did you mean POLICY-only_identity?"),
        "{}",
        text(&o.stderr)
    );
}

const SHOP: &str = "\
version: 1
organization: { name: Shop GmbH, establishments: [DE] }
subjects:
  customer: { title: { en: Customers }, lives_in: [DE] }
purposes:
  newsletter:
    title: { en: Newsletter }
    legal_basis: { gdpr: consent }
    data_use: marketing.email
    categories: [contact.email]
    subjects: [customer]
policies:
  privacy:
    rules:
      no_marketing_contact:
        categories: { matches: any, values: [contact] }
        purposes: { matches: any, values: [marketing] }
";

#[test]
fn a_policy_finding_can_be_suppressed_turned_down_or_off() {
    let suppressed = format!(
        "{SHOP}suppressions:\n  - rule: POLICY-privacy\n    target: purposes.newsletter\n    reason: The newsletter is opt-in and reviewed by the DPO.\n    expires: 2027-06-30\n"
    );
    let dir = project(&[("lawful.yaml", &suppressed)]);
    let (_, all) = findings(dir.path(), &["--select", "POLICY-"]);
    assert_eq!(all.len(), 1);
    assert!(all[0].suppressed, "the suppression applies: {all:#?}");
    let out = lawful(dir.path(), &["--select", "POLICY-"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));

    let warning = format!("{SHOP}rules:\n  POLICY-privacy: warning\n");
    let dir = project(&[("lawful.yaml", &warning)]);
    let (code, all) = findings(dir.path(), &["--select", "POLICY-"]);
    assert_eq!((code, all.len()), (0, 1));
    assert_eq!(all[0].severity, "warning");

    let off = format!("{SHOP}rules:\n  POLICY-privacy: off\n");
    let dir = project(&[("lawful.yaml", &off)]);
    let (code, all) = findings(dir.path(), &["--select", "POLICY-"]);
    assert_eq!((code, all.len()), (0, 0), "{all:#?}");
}

#[test]
fn a_misspelt_policy_in_rules_or_suppressions_is_refused_with_a_suggestion() {
    let bad = format!("{SHOP}rules:\n  POLICY-privacyy: warning\n");
    let dir = project(&[("lawful.yaml", &bad)]);
    let err = refused(dir.path());
    assert!(err.contains("unknown policy `privacyy`"), "{err}");
    assert!(err.contains("lawful.yaml:19:3"), "{err}");
    assert!(err.contains("did you mean `POLICY-privacy`?"), "{err}");
}

#[test]
fn a_rule_without_subjects_dimension_ignores_subjects_and_personal_catches_every_personal_category()
{
    let yaml = SHOP.replace("values: [contact]", "values: [personal]");
    let dir = project(&[("lawful.yaml", &yaml)]);
    let (_, all) = findings(dir.path(), &["--select", "POLICY-"]);
    assert_eq!(all.len(), 1);
    assert_eq!(
        all[0].message,
        "purpose `newsletter` breaks rule `no_marketing_contact` of policy `privacy`: it uses contact.email (within personal) for marketing.email (within marketing)"
    );
    // `personal` does not catch a category that is not personal.
    let yaml = SHOP
        .replace("values: [contact]", "values: [personal]")
        .replace("[contact.email]", "[non_personal.operational]");
    let dir = project(&[("lawful.yaml", &yaml)]);
    let (_, all) = findings(dir.path(), &["--select", "POLICY-"]);
    assert!(all.is_empty(), "{all:#?}");
}

#[test]
fn subjects_of_the_datasets_a_purpose_names_count() {
    let yaml = SHOP
        .replace("    subjects: [customer]\npolicies:", "    datasets: [members]\npolicies:")
        .replace(
            "policies:",
            "datasets:\n  members:\n    subjects: [customer]\n    fields:\n      email: { categories: [contact.email] }\npolicies:",
        )
        .replace(
            "        purposes: { matches: any, values: [marketing] }\n",
            "        purposes: { matches: any, values: [marketing] }\n        subjects: { matches: any, values: [customer] }\n",
        );
    let dir = project(&[("lawful.yaml", &yaml)]);
    let (_, all) = findings(dir.path(), &["--select", "POLICY-"]);
    assert_eq!(all.len(), 1, "{all:#?}\n{yaml}");
    assert!(
        all[0].message.ends_with("on customer"),
        "{}",
        all[0].message
    );
}

#[test]
fn policy_values_that_match_nothing_are_warned_about_at_the_value() {
    let yaml = SHOP.replace(
        "values: [marketing] }",
        "values: [marketing, markting] }\n        subjects: { matches: any, values: [customers] }",
    );
    let dir = project(&[("lawful.yaml", &yaml)]);
    let (_, all) = findings(dir.path(), &[]);
    let w = of(&all, "resolve::policy-matches-nothing");
    assert_eq!(w.len(), 2, "{all:#?}");
    assert_eq!(w[0].severity, "warning");
    assert!(
        w[0].message
            .starts_with("policy value `markting` matches nothing")
    );
    assert_eq!(w[0].at, "lawful.yaml:17:55");
    assert_eq!(w[0].fix, "did you mean `marketing`?");
    assert!(
        w[1].message
            .starts_with("policy value `customers` matches nothing")
    );
    assert_eq!(w[1].fix, "did you mean `customer`?");
}

#[test]
fn an_unknown_category_is_refused_with_a_suggestion() {
    let dir = project(&[(
        "lawful.yaml",
        &SHOP.replace("values: [contact]", "values: [contcat, personnal]"),
    )]);
    let err = refused(dir.path());
    assert!(err.contains("unknown data category `contcat`"), "{err}");
    assert!(err.contains("lawful.yaml:16:46"), "{err}");
    assert!(err.contains("did you mean `contact`?"), "{err}");
    assert!(err.contains("unknown data category `personnal`"), "{err}");
    assert!(err.contains("did you mean `personal`?"), "{err}");
}

#[test]
fn an_unknown_match_mode_is_refused_at_its_place() {
    let dir = project(&[(
        "lawful.yaml",
        &SHOP.replace(
            "matches: any, values: [contact]",
            "matches: SOME, values: [contact]",
        ),
    )]);
    let err = refused(dir.path());
    assert!(err.contains("lawful.yaml:16:32"), "{err}");
    assert!(err.contains("SOME"), "{err}");
    assert!(err.contains("`any`"), "the allowed modes are named:\n{err}");
}

#[test]
fn empty_values_and_a_rule_without_dimensions_are_refused() {
    let dir = project(&[(
        "lawful.yaml",
        &SHOP.replace("values: [contact]", "values: []"),
    )]);
    let err = refused(dir.path());
    assert!(
        err.contains(
            "`categories` of rule `no_marketing_contact` in policy `privacy` has no values"
        ),
        "{err}"
    );
    assert!(err.contains("lawful.yaml:16:21"), "{err}");

    let yaml = SHOP.replace(
        "      no_marketing_contact:\n        categories: { matches: any, values: [contact] }\n        purposes: { matches: any, values: [marketing] }\n",
        "      everything:\n        description: Forgot to say what.\n",
    );
    let dir = project(&[("lawful.yaml", &yaml)]);
    let err = refused(dir.path());
    assert!(
        err.contains(
            "rule `everything` of policy `privacy` gives no dimension: it would match every purpose"
        ),
        "{err}"
    );
    assert!(err.contains("lawful.yaml:15:7"), "{err}");
}

#[test]
fn a_blank_data_use_and_an_unknown_purpose_subject_are_refused() {
    let dir = project(&[(
        "lawful.yaml",
        &SHOP.replace("data_use: marketing.email", "data_use: \" \""),
    )]);
    let err = refused(dir.path());
    assert!(err.contains("`data_use` is blank"), "{err}");
    assert!(err.contains("lawful.yaml:9:15"), "{err}");

    let dir = project(&[(
        "lawful.yaml",
        &SHOP.replace("subjects: [customer]", "subjects: [custmer]"),
    )]);
    let err = refused(dir.path());
    assert!(err.contains("unknown subject `custmer`"), "{err}");
    assert!(err.contains("lawful.yaml:11:16"), "{err}");
    assert!(err.contains("did you mean `customer`?"), "{err}");
}

#[test]
fn a_policy_declared_in_two_files_is_refused_at_both() {
    let dir = project(&[
        ("lawful.yaml", SHOP),
        (
            "more.yaml",
            "policies:\n  privacy:\n    rules:\n      r:\n        purposes: { matches: any, values: [marketing] }\n",
        ),
    ]);
    let err = refused(dir.path());
    assert!(err.contains("policy `privacy` is declared twice"), "{err}");
    assert!(err.contains("more.yaml:2:3"), "{err}");
    assert!(err.contains("lawful.yaml:13:3"), "{err}");
}

#[test]
fn review_notes_are_reported_at_their_line_whatever_the_regimes_but_not_inside_values() {
    let (code, all) = findings(&fixture("todo"), &[]);
    // No regime is in scope, so only the project's own rules speak.
    let todo = of(&all, "CORE-TODO");
    let got: Vec<(&str, &str, &str)> = todo
        .iter()
        .map(|f| (f.at.as_str(), f.message.as_str(), f.severity.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "lawful.yaml:13:5",
                "which countries do these customers live in?",
                "warning"
            ),
            ("lawful.yaml:17:33", "is the name used too?", "warning"),
        ]
    );
    let policy = of(&all, "POLICY-");
    assert_eq!(policy.len(), 1, "policies run without a regime: {all:#?}");
    assert_eq!(
        policy[0].message,
        "purpose `newsletter` breaks rule `no_marketing` of policy `no_marketing`: it processes data for marketing"
    );
    assert_eq!(code, 1);

    // The human report shows the comment itself.
    let out = lawful(&fixture("todo"), &["--select", "CORE-TODO"]);
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("# TODO(lawful): which countries do these customers live in?"),
        "{stdout}"
    );
    assert_eq!(out.status.code(), Some(0), "review notes are warnings");

    // `rules: { CORE-TODO: off }` silences them.
    let yaml = std::fs::read_to_string(fixture("todo").join("lawful.yaml")).expect("read");
    let dir = project(&[("lawful.yaml", &format!("{yaml}rules:\n  CORE-TODO: off\n"))]);
    let (_, all) = findings(dir.path(), &[]);
    assert!(of(&all, "CORE-TODO").is_empty(), "{all:#?}");
}

#[test]
fn lawful_explain_and_rules_describe_policies_and_review_notes() {
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(["explain", "POLICY-no_marketing_contact"])
        .output()
        .expect("lawful runs");
    assert_eq!(out.status.code(), Some(0));
    let page = text(&out.stdout);
    assert!(page.starts_with("# POLICY\n"), "{page}");
    assert!(page.contains("`any`, `all`, `none` or `other`"), "{page}");

    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(["rules", "--select", "CORE-TODO,POLICY"])
        .output()
        .expect("lawful runs");
    let list = text(&out.stdout);
    assert!(list.contains("CORE-TODO "), "{list}");
    assert!(list.contains("POLICY "), "{list}");
}

#[test]
fn a_purpose_is_matched_on_its_own_subjects_and_on_its_datasets_only_when_it_names_none() {
    // One table holds customers and staff; the newsletter is for customers only.
    let yaml = "\
version: 1
organization: { name: Shop GmbH }
subjects:
  customer: { title: { en: Customers } }
  staff: { title: { en: Staff } }
datasets:
  people:
    subjects: [customer, staff]
    fields:
      email: { categories: [contact.email] }
purposes:
  newsletter:
    title: { en: Newsletter }
    data_use: marketing.email
    categories: [contact.email]
    subjects: [customer]
    datasets: [people]
  promotions:
    title: { en: Promotions }
    data_use: marketing.promotions
    categories: [contact.email]
    datasets: [people]
policies:
  staff_privacy:
    rules:
      no_marketing_to_staff:
        purposes: { matches: any, values: [marketing] }
        subjects: { matches: any, values: [staff] }
";
    let dir = project(&[("lawful.yaml", yaml)]);
    let (_, all) = findings(dir.path(), &[]);
    let hits = of(&all, "POLICY-staff_privacy");
    assert_eq!(hits.len(), 1, "{all:#?}");
    assert!(
        hits[0].message.contains("purpose `promotions`"),
        "the purpose without subjects takes its dataset's: {}",
        hits[0].message
    );
}
