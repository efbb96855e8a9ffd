//! GDPR-ART6-BASIS-DOCUMENTATION: the basis a purpose names carries the documentation it
//! rests on (the interest and its assessment, the law, the necessity for the contract), and
//! is a basis the organisation and the purpose may use.

use crate::manifest::types::{AssessmentKind, GdprBasis, RegimeName};
use crate::manifest::yaml::Span;
use crate::model::Model;
use crate::report::Severity;
use crate::rules::facts::{assessments_of_purpose, is_true};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART6-BASIS-DOCUMENTATION",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 6(1)(b), (c), (e), (f) and the last subparagraph of 6(1); Art 6(3); EDPB Guidelines 2/2019; CJEU C-252/21 Meta v Bundeskartellamt",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_6",
    default_severity: Severity::Warning,
    summary: "A purpose's GDPR basis lacks the documentation it rests on, or is a basis the organisation or the purpose cannot use",
    explanation: "Naming an Article 6(1) basis is not enough: each basis has its own conditions, and the controller must be able to show they are met (Art 5(2)).\n\n- Legitimate interests (Art 6(1)(f)) require a real interest, processing necessary for it, and a balancing test against the rights of the people concerned. The test is written down in a legitimate-interests assessment (LIA), and the notice names the interest (Art 13(1)(d)).\n- Legal obligation and public task (Art 6(1)(c), (e)) must rest on Union or member-state law (Art 6(3)); the law has to be identifiable.\n- Contract (Art 6(1)(b)) covers only processing objectively necessary to perform the contract with the data subject or to take steps at their request before it (EDPB Guidelines 2/2019). Marketing and profiling are not: in *Meta v Bundeskartellamt* (C-252/21, 2023) the Court of Justice held that personalised advertising could not rest on the contract.\n- Public authorities may not rely on legitimate interests for processing in the performance of their tasks (last subparagraph of Art 6(1)); their basis is the law or the public task.\n\nlawful reports, for each purpose: `legitimate_interests` without an `assessments:` entry of kind `lia` naming the purpose; `legal_obligation` or `public_task` without `law_ref`; `contract` without a `necessity` statement; `legitimate_interests` when `organization.is_public_authority` is true; and `contract` for a purpose marked `direct_marketing` or `profiling`.\n\nIt is a warning because whether a basis fits is a judgement the manifest can only support. A missing `legitimate_interest` text is reported by GDPR-ART6-LAWFUL-BASIS. Not yet checked: the content of the LIA (that it weighs interest, necessity and impact), whether the cited law really requires the processing, and purposes that are not necessary for the contract for reasons other than marketing or profiling (e.g. analytics or product improvement).",
    fix: "Document the basis: the interest and its LIA, the law, or why the contract needs the data; or change the basis.\n\n```yaml\npurposes:\n  fraud_prevention:\n    legal_basis: { gdpr: legitimate_interests }\n    legitimate_interest: { en: Preventing payment fraud against us and our customers. }\n  tax_records:\n    legal_basis: { gdpr: legal_obligation }\n    law_ref: \"§147 AO\"\n  order_fulfilment:\n    legal_basis: { gdpr: contract }\n    necessity: { en: We need the address to deliver the order. }\nassessments:\n  lia_fraud:\n    kind: lia\n    purposes: [fraud_prevention]\n    done_on: 2026-03-01\n```",
    check,
};

fn has_text(l: &Option<crate::manifest::Localized>) -> bool {
    l.as_ref()
        .is_some_and(|l| l.en.is_some() || l.zh_cn.is_some())
}

/// Whether purpose `p` needs a legitimate-interests assessment: its GDPR basis is
/// legitimate interests (Art 6(1)(f)).
pub fn needs_lia(m: &Model, p: usize) -> bool {
    m.gdpr_basis(p) == Some(GdprBasis::LegitimateInterests)
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let public_authority = m
        .organization
        .as_ref()
        .and_then(|o| o.is_public_authority.as_ref())
        .filter(|b| b.value);
    for (pi, p) in m.purposes.iter().enumerate() {
        let Some(basis) = &p.decl.legal_basis.gdpr else {
            continue;
        };
        let id = &p.id.value;
        let target = format!("purposes.{id}");
        match basis.value {
            GdprBasis::LegitimateInterests => {
                if needs_lia(m, pi)
                    && assessments_of_purpose(m, AssessmentKind::Lia, pi)
                        .next()
                        .is_none()
                {
                    let d = out
                        .at(
                            basis.span,
                            "no LIA",
                            format!(
                                "purpose `{id}` relies on legitimate interests but no legitimate-interests assessment covers it (GDPR Art 6(1)(f), 5(2))"
                            ),
                        )
                        .with_help(format!(
                            "add an entry under `assessments:` with `kind: lia` and `purposes: [{id}]`"
                        ))
                        .with_target(target.clone());
                    out.push(d);
                }
                if let Some(pa) = public_authority {
                    let d = out
                        .at(
                            basis.span,
                            "not available to a public authority",
                            format!(
                                "purpose `{id}` relies on legitimate interests, which a public authority may not use for processing in the performance of its tasks (GDPR Art 6(1), last subparagraph)"
                            ),
                        )
                        .with_secondary(pa.span, "the organisation is a public authority")
                        .with_help("use `public_task` or `legal_obligation` with a `law_ref`, or explain in a suppression why the processing is outside the authority's tasks")
                        .with_target(target.clone());
                    out.push(d);
                }
            }
            GdprBasis::LegalObligation | GdprBasis::PublicTask => {
                if p.decl
                    .law_ref
                    .as_deref()
                    .is_none_or(|s| s.trim().is_empty())
                {
                    let (letter, what) = if basis.value == GdprBasis::LegalObligation {
                        ("c", "a legal obligation")
                    } else {
                        ("e", "a public task")
                    };
                    let d = out
                        .at(
                            basis.span,
                            "which law?",
                            format!(
                                "purpose `{id}` relies on {what} (GDPR Art 6(1)({letter})) but cites no Union or member-state law (Art 6(3))"
                            ),
                        )
                        .with_help("cite the law with `law_ref:` (for instance \"§147 AO\")")
                        .with_target(target.clone());
                    out.push(d);
                }
            }
            GdprBasis::Contract => {
                if !has_text(&p.decl.necessity) {
                    let d = out
                        .at(
                            basis.span,
                            "why does the contract need it?",
                            format!(
                                "purpose `{id}` relies on contract but does not say why the processing is necessary for the contract (GDPR Art 6(1)(b); EDPB Guidelines 2/2019)"
                            ),
                        )
                        .with_help("state it under `necessity: { en: …, zh-CN: … }`")
                        .with_target(target.clone());
                    out.push(d);
                }
                let marked = [
                    (&p.decl.direct_marketing, "direct marketing"),
                    (&p.decl.profiling, "profiling"),
                ];
                for (flag, what) in marked {
                    if !is_true(flag) {
                        continue;
                    }
                    let span = flag.as_ref().map(|b| b.span).unwrap_or(Span::NONE);
                    let d = out
                        .at(
                            basis.span,
                            "not necessary for the contract",
                            format!(
                                "purpose `{id}` is {what} but relies on contract; {what} is not objectively necessary to perform a contract with the data subject (GDPR Art 6(1)(b); CJEU C-252/21)"
                            ),
                        )
                        .with_secondary(span, format!("marked as {what}"))
                        .with_help("rest it on `consent` or, with an LIA, on `legitimate_interests`")
                        .with_target(target.clone());
                    out.push(d);
                }
            }
            GdprBasis::Consent | GdprBasis::VitalInterests => {}
        }
    }
}
