//! MySQL 8 and MariaDB: read the live privileges of the managed roles from the grant
//! tables, and print the statements of a [`super::DriftPlan`].
//!
//! The generated `grants.sql` revokes every privilege of a managed role, at every level
//! (`REVOKE ALL PRIVILEGES, GRANT OPTION`), so every level is read here:
//! - server-wide privileges (`mysql.user`): any of them is drift, planned as
//!   `REVOKE ALL PRIVILEGES ON *.*` (plus `GRANT OPTION`);
//! - database-wide privileges (`mysql.db`), table privileges (`mysql.tables_priv`) and
//!   column privileges (`mysql.columns_priv`), in every database except those of the
//!   project's other MySQL databases, whose own `grants.sql` declares them.
//!
//! `information_schema.TABLE_PRIVILEGES` and `COLUMN_PRIVILEGES` list only the current
//! user's own privileges unless it may read the grant tables, so the grant tables are read
//! directly: connect as the user that applies `grants.sql`. A role is an account without a
//! host (MariaDB) or with host `%` (MySQL 8, `CREATE ROLE` without a host); accounts of
//! the managed names on other hosts are users, not roles, and are not compared.
//!
//! Not compared: routine privileges (`mysql.procs_priv`), proxy privileges, and the roles
//! granted to a managed role (the generated script keeps those too).
//!
//! MariaDB takes the column privileges of a kind away with the table-wide privilege of
//! that kind (`REVOKE SELECT ON t` also ends `SELECT (c) ON t`), as PostgreSQL does, so the
//! declared column privileges are granted again after such a revoke (see
//! [`super::compare`]); on a server that keeps them, the grant changes nothing.
//!
//! The connection is made without TLS; TLS support is left for later.

use std::time::Duration;

use mysql::prelude::Queryable;
use mysql::{Conn, Opts, OptsBuilder, Row};

use super::{Desired, Grant, Live, Step, Target};
use crate::sql::mysql::{account, ident, qualified};

/// Where a URL points, for messages (never the password).
#[derive(Clone, Debug)]
pub struct Server {
    pub opts: Opts,
    /// `host:port`, or the socket.
    pub host: String,
    /// The database the URL names.
    pub database: Option<String>,
}

/// Parse a connection URL (`mysql://user[:password]@host[:port]/database`). A password
/// missing from it is taken from `MYSQL_PWD`. Unless the URL says `prefer_socket=true`,
/// the connection stays on TCP to the host named (the client library would otherwise switch
/// to the server's Unix socket on localhost, which changes the account MySQL matches).
pub fn server(url: &str) -> Result<Server, String> {
    const SHAPE: &str = "write mysql://user[:password]@host[:port]/database";
    if url.trim().is_empty() {
        return Err(format!(
            "the --mysql value is empty, which is not a MySQL connection URL; {SHAPE}"
        ));
    }
    let opts = Opts::from_url(url).map_err(|e| {
        let pass = url_password(url);
        let why = match &e {
            mysql::UrlError::ParseError(p) => p.to_string(),
            other => other.to_string(),
        };
        format!(
            "the --mysql value is not a MySQL connection URL ({}); {SHAPE}",
            super::redact(&why, pass.as_deref())
        )
    })?;
    if let Some(path) = url_path(url)
        && path.trim_end_matches('/').contains('/')
    {
        return Err(format!(
            "the --mysql URL's path has more than one segment, so it does not name one database; {SHAPE}"
        ));
    }
    let t = super::Timeouts::from_env();
    let mut b = OptsBuilder::from_opts(opts.clone())
        // [`read`] bounds the whole conversation by the timeouts; the client's own limits
        // back it up.
        .tcp_connect_timeout(Some(t.connect + Duration::from_secs(5)))
        .read_timeout(Some(t.read))
        .write_timeout(Some(t.read));
    if opts.get_pass().is_none()
        && let Ok(p) = std::env::var("MYSQL_PWD")
    {
        b = b.pass(Some(p));
    }
    if !url.contains("prefer_socket=") {
        b = b.prefer_socket(false);
    }
    let opts = Opts::from(b);
    let host = match opts.get_socket() {
        Some(s) => s.to_string(),
        None => format!("{}:{}", opts.get_ip_or_hostname(), opts.get_tcp_port()),
    };
    let database = opts.get_db_name().map(str::to_string);
    Ok(Server {
        opts,
        host,
        database,
    })
}

/// The path of a URL after the host, without query and fragment (`shop` of
/// `mysql://u@h/shop?x=1`); `None` without one.
fn url_path(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    let rest = rest.split(['?', '#']).next()?;
    rest.split_once('/').map(|(_, p)| p)
}

/// The password part of a URL, to redact it from a parse error.
fn url_password(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let auth = rest.split('/').next()?.rsplit_once('@')?.0;
    auth.split_once(':').map(|(_, p)| p.to_string())
}

/// Read the live state of `d`'s managed roles, within the [`super::Timeouts`] of the
/// environment.
///
/// Errors: the connection or a query failed, or the server did not answer in time (the
/// message names the server, never the password).
pub fn read(s: &Server, d: &Desired) -> Result<Live, String> {
    let (s2, d2) = (s.clone(), d.clone());
    super::read_bounded("MySQL", &s.host, s.database.as_deref(), move |connected| {
        read_now(&s2, &d2, connected)
    })
}

/// A client error in words: the server's message and code, or the driver's sentence,
/// without the library's type names.
fn words(e: &mysql::Error) -> String {
    use std::io::ErrorKind;
    match e {
        mysql::Error::MySqlError(m) => {
            format!("{} (error {}, SQLSTATE {})", m.message, m.code, m.state)
        }
        mysql::Error::IoError(io)
            if matches!(io.kind(), ErrorKind::TimedOut | ErrorKind::WouldBlock) =>
        {
            "timed out waiting for the server".into()
        }
        mysql::Error::IoError(io) => io.to_string(),
        mysql::Error::DriverError(d) => d.to_string(),
        mysql::Error::UrlError(mysql::UrlError::ParseError(p)) => p.to_string(),
        mysql::Error::UrlError(u) => u.to_string(),
        mysql::Error::CodecError(c) => match std::error::Error::source(c) {
            Some(io) => io.to_string(),
            None => "the server's answer could not be decoded".into(),
        },
        mysql::Error::FromRowError(_) | mysql::Error::FromValueError(_) => {
            "the server's answer has an unexpected shape".into()
        }
    }
}

fn read_now(s: &Server, d: &Desired, connected: &dyn Fn()) -> Result<Live, String> {
    let password = s.opts.get_pass().map(str::to_string);
    let fail = |what: &str, e: mysql::Error| {
        format!(
            "MySQL at {}{}: {what}: {}",
            s.host,
            super::in_database(s.database.as_deref()),
            super::redact(&words(&e), password.as_deref())
        )
    };
    let mut conn = Conn::new(s.opts.clone()).map_err(|e| fail("cannot connect", e))?;
    connected();
    let is_role = |user: &str, host: &str| {
        (host.is_empty() || host == "%") && d.roles.iter().any(|r| r == user)
    };
    let mine = |db: &str| !d.others.contains(db);
    let mut live = Live::default();

    let rows: Vec<Row> = conn
        .query("SELECT User, Host FROM mysql.user")
        .map_err(|e| fail("cannot read the roles (mysql.user)", e))?;
    for r in &rows {
        let (user, host) = (text(r, 0), text(r, 1));
        if is_role(&user, &host) {
            live.roles.insert(user);
        }
    }
    let rows: Vec<Row> = conn
        .query("SELECT SCHEMA_NAME FROM information_schema.SCHEMATA")
        .map_err(|e| fail("cannot read the databases", e))?;
    for r in &rows {
        let db = text(r, 0);
        if d.schemas.contains(&db) {
            live.schemas.insert(db);
        }
    }
    let rows: Vec<Row> = conn
        .query("SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS")
        .map_err(|e| fail("cannot read the tables", e))?;
    for r in &rows {
        let db = text(r, 0);
        if d.schemas.contains(&db) {
            live.objects
                .entry((db, text(r, 1)))
                .or_default()
                .insert(text(r, 2));
        }
    }

    // Server-wide and database-wide privileges: one `Y`/`N` column per privilege.
    for (table, level) in [("user", None), ("db", Some("Db"))] {
        let cols: Vec<Row> = conn
            .query(format!(
                "SELECT COLUMN_NAME FROM information_schema.COLUMNS \
                 WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME = '{table}' \
                 AND COLUMN_NAME LIKE '%\\_priv' ORDER BY ORDINAL_POSITION"
            ))
            .map_err(|e| fail(&format!("cannot read the columns of mysql.{table}"), e))?;
        let cols: Vec<String> = cols.iter().map(|r| text(r, 0)).collect();
        if cols.is_empty() {
            continue;
        }
        let mut select = vec!["User".to_string(), "Host".to_string()];
        select.extend(level.map(str::to_string));
        for c in &cols {
            select.push(ident(c).map_err(|e| format!("mysql.{table}: {e}"))?);
        }
        let rows: Vec<Row> = conn
            .query(format!("SELECT {} FROM mysql.{table}", select.join(", ")))
            .map_err(|e| fail(&format!("cannot read mysql.{table}"), e))?;
        let first = if level.is_some() { 3 } else { 2 };
        for r in &rows {
            let (user, host) = (text(r, 0), text(r, 1));
            if !is_role(&user, &host) {
                continue;
            }
            let schema = if level.is_some() {
                text(r, 2)
            } else {
                String::new()
            };
            if !schema.is_empty() && !mine(&schema) {
                continue;
            }
            let mut any = false;
            for (i, c) in cols.iter().enumerate() {
                if !text(r, first + i).eq_ignore_ascii_case("y") {
                    continue;
                }
                let p = if c == "Grant_priv" {
                    "GRANT OPTION".to_string()
                } else if schema.is_empty() {
                    // Server-wide privileges are many and named differently across versions:
                    // all are revoked at once.
                    any = true;
                    continue;
                } else {
                    column_privilege(c)
                };
                live.grants.insert(Grant {
                    role: user.clone(),
                    schema: schema.clone(),
                    object: None,
                    column: None,
                    privilege: p,
                });
            }
            if any {
                live.grants.insert(Grant {
                    role: user.clone(),
                    schema: String::new(),
                    object: None,
                    column: None,
                    privilege: "ALL PRIVILEGES".into(),
                });
            }
        }
    }

    let rows: Vec<Row> = conn
        .query("SELECT User, Host, Db, Table_name, Table_priv FROM mysql.tables_priv")
        .map_err(|e| fail("cannot read the table privileges (mysql.tables_priv)", e))?;
    for r in &rows {
        let (user, host, db) = (text(r, 0), text(r, 1), text(r, 2));
        if !is_role(&user, &host) || !mine(&db) {
            continue;
        }
        for p in text(r, 4).split(',').filter(|p| !p.is_empty()) {
            live.grants.insert(Grant {
                role: user.clone(),
                schema: db.clone(),
                object: Some(text(r, 3)),
                column: None,
                privilege: set_privilege(p),
            });
        }
    }
    let rows: Vec<Row> = conn
        .query(
            "SELECT User, Host, Db, Table_name, Column_name, Column_priv FROM mysql.columns_priv",
        )
        .map_err(|e| fail("cannot read the column privileges (mysql.columns_priv)", e))?;
    for r in &rows {
        let (user, host, db) = (text(r, 0), text(r, 1), text(r, 2));
        if !is_role(&user, &host) || !mine(&db) {
            continue;
        }
        for p in text(r, 5).split(',').filter(|p| !p.is_empty()) {
            live.grants.insert(Grant {
                role: user.clone(),
                schema: db.clone(),
                object: Some(text(r, 3)),
                column: Some(text(r, 4)),
                privilege: set_privilege(p),
            });
        }
    }
    Ok(live)
}

/// A text value of a row (NULL and non-text as empty).
fn text(r: &Row, i: usize) -> String {
    match r.get_opt::<Option<String>, usize>(i) {
        Some(Ok(Some(s))) => s,
        _ => String::new(),
    }
}

/// `Create_tmp_table_priv` → `CREATE TEMPORARY TABLES`, `Show_view_priv` → `SHOW VIEW`.
fn column_privilege(c: &str) -> String {
    let base = c.strip_suffix("_priv").unwrap_or(c);
    match base {
        "Grant" => "GRANT OPTION".into(),
        "Create_tmp_table" => "CREATE TEMPORARY TABLES".into(),
        "Delete_history" => "DELETE HISTORY".into(),
        _ => base.replace('_', " ").to_uppercase(),
    }
}

/// A member of `tables_priv.Table_priv` or `columns_priv.Column_priv` (`Select`,
/// `Show view`, `Grant`, MariaDB's `Delete versioning rows`) as `GRANT` spells it.
fn set_privilege(p: &str) -> String {
    match p.trim() {
        "Grant" => "GRANT OPTION".into(),
        "Delete versioning rows" => "DELETE HISTORY".into(),
        other => other.to_uppercase(),
    }
}

/// The statement of one step for `role`, quoted through [`crate::sql::mysql`].
///
/// Errors: a name MySQL cannot hold (the declaration would not build either), or a
/// privilege name that is not a plain keyword.
pub fn statement(role: Option<&str>, step: &Step) -> Result<String, String> {
    let Some(role) = role else {
        return Err("MySQL has no PUBLIC".into());
    };
    let r = account(role)?;
    let on = |t: &Target| -> Result<(String, String), String> {
        Ok(match t {
            Target::Global => (String::new(), "*.*".into()),
            Target::Schema(s) => (String::new(), format!("{}.*", ident(s)?)),
            Target::Table { schema, object } => (String::new(), qualified(schema, object)?),
            Target::Columns {
                schema,
                object,
                columns,
            } => {
                let cols = columns
                    .iter()
                    .map(|c| ident(c))
                    .collect::<Result<Vec<_>, _>>()?;
                (
                    format!(" ({})", cols.join(", ")),
                    qualified(schema, object)?,
                )
            }
        })
    };
    let list = |ps: &[String]| -> Result<String, String> {
        for p in ps {
            if p.is_empty() || !p.chars().all(|c| c.is_ascii_uppercase() || c == ' ') {
                return Err(format!("unexpected privilege `{}`", p.escape_debug()));
            }
        }
        Ok(ps.join(", "))
    };
    Ok(match step {
        Step::CreateRole => crate::sql::mysql::create_role(role)?,
        Step::Revoke {
            target,
            privileges,
            grant_option,
        } => {
            let (cols, on) = on(target)?;
            let mut ps = privileges.clone();
            if *grant_option {
                ps = vec!["GRANT OPTION".into()];
            }
            format!("REVOKE {}{cols} ON {on} FROM {r};", list(&ps)?)
        }
        Step::Grant { target, privileges } => {
            let (cols, on) = on(target)?;
            format!("GRANT {}{cols} ON {on} TO {r};", list(privileges)?)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn privilege_names_read_from_the_grant_tables() {
        assert_eq!(column_privilege("Select_priv"), "SELECT");
        assert_eq!(column_privilege("Show_view_priv"), "SHOW VIEW");
        assert_eq!(
            column_privilege("Create_tmp_table_priv"),
            "CREATE TEMPORARY TABLES"
        );
        assert_eq!(column_privilege("Grant_priv"), "GRANT OPTION");
        assert_eq!(set_privilege("Show view"), "SHOW VIEW");
        assert_eq!(set_privilege("Grant"), "GRANT OPTION");
    }

    #[test]
    fn statements_quote_every_name() {
        let s = statement(
            Some("shop`reader"),
            &Step::Revoke {
                target: Target::Columns {
                    schema: "shop".into(),
                    object: "order".into(),
                    columns: vec!["客户".into()],
                },
                privileges: vec!["SELECT".into()],
                grant_option: false,
            },
        )
        .unwrap();
        assert_eq!(
            s,
            "REVOKE SELECT (`客户`) ON `shop`.`order` FROM `shop``reader`;"
        );
        let s = statement(
            Some("r"),
            &Step::Revoke {
                target: Target::Global,
                privileges: vec!["ALL PRIVILEGES".into()],
                grant_option: false,
            },
        )
        .unwrap();
        assert_eq!(s, "REVOKE ALL PRIVILEGES ON *.* FROM `r`;");
    }

    #[test]
    fn urls_give_host_and_database_but_never_the_password() {
        let s = server("mysql://bob:s3cret@db.example:3307/shop").unwrap();
        assert_eq!(s.host, "db.example:3307");
        assert_eq!(s.database.as_deref(), Some("shop"));
        let e = server("mysql://bob:s3cret@db.example:3307/shop?nonsense=1").unwrap_err();
        assert!(!e.contains("s3cret"), "{e}");
        let e = server("mysql://bob:s3cret@db.example:3307/shop/extra").unwrap_err();
        assert!(e.contains("does not name one database"), "{e}");
        assert_eq!(url_path("mysql://u@h/shop/x?a=/b#c"), Some("shop/x"));
        assert!(server("mysql://bob@db.example/shop/").is_ok());
        let e = server("").unwrap_err();
        assert!(e.starts_with("the --mysql value is empty"), "{e}");
        let e = server("mysql://u:p@[::1").unwrap_err();
        assert_eq!(
            e,
            "the --mysql value is not a MySQL connection URL (invalid IPv6 address); write mysql://user[:password]@host[:port]/database"
        );
    }
}
