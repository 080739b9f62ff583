//! The server side of `spin-fair-v1` (see `spin_game::fair`): the epochs, the server secret
//! every epoch's seed is derived from, the clock, and the routes that publish commitments
//! and reveal seeds: `GET /fairness` and `GET /fairness/{epoch}`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use http::HeaderValue;
use http::header::CACHE_CONTROL;
use rand::RngExt;
use spin_game::fair::{ClientSeed, Commitment, Epochs, SeedKey, ServerSeed};
use spin_game::{CurrentEpoch, EpochSeed, Fairness};
use tokio::sync::OnceCell;

use crate::ApiError;

/// The epoch length when `SPIN_EPOCH_SECONDS` is not set: five minutes. A player can check a
/// spin at most five minutes after making it, while the page fetches a new commitment only
/// once every five minutes (each spin stays one request).
pub const DEFAULT_EPOCH_SECONDS: u64 = 300;

/// An ended epoch's seed and commitment never change: caches may keep the answer for good.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// The current time in unix seconds; tests put in a clock of their own.
pub type Clock = Arc<dyn Fn() -> u64 + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(|| SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()))
}

type Fetch =
    Box<dyn Fn() -> Pin<Box<dyn Future<Output = Result<Vec<u8>, String>> + Send>> + Send + Sync>;

/// The server secret: known at start-up, or fetched on first use and then kept for the life
/// of the process (in Lambda, once per instance, and never during init).
#[derive(Clone)]
pub struct Secret(Arc<SecretInner>);

struct SecretInner {
    bytes: OnceCell<Arc<[u8]>>,
    fetch: Option<Fetch>,
    /// The latest epoch a spin was drawn in, with its seed ready to draw: every spin of an
    /// epoch shares one seed, so it is derived, committed to and keyed once per epoch rather
    /// than once per spin. It lives with the secret it was derived from, so a new secret
    /// never meets an old seed.
    drawing: Mutex<Option<Arc<EpochKeys>>>,
}

/// What every spin of one epoch draws with, computed once for the epoch.
pub(crate) struct EpochKeys {
    pub epoch: u64,
    pub commitment: Commitment,
    pub key: SeedKey,
}

impl EpochKeys {
    fn derive(secret: &[u8], epoch: u64) -> EpochKeys {
        let seed = ServerSeed::derive(secret, epoch);
        EpochKeys { epoch, commitment: seed.commitment(), key: SeedKey::new(&seed) }
    }
}

/// The secret could not be fetched; the next request tries again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretUnavailable(pub String);

impl Secret {
    /// The shortest secret accepted: 32 bytes, as long as the seeds it keys.
    pub const MIN_BYTES: usize = 32;

    /// A secret known now.
    pub fn new(bytes: Vec<u8>) -> Secret {
        Secret(Arc::new(SecretInner {
            bytes: OnceCell::new_with(Some(bytes.into())),
            fetch: None,
            drawing: Mutex::default(),
        }))
    }

    /// A random secret for this process only, for local runs and tests: seeds cannot be
    /// revealed after a restart.
    pub fn random() -> Secret {
        Secret::new(rand::rng().random::<[u8; 32]>().to_vec())
    }

    /// A secret `fetch`ed the first time a request needs it, then kept.
    pub fn fetched_once<F, Fut>(fetch: F) -> Secret
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<Vec<u8>, String>> + Send + 'static,
    {
        let fetch: Fetch = Box::new(move || Box::pin(fetch()));
        Secret(Arc::new(SecretInner {
            bytes: OnceCell::new(),
            fetch: Some(fetch),
            drawing: Mutex::default(),
        }))
    }

    /// Reads the secret from hex (`SPIN_SECRET`): at least [`Self::MIN_BYTES`] bytes.
    pub fn from_hex(text: &str) -> Result<Secret, String> {
        secret_from_hex(text).map(Secret::new)
    }

    /// The secret's bytes, fetching them on first use.
    pub async fn bytes(&self) -> Result<Arc<[u8]>, SecretUnavailable> {
        let inner = &self.0;
        inner
            .bytes
            .get_or_try_init(|| async {
                let fetch = inner.fetch.as_ref().expect("a secret without bytes is fetched");
                let bytes = fetch().await.map_err(SecretUnavailable)?;
                if bytes.len() < Self::MIN_BYTES {
                    return Err(SecretUnavailable(format!(
                        "the secret has {} bytes; it needs at least {}",
                        bytes.len(),
                        Self::MIN_BYTES
                    )));
                }
                Ok(bytes.into())
            })
            .await
            .cloned()
    }

    /// The seed of `epoch`, ready to draw with: derived on the first spin of the epoch and
    /// kept until a spin asks for another epoch. The entry is keyed by its epoch, so the first
    /// spin after a boundary derives the new seed: no spin is drawn with a stale one, whatever
    /// the clock says, and several threads share one entry safely.
    pub(crate) async fn epoch_keys(&self, epoch: u64) -> Result<Arc<EpochKeys>, SecretUnavailable> {
        let secret = self.bytes().await?;
        let mut drawing = self.0.drawing.lock().unwrap_or_else(PoisonError::into_inner);
        match &*drawing {
            Some(keys) if keys.epoch == epoch => Ok(keys.clone()),
            _ => {
                let keys = Arc::new(EpochKeys::derive(&secret, epoch));
                *drawing = Some(keys.clone());
                Ok(keys)
            }
        }
    }
}

/// A secret's bytes from its hex (as `SPIN_SECRET` and the stack's generated secret write
/// it): at least [`Secret::MIN_BYTES`], or why not, in words that follow the secret's name.
pub fn secret_from_hex(text: &str) -> Result<Vec<u8>, String> {
    let text = text.trim();
    let bytes = text
        .len()
        .is_multiple_of(2)
        .then(|| {
            (0..text.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
                .collect::<Option<Vec<u8>>>()
        })
        .flatten()
        .ok_or("is not hexadecimal")?;
    if bytes.len() < Secret::MIN_BYTES {
        return Err(format!("has {} bytes; use at least {}", bytes.len(), Secret::MIN_BYTES));
    }
    Ok(bytes)
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// Everything the scheme needs on the server: how long an epoch is, the secret, the time.
#[derive(Clone)]
pub struct Fair {
    pub epochs: Epochs,
    pub secret: Secret,
    pub clock: Clock,
}

impl fmt::Debug for Fair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Fair").field("epochs", &self.epochs).finish_non_exhaustive()
    }
}

impl Default for Fair {
    fn default() -> Self {
        Fair {
            epochs: Epochs::new(DEFAULT_EPOCH_SECONDS).expect("the default is in range"),
            secret: Secret::random(),
            clock: system_clock(),
        }
    }
}

impl Fair {
    /// The epoch it is now.
    pub fn current_epoch(&self) -> u64 {
        self.epochs.at((self.clock)())
    }

    /// The seed of `epoch`, ready to draw with (see [`Secret::epoch_keys`]).
    pub(crate) async fn epoch_keys(&self, epoch: u64) -> Result<Arc<EpochKeys>, ApiError> {
        self.secret.epoch_keys(epoch).await.map_err(unavailable)
    }

    /// A function that gives each epoch's seed.
    pub async fn seeds(&self) -> Result<impl Fn(u64) -> ServerSeed, ApiError> {
        let secret = self.secret.bytes().await.map_err(unavailable)?;
        Ok(move |epoch| ServerSeed::derive(&secret, epoch))
    }
}

/// Logs why the secret could not be read and answers 503.
fn unavailable(SecretUnavailable(why): SecretUnavailable) -> ApiError {
    tracing::error!(%why, "the fairness secret is unavailable");
    ApiError::SecretUnavailable
}

/// A client seed for a player who sent none: 16 characters from the scheme's alphabet
/// (96 bits), drawn from the thread's CSPRNG.
pub(crate) fn random_client_seed() -> ClientSeed {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";
    let mut rng = rand::rng();
    let text: String =
        (0..16).map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())])).collect();
    ClientSeed::new(&text).expect("drawn from the allowed alphabet")
}

/// `GET /fairness`: the scheme, the rules and strips, the current and next commitments, and
/// the seeds of the last ended epochs.
pub(crate) async fn get_fairness(State(fair): State<Fair>) -> Result<Json<Fairness>, ApiError> {
    let epoch = fair.current_epoch();
    let seed = fair.seeds().await?;
    let current = CurrentEpoch {
        epoch,
        commitment: seed(epoch).commitment(),
        ends_at: fair.epochs.ends_at(epoch),
    };
    let next = EpochSeed::of(epoch + 1, &seed(epoch + 1), false);
    let revealed = (1..=Fairness::REVEALED as u64)
        .filter_map(|back| epoch.checked_sub(back))
        .map(|ended| EpochSeed::of(ended, &seed(ended), true))
        .collect();
    Ok(Json(Fairness::new(fair.epochs.seconds(), current, next, revealed)))
}

/// `GET /fairness/{epoch}`: an ended epoch's seed (cached for good), or the current or next
/// epoch's commitment alone.
pub(crate) async fn get_epoch(
    State(fair): State<Fair>,
    path: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    // axum refuses a segment that is not UTF-8 itself, in plain text: answer in JSON instead.
    let Ok(Path(text)) = path else {
        return Err(ApiError::BadRequest(
            "epoch must be a whole number, got a path that is not UTF-8".to_owned(),
        ));
    };
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ApiError::BadRequest(format!("epoch must be a whole number, got {text:?}")));
    }
    let current = fair.current_epoch();
    let latest = current + 1;
    // Digits too many for a `u64` are a whole number too, later than any epoch.
    let asked = match text.parse::<u64>() {
        Ok(asked) if asked <= latest => asked,
        _ => {
            let asked = text.trim_start_matches('0').to_owned();
            return Err(ApiError::EpochNotBegun { asked, latest });
        }
    };
    let seed = fair.seeds().await?(asked);
    let ended = asked < current;
    let mut response = Json(EpochSeed::of(asked, &seed, ended)).into_response();
    if ended {
        response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_from_hex_are_long_enough_hex() {
        assert!(Secret::from_hex(&"ab".repeat(32)).is_ok());
        assert_eq!(
            Secret::from_hex(&"ab".repeat(31)).unwrap_err(),
            "has 31 bytes; use at least 32"
        );
        for bad in ["xyz", &"a".repeat(65), &"zz".repeat(32)] {
            assert_eq!(Secret::from_hex(bad).unwrap_err(), "is not hexadecimal", "{bad}");
        }
    }

    #[tokio::test]
    async fn a_fetched_secret_is_fetched_once_and_a_failure_retried() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let calls = Arc::new(AtomicUsize::new(0));
        let counted = calls.clone();
        let secret = Secret::fetched_once(move || {
            let call = counted.fetch_add(1, Ordering::SeqCst);
            async move { if call == 0 { Err("not yet".to_owned()) } else { Ok(vec![7; 32]) } }
        });
        assert_eq!(calls.load(Ordering::SeqCst), 0, "nothing fetched before it is needed");
        assert_eq!(secret.bytes().await.unwrap_err(), SecretUnavailable("not yet".into()));
        assert_eq!(&*secret.bytes().await.unwrap(), &[7; 32]);
        assert_eq!(&*secret.bytes().await.unwrap(), &[7; 32]);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn server_chosen_client_seeds_follow_the_rules_and_differ() {
        let (a, b) = (random_client_seed(), random_client_seed());
        assert_eq!(a.as_str().len(), 16);
        assert_ne!(a, b);
    }
}
