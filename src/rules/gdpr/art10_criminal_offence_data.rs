//! GDPR-ART10-CRIMINAL-OFFENCE-DATA: a purpose that uses data on criminal convictions or
//! offences cites the Union or member-state law that authorises it.

use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::facts::{flows_by_purpose, list_ids, purpose_categories};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART10-CRIMINAL-OFFENCE-DATA",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 10",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_10",
    default_severity: Severity::Error,
    summary: "A purpose uses data on criminal convictions or offences without a law authorising it",
    explanation: "Data relating to criminal convictions and offences, or to related security measures, may be processed on an Art 6(1) basis only under the control of an official authority, or when Union or member-state law that provides appropriate safeguards authorises it (Art 10). A comprehensive register of criminal convictions may be kept only under the control of an official authority. Unlike Art 9, there is no consent exception: a background check of job applicants, for example, needs a national law that allows it.\n\nlawful reports a purpose that declares, or receives through its flows, a category the taxonomy marks `gdpr_art10` (such as `criminal.convictions` or `criminal.offences`) and cites no `law_ref`. The `law_ref` is where you name the authorising provision, or the act that gives the official authority under whose control the data is processed.\n\nNot yet checked: whether the cited law really authorises this processing and provides safeguards, and whether the processing keeps a comprehensive register, which only an official authority may do.",
    fix: "Cite the Union or member-state law that authorises the processing with `law_ref`, or stop processing the data.\n\n```yaml\npurposes:\n  staff_vetting:\n    legal_basis: { gdpr: legal_obligation }\n    law_ref: \"§30a BZRG (extended certificate of good conduct for child-care staff)\"\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    let used = purpose_categories(m, cx.graph);
    let flows = flows_by_purpose(m);
    for (pi, p) in m.purposes.iter().enumerate() {
        if p.decl.law_ref.is_some() {
            continue;
        }
        let criminal: Vec<_> = used[pi]
            .iter()
            .filter(|&c| t.cat(c).is_gdpr_criminal())
            .collect();
        if criminal.is_empty() {
            continue;
        }
        let ids = list_ids(criminal.iter().map(|&c| t.cat(c).id.as_str()), 4);
        let mut d = out
            .at(
                p.id.span,
                "no authorising law",
                format!(
                    "purpose `{}` uses criminal-offence data ({ids}) but cites no law that authorises it (`law_ref`)",
                    p.id.value
                ),
            )
            .with_target(format!("purposes.{}", p.id.value));
        // Point at where the data enters: the purpose's own list, else a flow.
        match p.categories.iter().find(|c| criminal.contains(&c.cat)) {
            Some(c) => d = d.with_secondary(c.span, "criminal-offence data declared here"),
            None => {
                if let Some(&fi) = flows[pi].iter().find(|&&fi| {
                    criminal
                        .iter()
                        .any(|&c| cx.graph.flow_categories(fi).contains(c))
                }) {
                    d = d.with_secondary(
                        m.flows[fi].decl.to.span,
                        "a flow for this purpose carries it",
                    );
                }
            }
        }
        out.push(d);
    }
}
