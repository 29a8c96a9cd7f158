//! Answering the peer's requests.

use core::pin::Pin;
use core::task::{Context, Poll};

use bytes::Bytes;
use smpp_core::{CommandId, CommandStatus};
use tokio::sync::mpsc;

use super::handle::Command;
use crate::owned::{Body, COctet, Pdu, SubmitMultiResp, SubmitSmResp};

/// How the application answers a request of the peer (`submit_sm` to an
/// SMSC, `deliver_sm` to an ESME, ...).
///
/// The response `command_id` is the request's: an `Answer` only says what
/// goes in it.
// An answer is moved once, into the session; boxing the body would cost an
// allocation for every full response.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answer {
    /// `ESME_ROK` with the response's fields empty: `deliver_sm_resp` with
    /// its (unused) `message_id` NULL, the header-only responses as they
    /// are. The answer to a request dropped without one. (A response whose
    /// fields say something, such as `query_sm_resp`, is sent without body:
    /// answer those with [`Answer::Response`].)
    Ok,
    /// `ESME_ROK` with this `message_id` (`submit_sm_resp`,
    /// `data_sm_resp`, `submit_multi_resp`, `broadcast_sm_resp`,
    /// `deliver_sm_resp`); a response without a `message_id` field is sent
    /// as for [`Answer::Ok`].
    MessageId(Bytes),
    /// The response without a body, carrying this `command_status`: the
    /// usual error response (SMPP v5.0 3.2.1.3).
    Status(CommandStatus),
    /// A response body of the application's making with its status (a
    /// `query_sm_resp`, a `submit_multi_resp` listing unsuccessful
    /// destinations, TLVs, ...). It must be the request's response or a
    /// `generic_nack`; one that is not, or does not encode, is replaced by
    /// a response with `ESME_RSYSERR`.
    Response {
        /// The response's `command_status`.
        command_status: CommandStatus,
        /// The response body.
        body: Body,
    },
}

impl Answer {
    /// `ESME_ROK` with `message_id`.
    pub fn message_id(message_id: impl Into<Bytes>) -> Self {
        Self::MessageId(message_id.into())
    }

    /// The status and body to answer a request of `request` with (no body:
    /// header only).
    pub(crate) fn into_response(self, request: CommandId) -> (CommandStatus, Option<Body>) {
        match self {
            Self::Ok => (
                CommandStatus::ESME_ROK,
                with_message_id(request, Bytes::new()),
            ),
            Self::MessageId(id) => (CommandStatus::ESME_ROK, with_message_id(request, id)),
            Self::Status(status) => (status, None),
            Self::Response {
                command_status,
                body,
            } => (command_status, Some(body)),
        }
    }
}

/// The response to `request` with `message_id`, for the responses that
/// have the field.
fn with_message_id(request: CommandId, message_id: Bytes) -> Option<Body> {
    let resp = SubmitSmResp {
        message_id: COctet::new(message_id),
        ..SubmitSmResp::default()
    };
    match request {
        CommandId::SUBMIT_SM => Some(Body::SubmitSmResp(Some(resp))),
        CommandId::DELIVER_SM => Some(Body::DeliverSmResp(Some(resp))),
        CommandId::DATA_SM => Some(Body::DataSmResp(Some(resp))),
        CommandId::BROADCAST_SM => Some(Body::BroadcastSmResp(Some(resp))),
        CommandId::SUBMIT_MULTI => Some(Body::SubmitMultiResp(Some(SubmitMultiResp {
            message_id: resp.message_id,
            ..SubmitMultiResp::default()
        }))),
        _ => None,
    }
}

/// Who answers a received request: the running session's command channel.
#[derive(Debug)]
pub(crate) struct Responder {
    pub(crate) commands: mpsc::UnboundedSender<Command>,
    pub(crate) sequence_number: u32,
    pub(crate) command_id: CommandId,
}

impl Responder {
    fn answer(self, answer: Answer) {
        let _ = self.commands.send(Command::Respond {
            sequence_number: self.sequence_number,
            command_id: self.command_id,
            answer,
        });
    }
}

/// A request the peer sent (`deliver_sm`, `data_sm`, `alert_notification`
/// to an ESME), to answer with [`Request::respond`].
///
/// **Default answer:** a `Request` dropped unanswered is answered with
/// [`Answer::Ok`] (`ESME_ROK`), so that no request of the peer is ever left
/// waiting. `alert_notification` gets no response; answering it does
/// nothing.
///
/// The PDU's fields are slices of the frame it came in (no octet was
/// copied).
#[derive(Debug)]
pub struct Request {
    pdu: Pdu,
    responder: Option<Responder>,
}

impl Request {
    pub(crate) fn new(pdu: Pdu, responder: Option<Responder>) -> Self {
        Self { pdu, responder }
    }

    /// The request.
    pub fn pdu(&self) -> &Pdu {
        &self.pdu
    }

    /// The request's `command_id`.
    pub fn command_id(&self) -> CommandId {
        self.pdu.command_id()
    }

    /// True if the request awaits a response (all but
    /// `alert_notification`).
    pub fn needs_answer(&self) -> bool {
        self.responder.is_some()
    }

    /// Leaves the request to be answered by the caller.
    pub(crate) fn disarm(mut self) {
        self.responder = None;
    }

    /// Answers the request.
    pub fn respond(mut self, answer: Answer) {
        if let Some(responder) = self.responder.take() {
            responder.answer(answer);
        }
    }
}

impl Drop for Request {
    fn drop(&mut self) {
        if let Some(responder) = self.responder.take() {
            responder.answer(Answer::Ok);
        }
    }
}

/// The requests an ESME receives: a stream (and channel) of [`Request`]s,
/// ending when the session closes.
///
/// At most as many requests as the window wait here: beyond that the
/// session answers the MC with `ESME_RX_T_APPN` itself (the MC retries
/// later). When `Incoming` is dropped, requests still coming are answered
/// with `ESME_ROK` by the session (`alert_notification`s are dropped). While
/// `Incoming` lives, the session does: it keeps it bound even when every
/// [`Handle`](super::Handle) is gone.
#[derive(Debug)]
pub struct Incoming {
    requests: mpsc::Receiver<Request>,
    _session: mpsc::UnboundedSender<Command>,
}

impl Incoming {
    pub(crate) fn new(
        requests: mpsc::Receiver<Request>,
        session: mpsc::UnboundedSender<Command>,
    ) -> Self {
        Self {
            requests,
            _session: session,
        }
    }

    /// The next request; `None` once the session is closed and every
    /// request was taken.
    pub async fn recv(&mut self) -> Option<Request> {
        self.requests.recv().await
    }

    /// The next request if one is waiting.
    pub fn try_recv(&mut self) -> Option<Request> {
        self.requests.try_recv().ok()
    }

    /// Polls for the next request (see [`Incoming::recv`]).
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Request>> {
        self.requests.poll_recv(cx)
    }
}

impl futures_core::Stream for Incoming {
    type Item = Request;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Request>> {
        self.requests.poll_recv(cx)
    }
}
