//! Which regimes apply, and why: derived from establishments, targeting and monitoring
//! facts, where data subjects live, and the CCPA business thresholds (GDPR Art 3; PIPL
//! Art 3; CCPA 1798.140(d)), or forced with `regimes:`. Rules of a regime out of scope do
//! not run.

use std::path::Path;

use lawful::manifest::Date;
use lawful::manifest::types::RegimeName;

fn project(yaml: &str) -> lawful::Project {
    lawful::load_from_files(
        Path::new("mem"),
        vec![("lawful.yaml".into(), yaml.as_bytes().to_vec())],
    )
    .unwrap_or_else(|f| panic!("does not load: {:?}", f.diagnostics))
}

/// (applies, reason) of a regime.
fn scope(p: &lawful::Project, r: RegimeName) -> (bool, String) {
    let s = p.model.regimes.iter().find(|s| s.regime == r).unwrap();
    (s.applies, s.reason.clone())
}

fn ran(p: &lawful::Project, prefix: &str) -> bool {
    lawful::rules_that_run(p, &Default::default())
        .iter()
        .any(|r| r.id.starts_with(prefix))
}

const SUBJECTS: &str = "
subjects:
  users: { lives_in: [DE, CN, US-CA] }
";

#[test]
fn subjects_living_in_a_territory_bring_its_regime_in_as_an_assumption() {
    let p = project(&format!(
        "organization: {{ name: Acme, establishments: [SG] }}\n{SUBJECTS}"
    ));
    let (on, why) = scope(&p, RegimeName::Gdpr);
    assert!(on);
    assert!(
        why.contains("`users` live in DE") && why.contains("assumed"),
        "{why}"
    );
    let (on, why) = scope(&p, RegimeName::Pipl);
    assert!(on && why.contains("assumed"), "{why}");
    assert!(ran(&p, "GDPR-") && ran(&p, "PIPL-"));
    // The assumption itself is reported, for a human to confirm.
    let findings = lawful::check(&p, Date::parse("2026-11-29").unwrap()).findings;
    assert!(
        findings
            .iter()
            .any(|d| d.code == "GDPR-ART3-TERRITORIAL-SCOPE")
    );
}

#[test]
fn declared_targeting_decides_and_is_given_as_the_reason() {
    let p = project(&format!(
        "organization: {{ name: Acme, establishments: [SG], targets_eu: true, analyses_cn: true }}\n{SUBJECTS}"
    ));
    let (on, why) = scope(&p, RegimeName::Gdpr);
    assert!(on && why.contains("Art 3(2)(a)"), "{why}");
    let (on, why) = scope(&p, RegimeName::Pipl);
    assert!(on && why.contains("Art 3(2)(2)"), "{why}");
    let findings = lawful::check(&p, Date::parse("2026-11-29").unwrap()).findings;
    assert!(
        !findings
            .iter()
            .any(|d| d.code.ends_with("-ART3-TERRITORIAL-SCOPE")),
        "a declared fact leaves nothing to confirm"
    );
}

#[test]
fn denying_both_targeting_and_monitoring_takes_the_regime_out() {
    let p = project(&format!(
        "organization: {{ name: Acme, establishments: [SG], targets_eu: false, monitors_eu: false, targets_cn: false, analyses_cn: false }}\n{SUBJECTS}"
    ));
    let (on, why) = scope(&p, RegimeName::Gdpr);
    assert!(!on && why.contains("neither offers"), "{why}");
    let (on, _) = scope(&p, RegimeName::Pipl);
    assert!(!on);
    assert!(!ran(&p, "GDPR-") && !ran(&p, "PIPL-"));
    // Denying only one of the two is not enough.
    let p = project(&format!(
        "organization: {{ name: Acme, establishments: [SG], targets_eu: false }}\n{SUBJECTS}"
    ));
    assert!(scope(&p, RegimeName::Gdpr).0);
}

#[test]
fn an_establishment_settles_it_whatever_the_targeting_facts_say() {
    let p = project(&format!(
        "organization: {{ name: Acme, establishments: [FR], targets_eu: false, monitors_eu: false }}\n{SUBJECTS}"
    ));
    let (on, why) = scope(&p, RegimeName::Gdpr);
    assert!(on && why.contains("establishment in FR"), "{why}");
}

#[test]
fn ccpa_thresholds_decide_whether_a_california_business_is_covered() {
    // All three thresholds declared and none met: not a CCPA business.
    let p = project(&format!(
        "organization: {{ name: Acme, establishments: [US-CA], annual_gross_revenue_usd: 2000000, ca_consumers_per_year: 5000, revenue_share_sell_share: 0 }}\n{SUBJECTS}"
    ));
    let (on, why) = scope(&p, RegimeName::Ccpa);
    assert!(
        !on && why.contains("no threshold of 1798.140(d)(1) is met"),
        "{why}"
    );
    assert!(!ran(&p, "CCPA-"));
    // The CPI-adjusted revenue figure: $26,625,000 is in, one dollar less is out.
    for (revenue, expected) in [(26_625_000u64, true), (26_624_999, false)] {
        let p = project(&format!(
            "organization: {{ name: Acme, establishments: [US-CA], annual_gross_revenue_usd: {revenue}, ca_consumers_per_year: 0, revenue_share_sell_share: 0 }}\n{SUBJECTS}"
        ));
        let (on, why) = scope(&p, RegimeName::Ccpa);
        assert_eq!(on, expected, "{revenue}: {why}");
        if on {
            assert!(why.contains("1798.140(d)(1)(A)"), "{why}");
        }
    }
    // Unknown thresholds: assumed, and CCPA-1798.140D-BUSINESS-APPLICABILITY says so.
    let p = project(&format!(
        "organization: {{ name: Acme, establishments: [US-CA] }}\n{SUBJECTS}"
    ));
    assert!(scope(&p, RegimeName::Ccpa).0);
    let findings = lawful::check(&p, Date::parse("2026-11-29").unwrap()).findings;
    assert!(
        findings
            .iter()
            .any(|d| d.code == "CCPA-1798.140D-BUSINESS-APPLICABILITY")
    );
}

#[test]
fn regimes_forces_the_outcome() {
    let p = project(&format!(
        "organization: {{ name: Acme, establishments: [FR] }}\nregimes: [pipl]\n{SUBJECTS}"
    ));
    assert!(!scope(&p, RegimeName::Gdpr).0);
    assert_eq!(
        scope(&p, RegimeName::Pipl),
        (true, "declared in `regimes:`".to_string())
    );
    assert!(!ran(&p, "GDPR-") && ran(&p, "PIPL-"));
}

/// A purpose that lists its datasets is not inferred to use others that merely hold one of
/// its categories; one that lists none still is.
#[test]
fn a_purposes_datasets_replace_the_inference_from_categories() {
    let yaml = "organization: { name: Acme, establishments: [DE] }
subjects:
  customer: { lives_in: [DE] }
  employee: { lives_in: [DE] }
purposes:
  payroll: { legal_basis: { gdpr: contract }, categories: [contact.email], datasets: [staff] }
  newsletter: { legal_basis: { gdpr: consent }, categories: [contact.email] }
datasets:
  staff: { subjects: [employee], fields: { email: { categories: [contact.email] } } }
  customers: { subjects: [customer], fields: { email: { categories: [contact.email] } } }
";
    let p = project(yaml);
    let m = &p.model;
    let by_dataset = lawful::rules::facts::dataset_purposes(m);
    let id = |ds: usize| -> Vec<&str> {
        by_dataset[ds]
            .iter()
            .map(|&pi| m.purposes[pi].id.value.as_str())
            .collect()
    };
    let staff = m
        .datasets
        .iter()
        .position(|d| d.id.value == "staff")
        .unwrap();
    let customers = m
        .datasets
        .iter()
        .position(|d| d.id.value == "customers")
        .unwrap();
    assert_eq!(id(staff), ["payroll", "newsletter"]);
    assert_eq!(
        id(customers),
        ["newsletter"],
        "payroll does not read the customers' table"
    );
}
