//! `lawful rules` and `lawful explain RULE`.

use crate::cli::{EXIT_OK, EXIT_UNREADABLE};
use crate::rules::docs::page;
use crate::rules::{all, find};

#[derive(clap::Args, Debug)]
pub struct ListArgs {
    /// Print as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args, Debug)]
pub struct ExplainArgs {
    /// The rule id, e.g. GDPR-ART6-LAWFUL-BASIS.
    rule: String,
}

pub fn list(a: ListArgs) -> i32 {
    if a.json {
        let v: Vec<_> = all()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id, "set": r.set.title(), "article": r.article, "url": r.url,
                    "severity": r.default_severity.as_str(), "summary": r.summary,
                })
            })
            .collect();
        crate::cli::out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&v).expect("json")
        ));
        return EXIT_OK;
    }
    let width = all().iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in all() {
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
