//! PostgreSQL: read the live privileges of the managed roles from `pg_catalog`, and print
//! the statements of a [`super::DriftPlan`].
//!
//! `information_schema.role_table_grants` and `column_privileges` show only what the
//! current user may see, so the catalog is read instead: `aclexplode(pg_class.relacl)` for
//! privileges on tables, views, materialized views, foreign and partitioned tables (every
//! kind `GRANT … ON ALL TABLES IN SCHEMA` reaches), `aclexplode(pg_attribute.attacl)` for
//! column privileges, `aclexplode(pg_namespace.nspacl)` for `USAGE` on schemas. Only direct
//! grants to the managed roles count; what they get through `PUBLIC` or membership of
//! another role is not compared, except that `PUBLIC`'s privileges on relations of the
//! managed schemas (and of the consent logs' schemas) are read, so that those on masking
//! views and consent logs are revoked ([`super::compare`]). Masking views lawful made are recognised by their comment
//! ([`VIEW_MARKER`]). Everything is read in one read-only, repeatable-read
//! transaction, so the picture is consistent.
//!
//! The connection is made without TLS (`sslmode=require` in the URL fails); TLS support is
//! left for later.

use std::collections::BTreeSet;

use std::time::Duration;

use postgres::config::Host;
use postgres::{Config, NoTls};

use super::{Desired, Grant, Live, Step, Target};
use crate::emit::grants::postgres::VIEW_MARKER;
use crate::sql::postgres::{ident, qualified};

/// Where a URL points, for messages: `host:port/database` (never the password).
#[derive(Clone, Debug)]
pub struct Server {
    pub config: Config,
    /// `127.0.0.1:5432`, or the socket folder.
    pub host: String,
    /// The database the URL names (default: the user name, as libpq does).
    pub database: Option<String>,
}

/// Parse a connection URL (`postgresql://user[:password]@host[:port]/database`) or a
/// key-value string (`host=… dbname=…`). A password missing from it is taken from
/// `PGPASSWORD`. Errors name what is wrong, never the password.
pub fn server(url: &str) -> Result<Server, String> {
    if url.trim().is_empty() {
        return Err("the --postgres value is empty, which is not a PostgreSQL connection URL; write postgresql://user[:password]@host[:port]/database".into());
    }
    let mut config: Config = url.parse().map_err(|e: postgres::Error| {
        format!(
            "the --postgres value is not a PostgreSQL connection URL ({}); write postgresql://user[:password]@host[:port]/database",
            redact_url_error(&super::error_chain(&e), url)
        )
    })?;
    if config.get_password().is_none()
        && let Ok(p) = std::env::var("PGPASSWORD")
    {
        config.password(p);
    }
    // [`read`] bounds the whole conversation by the [`super::Timeouts`]; the client's own
    // limits back it up.
    let t = super::Timeouts::from_env();
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(t.connect + Duration::from_secs(5));
    }
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(t.read);
    }
    let ports = config.get_ports();
    let host = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let port = ports.get(i).or(ports.first()).copied().unwrap_or(5432);
            match h {
                Host::Tcp(name) => format!("{name}:{port}"),
                Host::Unix(path) => format!("{}:{port}", path.display()),
            }
        })
        .collect::<Vec<_>>()
        .join(",");
    let host = if host.is_empty() {
        "localhost".to_string()
    } else {
        host
    };
    let database = config
        .get_dbname()
        .or(config.get_user())
        .map(str::to_string);
    Ok(Server {
        config,
        host,
        database,
    })
}

/// A parse error may quote the URL; keep only the part before it.
fn redact_url_error(msg: &str, url: &str) -> String {
    if !url.is_empty() && msg.contains(url) {
        msg.replace(url, "<URL>")
    } else {
        msg.to_string()
    }
}

/// Read the live state of `d`'s managed roles and schemas, within the
/// [`super::Timeouts`] of the environment.
///
/// Errors: the connection or a query failed, or the server did not answer in time (the
/// message names the server, never the password).
pub fn read(s: &Server, d: &Desired) -> Result<Live, String> {
    let (s2, d2) = (s.clone(), d.clone());
    super::read_bounded(
        "PostgreSQL",
        &s.host,
        s.database.as_deref(),
        move |connected| read_now(&s2, &d2, connected),
    )
}

fn read_now(s: &Server, d: &Desired, connected: &dyn Fn()) -> Result<Live, String> {
    let password = s
        .config
        .get_password()
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let fail = |what: &str, e: postgres::Error| {
        let msg = match e.as_db_error() {
            Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
            // "error connecting to server", then the cause ("Connection refused").
            None => super::error_chain(&e),
        };
        super::redact(
            &format!(
                "PostgreSQL at {}{}: {what}: {msg}",
                s.host,
                super::in_database(s.database.as_deref())
            ),
            password.as_deref(),
        )
    };
    let mut client = s
        .config
        .connect(NoTls)
        .map_err(|e| fail("cannot connect", e))?;
    connected();
    let mut tx = client
        .build_transaction()
        .read_only(true)
        .isolation_level(postgres::IsolationLevel::RepeatableRead)
        .start()
        .map_err(|e| fail("cannot start a read-only transaction", e))?;
    let roles: Vec<String> = d.roles.clone();
    let schemas: Vec<String> = d.schemas.iter().cloned().collect();
    let mut live = Live::default();

    for row in tx
        .query(
            "SELECT rolname::text FROM pg_catalog.pg_roles WHERE rolname::text = ANY($1)",
            &[&roles],
        )
        .map_err(|e| fail("cannot read the roles", e))?
    {
        live.roles.insert(row.get(0));
    }
    for row in tx
        .query(
            "SELECT nspname::text FROM pg_catalog.pg_namespace WHERE nspname::text = ANY($1)",
            &[&schemas],
        )
        .map_err(|e| fail("cannot read the schemas", e))?
    {
        live.schemas.insert(row.get(0));
    }
    for row in tx
        .query(
            "SELECT n.nspname::text, c.relname::text, a.attname::text
               FROM pg_catalog.pg_class c
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
               LEFT JOIN pg_catalog.pg_attribute a
                 ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
              WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname::text = ANY($1)",
            &[&schemas],
        )
        .map_err(|e| fail("cannot read the tables", e))?
    {
        let cols = live.objects.entry((row.get(0), row.get(1))).or_default();
        if let Some(c) = row.get::<_, Option<String>>(2) {
            cols.insert(c);
        }
    }
    for row in tx
        .query(
            "SELECT n.nspname::text, c.relname::text
               FROM pg_catalog.pg_class c
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              WHERE c.relkind = 'v' AND n.nspname::text = ANY($1)
                AND starts_with(coalesce(obj_description(c.oid, 'pg_class'), ''), $2)",
            &[&schemas, &VIEW_MARKER],
        )
        .map_err(|e| fail("cannot read the masking views", e))?
    {
        live.lawful_views.insert((row.get(0), row.get(1)));
    }
    let add = |live: &mut Live,
               role: String,
               schema: String,
               object: Option<String>,
               column: Option<String>,
               privilege: String,
               grantable: bool| {
        let g = Grant {
            role,
            schema,
            object,
            column,
            privilege,
        };
        if grantable {
            live.grantable.insert(g.clone());
        }
        live.grants.insert(g);
    };
    for row in tx
        .query(
            "SELECT r.rolname::text, n.nspname::text, a.privilege_type, a.is_grantable
               FROM pg_catalog.pg_namespace n
              CROSS JOIN LATERAL aclexplode(n.nspacl) a
               JOIN pg_catalog.pg_roles r ON r.oid = a.grantee
              WHERE n.nspname::text = ANY($1) AND r.rolname::text = ANY($2)
                AND a.privilege_type = 'USAGE'",
            &[&schemas, &roles],
        )
        .map_err(|e| fail("cannot read the schema privileges", e))?
    {
        add(
            &mut live,
            row.get(0),
            row.get(1),
            None,
            None,
            row.get(2),
            row.get(3),
        );
    }
    for row in tx
        .query(
            "SELECT r.rolname::text, n.nspname::text, c.relname::text, a.privilege_type,
                    a.is_grantable
               FROM pg_catalog.pg_class c
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              CROSS JOIN LATERAL aclexplode(c.relacl) a
               JOIN pg_catalog.pg_roles r ON r.oid = a.grantee
              WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
                AND n.nspname::text = ANY($1) AND r.rolname::text = ANY($2)",
            &[&schemas, &roles],
        )
        .map_err(|e| fail("cannot read the table privileges", e))?
    {
        add(
            &mut live,
            row.get(0),
            row.get(1),
            Some(row.get(2)),
            None,
            row.get(3),
            row.get(4),
        );
    }
    for row in tx
        .query(
            "SELECT r.rolname::text, n.nspname::text, c.relname::text, att.attname::text,
                    a.privilege_type, a.is_grantable
               FROM pg_catalog.pg_attribute att
               JOIN pg_catalog.pg_class c ON c.oid = att.attrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              CROSS JOIN LATERAL aclexplode(att.attacl) a
               JOIN pg_catalog.pg_roles r ON r.oid = a.grantee
              WHERE att.attnum > 0 AND NOT att.attisdropped
                AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                AND n.nspname::text = ANY($1) AND r.rolname::text = ANY($2)",
            &[&schemas, &roles],
        )
        .map_err(|e| fail("cannot read the column privileges", e))?
    {
        add(
            &mut live,
            row.get(0),
            row.get(1),
            Some(row.get(2)),
            Some(row.get(3)),
            row.get(4),
            row.get(5),
        );
    }
    // What PUBLIC (grantee 0) holds on any relation or column of the managed schemas and
    // of the schemas of the consent logs and masking views.
    let closed: Vec<String> = schemas
        .iter()
        .cloned()
        .chain(d.public_closed.iter().map(|(s, _)| s.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    for row in tx
        .query(
            "SELECT n.nspname::text, c.relname::text, NULL::text, a.privilege_type
               FROM pg_catalog.pg_class c
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              CROSS JOIN LATERAL aclexplode(c.relacl) a
              WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND a.grantee = 0
                AND n.nspname::text = ANY($1)
             UNION ALL
             SELECT n.nspname::text, c.relname::text, att.attname::text, a.privilege_type
               FROM pg_catalog.pg_attribute att
               JOIN pg_catalog.pg_class c ON c.oid = att.attrelid
               JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
              CROSS JOIN LATERAL aclexplode(att.attacl) a
              WHERE att.attnum > 0 AND NOT att.attisdropped AND a.grantee = 0
                AND c.relkind IN ('r', 'p', 'v', 'm', 'f')
                AND n.nspname::text = ANY($1)",
            &[&closed],
        )
        .map_err(|e| fail("cannot read the privileges of PUBLIC", e))?
    {
        live.public.insert(Grant {
            role: "PUBLIC".into(),
            schema: row.get(0),
            object: Some(row.get(1)),
            column: row.get(2),
            privilege: row.get(3),
        });
    }
    tx.commit()
        .map_err(|e| fail("cannot end the transaction", e))?;
    Ok(live)
}

/// The statement of one step for `role` (`None`: `PUBLIC`, every role), quoted through
/// [`crate::sql::postgres`].
///
/// Errors: a name PostgreSQL cannot hold (the declaration would not build either).
pub fn statement(role: Option<&str>, step: &Step) -> Result<String, String> {
    let r = match role {
        Some(role) => ident(role)?,
        None => "PUBLIC".to_string(),
    };
    let on = |t: &Target| -> Result<(String, String), String> {
        Ok(match t {
            Target::Global => return Err("PostgreSQL has no server-wide table privilege".into()),
            Target::Schema(s) => (String::new(), format!("SCHEMA {}", ident(s)?)),
            Target::Table { schema, object } => (
                String::new(),
                format!("TABLE {}", qualified(schema, object)?),
            ),
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
                    format!("TABLE {}", qualified(schema, object)?),
                )
            }
        })
    };
    Ok(match step {
        Step::CreateRole => format!("CREATE ROLE {r} NOLOGIN;"),
        Step::Revoke {
            target,
            privileges,
            grant_option,
        } => {
            let (cols, on) = on(target)?;
            let option = if *grant_option {
                "GRANT OPTION FOR "
            } else {
                ""
            };
            format!(
                "REVOKE {option}{}{cols} ON {on} FROM {r};",
                privilege_list(privileges)?
            )
        }
        Step::Grant { target, privileges } => {
            let (cols, on) = on(target)?;
            format!(
                "GRANT {}{cols} ON {on} TO {r};",
                privilege_list(privileges)?
            )
        }
    })
}

/// Privilege keywords come from the server's catalog; only known keywords are printed.
fn privilege_list(ps: &[String]) -> Result<String, String> {
    const KNOWN: &[&str] = &[
        "SELECT",
        "INSERT",
        "UPDATE",
        "DELETE",
        "TRUNCATE",
        "REFERENCES",
        "TRIGGER",
        "MAINTAIN",
        "USAGE",
        "CREATE",
    ];
    let set: BTreeSet<&str> = ps.iter().map(String::as_str).collect();
    for p in &set {
        if !KNOWN.contains(p) {
            return Err(format!("unknown privilege `{}`", p.escape_debug()));
        }
    }
    Ok(ps.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_quote_every_name() {
        let s = statement(
            Some("we\"ird"),
            &Step::Grant {
                target: Target::Columns {
                    schema: "public".into(),
                    object: "客户".into(),
                    columns: vec!["firstName".into(), "user".into()],
                },
                privileges: vec!["SELECT".into()],
            },
        )
        .unwrap();
        assert_eq!(
            s,
            "GRANT SELECT (\"firstName\", \"user\") ON TABLE \"public\".\"客户\" TO \"we\"\"ird\";"
        );
        let s = statement(
            Some("r"),
            &Step::Revoke {
                target: Target::Schema("s".into()),
                privileges: vec!["USAGE".into()],
                grant_option: true,
            },
        )
        .unwrap();
        assert_eq!(
            s,
            "REVOKE GRANT OPTION FOR USAGE ON SCHEMA \"s\" FROM \"r\";"
        );
        assert_eq!(
            statement(Some("r"), &Step::CreateRole).unwrap(),
            "CREATE ROLE \"r\" NOLOGIN;"
        );
    }

    #[test]
    fn urls_give_host_and_database_but_never_the_password() {
        let s = server("postgresql://bob:s3cret@db.example:6543/sakila").unwrap();
        assert_eq!(s.host, "db.example:6543");
        assert_eq!(s.database.as_deref(), Some("sakila"));
        let e = server("postgresql://bob:s3cret@db.example:notaport/sakila").unwrap_err();
        assert!(!e.contains("s3cret"), "{e}");
        let e = server("  ").unwrap_err();
        assert!(e.contains("is empty"), "{e}");
        let e = server("host=x bogus=1").unwrap_err();
        assert!(e.contains("unknown option `bogus`"), "{e}");
        let s = statement(
            None,
            &Step::Revoke {
                target: Target::Table {
                    schema: "public".into(),
                    object: "t_masked".into(),
                },
                privileges: vec!["SELECT".into()],
                grant_option: false,
            },
        )
        .unwrap();
        assert_eq!(
            s,
            "REVOKE SELECT ON TABLE \"public\".\"t_masked\" FROM PUBLIC;"
        );
    }
}
