//! The resolved model: every section merged across files, every reference turned into an
//! index that remembers its span, defaults applied (a field without categories takes its
//! dataset's), and the regimes in scope derived with their reasons.

mod resolve;

pub use resolve::{grouped, resolve, shown};

use crate::manifest::source::SourceMap;
use crate::manifest::types::*;
use crate::manifest::yaml::{Sp, Span};
use crate::taxonomy::{CatId, Taxonomy};

/// A node of the data-flow graph.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeRef {
    Subject(usize),
    Dataset(usize),
    System(usize),
    Recipient(usize),
}

/// A category reference: the category and where it was written.
#[derive(Clone, Copy, Debug)]
pub struct CatRef {
    pub cat: CatId,
    pub span: Span,
}

/// Whether a regime applies, and why (GDPR Art 3, PIPL Art 3, CCPA 1798.140(d)).
#[derive(Clone, Debug)]
pub struct RegimeScope {
    pub regime: RegimeName,
    pub applies: bool,
    pub reason: String,
    /// Where the fact that decided it is declared.
    pub span: Span,
}

#[derive(Clone, Debug)]
pub struct SubjectR {
    pub id: Sp<String>,
    pub decl: Sp<Subject>,
}

#[derive(Clone, Debug)]
pub struct PurposeR {
    pub id: Sp<String>,
    pub decl: Sp<Purpose>,
    pub categories: Vec<CatRef>,
    pub consent: Option<usize>,
    /// The datasets the purpose declares it uses (`datasets:`), when it declares them.
    pub datasets: Option<Vec<usize>>,
    /// The subjects it declares directly (`subjects:`), indices into `Model::subjects`.
    pub subjects: Vec<usize>,
}

impl PurposeR {
    /// The dotted use key policies match: `data_use`, else the purpose's id.
    pub fn use_key(&self) -> &str {
        self.decl
            .data_use
            .as_ref()
            .map(|u| u.value.as_str())
            .unwrap_or(&self.id.value)
    }
}

/// The category dimension of a policy rule, resolved: the taxonomy categories it names,
/// and whether it names the virtual root `personal` (every personal category).
#[derive(Clone, Debug)]
pub struct PolicyCategoriesR {
    pub cats: Vec<CatId>,
    pub personal: bool,
}

/// One rule of a policy. Its dimensions are in `decl` (`categories`, `purposes`,
/// `subjects`); the category values are resolved in `categories`.
#[derive(Clone, Debug)]
pub struct PolicyRuleR {
    pub id: Sp<String>,
    pub decl: Sp<PolicyRule>,
    /// The resolved category values, when the rule has a `categories` dimension.
    pub categories: Option<PolicyCategoriesR>,
}

/// An organisation policy (docs/policies.md), its rules resolved.
#[derive(Clone, Debug)]
pub struct PolicyR {
    pub id: Sp<String>,
    pub decl: Sp<Policy>,
    pub rules: Vec<PolicyRuleR>,
}

impl PolicyR {
    /// The rule id of its findings: `POLICY-<policy id>`.
    pub fn code(&self) -> String {
        format!("{}{}", POLICY_PREFIX, self.id.value)
    }
}

/// The prefix of every policy finding's rule id (`POLICY-<policy id>`).
pub const POLICY_PREFIX: &str = "POLICY-";

#[derive(Clone, Debug)]
pub struct ConsentR {
    pub id: Sp<String>,
    pub decl: Sp<Consent>,
    pub purposes: Vec<usize>,
    pub recipients: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct SystemR {
    pub id: Sp<String>,
    pub decl: Sp<System>,
}

#[derive(Clone, Debug)]
pub struct FieldR {
    pub name: Sp<String>,
    /// The declaration, less its `categories`: they are resolved into `categories`.
    pub decl: Sp<Field>,
    /// Column name in the database.
    pub column: String,
    pub categories: Vec<CatRef>,
    /// True when the categories came from the dataset's default.
    pub inherited: bool,
}

impl FieldR {
    pub fn is_personal(&self, t: &Taxonomy) -> bool {
        self.categories.iter().any(|c| t.cat(c.cat).personal)
    }
}

#[derive(Clone, Debug)]
pub struct DatasetR {
    pub id: Sp<String>,
    pub decl: Box<Sp<Dataset>>,
    pub system: Option<usize>,
    pub subjects: Vec<usize>,
    pub fields: Vec<FieldR>,
    /// Index into `fields` of the retention anchor, when declared and found.
    pub anchor: Option<usize>,
    /// Index into `fields` of the subject key.
    pub subject_key: Option<usize>,
}

impl DatasetR {
    /// Whether any field holds personal data.
    pub fn is_personal(&self, t: &Taxonomy) -> bool {
        self.fields.iter().any(|f| f.is_personal(t))
    }
    /// The country where the data is stored: the dataset's, else its system's.
    pub fn country<'a>(&'a self, m: &'a Model) -> Option<&'a Sp<crate::manifest::Country>> {
        self.decl
            .country
            .as_ref()
            .or_else(|| self.system.and_then(|s| m.systems[s].decl.country.as_ref()))
    }
}

#[derive(Clone, Debug)]
pub struct RecipientR {
    pub id: Sp<String>,
    pub decl: Sp<Recipient>,
}

#[derive(Clone, Debug)]
pub struct FlowR {
    pub decl: Box<Sp<Flow>>,
    pub from: NodeRef,
    pub to: NodeRef,
    /// Declared categories; `None` means all of the source's.
    pub categories: Option<Vec<CatRef>>,
    pub purposes: Vec<usize>,
}

#[derive(Clone, Debug)]
pub struct RoleR {
    pub id: Sp<String>,
    pub decl: Sp<Role>,
    pub db_role: String,
    pub purposes: Vec<usize>,
    pub datasets: Vec<usize>,
    /// Categories the role may see only masked (`masked:`).
    pub masked: Vec<CatRef>,
}

/// A dataset declared as the consent log (`consent_log:`), its roles resolved.
#[derive(Clone, Debug)]
pub struct ConsentLogR {
    /// Index into `Model::datasets`.
    pub dataset: usize,
    /// Indices into `Model::roles`: `INSERT` and `SELECT`.
    pub writers: Vec<usize>,
    /// Indices into `Model::roles`: `SELECT`.
    pub readers: Vec<usize>,
}

/// A published notice, its references resolved.
#[derive(Clone, Debug)]
pub struct NoticeR {
    pub id: Sp<String>,
    pub decl: Sp<Notice>,
    /// Indices into `Model::subjects`; empty means every kind in scope of its regime.
    pub subjects: Vec<usize>,
    /// Indices into `Model::datasets` (GDPR Art 14 notices).
    pub datasets: Vec<usize>,
}

/// An assessment, its references resolved.
#[derive(Clone, Debug)]
pub struct AssessmentR {
    pub id: Sp<String>,
    pub decl: Sp<Assessment>,
    /// Indices into `Model::purposes`.
    pub purposes: Vec<usize>,
    /// Indices into `Model::flows`.
    pub flows: Vec<usize>,
}

/// The `rights` section, with the datasets each handler reaches resolved.
#[derive(Clone, Debug)]
pub struct RightsR {
    pub decl: Sp<Rights>,
    /// Datasets (indices into `Model::datasets`) of the handlers that list them; a handler
    /// absent here reaches every dataset.
    pub reach: std::collections::BTreeMap<RightKind, Vec<usize>>,
}

impl RightsR {
    /// The handler of a right, if declared.
    pub fn handler(&self, k: RightKind) -> Option<&Sp<RightHandler>> {
        self.decl.value.handler(k)
    }
    /// Whether the handler of `k` reaches dataset `d` (false when there is no handler).
    pub fn reaches(&self, k: RightKind, d: usize) -> bool {
        self.handler(k).is_some() && self.reach.get(&k).is_none_or(|ds| ds.contains(&d))
    }
}

#[derive(Clone, Debug)]
pub struct SuppressionR {
    pub decl: Sp<Suppression>,
}

/// Facts derived from the model that many rules need, computed on first use
/// (`rules::facts`). The model does not change after resolution, so they never go stale.
#[derive(Debug, Default)]
pub struct ModelCache {
    /// `rules::facts::dataset_purposes`.
    pub dataset_purposes: std::sync::OnceLock<Vec<Vec<usize>>>,
    /// `rules::facts::purpose_subjects`.
    pub purpose_subjects: std::sync::OnceLock<Vec<Vec<usize>>>,
    /// `rules::facts::personal_categories`, for every dataset.
    pub personal_categories: std::sync::OnceLock<Vec<Vec<CatId>>>,
    /// `rules::facts::purpose_datasets`.
    pub purpose_datasets: std::sync::OnceLock<Vec<Vec<usize>>>,
    /// `rules::facts::flows_by_purpose`.
    pub flows_by_purpose: std::sync::OnceLock<Vec<Vec<usize>>>,
    /// `rules::facts::roles_by_purpose`.
    pub roles_by_purpose: std::sync::OnceLock<Vec<Vec<usize>>>,
    /// Indices of the roles sorted by database role, then id (`emit::grants::managed_roles`).
    pub roles_by_db_role: std::sync::OnceLock<Vec<usize>>,
    /// `emit::trace::model_hash`: every generated file carries it, and `build` prints it.
    pub inputs_hash: std::sync::OnceLock<String>,
}

/// A whole project, resolved.
#[derive(Debug)]
pub struct Model {
    pub sources: SourceMap,
    pub taxonomy: Taxonomy,
    pub organization: Option<Sp<Organization>>,
    pub regimes: Vec<RegimeScope>,
    pub subjects: Vec<SubjectR>,
    pub purposes: Vec<PurposeR>,
    pub consents: Vec<ConsentR>,
    pub systems: Vec<SystemR>,
    pub datasets: Vec<DatasetR>,
    pub recipients: Vec<RecipientR>,
    pub flows: Vec<FlowR>,
    pub roles: Vec<RoleR>,
    /// The datasets declared as consent logs.
    pub consent_logs: Vec<ConsentLogR>,
    pub suppressions: Vec<SuppressionR>,
    /// Severity overrides from the `rules:` section, by rule id (upper case).
    pub rule_levels: std::collections::BTreeMap<String, Sp<RuleLevel>>,
    /// Published notices.
    pub notices: Vec<NoticeR>,
    /// Handlers of data subject requests, when declared.
    pub rights: Option<RightsR>,
    /// DPIAs, PIPIAs, CCPA risk assessments, TIAs and LIAs.
    pub assessments: Vec<AssessmentR>,
    /// Organisation policies (`policies:`).
    pub policies: Vec<PolicyR>,
    /// Warnings found while resolving (a policy value that matches nothing): the project
    /// is read, and `lawful check` reports them with its findings.
    pub warnings: Vec<crate::report::Diagnostic>,
    /// Derived facts, computed once on first use.
    pub cache: ModelCache,
}

impl Model {
    /// Whether a regime is in scope.
    pub fn applies(&self, r: RegimeName) -> bool {
        self.regimes.iter().any(|s| s.regime == r && s.applies)
    }

    /// Id of a node, for messages.
    pub fn node_id(&self, n: NodeRef) -> &str {
        match n {
            NodeRef::Subject(i) => &self.subjects[i].id.value,
            NodeRef::Dataset(i) => &self.datasets[i].id.value,
            NodeRef::System(i) => &self.systems[i].id.value,
            NodeRef::Recipient(i) => &self.recipients[i].id.value,
        }
    }

    /// Span of a node's id.
    pub fn node_span(&self, n: NodeRef) -> Span {
        match n {
            NodeRef::Subject(i) => self.subjects[i].id.span,
            NodeRef::Dataset(i) => self.datasets[i].id.span,
            NodeRef::System(i) => self.systems[i].id.span,
            NodeRef::Recipient(i) => self.recipients[i].id.span,
        }
    }

    /// Country of a node, where declared. Subjects have none (they may live anywhere).
    pub fn node_country(&self, n: NodeRef) -> Option<&crate::manifest::Country> {
        match n {
            NodeRef::Subject(_) => None,
            NodeRef::Dataset(i) => self.datasets[i].country(self).map(|c| &c.value),
            NodeRef::System(i) => self.systems[i].decl.country.as_ref().map(|c| &c.value),
            NodeRef::Recipient(i) => self.recipients[i].decl.country.as_ref().map(|c| &c.value),
        }
    }

    /// The GDPR basis of a purpose, if declared.
    pub fn gdpr_basis(&self, p: usize) -> Option<GdprBasis> {
        self.purposes[p]
            .decl
            .legal_basis
            .gdpr
            .as_ref()
            .map(|b| b.value)
    }

    /// The PIPL basis of a purpose, if declared.
    pub fn pipl_basis(&self, p: usize) -> Option<PiplBasis> {
        self.purposes[p]
            .decl
            .legal_basis
            .pipl
            .as_ref()
            .map(|b| b.value)
    }

    /// The policy whose findings carry this rule id (`POLICY-<id>`, the prefix in any
    /// case), if declared.
    pub fn policy_by_code(&self, code: &str) -> Option<&PolicyR> {
        let id = strip_policy_prefix(code)?;
        self.policies.iter().find(|p| p.id.value == id)
    }

    /// Whether any of `cats` is within any category a purpose declares.
    pub fn purpose_covers(&self, p: usize, cat: CatId) -> bool {
        self.purposes[p]
            .categories
            .iter()
            .any(|c| self.taxonomy.is_within(cat, c.cat))
    }
}

/// The policy id of a rule id `POLICY-<id>` (prefix matched in any case).
pub fn strip_policy_prefix(code: &str) -> Option<&str> {
    let n = POLICY_PREFIX.len();
    (code.len() > n && code.is_char_boundary(n) && code[..n].eq_ignore_ascii_case(POLICY_PREFIX))
        .then(|| &code[n..])
}
