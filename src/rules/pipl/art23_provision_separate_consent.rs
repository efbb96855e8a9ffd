//! PIPL-ART23-PROVISION-SEPARATE-CONSENT: personal information provided to another handler
//! on a consent basis needs a separate consent naming that handler, and the notice needs the
//! handler's contact details.

use std::collections::HashSet;

use crate::manifest::types::{ConsentKind, PiplBasis, PiplRole, RegimeName};
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::facts::{
    consents_by_purpose, flow_name, flow_purpose_span, flow_target, has_consent,
};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART23-PROVISION-SEPARATE-CONSENT",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 23, 13(2)",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "Personal information is provided to another handler on a consent basis without a separate consent naming it",
    explanation: "When a handler provides personal information to another personal information handler (not a party it merely entrusts with processing), PIPL Art 23 (个人信息保护法第二十三条) requires telling the individual the recipient's name, contact details, purpose and method of processing and the kinds of information, and obtaining the individual's separate consent (单独同意): a consent given for this provision specifically, not folded into a general agreement. A recipient that wants to change the purpose or method must ask for consent again.\n\nlawful reports a flow to a recipient whose PIPL role is `other_handler` that serves a purpose with a PIPL basis of `consent`, when no consent of kind `separate` covers that purpose and names the recipient under `recipients:`. It also reports such a recipient with no `contact`, because the notice must give it. Following the mainstream reading of Art 13(2), separate consent is asked for only when consent is the basis; the notice duty holds under every basis. The Chinese text governs; DigiChina (Stanford) publishes a reputable English translation.\n\nNot yet checked: whether the recipient's own purposes go beyond those of the flow, and the other notice items (purpose, method, categories), which come from the notice templates.",
    fix: "Add a separate consent that covers the purpose and names the recipient, and give the recipient's contact details.\n\n```yaml\nconsents:\n  share_with_insurer:\n    kind: separate\n    purposes: [insurance_quotes]\n    recipients: [partner_insurer]\nrecipients:\n  partner_insurer:\n    name: Example Insurance Co., Ltd.\n    role: { pipl: other_handler }\n    contact: { email: privacy@insurer.example }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let mut contact_reported = HashSet::new();
    let consents = consents_by_purpose(m);
    for (fi, f) in m.flows.iter().enumerate() {
        let NodeRef::Recipient(ri) = f.to else {
            continue;
        };
        let r = &m.recipients[ri];
        let Some(role) = &r.decl.role.pipl else {
            continue;
        };
        if role.value != PiplRole::OtherHandler {
            continue;
        }
        if r.decl.contact.is_none() && contact_reported.insert(ri) {
            let d = out
                .at(
                    r.id.span,
                    "no contact details",
                    format!(
                        "recipient `{}` receives personal information as another handler, but its contact details, which the notice must give, are not declared",
                        r.id.value
                    ),
                )
                .with_secondary(f.decl.to.span, "provided to it here")
                .with_help("declare the recipient's `contact:` (email, phone or address)")
                .with_target(format!("recipients.{}", r.id.value));
            out.push(d);
        }
        for &p in &f.purposes {
            if m.pipl_basis(p) != Some(PiplBasis::Consent)
                || has_consent(m, &consents, p, &[ConsentKind::Separate], Some(ri))
            {
                continue;
            }
            let d = out
                .at(
                    f.decl.to.span,
                    "no separate consent naming this recipient",
                    format!(
                        "{} provides personal information to another handler for consent-based purpose `{}`, but no separate consent covering that purpose names `{}`",
                        flow_name(m, fi),
                        m.purposes[p].id.value,
                        r.id.value
                    ),
                )
                .with_secondary(flow_purpose_span(m, fi, p), "consent-based purpose")
                .with_secondary(role.span, "another personal information handler")
                .with_target(flow_target(m, fi));
            out.push(d);
        }
    }
}
