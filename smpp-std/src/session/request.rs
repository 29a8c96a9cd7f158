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
