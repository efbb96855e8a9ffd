//! `lawful build [DIR] [--out DIR] [--check]`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::cli::{EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, FailOn, excluded, report_failure};
use crate::manifest::Date;
use crate::report::Severity;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// The project folder (with lawful.yaml at its root).
    #[arg(default_value = ".")]
    dir: PathBuf,
    /// Output folder. Default: `generated/` inside the project folder.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Do not write: fail (exit 1) when the output folder differs from a fresh build.
    #[arg(long)]
    check: bool,
    /// Refuse to build when a finding is at or above this severity.
    #[arg(long, value_enum, default_value = "error")]
    fail_on: FailOn,
    /// List every checklist item of each notice, with ✓ or ✗; without it, only the items
    /// a notice lacks are listed under its count.
    #[arg(long, short)]
    verbose: bool,
    #[command(flatten)]
    rules: crate::cli::SelectArgs,
}

pub fn run(a: Args) -> i32 {
    let selection = match a.rules.selection() {
        Ok(s) => s,
        Err(code) => return code,
    };
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| a.dir.join(crate::DEFAULT_OUT));
    if let Err(msg) = out_is_safe(&a.dir, &out) {
        eprintln!("lawful: refusing to build into {}: {msg}", out.display());
        return EXIT_UNREADABLE;
    }
    if !a.check {
        // Before anything can fail: a previous output a stopped build moved aside is back
        // in place whatever happens to this build.
        tidy_after_stopped_builds(&out);
    }
    // Not freed: the process ends after the build (see `check::run`).
    let project = match crate::load(&a.dir, &excluded(Some(&out))) {
        Ok(p) => std::mem::ManuallyDrop::new(p),
        Err(f) => return report_failure(&f),
    };
    if let Err(code) = crate::cli::check_policy_selectors(&selection, &project.model) {
        return code;
    }
    let result = crate::timed("check", || {
        crate::check_with(&project, Date::today(), &selection)
    });
    // Declarations the generators cannot turn into correct output (a template that does
    // not parse, a mask on a number, a retention setting the database would reject) make
    // the input unusable for a build, whatever `--fail-on` says: exit 2, nothing written.
    let unbuildable = result
        .findings
        .iter()
        .filter(|d| {
            d.code.starts_with("emit::") && d.severity == Severity::Error && d.suppressed.is_none()
        })
        .count();
    if unbuildable > 0 {
        eprint!("{}", crate::cli::check::human_report(&project, &result));
        eprintln!("lawful: cannot build: {unbuildable} declaration(s) above cannot be generated");
        return EXIT_UNREADABLE;
    }
    if let Some(level) = a.fail_on.severity()
        && result.count_at_least(level) > 0
    {
        eprint!("{}", crate::cli::check::human_report(&project, &result));
        eprintln!(
            "lawful: not building: {} finding(s) at or above {} must be fixed first",
            result.count_at_least(level),
            level.as_str()
        );
        return EXIT_FINDINGS;
    }
    // Each file goes, as soon as it is generated, into a fresh folder beside the output
    // folder (swapped in at the end, or removed), or with `--check` is compared with the
    // output folder's copy: a large project's files are never all held at once.
    let target = if a.check {
        Target::Compare {
            out: out.clone(),
            seen: Default::default(),
            stale: Default::default(),
        }
    } else {
        match Staging::new(&out) {
            Ok(s) => Target::Write(s),
            Err(e) => {
                eprintln!(
                    "lawful: could not write {}: {e}; the previous output is untouched",
                    out.display()
                );
                return EXIT_UNREADABLE;
            }
        }
    };
    let generated = crate::timed("generate", || {
        crate::emit::generate_into(&project, &|path, text| target.put(path, text))
    });
    match generated {
        Ok(notes) => {
            for n in &notes {
                eprint!(
                    "{}",
                    crate::report::human::render(n, &project.model.sources, crate::cli::color())
                );
            }
        }
        Err(diags) => {
            target.discard();
            for d in &diags {
                eprint!(
                    "{}",
                    crate::report::human::render(d, &project.model.sources, crate::cli::color())
                );
            }
            return EXIT_UNREADABLE;
        }
    }
    target.put(MARKER.to_string(), MARKER_TEXT.to_string());
    let staging = match target {
        Target::Compare { out, seen, stale } => {
            let (seen, stale) = (into_inner(seen), into_inner(stale));
            let stale = stale_files(&out, &seen, stale);
            if stale.is_empty() {
                eprintln!(
                    "lawful: {} is up to date ({} files)",
                    out.display(),
                    seen.len()
                );
                return EXIT_OK;
            }
            for s in &stale {
                eprintln!("stale: {s}");
            }
            eprintln!(
                "lawful: {} differs from a fresh build; run `lawful build {} --out {}`",
                out.display(),
                a.dir.display(),
                out.display()
            );
            return EXIT_FINDINGS;
        }
        Target::Write(staging) => staging,
    };
    eprint!("{}", coverage(&project, a.verbose));
    eprintln!(
        "lawful: inputs sha256:{} (every file ends with it; `lawful trace FILE` reads it back)",
        crate::emit::trace::model_hash(&project.model)
    );
    if let Err(msg) = owned_by_lawful(&out, &staging.paths()) {
        staging.discard();
        eprintln!(
            "lawful: refusing to replace {}: {msg}; the folder is untouched",
            out.display()
        );
        return EXIT_UNREADABLE;
    }
    match crate::timed("write", || staging.commit(&out)) {
        Ok(n) => {
            eprintln!("lawful: wrote {n} files to {}", out.display());
            EXIT_OK
        }
        Err(e) => {
            eprintln!(
                "lawful: could not write {}: {e}; the previous output is untouched",
                out.display()
            );
            EXIT_UNREADABLE
        }
    }
}

fn into_inner<T>(m: Mutex<T>) -> T {
    m.into_inner().unwrap_or_else(|e| e.into_inner())
}

/// Where a build puts each file it generates.
enum Target {
    /// Written into a staging folder, swapped in at the end (a build).
    Write(Staging),
    /// Compared with the output folder's copy (`--check`): the paths generated, and each
    /// generated file that differs (path, what differs).
    Compare {
        out: PathBuf,
        seen: Mutex<BTreeSet<String>>,
        stale: Mutex<Vec<(String, &'static str)>>,
    },
}

impl Target {
    /// Take one generated file (called from any thread).
    fn put(&self, path: String, text: String) {
        match self {
            Target::Write(s) => s.put(path, text),
            Target::Compare { out, seen, stale } => {
                let differs = match std::fs::read(out.join(&path)) {
                    Ok(bytes) if bytes == text.as_bytes() => None,
                    Ok(_) => Some("changed"),
                    Err(_) => Some("missing"),
                };
                if let Some(what) = differs {
                    stale
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push((path.clone(), what));
                }
                seen.lock().unwrap_or_else(|e| e.into_inner()).insert(path);
            }
        }
    }

    /// Give up: remove whatever was written.
    fn discard(self) {
        if let Target::Write(s) = self {
            s.discard();
        }
    }
}

/// A fresh folder beside the output folder, which the files are written into as they are
/// generated; at the end it takes the output folder's place whole, or it is removed and the
/// output folder is left as it was.
struct Staging {
    dir: PathBuf,
    /// The outermost folder this build had to create for the output folder's parent,
    /// removed with the staging folder when the build gives up.
    created: Option<PathBuf>,
    /// The files written (relative paths).
    paths: Mutex<BTreeSet<String>>,
    /// The first write that failed; nothing more is written after it.
    error: Mutex<Option<std::io::Error>>,
}

impl Staging {
    fn new(out: &Path) -> std::io::Result<Staging> {
        let (parent, name) = crate::beside(out, "generated");
        let mut created = None;
        let mut p = parent;
        while !p.as_os_str().is_empty() && !p.exists() {
            created = Some(p.to_path_buf());
            p = p.parent().unwrap_or(Path::new(""));
        }
        let dir = parent.join(format!(".{name}.lawful-new-{}", std::process::id()));
        let made = std::fs::create_dir_all(parent).and_then(|()| {
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir(&dir)
        });
        if let Err(e) = made {
            if let Some(c) = &created {
                let _ = std::fs::remove_dir_all(c);
            }
            return Err(e);
        }
        Ok(Staging {
            dir,
            created,
            paths: Default::default(),
            error: Default::default(),
        })
    }

    fn put(&self, path: String, text: String) {
        let mut error = self.error.lock().unwrap_or_else(|e| e.into_inner());
        if error.is_some() {
            return;
        }
        drop(error);
        let p = self.dir.join(&path);
        let written = p
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&p, text));
        match written {
            Ok(()) => {
                self.paths
                    .lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(path);
            }
            Err(e) => {
                error = self.error.lock().unwrap_or_else(|e| e.into_inner());
                error.get_or_insert(e);
            }
        }
    }

    fn paths(&self) -> BTreeSet<String> {
        self.paths.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn discard(self) {
        let _ = std::fs::remove_dir_all(&self.dir);
        if let Some(c) = &self.created {
            let _ = std::fs::remove_dir_all(c);
        }
    }

    /// Swap the staging folder in place of `out`; the number of files written. On an
    /// error the staging folder is removed and `out` is left as it was.
    fn commit(self, out: &Path) -> std::io::Result<usize> {
        let failed = self.error.lock().unwrap_or_else(|e| e.into_inner()).take();
        if let Some(e) = failed {
            self.discard();
            return Err(e);
        }
        let name = self
            .dir
            .file_name()
            .map(|n| n.to_string_lossy().replace(".lawful-new-", ".lawful-old-"))
            .unwrap_or_default();
        let old = self.dir.with_file_name(name);
        let swapped = (|| {
            let replaced = out.exists();
            if replaced {
                std::fs::rename(out, &old)?;
            }
            if let Err(e) = std::fs::rename(&self.dir, out) {
                if replaced {
                    let _ = std::fs::rename(&old, out);
                }
                return Err(e);
            }
            if replaced && let Err(e) = std::fs::remove_dir_all(&old) {
                eprintln!(
                    "lawful: warning: the previous output, moved to {}, could not be removed: {e}; remove it by hand",
                    old.display()
                );
            }
            Ok(())
        })();
        match swapped {
            Ok(()) => Ok(self.paths.lock().unwrap_or_else(|e| e.into_inner()).len()),
            Err(e) => {
                self.discard();
                Err(e)
            }
        }
    }
}

/// Cleans up after builds into `out` that were stopped (killed, or the machine went down)
/// before they finished: their staging folders (`.NAME.lawful-new-PID`) are removed, and a
/// previous output one of them had moved aside (`.NAME.lawful-old-PID`) goes back to `out`
/// if `out` is missing, or is removed. Only folders of processes that no longer run are
/// touched (a concurrent build's are left alone); where `/proc` cannot tell, nothing is.
fn tidy_after_stopped_builds(out: &Path) {
    let (parent, name) = crate::beside(out, "generated");
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let prefix = format!(".{name}.lawful-");
    let mut leftovers: Vec<(bool, PathBuf)> = Vec::new();
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().to_string();
        let Some(rest) = file.strip_prefix(&prefix) else {
            continue;
        };
        let (old, pid) = match (rest.strip_prefix("old-"), rest.strip_prefix("new-")) {
            (Some(pid), _) => (true, pid),
            (_, Some(pid)) => (false, pid),
            _ => continue,
        };
        // Only names a build makes: a process id as the system writes it.
        let stopped = pid
            .parse::<u32>()
            .is_ok_and(|n| n > 0 && n.to_string() == pid && n != std::process::id())
            && !Path::new("/proc").join(pid).exists();
        if stopped && e.file_type().is_ok_and(|t| t.is_dir()) {
            leftovers.push((old, e.path()));
        }
    }
    leftovers.sort();
    for (old, path) in leftovers {
        if old && !out.exists() && std::fs::rename(&path, out).is_ok() {
            eprintln!(
                "lawful: restored {} from {}, where a stopped build had moved it",
                out.display(),
                path.display()
            );
        } else {
            match std::fs::remove_dir_all(&path) {
                Ok(()) => eprintln!(
                    "lawful: removed {}, left by a stopped build",
                    path.display()
                ),
                Err(e) => eprintln!(
                    "lawful: warning: {}, left by a stopped build, could not be removed: {e}; remove it by hand",
                    path.display()
                ),
            }
        }
    }
}

/// The file that marks an output folder as lawful's own: a build may replace a folder that
/// has it, or that holds nothing but files a build writes.
const MARKER: &str = crate::OUTPUT_MARKER;
const MARKER_TEXT: &str = "This folder is written by `lawful build` and replaced whole on every build.\nDo not edit it and do not keep other files in it.\n";

/// The absolute, normalised form of a path that may not exist yet.
fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() {
        p.to_path_buf()
    } else {
        std::env::current_dir().unwrap_or_default().join(p)
    };
    // Canonicalise the longest existing ancestor, then add the rest.
    let mut existing = abs.clone();
    let mut rest = Vec::new();
    while !existing.exists() {
        match (existing.file_name(), existing.parent()) {
            (Some(n), Some(parent)) => {
                rest.push(n.to_os_string());
                existing = parent.to_path_buf();
            }
            _ => break,
        }
    }
    let mut out = existing.canonicalize().unwrap_or(existing);
    for n in rest.into_iter().rev() {
        if n == ".." {
            out.pop();
        } else if n != "." {
            out.push(n);
        }
    }
    out
}

/// The output folder must be a folder, and neither the project folder nor one of its
/// ancestors: a build replaces the whole output folder.
fn out_is_safe(dir: &Path, out: &Path) -> Result<(), String> {
    if out.exists() && !out.is_dir() {
        return Err("it is a file, not a folder".into());
    }
    let (dir, out) = (absolute(dir), absolute(out));
    if dir == out {
        return Err("it is the project folder itself; a build replaces its output folder whole, so choose a folder of its own, e.g. `--out generated`".into());
    }
    if dir.starts_with(&out) {
        return Err("it contains the project folder; a build replaces its output folder whole, so choose a folder of its own".into());
    }
    Ok(())
}

/// An existing output folder may be replaced when lawful wrote it: it has the marker file,
/// or every file in it is one a build writes.
fn owned_by_lawful(out: &Path, artefacts: &BTreeSet<String>) -> Result<(), String> {
    if !out.exists() || out.join(MARKER).is_file() {
        return Ok(());
    }
    let mut present = Vec::new();
    list_files(out, out, &mut present);
    match present.iter().find(|p| !artefacts.contains(*p)) {
        None => Ok(()),
        Some(p) => Err(format!(
            "it holds `{p}`, which lawful did not write (and no `{MARKER}` file marks the folder as lawful's)"
        )),
    }
}

/// Differences between the folder and a fresh build, by path: the generated files that
/// differ from their copy (path, what differs), and the folder's files no build writes.
fn stale_files(
    out: &Path,
    generated: &BTreeSet<String>,
    mut differ: Vec<(String, &'static str)>,
) -> Vec<String> {
    let mut present = Vec::new();
    list_files(out, out, &mut present);
    differ.extend(
        present
            .into_iter()
            .filter(|p| !generated.contains(p))
            .map(|p| (p, "not generated any more")),
    );
    differ.sort();
    differ
        .into_iter()
        .map(|(path, what)| format!("{path} ({what})"))
        .collect()
}

/// Every entry below `dir` that is not a folder, by path relative to `root`. Symbolic links
/// are listed, not followed (a link to a folder is no file a build writes, and a link loop
/// must not make the walk endless).
fn list_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if e.file_type().is_ok_and(|t| t.is_dir()) {
            list_files(root, &p, out);
        } else if let Ok(rel) = p.strip_prefix(root) {
            out.push(
                rel.components()
                    .map(|c| c.as_os_str().to_string_lossy().to_string())
                    .collect::<Vec<_>>()
                    .join("/"),
            );
        }
    }
}

/// The coverage of each declared notice of a regime in scope: how many of its checklist
/// items (REGULATIONS.md §2) the manifest supplies, then the items it lacks (or, when
/// `all`, every item), each with the fact that supplies it.
fn coverage(project: &crate::Project, all: bool) -> String {
    let m = &project.model;
    let mut s = String::new();
    for (ni, nr) in m.notices.iter().enumerate() {
        if !m.applies(nr.decl.kind.value.regime()) {
            continue;
        }
        let items = crate::rules::checklist::for_notice(m, ni);
        let required: Vec<_> = items.iter().filter(|i| i.required).collect();
        if required.is_empty() {
            continue;
        }
        let supplied = required.iter().filter(|i| i.supplied).count();
        s.push_str(&format!(
            "notice `{}`: {supplied} of {} items supplied\n",
            nr.id.value,
            required.len()
        ));
        let w = required
            .iter()
            .map(|i| i.item.chars().count())
            .max()
            .unwrap_or(0);
        for i in required.iter().filter(|i| all || !i.supplied) {
            let pad = w - i.item.chars().count();
            s.push_str(&format!(
                "  {} {}{}  {}  ({})\n",
                if i.supplied { "✓" } else { "✗" },
                i.item,
                " ".repeat(pad),
                i.what,
                i.fact
            ));
        }
    }
    s
}
