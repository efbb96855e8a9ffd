//! PostgreSQL: identifier quoting, literal escaping, qualified names.
//!
//! Literal quoting never depends on the server setting `standard_conforming_strings`:
//! - every generated file starts with [`STANDARD_STRINGS`] (`SET LOCAL` inside the
//!   transaction of the file), so the file itself is read the same way on every server;
//! - a literal that holds a backslash, the one character whose meaning the setting changes,
//!   is dollar-quoted by [`literal`]. That matters inside function and procedure bodies,
//!   whose statements PostgreSQL parses when they first run, under the setting of the
//!   session that calls them, not of the session that created them.

/// Quote an identifier: always double-quoted, embedded `"` doubled. Always quoting keeps
/// mixed case (`"firstName"`), reserved words (`"timestamp"`, `"user"`) and any Unicode
/// name (`"客户"`) exactly as the catalog spells them.
///
/// Errors: a NUL character cannot appear in a PostgreSQL identifier; it is refused. So is a
/// name longer than [`MAX_IDENT_BYTES`]: the server would silently truncate it, and two long
/// names could then mean one object.
pub fn ident(name: &str) -> Result<String, String> {
    check_ident(name)?;
    Ok(enclose(name, '"'))
}

/// Whether [`ident`] can quote `name`, without quoting it: the same errors.
pub fn check_ident(name: &str) -> Result<(), String> {
    if name.is_empty() {
        return Err("an SQL identifier cannot be empty".into());
    }
    if name.len() > MAX_IDENT_BYTES {
        return Err(format!(
            "`{}` is {} bytes long; PostgreSQL truncates identifiers to {MAX_IDENT_BYTES} bytes",
            name.escape_debug(),
            name.len()
        ));
    }
    if name.contains('\0') {
        return Err(format!(
            "`{}` contains a NUL character",
            name.escape_debug()
        ));
    }
    Ok(())
}

/// `text` between two `quote`s, each `quote` inside doubled: the quoting of identifiers
/// and of plain string literals. Written into one buffer of the right size, since every
/// generated file quotes many names.
fn enclose(text: &str, quote: char) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for (i, part) in text.split(quote).enumerate() {
        if i > 0 {
            out.push(quote);
            out.push(quote);
        }
        out.push_str(part);
    }
    out.push(quote);
    out
}

/// Whether `tag` written right after `text` is the first occurrence of `tag` in the two
/// together: `tag` neither occurs in `text` nor starts in its last characters (`text`
/// ending in `$s` before the tag `$s$`). A dollar quote must close there and nowhere earlier.
fn closes_at_end(text: &str, tag: &str) -> bool {
    if text.contains(tag) {
        return false;
    }
    // An occurrence across the end starts in the last `tag.len() - 1` bytes of `text`.
    let (t, g) = (text.as_bytes(), tag.as_bytes());
    let tail = &t[t.len().saturating_sub(g.len().saturating_sub(1))..];
    let joined: Vec<u8> = tail.iter().chain(g).copied().collect();
    joined.windows(g.len()).position(|w| w == g) == Some(tail.len())
}

/// `body` between two `tag`s, in one buffer of the right size.
fn between(tag: &str, body: &str) -> String {
    let mut out = String::with_capacity(body.len() + 2 * tag.len());
    out.push_str(tag);
    out.push_str(body);
    out.push_str(tag);
    out
}

/// Quote a string literal: single-quoted, embedded `'` doubled. A value with a backslash is
/// dollar-quoted instead (`$s$a\b$s$`, the tag numbered when the value holds it), since
/// a session with `standard_conforming_strings` off would read the `\b` of `'a\b'` as an
/// escape sequence; a dollar-quoted literal means the same under either setting. An `E''` literal is
/// never produced.
pub fn literal(value: &str) -> Result<String, String> {
    if value.contains('\0') {
        return Err(format!(
            "`{}` contains a NUL character",
            value.escape_debug()
        ));
    }
    if value.contains('\\') {
        let mut tag = "$s$".to_string();
        let mut n = 0u32;
        // The first occurrence of the tag after the opening one must be the closing one
        // (a value ending in `$s` would otherwise end early).
        while !closes_at_end(value, &tag) {
            n += 1;
            tag = format!("$s{n}$");
        }
        return Ok(between(&tag, value));
    }
    Ok(enclose(value, '\''))
}

/// The statement every generated file runs first, so that the file's literals are read the
/// same way whatever the server's default: `SET LOCAL` inside the file's transaction.
pub const STANDARD_STRINGS: &str = "SET LOCAL standard_conforming_strings = on;";

/// A `LIKE` pattern matching every text that starts with `prefix`: `%`, `_` and `\` in the
/// prefix are escaped (backslash is `LIKE`'s default escape character), then `%` appended.
pub fn like_prefix(prefix: &str) -> Result<String, String> {
    let mut pat = String::new();
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pat.push('\\');
        }
        pat.push(c);
    }
    pat.push('%');
    literal(&pat)
}

/// `"schema"."table"`.
pub fn qualified(schema: &str, table: &str) -> Result<String, String> {
    Ok(format!("{}.{}", ident(schema)?, ident(table)?))
}

/// The longest identifier PostgreSQL keeps (NAMEDATALEN - 1 bytes).
pub const MAX_IDENT_BYTES: usize = 63;

/// `"schema"."table"."column"%TYPE`: a PL/pgSQL variable type taken from a column.
pub fn column_type(schema: &str, table: &str, column: &str) -> Result<String, String> {
    Ok(format!(
        "{}.{}.{}%TYPE",
        ident(schema)?,
        ident(table)?,
        ident(column)?
    ))
}

/// `'"schema"."table"'::regclass`: a table's OID, resolved when the statement runs.
pub fn regclass(schema: &str, table: &str) -> Result<String, String> {
    Ok(format!(
        "{}::regclass",
        literal(&qualified(schema, table)?)?
    ))
}

/// An interval literal: `interval '3 years'`.
pub fn interval(words: &str) -> Result<String, String> {
    Ok(format!("interval {}", literal(words)?))
}

/// Dollar-quote a body (function, procedure or `DO` block): `$lawful$…$lawful$`, with a
/// numbered tag (`$lawful1$`, …) when the body itself contains the tag, so that no
/// identifier or literal inside can end the quote early.
pub fn dollar_quote(body: &str) -> String {
    let mut tag = "$lawful$".to_string();
    let mut n = 0u32;
    while !closes_at_end(body, &tag) {
        n += 1;
        tag = format!("$lawful{n}$");
    }
    between(&tag, body)
}

/// A message for PL/pgSQL `RAISE`: a string literal whose `%` signs are doubled, since
/// `RAISE` reads a lone `%` as a placeholder.
pub fn raise_message(text: &str) -> Result<String, String> {
    literal(&text.replace('%', "%%"))
}

/// A `RAISE` format with one `%` placeholder between consecutive parts; `%` inside the
/// parts is doubled. `raise_format(&["x: ", " rows"])` is `'x: % rows'`.
pub fn raise_format(parts: &[&str]) -> Result<String, String> {
    let mut text = String::with_capacity(parts.iter().map(|p| p.len() + 1).sum());
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            text.push('%');
        }
        for (j, piece) in part.split('%').enumerate() {
            if j > 0 {
                text.push_str("%%");
            }
            text.push_str(piece);
        }
    }
    literal(&text)
}

pub use super::comment;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_keep_case_reserved_words_quotes_and_chinese() {
        assert_eq!(ident("firstName").unwrap(), "\"firstName\"");
        assert_eq!(ident("timestamp").unwrap(), "\"timestamp\"");
        assert_eq!(ident("we\"ird").unwrap(), "\"we\"\"ird\"");
        assert_eq!(ident("客户").unwrap(), "\"客户\"");
        assert!(ident("").is_err());
        assert!(ident("a\0b").is_err());
    }

    #[test]
    fn literals_double_single_quotes_and_keep_backslashes() {
        assert_eq!(literal("O'Brien").unwrap(), "'O''Brien'");
        // A backslash is dollar-quoted, so that its meaning does not depend on
        // standard_conforming_strings.
        assert_eq!(literal("a\\b").unwrap(), "$s$a\\b$s$");
        assert_eq!(literal("a\\b$s$").unwrap(), "$s1$a\\b$s$$s1$");
        assert_eq!(literal("a\\$").unwrap(), "$s$a\\$$s$");
        assert_eq!(literal("a\\$s").unwrap(), "$s1$a\\$s$s1$");
    }

    #[test]
    fn like_prefixes_escape_wildcards() {
        assert_eq!(like_prefix("anon:").unwrap(), "'anon:%'");
        assert_eq!(like_prefix("a_b%").unwrap(), "$s$a\\_b\\%%$s$");
    }

    #[test]
    fn long_identifiers_are_refused_rather_than_truncated() {
        assert!(ident(&"x".repeat(63)).is_ok());
        assert!(ident(&"x".repeat(64)).is_err());
        // 22 Chinese characters are 66 bytes.
        assert!(ident(&"客".repeat(22)).is_err());
    }

    #[test]
    fn dollar_quotes_never_end_inside_the_body() {
        assert_eq!(dollar_quote("SELECT 1;"), "$lawful$SELECT 1;$lawful$");
        assert_eq!(
            dollar_quote("SELECT \"a$lawful$b\";"),
            "$lawful1$SELECT \"a$lawful$b\";$lawful1$"
        );
    }

    #[test]
    fn a_tag_closes_where_the_text_ends_and_nowhere_before() {
        // The definition: the first occurrence of the tag in text and tag together.
        let by_definition =
            |text: &str, tag: &str| format!("{text}{tag}").find(tag) == Some(text.len());
        for text in [
            "", "$", "$s", "$s$", "a$s", "a$s$b", "x$lawful", "$lawful$", "$lawfu", "客$s", "$$",
        ] {
            for tag in ["$s$", "$s1$", "$lawful$", "$lawful1$"] {
                assert_eq!(
                    closes_at_end(text, tag),
                    by_definition(text, tag),
                    "{text:?} {tag:?}"
                );
            }
        }
    }

    #[test]
    fn raise_messages_escape_placeholders() {
        assert_eq!(raise_message("100% done").unwrap(), "'100%% done'");
        assert_eq!(raise_format(&["a%b: ", " rows"]).unwrap(), "'a%%b: % rows'");
    }

    #[test]
    fn comments_cannot_break_out_of_their_line() {
        assert_eq!(comment("a\nDROP TABLE x;"), "-- a DROP TABLE x;");
    }

    #[test]
    fn column_types_and_intervals_are_quoted() {
        assert_eq!(
            column_type("public", "客户", "Id").unwrap(),
            "\"public\".\"客户\".\"Id\"%TYPE"
        );
        assert_eq!(interval("3 years").unwrap(), "interval '3 years'");
        assert_eq!(
            regclass("public", "O'Brien").unwrap(),
            "'\"public\".\"O''Brien\"'::regclass"
        );
    }
}
