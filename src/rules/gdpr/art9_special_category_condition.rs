//! GDPR-ART9-SPECIAL-CATEGORY-CONDITION: a purpose that uses special-category data names
//! an Art 9(2) condition, and the condition's own prerequisites are declared.

use crate::manifest::types::{Art9Condition, ConsentKind, DataSource};
use crate::report::Severity;
use crate::rules::facts::{
    consents_by_purpose, flows_by_purpose, has_consent, list_ids, purpose_categories,
};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART9-SPECIAL-CATEGORY-CONDITION",
    set: RuleSet::Regime(crate::manifest::types::RegimeName::Gdpr),
    article: "GDPR Art 9(1), 9(2)(a)–(j), 9(4)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_9",
    default_severity: Severity::Error,
    summary: "A purpose uses special-category data without a valid Art 9(2) condition",
    explanation: "Article 9(1) of the GDPR forbids processing data revealing racial or ethnic origin, political opinions, religious or philosophical beliefs or trade-union membership, and genetic, biometric (to identify someone), health, sex-life or sexual-orientation data, unless one of the ten conditions of Art 9(2) applies. The condition comes on top of the Art 6 legal basis; it does not replace it. Data from which such a trait can be inferred counts too (CJEU C-184/20 *OT*).\n\nlawful reports a purpose that declares, or receives through its flows, a special category and names no `gdpr_art9_condition`. It also checks each condition's own prerequisites that the manifest can express: (a) needs a consent of kind `explicit` covering the purpose; (b), (g), (h), (i) and (j) rest on Union or member-state law, so they need a `law_ref`; (e), data manifestly made public by the subject, does not fit a dataset whose declared `source` is not `public`.\n\nMember states may add conditions for genetic, biometric and health data (Art 9(4)); lawful does not check national law.",
    fix: "Name the Art 9(2) condition the purpose relies on with `gdpr_art9_condition`, with its consent or law reference.\n\n```yaml\npurposes:\n  telehealth:\n    legal_basis: { gdpr: contract }\n    gdpr_art9_condition: health_care\n    law_ref: \"§22(1)(1)(b) BDSG\"\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    let used = purpose_categories(m, cx.graph);
    let flows = flows_by_purpose(m);
    let consents = consents_by_purpose(m);
    for (pi, p) in m.purposes.iter().enumerate() {
        let special: Vec<_> = used[pi]
            .iter()
            .filter(|&c| t.cat(c).is_gdpr_special())
            .collect();
        if special.is_empty() {
            continue;
        }
        let target = format!("purposes.{}", p.id.value);
        let ids = list_ids(special.iter().map(|&c| t.cat(c).id.as_str()), 4);
        let Some(cond) = &p.decl.gdpr_art9_condition else {
            let mut d = out
                .at(
                    p.id.span,
                    "no Art 9(2) condition",
                    format!(
                        "purpose `{}` uses special-category data ({ids}) but names no Art 9(2) condition",
                        p.id.value
                    ),
                )
                .with_target(target);
            // Point at where the special category enters: the purpose's own list, else a flow.
            match p.categories.iter().find(|c| special.contains(&c.cat)) {
                Some(c) => d = d.with_secondary(c.span, "special category declared here"),
                None => {
                    if let Some(&fi) = flows[pi].iter().find(|&&fi| {
                        special
                            .iter()
                            .any(|&c| cx.graph.flow_categories(fi).contains(c))
                    }) {
                        d = d.with_secondary(
                            m.flows[fi].decl.to.span,
                            "a flow for this purpose carries it",
                        );
                    }
                }
            }
            out.push(d);
            continue;
        };
        let letter = cond.value.letter();
        if cond.value == Art9Condition::ExplicitConsent
            && !has_consent(m, &consents, pi, &[ConsentKind::Explicit], None)
        {
            let mut d = out
                .at(
                    cond.span,
                    "no explicit consent covers the purpose",
                    format!(
                        "purpose `{}` relies on Art 9(2)(a) but no consent of kind `explicit` covers it",
                        p.id.value
                    ),
                )
                .with_help("link a consent with `kind: explicit` that lists the purpose, or choose another condition")
                .with_target(target.clone());
            if let Some(c) = p.consent {
                d = d.with_secondary(m.consents[c].decl.kind.span, "this consent is not explicit");
            }
            out.push(d);
        }
        if cond.value.needs_law_ref() && p.decl.law_ref.is_none() {
            let d = out
                .at(
                    cond.span,
                    "needs a law reference",
                    format!(
                        "purpose `{}` relies on Art 9(2)({letter}), which rests on Union or member-state law, but cites none",
                        p.id.value
                    ),
                )
                .with_help("cite the law with `law_ref:` (for instance \"§22(1)(1)(b) BDSG\")")
                .with_target(target.clone());
            out.push(d);
        }
        if cond.value == Art9Condition::MadePublicBySubject {
            for ds in &m.datasets {
                let Some(src) = ds.decl.source else { continue };
                if src == DataSource::Public {
                    continue;
                }
                let holds = ds.fields.iter().any(|f| {
                    f.categories
                        .iter()
                        .any(|c| t.cat(c.cat).is_gdpr_special() && m.purpose_covers(pi, c.cat))
                });
                if holds {
                    let d = out
                        .at(
                            cond.span,
                            "data not made public by the subject",
                            format!(
                                "purpose `{}` relies on Art 9(2)(e), but dataset `{}` holding its special-category data was not obtained from a public source",
                                p.id.value, ds.id.value
                            ),
                        )
                        .with_secondary(ds.id.span, "its `source` is not `public`")
                        .with_target(target.clone());
                    out.push(d);
                }
            }
        }
    }
}
