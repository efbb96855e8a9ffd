//! Rules of the CORE rule set.

pub mod field_classification;
pub mod minimisation_unused_category;
pub mod purpose_categories_declared;
pub mod recipient_classification;
pub mod retention_declared;
pub mod retention_within_purpose;
pub mod security_baseline;
pub mod todo;
