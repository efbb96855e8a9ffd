//! `lawful taxonomy`: the built-in data categories with their regime flags and labels.

use crate::cli::EXIT_OK;
use crate::taxonomy::Taxonomy;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print the taxonomy as JSON.
    #[arg(long)]
    json: bool,
}

pub fn run(a: Args) -> i32 {
    let t = Taxonomy::builtin();
    if a.json {
        crate::cli::out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&t.categories).expect("json")
        ));
        return EXIT_OK;
    }
    let w = t.categories.iter().map(|c| c.id.len()).max().unwrap_or(0);
    crate::cli::out(&format!(
        "{:<w$}  {:<28}  {:<18}  {:<4}  {:<26}  label\n",
        "id", "GDPR", "PIPL", "CCPA", "CCPA SPI"
    ));
    for c in &t.categories {
        let gdpr = match (c.gdpr_art9, c.gdpr_art10) {
            (_, Some(true)) => "art10".to_string(),
            (Some(f), _) => flag(&f),
            _ => "?".into(),
        };
        crate::cli::out(&format!(
            "{:<w$}  {:<28}  {:<18}  {:<4}  {:<26}  {} / {}\n",
            c.id,
            gdpr,
            c.pipl_sensitive.map(|f| flag(&f)).unwrap_or("?".into()),
            c.ccpa_category.map(|f| flag(&f)).unwrap_or("?".into()),
            c.ccpa_spi.map(|f| flag(&f)).unwrap_or("?".into()),
            c.label.en.as_deref().unwrap_or(""),
            c.label.zh_cn.as_deref().unwrap_or(""),
        ));
    }
    EXIT_OK
}

fn flag<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
