//! Per-rule fixtures: for every rule, `tests/rules/<RULE-ID>/fires/` is a project in which
//! the rule must report (its findings are snapshotted as the human report prints them), and
//! `tests/rules/<RULE-ID>/passes/` a near miss in which it must not. Also: every rule has
//! both fixtures, rule declarations are complete and unique, and docs/rules/ is current.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use lawful::manifest::Date;
use lawful::report::Diagnostic;
use lawful::rules::{self, Rule};

const TODAY: &str = "2026-11-29";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture(id: &str, kind: &str) -> PathBuf {
    root().join("tests/rules").join(id).join(kind)
}

/// Load and check a fixture; panics with the rendered diagnostics when it cannot be read.
fn run(dir: &Path) -> (lawful::Project, Vec<Diagnostic>) {
    let project = match lawful::load(dir, &[]) {
        Ok(p) => p,
        Err(f) => {
            let text: String = f
                .diagnostics
                .iter()
                .map(|d| lawful::report::human::render(d, &f.sources, false))
                .collect();
            panic!("fixture {} could not be read:\n{text}", dir.display());
        }
    };
    let today = Date::parse(TODAY).expect("date");
    let result = lawful::check(&project, today);
    (project, result.findings)
}

fn rule(id: &str) -> &'static Rule {
    rules::find(id).unwrap_or_else(|| panic!("no rule {id} in the registry"))
}

/// The rule fires in `fires/`: snapshot its findings (and only its findings).
fn assert_fires(id: &str) {
    let r = rule(id);
    assert_eq!(r.id, id, "look-up is case-insensitive; use the exact id");
    let dir = fixture(id, "fires");
    let (project, findings) = run(&dir);
    let mine: Vec<&Diagnostic> = findings.iter().filter(|d| d.code == id).collect();
    assert!(
        !mine.is_empty(),
        "{id} did not fire on {}; findings of other rules: {:?}",
        dir.display(),
        findings.iter().map(|d| &d.code).collect::<Vec<_>>()
    );
    for d in &mine {
        assert!(
            d.primary.as_ref().is_some_and(|l| !l.span.is_none()),
            "{id}: finding without a primary span: {}",
            d.message
        );
        assert!(
            d.target.is_some(),
            "{id}: finding without a suppression target: {}",
            d.message
        );
    }
    let report: String = mine
        .iter()
        .map(|d| {
            format!(
                "target: {}\n{}",
                d.target.as_deref().unwrap_or("-"),
                lawful::report::human::render(d, &project.model.sources, false)
            )
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!(id, report);
}

/// The rule is silent in `passes/`.
fn assert_passes(id: &str) {
    let r = rule(id);
    let dir = fixture(id, "passes");
    let (project, findings) = run(&dir);
    assert!(
        r.in_scope(&project.model),
        "{id}: the passes fixture must put the rule in scope, or it proves nothing"
    );
    let mine: Vec<String> = findings
        .iter()
        .filter(|d| d.code == id)
        .map(|d| lawful::report::human::render(d, &project.model.sources, false))
        .collect();
    assert!(
        mine.is_empty(),
        "{id} fired on {}:\n{}",
        dir.display(),
        mine.join("\n")
    );
}

macro_rules! rule_fixtures {
    ($($name:ident => $id:literal,)*) => {
        mod fires {
            $(#[test] fn $name() { super::assert_fires($id); })*
        }
        mod passes {
            $(#[test] fn $name() { super::assert_passes($id); })*
        }
    };
}

rule_fixtures! {
    core_field_classification => "CORE-FIELD-CLASSIFICATION",
    core_recipient_classification => "CORE-RECIPIENT-CLASSIFICATION",
    core_purpose_categories_declared => "CORE-PURPOSE-CATEGORIES-DECLARED",
    core_minimisation_unused_category => "CORE-MINIMISATION-UNUSED-CATEGORY",
    core_retention_declared => "CORE-RETENTION-DECLARED",
    core_retention_within_purpose => "CORE-RETENTION-WITHIN-PURPOSE",
    core_security_baseline => "CORE-SECURITY-BASELINE",
    gdpr_art3_territorial_scope => "GDPR-ART3-TERRITORIAL-SCOPE",
    gdpr_art6_lawful_basis => "GDPR-ART6-LAWFUL-BASIS",
    gdpr_art6_4_compatible_further_use => "GDPR-ART6-4-COMPATIBLE-FURTHER-USE",
    gdpr_art9_special_category_condition => "GDPR-ART9-SPECIAL-CATEGORY-CONDITION",
    gdpr_art10_criminal_offence_data => "GDPR-ART10-CRIMINAL-OFFENCE-DATA",
    gdpr_art13_14_notice_content => "GDPR-ART13-14-NOTICE-CONTENT",
    gdpr_art7_consent_conditions => "GDPR-ART7-CONSENT-CONDITIONS",
    gdpr_art6_basis_documentation => "GDPR-ART6-BASIS-DOCUMENTATION",
    gdpr_art8_child_consent_age => "GDPR-ART8-CHILD-CONSENT-AGE",
    gdpr_art12_dsr_deadline => "GDPR-ART12-DSR-DEADLINE",
    gdpr_art15_21_rights_coverage => "GDPR-ART15-21-RIGHTS-COVERAGE",
    gdpr_art21_direct_marketing_objection => "GDPR-ART21-DIRECT-MARKETING-OBJECTION",
    gdpr_art22_automated_decision => "GDPR-ART22-AUTOMATED-DECISION",
    gdpr_art26_joint_controller_arrangement => "GDPR-ART26-JOINT-CONTROLLER-ARRANGEMENT",
    gdpr_art27_eu_representative => "GDPR-ART27-EU-REPRESENTATIVE",
    gdpr_art28_processor_contract => "GDPR-ART28-PROCESSOR-CONTRACT",
    gdpr_art30_records_of_processing => "GDPR-ART30-RECORDS-OF-PROCESSING",
    gdpr_art35_dpia_required => "GDPR-ART35-DPIA-REQUIRED",
    gdpr_art37_dpo_required => "GDPR-ART37-DPO-REQUIRED",
    gdpr_art44_transfer_mechanism => "GDPR-ART44-TRANSFER-MECHANISM",
    gdpr_art45_us_dpf_certification => "GDPR-ART45-US-DPF-CERTIFICATION",
    gdpr_art46_transfer_impact_assessment => "GDPR-ART46-TRANSFER-IMPACT-ASSESSMENT",
    gdpr_art49_derogation_scope => "GDPR-ART49-DEROGATION-SCOPE",
    pipl_art3_territorial_scope => "PIPL-ART3-TERRITORIAL-SCOPE",
    pipl_art13_lawful_basis => "PIPL-ART13-LAWFUL-BASIS",
    pipl_art14_16_consent_conditions => "PIPL-ART14-16-CONSENT-CONDITIONS",
    pipl_art17_notice_content => "PIPL-ART17-NOTICE-CONTENT",
    pipl_art19_shortest_retention => "PIPL-ART19-SHORTEST-RETENTION",
    pipl_art20_joint_handler_agreement => "PIPL-ART20-JOINT-HANDLER-AGREEMENT",
    pipl_art21_entrusted_processing_agreement => "PIPL-ART21-ENTRUSTED-PROCESSING-AGREEMENT",
    pipl_art23_provision_separate_consent => "PIPL-ART23-PROVISION-SEPARATE-CONSENT",
    pipl_art24_automated_decision => "PIPL-ART24-AUTOMATED-DECISION",
    pipl_art25_public_disclosure_separate_consent => "PIPL-ART25-PUBLIC-DISCLOSURE-SEPARATE-CONSENT",
    pipl_art28_29_sensitive_separate_consent => "PIPL-ART28-29-SENSITIVE-SEPARATE-CONSENT",
    pipl_art31_minor_guardian_consent => "PIPL-ART31-MINOR-GUARDIAN-CONSENT",
    pipl_art38_xborder_mechanism => "PIPL-ART38-XBORDER-MECHANISM",
    pipl_art39_xborder_separate_consent => "PIPL-ART39-XBORDER-SEPARATE-CONSENT",
    pipl_art40_ciio_localisation => "PIPL-ART40-CIIO-LOCALISATION",
    pipl_art44_50_rights_coverage => "PIPL-ART44-50-RIGHTS-COVERAGE",
    pipl_art52_pipo_required => "PIPL-ART52-PIPO-REQUIRED",
    pipl_art53_prc_representative => "PIPL-ART53-PRC-REPRESENTATIVE",
    pipl_art54_compliance_audit => "PIPL-ART54-COMPLIANCE-AUDIT",
    pipl_art55_pipia_required => "PIPL-ART55-PIPIA-REQUIRED",
    pipl_cac2024_xborder_volume_threshold => "PIPL-CAC2024-XBORDER-VOLUME-THRESHOLD",
    ccpa_1798_140d_business_applicability => "CCPA-1798.140D-BUSINESS-APPLICABILITY",
    ccpa_1798_100a_notice_at_collection => "CCPA-1798.100A-NOTICE-AT-COLLECTION",
    ccpa_1798_140_sale_share_classification => "CCPA-1798.140-SALE-SHARE-CLASSIFICATION",
    ccpa_1798_120_opt_out_sale_share => "CCPA-1798.120-OPT-OUT-SALE-SHARE",
    ccpa_1798_135_opt_out_links => "CCPA-1798.135-OPT-OUT-LINKS",
    ccpa_7025_opt_out_preference_signal => "CCPA-7025-OPT-OUT-PREFERENCE-SIGNAL",
    ccpa_1798_105_125_rights_coverage => "CCPA-1798.105-125-RIGHTS-COVERAGE",
    ccpa_1798_130_response_deadlines => "CCPA-1798.130-RESPONSE-DEADLINES",
    ccpa_1798_121_limit_spi => "CCPA-1798.121-LIMIT-SPI",
    ccpa_1798_100d_recipient_contract => "CCPA-1798.100D-RECIPIENT-CONTRACT",
    ccpa_1798_100a3_retention_per_category => "CCPA-1798.100A3-RETENTION-PER-CATEGORY",
    ccpa_1798_120c_under16_opt_in => "CCPA-1798.120C-UNDER16-OPT-IN",
    ccpa_1798_100c_purpose_proportionality => "CCPA-1798.100C-PURPOSE-PROPORTIONALITY",
    ccpa_7150_risk_assessment => "CCPA-7150-RISK-ASSESSMENT",
    ccpa_7200_admt_significant_decision => "CCPA-7200-ADMT-SIGNIFICANT-DECISION",
    ccpa_7101_request_records => "CCPA-7101-REQUEST-RECORDS",
    ccpa_1798_125_financial_incentive => "CCPA-1798.125-FINANCIAL-INCENTIVE",
    ccpa_7011_privacy_policy => "CCPA-7011-PRIVACY-POLICY",
}

/// Every rule in the registry has both fixture folders, each with a lawful.yaml, and every
/// fixture folder belongs to a rule (so the macro above cannot silently miss one).
#[test]
fn every_rule_has_fires_and_passes_fixtures() {
    let ids: HashSet<&str> = rules::all().iter().map(|r| r.id).collect();
    for id in &ids {
        for kind in ["fires", "passes"] {
            let f = fixture(id, kind).join("lawful.yaml");
            assert!(f.is_file(), "{id}: missing {}", f.display());
        }
    }
    let source = std::fs::read_to_string(root().join("tests/rules.rs")).expect("read");
    for entry in std::fs::read_dir(root().join("tests/rules")).expect("tests/rules") {
        let name = entry
            .expect("entry")
            .file_name()
            .into_string()
            .expect("utf-8");
        assert!(
            ids.contains(name.as_str()),
            "tests/rules/{name} is not a rule id"
        );
        assert!(
            source.contains(&format!("=> \"{name}\"")),
            "{name} is not listed in rule_fixtures! in tests/rules.rs"
        );
    }
}

/// Ids are unique, well formed and name their rule set; every metadata field is filled in.
#[test]
fn rule_declarations_are_unique_and_complete() {
    let mut seen = HashSet::new();
    for r in rules::all() {
        assert!(seen.insert(r.id), "duplicate rule id {}", r.id);
        assert!(
            r.id.starts_with(&format!("{}-", r.set.title().split('/').next().unwrap())),
            "{} does not start with its rule set {}",
            r.id,
            r.set.title()
        );
        assert!(
            r.id.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-' || c == '.'),
            "{}: ids use upper case, digits, `-` and `.`",
            r.id
        );
        for (field, v) in [
            ("article", r.article),
            ("url", r.url),
            ("summary", r.summary),
            ("explanation", r.explanation),
            ("fix", r.fix),
        ] {
            assert!(!v.trim().is_empty(), "{}: empty {field}", r.id);
        }
        assert!(r.url.starts_with("http"), "{}: url is not a link", r.id);
        assert!(
            !r.summary.ends_with('.'),
            "{}: summary ends with a period",
            r.id
        );
        assert!(
            !r.fix_line().contains('\n'),
            "{}: first paragraph of fix is not one line",
            r.id
        );
        assert!(
            r.fix.contains("```yaml"),
            "{}: fix has no YAML example",
            r.id
        );
    }
    // With the planned ones, the catalogue of REGULATIONS.md §1 is complete and disjoint.
    for p in rules::docs::PLANNED {
        assert!(
            rules::find(p).is_none(),
            "{p} is implemented but still listed as planned"
        );
        assert!(seen.insert(p), "{p} listed twice");
    }
    assert_eq!(seen.len(), 69, "the catalogue has 69 rules");
}

/// docs/rules/ is generated from the declarations; fail when the committed pages differ.
#[test]
fn docs_rules_are_current() {
    let dir = root().join("docs/rules");
    let mut expected: Vec<(PathBuf, String)> = rules::all()
        .iter()
        .map(|r| (dir.join(format!("{}.md", r.id)), rules::docs::page(r)))
        .collect();
    expected.push((dir.join("README.md"), rules::docs::index()));
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::create_dir_all(&dir).expect("create docs/rules");
        for (path, text) in &expected {
            std::fs::write(path, text).expect("write page");
        }
    }
    let mut stale = Vec::new();
    for (path, text) in &expected {
        if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
            stale.push(
                path.strip_prefix(root())
                    .unwrap_or(path)
                    .display()
                    .to_string(),
            );
        }
    }
    let wanted: HashSet<PathBuf> = expected.iter().map(|(p, _)| p.clone()).collect();
    if let Ok(entries) = std::fs::read_dir(&dir) {
        for e in entries.flatten() {
            if !wanted.contains(&e.path()) {
                stale.push(format!("{} (no such rule)", e.path().display()));
            }
        }
    }
    assert!(
        stale.is_empty(),
        "docs/rules/ is stale: {}\nregenerate with: UPDATE_DOCS=1 cargo test --test rules",
        stale.join(", ")
    );
}

/// The YAML example of every rule's fix is valid manifest syntax: a user can paste it.
#[test]
fn fix_examples_are_valid_manifest_yaml() {
    use lawful::manifest::types::Document;
    for r in rules::all() {
        let Some((_, rest)) = r.fix.split_once("```yaml\n") else {
            panic!("{}: fix has no YAML example", r.id);
        };
        let yaml = rest.split("```").next().unwrap_or_default();
        if let Err(e) =
            lawful::manifest::yaml::parse_document::<Document>(lawful::manifest::FileId::NONE, yaml)
        {
            panic!(
                "{}: the fix example is not a valid manifest: {}\n{yaml}",
                r.id, e.message
            );
        }
    }
}

/// Severities of one rule's findings on a fixture, checked on `day`.
fn severities_on(
    id: &str,
    kind_dir: (&str, &str),
    day: &str,
) -> Vec<(lawful::report::Severity, String)> {
    let (project, _) = run(&fixture(kind_dir.0, kind_dir.1));
    lawful::check(&project, Date::parse(day).expect("date"))
        .findings
        .into_iter()
        .filter(|d| d.code == id)
        .map(|d| (d.severity, d.message))
        .collect()
}

/// CCPA-7200 warns while the ADMT obligations are not yet in force and errs from the day
/// they take effect, 1 January 2027.
#[test]
fn ccpa_7200_becomes_an_error_on_2027_01_01() {
    use lawful::report::Severity;
    let id = "CCPA-7200-ADMT-SIGNIFICANT-DECISION";
    let before = severities_on(id, (id, "fires"), "2026-12-31");
    let after = severities_on(id, (id, "fires"), "2027-01-01");
    assert_eq!(before.len(), 3, "{before:?}");
    assert!(
        before
            .iter()
            .all(|(s, m)| *s == Severity::Warning && m.contains("in force from 1 January 2027")),
        "{before:?}"
    );
    assert_eq!(after.len(), 3, "{after:?}");
    assert!(
        after
            .iter()
            .all(|(s, m)| *s == Severity::Error && m.contains("in force since 1 January 2027")),
        "{after:?}"
    );
}

/// Without a `rights:` section, PIPL-ART44-50 gives one finding that lists every handler
/// the project needs, including the conditional ones (consent, significant automated
/// decisions).
#[test]
fn pipl_rights_coverage_without_rights_section_lists_every_handler() {
    let id = "PIPL-ART44-50-RIGHTS-COVERAGE";
    let found = severities_on(id, ("PIPL-ART24-AUTOMATED-DECISION", "fires"), TODAY);
    assert_eq!(found.len(), 1, "{found:?}");
    let msg = &found[0].1;
    for key in [
        "`access`",
        "`deceased_relatives`",
        "`account_cancellation`",
        "`withdraw_consent`",
        "`automated_decision`",
    ] {
        assert!(msg.contains(key), "{key} missing from: {msg}");
    }
}

/// PIPL-ART24 reports differential pricing as a warning (Art 24(1) forbids only unreasonable
/// differences), and its other findings as errors.
#[test]
fn pipl_art24_differential_pricing_is_a_warning() {
    use lawful::report::Severity;
    let id = "PIPL-ART24-AUTOMATED-DECISION";
    let found = severities_on(id, (id, "fires"), TODAY);
    let pricing: Vec<_> = found
        .iter()
        .filter(|(_, m)| m.contains("Art 24(1)"))
        .collect();
    assert_eq!(pricing.len(), 1, "{found:?}");
    assert_eq!(pricing[0].0, Severity::Warning);
    assert!(
        found
            .iter()
            .filter(|(_, m)| !m.contains("Art 24(1)"))
            .all(|(s, _)| *s == Severity::Error),
        "{found:?}"
    );
}

/// CCPA-7025 asks for the display of the signal's status only from 1 January 2026
/// (11 CCR 7025(c)(6)); honouring the signal is required before that too.
#[test]
fn ccpa_7025_display_of_status_is_required_from_2026() {
    let id = "CCPA-7025-OPT-OUT-PREFERENCE-SIGNAL";
    let before = severities_on(id, (id, "fires"), "2025-12-31");
    let after = severities_on(id, (id, "fires"), "2026-01-01");
    assert_eq!(before.len(), 1, "{before:?}");
    assert!(before[0].1.contains("gpc.honoured"), "{before:?}");
    assert_eq!(after.len(), 2, "{after:?}");
    assert!(
        after.iter().any(|(_, m)| m.contains("displays_status")),
        "{after:?}"
    );
}

/// Without a `rights:` section, CCPA-1798.105-125 gives one finding that lists every handler
/// the business needs, including opt-out (it shares) and limit (SPI beyond 7027(m)).
#[test]
fn ccpa_rights_coverage_without_rights_section_lists_every_handler() {
    let id = "CCPA-1798.105-125-RIGHTS-COVERAGE";
    let found = severities_on(id, ("CCPA-1798.135-OPT-OUT-LINKS", "fires"), TODAY);
    assert_eq!(found.len(), 1, "{found:?}");
    let msg = &found[0].1;
    for key in [
        "`access`",
        "`erasure`",
        "`rectification`",
        "`opt_out_sale_share`",
        "`limit_spi`",
        "`non_discrimination`",
    ] {
        assert!(msg.contains(key), "{key} missing from: {msg}");
    }
}
