//! CORE-FIELD-CLASSIFICATION: every field of a personal-data dataset has a category, every
//! such dataset names its data subjects, and every category a project adds to the taxonomy
//! states its flag for each regime in scope.

use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CORE-FIELD-CLASSIFICATION",
    set: RuleSet::Core,
    article: "GDPR Art 4(1), 9(1), 10, 30(1)(c); PIPL Art 4, 28; CCPA 1798.140(v), (ae)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_4",
    default_severity: Severity::Error,
    summary: "A field has no data category, a personal-data dataset names no data subjects, or a project category lacks a regime flag",
    explanation: "Every other check rests on knowing what each field holds. The GDPR (Art 4(1)) and the PIPL (Art 4) protect any information about an identified or identifiable person, and each regime singles out some kinds for stricter treatment: special categories and criminal data under GDPR Art 9 and 10, sensitive personal information under PIPL Art 28, and the CCPA's categories of personal information and sensitive personal information in Cal. Civ. Code 1798.140(v) and (ae). A field without a category is invisible to all of them, and the record of processing must list the categories of data and of data subjects (GDPR Art 30(1)(c)).\n\nlawful reports a field with no category (after it inherits the dataset's `categories`) in a dataset that holds personal data, names subjects, or has no classified field at all; a dataset that holds personal data but names no `subjects`; and a category the project adds to the taxonomy that leaves `gdpr_art9` or `gdpr_art10`, `pipl_sensitive`, or `ccpa_category` or `ccpa_spi` unstated while that regime is in scope. State `none` explicitly when a flag does not apply.\n\nTruly anonymised data is outside these laws (GDPR Recital 26; PIPL Art 4 and 73(4)); classify such fields as `non_personal.anonymised`. Pseudonymised or de-identified data is still personal (GDPR Art 4(5); PIPL Art 73(3)).",
    fix: "Give each field a category from the taxonomy (`lawful taxonomy`), name the dataset's `subjects`, and state every regime flag of a project category, `none` where it does not apply.\n\n```yaml\ncategories:\n  identifier.loyalty_number:\n    label: { en: Loyalty card number, zh-CN: 会员卡号 }\n    gdpr_art9: none\n    gdpr_art10: false\n    pipl_sensitive: none\n    ccpa_category: A\n    ccpa_spi: none\ndatasets:\n  customers:\n    subjects: [customer]\n    fields:\n      email: { categories: [contact.email] }\n      loyalty_no: { categories: [identifier.loyalty_number] }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    for d in &m.datasets {
        let personal = d.is_personal(t);
        let classified_any = d.fields.iter().any(|f| !f.categories.is_empty());
        let target = format!("datasets.{}", d.id.value);
        if personal || !d.subjects.is_empty() || !classified_any {
            for f in d.fields.iter().filter(|f| f.categories.is_empty()) {
                let diag = out
                    .at(
                        f.name.span,
                        "no data category",
                        format!(
                            "field `{}` of dataset `{}` has no data category",
                            f.name.value, d.id.value
                        ),
                    )
                    .with_secondary(
                        if d.decl.categories.is_empty() {
                            d.id.span
                        } else {
                            crate::manifest::Span::NONE
                        },
                        "the dataset declares no default `categories` either",
                    )
                    .with_target(target.clone());
                out.push(diag);
            }
        }
        if personal && d.subjects.is_empty() {
            let first = d.fields.iter().find(|f| f.is_personal(t));
            let mut diag = out
                .at(
                    d.id.span,
                    "no `subjects`",
                    format!(
                        "dataset `{}` holds personal data but names no kind of data subject",
                        d.id.value
                    ),
                )
                .with_help("name whose data it is with `subjects: [<subject id>]`, declared under `subjects:`")
                .with_target(target);
            if let Some(f) = first {
                diag = diag.with_secondary(f.name.span, "personal data here");
            }
            out.push(diag);
        }
    }

    let in_scope = |r: RegimeName| m.applies(r);
    for c in t
        .categories
        .iter()
        .filter(|c| !c.span.is_none() && c.personal)
    {
        let mut missing = Vec::new();
        if in_scope(RegimeName::Gdpr) {
            if c.gdpr_art9.is_none() {
                missing.push("gdpr_art9");
            }
            if c.gdpr_art10.is_none() {
                missing.push("gdpr_art10");
            }
        }
        if in_scope(RegimeName::Pipl) && c.pipl_sensitive.is_none() {
            missing.push("pipl_sensitive");
        }
        if in_scope(RegimeName::Ccpa) {
            if c.ccpa_category.is_none() {
                missing.push("ccpa_category");
            }
            if c.ccpa_spi.is_none() {
                missing.push("ccpa_spi");
            }
        }
        if missing.is_empty() {
            continue;
        }
        let d = out
            .at(
                c.span,
                format!("missing {}", missing.join(", ")),
                format!(
                    "category `{}` does not state {} for the regimes in scope",
                    c.id,
                    crate::rules::facts::list_ids(missing.iter().copied(), 5)
                ),
            )
            .with_help(format!(
                "state each flag, `none` (or `false` for `gdpr_art10`) where it does not apply: {}",
                missing
                    .iter()
                    .map(|k| format!("`{k}:`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
            .with_target(format!("categories.{}", c.id));
        out.push(d);
    }
}
