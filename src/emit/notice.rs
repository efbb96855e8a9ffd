//! The GDPR privacy notices, Art 13 (data collected from the people it concerns) and Art 14
//! (data obtained from other sources), in English and Simplified Chinese: one notice per
//! declared `notices:` entry of kind `gdpr_art13` or `gdpr_art14`, in each of its languages
//! (`notices/<notice-id>.<lang>.md`, written by [`crate::emit::generate`]).
//!
//! Rust builds a serializable [`NoticeContext`] with every sentence's facts already in plain
//! words, in the notice's language; the handlebars templates only lay them out with `#each`
//! and `#if`. There are four templates, one per kind and language, all rendered through
//! [`crate::emit::templates::render`] (so a project may override each one in its
//! `templates/` folder): `gdpr_art13.en.md.hbs`, `gdpr_art13.zh-CN.md.hbs`,
//! `gdpr_art14.en.md.hbs`, `gdpr_art14.zh-CN.md.hbs`. They share one context; an Art 14
//! template shows `sources` (Art 14(1)(d), 14(2)(f)) and leaves out `required` (13(2)(e)),
//! an Art 13 template does the reverse. Items follow REGULATIONS.md §2.1 (Art 13(1)(a)–(f),
//! 13(2)(a)–(f), 14(1)–(2), 21(4)); the checklist of
//! [`crate::rules::checklist::gdpr`] decides which are required, and the rules refuse a
//! build that lacks one, so the generator assumes nothing beyond what it is given and leaves
//! out what is absent.
//!
//! What a notice covers ([`Scope`]):
//! - its subjects: those it lists, else every kind of subject in the GDPR's scope
//!   ([`crate::rules::checklist::notice_subjects`]); a project without subjects gets one
//!   notice about everything;
//! - for a kind of subject S: a dataset, when its `subjects` include S; a purpose, when a
//!   flow from S names it, or a flow from or to a dataset that concerns S, or a role that
//!   lists such a dataset. A purpose that nothing ties to any kind of subject (no such flow
//!   or role at all) is shown in every notice: lawful cannot tell whom it concerns, and
//!   leaving it out would hide it from the people it does concern;
//! - an Art 14 notice covers its `datasets`, else every dataset of its subjects whose
//!   `source` is not the subject (and that claims no Art 14(5) exemption): the purposes tied
//!   to those datasets, and the flows that leave them. When there is no such dataset it
//!   covers what an Art 13 notice would;
//! - a recipient or a transfer, when a flow from S or from a dataset that concerns S reaches
//!   it carrying a purpose the notice covers (or no purpose at all: the data goes there
//!   whatever the reason);
//! - retention, for the personal datasets the notice covers;
//! - consent withdrawal, for the consents of the purposes the notice covers that rest on
//!   consent under the GDPR (Art 6(1)(a), or Art 9(2)(a) explicit consent). Consents that
//!   only the PIPL or the CCPA need are not the GDPR notice's business.
//!
//! Decisions:
//! - Manifest text is taken in the notice's language. A Chinese notice uses the English text
//!   of an item that has no zh-CN version rather than failing (see [`text`]).
//! - A purpose without a title is headed by its id in words (`order_fulfilment` → "Order
//!   fulfilment"); its description follows as usual. No marker is shown: the notice is for
//!   the public, and the rules are where missing text is reported.
//! - Rights come from the `rights:` section: only rights that have a handler are listed,
//!   each with the ways to make a request (its `channels`, in words, with the
//!   organisation's web address, email, phone and postal address), the answer time (the
//!   handlers' `sla`, `extension` and `notify_extension_within`, else the statutory ones of
//!   src/reference/rights.tsv) and the identity check. A project without a `rights:`
//!   section gets the statutory list and the general contact, as before: the rules report
//!   the missing handlers, and a notice must not hide rights people have by law. The right
//!   to object has its own section, apart from the others (Art 21(4)).
//! - Recipients are the recipients some flow reaches, grouped by their GDPR role
//!   (processors and sub-processors together; independent controllers; joint controllers;
//!   recipients without a GDPR role last), each with its country's name in the language.
//! - A transfer is a flow for which [`crate::graph::DataFlowGraph::is_gdpr_transfer`] holds;
//!   one line per destination and safeguard. A transfer under an adequacy decision that
//!   covers only part of a country says so (the United States, Canada, Japan, the Republic
//!   of Korea). English country names inside sentences take "the" where English needs it.
//! - Retention is listed per personal dataset that declares one, by its title (or its id in
//!   words), with the anchor field in words when its meaning is clear ("kept for 3 years
//!   after the record was last changed") and quoted when it is not. Anonymisation is
//!   described from the fields' methods: "we erase the details that identify you" only
//!   when every personal field is set to NULL or cut to its year; otherwise the erased
//!   fields are named and the rest is said to be kept in pseudonymised form (GDPR Art 4(5),
//!   Recital 26). The Chinese notice names fields by their category's Chinese label. A
//!   field's `title`, in the notice's language, names it in both places instead.
//! - Under a purpose that also concerns other kinds of subject, a notice lists only the
//!   categories its own subjects' data holds: a staff notice does not list customers'
//!   purchases under a purpose that reaches staff only through a shared address table.
//! - Text from the manifest is inserted as written (Markdown allowed); nothing is
//!   HTML-escaped, since the output is Markdown and the authors are the project's own team.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Project;
use crate::emit::words::{
    cat_label, country_name, date_words, deadline_words, duration_words, list, list_or,
    lower_first, text, zh,
};
use crate::emit::{humanize, source_list, templates, words};
use crate::manifest::types::{
    AdmSafeguard, AnonymiseMethod, Art9Condition, DataRequired, DataSource, GdprBasis, GdprRole,
    GdprTransfer, Language, NoticeKind, Party, RegimeName, RequestChannel, RetentionAction,
    RightHandler, RightKind,
};
use crate::manifest::{Deadline, Localized, Period, Span};
use crate::model::{DatasetR, Model, NodeRef};
use crate::reference::countries;
use crate::report::Diagnostic;
use crate::rules::checklist::notice_subjects;
use crate::rules::facts;
use crate::taxonomy::CatId;

/// Everything the templates show.
#[derive(Serialize, Debug)]
pub struct NoticeContext {
    pub generated_from: String,
    /// The notice's title in its language, or a default heading.
    pub title: String,
    /// Version and date of the last update, as one sentence.
    pub version: Option<String>,
    /// Whom the notice is for, in words (`customers`), when it lists its subjects.
    pub audience: Option<String>,
    pub controller: PartyCx,
    pub representative: Option<PartyCx>,
    pub dpo: Option<PartyCx>,
    /// The sentence that introduces the data protection officer.
    pub dpo_intro: Option<String>,
    pub purposes: Vec<PurposeCx>,
    /// Where the data comes from (Art 14 notices).
    pub sources: Vec<SourceCx>,
    pub recipient_groups: Vec<RecipientGroup>,
    pub transfers: Vec<TransferCx>,
    /// Where to ask for a copy of the transfer safeguards.
    pub safeguard_copy_contact: Option<String>,
    pub retention: Vec<RetentionCx>,
    pub objection: ObjectionCx,
    /// The rights people can use, each in one line.
    pub rights: Vec<RightCx>,
    /// How to make a request: one entry for all rights, or one per group of rights with
    /// the same channels.
    pub request_ways: Vec<RequestWayCx>,
    /// The general contact, when the project declares no `rights:` section.
    pub rights_contact: Option<String>,
    /// When requests are answered, as one sentence.
    pub answer_time: Option<String>,
    pub free_of_charge: bool,
    /// How the requester's identity is checked.
    pub verification: Option<String>,
    pub uses_consent: bool,
    pub withdrawals: Vec<WithdrawalCx>,
    /// Other ways to withdraw consent (the `withdraw_consent` handler's channels).
    pub withdraw_ways: Option<String>,
    pub supervisory_authority: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct PartyCx {
    pub name: String,
    /// Contact lines: address, email, phone, web.
    pub lines: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct PurposeCx {
    pub title: String,
    pub description: Option<String>,
    pub basis: Option<String>,
    pub legitimate_interest: Option<String>,
    pub special_condition: Option<String>,
    pub categories: Option<String>,
    /// Whether people must provide the data (Art 13(2)(e)).
    pub required: Option<String>,
    pub if_not_provided: Option<String>,
    /// The logic of an automated decision (Art 13(2)(f), 14(2)(g)).
    pub automated_logic: Option<String>,
    /// Its significance and the safeguards, as sentences.
    pub automated_note: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct SourceCx {
    pub what: String,
    pub holds: Option<String>,
    pub source: String,
}

#[derive(Serialize, Debug)]
pub struct RecipientGroup {
    pub heading: String,
    pub intro: String,
    pub recipients: Vec<RecipientCx>,
}

#[derive(Serialize, Debug)]
pub struct RecipientCx {
    pub name: String,
    pub country: Option<String>,
    pub description: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct TransferCx {
    pub destination: String,
    pub country: String,
    pub safeguard: String,
    pub risks: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct RetentionCx {
    pub what: String,
    pub holds: Option<String>,
    pub period: String,
}

#[derive(Serialize, Debug)]
pub struct WithdrawalCx {
    pub title: String,
    pub how: String,
}

/// The right to object (Art 21), shown apart from the other rights (Art 21(4)).
#[derive(Serialize, Debug)]
pub struct ObjectionCx {
    /// Some purpose relies on legitimate interests or a public task (Art 21(1)).
    pub applies: bool,
    /// Those purposes' titles.
    pub purposes: Option<String>,
    /// The titles of the direct-marketing purposes (Art 21(2)–(3)).
    pub marketing: Option<String>,
    /// How to object (the `objection` handler's channels).
    pub how: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct RightCx {
    pub label: String,
    pub what: String,
}

#[derive(Serialize, Debug)]
pub struct RequestWayCx {
    /// The rights this way serves, in words; `None` when it serves all of them.
    pub rights: Option<String>,
    pub ways: String,
}

/// The Markdown of GDPR notice `notice` (an index into `Model::notices`) in `lang`.
///
/// Errors: the template (built-in or the project's override) does not render.
pub fn gdpr(p: &Project, notice: usize, lang: Language) -> Result<Option<String>, Vec<Diagnostic>> {
    let art14 = p.model.notices[notice].decl.kind.value == NoticeKind::GdprArt14;
    let (name, builtin) = match (art14, lang) {
        (false, Language::En) => (
            "gdpr_art13.en.md.hbs",
            include_str!("templates/gdpr_art13.en.md.hbs"),
        ),
        (false, Language::ZhCn) => (
            "gdpr_art13.zh-CN.md.hbs",
            include_str!("templates/gdpr_art13.zh-CN.md.hbs"),
        ),
        (true, Language::En) => (
            "gdpr_art14.en.md.hbs",
            include_str!("templates/gdpr_art14.en.md.hbs"),
        ),
        (true, Language::ZhCn) => (
            "gdpr_art14.zh-CN.md.hbs",
            include_str!("templates/gdpr_art14.zh-CN.md.hbs"),
        ),
    };
    let cx = context(p, notice, lang);
    templates::render(p, name, builtin, &cx)
        .map(Some)
        .map_err(|d| {
            vec![(*d).with_target(format!("notices.{}", p.model.notices[notice].id.value))]
        })
}

/// A title in the notice's language, else the id in words.
fn title_of(l: &Localized, id: &str, lang: Language) -> String {
    text(l, lang).unwrap_or_else(|| id_title(id))
}

/// A text without its final full stop, for a template that adds one.
fn no_stop(s: &str) -> String {
    s.trim_end().trim_end_matches(['.', '。']).to_string()
}

fn party(name: Option<&str>, p: &Party, lang: Language) -> Option<PartyCx> {
    let name = name.or(p.name.as_deref())?.to_string();
    let (email, phone, web) = if zh(lang) {
        ("电子邮箱：", "电话：", "网址：")
    } else {
        ("Email: ", "Phone: ", "Web: ")
    };
    let mut lines = Vec::new();
    if let Some(a) = &p.address {
        lines.push(a.clone());
    }
    if let Some(e) = &p.email {
        lines.push(format!("{email}{e}"));
    }
    if let Some(t) = &p.phone {
        lines.push(format!("{phone}{t}"));
    }
    if let Some(u) = &p.url {
        lines.push(format!("{web}{u}"));
    }
    if p.address.is_none()
        && let Some(c) = &p.country
    {
        lines.push(country_name(c.value.as_str(), lang));
    }
    Some(PartyCx { name, lines })
}

fn basis_words(b: GdprBasis, law: Option<&str>, lang: Language) -> String {
    if zh(lang) {
        return match b {
            GdprBasis::Consent => "您的同意（GDPR 第6条第1款(a)项）".into(),
            GdprBasis::Contract => "履行我们与您之间的合同所必需，或应您的要求在订立合同前采取措施所必需（GDPR 第6条第1款(b)项）".into(),
            GdprBasis::LegalObligation => match law {
                Some(law) => format!("履行法定义务所必需：{law}（GDPR 第6条第1款(c)项）"),
                None => "履行我们的法定义务所必需（GDPR 第6条第1款(c)项）".into(),
            },
            GdprBasis::VitalInterests => "保护您或他人的生命健康所必需（GDPR 第6条第1款(d)项）".into(),
            GdprBasis::PublicTask => "执行符合公共利益的任务或行使官方权力所必需（GDPR 第6条第1款(e)项）".into(),
            GdprBasis::LegitimateInterests => "为实现我们的正当利益所必需，我们已就此与您的利益和权利进行了权衡（GDPR 第6条第1款(f)项）".into(),
        };
    }
    match b {
        GdprBasis::Consent => "your consent (Art 6(1)(a) GDPR)".into(),
        GdprBasis::Contract => {
            "it is necessary to perform our contract with you, or to take steps you ask for before entering into one (Art 6(1)(b) GDPR)".into()
        }
        GdprBasis::LegalObligation => match law {
            Some(law) => format!("the law requires us to do it: {law} (Art 6(1)(c) GDPR)"),
            None => "the law requires us to do it (Art 6(1)(c) GDPR)".into(),
        },
        GdprBasis::VitalInterests => {
            "it is necessary to protect your life or health, or someone else's (Art 6(1)(d) GDPR)".into()
        }
        GdprBasis::PublicTask => {
            "it is necessary for a task we carry out in the public interest or as an official authority (Art 6(1)(e) GDPR)".into()
        }
        GdprBasis::LegitimateInterests => {
            "it is necessary for our legitimate interests, which we have weighed against your interests and rights (Art 6(1)(f) GDPR)".into()
        }
    }
}

fn art9_words(c: Art9Condition, lang: Language) -> &'static str {
    if zh(lang) {
        return match c {
            Art9Condition::ExplicitConsent => "您的明确同意（GDPR 第9条第2款(a)项）",
            Art9Condition::EmploymentSocialSecurity => {
                "履行劳动、社会保障和社会保护法规定的义务并行使相关权利（GDPR 第9条第2款(b)项）"
            }
            Art9Condition::VitalInterests => {
                "在您无法表示同意时，保护您或他人的生命健康（GDPR 第9条第2款(c)项）"
            }
            Art9Condition::NotForProfitBody => {
                "与您保持经常联系的非营利机构开展的活动（GDPR 第9条第2款(d)项）"
            }
            Art9Condition::MadePublicBySubject => {
                "这些数据已由您本人明确公开（GDPR 第9条第2款(e)项）"
            }
            Art9Condition::LegalClaims => "确立、行使或抗辩法律主张（GDPR 第9条第2款(f)项）",
            Art9Condition::SubstantialPublicInterest => {
                "法律规定的重大公共利益（GDPR 第9条第2款(g)项）"
            }
            Art9Condition::HealthCare => {
                "依法律或与医疗专业人员订立的合同提供医疗或社会照护（GDPR 第9条第2款(h)项）"
            }
            Art9Condition::PublicHealth => "法律规定的公共卫生事由（GDPR 第9条第2款(i)项）",
            Art9Condition::ArchivingResearch => {
                "为公共利益进行存档、科学或历史研究或统计（GDPR 第9条第2款(j)项）"
            }
        };
    }
    match c {
        Art9Condition::ExplicitConsent => "your explicit consent (Art 9(2)(a) GDPR)",
        Art9Condition::EmploymentSocialSecurity => {
            "our duties and your rights under employment, social security and social protection law (Art 9(2)(b) GDPR)"
        }
        Art9Condition::VitalInterests => {
            "protecting your life or health, or someone else's, when you cannot give consent (Art 9(2)(c) GDPR)"
        }
        Art9Condition::NotForProfitBody => {
            "the activities of a not-for-profit body you are in regular contact with (Art 9(2)(d) GDPR)"
        }
        Art9Condition::MadePublicBySubject => {
            "you have clearly made the data public yourself (Art 9(2)(e) GDPR)"
        }
        Art9Condition::LegalClaims => {
            "establishing, exercising or defending legal claims (Art 9(2)(f) GDPR)"
        }
        Art9Condition::SubstantialPublicInterest => {
            "reasons of substantial public interest set out in law (Art 9(2)(g) GDPR)"
        }
        Art9Condition::HealthCare => {
            "providing health or social care under the law or a contract with a health professional (Art 9(2)(h) GDPR)"
        }
        Art9Condition::PublicHealth => "reasons of public health set out in law (Art 9(2)(i) GDPR)",
        Art9Condition::ArchivingResearch => {
            "archiving in the public interest, scientific or historical research, or statistics (Art 9(2)(j) GDPR)"
        }
    }
}

/// A country's English name as it reads inside a sentence: "the United States", "the
/// Netherlands", but "Japan". `code` is an alpha-2 code or a subdivision (`US-CA`).
fn country_in_sentence(code: &str) -> String {
    let alpha2 = code.get(..2).unwrap_or(code);
    let name = countries::name_en(code);
    // The names of src/reference/countries.tsv that English writes with "the".
    const WITH_THE: &[&str] = &[
        "AE", "AX", "BS", "CC", "CD", "CF", "CG", "CK", "DO", "FK", "FO", "GB", "GM", "IM", "IO",
        "KM", "KY", "MH", "MP", "MV", "NL", "PH", "PN", "SB", "SC", "TC", "TF", "UM", "US", "VG",
        "VI",
    ];
    if WITH_THE.contains(&alpha2) {
        format!("the {name}")
    } else {
        name.to_string()
    }
}

/// What an adequacy decision says for a destination, in plain words, with the limits of the
/// decisions that cover only part of a country (REGULATIONS.md §3.2): the United States
/// (organisations certified under the Data Privacy Framework), Canada (PIPEDA's commercial
/// scope), Japan (the private sector), the Republic of Korea (entities under PIPA).
/// `to_recipient`: the data goes to a recipient (not to our own systems).
fn adequacy_words(code: &str, to_recipient: bool, lang: Language) -> String {
    let alpha2 = code.get(..2).unwrap_or(code);
    if zh(lang) {
        let country = countries::name_zh(code);
        return match alpha2 {
            "US" => format!(
                "{}欧盟—美国数据隐私框架的认证；欧盟委员会已认定，通过该框架认证的机构能够为个人数据提供充分保护（第 (EU) 2023/1795 号决定，GDPR 第45条）",
                if to_recipient {
                    "接收方已取得"
                } else {
                    "此项传输依据"
                }
            ),
            "CA" => format!(
                "欧盟委员会已认定，{country}依联邦私营部门隐私法（PIPEDA）开展商业活动的机构能够为个人数据提供充分保护（第 2002/2/EC 号决定，GDPR 第45条）"
            ),
            "JP" => format!(
                "欧盟委员会已认定，{country}的私营企业能够为个人数据提供充分保护（第 (EU) 2019/419 号决定，GDPR 第45条）"
            ),
            "KR" => format!(
                "欧盟委员会已认定，{country}受《个人信息保护法》（PIPA）约束的机构能够为个人数据提供充分保护（第 (EU) 2022/254 号决定，GDPR 第45条）"
            ),
            _ => format!(
                "欧盟委员会已认定{country}能够为个人数据提供充分保护（充分性认定，GDPR 第45条）"
            ),
        };
    }
    let country = country_in_sentence(code);
    let decided = format!(
        "the European Commission has decided that {country} protects personal data adequately"
    );
    match alpha2 {
        "US" => format!(
            "{} its certification under the EU-US Data Privacy Framework; the European Commission has decided that organisations certified under it protect personal data adequately (Decision (EU) 2023/1795, Art 45 GDPR)",
            if to_recipient {
                "the recipient relies on"
            } else {
                "this relies on"
            }
        ),
        "CA" => format!(
            "{decided} where it is handled by organisations in their commercial activities under PIPEDA, Canada's federal private-sector privacy law (Decision 2002/2/EC, Art 45 GDPR)"
        ),
        "JP" => format!(
            "{decided} where it is handled by private businesses (Decision (EU) 2019/419, Art 45 GDPR)"
        ),
        "KR" => format!(
            "{decided} where it is handled by organisations subject to Korea's Personal Information Protection Act (PIPA) (Decision (EU) 2022/254, Art 45 GDPR)"
        ),
        _ => format!("{decided} (adequacy decision, Art 45 GDPR)"),
    }
}

/// The safeguard of a transfer in words, and the risks to point out (Art 49(1)(a)).
fn safeguard_words(
    t: GdprTransfer,
    code: &str,
    to_recipient: bool,
    lang: Language,
) -> (String, Option<String>) {
    use GdprTransfer as T;
    let (en, cn) = match t {
        T::Adequacy => return (adequacy_words(code, to_recipient, lang), None),
        T::SccC2c | T::SccC2p | T::SccP2p | T::SccP2c => (
            "the standard contractual clauses adopted by the European Commission (Art 46(2)(c) GDPR)",
            "欧盟委员会通过的标准合同条款（GDPR 第46条第2款(c)项）",
        ),
        T::Bcr => (
            "binding corporate rules approved by a data protection authority (Art 47 GDPR)",
            "经数据保护监管机构批准的有约束力的公司规则（GDPR 第47条）",
        ),
        T::CodeOrCertification => (
            "an approved code of conduct or certification, with binding commitments by the recipient (Art 46(2)(e) and (f) GDPR)",
            "经批准的行为准则或认证机制，并由接收方作出有约束力的承诺（GDPR 第46条第2款(e)项和(f)项）",
        ),
        T::Derogation491A => (
            "your explicit consent to this transfer (Art 49(1)(a) GDPR)",
            "您对此项传输的明确同意（GDPR 第49条第1款(a)项）",
        ),
        T::Derogation491B => (
            "the transfer is necessary to perform our contract with you (Art 49(1)(b) GDPR)",
            "此项传输为履行我们与您之间的合同所必需（GDPR 第49条第1款(b)项）",
        ),
        T::Derogation491C => (
            "the transfer is necessary for a contract made in your interest (Art 49(1)(c) GDPR)",
            "此项传输为订立或履行为您的利益而签订的合同所必需（GDPR 第49条第1款(c)项）",
        ),
        T::Derogation491D => (
            "the transfer is necessary for important reasons of public interest (Art 49(1)(d) GDPR)",
            "此项传输基于重要的公共利益所必需（GDPR 第49条第1款(d)项）",
        ),
        T::Derogation491E => (
            "the transfer is necessary to establish, exercise or defend legal claims (Art 49(1)(e) GDPR)",
            "此项传输为确立、行使或抗辩法律主张所必需（GDPR 第49条第1款(e)项）",
        ),
        T::Derogation491F => (
            "the transfer is necessary to protect your life or health, or someone else's, when you cannot give consent (Art 49(1)(f) GDPR)",
            "在您无法表示同意时，此项传输为保护您或他人的生命健康所必需（GDPR 第49条第1款(f)项）",
        ),
        T::Derogation491G => (
            "the data comes from a public register (Art 49(1)(g) GDPR)",
            "相关数据来自公共登记簿（GDPR 第49条第1款(g)项）",
        ),
    };
    let risks = (t == T::Derogation491A).then(|| {
        if zh(lang) {
            format!(
                "向{}的此项传输既没有充分性认定，也没有标准合同条款等保障措施，因此您的数据在当地受到的保护可能不及在欧盟境内，您行使权利也可能更加困难。",
                countries::name_zh(code)
            )
        } else {
            format!(
                "No adequacy decision covers this transfer to {}, and no safeguard such as standard contractual clauses protects it, so your data may be less protected there than in the EU, and you may find it harder to exercise your rights.",
                country_in_sentence(code)
            )
        }
    });
    (if zh(lang) { cn } else { en }.to_string(), risks)
}

/// Whether people must provide the data (Art 13(2)(e)), as a sentence.
fn required_words(r: DataRequired, lang: Language) -> &'static str {
    match (r, zh(lang)) {
        (DataRequired::Statutory, false) => "The law requires you to provide this data.",
        (DataRequired::Contractual, false) => {
            "Our contract with you requires you to provide this data."
        }
        (DataRequired::ContractPrecondition, false) => {
            "We need this data to enter into a contract with you."
        }
        (DataRequired::Voluntary, false) => "Providing this data is up to you.",
        (DataRequired::Statutory, true) => "法律要求您提供这些数据。",
        (DataRequired::Contractual, true) => "根据我们与您之间的合同，您需要提供这些数据。",
        (DataRequired::ContractPrecondition, true) => "我们需要这些数据才能与您订立合同。",
        (DataRequired::Voluntary, true) => "是否提供这些数据由您自行决定。",
    }
}

/// What a person can do about an automated decision, as a verb phrase.
fn adm_safeguard_words(s: AdmSafeguard, lang: Language) -> &'static str {
    match (s, zh(lang)) {
        (AdmSafeguard::HumanReview, false) => "ask for a person to review it",
        (AdmSafeguard::ExpressView, false) => "give your point of view",
        (AdmSafeguard::Contest, false) => "contest it",
        (AdmSafeguard::Explanation, false) => "ask us to explain it",
        (AdmSafeguard::Refuse, false) => "refuse it",
        (AdmSafeguard::HumanReview, true) => "要求由人工复核",
        (AdmSafeguard::ExpressView, true) => "发表您的意见",
        (AdmSafeguard::Contest, true) => "对决定提出异议",
        (AdmSafeguard::Explanation, true) => "要求我们予以说明",
        (AdmSafeguard::Refuse, true) => "拒绝该决定",
    }
}

/// Where the data of an Art 14 notice comes from, as the end of a sentence ("we obtained
/// it from …") or, in Chinese, as a predicate ("由…提供"). `from`: the recipients whose
/// flows bring the data, by name.
fn source_words(s: Option<DataSource>, from: &[String], lang: Language) -> String {
    let named = (!from.is_empty()).then(|| list(from, lang));
    match (s, zh(lang)) {
        (Some(DataSource::ThirdParty) | None, false) => match named {
            Some(n) => format!("we obtained it from {n}"),
            None => "we obtained it from other organisations".into(),
        },
        (Some(DataSource::Public), false) => match named {
            Some(n) => format!("we obtained it from publicly accessible sources: {n}"),
            None => "we obtained it from publicly accessible sources".into(),
        },
        (Some(DataSource::Observed), false) => {
            "we record it when we observe how you use our services".into()
        }
        (Some(DataSource::Inferred), false) => {
            "we derive it from other data we hold about you".into()
        }
        (Some(DataSource::Subject), false) => "you gave it to us".into(),
        (Some(DataSource::ThirdParty) | None, true) => match named {
            Some(n) => format!("由{n}提供给我们"),
            None => "由其他机构提供给我们".into(),
        },
        (Some(DataSource::Public), true) => match named {
            Some(n) => format!("来自公开渠道（{n}）"),
            None => "来自公开渠道".into(),
        },
        (Some(DataSource::Observed), true) => "在您使用我们的服务时由我们记录".into(),
        (Some(DataSource::Inferred), true) => "由我们根据掌握的您的其他数据推断得出".into(),
        (Some(DataSource::Subject), true) => "由您本人提供".into(),
    }
}

/// The contact facts the request channels are worded with.
struct Contacts {
    web: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    address: Option<String>,
}

/// One way to make a request: a verb phrase in English ("email privacy@example.com"), a
/// noun phrase in Chinese ("电子邮件（privacy@example.com）"). `None` for a channel a GDPR
/// notice does not offer (an opt-out preference signal is a CCPA means).
fn channel_words(ch: RequestChannel, c: &Contacts, lang: Language) -> Option<String> {
    let with = |v: &Option<String>, en: &str, en_with: &str, cn: &str| -> String {
        match (v, zh(lang)) {
            (Some(v), false) => format!("{en_with}{v}"),
            (None, false) => en.to_string(),
            (Some(v), true) => format!("{cn}（{v}）"),
            (None, true) => cn.to_string(),
        }
    };
    Some(match ch {
        RequestChannel::WebForm => with(
            &c.web,
            "fill in the form on our website",
            "fill in the form at ",
            "网页表单",
        ),
        RequestChannel::Email => with(&c.email, "email us", "email ", "电子邮件"),
        RequestChannel::TollFreePhone => with(
            &c.phone,
            "call our toll-free number",
            "call our toll-free number ",
            "免费电话",
        ),
        RequestChannel::Phone => with(&c.phone, "call us", "call us on ", "电话"),
        RequestChannel::InApp => if zh(lang) {
            "我们的应用程序"
        } else {
            "use our app"
        }
        .into(),
        RequestChannel::MiniProgram => if zh(lang) {
            "我们的小程序"
        } else {
            "use our mini program"
        }
        .into(),
        RequestChannel::InStore => if zh(lang) {
            "任一门店"
        } else {
            "ask at any of our stores"
        }
        .into(),
        RequestChannel::Post => with(&c.address, "write to us", "write to us at ", "邮寄信件"),
        RequestChannel::Gpc => return None,
    })
}

/// The ways of a handler, as one phrase ("fill in the form at …, email … or ask at any of
/// our stores"); `None` without channels.
fn ways(h: &RightHandler, c: &Contacts, lang: Language) -> Option<String> {
    let items: Vec<String> = h
        .channels
        .iter()
        .filter_map(|ch| channel_words(ch.value, c, lang))
        .collect();
    (!items.is_empty()).then(|| list_or(&items, lang))
}

/// The GDPR rights a notice lists (Art 15–20, 19, 22(3)), in order, with a label and what
/// the right lets people do. Objection and withdrawal of consent have their own sections.
fn right_words(k: RightKind, lang: Language) -> Option<(&'static str, &'static str)> {
    Some(match (k, zh(lang)) {
        (RightKind::Access, false) => (
            "Access",
            "get a copy of your data and learn how we use it (Art 15 GDPR)",
        ),
        (RightKind::Rectification, false) => (
            "Rectification",
            "have inaccurate data corrected and incomplete data completed (Art 16 GDPR)",
        ),
        (RightKind::Erasure, false) => (
            "Erasure",
            "have your data erased, for example when we no longer need it (Art 17 GDPR)",
        ),
        (RightKind::Restriction, false) => (
            "Restriction",
            "have us limit how we use your data, for example while we check a complaint about its accuracy (Art 18 GDPR)",
        ),
        (RightKind::Portability, false) => (
            "Portability",
            "receive the data you gave us in a common machine-readable format, and have it sent to another organisation (Art 20 GDPR)",
        ),
        (RightKind::RecipientNotification, false) => (
            "Who we told",
            "learn which recipients we told about a correction, erasure or restriction of your data (Art 19 GDPR)",
        ),
        (RightKind::AutomatedDecision, false) => (
            "Automated decisions",
            "have a person review a decision made about you by automated means alone, give your point of view and contest it (Art 22(3) GDPR)",
        ),
        (RightKind::Access, true) => (
            "查阅和复制",
            "获取您的个人数据副本，并了解我们如何使用这些数据（GDPR 第15条）",
        ),
        (RightKind::Rectification, true) => (
            "更正和补充",
            "要求更正不准确的数据、补充不完整的数据（GDPR 第16条）",
        ),
        (RightKind::Erasure, true) => (
            "删除",
            "要求删除您的数据，例如在我们不再需要这些数据时（GDPR 第17条）",
        ),
        (RightKind::Restriction, true) => (
            "限制处理",
            "要求我们限制使用您的数据，例如在我们核实您对数据准确性提出的异议期间（GDPR 第18条）",
        ),
        (RightKind::Portability, true) => (
            "数据可携带",
            "以常用的机器可读格式获取您提供给我们的数据，并要求我们将其传输给其他机构（GDPR 第20条）",
        ),
        (RightKind::RecipientNotification, true) => (
            "了解通知对象",
            "了解我们已将对您数据的更正、删除或限制处理告知了哪些接收方（GDPR 第19条）",
        ),
        (RightKind::AutomatedDecision, true) => (
            "自动化决策",
            "对完全以自动化方式作出的涉及您的决定，要求由人工复核、发表您的意见并提出异议（GDPR 第22条第3款）",
        ),
        _ => return None,
    })
}

/// The datasets an Art 14 notice covers: those it lists, else every dataset of its subjects
/// obtained from someone other than the subject (its `source` says so) that claims no
/// Art 14(5) exemption.
fn art14_datasets(m: &Model, notice: usize, subjects: &[usize]) -> Vec<usize> {
    let n = &m.notices[notice];
    if !n.datasets.is_empty() {
        return n.datasets.clone();
    }
    (0..m.datasets.len())
        .filter(|&d| {
            let ds = &m.datasets[d];
            (subjects.is_empty() || ds.subjects.iter().any(|s| subjects.contains(s)))
                && ds.decl.source.is_some_and(|s| s != DataSource::Subject)
                && ds.decl.notice_exemption.is_none()
        })
        .collect()
}

/// The personal categories dataset `d` holds, as labels in the notice's language, sorted.
///
/// Each category is labelled once, not once per field holding it. That gives the list
/// [`join_labels`] makes of every field's label, unless two labels differ only in case: the
/// order of the fields then decides theirs, so every field's label is taken.
fn dataset_labels(m: &Model, d: usize, lang: Language) -> Option<String> {
    let mut labels: Vec<(String, String)> = facts::personal_categories(m, d)
        .iter()
        .map(|&c| {
            let l = cat_label(m, c, lang);
            (l.to_lowercase(), l)
        })
        .collect();
    labels.sort();
    labels.dedup();
    let labels: Vec<String> = if labels.windows(2).any(|w| w[0].0 == w[1].0) {
        m.datasets[d]
            .fields
            .iter()
            .flat_map(|f| f.categories.iter())
            .filter(|c| m.taxonomy.cat(c.cat).personal)
            .map(|c| cat_label(m, c.cat, lang))
            .collect()
    } else {
        labels.into_iter().map(|(_, l)| l).collect()
    };
    join_labels(labels, lang).map(|s| if zh(lang) { s } else { lower_first(&s) })
}

/// Build the context of notice `notice` (an index into `Model::notices`) in `lang`.
pub fn context(p: &Project, notice: usize, lang: Language) -> NoticeContext {
    let m = &p.model;
    let n = &m.notices[notice];
    let cn = zh(lang);
    let art14 = n.decl.kind.value == NoticeKind::GdprArt14;
    let subjects = notice_subjects(m, notice, RegimeName::Gdpr);
    let per_subject: Vec<(usize, Scope)> = subjects.iter().map(|&s| (s, Scope::of(m, s))).collect();
    let sources_ds = if art14 {
        art14_datasets(m, notice, &subjects)
    } else {
        Vec::new()
    };
    let scope = if !sources_ds.is_empty() {
        Scope::of_datasets(m, &sources_ds)
    } else if per_subject.is_empty() {
        Scope::all(m)
    } else {
        let mut s = Scope::none(m);
        for (_, one) in &per_subject {
            s.add(one);
        }
        s
    };

    let audience = (!n.subjects.is_empty() || subjects.len() < m.subjects.len())
        .then(|| {
            let names: Vec<String> = subjects
                .iter()
                .map(|&s| {
                    let sub = &m.subjects[s];
                    let t = title_of(&sub.decl.title, &sub.id.value, lang);
                    if cn { t } else { lower_first(&t) }
                })
                .collect();
            list(&names, lang)
        })
        .filter(|a| !a.is_empty());
    let title = text(&n.decl.title, lang).unwrap_or_else(|| {
        if cn {
            "我们如何使用您的个人数据".into()
        } else {
            "How we use your personal data".into()
        }
    });
    let version = match (&n.decl.version, &n.decl.last_updated) {
        (None, None) => None,
        (Some(v), None) => Some(if cn {
            format!("版本：{v}。")
        } else {
            format!("Version {v}.")
        }),
        (None, Some(d)) => Some(if cn {
            format!("最近更新日期：{}。", date_words(d.value, lang))
        } else {
            format!("Last updated {}.", date_words(d.value, lang))
        }),
        (Some(v), Some(d)) => Some(if cn {
            format!("版本：{v}；最近更新日期：{}。", date_words(d.value, lang))
        } else {
            format!("Version {v}, last updated {}.", date_words(d.value, lang))
        }),
    };

    let org = m.organization.as_ref().map(|o| &o.value);
    let controller = org
        .and_then(|o| party(Some(&o.name.value), &o.contact, lang))
        .unwrap_or(PartyCx {
            name: if cn { "控制者" } else { "the controller" }.into(),
            lines: Vec::new(),
        });
    let representative = org
        .and_then(|o| o.eu_representative.as_ref())
        .and_then(|r| party(None, &r.value, lang));
    let dpo = org.and_then(|o| o.dpo.as_ref()).and_then(|d| {
        let default = if cn {
            "数据保护官"
        } else {
            "Data protection officer"
        };
        party(
            Some(d.value.name.as_deref().unwrap_or(default)),
            &d.value,
            lang,
        )
    });
    // A name that already says what the person is ("Dr Jana Keller (external data
    // protection officer)") is not introduced as such again.
    let dpo_intro = org.and_then(|o| o.dpo.as_ref()).map(|d| {
        let name = d.value.name.as_deref();
        if cn {
            match name {
                None => "您可以就本声明涉及的任何事项联系我们的数据保护官。".to_string(),
                Some(n) => format!("您可以就本声明涉及的任何事项联系我们的数据保护官 {n}。"),
            }
        } else {
            let who = match name {
                None => "our data protection officer".to_string(),
                Some(n) if n.to_lowercase().contains("data protection officer") => n.to_string(),
                Some(n) => format!("our data protection officer, {n},"),
            };
            format!("You can contact {who} about anything in this notice.")
        }
    });
    let general_contact = org
        .and_then(|o| o.contact.email.clone().or(o.contact.url.clone()))
        .or_else(|| {
            org.and_then(|o| o.dpo.as_ref())
                .and_then(|d| d.value.email.clone())
        });
    let contacts = Contacts {
        web: org
            .and_then(|o| o.contact.url.clone().or(o.website.clone()))
            .or(n.decl.url.clone()),
        email: org.and_then(|o| o.contact.email.clone()).or_else(|| {
            org.and_then(|o| o.dpo.as_ref())
                .and_then(|d| d.value.email.clone())
        }),
        phone: org.and_then(|o| o.contact.phone.clone()),
        address: org.and_then(|o| o.contact.address.clone()),
    };

    // The categories of each purpose that the notice's people or datasets hold, when the
    // purpose also concerns others (see `data_of_subject`), sorted and once each. Those of
    // an Art 14 notice's datasets are the same for every purpose: found once.
    let sources_held: Vec<CatId> = {
        let mut v: Vec<CatId> = sources_ds
            .iter()
            .flat_map(|&d| m.datasets[d].fields.iter())
            .flat_map(|f| f.categories.iter().map(|c| c.cat))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    let held_of = |i: usize| -> Option<Vec<CatId>> {
        if !sources_ds.is_empty() {
            return Some(sources_held.clone());
        }
        let mut all = Vec::new();
        for (s, one) in &per_subject {
            all.extend(data_of_subject(m, i, *s, &one.datasets)?);
        }
        all.sort_unstable();
        all.dedup();
        (!per_subject.is_empty()).then_some(all)
    };

    // Purposes, in declaration order.
    let mut uses_consent = false;
    let mut objecting: Vec<String> = Vec::new();
    let mut marketing: Vec<String> = Vec::new();
    let purposes = m
        .purposes
        .iter()
        .enumerate()
        .filter(|(i, _)| scope.purposes[*i])
        .map(|(i, pr)| {
            let d = &pr.decl.value;
            let title = title_of(&d.title, &pr.id.value, lang);
            let basis = m.gdpr_basis(i);
            uses_consent |= basis == Some(GdprBasis::Consent);
            if matches!(
                basis,
                Some(GdprBasis::LegitimateInterests | GdprBasis::PublicTask)
            ) {
                objecting.push(title.clone());
            }
            if d.direct_marketing.as_ref().is_some_and(|b| b.value) {
                marketing.push(title.clone());
            }
            let cond = d.gdpr_art9_condition.as_ref().map(|c| c.value);
            uses_consent |= cond == Some(Art9Condition::ExplicitConsent);
            let held = held_of(i);
            let within = |c: CatId| {
                held.as_ref().is_none_or(|h| {
                    h.iter()
                        .any(|&x| m.taxonomy.is_within(x, c) || m.taxonomy.is_within(c, x))
                })
            };
            let mut cats: Vec<CatId> = pr
                .categories
                .iter()
                .map(|c| c.cat)
                .filter(|&c| within(c))
                .collect();
            if cats.is_empty() {
                // Listing all of the purpose's categories beats listing none.
                cats = pr.categories.iter().map(|c| c.cat).collect();
            }
            let labels: Vec<String> = cats.into_iter().map(|c| cat_label(m, c, lang)).collect();
            let (automated_logic, automated_note) = match &d.automated_decision {
                None => (None, None),
                Some(adm) => {
                    let logic = adm.logic.as_ref().and_then(|l| text(l, lang));
                    let mut note = Vec::new();
                    if adm.solely_automated.value && adm.significant_effect.value {
                        note.push(if cn {
                            "该决定完全以自动化方式作出，可能对您产生重大影响（GDPR 第22条）。".to_string()
                        } else {
                            "This decision is made by automated means alone and can significantly affect you (Art 22 GDPR).".to_string()
                        });
                    }
                    let safeguards: Vec<String> = adm
                        .safeguards
                        .iter()
                        .map(|s| adm_safeguard_words(s.value, lang).to_string())
                        .collect();
                    if !safeguards.is_empty() {
                        note.push(if cn {
                            // "您可以甲、乙，也可以丙。"
                            match safeguards.split_last() {
                                Some((last, init)) if !init.is_empty() => {
                                    format!("您可以{}，也可以{last}。", init.join("、"))
                                }
                                _ => format!("您可以{}。", safeguards.join("")),
                            }
                        } else {
                            format!("You can {}.", list(&safeguards, lang))
                        });
                    }
                    let note = (!note.is_empty()).then(|| note.join(if cn { "" } else { " " }));
                    (logic, note)
                }
            };
            PurposeCx {
                title,
                description: text(&d.description, lang),
                basis: basis.map(|b| basis_words(b, d.law_ref.as_deref(), lang)),
                legitimate_interest: (basis == Some(GdprBasis::LegitimateInterests))
                    .then(|| d.legitimate_interest.as_ref().and_then(|l| text(l, lang)))
                    .flatten()
                    .map(|l| no_stop(&l)),
                special_condition: cond.map(|c| art9_words(c, lang).to_string()),
                categories: join_labels(labels, lang),
                required: d
                    .data_required
                    .as_ref()
                    .map(|r| required_words(r.value, lang).to_string()),
                if_not_provided: d.if_not_provided.as_ref().and_then(|t| text(t, lang)),
                automated_logic,
                automated_note,
            }
        })
        .collect();

    // Where the data of an Art 14 notice comes from: the recipients each dataset receives
    // data from, found in one pass over the flows.
    let mut received: Vec<Vec<String>> = vec![Vec::new(); m.datasets.len()];
    if !sources_ds.is_empty() {
        for f in &m.flows {
            if let (NodeRef::Recipient(r), NodeRef::Dataset(d)) = (f.from, f.to) {
                received[d].push(m.recipients[r].decl.name.value.clone());
            }
        }
    }
    let mut sources: Vec<SourceCx> = sources_ds
        .iter()
        .map(|&d| {
            let ds = &m.datasets[d];
            let mut from = received[d].clone();
            from.sort();
            from.dedup();
            SourceCx {
                what: title_of(&ds.decl.title, &ds.id.value, lang),
                holds: dataset_labels(m, d, lang),
                source: source_words(ds.decl.source, &from, lang),
            }
        })
        .collect();
    sources.sort_by(|a, b| a.what.cmp(&b.what));

    // Recipients reached by a flow, grouped by GDPR role.
    let mut reached: Vec<usize> = m
        .flows
        .iter()
        .enumerate()
        .filter(|(fi, _)| scope.flows[*fi])
        .filter_map(|(_, f)| match f.to {
            NodeRef::Recipient(r) => Some(r),
            _ => None,
        })
        .collect();
    reached.sort();
    reached.dedup();
    let mut groups: BTreeMap<u8, Vec<RecipientCx>> = BTreeMap::new();
    for r in reached {
        let rec = &m.recipients[r].decl.value;
        let key = match rec.role.gdpr.as_ref().map(|g| g.value) {
            Some(GdprRole::Processor | GdprRole::SubProcessor) => 0,
            Some(GdprRole::Controller) => 1,
            Some(GdprRole::JointController) => 2,
            None => 3,
        };
        groups.entry(key).or_default().push(RecipientCx {
            name: rec.name.value.clone(),
            country: rec
                .country
                .as_ref()
                .map(|c| country_name(c.value.as_str(), lang)),
            description: text(&rec.description, lang).map(|t| no_stop(&t)),
        });
    }
    let recipient_groups = groups
        .into_iter()
        .map(|(k, mut recipients)| {
            recipients.sort_by(|a, b| a.name.cmp(&b.name));
            let (heading, intro) = match (k, cn) {
                (0, false) => (
                    "Service providers (processors)",
                    "They process your data only on our instructions and under a contract that protects it.",
                ),
                (1, false) => (
                    "Other organisations (independent controllers)",
                    "They receive data from us and decide themselves how they use it; their own privacy notices apply.",
                ),
                (2, false) => (
                    "Joint controllers",
                    "We decide together with them why and how your data is used. You can exercise your rights with us or with them, and you can ask us for the essence of our arrangement with them.",
                ),
                (_, false) => ("Other recipients", "They receive some of your data from us."),
                (0, true) => (
                    "服务提供商（处理者）",
                    "他们仅按照我们的指示处理您的数据，并受保护数据的合同约束。",
                ),
                (1, true) => (
                    "其他机构（独立控制者）",
                    "他们从我们这里获得数据，并自行决定如何使用；他们各自的隐私声明适用。",
                ),
                (2, true) => (
                    "共同控制者",
                    "我们与他们共同决定为何以及如何使用您的数据。您可以向我们或向他们行使您的权利，也可以要求我们告知双方安排的要点。",
                ),
                (_, true) => ("其他接收方", "他们从我们这里获得您的部分数据。"),
            };
            RecipientGroup {
                heading: heading.into(),
                intro: intro.into(),
                recipients,
            }
        })
        .collect();

    // Transfers outside the EEA.
    let mut transfers: Vec<TransferCx> = Vec::new();
    let mut copyable = false;
    for (fi, f) in m.flows.iter().enumerate() {
        if !scope.flows[fi] || !p.graph.is_gdpr_transfer(m, fi) {
            continue;
        }
        let Some(country) = m.node_country(f.to) else {
            continue;
        };
        let destination = match f.to {
            NodeRef::Recipient(r) => m.recipients[r].decl.name.value.clone(),
            _ => if cn {
                "我们自己的系统"
            } else {
                "our own systems"
            }
            .to_string(),
        };
        let tool = f
            .decl
            .transfer
            .as_ref()
            .and_then(|t| t.value.gdpr.as_ref())
            .map(|g| g.value);
        let (safeguard, risks) = match tool {
            Some(t) => {
                copyable |= !matches!(
                    t,
                    GdprTransfer::Adequacy
                        | GdprTransfer::Derogation491A
                        | GdprTransfer::Derogation491B
                        | GdprTransfer::Derogation491C
                        | GdprTransfer::Derogation491D
                        | GdprTransfer::Derogation491E
                        | GdprTransfer::Derogation491F
                        | GdprTransfer::Derogation491G
                );
                safeguard_words(
                    t,
                    country.as_str(),
                    matches!(f.to, NodeRef::Recipient(_)),
                    lang,
                )
            }
            None => (
                if cn {
                    "如需了解保护此项传输的保障措施，请联系我们"
                } else {
                    "ask us which safeguard protects this transfer"
                }
                .to_string(),
                None,
            ),
        };
        let t = TransferCx {
            destination,
            country: country_name(country.as_str(), lang),
            safeguard,
            risks,
        };
        if !transfers.iter().any(|x| {
            x.destination == t.destination && x.country == t.country && x.safeguard == t.safeguard
        }) {
            transfers.push(t);
        }
    }
    transfers.sort_by(|a, b| {
        (&a.destination, &a.country, &a.safeguard).cmp(&(&b.destination, &b.country, &b.safeguard))
    });
    let safeguard_copy_contact = if copyable {
        general_contact.clone()
    } else {
        None
    };

    // Retention per personal dataset.
    let mut retention: Vec<RetentionCx> = m
        .datasets
        .iter()
        .enumerate()
        .filter(|(i, d)| scope.datasets[*i] && d.is_personal(&m.taxonomy))
        .filter_map(|(i, d)| {
            let ret = d.decl.retention.as_ref()?;
            let anchor = d
                .anchor
                .map(|a| {
                    let f = &d.fields[a];
                    match f.decl.title.as_deref().and_then(|t| text(t, lang)) {
                        Some(t) if zh(lang) => format!("自记录中“{t}”所载日期起"),
                        Some(t) => format!("from the date recorded as ‘{t}’"),
                        None => anchor_phrase(&f.name.value, lang),
                    }
                })
                .unwrap_or_else(|| anchor_phrase("", lang));
            let period = match &ret.period.value {
                Period::Duration(dur) => {
                    let dur = duration_words(dur, lang);
                    match (ret.then.value, cn) {
                        (RetentionAction::Delete, false) => {
                            format!("kept for {dur} {anchor}, then deleted")
                        }
                        (RetentionAction::Delete, true) => {
                            format!("{anchor}保存{dur}，期满后删除")
                        }
                        (RetentionAction::Anonymise, false) => format!(
                            "kept for {dur} {anchor}. {}",
                            anonymisation_words(m, d, lang)
                        ),
                        (RetentionAction::Anonymise, true) => {
                            format!("{anchor}保存{dur}，{}", anonymisation_words(m, d, lang))
                        }
                    }
                }
                Period::Indefinite => if cn {
                    "没有固定的保存期限"
                } else {
                    "kept without a fixed end date"
                }
                .to_string(),
            };
            Some(RetentionCx {
                what: title_of(&d.decl.title, &d.id.value, lang),
                holds: dataset_labels(m, i, lang),
                period,
            })
        })
        .collect();
    retention.sort_by(|a, b| a.what.cmp(&b.what));

    // Withdrawal of consent.
    // A consent is listed when a purpose of this notice rests on it under the GDPR.
    let gdpr_consent = |i: usize| {
        scope.purposes[i]
            && (m.gdpr_basis(i) == Some(GdprBasis::Consent)
                || m.purposes[i]
                    .decl
                    .gdpr_art9_condition
                    .as_ref()
                    .is_some_and(|c| c.value == Art9Condition::ExplicitConsent))
    };
    let mut withdrawals: Vec<WithdrawalCx> = m
        .consents
        .iter()
        .enumerate()
        .filter(|(ci, c)| {
            c.purposes.iter().any(|&i| gdpr_consent(i))
                || (0..m.purposes.len())
                    .any(|i| m.purposes[i].consent == Some(*ci) && gdpr_consent(i))
        })
        .filter_map(|(_, c)| {
            let how = text(c.decl.withdrawal.as_ref()?, lang)?;
            Some(WithdrawalCx {
                title: title_of(&c.decl.title, &c.id.value, lang),
                how,
            })
        })
        .collect();
    withdrawals.sort_by(|a, b| a.title.cmp(&b.title));

    // Rights: those with a handler in `rights:`, else the statutory list (see the module
    // documentation).
    let declared = m.rights.as_ref();
    let listed = [
        RightKind::Access,
        RightKind::Rectification,
        RightKind::Erasure,
        RightKind::Restriction,
        RightKind::Portability,
        RightKind::RecipientNotification,
        RightKind::AutomatedDecision,
    ];
    let handlers: Vec<(RightKind, &RightHandler)> = match declared {
        Some(r) => listed
            .into_iter()
            .filter_map(|k| r.handler(k).map(|h| (k, &h.value)))
            .collect(),
        None => Vec::new(),
    };
    let shown: Vec<RightKind> = match declared {
        Some(_) => handlers.iter().map(|(k, _)| *k).collect(),
        None => listed[..5].to_vec(),
    };
    let rights: Vec<RightCx> = shown
        .iter()
        .filter_map(|&k| right_words(k, lang))
        .map(|(label, what)| RightCx {
            label: label.into(),
            what: what.into(),
        })
        .collect();
    // Group the rights by their ways of asking, in the order of the first right of each.
    let mut by_ways: Vec<(String, Vec<String>)> = Vec::new();
    for (k, h) in &handlers {
        let Some(w) = ways(h, &contacts, lang) else {
            continue;
        };
        let label = right_words(*k, lang).map(|(l, _)| l).unwrap_or_default();
        let label = if cn {
            label.to_string()
        } else {
            lower_first(label)
        };
        match by_ways.iter_mut().find(|(x, _)| *x == w) {
            Some((_, ls)) => ls.push(label),
            None => by_ways.push((w, vec![label])),
        }
    }
    let request_ways: Vec<RequestWayCx> =
        if by_ways.len() == 1 && by_ways[0].1.len() == handlers.len() {
            vec![RequestWayCx {
                rights: None,
                ways: by_ways.remove(0).0,
            }]
        } else {
            by_ways
                .into_iter()
                .map(|(w, ls)| RequestWayCx {
                    // Chinese labels hold 和 ("查阅和复制"), so the list uses 、 alone.
                    rights: Some(if cn { ls.join("、") } else { list(&ls, lang) }),
                    ways: w,
                })
                .collect()
        };
    let longest = |get: fn(&RightHandler) -> Option<&Deadline>| -> Option<Deadline> {
        handlers
            .iter()
            .filter_map(|(_, h)| get(h))
            .max_by(|a, b| a.max_days().total_cmp(&b.max_days()))
            .cloned()
    };
    let statutory = crate::reference::rights::limit(RegimeName::Gdpr, RightKind::Access);
    let sla = longest(|h| h.sla.as_ref().map(|s| &s.value))
        .or_else(|| statutory.and_then(|s| s.sla.clone()));
    let ext = longest(|h| h.extension.as_ref().map(|s| &s.value))
        .or_else(|| statutory.and_then(|s| s.extension.clone()));
    let notify = longest(|h| h.notify_extension_within.as_ref().map(|s| &s.value))
        .or_else(|| statutory.and_then(|s| s.notify.clone()));
    let answer_time = sla.map(|sla| {
        let sla = deadline_words(&sla, lang);
        let more = match (&ext, &notify, cn) {
            (Some(e), Some(nt), false) => format!(
                "; if a request is complex or one of many, we may take up to {} more, and we tell you so within {}",
                deadline_words(e, lang),
                deadline_words(nt, lang)
            ),
            (Some(e), None, false) => format!(
                "; if a request is complex or one of many, we may take up to {} more, and we tell you why",
                deadline_words(e, lang)
            ),
            (Some(e), Some(nt), true) => format!(
                "；如申请较为复杂或数量较多，我们可能最多再延长{}，并会在{}内告知您",
                deadline_words(e, lang),
                deadline_words(nt, lang)
            ),
            (Some(e), None, true) => format!(
                "；如申请较为复杂或数量较多，我们可能最多再延长{}，并会告知您原因",
                deadline_words(e, lang)
            ),
            (None, _, _) => String::new(),
        };
        if cn {
            format!("我们将在收到申请后{sla}内答复{more}（GDPR 第12条第3款）。")
        } else {
            format!("We answer within {sla} of receiving your request{more} (Art 12(3) GDPR).")
        }
    });
    let free_of_charge = !handlers.is_empty()
        && handlers
            .iter()
            .all(|(_, h)| h.fee.as_ref().is_some_and(|f| !f.value));
    let verification = handlers
        .iter()
        .find_map(|(_, h)| h.verification.as_ref().and_then(|v| text(v, lang)));
    let handler_ways = |k: RightKind| {
        declared
            .and_then(|r| r.handler(k))
            .and_then(|h| ways(&h.value, &contacts, lang))
    };

    let spans: Vec<Span> = m
        .organization
        .iter()
        .map(|o| o.span)
        .chain(std::iter::once(n.id.span))
        .chain(m.purposes.iter().map(|p| p.id.span))
        .chain(m.datasets.iter().map(|d| d.id.span))
        .chain(m.recipients.iter().map(|r| r.id.span))
        .chain(m.consents.iter().map(|c| c.id.span))
        .chain(m.rights.iter().map(|r| r.decl.span))
        .collect();

    NoticeContext {
        generated_from: source_list(m, spans),
        title,
        version,
        audience,
        controller,
        representative,
        dpo,
        dpo_intro,
        purposes,
        sources,
        recipient_groups,
        transfers,
        safeguard_copy_contact,
        retention,
        objection: ObjectionCx {
            applies: !objecting.is_empty(),
            purposes: (!objecting.is_empty()).then(|| list(&objecting, lang)),
            marketing: (!marketing.is_empty()).then(|| list(&marketing, lang)),
            how: handler_ways(RightKind::Objection),
        },
        rights,
        request_ways,
        rights_contact: if declared.is_none() {
            general_contact
        } else {
            None
        },
        answer_time,
        free_of_charge,
        verification,
        uses_consent,
        withdrawals,
        withdraw_ways: handler_ways(RightKind::WithdrawConsent),
        supervisory_authority: org.and_then(|o| o.supervisory_authority.clone()),
    }
}

/// When a retention period starts, from its anchor field (empty: none), as words placed
/// after the period in English ("3 years after the record was last changed") or before it
/// in Chinese ("自记录最后一次修改之日起保存3年"). Only names whose meaning is clear are
/// turned into a phrase; any other name is quoted: "2 years from the date recorded as
/// ‘placed on’".
fn anchor_phrase(field: &str, lang: Language) -> String {
    let w = words(field);
    let stored = || {
        if zh(lang) {
            "自每条记录所存日期起".to_string()
        } else {
            "from the date stored with each record".to_string()
        }
    };
    if w.is_empty() {
        return stored();
    }
    // A trailing "at", "on", "date", "time" names the column's type, not the event.
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
    let (en, cn) = match stem.as_str() {
        "timestamp" | "ts" | "date" | "time" | "datetime" | "recorded" | "record" => {
            return stored();
        }
        "created" | "create" | "creation" | "date created" | "inserted" | "insert" => {
            ("the record was created", "记录创建")
        }
        "updated" | "update" | "last update" | "last updated" | "modified" | "last modified"
        | "date modified" | "modification" | "changed" | "last changed" | "last change" => {
            ("the record was last changed", "记录最后一次修改")
        }
        "last order" | "last ordered" => ("the last order", "最后一次下单"),
        "last purchase" | "last purchased" => ("the last purchase", "最后一次购买"),
        "last login" | "last logged in" | "last sign in" | "last signin" | "last signed in" => {
            ("the last sign-in", "最后一次登录")
        }
        "last seen" | "last activity" | "last active" => ("the last activity", "最后一次活动"),
        "last visit" | "last visited" => ("the last visit", "最后一次访问"),
        "last contact" | "last contacted" => ("the last contact", "最后一次联系"),
        "payment" | "paid" => ("the payment", "付款"),
        "rental" | "rented" => ("the rental", "租借"),
        "order" => ("the order", "下单"),
        "purchase" | "purchased" => ("the purchase", "购买"),
        "booking" | "booked" => ("the booking", "预订"),
        "transaction" => ("the transaction", "交易"),
        "invoice" | "invoiced" => ("the invoice", "开具发票"),
        "visit" | "visited" => ("the visit", "访问"),
        "appointment" => ("the appointment", "预约"),
        "event" | "occurred" | "happened" => ("the event", "事件发生"),
        "completed" | "completion" => ("completion", "完成"),
        "delivered" | "delivery" => ("delivery", "交付"),
        "cancelled" | "canceled" | "cancellation" => ("cancellation", "取消"),
        "terminated" | "termination" => ("termination", "终止"),
        "expired" | "expiry" | "expiration" | "expires" => ("expiry", "到期"),
        "ended" | "end" => ("the end", "结束"),
        "submitted" | "submission" => ("submission", "提交"),
        "registered" | "registration" | "signed up" | "signup" | "sign up" => {
            ("registration", "注册")
        }
        _ => {
            return if zh(lang) {
                format!("自记录中“{}”所载日期起", w.trim())
            } else {
                format!("from the date recorded as ‘{}’", w.trim())
            };
        }
    };
    if zh(lang) {
        format!("自{cn}之日起")
    } else {
        format!("after {en}")
    }
}

/// What anonymisation leaves of a row, from each personal field's method (as the retention
/// job applies them: the subject key and the anchor are kept unless they say otherwise; any
/// other personal field without a method is set to NULL).
///
/// Only when every personal field is set to NULL or cut to its year may the notice say that
/// the details that identify the person are erased. A field that is kept or replaced by a
/// salted hash leaves the row pseudonymised, which is still personal data (GDPR Art 4(5),
/// Recital 26): the notice then names what is erased and says the rest is kept in
/// pseudonymised form. English names a field by its name in words, Chinese by the Chinese
/// label of its first category (field names are English identifiers).
fn anonymisation_words(m: &Model, d: &DatasetR, lang: Language) -> String {
    let cn = zh(lang);
    let mut erased = Vec::new();
    let mut to_year = Vec::new();
    let mut kept = Vec::new();
    let mut pseudonymised = false;
    for (i, f) in d.fields.iter().enumerate() {
        if !f.is_personal(&m.taxonomy) {
            continue;
        }
        let method = if Some(i) == d.subject_key {
            AnonymiseMethod::Keep
        } else {
            match f.decl.anonymise.as_ref() {
                Some(a) => a.value,
                None if Some(i) == d.anchor => AnonymiseMethod::Keep,
                None => AnonymiseMethod::Null,
            }
        };
        let titled = f.decl.title.as_deref().and_then(|t| text(t, lang));
        let name = match (titled, cn, f.categories.first()) {
            (Some(t), _, _) => t,
            (None, true, Some(c)) => cat_label(m, c.cat, lang),
            _ => field_words(&f.name.value),
        };
        match method {
            AnonymiseMethod::Null => erased.push(name),
            AnonymiseMethod::Year => to_year.push(name),
            AnonymiseMethod::Hash | AnonymiseMethod::Keep => {
                pseudonymised = true;
                kept.push(name);
            }
        }
    }
    // Several fields may share a Chinese label: each is named once, in field order.
    let uniq = |v: Vec<String>| {
        let mut out: Vec<String> = Vec::new();
        for x in v {
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    };
    let (erased, to_year) = (uniq(erased), uniq(to_year));
    if cn {
        // A category label names several fields: when some of them stay, only part of it
        // is erased.
        let erased: Vec<String> = erased
            .into_iter()
            .map(|l| {
                if kept.contains(&l) {
                    format!("部分{l}")
                } else {
                    l
                }
            })
            .collect();
        let year =
            (!to_year.is_empty()).then(|| format!("{}中的日期仅保留年份", list(&to_year, lang)));
        if !pseudonymised {
            return match year {
                Some(y) => format!("随后删除可识别您身份的信息，{y}"),
                None => "随后删除可识别您身份的信息".into(),
            };
        }
        let what = match (erased.is_empty(), year) {
            (false, Some(y)) => format!("删除{}，{y}", list(&erased, lang)),
            (false, None) => format!("删除{}", list(&erased, lang)),
            (true, Some(y)) => y,
            (true, None) => return "此后记录以假名化形式保存".into(),
        };
        return format!("随后{what}；其余信息以假名化形式保存");
    }
    let year = (!to_year.is_empty())
        .then(|| format!("keep only the year of the {}", list(&to_year, lang)));
    if !pseudonymised {
        return match year {
            Some(y) => format!("Then we erase the details that identify you, and {y}"),
            None => "Then we erase the details that identify you".into(),
        };
    }
    let what = match (erased.is_empty(), year) {
        (false, Some(y)) => format!("we erase the {} and {y}", list(&erased, lang)),
        (false, None) => format!("we erase the {}", list(&erased, lang)),
        (true, Some(y)) => format!("we {y}"),
        (true, None) => return "Then the records are kept in pseudonymised form".into(),
    };
    format!("Then {what}; the rest is kept in pseudonymised form")
}

/// A field name as words for a notice: `postal_code` → "postal code", `address2` →
/// "address 2".
fn field_words(name: &str) -> String {
    let w = words(name);
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in w.chars() {
        if let Some(p) = prev
            && ((p.is_ascii_alphabetic() && c.is_ascii_digit())
                || (p.is_ascii_digit() && c.is_ascii_alphabetic()))
        {
            out.push(' ');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// An id as a title, for an item without a title: `customer_orders` → "Customer orders",
/// `DSAR_requests` → "DSAR requests" (a word in capitals stays so), `d` → "D". Non-ASCII
/// ids are kept as they are.
fn id_title(id: &str) -> String {
    if !id.chars().any(|c| c.is_ascii_uppercase()) {
        return humanize(id);
    }
    let chars: Vec<char> = id.chars().collect();
    let mut spaced = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '_' | '-' | '.') {
            spaced.push(' ');
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        if c.is_ascii_uppercase()
            && let Some(p) = prev
            && (p.is_ascii_lowercase()
                || p.is_ascii_digit()
                || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase())))
        {
            spaced.push(' ');
        }
        spaced.push(c);
    }
    let toks: Vec<String> = spaced
        .split_whitespace()
        .map(|t| {
            let acronym = t.chars().filter(|c| c.is_alphabetic()).count() > 1
                && !t.chars().any(|c| c.is_lowercase());
            if acronym {
                t.to_string()
            } else {
                t.to_lowercase()
            }
        })
        .collect();
    let s = toks.join(" ");
    let mut cs = s.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => id.to_string(),
    }
}

/// Category labels as one list, sorted, without repeats: "Email address, name" (capital
/// first), "电子邮箱、姓名".
fn join_labels(mut labels: Vec<String>, lang: Language) -> Option<String> {
    labels.sort_by_key(|l| l.to_lowercase());
    labels.dedup();
    if labels.is_empty() {
        return None;
    }
    if zh(lang) {
        return Some(labels.join("、"));
    }
    let s = labels.join(", ");
    let mut cs = s.chars();
    Some(match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => s,
    })
}

/// What one notice covers: by index, the purposes, datasets and flows that concern its
/// people (everything, for a notice for everyone).
pub struct Scope {
    pub purposes: Vec<bool>,
    pub datasets: Vec<bool>,
    /// Flows whose destination the notice names (as a recipient or a transfer).
    pub flows: Vec<bool>,
}

impl Scope {
    /// Everything: the notice of a project without subjects.
    pub fn all(m: &Model) -> Scope {
        Scope {
            purposes: vec![true; m.purposes.len()],
            datasets: vec![true; m.datasets.len()],
            flows: vec![true; m.flows.len()],
        }
    }

    /// Nothing, to [`Scope::add`] to.
    pub fn none(m: &Model) -> Scope {
        Scope {
            purposes: vec![false; m.purposes.len()],
            datasets: vec![false; m.datasets.len()],
            flows: vec![false; m.flows.len()],
        }
    }

    /// Add what `other` covers.
    pub fn add(&mut self, other: &Scope) {
        for (a, b) in [
            (&mut self.purposes, &other.purposes),
            (&mut self.datasets, &other.datasets),
            (&mut self.flows, &other.flows),
        ] {
            for (x, y) in a.iter_mut().zip(b) {
                *x |= *y;
            }
        }
    }

    /// What concerns subject kind `s` (see the module documentation).
    pub fn of(m: &Model, s: usize) -> Scope {
        let datasets: Vec<bool> = m.datasets.iter().map(|d| d.subjects.contains(&s)).collect();
        let tied = purposes_tied(m, |n| match n {
            NodeRef::Subject(i) => i == s,
            NodeRef::Dataset(d) => datasets[d],
            _ => false,
        });
        // Purposes tied to no kind of subject at all go to everyone.
        let any = purposes_tied(m, |n| match n {
            NodeRef::Subject(_) => true,
            NodeRef::Dataset(d) => !m.datasets[d].subjects.is_empty(),
            _ => false,
        });
        let purposes: Vec<bool> = tied.iter().zip(&any).map(|(&t, &a)| t || !a).collect();
        let flows = m
            .flows
            .iter()
            .map(|f| {
                let from = match f.from {
                    NodeRef::Subject(i) => i == s,
                    NodeRef::Dataset(d) => datasets[d],
                    _ => false,
                };
                from && (f.purposes.is_empty() || f.purposes.iter().any(|&p| purposes[p]))
            })
            .collect();
        Scope {
            purposes,
            datasets,
            flows,
        }
    }

    /// What concerns the data in `sets` (indices into `Model::datasets`): an Art 14 notice.
    /// The purposes tied to those datasets, and the flows that leave them.
    pub fn of_datasets(m: &Model, sets: &[usize]) -> Scope {
        let mut datasets = vec![false; m.datasets.len()];
        for &d in sets {
            datasets[d] = true;
        }
        let tied = purposes_tied(m, |n| matches!(n, NodeRef::Dataset(d) if datasets[d]));
        // As for a kind of subject: purposes tied to nobody go to everyone.
        let any = purposes_tied(m, |n| match n {
            NodeRef::Subject(_) => true,
            NodeRef::Dataset(d) => !m.datasets[d].subjects.is_empty(),
            _ => false,
        });
        let purposes: Vec<bool> = tied.iter().zip(&any).map(|(&t, &a)| t || !a).collect();
        let flows = m
            .flows
            .iter()
            .map(|f| {
                matches!(f.from, NodeRef::Dataset(d) if datasets[d])
                    && (f.purposes.is_empty() || f.purposes.iter().any(|&p| purposes[p]))
            })
            .collect();
        Scope {
            purposes,
            datasets,
            flows,
        }
    }
}
/// Purposes named by a flow from a node `concerns` accepts (a subject, or a dataset, when it
/// is the flow's source or destination), by a role that lists such a dataset, or that list
/// such a dataset under their own `datasets:`.
fn purposes_tied(m: &Model, concerns: impl Fn(NodeRef) -> bool) -> Vec<bool> {
    let mut tied = vec![false; m.purposes.len()];
    for (p, pr) in m.purposes.iter().enumerate() {
        if let Some(ds) = &pr.datasets
            && ds.iter().any(|&d| concerns(NodeRef::Dataset(d)))
        {
            tied[p] = true;
        }
    }
    for f in &m.flows {
        let hit = match (f.from, f.to) {
            (NodeRef::Subject(_), _) => concerns(f.from),
            (from, to) => {
                (matches!(from, NodeRef::Dataset(_)) && concerns(from))
                    || (matches!(to, NodeRef::Dataset(_)) && concerns(to))
            }
        };
        if hit {
            for &p in &f.purposes {
                tied[p] = true;
            }
        }
    }
    for r in &m.roles {
        if r.datasets.iter().any(|&d| concerns(NodeRef::Dataset(d))) {
            for &p in &r.purposes {
                tied[p] = true;
            }
        }
    }
    tied
}

/// The categories of data about subject kind `s` that purpose `p` uses, when `p` also
/// concerns other people: what flows from `s` naming `p` collect, what flows naming `p` take
/// from or bring to a dataset about `s`, and what the datasets about `s` that a role of `p`
/// reads hold.
///
/// `None`, and the notice lists all the purpose's categories, when everything that ties `p`
/// to people ties it to `s` (the purpose's own list is then the best account), when nothing
/// does (a purpose shown to everyone), or when what is tied to `s` holds none of the
/// purpose's categories (listing all of them beats listing none).
///
/// This keeps a notice for staff from listing customers' purchase history under a purpose
/// that reaches staff only through a dataset both share (an address table).
fn data_of_subject(m: &Model, p: usize, s: usize, about: &[bool]) -> Option<Vec<CatId>> {
    let dataset_cats = |d: usize| -> Vec<CatId> {
        m.datasets[d]
            .fields
            .iter()
            .flat_map(|f| f.categories.iter().map(|c| c.cat))
            .collect()
    };
    let mut held: Vec<CatId> = Vec::new();
    // Something ties `p` to data that is not about `s`.
    let mut others = false;
    let flows = crate::rules::facts::flows_by_purpose(m)[p].iter();
    for f in flows.map(|&fi| &m.flows[fi]) {
        let end = match (f.from, f.to) {
            (NodeRef::Subject(i), to) if i == s => Some(to),
            (NodeRef::Dataset(d), _) if about[d] => Some(f.from),
            (_, NodeRef::Dataset(d)) if about[d] => Some(f.to),
            _ => None,
        };
        others |= end.is_none()
            && (matches!(f.from, NodeRef::Subject(_) | NodeRef::Dataset(_))
                || matches!(f.to, NodeRef::Dataset(_)));
        let Some(end) = end else { continue };
        match (&f.categories, end) {
            (Some(cats), _) => held.extend(cats.iter().map(|c| c.cat)),
            (None, NodeRef::Dataset(d)) => held.extend(dataset_cats(d)),
            // A flow from the subjects to somewhere else, without categories: anything.
            (None, _) => return None,
        }
    }
    let roles = crate::rules::facts::roles_by_purpose(m)[p].iter();
    for r in roles.map(|&ri| &m.roles[ri]) {
        others |= r.datasets.iter().any(|&d| !about[d]);
        for &d in r.datasets.iter().filter(|&&d| about[d]) {
            held.extend(dataset_cats(d));
        }
    }
    if !others {
        return None;
    }
    // Many fields and datasets share a category: each is tested once.
    held.sort_unstable();
    held.dedup();
    let used = m.purposes[p].categories.iter().any(|c| {
        held.iter()
            .any(|&x| m.taxonomy.is_within(x, c.cat) || m.taxonomy.is_within(c.cat, x))
    });
    used.then_some(held)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::words::duration_zh;
    use crate::manifest::{Date, Duration};

    #[test]
    fn anchors_read_as_english() {
        let en = |f| anchor_phrase(f, Language::En);
        assert_eq!(en("last_update"), "after the record was last changed");
        assert_eq!(en("updated_at"), "after the record was last changed");
        assert_eq!(en("created_at"), "after the record was created");
        assert_eq!(en("create_date"), "after the record was created");
        assert_eq!(en("occurred_at"), "after the event");
        assert_eq!(en("lastLoginAt"), "after the last sign-in");
        assert_eq!(en("last_order_at"), "after the last order");
        assert_eq!(en("payment_date"), "after the payment");
        assert_eq!(en("completed_at"), "after completion");
        // Names whose meaning is not clear are quoted, never guessed at.
        assert_eq!(en("placed_on"), "from the date recorded as ‘placed on’");
        assert_eq!(en("due_date"), "from the date recorded as ‘due date’");
        assert_eq!(en("timestamp"), "from the date stored with each record");
        assert_eq!(en(""), "from the date stored with each record");
        assert_eq!(en("发生时间"), "from the date recorded as ‘发生时间’");
    }

    #[test]
    fn anchors_read_as_chinese() {
        let cn = |f| anchor_phrase(f, Language::ZhCn);
        assert_eq!(cn("last_update"), "自记录最后一次修改之日起");
        assert_eq!(cn("payment_date"), "自付款之日起");
        assert_eq!(cn("placed_on"), "自记录中“placed on”所载日期起");
        assert_eq!(cn("timestamp"), "自每条记录所存日期起");
    }

    #[test]
    fn durations_deadlines_and_dates_read_in_both_languages() {
        let d = |s| Duration::parse(s).unwrap();
        assert_eq!(duration_zh(&d("P1Y6M")), "1年6个月");
        assert_eq!(duration_zh(&d("P2W")), "14天");
        let dl = |s| Deadline::parse(s).unwrap();
        assert_eq!(deadline_words(&dl("P1M"), Language::En), "one month");
        assert_eq!(deadline_words(&dl("P45D"), Language::En), "45 days");
        assert_eq!(
            deadline_words(&dl("15 business days"), Language::En),
            "15 business days"
        );
        assert_eq!(
            deadline_words(&dl("15 business days"), Language::ZhCn),
            "15个工作日"
        );
        assert_eq!(deadline_words(&dl("P2M"), Language::ZhCn), "2个月");
        let date = Date::parse("2026-10-05").unwrap();
        assert_eq!(date_words(date, Language::En), "5 October 2026");
        assert_eq!(date_words(date, Language::ZhCn), "2026年10月5日");
    }

    #[test]
    fn lists_join_as_each_language_does() {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(list_or(&v(&["a", "b", "c"]), Language::En), "a, b or c");
        assert_eq!(
            list(&v(&["客户", "门店员工"]), Language::ZhCn),
            "客户和门店员工"
        );
        assert_eq!(
            list_or(&v(&["甲", "乙", "丙"]), Language::ZhCn),
            "甲、乙或丙"
        );
    }

    #[test]
    fn ids_read_as_titles() {
        assert_eq!(id_title("customer_orders"), "Customer orders");
        assert_eq!(id_title("customerOrders"), "Customer orders");
        assert_eq!(id_title("DSAR_requests"), "DSAR requests");
        assert_eq!(id_title("IPLog"), "IP log");
        assert_eq!(id_title("d"), "D");
        assert_eq!(id_title("客户订单"), "客户订单");
        assert_eq!(field_words("address2"), "address 2");
    }

    #[test]
    fn countries_take_the_article_english_gives_them() {
        assert_eq!(country_in_sentence("US"), "the United States");
        assert_eq!(country_in_sentence("US-CA"), "the United States");
        assert_eq!(country_in_sentence("GB"), "the United Kingdom");
        assert_eq!(country_in_sentence("NL"), "the Netherlands");
        assert_eq!(country_in_sentence("IM"), "the Isle of Man");
        assert_eq!(country_in_sentence("JP"), "Japan");
        assert_eq!(country_in_sentence("CZ"), "Czechia");
        assert_eq!(country_in_sentence("KR"), "South Korea");
    }
}
