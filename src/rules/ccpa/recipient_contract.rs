//! CCPA-1798.100D-RECIPIENT-CONTRACT: a business that discloses personal information to a
//! service provider, contractor or third party does so under a contract.

use crate::manifest::types::{CcpaRole, RegimeName};
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-1798.100D-RECIPIENT-CONTRACT",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.100(d), 1798.140(j), (ag); 11 CCR 7051, 7053",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.100",
    default_severity: Severity::Error,
    summary: "Personal information is disclosed to a service provider, contractor or third party without a contract",
    explanation: "A business that sells or shares personal information with a third party, or discloses it to a service provider or contractor for a business purpose, must enter into a contract with the recipient (Cal. Civ. Code 1798.100(d)). The contract limits the use to the specified purposes, obliges the recipient to comply with the CCPA and to give the same level of privacy protection, and gives the business rights to stop and remediate unauthorised use. A service provider's or contractor's contract must also forbid selling or sharing the information, using it outside the direct business relationship and combining it with other personal information, and a contractor must certify that it understands these limits (1798.140(j), (ag); 11 CCR 7051). Without such a contract a recipient is not a service provider or contractor at all: it is a third party, and disclosing personal information to it may be a sale (11 CCR 7051(c)). A third party's contract has its own required terms (11 CCR 7053).\n\nlawful reports a recipient whose CCPA role is `service_provider`, `contractor` or `third_party`, that a flow reaches, and that has no `contract`.\n\nNot yet checked: whether the contract contains each required term, and a contractor's certification; the language records only the contract's reference and date so far.",
    fix: "Attach the contract to the recipient and confirm it contains the terms of 11 CCR 7051 (service providers and contractors) or 7053 (third parties).\n\n```yaml\nrecipients:\n  email_provider:\n    name: Example Mail, Inc.\n    role: { ccpa: service_provider }\n    contract: { ref: MSA-2025-011 with CCPA service-provider addendum, signed_on: 2025-02-01 }\n```",
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
        let Some(role) = &r.decl.role.ccpa else {
            continue;
        };
        if r.decl.contract.is_some() {
            continue;
        }
        let Some(to) = reached[ri] else { continue };
        let (kind, consequence) = match role.value {
            CcpaRole::ServiceProvider => (
                "service provider",
                ": without one it is treated as a third party, so the disclosure may be a sale",
            ),
            CcpaRole::Contractor => (
                "contractor",
                ": without one it is treated as a third party, so the disclosure may be a sale",
            ),
            CcpaRole::ThirdParty => ("third party", ""),
        };
        let d = out
            .at(
                r.id.span,
                "no contract",
                format!(
                    "{kind} `{}` receives personal information but has no contract under 1798.100(d){consequence}",
                    r.id.value
                ),
            )
            .with_secondary(role.span, format!("declared a {kind} here"))
            .with_secondary(to, "receives personal information here")
            .with_target(format!("recipients.{}", r.id.value));
        out.push(d);
    }
}
