//! SQL dialects. This layer alone knows identifier quoting, literal escaping and each
//! engine's privilege model; every generator builds SQL through it.
//!
//! | engine | module |
//! | --- | --- |
//! | PostgreSQL | [`postgres`] |
//! | MySQL and MariaDB | [`mysql`] |
//! | Snowflake | [`snowflake`] |
//! | BigQuery | [`bigquery`] |

pub mod bigquery;
pub mod mysql;
pub mod postgres;
pub mod snowflake;

/// The broad kind of a column's declared SQL type (a field's `type:`), enough to tell
/// whether a mask or an anonymisation method can apply to it. Names are matched without
/// case and without their length or precision (`varchar(20)` is text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeFamily {
    /// `text`, `varchar`, `char`, `character varying`, `string`, `citext`, `nvarchar`, …
    Text,
    /// `integer`, `bigint`, `smallint`, `int64`, `serial`, …
    Integer,
    /// `numeric`, `decimal`, `real`, `double precision`, `float`, …
    Numeric,
    /// `date`.
    Date,
    /// `timestamp`, `timestamp without time zone`, `datetime`, `timestamp_ntz`.
    Timestamp,
    /// `timestamptz`, `timestamp with time zone`, `timestamp_tz`, `timestamp_ltz`, BigQuery
    /// `TIMESTAMP` is an instant too but spelled `timestamp`: see [`type_family`].
    Timestamptz,
    /// `boolean`, `bool`, `bit`, `tinyint(1)`.
    Boolean,
    /// Anything else (`uuid`, `jsonb`, `bytea`, arrays, enums, …).
    Other,
}

/// The [`TypeFamily`] of a declared SQL type.
pub fn type_family(declared: &str) -> TypeFamily {
    let t = declared.trim().to_ascii_lowercase();
    if t == "tinyint(1)" {
        return TypeFamily::Boolean;
    }
    let base = t.split('(').next().unwrap_or("").trim();
    let base = base.strip_suffix("[]").map_or(base, |_| "array");
    match base {
        "text" | "varchar" | "char" | "character" | "character varying" | "string" | "citext"
        | "nvarchar" | "nchar" | "bpchar" | "tinytext" | "mediumtext" | "longtext" | "varchar2"
        | "name" => TypeFamily::Text,
        "integer" | "int" | "int2" | "int4" | "int8" | "bigint" | "smallint" | "tinyint"
        | "mediumint" | "int64" | "serial" | "bigserial" | "smallserial" | "bigint unsigned"
        | "int unsigned" | "integer unsigned" => TypeFamily::Integer,
        "numeric" | "decimal" | "real" | "double precision" | "double" | "float" | "float4"
        | "float8" | "float64" | "number" | "bignumeric" => TypeFamily::Numeric,
        "date" => TypeFamily::Date,
        "timestamp" | "timestamp without time zone" | "datetime" | "timestamp_ntz" => {
            TypeFamily::Timestamp
        }
        "timestamptz" | "timestamp with time zone" | "timestamp_tz" | "timestamp_ltz" => {
            TypeFamily::Timestamptz
        }
        "boolean" | "bool" | "bit" => TypeFamily::Boolean,
        _ => TypeFamily::Other,
    }
}

/// The [`TypeFamily`] of a type declared for a column of `engine`: [`type_family`], except
/// where an engine gives a name another meaning. MySQL's and BigQuery's `TIMESTAMP` is an
/// instant (MySQL stores it in UTC; BigQuery has no zone-less TIMESTAMP), and BigQuery's
/// `DATETIME` a wall-clock time. A type the engine does not have at all (`timestamptz` on
/// MySQL) is [`TypeFamily::Other`], so that a check relying on it says so.
pub fn type_family_in(engine: crate::manifest::types::Engine, declared: &str) -> TypeFamily {
    use crate::manifest::types::Engine;
    let t = declared.trim().to_ascii_lowercase();
    let base = t.split('(').next().unwrap_or("").trim();
    match (engine, base) {
        (Engine::Mysql | Engine::Bigquery, "timestamp") => TypeFamily::Timestamptz,
        (Engine::Bigquery, "datetime") => TypeFamily::Timestamp,
        (
            Engine::Mysql,
            "timestamptz"
            | "timestamp with time zone"
            | "timestamp_tz"
            | "timestamp_ltz"
            | "timestamp_ntz"
            | "timestamp without time zone",
        ) => TypeFamily::Other,
        _ => type_family(declared),
    }
}

/// A `--` line comment, the same in every dialect. Line breaks and other control characters
/// in `text` become spaces, so text from a manifest cannot end the comment and start a
/// statement.
pub fn comment(text: &str) -> String {
    const START: &str = "-- ";
    let mut out = String::with_capacity(START.len() + text.len());
    out.push_str(START);
    out.extend(text.chars().map(|c| if c.is_control() { ' ' } else { c }));
    let kept = out[START.len()..].trim_end().len();
    out.truncate(START.len() + kept);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_keep_their_start_and_drop_trailing_space() {
        assert_eq!(comment("a\tb \n"), "-- a b");
        assert_eq!(comment(" \n"), "-- ");
        assert_eq!(comment(""), "-- ");
    }

    #[test]
    fn declared_types_fall_into_families() {
        assert_eq!(type_family("varchar(20)"), TypeFamily::Text);
        assert_eq!(type_family("Character Varying(50)"), TypeFamily::Text);
        assert_eq!(type_family("BIGINT"), TypeFamily::Integer);
        assert_eq!(
            type_family("timestamp with time zone"),
            TypeFamily::Timestamptz
        );
        assert_eq!(type_family("datetime(3)"), TypeFamily::Timestamp);
        assert_eq!(type_family("tinyint(1)"), TypeFamily::Boolean);
        assert_eq!(type_family("uuid"), TypeFamily::Other);
        assert_eq!(type_family("text[]"), TypeFamily::Other);
    }

    #[test]
    fn timestamp_means_an_instant_on_mysql_and_bigquery() {
        use crate::manifest::types::Engine;
        assert_eq!(
            type_family_in(Engine::Postgres, "timestamp"),
            TypeFamily::Timestamp
        );
        assert_eq!(
            type_family_in(Engine::Mysql, "TIMESTAMP(6)"),
            TypeFamily::Timestamptz
        );
        assert_eq!(
            type_family_in(Engine::Mysql, "datetime(6)"),
            TypeFamily::Timestamp
        );
        assert_eq!(
            type_family_in(Engine::Mysql, "timestamptz"),
            TypeFamily::Other
        );
        assert_eq!(
            type_family_in(Engine::Bigquery, "TIMESTAMP"),
            TypeFamily::Timestamptz
        );
        assert_eq!(
            type_family_in(Engine::Bigquery, "DATETIME"),
            TypeFamily::Timestamp
        );
        assert_eq!(
            type_family_in(Engine::Snowflake, "timestamp_tz"),
            TypeFamily::Timestamptz
        );
    }
}
