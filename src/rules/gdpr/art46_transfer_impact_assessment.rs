//! GDPR-ART46-TRANSFER-IMPACT-ASSESSMENT: a transfer under Art 46 or 47 safeguards to a
//! country without an adequacy decision has a transfer impact assessment, and the SCC module
//! matches the roles of exporter and importer.

use crate::graph::DataFlowGraph;
use crate::manifest::types::{GdprRole, GdprTransfer, RegimeName};
use crate::model::{Model, NodeRef};
use crate::report::Severity;
use crate::rules::facts::{flow_name, flow_target, node_country_span};
use crate::rules::gdpr::art44_transfer_mechanism::adequacy;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART46-TRANSFER-IMPACT-ASSESSMENT",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 46(1), (2)(b)–(f), 47; CJEU C-311/18 Schrems II; EDPB Recommendations 01/2020; Decision (EU) 2021/914",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_46",
    default_severity: Severity::Warning,
    summary: "A transfer under SCCs, BCRs or a code or certification has no transfer impact assessment, or uses the wrong SCC module",
    explanation: "Safeguards under Art 46 and 47 (standard contractual clauses, binding corporate rules, codes of conduct and certifications) bind only the parties. In *Schrems II* (C-311/18) the Court of Justice held that the exporter must check, case by case, whether the law and practice of the destination let the importer honour them, in particular against access by public authorities, and add supplementary measures where they do not. The EDPB's Recommendations 01/2020 describe this transfer impact assessment (TIA). The standard contractual clauses of Decision (EU) 2021/914 come in four modules, one for each pair of roles: controller to controller (module 1), controller to processor (2), processor to processor (3) and processor to controller (4); clauses of the wrong module do not fit the relationship they are meant to govern.\n\nlawful reports a flow that is a GDPR transfer to a country without an adequacy decision (or to the United States, whose decision covers only certified organisations), names `scc_*`, `bcr` or `code_or_certification` under `transfer.gdpr`, and references no `transfer.tia` (a warning). It reports as an error an SCC module that does not match the roles: the importer is the recipient the flow reaches, with its `role.gdpr`; the exporter is a recipient's role when the flow leaves a recipient, and your organisation acting as controller when the flow leaves one of your datasets or systems, so modules 3 and 4 are checked only on onward flows from a recipient.\n\nNot yet checked: the clauses adopted before 2021, which ceased to be valid on 27 December 2022 (the language has no value for them); the content of the assessment; and whether the importer is itself subject to the GDPR under Art 3(2), for which the Commission has said the 2021 clauses are not meant.",
    fix: "Reference the transfer impact assessment with `transfer.tia`, and pick the SCC module that matches the roles.\n\n```yaml\nflows:\n  - from: customers\n    to: support_desk_in\n    purposes: [customer_support]\n    transfer: { gdpr: scc_c2p, tia: TIA-2025-03 }\n```",
    check,
};

/// Whether a GDPR role is a processor's.
fn is_processor(r: GdprRole) -> bool {
    matches!(r, GdprRole::Processor | GdprRole::SubProcessor)
}

fn role_name(r: GdprRole) -> &'static str {
    match r {
        GdprRole::Processor => "processor",
        GdprRole::SubProcessor => "sub-processor",
        GdprRole::Controller => "controller",
        GdprRole::JointController => "joint controller",
    }
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    for (fi, f) in m.flows.iter().enumerate() {
        let Some(tool) = f.decl.transfer.as_ref().and_then(|t| t.gdpr.as_ref()) else {
            continue;
        };
        // (exporter is a processor, importer is a processor) for each SCC module.
        let module = match tool.value {
            GdprTransfer::SccC2c => Some((false, false, "module 1 (controller to controller)")),
            GdprTransfer::SccC2p => Some((false, true, "module 2 (controller to processor)")),
            GdprTransfer::SccP2p => Some((true, true, "module 3 (processor to processor)")),
            GdprTransfer::SccP2c => Some((true, false, "module 4 (processor to controller)")),
            GdprTransfer::Bcr | GdprTransfer::CodeOrCertification => None,
            _ => continue,
        };
        if !cx.graph.is_gdpr_transfer(m, fi) {
            continue;
        }
        if m.node_country(f.to).is_none() {
            continue;
        }
        let target = flow_target(m, fi);
        if let Some((exp_proc, imp_proc, name)) = module {
            let importer = match f.to {
                NodeRef::Recipient(r) => m.recipients[r].decl.role.gdpr.as_ref(),
                _ => None,
            };
            let exporter = match f.from {
                NodeRef::Recipient(r) => m.recipients[r].decl.role.gdpr.as_ref().map(Some),
                // Your own datasets and systems: your organisation, as controller.
                _ => Some(None),
            };
            let mut wrong = Vec::new();
            if let Some(i) = importer
                && is_processor(i.value) != imp_proc
            {
                wrong.push((
                    i.span,
                    format!(
                        "the importer `{}` is a {}",
                        m.node_id(f.to),
                        role_name(i.value)
                    ),
                ));
            }
            match exporter {
                Some(Some(e)) if is_processor(e.value) != exp_proc => wrong.push((
                    e.span,
                    format!(
                        "the exporter `{}` is a {}",
                        m.node_id(f.from),
                        role_name(e.value)
                    ),
                )),
                Some(None) if exp_proc => wrong.push((
                    m.node_span(f.from),
                    "the exporter is your organisation, acting as controller".to_string(),
                )),
                _ => {}
            }
            if !wrong.is_empty() {
                let mut d = out
                    .at(
                        tool.span,
                        format!("{name} does not fit the roles"),
                        format!(
                            "{} uses SCC {name}, but {}",
                            flow_name(m, fi),
                            wrong
                                .iter()
                                .map(|(_, s)| s.as_str())
                                .collect::<Vec<_>>()
                                .join(" and ")
                        ),
                    )
                    .with_help("use the module that matches the roles: `scc_c2c`, `scc_c2p`, `scc_p2p` or `scc_p2c` (exporter first, importer second)")
                    .with_target(target.clone());
                for (span, _) in &wrong {
                    d = d.with_secondary(*span, "role declared here");
                }
                d.severity = Severity::Error;
                out.push(d);
            }
        }
        if f.decl.transfer.as_ref().is_some_and(|t| t.tia.is_none())
            && let Some(need) = tia_need(m, cx.graph, fi)
        {
            let d = out
                .at(
                    tool.span,
                    "no transfer impact assessment",
                    format!(
                        "{} {}, but references no transfer impact assessment (`transfer.tia`)",
                        flow_name(m, fi),
                        need.why
                    ),
                )
                .with_secondary(node_country_span(m, f.to), need.label)
                .with_target(target);
            out.push(d);
        }
    }
}

/// Why a flow needs a transfer impact assessment, in words, and the label of the
/// destination's country.
#[derive(Clone, Debug)]
pub struct TiaNeed {
    /// `relies on `scc_c2p` for a transfer to United States (US), whose adequacy decision
    /// covers only …`.
    pub why: String,
    pub label: &'static str,
}

/// Whether flow `fi` needs a transfer impact assessment: it is a GDPR transfer under
/// SCCs, BCRs or a code or certification to a country without an adequacy decision, or
/// to one whose decision covers only DPF-certified recipients. Whether the flow
/// references one (`transfer.tia`) is not looked at.
pub fn tia_need(m: &Model, g: &DataFlowGraph, fi: usize) -> Option<TiaNeed> {
    let f = &m.flows[fi];
    let tool = f.decl.transfer.as_ref().and_then(|t| t.gdpr.as_ref())?;
    if !matches!(
        tool.value,
        GdprTransfer::SccC2c
            | GdprTransfer::SccC2p
            | GdprTransfer::SccP2p
            | GdprTransfer::SccP2c
            | GdprTransfer::Bcr
            | GdprTransfer::CodeOrCertification
    ) || !g.is_gdpr_transfer(m, fi)
    {
        return None;
    }
    let dest = m.node_country(f.to)?;
    // The US decision covers only DPF-certified recipients; SCCs there imply the
    // recipient is not relying on it.
    if adequacy().get(dest.alpha2()).is_some_and(|a| !a.needs_dpf) {
        return None;
    }
    let (why, label) = if adequacy().contains_key(dest.alpha2()) {
        (
            "whose adequacy decision covers only organisations certified under the Data Privacy Framework",
            "adequacy only for DPF-certified recipients",
        )
    } else {
        ("which has no adequacy decision", "no adequacy decision")
    };
    Some(TiaNeed {
        why: format!(
            "relies on `{}` for a transfer to {} ({dest}), {why}",
            tool_key(tool.value),
            crate::reference::countries::name_en(dest.alpha2())
        ),
        label,
    })
}

fn tool_key(t: GdprTransfer) -> &'static str {
    match t {
        GdprTransfer::SccC2c => "scc_c2c",
        GdprTransfer::SccC2p => "scc_c2p",
        GdprTransfer::SccP2p => "scc_p2p",
        GdprTransfer::SccP2c => "scc_p2c",
        GdprTransfer::Bcr => "bcr",
        GdprTransfer::CodeOrCertification => "code_or_certification",
        _ => "derogation",
    }
}
