//! mysql: identifier quoting, literal escaping, privileges.
