//! Rules of the GDPR rule set.

pub mod art10_criminal_offence_data;
pub mod art26_joint_controller_arrangement;
pub mod art27_eu_representative;
pub mod art28_processor_contract;
pub mod art3_territorial_scope;
pub mod art44_transfer_mechanism;
pub mod art45_us_dpf_certification;
pub mod art46_transfer_impact_assessment;
pub mod art49_derogation_scope;
pub mod art6_4_compatible_further_use;
pub mod art6_lawful_basis;
pub mod art7_consent_conditions;
pub mod art9_special_category_condition;
