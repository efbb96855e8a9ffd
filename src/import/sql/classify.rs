//! Category suggestions for columns, from the rules kept as data in `suggestions.yaml`:
//! column names split into tokens (English and pinyin), comments (Chinese), SQL types, and
//! foreign keys to tables about people.

use std::sync::OnceLock;

use serde::Deserialize;

/// The rules file, compiled in.
pub const RULES_YAML: &str = include_str!("suggestions.yaml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub ignore_when: Vec<String>,
    pub people: Vec<People>,
    pub context_tables: Vec<String>,
    pub context_tokens: Vec<String>,
    pub names: Vec<Rule>,
    pub comments: Vec<Rule>,
    pub types: Vec<Rule>,
}

/// A kind of table about people, and the category of its key.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct People {
    pub category: String,
    pub tables: Vec<String>,
    pub keys: Vec<String>,
}

#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum TypeKind {
    Text,
    Number,
    Date,
    DateOrText,
    #[default]
    Any,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub category: String,
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    pub comments: Vec<String>,
    #[serde(default)]
    pub types: Vec<String>,
    #[serde(default)]
    pub kind: TypeKind,
    #[serde(default)]
    pub context: bool,
    #[serde(default)]
    pub unless: Vec<String>,
}

/// The compiled-in rules. Panics only if `suggestions.yaml` is malformed, which the unit
/// test below catches.
pub fn rules() -> &'static Rules {
    static R: OnceLock<Rules> = OnceLock::new();
    R.get_or_init(|| serde_saphyr::from_str(RULES_YAML).expect("suggestions.yaml is valid"))
}

/// Why a category was suggested, for the review note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    Name(String),
    Comment(String),
    Type(String),
    ForeignKey(String),
    PersonTableKey(String),
}

impl Reason {
    /// `the column name "phonenumber"`, `the comment "手机号码"`.
    pub fn describe(&self) -> String {
        match self {
            Reason::Name(n) => format!("the column name \"{n}\""),
            Reason::Comment(c) => format!("the comment \"{c}\""),
            Reason::Type(t) => format!("the type {t}"),
            Reason::ForeignKey(to) => format!("the foreign key to {to}, a table about people"),
            Reason::PersonTableKey(t) => {
                format!("the primary key of \"{t}\", a table about people")
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub category: String,
    pub reason: Reason,
}

/// Split an identifier into lower-case tokens: at `_`, `-`, `.`, spaces and other
/// punctuation, at digits, and at camelCase boundaries (`HTTPServer` → http server).
pub fn tokens(ident: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let chars: Vec<char> = ident.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if !c.is_alphabetic() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            continue;
        }
        if c.is_uppercase() && !cur.is_empty() {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || (prev.is_uppercase() && next_lower) {
                out.push(std::mem::take(&mut cur));
            }
        }
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Whether `pattern` (tokens separated by spaces) occurs in `toks` as a run of whole tokens.
fn has_run(toks: &[String], pattern: &str) -> bool {
    let p: Vec<&str> = pattern.split_whitespace().collect();
    !p.is_empty()
        && toks
            .windows(p.len())
            .any(|w| w.iter().zip(&p).all(|(a, b)| a == b))
}

/// The kind of an SQL type as written (`varchar(20)`, `timestamp with time zone`).
pub fn kind_of(ty: &str) -> Kind {
    let t = ty.to_ascii_lowercase();
    let base = t.split(['(', ' ']).next().unwrap_or("");
    if matches!(base, "bool" | "boolean") || t == "bit" || t == "bit(1)" || t == "tinyint(1)" {
        return Kind::Bool;
    }
    if matches!(base, "inet" | "cidr" | "macaddr" | "macaddr8") {
        return Kind::Net;
    }
    if [
        "date",
        "time",
        "timestamp",
        "datetime",
        "year",
        "timestamptz",
        "smalldatetime",
    ]
    .iter()
    .any(|k| base.starts_with(k))
    {
        return Kind::Date;
    }
    if [
        "int",
        "integer",
        "bigint",
        "smallint",
        "tinyint",
        "mediumint",
        "numeric",
        "decimal",
        "number",
        "float",
        "double",
        "real",
        "serial",
        "bigserial",
        "smallserial",
        "money",
        "smallmoney",
        "unsigned",
    ]
    .iter()
    .any(|k| base == *k || base.starts_with("int"))
    {
        return Kind::Number;
    }
    if [
        "char",
        "varchar",
        "text",
        "string",
        "nvarchar",
        "nchar",
        "ntext",
        "clob",
        "citext",
        "character",
        "tinytext",
        "mediumtext",
        "longtext",
        "varchar2",
        "nvarchar2",
        "inet",
        "uuid",
        "json",
        "jsonb",
        "bytea",
        "blob",
        "longblob",
        "mediumblob",
        "image",
        "binary",
        "varbinary",
        "tsvector",
    ]
    .contains(&base)
    {
        return Kind::Text;
    }
    Kind::Other
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    Date,
    Bool,
    /// A network address type (`inet`, `cidr`, `macaddr`): only the type rules apply.
    Net,
    Other,
}

fn kind_ok(want: TypeKind, have: Kind) -> bool {
    match want {
        TypeKind::Any => true,
        TypeKind::Text => matches!(have, Kind::Text | Kind::Other),
        TypeKind::Number => matches!(have, Kind::Number | Kind::Other),
        TypeKind::Date => matches!(have, Kind::Date | Kind::Other),
        TypeKind::DateOrText => matches!(have, Kind::Date | Kind::Text | Kind::Other),
    }
}

/// The category of a key of a table about people, when `table` is one (by the last token
/// of its name: `sys_user`, `customers`).
pub fn person_table(table: &str) -> Option<&'static str> {
    let toks = tokens(table);
    let last = toks.last()?;
    rules()
        .people
        .iter()
        .find(|p| p.tables.iter().any(|t| t == last))
        .map(|p| p.category.as_str())
}

/// The category of a column named like the key of a person (`customer_id`, `UserId`).
pub fn person_key(column: &str) -> Option<&'static str> {
    let toks = tokens(column);
    let joined = toks.join(" ");
    rules()
        .people
        .iter()
        .find(|p| p.keys.contains(&joined))
        .map(|p| p.category.as_str())
}

/// Whether the table gives context to `context: true` rules.
pub fn is_context_table(table: &str) -> bool {
    person_table(table).is_some() || {
        let toks = tokens(table);
        toks.last()
            .is_some_and(|l| rules().context_tables.iter().any(|t| t == l))
    }
}

/// Suggest a category for a column from its name, comment and type (first matching rule;
/// name rules before comment rules before type rules). `context`: the table is about a
/// person or an address.
pub fn suggest(column: &str, ty: &str, comment: Option<&str>, context: bool) -> Option<Suggestion> {
    let r = rules();
    let toks = tokens(column);
    let kind = kind_of(ty);
    if kind == Kind::Bool || toks.iter().any(|t| r.ignore_when.contains(t)) {
        return None;
    }
    if kind == Kind::Net {
        return type_rule(ty);
    }
    let ctx = context || toks.iter().any(|t| r.context_tokens.contains(t));
    let applies = |rule: &Rule| kind_ok(rule.kind, kind) && (!rule.context || ctx);
    for rule in &r.names {
        if !applies(rule) || rule.unless.iter().any(|u| toks.contains(u)) {
            continue;
        }
        if rule.names.iter().any(|n| has_run(&toks, n)) {
            return Some(Suggestion {
                category: rule.category.clone(),
                reason: Reason::Name(column.to_string()),
            });
        }
    }
    // The Chinese keywords (`comments` of the rules) are substrings; they are matched in a
    // column name written in Chinese (`出生日期`) as in a comment.
    let by_keyword = |text: &str| {
        r.comments.iter().find(|rule| {
            kind_ok(rule.kind, kind)
                && !rule.unless.iter().any(|u| text.contains(u.as_str()))
                && rule.comments.iter().any(|k| text.contains(k.as_str()))
        })
    };
    if !column.is_ascii()
        && let Some(rule) = by_keyword(column)
    {
        return Some(Suggestion {
            category: rule.category.clone(),
            reason: Reason::Name(column.to_string()),
        });
    }
    if let Some(c) = comment
        && let Some(rule) = by_keyword(c)
    {
        return Some(Suggestion {
            category: rule.category.clone(),
            reason: Reason::Comment(c.to_string()),
        });
    }
    type_rule(ty)
}

fn type_rule(ty: &str) -> Option<Suggestion> {
    let t = ty.to_ascii_lowercase();
    let base = t.split(['(', ' ']).next().unwrap_or("");
    rules()
        .types
        .iter()
        .find(|rule| rule.types.iter().any(|k| k == base))
        .map(|rule| Suggestion {
            category: rule.category.clone(),
            reason: Reason::Type(ty.to_string()),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rules_file_reads_and_names_only_builtin_categories() {
        let t = crate::taxonomy::Taxonomy::builtin();
        let r = rules();
        let all = r
            .names
            .iter()
            .chain(&r.comments)
            .chain(&r.types)
            .map(|x| x.category.as_str())
            .chain(r.people.iter().map(|p| p.category.as_str()));
        for c in all {
            assert!(t.get(c).is_some(), "{c} is not a built-in category");
        }
    }

    #[test]
    fn identifiers_split_into_whole_tokens() {
        assert_eq!(tokens("customerEmail"), ["customer", "email"]);
        assert_eq!(tokens("phone_number2"), ["phone", "number"]);
        assert_eq!(tokens("HTTPServerIP"), ["http", "server", "ip"]);
        assert_eq!(tokens("SupportRepId"), ["support", "rep", "id"]);
    }

    #[test]
    fn whole_tokens_only_and_negative_rules_hold() {
        let cat = |c: &str, ty: &str, cm: Option<&str>, ctx: bool| {
            suggest(c, ty, cm, ctx).map(|s| s.category)
        };
        assert_eq!(cat("description", "text", None, true), None);
        assert_eq!(
            cat("zip", "varchar(10)", None, true).as_deref(),
            Some("contact.postal_address")
        );
        assert_eq!(cat("email_template", "text", None, true), None);
        assert_eq!(cat("phone_type", "text", None, true), None);
        assert_eq!(cat("email_verified", "boolean", None, true), None);
        assert_eq!(
            cat("last_ip", "inet", None, false).as_deref(),
            Some("device.ip_address")
        );
        assert_eq!(
            cat("origin", "inet", None, false).as_deref(),
            Some("device.ip_address")
        );
        assert_eq!(cat("name", "text", None, false), None);
        assert_eq!(
            cat("name", "text", None, true).as_deref(),
            Some("identity.name")
        );
        assert_eq!(
            cat("shouji", "varchar(11)", None, false).as_deref(),
            Some("contact.phone")
        );
        assert_eq!(
            cat("col1", "varchar(18)", Some("身份证号"), false).as_deref(),
            Some("identity.national_id")
        );
        assert_eq!(
            cat(
                "pwd_update_date",
                "datetime",
                Some("密码最后更新时间"),
                false
            ),
            None
        );
    }
}
