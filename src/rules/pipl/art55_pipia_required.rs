//! PIPL-ART55-PIPIA-REQUIRED: processing that triggers PIPL Art 55 is covered by a personal
//! information protection impact assessment done before it starts, containing the Art 56
//! elements and kept at least three years.

use crate::graph::DataFlowGraph;
use crate::manifest::types::{AssessmentElement, AssessmentKind, PiplRole, RegimeName};
use crate::manifest::yaml::Span;
use crate::manifest::{Date, Duration, Period};
use crate::model::{AssessmentR, Model, NodeRef};
use crate::report::Severity;
use crate::rules::facts::{
    assessments_of_flow, assessments_of_purpose, flow_name, flow_target, list_ids, may_be_under,
    purpose_categories, purpose_subjects, purposes_in_scope, subject_in_scope,
};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART55-PIPIA-REQUIRED",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 55, 56",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "Processing that needs a personal information protection impact assessment has none done before it started, or the assessment is incomplete",
    explanation: "PIPL Art 55 (个人信息保护法第五十五条) requires a personal information protection impact assessment (个人信息保护影响评估, PIPIA) in advance, and a record of how processing went, when a handler: processes sensitive personal information; uses personal information for automated decision-making; entrusts processing to another party, provides personal information to another handler, or makes it public; provides personal information abroad; or carries out other processing with a significant impact on individuals. Art 56 says what the assessment covers: whether the purposes and methods are lawful, legitimate and necessary; the impact on individuals' rights and interests and the security risks; and whether the protective measures are lawful, effective and proportionate to the risk. The report and the processing records are kept for at least three years.\n\nlawful looks for these triggers in purposes within the PIPL's reach: sensitive categories the purpose declares or receives through its flows, data of subjects who may be under 14 (all of it sensitive under Art 28), `automated_decision`, and `publishes: true`; and in flows: to a recipient whose PIPL role is `other_handler` (provision) or `entrusted_party` (entrusting), and exports out of mainland China. A trigger is covered by an assessment with `kind: pipia` that names the purpose (or, for a flow, the flow or one of its purposes) and has a `done_on` date. lawful reports a trigger with no such assessment, and one whose earliest PIPIA is dated after the purpose's `started_on`. For every PIPIA it also reports `covers` missing one of `lawfulness_necessity`, `impact_risk` and `measures`, and a `kept_for` that is absent or shorter than three years (`indefinite` is accepted).\n\nNot yet checked: \"other processing with a significant impact\" (Art 55(1)(5)), which needs judgement; whether the processing records themselves are kept three years.",
    fix: "Run a PIPIA before the processing starts, link it to the purposes and flows it assesses, and keep it at least three years.\n\n```yaml\nassessments:\n  face_login_pipia:\n    kind: pipia\n    purposes: [face_login]\n    done_on: 2026-02-01\n    covers: [lawfulness_necessity, impact_risk, measures]\n    kept_for: P3Y\n    ref: https://wiki.example.cn/pipia/face-login\n```",
    check,
};

/// Three years, the shortest period Art 56 allows for keeping the report.
fn three_years() -> Duration {
    Duration {
        years: 3,
        ..Duration::default()
    }
}

/// The earliest `done_on` among assessments, with its span.
fn earliest_done<'a>(it: impl Iterator<Item = &'a AssessmentR>) -> Option<(Date, Span, &'a str)> {
    it.filter_map(|a| {
        a.decl
            .done_on
            .as_ref()
            .map(|d| (d.value, d.span, a.id.value.as_str()))
    })
    .min_by_key(|t| t.0)
}

/// What makes a purpose or a flow need a PIPIA (PIPL Art 55(1)), in words, and where the
/// first trigger is declared.
#[derive(Clone, Debug)]
pub struct PipiaTrigger {
    pub triggers: Vec<String>,
    pub at: Span,
}

/// For each purpose, the Art 55 triggers it meets when it is within the PIPL's reach;
/// `None` when it meets none.
pub fn purpose_triggers(m: &Model, g: &DataFlowGraph) -> Vec<Option<PipiaTrigger>> {
    let t = &m.taxonomy;
    let subjects = purpose_subjects(m);
    let in_scope = purposes_in_scope(m, subjects, RegimeName::Pipl);
    let used = purpose_categories(m, g);
    m.purposes
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            if !in_scope[pi] {
                return None;
            }
            let mut triggers: Vec<String> = Vec::new();
            let mut at = Span::NONE;
            let sensitive: Vec<&str> = used[pi]
                .iter()
                .filter(|&c| t.cat(c).is_pipl_sensitive())
                .map(|c| t.cat(c).id.as_str())
                .collect();
            if !sensitive.is_empty() {
                triggers.push(format!(
                    "sensitive personal information ({})",
                    list_ids(sensitive, 3)
                ));
                at = p
                    .categories
                    .iter()
                    .find(|c| t.cat(c.cat).is_pipl_sensitive())
                    .map(|c| c.span)
                    .unwrap_or(at);
            }
            if let Some(&s) = subjects[pi]
                .iter()
                .find(|&&s| may_be_under(m, s, 14) && subject_in_scope(m, s, RegimeName::Pipl))
            {
                triggers.push(format!(
                    "personal information of subjects `{}`, who may be under 14",
                    m.subjects[s].id.value
                ));
            }
            if let Some(ad) = &p.decl.automated_decision {
                triggers.push("automated decision-making".into());
                if at.is_none() {
                    at = ad.span;
                }
            }
            if let Some(b) = p.decl.publishes.as_ref().filter(|b| b.value) {
                triggers.push("public disclosure".into());
                if at.is_none() {
                    at = b.span;
                }
            }
            if triggers.is_empty() {
                return None;
            }
            Some(PipiaTrigger { triggers, at })
        })
        .collect()
}

/// For each flow, the Art 55 triggers it meets (provision to another handler, entrusted
/// processing, export); `None` when it meets none.
pub fn flow_triggers(m: &Model, g: &DataFlowGraph) -> Vec<Option<PipiaTrigger>> {
    let subjects = purpose_subjects(m);
    let in_scope = purposes_in_scope(m, subjects, RegimeName::Pipl);
    m.flows
        .iter()
        .enumerate()
        .map(|(fi, f)| {
            let scoped = f.purposes.is_empty() || f.purposes.iter().any(|&p| in_scope[p]);
            let export = g.is_pipl_export(m, fi);
            let role = match f.to {
                NodeRef::Recipient(r) => m.recipients[r].decl.role.pipl.as_ref(),
                _ => None,
            };
            let mut triggers: Vec<&str> = Vec::new();
            let mut at = Span::NONE;
            if scoped && let Some(role) = role {
                match role.value {
                    PiplRole::OtherHandler => {
                        triggers.push("provision to another handler");
                        at = role.span;
                    }
                    PiplRole::EntrustedParty => {
                        triggers.push("entrusted processing");
                        at = role.span;
                    }
                    PiplRole::JointHandler => {}
                }
            }
            if export {
                triggers.push("export out of mainland China");
                if at.is_none() {
                    at = crate::rules::facts::node_country_span(m, f.to);
                }
            }
            if triggers.is_empty() {
                return None;
            }
            Some(PipiaTrigger {
                triggers: triggers.into_iter().map(String::from).collect(),
                at,
            })
        })
        .collect()
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let pipia_p = |p| assessments_of_purpose(m, AssessmentKind::Pipia, p);
    let pipia_f = |f| assessments_of_flow(m, AssessmentKind::Pipia, f);
    let ptrig = purpose_triggers(m, cx.graph);
    let ftrig = flow_triggers(m, cx.graph);

    for (pi, p) in m.purposes.iter().enumerate() {
        let Some(PipiaTrigger { triggers, at }) = &ptrig[pi] else {
            continue;
        };
        let at = *at;
        let id = &p.id.value;
        let target = format!("purposes.{id}");
        let what = triggers.join("; ");
        match earliest_done(pipia_p(pi)) {
            None => {
                let mut d = out
                    .at(
                        p.id.span,
                        "no PIPIA done",
                        format!(
                            "purpose `{id}` needs a PIPIA ({what}), but no assessment with `kind: pipia` and a `done_on` date names it (PIPL Art 55)"
                        ),
                    )
                    .with_secondary(at, "triggers the assessment")
                    .with_target(target);
                if let Some(a) = pipia_p(pi).next() {
                    d = d.with_secondary(a.id.span, "not done yet: no `done_on`");
                }
                out.push(d);
            }
            Some((done, span, aid)) => {
                if let Some(start) = &p.decl.started_on
                    && done > start.value
                {
                    let d = out
                        .at(
                            span,
                            "done after processing started",
                            format!(
                                "the PIPIA `{aid}` of purpose `{id}` is dated {done}, after the processing started on {}; the assessment comes first (PIPL Art 55)",
                                start.value
                            ),
                        )
                        .with_secondary(start.span, "processing started")
                        .with_target(target);
                    out.push(d);
                }
            }
        }
    }

    for (fi, f) in m.flows.iter().enumerate() {
        let Some(PipiaTrigger { triggers, at }) = &ftrig[fi] else {
            continue;
        };
        let at = *at;
        let name = flow_name(m, fi);
        let what = triggers.join("; ");
        let target = flow_target(m, fi);
        match earliest_done(pipia_f(fi)) {
            None => {
                let mut d = out
                    .at(
                        f.decl.to.span,
                        "no PIPIA done",
                        format!(
                            "{name} needs a PIPIA ({what}), but no assessment with `kind: pipia` and a `done_on` date names the flow or its purposes (PIPL Art 55)"
                        ),
                    )
                    .with_secondary(at, "triggers the assessment")
                    .with_target(target);
                if let Some(a) = pipia_f(fi).next() {
                    d = d.with_secondary(a.id.span, "not done yet: no `done_on`");
                }
                out.push(d);
            }
            Some((done, span, aid)) => {
                let start = f
                    .purposes
                    .iter()
                    .filter_map(|&p| m.purposes[p].decl.started_on.as_ref())
                    .min_by_key(|s| s.value);
                if let Some(start) = start
                    && done > start.value
                {
                    let d = out
                        .at(
                            span,
                            "done after processing started",
                            format!(
                                "the PIPIA `{aid}` of {name} is dated {done}, after the processing started on {}; the assessment comes first (PIPL Art 55)",
                                start.value
                            ),
                        )
                        .with_secondary(start.span, "processing started")
                        .with_target(target);
                    out.push(d);
                }
            }
        }
    }

    for a in &m.assessments {
        if a.decl.kind.value != AssessmentKind::Pipia {
            continue;
        }
        check_contents(a, out);
    }
}

/// Art 56: the three elements, and at least three years of keeping.
fn check_contents(a: &AssessmentR, out: &mut Findings) {
    let id = &a.id.value;
    let target = format!("assessments.{id}");
    let missing: Vec<&str> = [
        (
            AssessmentElement::LawfulnessNecessity,
            "lawfulness_necessity",
        ),
        (AssessmentElement::ImpactRisk, "impact_risk"),
        (AssessmentElement::Measures, "measures"),
    ]
    .into_iter()
    .filter(|(e, _)| !a.decl.covers.iter().any(|c| c.value == *e))
    .map(|(_, k)| k)
    .collect();
    if !missing.is_empty() {
        let d = out
            .at(
                a.id.span,
                "incomplete PIPIA",
                format!(
                    "PIPIA `{id}` does not list {} under `covers`: the assessment must address lawfulness, legitimacy and necessity; the impact and risks; and whether the measures are lawful, effective and proportionate (PIPL Art 56)",
                    list_ids(missing, 3)
                ),
            )
            .with_target(target.clone());
        out.push(d);
    }
    match &a.decl.kept_for {
        None => {
            let d = out
                .at(
                    a.id.span,
                    "no `kept_for`",
                    format!(
                        "PIPIA `{id}` does not say how long the report is kept; add `kept_for` of at least `P3Y` (PIPL Art 56)"
                    ),
                )
                .with_target(target);
            out.push(d);
        }
        Some(k) => {
            if let Period::Duration(d) = &k.value
                && d.approx_seconds() < three_years().approx_seconds()
            {
                let d = out
                    .at(
                        k.span,
                        "shorter than three years",
                        format!(
                            "PIPIA `{id}` is kept for {}, less than the three years PIPL Art 56 requires",
                            d.to_english()
                        ),
                    )
                    .with_target(target);
                out.push(d);
            }
        }
    }
}
