//! Retention jobs for bigquery.

use crate::Project;
use crate::report::Diagnostic;

/// The retention files of one database (file name → contents).
pub fn generate(
    _p: &Project,
    _group: &[usize],
) -> Vec<(&'static str, Result<Option<String>, Vec<Diagnostic>>)> {
    Vec::new()
}
