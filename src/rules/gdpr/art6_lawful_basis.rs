//! GDPR-ART6-LAWFUL-BASIS: every purpose needs exactly one Art 6(1) basis, and a consent
//! basis needs a consent.

use crate::manifest::types::GdprBasis;
use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART6-LAWFUL-BASIS",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 6(1)(a)–(f); Art 5(1)(a)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_6",
    default_severity: Severity::Error,
    summary: "A purpose has no GDPR legal basis, relies on consent without a linked consent, or on legitimate interests without naming the interest",
    explanation: "Under the GDPR, processing personal data is lawful only if it rests on one of the six bases of Article 6(1): consent, contract, legal obligation, vital interests, public task or legitimate interests. The basis must be chosen before processing starts, for each purpose, and told to the data subject in the privacy notice (Art 13(1)(c)). It cannot be swapped later when it turns out to be inconvenient.\n\nA purpose that relies on consent also needs a consent that can be proved and withdrawn (Art 7), so lawful asks for the consent definition the purpose relies on. A purpose that relies on legitimate interests must say which interest it pursues: the notice has to name it (Art 13(1)(d)), and without it the balancing test of Art 6(1)(f) has nothing to weigh; lawful reports that as a warning.",
    fix: "Give the purpose one basis under `legal_basis.gdpr`; for `consent`, link the consent with `consent: <id>`.\n\n```yaml\npurposes:\n  order_fulfilment:\n    legal_basis: { gdpr: contract }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    for p in &m.purposes {
        match &p.decl.legal_basis.gdpr {
            None => {
                let span = if p.decl.legal_basis.span.is_none() {
                    p.id.span
                } else {
                    p.decl.legal_basis.span
                };
                let d = out
                    .at(
                        p.id.span,
                        "no GDPR legal basis",
                        format!(
                            "purpose `{}` has no GDPR legal basis (Art 6(1))",
                            p.id.value
                        ),
                    )
                    .with_secondary(
                        if span == p.id.span {
                            crate::manifest::Span::NONE
                        } else {
                            span
                        },
                        "legal bases declared here",
                    )
                    .with_target(format!("purposes.{}", p.id.value));
                out.push(d);
            }
            Some(b) if b.value == GdprBasis::Consent && p.consent.is_none() => {
                let d = out
                    .at(
                        b.span,
                        "consent, but no consent linked",
                        format!(
                            "purpose `{}` relies on consent but names no consent definition",
                            p.id.value
                        ),
                    )
                    .with_help("link the consent the purpose relies on with `consent: <id>` and declare it under `consents:`")
                    .with_target(format!("purposes.{}", p.id.value));
                out.push(d);
            }
            Some(b)
                if b.value == GdprBasis::LegitimateInterests
                    && p.decl
                        .legitimate_interest
                        .as_ref()
                        .and_then(|l| l.en.as_ref())
                        .is_none() =>
            {
                let mut d = out
                    .at(
                        b.span,
                        "which interest?",
                        format!(
                            "purpose `{}` relies on legitimate interests but does not say which interest it pursues",
                            p.id.value
                        ),
                    )
                    .with_help("state the interest under `legitimate_interest: { en: …, zh-CN: … }`: the notice must name it (Art 13(1)(d)), and the balancing test weighs it")
                    .with_target(format!("purposes.{}", p.id.value));
                d.severity = Severity::Warning;
                out.push(d);
            }
            Some(_) => {}
        }
    }
}
