//! PIPL-ART20-JOINT-HANDLER-AGREEMENT: joint handlers agree on each one's rights and
//! obligations.

use crate::manifest::types::{PiplRole, RegimeName};
use crate::report::Severity;
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART20-JOINT-HANDLER-AGREEMENT",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 20",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "A joint handler has no agreement on each party's rights and obligations",
    explanation: "When two or more handlers jointly decide the purpose and method of processing, they must agree on each one's rights and obligations (PIPL Art 20, 个人信息保护法第二十条). The agreement does not bind the individual: they may exercise their rights against any of the handlers, and handlers whose joint processing infringes their rights and causes damage are jointly and severally liable.\n\nlawful reports a recipient whose PIPL role is `joint_handler` and that has no `contract`. The Chinese text governs; DigiChina (Stanford) publishes a reputable English translation.\n\nNot yet checked: what the agreement allocates (who answers requests, who gives notice), which the language does not record yet.",
    fix: "Reference the joint-handling agreement on the recipient.\n\n```yaml\nrecipients:\n  partner_bank:\n    name: 示例银行股份有限公司\n    role: { pipl: joint_handler }\n    contract: { ref: 共同处理协议-2025-003, signed_on: 2025-06-01 }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    for r in &m.recipients {
        let Some(role) = &r.decl.role.pipl else {
            continue;
        };
        if role.value != PiplRole::JointHandler || r.decl.contract.is_some() {
            continue;
        }
        let d = out
            .at(
                r.id.span,
                "no joint-handling agreement",
                format!(
                    "joint handler `{}` has no agreement on each party's rights and obligations under PIPL Art 20",
                    r.id.value
                ),
            )
            .with_secondary(role.span, "declared a joint handler here")
            .with_help("reference the agreement under `contract:`; the handlers are jointly and severally liable to the individual whatever it says")
            .with_target(format!("recipients.{}", r.id.value));
        out.push(d);
    }
}
