//! PIPL-ART54-COMPLIANCE-AUDIT: a handler of the personal information of more than 10,000,000
//! individuals has a compliance audit at least every two years.

use crate::manifest::Date;
use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

/// Above this many individuals, an audit is due every two years.
const THRESHOLD: u64 = 10_000_000;
/// The audit interval, in years.
const INTERVAL_YEARS: i32 = 2;

pub static RULE: Rule = Rule {
    id: "PIPL-ART54-COMPLIANCE-AUDIT",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 54; CAC Measures for Personal Information Protection Compliance Audits (2025) Art 3",
    url: PIPL_URL,
    default_severity: Severity::Warning,
    summary: "The organisation processes the personal information of more than 10,000,000 individuals and shows no compliance audit in the last two years",
    explanation: "A personal information handler must regularly audit its compliance with laws and administrative regulations in processing personal information (PIPL Art 54, 个人信息处理者应当定期对其处理个人信息遵守法律、行政法规的情况进行合规审计). The CAC's Measures for Personal Information Protection Compliance Audits, in force since 1 May 2025, set the rhythm: a handler that processes the personal information of more than 10,000,000 individuals audits at least once every two years, by itself or through a professional body.\n\nlawful reports the organisation when `organization.pipl_individuals_total` is above 10,000,000 and `organization.last_audit` is missing or more than two years before today. The interval comes from CAC implementing measures rather than the statute, so the default severity is a warning.\n\nNot yet checked: audits that the authorities order (Art 64), and the audit's scope and report.",
    fix: "Have a compliance audit done (in-house or by a professional body) and record its date.\n\n```yaml\norganization:\n  name: 示例科技有限公司\n  establishments: [CN]\n  pipl_individuals_total: 12000000\n  pipo: { name: 王芳, email: pipo@example.cn }\n  last_audit: 2026-03-31\n```",
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
    if total.value <= THRESHOLD {
        return;
    }
    let due_after = Date {
        year: cx.today.year - INTERVAL_YEARS,
        ..cx.today
    };
    let d = match &o.value.last_audit {
        Some(a) if a.value >= due_after => return,
        Some(a) => out
            .at(
                a.span,
                "more than two years ago",
                format!(
                    "the last compliance audit of `{}` was on {}, more than two years ago; with {} individuals, above 10,000,000, an audit is due at least every two years (PIPL Art 54)",
                    o.value.name.value, a.value, total.value
                ),
            )
            .with_secondary(total.span, "more than 10,000,000 individuals"),
        None => out
            .at(
                total.span,
                "more than 10,000,000 individuals",
                format!(
                    "`{}` processes the personal information of {} individuals, above 10,000,000, but records no `last_audit`; an audit is due at least every two years (PIPL Art 54)",
                    o.value.name.value, total.value
                ),
            )
            .with_secondary(o.value.name.span, "no `last_audit` declared for this organisation"),
    };
    out.push(d.with_target("organization".to_string()));
}
