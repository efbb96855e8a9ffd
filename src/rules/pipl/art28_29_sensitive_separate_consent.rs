//! PIPL-ART28-29-SENSITIVE-SEPARATE-CONSENT: a purpose using sensitive personal information
//! has a specific purpose and necessity, separate (or written) consent where consent is the
//! basis, and the datasets holding it are encrypted at rest.

use std::collections::HashMap;

use crate::manifest::types::{ConsentKind, PiplBasis, RegimeName};
use crate::report::Severity;
use crate::rules::facts::{list_ids, purpose_categories};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};
use crate::taxonomy::CatId;

pub static RULE: Rule = Rule {
    id: "PIPL-ART28-29-SENSITIVE-SEPARATE-CONSENT",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 28, 29, 32",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "Sensitive personal information is used without separate consent, a necessity statement or encryption at rest",
    explanation: "PIPL Art 28 (个人信息保护法第二十八条) defines sensitive personal information as information whose leak or misuse can easily harm a person's dignity or their personal or property safety: biometrics, religious beliefs, specific identities, medical health, financial accounts, whereabouts, and all personal information of minors under 14, among others. A handler may process it only for a specific purpose with sufficient necessity and under strict protection measures (Art 28(2)). Where the basis is consent, the individual's separate consent is required, and written consent where a law or administrative regulation says so (Art 29). The notice must also explain why the processing is necessary and how it affects the individual (Art 30).\n\nlawful reports a purpose that declares, or receives through its flows, a sensitive category when: its PIPL basis is `consent` and no consent of kind `separate` or `written` covers it; it has no `necessity` statement; or a dataset holding that sensitive category is not encrypted at rest (`encryption: { at_rest: true }`). The Chinese text governs; DigiChina (Stanford) publishes a reputable English translation.\n\nNot yet checked: administrative licences that a law requires for some sensitive processing (Art 32). A guardian's consent to the processing of a child's information (Art 31, `kind: guardian`) counts as separate consent here, since it is given for that processing alone.",
    fix: "Add a separate consent for the purpose, state why the sensitive data is necessary, and encrypt the datasets that hold it.\n\n```yaml\npurposes:\n  face_login:\n    legal_basis: { pipl: consent }\n    consent: face_login_consent\n    necessity: { zh-CN: 人脸识别仅用于登录时核验本人身份，不用于其他目的。, en: Face data is used only to verify identity at login. }\nconsents:\n  face_login_consent:\n    kind: separate\n    purposes: [face_login]\ndatasets:\n  face_templates:\n    encryption: { at_rest: true, in_transit: true }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    let used = purpose_categories(m, cx.graph);
    let consents = crate::rules::facts::consents_by_purpose(m);
    let mut first_user: HashMap<CatId, usize> = HashMap::new();
    for (pi, p) in m.purposes.iter().enumerate() {
        let sensitive: Vec<_> = used[pi]
            .iter()
            .filter(|&c| t.cat(c).is_pipl_sensitive())
            .collect();
        if sensitive.is_empty() {
            continue;
        }
        let target = format!("purposes.{}", p.id.value);
        let ids = list_ids(sensitive.iter().map(|&c| t.cat(c).id.as_str()), 4);
        let declared_at = p
            .categories
            .iter()
            .find(|c| sensitive.contains(&c.cat))
            .map(|c| c.span)
            .unwrap_or_default();
        if let Some(b) = &p.decl.legal_basis.pipl
            && b.value == PiplBasis::Consent
            && !crate::rules::facts::has_consent(
                m,
                &consents,
                pi,
                // A guardian's consent for a child under 14 (Art 31) is given for that
                // processing alone, which is what separate consent asks.
                &[
                    ConsentKind::Separate,
                    ConsentKind::Written,
                    ConsentKind::Guardian,
                ],
                None,
            )
        {
            let mut d = out
                .at(
                    b.span,
                    "consent, but not separate consent",
                    format!(
                        "purpose `{}` processes sensitive personal information ({ids}) on a consent basis without separate consent",
                        p.id.value
                    ),
                )
                .with_secondary(declared_at, "sensitive personal information")
                .with_help("link a consent with `kind: separate` (or `written` where a law requires it) that covers the purpose")
                .with_target(target.clone());
            if let Some(c) = p.consent {
                d = d.with_secondary(m.consents[c].decl.kind.span, "this consent is not separate");
            }
            out.push(d);
        }
        if p.decl.necessity.is_none() {
            let d = out
                .at(
                    p.id.span,
                    "no `necessity`",
                    format!(
                        "purpose `{}` processes sensitive personal information ({ids}) without stating why it is necessary",
                        p.id.value
                    ),
                )
                .with_secondary(declared_at, "sensitive personal information")
                .with_help("state the specific purpose and why the sensitive data is necessary under `necessity:` (the notice shows it, Art 30)")
                .with_target(target.clone());
            out.push(d);
        }
        for c in sensitive {
            first_user.entry(c).or_insert(pi);
        }
    }
    // Datasets holding sensitive personal information some purpose uses, unencrypted.
    for ds in &m.datasets {
        if ds.decl.encryption.as_ref().is_some_and(|e| e.at_rest) {
            continue;
        }
        let hit = ds.fields.iter().find_map(|f| {
            // A purpose declaring `biometric` uses a field holding `biometric.face`.
            f.categories.iter().find_map(|c| {
                std::iter::once(&c.cat)
                    .chain(&t.cat(c.cat).ancestors)
                    .find_map(|a| first_user.get(a).map(|&p| (f, p)))
            })
        });
        let Some((field, pi)) = hit else { continue };
        let d = out
            .at(
                ds.id.span,
                "not encrypted at rest",
                format!(
                    "dataset `{}` holds sensitive personal information used by purpose `{}` but is not encrypted at rest",
                    ds.id.value, m.purposes[pi].id.value
                ),
            )
            .with_secondary(field.name.span, "sensitive personal information")
            .with_help("declare `encryption: { at_rest: true, in_transit: true }` once the store encrypts the data")
            .with_target(format!("datasets.{}", ds.id.value));
        out.push(d);
    }
}
