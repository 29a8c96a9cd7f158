//! What the application answers the peer's requests with.

use bytes::Bytes;
use smpp_core::session::{Millis, SessionError};
use smpp_core::{CommandId, CommandStatus, Header};

use super::inbound::Engine;
use crate::owned::{Body, COctet, SubmitMultiResp, SubmitSmResp};

/// How the application answers a request of the peer (`submit_sm` to an
/// SMSC, `deliver_sm` to an ESME, ...).
///
/// The response `command_id` is the request's: an `Answer` only says what
/// goes in it.
///
/// An SMSC that takes messages for UK numbers only:
///
/// ```
/// use std::sync::Arc;
///
/// use smpp_core::session::{BindType, Config};
/// use smpp_core::{Body, CommandStatus};
/// use smpp_std::server::{self, BindRequest, Context, Handler};
/// use smpp_std::session::Answer;
/// use smpp_std::{Pdu, SubmitSmBuilder, client};
///
/// struct Smsc;
///
/// impl Handler for Smsc {
///     async fn bind(&self, _cx: &Context, _bind: &BindRequest) -> CommandStatus {
///         CommandStatus::ESME_ROK
///     }
///
///     async fn request(&self, _cx: &Context, pdu: Pdu) -> Answer {
///         match &pdu.body {
///             Body::SubmitSm(sm) if sm.destination_addr.as_bytes().starts_with(b"44") => {
///                 Answer::message_id(format!("uk-{}", pdu.sequence_number))
///             }
///             Body::SubmitSm(_) => Answer::Status(CommandStatus::ESME_RINVDSTADR),
///             _ => Answer::Status(CommandStatus::ESME_RINVCMDID),
///         }
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let (esme_side, mc_side) = tokio::io::duplex(64 * 1024);
/// tokio::spawn(server::serve(mc_side, Config::mc(), Arc::new(Smsc)));
/// let (esme, _incoming) = client::bind(esme_side, Config::esme(BindType::Transmitter)).await?;
///
/// let to = |number| SubmitSmBuilder::new(0).destination_addr(number).build();
/// let uk = esme.submit_sm(to("447700900123")?).await?;
/// assert_eq!(uk.message_id.to_string(), "uk-2");
/// let fr = esme.submit_sm(to("33612345678")?).await?;
/// assert_eq!(fr.command_status, CommandStatus::ESME_RINVDSTADR);
/// assert!(fr.message_id.as_bytes().is_empty());
/// # Ok(())
/// # }
/// ```
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
    ///
    /// See the example on [`Answer`].
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

    /// Queues this answer to the peer's request `sequence_number` (a
    /// `command_id`), unless its PDU would be longer than `max_len`.
    pub(crate) fn respond(
        self,
        engine: &mut Engine,
        sequence_number: u32,
        command_id: CommandId,
        max_len: usize,
        now: Millis,
    ) {
        let (status, body) = self.into_response(command_id);
        let result = match body {
            Some(body) if Header::LEN + body.encoded_len() > max_len => None,
            Some(body) => Some(engine.respond(sequence_number, status, body, now)),
            None => Some(engine.respond_status(sequence_number, status, now)),
        };
        if !matches!(
            result,
            Some(Ok(()) | Err(SessionError::UnknownRequest(_) | SessionError::Closed))
        ) {
            // The application's response is not the request's, or does
            // not encode: the request still gets an answer.
            let _ = engine.respond_status(sequence_number, CommandStatus::ESME_RSYSERR, now);
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
