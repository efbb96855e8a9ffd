//! PIPL-CAC2024-XBORDER-VOLUME-THRESHOLD: the declared export mechanism is at least the one
//! the CAC 2024 volume thresholds require for the yearly export counts.

use std::sync::OnceLock;

use crate::manifest::types::{PiplTransfer, RegimeName};
use crate::report::Severity;
use crate::rules::facts::{flow_name, flow_target};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-CAC2024-XBORDER-VOLUME-THRESHOLD",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 38(1); CAC Provisions on Promoting and Regulating Cross-Border Data Flows (2024) Art 5(4), 7, 8",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "The declared export mechanism is weaker than the one the CAC 2024 volume thresholds require",
    explanation: "The CAC's 2024 Provisions on Promoting and Regulating Cross-Border Data Flows (促进和规范数据跨境流动规定) tie the export mechanism to how many individuals' personal information a handler that is not a critical-information-infrastructure operator (CIIO) has sent abroad since 1 January of the current year, counted per legal entity: non-sensitive personal information of 1,000,000 or more individuals, or sensitive personal information of 10,000 or more, needs a CAC security assessment (Art 7(2)); 100,000 to 999,999 individuals, or sensitive personal information of 1 to 9,999, needs the standard contract or a certification (Art 8); fewer than 100,000 individuals and no sensitive personal information is exempt (Art 5(4)). A CIIO cannot use the volume exemption at all (Art 7(1)). Splitting a transfer to stay under a threshold is not allowed.\n\nlawful adds up `volume.subjects_per_year` and `volume.sensitive_subjects_per_year` over the flows that export personal information from mainland China, leaving out those exempt as necessary for a contract, HR management or an emergency (`exempt_cac2024_art5_1` to `_art5_3`), which the Provisions treat before the counts. It then reports each export whose `transfer.pipl` is weaker than the totals require (error), and each export whose mechanism still suffices but whose totals reach 80% of the next threshold (warning), so the upgrade can start before the crossing. The thresholds live in a data file with their source. Every exported individual is counted as non-sensitive personal information, since almost every export carries some; the sum over flows can count one person twice, which errs on the safe side.\n\nNot yet checked: important data (Art 7(2)), which needs a security assessment whatever the volume; the language has no flag for it yet. A CIIO exporting without a security assessment is reported by PIPL-ART40-CIIO-LOCALISATION; this rule only reports a CIIO that claims the volume exemption.",
    fix: "Declare the mechanism the yearly totals require, and upgrade before a threshold is crossed, not after.\n\n```yaml\nflows:\n  - from: orders_cn\n    to: hq_singapore\n    purposes: [sales_reporting]\n    volume: { subjects_per_year: 250000 }\n    transfer: { pipl: standard_contract }\n```",
    check,
};

const DATA: &str = include_str!("cac2024_thresholds.tsv");

/// The CAC 2024 thresholds, from `cac2024_thresholds.tsv`.
struct Thresholds {
    sa_non_sensitive: u64,
    sa_sensitive: u64,
    contract_non_sensitive: u64,
    contract_sensitive: u64,
    warning_percent: u64,
}

fn thresholds() -> &'static Thresholds {
    static T: OnceLock<Thresholds> = OnceLock::new();
    T.get_or_init(|| {
        let get = |key: &str| -> u64 {
            DATA.lines()
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|l| l.split('\t').collect::<Vec<_>>())
                .find(|f| f[0] == key)
                .and_then(|f| f.get(1).and_then(|v| v.parse().ok()))
                .unwrap_or_else(|| panic!("cac2024_thresholds.tsv: no value for {key}"))
        };
        Thresholds {
            sa_non_sensitive: get("security_assessment_non_sensitive"),
            sa_sensitive: get("security_assessment_sensitive"),
            contract_non_sensitive: get("contract_non_sensitive"),
            contract_sensitive: get("contract_sensitive"),
            warning_percent: get("warning_percent"),
        }
    })
}

/// Strength of a mechanism: 0 exempt by volume, 1 standard contract or certification, 2
/// security assessment. `None` for the exemptions that do not depend on volume.
fn level(t: PiplTransfer) -> Option<u8> {
    match t {
        PiplTransfer::ExemptVolume => Some(0),
        PiplTransfer::StandardContract | PiplTransfer::Certification => Some(1),
        PiplTransfer::SecurityAssessment => Some(2),
        PiplTransfer::ExemptContract | PiplTransfer::ExemptHr | PiplTransfer::ExemptEmergency => {
            None
        }
    }
}

fn level_name(l: u8) -> &'static str {
    match l {
        0 => "the Art 5(4) volume exemption",
        1 => "the standard contract or a certification",
        _ => "a CAC security assessment",
    }
}

/// The level the totals require.
fn required(t: &Thresholds, non_sensitive: u64, sensitive: u64) -> u8 {
    if non_sensitive >= t.sa_non_sensitive || sensitive >= t.sa_sensitive {
        2
    } else if non_sensitive >= t.contract_non_sensitive || sensitive >= t.contract_sensitive {
        1
    } else {
        0
    }
}

/// Whether the totals reach the warning share of a threshold above `declared`.
fn near(t: &Thresholds, declared: u8, non_sensitive: u64, sensitive: u64) -> bool {
    let reach = |count: u64, threshold: u64| count * 100 >= threshold * t.warning_percent;
    match declared {
        0 => reach(non_sensitive, t.contract_non_sensitive),
        1 => reach(non_sensitive, t.sa_non_sensitive) || reach(sensitive, t.sa_sensitive),
        _ => false,
    }
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = thresholds();
    let ciio = m
        .organization
        .as_ref()
        .and_then(|o| o.value.is_ciio.as_ref())
        .is_some_and(|c| c.value);
    let exports: Vec<usize> = (0..m.flows.len())
        .filter(|&fi| cx.graph.is_pipl_export(m, fi))
        .collect();
    let mechanism = |fi: usize| {
        m.flows[fi]
            .decl
            .transfer
            .as_ref()
            .and_then(|tr| tr.value.pipl.as_ref())
    };
    let (mut non_sensitive, mut sensitive) = (0u64, 0u64);
    for &fi in &exports {
        if mechanism(fi).is_some_and(|p| level(p.value).is_none()) {
            continue;
        }
        if let Some(v) = &m.flows[fi].decl.volume {
            non_sensitive = non_sensitive.saturating_add(v.subjects_per_year.unwrap_or(0));
            sensitive = sensitive.saturating_add(v.sensitive_subjects_per_year.unwrap_or(0));
        }
    }
    let need = required(t, non_sensitive, sensitive);
    let totals = format!(
        "{non_sensitive} individuals a year, {sensitive} of them with sensitive personal information"
    );
    for &fi in &exports {
        let Some(p) = mechanism(fi) else {
            continue;
        };
        let Some(have) = level(p.value) else {
            continue;
        };
        let d = if ciio && have == 0 {
            out.at(
                p.span,
                "not available to a CIIO",
                format!(
                    "{} claims the Art 5(4) volume exemption, but the organisation is a critical information infrastructure operator, whose exports need a CAC security assessment (CAC 2024 Art 7(1))",
                    flow_name(m, fi)
                ),
            )
        } else if have < need {
            out.at(
                p.span,
                format!("{} required", level_name(need)),
                format!(
                    "{} relies on {}, but the exports from mainland China add up to {totals}, which requires {} (CAC 2024 Art 5(4), 7, 8)",
                    flow_name(m, fi),
                    level_name(have),
                    level_name(need)
                ),
            )
        } else if near(t, have, non_sensitive, sensitive) {
            let mut d = out.at(
                p.span,
                format!("{}% of the next threshold", t.warning_percent),
                format!(
                    "{} relies on {}; the exports from mainland China add up to {totals}, at {}% or more of the threshold for {}: prepare the upgrade before the crossing",
                    flow_name(m, fi),
                    level_name(have),
                    t.warning_percent,
                    level_name(have + 1)
                ),
            );
            d.severity = Severity::Warning;
            d
        } else {
            continue;
        };
        let d = d
            .with_secondary(m.flows[fi].decl.to.span, "export from mainland China")
            .with_target(flow_target(m, fi));
        out.push(d);
    }
}
