//! PIPL-ART19-SHORTEST-RETENTION: a dataset within the PIPL's reach is kept for the shortest
//! period its purposes need, unless a law requires longer, and never indefinitely.

use crate::manifest::scalars::Period;
use crate::manifest::types::RegimeName;
use crate::report::Severity;
use crate::rules::facts::{dataset_purposes, pipl_dataset};
use crate::rules::pipl::art13_lawful_basis::PIPL_URL;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART19-SHORTEST-RETENTION",
    set: RuleSet::Regime(RegimeName::Pipl),
    article: "PIPL Art 19, 47(1)(2), 47(2)",
    url: PIPL_URL,
    default_severity: Severity::Error,
    summary: "Personal information within the PIPL's reach is kept longer than its purposes need, indefinitely, or with no retention at all",
    explanation: "PIPL Art 19 (个人信息保护法第十九条) says that, unless laws or administrative regulations provide otherwise, personal information may be kept only for the shortest period necessary to achieve the purpose of processing. When that period has expired, the handler must delete the information on its own initiative (Art 47(1)(2)); where deletion is technically hard or a law still requires keeping it, the handler may only store it and take security measures (Art 47(2)). Unlike the GDPR's storage limitation, this is a hard limit, so lawful treats it as an error rather than the warning of CORE-RETENTION-WITHIN-PURPOSE.\n\nA dataset is within the PIPL's reach when it is stored in mainland China or holds data of subjects who live there. lawful reports such a dataset when:\n\n- it declares no `retention`, so no job can delete or anonymise its rows when the period ends (the language requires `then: delete` or `then: anonymise` on every declared retention, so a declared retention always yields one);\n- its retention is `indefinite`, which is never the shortest period; where a law requires keeping the data, state the period the law sets;\n- its period is longer than the longest `retention` of the purposes that use it, and none of those purposes cites the law that requires keeping it longer (`retention_legal_ref`).\n\nThe comparison is skipped when a purpose using the dataset states no `retention`. Periods are compared by average length. The Chinese text governs; DigiChina (Stanford) publishes a reputable English translation.\n\nNot yet checked: whether data kept past its purpose only for a statutory period is restricted to storage and security measures (Art 47(2)), and whether the generated job actually runs; the language has no facts for them yet.",
    fix: "Shorten the dataset's period to what its purposes need, or cite the law that requires keeping it longer on the purpose; never keep PIPL data indefinitely.\n\n```yaml\npurposes:\n  order_fulfilment:\n    retention: P3Y\n    retention_legal_ref: 电子商务法第三十一条（商品和服务信息、交易信息保存不少于三年）\ndatasets:\n  orders_cn:\n    retention: { period: P3Y, after: completed_at, then: delete }\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    let m = cx.model;
    let t = &m.taxonomy;
    let uses = dataset_purposes(m);
    for (di, d) in m.datasets.iter().enumerate() {
        if !d.is_personal(t) || !pipl_dataset(m, di) {
            continue;
        }
        let target = format!("datasets.{}", d.id.value);
        let Some(r) = &d.decl.retention else {
            let d = out
                .at(
                    d.id.span,
                    "no `retention`",
                    format!(
                        "dataset `{}` holds personal information within the PIPL's reach but declares no retention, so nothing deletes it when its purposes are achieved",
                        d.id.value
                    ),
                )
                .with_target(target);
            out.push(d);
            continue;
        };
        let purposes = &uses[di];
        let legal_ref = purposes
            .iter()
            .copied()
            .find(|&p| m.purposes[p].decl.retention_legal_ref.is_some());
        let period = match &r.period.value {
            Period::Indefinite => {
                let mut diag = out
                    .at(
                        r.period.span,
                        "kept indefinitely",
                        format!(
                            "dataset `{}` keeps personal information within the PIPL's reach indefinitely, which is never the shortest period necessary",
                            d.id.value
                        ),
                    )
                    .with_target(target);
                if let Some(p) = legal_ref {
                    diag = diag
                        .with_secondary(
                            m.purposes[p].id.span,
                            "cites a law: state the period it sets",
                        )
                        .with_help("state the period the cited law sets instead of `indefinite`");
                }
                out.push(diag);
                continue;
            }
            Period::Duration(p) => p,
        };
        if purposes.is_empty() || legal_ref.is_some() {
            continue;
        }
        let mut longest: Option<usize> = None;
        let mut unknown = false;
        for &p in purposes {
            match &m.purposes[p].decl.retention {
                None => unknown = true,
                Some(x) => {
                    let better = longest.is_none_or(|l| {
                        let lr = m.purposes[l].decl.retention.as_ref().expect("set");
                        x.value.approx_seconds() > lr.value.approx_seconds()
                    });
                    if better {
                        longest = Some(p);
                    }
                }
            }
        }
        let (false, Some(top)) = (unknown, longest) else {
            continue;
        };
        let top_ret = m.purposes[top].decl.retention.as_ref().expect("set");
        if period.approx_seconds() <= top_ret.value.approx_seconds() {
            continue;
        }
        let diag = out
            .at(
                r.period.span,
                format!("kept for {period}"),
                format!(
                    "dataset `{}` keeps personal information within the PIPL's reach for {period}, longer than its purposes need (the longest is `{}`, {}), and no law is cited",
                    d.id.value, m.purposes[top].id.value, top_ret.value
                ),
            )
            .with_secondary(
                top_ret.span,
                format!(
                    "`{}` needs at most {}",
                    m.purposes[top].id.value, top_ret.value
                ),
            )
            .with_target(target);
        out.push(diag);
    }
}
