//! Rules of the GDPR rule set.

pub mod art10_criminal_offence_data;
pub mod art12_dsr_deadline;
pub mod art13_14_notice_content;
pub mod art15_21_rights_coverage;
pub mod art21_direct_marketing_objection;
pub mod art22_automated_decision;
pub mod art26_joint_controller_arrangement;
pub mod art27_eu_representative;
pub mod art28_processor_contract;
pub mod art30_records_of_processing;
pub mod art35_dpia_required;
pub mod art37_dpo_required;
pub mod art3_territorial_scope;
pub mod art44_transfer_mechanism;
pub mod art45_us_dpf_certification;
pub mod art46_transfer_impact_assessment;
pub mod art49_derogation_scope;
pub mod art6_4_compatible_further_use;
pub mod art6_basis_documentation;
pub mod art6_lawful_basis;
pub mod art7_consent_conditions;
pub mod art8_child_consent_age;
pub mod art9_special_category_condition;
