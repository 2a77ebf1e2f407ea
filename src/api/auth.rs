//! Every request to `/mcp` carries a live token that may speak MCP, or is refused before rmcp sees it.
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::ApiContext;
use super::tools::error_envelope;
use crate::domain::DomainError;
use crate::domain::clock::now;
use crate::domain::tokens::{self, Ability};

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim())
}

/// Puts the [`tokens::Caller`] into the request's extensions, where the tools find it.
pub async fn require_token(State(context): State<Arc<ApiContext>>, mut request: Request, next: Next) -> Response {
    let caller = match bearer(request.headers()) {
        None => Err(DomainError::AuthenticationRequired),
        Some(presented) => tokens::authenticate(&context.db, &context.secret, presented, now()).await,
    };
    let caller = match caller.and_then(|caller| caller.require(Ability::McpFull).map(|()| caller)) {
        Ok(caller) => caller,
        Err(error) => return refusal(&error),
    };
    request.extensions_mut().insert(caller);
    next.run(request).await
}

/// 401 or 403 with the error envelope, and the `WWW-Authenticate` challenge MCP clients read.
fn refusal(error: &DomainError) -> Response {
    let (status, challenge) = match error {
        DomainError::AuthenticationRequired => {
            (StatusCode::UNAUTHORIZED, r#"Bearer realm="accessbot", error="invalid_token""#.to_owned())
        }
        DomainError::TokenMissingAbility { ability } => (
            StatusCode::FORBIDDEN,
            format!(r#"Bearer realm="accessbot", error="insufficient_scope", scope="{ability}""#),
        ),
        _ => return (StatusCode::INTERNAL_SERVER_ERROR, axum::Json(error_envelope(error))).into_response(),
    };
    let mut response = (status, axum::Json(error_envelope(error))).into_response();
    if let Ok(value) = HeaderValue::from_str(&challenge) {
        response.headers_mut().insert(header::WWW_AUTHENTICATE, value);
    }
    response
}
