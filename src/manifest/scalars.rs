//! Validated scalar types of the language: countries, ISO 8601 durations, dates, localized
//! text. Each one parses from a YAML string and refuses bad values with a suggestion.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

use crate::reference::countries;

/// An ISO 3166-1 alpha-2 country code (`DE`, `NO`), or an ISO 3166-2 subdivision of one
/// (`US-CA`, `CN-31`). Upper case. `UK`, `EL` and alpha-3 codes are refused with the right
/// alpha-2 code as a suggestion.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Country(pub String);

impl Country {
    /// The ISO 3166-1 alpha-2 part: `US` for `US-CA`.
    pub fn alpha2(&self) -> &str {
        &self.0[..2]
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Whether the country is in the European Economic Area (EU 27 plus IS, LI, NO).
    pub fn in_eea(&self) -> bool {
        countries::lookup(self.alpha2()).is_some_and(|c| c.eea)
    }
    /// Mainland China only: Hong Kong, Macao and Taiwan are outside for PIPL purposes.
    pub fn is_mainland_china(&self) -> bool {
        self.alpha2() == "CN"
    }
    /// California, for the CCPA.
    pub fn is_california(&self) -> bool {
        self.0 == "US-CA"
    }
    /// Parse and validate a code; the error says what is wrong and suggests a fix.
    pub fn parse(s: &str) -> Result<Country, String> {
        let (head, sub) = match s.split_once('-') {
            Some((h, t)) => (h, Some(t)),
            None => (s, None),
        };
        if head.len() == 2 && head.chars().all(|c| c.is_ascii_uppercase()) {
            if countries::lookup(head).is_none() {
                return Err(match countries::alias(head) {
                    Some(a) => format!(
                        "`{s}` is not an ISO 3166-1 alpha-2 code; did you mean `{a}` ({})?",
                        countries::name_en(a)
                    ),
                    None => format!("`{s}` is not an ISO 3166-1 alpha-2 country code"),
                });
            }
            if let Some(sub) = sub
                && (sub.is_empty()
                    || sub.len() > 3
                    || !sub
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit()))
            {
                return Err(format!(
                    "`{s}` is not an ISO 3166-2 subdivision code (expected e.g. `US-CA`)"
                ));
            }
            return Ok(Country(s.to_string()));
        }
        let upper = s.to_ascii_uppercase();
        if upper != s && Country::parse(&upper).is_ok() {
            return Err(format!("country codes are upper case: write `{upper}`"));
        }
        if let Some(a) = countries::alias(&upper) {
            return Err(format!(
                "`{s}` is not an ISO 3166-1 alpha-2 code; did you mean `{a}` ({})?",
                countries::name_en(a)
            ));
        }
        Err(format!(
            "`{s}` is not an ISO 3166-1 alpha-2 country code (like `DE`) or ISO 3166-2 subdivision (like `US-CA`)"
        ))
    }
}

impl fmt::Display for Country {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Country {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Country::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Country {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Country".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "ISO 3166-1 alpha-2 country code (`DE`, `NO`) or ISO 3166-2 subdivision (`US-CA`).",
            "pattern": format!("^({})(-[A-Z0-9]{{1,3}})?$", alpha2_alternation())
        })
    }
}

/// Every ISO 3166-1 alpha-2 code lawful knows, in order, as a regex alternation `AD|AE|…`,
/// so that the JSON Schema refuses `UK` and `EL` as the loader does.
fn alpha2_alternation() -> String {
    let mut codes = Vec::new();
    for a in b'A'..=b'Z' {
        for b in b'A'..=b'Z' {
            let code = String::from_utf8(vec![a, b]).expect("ascii");
            if countries::lookup(&code).is_some() {
                codes.push(code);
            }
        }
    }
    codes.join("|")
}

/// Where data subjects live: a [`Country`], or the regions `EU` (27 member states) and
/// `EEA` (EU plus Iceland, Liechtenstein, Norway).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Place(pub String);

impl Place {
    pub fn in_eea(&self) -> bool {
        matches!(self.0.as_str(), "EU" | "EEA") || Country(self.0.clone()).in_eea()
    }
    pub fn is_mainland_china(&self) -> bool {
        self.0 == "CN" || self.0.starts_with("CN-")
    }
    pub fn is_california(&self) -> bool {
        self.0 == "US-CA"
    }
}

impl<'de> Deserialize<'de> for Place {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "EU" || s == "EEA" {
            return Ok(Place(s));
        }
        Country::parse(&s)
            .map(|c| Place(c.0))
            .map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Place {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Place".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A country (ISO 3166-1 alpha-2 or ISO 3166-2 subdivision such as `US-CA`), or `EU` / `EEA`.",
            "pattern": format!("^(({})(-[A-Z0-9]{{1,3}})?|EU|EEA)$", alpha2_alternation())
        })
    }
}

/// An ISO 8601 duration such as `P30D`, `P3Y`, `P1Y6M`, `PT12H`.
///
/// Calendar parts are kept as written so that SQL can use exact calendar arithmetic;
/// comparisons use an average length (a year is 365.2425 days, a month a twelfth of that).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Duration {
    pub years: u32,
    pub months: u32,
    pub weeks: u32,
    pub days: u32,
    pub hours: u32,
    pub minutes: u32,
    pub seconds: u32,
}

impl Duration {
    /// Parse an ISO 8601 duration; the error suggests the ISO form of common mistakes.
    pub fn parse(s: &str) -> Result<Duration, String> {
        let bad = || {
            let hint = suggest_duration(s)
                .map(|h| format!("; did you mean `{h}`?"))
                .unwrap_or_else(|| " (write an ISO 8601 duration such as `P30D` or `P3Y`)".into());
            format!("`{s}` is not an ISO 8601 duration{hint}")
        };
        let rest = s.strip_prefix('P').ok_or_else(bad)?;
        if rest.is_empty() || rest == "T" {
            return Err(bad());
        }
        let mut d = Duration::default();
        let mut in_time = false;
        let mut num = String::new();
        let mut any = false;
        let mut last_rank = 0u8;
        for ch in rest.chars() {
            if ch.is_ascii_digit() {
                num.push(ch);
                continue;
            }
            if ch == 'T' {
                if in_time || !num.is_empty() {
                    return Err(bad());
                }
                in_time = true;
                continue;
            }
            if num.is_empty() {
                return Err(bad());
            }
            let n: u32 = num.parse().map_err(|_| bad())?;
            num.clear();
            let rank = match (in_time, ch) {
                (false, 'Y') => {
                    d.years = n;
                    1
                }
                (false, 'M') => {
                    d.months = n;
                    2
                }
                (false, 'W') => {
                    d.weeks = n;
                    3
                }
                (false, 'D') => {
                    d.days = n;
                    4
                }
                (true, 'H') => {
                    d.hours = n;
                    5
                }
                (true, 'M') => {
                    d.minutes = n;
                    6
                }
                (true, 'S') => {
                    d.seconds = n;
                    7
                }
                _ => return Err(bad()),
            };
            if rank <= last_rank {
                return Err(bad());
            }
            last_rank = rank;
            any = true;
        }
        if !num.is_empty() || !any || (in_time && last_rank < 5) {
            return Err(bad());
        }
        if d.approx_seconds() == 0.0 {
            return Err(format!(
                "`{s}` is a duration of zero; a retention or period must be longer than that"
            ));
        }
        if d.approx_seconds() > 1000.0 * 365.2425 * 86_400.0 {
            return Err(format!(
                "`{s}` is longer than 1,000 years; for data kept without an end, write `indefinite` where it is allowed"
            ));
        }
        Ok(d)
    }

    /// Approximate length in seconds, for comparing durations.
    pub fn approx_seconds(&self) -> f64 {
        let day = 86_400.0;
        self.years as f64 * 365.2425 * day
            + self.months as f64 * 365.2425 / 12.0 * day
            + (self.weeks as f64 * 7.0 + self.days as f64) * day
            + self.hours as f64 * 3600.0
            + self.minutes as f64 * 60.0
            + self.seconds as f64
    }

    /// The duration as a PostgreSQL interval literal body: `3 years 6 months`.
    pub fn to_interval_words(&self) -> String {
        let mut parts = Vec::new();
        let mut push = |n: u32, unit: &str| {
            if n > 0 {
                parts.push(format!("{n} {unit}{}", if n == 1 { "" } else { "s" }));
            }
        };
        push(self.years, "year");
        push(self.months, "month");
        push(
            self.weeks.saturating_mul(7).saturating_add(self.days),
            "day",
        );
        push(self.hours, "hour");
        push(self.minutes, "minute");
        push(self.seconds, "second");
        if parts.is_empty() {
            "0 seconds".into()
        } else {
            parts.join(" ")
        }
    }

    /// Plain English: `3 years`, `30 days`.
    pub fn to_english(&self) -> String {
        self.to_interval_words()
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "P")?;
        for (n, u) in [
            (self.years, 'Y'),
            (self.months, 'M'),
            (self.weeks, 'W'),
            (self.days, 'D'),
        ] {
            if n > 0 {
                write!(f, "{n}{u}")?;
            }
        }
        if self.hours + self.minutes + self.seconds > 0 {
            write!(f, "T")?;
            for (n, u) in [(self.hours, 'H'), (self.minutes, 'M'), (self.seconds, 'S')] {
                if n > 0 {
                    write!(f, "{n}{u}")?;
                }
            }
        }
        Ok(())
    }
}

fn suggest_duration(s: &str) -> Option<String> {
    let lower = s.trim().to_ascii_lowercase();
    let mut it = lower.split_whitespace();
    let n: u32 = it.next()?.parse().ok()?;
    let unit = it.next()?;
    let letter = match unit.trim_end_matches('s') {
        "year" | "yr" | "y" => "Y",
        "month" | "mo" => "M",
        "week" | "w" => "W",
        "day" | "d" => "D",
        "hour" | "h" => return Some(format!("PT{n}H")),
        _ => return None,
    };
    Some(format!("P{n}{letter}"))
}

impl Serialize for Duration {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Duration::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Duration {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Duration".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "ISO 8601 duration, e.g. `P30D`, `P3Y`, `P1Y6M`.",
            "pattern": "^P(?!$)(\\d+Y)?(\\d+M)?(\\d+W)?(\\d+D)?(T(?=\\d)(\\d+H)?(\\d+M)?(\\d+S)?)?$"
        })
    }
}

/// A response deadline: an ISO 8601 duration of calendar time (`P1M`, `P45D`), or a count of
/// business (working) days written `15 business days` (CCPA 11 CCR 7021 and 7026 count in
/// business days; the PIPL practice of 15 working days, too).
///
/// Comparisons are conservative: a count of business days spans at least
/// `7 × (n / 5) + n % 5` calendar days and, since public holidays are not known, may span
/// more; a calendar month is counted as its average length.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Deadline {
    /// Calendar time.
    Calendar(Duration),
    /// Business days (Monday to Friday).
    BusinessDays(u32),
}

impl Deadline {
    /// Parse `P30D` or `15 business days` (`working days` is accepted as a synonym).
    pub fn parse(s: &str) -> Result<Deadline, String> {
        let t = s.trim();
        let words: Vec<&str> = t.split_whitespace().collect();
        if let [n, kind, unit] = words.as_slice()
            && matches!(kind.to_ascii_lowercase().as_str(), "business" | "working")
            && matches!(unit.to_ascii_lowercase().as_str(), "day" | "days")
        {
            let canonical = format!(
                "{n} {} {}",
                kind.to_ascii_lowercase(),
                unit.to_ascii_lowercase()
            );
            let count: Option<u32> = (n.bytes().all(|b| b.is_ascii_digit()) && !n.starts_with('0'))
                .then(|| n.parse().ok())
                .flatten();
            let Some(count) = count.filter(|c| (1..=1000).contains(c)) else {
                return Err(format!(
                    "`{s}` is not a usable deadline; give a whole number of business days from 1 to 1000, such as `15 business days`"
                ));
            };
            if t != canonical {
                return Err(format!(
                    "`{s}` is not a deadline as lawful writes it; did you mean `{canonical}`?"
                ));
            }
            return Ok(Deadline::BusinessDays(count));
        }
        if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format!(
                "`{s}` has no unit; did you mean `P{t}D` (calendar days) or `{t} business days`?"
            ));
        }
        Duration::parse(t).map(Deadline::Calendar).map_err(|e| {
            // `e` may end in a question ("did you mean `P15D`?"): a new sentence follows.
            let next = if e.ends_with('?') { " A" } else { "; a" };
            format!(
                "{e}{next} deadline may also be a count of business days, such as `15 business days`"
            )
        })
    }

    /// Shortest number of calendar days the deadline can mean.
    pub fn min_days(&self) -> f64 {
        match self {
            Deadline::Calendar(d) => d.approx_seconds() / 86_400.0,
            Deadline::BusinessDays(n) => (7 * (n / 5) + n % 5) as f64,
        }
    }

    /// Longest number of calendar days the deadline can mean, public holidays aside.
    pub fn max_days(&self) -> f64 {
        match self {
            Deadline::Calendar(d) => d.approx_seconds() / 86_400.0,
            Deadline::BusinessDays(n) => {
                (7 * (n / 5) + n % 5 + if n % 5 > 0 { 2 } else { 0 }) as f64
            }
        }
    }

    /// Whether this deadline can never be later than `limit`.
    pub fn within(&self, limit: &Deadline) -> bool {
        match (self, limit) {
            (Deadline::BusinessDays(a), Deadline::BusinessDays(b)) => a <= b,
            _ => self.max_days() <= limit.min_days() + 1e-9,
        }
    }
}

impl fmt::Display for Deadline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Deadline::Calendar(d) => d.fmt(f),
            Deadline::BusinessDays(n) => write!(f, "{n} business days"),
        }
    }
}

impl Serialize for Deadline {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Deadline {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Deadline::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Deadline {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Deadline".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let d = g.subschema_for::<Duration>();
        schemars::json_schema!({
            "description": "An ISO 8601 duration (`P1M`, `P45D`), or a count of business days such as `15 business days`.",
            "anyOf": [d, { "type": "string", "pattern": "^([1-9][0-9]{0,2}|1000) (business|working) days?$" }]
        })
    }
}

/// A retention period: an ISO 8601 duration, or `indefinite` (which the rules question).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Period {
    Duration(Duration),
    Indefinite,
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Period::Duration(d) => d.serialize(s),
            Period::Indefinite => s.serialize_str("indefinite"),
        }
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        if s == "indefinite" {
            return Ok(Period::Indefinite);
        }
        Duration::parse(&s)
            .map(Period::Duration)
            .map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Period {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Period".into()
    }
    fn json_schema(g: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let d = g.subschema_for::<Duration>();
        schemars::json_schema!({
            "description": "An ISO 8601 duration, or `indefinite`.",
            "anyOf": [d, { "const": "indefinite" }]
        })
    }
}

/// A calendar date, `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    pub fn parse(s: &str) -> Result<Date, String> {
        let bad = || format!("`{s}` is not a date; write `YYYY-MM-DD`");
        let parts: Vec<&str> = s.split('-').collect();
        if parts.len() != 3
            || parts[0].len() != 4
            || parts[1].len() != 2
            || parts[2].len() != 2
            || !parts.iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(bad());
        }
        let year: i32 = parts[0].parse().map_err(|_| bad())?;
        let month: u32 = parts[1].parse().map_err(|_| bad())?;
        let day: u32 = parts[2].parse().map_err(|_| bad())?;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(format!("`{s}` is not a valid calendar date"));
        }
        Ok(Date { year, month, day })
    }

    /// Today's date in UTC, from the system clock; `LAWFUL_TODAY=YYYY-MM-DD` overrides it
    /// (tests and reproducible builds).
    pub fn today() -> Date {
        if let Ok(s) = std::env::var("LAWFUL_TODAY")
            && let Ok(d) = Date::parse(&s)
        {
            return d;
        }
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days(secs.div_euclid(86_400))
    }

    /// Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z.rem_euclid(146_097);
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let y = yoe + era * 400;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        Date {
            year: (y + i64::from(m <= 2)) as i32,
            month: m,
            day: d,
        }
    }

    /// Days since 1970-01-01 (inverse of [`Date::from_days`]).
    pub fn to_days(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `d` later: years and months first (the day clamped to the month's last),
    /// then weeks and days; hours and smaller are ignored.
    pub fn plus(self, d: &Duration) -> Date {
        let months = i64::from(self.month) - 1 + i64::from(d.months) + 12 * i64::from(d.years);
        let year = self.year + months.div_euclid(12) as i32;
        let month = months.rem_euclid(12) as u32 + 1;
        let day = self.day.min(days_in_month(year, month));
        let base = Date { year, month, day };
        Date::from_days(base.to_days() + i64::from(d.weeks) * 7 + i64::from(d.days))
    }

    /// Days from `self` to `later` (negative when `later` is earlier).
    pub fn days_until(self, later: Date) -> i64 {
        later.to_days() - self.to_days()
    }
}

fn days_in_month(y: i32, m: u32) -> u32 {
    match m {
        4 | 6 | 9 | 11 => 30,
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Date::parse(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for Date {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Date".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "format": "date", "description": "A calendar date, `YYYY-MM-DD`." })
    }
}

/// Deserialize optional text that must not be empty or blank when given: an empty link or
/// reference would otherwise count as declared and hide a finding.
pub(crate) fn non_blank<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    let v: Option<String> = Option::deserialize(d)?;
    match v {
        Some(t) if t.trim().is_empty() => Err(serde::de::Error::custom(
            "empty text: give a value, or leave the key out",
        )),
        v => Ok(v),
    }
}

/// Deserialize an optional mapping whose key, when written, must have a value: `access:`
/// with nothing after it is refused rather than read as "not declared".
pub(crate) fn declared<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    let v: Option<T> = Option::deserialize(d)?;
    match v {
        None => Err(serde::de::Error::custom(
            "no value: write `{}` to declare it with its defaults, or leave the key out",
        )),
        v => Ok(v),
    }
}

/// Text in each language of the project: English (`en`) and Simplified Chinese (`zh-CN`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Localized {
    /// English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "non_blank")]
    pub en: Option<String>,
    /// Simplified Chinese.
    #[serde(rename = "zh-CN", default, skip_serializing_if = "Option::is_none")]
    #[serde(deserialize_with = "non_blank")]
    pub zh_cn: Option<String>,
}

impl Localized {
    pub fn get(&self, lang: &str) -> Option<&str> {
        match lang {
            "en" => self.en.as_deref(),
            "zh-CN" => self.zh_cn.as_deref(),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_add_calendar_durations_and_count_days() {
        let d = |s| Date::parse(s).unwrap();
        for s in ["1970-01-01", "2000-02-29", "2026-11-29", "1969-12-31"] {
            assert_eq!(Date::from_days(d(s).to_days()), d(s));
        }
        assert_eq!(d("1970-01-02").to_days(), 1);
        assert_eq!(
            d("2024-01-31").plus(&Duration::parse("P1M").unwrap()),
            d("2024-02-29")
        );
        assert_eq!(
            d("2024-02-29").plus(&Duration::parse("P1Y").unwrap()),
            d("2025-02-28")
        );
        assert_eq!(
            d("2026-12-25").plus(&Duration::parse("P10D").unwrap()),
            d("2027-01-04")
        );
        assert_eq!(d("2026-01-01").days_until(d("2027-01-01")), 365);
    }

    #[test]
    fn deadlines_compare_business_and_calendar_days_conservatively() {
        let bd = |n| Deadline::BusinessDays(n);
        let cal = |s| Deadline::parse(s).unwrap();
        assert_eq!(Deadline::parse("15 business days").unwrap(), bd(15));
        assert_eq!(Deadline::parse("10 working days").unwrap(), bd(10));
        assert!(Deadline::parse("0 business days").is_err());
        assert!(Deadline::parse("1001 business days").is_err());
        assert!(Deadline::parse("015 business days").is_err());
        assert!(
            Deadline::parse("15 Business Days")
                .unwrap_err()
                .contains("`15 business days`")
        );
        assert!(Deadline::parse("15").unwrap_err().contains("`P15D`"));
        assert!(Deadline::parse("15 days").unwrap_err().contains("P15D"));
        // 15 business days span at least 21 calendar days.
        assert!(cal("P21D").within(&bd(15)));
        assert!(!cal("P22D").within(&bd(15)));
        assert!(!cal("P1M").within(&bd(15)));
        // 30 business days may span 42 calendar days: within 45, not within 40.
        assert!(bd(30).within(&cal("P45D")));
        assert!(!bd(30).within(&cal("P40D")));
        assert!(cal("P1M").within(&cal("P1M")));
        assert!(cal("P28D").within(&cal("P1M")));
        assert!(!cal("P2M").within(&cal("P1M")));
        assert!(bd(10).within(&bd(15)) && !bd(16).within(&bd(15)));
    }

    #[test]
    fn durations_parse_iso_8601_and_refuse_the_rest() {
        let d = Duration::parse("P1Y6M").unwrap();
        assert_eq!((d.years, d.months), (1, 6));
        assert_eq!(Duration::parse("PT12H").unwrap().hours, 12);
        assert_eq!(
            Duration::parse("P3Y").unwrap().to_interval_words(),
            "3 years"
        );
        for bad in [
            "",
            "P",
            "PT",
            "P1YT",
            "3Y",
            "P3y",
            "P1D1Y",
            "P0D",
            "PT0S",
            "P613566757W",
            "P1001Y",
            "P1.5Y",
            "P-1D",
        ] {
            assert!(Duration::parse(bad).is_err(), "{bad} should be refused");
        }
        assert!(Duration::parse("3 years").unwrap_err().contains("`P3Y`"));
    }

    #[test]
    fn dates_are_strict() {
        assert_eq!(Date::parse("2024-02-29").unwrap().day, 29);
        for bad in [
            "2026-02-30",
            "2026-+1-+1",
            "+202-01-01",
            "2026-1-01",
            "26-01-01",
            "2026-13-01",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn countries_suggest_the_iso_code() {
        assert!(Country::parse("NO").is_ok());
        assert!(Country::parse("US-CA").is_ok());
        assert!(Country::parse("UK").unwrap_err().contains("`GB`"));
        assert!(Country::parse("EL").unwrap_err().contains("`GR`"));
        assert!(Country::parse("GER").unwrap_err().contains("`DE`"));
        assert!(Country::parse("de").unwrap_err().contains("`DE`"));
        assert!(Country::parse("US-").is_err());
        assert!(Country::parse("US-CALIFORNIA").is_err());
    }
}
