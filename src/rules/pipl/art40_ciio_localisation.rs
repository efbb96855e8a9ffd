//! PIPL-ART40-CIIO-LOCALISATION: a critical information infrastructure operator stores
//! personal information collected in China there, and exports it only after a CAC security
//! assessment.

use crate::manifest::types::{PiplTransfer, RegimeName};
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::facts::{flow_name, flow_target, node_country_span};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART40-CIIO-LOCALISATION",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 40; CAC Provisions on Cross-Border Data Flows (2024) Art 7(1)",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "A critical information infrastructure operator keeps personal information of people in China outside mainland China, or exports it without a CAC security assessment",
    explanation: "A critical information infrastructure operator must store within the People's Republic of China the personal information it collects and generates there; where it truly needs to provide it abroad, it must pass a security assessment organised by the Cyberspace Administration of China (PIPL Art 40, 关键信息基础设施运营者……应当将在中华人民共和国境内收集和产生的个人信息存储在境内；确需向境外提供的，应当通过国家网信部门组织的安全评估). The 2024 CAC provisions keep this: the volume exemptions do not apply to such operators, whose exports of any personal information need the assessment (CAC 2024 Art 7(1)).\n\nWhen `organization.is_ciio` is `true`, lawful reports each dataset that holds data of subjects living in mainland China and is stored outside it, and each flow that exports personal information from mainland China (per the graph's export test) without `transfer.pipl: security_assessment`.\n\nNot yet checked: important data under the Data Security Law, which follows the same path.",
    fix: "Store the data in mainland China, and file for a CAC security assessment before any export.\n\n```yaml\nflows:\n  - from: cn_orders\n    to: hq_berlin\n    purposes: [cross_border_orders]\n    transfer: { pipl: security_assessment }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let Some(ciio) = m
        .organization
        .as_ref()
        .and_then(|o| o.value.is_ciio.as_ref())
        .filter(|c| c.value)
    else {
        return;
    };
    for (di, ds) in m.datasets.iter().enumerate() {
        let Some(country) = ds.country(m) else {
            continue;
        };
        if country.value.is_mainland_china() {
            continue;
        }
        let Some(s) = ds.subjects.iter().copied().find(|&s| {
            m.subjects[s]
                .decl
                .lives_in
                .iter()
                .any(|p| p.is_mainland_china())
        }) else {
            continue;
        };
        let span = node_country_span(m, NodeRef::Dataset(di));
        let d = out
            .at(
                if span.is_none() { ds.id.span } else { span },
                "stored outside mainland China",
                format!(
                    "dataset `{}` holds personal information of subjects `{}`, who live in mainland China, but is stored in {}; a critical information infrastructure operator stores it in China (PIPL Art 40)",
                    ds.id.value, m.subjects[s].id.value, country.value
                ),
            )
            .with_secondary(ciio.span, "declared a critical information infrastructure operator")
            .with_target(format!("datasets.{}", ds.id.value));
        out.push(d);
    }
    for (fi, f) in m.flows.iter().enumerate() {
        if !cx.graph.is_pipl_export(m, fi) {
            continue;
        }
        let tool = f.decl.transfer.as_ref().and_then(|t| t.pipl.as_ref());
        if tool.is_some_and(|t| t.value == PiplTransfer::SecurityAssessment) {
            continue;
        }
        let (span, label) = match tool {
            Some(t) => (t.span, "not a security assessment"),
            None => (f.decl.to.span, "export without a security assessment"),
        };
        let d = out
            .at(
                span,
                label,
                format!(
                    "{} exports personal information from mainland China; a critical information infrastructure operator needs a CAC security assessment (`transfer.pipl: security_assessment`) for it (PIPL Art 40; CAC 2024 Art 7(1))",
                    flow_name(m, fi)
                ),
            )
            .with_secondary(ciio.span, "declared a critical information infrastructure operator")
            .with_target(flow_target(m, fi));
        out.push(d);
    }
}
