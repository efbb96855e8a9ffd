//! PIPL-ART39-XBORDER-SEPARATE-CONSENT: an export on a consent basis needs a separate
//! consent that covers the purpose and names the overseas recipient; the notice needs the
//! recipient's contact details.

use std::collections::HashSet;

use crate::manifest::types::{ConsentKind, PiplBasis, RegimeName};
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::facts::{
    consents_by_purpose, flow_name, flow_purpose_span, flow_target, has_consent,
};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART39-XBORDER-SEPARATE-CONSENT",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 39; CAC Provisions on Promoting and Regulating Cross-Border Data Flows (2024) Art 10",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "Personal information is exported on a consent basis without a separate consent naming the overseas recipient",
    explanation: "Before providing personal information to a recipient outside the People's Republic of China, PIPL Art 39 (个人信息保护法第三十九条) requires the handler to tell the individual the overseas recipient's name and contact details, the purpose and method of processing, the kinds of personal information, and how to exercise their rights against the recipient, and to obtain the individual's separate consent (单独同意) for the export. An exemption from the Art 38 mechanisms under the CAC's 2024 Provisions does not remove these notice and consent duties.\n\nlawful reports an export (a flow from mainland China to outside it) that serves a purpose whose PIPL basis is `consent` when no consent of kind `separate` covers the purpose and, where the destination is a recipient, names it under `recipients:`. It also reports an overseas recipient with no `contact`, which the notice must give, whatever the basis. Following the mainstream reading of Art 13(2), separate consent is asked for only when consent is the basis. The Chinese text governs; DigiChina (Stanford) publishes a reputable English translation.\n\nNot yet checked: the other notice items (purpose, method, categories, how to exercise rights against the recipient), which come from the notice templates.",
    fix: "Add a separate export consent that covers the purpose and names each overseas recipient, and give each recipient's contact details.\n\n```yaml\nconsents:\n  export_to_hq:\n    kind: separate\n    title: { zh-CN: 个人信息出境单独同意, en: Consent to transfer abroad }\n    purposes: [global_membership]\n    recipients: [hq_singapore]\nrecipients:\n  hq_singapore:\n    name: Example Holdings Pte. Ltd.\n    country: SG\n    contact: { email: dpo@example.sg }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let mut contact_reported = HashSet::new();
    let consents = consents_by_purpose(m);
    for (fi, f) in m.flows.iter().enumerate() {
        if !cx.graph.is_pipl_export(m, fi) {
            continue;
        }
        let recipient = match f.to {
            NodeRef::Recipient(r) => Some(r),
            _ => None,
        };
        if let Some(ri) = recipient {
            let r = &m.recipients[ri];
            if r.decl.contact.is_none() && contact_reported.insert(ri) {
                let d = out
                    .at(
                        r.id.span,
                        "no contact details",
                        format!(
                            "overseas recipient `{}` receives personal information exported from China, but its contact details, which the notice must give, are not declared",
                            r.id.value
                        ),
                    )
                    .with_secondary(f.decl.to.span, "exported to it here")
                    .with_help("declare the recipient's `contact:` (email, phone or address)")
                    .with_target(format!("recipients.{}", r.id.value));
                out.push(d);
            }
        }
        for &p in &f.purposes {
            if m.pipl_basis(p) != Some(PiplBasis::Consent)
                || has_consent(m, &consents, p, &[ConsentKind::Separate], recipient)
            {
                continue;
            }
            let naming = if recipient.is_some() {
                " naming the recipient"
            } else {
                ""
            };
            let d = out
                .at(
                    f.decl.to.span,
                    format!("no separate export consent{naming}"),
                    format!(
                        "{} exports personal information for purpose `{}` on a consent basis, but no separate consent{naming} covers it",
                        flow_name(m, fi),
                        m.purposes[p].id.value
                    ),
                )
                .with_secondary(flow_purpose_span(m, fi, p), "consent-based purpose")
                .with_target(flow_target(m, fi));
            out.push(d);
        }
    }
}
