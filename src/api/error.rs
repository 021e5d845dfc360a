//! The one HTTP error type: every failure of every route maps here once, to
//! a status and `{"error": {"code", "message"}}`.
//!
//! Client errors show their message; internal errors are logged and hidden.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// What went wrong, for a program (`code`) and a person (`message`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Machine-readable: `invalid_parameter`, `bad_body`, `bad_row`,
    /// `unprocessable`, `not_found`, `version_gone`, `method_not_allowed`,
    /// `timeout`, `too_large`, `uri_too_long`, `unsupported_media_type`,
    /// `headers_too_large`, `rejected`, `overloaded`, `not_ready`, `internal`.
    #[schema(example = "invalid_parameter")]
    pub code: &'static str,
    /// A sentence saying what is wrong and how to put it right.
    pub message: String,
    /// The query parameter or field at fault, for `invalid_parameter`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// The 1-based data row at fault, for `bad_row`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub row: Option<usize>,
    /// The data set version served now, for `version_gone`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<String>,
}

/// An error answered to an HTTP client. Its `code` is the variant's name in
/// snake case (strum).
#[derive(Debug, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum ApiError {
    /// A query parameter or body field is missing, malformed or out of range.
    #[error("{message}")]
    InvalidParameter {
        /// The parameter at fault.
        parameter: String,
        /// What is wrong with it.
        message: String,
    },
    /// The request body could not be read as the declared format.
    #[error("{0}")]
    BadBody(String),
    /// A CSV or JSON batch row is malformed (1-based data row number).
    #[error("row {row}: {message}")]
    BadRow {
        /// 1-based data row (CSV header excluded).
        row: usize,
        /// What is wrong.
        message: String,
    },
    /// The body or row count exceeds the configured limit.
    #[error("{0}")]
    TooLarge(String),
    /// No such layer, feature or resource.
    #[error("{0}")]
    NotFound(String),
    /// The media type is not supported.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The path exists but not for this method; `allow` lists the methods it takes.
    #[error("this path does not take {method}; it takes {allow}")]
    MethodNotAllowed {
        /// The method the client used.
        method: String,
        /// The methods the path takes, as in the `Allow` header.
        allow: String,
    },
    /// The request (its body, or the work it asked for) took longer than allowed.
    #[error("{0}")]
    Timeout(String),
    /// The request target (path and query) is longer than the configured limit.
    #[error("{0}")]
    UriTooLong(String),
    /// The request headers are larger than the configured limit.
    #[error("{0}")]
    HeadersTooLarge(String),
    /// A versioned URL (`?v=`) names a data set version this server no longer serves.
    #[error("this URL is for data set version {asked}; the server now serves {current}: drop v= or use v={current}")]
    VersionGone {
        /// The version the URL names.
        asked: String,
        /// The version served now.
        current: String,
    },
    /// The request is well formed but cannot be processed (e.g. ambiguous columns).
    #[error("{0}")]
    Unprocessable(String),
    /// Any other client error raised below the handlers (an extractor or
    /// middleware answer), with the status it had.
    #[error("{message}")]
    Rejected {
        /// The status the rejection carried (a 4xx).
        status: StatusCode,
        /// What it said.
        message: String,
    },
    /// The server is overloaded; try again later.
    #[error("the server is busy; retry shortly")]
    Overloaded,
    /// The data set is not ready (not loaded, or shutting down).
    #[error("{0}")]
    NotReady(String),
    /// A bug or an I/O failure; logged, not shown.
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// Shorthand for an invalid parameter.
    pub fn param(parameter: &str, message: impl Into<String>) -> Self {
        ApiError::InvalidParameter {
            parameter: parameter.to_owned(),
            message: message.into(),
        }
    }

    /// The HTTP status of this error.
    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::InvalidParameter { .. } | ApiError::BadBody(_) => StatusCode::BAD_REQUEST,
            ApiError::BadRow { .. } | ApiError::Unprocessable(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::TooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::VersionGone { .. } => StatusCode::GONE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Timeout(_) => StatusCode::REQUEST_TIMEOUT,
            ApiError::UriTooLong(_) => StatusCode::URI_TOO_LONG,
            ApiError::HeadersTooLarge(_) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            ApiError::Rejected { status, .. } => *status,
            ApiError::Overloaded | ApiError::NotReady(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable code.
    pub fn code(&self) -> &'static str {
        self.into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let ApiError::Internal(e) = &self {
            tracing::error!(error = ?e, "internal error");
        }
        // The one member each of these variants adds to the body.
        let (parameter, row, current_version) = match &self {
            ApiError::InvalidParameter { parameter, .. } => (Some(parameter.clone()), None, None),
            ApiError::BadRow { row, .. } => (None, Some(*row), None),
            ApiError::VersionGone { current, .. } => (None, None, Some(current.clone())),
            _ => (None, None, None),
        };
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code(),
                message: self.to_string(),
                parameter,
                row,
                current_version,
            },
        };
        let mut resp = (self.status_code(), axum::Json(body)).into_response();
        match &self {
            ApiError::Overloaded | ApiError::NotReady(_) => {
                resp.headers_mut()
                    .insert(header::RETRY_AFTER, header::HeaderValue::from_static("1"));
            }
            ApiError::MethodNotAllowed { allow, .. } if !allow.is_empty() => {
                if let Ok(v) = header::HeaderValue::from_str(allow) {
                    resp.headers_mut().insert(header::ALLOW, v);
                }
            }
            _ => {}
        }
        resp
    }
}

impl From<crate::locate::input::InputError> for ApiError {
    fn from(e: crate::locate::input::InputError) -> Self {
        ApiError::InvalidParameter {
            parameter: e.field,
            message: e.message,
        }
    }
}

impl From<crate::locate::batch::BatchError> for ApiError {
    fn from(e: crate::locate::batch::BatchError) -> Self {
        use crate::locate::batch::BatchError;
        match e {
            BatchError::BadBody(m) => ApiError::BadBody(m),
            BatchError::BadRow { row, message } => ApiError::BadRow { row, message },
            too_many @ BatchError::TooManyRows(_) => ApiError::TooLarge(too_many.to_string()),
            BatchError::AmbiguousColumns(m) => ApiError::Unprocessable(m),
        }
    }
}

/// Maps axum's extractor rejections into the same JSON shape.
impl From<axum::extract::rejection::JsonRejection> for ApiError {
    fn from(r: axum::extract::rejection::JsonRejection) -> Self {
        ApiError::BadBody(r.body_text())
    }
}

impl From<axum::extract::rejection::BytesRejection> for ApiError {
    fn from(r: axum::extract::rejection::BytesRejection) -> Self {
        use std::error::Error as _;
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            return ApiError::TooLarge(
                "the request body is larger than the configured limit".into(),
            );
        }
        // The body-read timeouts surface as an error deep in the body's source chain.
        let mut source = r.source();
        while let Some(e) = source {
            if e.is::<tower_http::timeout::TimeoutError>() {
                return ApiError::Timeout(
                    "the request body did not arrive within the time limit".into(),
                );
            }
            source = e.source();
        }
        ApiError::BadBody(r.body_text())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_code_is_the_variant_name_in_snake_case() {
        let codes = [
            ApiError::BadBody(String::new()).code(),
            ApiError::Rejected {
                status: StatusCode::BAD_REQUEST,
                message: String::new(),
            }
            .code(),
            ApiError::NotReady(String::new()).code(),
            ApiError::Internal(anyhow::anyhow!("x")).code(),
        ];
        assert_eq!(codes, ["bad_body", "rejected", "not_ready", "internal"]);
    }
}
