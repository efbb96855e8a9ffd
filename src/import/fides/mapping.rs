//! The mapping table from fideslang's taxonomy to lawful's, kept as data in mapping.yaml
//! (Fideslang taxonomy by Ethyca, Inc., CC BY 4.0).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use serde::Deserialize;

/// The YAML source of the table.
pub const MAPPING_YAML: &str = include_str!("mapping.yaml");

/// A title in English and Chinese.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Title {
    pub en: String,
    #[serde(rename = "zh-CN")]
    pub zh: String,
}

/// What a privacy declaration with this data use becomes.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UseTemplate {
    pub title: Title,
    /// The use sends marketing to people (GDPR Art 21(2); PIPL Art 24(2)).
    #[serde(default)]
    pub direct_marketing: bool,
    /// The use evaluates people automatically (GDPR Art 4(4)).
    #[serde(default)]
    pub profiling: bool,
    /// The use relies on a new technology (GDPR Art 35(1)).
    #[serde(default)]
    pub innovative_tech: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubjectTemplate {
    pub title: Title,
    #[serde(default)]
    pub vulnerable: bool,
}

/// The table: fideslang key → lawful category, purpose template, subject template.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    pub categories: BTreeMap<String, String>,
    pub uses: BTreeMap<String, UseTemplate>,
    pub subjects: BTreeMap<String, SubjectTemplate>,
    /// fideslang data category → its fideslang name (English).
    pub names: BTreeMap<String, String>,
}

/// The compiled-in table. Panics only if mapping.yaml is malformed, which a unit test
/// rules out.
pub fn mapping() -> &'static Mapping {
    static M: OnceLock<Mapping> = OnceLock::new();
    M.get_or_init(|| {
        crate::manifest::yaml::parse_document(crate::manifest::FileId::NONE, MAPPING_YAML)
            .unwrap_or_else(|e| panic!("fides mapping.yaml is malformed: {}", e.message))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::taxonomy::Taxonomy;

    const CORPUS: &str = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../shared/corpus/fideslang/taxonomy"
    );

    fn keys(file: &str) -> Vec<String> {
        let text = std::fs::read_to_string(format!("{CORPUS}/{file}")).expect("corpus file");
        text.lines()
            .filter_map(|l| l.trim_start().strip_prefix("fides_key: "))
            .map(|k| k.trim().to_string())
            .collect()
    }

    #[test]
    fn the_table_covers_every_key_of_the_fideslang_taxonomy() {
        let m = mapping();
        let cats = keys("data_categories.yml");
        let uses = keys("data_uses.yml");
        let subjects = keys("data_subjects.yml");
        assert_eq!(cats.len(), 85);
        assert_eq!(uses.len(), 54);
        assert_eq!(subjects.len(), 15);
        let missing: Vec<&String> = cats
            .iter()
            .filter(|k| !m.categories.contains_key(*k))
            .collect();
        assert!(
            missing.is_empty(),
            "categories without a mapping: {missing:?}"
        );
        let missing: Vec<&String> = uses.iter().filter(|k| !m.uses.contains_key(*k)).collect();
        assert!(
            missing.is_empty(),
            "data uses without a mapping: {missing:?}"
        );
        let missing: Vec<&String> = subjects
            .iter()
            .filter(|k| !m.subjects.contains_key(*k))
            .collect();
        assert!(
            missing.is_empty(),
            "data subjects without a mapping: {missing:?}"
        );
        // Nothing beyond the taxonomy either: a stale key would be a fideslang key that no
        // longer exists. The exceptions are the uses fideslang 3.1 (PyPI) adds to the data
        // files of the corpus commit, which Fides' own benchmark generator draws.
        const NEWER_USES: &[&str] = &[
            "functional.storage.privacy_preferences",
            "personalize.profiling",
        ];
        assert_eq!(m.categories.len(), cats.len());
        assert_eq!(m.uses.len(), uses.len() + NEWER_USES.len());
        assert!(
            NEWER_USES
                .iter()
                .all(|u| m.uses.contains_key(*u) && !uses.contains(&u.to_string()))
        );
        assert_eq!(m.subjects.len(), subjects.len());
        assert!(cats.iter().all(|k| m.names.contains_key(k)));
        assert_eq!(m.names.len(), cats.len());
    }

    #[test]
    fn every_target_is_a_lawful_category_and_titles_are_bilingual() {
        let t = Taxonomy::builtin();
        for (k, v) in &mapping().categories {
            assert!(
                v == "personal" || t.get(v).is_some(),
                "{k} → {v} is not a lawful category"
            );
        }
        for (k, u) in &mapping().uses {
            assert!(!u.title.en.is_empty() && !u.title.zh.is_empty(), "{k}");
        }
        for (k, s) in &mapping().subjects {
            assert!(!s.title.en.is_empty() && !s.title.zh.is_empty(), "{k}");
        }
        assert!(mapping().subjects["employee"].vulnerable);
        assert!(mapping().uses["marketing.advertising"].direct_marketing);
    }

    #[test]
    fn the_table_credits_the_fideslang_taxonomy() {
        assert!(MAPPING_YAML.contains("Fideslang taxonomy by Ethyca, Inc., CC BY 4.0"));
        assert!(MAPPING_YAML.contains("40394c46599745a6b8f14d069889fddfa2651409"));
    }
}
