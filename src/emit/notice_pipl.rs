//! The PIPL Art 17 notice (个人信息处理规则, published as a 个人信息保护政策), in
//! Simplified Chinese (the text that governs for users in mainland China) and English.
//!
//! Rust builds a serializable [`PiplContext`] with every sentence's facts already in words
//! of the notice's language; the templates `templates/pipl_art17.zh-CN.md.hbs` and
//! `templates/pipl_art17.en.md.hbs` (strict mode, through [`crate::emit::templates::render`])
//! only lay them out. The content follows REGULATIONS.md §2.2 and covers what the checklist
//! of [`crate::rules::checklist::pipl`] finds supplied:
//!
//! - the handler's name and contact (Art 17(1)(1)); the PIPO's contact when declared (Art 52)
//!   and the representative in China of a handler abroad (Art 53);
//! - per purpose: title, description (the method), the Art 13 basis in words, the
//!   categories with their taxonomy labels, sensitive categories in bold, with the purpose's
//!   `necessity` as the necessity and impact statement (Art 30), whether the data is
//!   required and what happens without it, the purpose's retention, and how to withdraw
//!   the consents it relies on (Art 15);
//! - entrusted processing (Art 21), joint handlers (Art 20) and provision to other handlers
//!   (Art 23): name, contact, purposes, method, categories, separate consent;
//! - export (Art 38, 39): the foreign recipient's name, country, role, contact, purposes,
//!   method, categories, the mechanism, and how to exercise rights against it. A flow from
//!   mainland China to the organisation's own system or dataset abroad is an export too:
//!   its foreign recipient is the organisation's establishment there ("our head office in
//!   Germany" when that is the country of `organization.contact`), with the organisation's
//!   contact, and rights are exercised through the notice's own channels;
//! - public disclosure (Art 25) and targeted push or automated decisions (Art 24), with the
//!   non-personalised option and how to refuse;
//! - retention per personal dataset, with what happens when the period ends (NDSMR Art 21);
//! - security measures, when declared;
//! - how to exercise each right declared under `rights:` (Art 44–50, account cancellation,
//!   the close relatives of a deceased user);
//! - for a notice with `for_minors: true`, the guardian's consent and its verification
//!   (Art 31); a general notice links to the project's rules for children instead;
//! - how changes are notified (Art 17(2)), the version, date and address (Art 17(3)).
//!
//! Decisions:
//! - What a notice covers is what the checklist uses: [`notice_subjects`] and
//!   [`notice_purposes`]; its datasets are the personal datasets of those subjects.
//! - A purpose's categories are those it declares; a declared category is followed, in
//!   brackets, by the finer categories the notice's datasets hold under it that the purpose
//!   does not declare itself (`children.under_14` → the child's nickname, birth month…).
//! - Manifest text is shown in the notice's language. Where a text lacks it, the other
//!   language is shown rather than nothing (see [`text`]); PIPL-ART17-NOTICE-CONTENT reports
//!   the missing Chinese text of a notice published in Chinese.
//! - A recipient reached by an export flow is described under export only, with its role.
//! - Exports to the organisation's own systems and datasets abroad are described once per
//!   destination country, before the recipients; what counts as an export is
//!   `graph::is_pipl_export`, as for the rules.
//! - The rights section states the statutory limits: restricting or refusing processing
//!   gives way where laws or administrative regulations provide otherwise (Art 44), and the
//!   transfer to another handler applies where the CAC's conditions are met (Art 45(3)).
//! - The handler of requests by a deceased user's relatives is shown only when it reaches a
//!   dataset of the notice's subjects (the children's rules of chayu do not show it).
//! - Retention after anonymisation: when a personal field is kept or hashed, the rest of the
//!   row is de-identified (去标识化, Art 73(3)), not anonymised (匿名化, Art 73(4)), and the
//!   notice says so.
//! - In the rules for children, "you" is the guardian; rights read "the child's personal
//!   information".

use serde::Serialize;

use crate::Project;
use crate::emit::words::{cat_label, country_name, duration_words, list, list_or, lower_first, zh};
use crate::emit::{humanize, source_list, words};
use crate::graph::CatSet;
use crate::manifest::types::{
    AnonymiseMethod, ConsentKind, DataRequired, Language, NoticeKind, Party, PiplBasis, PiplRole,
    PiplTransfer, RegimeName, RequestChannel, RetentionAction, RightHandler, RightKind,
};
use crate::manifest::{Date, Deadline, Localized, Period, Span};
use crate::model::{ConsentR, Model, NodeRef};
use crate::reference::countries;
use crate::report::Diagnostic;
use crate::rules::checklist::pipl::{export_recipient, export_to_own};
use crate::rules::checklist::{notice_flows, notice_purposes, notice_recipients, notice_subjects};
use crate::rules::facts;
use crate::taxonomy::CatId;

const ZH: &str = include_str!("templates/pipl_art17.zh-CN.md.hbs");
const EN: &str = include_str!("templates/pipl_art17.en.md.hbs");

/// Everything the templates show.
#[derive(Serialize, Debug)]
pub struct PiplContext {
    pub generated_from: String,
    pub title: String,
    pub version: Option<String>,
    pub last_updated: Option<String>,
    pub url: Option<String>,
    /// The dedicated rules for children under 14 (Art 31).
    pub for_minors: bool,
    /// Whom the notice addresses, in words.
    pub audience: Option<String>,
    /// Where the notice applies: "App、小程序和门店".
    pub channels: Option<String>,
    pub handler: PartyCx,
    pub pipo: Option<PartyCx>,
    pub representative: Option<PartyCx>,
    /// Section numbers of the sections present ("一" / "1").
    pub n: Sections,
    pub purposes: Vec<PurposeCx>,
    pub has_sensitive: bool,
    pub guardian: Vec<GuardianCx>,
    pub entrusted: Vec<RecipientCx>,
    pub joint: Vec<RecipientCx>,
    pub provided: Vec<RecipientCx>,
    pub other_recipients: Vec<RecipientCx>,
    pub exports: Vec<RecipientCx>,
    /// How to exercise rights against the foreign recipients (Art 39).
    pub export_rights: Option<String>,
    pub published: Vec<PublishedCx>,
    pub personalised: Vec<PersonalisedCx>,
    /// Every dataset of the notice is stored in mainland China.
    pub stored_in_cn: bool,
    pub retention: Vec<RetentionCx>,
    pub security: Option<String>,
    pub rights: Vec<RightCx>,
    /// Sentences true of every right listed (same deadline, no fee, reasons for refusal).
    pub rights_common: Vec<String>,
    pub deceased: Option<RightCx>,
    /// The project's rules for children, linked from a general notice.
    pub minors_rules: Option<LinkCx>,
    /// The notice's subjects may include children under 14.
    pub has_minors: bool,
    pub change_notification: Option<String>,
}

/// The numeral of each section present; absent sections have none.
#[derive(Serialize, Debug, Default)]
pub struct Sections {
    pub collect: Option<String>,
    pub share: Option<String>,
    pub export: Option<String>,
    pub public: Option<String>,
    pub personalised: Option<String>,
    pub store: Option<String>,
    pub protect: Option<String>,
    pub rights: Option<String>,
    pub minors: Option<String>,
    pub update: Option<String>,
    pub contact: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct PartyCx {
    pub name: String,
    pub lines: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct PurposeCx {
    pub title: String,
    pub description: Option<String>,
    pub basis: Option<String>,
    /// Categories, sensitive ones in bold.
    pub categories: Option<String>,
    pub sensitive: Option<String>,
    /// Why the sensitive information is necessary, and its impact (Art 30).
    pub necessity: Option<String>,
    pub required: Option<String>,
    pub if_not_provided: Option<String>,
    pub retention: Option<String>,
    pub withdrawals: Vec<WithdrawalCx>,
}

#[derive(Serialize, Debug)]
pub struct WithdrawalCx {
    pub title: String,
    pub how: String,
}

#[derive(Serialize, Debug)]
pub struct GuardianCx {
    pub title: String,
    pub purposes: String,
    pub verification: Option<String>,
    pub withdrawal: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct RecipientCx {
    pub name: String,
    pub country: Option<String>,
    /// The PIPL role in words (export only).
    pub role: Option<String>,
    pub description: Option<String>,
    pub contact: Vec<String>,
    pub purposes: Option<String>,
    pub categories: Option<String>,
    /// A separate consent naming the recipient is asked for.
    pub separate_consent: bool,
    /// The export mechanism in words.
    pub mechanism: Option<String>,
    pub withdrawals: Vec<WithdrawalCx>,
    /// How to exercise rights against this foreign recipient, when said per recipient (the
    /// organisation's own establishment abroad); other recipients share `export_rights`.
    pub rights: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct PublishedCx {
    pub title: String,
    pub categories: Option<String>,
    pub separate_consent: bool,
    pub withdrawals: Vec<WithdrawalCx>,
}

#[derive(Serialize, Debug)]
pub struct PersonalisedCx {
    pub title: String,
    pub logic: Option<String>,
    pub targeted_push: bool,
    pub non_personalised_option: bool,
    /// `differential_pricing: false` is written: terms are the same for everyone.
    pub same_terms: bool,
    /// Solely automated with a significant effect (Art 24(3)).
    pub significant: bool,
    pub withdrawals: Vec<WithdrawalCx>,
}

#[derive(Serialize, Debug)]
pub struct RetentionCx {
    pub what: String,
    pub holds: Option<String>,
    pub period: String,
    pub end: String,
}

#[derive(Serialize, Debug)]
pub struct RightCx {
    /// What the right lets the person do.
    pub name: String,
    pub article: String,
    /// What happens when the request is made (account cancellation, deceased relatives).
    pub explanation: Option<String>,
    pub channels: Option<String>,
    pub sla: Option<String>,
    pub verification: Option<String>,
    /// What is passed on to recipients.
    pub propagates: Option<String>,
    pub fee: Option<String>,
    pub refusal: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct LinkCx {
    pub title: String,
    pub url: Option<String>,
}

/// The Markdown of PIPL notice `notice` (an index into `Model::notices`) in `lang`.
pub fn pipl_art17(
    p: &Project,
    notice: usize,
    lang: Language,
) -> Result<Option<String>, Vec<Diagnostic>> {
    let cx = context(p, notice, lang);
    let (name, builtin) = match lang {
        Language::ZhCn => ("pipl_art17.zh-CN.md.hbs", ZH),
        Language::En => ("pipl_art17.en.md.hbs", EN),
    };
    crate::emit::templates::render(p, name, builtin, &cx)
        .map(Some)
        .map_err(|d| vec![*d])
}

/// A manifest text in the notice's language. When that language is missing, the other one
/// is shown rather than nothing: a notice in Chinese then carries an English sentence, which
/// PIPL-ART17-NOTICE-CONTENT reports as a missing translation (`….zh-CN`).
fn text(l: &Localized, lang: Language) -> Option<String> {
    words::text(l, lang)
        .or_else(|| l.zh_cn.clone())
        .map(|s| s.trim().to_string())
}

/// Text set inside a Chinese sentence: a space on each side that meets Latin letters or
/// digits ("通过 App、小程序", "删除 Braze, Inc. 处理的"), as Chinese typesetting does.
fn inline(s: &str, lang: Language) -> String {
    if !zh(lang) {
        return s.to_string();
    }
    let latin = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '.');
    let mut out = String::new();
    if latin(s.chars().next()) {
        out.push(' ');
    }
    out.push_str(s);
    if latin(s.chars().last()) {
        out.push(' ');
    }
    out
}

/// An enumeration without "and": "甲、乙、丙" / "a, b, c".
fn enumerate(items: &[String], lang: Language) -> String {
    items.join(if zh(lang) { "、" } else { ", " })
}

/// Labels of categories, ordered by category id (related ones sit together), without
/// repeats; sensitive ones in bold when asked.
fn labels(m: &Model, cats: &[CatId], lang: Language, bold_sensitive: bool) -> Vec<String> {
    let mut cats = cats.to_vec();
    cats.sort_by(|a, b| m.taxonomy.cat(*a).id.cmp(&m.taxonomy.cat(*b).id));
    cats.dedup();
    let mut out: Vec<String> = Vec::new();
    for c in cats {
        let l = cat_label(m, c, lang);
        let l = if bold_sensitive && m.taxonomy.cat(c).is_pipl_sensitive() {
            format!("**{l}**")
        } else {
            l
        };
        if !out.contains(&l) {
            out.push(l);
        }
    }
    out
}

/// A date: "1 September 2026"; in Chinese, spaced as the rest of this notice sets digits
/// in Chinese text, "2026年9月1日".
fn date_words(d: Date, lang: Language) -> String {
    match lang {
        Language::ZhCn => format!("{}年{}月{}日", d.year, d.month, d.day),
        Language::En => words::date_words(d, lang),
    }
}

/// A response deadline: "1 month", "15 working days"; "1个月", "15个工作日".
fn deadline_words(d: &Deadline, lang: Language) -> String {
    match (d, lang) {
        (_, Language::ZhCn) => words::deadline_zh(d),
        (Deadline::BusinessDays(1), Language::En) => "1 working day".into(),
        (Deadline::BusinessDays(n), Language::En) => format!("{n} working days"),
        (Deadline::Calendar(c), Language::En) => c.to_english(),
    }
}

/// A party's contact lines in the notice's language.
fn contact_lines(p: &Party, lang: Language) -> Vec<String> {
    let zh = zh(lang);
    let mut lines = Vec::new();
    let mut push = |zh_label: &str, en_label: &str, v: &Option<String>| {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            lines.push(if zh {
                format!("{zh_label}：{v}")
            } else {
                format!("{en_label}: {v}")
            });
        }
    };
    push("电子邮箱", "Email", &p.email);
    push("电话", "Phone", &p.phone);
    push("通信地址", "Address", &p.address);
    push("网址", "Web", &p.url);
    if p.address.is_none()
        && let Some(c) = &p.country
    {
        lines.push(if zh {
            format!("所在国家或地区：{}", countries::name_zh(c.value.as_str()))
        } else {
            format!("Country: {}", countries::name_en(c.value.as_str()))
        });
    }
    lines
}

/// The PIPL Art 13(1) basis in words, with the kind of consent that carries it.
fn basis_words(
    b: PiplBasis,
    kinds: &[ConsentKind],
    law: Option<&str>,
    lang: Language,
) -> Option<String> {
    let zh = zh(lang);
    let s = match b {
        PiplBasis::Consent => {
            let (zh_kind, en_kind) = if kinds.contains(&ConsentKind::Guardian) {
                (
                    "取得儿童监护人的同意",
                    "the consent of the child's parent or guardian",
                )
            } else if kinds.contains(&ConsentKind::Written) {
                ("取得您的书面同意", "your written consent")
            } else if kinds.contains(&ConsentKind::Separate) {
                (
                    "取得您的单独同意",
                    "your separate consent, asked for on its own",
                )
            } else {
                ("取得您的同意", "your consent")
            };
            if zh {
                format!("{zh_kind}（《个人信息保护法》第十三条第一款第（一）项）")
            } else {
                format!("{en_kind} (PIPL Art 13(1)(1))")
            }
        }
        PiplBasis::ContractOrHr => {
            if zh {
                "为订立、履行您作为一方当事人的合同所必需（《个人信息保护法》第十三条第一款第（二）项）".into()
            } else {
                "it is necessary to conclude or perform a contract to which you are a party (PIPL Art 13(1)(2))".into()
            }
        }
        PiplBasis::StatutoryDuty => match (zh, law) {
            (true, Some(l)) => format!(
                "为履行法定义务所必需，依据为{l}（《个人信息保护法》第十三条第一款第（三）项）"
            ),
            (true, None) => "为履行法定职责或者法定义务所必需（《个人信息保护法》第十三条第一款第（三）项）".into(),
            (false, Some(l)) => format!(
                "it is necessary to fulfil a legal duty or obligation, under {l} (PIPL Art 13(1)(3))"
            ),
            (false, None) => {
                "it is necessary to fulfil a legal duty or obligation (PIPL Art 13(1)(3))".into()
            }
        },
        PiplBasis::Emergency => {
            if zh {
                "为应对突发公共卫生事件，或者紧急情况下为保护自然人的生命健康和财产安全所必需（《个人信息保护法》第十三条第一款第（四）项）".into()
            } else {
                "it is necessary to respond to a public health emergency, or to protect someone's life, health or property in an emergency (PIPL Art 13(1)(4))".into()
            }
        }
        PiplBasis::NewsPublicInterest => {
            if zh {
                "为公共利益实施新闻报道、舆论监督等行为，在合理的范围内处理（《个人信息保护法》第十三条第一款第（五）项）".into()
            } else {
                "news reporting or public-opinion supervision in the public interest, within a reasonable scope (PIPL Art 13(1)(5))".into()
            }
        }
        PiplBasis::DisclosedInfo => {
            if zh {
                "在合理的范围内处理您自行公开或者其他已经合法公开的个人信息（《个人信息保护法》第十三条第一款第（六）项）".into()
            } else {
                "the information was made public by you or otherwise lawfully, and is used within a reasonable scope (PIPL Art 13(1)(6))".into()
            }
        }
        PiplBasis::OtherLaw => match (zh, law) {
            (true, Some(l)) => {
                format!("{l}规定的情形（《个人信息保护法》第十三条第一款第（七）项）")
            }
            (true, None) => "法律、行政法规规定的其他情形（《个人信息保护法》第十三条第一款第（七）项）".into(),
            (false, Some(l)) => format!("a case provided for by {l} (PIPL Art 13(1)(7))"),
            (false, None) => "another case provided for by laws or administrative regulations (PIPL Art 13(1)(7))".into(),
        },
        // Not a PIPL basis: PIPL-ART13-LAWFUL-BASIS refuses the build; nothing to say.
        PiplBasis::LegitimateInterests => return None,
    };
    Some(s)
}

fn required_words(r: DataRequired, lang: Language) -> &'static str {
    match (r, lang) {
        (DataRequired::Statutory, Language::ZhCn) => "法律、行政法规要求提供",
        (DataRequired::Contractual, Language::ZhCn) => "履行合同所需，需要您提供",
        (DataRequired::ContractPrecondition, Language::ZhCn) => "订立合同所需，需要您提供",
        (DataRequired::Voluntary, Language::ZhCn) => "由您自愿选择是否提供",
        (DataRequired::Statutory, Language::En) => "Yes, the law requires it",
        (DataRequired::Contractual, Language::En) => "Yes, our contract with you requires it",
        (DataRequired::ContractPrecondition, Language::En) => {
            "Yes, it is needed to enter into a contract with you"
        }
        (DataRequired::Voluntary, Language::En) => "No, providing it is up to you",
    }
}

/// When a retention period starts, from its anchor field's name: "自交易完成之日起" /
/// "after completion". Names whose meaning is not clear are quoted, never guessed at.
fn anchor_words(field: &str, lang: Language) -> String {
    let w = words(field);
    let mut toks: Vec<&str> = w.split(' ').filter(|t| !t.is_empty()).collect();
    while toks.len() > 1
        && matches!(
            *toks.last().unwrap_or(&""),
            "at" | "on" | "date" | "time" | "ts" | "timestamp" | "datetime" | "utc"
        )
    {
        toks.pop();
    }
    let stem = toks.join(" ");
    let (zh, en) = match stem.as_str() {
        "created" | "create" | "creation" | "inserted" | "insert" | "date created" => {
            ("记录创建", "the record was created")
        }
        "updated" | "update" | "last update" | "last updated" | "modified" | "last modified"
        | "changed" | "last changed" => ("记录最后一次更新", "the record was last changed"),
        "last active" | "last activity" | "last seen" => ("最后一次使用", "your last activity"),
        "last used" | "last use" => ("最后一次使用", "the last use"),
        "last login" | "last logged in" | "last sign in" | "last signed in" => {
            ("最后一次登录", "your last sign-in")
        }
        "last order" | "last ordered" => ("最后一次下单", "your last order"),
        "completed" | "completion" => ("交易完成", "completion"),
        "paid" | "payment" => ("支付完成", "the payment"),
        "captured" | "collected" | "collection" | "recorded" => ("采集", "collection"),
        "requested" | "request" => ("提出申请", "the request"),
        "published" | "publication" => ("发布", "publication"),
        "closed" | "closure" => ("记录关闭", "the record was closed"),
        "submitted" | "submission" => ("提交", "submission"),
        "registered" | "registration" | "signed up" | "signup" => ("注册", "registration"),
        "placed" | "ordered" | "order" => ("下单", "the order"),
        "purchase" | "purchased" => ("购买", "the purchase"),
        "delivered" | "delivery" => ("送达", "delivery"),
        "cancelled" | "canceled" | "cancellation" => ("取消", "cancellation"),
        "terminated" | "termination" | "ended" | "end" => ("终止", "the end"),
        "expired" | "expiry" | "expires" => ("到期", "expiry"),
        "enrolled" | "enrolment" | "enrollment" => ("录入", "enrolment"),
        "occurred" | "event" | "happened" => ("事件发生", "the event"),
        _ => {
            return match lang {
                Language::ZhCn => format!("自记录中“{}”所载日期起", w.trim()),
                Language::En => format!("from the date recorded as ‘{}’", w.trim()),
            };
        }
    };
    match lang {
        Language::ZhCn => format!("自{zh}之日起"),
        Language::En => format!("after {en}"),
    }
}

/// What anonymisation leaves of a dataset's rows, from its personal fields' methods (as the
/// retention job applies them: the subject key and the anchor are kept unless they say
/// otherwise; any other personal field without a method is set to NULL). Fields are named
/// by their category labels.
fn anonymise_words(m: &Model, d: usize, lang: Language) -> String {
    let ds = &m.datasets[d];
    let mut erased: Vec<CatId> = Vec::new();
    let mut to_year: Vec<CatId> = Vec::new();
    let mut kept = false;
    for (i, f) in ds.fields.iter().enumerate() {
        if !f.is_personal(&m.taxonomy) {
            continue;
        }
        let method = if Some(i) == ds.subject_key {
            AnonymiseMethod::Keep
        } else {
            match f.decl.anonymise.as_ref() {
                Some(a) => a.value,
                None if Some(i) == ds.anchor => AnonymiseMethod::Keep,
                None => AnonymiseMethod::Null,
            }
        };
        let cats = f.categories.iter().map(|c| c.cat);
        match method {
            AnonymiseMethod::Null => erased.extend(cats),
            AnonymiseMethod::Year => to_year.extend(cats),
            AnonymiseMethod::Hash | AnonymiseMethod::Keep => kept = true,
        }
    }
    let erased = labels(m, &erased, lang, false);
    // A field cut to its year is a date; its category label ("account details") would not
    // say which, so the sentence speaks of dates.
    let to_year = !to_year.is_empty();
    let zh = zh(lang);
    if !kept {
        return match (zh, to_year) {
            (true, false) => "期满后进行匿名化处理，处理后的信息无法识别您的身份".into(),
            (true, true) => "期满后进行匿名化处理：删除可识别您身份的信息，日期仅保留年份".into(),
            (false, false) => {
                "then it is anonymised: what is left can no longer identify you".into()
            }
            (false, true) => {
                "then it is anonymised: we erase what identifies you and cut dates to the year"
                    .into()
            }
        };
    }
    let mut parts = Vec::new();
    if !erased.is_empty() {
        parts.push(if zh {
            format!("删除其中的{}", list(&erased, lang))
        } else {
            format!("we erase the {}", list(&erased, lang))
        });
    }
    if to_year {
        parts.push(
            if zh {
                "日期仅保留年份"
            } else {
                "we cut dates to the year"
            }
            .to_string(),
        );
    }
    match (zh, parts.is_empty()) {
        (true, true) => "期满后以去标识化方式保存".into(),
        (true, false) => format!("期满后{}，其余信息以去标识化方式保存", parts.join("，")),
        (false, true) => "then it is kept in de-identified form".into(),
        (false, false) => format!(
            "then {}; the rest is kept in de-identified form",
            parts.join(", and ")
        ),
    }
}

fn channel_words(c: &str, lang: Language) -> String {
    let (zh, en) = match c {
        "app" => ("App", "the app"),
        "mini_program" => ("小程序", "the mini program"),
        "store" => ("门店", "our stores"),
        "web" => ("网站", "our website"),
        "phone" => ("电话", "the phone"),
        "paper" => ("纸质文件", "paper forms"),
        other => (other, other),
    };
    if words::zh(lang) { zh } else { en }.to_string()
}

/// A request channel in words, with the address it uses when the organisation declares one.
fn request_channel(c: RequestChannel, org: &Party, lang: Language) -> Option<String> {
    let zh = zh(lang);
    let with = |zh_s: &str, en_s: &str, v: &Option<String>| {
        Some(match (zh, v) {
            (true, Some(v)) => format!("{zh_s}（{v}）"),
            (true, None) => zh_s.to_string(),
            (false, Some(v)) => format!("{en_s} ({v})"),
            (false, None) => en_s.to_string(),
        })
    };
    match c {
        RequestChannel::WebForm => with("网页表单", "through the web form", &org.url),
        RequestChannel::Email => with("电子邮件", "by email", &org.email),
        RequestChannel::TollFreePhone => {
            with("免费服务电话", "on our toll-free number", &org.phone)
        }
        RequestChannel::Phone => with("电话", "by phone", &org.phone),
        RequestChannel::InApp => with("App 内", "in the app", &None),
        RequestChannel::MiniProgram => with("小程序内", "in the mini program", &None),
        RequestChannel::InStore => with("门店柜台", "at any store counter", &None),
        RequestChannel::Post => with("邮寄信件", "by post", &org.address),
        // An opt-out preference signal is a CCPA mechanism, not a way to make PIPL requests.
        RequestChannel::Gpc => None,
    }
}

/// The rights a PIPL notice lists, in this order.
const RIGHTS: [RightKind; 11] = [
    RightKind::Access,
    RightKind::Portability,
    RightKind::Rectification,
    RightKind::Erasure,
    RightKind::Restriction,
    RightKind::Objection,
    RightKind::WithdrawConsent,
    RightKind::AutomatedDecision,
    RightKind::Explanation,
    RightKind::AccountCancellation,
    RightKind::DeceasedRelatives,
];

/// What a right lets the person do, and its article.
fn right_words(k: RightKind, lang: Language) -> (&'static str, &'static str) {
    let zh = zh(lang);
    match k {
        RightKind::Access if zh => ("查阅、复制您的个人信息", "第四十五条第一款"),
        RightKind::Access => (
            "See and get a copy of your personal information",
            "Art 45(1)",
        ),
        RightKind::Portability if zh => (
            "将您的个人信息转移至您指定的个人信息处理者",
            "第四十五条第三款",
        ),
        RightKind::Portability => (
            "Have your personal information transferred to another handler you name",
            "Art 45(3)",
        ),
        RightKind::Rectification if zh => ("更正、补充您的个人信息", "第四十六条"),
        RightKind::Rectification => ("Correct or complete your personal information", "Art 46"),
        RightKind::Erasure if zh => ("删除您的个人信息", "第四十七条"),
        RightKind::Erasure => ("Have your personal information deleted", "Art 47"),
        RightKind::Restriction if zh => ("限制我们处理您的个人信息", "第四十四条"),
        RightKind::Restriction => (
            "Restrict how we process your personal information",
            "Art 44",
        ),
        RightKind::Objection if zh => ("拒绝我们处理您的个人信息", "第四十四条"),
        RightKind::Objection => (
            "Refuse our processing of your personal information",
            "Art 44",
        ),
        RightKind::WithdrawConsent if zh => ("撤回您的同意", "第十五条"),
        RightKind::WithdrawConsent => ("Withdraw your consent", "Art 15"),
        RightKind::AutomatedDecision if zh => (
            "要求我们说明自动化决策，并拒绝仅通过自动化决策方式作出的对您个人权益有重大影响的决定",
            "第二十四条第三款",
        ),
        RightKind::AutomatedDecision => (
            "Ask us to explain an automated decision, and refuse a decision made solely by automated means that significantly affects your rights and interests",
            "Art 24(3)",
        ),
        RightKind::Explanation if zh => ("要求我们解释说明个人信息处理规则", "第四十八条"),
        RightKind::Explanation => ("Ask us to explain these rules", "Art 48"),
        RightKind::AccountCancellation if zh => ("注销您的账号", "第四十七条"),
        RightKind::AccountCancellation => ("Cancel your account", "Art 47"),
        RightKind::DeceasedRelatives if zh => ("近亲属对已故用户个人信息的权利", "第四十九条"),
        RightKind::DeceasedRelatives => {
            ("The rights of a deceased user's close relatives", "Art 49")
        }
        // Not PIPL rights (not in RIGHTS).
        _ => ("", ""),
    }
}

/// Section numerals: 一, 二, … or 1, 2, ….
fn numerals(lang: Language) -> impl FnMut() -> String {
    const ZH: [&str; 12] = [
        "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二",
    ];
    let mut i = 0usize;
    move || {
        i += 1;
        match lang {
            Language::ZhCn => ZH
                .get(i - 1)
                .map_or_else(|| i.to_string(), |s| s.to_string()),
            Language::En => i.to_string(),
        }
    }
}

fn role_words(r: PiplRole, lang: Language) -> &'static str {
    match (r, lang) {
        (PiplRole::EntrustedParty, Language::ZhCn) => "受托人，仅按照我们的委托处理个人信息",
        (PiplRole::OtherHandler, Language::ZhCn) => "其他个人信息处理者",
        (PiplRole::JointHandler, Language::ZhCn) => "与我们共同处理个人信息的处理者",
        (PiplRole::EntrustedParty, Language::En) => {
            "an entrusted party, which processes the information only on our instructions"
        }
        (PiplRole::OtherHandler, Language::En) => "another personal information handler",
        (PiplRole::JointHandler, Language::En) => "a handler that processes it jointly with us",
    }
}

fn mechanism_words(t: PiplTransfer, lang: Language) -> &'static str {
    match (t, lang) {
        (PiplTransfer::SecurityAssessment, Language::ZhCn) => {
            "已通过国家网信部门组织的数据出境安全评估（《个人信息保护法》第三十八条第一款第（一）项）"
        }
        (PiplTransfer::Certification, Language::ZhCn) => {
            "已经专业机构进行个人信息保护认证（《个人信息保护法》第三十八条第一款第（二）项）"
        }
        (PiplTransfer::StandardContract, Language::ZhCn) => {
            "我们已按照国家网信部门制定的标准合同与境外接收方订立合同，约定双方的权利和义务（《个人信息保护法》第三十八条第一款第（三）项）"
        }
        (PiplTransfer::ExemptContract, Language::ZhCn) => {
            "为订立、履行您作为一方当事人的合同，确需向境外提供（《促进和规范数据跨境流动规定》第五条第（一）项）"
        }
        (PiplTransfer::ExemptHr, Language::ZhCn) => {
            "按照依法制定的劳动规章制度和依法签订的集体合同实施跨境人力资源管理，确需向境外提供（《促进和规范数据跨境流动规定》第五条第（二）项）"
        }
        (PiplTransfer::ExemptEmergency, Language::ZhCn) => {
            "紧急情况下为保护自然人的生命健康和财产安全，确需向境外提供（《促进和规范数据跨境流动规定》第五条第（三）项）"
        }
        (PiplTransfer::ExemptVolume, Language::ZhCn) => {
            "自当年1月1日起累计向境外提供不满10万人的个人信息，且不含敏感个人信息（《促进和规范数据跨境流动规定》第五条第（四）项）"
        }
        (PiplTransfer::SecurityAssessment, Language::En) => {
            "a security assessment organised by the Cyberspace Administration of China (PIPL Art 38(1)(1))"
        }
        (PiplTransfer::Certification, Language::En) => {
            "personal information protection certification by a specialised body (PIPL Art 38(1)(2))"
        }
        (PiplTransfer::StandardContract, Language::En) => {
            "we have concluded a contract with the foreign recipient on the standard contract of the Cyberspace Administration of China, setting out both sides' rights and obligations (PIPL Art 38(1)(3))"
        }
        (PiplTransfer::ExemptContract, Language::En) => {
            "the export is needed to conclude or perform a contract to which you are a party (Provisions on Promoting and Regulating Cross-Border Data Flows, Art 5(1))"
        }
        (PiplTransfer::ExemptHr, Language::En) => {
            "the export is needed for cross-border human resources management under lawful labour rules (Provisions on Promoting and Regulating Cross-Border Data Flows, Art 5(2))"
        }
        (PiplTransfer::ExemptEmergency, Language::En) => {
            "the export is needed to protect someone's life, health or property in an emergency (Provisions on Promoting and Regulating Cross-Border Data Flows, Art 5(3))"
        }
        (PiplTransfer::ExemptVolume, Language::En) => {
            "fewer than 100,000 people's personal information, none of it sensitive, is provided abroad in a year (Provisions on Promoting and Regulating Cross-Border Data Flows, Art 5(4))"
        }
    }
}

/// How a notice's withdrawals are listed: the consents of some purposes that a filter keeps.
type Withdrawals<'a> = dyn Fn(&[usize], &dyn Fn(&ConsentR) -> bool) -> Vec<WithdrawalCx> + 'a;

/// The exports of `flows` to the organisation's own systems and datasets abroad, one entry
/// per destination country: the organisation (`name`, `contact`) is the foreign recipient,
/// as its head office when the country is that of `organization.contact`, else as its
/// establishment there.
#[allow(clippy::too_many_arguments)]
fn own_exports(
    p: &Project,
    flows: &[usize],
    purposes: &[usize],
    consents: &[Vec<usize>],
    name: &str,
    contact: &[String],
    lang: Language,
    withdrawals_of: &Withdrawals<'_>,
) -> Vec<RecipientCx> {
    let m = &p.model;
    let zh = zh(lang);
    let own: Vec<usize> = flows
        .iter()
        .copied()
        .filter(|&fi| export_to_own(m, fi))
        .collect();
    let dest = |fi: usize| {
        m.node_country(m.flows[fi].to)
            .map(|c| c.alpha2().to_string())
    };
    let mut countries: Vec<String> = Vec::new();
    for &fi in &own {
        if let Some(c) = dest(fi).filter(|c| !countries.contains(c)) {
            countries.push(c);
        }
    }
    let home = m
        .organization
        .as_ref()
        .and_then(|o| o.value.contact.country.as_ref())
        .map(|c| c.value.alpha2().to_string());
    let is_separate =
        |c: &ConsentR| c.decl.kind.value == ConsentKind::Separate && c.recipients.is_empty();
    let mut out = Vec::new();
    for c in countries {
        let group: Vec<usize> = own
            .iter()
            .copied()
            .filter(|&fi| dest(fi).as_deref() == Some(c.as_str()))
            .collect();
        let country = country_name(&c, lang);
        let head_office = home.as_deref() == Some(c.as_str());
        let place = match (zh, head_office) {
            (true, true) => format!("我们位于{country}的总部"),
            (true, false) => format!("我们位于{country}的机构"),
            (false, true) => format!("our head office in {country}"),
            (false, false) => format!("our establishment in {country}"),
        };
        // Where the data goes: the systems (or datasets without a system) it reaches.
        let mut places: Vec<String> = Vec::new();
        for &fi in &group {
            let system = match m.flows[fi].to {
                NodeRef::System(s) => Some(s),
                NodeRef::Dataset(d) => m.datasets[d].system,
                _ => None,
            };
            let t = match (system, m.flows[fi].to) {
                (Some(s), _) => {
                    let sy = &m.systems[s];
                    text(&sy.decl.title, lang).unwrap_or_else(|| humanize(&sy.id.value))
                }
                (None, NodeRef::Dataset(d)) => {
                    let ds = &m.datasets[d];
                    text(&ds.decl.title, lang).unwrap_or_else(|| humanize(&ds.id.value))
                }
                _ => continue,
            };
            let t = if zh { t } else { lower_first(&t) };
            if !places.contains(&t) {
                places.push(t);
            }
        }
        let mut ps: Vec<usize> = group
            .iter()
            .flat_map(|&fi| m.flows[fi].purposes.iter().copied())
            .filter(|q| purposes.contains(q))
            .collect();
        ps.sort_unstable();
        ps.dedup();
        let titles: Vec<String> = ps
            .iter()
            .map(|&q| {
                let pr = &m.purposes[q];
                text(&pr.decl.title, lang).unwrap_or_else(|| humanize(&pr.id.value))
            })
            .collect();
        let cats: Vec<CatId> = group
            .iter()
            .flat_map(|&fi| p.graph.flow_categories(fi).iter().collect::<Vec<_>>())
            .filter(|&c| m.taxonomy.cat(c).personal)
            .collect();
        let cat_labels = labels(m, &cats, lang, true);
        let mut mechanisms: Vec<String> = Vec::new();
        for &fi in &group {
            let t = m.flows[fi]
                .decl
                .transfer
                .as_ref()
                .and_then(|t| t.value.pipl.as_ref())
                .map(|t| mechanism_words(t.value, lang).to_string());
            if let Some(t) = t.filter(|t| !mechanisms.contains(t)) {
                mechanisms.push(t);
            }
        }
        let places = inline(&list(&places, lang), lang);
        let rights = if zh {
            format!(
                "您可以通过本政策“您如何行使个人信息权利”部分所列的途径，查阅、复制、更正、补充或删除{place}处理的您的个人信息；我们会统一受理并答复，您无需另行向{place}提出。"
            )
        } else {
            format!(
                "You exercise your rights over the personal information {place} processes (to see, copy, correct, complete or delete it) through the channels listed under “How you exercise your rights”; we handle and answer every request ourselves, so you need not contact {place} separately."
            )
        };
        out.push(RecipientCx {
            name: name.to_string(),
            country: Some(place),
            role: Some(
                if zh {
                    "我们自己在境外的机构，仅按照本政策所述的目的和方式处理您的个人信息"
                } else {
                    "our own establishment abroad, which processes the information only for the purposes and in the ways this policy describes"
                }
                .to_string(),
            ),
            description: (!places.trim().is_empty()).then(|| {
                if zh {
                    format!("在我们的{places}中存储和处理")
                } else {
                    format!("stored and processed in our {places}")
                }
            }),
            contact: contact.to_vec(),
            purposes: (!titles.is_empty()).then(|| list(&titles, lang)),
            categories: (!cat_labels.is_empty()).then(|| enumerate(&cat_labels, lang)),
            separate_consent: ps
                .iter()
                .any(|&q| consents[q].iter().any(|&ci| is_separate(&m.consents[ci]))),
            mechanism: (!mechanisms.is_empty())
                .then(|| mechanisms.join(if zh { "；" } else { "; " })),
            withdrawals: withdrawals_of(&ps, &is_separate),
            rights: Some(rights),
        });
    }
    out
}

/// Build the context of notice `notice` in `lang`.
pub fn context(p: &Project, notice: usize, lang: Language) -> PiplContext {
    let m = &p.model;
    let zh = zh(lang);
    let nr = &m.notices[notice];
    let n = &nr.decl.value;
    let for_minors = n.for_minors.as_ref().is_some_and(|b| b.value);
    let by_dataset = facts::dataset_purposes(m);
    let subjects = notice_subjects(m, notice, RegimeName::Pipl);
    let purposes = notice_purposes(m, &subjects);
    let consents = facts::consents_by_purpose(m);
    let org = m.organization.as_ref().map(|o| &o.value);
    let no_contact = Party::default();
    let org_contact = org.map_or(&no_contact, |o| &o.contact);

    // The personal datasets of the notice's subjects (and those without subjects that the
    // notice's purposes use).
    // Whether each purpose is one of the notice's.
    let mut in_notice = vec![false; m.purposes.len()];
    for &q in &purposes {
        in_notice[q] = true;
    }
    let datasets: Vec<usize> = (0..m.datasets.len())
        .filter(|&d| m.datasets[d].is_personal(&m.taxonomy))
        .filter(|&d| {
            let ds = &m.datasets[d];
            ds.subjects.iter().any(|s| subjects.contains(s))
                || (ds.subjects.is_empty() && by_dataset[d].iter().any(|&q| in_notice[q]))
        })
        .collect();

    let org_name = org.map(|o| o.name.value.clone());
    let title = text(&n.title, lang).unwrap_or_else(|| {
        let o = org_name.clone().unwrap_or_default();
        match (zh, for_minors) {
            (true, true) => format!("{o}儿童个人信息保护规则"),
            (true, false) => format!("{o}个人信息保护政策"),
            (false, true) => format!("{o} Rules for Children's Personal Information"),
            (false, false) => format!("{o} Personal Information Protection Policy"),
        }
    });
    let audience = {
        let t: Vec<String> = nr
            .subjects
            .iter()
            .map(|&s| {
                let sub = &m.subjects[s];
                let t = text(&sub.decl.title, lang).unwrap_or_else(|| words(&sub.id.value));
                if zh { t } else { lower_first(&t) }
            })
            .collect();
        (!t.is_empty()).then(|| list(&t, lang))
    };
    let channels = {
        let c: Vec<String> = n.channels.iter().map(|c| channel_words(c, lang)).collect();
        (!c.is_empty()).then(|| inline(&list(&c, lang), lang))
    };

    let handler = PartyCx {
        name: org_name.unwrap_or_else(|| if zh { "我们" } else { "We" }.to_string()),
        lines: contact_lines(org_contact, lang),
    };
    let pipo = org.and_then(|o| o.pipo.as_ref()).map(|pp| PartyCx {
        name: pp.value.name.clone().unwrap_or_else(|| {
            if zh {
                "个人信息保护负责人"
            } else {
                "Personal information protection officer"
            }
            .to_string()
        }),
        lines: contact_lines(&pp.value, lang),
    });
    let representative = org
        .and_then(|o| o.pipl_representative.as_ref())
        .map(|r| PartyCx {
            name: r.value.name.clone().unwrap_or_default(),
            lines: contact_lines(&r.value, lang),
        });

    // How to withdraw the consents of some purposes that `keep` accepts.
    let withdrawals_of = |ps: &[usize], keep: &dyn Fn(&ConsentR) -> bool| -> Vec<WithdrawalCx> {
        let mut seen: Vec<usize> = Vec::new();
        let mut out = Vec::new();
        for &q in ps {
            for &c in &consents[q] {
                let cr = &m.consents[c];
                if seen.contains(&c) || !keep(cr) {
                    continue;
                }
                seen.push(c);
                if let Some(how) = cr.decl.withdrawal.as_ref().and_then(|w| text(w, lang)) {
                    out.push(WithdrawalCx {
                        title: text(&cr.decl.title, lang).unwrap_or_else(|| words(&cr.id.value)),
                        how,
                    });
                }
            }
        }
        out
    };
    let purpose_title = |q: usize| {
        let pr = &m.purposes[q];
        text(&pr.decl.title, lang).unwrap_or_else(|| humanize(&pr.id.value))
    };

    // Purposes.
    let mut has_sensitive = false;
    let mut purpose_cx = Vec::new();
    // The notice's datasets each purpose uses, found once rather than per purpose.
    let mut used_by: Vec<Vec<usize>> = vec![Vec::new(); m.purposes.len()];
    for &ds in &datasets {
        for &q in &by_dataset[ds] {
            used_by[q].push(ds);
        }
    }
    for &q in &purposes {
        let pr = &m.purposes[q];
        let d = &pr.decl.value;
        let kinds: Vec<ConsentKind> = consents[q]
            .iter()
            .map(|&c| m.consents[c].decl.kind.value)
            .collect();
        let basis = m
            .pipl_basis(q)
            .and_then(|b| basis_words(b, &kinds, d.law_ref.as_deref(), lang));
        let declared: Vec<CatId> = pr.categories.iter().map(|c| c.cat).collect();
        let mut declared_set = CatSet::new(m.taxonomy.len());
        for &c in &declared {
            declared_set.insert(c);
        }
        // The personal categories the purpose's datasets hold and it does not declare, once
        // each (a purpose may use thousands of datasets holding the same few categories).
        let mut held = CatSet::new(m.taxonomy.len());
        for &ds in &used_by[q] {
            for &c in facts::personal_categories(m, ds) {
                held.insert(c);
            }
        }
        let undeclared: Vec<CatId> = held.iter().filter(|&x| !declared_set.contains(x)).collect();
        let mut sorted = declared.clone();
        sorted.sort_by(|a, b| m.taxonomy.cat(*a).id.cmp(&m.taxonomy.cat(*b).id));
        sorted.dedup();
        let mut shown: Vec<String> = Vec::new();
        for &c in &sorted {
            let finer: Vec<CatId> = undeclared
                .iter()
                .copied()
                .filter(|&x| x != c && m.taxonomy.is_within(x, c))
                .collect();
            let head = labels(m, &[c], lang, true).remove(0);
            shown.push(match (finer.is_empty(), zh) {
                (true, _) => head,
                (false, true) => {
                    format!(
                        "{head}（{}）",
                        enumerate(&labels(m, &finer, lang, true), lang)
                    )
                }
                (false, false) => {
                    format!(
                        "{head} ({})",
                        enumerate(&labels(m, &finer, lang, true), lang)
                    )
                }
            });
        }
        let sensitive_cats: Vec<CatId> = sorted
            .iter()
            .copied()
            .filter(|&c| m.taxonomy.cat(c).is_pipl_sensitive())
            .collect();
        has_sensitive |= !sensitive_cats.is_empty();
        let sensitive = (!sensitive_cats.is_empty())
            .then(|| list(&labels(m, &sensitive_cats, lang, false), lang));
        let necessity = (!sensitive_cats.is_empty())
            .then(|| d.necessity.as_ref().and_then(|l| text(l, lang)))
            .flatten();
        let retention = d.retention.as_ref().map(|r| {
            let period = duration_words(&r.value, lang);
            match (zh, &d.retention_legal_ref) {
                (true, Some(law)) => format!("{period}，依据{law}"),
                (false, Some(law)) => format!("{period}, under {law}"),
                (_, None) => period,
            }
        });
        purpose_cx.push(PurposeCx {
            title: purpose_title(q),
            description: text(&d.description, lang),
            basis,
            categories: (!shown.is_empty()).then(|| enumerate(&shown, lang)),
            sensitive,
            necessity,
            required: d
                .data_required
                .as_ref()
                .map(|r| required_words(r.value, lang).to_string()),
            if_not_provided: d.if_not_provided.as_ref().and_then(|l| text(l, lang)),
            retention,
            withdrawals: withdrawals_of(&[q], &|_| true),
        });
    }

    // Guardian consents (Art 31).
    let has_minors = subjects.iter().any(|&s| facts::may_be_under(m, s, 14));
    let mut guardian = Vec::new();
    if for_minors || has_minors {
        for (ci, c) in m.consents.iter().enumerate() {
            if c.decl.kind.value != ConsentKind::Guardian {
                continue;
            }
            let titles: Vec<String> = purposes
                .iter()
                .copied()
                .filter(|&q| consents[q].contains(&ci))
                .map(purpose_title)
                .collect();
            if titles.is_empty() {
                continue;
            }
            guardian.push(GuardianCx {
                title: text(&c.decl.title, lang).unwrap_or_else(|| words(&c.id.value)),
                purposes: list(&titles, lang),
                verification: c.decl.verification.as_ref().and_then(|v| text(v, lang)),
                withdrawal: c.decl.withdrawal.as_ref().and_then(|v| text(v, lang)),
            });
        }
    }

    // Recipients: entrustment, joint handling, provision, export.
    let flows = notice_flows(m, &purposes);
    let mut exported = vec![false; m.recipients.len()];
    // The notice's flows to each recipient, in flow order, found in one pass.
    let mut flows_to: Vec<Vec<usize>> = vec![Vec::new(); m.recipients.len()];
    for &fi in &flows {
        if let Some(r) = export_recipient(m, fi) {
            exported[r] = true;
        }
        if let NodeRef::Recipient(r) = m.flows[fi].to {
            flows_to[r].push(fi);
        }
    }
    let mut entrusted = Vec::new();
    let mut joint = Vec::new();
    let mut provided = Vec::new();
    let mut other_recipients = Vec::new();
    let mut exports = own_exports(
        p,
        &flows,
        &purposes,
        &consents,
        &handler.name,
        &handler.lines,
        lang,
        &|ps, keep| withdrawals_of(ps, keep),
    );
    for r in notice_recipients(m, &purposes) {
        let rd = &m.recipients[r].decl.value;
        let to_r = &flows_to[r];
        let mut ps: Vec<usize> = to_r
            .iter()
            .flat_map(|&fi| m.flows[fi].purposes.iter().copied())
            .filter(|&q| in_notice[q])
            .collect();
        ps.sort_unstable();
        ps.dedup();
        let cats: Vec<CatId> = to_r
            .iter()
            .flat_map(|&fi| p.graph.flow_categories(fi).iter().collect::<Vec<_>>())
            .filter(|&c| m.taxonomy.cat(c).personal)
            .collect();
        let titles: Vec<String> = ps.iter().map(|&q| purpose_title(q)).collect();
        let role = rd.role.pipl.as_ref().map(|r| r.value);
        let export = exported[r];
        let mechanism = if export {
            to_r.iter()
                .filter(|&&fi| export_recipient(m, fi).is_some())
                .find_map(|&fi| {
                    m.flows[fi]
                        .decl
                        .transfer
                        .as_ref()
                        .and_then(|t| t.value.pipl.as_ref())
                        .map(|t| mechanism_words(t.value, lang).to_string())
                })
        } else {
            None
        };
        let cat_labels = labels(m, &cats, lang, true);
        let cx = RecipientCx {
            name: rd.name.value.clone(),
            country: rd
                .country
                .as_ref()
                .map(|c| country_name(c.value.as_str(), lang)),
            role: if export {
                role.map(|r| role_words(r, lang).to_string())
            } else {
                None
            },
            description: text(&rd.description, lang),
            contact: rd
                .contact
                .as_ref()
                .map(|c| contact_lines(c, lang))
                .unwrap_or_default(),
            purposes: (!titles.is_empty()).then(|| list(&titles, lang)),
            categories: (!cat_labels.is_empty()).then(|| enumerate(&cat_labels, lang)),
            separate_consent: ps
                .iter()
                .any(|&q| facts::has_consent(m, &consents, q, &[ConsentKind::Separate], Some(r))),
            mechanism,
            withdrawals: withdrawals_of(&ps, &|c| c.recipients.contains(&r)),
            rights: None,
        };
        if export {
            exports.push(cx);
            continue;
        }
        match role {
            Some(PiplRole::EntrustedParty) => entrusted.push(cx),
            Some(PiplRole::JointHandler) => joint.push(cx),
            Some(PiplRole::OtherHandler) => provided.push(cx),
            None => other_recipients.push(cx),
        }
    }
    let rights = m.rights.as_ref();
    // Rights against foreign recipients other than the organisation's own establishments
    // (those carry their own sentence).
    let recipient_exports: Vec<&RecipientCx> =
        exports.iter().filter(|e| e.rights.is_none()).collect();
    let export_rights = (!recipient_exports.is_empty()).then(|| {
        let propagates = rights
            .and_then(|r| r.handler(RightKind::Erasure))
            .is_some_and(|h| facts::is_true(&h.propagates));
        let names: Vec<String> = recipient_exports.iter().map(|e| e.name.clone()).collect();
        let names = inline(&list(&names, lang), lang);
        match (zh, propagates) {
            (true, true) => format!(
                "您可以通过本政策“您如何行使个人信息权利”部分所列的途径，要求查阅、复制、更正、补充或删除{names}处理的您的个人信息。我们会将您的请求转达境外接收方，并要求其按照我们之间的合同约定配合处理。您也可以通过上述联系方式直接联系境外接收方。"
            ),
            (true, false) => format!(
                "您可以通过本政策“您如何行使个人信息权利”部分所列的途径，要求查阅、复制、更正、补充或删除{names}处理的您的个人信息，我们会协调境外接收方处理；您也可以通过上述联系方式直接联系境外接收方。"
            ),
            (false, true) => format!(
                "You can ask us, through the channels listed under “How you exercise your rights”, to give you access to, copy, correct, complete or delete the personal information {names} processes about you. We pass your request on to the foreign recipient and require it to act on it, as our contract with it provides. You can also contact the foreign recipient directly at the address above."
            ),
            (false, false) => format!(
                "You can ask us, through the channels listed under “How you exercise your rights”, to give you access to, copy, correct, complete or delete the personal information {names} processes about you, and we will arrange it with the foreign recipient; you can also contact the foreign recipient directly at the address above."
            ),
        }
    });

    // Public disclosure (Art 25), targeted push and automated decisions (Art 24).
    let mut published = Vec::new();
    let mut personalised = Vec::new();
    for &q in &purposes {
        let d = &m.purposes[q].decl.value;
        if d.publishes.as_ref().is_some_and(|b| b.value) {
            let cats: Vec<CatId> = m.purposes[q].categories.iter().map(|c| c.cat).collect();
            let l = labels(m, &cats, lang, true);
            published.push(PublishedCx {
                title: purpose_title(q),
                categories: (!l.is_empty()).then(|| enumerate(&l, lang)),
                separate_consent: facts::has_consent(
                    m,
                    &consents,
                    q,
                    &[ConsentKind::Separate],
                    None,
                ),
                withdrawals: withdrawals_of(&[q], &|_| true),
            });
        }
        if let Some(adm) = &d.automated_decision {
            let a = &adm.value;
            let significant = a.solely_automated.value && a.significant_effect.value;
            if !a.targeted_push.value && !significant && a.logic.is_none() {
                continue;
            }
            personalised.push(PersonalisedCx {
                title: purpose_title(q),
                logic: a.logic.as_ref().and_then(|l| text(l, lang)),
                targeted_push: a.targeted_push.value,
                non_personalised_option: a.non_personalised_option.value,
                // Only when written: the default says nothing either way.
                same_terms: !a.differential_pricing.value && !a.differential_pricing.span.is_none(),
                significant,
                // How to refuse the personalisation itself; the consents to provide data to
                // a named recipient are shown with the recipient.
                withdrawals: withdrawals_of(&[q], &|c| c.recipients.is_empty()),
            });
        }
    }

    // Storage and retention.
    let stored_in_cn = !datasets.is_empty()
        && datasets.iter().all(|&d| {
            m.datasets[d]
                .country(m)
                .is_some_and(|c| c.value.is_mainland_china())
        });
    let mut retention = Vec::new();
    for &d in &datasets {
        let ds = &m.datasets[d];
        let Some(ret) = ds.decl.retention.as_ref() else {
            continue;
        };
        let holds = labels(m, facts::personal_categories(m, d), lang, true);
        let anchor = ds.anchor.map_or_else(
            || {
                if zh {
                    "自记录所载日期起".to_string()
                } else {
                    "from the date stored with each record".to_string()
                }
            },
            |a| anchor_words(&ds.fields[a].name.value, lang),
        );
        let (period, end) = match &ret.period.value {
            Period::Duration(dur) => {
                let period = if zh {
                    format!("{anchor}保存{}", duration_words(dur, lang))
                } else {
                    format!("kept for {} {anchor}", duration_words(dur, lang))
                };
                let end = match ret.then.value {
                    RetentionAction::Delete => if zh {
                        "期满后删除"
                    } else {
                        "then it is deleted"
                    }
                    .to_string(),
                    RetentionAction::Anonymise => anonymise_words(m, d, lang),
                };
                (period, end)
            }
            Period::Indefinite => {
                if zh {
                    (
                        "未设定固定的保存期限".to_string(),
                        "我们仅在实现处理目的所必要的期间内保存，不再需要时予以删除或者匿名化处理"
                            .to_string(),
                    )
                } else {
                    (
                        "kept without a fixed end date".to_string(),
                        "we keep it only while its purpose needs it, then delete or anonymise it"
                            .to_string(),
                    )
                }
            }
        };
        retention.push(RetentionCx {
            what: text(&ds.decl.title, lang).unwrap_or_else(|| humanize(&ds.id.value)),
            holds: (!holds.is_empty()).then(|| enumerate(&holds, lang)),
            period,
            end,
        });
    }
    let security = org
        .and_then(|o| o.security_measures.as_ref())
        .and_then(|s| text(s, lang));

    // Rights.
    let mut handlers: Vec<(RightKind, &RightHandler)> = Vec::new();
    if let Some(r) = rights {
        for k in RIGHTS {
            let Some(h) = r.handler(k) else { continue };
            if k == RightKind::DeceasedRelatives && !datasets.iter().any(|&d| r.reaches(k, d)) {
                continue;
            }
            handlers.push((k, &h.value));
        }
    }
    // A fact shared by every handler listed is said once.
    let shared = |f: &dyn Fn(&RightHandler) -> Option<String>| -> Option<String> {
        let first = handlers.first().and_then(|(_, h)| f(h))?;
        handlers
            .iter()
            .all(|(_, h)| f(h).as_ref() == Some(&first))
            .then_some(first)
    };
    let common_sla = shared(&|h| h.sla.as_ref().map(|s| deadline_words(&s.value, lang)));
    let common_fee = shared(&|h| h.fee.as_ref().map(|f| f.value.to_string()));
    let common_refusal = shared(&|h| h.refusal_reasons.as_ref().map(|f| f.value.to_string()));
    let mut rights_common = Vec::new();
    if let Some(s) = &common_sla {
        rights_common.push(if zh {
            format!("我们将在核验您的身份后{s}内答复您的请求。")
        } else {
            format!("We answer your request within {s} of verifying your identity.")
        });
    }
    if common_fee.as_deref() == Some("false") {
        rights_common.push(
            if zh {
                "我们不会因您行使上述权利而收取费用。"
            } else {
                "We charge no fee for these requests."
            }
            .to_string(),
        );
    }
    if common_refusal.as_deref() == Some("true") {
        rights_common.push(
            if zh {
                "如我们拒绝您的请求，会向您说明理由（《个人信息保护法》第五十条）。"
            } else {
                "If we refuse a request, we tell you why (PIPL Art 50)."
            }
            .to_string(),
        );
    }
    let mut rights_cx = Vec::new();
    let mut deceased = None;
    for (k, h) in handlers {
        let (name, article) = right_words(k, lang);
        // In the rules for children, "you" is the guardian, who acts for the child.
        let name = if for_minors {
            name.replace("撤回您的同意", "撤回您作出的同意")
                .replace("对您个人权益", "对儿童个人权益")
                .replace("您的", "儿童的")
                .replace("affects your rights", "affects your child's rights")
                .replace(
                    "your personal information",
                    "your child's personal information",
                )
                .replace("your account", "your child's account")
                .replace("Withdraw your consent", "Withdraw the consent you gave")
        } else {
            name.to_string()
        };
        let chans: Vec<String> = h
            .channels
            .iter()
            .filter_map(|c| request_channel(c.value, org_contact, lang))
            .collect();
        let propagates = facts::is_true(&h.propagates).then(|| {
            match (k, zh) {
                (RightKind::WithdrawConsent, true) => "撤回同意后，我们将不再为相应目的处理个人信息，并通知接收方停止处理；撤回同意不影响撤回前基于同意已进行的处理活动的效力。",
                (RightKind::WithdrawConsent, false) => "Once you withdraw, we stop processing the information for that purpose and tell the recipients to stop too; processing done before you withdrew remains valid.",
                (_, true) => "我们会将您的请求一并通知已接收相关个人信息的受托人和其他接收方。",
                (_, false) => "We pass your request on to the entrusted parties and other recipients that received the information.",
            }
            .to_string()
        });
        let explanation = match (k, zh) {
            (RightKind::AccountCancellation, true) => Some(
                "注销账号后，我们将停止为该账号提供服务，并删除相关个人信息或者进行匿名化处理；法律、行政法规规定的保存期限未届满的信息（例如依法须保存的交易信息），我们仅在该期限内保存，除存储和采取必要的安全保护措施外不作其他处理。",
            ),
            (RightKind::AccountCancellation, false) => Some(
                "Once the account is cancelled, we stop serving it and delete or anonymise its personal information. Information a law requires us to keep for longer (such as transaction records) is kept for that period only, and we do nothing with it but store and protect it.",
            ),
            (RightKind::Restriction | RightKind::Objection, true) => {
                Some("法律、行政法规另有规定的，不适用此项权利。")
            }
            (RightKind::Restriction | RightKind::Objection, false) => Some(
                "This right does not apply where laws or administrative regulations provide otherwise.",
            ),
            (RightKind::Portability, true) => {
                Some("符合国家网信部门规定条件的，我们将为您提供转移的途径。")
            }
            (RightKind::Portability, false) => Some(
                "Where the conditions set by the Cyberspace Administration of China are met, we provide a way to transfer it.",
            ),
            (RightKind::DeceasedRelatives, true) => Some(
                "用户去世后，其近亲属为了自身的合法、正当利益，可以对死者的相关个人信息行使查阅、复制、更正、删除等权利；死者生前另有安排的除外。",
            ),
            (RightKind::DeceasedRelatives, false) => Some(
                "When a user dies, their close relatives may, for their own lawful and legitimate interests, see, copy, correct or delete the deceased's personal information, unless the deceased arranged otherwise while alive.",
            ),
            _ => None,
        }
        .map(str::to_string);
        let cx = RightCx {
            name,
            article: article.to_string(),
            explanation,
            channels: (!chans.is_empty()).then(|| inline(&list_or(&chans, lang), lang)),
            sla: if common_sla.is_some() {
                None
            } else {
                h.sla.as_ref().map(|s| deadline_words(&s.value, lang))
            },
            verification: h.verification.as_ref().and_then(|v| text(v, lang)),
            propagates,
            fee: if common_fee.is_some() {
                None
            } else {
                h.fee.as_ref().map(|f| {
                    match (f.value, zh) {
                        (false, true) => "不收取费用",
                        (true, true) => "可能收取合理费用",
                        (false, false) => "free of charge",
                        (true, false) => "subject to a reasonable fee",
                    }
                    .to_string()
                })
            },
            refusal: (common_refusal.is_none() && facts::is_true(&h.refusal_reasons)).then(|| {
                if zh {
                    "如拒绝请求，我们会说明理由"
                } else {
                    "if we refuse, we tell you why"
                }
                .to_string()
            }),
        };
        if k == RightKind::DeceasedRelatives {
            deceased = Some(cx);
        } else {
            rights_cx.push(cx);
        }
    }

    // The project's rules for children, linked from a general notice.
    let minors_rules = if for_minors {
        None
    } else {
        m.notices
            .iter()
            .enumerate()
            .find(|(i, o)| {
                *i != notice
                    && o.decl.kind.value == NoticeKind::PiplArt17
                    && o.decl.for_minors.as_ref().is_some_and(|b| b.value)
            })
            .map(|(_, o)| LinkCx {
                title: text(&o.decl.title, lang).unwrap_or_else(|| words(&o.id.value)),
                url: o.decl.url.clone(),
            })
    };

    // Section numbers, in the order of the template.
    let mut next = numerals(lang);
    let mut sec = Sections {
        collect: Some(next()),
        ..Sections::default()
    };
    if !(entrusted.is_empty()
        && joint.is_empty()
        && provided.is_empty()
        && other_recipients.is_empty())
    {
        sec.share = Some(next());
    }
    if !exports.is_empty() {
        sec.export = Some(next());
    }
    if !published.is_empty() {
        sec.public = Some(next());
    }
    if !personalised.is_empty() {
        sec.personalised = Some(next());
    }
    if !retention.is_empty() || stored_in_cn {
        sec.store = Some(next());
    }
    if security.is_some() {
        sec.protect = Some(next());
    }
    sec.rights = Some(next());
    if for_minors || minors_rules.is_some() || !guardian.is_empty() {
        sec.minors = Some(next());
    }
    sec.update = Some(next());
    sec.contact = Some(next());

    let spans: Vec<Span> = m
        .organization
        .iter()
        .map(|o| o.span)
        .chain(std::iter::once(nr.id.span))
        .chain(purposes.iter().map(|&q| m.purposes[q].id.span))
        .chain(datasets.iter().map(|&d| m.datasets[d].id.span))
        .chain(m.recipients.iter().map(|r| r.id.span))
        .chain(m.consents.iter().map(|c| c.id.span))
        .chain(m.rights.iter().map(|r| r.decl.span))
        .collect();

    PiplContext {
        generated_from: source_list(m, spans),
        title,
        version: n.version.clone(),
        last_updated: n.last_updated.as_ref().map(|d| date_words(d.value, lang)),
        url: n.url.clone(),
        for_minors,
        audience,
        channels,
        handler,
        pipo,
        representative,
        n: sec,
        purposes: purpose_cx,
        has_sensitive,
        guardian,
        entrusted,
        joint,
        provided,
        other_recipients,
        exports,
        export_rights,
        published,
        personalised,
        stored_in_cn,
        retention,
        security,
        rights: rights_cx,
        rights_common,
        deceased,
        minors_rules,
        has_minors,
        change_notification: n.change_notification.as_ref().and_then(|c| text(c, lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Duration;

    #[test]
    fn anchors_read_in_both_languages() {
        assert_eq!(
            anchor_words("completed_at", Language::ZhCn),
            "自交易完成之日起"
        );
        assert_eq!(
            anchor_words("last_active_at", Language::ZhCn),
            "自最后一次使用之日起"
        );
        assert_eq!(anchor_words("paid_at", Language::En), "after the payment");
        assert_eq!(
            anchor_words("due_date", Language::ZhCn),
            "自记录中“due date”所载日期起"
        );
    }

    #[test]
    fn deadlines_durations_and_dates_read_in_each_language() {
        assert_eq!(
            deadline_words(&Deadline::BusinessDays(15), Language::ZhCn),
            "15个工作日"
        );
        assert_eq!(
            duration_words(&Duration::parse("P30D").unwrap(), Language::ZhCn),
            "30天"
        );
        assert_eq!(
            duration_words(&Duration::parse("P1Y6M").unwrap(), Language::ZhCn),
            "1年6个月"
        );
        let d = Date::parse("2026-09-01").unwrap();
        assert_eq!(date_words(d, Language::En), "1 September 2026");
        assert_eq!(date_words(d, Language::ZhCn), "2026年9月1日");
    }

    #[test]
    fn lists_join_as_each_language_does() {
        let v = |s: &[&str]| s.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(list(&v(&["甲", "乙", "丙"]), Language::ZhCn), "甲、乙和丙");
        assert_eq!(list_or(&v(&["a", "b", "c"]), Language::En), "a, b or c");
    }
}
