//! Handlebars rendering for every template-based artefact, in strict mode (a missing field
//! is an error), with overrides: a project may put its own version of any built-in template
//! in a `templates/` folder beside its manifest (the same file name, e.g.
//! `templates/gdpr_art13.en.md.hbs`). An error in a user template names the template file,
//! line and column.

use handlebars::Handlebars;
use serde::Serialize;

use crate::Project;
use crate::report::Diagnostic;

/// The folder, inside the project, that holds template overrides.
pub const OVERRIDE_DIR: &str = "templates";

/// Render the built-in template `name` (its file name under src/emit/templates/, e.g.
/// `pipl_art17.zh-CN.md.hbs`, whose text is `builtin`) with `cx`, or the project's override
/// of it when `templates/<name>` exists. Blank-line runs left by `#if` blocks are collapsed
/// and the text ends with one newline.
///
/// Errors: the template does not parse or does not render (a field it names is missing);
/// the diagnostic names the file and, when handlebars knows it, the line and column.
pub fn render(
    p: &Project,
    name: &str,
    builtin: &str,
    cx: &impl Serialize,
) -> Result<String, Box<Diagnostic>> {
    let user = p.root.join(OVERRIDE_DIR).join(name);
    let (source, shown) = match std::fs::read_to_string(&user) {
        Ok(text) => (text, format!("{OVERRIDE_DIR}/{name}")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            (builtin.to_string(), format!("built-in template {name}"))
        }
        Err(e) => {
            return Err(Box::new(Diagnostic::error(
                "emit::template",
                format!("cannot read {}: {e}", user.display()),
            )));
        }
    };
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_template_string(name, &source).map_err(|e| {
        let place = match e.pos() {
            Some((l, c)) => format!("{shown}:{l}:{c}"),
            None => shown.clone(),
        };
        Box::new(Diagnostic::error(
            "emit::template",
            format!(
                "{place}: the template does not parse: {}",
                parse_reason(&e.reason().to_string())
            ),
        ))
    })?;
    let text = hb.render(name, cx).map_err(|e| {
        let place = match (e.line_no, e.column_no) {
            (Some(l), Some(c)) => format!("{shown}:{l}:{c}"),
            _ => shown.clone(),
        };
        Box::new(
            Diagnostic::error(
                "emit::template",
                format!("{place}: the template failed: {}", e.reason()),
            )
            .with_help(
                "a template may only use the fields lawful gives it; the built-in templates in src/emit/templates/ show them",
            ),
        )
    })?;
    Ok(tidy(&text))
}

/// Handlebars' parser error in words: its grammar message ("expected escape, expression,
/// html_expression, …") lists rule names a template author has never seen.
fn parse_reason(reason: &str) -> String {
    if reason.contains("invalid handlebars syntax") && reason.contains("expected") {
        "an unclosed block or a malformed `{{…}}` expression".to_string()
    } else {
        reason.to_string()
    }
}

/// Collapse runs of blank lines left by `#if` blocks, and end with one newline.
pub fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 1 + super::trace::FOOTER_ROOM);
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out.truncate(out.trim_end_matches('\n').len());
    out.push('\n');
    out
}

/// The file names of the built-in templates, which a project may override.
pub const BUILTIN: &[&str] = &[
    "ccpa_financial_incentive.en.md.hbs",
    "ccpa_financial_incentive.zh-CN.md.hbs",
    "ccpa_notice_at_collection.en.md.hbs",
    "ccpa_notice_at_collection.zh-CN.md.hbs",
    "ccpa_privacy_policy.en.md.hbs",
    "ccpa_privacy_policy.zh-CN.md.hbs",
    "gdpr_art13.en.md.hbs",
    "gdpr_art13.zh-CN.md.hbs",
    "gdpr_art14.en.md.hbs",
    "gdpr_art14.zh-CN.md.hbs",
    "pipl_art17.en.md.hbs",
    "pipl_art17.zh-CN.md.hbs",
];

/// The project's template overrides, checked before anything is built, so that
/// `lawful check` reports them once each:
///
/// - `emit::template` (error): an override that does not parse, at its file, line and
///   column;
/// - `emit::template-unknown` (warning): a `.hbs` file in `templates/` that overrides no
///   built-in template, so it is never used (a misspelt name, say).
///
/// Whether an override uses only fields lawful provides is known only when it renders:
/// `lawful build` reports that.
pub fn check(root: &std::path::Path) -> Vec<Diagnostic> {
    use crate::report::Severity;
    let dir = root.join(OVERRIDE_DIR);
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .filter(|n| n.ends_with(".hbs"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    for name in names {
        let shown = format!("{OVERRIDE_DIR}/{name}");
        if !BUILTIN.contains(&name.as_str()) {
            let mut d = Diagnostic::new(
                "emit::template-unknown",
                Severity::Warning,
                format!("{shown} overrides no built-in template, so it is never used"),
            );
            d = match crate::suggest::closest(&name, BUILTIN.iter().copied()) {
                Some(s) => d.with_help(format!("did you mean `{s}`?")),
                None => d.with_help(format!(
                    "an override has the file name of a built-in template: {}",
                    BUILTIN.join(", ")
                )),
            };
            out.push(d);
            continue;
        }
        let source = match std::fs::read_to_string(dir.join(&name)) {
            Ok(s) => s,
            Err(e) => {
                out.push(Diagnostic::error(
                    "emit::template",
                    format!("cannot read {shown}: {e}"),
                ));
                continue;
            }
        };
        let mut hb = Handlebars::new();
        hb.set_strict_mode(true);
        if let Err(e) = hb.register_template_string(&name, &source) {
            let place = match e.pos() {
                Some((l, c)) => format!("{shown}:{l}:{c}"),
                None => shown.clone(),
            };
            out.push(
                Diagnostic::error(
                    "emit::template",
                    format!("{place}: the template does not parse: {}", parse_reason(&e.reason().to_string())),
                )
                .with_help("every `{{#if}}` and `{{#each}}` needs its closing `{{/if}}` or `{{/each}}`; the built-in templates in src/emit/templates/ show the syntax"),
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_builtin_template_is_listed() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/emit/templates");
        let mut found: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".hbs"))
            .collect();
        found.sort();
        assert_eq!(found, super::BUILTIN);
    }
}
