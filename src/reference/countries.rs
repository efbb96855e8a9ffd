//! ISO 3166-1 countries with English and Chinese names and EEA membership, read from
//! `countries.tsv` (source and review date in its header).

use std::collections::HashMap;
use std::sync::OnceLock;

/// One country of ISO 3166-1.
#[derive(Debug)]
pub struct CountryInfo {
    pub alpha2: &'static str,
    pub alpha3: &'static str,
    /// Member of the European Economic Area (EU 27, Iceland, Liechtenstein, Norway).
    pub eea: bool,
    pub name_en: &'static str,
    pub name_zh: &'static str,
}

const DATA: &str = include_str!("countries.tsv");

fn table() -> &'static HashMap<&'static str, CountryInfo> {
    static T: OnceLock<HashMap<&'static str, CountryInfo>> = OnceLock::new();
    T.get_or_init(|| {
        DATA.lines()
            .filter(|l| !l.starts_with('#') && !l.starts_with("alpha2") && !l.is_empty())
            .map(|l| {
                let f: Vec<&'static str> = l.split('\t').collect();
                let info = CountryInfo {
                    alpha2: f[0],
                    alpha3: f[1],
                    eea: f[2] == "yes",
                    name_en: f[3],
                    name_zh: f[4],
                };
                (f[0], info)
            })
            .collect()
    })
}

/// The country with this alpha-2 code.
pub fn lookup(alpha2: &str) -> Option<&'static CountryInfo> {
    table().get(alpha2)
}

/// English short name of an alpha-2 code or subdivision (`US-CA` gives "United States");
/// the code itself when unknown.
pub fn name_en(code: &str) -> &str {
    lookup(code.get(..2).unwrap_or(code))
        .map(|c| c.name_en)
        .unwrap_or(code)
}

/// Chinese short name, as [`name_en`].
pub fn name_zh(code: &str) -> &str {
    lookup(code.get(..2).unwrap_or(code))
        .map(|c| c.name_zh)
        .unwrap_or(code)
}

/// The alpha-2 code people often mean when they write a wrong one: `UK` → `GB`,
/// `EL` → `GR` (the EU's code for Greece), any alpha-3 code (`GER` → `DE`, `DEU` → `DE`).
pub fn alias(code: &str) -> Option<&'static str> {
    let fixed = match code {
        "UK" => Some("GB"),
        "EL" => Some("GR"),
        "GER" => Some("DE"),
        "ENG" | "SCO" | "WAL" => Some("GB"),
        "SUI" => Some("CH"),
        "NED" | "HOL" => Some("NL"),
        "POR" => Some("PT"),
        "DEN" => Some("DK"),
        "CRO" => Some("HR"),
        "PRC" => Some("CN"),
        "USA" => Some("US"),
        _ => None,
    };
    if fixed.is_some() {
        return fixed.and_then(|a| lookup(a).map(|c| c.alpha2));
    }
    table()
        .values()
        .find(|c| c.alpha3 == code)
        .map(|c| c.alpha2)
}
