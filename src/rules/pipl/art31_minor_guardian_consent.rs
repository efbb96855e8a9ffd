//! PIPL-ART31-MINOR-GUARDIAN-CONSENT: personal information of children under 14 in
//! mainland China processed on a consent basis needs a parent's or guardian's consent.

use crate::manifest::types::{ConsentKind, PiplBasis, RegimeName};
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::facts::{consents_by_purpose, dataset_purposes, has_consent};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

/// The age under which PIPL Art 28 and 31 treat a person as a minor needing a guardian.
const PIPL_MINOR_AGE: u32 = 14;

pub static RULE: Rule = Rule {
    id: "PIPL-ART31-MINOR-GUARDIAN-CONSENT",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 28, 31; Regulations on the Protection of Minors in Cyberspace (2024)",
    url: PIPL_URL,
    default_severity: Severity::Warning,
    summary: "Personal information of children under 14 in mainland China is processed on a consent basis without a guardian's consent",
    explanation: "All personal information of minors under 14 is sensitive personal information (PIPL Art 28, 个人信息保护法第二十八条). A handler that processes it must obtain the consent of the child's parent or other guardian, and must lay down dedicated rules for processing it (Art 31). The State Council's Regulations on the Protection of Minors in Cyberspace (未成年人网络保护条例, in force 1 January 2024) add duties such as a yearly compliance audit of how minors' personal information is handled.\n\nlawful reports a purpose whose PIPL basis is `consent` and that uses data of a kind of subject living in mainland China whose declared `min_age` is below 14, when no consent of kind `guardian` covers the purpose. A purpose uses a subject's data when a flow from the subject names it, or when it uses a dataset that lists the subject under `subjects:` (a flow from or to the dataset names the purpose, a role reading the dataset serves it, or the purpose declares a category the dataset holds). Subjects with no `min_age` are not reported: declare one to have the rule check them.\n\nIt is a warning because the part on the minors regulations rests on secondary sources. Not yet checked: the dedicated processing rules and notice for minors, the impact assessment (Art 55) and the yearly audit, which the language cannot express yet; the sensitive-information duties themselves are checked by PIPL-ART28-29-SENSITIVE-SEPARATE-CONSENT only for categories flagged sensitive.",
    fix: "Add a guardian consent that covers the purpose, collected through an age gate, or raise the service's minimum age to 14 and declare it.\n\n```yaml\nconsents:\n  guardian_consent:\n    kind: guardian\n    title: { zh-CN: 监护人同意, en: Consent of a parent or guardian }\n    purposes: [learning_progress]\nsubjects:\n  pupils:\n    lives_in: [CN]\n    min_age: 8\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let minors: Vec<usize> = m
        .subjects
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.decl.min_age.is_some_and(|a| a < PIPL_MINOR_AGE)
                && s.decl.lives_in.iter().any(|p| p.is_mainland_china())
        })
        .map(|(i, _)| i)
        .collect();
    if minors.is_empty() {
        return;
    }
    // For each purpose, the first minor subject whose data it uses.
    let mut uses: Vec<Option<usize>> = vec![None; m.purposes.len()];
    for f in &m.flows {
        if let NodeRef::Subject(s) = f.from
            && minors.contains(&s)
        {
            for &p in &f.purposes {
                uses[p].get_or_insert(s);
            }
        }
    }
    for (di, ps) in dataset_purposes(m).iter().enumerate() {
        let Some(&s) = m.datasets[di].subjects.iter().find(|s| minors.contains(s)) else {
            continue;
        };
        for &p in ps {
            uses[p].get_or_insert(s);
        }
    }
    let consents = consents_by_purpose(m);
    for (pi, p) in m.purposes.iter().enumerate() {
        let Some(si) = uses[pi] else { continue };
        let Some(basis) = &p.decl.legal_basis.pipl else {
            continue;
        };
        if basis.value != PiplBasis::Consent
            || has_consent(m, &consents, pi, &[ConsentKind::Guardian], None)
        {
            continue;
        }
        let s = &m.subjects[si];
        let age = s.decl.min_age.unwrap_or_default();
        let d = out
            .at(
                basis.span,
                "no guardian consent",
                format!(
                    "purpose `{}` processes personal information of subjects `{}`, who may be as young as {age}, on a consent basis, but no guardian consent covers it (PIPL Art 31)",
                    p.id.value, s.id.value
                ),
            )
            .with_secondary(s.id.span, format!("may be under 14 (min_age {age})"))
            .with_target(format!("purposes.{}", p.id.value));
        out.push(d);
    }
}
