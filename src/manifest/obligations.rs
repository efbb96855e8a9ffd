//! The sections and facts that describe what an organisation owes the people whose data it
//! processes, beyond the processing itself: published notices (`notices`), the handlers of
//! data subject requests (`rights`), impact and other assessments (`assessments`), the CCPA
//! opt-out settings (`organization.optout`), automated decisions and financial incentives
//! of a purpose.
//!
//! Durations are ISO 8601; deadlines are ISO 8601 durations or `N business days`
//! ([`Deadline`]).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::manifest::scalars::{Date, Deadline, Duration, Localized, Period};
use crate::manifest::yaml::Sp;

// ---------------------------------------------------------------------------------------
// notices

/// Which published notice this is: the regime and the provision that requires it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// GDPR Art 13: information given when data is collected from the data subject.
    GdprArt13,
    /// GDPR Art 14: information given when data is obtained from other sources.
    GdprArt14,
    /// PIPL Art 17: the notice, or the published personal information processing rules
    /// (个人信息处理规则), given before processing.
    PiplArt17,
    /// CCPA 1798.100(a); 11 CCR 7012: the notice at collection.
    CcpaNoticeAtCollection,
    /// CCPA 1798.130(a)(5); 11 CCR 7011: the privacy policy.
    CcpaPrivacyPolicy,
    /// CCPA 1798.125(b); 11 CCR 7016: the notice of financial incentive.
    CcpaFinancialIncentive,
}

/// When a notice reaches the data subject (GDPR Art 13(1), 14(3); PIPL Art 17(1);
/// 11 CCR 7012(a)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoticeDelivery {
    /// At the time the data is collected, at or before the point of collection.
    AtCollection,
    /// Before processing starts (PIPL Art 17).
    BeforeProcessing,
    /// Within a reasonable period after obtaining the data, at most one month
    /// (GDPR Art 14(3)(a)).
    WithinOneMonth,
    /// At the first communication with the data subject (GDPR Art 14(3)(b)).
    FirstCommunication,
    /// At the latest when the data is first disclosed to another recipient
    /// (GDPR Art 14(3)(c)).
    FirstDisclosure,
    /// After processing has started; not timely under any regime.
    AfterProcessing,
}

/// A language a notice is published in.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
pub enum Language {
    /// English.
    #[serde(rename = "en")]
    En,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN")]
    ZhCn,
}

impl Language {
    /// Both languages lawful writes, in output order.
    pub const ALL: [Language; 2] = [Language::En, Language::ZhCn];
    /// The BCP 47 tag: `en`, `zh-CN` (file names, `lang` attributes, `Localized` keys).
    pub fn tag(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::ZhCn => "zh-CN",
        }
    }
}

impl NoticeKind {
    /// The regime whose law requires this notice.
    pub fn regime(self) -> crate::manifest::types::RegimeName {
        use crate::manifest::types::RegimeName;
        match self {
            NoticeKind::GdprArt13 | NoticeKind::GdprArt14 => RegimeName::Gdpr,
            NoticeKind::PiplArt17 => RegimeName::Pipl,
            _ => RegimeName::Ccpa,
        }
    }
}

/// A published notice: who it addresses, where it is shown, and when (the `notices`
/// section). Its content is generated from the rest of the manifest; the checklist rules
/// (GDPR-ART13-14-NOTICE-CONTENT, PIPL-ART17-NOTICE-CONTENT,
/// CCPA-1798.100A-NOTICE-AT-COLLECTION, CCPA-7011-PRIVACY-POLICY) report the facts a
/// complete notice still needs.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Notice {
    /// Which notice this is.
    pub kind: Sp<NoticeKind>,
    /// Title in each language.
    #[serde(default)]
    pub title: Localized,
    /// Kinds of data subjects it addresses. Default: every kind in scope of its regime.
    #[serde(default)]
    pub subjects: Vec<Sp<String>>,
    /// Collection points where it is shown: `web`, `app`, `mini_program`, `store`,
    /// `phone`, `paper`.
    #[serde(default)]
    pub channels: Vec<String>,
    /// Languages it is published in; lawful writes it in each. Default: `[zh-CN, en]` for a
    /// PIPL notice, `[en]` for the others. Every text the notice shows must exist in each.
    #[serde(default)]
    pub languages: Vec<Sp<Language>>,
    /// Where it is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub url: Option<String>,
    /// Version label, recorded with each consent (GDPR Art 7(1)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub version: Option<String>,
    /// Date of the last update (11 CCR 7011(e)(4): reviewed at least every 12 months).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated: Option<Sp<Date>>,
    /// When it reaches the data subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery: Option<Sp<NoticeDelivery>>,
    /// Datasets obtained from other sources that it covers (GDPR Art 14). Default: every
    /// such dataset of its subjects.
    #[serde(default)]
    pub datasets: Vec<Sp<String>>,
    /// How changes are announced to the people it addresses (PIPL Art 17(2)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub change_notification: Option<Localized>,
    /// This notice holds the dedicated processing rules for minors under 14
    /// (PIPL Art 31; 儿童个人信息网络保护规定 Art 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub for_minors: Option<Sp<bool>>,
}

/// A GDPR Art 14(5) exemption from informing the data subject of data obtained from other
/// sources.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Art14Exemption {
    /// (a) the data subject already has the information.
    AlreadyInformed,
    /// (b) informing is impossible or would involve a disproportionate effort.
    DisproportionateEffort,
    /// (c) obtaining or disclosure is laid down by Union or member-state law.
    RequiredByLaw,
    /// (d) the data must remain confidential under professional secrecy.
    ProfessionalSecrecy,
}

/// Whether a person must provide the data (GDPR Art 13(2)(e)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataRequired {
    /// A law requires it.
    Statutory,
    /// A contract requires it.
    Contractual,
    /// It is needed to enter into a contract.
    ContractPrecondition,
    /// Providing it is up to the person.
    Voluntary,
}

// ---------------------------------------------------------------------------------------
// rights

/// A way for people to make a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestChannel {
    /// A web form (CCPA 1798.130(a)(1)(B): required of a business with a website, for
    /// deletion and opt-out requests among others).
    WebForm,
    /// An email address.
    Email,
    /// A toll-free telephone number (CCPA 1798.130(a)(1)(A)).
    TollFreePhone,
    /// A telephone number that is not toll-free.
    Phone,
    /// Inside a mobile app.
    InApp,
    /// Inside a mini program (小程序).
    MiniProgram,
    /// In a shop, in person.
    InStore,
    /// By post.
    Post,
    /// An opt-out preference signal such as Global Privacy Control (11 CCR 7025).
    Gpc,
}

/// A handler of one kind of data subject request: how fast it answers, how people reach
/// it, and which datasets it reaches.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RightHandler {
    /// Time to answer, from receipt (GDPR Art 12(3): one month; CCPA 1798.130(a)(2): 45
    /// days; opt-out and limit: 15 business days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sla: Option<Sp<Deadline>>,
    /// Time to confirm receipt (11 CCR 7021(a): 10 business days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confirm_within: Option<Sp<Deadline>>,
    /// Further time the handler may take in complex cases (GDPR Art 12(3): two months;
    /// CCPA: 45 days).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<Sp<Deadline>>,
    /// When the person is told of an extension and its reasons (GDPR Art 12(3): within the
    /// first month).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notify_extension_within: Option<Sp<Deadline>>,
    /// How people make the request.
    #[serde(default)]
    pub channels: Vec<Sp<RequestChannel>>,
    /// Datasets the handler reaches. Absent: every dataset (the declaration asserts it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datasets: Option<Sp<Vec<Sp<String>>>>,
    /// The request is passed on to processors and recipients along outgoing flows
    /// (GDPR Art 17(2), 19; CCPA 1798.105(c)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub propagates: Option<Sp<bool>>,
    /// A refusal states its reasons (GDPR Art 12(4); PIPL Art 50).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refusal_reasons: Option<Sp<bool>>,
    /// A fee is charged by default (GDPR Art 12(5): free of charge as a rule).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fee: Option<Sp<bool>>,
    /// How the requester's identity is verified (11 CCR 7060–7062).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<Localized>,
    /// Requests from an authorised agent are accepted (11 CCR 7063).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub authorised_agents: Option<Sp<bool>>,
}

/// The kinds of request a `rights` handler serves, across the three regimes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RightKind {
    Access,
    Rectification,
    Erasure,
    Restriction,
    Portability,
    Objection,
    WithdrawConsent,
    RecipientNotification,
    AutomatedDecision,
    Explanation,
    DeceasedRelatives,
    AccountCancellation,
    OptOutSaleShare,
    LimitSpi,
    NonDiscrimination,
}

impl RightKind {
    pub const ALL: [RightKind; 15] = [
        RightKind::Access,
        RightKind::Rectification,
        RightKind::Erasure,
        RightKind::Restriction,
        RightKind::Portability,
        RightKind::Objection,
        RightKind::WithdrawConsent,
        RightKind::RecipientNotification,
        RightKind::AutomatedDecision,
        RightKind::Explanation,
        RightKind::DeceasedRelatives,
        RightKind::AccountCancellation,
        RightKind::OptOutSaleShare,
        RightKind::LimitSpi,
        RightKind::NonDiscrimination,
    ];

    /// The key under `rights:`.
    pub fn key(self) -> &'static str {
        match self {
            RightKind::Access => "access",
            RightKind::Rectification => "rectification",
            RightKind::Erasure => "erasure",
            RightKind::Restriction => "restriction",
            RightKind::Portability => "portability",
            RightKind::Objection => "objection",
            RightKind::WithdrawConsent => "withdraw_consent",
            RightKind::RecipientNotification => "recipient_notification",
            RightKind::AutomatedDecision => "automated_decision",
            RightKind::Explanation => "explanation",
            RightKind::DeceasedRelatives => "deceased_relatives",
            RightKind::AccountCancellation => "account_cancellation",
            RightKind::OptOutSaleShare => "opt_out_sale_share",
            RightKind::LimitSpi => "limit_spi",
            RightKind::NonDiscrimination => "non_discrimination",
        }
    }
}

/// The handlers of data subject requests, one per right (the `rights` section). A right
/// serves every regime that grants it: `access` answers GDPR Art 15, PIPL Art 45(1)–(2)
/// and the CCPA right to know (1798.110, 115).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Rights {
    /// Access and a copy (GDPR Art 15; PIPL Art 45(1)–(2); CCPA 1798.110, 115 right to know).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub access: Option<Sp<RightHandler>>,
    /// Rectification (GDPR Art 16; PIPL Art 46 correction and supplementation; CCPA
    /// 1798.106 correction).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub rectification: Option<Sp<RightHandler>>,
    /// Erasure (GDPR Art 17; PIPL Art 47; CCPA 1798.105 deletion).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub erasure: Option<Sp<RightHandler>>,
    /// Restriction of processing (GDPR Art 18; PIPL Art 44).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub restriction: Option<Sp<RightHandler>>,
    /// Data portability (GDPR Art 20; PIPL Art 45(3); CCPA 1798.130(a)(3)(B)(iii)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub portability: Option<Sp<RightHandler>>,
    /// Objection (GDPR Art 21) and refusal (PIPL Art 44).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub objection: Option<Sp<RightHandler>>,
    /// Withdrawal of consent (GDPR Art 7(3); PIPL Art 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub withdraw_consent: Option<Sp<RightHandler>>,
    /// Notifying recipients of rectification, erasure or restriction (GDPR Art 19).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub recipient_notification: Option<Sp<RightHandler>>,
    /// Human review, explanation and contest of automated decisions (GDPR Art 22(3); PIPL
    /// Art 24(3); CCPA ADMT access and opt-out, 11 CCR 7221–7222).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub automated_decision: Option<Sp<RightHandler>>,
    /// Explanation of the processing rules (PIPL Art 48).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub explanation: Option<Sp<RightHandler>>,
    /// Requests by the close relatives of a deceased person (PIPL Art 49).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub deceased_relatives: Option<Sp<RightHandler>>,
    /// Cancelling an account (注销账号; PIPL Art 47 and the app-enforcement rules).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub account_cancellation: Option<Sp<RightHandler>>,
    /// Opting out of the sale and sharing of personal information (CCPA 1798.120).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub opt_out_sale_share: Option<Sp<RightHandler>>,
    /// Limiting the use of sensitive personal information (CCPA 1798.121).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub limit_spi: Option<Sp<RightHandler>>,
    /// Non-discrimination for exercising rights (CCPA 1798.125).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub non_discrimination: Option<Sp<RightHandler>>,
    /// The log of requests received and how they were answered (11 CCR 7101).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub request_log: Option<Sp<RequestLog>>,
}

impl Rights {
    /// The handler of a right, if declared.
    pub fn handler(&self, k: RightKind) -> Option<&Sp<RightHandler>> {
        match k {
            RightKind::Access => self.access.as_ref(),
            RightKind::Rectification => self.rectification.as_ref(),
            RightKind::Erasure => self.erasure.as_ref(),
            RightKind::Restriction => self.restriction.as_ref(),
            RightKind::Portability => self.portability.as_ref(),
            RightKind::Objection => self.objection.as_ref(),
            RightKind::WithdrawConsent => self.withdraw_consent.as_ref(),
            RightKind::RecipientNotification => self.recipient_notification.as_ref(),
            RightKind::AutomatedDecision => self.automated_decision.as_ref(),
            RightKind::Explanation => self.explanation.as_ref(),
            RightKind::DeceasedRelatives => self.deceased_relatives.as_ref(),
            RightKind::AccountCancellation => self.account_cancellation.as_ref(),
            RightKind::OptOutSaleShare => self.opt_out_sale_share.as_ref(),
            RightKind::LimitSpi => self.limit_spi.as_ref(),
            RightKind::NonDiscrimination => self.non_discrimination.as_ref(),
        }
    }

    /// Every declared handler with its kind, in [`RightKind::ALL`] order.
    pub fn handlers(&self) -> impl Iterator<Item = (RightKind, &Sp<RightHandler>)> {
        RightKind::ALL
            .into_iter()
            .filter_map(|k| self.handler(k).map(|h| (k, h)))
    }
}

/// The record of data subject requests (CCPA 11 CCR 7101, 7102).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestLog {
    /// How long each request and its answer are kept (7101(a): at least 24 months).
    pub retention: Sp<Period>,
    /// Where the yearly request metrics are published (7102: businesses handling the
    /// personal information of 10,000,000 or more consumers a year, by 1 July).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub metrics_url: Option<String>,
}

// ---------------------------------------------------------------------------------------
// assessments

/// Kind of assessment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentKind {
    /// Data protection impact assessment (GDPR Art 35).
    Dpia,
    /// Personal information protection impact assessment (个人信息保护影响评估, PIPL Art 55–56).
    Pipia,
    /// CCPA risk assessment (11 CCR 7150 et seq.).
    CcpaRisk,
    /// Transfer impact assessment (GDPR Art 46; EDPB Recommendations 01/2020).
    Tia,
    /// Legitimate-interests assessment (GDPR Art 6(1)(f)).
    Lia,
}

/// An element an assessment's report contains (PIPL Art 56; GDPR Art 35(7)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AssessmentElement {
    /// Whether the purposes and methods are lawful, legitimate and necessary (PIPL 56(1);
    /// GDPR 35(7)(a)–(b)).
    LawfulnessNecessity,
    /// The impact on the individual's rights and the risks (PIPL 56(2); GDPR 35(7)(c)).
    ImpactRisk,
    /// Whether the protective measures are lawful, effective and proportionate to the risk
    /// (PIPL 56(3); GDPR 35(7)(d)).
    Measures,
}

/// A completed or planned assessment (the `assessments` section).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Assessment {
    /// Which assessment.
    pub kind: Sp<AssessmentKind>,
    /// Title in each language.
    #[serde(default)]
    pub title: Localized,
    /// Purposes it assesses.
    #[serde(default)]
    pub purposes: Vec<Sp<String>>,
    /// Flows it assesses, by flow `id`.
    #[serde(default)]
    pub flows: Vec<Sp<String>>,
    /// Date it was completed. Absent: not done yet.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub done_on: Option<Sp<Date>>,
    /// Date by which it must be reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review_by: Option<Sp<Date>>,
    /// Where the report is kept.
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub reference: Option<String>,
    /// The elements the report contains.
    #[serde(default)]
    pub covers: Vec<Sp<AssessmentElement>>,
    /// How long the report is kept (PIPL Art 56: at least three years).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kept_for: Option<Sp<Period>>,
}

// ---------------------------------------------------------------------------------------
// CCPA opt-out

/// How the business treats an opt-out preference signal such as Global Privacy Control
/// (11 CCR 7025).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Gpc {
    /// A signal (the `Sec-GPC: 1` header, `navigator.globalPrivacyControl`) is treated as a
    /// valid request to opt out of sale and sharing (7025(b)).
    #[serde(default)]
    pub honoured: Sp<bool>,
    /// The site shows whether it processed the signal, e.g. "Opt-Out Request Honored"
    /// (7025(c)(6), from 1 January 2026).
    #[serde(default)]
    pub displays_status: Sp<bool>,
}

/// CCPA opt-out settings of a business that sells, shares, or uses sensitive personal
/// information beyond 11 CCR 7027(m) (1798.120, 121, 135). Request methods and deadlines are
/// those of `rights.opt_out_sale_share` and `rights.limit_spi`.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptOut {
    /// Address of the "Do Not Sell or Share My Personal Information" link (1798.135(a)(1)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub dnss_link: Option<String>,
    /// Address of the "Limit the Use of My Sensitive Personal Information" link
    /// (1798.135(a)(2)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub limit_link: Option<String>,
    /// Address of the Alternative Opt-out Link, "Your Privacy Choices" with the 7015 icon,
    /// which may replace both links (1798.135(a)(3); 11 CCR 7015).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub alternative_link: Option<String>,
    /// Opt-out preference signals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub gpc: Option<Sp<Gpc>>,
    /// Third parties that received the data since the opt-out are told to stop
    /// (11 CCR 7026(f)(2)–(3)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notifies_third_parties: Option<Sp<bool>>,
    /// How long after an opt-out the business waits before asking the consumer to opt back
    /// in (1798.135(c)(4): at least 12 months).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reask_after: Option<Sp<Duration>>,
}

// ---------------------------------------------------------------------------------------
// automated decisions and incentives

/// A GDPR Art 22(2) exception to the ban on solely automated decisions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Art22Exception {
    /// (a) necessary for entering into or performing a contract.
    Contract,
    /// (b) authorised by Union or member-state law with suitable safeguards.
    Law,
    /// (c) the data subject's explicit consent.
    ExplicitConsent,
}

/// A safeguard for people subject to an automated decision (GDPR Art 22(3); PIPL Art 24(3);
/// 11 CCR 7221).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdmSafeguard {
    /// A person can obtain human intervention.
    HumanReview,
    /// A person can express their point of view.
    ExpressView,
    /// A person can contest the decision.
    Contest,
    /// A person can ask for an explanation (PIPL Art 24(3)).
    Explanation,
    /// A person can refuse a decision made solely by automated means (PIPL Art 24(3)).
    Refuse,
}

/// The kinds of "significant decision" of the CCPA ADMT regulations (11 CCR 7001, 7200).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CcpaSignificantDecision {
    /// Financial or lending services.
    FinancialLending,
    /// Housing.
    Housing,
    /// Education enrolment or opportunities.
    Education,
    /// Employment or independent-contracting opportunities or compensation.
    Employment,
    /// Health-care services.
    HealthCare,
}

/// How consumers may escape a CCPA significant decision made with ADMT (11 CCR 7221).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AdmtOptOut {
    /// An opt-out of the use of ADMT is offered.
    Offered,
    /// No opt-out: a human appeal of the decision is offered instead (7221(b)(1)).
    HumanAppeal,
    /// No opt-out under another documented exception of 7221(b).
    Exception,
}

/// Automated decision-making by a purpose, including profiling (GDPR Art 22; PIPL Art 24;
/// CCPA ADMT regulations, 11 CCR 7200 et seq.).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AutomatedDecision {
    /// Decisions are taken without meaningful human involvement (GDPR Art 22(1)).
    #[serde(default)]
    pub solely_automated: Sp<bool>,
    /// Decisions have legal or similarly significant effects (GDPR Art 22(1)), or a
    /// significant impact on the person's rights and interests (PIPL Art 24(3)).
    #[serde(default)]
    pub significant_effect: Sp<bool>,
    /// The GDPR Art 22(2) exception relied on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception: Option<Sp<Art22Exception>>,
    /// The safeguards offered.
    #[serde(default)]
    pub safeguards: Vec<Sp<AdmSafeguard>>,
    /// The logic involved, its significance and the envisaged consequences, in each
    /// language (GDPR Art 13(2)(f), 14(2)(g)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logic: Option<Localized>,
    /// The purpose pushes information or marketing chosen by the person's characteristics
    /// (PIPL Art 24(2): 信息推送、商业营销).
    #[serde(default)]
    pub targeted_push: Sp<bool>,
    /// An option that is not based on personal characteristics is offered, with an easy way
    /// to refuse (PIPL Art 24(2)).
    #[serde(default)]
    pub non_personalised_option: Sp<bool>,
    /// Prices or other terms differ from person to person (PIPL Art 24(1)).
    #[serde(default)]
    pub differential_pricing: Sp<bool>,
    /// The CCPA significant decision the purpose makes with ADMT, if any (11 CCR 7200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ccpa_significant_decision: Option<Sp<CcpaSignificantDecision>>,
    /// A pre-use notice is given before ADMT is used (11 CCR 7220).
    #[serde(default)]
    pub pre_use_notice: Sp<bool>,
    /// How consumers may escape the ADMT decision (11 CCR 7221).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ccpa_opt_out: Option<Sp<AdmtOptOut>>,
}

/// A financial incentive, or a price or service difference, tied to personal information
/// (CCPA 1798.125(b); 11 CCR 7016, 7080–7081): loyalty schemes, discounts for data.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinancialIncentive {
    /// Where the notice of financial incentive is published (7016).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub notice_url: Option<String>,
    /// The opt-in consent, which the consumer may withdraw at any time (1798.125(b)(3)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Sp<String>>,
    /// A good-faith estimate of the value of the consumer's data and how it was calculated
    /// (7016(b)(5); 7081).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_estimate: Option<Localized>,
}
