//! The rule reference, generated from the rule declarations: `lawful explain RULE` prints
//! [`page`], and docs/rules/ holds one page per rule plus the [`index`]. A test in
//! tests/rules.rs fails when the committed pages differ from these functions' output.

use crate::rules::{Rule, all};

/// Rules of the catalogue (shared/REGULATIONS.md §1, 69 rules) that are not implemented
/// yet; they are planned under the full-catalogue issue.
pub const PLANNED: &[&str] = &[
    "GDPR-ART6-BASIS-DOCUMENTATION",
    "GDPR-ART8-CHILD-CONSENT-AGE",
    "GDPR-ART13-14-NOTICE-CONTENT",
    "GDPR-ART12-DSR-DEADLINE",
    "GDPR-ART15-21-RIGHTS-COVERAGE",
    "GDPR-ART21-DIRECT-MARKETING-OBJECTION",
    "GDPR-ART22-AUTOMATED-DECISION",
    "GDPR-ART30-RECORDS-OF-PROCESSING",
    "GDPR-ART35-DPIA-REQUIRED",
    "GDPR-ART37-DPO-REQUIRED",
    "PIPL-ART17-NOTICE-CONTENT",
    "PIPL-ART24-AUTOMATED-DECISION",
    "PIPL-ART44-50-RIGHTS-COVERAGE",
    "PIPL-ART55-PIPIA-REQUIRED",
    "CCPA-1798.100A-NOTICE-AT-COLLECTION",
    "CCPA-1798.120-OPT-OUT-SALE-SHARE",
    "CCPA-1798.135-OPT-OUT-LINKS",
    "CCPA-7025-OPT-OUT-PREFERENCE-SIGNAL",
    "CCPA-1798.105-125-RIGHTS-COVERAGE",
    "CCPA-1798.130-RESPONSE-DEADLINES",
    "CCPA-1798.125-FINANCIAL-INCENTIVE",
    "CCPA-7011-PRIVACY-POLICY",
    "CCPA-7150-RISK-ASSESSMENT",
    "CCPA-7200-ADMT-SIGNIFICANT-DECISION",
    "CCPA-7101-REQUEST-RECORDS",
];

/// The Markdown page of a rule: what `lawful explain` prints and docs/rules/<ID>.md holds.
pub fn page(r: &Rule) -> String {
    format!(
        "# {id}\n\n{summary}.\n\n| | |\n|---|---|\n| rule set | {set} |\n| source | {article} |\n| official text | <{url}> |\n| default severity | {sev} |\n\n## Why\n\n{expl}\n\n## Fix\n\n{fix}\n",
        id = r.id,
        summary = r.summary,
        set = r.set.title(),
        article = r.article,
        url = r.url,
        sev = r.default_severity.as_str(),
        expl = r.explanation.trim_end(),
        fix = r.fix.trim_end(),
    )
}

/// docs/rules/README.md: every implemented rule with its set, default severity and
/// summary, then the catalogue rules still planned.
pub fn index() -> String {
    let mut s = String::from(
        "# Rules\n\nGenerated from the rule declarations in `src/rules/` (`UPDATE_DOCS=1 cargo test --test rules` rewrites this folder). `lawful explain RULE` prints the same page in the terminal.\n\n| rule | set | default severity | finds |\n|---|---|---|---|\n",
    );
    for r in all() {
        s.push_str(&format!(
            "| [{id}]({id}.md) | {set} | {sev} | {summary} |\n",
            id = r.id,
            set = r.set.title(),
            sev = r.default_severity.as_str(),
            summary = r.summary.replace('|', "\\|"),
        ));
    }
    s.push_str(&format!(
        "\n## Not implemented yet\n\nThe catalogue in REGULATIONS.md §1 has {total} rules; {n} of them are implemented above. The other {planned} are planned under the full-catalogue issue: {list}.\n",
        total = all().len() + PLANNED.len(),
        n = all().len(),
        planned = PLANNED.len(),
        list = PLANNED
            .iter()
            .map(|id| format!("`{id}`"))
            .collect::<Vec<_>>()
            .join(", "),
    ));
    s
}
