//! A door in front of a fake service on 127.0.0.1 that can be shut: while shut, connections are dropped
//! unanswered, and shutting it also cuts the connections a client keeps alive.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

#[derive(Clone)]
pub struct Door {
    pub url: String,
    shut: Arc<AtomicBool>,
}

impl Door {
    /// Opens a door to `backend`; `url` is where clients connect.
    pub async fn open(backend: SocketAddr) -> Self {
        let front = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", front.local_addr().unwrap());
        let shut = Arc::new(AtomicBool::new(false));
        let closed = shut.clone();
        tokio::spawn(async move {
            while let Ok((mut client, _)) = front.accept().await {
                if closed.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let closed = closed.clone();
                tokio::spawn(async move {
                    if let Ok(mut server) = tokio::net::TcpStream::connect(backend).await {
                        let cut = async {
                            while !closed.load(Ordering::SeqCst) {
                                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                            }
                        };
                        tokio::select! {
                            _ = tokio::io::copy_bidirectional(&mut client, &mut server) => {}
                            _ = cut => {}
                        }
                    }
                });
            }
        });
        Self { url, shut }
    }

    pub fn set_shut(&self, shut: bool) {
        self.shut.store(shut, Ordering::SeqCst);
    }
}
