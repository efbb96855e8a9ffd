//! Reading a project as it was at a git revision, without a checkout: the work tree is
//! never touched.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Run git with `args` in `dir`; stdout on success, else git's message.
fn git(dir: &Path, args: &[&str], input: Option<&[u8]>) -> Result<Vec<u8>, String> {
    let mut cmd = Command::new("git");
    cmd.arg("-C").arg(dir).args(args);
    cmd.stdin(if input.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd
        .spawn()
        .map_err(|e| format!("cannot run git: {e} (lawful diff and --new-since need git)"))?;
    if let Some(bytes) = input {
        let mut stdin = child.stdin.take().expect("piped stdin");
        let bytes = bytes.to_vec();
        // Write from a thread so that a large output cannot dead-lock against the input.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
    }
    let out = child
        .wait_with_output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

/// Files of a project: `(path relative to the project folder, contents)`.
pub type Files = Vec<(String, Vec<u8>)>;

/// The manifest files (`*.yaml`) of the project folder `dir` as they are at revision
/// `rev`, with paths relative to `dir`; `Ok(None)` when the project did not exist at that
/// revision (no `lawful.yaml` there). Errors: `dir` is not in a git repository, or `rev`
/// names no commit.
pub fn read_revision(dir: &Path, rev: &str) -> Result<Option<Files>, String> {
    let top = git(dir, &["rev-parse", "--show-toplevel"], None)
        .map_err(|e| format!("`{}` is not inside a git repository ({e})", dir.display()))?;
    let top = String::from_utf8_lossy(&top)
        .trim_end_matches('\n')
        .to_string();
    let top = Path::new(&top);
    let prefix = git(dir, &["rev-parse", "--show-prefix"], None)?;
    let prefix = String::from_utf8_lossy(&prefix)
        .trim_end_matches('\n')
        .to_string();
    if rev.starts_with('-') {
        return Err(format!("`{rev}` is not a revision"));
    }
    let commit = format!("{rev}^{{commit}}");
    let commit = git(top, &["rev-parse", "--verify", "--quiet", &commit], None)
        .map_err(|_| format!("the revision `{rev}` does not exist in this repository"))?;
    let commit = String::from_utf8_lossy(&commit).trim().to_string();

    let mut args = vec!["ls-tree", "-r", "-z", "--full-name", "--name-only", &commit];
    if !prefix.is_empty() {
        args.extend(["--", prefix.as_str()]);
    }
    let listing = git(top, &args, None)?;
    let names: Vec<String> = listing
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).to_string())
        .filter(|n| n.ends_with(".yaml") && !n.contains('\n'))
        .collect();
    let relative: Vec<(String, &String)> = names
        .iter()
        .filter_map(|n| n.strip_prefix(&prefix).map(|r| (r.to_string(), n)))
        .collect();
    if !relative
        .iter()
        .any(|(r, _)| r == crate::manifest::loader::ROOT_FILE)
    {
        return Ok(None);
    }
    let mut request = Vec::new();
    for (_, full) in &relative {
        request.extend_from_slice(format!("{commit}:{full}\n").as_bytes());
    }
    let out = git(top, &["cat-file", "--batch"], Some(&request))?;
    let mut files = Vec::new();
    let mut rest = &out[..];
    for (name, _) in relative {
        let nl = rest
            .iter()
            .position(|&b| b == b'\n')
            .ok_or("unexpected end of `git cat-file` output")?;
        let header = String::from_utf8_lossy(&rest[..nl]).to_string();
        rest = &rest[nl + 1..];
        let mut parts = header.split(' ');
        let (_, kind, size) = (parts.next(), parts.next(), parts.next());
        let size: usize = match (kind, size.and_then(|s| s.parse().ok())) {
            (Some("blob"), Some(n)) => n,
            // A submodule or a missing object: not a manifest file.
            _ => continue,
        };
        if rest.len() < size + 1 {
            return Err("unexpected end of `git cat-file` output".into());
        }
        files.push((name, rest[..size].to_vec()));
        rest = &rest[size + 1..];
    }
    Ok(Some(files))
}

/// The newest `limit` commits that changed something under the project folder `dir`,
/// newest first, each as (full hash, `<short hash> <date> <subject>`). Errors: `dir` is not
/// in a git repository.
pub fn commits_touching(dir: &Path, limit: usize) -> Result<Vec<(String, String)>, String> {
    let n = format!("-n{limit}");
    let out = git(
        dir,
        &["log", &n, "--format=%H%x00%h %as %s", "--", "."],
        None,
    )?;
    Ok(String::from_utf8_lossy(&out)
        .lines()
        .filter_map(|l| {
            let (h, s) = l.split_once('\0')?;
            Some((h.to_string(), s.to_string()))
        })
        .collect())
}
