//! The two transports behave alike: the same response-size limit (never retried), gzip in
//! both.

use std::io::Write;

use crate::support::*;
use crate::{case, maybe};

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

/// A device list of `n` devices, as JSON text.
fn devices_body(n: usize) -> String {
    let devices: Vec<_> = (0..n).map(|i| device_json(&format!("dev-{i}"))).collect();
    json!({"success": true, "devices": devices}).to_string()
}

#[maybe]
#[case]
async fn a_gzip_body_is_decoded() {
    let server = start_server().await;
    token_mock(&server).await;
    let body = gzip(devices_body(50).as_bytes());
    let listed = mock(&server, move |when, then| {
        api(when, GET, "/api/devices").header_includes("accept-encoding", "gzip");
        then.status(200)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(body);
    })
    .await;
    let devices = client(&server).devices().list().await.unwrap();
    assert_eq!(devices.len(), 50);
    assert_calls(&listed, 1).await;
}

#[maybe]
#[case]
async fn a_body_over_the_limit_fails_once_and_names_the_limit() {
    let server = start_server().await;
    token_mock(&server).await;
    let body = devices_body(20);
    assert!(body.len() > 2048);
    let listed = mock(&server, move |when, then| {
        api(when, GET, "/api/devices");
        then.status(200)
            .header("content-type", "application/json")
            .body(body);
    })
    .await;
    let client = builder(&server).max_response_bytes(2048).build().unwrap();
    let result = client.devices().list().await;
    assert!(
        matches!(result, Err(Error::ResponseTooLarge { limit: 2048, .. })),
        "{result:?}"
    );
    let message = result.unwrap_err().to_string();
    assert!(message.contains("2 KiB limit"), "{message}");
    // Too large is not transient: the body is downloaded once, not once per attempt.
    assert_calls(&listed, 1).await;
}

#[maybe]
#[case]
async fn a_gzip_body_over_the_limit_once_inflated_fails_once() {
    // 64 KiB of JSON squeezed into far less than the 16 KiB limit: the limit applies to
    // what is inflated, so a gzip bomb stays bounded in both clients.
    let server = start_server().await;
    token_mock(&server).await;
    let body = gzip(devices_body(400).as_bytes());
    assert!(body.len() < 16 * 1024, "{}", body.len());
    let listed = mock(&server, move |when, then| {
        api(when, GET, "/api/devices");
        then.status(200)
            .header("content-type", "application/json")
            .header("content-encoding", "gzip")
            .body(body);
    })
    .await;
    let client = builder(&server)
        .max_response_bytes(16 * 1024)
        .build()
        .unwrap();
    let result = client.devices().list().await;
    assert!(
        matches!(result, Err(Error::ResponseTooLarge { limit: 16384, .. })),
        "{result:?}"
    );
    assert_calls(&listed, 1).await;
}
