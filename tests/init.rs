//! `lawful init`: a starter project that reads at once and whose check lists only the notes
//! a new team must answer.

use std::path::Path;
use std::process::{Command, Output};

fn lawful(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("LAWFUL_TODAY", "2026-11-29")
        .output()
        .expect("lawful runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn corpus(rel: &str) -> String {
    format!("{}/../shared/corpus/{rel}", env!("CARGO_MANIFEST_DIR"))
}

fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(root: &Path, d: &Path, out: &mut Vec<String>) {
        for e in std::fs::read_dir(d).expect("read dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(
                    p.strip_prefix(root)
                        .expect("under root")
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

/// The notes `lawful check` lists (CORE-TODO findings), as `file:line` strings.
fn todo_lines(check_stdout: &str) -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(check_stdout).expect("json report");
    let mut out: Vec<String> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == "CORE-TODO")
        .map(|f| {
            format!(
                "{}:{}",
                f["location"]["file"].as_str().unwrap_or("?"),
                f["location"]["line"]
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_starter_project_checks_with_only_the_notes_a_team_must_answer() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("privacy");
    let d = dir.to_str().expect("utf-8");
    let o = lawful(&["init", d]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        files_under(&dir),
        ["datasets/accounts.yaml", "lawful.yaml", "purposes.yaml"]
    );

    let o = lawful(&["check", d, "--format", "json", "--fail-on", "info"]);
    let out = text(&o.stdout);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json report");
    let rules: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| f["rule"].as_str().unwrap_or(""))
        .collect();
    assert!(
        rules.iter().all(|r| *r == "CORE-TODO"),
        "only review notes are reported: {rules:?}"
    );
    // The organisation's name and contact, its establishments, where customers live, the
    // dataset's country and retention, the purpose's legal basis and retention.
    assert_eq!(todo_lines(&out).len(), 8, "{out}");
    assert_eq!(o.status.code(), Some(1), "the notes are warnings: {out}");
    assert_eq!(
        lawful(&["check", d]).status.code(),
        Some(0),
        "a fresh project passes the default check (errors only)"
    );

    // Every example a note gives reads as written.
    for (file, note_start) in [
        ("purposes.yaml", "legal_basis: {"),
        ("purposes.yaml", "retention: P"),
        ("datasets/accounts.yaml", "retention: {"),
    ] {
        let path = dir.join(file);
        let yaml = std::fs::read_to_string(&path).expect("starter file");
        let (line, example) = yaml
            .lines()
            .find_map(|l| {
                let at = l.find(note_start)?;
                let rest = &l[at..];
                Some((l.to_string(), rest[..rest.find('`')?].to_string()))
            })
            .unwrap_or_else(|| panic!("a note with `{note_start}` in {file}: {yaml}"));
        let indent = &line[..line.len() - line.trim_start().len()];
        std::fs::write(
            &path,
            yaml.replace(&line, &format!("{line}\n{indent}{example}")),
        )
        .expect("write");
        let o = lawful(&["check", d]);
        assert_ne!(
            o.status.code(),
            Some(2),
            "`{example}` reads: {}",
            text(&o.stderr)
        );
    }

    // Answering the first notes brings the regimes in: the checks of the GDPR now run.
    let root = dir.join("lawful.yaml");
    let yaml = std::fs::read_to_string(&root).expect("lawful.yaml");
    assert!(yaml.contains("establishments: []"), "{yaml}");
    std::fs::write(
        &root,
        yaml.replace("establishments: []", "establishments: [DE]"),
    )
    .expect("write");
    let o = lawful(&["check", d, "--format", "json"]);
    assert!(
        text(&o.stdout).contains("\"regime\": \"gdpr\",\n      \"applies\": true"),
        "the GDPR applies now: {}",
        text(&o.stdout)
    );
    assert!(
        text(&o.stdout).contains("CORE-SECURITY-BASELINE"),
        "its checks run: {}",
        text(&o.stdout)
    );
}

#[test]
fn init_never_overwrites_a_project_and_may_sit_beside_other_files() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let d = tmp.path().to_str().expect("utf-8");
    std::fs::write(tmp.path().join("README.md"), "# our repo\n").expect("write");
    let o = lawful(&["init", d]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("README.md")).expect("kept"),
        "# our repo\n"
    );

    let before = std::fs::read_to_string(tmp.path().join("lawful.yaml")).expect("root");
    std::fs::write(tmp.path().join("lawful.yaml"), "version: 1\n# ours\n").expect("write");
    let o = lawful(&["init", d]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).contains("already holds a project"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(tmp.path().join("lawful.yaml")).expect("root"),
        "version: 1\n# ours\n",
        "an existing project is left alone"
    );
    assert!(before.contains("organization:"));

    // A starter file in the way: nothing at all is written.
    let other = tempfile::tempdir().expect("temp dir");
    std::fs::create_dir_all(other.path().join("datasets")).expect("mkdir");
    std::fs::write(other.path().join("datasets/accounts.yaml"), "# mine\n").expect("write");
    let o = lawful(&["init", other.path().to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("exists already"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(files_under(other.path()), ["datasets/accounts.yaml"]);
}

#[test]
fn init_from_a_schema_drafts_its_tables_as_datasets() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("chinook");
    let d = dir.to_str().expect("utf-8");
    let schema = corpus("schemas/chinook/Chinook_PostgreSql_ddl_only.sql");
    let o = lawful(&["init", d, "--from-sql", &schema, "--dialect", "postgres"]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let all: String = files_under(&dir)
        .iter()
        .map(|f| std::fs::read_to_string(dir.join(f)).expect("read"))
        .collect();
    for table in ["customer", "employee", "invoice", "track"] {
        assert!(all.contains(table), "dataset for {table}: {all}");
    }
    assert!(
        all.contains("contact.email"),
        "the email column is suggested: {all}"
    );
    let o = lawful(&["check", d]);
    assert_ne!(
        o.status.code(),
        Some(2),
        "the draft reads: {}",
        text(&o.stderr)
    );
}

#[test]
fn init_refuses_what_would_leave_an_unreadable_project_and_writes_nothing() {
    // Other YAML in the folder would be read as part of the project.
    let tmp = tempfile::tempdir().expect("temp dir");
    std::fs::write(tmp.path().join("docker-compose.yaml"), "services: {a: 1}\n").expect("write");
    let o = lawful(&["init", tmp.path().to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(
        text(&o.stderr).contains("docker-compose.yaml:1:1"),
        "{}",
        text(&o.stderr)
    );
    assert!(
        text(&o.stderr).contains("a folder of its own"),
        "{}",
        text(&o.stderr)
    );
    assert_eq!(files_under(tmp.path()), ["docker-compose.yaml"]);

    // A schema that cannot be read: nothing at all is written.
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("p");
    let missing = tmp.path().join("missing.sql");
    let o = lawful(&[
        "init",
        dir.to_str().expect("utf-8"),
        "--from-sql",
        missing.to_str().expect("utf-8"),
        "--dialect",
        "mysql",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    assert!(!dir.exists(), "nothing written");

    // --from-sql needs its dialect.
    let o = lawful(&["init", dir.to_str().expect("utf-8"), "--from-sql", "x.sql"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--dialect"), "{}", text(&o.stderr));
}

#[test]
fn a_table_named_like_the_starter_subject_does_not_collide_with_it() {
    let tmp = tempfile::tempdir().expect("temp dir");
    let sql = tmp.path().join("shop.sql");
    std::fs::write(
        &sql,
        "CREATE TABLE customers (id int primary key, email text);\n",
    )
    .expect("write");
    let dir = tmp.path().join("p");
    let d = dir.to_str().expect("utf-8");
    let o = lawful(&[
        "init",
        d,
        "--from-sql",
        sql.to_str().expect("utf-8"),
        "--dialect",
        "postgres",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_ne!(lawful(&["check", d]).status.code(), Some(2));
}
