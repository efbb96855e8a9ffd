//! PIPL-ART54-COMPLIANCE-AUDIT: a handler of the personal information of more than 10,000,000
//! individuals has a compliance audit at least every two years.

use crate::manifest::Duration;
use crate::manifest::types::RegimeName;
use crate::model::grouped;
use crate::report::Severity;
use crate::rules::facts::{may_be_under, subject_in_scope};
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
    explanation: "A personal information handler must regularly audit its compliance with laws and administrative regulations in processing personal information (PIPL Art 54, 个人信息处理者应当定期对其处理个人信息遵守法律、行政法规的情况进行合规审计). The CAC's Measures for Personal Information Protection Compliance Audits, in force since 1 May 2025, set the rhythm: a handler that processes the personal information of more than 10,000,000 individuals audits at least once every two years, by itself or through a professional body.\n\nlawful reports the organisation when `organization.pipl_individuals_total` is above 10,000,000 and `organization.last_audit` is missing or more than two years before today, or when a kind of data subject in PIPL scope may be under 14 and the last audit is missing or more than a year old. When the organisation processes the personal information of minors, the Regulations on the Protection of Minors in Cyberspace (未成年人网络保护条例, Art 37) ask for a yearly audit of that processing; lawful then expects `last_audit` within the last year whatever the total. The intervals come from implementing measures rather than the statute, so the default severity is a warning.\n\nNot yet checked: audits that the authorities order (Art 64), and the audit's scope and report.",
    fix: "Have a compliance audit done (in-house or by a professional body) and record its date.\n\n```yaml\norganization:\n  name: 示例科技有限公司\n  establishments: [CN]\n  pipl_individuals_total: 12000000\n  pipo: { name: 王芳, email: pipo@example.cn }\n  last_audit: 2026-03-31\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let Some(o) = &m.organization else {
        return;
    };
    // Minors' personal information: a yearly audit (Regulations on the Protection of Minors
    // in Cyberspace, 未成年人网络保护条例, Art 37).
    let minors = (0..m.subjects.len())
        .find(|&s| may_be_under(m, s, 14) && subject_in_scope(m, s, RegimeName::Pipl));
    let total = o
        .value
        .pipl_individuals_total
        .as_ref()
        .filter(|t| t.value > THRESHOLD);
    let (years, why, why_span) = match (minors, total) {
        (Some(s), _) => (
            1,
            format!(
                "it processes the personal information of minors (`{}` may be under 14), which calls for an audit every year",
                m.subjects[s].id.value
            ),
            m.subjects[s].id.span,
        ),
        (None, Some(t)) => (
            INTERVAL_YEARS,
            format!(
                "it processes the personal information of {} individuals, above 10,000,000, which calls for an audit at least every two years",
                grouped(t.value)
            ),
            t.span,
        ),
        (None, None) => return,
    };
    let interval = Duration {
        years: years as u32,
        ..Duration::default()
    };
    let d = match &o.value.last_audit {
        Some(a) if a.value.plus(&interval) >= cx.today => return,
        Some(a) => out
            .at(
                a.span,
                if years == 1 { "more than a year ago" } else { "more than two years ago" },
                format!(
                    "the last compliance audit of `{}` was on {}: too long ago, since {why} (PIPL Art 54)",
                    o.value.name.value, a.value
                ),
            )
            .with_secondary(why_span, "why audits are due"),
        None => out
            .at(
                why_span,
                "audits are due",
                format!(
                    "`{}` records no `last_audit`, but {why} (PIPL Art 54)",
                    o.value.name.value
                ),
            )
            .with_secondary(o.value.name.span, "no `last_audit` declared for this organisation"),
    };
    out.push(d.with_target("organization".to_string()));
}
