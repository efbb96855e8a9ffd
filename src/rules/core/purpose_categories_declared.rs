//! CORE-PURPOSE-CATEGORIES-DECLARED: purpose limitation. Every flow names a purpose, and
//! every personal category a flow carries is declared by one of its purposes; a role that
//! lists a dataset can read something there under its purposes.

use crate::manifest::yaml::Span;
use crate::report::Severity;
use crate::rules::facts::{
    flow_name, flow_purpose_span, flow_target, list_ids, personal_categories, purpose_coverage,
};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CORE-PURPOSE-CATEGORIES-DECLARED",
    set: RuleSet::Core,
    article: "GDPR Art 5(1)(b), 6(4); PIPL Art 6, 14(2); CCPA 1798.100(a)(1), (c); 11 CCR 7002",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_5",
    default_severity: Severity::Error,
    summary: "A flow has no purpose, or carries a category that none of its purposes declares",
    explanation: "Purpose limitation is common to all three regimes: personal data is collected for specified, explicit purposes and not used in ways incompatible with them (GDPR Art 5(1)(b)); processing must have a clear and reasonable purpose directly related to it (PIPL Art 6), and a change of purpose or of the kinds of data needs fresh consent where consent is the basis (PIPL Art 14(2)); a business may not use personal information for purposes it did not disclose at collection, or that are incompatible with them (CCPA 1798.100(a)(1) and (c); 11 CCR 7002).\n\nIn lawful a purpose lists the categories it needs, and notices, consents and grants are built from that list. A flow that serves no purpose, or that carries a category none of its purposes declares, moves data the notices never mention. A purpose that declares a parent category (`contact`) covers its children (`contact.email`).\n\nFor roles, grants are derived from the role's purposes, so a role can never read an undeclared column. lawful reports a role that lists datasets but serves no purpose, and a dataset listed on a role in which none of the role's purposes covers any personal field: the grant there would be empty, which means the role's purposes are incomplete or the dataset does not belong on it.",
    fix: "Name the purposes a flow serves and declare every category it carries on one of them, or stop carrying the category.\n\n```yaml\npurposes:\n  order_fulfilment:\n    categories: [contact.email, contact.postal_address]\nflows:\n  - from: customers\n    to: parcel_carrier\n    categories: [contact.postal_address]\n    purposes: [order_fulfilment]\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    let covers = purpose_coverage(m);
    for (fi, f) in m.flows.iter().enumerate() {
        let to = f.decl.to.span;
        if f.purposes.is_empty() {
            let d = out
                .at(
                    to,
                    "no purpose",
                    format!("{} names no purpose", flow_name(m, fi)),
                )
                .with_help("name the purposes the flow serves with `purposes: [<purpose id>]`")
                .with_target(flow_target(m, fi));
            out.push(d);
            continue;
        }
        let undeclared: Vec<_> = cx
            .graph
            .flow_categories(fi)
            .iter()
            .filter(|&c| t.cat(c).personal)
            .filter(|&c| !f.purposes.iter().any(|&p| covers[p].contains(c)))
            .collect();
        if undeclared.is_empty() {
            continue;
        }
        let purposes = not_declared_by(m, &f.purposes);
        let add_purposes = |mut d: crate::report::Diagnostic| {
            for &p in &f.purposes {
                d = d.with_secondary(flow_purpose_span(m, fi, p), "serves this purpose");
                d = d.with_secondary(m.purposes[p].id.span, "which does not declare it");
            }
            d
        };
        match &f.categories {
            // Declared categories: one finding at each category reference.
            Some(declared) => {
                for c in &undeclared {
                    let Some(r) = declared.iter().find(|r| r.cat == *c) else {
                        continue;
                    };
                    let d = out
                        .at(
                            r.span,
                            "not declared by the flow's purposes",
                            format!(
                                "{} carries `{}`, which {purposes}",
                                flow_name(m, fi),
                                t.cat(*c).id
                            ),
                        )
                        .with_target(flow_target(m, fi));
                    out.push(add_purposes(d));
                }
            }
            // Inherited categories: one finding at the destination, listing them.
            None => {
                let ids = list_ids(undeclared.iter().map(|&c| t.cat(c).id.as_str()), 6);
                let d = out
                    .at(
                        to,
                        "carries every category of its source",
                        format!(
                            "{} carries {ids}, which {purposes}",
                            flow_name(m, fi)
                        ),
                    )
                    .with_help("declare the categories on a purpose, or list only the categories the flow needs under the flow's `categories:`")
                    .with_target(flow_target(m, fi));
                out.push(add_purposes(d));
            }
        }
    }

    for r in &m.roles {
        let target = format!("roles.{}", r.id.value);
        if r.purposes.is_empty() {
            if !r.datasets.is_empty() {
                let d = out
                    .at(
                        r.id.span,
                        "no purpose",
                        format!(
                            "role `{}` lists datasets but serves no purpose, so nothing justifies its access",
                            r.id.value
                        ),
                    )
                    .with_help("name the purposes the role serves with `purposes: [<purpose id>]`; its grants are derived from them")
                    .with_target(target);
                out.push(d);
            }
            continue;
        }
        for &di in &r.datasets {
            let ds = &m.datasets[di];
            // The distinct personal categories of the dataset's fields.
            let personal = personal_categories(m, di);
            if personal.is_empty()
                || personal
                    .iter()
                    .any(|&c| r.purposes.iter().any(|&p| covers[p].contains(c)))
            {
                continue;
            }
            let span = r
                .decl
                .datasets
                .iter()
                .find(|s| s.value == ds.id.value)
                .map(|s| s.span)
                .unwrap_or(Span::NONE);
            let d = out
                .at(
                    span,
                    "no personal field covered by the role's purposes",
                    format!(
                        "role `{}` lists dataset `{}`, but {} any of the personal categories the dataset holds",
                        r.id.value,
                        ds.id.value,
                        not_declared_by(m, &r.purposes)
                    ),
                )
                .with_secondary(ds.id.span, "dataset declared here")
                .with_help("declare the categories the role needs on one of its purposes, or remove the dataset from the role")
                .with_target(target.clone());
            out.push(d);
        }
    }
}

/// "its purpose `a` does not declare" or "none of its purposes (`a` and `b`) declares".
fn not_declared_by(m: &crate::model::Model, purposes: &[usize]) -> String {
    let ids = list_ids(purposes.iter().map(|&p| m.purposes[p].id.value.as_str()), 4);
    if purposes.len() == 1 {
        format!("its purpose {ids} does not declare")
    } else {
        format!("none of its purposes ({ids}) declares")
    }
}
