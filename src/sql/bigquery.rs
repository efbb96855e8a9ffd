//! bigquery: identifier quoting, literal escaping, privileges.
