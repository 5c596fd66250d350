//! [`AppError`]: every way a request can fail, each mapped to one status code and the app's
//! own JSON error shape ([`ErrorBody`]), and [`ApiJson`], the JSON extractor whose rejections
//! use that shape too.

use std::time::Duration;

use axum::extract::FromRequest;
use axum::extract::rejection::JsonRejection;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// Every way a request can fail. Input problems carry a message for the caller; internal
/// failures carry detail for the log only.
#[derive(Debug)]
pub enum AppError {
    /// The request is malformed: bad JSON, wrong types, missing or conflicting fields (400).
    BadRequest(String),
    /// The body is not declared as JSON (415).
    UnsupportedMediaType(String),
    /// The body is over the configured limit (413).
    TooLarge(String),
    /// Well-formed, but the library cannot work with it: empty or binary text, a page without
    /// an article, a budget out of range (422).
    Unprocessable(String),
    /// A bearer token is required and was missing or wrong (401).
    Unauthorized,
    /// The work did not finish within the per-request timeout (504).
    Timeout(Duration),
    /// Too many requests are already running or queued (503).
    Overloaded,
    /// A bug or an I/O failure on our side (500); the detail is logged, not sent.
    Internal(String),
}

/// The JSON body of every error response: `{"error": {"status", "code", "message"}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ErrorDetail,
}

/// What went wrong.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// The HTTP status code, repeated.
    pub status: u16,
    /// A stable machine-readable code: `bad_request`, `unsupported_media_type`,
    /// `payload_too_large`, `unprocessable`, `unauthorized`, `not_found`, `timeout`,
    /// `overloaded` or `internal`.
    pub code: &'static str,
    /// A sentence for the person who sent the request.
    pub message: String,
}

impl AppError {
    /// The status code and stable code this error maps to.
    pub fn status(&self) -> (StatusCode, &'static str) {
        match self {
            AppError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            AppError::UnsupportedMediaType(_) => {
                (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type")
            }
            AppError::TooLarge(_) => (StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
            AppError::Unprocessable(_) => (StatusCode::UNPROCESSABLE_ENTITY, "unprocessable"),
            AppError::Unauthorized => (StatusCode::UNAUTHORIZED, "unauthorized"),
            AppError::Timeout(_) => (StatusCode::GATEWAY_TIMEOUT, "timeout"),
            AppError::Overloaded => (StatusCode::SERVICE_UNAVAILABLE, "overloaded"),
            AppError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }

    fn message(&self) -> String {
        match self {
            AppError::BadRequest(m)
            | AppError::UnsupportedMediaType(m)
            | AppError::TooLarge(m)
            | AppError::Unprocessable(m) => m.clone(),
            AppError::Unauthorized => {
                "this server needs an API key: send `Authorization: Bearer <key>`".to_string()
            }
            AppError::Timeout(limit) => format!(
                "the request did not finish within the server's limit of {} ms",
                limit.as_millis()
            ),
            AppError::Overloaded => {
                "the server is busy (too many requests running or queued); retry shortly"
                    .to_string()
            }
            AppError::Internal(_) => "internal error (the server log has the detail)".to_string(),
        }
    }
}

impl From<abridge::Error> for AppError {
    /// Input errors become 422 (413 for an input over a limit); I/O and other failures 500.
    fn from(err: abridge::Error) -> Self {
        use abridge::Error as E;
        match err {
            E::TooLarge { .. } => AppError::TooLarge(err.to_string()),
            E::Io(_) | E::Json(_) | E::Dataset(_) => AppError::Internal(err.to_string()),
            // EmptyInput, Binary, InvalidUtf8, UnknownEncoding, UnsupportedFormat, NoArticle,
            // BadRecord, Config and whatever a later version adds: the caller's input.
            _ => AppError::Unprocessable(err.to_string()),
        }
    }
}

impl From<JsonRejection> for AppError {
    /// Keeps axum's status (400 syntax, 415 content type, 413 too large, 422 wrong types → 400
    /// here, since a wrong type is a malformed request) with our shape and axum's message.
    fn from(rejection: JsonRejection) -> Self {
        let message = rejection.body_text();
        match rejection.status() {
            StatusCode::UNSUPPORTED_MEDIA_TYPE => AppError::UnsupportedMediaType(message),
            StatusCode::PAYLOAD_TOO_LARGE => AppError::TooLarge(message),
            s if s.is_server_error() => AppError::Internal(message),
            _ => AppError::BadRequest(message),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, code) = self.status();
        match &self {
            AppError::Internal(detail) => tracing::error!(%detail, "internal error"),
            AppError::Timeout(_) => tracing::warn!("request timed out"),
            other => tracing::info!(status = status.as_u16(), error = ?other, "request rejected"),
        }
        let body = ErrorBody {
            error: ErrorDetail {
                status: status.as_u16(),
                code,
                message: self.message(),
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        match self {
            AppError::Unauthorized => {
                response
                    .headers_mut()
                    .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            }
            AppError::Overloaded => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}

/// `axum::Json`, except that a rejected body answers with [`AppError`]'s shape.
#[derive(Debug, FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct ApiJson<T>(pub T);

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        axum::Json(self.0).into_response()
    }
}
