//! Column-level grants for PostgreSQL: `sql/postgres[/<database>]/grants.sql`, one file per
//! database (see [`crate::emit`]).
//!
//! Roles → purposes → categories → columns. A role may read a column of a PostgreSQL
//! dataset when **every** personal data category of the column falls within
//! ([`crate::taxonomy::Taxonomy::is_within`]) a category declared by at least one of the
//! role's purposes. "Every", not "any": a column that mixes a category the role needs with
//! one it does not (a free-text `notes` column tagged `contact.email` and `health`) stays
//! closed, which is what least privilege asks for.
//!
//! Two more decisions:
//! - A column with no category at all is never granted: lawful does not know what it holds.
//! - A column whose categories are all non-personal (`non_personal.*`) is granted on the
//!   tables where the role already reads a personal column, or that the role lists under
//!   `datasets:`. Purposes declare the personal data they need; the timestamps and status
//!   columns beside it are not personal data.
//!
//! When a role lists `datasets:`, only those datasets are considered.
//!
//! Two datasets of one database may describe the same table (two views of one wide table,
//! say): a role reads the union of the columns each of them allows it. Datasets in different
//! databases never mix, even when their schema and table names are the same: each database
//! has its own file.
//!
//! The script is convergent: inside one transaction it creates each role if missing
//! (`NOLOGIN`; give it members or `LOGIN` yourself), then for every managed role revokes all
//! privileges on all tables of every schema lawful manages (which also revokes column
//! privileges), then grants `USAGE` on the schemas and `SELECT` on exactly the allowed
//! columns. Roles are shared by all databases of a server, so every database's file creates
//! every role and manages its privileges in that database only. Applying it twice changes
//! nothing; removing a purpose from a role removes the
//! columns it gave. A privilege granted by hand to a managed role on a table in those schemas
//! is revoked too: these roles belong to lawful.
//!
//! **Masking views.** For each table some role reads masked ([`super::plan`]), the file
//! creates `"schema"."<table>_masked"`: every column lawful knows of the table, the masked
//! ones as [`mask_expr`] (phone `138****5678`, email `****@domain`, national id last 4,
//! `partial` the declared characters, `redact` `****`; NULL stays NULL; counted in
//! characters, so Chinese text masks by character). The view is a `security_barrier` view
//! owned by the role that applies the file, not `security_invoker`: masked readers get
//! column-level `SELECT` on the view and nothing on the table's masked columns. Each view
//! is commented [`VIEW_MARKER`]; applying the file drops the marked views of the managed
//! schemas that the project no longer declares (or whose columns changed), never another
//! view, and refuses (an exception, nothing applied) to replace an object of that name
//! that lawful did not make. A view name that is a declared table, or longer than 63
//! bytes, is a diagnostic.
//!
//! The privileges printed are exactly [`super::privileges`], the set `lawful grants plan`
//! compares with the server; they include the consent logs' (see
//! [`crate::emit::consent_log::postgres`]), so apply `consent_log.sql` first.

use std::collections::{BTreeMap, BTreeSet};

use super::{Action, Plan, Privilege, TableName};
use crate::Project;
use crate::emit::{postgres_table, source_list, sql_name_error};
use crate::manifest::Span;
use crate::manifest::types::Mask;
use crate::model::{DatasetR, FieldR, Model, RoleR};
use crate::report::Diagnostic;
use crate::sql::postgres::{
    STANDARD_STRINGS, check_ident, comment, dollar_quote, ident, literal, raise_message,
};

/// Role names PostgreSQL reserves.
const RESERVED_ROLES: &[&str] = &[
    "public",
    "none",
    "current_role",
    "current_user",
    "session_user",
];

/// Problems with the roles themselves, reported once however many databases there are: two
/// roles with one database role, and role names PostgreSQL reserves.
pub fn check_roles(m: &Model) -> Vec<Diagnostic> {
    managed_roles(m).1
}

/// The managed roles whose names PostgreSQL cannot hold (longer than 63 bytes, a NUL),
/// reported once however many databases there are. They are not part of [`check_roles`]:
/// an error there stops `lawful check` before the generators, and these must not hide the
/// generators' own findings (a table name PostgreSQL cannot hold, say).
pub fn role_name_errors(m: &Model) -> Vec<Diagnostic> {
    managed_roles(m)
        .0
        .into_iter()
        .filter_map(|r| {
            ident(&r.db_role)
                .err()
                .map(|e| *sql_name_error("the database role", e, super::role_span(r)))
        })
        .collect()
}

/// The roles to manage, sorted by database role, and the problems that keep others out:
/// [`super::managed_roles`] with the names PostgreSQL reserves.
fn managed_roles(m: &Model) -> (Vec<&RoleR>, Vec<Diagnostic>) {
    super::managed_roles(m, |r| {
        // Every database asks: an ASCII name (the usual case) is compared without a
        // lower-case copy.
        let reserved = if r.db_role.is_ascii() {
            r.db_role
                .get(..3)
                .is_some_and(|p| p.eq_ignore_ascii_case("pg_"))
                || RESERVED_ROLES
                    .iter()
                    .any(|n| r.db_role.eq_ignore_ascii_case(n))
        } else {
            let lower = r.db_role.to_lowercase();
            lower.starts_with("pg_") || RESERVED_ROLES.contains(&lower.as_str())
        };
        reserved.then(|| {
            Diagnostic::error(
                "emit::grants-reserved-role",
                format!("`{}` is a role name PostgreSQL reserves", r.db_role),
            )
            .at(super::role_span(r), "reserved role name")
            .with_help(
                "choose another `db_role`; names starting with `pg_` and `public` are reserved",
            )
        })
    })
}

/// The marker every masking view lawful makes carries as its comment; views with it in the
/// managed schemas belong to lawful, views without it are never touched.
pub const VIEW_MARKER: &str = "lawful masking view";

/// The file for one database's PostgreSQL datasets (indices into `Model::datasets`), or
/// `None` when the project has no roles or the group no dataset, and when `render` is
/// false (`lawful check`: the names are checked, nothing is written). The role problems of
/// [`check_roles`] are not reported here; such roles are left out. Neither are role names
/// PostgreSQL cannot hold ([`role_name_errors`]): with one, nothing is written.
///
/// Errors: a name PostgreSQL cannot hold (schema, table, column, a `<table>_masked`
/// view name longer than 63 bytes), and a masking view whose name is the table of another
/// dataset of the database.
pub fn generate(
    p: &Project,
    group: &[usize],
    render: bool,
) -> Result<Option<String>, Vec<Diagnostic>> {
    let m = &p.model;
    let pg: Vec<usize> = group
        .iter()
        .copied()
        .filter(|&i| postgres_table(&m.datasets[i]).is_some())
        .collect();
    if m.roles.is_empty() || pg.is_empty() {
        return Ok(None);
    }
    let roles = managed_roles(m).0;
    // `lawful check` only needs the masking views, which only roles with `masked:` make:
    // planning every role for every database would cost roles × databases.
    let planned: Vec<&RoleR> = if render {
        roles.clone()
    } else {
        roles
            .iter()
            .copied()
            .filter(|r| !r.masked.is_empty())
            .collect()
    };
    let plan = super::plan(m, &pg, &planned, table_name);
    let mut errors = Vec::new();

    // Every name the file prints, checked once with the span it came from.
    let mut names = Names::new(render);
    for &i in &pg {
        let d = &m.datasets[i];
        let (schema, table, span) = postgres_table(d).expect("filtered on PostgreSQL");
        names.check(schema, "the schema", span, &mut errors);
        names.check(table, "the table", span, &mut errors);
        for f in &d.fields {
            names.check(&f.column, "the column", field_span(f), &mut errors);
        }
    }
    let declared: BTreeSet<(&str, &str)> = pg
        .iter()
        .filter_map(|&i| postgres_table(&m.datasets[i]).map(|(s, t, _)| (s, t)))
        .collect();
    for v in &plan.views {
        names.check(
            &v.view,
            "the masking view `<table>_masked`",
            v.span,
            &mut errors,
        );
        if declared.contains(&(v.table.schema.as_str(), v.view.as_str())) {
            errors.push(
                Diagnostic::error(
                    "emit::masking-view-name",
                    format!(
                        "the masking view of table `{}.{}` would be named `{}`, which is a table this project declares",
                        v.table.schema, v.table.table, v.view
                    ),
                )
                .at(v.span, "its masking view takes this table's name plus `_masked`")
                .with_help("rename one of the tables, or do not mask fields of this table (remove the role's `masked:` category or the field's `mask`)")
                .with_target(format!("datasets.{}", m.datasets[v.dataset].id.value)),
            );
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if !render {
        return Ok(None);
    }
    // Role names are reported once for every database, by [`role_name_errors`]; a role
    // PostgreSQL cannot name leaves nothing to write, and the build is refused there. Only
    // the roles with a block of their own below are quoted (into `names`): the others are
    // named by literals in one loop.
    if roles.iter().any(|r| check_ident(&r.db_role).is_err()) {
        return Ok(None);
    }
    let privileges = super::privileges(m, &plan, &pg);

    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(
            m,
            m.roles
                .iter()
                .map(|r| r.id.span)
                .chain(pg.iter().map(|&i| m.datasets[i].id.span))
        )
    )));
    out.push_str(
        "\n--\n\
         -- Read access derived from purposes: each role below may read exactly the columns\n\
         -- whose data categories all fall within the categories of at least one of its\n\
         -- purposes. Run it as a role that may create roles and grant on these tables.\n\
         -- It is convergent: each role first loses every table privilege in the schemas\n\
         -- lawful manages, then gets what its purposes allow; applying it twice changes\n\
         -- nothing.\n\
         -- Apply order: consent_log.sql (when there is one), this file, retention.sql,\n\
         -- schedule.sql.\n\n\
         BEGIN;\n",
    );
    out.push_str(STANDARD_STRINGS);
    out.push('\n');
    let schemas: BTreeSet<&str> = plan.schemas.iter().map(String::as_str).collect();
    out.push('\n');
    out.push_str(&views_block(&plan, &schemas, &names));
    // Each role's privileges, in the set's order.
    let mut by_role: BTreeMap<&str, Vec<&Privilege>> = BTreeMap::new();
    for p in &privileges {
        by_role.entry(p.role.as_str()).or_default().push(p);
    }
    let mut in_group = vec![false; m.datasets.len()];
    for &i in &pg {
        in_group[i] = true;
    }
    // A role with no privilege here and no dataset of this database under `datasets:` is
    // reset by one loop rather than a block of its own, so that a project of many
    // databases and many roles gets files the size of what each database grants, not of
    // roles × databases (docs/performance.md).
    let mut idle = Vec::new();
    for ra in &plan.roles {
        let mine = by_role
            .get(ra.role.db_role.as_str())
            .map_or(&[][..], Vec::as_slice);
        if mine.is_empty() && !ra.role.datasets.iter().any(|&d| in_group[d]) {
            idle.push(ra.role);
            continue;
        }
        names.check(
            &ra.role.db_role,
            "the database role",
            super::role_span(ra.role),
            &mut errors,
        );
        out.push('\n');
        out.push_str(&role_block(m, ra.role, mine, &schemas, &names));
    }
    if !idle.is_empty() {
        out.push('\n');
        out.push_str(&idle_block(&idle, &schemas));
    }
    out.push_str("\nCOMMIT;\n");
    Ok(Some(out))
}

/// Quoted names, checked beforehand (see [`Names::check`]), by the names the model and the
/// plan hold.
struct Names<'a> {
    quoted: BTreeMap<&'a str, String>,
    /// Whether the names are quoted at all: `lawful check` only checks them, and keeps an
    /// empty text for each.
    quote: bool,
}

impl<'a> Names<'a> {
    fn new(quote: bool) -> Self {
        Names {
            quoted: BTreeMap::new(),
            quote,
        }
    }
    fn check(&mut self, name: &'a str, what: &str, span: Span, errors: &mut Vec<Diagnostic>) {
        let std::collections::btree_map::Entry::Vacant(slot) = self.quoted.entry(name) else {
            return;
        };
        let quoted = if self.quote {
            ident(name)
        } else {
            check_ident(name).map(|()| String::new())
        };
        match quoted {
            Ok(q) => {
                slot.insert(q);
            }
            Err(e) => errors.push(*sql_name_error(what, e, span)),
        }
    }
    /// The quoted name; every name printed was checked, so a miss is a bug in this module.
    fn q(&self, name: &str) -> &str {
        debug_assert!(self.quote, "names only checked are not printed");
        self.quoted
            .get(name)
            .map(String::as_str)
            .unwrap_or_else(|| panic!("name `{name}` was not checked"))
    }
    fn qq(&self, schema: &str, object: &str) -> String {
        format!("{}.{}", self.q(schema), self.q(object))
    }
}

/// The schema and table of a PostgreSQL dataset, for [`super::plan`].
fn table_name(d: &DatasetR) -> Option<(TableName, Span)> {
    postgres_table(d).map(|(schema, table, span)| {
        (
            TableName {
                schema: schema.to_string(),
                table: table.to_string(),
            },
            span,
        )
    })
}

/// A text literal of a name already checked by [`Names`] (a NUL was refused there).
fn lit(s: &str) -> String {
    literal(s).unwrap_or_else(|e| panic!("checked name `{s}`: {e}"))
}

/// The masking views: drop the ones lawful made before that the plan no longer has (or
/// whose columns changed), refuse to replace a view lawful did not make, then create each
/// view, owned by the role applying the file.
fn views_block(plan: &Plan, schemas: &BTreeSet<&str>, names: &Names) -> String {
    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Masking views: every column lawful knows of a table, the masked ones partly hidden. \
         Views commented '{VIEW_MARKER}' in these schemas that are no longer declared are dropped."
    )));
    out.push('\n');
    let marker = lit(VIEW_MARKER);
    let in_schemas = schemas
        .iter()
        .map(|s| lit(s))
        .collect::<Vec<_>>()
        .join(", ");
    let keep = if plan.views.is_empty() {
        String::new()
    } else {
        let pairs = plan
            .views
            .iter()
            .map(|v| format!("({}, {})", lit(&v.table.schema), lit(&v.view)))
            .collect::<Vec<_>>()
            .join(", ");
        format!("\n      AND (n.nspname::text, c.relname::text) NOT IN ({pairs})")
    };
    let body = format!(
        "
DECLARE
  v record;
BEGIN
  FOR v IN
    SELECT c.oid::regclass AS name FROM pg_class AS c
    JOIN pg_namespace AS n ON n.oid = c.relnamespace
    WHERE c.relkind = 'v'
      AND n.nspname IN ({in_schemas})
      AND starts_with(coalesce(obj_description(c.oid, 'pg_class'), ''), {marker}){keep}
    ORDER BY n.nspname, c.relname
  LOOP
    EXECUTE format('DROP VIEW %s', v.name);
  END LOOP;
END
"
    );
    out.push_str(&format!("DO {};\n", dollar_quote(&body)));
    for v in &plan.views {
        let view = names.qq(&v.table.schema, &v.view);
        let table = names.qq(&v.table.schema, &v.table.table);
        let view_lit = lit(&view);
        let cols = v
            .columns
            .iter()
            .map(|(c, _)| lit(c))
            .collect::<Vec<_>>()
            .join(", ");
        let foreign = raise_message(&format!(
            "{}.{} exists and is not a view lawful made; rename it or remove it, lawful will not replace it",
            v.table.schema, v.view
        ))
        .expect("no NUL");
        let guard = format!(
            "
DECLARE
  v regclass := to_regclass({view_lit});
BEGIN
  IF v IS NULL THEN
    RETURN;
  END IF;
  IF (SELECT c.relkind FROM pg_class AS c WHERE c.oid = v) <> 'v'
     OR NOT starts_with(coalesce(obj_description(v, 'pg_class'), ''), {marker}) THEN
    RAISE EXCEPTION {foreign};
  END IF;
  IF ARRAY(SELECT a.attname::text FROM pg_attribute AS a
           WHERE a.attrelid = v AND a.attnum > 0 AND NOT a.attisdropped
           ORDER BY a.attnum) IS DISTINCT FROM ARRAY[{cols}]::text[] THEN
    DROP VIEW {view};
  END IF;
END
"
        );
        out.push('\n');
        out.push_str(&comment(&format!(
            "{}.{}: {}.{} with {} masked.",
            v.table.schema,
            v.view,
            v.table.schema,
            v.table.table,
            v.columns
                .iter()
                .filter(|(_, k)| k.is_some())
                .map(|(c, _)| c.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
        out.push('\n');
        out.push_str(&format!("DO {};\n", dollar_quote(&guard)));
        let select = v
            .columns
            .iter()
            .map(|(c, k)| {
                let qc = names.q(c);
                match k {
                    Some(mask) => format!("{} AS {qc}", mask_expr(&format!("t.{qc}"), mask)),
                    None => format!("t.{qc}"),
                }
            })
            .collect::<Vec<_>>()
            .join(",\n  ");
        out.push_str(&format!(
            "CREATE OR REPLACE VIEW {view} WITH (security_barrier) AS\nSELECT\n  {select}\nFROM {table} AS t;\n"
        ));
        out.push_str(&format!(
            "COMMENT ON VIEW {view} IS {};\n",
            lit(&format!(
                "{VIEW_MARKER} of {}.{}; generated, replaced and dropped by lawful",
                v.table.schema, v.table.table
            ))
        ));
        out.push_str(&format!("REVOKE ALL ON TABLE {view} FROM PUBLIC;\n"));
    }
    out
}

/// The SQL expression showing `col` masked: NULL stays NULL; characters counted with
/// `char_length`, so Chinese text masks by character.
///
/// - kept `(first, last)`: the first and last characters kept, each one between them
///   shown as `*` (`138****5678`); a value no longer than `first + last` is all `*`;
/// - `(0, 0)` (`redact`): always `****`, so the length is not revealed;
/// - email (`kept()` is `None`): `****@` and the domain (after the last `@`); `****`
///   without an `@`.
pub fn mask_expr(col: &str, mask: &Mask) -> String {
    let v = format!("{col}::text");
    match mask.kept() {
        Some((0, 0)) => format!("CASE WHEN {col} IS NULL THEN NULL ELSE '****' END"),
        Some((first, last)) => {
            let n = first + last;
            format!(
                "CASE WHEN {col} IS NULL THEN NULL \
                 WHEN char_length({v}) <= {n} THEN repeat('*', char_length({v})) \
                 ELSE left({v}, {first}) || repeat('*', char_length({v}) - {n}) || right({v}, {last}) END"
            )
        }
        None => format!(
            "CASE WHEN {col} IS NULL THEN NULL \
             WHEN strpos({v}, '@') > 0 THEN '****@' || regexp_replace({v}, '^.*@', '') \
             ELSE '****' END"
        ),
    }
}

/// One role: created if missing, every table privilege in the managed schemas revoked,
/// then exactly its privileges of `all` granted.
fn role_block(
    m: &Model,
    r: &RoleR,
    mine: &[&Privilege],
    schemas: &BTreeSet<&str>,
    names: &Names,
) -> String {
    let role = names.q(&r.db_role);
    let role_lit = lit(&r.db_role);
    let purposes: Vec<&str> = r
        .purposes
        .iter()
        .map(|&p| m.purposes[p].id.value.as_str())
        .collect();
    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Role {} (database role {}): purposes {}.",
        r.id.value,
        r.db_role,
        if purposes.is_empty() {
            "none".to_string()
        } else {
            purposes.join(", ")
        }
    )));
    out.push('\n');
    if mine.iter().all(|p| p.object.is_none()) {
        out.push_str(&comment(
            "Its purposes cover no stored column, so it may read nothing.",
        ));
        out.push('\n');
    }
    let body = format!(
        " BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {role_lit}) THEN CREATE ROLE {role} NOLOGIN; END IF; END "
    );
    out.push_str(&format!("DO {};\n", dollar_quote(&body)));
    for s in schemas {
        out.push_str(&format!(
            "REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {role};\n",
            names.q(s)
        ));
    }
    let usage: BTreeSet<&str> = mine
        .iter()
        .filter(|p| p.object.is_none() && p.action == Action::Usage)
        .map(|p| p.schema.as_str())
        .collect();
    for s in schemas.iter().chain(usage.difference(schemas)) {
        if usage.contains(s) {
            out.push_str(&format!(
                "GRANT USAGE ON SCHEMA {} TO {role};\n",
                names.q(s)
            ));
        } else {
            out.push_str(&format!(
                "REVOKE USAGE ON SCHEMA {} FROM {role};\n",
                names.q(s)
            ));
        }
    }
    // (schema, object) → table-wide actions, and action → columns.
    let mut objects: BTreeMap<(&str, &str), ObjectGrants> = BTreeMap::new();
    for p in mine {
        let Some(o) = &p.object else { continue };
        let e = objects.entry((p.schema.as_str(), o.as_str())).or_default();
        match &p.column {
            None => {
                e.0.insert(p.action);
            }
            Some(c) => e.1.entry(p.action).or_default().push(c.as_str()),
        }
    }
    for ((s, o), (whole, cols)) in &objects {
        let obj = names.qq(s, o);
        if !whole.is_empty() {
            let acts = whole
                .iter()
                .map(|a| action_sql(*a))
                .collect::<Vec<_>>()
                .join(", ");
            out.push_str(&format!("GRANT {acts} ON TABLE {obj} TO {role};\n"));
        }
        for (a, cs) in cols {
            let list = cs.iter().map(|c| names.q(c)).collect::<Vec<_>>().join(", ");
            out.push_str(&format!(
                "GRANT {} ({list}) ON TABLE {obj} TO {role};\n",
                action_sql(*a)
            ));
        }
    }
    out
}

/// The roles that read nothing in this database: each is created when missing, as in
/// [`role_block`], and loses every table privilege and the usage of every schema lawful
/// manages here, in one loop over their names.
fn idle_block(roles: &[&RoleR], schemas: &BTreeSet<&str>) -> String {
    let mut out = comment(
        "The other roles read nothing in this database: each is created if missing and \
         loses every table privilege and the usage of each schema above.",
    );
    out.push('\n');
    // Many roles are idle in each of many databases: their literals go straight into one
    // buffer.
    let array = |items: &mut dyn Iterator<Item = &str>| {
        let mut list = String::new();
        for (k, item) in items.enumerate() {
            if k > 0 {
                list.push_str(", ");
            }
            list.push_str(&lit(item));
        }
        list
    };
    let body = format!(
        "
DECLARE
  r text;
  s text;
BEGIN
  FOREACH r IN ARRAY ARRAY[{}]::text[] LOOP
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    END IF;
    FOREACH s IN ARRAY ARRAY[{}]::text[] LOOP
      EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA %I FROM %I', s, r);
      EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM %I', s, r);
    END LOOP;
  END LOOP;
END
",
        array(&mut roles.iter().map(|r| r.db_role.as_str())),
        array(&mut schemas.iter().copied()),
    );
    out.push_str(&format!("DO {};\n", dollar_quote(&body)));
    out
}

/// Table-wide actions, and the columns of each column-level action.
type ObjectGrants<'a> = (BTreeSet<Action>, BTreeMap<Action, Vec<&'a str>>);

fn action_sql(a: Action) -> &'static str {
    match a {
        Action::Usage => "USAGE",
        Action::Select => "SELECT",
        Action::Insert => "INSERT",
    }
}

fn field_span(f: &FieldR) -> Span {
    f.decl
        .column
        .as_ref()
        .map(|c| c.span)
        .unwrap_or(f.name.span)
}
