//! Rules of the CCPA rule set.

pub mod admt_significant_decision_7200;
pub mod business_applicability;
pub mod financial_incentive;
pub mod limit_spi;
pub mod notice_at_collection;
pub mod opt_out_links;
pub mod opt_out_preference_signal;
pub mod opt_out_sale_share;
pub mod privacy_policy_7011;
pub mod purpose_proportionality;
pub mod recipient_contract;
pub mod request_records_7101;
pub mod response_deadlines;
pub mod retention_per_category;
pub mod rights_coverage;
pub mod risk_assessment_7150;
pub mod sale_share_classification;
pub mod under16_opt_in;
