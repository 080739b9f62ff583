//! The local stand-in for production: the static site on one loopback port (as S3 would
//! serve it) and the API on another (as API Gateway + Lambda would), two origins so CORS
//! works exactly as deployed.

use std::net::SocketAddr;
use std::path::PathBuf;

use std::convert::Infallible;

use axum::Router;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use http::header::CACHE_CONTROL;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tower::Service;
use tower_http::compression::CompressionLayer;
use tower_http::services::ServeDir;

use crate::Result;

/// The site and API servers, running until dropped.
pub struct Servers {
    pub site_addr: SocketAddr,
    pub api_addr: SocketAddr,
    tasks: Vec<JoinHandle<()>>,
}

impl Servers {
    pub fn site_url(&self) -> String {
        format!("http://{}", self.site_addr)
    }

    pub fn api_url(&self) -> String {
        format!("http://{}", self.api_addr)
    }
}

impl Drop for Servers {
    fn drop(&mut self) {
        self.tasks.iter().for_each(JoinHandle::abort);
    }
}

/// Binds both addresses (port 0 picks a free port), writes the site's `config.json` to point
/// at the API, and serves. The API admits the site's origin, as `ALLOWED_ORIGINS` does in AWS.
pub async fn start(site: PathBuf, site_addr: SocketAddr, api_addr: SocketAddr) -> Result<Servers> {
    start_with(site, site_addr, api_addr, spin_api::app).await
}

/// [`start`] with another API service (tests put a recorder or a fault in front of it), built
/// from the CORS configuration that admits the site.
pub async fn start_with<S>(
    site: PathBuf,
    site_addr: SocketAddr,
    api_addr: SocketAddr,
    api: impl FnOnce(&spin_api::Config) -> S,
) -> Result<Servers>
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + Sync + 'static,
    S::Future: Send,
{
    let site_listener = bind(site_addr, "site").await?;
    let api_listener = bind(api_addr, "API").await?;
    let site_addr = site_listener.local_addr()?;
    let api_addr = api_listener.local_addr()?;

    // The fairness secret and epoch length come from SPIN_SECRET and SPIN_EPOCH_SECONDS when
    // set; otherwise each run draws a random secret and uses the default epochs.
    let config = spin_api::Config::with_allowed_origins(&site_origins(site_addr))?
        .with_fairness_from_env()?;
    let api = api(&config);
    crate::site::write_config(&site, &format!("http://{api_addr}"))?;
    let tasks = vec![
        tokio::spawn(async move {
            let _ = axum::serve(site_listener, site_router(site)).await;
        }),
        tokio::spawn(async move {
            let _ = axum::serve(api_listener, axum::ServiceExt::<Request>::into_make_service(api))
                .await;
        }),
    ];
    Ok(Servers { site_addr, api_addr, tasks })
}

async fn bind(addr: SocketAddr, what: &str) -> Result<TcpListener> {
    TcpListener::bind(addr)
        .await
        .map_err(|error| format!("cannot serve the {what} on {addr}: {error}").into())
}

/// The origins a browser may send for the site: the address itself, and `localhost` for a
/// loopback address, since people type either.
fn site_origins(site_addr: SocketAddr) -> String {
    let mut origins = format!("http://{site_addr}");
    if site_addr.ip().is_loopback() {
        origins.push_str(&format!(",http://localhost:{}", site_addr.port()));
    }
    origins
}

/// Serves the built site compressed (as a CDN would), with `application/wasm` for the module
/// and each file's `Cache-Control` from the deploy manifest ([`crate::dist::headers_for`]):
/// content-hashed code for a year, `index.html` and `config.json` revalidated on every load,
/// symbol images for a day. `cargo xtask serve` serves a fingerprinted copy of the build
/// (`dist::fingerprint`), so a rebuild shows on reload as it does after a deploy.
pub fn site_router(site: PathBuf) -> Router {
    Router::new()
        .fallback_service(ServeDir::new(site))
        .layer(axum::middleware::from_fn(cache_control))
        .layer(CompressionLayer::new())
}

/// Sets the `Cache-Control` the deployed file at the requested path gets; errors are not cached.
async fn cache_control(request: Request, next: Next) -> Response {
    let path = request.uri().path().trim_start_matches('/');
    let file = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.into()
    };
    let mut response = next.run(request).await;
    let policy = if response.status().is_success() {
        crate::dist::headers_for(&file).cache_control
    } else {
        crate::dist::REVALIDATE.to_owned()
    };
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.headers_mut().insert(CACHE_CONTROL, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use tower::ServiceExt;

    #[tokio::test]
    async fn files_are_cached_as_deployed() {
        let site = tempfile::tempdir().unwrap();
        std::fs::create_dir(site.path().join("symbols")).unwrap();
        for file in ["index.html", "config.json", "spin.0123456789ab.js", "symbols/bar.svg"] {
            std::fs::write(site.path().join(file), "x").unwrap();
        }
        let router = site_router(site.path().to_owned());
        for (path, expected) in [
            ("/", crate::dist::REVALIDATE),
            ("/index.html", crate::dist::REVALIDATE),
            ("/config.json", crate::dist::REVALIDATE),
            ("/spin.0123456789ab.js", crate::dist::IMMUTABLE),
            ("/symbols/bar.svg", crate::dist::SHORT),
            ("/spin.fedcba987654.js", crate::dist::REVALIDATE), // not there: a 404
        ] {
            let request = Request::get(path).body(axum::body::Body::empty()).unwrap();
            let response = router.clone().oneshot(request).await.unwrap();
            assert_eq!(response.headers()[CACHE_CONTROL], expected, "{path}");
        }
    }
}
