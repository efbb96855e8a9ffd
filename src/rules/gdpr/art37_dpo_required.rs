//! GDPR-ART37-DPO-REQUIRED: an organisation that Art 37(1) or a national rule obliges to
//! designate a data protection officer has one, publishes the contact details and has
//! communicated them to the supervisory authority.

use crate::manifest::types::RegimeName;
use crate::manifest::yaml::Span;
use crate::report::Severity;
use crate::rules::facts;
use crate::rules::{Context, Findings, Rule, RuleSet};

/// BDSG §38(1): a DPO from 20 persons regularly engaged in automated processing.
const BDSG_STAFF: u64 = 20;

pub static RULE: Rule = Rule {
    id: "GDPR-ART37-DPO-REQUIRED",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 37(1), (7), 13(1)(b); BDSG §38(1)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_37",
    default_severity: Severity::Error,
    summary: "A data protection officer is required but not designated, or the officer's contact details are not published or not reported",
    explanation: "A controller must designate a data protection officer when it is a public authority or body (Art 37(1)(a)); when its core activities consist of processing that, by its nature, scope or purposes, requires regular and systematic monitoring of people on a large scale (37(1)(b)); or when its core activities consist of processing special-category or criminal-offence data on a large scale (37(1)(c)). Member states may require more: in Germany, a controller in which at least 20 persons are regularly engaged in the automated processing of personal data must designate one (BDSG §38(1)). Whoever the officer is, the contact details are published and communicated to the supervisory authority (Art 37(7)), and notices give them (Art 13(1)(b), 14(1)(b)).\n\nlawful reads `organization.is_public_authority`; purposes marked `core_activity` that are `systematic_monitoring` and `large_scale`, or `large_scale` with special-category or criminal-offence data among their categories; and, for an establishment in `DE`, `organization.automated_processing_staff`. When one of these holds and `organization.dpo` is missing, it reports the organisation. When a `dpo` is declared, it reports it unless `published: true` and `reported_on` are set.\n\nNot yet checked: the national rules of member states other than Germany.",
    fix: "Designate the DPO, publish the contact details and record when they were reported to the supervisory authority.\n\n```yaml\norganization:\n  name: Example Shop GmbH\n  establishments: [DE]\n  dpo: { name: Dr. Anna Weber, email: dpo@example.de, published: true, reported_on: 2026-03-01 }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let Some(o) = &m.organization else {
        return;
    };
    let t = &m.taxonomy;
    let used = facts::purpose_categories(m, cx.graph);
    // The first ground that requires a DPO, with where it is declared.
    let mut ground: Option<(Span, String)> = None;
    if let Some(pa) = o.is_public_authority.as_ref().filter(|b| b.value) {
        ground = Some((
            pa.span,
            "it is a public authority or body (GDPR Art 37(1)(a))".into(),
        ));
    }
    for (pi, p) in m.purposes.iter().enumerate() {
        if ground.is_some() {
            break;
        }
        let d = &p.decl.value;
        let Some(core) = d.core_activity.as_ref().filter(|b| b.value) else {
            continue;
        };
        if !facts::is_true(&d.large_scale) {
            continue;
        }
        if facts::is_true(&d.systematic_monitoring) {
            ground = Some((
                core.span,
                format!(
                    "its core activity `{}` monitors people systematically on a large scale (GDPR Art 37(1)(b))",
                    p.id.value
                ),
            ));
        } else if used[pi]
            .iter()
            .any(|c| t.cat(c).is_gdpr_special() || t.cat(c).is_gdpr_criminal())
        {
            ground = Some((
                core.span,
                format!(
                    "its core activity `{}` processes special-category or criminal-offence data on a large scale (GDPR Art 37(1)(c))",
                    p.id.value
                ),
            ));
        }
    }
    if ground.is_none()
        && let Some(de) = o.establishments.iter().find(|c| c.alpha2() == "DE")
        && let Some(staff) = o
            .automated_processing_staff
            .as_ref()
            .filter(|s| s.value >= BDSG_STAFF)
    {
        ground = Some((
            staff.span,
            format!(
                "{} persons regularly process personal data by automated means at its establishment in {} (BDSG §38(1): from 20)",
                staff.value, de.value
            ),
        ));
    }

    let Some(dpo) = &o.dpo else {
        if let Some((span, why)) = ground {
            let d = out
                .at(
                    span,
                    "a DPO is required",
                    format!(
                        "`{}` must designate a data protection officer: {why}; declare `organization.dpo`",
                        o.name.value
                    ),
                )
                .with_secondary(o.name.span, "no `dpo` declared")
                .with_target("organization".to_string());
            out.push(d);
        }
        return;
    };
    let mut gaps: Vec<&str> = Vec::new();
    if !facts::is_true(&dpo.published) {
        gaps.push("`published: true` (the contact details are published)");
    }
    if dpo.reported_on.is_none() {
        gaps.push("`reported_on` (the date they were communicated to the supervisory authority)");
    }
    if gaps.is_empty() {
        return;
    }
    let d = out
        .at(
            dpo.span,
            "contact details not published or not reported",
            format!(
                "the data protection officer of `{}` lacks {} (GDPR Art 37(7))",
                o.name.value,
                gaps.join(" and ")
            ),
        )
        .with_target("organization".to_string());
    out.push(d);
}

#[cfg(test)]
mod tests {
    use crate::manifest::Date;
    use crate::rules::checklist::gdpr::tests::project;

    fn messages(yaml: &str) -> Vec<String> {
        let p = project(yaml);
        let today = Date::parse("2026-11-29").expect("date");
        crate::rules::run(&p.model, &p.graph, today, &|r| r.id == super::RULE.id)
            .into_iter()
            .map(|d| d.message)
            .collect()
    }

    #[test]
    fn a_declared_dpo_must_be_published_and_reported_and_bdsg_counts_staff() {
        let base = "version: 1
organization:
  name: Example GmbH
  establishments: [DE]
  automated_processing_staff: 25
";
        let found = messages(base);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("BDSG §38(1)"), "{}", found[0]);
        let found = messages(&format!("{base}  dpo: {{ email: dpo@example.de }}\n"));
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("`published: true`") && found[0].contains("`reported_on`"));
        let done = "  dpo: { email: dpo@example.de, published: true, reported_on: 2026-01-05 }\n";
        assert!(messages(&format!("{base}{done}")).is_empty());
    }
}
