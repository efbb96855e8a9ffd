//! PIPL-ART52-PIPO-REQUIRED: a handler processing the personal information of 1,000,000 or
//! more individuals designates a personal information protection officer.

use crate::manifest::types::RegimeName;
use crate::model::grouped;
use crate::report::Severity;
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

/// The CAC threshold: 1,000,000 individuals.
const THRESHOLD: u64 = 1_000_000;

pub static RULE: Rule = Rule {
    id: "PIPL-ART52-PIPO-REQUIRED",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 52; CAC notice on reporting PIPO information (2025)",
    url: PIPL_URL,
    default_severity: Severity::Warning,
    summary: "The organisation processes the personal information of 1,000,000 or more individuals but names no personal information protection officer",
    explanation: "A personal information handler that processes personal information reaching the quantity the CAC sets must designate a personal information protection officer (个人信息保护负责人), who supervises its processing and the protective measures, and publish the officer's contact details and report the name and contact details to the authorities (PIPL Art 52). The CAC has set the quantity at the personal information of 1,000,000 individuals, counted per legal entity, with individuals de-duplicated and deleted or anonymised data excluded, and asks handlers to report their officer within 30 working days of crossing it.\n\nlawful reports the organisation when `organization.pipl_individuals_total` is 1,000,000 or more and `organization.pipo` is missing. The threshold comes from CAC implementing documents rather than the statute itself, so the default severity is a warning.\n\nlawful also reports an officer whose contact details are not declared as published (`published: true`) or whose report to the CAC has no date (`reported_on`).\n\nNot yet checked: whether the report was made within 30 working days of crossing the threshold.",
    fix: "Designate a personal information protection officer, publish the contact details, and report them to the local CAC.\n\n```yaml\norganization:\n  name: 示例科技有限公司\n  establishments: [CN]\n  pipl_individuals_total: 2500000\n  pipo: { name: 王芳, email: pipo@example.cn, published: true, reported_on: 2026-02-10 }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let Some(o) = &m.organization else {
        return;
    };
    let Some(total) = &o.value.pipl_individuals_total else {
        return;
    };
    if total.value < THRESHOLD {
        return;
    }
    let Some(pipo) = &o.value.pipo else {
        let d = out
            .at(
                total.span,
                "1,000,000 or more individuals",
                format!(
                    "`{}` processes the personal information of {} individuals, at or above the 1,000,000 threshold, but names no `pipo` (PIPL Art 52)",
                    o.value.name.value,
                    grouped(total.value)
                ),
            )
            .with_secondary(o.value.name.span, "no `pipo` declared for this organisation")
            .with_target("organization".to_string());
        out.push(d);
        return;
    };
    let mut missing = Vec::new();
    if !pipo.value.published.as_ref().is_some_and(|b| b.value) {
        missing.push("`published: true` (the officer's contact details are published, e.g. in the personal information processing rules)");
    }
    if pipo.value.reported_on.is_none() {
        missing.push("`reported_on` (the date the officer was reported to the CAC)");
    }
    if missing.is_empty() {
        return;
    }
    let at = pipo
        .value
        .published
        .as_ref()
        .filter(|b| !b.value)
        .map(|b| b.span)
        .unwrap_or(pipo.span);
    let d = out
        .at(
            at,
            "officer not published or not reported",
            format!(
                "the personal information protection officer must have published contact details and be reported to the authorities (PIPL Art 52(2)); `organization.pipo` lacks {}",
                missing.join(" and ")
            ),
        )
        .with_secondary(total.span, "1,000,000 or more individuals")
        .with_target("organization.pipo".to_string());
    out.push(d);
}
