//! The rule registry. A rule is one file under `src/rules/<regime>/` holding its
//! declaration ([`Rule`]: id, regime, article, link, default severity, summary,
//! explanation, fix) beside its check function. `lawful rules`, `lawful explain`,
//! docs/rules/ and the machine formats all read these declarations.

pub mod ccpa;
pub mod checklist;
pub mod core;
pub mod docs;
pub mod facts;
pub mod gdpr;
pub mod pipl;
pub mod policy;

use crate::graph::DataFlowGraph;
use crate::manifest::Date;
use crate::manifest::types::RegimeName;
use crate::manifest::yaml::Span;
use crate::model::Model;
use crate::report::{Diagnostic, Severity};

/// The rule set a rule belongs to: CORE applies under every regime in scope; POLICY (the
/// organisation's own policies) applies whatever the regimes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum RuleSet {
    Core,
    Regime(RegimeName),
    Policy,
}

impl RuleSet {
    pub fn title(self) -> &'static str {
        match self {
            RuleSet::Core => "CORE",
            RuleSet::Regime(r) => r.title(),
            RuleSet::Policy => "POLICY",
        }
    }
}

/// A rule: its declaration and its check.
pub struct Rule {
    /// Stable id: `GDPR-ART6-LAWFUL-BASIS`.
    pub id: &'static str,
    pub set: RuleSet,
    /// The provisions it rests on: "GDPR Art 6(1)(a)–(f); Art 5(1)(a)".
    pub article: &'static str,
    /// Link to the official text of the main provision.
    pub url: &'static str,
    pub default_severity: Severity,
    /// One line: what the rule finds.
    pub summary: &'static str,
    /// Why it matters, in plain words (Markdown paragraphs).
    pub explanation: &'static str,
    /// How to fix a finding, with a YAML example where it helps.
    pub fix: &'static str,
    pub check: fn(&Context, &mut Findings),
}

impl std::fmt::Debug for Rule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.id)
    }
}

/// What a check sees: the model, its graph, and today's date.
pub struct Context<'a> {
    pub model: &'a Model,
    pub graph: &'a DataFlowGraph,
    pub today: Date,
}

/// Findings of one rule, created with the rule's metadata filled in.
pub struct Findings {
    rule: &'static Rule,
    pub out: Vec<Diagnostic>,
}

impl Findings {
    pub fn new(rule: &'static Rule) -> Findings {
        Findings {
            rule,
            out: Vec::new(),
        }
    }

    /// Start a finding at `span` with a label; push it with [`Findings::push`].
    pub fn at(
        &self,
        span: Span,
        label: impl Into<String>,
        message: impl Into<String>,
    ) -> Diagnostic {
        let mut d = Diagnostic::new(self.rule.id, self.rule.default_severity, message)
            .at(span, label)
            .with_help(self.rule.fix_line());
        d.article = Some(self.rule.article);
        d.url = (!self.rule.url.is_empty()).then_some(self.rule.url);
        d
    }

    pub fn push(&mut self, d: Diagnostic) {
        self.out.push(d);
    }
}

impl Rule {
    /// The first paragraph of the fix, for one-line help.
    pub fn fix_line(&self) -> String {
        self.fix
            .split("\n\n")
            .next()
            .unwrap_or(self.fix)
            .trim()
            .to_string()
    }

    /// Whether the rule runs for this model (CORE when any regime applies; the project's
    /// own review notes, CORE-TODO, and policies always).
    pub fn in_scope(&self, m: &Model) -> bool {
        match self.set {
            RuleSet::Core if self.id == core::todo::RULE.id => true,
            RuleSet::Policy => true,
            RuleSet::Core => m.regimes.iter().any(|r| r.applies),
            RuleSet::Regime(r) => m.applies(r),
        }
    }
}

/// Every rule, in the order `lawful rules` lists them.
pub fn all() -> &'static [&'static Rule] {
    static ALL: &[&Rule] = &[
        &core::field_classification::RULE,
        &core::recipient_classification::RULE,
        &core::purpose_categories_declared::RULE,
        &core::minimisation_unused_category::RULE,
        &core::retention_declared::RULE,
        &core::retention_within_purpose::RULE,
        &core::security_baseline::RULE,
        &gdpr::art3_territorial_scope::RULE,
        &gdpr::art6_lawful_basis::RULE,
        &gdpr::art6_basis_documentation::RULE,
        &gdpr::art6_4_compatible_further_use::RULE,
        &gdpr::art7_consent_conditions::RULE,
        &gdpr::art8_child_consent_age::RULE,
        &gdpr::art9_special_category_condition::RULE,
        &gdpr::art10_criminal_offence_data::RULE,
        &gdpr::art12_dsr_deadline::RULE,
        &gdpr::art13_14_notice_content::RULE,
        &gdpr::art15_21_rights_coverage::RULE,
        &gdpr::art21_direct_marketing_objection::RULE,
        &gdpr::art22_automated_decision::RULE,
        &gdpr::art26_joint_controller_arrangement::RULE,
        &gdpr::art27_eu_representative::RULE,
        &gdpr::art28_processor_contract::RULE,
        &gdpr::art30_records_of_processing::RULE,
        &gdpr::art35_dpia_required::RULE,
        &gdpr::art37_dpo_required::RULE,
        &gdpr::art44_transfer_mechanism::RULE,
        &gdpr::art45_us_dpf_certification::RULE,
        &gdpr::art46_transfer_impact_assessment::RULE,
        &gdpr::art49_derogation_scope::RULE,
        &pipl::art3_territorial_scope::RULE,
        &pipl::art13_lawful_basis::RULE,
        &pipl::art14_16_consent_conditions::RULE,
        &pipl::art17_notice_content::RULE,
        &pipl::art19_shortest_retention::RULE,
        &pipl::art20_joint_handler_agreement::RULE,
        &pipl::art21_entrusted_processing_agreement::RULE,
        &pipl::art23_provision_separate_consent::RULE,
        &pipl::art24_automated_decision::RULE,
        &pipl::art25_public_disclosure_separate_consent::RULE,
        &pipl::art28_29_sensitive_separate_consent::RULE,
        &pipl::art31_minor_guardian_consent::RULE,
        &pipl::art38_xborder_mechanism::RULE,
        &pipl::art39_xborder_separate_consent::RULE,
        &pipl::art40_ciio_localisation::RULE,
        &pipl::art44_50_rights_coverage::RULE,
        &pipl::art52_pipo_required::RULE,
        &pipl::art53_prc_representative::RULE,
        &pipl::art54_compliance_audit::RULE,
        &pipl::art55_pipia_required::RULE,
        &pipl::cac2024_xborder_volume_threshold::RULE,
        &ccpa::business_applicability::RULE,
        &ccpa::notice_at_collection::RULE,
        &ccpa::sale_share_classification::RULE,
        &ccpa::opt_out_sale_share::RULE,
        &ccpa::opt_out_links::RULE,
        &ccpa::opt_out_preference_signal::RULE,
        &ccpa::rights_coverage::RULE,
        &ccpa::response_deadlines::RULE,
        &ccpa::limit_spi::RULE,
        &ccpa::recipient_contract::RULE,
        &ccpa::retention_per_category::RULE,
        &ccpa::under16_opt_in::RULE,
        &ccpa::purpose_proportionality::RULE,
        &ccpa::financial_incentive::RULE,
        &ccpa::privacy_policy_7011::RULE,
        &ccpa::risk_assessment_7150::RULE,
        &ccpa::admt_significant_decision_7200::RULE,
        &ccpa::request_records_7101::RULE,
    ];
    ALL
}

/// Rules outside the regulatory catalogue of [`all`]: the project's review notes
/// (CORE-TODO) and its organisation policies (POLICY, whose findings read
/// `POLICY-<policy id>`). They run whatever the regimes in scope.
pub fn project_rules() -> &'static [&'static Rule] {
    static EXTRA: &[&Rule] = &[&core::todo::RULE, &policy::RULE];
    EXTRA
}

/// Every rule: the catalogue, then the project rules.
pub fn every() -> impl Iterator<Item = &'static Rule> {
    all().iter().chain(project_rules()).copied()
}

/// The rule with this id; `POLICY-<anything>` finds the policy rule.
pub fn find(id: &str) -> Option<&'static Rule> {
    if crate::model::strip_policy_prefix(id).is_some() {
        return Some(&policy::RULE);
    }
    every().find(|r| r.id.eq_ignore_ascii_case(id))
}

/// Run every rule in scope for which `enabled` holds. Findings come back sorted by place.
pub fn run(
    model: &Model,
    graph: &DataFlowGraph,
    today: Date,
    enabled: &(dyn Fn(&Rule) -> bool + Sync),
) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    let cx = Context {
        model,
        graph,
        today,
    };
    let rules: Vec<&'static Rule> = every().collect();
    let mut out: Vec<Diagnostic> = rules
        .par_iter()
        .filter(|r| r.in_scope(model) && enabled(r))
        .flat_map_iter(|r| {
            let mut f = Findings::new(r);
            (r.check)(&cx, &mut f);
            f.out
        })
        .collect();
    out.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    out
}

/// The rules an id or id prefix selects (`GDPR-ART6-LAWFUL-BASIS`, `PIPL-`, `CORE`),
/// case-insensitive. Empty when it selects none. `POLICY-<id>` (or a prefix of it) selects
/// the policy rule, whose findings it then narrows to the policies it names.
pub fn matching(selector: &str) -> Vec<&'static Rule> {
    let sel = selector.trim().to_ascii_uppercase();
    every()
        .filter(|r| {
            !sel.is_empty()
                && (r.id.starts_with(&sel)
                    || (r.set == RuleSet::Policy && sel.starts_with(crate::model::POLICY_PREFIX)))
        })
        .collect()
}

/// Whether a selector (an id or id prefix, any case) selects a finding with this rule id.
/// For policy findings the policy id keeps its case: `POLICY-demo` selects
/// `POLICY-demo_privacy_policy`.
pub fn selects(selector: &str, code: &str) -> bool {
    let sel = selector.trim();
    !sel.is_empty()
        && code.len() >= sel.len()
        && code.is_char_boundary(sel.len())
        && code[..sel.len()].eq_ignore_ascii_case(sel)
}
