//! Secrets never show in `Debug` (or `Display`) output: the API key in `Credentials`,
//! `TokenRequest` and the token endpoint's `HttpRequest`; the token in `TokenResponse`, its
//! `Reply`, the `HttpResponse` carrying it and the cached token; a user's password; and the
//! errors of the token endpoint. Each test also checks the secret *is* where it must be (the
//! request body, `expose()`), so it cannot pass vacuously.

use plaspy_types::endpoints::{CreateUser, GetUser, RequestToken};
use plaspy_types::policy::token::TokenPolicy;
use plaspy_types::{Credentials, Endpoint, Error, HttpResponse, Secret, TokenRequest, UserInput};

const API_KEY: &str = "AK-9f8e7d6c5b4a-SUPERSECRET";
const TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJmbG90YS1hbmRpbmEiLCJleHAiOjE3NDE5Njk2MDB9.Qm9ndXNTaWduYXR1cmVGb3JUZXN0c09ubHk";
const RAW_TOKEN: &str =
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyYXctc3RyaW5nLXVzZXIifQ.UmF3U3RyaW5nVG9rZW5TaG91bGROb3RMZWFr";
const PASSWORD: &str = "Pa55w0rd-Hunter2!";

#[track_caller]
fn assert_hidden(shown: &str, secret: &str) {
    assert!(!shown.contains(secret), "secret shown in: {shown}");
    // Not even a recognisable piece of it.
    assert!(
        !shown.contains(&secret[..12]),
        "secret prefix shown in: {shown}"
    );
}

fn credentials() -> Credentials {
    Credentials::new("flota-andina", API_KEY)
}

#[test]
fn credentials_and_token_request_hide_the_api_key() {
    let credentials = credentials();
    assert_eq!(credentials.api_key.expose(), API_KEY);
    let shown = format!("{credentials:?} {credentials:#?}");
    assert_hidden(&shown, API_KEY);
    assert!(
        shown.contains("flota-andina"),
        "the user name is not secret"
    );

    let request = TokenRequest::from(&credentials);
    assert_hidden(&format!("{request:?} {request:#?}"), API_KEY);
    // Serialization writes it: the server needs it.
    assert!(serde_json::to_string(&request).unwrap().contains(API_KEY));

    let secret = Secret::new(API_KEY);
    assert_hidden(&format!("{secret:?} {secret} {secret:#?}"), API_KEY);
}

#[test]
fn token_endpoint_http_request_hides_the_api_key() {
    let credentials = credentials();
    let endpoint = RequestToken {
        credentials: &credentials,
    };
    assert_hidden(&format!("{endpoint:?}"), API_KEY);
    let request = endpoint.request().unwrap();
    let body = String::from_utf8(request.body.clone().unwrap()).unwrap();
    assert!(body.contains(API_KEY), "the body carries the key");
    assert_hidden(&format!("{request:?} {request:#?}"), API_KEY);
}

#[test]
fn token_response_reply_and_http_response_hide_the_token() {
    let credentials = credentials();
    let response = HttpResponse::new(200, include_str!("fixtures/token_ok.json"));
    assert!(String::from_utf8_lossy(&response.body).contains(TOKEN));
    assert_hidden(&format!("{response:?} {response:#?}"), TOKEN);

    let reply = RequestToken {
        credentials: &credentials,
    }
    .decode(&response)
    .unwrap();
    assert_eq!(reply.value.token.expose(), TOKEN);
    assert_hidden(&format!("{reply:?} {reply:#?}"), TOKEN);
    assert_hidden(&format!("{:?}", reply.value), TOKEN);

    let cached = TokenPolicy::default().cache(
        reply.value.token.clone(),
        reply.value.expires,
        None,
        "2025-03-14T15:00:00Z".parse().unwrap(),
    );
    assert_eq!(cached.token.expose(), TOKEN);
    assert_hidden(&format!("{cached:?}"), TOKEN);
}

#[test]
fn user_password_is_hidden() {
    let body = format!(
        r#"{{"success":true,"id":"usr-1","name":"Ana","email":"ana@x.co","country":"CO",
            "timeZone":"America/Bogota","password":"{PASSWORD}"}}"#
    );
    let user = GetUser::new("usr-1")
        .decode(&HttpResponse::new(200, body))
        .unwrap()
        .value;
    assert_eq!(user.password.as_ref().map(Secret::expose), Some(PASSWORD));
    assert_hidden(&format!("{user:?} {user:#?}"), PASSWORD);

    let mut input = UserInput::new("Ana", "ana@x.co", "CO", "America/Bogota");
    input.password = Some(PASSWORD.into());
    assert_hidden(&format!("{input:?}"), PASSWORD);
    let endpoint = CreateUser::new(&input);
    assert_hidden(&format!("{endpoint:?}"), PASSWORD);
    let request = endpoint.request().unwrap();
    assert!(
        String::from_utf8(request.body.clone().unwrap())
            .unwrap()
            .contains(PASSWORD),
        "the body carries the password"
    );
    assert_hidden(&format!("{request:?}"), PASSWORD);
}

#[test]
fn token_endpoint_errors_never_show_the_token() {
    let credentials = credentials();
    let endpoint = RequestToken {
        credentials: &credentials,
    };
    // A server (or proxy) answering with a bare JSON string, with trailing bytes after the
    // object, or with the token outside any JSON: none of these decode, and the error that
    // says so must not quote the token.
    let raw = include_str!("fixtures/token_raw_string.json");
    assert!(raw.contains(RAW_TOKEN));
    for body in [
        raw.to_owned(),
        format!(r#"{{"success":true,"token":"{RAW_TOKEN}"}} trailing"#),
        format!("token={RAW_TOKEN}&expires=3600"),
        format!(r#"{{"success":true,"token":"{RAW_TOKEN}","expires":"soon"}}"#),
        format!(r#"[{{"token":"{RAW_TOKEN}"}}]"#),
    ] {
        let err = endpoint
            .decode(&HttpResponse::new(200, body.clone()))
            .unwrap_err();
        assert!(matches!(err, Error::Decode { .. }), "{body}: {err:?}");
        assert_hidden(&format!("{err} {err:?}"), RAW_TOKEN);
    }
    // Refusals do not echo the key either.
    for status in [200, 401] {
        let err = endpoint
            .decode(&HttpResponse::new(
                status,
                include_str!("fixtures/token_refused_200.json"),
            ))
            .unwrap_err();
        assert!(err.is_auth(), "{err:?}");
        assert_hidden(&format!("{err} {err:?}"), API_KEY);
    }
}
