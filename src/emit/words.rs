//! Small wording helpers shared by the notice generators ([`crate::emit::notice`] for the
//! GDPR, [`crate::emit::notice_pipl`] for the PIPL, [`crate::emit::notice_ccpa`] for the
//! CCPA): the facts every notice puts into words the same way, in English and Simplified
//! Chinese.
//!
//! What legitimately differs between the regimes stays with its generator: the US date
//! order of a CCPA notice has its own function here ([`date_words_us`]); the CCPA's list
//! style (serial comma), the PIPL's "working days" and each regime's legal bases, rights,
//! roles, sources and request channels stay in their generator.
//!
//! Chinese durations are written without a space between number and unit (`3年`, `6个月`,
//! `30天`, `15个工作日`), as Chinese is written, in every notice.

use crate::manifest::types::Language;
use crate::manifest::{Date, Deadline, Duration, Localized};
use crate::model::Model;
use crate::reference::countries;
use crate::taxonomy::CatId;

/// Whether the language is Chinese.
pub fn zh(lang: Language) -> bool {
    lang == Language::ZhCn
}

/// A manifest text in the notice's language.
///
/// A Chinese notice uses the English text of an item that has no zh-CN version, rather than
/// failing or leaving the item out: the notice stays complete, and the notice rules report
/// the missing translation for every notice whose `languages` include zh-CN.
pub fn text(l: &Localized, lang: Language) -> Option<String> {
    match lang {
        Language::En => l.en.clone(),
        Language::ZhCn => l.zh_cn.clone().or_else(|| l.en.clone()),
    }
}

/// A label inside an English sentence: "Email address" → "email address", but "IP address"
/// stays (a capital followed by a capital is an acronym).
pub fn lower_first(label: &str) -> String {
    let mut cs = label.chars();
    match (cs.next(), cs.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

/// "a", "a and b", "a, b and c"; in Chinese "甲", "甲和乙", "甲、乙和丙".
pub fn list(items: &[String], lang: Language) -> String {
    join_last(items, lang, "和", " and ")
}

/// Alternatives: "a, b or c"; in Chinese "甲、乙或丙".
pub fn list_or(items: &[String], lang: Language) -> String {
    join_last(items, lang, "或", " or ")
}

/// Items joined with commas (Chinese "、"), the last one with `en_last` or `zh_last`.
fn join_last(items: &[String], lang: Language, zh_last: &str, en_last: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] if zh(lang) => format!("{}{zh_last}{last}", init.join("、")),
        [init @ .., last] => format!("{}{en_last}{last}", init.join(", ")),
    }
}

/// A category's taxonomy label inside a sentence: the English label with [`lower_first`],
/// the Chinese one as it is (the English one when the taxonomy has no Chinese label).
pub fn cat_label(m: &Model, c: CatId, lang: Language) -> String {
    let cat = m.taxonomy.cat(c);
    match lang {
        Language::En => lower_first(cat.label_en()),
        Language::ZhCn => cat
            .label
            .zh_cn
            .clone()
            .unwrap_or_else(|| cat.label_en().to_string()),
    }
}

/// A country's name from its ISO code: "Germany", "德国".
pub fn country_name(code: &str, lang: Language) -> String {
    match lang {
        Language::En => countries::name_en(code).to_string(),
        Language::ZhCn => countries::name_zh(code).to_string(),
    }
}

/// A duration in Chinese, without spaces: `3年`, `90天`, `1年6个月`. Weeks count as days,
/// as in English ([`Duration::to_english`]); a zero duration is `0天`.
pub fn duration_zh(d: &Duration) -> String {
    let mut out = String::new();
    let days = d.weeks.saturating_mul(7).saturating_add(d.days);
    for (n, unit) in [
        (d.years, "年"),
        (d.months, "个月"),
        (days, "天"),
        (d.hours, "小时"),
        (d.minutes, "分钟"),
        (d.seconds, "秒"),
    ] {
        if n > 0 {
            out.push_str(&format!("{n}{unit}"));
        }
    }
    if out.is_empty() { "0天".into() } else { out }
}

/// A duration (a retention period) in the notice's language: "3 years", "3年".
pub fn duration_words(d: &Duration, lang: Language) -> String {
    if zh(lang) {
        duration_zh(d)
    } else {
        d.to_english()
    }
}

/// A response deadline in Chinese: "1个月", "15个工作日".
pub fn deadline_zh(d: &Deadline) -> String {
    match d {
        Deadline::BusinessDays(n) => format!("{n}个工作日"),
        Deadline::Calendar(c) => duration_zh(c),
    }
}

/// English words for a small count: "one" … "ten", then digits.
pub fn count_en(n: u32) -> String {
    const W: [&str; 11] = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    W.get(n as usize)
        .map(|w| w.to_string())
        .unwrap_or_else(|| n.to_string())
}

/// A response deadline with the counts in words, as a GDPR notice writes it: "one month",
/// "15 business days", "one business day"; in Chinese "1个月", "15个工作日".
pub fn deadline_words(d: &Deadline, lang: Language) -> String {
    match (d, zh(lang)) {
        (_, true) => deadline_zh(d),
        (Deadline::BusinessDays(n), false) => format!(
            "{} business day{}",
            count_en(*n),
            if *n == 1 { "" } else { "s" }
        ),
        (Deadline::Calendar(c), false) => {
            let days = c.weeks.saturating_mul(7).saturating_add(c.days);
            let parts: Vec<String> = [
                (c.years, "year"),
                (c.months, "month"),
                (days, "day"),
                (c.hours, "hour"),
                (c.minutes, "minute"),
                (c.seconds, "second"),
            ]
            .into_iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, u)| format!("{} {u}{}", count_en(n), if n == 1 { "" } else { "s" }))
            .collect();
            list(&parts, Language::En)
        }
    }
}

/// The English name of a month, 1 to 12 (out of range: the nearest).
pub fn month_en(month: u32) -> &'static str {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    MONTHS[(month.clamp(1, 12) - 1) as usize]
}

/// A date in Chinese: "2026年10月15日".
pub fn date_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year, d.month, d.day)
}

/// A date with the day first, as British English writes it: "15 October 2026";
/// "2026年10月15日".
pub fn date_words(d: Date, lang: Language) -> String {
    if zh(lang) {
        date_zh(d)
    } else {
        format!("{} {} {}", d.day, month_en(d.month), d.year)
    }
}

/// A date with the month first, as US English writes it (CCPA notices): "October 15, 2026";
/// "2026年10月15日".
pub fn date_words_us(d: Date, lang: Language) -> String {
    if zh(lang) {
        date_zh(d)
    } else {
        format!("{} {}, {}", month_en(d.month), d.day, d.year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn chinese_durations_have_no_space() {
        let d = |s| Duration::parse(s).unwrap();
        assert_eq!(duration_words(&d("P3Y"), Language::ZhCn), "3年");
        assert_eq!(duration_words(&d("P6M"), Language::ZhCn), "6个月");
        assert_eq!(duration_words(&d("P1Y6M"), Language::ZhCn), "1年6个月");
        assert_eq!(duration_words(&d("P2W"), Language::ZhCn), "14天");
        assert_eq!(duration_words(&d("P30D"), Language::En), "30 days");
        let b = Deadline::parse("15 business days").unwrap();
        assert_eq!(deadline_zh(&b), "15个工作日");
        assert_eq!(deadline_words(&b, Language::En), "15 business days");
        let m = Deadline::parse("P1M").unwrap();
        assert_eq!(deadline_words(&m, Language::En), "one month");
        assert_eq!(deadline_words(&m, Language::ZhCn), "1个月");
    }

    #[test]
    fn dates_and_lists_read_in_both_languages() {
        let date = Date::parse("2026-10-15").unwrap();
        assert_eq!(date_words(date, Language::En), "15 October 2026");
        assert_eq!(date_words_us(date, Language::En), "October 15, 2026");
        assert_eq!(date_words(date, Language::ZhCn), "2026年10月15日");
        assert_eq!(list(&v(&["a", "b", "c"]), Language::En), "a, b and c");
        assert_eq!(list_or(&v(&["a", "b", "c"]), Language::En), "a, b or c");
        assert_eq!(list(&v(&["甲", "乙", "丙"]), Language::ZhCn), "甲、乙和丙");
        assert_eq!(lower_first("Email address"), "email address");
        assert_eq!(lower_first("IP address"), "IP address");
    }
}
