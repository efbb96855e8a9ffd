//! GDPR-ART27-EU-REPRESENTATIVE: an organisation that the GDPR reaches only through Art 3(2)
//! designates a representative in the Union.

use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART27-EU-REPRESENTATIVE",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 27(1)–(3), 13(1)(a)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_27",
    default_severity: Severity::Error,
    summary: "The GDPR applies through Art 3(2), but no representative in the Union is designated",
    explanation: "A controller or processor that has no establishment in the Union but falls under the GDPR because it offers goods or services to people in the Union or monitors their behaviour there (Art 3(2)) must designate, in writing, a representative in the Union (Art 27(1)). The representative is established in one of the member states where those people are (Art 27(3)), is a point of contact for supervisory authorities and data subjects (Art 27(4)), and its identity and contact details belong in the privacy notice (Art 13(1)(a)). Designating one does not shift the controller's own liability (Art 27(5)).\n\nThe duty does not apply to processing that is occasional, does not include large-scale special-category (Art 9) or criminal-offence (Art 10) data and is unlikely to result in a risk to people's rights, nor to a public authority or body (Art 27(2)).\n\nlawful reports the organisation when the GDPR applies only because data subjects live in the EEA (no establishment there and not forced by `regimes:`), `organization.eu_representative` is missing, and `organization.art27_exempt` is not `true`.\n\nNot yet checked: whether the representative is in a member state where the data subjects are, and whether it is named in the notice.",
    fix: "Designate a representative in a member state where your data subjects are and declare it; or, when Art 27(2) applies, declare the exemption.\n\n```yaml\norganization:\n  name: Example Apps Inc.\n  establishments: [US]\n  eu_representative:\n    name: Example Representation GmbH\n    email: eu-rep@example.de\n    country: DE\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let Some(scope) = m
        .regimes
        .iter()
        .find(|s| s.regime == RegimeName::Gdpr && s.applies)
    else {
        return;
    };
    // Art 3(2) only: applicability decided by where subjects live, not by an establishment
    // in the EEA or by `regimes:`.
    let Some(subject) = m
        .subjects
        .iter()
        .find(|s| s.decl.lives_in.iter().any(|p| p.span == scope.span))
    else {
        return;
    };
    let Some(o) = &m.organization else {
        return;
    };
    if o.value.eu_representative.is_some() || o.value.art27_exempt.as_ref().is_some_and(|e| e.value)
    {
        return;
    }
    let d = out
        .at(
            o.value.name.span,
            "no representative in the Union",
            format!(
                "`{}` has no establishment in the EEA and falls under the GDPR through Art 3(2), but names no `eu_representative` (GDPR Art 27)",
                o.value.name.value
            ),
        )
        .with_secondary(
            scope.span,
            format!("subjects `{}` live in the EEA", subject.id.value),
        )
        .with_target("organization".to_string());
    out.push(d);
}
