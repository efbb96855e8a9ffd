//! What legal relies on when publishing generated notices: a notice missing a required item
//! is never emitted, every artefact can be tied back to the inputs that made it, the build
//! shows each notice's coverage, and a project's own templates are used, with errors that
//! name the template file and line.

use std::path::{Path, PathBuf};
use std::process::Command;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

/// (exit code, stdout, stderr)
fn lawful(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .args(args)
        .env("NO_COLOR", "1")
        .env("LAWFUL_TODAY", "2026-11-29")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// `lawful build --fail-on never` of `proj` into `out`, which must succeed; its standard
/// error.
fn build_whatever_it_finds(proj: &Path, out: &Path) -> String {
    let (code, _, err) = lawful(&[
        "build",
        proj.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--fail-on",
        "never",
    ]);
    assert_eq!(code, 0, "{err}");
    err
}

/// A copy of examples/sakila in a temp dir.
fn sakila() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let proj = tmp.path().join("sakila");
    copy_dir(&Path::new(ROOT).join("examples/sakila"), &proj);
    (tmp, proj)
}

#[test]
fn removing_the_dpo_contact_is_a_finding_and_no_notice_is_emitted() {
    let (tmp, proj) = sakila();
    let path = proj.join("lawful.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    // Keep the DPO's name, drop every way to reach them.
    let start = text.find("  dpo:\n").expect("a dpo block");
    let end = start + text[start..].find("\n  pipo:").expect("pipo after dpo");
    let broken = format!(
        "{}  dpo:\n    name: Dr. Jana Keller (external data protection officer){}",
        &text[..start],
        &text[end..]
    );
    std::fs::write(&path, broken).unwrap();
    let out = tmp.path().join("out");
    let (code, _, err) = lawful(&[
        "build",
        proj.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("GDPR-ART13-14-NOTICE-CONTENT"), "{err}");
    assert!(err.contains("organization.dpo"), "{err}");
    assert!(
        !out.exists(),
        "nothing is written when a notice is incomplete"
    );
}

#[test]
fn every_artefact_carries_the_inputs_hash_and_trace_ties_it_to_the_project() {
    let (tmp, proj) = sakila();
    let out = tmp.path().join("out");
    let (code, _, err) = lawful(&[
        "build",
        proj.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let hash_line = err
        .lines()
        .find(|l| l.contains("inputs sha256:"))
        .expect("the build prints the inputs hash");
    let hash: String = hash_line
        .split("sha256:")
        .nth(1)
        .unwrap()
        .chars()
        .take(64)
        .collect();
    let mut files = Vec::new();
    let mut stack = vec![out.clone()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if !p.ends_with(".lawful-output") {
                files.push(p);
            }
        }
    }
    assert!(files.len() >= 5, "{files:?}");
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let last = text.lines().last().unwrap_or_default();
        assert!(
            last.contains(&format!("lawful inputs sha256:{hash}")),
            "{} ends with {last:?}",
            f.display()
        );
    }
    let notice = files
        .iter()
        .find(|f| f.to_string_lossy().contains("notices/"))
        .expect("a notice");
    let (code, stdout, err) = lawful(&[
        "trace",
        notice.to_str().unwrap(),
        "--project",
        proj.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{err}");
    assert!(
        stdout.contains("the same as the project's inputs now"),
        "{stdout}"
    );
    // After a change to the manifest, the published notice no longer matches.
    let p = proj.join("purposes.yaml");
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::write(&p, format!("{text}\n# edited\n")).unwrap();
    let (code, stdout, _) = lawful(&[
        "trace",
        notice.to_str().unwrap(),
        "--project",
        proj.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("built from another version"), "{stdout}");
    // The temporary project has no git history: trace says so, in git's words.
    assert!(
        stdout.contains("its history cannot be searched: ") && stdout.contains("git"),
        "{stdout}"
    );
    // A file lawful did not write carries no hash.
    let (code, _, err) = lawful(&["trace", p.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("carries no"), "{err}");
}

#[test]
fn the_build_prints_each_notices_coverage() {
    let (tmp, proj) = sakila();
    let out = tmp.path().join("out");
    let (code, _, err) = lawful(&[
        "build",
        proj.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    for notice in ["customer_privacy", "cn_privacy_rules", "ca_privacy_policy"] {
        assert!(
            err.lines()
                .any(|l| l.starts_with(&format!("notice `{notice}`: "))),
            "no coverage table for {notice}:\n{err}"
        );
    }
    assert!(
        err.contains("customer_privacy`: 122 of 122 items supplied"),
        "{err}"
    );
    // Only what is missing is listed, and nothing is.
    assert!(
        !err.contains("✗") && !err.contains("✓ GDPR Art 13"),
        "every required item is supplied:\n{err}"
    );
    // --verbose lists every item.
    let (code, _, err) = lawful(&[
        "build",
        proj.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--verbose",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("✓ GDPR Art 13(1)(b)"),
        "the DPO item is supplied:\n{err}"
    );
    assert!(!err.contains("✗"), "{err}");
}

#[test]
fn the_build_lists_the_items_a_notice_lacks() {
    let (tmp, proj) = sakila();
    let out = tmp.path().join("out");
    // Without its `if_not_provided:`, the notices lack what happens when a customer
    // does not give the data the rental service needs.
    let file = proj.join("purposes.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut kept = String::new();
    let mut dropping = false;
    for (i, l) in text.lines().enumerate() {
        if i < 20 && l == "    if_not_provided:" {
            dropping = true;
            continue;
        }
        if dropping && l.starts_with("      ") {
            continue;
        }
        dropping = false;
        kept.push_str(l);
        kept.push('\n');
    }
    assert_ne!(
        kept, text,
        "rental_service says what happens without the data"
    );
    std::fs::write(&file, kept).unwrap();
    let err = build_whatever_it_finds(&proj, &out);
    assert!(
        err.contains("✗ GDPR Art 13(2)(e)")
            && err.contains("(purposes.rental_service.if_not_provided)"),
        "{err}"
    );
    assert!(!err.contains("✓ GDPR Art 13"), "{err}");
}

#[test]
fn a_project_template_replaces_the_built_in_one_and_its_errors_name_the_file_and_line() {
    let (tmp, proj) = sakila();
    let out = tmp.path().join("out");
    std::fs::create_dir_all(proj.join("templates")).unwrap();
    let name = "pipl_art17.zh-CN.md.hbs";
    std::fs::write(
        proj.join("templates").join(name),
        "# 个人信息处理规则（本公司版本）\n\n{{#each purposes}}\n- {{title}}\n{{/each}}\n",
    )
    .unwrap();
    let (code, _, err) = lawful(&[
        "build",
        proj.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let zh = std::fs::read_dir(out.join("notices"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            p.to_string_lossy().ends_with(".zh-CN.md")
                && std::fs::read_to_string(p).unwrap().contains("本公司版本")
        });
    assert!(zh.is_some(), "the project's template was used");

    // A template that does not parse: the error names the file, line and column.
    std::fs::write(
        proj.join("templates").join(name),
        "# 规则\n\n{{#each purposes}}\n- {{title}}\n",
    )
    .unwrap();
    let (code, _, err) = lawful(&[
        "build",
        proj.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("templates/{name}:")), "{err}");
    // A field the template asks for that lawful does not give (strict mode).
    std::fs::write(
        proj.join("templates").join(name),
        "# 规则\n\n{{no_such_field}}\n",
    )
    .unwrap();
    let (code, _, err) = lawful(&[
        "build",
        proj.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains(&format!("templates/{name}:3:")), "{err}");
}

/// Markdown emphasis survives into the HTML in both languages: a bold label that ends in a
/// full-width colon before Chinese text (`**法律依据：**履行`) does not close under
/// CommonMark and would show its asterisks.
#[test]
fn no_markdown_markup_is_left_in_the_html_pages() {
    for example in ["sakila", "chayu"] {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("out");
        let proj = Path::new(ROOT).join("examples").join(example);
        let (code, _, err) = lawful(&[
            "build",
            proj.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        let mut pages = 0;
        for e in std::fs::read_dir(out.join("notices")).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "html") {
                pages += 1;
                let html = std::fs::read_to_string(&p).unwrap();
                assert!(
                    !html.contains("**"),
                    "{} shows literal asterisks",
                    p.display()
                );
            }
        }
        assert!(pages >= 4, "{example}: {pages} pages");
    }
}

/// A field's `title` names it in the notices, in each language: the field erased at the
/// end of a retention period, and the date the period runs from.
#[test]
fn a_fields_title_names_it_in_the_notices() {
    let (tmp, proj) = sakila();
    let out = tmp.path().join("out");
    // The example titles `address2`; here `last_update`, the address book's anchor, too.
    let file = proj.join("datasets/address.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let anchored = text.replace(
        "      last_update: { categories: [non_personal.operational] }",
        "      last_update:\n        title: { en: address check, zh-CN: 地址核对 }\n        categories: [non_personal.operational]",
    );
    assert_ne!(anchored, text, "address.yaml declares last_update");
    std::fs::write(&file, anchored).unwrap();
    build_whatever_it_finds(&proj, &out);
    let en = std::fs::read_to_string(out.join("notices/customer_privacy.en.md")).unwrap();
    let zh = std::fs::read_to_string(out.join("notices/customer_privacy.zh-CN.md")).unwrap();
    assert!(
        en.contains("from the date recorded as ‘address check’. Then we erase the second address line and postal code"),
        "{en}"
    );
    assert!(
        zh.contains("自记录中“地址核对”所载日期起") && zh.contains("删除地址第二行"),
        "{zh}"
    );
    assert!(!en.contains("address 2"), "{en}");
}
