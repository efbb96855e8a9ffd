//! `lawful parse [DIR]` (hidden): read and parse every file of a project exactly as `check`
//! does, and stop before resolution. The lower bound of a check's cost, measured by
//! `scripts/bench` (docs/performance.md).

use std::path::PathBuf;

use crate::cli::{EXIT_OK, report_failure};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The project folder (with lawful.yaml at its root).
    #[arg(default_value = ".")]
    dir: PathBuf,
}

/// Load the project as `lawful check` does (same files, same order, same parallel parser,
/// `generated/` skipped) and print one line on stderr: files, bytes, datasets and fields.
/// Exit code 0, or 2 when a file cannot be read or parsed (the same diagnostics as `check`).
pub fn run(a: Args) -> i32 {
    let skip = vec![a.dir.join(crate::DEFAULT_OUT)];
    let loaded = match crate::manifest::loader::load_project(&a.dir, &skip) {
        Ok(l) => l,
        Err(f) => return report_failure(&f),
    };
    let (mut files, mut bytes) = (0usize, 0usize);
    for (_, f) in loaded.sources.files() {
        files += 1;
        bytes += f.text.len();
    }
    let (mut datasets, mut fields) = (0usize, 0usize);
    for (_, doc) in &loaded.documents {
        datasets += doc.datasets.len();
        fields += doc
            .datasets
            .iter()
            .map(|(_, d)| d.value.fields.len())
            .sum::<usize>();
    }
    eprintln!("lawful: parsed {files} files ({bytes} bytes): {datasets} datasets, {fields} fields");
    // Not freed, as `check` does not free its model: the process ends here.
    std::mem::forget(loaded);
    EXIT_OK
}
