use std::fmt;

use http::{HeaderValue, Uri};
use spin_game::fair::Epochs;

use crate::fairness::{Clock, Fair, Secret};

/// What the API needs from its environment.
#[derive(Clone, Debug, Default)]
pub struct Config {
    allowed_origins: Vec<HeaderValue>,
    pub(crate) fair: Fair,
}

impl Config {
    /// Reads the environment:
    /// - `ALLOWED_ORIGINS`: comma-separated exact origins such as
    ///   `https://spin.example.com,http://127.0.0.1:8080`. Unset or empty allows no
    ///   cross-origin caller at all.
    /// - `SPIN_EPOCH_SECONDS`: the length of a fairness epoch, 1 to 86400 (default 300).
    /// - `SPIN_SECRET`: the server secret, hex, at least 32 bytes. Unset, the process draws a
    ///   random one (and says so): fine locally, not where seeds must outlive the process.
    pub fn from_env() -> Result<Config, ConfigError> {
        let origins = std::env::var("ALLOWED_ORIGINS").unwrap_or_default();
        Config::with_allowed_origins(&origins)?.with_fairness_from_env()
    }

    /// This configuration with `SPIN_EPOCH_SECONDS` and `SPIN_SECRET` from the environment,
    /// where they are set.
    pub fn with_fairness_from_env(mut self) -> Result<Config, ConfigError> {
        if let Some(seconds) = env_var("SPIN_EPOCH_SECONDS") {
            self = self.with_epoch_seconds(&seconds)?;
        }
        if let Some(secret) = env_var("SPIN_SECRET") {
            self.fair.secret = Secret::from_hex(&secret).map_err(ConfigError::Secret)?;
        }
        Ok(self)
    }

    /// Epochs of `seconds` (whole seconds, 1 to 86400).
    pub fn with_epoch_seconds(mut self, seconds: &str) -> Result<Config, ConfigError> {
        let invalid = || ConfigError::EpochSeconds(seconds.to_owned());
        let seconds: u64 = seconds.trim().parse().map_err(|_| invalid())?;
        self.fair.epochs = Epochs::new(seconds).ok_or_else(invalid)?;
        Ok(self)
    }

    /// The server secret the epochs' seeds are derived from.
    pub fn with_secret(mut self, secret: Secret) -> Config {
        self.fair.secret = secret;
        self
    }

    /// Another clock than the system's (tests stand at an epoch's boundary with it).
    pub fn with_clock(mut self, clock: Clock) -> Config {
        self.fair.clock = clock;
        self
    }

    /// Parses a comma-separated list of exact origins (`scheme://host[:port]`).
    pub fn with_allowed_origins(list: &str) -> Result<Config, ConfigError> {
        let allowed_origins = list
            .split(',')
            .map(str::trim)
            .filter(|entry| !entry.is_empty())
            .map(parse_origin)
            .collect::<Result<_, _>>()?;
        Ok(Config { allowed_origins, fair: Fair::default() })
    }

    pub fn allowed_origins(&self) -> &[HeaderValue] {
        &self.allowed_origins
    }
}

/// The variable `name` of the environment where it is set and not empty: a template that leaves
/// an optional setting empty means it unset, and every reader must agree on that.
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|value| !value.is_empty())
}

/// An origin is exactly what a browser sends in `Origin`: scheme, host and optional port, with
/// no path, query or trailing slash. Anything else could never match, so it is refused early.
fn parse_origin(entry: &str) -> Result<HeaderValue, ConfigError> {
    let invalid = || ConfigError::Origin(entry.to_owned());
    let uri: Uri = entry.parse().map_err(|_| invalid())?;
    let scheme_ok = matches!(uri.scheme_str(), Some("http" | "https"));
    let bare = uri.path() == "/" && uri.query().is_none() && !entry.ends_with('/');
    let host_ok = uri.host().is_some_and(|h| !h.is_empty()) && !entry.contains('@');
    if !(scheme_ok && bare && host_ok) {
        return Err(invalid());
    }
    HeaderValue::from_str(entry).map_err(|_| invalid())
}

/// A setting the API cannot start with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// An `ALLOWED_ORIGINS` entry that is not an origin.
    Origin(String),
    /// A `SPIN_EPOCH_SECONDS` that is not a whole number from 1 to 86400.
    EpochSeconds(String),
    /// Why `SPIN_SECRET` is not a usable secret.
    Secret(String),
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Origin(entry) => write!(
                f,
                "ALLOWED_ORIGINS entry {entry:?} is not an origin like https://example.com or http://127.0.0.1:8080"
            ),
            ConfigError::EpochSeconds(value) => write!(
                f,
                "SPIN_EPOCH_SECONDS {value:?} is not a whole number of seconds from 1 to {}",
                Epochs::MAX_SECONDS
            ),
            ConfigError::Secret(why) => write!(f, "SPIN_SECRET {why}"),
        }
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
            assert_eq!(error, ConfigError::Origin(bad.to_owned()));
        }
    }

    #[test]
    fn epochs_are_whole_seconds_up_to_a_day() {
        let config = Config::default();
        assert_eq!(config.clone().with_epoch_seconds("60").unwrap().fair.epochs.seconds(), 60);
        assert_eq!(
            config.clone().with_epoch_seconds("86400").unwrap().fair.epochs.seconds(),
            86400
        );
        for bad in ["0", "86401", "1.5", "-1", "five", ""] {
            let error = config.clone().with_epoch_seconds(bad).unwrap_err();
            assert_eq!(error, ConfigError::EpochSeconds(bad.to_owned()));
            assert!(error.to_string().starts_with("SPIN_EPOCH_SECONDS"), "{error}");
        }
        assert_eq!(config.fair.epochs.seconds(), crate::fairness::DEFAULT_EPOCH_SECONDS);
    }
}
