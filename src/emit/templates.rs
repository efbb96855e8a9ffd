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
            format!("{place}: the template does not parse: {}", e.reason()),
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

/// Collapse runs of blank lines left by `#if` blocks, and end with one newline.
pub fn tidy(text: &str) -> String {
    let mut out = String::new();
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
    let trimmed = out.trim_end_matches('\n');
    format!("{trimmed}\n")
}
