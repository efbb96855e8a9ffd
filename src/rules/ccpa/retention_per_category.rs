//! CCPA-1798.100A3-RETENTION-PER-CATEGORY: each category of California consumers' personal
//! information a dataset holds has a retention period the notice at collection can state.

use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::checklist::ccpa::letters;
use crate::rules::facts::{ccpa_dataset, list_ids};
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CCPA-1798.100A3-RETENTION-PER-CATEGORY",
    set: RuleSet::Regime(RegimeName::Ccpa),
    article: "Cal. Civ. Code 1798.100(a)(3); 11 CCR 7012(e)(4)",
    url: "https://leginfo.legislature.ca.gov/faces/codes_displaySection.xhtml?lawCode=CIV&sectionNum=1798.100",
    default_severity: Severity::Error,
    summary: "A dataset holding California consumers' personal information has no retention period for its CCPA categories",
    explanation: "At or before collection, a business must tell consumers, for each category of personal information it collects (including each category of sensitive personal information), how long it intends to keep it, or the criteria used to decide that, and it may not keep any category longer than reasonably necessary for the disclosed purpose (Cal. Civ. Code 1798.100(a)(3); 11 CCR 7012(e)(4)). The categories are those of 1798.140(v)(1)(A)–(K), plus (L), sensitive personal information (1798.140(v)(1)(L), (ae)).\n\nA dataset holds California consumers' data when it is stored in California or lists subjects who live there. lawful reports such a dataset when one of its fields holds a CCPA category (as the taxonomy's `ccpa_category` or `ccpa_spi` flags say) and the dataset declares no `retention`, since then no period can be stated for those categories; the finding names the categories by letter.\n\nNot yet checked here: a retention of `indefinite` without a statutory reason (CORE-RETENTION-DECLARED reports it) and a period longer than the purposes need (CORE-RETENTION-WITHIN-PURPOSE). The language states retention per dataset, not per category; a category kept in several datasets with different periods is not yet summarised per category.",
    fix: "Declare the dataset's retention, so the notice at collection can state a period for each category it holds.\n\n```yaml\ndatasets:\n  customers:\n    retention: { period: P3Y, after: last_order_at, then: delete }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    for (di, d) in m.datasets.iter().enumerate() {
        if d.decl.retention.is_some() || !ccpa_dataset(m, di) {
            continue;
        }
        let mut found: Vec<&str> = Vec::new();
        let mut first = None;
        for f in &d.fields {
            for c in &f.categories {
                let cat = t.cat(c.cat);
                if !cat.personal {
                    continue;
                }
                for l in letters(cat) {
                    found.push(l);
                    first.get_or_insert(f.name.span);
                }
            }
        }
        let Some(first) = first else { continue };
        found.sort_unstable();
        found.dedup();
        let shown: Vec<String> = found.iter().map(|l| format!("({l})")).collect();
        let diag = out
            .at(
                d.id.span,
                "no retention period",
                format!(
                    "dataset `{}` holds California consumers' personal information of CCPA categor{} {} but declares no retention, so the notice at collection cannot say how long each is kept",
                    d.id.value,
                    if found.len() == 1 { "y" } else { "ies" },
                    list_ids(shown.iter().map(String::as_str), 12).replace('`', "")
                ),
            )
            .with_secondary(first, "a CCPA category")
            .with_target(format!("datasets.{}", d.id.value));
        out.push(diag);
    }
}
