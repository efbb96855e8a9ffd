//! CCPA-7150-RISK-ASSESSMENT: processing that presents significant risk to consumers'
//! privacy (selling or sharing, sensitive personal information, ADMT for significant
//! decisions) is covered by a current risk assessment done before it starts.

use crate::graph::DataFlowGraph;
use crate::manifest::types::{AssessmentKind, RegimeName};
use crate::manifest::yaml::Span;
use crate::manifest::{Date, Duration, Sp};
use crate::model::{AssessmentR, Model};
use crate::report::Severity;
use crate::rules::facts::{
    assessments_of_flow, assessments_of_purpose, flow_name, flow_target, is_true, list_ids,
    purpose_categories, purpose_subjects, purposes_in_scope,
};
use crate::rules::{Context, Findings, Rule, RuleSet};

/// The CPPA regulations (11 CCR §7000 et seq.).
pub const CPPA_REGULATIONS_URL: &str = "https://cppa.ca.gov/regulations/";

pub static RULE: Rule = Rule {
    id: "CCPA-7150-RISK-ASSESSMENT",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.185(a)(15)(B); 11 CCR 7150–7157 (in force 1 Jan 2026)",
    url: CPPA_REGULATIONS_URL,
    default_severity: Severity::Warning,
    summary: "Processing that presents significant risk to consumers' privacy has no current CCPA risk assessment done before it started",
    explanation: "The CCPA asks the California Privacy Protection Agency to require a risk assessment from businesses whose processing presents significant risk to consumers' privacy or security (Cal. Civ. Code 1798.185(a)(15)(B)). The CPPA's regulations, in force since 1 January 2026, name that processing (11 CCR 7150(b)): selling or sharing personal information; processing sensitive personal information (with narrow exceptions for employment); using automated decision-making technology (ADMT) for a significant decision; some automated inferences about applicants, students, employees, contractors or people at sensitive locations; and training ADMT or facial-recognition, emotion-recognition or identification technology. The assessment is done before the processing starts, reviewed at least every three years and updated within 45 days of a material change (7155). For processing that began before 1 January 2026 and continues, the assessment is due by 31 December 2027 (7155(c)); attestations and summaries go to the CPPA from 1 April 2028 (7157).\n\nlawful looks for three triggers: a flow with `sale: true` or `share: true`; a purpose within the CCPA's reach that declares, or receives through its flows, a sensitive category (`ccpa_spi`); and a purpose with `automated_decision.ccpa_significant_decision`. A trigger is covered by an assessment with `kind: ccpa_risk` that names the purpose (or, for a flow, the flow or one of its purposes) and has a `done_on` date. lawful reports a trigger with no such assessment; one whose latest assessment is more than three years old (by today's date); and one whose earliest assessment is dated after the purpose's `started_on` (or, for processing started before 2026, after 31 December 2027).\n\nThe regulations are recent and this reading rests on a single secondary source, so findings are warnings.\n\nNot yet checked: the employment exceptions for sensitive personal information, the inference and training triggers, updates within 45 days of a material change, and the attestation to the CPPA.",
    fix: "Run a risk assessment before the processing starts, name the purposes and flows it covers, and review it at least every three years.\n\n```yaml\nassessments:\n  ad_sharing_risk:\n    kind: ccpa_risk\n    purposes: [targeted_ads]\n    done_on: 2026-01-15\n    review_by: 2029-01-15\n```",
    check,
};

/// 11 CCR 7155(c): processing begun before this date may be assessed until 2027-12-31.
const IN_FORCE: Date = Date {
    year: 2026,
    month: 1,
    day: 1,
};
const LEGACY_DUE: Date = Date {
    year: 2027,
    month: 12,
    day: 31,
};

/// One thing that needs an assessment, and where it is declared.
struct Trigger {
    what: String,
    name: String,
    at: Span,
    primary: Span,
    target: String,
}

/// For each purpose within the CCPA's reach, what in it presents significant risk (11 CCR
/// 7150(b)) in words, and where the first trigger is declared; `None` when nothing does.
pub fn purpose_triggers(m: &Model, g: &DataFlowGraph) -> Vec<Option<(String, Span)>> {
    let t = &m.taxonomy;
    let subjects = purpose_subjects(m);
    let in_scope = purposes_in_scope(m, subjects, RegimeName::Ccpa);
    let used = purpose_categories(m, g);
    m.purposes
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            if !in_scope[pi] {
                return None;
            }
            let mut what: Vec<String> = Vec::new();
            let mut at = Span::NONE;
            let spi: Vec<&str> = used[pi]
                .iter()
                .filter(|&c| t.cat(c).is_ccpa_spi())
                .map(|c| t.cat(c).id.as_str())
                .collect();
            if !spi.is_empty() {
                what.push(format!(
                    "sensitive personal information: {}",
                    list_ids(spi, 3)
                ));
                at = p
                    .categories
                    .iter()
                    .find(|c| t.cat(c.cat).is_ccpa_spi())
                    .map(|c| c.span)
                    .unwrap_or(at);
            }
            if let Some(sd) = p
                .decl
                .automated_decision
                .as_ref()
                .and_then(|a| a.value.ccpa_significant_decision.as_ref())
            {
                what.push("ADMT for a significant decision".into());
                if at.is_none() {
                    at = sd.span;
                }
            }
            if what.is_empty() {
                return None;
            }
            Some((what.join("; "), at))
        })
        .collect()
}

/// For each flow that sells or shares personal information of purposes within the CCPA's
/// reach, the trigger in words and where it is declared; `None` for other flows.
pub fn flow_triggers(m: &Model) -> Vec<Option<(String, Span)>> {
    let subjects = purpose_subjects(m);
    let in_scope = purposes_in_scope(m, subjects, RegimeName::Ccpa);
    m.flows
        .iter()
        .map(|f| {
            if !(f.purposes.is_empty() || f.purposes.iter().any(|&p| in_scope[p])) {
                return None;
            }
            let sale = is_true(&f.decl.sale);
            let share = is_true(&f.decl.share);
            if !sale && !share {
                return None;
            }
            let (what, at) = match (sale, share) {
                (true, true) => ("selling and sharing", f.decl.sale.as_ref()),
                (true, false) => ("selling", f.decl.sale.as_ref()),
                _ => ("sharing", f.decl.share.as_ref()),
            };
            Some((
                format!("{what} personal information"),
                at.map(|b| b.span).unwrap_or_default(),
            ))
        })
        .collect()
}

/// The date by which processing that started on `start` must have been assessed: the start
/// itself, or 31 December 2027 for processing begun before 2026 (11 CCR 7155(c)).
pub fn assessment_due(start: Date) -> Date {
    if start < IN_FORCE { LEGACY_DUE } else { start }
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let ptrig = purpose_triggers(m, cx.graph);
    let ftrig = flow_triggers(m);
    for (pi, p) in m.purposes.iter().enumerate() {
        let Some((what, at)) = &ptrig[pi] else {
            continue;
        };
        let trig = Trigger {
            what: what.clone(),
            name: format!("purpose `{}`", p.id.value),
            at: *at,
            primary: p.id.span,
            target: format!("purposes.{}", p.id.value),
        };
        let covering: Vec<&AssessmentR> =
            assessments_of_purpose(m, AssessmentKind::CcpaRisk, pi).collect();
        report(cx, trig, &covering, p.decl.started_on.as_ref(), out);
    }

    for (fi, f) in m.flows.iter().enumerate() {
        let Some((what, at)) = &ftrig[fi] else {
            continue;
        };
        let trig = Trigger {
            what: what.clone(),
            name: flow_name(m, fi),
            at: *at,
            primary: f.decl.to.span,
            target: flow_target(m, fi),
        };
        let started = f
            .purposes
            .iter()
            .filter_map(|&p| m.purposes[p].decl.started_on.as_ref())
            .min_by_key(|s| s.value);
        let covering: Vec<&AssessmentR> =
            assessments_of_flow(m, AssessmentKind::CcpaRisk, fi).collect();
        report(cx, trig, &covering, started, out);
    }
}

/// Report a trigger that no dated assessment covers, whose latest assessment is stale, or
/// whose first assessment came after the processing started.
fn report(
    cx: &Context,
    trig: Trigger,
    covering: &[&AssessmentR],
    started_on: Option<&Sp<Date>>,
    out: &mut Findings,
) {
    let three_years = Duration {
        years: 3,
        ..Duration::default()
    };
    let dated: Vec<(&AssessmentR, &Sp<Date>)> = covering
        .iter()
        .filter_map(|a| a.decl.done_on.as_ref().map(|d| (*a, d)))
        .collect();
    let Some(&(latest_a, latest)) = dated.iter().max_by_key(|(_, d)| d.value) else {
        let mut d = out
             .at(
                 trig.primary,
                 "no risk assessment done",
                 format!(
                     "{} needs a CCPA risk assessment ({}), but no assessment with `kind: ccpa_risk` and a `done_on` date names it (11 CCR 7150)",
                     trig.name, trig.what
                 ),
             )
             .with_secondary(trig.at, "presents significant risk")
             .with_target(trig.target.clone());
        if let Some(a) = covering.first() {
            d = d.with_secondary(a.id.span, "not done yet: no `done_on`");
        }
        out.push(d);
        return;
    };
    if latest.value.plus(&three_years) < cx.today {
        let d = out
             .at(
                 latest.span,
                 "more than three years old",
                 format!(
                     "the latest CCPA risk assessment of {}, `{}`, was done on {}, more than three years ago; review and update it (11 CCR 7155(a))",
                     trig.name, latest_a.id.value, latest.value
                 ),
             )
             .with_target(trig.target.clone());
        out.push(d);
    }
    let Some(&(first_a, first)) = dated.iter().min_by_key(|(_, d)| d.value) else {
        return;
    };
    if let Some(start) = started_on {
        let (due, why) = if start.value < IN_FORCE {
            (
                LEGACY_DUE,
                "processing begun before 2026 is assessed by 31 December 2027 (11 CCR 7155(c))"
                    .to_string(),
            )
        } else {
            (
                start.value,
                format!(
                    "the processing started on {}, and the assessment comes first (11 CCR 7155)",
                    start.value
                ),
            )
        };
        if first.value > due {
            let d = out
                .at(
                    first.span,
                    "done too late",
                    format!(
                        "the CCPA risk assessment `{}` of {} is dated {}, too late: {why}",
                        first_a.id.value, trig.name, first.value
                    ),
                )
                .with_secondary(start.span, "processing started")
                .with_target(trig.target.clone());
            out.push(d);
        }
    }
}
