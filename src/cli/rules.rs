//! `lawful rules` and `lawful explain RULE`.

use crate::cli::{EXIT_OK, EXIT_UNREADABLE};
use crate::rules::docs::page;
use crate::rules::{all, find};

/// Output format of `lawful rules`.
#[derive(clap::ValueEnum, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListFormat {
    /// One line per rule: id, default severity, summary.
    #[default]
    Text,
    /// A JSON array of every rule's declaration.
    Json,
}

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
    /// Same as `--format json`.
    #[arg(long, hide = true)]
    json: bool,
    /// Only rules whose id starts with one of these prefixes (`PIPL-`, `GDPR-ART4`).
    #[arg(long, value_delimiter = ',')]
    select: Vec<String>,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The rule id, e.g. GDPR-ART6-LAWFUL-BASIS.
    rule: String,
}

pub fn list(a: ListArgs) -> i32 {
    let selected: Vec<&crate::rules::Rule> = crate::rules::every()
        .filter(|r| {
            a.select.is_empty()
                || a.select
                    .iter()
                    .any(|p| r.id.starts_with(p.to_ascii_uppercase().as_str()))
        })
        .collect();
    if a.json || a.format == ListFormat::Json {
        let v: Vec<_> = selected
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "set": r.set.title(), "article": r.article, "url": r.url,
                    "severity": r.default_severity.as_str(), "summary": r.summary,
                    "explanation": r.explanation, "fix": r.fix,
                })
            })
            .collect();
        crate::cli::out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&v).expect("json")
        ));
        return EXIT_OK;
    }
    let width = selected.iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in selected {
        crate::cli::out(&format!(
            "{:<width$}  {:<7}  {}\n",
            r.id,
            r.default_severity.as_str(),
            r.summary
        ));
    }
    EXIT_OK
}

pub fn explain(a: ExplainArgs) -> i32 {
    match find(&a.rule) {
        Some(r) => {
            crate::cli::out(&page(r));
            EXIT_OK
        }
        None => {
            let upper = a.rule.to_ascii_uppercase();
            let prefixed: Vec<&str> = all()
                .iter()
                .map(|r| r.id)
                .filter(|id| id.starts_with(&upper))
                .collect();
            let hint = if !prefixed.is_empty() {
                format!("; rules starting with it: {}", prefixed.join(", "))
            } else {
                crate::suggest::closest(&a.rule, all().iter().map(|r| r.id))
                    .map(|s| format!("; did you mean {s}?"))
                    .unwrap_or_default()
            };
            eprintln!(
                "lawful: no rule `{}`{hint} (`lawful rules` lists them)",
                a.rule
            );
            EXIT_UNREADABLE
        }
    }
}
