//! GDPR-ART45-US-DPF-CERTIFICATION: adequacy for the United States holds only for a recipient
//! that is on the Data Privacy Framework List, for the data it receives, as last checked.

use crate::manifest::Date;
use crate::manifest::types::{GdprTransfer, RegimeName};
use crate::model::NodeRef;
use crate::report::Severity;
use crate::rules::facts::{flow_name, flow_target};
use crate::rules::gdpr::art44_transfer_mechanism::adequacy;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART45-US-DPF-CERTIFICATION",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 45; Commission Implementing Decision (EU) 2023/1795",
    url: "https://eur-lex.europa.eu/eli/dec_impl/2023/1795/oj",
    default_severity: Severity::Error,
    summary: "Adequacy is claimed for a US recipient that is not shown to be certified under the EU-US Data Privacy Framework",
    explanation: "The Commission's adequacy decision for the United States (Implementing Decision (EU) 2023/1795, under GDPR Art 45) covers only organisations that self-certify under the EU-US Data Privacy Framework and appear on the Data Privacy Framework List kept by the US Department of Commerce. A certification can lapse or be withdrawn, and human-resources data collected in the context of employment is covered only when the organisation certified for it. Without an active certification covering the data, the transfer needs another Chapter V tool, such as standard contractual clauses (Art 46(2)(c)).\n\nFor each flow that claims `transfer.gdpr: adequacy` towards a recipient in the United States, lawful reports: no `dpf` recorded on the recipient, or `dpf.certified: false` (errors); employment data (categories under `employment`) flowing while `dpf.hr` is not `true` (error); and `dpf.checked_on` more than 12 months before today (warning, since the list changes).\n\nWatch: the General Court upheld the decision on 3 September 2025 (T-553/23 *Latombe*); an appeal is pending before the Court of Justice (C-703/25 P). Keep standard contractual clauses ready as a fallback.",
    fix: "Check the recipient on the Data Privacy Framework List (dataprivacyframework.gov) and record the result, or rely on standard contractual clauses instead.\n\n```yaml\nrecipients:\n  crm_vendor:\n    name: Example CRM, Inc.\n    country: US\n    role: { gdpr: processor }\n    dpf: { certified: true, hr: false, checked_on: 2026-10-01 }\n```",
    check,
};

/// How long a check of the DPF List stays current, in months.
const WINDOW_MONTHS: i32 = 12;

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let stale_before = Date {
        year: cx.today.year - WINDOW_MONTHS / 12,
        ..cx.today
    };
    let employment = m.taxonomy.get("employment");
    for (fi, f) in m.flows.iter().enumerate() {
        let NodeRef::Recipient(ri) = f.to else {
            continue;
        };
        if !cx.graph.is_gdpr_transfer(m, fi) {
            continue;
        }
        let Some(tool) = f
            .decl
            .transfer
            .as_ref()
            .and_then(|t| t.gdpr.as_ref())
            .filter(|t| t.value == GdprTransfer::Adequacy)
        else {
            continue;
        };
        let Some(dest) = m.node_country(f.to) else {
            continue;
        };
        if !adequacy().get(dest.alpha2()).is_some_and(|a| a.needs_dpf) {
            continue;
        }
        let r = &m.recipients[ri];
        let rid = &r.id.value;
        let target = flow_target(m, fi);
        let Some(dpf) = &r.decl.dpf else {
            let d = out
                .at(
                    tool.span,
                    "adequacy without a DPF certification",
                    format!(
                        "{} claims adequacy for the United States, but recipient `{rid}` records no Data Privacy Framework certification (`dpf`)",
                        flow_name(m, fi)
                    ),
                )
                .with_secondary(r.id.span, "no `dpf` recorded")
                .with_target(target);
            out.push(d);
            continue;
        };
        if !dpf.value.certified.value {
            let d = out
                .at(
                    dpf.value.certified.span,
                    "not certified",
                    format!(
                        "{} claims adequacy for the United States, but recipient `{rid}` is not certified under the Data Privacy Framework",
                        flow_name(m, fi)
                    ),
                )
                .with_secondary(tool.span, "adequacy claimed here")
                .with_target(target);
            out.push(d);
            continue;
        }
        let hr_flows = employment.is_some_and(|e| {
            cx.graph
                .flow_categories(fi)
                .iter()
                .any(|c| m.taxonomy.is_within(c, e))
        });
        if hr_flows && !dpf.value.hr.value {
            let span = if dpf.value.hr.span.is_none() {
                dpf.span
            } else {
                dpf.value.hr.span
            };
            let d = out
                .at(
                    span,
                    "certification does not cover HR data",
                    format!(
                        "{} carries employment data to `{rid}`, whose Data Privacy Framework certification does not cover human-resources data",
                        flow_name(m, fi)
                    ),
                )
                .with_target(target.clone());
            out.push(d);
        }
        let checked = dpf.value.checked_on.value;
        if checked < stale_before {
            let mut d = out
                .at(
                    dpf.value.checked_on.span,
                    "checked more than 12 months ago",
                    format!(
                        "the Data Privacy Framework List was last checked for `{rid}` on {}, more than 12 months ago; check that the certification is still active",
                        checked
                    ),
                )
                .with_target(target);
            d.severity = Severity::Warning;
            out.push(d);
        }
    }
}
