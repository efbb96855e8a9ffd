//! Rules of the GDPR rule set.

pub mod art28_processor_contract;
pub mod art44_transfer_mechanism;
pub mod art6_lawful_basis;
pub mod art9_special_category_condition;
