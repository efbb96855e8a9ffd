//! Rules of the CCPA rule set.

pub mod limit_spi;
pub mod sale_share_classification;
