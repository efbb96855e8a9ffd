//! `lawful build`: output written atomically, refused on errors, and `--check` detecting
//! stale output.

use std::path::Path;
use std::process::Command;

const PROJECT: &str = "
organization: { name: Shop GmbH, establishments: [DE] }
subjects:
  customer: { lives_in: [DE] }
purposes:
  orders:
    title: { en: Deliver your orders }
    legal_basis: { gdpr: contract }
    categories: [contact.email, identifier.customer_id]
    retention: P2Y
datasets:
  customers:
    subjects: [customer]
    storage: { engine: postgres, schema: public, table: customers }
    subject_key: id
    retention: { period: P2Y, after: created_at, then: delete }
    fields:
      id: { categories: [identifier.customer_id] }
      email: { categories: [contact.email] }
      created_at: { categories: [non_personal.operational] }
roles:
  support: { purposes: [orders] }
notices:
  privacy: { kind: gdpr_art13, delivery: at_collection }
# These tests are about building; the rights and notice findings stay visible as warnings.
rules:
  GDPR-ART15-21-RIGHTS-COVERAGE: warning
  GDPR-ART13-14-NOTICE-CONTENT: warning
";

/// A temporary folder with the project in `p/` and `out` (not created) beside it.
fn shop() -> (tempfile::TempDir, std::path::PathBuf, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let (proj, out) = (tmp.path().join("p"), tmp.path().join("out"));
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::write(proj.join("lawful.yaml"), PROJECT).unwrap();
    (tmp, proj, out)
}

/// The temporary folders a build left in `dir` (staging or previous output).
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .filter(|n| n.contains("lawful-"))
        .collect()
}

fn build(dir: &Path, out: &Path, extra: &[&str]) -> (i32, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .arg("build")
        .arg(dir)
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stderr).to_string(),
    )
}

fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    for e in walk(dir) {
        v.push((
            e.strip_prefix(dir).unwrap().display().to_string(),
            std::fs::read(&e).unwrap(),
        ));
    }
    v.sort();
    v
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

#[test]
fn build_writes_artefacts_and_check_detects_staleness() {
    let (_tmp, proj, out) = shop();

    let (code, err) = build(&proj, &out, &[]);
    assert_eq!(code, 0, "{err}");
    // A first build has no previous output to move away, and nothing to warn about.
    assert!(!err.contains("warning"), "{err}");
    assert!(leftovers(out.parent().unwrap()).is_empty());
    let files: Vec<String> = snapshot(&out).into_iter().map(|(p, _)| p).collect();
    assert_eq!(
        files,
        [
            ".lawful-output",
            "assessments/report.csv",
            "assessments/report.md",
            "k8s/retention-cronjobs.yaml",
            "notices/privacy.en.html",
            "notices/privacy.en.md",
            "records/gdpr-art30-controller.csv",
            "records/gdpr-art30-controller.md",
            "records/gdpr-art30-processor.csv",
            "records/gdpr-art30-processor.md",
            "sql/postgres/grants.sql",
            "sql/postgres/retention.sql",
            "sql/postgres/schedule.sql",
        ]
    );
    assert_eq!(build(&proj, &out, &["--check"]).0, 0);

    std::fs::write(out.join("sql/postgres/grants.sql"), "-- edited by hand\n").unwrap();
    std::fs::write(out.join("stray.txt"), "x").unwrap();
    let (code, err) = build(&proj, &out, &["--check"]);
    assert_eq!(code, 1);
    assert!(err.contains("sql/postgres/grants.sql (changed)"), "{err}");
    assert!(err.contains("stray.txt (not generated any more)"), "{err}");

    // A rebuild replaces the folder: the stray file is gone and the output is fresh.
    let (code, err) = build(&proj, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
    assert!(leftovers(out.parent().unwrap()).is_empty());
    assert_eq!(build(&proj, &out, &["--check"]).0, 0);
    assert!(!out.join("stray.txt").exists());
}

#[test]
fn a_failed_build_leaves_the_previous_output_untouched() {
    let (tmp, proj, out) = shop();
    assert_eq!(build(&proj, &out, &[]).0, 0);
    let before = snapshot(&out);

    // An error finding refuses the build.
    std::fs::write(
        proj.join("lawful.yaml"),
        PROJECT.replace("legal_basis: { gdpr: contract }", "legal_basis: {}"),
    )
    .unwrap();
    let (code, err) = build(&proj, &out, &[]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("GDPR-ART6-LAWFUL-BASIS"), "{err}");
    assert_eq!(snapshot(&out), before);

    // A generator that cannot produce correct SQL refuses the build too.
    std::fs::write(
        proj.join("lawful.yaml"),
        PROJECT.replace("    subject_key: id\n", ""),
    )
    .unwrap();
    let (code, err) = build(&proj, &out, &[]);
    assert_ne!(code, 0, "{err}");
    assert_eq!(snapshot(&out), before);

    // An unreadable project too, with exit code 2.
    std::fs::write(proj.join("lawful.yaml"), "purposes: [\n").unwrap();
    assert_eq!(build(&proj, &out, &[]).0, 2);
    assert_eq!(snapshot(&out), before);

    // No temporary folders are left beside the output.
    let leftovers = leftovers(tmp.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn the_same_input_gives_the_same_bytes() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("p");
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::write(proj.join("lawful.yaml"), PROJECT).unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert_eq!(build(&proj, &a, &[]).0, 0);
    assert_eq!(build(&proj, &b, &[]).0, 0);
    assert_eq!(snapshot(&a), snapshot(&b));
}

#[test]
fn build_refuses_an_output_folder_that_would_destroy_the_project() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("p");
    std::fs::create_dir_all(proj.join("datasets")).unwrap();
    std::fs::write(proj.join("lawful.yaml"), PROJECT).unwrap();
    std::fs::write(proj.join("datasets/more.yaml"), "purposes: {}\n").unwrap();
    let before = snapshot(tmp.path());
    for (out, why) in [
        (proj.clone(), "the project folder itself"),
        (tmp.path().to_path_buf(), "contains the project folder"),
        (proj.join("lawful.yaml"), "is a file"),
        (proj.join("datasets"), "which lawful did not write"),
    ] {
        let (code, err) = build(&proj, &out, &[]);
        assert_eq!(code, 2, "{}: {err}", out.display());
        assert!(err.contains(why), "{}: {err}", out.display());
        assert_eq!(
            snapshot(tmp.path()),
            before,
            "{} changed files",
            out.display()
        );
    }
}

/// `--check` lists what differs in the order of the paths, whatever the reason: changed,
/// missing and extra files together.
#[test]
fn check_lists_stale_files_in_path_order() {
    let (_tmp, proj, out) = shop();
    assert_eq!(build(&proj, &out, &[]).0, 0);
    for extra in ["zz.txt", "k8s/b.yaml", "aa.txt", "sql/postgres/old.sql"] {
        std::fs::write(out.join(extra), "x").unwrap();
    }
    std::fs::remove_file(out.join("notices/privacy.en.md")).unwrap();
    std::fs::write(out.join("records/gdpr-art30-controller.csv"), "x").unwrap();
    let (code, err) = build(&proj, &out, &["--check"]);
    assert_eq!(code, 1, "{err}");
    let stale: Vec<&str> = err
        .lines()
        .filter_map(|l| l.strip_prefix("stale: "))
        .collect();
    assert_eq!(
        stale,
        [
            "aa.txt (not generated any more)",
            "k8s/b.yaml (not generated any more)",
            "notices/privacy.en.md (missing)",
            "records/gdpr-art30-controller.csv (changed)",
            "sql/postgres/old.sql (not generated any more)",
            "zz.txt (not generated any more)",
        ],
        "{err}"
    );
}

/// An output folder inside the project, elsewhere than `generated/`, is never read back as
/// part of the project: the next check and build see the same project.
#[test]
fn an_output_folder_inside_the_project_is_not_read_back() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("p");
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::write(proj.join("lawful.yaml"), PROJECT).unwrap();
    let out = proj.join("deploy/privacy");
    assert_eq!(build(&proj, &out, &[]).0, 0);
    // The output holds YAML (k8s/retention-cronjobs.yaml) that is no manifest.
    assert!(out.join("k8s/retention-cronjobs.yaml").is_file());
    let check = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .arg("check")
        .arg(&proj)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "{text}");
    assert!(text.contains("in 1 file,"), "{text}");
    assert_eq!(build(&proj, &out, &["--check"]).0, 0);
    assert_eq!(build(&proj, &tmp.path().join("other"), &[]).0, 0);
}

/// A folder lawful did not write that holds a symbolic link loop is refused at once (its
/// files are listed without following links), and nothing is left behind.
#[cfg(unix)]
#[test]
fn a_foreign_output_folder_with_a_link_loop_is_refused() {
    let (tmp, proj, out) = shop();
    std::fs::create_dir_all(&out).unwrap();
    std::os::unix::fs::symlink(".", out.join("a")).unwrap();
    std::os::unix::fs::symlink(".", out.join("b")).unwrap();
    let (code, err) = build(&proj, &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("which lawful did not write"), "{err}");
    let (code, err) = build(&proj, &out, &["--check"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("a (not generated any more)"), "{err}");
    let leftovers = leftovers(tmp.path());
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// A build that cannot create its staging folder (here: a name too long for the file
/// system) leaves none of the parent folders it had to create.
#[test]
fn a_build_that_cannot_start_writing_leaves_no_folders_behind() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("p");
    std::fs::create_dir_all(&proj).unwrap();
    std::fs::write(proj.join("lawful.yaml"), PROJECT).unwrap();
    let out = tmp.path().join("new/deeper").join("n".repeat(250));
    let (code, err) = build(&proj, &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("the previous output is untouched"), "{err}");
    assert!(!tmp.path().join("new").exists(), "{err}");
}

#[test]
fn a_build_cleans_up_after_a_stopped_build() {
    let (tmp, proj, out) = shop();
    assert_eq!(build(&proj, &out, &[]).0, 0);
    let good = snapshot(&out);

    // A build killed during its swap: the output is moved aside, and its staging folder
    // is left beside it (no process has this id: Linux ids stop at 4,194,304).
    let old = tmp.path().join(".out.lawful-old-999999999");
    let new = tmp.path().join(".out.lawful-new-999999998");
    std::fs::rename(&out, &old).unwrap();
    std::fs::create_dir_all(new.join("sql")).unwrap();
    std::fs::write(new.join("sql/half.sql"), "-- half").unwrap();
    // Someone else's folder with a similar name is not touched, nor a name no build makes.
    for name in [
        ".other.lawful-new-999999997",
        ".out.lawful-new-01",
        ".out.lawful-new-0",
    ] {
        std::fs::create_dir(tmp.path().join(name)).unwrap();
    }

    // A build that then fails still leaves the previous output in place, restored.
    std::fs::write(proj.join("broken.yaml"), "datasets: [").unwrap();
    let (code, err) = build(&proj, &out, &[]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("restored"), "{err}");
    assert!(err.contains("left by a stopped build"), "{err}");
    assert_eq!(snapshot(&out), good);
    let mut left = leftovers(tmp.path());
    left.sort();
    assert_eq!(
        left,
        [
            ".other.lawful-new-999999997",
            ".out.lawful-new-0",
            ".out.lawful-new-01"
        ]
    );

    std::fs::remove_file(proj.join("broken.yaml")).unwrap();
    let (code, err) = build(&proj, &out, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("stopped build"), "{err}");
    assert_eq!(snapshot(&out), good);
}
