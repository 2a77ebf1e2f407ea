//! A round-robin reverse proxy on 127.0.0.1, as a load balancer in front of several instances: each
//! request goes to the next backend; one that does not answer gets 502, as a real balancer gives.
#![allow(dead_code)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

#[derive(Clone)]
pub struct RoundRobin {
    backends: Arc<Mutex<Vec<std::net::SocketAddr>>>,
    next: Arc<AtomicUsize>,
    client: reqwest::Client,
    pub url: String,
}

impl RoundRobin {
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the proxy");
        let url = format!("http://{}", listener.local_addr().unwrap());
        let proxy = Self {
            backends: Arc::default(),
            next: Arc::default(),
            client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
            url,
        };
        let app = Router::new().fallback(forward).with_state(proxy.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        proxy
    }

    pub fn set_backends(&self, backends: Vec<std::net::SocketAddr>) {
        *self.backends.lock().unwrap() = backends;
    }
}

async fn forward(State(proxy): State<RoundRobin>, request: Request) -> Response {
    let backend = {
        let backends = proxy.backends.lock().unwrap();
        if backends.is_empty() {
            return (StatusCode::BAD_GATEWAY, "no backend").into_response();
        }
        backends[proxy.next.fetch_add(1, Ordering::Relaxed) % backends.len()]
    };
    let (parts, body) = request.into_parts();
    let Ok(body) = axum::body::to_bytes(body, usize::MAX).await else {
        return (StatusCode::BAD_REQUEST, "unreadable body").into_response();
    };
    let path = parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/");
    let mut forwarded = proxy.client.request(parts.method.clone(), format!("http://{backend}{path}")).body(body);
    for (name, value) in &parts.headers {
        if name != "host" && name != "content-length" {
            forwarded = forwarded.header(name, value);
        }
    }
    match forwarded.send().await {
        Ok(answer) => {
            let status = StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
            let body: Bytes = answer.bytes().await.unwrap_or_default();
            (status, body).into_response()
        }
        Err(_) => (StatusCode::BAD_GATEWAY, "the backend did not answer").into_response(),
    }
}
