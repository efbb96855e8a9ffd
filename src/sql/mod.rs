//! SQL dialects. This layer alone knows identifier quoting and literal escaping; every
//! generator builds SQL through it.

pub mod postgres;
