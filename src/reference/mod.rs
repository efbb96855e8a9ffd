//! Reference data compiled into the binary, kept as data files beside this module.

pub mod countries;
pub mod rights;
