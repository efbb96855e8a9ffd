//! CCPA-1798.100C-PURPOSE-PROPORTIONALITY: personal information is used only for purposes
//! disclosed at collection (or consented to), and each purpose says why its use is
//! necessary and proportionate.

use crate::manifest::types::RegimeName;
use crate::manifest::yaml::Span;
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::facts::{ccpa_dataset, consents_by_purpose, flow_purpose_span};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-1798.100C-PURPOSE-PROPORTIONALITY",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.100(c); 11 CCR 7002",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.100",
    default_severity: Severity::Warning,
    summary: "California consumers' data is used for a purpose not disclosed at collection and without consent, or a purpose does not say why its use is necessary",
    explanation: "A business may collect, use, retain and share a consumer's personal information only as far as is reasonably necessary and proportionate to achieve the purposes for which it was collected or processed, or for another disclosed purpose compatible with the context in which it was collected (Cal. Civ. Code 1798.100(c)). The regulations judge this by what an average consumer would reasonably expect given the relationship with the business, the type of information and how it was collected, and they require the consumer's consent before the information is used for a purpose that is neither reasonably expected nor compatible (11 CCR 7002).\n\nlawful reports, for a dataset holding California consumers' data (stored in California or listing subjects who live there) that declares `collected_for`, each other purpose that a flow leaving the dataset names or a role reading the dataset serves, unless a consent covers that purpose. It also reports a purpose with no `necessity` statement, since the business cannot then show why the use is necessary and proportionate. Datasets without `collected_for` are not checked for the first case.\n\nThis is a warning: whether a new use is compatible with the context of collection is a judgment lawful cannot make, and the necessity statement is only checked for presence, not substance.",
    fix: "State why each purpose needs its data under `necessity`; add a purpose disclosed at collection to the dataset's `collected_for`, and obtain consent before using data for a new, unexpected purpose.\n\n```yaml\npurposes:\n  fraud_checks:\n    necessity: { en: Order totals and shipping addresses are compared only to stop card fraud. }\ndatasets:\n  orders:\n    collected_for: [checkout, fraud_checks]\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    for p in &m.purposes {
        if p.decl.necessity.is_some() {
            continue;
        }
        let d = out
            .at(
                p.id.span,
                "no `necessity`",
                format!(
                    "purpose `{}` does not say why its use of personal information is reasonably necessary and proportionate",
                    p.id.value
                ),
            )
            .with_help("state why the purpose needs its data under `necessity:`")
            .with_target(format!("purposes.{}", p.id.value));
        out.push(d);
    }
    let consents = consents_by_purpose(m);
    // (dataset, purpose) pairs already reported, so a purpose is reported once per dataset.
    let mut seen = std::collections::HashSet::new();
    // `place` gives the span and suppression target of the use, worked out only for a use
    // that is reported (few are).
    let mut report = |out: &mut Findings,
                      di: usize,
                      p: usize,
                      place: &dyn Fn() -> (Span, String)| {
        let d = &m.datasets[di];
        let pid = &m.purposes[p].id.value;
        if d.decl.collected_for.is_empty()
            || d.decl.collected_for.iter().any(|c| &c.value == pid)
            || !consents[p].is_empty()
            || !ccpa_dataset(m, di)
            || !seen.insert((di, p))
        {
            return;
        }
        let (at, target) = place();
        let diag = out
            .at(
                at,
                "not disclosed at collection",
                format!(
                    "purpose `{pid}` uses data of dataset `{}`, which was not collected for it, and no consent covers it",
                    d.id.value
                ),
            )
            .with_secondary(
                d.decl.collected_for.first().map(|c| c.span).unwrap_or_default(),
                "purposes disclosed at collection",
            )
            .with_target(target);
        out.push(diag);
    };
    for (fi, f) in m.flows.iter().enumerate() {
        let NodeRef::Dataset(di) = f.from else {
            continue;
        };
        for &p in &f.purposes {
            report(out, di, p, &|| {
                (
                    flow_purpose_span(m, fi, p),
                    crate::rules::facts::flow_target(m, fi),
                )
            });
        }
    }
    for r in &m.roles {
        for &di in &r.datasets {
            for &p in &r.purposes {
                report(out, di, p, &|| {
                    let at = r
                        .decl
                        .purposes
                        .iter()
                        .find(|s| s.value == m.purposes[p].id.value)
                        .map_or(r.id.span, |s| s.span);
                    (at, format!("roles.{}", r.id.value))
                });
            }
        }
    }
}
