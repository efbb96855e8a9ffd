//! Helpers shared by integration tests. Each test file that needs them says `mod support;`;
//! a file that uses only part of them would warn about the rest, hence the `allow`.
#![allow(dead_code)]

pub mod mariadb;
pub mod pg;
