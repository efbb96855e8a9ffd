//! GDPR-ART49-DEROGATION-SCOPE: an Art 49 derogation covers only occasional transfers, and
//! the consent derogation needs explicit consent.

use crate::manifest::types::{ConsentKind, Frequency, GdprTransfer, RegimeName};
use crate::report::Severity;
use crate::rules::facts::{consents_by_purpose, flow_name, flow_target, has_consent};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART49-DEROGATION-SCOPE",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 49(1)(a)–(g); EDPB Guidelines 2/2018 on derogations of Article 49",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_49",
    default_severity: Severity::Warning,
    summary: "An Art 49 derogation is used for a transfer that is not shown to be occasional, or the consent derogation lacks explicit consent",
    explanation: "The derogations of GDPR Art 49(1) allow a transfer to a third country without adequacy or Art 46 safeguards only in specific situations. The EDPB reads them restrictively (Guidelines 2/2018): they are exceptions for occasional, non-repetitive transfers, and a transfer that happens regularly as part of the normal course of business needs adequacy or appropriate safeguards instead. The consent derogation, Art 49(1)(a), further needs the data subject's explicit consent, given after being informed of the possible risks of a transfer without those safeguards.\n\nFor each flow whose `transfer.gdpr` is a derogation (`derogation_49_1_a` to `derogation_49_1_g`), lawful reports: `frequency: systematic`, or no `frequency` at all, since the derogation then rests on an unstated fact; and, for `derogation_49_1_a`, a purpose of the flow that no consent of kind `explicit` covers. All are warnings, because whether a transfer is truly occasional needs human judgment.\n\nNot yet checked: whether a transfer under 49(1)(b) or (c) is necessary for the contract, and whether the supervisory authority and the subject were told of a transfer on compelling legitimate interests (second subparagraph of Art 49(1)).",
    fix: "Move regular transfers to Art 46 safeguards such as standard contractual clauses; keep derogations for occasional transfers, and say so.\n\n```yaml\nflows:\n  - from: bookings\n    to: hotel_partner\n    purposes: [booking]\n    frequency: occasional\n    transfer: { gdpr: derogation_49_1_b }\n```",
    check,
};

fn is_derogation(t: GdprTransfer) -> bool {
    matches!(
        t,
        GdprTransfer::Derogation491A
            | GdprTransfer::Derogation491B
            | GdprTransfer::Derogation491C
            | GdprTransfer::Derogation491D
            | GdprTransfer::Derogation491E
            | GdprTransfer::Derogation491F
            | GdprTransfer::Derogation491G
    )
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let by_purpose = consents_by_purpose(m);
    for (fi, f) in m.flows.iter().enumerate() {
        let Some(g) = f.decl.transfer.as_ref().and_then(|t| t.value.gdpr.as_ref()) else {
            continue;
        };
        if !is_derogation(g.value) {
            continue;
        }
        match &f.decl.frequency {
            Some(fr) if fr.value == Frequency::Systematic => {
                let d = out
                    .at(
                        g.span,
                        "derogation on a systematic flow",
                        format!(
                            "{} relies on an Art 49(1) derogation but is declared `systematic`; derogations cover only occasional transfers, so use adequacy or Art 46 safeguards",
                            flow_name(m, fi)
                        ),
                    )
                    .with_secondary(fr.span, "regular, repeated transfers")
                    .with_target(flow_target(m, fi));
                out.push(d);
            }
            Some(_) => {}
            None => {
                let d = out
                    .at(
                        g.span,
                        "derogation without a `frequency`",
                        format!(
                            "{} relies on an Art 49(1) derogation but declares no `frequency`; derogations cover only occasional transfers, so state `one_off` or `occasional`, or use Art 46 safeguards",
                            flow_name(m, fi)
                        ),
                    )
                    .with_target(flow_target(m, fi));
                out.push(d);
            }
        }
        if g.value == GdprTransfer::Derogation491A {
            let missing: Vec<usize> = f
                .purposes
                .iter()
                .copied()
                .filter(|&p| !has_consent(m, &by_purpose, p, &[ConsentKind::Explicit], None))
                .collect();
            if f.purposes.is_empty() || !missing.is_empty() {
                let what = if missing.is_empty() {
                    "the flow names no purpose a consent could cover".to_string()
                } else {
                    format!(
                        "no `explicit` consent covers {}",
                        crate::rules::facts::list_ids(
                            missing.iter().map(|&p| m.purposes[p].id.value.as_str()),
                            3
                        )
                    )
                };
                let d = out
                    .at(
                        g.span,
                        "no explicit consent for the transfer",
                        format!(
                            "{} relies on Art 49(1)(a), which needs explicit consent after the subject was told the risks, but {what}",
                            flow_name(m, fi)
                        ),
                    )
                    .with_target(flow_target(m, fi));
                out.push(d);
            }
        }
    }
}
