//! The JSON documents the browser reads (`config.json`, the API's answers), parsed by a
//! well-kept parser rather than one of ours: in the browser, its own `JSON.parse`; natively (the
//! tests and the prerender), `serde_json`. Either way the game then reads the fields it needs
//! through [`JsonValue`], so every rule about what a field may hold is written once and tested
//! natively. Leaving `serde_json` out of the wasm module saves about a fifth of it once
//! compressed (see BENCHMARKS.md), and reading numbers as whole numbers keeps float formatting
//! out too.

/// A parsed JSON value: `JsValue` in the browser, `serde_json::Value` natively.
#[cfg(target_arch = "wasm32")]
pub type Value = wasm_bindgen::JsValue;
#[cfg(not(target_arch = "wasm32"))]
pub type Value = serde_json::Value;

/// The largest whole number JSON numbers carry exactly in a browser (2^53 − 1).
pub const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// Parses `text` as one JSON value, or `None` if it is not JSON.
pub fn parse(text: &str) -> Option<Value> {
    #[cfg(target_arch = "wasm32")]
    return js_sys::JSON::parse(text).ok();
    #[cfg(not(target_arch = "wasm32"))]
    return serde_json::from_str(text).ok();
}

/// What the game reads from a JSON value. Each reading is strict: a field of another type
/// reads as missing.
pub trait JsonValue: Sized {
    /// The field `name` of an object (not of an array or anything else).
    fn field(&self, name: &str) -> Option<Self>;
    fn is_json_object(&self) -> bool;
    fn text(&self) -> Option<String>;
    fn boolean(&self) -> Option<bool>;
    /// A whole number from 0 to [`MAX_SAFE_INTEGER`]: no sign, fraction, or digits that a
    /// browser would round.
    fn whole_number(&self) -> Option<u64>;
    /// The items of an array.
    fn items(&self) -> Option<Vec<Self>>;
}

#[cfg(not(target_arch = "wasm32"))]
impl JsonValue for serde_json::Value {
    fn field(&self, name: &str) -> Option<Self> {
        self.as_object()?.get(name).cloned()
    }

    fn is_json_object(&self) -> bool {
        self.is_object()
    }

    fn text(&self) -> Option<String> {
        self.as_str().map(str::to_owned)
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn whole_number(&self) -> Option<u64> {
        self.as_u64().filter(|&number| number <= MAX_SAFE_INTEGER)
    }

    fn items(&self) -> Option<Vec<Self>> {
        self.as_array().cloned()
    }
}

#[cfg(target_arch = "wasm32")]
impl JsonValue for wasm_bindgen::JsValue {
    fn field(&self, name: &str) -> Option<Self> {
        if !self.is_json_object() {
            return None;
        }
        // An own property only: never one inherited from Object's prototype.
        let key = wasm_bindgen::JsValue::from_str(name);
        let object: &js_sys::Object = wasm_bindgen::JsCast::unchecked_ref(self);
        js_sys::Object::has_own(object, &key)
            .then(|| js_sys::Reflect::get(self, &key).ok())
            .flatten()
    }

    fn is_json_object(&self) -> bool {
        self.is_object() && !js_sys::Array::is_array(self)
    }

    fn text(&self) -> Option<String> {
        self.as_string()
    }

    fn boolean(&self) -> Option<bool> {
        self.as_bool()
    }

    fn whole_number(&self) -> Option<u64> {
        let number = self.as_f64()?;
        let whole = number.fract() == 0.0 && (0.0..=MAX_SAFE_INTEGER as f64).contains(&number);
        whole.then_some(number as u64)
    }

    fn items(&self) -> Option<Vec<Self>> {
        js_sys::Array::is_array(self).then(|| js_sys::Array::from(self).iter().collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_are_strict_about_types() {
        let value = parse(
            r#"{"a": "x", "n": 7, "f": 7.5, "neg": -1, "big": 9007199254740992,
                             "b": true, "list": [1, 2], "null": null}"#,
        )
        .unwrap();
        assert_eq!(value.field("a").and_then(|a| a.text()), Some("x".to_owned()));
        assert_eq!(value.field("n").and_then(|n| n.whole_number()), Some(7));
        for not_whole in ["f", "neg", "big", "a", "b", "null", "list"] {
            assert_eq!(value.field(not_whole).and_then(|v| v.whole_number()), None, "{not_whole}");
        }
        assert_eq!(value.field("n").and_then(|n| n.text()), None);
        assert_eq!(value.field("b").and_then(|b| b.boolean()), Some(true));
        assert_eq!(value.field("list").and_then(|l| l.items()).map(|items| items.len()), Some(2));
        assert_eq!(value.field("missing"), None);
        assert!(value.is_json_object());
        let list = value.field("list").unwrap();
        assert!(!list.is_json_object() && list.field("0").is_none());
    }

    #[test]
    fn what_is_not_json_does_not_parse() {
        for text in ["", "{", "<html>", "{'a': 1}", "[1,]", "NaN", "{\"a\":1} x"] {
            assert_eq!(parse(text), None, "{text}");
        }
    }
}
