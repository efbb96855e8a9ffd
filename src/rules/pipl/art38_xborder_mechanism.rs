//! PIPL-ART38-XBORDER-MECHANISM: personal information leaving mainland China goes under one
//! of the Art 38 mechanisms or a CAC 2024 exemption.

use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::facts::{flow_name, flow_target, node_country_span};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART38-XBORDER-MECHANISM",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 38(1)–(3); CAC Provisions on Promoting and Regulating Cross-Border Data Flows (2024) Art 3–6, 9",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "Personal information leaves mainland China without a mechanism or exemption",
    explanation: "A handler that provides personal information to a recipient outside the People's Republic of China must meet one of the conditions of PIPL Art 38 (个人信息保护法第三十八条): pass a security assessment organised by the Cyberspace Administration of China (CAC), obtain a personal information protection certification from a specialised body, or sign the CAC's standard contract with the recipient and file it. The CAC's 2024 Provisions on Promoting and Regulating Cross-Border Data Flows (促进和规范数据跨境流动规定) exempt some exports: those necessary for a contract with the individual, for cross-border HR management, to protect life, health or property in an emergency, and, for handlers that are not critical-information-infrastructure operators, fewer than 100,000 individuals' non-sensitive personal information a year (Art 5). Hong Kong, Macao and Taiwan count as outside the mainland for this test.\n\nlawful reports each flow from a node in mainland China to a node outside it that names no `transfer.pipl`. The Chinese text governs; DigiChina (Stanford) publishes a reputable English translation.\n\nNot yet checked: whether a security assessment has expired (valid three years, CAC 2024 Art 9), whether a standard contract was filed in time, and whether the declared exemption fits the yearly volumes (PIPL-CAC2024-XBORDER-VOLUME-THRESHOLD); the language does not carry those dates yet.",
    fix: "Name the mechanism or exemption of each export under `transfer.pipl`.\n\n```yaml\nflows:\n  - from: orders_cn\n    to: hq_analytics\n    purposes: [sales_reporting]\n    transfer: { pipl: standard_contract }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    for (fi, f) in m.flows.iter().enumerate() {
        if !cx.graph.is_pipl_export(m, fi)
            || f.decl.transfer.as_ref().is_some_and(|t| t.pipl.is_some())
        {
            continue;
        }
        let Some(dest) = m.node_country(f.to) else {
            continue;
        };
        let dest_span = node_country_span(m, f.to);
        let d = out
            .at(
                f.decl.to.span,
                format!("export to {dest} without a mechanism"),
                format!(
                    "{} exports personal information from mainland China to {} ({dest}) with no Art 38 mechanism or exemption",
                    flow_name(m, fi),
                    crate::reference::countries::name_en(dest.alpha2())
                ),
            )
            .with_secondary(dest_span, "outside mainland China")
            .with_target(flow_target(m, fi));
        out.push(d);
    }
}
