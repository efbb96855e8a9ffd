//! The manifest language and its loading: files → [`Document`]s with spans.

pub mod entries;
pub mod loader;
pub mod obligations;
pub mod scalars;
pub mod source;
pub mod types;
pub mod yaml;

pub use entries::Entries;
pub use scalars::{Country, Date, Deadline, Duration, Localized, Period, Place};
pub use source::{FileId, SourceMap};
pub use types::*;
pub use yaml::{Sp, Span};

/// The marker of a review note in a project's YAML comments (`# TODO(lawful): …`), written
/// by importers where a fact is missing; `lawful check` reports each one (CORE-TODO).
pub const TODO_MARKER: &str = "TODO(lawful)";
