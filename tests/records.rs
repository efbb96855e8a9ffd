//! Records of processing (GDPR Art 30, PIPL Art 55-56) and the assessment report, on the
//! two worked examples and a fixture with an overdue PIPIA: what a DPO reading them would
//! check, and that every CSV file parses back with a constant number of columns.

use std::collections::BTreeMap;
use std::path::Path;

const SAKILA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/sakila");
const CHAYU: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/chayu");
const OVERDUE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/records/overdue");
const TODAY: &str = "2026-11-29";

/// The record and report files of a project, by path.
fn files(dir: &str) -> BTreeMap<String, String> {
    // Every test sets the same date, so tests running at once agree on it.
    // SAFETY: only this value is ever written, and no test reads another variable.
    unsafe { std::env::set_var("LAWFUL_TODAY", TODAY) };
    let p = lawful::load(Path::new(dir), &[]).expect("project loads");
    let mut out = BTreeMap::new();
    out.extend(lawful::emit::ropa::all(&p).expect("records"));
    out.extend(lawful::emit::assessments::report(&p).expect("report"));
    out
}

/// RFC 4180: split into records and fields, honouring quotes (doubled quotes inside).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' => {
                assert!(
                    field.is_empty(),
                    "quote inside an unquoted field: {field:?}"
                );
                quoted = true;
            }
            ',' => row.push(std::mem::take(&mut field)),
            '\r' => {}
            '\n' => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            _ => field.push(c),
        }
    }
    assert!(!quoted, "unterminated quoted field");
    if !field.is_empty() || !row.is_empty() {
        row.push(field);
        rows.push(row);
    }
    rows
}

/// The rows of a CSV file as maps from column name to value, after checking that every
/// row has as many fields as the header.
fn table(files: &BTreeMap<String, String>, path: &str) -> Vec<BTreeMap<String, String>> {
    let text = files
        .get(path)
        .unwrap_or_else(|| panic!("no {path}; files: {:?}", files.keys()));
    let rows = parse_csv(text);
    let header = &rows[0];
    for (i, r) in rows.iter().enumerate() {
        assert_eq!(
            r.len(),
            header.len(),
            "{path}: row {i} has {} fields, the header {}: {r:?}",
            r.len(),
            header.len()
        );
    }
    assert_eq!(header.last().map(String::as_str), Some("source"), "{path}");
    rows[1..]
        .iter()
        .map(|r| header.iter().cloned().zip(r.iter().cloned()).collect())
        .collect()
}

/// The line of `file` (in the project) on which `needle` first appears, 1-based.
fn line_of(dir: &str, file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(Path::new(dir).join(file)).unwrap();
    text.lines()
        .position(|l| l.starts_with(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in {file}"))
        + 1
}

#[test]
fn sakila_has_one_controller_row_per_purpose_pointing_at_its_declaration() {
    let f = files(SAKILA);
    let rows = table(&f, "records/gdpr-art30-controller.csv");
    let purposes = [
        "rental_service",
        "payment_processing",
        "bookkeeping",
        "consent_records",
        "customer_support",
        "delivery",
        "marketing_email",
        "cross_border_orders",
        "staff_administration",
    ];
    let got: Vec<&str> = rows.iter().map(|r| r["purpose"].as_str()).collect();
    assert_eq!(got, purposes);
    for r in &rows {
        let p = &r["purpose"];
        let line = line_of(SAKILA, "purposes.yaml", &format!("  {p}:"));
        assert_eq!(r["source"], format!("purposes.yaml:{line}"), "{p}");
        assert!(r["controller"].contains("Sakila Rentals GmbH"), "{r:?}");
        assert!(r["dpo"].contains("dpo@sakila-rentals.example"), "{r:?}");
        assert!(!r["security_measures"].is_empty());
        assert!(!r["erasure_time_limits"].is_empty(), "{p}");
    }
    let by: BTreeMap<&str, &BTreeMap<String, String>> =
        rows.iter().map(|r| (r["purpose"].as_str(), r)).collect();
    // Staff data is not customers' data, and the other way round.
    assert_eq!(by["staff_administration"]["data_subjects"], "Store staff");
    assert_eq!(by["rental_service"]["data_subjects"], "Customers");
    // The newsletter goes to Mailgun in the US: a third country, under SCCs with a TIA.
    let mk = by["marketing_email"];
    assert!(mk["recipients"].contains("Mailgun Technologies, Inc. (processor; US, third country)"));
    assert!(mk["third_country_transfers"].contains("module 2 (Art 46(2)(c))"));
    assert!(mk["third_country_transfers"].contains("TIA-2025-01"));
    assert!(by["bookkeeping"]["legal_basis"].contains("§147 AO"));
    assert!(by["bookkeeping"]["erasure_time_limits"].starts_with("purpose: 10 years"));
    // The Markdown record says what it is.
    let md = &f["records/gdpr-art30-controller.md"];
    assert!(md.starts_with("# Record of processing activities (GDPR Art 30(1))"));
    assert!(md.contains("| staff_administration | Manage store staff |"));
}

#[test]
fn sakila_processor_record_lists_adyen_and_mailgun_only() {
    let f = files(SAKILA);
    let rows = table(&f, "records/gdpr-art30-processor.csv");
    let names: Vec<&str> = rows.iter().map(|r| r["recipient"].as_str()).collect();
    // DHL is an independent controller, not a processor.
    assert_eq!(names, ["payment_processor", "email_provider"]);
    assert!(rows[0]["name_and_contact"].starts_with("Adyen N.V.;"));
    assert!(rows[0]["processing"].contains("payment_processing"));
    assert_eq!(rows[0]["third_country_transfers"], "none");
    assert!(rows[1]["name_and_contact"].starts_with("Mailgun Technologies, Inc.;"));
    assert!(rows[1]["third_country_transfers"].contains("United States (US)"));
    assert!(rows[1]["security_measures"].contains("DPA-2025-002"));
    for r in &rows {
        let line = line_of(SAKILA, "recipients.yaml", &format!("  {}:", r["recipient"]));
        assert_eq!(r["source"], format!("recipients.yaml:{line}"));
        assert_eq!(r["controller"], "Sakila Rentals GmbH");
    }
}

#[test]
fn chayu_has_a_pipl_record_and_no_gdpr_record() {
    let f = files(CHAYU);
    assert!(
        !f.keys().any(|k| k.contains("gdpr")),
        "the GDPR does not apply to chayu: {:?}",
        f.keys()
    );
    let rows = table(&f, "records/pipl-processing-record.csv");
    assert_eq!(rows.len(), 10);
    let by: BTreeMap<&str, &BTreeMap<String, String>> =
        rows.iter().map(|r| (r["purpose"].as_str(), r)).collect();
    let face = by["face_checkin"];
    assert!(face["sensitive_personal_information"].contains("面部识别特征"));
    assert!(face["legal_basis"].starts_with("取得个人单独同意"));
    assert!(face["pipia"].starts_with("pipia_sensitive（2025-03-10 完成"));
    let push = by["targeted_push"];
    assert!(push["export"].contains("美国（US）的 Braze, Inc."));
    assert!(push["export"].contains("标准合同"));
    assert!(push["recipients"].contains("Braze, Inc.：委托处理（第二十一条）"));
    assert!(by["kids_club"]["individuals"].contains("儿童会员"));
    assert_eq!(by["consent_management"]["pipia"], "无");
    for r in &rows {
        let line = line_of(CHAYU, "purposes.yaml", &format!("  {}:", r["purpose"]));
        assert_eq!(r["source"], format!("purposes.yaml:{line}"));
    }
    insta::assert_snapshot!("chayu_pipl_record", f["records/pipl-processing-record.md"]);
}

#[test]
fn chayu_report_lists_its_pipias_as_done() {
    let f = files(CHAYU);
    let rows = table(&f, "assessments/report.csv");
    assert!(rows.iter().all(|r| r["kind"] == "pipia"), "PIPL only");
    for (id, pipia) in [
        ("face_checkin", "pipia_sensitive"),
        ("kids_club", "pipia_children"),
        ("recipe_board", "pipia_sharing"),
        ("push_to_braze", "pipia_push_and_export"),
    ] {
        let r = rows
            .iter()
            .find(|r| r["id"] == id)
            .unwrap_or_else(|| panic!("{id} not in the report"));
        assert_eq!(r["assessments"], pipia, "{id}");
        assert_eq!(r["status"], "done", "{id}");
    }
    let push = rows.iter().find(|r| r["id"] == "push_to_braze").unwrap();
    assert_eq!(
        push["trigger"],
        "entrusted processing; export out of mainland China"
    );
    insta::assert_snapshot!("chayu_assessment_report", f["assessments/report.md"]);
}

#[test]
fn sakila_report_lists_the_staff_purpose() {
    let f = files(SAKILA);
    let rows = table(&f, "assessments/report.csv");
    let staff: Vec<&BTreeMap<String, String>> = rows
        .iter()
        .filter(|r| r["id"] == "staff_administration")
        .collect();
    let kinds: Vec<&str> = staff.iter().map(|r| r["kind"].as_str()).collect();
    assert_eq!(kinds, ["pipia", "ccpa_risk"]);
    // The CCPA risk assessment of the till logins is done and current.
    assert_eq!(staff[1]["assessments"], "ccpa_risk_staff_logins");
    assert_eq!(staff[1]["status"], "done");
    assert!(staff[1]["trigger"].contains("account.credentials"));
    // The PIPIA finding is accepted in suppressions.yaml, and the report says so.
    assert!(
        staff[0]["status"]
            .starts_with("accepted until 2027-06-30: staff_administration processes only"),
        "{:?}",
        staff[0]
    );
    // The Mailgun transfer's TIA is referenced on the flow.
    let tia = rows.iter().find(|r| r["kind"] == "tia").unwrap();
    assert_eq!(tia["id"], "newsletter_and_support_mail");
    assert_eq!(tia["ref"], "TIA-2025-01 (Mailgun, United States)");
    assert_eq!(tia["status"], "done");
    insta::assert_snapshot!("sakila_assessment_report", f["assessments/report.md"]);
}

#[test]
fn an_overdue_review_and_a_missing_pipia_are_flagged() {
    let f = files(OVERDUE);
    let rows = table(&f, "assessments/report.csv");
    let face = rows.iter().find(|r| r["id"] == "face_login").unwrap();
    // Reviewed by 2026-06-30, and done two months after the processing started.
    assert_eq!(face["status"], "overdue; after start");
    assert_eq!(face["review_by"], "2026-06-30");
    let tips = rows.iter().find(|r| r["id"] == "location_tips").unwrap();
    assert_eq!(tips["status"], "missing");
    assert_eq!(tips["assessments"], "");
    let md = &f["assessments/report.md"];
    assert!(!md.contains("2026-11-29"), "the report names no date");
    assert!(md.contains("- Missing: 1\n- Overdue: 1\n- Done after the processing started: 1"));
    // A title with a comma and quotes survives the CSV round trip.
    let rec = table(&f, "records/pipl-processing-record.csv");
    assert_eq!(
        rec[0]["title"],
        "刷脸登录（Face login, with \"liveness\" check）"
    );
    insta::assert_snapshot!("overdue_assessment_report", md);
}

#[test]
fn csv_quoting_round_trips() {
    let rows = parse_csv("a,\"b,\"\"c\"\"\",\"d\ne\"\n1,2,3\n");
    assert_eq!(
        rows,
        [vec!["a", "b,\"c\"", "d\ne"], vec!["1", "2", "3"]]
            .iter()
            .map(|r| r.iter().map(|s| s.to_string()).collect::<Vec<_>>())
            .collect::<Vec<_>>()
    );
}
