//! POLICY: the organisation's own policies (`policies:`, docs/policies.md). A purpose breaks
//! a policy rule when its data categories, its use and its data subjects all match the
//! rule, each dimension matched with `any`, `all`, `none` or `other` as Fides' `evaluate`
//! does (`compare_rule_to_declaration` in fides/core/evaluate.py). Findings read
//! `POLICY-<policy id>`, one per purpose and rule.
//!
//! A purpose is evaluated in units, as Fides evaluates a privacy declaration and each field
//! of the datasets it references: the purpose's own categories; each field (with
//! categories) of each dataset it names in `datasets:` (a dataset without fields: its
//! categories); and each flow naming the purpose (the categories it carries). The use and
//! the subjects are the purpose's in every unit.

use std::collections::{BTreeSet, HashSet};

use crate::graph::CatSet;
use crate::manifest::types::{MatchMode, PolicyMatch, PolicySeverity};
use crate::manifest::yaml::Sp;
use crate::model::{Model, PolicyCategoriesR, PolicyR, PolicyRuleR, PurposeR};
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};
use crate::taxonomy::{CatId, Taxonomy};

pub static RULE: Rule = Rule {
    id: "POLICY",
    set: RuleSet::Policy,
    article: "the organisation's own policies (`policies:`); matching as in Fides `evaluate`",
    // No official text: the policies are the organisation's own (docs/policies.md).
    url: "",
    default_severity: Severity::Error,
    summary: "A purpose uses data categories for a use and on data subjects that an organisation policy forbids",
    explanation: "Besides the law, an organisation has rules of its own: no contact details for marketing, no health data outside care, no children's data at all. `policies:` writes them as rules over three dimensions (data categories, the purpose's use, data subjects), each matched with `any`, `all`, `none` or `other` against a list of values, where a value catches everything below it in its taxonomy (`contact` catches `contact.email`; `marketing` catches the use `marketing.advertising.first_party`; `personal` catches every personal category). A purpose breaks a rule when every dimension the rule gives matches; its findings read `POLICY-<policy id>`, at the purpose, with the rule as a second place.\n\nThe matching is that of Fides (`fides evaluate`), so a team moving from Fides keeps the verdicts it relies on: a purpose is evaluated on its own categories, on each field of each dataset it names, and on each flow that serves it. docs/policies.md gives the semantics with examples.",
    fix: "Change the purpose so that it no longer uses what the rule forbids (drop the category, narrow the datasets, use another purpose), or change the policy; a justified exception is a suppression with a reason and an expiry date.\n\n```yaml\npolicies:\n  privacy:\n    description: No contact details for marketing.\n    rules:\n      no_marketing_contact:\n        categories: { matches: any, values: [contact] }\n        purposes: { matches: any, values: [marketing] }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    let units: Vec<Vec<Vec<CatId>>> = (0..m.purposes.len()).map(|p| units(cx, p)).collect();
    let subjects: Vec<Vec<&str>> = (0..m.purposes.len())
        .map(|p| purpose_subjects(m, p))
        .collect();
    for policy in &m.policies {
        for rule in &policy.rules {
            let nearest_cat = rule.categories.as_ref().map(|c| nearest_categories(t, c));
            for (pi, p) in m.purposes.iter().enumerate() {
                let uses = rule.decl.purposes.as_ref().map(|d| {
                    let u = p.use_key();
                    compare(d.matches.value, std::iter::once((u, nearest_key(d, u))))
                        .into_iter()
                        .collect::<BTreeSet<_>>()
                });
                if uses.as_ref().is_some_and(|u| u.is_empty()) {
                    continue;
                }
                let subs = rule.decl.subjects.as_ref().map(|d| {
                    let declared = subjects[pi].iter().map(|&s| (s, nearest_key(d, s)));
                    compare(d.matches.value, declared)
                        .into_iter()
                        .collect::<BTreeSet<_>>()
                });
                if subs.as_ref().is_some_and(|s| s.is_empty()) {
                    continue;
                }
                let cats = match (&rule.decl.categories, &nearest_cat) {
                    (Some(d), Some(near)) => {
                        // A category's hit is fixed by the rule (its id and its nearest rule
                        // value): the units' hits are gathered as a set of category ids,
                        // and named once.
                        let mut hits = CatSet::new(t.len());
                        for unit in &units[pi] {
                            let matched = unit.iter().filter(|c| near[c.0 as usize].is_some());
                            let Some(side) =
                                reported_side(d.matches.value, unit.len(), matched.count())
                            else {
                                continue;
                            };
                            for &c in unit {
                                if near[c.0 as usize].is_some() == side {
                                    hits.insert(c);
                                }
                            }
                        }
                        if hits.is_empty() {
                            continue;
                        }
                        let all: BTreeSet<Hit> = hits
                            .iter()
                            .map(|c| {
                                let id = t.cat(c).id.as_str();
                                (id, near[c.0 as usize].filter(|v| *v != id))
                            })
                            .collect();
                        Some(all)
                    }
                    _ => None,
                };
                report(out, policy, rule, p, cats, uses, subs);
            }
        }
    }
}

/// A declared value that makes a dimension match, with the rule value it falls within when
/// that is not the value itself (for `any` and `all`; `none` and `other` report values
/// outside every rule value).
type Hit<'a> = (&'a str, Option<&'a str>);

/// Fides' `compare_rule_to_declaration`. `declared` pairs each declared value with the
/// nearest rule value at or above it in its hierarchy (`None`: outside every rule value).
/// Returns the declared values that make the dimension match; empty when it does not.
/// `any`: the matched ones; `all`: the matched ones when every declared value matched
/// (so never when nothing is declared); `none`: the unmatched ones when nothing matched;
/// `other`: the unmatched ones.
fn compare<'a, I>(mode: MatchMode, declared: I) -> Vec<Hit<'a>>
where
    I: Iterator<Item = (&'a str, Option<&'a str>)> + Clone,
{
    let (mut n, mut matched) = (0usize, 0usize);
    for (_, near) in declared.clone() {
        n += 1;
        matched += usize::from(near.is_some());
    }
    let Some(report_matched) = reported_side(mode, n, matched) else {
        return Vec::new();
    };
    declared
        .filter(|(_, near)| near.is_some() == report_matched)
        .map(|(d, near)| (d, near.filter(|v| *v != d)))
        .collect()
}

/// Which side of `n` declared values, `matched` of them within the rule's values, makes a
/// dimension match: `Some(true)` the matched ones, `Some(false)` the unmatched ones, `None`
/// when the dimension does not match ([`compare`]).
fn reported_side(mode: MatchMode, n: usize, matched: usize) -> Option<bool> {
    match mode {
        MatchMode::Any if matched > 0 => Some(true),
        MatchMode::All if n > 0 && matched == n => Some(true),
        MatchMode::None if n > 0 && matched == 0 => Some(false),
        MatchMode::Other if matched < n => Some(false),
        _ => None,
    }
}

/// The nearest rule value at or above dotted key `d` (`marketing.advertising` is below
/// `marketing`): `d` itself, else its parent, and so on.
fn nearest_key<'a>(rule: &'a PolicyMatch, d: &str) -> Option<&'a str> {
    let mut k = d;
    loop {
        if let Some(v) = rule.values.iter().find(|v| v.value == k) {
            return Some(v.value.as_str());
        }
        k = k.rsplit_once('.')?.0;
    }
}

/// For every category of the taxonomy, the nearest of a rule's category values at or above
/// it (itself, then its ancestors, then the virtual root `personal` when it is personal),
/// computed once per rule from the ancestry the taxonomy already holds.
fn nearest_categories<'t>(t: &'t Taxonomy, rule: &PolicyCategoriesR) -> Vec<Option<&'t str>> {
    let values: std::collections::HashSet<CatId> = rule.cats.iter().copied().collect();
    t.categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            std::iter::once(CatId(i as u32))
                .chain(c.ancestors.iter().copied())
                .find(|a| values.contains(a))
                .map(|a| t.cat(a).id.as_str())
                .or((rule.personal && c.personal).then_some("personal"))
        })
        .collect()
}

/// The units a purpose is evaluated in: its own categories (always, even none), each field
/// with categories of each dataset it names (a dataset without fields: its categories), and
/// each flow serving it that carries categories.
fn units(cx: &Context, p: usize) -> Vec<Vec<CatId>> {
    let m = cx.model;
    let purpose = &m.purposes[p];
    // Identical units give identical results: each is kept once (many fields share their
    // categories), and a field's categories are looked up in a reused buffer so that only
    // a new unit allocates. The purpose's own unit stays, even when empty.
    let mut seen: HashSet<Vec<CatId>> = HashSet::new();
    // Most fields hold one category: those units are kept as one bit each.
    let mut single = CatSet::new(m.taxonomy.len());
    let mut buf: Vec<CatId> = Vec::new();
    let mut add = |cats: &mut dyn Iterator<Item = CatId>, keep_empty: bool| {
        buf.clear();
        buf.extend(cats);
        if buf.is_empty() && !keep_empty {
            return;
        }
        buf.sort_unstable();
        buf.dedup();
        if let [c] = buf[..] {
            single.insert(c);
        } else if !seen.contains(buf.as_slice()) {
            seen.insert(buf.clone());
        }
    };
    add(&mut purpose.categories.iter().map(|c| c.cat), true);
    for &d in purpose.datasets.iter().flatten() {
        let ds = &m.datasets[d];
        if ds.fields.is_empty() {
            add(
                &mut ds
                    .decl
                    .categories
                    .iter()
                    .filter_map(|c| m.taxonomy.get(&c.value)),
                false,
            );
        }
        for f in &ds.fields {
            add(&mut f.categories.iter().map(|c| c.cat), false);
        }
    }
    for &fi in &crate::rules::facts::flows_by_purpose(m)[p] {
        add(&mut cx.graph.flow_categories(fi).iter(), false);
    }
    let mut out: Vec<Vec<CatId>> = seen.into_iter().collect();
    out.extend(single.iter().map(|c| vec![c]));
    out.sort_unstable();
    out
}

/// The subjects of a purpose: those it declares; when it declares none, those of the
/// datasets it names (as Fides takes a declaration's own `data_subjects`, and a dataset
/// shared by several purposes would otherwise lend each of them every purpose's subjects).
fn purpose_subjects(m: &Model, p: usize) -> Vec<&str> {
    let purpose = &m.purposes[p];
    let mut ix: Vec<usize> = purpose.subjects.clone();
    if ix.is_empty() {
        for &d in purpose.datasets.iter().flatten() {
            ix.extend(&m.datasets[d].subjects);
        }
    }
    ix.sort_unstable();
    ix.dedup();
    ix.into_iter()
        .map(|s| m.subjects[s].id.value.as_str())
        .collect()
}

/// `contact.email (within contact), contact.phone`.
fn list(hits: &BTreeSet<Hit>) -> String {
    hits.iter()
        .map(|(d, by)| match by {
            Some(v) => format!("{d} (within {v})"),
            None => d.to_string(),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn report(
    out: &mut Findings,
    policy: &PolicyR,
    rule: &PolicyRuleR,
    p: &PurposeR,
    cats: Option<BTreeSet<Hit>>,
    uses: Option<BTreeSet<Hit>>,
    subs: Option<BTreeSet<Hit>>,
) {
    let outside = |d: &Option<Sp<PolicyMatch>>| {
        d.as_ref()
            .is_some_and(|d| matches!(d.matches.value, MatchMode::None | MatchMode::Other))
    };
    let what = match &cats {
        Some(c) if outside(&rule.decl.categories) => {
            format!("it uses {} (outside the rule's categories)", list(c))
        }
        Some(c) => format!("it uses {}", list(c)),
        None => "it processes data".to_string(),
    };
    let for_use = match &uses {
        Some(u) if outside(&rule.decl.purposes) => {
            format!("for {} (outside the rule's purposes)", list(u))
        }
        Some(u) => format!("for {}", list(u)),
        None => format!("for {}", p.use_key()),
    };
    let on = match &subs {
        Some(s) if outside(&rule.decl.subjects) => {
            format!(" on {} (outside the rule's subjects)", list(s))
        }
        Some(s) => format!(" on {}", list(s)),
        None => String::new(),
    };
    let message = format!(
        "purpose `{}` breaks rule `{}` of policy `{}`: {what} {for_use}{on}",
        p.id.value, rule.id.value, policy.id.value
    );
    let mut d = out
        .at(p.id.span, format!("breaks `{}`", rule.id.value), message)
        .with_secondary(rule.id.span, "the rule")
        .with_target(format!("purposes.{}", p.id.value));
    d.code = policy.code();
    d.severity = match policy.decl.severity.as_ref().map(|s| s.value) {
        Some(PolicySeverity::Info) => Severity::Info,
        Some(PolicySeverity::Warning) => Severity::Warning,
        Some(PolicySeverity::Error) | None => Severity::Error,
    };
    if let Some(desc) = rule
        .decl
        .description
        .as_ref()
        .or(policy.decl.description.as_ref())
    {
        d.help = Some(format!(
            "{} — {}",
            desc.trim_end_matches('.'),
            "change the purpose so it no longer matches, or suppress the finding with a reason (docs/policies.md)"
        ));
    }
    out.push(d);
}
