//! Rules of the CCPA rule set.

pub mod business_applicability;
pub mod limit_spi;
pub mod purpose_proportionality;
pub mod recipient_contract;
pub mod retention_per_category;
pub mod sale_share_classification;
pub mod under16_opt_in;
