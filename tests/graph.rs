//! The data-flow graph: category inheritance and propagation, cycles, onward transfers,
//! GDPR transfers and PIPL exports, and the path a category takes.

use std::path::Path;

use lawful::model::NodeRef;

fn project(files: &[(&str, &str)]) -> (tempfile::TempDir, lawful::Project) {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let p = dir.path().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    let p = match lawful::load(dir.path(), &[]) {
        Ok(p) => p,
        Err(f) => panic!("project failed to load: {:?}", f.diagnostics),
    };
    (dir, p)
}

const BASE: &str = "
organization: { name: Example GmbH, establishments: [DE] }
subjects:
  customer: { lives_in: [DE] }
purposes:
  shipping: { legal_basis: { gdpr: contract }, categories: [contact] }
datasets:
  customers:
    country: DE
    subjects: [customer]
    categories: [contact.email]
    fields:
      email: {}
      phone: { categories: [contact.phone] }
      note: { categories: [non_personal.operational] }
recipients:
  carrier: { name: Carrier Inc, country: US, role: { gdpr: processor } }
  subcarrier: { name: Sub Ltd, country: IN, role: { gdpr: sub_processor } }
  mirror: { name: Mirror SA, country: FR, role: { gdpr: processor } }
";

fn names(p: &lawful::Project, set: &lawful::graph::CatSet) -> Vec<String> {
    let mut v: Vec<String> = set
        .iter()
        .map(|c| p.model.taxonomy.cat(c).id.clone())
        .collect();
    v.sort();
    v
}

#[test]
fn fields_inherit_dataset_categories_and_flows_carry_the_source_when_undeclared() {
    let (_d, p) = project(&[(
        "lawful.yaml",
        &format!(
            "{BASE}\nflows:\n  - {{ from: customers, to: carrier, purposes: [shipping] }}\n  - {{ from: carrier, to: subcarrier, purposes: [shipping], categories: [contact.phone] }}\n"
        ),
    )]);
    let ds = &p.model.datasets[0];
    let email = ds.fields.iter().find(|f| f.name.value == "email").unwrap();
    assert!(email.inherited, "email declares no categories");
    assert_eq!(
        p.model.taxonomy.cat(email.categories[0].cat).id,
        "contact.email"
    );
    assert_eq!(
        names(&p, p.graph.flow_categories(0)),
        ["contact.email", "contact.phone", "non_personal.operational"]
    );
    assert_eq!(names(&p, p.graph.flow_categories(1)), ["contact.phone"]);
    assert_eq!(
        names(&p, p.graph.categories_at(NodeRef::Recipient(1))),
        ["contact.phone"]
    );
}

#[test]
fn cycles_terminate_and_share_what_flows_around_them() {
    let (_d, p) = project(&[(
        "lawful.yaml",
        &format!(
            "{BASE}\nflows:\n  - {{ from: customers, to: carrier, purposes: [shipping], categories: [contact.email] }}\n  - {{ from: carrier, to: mirror, purposes: [shipping] }}\n  - {{ from: mirror, to: carrier, purposes: [shipping] }}\n  - {{ from: mirror, to: customers, purposes: [shipping] }}\n"
        ),
    )]);
    for r in [NodeRef::Recipient(0), NodeRef::Recipient(2)] {
        assert_eq!(names(&p, p.graph.categories_at(r)), ["contact.email"]);
    }
}

#[test]
fn transfers_exports_and_onward_flows_are_derived_from_countries() {
    let (_d, p) = project(&[(
        "lawful.yaml",
        &format!(
            "{BASE}\nflows:\n  - {{ from: customers, to: carrier, purposes: [shipping] }}\n  - {{ from: carrier, to: subcarrier, purposes: [shipping] }}\n  - {{ from: customers, to: mirror, purposes: [shipping] }}\n  - {{ from: customer, to: customers, purposes: [shipping] }}\n"
        ),
    )]);
    let m = &p.model;
    assert!(p.graph.is_gdpr_transfer(m, 0), "DE → US is a transfer");
    assert!(
        p.graph.is_gdpr_transfer(m, 1),
        "US → IN is an onward transfer of EEA data"
    );
    assert!(p.graph.is_onward(m, 1));
    assert!(!p.graph.is_gdpr_transfer(m, 2), "DE → FR stays in the EEA");
    assert!(
        !p.graph.is_gdpr_transfer(m, 3),
        "collection from the subject is not a transfer"
    );
    assert!(!p.graph.is_pipl_export(m, 0));
    let phone = m.taxonomy.get("contact.phone").unwrap();
    let path = p.graph.path_of(m, NodeRef::Recipient(1), phone);
    assert_eq!(path, vec![0, 1]);
    let crossed: Vec<&str> = p
        .graph
        .countries_along(m, &path)
        .iter()
        .map(|c| c.as_str())
        .collect();
    assert_eq!(crossed, ["DE", "US", "IN"]);
}

#[test]
fn mainland_china_to_hong_kong_is_an_export() {
    let (_d, p) = project(&[(
        "lawful.yaml",
        "
organization: { name: X, establishments: [CN] }
purposes:
  p: { legal_basis: { pipl: contract_or_hr }, categories: [contact] }
datasets:
  orders: { country: CN, fields: { phone: { categories: [contact.phone] } } }
recipients:
  hk: { name: HK Ltd, country: HK, role: { pipl: entrusted_party } }
  sh: { name: SH Ltd, country: CN-31, role: { pipl: entrusted_party } }
flows:
  - { from: orders, to: hk, purposes: [p] }
  - { from: orders, to: sh, purposes: [p] }
",
    )]);
    assert!(p.graph.is_pipl_export(&p.model, 0));
    assert!(!p.graph.is_pipl_export(&p.model, 1));
}

#[test]
fn sections_merge_across_files_in_a_deterministic_order() {
    let (_d, p) = project(&[
        (
            "lawful.yaml",
            "organization: { name: X, establishments: [DE] }\n",
        ),
        (
            "b/purposes.yaml",
            "purposes:\n  b: { categories: [contact] }\n",
        ),
        (
            "a/purposes.yaml",
            "purposes:\n  a: { categories: [contact] }\n",
        ),
        ("generated/ignored.yaml", "this is: [not, read\n"),
        (".hidden/ignored.yaml", "nor: [this\n"),
    ]);
    let ids: Vec<&str> = p
        .model
        .purposes
        .iter()
        .map(|p| p.id.value.as_str())
        .collect();
    assert_eq!(ids, ["a", "b"]);
    let files: Vec<&str> = p
        .model
        .sources
        .files()
        .map(|(_, f)| f.name.as_str())
        .collect();
    assert_eq!(files, ["lawful.yaml", "a/purposes.yaml", "b/purposes.yaml"]);
    let _ = Path::new("");
}

#[test]
fn graph_command_prints_the_data_map_with_transfers_marked() {
    let (dir, _p) = project(&[(
        "lawful.yaml",
        &format!("{BASE}\nflows:\n  - {{ from: customers, to: carrier, purposes: [shipping] }}\n"),
    )]);
    let run = |fmt: &str| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_lawful"))
            .args(["graph", "--format", fmt])
            .arg(dir.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let json: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    let flow = &json["flows"][0];
    assert_eq!(flow["from"], "customers");
    assert_eq!(flow["to"], "carrier");
    assert_eq!(flow["gdpr_transfer"], true);
    assert!(run("mermaid").contains("dataset_0 -->|\"shipping [GDPR transfer]\"| recipient_0"));
    assert!(run("dot").contains("dataset_0 -> recipient_0 [label=\"shipping [GDPR transfer]\"];"));
}
