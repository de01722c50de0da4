use super::{Endpoint, json_body};
use crate::envelope::{Reply, decode_flattened, missing, server_message};
use crate::error::{Error, Result};
use crate::http::{HttpResponse, Method};
use crate::models::{TokenRequest, TokenResponse};
use crate::secret::Credentials;

/// `POST /api/Auth/Token`: trades a user name and API key for a bearer token.
#[derive(Debug, Clone)]
pub struct RequestToken<'a> {
    /// The credentials to present.
    pub credentials: &'a Credentials,
}

impl Endpoint for RequestToken<'_> {
    type Output = TokenResponse;

    fn method(&self) -> Method {
        Method::Post
    }
    fn path(&self) -> Result<String> {
        Ok("/api/Auth/Token".into())
    }
    fn body(&self) -> Result<Option<Vec<u8>>> {
        self.credentials.validate()?;
        json_body(&TokenRequest::from(self.credentials))
    }
    fn retry_safe(&self) -> bool {
        // Asking for a token twice is harmless.
        true
    }
    fn authenticated(&self) -> bool {
        false
    }
    fn decode(&self, response: &HttpResponse) -> Result<Reply<TokenResponse>> {
        if matches!(response.status, 400 | 401 | 403) {
            return Err(Error::BadCredentials {
                message: server_message(&response.body)
                    .unwrap_or_else(|| "the server refused the user name or API key".into()),
            });
        }
        match decode_flattened::<TokenResponse>(response) {
            Ok(reply) => {
                let usage = reply.usage;
                let value = reply.value.ok_or_else(|| missing("token"))?;
                if value.token.is_empty() {
                    return Err(missing("token"));
                }
                // It goes back in an `Authorization` header: a line break there would
                // either fail every request or split the header. Never quote it.
                if value.token.expose().chars().any(char::is_control) {
                    return Err(Error::Decode {
                        path: "token".into(),
                        message: "the server sent a token containing a line break or another control character, which cannot be sent back in an HTTP header (not shown)".into(),
                    });
                }
                Ok(Reply { value, usage })
            }
            // `success:false` from the token endpoint means the credentials were refused.
            Err(Error::Api { message, status }) if status < 300 => {
                Err(Error::BadCredentials { message })
            }
            // A body that is not a JSON object may be the token itself (a bare string):
            // never quote it in the error.
            Err(Error::Decode { path, .. }) if path == "." => Err(Error::Decode {
                path,
                message: format!(
                    "the token response is not a JSON object ({} bytes, not shown)",
                    response.body.len()
                ),
            }),
            Err(other) => Err(other),
        }
    }
}
