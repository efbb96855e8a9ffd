//! GDPR-ART3-TERRITORIAL-SCOPE: when the GDPR reaches an organisation only through people
//! living in the EEA, say so and why, for a human to confirm.

use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "GDPR-ART3-TERRITORIAL-SCOPE",
    set: RuleSet::Regime(RegimeName::Gdpr),
    article: "GDPR Art 3(1), 3(2)(a)–(b)",
    url: "https://eur-lex.europa.eu/eli/reg/2016/679/oj#art_3",
    default_severity: Severity::Info,
    summary: "The GDPR is assumed to apply because people in the EEA are data subjects, though the organisation has no establishment there",
    explanation: "The GDPR applies to processing in the context of the activities of an establishment of a controller or processor in the Union, wherever the processing takes place and wherever the data subjects live (Art 3(1)). A controller or processor without an establishment in the Union is covered when it processes the data of people who are in the Union and the processing relates to offering them goods or services, paid or free (Art 3(2)(a)), or to monitoring their behaviour there (Art 3(2)(b)). The EEA agreement extends the GDPR to Iceland, Liechtenstein and Norway.\n\nlawful decides that the GDPR applies when `regimes:` lists it; when the organisation declares an establishment in the EEA (`establishments`), which settles it under Art 3(1); when it declares `targets_eu: true` or `monitors_eu: true` (Art 3(2)(a) or (b)); or, failing all these, when a kind of data subject lives in the EEA (`lives_in`) and the organisation has not declared both `targets_eu: false` and `monitors_eu: false`. In that last case lawful assumes that the organisation offers these people goods or services or monitors their behaviour. That assumption is what the facts do not decide, so lawful reports it, with the reason it gave, on each such subject's `lives_in`. The outcome itself, whether the GDPR applies and why, is printed at the top of every `lawful check` report; nothing is reported here when an establishment, a targeting fact or `regimes:` decides it.\n\nWhen the GDPR applies under Art 3(2), the organisation also needs a representative in the Union (GDPR-ART27-EU-REPRESENTATIVE).",
    fix: "Declare what brings these people under the GDPR: `targets_eu: true` when goods or services are offered to people in the Union (prices in euros, a local language or domain, delivery there), or `monitors_eu: true` when their behaviour there is tracked. If neither is true, declare both as `false` and the GDPR is no longer applied on account of where the subjects live.\n\n```yaml\norganization:\n  name: Example Apps Inc.\n  establishments: [US-CA]\n  targets_eu: true      # the app is sold in euros in Germany and France\n  monitors_eu: false\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    if crate::rules::facts::assumed_scope(m, RegimeName::Gdpr).is_none() {
        return;
    }
    for s in &m.subjects {
        let Some(place) = s.decl.lives_in.iter().find(|p| p.in_eea()) else {
            continue;
        };
        let mut d = out
            .at(
                place.span,
                "people in the EEA",
                format!(
                    "the GDPR applies only on an assumption: subjects `{}` live in the EEA ({}) and the organisation has no establishment there, so lawful assumes it offers them goods or services or monitors their behaviour (GDPR Art 3(2)); confirm it",
                    s.id.value, place.value.0
                ),
            )
            .with_target(format!("subjects.{}", s.id.value));
        if let Some(o) = &m.organization {
            let span = o
                .value
                .establishments
                .first()
                .map(|c| c.span)
                .unwrap_or(o.value.name.span);
            d = d.with_secondary(span, "no establishment in the EEA declared");
        }
        out.push(d);
    }
}
