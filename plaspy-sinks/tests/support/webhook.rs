//! A tiny webhook receiver (axum on a free loopback port) that records every request and
//! can be told to fail the first ones.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;

/// How long a scripted hang lasts (longer than the test sinks' timeout).
pub const HANG: std::time::Duration = std::time::Duration::from_secs(3);

/// One request as received.
#[derive(Debug, Clone)]
pub struct Received {
    pub headers: HeaderMap,
    pub body: String,
}

#[derive(Default)]
struct Shared {
    received: Vec<Received>,
    /// Statuses to answer before answering 200, in order; 0 hangs for [`HANG`] first.
    script: VecDeque<u16>,
}

/// A running receiver at `url`.
pub struct Receiver {
    pub url: String,
    shared: Arc<Mutex<Shared>>,
}

impl Receiver {
    /// Starts a receiver answering `POST /hook`.
    pub async fn start() -> Receiver {
        let shared = Arc::new(Mutex::new(Shared::default()));
        let app = Router::new()
            .route("/hook", post(receive))
            .with_state(Arc::clone(&shared));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("binding the receiver");
        let url = format!(
            "http://{}/hook",
            listener.local_addr().expect("its address")
        );
        tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Receiver { url, shared }
    }

    /// Answers these statuses to the next requests, then 200 again.
    pub fn fail_next(&self, statuses: &[u16]) {
        self.shared.lock().unwrap().script.extend(statuses);
    }

    /// Every request so far.
    pub fn received(&self) -> Vec<Received> {
        self.shared.lock().unwrap().received.clone()
    }
}

async fn receive(
    State(shared): State<Arc<Mutex<Shared>>>,
    headers: HeaderMap,
    body: Bytes,
) -> StatusCode {
    let status = {
        let mut shared = shared.lock().unwrap();
        shared.received.push(Received {
            headers,
            body: String::from_utf8_lossy(&body).into_owned(),
        });
        shared.script.pop_front().unwrap_or(200)
    };
    if status == 0 {
        tokio::time::sleep(HANG).await;
        return StatusCode::OK;
    }
    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}
