//! The accept loop: HTTP/1.1 connections on hyper with a header-read timeout, an idle
//! timeout between body frames and a connection limit, so that slow or half-open clients
//! cannot hold the sandbox's file descriptors.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use hyper::body::Incoming;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::timeout::TimeoutBody;

/// How the listener protects itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ConnLimits {
    /// Open connections at most; more are answered 503 and closed.
    pub(crate) max_connections: usize,
    /// The longest wait for a request's headers (idle keep-alive connections included),
    /// and between two pieces of a request's body.
    pub(crate) read_timeout: Duration,
}

/// The answer to a connection over the limit, written without reading the request.
const BUSY: &[u8] = b"HTTP/1.1 503 Service Unavailable\r\n\
content-type: application/json; charset=utf-8\r\n\
retry-after: 1\r\nconnection: close\r\ncontent-length: 85\r\n\r\n\
{\"success\":false,\"error\":\"Too many open connections to the sandbox: try again later\"}";

/// Serves `router` on `listener` until `shutdown` completes, then lets open requests
/// finish.
pub(crate) async fn serve(
    router: Router,
    listener: TcpListener,
    limits: ConnLimits,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> io::Result<()> {
    let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
    let graceful = GracefulShutdown::new();
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.read_timeout)
        .keep_alive(true);
    let read_timeout = limits.read_timeout;
    tokio::pin!(shutdown);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of descriptors or a connection reset before it was accepted:
                    // wait a little and carry on rather than stop serving.
                    if !is_transient(&e) {
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            refuse(&stream);
            continue;
        };
        let _ = stream.set_nodelay(true);
        let router = router.clone();
        let service = router.map_request(move |req: hyper::Request<Incoming>| {
            req.map(|body| Body::new(TimeoutBody::new(read_timeout, body)))
        });
        let service = TowerToHyperService::new(service);
        let conn = builder.serve_connection(TokioIo::new(stream), service);
        let watched = graceful.watch(conn);
        tokio::spawn(async move {
            let _ = watched.await;
            drop(slot);
        });
    }
    drop(listener);
    graceful.shutdown().await;
    Ok(())
}

/// Errors of one connection, not of the listener.
fn is_transient(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// Answers 503 to a connection over the limit and closes it, without waiting on it: the
/// socket's send buffer is empty, so the short answer goes out at once or not at all.
fn refuse(stream: &TcpStream) {
    let _ = stream.try_write(BUSY);
}
