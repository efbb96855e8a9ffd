//! PIPL-ART53-PRC-REPRESENTATIVE: a handler outside China that the PIPL reaches through
//! Art 3(2) sets up a dedicated agency or designates a representative in China.

use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART53-PRC-REPRESENTATIVE",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 53, 3(2)",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "The PIPL applies through Art 3(2), but no dedicated agency or representative in China is designated",
    explanation: "A personal information handler outside the People's Republic of China that falls under the PIPL through Art 3(2), because it provides products or services to people in China or analyses or assesses their behaviour, must set up a dedicated agency or designate a representative in China to handle personal information protection matters, and report the agency's name or the representative's name and contact details to the departments performing personal information protection duties (PIPL Art 53, 个人信息保护法第五十三条：应当在中华人民共和国境内设立专门机构或者指定代表).\n\nlawful reports the organisation when the PIPL applies only because data subjects live in mainland China (no establishment there and not forced by `regimes:`) and `organization.pipl_representative` is missing.\n\nNot yet checked: whether the agency or representative was reported to the authorities; the language has no date for that yet.",
    fix: "Designate a representative or set up an agency in mainland China, declare it, and report its name and contact details to the authorities.\n\n```yaml\norganization:\n  name: Example Apps Inc.\n  establishments: [US]\n  pipl_representative:\n    name: 示例信息咨询（上海）有限公司\n    email: pipl-rep@example.cn\n    country: CN\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let Some(scope) = m
        .regimes
        .iter()
        .find(|s| s.regime == RegimeName::Pipl && s.applies)
    else {
        return;
    };
    // Art 3(2) only: applicability decided by where subjects live, not by an establishment
    // in mainland China or by `regimes:`.
    let Some(subject) = m
        .subjects
        .iter()
        .find(|s| s.decl.lives_in.iter().any(|p| p.span == scope.span))
    else {
        return;
    };
    let Some(o) = &m.organization else {
        return;
    };
    if o.value.pipl_representative.is_some() {
        return;
    }
    let d = out
        .at(
            o.value.name.span,
            "no representative in China",
            format!(
                "`{}` has no establishment in mainland China and falls under the PIPL through Art 3(2), but names no `pipl_representative` (PIPL Art 53)",
                o.value.name.value
            ),
        )
        .with_secondary(
            scope.span,
            format!("subjects `{}` live in mainland China", subject.id.value),
        )
        .with_target("organization".to_string());
    out.push(d);
}
