//! GDPR-ART7-CONSENT-CONDITIONS: a consent that a GDPR purpose relies on can be proven, is
//! as easy to withdraw as to give, is granular, is not a condition of the service, and is not
//! given by a pre-ticked box.

use crate::manifest::types::{GdprBasis, RegimeName};
use crate::report::Severity;
use crate::rules::facts::{consents_by_purpose, consents_relied_on, list_ids};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART7-CONSENT-CONDITIONS",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 4(11), 7(1)–(4); Recital 32, 43; CJEU C-673/17 Planet49",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_7",
    default_severity: Severity::Error,
    summary: "A consent that a GDPR purpose relies on does not meet the conditions for consent",
    explanation: "Consent is a freely given, specific, informed and unambiguous indication of the data subject's wishes, by a statement or a clear affirmative action (Art 4(11)). Where processing rests on consent, the controller must be able to show that the person consented (Art 7(1)); the person may withdraw at any time, and withdrawing must be as easy as giving consent (Art 7(3)). Consent should cover each purpose separately when there are several (Recital 32, 43), and it is not freely given when the service is made conditional on consent to processing the service does not need (Art 7(4)). Silence, inactivity or a box ticked in advance is not consent (Recital 32; CJEU C-673/17 *Planet49*, 2019).\n\nFor every consent that a purpose with `legal_basis.gdpr: consent` relies on (through the purpose's `consent:` or the consent's `purposes:`), lawful reports each of these problems separately: no `withdrawal`; no `record_store`; the consent covers several purposes with one choice; `precondition_of_service: true`; `pre_ticked: true`.\n\nNot yet checked: whether the consent records keep the notice version shown, and whether the withdrawal channel really is as easy as the collection channel.",
    fix: "Give one consent per purpose, keep records of it, describe how to withdraw it, and do not make the service depend on it.\n\n```yaml\nconsents:\n  newsletter_consent:\n    kind: standard\n    purposes: [newsletter]\n    withdrawal: { en: Use the unsubscribe link in any newsletter. }\n    record_store: consent_log\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let by_purpose = consents_by_purpose(m);
    // Consents a GDPR consent-based purpose relies on, with the first such purpose.
    let relied = consents_relied_on(m, &by_purpose, |pi| {
        m.purposes[pi]
            .decl
            .legal_basis
            .gdpr
            .as_ref()
            .map(|b| b.value)
            == Some(GdprBasis::Consent)
    });
    // Purposes each consent covers, either way it is linked.
    let mut covers: Vec<Vec<usize>> = vec![Vec::new(); m.consents.len()];
    for (pi, cs) in by_purpose.iter().enumerate() {
        for &c in cs {
            covers[c].push(pi);
        }
    }
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
                        "consent `{cid}` says nothing about how it is withdrawn (GDPR Art 7(3))"
                    ),
                )
                .with_secondary(purpose.span, "relies on this consent")
                .with_target(target.clone());
            out.push(d);
        }
        if c.decl.record_store.is_none() {
            let d = out
                .at(c.id.span, "no `record_store`", format!("consent `{cid}` has no `record_store`, so it cannot be shown that people gave it (GDPR Art 7(1))"))
                .with_secondary(purpose.span, "relies on this consent")
                .with_target(target.clone());
            out.push(d);
        }
        if covers[ci].len() > 1 {
            let ids = covers[ci].iter().map(|&q| m.purposes[q].id.value.as_str());
            let d = out
                .at(
                    c.id.span,
                    "several purposes, one choice",
                    format!(
                        "consent `{cid}` covers {} purposes ({}) with a single choice; consent must be given for each purpose separately (GDPR Art 4(11), Recital 32, 43)",
                        covers[ci].len(),
                        list_ids(ids, 4)
                    ),
                )
                .with_target(target.clone());
            out.push(d);
        }
        if let Some(b) = c.decl.precondition_of_service.as_ref().filter(|b| b.value) {
            let d = out
                .at(b.span, "service made conditional on consent", format!("consent `{cid}` is a condition of the service, so it is not freely given (GDPR Art 7(4)); a purpose the service needs rests on `contract`, not consent"))
                .with_secondary(c.id.span, "this consent")
                .with_target(target.clone());
            out.push(d);
        }
        if let Some(b) = c.decl.pre_ticked.as_ref().filter(|b| b.value) {
            let d = out
                .at(b.span, "ticked in advance", format!("consent `{cid}` is given by a pre-ticked box, which is not consent (GDPR Art 4(11), Recital 32; CJEU C-673/17 Planet49)"))
                .with_secondary(c.id.span, "this consent")
                .with_target(target.clone());
            out.push(d);
        }
    }
}
