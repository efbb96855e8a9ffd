//! CCPA-1798.121-LIMIT-SPI: a purpose using sensitive personal information says whether its
//! use stays within 11 CCR 7027(m); a use beyond it needs the right to limit.

use crate::manifest::types::{RegimeName, SpiUse};
use crate::report::Severity;
use crate::rules::facts::{list_ids, purpose_categories};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-1798.121-LIMIT-SPI",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.121(a)–(d), 1798.140(ae); 11 CCR 7014, 7027",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.121",
    default_severity: Severity::Error,
    summary: "A purpose uses sensitive personal information without saying whether the use stays within the permitted purposes",
    explanation: "California consumers may tell a business to limit its use of their sensitive personal information (government identifiers, account credentials, precise geolocation, health, biometric and genetic data, message contents and the other kinds in Cal. Civ. Code 1798.140(ae)) to what is necessary to provide the goods or services they asked for and to the other purposes listed in 11 CCR 7027(m), such as security and fraud prevention (1798.121(a)). A business that uses or discloses it beyond those purposes must offer a \"Limit the Use of My Sensitive Personal Information\" link and honour requests within 15 business days (1798.121, 1798.135; 11 CCR 7014, 7027(g)). Information collected or processed without the purpose of inferring characteristics about the consumer is outside this right (1798.121(d)).\n\nlawful reports a purpose that declares, or receives through its flows, a sensitive category and does not state `ccpa_spi_use` (`permitted_7027m`, `beyond_permitted` or `no_inference`), because then no one can tell whether the right to limit applies. A purpose with `beyond_permitted` gets a warning: the language cannot yet express the limit link and whether limit requests gate the flows, so confirm them by hand.",
    fix: "State how each purpose uses sensitive personal information with `ccpa_spi_use`; for a use beyond 11 CCR 7027(m), offer the \"Limit the Use of My Sensitive Personal Information\" link.\n\n```yaml\npurposes:\n  fraud_prevention:\n    categories: [financial.card_number, location.precise]\n    ccpa_spi_use: permitted_7027m\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    let used = purpose_categories(m, cx.graph);
    for (pi, p) in m.purposes.iter().enumerate() {
        let spi: Vec<_> = used[pi]
            .iter()
            .filter(|&c| t.cat(c).is_ccpa_spi())
            .collect();
        if spi.is_empty() {
            continue;
        }
        let target = format!("purposes.{}", p.id.value);
        let ids = list_ids(spi.iter().map(|&c| t.cat(c).id.as_str()), 4);
        let declared_at = p
            .categories
            .iter()
            .find(|c| spi.contains(&c.cat))
            .map(|c| c.span)
            .unwrap_or_default();
        match &p.decl.ccpa_spi_use {
            None => {
                let d = out
                    .at(
                        p.id.span,
                        "no `ccpa_spi_use`",
                        format!(
                            "purpose `{}` uses sensitive personal information ({ids}) but does not say whether the use stays within 11 CCR 7027(m)",
                            p.id.value
                        ),
                    )
                    .with_secondary(declared_at, "sensitive personal information")
                    .with_target(target);
                out.push(d);
            }
            Some(u) if u.value == SpiUse::BeyondPermitted => {
                let mut d = out
                    .at(
                        u.span,
                        "needs the right to limit",
                        format!(
                            "purpose `{}` uses sensitive personal information ({ids}) beyond the permitted purposes: consumers must be offered \"Limit the Use of My Sensitive Personal Information\", which lawful cannot check yet",
                            p.id.value
                        ),
                    )
                    .with_secondary(declared_at, "sensitive personal information")
                    .with_help("confirm the limit link is published and that limit requests stop this purpose within 15 business days, then suppress this finding with the reason; or restrict the use to 11 CCR 7027(m)")
                    .with_target(target);
                d.severity = Severity::Warning;
                out.push(d);
            }
            Some(_) => {}
        }
    }
}
