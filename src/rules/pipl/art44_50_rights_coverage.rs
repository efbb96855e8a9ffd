//! PIPL-ART44-50-RIGHTS-COVERAGE: every right an individual has under the PIPL has a
//! handler, each handler gives reasons when it refuses, and each states how fast it answers.

use crate::manifest::types::{PiplBasis, RegimeName, RightKind};
use crate::manifest::yaml::Span;
use crate::report::Severity;
use crate::rules::facts::{purpose_subjects, purposes_in_scope};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART44-50-RIGHTS-COVERAGE",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 15, 24(3), 44–50; app-enforcement rules (account cancellation)",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "A right of individuals under the PIPL has no handler, or a handler gives no reasons when refusing or sets no deadline",
    explanation: "Chapter IV of the PIPL (个人在个人信息处理活动中的权利) gives individuals the right to know about and decide on the processing of their personal information, and to restrict or refuse it (Art 44); to access and copy it (Art 45(1)–(2)); to have it corrected and supplemented (Art 46); to have it deleted (Art 47); and to have the processing rules explained (Art 48). The close relatives of a deceased person may exercise the rights of access, copying, correction and deletion over the deceased's information for their own lawful, legitimate interests, unless the deceased arranged otherwise while alive (Art 49). Consent may be withdrawn at any time (Art 15), and a person significantly affected by an automated decision may ask for an explanation and refuse it (Art 24(3)). The app-enforcement rules of the CAC and MIIT add the cancellation of accounts (注销账号). A handler must set up a convenient mechanism for these requests and, when it refuses one, give its reasons (Art 50).\n\nlawful requires a handler under `rights:` for `access`, `rectification`, `erasure`, `restriction`, `objection` (Art 44's refusal), `explanation`, `deceased_relatives` and `account_cancellation`; for `withdraw_consent` when a purpose within the PIPL's reach rests on `consent`; and for `automated_decision` when such a purpose declares `automated_decision.significant_effect: true`. Account cancellation is always required: lawful does not yet know which products open accounts. The message says when a notice or consent collects through an `app` or `mini_program` channel, where the app-enforcement rules certainly apply; a project without accounts suppresses the finding with that reason. Without a `rights:` section, one finding lists every handler needed. For each declared handler of a right the PIPL grants, lawful also reports `refusal_reasons` that is not `true` (Art 50; withdrawal of consent is exempt, as it is never refused).\n\nThe PIPL sets no number of days: requests must be handled in a timely way (及时, Art 50). In practice the app-enforcement rules expect 15 working days, and the recommended national standard GB/T 35273-2020 §8.7 says 30 days. Findings about the deadline are therefore warnings while the others are errors: a handler without `sla`, and a handler whose `sla` can exceed the common practice of 15 business days (lawful's reference table, src/reference/rights.tsv).\n\nNot yet checked: the transfer of personal information to another handler (Art 45(3)), which applies only where the CAC's conditions are met; whether each handler reaches every dataset in PIPL scope.",
    fix: "Register a handler for each right, with a deadline and reasons on refusal.\n\n```yaml\nrights:\n  access: { sla: 15 business days, channels: [in_app, email], refusal_reasons: true }\n  rectification: { sla: 15 business days, channels: [in_app], refusal_reasons: true }\n  erasure: { sla: 15 business days, channels: [in_app], refusal_reasons: true }\n  restriction: { sla: 15 business days, channels: [email], refusal_reasons: true }\n  objection: { sla: 15 business days, channels: [email], refusal_reasons: true }\n  explanation: { sla: 15 business days, channels: [email], refusal_reasons: true }\n  deceased_relatives: { sla: 15 business days, channels: [email, post], refusal_reasons: true }\n  account_cancellation: { sla: 15 business days, channels: [in_app], refusal_reasons: true }\n```",
    check,
};

/// Why a right is required, for messages.
fn required(cx: &Context) -> Vec<(RightKind, &'static str)> {
    let m = cx.model;
    let mut out = vec![
        (RightKind::Access, "access and copy, Art 45(1)–(2)"),
        (
            RightKind::Rectification,
            "correction and supplementation, Art 46",
        ),
        (RightKind::Erasure, "deletion, Art 47"),
        (RightKind::Restriction, "restriction, Art 44"),
        (RightKind::Objection, "refusal, Art 44"),
        (
            RightKind::Explanation,
            "explanation of the processing rules, Art 48",
        ),
        (
            RightKind::DeceasedRelatives,
            "close relatives of a deceased person, Art 49",
        ),
    ];
    let app = |c: &String| c == "app" || c == "mini_program";
    let through_app = m.notices.iter().any(|n| n.decl.channels.iter().any(app))
        || m.consents.iter().any(|c| c.decl.channels.iter().any(app));
    out.push((
        RightKind::AccountCancellation,
        if through_app {
            "account cancellation: the project collects through an app or mini program, where the app-enforcement rules require it"
        } else {
            "account cancellation, app-enforcement rules; if the product opens no accounts, suppress this finding with that reason"
        },
    ));
    let subjects = purpose_subjects(m);
    let in_scope = purposes_in_scope(m, subjects, RegimeName::Pipl);
    let scoped = || (0..m.purposes.len()).filter(|&p| in_scope[p]);
    if scoped().any(|p| m.pipl_basis(p) == Some(PiplBasis::Consent)) {
        out.push((RightKind::WithdrawConsent, "withdrawal of consent, Art 15"));
    }
    if scoped().any(|p| {
        m.purposes[p]
            .decl
            .automated_decision
            .as_ref()
            .is_some_and(|a| a.value.significant_effect.value)
    }) {
        out.push((
            RightKind::AutomatedDecision,
            "explanation and refusal of automated decisions, Art 24(3)",
        ));
    }
    out
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let needed = required(cx);
    let Some(rights) = &m.rights else {
        let span = m
            .organization
            .as_ref()
            .map(|o| o.value.name.span)
            .or_else(|| m.purposes.first().map(|p| p.id.span))
            .unwrap_or(Span::NONE);
        let keys = needed
            .iter()
            .map(|(k, _)| format!("`{}`", k.key()))
            .collect::<Vec<_>>()
            .join(", ");
        let d = out
            .at(
                span,
                "no `rights` section",
                format!(
                    "the project declares no `rights:` section, so no one handles the requests individuals may make under the PIPL; add handlers for {keys} (PIPL Art 44–50)"
                ),
            )
            .with_target("rights");
        out.push(d);
        return;
    };
    for (k, why) in &needed {
        if rights.handler(*k).is_some() {
            continue;
        }
        let d = out
            .at(
                rights.decl.span,
                format!("no `{}` handler", k.key()),
                format!(
                    "`rights` has no `{}` handler for requests individuals may make under the PIPL ({why})",
                    k.key()
                ),
            )
            .with_target(format!("rights.{}", k.key()));
        out.push(d);
    }
    for (k, h) in rights.decl.value.handlers() {
        let Some(limit) = crate::reference::rights::limit(RegimeName::Pipl, k) else {
            continue;
        };
        let key = k.key();
        let target = format!("rights.{key}");
        if k != RightKind::WithdrawConsent
            && !h.value.refusal_reasons.as_ref().is_some_and(|b| b.value)
        {
            let span = h
                .value
                .refusal_reasons
                .as_ref()
                .map(|b| b.span)
                .unwrap_or(h.span);
            let d = out
                .at(
                    span,
                    "no reasons on refusal",
                    format!(
                        "handler `rights.{key}` does not declare `refusal_reasons: true`: a handler that refuses a request must say why (PIPL Art 50)"
                    ),
                )
                .with_target(target.clone());
            out.push(d);
        }
        match (&h.value.sla, &limit.sla) {
            (None, _) => {
                let mut d = out
                    .at(
                        h.span,
                        "no `sla`",
                        format!(
                            "handler `rights.{key}` sets no `sla`: requests must be handled in a timely way (PIPL Art 50), and common practice is 15 business days"
                        ),
                    )
                    .with_target(target.clone());
                d.severity = Severity::Warning;
                out.push(d);
            }
            (Some(sla), Some(bound)) if !sla.value.within(bound) => {
                let mut d = out
                    .at(
                        sla.span,
                        format!("can exceed {bound}"),
                        format!(
                            "handler `rights.{key}` answers within {}, which can exceed the common practice of {bound} (app-enforcement rules; the PIPL itself says only \"timely\", Art 50)",
                            sla.value
                        ),
                    )
                    .with_target(target.clone());
                d.severity = Severity::Warning;
                out.push(d);
            }
            _ => {}
        }
    }
}
