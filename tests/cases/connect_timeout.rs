//! A connection that cannot be made in time fails with `Error::Timeout` naming the connect
//! limit, not the request limit, in both clients.
//!
//! Loopback only: a listener on 127.0.0.1 with a backlog of 1 that never accepts. Once its
//! accept queue is full, Linux drops further SYNs instead of answering them, so a new
//! connect waits for a SYN retransmission (a second or more away) and the client's connect
//! limit runs out first.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use crate::support::*;
use crate::{case, maybe};

const CONNECT_LIMIT: Duration = Duration::from_millis(200);
const REQUEST_LIMIT: Duration = Duration::from_secs(20);

/// A listener that never accepts, with its accept queue full, and the connections filling
/// it (keep both alive while the test runs).
struct FullListener {
    _listener: TcpListener,
    _queued: Vec<TcpStream>,
    addr: SocketAddr,
}

/// Binds 127.0.0.1 with a backlog of 1 (std has no backlog parameter: tokio's `TcpSocket`
/// sets one, on a thread of its own so that either flavour can call this), then connects
/// until a connect hangs, which proves the queue is full.
fn full_listener() -> FullListener {
    let listener = std::thread::spawn(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .unwrap();
        let _entered = runtime.enter();
        let socket = tokio::net::TcpSocket::new_v4().unwrap();
        socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
        socket.listen(1).unwrap().into_std().unwrap()
    })
    .join()
    .unwrap();
    let addr = listener.local_addr().unwrap();
    let mut queued = Vec::new();
    for _ in 0..16 {
        match TcpStream::connect_timeout(&addr, Duration::from_millis(100)) {
            Ok(stream) => queued.push(stream),
            Err(err) if err.kind() == std::io::ErrorKind::TimedOut => {
                return FullListener {
                    _listener: listener,
                    _queued: queued,
                    addr,
                };
            }
            Err(err) => panic!("unexpected connect error: {err}"),
        }
    }
    panic!(
        "{} connections to a listener with a backlog of 1 all succeeded: this kernel does \
         not drop SYNs when the accept queue is full, so a connect cannot be made to hang",
        queued.len()
    );
}

#[maybe]
#[case]
async fn a_connect_that_hangs_fails_with_the_connect_limit() {
    let full = full_listener();
    let client = Client::builder()
        .credentials(USER, API_KEY)
        .base_url(format!("http://{}", full.addr))
        .timeout(REQUEST_LIMIT)
        .connect_timeout(CONNECT_LIMIT)
        .max_retries(0)
        .build()
        .unwrap();
    let result = client.devices().list().await;
    assert!(
        matches!(result, Err(Error::Timeout { after: Some(limit), .. }) if limit == CONNECT_LIMIT),
        "expected a timeout naming the 200 ms connect limit, got {result:?}"
    );
    let message = result.unwrap_err().to_string();
    assert!(message.contains("after 0.2s"), "{message}");
}
