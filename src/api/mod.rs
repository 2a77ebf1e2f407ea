//! The HTTP side: the MCP server agents speak to at `/mcp`, `/healthz`, `/metrics`, and in webhook mode
//! the path Telegram posts updates to.
mod auth;
mod mcp;
mod rate_limit;
pub mod telegram_updates;
mod tools;

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use rmcp::transport::streamable_http_server::session::local::LocalSessionManager;
use rmcp::transport::streamable_http_server::{StreamableHttpServerConfig, StreamableHttpService};
use tokio_util::sync::CancellationToken;

use crate::db::Db;
use crate::domain::generation::GenerationQueue;
use crate::domain::secret::InstanceSecret;

pub use rate_limit::RateLimiter;

/// The services the HTTP handlers and MCP tools reach.
pub struct ApiContext {
    pub db: Db,
    pub secret: InstanceSecret,
    pub queue: GenerationQueue,
    pub limiter: RateLimiter,
    pub metrics_token: Option<crate::config::Secret>,
    /// The counters `/metrics` shows.
    pub metrics: Arc<crate::metrics::Metrics>,
    /// In webhook mode: the path Telegram posts updates to, and what receives them.
    pub telegram_updates: Option<Arc<telegram_updates::TelegramUpdates>>,
}

/// The router; cancelling `stop` ends open MCP streams so a graceful shutdown can finish.
pub fn router(context: Arc<ApiContext>, allowed_hosts: Vec<String>, stop: CancellationToken) -> Router {
    // Stateless, so any instance behind a load balancer can answer any request.
    let mut config = StreamableHttpServerConfig::default().with_allowed_hosts(allowed_hosts);
    config.legacy_session_mode = false;
    config.json_response = true;
    config.cancellation_token = stop;
    let tools_context = context.clone();
    let mcp = StreamableHttpService::new(
        move || Ok(mcp::AccessCodeServer::new(tools_context.clone())),
        Arc::new(LocalSessionManager::default()),
        config,
    );
    let mut router = Router::new()
        .route_service("/mcp", mcp)
        .route_layer(axum::middleware::from_fn_with_state(context.clone(), auth::require_token))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics));
    if let Some(updates) = &context.telegram_updates {
        let endpoint =
            Router::new().route(&updates.path, post(telegram_updates::receive_update)).with_state(updates.clone());
        router = router.merge(endpoint);
    }
    router.layer(axum::middleware::from_fn(with_request_id)).with_state(context)
}

/// Gives each request an id, in its log lines and in the `x-request-id` answer header, so an operator can
/// find what one caller saw.
async fn with_request_id(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    let id = ulid::Ulid::generate().to_string();
    let mut response = crate::logging::within(crate::logging::LogContext::Request(id.clone()), next.run(request)).await;
    if let Ok(value) = axum::http::HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Prometheus text; with `METRICS_TOKEN` set, only for `Authorization: Bearer <token>`.
async fn metrics(State(context): State<Arc<ApiContext>>, headers: axum::http::HeaderMap) -> axum::response::Response {
    use axum::response::IntoResponse;
    if let Some(token) = &context.metrics_token {
        let presented =
            headers.get("authorization").and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
        let matches =
            presented.is_some_and(|presented| crate::domain::secret::constant_time_eq(presented, token.expose()));
        if !matches {
            return (StatusCode::UNAUTHORIZED, [("www-authenticate", "Bearer")], "metrics need the token")
                .into_response();
        }
    }
    match context.metrics.render(&context.db).await {
        Ok(text) => ([("content-type", "text/plain; version=0.0.4")], text).into_response(),
        Err(error) => {
            log::error!("cannot read the metrics: {error}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

async fn healthz(State(context): State<Arc<ApiContext>>) -> (StatusCode, &'static str) {
    match context.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(error) => {
            log::error!("the database does not answer: {error}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}
