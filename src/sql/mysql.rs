//! MySQL 8 and MariaDB 10.11: identifier quoting, literal escaping, accounts and privilege
//! statements.
//!
//! Whatever the server's `sql_mode`, everything built here means the same thing:
//! - identifiers are always backquoted ([`ident`]); `ANSI_QUOTES` only changes what `"`
//!   means, never `` ` ``, and a backslash is an ordinary character inside backquotes;
//! - a string literal without a backslash is single-quoted with `'` doubled, which reads
//!   the same with and without `NO_BACKSLASH_ESCAPES`; a value that holds a backslash is
//!   written as a hexadecimal literal with a character-set introducer,
//!   `_utf8mb4 X'…'` ([`literal`]). Doubling the backslash instead would be read as two
//!   backslashes by a server in `NO_BACKSLASH_ESCAPES` mode, and leaving it single would
//!   be read as an escape by every other server. The introduced hex literal is still a
//!   literal (coercibility 4, like `'…'`), so it compares with any column's collation,
//!   where `CONVERT(X'…' USING utf8mb4)` would be an implicit-collation expression and
//!   could clash with a column's collation.
//! - role names are written as backquoted identifiers too ([`account`]), not as `'…'`
//!   strings, for the same reason.

/// The longest identifier (database, table, column, routine, event, trigger) MySQL and
/// MariaDB accept, in characters.
pub const MAX_IDENT_CHARS: usize = 64;

/// The longest role name accepted: MySQL 8 allows 32 characters in a user or role name
/// (MariaDB 10.11 allows 128); lawful keeps to the smaller so one manifest works on both.
pub const MAX_ROLE_CHARS: usize = 32;

/// Quote an identifier: always backquoted, embedded `` ` `` doubled. Always quoting keeps
/// mixed case, reserved words (`` `order` ``), `;`, quotes and any Unicode name (`` `客户` ``)
/// exactly as written.
///
/// Errors: an empty name, a NUL character, a name longer than [`MAX_IDENT_CHARS`]
/// characters, a name ending in a space (MySQL refuses all of these), and a character
/// outside the Basic Multilingual Plane (MySQL identifiers are utf8mb3).
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
    let n = name.chars().count();
    if n > MAX_IDENT_CHARS {
        return Err(format!(
            "`{}` is {n} characters long; MySQL identifiers are at most {MAX_IDENT_CHARS}",
            name.escape_debug()
        ));
    }
    if name.ends_with(' ') {
        return Err(format!(
            "`{}` ends with a space, which MySQL does not allow in a name",
            name.escape_debug()
        ));
    }
    if name.chars().any(|c| c as u32 > 0xFFFF) {
        return Err(format!(
            "`{}` holds a character outside the Basic Multilingual Plane (an emoji?), \
             which MySQL identifiers cannot hold",
            name.escape_debug()
        ));
    }
    Ok(format!("`{}`", name.replace('`', "``")))
}

/// Quote a string literal so that it means the same under every `sql_mode` (see the
/// module documentation): `'O''Brien'`, or `_utf8mb4 X'615C62'` for `a\b`.
///
/// Errors: a NUL character.
pub fn literal(value: &str) -> Result<String, String> {
    if value.contains('\0') {
        return Err(format!(
            "`{}` contains a NUL character",
            value.escape_debug()
        ));
    }
    if value.contains('\\') {
        let hex: String = value.bytes().map(|b| format!("{b:02X}")).collect();
        return Ok(format!("_utf8mb4 X'{hex}'"));
    }
    Ok(format!("'{}'", value.replace('\'', "''")))
}

/// `` `database`.`table` `` (also for routines, events, views and triggers).
pub fn qualified(db: &str, table: &str) -> Result<String, String> {
    Ok(format!("{}.{}", ident(db)?, ident(table)?))
}

/// A role, as `CREATE ROLE`, `GRANT` and `REVOKE` name it: a backquoted name without a
/// host part. MariaDB roles have no host; MySQL 8 reads `` `name` `` as `'name'@'%'`,
/// the host a role gets by default.
///
/// Errors: those of [`ident`], a name longer than [`MAX_ROLE_CHARS`], and the names MySQL
/// or MariaDB reserve or already use ([`reserved_role`]).
pub fn account(role: &str) -> Result<String, String> {
    let n = role.chars().count();
    if n > MAX_ROLE_CHARS {
        return Err(format!(
            "`{}` is {n} characters long; MySQL role names are at most {MAX_ROLE_CHARS}",
            role.escape_debug()
        ));
    }
    if let Some(why) = reserved_role(role) {
        return Err(why);
    }
    ident(role)
}

/// Why `role` cannot be a role lawful manages, or `None`: `NONE` and `PUBLIC` are
/// refused by `CREATE ROLE`, `CURRENT_USER` and `CURRENT_ROLE` mean the session, and the
/// built-in accounts (`root`, `mysql`, `mariadb.sys`, `mysql.sys`, `mysql.session`,
/// `mysql.infoschema`) would lose their privileges to the convergent `REVOKE ALL`.
pub fn reserved_role(role: &str) -> Option<String> {
    let lower = role.to_lowercase();
    const RESERVED: &[&str] = &[
        "none",
        "public",
        "current_user",
        "current_role",
        "root",
        "mysql",
        "mariadb.sys",
        "mysql.sys",
        "mysql.session",
        "mysql.infoschema",
    ];
    RESERVED
        .contains(&lower.as_str())
        .then(|| format!("`{role}` is a name MySQL or MariaDB reserves for itself"))
}

/// `CREATE ROLE IF NOT EXISTS `role`;`
pub fn create_role(role: &str) -> Result<String, String> {
    Ok(format!("CREATE ROLE IF NOT EXISTS {};", account(role)?))
}

/// `REVOKE ALL PRIVILEGES, GRANT OPTION FROM `role`;`: every privilege the role holds, at
/// every level (global, database, table, column, routine), on MySQL and MariaDB alike.
/// Roles granted to the role stay.
pub fn revoke_all(role: &str) -> Result<String, String> {
    Ok(format!(
        "REVOKE ALL PRIVILEGES, GRANT OPTION FROM {};",
        account(role)?
    ))
}

/// The statements that take from `role` every privilege it holds on one object of
/// database `db` (`object` `None`: on the database itself, `` `db`.* ``), grant option
/// included, and nothing elsewhere:
///
/// ```sql
/// GRANT REFERENCES ON `db`.`t` TO `r` WITH GRANT OPTION;
/// REVOKE ALL PRIVILEGES ON `db`.`t` FROM `r`;
/// REVOKE GRANT OPTION ON `db`.`t` FROM `r`;
/// ```
///
/// MySQL refuses to revoke what a role does not hold ("there is no such grant"), and has
/// no `REVOKE … IF EXISTS` on MariaDB, so the first statement makes sure there is
/// something to revoke: `REFERENCES`, which reads no data. `REVOKE ALL` on a table also
/// removes its column privileges. Used where the server-wide [`revoke_all`] would reach
/// other databases' grants.
pub fn revoke_all_on(db: &str, object: Option<&str>, role: &str) -> Result<String, String> {
    let on = match object {
        Some(o) => qualified(db, o)?,
        None => format!("{}.*", ident(db)?),
    };
    let r = account(role)?;
    Ok(format!(
        "GRANT REFERENCES ON {on} TO {r} WITH GRANT OPTION;\nREVOKE ALL PRIVILEGES ON {on} FROM {r};\nREVOKE GRANT OPTION ON {on} FROM {r};"
    ))
}

/// A privilege as `GRANT` spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Priv {
    Select,
    Insert,
}

impl Priv {
    fn word(self) -> &'static str {
        match self {
            Priv::Select => "SELECT",
            Priv::Insert => "INSERT",
        }
    }
}

/// `GRANT SELECT (`a`, `b`) ON `db`.`table` TO `role`;` — column-level when `columns`
/// is non-empty, table-wide otherwise.
pub fn grant(
    privilege: Priv,
    columns: &[&str],
    db: &str,
    table: &str,
    role: &str,
) -> Result<String, String> {
    let cols = if columns.is_empty() {
        String::new()
    } else {
        let q: Result<Vec<String>, String> = columns.iter().map(|c| ident(c)).collect();
        format!(" ({})", q?.join(", "))
    };
    Ok(format!(
        "GRANT {}{cols} ON {} TO {};",
        privilege.word(),
        qualified(db, table)?,
        account(role)?
    ))
}

/// A character count for `LEFT`, `RIGHT` and `REPEAT`.
fn n(x: u32) -> String {
    x.to_string()
}

/// The expression that masks the text `value` (an SQL expression, usually a quoted
/// column), keeping its first `first` and last `last` characters and writing `*` for each
/// other one: `138****5678` for `13812345678` with 3 and 4. A value of at most
/// `first + last` characters is masked whole (`****` for `1234` with 0 and 4 would show
/// it all); `(0, 0)` always gives `****`, hiding the length too. NULL stays NULL.
pub fn mask_kept(value: &str, first: u32, last: u32) -> String {
    if first == 0 && last == 0 {
        return format!("CASE WHEN {value} IS NULL THEN NULL ELSE '****' END");
    }
    let keep = first + last;
    format!(
        "CASE WHEN {value} IS NULL THEN NULL WHEN CHAR_LENGTH({value}) <= {k} THEN REPEAT('*', CHAR_LENGTH({value})) ELSE CONCAT(LEFT({value}, {f}), REPEAT('*', CHAR_LENGTH({value}) - {k}), RIGHT({value}, {l})) END",
        k = n(keep),
        f = n(first),
        l = n(last)
    )
}

/// The expression that masks an email address `value`: the local part becomes `****`,
/// the domain stays (`****@example.com`). Text without `@` becomes `****`. NULL stays
/// NULL.
pub fn mask_email(value: &str) -> String {
    format!(
        "CASE WHEN {value} IS NULL THEN NULL WHEN LOCATE('@', {value}) = 0 THEN '****' ELSE CONCAT('****@', SUBSTRING_INDEX({value}, '@', -1)) END"
    )
}

pub use super::comment;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_keep_case_reserved_words_quotes_and_chinese() {
        assert_eq!(ident("firstName").unwrap(), "`firstName`");
        assert_eq!(ident("order").unwrap(), "`order`");
        assert_eq!(ident("we`ird").unwrap(), "`we``ird`");
        assert_eq!(ident("a\"b'c;d").unwrap(), "`a\"b'c;d`");
        assert_eq!(ident("客户").unwrap(), "`客户`");
        assert_eq!(ident("a\\b").unwrap(), "`a\\b`");
    }

    #[test]
    fn names_mysql_refuses_are_refused() {
        assert!(ident("").is_err());
        assert!(ident("a\0b").is_err());
        assert!(ident("trailing ").is_err());
        assert!(ident("😀").is_err());
        assert!(ident(&"x".repeat(64)).is_ok());
        assert!(ident(&"x".repeat(65)).is_err());
        // Characters, not bytes: 64 Chinese characters are fine.
        assert!(ident(&"客".repeat(64)).is_ok());
        assert!(ident(&"客".repeat(65)).is_err());
    }

    #[test]
    fn literals_mean_the_same_under_every_sql_mode() {
        assert_eq!(literal("O'Brien").unwrap(), "'O''Brien'");
        assert_eq!(literal("客户").unwrap(), "'客户'");
        // A backslash would be an escape unless NO_BACKSLASH_ESCAPES: hex instead.
        assert_eq!(literal("a\\b").unwrap(), "_utf8mb4 X'615C62'");
        assert_eq!(literal("'\\").unwrap(), "_utf8mb4 X'275C'");
        assert!(literal("a\0").is_err());
    }

    #[test]
    fn roles_are_backquoted_and_reserved_names_refused() {
        assert_eq!(account("sakila_finance").unwrap(), "`sakila_finance`");
        assert_eq!(account("Reporting Team").unwrap(), "`Reporting Team`");
        assert!(account("PUBLIC").is_err());
        assert!(account("root").is_err());
        assert!(account(&"r".repeat(33)).is_err());
        assert_eq!(
            create_role("a`b").unwrap(),
            "CREATE ROLE IF NOT EXISTS `a``b`;"
        );
        assert_eq!(
            revoke_all("x").unwrap(),
            "REVOKE ALL PRIVILEGES, GRANT OPTION FROM `x`;"
        );
    }

    #[test]
    fn scoped_revokes_reach_one_object() {
        assert_eq!(
            revoke_all_on("d", Some("t"), "r").unwrap(),
            "GRANT REFERENCES ON `d`.`t` TO `r` WITH GRANT OPTION;\n\
             REVOKE ALL PRIVILEGES ON `d`.`t` FROM `r`;\n\
             REVOKE GRANT OPTION ON `d`.`t` FROM `r`;"
        );
        assert!(
            revoke_all_on("d", None, "r")
                .unwrap()
                .contains("ON `d`.* FROM")
        );
    }

    #[test]
    fn grants_are_column_level_or_table_wide() {
        assert_eq!(
            grant(Priv::Select, &["a", "b c"], "sakila", "customer", "r").unwrap(),
            "GRANT SELECT (`a`, `b c`) ON `sakila`.`customer` TO `r`;"
        );
        assert_eq!(
            grant(Priv::Insert, &[], "db", "log", "w").unwrap(),
            "GRANT INSERT ON `db`.`log` TO `w`;"
        );
        assert_eq!(qualified("d", "t`").unwrap(), "`d`.`t```");
    }

    #[test]
    fn masks_keep_what_they_say() {
        let p = mask_kept("`phone`", 3, 4);
        assert!(p.contains("LEFT(`phone`, 3)"), "{p}");
        assert!(p.contains("RIGHT(`phone`, 4)"), "{p}");
        assert!(p.contains("<= 7 THEN REPEAT('*'"), "{p}");
        assert!(mask_kept("`x`", 0, 0).contains("'****'"));
        assert!(mask_email("`e`").contains("SUBSTRING_INDEX(`e`, '@', -1)"));
    }

    #[test]
    fn comments_cannot_break_out_of_their_line() {
        assert_eq!(comment("a\nDROP TABLE x;"), "-- a DROP TABLE x;");
    }
}
