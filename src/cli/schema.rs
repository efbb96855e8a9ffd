//! `lawful schema`: the JSON Schema of the manifest language.

use crate::cli::EXIT_OK;

/// The JSON Schema of one manifest file, as committed in schema/lawful.schema.json.
pub fn schema_json() -> String {
    let schema = schemars::schema_for!(crate::manifest::types::Document);
    let mut s = serde_json::to_string_pretty(&schema).expect("schema serializes");
    s.push('\n');
    s
}

pub fn run() -> i32 {
    crate::cli::out(&schema_json());
    EXIT_OK
}
