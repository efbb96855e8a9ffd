//! CCPA-7200-ADMT-SIGNIFICANT-DECISION: a business using automated decision-making
//! technology for a significant decision gives a pre-use notice, an opt-out (or a documented
//! exception such as a human appeal), and access to information about the ADMT.

use crate::manifest::Date;
use crate::manifest::types::{RegimeName, RightKind};
use crate::report::Severity;
use crate::rules::ccpa::risk_assessment_7150::CPPA_REGULATIONS_URL;
use crate::rules::facts::{purpose_subjects, purposes_in_scope};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-7200-ADMT-SIGNIFICANT-DECISION",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "11 CCR 7200–7222 (ADMT obligations from 1 Jan 2027)",
    url: CPPA_REGULATIONS_URL,
    default_severity: Severity::Warning,
    summary: "Automated decision-making technology makes a significant decision without a pre-use notice, an opt-out or appeal, or access to ADMT information",
    explanation: "Under the CPPA's regulations on automated decision-making technology (ADMT: technology that replaces, or substantially replaces, human decision-making), a business that uses ADMT to make a significant decision about a consumer (one that results in the provision or denial of financial or lending services, housing, education enrolment or opportunities, employment or independent-contracting opportunities or compensation, or health-care services) must, from 1 January 2027: give a pre-use notice before it uses the ADMT (11 CCR 7220); let consumers opt out of it, unless an exception applies, such as offering a human appeal of the decision (7221); and answer consumers' requests to access information about how the ADMT was used on them (7222).\n\nFor each purpose within the CCPA's reach that declares `automated_decision.ccpa_significant_decision`, lawful reports: no `pre_use_notice: true`; no `ccpa_opt_out` (`offered`, `human_appeal` or `exception`); and no `rights.automated_decision` handler to answer access requests.\n\nSeverity changes with the date. Before 1 January 2027 the obligations are not yet in force, so findings are warnings that let teams prepare; from that day on (by today's date, or `LAWFUL_TODAY`) each finding is raised to an error. The regulations are recent and this reading rests on a single secondary source, hence the default severity of warning.\n\nNot yet checked: the contents of the pre-use notice, the deadlines for opt-out and access requests, and the exceptions for some employment and education decisions.",
    fix: "Give a pre-use notice, offer an opt-out or a human appeal, and register a handler for ADMT access requests.\n\n```yaml\npurposes:\n  tenant_screening:\n    legal_basis: { ccpa: business_purpose }\n    automated_decision:\n      ccpa_significant_decision: housing\n      pre_use_notice: true\n      ccpa_opt_out: human_appeal\nrights:\n  automated_decision: { sla: P45D, channels: [web_form, toll_free_phone] }\n```",
    check,
};

/// The day the ADMT obligations take effect (11 CCR 7200(b)).
pub const ADMT_IN_FORCE: Date = Date {
    year: 2027,
    month: 1,
    day: 1,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let subjects = purpose_subjects(m);
    let in_scope = purposes_in_scope(m, subjects, RegimeName::Ccpa);
    let in_force = cx.today >= ADMT_IN_FORCE;
    let when = if in_force {
        "in force since 1 January 2027"
    } else {
        "in force from 1 January 2027"
    };
    let handler = m
        .rights
        .as_ref()
        .and_then(|r| r.handler(RightKind::AutomatedDecision));
    for (pi, p) in m.purposes.iter().enumerate() {
        let Some(ad) = &p.decl.automated_decision else {
            continue;
        };
        let Some(sd) = &ad.value.ccpa_significant_decision else {
            continue;
        };
        if !in_scope[pi] {
            continue;
        }
        let id = &p.id.value;
        let target = format!("purposes.{id}");
        let mut missing: Vec<(&str, String)> = Vec::new();
        if !ad.value.pre_use_notice.value {
            missing.push((
                "no pre-use notice",
                format!("purpose `{id}` uses ADMT for a significant decision but gives no pre-use notice; add `pre_use_notice: true` once consumers are told before the ADMT is used (11 CCR 7220, {when})"),
            ));
        }
        if ad.value.ccpa_opt_out.is_none() {
            missing.push((
                "no opt-out or exception",
                format!("purpose `{id}` uses ADMT for a significant decision but declares no `ccpa_opt_out`: offer an opt-out (`offered`), a human appeal (`human_appeal`), or record another exception (`exception`) (11 CCR 7221, {when})"),
            ));
        }
        if handler.is_none() {
            missing.push((
                "no access to ADMT information",
                format!("purpose `{id}` uses ADMT for a significant decision but `rights.automated_decision` names no handler to answer requests to access information about its use (11 CCR 7222, {when})"),
            ));
        }
        for (label, msg) in missing {
            let mut d = out
                .at(sd.span, label, msg)
                .with_secondary(p.id.span, "this purpose")
                .with_target(target.clone());
            if in_force {
                d.severity = Severity::Error;
            }
            out.push(d);
        }
    }
}
