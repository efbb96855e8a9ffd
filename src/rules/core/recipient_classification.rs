//! CORE-RECIPIENT-CLASSIFICATION: every recipient a flow reaches has a role under each regime
//! in scope and a country.

use crate::manifest::types::RegimeName;
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::facts::{flow_name, list_ids};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CORE-RECIPIENT-CLASSIFICATION",
    set: RuleSet::Core,
    article: "GDPR Art 4(8)–(10), 26, 28; PIPL Art 20, 21, 23; CCPA 1798.140(j), (ag), (ai)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_4",
    default_severity: Severity::Error,
    summary: "A flow reaches a recipient that has no role under a regime in scope, or no country",
    explanation: "What a disclosure requires depends on who receives the data. Under the GDPR a processor needs an Art 28 contract, a joint controller an Art 26 arrangement, and an independent controller neither, but must be named in the notice (Art 4(8)–(10)). The PIPL distinguishes an entrusted party (Art 21), a joint handler (Art 20) and another handler, to which providing data needs separate consent (Art 23). The CCPA distinguishes service providers and contractors, which need a contract, from third parties, to which a disclosure may be a sale or sharing (1798.140(j), (ag), (ai)). The recipient's country decides whether the disclosure is a transfer out of the EEA or an export from mainland China.\n\nlawful reports each recipient that some flow reaches and that has no role under one of the regimes in scope (`role.gdpr`, `role.pipl`, `role.ccpa`), or no `country`. Without them the rules on contracts, consents and transfers cannot tell what the recipient needs, so this is an error.\n\nThe roles do not map one to one between the regimes: a GDPR processor is usually a PIPL entrusted party and a CCPA service provider, but an independent controller may be a CCPA third party or, with the right contract, a contractor. A company in the same group is a separate recipient. Not yet checked: the countries from which a recipient accesses the data (remote access counts as a transfer), and whether a CCPA service provider also does cross-context behavioural advertising, which makes it a third party for that work (11 CCR 7050(b)).",
    fix: "Give the recipient its role under each regime in scope, and its country of establishment.\n\n```yaml\nrecipients:\n  mail_service:\n    name: Example Mail GmbH\n    country: DE\n    role: { gdpr: processor, pipl: entrusted_party, ccpa: service_provider }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    // The first flow that reaches each recipient.
    let mut first = vec![None; m.recipients.len()];
    for (fi, f) in m.flows.iter().enumerate() {
        if let NodeRef::Recipient(r) = f.to {
            first[r].get_or_insert(fi);
        }
    }
    let in_scope: Vec<RegimeName> = RegimeName::ALL
        .iter()
        .copied()
        .filter(|&r| m.applies(r))
        .collect();
    for (ri, r) in m.recipients.iter().enumerate() {
        let Some(fi) = first[ri] else {
            continue;
        };
        let role = &r.decl.role.value;
        let missing: Vec<&str> = in_scope
            .iter()
            .filter(|&&g| match g {
                RegimeName::Gdpr => role.gdpr.is_none(),
                RegimeName::Pipl => role.pipl.is_none(),
                RegimeName::Ccpa => role.ccpa.is_none(),
            })
            .map(|g| g.key())
            .collect();
        let no_country = r.decl.country.is_none();
        if missing.is_empty() && !no_country {
            continue;
        }
        let mut gaps = Vec::new();
        if !missing.is_empty() {
            gaps.push(format!(
                "no role under {}",
                list_ids(missing.iter().copied(), 3)
            ));
        }
        if no_country {
            gaps.push("no country".to_string());
        }
        let gaps = gaps.join(" and ");
        let d = out
            .at(
                r.id.span,
                gaps.clone(),
                format!(
                    "recipient `{}` receives data through a flow but has {gaps}",
                    r.id.value
                ),
            )
            .with_secondary(
                m.flows[fi].decl.to.span,
                format!("{} reaches it here", flow_name(m, fi)),
            )
            .with_target(format!("recipients.{}", r.id.value));
        out.push(d);
    }
}
