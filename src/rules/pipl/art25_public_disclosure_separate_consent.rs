//! PIPL-ART25-PUBLIC-DISCLOSURE-SEPARATE-CONSENT: a handler makes the personal information it
//! processes public only with the individual's separate consent.

use crate::manifest::types::{ConsentKind, RegimeName};
use crate::report::Severity;
use crate::rules::facts::{consents_by_purpose, has_consent};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART25-PUBLIC-DISCLOSURE-SEPARATE-CONSENT",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 25, 55(1)(3)",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "A purpose makes personal information public without the individual's separate consent",
    explanation: "A personal information handler may not make public the personal information it processes unless the individual has given separate consent (PIPL Art 25, 个人信息处理者不得公开其处理的个人信息，取得个人单独同意的除外). Separate consent (单独同意) is given for this disclosure specifically, not folded into a general agreement. Publishing personal information also calls for a personal information protection impact assessment beforehand (Art 55(1)(3)).\n\nlawful reports each purpose with `publishes: true` and a PIPL legal basis that no consent of kind `separate` covers, whatever the basis: Art 25 asks for separate consent even when another basis supports the rest of the processing.\n\nNot yet checked: the impact assessment of Art 55(1)(3) (PIPL-ART55-PIPIA-REQUIRED, planned).",
    fix: "Ask for separate consent to the publication, or stop publishing.\n\n```yaml\nconsents:\n  public_profile_consent:\n    title: { zh-CN: 公开个人主页 }\n    kind: separate\n    purposes: [public_profile]\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let by_purpose = consents_by_purpose(m);
    for (pi, p) in m.purposes.iter().enumerate() {
        let Some(publishes) = &p.decl.value.publishes else {
            continue;
        };
        if !publishes.value
            || p.decl.value.legal_basis.value.pipl.is_none()
            || has_consent(m, &by_purpose, pi, &[ConsentKind::Separate], None)
        {
            continue;
        }
        let d = out
            .at(
                publishes.span,
                "personal information made public",
                format!(
                    "purpose `{}` makes personal information public, but no `separate` consent covers it (PIPL Art 25)",
                    p.id.value
                ),
            )
            .with_secondary(p.id.span, "no separate consent covers this purpose")
            .with_target(format!("purposes.{}", p.id.value));
        out.push(d);
    }
}
