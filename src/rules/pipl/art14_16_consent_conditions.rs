//! PIPL-ART14-16-CONSENT-CONDITIONS: a consent that a PIPL purpose relies on can be proven,
//! can be withdrawn conveniently, and is not a condition of a service that does not need it.

use crate::manifest::types::{PiplBasis, RegimeName};
use crate::report::Severity;
use crate::rules::facts::{consents_by_purpose, consents_relied_on};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART14-16-CONSENT-CONDITIONS",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 14, 15, 16",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "A consent that a PIPL purpose relies on cannot be proven, cannot be withdrawn conveniently, or is a condition of the service",
    explanation: "Where processing rests on consent, the consent must be given voluntarily and explicitly by a fully informed individual (PIPL Art 14(1), 个人信息保护法第十四条：应当由个人在充分知情的前提下自愿、明确作出). The individual has the right to withdraw it, and the handler must provide a convenient way to do so (Art 15, 应当提供便捷的撤回同意的方式). A handler may not refuse to provide products or services because the individual does not consent or withdraws consent, unless the processing is necessary to provide them (Art 16, 不得以个人不同意处理其个人信息或者撤回同意为由，拒绝提供产品或者服务). Proving that consent was given falls on the handler in practice, so the records must be kept.\n\nFor every consent that a purpose with `legal_basis.pipl: consent` relies on (through the purpose's `consent:` or the consent's `purposes:`), lawful reports each of these separately: no `withdrawal`; no `record_store`; `precondition_of_service: true`. A purpose the service needs rests on `contract_or_hr` rather than consent, so a consent-based purpose is taken not to be necessary for the service.\n\nNot yet checked: whether the purpose, method or categories changed after consent without a new consent (Art 14(2)).",
    fix: "Keep consent records, describe how to withdraw, and stop making the product depend on the consent; if the service truly needs the processing, rest the purpose on `contract_or_hr`.\n\n```yaml\nconsents:\n  recommendations:\n    kind: standard\n    purposes: [personalised_recommendations]\n    withdrawal: { zh-CN: 在“设置 > 隐私”中关闭个性化推荐即可撤回。 }\n    record_store: consent_log\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let by_purpose = consents_by_purpose(m);
    // Consents a PIPL consent-based purpose relies on, with the first such purpose.
    let relied = consents_relied_on(m, &by_purpose, |pi| {
        m.purposes[pi]
            .decl
            .legal_basis
            .pipl
            .as_ref()
            .map(|b| b.value)
            == Some(PiplBasis::Consent)
    });
    for (ci, c) in m.consents.iter().enumerate() {
        let Some(p) = relied[ci] else {
            continue;
        };
        let target = format!("consents.{}", c.id.value);
        let purpose = &m.purposes[p].id;
        let cid = &c.id.value;
        if c.decl.withdrawal.is_none() {
            let d = out
                .at(
                    c.id.span,
                    "no `withdrawal`",
                    format!(
                        "consent `{cid}` offers no convenient way to withdraw it (PIPL Art 15)"
                    ),
                )
                .with_secondary(purpose.span, "relies on this consent")
                .with_target(target.clone());
            out.push(d);
        }
        if c.decl.record_store.is_none() {
            let d = out
                .at(
                    c.id.span,
                    "no `record_store`",
                    format!("consent `{cid}` has no `record_store`, so it cannot be shown that people gave it (PIPL Art 14)"),
                )
                .with_secondary(purpose.span, "relies on this consent")
                .with_target(target.clone());
            out.push(d);
        }
        if let Some(b) = c.decl.precondition_of_service.as_ref().filter(|b| b.value) {
            let d = out
                .at(
                    b.span,
                    "service refused without consent",
                    format!("consent `{cid}` is a condition of the service, but purpose `{}` rests on consent, so the service does not need it (PIPL Art 16)", purpose.value),
                )
                .with_secondary(purpose.span, "relies on this consent")
                .with_target(target.clone());
            out.push(d);
        }
    }
}
