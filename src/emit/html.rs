//! Self-contained HTML pages from the generated Markdown: semantic headings with ids, a
//! table of contents, the `lang` attribute of the notice's language, print styles, and a
//! layout readable on a 375-pixel-wide phone screen. No scripts, no external resources.
//!
//! The page is laid out as
//!
//! - `<header>`: the `#` title and the introduction before the first `##` heading;
//! - `<nav aria-label="Contents">`: a table of contents linking to each `##` heading;
//! - `<main>`: one `<section aria-labelledby>` per `##` heading.
//!
//! Every heading gets a stable `id`: an ASCII slug of its text (`Who we are` → `who-we-are`),
//! or, for a heading in Chinese (or one with no ASCII letters or digits), its number in the
//! outline (`section-3` for the third `##` heading, `section-3-2` for the second `###`
//! under it). Repeated ids get `-2`, `-3`… appended.
//!
//! Manifest text is trusted Markdown, but raw HTML in it is shown as text, not markup: an
//! unclosed tag or a `<script>` cannot break the page or run. HTML comments are the
//! exception: they are kept as comments (lawful's generated-from header is one). Links keep
//! only `http`, `https`, `mailto` and `tel` schemes (and relative links); an image becomes
//! its alternative text, since the page loads nothing from outside.
//!
//! Styles are inline: readable line length and type, a CJK font stack for `zh-CN`, tables
//! that scroll sideways inside their own box on a narrow screen, long words and URLs that
//! wrap, and print rules (the table of contents is kept, headings stay with what follows,
//! table rows are not split across pages, link addresses are printed after the link text).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};

use crate::manifest::types::Language;

/// The HTML page of a notice written in Markdown (its first `#` heading is the page title).
///
/// The Markdown is parsed twice, and never held as a list of events: once for the
/// headings (the title, the table of contents and the sections need all of them before
/// the first line of the page), once to write the page. A notice of a large organisation
/// runs to millions of events, which would take several times the memory of its text.
pub fn page(lang: Language, markdown: &str) -> String {
    let parse = || Parser::new_ext(markdown, Options::ENABLE_TABLES);
    let (heads, count) = headings(parse());

    let title = heads
        .iter()
        .find(|h| h.level == HeadingLevel::H1)
        .map(|h| h.text.clone())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| fallback_title(lang).to_string());

    // Sections start at each top-level `##` heading (and at any `#` heading after the first).
    let first_h1 = heads
        .iter()
        .find(|h| h.top && h.level == HeadingLevel::H1)
        .map(|h| h.start);
    let splits: Vec<usize> = heads
        .iter()
        .filter(|h| {
            h.top
                && (h.level == HeadingLevel::H2
                    || (h.level == HeadingLevel::H1 && Some(h.start) != first_h1))
        })
        .map(|h| h.start)
        .collect();
    let header_end = match splits.first() {
        Some(&s) => s,
        // No sections: the header holds the title (and what precedes it), main the rest.
        None => heads
            .iter()
            .find(|h| Some(h.start) == first_h1)
            .map_or(0, |h| h.end + 1),
    };

    let mut r = Renderer {
        ids: heads.iter().map(|h| (h.start, h.id.clone())).collect(),
        current: None,
        drop_link_end: false,
    };
    let mut events = Events {
        parser: parse().enumerate().peekable(),
        back: VecDeque::new(),
    };

    let mut out = String::with_capacity(markdown.len() * 2 + CSS.len() + 512);
    out.push_str("<!DOCTYPE html>\n");
    out.push_str(&format!("<html lang=\"{}\">\n<head>\n", lang.tag()));
    out.push_str("<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!("<title>{}</title>\n", escape(&title)));
    out.push_str("<style>\n");
    out.push_str(&font_css(lang));
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n");

    if header_end > 0 {
        out.push_str("<header>\n");
        r.render(&mut events, header_end, &mut out);
        out.push_str("</header>\n");
    }

    let toc: Vec<&Heading> = heads
        .iter()
        .filter(|h| h.top && h.level == HeadingLevel::H2)
        .collect();
    if !toc.is_empty() {
        let label = toc_label(lang);
        out.push_str(&format!(
            "<nav aria-label=\"{label}\">\n<h2 class=\"toc-title\">{label}</h2>\n<ol>\n"
        ));
        for h in toc {
            out.push_str(&format!(
                "<li><a href=\"#{}\">{}</a></li>\n",
                escape(&h.id),
                escape(&h.text)
            ));
        }
        out.push_str("</ol>\n</nav>\n");
    }

    out.push_str("<main>\n");
    if header_end < splits.first().copied().unwrap_or(count) {
        r.render(&mut events, count, &mut out);
    }
    for (k, &start) in splits.iter().enumerate() {
        let end = splits.get(k + 1).copied().unwrap_or(count);
        out.push_str(&format!(
            "<section aria-labelledby=\"{}\">\n",
            escape(&r.ids[&start])
        ));
        r.render(&mut events, end, &mut out);
        out.push_str("</section>\n");
    }
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

/// A heading of the Markdown: where its events are, its plain text and its id.
struct Heading {
    level: HeadingLevel,
    /// Index of its `Start` event.
    start: usize,
    /// Index of its `End` event.
    end: usize,
    /// Not inside a list, quote or table.
    top: bool,
    text: String,
    id: String,
}

/// Every heading, with unique ids (see the module documentation), and the number of
/// events of the Markdown.
fn headings<'a>(events: impl Iterator<Item = Event<'a>>) -> (Vec<Heading>, usize) {
    let mut out = Vec::new();
    let mut depth = 0usize;
    // Outline numbers of levels 2..=6 (index 0 is `##`).
    let mut numbers = [0usize; 5];
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut events = events.enumerate();
    let mut count = 0;
    while let Some((i, event)) = events.next() {
        count = i + 1;
        match event {
            Event::Start(Tag::Heading { level, .. }) => {
                let mut text = String::new();
                // The index of the heading's `End` event (or of the end of the Markdown).
                let mut j = i + 1;
                for (k, e) in events.by_ref() {
                    count = k + 1;
                    j = k;
                    match e {
                        Event::End(TagEnd::Heading(_)) => break,
                        Event::Text(t) | Event::Code(t) => text.push_str(&t),
                        Event::SoftBreak | Event::HardBreak => text.push(' '),
                        _ => {}
                    }
                    j = k + 1;
                }
                let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                let n = level as usize;
                if n >= 2 {
                    numbers[n - 2] += 1;
                    for x in &mut numbers[n - 1..] {
                        *x = 0;
                    }
                }
                let base = if is_cjk(&text) || slug(&text).is_empty() {
                    if n == 1 {
                        "title".to_string()
                    } else {
                        let path: Vec<String> =
                            numbers[..n - 1].iter().map(|x| x.to_string()).collect();
                        format!("section-{}", path.join("-"))
                    }
                } else {
                    slug(&text)
                };
                let mut id = base.clone();
                let mut k = 2;
                while used.contains(&id) {
                    id = format!("{base}-{k}");
                    k += 1;
                }
                used.insert(id.clone());
                out.push(Heading {
                    level,
                    start: i,
                    end: j,
                    top: depth == 0,
                    text,
                    id,
                });
                // The heading's own Start/End leave the depth unchanged.
            }
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    (out, count)
}

/// Whether a heading is written in Chinese, Japanese or Korean.
fn is_cjk(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c as u32,
            0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFF00..=0xFFEF | 0x20000..=0x3FFFF)
    })
}

/// `Who we are` → `who-we-are`; `Données à caractère personnel` → `donnees-a-caractere-personnel`.
fn slug(text: &str) -> String {
    let mut s = String::new();
    let mut dash = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let folded: Option<&str> = match c {
            'a'..='z' | '0'..='9' => None,
            'à'..='å' => Some("a"),
            'æ' => Some("ae"),
            'ç' => Some("c"),
            'è'..='ë' => Some("e"),
            'ì'..='ï' => Some("i"),
            'ñ' => Some("n"),
            'ò'..='ö' | 'ø' => Some("o"),
            'œ' => Some("oe"),
            'ß' => Some("ss"),
            'ù'..='ü' => Some("u"),
            'ý' | 'ÿ' => Some("y"),
            _ => {
                dash = true;
                continue;
            }
        };
        if dash && !s.is_empty() {
            s.push('-');
        }
        dash = false;
        match folded {
            Some(f) => s.push_str(f),
            None => s.push(c),
        }
    }
    // Keep ids short: cut at a word boundary after 60 bytes.
    if s.len() > 60 {
        let cut = s[..60].rfind('-').unwrap_or(60);
        s.truncate(cut);
    }
    s
}

/// Turns slices of Markdown events into HTML, with heading ids, wrapped tables, links
/// limited to safe schemes, and raw HTML (other than comments) shown as text.
struct Renderer {
    /// Heading id by the index of the heading's `Start` event.
    ids: BTreeMap<usize, String>,
    /// The id of the last heading rendered (names the scrolling box of a table).
    current: Option<String>,
    /// The link being written was dropped (an unsafe scheme): drop its end too.
    drop_link_end: bool,
}

/// The Markdown's events, numbered, read once from start to end; events read ahead of
/// their turn (a link's text) are put back in front.
struct Events<'a> {
    parser: std::iter::Peekable<std::iter::Enumerate<Parser<'a>>>,
    back: VecDeque<(usize, Event<'a>)>,
}

impl<'a> Events<'a> {
    /// The next event, if its index is below `to`.
    fn next_before(&mut self, to: usize) -> Option<(usize, Event<'a>)> {
        match self.back.pop_front() {
            Some(e) => Some(e),
            None => self.parser.next_if(|(i, _)| *i < to),
        }
    }
}

impl Renderer {
    /// Appends the HTML of the events up to index `to` (excluded), ending with a newline.
    fn render(&mut self, events: &mut Events<'_>, to: usize, out: &mut String) {
        let before = out.len();
        self.drop_link_end = false;
        let mut queue: VecDeque<Event<'_>> = VecDeque::new();
        let html = std::iter::from_fn(|| {
            loop {
                if let Some(e) = queue.pop_front() {
                    return Some(e);
                }
                let (i, event) = events.next_before(to)?;
                self.step(i, event, events, to, &mut queue);
            }
        });
        pulldown_cmark::html::push_html(out, html);
        if out.len() > before && !out.ends_with('\n') {
            out.push('\n');
        }
    }

    /// The events that stand for event `i` on the page.
    fn step<'a>(
        &mut self,
        i: usize,
        event: Event<'a>,
        events: &mut Events<'a>,
        to: usize,
        out: &mut VecDeque<Event<'a>>,
    ) {
        match event {
            Event::Start(Tag::Heading {
                level,
                classes,
                attrs,
                ..
            }) => {
                let id = self.ids.get(&i).cloned();
                self.current.clone_from(&id);
                out.push_back(Event::Start(Tag::Heading {
                    level,
                    id: id.map(CowStr::from),
                    classes,
                    attrs,
                }));
            }
            Event::Start(Tag::HtmlBlock) => {
                // An HTML block arrives line by line: join it, so that a comment over
                // several lines is recognised whole.
                let mut raw = String::new();
                while let Some((_, e)) = events.next_before(to) {
                    match e {
                        Event::End(TagEnd::HtmlBlock) => break,
                        Event::Html(t) | Event::Text(t) => raw.push_str(&t),
                        _ => {}
                    }
                }
                let mut html = comments_only(&raw);
                if !html.ends_with('\n') {
                    html.push('\n');
                }
                out.push_back(Event::Html(html.into()));
            }
            Event::Html(t) => out.push_back(Event::Html(comments_only(&t).into())),
            Event::InlineHtml(t) => out.push_back(Event::InlineHtml(comments_only(&t).into())),
            Event::Start(Tag::Image { .. }) | Event::End(TagEnd::Image) => {
                // The alternative text stays, as text.
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                ..
            }) => {
                let href = match link_type {
                    LinkType::Email => format!("mailto:{dest_url}"),
                    _ => dest_url.to_string(),
                };
                if !safe_href(&href) {
                    self.drop_link_end = true;
                } else {
                    // A link whose text is its address gets no printed address. Its text
                    // is read ahead, then put back to be written in turn.
                    let mut text = String::new();
                    let mut ahead = Vec::new();
                    while let Some((k, e)) = events.next_before(to) {
                        let end = matches!(e, Event::End(TagEnd::Link));
                        if let Event::Text(t) | Event::Code(t) = &e {
                            text.push_str(t);
                        }
                        ahead.push((k, e));
                        if end {
                            break;
                        }
                    }
                    for e in ahead.into_iter().rev() {
                        events.back.push_front(e);
                    }
                    let bare = matches!(link_type, LinkType::Autolink | LinkType::Email)
                        || text == href
                        || format!("mailto:{text}") == href
                        || format!("tel:{text}") == href;
                    let mut a = format!("<a href=\"{}\"", escape(&href));
                    if !title.is_empty() {
                        a.push_str(&format!(" title=\"{}\"", escape(&title)));
                    }
                    if bare {
                        a.push_str(" class=\"bare\"");
                    }
                    a.push('>');
                    out.push_back(Event::InlineHtml(a.into()));
                }
            }
            Event::End(TagEnd::Link) => {
                if self.drop_link_end {
                    self.drop_link_end = false;
                } else {
                    out.push_back(Event::InlineHtml("</a>".into()));
                }
            }
            Event::Start(Tag::Table(a)) => {
                let label = match &self.current {
                    Some(id) => {
                        format!(" role=\"region\" aria-labelledby=\"{}\"", escape(id))
                    }
                    None => String::new(),
                };
                out.push_back(Event::Html(
                    format!("<div class=\"table-wrap\" tabindex=\"0\"{label}>\n").into(),
                ));
                out.push_back(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                out.push_back(Event::End(TagEnd::Table));
                out.push_back(Event::Html("</div>\n".into()));
            }
            e => out.push_back(e),
        }
    }
}

/// Raw HTML with its comments kept and everything else escaped, so that it shows as text.
///
/// A comment is kept only when a browser ends it where lawful does, at its `-->`: its text
/// must not start with `>` or `->`, contain `<!--` or `--!>`, or end with `<!-` (the HTML
/// standard's rules for comments). Otherwise a browser would end it earlier (`<!-->`,
/// `--!>`), and what follows would be markup: such a comment is escaped whole.
fn comments_only(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(start) = rest.find("<!--") {
        let Some(len) = rest[start + 4..].find("-->") else {
            break;
        };
        let end = start + 4 + len + 3;
        let text = &rest[start + 4..start + 4 + len];
        let well_formed = !text.starts_with('>')
            && !text.starts_with("->")
            && !text.contains("<!--")
            && !text.contains("--!>")
            && !text.ends_with("<!-");
        out.push_str(&escape(&rest[..start]));
        if well_formed {
            out.push_str(&rest[start..end]);
        } else {
            out.push_str(&escape(&rest[start..end]));
        }
        rest = &rest[end..];
    }
    out.push_str(&escape(rest));
    out
}

/// Whether a link target may appear on the page: relative, or `http`, `https`, `mailto`,
/// `tel`.
fn safe_href(href: &str) -> bool {
    // Browsers drop tabs and newlines anywhere in a URL, and leading spaces and controls.
    let h: String = href
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .skip_while(|c| *c <= ' ')
        .collect();
    let scheme_len = h
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
        .unwrap_or(h.len());
    let has_scheme = scheme_len > 0
        && h.starts_with(|c: char| c.is_ascii_alphabetic())
        && h[scheme_len..].starts_with(':');
    if !has_scheme {
        return true;
    }
    let scheme = h[..scheme_len].to_ascii_lowercase();
    matches!(scheme.as_str(), "http" | "https" | "mailto" | "tel")
}

/// Text and attribute values, escaped once.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn toc_label(lang: Language) -> &'static str {
    match lang {
        Language::En => "Contents",
        Language::ZhCn => "目录",
    }
}

fn fallback_title(lang: Language) -> &'static str {
    match lang {
        Language::En => "Privacy notice",
        Language::ZhCn => "个人信息处理告知",
    }
}

/// The font stack and line spacing of the page's language.
fn font_css(lang: Language) -> String {
    let (fonts, leading) = match lang {
        Language::En => (
            "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Helvetica Neue\", Arial, \"Noto Sans\", sans-serif",
            "1.6",
        ),
        Language::ZhCn => (
            "\"PingFang SC\", \"Hiragino Sans GB\", \"Microsoft YaHei\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", system-ui, sans-serif",
            "1.8",
        ),
    };
    format!("body{{font-family:{fonts};line-height:{leading}}}\n")
}

const CSS: &str = r#":root{color-scheme:light dark}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0 auto;max-width:46rem;padding:1rem 1.25rem 3rem;font-size:1rem;color:#1b1b1b;background:#fff;overflow-wrap:anywhere}
h1,h2,h3,h4,h5,h6{line-height:1.3;margin:1.6em 0 .5em}
h1{font-size:1.75rem;margin-top:.5em}
h2{font-size:1.35rem;padding-top:.4em;border-top:1px solid #d0d0d0}
h3{font-size:1.1rem}
h4,h5,h6{font-size:1rem}
p,ul,ol,blockquote{margin:0 0 1em}
ul,ol{padding-left:1.5em}
li{margin:.25em 0}
a{color:#0b57d0}
a:focus-visible,.table-wrap:focus-visible{outline:2px solid currentColor;outline-offset:2px}
[id]{scroll-margin-top:1rem}
nav{margin:1.5rem 0;padding:.75rem 1rem;background:#f4f4f4;border-radius:6px}
nav .toc-title{font-size:1rem;margin:0 0 .4em;padding:0;border:0}
nav ol{margin:0;padding-left:0;list-style:none}
.table-wrap{overflow-x:auto;margin:0 0 1em;max-width:100%}
table{border-collapse:collapse}
th,td{border:1px solid #c8c8c8;padding:.4em .6em;text-align:left;vertical-align:top;overflow-wrap:normal}
th{background:#f4f4f4}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:.9em}
pre{white-space:pre-wrap;overflow-wrap:anywhere;background:#f4f4f4;padding:.75em;border-radius:4px}
blockquote{padding-left:1em;border-left:3px solid #c8c8c8}
hr{border:0;border-top:1px solid #d0d0d0;margin:2em 0}
@media (prefers-color-scheme:dark){
body{color:#e6e6e6;background:#141414}
a{color:#8ab4f8}
nav,th,pre{background:#222}
h2,hr{border-color:#3a3a3a}
th,td,blockquote{border-color:#4a4a4a}
}
@media print{
body{max-width:none;padding:0;font-size:11pt;color:#000;background:#fff}
nav{background:none;border:1px solid #999}
a{color:inherit}
a[href^="http"]:not(.bare)::after,a[href^="mailto:"]:not(.bare)::after,a[href^="tel:"]:not(.bare)::after{content:" (" attr(href) ")"}
h1,h2,h3,h4,h5,h6{break-after:avoid;page-break-after:avoid}
tr,th,td{break-inside:avoid;page-break-inside:avoid}
thead{display:table-header-group}
.table-wrap{overflow:visible}
th,td{overflow-wrap:break-word}
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    fn en(md: &str) -> String {
        page(Language::En, md)
    }

    #[test]
    fn a_notice_becomes_a_page_with_title_toc_and_sections() {
        let md = "<!-- Generated by lawful; do not edit. -->\n# How we use your data\n\nIntro.\n\n## Who we are\n\nUs.\n\n### Contact\n\nMail.\n\n## Your rights\n\nMany.\n";
        let html = en(md);
        let body = &html[html.find("<body>").unwrap()..];
        insta::assert_snapshot!(body, @r##"
        <body>
        <header>
        <!-- Generated by lawful; do not edit. -->
        <h1 id="how-we-use-your-data">How we use your data</h1>
        <p>Intro.</p>
        </header>
        <nav aria-label="Contents">
        <h2 class="toc-title">Contents</h2>
        <ol>
        <li><a href="#who-we-are">Who we are</a></li>
        <li><a href="#your-rights">Your rights</a></li>
        </ol>
        </nav>
        <main>
        <section aria-labelledby="who-we-are">
        <h2 id="who-we-are">Who we are</h2>
        <p>Us.</p>
        <h3 id="contact">Contact</h3>
        <p>Mail.</p>
        </section>
        <section aria-labelledby="your-rights">
        <h2 id="your-rights">Your rights</h2>
        <p>Many.</p>
        </section>
        </main>
        </body>
        </html>
        "##);
        assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>How we use your data</title>\n"));
    }

    #[test]
    fn chinese_pages_get_their_language_numbered_ids_and_cjk_fonts() {
        let md = "# 个人信息处理规则\n\n## 我们是谁\n\n### 联系方式\n\n## 您的权利\n\n### 查阅\n\n### 更正\n";
        let html = page(Language::ZhCn, md);
        assert!(html.contains("<html lang=\"zh-CN\">"));
        assert!(html.contains("<title>个人信息处理规则</title>"));
        assert!(html.contains("<nav aria-label=\"目录\">"));
        assert!(html.contains("<h1 id=\"title\">个人信息处理规则</h1>"));
        assert!(html.contains("<li><a href=\"#section-1\">我们是谁</a></li>"));
        assert!(html.contains("<h3 id=\"section-1-1\">联系方式</h3>"));
        assert!(html.contains("<h2 id=\"section-2\">您的权利</h2>"));
        assert!(html.contains("<h3 id=\"section-2-2\">更正</h3>"));
        assert!(html.contains("\"Noto Sans CJK SC\""));
        assert!(!en("# T\n").contains("CJK"));
    }

    #[test]
    fn ids_are_slugs_unique_and_stable() {
        assert_eq!(slug("Who we are"), "who-we-are");
        assert_eq!(
            slug("Transfers outside the EEA (Art 44–49)"),
            "transfers-outside-the-eea-art-44-49"
        );
        assert_eq!(
            slug("Données à caractère personnel"),
            "donnees-a-caractere-personnel"
        );
        assert_eq!(slug("—"), "");
        let html = en("# T\n\n## Complaints\n\n### Complaints\n\n## Complaints-2\n\n## ???\n");
        assert!(html.contains("<h2 id=\"complaints\">"));
        assert!(html.contains("<h3 id=\"complaints-2\">"));
        assert!(html.contains("<h2 id=\"complaints-2-2\">"));
        assert!(html.contains("<h2 id=\"section-3\">???</h2>"));
        assert_eq!(
            html,
            en("# T\n\n## Complaints\n\n### Complaints\n\n## Complaints-2\n\n## ???\n")
        );
    }

    #[test]
    fn tables_scroll_in_their_own_box() {
        let html =
            en("# T\n\n## Retention\n\n| Data | Kept |\n| --- | --- |\n| Name | 3 years |\n");
        assert!(html.contains(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"retention\">\n<table>"
        ), "{html}");
        assert!(html.contains("</table>\n</div>\n"));
        assert!(html.contains("<td>3 years</td>"));
        assert!(html.contains(".table-wrap{overflow-x:auto"));
        assert!(html.contains("overflow-wrap:anywhere"));
    }

    #[test]
    fn comments_survive_and_other_raw_html_is_shown_as_text() {
        let md = "# T\n\n<!-- kept\nover lines -->\n\nAge < 14 and <b>bold & <script>alert(1)</script> <!-- inline -->\n\n<div>\nunclosed\n";
        let html = en(md);
        assert!(html.contains("<!-- kept\nover lines -->"), "{html}");
        assert!(html.contains("<!-- inline -->"));
        assert!(
            html.contains(
                "Age &lt; 14 and &lt;b&gt;bold &amp; &lt;script&gt;alert(1)&lt;/script&gt;"
            ),
            "{html}"
        );
        assert!(html.contains("&lt;div&gt;"));
        assert!(!html.contains("<script"));
        assert!(!html.contains("<div>"));
        assert!(!html.contains("<b>"));
    }

    /// Comments a browser would end before their `-->` (found by an adversarial run: the
    /// rest ran as script) are shown as text.
    #[test]
    fn comments_a_browser_ends_early_are_shown_as_text() {
        for md in [
            "# T\n\n<!-- a --!><script>alert(1)</script> -->\n",
            "# T\n\n<!--><img src=x onerror=alert(2)>-->\n",
            "# T\n\n<!---><img src=x onerror=alert(3)>-->\n",
            "# T\n\nText <!-- a <!-- b --><img src=x onerror=alert(4)>\n",
        ] {
            let html = en(md);
            assert!(!html.contains("<script"), "{html}");
            assert!(!html.contains("<img"), "{html}");
            assert!(html.contains("&lt;!--"), "{html}");
        }
        // The generated-from header is a well-formed comment, and stays one.
        assert!(en("<!-- Generated by lawful -->\n# T\n").contains("<!-- Generated by lawful -->"));
    }

    #[test]
    fn entities_are_escaped_once() {
        let html = en("# Terms &amp; conditions\n\nTom &amp; Jerry, A&B, \"quoted\"\n");
        assert!(
            html.contains("<title>Terms &amp; conditions</title>"),
            "{html}"
        );
        assert!(html.contains("Tom &amp; Jerry, A&amp;B"));
        assert!(!html.contains("&amp;amp;"));
    }

    #[test]
    fn links_are_limited_to_safe_schemes_and_images_load_nothing() {
        let html = en(
            "# T\n\nSee <https://example.com/privacy>, [our policy](https://example.com/p \"Policy\"), <dpo@example.com>, [x](javascript:alert(1)), [y](JaVaScRiPt:alert(2)), [top](#t) and ![logo](https://cdn.example/logo.png).\n",
        );
        assert!(html.contains("<a href=\"https://example.com/privacy\" class=\"bare\">https://example.com/privacy</a>"), "{html}");
        assert!(html.contains("<a href=\"https://example.com/p\" title=\"Policy\">our policy</a>"));
        assert!(
            html.contains("<a href=\"mailto:dpo@example.com\" class=\"bare\">dpo@example.com</a>")
        );
        assert!(!html.to_lowercase().contains("javascript"));
        assert!(html.contains(", x, y, <a href=\"#t\">top</a>"));
        assert!(!html.contains("<img"));
        assert!(html.contains(" and logo."));
        assert!(html.contains("a[href^=\"http\"]:not(.bare)::after"));
    }

    #[test]
    fn pages_without_headings_still_have_a_title_and_a_main() {
        let html = page(Language::ZhCn, "只有一段话。\n");
        assert!(html.contains("<title>个人信息处理告知</title>"));
        assert!(
            html.contains("<main>\n<p>只有一段话。</p>\n</main>"),
            "{html}"
        );
        assert!(!html.contains("<nav"));
        assert!(!html.contains("<header>"));
    }

    #[test]
    fn the_page_is_self_contained_and_prints_well() {
        let html = en("# T\n\n## A\n\ntext\n");
        for forbidden in ["<script", "<link", "src=", "@import", "url("] {
            assert!(!html.contains(forbidden), "{forbidden}");
        }
        assert!(html.contains("@media print{"));
        assert!(html.contains("tr,th,td{break-inside:avoid"));
        assert!(html.contains("max-width:46rem"));
    }
}
