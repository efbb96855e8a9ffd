//! GDPR-ART21-DIRECT-MARKETING-OBJECTION: people can always object, free of charge, to
//! direct marketing and to profiling for it, through a handler they can reach.

use crate::manifest::types::{GdprBasis, RegimeName, RightKind};
use crate::report::Severity;
use crate::rules::facts::list_ids;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART21-DIRECT-MARKETING-OBJECTION",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 21(2)–(4); Art 7(3)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_21",
    default_severity: Severity::Error,
    summary: "A direct-marketing purpose has no objection or opt-out that people can reach and that is always honoured free of charge",
    explanation: "Anyone may object at any time to the processing of their data for direct marketing, including profiling related to it (Art 21(2) GDPR). Unlike other objections, this one needs no reasons and admits no balancing: once the person objects, the data may no longer be used for direct marketing (Art 21(3)). Where the marketing rests on consent, withdrawing consent has the same effect and must be as easy as giving it (Art 7(3)). Exercising the right is free (Art 12(5)).\n\nlawful reports a purpose with `direct_marketing: true` when people have no way to stop it: no `rights.objection` handler and, for a purpose whose GDPR basis is `consent`, no `rights.withdraw_consent` handler either. It also reports a handler relied on that lists no `channels` (people cannot reach it) or whose `datasets:` leave out a dataset the purpose uses (a fee on the handler is reported by GDPR-ART12-DSR-DEADLINE).\n\nNot yet checked: that the right to object is brought to the person's attention explicitly, clearly and separately from other information, at the latest at the first communication (Art 21(4)); the notice wording is not in the manifest. Consent to electronic marketing (email, SMS) is governed by the national laws implementing the ePrivacy Directive, which lawful does not check.",
    fix: "Add an objection handler that people can reach, free of charge, covering the marketing datasets.\n\n```yaml\nrights:\n  objection:\n    sla: P1M\n    channels: [email, in_app]\n    fee: false\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let handler = |k| m.rights.as_ref().and_then(|r| r.handler(k));
    // Handlers already reported for having no channel: once each, at the first purpose.
    let mut reported: Vec<RightKind> = Vec::new();
    for (pi, p) in m.purposes.iter().enumerate() {
        let Some(dm) = p.decl.direct_marketing.as_ref().filter(|b| b.value) else {
            continue;
        };
        let id = &p.id.value;
        let target = format!("purposes.{id}");
        let consent = m.gdpr_basis(pi) == Some(GdprBasis::Consent);
        // The handler people use to stop the marketing: objection, else consent withdrawal.
        let relied = match (handler(RightKind::Objection), consent) {
            (Some(h), _) => Some((RightKind::Objection, h)),
            (None, true) => {
                handler(RightKind::WithdrawConsent).map(|h| (RightKind::WithdrawConsent, h))
            }
            (None, false) => None,
        };
        let Some((kind, h)) = relied else {
            let also = if consent {
                " or `withdraw_consent`"
            } else {
                ""
            };
            let d = out
                .at(
                    dm.span,
                    "no way to object",
                    format!(
                        "purpose `{id}` is direct marketing, but `rights:` has no `objection`{also} handler through which people can stop it (GDPR Art 21(2)–(3))"
                    ),
                )
                .with_help("add `objection: { sla: P1M, channels: [email, in_app] }` under `rights:`")
                .with_target(target);
            out.push(d);
            continue;
        };
        let key = kind.key();
        if h.channels.is_empty() && !reported.contains(&kind) {
            reported.push(kind);
            let d = out
                .at(
                    h.span,
                    "no `channels`",
                    format!(
                        "`rights.{key}` lists no `channels`, so people cannot stop the direct marketing of purpose `{id}` (GDPR Art 21(2))"
                    ),
                )
                .with_secondary(dm.span, "direct marketing")
                .with_help(format!("list how people reach it, e.g. `channels: [email, in_app]` on `rights.{key}`"))
                .with_target(format!("rights.{key}"));
            out.push(d);
        }
        let rights = m
            .rights
            .as_ref()
            .expect("a handler implies a rights section");
        let missed: Vec<usize> = crate::rules::facts::purpose_datasets(m)[pi]
            .iter()
            .copied()
            .filter(|&d| !rights.reaches(kind, d))
            .collect();
        if !missed.is_empty() {
            let ids = list_ids(missed.iter().map(|&d| m.datasets[d].id.value.as_str()), 4);
            let span = h.datasets.as_ref().map(|s| s.span).unwrap_or(h.span);
            let d = out
                .at(
                    span,
                    format!("leaves out {ids}"),
                    format!(
                        "`rights.{key}` does not reach {ids}, which purpose `{id}` uses for direct marketing, so an objection would not stop it there (GDPR Art 21(3))"
                    ),
                )
                .with_secondary(dm.span, "direct marketing")
                .with_help(format!("add the datasets to `rights.{key}.datasets`, or drop `datasets:` if it reaches all"))
                .with_target(target.clone());
            out.push(d);
        }
    }
}
