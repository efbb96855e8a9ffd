//! GDPR-ART15-21-RIGHTS-COVERAGE: the project declares a handler for each data subject right
//! the GDPR grants its processing, the access and erasure handlers reach every dataset that
//! identifies people, and erasure is passed on to the recipients of the data.

use crate::manifest::types::{GdprBasis, RegimeName, RightKind};
use crate::manifest::yaml::Span;
use crate::model::{Model, NodeRef};
use crate::report::Severity;
use crate::rules::facts::{is_true, list_ids, subject_in_scope};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART15-21-RIGHTS-COVERAGE",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 7(3), 15–21, 17(2), 19",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_15",
    default_severity: Severity::Error,
    summary: "A data subject right the GDPR grants has no handler, a handler does not reach a dataset that identifies people, or erasure is not passed on to recipients",
    explanation: "The GDPR gives people rights over their data: access and a copy (Art 15), rectification (Art 16), erasure (Art 17), restriction (Art 18), and to have the recipients told of a rectification, erasure or restriction (Art 19). Depending on the basis of the processing they also have the right to withdraw consent at any time (Art 7(3)), to data portability where the processing rests on consent or contract and is automated (Art 20), and to object where it rests on a public task or legitimate interests (Art 21(1)). A controller that made a person's data available to others and has to erase it must take reasonable steps to tell them (Art 17(2)), and must pass erasure on to each recipient (Art 19).\n\nlawful reports each right without a handler under `rights:`: `access`, `rectification`, `erasure`, `restriction` and `recipient_notification` always; `withdraw_consent` when a purpose's GDPR basis is `consent`; `portability` when it is `consent` or `contract`; `objection` when it is `public_task` or `legitimate_interests`. When the `rights:` section is missing altogether it reports once, listing every handler to add. It also reports a dataset that identifies people (it has a `subject_key`) and holds GDPR data, which the `access` or `erasure` handler does not list under `datasets:` (a handler without `datasets:` asserts that it reaches every dataset), and an `erasure` handler without `propagates: true` while personal data flows to recipients.\n\nNot yet checked: whether processing eligible for portability is automated (lawful assumes it is), and whether the handlers work.",
    fix: "Declare a handler for each right, list the datasets it reaches, and pass erasure on along the outgoing flows.\n\n```yaml\nrights:\n  access: { sla: P1M, channels: [web_form, email] }\n  rectification: { sla: P1M, channels: [in_app] }\n  erasure: { sla: P1M, channels: [web_form], propagates: true }\n  restriction: { sla: P1M, channels: [email] }\n  recipient_notification: { sla: P1M }\n  withdraw_consent: { channels: [in_app] }\n```",
    check,
};

/// A handler to add, as YAML under `rights:`.
fn example(k: RightKind) -> String {
    let body = match k {
        RightKind::WithdrawConsent => "{ channels: [in_app] }",
        RightKind::RecipientNotification => "{ sla: P1M }",
        RightKind::Erasure => "{ sla: P1M, channels: [web_form], propagates: true }",
        _ => "{ sla: P1M, channels: [web_form] }",
    };
    format!("{}: {body}", k.key())
}

/// Whether a dataset holds data within the GDPR's reach: it is stored in the EEA, holds data
/// of subjects in scope, or says neither (and the regime applies, or the rule would not run).
fn gdpr_dataset(m: &Model, d: usize) -> bool {
    let ds = &m.datasets[d];
    let country = ds.country(m);
    country.is_some_and(|c| c.value.in_eea())
        || ds
            .subjects
            .iter()
            .any(|&s| subject_in_scope(m, s, RegimeName::Gdpr))
        || (ds.subjects.is_empty() && country.is_none())
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    // The handlers the processing needs, each with the purpose that makes it needed (if any).
    let mut needed: Vec<(RightKind, Option<usize>)> = [
        RightKind::Access,
        RightKind::Rectification,
        RightKind::Erasure,
        RightKind::Restriction,
        RightKind::RecipientNotification,
    ]
    .into_iter()
    .map(|k| (k, None))
    .collect();
    let first = |pred: &dyn Fn(GdprBasis) -> bool| {
        (0..m.purposes.len()).find(|&p| m.gdpr_basis(p).is_some_and(pred))
    };
    if let Some(p) = first(&|b| b == GdprBasis::Consent) {
        needed.push((RightKind::WithdrawConsent, Some(p)));
    }
    if let Some(p) = first(&|b| matches!(b, GdprBasis::Consent | GdprBasis::Contract)) {
        needed.push((RightKind::Portability, Some(p)));
    }
    if let Some(p) = first(&|b| matches!(b, GdprBasis::PublicTask | GdprBasis::LegitimateInterests))
    {
        needed.push((RightKind::Objection, Some(p)));
    }
    needed.sort_by_key(|(k, _)| *k);
    let basis_span = |p: Option<usize>| {
        p.and_then(|p| m.purposes[p].decl.legal_basis.gdpr.as_ref())
            .map(|b| b.span)
            .unwrap_or(Span::NONE)
    };

    let Some(rights) = &m.rights else {
        let span = m
            .organization
            .as_ref()
            .map(|o| o.name.span)
            .filter(|s| !s.is_none())
            .or_else(|| m.purposes.first().map(|p| p.id.span));
        let Some(span) = span else { return };
        let keys: Vec<&str> = needed.iter().map(|(k, _)| k.key()).collect();
        let d = out
            .at(
                span,
                "no `rights:` section",
                format!(
                    "no handlers of data subject requests are declared; the GDPR requires {} (Art 7(3), 15–21)",
                    list_ids(keys.iter().copied(), keys.len())
                ),
            )
            .with_help(format!(
                "add a `rights:` section with a handler for each, for instance `rights: {{ {}, {} }}`",
                example(RightKind::Access),
                example(RightKind::Erasure)
            ))
            .with_target("rights");
        out.push(d);
        return;
    };

    for &(k, why) in &needed {
        if rights.handler(k).is_some() {
            continue;
        }
        let key = k.key();
        let (article, reason) = match k {
            RightKind::Access => ("Art 15", String::new()),
            RightKind::Rectification => ("Art 16", String::new()),
            RightKind::Erasure => ("Art 17", String::new()),
            RightKind::Restriction => ("Art 18", String::new()),
            RightKind::RecipientNotification => ("Art 19", String::new()),
            RightKind::WithdrawConsent => (
                "Art 7(3)",
                " because a purpose relies on consent".to_string(),
            ),
            RightKind::Portability => (
                "Art 20",
                " because a purpose relies on consent or contract".to_string(),
            ),
            _ => (
                "Art 21(1)",
                " because a purpose relies on a public task or legitimate interests".to_string(),
            ),
        };
        let mut d = out
            .at(
                rights.decl.span,
                format!("no `{key}`"),
                format!(
                    "`rights:` has no `{key}` handler, which the GDPR requires{reason} ({article})"
                ),
            )
            .with_help(format!("add `{}` under `rights:`", example(k)))
            .with_target(format!("rights.{key}"));
        if let Some(p) = why {
            d = d.with_secondary(
                basis_span(Some(p)),
                format!("purpose `{}` needs it", m.purposes[p].id.value),
            );
        }
        out.push(d);
    }

    // Datasets that identify people but that the access or erasure handler does not reach.
    for (di, ds) in m.datasets.iter().enumerate() {
        let Some(key) = &ds.decl.subject_key else {
            continue;
        };
        if !ds.is_personal(t) || !gdpr_dataset(m, di) {
            continue;
        }
        for k in [RightKind::Access, RightKind::Erasure] {
            let Some(h) = rights.handler(k) else { continue };
            if rights.reaches(k, di) {
                continue;
            }
            let span = h.datasets.as_ref().map(|s| s.span).unwrap_or(h.span);
            let d = out
                .at(
                    span,
                    format!("does not list `{}`", ds.id.value),
                    format!(
                        "the `{}` handler does not reach dataset `{}`, which identifies people by `{}` (GDPR {})",
                        k.key(),
                        ds.id.value,
                        key.value,
                        if k == RightKind::Access { "Art 15" } else { "Art 17" }
                    ),
                )
                .with_secondary(ds.id.span, "holds GDPR data with a subject key")
                .with_help(format!(
                    "add `{}` to `rights.{}.datasets`",
                    ds.id.value,
                    k.key()
                ))
                .with_target(format!("datasets.{}", ds.id.value));
            out.push(d);
        }
    }

    // Erasure passed on to the recipients of personal data.
    if let Some(h) = rights.handler(RightKind::Erasure)
        && !is_true(&h.propagates)
    {
        let mut to: Vec<usize> = Vec::new();
        let mut first_flow = None;
        for (fi, f) in m.flows.iter().enumerate() {
            let NodeRef::Recipient(r) = f.to else {
                continue;
            };
            if !cx
                .graph
                .flow_categories(fi)
                .iter()
                .any(|c| t.cat(c).personal)
            {
                continue;
            }
            first_flow.get_or_insert(fi);
            if !to.contains(&r) {
                to.push(r);
            }
        }
        if let Some(fi) = first_flow {
            let span = h.propagates.as_ref().map(|p| p.span).unwrap_or(h.span);
            let ids = list_ids(to.iter().map(|&r| m.recipients[r].id.value.as_str()), 4);
            let d = out
                .at(
                    span,
                    "not passed on to recipients",
                    format!(
                        "erasure is not passed on to the recipients of personal data ({ids}); each must be told of an erasure (GDPR Art 17(2), 19)"
                    ),
                )
                .with_secondary(m.flows[fi].decl.to.span, "personal data flows to this recipient")
                .with_help("set `propagates: true` on `rights.erasure` once erasure requests reach processors and recipients")
                .with_target("rights.erasure");
            out.push(d);
        }
    }
}
