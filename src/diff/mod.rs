//! What a change to a project changes in the processing it describes: the difference
//! between two resolved models (purposes, categories, recipients, countries, flows,
//! retention, legal bases and recipient roles), in plain sentences, and the findings the
//! change introduces and fixes. `lawful diff` renders it as Markdown for a pull request.

pub mod git;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::manifest::Date;
use crate::manifest::scalars::Period;
use crate::model::{Model, NodeRef};
use crate::report::Severity;
use crate::{Project, Selection};

/// What happened to one fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Added,
    Removed,
    Changed,
}

/// The part of the project a fact belongs to, in the order the report shows them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    Recipients,
    Countries,
    Flows,
    Purposes,
    Categories,
    Retention,
    LegalBases,
    RecipientRoles,
}

impl Section {
    fn heading(self, kind: Kind) -> String {
        let what = match self {
            Section::Recipients => "recipients",
            Section::Countries => "countries",
            Section::Flows => "flows",
            Section::Purposes => "purposes",
            Section::Categories => "data categories",
            Section::Retention => "retention",
            Section::LegalBases => "legal bases",
            Section::RecipientRoles => "recipient roles",
        };
        let k = match kind {
            Kind::Added => "New",
            Kind::Removed => "Removed",
            Kind::Changed => "Changed",
        };
        format!("{k} {what}")
    }
}

/// One change, with its sentence.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    pub section: Section,
    pub kind: Kind,
    /// What the fact is about: a purpose id, `dataset.field`, a flow's id or
    /// `from -> to [purposes]`, a country code, `purpose/regime`…
    pub key: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
    /// The change in plain words.
    pub text: String,
}

/// A finding introduced or fixed by the change.
#[derive(Clone, Debug, Serialize)]
pub struct FindingRef {
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    pub fingerprint: String,
}

/// The whole difference.
#[derive(Clone, Debug, Serialize)]
pub struct Diff {
    pub base: String,
    pub head: String,
    /// False when the project did not exist at the base: everything is new.
    pub base_exists: bool,
    pub changes: Vec<Change>,
    pub introduced: Vec<FindingRef>,
    pub fixed: Vec<FindingRef>,
}

/// One fact of a model: a value to compare and the words to describe it.
struct Fact {
    value: String,
    added: String,
    removed: String,
    /// Describes the change, given the base's fact.
    changed: String,
}

type Facts = BTreeMap<(Section, String), Fact>;

/// Compare two projects (`None`: no project at that side) and their unsuppressed findings.
pub fn diff(
    base: Option<&Project>,
    head: Option<&Project>,
    names: (&str, &str),
    today: Date,
    selection: &Selection,
) -> Diff {
    let (bf, hf) = (
        base.map(|p| facts(&p.model, &p.graph)).unwrap_or_default(),
        head.map(|p| facts(&p.model, &p.graph)).unwrap_or_default(),
    );
    let mut changes = Vec::new();
    for (k, h) in &hf {
        match bf.get(k) {
            None => changes.push(change(k, Kind::Added, None, Some(h), h.added.clone())),
            Some(b) if b.value != h.value => changes.push(change(
                k,
                Kind::Changed,
                Some(b),
                Some(h),
                h.changed.replace("{before}", &b.value),
            )),
            Some(_) => {}
        }
    }
    for (k, b) in &bf {
        if !hf.contains_key(k) {
            changes.push(change(k, Kind::Removed, Some(b), None, b.removed.clone()));
        }
    }
    changes.sort_by(|a, b| (a.section, a.kind, &a.key).cmp(&(b.section, b.kind, &b.key)));
    let (bfind, hfind) = (
        findings(base, today, selection),
        findings(head, today, selection),
    );
    let known = |list: &[FindingRef]| -> BTreeSet<String> {
        list.iter().map(|f| f.fingerprint.clone()).collect()
    };
    let (bk, hk) = (known(&bfind), known(&hfind));
    Diff {
        base: names.0.to_string(),
        head: names.1.to_string(),
        base_exists: base.is_some(),
        changes,
        introduced: hfind
            .into_iter()
            .filter(|f| !bk.contains(&f.fingerprint))
            .collect(),
        fixed: bfind
            .into_iter()
            .filter(|f| !hk.contains(&f.fingerprint))
            .collect(),
    }
}

fn change(
    k: &(Section, String),
    kind: Kind,
    before: Option<&Fact>,
    after: Option<&Fact>,
    text: String,
) -> Change {
    Change {
        section: k.0,
        kind,
        key: k.1.clone(),
        before: before.map(|f| f.value.clone()),
        after: after.map(|f| f.value.clone()),
        text,
    }
}

/// The unsuppressed findings of a project, with fingerprints.
pub fn findings(p: Option<&Project>, today: Date, selection: &Selection) -> Vec<FindingRef> {
    let Some(p) = p else { return Vec::new() };
    let result = crate::check_with(p, today, selection);
    let fps = crate::report::baseline::fingerprints(&result.findings, &p.model.sources);
    result
        .findings
        .iter()
        .zip(fps)
        .filter(|(d, _)| d.suppressed.is_none())
        .map(|(d, fp)| FindingRef {
            rule: d.code.clone(),
            severity: d.severity,
            message: d.message.clone(),
            fingerprint: fp,
        })
        .collect()
}

/// "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "Phone number" → "phone number", for use inside a sentence; "IP address" stays.
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(f), Some(n)) if f.is_uppercase() && !n.is_uppercase() => {
            f.to_lowercase().chain(s.chars().skip(1)).collect()
        }
        _ => s.to_string(),
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The serde name of an enum value, in words (`legitimate_interests` → "legitimate interests").
fn words<T: Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s.replace('_', " "),
        _ => String::new(),
    }
}

fn country_words(code: Option<&crate::manifest::Country>) -> String {
    match code {
        Some(c) => the_country(crate::reference::countries::name_en(&c.to_string())),
        None => "an undeclared country".into(),
    }
}

/// A country's short name as it reads in a sentence: "the United States", "the
/// Netherlands", "France".
fn the_country(name: &str) -> String {
    const PLURAL: [&str; 7] = [
        "Bahamas",
        "Comoros",
        "Gambia",
        "Maldives",
        "Netherlands",
        "Philippines",
        "Seychelles",
    ];
    if name.starts_with("United ")
        || name.contains("Republic")
        || name.contains("Islands")
        || PLURAL.contains(&name)
    {
        format!("the {name}")
    } else {
        name.to_string()
    }
}

fn purpose_title(m: &Model, p: usize) -> String {
    let pr = &m.purposes[p];
    pr.decl
        .title
        .en
        .clone()
        .unwrap_or_else(|| pr.id.value.clone())
}

fn node_name(m: &Model, n: NodeRef) -> String {
    match n {
        NodeRef::Recipient(i) => m.recipients[i].decl.name.value.clone(),
        NodeRef::Dataset(i) => m.datasets[i]
            .decl
            .title
            .en
            .clone()
            .unwrap_or_else(|| format!("the `{}` dataset", m.datasets[i].id.value)),
        NodeRef::System(i) => m.systems[i]
            .decl
            .title
            .en
            .clone()
            .unwrap_or_else(|| format!("the `{}` system", m.systems[i].id.value)),
        NodeRef::Subject(i) => m.subjects[i]
            .decl
            .title
            .en
            .clone()
            .unwrap_or_else(|| m.subjects[i].id.value.clone()),
    }
}

fn labels(m: &Model, cats: impl Iterator<Item = crate::taxonomy::CatId>) -> Vec<String> {
    let mut v: Vec<String> = cats
        .map(|c| lower_first(m.taxonomy.cat(c).label_en()))
        .collect();
    v.sort();
    v.dedup();
    v
}

fn period_words(p: &Period) -> String {
    match p {
        Period::Duration(d) => d.to_interval_words(),
        Period::Indefinite => "indefinitely".into(),
    }
}

/// Every fact of a model, keyed by section and key.
fn facts(m: &Model, g: &crate::graph::DataFlowGraph) -> Facts {
    let mut out = Facts::new();
    let mut put = |s: Section, key: String, f: Fact| {
        out.insert((s, key), f);
    };

    for r in &m.recipients {
        let name = &r.decl.name.value;
        let country = country_words(r.decl.country.as_ref().map(|c| &c.value));
        put(
            Section::Recipients,
            r.id.value.clone(),
            Fact {
                value: format!("{name} in {country}"),
                added: format!("New recipient: {name}, in {country}."),
                removed: format!("{name} no longer receives any data."),
                changed: format!(
                    "{name} is now recorded as {name} in {country} (before: {{before}})."
                ),
            },
        );
        let role = &r.decl.role.value;
        let roles = [
            ("GDPR", role.gdpr.as_ref().map(|v| words(&v.value))),
            ("PIPL", role.pipl.as_ref().map(|v| words(&v.value))),
            ("CCPA", role.ccpa.as_ref().map(|v| words(&v.value))),
        ];
        for (regime, role) in roles {
            let Some(role) = role else { continue };
            put(
                Section::RecipientRoles,
                format!("{}/{}", r.id.value, regime.to_ascii_lowercase()),
                Fact {
                    value: role.clone(),
                    added: format!("{name} is a {role} under the {regime}."),
                    removed: format!("{name} no longer has a declared role under the {regime}."),
                    changed: format!(
                        "{name} is now a {role} under the {regime} (before: {{before}})."
                    ),
                },
            );
        }
    }

    // Countries where personal data is held or goes.
    let mut countries: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (di, d) in m.datasets.iter().enumerate() {
        if d.is_personal(&m.taxonomy)
            && let Some(c) = d.country(m)
        {
            countries
                .entry(c.value.to_string())
                .or_default()
                .insert(node_name(m, NodeRef::Dataset(di)));
        }
    }
    for (i, f) in m.flows.iter().enumerate() {
        if g.flow_categories(i).is_empty() {
            continue;
        }
        if let Some(c) = m.node_country(f.to) {
            countries
                .entry(c.to_string())
                .or_default()
                .insert(node_name(m, f.to));
        }
    }
    for (code, who) in countries {
        let name = the_country(crate::reference::countries::name_en(&code));
        let who: Vec<String> = who.into_iter().collect();
        put(
            Section::Countries,
            code.clone(),
            Fact {
                value: name.clone(),
                added: format!(
                    "Personal data is now held in or sent to {name} ({}).",
                    and_list(&who)
                ),
                removed: format!("Personal data is no longer held in or sent to {name}."),
                changed: String::new(),
            },
        );
    }

    for (i, f) in m.flows.iter().enumerate() {
        let mut purposes: Vec<String> = f
            .purposes
            .iter()
            .map(|&p| m.purposes[p].id.value.clone())
            .collect();
        purposes.sort();
        let key = match &f.decl.id {
            Some(id) => id.value.clone(),
            None => format!(
                "{} -> {} [{}]",
                m.node_id(f.from),
                m.node_id(f.to),
                purposes.join(", ")
            ),
        };
        let cats = labels(m, g.flow_categories(i).iter());
        let what = if cats.is_empty() {
            "No personal data".to_string()
        } else {
            capitalize(&and_list(&cats))
        };
        let verb = if cats.len() == 1 { "goes" } else { "go" };
        let to = node_name(m, f.to);
        let place = match m.node_country(f.to) {
            Some(c) => format!(" in {}", country_words(Some(c))),
            None => String::new(),
        };
        let titles: Vec<String> = f
            .purposes
            .iter()
            .map(|&p| format!("“{}”", purpose_title(m, p)))
            .collect();
        let why = match titles.len() {
            0 => String::new(),
            1 => format!(", for the purpose {}", titles[0]),
            _ => format!(", for the purposes {}", and_list(&titles)),
        };
        let from = node_name(m, f.from);
        put(
            Section::Flows,
            key,
            Fact {
                value: format!("{} to {to}{place}", and_list(&cats)),
                added: format!("{what} now {verb} from {from} to {to}{place}{why}."),
                removed: format!("{what} no longer {verb} from {from} to {to}{place}."),
                changed: format!(
                    "What goes from {from} to {to}{place}{why} is now: {} (before: {{before}}).",
                    and_list(&cats)
                ),
            },
        );
    }

    for (pi, p) in m.purposes.iter().enumerate() {
        let title = purpose_title(m, pi);
        let cats = labels(m, p.categories.iter().map(|c| c.cat));
        put(
            Section::Purposes,
            p.id.value.clone(),
            Fact {
                value: and_list(&cats),
                added: format!(
                    "New purpose “{title}”, using {}.",
                    if cats.is_empty() {
                        "no declared data".into()
                    } else {
                        and_list(&cats)
                    }
                ),
                removed: format!("The purpose “{title}” is gone."),
                changed: format!(
                    "The purpose “{title}” now uses {} (before: {{before}}).",
                    and_list(&cats)
                ),
            },
        );
        if let Some(r) = &p.decl.retention {
            let w = r.value.to_interval_words();
            put(
                Section::Retention,
                format!("purposes.{}", p.id.value),
                Fact {
                    value: w.clone(),
                    added: format!("Data for “{title}” is kept for {w}."),
                    removed: format!("“{title}” no longer states how long data is kept."),
                    changed: format!(
                        "Data for “{title}” is now kept for {w} (before: {{before}})."
                    ),
                },
            );
        }
        let lb = &p.decl.legal_basis.value;
        let bases = [
            ("GDPR", lb.gdpr.as_ref().map(|v| words(&v.value))),
            ("PIPL", lb.pipl.as_ref().map(|v| words(&v.value))),
            ("CCPA", lb.ccpa.as_ref().map(|v| words(&v.value))),
        ];
        for (regime, basis) in bases {
            let Some(basis) = basis else { continue };
            put(
                Section::LegalBases,
                format!("{}/{}", p.id.value, regime.to_ascii_lowercase()),
                Fact {
                    value: basis.clone(),
                    added: format!("“{title}” has the legal basis “{basis}” under the {regime}."),
                    removed: format!(
                        "“{title}” no longer declares a legal basis under the {regime}."
                    ),
                    changed: format!(
                        "“{title}” now has the legal basis “{basis}” under the {regime} (before: “{{before}}”)."
                    ),
                },
            );
        }
    }

    for (di, d) in m.datasets.iter().enumerate() {
        let dname = node_name(m, NodeRef::Dataset(di));
        for f in &d.fields {
            let cats = labels(m, f.categories.iter().map(|c| c.cat));
            if cats.is_empty() {
                continue;
            }
            let field = &f.name.value;
            put(
                Section::Categories,
                format!("{}.{field}", d.id.value),
                Fact {
                    value: and_list(&cats),
                    added: format!("{dname} now holds {} in `{field}`.", and_list(&cats)),
                    removed: format!("{dname} no longer holds `{field}`."),
                    changed: format!(
                        "`{field}` in {dname} now holds {} (before: {{before}}).",
                        and_list(&cats)
                    ),
                },
            );
        }
        if let Some(r) = &d.decl.retention {
            let w = period_words(&r.value.period.value);
            let kept = if w == "indefinitely" {
                w.clone()
            } else {
                format!("for {w}")
            };
            put(
                Section::Retention,
                format!("datasets.{}", d.id.value),
                Fact {
                    value: w.clone(),
                    added: format!("Rows of {dname} are kept {kept}."),
                    removed: format!("{dname} no longer states how long rows are kept."),
                    changed: format!("Rows of {dname} are now kept {kept} (before: {{before}})."),
                },
            );
        }
    }
    out
}

/// The Markdown report, ready for a pull-request comment.
pub fn markdown(d: &Diff) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "## Privacy changes: `{}` → `{}`\n\n",
        d.base, d.head
    ));
    if !d.base_exists {
        out.push_str(&format!(
            "There was no lawful project at `{}`: everything below is new.\n\n",
            d.base
        ));
    }
    if d.changes.is_empty() {
        out.push_str("No change to the processing described.\n\n");
    }
    let mut current = None;
    for c in &d.changes {
        if current != Some((c.section, c.kind)) {
            if current.is_some() {
                out.push('\n');
            }
            out.push_str(&format!("### {}\n\n", c.section.heading(c.kind)));
            current = Some((c.section, c.kind));
        }
        out.push_str(&format!("- {}\n", c.text));
    }
    if current.is_some() {
        out.push('\n');
    }
    let list = |out: &mut String, title: &str, fs: &[FindingRef]| {
        out.push_str(&format!("### {title} ({})\n\n", fs.len()));
        if fs.is_empty() {
            out.push_str("None.\n\n");
            return;
        }
        for f in fs {
            out.push_str(&format!(
                "- **{}** `{}`: {}\n",
                f.severity.as_str(),
                f.rule,
                f.message
            ));
        }
        out.push('\n');
    };
    list(&mut out, "Findings this change introduces", &d.introduced);
    list(&mut out, "Findings this change fixes", &d.fixed);
    out
}

/// The fingerprints of the unsuppressed findings of the project in `dir` at revision `rev`
/// (empty when the project did not exist there), for `lawful check --new-since`.
pub fn fingerprints_at(
    dir: &std::path::Path,
    rev: &str,
    today: Date,
    selection: &Selection,
) -> Result<BTreeSet<String>, String> {
    let base = match git::read_revision(dir, rev)? {
        None => return Ok(BTreeSet::new()),
        Some(files) => crate::load_from_files(dir, files).map_err(|f| {
            format!(
                "the project at `{rev}` could not be read ({} problem{}; check it out and run `lawful check` to see them)",
                f.diagnostics.len(),
                if f.diagnostics.len() == 1 { "" } else { "s" }
            )
        })?,
    };
    Ok(findings(Some(&base), today, selection)
        .into_iter()
        .map(|f| f.fingerprint)
        .collect())
}
