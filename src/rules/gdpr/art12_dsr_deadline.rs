//! GDPR-ART12-DSR-DEADLINE: each request handler for a right the GDPR grants answers within
//! one month, extends by at most two more with notice in the first month, and charges no
//! fee by default. The bounds come from `crate::reference::rights`.

use crate::manifest::types::RegimeName;
use crate::reference::rights::limit;
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART12-DSR-DEADLINE",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 12(3)–(5)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_12",
    default_severity: Severity::Error,
    summary: "A data subject request handler answers later than the GDPR allows, extends without notice, or charges a fee",
    explanation: "Article 12(3) of the GDPR gives the controller one month from receipt to act on a request under Articles 15 to 22 and to tell the person what it did. Where requests are complex or numerous, the period may be extended by up to two further months, but the person must be told of the extension, with the reasons, within the first month. Requests are answered free of charge (Art 12(5)); a reasonable fee, or a refusal, is possible only for requests that are manifestly unfounded or excessive, which is a case-by-case decision, not a default.\n\nFor each handler under `rights:` for a right the GDPR grants, lawful reports: an `sla` longer than one month, or no `sla` at all; an `extension` longer than two months; an `extension` without `notify_extension_within`, or with one later than the first month; and `fee: true`. Deadlines may be calendar durations (`P1M`, `P28D`) or business days; business days are compared conservatively, since public holidays are not known. The bounds are read from the rights reference table (src/reference/rights.tsv).\n\nNot yet checked: that requests are actually answered on time; the request log (`rights.request_log`) is not compared with the deadlines.",
    fix: "Answer within one month, extend by at most two with notice in the first month, and charge no fee.\n\n```yaml\nrights:\n  access:\n    sla: P1M\n    extension: P2M\n    notify_extension_within: P1M\n    channels: [web_form, email]\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let Some(rights) = &m.rights else {
        return;
    };
    for (kind, h) in rights.decl.value.handlers() {
        let Some(lim) = limit(RegimeName::Gdpr, kind) else {
            continue;
        };
        let key = kind.key();
        let target = format!("rights.{key}");
        let art = lim.article;
        if let Some(max) = &lim.sla {
            match &h.sla {
                Some(sla) if !sla.value.within(max) => {
                    let d = out
                        .at(
                            sla.span,
                            format!("longer than {max}"),
                            format!(
                                "`rights.{key}.sla` is {}, longer than the one month the GDPR allows to answer (GDPR {art})",
                                sla.value
                            ),
                        )
                        .with_help(format!("set `sla: {max}` (or `P28D` to be safe in February), and use `extension:` for complex requests"))
                        .with_target(target.clone());
                    out.push(d);
                }
                Some(_) => {}
                None => {
                    let d = out
                        .at(
                            h.span,
                            "no `sla`",
                            format!(
                                "`rights.{key}` does not say how fast requests are answered; the GDPR allows one month from receipt (GDPR {art})"
                            ),
                        )
                        .with_help(format!("add `sla: {max}` to `rights.{key}`"))
                        .with_target(target.clone());
                    out.push(d);
                }
            }
        }
        if let (Some(ext), Some(max)) = (&h.extension, &lim.extension) {
            if !ext.value.within(max) {
                let d = out
                    .at(
                        ext.span,
                        format!("longer than {max}"),
                        format!(
                            "`rights.{key}.extension` is {}, but the GDPR allows at most two further months (Art 12(3))",
                            ext.value
                        ),
                    )
                    .with_help(format!("set `extension: {max}` or less"))
                    .with_target(target.clone());
                out.push(d);
            }
            if let Some(notify) = &lim.notify {
                match &h.notify_extension_within {
                    None => {
                        let d = out
                            .at(
                                ext.span,
                                "extension without notice",
                                format!(
                                    "`rights.{key}` may extend the deadline but does not say when the person is told; the extension and its reasons must be notified within the first month (Art 12(3))"
                                ),
                            )
                            .with_help(format!("add `notify_extension_within: {notify}` to `rights.{key}`"))
                            .with_target(target.clone());
                        out.push(d);
                    }
                    Some(n) if !n.value.within(notify) => {
                        let d = out
                            .at(
                                n.span,
                                format!("later than {notify}"),
                                format!(
                                    "`rights.{key}.notify_extension_within` is {}, but an extension must be notified, with its reasons, within the first month (Art 12(3))",
                                    n.value
                                ),
                            )
                            .with_help(format!("set `notify_extension_within: {notify}` or less"))
                            .with_target(target.clone());
                        out.push(d);
                    }
                    Some(_) => {}
                }
            }
        }
        if let Some(fee) = h.fee.as_ref().filter(|f| f.value) {
            let d = out
                .at(
                    fee.span,
                    "fee charged by default",
                    format!(
                        "`rights.{key}` charges a fee; GDPR requests are free of charge, and a fee is allowed only for a request that is manifestly unfounded or excessive (Art 12(5))"
                    ),
                )
                .with_help(format!("set `fee: false` on `rights.{key}`, and decide on fees case by case"))
                .with_target(target.clone());
            out.push(d);
        }
    }
}
