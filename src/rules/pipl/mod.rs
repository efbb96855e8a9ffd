//! Rules of the PIPL rule set.

pub mod art13_lawful_basis;
pub mod art23_provision_separate_consent;
pub mod art28_29_sensitive_separate_consent;
pub mod art38_xborder_mechanism;
pub mod art39_xborder_separate_consent;
