//! `lawful import sql`: DDL → a draft project, categories suggested for review
//! (docs/import.md).
//!
//! - [`ddl`] cuts the file into statements and reads each with sqlparser;
//! - [`classify`] suggests a category per column from the rules in `suggestions.yaml`;
//! - this module writes a dataset per table (`datasets/<id>.yaml`) and a `lawful.yaml`.

pub mod classify;
pub mod ddl;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use crate::import::yaml::{Writer, flow_list, flow_scalar};
use crate::import::{Files, Imported};
use crate::manifest::Span;
use crate::report::{Diagnostic, Severity};

use classify::{Reason, Suggestion};
use ddl::{Schema, Table};

/// SQL dialects `import sql` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Dialect {
    Postgres,
    Mysql,
    Sqlite,
    Mssql,
    Snowflake,
}

impl Dialect {
    pub fn as_str(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
            Dialect::Sqlite => "sqlite",
            Dialect::Mssql => "mssql",
            Dialect::Snowflake => "snowflake",
        }
    }

    /// The `storage.engine` of the language: SQLite and SQL Server are `other` (lawful
    /// generates no SQL for them).
    fn engine(self) -> &'static str {
        match self {
            Dialect::Postgres => "postgres",
            Dialect::Mysql => "mysql",
            Dialect::Snowflake => "snowflake",
            Dialect::Sqlite | Dialect::Mssql => "other",
        }
    }
}

/// Import the DDL in `file`: a dataset per table, a field per column, keys kept, categories
/// suggested from column names, types and comments (English, pinyin, Chinese).
///
/// Files: `lawful.yaml` and `datasets/<id>.yaml`, one per table (docs/import.md shows one).
///
/// Errors (diagnostics in the result): the file cannot be read or is not UTF-8 (no files);
/// a CREATE or ALTER TABLE statement the parser cannot read (named at its line, skipped,
/// the rest imported); no CREATE TABLE at all (no files). A COMMENT ON statement that
/// cannot be read is a warning.
pub fn import(file: &Path, dialect: Dialect) -> Imported {
    let name = file.display().to_string();
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            let mut out = Imported::default();
            out.diagnostics.push(
                Diagnostic::error("import::sql-file", format!("cannot read `{name}`: {e}"))
                    .with_help("give the path of a file of SQL DDL (CREATE TABLE statements)"),
            );
            return out;
        }
    };
    match String::from_utf8(bytes) {
        Ok(text) => draft(&text, &name, dialect),
        Err(e) => {
            let (line, col) = crate::manifest::loader::not_utf8_at(&e);
            let mut out = Imported::default();
            out.diagnostics.push(
                Diagnostic::error(
                    "import::sql-file",
                    format!(
                        "`{name}` is not UTF-8: the first bad byte is at line {line}, column {col}"
                    ),
                )
                .with_help("convert the file to UTF-8, e.g. `iconv -f GB18030 -t UTF-8`"),
            );
            out
        }
    }
}

/// Import DDL given as text; `name` is the file name shown in diagnostics and comments.
/// Same result and errors as [`import`], the file already read.
pub fn draft(text: &str, name: &str, dialect: Dialect) -> Imported {
    let mut out = Imported::default();
    let file = out
        .sources
        .add(Path::new(name), name.to_string(), text.to_string());
    // The source map strips a byte-order mark; offsets are counted without it.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let schema = ddl::read(text, dialect);
    for p in &schema.problems {
        let span = Span {
            file,
            start: p.start as u32,
            end: p.end.max(p.start + 1).min(text.len().max(p.start + 1)) as u32,
        };
        let severity = if p.error {
            Severity::Error
        } else {
            Severity::Warning
        };
        out.diagnostics.push(
            Diagnostic::new("import::sql-statement", severity, p.message.clone())
                .at(span, "here")
                .with_help(p.help.clone()),
        );
    }
    for s in &schema.skipped {
        let span = Span {
            file,
            start: s.start as u32,
            end: (s.start + s.head.len()).min(s.end) as u32,
        };
        let severity = if s.could_hold_table {
            Severity::Error
        } else {
            Severity::Warning
        };
        let what = if s.could_hold_table {
            "skipped; the tables it defines or changes are missing or incomplete"
        } else {
            "skipped; its comment is not imported"
        };
        out.diagnostics.push(
            Diagnostic::new(
                "import::sql-statement",
                severity,
                format!("cannot read the statement `{}`: {what}", s.head),
            )
            .at(span, "this statement")
            .with_secondary(
                match s.error_at {
                    Some(at) => Span {
                        file,
                        start: at as u32,
                        end: at as u32 + 1,
                    },
                    None => Span::NONE,
                },
                parser_message(&s.error),
            )
            .with_help(format!(
                "the parser ({} dialect) stopped here; fix or remove the statement, or import the table by hand",
                dialect.as_str()
            )),
        );
    }
    for p in &schema.partial {
        let span = Span {
            file,
            start: p.start as u32,
            end: p.end as u32,
        };
        let (severity, what) = match (p.kept_type, p.matters) {
            (true, _) => (
                Severity::Warning,
                "imported with its name and type only".to_string(),
            ),
            (false, true) => (
                Severity::Error,
                "skipped; the rest of the table is imported".into(),
            ),
            (false, false) => (
                Severity::Warning,
                "skipped; the rest of the table is imported".into(),
            ),
        };
        out.diagnostics.push(
            Diagnostic::new(
                "import::sql-statement",
                severity,
                format!(
                    "cannot read `{}` in CREATE TABLE {}: {what}",
                    shorten(&p.element, 60),
                    p.table
                ),
            )
            .at(span, parser_message(&p.error)),
        );
    }
    let tables: Vec<&Table> = schema
        .tables
        .iter()
        .filter(|t| t.partition_of.is_none())
        .collect();
    if tables.is_empty() {
        out.diagnostics.push(
            Diagnostic::error(
                "import::sql-no-tables",
                format!("`{name}` holds no CREATE TABLE statement that could be read; nothing to import"),
            )
            .with_help("give a schema dump (`pg_dump --schema-only`, `mysqldump --no-data`, `.schema` in sqlite3)"),
        );
        return out;
    }
    out.files = project(&schema, &tables, name, dialect);
    out
}

fn shorten(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

/// sqlparser's message without its position (the label shows it in the file).
fn parser_message(s: &str) -> String {
    let s = s.lines().next().unwrap_or("");
    let s = s.strip_prefix("sql parser error: ").unwrap_or(s);
    match s.rfind(" at Line: ") {
        Some(i) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// A column's suggestion, the table it is in, for measuring and for the project.
#[derive(Debug, Clone)]
pub struct ColumnSuggestion {
    pub table: String,
    pub column: String,
    pub suggestion: Option<Suggestion>,
}

/// The suggestion for every column of every table in `schema` (partitions folded into
/// their parent), in order: what the project files say, for measuring.
pub fn suggestions(schema: &Schema) -> Vec<ColumnSuggestion> {
    let person_of = person_tables(schema);
    let mut out = Vec::new();
    for t in schema.tables.iter().filter(|t| t.partition_of.is_none()) {
        for c in &t.columns {
            out.push(ColumnSuggestion {
                table: t.name.clone(),
                column: c.name.clone(),
                suggestion: suggest_column(t, c, &person_of),
            });
        }
    }
    out
}

/// Tables about people by lower-case name → the category of their key.
fn person_tables(schema: &Schema) -> BTreeMap<String, &'static str> {
    schema
        .tables
        .iter()
        .filter_map(|t| classify::person_table(&t.name).map(|c| (t.name.to_lowercase(), c)))
        .collect()
}

fn suggest_column(
    t: &Table,
    c: &ddl::Column,
    person_of: &BTreeMap<String, &'static str>,
) -> Option<Suggestion> {
    let own = classify::person_table(&t.name);
    // The table's own key.
    if let (Some(cat), [pk]) = (own, t.primary_key.as_slice())
        && pk.eq_ignore_ascii_case(&c.name)
    {
        return Some(Suggestion {
            category: cat.to_string(),
            reason: Reason::PersonTableKey(t.name.clone()),
        });
    }
    // A foreign key to a table about people.
    for fk in &t.foreign_keys {
        if fk.columns.len() == 1
            && fk.columns[0].eq_ignore_ascii_case(&c.name)
            && let Some(cat) = person_of.get(&fk.table.to_lowercase())
        {
            let to = match fk.ref_columns.first() {
                Some(rc) => format!("{}.{rc}", fk.table),
                None => fk.table.clone(),
            };
            return Some(Suggestion {
                category: cat.to_string(),
                reason: Reason::ForeignKey(to),
            });
        }
    }
    // A column named like a person's key, not a foreign key to a table that is not about
    // people.
    let fk_elsewhere = t
        .foreign_keys
        .iter()
        .any(|fk| fk.columns.iter().any(|x| x.eq_ignore_ascii_case(&c.name)));
    if !fk_elsewhere && let Some(cat) = classify::person_key(&c.name) {
        return Some(Suggestion {
            category: cat.to_string(),
            reason: Reason::Name(c.name.clone()),
        });
    }
    classify::suggest(
        &c.name,
        &c.ty,
        c.comment.as_deref(),
        classify::is_context_table(&t.name),
    )
}

/// A dataset id made from a table name: its letters and digits (any script: `用户` stays
/// `用户`), `-` and `_`; every other character becomes `_`; at most 60 bytes. The id names
/// the dataset's file and, in generated SQL, is quoted (src/sql), so these characters are
/// safe for every generator and folder (src/emit `folder_name`).
fn id_of(s: &str) -> String {
    let id: String = s
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut id = id.trim_matches('_').to_string();
    while id.len() > 60 {
        id.pop();
    }
    if id.is_empty() { "table".into() } else { id }
}

/// A field name (no spaces, backslashes or control characters) made from a column name.
fn field_of(s: &str) -> String {
    let f: String = s
        .chars()
        .map(|c| {
            if c.is_whitespace() || c == '\\' || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    if f.is_empty() { "column".into() } else { f }
}

fn project(schema: &Schema, tables: &[&Table], name: &str, dialect: Dialect) -> Files {
    let mut files = Files::new();
    let person_of = person_tables(schema);
    let schemas: BTreeSet<String> = tables
        .iter()
        .map(|t| t.schema.clone().unwrap_or_default().to_lowercase())
        .collect();
    let several = schemas.len() > 1;
    let mut used: BTreeSet<String> = BTreeSet::new();
    let mut ids: Vec<String> = Vec::new();
    for t in tables {
        let base = match (&t.schema, several) {
            (Some(s), true) => id_of(&format!("{s}_{}", t.name)),
            _ => id_of(&t.name),
        };
        let mut id = base.clone();
        let mut n = 2;
        while !used.insert(id.to_lowercase()) {
            id = format!("{base}_{n}");
            n += 1;
        }
        ids.push(id);
    }
    let file_name = Path::new(name)
        .file_name()
        .map(|f| f.to_string_lossy().to_string())
        .unwrap_or_else(|| name.to_string());
    let mut total = 0usize;
    let mut suggested = 0usize;
    for (t, id) in tables.iter().zip(&ids) {
        let (text, n, s) = dataset(t, id, &person_of, &file_name, dialect);
        total += n;
        suggested += s;
        files.insert(format!("datasets/{id}.yaml"), text);
    }
    let mut w = Writer::new();
    w.comment(&format!(
        "Drafted by `lawful import sql` from {file_name} ({} dialect): {} tables, {total} columns, \
         {suggested} with a suggested category.\nEach suggestion has a review note that `lawful check` \
         reports: review it, then delete the note. docs/import.md explains the draft.",
        dialect.as_str(),
        tables.len()
    ));
    w.raw("version", "1");
    w.blank();
    w.todo(
        "declare the organization, the data subjects (`subjects:`) and the purposes; then name \
         each dataset's `subjects` (docs/language.md)",
    );
    files.insert("lawful.yaml".into(), w.finish());
    files
}

/// The file of one dataset; also the number of columns and of suggestions.
fn dataset(
    t: &Table,
    id: &str,
    person_of: &BTreeMap<String, &'static str>,
    file_name: &str,
    dialect: Dialect,
) -> (String, usize, usize) {
    let mut w = Writer::new();
    let qualified = match &t.schema {
        Some(s) => format!("{s}.{}", t.name),
        None => t.name.clone(),
    };
    w.comment(&format!("Table {qualified}, from {file_name}."));
    w.open("datasets");
    w.open(id);
    if let Some(c) = &t.comment {
        // A title is localized text; the comment goes in the language it is written in.
        let lang = if c.chars().any(is_cjk) { "zh-CN" } else { "en" };
        w.raw("title", &format!("{{ {lang}: {} }}", flow_scalar(c.trim())));
    }
    // storage
    let mut storage = vec![format!("engine: {}", dialect.engine())];
    if let Some(s) = &t.schema {
        let key = if dialect == Dialect::Mysql {
            "database"
        } else {
            "schema"
        };
        storage.push(format!("{key}: {}", flow_scalar(s)));
    }
    storage.push(format!("table: {}", flow_scalar(&t.name)));
    w.raw("storage", &format!("{{ {} }}", storage.join(", ")));

    let suggestions: Vec<Option<Suggestion>> = t
        .columns
        .iter()
        .map(|c| suggest_column(t, c, person_of))
        .collect();
    let fields: Vec<String> = {
        let mut seen = BTreeSet::new();
        t.columns
            .iter()
            .map(|c| {
                let base = field_of(&c.name);
                let mut f = base.clone();
                let mut n = 2;
                while !seen.insert(f.clone()) {
                    f = format!("{base}_{n}");
                    n += 1;
                }
                f
            })
            .collect()
    };
    let field_for = |col: &str| -> Option<&String> {
        t.columns
            .iter()
            .position(|c| c.name.eq_ignore_ascii_case(col))
            .map(|i| &fields[i])
    };

    // Keys: the subject key where the table is about a person, or one column names one.
    let own = classify::person_table(&t.name);
    let person_cols: Vec<usize> = suggestions
        .iter()
        .enumerate()
        .filter(|(_, s)| {
            s.as_ref().is_some_and(|s| {
                is_key_category(&s.category)
                    && matches!(
                        s.reason,
                        Reason::PersonTableKey(_) | Reason::ForeignKey(_) | Reason::Name(_)
                    )
            })
        })
        .map(|(i, _)| i)
        .collect();
    let pk_desc = format!(
        "({})",
        t.primary_key
            .iter()
            .map(|c| field_for(c).cloned().unwrap_or_else(|| c.clone()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    match (own, t.primary_key.as_slice()) {
        (Some(_), [pk]) if field_for(pk).is_some() => {
            w.todo(&format!(
                "review: subject_key suggested from the primary key of \"{}\", a table about people",
                t.name
            ));
            w.scalar("subject_key", field_for(pk).unwrap());
        }
        _ => {
            if person_cols.len() == 1 {
                let f = &fields[person_cols[0]];
                w.todo(&format!(
                    "review: subject_key suggested: \"{f}\" is the only column that identifies a person"
                ));
                w.scalar("subject_key", f);
            } else if person_cols.len() > 1 {
                let names: Vec<&str> = person_cols.iter().map(|i| fields[*i].as_str()).collect();
                w.todo(&format!(
                    "choose the subject_key: several columns identify a person ({})",
                    names.join(", ")
                ));
            }
            if !t.primary_key.is_empty() {
                w.comment(&format!("primary key: {pk_desc}"));
            }
        }
    }
    for fk in &t.foreign_keys {
        let cols: Vec<String> = fk
            .columns
            .iter()
            .map(|c| field_for(c).cloned().unwrap_or_else(|| c.clone()))
            .collect();
        let to: Vec<String> = if fk.ref_columns.is_empty() {
            vec![format!("{}.<primary key>", fk.table)]
        } else {
            fk.ref_columns
                .iter()
                .map(|c| format!("{}.{c}", fk.table))
                .collect()
        };
        w.comment(&format!("joins: {} → {}", cols.join(", "), to.join(", ")));
    }
    if let Some(p) = &t.partition_by {
        w.comment(&format!("partitioned: {p}"));
    }
    if !t.partitions.is_empty() {
        w.comment(&format!(
            "partitions ({}), imported as this one dataset: {}",
            t.partitions.len(),
            t.partitions.join(", ")
        ));
    }
    let unsuggested: Vec<&str> = fields
        .iter()
        .zip(&suggestions)
        .filter(|(_, s)| s.is_none())
        .map(|(f, _)| f.as_str())
        .collect();
    if !unsuggested.is_empty() {
        w.todo(&format!(
            "review: no category suggested for {} of {} columns: {}; give each its categories \
             (`non_personal.operational` for timestamps, flags and other data about no one)",
            unsuggested.len(),
            fields.len(),
            unsuggested.join(", ")
        ));
    }
    if t.columns.is_empty() {
        w.todo("list the fields: the DDL names no columns (`CREATE TABLE … AS SELECT`?)");
        w.raw("fields", "{}");
    } else {
        w.open("fields");
        for ((c, f), s) in t.columns.iter().zip(&fields).zip(&suggestions) {
            if let Some(s) = s {
                w.todo(&format!(
                    "review: suggested {} from {}",
                    s.category,
                    s.reason.describe()
                ));
            }
            let comment = c
                .comment
                .as_deref()
                .map(str::trim)
                .filter(|c| !c.is_empty());
            if s.is_none() && c.ty.is_empty() && comment.is_none() && *f == c.name {
                w.raw(f, "{}");
                continue;
            }
            w.open(f);
            if *f != c.name {
                w.scalar("column", &c.name);
            }
            if let Some(s) = s {
                w.raw("categories", &flow_list(&[s.category.as_str()]));
            }
            if !c.ty.is_empty() {
                w.scalar("type", &c.ty);
            }
            if let Some(cm) = comment {
                w.scalar("description", cm);
            }
            w.close();
        }
        w.close();
    }
    w.close();
    w.close();
    let n = t.columns.len();
    let s = suggestions.iter().filter(|s| s.is_some()).count();
    (w.finish(), n, s)
}

fn is_key_category(c: &str) -> bool {
    matches!(c, "identifier.customer_id" | "account.id" | "identifier")
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3400}'..='\u{4dbf}').contains(&c)
}
