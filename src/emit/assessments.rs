//! The assessment report: which purposes and flows require a DPIA (GDPR Art 35), a PIPIA
//! (PIPL Art 55), a CCPA risk assessment (11 CCR 7150), a transfer impact assessment or a
//! legitimate-interests assessment, and the status of each from `assessments:`.
//!
//! What requires an assessment is decided by the rules' own trigger functions
//! ([`art35_dpia_required::dpia_needs`], [`art55_pipia_required::purpose_triggers`] and
//! [`art55_pipia_required::flow_triggers`], [`risk_assessment_7150::purpose_triggers`] and
//! [`risk_assessment_7150::flow_triggers`], [`art46_transfer_impact_assessment::tia_need`],
//! [`art6_basis_documentation::needs_lia`]), so the report and `lawful check` agree. Only
//! the assessments of regimes in scope are listed.
//!
//! Status: `done`; `missing` (no assessment of the kind with a `done_on` date covers it);
//! `overdue` (the latest one's `review_by` is before today, or for a CCPA risk assessment
//! it is more than three years old); `after start` (the first one was done after the
//! processing started). Today is [`Date::today`], so `LAWFUL_TODAY` fixes it.

use crate::Project;
use crate::manifest::types::{AssessmentKind, RegimeName};
use crate::manifest::{Date, Duration, Span};
use crate::model::{AssessmentR, Model};
use crate::report::Diagnostic;
use crate::rules::ccpa::risk_assessment_7150;
use crate::rules::facts::{assessments_of_flow, assessments_of_purpose, flow_target};
use crate::rules::gdpr::{
    art6_basis_documentation, art35_dpia_required, art46_transfer_impact_assessment,
};
use crate::rules::pipl::art55_pipia_required;

use super::ropa::{Table, source};

/// The report files, by path relative to the output folder.
pub fn report(p: &Project) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let m = &p.model;
    if !RegimeName::ALL.iter().any(|&r| m.applies(r)) {
        return Ok(Vec::new());
    }
    let today = Date::today();
    let rows = rows(p, today);
    let csv = Table {
        preamble: String::new(),
        columns: COLUMNS.to_vec(),
        rows: rows.iter().map(Row::cells).collect(),
        empty: "",
    };
    Ok(vec![
        ("assessments/report.csv".to_string(), csv.to_csv()),
        ("assessments/report.md".to_string(), markdown(m, &rows)),
    ])
}

const COLUMNS: [(&str, &str); 11] = [
    ("kind", "Assessment"),
    ("article", "Article"),
    ("scope", "Scope"),
    ("id", "Purpose or flow"),
    ("trigger", "Why it is required"),
    ("assessments", "Assessments"),
    ("done_on", "Done on"),
    ("review_by", "Review by"),
    ("ref", "Report"),
    ("status", "Status"),
    ("source", "Source"),
];

/// The kinds, in the report's order, with their title, article and regime.
const KINDS: [(AssessmentKind, &str, &str, &str, RegimeName); 5] = [
    (
        AssessmentKind::Dpia,
        "dpia",
        "Data protection impact assessments",
        "GDPR Art 35",
        RegimeName::Gdpr,
    ),
    (
        AssessmentKind::Tia,
        "tia",
        "Transfer impact assessments",
        "GDPR Art 46; CJEU C-311/18",
        RegimeName::Gdpr,
    ),
    (
        AssessmentKind::Lia,
        "lia",
        "Legitimate-interests assessments",
        "GDPR Art 6(1)(f)",
        RegimeName::Gdpr,
    ),
    (
        AssessmentKind::Pipia,
        "pipia",
        "Personal information protection impact assessments (个人信息保护影响评估)",
        "PIPL Art 55, 56",
        RegimeName::Pipl,
    ),
    (
        AssessmentKind::CcpaRisk,
        "ccpa_risk",
        "CCPA risk assessments",
        "11 CCR 7150",
        RegimeName::Ccpa,
    ),
];

/// One purpose or flow that requires one kind of assessment.
struct Row {
    kind: AssessmentKind,
    scope: &'static str,
    id: String,
    trigger: String,
    assessments: Vec<String>,
    done_on: Option<Date>,
    review_by: Option<Date>,
    refs: Vec<String>,
    flags: Vec<&'static str>,
    source: String,
    /// The accepted finding, when the project suppresses the rule's finding here: the
    /// expiry date and the reason.
    suppressed: Option<(Date, String)>,
}

impl Row {
    fn status(&self) -> String {
        if let Some((until, reason)) = &self.suppressed {
            return format!("accepted until {until}: {}", reason.trim());
        }
        if self.flags.is_empty() {
            "done".into()
        } else {
            self.flags.join("; ")
        }
    }

    fn cells(&self) -> Vec<String> {
        let (_, key, _, article, _) = KINDS
            .iter()
            .find(|k| k.0 == self.kind)
            .copied()
            .unwrap_or(KINDS[0]);
        vec![
            key.to_string(),
            article.to_string(),
            self.scope.to_string(),
            self.id.clone(),
            self.trigger.clone(),
            self.assessments.join("; "),
            self.done_on.map(|d| d.to_string()).unwrap_or_default(),
            self.review_by.map(|d| d.to_string()).unwrap_or_default(),
            self.refs.join("; "),
            self.status(),
            self.source.clone(),
        ]
    }
}

/// The status of a trigger from the assessments that cover it.
struct Status<'a> {
    covering: Vec<&'a AssessmentR>,
    /// A reference given elsewhere (a flow's `transfer.tia`), which counts as done.
    external_ref: Option<String>,
    /// When the processing started.
    started_on: Option<Date>,
    /// The date by which it must have been done, when it is not the start (CCPA 7155(c)).
    due: Option<Date>,
    /// A review is due this long after the assessment, whatever `review_by` says.
    max_age: Option<Duration>,
}

fn fill(row: &mut Row, st: Status, today: Date) {
    let dated: Vec<(&AssessmentR, Date)> = st
        .covering
        .iter()
        .filter_map(|a| a.decl.done_on.as_ref().map(|d| (*a, d.value)))
        .collect();
    row.assessments = st.covering.iter().map(|a| a.id.value.clone()).collect();
    row.refs = st
        .covering
        .iter()
        .filter_map(|a| a.decl.reference.clone())
        .chain(st.external_ref.clone())
        .collect();
    let Some(&(latest, latest_on)) = dated.iter().max_by_key(|(_, d)| *d) else {
        if st.external_ref.is_none() {
            row.flags.push("missing");
        }
        return;
    };
    row.done_on = Some(latest_on);
    row.review_by = latest.decl.review_by.as_ref().map(|r| r.value);
    let stale = st.max_age.is_some_and(|age| latest_on.plus(&age) < today);
    if row.review_by.is_some_and(|r| r < today) || stale {
        row.flags.push("overdue");
    }
    let first = dated.iter().map(|(_, d)| *d).min().unwrap_or(latest_on);
    if let Some(due) = st.due.or(st.started_on)
        && first > due
    {
        row.flags.push("after start");
    }
}

fn flow_id(m: &Model, fi: usize) -> String {
    let f = &m.flows[fi].decl;
    match &f.id {
        Some(id) => id.value.clone(),
        None => format!("{} -> {}", f.from.value, f.to.value),
    }
}

/// When the earliest purpose of a flow started.
fn flow_start(m: &Model, fi: usize) -> Option<Date> {
    m.flows[fi]
        .purposes
        .iter()
        .filter_map(|&p| m.purposes[p].decl.started_on.as_ref().map(|s| s.value))
        .min()
}

fn new_row(
    kind: AssessmentKind,
    scope: &'static str,
    id: String,
    trigger: String,
    at: Span,
    m: &Model,
) -> Row {
    Row {
        kind,
        scope,
        id,
        trigger,
        assessments: Vec::new(),
        done_on: None,
        review_by: None,
        refs: Vec::new(),
        flags: Vec::new(),
        source: source(m, at),
        suppressed: None,
    }
}

/// The rule that reports a missing assessment of each kind.
fn rule_of(kind: AssessmentKind) -> &'static str {
    match kind {
        AssessmentKind::Dpia => art35_dpia_required::RULE.id,
        AssessmentKind::Tia => art46_transfer_impact_assessment::RULE.id,
        AssessmentKind::Lia => art6_basis_documentation::RULE.id,
        AssessmentKind::Pipia => art55_pipia_required::RULE.id,
        AssessmentKind::CcpaRisk => risk_assessment_7150::RULE.id,
    }
}

/// Mark the row accepted when an unexpired suppression of its rule names `target`, as
/// `lawful check` does; it then counts neither as missing nor as overdue.
fn suppress(row: &mut Row, m: &Model, target: &str, today: Date) {
    let rule = rule_of(row.kind);
    if let Some(s) = m.suppressions.iter().map(|s| &s.decl.value).find(|s| {
        s.rule.value.eq_ignore_ascii_case(rule)
            && s.target.value == target
            && s.expires.value >= today
    }) {
        row.flags.clear();
        row.suppressed = Some((s.expires.value, s.reason.value.clone()));
    }
}

fn rows(p: &Project, today: Date) -> Vec<Row> {
    let m = &p.model;
    let g = &p.graph;
    let mut out = Vec::new();
    let purpose_start = |pi: usize| m.purposes[pi].decl.started_on.as_ref().map(|s| s.value);
    if m.applies(RegimeName::Gdpr) {
        for (pi, need) in art35_dpia_required::dpia_needs(m, g).iter().enumerate() {
            let Some(need) = need else { continue };
            let pr = &m.purposes[pi];
            let mut row = new_row(
                AssessmentKind::Dpia,
                "purpose",
                pr.id.value.clone(),
                need.why(),
                pr.id.span,
                m,
            );
            let st = Status {
                covering: assessments_of_purpose(m, AssessmentKind::Dpia, pi).collect(),
                external_ref: None,
                started_on: purpose_start(pi),
                due: None,
                max_age: None,
            };
            fill(&mut row, st, today);
            suppress(&mut row, m, &format!("purposes.{}", pr.id.value), today);
            out.push(row);
        }
        for fi in 0..m.flows.len() {
            let Some(need) = art46_transfer_impact_assessment::tia_need(m, g, fi) else {
                continue;
            };
            let f = &m.flows[fi];
            let at = f.decl.id.as_ref().map(|i| i.span).unwrap_or(f.decl.to.span);
            let trigger = format!("the flow {}", need.why.replace('`', ""));
            let mut row = new_row(AssessmentKind::Tia, "flow", flow_id(m, fi), trigger, at, m);
            let st = Status {
                covering: assessments_of_flow(m, AssessmentKind::Tia, fi).collect(),
                external_ref: f.decl.transfer.as_ref().and_then(|t| t.tia.clone()),
                started_on: flow_start(m, fi),
                due: None,
                max_age: None,
            };
            fill(&mut row, st, today);
            suppress(&mut row, m, &flow_target(m, fi), today);
            out.push(row);
        }
        for (pi, pr) in m.purposes.iter().enumerate() {
            if !art6_basis_documentation::needs_lia(m, pi) {
                continue;
            }
            let mut row = new_row(
                AssessmentKind::Lia,
                "purpose",
                pr.id.value.clone(),
                "relies on legitimate interests (Art 6(1)(f)); the balancing test is documented (Art 5(2))".into(),
                pr.id.span,
                m,
            );
            let st = Status {
                covering: assessments_of_purpose(m, AssessmentKind::Lia, pi).collect(),
                external_ref: None,
                started_on: purpose_start(pi),
                due: None,
                max_age: None,
            };
            fill(&mut row, st, today);
            suppress(&mut row, m, &format!("purposes.{}", pr.id.value), today);
            out.push(row);
        }
    }
    if m.applies(RegimeName::Pipl) {
        for (pi, t) in art55_pipia_required::purpose_triggers(m, g)
            .iter()
            .enumerate()
        {
            let Some(t) = t else { continue };
            let pr = &m.purposes[pi];
            let mut row = new_row(
                AssessmentKind::Pipia,
                "purpose",
                pr.id.value.clone(),
                t.triggers.join("; ").replace('`', ""),
                pr.id.span,
                m,
            );
            let st = Status {
                covering: assessments_of_purpose(m, AssessmentKind::Pipia, pi).collect(),
                external_ref: None,
                started_on: purpose_start(pi),
                due: None,
                max_age: None,
            };
            fill(&mut row, st, today);
            suppress(&mut row, m, &format!("purposes.{}", pr.id.value), today);
            out.push(row);
        }
        for (fi, t) in art55_pipia_required::flow_triggers(m, g).iter().enumerate() {
            let Some(t) = t else { continue };
            let f = &m.flows[fi];
            let at = f.decl.id.as_ref().map(|i| i.span).unwrap_or(f.decl.to.span);
            let mut row = new_row(
                AssessmentKind::Pipia,
                "flow",
                flow_id(m, fi),
                t.triggers.join("; "),
                at,
                m,
            );
            let st = Status {
                covering: assessments_of_flow(m, AssessmentKind::Pipia, fi).collect(),
                external_ref: None,
                started_on: flow_start(m, fi),
                due: None,
                max_age: None,
            };
            fill(&mut row, st, today);
            suppress(&mut row, m, &flow_target(m, fi), today);
            out.push(row);
        }
    }
    if m.applies(RegimeName::Ccpa) {
        let three_years = Duration {
            years: 3,
            ..Duration::default()
        };
        for (pi, t) in risk_assessment_7150::purpose_triggers(m, g)
            .iter()
            .enumerate()
        {
            let Some((what, _)) = t else { continue };
            let pr = &m.purposes[pi];
            let mut row = new_row(
                AssessmentKind::CcpaRisk,
                "purpose",
                pr.id.value.clone(),
                what.replace('`', ""),
                pr.id.span,
                m,
            );
            let start = purpose_start(pi);
            let st = Status {
                covering: assessments_of_purpose(m, AssessmentKind::CcpaRisk, pi).collect(),
                external_ref: None,
                started_on: start,
                due: start.map(risk_assessment_7150::assessment_due),
                max_age: Some(three_years.clone()),
            };
            fill(&mut row, st, today);
            suppress(&mut row, m, &format!("purposes.{}", pr.id.value), today);
            out.push(row);
        }
        for (fi, t) in risk_assessment_7150::flow_triggers(m).iter().enumerate() {
            let Some((what, _)) = t else { continue };
            let f = &m.flows[fi];
            let at = f.decl.id.as_ref().map(|i| i.span).unwrap_or(f.decl.to.span);
            let mut row = new_row(
                AssessmentKind::CcpaRisk,
                "flow",
                flow_id(m, fi),
                what.clone(),
                at,
                m,
            );
            let start = flow_start(m, fi);
            let st = Status {
                covering: assessments_of_flow(m, AssessmentKind::CcpaRisk, fi).collect(),
                external_ref: None,
                started_on: start,
                due: start.map(risk_assessment_7150::assessment_due),
                max_age: Some(three_years.clone()),
            };
            fill(&mut row, st, today);
            suppress(&mut row, m, &flow_target(m, fi), today);
            out.push(row);
        }
    }
    out
}

fn markdown(m: &Model, rows: &[Row]) -> String {
    let mut s = String::from("# Assessment report\n\n");
    s.push_str(
        "Which purposes and data flows need an impact or other assessment, why, and where each \
         stands according to `assessments:`. The triggers are those `lawful check` \
         applies. Status: **done**; **missing** (no assessment of that kind with a `done_on` \
         date covers it); **overdue** (its `review_by` date has passed, or a CCPA risk \
         assessment is more than three years old); **after start** (the first assessment was \
         done after the processing started). Statuses are judged on the day of the build, and \
         the report names no date, so it changes only when a status does: a committed report \
         that `lawful build --check` finds stale means an assessment has fallen due. The same \
         report is in `report.csv`.\n\n",
    );
    let count = |f: &str| rows.iter().filter(|r| r.flags.contains(&f)).count();
    s.push_str(&format!(
        "- Required: {}\n- Missing: {}\n- Overdue: {}\n- Done after the processing started: {}\n",
        rows.len(),
        count("missing"),
        count("overdue"),
        count("after start")
    ));
    for (kind, _, title, article, regime) in KINDS {
        if !m.applies(regime) {
            continue;
        }
        s.push_str(&format!("\n## {title} ({article})\n\n"));
        let mine: Vec<&Row> = rows.iter().filter(|r| r.kind == kind).collect();
        let t = Table {
            preamble: String::new(),
            columns: vec![
                ("scope", "Scope"),
                ("id", "Purpose or flow"),
                ("trigger", "Why it is required"),
                ("assessments", "Assessments"),
                ("done_on", "Done on"),
                ("review_by", "Review by"),
                ("ref", "Report"),
                ("status", "Status"),
                ("source", "Source"),
            ],
            rows: mine
                .iter()
                .map(|r| {
                    let mut c = r.cells();
                    c.drain(0..2);
                    let st = c.len() - 2;
                    c[st] = format!("**{}**", c[st]);
                    c
                })
                .collect(),
            empty: "Nothing in the manifest requires one.",
        };
        s.push_str(&t.to_md());
    }
    s
}
