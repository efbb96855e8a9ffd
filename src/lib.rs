//! lawful: a privacy-as-code compiler and linter.
//!
//! The pipeline: [`manifest`] loads a project folder into documents with spans;
//! [`model`] resolves them into a [`model::Model`]; [`graph`] builds the data-flow graph;
//! [`rules`] check both and produce findings; [`report`] renders them; [`emit`] generates
//! notices, retention jobs and grants, with SQL from [`sql`].

pub mod cli;
pub mod emit;
pub mod graph;
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

/// The default output folder, inside the project folder; never read as part of the project.
pub const DEFAULT_OUT: &str = "generated";

/// Load, resolve and graph the project at `root`, skipping its `generated/` folder and the
/// folders in `exclude` (an output folder elsewhere inside the project).
pub fn load(root: &Path, exclude: &[PathBuf]) -> Result<Project, Failure> {
    let mut skip = vec![root.join(DEFAULT_OUT)];
    skip.extend(exclude.iter().cloned());
    let loaded = manifest::loader::load_project(root, &skip)?;
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
    pub fn suppressed(&self) -> usize {
        self.findings
            .iter()
            .filter(|d| d.suppressed.is_some())
            .count()
    }
}

/// Run every rule in scope and apply the project's suppressions.
pub fn check(project: &Project, today: Date) -> CheckResult {
    let mut findings = rules::run(&project.model, &project.graph, today);
    apply_suppressions(&project.model, &mut findings, today);
    CheckResult { findings }
}

/// Mark findings matched by an unexpired suppression (same rule id and target).
fn apply_suppressions(m: &Model, findings: &mut [Diagnostic], today: Date) {
    for s in &m.suppressions {
        if s.decl.expires.value < today {
            continue;
        }
        for f in findings.iter_mut() {
            if f.code.eq_ignore_ascii_case(&s.decl.rule.value)
                && f.target.as_deref() == Some(s.decl.target.value.as_str())
                && f.suppressed.is_none()
            {
                f.suppressed = Some(s.decl.reason.value.clone());
            }
        }
    }
}
