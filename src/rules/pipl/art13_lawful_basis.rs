//! PIPL-ART13-LAWFUL-BASIS: every purpose has one of the seven PIPL Art 13(1) bases; the
//! PIPL has no legitimate-interests basis.

use crate::manifest::types::{PiplBasis, RegimeName};
use crate::manifest::yaml::Span;
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

/// The official Chinese text of the PIPL on the NPC site.
pub const PIPL_URL: &str =
    "http://www.npc.gov.cn/npc/c30834/202108/a8c4e3672c74491a80b53a172bb753fe.shtml";

pub static RULE: Rule = Rule {
    id: "PIPL-ART13-LAWFUL-BASIS",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 13(1)(1)–(7), 13(2)",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "A purpose has no PIPL legal basis, or claims legitimate interests, which the PIPL does not have",
    explanation: "Article 13 of the PIPL (个人信息保护法第十三条) lists the only seven situations in which a personal information handler may process personal information: the individual's consent; necessity for a contract the individual is party to, or for human-resources management under lawfully adopted labour rules and collective contracts; a statutory duty or obligation; a public-health emergency or protecting life, health and property in an emergency; news reporting and public-opinion supervision in the public interest, within a reasonable scope; information the individual disclosed or that was otherwise lawfully disclosed, within a reasonable scope; and other situations laid down by laws and administrative regulations. Unlike the GDPR, the PIPL has no legitimate-interests basis, so a purpose that relies on one under the GDPR needs another basis, often consent, in China. Consent is needed only when no other basis applies (Art 13(2)).\n\nlawful reports a purpose with no `legal_basis.pipl`, and one whose basis is `legitimate_interests`. The Chinese text governs; DigiChina (Stanford) publishes a reputable English translation.\n\nNot yet checked: whether `contract_or_hr` used for HR cites the labour rules or collective contract it rests on, and whether `disclosed_info` is used against the individual's express refusal or with a significant effect on them (Art 27). A purpose all of whose data subjects are outside the PIPL's reach (they neither live in mainland China nor have their data held there) needs no PIPL basis and is not reported.",
    fix: "Give the purpose one of the seven PIPL bases under `legal_basis.pipl`; where nothing else fits, use `consent`.\n\n```yaml\npurposes:\n  order_fulfilment:\n    legal_basis: { gdpr: contract, pipl: contract_or_hr }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    // A purpose whose data subjects are all outside the PIPL's reach needs no PIPL basis.
    let subjects_of = crate::rules::facts::purpose_subjects(m);
    let in_scope = crate::rules::facts::purposes_in_scope(m, subjects_of, RegimeName::Pipl);
    for (pi, p) in m.purposes.iter().enumerate() {
        if !in_scope[pi] {
            continue;
        }
        let target = format!("purposes.{}", p.id.value);
        match &p.decl.legal_basis.pipl {
            None => {
                let d = out
                    .at(
                        p.id.span,
                        "no PIPL legal basis",
                        format!(
                            "purpose `{}` has no PIPL legal basis (Art 13(1))",
                            p.id.value
                        ),
                    )
                    .with_secondary(
                        if p.decl.legal_basis.span == p.id.span {
                            Span::NONE
                        } else {
                            p.decl.legal_basis.span
                        },
                        "legal bases declared here",
                    )
                    .with_target(target);
                out.push(d);
            }
            Some(b) if b.value == PiplBasis::LegitimateInterests => {
                let d = out
                    .at(
                        b.span,
                        "not a PIPL basis",
                        format!(
                            "purpose `{}` relies on legitimate interests, which the PIPL does not recognise",
                            p.id.value
                        ),
                    )
                    .with_help("choose one of the seven bases of PIPL Art 13(1); where nothing else fits, `consent`")
                    .with_target(target);
                out.push(d);
            }
            Some(_) => {}
        }
    }
}
