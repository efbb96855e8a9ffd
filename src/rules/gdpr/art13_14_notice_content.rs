//! GDPR-ART13-14-NOTICE-CONTENT: every kind of data subject whose data is collected has an
//! Art 13 notice, every dataset obtained elsewhere an Art 14 notice or exemption, each
//! notice can be filled from the manifest (checklist of REGULATIONS.md §2.1), and it reaches
//! people in time.

use crate::manifest::types::{DataSource, NoticeDelivery, NoticeKind, RegimeName};
use crate::manifest::yaml::Span;
use crate::report::Severity;
use crate::rules::checklist::{self, ItemStatus};
use crate::rules::facts;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART13-14-NOTICE-CONTENT",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 12(1), 13, 14",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_13",
    default_severity: Severity::Error,
    summary: "People whose data is processed get no GDPR notice, a notice lacks a mandatory item, or it is not given in time",
    explanation: "When personal data is collected from the data subject, the controller tells them, at the time of collection, who it is and how to reach it and its DPO, the purposes and legal basis, the legitimate interests, the recipients, any transfer outside the EEA and its safeguards, how long the data is kept, their rights, that consent can be withdrawn, that they can complain to a supervisory authority, whether they must provide the data, and any automated decision-making with its logic (Art 13). When the data comes from elsewhere, Art 14 asks for much the same plus the categories of data and its source, within a month of obtaining it, at the first communication or at the latest on first disclosure (Art 14(3)), unless an Art 14(5) exemption applies. The information is concise, transparent and in plain language (Art 12(1)).\n\nlawful generates the notices from the manifest, so it reports: a kind of data subject in GDPR scope whose data is collected directly (a flow from it, or a dataset listing it whose `source` is `subject` or unset) that no `gdpr_art13` notice addresses (a notice without `subjects` addresses every kind); a dataset with a `source` other than `subject` and no `notice_exemption` that no `gdpr_art14` notice covers; for each notice, the checklist items (REGULATIONS.md §2.1, rows 1–14 and 16) whose manifest fact is missing, such as `organization.supervisory_authority`, a purpose's `data_required` or a consent's `withdrawal`; and a `delivery` that is not timely: `at_collection` for Art 13; `within_one_month`, `first_communication`, `first_disclosure` (or `before_processing`) for Art 14.\n\nNot yet checked: row 15 (a new purpose needs the notice updated first: it needs the previous manifest), the separate statement of the right to object (Art 21(4)), the essence of joint-controller arrangements (Art 26(2)), and whether the text is plain language. Transfers are read from the countries of the flows' ends, without the data-flow graph.",
    fix: "Declare a notice for each audience and the facts it lacks; lawful generates its text.\n\n```yaml\norganization:\n  name: Example Shop GmbH\n  establishments: [DE]\n  contact: { email: privacy@example.de }\n  supervisory_authority: Berliner Beauftragte für Datenschutz und Informationsfreiheit\nnotices:\n  web_privacy:\n    kind: gdpr_art13\n    subjects: [customer]\n    channels: [web]\n    languages: [en]\n    delivery: at_collection\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let of_kind = |k: NoticeKind| {
        (0..m.notices.len())
            .filter(move |&n| m.notices[n].decl.kind.value == k)
            .collect::<Vec<_>>()
    };
    let art13 = of_kind(NoticeKind::GdprArt13);
    let art14 = of_kind(NoticeKind::GdprArt14);

    // (a) Subject kinds collected from directly without an Art 13 notice.
    let mut direct = vec![false; m.subjects.len()];
    for f in &m.flows {
        if let crate::model::NodeRef::Subject(s) = f.from {
            direct[s] = true;
        }
    }
    for d in &m.datasets {
        if d.decl.source.is_none_or(|s| s == DataSource::Subject) {
            for &s in &d.subjects {
                direct[s] = true;
            }
        }
    }
    for (s, subj) in m.subjects.iter().enumerate() {
        if !direct[s] || !facts::subject_in_scope(m, s, RegimeName::Gdpr) {
            continue;
        }
        if art13.iter().any(|&n| checklist::addresses(m, n, s)) {
            continue;
        }
        let d = out
            .at(
                subj.id.span,
                "no Art 13 notice",
                format!(
                    "data is collected from `{}` but no `notices:` entry of kind `gdpr_art13` addresses them (GDPR Art 13(1))",
                    subj.id.value
                ),
            )
            .with_target(format!("subjects.{}", subj.id.value));
        out.push(d);
    }

    // (a) Datasets obtained from other sources without an Art 14 notice or exemption.
    for (di, ds) in m.datasets.iter().enumerate() {
        let Some(source) = ds.decl.source.filter(|s| *s != DataSource::Subject) else {
            continue;
        };
        if ds.decl.notice_exemption.is_some() || !ds.is_personal(&m.taxonomy) {
            continue;
        }
        let in_scope = if ds.subjects.is_empty() {
            true
        } else {
            ds.subjects
                .iter()
                .any(|&s| facts::subject_in_scope(m, s, RegimeName::Gdpr))
        };
        if !in_scope {
            continue;
        }
        let covered = art14.iter().any(|&n| {
            let nr = &m.notices[n];
            if nr.datasets.is_empty() {
                nr.subjects.is_empty() || nr.subjects.iter().any(|s| ds.subjects.contains(s))
            } else {
                nr.datasets.contains(&di)
            }
        });
        if covered {
            continue;
        }
        let d = out
            .at(
                ds.id.span,
                "no Art 14 notice",
                format!(
                    "dataset `{}` is obtained from a source other than the data subject (`source: {}`) but no `gdpr_art14` notice covers it and it declares no `notice_exemption` (GDPR Art 14(1), (5))",
                    ds.id.value,
                    source_key(source)
                ),
            )
            .with_target(format!("datasets.{}", ds.id.value));
        out.push(d);
    }

    for &n in art13.iter().chain(&art14) {
        let nr = &m.notices[n];
        let id = &nr.id.value;
        let target = format!("notices.{id}");
        let kind = if nr.decl.kind.value == NoticeKind::GdprArt14 {
            "Art 14"
        } else {
            "Art 13"
        };

        // (b) Missing items.
        let items = checklist::gdpr(m, n);
        let missing: Vec<&ItemStatus> = items.iter().filter(|i| i.missing()).collect();
        if !missing.is_empty() {
            let mut d = out
                .at(
                    nr.id.span,
                    format!("{} missing", plural(missing.len(), "item")),
                    format!(
                        "GDPR {kind} notice `{id}` cannot be completed from the manifest; declare {}",
                        checklist::describe_missing(&missing, 8)
                    ),
                )
                .with_target(target.clone());
            let mut seen: Vec<Span> = vec![nr.id.span];
            for i in &missing {
                if seen.len() > 3 {
                    break;
                }
                if !seen.contains(&i.span) {
                    seen.push(i.span);
                    d = d.with_secondary(i.span, format!("needs `{}`", i.fact));
                }
            }
            out.push(d);
        }

        // (c) Timing.
        let Some(delivery) = &nr.decl.delivery else {
            continue;
        };
        let timely = match nr.decl.kind.value {
            NoticeKind::GdprArt14 => matches!(
                delivery.value,
                NoticeDelivery::WithinOneMonth
                    | NoticeDelivery::FirstCommunication
                    | NoticeDelivery::FirstDisclosure
                    | NoticeDelivery::BeforeProcessing
            ),
            _ => delivery.value == NoticeDelivery::AtCollection,
        };
        if !timely {
            let need = if kind == "Art 14" {
                "within a month of obtaining the data, at the first communication, or at the latest on first disclosure (GDPR Art 14(3))"
            } else {
                "when the data is obtained: `delivery: at_collection` (GDPR Art 13(1))"
            };
            let d = out
                .at(
                    delivery.span,
                    "not in time",
                    format!(
                        "GDPR {kind} notice `{id}` is delivered `{}`; it must reach people {need}",
                        delivery_key(delivery.value)
                    ),
                )
                .with_target(target);
            out.push(d);
        }
    }
}

pub(crate) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

fn source_key(s: DataSource) -> &'static str {
    match s {
        DataSource::Subject => "subject",
        DataSource::ThirdParty => "third_party",
        DataSource::Public => "public",
        DataSource::Observed => "observed",
        DataSource::Inferred => "inferred",
    }
}

pub(crate) fn delivery_key(d: NoticeDelivery) -> &'static str {
    match d {
        NoticeDelivery::AtCollection => "at_collection",
        NoticeDelivery::BeforeProcessing => "before_processing",
        NoticeDelivery::WithinOneMonth => "within_one_month",
        NoticeDelivery::FirstCommunication => "first_communication",
        NoticeDelivery::FirstDisclosure => "first_disclosure",
        NoticeDelivery::AfterProcessing => "after_processing",
    }
}
