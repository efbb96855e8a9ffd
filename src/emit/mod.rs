//! Artefact generation. Each artefact family is a module; [`generate`] runs them all and
//! returns the files (relative path → contents), deterministic for the same input.
//!
//! | file | module | when |
//! | --- | --- | --- |
//! | `notices/gdpr-art13.en.md` | [`notice`] | the GDPR applies |
//! | `sql/postgres/retention.sql` | [`retention`] | a PostgreSQL dataset declares a retention |
//! | `sql/postgres/grants.sql` | [`grants`] | the project declares roles and PostgreSQL datasets |
//!
//! Every file starts with a header naming the project files it was built from, without a
//! timestamp, so that the same input always gives the same bytes.

pub mod grants;
pub mod notice;
pub mod retention;

use std::collections::{BTreeMap, BTreeSet};

use crate::Project;
use crate::manifest::Span;
use crate::manifest::types::{Engine, RegimeName};
use crate::model::{DatasetR, Model};
use crate::report::Diagnostic;

/// Every generated file, by path relative to the output folder (forward slashes).
pub type Artefacts = BTreeMap<String, String>;

/// Generate every artefact of the project.
///
/// Errors: a generator that cannot produce correct output (an identifier SQL cannot hold,
/// a retention job without a subject key, a template error) returns a diagnostic and
/// nothing is written. Every generator runs, so all such problems are reported at once.
pub fn generate(project: &Project) -> Result<Artefacts, Vec<Diagnostic>> {
    let mut out = Artefacts::new();
    let mut errors = Vec::new();
    let mut put = |path: &str, r: Result<Option<String>, Vec<Diagnostic>>| match r {
        Ok(Some(text)) => {
            out.insert(path.to_string(), text);
        }
        Ok(None) => {}
        Err(d) => errors.extend(d),
    };
    if project.model.applies(RegimeName::Gdpr) {
        put(
            "notices/gdpr-art13.en.md",
            notice::gdpr_art13_en(project).map(Some),
        );
    }
    put("sql/postgres/retention.sql", retention::postgres(project));
    put("sql/postgres/grants.sql", grants::postgres(project));
    if errors.is_empty() {
        Ok(out)
    } else {
        errors.sort_by_key(|d| d.sort_key());
        Err(errors)
    }
}

/// The project files that hold the given spans, sorted and comma-separated:
/// `lawful.yaml, datasets/customers.yaml`. Built-in data (no file) is left out.
pub(crate) fn source_list(m: &Model, spans: impl IntoIterator<Item = Span>) -> String {
    let names: BTreeSet<&str> = spans
        .into_iter()
        .filter_map(|s| m.sources.get(s.file).map(|f| f.name.as_str()))
        .collect();
    if names.is_empty() {
        "the project".to_string()
    } else {
        names.into_iter().collect::<Vec<_>>().join(", ")
    }
}

/// Schema and table of a dataset stored in PostgreSQL (schema default `public`).
pub(crate) fn postgres_table(d: &DatasetR) -> Option<(&str, &str, Span)> {
    let s = d.decl.storage.as_ref()?;
    if s.engine != Engine::Postgres {
        return None;
    }
    Some((
        s.schema.as_deref().unwrap_or("public"),
        s.table.value.as_str(),
        s.table.span,
    ))
}

/// A diagnostic for a name that SQL cannot hold (empty, NUL, too long). Boxed, since it
/// travels in `Result`s.
pub(crate) fn sql_name_error(what: &str, err: String, span: Span) -> Box<Diagnostic> {
    Box::new(
        Diagnostic::error(
            "emit::sql-identifier",
            format!("cannot generate SQL for {what}: {err}"),
        )
        .at(span, "this name")
        .with_help("rename it, or give the real database name with `column:` or `storage.table`"),
    )
}

/// `last_update` → `last update`, `firstName` → `first name`: an identifier as words, for
/// people. Non-ASCII names are kept as they are.
pub(crate) fn words(id: &str) -> String {
    let mut out = String::new();
    let mut prev_lower = false;
    for c in id.chars() {
        if c == '_' || c == '-' || c == '.' {
            if !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
            prev_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.extend(c.to_lowercase());
    }
    out.trim().to_string()
}

/// `order_fulfilment` → `Order fulfilment`.
pub(crate) fn humanize(id: &str) -> String {
    let w = words(id);
    let mut cs = w.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => id.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_become_words() {
        assert_eq!(words("last_update"), "last update");
        assert_eq!(words("lastLoginAt"), "last login at");
        assert_eq!(humanize("order_fulfilment"), "Order fulfilment");
        assert_eq!(humanize("客户"), "客户");
    }
}
