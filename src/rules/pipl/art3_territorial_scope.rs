//! PIPL-ART3-TERRITORIAL-SCOPE: when the PIPL reaches an organisation only through people
//! living in mainland China, say so and why, for a human to confirm.

use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART3-TERRITORIAL-SCOPE",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 3",
    url: PIPL_URL,
    default_severity: Severity::Info,
    summary: "The PIPL is assumed to apply because people in mainland China are data subjects, though the organisation has no establishment there",
    explanation: "The PIPL applies to processing of natural persons' personal information within the People's Republic of China (PIPL Art 3(1), 个人信息保护法第三条第一款). It also applies to processing outside China of the personal information of people within China when the purpose is to provide products or services to them, to analyse or assess their behaviour, or in other cases laws and administrative regulations lay down (Art 3(2)). \"Within China\" means the mainland here: Hong Kong, Macao and Taiwan have their own laws.\n\nlawful decides that the PIPL applies when the organisation declares an establishment in mainland China (`establishments: [CN]`), which settles it, or, failing that, when a kind of data subject lives in mainland China (`lives_in: [CN]`); in that second case it assumes that the organisation provides products or services to them or analyses their behaviour. That assumption is the one the facts cannot decide, so lawful reports it, with the reason it gave, on the subjects' `lives_in`. Nothing is reported when an establishment in mainland China decides applicability.\n\nNot yet checked: whether the organisation targets or analyses people in China (`targets_cn` and `analyses_cn` are not in the language yet). When the PIPL applies under Art 3(2), the organisation also needs a representative in China (PIPL-ART53-PRC-REPRESENTATIVE).",
    fix: "Confirm that the organisation provides products or services to these people or analyses their behaviour and suppress this finding with that reason; if it does neither, take mainland China out of the subjects' `lives_in`.\n\n```yaml\nsuppressions:\n  - rule: PIPL-ART3-TERRITORIAL-SCOPE\n    target: subjects.app_users\n    reason: The app is sold to consumers in mainland China through app stores there (PIPL Art 3(2)(1)).\n    expires: 2027-06-30\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let established = m
        .organization
        .as_ref()
        .is_some_and(|o| o.establishments.iter().any(|c| c.is_mainland_china()));
    if established {
        return;
    }
    for s in &m.subjects {
        let Some(place) = s.decl.lives_in.iter().find(|p| p.is_mainland_china()) else {
            continue;
        };
        let d = out
            .at(
                place.span,
                "people in mainland China",
                format!(
                    "the PIPL applies only on an assumption: subjects `{}` live in mainland China and the organisation has no establishment there, so lawful assumes it provides products or services to them or analyses their behaviour (PIPL Art 3(2)); confirm it",
                    s.id.value
                ),
            )
            .with_target(format!("subjects.{}", s.id.value));
        out.push(d);
    }
}
