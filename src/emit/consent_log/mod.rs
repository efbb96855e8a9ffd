//! The append-only consent log: `sql/<engine>[/<database>]/consent_log.sql`, one per
//! database holding a dataset declared with `consent_log:`, in its engine's dialect
//! ([`postgres`], [`mysql`], [`snowflake`], [`bigquery`]).
//!
//! GDPR Art 7(1) asks the controller to be able to demonstrate that the data subject
//! consented; PIPL Art 14 asks for consent given freely and with full knowledge, and Art 15
//! lets it be withdrawn. A log of who consented to what, under which notice, when and how,
//! that nobody can quietly rewrite, is that demonstration.
//!
//! The table has the fixed [`COLUMNS`]. Its grants allow the dataset's `writers` only
//! `INSERT` and `SELECT` and its `readers` only `SELECT`; where the engine has triggers,
//! `UPDATE` and `DELETE` are refused outright. Withdrawing consent is a new row with action
//! `withdrawn`, never an update.

use crate::Project;
use crate::manifest::types::Engine;

pub mod bigquery;
pub mod mysql;
pub mod postgres;
pub mod snowflake;

/// The session setting a retention job sets (`on`, for its own transaction) before it
/// deletes: the only deletes a consent log's trigger lets through. The log must not outlive
/// its purpose either (GDPR Art 5(1)(e); PIPL Art 19), so a declared retention still runs.
pub const RETENTION_SETTING: &str = "lawful.retention";

/// The kind of value a consent-log column holds; each dialect maps it to its own type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    /// A generated, increasing row id (the primary key).
    RowId,
    /// Text.
    Text,
    /// A list of ids (purpose or category keys of the manifest).
    List,
    /// `given` or `withdrawn`.
    Action,
    /// An instant (timestamp with time zone).
    Instant,
    /// An instant that defaults to the time the row is written.
    RecordedAt,
}

/// One column of the consent log.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnKind,
    /// Whether the column must hold a value (NOT NULL).
    pub required: bool,
    /// What it holds, for the comment in the DDL.
    pub meaning: &'static str,
}

/// The columns of the consent log, in table order.
pub const COLUMNS: &[Column] = &[
    Column {
        name: "log_id",
        kind: ColumnKind::RowId,
        required: true,
        meaning: "row id, increasing",
    },
    Column {
        name: "subject_id",
        kind: ColumnKind::Text,
        required: true,
        meaning: "the data subject, by the subject key of the dataset that holds them",
    },
    Column {
        name: "consent",
        kind: ColumnKind::Text,
        required: true,
        meaning: "the consent, by its id under `consents:`",
    },
    Column {
        name: "purposes",
        kind: ColumnKind::List,
        required: true,
        meaning: "the purposes consented to, by id",
    },
    Column {
        name: "categories",
        kind: ColumnKind::List,
        required: false,
        meaning: "the data categories, when narrower than the purposes'",
    },
    Column {
        name: "channel",
        kind: ColumnKind::Text,
        required: true,
        meaning: "where it was given or withdrawn: web, app, mini_program, store, phone, paper",
    },
    Column {
        name: "notice_version",
        kind: ColumnKind::Text,
        required: true,
        meaning: "the version of the notice shown",
    },
    Column {
        name: "notice_hash",
        kind: ColumnKind::Text,
        required: false,
        meaning: "`sha256:` and the hex digest of the notice text shown",
    },
    Column {
        name: "action",
        kind: ColumnKind::Action,
        required: true,
        meaning: "`given` or `withdrawn`",
    },
    Column {
        name: "occurred_at",
        kind: ColumnKind::Instant,
        required: true,
        meaning: "when the data subject acted",
    },
    Column {
        name: "recorded_at",
        kind: ColumnKind::RecordedAt,
        required: true,
        meaning: "when the row was written",
    },
    Column {
        name: "source",
        kind: ColumnKind::Text,
        required: true,
        meaning: "the system that recorded it",
    },
];

/// The consent-log file of one database of `engine`, for the datasets `group` (indices into
/// `Model::datasets`); nothing when none of them is a consent log.
pub fn generate(p: &Project, engine: Engine, group: &[usize]) -> crate::emit::Files {
    let logs: Vec<usize> = p
        .model
        .consent_logs
        .iter()
        .enumerate()
        .filter(|(_, l)| group.contains(&l.dataset))
        .map(|(i, _)| i)
        .collect();
    if logs.is_empty() {
        return Vec::new();
    }
    let r = match engine {
        Engine::Postgres => postgres::generate(p, &logs),
        Engine::Mysql => mysql::generate(p, &logs),
        Engine::Snowflake => snowflake::generate(p, &logs),
        Engine::Bigquery => bigquery::generate(p, &logs),
        Engine::Other => return Vec::new(),
    };
    vec![("consent_log.sql".into(), r)]
}
