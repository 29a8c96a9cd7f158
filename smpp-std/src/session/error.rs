//! What can go wrong with a request or a session.

use core::time::Duration;
use std::io;

use smpp_core::session::{CloseReason, Outstanding, SessionError};
use smpp_core::{CommandId, CommandStatus};

/// Why a bind, a request or an unbind did not get its answer.
///
/// A response that carries an error `command_status` is not an `Error`:
/// it is an answer ([`SmResponse::command_status`](super::SmResponse),
/// [`Pdu::command_status`](crate::Pdu)). A failed bind is the exception:
/// there is no session to go on with ([`Error::BindRefused`]).
///
/// A request the MC does not answer in time, and one after the session
/// closed:
///
/// ```
/// use core::time::Duration;
/// use std::sync::Arc;
///
/// use smpp_core::session::{BindType, CloseReason, Config, Timers};
/// use smpp_core::{CommandId, CommandStatus};
/// use smpp_std::server::{self, BindRequest, Context, Handler};
/// use smpp_std::session::{Answer, Error};
/// use smpp_std::{Pdu, SubmitSmBuilder, client};
///
/// /// Takes every message and never answers.
/// struct Silent;
///
/// impl Handler for Silent {
///     async fn bind(&self, _cx: &Context, _bind: &BindRequest) -> CommandStatus {
///         CommandStatus::ESME_ROK
///     }
///
///     async fn request(&self, _cx: &Context, _pdu: Pdu) -> Answer {
///         core::future::pending().await
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let (esme_side, mc_side) = tokio::io::duplex(64 * 1024);
/// tokio::spawn(server::serve(mc_side, Config::mc(), Arc::new(Silent)));
/// let timers = Timers { response_timer: Duration::from_millis(100), ..Timers::DEFAULT };
/// let config = Config::esme(BindType::Transmitter).with_timers(timers);
/// let (esme, _incoming) = client::bind(esme_side, config).await?;
///
/// let submit = || SubmitSmBuilder::new(0).destination_addr("447700900123").build();
/// let late = esme.submit_sm(submit()?).await.unwrap_err();
/// assert!(matches!(late, Error::Timeout { command_id: CommandId::SUBMIT_SM, .. }));
/// assert!(late.may_have_been_received()); // sending it again may duplicate it
/// assert_eq!(late.command_status(), None); // no status came
///
/// esme.close();
/// assert_eq!(esme.closed().await, CloseReason::Local);
/// let after = esme.submit_sm(submit()?).await.unwrap_err();
/// assert!(matches!(after, Error::Closed(CloseReason::Local)));
/// assert!(!after.may_have_been_received()); // never sent: safe to send elsewhere
/// # Ok(())
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Connecting, or the first read or write, failed.
    #[error("I/O error: {0}")]
    Io(#[from] io::Error),
    /// The MC answered the bind with this `command_status`
    /// (`ESME_RINVPASWD`, `ESME_RINVSYSID`, `ESME_RBINDFAIL`, ...); the
    /// connection is closed.
    #[error("bind refused with {0}")]
    BindRefused(CommandStatus),
    /// The request got no response within the `response_timer`; its
    /// window slot is free again, and a late response is ignored.
    #[error("no response to {command_id} (sequence {sequence_number}) within the response_timer")]
    Timeout {
        /// The request's `command_id`.
        command_id: CommandId,
        /// The request's `sequence_number`.
        sequence_number: u32,
    },
    /// The session closed (or was closing, or the peer ended its side of
    /// the connection) before the request was written: nothing of it left
    /// this side, so sending it again cannot duplicate it. Also the answer
    /// to every call once the session is closed.
    #[error("session closed: {0}")]
    Closed(CloseReason),
    /// The request was written (in whole or in part), but the session
    /// closed, or the peer ended its side of the connection, before its
    /// response came: the peer may have it, and act on it. Sending it again
    /// may duplicate it.
    #[error(
        "{command_id} (sequence {sequence_number}) was sent, but no response came before the session ended ({reason})"
    )]
    OutcomeUnknown {
        /// The request's `command_id`.
        command_id: CommandId,
        /// The request's `sequence_number`.
        sequence_number: u32,
        /// Why no response will come.
        reason: CloseReason,
    },
    /// The session refused the call and sent nothing: the operation
    /// matrix forbids the PDU in this state or for this bind
    /// ([`SessionError::NotAllowed`]), the session is unbinding, the PDU is
    /// larger than the transmit queue, ...
    #[error("refused: {0}")]
    Refused(#[source] SessionError),
    /// The PDU does not encode (a field breaks its rule); nothing was sent.
    #[error("cannot encode the PDU: {0}")]
    Encode(#[source] smpp_core::Error),
    /// No bound session takes the message
    /// ([`ServerHandle::deliver_to_system_id`](crate::server::ServerHandle::deliver_to_system_id),
    /// [`ServerHandle::deliver_to_address`](crate::server::ServerHandle::deliver_to_address));
    /// nothing was sent.
    #[error("no bound session takes the message")]
    NoRoute,
    /// A typed call ([`Handle::submit_sm`](super::Handle::submit_sm), ...)
    /// was given another command; nothing was sent.
    #[error("{found} given where {expected} is sent")]
    UnexpectedCommand {
        /// The command the call sends.
        expected: CommandId,
        /// The command it was given.
        found: CommandId,
    },
    /// No session was bound for as long as the request was allowed to
    /// wait for one
    /// ([`EsmeBuilder::no_session_timeout`](crate::client::EsmeBuilder::no_session_timeout)):
    /// the MC is gone, or refuses every bind. The request was never
    /// written: sending it again cannot duplicate it.
    #[error("no session bound for {0:?}: the request was not sent")]
    NoSession(Duration),
    /// The request gets no response (`alert_notification`, `outbind`, an
    /// unknown `command_id`): send it with
    /// [`Handle::alert_notification`](super::Handle::alert_notification).
    #[error("{0} gets no response")]
    NoResponse(CommandId),
}

impl Error {
    /// The outcome of `request`, whose response did not come within the
    /// `response_timer`.
    pub(crate) fn timed_out(request: &Outstanding) -> Self {
        Self::Timeout {
            command_id: request.command_id,
            sequence_number: request.sequence_number,
        }
    }

    /// The outcome of `request`, which the session gave up on when it
    /// closed for `reason` (`None`: the connection ended): unknown if any
    /// of it was `written`, else not sent (safe to send again).
    pub(crate) fn abandoned(
        request: &Outstanding,
        written: bool,
        reason: Option<CloseReason>,
    ) -> Self {
        let reason = reason.unwrap_or(CloseReason::Disconnected);
        if written {
            Self::OutcomeUnknown {
                command_id: request.command_id,
                sequence_number: request.sequence_number,
                reason,
            }
        } else {
            Self::Closed(reason)
        }
    }

    /// The `command_status` behind the error, where there is one: the
    /// bind's refusal, or the status an encoding error maps to.
    ///
    /// See the examples on [`Error`] and
    /// [`Handler`](crate::server::Handler).
    pub fn command_status(&self) -> Option<CommandStatus> {
        match self {
            Self::BindRefused(status) => Some(*status),
            Self::Encode(e) | Self::Refused(SessionError::Encode(e)) => Some(e.command_status()),
            Self::Refused(SessionError::NotAllowed { command_status, .. }) => Some(*command_status),
            _ => None,
        }
    }

    /// True when the peer may have received the request although no
    /// response came: [`Error::Timeout`] and [`Error::OutcomeUnknown`].
    /// Sending it again may duplicate it. Every other error means the
    /// request was not sent (or, for [`Error::Io`] and
    /// [`Error::BindRefused`], that there was no session to send it on).
    ///
    /// See the example on [`Error`].
    pub fn may_have_been_received(&self) -> bool {
        matches!(self, Self::Timeout { .. } | Self::OutcomeUnknown { .. })
    }

    /// The error a call gets once the session refused a request (an
    /// encoding error becomes [`Error::Encode`], a closed session
    /// [`Error::Closed`]).
    pub(crate) fn refused(e: SessionError, reason: Option<CloseReason>) -> Self {
        match e {
            SessionError::Encode(e) => Self::Encode(e),
            SessionError::Closed => Self::Closed(reason.unwrap_or(CloseReason::Disconnected)),
            other => Self::Refused(other),
        }
    }
}
