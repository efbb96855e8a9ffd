//! Notice checklists (REGULATIONS.md §2): for one notice, each item the law asks it
//! to contain and whether the manifest supplies the fact that fills it. The notice
//! rules report the missing items; notice generation reuses the same lists. An item's
//! span is the fact when it is written, else the entry that should hold it (the purpose,
//! the organisation, the `rights` section), else the notice id.

pub mod ccpa;
pub mod gdpr;
pub mod pipl;

/// One item of a notice checklist (REGULATIONS.md §2) and whether the manifest supplies it.
pub struct ItemStatus {
    /// The provision: "GDPR Art 13(1)(a)".
    pub item: &'static str,
    /// What the notice must say, in plain words.
    pub what: &'static str,
    /// The manifest fact that supplies it: "organization.contact".
    pub fact: String,
    /// Whether the item applies to this notice (conditional items may not).
    pub required: bool,
    /// Whether the manifest supplies it.
    pub supplied: bool,
    /// Where a finding points: the fact's place when it exists, else the notice id.
    pub span: crate::manifest::yaml::Span,
}

pub use gdpr::gdpr;
pub use pipl::pipl;

/// The languages a notice is published in: those it declares; when it declares none,
/// Simplified Chinese and English for a PIPL notice (the Chinese text governs for people in
/// mainland China), English for the others.
pub fn notice_languages(m: &Model, notice: usize) -> Vec<crate::manifest::types::Language> {
    use crate::manifest::types::{Language, NoticeKind};
    let n = &m.notices[notice].decl;
    if n.languages.is_empty() {
        return match n.kind.value {
            NoticeKind::PiplArt17 => vec![Language::ZhCn, Language::En],
            _ => vec![Language::En],
        };
    }
    Language::ALL
        .into_iter()
        .filter(|l| n.languages.iter().any(|d| d.value == *l))
        .collect()
}

/// Translation items: a notice published in a language shows each of its purposes' texts in
/// that language, so every text a purpose has in one language (title, description,
/// legitimate interest, necessity, what happens without the data) must exist in each of
/// the notice's languages. A missing translation is a finding, never a silent fallback.
pub fn translations(
    m: &Model,
    notice: usize,
    purposes: &[usize],
    item: &'static str,
) -> Vec<ItemStatus> {
    let mut out = Vec::new();
    for lang in notice_languages(m, notice) {
        for &p in purposes {
            let pr = &m.purposes[p];
            let d = &pr.decl.value;
            let texts: [(&str, Option<&crate::manifest::Localized>); 5] = [
                ("title", Some(&d.title)),
                ("description", Some(&d.description)),
                ("legitimate_interest", d.legitimate_interest.as_ref()),
                ("necessity", d.necessity.as_ref()),
                ("if_not_provided", d.if_not_provided.as_ref()),
            ];
            for (key, text) in texts {
                let Some(t) = text else { continue };
                if t.en.is_none() && t.zh_cn.is_none() {
                    continue;
                }
                out.push(ItemStatus {
                    item,
                    what: "the purpose's text in each language the notice is published in",
                    fact: format!("purposes.{}.{key}.{}", pr.id.value, lang.tag()),
                    required: true,
                    supplied: t.get(lang.tag()).is_some(),
                    span: pr.id.span,
                });
            }
        }
    }
    out
}

/// The checklist of a declared notice, by its kind: what `lawful build` prints as the
/// notice's coverage table. A CCPA notice of financial incentive has no checklist here
/// (CCPA-1798.125-FINANCIAL-INCENTIVE checks its facts).
pub fn for_notice(m: &Model, notice: usize) -> Vec<ItemStatus> {
    use crate::manifest::types::NoticeKind as K;
    match m.notices[notice].decl.kind.value {
        K::GdprArt13 | K::GdprArt14 => gdpr(m, notice),
        K::PiplArt17 => pipl(m, notice),
        K::CcpaNoticeAtCollection => ccpa::notice_at_collection(m, notice),
        K::CcpaPrivacyPolicy => ccpa::privacy_policy(m, notice),
        K::CcpaFinancialIncentive => Vec::new(),
    }
}

use crate::manifest::types::{Party, RegimeName};
use crate::manifest::yaml::Span;
use crate::model::{FlowR, Model, NodeRef};
use crate::rules::facts;

impl ItemStatus {
    /// Whether the notice still needs this item: it applies and the manifest lacks it.
    pub fn missing(&self) -> bool {
        self.required && !self.supplied
    }
}

/// Builds the items of one notice; `notice` is the span of the notice id, used when the
/// fact and its owner are both absent.
pub(crate) struct Builder {
    pub notice: Span,
    pub items: Vec<ItemStatus>,
}

impl Builder {
    pub fn new(m: &Model, notice: usize) -> Builder {
        Builder {
            notice: m.notices[notice].id.span,
            items: Vec::new(),
        }
    }

    /// Add an item; `span` is where the fact (or the entry that should hold it) is written,
    /// `Span::NONE` for the notice itself.
    pub fn push(
        &mut self,
        item: &'static str,
        what: &'static str,
        fact: impl Into<String>,
        required: bool,
        supplied: bool,
        span: Span,
    ) {
        self.items.push(ItemStatus {
            item,
            what,
            fact: fact.into(),
            required,
            supplied,
            span: if span.is_none() { self.notice } else { span },
        });
    }
}

/// Whether a party gives a way to reach it: an email, a phone number, a postal address or
/// a web address.
pub fn has_contact(p: &Party) -> bool {
    [&p.email, &p.phone, &p.address, &p.url]
        .iter()
        .any(|v| v.as_deref().is_some_and(|s| !s.trim().is_empty()))
}

/// The subject kinds a notice addresses under `regime`: those it lists, else every kind
/// in scope of the regime.
pub fn notice_subjects(m: &Model, notice: usize, regime: RegimeName) -> Vec<usize> {
    let n = &m.notices[notice];
    if !n.subjects.is_empty() {
        return n.subjects.clone();
    }
    (0..m.subjects.len())
        .filter(|&s| facts::subject_in_scope(m, s, regime))
        .collect()
}

/// The purposes a notice must describe: those that process data of the subjects it
/// addresses, and those whose subjects cannot be told from the manifest.
pub fn notice_purposes(m: &Model, subjects: &[usize]) -> Vec<usize> {
    let by_purpose = facts::purpose_subjects(m);
    (0..m.purposes.len())
        .filter(|&p| by_purpose[p].is_empty() || by_purpose[p].iter().any(|s| subjects.contains(s)))
        .collect()
}

/// Whether flow `f` serves one of the purposes `wanted` marks, or names no purpose.
fn serves(f: &FlowR, wanted: &[bool]) -> bool {
    f.purposes.is_empty() || f.purposes.iter().any(|&p| wanted[p])
}

/// `purposes` (indices into `Model::purposes`) as one mark per purpose, so that testing a
/// flow's purposes does not scan the list.
fn purpose_marks(m: &Model, purposes: &[usize]) -> Vec<bool> {
    let mut wanted = vec![false; m.purposes.len()];
    for &p in purposes {
        wanted[p] = true;
    }
    wanted
}

/// The recipients that flows serving `purposes` (or flows naming no purpose) reach.
pub fn notice_recipients(m: &Model, purposes: &[usize]) -> Vec<usize> {
    let wanted = purpose_marks(m, purposes);
    let mut out: Vec<usize> = m
        .flows
        .iter()
        .filter(|f| serves(f, &wanted))
        .filter_map(|f| match f.to {
            NodeRef::Recipient(r) => Some(r),
            _ => None,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The flows serving `purposes` (or naming no purpose).
pub fn notice_flows(m: &Model, purposes: &[usize]) -> Vec<usize> {
    let wanted = purpose_marks(m, purposes);
    (0..m.flows.len())
        .filter(|&fi| serves(&m.flows[fi], &wanted))
        .collect()
}

/// Whether a purpose's retention is known: it declares one, or every dataset it uses does
/// (and it uses at least one).
pub fn retention_known(m: &Model, p: usize) -> bool {
    if m.purposes[p].decl.retention.is_some() {
        return true;
    }
    let used = &facts::purpose_datasets(m)[p];
    !used.is_empty() && used.iter().all(|&d| m.datasets[d].decl.retention.is_some())
}

/// For each subject kind, whether its data is processed: a dataset lists it, or a flow
/// starts at it.
pub fn processed_subjects(m: &Model) -> Vec<bool> {
    let mut out = vec![false; m.subjects.len()];
    for d in &m.datasets {
        for &s in &d.subjects {
            out[s] = true;
        }
    }
    for f in &m.flows {
        if let NodeRef::Subject(s) = f.from {
            out[s] = true;
        }
    }
    out
}

/// Whether notice `notice` addresses subject kind `s`: it lists it, or lists none.
pub fn addresses(m: &Model, notice: usize, s: usize) -> bool {
    let n = &m.notices[notice];
    n.subjects.is_empty() || n.subjects.contains(&s)
}

/// The findings text of the missing items: "`fact`, `fact` (item: what)", items with the
/// same provision and wording grouped, at most `max` groups.
pub fn describe_missing(items: &[&ItemStatus], max: usize) -> String {
    let mut groups: Vec<(&str, &str, Vec<&str>)> = Vec::new();
    for i in items {
        match groups
            .iter_mut()
            .find(|(item, what, _)| *item == i.item && *what == i.what)
        {
            Some(g) => g.2.push(&i.fact),
            None => groups.push((i.item, i.what, vec![&i.fact])),
        }
    }
    let n = groups.len();
    let mut parts: Vec<String> = groups
        .into_iter()
        .take(max)
        .map(|(item, what, facts)| {
            let facts: Vec<String> = facts.iter().map(|f| format!("`{f}`")).collect();
            format!("{} ({item}: {what})", facts.join(", "))
        })
        .collect();
    if n > max {
        parts.push(format!("and {} more", n - max));
    }
    parts.join("; ")
}
