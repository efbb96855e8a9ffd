//! Stage benchmarks of the pipeline (docs/performance.md): load (read and parse every
//! file), resolve, graph, check and emit, each on its own, on the synthetic organisation of
//! 20,000 fields that `examples/synth.rs` writes.
//!
//! ```text
//! cargo run --release --example synth -- --fields 20000 --out /tmp/bench-20k
//! LAWFUL_BENCH_PROJECT=/tmp/bench-20k cargo bench --bench stages
//! ```
//!
//! Without `LAWFUL_BENCH_PROJECT` the benchmarks run on `/tmp/bench-lawful/p-20000`, the
//! folder `scripts/bench --keep` leaves behind; when neither exists they skip with a note.

use std::path::PathBuf;

use lawful::manifest::Date;
use lawful::{Project, Selection};

fn main() {
    divan::main();
}

/// The project folder to measure, when there is one.
fn project_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("LAWFUL_BENCH_PROJECT")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/bench-lawful/p-20000"));
    if dir.join("lawful.yaml").is_file() {
        Some(dir)
    } else {
        eprintln!(
            "stages: no project at {}; set LAWFUL_BENCH_PROJECT (see benches/stages.rs)",
            dir.display()
        );
        None
    }
}

fn today() -> Date {
    Date::parse("2026-11-29").expect("a valid date")
}

fn project(dir: &std::path::Path) -> Project {
    lawful::load(dir, &[]).unwrap_or_else(|_| panic!("{} does not load", dir.display()))
}

/// Read and parse every file (the parse-only lower bound, as `lawful parse`).
#[divan::bench(sample_count = 10)]
fn load(b: divan::Bencher) {
    let Some(dir) = project_dir() else { return };
    let skip = vec![dir.join(lawful::DEFAULT_OUT)];
    b.bench(|| lawful::manifest::loader::load_project(&dir, &skip).expect("parses"));
}

/// Resolve parsed documents into the model (the parse is done outside the timing).
#[divan::bench(sample_count = 10)]
fn resolve(b: divan::Bencher) {
    let Some(dir) = project_dir() else { return };
    let skip = vec![dir.join(lawful::DEFAULT_OUT)];
    b.with_inputs(|| lawful::manifest::loader::load_project(&dir, &skip).expect("parses"))
        .bench_values(|loaded| lawful::model::resolve(loaded).expect("resolves"));
}

/// Build the data-flow graph of the resolved model.
#[divan::bench(sample_count = 10)]
fn graph(b: divan::Bencher) {
    let Some(dir) = project_dir() else { return };
    let p = project(&dir);
    b.bench(|| lawful::graph::DataFlowGraph::build(&p.model));
}

/// Run every rule in scope and apply the suppressions (`lawful check` without loading and
/// reporting).
#[divan::bench(sample_count = 10)]
fn check(b: divan::Bencher) {
    let Some(dir) = project_dir() else { return };
    let p = project(&dir);
    b.bench(|| lawful::check_with(&p, today(), &Selection::default()));
}

/// Generate every artefact in memory (`lawful build` without the check and the writing).
#[divan::bench(sample_count = 10)]
fn emit(b: divan::Bencher) {
    let Some(dir) = project_dir() else { return };
    let p = project(&dir);
    b.bench(|| lawful::emit::generate(&p).map(|g| g.artefacts.len()));
}
