//! `config.json`: the one setting a deployed site needs, the API's base URL. It is read at
//! start-up, so one build serves every stage; whatever it holds is checked here.

use crate::json::{self, JsonValue};

/// Where the API lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Absolute `http(s)` base URL without a trailing slash, e.g.
    /// `https://abc123.execute-api.eu-west-1.amazonaws.com`.
    pub api_url: String,
}

impl Config {
    /// The URL of the API's `path` (such as `/spin`).
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.api_url)
    }

    /// Reads `config.json`'s text. Errors are sentences for the page.
    pub fn parse(text: &str) -> Result<Config, String> {
        let invalid = |why: &str| format!("Spin's settings file (config.json) is invalid: {why}.");
        let settings = json::parse(text).ok_or_else(|| invalid("it is not JSON"))?;
        if !settings.is_json_object() {
            return Err(invalid("it is not a JSON object"));
        }
        let raw_url = match settings.field("apiUrl") {
            Some(url) => url.text().ok_or_else(|| invalid("`apiUrl` is not a string"))?,
            None => return Err(invalid("missing field `apiUrl`")),
        };
        let api_url = raw_url.trim().trim_end_matches('/');
        let scheme_ok = api_url.starts_with("https://") || api_url.starts_with("http://");
        let host = api_url.split_once("://").map_or("", |(_, rest)| rest);
        let has_host = !host.is_empty() && !host.starts_with('/');
        let plain = !api_url.contains(['?', '#', ' ', '"', '<', '>', '\\']);
        if !(scheme_ok && has_host && plain) {
            return Err(format!(
                "Spin's settings file (config.json) has an apiUrl that is not a web address: \"{raw_url}\"."
            ));
        }
        Ok(Config { api_url: api_url.to_owned() })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_api_url() {
        let config =
            Config::parse(r#"{"apiUrl": "https://abc.execute-api.us-east-1.amazonaws.com/"}"#)
                .unwrap();
        assert_eq!(config.url("/spin"), "https://abc.execute-api.us-east-1.amazonaws.com/spin");
        let staged = Config::parse(r#"{"apiUrl": "http://127.0.0.1:9000/dev"}"#).unwrap();
        assert_eq!(staged.url("/spin"), "http://127.0.0.1:9000/dev/spin");
    }

    #[test]
    fn explains_what_is_wrong() {
        for (text, expected) in [
            ("", "is invalid"),
            ("<html>", "is invalid"),
            ("{}", "missing field `apiUrl`"),
            (r#"{"apiUrl": 5}"#, "is invalid"),
            ("[1]", "is invalid"),
            (r#"{"apiUrl": "ftp://x"}"#, "not a web address"),
            (r#"{"apiUrl": "javascript:alert(1)"}"#, "not a web address"),
            (r#"{"apiUrl": "https://"}"#, "not a web address"),
            (r#"{"apiUrl": "/relative"}"#, "not a web address"),
        ] {
            let error = Config::parse(text).unwrap_err();
            assert!(error.contains(expected), "{text:?}: {error}");
            assert!(error.contains("config.json"));
        }
    }
}
