//! GDPR-ART8-CHILD-CONSENT-AGE: a consent-based information society service offered to
//! children who may be younger than their member state's digital-consent age needs the
//! consent of a parent, verified with reasonable efforts. The ages are data:
//! `art8_ages.tsv`.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::manifest::types::{ConsentKind, GdprBasis, RegimeName};
use crate::report::Severity;
use crate::rules::facts::{consents_by_purpose, may_be_under, purpose_subjects, subject_in_scope};
use crate::rules::{Context, Findings, Rule, RuleSet};

/// The age Art 8(1) sets when a member state sets none, and the one used when the child's
/// member state is not known.
pub const DEFAULT_AGE: u32 = 16;

pub static RULE: Rule = Rule {
    id: "GDPR-ART8-CHILD-CONSENT-AGE",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 8(1)–(2); Recital 38",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_8",
    default_severity: Severity::Warning,
    summary: "Children younger than their member state's digital-consent age may consent alone to a service offered to them",
    explanation: "When an information society service is offered directly to a child and the processing rests on consent, Article 8(1) of the GDPR lets the child consent alone only from the age of 16. Member states may lower that age, to no less than 13. Below it, the consent must be given or authorised by the holder of parental responsibility, and the controller must make reasonable efforts, with the technology available, to verify that it was (Art 8(2)). Children merit specific protection because they may be less aware of the risks (Recital 38).\n\nlawful reports a purpose whose GDPR basis is `consent`, whose `offered_to_children` is not `false`, and that processes data of a kind of subject (through its datasets or flows) whose `min_age` is below the digital-consent age of a member state the subjects live in, when no consent of kind `guardian` with a `verification` covers the purpose. The ages by member state are kept as data (src/rules/gdpr/art8_ages.tsv, with its sources and review date); for subjects living in `EU` or `EEA`, or whose country is not known, lawful uses 16, the highest age, to be safe. Which member state's age applies when controller and child are in different states is unsettled; lawful uses the child's. Subjects without a `min_age` are not reported: declare one to have the rule check them.\n\nIt is a warning because the table of ages rests on secondary sources and member states change it. Not yet checked: whether the service really is offered directly to children (lawful assumes so unless `offered_to_children: false`), and whether the verification described is reasonable for the risk.",
    fix: "Add a parental consent with how it is verified, or raise the minimum age of the service and declare it, or use a basis other than consent.\n\n```yaml\nconsents:\n  parent_consent:\n    kind: guardian\n    purposes: [game_accounts]\n    verification: { en: A payment-card check of the parent and a confirmation email. }\n    withdrawal: { en: Parents withdraw it in the family settings. }\n    record_store: consent_log\n```",
    check,
};

/// One member state's digital-consent age.
#[derive(Debug)]
pub struct ConsentAge {
    pub alpha2: &'static str,
    pub name: &'static str,
    pub age: u32,
    /// How well the age is sourced: `S` or `?`.
    pub mark: &'static str,
}

const DATA: &str = include_str!("art8_ages.tsv");

/// The Art 8(1) ages of the EEA member states, by ISO 3166-1 alpha-2 code.
pub fn ages() -> &'static HashMap<&'static str, ConsentAge> {
    static T: OnceLock<HashMap<&'static str, ConsentAge>> = OnceLock::new();
    T.get_or_init(|| {
        DATA.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("alpha2\t"))
            .map(|l| {
                let f: Vec<&'static str> = l.split('\t').collect();
                assert_eq!(f.len(), 4, "art8_ages.tsv: bad line {l:?}");
                let age: u32 = f[2]
                    .parse()
                    .unwrap_or_else(|_| panic!("art8_ages.tsv: bad age in {l:?}"));
                assert!(
                    (13..=16).contains(&age),
                    "art8_ages.tsv: Art 8(1) allows 13 to 16: {l:?}"
                );
                let a = ConsentAge {
                    alpha2: f[0],
                    name: f[1],
                    age,
                    mark: f[3],
                };
                (f[0], a)
            })
            .collect()
    })
}

/// The highest digital-consent age among the places a kind of subject lives in, with where
/// it comes from: a member state, or "the GDPR default" when the place is `EU`/`EEA` or not
/// known.
fn consent_age(m: &crate::model::Model, s: usize) -> (u32, String) {
    let mut best: Option<(u32, String)> = None;
    let mut take = |age: u32, why: String| {
        if best.as_ref().is_none_or(|(a, _)| age > *a) {
            best = Some((age, why));
        }
    };
    for p in &m.subjects[s].decl.lives_in {
        let code = p.value.0.as_str();
        if !p.value.in_eea() {
            continue;
        }
        match ages().get(code.get(..2).unwrap_or(code)) {
            Some(a) => take(a.age, a.name.to_string()),
            _ => take(DEFAULT_AGE, format!("the GDPR default, used for `{code}`")),
        }
    }
    best.unwrap_or_else(|| {
        (
            DEFAULT_AGE,
            "the GDPR default, used when the member state is not known".to_string(),
        )
    })
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let subjects = purpose_subjects(m);
    let consents = consents_by_purpose(m);
    for (pi, p) in m.purposes.iter().enumerate() {
        let Some(basis) = p
            .decl
            .legal_basis
            .gdpr
            .as_ref()
            .filter(|b| b.value == GdprBasis::Consent)
        else {
            continue;
        };
        if p.decl
            .offered_to_children
            .as_ref()
            .is_some_and(|b| !b.value)
        {
            continue;
        }
        // The first kind of subject, in scope, who may be under their consent age.
        let Some((si, age, why)) = subjects[pi].iter().find_map(|&s| {
            if !subject_in_scope(m, s, RegimeName::Gdpr) {
                return None;
            }
            let (age, why) = consent_age(m, s);
            may_be_under(m, s, age).then_some((s, age, why))
        }) else {
            continue;
        };
        let guardians: Vec<usize> = consents[pi]
            .iter()
            .copied()
            .filter(|&c| m.consents[c].decl.kind.value == ConsentKind::Guardian)
            .collect();
        if guardians.iter().any(|&c| {
            m.consents[c]
                .decl
                .verification
                .as_ref()
                .is_some_and(|v| v.en.is_some() || v.zh_cn.is_some())
        }) {
            continue;
        }
        let s = &m.subjects[si];
        let min = s.decl.min_age.unwrap_or_default();
        let target = format!("purposes.{}", p.id.value);
        let d = match guardians.first() {
            None => out
                .at(
                    basis.span,
                    "no parental consent",
                    format!(
                        "purpose `{}` relies on consent from subjects `{}`, who may be as young as {min}, below the digital-consent age of {age} ({why}), but no consent of kind `guardian` covers it (GDPR Art 8(1))",
                        p.id.value, s.id.value
                    ),
                )
                .with_secondary(s.id.span, format!("may be under {age} (min_age {min})"))
                .with_help(format!(
                    "add a consent with `kind: guardian`, `purposes: [{}]` and `verification:`, or set `offered_to_children: false` if the service is not offered to children",
                    p.id.value
                )),
            Some(&c) => {
                let c = &m.consents[c];
                out.at(
                    c.id.span,
                    "no `verification`",
                    format!(
                        "guardian consent `{}` for purpose `{}` does not say how the parent's authority is verified (GDPR Art 8(2): reasonable efforts)",
                        c.id.value, p.id.value
                    ),
                )
                .with_secondary(s.id.span, format!("may be under {age} (min_age {min})"))
                .with_help("describe the check under `verification: { en: …, zh-CN: … }`")
            }
        };
        out.push(d.with_target(target));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_age_table_covers_every_eea_state_within_13_to_16() {
        let a = ages();
        assert_eq!(a.len(), 30, "EU 27 plus Iceland, Liechtenstein and Norway");
        for (code, row) in a {
            assert!(
                crate::manifest::Country(code.to_string()).in_eea(),
                "{code} is not in the EEA"
            );
            assert!(matches!(row.mark, "S" | "?"), "{code}: bad mark");
        }
        assert_eq!(a["DE"].age, 16);
        assert_eq!(a["FR"].age, 15);
        assert_eq!(a["IT"].age, 14);
        assert_eq!(a["BE"].age, 13);
    }
}
