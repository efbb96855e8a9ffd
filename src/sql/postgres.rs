//! PostgreSQL: identifier quoting, literal escaping, qualified names.

/// Quote an identifier: always double-quoted, embedded `"` doubled. Always quoting keeps
/// mixed case (`"firstName"`), reserved words (`"timestamp"`, `"user"`) and any Unicode
/// name (`"客户"`) exactly as the catalog spells them.
///
/// Errors: a NUL character cannot appear in a PostgreSQL identifier; it is refused.
pub fn ident(name: &str) -> Result<String, String> {
    if name.is_empty() {
        return Err("an SQL identifier cannot be empty".into());
    }
    if name.contains('\0') {
        return Err(format!(
            "`{}` contains a NUL character",
            name.escape_debug()
        ));
    }
    Ok(format!("\"{}\"", name.replace('"', "\"\"")))
}

/// Quote a string literal: single-quoted, embedded `'` doubled. With
/// `standard_conforming_strings` on (the default since PostgreSQL 9.1) backslashes are
/// ordinary characters; an `E''` literal is never produced.
pub fn literal(value: &str) -> Result<String, String> {
    if value.contains('\0') {
        return Err(format!(
            "`{}` contains a NUL character",
            value.escape_debug()
        ));
    }
    Ok(format!("'{}'", value.replace('\'', "''")))
}

/// `"schema"."table"`.
pub fn qualified(schema: &str, table: &str) -> Result<String, String> {
    Ok(format!("{}.{}", ident(schema)?, ident(table)?))
}

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
        assert_eq!(literal("a\\b").unwrap(), "'a\\b'");
    }
}
