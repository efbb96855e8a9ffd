//! The fideslang resources `lawful import fides` reads, with the span of every value that a
//! diagnostic may point at.
//!
//! Every key fideslang 3 defines is listed (fideslang's pydantic models ignore unknown keys;
//! here a key that is not fideslang is an error at its place, so a misspelt
//! `data_categorie:` is never silently dropped). Keys lawful does not carry over are read as
//! [`IgnoredAny`] and listed in docs/fides.md; so are the keys of fideslang 1.x
//! (`data_qualifier`, `retention`, …) that older manifests still carry.

use serde::Deserialize;
use serde::de::IgnoredAny;

use crate::manifest::Sp;

/// One fideslang YAML file: each top-level key is a list of resources of one type.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FidesFile {
    #[serde(default)]
    pub organization: Option<Vec<Sp<Organization>>>,
    #[serde(default)]
    pub system: Option<Vec<Sp<System>>>,
    #[serde(default)]
    pub dataset: Option<Vec<Sp<Dataset>>>,
    #[serde(default)]
    pub data_use: Option<Vec<Sp<TaxonomyEntry>>>,
    #[serde(default)]
    pub data_subject: Option<Vec<Sp<TaxonomyEntry>>>,
    #[serde(default)]
    pub data_category: Option<Vec<Sp<TaxonomyEntry>>>,
    #[serde(default)]
    pub policy: Option<Vec<Sp<Policy>>>,
}

/// `controller`, `data_protection_officer` and `representative` of an organization.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Organization {
    pub fides_key: Sp<String>,
    #[serde(default)]
    pub organization_fides_key: Option<IgnoredAny>,
    #[serde(default)]
    pub organization_parent_key: Option<IgnoredAny>,
    #[serde(default)]
    pub tags: Option<IgnoredAny>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub controller: Option<Contact>,
    #[serde(default)]
    pub data_protection_officer: Option<Contact>,
    #[serde(default)]
    pub representative: Option<Contact>,
    #[serde(default)]
    pub security_policy: Option<String>,
    #[serde(default)]
    pub fidesctl_meta: Option<IgnoredAny>,
}

/// A `data_category`, `data_use` or `data_subject` of an extended taxonomy.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaxonomyEntry {
    pub fides_key: Sp<String>,
    #[serde(default)]
    pub organization_fides_key: Option<IgnoredAny>,
    #[serde(default)]
    pub tags: Option<IgnoredAny>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    /// `data_category` and `data_use` only.
    #[serde(default)]
    pub parent_key: Option<Sp<String>>,
    #[serde(default)]
    pub version_added: Option<IgnoredAny>,
    #[serde(default)]
    pub version_deprecated: Option<IgnoredAny>,
    #[serde(default)]
    pub replaced_by: Option<IgnoredAny>,
    #[serde(default)]
    pub is_default: Option<IgnoredAny>,
    #[serde(default)]
    pub active: Option<IgnoredAny>,
    /// `data_subject` only.
    #[serde(default)]
    pub rights: Option<IgnoredAny>,
    /// `data_subject` only.
    #[serde(default)]
    pub automated_decisions_or_profiling: Option<IgnoredAny>,
    // fideslang 1.x keys of data uses.
    #[serde(default)]
    pub legal_basis: Option<IgnoredAny>,
    #[serde(default)]
    pub special_category: Option<IgnoredAny>,
    #[serde(default)]
    pub recipients: Option<IgnoredAny>,
    #[serde(default)]
    pub legitimate_interest: Option<IgnoredAny>,
    #[serde(default)]
    pub legitimate_interest_impact_assessment: Option<IgnoredAny>,
}

/// `fides_meta` (or the older `fidesops_meta`) of a dataset field. Only what an import
/// carries into comments is read; fideslang ignores other keys here and so does lawful.
#[derive(Debug, Default, Deserialize)]
pub struct FieldMeta {
    #[serde(default)]
    pub identity: Option<String>,
    #[serde(default)]
    pub primary_key: Option<bool>,
    #[serde(default)]
    pub references: Option<Vec<FieldReference>>,
}

#[derive(Debug, Deserialize)]
pub struct FieldReference {
    pub dataset: String,
    pub field: String,
    #[serde(default)]
    pub direction: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dataset {
    pub fides_key: Sp<String>,
    #[serde(default)]
    pub organization_fides_key: Option<IgnoredAny>,
    #[serde(default)]
    pub tags: Option<IgnoredAny>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub meta: Option<IgnoredAny>,
    #[serde(default)]
    pub data_categories: Option<Vec<Sp<String>>>,
    #[serde(default)]
    pub fides_meta: Option<IgnoredAny>,
    #[serde(default)]
    pub fidesops_meta: Option<IgnoredAny>,
    #[serde(default)]
    pub collections: Vec<Sp<Collection>>,
    // fideslang 1.x.
    #[serde(default)]
    pub data_qualifier: Option<IgnoredAny>,
    #[serde(default)]
    pub data_qualifiers: Option<IgnoredAny>,
    #[serde(default)]
    pub retention: Option<String>,
    #[serde(default)]
    pub third_country_transfers: Option<IgnoredAny>,
    #[serde(default)]
    pub joint_controller: Option<IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Collection {
    pub name: Sp<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub data_categories: Option<Vec<Sp<String>>>,
    #[serde(default)]
    pub fields: Vec<Sp<Field>>,
    #[serde(default)]
    pub fides_meta: Option<IgnoredAny>,
    #[serde(default)]
    pub fidesops_meta: Option<IgnoredAny>,
    // fideslang 1.x.
    #[serde(default)]
    pub data_qualifier: Option<IgnoredAny>,
    #[serde(default)]
    pub data_qualifiers: Option<IgnoredAny>,
    #[serde(default)]
    pub retention: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: Sp<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub data_categories: Option<Vec<Sp<String>>>,
    #[serde(default)]
    pub fides_meta: Option<FieldMeta>,
    #[serde(default)]
    pub fidesops_meta: Option<FieldMeta>,
    /// Nested fields (documents, JSON columns).
    #[serde(default)]
    pub fields: Option<Vec<Sp<Field>>>,
    // fideslang 1.x.
    #[serde(default)]
    pub data_qualifier: Option<IgnoredAny>,
    #[serde(default)]
    pub data_qualifiers: Option<IgnoredAny>,
    #[serde(default)]
    pub retention: Option<String>,
}

/// An `egress` or `ingress` entry of a system.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DataFlow {
    pub fides_key: Sp<String>,
    #[serde(rename = "type")]
    pub kind: Sp<String>,
    #[serde(default)]
    pub data_categories: Option<Vec<Sp<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyDeclaration {
    #[serde(default)]
    pub name: Option<Sp<String>>,
    #[serde(default)]
    pub data_categories: Vec<Sp<String>>,
    pub data_use: Sp<String>,
    #[serde(default)]
    pub data_subjects: Vec<Sp<String>>,
    #[serde(default)]
    pub dataset_references: Option<Vec<Sp<String>>>,
    #[serde(default)]
    pub egress: Option<IgnoredAny>,
    #[serde(default)]
    pub ingress: Option<IgnoredAny>,
    #[serde(default)]
    pub features: Option<IgnoredAny>,
    #[serde(default)]
    pub flexible_legal_basis_for_processing: Option<IgnoredAny>,
    #[serde(default)]
    pub legal_basis_for_processing: Option<String>,
    #[serde(default)]
    pub impact_assessment_location: Option<IgnoredAny>,
    #[serde(default)]
    pub retention_period: Option<String>,
    #[serde(default)]
    pub processes_special_category_data: Option<IgnoredAny>,
    #[serde(default)]
    pub special_category_legal_basis: Option<String>,
    #[serde(default)]
    pub data_shared_with_third_parties: Option<IgnoredAny>,
    #[serde(default)]
    pub third_parties: Option<IgnoredAny>,
    #[serde(default)]
    pub shared_categories: Option<IgnoredAny>,
    #[serde(default)]
    pub cookies: Option<IgnoredAny>,
    // fideslang 1.x.
    #[serde(default)]
    pub data_qualifier: Option<IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct System {
    pub fides_key: Sp<String>,
    #[serde(default)]
    pub organization_fides_key: Option<IgnoredAny>,
    #[serde(default)]
    pub tags: Option<IgnoredAny>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub meta: Option<IgnoredAny>,
    #[serde(default)]
    pub fidesctl_meta: Option<IgnoredAny>,
    /// Required, as in fideslang (its value is not used).
    pub system_type: IgnoredAny,
    #[serde(default)]
    pub egress: Option<Vec<Sp<DataFlow>>>,
    #[serde(default)]
    pub ingress: Option<Vec<Sp<DataFlow>>>,
    /// Required, as in fideslang (`[]` for none).
    pub privacy_declarations: Vec<Sp<PrivacyDeclaration>>,
    #[serde(default)]
    pub administrating_department: Option<String>,
    #[serde(default)]
    pub vendor_id: Option<IgnoredAny>,
    #[serde(default)]
    pub previous_vendor_id: Option<IgnoredAny>,
    #[serde(default)]
    pub vendor_deleted_date: Option<IgnoredAny>,
    #[serde(default)]
    pub dataset_references: Option<Vec<Sp<String>>>,
    #[serde(default)]
    pub processes_personal_data: Option<IgnoredAny>,
    #[serde(default)]
    pub exempt_from_privacy_regulations: Option<IgnoredAny>,
    #[serde(default)]
    pub reason_for_exemption: Option<IgnoredAny>,
    #[serde(default)]
    pub uses_profiling: Option<IgnoredAny>,
    #[serde(default)]
    pub legal_basis_for_profiling: Option<IgnoredAny>,
    #[serde(default)]
    pub does_international_transfers: Option<IgnoredAny>,
    #[serde(default)]
    pub legal_basis_for_transfers: Option<IgnoredAny>,
    #[serde(default)]
    pub requires_data_protection_assessments: Option<IgnoredAny>,
    #[serde(default)]
    pub dpa_location: Option<IgnoredAny>,
    #[serde(default)]
    pub dpa_progress: Option<IgnoredAny>,
    #[serde(default)]
    pub privacy_policy: Option<IgnoredAny>,
    #[serde(default)]
    pub legal_name: Option<IgnoredAny>,
    #[serde(default)]
    pub legal_address: Option<IgnoredAny>,
    #[serde(default)]
    pub responsibility: Option<IgnoredAny>,
    #[serde(default)]
    pub dpo: Option<IgnoredAny>,
    #[serde(default)]
    pub joint_controller_info: Option<IgnoredAny>,
    #[serde(default)]
    pub data_security_practices: Option<IgnoredAny>,
    #[serde(default)]
    pub cookie_max_age_seconds: Option<IgnoredAny>,
    #[serde(default)]
    pub uses_cookies: Option<IgnoredAny>,
    #[serde(default)]
    pub cookie_refresh: Option<IgnoredAny>,
    #[serde(default)]
    pub uses_non_cookie_access: Option<IgnoredAny>,
    #[serde(default)]
    pub legitimate_interest_disclosure_url: Option<IgnoredAny>,
    #[serde(default)]
    pub cookies: Option<IgnoredAny>,
    // fideslang 1.x.
    #[serde(default)]
    pub data_responsibility_title: Option<IgnoredAny>,
    #[serde(default)]
    pub joint_controller: Option<IgnoredAny>,
    #[serde(default)]
    pub third_country_transfers: Option<IgnoredAny>,
    #[serde(default)]
    pub data_protection_impact_assessment: Option<IgnoredAny>,
    #[serde(default)]
    pub registry_id: Option<IgnoredAny>,
    #[serde(default)]
    pub system_dependencies: Option<IgnoredAny>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    pub fides_key: Sp<String>,
    #[serde(default)]
    pub organization_fides_key: Option<IgnoredAny>,
    #[serde(default)]
    pub tags: Option<IgnoredAny>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
    #[serde(default)]
    pub rules: Vec<Sp<PolicyRule>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyRule {
    pub name: Sp<String>,
    #[serde(default)]
    pub description: Option<String>,
    pub data_categories: Sp<PrivacyRule>,
    pub data_uses: Sp<PrivacyRule>,
    pub data_subjects: Sp<PrivacyRule>,
    // fideslang 1.x.
    #[serde(default)]
    pub fides_key: Option<IgnoredAny>,
    #[serde(default)]
    pub data_qualifier: Option<IgnoredAny>,
    #[serde(default)]
    pub action: Option<IgnoredAny>,
}

/// `{ matches: ANY|ALL|NONE|OTHER, values: [...] }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivacyRule {
    pub matches: Sp<String>,
    #[serde(default)]
    pub values: Vec<Sp<String>>,
}
