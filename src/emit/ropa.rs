//! Records of processing: the GDPR Art 30(1) controller record, the Art 30(2) processor
//! record and the PIPL processing record, as CSV and Markdown.
//!
//! | file | when | one row per |
//! | --- | --- | --- |
//! | `records/gdpr-art30-controller.{csv,md}` | the GDPR applies | purpose within its reach |
//! | `records/gdpr-art30-processor.{csv,md}` | the GDPR applies | processor or sub-processor |
//! | `records/pipl-processing-record.{csv,md}` | the PIPL applies | purpose within its reach |
//!
//! Every row ends with the `file:line` of the YAML declaration it comes from. Rows follow
//! the manifest's order of declaration, so the same input gives the same bytes.

use std::collections::BTreeSet;

use crate::Project;
use crate::graph::DataFlowGraph;
use crate::manifest::types::{
    AssessmentKind, ConsentKind, GdprBasis, GdprRole, GdprTransfer, PiplBasis, PiplRole,
    PiplTransfer, RegimeName, RetentionAction,
};
use crate::manifest::{Duration, Party, Period, Span};
use crate::model::{Model, NodeRef};
use crate::reference::countries;
use crate::report::Diagnostic;
use crate::rules::checklist::gdpr::representative_due;
use crate::rules::facts;
use crate::taxonomy::CatId;

/// Every record file, by path relative to the output folder.
pub fn all(p: &Project) -> Result<Vec<(String, String)>, Vec<Diagnostic>> {
    let m = &p.model;
    let mut out = Vec::new();
    if m.applies(RegimeName::Gdpr) {
        let (csv, md) = gdpr_controller(m, &p.graph);
        out.push((
            "records/gdpr-art30-controller.csv".to_string(),
            csv.to_csv(),
        ));
        out.push(("records/gdpr-art30-controller.md".to_string(), md.to_md()));
        let r = gdpr_processor(m, &p.graph);
        out.push(("records/gdpr-art30-processor.csv".to_string(), r.to_csv()));
        out.push(("records/gdpr-art30-processor.md".to_string(), r.to_md()));
    }
    if m.applies(RegimeName::Pipl) {
        let r = pipl_record(m, &p.graph);
        out.push(("records/pipl-processing-record.csv".to_string(), r.to_csv()));
        out.push(("records/pipl-processing-record.md".to_string(), r.to_md()));
    }
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Tables

/// A record: a Markdown preamble, and a table written both as CSV and as Markdown.
pub(crate) struct Table {
    /// Markdown shown above the table (title and what the record is).
    pub preamble: String,
    /// (CSV column name, Markdown column header).
    pub columns: Vec<(&'static str, &'static str)>,
    pub rows: Vec<Vec<String>>,
    /// Markdown shown when there is no row.
    pub empty: &'static str,
}

impl Table {
    /// CSV with a header line, quoted as RFC 4180 says; lines end with LF, like the
    /// footer every artefact gets.
    pub fn to_csv(&self) -> String {
        let mut s = String::new();
        let head: Vec<String> = self.columns.iter().map(|c| c.0.to_string()).collect();
        csv_line(&mut s, &head);
        for r in &self.rows {
            debug_assert_eq!(r.len(), self.columns.len());
            csv_line(&mut s, r);
        }
        s
    }

    /// The preamble, then a Markdown table (or `empty` when there is no row).
    pub fn to_md(&self) -> String {
        let mut s = self.preamble.clone();
        if !s.is_empty() && !s.ends_with("\n\n") {
            s.push('\n');
        }
        if self.rows.is_empty() {
            s.push_str(self.empty);
            s.push('\n');
            return s;
        }
        let head: Vec<&str> = self.columns.iter().map(|c| c.1).collect();
        s.push_str(&format!("| {} |\n", head.join(" | ")));
        s.push_str(&format!(
            "|{}\n",
            head.iter().map(|_| " --- |").collect::<String>()
        ));
        for r in &self.rows {
            let cells: Vec<String> = r.iter().map(|c| md_cell(c)).collect();
            s.push_str(&format!("| {} |\n", cells.join(" | ")));
        }
        s
    }
}

/// One CSV record: fields holding a comma, a double quote, CR or LF are quoted, with
/// quotes doubled (RFC 4180).
pub(crate) fn csv_line(out: &mut String, fields: &[String]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        if f.contains([',', '"', '\r', '\n']) {
            out.push('"');
            out.push_str(&f.replace('"', "\"\""));
            out.push('"');
        } else {
            out.push_str(f);
        }
    }
    out.push('\n');
}

/// A value as one Markdown table cell: pipes escaped, line breaks as `<br>`, empty as `—`.
pub(crate) fn md_cell(v: &str) -> String {
    if v.trim().is_empty() {
        return "—".to_string();
    }
    v.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

/// `purposes.yaml:12`: where a declaration is, for the `source` column.
pub(crate) fn source(m: &Model, span: Span) -> String {
    match m.sources.locate(span) {
        Some((file, line, _)) => format!("{file}:{line}"),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// Shared wording

/// A party's name and contact details on one line.
fn party(p: &Party) -> String {
    [&p.name, &p.email, &p.phone, &p.address, &p.url]
        .iter()
        .filter_map(|v| v.as_deref())
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

fn cat_en(m: &Model, c: CatId) -> String {
    let cat = m.taxonomy.cat(c);
    let mut s = cat.label.en.clone().unwrap_or_else(|| cat.id.clone());
    if cat.is_gdpr_special() {
        s.push_str(" (special category, Art 9)");
    } else if cat.is_gdpr_criminal() {
        s.push_str(" (criminal offences, Art 10)");
    }
    s
}

fn cat_zh(m: &Model, c: CatId) -> String {
    let cat = m.taxonomy.cat(c);
    cat.label
        .zh_cn
        .clone()
        .or_else(|| cat.label.en.clone())
        .unwrap_or_else(|| cat.id.clone())
}

fn subject_en(m: &Model, s: usize) -> String {
    let sr = &m.subjects[s];
    sr.decl
        .title
        .en
        .clone()
        .unwrap_or_else(|| super::humanize(&sr.id.value))
}

fn subject_zh(m: &Model, s: usize) -> String {
    let sr = &m.subjects[s];
    sr.decl
        .title
        .zh_cn
        .clone()
        .or_else(|| sr.decl.title.en.clone())
        .unwrap_or_else(|| sr.id.value.clone())
}

fn purpose_en(m: &Model, p: usize) -> String {
    let pr = &m.purposes[p];
    pr.decl
        .title
        .en
        .clone()
        .unwrap_or_else(|| super::humanize(&pr.id.value))
}

fn country_en(c: &crate::manifest::Country) -> String {
    format!("{} ({c})", countries::name_en(c.alpha2()))
}

fn country_zh(c: &crate::manifest::Country) -> String {
    format!("{}（{c}）", countries::name_zh(c.alpha2()))
}

fn gdpr_basis(b: GdprBasis) -> &'static str {
    match b {
        GdprBasis::Consent => "consent (Art 6(1)(a))",
        GdprBasis::Contract => "contract (Art 6(1)(b))",
        GdprBasis::LegalObligation => "legal obligation (Art 6(1)(c))",
        GdprBasis::VitalInterests => "vital interests (Art 6(1)(d))",
        GdprBasis::PublicTask => "public task (Art 6(1)(e))",
        GdprBasis::LegitimateInterests => "legitimate interests (Art 6(1)(f))",
    }
}

fn gdpr_role(r: GdprRole) -> &'static str {
    match r {
        GdprRole::Processor => "processor",
        GdprRole::SubProcessor => "sub-processor",
        GdprRole::Controller => "controller",
        GdprRole::JointController => "joint controller",
    }
}

/// A GDPR transfer tool in words, with its article.
pub(crate) fn gdpr_tool(t: GdprTransfer) -> &'static str {
    match t {
        GdprTransfer::Adequacy => "adequacy decision (Art 45)",
        GdprTransfer::SccC2c => "standard contractual clauses, module 1 (Art 46(2)(c))",
        GdprTransfer::SccC2p => "standard contractual clauses, module 2 (Art 46(2)(c))",
        GdprTransfer::SccP2p => "standard contractual clauses, module 3 (Art 46(2)(c))",
        GdprTransfer::SccP2c => "standard contractual clauses, module 4 (Art 46(2)(c))",
        GdprTransfer::Bcr => "binding corporate rules (Art 47)",
        GdprTransfer::CodeOrCertification => "code of conduct or certification (Art 46(2)(e)-(f))",
        GdprTransfer::Derogation491A => "explicit consent (Art 49(1)(a))",
        GdprTransfer::Derogation491B => {
            "necessary for a contract with the data subject (Art 49(1)(b))"
        }
        GdprTransfer::Derogation491C => {
            "necessary for a contract in the data subject's interest (Art 49(1)(c))"
        }
        GdprTransfer::Derogation491D => "important reasons of public interest (Art 49(1)(d))",
        GdprTransfer::Derogation491E => "legal claims (Art 49(1)(e))",
        GdprTransfer::Derogation491F => "vital interests (Art 49(1)(f))",
        GdprTransfer::Derogation491G => "public register (Art 49(1)(g))",
    }
}

fn pipl_tool(t: PiplTransfer) -> &'static str {
    match t {
        PiplTransfer::SecurityAssessment => {
            "通过国家网信部门组织的安全评估（第三十八条第一款第（一）项）"
        }
        PiplTransfer::Certification => {
            "经专业机构进行个人信息保护认证（第三十八条第一款第（二）项）"
        }
        PiplTransfer::StandardContract => "与境外接收方订立标准合同（第三十八条第一款第（三）项）",
        PiplTransfer::ExemptContract => {
            "为订立、履行个人作为一方当事人的合同所必需，免于申报（《促进和规范数据跨境流动规定》第五条第（一）项）"
        }
        PiplTransfer::ExemptHr => {
            "跨境人力资源管理所必需，免于申报（《促进和规范数据跨境流动规定》第五条第（二）项）"
        }
        PiplTransfer::ExemptEmergency => {
            "紧急情况下保护生命健康和财产安全所必需，免于申报（《促进和规范数据跨境流动规定》第五条第（三）项）"
        }
        PiplTransfer::ExemptVolume => {
            "当年累计向境外提供不满十万人个人信息，免于申报（《促进和规范数据跨境流动规定》第五条第（四）项）"
        }
    }
}

fn pipl_basis(b: PiplBasis) -> &'static str {
    match b {
        PiplBasis::Consent => "取得个人同意（第十三条第一款第（一）项）",
        PiplBasis::ContractOrHr => {
            "订立、履行合同或实施人力资源管理所必需（第十三条第一款第（二）项）"
        }
        PiplBasis::StatutoryDuty => "履行法定职责或者法定义务所必需（第十三条第一款第（三）项）",
        PiplBasis::Emergency => {
            "应对突发公共卫生事件或保护生命健康和财产安全所必需（第十三条第一款第（四）项）"
        }
        PiplBasis::NewsPublicInterest => {
            "为公共利益实施新闻报道、舆论监督（第十三条第一款第（五）项）"
        }
        PiplBasis::DisclosedInfo => "处理已合法公开的个人信息（第十三条第一款第（六）项）",
        PiplBasis::OtherLaw => "法律、行政法规规定的其他情形（第十三条第一款第（七）项）",
        PiplBasis::LegitimateInterests => "“正当利益”不是《个人信息保护法》规定的处理依据",
    }
}

/// `3 years`, `indefinitely`.
fn period_en(p: &Period) -> String {
    match p {
        Period::Duration(d) => d.to_english(),
        Period::Indefinite => "indefinitely".into(),
    }
}

/// `3年`, `6个月`, `30天`.
fn duration_zh(d: &Duration) -> String {
    let mut s = String::new();
    for (n, u) in [
        (d.years, "年"),
        (d.months, "个月"),
        (d.weeks, "周"),
        (d.days, "天"),
        (d.hours, "小时"),
        (d.minutes, "分钟"),
        (d.seconds, "秒"),
    ] {
        if n > 0 {
            s.push_str(&format!("{n}{u}"));
        }
    }
    if s.is_empty() { "0天".into() } else { s }
}

fn period_zh(p: &Period) -> String {
    match p {
        Period::Duration(d) => duration_zh(d),
        Period::Indefinite => "长期保存".into(),
    }
}

/// What the manifest knows about one purpose: its subjects, categories, datasets and flows.
struct PurposeFacts<'a> {
    subjects: Vec<Vec<usize>>,
    /// The subjects the rules see ([`facts::purpose_subjects`]), to decide scope as they do.
    broad_subjects: &'a [Vec<usize>],
    categories: Vec<Vec<CatId>>,
    /// Personal datasets each purpose uses.
    datasets: Vec<Vec<usize>>,
    flows: &'a [Vec<usize>],
}

impl<'a> PurposeFacts<'a> {
    /// A purpose's datasets are those at either end of the flows that name it and those of
    /// the roles that serve it; when none is declared so, those holding a category it
    /// declares. Its subjects are those its flows collect from; else those of its datasets.
    fn new(m: &'a Model, g: &DataFlowGraph) -> PurposeFacts<'a> {
        let by_dataset = facts::dataset_purposes(m);
        let broad_subjects = facts::purpose_subjects(m);
        let categories = facts::purpose_categories(m, g)
            .iter()
            .map(|s| {
                s.iter()
                    .filter(|&c| m.taxonomy.cat(c).personal)
                    .collect::<Vec<_>>()
            })
            .collect();
        let n = m.purposes.len();
        let mut linked: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        let mut collected: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); n];
        for f in &m.flows {
            for &p in &f.purposes {
                for node in [f.from, f.to] {
                    match node {
                        NodeRef::Dataset(d) => {
                            linked[p].insert(d);
                        }
                        NodeRef::Subject(s) => {
                            collected[p].insert(s);
                        }
                        _ => {}
                    }
                }
            }
        }
        for r in &m.roles {
            for &p in &r.purposes {
                linked[p].extend(r.datasets.iter().copied());
            }
        }
        let mut broad = vec![Vec::new(); n];
        for (d, ps) in by_dataset.iter().enumerate() {
            for &p in ps {
                broad[p].push(d);
            }
        }
        let personal = |d: &usize| m.datasets[*d].is_personal(&m.taxonomy);
        let mut datasets = Vec::with_capacity(n);
        let mut subjects = Vec::with_capacity(n);
        for p in 0..n {
            let ds: Vec<usize> = if linked[p].is_empty() {
                broad[p].iter().copied().filter(personal).collect()
            } else {
                linked[p].iter().copied().filter(personal).collect()
            };
            let mut ss: BTreeSet<usize> = collected[p].clone();
            if ss.is_empty() {
                ss.extend(
                    ds.iter()
                        .flat_map(|&d| m.datasets[d].subjects.iter().copied()),
                );
            }
            if ss.is_empty() {
                ss.extend(broad_subjects[p].iter().copied());
            }
            datasets.push(ds);
            subjects.push(ss.into_iter().collect());
        }
        PurposeFacts {
            subjects,
            broad_subjects,
            categories,
            datasets,
            flows: facts::flows_by_purpose(m),
        }
    }

    /// Recipients reached by the flows of purpose `p`, in declaration order.
    fn recipients(&self, m: &Model, p: usize) -> Vec<usize> {
        let set: BTreeSet<usize> = self.flows[p]
            .iter()
            .filter_map(|&f| match m.flows[f].to {
                NodeRef::Recipient(r) => Some(r),
                _ => None,
            })
            .collect();
        set.into_iter().collect()
    }
}

/// How long the data of a purpose is kept: the purpose's own limit and each of its
/// datasets' retention.
fn erasure_en(m: &Model, pf: &PurposeFacts<'_>, p: usize) -> String {
    let mut parts = Vec::new();
    if let Some(r) = &m.purposes[p].decl.retention {
        parts.push(format!("purpose: {}", r.value.to_english()));
    }
    for &d in &pf.datasets[p] {
        let ds = &m.datasets[d];
        match &ds.decl.retention {
            Some(r) => {
                let then = match r.then.value {
                    RetentionAction::Delete => "deleted",
                    RetentionAction::Anonymise => "anonymised",
                };
                match &r.period.value {
                    Period::Indefinite => {
                        parts.push(format!("{}: kept indefinitely", ds.id.value));
                    }
                    p => parts.push(format!(
                        "{}: {} after `{}`, then {then}",
                        ds.id.value,
                        period_en(p),
                        r.after.value
                    )),
                }
            }
            None => parts.push(format!("{}: no retention declared", ds.id.value)),
        }
    }
    parts.join("; ")
}

// ---------------------------------------------------------------------------------------
// GDPR Art 30(1)

const CONTROLLER_COLUMNS: [(&str, &str); 14] = [
    ("purpose", "Purpose"),
    ("title", "Title"),
    ("legal_basis", "Legal basis"),
    ("controller", "Controller"),
    ("joint_controllers", "Joint controllers"),
    ("representative", "Representative"),
    ("dpo", "Data protection officer"),
    ("data_subjects", "Categories of data subjects"),
    ("personal_data", "Categories of personal data"),
    ("recipients", "Recipients"),
    (
        "third_country_transfers",
        "Transfers to third countries and safeguards",
    ),
    ("erasure_time_limits", "Time limits for erasure"),
    ("security_measures", "Security measures"),
    ("source", "Source"),
];

/// The controller record, as the table of the CSV file (every column) and the table of
/// the Markdown file (the organisation-wide columns shown once, above the table).
fn gdpr_controller(m: &Model, g: &DataFlowGraph) -> (Table, Table) {
    let pf = PurposeFacts::new(m, g);
    let in_scope = facts::purposes_in_scope(m, pf.broad_subjects, RegimeName::Gdpr);
    let org = m.organization.as_ref();
    let controller = org
        .map(|o| {
            let c = party(&o.contact);
            if c.is_empty() {
                o.name.value.clone()
            } else if c.starts_with(o.name.value.as_str()) {
                c
            } else {
                format!("{}; {c}", o.name.value)
            }
        })
        .unwrap_or_default();
    let representative = match org.and_then(|o| o.eu_representative.as_ref()) {
        Some(r) => party(r),
        None if representative_due(m) => "none designated (required by Art 27)".to_string(),
        None => "not required (Art 27)".to_string(),
    };
    let dpo = org
        .and_then(|o| o.dpo.as_ref())
        .map(|d| party(d))
        .unwrap_or_else(|| "none designated".to_string());
    let security = org
        .and_then(|o| o.security_measures.as_ref())
        .and_then(|s| s.en.clone())
        .unwrap_or_default();

    let mut rows = Vec::new();
    for (pi, p) in m.purposes.iter().enumerate() {
        if !in_scope[pi] {
            continue;
        }
        let mut basis = m.gdpr_basis(pi).map(gdpr_basis).unwrap_or("").to_string();
        if let Some(c) = &p.decl.gdpr_art9_condition {
            basis.push_str(&format!("; Art 9(2)({})", c.value.letter()));
        }
        if let Some(l) = p.decl.law_ref.as_deref() {
            basis.push_str(&format!("; {l}"));
        }
        let recipients = pf.recipients(m, pi);
        let joint: Vec<String> = recipients
            .iter()
            .filter(|&&r| {
                m.recipients[r]
                    .decl
                    .role
                    .gdpr
                    .as_ref()
                    .is_some_and(|g| g.value == GdprRole::JointController)
            })
            .map(|&r| {
                let rr = &m.recipients[r].decl;
                match rr.contact.as_ref().map(party).filter(|c| !c.is_empty()) {
                    Some(c) => format!("{} ({c})", rr.name.value),
                    None => rr.name.value.clone(),
                }
            })
            .collect();
        let recipients_txt: Vec<String> = recipients
            .iter()
            .map(|&r| {
                let rr = &m.recipients[r].decl;
                let mut bits = Vec::new();
                if let Some(role) = &rr.role.gdpr {
                    bits.push(gdpr_role(role.value).to_string());
                }
                if let Some(c) = &rr.country {
                    if c.value.in_eea() {
                        bits.push(c.value.to_string());
                    } else {
                        bits.push(format!("{}, third country", c.value));
                    }
                }
                if bits.is_empty() {
                    rr.name.value.clone()
                } else {
                    format!("{} ({})", rr.name.value, bits.join("; "))
                }
            })
            .collect();
        let transfers: Vec<String> = pf.flows[pi]
            .iter()
            .filter(|&&f| g.is_gdpr_transfer(m, f))
            .map(|&f| transfer_en(m, f))
            .collect();
        rows.push(vec![
            p.id.value.clone(),
            purpose_en(m, pi),
            basis,
            controller.clone(),
            joint.join("; "),
            representative.clone(),
            dpo.clone(),
            pf.subjects[pi]
                .iter()
                .map(|&s| subject_en(m, s))
                .collect::<Vec<_>>()
                .join("; "),
            pf.categories[pi]
                .iter()
                .map(|&c| cat_en(m, c))
                .collect::<Vec<_>>()
                .join("; "),
            recipients_txt.join("; "),
            if transfers.is_empty() {
                "none".to_string()
            } else {
                transfers.join("; ")
            },
            erasure_en(m, &pf, pi),
            security.clone(),
            source(m, p.id.span),
        ]);
    }
    let mut preamble = String::new();
    preamble.push_str("# Record of processing activities (GDPR Art 30(1))\n\n");
    preamble.push_str(
        "The controller's record of its processing activities, which it keeps in writing and \
         makes available to the supervisory authority on request (GDPR Art 30(1), (3), (4)). \
         One row per purpose; each row names the declaration it comes from. The same record \
         is in `gdpr-art30-controller.csv`.\n\n",
    );
    preamble.push_str(&format!(
        "- **Controller:** {}\n- **Representative in the Union:** {}\n- **Data protection officer:** {}\n- **Security measures (Art 32(1)):** {}\n\n",
        md_inline(&controller),
        md_inline(&representative),
        md_inline(&dpo),
        md_inline(if security.is_empty() { "not described" } else { &security }),
    ));
    // Markdown shows the organisation-wide columns once, above the table.
    let keep = |k: &str| {
        !matches!(
            k,
            "controller" | "representative" | "dpo" | "security_measures"
        )
    };
    let md = Table {
        preamble,
        columns: CONTROLLER_COLUMNS
            .iter()
            .copied()
            .filter(|(k, _)| keep(k))
            .collect(),
        rows: rows
            .iter()
            .map(|r| {
                r.iter()
                    .zip(CONTROLLER_COLUMNS.iter())
                    .filter(|(_, (k, _))| keep(k))
                    .map(|(v, _)| v.clone())
                    .collect()
            })
            .collect(),
        empty: "No purpose is within the GDPR's reach.",
    };
    let csv = Table {
        preamble: String::new(),
        columns: CONTROLLER_COLUMNS.to_vec(),
        rows,
        empty: "",
    };
    (csv, md)
}

/// Text in a Markdown list item: line breaks become spaces.
fn md_inline(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A GDPR transfer in words: destination, tool, transfer impact assessment.
fn transfer_en(m: &Model, fi: usize) -> String {
    let f = &m.flows[fi];
    let dest = m
        .node_country(f.to)
        .map(country_en)
        .unwrap_or_else(|| "an undeclared country".into());
    let who = match f.to {
        NodeRef::Recipient(r) => m.recipients[r].decl.name.value.clone(),
        n => format!("`{}`", m.node_id(n)),
    };
    let t = f.decl.transfer.as_ref();
    let tool = t
        .and_then(|t| t.gdpr.as_ref())
        .map(|g| gdpr_tool(g.value).to_string())
        .unwrap_or_else(|| "no transfer tool declared".into());
    let mut s = format!("to {who} in {dest}: {tool}");
    if let Some(tia) = t.and_then(|t| t.tia.as_deref()) {
        s.push_str(&format!("; transfer impact assessment {tia}"));
    }
    s
}

// ---------------------------------------------------------------------------------------
// GDPR Art 30(2)

const PROCESSOR_COLUMNS: [(&str, &str); 10] = [
    ("recipient", "Recipient"),
    ("name_and_contact", "Processor and contact"),
    ("role", "Role"),
    ("controller", "On behalf of"),
    ("processing", "Processing carried out on our behalf"),
    ("personal_data", "Categories of personal data"),
    (
        "third_country_transfers",
        "Transfers to third countries and safeguards",
    ),
    ("security_measures", "Security measures"),
    ("country", "Country"),
    ("source", "Source"),
];

fn gdpr_processor(m: &Model, g: &DataFlowGraph) -> Table {
    let controller = m
        .organization
        .as_ref()
        .map(|o| o.name.value.clone())
        .unwrap_or_default();
    // The flows to each recipient, and those to or from it, in flow order: found in one
    // pass rather than once per recipient.
    let mut to_recipient: Vec<Vec<usize>> = vec![Vec::new(); m.recipients.len()];
    let mut at_recipient: Vec<Vec<usize>> = vec![Vec::new(); m.recipients.len()];
    for (fi, f) in m.flows.iter().enumerate() {
        if let NodeRef::Recipient(r) = f.to {
            to_recipient[r].push(fi);
            at_recipient[r].push(fi);
        }
        if let NodeRef::Recipient(r) = f.from
            && f.to != f.from
        {
            at_recipient[r].push(fi);
        }
    }
    let mut rows = Vec::new();
    for (ri, r) in m.recipients.iter().enumerate() {
        let Some(role) = r
            .decl
            .role
            .gdpr
            .as_ref()
            .filter(|g| matches!(g.value, GdprRole::Processor | GdprRole::SubProcessor))
        else {
            continue;
        };
        let node = NodeRef::Recipient(ri);
        let purposes: BTreeSet<usize> = to_recipient[ri]
            .iter()
            .flat_map(|&f| m.flows[f].purposes.iter().copied())
            .collect();
        let mut processing = r.decl.description.en.clone().unwrap_or_default();
        if !purposes.is_empty() {
            if !processing.is_empty() {
                processing.push(' ');
            }
            processing.push_str(&format!(
                "For: {}.",
                purposes
                    .iter()
                    .map(|&p| format!("{} ({})", purpose_en(m, p), m.purposes[p].id.value))
                    .collect::<Vec<_>>()
                    .join("; ")
            ));
        }
        let cats: BTreeSet<CatId> = g
            .categories_at(node)
            .iter()
            .filter(|&c| m.taxonomy.cat(c).personal)
            .collect();
        // Transfers to the processor, and onward from it.
        let transfers: Vec<String> = at_recipient[ri]
            .iter()
            .filter(|&&f| g.is_gdpr_transfer(m, f))
            .map(|&f| transfer_en(m, f))
            .collect();
        let security = match &r.decl.contract {
            Some(c) => {
                let has = c
                    .art28_terms
                    .iter()
                    .any(|t| t.value == crate::manifest::types::Art28Term::Security);
                format!(
                    "as agreed in {}{}",
                    c.reference.value,
                    if has {
                        " (Art 28(3)(c) security term included)"
                    } else {
                        " (no Art 28(3)(c) security term listed)"
                    }
                )
            }
            None => "no contract declared".to_string(),
        };
        let name_contact = match r.decl.contact.as_ref().map(party).filter(|c| !c.is_empty()) {
            Some(c) => format!("{}; {c}", r.decl.name.value),
            None => r.decl.name.value.clone(),
        };
        rows.push(vec![
            r.id.value.clone(),
            name_contact,
            gdpr_role(role.value).to_string(),
            controller.clone(),
            processing,
            cats.iter()
                .map(|&c| cat_en(m, c))
                .collect::<Vec<_>>()
                .join("; "),
            if transfers.is_empty() {
                "none".into()
            } else {
                transfers.join("; ")
            },
            security,
            r.decl
                .country
                .as_ref()
                .map(|c| country_en(&c.value))
                .unwrap_or_default(),
            source(m, r.id.span),
        ]);
    }
    let preamble = "# Processors and sub-processors (GDPR Art 30(2))\n\n\
        Each processor keeps its own record of the processing it carries out for controllers \
        (GDPR Art 30(2)). This register lists, for each of our processors and sub-processors, \
        the facts that record holds about the processing done on our behalf: who they are and \
        how to reach them, what they do for us and with which data, transfers to third \
        countries with their safeguards, and the security they have agreed to (Art 28(3)(c), \
        32(1)). Use it to check the processors' records and contracts. The same register is in \
        `gdpr-art30-processor.csv`.\n\n"
        .to_string();
    Table {
        preamble,
        columns: PROCESSOR_COLUMNS.to_vec(),
        rows,
        empty: "No recipient is declared with `role.gdpr: processor` or `sub_processor`.",
    }
}

// ---------------------------------------------------------------------------------------
// PIPL

const PIPL_COLUMNS: [(&str, &str); 11] = [
    ("purpose", "处理目的 Purpose"),
    ("title", "名称 Title"),
    ("legal_basis", "处理依据 Legal basis"),
    ("personal_information", "个人信息种类 Personal information"),
    (
        "sensitive_personal_information",
        "敏感个人信息 Sensitive personal information",
    ),
    ("individuals", "个人类别 Individuals"),
    ("retention", "保存期限 Retention"),
    ("recipients", "接收方 Recipients"),
    ("export", "向境外提供 Export"),
    ("pipia", "个人信息保护影响评估 PIPIA"),
    ("source", "来源 Source"),
];

fn pipl_record(m: &Model, g: &DataFlowGraph) -> Table {
    let pf = PurposeFacts::new(m, g);
    let in_scope = facts::purposes_in_scope(m, pf.broad_subjects, RegimeName::Pipl);
    let consents = facts::consents_by_purpose(m);
    let mut rows = Vec::new();
    for (pi, p) in m.purposes.iter().enumerate() {
        if !in_scope[pi] {
            continue;
        }
        let title = match (&p.decl.title.zh_cn, &p.decl.title.en) {
            (Some(z), Some(e)) => format!("{z}（{e}）"),
            (Some(z), None) => z.clone(),
            (None, Some(e)) => e.clone(),
            (None, None) => p.id.value.clone(),
        };
        let separate = m.pipl_basis(pi) == Some(PiplBasis::Consent)
            && facts::has_consent(m, &consents, pi, &[ConsentKind::Separate], None);
        let basis = if separate {
            "取得个人单独同意（第十三条第一款第（一）项）".to_string()
        } else {
            m.pipl_basis(pi).map(pipl_basis).unwrap_or("").to_string()
        };
        let (sensitive, ordinary): (Vec<CatId>, Vec<CatId>) = pf.categories[pi]
            .iter()
            .partition(|&&c| m.taxonomy.cat(c).is_pipl_sensitive());
        let under14 = pf.subjects[pi]
            .iter()
            .any(|&s| facts::may_be_under(m, s, 14));
        let mut sensitive_txt: Vec<String> = sensitive.iter().map(|&c| cat_zh(m, c)).collect();
        let declared_minor = sensitive.iter().any(|&c| {
            m.taxonomy.cat(c).pipl_sensitive
                == Some(crate::manifest::types::PiplSensitive::MinorUnder14)
        });
        if under14 && !declared_minor {
            sensitive_txt.push("不满十四周岁未成年人的个人信息（第二十八条）".into());
        }
        let mut retention = Vec::new();
        if let Some(r) = &p.decl.retention {
            retention.push(format!("处理目的所需：{}", duration_zh(&r.value)));
        }
        for &d in &pf.datasets[pi] {
            let ds = &m.datasets[d];
            match &ds.decl.retention {
                Some(r) => {
                    let then = match r.then.value {
                        RetentionAction::Delete => "删除",
                        RetentionAction::Anonymise => "匿名化",
                    };
                    match &r.period.value {
                        Period::Indefinite => retention.push(format!("{}：长期保存", ds.id.value)),
                        per => retention.push(format!(
                            "{}：自 `{}` 起 {}，届满后{then}",
                            ds.id.value,
                            r.after.value,
                            period_zh(per)
                        )),
                    }
                }
                None => retention.push(format!("{}：未声明保存期限", ds.id.value)),
            }
        }
        let recipients: Vec<String> = pf
            .recipients(m, pi)
            .iter()
            .map(|&r| {
                let rr = &m.recipients[r].decl;
                let how = match rr.role.pipl.as_ref().map(|r| r.value) {
                    Some(PiplRole::EntrustedParty) => "委托处理（第二十一条）",
                    Some(PiplRole::OtherHandler) => "向其他个人信息处理者提供（第二十三条）",
                    Some(PiplRole::JointHandler) => "共同处理（第二十条）",
                    None => "未声明角色",
                };
                format!("{}：{how}", rr.name.value)
            })
            .collect();
        let exports: Vec<String> = pf.flows[pi]
            .iter()
            .filter(|&&f| g.is_pipl_export(m, f))
            .map(|&f| {
                let fl = &m.flows[f];
                let who = match fl.to {
                    NodeRef::Recipient(r) => m.recipients[r].decl.name.value.clone(),
                    n => format!("`{}`", m.node_id(n)),
                };
                let dest = m
                    .node_country(fl.to)
                    .map(country_zh)
                    .unwrap_or_else(|| "未声明国家".into());
                let tool = fl
                    .decl
                    .transfer
                    .as_ref()
                    .and_then(|t| t.pipl.as_ref())
                    .map(|t| pipl_tool(t.value))
                    .unwrap_or("未声明出境机制");
                let id = fl
                    .decl
                    .id
                    .as_ref()
                    .map(|i| format!("`{}` ", i.value))
                    .unwrap_or_default();
                format!("{id}向{dest}的 {who} 提供，{tool}")
            })
            .collect();
        // PIPIAs naming the purpose, or one of its flows.
        let mut pipias: Vec<usize> = m
            .assessments
            .iter()
            .enumerate()
            .filter(|(_, a)| {
                a.decl.kind.value == AssessmentKind::Pipia
                    && (a.purposes.contains(&pi)
                        || pf.flows[pi].iter().any(|f| a.flows.contains(f)))
            })
            .map(|(i, _)| i)
            .collect();
        pipias.dedup();
        let pipia_txt: Vec<String> = pipias
            .iter()
            .map(|&i| {
                let a = &m.assessments[i];
                let mut s = a.id.value.clone();
                let mut bits = Vec::new();
                match &a.decl.done_on {
                    Some(d) => bits.push(format!("{} 完成", d.value)),
                    None => bits.push("尚未完成".into()),
                }
                if let Some(r) = &a.decl.reference {
                    bits.push(r.clone());
                }
                s.push_str(&format!("（{}）", bits.join("，")));
                s
            })
            .collect();
        rows.push(vec![
            p.id.value.clone(),
            title,
            basis,
            ordinary
                .iter()
                .map(|&c| cat_zh(m, c))
                .collect::<Vec<_>>()
                .join("；"),
            sensitive_txt.join("；"),
            pf.subjects[pi]
                .iter()
                .map(|&s| subject_zh(m, s))
                .collect::<Vec<_>>()
                .join("；"),
            retention.join("；"),
            recipients.join("；"),
            if exports.is_empty() {
                "无".into()
            } else {
                exports.join("；")
            },
            if pipia_txt.is_empty() {
                "无".into()
            } else {
                pipia_txt.join("；")
            },
            source(m, p.id.span),
        ]);
    }
    let org = m
        .organization
        .as_ref()
        .map(|o| o.name.value.clone())
        .unwrap_or_default();
    let mut preamble = String::new();
    preamble.push_str("# 个人信息处理活动记录（PIPL processing record）\n\n");
    preamble.push_str(&format!(
        "个人信息处理者：{}\n\n",
        md_inline(if org.is_empty() { "未声明" } else { &org })
    ));
    preamble.push_str(
        "本记录按处理目的逐项列明个人信息的处理情况：处理目的与依据、个人信息种类（含敏感个人信息）、\
         涉及的个人类别、保存期限、委托处理和对外提供情况、向境外提供情况，以及相应的个人信息保护影响评估。\
         依《个人信息保护法》第五十五条、第五十六条，影响评估报告和处理情况记录应当至少保存三年。\
         每一行注明其所依据的声明所在的文件和行号；同一记录另见 `pipl-processing-record.csv`。\n\n",
    );
    preamble.push_str(
        "One row per purpose: purpose and legal basis, categories of personal information \
         (sensitive ones apart), individuals, retention, entrusted processing and provision to \
         other handlers, export, and the impact assessments (PIPIA) that cover it. PIPL Art 56 \
         requires the assessment reports and the processing records to be kept at least three \
         years.\n\n",
    );
    Table {
        preamble,
        columns: PIPL_COLUMNS.to_vec(),
        rows,
        empty: "没有属于《个人信息保护法》适用范围的处理目的。",
    }
}
