//! CCPA-1798.120C-UNDER16-OPT-IN: personal information of consumers under 16 is sold or
//! shared only after they (13 to 15) or a parent or guardian (under 13) opted in.

use crate::manifest::types::{ConsentKind, RegimeName};
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::facts::{consents_by_purpose, flow_name, flow_target, has_consent, list_ids};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-1798.120C-UNDER16-OPT-IN",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.120(c), 1798.135(c); 11 CCR 7070–7072",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.120",
    default_severity: Severity::Error,
    summary: "Personal information of consumers under 16 is sold or shared without their opt-in or a guardian's consent",
    explanation: "A business may not sell or share the personal information of a consumer it knows to be under 16 unless the consumer, if aged 13 to 15, has affirmatively authorised it (opted in), or, if under 13, a parent or guardian has (Cal. Civ. Code 1798.120(c)). A business that wilfully disregards a consumer's age is deemed to know it. The opt-in of a 13 to 15 year old takes two steps: a request to opt in, then a separate confirmation (11 CCR 7001, 7071); a parent's or guardian's consent must be verified with a reasonable method (11 CCR 7070). Without that authorisation the default is no sale and no sharing.\n\nlawful reports a flow with `sale: true` or `share: true` whose source is a kind of subject living in California (`lives_in: [US-CA]`) with a declared `min_age` below 16, or a dataset that lists such subjects, when a purpose of the flow is not covered by a consent of kind `opt_in` and, for subjects whose `min_age` is below 13, also by one of kind `guardian`. Subjects with no `min_age` are not reported: declare one to have the rule check them.\n\nNot yet checked: that the flow is actually gated on the opt-in (the language cannot express a flow's condition yet), that the privacy policy describes the opt-in process (11 CCR 7011), and the federal COPPA, which applies on top for children under 13.",
    fix: "Do not sell or share minors' data by default; add an opt-in consent (and, for children under 13, a verified parent or guardian consent) that covers each purpose of the flow.\n\n```yaml\nconsents:\n  teen_ads_opt_in:\n    kind: opt_in\n    title: { en: Allow personalised ads }\n    purposes: [advertising]\n  parent_ads_consent:\n    kind: guardian\n    title: { en: Parent's consent to personalised ads }\n    purposes: [advertising]\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let minor = |s: usize| -> Option<u32> {
        let s = &m.subjects[s].decl;
        s.min_age
            .filter(|&a| a < 16 && s.lives_in.iter().any(|p| p.is_california()))
    };
    let consents = consents_by_purpose(m);
    for (fi, f) in m.flows.iter().enumerate() {
        let trigger = [&f.decl.sale, &f.decl.share]
            .into_iter()
            .flatten()
            .find(|b| b.value);
        let Some(trigger) = trigger else { continue };
        // The youngest minor whose data the flow's source holds.
        let source: Vec<usize> = match f.from {
            NodeRef::Subject(s) => vec![s],
            NodeRef::Dataset(d) => m.datasets[d].subjects.clone(),
            _ => Vec::new(),
        };
        let Some((si, age)) = source
            .into_iter()
            .filter_map(|s| minor(s).map(|a| (s, a)))
            .min_by_key(|&(_, a)| a)
        else {
            continue;
        };
        let mut needed = vec![(ConsentKind::OptIn, "an opt-in")];
        if age < 13 {
            needed.push((ConsentKind::Guardian, "a parent's or guardian's consent"));
        }
        let mut missing_kinds: Vec<&str> = Vec::new();
        let mut missing_purposes: Vec<&str> = Vec::new();
        for &(kind, words) in &needed {
            let lacking: Vec<usize> = f
                .purposes
                .iter()
                .copied()
                .filter(|&p| !has_consent(m, &consents, p, &[kind], None))
                .collect();
            if !lacking.is_empty() || f.purposes.is_empty() {
                missing_kinds.push(words);
            }
            for p in lacking {
                let id = m.purposes[p].id.value.as_str();
                if !missing_purposes.contains(&id) {
                    missing_purposes.push(id);
                }
            }
        }
        if missing_kinds.is_empty() {
            continue;
        }
        let what = if f.decl.sale.as_ref().is_some_and(|b| b.value) {
            "sells"
        } else {
            "shares"
        };
        let covering = if missing_purposes.is_empty() {
            String::new()
        } else {
            format!(
                " covering {}",
                list_ids(missing_purposes.iter().copied(), 4)
            )
        };
        let s = &m.subjects[si];
        let d = out
            .at(
                trigger.span,
                format!("without {}", missing_kinds.join(" and ")),
                format!(
                    "{} {what} personal information of subjects `{}`, who may be as young as {age}, without {}{covering} (1798.120(c))",
                    flow_name(m, fi),
                    s.id.value,
                    missing_kinds.join(" and ")
                ),
            )
            .with_secondary(s.id.span, format!("may be under 16 (min_age {age})"))
            .with_target(flow_target(m, fi));
        out.push(d);
    }
}
