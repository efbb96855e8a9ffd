//! Retention jobs for snowflake.

use crate::Project;

/// The retention files of one database (file name → contents).
pub fn generate(_p: &Project, _group: &[usize]) -> crate::emit::Files {
    Vec::new()
}
