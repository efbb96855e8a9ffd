//! Artefact generation. Each artefact family is a module; [`generate`] runs them all and
//! returns the files (relative path → contents), deterministic for the same input.

use std::collections::BTreeMap;

use crate::Project;
use crate::report::Diagnostic;

/// Every generated file, by path relative to the output folder (forward slashes).
pub type Artefacts = BTreeMap<String, String>;

/// Generate every artefact of the project.
///
/// Errors: a generator that cannot produce correct output (an identifier SQL cannot hold,
/// a template error) returns a diagnostic and nothing is written.
pub fn generate(project: &Project) -> Result<Artefacts, Vec<Diagnostic>> {
    let _ = project;
    Ok(Artefacts::new())
}
