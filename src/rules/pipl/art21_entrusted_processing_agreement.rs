//! PIPL-ART21-ENTRUSTED-PROCESSING-AGREEMENT: an entrusted party (受托人) that receives
//! personal information works under an entrustment agreement.

use crate::manifest::types::{PiplRole, RegimeName};
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART21-ENTRUSTED-PROCESSING-AGREEMENT",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 21, 55(3), 59",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "An entrusted party receives personal information without an entrustment agreement",
    explanation: "A handler that entrusts another party with processing personal information (委托处理) must agree with it on the purpose, duration and method of the processing, the kinds of personal information, the protection measures and both parties' rights and obligations, and must supervise the processing (PIPL Art 21, 个人信息保护法第二十一条). The entrusted party may process only as agreed, must return or delete the information when the agreement ends or is void, and may not entrust others without the handler's consent; it must also take the security measures the law requires (Art 59). Entrusting processing needs a personal information protection impact assessment beforehand (Art 55(3)).\n\nlawful reports a recipient whose PIPL role is `entrusted_party`, that a flow reaches, and that has no `contract`. The Chinese text governs; DigiChina (Stanford) publishes a reputable English translation.\n\nNot yet checked: whether the agreement covers each item Art 21 lists, whether a sub-entrusted party has the handler's consent, and whether an impact assessment was done; the language records only the contract's reference and date so far.",
    fix: "Attach the entrustment agreement to the recipient.\n\n```yaml\nrecipients:\n  warehouse_sh:\n    name: 示例仓储（上海）有限公司\n    role: { pipl: entrusted_party }\n    contract: { ref: 委托处理协议-2025-007, signed_on: 2025-04-01 }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let mut reached = vec![None; m.recipients.len()];
    for f in &m.flows {
        if let NodeRef::Recipient(r) = f.to {
            reached[r].get_or_insert(f.decl.to.span);
        }
    }
    for (ri, r) in m.recipients.iter().enumerate() {
        let Some(role) = &r.decl.role.pipl else {
            continue;
        };
        if role.value != PiplRole::EntrustedParty || r.decl.contract.is_some() {
            continue;
        }
        let Some(to) = reached[ri] else { continue };
        let d = out
            .at(
                r.id.span,
                "no entrustment agreement",
                format!(
                    "entrusted party `{}` receives personal information but has no entrustment agreement under PIPL Art 21",
                    r.id.value
                ),
            )
            .with_secondary(role.span, "declared an entrusted party here")
            .with_secondary(to, "receives personal information here")
            .with_target(format!("recipients.{}", r.id.value));
        out.push(d);
    }
}
