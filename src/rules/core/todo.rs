//! CORE-TODO: review notes left in the project. An importer (`lawful import`) writes a YAML
//! comment `# TODO(lawful): …` where the source could not supply a fact (countries, a
//! retention period, a legal basis per regime); each such comment is reported at its line
//! until someone answers it and deletes the comment. Runs whatever the regimes in scope.

use crate::manifest::TODO_MARKER;
use crate::manifest::source::SourceFile;
use crate::manifest::yaml::Span;
use crate::report::Severity;
use crate::rules::{Context, Findings, Rule, RuleSet};

pub static RULE: Rule = Rule {
    id: "CORE-TODO",
    set: RuleSet::Core,
    article: "the project's own review notes (`# TODO(lawful): …` comments)",
    // No official text: the notes are the project's own (docs/import.md says who writes them).
    url: "",
    default_severity: Severity::Warning,
    summary: "A `# TODO(lawful)` comment marks a fact that still has to be supplied or checked",
    explanation: "`lawful import fides` and `lawful import sql` write what their source says and mark with a comment `# TODO(lawful): …` each fact it cannot say: the countries where data is stored, a retention period as a duration, the legal basis under each regime, a category suggested from a column name. The project reads and checks meanwhile, but its findings rest on guesses until each note is answered.\n\nlawful reports every such comment at its line, whatever the regimes in scope, so that none is forgotten. A `TODO(lawful)` inside a quoted value is text, not a note, and is not reported.",
    fix: "Supply the fact the note asks for, then delete the comment.\n\n```yaml\ndatasets:\n  customers:\n    country: DE\n```",
    check,
};

fn check(cx: &Context, out: &mut Findings) {
    for (file, src) in cx.model.sources.files() {
        if !src.text.contains(TODO_MARKER) {
            continue;
        }
        for (start, end) in comments(src) {
            let comment = &src.text[start..end];
            let Some(at) = comment.find(TODO_MARKER) else {
                continue;
            };
            let note = comment[at + TODO_MARKER.len()..]
                .trim_start_matches([':', ' ', '\t'])
                .trim();
            let message = if note.is_empty() {
                "a review note has no text".to_string()
            } else {
                note.to_string()
            };
            let (line, _) = src.line_col(start as u32);
            // Underline `# TODO(lawful)`, not the whole note: the message repeats it.
            let marker_end = (start + at + TODO_MARKER.len()).min(end);
            let d = out
                .at(Span::new(file, start, marker_end), "review note", message)
                .with_target(format!("{}:{line}", src.name));
            out.push(d);
        }
    }
}

/// Byte ranges of the YAML comments of a file (from `#` to the end of the line, trailing
/// blanks left out). A `#` is a comment when it starts the line or follows a blank, and is
/// not inside a scalar (a quoted string or a block scalar): the parser's scalar spans rule
/// those out. A file the parser cannot read has been refused before any rule runs.
fn comments(src: &SourceFile) -> Vec<(usize, usize)> {
    use serde_saphyr::granit_parser::{Event, Parser};
    let text = src.text.as_str();
    let mut scalars: Vec<(usize, usize)> = Parser::new_from_str(text)
        .filter_map(|item| {
            let (ev, span) = item.ok()?;
            if matches!(ev, Event::Scalar(..)) {
                let r = span.byte_range()?;
                Some((r.start, r.end))
            } else {
                None
            }
        })
        .collect();
    scalars.sort_unstable();
    let inside = |i: usize| {
        let k = scalars.partition_point(|s| s.0 <= i);
        // Scalars do not nest: only the last one starting at or before `i` can hold it.
        k > 0 && i < scalars[k - 1].1
    };
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut line_start = 0;
    while line_start < text.len() {
        let line_end = text[line_start..]
            .find('\n')
            .map_or(text.len(), |i| line_start + i);
        let line = &text[line_start..line_end];
        let mut from = 0;
        while let Some(i) = line[from..].find('#') {
            let at = line_start + from + i;
            let starts = at == line_start || matches!(bytes[at - 1], b' ' | b'\t');
            if starts && !inside(at) {
                let end = line_start + line.trim_end().len();
                out.push((at, end.max(at + 1)));
                break;
            }
            from += i + 1;
        }
        line_start = line_end + 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn found(text: &str) -> Vec<String> {
        let mut m = crate::manifest::source::SourceMap::default();
        let id = m.add(Path::new("x.yaml"), "x.yaml".into(), text.into());
        let src = m.get(id).expect("file");
        comments(src)
            .into_iter()
            .map(|(a, b)| src.text[a..b].to_string())
            .collect()
    }

    #[test]
    fn comments_are_found_and_text_inside_values_is_not() {
        let text = "a: 1 # one\n# two\nb: \"x # not\" # three\nc: 'y # no'\nd: |\n  # inside a block\n  text\ne: x#y\n";
        assert_eq!(found(text), ["# one", "# two", "# three"]);
    }

    #[test]
    fn a_multi_line_quoted_value_hides_its_hashes() {
        let text = "a: \"first\n  # still the value\n  end\"\n# real\n";
        assert_eq!(found(text), ["# real"]);
    }
}
