//! Facts several rules derive from the model: which purposes use a dataset, which categories
//! a purpose uses, which consents cover a purpose, and how findings name a flow. Each one is
//! computed in one pass over the model so that rules stay linear in its size.

use std::collections::HashMap;

use crate::graph::{CatSet, DataFlowGraph};
use crate::manifest::types::{AssessmentKind, ConsentKind, RegimeName};
use crate::manifest::yaml::Span;
use crate::model::{AssessmentR, Model, NodeRef};
use crate::taxonomy::CatId;

/// The suppression target of a flow: `flows.<id>` when the flow has an id, else
/// `flows.<from>-><to>`.
pub fn flow_target(m: &Model, fi: usize) -> String {
    let f = &m.flows[fi].decl;
    match &f.id {
        Some(id) => format!("flows.{}", id.value),
        None => format!("flows.{}->{}", f.from.value, f.to.value),
    }
}

/// How a flow is named in messages: `flow `id`` or `flow from `a` to `b``.
pub fn flow_name(m: &Model, fi: usize) -> String {
    let f = &m.flows[fi].decl;
    match &f.id {
        Some(id) => format!("flow `{}`", id.value),
        None => format!("flow from `{}` to `{}`", f.from.value, f.to.value),
    }
}

/// Where a flow names purpose `p` (its entry under `purposes:`), or `Span::NONE`.
pub fn flow_purpose_span(m: &Model, fi: usize, p: usize) -> Span {
    let id = &m.purposes[p].id.value;
    m.flows[fi]
        .decl
        .purposes
        .iter()
        .find(|s| &s.value == id)
        .map(|s| s.span)
        .unwrap_or(Span::NONE)
}

/// Where a node's country is declared (a dataset without one inherits its system's), or
/// `Span::NONE`.
pub fn node_country_span(m: &Model, n: NodeRef) -> Span {
    match n {
        NodeRef::Recipient(r) => m.recipients[r].decl.country.as_ref().map(|c| c.span),
        NodeRef::Dataset(d) => m.datasets[d].country(m).map(|c| c.span),
        NodeRef::System(s) => m.systems[s].decl.country.as_ref().map(|c| c.span),
        NodeRef::Subject(_) => None,
    }
    .unwrap_or_default()
}

/// For each purpose, the flows that name it, in flow order. Computed once per model.
pub fn flows_by_purpose(m: &Model) -> &[Vec<usize>] {
    m.cache
        .flows_by_purpose
        .get_or_init(|| by_purpose(m, m.flows.iter().map(|f| &f.purposes)))
}

/// For each purpose, the roles that serve it, in role order. Computed once per model.
pub fn roles_by_purpose(m: &Model) -> &[Vec<usize>] {
    m.cache
        .roles_by_purpose
        .get_or_init(|| by_purpose(m, m.roles.iter().map(|r| &r.purposes)))
}

/// Items (flows, roles) turned around by the purposes each lists: for each purpose, the
/// indices of the items naming it, once each, in item order.
fn by_purpose<'a>(m: &Model, items: impl Iterator<Item = &'a Vec<usize>>) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); m.purposes.len()];
    for (i, purposes) in items.enumerate() {
        for &p in purposes {
            if out[p].last() != Some(&i) {
                out[p].push(i);
            }
        }
    }
    out
}

/// For each purpose, the categories it uses: those it declares plus those carried by the
/// flows that name it.
pub fn purpose_categories(m: &Model, g: &DataFlowGraph) -> Vec<CatSet> {
    let n = m.taxonomy.len();
    let mut out: Vec<CatSet> = m
        .purposes
        .iter()
        .map(|p| {
            let mut s = CatSet::new(n);
            for c in &p.categories {
                s.insert(c.cat);
            }
            s
        })
        .collect();
    for (fi, f) in m.flows.iter().enumerate() {
        for &p in &f.purposes {
            out[p].union_with(g.flow_categories(fi));
        }
    }
    out
}

/// For each purpose, every category it covers: those it declares and their descendants
/// (`Model::purpose_covers` for every category at once), so that a rule testing many
/// categories against a purpose reads one bit instead of scanning its declarations.
pub fn purpose_coverage(m: &Model) -> Vec<CatSet> {
    let t = &m.taxonomy;
    m.purposes
        .iter()
        .map(|p| {
            let mut declared = CatSet::new(t.len());
            for c in &p.categories {
                declared.insert(c.cat);
            }
            let mut covered = CatSet::new(t.len());
            if declared.is_empty() {
                return covered;
            }
            for (i, cat) in t.categories.iter().enumerate() {
                let c = CatId(i as u32);
                if declared.contains(c) || cat.ancestors.iter().any(|&a| declared.contains(a)) {
                    covered.insert(c);
                }
            }
            covered
        })
        .collect()
}

/// Index from a category to the purposes that declare it, to answer "which purposes cover
/// this category" through the taxonomy's ancestry without scanning every purpose.
pub struct Declared {
    by_cat: HashMap<CatId, Vec<usize>>,
}

impl Declared {
    /// Every purpose's declared categories.
    pub fn new(m: &Model) -> Declared {
        Declared::of(m, |_| true)
    }

    /// The declared categories of the purposes `keep` accepts (by purpose index).
    pub fn of(m: &Model, keep: impl Fn(usize) -> bool) -> Declared {
        let mut by_cat: HashMap<CatId, Vec<usize>> = HashMap::new();
        for (pi, p) in m.purposes.iter().enumerate().filter(|(pi, _)| keep(*pi)) {
            for c in &p.categories {
                let v = by_cat.entry(c.cat).or_default();
                if v.last() != Some(&pi) {
                    v.push(pi);
                }
            }
        }
        Declared { by_cat }
    }

    /// Purposes whose declared categories cover `cat` (it or one of its ancestors), grouped
    /// by the category that covers it, each group in purpose order.
    pub fn covering<'a>(&'a self, m: &'a Model, cat: CatId) -> impl Iterator<Item = usize> + 'a {
        std::iter::once(cat)
            .chain(m.taxonomy.cat(cat).ancestors.iter().copied())
            .filter_map(|a| self.by_cat.get(&a))
            .flatten()
            .copied()
    }

    /// Whether some purpose declares `cat` or one of its ancestors.
    pub fn is_covered(&self, m: &Model, cat: CatId) -> bool {
        self.covering(m, cat).next().is_some()
    }
}

/// For each dataset, the purposes that use it, sorted: a purpose uses a dataset when a flow
/// from or to the dataset names it, a role listing the dataset serves it, or its
/// `datasets:` lists it; a purpose without `datasets:` also uses every dataset holding a
/// personal category it declares (or a descendant of one).
pub fn dataset_purposes(m: &Model) -> &[Vec<usize>] {
    // Twenty rules ask for it: computed once per model (docs/performance.md).
    m.cache
        .dataset_purposes
        .get_or_init(|| compute_dataset_purposes(m))
}

fn compute_dataset_purposes(m: &Model) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); m.datasets.len()];
    for (pi, p) in m.purposes.iter().enumerate() {
        for &d in p.datasets.iter().flatten() {
            out[d].push(pi);
        }
    }
    for f in &m.flows {
        for n in [f.from, f.to] {
            if let NodeRef::Dataset(d) = n {
                out[d].extend(f.purposes.iter().copied());
            }
        }
    }
    for r in &m.roles {
        for &d in &r.datasets {
            out[d].extend(r.purposes.iter().copied());
        }
    }
    // Only purposes that list no datasets are inferred to use a dataset from its categories.
    let declared = Declared::of(m, |p| m.purposes[p].datasets.is_none());
    // The purposes covering each taxonomy category, looked up once per category rather than
    // through the ancestry once per dataset and category.
    let covering: Vec<Vec<usize>> = (0..m.taxonomy.len())
        .map(|c| declared.covering(m, CatId(c as u32)).collect())
        .collect();
    // One mark per purpose, reused across datasets, and the list of those marked. A short
    // list is sorted; a long one (purposes inferred from categories, `--infer-datasets`) is
    // read back from the marks in purpose order, which costs less than sorting it.
    let mut mark = vec![false; m.purposes.len()];
    let mut marked: Vec<usize> = Vec::new();
    for (di, v) in out.iter_mut().enumerate() {
        let inferred = personal_categories(m, di)
            .iter()
            .flat_map(|c| &covering[c.0 as usize]);
        for &p in v.iter().chain(inferred) {
            if !std::mem::replace(&mut mark[p], true) {
                marked.push(p);
            }
        }
        v.clear();
        if marked.len() * 16 < mark.len() {
            marked.sort_unstable();
            v.extend_from_slice(&marked);
            for &p in &marked {
                mark[p] = false;
            }
        } else {
            for (p, on) in mark.iter_mut().enumerate() {
                if *on {
                    v.push(p);
                    *on = false;
                }
            }
        }
        marked.clear();
    }
    out
}

/// For each purpose, the datasets that use it ([`dataset_purposes`] turned around), in
/// dataset order. Computed once per model.
pub fn purpose_datasets(m: &Model) -> &[Vec<usize>] {
    m.cache.purpose_datasets.get_or_init(|| {
        let mut out = vec![Vec::new(); m.purposes.len()];
        for (d, ps) in dataset_purposes(m).iter().enumerate() {
            for &p in ps {
                out[p].push(d);
            }
        }
        out
    })
}

/// The distinct personal categories a dataset's fields hold, sorted. Rules and every notice
/// ask for them, dataset by dataset: computed once per model for all datasets.
pub fn personal_categories(m: &Model, d: usize) -> &[CatId] {
    &m.cache.personal_categories.get_or_init(|| {
        (0..m.datasets.len())
            .map(|d| {
                let mut v: Vec<CatId> = m.datasets[d]
                    .fields
                    .iter()
                    .flat_map(|f| f.categories.iter().map(|c| c.cat))
                    .filter(|&c| m.taxonomy.cat(c).personal)
                    .collect();
                v.sort_unstable();
                v.dedup();
                v
            })
            .collect()
    })[d]
}

/// For each consent, the first purpose that relies on it among those `relies_on_consent`
/// accepts (a purpose whose basis under some regime is consent); `None` when no such
/// purpose relies on it. `by_purpose` is [`consents_by_purpose`].
pub fn consents_relied_on(
    m: &Model,
    by_purpose: &[Vec<usize>],
    relies_on_consent: impl Fn(usize) -> bool,
) -> Vec<Option<usize>> {
    let mut relied: Vec<Option<usize>> = vec![None; m.consents.len()];
    for (pi, cs) in by_purpose.iter().enumerate() {
        if !relies_on_consent(pi) {
            continue;
        }
        for &c in cs {
            relied[c].get_or_insert(pi);
        }
    }
    relied
}

/// For each purpose, the consents that cover it: those listing it under `purposes:`, and
/// the one the purpose links with `consent:`. Sorted, without duplicates.
pub fn consents_by_purpose(m: &Model) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); m.purposes.len()];
    for (ci, c) in m.consents.iter().enumerate() {
        for &p in &c.purposes {
            out[p].push(ci);
        }
    }
    for (pi, p) in m.purposes.iter().enumerate() {
        if let Some(c) = p.consent {
            out[pi].push(c);
        }
    }
    for v in &mut out {
        v.sort_unstable();
        v.dedup();
    }
    out
}

/// Whether a consent covering purpose `p` (per [`consents_by_purpose`]) is of one of
/// `kinds` and, when `recipient` is given, names that recipient.
pub fn has_consent(
    m: &Model,
    by_purpose: &[Vec<usize>],
    p: usize,
    kinds: &[ConsentKind],
    recipient: Option<usize>,
) -> bool {
    by_purpose[p].iter().any(|&c| {
        let c = &m.consents[c];
        kinds.contains(&c.decl.kind.value) && recipient.is_none_or(|r| c.recipients.contains(&r))
    })
}

/// Labels of up to `max` categories of a set, for messages: `` `a`, `b` and 2 more``.
pub fn list_ids<'a>(ids: impl IntoIterator<Item = &'a str>, max: usize) -> String {
    let ids: Vec<&str> = ids.into_iter().collect();
    let shown: Vec<String> = ids.iter().take(max).map(|s| format!("`{s}`")).collect();
    let mut s = match shown.len() {
        0 => String::new(),
        1 => shown[0].clone(),
        n => format!("{} and {}", shown[..n - 1].join(", "), shown[n - 1]),
    };
    if ids.len() > max {
        s = format!("{}, and {} more", shown.join(", "), ids.len() - max);
    }
    s
}

/// Whether a dataset is within the PIPL's reach: it is stored in mainland China, or it holds
/// data of subjects living there.
pub fn pipl_dataset(m: &Model, d: usize) -> bool {
    let ds = &m.datasets[d];
    ds.country(m).is_some_and(|c| c.value.is_mainland_china())
        || ds.subjects.iter().any(|&s| {
            m.subjects[s]
                .decl
                .lives_in
                .iter()
                .any(|p| p.is_mainland_china())
        })
}

/// Whether a dataset holds California consumers' data: it is stored in California, or it
/// holds data of subjects living there.
pub fn ccpa_dataset(m: &Model, d: usize) -> bool {
    let ds = &m.datasets[d];
    ds.country(m).is_some_and(|c| c.value.is_california())
        || ds.subjects.iter().any(|&s| {
            m.subjects[s]
                .decl
                .lives_in
                .iter()
                .any(|p| p.is_california())
        })
}

/// Whether people of subject kind `s` are within `regime`'s reach: the regime applies and
/// it was forced in `regimes:`, or the subjects' `lives_in` is empty or in the regime's
/// territory, or (GDPR Art 3(1)) the organisation is established in the EEA, or (PIPL Art
/// 3(1)) their data is held in a dataset stored in mainland China. An establishment in
/// California does not make people elsewhere California consumers.
pub fn subject_in_scope(m: &Model, s: usize, regime: RegimeName) -> bool {
    let Some(scope) = m.regimes.iter().find(|r| r.regime == regime && r.applies) else {
        return false;
    };
    let lives = &m.subjects[s].decl.lives_in;
    let lives_there = lives.iter().any(|p| match regime {
        RegimeName::Gdpr => p.in_eea(),
        RegimeName::Pipl => p.is_mainland_china(),
        RegimeName::Ccpa => p.is_california(),
    });
    if scope.reason.starts_with("declared in `regimes:`") || lives.is_empty() || lives_there {
        return true;
    }
    match regime {
        RegimeName::Gdpr => m
            .organization
            .as_ref()
            .is_some_and(|o| o.establishments.iter().any(|c| c.in_eea())),
        RegimeName::Pipl => m.datasets.iter().any(|d| {
            d.subjects.contains(&s) && d.country(m).is_some_and(|c| c.is_mainland_china())
        }),
        RegimeName::Ccpa => false,
    }
}

/// For each purpose, the kinds of data subjects whose data it processes: the subjects of
/// the datasets it uses ([`dataset_purposes`]) and of the flows from a subject that name it.
/// Sorted, without duplicates.
pub fn purpose_subjects(m: &Model) -> &[Vec<usize>] {
    // Asked for by a dozen rules and generators: computed once per model.
    m.cache
        .purpose_subjects
        .get_or_init(|| compute_purpose_subjects(m))
}

fn compute_purpose_subjects(m: &Model) -> Vec<Vec<usize>> {
    let mut out = vec![Vec::new(); m.purposes.len()];
    for (d, ps) in dataset_purposes(m).iter().enumerate() {
        for &p in ps {
            out[p].extend(m.datasets[d].subjects.iter().copied());
        }
    }
    for f in &m.flows {
        if let NodeRef::Subject(s) = f.from {
            for &p in &f.purposes {
                out[p].push(s);
            }
        }
    }
    for v in &mut out {
        v.sort_unstable();
        v.dedup();
    }
    out
}

/// Whether a subject kind may include children under `age`: its `min_age` is below it.
pub fn may_be_under(m: &Model, s: usize, age: u32) -> bool {
    m.subjects[s].decl.min_age.is_some_and(|a| a < age)
}

/// The assessments of `kind` whose scope names purpose `p`.
pub fn assessments_of_purpose(
    m: &Model,
    kind: AssessmentKind,
    p: usize,
) -> impl Iterator<Item = &AssessmentR> {
    m.assessments
        .iter()
        .filter(move |a| a.decl.kind.value == kind && a.purposes.contains(&p))
}

/// The assessments of `kind` whose scope names flow `f`, or a purpose the flow serves.
pub fn assessments_of_flow(
    m: &Model,
    kind: AssessmentKind,
    f: usize,
) -> impl Iterator<Item = &AssessmentR> {
    m.assessments.iter().filter(move |a| {
        a.decl.kind.value == kind
            && (a.flows.contains(&f) || m.flows[f].purposes.iter().any(|p| a.purposes.contains(p)))
    })
}

/// Whether a boolean fact is declared `true`.
pub fn is_true(v: &Option<crate::manifest::yaml::Sp<bool>>) -> bool {
    v.as_ref().is_some_and(|b| b.value)
}

/// For each purpose, whether it is within `regime`'s reach: it declares a basis (or kind)
/// under the regime, processes data of a kind of subject within reach
/// ([`subject_in_scope`]; `subjects_of` is [`purpose_subjects`]), or processes no known
/// subjects at all while the regime applies.
pub fn purposes_in_scope(m: &Model, subjects_of: &[Vec<usize>], regime: RegimeName) -> Vec<bool> {
    let applies = m.applies(regime);
    m.purposes
        .iter()
        .enumerate()
        .map(|(p, pr)| {
            let lb = &pr.decl.legal_basis;
            let declared = match regime {
                RegimeName::Gdpr => lb.gdpr.is_some(),
                RegimeName::Pipl => lb.pipl.is_some(),
                RegimeName::Ccpa => lb.ccpa.is_some(),
            };
            applies
                && (declared
                    || subjects_of[p].is_empty()
                    || subjects_of[p]
                        .iter()
                        .any(|&s| subject_in_scope(m, s, regime)))
        })
        .collect()
}

/// The scope of `regime` when it applies only because some subjects live in its territory
/// (not through an establishment, a declared targeting fact or `regimes:`): the GDPR Art 3
/// and PIPL Art 3 assumptions a human should confirm.
pub fn assumed_scope(m: &Model, regime: RegimeName) -> Option<&crate::model::RegimeScope> {
    let scope = m.regimes.iter().find(|s| s.regime == regime && s.applies)?;
    m.subjects
        .iter()
        .any(|s| s.decl.lives_in.iter().any(|p| p.span == scope.span))
        .then_some(scope)
}
