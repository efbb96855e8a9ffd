//! The GDPR Art 13 privacy notices in English: `notices/gdpr-art13.<subject>.en.md`, one
//! per kind of data subject, each telling those people only what concerns them
//! (`notices/gdpr-art13.en.md`, for everyone, when the project declares no subjects).
//!
//! Rust builds a serializable [`NoticeContext`] with every sentence's facts already in plain
//! words; the handlebars template (`templates/gdpr_art13.en.md.hbs`, strict mode) only lays
//! them out with `#each` and `#if`. Items follow REGULATIONS.md §2.1 (Art 13(1)(a)–(f),
//! 13(2)(a)–(d), 21(4)).
//!
//! What concerns a kind of subject S ([`Scope`]):
//! - a dataset, when its `subjects` include S;
//! - a purpose, when a flow from S names it, or a flow from or to a dataset that concerns S,
//!   or a role that lists such a dataset. A purpose that nothing ties to any kind of subject
//!   (no such flow or role at all) is shown in every notice: lawful cannot tell whom it
//!   concerns, and leaving it out would hide it from the people it does concern;
//! - a recipient or a transfer, when a flow from S or from a dataset that concerns S reaches
//!   it carrying a purpose that concerns S (or no purpose at all: the data goes there
//!   whatever the reason);
//! - retention, for the personal datasets that concern S;
//! - consent withdrawal, for the consents of the purposes that concern S and rest on consent
//!   under the GDPR (Art 6(1)(a), or Art 9(2)(a) explicit consent). Consents that only the
//!   PIPL or the CCPA need are not the GDPR notice's business.
//!
//! Decisions:
//! - A purpose without an English title is headed by its id in words (`order_fulfilment` →
//!   "Order fulfilment"); its description follows as usual. No marker is shown: the notice is
//!   for the public, and CORE rules are where missing text is reported.
//! - Recipients are the recipients some flow reaches, grouped by their GDPR role
//!   (processors and sub-processors together; independent controllers; joint controllers;
//!   recipients without a GDPR role last), each with its country's English name.
//! - A transfer is a flow for which [`crate::graph::DataFlowGraph::is_gdpr_transfer`] holds;
//!   one line per destination and safeguard.
//! - A transfer under an adequacy decision that covers only part of a country says so: a US
//!   recipient relies on its certification under the EU-US Data Privacy Framework; the
//!   decisions for Canada, Japan and the Republic of Korea name whom they cover. Country
//!   names inside sentences take "the" where English needs it ("the United States").
//! - Retention is listed per personal dataset that declares one, by its English title (or
//!   its id in words: `customer_orders` → "Customer orders"), with the anchor field in words
//!   when its meaning is clear ("kept for 3 years after the record was last changed") and
//!   quoted when it is not ("from the date recorded as ‘placed on’"). Anonymisation is
//!   described from the fields' methods: "we erase the details that identify you" only when
//!   every personal field is set to NULL or cut to its year; otherwise the erased fields are
//!   named and the rest is said to be kept in pseudonymised form (GDPR Art 4(5), Recital 26).
//! - Under a purpose that also concerns other kinds of subject, a notice lists only the
//!   categories its own subjects' data holds: a staff notice does not list customers'
//!   purchases under a purpose that reaches staff only through a shared address table.
//! - Text from the manifest is inserted as written (Markdown allowed); nothing is
//!   HTML-escaped, since the output is Markdown and the authors are the project's own team.

use std::collections::BTreeMap;

use handlebars::Handlebars;
use serde::Serialize;

use crate::Project;
use crate::emit::{humanize, source_list, words};
use crate::manifest::types::{
    AnonymiseMethod, Art9Condition, GdprBasis, GdprRole, GdprTransfer, Party, RetentionAction,
};
use crate::manifest::{Period, Span};
use crate::model::{DatasetR, Model, NodeRef};
use crate::reference::countries;
use crate::report::Diagnostic;
use crate::taxonomy::CatId;

const TEMPLATE: &str = include_str!("templates/gdpr_art13.en.md.hbs");

/// Everything the template shows.
#[derive(Serialize, Debug)]
pub struct NoticeContext {
    pub generated_from: String,
    /// Whom the notice is for, in words (`customers`), when it is for one kind of subject.
    pub audience: Option<String>,
    pub controller: PartyCx,
    pub representative: Option<PartyCx>,
    pub dpo: Option<PartyCx>,
    /// The sentence that introduces the data protection officer.
    pub dpo_intro: Option<String>,
    pub purposes: Vec<PurposeCx>,
    pub recipient_groups: Vec<RecipientGroup>,
    pub transfers: Vec<TransferCx>,
    /// Where to ask for a copy of the transfer safeguards.
    pub safeguard_copy_contact: Option<String>,
    pub retention: Vec<RetentionCx>,
    pub uses_consent: bool,
    pub withdrawals: Vec<WithdrawalCx>,
    /// Some purpose relies on legitimate interests or a public task (Art 21(1)).
    pub objection_applies: bool,
    pub rights_contact: Option<String>,
    pub supervisory_authority: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct PartyCx {
    pub name: String,
    /// Contact lines: address, email, phone, web.
    pub lines: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct PurposeCx {
    pub title: String,
    pub description: Option<String>,
    pub basis: Option<String>,
    pub legitimate_interest: Option<String>,
    pub special_condition: Option<String>,
    pub categories: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct RecipientGroup {
    pub heading: String,
    pub intro: String,
    pub recipients: Vec<RecipientCx>,
}

#[derive(Serialize, Debug)]
pub struct RecipientCx {
    pub name: String,
    pub country: Option<String>,
    pub description: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct TransferCx {
    pub destination: String,
    pub country: String,
    pub safeguard: String,
    pub risks: Option<String>,
}

#[derive(Serialize, Debug)]
pub struct RetentionCx {
    pub what: String,
    pub holds: Option<String>,
    pub period: String,
}

#[derive(Serialize, Debug)]
pub struct WithdrawalCx {
    pub title: String,
    pub how: String,
}

/// Render the notice for one kind of subject (an index into `Model::subjects`), or for
/// everyone.
pub fn gdpr_art13_en(p: &Project, subject: Option<usize>) -> Result<String, Vec<Diagnostic>> {
    let cx = context(p, subject);
    render(&cx).map_err(|e| {
        vec![Diagnostic::error(
            "emit::template",
            format!("the GDPR notice template failed: {e}"),
        )]
    })
}

/// Render a context with the built-in template (strict mode: a missing field is an error).
pub fn render(cx: &NoticeContext) -> Result<String, String> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(handlebars::no_escape);
    hb.register_template_string("gdpr_art13_en", TEMPLATE)
        .map_err(|e| e.to_string())?;
    let text = hb.render("gdpr_art13_en", cx).map_err(|e| e.to_string())?;
    Ok(tidy(&text))
}

/// Collapse runs of blank lines left by `#if` blocks, and end with one newline.
fn tidy(text: &str) -> String {
    let mut out = String::new();
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            if blank > 1 {
                continue;
            }
        } else {
            blank = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    let trimmed = out.trim_end_matches('\n');
    format!("{trimmed}\n")
}

fn party(name: Option<&str>, p: &Party) -> Option<PartyCx> {
    let name = name.or(p.name.as_deref())?.to_string();
    let mut lines = Vec::new();
    if let Some(a) = &p.address {
        lines.push(a.clone());
    }
    if let Some(e) = &p.email {
        lines.push(format!("Email: {e}"));
    }
    if let Some(t) = &p.phone {
        lines.push(format!("Phone: {t}"));
    }
    if let Some(u) = &p.url {
        lines.push(format!("Web: {u}"));
    }
    if p.address.is_none()
        && let Some(c) = &p.country
    {
        lines.push(countries::name_en(c.value.as_str()).to_string());
    }
    Some(PartyCx { name, lines })
}

fn basis_words(b: GdprBasis) -> &'static str {
    match b {
        GdprBasis::Consent => "your consent (Art 6(1)(a) GDPR)",
        GdprBasis::Contract => {
            "it is necessary to perform our contract with you, or to take steps you ask for before entering into one (Art 6(1)(b) GDPR)"
        }
        GdprBasis::LegalObligation => "the law requires us to do it (Art 6(1)(c) GDPR)",
        GdprBasis::VitalInterests => {
            "it is necessary to protect your life or health, or someone else's (Art 6(1)(d) GDPR)"
        }
        GdprBasis::PublicTask => {
            "it is necessary for a task we carry out in the public interest or as an official authority (Art 6(1)(e) GDPR)"
        }
        GdprBasis::LegitimateInterests => {
            "it is necessary for our legitimate interests, which we have weighed against your interests and rights (Art 6(1)(f) GDPR)"
        }
    }
}

fn art9_words(c: Art9Condition) -> &'static str {
    match c {
        Art9Condition::ExplicitConsent => "your explicit consent (Art 9(2)(a) GDPR)",
        Art9Condition::EmploymentSocialSecurity => {
            "our duties and your rights under employment, social security and social protection law (Art 9(2)(b) GDPR)"
        }
        Art9Condition::VitalInterests => {
            "protecting your life or health, or someone else's, when you cannot give consent (Art 9(2)(c) GDPR)"
        }
        Art9Condition::NotForProfitBody => {
            "the activities of a not-for-profit body you are in regular contact with (Art 9(2)(d) GDPR)"
        }
        Art9Condition::MadePublicBySubject => {
            "you have clearly made the data public yourself (Art 9(2)(e) GDPR)"
        }
        Art9Condition::LegalClaims => {
            "establishing, exercising or defending legal claims (Art 9(2)(f) GDPR)"
        }
        Art9Condition::SubstantialPublicInterest => {
            "reasons of substantial public interest set out in law (Art 9(2)(g) GDPR)"
        }
        Art9Condition::HealthCare => {
            "providing health or social care under the law or a contract with a health professional (Art 9(2)(h) GDPR)"
        }
        Art9Condition::PublicHealth => "reasons of public health set out in law (Art 9(2)(i) GDPR)",
        Art9Condition::ArchivingResearch => {
            "archiving in the public interest, scientific or historical research, or statistics (Art 9(2)(j) GDPR)"
        }
    }
}

/// A country's English name as it reads inside a sentence: "the United States", "the
/// Netherlands", but "Japan". `code` is an alpha-2 code or a subdivision (`US-CA`).
fn country_in_sentence(code: &str) -> String {
    let alpha2 = code.get(..2).unwrap_or(code);
    let name = countries::name_en(code);
    // The names of src/reference/countries.tsv that English writes with "the".
    const WITH_THE: &[&str] = &[
        "AE", "AX", "BS", "CC", "CD", "CF", "CG", "CK", "DO", "FK", "FO", "GB", "GM", "IM", "IO",
        "KM", "KY", "MH", "MP", "MV", "NL", "PH", "PN", "SB", "SC", "TC", "TF", "UM", "US", "VG",
        "VI",
    ];
    if WITH_THE.contains(&alpha2) {
        format!("the {name}")
    } else {
        name.to_string()
    }
}

/// What an adequacy decision says for a destination, in plain words, with the limits of the
/// decisions that cover only part of a country (REGULATIONS.md §3.2): the United States
/// (organisations certified under the Data Privacy Framework), Canada (PIPEDA's commercial
/// scope), Japan (the private sector), the Republic of Korea (entities under PIPA).
/// `to_recipient`: the data goes to a recipient (not to our own systems).
fn adequacy_words(code: &str, to_recipient: bool) -> String {
    let country = country_in_sentence(code);
    let decided = format!(
        "the European Commission has decided that {country} protects personal data adequately"
    );
    match code.get(..2).unwrap_or(code) {
        "US" => format!(
            "{} its certification under the EU-US Data Privacy Framework; the European Commission has decided that organisations certified under it protect personal data adequately (Decision (EU) 2023/1795, Art 45 GDPR)",
            if to_recipient {
                "the recipient relies on"
            } else {
                "this relies on"
            }
        ),
        "CA" => format!(
            "{decided} where it is handled by organisations in their commercial activities under PIPEDA, Canada's federal private-sector privacy law (Decision 2002/2/EC, Art 45 GDPR)"
        ),
        "JP" => format!(
            "{decided} where it is handled by private businesses (Decision (EU) 2019/419, Art 45 GDPR)"
        ),
        "KR" => format!(
            "{decided} where it is handled by organisations subject to Korea's Personal Information Protection Act (PIPA) (Decision (EU) 2022/254, Art 45 GDPR)"
        ),
        _ => format!("{decided} (adequacy decision, Art 45 GDPR)"),
    }
}

/// The safeguard of a transfer in words, and the risks to point out (Art 49(1)(a)).
fn safeguard_words(t: GdprTransfer, code: &str, to_recipient: bool) -> (String, Option<String>) {
    let s = match t {
        GdprTransfer::Adequacy => adequacy_words(code, to_recipient),
        GdprTransfer::SccC2c | GdprTransfer::SccC2p | GdprTransfer::SccP2p | GdprTransfer::SccP2c => {
            "the standard contractual clauses adopted by the European Commission (Art 46(2)(c) GDPR)".into()
        }
        GdprTransfer::Bcr => {
            "binding corporate rules approved by a data protection authority (Art 47 GDPR)".into()
        }
        GdprTransfer::CodeOrCertification => {
            "an approved code of conduct or certification, with binding commitments by the recipient (Art 46(2)(e) and (f) GDPR)".into()
        }
        GdprTransfer::Derogation491A => {
            "your explicit consent to this transfer (Art 49(1)(a) GDPR)".into()
        }
        GdprTransfer::Derogation491B => {
            "the transfer is necessary to perform our contract with you (Art 49(1)(b) GDPR)".into()
        }
        GdprTransfer::Derogation491C => {
            "the transfer is necessary for a contract made in your interest (Art 49(1)(c) GDPR)".into()
        }
        GdprTransfer::Derogation491D => {
            "the transfer is necessary for important reasons of public interest (Art 49(1)(d) GDPR)".into()
        }
        GdprTransfer::Derogation491E => {
            "the transfer is necessary to establish, exercise or defend legal claims (Art 49(1)(e) GDPR)".into()
        }
        GdprTransfer::Derogation491F => {
            "the transfer is necessary to protect your life or health, or someone else's, when you cannot give consent (Art 49(1)(f) GDPR)".into()
        }
        GdprTransfer::Derogation491G => {
            "the data comes from a public register (Art 49(1)(g) GDPR)".into()
        }
    };
    let country = country_in_sentence(code);
    let risks = (t == GdprTransfer::Derogation491A).then(|| {
        format!(
            "No adequacy decision covers this transfer to {country}, and no safeguard such as standard contractual clauses protects it, so your data may be less protected there than in the EU, and you may find it harder to exercise your rights."
        )
    });
    (s, risks)
}

/// When a retention period starts, from its anchor field, as words that follow the period:
/// "3 years after the record was last changed" (`last_update`), "10 years after the
/// payment" (`payment_date`). Only names whose meaning is clear are turned into a phrase;
/// any other name is quoted: "2 years from the date recorded as ‘placed on’".
fn anchor_phrase(field: &str) -> String {
    let w = words(field);
    // A trailing "at", "on", "date", "time" names the column's type, not the event.
    let mut toks: Vec<&str> = w.split(' ').filter(|t| !t.is_empty()).collect();
    while toks.len() > 1
        && matches!(
            *toks.last().unwrap_or(&""),
            "at" | "on" | "date" | "time" | "ts" | "timestamp" | "datetime" | "utc"
        )
    {
        toks.pop();
    }
    let stem = toks.join(" ");
    let event = match stem.as_str() {
        "timestamp" | "ts" | "date" | "time" | "datetime" | "recorded" | "record" => {
            return "from the date stored with each record".into();
        }
        "created" | "create" | "creation" | "date created" | "inserted" | "insert" => {
            "the record was created"
        }
        "updated" | "update" | "last update" | "last updated" | "modified" | "last modified"
        | "date modified" | "modification" | "changed" | "last changed" | "last change" => {
            "the record was last changed"
        }
        "last order" | "last ordered" => "the last order",
        "last purchase" | "last purchased" => "the last purchase",
        "last login" | "last logged in" | "last sign in" | "last signin" | "last signed in" => {
            "the last sign-in"
        }
        "last seen" | "last activity" | "last active" => "the last activity",
        "last visit" | "last visited" => "the last visit",
        "last contact" | "last contacted" => "the last contact",
        "payment" | "paid" => "the payment",
        "rental" | "rented" => "the rental",
        "order" => "the order",
        "purchase" | "purchased" => "the purchase",
        "booking" | "booked" => "the booking",
        "transaction" => "the transaction",
        "invoice" | "invoiced" => "the invoice",
        "visit" | "visited" => "the visit",
        "appointment" => "the appointment",
        "event" | "occurred" | "happened" => "the event",
        "completed" | "completion" => "completion",
        "delivered" | "delivery" => "delivery",
        "cancelled" | "canceled" | "cancellation" => "cancellation",
        "terminated" | "termination" => "termination",
        "expired" | "expiry" | "expiration" | "expires" => "expiry",
        "ended" | "end" => "the end",
        "submitted" | "submission" => "submission",
        "registered" | "registration" | "signed up" | "signup" | "sign up" => "registration",
        _ => return format!("from the date recorded as ‘{}’", w.trim()),
    };
    format!("after {event}")
}

/// What anonymisation leaves of a row, from each personal field's method (as the retention
/// job applies them: the subject key and the anchor are kept unless they say otherwise; any
/// other personal field without a method is set to NULL).
///
/// Only when every personal field is set to NULL or cut to its year may the notice say that
/// the details that identify the person are erased. A field that is kept or replaced by a
/// salted hash leaves the row pseudonymised, which is still personal data (GDPR Art 4(5),
/// Recital 26): the notice then names what is erased and says the rest is kept in
/// pseudonymised form.
fn anonymisation_words(m: &Model, d: &DatasetR) -> String {
    let mut erased = Vec::new();
    let mut to_year = Vec::new();
    let mut pseudonymised = false;
    for (i, f) in d.fields.iter().enumerate() {
        if !f.is_personal(&m.taxonomy) {
            continue;
        }
        let method = if Some(i) == d.subject_key {
            AnonymiseMethod::Keep
        } else {
            match f.decl.anonymise.as_ref() {
                Some(a) => a.value,
                None if Some(i) == d.anchor => AnonymiseMethod::Keep,
                None => AnonymiseMethod::Null,
            }
        };
        let name = field_words(&f.name.value);
        match method {
            AnonymiseMethod::Null => erased.push(name),
            AnonymiseMethod::Year => to_year.push(name),
            AnonymiseMethod::Hash | AnonymiseMethod::Keep => pseudonymised = true,
        }
    }
    let year =
        (!to_year.is_empty()).then(|| format!("keep only the year of the {}", and_list(&to_year)));
    if !pseudonymised {
        return match year {
            Some(y) => format!("Then we erase the details that identify you, and {y}"),
            None => "Then we erase the details that identify you".into(),
        };
    }
    let what = match (erased.is_empty(), year) {
        (false, Some(y)) => format!("we erase the {} and {y}", and_list(&erased)),
        (false, None) => format!("we erase the {}", and_list(&erased)),
        (true, Some(y)) => format!("we {y}"),
        (true, None) => return "Then the records are kept in pseudonymised form".into(),
    };
    format!("Then {what}; the rest is kept in pseudonymised form")
}

/// A field name as words for a notice: `postal_code` → "postal code", `address2` →
/// "address 2".
fn field_words(name: &str) -> String {
    let w = words(name);
    let mut out = String::new();
    let mut prev: Option<char> = None;
    for c in w.chars() {
        if let Some(p) = prev
            && ((p.is_ascii_alphabetic() && c.is_ascii_digit())
                || (p.is_ascii_digit() && c.is_ascii_alphabetic()))
        {
            out.push(' ');
        }
        out.push(c);
        prev = Some(c);
    }
    out
}

/// "a", "a and b", "a, b and c".
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// An id as a title, for an item without an English title: `customer_orders` → "Customer
/// orders", `DSAR_requests` → "DSAR requests" (a word in capitals stays so), `d` → "D".
/// Non-ASCII ids are kept as they are.
fn id_title(id: &str) -> String {
    if !id.chars().any(|c| c.is_ascii_uppercase()) {
        return humanize(id);
    }
    let chars: Vec<char> = id.chars().collect();
    let mut spaced = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if matches!(c, '_' | '-' | '.') {
            spaced.push(' ');
            continue;
        }
        let prev = i.checked_sub(1).map(|j| chars[j]);
        let next = chars.get(i + 1).copied();
        if c.is_ascii_uppercase()
            && let Some(p) = prev
            && (p.is_ascii_lowercase()
                || p.is_ascii_digit()
                || (p.is_ascii_uppercase() && next.is_some_and(|n| n.is_ascii_lowercase())))
        {
            spaced.push(' ');
        }
        spaced.push(c);
    }
    let toks: Vec<String> = spaced
        .split_whitespace()
        .map(|t| {
            let acronym = t.chars().filter(|c| c.is_alphabetic()).count() > 1
                && !t.chars().any(|c| c.is_lowercase());
            if acronym {
                t.to_string()
            } else {
                t.to_lowercase()
            }
        })
        .collect();
    let s = toks.join(" ");
    let mut cs = s.chars();
    match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => id.to_string(),
    }
}

/// A label inside a sentence: "Email address" → "email address", but "IP address" stays.
fn lower_first(label: &str) -> String {
    let mut cs = label.chars();
    match (cs.next(), cs.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(label.chars().skip(1)).collect()
        }
        _ => label.to_string(),
    }
}

fn join_labels(mut labels: Vec<String>) -> Option<String> {
    labels.dedup();
    if labels.is_empty() {
        return None;
    }
    let s = labels.join(", ");
    let mut cs = s.chars();
    Some(match cs.next() {
        Some(f) => f.to_uppercase().chain(cs).collect(),
        None => s,
    })
}

/// What one notice covers: by index, the purposes, datasets and flows that concern its kind
/// of subject (everything, for a notice for everyone).
pub struct Scope {
    pub purposes: Vec<bool>,
    pub datasets: Vec<bool>,
    /// Flows whose destination the notice names (as a recipient or a transfer).
    pub flows: Vec<bool>,
}

impl Scope {
    /// Everything: the notice of a project without subjects.
    pub fn all(m: &Model) -> Scope {
        Scope {
            purposes: vec![true; m.purposes.len()],
            datasets: vec![true; m.datasets.len()],
            flows: vec![true; m.flows.len()],
        }
    }

    /// What concerns subject kind `s` (see the module documentation).
    pub fn of(m: &Model, s: usize) -> Scope {
        let datasets: Vec<bool> = m.datasets.iter().map(|d| d.subjects.contains(&s)).collect();
        let tied = purposes_tied(m, |n| match n {
            NodeRef::Subject(i) => i == s,
            NodeRef::Dataset(d) => datasets[d],
            _ => false,
        });
        // Purposes tied to no kind of subject at all go to everyone.
        let any = purposes_tied(m, |n| match n {
            NodeRef::Subject(_) => true,
            NodeRef::Dataset(d) => !m.datasets[d].subjects.is_empty(),
            _ => false,
        });
        let purposes: Vec<bool> = tied.iter().zip(&any).map(|(&t, &a)| t || !a).collect();
        let flows = m
            .flows
            .iter()
            .map(|f| {
                let from = match f.from {
                    NodeRef::Subject(i) => i == s,
                    NodeRef::Dataset(d) => datasets[d],
                    _ => false,
                };
                from && (f.purposes.is_empty() || f.purposes.iter().any(|&p| purposes[p]))
            })
            .collect();
        Scope {
            purposes,
            datasets,
            flows,
        }
    }
}

/// Purposes named by a flow from a node `from_s` accepts (a subject, or a dataset, when it
/// is the flow's source or destination), or by a role that lists such a dataset.
fn purposes_tied(m: &Model, concerns: impl Fn(NodeRef) -> bool) -> Vec<bool> {
    let mut tied = vec![false; m.purposes.len()];
    for f in &m.flows {
        let hit = match (f.from, f.to) {
            (NodeRef::Subject(_), _) => concerns(f.from),
            (from, to) => {
                (matches!(from, NodeRef::Dataset(_)) && concerns(from))
                    || (matches!(to, NodeRef::Dataset(_)) && concerns(to))
            }
        };
        if hit {
            for &p in &f.purposes {
                tied[p] = true;
            }
        }
    }
    for r in &m.roles {
        if r.datasets.iter().any(|&d| concerns(NodeRef::Dataset(d))) {
            for &p in &r.purposes {
                tied[p] = true;
            }
        }
    }
    tied
}

/// The categories of data about subject kind `s` that purpose `p` uses, when `p` also
/// concerns other people: what flows from `s` naming `p` collect, what flows naming `p` take
/// from or bring to a dataset about `s`, and what the datasets about `s` that a role of `p`
/// reads hold.
///
/// `None`, and the notice lists all the purpose's categories, when everything that ties `p`
/// to people ties it to `s` (the purpose's own list is then the best account), when nothing
/// does (a purpose shown to everyone), or when what is tied to `s` holds none of the
/// purpose's categories (listing all of them beats listing none).
///
/// This keeps a notice for staff from listing customers' purchase history under a purpose
/// that reaches staff only through a dataset both share (an address table).
fn data_of_subject(m: &Model, p: usize, s: usize, about: &[bool]) -> Option<Vec<CatId>> {
    let dataset_cats = |d: usize| -> Vec<CatId> {
        m.datasets[d]
            .fields
            .iter()
            .flat_map(|f| f.categories.iter().map(|c| c.cat))
            .collect()
    };
    let mut held: Vec<CatId> = Vec::new();
    // Something ties `p` to data that is not about `s`.
    let mut others = false;
    for f in m.flows.iter().filter(|f| f.purposes.contains(&p)) {
        let end = match (f.from, f.to) {
            (NodeRef::Subject(i), to) if i == s => Some(to),
            (NodeRef::Dataset(d), _) if about[d] => Some(f.from),
            (_, NodeRef::Dataset(d)) if about[d] => Some(f.to),
            _ => None,
        };
        others |= end.is_none()
            && (matches!(f.from, NodeRef::Subject(_) | NodeRef::Dataset(_))
                || matches!(f.to, NodeRef::Dataset(_)));
        let Some(end) = end else { continue };
        match (&f.categories, end) {
            (Some(cats), _) => held.extend(cats.iter().map(|c| c.cat)),
            (None, NodeRef::Dataset(d)) => held.extend(dataset_cats(d)),
            // A flow from the subjects to somewhere else, without categories: anything.
            (None, _) => return None,
        }
    }
    for r in m.roles.iter().filter(|r| r.purposes.contains(&p)) {
        others |= r.datasets.iter().any(|&d| !about[d]);
        for &d in r.datasets.iter().filter(|&&d| about[d]) {
            held.extend(dataset_cats(d));
        }
    }
    if !others {
        return None;
    }
    let used = m.purposes[p].categories.iter().any(|c| {
        held.iter()
            .any(|&x| m.taxonomy.is_within(x, c.cat) || m.taxonomy.is_within(c.cat, x))
    });
    used.then_some(held)
}

/// Build the context of the notice for one kind of subject, or for everyone.
pub fn context(p: &Project, subject: Option<usize>) -> NoticeContext {
    let m = &p.model;
    let scope = match subject {
        Some(s) => Scope::of(m, s),
        None => Scope::all(m),
    };
    let audience = subject.map(|s| {
        let sub = &m.subjects[s];
        lower_first(
            &sub.decl
                .title
                .en
                .clone()
                .unwrap_or_else(|| words(&sub.id.value)),
        )
    });
    let org = m.organization.as_ref().map(|o| &o.value);
    let controller = org
        .and_then(|o| party(Some(&o.name.value), &o.contact))
        .unwrap_or(PartyCx {
            name: "the controller".into(),
            lines: Vec::new(),
        });
    let representative = org
        .and_then(|o| o.eu_representative.as_ref())
        .and_then(|r| party(None, &r.value));
    let dpo = org.and_then(|o| o.dpo.as_ref()).and_then(|d| {
        party(
            Some(d.value.name.as_deref().unwrap_or("Data protection officer")),
            &d.value,
        )
    });
    // A name that already says what the person is ("Dr Jana Keller (external data
    // protection officer)") is not introduced as such again.
    let dpo_intro = org.and_then(|o| o.dpo.as_ref()).map(|d| {
        let who = match d.value.name.as_deref() {
            None => "our data protection officer".to_string(),
            Some(n) if n.to_lowercase().contains("data protection officer") => n.to_string(),
            Some(n) => format!("our data protection officer, {n},"),
        };
        format!("You can contact {who} about anything in this notice.")
    });
    let rights_contact = org
        .and_then(|o| o.contact.email.clone().or(o.contact.url.clone()))
        .or_else(|| {
            org.and_then(|o| o.dpo.as_ref())
                .and_then(|d| d.value.email.clone())
        });

    // Purposes, in declaration order.
    let mut uses_consent = false;
    let mut objection_applies = false;
    let purposes = m
        .purposes
        .iter()
        .enumerate()
        .filter(|(i, _)| scope.purposes[*i])
        .map(|(i, pr)| {
            let d = &pr.decl.value;
            let basis = m.gdpr_basis(i);
            uses_consent |= basis == Some(GdprBasis::Consent);
            objection_applies |= matches!(
                basis,
                Some(GdprBasis::LegitimateInterests | GdprBasis::PublicTask)
            );
            let cond = d.gdpr_art9_condition.as_ref().map(|c| c.value);
            uses_consent |= cond == Some(Art9Condition::ExplicitConsent);
            let held = subject.and_then(|s| data_of_subject(m, i, s, &scope.datasets));
            let mut labels: Vec<String> = pr
                .categories
                .iter()
                .filter(|c| {
                    held.as_ref().is_none_or(|h| {
                        h.iter().any(|&x| {
                            m.taxonomy.is_within(x, c.cat) || m.taxonomy.is_within(c.cat, x)
                        })
                    })
                })
                .map(|c| lower_first(m.taxonomy.cat(c.cat).label_en()))
                .collect();
            labels.sort_by_key(|l| l.to_lowercase());
            PurposeCx {
                title: d.title.en.clone().unwrap_or_else(|| id_title(&pr.id.value)),
                description: d.description.en.clone(),
                basis: basis.map(|b| match (b, &d.law_ref) {
                    (GdprBasis::LegalObligation, Some(law)) => {
                        format!("the law requires us to do it: {law} (Art 6(1)(c) GDPR)")
                    }
                    _ => basis_words(b).to_string(),
                }),
                legitimate_interest: (basis == Some(GdprBasis::LegitimateInterests))
                    .then(|| d.legitimate_interest.as_ref().and_then(|l| l.en.clone()))
                    .flatten(),
                special_condition: cond.map(|c| art9_words(c).to_string()),
                categories: join_labels(labels),
            }
        })
        .collect();

    // Recipients reached by a flow, grouped by GDPR role.
    let mut reached: Vec<usize> = m
        .flows
        .iter()
        .enumerate()
        .filter(|(fi, _)| scope.flows[*fi])
        .filter_map(|(_, f)| match f.to {
            NodeRef::Recipient(r) => Some(r),
            _ => None,
        })
        .collect();
    reached.sort();
    reached.dedup();
    let mut groups: BTreeMap<u8, Vec<RecipientCx>> = BTreeMap::new();
    for r in reached {
        let rec = &m.recipients[r].decl.value;
        let key = match rec.role.gdpr.as_ref().map(|g| g.value) {
            Some(GdprRole::Processor | GdprRole::SubProcessor) => 0,
            Some(GdprRole::Controller) => 1,
            Some(GdprRole::JointController) => 2,
            None => 3,
        };
        groups.entry(key).or_default().push(RecipientCx {
            name: rec.name.value.clone(),
            country: rec
                .country
                .as_ref()
                .map(|c| countries::name_en(c.value.as_str()).to_string()),
            description: rec.description.en.clone(),
        });
    }
    let recipient_groups = groups
        .into_iter()
        .map(|(k, mut recipients)| {
            recipients.sort_by(|a, b| a.name.cmp(&b.name));
            let (heading, intro) = match k {
                0 => (
                    "Service providers (processors)",
                    "They process your data only on our instructions and under a contract that protects it.",
                ),
                1 => (
                    "Other organisations (independent controllers)",
                    "They receive data from us and decide themselves how they use it; their own privacy notices apply.",
                ),
                2 => (
                    "Joint controllers",
                    "We decide together with them why and how your data is used. You can exercise your rights with us or with them, and you can ask us for the essence of our arrangement with them.",
                ),
                _ => ("Other recipients", "They receive some of your data from us."),
            };
            RecipientGroup {
                heading: heading.into(),
                intro: intro.into(),
                recipients,
            }
        })
        .collect();

    // Transfers outside the EEA.
    let mut transfers: Vec<TransferCx> = Vec::new();
    let mut copyable = false;
    for (fi, f) in m.flows.iter().enumerate() {
        if !scope.flows[fi] || !p.graph.is_gdpr_transfer(m, fi) {
            continue;
        }
        let Some(country) = m.node_country(f.to) else {
            continue;
        };
        let country_name = countries::name_en(country.as_str()).to_string();
        let destination = match f.to {
            NodeRef::Recipient(r) => m.recipients[r].decl.name.value.clone(),
            _ => "our own systems".to_string(),
        };
        let tool = f
            .decl
            .transfer
            .as_ref()
            .and_then(|t| t.value.gdpr.as_ref())
            .map(|g| g.value);
        let (safeguard, risks) = match tool {
            Some(t) => {
                copyable |= !matches!(
                    t,
                    GdprTransfer::Adequacy
                        | GdprTransfer::Derogation491A
                        | GdprTransfer::Derogation491B
                        | GdprTransfer::Derogation491C
                        | GdprTransfer::Derogation491D
                        | GdprTransfer::Derogation491E
                        | GdprTransfer::Derogation491F
                        | GdprTransfer::Derogation491G
                );
                safeguard_words(t, country.as_str(), matches!(f.to, NodeRef::Recipient(_)))
            }
            None => (
                "ask us which safeguard protects this transfer".to_string(),
                None,
            ),
        };
        let t = TransferCx {
            destination,
            country: country_name,
            safeguard,
            risks,
        };
        if !transfers.iter().any(|x| {
            x.destination == t.destination && x.country == t.country && x.safeguard == t.safeguard
        }) {
            transfers.push(t);
        }
    }
    transfers.sort_by(|a, b| {
        (&a.destination, &a.country, &a.safeguard).cmp(&(&b.destination, &b.country, &b.safeguard))
    });
    let safeguard_copy_contact = if copyable {
        rights_contact.clone()
    } else {
        None
    };

    // Retention per personal dataset.
    let mut retention: Vec<RetentionCx> = m
        .datasets
        .iter()
        .enumerate()
        .filter(|(i, d)| scope.datasets[*i] && d.is_personal(&m.taxonomy))
        .map(|(_, d)| d)
        .filter_map(|d| {
            let ret = d.decl.retention.as_ref()?;
            let what = d
                .decl
                .title
                .en
                .clone()
                .unwrap_or_else(|| id_title(&d.id.value));
            let mut labels: Vec<String> = d
                .fields
                .iter()
                .flat_map(|f| f.categories.iter())
                .filter(|c| m.taxonomy.cat(c.cat).personal)
                .map(|c| lower_first(m.taxonomy.cat(c.cat).label_en()))
                .collect();
            labels.sort_by_key(|l| l.to_lowercase());
            let anchor = d
                .anchor
                .map(|a| anchor_phrase(&d.fields[a].name.value))
                .unwrap_or_else(|| "from the date stored with each record".into());
            let period = match &ret.period.value {
                Period::Duration(dur) => match ret.then.value {
                    RetentionAction::Delete => {
                        format!("kept for {} {anchor}, then deleted", dur.to_english())
                    }
                    RetentionAction::Anonymise => format!(
                        "kept for {} {anchor}. {}",
                        dur.to_english(),
                        anonymisation_words(m, d)
                    ),
                },
                Period::Indefinite => "kept without a fixed end date".to_string(),
            };
            Some(RetentionCx {
                what,
                holds: join_labels(labels).map(|s| lower_first(&s)),
                period,
            })
        })
        .collect();
    retention.sort_by(|a, b| a.what.cmp(&b.what));

    // Withdrawal of consent.
    // A consent is listed when a purpose of this notice rests on it under the GDPR.
    let gdpr_consent = |i: usize| {
        scope.purposes[i]
            && (m.gdpr_basis(i) == Some(GdprBasis::Consent)
                || m.purposes[i]
                    .decl
                    .gdpr_art9_condition
                    .as_ref()
                    .is_some_and(|c| c.value == Art9Condition::ExplicitConsent))
    };
    let mut withdrawals: Vec<WithdrawalCx> = m
        .consents
        .iter()
        .enumerate()
        .filter(|(ci, c)| {
            c.purposes.iter().any(|&i| gdpr_consent(i))
                || (0..m.purposes.len())
                    .any(|i| m.purposes[i].consent == Some(*ci) && gdpr_consent(i))
        })
        .filter_map(|(_, c)| {
            let how = c.decl.withdrawal.as_ref()?.en.clone()?;
            Some(WithdrawalCx {
                title: c
                    .decl
                    .title
                    .en
                    .clone()
                    .unwrap_or_else(|| id_title(&c.id.value)),
                how,
            })
        })
        .collect();
    withdrawals.sort_by(|a, b| a.title.cmp(&b.title));

    let spans: Vec<Span> = m
        .organization
        .iter()
        .map(|o| o.span)
        .chain(m.purposes.iter().map(|p| p.id.span))
        .chain(m.datasets.iter().map(|d| d.id.span))
        .chain(m.recipients.iter().map(|r| r.id.span))
        .chain(m.consents.iter().map(|c| c.id.span))
        .collect();

    NoticeContext {
        generated_from: source_list(m, spans),
        audience,
        controller,
        representative,
        dpo,
        dpo_intro,
        purposes,
        recipient_groups,
        transfers,
        safeguard_copy_contact,
        retention,
        uses_consent,
        withdrawals,
        objection_applies,
        rights_contact,
        supervisory_authority: org.and_then(|o| o.supervisory_authority.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_read_as_english() {
        assert_eq!(
            anchor_phrase("last_update"),
            "after the record was last changed"
        );
        assert_eq!(
            anchor_phrase("updated_at"),
            "after the record was last changed"
        );
        assert_eq!(anchor_phrase("created_at"), "after the record was created");
        assert_eq!(anchor_phrase("create_date"), "after the record was created");
        assert_eq!(anchor_phrase("occurred_at"), "after the event");
        assert_eq!(anchor_phrase("lastLoginAt"), "after the last sign-in");
        assert_eq!(anchor_phrase("last_order_at"), "after the last order");
        assert_eq!(anchor_phrase("payment_date"), "after the payment");
        assert_eq!(anchor_phrase("completed_at"), "after completion");
        // Names whose meaning is not clear are quoted, never guessed at.
        assert_eq!(
            anchor_phrase("placed_on"),
            "from the date recorded as ‘placed on’"
        );
        assert_eq!(
            anchor_phrase("due_date"),
            "from the date recorded as ‘due date’"
        );
        assert_eq!(
            anchor_phrase("timestamp"),
            "from the date stored with each record"
        );
        assert_eq!(
            anchor_phrase("发生时间"),
            "from the date recorded as ‘发生时间’"
        );
    }

    #[test]
    fn ids_read_as_titles() {
        assert_eq!(id_title("customer_orders"), "Customer orders");
        assert_eq!(id_title("customerOrders"), "Customer orders");
        assert_eq!(id_title("DSAR_requests"), "DSAR requests");
        assert_eq!(id_title("IPLog"), "IP log");
        assert_eq!(id_title("d"), "D");
        assert_eq!(id_title("客户订单"), "客户订单");
        assert_eq!(field_words("address2"), "address 2");
    }

    #[test]
    fn countries_take_the_article_english_gives_them() {
        assert_eq!(country_in_sentence("US"), "the United States");
        assert_eq!(country_in_sentence("US-CA"), "the United States");
        assert_eq!(country_in_sentence("GB"), "the United Kingdom");
        assert_eq!(country_in_sentence("NL"), "the Netherlands");
        assert_eq!(country_in_sentence("IM"), "the Isle of Man");
        assert_eq!(country_in_sentence("JP"), "Japan");
        assert_eq!(country_in_sentence("CZ"), "Czechia");
        assert_eq!(country_in_sentence("KR"), "South Korea");
    }
}
