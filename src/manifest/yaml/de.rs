//! A serde [`Deserializer`](serde::Deserializer) over a [`Node`] tree, with the YAML 1.2 core
//! schema as lawful reads it.
//!
//! - Only plain scalars are typed: `~`, `null`, `Null`, `NULL` and an empty value are null;
//!   `true`/`false` (also `True`, `TRUE`, `False`, `FALSE`) are booleans, and nothing else is
//!   (`NO` is Norway); integers are decimal without a leading zero, or `0x`/`0o`/`0b`;
//!   floats per YAML 1.2. Quoted and block scalars are always text.
//! - A text field takes any scalar as written (`123` is the text `123`) except a null, which
//!   is refused.
//! - Enums: a unit variant from a scalar, an externally tagged variant from a one-key map.
//!
//! Messages follow serde-saphyr's (which lawful used before), so that what the user reads
//! does not change. Every error carries the byte range of a node: the deserializer's own
//! errors the node they are about; serde's structural errors (unknown or missing field,
//! invalid type or value, unknown variant) the key being read in the innermost mapping (the
//! mapping itself before its first key); any other error (from a type's own `Deserialize`,
//! such as a bad country code) the node whose deserialization raised it.

use std::cell::Cell;
use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::tree::{Kind, Node};

/// Name of the newtype through which [`super::Sp`] asks for the span of its node.
pub(crate) const SPAN_MARKER: &str = "\0lawful::Sp";

thread_local! {
    /// The span of the node an `Sp` is about to read; set right before
    /// `visit_newtype_struct`, taken at once by `Sp`'s visitor.
    pub(crate) static NODE_SPAN: Cell<Option<(u32, u32)>> = const { Cell::new(None) };
    /// Where serde's structural errors point: the key being read in the innermost mapping.
    static FALLBACK: Cell<Option<(u32, u32)>> = const { Cell::new(None) };
}

/// An error with the byte range it is about, when known.
#[derive(Debug)]
pub(crate) struct Error {
    pub message: String,
    pub at: Option<(u32, u32)>,
}

impl Error {
    fn at(message: impl Into<String>, node: &Node) -> Error {
        Error {
            message: message.into(),
            at: Some((node.start, node.end)),
        }
    }
    /// An error raised by serde itself: it points where the fallback points.
    fn structural(message: String) -> Error {
        Error {
            message,
            at: FALLBACK.with(Cell::get),
        }
    }
    fn or_at(mut self, node: &Node) -> Error {
        if self.at.is_none() {
            self.at = Some((node.start, node.end));
        }
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

impl de::Error for Error {
    #[cold]
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error {
            message: msg.to_string(),
            at: None,
        }
    }
    #[cold]
    fn invalid_type(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Error::structural(format!("invalid type: {unexp}, expected {exp}"))
    }
    #[cold]
    fn invalid_value(unexp: de::Unexpected, exp: &dyn de::Expected) -> Self {
        Error::structural(format!("invalid value: {unexp}, expected {exp}"))
    }
    #[cold]
    fn invalid_length(len: usize, exp: &dyn de::Expected) -> Self {
        Error::structural(format!("invalid length {len}, expected {exp}"))
    }
    #[cold]
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Error::structural(format!(
            "unknown variant `{variant}`, expected one of {}",
            expected.join(", ")
        ))
    }
    #[cold]
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Error::structural(format!(
            "unknown field `{field}`, expected one of {}",
            expected.join(", ")
        ))
    }
    #[cold]
    fn missing_field(field: &'static str) -> Self {
        Error::structural(format!("missing field `{field}`"))
    }
}

/// Sets the fallback location for the life of a mapping, and restores the outer one.
struct FallbackGuard(Option<(u32, u32)>);

impl FallbackGuard {
    fn new(at: (u32, u32)) -> FallbackGuard {
        FallbackGuard(FALLBACK.with(|c| c.replace(Some(at))))
    }
}

impl Drop for FallbackGuard {
    fn drop(&mut self) {
        FALLBACK.with(|c| c.set(self.0));
    }
}

/// Reset the fallback location (before and after reading a document).
pub(crate) fn reset() {
    FALLBACK.with(|c| c.set(None));
    NODE_SPAN.with(|c| c.set(None));
}

/// YAML 1.2 null spellings of a plain scalar.
fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn yaml_trim(s: &str) -> &str {
    s.trim_matches([' ', '\t', '\r', '\n'])
}

fn parse_bool(s: &str) -> Option<bool> {
    match yaml_trim(s) {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// Digits in `radix`, with single underscores allowed between digits.
fn digits(s: &str, radix: u32) -> Option<u128> {
    let b = s.as_bytes();
    let mut val: u128 = 0;
    let mut saw = false;
    for (i, &c) in b.iter().enumerate() {
        if c == b'_' {
            let ok = i > 0 && b[i - 1] != b'_' && i + 1 < b.len() && b[i + 1] != b'_';
            if !ok {
                return None;
            }
            continue;
        }
        let d = (c as char).to_digit(radix)?;
        val = val
            .checked_mul(u128::from(radix))?
            .checked_add(u128::from(d))?;
        saw = true;
    }
    saw.then_some(val)
}

/// An integer: its sign and magnitude (decimal without a leading zero, or `0x`/`0o`/`0b`).
fn parse_int(s: &str) -> Option<(bool, u128)> {
    let t = yaml_trim(s);
    let (neg, rest) = match t.strip_prefix('+') {
        Some(r) => (false, r),
        None => match t.strip_prefix('-') {
            Some(r) => (true, r),
            None => (false, t),
        },
    };
    let (radix, ds) = if let Some(r) = rest.strip_prefix("0x").or(rest.strip_prefix("0X")) {
        (16, r)
    } else if let Some(r) = rest.strip_prefix("0o").or(rest.strip_prefix("0O")) {
        (8, r)
    } else if let Some(r) = rest.strip_prefix("0b").or(rest.strip_prefix("0B")) {
        (2, r)
    } else {
        if rest.starts_with('0') && rest != "0" {
            return None;
        }
        (10, rest)
    };
    Some((neg, digits(ds, radix)?))
}

fn parse_signed(s: &str) -> Option<i128> {
    let (neg, mag) = parse_int(s)?;
    if neg {
        if mag == i128::MAX as u128 + 1 {
            Some(i128::MIN)
        } else {
            i128::try_from(mag).ok().map(|m| -m)
        }
    } else {
        i128::try_from(mag).ok()
    }
}

fn parse_unsigned(s: &str) -> Option<u128> {
    match parse_int(s)? {
        (false, m) => Some(m),
        (true, _) => None,
    }
}

/// A YAML 1.2 float (`1.5`, `1e3`, `.inf`, `-.inf`, `.nan`).
fn parse_float(s: &str) -> Option<f64> {
    let t = yaml_trim(s);
    let (neg, unsigned) = match t.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    match unsigned {
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        ".inf" | ".Inf" | ".INF" => {
            return Some(if neg {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            });
        }
        _ => {}
    }
    // Rust also reads `inf` and `nan`, which YAML keeps as text.
    if !unsigned
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || b == b'.')
    {
        return None;
    }
    t.parse::<f64>().ok()
}

/// Deserializes one node.
pub(crate) struct De<'n, 'a>(pub &'n Node<'a>);

/// Deserialize `node` with `seed`; an error without a place is placed at `node`.
pub(crate) fn read<'de, S: DeserializeSeed<'de>>(seed: S, node: &Node) -> Result<S::Value, Error> {
    if let Kind::Recursive = node.kind {
        return Err(Error::at(
            "recursive references require weak recursion types",
            node,
        ));
    }
    seed.deserialize(De(node)).map_err(|e| e.or_at(node))
}

impl<'n, 'a> De<'n, 'a> {
    /// The scalar's text, or the error serde-saphyr gives for a collection.
    fn text(&self) -> Result<&'n str, Error> {
        match &self.0.kind {
            Kind::Scalar { text, .. } => Ok(text),
            _ => Err(Error::at("expected string scalar", self.0)),
        }
    }

    fn plain_null(&self) -> bool {
        matches!(&self.0.kind, Kind::Scalar { text, plain: true } if is_null(text))
    }
}

macro_rules! unsigned {
    ($method:ident, $visit:ident, $t:ty, $name:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let t = self.text()?;
            match parse_unsigned(t).and_then(|v| <$t>::try_from(v).ok()) {
                Some(v) => visitor.$visit(v),
                None => Err(Error::at(concat!("invalid ", $name), self.0)),
            }
        }
    };
}

macro_rules! signed {
    ($method:ident, $visit:ident, $t:ty, $name:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let t = self.text()?;
            match parse_signed(t).and_then(|v| <$t>::try_from(v).ok()) {
                Some(v) => visitor.$visit(v),
                None => Err(Error::at(concat!("invalid ", $name), self.0)),
            }
        }
    };
}

impl<'de> de::Deserializer<'de> for De<'_, '_> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        let node = self.0;
        match &node.kind {
            Kind::Scalar { text, plain: false } => visitor.visit_str(text),
            Kind::Scalar { text, plain: true } => {
                if is_null(text) {
                    return visitor.visit_unit();
                }
                if let Some(b) = parse_bool(text) {
                    return visitor.visit_bool(b);
                }
                let t = yaml_trim(text);
                let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
                // Upper-case radix prefixes and signed NaN stay text.
                if matches!(unsigned.as_bytes(), [b'0', b'X' | b'O' | b'B', ..])
                    || matches!(unsigned, ".nan" | ".NaN" | ".NAN") && unsigned != t
                {
                    return visitor.visit_str(text);
                }
                if t.starts_with('-') {
                    if let Some(v) = parse_signed(t).and_then(|v| i64::try_from(v).ok()) {
                        return visitor.visit_i64(v);
                    }
                } else if let Some(v) = parse_unsigned(t).and_then(|v| u64::try_from(v).ok()) {
                    return visitor.visit_u64(v);
                }
                if let Some(v) = parse_float(text) {
                    if !v.is_finite() {
                        return Err(Error::at(
                            format!("non-finite float `{text}` rejected by the configured policy"),
                            node,
                        ));
                    }
                    return visitor.visit_f64(v);
                }
                visitor.visit_str(text)
            }
            Kind::Seq(_) => self.deserialize_seq(visitor),
            Kind::Map { .. } => self.deserialize_map(visitor),
            Kind::Recursive => Err(Error::at(
                "recursive references require weak recursion types",
                node,
            )),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match parse_bool(self.text()?) {
            Some(b) => visitor.visit_bool(b),
            None => Err(Error::at(
                "invalid boolean (strict mode expects true/false)",
                self.0,
            )),
        }
    }

    unsigned!(deserialize_u8, visit_u8, u8, "u8");
    unsigned!(deserialize_u16, visit_u16, u16, "u16");
    unsigned!(deserialize_u32, visit_u32, u32, "u32");
    unsigned!(deserialize_u64, visit_u64, u64, "u64");
    unsigned!(deserialize_u128, visit_u128, u128, "u128");
    signed!(deserialize_i8, visit_i8, i8, "i8");
    signed!(deserialize_i16, visit_i16, i16, "i16");
    signed!(deserialize_i32, visit_i32, i32, "i32");
    signed!(deserialize_i64, visit_i64, i64, "i64");
    signed!(deserialize_i128, visit_i128, i128, "i128");

    fn deserialize_f32<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match parse_float(self.text()?) {
            Some(v) => visitor.visit_f32(v as f32),
            None => Err(Error::at("invalid f32", self.0)),
        }
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match parse_float(self.text()?) {
            Some(v) => visitor.visit_f64(v),
            None => Err(Error::at("invalid f64", self.0)),
        }
    }

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.plain_null() {
            return Err(Error::at(
                "invalid char: cannot deserialize null; use Option<char>",
                self.0,
            ));
        }
        let mut chars = self.text()?.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) => visitor.visit_char(c),
            _ => Err(Error::at(
                "invalid char: expected a single Unicode scalar value",
                self.0,
            )),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.plain_null() {
            return Err(Error::at(
                "cannot deserialize null into string; use Option<String>",
                self.0,
            ));
        }
        visitor.visit_str(self.text()?)
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Error> {
        Err(Error::at(
            "bytes not supported (missing !!binary tag)",
            self.0,
        ))
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.plain_null() {
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        if self.plain_null() {
            visitor.visit_unit()
        } else {
            Err(Error::at("unexpected value for unit", self.0))
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if name == SPAN_MARKER {
            NODE_SPAN.with(|c| c.set(Some((self.0.start, self.0.end))));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.kind {
            Kind::Seq(items) => visitor.visit_seq(SeqAccess {
                items: items.iter(),
            }),
            _ => Err(Error::at("expected sequence start", self.0)),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match &self.0.kind {
            Kind::Map { entries, dup } => {
                let guard = FallbackGuard::new((self.0.start, self.0.end));
                let res = visitor.visit_map(MapAccess {
                    entries,
                    next: 0,
                    dup: dup.map(|d| d as usize),
                    value: None,
                });
                drop(guard);
                res
            }
            _ => Err(Error::at("expected mapping start", self.0)),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match &self.0.kind {
            Kind::Scalar { .. } => visitor.visit_enum(EnumAccess {
                variant: self.0,
                value: None,
            }),
            Kind::Map { entries, .. } if entries.len() == 1 => {
                let (k, v) = &entries[0];
                if k.scalar().is_none() {
                    return Err(Error::at(
                        "expected string key for externally tagged enum",
                        k,
                    ));
                }
                visitor.visit_enum(EnumAccess {
                    variant: k,
                    value: Some(v),
                })
            }
            // `{}`: serde-saphyr found the end of the mapping where it expected a key.
            Kind::Map { entries, .. } if entries.is_empty() => Err(Error {
                message: "expected string key for externally tagged enum".into(),
                at: Some((
                    self.0.start.saturating_add(1),
                    self.0.start.saturating_add(2),
                )),
            }),
            _ => Err(Error::at(
                "externally tagged enum expected scalar or mapping",
                self.0,
            )),
        }
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }
}

struct SeqAccess<'n, 'a> {
    items: std::slice::Iter<'n, Node<'a>>,
}

impl<'de> de::SeqAccess<'de> for SeqAccess<'_, '_> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        match self.items.next() {
            Some(node) => read(seed, node).map(Some),
            None => Ok(None),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.items.len())
    }
}

struct MapAccess<'n, 'a> {
    entries: &'n [(Node<'a>, Node<'a>)],
    next: usize,
    /// Index of the first repeated key.
    dup: Option<usize>,
    /// The value of the key just read.
    value: Option<&'n Node<'a>>,
}

impl<'de> de::MapAccess<'de> for MapAccess<'_, '_> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let Some((k, v)) = self.entries.get(self.next) else {
            return Ok(None);
        };
        if self.dup == Some(self.next) {
            let message = match k.scalar() {
                Some(name) => format!(
                    "duplicate mapping key: {name}, set DuplicateKeyPolicy in Options if acceptable"
                ),
                None => {
                    "duplicate mapping key, set DuplicateKeyPolicy in Options if acceptable".into()
                }
            };
            return Err(Error::at(message, k));
        }
        self.next += 1;
        self.value = Some(v);
        FALLBACK.with(|c| c.set(Some((k.start, k.end))));
        read(seed, k).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(v) => read(seed, v),
            None => Err(de::Error::custom("value requested before key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.entries.len() - self.next)
    }
}

struct EnumAccess<'n, 'a> {
    variant: &'n Node<'a>,
    value: Option<&'n Node<'a>>,
}

impl<'de, 'n, 'a> de::EnumAccess<'de> for EnumAccess<'n, 'a> {
    type Error = Error;
    type Variant = VariantAccess<'n, 'a>;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self::Variant), Error> {
        // An unknown variant points at the variant itself, not at the key being read.
        // The variant's name as written; an empty value is named `~`, as serde-saphyr did.
        let name = match &self.variant.kind {
            Kind::Scalar { text, plain: true } if text.is_empty() => "~",
            Kind::Scalar { text, .. } => text,
            _ => "",
        };
        let name: de::value::StrDeserializer<Error> = name.into_deserializer();
        let v = seed.deserialize(name).map_err(|mut e| {
            e.at = Some((self.variant.start, self.variant.end));
            e
        })?;
        Ok((
            v,
            VariantAccess {
                at: self.variant,
                value: self.value,
            },
        ))
    }
}

struct VariantAccess<'n, 'a> {
    at: &'n Node<'a>,
    value: Option<&'n Node<'a>>,
}

impl<'de> de::VariantAccess<'de> for VariantAccess<'_, '_> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            None => Ok(()),
            Some(v) if De(v).plain_null() => Ok(()),
            Some(v) => Err(Error::at("unexpected value for unit enum variant", v)),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        match self.value {
            Some(v) => read(seed, v),
            None => seed
                .deserialize(().into_deserializer())
                .map_err(|e: Error| e.or_at(self.at)),
        }
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Some(v) => de::Deserializer::deserialize_seq(De(v), visitor),
            None => Err(Error::at("expected sequence start", self.at)),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Some(v) => de::Deserializer::deserialize_map(De(v), visitor),
            None => Err(Error::at("expected mapping start", self.at)),
        }
    }
}
