use std::fmt;

use http::{HeaderValue, Uri};

/// What the API needs from its environment.
#[derive(Clone, Debug, Default)]
pub struct Config {
    allowed_origins: Vec<HeaderValue>,
}

impl Config {
    /// Reads `ALLOWED_ORIGINS`: comma-separated exact origins such as
    /// `https://spin.example.com,http://127.0.0.1:8080`. Unset or empty allows no cross-origin
    /// caller at all.
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::with_allowed_origins(&std::env::var("ALLOWED_ORIGINS").unwrap_or_default())
    }

    /// Parses a comma-separated list of exact origins (`scheme://host[:port]`).
    pub fn with_allowed_origins(list: &str) -> Result<Config, ConfigError> {
        let allowed_origins = list
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(parse_origin)
            .collect::<Result<_, _>>()?;
        Ok(Config { allowed_origins })
    }

    pub fn allowed_origins(&self) -> &[HeaderValue] {
        &self.allowed_origins
    }
}

/// An origin is exactly what a browser sends in `Origin`: scheme, host and optional port, with
/// no path, query or trailing slash. Anything else could never match, so it is refused early.
fn parse_origin(entry: &str) -> Result<HeaderValue, ConfigError> {
    let invalid = || ConfigError { entry: entry.to_owned() };
    let uri: Uri = entry.parse().map_err(|_| invalid())?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    let bare = uri.path() == "/" && uri.query().is_none() && !entry.ends_with('/');
    let host_ok = uri.host().is_some_and(|h| !h.is_empty()) && !entry.contains('@');
    if !(scheme_ok && bare && host_ok) {
        return Err(invalid());
    }
    HeaderValue::from_str(entry).map_err(|_| invalid())
}

/// An `ALLOWED_ORIGINS` entry that is not an origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub entry: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ALLOWED_ORIGINS entry {:?} is not an origin like https://example.com or http://127.0.0.1:8080",
            self.entry
        )
    }
}

impl std::error::Error for ConfigError {}

#[cfg(test)]
mod tests {
    use spin_tests::EXAMPLE_ORIGIN;

    use super::*;

    #[test]
    fn parses_exact_origins() {
        let list = format!(" {EXAMPLE_ORIGIN}, http://127.0.0.1:8080 ,");
        let config = Config::with_allowed_origins(&list).unwrap();
        let origins: Vec<_> =
            config.allowed_origins().iter().map(|o| o.to_str().unwrap()).collect();
        assert_eq!(origins, [EXAMPLE_ORIGIN, "http://127.0.0.1:8080"]);
        assert!(Config::with_allowed_origins("").unwrap().allowed_origins().is_empty());
    }

    #[test]
    fn refuses_what_is_not_an_origin() {
        for bad in [
            "*",
            "example.com",
            "https://example.com/",
            "https://example.com/path",
            "https://example.com?q=1",
            "ftp://example.com",
            "https://user@example.com",
            "https://",
        ] {
            let error = Config::with_allowed_origins(bad).unwrap_err();
            assert_eq!(error.entry, bad);
        }
    }
}
