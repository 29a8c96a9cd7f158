//! The types the blocking client shares with the async session (`Error`,
//! `Answer`, `SmResponse`, `IntoRequest`), for a build without feature `tokio`, where the
//! `session` module that defines them is absent. With `tokio`, the
//! blocking client uses the `session` module's own types instead, so that
//! both clients speak with the same ones.
//!
//! The error is the `session` module's source file, compiled here; the
//! others are the same definitions, which this file mirrors until they
//! move out of the `tokio` feature.

#[path = "../session/error.rs"]
mod error;

use bytes::Bytes;
use smpp_core::{CommandId, CommandStatus};

pub use error::Error;

use crate::owned::{Body, COctet, DataSm, Pdu, SubmitMultiResp, SubmitSm, SubmitSmResp, Tlvs};

/// How the application answers a request of the MC (`deliver_sm`,
/// `data_sm`): what goes in the response whose `command_id` is the
/// request's.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Answer {
    /// `ESME_ROK` with the response's fields empty (`deliver_sm_resp`
    /// with its unused `message_id` NULL). The answer to a request dropped
    /// without one.
    Ok,
    /// `ESME_ROK` with this `message_id`, for the responses that have the
    /// field; the others are sent as for [`Answer::Ok`].
    MessageId(Bytes),
    /// The response without a body, carrying this `command_status`.
    Status(CommandStatus),
    /// A response body of the application's making with its status. It must
    /// be the request's response or a `generic_nack`; one that is not, or
    /// does not encode, is replaced by a response with `ESME_RSYSERR`.
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
        let with_id = |id: Bytes| {
            let resp = SubmitSmResp {
                message_id: COctet::new(id),
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
        };
        match self {
            Self::Ok => (CommandStatus::ESME_ROK, with_id(Bytes::new())),
            Self::MessageId(id) => (CommandStatus::ESME_ROK, with_id(id)),
            Self::Status(status) => (status, None),
            Self::Response {
                command_status,
                body,
            } => (command_status, Some(body)),
        }
    }
}

/// The answer to `submit_sm` or `data_sm`: the status and the fields of
/// their common response body.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SmResponse {
    /// The response's `sequence_number` (the request's).
    pub sequence_number: u32,
    /// The response's `command_status`: `ESME_ROK`, or why the MC refused
    /// the message (or the status of a `generic_nack`).
    pub command_status: CommandStatus,
    /// `message_id`: the MC's id for the message (empty in a response
    /// without body).
    pub message_id: COctet,
    /// The response's TLVs.
    pub tlvs: Tlvs,
}

impl SmResponse {
    /// True for `ESME_ROK`.
    pub fn is_ok(&self) -> bool {
        self.command_status.is_ok()
    }
}

impl From<Pdu> for SmResponse {
    fn from(pdu: Pdu) -> Self {
        let (message_id, tlvs) = match pdu.body {
            smpp_core::Body::SubmitSmResp(Some(r))
            | smpp_core::Body::DeliverSmResp(Some(r))
            | smpp_core::Body::DataSmResp(Some(r))
            | smpp_core::Body::BroadcastSmResp(Some(r)) => (r.message_id, r.tlvs),
            _ => (COctet::default(), Tlvs::default()),
        };
        Self {
            sequence_number: pdu.sequence_number,
            command_status: pdu.command_status,
            message_id,
            tlvs,
        }
    }
}

/// What the send calls of a [`Client`](super::Client) take: a PDU as the
/// builders ([`SubmitSmBuilder`](crate::SubmitSmBuilder) and friends) and
/// the splitter ([`text::submit_sms`](crate::text::submit_sms)) make it, a
/// [`Body`], or the body struct of `submit_sm` or `data_sm`.
///
/// A PDU's `sequence_number` and `command_status` are not used: the
/// session numbers its requests.
pub trait IntoRequest {
    /// The body to send; `command_id` is the command a typed call
    /// (`submit_sm`, ...) sends: anything else is refused with
    /// [`Error::UnexpectedCommand`], and nothing is sent.
    fn into_request(self, command_id: Option<CommandId>) -> Result<Body, Error>;
}

/// `body` if it is a `command_id` request (or any, when none is asked for).
fn checked(body: Body, command_id: Option<CommandId>) -> Result<Body, Error> {
    match command_id {
        Some(expected) if body.command_id() != expected => Err(Error::UnexpectedCommand {
            expected,
            found: body.command_id(),
        }),
        _ => Ok(body),
    }
}

impl IntoRequest for Body {
    fn into_request(self, command_id: Option<CommandId>) -> Result<Body, Error> {
        checked(self, command_id)
    }
}

impl IntoRequest for Pdu {
    fn into_request(self, command_id: Option<CommandId>) -> Result<Body, Error> {
        checked(self.body, command_id)
    }
}

impl IntoRequest for SubmitSm {
    fn into_request(self, command_id: Option<CommandId>) -> Result<Body, Error> {
        checked(Body::SubmitSm(self), command_id)
    }
}

impl IntoRequest for DataSm {
    fn into_request(self, command_id: Option<CommandId>) -> Result<Body, Error> {
        checked(Body::DataSm(self), command_id)
    }
}
