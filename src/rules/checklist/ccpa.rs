//! CCPA notice checklists (REGULATIONS.md §2.3): the notice at collection (Cal. Civ. Code
//! 1798.100(a); 11 CCR 7012(e), (g)) and the privacy policy (1798.130(a)(5); 11 CCR
//! 7011(e)). Only the rows a manifest fact can supply are listed; the explanation of the
//! rights and other fixed wording come from the notice template.

use super::ItemStatus;
use crate::manifest::types::{
    CcpaCategory, CcpaRole, ConsentKind, NoticeKind, RegimeName, RightKind, SpiUse,
};
use crate::manifest::yaml::Span;
use crate::model::{Model, NodeRef};
use crate::rules::facts::{
    self, Declared, consents_by_purpose, has_consent, list_ids, subject_in_scope,
};
use crate::taxonomy::{CatId, Category};

/// Businesses handling the personal information of this many consumers a year publish
/// request metrics (11 CCR 7102(a)).
const METRICS_THRESHOLD: u64 = 10_000_000;

/// The 1798.140(v)(1) letters of a taxonomy category: (A)–(K) from its `ccpa_category`,
/// and (L) when it is sensitive personal information (1798.140(ae)).
pub fn letters(c: &Category) -> impl Iterator<Item = &'static str> {
    let main = match c.ccpa_category {
        Some(CcpaCategory::A) => Some("A"),
        Some(CcpaCategory::B) => Some("B"),
        Some(CcpaCategory::C) => Some("C"),
        Some(CcpaCategory::D) => Some("D"),
        Some(CcpaCategory::E) => Some("E"),
        Some(CcpaCategory::F) => Some("F"),
        Some(CcpaCategory::G) => Some("G"),
        Some(CcpaCategory::H) => Some("H"),
        Some(CcpaCategory::I) => Some("I"),
        Some(CcpaCategory::J) => Some("J"),
        Some(CcpaCategory::K) => Some("K"),
        Some(CcpaCategory::None) | None => None,
    };
    main.into_iter().chain(c.is_ccpa_spi().then_some("L"))
}

/// The subject kinds a CCPA notice addresses: those it names, or every kind within the
/// CCPA's reach when it names none.
pub fn notice_subjects(m: &Model, notice: usize) -> Vec<usize> {
    let n = &m.notices[notice];
    if !n.subjects.is_empty() {
        return n.subjects.clone();
    }
    (0..m.subjects.len())
        .filter(|&s| subject_in_scope(m, s, RegimeName::Ccpa))
        .collect()
}

/// Whether any flow is declared a sale or sharing.
pub fn sells_or_shares(m: &Model) -> bool {
    m.flows.iter().any(|f| {
        [&f.decl.sale, &f.decl.share]
            .into_iter()
            .flatten()
            .any(|b| b.value)
    })
}

/// What a notice covers: its datasets and the personal categories they and the flows from
/// its subjects collect, each with the place it was first seen.
struct Scope {
    datasets: Vec<usize>,
    cats: Vec<(CatId, Span)>,
}

fn scope(m: &Model, notice: usize) -> Scope {
    let subjects = notice_subjects(m, notice);
    let open = m.notices[notice].subjects.is_empty();
    let t = &m.taxonomy;
    let datasets: Vec<usize> = m
        .datasets
        .iter()
        .enumerate()
        .filter(|(_, d)| {
            d.is_personal(t)
                && (d.subjects.iter().any(|s| subjects.contains(s))
                    || (open && d.subjects.is_empty()))
        })
        .map(|(i, _)| i)
        .collect();
    let mut cats: Vec<(CatId, Span)> = Vec::new();
    let mut seen = vec![false; t.len()];
    let add = |cats: &mut Vec<(CatId, Span)>, seen: &mut [bool], c: CatId, span: Span| {
        if t.cat(c).personal && !std::mem::replace(&mut seen[c.0 as usize], true) {
            cats.push((c, span));
        }
    };
    for &d in &datasets {
        // A dataset whose personal categories were all seen adds nothing: skip its fields.
        if facts::personal_categories(m, d)
            .iter()
            .all(|c| seen[c.0 as usize])
        {
            continue;
        }
        for f in &m.datasets[d].fields {
            for c in &f.categories {
                add(&mut cats, &mut seen, c.cat, f.name.span);
            }
        }
    }
    for f in &m.flows {
        if let (NodeRef::Subject(s), Some(cs)) = (f.from, &f.categories)
            && subjects.contains(&s)
        {
            for c in cs {
                add(&mut cats, &mut seen, c.cat, c.span);
            }
        }
    }
    Scope { datasets, cats }
}

fn item(
    item: &'static str,
    what: &'static str,
    fact: String,
    required: bool,
    supplied: bool,
    span: Span,
) -> ItemStatus {
    ItemStatus {
        item,
        what,
        fact,
        required,
        supplied,
        span,
    }
}

fn ids<'a>(v: impl IntoIterator<Item = &'a str>) -> String {
    list_ids(v, 4)
}

/// The first span of a list that is not `Span::NONE`, else `fallback`.
fn first_span(spans: impl IntoIterator<Item = Span>, fallback: Span) -> Span {
    spans.into_iter().find(|s| !s.is_none()).unwrap_or(fallback)
}

/// 1798.140(v)(1): every collected category is mapped to its letters.
fn categories_item(m: &Model, sc: &Scope, at: Span, item_id: &'static str) -> ItemStatus {
    let t = &m.taxonomy;
    let what = "the categories of personal information collected, including sensitive personal information, by their 1798.140(v)(1) letters";
    if sc.cats.is_empty() {
        return item(
            item_id,
            what,
            "datasets listing these subjects under `subjects`, with categorised fields".into(),
            true,
            false,
            at,
        );
    }
    let unflagged: Vec<&(CatId, Span)> = sc
        .cats
        .iter()
        .filter(|(c, _)| {
            let c = t.cat(*c);
            c.ccpa_category.is_none() || c.ccpa_spi.is_none()
        })
        .collect();
    if unflagged.is_empty() {
        let mut letters_seen: Vec<&str> = sc
            .cats
            .iter()
            .flat_map(|(c, _)| letters(t.cat(*c)))
            .collect();
        letters_seen.sort_unstable();
        letters_seen.dedup();
        let shown: Vec<String> = letters_seen.iter().map(|l| format!("({l})")).collect();
        return item(
            item_id,
            what,
            format!(
                "the taxonomy's `ccpa_category` and `ccpa_spi` of each collected category: {}",
                if shown.is_empty() {
                    "none is a CCPA category".to_string()
                } else {
                    shown.join(", ")
                }
            ),
            true,
            true,
            at,
        );
    }
    item(
        item_id,
        what,
        format!(
            "`ccpa_category` and `ccpa_spi` of {} under `categories:`",
            ids(unflagged.iter().map(|(c, _)| t.cat(*c).id.as_str()))
        ),
        true,
        false,
        first_span(unflagged.iter().map(|(c, _)| t.cat(*c).span), at),
    )
}

/// 7012(e)(2), 7011(e)(1)(C): every collected category is declared by a purpose.
fn purposes_item(m: &Model, sc: &Scope, at: Span, item_id: &'static str) -> ItemStatus {
    let t = &m.taxonomy;
    let declared = Declared::new(m);
    let uncovered: Vec<&(CatId, Span)> = sc
        .cats
        .iter()
        .filter(|(c, _)| !declared.is_covered(m, *c))
        .collect();
    let what = "the purposes for which each category is collected and used";
    if uncovered.is_empty() {
        return item(
            item_id,
            what,
            "`purposes.*.categories`".into(),
            true,
            !sc.cats.is_empty(),
            at,
        );
    }
    item(
        item_id,
        what,
        format!(
            "a purpose whose `categories` name {}",
            ids(uncovered.iter().map(|(c, _)| t.cat(*c).id.as_str()))
        ),
        true,
        false,
        first_span(uncovered.iter().map(|(_, s)| *s), at),
    )
}

/// Flows to a recipient that is not a service provider or contractor and do not say
/// whether they are a sale and a sharing.
fn unclassified_flows(m: &Model) -> Vec<usize> {
    (0..m.flows.len())
        .filter(|&fi| {
            let f = &m.flows[fi];
            let NodeRef::Recipient(r) = f.to else {
                return false;
            };
            let role = m.recipients[r].decl.role.ccpa.as_ref().map(|c| c.value);
            !matches!(role, Some(CcpaRole::ServiceProvider | CcpaRole::Contractor))
                && (f.decl.sale.is_none() || f.decl.share.is_none())
        })
        .collect()
}

fn flow_label(m: &Model, fi: usize) -> String {
    let f = &m.flows[fi].decl;
    match &f.id {
        Some(id) => id.value.clone(),
        None => format!("{}->{}", f.from.value, f.to.value),
    }
}

/// 7012(e)(3), 7011(e)(1)(D): every flow to a possible third party says `sale` and `share`.
fn sold_shared_item(m: &Model, at: Span, item_id: &'static str, what: &'static str) -> ItemStatus {
    let open = unclassified_flows(m);
    let labels: Vec<String> = open.iter().map(|&fi| flow_label(m, fi)).collect();
    item(
        item_id,
        what,
        if open.is_empty() {
            "`sale` and `share` of each flow to a third party".into()
        } else {
            format!(
                "`sale` and `share` on flow {}",
                ids(labels.iter().map(String::as_str))
            )
        },
        true,
        open.is_empty(),
        first_span(open.iter().map(|&fi| m.flows[fi].decl.to.span), at),
    )
}

/// 7012(e)(4): every dataset holding a CCPA category declares its retention.
fn retention_item(m: &Model, sc: &Scope, at: Span, item_id: &'static str) -> ItemStatus {
    let t = &m.taxonomy;
    let missing: Vec<usize> = sc
        .datasets
        .iter()
        .copied()
        .filter(|&d| {
            let ds = &m.datasets[d];
            ds.decl.retention.is_none()
                && ds.fields.iter().any(|f| {
                    f.categories
                        .iter()
                        .any(|c| t.cat(c.cat).personal && letters(t.cat(c.cat)).next().is_some())
                })
        })
        .collect();
    item(
        item_id,
        "how long each category is kept, or the criteria used to decide",
        if missing.is_empty() {
            "`datasets.*.retention`".into()
        } else {
            format!(
                "`retention` of dataset {}",
                ids(missing.iter().map(|&d| m.datasets[d].id.value.as_str()))
            )
        },
        true,
        missing.is_empty(),
        first_span(missing.iter().map(|&d| m.datasets[d].id.span), at),
    )
}

fn optout(m: &Model) -> Option<&crate::manifest::yaml::Sp<crate::manifest::types::OptOut>> {
    m.organization.as_ref().and_then(|o| o.optout.as_ref())
}

/// 7012(e)(5), 7011(e)(3): the opt-out link, when the business sells or shares.
fn dnss_item(m: &Model, at: Span, item_id: &'static str) -> ItemStatus {
    let o = optout(m);
    let supplied = o.is_some_and(|o| o.dnss_link.is_some() || o.alternative_link.is_some());
    item(
        item_id,
        "a link to the Notice of Right to Opt-out of Sale/Sharing (\"Do Not Sell or Share My Personal Information\")",
        "`organization.optout.dnss_link` or `alternative_link`".into(),
        sells_or_shares(m),
        supplied,
        o.map(|o| o.span).unwrap_or(at),
    )
}

/// Whether a purpose declares sensitive personal information and uses it beyond 7027(m).
fn spi_beyond(m: &Model) -> bool {
    m.purposes.iter().any(|p| {
        p.decl
            .ccpa_spi_use
            .as_ref()
            .is_some_and(|u| u.value == SpiUse::BeyondPermitted)
    })
}

/// Subject kinds whose data a sold or shared flow carries.
fn sold_subjects(m: &Model) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    for (fi, f) in m.flows.iter().enumerate() {
        let sold = [&f.decl.sale, &f.decl.share]
            .into_iter()
            .flatten()
            .any(|b| b.value);
        if !sold {
            continue;
        }
        match f.from {
            NodeRef::Subject(s) => out.push((fi, s)),
            NodeRef::Dataset(d) => out.extend(m.datasets[d].subjects.iter().map(|&s| (fi, s))),
            _ => {}
        }
    }
    out
}

/// The checklist of a `ccpa_notice_at_collection` notice (REGULATIONS.md §2.3.1).
pub fn notice_at_collection(m: &Model, notice: usize) -> Vec<ItemStatus> {
    let n = &m.notices[notice];
    let at = n.id.span;
    let sc = scope(m, notice);
    let mut out = vec![
        categories_item(m, &sc, at, "1798.100(a)(1); 11 CCR 7012(e)(1)"),
        purposes_item(m, &sc, at, "1798.100(a)(1); 11 CCR 7012(e)(2)"),
        sold_shared_item(
            m,
            at,
            "1798.100(a)(1)–(2); 11 CCR 7012(e)(3)",
            "whether each category is sold or shared",
        ),
        retention_item(m, &sc, at, "1798.100(a)(3); 11 CCR 7012(e)(4)"),
        dnss_item(m, at, "11 CCR 7012(e)(5)"),
    ];
    let policy = m
        .notices
        .iter()
        .find(|p| p.decl.kind.value == NoticeKind::CcpaPrivacyPolicy && p.decl.url.is_some())
        .or_else(|| {
            m.notices
                .iter()
                .find(|p| p.decl.kind.value == NoticeKind::CcpaPrivacyPolicy)
        });
    out.push(item(
        "11 CCR 7012(e)(6)",
        "a link to the privacy policy",
        match policy {
            Some(p) => format!("`notices.{}.url`", p.id.value),
            None => "a `ccpa_privacy_policy` notice with a `url`".into(),
        },
        true,
        policy.is_some_and(|p| p.decl.url.is_some()),
        policy.map(|p| p.id.span).unwrap_or(at),
    ));
    let controlling: Vec<usize> = (0..m.recipients.len())
        .filter(|&r| {
            m.recipients[r]
                .decl
                .controls_collection
                .as_ref()
                .is_some_and(|b| b.value)
        })
        .collect();
    let unnamed: Vec<usize> = controlling
        .iter()
        .copied()
        .filter(|&r| m.recipients[r].decl.name.value.trim().is_empty())
        .collect();
    out.push(item(
        "11 CCR 7012(g)",
        "the names of the third parties that control the collection of personal information on the business's premises or site",
        if unnamed.is_empty() {
            "`name` of each recipient with `controls_collection: true`".into()
        } else {
            format!(
                "`name` of recipient {}",
                ids(unnamed.iter().map(|&r| m.recipients[r].id.value.as_str()))
            )
        },
        !controlling.is_empty(),
        unnamed.is_empty(),
        first_span(unnamed.iter().map(|&r| m.recipients[r].id.span), at),
    ));
    let purposes = super::notice_purposes(m, &notice_subjects(m, notice));
    out.extend(super::translations(
        m,
        notice,
        &purposes,
        "11 CCR 7003(b), 7012",
    ));
    out
}

/// The checklist of a `ccpa_privacy_policy` notice (REGULATIONS.md §2.3.2). Whether
/// `last_updated` is recent is for the rule to judge against today's date.
pub fn privacy_policy(m: &Model, notice: usize) -> Vec<ItemStatus> {
    let n = &m.notices[notice];
    let at = n.id.span;
    let sc = scope(m, notice);
    let org = m.organization.as_ref();
    let sells = sells_or_shares(m);
    let mut out = vec![categories_item(m, &sc, at, "11 CCR 7011(e)(1)(A)")];

    let no_source: Vec<usize> = sc
        .datasets
        .iter()
        .copied()
        .filter(|&d| m.datasets[d].decl.source.is_none())
        .collect();
    out.push(item(
        "11 CCR 7011(e)(1)(B)",
        "the categories of sources of personal information",
        if no_source.is_empty() {
            "`datasets.*.source`".into()
        } else {
            format!(
                "`source` of dataset {}",
                ids(no_source.iter().map(|&d| m.datasets[d].id.value.as_str()))
            )
        },
        true,
        no_source.is_empty(),
        first_span(no_source.iter().map(|&d| m.datasets[d].id.span), at),
    ));
    out.push(purposes_item(m, &sc, at, "11 CCR 7011(e)(1)(C)"));
    out.push(sold_shared_item(
        m,
        at,
        "11 CCR 7011(e)(1)(D)",
        "the categories sold or shared in the last 12 months, or that none were",
    ));
    let aimless: Vec<usize> = sold_subjects(m)
        .into_iter()
        .map(|(fi, _)| fi)
        .filter(|&fi| m.flows[fi].purposes.is_empty())
        .collect();
    let mut aimless = aimless;
    aimless.dedup();
    let labels: Vec<String> = aimless.iter().map(|&fi| flow_label(m, fi)).collect();
    out.push(item(
        "11 CCR 7011(e)(1)(F)",
        "the business or commercial purpose of selling or sharing",
        if aimless.is_empty() {
            "`purposes` of each sold or shared flow".into()
        } else {
            format!(
                "`purposes` on flow {}",
                ids(labels.iter().map(String::as_str))
            )
        },
        sells,
        aimless.is_empty(),
        first_span(aimless.iter().map(|&fi| m.flows[fi].decl.to.span), at),
    ));
    let mut unroled: Vec<usize> = m
        .flows
        .iter()
        .filter_map(|f| match f.to {
            NodeRef::Recipient(r) if m.recipients[r].decl.role.ccpa.is_none() => Some(r),
            _ => None,
        })
        .collect();
    unroled.sort_unstable();
    unroled.dedup();
    out.push(item(
        "11 CCR 7011(e)(1)(E), (I)",
        "the categories of third parties and other recipients each category is disclosed to",
        if unroled.is_empty() {
            "`recipients.*.role.ccpa`".into()
        } else {
            format!(
                "`role.ccpa` of recipient {}",
                ids(unroled.iter().map(|&r| m.recipients[r].id.value.as_str()))
            )
        },
        m.flows
            .iter()
            .any(|f| matches!(f.to, NodeRef::Recipient(_))),
        unroled.is_empty(),
        first_span(unroled.iter().map(|&r| m.recipients[r].id.span), at),
    ));
    let sold = sold_subjects(m);
    let mut ageless: Vec<usize> = sold
        .iter()
        .map(|&(_, s)| s)
        .filter(|&s| m.subjects[s].decl.min_age.is_none())
        .collect();
    ageless.sort_unstable();
    ageless.dedup();
    out.push(item(
        "11 CCR 7011(e)(1)(G)",
        "whether the business has actual knowledge that it sells or shares the personal information of consumers under 16",
        if ageless.is_empty() {
            "`min_age` of each kind of subject whose data is sold or shared".into()
        } else {
            format!(
                "`min_age` of subjects {}",
                ids(ageless.iter().map(|&s| m.subjects[s].id.value.as_str()))
            )
        },
        sells,
        ageless.is_empty(),
        first_span(ageless.iter().map(|&s| m.subjects[s].id.span), at),
    ));
    let t = &m.taxonomy;
    let spi_unstated: Vec<usize> = (0..m.purposes.len())
        .filter(|&p| {
            let p = &m.purposes[p];
            p.decl.ccpa_spi_use.is_none() && p.categories.iter().any(|c| t.cat(c.cat).is_ccpa_spi())
        })
        .collect();
    out.push(item(
        "11 CCR 7011(e)(1)(K)",
        "whether sensitive personal information is used or disclosed beyond the purposes of 11 CCR 7027(m)",
        if spi_unstated.is_empty() {
            "`purposes.*.ccpa_spi_use`".into()
        } else {
            format!(
                "`ccpa_spi_use` of purpose {}",
                ids(spi_unstated.iter().map(|&p| m.purposes[p].id.value.as_str()))
            )
        },
        sc.cats.iter().any(|(c, _)| t.cat(*c).is_ccpa_spi()) || !spi_unstated.is_empty(),
        spi_unstated.is_empty(),
        first_span(spi_unstated.iter().map(|&p| m.purposes[p].id.span), at),
    ));

    // (e)(3): how to exercise the rights.
    let mut rights = vec![
        RightKind::Access,
        RightKind::Erasure,
        RightKind::Rectification,
    ];
    if sells {
        rights.push(RightKind::OptOutSaleShare);
    }
    if spi_beyond(m) {
        rights.push(RightKind::LimitSpi);
    }
    let handler = |k: RightKind| m.rights.as_ref().and_then(|r| r.handler(k));
    let rights_span = m.rights.as_ref().map(|r| r.decl.span).unwrap_or(at);
    let absent: Vec<&str> = rights
        .iter()
        .filter(|&&k| handler(k).is_none())
        .map(|k| k.key())
        .collect();
    out.push(item(
        "1798.130(a)(5); 11 CCR 7011(e)(3)",
        "how to exercise the rights to know, delete and correct (and to opt out and limit, where they apply)",
        format!(
            "`rights.{}`",
            if absent.is_empty() {
                rights.iter().map(|k| k.key()).collect::<Vec<_>>().join("`, `rights.")
            } else {
                absent.join("`, `rights.")
            }
        ),
        true,
        absent.is_empty(),
        rights_span,
    ));
    let present: Vec<(
        RightKind,
        &crate::manifest::yaml::Sp<crate::manifest::types::RightHandler>,
    )> = rights
        .iter()
        .filter_map(|&k| handler(k).map(|h| (k, h)))
        .collect();
    let lacking =
        |f: &dyn Fn(&crate::manifest::types::RightHandler) -> bool| -> Vec<(RightKind, Span)> {
            present
                .iter()
                .filter(|(_, h)| !f(&h.value))
                .map(|(k, h)| (*k, h.span))
                .collect()
        };
    let handler_item = |item_id: &'static str,
                        what: &'static str,
                        key: &str,
                        miss: Vec<(RightKind, Span)>,
                        required: bool| {
        item(
            item_id,
            what,
            if miss.is_empty() {
                format!("`{key}` of each rights handler")
            } else {
                miss.iter()
                    .map(|(k, _)| format!("`rights.{}.{key}`", k.key()))
                    .collect::<Vec<_>>()
                    .join(", ")
            },
            required,
            miss.is_empty(),
            miss.first().map(|(_, s)| *s).unwrap_or(rights_span),
        )
    };
    out.push(handler_item(
        "1798.130(a)(1); 11 CCR 7011(e)(3)",
        "the methods for submitting requests",
        "channels",
        lacking(&|h| !h.channels.is_empty()),
        true,
    ));
    out.push(dnss_item(m, at, "1798.135(a)(1); 11 CCR 7011(e)(3)"));
    let o = optout(m);
    out.push(item(
        "1798.135(a)(2); 11 CCR 7011(e)(3)",
        "a link to the Notice of Right to Limit (\"Limit the Use of My Sensitive Personal Information\")",
        "`organization.optout.limit_link` or `alternative_link`".into(),
        spi_beyond(m),
        o.is_some_and(|o| o.limit_link.is_some() || o.alternative_link.is_some()),
        o.map(|o| o.span).unwrap_or(at),
    ));
    out.push(handler_item(
        "11 CCR 7011(e)(3), 7060–7062",
        "how requesters' identity is verified",
        "verification",
        lacking(&|h| h.verification.is_some())
            .into_iter()
            .filter(|(k, _)| {
                // Opt-out and limit requests need no verification (11 CCR 7026(d), 7027(e)).
                !matches!(k, RightKind::OptOutSaleShare | RightKind::LimitSpi)
            })
            .collect(),
        true,
    ));
    out.push(item(
        "1798.135(b), (e); 11 CCR 7011(e)(3), 7025",
        "how opt-out preference signals (Global Privacy Control) are processed",
        "`organization.optout.gpc`".into(),
        sells,
        o.is_some_and(|o| o.gpc.is_some()),
        o.map(|o| o.span).unwrap_or(at),
    ));
    out.push(handler_item(
        "11 CCR 7011(e)(3), 7063",
        "how an authorised agent can make a request",
        "authorised_agents",
        lacking(&|h| h.authorised_agents.is_some()),
        true,
    ));
    let consents = consents_by_purpose(m);
    let mut minors: Vec<usize> = Vec::new();
    let mut no_opt_in: Vec<usize> = Vec::new();
    for &(fi, s) in &sold {
        if m.subjects[s].decl.min_age.is_some_and(|a| a < 16) {
            minors.push(s);
            for &p in &m.flows[fi].purposes {
                if !has_consent(m, &consents, p, &[ConsentKind::OptIn], None) {
                    no_opt_in.push(p);
                }
            }
        }
    }
    no_opt_in.sort_unstable();
    no_opt_in.dedup();
    out.push(item(
        "1798.120(c); 11 CCR 7011(e)(3), 7070–7071",
        "the opt-in process for consumers under 16 whose personal information is sold or shared",
        if no_opt_in.is_empty() {
            "a consent of kind `opt_in` covering each purpose that sells or shares minors' data"
                .into()
        } else {
            format!(
                "a consent of kind `opt_in` covering purpose {}",
                ids(no_opt_in.iter().map(|&p| m.purposes[p].id.value.as_str()))
            )
        },
        !minors.is_empty(),
        no_opt_in.is_empty(),
        first_span(no_opt_in.iter().map(|&p| m.purposes[p].id.span), at),
    ));
    let contact = org.map(|o| &o.contact);
    out.push(item(
        "11 CCR 7011(e)(3)",
        "a contact for questions about the policy",
        "`organization.contact` with an `email`, `phone`, `url` or `address`".into(),
        true,
        contact.is_some_and(|c| {
            c.email.is_some() || c.phone.is_some() || c.url.is_some() || c.address.is_some()
        }),
        org.map(|o| o.span).unwrap_or(at),
    ));
    out.push(item(
        "1798.130(a)(5); 11 CCR 7011(e)(4)",
        "the date the policy was last updated",
        format!("`notices.{}.last_updated`", n.id.value),
        true,
        n.decl.last_updated.is_some(),
        n.decl.last_updated.as_ref().map(|d| d.span).unwrap_or(at),
    ));
    let consumers = org
        .and_then(|o| o.ca_consumers_per_year.as_ref())
        .map(|v| v.value)
        .unwrap_or(0);
    let log = m.rights.as_ref().and_then(|r| r.decl.request_log.as_ref());
    out.push(item(
        "11 CCR 7011(e)(5), 7102",
        "the request metrics of the previous calendar year, or a link to them",
        "`rights.request_log.metrics_url`".into(),
        consumers >= METRICS_THRESHOLD,
        log.is_some_and(|l| l.metrics_url.is_some()),
        log.map(|l| l.span).unwrap_or(at),
    ));
    let purposes = super::notice_purposes(m, &notice_subjects(m, notice));
    out.extend(super::translations(
        m,
        notice,
        &purposes,
        "11 CCR 7003(b), 7011",
    ));
    out
}
