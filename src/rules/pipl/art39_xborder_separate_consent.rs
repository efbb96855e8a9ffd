//! STUB: to be written.

use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "PIPL-ART39_XBORDER_SEPARATE_CONSENT",
    set: RuleSet::Core,
    article: "",
    url: "",
    default_severity: Severity::Error,
    summary: "",
    explanation: "",
    fix: "",
    check,
};

fn check(_cx: &Context, _out: &mut Findings) {}
