//! abridge over HTTP: a JSON API and a web page where a reader sees each brief sentence in its
//! source.
//!
//! A thin layer over the `abridge` library's public API: [`app`] builds the [`Router`] (tests
//! drive it with `oneshot`, no socket), [`serve`] binds, serves and shuts down gracefully.
//! Handlers parse JSON, then run the library in `spawn_blocking` under a worker semaphore and a
//! per-request timeout; every failure is an [`AppError`] with one status code and one JSON shape.
//!
//! Routes:
//! - `GET /` — the page (`assets/index.html`, self-contained, served from the binary);
//! - `GET /healthz`, `GET /openapi.json`;
//! - `GET /v1/methods`, `POST /v1/summarize`, `POST /v1/extract`, `POST /v1/verify`.
//!
//! Limits: the body limit (413), the timeout (504, counted from admission, so queueing counts),
//! the number of requests admitted at once (workers + queue; 503 beyond, before the body is
//! read, so a burst cannot exhaust memory), and an optional bearer token on `/v1/*`.

#![deny(missing_docs)]

pub mod api;
pub mod error;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use abridge::faithful::Checker;
use anyhow::{Context, bail};
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use tokio::sync::Semaphore;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use utoipa::OpenApi;

pub use crate::api::LlmStatus;
pub use crate::error::AppError;

/// The page served at `/`.
const INDEX_HTML: &str = include_str!("../assets/index.html");

/// What the page may do: its own inline script and style, requests to this server only.
const PAGE_CSP: &str = "default-src 'none'; script-src 'unsafe-inline'; \
                        style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; \
                        base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// How the server runs. `Config::default()` listens on loopback with limits fit for news
/// articles.
#[derive(Clone, Debug)]
pub struct Config {
    /// Address to listen on; default `127.0.0.1:8080`.
    pub addr: SocketAddr,
    /// Largest request body in bytes; default 4 MiB.
    pub max_body_bytes: usize,
    /// Time limit per request in milliseconds, queueing included; default 30 000.
    pub timeout_ms: u64,
    /// Requests worked on at once (each takes one blocking thread); default: the number of
    /// cores.
    pub workers: usize,
    /// Requests admitted to wait for a worker; more than `workers + max_queued` at once get 503.
    /// Default 512.
    pub max_queued: usize,
    /// When set, every `/v1/*` request needs `Authorization: Bearer <api_key>`.
    pub api_key: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            max_body_bytes: 4 << 20,
            timeout_ms: 30_000,
            workers: std::thread::available_parallelism().map_or(2, usize::from),
            max_queued: 512,
            api_key: None,
        }
    }
}

/// Shared state of every handler: configuration, the faithfulness checker, the worker
/// semaphore and the admission counter. Cheap to clone.
#[derive(Clone, Debug)]
pub struct ServerState {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: Config,
    checker: Checker,
    llm: LlmStatus,
    workers: Arc<Semaphore>,
    admitted: AtomicUsize,
}

impl ServerState {
    /// State for `config`, with no LLM backend.
    ///
    /// # Errors
    /// When a limit is zero.
    pub fn new(config: Config) -> anyhow::Result<Self> {
        if config.workers == 0 || config.max_body_bytes == 0 || config.timeout_ms == 0 {
            bail!("workers, max_body_bytes and timeout_ms must be at least 1");
        }
        Ok(ServerState {
            inner: Arc::new(Inner {
                workers: Arc::new(Semaphore::new(config.workers)),
                config,
                checker: Checker::default(),
                llm: LlmStatus::default(),
                admitted: AtomicUsize::new(0),
            }),
        })
    }

    /// Runs `work` on the blocking pool once a worker is free, within the request timeout.
    ///
    /// # Errors
    /// [`AppError::Timeout`] when waiting plus working takes longer than the timeout (the work
    /// itself then finishes in the background and its result is dropped; it keeps its worker
    /// until then, so the bound on concurrent work holds); whatever `work` returns.
    pub async fn run<T, F>(&self, work: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce() -> Result<T, AppError> + Send + 'static,
    {
        let limit = Duration::from_millis(self.inner.config.timeout_ms);
        let workers = self.inner.workers.clone();
        let job = async move {
            let permit = workers
                .acquire_owned()
                .await
                .map_err(|e| AppError::Internal(format!("worker semaphore closed: {e}")))?;
            tokio::task::spawn_blocking(move || {
                let _permit = permit;
                work()
            })
            .await
            .map_err(|e| AppError::Internal(format!("worker failed: {e}")))?
        };
        tokio::time::timeout(limit, job)
            .await
            .map_err(|_| AppError::Timeout(limit))?
    }
}

/// The whole application: routes, limits, request ids and tracing. Tests call it directly.
pub fn app(state: ServerState) -> Router {
    let x_request_id = HeaderName::from_static("x-request-id");
    let work = Router::new()
        .route("/v1/summarize", post(api::summarize))
        .route("/v1/extract", post(api::extract))
        .route("/v1/verify", post(api::verify))
        .route_layer(middleware::from_fn_with_state(state.clone(), admit));
    let v1 = Router::new()
        .route("/v1/methods", get(api::methods))
        .merge(work)
        .route_layer(middleware::from_fn_with_state(state.clone(), authorize));
    Router::new()
        .route("/", get(index))
        .route("/healthz", get(api::healthz))
        .route("/openapi.json", get(openapi))
        .merge(v1)
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(state.inner.config.max_body_bytes))
        .layer(
            TraceLayer::new_for_http().make_span_with(|req: &Request| {
                let id = req
                    .headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("-");
                tracing::info_span!("request", id = %id, method = %req.method(), path = %req.uri().path())
            })
            .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(SetRequestIdLayer::new(x_request_id, Counter::default()))
        .with_state(state)
}

/// The OpenAPI 3 document of the API, as generated from the handlers.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    api::ApiDoc::openapi()
}

/// Binds `config.addr`, prints `abridge: listening on http://ADDR/` on stderr, and serves until
/// SIGTERM or Ctrl-C; requests in flight then finish before it returns.
///
/// # Errors
/// When the address cannot be bound, when it is not loopback and no API key is set, or when
/// the runtime cannot start.
pub fn serve(config: Config) -> anyhow::Result<()> {
    if !config.addr.ip().is_loopback() && config.api_key.is_none() {
        bail!(
            "{} is reachable from other machines: set an API key (--api-key-env NAME) to serve \
             there, or listen on 127.0.0.1",
            config.addr
        );
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .max_blocking_threads(config.workers.max(1) + 4)
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let addr = config.addr;
        let state = ServerState::new(config)?;
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .with_context(|| format!("cannot listen on {addr}"))?;
        let bound = listener
            .local_addr()
            .context("cannot read the bound address")?;
        eprintln!("abridge: listening on http://{bound}/");
        tracing::info!(%bound, "listening");
        axum::serve(listener, app(state))
            .with_graceful_shutdown(shutdown_signal())
            .await
            .context("server failed")?;
        tracing::info!("shut down");
        Ok(())
    })
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

/// Request ids: a process-wide counter, `r1`, `r2`, ... (a client's own `x-request-id` is kept).
#[derive(Clone, Debug, Default)]
struct Counter(Arc<AtomicU64>);

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        HeaderValue::from_str(&format!("r{n}"))
            .ok()
            .map(RequestId::new)
    }
}

/// Admission: at most `workers + max_queued` work requests at once; the rest get 503 before
/// their body is read.
async fn admit(State(state): State<ServerState>, req: Request, next: Next) -> Response {
    let inner = &state.inner;
    let cap = inner.config.workers + inner.config.max_queued;
    let before = inner.admitted.fetch_add(1, Ordering::AcqRel);
    let _guard = Admitted(&inner.admitted);
    if before >= cap {
        return AppError::Overloaded.into_response();
    }
    next.run(req).await
}

/// Gives an admission back when the request ends (even if its future is dropped).
struct Admitted<'a>(&'a AtomicUsize);

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// With an API key configured, requires `Authorization: Bearer <key>`.
async fn authorize(State(state): State<ServerState>, req: Request, next: Next) -> Response {
    if let Some(key) = &state.inner.config.api_key {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or("");
        if !constant_time_eq(given.as_bytes(), key.as_bytes()) {
            return AppError::Unauthorized.into_response();
        }
    }
    next.run(req).await
}

/// Compares without an early exit on the first differing byte.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

async fn index() -> Response {
    (
        [
            (header::CONTENT_SECURITY_POLICY, PAGE_CSP),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
            (header::REFERRER_POLICY, "no-referrer"),
        ],
        Html(INDEX_HTML),
    )
        .into_response()
}

async fn openapi() -> Response {
    axum::Json(openapi_document()).into_response()
}

async fn not_found() -> Response {
    let (status, code) = (StatusCode::NOT_FOUND, "not_found");
    (
        status,
        axum::Json(error::ErrorBody {
            error: error::ErrorDetail {
                status: status.as_u16(),
                code,
                message: "no such route; see /openapi.json".into(),
            },
        }),
    )
        .into_response()
}
