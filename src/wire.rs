//! The wire shapes of the typed operations: request bodies are `Serialize` structs and
//! answers `Deserialize` structs, never hand-built or hand-walked JSON. The gateway's
//! samples send numbers and booleans both as JSON values and as strings (reference §1
//! "Number typing", §11.3, §11.6), so every answer field goes through the lenient
//! deserializers of [`de`].
//!
//! [`Session::send`] is the one place a typed body meets [`Session::exchange`], and
//! [`answer_result`] the one place an answer's `result` becomes a typed value (with an
//! error message that never repeats the answer's text: it may carry call data).

use crate::error::{Error, Result};
use crate::session::{Answer, CallOptions, GuidUse, Session};
use crate::status::*;
use crate::transport::json_body;
use reqwest::Method;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Lenient deserializers: each accepts the JSON type the tables declare and the string
/// form the samples use; `null`, absent and `""` become the field's "not given" value.
pub mod de {
    use serde::de::{Deserialize, Deserializer, Error};
    use serde_json::Value;

    fn int_of(v: &Value) -> Option<Option<i64>> {
        match v {
            Value::Null => Some(None),
            Value::Number(n) => {
                n.as_i64().or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)).map(Some)
            }
            Value::String(s) if s.trim().is_empty() => Some(None),
            Value::String(s) => s.trim().parse().ok().map(Some),
            _ => None,
        }
    }

    /// An integer (number or decimal string); -1 when null or empty.
    pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<i64, D::Error> {
        let v = Value::deserialize(d)?;
        int_of(&v).map(|n| n.unwrap_or(-1)).ok_or_else(|| D::Error::custom("a field is not an integer"))
    }

    /// A 32-bit integer (number or decimal string); -1 when null or empty.
    pub fn int32<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
        let n = int(d)?;
        i32::try_from(n).map_err(|_| D::Error::custom("a field is not a 32-bit integer"))
    }

    /// A boolean (`true`/`false` or their strings); None when null or empty.
    pub fn opt_bool<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(None),
            Value::Bool(b) => Ok(Some(b)),
            Value::String(s) if s.trim().is_empty() => Ok(None),
            Value::String(s) if s.trim().eq_ignore_ascii_case("true") => Ok(Some(true)),
            Value::String(s) if s.trim().eq_ignore_ascii_case("false") => Ok(Some(false)),
            _ => Err(D::Error::custom("a field is not a boolean")),
        }
    }

    /// Text: a string, or a number written as text; empty when null.
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(String::new()),
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            _ => Err(D::Error::custom("a field is not text")),
        }
    }

    /// An array of integers (numbers or decimal strings); empty when null.
    pub fn int_vec<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<i64>, D::Error> {
        match Value::deserialize(d)? {
            Value::Null => Ok(Vec::new()),
            Value::Array(a) => a
                .iter()
                .map(|v| int_of(v).flatten().ok_or_else(|| D::Error::custom("an array entry is not an integer")))
                .collect(),
            _ => Err(D::Error::custom("a field is not an array")),
        }
    }

    /// `-1`, the default of integer fields the answer left out.
    pub fn minus_one<T: From<i8>>() -> T {
        T::from(-1)
    }
}

/// Streaming readers for answers read straight into the library's types (the seed
/// operations): the same leniency as [`crate::session::lenient_i64`] and
/// [`crate::session::lenient_string`] on a JSON value, without building one. Their errors
/// are serde custom errors carrying the message the operation reports (never the
/// answer's text); [`stream::message`] takes it back out.
pub mod stream {
    use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
    use std::fmt;

    /// Makes every listed `visit_*` method of a visitor fail with `self.refusal()` (a
    /// message that names the field, never the value).
    macro_rules! refuse {
        (@one bool) => {
            fn visit_bool<E: ::serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Err(E::custom(self.refusal()))
            }
        };
        (@one num) => {
            fn visit_i64<E: ::serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Err(E::custom(self.refusal()))
            }
            fn visit_u64<E: ::serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Err(E::custom(self.refusal()))
            }
            fn visit_f64<E: ::serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Err(E::custom(self.refusal()))
            }
        };
        (@one str) => {
            fn visit_str<E: ::serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Err(E::custom(self.refusal()))
            }
        };
        (@one unit) => {
            fn visit_unit<E: ::serde::de::Error>(self) -> Result<Self::Value, E> {
                Err(E::custom(self.refusal()))
            }
        };
        (@one seq) => {
            fn visit_seq<A: ::serde::de::SeqAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
                Err(::serde::de::Error::custom(self.refusal()))
            }
        };
        (@one map) => {
            fn visit_map<A: ::serde::de::MapAccess<'de>>(self, _: A) -> Result<Self::Value, A::Error> {
                Err(::serde::de::Error::custom(self.refusal()))
            }
        };
        ($($kind:ident),*) => {
            $(refuse!(@one $kind);)*
        };
    }
    pub(crate) use refuse;

    /// Makes a visitor its own `DeserializeSeed`, read from any JSON value.
    macro_rules! seed_of_visitor {
        ($visitor:ty) => {
            impl<'de> ::serde::de::DeserializeSeed<'de> for $visitor {
                type Value = <$visitor as ::serde::de::Visitor<'de>>::Value;
                fn deserialize<D: ::serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                    d.deserialize_any(self)
                }
            }
        };
    }
    pub(crate) use seed_of_visitor;

    /// The message of a streaming reader's error, without the position serde_json appends.
    pub fn message(e: &serde_json::Error) -> String {
        let text = e.to_string();
        match text.rsplit_once(" at line ") {
            Some((why, _)) if e.line() > 0 => why.to_string(),
            _ => text,
        }
    }

    /// An integer member (a JSON number, integral, or a decimal string): `None` for
    /// `null`; the caller's `refusal` for anything else. `bits32` also refuses values
    /// beyond 32 bits.
    pub struct Int<'k> {
        pub key: &'k str,
        pub bits32: bool,
    }

    impl Int<'_> {
        fn refusal(&self) -> String {
            if self.bits32 {
                format!("{} is not a 32-bit integer", self.key)
            } else {
                format!("{} is not an integer", self.key)
            }
        }

        fn fits<E: de::Error>(&self, n: i64) -> Result<Option<i64>, E> {
            if self.bits32 && i32::try_from(n).is_err() {
                Err(E::custom(self.refusal()))
            } else {
                Ok(Some(n))
            }
        }
    }

    impl<'de> de::DeserializeSeed<'de> for Int<'_> {
        type Value = Option<i64>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<i64>, D::Error> {
            d.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Int<'_> {
        type Value = Option<i64>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an integer")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Option<i64>, E> {
            Ok(None)
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<i64>, E> {
            self.fits(v)
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<i64>, E> {
            // As a JSON value reads it: beyond i64, through f64 (saturating).
            self.fits(i64::try_from(v).unwrap_or(v as f64 as i64))
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Option<i64>, E> {
            if v.fract() == 0.0 {
                self.fits(v as i64)
            } else {
                Err(E::custom(self.refusal()))
            }
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<i64>, E> {
            match v.trim().parse() {
                Ok(n) => self.fits(n),
                Err(_) => Err(E::custom(self.refusal())),
            }
        }
        refuse!(bool, seq, map);
    }

    /// A text member: a string, or a number written as text; empty for anything else.
    pub struct Text;

    impl<'de> de::DeserializeSeed<'de> for Text {
        type Value = String;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<String, D::Error> {
            d.deserialize_any(TextVisitor)
        }
    }

    struct TextVisitor;

    impl<'de> Visitor<'de> for TextVisitor {
        type Value = String;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("text")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_owned())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<String, E> {
            Ok(v.to_string())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<String, E> {
            Ok(serde_json::Number::from_f64(v).map(|n| n.to_string()).unwrap_or_default())
        }
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_unit<E: de::Error>(self) -> Result<String, E> {
            Ok(String::new())
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<String, A::Error> {
            while seq.next_element::<IgnoredAny>()?.is_some() {}
            Ok(String::new())
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<String, A::Error> {
            while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
            Ok(String::new())
        }
    }

    /// A member name, compared as decoded without being copied: its index in `names`, or
    /// `None` for one the reader does not know.
    pub struct Key(pub &'static [&'static str]);

    impl<'de> de::DeserializeSeed<'de> for Key {
        type Value = Option<usize>;
        fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<usize>, D::Error> {
            d.deserialize_identifier(self)
        }
    }

    impl Visitor<'_> for Key {
        type Value = Option<usize>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a member name")
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<usize>, E> {
            Ok(self.0.iter().position(|k| *k == v))
        }
    }
}

/// Serializers for the request bodies.
pub mod ser {
    use serde::Serializer;

    /// `addressType` as the samples write it: the string `"6"` or `"9"` (reference §11.3).
    pub fn address_type<S: Serializer>(t: &i64, s: S) -> Result<S::Ok, S::Error> {
        match t {
            // The two values validation lets through, without the formatting machinery.
            6 => s.serialize_str("6"),
            9 => s.serialize_str("9"),
            _ => s.collect_str(t),
        }
    }
}

/// Replaces quoted text and numbers in back-quotes in a serde message: such messages quote
/// the offending value, which may be call data.
fn scrub(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut chars = msg.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                out.push_str("\"…\"");
                let mut escaped = false;
                for d in chars.by_ref() {
                    match d {
                        '\\' if !escaped => escaped = true,
                        '"' if !escaped => break,
                        _ => escaped = false,
                    }
                }
            }
            '`' => {
                out.push_str("`…`");
                for d in chars.by_ref() {
                    if d == '`' {
                        break;
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// The answer's `result` as `T`: absent and `null` deserialize as `T` from `null` (each
/// answer type decides what that means); any other mismatch is
/// `CCGW_E_MALFORMED_RESPONSE`, whose message names the shape but never the answer's text.
pub fn answer_result<'a, T: Deserialize<'a>>(op: &str, answer: &'a Answer) -> Result<T> {
    answer.env.result().map_err(|e| not_documented(op, &e, answer.env.http_status))
}

/// [`answer_result`] on a whole answer envelope as JSON (also the fuzz targets' entry point).
pub fn result_of<T: DeserializeOwned>(op: &str, answer: &Value, http_status: u16) -> Result<T> {
    let result = answer.get("result").unwrap_or(&Value::Null);
    T::deserialize(result).map_err(|e| not_documented(op, &e, http_status))
}

/// A result that does not read as its type: the message names the shape, never the text.
fn not_documented(op: &str, e: &serde_json::Error, http_status: u16) -> Error {
    // The position serde_json appends (read from the answer's text) says nothing useful.
    let text = e.to_string();
    let why = match text.rsplit_once(" at line ") {
        Some((why, _)) if e.line() > 0 => why,
        _ => &text,
    };
    Error::new(
        CCGW_E_MALFORMED_RESPONSE,
        format!("{op}: the answer's result is not the documented shape: {}", scrub(why)),
    )
    .with_http_status(http_status)
}

impl Session {
    /// One exchange of a typed operation: `body` serialized as the request's JSON, the
    /// session's Guid required. `path` is relative to `/agentgateway/resource/`.
    pub async fn send<B: Serialize + ?Sized>(
        &self,
        op: &str,
        method: Method,
        path: &str,
        body: Option<&B>,
        opts: &CallOptions,
    ) -> Result<Answer> {
        // The request's bytes go into a wiped buffer (`json_body`); the JSON value is what
        // `without_request_data` cuts out of a refusal's words.
        let value = body
            .map(serde_json::to_value)
            .transpose()
            .map_err(|e| Error::new(CCGW_E_INTERNAL, format!("{op}: the request body does not serialize: {e}")))?;
        self.exchange(op, method, path, body.map(json_body), GuidUse::Required, opts)
            .await
            .map_err(|e| without_request_data(e, path, value.as_ref()))
    }

    /// A typed operation without a body whose answer carries nothing the caller needs.
    pub async fn send_empty(&self, op: &str, method: Method, path: &str, opts: &CallOptions) -> Result<()> {
        self.send::<()>(op, method, path, None, opts).await.map(|_| ())
    }
}

/// The gateway's own words, which an error message quotes, may repeat what the request
/// carried (a call id, a phone number: "the agent has no call with id ..."). Every path
/// parameter after the interface, every query value and every string of the body longer than
/// two characters is cut out of the message.
fn without_request_data(mut e: Error, path: &str, body: Option<&Value>) -> Error {
    fn strings(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::String(s) => out.push(s.clone()),
            Value::Array(a) => a.iter().for_each(|x| strings(x, out)),
            Value::Object(o) => o.values().for_each(|x| strings(x, out)),
            _ => {}
        }
    }
    let decode = |s: &str| percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned();
    let (route, query) = path.split_once('?').unwrap_or((path, ""));
    let mut data: Vec<String> = route.split('/').skip(3).map(decode).collect();
    data.extend(query.split('&').filter_map(|kv| kv.split_once('=')).map(|(_, v)| decode(v)));
    if let Some(b) = body {
        strings(b, &mut data);
    }
    data.retain(|d| d.trim().chars().count() > 2);
    data.sort_by_key(|d| std::cmp::Reverse(d.len()));
    for d in &data {
        if e.message.contains(d.as_str()) {
            e.message = e.message.replace(d.as_str(), "…");
        }
    }
    e
}

/// RFC 3986 §2.3's unreserved characters stay; everything else is percent-encoded.
const COMPONENT: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC.remove(b'-').remove(b'.').remove(b'_').remove(b'~');

/// Percent-encodes one URL path segment or query value (RFC 3986 §2.1), e.g. `*1#` →
/// `%2A1%23`.
pub fn encode_component(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Deserialize, Debug, PartialEq)]
    struct Sample {
        #[serde(default = "de::minus_one", deserialize_with = "de::int")]
        n: i64,
        #[serde(default = "de::minus_one", deserialize_with = "de::int32")]
        m: i32,
        #[serde(default, deserialize_with = "de::opt_bool")]
        b: Option<bool>,
        #[serde(default, deserialize_with = "de::string")]
        s: String,
        #[serde(default, deserialize_with = "de::int_vec")]
        v: Vec<i64>,
    }

    #[test]
    fn lenient_fields_take_both_typings() {
        let a: Sample =
            serde_json::from_value(json!({"n": 5, "m": "7", "b": "true", "s": 70005, "v": [1, "2"]})).unwrap();
        assert_eq!(a, Sample { n: 5, m: 7, b: Some(true), s: "70005".into(), v: vec![1, 2] });
        let b: Sample = serde_json::from_value(json!({"n": null, "m": "", "b": null, "s": null, "v": null})).unwrap();
        assert_eq!(b, Sample { n: -1, m: -1, b: None, s: String::new(), v: vec![] });
        let c: Sample = serde_json::from_value(json!({})).unwrap();
        assert_eq!(c, b);
        assert!(serde_json::from_value::<Sample>(json!({"n": "five"})).is_err());
        assert!(serde_json::from_value::<Sample>(json!({"m": 1u64 << 40})).is_err());
        assert!(serde_json::from_value::<Sample>(json!({"b": 1})).is_err());
        assert!(serde_json::from_value::<Sample>(json!({"v": [true]})).is_err());
    }

    #[test]
    fn scrubbed_messages_keep_no_value() {
        let e = serde_json::from_value::<Sample>(json!("70005 secret")).unwrap_err().to_string();
        assert!(e.contains("70005"), "{e}");
        let s = scrub(&e);
        assert!(!s.contains("70005") && !s.contains("secret"), "{s}");
        assert_eq!(scrub(r#"string "a\"b" and `42` end"#), "string \"…\" and `…` end");
    }

    #[test]
    fn components_are_percent_encoded() {
        assert_eq!(encode_component("*1#"), "%2A1%23");
        assert_eq!(encode_component("1455885056-1095"), "1455885056-1095");
        assert_eq!(encode_component("a/b?c"), "a%2Fb%3Fc");
    }

    #[test]
    fn gateway_words_lose_the_request_data() {
        let e = Error::new(CCGW_E_GATEWAY, "dropCall: refused (gateway says: no call with id 1455885056-1095)");
        let e = without_request_data(e, "voicecall/101/dropcall/1455885056-1095", None);
        assert_eq!(e.message, "dropCall: refused (gateway says: no call with id …)");
        let e = Error::new(CCGW_E_GATEWAY, "x (gateway says: *1# and 70005 and 6)");
        let body = json!({"addressType": "6", "address": "70005"});
        let e = without_request_data(e, "voicecall/101/seconddialex?number=%2A1%23", Some(&body));
        assert_eq!(e.message, "x (gateway says: … and … and 6)");
    }
}
