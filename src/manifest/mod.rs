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
