//! The rule reference, generated from the rule declarations: `lawful explain RULE` prints
//! [`page`], and docs/rules/ holds one page per rule plus the [`index`]. A test in
//! tests/rules.rs fails when the committed pages differ from these functions' output.

use crate::rules::{Rule, all};

/// Rules of the catalogue (shared/REGULATIONS.md §1, 69 rules) that are not implemented
/// yet; they are planned under the full-catalogue issue.
pub const PLANNED: &[&str] = &[];

/// Candidate rules outside the catalogue, and why lawful does not check them yet.
const BEYOND: &str = "\n## Beyond the catalogue\n\nREGULATIONS.md lists further candidate rules that are not counted in the 69. lawful leaves them out for now, each for the reason given:\n\n| candidate | source | why not yet |\n|---|---|---|\n| breach readiness | GDPR Art 33–34; PIPL Art 57; Cal. Civ. Code 1798.82 | needs an incident-response section (who notifies whom, within 72 hours under the GDPR) that the language does not have yet |\n| CCPA cybersecurity audits | 11 CCR 7120 et seq. | the regulations are recent and rest on a single secondary source here [S]; the thresholds overlap the risk-assessment facts and will be added with them |\n| image capture in public places | PIPL Art 26 | needs facts about cameras and signage that no dataset or purpose carries |\n| transfers in a merger | PIPL Art 22 | an event, not a standing fact of processing; better checked by `lawful diff` when recipients change |\n| large platforms | PIPL Art 58 | the designation depends on a regulator's decision that the manifest cannot derive |\n| data protection by design and by default | GDPR Art 25 | a duty of method; the checkable parts (minimisation, retention, masking) are covered by CORE rules |\n| data-broker registration, Delete Act | Cal. Civ. Code 1798.99.80 et seq. | the CCPA rules stop at the business; broker status needs facts the language does not hold |\n| important-data handler duties | NDSMR [?] | unsettled in the sources |\n";

/// The Markdown page of a rule: what `lawful explain` prints and docs/rules/<ID>.md holds.
pub fn page(r: &Rule) -> String {
    format!(
        "# {id}\n\n{summary}.\n\n| | |\n|---|---|\n| rule set | {set} |\n| source | {article} |\n{url}| default severity | {sev} |\n\n## Why\n\n{expl}\n\n## Fix\n\n{fix}\n",
        id = r.id,
        summary = r.summary,
        set = r.set.title(),
        article = r.article,
        url = if r.url.is_empty() {
            String::new()
        } else {
            format!("| official text | <{}> |\n", r.url)
        },
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
    if PLANNED.is_empty() {
        s.push_str(&format!(
            "\nAll {n} rules of the catalogue in REGULATIONS.md §1 are implemented. Where a rule checks only part of what its provision asks, its page ends with \"Not yet checked\" and says which part.\n",
            n = all().len(),
        ));
    } else {
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
    }
    s.push_str(BEYOND);
    s
}
