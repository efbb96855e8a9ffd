//! PIPL-ART52-PIPO-REQUIRED: a handler processing the personal information of 1,000,000 or
//! more individuals designates a personal information protection officer.

use crate::manifest::types::RegimeName;
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
    explanation: "A personal information handler that processes personal information reaching the quantity the CAC sets must designate a personal information protection officer (个人信息保护负责人), who supervises its processing and the protective measures, and publish the officer's contact details and report the name and contact details to the authorities (PIPL Art 52). The CAC has set the quantity at the personal information of 1,000,000 individuals, counted per legal entity, with individuals de-duplicated and deleted or anonymised data excluded, and asks handlers to report their officer within 30 working days of crossing it.\n\nlawful reports the organisation when `organization.pipl_individuals_total` is 1,000,000 or more and `organization.pipo` is missing. The threshold comes from CAC implementing documents rather than the statute itself, so the default severity is a warning.\n\nNot yet checked: whether the officer's contact details are published in the notice and whether the officer was reported to the CAC on time.",
    fix: "Designate a personal information protection officer, publish the contact details, and report them to the local CAC.\n\n```yaml\norganization:\n  name: 示例科技有限公司\n  establishments: [CN]\n  pipl_individuals_total: 2500000\n  pipo: { name: 王芳, email: pipo@example.cn }\n```",
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
    if total.value < THRESHOLD || o.value.pipo.is_some() {
        return;
    }
    let d = out
        .at(
            total.span,
            "1,000,000 or more individuals",
            format!(
                "`{}` processes the personal information of {} individuals, at or above the 1,000,000 threshold, but names no `pipo` (PIPL Art 52)",
                o.value.name.value, total.value
            ),
        )
        .with_secondary(o.value.name.span, "no `pipo` declared for this organisation")
        .with_target("organization".to_string());
    out.push(d);
}
