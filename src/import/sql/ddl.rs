//! Reading DDL: the file is cut into statements here (quotes, dollar quotes, comments,
//! MySQL `DELIMITER` and conditional comments, SQL Server `GO` lines), each statement is
//! parsed on its own with sqlparser, and the tables, columns, keys and comments found are
//! collected into a [`Schema`]. A statement sqlparser cannot read is reported and skipped.

use std::collections::BTreeMap;

use sqlparser::ast::RenameTableNameKind;
use sqlparser::ast::{
    AlterTableOperation, ColumnDef, ColumnOption, CommentDef, CommentObject, CreateTable,
    CreateTableOptions, Expr, ObjectName, ObjectType, SqlOption, Statement, TableConstraint,
};
use sqlparser::dialect::{
    Dialect as SqlDialect, MsSqlDialect, MySqlDialect, PostgreSqlDialect, SQLiteDialect,
    SnowflakeDialect,
};
use sqlparser::parser::Parser;

use super::Dialect;

/// One statement of the file: its text (comments kept) and where it starts.
#[derive(Debug, Clone)]
pub struct Stmt {
    pub text: String,
    /// Byte offset of `text` in the file.
    pub base: usize,
    /// Byte offset of the statement's first word in the file.
    pub start: usize,
    /// Byte offset just after its last character (before the delimiter).
    pub end: usize,
}

/// A foreign key: `columns` of this table refer to `columns` of `table`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForeignKey {
    pub columns: Vec<String>,
    /// The referred table, without its schema.
    pub table: String,
    pub schema: Option<String>,
    pub ref_columns: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Column {
    pub name: String,
    /// The SQL type as written (`varchar(20)`, `timestamp with time zone`).
    pub ty: String,
    pub comment: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct Table {
    pub schema: Option<String>,
    pub name: String,
    /// Byte offset of the CREATE TABLE statement.
    pub start: usize,
    pub columns: Vec<Column>,
    pub primary_key: Vec<String>,
    pub foreign_keys: Vec<ForeignKey>,
    pub comment: Option<String>,
    /// `PARTITION BY ...` of this table, as written.
    pub partition_by: Option<String>,
    /// Tables attached to this one as partitions (PostgreSQL `ATTACH PARTITION`,
    /// `PARTITION OF`).
    pub partitions: Vec<String>,
    /// The table this one is a partition of.
    pub partition_of: Option<String>,
}

/// What a statement that could not be read was, for the diagnostic.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub start: usize,
    pub end: usize,
    /// The first words of the statement (`CREATE TABLE foo`).
    pub head: String,
    pub error: String,
    /// Byte offset in the file where the parser stopped, when it says.
    pub error_at: Option<usize>,
    /// It could have defined a table or its columns (a CREATE TABLE or ALTER TABLE).
    pub could_hold_table: bool,
}

/// Part of a CREATE TABLE the parser could not read while the rest of the table was read
/// element by element.
#[derive(Debug, Clone)]
pub struct Partial {
    /// Byte offsets of the element in the file.
    pub start: usize,
    pub end: usize,
    /// The table's name as written.
    pub table: String,
    /// The element as written, on one line.
    pub element: String,
    /// A column was kept with its name and type only (its options were dropped); else the
    /// element was dropped.
    pub kept_type: bool,
    /// The element holds a column or a key (dropping it loses a fact of the project).
    pub matters: bool,
    pub error: String,
}

/// The tables of a DDL file, in the order they were created.
#[derive(Debug, Default)]
pub struct Schema {
    pub tables: Vec<Table>,
    pub skipped: Vec<Skipped>,
    pub partial: Vec<Partial>,
    /// Problems of the file's text itself (an unterminated quote or comment, a lone
    /// `DELIMITER`, a CREATE TABLE inside a statement that is not read): byte offsets.
    pub problems: Vec<Problem>,
}

/// A problem found while cutting the file into statements or choosing what to read.
#[derive(Debug, Clone)]
pub struct Problem {
    pub start: usize,
    pub end: usize,
    /// An error (tables may be missing) rather than a warning.
    pub error: bool,
    pub message: String,
    pub help: String,
}

impl Schema {
    /// Add a table read from `stmt`. A column whose name repeats an earlier one (a misread
    /// statement, often the wrong `--dialect`) is dropped and reported.
    fn push(&mut self, mut t: Table, stmt: &Stmt) {
        let mut seen = std::collections::BTreeSet::new();
        let mut dropped = Vec::new();
        t.columns.retain(|c| {
            let fresh = seen.insert(c.name.to_lowercase());
            if !fresh {
                dropped.push(c.name.clone());
            }
            fresh
        });
        let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        let again = self.tables.iter().any(|x| {
            eq(&x.name, &t.name)
                && eq(
                    x.schema.as_deref().unwrap_or(""),
                    t.schema.as_deref().unwrap_or(""),
                )
        });
        if again {
            let if_not_exists = first_words(&stmt.text, 8)
                .iter()
                .any(|w| w.eq_ignore_ascii_case("EXISTS"));
            self.problems.push(Problem {
                start: stmt.start,
                end: stmt.start + first_words(&stmt.text, 3).join(" ").len(),
                error: !if_not_exists,
                message: format!(
                    "a second CREATE TABLE {}: skipped, the first is imported",
                    t.name
                ),
                help: "remove one of them, or rename one (a DROP TABLE between them is applied)"
                    .into(),
            });
            return;
        }
        for name in dropped {
            self.partial.push(Partial {
                start: stmt.start,
                end: stmt.start + first_words(&stmt.text, 3).join(" ").len(),
                table: t.name.clone(),
                element: name,
                kept_type: false,
                matters: true,
                error:
                    "a second column of this name: the statement was misread (is --dialect right?)"
                        .into(),
            });
        }
        self.tables.push(t);
    }

    /// Apply an ALTER TABLE read from `stmt`, in file order: keys added; columns added,
    /// dropped, renamed or changed; the table renamed. A change to a table no CREATE TABLE
    /// before it creates is a warning (the draft may differ from the database).
    fn alter(&mut self, s: Statement, stmt: &Stmt) {
        let Statement::AlterTable {
            name, operations, ..
        } = s
        else {
            return;
        };
        let (sch, tname) = split_name(&name);
        let changes_columns = operations.iter().any(|op| {
            matches!(
                op,
                AlterTableOperation::AddColumn { .. }
                    | AlterTableOperation::DropColumn { .. }
                    | AlterTableOperation::RenameColumn { .. }
                    | AlterTableOperation::RenameTable { .. }
                    | AlterTableOperation::ChangeColumn { .. }
                    | AlterTableOperation::ModifyColumn { .. }
            )
        });
        let start = stmt.start;
        let end = stmt.start + first_words(&stmt.text, 3).join(" ").len();
        let Some(t) = self.find(sch.as_deref(), &tname) else {
            if changes_columns {
                self.problems.push(Problem {
                    start,
                    end,
                    error: false,
                    message: format!(
                        "ALTER TABLE changes the columns of `{tname}`, which no CREATE TABLE before it creates: not applied, the draft may differ from the database"
                    ),
                    help: "put the CREATE TABLE first, or describe the table by hand".into(),
                });
            }
            return;
        };
        for op in operations {
            match op {
                AlterTableOperation::AddConstraint { constraint, .. } => {
                    add_constraint(t, &constraint);
                }
                AlterTableOperation::AddColumn { column_def, .. }
                    if !t
                        .columns
                        .iter()
                        .any(|c| c.name.eq_ignore_ascii_case(&column_def.name.value)) =>
                {
                    add_column(t, &column_def);
                }
                AlterTableOperation::DropColumn { column_names, .. } => {
                    for n in column_names {
                        t.columns.retain(|c| !c.name.eq_ignore_ascii_case(&n.value));
                        t.primary_key.retain(|c| !c.eq_ignore_ascii_case(&n.value));
                        t.foreign_keys.retain(|fk| {
                            !fk.columns.iter().any(|c| c.eq_ignore_ascii_case(&n.value))
                        });
                    }
                }
                AlterTableOperation::RenameColumn {
                    old_column_name,
                    new_column_name,
                } => rename_column(t, &old_column_name.value, &new_column_name.value),
                AlterTableOperation::ChangeColumn {
                    old_name,
                    new_name,
                    data_type,
                    ..
                } => {
                    rename_column(t, &old_name.value, &new_name.value);
                    if let Some(c) = t
                        .columns
                        .iter_mut()
                        .find(|c| c.name.eq_ignore_ascii_case(&new_name.value))
                    {
                        c.ty = data_type.to_string();
                    }
                }
                AlterTableOperation::ModifyColumn {
                    col_name,
                    data_type,
                    ..
                } => {
                    if let Some(c) = t
                        .columns
                        .iter_mut()
                        .find(|c| c.name.eq_ignore_ascii_case(&col_name.value))
                    {
                        c.ty = data_type.to_string();
                    }
                }
                AlterTableOperation::RenameTable { table_name } => {
                    let (RenameTableNameKind::As(n) | RenameTableNameKind::To(n)) = table_name;
                    let (new_schema, new_name) = split_name(&n);
                    t.name = new_name;
                    if new_schema.is_some() {
                        t.schema = new_schema;
                    }
                }
                _ => {}
            }
        }
    }

    /// `DROP TABLE`: the table leaves the draft (a dump drops before it creates).
    fn drop_table(&mut self, schema: Option<&str>, name: &str) {
        let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        self.tables.retain(|t| {
            !(eq(&t.name, name)
                && match (schema, t.schema.as_deref()) {
                    (Some(a), Some(b)) => eq(a, b),
                    _ => true,
                })
        });
    }

    fn find(&mut self, schema: Option<&str>, name: &str) -> Option<&mut Table> {
        let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
        let exact = self.tables.iter().position(|t| {
            eq(&t.name, name)
                && match (schema, t.schema.as_deref()) {
                    (Some(a), Some(b)) => eq(a, b),
                    _ => true,
                }
        });
        exact.map(move |i| &mut self.tables[i])
    }
}

fn sql_dialect(d: Dialect) -> Box<dyn SqlDialect> {
    match d {
        Dialect::Postgres => Box::new(PostgreSqlDialect {}),
        Dialect::Mysql => Box::new(MySqlDialect {}),
        Dialect::Sqlite => Box::new(SQLiteDialect {}),
        Dialect::Mssql => Box::new(MsSqlDialect {}),
        Dialect::Snowflake => Box::new(SnowflakeDialect {}),
    }
}

/// Read the DDL `text` written in `dialect`.
pub fn read(text: &str, dialect: Dialect) -> Schema {
    let d = sql_dialect(dialect);
    let mut schema = Schema::default();
    let mut comments: Vec<(Statement, usize)> = Vec::new();
    let (mut stmts, problems) = split_checked(text, dialect);
    schema.problems = problems;
    if dialect == Dialect::Mssql {
        // T-SQL needs no `;` between statements: a CREATE TABLE at the start of a line
        // starts a statement.
        let mut cut = Vec::new();
        for mut stmt in stmts {
            let upper: Vec<String> = first_words(&stmt.text, 6)
                .iter()
                .map(|w| w.to_ascii_uppercase())
                .collect();
            while let Some(at) = hidden_create_table(&stmt, &upper) {
                let rel = at - stmt.base;
                let rest = Stmt {
                    text: stmt.text[rel..].to_string(),
                    base: at,
                    start: at,
                    end: stmt.end,
                };
                stmt.text.truncate(rel);
                stmt.end = at;
                cut.push(stmt);
                stmt = rest;
            }
            cut.push(stmt);
        }
        stmts = cut;
    }
    for stmt in stmts {
        let words = first_words(&stmt.text, 6);
        let upper: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
        let kind = Kind::of(&upper);
        if let Some(at) = hidden_create_table(&stmt, &upper) {
            schema.problems.push(Problem {
                    start: at,
                    end: at + "CREATE".len(),
                    error: true,
                    message: format!(
                        "a CREATE TABLE inside the statement `{}` is not read",
                        head_of(&words)
                    ),
                    help: "end the statement before it with its delimiter (`;`), or import the table by hand".into(),
                });
        }
        if kind == Kind::Other {
            // SET, SELECT, INSERT, GRANT, CREATE FUNCTION, CREATE INDEX...: nothing a
            // project needs; not parsed, so a dump's many non-standard statements cost
            // nothing and raise nothing.
            continue;
        }
        if kind == Kind::AlterTable
            && let Some((parent, child)) = attach_partition(&stmt.text)
        {
            if let Some(t) = schema.find(None, &parent) {
                t.partitions.push(child.clone());
                if let Some(t) = schema.find(None, &child) {
                    t.partition_of = Some(parent);
                }
            } else {
                // The child stays a dataset of its own.
                schema.problems.push(Problem {
                    start: stmt.start,
                    end: stmt.start + first_words(&stmt.text, 3).join(" ").len(),
                    error: false,
                    message: format!(
                        "ALTER TABLE attaches `{child}` as a partition of `{parent}`, which no CREATE TABLE before it creates: `{child}` is imported as a table of its own"
                    ),
                    help: "put the parent's CREATE TABLE first".into(),
                });
            }
            continue;
        }
        if kind == Kind::CreateTable
            && let Some(at) = upper
                .windows(2)
                .position(|w| w[0] == "PARTITION" && w[1] == "OF")
            && at >= 3
            && let Some(parent) = words.get(at + 2)
        {
            // `CREATE TABLE child PARTITION OF parent FOR VALUES ...` (PostgreSQL): folded
            // into the parent.
            let (sch, name) = split_dotted(&words[at - 1]);
            schema.tables.push(Table {
                schema: sch,
                name,
                start: stmt.start,
                partition_of: Some(split_dotted(parent).1),
                ..Table::default()
            });
            continue;
        }
        let mut stmt = stmt;
        if kind == Kind::CreateTable
            && upper.get(1).is_some_and(|w| w == "UNLOGGED")
            && let Some(at) = stmt.text.to_ascii_uppercase().find("UNLOGGED")
        {
            // `CREATE UNLOGGED TABLE` (pg_dump): sqlparser 0.59 does not know the word;
            // blanked, so that positions stay right.
            stmt.text
                .replace_range(at..at + "UNLOGGED".len(), "        ");
        }
        match Parser::parse_sql(d.as_ref(), &stmt.text) {
            Ok(parsed) => {
                for s in parsed {
                    match s {
                        Statement::CreateTable(ct) => {
                            let t = table_of(&ct, stmt.start, &stmt.text);
                            schema.push(t, &stmt);
                        }
                        s @ Statement::AlterTable { .. } => schema.alter(s, &stmt),
                        Statement::CreateVirtualTable {
                            name, module_name, ..
                        } => {
                            let (_, tname) = split_name(&name);
                            schema.problems.push(Problem {
                                start: stmt.start,
                                end: stmt.start + first_words(&stmt.text, 4).join(" ").len(),
                                error: false,
                                message: format!(
                                    "the virtual table `{tname}` (USING {module_name}) is not imported"
                                ),
                                help: "a virtual table (a full-text index, a module's view) usually copies columns of another table; if it holds personal data, describe it by hand".into(),
                            });
                        }
                        Statement::Drop {
                            object_type: ObjectType::Table,
                            names,
                            ..
                        } => {
                            for n in names {
                                let (sch, tname) = split_name(&n);
                                schema.drop_table(sch.as_deref(), &tname);
                            }
                        }
                        s @ Statement::Comment { .. } => comments.push((s, stmt.start)),
                        _ => {}
                    }
                }
            }
            Err(e) => {
                // MySQL and others accept table options sqlparser does not know; a CREATE
                // TABLE whose column list reads is imported from that list.
                if kind == Kind::CreateTable
                    && let Some(ct) = retry_without_options(d.as_ref(), &stmt.text)
                {
                    let mut t = table_of(&ct, stmt.start, &stmt.text);
                    if t.partition_by.is_none() {
                        t.partition_by = partition_clause(&stmt.text);
                    }
                    if t.comment.is_none() {
                        t.comment = comment_option(&stmt.text);
                    }
                    schema.push(t, &stmt);
                    continue;
                }
                if kind == Kind::CreateTable
                    && let Some((ct, partial)) = element_by_element(d.as_ref(), &stmt)
                {
                    let mut t = table_of(&ct, stmt.start, &stmt.text);
                    if t.partition_by.is_none() {
                        t.partition_by = partition_clause(&stmt.text);
                    }
                    if t.comment.is_none() {
                        t.comment = comment_option(&stmt.text);
                    }
                    schema.push(t, &stmt);
                    schema.partial.extend(partial);
                    continue;
                }
                if kind == Kind::CreateTable
                    && let Some(t) = create_like(&schema, &stmt, &upper, &words)
                {
                    schema.push(t, &stmt);
                    continue;
                }
                if kind == Kind::AlterTable && !alter_may_matter(&stmt.text) {
                    // Defaults, owners, triggers, storage: nothing a project holds.
                    continue;
                }
                let error = e.to_string();
                schema.skipped.push(Skipped {
                    start: stmt.start,
                    end: stmt.end,
                    head: head_of(&words),
                    error_at: error_offset(&stmt, &error),
                    error,
                    could_hold_table: kind != Kind::Comment,
                });
            }
        }
    }
    for (s, _) in comments {
        if let Statement::Comment {
            object_type,
            object_name,
            comment,
            ..
        } = s
        {
            let parts: Vec<String> = object_name.0.iter().map(part_name).collect();
            match object_type {
                CommentObject::Table => {
                    let (sch, tname) = split_name(&object_name);
                    if let Some(t) = schema.find(sch.as_deref(), &tname) {
                        t.comment = comment;
                    }
                }
                CommentObject::Column if parts.len() >= 2 => {
                    let col = parts[parts.len() - 1].clone();
                    let tname = parts[parts.len() - 2].clone();
                    let sch = (parts.len() >= 3).then(|| parts[parts.len() - 3].clone());
                    if let Some(t) = schema.find(sch.as_deref(), &tname)
                        && let Some(c) = t
                            .columns
                            .iter_mut()
                            .find(|c| c.name.eq_ignore_ascii_case(&col))
                    {
                        c.comment = comment;
                    }
                }
                _ => {}
            }
        }
    }
    // Children created with `PARTITION OF` name their parent.
    let links: Vec<(String, String)> = schema
        .tables
        .iter()
        .filter_map(|t| t.partition_of.clone().map(|p| (p, t.name.clone())))
        .collect();
    for (parent, child) in links {
        match schema.find(None, &parent) {
            Some(p) => {
                if !p.partitions.contains(&child) {
                    p.partitions.push(child);
                }
            }
            None => {
                let start = schema
                    .tables
                    .iter()
                    .find(|t| t.name == child)
                    .map_or(0, |t| t.start);
                schema.problems.push(Problem {
                    start,
                    end: start + "CREATE TABLE".len(),
                    error: false,
                    message: format!(
                        "`{child}` is a partition of `{parent}`, which the file does not create: `{child}` is not imported"
                    ),
                    help: format!("add the CREATE TABLE of `{parent}`, or describe the data by hand"),
                });
            }
        }
    }
    schema
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    CreateTable,
    AlterTable,
    DropTable,
    Comment,
    Other,
}

impl Kind {
    fn of(upper: &[String]) -> Kind {
        let w = |i: usize| upper.get(i).map(String::as_str).unwrap_or("");
        match w(0) {
            "CREATE" => {
                let mut i = 1;
                if w(i) == "OR" && w(i + 1) == "REPLACE" {
                    i += 2;
                }
                while matches!(
                    w(i),
                    "GLOBAL"
                        | "LOCAL"
                        | "TEMP"
                        | "TEMPORARY"
                        | "UNLOGGED"
                        | "TRANSIENT"
                        | "VOLATILE"
                        | "EXTERNAL"
                        | "VIRTUAL"
                ) {
                    i += 1;
                }
                if w(i) == "TABLE" {
                    Kind::CreateTable
                } else {
                    Kind::Other
                }
            }
            "ALTER" if w(1) == "TABLE" => Kind::AlterTable,
            "DROP" if w(1) == "TABLE" => Kind::DropTable,
            "COMMENT" if w(1) == "ON" && matches!(w(2), "TABLE" | "COLUMN") => Kind::Comment,
            _ => Kind::Other,
        }
    }
}

/// The file offset of a `CREATE TABLE` at the start of a line inside a statement that is not
/// read (one that swallowed it: a missing `;`, a stray word), not in a routine's body.
fn hidden_create_table(stmt: &Stmt, upper: &[String]) -> Option<usize> {
    let w0 = upper.first().map(String::as_str).unwrap_or("");
    let body = [
        "FUNCTION",
        "PROCEDURE",
        "TRIGGER",
        "EVENT",
        "PACKAGE",
        "RULE",
    ];
    if w0 == "DO" || (w0 == "CREATE" && upper.iter().take(5).any(|w| body.contains(&w.as_str()))) {
        return None;
    }
    let mut off = 0;
    for line in stmt.text.split_inclusive('\n') {
        let t = line.trim_start();
        let words: Vec<String> = first_words(t, 4)
            .iter()
            .map(|w| w.to_ascii_uppercase())
            .collect();
        if stmt.base + off > stmt.start && Kind::of(&words) == Kind::CreateTable {
            return Some(stmt.base + off + (line.len() - t.len()));
        }
        off += line.len();
    }
    None
}

/// `ALTER TABLE [ONLY] parent ATTACH PARTITION child ...` (PostgreSQL), which sqlparser
/// 0.59 does not read.
fn attach_partition(text: &str) -> Option<(String, String)> {
    let words = first_words(text, 8);
    let up: Vec<String> = words.iter().map(|w| w.to_ascii_uppercase()).collect();
    let mut i = 2;
    if up.get(i).map(String::as_str) == Some("ONLY") {
        i += 1;
    }
    if up.get(i + 1).map(String::as_str) == Some("ATTACH")
        && up.get(i + 2).map(String::as_str) == Some("PARTITION")
    {
        let last = |s: &String| unquote(s.rsplit('.').next().unwrap_or(s));
        Some((last(&words[i]), last(words.get(i + 3)?)))
    } else {
        None
    }
}

fn unquote(s: &str) -> String {
    s.trim_matches(|c| matches!(c, '"' | '`' | '[' | ']'))
        .to_string()
}

/// Cut everything after the column list's closing parenthesis (table options, partitions)
/// and parse again.
fn retry_without_options(d: &dyn SqlDialect, text: &str) -> Option<Box<CreateTable>> {
    let close = column_list_end(text)?;
    let cut = &text[..=close];
    match Parser::parse_sql(d, cut).ok()?.into_iter().next()? {
        Statement::CreateTable(ct) => Some(Box::new(ct)),
        _ => None,
    }
}

/// `CREATE TABLE t (LIKE s INCLUDING ALL)` (PostgreSQL), which sqlparser 0.59 does not
/// read: `t` gets the columns and primary key of `s`, read before it.
fn create_like(schema: &Schema, stmt: &Stmt, upper: &[String], words: &[String]) -> Option<Table> {
    let paren = upper.iter().position(|w| w == "(")?;
    if upper.get(paren + 1).map(String::as_str) != Some("LIKE") {
        return None;
    }
    let name = words.get(paren - 1)?;
    let src = words.get(paren + 2)?;
    let (src_schema, src_name) = split_dotted(src);
    let found = schema.tables.iter().find(|t| {
        t.name.eq_ignore_ascii_case(&src_name)
            && src_schema.as_deref().is_none_or(|s| {
                t.schema
                    .as_deref()
                    .is_none_or(|x| x.eq_ignore_ascii_case(s))
            })
    })?;
    let (sch, tname) = split_dotted(name);
    Some(Table {
        schema: sch,
        name: tname,
        start: stmt.start,
        columns: found.columns.clone(),
        primary_key: found.primary_key.clone(),
        comment: None,
        ..Table::default()
    })
}

/// (schema, name) of `schema.name` as written, quotes removed.
fn split_dotted(s: &str) -> (Option<String>, String) {
    let s = s.trim_end_matches([')', ',', ';']);
    match s.rsplit_once('.') {
        Some((a, b)) => (Some(unquote(a.rsplit('.').next().unwrap_or(a))), unquote(b)),
        None => (None, unquote(s)),
    }
}

/// The words that name a statement: up to its first parenthesis, at most five.
fn head_of(words: &[String]) -> String {
    words
        .iter()
        .take_while(|w| !w.starts_with('('))
        .take(5)
        .cloned()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The file offset of sqlparser's "at Line: L, Column: C" (counted in the statement's text).
fn error_offset(stmt: &Stmt, error: &str) -> Option<usize> {
    let at = error.rfind("at Line: ")?;
    let rest = &error[at + 9..];
    let (l, c) = rest.split_once(", Column: ")?;
    let line: usize = l.trim().parse().ok()?;
    let col: usize = c
        .trim()
        .trim_end_matches(|ch: char| !ch.is_ascii_digit())
        .parse()
        .ok()?;
    let mut off = 0;
    for _ in 1..line {
        off += stmt.text[off..].find('\n')? + 1;
    }
    let in_line: usize = stmt.text[off..]
        .chars()
        .take(col.saturating_sub(1))
        .map(char::len_utf8)
        .sum();
    Some(stmt.base + off + in_line)
}

/// An ALTER TABLE that adds or changes columns or keys (one that only sets a default, an
/// owner or a trigger does not).
fn alter_may_matter(text: &str) -> bool {
    let up = text.to_ascii_uppercase();
    let words: Vec<&str> = up.split_whitespace().collect();
    ["PRIMARY", "FOREIGN", "REFERENCES", "COLUMN", "RENAME"]
        .iter()
        .any(|k| words.iter().any(|w| w.starts_with(k)))
        || (words.contains(&"ADD") && !words.contains(&"CONSTRAINT"))
}

/// Read a CREATE TABLE whose whole text the parser refuses one element (column or
/// constraint) at a time: an element that still fails is read as its column name and type
/// alone, or else dropped; each is reported in the second value. `None` when no column can
/// be read at all.
fn element_by_element(d: &dyn SqlDialect, stmt: &Stmt) -> Option<(Box<CreateTable>, Vec<Partial>)> {
    let text = &stmt.text;
    let open = text.find('(')?;
    let close = column_list_end(text)?;
    let header = &text[..open];
    let one = |elems: &str| -> Option<CreateTable> {
        match Parser::parse_sql(d, &format!("{header}({elems})"))
            .ok()?
            .into_iter()
            .next()?
        {
            Statement::CreateTable(ct) => Some(ct),
            _ => None,
        }
    };
    let table = first_words(header, 6).last().cloned().unwrap_or_default();
    let mut ok: Vec<String> = Vec::new();
    let mut partial = Vec::new();
    let elems = top_level_commas(&text[open + 1..close]);
    let n = elems.len();
    for (k, (off, elem)) in elems.into_iter().enumerate() {
        let trimmed = elem.trim();
        if trimmed.is_empty() {
            if k + 1 < n {
                // `a int,, b int`: no database reads it; the statement is refused.
                return None;
            }
            continue;
        }
        let lead = elem.len() - elem.trim_start().len();
        let start = stmt.base + open + 1 + off + lead;
        let flat = trimmed.split_whitespace().collect::<Vec<_>>().join(" ");
        let err = match Parser::parse_sql(d, &format!("{header}({trimmed})")) {
            Ok(_) => {
                ok.push(trimmed.to_string());
                continue;
            }
            Err(e) => first_line_of(&e.to_string()),
        };
        let first = first_words(trimmed, 1)
            .first()
            .cloned()
            .unwrap_or_default()
            .to_ascii_uppercase();
        let is_constraint = matches!(
            first.as_str(),
            "CONSTRAINT"
                | "PRIMARY"
                | "FOREIGN"
                | "UNIQUE"
                | "KEY"
                | "INDEX"
                | "CHECK"
                | "FULLTEXT"
                | "SPATIAL"
                | "EXCLUDE"
        );
        let mut kept = false;
        if !is_constraint
            && let Some(min) = name_and_type(trimmed)
            && one(&min).is_some()
        {
            ok.push(min);
            kept = true;
        }
        let up = flat.to_ascii_uppercase();
        partial.push(Partial {
            start,
            end: start + trimmed.len(),
            table: table.clone(),
            element: flat,
            kept_type: kept,
            matters: !is_constraint || up.contains("PRIMARY") || up.contains("FOREIGN"),
            error: err,
        });
    }
    if ok.is_empty() {
        return None;
    }
    let ct = one(&ok.join(",\n"))?;
    Some((Box::new(ct), partial))
}

fn first_line_of(s: &str) -> String {
    s.lines().next().unwrap_or("").to_string()
}

/// `name type(args)` of a column definition: the words after the name up to the first
/// column option keyword.
fn name_and_type(elem: &str) -> Option<String> {
    const STOP: &[&str] = &[
        "NOT",
        "NULL",
        "DEFAULT",
        "PRIMARY",
        "UNIQUE",
        "REFERENCES",
        "CHECK",
        "GENERATED",
        "COLLATE",
        "CONSTRAINT",
        "COMMENT",
        "AUTO_INCREMENT",
        "IDENTITY",
        "BINARY",
        "CHARACTER",
        "CHARSET",
        "ON",
        "AS",
        "STORED",
        "VIRTUAL",
        "UNSIGNED",
        "ZEROFILL",
    ];
    let mut words = elem.split_whitespace();
    let name = words.next()?;
    let mut ty = Vec::new();
    let mut depth = 0i32;
    for w in words {
        if depth == 0 && STOP.contains(&w.to_ascii_uppercase().as_str()) && !ty.is_empty() {
            break;
        }
        depth += w.matches('(').count() as i32 - w.matches(')').count() as i32;
        ty.push(w);
    }
    Some(format!("{name} {}", ty.join(" ")).trim().to_string())
}

/// Split a column list at its top-level commas: (offset, element) pairs.
fn top_level_commas(s: &str) -> Vec<(usize, &str)> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut depth = 0i32;
    let mut quote: Option<u8> = None;
    let mut from = 0;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == q {
                quote = None;
            }
        } else {
            match c {
                b'\'' | b'"' | b'`' => quote = Some(c),
                b'(' => depth += 1,
                b')' => depth -= 1,
                b',' if depth == 0 => {
                    out.push((from, &s[from..i]));
                    from = i + 1;
                }
                _ => {}
            }
        }
        i += 1;
    }
    out.push((from, &s[from..]));
    out
}

/// Byte offset of the `)` that closes the first parenthesised list of `text`.
fn column_list_end(text: &str) -> Option<usize> {
    let open = text.find('(')?;
    let mut depth = 0i32;
    let b = text.as_bytes();
    let mut i = open;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' && q == b'\'' {
                i += 2;
                continue;
            }
            if c == q {
                quote = None;
            }
        } else {
            match c {
                b'\'' | b'"' | b'`' => quote = Some(c),
                b'(' => depth += 1,
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i);
                    }
                }
                _ => {}
            }
        }
        i += 1;
    }
    None
}

/// The table's `COMMENT [=] '...'` option after the column list (MySQL), when the parser
/// could not read the options.
fn comment_option(text: &str) -> Option<String> {
    let end = column_list_end(text)?;
    let rest = &text[end + 1..];
    let at = rest.to_ascii_uppercase().find("COMMENT")?;
    let after = rest[at + 7..].trim_start();
    let after = after.strip_prefix('=').unwrap_or(after).trim_start();
    let body = after.strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.extend(chars.next()),
            '\'' if chars.peek() == Some(&'\'') => {
                chars.next();
                out.push('\'');
            }
            '\'' => return Some(out),
            c => out.push(c),
        }
    }
    None
}

/// The `PARTITION BY ...` clause after the column list, if any, on one line.
fn partition_clause(text: &str) -> Option<String> {
    let end = column_list_end(text)?;
    let rest = &text[end + 1..];
    let up = rest.to_ascii_uppercase();
    let at = up.find("PARTITION BY")?;
    let clause = &rest[at..];
    // Up to the partition list or the end of the line.
    let stop = clause.find(['\n', ';']).unwrap_or(clause.len()).min(
        column_list_end(clause)
            .map(|e| e + 1)
            .unwrap_or(clause.len()),
    );
    Some(
        clause[..stop]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
    )
}

fn part_name(p: &sqlparser::ast::ObjectNamePart) -> String {
    match p.as_ident() {
        Some(i) => i.value.clone(),
        None => p.to_string(),
    }
}

/// (schema, table) of a possibly qualified name: `public.customer`, `db.dbo.Customer`.
fn split_name(n: &ObjectName) -> (Option<String>, String) {
    let parts: Vec<String> = n.0.iter().map(part_name).collect();
    let name = parts.last().cloned().unwrap_or_default();
    let schema = (parts.len() >= 2).then(|| parts[parts.len() - 2].clone());
    (schema, name)
}

/// A column of a CREATE TABLE or ALTER TABLE ADD COLUMN: its name, type, comment, and the
/// key it declares inline.
fn add_column(t: &mut Table, c: &ColumnDef) {
    let mut col = Column {
        name: c.name.value.clone(),
        ty: c.data_type.to_string(),
        comment: None,
    };
    for o in &c.options {
        match &o.option {
            ColumnOption::Comment(s) => col.comment = Some(s.clone()),
            ColumnOption::Unique {
                is_primary: true, ..
            } => t.primary_key = vec![c.name.value.clone()],
            ColumnOption::ForeignKey {
                foreign_table,
                referred_columns,
                ..
            } => {
                let (sch, tab) = split_name(foreign_table);
                t.foreign_keys.push(ForeignKey {
                    columns: vec![c.name.value.clone()],
                    table: tab,
                    schema: sch,
                    ref_columns: referred_columns.iter().map(|i| i.value.clone()).collect(),
                });
            }
            _ => {}
        }
    }
    t.columns.push(col);
}

fn rename_column(t: &mut Table, old: &str, new: &str) {
    let eq = |a: &str| a.eq_ignore_ascii_case(old);
    for c in t.columns.iter_mut().filter(|c| eq(&c.name)) {
        c.name = new.to_string();
    }
    for k in t.primary_key.iter_mut().filter(|k| eq(k)) {
        *k = new.to_string();
    }
    for fk in &mut t.foreign_keys {
        for k in fk.columns.iter_mut().filter(|k| eq(k)) {
            *k = new.to_string();
        }
    }
}

fn table_of(ct: &CreateTable, start: usize, text: &str) -> Table {
    let (schema, name) = split_name(&ct.name);
    let mut t = Table {
        schema,
        name,
        start,
        ..Table::default()
    };
    for c in &ct.columns {
        add_column(&mut t, c);
    }
    for k in &ct.constraints {
        add_constraint(&mut t, k);
    }
    t.comment = match &ct.comment {
        Some(CommentDef::WithEq(s) | CommentDef::WithoutEq(s)) => Some(s.clone()),
        None => None,
    };
    let opts = match &ct.table_options {
        CreateTableOptions::With(o)
        | CreateTableOptions::Options(o)
        | CreateTableOptions::Plain(o)
        | CreateTableOptions::TableProperties(o) => o.as_slice(),
        CreateTableOptions::None => &[],
    };
    for o in opts {
        if let SqlOption::Comment(CommentDef::WithEq(s) | CommentDef::WithoutEq(s)) = o {
            t.comment = Some(s.clone());
        }
    }
    if let Some(p) = &ct.partition_by {
        t.partition_by = Some(format!("PARTITION BY {p}"));
    }
    if t.partition_by.is_none() {
        t.partition_by = partition_clause(text);
    }
    t
}

fn add_constraint(t: &mut Table, k: &TableConstraint) {
    match k {
        TableConstraint::PrimaryKey { columns, .. } => {
            t.primary_key = columns
                .iter()
                .map(|c| match &c.column.expr {
                    Expr::Identifier(i) => i.value.clone(),
                    e => e.to_string(),
                })
                .collect();
        }
        TableConstraint::ForeignKey {
            columns,
            foreign_table,
            referred_columns,
            ..
        } => {
            let (sch, tab) = split_name(foreign_table);
            let fk = ForeignKey {
                columns: columns.iter().map(|i| i.value.clone()).collect(),
                table: tab,
                schema: sch,
                ref_columns: referred_columns.iter().map(|i| i.value.clone()).collect(),
            };
            if !t.foreign_keys.contains(&fk) {
                t.foreign_keys.push(fk);
            }
        }
        _ => {}
    }
}

/// The first `n` words of a statement, comments skipped (for naming it in messages).
pub fn first_words(text: &str, n: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = text;
    while out.len() < n {
        rest = skip_space_and_comments(rest);
        if rest.is_empty() {
            break;
        }
        let end = rest
            .find(|c: char| c.is_whitespace() || c == '(' || c == ';' || c == ',')
            .unwrap_or(rest.len());
        let end = if end == 0 {
            rest.chars().next().map(char::len_utf8).unwrap_or(1)
        } else {
            end
        };
        out.push(rest[..end].to_string());
        rest = &rest[end..];
    }
    out
}

fn skip_space_and_comments(mut s: &str) -> &str {
    loop {
        let t = s.trim_start();
        if let Some(r) = t.strip_prefix("--") {
            s = r.find('\n').map(|i| &r[i..]).unwrap_or("");
        } else if let Some(r) = t.strip_prefix("/*") {
            s = r.find("*/").map(|i| &r[i + 2..]).unwrap_or("");
        } else {
            return t;
        }
    }
}

/// Cut `text` into statements: at the delimiter (`;`, or what a MySQL `DELIMITER` line
/// sets) outside quotes, dollar quotes and comments, and at SQL Server `GO` and SQL*Plus `/` lines. MySQL
/// conditional comments (`/*!40101 SET ... */`) are treated as comments: they hold session
/// settings in dumps. Statements holding only comments are dropped.
pub fn split(text: &str, dialect: Dialect) -> Vec<Stmt> {
    split_checked(text, dialect).0
}

/// [`split`], with the problems of the text: an unterminated comment, quote or dollar
/// quote (an error at its opening; the opening is then read as plain text so that the rest
/// of the file is still cut) and a `DELIMITER` line without a delimiter.
pub fn split_checked(text: &str, dialect: Dialect) -> (Vec<Stmt>, Vec<Problem>) {
    let b = text.as_bytes();
    let mut problems: Vec<Problem> = Vec::new();
    let unterminated =
        |problems: &mut Vec<Problem>, at: usize, len: usize, what: &str, close: &str| {
            problems.push(Problem {
                start: at,
                end: at + len,
                error: true,
                message: format!(
                    "this {what} is never closed; the statements after it may be misread"
                ),
                help: format!("close it with `{close}`"),
            });
        };
    let mut out = Vec::new();
    let mut delim: Vec<u8> = b";".to_vec();
    let mut cur = String::new();
    let mut cur_start: Option<usize> = None;
    let mut cur_base = 0usize;
    let mut i = 0;
    let mysql = dialect == Dialect::Mysql;
    let mut at_line_start = true;
    let push = |out: &mut Vec<Stmt>,
                cur: &mut String,
                start: &mut Option<usize>,
                base: &mut usize,
                end: usize,
                next: usize| {
        if let Some(s) = start.take()
            && !skip_space_and_comments(cur).is_empty()
        {
            out.push(Stmt {
                text: std::mem::take(cur),
                base: *base,
                start: s,
                end,
            });
        }
        cur.clear();
        *base = next;
    };
    while i < b.len() {
        if at_line_start {
            // Line-level commands: `DELIMITER x` (MySQL client), `GO` (SQL Server tools).
            let line_end = text[i..].find('\n').map(|e| i + e).unwrap_or(b.len());
            let line = text[i..line_end].trim();
            let up = line.to_ascii_uppercase();
            if mysql && up == "DELIMITER" {
                problems.push(Problem {
                    start: i + (text[i..line_end].len() - text[i..line_end].trim_start().len()),
                    end: i + text[i..line_end].trim_end().len(),
                    error: true,
                    message: format!(
                        "`DELIMITER` names no delimiter; `{}` is kept",
                        String::from_utf8_lossy(&delim)
                    ),
                    help: "write the delimiter after it, e.g. `DELIMITER ;`".into(),
                });
                push(
                    &mut out,
                    &mut cur,
                    &mut cur_start,
                    &mut cur_base,
                    i,
                    line_end,
                );
                i = line_end;
                continue;
            }
            if mysql && up.starts_with("DELIMITER ") {
                push(
                    &mut out,
                    &mut cur,
                    &mut cur_start,
                    &mut cur_base,
                    i,
                    line_end,
                );
                delim = line[10..].trim().as_bytes().to_vec();
                i = line_end;
                continue;
            }
            // `/` alone on a line ends a block in Oracle's SQL*Plus scripts.
            if up == "GO"
                || up == "/"
                || up.starts_with("GO ") && up[3..].trim().parse::<u32>().is_ok()
            {
                push(
                    &mut out,
                    &mut cur,
                    &mut cur_start,
                    &mut cur_base,
                    i,
                    line_end,
                );
                i = line_end;
                continue;
            }
        }
        let c = b[i];
        at_line_start = c == b'\n';
        if b[i..].starts_with(&delim) {
            push(
                &mut out,
                &mut cur,
                &mut cur_start,
                &mut cur_base,
                i,
                i + delim.len(),
            );
            i += delim.len();
            continue;
        }
        // Skip a span of `len` bytes into the statement text (or blank it).
        let take = |len: usize, cur: &mut String, start: &mut Option<usize>, blank: bool| {
            let piece = &text[i..(i + len).min(text.len())];
            if blank {
                for ch in piece.chars() {
                    cur.push(if ch == '\n' { '\n' } else { ' ' });
                }
            } else {
                if start.is_none() && !piece.trim().is_empty() {
                    *start = Some(i + (piece.len() - piece.trim_start().len()));
                }
                cur.push_str(piece);
            }
        };
        let len = if b[i..].starts_with(b"--") || (mysql && c == b'#') {
            let e = text[i..].find('\n').unwrap_or(b.len() - i);
            take(e, &mut cur, &mut cur_start, true);
            e
        } else if b[i..].starts_with(b"/*")
            && let Some(e) =
                block_comment_len(&text[i..], dialect == Dialect::Postgres).or_else(|| {
                    // Read as a comment to the end of its line, so that the statements
                    // after it are still read.
                    unterminated(&mut problems, i, 2, "comment `/*`", "*/");
                    Some(text[i..].find('\n').unwrap_or(b.len() - i))
                })
        {
            // mysqldump writes a table's partitions in a conditional comment
            // (`/*!50100 PARTITION BY ... */`): keep those words, blank the rest.
            let inner = text[i..i + e].strip_prefix("/*!").map(|r| {
                let r = r.strip_suffix("*/").unwrap_or(r);
                r.trim_start_matches(|c: char| c.is_ascii_digit())
            });
            match inner {
                Some(body)
                    if body
                        .trim_start()
                        .to_ascii_uppercase()
                        .starts_with("PARTITION") =>
                {
                    // Same length as the comment, so that positions stay right.
                    let closing = if text[i..i + e].ends_with("*/") { 2 } else { 0 };
                    cur.push_str(&" ".repeat(e - body.len() - closing));
                    cur.push_str(body);
                    cur.push_str(&" ".repeat(closing));
                }
                _ => take(e, &mut cur, &mut cur_start, true),
            }
            e
        } else if (c == b'\'' || c == b'"' || c == b'`' || (c == b'[' && dialect == Dialect::Mssql))
            && let Some(e) = quote_len(text, i, dialect).or_else(|| {
                let what = match c {
                    b'[' => "bracketed name `[`",
                    b'\'' => "string `'`",
                    b'"' => "quoted name `\"`",
                    _ => "quoted name `` ` ``",
                };
                let close = match c {
                    b'[' => "]",
                    b'\'' => "'",
                    b'"' => "\"",
                    _ => "`",
                };
                unterminated(&mut problems, i, 1, what, close);
                None
            })
        {
            take(e, &mut cur, &mut cur_start, false);
            e
        } else if c == b'$'
            && let Some(tag) = dollar_tag(&text[i..])
        {
            let body = i + tag.len();
            match text[body..].find(tag) {
                Some(e) => {
                    let e = body + e + tag.len() - i;
                    take(e, &mut cur, &mut cur_start, false);
                    e
                }
                None => {
                    unterminated(
                        &mut problems,
                        i,
                        tag.len(),
                        &format!("dollar quote `{tag}`"),
                        tag,
                    );
                    take(1, &mut cur, &mut cur_start, false);
                    1
                }
            }
        } else {
            let l = text[i..].chars().next().map(char::len_utf8).unwrap_or(1);
            take(l, &mut cur, &mut cur_start, false);
            l
        };
        if len > 0 && text[i..i + len].contains('\n') {
            at_line_start = text[i..i + len].ends_with('\n');
        }
        i += len.max(1);
    }
    push(
        &mut out,
        &mut cur,
        &mut cur_start,
        &mut cur_base,
        b.len(),
        b.len(),
    );
    (out, problems)
}

/// The length of the block comment at the start of `s` (`/*` … `*/`, nested when
/// `nested`, as PostgreSQL reads them); `None` when it is never closed.
fn block_comment_len(s: &str, nested: bool) -> Option<usize> {
    let b = s.as_bytes();
    let mut depth = 0usize;
    let mut j = 0;
    while j + 1 < b.len() {
        if b[j] == b'/' && b[j + 1] == b'*' && (nested || depth == 0) {
            depth += 1;
            j += 2;
        } else if b[j] == b'*' && b[j + 1] == b'/' {
            depth -= 1;
            j += 2;
            if depth == 0 {
                return Some(j);
            }
        } else {
            j += 1;
        }
    }
    None
}

/// The length of the quoted string or name opening at byte `i` of `text`; `None` when it is
/// never closed. A doubled closing character is part of it; a backslash escapes the next
/// character in MySQL and Snowflake strings and in PostgreSQL `E'…'` strings.
fn quote_len(text: &str, i: usize, dialect: Dialect) -> Option<usize> {
    let b = text.as_bytes();
    let c = b[i];
    let close = if c == b'[' { b']' } else { c };
    let e_string = dialect == Dialect::Postgres
        && i > 0
        && matches!(b[i - 1], b'E' | b'e')
        && (i < 2 || !(b[i - 2].is_ascii_alphanumeric() || b[i - 2] == b'_'));
    let backslash =
        c == b'\'' && (matches!(dialect, Dialect::Mysql | Dialect::Snowflake) || e_string);
    let mut j = i + 1;
    while j < b.len() {
        if b[j] == b'\\' && backslash {
            j += 2;
            continue;
        }
        if b[j] == close {
            if j + 1 < b.len() && b[j + 1] == close {
                j += 2;
                continue;
            }
            return Some(j + 1 - i);
        }
        j += 1;
    }
    None
}

/// `$tag$` or `$$` at the start of `s` (a PostgreSQL dollar quote), not `$1`.
fn dollar_tag(s: &str) -> Option<&str> {
    let rest = &s[1..];
    let end = rest.find('$')?;
    let tag = &rest[..end];
    if tag.chars().all(|c| c.is_alphanumeric() || c == '_')
        && !tag.starts_with(|c: char| c.is_ascii_digit())
    {
        Some(&s[..end + 2])
    } else {
        None
    }
}

/// Tables by name (lower case), for resolving foreign keys.
pub fn by_name(tables: &[Table]) -> BTreeMap<String, usize> {
    tables
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.to_lowercase(), i))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_cut_outside_quotes_comments_and_dollar_quotes() {
        let sql = "SET x = 'a;b';\n-- c; d\nCREATE FUNCTION f() AS $$ select 1; $$;\n/*!40101 SET y=1 */;\nCREATE TABLE t (a int);";
        let s = split(sql, Dialect::Postgres);
        assert_eq!(s.len(), 3, "{s:?}");
        assert!(s[2].text.trim().starts_with("CREATE TABLE t"));
        assert_eq!(&sql[s[2].start..s[2].start + 12], "CREATE TABLE");
    }

    #[test]
    fn mysql_delimiter_blocks_and_mssql_go_lines_end_statements() {
        let sql = "DELIMITER ;;\nCREATE TRIGGER x BEGIN SET a=1; END;;\nDELIMITER ;\nCREATE TABLE t (a int);";
        let s = split(sql, Dialect::Mysql);
        assert_eq!(s.len(), 2, "{s:?}");
        let sql = "CREATE TABLE [t] (a int)\nGO\nCREATE TABLE u (b int)\nGO\n";
        assert_eq!(split(sql, Dialect::Mssql).len(), 2);
    }
}
