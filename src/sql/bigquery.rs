//! BigQuery (GoogleSQL): identifier quoting, literal escaping, `project.dataset.table`
//! names and IAM principals for the DCL statements (`GRANT`/`REVOKE`).
//!
//! Every part of a name is quoted with backticks on its own: `` `my-project`.`sales`.`客户` ``.
//! A project id may hold `-` (and a `domain:` prefix), a table name spaces and any letter, so
//! quoting is what keeps them one name. Inside backticks BigQuery reads backslash escape
//! sequences, so `` ` `` is written `` \` `` and `\` is written `\\`.
//!
//! String literals also read backslash escapes: `\` is written `\\`, `'` is written `\'`, and
//! line breaks `\n`, so a literal always stays on one line.
//!
//! Dataset names may only hold letters, digits and underscores (at most 1,024 characters);
//! [`dataset`] refuses any other, since BigQuery would refuse to create or find it.

/// The longest dataset name BigQuery accepts, in characters.
pub const MAX_DATASET_CHARS: usize = 1024;
/// The longest table or view name BigQuery accepts, in UTF-8 bytes.
pub const MAX_TABLE_BYTES: usize = 1024;
/// The longest column name BigQuery accepts, in characters.
pub const MAX_COLUMN_CHARS: usize = 300;

fn escaped(name: &str, quote: char) -> Result<String, String> {
    if name.contains('\0') {
        return Err(format!(
            "`{}` contains a NUL character",
            name.escape_debug()
        ));
    }
    let mut out = String::new();
    out.push(quote);
    for c in name.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    Ok(out)
}

/// Quote a table, view or column name: `` `name` ``, with `` ` `` and `\` escaped by a
/// backslash.
///
/// Errors: an empty name, a NUL, or a name longer than [`MAX_TABLE_BYTES`] bytes.
pub fn ident(name: &str) -> Result<String, String> {
    if name.is_empty() {
        return Err("an SQL identifier cannot be empty".into());
    }
    if name.len() > MAX_TABLE_BYTES {
        return Err(format!(
            "`{}` is {} bytes long; BigQuery names hold at most {MAX_TABLE_BYTES}",
            name.escape_debug(),
            name.len()
        ));
    }
    escaped(name, '`')
}

/// Quote a column name ([`ident`]), at most [`MAX_COLUMN_CHARS`] characters.
pub fn column(name: &str) -> Result<String, String> {
    let n = name.chars().count();
    if n > MAX_COLUMN_CHARS {
        return Err(format!(
            "`{}` is {n} characters long; BigQuery column names hold at most {MAX_COLUMN_CHARS}",
            name.escape_debug()
        ));
    }
    ident(name)
}

/// Quote a dataset name after checking it: letters, digits and underscores only.
///
/// Errors: an empty name, another character, or more than [`MAX_DATASET_CHARS`].
pub fn dataset(name: &str) -> Result<String, String> {
    if name.is_empty() {
        return Err("a BigQuery dataset name cannot be empty".into());
    }
    if let Some(c) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Err(format!(
            "`{}` is not a BigQuery dataset name: `{}` is not allowed, only letters, digits and underscores",
            name.escape_debug(),
            c.escape_debug()
        ));
    }
    if name.chars().count() > MAX_DATASET_CHARS {
        return Err(format!(
            "`{name}` is longer than the {MAX_DATASET_CHARS} characters BigQuery allows for a dataset name"
        ));
    }
    ident(name)
}

/// Quote a project id after checking it: lower-case letters, digits and hyphens, with an
/// optional `domain.com:` prefix (`example.com:my-project`).
pub fn project(name: &str) -> Result<String, String> {
    let id = name.rsplit(':').next().unwrap_or("");
    let ok = !id.is_empty()
        && id.starts_with(|c: char| c.is_ascii_lowercase())
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':'));
    if !ok {
        return Err(format!(
            "`{}` is not a Google Cloud project id: lower-case letters, digits and hyphens, starting with a letter",
            name.escape_debug()
        ));
    }
    ident(name)
}

/// `` `project`.`dataset`.`table` ``, or `` `dataset`.`table` `` without a project (the
/// project of the job is then used).
pub fn qualified(project_id: Option<&str>, ds: &str, table: &str) -> Result<String, String> {
    Ok(match project_id {
        Some(p) => format!("{}.{}.{}", project(p)?, dataset(ds)?, ident(table)?),
        None => format!("{}.{}", dataset(ds)?, ident(table)?),
    })
}

/// `` `project`.`dataset` `` (a schema, in DDL and DCL), or `` `dataset` ``.
pub fn schema_name(project_id: Option<&str>, ds: &str) -> Result<String, String> {
    Ok(match project_id {
        Some(p) => format!("{}.{}", project(p)?, dataset(ds)?),
        None => dataset(ds)?,
    })
}

/// Quote a string literal: `'…'`, with `\` written `\\`, `'` written `\'`, line breaks
/// `\n`.
///
/// Errors: a NUL character.
pub fn literal(value: &str) -> Result<String, String> {
    escaped(value, '\'')
}

/// The kinds of IAM principal a `GRANT … TO` names.
pub const PRINCIPAL_KINDS: &[&str] = &["user", "group", "serviceAccount", "domain"];

/// An IAM principal as a DCL string: `"group:analysts@example.com"`.
///
/// Errors: a name that is not `user:`, `group:` or `serviceAccount:` followed by an email
/// address, nor `domain:` followed by a domain name; or one holding spaces or quotes.
pub fn principal(name: &str) -> Result<String, String> {
    let Some((kind, rest)) = name.split_once(':') else {
        return Err(format!(
            "`{}` is not an IAM principal; write `user:`, `group:`, `serviceAccount:` or `domain:` and the address",
            name.escape_debug()
        ));
    };
    if !PRINCIPAL_KINDS.contains(&kind) {
        return Err(format!(
            "`{kind}:` is not a kind of IAM principal BigQuery grants to; use `user:`, `group:`, `serviceAccount:` or `domain:`"
        ));
    }
    let clean = !rest.is_empty()
        && rest
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '-' | '_' | '+'));
    let at = rest.matches('@').count();
    let shaped = if kind == "domain" {
        at == 0 && rest.contains('.')
    } else {
        at == 1 && !rest.starts_with('@') && rest.split('@').nth(1).is_some_and(|d| d.contains('.'))
    };
    if !clean || !shaped {
        return Err(format!(
            "`{}` is not a valid `{kind}:` principal: {}",
            name.escape_debug(),
            if kind == "domain" {
                "write a domain name, such as `domain:example.com`"
            } else {
                "write one email address, such as `group:analysts@example.com`"
            }
        ));
    }
    escaped(name, '"')
}

/// A predefined IAM role, quoted for `GRANT`/`REVOKE`: `` `roles/bigquery.dataViewer` ``.
pub fn iam_role(role: &str) -> Result<String, String> {
    ident(role)
}

/// The kind of resource of a DCL statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum On {
    /// A dataset.
    Schema,
    Table,
    View,
}

impl On {
    fn word(self) -> &'static str {
        match self {
            On::Schema => "SCHEMA",
            On::Table => "TABLE",
            On::View => "VIEW",
        }
    }
}

/// `GRANT `role` ON <kind> <resource> TO "principal";` (`resource` already quoted).
pub fn grant(role: &str, on: On, resource: &str, who: &str) -> Result<String, String> {
    Ok(format!(
        "GRANT {} ON {} {resource} TO {};",
        iam_role(role)?,
        on.word(),
        principal(who)?
    ))
}

/// `REVOKE `role` ON <kind> <resource> FROM "principal";`.
pub fn revoke(role: &str, on: On, resource: &str, who: &str) -> Result<String, String> {
    Ok(format!(
        "REVOKE {} ON {} {resource} FROM {};",
        iam_role(role)?,
        on.word(),
        principal(who)?
    ))
}

pub use super::comment;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_escape_backticks_and_backslashes() {
        assert_eq!(ident("客户").unwrap(), "`客户`");
        assert_eq!(ident("a`b").unwrap(), "`a\\`b`");
        assert_eq!(ident("a\\b").unwrap(), "`a\\\\b`");
        assert_eq!(ident("select").unwrap(), "`select`");
        assert!(ident("").is_err());
        assert!(ident("a\0").is_err());
    }

    #[test]
    fn dataset_names_hold_only_letters_digits_and_underscores() {
        assert_eq!(dataset("sales_2024").unwrap(), "`sales_2024`");
        assert!(
            dataset("sales-eu")
                .unwrap_err()
                .contains("`-` is not allowed")
        );
        assert!(dataset("销售").is_err());
        assert!(dataset("").is_err());
    }

    #[test]
    fn names_are_qualified_with_the_project() {
        assert_eq!(
            qualified(Some("my-project"), "ds", "t`x").unwrap(),
            "`my-project`.`ds`.`t\\`x`"
        );
        assert_eq!(
            qualified(Some("example.com:proj"), "ds", "t").unwrap(),
            "`example.com:proj`.`ds`.`t`"
        );
        assert!(qualified(Some("My Project"), "ds", "t").is_err());
        assert_eq!(qualified(None, "ds", "t").unwrap(), "`ds`.`t`");
    }

    #[test]
    fn literals_escape_with_backslashes() {
        assert_eq!(literal("O'Brien").unwrap(), "'O\\'Brien'");
        assert_eq!(literal("a\\b").unwrap(), "'a\\\\b'");
        assert_eq!(literal("a\nb").unwrap(), "'a\\nb'");
    }

    #[test]
    fn principals_are_checked_and_quoted() {
        assert_eq!(
            principal("group:analysts@example.com").unwrap(),
            "\"group:analysts@example.com\""
        );
        assert!(principal("serviceAccount:etl@p.iam.gserviceaccount.com").is_ok());
        assert!(principal("domain:example.com").is_ok());
        assert!(principal("analysts").is_err());
        assert!(principal("role:x@y.com").is_err());
        assert!(principal("user:a\"b@x.com").is_err());
        assert!(principal("user:nobody").is_err());
        assert!(principal("domain:a@b.com").is_err());
    }

    #[test]
    fn dcl_statements_quote_role_resource_and_principal() {
        assert_eq!(
            grant(
                "roles/bigquery.dataViewer",
                On::View,
                "`p`.`d`.`v`",
                "user:a@b.com"
            )
            .unwrap(),
            "GRANT `roles/bigquery.dataViewer` ON VIEW `p`.`d`.`v` TO \"user:a@b.com\";"
        );
        assert!(
            revoke(
                "roles/bigquery.dataViewer",
                On::Schema,
                "`p`.`d`",
                "group:g@b.com"
            )
            .unwrap()
            .starts_with("REVOKE `roles/bigquery.dataViewer` ON SCHEMA")
        );
    }
}
