//! lawful: a privacy-as-code compiler and linter.
//!
//! The pipeline: [`manifest`] loads a project folder into documents with spans;
//! [`model`] resolves them into a [`model::Model`]; [`graph`] builds the data-flow graph;
//! [`rules`] check both and produce findings; [`report`] renders them; [`emit`] generates
//! notices, retention jobs and grants, with SQL from [`sql`].

pub mod cli;
pub mod diff;
pub mod drift;
pub mod emit;
pub mod graph;
pub mod import;
pub mod manifest;
pub mod model;
pub mod reference;
pub mod report;
pub mod rules;
pub mod sql;
pub mod suggest;
pub mod taxonomy;

use std::path::{Path, PathBuf};

use crate::graph::DataFlowGraph;
use crate::manifest::Date;
use crate::model::Model;
use crate::report::{Diagnostic, Failure, Severity};

/// A project loaded, resolved and graphed.
#[derive(Debug)]
pub struct Project {
    pub root: PathBuf,
    pub model: Model,
    pub graph: DataFlowGraph,
}

/// Run `f`, and when the environment variable `LAWFUL_TIMINGS` is set, print on standard
/// error how long it took and the process's resident memory after it (`lawful: <what>
/// 12.3 ms, 45.6 MiB resident`): where a run spends its time and memory, for
/// docs/performance.md.
pub fn timed<T>(what: &str, f: impl FnOnce() -> T) -> T {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    if !*ON.get_or_init(|| std::env::var_os("LAWFUL_TIMINGS").is_some()) {
        return f();
    }
    let t = std::time::Instant::now();
    let v = f();
    let ms = t.elapsed().as_secs_f64() * 1e3;
    // The second number of /proc/self/statm is the resident set in pages (Linux only).
    let resident = std::fs::read_to_string("/proc/self/statm")
        .ok()
        .and_then(|s| s.split_whitespace().nth(1)?.parse::<u64>().ok())
        .map(|pages| format!(", {:.1} MiB resident", (pages * 4096) as f64 / 1048576.0))
        .unwrap_or_default();
    eprintln!("lawful: {what} {ms:.1} ms{resident}");
    v
}

/// The default output folder, inside the project folder; never read as part of the project.
pub const DEFAULT_OUT: &str = "generated";

/// The file that marks a folder as an output folder of `lawful build`: a build may replace a
/// folder that has it, and the loader never reads a folder that has it (an output folder
/// inside the project, wherever it is).
pub const OUTPUT_MARKER: &str = ".lawful-output";

/// The folder that holds an output folder `out`, and `out`'s name (`fallback` when the path
/// has none): `build` and `import` write into `.NAME.lawful-new-PID` there first, and
/// `build` moves a previous output to `.NAME.lawful-old-PID` there while it swaps.
pub(crate) fn beside<'a>(
    out: &'a std::path::Path,
    fallback: &str,
) -> (&'a std::path::Path, String) {
    let parent = out
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| fallback.into());
    (parent, name)
}

/// Load, resolve and graph the project at `root`, skipping its `generated/` folder and the
/// folders in `exclude` (an output folder elsewhere inside the project).
pub fn load(root: &Path, exclude: &[PathBuf]) -> Result<Project, Failure> {
    let mut skip = vec![root.join(DEFAULT_OUT)];
    skip.extend(exclude.iter().cloned());
    let loaded = timed("read and parse", || {
        manifest::loader::load_project(root, &skip)
    })?;
    let model = timed("resolve", || model::resolve(loaded))?;
    let graph = timed("graph", || DataFlowGraph::build(&model));
    Ok(Project {
        root: root.to_path_buf(),
        model,
        graph,
    })
}

/// Resolve and graph a project given as in-memory files (`(relative path, contents)`), such
/// as a revision read from git; `root` is only recorded. See
/// [`manifest::loader::load_files`] for which files are read.
pub fn load_from_files(root: &Path, files: Vec<(String, Vec<u8>)>) -> Result<Project, Failure> {
    let loaded = manifest::loader::load_files(files)?;
    let model = model::resolve(loaded)?;
    let graph = DataFlowGraph::build(&model);
    Ok(Project {
        root: root.to_path_buf(),
        model,
        graph,
    })
}

/// The outcome of a check: every finding (suppressed ones flagged), sorted by place.
#[derive(Debug)]
pub struct CheckResult {
    pub findings: Vec<Diagnostic>,
}

impl CheckResult {
    /// Unsuppressed findings at or above `level`.
    pub fn count_at_least(&self, level: Severity) -> usize {
        self.findings
            .iter()
            .filter(|d| d.suppressed.is_none() && d.severity >= level)
            .count()
    }
    pub fn count(&self, level: Severity) -> usize {
        self.findings
            .iter()
            .filter(|d| d.suppressed.is_none() && d.severity == level)
            .count()
    }
    /// Findings hidden because they are in the baseline.
    pub fn baselined(&self) -> usize {
        self.findings.iter().filter(|d| d.baselined).count()
    }
    pub fn suppressed(&self) -> usize {
        self.findings
            .iter()
            .filter(|d| d.suppressed.is_some())
            .count()
    }
}

/// Which rules a check runs, beyond the regimes in scope and the project's `rules:`
/// section: rule ids or id prefixes, as `--select` and `--ignore` take them.
#[derive(Clone, Debug, Default)]
pub struct Selection {
    /// When not empty, only rules matching one of these run.
    pub select: Vec<String>,
    /// Rules matching one of these do not run.
    pub ignore: Vec<String>,
}

impl Selection {
    /// The selectors that match no rule, for an error message.
    pub fn unknown(&self) -> Vec<&str> {
        self.select
            .iter()
            .chain(&self.ignore)
            .map(String::as_str)
            .filter(|s| rules::matching(s).is_empty())
            .collect()
    }

    fn allows(&self, r: &rules::Rule) -> bool {
        let hit = |list: &[String]| {
            list.iter()
                .any(|s| r.id.starts_with(&s.trim().to_ascii_uppercase()))
        };
        // `--select POLICY-x` runs the policy rule (its findings are narrowed afterwards,
        // by `allows_code`); `--ignore POLICY-x` only drops that policy's findings.
        let policy_hit = |list: &[String]| {
            r.set == rules::RuleSet::Policy
                && list.iter().any(|s| {
                    s.trim()
                        .to_ascii_uppercase()
                        .starts_with(model::POLICY_PREFIX)
                })
        };
        (self.select.is_empty() || hit(&self.select) || policy_hit(&self.select))
            && !hit(&self.ignore)
    }

    /// Whether a finding with this rule id passes the selection (used for the findings of
    /// policies, `POLICY-<id>`, which one rule produces for every policy).
    pub fn allows_code(&self, code: &str) -> bool {
        let hit = |list: &[String]| list.iter().any(|s| rules::selects(s, code));
        (self.select.is_empty() || hit(&self.select)) && !hit(&self.ignore)
    }
}

/// Whether a rule runs for this project and selection: selected, not ignored, and not
/// turned `off` in the project's `rules:` section. (Whether its regime is in scope is
/// checked separately, by [`rules::Rule::in_scope`].)
pub fn enabled(project: &Project, selection: &Selection, r: &rules::Rule) -> bool {
    selection.allows(r)
        && project
            .model
            .rule_levels
            .get(r.id)
            .is_none_or(|l| l.value != manifest::RuleLevel::Off)
}

/// The rules of the catalogue ([`rules::all`]) a check of this project with this selection
/// runs, in registry order. The project's own rules (review notes, policies) are left out:
/// their findings name themselves (`CORE-TODO`, `POLICY-<id>`).
pub fn rules_that_run(project: &Project, selection: &Selection) -> Vec<&'static rules::Rule> {
    rules::all()
        .iter()
        .copied()
        .filter(|r| r.in_scope(&project.model) && enabled(project, selection, r))
        .collect()
}

/// Run every rule in scope and apply the project's suppressions.
pub fn check(project: &Project, today: Date) -> CheckResult {
    check_with(project, today, &Selection::default())
}

/// Run the rules in scope that `selection` and the project's `rules:` section enable, with
/// the severities the project sets, and apply the project's suppressions.
pub fn check_with(project: &Project, today: Date, selection: &Selection) -> CheckResult {
    use manifest::RuleLevel;
    let levels = &project.model.rule_levels;
    let enabled = |r: &rules::Rule| enabled(project, selection, r);
    // The rules, and what would keep `lawful build` from generating its SQL (found here
    // first), side by side.
    let (mut findings, declarations) = rayon::join(
        || {
            timed("rules", || {
                rules::run(&project.model, &project.graph, today, &enabled)
            })
        },
        || {
            timed("SQL generators' checks", || {
                let mut declarations = emit::check(&project.model);
                if !declarations.iter().any(|d| d.severity == Severity::Error) {
                    declarations.extend(emit::database_refusals(project));
                }
                declarations
            })
        },
    );
    // Policy findings (`POLICY-<id>`): narrowed by the selection and by a policy turned
    // `off` in `rules:`.
    findings.retain(|f| {
        model::strip_policy_prefix(&f.code).is_none()
            || (selection.allows_code(&f.code)
                && levels
                    .get(f.code.as_str())
                    .is_none_or(|l| l.value != RuleLevel::Off))
    });
    findings.extend(project.model.warnings.iter().cloned());
    findings.extend(declarations);
    findings.extend(emit::templates::check(&project.root));
    for f in &mut findings {
        let level = levels.get(f.code.as_str()).or_else(|| {
            model::strip_policy_prefix(&f.code).and_then(|_| levels.get(rules::policy::RULE.id))
        });
        if let Some(level) = level {
            f.severity = match level.value {
                RuleLevel::Info => Severity::Info,
                RuleLevel::Warning => Severity::Warning,
                RuleLevel::Error | RuleLevel::Off => Severity::Error,
            };
        }
    }
    // A suppression of a rule that did not run (not selected, turned off, out of scope)
    // cannot be judged unused.
    let ran = |code: &str| match model::strip_policy_prefix(code) {
        Some(_) => {
            selection.allows_code(code)
                && levels.get(code).is_none_or(|l| l.value != RuleLevel::Off)
        }
        None => rules::find(code).is_none_or(|r| r.in_scope(&project.model) && enabled(r)),
    };
    apply_suppressions(&project.model, &mut findings, today, &ran);
    CheckResult { findings }
}

/// Mark findings matched by an unexpired suppression (same rule id and target). An expired
/// suppression, and one that matches nothing, are reported as warnings of their own: a
/// stale suppression hides nothing and misleads the reader.
fn apply_suppressions(
    m: &Model,
    findings: &mut Vec<Diagnostic>,
    today: Date,
    ran: &dyn Fn(&str) -> bool,
) {
    let mut notes = Vec::new();
    // Findings by (rule id in upper case, target): one look-up per suppression.
    let mut by_target: std::collections::HashMap<(String, &str), Vec<usize>> =
        std::collections::HashMap::new();
    for (i, f) in findings.iter().enumerate() {
        if let Some(t) = f.target.as_deref() {
            by_target
                .entry((f.code.to_ascii_uppercase(), t))
                .or_default()
                .push(i);
        }
    }
    let mut hidden: Vec<(usize, String)> = Vec::new();
    for s in &m.suppressions {
        let d = &s.decl;
        if d.expires.value < today {
            notes.push(
                Diagnostic::new(
                    "lawful::suppression-expired",
                    Severity::Warning,
                    format!(
                        "the suppression of {} for `{}` expired on {}",
                        d.rule.value, d.target.value, d.expires.value
                    ),
                )
                .at(d.expires.span, "expired")
                .with_help("fix the finding and remove the suppression, or renew it with a new expiry date and reason"),
            );
            continue;
        }
        let hits = by_target
            .get(&(d.rule.value.to_ascii_uppercase(), d.target.value.as_str()))
            .map_or(&[][..], Vec::as_slice);
        // The first suppression of a finding gives the reason shown.
        hidden.extend(hits.iter().map(|&i| (i, d.reason.value.clone())));
        if hits.is_empty() && ran(&d.rule.value) {
            notes.push(
                Diagnostic::new(
                    "lawful::suppression-unused",
                    Severity::Warning,
                    format!(
                        "the suppression of {} for `{}` matches no finding",
                        d.rule.value, d.target.value
                    ),
                )
                .at(d.target.span, "matches nothing")
                .with_help("remove it: the finding it was written for is gone (or the target is misspelt; targets read `section.id`, as in the finding's JSON `target`)"),
            );
        }
    }
    drop(by_target);
    for (i, reason) in hidden {
        findings[i].suppressed.get_or_insert(reason);
    }
    findings.extend(notes);
    findings.sort_by(|a, b| a.sort_key().cmp(&b.sort_key()));
}
