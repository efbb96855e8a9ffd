//! Rules of the CORE rule set.

pub mod field_classification;
pub mod purpose_categories_declared;
pub mod retention_declared;
pub mod retention_within_purpose;
