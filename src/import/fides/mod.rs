//! `lawful import fides`: fideslang manifests → a lawful project (docs/fides.md).
//!
//! Every `*.yml` and `*.yaml` file under the folder is read as fideslang (recursively, in
//! path order). fideslang's data categories, data uses and data subjects map onto lawful's
//! through the table in mapping.yaml ([`mapping`]); keys of the project's own extended
//! taxonomy map through their parent. What fideslang cannot say (countries, retention as a
//! duration, the legal basis under each regime) comes out as `# TODO(lawful): …` comments
//! that `lawful check` reports.

pub mod mapping;
pub mod model;
mod text;

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

use crate::import::yaml::{Writer, flow_list, scalar};
use crate::import::{Files, Imported};
use crate::manifest::yaml::{YamlErrorKind, parse_document};
use crate::manifest::{Sp, Span};
use crate::report::{Diagnostic, Label};
use crate::taxonomy::Taxonomy;

use mapping::{Title, UseTemplate, mapping};
use model::*;

/// The virtual root of every personal category (a field classified only as fideslang's
/// `user` gets a project category of this id).
const PERSONAL: &str = "personal";

/// Import every fideslang YAML file under `dir` (organization, system, dataset, data_use,
/// data_subject, data_category, policy), or the one file `dir` names.
///
/// Errors: diagnostics with file, line and column in [`Imported::diagnostics`] (YAML that
/// is not fideslang, duplicate `fides_key`s, keys with spaces or backslashes, unknown
/// taxonomy keys, unknown match modes, references to datasets or systems that do not
/// exist); files are only returned when there is no error.
pub fn import(dir: &Path) -> Imported {
    let mut imp = Imported::default();
    let paths = match yaml_files(dir) {
        Ok(p) => p,
        Err(e) => {
            imp.diagnostics
                .push(Diagnostic::error("import::fides-read", e));
            return imp;
        }
    };
    if paths.is_empty() {
        imp.diagnostics.push(
            Diagnostic::error(
                "import::fides-empty",
                format!("`{}` holds no .yml or .yaml file", dir.display()),
            )
            .with_help("give the folder of your Fides manifests (the one `fides evaluate` reads)"),
        );
        return imp;
    }
    let mut parsed = Vec::new();
    for path in paths {
        let shown = match path.strip_prefix(dir) {
            Ok(rel) if dir.is_dir() => format!(
                "{}/{}",
                dir.display().to_string().trim_end_matches('/'),
                rel.to_string_lossy().replace('\\', "/")
            ),
            _ => path.display().to_string(),
        };
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                imp.diagnostics.push(Diagnostic::error(
                    "import::fides-read",
                    format!("cannot read `{shown}`: {e}"),
                ));
                continue;
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                // Reported as `lawful check` reports it (src/manifest/loader.rs).
                let (line, col) = crate::manifest::loader::not_utf8_at(&e);
                let (bytes, at) = (e.as_bytes(), e.utf8_error().valid_up_to());
                imp.diagnostics.push(
                    Diagnostic::error(
                        "import::fides-not-utf8",
                        format!(
                            "{shown}:{line}:{col}: the file is not UTF-8 text (byte 0x{:02X} at offset {at})",
                            bytes[at]
                        ),
                    )
                    .with_help("save the file as UTF-8 (a legacy encoding such as Latin-1 or GBK is not read)"),
                );
                continue;
            }
        };
        let id = imp.sources.add(&path, shown, text);
        let text = &imp.sources.get(id).expect("just added").text;
        match parse_document::<FidesFile>(id, text) {
            Ok(f) => {
                let mut bad = Vec::new();
                if let Ok(node) = parse_document::<Sp<text::Node>>(id, text) {
                    text::control_text(&node, &mut bad);
                }
                for s in bad {
                    imp.diagnostics.push(
                        Diagnostic::error(
                            "import::fides-control",
                            format!(
                                "`{}` holds a control character",
                                crate::model::shown(&s.value)
                            ),
                        )
                        .at(s.span, "control character in this text")
                        .with_help("remove the control character (lawful writes names and descriptions into YAML and its comments, which cannot hold one)"),
                    );
                }
                parsed.push(f)
            }
            Err(e) => {
                let start = e.offset.unwrap_or(0).min(text.len());
                let span = Span::new(id, start, (start + e.len.max(1)).min(text.len()));
                let what = match e.kind {
                    YamlErrorKind::Syntax => "YAML syntax error",
                    YamlErrorKind::Structure => "not a fideslang manifest",
                    YamlErrorKind::Limit => "YAML refused",
                };
                if let Some(key) = duplicate_key(&e.message) {
                    let mut d = Diagnostic::error(
                        "import::fides-yaml",
                        format!("the key `{key}` is given twice in one mapping"),
                    )
                    .with_primary(Label::new(span, "given again here"));
                    if let Some(first) = first_key_before(text, start, &key) {
                        d = d.with_secondary(
                            Span::new(id, first, first + key.len()),
                            "first given here",
                        );
                    }
                    imp.diagnostics.push(d.with_help(
                        "keep one of the two: YAML takes a key once per mapping, and lawful will not guess which value Fides meant",
                    ));
                    continue;
                }
                let mut d =
                    Diagnostic::error("import::fides-yaml", format!("{what}: {}", e.message))
                        .with_primary(Label::new(span, "here"));
                d = match e.help {
                    Some(h) => d.with_help(h),
                    None if e.kind == YamlErrorKind::Structure => match misspelt_key(&e.message) {
                        Some(k) => d.with_help(format!("did you mean `{k}`?")),
                        None => d.with_help(
                            "fideslang files have the sections organization, system, dataset, data_use, data_subject, data_category and policy, each a list of resources with the keys fideslang defines (docs/fides.md lists them)",
                        ),
                    },
                    None => d,
                };
                imp.diagnostics.push(d);
            }
        }
    }
    if !imp.diagnostics.is_empty() {
        return imp;
    }
    let mut c = Converter::default();
    for f in parsed {
        c.add(f);
    }
    c.check();
    if c.errors.is_empty() {
        imp.files = c.emit();
    }
    c.errors.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
    imp.diagnostics = c.errors;
    imp
}

/// `key` after the renames fideslang made between versions (renames.txt): per version,
/// the first line whose old key is `key` or a prefix of it (at a `.`).
fn renamed(kind: &str, key: &str) -> String {
    const TABLE: &str = include_str!("renames.txt");
    let mut cur = key.to_string();
    let mut version = "";
    let mut done = false;
    for line in TABLE.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [v, k, old, new] = parts[..] else {
            continue;
        };
        if v != version {
            version = v;
            done = false;
        }
        if done || k != kind {
            continue;
        }
        if cur == old {
            cur = new.to_string();
            done = true;
        } else if let Some(rest) = cur.strip_prefix(old)
            && rest.starts_with('.')
        {
            cur = format!("{new}{rest}");
            done = true;
        }
    }
    cur
}

/// [`import`], for a project to be written to `out`: refused (before anything is read)
/// when `out` lies inside the input folder, since the next import of that folder would
/// read the lawful project as fideslang.
pub fn import_to(dir: &Path, out: &Path) -> Imported {
    let abs = |p: &Path| -> PathBuf {
        let p = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Resolve what exists (symbolic links, `..`), then add the parts still to create.
        let mut existing = p.as_path();
        let mut rest = Vec::new();
        while !existing.exists() {
            match (existing.parent(), existing.file_name()) {
                (Some(parent), Some(name)) => {
                    rest.push(name.to_os_string());
                    existing = parent;
                }
                _ => break,
            }
        }
        let mut full = std::fs::canonicalize(existing).unwrap_or_else(|_| existing.to_path_buf());
        for part in rest.iter().rev() {
            full.push(part);
        }
        full
    };
    if dir.is_dir() {
        let (input, output) = (abs(dir), abs(out));
        if output.starts_with(&input) {
            let mut imp = Imported::default();
            imp.diagnostics.push(
                Diagnostic::error(
                    "import::fides-out-inside",
                    format!(
                        "`--out {}` lies inside the folder of Fides manifests `{}`",
                        out.display(),
                        dir.display()
                    ),
                )
                .with_help(
                    "write the project outside that folder: the next import would read its YAML files as fideslang",
                ),
            );
            return imp;
        }
    }
    import(dir)
}

/// The key of the YAML reader's "duplicate mapping key: KEY, set …" message.
fn duplicate_key(message: &str) -> Option<String> {
    let rest = message.split("duplicate mapping key: ").nth(1)?;
    let key = rest.split(", set DuplicateKeyPolicy").next()?.trim();
    (!key.is_empty()).then(|| key.to_string())
}

/// The byte offset of the earlier `key:` of the same block mapping as the one at `at`.
fn first_key_before(text: &str, at: usize, key: &str) -> Option<usize> {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let indent = at - line_start;
    let mut end = line_start;
    while end > 0 {
        let start = text[..end - 1].rfind('\n').map_or(0, |i| i + 1);
        let line = &text[start..end - 1];
        end = start;
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let ind = line.len() - body.len();
        // `- key:` opens the mapping with its first key at `indent`.
        let (ind, body) = match body.strip_prefix("- ") {
            Some(b) => (ind + 2 + (b.len() - b.trim_start().len()), b.trim_start()),
            None => (ind, body),
        };
        if ind == indent && body.starts_with(key) && body[key.len()..].trim_start().starts_with(':')
        {
            return Some(start + line.len() - body.len());
        }
        // A line less indented, or the `- ` line the mapping starts at: no earlier key.
        if ind < indent || (ind == indent && line.trim_start().starts_with("- ")) {
            return None;
        }
    }
    None
}

/// For "unknown field `x`, expected one of a, b, c": the expected key closest to `x`.
fn misspelt_key(message: &str) -> Option<String> {
    let rest = message.split("unknown field `").nth(1)?;
    let (word, rest) = rest.split_once('`')?;
    let list = rest.split("expected one of ").nth(1)?;
    let candidates: Vec<&str> = list
        .split(',')
        .map(|c| c.trim().trim_matches('`'))
        .collect();
    crate::suggest::closest(word, candidates).map(str::to_string)
}

/// The YAML files under `dir`, recursively, sorted by path; hidden folders are skipped.
fn yaml_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    if dir.is_file() {
        // One manifest, as `fides evaluate FILE` takes it.
        return Ok(vec![dir.to_path_buf()]);
    }
    if !dir.is_dir() {
        return Err(format!(
            "`{}` is neither a folder nor a file",
            dir.display()
        ));
    }
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let rd =
            std::fs::read_dir(&d).map_err(|e| format!("cannot read `{}`: {e}", d.display()))?;
        for entry in rd {
            let entry = entry.map_err(|e| format!("cannot read `{}`: {e}", d.display()))?;
            let p = entry.path();
            let name = entry.file_name().to_string_lossy().to_string();
            if name.starts_with('.') {
                continue;
            }
            if entry.file_type().is_ok_and(|t| t.is_dir()) {
                stack.push(p);
            } else if name.ends_with(".yml") || name.ends_with(".yaml") {
                out.push(p);
            }
        }
    }
    out.sort();
    Ok(out)
}

/// Whether `key` is a valid fides_key (fideslang's `^[a-zA-Z0-9_.<>-]+$`).
fn valid_key(key: &str) -> bool {
    !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "_.<>-".contains(c))
}

/// A lawful id from a fides_key: characters lawful ids do not take become `_`.
fn key_id(key: &str) -> String {
    key.chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A lawful id from a human name: lower case, words joined by `_`, at most 48 characters.
fn name_slug(name: &str) -> String {
    let mut s = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            s.push(c);
        } else if !s.is_empty() && !s.ends_with('_') {
            s.push('_');
        }
    }
    let mut s = s.trim_end_matches('_').to_string();
    if s.chars().count() > 48 {
        let cut: String = s.chars().take(48).collect();
        s = match cut.rfind('_') {
            Some(i) if i > 16 => cut[..i].to_string(),
            _ => cut,
        };
    }
    s
}

/// `base`, or `base_2`, `base_3`… whichever `taken` does not hold yet; records it.
fn unique_id(base: String, taken: &mut BTreeSet<String>) -> String {
    let mut id = base.clone();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}_{n}");
        n += 1;
    }
    taken.insert(id.clone());
    id
}

/// `{ en: …, zh-CN: … }`.
fn localized(en: &str, zh: Option<&str>) -> String {
    match zh {
        Some(zh) => format!(
            "{{ en: {}, zh-CN: {} }}",
            crate::import::yaml::flow_scalar(en),
            crate::import::yaml::flow_scalar(zh)
        ),
        None => format!("{{ en: {} }}", crate::import::yaml::flow_scalar(en)),
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The resources of every file, checked and then converted.
#[derive(Default)]
struct Converter {
    errors: Vec<Diagnostic>,
    organizations: Vec<Sp<Organization>>,
    systems: Vec<Sp<System>>,
    datasets: Vec<Sp<Dataset>>,
    ext_categories: Vec<Sp<TaxonomyEntry>>,
    ext_uses: Vec<Sp<TaxonomyEntry>>,
    ext_subjects: Vec<Sp<TaxonomyEntry>>,
    policies: Vec<Sp<Policy>>,
    /// First place of each fides_key, per resource type.
    seen: HashMap<(&'static str, String), Span>,
    /// Extended categories and uses: key → parent key.
    cat_parent: BTreeMap<String, Option<String>>,
    use_parent: BTreeMap<String, Option<String>>,
    /// Every fideslang category key the project uses (declarations, datasets, flows,
    /// policy values).
    used_cats: BTreeSet<String>,
    /// The used keys whose lawful category is not exact (see `split_shared_images`): key →
    /// the id of the project category extension that stands for it.
    split: BTreeMap<String, String>,
    /// Lawful ids, one namespace for systems, datasets and subjects (set by `emit`).
    ids: Ids,
}

/// The lawful ids of the Fides resources: systems, datasets (one per collection) and
/// subjects share one id namespace in lawful, so a later kind whose id is taken gets a
/// `_2` suffix (systems first, then datasets, then subjects).
#[derive(Default)]
struct Ids {
    systems: BTreeMap<String, String>,
    datasets: BTreeMap<String, Vec<String>>,
    subjects: BTreeMap<String, String>,
}

impl Converter {
    /// Keep a resource unless its key is already declared (reported at both places).
    /// A resource with an invalid key is kept, so that what it holds is checked too.
    fn admit(&mut self, kind: &'static str, key: &Sp<String>) -> bool {
        self.key_ok(key, &format!("{kind} fides_key"));
        let k = (kind, key.value.clone());
        if let Some(first) = self.seen.get(&k) {
            self.errors.push(
                Diagnostic::error(
                    "import::fides-duplicate",
                    format!("the {kind} `{}` is declared twice", key.value),
                )
                .at(key.span, "declared again here")
                .with_secondary(*first, "first declared here")
                .with_help(format!(
                    "each {kind} needs its own fides_key; rename one, or remove the copy"
                )),
            );
            return false;
        }
        self.seen.insert(k, key.span);
        true
    }

    fn key_ok(&mut self, key: &Sp<String>, what: &str) -> bool {
        if valid_key(&key.value) {
            return true;
        }
        self.errors.push(
            Diagnostic::error(
                "import::fides-bad-key",
                format!("`{}` is not a valid {what}", crate::model::shown(&key.value)),
            )
            .at(key.span, "invalid key")
            .with_help(
                "fides keys use letters, digits, `_`, `-`, `.`, `<` and `>`: no spaces, backslashes or other punctuation",
            ),
        );
        false
    }

    fn add(&mut self, f: FidesFile) {
        for o in f.organization.unwrap_or_default() {
            if self.admit("organization", &o.fides_key) {
                self.organizations.push(o);
            }
        }
        for e in f.data_category.unwrap_or_default() {
            if mapping().categories.contains_key(&e.fides_key.value) {
                continue; // a copy of a default category
            }
            if self.admit("data category", &e.fides_key) {
                self.cat_parent.insert(
                    e.fides_key.value.clone(),
                    e.parent_key.as_ref().map(|p| p.value.clone()),
                );
                self.ext_categories.push(e);
            }
        }
        for e in f.data_use.unwrap_or_default() {
            if mapping().uses.contains_key(&e.fides_key.value) {
                continue;
            }
            if self.admit("data use", &e.fides_key) {
                self.use_parent.insert(
                    e.fides_key.value.clone(),
                    e.parent_key.as_ref().map(|p| p.value.clone()),
                );
                self.ext_uses.push(e);
            }
        }
        for e in f.data_subject.unwrap_or_default() {
            // A copy of a default subject is left out, unless it renames it: the project's
            // name is kept.
            if let Some(t) = mapping().subjects.get(&e.fides_key.value)
                && e.name.as_deref().is_none_or(|n| one_line(n) == t.title.en)
            {
                continue;
            }
            if self.admit("data subject", &e.fides_key) {
                self.ext_subjects.push(e);
            }
        }
        for s in f.system.unwrap_or_default() {
            if self.admit("system", &s.fides_key) {
                self.systems.push(s);
            }
        }
        for d in f.dataset.unwrap_or_default() {
            if self.admit("dataset", &d.fides_key) {
                self.datasets.push(d);
            }
        }
        for p in f.policy.unwrap_or_default() {
            if self.admit("policy", &p.fides_key) {
                self.policies.push(p);
            }
        }
    }

    fn known_category(&self, k: &str) -> bool {
        mapping().categories.contains_key(k) || self.cat_parent.contains_key(k)
    }
    fn known_use(&self, k: &str) -> bool {
        mapping().uses.contains_key(k) || self.use_parent.contains_key(k)
    }
    fn known_subject(&self, k: &str) -> bool {
        mapping().subjects.contains_key(k)
            || self.ext_subjects.iter().any(|e| e.fides_key.value == k)
    }

    /// Report `key` unless it is a known taxonomy key of `kind`.
    fn check_taxonomy(&mut self, kind: &str, key: &Sp<String>) {
        if !self.key_ok(key, &format!("{kind} key")) {
            return;
        }
        let (known, candidates): (bool, Vec<String>) = match kind {
            "data category" => (
                self.known_category(&key.value),
                mapping()
                    .categories
                    .keys()
                    .chain(self.cat_parent.keys())
                    .cloned()
                    .collect(),
            ),
            "data use" => (
                self.known_use(&key.value),
                mapping()
                    .uses
                    .keys()
                    .chain(self.use_parent.keys())
                    .cloned()
                    .collect(),
            ),
            _ => (
                self.known_subject(&key.value),
                mapping()
                    .subjects
                    .keys()
                    .cloned()
                    .chain(self.ext_subjects.iter().map(|e| e.fides_key.value.clone()))
                    .collect(),
            ),
        };
        if known {
            return;
        }
        let plural = match kind {
            "data category" => "data_category",
            "data use" => "data_use",
            _ => "data_subject",
        };
        let known = |k: &str| candidates.iter().any(|c| c == k);
        let help = match self.hint(kind, &key.value, &candidates, &known) {
            Some(h) => h,
            None => format!(
                "it is neither a key of the fideslang taxonomy nor one this project declares under `{plural}:`; declare it there (with its parent_key) or use a fideslang key"
            ),
        };
        self.errors.push(
            Diagnostic::error(
                "import::fides-unknown-key",
                format!("unknown {kind} `{}`", key.value),
            )
            .at(key.span, format!("not a {kind}"))
            .with_help(help),
        );
    }

    /// A did-you-mean for an unknown taxonomy key: its name after fideslang's renames
    /// (renames.txt), else a key with the same last segment, else a close spelling whose
    /// last segment is close too (so `user.browsing_history` never suggests
    /// `user.criminal_history`).
    fn hint(
        &self,
        kind: &str,
        key: &str,
        candidates: &[String],
        known: &dyn Fn(&str) -> bool,
    ) -> Option<String> {
        let table = match kind {
            "data category" => "category",
            "data use" => "use",
            _ => "subject",
        };
        let renamed = renamed(table, key);
        if renamed != key {
            let mut k = renamed.as_str();
            loop {
                if known(k) {
                    return Some(if k == renamed {
                        format!("did you mean `{k}`? (fideslang renamed `{key}` to it)")
                    } else {
                        format!(
                            "did you mean `{k}`? (fideslang renamed `{key}` to `{renamed}`, which is below it)"
                        )
                    });
                }
                match k.rsplit_once('.') {
                    Some((p, _)) => k = p,
                    None => break,
                }
            }
        }
        let last = key.rsplit('.').next().unwrap_or(key);
        let same_last: Vec<&String> = candidates
            .iter()
            .filter(|c| c.rsplit('.').next() == Some(last))
            .collect();
        if let [one] = same_last.as_slice() {
            return Some(format!("did you mean `{one}`?"));
        }
        let s = crate::suggest::closest(key, candidates.iter().map(String::as_str))?;
        let s_last = s.rsplit('.').next().unwrap_or(s);
        crate::suggest::closest(last, [s_last])?;
        Some(format!("did you mean `{s}`?"))
    }

    fn check_reference(&mut self, kind: &str, key: &Sp<String>, candidates: &[String]) -> bool {
        if !self.key_ok(key, &format!("{kind} reference")) {
            return false;
        }
        if candidates.contains(&key.value) {
            return true;
        }
        let help = match crate::suggest::closest(&key.value, candidates.iter().map(String::as_str))
        {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("no {kind} of that fides_key is declared in these files"),
        };
        self.errors.push(
            Diagnostic::error(
                "import::fides-missing",
                format!("there is no {kind} `{}`", key.value),
            )
            .at(key.span, format!("no such {kind}"))
            .with_help(help),
        );
        false
    }

    /// Refuse extended categories and uses whose `parent_key` chain comes back to them.
    fn check_cycles(&mut self) {
        for (kind, entries, parents) in [
            ("data category", &self.ext_categories, &self.cat_parent),
            ("data use", &self.ext_uses, &self.use_parent),
        ] {
            for e in entries {
                let Some(parent) = &e.parent_key else {
                    continue;
                };
                let start = &e.fides_key.value;
                let mut chain = vec![start.clone()];
                let mut cur = parent.value.clone();
                let mut cyclic = false;
                for _ in 0..=parents.len() {
                    chain.push(cur.clone());
                    if cur == *start {
                        cyclic = true;
                        break;
                    }
                    cur = match parents.get(&cur) {
                        Some(Some(p)) => p.clone(),
                        _ => break,
                    };
                }
                if cyclic {
                    let shown: Vec<String> = chain.iter().map(|k| format!("`{k}`")).collect();
                    self.errors.push(
                        Diagnostic::error(
                            "import::fides-cycle",
                            format!(
                                "the {kind} `{start}` is its own ancestor: {}",
                                shown.join(" → ")
                            ),
                        )
                        .at(parent.span, "this parent_key leads back here")
                        .with_help(format!(
                            "give `{start}` a parent_key that does not lead back to it (a key of the fideslang taxonomy, or one of this project's own that ends there)"
                        )),
                    );
                }
            }
        }
    }

    /// Check every reference: taxonomy keys, datasets, systems, match modes.
    fn check(&mut self) {
        self.check_cycles();
        let cats: Vec<(String, Option<Sp<String>>)> = self
            .ext_categories
            .iter()
            .map(|e| (e.fides_key.value.clone(), e.parent_key.clone()))
            .collect();
        for (_, parent) in cats {
            if let Some(p) = parent {
                self.check_taxonomy("data category", &p);
            }
        }
        let uses: Vec<Option<Sp<String>>> =
            self.ext_uses.iter().map(|e| e.parent_key.clone()).collect();
        for p in uses.into_iter().flatten() {
            self.check_taxonomy("data use", &p);
        }
        let dataset_keys: Vec<String> = self
            .datasets
            .iter()
            .map(|d| d.fides_key.value.clone())
            .collect();
        let system_keys: Vec<String> = self
            .systems
            .iter()
            .map(|s| s.fides_key.value.clone())
            .collect();

        let mut cat_refs: Vec<Sp<String>> = Vec::new();
        let mut use_refs: Vec<Sp<String>> = Vec::new();
        let mut subject_refs: Vec<Sp<String>> = Vec::new();
        let mut dataset_refs: Vec<Sp<String>> = Vec::new();
        let mut flows: Vec<(Sp<String>, Sp<String>)> = Vec::new();
        for s in &self.systems {
            for d in &s.privacy_declarations {
                cat_refs.extend(d.data_categories.iter().cloned());
                use_refs.push(d.data_use.clone());
                subject_refs.extend(d.data_subjects.iter().cloned());
                dataset_refs.extend(d.dataset_references.iter().flatten().cloned());
            }
            dataset_refs.extend(s.dataset_references.iter().flatten().cloned());
            for f in s.egress.iter().flatten().chain(s.ingress.iter().flatten()) {
                cat_refs.extend(f.data_categories.iter().flatten().cloned());
                flows.push((f.kind.clone(), f.fides_key.clone()));
            }
        }
        let mut dup_errors = Vec::new();
        for d in &self.datasets {
            cat_refs.extend(d.data_categories.iter().flatten().cloned());
            let mut names: HashMap<&str, Span> = HashMap::new();
            for c in &d.collections {
                if let Some(first) = names.insert(&c.name.value, c.name.span) {
                    dup_errors.push(dup_entry("collection", &c.name, first, &d.fides_key.value));
                }
                if c.name.value.trim().is_empty() {
                    dup_errors.push(
                        Diagnostic::error(
                            "import::fides-empty-name",
                            format!(
                                "a collection of the dataset `{}` has no name",
                                d.fides_key.value
                            ),
                        )
                        .at(c.name.span, "empty name")
                        .with_help("give the collection the name of its table"),
                    );
                }
                cat_refs.extend(c.data_categories.iter().flatten().cloned());
                let mut fields: HashMap<String, Span> = HashMap::new();
                walk_fields(&c.fields, "", &mut |path, f| {
                    if f.name.value.trim().is_empty() {
                        dup_errors.push(
                            Diagnostic::error(
                                "import::fides-empty-name",
                                format!("a field of the collection `{}` has no name", c.name.value),
                            )
                            .at(f.name.span, "empty name")
                            .with_help("give the field the name of its column"),
                        );
                    }
                    cat_refs.extend(f.data_categories.iter().flatten().cloned());
                    if let Some(first) = fields.insert(path.to_string(), f.name.span) {
                        dup_errors.push(dup_entry("field", &f.name, first, &c.name.value));
                    }
                });
            }
        }
        self.errors.extend(dup_errors);
        // Keys that differ only in characters lawful ids do not take (`a.b`, `a_b`).
        let mut clashes = Vec::new();
        for (kind, keys) in [
            (
                "system",
                self.systems
                    .iter()
                    .map(|s| &s.fides_key)
                    .collect::<Vec<_>>(),
            ),
            (
                "policy",
                self.policies.iter().map(|p| &p.fides_key).collect(),
            ),
            (
                "data subject",
                self.ext_subjects.iter().map(|e| &e.fides_key).collect(),
            ),
        ] {
            let mut ids: HashMap<String, &Sp<String>> = HashMap::new();
            for k in keys {
                let id = key_id(&k.value);
                if let Some(first) = ids.get(&id) {
                    clashes.push(
                        Diagnostic::error(
                            "import::fides-duplicate",
                            format!(
                                "the {} `{}` and `{}` would both become the lawful id `{id}`",
                                if kind == "policy" {
                                    "policies".to_string()
                                } else {
                                    format!("{kind}s")
                                },
                                first.value,
                                k.value
                            ),
                        )
                        .at(k.span, "this one")
                        .with_secondary(first.span, "and this one")
                        .with_help(
                            "lawful ids take letters, digits, `_` and `-`; rename one of the two",
                        ),
                    );
                } else {
                    ids.insert(id, k);
                }
            }
        }
        self.errors.extend(clashes);
        let mut modes = Vec::new();
        for p in &self.policies {
            // Rule names fideslang does not require to be unique: a later rule whose id is
            // taken gets `_2` (policies_file).
            for r in &p.rules {
                cat_refs.extend(r.data_categories.values.iter().cloned());
                use_refs.extend(r.data_uses.values.iter().cloned());
                subject_refs.extend(r.data_subjects.values.iter().cloned());
                modes.push(r.data_categories.matches.clone());
                modes.push(r.data_uses.matches.clone());
                modes.push(r.data_subjects.matches.clone());
            }
        }
        for k in &cat_refs {
            self.check_taxonomy("data category", k);
        }
        self.used_cats = cat_refs.iter().map(|k| k.value.clone()).collect();
        for k in &use_refs {
            self.check_taxonomy("data use", k);
        }
        for k in &subject_refs {
            self.check_taxonomy("data subject", k);
        }
        for k in &dataset_refs {
            self.check_reference("dataset", k, &dataset_keys);
        }
        for (kind, key) in &flows {
            match kind.value.as_str() {
                "system" => {
                    self.check_reference("system", key, &system_keys);
                }
                "dataset" => {
                    self.check_reference("dataset", key, &dataset_keys);
                }
                "user" => {}
                other => {
                    let help = match crate::suggest::closest(other, ["system", "dataset", "user"]) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "the type is `system`, `dataset` or `user`".into(),
                    };
                    self.errors.push(
                        Diagnostic::error(
                            "import::fides-flow-type",
                            format!("unknown egress/ingress type `{other}`"),
                        )
                        .at(kind.span, "not system, dataset or user")
                        .with_help(help),
                    );
                }
            }
        }
        for m in &modes {
            if !["ANY", "ALL", "NONE", "OTHER"].contains(&m.value.as_str()) {
                let help = match crate::suggest::closest(&m.value, ["ANY", "ALL", "NONE", "OTHER"])
                {
                    Some(s) => format!(
                        "did you mean `{s}`? fideslang's match modes are ANY, ALL, NONE and OTHER"
                    ),
                    None => "fideslang's match modes are ANY, ALL, NONE and OTHER".into(),
                };
                self.errors.push(
                    Diagnostic::error(
                        "import::fides-match-mode",
                        format!("unknown match mode `{}`", m.value),
                    )
                    .at(m.span, "not ANY, ALL, NONE or OTHER")
                    .with_help(help),
                );
            }
        }
    }

    // ---- mapping -------------------------------------------------------------------

    /// The lawful category of a fideslang category key (default or extended).
    fn lawful_category(&self, key: &str) -> String {
        self.lawful_category_depth(key, 0)
    }

    fn lawful_category_depth(&self, key: &str, depth: usize) -> String {
        if let Some(c) = self.split.get(key) {
            return c.clone();
        }
        if let Some(c) = mapping().categories.get(key) {
            return c.clone();
        }
        let last = key.rsplit('.').next().unwrap_or(key);
        match self.cat_parent.get(key) {
            Some(Some(parent)) if depth < 32 => {
                let base = self.lawful_category_depth(parent, depth + 1);
                format!("{base}.{}", key_id(last))
            }
            _ => key_id(key),
        }
    }

    /// The extension categories the project must declare: lawful id → where it comes from.
    fn extension_categories(&self) -> BTreeMap<String, ExtCategory<'_>> {
        let builtin = Taxonomy::builtin();
        let mut out: BTreeMap<String, ExtCategory<'_>> = BTreeMap::new();
        for e in &self.ext_categories {
            let id = self.lawful_category(&e.fides_key.value);
            if builtin.get(&id).is_none() {
                out.insert(id, ExtCategory::Fides(&e.value));
            }
        }
        for (key, id) in &self.split {
            out.insert(id.clone(), ExtCategory::Split(key));
        }
        out
    }

    /// Make the import exact: a used fideslang key K whose lawful image C also covers the
    /// image of another used key that is not below K in fideslang (the same category, or
    /// one below it) gets a project category extension `C.<last segment of K>` of its own,
    /// so that a policy naming K catches K and what is below K, and nothing else. A key
    /// whose image only covers images of keys below it keeps C. Call once, after `check`.
    fn split_shared_images(&mut self) {
        let builtin = Taxonomy::builtin();
        let personal = |c: &str| -> bool {
            builtin
                .get(c)
                .map(|id| builtin.cat(id).personal)
                .unwrap_or(!c.starts_with("non_personal"))
        };
        // `c` at or below `a` in lawful's taxonomy (`personal` is the root of every
        // personal category).
        let within = |c: &str, a: &str| -> bool {
            c == a
                || (a == PERSONAL && personal(c))
                || (c.len() > a.len() && c.starts_with(a) && c.as_bytes()[a.len()] == b'.')
        };
        let images: BTreeMap<&String, String> = self
            .used_cats
            .iter()
            .map(|k| (k, self.lawful_category(k)))
            .collect();
        let mut taken: BTreeSet<String> = self
            .ext_categories
            .iter()
            .map(|e| self.lawful_category(&e.fides_key.value))
            .collect();
        let mut split = BTreeMap::new();
        for (k, c) in &images {
            let shared = images
                .iter()
                .any(|(k2, c2)| k2 != k && within(c2, c) && !self.category_within(k2, k));
            if !shared {
                continue;
            }
            let last = k.rsplit('.').next().unwrap_or(k);
            let mut id = format!("{c}.{}", key_id(last));
            let mut n = 2;
            while builtin.get(&id).is_some() || taken.contains(&id) {
                id = format!("{c}.{}_{n}", key_id(last));
                n += 1;
            }
            taken.insert(id.clone());
            split.insert((*k).clone(), id);
        }
        self.split = split;
    }

    /// The purpose template of a data use: its own or its nearest ancestor's.
    fn use_template(&self, key: &str) -> Option<&'static UseTemplate> {
        let mut k = key.to_string();
        for _ in 0..32 {
            if let Some(t) = mapping().uses.get(&k) {
                return Some(t);
            }
            k = match self.use_parent.get(&k) {
                Some(Some(p)) => p.clone(),
                Some(None) => return None,
                None => match k.rsplit_once('.') {
                    Some((p, _)) => p.to_string(),
                    None => return None,
                },
            };
        }
        None
    }

    /// Every fideslang category key at or below `key` (default and extended).
    fn keys_below(&self, key: &str) -> Vec<String> {
        let all: Vec<&String> = mapping()
            .categories
            .keys()
            .chain(self.cat_parent.keys())
            .collect();
        all.into_iter()
            .filter(|k| self.category_within(k, key))
            .cloned()
            .collect()
    }

    fn category_within(&self, k: &str, ancestor: &str) -> bool {
        let mut cur = k.to_string();
        for _ in 0..64 {
            if cur == ancestor {
                return true;
            }
            cur = match self.cat_parent.get(&cur) {
                Some(Some(p)) => p.clone(),
                Some(None) => return false,
                None => match cur.rsplit_once('.') {
                    Some((p, _)) => p.to_string(),
                    None => return false,
                },
            };
        }
        false
    }

    /// A policy's category value: the fewest lawful categories that cover the images of
    /// `key` and of every fideslang key below it that the project uses (only those can
    /// meet a rule).
    fn policy_categories(&self, key: &str) -> Vec<String> {
        let images: BTreeSet<String> = self
            .keys_below(key)
            .iter()
            .filter(|k| *k == key || self.used_cats.contains(*k))
            .map(|k| self.lawful_category(k))
            .collect();
        self.fewest(images)
    }

    /// `images` without the categories another one of them already covers (an ancestor,
    /// or `personal` for every personal category).
    fn fewest(&self, images: BTreeSet<String>) -> Vec<String> {
        let builtin = Taxonomy::builtin();
        let covered_by = |c: &str, a: &str| -> bool {
            if a == PERSONAL {
                // `personal` is the root of every personal category.
                let personal = builtin
                    .get(c)
                    .map(|id| builtin.cat(id).personal)
                    .unwrap_or(!c.starts_with("non_personal"));
                return c != PERSONAL && personal;
            }
            c.len() > a.len() && c.starts_with(a) && c.as_bytes()[a.len()] == b'.'
        };
        images
            .iter()
            .filter(|c| !images.iter().any(|a| covered_by(c, a)))
            .cloned()
            .collect()
    }

    /// The categories a Fides dataset declares at dataset or collection level that no
    /// field inherits (every field declares its own): lawful would not count them as held,
    /// while Fides evaluates them, so the purposes using the dataset declare them.
    fn unheld_categories(&self, dataset: &str) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        let Some(d) = self.datasets.iter().find(|d| d.fides_key.value == dataset) else {
            return out;
        };
        for c in &d.collections {
            let mut default: Vec<Sp<String>> = d.data_categories.clone().unwrap_or_default();
            default.extend(c.data_categories.iter().flatten().cloned());
            if default.is_empty() {
                continue;
            }
            let mut inherited = false;
            walk_fields(&c.fields, "", &mut |_, f| {
                let own = f.data_categories.as_ref().is_some_and(|v| !v.is_empty());
                let has_children = f.fields.as_ref().is_some_and(|v| !v.is_empty());
                if !own && !has_children {
                    inherited = true;
                }
            });
            if !inherited {
                out.extend(self.mapped(&default));
            }
        }
        out
    }

    fn mapped(&self, keys: &[Sp<String>]) -> Vec<String> {
        let set: BTreeSet<String> = keys
            .iter()
            .map(|k| self.lawful_category(&k.value))
            .collect();
        set.into_iter().collect()
    }

    fn subject_title(&self, key: &str) -> (String, Option<String>, bool) {
        let e = self.ext_subjects.iter().find(|e| e.fides_key.value == key);
        if let Some(t) = mapping().subjects.get(key) {
            // The project's own name for a default subject wins (its Chinese title would
            // no longer match).
            return match e.and_then(|e| e.name.as_deref()) {
                Some(n) => (one_line(n), None, t.vulnerable),
                None => (t.title.en.clone(), Some(t.title.zh.clone()), t.vulnerable),
            };
        }
        let en = e
            .and_then(|e| e.name.clone())
            .unwrap_or_else(|| crate::emit::humanize(key));
        (en, None, false)
    }

    // ---- output ----------------------------------------------------------------------

    /// The lawful id of a system.
    fn sys_id(&self, key: &str) -> String {
        self.ids
            .systems
            .get(key)
            .cloned()
            .unwrap_or_else(|| key_id(key))
    }

    /// The lawful id of a data subject.
    fn subj_id(&self, key: &str) -> String {
        self.ids
            .subjects
            .get(key)
            .cloned()
            .unwrap_or_else(|| key_id(key))
    }

    /// Every data subject key a declaration or policy names, and the project's own.
    fn subject_keys(&self) -> BTreeSet<String> {
        let mut subjects: BTreeSet<String> = BTreeSet::new();
        for s in &self.systems {
            for d in &s.privacy_declarations {
                subjects.extend(d.data_subjects.iter().map(|k| k.value.clone()));
            }
        }
        for p in &self.policies {
            for r in &p.rules {
                subjects.extend(r.data_subjects.values.iter().map(|k| k.value.clone()));
            }
        }
        subjects.extend(self.ext_subjects.iter().map(|e| e.fides_key.value.clone()));
        subjects
    }

    /// Assign the ids of systems, datasets and subjects (one namespace in lawful).
    fn assign_ids(&mut self) {
        let mut taken = BTreeSet::new();
        let mut ids = Ids::default();
        for s in &self.systems {
            let id = key_id(&s.fides_key.value);
            taken.insert(id.clone());
            ids.systems.insert(s.fides_key.value.clone(), id);
        }
        for d in &self.datasets {
            let v = d
                .collections
                .iter()
                .map(|c| {
                    unique_id(
                        format!("{}__{}", key_id(&d.fides_key.value), key_id(&c.name.value)),
                        &mut taken,
                    )
                })
                .collect();
            ids.datasets.insert(d.fides_key.value.clone(), v);
        }
        let mut by_base: BTreeMap<String, String> = BTreeMap::new();
        for k in self.subject_keys() {
            let base = key_id(&k);
            let id = match by_base.get(&base) {
                Some(id) => id.clone(),
                None => {
                    let id = unique_id(base.clone(), &mut taken);
                    by_base.insert(base, id.clone());
                    id
                }
            };
            ids.subjects.insert(k, id);
        }
        self.ids = ids;
    }

    fn emit(&mut self) -> Files {
        self.assign_ids();
        self.split_shared_images();
        let mut files = Files::new();
        let datasets = self.ids.datasets.clone();
        let mut used_categories: BTreeSet<String> = BTreeSet::new();

        // Datasets, one file per Fides dataset.
        let mut dataset_subjects: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut dataset_systems: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for s in &self.systems {
            for d in &s.privacy_declarations {
                for r in d.dataset_references.iter().flatten() {
                    dataset_subjects
                        .entry(r.value.clone())
                        .or_default()
                        .extend(d.data_subjects.iter().map(|k| self.subj_id(&k.value)));
                    dataset_systems
                        .entry(r.value.clone())
                        .or_default()
                        .insert(self.sys_id(&s.fides_key.value));
                }
            }
            for r in s.dataset_references.iter().flatten() {
                dataset_systems
                    .entry(r.value.clone())
                    .or_default()
                    .insert(self.sys_id(&s.fides_key.value));
            }
        }
        let mut file_names: BTreeSet<String> = BTreeSet::new();
        for d in &self.datasets {
            let key = &d.fides_key.value;
            let file = unique_id(key_id(key), &mut file_names);
            let text = self.dataset_file(
                d,
                &datasets[key],
                dataset_subjects.get(key),
                dataset_systems.get(key),
                &mut used_categories,
            );
            files.insert(format!("datasets/{file}.yaml"), text);
        }

        if !self.systems.is_empty() {
            files.insert("systems.yaml".into(), self.systems_file());
            let purposes = self.purposes_file(&datasets, &mut used_categories);
            if let Some(p) = purposes {
                files.insert("purposes.yaml".into(), p);
            }
            if let Some(f) = self.flows_file(&datasets, &mut used_categories) {
                files.insert("flows.yaml".into(), f);
            }
        }
        if !self.policies.is_empty() {
            files.insert("policies.yaml".into(), self.policies_file(&used_categories));
        }
        files.insert("lawful.yaml".into(), self.root_file(&used_categories));
        files
    }

    fn dataset_file(
        &self,
        d: &Dataset,
        ids: &[String],
        subjects: Option<&BTreeSet<String>>,
        systems: Option<&BTreeSet<String>>,
        used: &mut BTreeSet<String>,
    ) -> String {
        let mut w = Writer::new();
        let name = d.name.clone().unwrap_or_else(|| d.fides_key.value.clone());
        w.comment(&format!(
            "Imported from the Fides dataset `{}` ({}): one lawful dataset per collection.",
            d.fides_key.value,
            one_line(&name)
        ));
        if let Some(desc) = &d.description {
            w.comment(&one_line(desc));
        }
        if d.collections.is_empty() {
            w.comment("Fides lists no collections for this dataset.");
            w.raw("datasets", "{}");
            return w.finish();
        }
        w.open("datasets");
        let dataset_cats: Vec<Sp<String>> = d.data_categories.clone().unwrap_or_default();
        for (c, id) in d.collections.iter().zip(ids) {
            let base = format!("{}__{}", key_id(&d.fides_key.value), key_id(&c.name.value));
            if *id != base {
                w.comment(&format!(
                    "The collection `{}`: `{base}` is already the id of a system or another collection, and lawful's systems, datasets and subjects share their ids.",
                    c.name.value
                ));
            }
            w.open(id);
            let title = match &c.description {
                Some(desc) if desc.chars().count() <= 80 && !desc.contains('\n') => {
                    desc.trim().to_string()
                }
                _ => format!("{} – {}", one_line(&name), c.name.value),
            };
            w.raw("title", &localized(&title, None));
            if let Some(desc) = &c.description
                && one_line(desc) != title
            {
                w.comment(&one_line(desc));
            }
            if let Some(systems) = systems
                && systems.len() == 1
            {
                w.scalar("system", systems.iter().next().expect("one"));
            }
            w.todo("the country where this data is stored (`country:`, e.g. DE); Fides records no location");
            if let Some(s) = subjects.filter(|s| !s.is_empty()) {
                let v: Vec<&str> = s.iter().map(String::as_str).collect();
                w.list("subjects", &v);
            }
            let mut default: Vec<Sp<String>> = dataset_cats.clone();
            default.extend(c.data_categories.iter().flatten().cloned());
            let default = self.mapped(&default);
            used.extend(default.iter().cloned());
            if !default.is_empty() {
                let v: Vec<&str> = default.iter().map(String::as_str).collect();
                w.comment("Categories Fides gives the whole collection (or dataset): every field below that declares none has them.");
                w.list("categories", &v);
            }
            let retention = c.retention.as_ref().or(d.retention.as_ref());
            match retention {
                Some(r) => {
                    // Fides' own words go in a plain comment, never in the review note.
                    w.comment(&format!("Fides' retention: \"{}\"", one_line(r)));
                    w.todo(
                        "how long rows are kept and when they go (`retention:` with `period`, `after` and `then`); Fides says it in words only (above)",
                    )
                }
                None => w.todo(
                    "how long rows are kept and when they go (`retention:` with `period`, `after` and `then`); Fides records no retention",
                ),
            }
            let fields = self.collection_fields(c);
            let identities: Vec<&EmittedField> =
                fields.iter().filter(|f| f.identity.is_some()).collect();
            if let [one] = identities.as_slice() {
                w.comment(&format!(
                    "Fides matches data subject requests on `{}` by the person's {}.",
                    one.id,
                    one.identity.as_deref().unwrap_or_default()
                ));
                w.scalar("subject_key", &one.id);
            }
            if fields.is_empty() {
                w.comment("Fides lists no fields for this collection.");
                w.raw("fields", "{}");
            } else {
                w.open("fields");
            }
            for f in &fields {
                used.extend(f.categories.iter().cloned());
                if !f.notes.is_empty() {
                    w.comment(&format!("Fides: {}.", f.notes.join("; ")));
                }
                if f.categories.is_empty() && f.description.is_none() && f.column.is_none() {
                    if default.is_empty() {
                        w.raw(&f.id, "{ categories: [] }");
                    } else {
                        w.raw(&f.id, "{}");
                    }
                    continue;
                }
                w.open(&f.id);
                if let Some(col) = &f.column {
                    w.scalar("column", col);
                }
                if !f.categories.is_empty() || default.is_empty() {
                    let v: Vec<&str> = f.categories.iter().map(String::as_str).collect();
                    w.list("categories", &v);
                }
                if let Some(desc) = &f.description {
                    w.scalar("description", desc);
                }
                w.close();
            }
            if !fields.is_empty() {
                w.close();
            }
            w.close();
        }
        w.close();
        w.finish()
    }

    /// The fields of a collection as lawful writes them: nested ones flattened to dotted
    /// names, a document whose only content is its sub-fields left out, a name lawful does
    /// not take as a field id (spaces, backslashes) kept as the `column`.
    fn collection_fields(&self, c: &Collection) -> Vec<EmittedField> {
        let mut out = Vec::new();
        let mut taken = BTreeSet::new();
        walk_fields(&c.fields, "", &mut |path, f| {
            let own = f.data_categories.clone().unwrap_or_default();
            let has_children = f.fields.as_ref().is_some_and(|v| !v.is_empty());
            if has_children && own.is_empty() {
                return;
            }
            let meta = f.fides_meta.as_ref().or(f.fidesops_meta.as_ref());
            let mut notes = Vec::new();
            let mut identity = None;
            if let Some(m) = meta {
                if let Some(i) = &m.identity {
                    notes.push(format!("identifies the person by their `{i}`"));
                    identity = Some(i.clone());
                }
                if m.primary_key == Some(true) {
                    notes.push("primary key".to_string());
                }
                for r in m.references.iter().flatten() {
                    let dir = match r.direction.as_deref() {
                        Some("from") => "referenced by",
                        _ => "references",
                    };
                    notes.push(format!("{dir} `{}.{}`", r.dataset, r.field));
                }
            }
            let bad = |ch: char| ch.is_whitespace() || ch == '\\' || ch.is_control();
            let base: String = path
                .chars()
                .map(|ch| if bad(ch) { '_' } else { ch })
                .collect();
            // A field whose id is not its name (characters lawful ids do not take, or a
            // `_2` suffix after a clash) keeps its name as the column.
            let id = unique_id(base, &mut taken);
            let column = (id != path).then(|| path.to_string());
            out.push(EmittedField {
                id,
                column,
                categories: self.mapped(&own),
                description: f.description.as_deref().map(one_line),
                notes,
                identity,
            });
        });
        out
    }

    fn systems_file(&self) -> String {
        let mut w = Writer::new();
        w.comment("Systems, from the Fides `system` resources.");
        w.open("systems");
        for s in &self.systems {
            w.open(&self.sys_id(&s.fides_key.value));
            if let Some(d) = &s.description {
                w.comment(&one_line(d));
            }
            let title = s
                .name
                .clone()
                .unwrap_or_else(|| crate::emit::humanize(&s.fides_key.value));
            w.raw("title", &localized(&one_line(&title), None));
            if let Some(o) = &s.administrating_department {
                w.scalar("owner", o);
            }
            w.todo("the country where this system runs (`country:`, e.g. DE); Fides records no location");
            w.close();
        }
        w.close();
        w.finish()
    }

    fn purposes_file(
        &self,
        datasets: &BTreeMap<String, Vec<String>>,
        used: &mut BTreeSet<String>,
    ) -> Option<String> {
        let mut w = Writer::new();
        w.comment(
            "Purposes, one per privacy declaration of a Fides system. The title comes from the",
        );
        w.comment(
            "declaration's data use (`data_use`, which policies match); the description is the",
        );
        w.comment("declaration's name.");
        w.open("purposes");
        let mut taken = BTreeSet::new();
        let mut any = false;
        for s in &self.systems {
            for d in &s.privacy_declarations {
                if any {
                    w.blank();
                }
                any = true;
                let decl = d
                    .name
                    .as_ref()
                    .map(|n| name_slug(&n.value))
                    .filter(|n| !n.is_empty())
                    .unwrap_or_else(|| key_id(&d.data_use.value));
                let id = unique_id(
                    format!("{}__{decl}", key_id(&s.fides_key.value)),
                    &mut taken,
                );
                w.open(&id);
                w.comment(&format!(
                    "Privacy declaration {}of system `{}`.",
                    d.name
                        .as_ref()
                        .map(|n| format!("\"{}\" ", one_line(&n.value)))
                        .unwrap_or_default(),
                    s.fides_key.value
                ));
                let t = self.use_template(&d.data_use.value);
                let ext = self
                    .ext_uses
                    .iter()
                    .find(|e| e.fides_key.value == d.data_use.value);
                match (ext, t) {
                    (Some(e), Some(t)) => {
                        w.comment(&format!(
                            "`{}` is this project's own data use ({}); the title is that of its parent.",
                            d.data_use.value,
                            e.name.as_deref().map(one_line).unwrap_or_default()
                        ));
                        w.raw("title", &title_yaml(&t.title));
                    }
                    (_, Some(t)) => w.raw("title", &title_yaml(&t.title)),
                    (Some(e), None) => {
                        let en = e
                            .name
                            .clone()
                            .unwrap_or_else(|| crate::emit::humanize(&e.fides_key.value));
                        w.raw("title", &localized(&one_line(&en), None));
                    }
                    (None, None) => w.raw(
                        "title",
                        &localized(&crate::emit::humanize(&d.data_use.value), None),
                    ),
                }
                if let Some(n) = &d.name {
                    w.raw("description", &localized(&one_line(&n.value), None));
                }
                w.scalar("data_use", &d.data_use.value);
                let basis = match (
                    &d.legal_basis_for_processing,
                    &d.special_category_legal_basis,
                ) {
                    (Some(b), Some(s)) => Some(format!(
                        "Fides' legal basis: \"{}\" and, for special categories, \"{}\"",
                        one_line(b),
                        one_line(s)
                    )),
                    (Some(b), None) => Some(format!("Fides' legal basis: \"{}\"", one_line(b))),
                    (None, Some(s)) => Some(format!(
                        "Fides' legal basis for special categories: \"{}\"",
                        one_line(s)
                    )),
                    (None, None) => None,
                };
                if let Some(b) = &basis {
                    w.comment(b);
                }
                w.todo(&format!(
                    "the legal basis under each regime in scope (`legal_basis: {{ gdpr: …, pipl: …, ccpa: … }}`){}",
                    if basis.is_some() { "; Fides names one (above)" } else { "" }
                ));
                if let Some(t) = t {
                    if t.direct_marketing {
                        w.raw("direct_marketing", "true");
                    }
                    if t.profiling {
                        w.raw("profiling", "true");
                    }
                    if t.innovative_tech {
                        w.raw("innovative_tech", "true");
                    }
                }
                let mut cats: BTreeSet<String> =
                    self.mapped(&d.data_categories).into_iter().collect();
                for r in d.dataset_references.iter().flatten() {
                    let extra: Vec<String> = self
                        .unheld_categories(&r.value)
                        .into_iter()
                        .filter(|c| !cats.contains(c))
                        .collect();
                    if !extra.is_empty() {
                        w.comment(&format!(
                            "{} added: the Fides dataset `{}` declares {} for itself, not for any of its fields.",
                            extra.join(", "),
                            r.value,
                            if extra.len() == 1 { "it" } else { "them" }
                        ));
                        cats.extend(extra);
                    }
                }
                used.extend(cats.iter().cloned());
                let v: Vec<&str> = cats.iter().map(String::as_str).collect();
                w.list("categories", &v);
                let subjects: BTreeSet<String> = d
                    .data_subjects
                    .iter()
                    .map(|k| self.subj_id(&k.value))
                    .collect();
                let v: Vec<&str> = subjects.iter().map(String::as_str).collect();
                w.list("subjects", &v);
                let mut ds = Vec::new();
                for r in d.dataset_references.iter().flatten() {
                    ds.extend(
                        datasets
                            .get(&r.value)
                            .into_iter()
                            .flatten()
                            .map(String::as_str),
                    );
                }
                if d.dataset_references.is_none() {
                    w.comment("Fides names no dataset for this declaration.");
                }
                w.raw("datasets", &wrapped_list(&ds, 2));
                match &d.retention_period {
                    Some(r) => {
                        w.comment(&format!("Fides' retention_period: \"{}\"", one_line(r)));
                        w.todo(
                            "how long the purpose needs the data (`retention:`, an ISO 8601 duration such as P2Y); Fides says it in words only (above)",
                        )
                    }
                    None => w.todo(
                        "how long the purpose needs the data (`retention:`, an ISO 8601 duration such as P2Y)",
                    ),
                }
                w.close();
            }
        }
        w.close();
        any.then(|| w.finish())
    }

    fn flows_file(
        &self,
        datasets: &BTreeMap<String, Vec<String>>,
        used: &mut BTreeSet<String>,
    ) -> Option<String> {
        // (from, to) → categories (None: everything that reaches the source).
        let mut flows: BTreeMap<(String, String), Option<BTreeSet<String>>> = BTreeMap::new();
        let mut add = |from: String, to: String, cats: Option<Vec<String>>| {
            let e = flows
                .entry((from, to))
                .or_insert_with(|| Some(BTreeSet::new()));
            match (e.as_mut(), cats) {
                (Some(set), Some(c)) => set.extend(c),
                (_, None) => *e = None,
                (None, Some(_)) => {}
            }
        };
        let mut dropped = Vec::new();
        let mut unsourced = Vec::new();
        for s in &self.systems {
            let sys = self.sys_id(&s.fides_key.value);
            let subjects: BTreeSet<String> = s
                .privacy_declarations
                .iter()
                .flat_map(|d| d.data_subjects.iter().map(|k| self.subj_id(&k.value)))
                .collect();
            let ends = |f: &DataFlow| -> Vec<String> {
                match f.kind.value.as_str() {
                    "system" => vec![self.sys_id(&f.fides_key.value)],
                    "dataset" => datasets
                        .get(&f.fides_key.value)
                        .cloned()
                        .unwrap_or_default(),
                    _ => subjects.iter().cloned().collect(),
                }
            };
            for f in s.egress.iter().flatten() {
                let cats = f.data_categories.as_ref().map(|c| self.mapped(c));
                if f.kind.value == "user" {
                    dropped.push(sys.clone());
                    continue;
                }
                for to in ends(f) {
                    add(sys.clone(), to, cats.clone());
                }
            }
            for f in s.ingress.iter().flatten() {
                let cats = f.data_categories.as_ref().map(|c| self.mapped(c));
                if f.kind.value == "user" && subjects.is_empty() {
                    unsourced.push(sys.clone());
                }
                for from in ends(f) {
                    add(from, sys.clone(), cats.clone());
                }
            }
        }
        if flows.is_empty() && dropped.is_empty() && unsourced.is_empty() {
            return None;
        }
        let mut w = Writer::new();
        w.comment("Flows, from the `egress` and `ingress` of the Fides systems (each pair once).");
        if !dropped.is_empty() {
            dropped.dedup();
            w.comment(&format!(
                "Egress to `user` (data shown back to the person) is not a flow in lawful: {}.",
                dropped.join(", ")
            ));
        }
        if !unsourced.is_empty() {
            unsourced.dedup();
            w.todo(&format!(
                "the data subjects whose data flows into {} (Fides says: from `user`, and the system's declarations name no subjects); add a flow `from: <subject>` for each",
                unsourced.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", ")
            ));
        }
        if flows.is_empty() {
            w.raw("flows", "[]");
            return Some(w.finish());
        }
        w.open("flows");
        for ((from, to), cats) in &flows {
            w.item();
            w.scalar("from", from);
            w.scalar("to", to);
            if let Some(c) = cats {
                used.extend(c.iter().cloned());
                let v: Vec<&str> = c.iter().map(String::as_str).collect();
                w.list("categories", &v);
            }
            w.todo("the purposes this flow serves (`purposes: [...]`); Fides does not say");
            w.close();
        }
        w.close();
        Some(w.finish())
    }

    /// Declare the extension `id` that stands for the fideslang key `key`: its label from
    /// fideslang's name, and its parent's regime flags written out, so that it reads as
    /// exactly as classified as the category it refines.
    fn split_category(&self, w: &mut Writer, id: &str, key: &str) {
        w.open(id);
        let parent = id.rsplit_once('.').map(|(p, _)| p).unwrap_or(id);
        w.comment(&format!(
            "Fides' `{key}`: `{parent}` also holds other Fides categories of this project."
        ));
        let en = mapping()
            .categories
            .contains_key(key)
            .then(|| mapping().names.get(key).cloned())
            .flatten()
            .unwrap_or_else(|| crate::emit::humanize(id.rsplit('.').next().unwrap_or(id)));
        w.raw("label", &localized(&one_line(&en), None));
        let builtin = Taxonomy::builtin();
        if let Some(c) = builtin.get(parent).map(|p| builtin.cat(p)) {
            let flags = [
                ("gdpr_art9", c.gdpr_art9.as_ref().and_then(flag_name)),
                ("gdpr_art10", c.gdpr_art10.map(|b| b.to_string())),
                (
                    "pipl_sensitive",
                    c.pipl_sensitive.as_ref().and_then(flag_name),
                ),
                (
                    "ccpa_category",
                    c.ccpa_category.as_ref().and_then(flag_name),
                ),
                ("ccpa_spi", c.ccpa_spi.as_ref().and_then(flag_name)),
            ];
            for (k, v) in flags {
                match v {
                    Some(v) if k == "gdpr_art10" => w.raw(k, &v),
                    Some(v) => w.scalar(k, &v),
                    None => {}
                }
            }
        }
        w.close();
    }

    fn policies_file(&self, used: &BTreeSet<String>) -> String {
        let mut w = Writer::new();
        w.comment(
            "Policies, from the Fides `policy` resources. Category values are translated to the",
        );
        w.comment(
            "lawful categories that cover the Fides key and every key below it this project uses;",
        );
        w.comment("data uses stay Fides keys (each purpose records its `data_use`).");
        w.open("policies");
        for p in &self.policies {
            w.open(&key_id(&p.fides_key.value));
            if let Some(n) = &p.name {
                w.comment(&one_line(n));
            }
            if let Some(d) = &p.description {
                w.scalar("description", &one_line(d));
            }
            if p.rules.is_empty() {
                w.comment("Fides lists no rules for this policy.");
                w.raw("rules", "{}");
                w.close();
                continue;
            }
            // Roots of every category and every subject the project holds: with `any`, a
            // dimension that matches whenever the unit declares something in it.
            let mut cat_roots: BTreeSet<String> = used
                .iter()
                .chain(self.extension_categories().keys())
                .map(|c| c.split('.').next().unwrap_or(c).to_string())
                .collect();
            cat_roots.remove("");
            let all_subjects: BTreeSet<String> = self
                .subject_keys()
                .iter()
                .map(|k| self.subj_id(k))
                .collect();
            w.open("rules");
            let mut rule_ids = BTreeSet::new();
            for r in &p.rules {
                let base = match name_slug(&r.name.value) {
                    s if s.is_empty() => "rule".to_string(),
                    s => s,
                };
                let id = unique_id(base.clone(), &mut rule_ids);
                let mut cats: BTreeSet<String> = BTreeSet::new();
                for v in &r.data_categories.values {
                    cats.extend(self.policy_categories(&v.value));
                }
                let cats = self.fewest(cats);
                let uses: Vec<String> =
                    r.data_uses.values.iter().map(|v| v.value.clone()).collect();
                let subjects: Vec<String> = r
                    .data_subjects
                    .values
                    .iter()
                    .map(|v| self.subj_id(&v.value))
                    .collect();
                // Fides with no rule values: ANY and ALL never match; NONE and OTHER
                // match whenever the unit declares anything in that dimension.
                let mut dims: Vec<(&str, String, Option<Vec<String>>, &'static str)> = Vec::new();
                let mut never = false;
                for (key, m, values, everything, what) in [
                    (
                        "categories",
                        &r.data_categories.matches,
                        cats,
                        &cat_roots,
                        "category",
                    ),
                    (
                        "purposes",
                        &r.data_uses.matches,
                        uses,
                        &BTreeSet::new(),
                        "data use",
                    ),
                    (
                        "subjects",
                        &r.data_subjects.matches,
                        subjects,
                        &all_subjects,
                        "data subject",
                    ),
                ] {
                    let mode = m.value.to_ascii_lowercase();
                    if !values.is_empty() {
                        dims.push((key, mode, Some(values), ""));
                    } else if mode == "any" || mode == "all" {
                        never = true;
                    } else if key == "purposes" {
                        // Every purpose has a data use.
                        dims.push((key, mode, None, what));
                    } else if everything.is_empty() {
                        never = true;
                    } else {
                        dims.push((
                            key,
                            "any".into(),
                            Some(everything.iter().cloned().collect()),
                            what,
                        ));
                    }
                }
                if never {
                    w.comment(&format!(
                        "Fides' rule \"{}\" is left out: it lists no values under a dimension it matches with ANY or ALL (or NONE or OTHER where this project declares nothing of that kind), so it can never match.",
                        one_line(&r.name.value)
                    ));
                    continue;
                }
                w.open(&id);
                if r.name.value != id {
                    w.comment(&format!("\"{}\"", one_line(&r.name.value)));
                }
                if id != base {
                    w.comment(&format!(
                        "`{base}` is already the id of another rule of this policy."
                    ));
                }
                if let Some(d) = &r.description {
                    w.scalar("description", &one_line(d));
                }
                for (key, mode, values, what) in dims {
                    match values {
                        None => w.comment(&format!(
                            "Fides lists no {what} values with {}: that matches every purpose, as leaving `{key}` out does.",
                            mode.to_ascii_uppercase()
                        )),
                        Some(values) => {
                            if !what.is_empty() {
                                w.comment(&format!(
                                    "Fides lists no {what} values with NONE or OTHER: that matches whenever the purpose declares any {what}, as `any` of all this project's does."
                                ));
                            }
                            let v: Vec<&str> = values.iter().map(String::as_str).collect();
                            w.raw(
                                key,
                                &format!("{{ matches: {mode}, values: {} }}", flow_list(&v)),
                            );
                        }
                    }
                }
                w.close();
            }
            w.close();
            w.close();
        }
        w.close();
        w.finish()
    }

    fn root_file(&self, used: &BTreeSet<String>) -> String {
        let mut w = Writer::new();
        w.comment(
            "Imported from Fides (fideslang) manifests by `lawful import fides`; docs/fides.md",
        );
        w.comment("says what maps to what. The review notes below mark the facts Fides does not");
        w.comment(
            "record; `lawful check` lists each one until it is filled in and the note deleted.",
        );
        w.comment("Categories, uses and subjects mapped with the Fideslang taxonomy by Ethyca, Inc., CC BY 4.0.");
        w.raw("version", "1");
        w.blank();
        w.open("organization");
        match self.organizations.first() {
            Some(o) => {
                let name = o
                    .name
                    .clone()
                    .unwrap_or_else(|| crate::emit::humanize(&o.fides_key.value));
                w.scalar("name", &one_line(&name));
                if let Some(d) = &o.description {
                    w.comment(&one_line(d));
                }
                if self.organizations.len() > 1 {
                    let others: Vec<String> = self.organizations[1..]
                        .iter()
                        .map(|o| format!("`{}`", o.fides_key.value))
                        .collect();
                    w.comment(&format!(
                        "Fides also declares the organization(s) {}; a lawful project describes one.",
                        others.join(", ")
                    ));
                }
                if let Some(url) = &o.security_policy {
                    w.comment(&format!("Fides' security_policy: {url}"));
                }
                match &o.controller {
                    Some(c) => {
                        w.open("contact");
                        party(&mut w, c);
                        w.close();
                    }
                    None => {
                        w.todo("how people reach the organization (`contact: { name, email, address }`); Fides names no controller");
                        w.raw("contact", "{}");
                    }
                }
                if let Some(c) = &o.data_protection_officer {
                    w.open("dpo");
                    party(&mut w, c);
                    w.todo("whether these contact details are published (`published: true`) and when they were reported to the supervisory authority (`reported_on: YYYY-MM-DD`); Fides does not record it");
                    w.close();
                }
                if let Some(c) = &o.representative {
                    w.comment("Fides' `representative`, taken as the GDPR Art 27 representative in the Union.");
                    w.open("eu_representative");
                    party(&mut w, c);
                    w.close();
                }
            }
            None => {
                w.todo(
                    "the organization's name and contact; the Fides files declare no organization",
                );
                w.scalar("name", "Organization");
                w.todo("how people reach the organization (`contact: { name, email, address }`)");
                w.raw("contact", "{}");
            }
        }
        w.todo(
            "the countries where the organization is established (`establishments: [DE, CN, US-CA]`); Fides records no countries, and lawful derives the regimes (GDPR, PIPL, CCPA) from them and from where the subjects live",
        );
        w.close();

        // Subjects: every one a declaration or a policy names, and the project's own.
        let subjects = self.subject_keys();
        if !subjects.is_empty() {
            w.blank();
            w.open("subjects");
            let mut ids = BTreeSet::new();
            for k in &subjects {
                let id = self.subj_id(k);
                if !ids.insert(id.clone()) {
                    continue;
                }
                let (en, zh, vulnerable) = self.subject_title(k);
                w.open(&id);
                if id != key_id(k) {
                    w.comment(&format!(
                        "The Fides data subject `{k}`: `{}` is already the id of a system or dataset, and lawful's systems, datasets and subjects share their ids.",
                        key_id(k)
                    ));
                }
                if let Some(e) = self.ext_subjects.iter().find(|e| e.fides_key.value == *k) {
                    if mapping().subjects.contains_key(k) {
                        w.comment(&format!(
                            "The Fides data subject `{k}`, under the name this project gives it."
                        ));
                    } else {
                        w.comment(&format!("This project's own data subject `{k}` in Fides."));
                    }
                    if let Some(d) = &e.description {
                        w.comment(&one_line(d));
                    }
                }
                w.raw("title", &localized(&en, zh.as_deref()));
                w.todo("where these people live (`lives_in: [EU, CN, US-CA]`); Fides records no countries");
                if vulnerable {
                    w.raw("vulnerable", "true");
                }
                w.close();
            }
            w.close();
        }

        if !self.ext_uses.is_empty() {
            w.blank();
            w.comment("This project's own Fides data uses (lawful keeps no list of uses: a purpose names its");
            w.comment("use with `data_use`, and policies match it and the uses above it):");
            for e in &self.ext_uses {
                let parent = e
                    .parent_key
                    .as_ref()
                    .map(|p| format!(", below `{}`", p.value))
                    .unwrap_or_default();
                let name = e
                    .name
                    .as_deref()
                    .map(|n| format!(" ({})", one_line(n)))
                    .unwrap_or_default();
                w.comment(&format!("- `{}`{name}{parent}", e.fides_key.value));
            }
        }

        // Project categories: the extended taxonomy, and `personal` when a field is only
        // known to hold personal data.
        let ext = self.extension_categories();
        let needs_personal = used
            .iter()
            .chain(ext.keys())
            .any(|c| c == PERSONAL || c.starts_with("personal."));
        if needs_personal || !ext.is_empty() {
            w.blank();
            w.open("categories");
            if needs_personal && !ext.contains_key(PERSONAL) {
                w.open(PERSONAL);
                w.comment("Fides' `user`: personal data of no more specific category.");
                w.todo(
                    "choose specific categories wherever `personal` is used (`lawful taxonomy` lists them), then remove this one",
                );
                w.raw(
                    "label",
                    &localized("Personal data (unspecified)", Some("个人信息（未细分）")),
                );
                w.raw("personal", "true");
                w.close();
            }
            for (id, from) in &ext {
                let e = match from {
                    ExtCategory::Fides(e) => Some(*e),
                    ExtCategory::Split(key) => {
                        self.split_category(&mut w, id, key);
                        continue;
                    }
                };
                w.open(id);
                let fides_key = e.map(|e| e.fides_key.value.clone()).unwrap_or_default();
                w.comment(&format!(
                    "This project's own data category `{fides_key}` in Fides."
                ));
                if let Some(d) = e.and_then(|e| e.description.as_ref()) {
                    w.comment(&one_line(d));
                }
                let en = e
                    .and_then(|e| e.name.clone())
                    .unwrap_or_else(|| crate::emit::humanize(id.rsplit('.').next().unwrap_or(id)));
                w.raw("label", &localized(&one_line(&en), None));
                if id.contains('.') {
                    w.todo("the category's flags under each regime (`gdpr_art9`, `pipl_sensitive`, `ccpa_category`, …) if they differ from its parent's");
                } else {
                    w.todo("whether this is personal data (`personal: true` or `false`) and its flags under each regime (`gdpr_art9`, `pipl_sensitive`, `ccpa_category`, …); Fides does not say");
                }
                w.close();
            }
            w.close();
        }
        w.finish()
    }
}

/// Where a project category extension comes from.
enum ExtCategory<'a> {
    /// The project's own fideslang data category.
    Fides(&'a TaxonomyEntry),
    /// A fideslang key that shares its lawful category with another key of the project.
    Split(&'a str),
}

/// The name of a serialized flag value (`none`, `health`, …).
fn flag_name<T: serde::Serialize>(v: &T) -> Option<String> {
    serde_json::to_value(v).ok()?.as_str().map(str::to_string)
}

/// A flow list, over several lines when long: items at `depth + 1` levels of indentation,
/// the closing bracket at `depth` (the depth of the key it is the value of).
fn wrapped_list(items: &[&str], depth: usize) -> String {
    let one = flow_list(items);
    if one.len() <= 80 {
        return one;
    }
    let inner = "  ".repeat(depth + 1);
    let mut out = String::from("[");
    let mut line = String::new();
    for (i, item) in items.iter().enumerate() {
        let piece = format!(
            "{}{}",
            scalar(item),
            if i + 1 < items.len() { "," } else { "" }
        );
        if !line.is_empty() && line.len() + 1 + piece.len() > 88 {
            out.push('\n');
            out.push_str(&inner);
            out.push_str(&line);
            line.clear();
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&piece);
    }
    out.push('\n');
    out.push_str(&inner);
    out.push_str(&line);
    out.push('\n');
    out.push_str(&"  ".repeat(depth));
    out.push(']');
    out
}

/// A field of a lawful dataset, as the import writes it.
struct EmittedField {
    id: String,
    column: Option<String>,
    categories: Vec<String>,
    description: Option<String>,
    notes: Vec<String>,
    identity: Option<String>,
}

fn title_yaml(t: &Title) -> String {
    localized(&t.en, Some(&t.zh))
}

fn party(w: &mut Writer, c: &Contact) {
    for (k, v) in [
        ("name", &c.name),
        ("email", &c.email),
        ("phone", &c.phone),
        ("address", &c.address),
    ] {
        if let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            w.scalar(k, v);
        }
    }
}

fn dup_entry(kind: &str, name: &Sp<String>, first: Span, within: &str) -> Diagnostic {
    Diagnostic::error(
        "import::fides-duplicate",
        format!("the {kind} `{}` appears twice in `{within}`", name.value),
    )
    .at(name.span, "again here")
    .with_secondary(first, "first here")
    .with_help(format!(
        "fideslang refuses duplicate {kind}s; remove or rename one"
    ))
}

/// Visit every field, nested ones with their dotted path (`address.city`).
fn walk_fields(fields: &[Sp<Field>], prefix: &str, f: &mut dyn FnMut(&str, &Field)) {
    for field in fields {
        let path = if prefix.is_empty() {
            field.name.value.clone()
        } else {
            format!("{prefix}.{}", field.name.value)
        };
        f(&path, field);
        if let Some(children) = &field.fields {
            walk_fields(children, &path, f);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn conv(ext: &[(&str, Option<&str>)], used: &[&str]) -> Converter {
        let mut c = Converter::default();
        for (k, p) in ext {
            c.cat_parent.insert(k.to_string(), p.map(str::to_string));
        }
        c.used_cats = used.iter().map(|k| k.to_string()).collect();
        c.split_shared_images();
        c
    }

    #[test]
    fn a_policy_category_covers_the_images_of_the_used_keys_below_it() {
        let c = conv(
            &[],
            &[
                "user.device",
                "user.device.cookie_id",
                "user.device.ip_address",
                "user.contact.email",
                "user",
                "system",
            ],
        );
        // user.device.cookie_id maps to identifier.cookie_id, outside `device`.
        assert_eq!(
            c.policy_categories("user.device"),
            ["device", "identifier.cookie_id"]
        );
        assert_eq!(c.policy_categories("user.contact.email"), ["contact.email"]);
        assert_eq!(c.policy_categories("user"), ["personal"]);
        assert_eq!(c.policy_categories("system"), ["non_personal.operational"]);
        // Keys the project does not use cannot meet a rule: only the key itself is named.
        assert_eq!(c.policy_categories("user.contact"), ["contact"]);
    }

    #[test]
    fn keys_that_share_a_lawful_category_get_an_extension_each() {
        let c = conv(
            &[],
            &[
                "user.contact.address",
                "user.contact.address.street",
                "user.contact.address.city",
                "user.contact",
                "user.contact.url",
                "user.contact.email",
            ],
        );
        // user.contact.address keeps its image: the only other keys with it are below it.
        assert_eq!(
            c.lawful_category("user.contact.address"),
            "contact.postal_address"
        );
        assert_eq!(
            c.lawful_category("user.contact.address.street"),
            "contact.postal_address.street"
        );
        assert_eq!(c.lawful_category("user.contact"), "contact");
        // `contact` also covers contact.email, which is not below user.contact.url.
        assert_eq!(c.lawful_category("user.contact.url"), "contact.url");
        assert_eq!(c.lawful_category("user.contact.email"), "contact.email");
        assert_eq!(
            c.policy_categories("user.contact.address.city"),
            ["contact.postal_address.city"]
        );
        assert_eq!(
            c.policy_categories("user.contact.address"),
            ["contact.postal_address"]
        );
        assert_eq!(c.policy_categories("user.contact"), ["contact"]);
        assert_eq!(c.policy_categories("user.contact.url"), ["contact.url"]);
    }

    #[test]
    fn extended_categories_map_through_their_parent() {
        let c = conv(
            &[("user.contact.work_phone", Some("user.contact"))],
            &["user.contact.work_phone", "user.contact.organization"],
        );
        assert_eq!(
            c.lawful_category("user.contact.work_phone"),
            "contact.work_phone"
        );
        assert_eq!(
            c.policy_categories("user.contact"),
            ["contact", "employment.employer"]
        );
    }

    #[test]
    fn names_become_ids() {
        assert_eq!(
            name_slug("Reject Direct Marketing"),
            "reject_direct_marketing"
        );
        assert_eq!(
            name_slug("Analyze customer behaviour for improvements."),
            "analyze_customer_behaviour_for_improvements"
        );
        assert_eq!(key_id("a.b<c>"), "a_b_c_");
        assert!(valid_key("user.contact"));
        assert!(!valid_key("user contact"));
        assert!(!valid_key("user\\contact"));
    }
}
