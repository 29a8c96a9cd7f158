//! The HTTP endpoint (`--http`): `GET /stats`, `GET /metrics`,
//! `POST /mo` and the status page at `GET /`.

use core::convert::Infallible;
use core::time::Duration;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::header::{CONTENT_TYPE, HeaderValue};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::{TokioIo, TokioTimer};
use serde_json::{Value, json};
use smpp_std::server::ServerHandle;
use smpp_tools::message::{language, unhex};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

use crate::report::{self, Rates};
use crate::sim::{Inner, MoContent, MoError, Sim, Target, lock};

/// The largest `POST /mo` body taken.
const MAX_BODY: usize = 64 * 1024;

/// The most HTTP connections served at once. One more is closed as soon
/// as it is accepted: idle or slow HTTP clients must not take the file
/// descriptors the SMPP listener needs.
const MAX_CONNECTIONS: usize = 64;

/// How long a client may take to send a request's head, counted from the
/// connection or from the end of the previous response (a kept-alive
/// connection idle that long is closed).
const HEAD_TIMEOUT: Duration = Duration::from_secs(5);

/// How long a `POST /mo` body may take to arrive.
const BODY_TIMEOUT: Duration = Duration::from_secs(10);

/// What the routes read.
#[derive(Clone, Debug)]
pub(crate) struct App {
    pub(crate) sim: Sim,
    pub(crate) server: ServerHandle,
    pub(crate) rates: Arc<Mutex<Rates>>,
}

impl App {
    fn inner(&self) -> &Inner {
        &self.sim.inner
    }
}

/// Serves HTTP/1 on `listener` for ever, each connection in a task of
/// its own, at most [`MAX_CONNECTIONS`] at once.
pub(crate) async fn serve(listener: TcpListener, app: App) {
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
            // Dropping the stream closes it.
            continue;
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service = service_fn(move |request| {
                let app = app.clone();
                async move { Ok::<_, Infallible>(route(&app, request).await) }
            });
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEAD_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(permit);
        });
    }
}

fn reply(
    status: StatusCode,
    content_type: &'static str,
    body: impl Into<Bytes>,
) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(body.into()));
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

fn json_reply(status: StatusCode, value: &Value) -> Response<Full<Bytes>> {
    let mut body = value.to_string();
    body.push('\n');
    reply(status, "application/json", body)
}

fn error(status: StatusCode, message: &str) -> Response<Full<Bytes>> {
    json_reply(status, &json!({ "error": message }))
}

async fn route(app: &App, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let rates = *lock(&app.rates);
    match (request.method(), request.uri().path()) {
        (&Method::GET, "/") => reply(
            StatusCode::OK,
            "text/html; charset=utf-8",
            report::page(app.inner(), &app.server, rates),
        ),
        (&Method::GET, "/stats") => json_reply(
            StatusCode::OK,
            &report::stats(app.inner(), &app.server, rates),
        ),
        (&Method::GET, "/metrics") => reply(
            StatusCode::OK,
            "text/plain; version=0.0.4; charset=utf-8",
            report::prometheus(app.inner(), &app.server),
        ),
        (&Method::POST, "/mo") => mo(app, request).await,
        (_, "/" | "/stats" | "/metrics" | "/mo") => {
            error(StatusCode::METHOD_NOT_ALLOWED, "method not allowed")
        }
        _ => error(StatusCode::NOT_FOUND, "not found"),
    }
}

/// `POST /mo` with `{"system_id": ..., "to": ..., "from": ..., "text": ...}`
/// (or `"hex"` for binary content; `"languages": ["turkish", ...]` lets
/// text go in those national languages' GSM 7-bit tables): the message
/// goes to a receiver of `system_id`, or, without it, to one whose
/// `address_range` matches `to`.
async fn mo(app: &App, request: Request<Incoming>) -> Response<Full<Bytes>> {
    let body = Limited::new(request.into_body(), MAX_BODY).collect();
    let body = match tokio::time::timeout(BODY_TIMEOUT, body).await {
        Ok(Ok(body)) => body.to_bytes(),
        Ok(Err(_)) => return error(StatusCode::PAYLOAD_TOO_LARGE, "the body is too large"),
        Err(_) => return error(StatusCode::REQUEST_TIMEOUT, "the body took too long"),
    };
    let Ok(Value::Object(fields)) = serde_json::from_slice::<Value>(&body) else {
        return error(StatusCode::BAD_REQUEST, "the body must be a JSON object");
    };
    let field = |key: &str| fields.get(key).and_then(Value::as_str);
    let to = field("to").unwrap_or("");
    let from = field("from").unwrap_or("");
    let target = match (field("system_id"), to) {
        (Some(system_id), _) => Target::SystemId(system_id.to_owned()),
        (None, "") => {
            return error(StatusCode::BAD_REQUEST, "give system_id or to");
        }
        (None, _) => Target::Address,
    };
    let languages = match fields.get("languages") {
        None => Vec::new(),
        Some(Value::Array(names)) => {
            let read: Result<Vec<_>, String> = names
                .iter()
                .map(|n| {
                    n.as_str()
                        .map_or(Err("languages: names".to_owned()), language)
                })
                .collect();
            match read {
                Ok(languages) => languages,
                Err(e) => return error(StatusCode::BAD_REQUEST, &e),
            }
        }
        Some(_) => return error(StatusCode::BAD_REQUEST, "languages: an array of names"),
    };
    let content = match (field("text"), field("hex")) {
        (Some(text), None) => MoContent::Text(text.to_owned(), languages),
        (None, Some(hex)) => match unhex(hex) {
            Some(octets) => MoContent::Binary(octets),
            None => return error(StatusCode::BAD_REQUEST, "hex is not hexadecimal"),
        },
        _ => return error(StatusCode::BAD_REQUEST, "give text or hex"),
    };
    match app
        .inner()
        .inject_mo(&app.server, &target, from, to, &content)
        .await
    {
        Ok(statuses) => {
            let statuses: Vec<String> = statuses.iter().map(ToString::to_string).collect();
            json_reply(
                StatusCode::OK,
                &json!({ "parts": statuses.len(), "statuses": statuses }),
            )
        }
        Err(e @ MoError::Deliver(smpp_std::session::Error::NoRoute)) => {
            error(StatusCode::NOT_FOUND, &e.to_string())
        }
        Err(e @ MoError::Split(_)) => error(StatusCode::BAD_REQUEST, &e.to_string()),
        Err(e) => error(StatusCode::BAD_GATEWAY, &e.to_string()),
    }
}
