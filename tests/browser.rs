//! The HTML notices in a real browser: each page that `lawful build` writes for the examples
//! (`notices/*.html`) is
//!
//! - printed to PDF by headless Chromium, and the PDF's text (`pdftotext`, from poppler)
//!   must hold every `##` heading of the notice's Markdown twice: once in the table of
//!   contents and once in the body;
//! - laid out at a 375-pixel-wide viewport (a small phone), where nothing may overflow
//!   sideways: the document's `scrollWidth` must not exceed 375.
//!
//! Desktop Chromium will not make a window narrower than 500 pixels, so the page is loaded
//! into a 375-pixel-wide `<iframe srcdoc>` of a wrapper page, with a tiny script added at
//! its end that measures the frame's layout and writes the result into the wrapper's DOM,
//! which `--dump-dom` prints. A control test checks that this probe does see an overflowing
//! page.
//!
//! Needs `/usr/bin/chromium` (or `$LAWFUL_CHROMIUM`) and `pdftotext`: `scripts/test`
//! installs Debian's `chromium` and `poppler-utils`. When either is missing the tests say
//! so and pass, except under CI (`CI` set), where a missing browser fails them.

use std::fs::{self, File};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

const EXAMPLES: [&str; 2] = ["sakila", "chayu"];
/// The viewport width of a small phone, in CSS pixels.
const PHONE: u32 = 375;
/// How long one Chromium run may take before the test gives up on it.
const CHROMIUM_TIMEOUT: Duration = Duration::from_secs(90);

struct Tools {
    chromium: PathBuf,
    pdftotext: PathBuf,
}

fn on_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false" && v != "0")
}

fn in_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// Chromium and pdftotext, or `None` (after saying why) when they are missing outside CI.
fn tools_or_skip(test: &str) -> Option<Tools> {
    let chromium = std::env::var_os("LAWFUL_CHROMIUM")
        .map(PathBuf::from)
        .filter(|p| p.is_file())
        .or_else(|| {
            let p = PathBuf::from("/usr/bin/chromium");
            p.is_file().then_some(p)
        })
        .or_else(|| in_path("chromium"))
        .or_else(|| in_path("chromium-browser"));
    let pdftotext = in_path("pdftotext");
    match (chromium, pdftotext) {
        (Some(chromium), Some(pdftotext)) => Some(Tools {
            chromium,
            pdftotext,
        }),
        (c, p) => {
            let missing: Vec<&str> = [
                c.is_none().then_some("chromium"),
                p.is_none().then_some("pdftotext"),
            ]
            .into_iter()
            .flatten()
            .collect();
            let msg = format!(
                "{test}: {} not installed (Debian: `apt-get install -y chromium poppler-utils`; \
                 scripts/test does it)",
                missing.join(" and ")
            );
            if on_ci() {
                panic!("{msg}; CI is set, so the browser tests may not be skipped");
            }
            eprintln!("skipped: {msg}");
            None
        }
    }
}

/// Run headless Chromium with a fresh profile; its standard output goes to `stdout`.
fn chromium(tools: &Tools, work: &Path, args: &[String], stdout: &Path) {
    let profile = tempfile::tempdir_in(work).unwrap();
    let err_path = stdout.with_extension("stderr.txt");
    let mut child = Command::new(&tools.chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .stdin(Stdio::null())
        .stdout(File::create(stdout).unwrap())
        .stderr(File::create(&err_path).unwrap())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", tools.chromium.display()));
    let started = Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if started.elapsed() > CHROMIUM_TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "chromium {args:?} took longer than {CHROMIUM_TIMEOUT:?}; its stderr:\n{}",
                fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(25));
    };
    assert!(
        status.success(),
        "chromium {args:?} failed ({status}); its stderr:\n{}",
        fs::read_to_string(&err_path).unwrap_or_default()
    );
}

fn file_url(p: &Path) -> String {
    format!("file://{}", p.canonicalize().unwrap().display())
}

/// Build the examples into `work` and return their HTML notices with their Markdown.
fn built_pages(work: &Path) -> Vec<(PathBuf, String)> {
    let mut pages = Vec::new();
    for ex in EXAMPLES {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("examples")
            .join(ex);
        let out = work.join(ex);
        let o = Command::new(env!("CARGO_BIN_EXE_lawful"))
            .arg("build")
            .arg(&src)
            .arg("--out")
            .arg(&out)
            .env("LAWFUL_TODAY", "2026-11-29")
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "lawful build examples/{ex} failed:\n{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        let Ok(dir) = fs::read_dir(out.join("notices")) else {
            continue;
        };
        let mut html: Vec<PathBuf> = dir
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "html"))
            .collect();
        html.sort();
        for page in html {
            let md_path = page.with_extension("md");
            let md = fs::read_to_string(&md_path)
                .unwrap_or_else(|e| panic!("{} has no Markdown twin: {e}", page.display()));
            pages.push((page, md));
        }
    }
    assert!(
        !pages.is_empty(),
        "the examples produced no notices/*.html at all"
    );
    pages
}

/// The plain text of each `##` heading of a Markdown notice.
fn h2_headings(md: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for e in Parser::new_ext(md, Options::ENABLE_TABLES) {
        match e {
            Event::Start(Tag::Heading {
                level: HeadingLevel::H2,
                ..
            }) => current = Some(String::new()),
            Event::End(TagEnd::Heading(HeadingLevel::H2)) => out.extend(current.take()),
            Event::Text(t) | Event::Code(t) => {
                if let Some(c) = current.as_mut() {
                    c.push_str(&t);
                }
            }
            _ => {}
        }
    }
    out
}

/// Text compared without its spacing: PDF extraction breaks lines (and may space out CJK
/// characters) wherever the layout did, and may keep typographic ligatures.
fn squeeze(s: &str) -> String {
    s.replace('\u{FB01}', "fi")
        .replace('\u{FB02}', "fl")
        .replace('\u{FB00}', "ff")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Print the page to PDF and check that every `##` heading is in it, in the table of
/// contents and in the body.
fn check_pdf(tools: &Tools, work: &Path, page: &Path, md: &str) -> Result<(), String> {
    let name = page.file_name().unwrap().to_string_lossy().to_string();
    let pdf = work.join(format!("{name}.pdf"));
    chromium(
        tools,
        work,
        &[
            "--no-pdf-header-footer".to_string(),
            format!("--print-to-pdf={}", pdf.display()),
            file_url(page),
        ],
        &work.join(format!("{name}.pdf.stdout.txt")),
    );
    let txt = work.join(format!("{name}.txt"));
    let o = Command::new(&tools.pdftotext)
        .args(["-enc", "UTF-8"])
        .arg(&pdf)
        .arg(&txt)
        .output()
        .unwrap();
    if !o.status.success() {
        return Err(format!(
            "{name}: pdftotext failed: {}",
            String::from_utf8_lossy(&o.stderr)
        ));
    }
    let text = fs::read_to_string(&txt).unwrap();
    let squeezed = squeeze(&text);
    let headings = h2_headings(md);
    if headings.is_empty() {
        return Err(format!("{name}: its Markdown has no `##` heading"));
    }
    let missing: Vec<String> = headings
        .iter()
        .filter(|h| squeezed.matches(&squeeze(h)).count() < 2)
        .map(|h| format!("{h:?} ({}×)", squeezed.matches(&squeeze(h)).count()))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{name}: printed PDF lacks these headings (need them in the contents and the body): {}\n--- pdftotext ---\n{}",
            missing.join(", "),
            text.chars().take(3000).collect::<String>()
        ))
    }
}

/// What the probe measured of a page laid out `PHONE` pixels wide.
struct Layout {
    /// The document's scroll width.
    scroll_width: u32,
    /// The viewport width the page saw.
    inner_width: u32,
    /// The outermost elements reaching past the right edge (not inside a scrolling box).
    over: String,
}

/// The script added at the end of the page: it measures the frame and writes the numbers
/// into the wrapper page's `<html>` attributes.
const PROBE: &str = r#"<script>
(function () {
  var d = document.documentElement, w = d.clientWidth, over = [];
  document.querySelectorAll('body *').forEach(function (e) {
    var r = e.getBoundingClientRect();
    if (r.right <= w + 0.5 || over.length >= 5) return;
    for (var p = e.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible') return;
    }
    over.push(e.tagName.toLowerCase() + (e.className ? '.' + e.className : '') + ' right=' + Math.round(r.right));
  });
  var h = parent.document.documentElement;
  h.setAttribute('data-sw', d.scrollWidth);
  h.setAttribute('data-iw', innerWidth);
  h.setAttribute('data-over', over.join('; '));
})();
</script>
"#;

fn attr_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;")
}

/// Lay the page out `PHONE` pixels wide and measure it.
fn layout_at_phone_width(tools: &Tools, work: &Path, name: &str, html: &str) -> Layout {
    let at = html.rfind("</body>").unwrap_or(html.len());
    let probed = format!("{}{PROBE}{}", &html[..at], &html[at..]);
    let wrapper = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"margin:0\">\
         <iframe style=\"border:0;width:{PHONE}px;height:800px\" srcdoc=\"{}\"></iframe></body></html>\n",
        attr_escape(&probed)
    );
    let wrapper_path = work.join(format!("{name}.probe.html"));
    fs::write(&wrapper_path, wrapper).unwrap();
    let dom_path = work.join(format!("{name}.dom.html"));
    chromium(
        tools,
        work,
        &[
            "--window-size=800,900".to_string(),
            "--dump-dom".to_string(),
            file_url(&wrapper_path),
        ],
        &dom_path,
    );
    let dom = fs::read_to_string(&dom_path).unwrap();
    let attr = |a: &str| -> Option<String> {
        let key = format!(" {a}=\"");
        let i = dom.find(&key)? + key.len();
        let j = dom[i..].find('"')? + i;
        Some(
            dom[i..j]
                .replace("&quot;", "\"")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
        )
    };
    let number = |a: &str| -> u32 {
        attr(a).and_then(|v| v.parse().ok()).unwrap_or_else(|| {
            panic!(
                "{name}: the probe wrote no {a}; dumped DOM starts:\n{}",
                &dom[..dom.len().min(500)]
            )
        })
    };
    Layout {
        scroll_width: number("data-sw"),
        inner_width: number("data-iw"),
        over: attr("data-over").unwrap_or_default(),
    }
}

fn check_phone_layout(tools: &Tools, work: &Path, page: &Path) -> Result<(), String> {
    let name = page.file_name().unwrap().to_string_lossy().to_string();
    let html = fs::read_to_string(page).unwrap();
    let l = layout_at_phone_width(tools, work, &name, &html);
    if l.inner_width != PHONE {
        return Err(format!(
            "{name}: laid out {} pixels wide instead of {PHONE}",
            l.inner_width
        ));
    }
    if l.scroll_width > PHONE {
        return Err(format!(
            "{name}: at {PHONE} pixels wide the page scrolls sideways (scrollWidth {}); too wide: {}",
            l.scroll_width, l.over
        ));
    }
    Ok(())
}

#[test]
fn notices_print_and_fit_a_phone_in_chromium() {
    let Some(tools) = tools_or_skip("notices_print_and_fit_a_phone_in_chromium") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let pages = built_pages(work.path());
    let browser = work.path().join("browser");
    fs::create_dir(&browser).unwrap();
    let failures = Mutex::new(Vec::new());
    let next = AtomicUsize::new(0);
    let started = Instant::now();
    // Two browsers at a time: one page's PDF and layout runs are sequential, pages are not.
    std::thread::scope(|s| {
        for _ in 0..2 {
            s.spawn(|| {
                while let Some((page, md)) = pages.get(next.fetch_add(1, Ordering::SeqCst)) {
                    let t = Instant::now();
                    let results = [
                        check_pdf(&tools, &browser, page, md),
                        check_phone_layout(&tools, &browser, page),
                    ];
                    failures
                        .lock()
                        .unwrap()
                        .extend(results.into_iter().filter_map(Result::err));
                    eprintln!(
                        "{}: checked in {:.1}s",
                        page.strip_prefix(work.path()).unwrap().display(),
                        t.elapsed().as_secs_f64()
                    );
                }
            });
        }
    });
    eprintln!(
        "{} pages checked in Chromium in {:.1}s",
        pages.len(),
        started.elapsed().as_secs_f64()
    );
    let mut failures = failures.into_inner().unwrap();
    failures.sort();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The control of the PDF check: a heading the page lacks is reported, one it has is not.
#[test]
fn the_pdf_check_sees_a_missing_heading() {
    let Some(tools) = tools_or_skip("the_pdf_check_sees_a_missing_heading") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let page = work.path().join("control.en.html");
    fs::write(
        &page,
        lawful::emit::html::page(
            lawful::manifest::types::Language::En,
            "# Control\n\n## Present heading\n\nText.\n",
        ),
    )
    .unwrap();
    let md = "# Control\n\n## Present heading\n\nText.\n\n## Absent heading\n";
    let err = check_pdf(&tools, work.path(), &page, md).unwrap_err();
    assert!(err.contains("\"Absent heading\" (0×)"), "{err}");
    assert!(!err.contains("\"Present heading\""), "{err}");
}

/// The control: the probe does see a page that is too wide, and names what overflows.
#[test]
fn the_phone_probe_sees_a_page_that_overflows() {
    let Some(tools) = tools_or_skip("the_phone_probe_sees_a_page_that_overflows") else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let page = lawful::emit::html::page(
        lawful::manifest::types::Language::En,
        "# Wide\n\n## A section\n\nSome text.\n",
    )
    .replace(
        "<p>Some text.</p>",
        "<p class=\"wide\" style=\"width:600px\">Some text.</p>",
    );
    let l = layout_at_phone_width(&tools, work.path(), "wide.html", &page);
    assert_eq!(l.inner_width, PHONE);
    assert!(l.scroll_width > PHONE, "scrollWidth {}", l.scroll_width);
    assert!(l.over.contains("p.wide"), "{}", l.over);
}
