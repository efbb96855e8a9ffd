//! GDPR-ART26-JOINT-CONTROLLER-ARRANGEMENT: a joint controller has an arrangement that sets
//! out each controller's responsibilities.

use crate::manifest::types::{GdprRole, RegimeName};
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART26-JOINT-CONTROLLER-ARRANGEMENT",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 26(1)–(3)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_26",
    default_severity: Severity::Error,
    summary: "A joint controller has no arrangement setting out each controller's responsibilities",
    explanation: "Two or more controllers that jointly decide the purposes and means of processing are joint controllers. They must determine, in an arrangement between them, who does what to comply with the GDPR, in particular who answers data subjects' requests and who gives the Art 13 and 14 information (Art 26(1)). The arrangement must reflect their real roles, and its essence must be made available to data subjects (Art 26(2)). Whatever it says, a data subject may exercise their rights against each of the controllers (Art 26(3)).\n\nlawful reports each recipient whose GDPR role is `joint_controller` and that has no `contract`; put the reference of the arrangement there.\n\nNot yet checked: whether the essence of the arrangement is published (for example in the privacy notice), and whether a contact point is named; the language cannot express these yet.",
    fix: "Reference the joint-controller arrangement under the recipient's `contract`, and publish its essence in the notice.\n\n```yaml\nrecipients:\n  partner_shop:\n    name: Example Partner AG\n    country: AT\n    role: { gdpr: joint_controller }\n    contract: { ref: JCA-2025-01, signed_on: 2025-04-01 }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    for r in &m.recipients {
        let Some(role) = &r.decl.role.gdpr else {
            continue;
        };
        if role.value != GdprRole::JointController || r.decl.contract.is_some() {
            continue;
        }
        let d = out
            .at(
                r.id.span,
                "no arrangement",
                format!(
                    "joint controller `{}` has no Art 26 arrangement (`contract`)",
                    r.id.value
                ),
            )
            .with_secondary(role.span, "declared a joint controller here")
            .with_target(format!("recipients.{}", r.id.value));
        out.push(d);
    }
}
