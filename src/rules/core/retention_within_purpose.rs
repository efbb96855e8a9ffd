//! CORE-RETENTION-WITHIN-PURPOSE: a dataset (or a field in it) is kept no longer than the
//! purposes that use it need, unless one of them cites a statute.

use std::collections::HashMap;

use crate::manifest::scalars::{Duration, Period};
use crate::manifest::yaml::Sp;
use crate::report::Severity;
use crate::rules::facts::{dataset_purposes, personal_categories};
use crate::rules::{Context, Findings, Rule, RuleSet};
use crate::taxonomy::CatId;

pub static RULE: Rule = Rule {
    id: "CORE-RETENTION-WITHIN-PURPOSE",
    set: RuleSet::Core,
    article: "GDPR Art 5(1)(e); PIPL Art 19, 47(1)(1)–(2); CCPA 1798.100(a)(3)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_5",
    default_severity: Severity::Warning,
    summary: "A dataset or field is kept longer than the longest retention of the purposes that use it",
    explanation: "Data kept after every purpose for it has ended breaks storage limitation: the GDPR allows keeping identifiable data no longer than necessary for its purposes (Art 5(1)(e)); the PIPL requires the shortest period necessary and deletion once the purpose is achieved or the period has expired (Art 19, 47(1)(1)–(2)); the CCPA forbids keeping each category longer than reasonably necessary for the disclosed purpose (1798.100(a)(3)).\n\nlawful compares a dataset's retention period with the `retention` of the purposes that use it: a purpose uses a dataset when a flow from or to the dataset names it, when a role listing the dataset serves it, or when it declares a category one of the dataset's fields holds. When the dataset's period is longer than the longest of theirs and none of them cites a law that requires keeping the data longer (`retention_legal_ref`), lawful reports the dataset. When the dataset as a whole is within bounds, it reports a field whose categories only shorter-lived purposes use: that field could be cleared earlier. Periods are compared by average length (a year is 365.2425 days).\n\nThis is a warning because a purpose may need its data beyond its stated period for reasons lawful cannot see. When any purpose using the dataset states no `retention`, the comparison is skipped. Under the PIPL the stricter PIPL-ART19-SHORTEST-RETENTION applies too.",
    fix: "Shorten the dataset's period, split the dataset, clear the field earlier, or cite the statute on the purpose with `retention_legal_ref`.\n\n```yaml\npurposes:\n  invoicing:\n    retention: P10Y\n    retention_legal_ref: \"§147 AO, §257 HGB (10 years for accounting records)\"\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    let uses = dataset_purposes(m);
    let retention = |p: usize| -> Option<&Sp<Duration>> { m.purposes[p].decl.retention.as_ref() };
    for (di, d) in m.datasets.iter().enumerate() {
        let Some(r) = &d.decl.retention else {
            continue;
        };
        let Period::Duration(period) = &r.period.value else {
            continue;
        };
        let purposes = &uses[di];
        if purposes.is_empty()
            || !d.is_personal(t)
            || purposes.iter().any(|&p| retention(p).is_none())
            || purposes
                .iter()
                .any(|&p| m.purposes[p].decl.retention_legal_ref.is_some())
        {
            continue;
        }
        let target = format!("datasets.{}", d.id.value);
        let longest = |ps: &mut dyn Iterator<Item = usize>| {
            ps.max_by(|&a, &b| {
                let (a, b) = (retention(a).unwrap(), retention(b).unwrap());
                a.value
                    .approx_seconds()
                    .total_cmp(&b.value.approx_seconds())
            })
        };
        let Some(top) = longest(&mut purposes.iter().copied()) else {
            continue;
        };
        let top_ret = retention(top).expect("checked above");
        if period.approx_seconds() > top_ret.value.approx_seconds() {
            let mut diag = out
                .at(
                    r.period.span,
                    format!("kept for {period}"),
                    format!(
                        "dataset `{}` keeps data for {period}, longer than any purpose using it needs (the longest is `{}`, {})",
                        d.id.value, m.purposes[top].id.value, top_ret.value
                    ),
                )
                .with_secondary(
                    top_ret.span,
                    format!("`{}` needs at most {}", m.purposes[top].id.value, top_ret.value),
                )
                .with_target(target);
            for &p in purposes.iter().filter(|&&p| p != top) {
                diag = diag.with_secondary(
                    m.purposes[p].id.span,
                    format!("uses the dataset for {}", retention(p).unwrap().value),
                );
            }
            out.push(diag);
            continue;
        }
        // Field level: a field whose categories only shorter-lived purposes declare. The
        // longest-lived using purpose is computed once per distinct category.
        let mut by_cat: HashMap<CatId, Option<usize>> = HashMap::new();
        let mut top_of = |c: CatId| {
            *by_cat.entry(c).or_insert_with(|| {
                longest(&mut purposes.iter().copied().filter(|&p| m.purpose_covers(p, c)))
            })
        };
        // A field is reported only when one of its categories' longest-lived purposes needs
        // less than the dataset's period: when none of the dataset's categories has such a
        // purpose, its fields need no walk.
        let shorter = |top: Option<usize>| {
            top.is_some_and(|p| {
                period.approx_seconds()
                    > retention(p).expect("checked above").value.approx_seconds()
            })
        };
        if !personal_categories(m, di)
            .iter()
            .any(|&c| shorter(top_of(c)))
        {
            continue;
        }
        for f in d.fields.iter().filter(|f| f.is_personal(t)) {
            let mut tops = Vec::new();
            for c in f.categories.iter().filter(|c| t.cat(c.cat).personal) {
                tops.extend(top_of(c.cat));
            }
            let Some(ftop) = longest(&mut tops.into_iter()) else {
                continue;
            };
            let fret = retention(ftop).expect("checked above");
            if period.approx_seconds() > fret.value.approx_seconds() {
                let diag = out
                    .at(
                        f.name.span,
                        format!("needed for at most {}", fret.value),
                        format!(
                            "field `{}` of dataset `{}` is kept for {period}, but the purposes that use its categories need it for at most {} (`{}`)",
                            f.name.value, d.id.value, fret.value, m.purposes[ftop].id.value
                        ),
                    )
                    .with_secondary(r.period.span, "the dataset's period")
                    .with_secondary(
                        fret.span,
                        format!("`{}` needs at most {}", m.purposes[ftop].id.value, fret.value),
                    )
                    .with_help("clear the field when its purposes end (null it with a shorter job, or move it to a dataset with a shorter period)")
                    .with_target(format!("datasets.{}", d.id.value));
                out.push(diag);
            }
        }
    }
}
