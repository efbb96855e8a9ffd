//! A small YAML writer for the projects importers generate: block mappings, flow lists
//! and comments, with every scalar quoted when plain style would change its meaning.
//! (serde serializers drop comments, and an imported project's review notes are comments.)

use crate::manifest::TODO_MARKER;

/// A YAML document being written, line by line.
#[derive(Debug, Default)]
pub struct Writer {
    out: String,
    indent: usize,
    /// The next line continues a `- ` already written.
    pending_item: bool,
}

impl Writer {
    pub fn new() -> Writer {
        Writer::default()
    }

    /// The text written so far.
    pub fn finish(self) -> String {
        self.out
    }

    fn pad(&mut self) {
        if self.pending_item {
            self.pending_item = false;
            return;
        }
        for _ in 0..self.indent {
            self.out.push_str("  ");
        }
    }

    /// A comment line (`# text`); several lines for a text with newlines. Text from the
    /// input cannot make a review note: a `TODO(lawful)` in it is written `TODO (lawful)`.
    pub fn comment(&mut self, text: &str) {
        let text = text.replace(TODO_MARKER, "TODO (lawful)");
        self.comment_raw(&text);
    }

    fn comment_raw(&mut self, text: &str) {
        if self.pending_item {
            // A comment cannot follow `- ` on its line: end the dash line with an empty
            // mapping start and continue below it.
            self.pending_item = false;
            self.out.push('\n');
        }
        for line in text.lines() {
            self.pad();
            if line.is_empty() {
                self.out.push_str("#\n");
            } else {
                self.out.push_str("# ");
                self.out.push_str(line);
                self.out.push('\n');
            }
        }
    }

    /// A review note that `lawful check` reports (`# TODO(lawful): text`).
    pub fn todo(&mut self, text: &str) {
        let text = text.replace(TODO_MARKER, "TODO (lawful)");
        self.comment_raw(&format!("{TODO_MARKER}: {text}"));
    }

    /// An empty line.
    pub fn blank(&mut self) {
        self.out.push('\n');
    }

    /// `key: value`, the value a scalar quoted as needed.
    pub fn scalar(&mut self, key: &str, value: &str) {
        self.pad();
        self.out
            .push_str(&format!("{}: {}\n", scalar(key), scalar(value)));
    }

    /// `key: value` with a value already in YAML syntax (a number, `true`, a flow list).
    pub fn raw(&mut self, key: &str, yaml: &str) {
        self.pad();
        self.out.push_str(&format!("{}: {yaml}\n", scalar(key)));
    }

    /// `key: [a, b]`, each item a scalar quoted as needed.
    pub fn list(&mut self, key: &str, items: &[&str]) {
        self.raw(key, &flow_list(items));
    }

    /// `key:` opening a nested block mapping; close it with [`Writer::close`].
    pub fn open(&mut self, key: &str) {
        self.pad();
        self.out.push_str(&format!("{}:\n", scalar(key)));
        self.indent += 1;
    }

    /// `- ` opening a mapping that is an item of a block sequence (the sequence's key
    /// written with [`Writer::open`]); close it with [`Writer::close`]. The first key of the
    /// item goes on the dash's line.
    pub fn item(&mut self) {
        self.pad();
        self.out.push_str("- ");
        self.indent += 1;
        self.pending_item = true;
    }

    /// End the mapping opened last.
    pub fn close(&mut self) {
        self.indent = self.indent.saturating_sub(1);
    }
}

/// `[a, b]` with each item quoted as needed (inside `[...]`, also when it holds one of the
/// flow indicators `,[]{}`).
pub fn flow_list(items: &[&str]) -> String {
    let inner: Vec<String> = items.iter().map(|i| flow_scalar(i)).collect();
    format!("[{}]", inner.join(", "))
}

/// A scalar for use inside a flow collection (`[...]`, `{...}`).
pub fn flow_scalar(s: &str) -> String {
    if s.contains([',', '[', ']', '{', '}']) {
        quoted(s)
    } else {
        scalar(s)
    }
}

/// A YAML scalar for `s`: plain when that reads back as the same string, else
/// double-quoted with escapes.
pub fn scalar(s: &str) -> String {
    if plain_is_safe(s) {
        s.to_string()
    } else {
        quoted(s)
    }
}

/// `s` double-quoted, with escapes.
fn quoted(s: &str) -> String {
    let mut q = String::with_capacity(s.len() + 2);
    q.push('"');
    for c in s.chars() {
        match c {
            '"' => q.push_str("\\\""),
            '\\' => q.push_str("\\\\"),
            '\n' => q.push_str("\\n"),
            '\t' => q.push_str("\\t"),
            '\r' => q.push_str("\\r"),
            c if c.is_control() => q.push_str(&format!("\\u{:04x}", c as u32)),
            c => q.push(c),
        }
    }
    q.push('"');
    q
}

/// Whether `s` written plain reads back as the same string (YAML 1.2 core schema, and the
/// YAML 1.1 words some readers still take as booleans).
fn plain_is_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.trim() != s {
        return false;
    }
    const RESERVED: &[&str] = &[
        "null", "Null", "NULL", "~", "true", "True", "TRUE", "false", "False", "FALSE", "yes",
        "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N",
        ".inf", ".Inf", ".INF", "-.inf", ".nan", ".NaN", ".NAN",
    ];
    if RESERVED.contains(&s) {
        return false;
    }
    // Numbers (and things a reader may take for one, such as 1e3, 0x1F, 1_000, 12:30).
    if first.is_ascii_digit() || ((first == '-' || first == '+' || first == '.') && s.len() > 1) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.ends_with(':') {
        return false;
    }
    !s.chars()
        .any(|c| c.is_control() || matches!(c, '\u{feff}' | '\u{2028}' | '\u{2029}' | '\u{85}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_text_cannot_make_a_review_note() {
        let mut w = Writer::new();
        w.comment("from Fides: TODO(lawful): x\n# TODO(lawful): y");
        w.todo("the country");
        let out = w.finish();
        assert_eq!(out.matches("TODO(lawful)").count(), 1, "{out}");
        assert!(out.ends_with("# TODO(lawful): the country\n"), "{out}");
    }

    #[test]
    fn scalars_that_would_change_meaning_are_quoted() {
        assert_eq!(scalar("customer"), "customer");
        assert_eq!(scalar("contact.email"), "contact.email");
        assert_eq!(scalar("用户手机号"), "用户手机号");
        for s in [
            "yes", "null", "1.0", "0x1F", "", " x", "a: b", "a #b", "#x", "- x", "P3Y ",
        ] {
            assert!(scalar(s).starts_with('"'), "{s:?} must be quoted");
        }
        assert_eq!(scalar("say \"hi\"\n"), "\"say \\\"hi\\\"\\n\"");
        assert_eq!(flow_list(&["a", "b,c", "[x]"]), "[a, \"b,c\", \"[x]\"]");
    }
}
