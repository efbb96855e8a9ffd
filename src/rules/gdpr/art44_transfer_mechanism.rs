//! GDPR-ART44-TRANSFER-MECHANISM: every transfer out of the EEA, onward transfers included,
//! names a Chapter V tool, and `adequacy` is claimed only for a destination that has an
//! adequacy decision (the list is data: `adequacy.tsv`).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::manifest::types::{GdprTransfer, RegimeName};
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::facts::{flow_name, flow_target, node_country_span};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART44-TRANSFER-MECHANISM",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 44–49; EDPB Guidelines 05/2021",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_44",
    default_severity: Severity::Error,
    summary: "Personal data leaves the EEA without a Chapter V transfer tool, or adequacy is claimed where there is none",
    explanation: "Chapter V of the GDPR allows personal data to be transferred to a country outside the European Economic Area only under one of its tools: an adequacy decision of the Commission (Art 45), appropriate safeguards such as the standard contractual clauses (Art 46), binding corporate rules (Art 47), or, for occasional transfers, a derogation (Art 49). Art 44 applies the same condition to onward transfers from the third country to another one. Under the EDPB's Guidelines 05/2021 a transfer is a disclosure by an exporter subject to the GDPR to an importer in a third country; remote access from there counts, collection directly from the data subject does not.\n\nlawful reports each flow that carries data originating in or held in the EEA to a node in a country outside it, onward flows from a recipient included, and that names no `transfer.gdpr`. It also reports `adequacy` claimed for a country without an EU adequacy decision. The list of decisions is kept as data (src/rules/gdpr/adequacy.tsv, with instruments and dates). For the United States the decision covers only organisations certified under the EU-US Data Privacy Framework: for a recipient, GDPR-ART45-US-DPF-CERTIFICATION checks its recorded certification; for a system or dataset placed in the United States, lawful warns and asks you to confirm it.\n\nNot yet checked: decisions limited to a sector (Canada covers only organisations subject to PIPEDA; Japan and Korea have their own limits). The transfer impact assessment that Art 46 tools need, and the match between SCC module and roles, are checked by GDPR-ART46-TRANSFER-IMPACT-ASSESSMENT.",
    fix: "Name the Chapter V tool of each transfer under `transfer.gdpr`.\n\n```yaml\nflows:\n  - from: customers\n    to: support_desk_in\n    purposes: [customer_support]\n    transfer: { gdpr: scc_c2p, tia: TIA-2025-03 }\n```",
    check,
};

/// One adequacy decision: the jurisdiction and what the decision requires.
#[derive(Debug)]
pub struct Adequacy {
    pub alpha2: &'static str,
    pub name: &'static str,
    pub instrument: &'static str,
    pub adopted: &'static str,
    pub scope: &'static str,
    /// Only recipients certified under the EU-US Data Privacy Framework.
    pub needs_dpf: bool,
}

const DATA: &str = include_str!("adequacy.tsv");

/// The EU adequacy decisions, by ISO 3166-1 alpha-2 code.
pub fn adequacy() -> &'static HashMap<&'static str, Adequacy> {
    static T: OnceLock<HashMap<&'static str, Adequacy>> = OnceLock::new();
    T.get_or_init(|| {
        DATA.lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with("alpha2\t"))
            .map(|l| {
                let f: Vec<&'static str> = l.split('\t').collect();
                assert_eq!(f.len(), 6, "adequacy.tsv: bad line {l:?}");
                let a = Adequacy {
                    alpha2: f[0],
                    name: f[1],
                    instrument: f[2],
                    adopted: f[3],
                    scope: f[4],
                    needs_dpf: f[5] == "dpf",
                };
                (f[0], a)
            })
            .collect()
    })
}

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    for (fi, f) in m.flows.iter().enumerate() {
        if !cx.graph.is_gdpr_transfer(m, fi) {
            continue;
        }
        let Some(dest) = m.node_country(f.to) else {
            continue;
        };
        let onward = cx.graph.is_onward(m, fi);
        let dest_span = node_country_span(m, f.to);
        let what = if onward {
            "onward transfer"
        } else {
            "transfer"
        };
        let tool = f.decl.transfer.as_ref().and_then(|t| t.gdpr.as_ref());
        let Some(tool) = tool else {
            let mut d = out
                .at(
                    f.decl.to.span,
                    format!("{what} to {dest} without a Chapter V tool"),
                    format!(
                        "{} is a GDPR {what} to {} ({dest}) with no transfer tool",
                        flow_name(m, fi),
                        crate::reference::countries::name_en(dest.alpha2())
                    ),
                )
                .with_secondary(dest_span, "outside the EEA")
                .with_target(flow_target(m, fi));
            if onward {
                d = d.with_secondary(
                    m.node_span(f.from),
                    "this recipient received the data from the EEA",
                );
            }
            out.push(d);
            continue;
        };
        if tool.value != GdprTransfer::Adequacy {
            continue;
        }
        match adequacy().get(dest.alpha2()) {
            None => {
                let d = out
                    .at(
                        tool.span,
                        "no adequacy decision",
                        format!(
                            "{} claims adequacy, but {} ({dest}) has no EU adequacy decision",
                            flow_name(m, fi),
                            crate::reference::countries::name_en(dest.alpha2())
                        ),
                    )
                    .with_secondary(dest_span, "destination")
                    .with_help("use standard contractual clauses (`scc_c2c`, `scc_c2p`, `scc_p2p`, `scc_p2c`) with a transfer impact assessment, or binding corporate rules")
                    .with_target(flow_target(m, fi));
                out.push(d);
            }
            // A recipient's certification is checked by GDPR-ART45-US-DPF-CERTIFICATION.
            Some(a) if a.needs_dpf && !matches!(f.to, NodeRef::Recipient(_)) => {
                let mut d = out
                    .at(
                        tool.span,
                        "adequacy only for DPF-certified recipients",
                        format!(
                            "{} claims adequacy for the United States, which {} covers only for organisations on the Data Privacy Framework List; confirm that `{}` is certified for this data",
                            flow_name(m, fi),
                            a.instrument,
                            m.node_id(f.to)
                        ),
                    )
                    .with_secondary(dest_span, "destination")
                    .with_help("check the recipient on the DPF List (dataprivacyframework.gov) and keep standard contractual clauses ready as a fallback")
                    .with_target(flow_target(m, fi));
                d.severity = Severity::Warning;
                out.push(d);
            }
            Some(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adequacy_list_holds_the_decisions_in_force() {
        let a = adequacy();
        for code in [
            "AD", "AR", "BR", "CA", "CH", "FO", "GB", "GG", "IL", "IM", "JE", "JP", "KR", "NZ",
            "US", "UY",
        ] {
            assert!(a.contains_key(code), "{code} missing");
        }
        assert_eq!(a.len(), 16);
        assert!(a["US"].needs_dpf && !a["JP"].needs_dpf);
        assert!(!a.contains_key("CN") && !a.contains_key("IN"));
        assert!(a.values().all(|x| !x.instrument.is_empty()
            && x.adopted.len() == 10
            && !x.scope.is_empty()
            && !x.name.is_empty()));
    }
}
