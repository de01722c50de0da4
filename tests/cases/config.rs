//! Building a client: the base URL rules (https, or http to loopback only) and settings
//! refused before any I/O.

use std::time::Duration;

use crate::support::*;
use crate::{case, maybe};

fn config_error(result: Result<Client, Error>) -> String {
    match result {
        Err(Error::InvalidConfig { message, .. }) => message,
        other => panic!("expected InvalidConfig, got {other:?}"),
    }
}

#[maybe]
#[case]
async fn plain_http_to_a_remote_host_is_refused_at_build() {
    let build = |url: &str| {
        Client::builder()
            .credentials(USER, API_KEY)
            .base_url(url)
            .build()
    };
    let message = config_error(build("http://api.plaspy.com"));
    assert!(message.contains("use https"), "{message}");
    config_error(build("http://10.0.0.1:8080"));
    config_error(build("ftp://api.plaspy.com"));
    config_error(build("https://api.plaspy.com/?key=1"));
    config_error(build("not a url"));
    Client::builder()
        .credentials(USER, API_KEY)
        .base_url("https://api.plaspy.com/")
        .build()
        .unwrap();
}

#[maybe]
#[case]
async fn other_settings_are_checked_at_build() {
    config_error(Client::builder().build());
    config_error(Client::builder().credentials(" ", API_KEY).build());
    config_error(Client::builder().credentials(USER, "").build());
    config_error(
        Client::builder()
            .credentials(USER, API_KEY)
            .timeout(Duration::ZERO)
            .build(),
    );
    let message = config_error(Client::new("", API_KEY));
    assert!(message.contains("user name"), "{message}");
}

#[maybe]
#[case]
async fn a_base_url_path_prefix_is_kept() {
    let server = start_server().await;
    let token = mock(&server, |when, then| {
        token_request_at(when, &format!("/plaspy{TOKEN_PATH}"));
        token_reply(then, TOKEN);
    })
    .await;
    let devices = mock(&server, |when, then| {
        api(when, GET, "/plaspy/api/devices");
        ok(then, json!({"success": true, "devices": []}));
    })
    .await;

    let client = builder(&server)
        .base_url(server.url("/plaspy/"))
        .build()
        .unwrap();
    let result = client.devices().list().await;
    assert_calls(&token, 1).await;
    assert_calls(&devices, 1).await;
    assert!(result.unwrap().is_empty());
}

#[maybe]
#[case]
async fn plain_http_to_loopback_works() {
    let server = start_server().await;
    let token = token_mock(&server).await;
    let devices = mock(&server, |when, then| {
        api(when, GET, "/api/devices");
        ok(
            then,
            json!({"success": true, "devices": [device_json("dev-1")]}),
        );
    })
    .await;

    let port = server.port();
    let urls = [
        (
            format!("http://127.0.0.1:{port}/"),
            format!("http://127.0.0.1:{port}"),
        ),
        (
            format!("http://localhost:{port}"),
            format!("http://localhost:{port}"),
        ),
    ];
    for (given, kept) in urls {
        let client = builder(&server).base_url(given).build().unwrap();
        assert_eq!(client.base_url(), kept);
        let result = client.devices().list().await;
        assert_eq!(result.unwrap().len(), 1);
    }
    assert_calls(&token, 2).await;
    assert_calls(&devices, 2).await;
}
