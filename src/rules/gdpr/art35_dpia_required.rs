//! GDPR-ART35-DPIA-REQUIRED: a purpose likely to result in a high risk (an Art 35(3) case,
//! or two or more WP248 criteria) has a data protection impact assessment, done before the
//! processing started and not past its review date.

use crate::graph::DataFlowGraph;
use crate::manifest::types::{AssessmentKind, RegimeName};
use crate::model::Model;
use crate::report::Severity;
use crate::rules::facts::{self, list_ids};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART35-DPIA-REQUIRED",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 35(1), (3), (7), (11); WP29 WP248 rev.01",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_35",
    default_severity: Severity::Error,
    summary: "A purpose likely to result in a high risk has no current data protection impact assessment done before it started",
    explanation: "Where processing is likely to result in a high risk to people's rights and freedoms, the controller assesses its impact before it starts (Art 35(1)). Art 35(3) names three cases that always need an assessment: a systematic and extensive evaluation of people, including profiling, on which decisions with legal or similarly significant effects are based; processing of special-category or criminal-offence data on a large scale; and systematic monitoring of a publicly accessible area on a large scale. The Article 29 Working Party guidelines (WP248 rev.01, endorsed by the EDPB) add nine criteria and say that processing meeting two of them will in most cases need an assessment. The assessment is reviewed when the risk changes (Art 35(11)).\n\nFor each purpose, lawful counts these criteria from the manifest: `profiling` (evaluation or scoring); `automated_decision.significant_effect`; `systematic_monitoring`; special-category or criminal-offence data among its categories; `large_scale`; `combines_datasets`; vulnerable data subjects (`vulnerable: true`, or a `min_age` under 18); `innovative_tech`. The Art 35(3) cases are read as: significant automated decisions with profiling; large-scale special-category or criminal data; systematic monitoring on a large scale (lawful cannot tell whether the area is publicly accessible). When an assessment is needed, lawful looks for an `assessments:` entry of kind `dpia` naming the purpose, and reports it when none has a `done_on` date, when the latest one was done after the purpose's `started_on`, or when its `review_by` date has passed.\n\nNot yet checked: the WP248 criterion of processing that prevents people from exercising a right or using a service; the national lists of Art 35(4); whether the assessment contains the Art 35(7) elements; material changes since it was done.",
    fix: "Carry out the DPIA before the processing starts and reference it.\n\n```yaml\nassessments:\n  dpia_scoring:\n    kind: dpia\n    purposes: [credit_scoring]\n    done_on: 2026-01-15\n    review_by: 2027-01-15\n    ref: https://wiki.example.com/dpia/credit-scoring\n    covers: [lawfulness_necessity, impact_risk, measures]\n```",
    check,
};

/// Why a purpose needs a DPIA: the Art 35(3) case it falls under, if any, and the WP248
/// criteria it meets.
#[derive(Clone, Debug)]
pub struct DpiaNeed {
    pub case: Option<&'static str>,
    pub criteria: Vec<&'static str>,
}

impl DpiaNeed {
    /// The trigger in words, as findings and the assessment report give it.
    pub fn why(&self) -> String {
        match self.case {
            Some(c) => format!("{c}; WP248 criteria met: {}", self.criteria.join(", ")),
            None => format!(
                "{} WP248 criteria met: {}",
                self.criteria.len(),
                self.criteria.join(", ")
            ),
        }
    }
}

/// For each purpose, whether it needs a DPIA and why: it is within the GDPR's reach (its
/// subjects are, or the manifest names none) and falls under an Art 35(3) case or meets
/// two or more WP248 criteria. `None` when it needs none.
pub fn dpia_needs(m: &Model, g: &DataFlowGraph) -> Vec<Option<DpiaNeed>> {
    let t = &m.taxonomy;
    let used = facts::purpose_categories(m, g);
    let subjects = facts::purpose_subjects(m);
    m.purposes
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            // In GDPR scope: its subjects are, or it has none the manifest can tell.
            if !subjects[pi].is_empty()
                && !subjects[pi]
                    .iter()
                    .any(|&s| facts::subject_in_scope(m, s, RegimeName::Gdpr))
            {
                return None;
            }
            let d = &p.decl.value;
            let profiling = facts::is_true(&d.profiling);
            let significant = d
                .automated_decision
                .as_ref()
                .is_some_and(|a| a.significant_effect.value);
            let monitoring = facts::is_true(&d.systematic_monitoring);
            let sensitive = used[pi]
                .iter()
                .any(|c| t.cat(c).is_gdpr_special() || t.cat(c).is_gdpr_criminal());
            let large = facts::is_true(&d.large_scale);
            let vulnerable = subjects[pi].iter().any(|&s| {
                facts::is_true(&m.subjects[s].decl.vulnerable) || facts::may_be_under(m, s, 18)
            });
            let criteria: Vec<&'static str> = [
                (profiling, "evaluation or scoring (`profiling`)"),
                (significant, "automated decisions with significant effect"),
                (monitoring, "systematic monitoring"),
                (sensitive, "special-category or criminal-offence data"),
                (large, "large scale"),
                (facts::is_true(&d.combines_datasets), "combined datasets"),
                (vulnerable, "vulnerable data subjects"),
                (facts::is_true(&d.innovative_tech), "innovative technology"),
            ]
            .into_iter()
            .filter_map(|(on, name)| on.then_some(name))
            .collect();
            let case = if significant && profiling {
                Some("Art 35(3)(a): profiling with decisions of significant effect")
            } else if large && sensitive {
                Some("Art 35(3)(b): large-scale special-category or criminal-offence data")
            } else if monitoring && large {
                Some("Art 35(3)(c): systematic monitoring on a large scale")
            } else {
                None
            };
            if case.is_none() && criteria.len() < 2 {
                return None;
            }
            Some(DpiaNeed { case, criteria })
        })
        .collect()
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let needs = dpia_needs(m, cx.graph);
    for (pi, p) in m.purposes.iter().enumerate() {
        let Some(need) = &needs[pi] else {
            continue;
        };
        let d = &p.decl.value;
        let why = need.why();
        let id = &p.id.value;
        let target = format!("purposes.{id}");
        let dpias: Vec<_> = facts::assessments_of_purpose(m, AssessmentKind::Dpia, pi).collect();
        let latest = dpias
            .iter()
            .filter_map(|a| a.decl.done_on.as_ref().map(|d| (d.value, *a)))
            .max_by_key(|(d, _)| *d);
        let Some((done, a)) = latest else {
            let mut f = out
                .at(
                    p.id.span,
                    "needs a DPIA",
                    format!(
                        "purpose `{id}` is likely to result in a high risk ({why}) but no `assessments:` entry of kind `dpia` with a `done_on` date covers it (GDPR Art 35(1))"
                    ),
                )
                .with_target(target);
            if !dpias.is_empty() {
                f = f.with_secondary(
                    dpias[0].id.span,
                    format!(
                        "not done yet: no `done_on` ({})",
                        list_ids(dpias.iter().map(|a| a.id.value.as_str()), 3)
                    ),
                );
            }
            out.push(f);
            continue;
        };
        let done_span = a.decl.done_on.as_ref().map(|d| d.span).unwrap_or(a.id.span);
        if let Some(start) = d.started_on.as_ref().filter(|s| s.value < done) {
            let f = out
                .at(
                    done_span,
                    "done after the processing started",
                    format!(
                        "the DPIA `{}` of purpose `{id}` was done on {done}, after the processing started on {} ({why}); the assessment comes before the processing (GDPR Art 35(1))",
                        a.id.value, start.value
                    ),
                )
                .with_secondary(start.span, "processing started here")
                .with_target(target.clone());
            out.push(f);
        }
        if let Some(review) = a.decl.review_by.as_ref().filter(|r| r.value < cx.today) {
            let f = out
                .at(
                    review.span,
                    "review date passed",
                    format!(
                        "the DPIA `{}` of purpose `{id}` was due for review by {}; review it and set a new `review_by` (GDPR Art 35(11))",
                        a.id.value, review.value
                    ),
                )
                .with_secondary(p.id.span, "high-risk purpose")
                .with_target(target);
            out.push(f);
        }
    }
}
