//! CORE-SECURITY-BASELINE: a dataset holding personal data declares encryption at rest and in
//! transit; one holding special-category, sensitive or sensitive personal information is
//! reported with what makes it so.

use crate::manifest::types::RegimeName;
use crate::model::{FieldR, Model};
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CORE-SECURITY-BASELINE",
    set: RuleSet::Core,
    article: "GDPR Art 32(1)(a)–(d), 25; PIPL Art 51; CCPA 1798.100(e), 1798.150, Civ. Code 1798.81.5",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_32",
    default_severity: Severity::Warning,
    summary: "A dataset holding personal data does not declare encryption at rest and in transit",
    explanation: "Each regime requires security appropriate to the risk. The GDPR names encryption and pseudonymisation among the measures a controller and processor should consider (Art 32(1)(a)) and requires data protection by design and by default (Art 25). The PIPL requires measures such as encryption and de-identification to prevent unauthorised access, leaks, tampering and loss (Art 51). The CCPA requires reasonable security procedures (1798.100(e)), and a breach of personal information that was neither encrypted nor redacted, as Civ. Code 1798.81.5 defines it, gives consumers a private right of action with statutory damages (1798.150).\n\nlawful reports each dataset with a personal field whose `encryption` does not declare both `at_rest: true` and `in_transit: true`. When the dataset also holds GDPR special-category or criminal-offence data, PIPL sensitive personal information or CCPA sensitive personal information (for each regime in scope), the finding names that field: such data is where a leak does most harm, and where unencrypted storage is hardest to defend.\n\nThis is a warning because these duties are risk-based: a store may be protected by other means that lawful cannot see. Not yet checked: masking, pseudonymisation, whether an access policy (a role) exists for the dataset, and grants of columns beyond what a role's purposes declare. CCPA SPI stands in for the narrower list of Civ. Code 1798.81.5.",
    fix: "Encrypt the store and its connections, and declare it on the dataset.\n\n```yaml\ndatasets:\n  customers:\n    encryption: { at_rest: true, in_transit: true }\n```",
    check,
};

/// What makes a field's data high-risk under the regimes in scope, if anything.
fn high_risk(m: &Model, f: &FieldR) -> Option<&'static str> {
    let t = &m.taxonomy;
    f.categories.iter().find_map(|c| {
        let c = t.cat(c.cat);
        if m.applies(RegimeName::Gdpr) && c.is_gdpr_special() {
            Some("GDPR special-category data")
        } else if m.applies(RegimeName::Gdpr) && c.is_gdpr_criminal() {
            Some("criminal-offence data")
        } else if m.applies(RegimeName::Pipl) && c.is_pipl_sensitive() {
            Some("PIPL sensitive personal information")
        } else if m.applies(RegimeName::Ccpa) && c.is_ccpa_spi() {
            Some("CCPA sensitive personal information")
        } else {
            None
        }
    })
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    for d in &m.datasets {
        if !d.is_personal(t) {
            continue;
        }
        let (at_rest, in_transit) = d
            .decl
            .encryption
            .as_ref()
            .map(|e| (e.at_rest, e.in_transit))
            .unwrap_or((false, false));
        let lacks = match (at_rest, in_transit) {
            (true, true) => continue,
            (false, false) => "encryption at rest and in transit",
            (false, true) => "encryption at rest",
            (true, false) => "encryption in transit",
        };
        let risky = d
            .fields
            .iter()
            .find_map(|f| high_risk(m, f).map(|w| (f, w)));
        let message = match risky {
            Some((_, what)) => format!(
                "dataset `{}` holds {what} but does not declare {lacks}",
                d.id.value
            ),
            None => format!(
                "dataset `{}` holds personal data but does not declare {lacks}",
                d.id.value
            ),
        };
        let mut diag = out
            .at(d.id.span, format!("no {lacks}"), message)
            .with_target(format!("datasets.{}", d.id.value));
        match risky {
            Some((f, what)) => diag = diag.with_secondary(f.name.span, what),
            None => {
                if let Some(f) = d.fields.iter().find(|f| f.is_personal(t)) {
                    diag = diag.with_secondary(f.name.span, "personal data here");
                }
            }
        }
        out.push(diag);
    }
}
