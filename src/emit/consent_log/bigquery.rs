//! The consent log for bigquery.

use crate::Project;
use crate::report::Diagnostic;

/// The consent-log DDL and grants for the logs `logs` (indices into
/// `Model::consent_logs`), all in one database.
pub fn generate(_p: &Project, _logs: &[usize]) -> Result<Option<String>, Vec<Diagnostic>> {
    Ok(None)
}
