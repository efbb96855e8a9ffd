//! CORE-MINIMISATION-UNUSED-CATEGORY: every stored personal category serves a purpose, and
//! every category a purpose declares is used by one of its flows or roles.

use crate::graph::CatSet;
use crate::report::Severity;
use crate::rules::facts::{Declared, flows_by_purpose, list_ids, personal_categories};
use crate::rules::{Context, Findings, Rule, RuleSet};
use crate::taxonomy::CatId;

pub static RULE: Rule = Rule {
    id: "CORE-MINIMISATION-UNUSED-CATEGORY",
    set: RuleSet::Core,
    article: "GDPR Art 5(1)(c), 25(2); PIPL Art 6(2); CCPA 1798.100(c)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_5",
    default_severity: Severity::Warning,
    summary: "A stored personal field serves no purpose, or a purpose declares a category none of its flows or roles uses",
    explanation: "Personal data must be adequate, relevant and limited to what is necessary for the purposes (GDPR Art 5(1)(c)), and by default only the data each purpose needs may be processed (Art 25(2)). The PIPL limits collection to the minimum scope needed for the purpose (Art 6(2)), and the CCPA requires collection, use, retention and sharing to be reasonably necessary and proportionate (1798.100(c)).\n\nlawful reports two things. First, a personal category held by fields of a dataset that no purpose declares (neither the category nor one of its ancestors), once per dataset and category, at the first such field: nothing the manifest describes needs that data, so it should not be collected. Second, a category a purpose declares that none of the flows naming the purpose carries and no role serving the purpose can read (a flow or dataset holding the category or a narrower one counts): the purpose, and the notices generated from it, claim more data than is used. Purposes that no flow and no role names are left out of the second check.\n\nThis is a warning: a category may be used by processing the manifest does not describe yet.",
    fix: "Stop collecting the field, or attach its category to a purpose that needs it; drop from the purpose a category it does not use.\n\n```yaml\npurposes:\n  customer_service:\n    categories: [contact.email, identity.name]   # not contact.phone: nothing uses it\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    let declared = Declared::new(m);
    // For each taxonomy category: personal, and no purpose declares it or an ancestor.
    let undeclared: Vec<bool> = (0..t.len())
        .map(|c| {
            let c = CatId(c as u32);
            t.cat(c).personal && !declared.is_covered(m, c)
        })
        .collect();
    // Stored fields whose personal categories no purpose declares: one finding per dataset
    // and category, at the first field that holds it.
    for (di, d) in m.datasets.iter().enumerate() {
        // Most datasets hold only declared categories: their fields need no walk.
        if !personal_categories(m, di)
            .iter()
            .any(|c| undeclared[c.0 as usize])
        {
            continue;
        }
        let mut by_cat: Vec<(CatId, Vec<usize>)> = Vec::new();
        for (fi, f) in d.fields.iter().enumerate() {
            for c in &f.categories {
                if !undeclared[c.cat.0 as usize] {
                    continue;
                }
                match by_cat.iter_mut().find(|(k, _)| *k == c.cat) {
                    Some((_, v)) => {
                        if v.last() != Some(&fi) {
                            v.push(fi)
                        }
                    }
                    None => by_cat.push((c.cat, vec![fi])),
                }
            }
        }
        for (cat, fields) in by_cat {
            let id = &t.cat(cat).id;
            let first = &d.fields[fields[0]];
            let names = list_ids(fields.iter().map(|&i| d.fields[i].name.value.as_str()), 3);
            let message = if fields.len() == 1 {
                format!(
                    "field {names} of dataset `{}` holds `{id}`, which no purpose declares",
                    d.id.value
                )
            } else {
                format!(
                    "fields {names} of dataset `{}` hold `{id}`, which no purpose declares",
                    d.id.value
                )
            };
            let mut diag = out
                .at(first.name.span, "no purpose declares its category", message)
                .with_target(format!("datasets.{}", d.id.value));
            if let Some(c) = first.categories.iter().find(|c| c.cat == cat)
                && !first.inherited
                && !c.span.is_none()
            {
                diag = diag.with_secondary(c.span, "category declared here");
            }
            out.push(diag);
        }
    }
    // Categories a purpose declares that none of its flows or roles uses.
    let flows = flows_by_purpose(m);
    let mut roles = vec![Vec::new(); m.purposes.len()];
    for (ri, r) in m.roles.iter().enumerate() {
        for &p in &r.purposes {
            roles[p].push(ri);
        }
    }
    for (pi, p) in m.purposes.iter().enumerate() {
        if flows[pi].is_empty() && roles[pi].is_empty() {
            continue;
        }
        let mut used = CatSet::new(t.len());
        for &fi in &flows[pi] {
            used.union_with(cx.graph.flow_categories(fi));
        }
        // Whether a personal category the purpose declares is still unused.
        let unmet = |used: &CatSet| {
            p.categories
                .iter()
                .any(|c| t.cat(c.cat).personal && !used.iter().any(|u| t.is_within(u, c.cat)))
        };
        // What the roles read, only as far as the flows leave a declared category unused:
        // first the datasets' personal categories (computed once for all rules), then, if
        // still needed, every category of their fields. Adding categories only turns unused
        // ones into used ones, so stopping early gives the same findings.
        let role_datasets = |ri: usize| -> Vec<usize> {
            // A role without `datasets:` works on every dataset it may read a column of.
            if m.roles[ri].datasets.is_empty() {
                (0..m.datasets.len()).collect()
            } else {
                m.roles[ri].datasets.clone()
            }
        };
        if !roles[pi].is_empty() && unmet(&used) {
            for &ri in &roles[pi] {
                for di in role_datasets(ri) {
                    for &c in personal_categories(m, di) {
                        used.insert(c);
                    }
                }
            }
            if unmet(&used) {
                for &ri in &roles[pi] {
                    for di in role_datasets(ri) {
                        for f in &m.datasets[di].fields {
                            for c in &f.categories {
                                used.insert(c.cat);
                            }
                        }
                    }
                }
            }
        }
        for c in &p.categories {
            if !t.cat(c.cat).personal || used.iter().any(|u| t.is_within(u, c.cat)) {
                continue;
            }
            let diag = out
                .at(
                    c.span,
                    "not used by its flows or roles",
                    format!(
                        "purpose `{}` declares `{}`, but none of its flows carries it and none of its roles reads it",
                        p.id.value,
                        t.cat(c.cat).id
                    ),
                )
                .with_secondary(p.id.span, "the purpose")
                .with_target(format!("purposes.{}", p.id.value));
            out.push(diag);
        }
    }
}
