//! The JSON Schema of the manifest language: committed at schema/lawful.schema.json, equal
//! to what `lawful schema` prints, a valid JSON Schema that accepts real manifests and
//! refuses unknown keys, described from the doc comments of src/manifest/types.rs, and
//! fully covered by the language reference in docs/language.md.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn printed_schema() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .arg("schema")
        .output()
        .expect("lawful runs");
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout).expect("utf-8")
}

fn schema() -> Value {
    serde_json::from_str(&printed_schema()).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the schema compiles as a JSON Schema")
}

/// A manifest file read as YAML 1.2 (strict booleans, so `NO` stays a string) into JSON.
fn yaml_to_json(yaml: &str) -> Value {
    let mut o = serde_saphyr::Options::default();
    o.strict_booleans = true;
    serde_saphyr::from_str_with_options(yaml, o).expect("valid YAML")
}

fn errors(v: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    v.iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn committed_schema_is_current() {
    let path = format!("{ROOT}/schema/lawful.schema.json");
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == printed_schema(),
        "schema/lawful.schema.json is stale or missing: run `cargo run -- schema > schema/lawful.schema.json`"
    );
}

#[test]
fn schema_is_a_valid_json_schema() {
    let s = schema();
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    jsonschema::meta::validate(&s).expect("valid against its meta-schema");
    validator();
}

/// A project that uses every section passes the schema file by file.
#[test]
fn valid_manifest_passes() {
    let v = validator();
    let manifest = yaml_to_json(
        r#"
version: 1
organization:
  name: Beispiel GmbH
  contact: { email: privacy@beispiel.de, country: DE }
  dpo: { name: Dr. Anna Schmidt, email: dpo@beispiel.de }
  establishments: [DE, NO, US-CA]
  supervisory_authority: Berliner Beauftragte für Datenschutz und Informationsfreiheit
regimes: [gdpr, ccpa]
categories:
  contact.loyalty_number:
    label: { en: Loyalty card number, zh-CN: 会员卡号 }
    gdpr_art9: none
    pipl_sensitive: none
    ccpa_category: A
    ccpa_spi: none
subjects:
  customers:
    title: { en: Customers }
    lives_in: [EU, NO, US-CA]
    min_age: 16
purposes:
  order_fulfilment:
    title: { en: Deliver your orders, zh-CN: 履行订单 }
    legal_basis: { gdpr: contract, pipl: contract_or_hr, ccpa: business_purpose }
    categories: [contact.email, contact.phone]
    retention: P3Y
  newsletter:
    legal_basis: { gdpr: consent }
    consent: newsletter_consent
    retention: P1Y6M
consents:
  newsletter_consent:
    kind: standard
    purposes: [newsletter]
    channels: [web, app]
    withdrawal: { en: Use the unsubscribe link in every email. }
systems:
  shop_backend: { owner: web-team, country: DE }
datasets:
  customers:
    system: shop_backend
    storage: { engine: postgres, database: shop, schema: public, table: customers }
    country: DE
    subjects: [customers]
    subject_key: id
    retention: { period: P3Y, after: last_order_at, then: anonymise, anchor_type: timestamptz }
    fields:
      id: { categories: [identifier.account_id] }
      email: { categories: [contact.email], mask: { keep_first: 1, keep_last: 4 }, anonymise: hash }
      last_order_at: { categories: [] }
    encryption: { at_rest: true, in_transit: true }
    source: subject
recipients:
  parcel_carrier:
    name: DHL Paket GmbH
    role: { gdpr: processor, ccpa: service_provider }
    country: DE
    contract: { ref: DPA-2024-17, signed_on: 2024-03-01, art28_terms: [instructions, security] }
    reviewed_on: 2026-01-15
flows:
  - from: customers
    to: parcel_carrier
    categories: [contact.phone]
    purposes: [order_fulfilment]
    transfer: { gdpr: adequacy }
    volume: { subjects_per_year: 50000 }
    sale: false
roles:
  support:
    purposes: [order_fulfilment]
    db_role: support_ro
suppressions:
  - rule: CORE-RETENTION-DECLARED
    target: datasets.customers
    reason: reviewed with the DPO
    expires: 2027-01-01
"#,
    );
    let errs = errors(&v, &manifest);
    assert!(errs.is_empty(), "{errs:#?}");
    // An empty file is an empty manifest.
    assert!(v.is_valid(&serde_json::json!({})));
}

#[test]
fn unknown_keys_and_bad_values_fail() {
    let v = validator();
    let typo = yaml_to_json("systems:\n  shop_backend:\n    ownr: web-team\n");
    let errs = errors(&v, &typo);
    assert!(
        errs.iter()
            .any(|e| e.contains("ownr") && e.contains("/systems/shop_backend")),
        "{errs:#?}"
    );
    for bad in [
        "purpose:\n  a: {}\n",                                   // unknown section
        "systems:\n  shop:\n    country: UK\n",                  // not an ISO 3166-1 code
        "systems:\n  shop:\n    country: de\n",                  // lower case
        "purposes:\n  a:\n    retention: 3 years\n",             // not ISO 8601
        "purposes:\n  a:\n    legal_basis: { gdpr: contrct }\n", // unknown value
        "systems:\n  \"my shop\": {}\n",                         // id with a space
        "flows:\n  - from: a\n",                                 // `to` is required
        "flows:\n  - from: a\n    to: b\n    sale: \"yes\"\n",   // not a boolean
    ] {
        assert!(!v.is_valid(&yaml_to_json(bad)), "accepted: {bad}");
    }
}

/// Every field of src/manifest/types.rs that has a doc comment carries it as its
/// description, and every struct its own.
#[test]
fn descriptions_come_from_doc_comments() {
    let s = schema();
    let defs = &s["$defs"];
    let src = std::fs::read_to_string(format!("{ROOT}/src/manifest/types.rs")).expect("types.rs");
    let mut current: Option<String> = None;
    let mut doc: Vec<String> = Vec::new();
    let mut rename: Option<String> = None;
    let mut checked = 0;
    for line in src.lines() {
        let t = line.trim();
        if let Some(d) = t.strip_prefix("///") {
            doc.push(d.strip_prefix(' ').unwrap_or(d).to_string());
            continue;
        }
        if t.starts_with("#[") {
            if let Some(i) = t.find("rename = \"") {
                let rest = &t[i + 10..];
                rename = Some(rest[..rest.find('"').expect("quote")].to_string());
            }
            continue;
        }
        let text = doc.join("\n").trim().to_string();
        if let Some(rest) = t.strip_prefix("pub struct ") {
            let name = rest
                .split([' ', '{', '('])
                .next()
                .expect("name")
                .to_string();
            if name != "Document" {
                assert_eq!(
                    defs[&name]["description"].as_str(),
                    Some(text.as_str()),
                    "description of {name}"
                );
                checked += 1;
            }
            current = Some(name);
        } else if t.starts_with("pub enum ") || t.starts_with("impl") || t == "}" {
            current = None;
        } else if let (Some(st), Some(field)) = (&current, t.strip_prefix("pub ")) {
            let field = field.split(':').next().expect("field").trim();
            let key = rename.clone().unwrap_or_else(|| field.to_string());
            let props = if st == "Document" {
                &s["properties"]
            } else {
                &defs[st]["properties"]
            };
            let desc = props[&key]["description"].as_str();
            assert!(!text.is_empty(), "{st}.{field} has no doc comment");
            assert_eq!(desc, Some(text.as_str()), "description of {st}.{key}");
            checked += 1;
        }
        doc.clear();
        rename = None;
    }
    assert!(checked > 150, "only {checked} descriptions checked");
}

/// Every property and every enumerated value of the schema, and every section name,
/// appears in docs/language.md as `code`.
#[test]
fn language_reference_covers_every_key_and_value() {
    let doc =
        std::fs::read_to_string(format!("{ROOT}/docs/language.md")).expect("docs/language.md");
    let s = schema();
    let mut keys = BTreeSet::new();
    let mut values = BTreeSet::new();
    walk(&s, &mut keys, &mut values);
    let sections: Vec<&String> = s["properties"]
        .as_object()
        .expect("sections")
        .keys()
        .collect();
    assert!(sections.len() >= 13);
    let mut missing = Vec::new();
    for section in &sections {
        if !doc.contains(&format!("\n## `{section}`")) {
            missing.push(format!("section heading ## `{section}`"));
        }
    }
    for k in &keys {
        if !doc.contains(&format!("`{k}`")) && !doc.contains(&format!("`{k}:")) {
            missing.push(format!("key `{k}`"));
        }
    }
    for v in &values {
        if !doc.contains(&format!("`{v}`")) {
            missing.push(format!("value `{v}`"));
        }
    }
    assert!(
        missing.is_empty(),
        "docs/language.md does not mention:\n{}",
        missing.join("\n")
    );
}

fn walk(v: &Value, keys: &mut BTreeSet<String>, values: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            if let Some(Value::Object(props)) = m.get("properties") {
                keys.extend(props.keys().cloned());
            }
            if let Some(Value::Array(e)) = m.get("enum") {
                values.extend(e.iter().filter_map(|x| x.as_str().map(String::from)));
            }
            if let Some(Value::String(c)) = m.get("const") {
                values.insert(c.clone());
            }
            for x in m.values() {
                walk(x, keys, values);
            }
        }
        Value::Array(a) => a.iter().for_each(|x| walk(x, keys, values)),
        _ => {}
    }
}

fn doc_examples() -> Vec<String> {
    let doc =
        std::fs::read_to_string(format!("{ROOT}/docs/language.md")).expect("docs/language.md");
    doc.split("```yaml\n")
        .skip(1)
        .map(|b| b[..b.find("```").expect("closed block")].to_string())
        .collect()
}

/// Each YAML example of the language reference passes the schema, and all of them together
/// form a project that lawful reads (its findings do not matter here).
#[test]
fn language_reference_examples_are_valid() {
    let v = validator();
    let examples = doc_examples();
    assert!(examples.len() >= 13, "only {} examples", examples.len());
    let dir = tempfile::tempdir().expect("temp dir");
    for (i, yaml) in examples.iter().enumerate() {
        let errs = errors(&v, &yaml_to_json(yaml));
        assert!(errs.is_empty(), "example {i}:\n{yaml}\n{errs:#?}");
        let name = if yaml.starts_with("version:") {
            "lawful.yaml".to_string()
        } else {
            format!("example_{i:02}.yaml")
        };
        std::fs::write(dir.path().join(name), yaml).expect("write");
    }
    let out = Command::new(env!("CARGO_BIN_EXE_lawful"))
        .arg("check")
        .arg(dir.path())
        .env("NO_COLOR", "1")
        .env("LAWFUL_TODAY", "2026-11-29")
        .output()
        .expect("lawful runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "the examples of docs/language.md do not form a readable project:\n{stderr}"
    );
}
