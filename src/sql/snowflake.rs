//! snowflake: identifier quoting, literal escaping, privileges.
