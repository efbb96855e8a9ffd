//! The manifest language, version 1: one serde type per section, each deriving its JSON
//! Schema. A project's files each deserialize into a [`Document`]; the resolver merges them.
//!
//! Terms follow the GDPR, PIPL and CCPA and, where it has one, the W3C Data Privacy
//! Vocabulary (DPV). Durations are ISO 8601; countries ISO 3166; volumes are data subjects
//! per year.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::manifest::entries::Entries;
pub use crate::manifest::obligations::*;
use crate::manifest::scalars::{Country, Date, Duration, Localized, Period, Place};
use crate::manifest::yaml::Sp;

/// One YAML file of a project. Every section is optional; sections merge across files.
#[derive(Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "lawful manifest v1")]
pub struct Document {
    /// The version of the manifest language; `1`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Sp<u32>>,
    // Boxed, as is `rights`: every file's document has the field, and the declaration is
    // large (the loader holds one document per file).
    /// The controller (GDPR), personal information handler (PIPL) or business (CCPA) whose
    /// processing this project describes. Declared once, in one file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub organization: Option<Box<Sp<Organization>>>,
    /// The regimes to check, forcing the derived applicability. When absent, lawful derives
    /// them from establishments and where data subjects live.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regimes: Option<Sp<Vec<Sp<RegimeName>>>>,
    /// Extensions of the built-in data-category taxonomy (`lawful taxonomy` lists it).
    #[serde(default, skip_serializing_if = "Entries::is_empty")]
    pub categories: Entries<Sp<CategoryDecl>>,
    /// Kinds of data subjects (DPV `DataSubject`): customers, employees, children.
    #[serde(default, skip_serializing_if = "Entries::is_empty")]
    pub subjects: Entries<Sp<Subject>>,
    /// Why personal data is processed, with the legal basis under each regime.
    #[serde(default, skip_serializing_if = "Entries::is_empty")]
    pub purposes: Entries<Sp<Purpose>>,
    /// Consent definitions: what a consent covers and how it is given and withdrawn.
    #[serde(default, skip_serializing_if = "Entries::is_empty")]
    pub consents: Entries<Sp<Consent>>,
    /// Applications and services that hold or move data.
    #[serde(default, skip_serializing_if = "Entries::is_empty")]
    pub systems: Entries<Sp<System>>,
    // Datasets and flows are boxed: a large project declares tens of thousands of each,
    // and resolution moves every declaration into one list and then into its resolved
    // form; a box moves as a pointer (a dataset's declaration is over 800 bytes).
    /// Data assets (tables, collections, buckets) and their fields.
    #[serde(default, skip_serializing_if = "Entries::is_empty")]
    pub datasets: Entries<Box<Sp<Dataset>>>,
    /// Processors, service providers, third parties and joint controllers that receive data.
    #[serde(default, skip_serializing_if = "Entries::is_empty")]
    pub recipients: Entries<Sp<Recipient>>,
    /// Edges of the data-flow graph: personal data moving from one node to another.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<Box<Sp<Flow>>>,
    /// Who may access what: database roles whose grants are derived from purposes.
    #[serde(default, skip_serializing_if = "Entries::is_empty")]
    pub roles: Entries<Sp<Role>>,
    /// Accepted findings, each with a reason and an expiry date.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suppressions: Vec<Sp<Suppression>>,
    /// Published notices: who each addresses, where and when it is given.
    #[serde(default, skip_serializing_if = "Entries::is_empty")]
    pub notices: Entries<Sp<Notice>>,
    /// Handlers of data subject requests, one per right. Declared once, in one file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub rights: Option<Box<Sp<Rights>>>,
    /// Impact and other assessments (DPIA, PIPIA, CCPA risk assessment, TIA, LIA).
    #[serde(default, skip_serializing_if = "Entries::is_empty")]
    pub assessments: Entries<Sp<Assessment>>,
    /// Organisation policies: rules over data category × purpose × data subject that the
    /// organisation forbids, each reported as `POLICY-<id>` (docs/policies.md).
    #[serde(default, skip_serializing_if = "Entries::is_empty")]
    pub policies: Entries<Sp<Policy>>,
    /// Severity overrides, by rule id (`lawful rules` lists them): `off` stops a rule from
    /// running; `info`, `warning` or `error` replaces its default severity.
    #[serde(default, skip_serializing_if = "Entries::is_empty")]
    pub rules: Entries<Sp<RuleLevel>>,
}

/// The severity a project gives a rule, overriding its default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RuleLevel {
    /// The rule does not run.
    Off,
    /// Findings are information only.
    Info,
    /// Findings are warnings.
    Warning,
    /// Findings are errors.
    Error,
}

/// A regime lawful checks.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum RegimeName {
    /// EU General Data Protection Regulation (EU) 2016/679.
    Gdpr,
    /// PRC Personal Information Protection Law (2021).
    Pipl,
    /// California Consumer Privacy Act as amended by the CPRA, Cal. Civ. Code 1798.100 et seq.
    Ccpa,
}

impl RegimeName {
    pub const ALL: [RegimeName; 3] = [RegimeName::Gdpr, RegimeName::Pipl, RegimeName::Ccpa];
    pub fn key(self) -> &'static str {
        match self {
            RegimeName::Gdpr => "gdpr",
            RegimeName::Pipl => "pipl",
            RegimeName::Ccpa => "ccpa",
        }
    }
    pub fn title(self) -> &'static str {
        match self {
            RegimeName::Gdpr => "GDPR",
            RegimeName::Pipl => "PIPL",
            RegimeName::Ccpa => "CCPA/CPRA",
        }
    }
}

/// A person or body with contact details (DPO, representative, contact point).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// Name of the person or body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub name: Option<String>,
    /// Email address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub email: Option<String>,
    /// Telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub phone: Option<String>,
    /// Postal address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub address: Option<String>,
    /// Web address (a contact form, for instance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub url: Option<String>,
    /// Country of the person or body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Sp<Country>>,
    /// The contact details are published, in the notices or on the website (GDPR Art
    /// 37(7); PIPL Art 52).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<Sp<bool>>,
    /// Date the appointment was reported to the supervisory authority or the CAC (GDPR Art
    /// 37(7); PIPL Art 52, 53).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reported_on: Option<Sp<Date>>,
}

/// The organisation whose processing is described (GDPR controller, PIPL personal
/// information handler, CCPA business).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    /// Legal name, as it must appear in notices (GDPR Art 13(1)(a); PIPL Art 17(1)(1)).
    pub name: Sp<String>,
    /// How data subjects reach the organisation.
    #[serde(default)]
    pub contact: Party,
    /// Data protection officer (GDPR Art 37–39), if designated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub dpo: Option<Sp<Party>>,
    /// Personal information protection officer (PIPL Art 52), if designated.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub pipo: Option<Sp<Party>>,
    /// Representative in the Union (GDPR Art 27).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub eu_representative: Option<Sp<Party>>,
    /// Dedicated agency or representative in China (PIPL Art 53).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub pipl_representative: Option<Sp<Party>>,
    /// Countries (and subdivisions such as `US-CA`) where the organisation has an
    /// establishment (GDPR Art 3(1); PIPL Art 3(1); CCPA "doing business in California").
    #[serde(default)]
    pub establishments: Vec<Sp<Country>>,
    /// The lead supervisory authority, named in GDPR notices (Art 13(2)(d)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub supervisory_authority: Option<String>,
    /// Whether the organisation is exempt from designating a representative in the Union
    /// (GDPR Art 27(2)): its processing is occasional, excludes large-scale special-category
    /// or criminal-offence data and is unlikely to result in a risk, or it is a public
    /// authority or body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub art27_exempt: Option<Sp<bool>>,
    /// Whether the organisation is a critical information infrastructure operator (关键信息基础设施
    /// 运营者), which must store personal information collected in China there and export it
    /// only after a CAC security assessment (PIPL Art 40; CAC 2024 Art 7(1)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_ciio: Option<Sp<bool>>,
    /// Individuals whose personal information the organisation processes, de-duplicated and
    /// counted per legal entity, excluding deleted or anonymised data (PIPL Art 52 threshold
    /// of 1,000,000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipl_individuals_total: Option<Sp<u64>>,
    /// The date of the last personal-information compliance audit (PIPL Art 54; CAC
    /// Measures for Compliance Audits 2025: every two years above 10,000,000 individuals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_audit: Option<Sp<Date>>,
    /// Annual gross revenue in US dollars, for the preceding calendar year (CCPA
    /// 1798.140(d)(1)(A): $26,625,000 from 1 January 2025, adjusted for inflation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub annual_gross_revenue_usd: Option<Sp<u64>>,
    /// California consumers or households whose personal information the business buys,
    /// sells or shares in a year (CCPA 1798.140(d)(1)(B): 100,000 or more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ca_consumers_per_year: Option<Sp<u64>>,
    /// Percent of annual revenue that comes from selling or sharing consumers' personal
    /// information (CCPA 1798.140(d)(1)(C): 50 or more).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revenue_share_sell_share: Option<Sp<u8>>,
    /// Whether the organisation is a public authority or body (GDPR Art 6(1) last
    /// subparagraph, 37(1)(a)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_public_authority: Option<Sp<bool>>,
    /// Number of employees (GDPR Art 30(5): fewer than 250 may be exempt from keeping a
    /// record of processing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_count: Option<Sp<u64>>,
    /// Persons regularly engaged in the automated processing of personal data (Germany,
    /// BDSG §38(1): a DPO is required from 20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub automated_processing_staff: Option<Sp<u64>>,
    /// The organisation offers goods or services to people in the Union, paid or free
    /// (GDPR Art 3(2)(a)). Absent: assumed when data subjects live in the EEA.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets_eu: Option<Sp<bool>>,
    /// The organisation monitors the behaviour of people in the Union (GDPR Art 3(2)(b)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitors_eu: Option<Sp<bool>>,
    /// The organisation provides products or services to individuals in mainland China
    /// (PIPL Art 3(2)(1)). Absent: assumed when data subjects live there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub targets_cn: Option<Sp<bool>>,
    /// The organisation analyses or assesses the behaviour of individuals in mainland China
    /// (PIPL Art 3(2)(2)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub analyses_cn: Option<Sp<bool>>,
    /// The organisation's website, when it has one (CCPA 1798.130(a)(1)(B): requests may
    /// then be made through it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub website: Option<String>,
    /// The business operates exclusively online and has a direct relationship with the
    /// consumers (CCPA 1798.130(a)(1)(A): an email address is then enough).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub online_only: Option<Sp<bool>>,
    /// A general description of the technical and organisational security measures, in
    /// each language (GDPR Art 30(1)(g), 32(1)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security_measures: Option<Localized>,
    /// CCPA opt-out links and the handling of opt-out preference signals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub optout: Option<Sp<OptOut>>,
}

/// An extension of the data-category taxonomy. The id is dotted (`contact.loyalty_number`);
/// its parent is the id minus its last segment and must exist. A regime flag that is absent
/// is reported by CORE-FIELD-CLASSIFICATION when that regime is in scope.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryDecl {
    /// Label in each language.
    #[serde(default)]
    pub label: Localized,
    /// Whether data in this category relates to an identified or identifiable person
    /// (GDPR Art 4(1); PIPL Art 4). Default: that of the parent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub personal: Option<bool>,
    /// GDPR Art 9(1) special category, or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gdpr_art9: Option<GdprArt9>,
    /// Whether the data relates to criminal convictions and offences (GDPR Art 10).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gdpr_art10: Option<bool>,
    /// PIPL Art 28 sensitive personal information type, or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipl_sensitive: Option<PiplSensitive>,
    /// CCPA category of personal information, Cal. Civ. Code 1798.140(v)(1)(A)–(K), or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ccpa_category: Option<CcpaCategory>,
    /// CCPA sensitive personal information type, 1798.140(ae), or `none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ccpa_spi: Option<CcpaSpi>,
}

/// GDPR Art 9(1) special categories of personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GdprArt9 {
    None,
    RacialEthnicOrigin,
    PoliticalOpinions,
    ReligiousPhilosophicalBeliefs,
    TradeUnionMembership,
    Genetic,
    BiometricIdentification,
    Health,
    SexLifeOrientation,
}

/// PIPL Art 28 sensitive personal information.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PiplSensitive {
    None,
    Biometric,
    ReligiousBelief,
    SpecificIdentity,
    MedicalHealth,
    FinancialAccount,
    Whereabouts,
    #[serde(rename = "minor_under_14")]
    MinorUnder14,
    Other,
}

/// CCPA categories of personal information, 1798.140(v)(1)(A)–(K).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
pub enum CcpaCategory {
    A,
    B,
    C,
    D,
    E,
    F,
    G,
    H,
    I,
    J,
    K,
    #[serde(rename = "none")]
    None,
}

/// CCPA sensitive personal information, 1798.140(ae).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CcpaSpi {
    None,
    GovernmentId,
    AccountCredentials,
    FinancialAccountWithCode,
    PreciseGeolocation,
    RacialEthnicOrigin,
    CitizenshipImmigration,
    ReligiousPhilosophicalBeliefs,
    UnionMembership,
    CommunicationsContents,
    Genetic,
    Neural,
    BiometricIdentification,
    Health,
    SexLifeOrientation,
}

/// A kind of data subject (DPV `DataSubject`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Subject {
    /// Name in each language, as notices show it.
    #[serde(default)]
    pub title: Localized,
    /// Where these people live: countries, `US-CA`, or `EU` / `EEA`.
    #[serde(default)]
    pub lives_in: Vec<Sp<Place>>,
    /// The youngest age this kind of subject may have, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_age: Option<u32>,
    /// These people are vulnerable, e.g. employees, patients or children (WP29 WP248 rev.01
    /// criterion 7 for a DPIA). Subjects with a `min_age` under 18 are counted as
    /// vulnerable whatever this says.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vulnerable: Option<Sp<bool>>,
}

/// Legal bases of a purpose, one per regime.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalBasis {
    /// GDPR Art 6(1) basis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gdpr: Option<Sp<GdprBasis>>,
    /// PIPL Art 13(1) basis.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipl: Option<Sp<PiplBasis>>,
    /// CCPA: whether the use is a business purpose (1798.140(e)) or a commercial purpose.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ccpa: Option<Sp<CcpaPurposeKind>>,
}

/// GDPR Art 6(1)(a)–(f) (DPV eu-gdpr `A6-1-a` … `A6-1-f`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GdprBasis {
    /// Art 6(1)(a).
    Consent,
    /// Art 6(1)(b).
    Contract,
    /// Art 6(1)(c).
    LegalObligation,
    /// Art 6(1)(d).
    VitalInterests,
    /// Art 6(1)(e).
    PublicTask,
    /// Art 6(1)(f).
    LegitimateInterests,
}

/// PIPL Art 13(1)(1)–(7). `legitimate_interests` is accepted only so that
/// PIPL-ART13-LAWFUL-BASIS can explain that the PIPL has no such basis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PiplBasis {
    /// Art 13(1)(1).
    Consent,
    /// Art 13(1)(2): necessary for a contract with the individual, or for HR management
    /// under lawful labour rules and collective contracts.
    ContractOrHr,
    /// Art 13(1)(3): statutory duties or obligations.
    StatutoryDuty,
    /// Art 13(1)(4): public-health emergencies or protecting life, health and property.
    Emergency,
    /// Art 13(1)(5): news reporting and supervision in the public interest.
    NewsPublicInterest,
    /// Art 13(1)(6): information the individual disclosed or otherwise lawfully disclosed.
    DisclosedInfo,
    /// Art 13(1)(7): other circumstances provided by laws and administrative regulations.
    OtherLaw,
    /// Not a PIPL basis; reported by PIPL-ART13-LAWFUL-BASIS.
    LegitimateInterests,
}

/// CCPA kind of purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CcpaPurposeKind {
    /// 1798.140(e): an enumerated operational business purpose.
    BusinessPurpose,
    /// 1798.140(f): a commercial purpose.
    CommercialPurpose,
}

/// GDPR Art 9(2)(a)–(j) conditions (DPV eu-gdpr `A9-2-a` … `A9-2-j`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Art9Condition {
    /// (a) explicit consent.
    ExplicitConsent,
    /// (b) employment, social security and social protection law.
    EmploymentSocialSecurity,
    /// (c) vital interests where the subject cannot consent.
    VitalInterests,
    /// (d) not-for-profit bodies.
    NotForProfitBody,
    /// (e) manifestly made public by the data subject.
    MadePublicBySubject,
    /// (f) legal claims or courts.
    LegalClaims,
    /// (g) substantial public interest.
    SubstantialPublicInterest,
    /// (h) health or social care.
    HealthCare,
    /// (i) public health.
    PublicHealth,
    /// (j) archiving, research or statistics.
    ArchivingResearch,
}

impl Art9Condition {
    /// Conditions that need a Union or member-state law reference (b, g, h, i, j).
    pub fn needs_law_ref(self) -> bool {
        matches!(
            self,
            Art9Condition::EmploymentSocialSecurity
                | Art9Condition::SubstantialPublicInterest
                | Art9Condition::HealthCare
                | Art9Condition::PublicHealth
                | Art9Condition::ArchivingResearch
        )
    }
    pub fn letter(self) -> char {
        match self {
            Art9Condition::ExplicitConsent => 'a',
            Art9Condition::EmploymentSocialSecurity => 'b',
            Art9Condition::VitalInterests => 'c',
            Art9Condition::NotForProfitBody => 'd',
            Art9Condition::MadePublicBySubject => 'e',
            Art9Condition::LegalClaims => 'f',
            Art9Condition::SubstantialPublicInterest => 'g',
            Art9Condition::HealthCare => 'h',
            Art9Condition::PublicHealth => 'i',
            Art9Condition::ArchivingResearch => 'j',
        }
    }
}

/// Why personal data is processed (DPV `Purpose`).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Purpose {
    /// Short title in each language, as notices show it.
    #[serde(default)]
    pub title: Localized,
    /// Plain-language description in each language.
    #[serde(default)]
    pub description: Localized,
    /// Legal basis under each regime (GDPR Art 6(1); PIPL Art 13(1); CCPA kind of purpose).
    #[serde(default)]
    pub legal_basis: Sp<LegalBasis>,
    /// GDPR Art 9(2) condition, needed in addition to the Art 6 basis when the purpose uses
    /// special-category data.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gdpr_art9_condition: Option<Sp<Art9Condition>>,
    /// The Union or member-state law (or PRC law) relied on, e.g. "§147 AO".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub law_ref: Option<String>,
    /// The legitimate interest pursued (GDPR Art 13(1)(d)), when the basis is legitimate
    /// interests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legitimate_interest: Option<Localized>,
    /// Why the processing is necessary (PIPL Art 28(2), 30; CCPA 1798.100(c)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub necessity: Option<Localized>,
    /// The data categories the purpose needs (data minimisation, GDPR Art 5(1)(c)).
    #[serde(default)]
    pub categories: Vec<Sp<String>>,
    /// Longest retention the purpose justifies (ISO 8601 duration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Sp<Duration>>,
    /// The statute that requires keeping data longer than the purpose needs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub retention_legal_ref: Option<String>,
    /// The consent this purpose relies on, when a basis is consent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<Sp<String>>,
    /// CCPA: how sensitive personal information is used (1798.121; 11 CCR 7027(m)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ccpa_spi_use: Option<Sp<SpiUse>>,
    /// The purpose makes personal information public, e.g. a public profile or a
    /// leaderboard (PIPL Art 25: only with separate consent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub publishes: Option<Sp<bool>>,
    /// Automated decision-making, including profiling (GDPR Art 22; PIPL Art 24; 11 CCR
    /// 7200).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub automated_decision: Option<Sp<AutomatedDecision>>,
    /// The purpose is direct marketing, or profiling for it (GDPR Art 21(2)–(3)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direct_marketing: Option<Sp<bool>>,
    /// The purpose evaluates or scores people, including profiling and prediction (WP248
    /// criterion 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profiling: Option<Sp<bool>>,
    /// The purpose observes, monitors or controls people systematically (GDPR Art
    /// 35(3)(c), 37(1)(b); WP248 criterion 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub systematic_monitoring: Option<Sp<bool>>,
    /// The processing is on a large scale (GDPR Art 35(3)(b), 37(1)(b)–(c); WP248
    /// criterion 5). The law sets no number; decide and record it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub large_scale: Option<Sp<bool>>,
    /// The purpose uses new technology or an innovative use of it (WP248 criterion 8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub innovative_tech: Option<Sp<bool>>,
    /// The purpose matches or combines datasets from different processing operations
    /// (WP248 criterion 6).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub combines_datasets: Option<Sp<bool>>,
    /// The purpose is one of the organisation's core activities (GDPR Art 37(1)(b)–(c)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub core_activity: Option<Sp<bool>>,
    /// The purpose is an information society service offered directly to children (GDPR
    /// Art 8(1)). Absent: assumed when its subjects may be children.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offered_to_children: Option<Sp<bool>>,
    /// A financial incentive tied to personal information (CCPA 1798.125(b)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::declared")]
    pub financial_incentive: Option<Sp<FinancialIncentive>>,
    /// Whether people must provide the data (GDPR Art 13(2)(e)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_required: Option<Sp<DataRequired>>,
    /// What happens if people do not provide the data, in each language (GDPR Art
    /// 13(2)(e)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub if_not_provided: Option<Localized>,
    /// Date the processing started or will start; assessments must be done before it
    /// (GDPR Art 35(1); PIPL Art 55; 11 CCR 7150).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started_on: Option<Sp<Date>>,
    /// The datasets the purpose uses. When given, it replaces lawful's inference, by which a
    /// purpose uses every dataset holding one of its categories besides those its flows and
    /// roles name: a staff purpose declaring `contact.email` then does not read the
    /// customers' table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub datasets: Option<Sp<Vec<Sp<String>>>>,
    /// The kind of use, as a dotted key of the organisation's use taxonomy (e.g. fideslang's
    /// `marketing.advertising.first_party`), which policies match together with its
    /// ancestors (`marketing` catches `marketing.advertising`). Default: the purpose's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_use: Option<Sp<String>>,
    /// The kinds of data subjects whose data the purpose processes. Policies match on them;
    /// when none are given, on the subjects of the datasets the purpose names in
    /// `datasets:`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub subjects: Vec<Sp<String>>,
}

/// How a purpose uses CCPA sensitive personal information.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpiUse {
    /// Only for the purposes listed in 11 CCR 7027(m) (providing the service requested,
    /// security, fraud prevention and the like); no right to limit is needed.
    #[serde(rename = "permitted_7027m")]
    Permitted7027m,
    /// Beyond those purposes: consumers must be offered "Limit the Use of My Sensitive
    /// Personal Information" (1798.121).
    BeyondPermitted,
    /// Collected without the purpose of inferring characteristics (1798.121(d)).
    NoInference,
}

/// Kind of consent (DPV consent types; `separate` is the PIPL 单独同意).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentKind {
    Standard,
    /// GDPR Art 9(2)(a), 22(2)(c), 49(1)(a).
    Explicit,
    /// PIPL Art 23, 25, 26, 29, 39: a consent given specifically for that processing.
    Separate,
    /// Written consent, where a law requires it (PIPL Art 14, 29).
    Written,
    /// Consent of a parent or guardian (GDPR Art 8; PIPL Art 31).
    Guardian,
    /// Affirmative opt-in (CCPA 1798.120(c)).
    OptIn,
}

/// A consent definition.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    /// Title in each language.
    #[serde(default)]
    pub title: Localized,
    /// Kind of consent.
    pub kind: Sp<ConsentKind>,
    /// Purposes this consent covers.
    #[serde(default)]
    pub purposes: Vec<Sp<String>>,
    /// Categories it covers, when narrower than its purposes'.
    #[serde(default)]
    pub categories: Vec<Sp<String>>,
    /// Recipients it names, for separate consent to provision (PIPL Art 23) or export
    /// (PIPL Art 39).
    #[serde(default)]
    pub recipients: Vec<Sp<String>>,
    /// Where consent is collected: `web`, `app`, `mini_program`, `store`, `phone`, `paper`.
    #[serde(default)]
    pub channels: Vec<String>,
    /// How the subject withdraws it, as easily as it was given (GDPR Art 7(3); PIPL Art 15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawal: Option<Localized>,
    /// The dataset where consent records are kept (GDPR Art 7(1)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub record_store: Option<Sp<String>>,
    /// Whether the service is refused to someone who does not give this consent (GDPR
    /// Art 7(4); PIPL Art 16). Absent means it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precondition_of_service: Option<Sp<bool>>,
    /// Whether the box or switch that gives this consent is ticked in advance, which is not
    /// consent (GDPR Art 4(11), Recital 32; CJEU C-673/17 Planet49). Absent means it is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_ticked: Option<Sp<bool>>,
    /// How the authority of the parent or guardian who gives this consent is verified
    /// (GDPR Art 8(2): reasonable efforts; PIPL Art 31).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verification: Option<Localized>,
}

/// An application or service.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct System {
    /// Title in each language.
    #[serde(default)]
    pub title: Localized,
    /// Team that owns the system.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// Country where the system runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Sp<Country>>,
}

/// Database engines lawful generates SQL for.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    Postgres,
    Mysql,
    Snowflake,
    Bigquery,
    /// Any other store (files, SaaS); no SQL is generated for it.
    Other,
}

/// Where a dataset is stored.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Storage {
    /// The database engine; it decides the SQL dialect of generated jobs and grants.
    pub engine: Engine,
    /// Database name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database: Option<String>,
    /// Schema name (PostgreSQL default: `public`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// Table name, as the engine spells it (case and all).
    pub table: Sp<String>,
}

/// What happens to a row when its retention period ends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RetentionAction {
    Delete,
    /// Overwrite the personal fields (each field's `anonymise` method) and keep the row.
    Anonymise,
}

/// How the retention anchor column stores time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnchorType {
    /// `timestamp with time zone`: an absolute instant.
    #[default]
    Timestamptz,
    /// `timestamp without time zone`: a wall-clock time in the declared `time_zone`.
    Timestamp,
    /// `date`: a calendar day in the declared `time_zone`.
    Date,
    /// Seconds since 1970-01-01 UTC, stored as a number.
    EpochSeconds,
    /// Milliseconds since 1970-01-01 UTC, stored as a number.
    EpochMilliseconds,
}

/// How long a dataset's rows are kept, counted from which column, and what then happens.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Retention {
    /// ISO 8601 duration, or `indefinite`.
    pub period: Sp<Period>,
    /// The field (column) whose time starts the period: `last_order_at`.
    pub after: Sp<String>,
    /// What happens when the period ends.
    pub then: Sp<RetentionAction>,
    /// How the anchor column stores time. Default: `timestamptz`.
    #[serde(default)]
    pub anchor_type: AnchorType,
    /// IANA time zone of a `timestamp` or `date` anchor (`Europe/Berlin`). Default `UTC`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_zone: Option<Sp<String>>,
    /// Rows per batch in the generated job (default 5000).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub batch_size: Option<u32>,
    /// Rows the job must never touch while a legal hold applies (litigation, an
    /// investigation, a tax audit): GDPR Art 17(3)(e), PIPL Art 47 (a retention period the
    /// law requires), CCPA 1798.105(d)(8).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_hold: Option<Sp<LegalHold>>,
    /// When the job runs: a five-field cron expression in UTC (`minute hour day-of-month
    /// month day-of-week`, `30 2 * * *`). Default: `0 3 * * *`, daily at 03:00 UTC.
    /// Written out as a pg_cron statement, a MySQL event and a Kubernetes CronJob.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<Sp<String>>,
}

/// Rows on legal hold: a retention job skips them, whatever their age. Give `column`,
/// `table` or both; a row is held when either says so.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct LegalHold {
    /// A boolean field of this dataset; rows where it is true are held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<Sp<String>>,
    /// A table listing the held data subjects, `schema.table` or `table` (then in the
    /// dataset's own schema or database); a row is held when the value of its `key` field
    /// is listed in the hold table's column of the same name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<Sp<String>>,
    /// The field of this dataset whose value the hold table lists (`customer_id`); the hold
    /// table has a column of the same name. Default: the dataset's `subject_key`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<Sp<String>>,
}

/// An append-only consent log (GDPR Art 7(1): the controller must be able to demonstrate
/// consent; PIPL Art 14). lawful generates its table with fixed columns (data subject,
/// consent, purposes and categories, channel, notice version and hash, given or withdrawn,
/// when, source) and grants that allow only `INSERT` and `SELECT`, so the trail cannot be
/// rewritten.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentLog {
    /// Roles that record consents: they get `INSERT` and `SELECT`, nothing else.
    #[serde(default)]
    pub writers: Vec<Sp<String>>,
    /// Roles that read the log (a DPO answering a request, an auditor): `SELECT` only.
    #[serde(default)]
    pub readers: Vec<Sp<String>>,
}

/// How a field is overwritten when its row is anonymised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnonymiseMethod {
    /// Set to NULL (the default for personal fields).
    Null,
    /// Replace with a salted SHA-256 hash; the salt is a job parameter.
    Hash,
    /// Keep only the year of a date or timestamp.
    Year,
    /// Leave unchanged (the field is not identifying on its own).
    Keep,
}

/// Masking of a field for roles that may only see it masked (a role's `masked:`
/// categories). The masked value is text: every hidden character becomes `*`.
///
/// Source: pseudonymisation and data minimisation, GDPR Art 25(1) and 32(1)(a); PIPL Art 51(3)
/// (去标识化); GB/T 35273-2020 §3.14 and Annex A on partial display.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Mask {
    /// The masking style. Default: `partial` (keep `keep_first` and `keep_last` characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub style: Option<Sp<MaskStyle>>,
    /// Characters kept at the start (`partial` only). Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_first: Option<Sp<u32>>,
    /// Characters kept at the end (`partial` only). Default 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keep_last: Option<Sp<u32>>,
}

impl Mask {
    /// The style, `partial` when none is given.
    pub fn style(&self) -> MaskStyle {
        self.style
            .as_ref()
            .map(|s| s.value)
            .unwrap_or(MaskStyle::Partial)
    }
    /// Characters kept at the start and at the end of the text; `None` for `email`, which
    /// masks the local part instead.
    pub fn kept(&self) -> Option<(u32, u32)> {
        match self.style() {
            MaskStyle::Phone => Some((3, 4)),
            MaskStyle::NationalId => Some((0, 4)),
            MaskStyle::Redact => Some((0, 0)),
            MaskStyle::Email => None,
            MaskStyle::Partial => Some((
                self.keep_first.as_ref().map(|k| k.value).unwrap_or(0),
                self.keep_last.as_ref().map(|k| k.value).unwrap_or(0),
            )),
        }
    }
}

/// How a masked value is shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MaskStyle {
    /// First 3 and last 4 characters kept: `138****5678`.
    Phone,
    /// The local part hidden, the domain kept: `****@example.com`.
    Email,
    /// The last 4 characters kept: `**************1234`.
    NationalId,
    /// `keep_first` and `keep_last` characters kept, the rest hidden.
    Partial,
    /// Every character hidden: `****` (the length is not revealed).
    Redact,
}

/// A field (column) of a dataset.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Field {
    /// Data categories of the field. Default: the dataset's `categories`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Sp<Vec<Sp<String>>>>,
    /// Column name when it differs from the field id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<Sp<String>>,
    /// What the field holds, in words, in each language (`{ en: closing date, zh-CN:
    /// 结案日期 }`): notices name the field by it where they would otherwise show its name
    /// in words (the date a retention period runs from, the fields erased or kept).
    /// Boxed: few fields of a large project have one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Box<Localized>>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The column's SQL type as the database declares it (`varchar(20)`, `bigint`,
    /// `timestamptz`). Optional; when given, lawful checks that masks and anonymisation
    /// methods can apply to it before generating SQL.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub sql_type: Option<Sp<String>>,
    // Boxed: few fields have one, and a field held inline would be 60 bytes larger (the
    // model holds every field of the organisation).
    /// Masking for roles that may only see the field masked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mask: Option<Box<Sp<Mask>>>,
    /// How the field is anonymised when the retention action is `anonymise`. A bare YAML
    /// `null` means the method `null` (set to NULL), as a reader would expect.
    #[serde(default, deserialize_with = "null_method")]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub anonymise: Option<Sp<AnonymiseMethod>>,
}

/// Encryption of a dataset (GDPR Art 32(1)(a); PIPL Art 51).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Encryption {
    /// The stored data is encrypted (disk, table or column encryption). Default: `false`.
    #[serde(default)]
    pub at_rest: bool,
    /// Connections to the store are encrypted (TLS). Default: `false`.
    #[serde(default)]
    pub in_transit: bool,
}

/// How a dataset's data was obtained (GDPR Art 13 vs Art 14; DPV provided/observed/inferred).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataSource {
    Subject,
    ThirdParty,
    Public,
    Observed,
    Inferred,
}

/// A data asset: a table, collection or bucket.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    /// Title in each language.
    #[serde(default)]
    pub title: Localized,
    /// The system that holds the dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub system: Option<Sp<String>>,
    /// Where it is stored; needed for SQL generation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage: Option<Sp<Storage>>,
    /// Country where the data is stored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Sp<Country>>,
    /// Kinds of data subjects whose data it holds.
    #[serde(default)]
    pub subjects: Vec<Sp<String>>,
    /// The field that identifies the data subject (used by retention jobs and rights).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject_key: Option<Sp<String>>,
    /// Default categories of fields that declare none.
    #[serde(default)]
    pub categories: Vec<Sp<String>>,
    /// Retention of the rows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retention: Option<Sp<Retention>>,
    /// Fields (columns).
    #[serde(default)]
    pub fields: Entries<Sp<Field>>,
    /// Encryption at rest and in transit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub encryption: Option<Encryption>,
    /// How the data was obtained (GDPR Art 14).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<DataSource>,
    /// Purposes disclosed when the data was collected (GDPR Art 6(4)).
    #[serde(default)]
    pub collected_for: Vec<Sp<String>>,
    /// The GDPR Art 14(5) exemption relied on for not informing people of data obtained
    /// from other sources.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_exemption: Option<Sp<Art14Exemption>>,
    /// This dataset is the project's append-only consent log: lawful generates its table
    /// (with `storage`) and its grants. See [`ConsentLog`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent_log: Option<Sp<ConsentLog>>,
}

/// GDPR role of a recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GdprRole {
    Processor,
    SubProcessor,
    Controller,
    JointController,
}

/// PIPL role of a recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PiplRole {
    /// 受托人, Art 21.
    EntrustedParty,
    /// Another personal information handler, Art 23.
    OtherHandler,
    /// Joint handler, Art 20.
    JointHandler,
}

/// CCPA role of a recipient.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CcpaRole {
    /// 1798.140(ag).
    ServiceProvider,
    /// 1798.140(j).
    Contractor,
    /// 1798.140(ai).
    ThirdParty,
}

/// Roles of a recipient under each regime.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RecipientRole {
    /// Role under the GDPR (Art 4(7)–(8), 26, 28).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gdpr: Option<Sp<GdprRole>>,
    /// Role under the PIPL (Art 20, 21, 23).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipl: Option<Sp<PiplRole>>,
    /// Role under the CCPA (1798.140(ag), (j), (ai)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ccpa: Option<Sp<CcpaRole>>,
}

/// The terms of GDPR Art 28(3)(a)–(h) a processor contract must contain.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize, Serialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Art28Term {
    /// (a) processing only on documented instructions.
    Instructions,
    /// (b) confidentiality of the persons authorised to process.
    Confidentiality,
    /// (c) the security measures of Art 32.
    Security,
    /// (d) conditions for engaging sub-processors.
    SubProcessors,
    /// (e) assistance with data-subject rights.
    DataSubjectRights,
    /// (f) assistance with Arts 32–36.
    Assistance,
    /// (g) deletion or return at the end of the services.
    DeletionOrReturn,
    /// (h) audits and information.
    Audits,
}

impl Art28Term {
    pub const ALL: [Art28Term; 8] = [
        Art28Term::Instructions,
        Art28Term::Confidentiality,
        Art28Term::Security,
        Art28Term::SubProcessors,
        Art28Term::DataSubjectRights,
        Art28Term::Assistance,
        Art28Term::DeletionOrReturn,
        Art28Term::Audits,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Art28Term::Instructions => "instructions",
            Art28Term::Confidentiality => "confidentiality",
            Art28Term::Security => "security",
            Art28Term::SubProcessors => "sub_processors",
            Art28Term::DataSubjectRights => "data_subject_rights",
            Art28Term::Assistance => "assistance",
            Art28Term::DeletionOrReturn => "deletion_or_return",
            Art28Term::Audits => "audits",
        }
    }
    pub fn letter(self) -> char {
        (b'a' + Art28Term::ALL.iter().position(|t| *t == self).unwrap_or(0) as u8) as char
    }
}

/// A contract with a recipient (GDPR Art 28(3) data processing agreement, PIPL Art 21
/// entrustment agreement, CCPA 1798.100(d) contract).
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contract {
    /// Reference to the signed document.
    #[serde(rename = "ref")]
    pub reference: Sp<String>,
    /// Date it was signed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_on: Option<Date>,
    /// The Art 28(3) terms it contains; list all eight when the contract follows the
    /// Commission's Art 28(7) clauses (Decision (EU) 2021/915).
    #[serde(default)]
    pub art28_terms: Vec<Sp<Art28Term>>,
}

/// A recipient: processor, service provider, third party, joint controller.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Recipient {
    /// Legal name.
    pub name: Sp<String>,
    /// What the recipient does, in each language.
    #[serde(default)]
    pub description: Localized,
    /// Role under each regime.
    #[serde(default)]
    pub role: Sp<RecipientRole>,
    /// Country of establishment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<Sp<Country>>,
    /// Contact details (PIPL Art 23, 39 require them in the notice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Party>,
    /// The contract with the recipient.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contract: Option<Sp<Contract>>,
    /// Date the recipient was last reviewed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviewed_on: Option<Date>,
    /// The recipient's status on the EU-US Data Privacy Framework List, for a US recipient
    /// reached under `transfer.gdpr: adequacy` (GDPR Art 45; Decision (EU) 2023/1795).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dpf: Option<Sp<Dpf>>,
    /// The recipient controls the collection of personal information on the business's
    /// premises or site, e.g. an analytics or advertising tag (11 CCR 7012(g)).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub controls_collection: Option<Sp<bool>>,
}

/// A US recipient's entry on the Data Privacy Framework List (Decision (EU) 2023/1795).
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Dpf {
    /// Whether the recipient's certification is active on the DPF List.
    pub certified: Sp<bool>,
    /// Whether the certification covers human-resources data.
    #[serde(default)]
    pub hr: Sp<bool>,
    /// Date the DPF List was last checked for this recipient.
    pub checked_on: Sp<Date>,
}

/// A GDPR Chapter V transfer tool.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum GdprTransfer {
    /// Art 45 adequacy decision.
    Adequacy,
    /// Art 46(2)(c) standard contractual clauses (Decision (EU) 2021/914), module 1.
    SccC2c,
    /// SCC module 2, controller to processor.
    SccC2p,
    /// SCC module 3, processor to processor.
    SccP2p,
    /// SCC module 4, processor to controller.
    SccP2c,
    /// Art 47 binding corporate rules.
    Bcr,
    /// Art 46(2)(e) approved code of conduct, or (f) certification.
    CodeOrCertification,
    /// Art 49(1)(a) explicit consent after being informed of the risks.
    #[serde(rename = "derogation_49_1_a")]
    Derogation491A,
    /// Art 49(1)(b) necessary for a contract with the subject.
    #[serde(rename = "derogation_49_1_b")]
    Derogation491B,
    /// Art 49(1)(c) necessary for a contract in the subject's interest.
    #[serde(rename = "derogation_49_1_c")]
    Derogation491C,
    /// Art 49(1)(d) important reasons of public interest.
    #[serde(rename = "derogation_49_1_d")]
    Derogation491D,
    /// Art 49(1)(e) legal claims.
    #[serde(rename = "derogation_49_1_e")]
    Derogation491E,
    /// Art 49(1)(f) vital interests.
    #[serde(rename = "derogation_49_1_f")]
    Derogation491F,
    /// Art 49(1)(g) public register.
    #[serde(rename = "derogation_49_1_g")]
    Derogation491G,
}

/// A PIPL Art 38 mechanism, or a CAC 2024 exemption.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PiplTransfer {
    /// Art 38(1)(1), 40: CAC security assessment.
    SecurityAssessment,
    /// Art 38(1)(2): certification by a specialised body.
    Certification,
    /// Art 38(1)(3): CAC standard contract, filed with the provincial CAC.
    StandardContract,
    /// CAC 2024 Art 5(1): necessary for a contract with the individual.
    #[serde(rename = "exempt_cac2024_art5_1")]
    ExemptContract,
    /// CAC 2024 Art 5(2): cross-border HR management.
    #[serde(rename = "exempt_cac2024_art5_2")]
    ExemptHr,
    /// CAC 2024 Art 5(3): emergency protecting life, health or property.
    #[serde(rename = "exempt_cac2024_art5_3")]
    ExemptEmergency,
    /// CAC 2024 Art 5(4): fewer than 100,000 individuals (non-sensitive) a year.
    #[serde(rename = "exempt_cac2024_art5_4")]
    ExemptVolume,
}

/// The transfer mechanisms of a cross-border flow.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Transfer {
    /// GDPR Chapter V tool (Art 45–49).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gdpr: Option<Sp<GdprTransfer>>,
    /// PIPL Art 38 mechanism or CAC 2024 exemption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pipl: Option<Sp<PiplTransfer>>,
    /// Reference to the transfer impact assessment (Schrems II; EDPB Recommendations 01/2020).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub tia: Option<String>,
}

/// Yearly volume of a flow, in data subjects per year.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Volume {
    /// Distinct data subjects per year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subjects_per_year: Option<u64>,
    /// Of those, subjects whose sensitive personal information flows, per year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sensitive_subjects_per_year: Option<u64>,
}

/// An edge of the data-flow graph.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Flow {
    /// Optional id, for suppressions and diffs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Sp<String>>,
    /// Source: a subject kind, dataset, system or recipient id.
    pub from: Sp<String>,
    /// Destination: a dataset, system or recipient id.
    pub to: Sp<String>,
    /// Categories carried. Default: every category that reaches the source.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Sp<Vec<Sp<String>>>>,
    /// Purposes the flow serves.
    #[serde(default)]
    pub purposes: Vec<Sp<String>>,
    /// Transfer mechanisms, for cross-border flows.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<Sp<Transfer>>,
    /// Yearly volume.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub volume: Option<Volume>,
    /// CCPA: the flow is a sale, 1798.140(ad) (to a third party for valuable consideration).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sale: Option<Sp<bool>>,
    /// CCPA: the flow is sharing, 1798.140(ah) (for cross-context behavioural advertising).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub share: Option<Sp<bool>>,
    /// How often the flow happens (GDPR Art 49: derogations suit only occasional transfers).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Sp<Frequency>>,
    /// CCPA: the flow stops for consumers who opted out of sale and sharing or limited the
    /// use of their sensitive personal information (1798.120, 121; 11 CCR 7026).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub honours_opt_out: Option<Sp<bool>>,
}

/// How often a flow happens (EDPB Guidelines 2/2018 on Art 49).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    /// A single transfer.
    OneOff,
    /// Now and then, outside the regular course of business.
    Occasional,
    /// Regular or repeated, as part of the normal course of business.
    Systematic,
}

/// A database role whose access is derived from purposes.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The database role name. Default: the role id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub db_role: Option<Sp<String>>,
    /// Purposes the role serves; it may read exactly the columns whose categories these
    /// purposes declare.
    #[serde(default)]
    pub purposes: Vec<Sp<String>>,
    /// Datasets the role works on. Default: every dataset with a column it may read.
    #[serde(default)]
    pub datasets: Vec<Sp<String>>,
    /// Categories the role may see only masked: a field with a `mask` whose categories
    /// fall within one of these is served to the role through its table's masking view
    /// (`<table>_masked`), masked; a field without a `mask` stays closed to it.
    #[serde(default)]
    pub masked: Vec<Sp<String>>,
}

/// An accepted finding.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    /// The rule id (`CORE-RETENTION-WITHIN-PURPOSE`).
    pub rule: Sp<String>,
    /// What it applies to: `section.id`, e.g. `datasets.payment` or `purposes.marketing`.
    pub target: Sp<String>,
    /// Why the finding is accepted.
    pub reason: Sp<String>,
    /// The date after which the suppression no longer applies.
    pub expires: Sp<Date>,
}

/// `anonymise: null` (unquoted, which YAML reads as "no value") means the `null` method.
fn null_method<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<Sp<AnonymiseMethod>>, D::Error> {
    let v: Option<Sp<AnonymiseMethod>> = Option::deserialize(d)?;
    Ok(Some(v.unwrap_or_else(|| {
        Sp::new(AnonymiseMethod::Null, crate::manifest::yaml::Span::NONE)
    })))
}

/// An organisation policy (docs/policies.md): rules, each naming a combination of data
/// categories, purposes and data subjects the organisation does not allow. A purpose whose
/// categories, use and subjects all match one rule is a finding `POLICY-<id>` at the
/// purpose, with the rule as a secondary place. Matching follows Fides (`fides evaluate`):
/// each dimension is matched with `any`, `all`, `none` or `other`, and a value catches its
/// descendants in the taxonomy.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// What the policy is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub description: Option<String>,
    /// Severity of its findings. Default: `error`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Sp<PolicySeverity>>,
    /// The rules, by id. A purpose breaks the policy when it matches any of them.
    pub rules: Entries<Sp<PolicyRule>>,
}

/// Severity of a policy's findings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PolicySeverity {
    Info,
    Warning,
    Error,
}

/// One rule of a policy: it matches a purpose when every dimension it gives matches. A
/// dimension left out matches every purpose.
#[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyRule {
    /// What the rule forbids, in plain words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "crate::manifest::scalars::non_blank")]
    pub description: Option<String>,
    /// Data categories (taxonomy ids; `personal` stands for every personal category).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub categories: Option<Sp<PolicyMatch>>,
    /// Purposes: dotted use keys (`data_use`, else the purpose id), with their ancestors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purposes: Option<Sp<PolicyMatch>>,
    /// Data subjects: subject ids, with dotted ancestors.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subjects: Option<Sp<PolicyMatch>>,
}

/// How one dimension of a policy rule matches.
#[derive(Clone, Debug, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyMatch {
    /// `any`: a declared value is one of `values` or below one; `all`: every declared
    /// value is one of `values` or below one (and at least one is declared); `none`: no
    /// declared value is one of `values` or below one (and at least one is declared);
    /// `other`: a declared value is outside every one of `values`.
    pub matches: Sp<MatchMode>,
    /// The taxonomy keys matched.
    pub values: Vec<Sp<String>>,
}

/// Match mode of a policy dimension (Fides `MatchesEnum`; upper case is accepted too).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchMode {
    #[serde(alias = "ANY")]
    Any,
    #[serde(alias = "ALL")]
    All,
    #[serde(alias = "NONE")]
    None,
    #[serde(alias = "OTHER")]
    Other,
}
