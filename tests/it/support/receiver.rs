//! A creator's webhook receiver on 127.0.0.1: verifies every signature with the README's recipe, records
//! what arrives, and can be told to fail, hang, redirect or answer with a huge body.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::Sha256;

use super::door::Door;

/// One request that reached the receiver.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
    /// Which of the secrets the receiver knows signed it (the README's check passed for them).
    pub verified_by: Vec<String>,
    /// How many `v1=` signatures the header carried.
    pub signatures: usize,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default()
    }

    pub fn event_id(&self) -> &str {
        self.body["id"].as_str().unwrap_or_default()
    }

    pub fn event_type(&self) -> &str {
        self.body["type"].as_str().unwrap_or_default()
    }
}

/// How the receiver answers the next request.
#[derive(Debug, Clone)]
pub enum Answer {
    Status(u16),
    RetryAfter(u16, u64),
    /// Longer than any time limit.
    Hang,
    RedirectTo(String),
    /// 200 with a body of this many bytes, streamed.
    HugeBody(usize),
}

#[derive(Default)]
struct Inner {
    received: Vec<Received>,
    answers: VecDeque<Answer>,
    secrets: Vec<String>,
}

#[derive(Clone)]
pub struct Receiver {
    /// The receiver's address behind its door.
    pub url: String,
    inner: Arc<Mutex<Inner>>,
    door: Door,
    /// Bytes of huge bodies actually sent before the client stopped reading.
    pub huge_body_sent: Arc<AtomicUsize>,
}

impl Receiver {
    pub async fn start() -> Self {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let huge_body_sent = Arc::new(AtomicUsize::new(0));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let backend = listener.local_addr().unwrap();
        let app = Router::new().route("/{*path}", post(receive)).with_state((inner.clone(), huge_body_sent.clone()));
        tokio::spawn(async move { axum::serve(listener, app).await.ok() });
        let door = Door::open(backend).await;
        Self { url: door.url.clone(), inner, door, huge_body_sent }
    }

    /// The secrets the receiver checks signatures with.
    pub fn trust(&self, secret: &str) {
        self.inner.lock().unwrap().secrets.push(secret.to_owned());
    }

    pub fn answer_next(&self, answers: &[Answer]) {
        self.inner.lock().unwrap().answers.extend(answers.iter().cloned());
    }

    pub fn set_down(&self, down: bool) {
        self.door.set_shut(down);
    }

    pub fn received(&self) -> Vec<Received> {
        self.inner.lock().unwrap().received.clone()
    }

    /// Waits until `done` finds what it looks for among the requests received.
    pub async fn wait_for<T>(&self, timeout: Duration, mut done: impl FnMut(&[Received]) -> Option<T>) -> T {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            if let Some(found) = done(&self.received()) {
                return found;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the receiver did not get it in time: {:?}",
                self.received().iter().map(|r| r.event_type().to_owned()).collect::<Vec<_>>()
            );
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The README's recipe: the HMAC-SHA256 of "<t>.<raw body>" under the secret, compared in constant time
/// with each `v1=` of the header, and `t` no older than 300 s.
pub fn verify(header: &str, body: &[u8], secret: &str, now: i64) -> bool {
    let mut timestamp = None;
    let mut signatures = Vec::new();
    for part in header.split(',') {
        match part.split_once('=') {
            Some(("t", value)) => timestamp = value.parse::<i64>().ok(),
            Some(("v1", value)) => signatures.push(value.to_owned()),
            _ => {}
        }
    }
    let Some(timestamp) = timestamp else { return false };
    if (now - timestamp).abs() > 300 {
        return false;
    }
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(format!("{timestamp}.").as_bytes());
    mac.update(body);
    let expected: String = mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    signatures.iter().any(|signature| {
        signature.len() == expected.len()
            && signature.bytes().zip(expected.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
    })
}

async fn receive(
    State((inner, huge_body_sent)): State<(Arc<Mutex<Inner>>, Arc<AtomicUsize>)>,
    uri: axum::http::Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let answer = {
        let mut inner = inner.lock().unwrap();
        let signature = headers.get("accessbot-signature").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let now = chrono::Utc::now().timestamp();
        let verified_by = inner.secrets.iter().filter(|s| verify(signature, &body, s, now)).cloned().collect();
        inner.received.push(Received {
            path: uri.path().to_owned(),
            headers: headers.clone(),
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
            verified_by,
            signatures: signature.matches("v1=").count(),
        });
        inner.answers.pop_front().unwrap_or(Answer::Status(200))
    };
    match answer {
        Answer::Status(status) => StatusCode::from_u16(status).unwrap().into_response(),
        Answer::RetryAfter(status, seconds) => {
            (StatusCode::from_u16(status).unwrap(), [("retry-after", seconds.to_string())]).into_response()
        }
        Answer::Hang => {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            StatusCode::OK.into_response()
        }
        Answer::RedirectTo(location) => (StatusCode::FOUND, [("location", location)]).into_response(),
        Answer::HugeBody(size) => {
            let body = CountedBody { left: size, sent: huge_body_sent };
            (StatusCode::OK, Body::from_stream(tokio_util::io::ReaderStream::new(body))).into_response()
        }
    }
}

/// Reads `size` bytes of 'x', counting what was actually read (that is, pulled by the client).
struct CountedBody {
    left: usize,
    sent: Arc<AtomicUsize>,
}

impl tokio::io::AsyncRead for CountedBody {
    fn poll_read(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
        buf: &mut tokio::io::ReadBuf<'_>,
    ) -> std::task::Poll<std::io::Result<()>> {
        let n = self.left.min(buf.remaining()).min(64 * 1024);
        buf.put_slice(&vec![b'x'; n]);
        self.left -= n;
        self.sent.fetch_add(n, Ordering::SeqCst);
        std::task::Poll::Ready(Ok(()))
    }
}
