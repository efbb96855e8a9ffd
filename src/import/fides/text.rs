//! A second, shape-free reading of a fideslang file: every string with its place, so that
//! text lawful cannot carry (control characters) is refused at its line and column.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::manifest::Sp;

/// Any YAML value; strings keep their place.
#[derive(Debug, Default)]
pub enum Node {
    #[default]
    Other,
    Text(String),
    List(Vec<Sp<Node>>),
    Map(Vec<(Sp<Node>, Sp<Node>)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Node;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any YAML value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_unit<E>(self) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_none<E>(self) -> Result<Node, E> {
                Ok(Node::Other)
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Node, D2::Error> {
                Node::deserialize(d)
            }
            fn visit_str<E>(self, s: &str) -> Result<Node, E> {
                Ok(Node::Text(s.to_string()))
            }
            fn visit_string<E>(self, s: String) -> Result<Node, E> {
                Ok(Node::Text(s))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(x) = a.next_element::<Sp<Node>>()? {
                    v.push(x);
                }
                Ok(Node::List(v))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut a: A) -> Result<Node, A::Error> {
                let mut v = Vec::new();
                while let Some(k) = a.next_key::<Sp<Node>>()? {
                    let val = a.next_value::<Sp<Node>>()?;
                    v.push((k, val));
                }
                Ok(Node::Map(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// Every string of `node` holding a control character other than a line break or tab:
/// the string, at its place.
pub fn control_text(node: &Sp<Node>, out: &mut Vec<Sp<String>>) {
    match &node.value {
        Node::Text(s) => {
            if s.chars()
                .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            {
                out.push(Sp::new(s.clone(), node.span));
            }
        }
        Node::List(v) => v.iter().for_each(|x| control_text(x, out)),
        Node::Map(v) => v.iter().for_each(|(k, x)| {
            control_text(k, out);
            control_text(x, out);
        }),
        Node::Other => {}
    }
}
