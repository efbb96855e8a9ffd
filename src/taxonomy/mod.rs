//! The data-category taxonomy: the built-in categories (`builtin.yaml`, compiled into the
//! binary) plus a project's extensions, with ancestry precomputed once.
//!
//! Every built-in category carries explicit GDPR Art 9 / Art 10, PIPL Art 28 and CCPA
//! 1798.140(v) / (ae) values and labels in English and Simplified Chinese.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::manifest::scalars::Localized;
use crate::manifest::types::{CcpaCategory, CcpaSpi, GdprArt9, PiplSensitive};
use crate::manifest::yaml::Span;

/// Index of a category in the [`Taxonomy`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct CatId(pub u32);

/// A category with its regime flags. A flag is `None` only for a user extension that did
/// not declare it (CORE-FIELD-CLASSIFICATION reports that).
#[derive(Clone, Debug, Serialize)]
pub struct Category {
    pub id: String,
    pub parent: Option<CatId>,
    pub label: Localized,
    pub dpv: Option<String>,
    pub personal: bool,
    pub gdpr_art9: Option<GdprArt9>,
    pub gdpr_art10: Option<bool>,
    pub pipl_sensitive: Option<PiplSensitive>,
    pub ccpa_category: Option<CcpaCategory>,
    pub ccpa_spi: Option<CcpaSpi>,
    /// Where a user extension was declared; `Span::NONE` for built-ins.
    #[serde(skip)]
    pub span: Span,
    /// Ancestors, nearest first.
    #[serde(skip)]
    pub ancestors: Vec<CatId>,
}

impl Category {
    pub fn is_gdpr_special(&self) -> bool {
        self.gdpr_art9.is_some_and(|f| f != GdprArt9::None)
    }
    pub fn is_gdpr_criminal(&self) -> bool {
        self.gdpr_art10 == Some(true)
    }
    pub fn is_pipl_sensitive(&self) -> bool {
        self.pipl_sensitive
            .is_some_and(|f| f != PiplSensitive::None)
    }
    pub fn is_ccpa_spi(&self) -> bool {
        self.ccpa_spi.is_some_and(|f| f != CcpaSpi::None)
    }
    /// English label, falling back to the id.
    pub fn label_en(&self) -> &str {
        self.label.en.as_deref().unwrap_or(&self.id)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct BuiltinFile {
    #[allow(dead_code)]
    version: u32,
    categories: Vec<BuiltinEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BuiltinEntry {
    id: String,
    #[serde(default)]
    dpv: Option<String>,
    label: Localized,
    personal: bool,
    gdpr_art9: GdprArt9,
    gdpr_art10: bool,
    pipl_sensitive: PiplSensitive,
    ccpa_category: CcpaCategory,
    ccpa_spi: CcpaSpi,
}

/// The YAML source of the built-in taxonomy.
pub const BUILTIN_YAML: &str = include_str!("builtin.yaml");

/// All categories known to a project.
#[derive(Clone, Debug)]
pub struct Taxonomy {
    pub categories: Vec<Category>,
    /// Only looked up, never listed: a fast hash.
    index: HashMap<String, CatId, foldhash::fast::RandomState>,
}

impl Taxonomy {
    /// The built-in taxonomy alone.
    ///
    /// Panics only if the compiled-in data file is malformed, which a unit test rules out.
    pub fn builtin() -> Taxonomy {
        static BUILTIN: std::sync::OnceLock<Taxonomy> = std::sync::OnceLock::new();
        BUILTIN.get_or_init(Taxonomy::parse_builtin).clone()
    }

    fn parse_builtin() -> Taxonomy {
        let file: BuiltinFile = crate::manifest::yaml::parse_document(
            crate::manifest::source::FileId::NONE,
            BUILTIN_YAML,
        )
        .unwrap_or_else(|e| panic!("built-in taxonomy is malformed: {}", e.message));
        let mut t = Taxonomy {
            categories: Vec::new(),
            index: HashMap::default(),
        };
        for e in file.categories {
            let parent = e.id.rsplit_once('.').map(|(p, _)| {
                t.get(p)
                    .unwrap_or_else(|| panic!("built-in category {} has no parent", e.id))
            });
            t.push(Category {
                id: e.id,
                parent,
                label: e.label,
                dpv: e.dpv,
                personal: e.personal,
                gdpr_art9: Some(e.gdpr_art9),
                gdpr_art10: Some(e.gdpr_art10),
                pipl_sensitive: Some(e.pipl_sensitive),
                ccpa_category: Some(e.ccpa_category),
                ccpa_spi: Some(e.ccpa_spi),
                span: Span::NONE,
                ancestors: Vec::new(),
            });
        }
        t
    }

    /// Add a category; its parent must already be present. Computes its ancestry.
    pub fn push(&mut self, mut c: Category) -> CatId {
        let id = CatId(self.categories.len() as u32);
        if let Some(p) = c.parent {
            let mut anc = vec![p];
            anc.extend(self.categories[p.0 as usize].ancestors.iter().copied());
            c.ancestors = anc;
        }
        self.index.insert(c.id.clone(), id);
        self.categories.push(c);
        id
    }

    pub fn get(&self, id: &str) -> Option<CatId> {
        self.index.get(id).copied()
    }

    pub fn cat(&self, id: CatId) -> &Category {
        &self.categories[id.0 as usize]
    }

    pub fn len(&self) -> usize {
        self.categories.len()
    }

    pub fn is_empty(&self) -> bool {
        self.categories.is_empty()
    }

    /// Whether `a` is `b` or one of its descendants (`contact.email` is within `contact`).
    pub fn is_within(&self, a: CatId, b: CatId) -> bool {
        a == b || self.cat(a).ancestors.contains(&b)
    }

    /// The closest existing id to a misspelt one, for "did you mean".
    pub fn suggest(&self, id: &str) -> Option<&str> {
        crate::suggest::closest(id, self.categories.iter().map(|c| c.id.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_taxonomy_loads_with_explicit_flags_and_both_languages() {
        let t = Taxonomy::builtin();
        assert!(t.len() >= 60, "only {} categories", t.len());
        for c in &t.categories {
            assert!(c.label.en.is_some(), "{} has no English label", c.id);
            assert!(c.label.zh_cn.is_some(), "{} has no Chinese label", c.id);
        }
        let phone = t.get("contact.phone").unwrap();
        assert!(t.is_within(phone, t.get("contact").unwrap()));
        assert!(t.cat(t.get("health").unwrap()).is_gdpr_special());
        assert!(t.cat(t.get("location.precise").unwrap()).is_ccpa_spi());
        assert!(t.cat(t.get("biometric.face").unwrap()).is_pipl_sensitive());
    }
}
