//! Merge documents and resolve references.

use std::borrow::Borrow;
use std::hash::Hash;

use foldhash::{HashMap, HashMapExt, HashSet, HashSetExt};
use rayon::prelude::*;

use crate::manifest::loader::Loaded;
use crate::manifest::types::*;
use crate::manifest::yaml::{Sp, Span};
use crate::model::*;
use crate::report::{Diagnostic, Failure};
use crate::taxonomy::{Category, Taxonomy};

/// Resolve a loaded project into a [`Model`].
///
/// Errors (all reported together, each at its place): an id declared twice (at both
/// places), an id with spaces or backslashes, a reference to an unknown id or category
/// (with a suggestion), a second `organization`, a category extension whose parent is
/// unknown, a retention anchor or subject key that is not a field of its dataset.
pub fn resolve(loaded: Loaded) -> Result<Model, Failure> {
    let Loaded { sources, documents } = loaded;
    let mut r = Resolver::default();
    let mut taxonomy = Taxonomy::builtin();

    let mut organization: Option<Sp<Organization>> = None;
    let mut regimes_decl: Option<Sp<Vec<Sp<RegimeName>>>> = None;
    // Each section gathers the declarations of every file, in file order, into a list sized
    // once: a large project declares tens of thousands of flows and datasets.
    let total =
        |len: fn(&Document) -> usize| -> usize { documents.iter().map(|(_, doc)| len(doc)).sum() };
    let mut categories = Vec::with_capacity(total(|d| d.categories.0.len()));
    let mut subjects = Vec::with_capacity(total(|d| d.subjects.0.len()));
    let mut purposes = Vec::with_capacity(total(|d| d.purposes.0.len()));
    let mut consents = Vec::with_capacity(total(|d| d.consents.0.len()));
    let mut systems = Vec::with_capacity(total(|d| d.systems.0.len()));
    let mut datasets = Vec::with_capacity(total(|d| d.datasets.0.len()));
    let mut recipients = Vec::with_capacity(total(|d| d.recipients.0.len()));
    let mut flows = Vec::with_capacity(total(|d| d.flows.len()));
    let mut roles = Vec::with_capacity(total(|d| d.roles.0.len()));
    let mut suppressions = Vec::with_capacity(total(|d| d.suppressions.len()));
    let mut rule_levels: Vec<(Sp<String>, Sp<RuleLevel>)> =
        Vec::with_capacity(total(|d| d.rules.0.len()));
    let mut notices = Vec::with_capacity(total(|d| d.notices.0.len()));
    let mut assessments = Vec::with_capacity(total(|d| d.assessments.0.len()));
    let mut rights_decl: Option<Sp<Rights>> = None;
    let mut policies = Vec::with_capacity(total(|d| d.policies.0.len()));

    for (_, doc) in documents {
        if let Some(v) = &doc.version
            && v.value != 1
        {
            r.errors.push(
                Diagnostic::error(
                    "resolve::version",
                    format!("manifest version {} is not supported", v.value),
                )
                .at(v.span, "unsupported version")
                .with_help("this lawful reads version 1 of the manifest language: write `version: 1`, or upgrade lawful"),
            );
        }
        if let Some(o) = doc.organization {
            if let Some(prev) = &organization {
                r.errors.push(
                    Diagnostic::error("resolve::duplicate-id", "`organization` is declared twice")
                        .at(o.span, "second declaration")
                        .with_secondary(prev.span, "first declared here")
                        .with_help("declare the organization once, in lawful.yaml"),
                );
            } else {
                organization = Some(*o);
            }
        }
        if let Some(rg) = doc.regimes {
            if let Some(prev) = &regimes_decl {
                r.errors.push(
                    Diagnostic::error("resolve::duplicate-id", "`regimes` is declared twice")
                        .at(rg.span, "second declaration")
                        .with_secondary(prev.span, "first declared here"),
                );
            } else {
                regimes_decl = Some(rg);
            }
        }
        if let Some(rt) = doc.rights {
            if let Some(prev) = &rights_decl {
                r.errors.push(
                    Diagnostic::error("resolve::duplicate-id", "`rights` is declared twice")
                        .at(rt.span, "second declaration")
                        .with_secondary(prev.span, "first declared here")
                        .with_help("declare the rights handlers once, in one file"),
                );
            } else {
                rights_decl = Some(*rt);
            }
        }
        notices.extend(doc.notices.0);
        assessments.extend(doc.assessments.0);
        categories.extend(doc.categories.0);
        subjects.extend(doc.subjects.0);
        purposes.extend(doc.purposes.0);
        consents.extend(doc.consents.0);
        systems.extend(doc.systems.0);
        datasets.extend(doc.datasets.0);
        recipients.extend(doc.recipients.0);
        flows.extend(doc.flows);
        roles.extend(doc.roles.0);
        suppressions.extend(doc.suppressions);
        rule_levels.extend(doc.rules.0);
        policies.extend(doc.policies.0);
    }

    // Category extensions, parents first (sorted by depth, then file order).
    categories.sort_by_key(|(k, _)| k.value.matches('.').count());
    for (id, decl) in categories {
        r.check_id(&id, "category", true);
        if let Some(existing) = taxonomy.get(&id.value) {
            let c = taxonomy.cat(existing);
            let mut d = Diagnostic::error(
                "resolve::duplicate-id",
                format!("category `{}` is declared twice", id.value),
            )
            .at(id.span, "declared again here");
            if c.span.is_none() {
                d = d.with_help("it is a built-in category (`lawful taxonomy` lists them); extend it with a child such as `{id}.custom`".replace("{id}", &id.value));
            } else {
                d = d.with_secondary(c.span, "first declared here");
            }
            r.errors.push(d);
            continue;
        }
        let parent = match id.value.rsplit_once('.') {
            Some((p, _)) => match taxonomy.get(p) {
                Some(pid) => Some(pid),
                None => {
                    let mut d = Diagnostic::error(
                        "resolve::unknown-category",
                        format!(
                            "category `{}` extends `{p}`, which does not exist",
                            id.value
                        ),
                    )
                    .at(id.span, "unknown parent");
                    if let Some(s) = taxonomy.suggest(p) {
                        d = d.with_help(format!("did you mean `{s}`?"));
                    }
                    r.errors.push(d);
                    continue;
                }
            },
            None => None,
        };
        let p = parent.map(|p| taxonomy.cat(p).clone());
        if let Some(parent) = &p
            && let Some(weaker) = weaker_than_parent(&decl, parent)
        {
            r.errors.push(
                Diagnostic::error(
                    "resolve::weaker-category",
                    format!(
                        "category `{}` declares `{weaker}` less sensitive than its parent `{}`",
                        id.value, parent.id
                    ),
                )
                .at(id.span, "less sensitive than its parent")
                .with_secondary(parent.span, "parent declared here")
                .with_help(format!(
                    "a narrower category is at least as sensitive as the one it narrows: drop `{weaker}` to keep the parent's value, or extend a less sensitive parent"
                )),
            );
            continue;
        }
        let personal = decl
            .personal
            .or(p.as_ref().map(|p| p.personal))
            .unwrap_or(true);
        taxonomy.push(Category {
            id: id.value.clone(),
            parent,
            label: decl.label.clone(),
            dpv: None,
            personal,
            gdpr_art9: decl.gdpr_art9,
            gdpr_art10: decl.gdpr_art10,
            pipl_sensitive: decl.pipl_sensitive,
            ccpa_category: decl.ccpa_category,
            ccpa_spi: decl.ccpa_spi,
            span: id.span,
            ancestors: Vec::new(),
        });
    }

    let subjects: Vec<SubjectR> = r.unique(subjects, "subject", |id, decl| SubjectR { id, decl });
    let systems: Vec<SystemR> = r.unique(systems, "system", |id, decl| SystemR { id, decl });
    let recipients: Vec<RecipientR> =
        r.unique(recipients, "recipient", |id, decl| RecipientR { id, decl });
    let purpose_pairs = r.unique(purposes, "purpose", |id, decl| (id, decl));
    let consent_pairs = r.unique(consents, "consent", |id, decl| (id, decl));
    let dataset_pairs = r.unique(datasets, "dataset", |id, decl| (id, decl));
    let role_pairs = r.unique(roles, "role", |id, decl| (id, decl));

    let subject_ix = index(subjects.iter().map(|s| &s.id));
    let system_ix = index(systems.iter().map(|s| &s.id));
    let recipient_ix = index(recipients.iter().map(|s| &s.id));
    let purpose_ix = index(purpose_pairs.iter().map(|p| &p.0));
    let consent_ix = index(consent_pairs.iter().map(|p| &p.0));
    let dataset_ix = index(dataset_pairs.iter().map(|p| &p.0));

    // Node ids share one namespace in flows: refuse ambiguity.
    let mut node_names: HashMap<&str, (Span, &str)> = HashMap::new();
    for (kind, list) in [
        (
            "subject",
            subjects.iter().map(|s| &s.id).collect::<Vec<_>>(),
        ),
        ("dataset", dataset_pairs.iter().map(|p| &p.0).collect()),
        ("system", systems.iter().map(|s| &s.id).collect()),
        ("recipient", recipients.iter().map(|s| &s.id).collect()),
    ] {
        for id in list {
            if let Some((span, k)) = node_names.get(id.value.as_str()) {
                r.errors.push(
                    Diagnostic::error(
                        "resolve::duplicate-id",
                        format!(
                            "`{}` is both a {k} and a {kind}: flows could not tell them apart",
                            id.value
                        ),
                    )
                    .at(id.span, format!("{kind} declared here"))
                    .with_secondary(*span, format!("{k} declared here"))
                    .with_help("rename one of them"),
                );
            } else {
                node_names.insert(&id.value, (id.span, kind));
            }
        }
    }

    // Purposes, consents, datasets, flows and roles resolve each on its own, in parallel
    // (`Resolver::each`): their problems join the others in declaration order.
    let purposes: Vec<PurposeR> = r.each(purpose_pairs.into_par_iter(), |r, (id, decl)| {
        let categories = r.cats(&taxonomy, &decl.categories);
        let consent = decl
            .consent
            .as_ref()
            .and_then(|c| r.lookup(&consent_ix, c, "consent"));
        if let Some(fi) = &decl.financial_incentive
            && let Some(c) = &fi.consent
        {
            r.lookup(&consent_ix, c, "consent");
        }
        let datasets = decl
            .datasets
            .as_ref()
            .map(|d| r.lookups(&dataset_ix, &d.value, "dataset"));
        let subjects = r.lookups(&subject_ix, &decl.subjects, "subject");
        if let Some(u) = &decl.data_use {
            if u.value.trim().is_empty() {
                r.errors.push(
                    Diagnostic::error("resolve::blank-value", "`data_use` is blank")
                        .at(u.span, "blank")
                        .with_help("give the kind of use as a dotted key (`marketing.advertising`), or leave `data_use` out to use the purpose's id"),
                );
            } else {
                r.check_id(u, "data use", true);
            }
        }
        PurposeR {
            id,
            decl,
            categories,
            consent,
            datasets,
            subjects,
        }
    });

    let consents: Vec<ConsentR> = r.each(consent_pairs.into_par_iter(), |r, (id, decl)| {
        let purposes = r.lookups(&purpose_ix, &decl.purposes, "purpose");
        let recipients = r.lookups(&recipient_ix, &decl.recipients, "recipient");
        r.cats(&taxonomy, &decl.categories);
        if let Some(rs) = &decl.record_store {
            r.lookup(&dataset_ix, rs, "dataset");
        }
        ConsentR {
            id,
            decl,
            purposes,
            recipients,
        }
    });

    // Datasets are the largest section by far.
    let datasets: Vec<DatasetR> = r.each(dataset_pairs.into_par_iter(), |r, (id, mut decl)| {
        let system = decl
            .system
            .as_ref()
            .and_then(|s| r.lookup(&system_ix, s, "system"));
        let subjects_r = r.lookups(&subject_ix, &decl.subjects, "subject");
        r.lookups(&purpose_ix, &decl.collected_for, "purpose");
        let default_cats = r.cats(&taxonomy, &decl.categories);
        let declared = std::mem::take(&mut decl.value.fields).0;
        // Whether a field names the same column as an earlier one (looked up among the
        // fields before it only then: a dataset can have thousands of fields).
        let repeated: Vec<bool> = {
            let mut columns = HashSet::with_capacity(declared.len());
            declared
                .iter()
                .map(|(name, f)| {
                    let column = f.column.as_ref().map(|c| &c.value).unwrap_or(&name.value);
                    !columns.insert(column.as_str())
                })
                .collect()
        };
        // Sized once: a large project has hundreds of thousands of fields.
        let mut fields: Vec<FieldR> = Vec::with_capacity(declared.len());
        // Each field's declaration moves into its `FieldR`: the dataset's own
        // declaration keeps no second copy of them.
        for ((name, mut f), repeated) in declared.into_iter().zip(repeated) {
            r.check_field_name(&name);
            let column_name = f.column.as_ref().map(|c| &c.value).unwrap_or(&name.value);
            let earlier = if repeated {
                fields.iter().find(|o| &o.column == column_name)
            } else {
                None
            };
            if let Some(other) = earlier {
                r.errors.push(
                    Diagnostic::error(
                        "resolve::duplicate-column",
                        format!(
                            "fields `{}` and `{}` of dataset `{}` both name the column `{column_name}`",
                            other.name.value, name.value, id.value
                        ),
                    )
                    .at(f.column.as_ref().map(|c| c.span).unwrap_or(name.span), "same column again")
                    .with_secondary(other.name.span, "first field for this column")
                    .with_help("declare each column once: merge the two fields"),
                );
                continue;
            }
            // The names go once resolved: `FieldR::categories` holds them, with their places.
            let (categories, inherited) = match f.value.categories.take() {
                Some(c) => (r.cats(&taxonomy, &c.value), false),
                None => (default_cats.clone(), true),
            };
            let column = f
                .column
                .as_ref()
                .map(|c| c.value.clone())
                .unwrap_or_else(|| name.value.clone());
            fields.push(FieldR {
                name,
                decl: f,
                column,
                categories,
                inherited,
            });
        }
        let find_field = |r: &mut Resolver, name: &Sp<String>, what: &str| {
            let pos = fields.iter().position(|f| f.name.value == name.value);
            if pos.is_none() {
                let mut d = Diagnostic::error(
                    "resolve::unknown-field",
                    format!(
                        "{what} `{}` is not a field of dataset `{}`",
                        name.value, id.value
                    ),
                )
                .at(name.span, "not a declared field");
                if let Some(s) = crate::suggest::closest(
                    &name.value,
                    fields.iter().map(|f| f.name.value.as_str()),
                ) {
                    d = d.with_help(format!("did you mean `{s}`?"));
                } else {
                    d = d.with_help(format!("declare `{}` under `fields:`", name.value));
                }
                r.errors.push(d);
            }
            pos
        };
        let anchor = decl
            .retention
            .as_ref()
            .and_then(|ret| find_field(r, &ret.after, "retention anchor"));
        let subject_key = decl
            .subject_key
            .as_ref()
            .and_then(|k| find_field(r, k, "subject key"));
        DatasetR {
            id,
            decl,
            system,
            subjects: subjects_r,
            fields,
            anchor,
            subject_key,
        }
    });

    let node = |r: &mut Resolver, name: &Sp<String>, allow_subject: bool| -> Option<NodeRef> {
        if let Some(&i) = dataset_ix.get(&name.value) {
            return Some(NodeRef::Dataset(i));
        }
        if let Some(&i) = system_ix.get(&name.value) {
            return Some(NodeRef::System(i));
        }
        if let Some(&i) = recipient_ix.get(&name.value) {
            return Some(NodeRef::Recipient(i));
        }
        if let Some(&i) = subject_ix.get(&name.value) {
            if allow_subject {
                return Some(NodeRef::Subject(i));
            }
            r.errors.push(
                Diagnostic::error(
                    "resolve::bad-reference",
                    format!("a flow cannot go to the data subject `{}`", name.value),
                )
                .at(name.span, "a subject kind")
                .with_help("flows go from subjects to datasets, systems or recipients"),
            );
            return None;
        }
        let all = dataset_ix
            .keys()
            .chain(system_ix.keys())
            .chain(recipient_ix.keys())
            .chain(subject_ix.keys())
            .map(String::as_str);
        let mut d = Diagnostic::error(
            "resolve::unknown-reference",
            format!(
                "unknown node `{}`: not a declared dataset, system, recipient or subject",
                name.value
            ),
        )
        .at(name.span, "unknown id");
        if let Some(s) = crate::suggest::closest(&name.value, all) {
            d = d.with_help(format!("did you mean `{s}`?"));
        }
        r.errors.push(d);
        None
    };

    // For a flow that declares an id an earlier flow declared, where the earlier one did:
    // reported first of the flow's problems, but the flow still resolves.
    let first_declared: Vec<Option<Span>> = {
        let mut flow_ids: HashMap<&str, Span> = HashMap::with_capacity(flows.len());
        flows
            .iter()
            .map(|f| {
                let id = f.id.as_ref()?;
                let first = flow_ids.get(id.value.as_str()).copied();
                if first.is_none() {
                    flow_ids.insert(&id.value, id.span);
                }
                first
            })
            .collect()
    };
    let resolved = r.each(flows.par_iter().zip(first_declared), |r, (f, first)| {
        if let (Some(id), Some(first)) = (&f.id, first) {
            r.errors.push(
                Diagnostic::error(
                    "resolve::duplicate-id",
                    format!("flow `{}` is declared twice", id.value),
                )
                .at(id.span, "declared again here")
                .with_secondary(first, "first declared here")
                .with_help("flow ids must be unique across all files of the project"),
            );
        }
        let from = node(r, &f.from, true);
        let to = node(r, &f.to, false);
        let categories = f.categories.as_ref().map(|c| r.cats(&taxonomy, &c.value));
        let purposes = r.lookups(&purpose_ix, &f.purposes, "purpose");
        if let Some(id) = &f.id {
            r.check_id(id, "flow", false);
        }
        Some((from?, to?, categories, purposes))
    });
    // Flows whose ends resolved; each declaration moves into its `FlowR`.
    let mut flows_r = Vec::with_capacity(flows.len());
    flows_r.extend(
        flows
            .into_iter()
            .zip(resolved)
            .filter_map(|(decl, resolved)| {
                let (from, to, categories, purposes) = resolved?;
                Some(FlowR {
                    decl,
                    from,
                    to,
                    categories,
                    purposes,
                })
            }),
    );

    let flow_ix: HashMap<&str, usize> = flows_r
        .iter()
        .enumerate()
        .filter_map(|(i, f)| f.decl.id.as_ref().map(|id| (id.value.as_str(), i)))
        .collect();

    let notices: Vec<NoticeR> = r
        .unique(notices, "notice", |id, decl| (id, decl))
        .into_iter()
        .map(|(id, decl)| {
            let subjects = r.lookups(&subject_ix, &decl.subjects, "subject");
            let datasets = r.lookups(&dataset_ix, &decl.datasets, "dataset");
            r.check_id(&id, "notice", false);
            NoticeR {
                id,
                decl,
                subjects,
                datasets,
            }
        })
        .collect();

    let assessments: Vec<AssessmentR> = r
        .unique(assessments, "assessment", |id, decl| (id, decl))
        .into_iter()
        .map(|(id, decl)| {
            let purposes = r.lookups(&purpose_ix, &decl.purposes, "purpose");
            let flows = r.lookups(&flow_ix, &decl.flows, "flow");
            r.check_id(&id, "assessment", false);
            if let (Some(done), Some(review)) = (&decl.done_on, &decl.review_by)
                && review.value < done.value
            {
                r.errors.push(
                    Diagnostic::error(
                        "resolve::assessment-dates",
                        format!(
                            "assessment `{}` is due for review on {}, before it was done on {}",
                            id.value, review.value, done.value
                        ),
                    )
                    .at(review.span, "before `done_on`")
                    .with_secondary(done.span, "done on this day")
                    .with_help("`review_by` is the day the next review is due, after `done_on`; check both dates"),
                );
            }
            AssessmentR {
                id,
                decl,
                purposes,
                flows,
            }
        })
        .collect();

    let rights = rights_decl.map(|decl| {
        let mut reach = std::collections::BTreeMap::new();
        for (kind, h) in decl.value.handlers() {
            if let Some(ds) = &h.datasets {
                reach.insert(kind, r.lookups(&dataset_ix, &ds.value, "dataset"));
            }
        }
        RightsR { decl, reach }
    });

    let roles: Vec<RoleR> = r.each(role_pairs.into_par_iter(), |r, (id, decl)| {
        let purposes = r.lookups(&purpose_ix, &decl.purposes, "purpose");
        let datasets_r = r.lookups(&dataset_ix, &decl.datasets, "dataset");
        let db_role = decl
            .db_role
            .as_ref()
            .map(|d| d.value.clone())
            .unwrap_or_else(|| id.value.clone());
        let masked = r.cats(&taxonomy, &decl.masked);
        RoleR {
            id,
            decl,
            db_role,
            purposes,
            datasets: datasets_r,
            masked,
        }
    });
    let role_ix = index(roles.iter().map(|x| &x.id));
    let consent_logs: Vec<ConsentLogR> = datasets
        .iter()
        .enumerate()
        .filter_map(|(i, d)| {
            let log = d.decl.consent_log.as_ref()?;
            Some(ConsentLogR {
                dataset: i,
                writers: r.lookups(&role_ix, &log.writers, "role"),
                readers: r.lookups(&role_ix, &log.readers, "role"),
            })
        })
        .collect();

    let (policies, policy_warnings) =
        resolve_policies(&mut r, policies, &taxonomy, &purposes, &subjects);

    let mut levels: std::collections::BTreeMap<String, Sp<RuleLevel>> = Default::default();
    let mut level_spans: HashMap<String, Span> = HashMap::new();
    for (id, level) in rule_levels {
        if crate::model::strip_policy_prefix(&id.value).is_some() {
            if let Some(code) = policy_code(&mut r, &policies, &id) {
                if let Some(first) = level_spans.get(&code) {
                    r.errors.push(
                        Diagnostic::error(
                            "resolve::duplicate-id",
                            format!("the severity of {code} is set twice"),
                        )
                        .at(id.span, "set again here")
                        .with_secondary(*first, "first set here"),
                    );
                } else {
                    level_spans.insert(code.clone(), id.span);
                    levels.insert(code, level);
                }
            }
            continue;
        }
        match crate::rules::find(&id.value) {
            None => {
                let mut d = Diagnostic::error(
                    "resolve::unknown-rule",
                    format!("unknown rule `{}`", id.value),
                )
                .at(id.span, "no rule has this id");
                d = match crate::suggest::closest(&id.value, crate::rules::every().map(|r| r.id)) {
                    Some(s) => {
                        d.with_help(format!("did you mean `{s}`? (`lawful rules` lists them)"))
                    }
                    None => d.with_help("`lawful rules` lists every rule id"),
                };
                r.errors.push(d);
            }
            Some(rule) => {
                if let Some(first) = level_spans.get(rule.id) {
                    r.errors.push(
                        Diagnostic::error(
                            "resolve::duplicate-id",
                            format!("the severity of {} is set twice", rule.id),
                        )
                        .at(id.span, "set again here")
                        .with_secondary(*first, "first set here"),
                    );
                } else {
                    level_spans.insert(rule.id.to_string(), id.span);
                    levels.insert(rule.id.to_string(), level);
                }
            }
        }
    }

    for sup in &suppressions {
        let rule = &sup.rule;
        if crate::model::strip_policy_prefix(&rule.value).is_some() {
            policy_code(&mut r, &policies, rule);
        } else if crate::rules::find(&rule.value).is_none() {
            let mut d = Diagnostic::error(
                "resolve::unknown-rule",
                format!("unknown rule `{}`", rule.value),
            )
            .at(rule.span, "no rule has this id");
            d = match crate::suggest::closest(&rule.value, crate::rules::every().map(|r| r.id)) {
                Some(s) => d.with_help(format!("did you mean `{s}`? (`lawful rules` lists them)")),
                None => d.with_help("`lawful rules` lists every rule id"),
            };
            r.errors.push(d);
        }
        if sup.reason.value.trim().is_empty() {
            r.errors.push(
                Diagnostic::error("resolve::empty-reason", "a suppression needs a reason")
                    .at(sup.reason.span, "empty reason")
                    .with_help("say why the finding is accepted, so a reviewer can judge it"),
            );
        }
    }

    let regimes = derive_regimes(organization.as_ref(), regimes_decl.as_ref(), &subjects)
        .into_iter()
        .map(|s| {
            if s.regime == RegimeName::Ccpa && regimes_decl.is_none() {
                ccpa_thresholds(organization.as_ref(), s)
            } else {
                s
            }
        })
        .collect();

    if !r.errors.is_empty() {
        r.errors.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
        return Err(Failure {
            sources,
            diagnostics: r.errors,
        });
    }

    Ok(Model {
        cache: Default::default(),
        sources,
        taxonomy,
        organization,
        regimes,
        subjects,
        purposes,
        consents,
        systems,
        datasets,
        recipients,
        flows: flows_r,
        roles,
        consent_logs,
        suppressions: suppressions
            .into_iter()
            .map(|decl| SuppressionR { decl })
            .collect(),
        rule_levels: levels,
        notices,
        rights,
        assessments,
        policies,
        warnings: policy_warnings,
    })
}

/// The rule id `POLICY-<id>` of a declared policy named by `name` (the prefix in any
/// case); an error with a suggestion when no policy has that id.
fn policy_code(r: &mut Resolver, policies: &[PolicyR], name: &Sp<String>) -> Option<String> {
    let id = crate::model::strip_policy_prefix(&name.value)?;
    if let Some(p) = policies.iter().find(|p| p.id.value == id) {
        return Some(p.code());
    }
    let mut d = Diagnostic::error(
        "resolve::unknown-rule",
        format!("unknown policy `{id}` in rule id `{}`", name.value),
    )
    .at(name.span, "no policy has this id");
    d = match crate::suggest::closest(id, policies.iter().map(|p| p.id.value.as_str())) {
        Some(s) => d.with_help(format!(
            "did you mean `{}{s}`?",
            crate::model::POLICY_PREFIX
        )),
        None => d.with_help(
            "policy findings read `POLICY-<policy id>`, with the id as declared under `policies:`",
        ),
    };
    r.errors.push(d);
    None
}

/// Resolve `policies:`: ids checked and unique, every rule giving at least one dimension
/// with at least one value, category values in the taxonomy (`personal` stands for every
/// personal category). Purpose and subject values that match no purpose's use (or one of
/// its dotted ancestors) and no subject come back as warnings: such a value is not wrong,
/// but it is likely a typo or a leftover.
fn resolve_policies(
    r: &mut Resolver,
    policies: Vec<(Sp<String>, Sp<Policy>)>,
    taxonomy: &Taxonomy,
    purposes: &[PurposeR],
    subjects: &[SubjectR],
) -> (Vec<PolicyR>, Vec<Diagnostic>) {
    use std::collections::BTreeSet;
    let prefixes = |key: &str| -> Vec<String> {
        let mut out = vec![key.to_string()];
        let mut k = key;
        while let Some((parent, _)) = k.rsplit_once('.') {
            out.push(parent.to_string());
            k = parent;
        }
        out
    };
    let uses: BTreeSet<String> = purposes
        .iter()
        .flat_map(|p| prefixes(p.use_key()))
        .collect();
    let subject_keys: BTreeSet<String> = subjects
        .iter()
        .flat_map(|s| prefixes(&s.id.value))
        .collect();
    let mut warnings = Vec::new();
    let mut unused = |v: &Sp<String>, known: &BTreeSet<String>, what: &str, hint: &str| {
        if known.contains(&v.value) {
            return;
        }
        let mut d = Diagnostic::new(
            "resolve::policy-matches-nothing",
            crate::report::Severity::Warning,
            format!("policy value `{}` matches nothing: {hint}", v.value),
        )
        .at(v.span, format!("no {what} is or is below this"));
        d = match crate::suggest::closest(&v.value, known.iter().map(String::as_str)) {
            Some(s) => d.with_help(format!("did you mean `{s}`?")),
            None => d.with_help("check the spelling, or remove the value"),
        };
        warnings.push(d);
    };
    let out = r
        .unique(policies, "policy", |id, decl| (id, decl))
        .into_iter()
        .map(|(id, decl)| {
            let mut rules = Vec::new();
            for (rid, rule) in decl.rules.iter() {
                r.check_id(rid, "policy rule", false);
                let dims = [&rule.categories, &rule.purposes, &rule.subjects];
                if dims.iter().all(|d| d.is_none()) {
                    r.errors.push(
                        Diagnostic::error(
                            "resolve::policy-rule-empty",
                            format!(
                                "rule `{}` of policy `{}` gives no dimension: it would match every purpose",
                                rid.value, id.value
                            ),
                        )
                        .at(rid.span, "no `categories`, `purposes` or `subjects`")
                        .with_help("say what the rule forbids with at least one of `categories:`, `purposes:` and `subjects:`, each `{ matches: any, values: [...] }`"),
                    );
                }
                for (name, dim) in [
                    ("categories", &rule.categories),
                    ("purposes", &rule.purposes),
                    ("subjects", &rule.subjects),
                ] {
                    if let Some(d) = dim
                        && d.values.is_empty()
                    {
                        r.errors.push(
                            Diagnostic::error(
                                "resolve::policy-values-empty",
                                format!(
                                    "`{name}` of rule `{}` in policy `{}` has no values",
                                    rid.value, id.value
                                ),
                            )
                            .at(d.span, "`values: []`")
                            .with_help(format!(
                                "list the {name} the rule matches, or leave `{name}` out to match every purpose"
                            )),
                        );
                    }
                }
                let categories = rule.categories.as_ref().map(|d| {
                    let mut res = PolicyCategoriesR {
                        cats: Vec::new(),
                        personal: false,
                    };
                    for v in &d.values {
                        // `personal` is the root above every personal category, also when
                        // the project declares a category of that name (an import does, for
                        // fields Fides files only under `user`).
                        if v.value == "personal" {
                            res.personal = true;
                            res.cats.extend(taxonomy.get(&v.value));
                        } else if let Some(c) = taxonomy.get(&v.value) {
                            res.cats.push(c);
                        } else {
                            let names = taxonomy
                                .categories
                                .iter()
                                .map(|c| c.id.as_str())
                                .chain(["personal"]);
                            let mut e = Diagnostic::error(
                                "resolve::unknown-category",
                                format!("unknown data category `{}`", v.value),
                            )
                            .at(v.span, "not in the taxonomy");
                            e = match crate::suggest::closest(&v.value, names) {
                                Some(s) => e.with_help(format!(
                                    "did you mean `{s}`? (`lawful taxonomy` lists every category; `personal` stands for all personal ones)"
                                )),
                                None => e.with_help(
                                    "`lawful taxonomy` lists every category; `personal` stands for all personal ones; declare new ones under `categories:`",
                                ),
                            };
                            r.errors.push(e);
                        }
                    }
                    res
                });
                if let Some(d) = &rule.purposes {
                    for v in &d.values {
                        unused(v, &uses, "purpose", "no purpose has this use, nor one below it (a purpose's use is its `data_use`, else its id)");
                    }
                }
                if let Some(d) = &rule.subjects {
                    for v in &d.values {
                        unused(v, &subject_keys, "subject", "no data subject has this id");
                    }
                }
                rules.push(PolicyRuleR {
                    id: rid.clone(),
                    decl: rule.clone(),
                    categories,
                });
            }
            PolicyR { id, decl, rules }
        })
        .collect();
    (out, warnings)
}

/// An id as the user wrote it, with only control characters escaped (a backslash stays one
/// backslash, as in the file).
pub fn shown(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_debug().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Where each id stands in its list. Only looked up (suggestions, which go through every
/// id, break ties alphabetically), so the order of its keys never shows.
fn index<'a>(ids: impl ExactSizeIterator<Item = &'a Sp<String>>) -> HashMap<String, usize> {
    let mut ix = HashMap::with_capacity(ids.len());
    ix.extend(ids.enumerate().map(|(i, id)| (id.value.clone(), i)));
    ix
}

#[derive(Default)]
struct Resolver {
    errors: Vec<Diagnostic>,
}

impl Resolver {
    fn check_id(&mut self, id: &Sp<String>, kind: &str, dotted: bool) {
        let ok = !id.value.is_empty()
            && id
                .value
                .chars()
                .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || (dotted && c == '.'));
        if !ok {
            self.errors.push(
                Diagnostic::error(
                    "resolve::bad-id",
                    format!("`{}` is not a valid {kind} id", shown(&id.value)),
                )
                .at(id.span, "invalid id")
                .with_help(format!(
                    "ids use letters, digits, `_` and `-`{}: no spaces, backslashes or other punctuation",
                    if dotted { ", with `.` between levels" } else { "" }
                )),
            );
        }
    }

    fn check_field_name(&mut self, name: &Sp<String>) {
        let ok = !name.value.is_empty()
            && !name
                .value
                .chars()
                .any(|c| c.is_control() || c == '\\' || c.is_whitespace());
        if !ok {
            self.errors.push(
                Diagnostic::error(
                    "resolve::bad-id",
                    format!("`{}` is not a valid field name", shown(&name.value)),
                )
                .at(name.span, "invalid field name")
                .with_help("field names cannot contain spaces, backslashes or control characters; name the field simply and give the real column name with `column:`"),
            );
        }
    }

    /// Keep the first declaration of each id; report later ones at both places.
    fn unique<D, T>(
        &mut self,
        mut items: Vec<(Sp<String>, D)>,
        kind: &str,
        mut make: impl FnMut(Sp<String>, D) -> T,
    ) -> Vec<T> {
        // Which declarations to keep, decided on the ids where they are; then the others are
        // dropped and the kept ones become `T`s, without copying the list when it can be
        // reused.
        let keep: Vec<bool> = {
            let mut seen: HashMap<&str, Span> = HashMap::with_capacity(items.len());
            items
                .iter()
                .map(|(id, _)| {
                    self.check_id(id, kind, false);
                    let Some(first) = seen.get(id.value.as_str()) else {
                        seen.insert(&id.value, id.span);
                        return true;
                    };
                    self.errors.push(
                        Diagnostic::error(
                            "resolve::duplicate-id",
                            format!("{kind} `{}` is declared twice", id.value),
                        )
                        .at(id.span, "declared again here")
                        .with_secondary(*first, "first declared here")
                        .with_help("ids must be unique across all files of the project: rename or merge one of them"),
                    );
                    false
                })
                .collect()
        };
        // `retain` visits the items once each, in order.
        let mut keep = keep.into_iter();
        items.retain(|_| keep.next() == Some(true));
        items.into_iter().map(|(id, decl)| make(id, decl)).collect()
    }

    /// Resolve each item on its own, in parallel, each with a resolver of its own; the
    /// items' problems join this resolver's in item order, as if resolved one by one.
    fn each<I, T: Send>(
        &mut self,
        items: impl IndexedParallelIterator<Item = I>,
        resolve: impl Fn(&mut Resolver, I) -> T + Sync + Send,
    ) -> Vec<T> {
        let (out, errors): (Vec<T>, Vec<Vec<Diagnostic>>) = items
            .map(|item| {
                let mut r = Resolver::default();
                let resolved = resolve(&mut r, item);
                (resolved, r.errors)
            })
            .unzip();
        self.errors.extend(errors.into_iter().flatten());
        out
    }

    fn lookup<K: Borrow<str> + Hash + Eq>(
        &mut self,
        ix: &HashMap<K, usize>,
        name: &Sp<String>,
        kind: &str,
    ) -> Option<usize> {
        if let Some(&i) = ix.get(name.value.as_str()) {
            return Some(i);
        }
        let mut d = Diagnostic::error(
            "resolve::unknown-reference",
            format!("unknown {kind} `{}`", name.value),
        )
        .at(name.span, format!("no {kind} has this id"));
        if let Some(s) = crate::suggest::closest(&name.value, ix.keys().map(|k| k.borrow())) {
            d = d.with_help(format!("did you mean `{s}`?"));
        } else {
            d = d.with_help(format!("declare it under `{kind}s:`"));
        }
        self.errors.push(d);
        None
    }

    fn lookups<K: Borrow<str> + Hash + Eq>(
        &mut self,
        ix: &HashMap<K, usize>,
        names: &[Sp<String>],
        kind: &str,
    ) -> Vec<usize> {
        let mut out: Vec<usize> = names
            .iter()
            .filter_map(|n| self.lookup(ix, n, kind))
            .collect();
        out.dedup();
        out
    }

    fn cats(&mut self, t: &Taxonomy, names: &[Sp<String>]) -> Vec<CatRef> {
        let mut out = Vec::with_capacity(names.len());
        for n in names {
            match t.get(&n.value) {
                Some(cat) => out.push(CatRef { cat, span: n.span }),
                None => {
                    let mut d = Diagnostic::error(
                        "resolve::unknown-category",
                        format!("unknown data category `{}`", n.value),
                    )
                    .at(n.span, "not in the taxonomy");
                    d = match t.suggest(&n.value) {
                        Some(s) => d.with_help(format!(
                            "did you mean `{s}`? (`lawful taxonomy` lists every category; extend it under `categories:`)"
                        )),
                        None => d.with_help(
                            "`lawful taxonomy` lists every category; declare new ones under `categories:`",
                        ),
                    };
                    self.errors.push(d);
                }
            }
        }
        out
    }
}

/// Narrow a CCPA scope derived from California facts by the business thresholds of
/// 1798.140(d)(1), when the organisation declares them.
fn ccpa_thresholds(org: Option<&Sp<Organization>>, scope: RegimeScope) -> RegimeScope {
    use crate::rules::ccpa::business_applicability::{CONSUMERS, REVENUE_USD, SHARE_PERCENT};
    let Some(o) = org else { return scope };
    if !scope.applies {
        return scope;
    }
    let facts = [
        o.annual_gross_revenue_usd.as_ref().map(|v| {
            (v.span, v.value >= REVENUE_USD, format!("annual gross revenue of ${} (threshold ${}, 1798.140(d)(1)(A))", grouped(v.value), grouped(REVENUE_USD)))
        }),
        o.ca_consumers_per_year.as_ref().map(|v| {
            (v.span, v.value >= CONSUMERS, format!("{} California consumers or households a year (threshold {}, 1798.140(d)(1)(B))", grouped(v.value), grouped(CONSUMERS)))
        }),
        o.revenue_share_sell_share.as_ref().map(|v| {
            (v.span, v.value >= SHARE_PERCENT, format!("{}% of revenue from selling or sharing (threshold {SHARE_PERCENT}%, 1798.140(d)(1)(C))", v.value))
        }),
    ];
    if let Some((span, _, why)) = facts.iter().flatten().find(|f| f.1) {
        let place = scope
            .reason
            .split(';')
            .next()
            .unwrap_or_default()
            .to_string();
        return RegimeScope {
            reason: format!("{place}; the organisation is a business by its {why}"),
            span: *span,
            ..scope
        };
    }
    let declared: Vec<&String> = facts.iter().flatten().map(|f| &f.2).collect();
    if declared.len() == 3 {
        return RegimeScope {
            applies: false,
            reason: format!(
                "no threshold of 1798.140(d)(1) is met: {}",
                declared
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            span: o
                .annual_gross_revenue_usd
                .as_ref()
                .map(|v| v.span)
                .unwrap_or(scope.span),
            ..scope
        };
    }
    scope
}

fn derive_regimes(
    org: Option<&Sp<Organization>>,
    forced: Option<&Sp<Vec<Sp<RegimeName>>>>,
    subjects: &[SubjectR],
) -> Vec<RegimeScope> {
    RegimeName::ALL
        .iter()
        .map(|&regime| {
            if let Some(f) = forced {
                let on = f.value.iter().find(|r| r.value == regime);
                return RegimeScope {
                    regime,
                    applies: on.is_some(),
                    reason: if on.is_some() {
                        "declared in `regimes:`".into()
                    } else {
                        "not listed in `regimes:`".into()
                    },
                    span: on.map(|s| s.span).unwrap_or(f.span),
                };
            }
            let est = org
                .map(|o| o.establishments.as_slice())
                .unwrap_or_default();
            let (est_hit, est_reason) = match regime {
                RegimeName::Gdpr => (
                    est.iter().find(|c| c.in_eea()),
                    "establishment in {} (GDPR Art 3(1))",
                ),
                RegimeName::Pipl => (
                    est.iter().find(|c| c.is_mainland_china()),
                    "processing in mainland China through the establishment in {} (PIPL Art 3(1))",
                ),
                RegimeName::Ccpa => (
                    est.iter().find(|c| c.is_california()),
                    "doing business in California ({}); the 1798.140(d) thresholds are assumed to be met",
                ),
            };
            if let Some(c) = est_hit {
                return RegimeScope {
                    regime,
                    applies: true,
                    reason: est_reason.replace("{}", c.as_str()),
                    span: c.span,
                };
            }
            // Art 3(2) targeting and monitoring, declared.
            let targeting = org.and_then(|o| match regime {
                RegimeName::Gdpr => declared_true(o.targets_eu.as_ref())
                    .map(|b| (b.span, "the organisation offers goods or services to people in the Union (GDPR Art 3(2)(a))"))
                    .or_else(|| declared_true(o.monitors_eu.as_ref()).map(|b| (b.span, "the organisation monitors the behaviour of people in the Union (GDPR Art 3(2)(b))"))),
                RegimeName::Pipl => declared_true(o.targets_cn.as_ref())
                    .map(|b| (b.span, "the organisation provides products or services to individuals in mainland China (PIPL Art 3(2)(1))"))
                    .or_else(|| declared_true(o.analyses_cn.as_ref()).map(|b| (b.span, "the organisation analyses or assesses the behaviour of individuals in mainland China (PIPL Art 3(2)(2))"))),
                RegimeName::Ccpa => None,
            });
            if let Some((span, reason)) = targeting {
                return RegimeScope {
                    regime,
                    applies: true,
                    reason: reason.into(),
                    span,
                };
            }
            // Both targeting facts declared false: people living there do not bring the
            // regime in.
            let denied = org.and_then(|o| {
                let (a, b) = match regime {
                    RegimeName::Gdpr => (o.targets_eu.as_ref(), o.monitors_eu.as_ref()),
                    RegimeName::Pipl => (o.targets_cn.as_ref(), o.analyses_cn.as_ref()),
                    RegimeName::Ccpa => (None, None),
                };
                match (a, b) {
                    (Some(a), Some(b)) if !a.value && !b.value => Some(a.span),
                    _ => None,
                }
            });
            if let Some(span) = denied {
                return RegimeScope {
                    regime,
                    applies: false,
                    reason: match regime {
                        RegimeName::Gdpr => "no establishment in the EEA, and the organisation declares that it neither offers goods or services to people in the Union nor monitors their behaviour (GDPR Art 3)",
                        _ => "no establishment in mainland China, and the organisation declares that it neither provides products or services to individuals there nor analyses their behaviour (PIPL Art 3)",
                    }
                    .into(),
                    span,
                };
            }
            for s in subjects {
                for place in &s.decl.lives_in {
                    let hit = match regime {
                        RegimeName::Gdpr => place.in_eea(),
                        RegimeName::Pipl => place.is_mainland_china(),
                        RegimeName::Ccpa => place.is_california(),
                    };
                    if hit {
                        let reason = match regime {
                            RegimeName::Gdpr => format!(
                                "data subjects `{}` live in {} (GDPR Art 3(2): offering goods or services to people in the Union is assumed)",
                                s.id.value, place.0
                            ),
                            RegimeName::Pipl => format!(
                                "data subjects `{}` live in mainland China (PIPL Art 3(2): providing products or services to them is assumed)",
                                s.id.value
                            ),
                            RegimeName::Ccpa => format!(
                                "data subjects `{}` are California consumers; the 1798.140(d) thresholds are assumed to be met",
                                s.id.value
                            ),
                        };
                        return RegimeScope {
                            regime,
                            applies: true,
                            reason,
                            span: place.span,
                        };
                    }
                }
            }
            RegimeScope {
                regime,
                applies: false,
                reason: match regime {
                    RegimeName::Gdpr => "no establishment in the EEA and no data subjects living there",
                    RegimeName::Pipl => "no establishment in mainland China and no data subjects living there",
                    RegimeName::Ccpa => "no establishment in California and no California consumers",
                }
                .into(),
                span: Span::NONE,
            }
        })
        .collect()
}

/// A whole number with thousands separators: `26,625,000`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A boolean fact declared `true`.
fn declared_true(v: Option<&Sp<bool>>) -> Option<&Sp<bool>> {
    v.filter(|b| b.value)
}

/// The first regime flag a user category declares weaker than its parent's, if any.
fn weaker_than_parent(decl: &CategoryDecl, parent: &Category) -> Option<&'static str> {
    if decl.gdpr_art9 == Some(GdprArt9::None) && parent.is_gdpr_special() {
        return Some("gdpr_art9: none");
    }
    if decl.gdpr_art10 == Some(false) && parent.is_gdpr_criminal() {
        return Some("gdpr_art10: false");
    }
    if decl.pipl_sensitive == Some(PiplSensitive::None) && parent.is_pipl_sensitive() {
        return Some("pipl_sensitive: none");
    }
    if decl.ccpa_spi == Some(CcpaSpi::None) && parent.is_ccpa_spi() {
        return Some("ccpa_spi: none");
    }
    if decl.personal == Some(false) && parent.personal {
        return Some("personal: false");
    }
    None
}
