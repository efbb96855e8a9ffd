//! Grants for BigQuery: `sql/bigquery[/<project>]/grants.sql`, from the access plan
//! ([`super::plan`]) shared by every engine.
//!
//! In BigQuery a table's `storage.database` is the Google Cloud **project**, `storage.schema`
//! the **dataset** (required) and a role's `db_role` an **IAM principal**: `user:…`,
//! `group:…`, `serviceAccount:…` or `domain:…` ([`check_roles`] refuses anything else).
//!
//! Column-level access in BigQuery needs policy tags (a Data Catalog taxonomy attached to
//! the table schema), which SQL cannot create or attach. So each role reads **one view per
//! table**, `<project>.<dataset>_lawful.<table>__<role id>`, holding exactly the columns the
//! plan gives it, the masked ones masked, and gets `roles/bigquery.dataViewer` on its views
//! only. For the views to read the tables without their readers holding any right on them,
//! the dataset `<dataset>_lawful` must be an *authorized dataset* of `<dataset>`: that is
//! an API or console step, given as a `bq` command in the file's header.
//!
//! Convergence: the file creates the view dataset if missing, drops every view in it that
//! lawful does not declare now (a script loop over `INFORMATION_SCHEMA.VIEWS`), replaces the
//! declared views, revokes `roles/bigquery.dataViewer` from every managed principal on the
//! source dataset, its tables and the views that are not theirs, and grants each principal its
//! views. Roles granted at the project level (`roles/bigquery.dataViewer` on the whole
//! project, `roles/owner`, …) are out of SQL's reach: keep managed principals off them.

use std::collections::{BTreeMap, BTreeSet};

use super::{Action, TableName, role_span};
use crate::Project;
use crate::emit::{source_list, sql_name_error};
use crate::manifest::Span;
use crate::manifest::types::{Engine, Mask};
use crate::model::{DatasetR, Model, RoleR};
use crate::report::{Diagnostic, Severity};
use crate::sql::bigquery::{
    On, column, comment, dataset, grant, literal, principal, qualified, revoke, schema_name,
};

/// The IAM role that lets a principal read a table or view.
pub const VIEWER: &str = "roles/bigquery.dataViewer";
/// The IAM role consent-log writers get on the log table (BigQuery has no insert-only role).
pub const EDITOR: &str = "roles/bigquery.dataEditor";

/// The dataset holding lawful's views over `ds`.
pub fn view_dataset(ds: &str) -> String {
    format!("{ds}_lawful")
}

/// The view of table `table` for role `role_id`: `<table>__<role id>`.
pub fn view_name(table: &str, role_id: &str) -> String {
    format!("{table}__{role_id}")
}

/// Problems that keep BigQuery's grants and jobs from being generated, reported once:
///
/// - `emit::bigquery-principal`: a role whose `db_role` is not an IAM principal
///   (`group:analysts@example.com`), at the role's `db_role` (or its id);
/// - `emit::grants-duplicate-role`: two roles with one principal, compared without case
///   (IAM reads `user:A@b.com` and `user:a@b.com` as one account);
/// - `emit::grants-role-id`: a role id containing `__`, which would make view names
///   (`<table>__<role id>`) ambiguous ([`super::snowflake::role_id_problem`]);
/// - `emit::bigquery-dataset`: a BigQuery dataset without `storage.schema` (the BigQuery
///   dataset), or whose dataset name BigQuery cannot hold (only letters, digits and
///   underscores), or whose project is not a project id; at the dataset's `storage`.
pub fn check_roles(m: &Model) -> Vec<Diagnostic> {
    let mut out = managed_roles(m).1;
    for d in &m.datasets {
        let Some(s) = d.decl.storage.as_ref() else {
            continue;
        };
        if s.engine != Engine::Bigquery {
            continue;
        }
        if let Some(e) = storage_problem(d) {
            out.push(
                Diagnostic::new(
                    "emit::bigquery-dataset",
                    Severity::Error,
                    format!("dataset `{}` cannot be stored in BigQuery as written: {e}", d.id.value),
                )
                .at(s.span, "in this storage")
                .with_help("in BigQuery, `database` is the project id (`my-project`), `schema` the dataset (letters, digits and underscores) and `table` the table")
                .with_target(format!("datasets.{}", d.id.value)),
            );
        }
    }
    out
}

/// What is wrong with a BigQuery dataset's storage, if anything.
pub fn storage_problem(d: &DatasetR) -> Option<String> {
    let s = d.decl.storage.as_ref()?;
    let Some(ds) = s.schema.as_deref() else {
        return Some("`schema` (the BigQuery dataset) is missing".into());
    };
    if let Err(e) = dataset(ds) {
        return Some(e);
    }
    if let Err(e) = dataset(&view_dataset(ds)) {
        return Some(e);
    }
    qualified(s.database.as_deref(), ds, &s.table.value).err()
}

/// The principals to manage, sorted, and the problems that keep others out:
/// [`super::managed_roles`] with anything that is not an IAM principal.
///
/// IAM principals are compared without case (`user:A@b.com` and `user:a@b.com` are one
/// account): a second role whose principal differs from an earlier one only in case is
/// `emit::grants-duplicate-role` too, at its `db_role`, naming the first (earlier in the
/// order by `db_role`, then id).
fn managed_roles(m: &Model) -> (Vec<&RoleR>, Vec<Diagnostic>) {
    let (roles, mut errors) = super::managed_roles(m, |r| {
        if let Some(d) = super::snowflake::role_id_problem(r, "BigQuery") {
            return Some(d);
        }
        principal(&r.db_role).err().map(|e| {
            Diagnostic::error(
                "emit::bigquery-principal",
                format!(
                    "role `{}` has the database role `{}`, which BigQuery cannot grant to: {e}",
                    r.id.value, r.db_role
                ),
            )
            .at(role_span(r), "not an IAM principal")
            .with_help("BigQuery grants to IAM principals: write `db_role: group:analysts@example.com` (or `user:`, `serviceAccount:`, `domain:`)")
            .with_target(format!("roles.{}", r.id.value))
        })
    });
    let mut seen: BTreeMap<String, &RoleR> = BTreeMap::new();
    let mut ok = Vec::new();
    for r in roles {
        match seen.get(&r.db_role.to_lowercase()) {
            Some(first) => errors.push(
                Diagnostic::error(
                    "emit::grants-duplicate-role",
                    format!(
                        "roles `{}` and `{}` use the principals `{}` and `{}`, which IAM reads as one (it ignores case)",
                        first.id.value, r.id.value, first.db_role, r.db_role
                    ),
                )
                .at(role_span(r), "same principal")
                .with_secondary(first.id.span, "first role")
                .with_help("give each role its own principal, or merge their purposes into one role")
                .with_target(format!("roles.{}", r.id.value)),
            ),
            None => {
                seen.insert(r.db_role.to_lowercase(), r);
                ok.push(r);
            }
        }
    }
    (ok, errors)
}

/// Dataset and table of a BigQuery dataset whose storage is sound.
pub fn table_name(d: &DatasetR) -> Option<(TableName, Span)> {
    let s = d.decl.storage.as_ref()?;
    if s.engine != Engine::Bigquery || storage_problem(d).is_some() {
        return None;
    }
    Some((
        TableName {
            schema: s.schema.clone()?,
            table: s.table.value.clone(),
        },
        s.table.span,
    ))
}

/// The project of a group (all its datasets share it).
fn project(m: &Model, group: &[usize]) -> Option<String> {
    group.iter().find_map(|&i| {
        m.datasets[i]
            .decl
            .storage
            .as_ref()
            .and_then(|s| s.database.clone())
    })
}

/// The masked expression of `v` (a quoted column reference) in GoogleSQL; the same masks
/// as [`super::snowflake::mask_expr`].
pub fn mask_expr(v: &str, mask: &Mask) -> String {
    let v = format!("CAST({v} AS STRING)");
    let star = literal("*").expect("fixed");
    let stars = literal("****").expect("fixed");
    match mask.kept() {
        None => format!(
            "CASE WHEN {v} IS NULL THEN NULL WHEN STRPOS({v}, '@') > 0 THEN CONCAT({stars}, SUBSTR({v}, STRPOS({v}, '@'))) ELSE {stars} END"
        ),
        Some((0, 0)) => format!("CASE WHEN {v} IS NULL THEN NULL ELSE {stars} END"),
        Some((f, l)) => {
            let mut parts = Vec::new();
            if f > 0 {
                parts.push(format!("LEFT({v}, {f})"));
            }
            parts.push(format!("REPEAT({star}, LENGTH({v}) - {})", f + l));
            if l > 0 {
                parts.push(format!("RIGHT({v}, {l})"));
            }
            format!(
                "CASE WHEN {v} IS NULL THEN NULL WHEN LENGTH({v}) <= {} THEN REPEAT({star}, LENGTH({v})) ELSE CONCAT({}) END",
                f + l,
                parts.join(", ")
            )
        }
    }
}

struct View {
    role: usize,
    table: TableName,
    name: String,
    columns: Vec<(String, Option<Mask>)>,
    span: Span,
}

/// The grant file of one project's BigQuery datasets.
pub fn generate(p: &Project, group: &[usize]) -> crate::emit::Files {
    vec![("grants.sql".into(), file(p, group))]
}

fn file(p: &Project, group: &[usize]) -> Result<Option<String>, Vec<Diagnostic>> {
    let m = &p.model;
    let bq: Vec<usize> = group
        .iter()
        .copied()
        .filter(|&i| table_name(&m.datasets[i]).is_some())
        .collect();
    if m.roles.is_empty() || bq.is_empty() {
        return Ok(None);
    }
    let proj = project(m, &bq);
    let proj = proj.as_deref();
    let roles = managed_roles(m).0;
    let plan = super::plan(m, &bq, &roles, table_name);
    let privileges = super::privileges(m, &plan, &bq);
    let mut errors: Vec<Diagnostic> = Vec::new();

    // Views.
    let mut views: Vec<View> = Vec::new();
    for (ri, ra) in plan.roles.iter().enumerate() {
        for (name, a) in &ra.tables {
            let d = &m.datasets[a.dataset];
            let masks = plan
                .views
                .iter()
                .find(|v| &v.table == name)
                .map(|v| v.columns.clone())
                .unwrap_or_default();
            let mut order: Vec<&str> = d.fields.iter().map(|f| f.column.as_str()).collect();
            for c in a.clear.iter().chain(&a.masked) {
                if !order.contains(&c.as_str()) {
                    order.push(c);
                }
            }
            let mut columns = Vec::new();
            for c in order {
                if a.clear.contains(c) {
                    columns.push((c.to_string(), None));
                } else if a.masked.contains(c)
                    && let Some(k) = masks
                        .iter()
                        .find(|(mc, _)| mc == c)
                        .and_then(|(_, k)| k.clone())
                {
                    columns.push((c.to_string(), Some(k)));
                }
            }
            let vname = view_name(&name.table, &ra.role.id.value);
            if let Some(c) = vname
                .chars()
                .find(|&c| !(c.is_alphanumeric() || matches!(c, '_' | '-' | ' ')))
            {
                errors.push(
                    Diagnostic::error(
                        "emit::bigquery-view-name",
                        format!(
                            "the view `{vname}` lawful would create for role `{}` cannot be a BigQuery table name: `{}` is not allowed",
                            ra.role.id.value,
                            c.escape_debug()
                        ),
                    )
                    .at(ra.role.id.span, "the view's name ends with this role id")
                    .with_help("BigQuery table names hold letters, digits, underscores, dashes and spaces; rename the role")
                    .with_target(format!("roles.{}", ra.role.id.value)),
                );
                continue;
            }
            views.push(View {
                role: ri,
                table: name.clone(),
                name: vname,
                columns,
                span: a.span,
            });
        }
    }
    let clashes = super::snowflake::view_clashes(
        views.iter().map(|v| {
            (
                v.table.schema.as_str(),
                v.name.as_str(),
                plan.roles[v.role].role,
                &v.table,
                v.span,
            )
        }),
        "BigQuery",
    );
    errors.extend(clashes);
    let datasets: BTreeSet<String> = plan.schemas.iter().cloned().collect();

    let mut out = String::new();
    out.push_str(&comment(&format!(
        "Generated by lawful from {}; do not edit.",
        source_list(
            m,
            m.roles
                .iter()
                .map(|r| r.id.span)
                .chain(bq.iter().map(|&i| m.datasets[i].id.span))
        )
    )));
    out.push_str(
        "\n--\n\
         -- Read access derived from purposes, for BigQuery. Each role (an IAM principal) reads\n\
         -- one view per table holding exactly the columns its purposes allow, masked where it\n\
         -- may only see them masked, and gets roles/bigquery.dataViewer on its views only.\n\
         -- Run it as a BigQuery script (bq query --use_legacy_sql=false < grants.sql).\n\
         --\n\
         -- What SQL cannot do, and you must do once per dataset:\n\
         -- 1. Column-level security with policy tags is not SQL; lawful uses views instead.\n\
         -- 2. The views read the tables on their readers' behalf only when the view dataset is\n\
         --    an authorized dataset of the source dataset. With the bq tool:\n",
    );
    for ds in &datasets {
        let src = match proj {
            Some(p) => format!("{p}:{ds}"),
            None => ds.clone(),
        };
        let vds = view_dataset(ds);
        out.push_str(&comment(&format!(
            "     bq show --format=prettyjson {src} > {ds}.json"
        )));
        out.push('\n');
        out.push_str(&comment(&format!(
            "     add to \"access\": {{\"dataset\": {{\"dataset\": {{\"projectId\": \"{}\", \"datasetId\": \"{vds}\"}}, \"targetTypes\": [\"VIEWS\"]}}}}",
            proj.unwrap_or("<project>")
        )));
        out.push('\n');
        out.push_str(&comment(&format!(
            "     bq update --source {ds}.json {src}"
        )));
        out.push('\n');
    }
    out.push_str(
        "-- 3. The view dataset must be in the same location as the source dataset. This file\n\
         --    creates it if missing, in the job's location; create it yourself first when that\n\
         --    is not the source's: bq mk --dataset --location=<location> <project>:<dataset>_lawful\n\
         -- 4. Roles granted on the whole project (roles/bigquery.dataViewer, roles/owner, ...)\n\
         --    reach every table whatever this file says: keep these principals off them.\n\
         -- Applying the file twice changes nothing: views no longer declared are dropped, and\n\
         -- every managed principal loses dataViewer on the source datasets and tables and on\n\
         -- the views that are not its own.\n",
    );

    let principals: Vec<&str> = roles.iter().map(|r| r.db_role.as_str()).collect();
    for ds in &datasets {
        let vds = view_dataset(ds);
        let (src_q, vds_q) = match (schema_name(proj, ds), schema_name(proj, &vds)) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => {
                errors.push(*sql_name_error("the dataset", e, m.datasets[bq[0]].id.span));
                continue;
            }
        };
        let mine: Vec<&View> = views.iter().filter(|v| &v.table.schema == ds).collect();
        out.push('\n');
        out.push_str(&comment(&format!("Views over dataset {ds}, in {vds}.")));
        out.push('\n');
        out.push_str(&format!("CREATE SCHEMA IF NOT EXISTS {vds_q};\n"));
        let keep: Vec<String> = mine.iter().filter_map(|v| literal(&v.name).ok()).collect();
        let keep = if keep.is_empty() {
            "TRUE".to_string()
        } else {
            format!("table_name NOT IN ({})", keep.join(", "))
        };
        out.push_str(&comment("Drop the views lawful no longer declares."));
        out.push('\n');
        let prefix = literal(&format!("DROP VIEW {vds_q}.`")).unwrap_or_default();
        out.push_str(&format!(
            "FOR stale IN (SELECT table_name FROM {vds_q}.INFORMATION_SCHEMA.VIEWS WHERE {keep})\n\
             DO\n  EXECUTE IMMEDIATE CONCAT({prefix}, REPLACE(REPLACE(stale.table_name, '\\\\', '\\\\\\\\'), '`', '\\\\`'), '`');\n\
             END FOR;\n"
        ));
        for v in &mine {
            match view_sql(proj, &vds, v) {
                Ok(s) => {
                    out.push_str(&comment(&format!(
                        "{} reads {}.{}: {}.",
                        plan.roles[v.role].role.id.value,
                        v.table.schema,
                        v.table.table,
                        v.columns
                            .iter()
                            .map(|(c, k)| if k.is_some() {
                                format!("{c} (masked)")
                            } else {
                                c.clone()
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                    out.push('\n');
                    out.push_str(&s);
                    out.push('\n');
                }
                Err(e) => errors.push(*sql_name_error("a view", e, v.span)),
            }
        }
        out.push('\n');
        out.push_str(&comment(
            "No managed principal reads the source dataset or its tables directly.",
        ));
        out.push('\n');
        for who in &principals {
            if let Ok(s) = revoke(VIEWER, On::Schema, &src_q, who) {
                out.push_str(&s);
                out.push('\n');
            }
        }
        let tables: BTreeSet<&str> = bq
            .iter()
            .filter_map(|&i| m.datasets[i].decl.storage.as_ref())
            .filter(|s| s.schema.as_deref() == Some(ds.as_str()))
            .map(|s| s.table.value.as_str())
            .collect();
        let logs: BTreeSet<(String, String)> = privileges
            .iter()
            .filter(|pr| pr.column.is_none() && pr.object.is_some())
            .map(|pr| (pr.schema.clone(), pr.object.clone().unwrap_or_default()))
            .collect();
        for t in &tables {
            let q = match qualified(proj, ds, t) {
                Ok(q) => q,
                Err(e) => {
                    errors.push(*sql_name_error("the table", e, m.datasets[bq[0]].id.span));
                    continue;
                }
            };
            let is_log = logs.contains(&(ds.clone(), t.to_string()));
            for who in &principals {
                let mut kinds = vec![VIEWER];
                if is_log {
                    kinds.push(EDITOR);
                }
                for k in kinds {
                    if let Ok(s) = revoke(k, On::Table, &q, who) {
                        out.push_str(&s);
                        out.push('\n');
                    }
                }
            }
        }
        out.push('\n');
        out.push_str(&comment("Each principal reads its own views."));
        out.push('\n');
        for v in &mine {
            let Ok(q) = qualified(proj, &vds, &v.name) else {
                continue;
            };
            let owner = plan.roles[v.role].role.db_role.as_str();
            for who in &principals {
                if *who == owner {
                    continue;
                }
                if let Ok(s) = revoke(VIEWER, On::View, &q, who) {
                    out.push_str(&s);
                    out.push('\n');
                }
            }
            if let Ok(s) = grant(VIEWER, On::View, &q, owner) {
                out.push_str(&s);
                out.push('\n');
            }
        }
    }

    // Consent logs: BigQuery has no insert-only role. Writers get dataEditor on the log table
    // only (it allows UPDATE and DELETE too: see consent_log.sql for what protects the log),
    // readers dataViewer.
    let mut log_grants: BTreeMap<(String, String), BTreeMap<&str, &'static str>> = BTreeMap::new();
    for pr in privileges
        .iter()
        .filter(|pr| pr.column.is_none() && pr.object.is_some())
    {
        let e = log_grants
            .entry((pr.schema.clone(), pr.object.clone().unwrap_or_default()))
            .or_default();
        match pr.action {
            Action::Insert => {
                e.insert(&pr.role, EDITOR);
            }
            Action::Select => {
                e.entry(&pr.role).or_insert(VIEWER);
            }
            Action::Usage => {}
        }
    }
    if !log_grants.is_empty() {
        out.push('\n');
        out.push_str(&comment(
            "Consent logs: writers get roles/bigquery.dataEditor on the log table (BigQuery has no insert-only role), readers roles/bigquery.dataViewer.",
        ));
        out.push('\n');
    }
    for ((ds, t), who) in &log_grants {
        let Ok(q) = qualified(proj, ds, t) else {
            continue;
        };
        for (w, role) in who {
            if let Ok(s) = grant(role, On::Table, &q, w) {
                out.push_str(&s);
                out.push('\n');
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Some(out))
}

fn view_sql(proj: Option<&str>, vds: &str, v: &View) -> Result<String, String> {
    let name = qualified(proj, vds, &v.name)?;
    let table = qualified(proj, &v.table.schema, &v.table.table)?;
    let mut cols = Vec::new();
    for (c, mask) in &v.columns {
        let q = column(c)?;
        let r = format!("t.{q}");
        cols.push(match mask {
            None => format!("  {r} AS {q}"),
            Some(k) => format!("  {} AS {q}", mask_expr(&r, k)),
        });
    }
    Ok(format!(
        "CREATE OR REPLACE VIEW {name} AS\nSELECT\n{}\nFROM {table} AS t;",
        cols.join(",\n")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::Sp;
    use crate::manifest::types::MaskStyle;

    #[test]
    fn national_ids_keep_the_last_four() {
        let k = Mask {
            style: Some(Sp::new(MaskStyle::NationalId, Span::default())),
            keep_first: None,
            keep_last: None,
        };
        let e = mask_expr("t.`id`", &k);
        assert!(e.contains("RIGHT(CAST(t.`id` AS STRING), 4)"), "{e}");
        assert!(!e.contains("LEFT("), "{e}");
    }

    #[test]
    fn view_names_carry_the_role_id() {
        assert_eq!(view_name("客户", "support"), "客户__support");
        assert_eq!(view_dataset("sales"), "sales_lawful");
    }
}
