//! Rules of the PIPL rule set.

pub mod art13_lawful_basis;
pub mod art14_16_consent_conditions;
pub mod art17_notice_content;
pub mod art19_shortest_retention;
pub mod art20_joint_handler_agreement;
pub mod art21_entrusted_processing_agreement;
pub mod art23_provision_separate_consent;
pub mod art24_automated_decision;
pub mod art25_public_disclosure_separate_consent;
pub mod art28_29_sensitive_separate_consent;
pub mod art31_minor_guardian_consent;
pub mod art38_xborder_mechanism;
pub mod art39_xborder_separate_consent;
pub mod art3_territorial_scope;
pub mod art40_ciio_localisation;
pub mod art44_50_rights_coverage;
pub mod art52_pipo_required;
pub mod art53_prc_representative;
pub mod art54_compliance_audit;
pub mod art55_pipia_required;
pub mod cac2024_xborder_volume_threshold;
