//! PIPL-ART17-NOTICE-CONTENT: every kind of individual in PIPL scope is told, before
//! processing, what the checklist of REGULATIONS.md §2.2 requires; in Chinese for people in
//! China; with dedicated rules for children under 14.

use crate::manifest::types::{Language, NoticeDelivery, NoticeKind, RegimeName};
use crate::manifest::yaml::Span;
use crate::report::Severity;
use crate::rules::checklist::{self, ItemStatus};
use crate::rules::facts;
use crate::rules::gdpr::art13_14_notice_content::plural;
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART17-NOTICE-CONTENT",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 17, 23, 24(2), 25, 30, 31, 39, 52; NDSMR Art 21",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "Individuals in PIPL scope get no notice, a notice lacks a required item, or it comes after processing, not in Chinese, or without rules for children",
    explanation: "Before processing personal information, the handler tells the individual, prominently and in clear and easily understood language, truthfully, accurately and completely: its name and contact method; the purposes and methods of processing, the categories of personal information and how long they are kept; how individuals exercise their rights; and any other matter the law requires (PIPL Art 17(1)). Changes are notified (17(2)). More is required when the handler processes sensitive personal information (why it is necessary and its impact, Art 30), children under 14 (guardian consent and dedicated processing rules, Art 31), provides personal information to another handler (the recipient's name and contact, Art 23) or abroad (the foreign recipient's name and contact and how to exercise rights against it, Art 39), targets information or marketing (an option not based on personal characteristics, Art 24(2)), makes it public (separate consent, Art 25), or has reached 1,000,000 individuals (the officer's contact, Art 52).\n\nlawful reports: a kind of individual in PIPL scope whose data is processed that no `pipl_art17` notice addresses (a notice without `subjects` addresses every kind in scope); for each notice, the checklist items (REGULATIONS.md §2.2, rows 1–5, 7, 9–12, 14, 15 and 17) whose manifest fact is missing, with Chinese text required for a notice published in `zh-CN`; a notice delivered `after_processing`; a notice for people living in mainland China without `zh-CN` among its `languages` (the Chinese text governs for them; this is good practice rather than a letter of the law, and the message says so); and a kind of individual that may include children under 14 that no notice with `for_minors: true` addresses.\n\nNot yet checked: rows 6 (other laws), 8 (Art 18 exceptions), 13 (mergers), 16 (cameras in public places) and 18 (the NDSMR list of SDKs and recipients); whether the text is prominent and clear. A notice for people in mainland China that is not published in Chinese is reported as a warning rather than an error: Art 17 asks for clear and easily understood language without naming one.",
    fix: "Declare a notice for each audience, published in Chinese before processing, and the facts it lacks.\n\n```yaml\nnotices:\n  app_rules:\n    kind: pipl_art17\n    subjects: [user]\n    channels: [app]\n    languages: [zh-CN, en]\n    delivery: before_processing\n    change_notification: { zh-CN: 规则更新时通过应用内弹窗通知并重新征得同意。 }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let notices: Vec<usize> = (0..m.notices.len())
        .filter(|&n| m.notices[n].decl.kind.value == NoticeKind::PiplArt17)
        .collect();
    let processed = checklist::processed_subjects(m);

    for (s, subj) in m.subjects.iter().enumerate() {
        if !processed[s] || !facts::subject_in_scope(m, s, RegimeName::Pipl) {
            continue;
        }
        let target = format!("subjects.{}", subj.id.value);
        // (a) No notice at all.
        if !notices.iter().any(|&n| checklist::addresses(m, n, s)) {
            let d = out
                .at(
                    subj.id.span,
                    "no PIPL notice",
                    format!(
                        "the personal information of `{}` is processed but no `notices:` entry of kind `pipl_art17` addresses them (PIPL Art 17(1))",
                        subj.id.value
                    ),
                )
                .with_target(target.clone());
            out.push(d);
            continue;
        }
        // (c) Children under 14: dedicated processing rules.
        if facts::may_be_under(m, s, 14)
            && !notices.iter().any(|&n| {
                checklist::addresses(m, n, s) && facts::is_true(&m.notices[n].decl.for_minors)
            })
        {
            let d = out
                .at(
                    subj.id.span,
                    "may be under 14",
                    format!(
                        "`{}` may include children under 14, but no `pipl_art17` notice addressing them has `for_minors: true`: children's personal information needs its own processing rules (PIPL Art 31; 儿童个人信息网络保护规定 Art 8)",
                        subj.id.value
                    ),
                )
                .with_target(target);
            out.push(d);
        }
    }

    for &n in &notices {
        let nr = &m.notices[n];
        let id = &nr.id.value;
        let target = format!("notices.{id}");

        // (b) Missing items.
        let items = checklist::pipl(m, n);
        let missing: Vec<&ItemStatus> = items.iter().filter(|i| i.missing()).collect();
        if !missing.is_empty() {
            let mut d = out
                .at(
                    nr.id.span,
                    format!("{} missing", plural(missing.len(), "item")),
                    format!(
                        "PIPL notice `{id}` cannot be completed from the manifest; declare {}",
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

        // (c) Delivered after processing started.
        if let Some(dl) = nr
            .decl
            .delivery
            .as_ref()
            .filter(|d| d.value == NoticeDelivery::AfterProcessing)
        {
            let d = out
                .at(
                    dl.span,
                    "after processing",
                    format!(
                        "PIPL notice `{id}` is delivered after processing starts; individuals must be told before their personal information is processed (PIPL Art 17(1)); set `delivery: before_processing`"
                    ),
                )
                .with_target(target.clone());
            out.push(d);
        }

        // (c) Chinese for people living in mainland China.
        let in_cn = checklist::notice_subjects(m, n, RegimeName::Pipl)
            .into_iter()
            .find(|&s| {
                m.subjects[s]
                    .decl
                    .lives_in
                    .iter()
                    .any(|p| p.is_mainland_china())
            });
        if let Some(s) = in_cn
            && !nr.decl.languages.iter().any(|l| l.value == Language::ZhCn)
        {
            let span = nr
                .decl
                .languages
                .first()
                .map(|l| l.span)
                .unwrap_or(nr.id.span);
            let mut d = out
                .at(
                    span,
                    "no `zh-CN`",
                    format!(
                        "PIPL notice `{id}` addresses `{}`, who live in mainland China, but `zh-CN` is not among its `languages`: publish it in Chinese, so that it is clear and easily understood for them (PIPL Art 17(1)); a warning, since the law asks for clear language rather than naming one",
                        m.subjects[s].id.value
                    ),
                )
                .with_secondary(m.subjects[s].id.span, "lives in mainland China")
                .with_target(target);
            d.severity = crate::report::Severity::Warning;
            out.push(d);
        }
    }
}
