//! What the send calls take and what they answer with: shared by the
//! async session and the blocking client.

use smpp_core::{CommandId, CommandStatus};

use super::error::Error;
use crate::owned::{Body, COctet, DataSm, Pdu, SubmitSm, Tlvs};

/// What the send calls of a [`Handle`](super::Handle) (and of the blocking
/// client) take: a PDU as the builders
/// ([`SubmitSmBuilder`](crate::SubmitSmBuilder) and friends) and the
/// splitter ([`text::submit_sms`](crate::text::submit_sms)) make it, or a
/// [`Body`], or the body struct of `submit_sm`/`deliver_sm` (one struct for
/// both: the call says which) or `data_sm`.
///
/// A PDU's `sequence_number` and `command_status` are not used: the
/// session numbers its requests.
///
/// ```
/// use smpp_core::CommandId;
/// use smpp_std::session::{Error, IntoRequest};
/// use smpp_std::{Body, SubmitSmBuilder};
///
/// let pdu = SubmitSmBuilder::new(0).destination_addr("447700900123").build()?;
/// let Body::SubmitSm(sm) = pdu.body.clone() else { unreachable!() };
///
/// // A builder's PDU, for the call that sends submit_sm.
/// let body = pdu.clone().into_request(Some(CommandId::SUBMIT_SM))?;
/// assert_eq!(body.command_id(), CommandId::SUBMIT_SM);
/// // Not for the call that sends deliver_sm: nothing would be sent.
/// let wrong = pdu.into_request(Some(CommandId::DELIVER_SM));
/// assert!(matches!(wrong, Err(Error::UnexpectedCommand { found: CommandId::SUBMIT_SM, .. })));
/// // The body struct, shared by submit_sm and deliver_sm, becomes what the call sends.
/// let body = sm.into_request(Some(CommandId::DELIVER_SM))?;
/// assert_eq!(body.command_id(), CommandId::DELIVER_SM);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub trait IntoRequest {
    /// The body to send; `command_id` is the command a typed call
    /// ([`Handle::submit_sm`](super::Handle::submit_sm), ...) sends: anything else is refused with
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
    /// `deliver_sm` when the call sends one, else `submit_sm`.
    fn into_request(self, command_id: Option<CommandId>) -> Result<Body, Error> {
        let body = if command_id == Some(CommandId::DELIVER_SM) {
            Body::DeliverSm(self)
        } else {
            Body::SubmitSm(self)
        };
        checked(body, command_id)
    }
}

impl IntoRequest for DataSm {
    fn into_request(self, command_id: Option<CommandId>) -> Result<Body, Error> {
        checked(Body::DataSm(self), command_id)
    }
}

/// The answer to `submit_sm`, `deliver_sm` or `data_sm`: the status and
/// the fields of their common response body.
///
/// What [`Handle::submit_sm`](super::Handle::submit_sm) and the other
/// typed calls answer; `From<Pdu>` reads it from a response PDU (the
/// [`Handle::send`](super::Handle::send) or [`Handle::queue`](super::Handle::queue)
/// of a `submit_sm`). A `generic_nack` is a refusal: one that carries
/// `ESME_ROK`, which says nothing of what went wrong, reads as
/// `ESME_RUNKNOWNERR`, never as an accepted message.
///
/// ```
/// use bytes::Bytes;
/// use smpp_core::CommandStatus;
/// use smpp_std::session::SmResponse;
/// use smpp_std::{Body, COctet, Pdu, SubmitSmResp};
///
/// let ok = Pdu::new(7, Body::SubmitSmResp(Some(SubmitSmResp {
///     message_id: COctet::new(Bytes::from_static(b"id-7")),
///     ..SubmitSmResp::default()
/// })));
/// let resp = SmResponse::from(ok);
/// assert!(resp.is_ok());
/// assert_eq!((resp.sequence_number, resp.message_id.as_bytes()), (7, &b"id-7"[..]));
///
/// // An error response has no body: no message_id.
/// let mut throttled = Pdu::new(8, Body::SubmitSmResp(None));
/// throttled.command_status = CommandStatus::ESME_RTHROTTLED;
/// let resp = SmResponse::from(throttled);
/// assert!(!resp.is_ok());
/// assert!(resp.message_id.as_bytes().is_empty());
///
/// let nack = Pdu::new(9, Body::GenericNack(Default::default()));
/// assert_eq!(SmResponse::from(nack).command_status, CommandStatus::ESME_RUNKNOWNERR);
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct SmResponse {
    /// The response's `sequence_number` (the request's).
    pub sequence_number: u32,
    /// The response's `command_status`: `ESME_ROK`, or why the peer
    /// refused the message (`ESME_RTHROTTLED`, `ESME_RINVDSTADR`, ... or
    /// the status of a `generic_nack`).
    pub command_status: CommandStatus,
    /// `message_id`: the MC's id for the message (empty in
    /// `deliver_sm_resp`, and in a response without body).
    pub message_id: COctet,
    /// The response's TLVs.
    pub tlvs: Tlvs,
}

impl SmResponse {
    /// True for `ESME_ROK`.
    ///
    /// See the example on [`SmResponse`].
    pub fn is_ok(&self) -> bool {
        self.command_status.is_ok()
    }
}

impl From<Pdu> for SmResponse {
    fn from(pdu: Pdu) -> Self {
        // A negative acknowledgement refuses, whatever status it carries.
        let command_status = match pdu.body {
            smpp_core::Body::GenericNack(_) if pdu.command_status.is_ok() => {
                CommandStatus::ESME_RUNKNOWNERR
            }
            _ => pdu.command_status,
        };
        let (message_id, tlvs) = match pdu.body {
            smpp_core::Body::SubmitSmResp(Some(r))
            | smpp_core::Body::DeliverSmResp(Some(r))
            | smpp_core::Body::DataSmResp(Some(r))
            | smpp_core::Body::BroadcastSmResp(Some(r)) => (r.message_id, r.tlvs),
            _ => (COctet::default(), Tlvs::default()),
        };
        Self {
            sequence_number: pdu.sequence_number,
            command_status,
            message_id,
            tlvs,
        }
    }
}
