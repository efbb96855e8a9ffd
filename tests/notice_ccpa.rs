//! The CCPA notices of examples/sakila (11 CCR 7011, 7012): what a Californian reading them
//! would notice. Sakila Rentals neither sells nor shares personal information, uses
//! sensitive personal information (staff passwords) only as 11 CCR 7027(m) allows, and takes
//! requests through a web form, email, a toll-free number, the mini program and its stores.

use std::path::Path;

use lawful::Project;
use lawful::emit::notice_ccpa::ccpa;
use lawful::manifest::types::Language;

fn sakila() -> Project {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/sakila");
    match lawful::load(&root, &[]) {
        Ok(p) => p,
        Err(_) => panic!("examples/sakila does not load"),
    }
}

fn render(p: &Project, id: &str, lang: Language) -> String {
    let ni = p
        .model
        .notices
        .iter()
        .position(|n| n.id.value == id)
        .unwrap_or_else(|| panic!("no notice {id}"));
    match ccpa(p, ni, lang) {
        Ok(Some(md)) => md,
        Ok(None) => panic!("notice {id} rendered nothing"),
        Err(d) => panic!("notice {id} failed: {d:?}"),
    }
}

/// The table row of a category letter: `| A. Identifiers | ... |`.
fn row<'a>(md: &'a str, letter: &str) -> &'a str {
    md.lines()
        .find(|l| l.starts_with(&format!("| {letter}. ")))
        .unwrap_or_else(|| panic!("no row for category {letter} in:\n{md}"))
}

#[test]
fn customer_notice_at_collection_lists_categories_by_letter_and_sells_nothing() {
    let p = sakila();
    let md = render(&p, "ca_customer_notice", Language::En);
    // Customers' data: identifiers (A), customer records (B: phone, card number), purchases (D).
    let a = row(&md, "A");
    assert!(a.starts_with("| A. Identifiers | "), "{a}");
    assert!(a.contains("customer number"), "{a}");
    assert!(a.contains("Rent out films"), "{a}");
    assert!(row(&md, "B").contains(
        "Personal information categories listed in the California Customer Records statute (Cal. Civ. Code § 1798.80(e))"
    ));
    assert!(row(&md, "D").starts_with("| D. Commercial information | Purchase history |"));
    // Nothing about staff: no sensitive personal information (their till passwords), no
    // employment information.
    assert!(!md.contains("| L. "), "{md}");
    assert!(!md.contains("| I. "), "{md}");
    // Sold or shared: no, in every row.
    assert!(md.contains("| Sold or shared |"));
    for l in ["A", "B", "D"] {
        let cells: Vec<&str> = row(&md, l).split(" | ").collect();
        assert_eq!(cells[3], "No", "{l}: {}", row(&md, l));
    }
    assert!(md.contains("We do not sell your personal information"));
    assert!(!md.contains("Do Not Sell or Share My Personal Information"));
    // Retention per category: payments and rentals are kept ten years, accounts three.
    assert!(
        row(&md, "D").contains("10 years (Payments, Rentals)"),
        "{}",
        row(&md, "D")
    );
    assert!(md.contains("- **Payments**: kept for 10 years after the payment, then deleted."));
    // The link to the privacy policy.
    assert!(md.contains("https://sakila-rentals.example/privacy#california."));
    assert!(md.contains("Last updated: October 15, 2026."));
}

#[test]
fn staff_notice_at_collection_lists_sensitive_personal_information() {
    let p = sakila();
    let md = render(&p, "ca_staff_notice", Language::En);
    let l = row(&md, "L");
    assert!(
        l.starts_with("| L. Sensitive personal information | Password or security code |"),
        "{l}"
    );
    assert!(l.contains("Manage store staff"));
    assert!(row(&md, "I").contains("Professional or employment-related information"));
    // Customer support and parcel delivery reach staff data only through the address table
    // staff share with customers: they are not listed.
    assert!(!md.contains("Answer your questions"), "{md}");
    assert!(!md.contains("Deliver and collect discs"), "{md}");
    // Customers' purchases are not staff data.
    assert!(!md.contains("| D. "), "{md}");
    assert!(md.contains("only for the purposes 11 CCR § 7027(m) allows"));
}

#[test]
fn notice_at_collection_in_chinese_keeps_the_statutory_names() {
    let p = sakila();
    let md = render(&p, "ca_customer_notice", Language::ZhCn);
    assert!(
        row(&md, "A").starts_with("| A. 身份识别信息（Identifiers） | "),
        "{}",
        row(&md, "A")
    );
    assert!(row(&md, "A").contains("客户编号"));
    assert!(row(&md, "A").contains("提供影片租赁服务"));
    assert!(row(&md, "D").contains("商业信息（Commercial information）"));
    assert!(md.contains("| 是否出售或共享 |"));
    assert_eq!(row(&md, "D").split(" | ").nth(3), Some("否"));
    assert!(md.contains("我们不出售您的个人信息"));
    assert!(md.contains("最近更新日期：2026年10月15日。"));
    // The title has no zh-CN text in notices.yaml: the usual Chinese title is used.
    assert!(md.contains("# 加州居民个人信息收集告知"));
}

#[test]
fn privacy_policy_tells_how_to_exercise_the_rights() {
    let p = sakila();
    let md = render(&p, "ca_privacy_policy", Language::En);
    assert!(md.contains("**Last updated:** October 15, 2026"));
    // The policy covers customers and staff alike.
    assert!(row(&md, "A").starts_with("| A. Identifiers | "));
    assert!(row(&md, "L").contains("| directly from you |"));
    assert!(md.contains(
        "In the last 12 months we have not sold any personal information, and we have not shared any"
    ));
    assert!(md.contains("have no actual knowledge that we sell or share the personal information of consumers under 16"));
    // Disclosures for a business purpose, by kind of recipient.
    assert!(md.contains(
        "| A. Identifiers | service providers (Mailgun Technologies, Inc.); third parties (DHL Paket GmbH) | Film newsletter; Answer your questions; Deliver and collect discs |"
    ));
    assert!(md.contains("| service providers (Adyen N.V.); third parties (DHL Paket GmbH) | Take payment for rentals; Deliver and collect discs |"));
    // The six rights, by their names.
    for r in [
        "### Right to Know",
        "### Right to Delete",
        "### Right to Correct",
        "### Right to Opt-Out of Sale or Sharing",
        "### Right to Limit Use and Disclosure of Sensitive Personal Information",
        "### Right to Non-Discrimination",
    ] {
        assert!(md.contains(r), "missing {r}");
    }
    // From `rights:`: the channels, the deadlines beside the CCPA's 45 days, verification
    // and authorised agents.
    assert!(md.contains("- call our toll-free number"));
    assert!(md.contains(
        "- fill in the request form on our website (https://sakila-rentals.example/privacy)"
    ));
    assert!(md.contains("- email privacy@sakila-rentals.example"));
    assert!(md.contains("within 10 business days"));
    assert!(md.contains(
        "We answer within 15 business days of receiving it, well within the 45 days the CCPA allows"
    ));
    assert!(md.contains("we may take up to 45 days more"));
    assert!(md.contains("send a confirmation link to the email address on file"));
    assert!(md.contains("### Authorised agents"));
    // Opt-out preference signals: nothing to opt out of.
    assert!(md.contains("### Opt-out preference signals (Global Privacy Control)"));
    assert!(md.contains("an opt-out preference signal such as Global Privacy Control (GPC) has nothing to opt you out of"));
    assert!(md.contains("- Email: privacy@sakila-rentals.example"));
    insta::assert_snapshot!("sakila_privacy_policy_en", md);
}

#[test]
fn privacy_policy_in_chinese() {
    let p = sakila();
    let md = render(&p, "ca_privacy_policy", Language::ZhCn);
    assert!(md.contains("**最近更新日期**：2026年10月15日"));
    assert!(row(&md, "L").starts_with("| L. 敏感个人信息（Sensitive personal information） |"));
    assert!(md.contains("### 知情权（Right to Know）"));
    assert!(md.contains("### 不受歧视权（Right to Non-Discrimination）"));
    assert!(md.contains("- 拨打我们的免费电话"));
    assert!(md.contains("- 填写我们网站上的申请表单（https://sakila-rentals.example/privacy）"));
    assert!(md.contains("远短于 CCPA 允许的45天"));
    // Verification in Chinese, from rights.access.verification.zh-CN.
    assert!(md.contains("并向账户登记的电子邮箱发送确认链接"));
    assert!(md.contains("全球隐私控制（Global Privacy Control，GPC）"));
    assert!(md.contains("过去12个月内，我们没有出售任何个人信息"));
}
