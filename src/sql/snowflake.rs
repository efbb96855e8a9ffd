//! Snowflake: identifier quoting, literal escaping, qualified names and the privilege
//! statements lawful writes.
//!
//! Identifiers are always double-quoted. A quoted identifier is **case-sensitive** in
//! Snowflake: `"customers"` and `CUSTOMERS` are different tables, since an unquoted name is
//! stored upper-cased. So a manifest must spell a table, column or role exactly as Snowflake
//! stores it: upper case for objects created without quotes (`CUSTOMERS`, `PUBLIC`), the
//! exact spelling for objects created with them. Quoting everything keeps reserved words
//! (`"ORDER"`), spaces and any Unicode name (`"客户"`) exact.
//!
//! String literals are single-quoted. Snowflake reads backslash escape sequences inside them
//! (`'\n'` is a line break), so a backslash is written `\\` and a single quote `''`.

/// The longest identifier Snowflake accepts, in characters.
pub const MAX_IDENT_CHARS: usize = 255;

/// Quote an identifier: `"name"`, embedded `"` doubled. Case is kept, and is significant.
///
/// Errors: an empty name, a NUL character, or a name longer than [`MAX_IDENT_CHARS`]
/// characters (Snowflake refuses it).
pub fn ident(name: &str) -> Result<String, String> {
    if name.is_empty() {
        return Err("an SQL identifier cannot be empty".into());
    }
    let n = name.chars().count();
    if n > MAX_IDENT_CHARS {
        return Err(format!(
            "`{}` is {n} characters long; Snowflake identifiers hold at most {MAX_IDENT_CHARS}",
            name.escape_debug()
        ));
    }
    if name.contains('\0') {
        return Err(format!(
            "`{}` contains a NUL character",
            name.escape_debug()
        ));
    }
    Ok(format!("\"{}\"", name.replace('"', "\"\"")))
}

/// Quote a string literal: `'…'`, with `\` written `\\` and `'` written `''`. Line breaks
/// and tabs are written as `\n`, `\r`, `\t`, so a literal always stays on one line.
///
/// Errors: a NUL character.
pub fn literal(value: &str) -> Result<String, String> {
    if value.contains('\0') {
        return Err(format!(
            "`{}` contains a NUL character",
            value.escape_debug()
        ));
    }
    let mut out = String::from("'");
    for c in value.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("''"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('\'');
    Ok(out)
}

/// `"db"."schema"."table"`, or `"schema"."table"` without a database (the session's current
/// database is then used).
pub fn qualified(db: Option<&str>, schema: &str, table: &str) -> Result<String, String> {
    Ok(match db {
        Some(d) => format!("{}.{}.{}", ident(d)?, ident(schema)?, ident(table)?),
        None => format!("{}.{}", ident(schema)?, ident(table)?),
    })
}

/// `"db"."schema"`, or `"schema"` without a database.
pub fn schema_name(db: Option<&str>, schema: &str) -> Result<String, String> {
    Ok(match db {
        Some(d) => format!("{}.{}", ident(d)?, ident(schema)?),
        None => ident(schema)?,
    })
}

/// The kind of object a privilege is on, as Snowflake's `GRANT … ON <kind>` spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    Database,
    Schema,
    Table,
    View,
    /// `ALL TABLES IN SCHEMA`.
    AllTablesIn,
    /// `ALL VIEWS IN SCHEMA`.
    AllViewsIn,
}

impl On {
    fn words(self) -> &'static str {
        match self {
            On::Database => "DATABASE",
            On::Schema => "SCHEMA",
            On::Table => "TABLE",
            On::View => "VIEW",
            On::AllTablesIn => "ALL TABLES IN SCHEMA",
            On::AllViewsIn => "ALL VIEWS IN SCHEMA",
        }
    }
}

/// `GRANT <privileges> ON <kind> <object> TO ROLE "role";`. `object` is already quoted
/// ([`qualified`], [`schema_name`], [`ident`]); `privileges` are fixed words such as
/// `SELECT` or `INSERT, SELECT`.
pub fn grant(privileges: &str, on: On, object: &str, role: &str) -> Result<String, String> {
    Ok(format!(
        "GRANT {privileges} ON {} {object} TO ROLE {};",
        on.words(),
        ident(role)?
    ))
}

/// `REVOKE <privileges> ON <kind> <object> FROM ROLE "role";`. Revoking a privilege the
/// role does not hold is not an error in Snowflake.
pub fn revoke(privileges: &str, on: On, object: &str, role: &str) -> Result<String, String> {
    Ok(format!(
        "REVOKE {privileges} ON {} {object} FROM ROLE {};",
        on.words(),
        ident(role)?
    ))
}

/// `CREATE ROLE IF NOT EXISTS "role";`.
pub fn create_role(role: &str) -> Result<String, String> {
    Ok(format!("CREATE ROLE IF NOT EXISTS {};", ident(role)?))
}

/// A procedure or task body: `$$…$$` when the body does not contain `$$` (Snowflake has
/// no tagged dollar quotes), else a string literal ([`literal`]).
pub fn body(text: &str) -> Result<String, String> {
    if text.contains("$$") || text.ends_with('$') {
        literal(text)
    } else {
        Ok(format!("$${text}$$"))
    }
}

pub use super::comment;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_keep_case_reserved_words_quotes_and_chinese() {
        assert_eq!(ident("firstName").unwrap(), "\"firstName\"");
        assert_eq!(ident("ORDER").unwrap(), "\"ORDER\"");
        assert_eq!(ident("we\"ird").unwrap(), "\"we\"\"ird\"");
        assert_eq!(ident("客户").unwrap(), "\"客户\"");
        assert!(ident("").is_err());
        assert!(ident("a\0b").is_err());
    }

    #[test]
    fn long_identifiers_are_counted_in_characters() {
        assert!(ident(&"客".repeat(255)).is_ok());
        assert!(ident(&"x".repeat(256)).is_err());
    }

    #[test]
    fn literals_escape_quotes_and_backslashes() {
        assert_eq!(literal("O'Brien").unwrap(), "'O''Brien'");
        assert_eq!(literal("a\\b").unwrap(), "'a\\\\b'");
        assert_eq!(literal("a\nb").unwrap(), "'a\\nb'");
        assert!(literal("a\0").is_err());
    }

    #[test]
    fn names_are_qualified_with_or_without_a_database() {
        assert_eq!(
            qualified(Some("DB"), "PUBLIC", "t\"x").unwrap(),
            "\"DB\".\"PUBLIC\".\"t\"\"x\""
        );
        assert_eq!(qualified(None, "S", "T").unwrap(), "\"S\".\"T\"");
    }

    #[test]
    fn privilege_statements_name_the_role() {
        assert_eq!(
            grant("SELECT", On::View, "\"D\".\"S\".\"V\"", "Analyst").unwrap(),
            "GRANT SELECT ON VIEW \"D\".\"S\".\"V\" TO ROLE \"Analyst\";"
        );
        assert_eq!(
            revoke("ALL PRIVILEGES", On::AllTablesIn, "\"D\".\"S\"", "r").unwrap(),
            "REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA \"D\".\"S\" FROM ROLE \"r\";"
        );
        assert_eq!(
            create_role("r").unwrap(),
            "CREATE ROLE IF NOT EXISTS \"r\";"
        );
    }

    #[test]
    fn bodies_fall_back_to_literals_when_they_hold_dollars() {
        assert_eq!(body("SELECT 1;").unwrap(), "$$SELECT 1;$$");
        assert_eq!(body("SELECT '$$';").unwrap(), "'SELECT ''$$'';'");
    }
}
