//! A small, strict JSON reader for the few documents the browser reads: `config.json` and the
//! API's answers. It parses standard JSON (RFC 8259) into a tree that callers pick fields from.
//! The game used `serde_json` for this, which cost about a fifth of the wasm module once
//! compressed; this reader does the same job in a few kilobytes. The wire types stay in
//! `spin-game`, and tests check this reader against `serde_json`'s output for them.

/// A parsed JSON value. Numbers keep their text: the game only reads whole numbers, and
/// parsing floats would bring back the code this module avoids.
#[derive(Clone, Debug, PartialEq)]
pub enum Json<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    String(String),
    Array(Vec<Json<'a>>),
    Object(Vec<(String, Json<'a>)>),
}

/// Why a text is not JSON the reader accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NotJson;

/// Nesting deeper than this is refused (the game's documents are two levels deep), so a
/// hostile answer cannot exhaust the stack.
const MAX_DEPTH: u32 = 32;

/// Parses `text`, which must hold exactly one JSON value (whitespace around it allowed).
pub fn parse(text: &str) -> Result<Json<'_>, NotJson> {
    let mut parser = Parser { text, at: 0, depth: 0 };
    let value = parser.value()?;
    parser.skip_whitespace();
    if parser.at == text.len() { Ok(value) } else { Err(NotJson) }
}

impl<'a> Json<'a> {
    /// The value of `key`, if this is an object that has it.
    pub fn get(&self, key: &str) -> Option<&Json<'a>> {
        match self {
            Json::Object(fields) => fields.iter().find(|(name, _)| name == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(text) => Some(text),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(value) => Some(*value),
            _ => None,
        }
    }

    /// A whole, non-negative number that fits a `u64` (no sign, fraction or exponent).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(text) if text.bytes().all(|b| b.is_ascii_digit()) => text.parse().ok(),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Json<'a>]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }
}

struct Parser<'a> {
    text: &'a str,
    at: usize,
    depth: u32,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    fn next(&mut self) -> Result<u8, NotJson> {
        let byte = self.peek().ok_or(NotJson)?;
        self.at += 1;
        Ok(byte)
    }

    fn expect(&mut self, byte: u8) -> Result<(), NotJson> {
        if self.next()? == byte { Ok(()) } else { Err(NotJson) }
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    fn value(&mut self) -> Result<Json<'a>, NotJson> {
        self.skip_whitespace();
        match self.peek().ok_or(NotJson)? {
            b'{' => self.nested(Parser::object),
            b'[' => self.nested(Parser::array),
            b'"' => self.string().map(Json::String),
            b't' => self.literal("true", Json::Bool(true)),
            b'f' => self.literal("false", Json::Bool(false)),
            b'n' => self.literal("null", Json::Null),
            b'-' | b'0'..=b'9' => self.number(),
            _ => Err(NotJson),
        }
    }

    fn nested(
        &mut self,
        read: fn(&mut Parser<'a>) -> Result<Json<'a>, NotJson>,
    ) -> Result<Json<'a>, NotJson> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(NotJson);
        }
        let value = read(self);
        self.depth -= 1;
        value
    }

    fn literal(&mut self, word: &str, value: Json<'a>) -> Result<Json<'a>, NotJson> {
        if self.text[self.at..].starts_with(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(NotJson)
        }
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    fn number(&mut self) -> Result<Json<'a>, NotJson> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        match self.next()? {
            b'0' => {}
            b'1'..=b'9' => self.digits(),
            _ => return Err(NotJson),
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            self.at_least_one_digit()?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.at += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.at += 1;
            }
            self.at_least_one_digit()?;
        }
        Ok(Json::Number(&self.text[start..self.at]))
    }

    fn digits(&mut self) {
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
    }

    fn at_least_one_digit(&mut self) -> Result<(), NotJson> {
        if !self.peek().is_some_and(|b| b.is_ascii_digit()) {
            return Err(NotJson);
        }
        self.digits();
        Ok(())
    }

    fn string(&mut self) -> Result<String, NotJson> {
        self.expect(b'"')?;
        let mut out = String::new();
        let mut run = self.at; // start of the text not yet copied
        loop {
            match self.next()? {
                b'"' => {
                    out.push_str(&self.text[run..self.at - 1]);
                    return Ok(out);
                }
                b'\\' => {
                    out.push_str(&self.text[run..self.at - 1]);
                    let escaped = match self.next()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(NotJson),
                    };
                    out.push(escaped);
                    run = self.at;
                }
                0..=0x1f => return Err(NotJson), // control characters must be escaped
                _ => {}
            }
        }
    }

    /// The character of a `\uXXXX` escape (the `\u` already read), joining surrogate pairs.
    fn unicode_escape(&mut self) -> Result<char, NotJson> {
        let first = self.hex4()?;
        let code = match first {
            0xd800..=0xdbff => {
                self.expect(b'\\')?;
                self.expect(b'u')?;
                let low = self.hex4()?;
                if !(0xdc00..=0xdfff).contains(&low) {
                    return Err(NotJson);
                }
                0x10000 + ((first - 0xd800) << 10) + (low - 0xdc00)
            }
            _ => first,
        };
        char::from_u32(code).ok_or(NotJson)
    }

    fn hex4(&mut self) -> Result<u32, NotJson> {
        let mut code = 0;
        for _ in 0..4 {
            let digit = char::from(self.next()?).to_digit(16).ok_or(NotJson)?;
            code = code * 16 + digit;
        }
        Ok(code)
    }

    fn array(&mut self) -> Result<Json<'a>, NotJson> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Json::Array(items));
        }
        loop {
            items.push(self.value()?);
            self.skip_whitespace();
            match self.next()? {
                b',' => {}
                b']' => return Ok(Json::Array(items)),
                _ => return Err(NotJson),
            }
        }
    }

    fn object(&mut self) -> Result<Json<'a>, NotJson> {
        self.expect(b'{')?;
        let mut fields: Vec<(String, Json<'a>)> = Vec::new();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Json::Object(fields));
        }
        loop {
            self.skip_whitespace();
            let key = self.string()?;
            self.skip_whitespace();
            self.expect(b':')?;
            let value = self.value()?;
            if fields.iter().any(|(name, _)| *name == key) {
                return Err(NotJson); // a duplicate key is ambiguous: refuse it
            }
            fields.push((key, value));
            self.skip_whitespace();
            match self.next()? {
                b',' => {}
                b'}' => return Ok(Json::Object(fields)),
                _ => return Err(NotJson),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_every_kind_of_value() {
        let json = parse(
            r#" { "a": [1, -2.5e3, 0], "b": {"c": null}, "t": true, "f": false,
                 "s": "x\"\\\/\b\f\n\r\t\u00e9\ud83c\udf52é" } "#,
        )
        .unwrap();
        let a = json.get("a").and_then(Json::as_array).unwrap();
        assert_eq!(a, [Json::Number("1"), Json::Number("-2.5e3"), Json::Number("0")]);
        assert_eq!(a[0].as_u64(), Some(1));
        assert_eq!(a[1].as_u64(), None);
        assert_eq!(json.get("b").and_then(|b| b.get("c")), Some(&Json::Null));
        assert_eq!(json.get("t").and_then(Json::as_bool), Some(true));
        assert_eq!(json.get("f").and_then(Json::as_bool), Some(false));
        assert_eq!(json.get("s").and_then(Json::as_str), Some("x\"\\/\u{8}\u{c}\n\r\té🍒é"));
        assert_eq!(json.get("missing"), None);
        assert_eq!(parse("[]").unwrap(), Json::Array(vec![]));
        assert_eq!(parse("{}").unwrap(), Json::Object(vec![]));
    }

    #[test]
    fn whole_numbers_only_as_u64() {
        for (text, expected) in [
            ("0", Some(0)),
            ("42", Some(42)),
            ("18446744073709551615", Some(u64::MAX)),
            ("18446744073709551616", None),
            ("-1", None),
            ("-0", None),
            ("1.0", None),
            ("1e3", None),
        ] {
            assert_eq!(parse(text).unwrap().as_u64(), expected, "{text}");
        }
    }

    #[test]
    fn refuses_what_is_not_json() {
        for bad in [
            "",
            " ",
            "<html>",
            "{",
            "}",
            "[1,]",
            "[1 2]",
            "{\"a\":1,}",
            "{\"a\" 1}",
            "{a:1}",
            "{\"a\":1}x",
            "{\"a\":1}{}",
            "01",
            "1.",
            ".5",
            "-",
            "1e",
            "+1",
            "tru",
            "nul",
            "\"open",
            "\"\\x\"",
            "\"\\u12\"",
            "\"\\ud83c\"",
            "\"\\udf52\"",
            "\"tab\there\"",
            "{\"a\":1,\"a\":2}",
            "NaN",
            "'x'",
        ] {
            assert_eq!(parse(bad), Err(NotJson), "{bad:?} accepted");
        }
        let deep = "[".repeat(100) + &"]".repeat(100);
        assert_eq!(parse(&deep), Err(NotJson));
        let fine = "[".repeat(MAX_DEPTH as usize) + &"]".repeat(MAX_DEPTH as usize);
        assert!(parse(&fine).is_ok());
    }

    #[test]
    fn agrees_with_serde_json_on_what_is_json() {
        for text in [
            "{\"a\":[1,2,{\"b\":\"\\u0041\"}]}",
            "[true,false,null]",
            "\"\\ud83c\\udf52\"",
            "[1,]",
            "{\"a\":01}",
            "\"\u{1}\"",
            "[-0.5e-3]",
            "  7  ",
        ] {
            let ours = parse(text).is_ok();
            let theirs = serde_json::from_str::<serde_json::Value>(text).is_ok();
            assert_eq!(ours, theirs, "{text:?}");
        }
    }
}
