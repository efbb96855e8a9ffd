//! `lawful taxonomy`: the built-in data categories with their regime flags and labels.

use crate::cli::EXIT_OK;
use crate::cli::rules::ListFormat;
use crate::taxonomy::Taxonomy;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format: a table, or a JSON array of every category (as `lawful rules`).
    #[arg(long, value_enum, default_value_t = ListFormat::Text)]
    format: ListFormat,
    /// Same as `--format json`.
    #[arg(long, hide = true)]
    json: bool,
}

pub fn run(a: Args) -> i32 {
    let t = Taxonomy::builtin();
    if a.json || a.format == ListFormat::Json {
        crate::cli::out(&format!(
            "{}\n",
            serde_json::to_string_pretty(&t.categories).expect("json")
        ));
        return EXIT_OK;
    }
    let rows: Vec<[String; 7]> = t
        .categories
        .iter()
        .map(|c| {
            let gdpr = match (c.gdpr_art9, c.gdpr_art10) {
                (_, Some(true)) => "art10".to_string(),
                (Some(f), _) => flag(&f),
                _ => "?".into(),
            };
            [
                c.id.clone(),
                if c.personal { "yes" } else { "no" }.to_string(),
                gdpr,
                c.pipl_sensitive.map(|f| flag(&f)).unwrap_or("?".into()),
                c.ccpa_category.map(|f| flag(&f)).unwrap_or("?".into()),
                c.ccpa_spi.map(|f| flag(&f)).unwrap_or("?".into()),
                format!(
                    "{} / {}",
                    c.label.en.as_deref().unwrap_or(""),
                    c.label.zh_cn.as_deref().unwrap_or("")
                ),
            ]
        })
        .collect();
    let header = [
        "id",
        "personal",
        "GDPR Art 9/10",
        "PIPL Art 28",
        "CCPA (v)",
        "CCPA SPI",
        "label",
    ]
    .map(str::to_string);
    let mut widths = [0usize; 7];
    for r in rows.iter().chain(std::iter::once(&header)) {
        for (w, cell) in widths.iter_mut().zip(r) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for r in std::iter::once(&header).chain(rows.iter()) {
        let mut line = String::new();
        for (i, cell) in r.iter().enumerate() {
            if i == 6 {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<w$}  ", w = widths[i]));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    crate::cli::out(&text);
    EXIT_OK
}

fn flag<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}
