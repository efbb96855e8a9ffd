//! Declarations the PostgreSQL generators refuse before writing SQL that would fail at
//! apply or run time: anonymisation and anchors against declared types, legal holds,
//! masking view names. Each is a diagnostic at the YAML that is wrong.

use std::path::Path;

const SHOP_LAWFUL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/emit/shop/lawful.yaml");

/// Codes and (line, column) of the errors `lawful build` would refuse `datasets` with.
fn refusals(datasets: &str) -> Vec<(String, usize, usize)> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(SHOP_LAWFUL, dir.path().join("lawful.yaml")).unwrap();
    std::fs::write(dir.path().join("datasets.yaml"), datasets).unwrap();
    let project = lawful::load(Path::new(dir.path()), &[]).expect("loads");
    let errs = match lawful::emit::generate(&project) {
        Ok(_) => Vec::new(),
        Err(e) => e,
    };
    errs.iter()
        .filter(|d| d.severity == lawful::report::Severity::Error)
        .map(|d| {
            let p = d.primary.as_ref().expect("at a place");
            let (_, l, c) = project.model.sources.locate(p.span).unwrap();
            (d.code.clone(), l, c)
        })
        .collect()
}

fn orders(retention: &str, fields: &str) -> String {
    format!(
        "datasets:
  orders:
    storage: {{ engine: postgres, table: orders }}
    subjects: [customer]
    subject_key: customer_id
    retention: {retention}
    fields:
      customer_id: {{ categories: [identifier.customer_id] }}
{fields}"
    )
}

#[test]
fn anonymisation_must_fit_the_declared_type() {
    let r = refusals(&orders(
        "{ period: P1Y, after: at, then: anonymise }",
        "      at: { categories: [non_personal.operational], type: timestamptz }
      n: { categories: [identity.name], type: integer, anonymise: hash }
      b: { categories: [identity.date_of_birth], type: text, anonymise: year }
",
    ));
    assert_eq!(
        r,
        [
            ("emit::anonymise-type".to_string(), 10, 67),
            ("emit::anonymise-type".to_string(), 11, 73)
        ]
    );
}

#[test]
fn the_anchor_type_must_match_the_declared_column_type() {
    let r = refusals(&orders(
        "{ period: P1Y, after: at, then: delete }",
        "      at: { categories: [non_personal.operational], type: bigint }\n",
    ));
    assert_eq!(r, [("emit::anchor-type".to_string(), 9, 59)]);
    let r = refusals(&orders(
        "{ period: P1Y, after: at, then: delete, anchor_type: epoch_seconds }",
        "      at: { categories: [non_personal.operational], type: timestamptz }\n",
    ));
    assert_eq!(r, [("emit::anchor-type".to_string(), 9, 59)]);
    // Agreeing types pass.
    let r = refusals(&orders(
        "{ period: P1Y, after: at, then: delete, anchor_type: epoch_milliseconds }",
        "      at: { categories: [non_personal.operational], type: bigint }\n",
    ));
    assert_eq!(r, []);
}

#[test]
fn legal_holds_name_a_boolean_field_or_a_table_with_a_subject_key() {
    let r = refusals(&orders(
        "{ period: P1Y, after: at, then: delete, legal_hold: { column: held } }",
        "      at: { categories: [non_personal.operational] }\n",
    ));
    assert_eq!(r, [("emit::legal-hold-column".to_string(), 6, 78)]);
    let r = refusals(&orders(
        "{ period: P1Y, after: at, then: delete, legal_hold: { column: held } }",
        "      at: { categories: [non_personal.operational] }
      held: { categories: [non_personal.operational], type: text }
",
    ));
    assert_eq!(r, [("emit::legal-hold-column".to_string(), 6, 78)]);
    let r = refusals(
        "datasets:
  orders:
    storage: { engine: postgres, table: orders }
    subjects: [customer]
    retention: { period: P1Y, after: at, then: delete, legal_hold: { table: holds } }
    fields:
      at: { categories: [non_personal.operational] }
",
    );
    assert!(
        r.contains(&("emit::legal-hold-table".to_string(), 5, 77)),
        "{r:?}"
    );
}

#[test]
fn masking_view_names_must_be_free_and_short_enough() {
    let ds = |table: &str, other: &str| {
        format!(
            "datasets:
  people:
    storage: {{ engine: postgres, table: {table} }}
    subjects: [customer]
    fields:
      email: {{ categories: [contact.email], mask: {{ style: email }} }}
  other:
    storage: {{ engine: postgres, table: {other} }}
    subjects: [customer]
    fields:
      id: {{ categories: [identifier.customer_id] }}
roles:
  support: {{ purposes: [order_fulfilment], masked: [contact] }}
"
        )
    };
    // Reported at the declared table that takes the view's name.
    assert_eq!(
        refusals(&ds("people", "people_masked")),
        [("emit::masking-view-name".to_string(), 8, 41)]
    );
    let long = "t".repeat(60);
    assert_eq!(
        refusals(&ds(&long, "x")),
        [("emit::sql-identifier".to_string(), 3, 41)]
    );
    assert_eq!(refusals(&ds("people", "x")), []);
}
