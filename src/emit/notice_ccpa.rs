//! The CCPA notices: the notice at collection (1798.100(a); 11 CCR 7012), the privacy
//! policy (1798.130(a)(5); 11 CCR 7011) and the notice of financial incentive (11 CCR 7016),
//! in English and Simplified Chinese.
//!
//! Rust builds one serializable [`Cx`] with every sentence's facts in words of the notice's
//! language; the templates `templates/ccpa_<kind>.<lang>.md.hbs` only lay them out. Items
//! follow REGULATIONS.md §2.3 and the checklists of `rules::checklist::ccpa`.
//!
//! What a notice covers:
//! - its kinds of consumer: those it names, or every kind within the CCPA's reach
//!   ([`notice_subjects`]);
//! - the categories collected: those of the personal datasets about them (a dataset about
//!   nobody in particular counts for a notice that names nobody), and those that flows from
//!   them declare — the same scope as the checklist, so every item it marks supplied shows;
//! - purposes: those that concern them ([`crate::emit::notice::Scope`], as in the GDPR
//!   notice) and declare one of the collected categories;
//! - sales, sharing and disclosures: flows to a recipient from them or from a dataset about
//!   them.
//!
//! Decisions:
//! - Categories are grouped by their 1798.140(v)(1) letter under its statutory name (exact
//!   in English; in Chinese a natural name followed by the English one), with the taxonomy
//!   labels of what the business actually holds in it as examples. Sensitive personal
//!   information is also listed under (L).
//! - Retention per category: the periods of the datasets that hold it, grouped by period;
//!   each dataset's full rule (start and end) is listed below the table.
//! - Deadlines for requests are the handlers' own (`rights.*.sla`, `confirm_within`,
//!   `extension`), set beside the statutory bound from `reference::rights` (45 days, 10
//!   business days), never hard-coded.
//! - Text from the manifest is inserted as written. Where a Chinese notice needs a text the
//!   manifest has only in English, the English text is used (see [`text`]): a reader gets the
//!   fact in English rather than not at all, and the CORE rules report the missing text.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Project;
use crate::emit::notice::Scope;
use crate::emit::words::{date_words_us, duration_words, lower_first, text, zh};
use crate::emit::{humanize, source_list, templates, words};
use crate::graph::CatSet;
use crate::manifest::Span;
use crate::manifest::scalars::{Deadline, Localized, Period};
use crate::manifest::types::{
    CcpaRole, DataSource, Language, NoticeKind, RegimeName, RequestChannel, RetentionAction,
    RightHandler, RightKind, SpiUse,
};
use crate::model::{Model, NodeRef};
use crate::reference::rights;
use crate::report::Diagnostic;
use crate::rules::checklist::ccpa::{letters, notice_subjects, sells_or_shares};
use crate::rules::facts;
use crate::taxonomy::CatId;

/// The 1798.140(v)(1) letters, in order, with their statutory names in English and a
/// Chinese rendering. (L) is 1798.140(v)(1)(L), sensitive personal information (ae).
const CATEGORY_NAMES: [(&str, &str, &str); 12] = [
    ("A", "Identifiers", "身份识别信息"),
    (
        "B",
        "Personal information categories listed in the California Customer Records statute (Cal. Civ. Code § 1798.80(e))",
        "《加州客户记录法》（第 1798.80(e) 条）所列的个人信息",
    ),
    (
        "C",
        "Characteristics of protected classifications under California or federal law",
        "受加州或联邦法律保护的身份特征",
    ),
    ("D", "Commercial information", "商业信息"),
    ("E", "Biometric information", "生物识别信息"),
    (
        "F",
        "Internet or other electronic network activity information",
        "互联网或其他电子网络活动信息",
    ),
    ("G", "Geolocation data", "地理位置数据"),
    (
        "H",
        "Audio, electronic, visual, thermal, olfactory, or similar information",
        "音频、电子、视觉、热感、嗅觉或类似信息",
    ),
    (
        "I",
        "Professional or employment-related information",
        "职业或就业相关信息",
    ),
    (
        "J",
        "Non-public education information (per the Family Educational Rights and Privacy Act)",
        "非公开的教育信息（依《家庭教育权利和隐私法》界定）",
    ),
    (
        "K",
        "Inferences drawn from other personal information",
        "根据其他个人信息作出的推断",
    ),
    ("L", "Sensitive personal information", "敏感个人信息"),
];

/// Everything the templates show. One context serves the three kinds; each template uses
/// the fields its notice needs.
#[derive(Serialize, Debug)]
pub struct Cx {
    pub generated_from: String,
    pub title: String,
    pub business: String,
    /// Contact lines of the business: email, phone, address, web.
    pub contact: Vec<String>,
    /// Whom the notice addresses, in words.
    pub audience: Option<String>,
    pub last_updated: Option<String>,
    pub version: Option<String>,
    /// One row per 1798.140(v)(1) letter collected, in letter order.
    pub categories: Vec<CatRow>,
    /// Sensitive personal information (L) is collected.
    pub collects_spi: bool,
    pub sells_or_shares: bool,
    /// The "Do Not Sell or Share My Personal Information" link, or the Alternative Opt-out
    /// Link.
    pub optout_link: Option<Link>,
    /// The "Limit the Use of My Sensitive Personal Information" link, or the Alternative
    /// Opt-out Link, when SPI is used beyond 7027(m).
    pub limit_link: Option<Link>,
    /// The privacy policy (the `ccpa_privacy_policy` notice's url).
    pub policy_url: Option<String>,
    /// Third parties that control the collection on our premises or site (7012(g)).
    pub controllers: Vec<Named>,
    /// Each dataset's retention, in full.
    pub retention: Vec<Named>,
    pub purposes: Vec<PurposeCx>,
    /// Categories sold or shared, with the kinds of third party and the purposes.
    pub sold: Vec<DiscloseRow>,
    /// Categories disclosed for a business purpose, with the recipients and the purposes.
    pub disclosed: Vec<DiscloseRow>,
    /// Whether SPI is used beyond 7027(m), as a sentence.
    pub spi_use: String,
    /// Actual knowledge of selling or sharing the PI of consumers under 16, as a sentence.
    pub minors: String,
    pub rights: Vec<RightCx>,
    pub requests: RequestsCx,
    /// How opt-out preference signals (GPC) are processed, one sentence a line.
    pub gpc: Vec<String>,
    pub metrics_url: Option<String>,
    pub incentives: Vec<IncentiveCx>,
}

#[derive(Serialize, Debug)]
pub struct CatRow {
    pub letter: String,
    pub name: String,
    /// What the business holds in it, from the taxonomy labels.
    pub examples: String,
    pub sources: String,
    pub purposes: String,
    /// "No", or whether sold, shared or both.
    pub sold_shared: String,
    pub retention: String,
}

#[derive(Serialize, Debug)]
pub struct Link {
    pub text: String,
    pub url: String,
}

#[derive(Serialize, Debug)]
pub struct Named {
    pub name: String,
    pub text: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct PurposeCx {
    pub title: String,
    pub description: Option<String>,
    /// The category letters it uses: "A, B, D".
    pub letters: String,
}

#[derive(Serialize, Debug)]
pub struct DiscloseRow {
    pub category: String,
    pub to: String,
    pub why: String,
}

#[derive(Serialize, Debug)]
pub struct RightCx {
    /// The right's name (exact in English; Chinese with the English in parentheses).
    pub name: String,
    pub what: String,
    /// How to exercise it, when the business offers a way.
    pub how: Option<String>,
}

#[derive(Serialize, Debug, Default)]
pub struct RequestsCx {
    /// The ways to make a request to know, delete or correct, as a list.
    pub channels: Vec<String>,
    pub deadlines: Option<String>,
    pub extension: Option<String>,
    pub verification: Vec<Named>,
    pub agents: bool,
}

#[derive(Serialize, Debug)]
pub struct IncentiveCx {
    pub title: String,
    pub summary: Option<String>,
    pub categories: String,
    pub opt_in: Option<String>,
    pub withdraw: Option<String>,
    pub value: Option<String>,
    pub url: Option<String>,
}

const AT_COLLECTION_EN: &str = include_str!("templates/ccpa_notice_at_collection.en.md.hbs");
const AT_COLLECTION_ZH: &str = include_str!("templates/ccpa_notice_at_collection.zh-CN.md.hbs");
const POLICY_EN: &str = include_str!("templates/ccpa_privacy_policy.en.md.hbs");
const POLICY_ZH: &str = include_str!("templates/ccpa_privacy_policy.zh-CN.md.hbs");
const INCENTIVE_EN: &str = include_str!("templates/ccpa_financial_incentive.en.md.hbs");
const INCENTIVE_ZH: &str = include_str!("templates/ccpa_financial_incentive.zh-CN.md.hbs");

/// The Markdown of CCPA notice `notice` (an index into `Model::notices`; its kind decides
/// which notice) in `lang`.
pub fn ccpa(p: &Project, notice: usize, lang: Language) -> Result<Option<String>, Vec<Diagnostic>> {
    let kind = p.model.notices[notice].decl.kind.value;
    let (base, builtin) = match (kind, lang) {
        (NoticeKind::CcpaNoticeAtCollection, Language::En) => {
            ("ccpa_notice_at_collection", AT_COLLECTION_EN)
        }
        (NoticeKind::CcpaNoticeAtCollection, Language::ZhCn) => {
            ("ccpa_notice_at_collection", AT_COLLECTION_ZH)
        }
        (NoticeKind::CcpaPrivacyPolicy, Language::En) => ("ccpa_privacy_policy", POLICY_EN),
        (NoticeKind::CcpaPrivacyPolicy, Language::ZhCn) => ("ccpa_privacy_policy", POLICY_ZH),
        (NoticeKind::CcpaFinancialIncentive, Language::En) => {
            ("ccpa_financial_incentive", INCENTIVE_EN)
        }
        (NoticeKind::CcpaFinancialIncentive, Language::ZhCn) => {
            ("ccpa_financial_incentive", INCENTIVE_ZH)
        }
        _ => return Ok(None),
    };
    let cx = context(p, notice, lang);
    let name = format!("{base}.{}.md.hbs", lang.tag());
    templates::render(p, &name, builtin, &cx)
        .map(Some)
        .map_err(|d| vec![*d])
}

/// A title in `lang`, else in English, else the id in words.
fn loc_title(l: &Localized, id: &str, lang: Language) -> String {
    text(l, lang).unwrap_or_else(|| humanize(id))
}

fn list(items: &[String], lang: Language) -> String {
    if zh(lang) {
        return items.join("、");
    }
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [a, b] => format!("{a} and {b}"),
        [init @ .., last] => format!("{}, and {last}", init.join(", ")),
    }
}

/// A response deadline: "45 days", "10 business days"; "45天", "10个工作日".
fn deadline_words(d: &Deadline, lang: Language) -> String {
    match (d, zh(lang)) {
        (_, true) => words::deadline_zh(d),
        (Deadline::Calendar(c), false) => c.to_english(),
        (Deadline::BusinessDays(n), false) => format!("{n} business days"),
    }
}

/// When a retention period starts, from its anchor field.
fn anchor_words(field: &str, lang: Language) -> String {
    let w = words(field);
    let mut toks: Vec<&str> = w.split(' ').filter(|t| !t.is_empty()).collect();
    while toks.len() > 1
        && matches!(
            *toks.last().unwrap_or(&""),
            "at" | "on" | "date" | "time" | "ts"
        )
    {
        toks.pop();
    }
    let stem = toks.join(" ");
    let event: Option<(&str, &str)> = match stem.as_str() {
        "last update" | "updated" | "update" | "last updated" | "modified" | "last modified" => {
            Some((
                "after the record was last changed",
                "自记录最后一次更新之日起",
            ))
        }
        "created" | "create" | "creation" | "inserted" => {
            Some(("after the record was created", "自记录创建之日起"))
        }
        "completed" | "completion" => Some(("after completion", "自完成之日起")),
        "payment" | "paid" => Some(("after the payment", "自付款之日起")),
        "rental" | "rented" => Some(("after the rental", "自租借之日起")),
        "order" | "ordered" => Some(("after the order", "自下单之日起")),
        "last login" | "last sign in" => Some(("after the last sign-in", "自最后一次登录之日起")),
        "terminated" | "termination" | "end" | "ended" => {
            Some(("after the end of the relationship", "自关系终止之日起"))
        }
        _ => None,
    };
    match (event, zh(lang)) {
        (Some((en, _)), false) => en.to_string(),
        (Some((_, z)), true) => z.to_string(),
        (None, false) => format!("from the date recorded as ‘{w}’"),
        (None, true) => format!("自“{w}”所记载的日期起"),
    }
}

fn letter_name(letter: &str, lang: Language) -> String {
    let (_, en, z) = CATEGORY_NAMES
        .iter()
        .find(|(l, _, _)| *l == letter)
        .copied()
        .unwrap_or((letter, letter, letter));
    if zh(lang) {
        format!("{z}（{en}）")
    } else {
        en.to_string()
    }
}

fn category_label(m: &Model, c: CatId, lang: Language) -> String {
    let cat = m.taxonomy.cat(c);
    text(&cat.label, lang).unwrap_or_else(|| cat.id.clone())
}

fn role_words(role: Option<CcpaRole>, lang: Language) -> &'static str {
    match (role, zh(lang)) {
        (Some(CcpaRole::ServiceProvider), false) => "service providers",
        (Some(CcpaRole::Contractor), false) => "contractors",
        (Some(CcpaRole::ThirdParty), false) => "third parties",
        (None, false) => "other recipients",
        (Some(CcpaRole::ServiceProvider), true) => "服务提供商（service providers）",
        (Some(CcpaRole::Contractor), true) => "承包商（contractors）",
        (Some(CcpaRole::ThirdParty), true) => "第三方（third parties）",
        (None, true) => "其他接收方",
    }
}

fn source_words(s: DataSource, lang: Language) -> &'static str {
    match (s, zh(lang)) {
        (DataSource::Subject, false) => "directly from you",
        (DataSource::ThirdParty, false) => "from third parties",
        (DataSource::Public, false) => "from publicly available sources",
        (DataSource::Observed, false) => "from your use of our services",
        (DataSource::Inferred, false) => "inferred from other information we hold",
        (DataSource::Subject, true) => "由您直接提供",
        (DataSource::ThirdParty, true) => "来自第三方",
        (DataSource::Public, true) => "来自公开渠道",
        (DataSource::Observed, true) => "在您使用我们的服务时记录",
        (DataSource::Inferred, true) => "根据我们掌握的其他信息推断",
    }
}

/// By category letter: the recipients' names by kind of recipient, and the purposes.
type Recipients<'a> = BTreeMap<&'a str, (BTreeMap<u8, Vec<String>>, Vec<usize>)>;

/// Everything one notice covers.
struct Covered {
    subjects: Vec<usize>,
    datasets: Vec<usize>,
    /// Personal categories collected, first seen first.
    cats: Vec<CatId>,
    purposes: Vec<bool>,
    /// Flows whose source concerns the notice.
    flows: Vec<bool>,
}

fn covered(m: &Model, notice: usize) -> Covered {
    let t = &m.taxonomy;
    let subjects = notice_subjects(m, notice);
    let open = m.notices[notice].subjects.is_empty();
    let datasets: Vec<usize> = (0..m.datasets.len())
        .filter(|&d| {
            let ds = &m.datasets[d];
            ds.is_personal(t)
                && (ds.subjects.iter().any(|s| subjects.contains(s))
                    || (open && ds.subjects.is_empty()))
        })
        .collect();
    let mut cats: Vec<CatId> = Vec::new();
    let mut seen = CatSet::new(t.len());
    let mut add = |c: CatId| {
        if t.cat(c).personal && seen.insert(c) {
            cats.push(c);
        }
    };
    for &d in &datasets {
        for f in &m.datasets[d].fields {
            for c in &f.categories {
                add(c.cat);
            }
        }
    }
    for f in &m.flows {
        if let (NodeRef::Subject(s), Some(cs)) = (f.from, &f.categories)
            && subjects.contains(&s)
        {
            for c in cs {
                add(c.cat);
            }
        }
    }
    let mut purposes = vec![false; m.purposes.len()];
    let scopes: Vec<Scope> = if subjects.is_empty() {
        vec![Scope::all(m)]
    } else {
        subjects.iter().map(|&s| Scope::of(m, s)).collect()
    };
    for sc in &scopes {
        for (i, &b) in sc.purposes.iter().enumerate() {
            purposes[i] |= b;
        }
    }
    // A purpose tied to these people only through a dataset they share with others (an
    // address table of customers and staff), while something ties it to other people alone,
    // is the others' business: a staff notice does not list customer support.
    let mut mine = vec![false; m.purposes.len()];
    let mut theirs = vec![false; m.purposes.len()];
    let mut tie = |node: NodeRef, ps: &[usize]| {
        let (me, them) = match node {
            NodeRef::Subject(s) => (subjects.contains(&s), !subjects.contains(&s)),
            NodeRef::Dataset(d) => {
                let ss = &m.datasets[d].subjects;
                (
                    !ss.is_empty() && ss.iter().all(|s| subjects.contains(s)),
                    !ss.is_empty() && !ss.iter().any(|s| subjects.contains(s)),
                )
            }
            _ => (false, false),
        };
        for &p in ps {
            mine[p] |= me;
            theirs[p] |= them;
        }
    };
    for f in &m.flows {
        tie(f.from, &f.purposes);
        if matches!(f.to, NodeRef::Dataset(_)) {
            tie(f.to, &f.purposes);
        }
    }
    for r in &m.roles {
        for &d in &r.datasets {
            tie(NodeRef::Dataset(d), &r.purposes);
        }
    }
    for (i, p) in purposes.iter_mut().enumerate() {
        *p &= mine[i] || !theirs[i];
    }
    let mut in_notice = vec![false; m.datasets.len()];
    for &d in &datasets {
        in_notice[d] = true;
    }
    let flows = m
        .flows
        .iter()
        .map(|f| match f.from {
            NodeRef::Subject(s) => subjects.contains(&s),
            NodeRef::Dataset(d) => in_notice[d],
            _ => false,
        })
        .collect();
    Covered {
        subjects,
        datasets,
        cats,
        purposes,
        flows,
    }
}

fn cat_letters(m: &Model, c: CatId) -> Vec<&'static str> {
    letters(m.taxonomy.cat(c)).collect()
}

/// The 1798.140(v)(1) letters of the collected categories `cats` that purpose `p` uses, in
/// order. A declared category counts for the collected categories within it (`contact`
/// covers a phone number, B) and for itself when it is narrower than a collected one. A
/// purpose uses sensitive personal information (L) only when it declares an SPI category
/// itself: declaring `account` does not make a purpose use passwords that some other
/// purpose keeps — the same test as the checklist's `ccpa_spi_use` item.
fn purpose_letters(m: &Model, p: usize, cats: &[CatId]) -> Vec<&'static str> {
    let t = &m.taxonomy;
    let mut out: Vec<&'static str> = Vec::new();
    for pc in &m.purposes[p].categories {
        let spi = t.cat(pc.cat).is_ccpa_spi();
        for &c in cats {
            let ls: Vec<&'static str> = if t.is_within(c, pc.cat) {
                cat_letters(m, c)
                    .into_iter()
                    .filter(|l| spi || *l != "L")
                    .collect()
            } else if t.is_within(pc.cat, c) {
                cat_letters(m, pc.cat)
            } else {
                continue;
            };
            out.extend(ls);
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

fn flag(f: &Option<crate::manifest::Sp<bool>>) -> bool {
    f.as_ref().is_some_and(|b| b.value)
}

/// The retention of a dataset in words: "3 years after the record was last changed, then
/// deleted".
fn retention_words(m: &Model, d: usize, lang: Language) -> Option<(String, String)> {
    let ds = &m.datasets[d];
    let r = ds.decl.retention.as_ref()?;
    let anchor = anchor_words(&r.after.value, lang);
    let (short, full) = match (&r.period.value, zh(lang)) {
        (Period::Duration(dur), false) => {
            let then = match r.then.value {
                RetentionAction::Delete => "then deleted",
                RetentionAction::Anonymise => {
                    "then the details that identify you are erased or replaced by a code"
                }
            };
            let n = duration_words(dur, lang);
            (n.clone(), format!("kept for {n} {anchor}, {then}"))
        }
        (Period::Duration(dur), true) => {
            let then = match r.then.value {
                RetentionAction::Delete => "届满后删除",
                RetentionAction::Anonymise => "届满后，可识别您身份的信息将被删除或替换为编码",
            };
            let n = duration_words(dur, lang);
            (n.clone(), format!("{anchor}保存{n}，{then}"))
        }
        (Period::Indefinite, false) => (
            "no fixed period".to_string(),
            "kept without a fixed end date".to_string(),
        ),
        (Period::Indefinite, true) => ("无固定期限".to_string(), "无固定的保存期限".to_string()),
    };
    Some((short, full))
}

fn dataset_title(m: &Model, d: usize, lang: Language) -> String {
    let ds = &m.datasets[d];
    loc_title(&ds.decl.title, &ds.id.value, lang)
}

fn purpose_title(m: &Model, p: usize, lang: Language) -> String {
    let pr = &m.purposes[p];
    loc_title(&pr.decl.title, &pr.id.value, lang)
}

fn contact_lines(m: &Model, lang: Language) -> Vec<String> {
    let Some(o) = m.organization.as_ref() else {
        return Vec::new();
    };
    let c = &o.value.contact;
    let z = zh(lang);
    let mut v = Vec::new();
    if let Some(e) = &c.email {
        v.push(format!("{}{e}", if z { "电子邮箱：" } else { "Email: " }));
    }
    if let Some(t) = &c.phone {
        v.push(format!("{}{t}", if z { "电话：" } else { "Phone: " }));
    }
    if let Some(a) = &c.address {
        v.push(format!("{}{a}", if z { "地址：" } else { "Address: " }));
    }
    if let Some(u) = c.url.as_ref().or(o.value.website.as_ref()) {
        v.push(format!("{}{u}", if z { "网址：" } else { "Web: " }));
    }
    v
}

fn channel_words(m: &Model, ch: RequestChannel, lang: Language) -> String {
    let o = m.organization.as_ref().map(|o| &o.value);
    let c = o.map(|o| &o.contact);
    let web = o.and_then(|o| o.contact.url.clone().or(o.website.clone()));
    let phone = c.and_then(|c| c.phone.clone());
    let email = c.and_then(|c| c.email.clone());
    let address = c.and_then(|c| c.address.clone());
    let z = zh(lang);
    match ch {
        RequestChannel::WebForm => match (web, z) {
            (Some(u), false) => format!("fill in the request form on our website ({u})"),
            (None, false) => "fill in the request form on our website".into(),
            (Some(u), true) => format!("填写我们网站上的申请表单（{u}）"),
            (None, true) => "填写我们网站上的申请表单".into(),
        },
        RequestChannel::Email => match (email, z) {
            (Some(e), false) => format!("email {e}"),
            (None, false) => "email us".into(),
            (Some(e), true) => format!("发送电子邮件至 {e}"),
            (None, true) => "向我们发送电子邮件".into(),
        },
        // The toll-free number itself is `organization.contact.phone` when given.
        RequestChannel::TollFreePhone => match (phone, z) {
            (Some(t), false) => format!("call our toll-free number, {t}"),
            (None, false) => "call our toll-free number".into(),
            (Some(t), true) => format!("拨打我们的免费电话 {t}"),
            (None, true) => "拨打我们的免费电话".into(),
        },
        RequestChannel::Phone => match (phone, z) {
            (Some(t), false) => format!("call us on {t}"),
            (None, false) => "call us".into(),
            (Some(t), true) => format!("致电 {t}"),
            (None, true) => "致电我们".into(),
        },
        RequestChannel::InApp if z => "在我们的 App 中提出".into(),
        RequestChannel::InApp => "use our app".into(),
        RequestChannel::MiniProgram if z => "在我们的微信小程序中提出".into(),
        RequestChannel::MiniProgram => "use our WeChat mini program".into(),
        RequestChannel::InStore if z => "到我们的任一门店当面提出".into(),
        RequestChannel::InStore => "ask at any of our stores".into(),
        RequestChannel::Post => match (address, z) {
            (Some(a), false) => format!("write to {a}"),
            (None, false) => "write to us".into(),
            (Some(a), true) => format!("邮寄信函至 {a}"),
            (None, true) => "向我们邮寄信函".into(),
        },
        RequestChannel::Gpc if z => {
            "通过浏览器或设备发送全球隐私控制（Global Privacy Control）等选择退出偏好信号".into()
        }
        RequestChannel::Gpc => {
            "send an opt-out preference signal such as Global Privacy Control from your browser or device".into()
        }
    }
}

fn channels_sentence(m: &Model, h: &RightHandler, lang: Language) -> Option<String> {
    if h.channels.is_empty() {
        return None;
    }
    let ways: Vec<String> = h
        .channels
        .iter()
        .map(|c| channel_words(m, c.value, lang))
        .collect();
    Some(if zh(lang) {
        format!("您可以{}。", ways.join("，或"))
    } else {
        let w = list(&ways, lang);
        let w = if ways.len() > 1 {
            // "a, b, and c" reads as alternatives.
            w.replacen(", and ", ", or ", 1)
                .replacen(" and ", " or ", 1)
        } else {
            w
        };
        format!("You can {w}.")
    })
}

fn handler(m: &Model, k: RightKind) -> Option<&RightHandler> {
    m.rights
        .as_ref()
        .and_then(|r| r.handler(k))
        .map(|h| &h.value)
}

/// The longest of some deadlines.
fn longest<'a>(ds: impl Iterator<Item = &'a Deadline>) -> Option<&'a Deadline> {
    ds.fold(None, |best: Option<&Deadline>, d| match best {
        Some(b) if b.max_days() >= d.max_days() => Some(b),
        _ => Some(d),
    })
}

fn requests(m: &Model, lang: Language) -> RequestsCx {
    let z = zh(lang);
    let kinds = [
        RightKind::Access,
        RightKind::Erasure,
        RightKind::Rectification,
    ];
    let hs: Vec<(RightKind, &RightHandler)> = kinds
        .iter()
        .filter_map(|&k| handler(m, k).map(|h| (k, h)))
        .collect();
    if hs.is_empty() {
        return RequestsCx::default();
    }
    let mut channels: Vec<RequestChannel> = Vec::new();
    for (_, h) in &hs {
        for c in &h.channels {
            if !channels.contains(&c.value) {
                channels.push(c.value);
            }
        }
    }
    let channels = channels
        .into_iter()
        .map(|c| channel_words(m, c, lang))
        .collect();
    let law = rights::limit(RegimeName::Ccpa, RightKind::Access);
    let law_sla = law.and_then(|l| l.sla.as_ref());
    let law_confirm = law.and_then(|l| l.confirm.as_ref());
    let sla = longest(
        hs.iter()
            .filter_map(|(_, h)| h.sla.as_ref().map(|s| &s.value)),
    )
    .or(law_sla);
    let confirm = longest(
        hs.iter()
            .filter_map(|(_, h)| h.confirm_within.as_ref().map(|s| &s.value)),
    )
    .or(law_confirm);
    let deadlines = match (sla, confirm) {
        (Some(sla), Some(confirm)) => {
            let same = law_sla.is_some_and(|l| l == sla);
            let bound = law_sla.map(|l| deadline_words(l, lang));
            Some(match (z, same, bound) {
                (false, true, _) | (false, false, None) => format!(
                    "We confirm that we have received your request within {}, and tell you how we will process it. We answer within {} of receiving it (Cal. Civ. Code § 1798.130(a)(2); 11 CCR § 7021).",
                    deadline_words(confirm, lang),
                    deadline_words(sla, lang)
                ),
                (false, false, Some(b)) => format!(
                    "We confirm that we have received your request within {}, and tell you how we will process it. We answer within {} of receiving it, well within the {b} the CCPA allows (Cal. Civ. Code § 1798.130(a)(2); 11 CCR § 7021).",
                    deadline_words(confirm, lang),
                    deadline_words(sla, lang)
                ),
                (true, true, _) | (true, false, None) => format!(
                    "我们会在收到申请后{}内确认收悉并告知处理方式，并在收到申请后{}内答复（《加州民法典》第 1798.130(a)(2) 条；《加州法规》第 11 编第 7021 条）。",
                    deadline_words(confirm, lang),
                    deadline_words(sla, lang)
                ),
                (true, false, Some(b)) => format!(
                    "我们会在收到申请后{}内确认收悉并告知处理方式，并在收到申请后{}内答复，远短于 CCPA 允许的{b}（《加州民法典》第 1798.130(a)(2) 条；《加州法规》第 11 编第 7021 条）。",
                    deadline_words(confirm, lang),
                    deadline_words(sla, lang)
                ),
            })
        }
        _ => None,
    };
    let ext = longest(
        hs.iter()
            .filter_map(|(_, h)| h.extension.as_ref().map(|s| &s.value)),
    );
    let notify = longest(
        hs.iter()
            .filter_map(|(_, h)| h.notify_extension_within.as_ref().map(|s| &s.value)),
    )
    .or(law_sla);
    let extension = ext.map(|e| {
        let first = notify.map(|n| deadline_words(n, lang));
        match (z, first) {
            (false, Some(f)) => format!(
                "If a request needs more time, we may take up to {} more; we then tell you so, and why, within {f} of receiving it.",
                deadline_words(e, lang)
            ),
            (false, None) => format!(
                "If a request needs more time, we may take up to {} more, and we tell you so and why.",
                deadline_words(e, lang)
            ),
            (true, Some(f)) => format!(
                "如申请需要更多时间处理，我们最多可再延长{}，并会在收到申请后{f}内告知您延期及其理由。",
                deadline_words(e, lang)
            ),
            (true, None) => format!(
                "如申请需要更多时间处理，我们最多可再延长{}，并会告知您延期及其理由。",
                deadline_words(e, lang)
            ),
        }
    });
    let verification = hs
        .iter()
        .filter_map(|(k, h)| {
            Some(Named {
                name: right_name(*k, lang),
                text: Some(text(h.verification.as_ref()?, lang)?),
            })
        })
        .collect();
    RequestsCx {
        channels,
        deadlines,
        extension,
        verification,
        agents: hs.iter().any(|(_, h)| flag(&h.authorised_agents)),
    }
}

/// The name of a right: exact in English, with the English in parentheses in Chinese.
fn right_name(k: RightKind, lang: Language) -> String {
    let (en, z) = match k {
        RightKind::Access => ("Right to Know", "知情权"),
        RightKind::Erasure => ("Right to Delete", "删除权"),
        RightKind::Rectification => ("Right to Correct", "更正权"),
        RightKind::OptOutSaleShare => ("Right to Opt-Out of Sale or Sharing", "拒绝出售或共享权"),
        RightKind::LimitSpi => (
            "Right to Limit Use and Disclosure of Sensitive Personal Information",
            "限制使用和披露敏感个人信息权",
        ),
        RightKind::NonDiscrimination => ("Right to Non-Discrimination", "不受歧视权"),
        _ => ("", ""),
    };
    if zh(lang) {
        format!("{z}（{en}）")
    } else {
        en.to_string()
    }
}

fn link(text: &str, url: &Option<String>) -> Option<Link> {
    url.as_ref().map(|u| Link {
        text: text.to_string(),
        url: u.clone(),
    })
}

/// Build the context of notice `notice` in `lang`.
pub fn context(p: &Project, notice: usize, lang: Language) -> Cx {
    let m = &p.model;
    let g = &p.graph;
    let z = zh(lang);
    let n = &m.notices[notice];
    let kind = n.decl.kind.value;
    let cov = covered(m, notice);
    let org = m.organization.as_ref().map(|o| &o.value);
    let business = org.map(|o| o.name.value.clone()).unwrap_or_else(|| {
        if z {
            "本公司".into()
        } else {
            "the business".into()
        }
    });
    // A notice without a Chinese title gets the usual Chinese title of its kind, which
    // reads better than the English one.
    let default_title = match (kind, z) {
        (NoticeKind::CcpaNoticeAtCollection, false) => {
            "Notice at Collection for California Residents"
        }
        (NoticeKind::CcpaNoticeAtCollection, true) => "加州居民个人信息收集告知",
        (NoticeKind::CcpaPrivacyPolicy, false) => "California Privacy Policy",
        (NoticeKind::CcpaPrivacyPolicy, true) => "加州隐私政策",
        (_, false) => "Notice of Financial Incentive",
        (_, true) => "财务激励告知",
    };
    let title = n
        .decl
        .title
        .get(lang.tag())
        .map(str::to_string)
        .unwrap_or_else(|| default_title.to_string());
    let audience = (!m.notices[notice].subjects.is_empty()).then(|| {
        let names: Vec<String> = cov
            .subjects
            .iter()
            .map(|&s| {
                let sub = &m.subjects[s];
                let t = loc_title(&sub.decl.title, &sub.id.value, lang);
                if z { t } else { lower_first(&t) }
            })
            .collect();
        list(&names, lang)
    });

    // Sold / shared flows, and disclosures for a business purpose, of this notice.
    let mut sold_by: BTreeMap<&str, (bool, bool)> = BTreeMap::new();
    // letter -> (role -> recipient names), purposes
    let mut sold_to: Recipients<'_> = BTreeMap::new();
    let mut disclosed_to: Recipients<'_> = BTreeMap::new();
    let role_key = |r: Option<CcpaRole>| match r {
        Some(CcpaRole::ServiceProvider) => 0u8,
        Some(CcpaRole::Contractor) => 1,
        Some(CcpaRole::ThirdParty) => 2,
        None => 3,
    };
    let role_of = |k: u8| match k {
        0 => Some(CcpaRole::ServiceProvider),
        1 => Some(CcpaRole::Contractor),
        2 => Some(CcpaRole::ThirdParty),
        _ => None,
    };
    for (fi, f) in m.flows.iter().enumerate() {
        let NodeRef::Recipient(r) = f.to else {
            continue;
        };
        if !cov.flows[fi] {
            continue;
        }
        let rec = &m.recipients[r].decl.value;
        let role = rec.role.ccpa.as_ref().map(|c| c.value);
        let sale = flag(&f.decl.sale);
        let share = flag(&f.decl.share);
        let mut ls: Vec<&str> = g
            .flow_categories(fi)
            .iter()
            .filter(|&c| m.taxonomy.cat(c).personal)
            .flat_map(|c| cat_letters(m, c))
            .collect();
        ls.sort_unstable();
        ls.dedup();
        for l in ls {
            let target = if sale || share {
                let e = sold_by.entry(l).or_default();
                e.0 |= sale;
                e.1 |= share;
                &mut sold_to
            } else {
                &mut disclosed_to
            };
            let e = target.entry(l).or_default();
            let names = e.0.entry(role_key(role)).or_default();
            if !names.contains(&rec.name.value) {
                names.push(rec.name.value.clone());
            }
            for &pu in &f.purposes {
                if !e.1.contains(&pu) {
                    e.1.push(pu);
                }
            }
        }
    }
    let disclose_rows = |map: Recipients<'_>| {
        map.into_iter()
            .map(|(l, (roles, purposes))| {
                let to: Vec<String> = roles
                    .into_iter()
                    .map(|(k, mut names)| {
                        names.sort();
                        let sep = if z { "、" } else { ", " };
                        if z {
                            format!("{}：{}", role_words(role_of(k), lang), names.join(sep))
                        } else {
                            format!("{} ({})", role_words(role_of(k), lang), names.join("; "))
                        }
                    })
                    .collect();
                let why: Vec<String> = purposes
                    .iter()
                    .map(|&p| purpose_title(m, p, lang))
                    .collect();
                DiscloseRow {
                    category: format!("{l}. {}", letter_name(l, lang)),
                    to: to.join(if z { "；" } else { "; " }),
                    why: if z { why.join("、") } else { why.join("; ") },
                }
            })
            .collect::<Vec<_>>()
    };

    // One row per letter.
    let mut by_letter: BTreeMap<&str, Vec<CatId>> = BTreeMap::new();
    for &c in &cov.cats {
        for l in cat_letters(m, c) {
            by_letter.entry(l).or_default().push(c);
        }
    }
    // The letters of each purpose of the notice, and the retention and title of each of its
    // datasets (no title without a retention): the same for every row, so found once.
    let letters_of: Vec<Vec<&'static str>> = (0..m.purposes.len())
        .map(|pu| {
            if cov.purposes[pu] {
                purpose_letters(m, pu, &cov.cats)
            } else {
                Vec::new()
            }
        })
        .collect();
    let kept: Vec<Option<(String, String)>> = cov
        .datasets
        .iter()
        .map(|&d| retention_words(m, d, lang))
        .collect();
    let titles: Vec<String> = cov
        .datasets
        .iter()
        .zip(&kept)
        .map(|(&d, k)| {
            k.as_ref()
                .map(|_| dataset_title(m, d, lang))
                .unwrap_or_default()
        })
        .collect();
    let categories: Vec<CatRow> = by_letter
        .iter()
        .map(|(&l, cats)| {
            let mut ex: Vec<String> = cats.iter().map(|&c| category_label(m, c, lang)).collect();
            ex.sort_by_key(|s| s.to_lowercase());
            ex.dedup();
            let examples = if z {
                ex.join("、")
            } else {
                let mut s = ex
                    .iter()
                    .enumerate()
                    .map(|(i, e)| if i == 0 { e.clone() } else { lower_first(e) })
                    .collect::<Vec<_>>()
                    .join(", ");
                if s.is_empty() {
                    s = "—".into();
                }
                s
            };
            let purposes: Vec<String> = (0..m.purposes.len())
                .filter(|&pu| cov.purposes[pu] && letters_of[pu].contains(&l))
                .map(|pu| purpose_title(m, pu, lang))
                .collect();
            let mut in_row = CatSet::new(m.taxonomy.len());
            for &c in cats {
                in_row.insert(c);
            }
            // Indices into `cov.datasets` of the datasets holding one of the row's categories
            // (all personal, so the dataset's personal categories tell).
            let holding: Vec<usize> = (0..cov.datasets.len())
                .filter(|&i| {
                    facts::personal_categories(m, cov.datasets[i])
                        .iter()
                        .any(|&c| in_row.contains(c))
                })
                .collect();
            let mut sources: Vec<&str> = holding
                .iter()
                .filter_map(|&i| m.datasets[cov.datasets[i]].decl.source)
                .map(|s| source_words(s, lang))
                .collect();
            let from_subject = m.flows.iter().any(|f| {
                matches!(f.from, NodeRef::Subject(s) if cov.subjects.contains(&s))
                    && f.categories
                        .as_ref()
                        .is_some_and(|cs| cs.iter().any(|c| in_row.contains(c.cat)))
            });
            if from_subject {
                sources.push(source_words(DataSource::Subject, lang));
            }
            let mut seen = Vec::new();
            sources.retain(|s| {
                let new = !seen.contains(s);
                seen.push(s);
                new
            });
            // Retention: the datasets holding it, grouped by period.
            let mut periods: Vec<(&str, Vec<&str>)> = Vec::new();
            for &i in &holding {
                if let Some((short, _)) = &kept[i] {
                    let t = titles[i].as_str();
                    match periods.iter_mut().find(|(s, _)| *s == short.as_str()) {
                        Some((_, v)) => v.push(t),
                        None => periods.push((short, vec![t])),
                    }
                }
            }
            let retention = if periods.is_empty() {
                "—".to_string()
            } else if periods.len() == 1 {
                periods[0].0.to_string()
            } else {
                periods
                    .iter()
                    .map(|(s, ds)| {
                        if z {
                            format!("{s}（{}）", ds.join("、"))
                        } else {
                            format!("{s} ({})", ds.join(", "))
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(if z { "；" } else { "; " })
            };
            let (sold, shared) = sold_by.get(l).copied().unwrap_or((false, false));
            let sold_shared = match (sold, shared, z) {
                (false, false, false) => "No",
                (true, false, false) => "Sold",
                (false, true, false) => "Shared",
                (true, true, false) => "Sold and shared",
                (false, false, true) => "否",
                (true, false, true) => "出售",
                (false, true, true) => "共享",
                (true, true, true) => "出售及共享",
            };
            CatRow {
                letter: l.to_string(),
                name: letter_name(l, lang),
                examples,
                sources: if z {
                    sources.join("；")
                } else {
                    sources.join("; ")
                },
                purposes: if z {
                    purposes.join("、")
                } else {
                    purposes.join("; ")
                },
                sold_shared: sold_shared.to_string(),
                retention,
            }
        })
        .collect();
    let collects_spi = by_letter.contains_key("L");

    let retention: Vec<Named> = kept
        .iter()
        .zip(&titles)
        .filter_map(|(k, t)| {
            let (_, full) = k.as_ref()?;
            Some(Named {
                name: t.clone(),
                text: Some(full.clone()),
            })
        })
        .collect();

    let purposes: Vec<PurposeCx> = (0..m.purposes.len())
        .filter(|&pu| cov.purposes[pu])
        .filter_map(|pu| {
            let ls = &letters_of[pu];
            if ls.is_empty() {
                return None;
            }
            Some(PurposeCx {
                title: purpose_title(m, pu, lang),
                description: text(&m.purposes[pu].decl.description, lang),
                letters: ls.join(if z { "、" } else { ", " }),
            })
        })
        .collect();

    let sells = sells_or_shares(m);
    let optout = org.and_then(|o| o.optout.as_ref()).map(|o| &o.value);
    let optout_link = optout.and_then(|o| {
        link("Do Not Sell or Share My Personal Information", &o.dnss_link)
            .or_else(|| link("Your Privacy Choices", &o.alternative_link))
    });
    let spi_purposes: Vec<usize> = (0..m.purposes.len())
        .filter(|&pu| {
            m.purposes[pu]
                .decl
                .ccpa_spi_use
                .as_ref()
                .is_some_and(|u| u.value == SpiUse::BeyondPermitted)
        })
        .collect();
    let spi_beyond = !spi_purposes.is_empty();
    let limit_link = optout.filter(|_| spi_beyond).and_then(|o| {
        link(
            "Limit the Use of My Sensitive Personal Information",
            &o.limit_link,
        )
        .or_else(|| link("Your Privacy Choices", &o.alternative_link))
    });
    let policy_url = m
        .notices
        .iter()
        .filter(|x| x.decl.kind.value == NoticeKind::CcpaPrivacyPolicy)
        .find_map(|x| x.decl.url.clone());
    let controllers = m
        .recipients
        .iter()
        .filter(|r| flag(&r.decl.controls_collection))
        .map(|r| Named {
            name: r.decl.name.value.clone(),
            text: text(&r.decl.description, lang),
        })
        .collect();

    let spi_use = match (collects_spi, spi_beyond, z) {
        (_, true, false) => format!(
            "We use or disclose sensitive personal information for purposes beyond those 11 CCR § 7027(m) allows without offering a choice: {}. You can limit this use (see “Your rights” below).",
            list(&spi_purposes.iter().map(|&pu| purpose_title(m, pu, lang)).collect::<Vec<_>>(), lang)
        ),
        (_, true, true) => format!(
            "我们会将敏感个人信息用于或披露给超出《加州法规》第 11 编第 7027(m) 条所允许范围的目的：{}。您可以限制此类使用（见下文“您的权利”）。",
            list(&spi_purposes.iter().map(|&pu| purpose_title(m, pu, lang)).collect::<Vec<_>>(), lang)
        ),
        (true, false, false) => "We use and disclose sensitive personal information only for the purposes 11 CCR § 7027(m) allows, such as providing the services you ask for and keeping our systems secure, and not to infer characteristics about you. The right to limit its use therefore does not apply (Cal. Civ. Code § 1798.121(d)).".to_string(),
        (true, false, true) => "我们仅为《加州法规》第 11 编第 7027(m) 条允许的目的（例如提供您要求的服务、保障系统安全）使用和披露敏感个人信息，不会借此推断您的个人特征。因此，限制使用敏感个人信息的权利不适用（《加州民法典》第 1798.121(d) 条）。".to_string(),
        (false, false, false) => "We do not collect sensitive personal information.".to_string(),
        (false, false, true) => "我们不收集敏感个人信息。".to_string(),
    };

    // 7011(e)(1)(G): actual knowledge of selling or sharing the PI of consumers under 16.
    let minors_sold = m.flows.iter().enumerate().any(|(fi, f)| {
        (flag(&f.decl.sale) || flag(&f.decl.share))
            && cov.flows[fi]
            && match f.from {
                NodeRef::Subject(s) => m.subjects[s].decl.min_age.is_none_or(|a| a < 16),
                NodeRef::Dataset(d) => m.datasets[d]
                    .subjects
                    .iter()
                    .any(|&s| m.subjects[s].decl.min_age.is_none_or(|a| a < 16)),
                _ => false,
            }
    });
    let minors = match (sells, minors_sold, z) {
        (false, _, false) => "We do not sell or share personal information, and so have no actual knowledge that we sell or share the personal information of consumers under 16 years of age.".to_string(),
        (false, _, true) => "我们不出售或共享个人信息，因此并不知悉（actual knowledge）出售或共享未满 16 周岁消费者个人信息的情况。".to_string(),
        (true, false, false) => "We do not have actual knowledge that we sell or share the personal information of consumers under 16 years of age.".to_string(),
        (true, false, true) => "我们并不知悉（actual knowledge）出售或共享未满 16 周岁消费者个人信息的情况。".to_string(),
        (true, true, false) => "Some of the consumers whose personal information we sell or share may be under 16. We sell or share the personal information of a consumer under 16 only if the consumer (or, under 13, a parent or guardian) has opted in (Cal. Civ. Code § 1798.120(c)).".to_string(),
        (true, true, true) => "我们出售或共享其个人信息的消费者中可能有未满 16 周岁者。对于未满 16 周岁的消费者，只有在其本人（未满 13 周岁的，由其父母或监护人）选择同意后，我们才会出售或共享其个人信息（《加州民法典》第 1798.120(c) 条）。".to_string(),
    };

    // Rights (7011(e)(2)) and how to exercise them (7011(e)(3)).
    let how = |k: RightKind| handler(m, k).and_then(|h| channels_sentence(m, h, lang));
    // The requests section lists the ways to ask for any of know, delete and correct; a
    // right says how to exercise it only when its own ways differ from that list.
    let common: Vec<RequestChannel> = {
        let mut v: Vec<RequestChannel> = Vec::new();
        for k in [
            RightKind::Access,
            RightKind::Erasure,
            RightKind::Rectification,
        ] {
            for c in handler(m, k)
                .map(|h| h.channels.as_slice())
                .unwrap_or_default()
            {
                if !v.contains(&c.value) {
                    v.push(c.value);
                }
            }
        }
        v
    };
    let own_how = |k: RightKind| {
        let h = handler(m, k)?;
        let same = h.channels.len() == common.len()
            && h.channels.iter().all(|c| common.contains(&c.value));
        if same {
            None
        } else {
            channels_sentence(m, h, lang)
        }
    };
    let mut rights_v = vec![
        RightCx {
            name: right_name(RightKind::Access, lang),
            what: if z {
                "您有权要求我们告知我们收集的您的个人信息的类别和具体内容、信息来源的类别、收集、出售或共享信息的商业目的，以及我们向哪些类别的第三方披露了这些信息（《加州民法典》第 1798.110、1798.115 条）。".into()
            } else {
                "You can ask us what personal information we have collected about you: the categories and the specific pieces of information, the categories of sources, why we collected, sold or shared it, and the categories of third parties we disclosed it to (Cal. Civ. Code §§ 1798.110, 1798.115).".into()
            },
            how: own_how(RightKind::Access),
        },
        RightCx {
            name: right_name(RightKind::Erasure, lang),
            what: if z {
                "您有权要求我们删除我们向您收集的个人信息，法律允许保留的除外（例如我们依法必须保存的记录）。我们也会通知我们的服务提供商、承包商以及接收过该信息的第三方予以删除（《加州民法典》第 1798.105 条）。".into()
            } else {
                "You can ask us to delete the personal information we collected from you, unless the law allows us to keep it (for example, records we must keep by law). We also tell our service providers, contractors and the third parties that received it to delete it (Cal. Civ. Code § 1798.105).".into()
            },
            how: own_how(RightKind::Erasure),
        },
        RightCx {
            name: right_name(RightKind::Rectification, lang),
            what: if z {
                "如果我们持有的您的个人信息不准确，您有权要求我们更正（《加州民法典》第 1798.106 条）。".into()
            } else {
                "You can ask us to correct inaccurate personal information we hold about you (Cal. Civ. Code § 1798.106).".into()
            },
            how: own_how(RightKind::Rectification),
        },
    ];
    rights_v.push(RightCx {
        name: right_name(RightKind::OptOutSaleShare, lang),
        what: match (sells, z) {
            (true, false) => "You can tell us at any time not to sell your personal information or share it for cross-context behavioural advertising (Cal. Civ. Code § 1798.120).".into(),
            (true, true) => "您有权随时要求我们不出售您的个人信息，也不为跨情境行为广告（cross-context behavioral advertising）而共享您的个人信息（《加州民法典》第 1798.120 条）。".into(),
            (false, false) => "You can tell us at any time not to sell your personal information or share it for cross-context behavioural advertising (Cal. Civ. Code § 1798.120). We do neither, so there is nothing to opt out of; if that ever changes, we will update this policy and offer the opt-out first.".into(),
            (false, true) => "您有权随时要求我们不出售您的个人信息，也不为跨情境行为广告而共享您的个人信息（《加州民法典》第 1798.120 条）。我们既不出售也不共享个人信息，因此目前无需选择退出；如今后情况有变，我们将先更新本政策并提供选择退出的方式。".into(),
        },
        how: if sells {
            let mut s = how(RightKind::OptOutSaleShare);
            if let Some(l) = &optout_link {
                let extra = if z {
                    format!("您也可以点击“[{}]({})”链接。", l.text, l.url)
                } else {
                    format!("You can also use the “[{}]({})” link.", l.text, l.url)
                };
                s = Some(match s {
                    Some(x) => format!("{x} {extra}"),
                    None => extra,
                });
            }
            s
        } else {
            None
        },
    });
    rights_v.push(RightCx {
        name: right_name(RightKind::LimitSpi, lang),
        what: match (spi_beyond, z) {
            (true, false) => "You can tell us to use and disclose your sensitive personal information only for the purposes 11 CCR § 7027(m) allows, such as providing the goods or services you ask for (Cal. Civ. Code § 1798.121).".into(),
            (true, true) => "您有权要求我们仅为《加州法规》第 11 编第 7027(m) 条允许的目的（例如提供您所要求的商品或服务）使用和披露您的敏感个人信息（《加州民法典》第 1798.121 条）。".into(),
            (false, false) => "You can tell us to use and disclose your sensitive personal information only for the purposes 11 CCR § 7027(m) allows (Cal. Civ. Code § 1798.121). We already use it only for those purposes, so there is nothing to limit.".into(),
            (false, true) => "您有权要求我们仅为《加州法规》第 11 编第 7027(m) 条允许的目的使用和披露您的敏感个人信息（《加州民法典》第 1798.121 条）。我们本就仅为这些目的使用敏感个人信息，因此无需另行限制。".into(),
        },
        how: if spi_beyond {
            let mut s = how(RightKind::LimitSpi);
            if let Some(l) = &limit_link {
                let extra = if z {
                    format!("您也可以点击“[{}]({})”链接。", l.text, l.url)
                } else {
                    format!("You can also use the “[{}]({})” link.", l.text, l.url)
                };
                s = Some(match s {
                    Some(x) => format!("{x} {extra}"),
                    None => extra,
                });
            }
            s
        } else {
            None
        },
    });
    rights_v.push(RightCx {
        name: right_name(RightKind::NonDiscrimination, lang),
        what: if z {
            "我们不会因您行使上述任何权利而歧视您：不会拒绝向您提供商品或服务，不会向您收取不同的价格或提供不同质量的服务；对于员工和求职者，也不会因此进行报复（《加州民法典》第 1798.125 条）。".into()
        } else {
            "We will not treat you differently for exercising any of these rights: we will not deny you goods or services, charge you a different price or give you a different quality of service, nor retaliate against you as an employee or job applicant (Cal. Civ. Code § 1798.125).".into()
        },
        how: handler(m, RightKind::NonDiscrimination)
            .and_then(|h| channels_sentence(m, h, lang))
            .map(|s| {
                if z {
                    format!("如您认为自己受到了区别对待，请告诉我们。{s}")
                } else {
                    format!("If you think we have treated you differently, tell us. {s}")
                }
            }),
    });

    // Opt-out preference signals (1798.135(b), (e); 11 CCR 7025).
    let gpc_decl = optout.and_then(|o| o.gpc.as_ref()).map(|g| &g.value);
    let gpc: Vec<String> = match (gpc_decl, sells, z) {
        (Some(g), _, false) if g.honoured.value => {
            let mut v = vec![
                "We treat an opt-out preference signal, such as Global Privacy Control (GPC), sent by your browser or device as a valid request to opt out of the sale and sharing of your personal information (11 CCR § 7025). It applies to the browser or device that sends it and, if you are signed in, to your account. You do not need to do anything else: turn on GPC in a browser or extension that supports it.".to_string(),
            ];
            v.push(if g.displays_status.value {
                "Our website shows whether we have processed the signal (for example, “Opt-Out Request Honored”).".to_string()
            } else {
                "Our website does not show whether we have processed the signal.".to_string()
            });
            v
        }
        (Some(g), _, true) if g.honoured.value => {
            let mut v = vec![
                "对于您的浏览器或设备发出的选择退出偏好信号，例如全球隐私控制（Global Privacy Control，GPC），我们将其视为拒绝出售和共享您个人信息的有效请求（《加州法规》第 11 编第 7025 条）。该信号适用于发出信号的浏览器或设备；如您已登录，也适用于您的账户。您无需另行操作，只需在支持 GPC 的浏览器或扩展程序中开启该功能。".to_string(),
            ];
            v.push(if g.displays_status.value {
                "我们的网站会显示是否已处理该信号（例如显示“Opt-Out Request Honored”，即“已执行选择退出请求”）。".to_string()
            } else {
                "我们的网站不显示是否已处理该信号。".to_string()
            });
            v
        }
        (_, false, false) => vec![
            "Because we do not sell or share personal information, an opt-out preference signal such as Global Privacy Control (GPC) has nothing to opt you out of: you do not need to send one, and sending one changes nothing in how we treat you. If we ever start to sell or share personal information, we will treat the signal as a valid request to opt out (11 CCR § 7025) and update this policy first.".to_string(),
        ],
        (_, false, true) => vec![
            "由于我们不出售或共享个人信息，全球隐私控制（Global Privacy Control，GPC）等选择退出偏好信号在我们这里没有可退出的对象：您无需发送该信号；即使发送，我们对您的处理方式也不会因此改变。如今后我们开始出售或共享个人信息，我们会将该信号视为有效的选择退出请求（《加州法规》第 11 编第 7025 条），并事先更新本政策。".to_string(),
        ],
        (_, true, false) => vec![
            "We do not currently process opt-out preference signals such as Global Privacy Control (GPC) as requests to opt out; use the methods above instead.".to_string(),
        ],
        (_, true, true) => vec![
            "我们目前不将全球隐私控制（Global Privacy Control，GPC）等选择退出偏好信号作为选择退出请求处理；请使用上述方式提出。".to_string(),
        ],
    };

    let metrics_url = m
        .rights
        .as_ref()
        .and_then(|r| r.decl.request_log.as_ref())
        .and_then(|l| l.metrics_url.clone());

    // Financial incentives (7016).
    let incentives = m
        .purposes
        .iter()
        .enumerate()
        .filter_map(|(pu, pr)| {
            let fi = &pr.decl.financial_incentive.as_ref()?.value;
            let mut ls: Vec<String> = pr
                .categories
                .iter()
                .filter(|c| m.taxonomy.cat(c.cat).personal)
                .map(|c| {
                    let l: Vec<&str> = cat_letters(m, c.cat);
                    let label = category_label(m, c.cat, lang);
                    if l.is_empty() {
                        label
                    } else if z {
                        format!("{label}（{}类）", l.join("、"))
                    } else {
                        format!("{label} ({})", l.join(", "))
                    }
                })
                .collect();
            ls.sort();
            let consent = fi
                .consent
                .as_ref()
                .and_then(|c| m.consents.iter().find(|x| x.id.value == c.value))
                .or_else(|| pr.consent.map(|c| &m.consents[c]));
            let opt_in = consent.map(|c| {
                let t = loc_title(&c.decl.title, &c.id.value, lang);
                let chans: Vec<String> = c
                    .decl
                    .channels
                    .iter()
                    .map(|ch| collection_channel(ch, lang))
                    .collect();
                match (chans.is_empty(), z) {
                    (true, false) => format!("You join by giving your consent (“{t}”)."),
                    (false, false) => format!(
                        "You join by giving your consent (“{t}”) {}.",
                        list(&chans, lang)
                    ),
                    (true, true) => format!("您可以通过给予同意（“{t}”）加入。"),
                    (false, true) => format!("您可以{}给予同意（“{t}”）加入。", list(&chans, lang)),
                }
            });
            Some(IncentiveCx {
                title: purpose_title(m, pu, lang),
                summary: text(&pr.decl.description, lang),
                categories: list(&ls, lang),
                opt_in,
                withdraw: consent
                    .and_then(|c| c.decl.withdrawal.as_ref())
                    .and_then(|w| text(w, lang)),
                value: fi.value_estimate.as_ref().and_then(|v| text(v, lang)),
                url: fi.notice_url.clone(),
            })
        })
        .collect();

    let spans: Vec<Span> = m
        .organization
        .iter()
        .map(|o| o.span)
        .chain(std::iter::once(n.id.span))
        .chain(m.purposes.iter().map(|p| p.id.span))
        .chain(m.datasets.iter().map(|d| d.id.span))
        .chain(m.recipients.iter().map(|r| r.id.span))
        .chain(m.flows.iter().map(|f| f.decl.span))
        .chain(m.rights.iter().map(|r| r.decl.span))
        .collect();

    Cx {
        generated_from: source_list(m, spans),
        title,
        business,
        contact: contact_lines(m, lang),
        audience,
        last_updated: n
            .decl
            .last_updated
            .as_ref()
            .map(|d| date_words_us(d.value, lang)),
        version: n.decl.version.clone(),
        categories,
        collects_spi,
        sells_or_shares: sells,
        optout_link,
        limit_link,
        policy_url,
        controllers,
        retention,
        purposes,
        sold: disclose_rows(sold_to),
        disclosed: disclose_rows(disclosed_to),
        spi_use,
        minors,
        rights: rights_v,
        requests: requests(m, lang),
        gpc,
        metrics_url,
        incentives,
    }
}

/// Where a consent is collected (`web`, `app`, `store`...), as words after a verb.
fn collection_channel(ch: &str, lang: Language) -> String {
    match (ch, zh(lang)) {
        ("web", false) => "on our website".into(),
        ("app", false) => "in our app".into(),
        ("mini_program", false) => "in our mini program".into(),
        ("store", false) => "in our stores".into(),
        ("phone", false) => "by phone".into(),
        ("paper", false) => "on a paper form".into(),
        ("web", true) => "在我们的网站上".into(),
        ("app", true) => "在我们的 App 中".into(),
        ("mini_program", true) => "在我们的小程序中".into(),
        ("store", true) => "在我们的门店".into(),
        ("phone", true) => "通过电话".into(),
        ("paper", true) => "通过纸质表格".into(),
        (other, false) => format!("through {}", words(other)),
        (other, true) => format!("通过“{other}”"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Date;

    #[test]
    fn deadlines_and_dates_read_in_both_languages() {
        let d = Deadline::parse("P45D").unwrap();
        assert_eq!(deadline_words(&d, Language::En), "45 days");
        assert_eq!(deadline_words(&d, Language::ZhCn), "45天");
        let b = Deadline::parse("10 business days").unwrap();
        assert_eq!(deadline_words(&b, Language::En), "10 business days");
        assert_eq!(deadline_words(&b, Language::ZhCn), "10个工作日");
        let date = Date::parse("2026-10-15").unwrap();
        assert_eq!(date_words_us(date, Language::En), "October 15, 2026");
        assert_eq!(date_words_us(date, Language::ZhCn), "2026年10月15日");
    }

    #[test]
    fn statutory_names_are_exact() {
        assert_eq!(letter_name("A", Language::En), "Identifiers");
        assert_eq!(
            letter_name("L", Language::En),
            "Sensitive personal information"
        );
        assert_eq!(
            letter_name("D", Language::ZhCn),
            "商业信息（Commercial information）"
        );
        assert_eq!(
            right_name(RightKind::Erasure, Language::En),
            "Right to Delete"
        );
    }
}
