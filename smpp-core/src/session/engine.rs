//! The session engine: one SMPP session, either side, without I/O.

use core::fmt;

use crate::command_id::CommandId;
use crate::command_status::CommandStatus;
use crate::error::{Error, ErrorKind};
use crate::header::Header;
use crate::pdu::{Bind, BindResp, Body, Outbind, Pdu};
use crate::tlv::{TlvTag, Tlvs};
use crate::types::COctet;
use crate::values::InterfaceVersion;

use super::clock::Millis;
use super::config::{Config, InboundOverflow};
use super::sequence::SequenceNumbers;
use super::state::{BindType, Direction, Refusal, Role, SessionState, Version, check};
use super::storage::{Fixed, List, Storage};
use super::transmit::{NoRoom, TransmitQueue};
use super::window::{Matched, Outstanding, Window};

/// Events the engine queues at most; one input queues at most
/// [`EVENTS_PER_INPUT`] of them (see [`Session::poll_event`]).
const EVENTS: usize = 8;

/// Events one `handle_*` call may queue; an input that finds fewer free
/// slots is refused with [`SessionError::EventQueueFull`].
const EVENTS_PER_INPUT: usize = 2;

/// Octets of the transmit queue kept free for the engine's own PDUs when
/// the application queues a request or a response.
const RESERVE: usize = 64;

/// The smallest transmit queue a session accepts.
const MIN_TRANSMIT: usize = 256;

/// The longest answer the engine queues by itself: a header and an empty
/// `message_id`.
const REPLY_LEN: usize = Header::LEN + 1;

/// True for a request that goes to the application and awaits its answer
/// (not a response, nor a PDU the engine deals with alone: `enquire_link`,
/// `unbind`, binds, `outbind`, `alert_notification`).
fn for_the_application(command_id: CommandId) -> bool {
    !command_id.is_response()
        && BindType::from_command_id(command_id).is_none()
        && !matches!(
            command_id,
            CommandId::ENQUIRE_LINK
                | CommandId::UNBIND
                | CommandId::OUTBIND
                | CommandId::ALERT_NOTIFICATION
        )
}

/// The body of a response the engine sends with a status only: an empty
/// `message_id` for `deliver_sm_resp` and `data_sm_resp` (v3.4 gives them
/// the field whatever the status; peers parse it), nothing for the others.
fn status_only_body(command_id: CommandId) -> &'static [u8] {
    match command_id {
        CommandId::DELIVER_SM_RESP | CommandId::DATA_SM_RESP => &[0],
        _ => &[],
    }
}

/// What happened in a session, for the application ([`Session::poll_event`]).
///
/// Every event is small and `Copy`. The PDU behind an event that concerns
/// a received PDU (a request to answer, a response, a bind) is the value
/// returned by the [`Session::handle_frame`] call that queued the event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// MC: an ESME asks to bind (`bind_transmitter`, `bind_receiver` or
    /// `bind_transceiver`; the body, with `system_id` and `password`, is
    /// what `handle_frame` returned). Answer with [`Session::accept_bind`].
    BindRequest {
        /// The bind's `sequence_number`.
        sequence_number: u32,
        /// How the ESME binds.
        bind_type: BindType,
        /// The ESME's `interface_version`.
        interface_version: InterfaceVersion,
    },
    /// ESME: the MC answered the bind. `ESME_ROK`: the session is bound;
    /// anything else: it stays unbound (bind again, or close).
    BindResult {
        /// How the ESME asked to bind.
        bind_type: BindType,
        /// The MC's `command_status` (`ESME_RBINDFAIL` for a
        /// `generic_nack` that carried `ESME_ROK`).
        command_status: CommandStatus,
    },
    /// ESME: the MC sent `outbind`; bind with [`Session::bind`] (or
    /// close, to refuse it).
    Outbind {
        /// The `outbind`'s `sequence_number`.
        sequence_number: u32,
    },
    /// The peer sent a request the application must answer, with
    /// [`Session::respond`] or [`Session::respond_status`] (a `deliver_sm`
    /// to an ESME, a `submit_sm` to an MC, ...).
    IncomingRequest {
        /// The request's `sequence_number`: the one to respond to.
        sequence_number: u32,
        /// The request's `command_id`.
        command_id: CommandId,
    },
    /// ESME: the MC sent `alert_notification` (it has no response).
    AlertNotification {
        /// Its `sequence_number`.
        sequence_number: u32,
    },
    /// A request sent with [`Session::send_request`] was answered.
    Response {
        /// The request (with the caller's tag); it has left the window.
        request: Outstanding,
        /// The response's `command_id`: the request's response or
        /// `generic_nack`.
        command_id: CommandId,
        /// The response's `command_status`.
        command_status: CommandStatus,
    },
    /// A request sent with [`Session::send_request`] got no response within
    /// the `response_timer`; it has left the window, and a late response
    /// is reported as [`ProtocolError::UnexpectedResponse`].
    RequestTimedOut(Outstanding),
    /// A request sent with [`Session::send_request`] will not be
    /// answered: the session closed, or the peer ended its side of the
    /// connection ([`Session::handle_end_of_stream`]), first.
    RequestAbandoned {
        /// The request; it has left the window.
        request: Outstanding,
        /// Some of its octets were written (taken from
        /// [`Session::transmit_bytes`] or [`Session::poll_transmit`]): the
        /// peer may have it, and act on it. When false, nothing of it left
        /// this side (it was taken off the transmit queue), and sending it
        /// again cannot duplicate it.
        written: bool,
    },
    /// The unbind exchange completed (either side started it): the session
    /// is `UNBOUND` or, for the side that sent `unbind`, about to close.
    Unbound,
    /// The session is closed; the last event. Queued PDUs (a final
    /// response) may still wait in [`Session::poll_transmit`]: send them,
    /// then close the connection.
    Closed(CloseReason),
    /// The peer broke the protocol; the engine answered where an answer is
    /// due and the session goes on.
    ProtocolError(ProtocolError),
}

/// Why a session closed ([`Event::Closed`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum CloseReason {
    /// The unbind exchange completed.
    Unbound,
    /// The `inactivity_timer` ran out; the engine unbound.
    Inactivity,
    /// The `session_init_timer` ran out before the session was bound.
    SessionInitTimeout,
    /// A request of the engine's own got no response within the
    /// `response_timer`: `enquire_link` (the peer is gone), a bind or
    /// `unbind`.
    ResponseTimeout {
        /// The request's `command_id`.
        command_id: CommandId,
        /// The request's `sequence_number`.
        sequence_number: u32,
    },
    /// The byte stream cannot be framed ([`Session::handle_framing_error`]).
    FramingError(Error),
    /// Octets waited to be written for the write timer
    /// ([`Timers::write_timer`](super::Timers::write_timer)) without any
    /// leaving: the peer stopped reading.
    WriteTimeout,
    /// The application closed the session ([`Session::close`]).
    Local,
    /// The connection ended ([`Session::handle_disconnect`]) while the
    /// session was not `UNBOUND`.
    Disconnected,
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Unbound => f.write_str("unbound"),
            Self::Inactivity => f.write_str("inactivity_timer expired"),
            Self::SessionInitTimeout => f.write_str("session_init_timer expired"),
            Self::ResponseTimeout {
                command_id,
                sequence_number,
            } => write!(
                f,
                "no response to {command_id} (sequence {sequence_number})"
            ),
            Self::FramingError(e) => write!(f, "framing error: {e}"),
            Self::WriteTimeout => f.write_str("the peer stopped reading (write timer expired)"),
            Self::Local => f.write_str("closed locally"),
            Self::Disconnected => f.write_str("connection lost"),
        }
    }
}

/// What the peer did wrong ([`Event::ProtocolError`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum ProtocolError {
    /// A frame that does not decode. It was answered as
    /// [`Error::reply`] says (`generic_nack` for a header error, the
    /// request's response with the error's status for a body error), except
    /// a response with a bad body: responses are never answered, and the
    /// request it was meant to answer stays outstanding.
    Malformed(Error),
    /// A PDU the session state does not allow (see
    /// [`check`](super::check)); answered with the refusal's reply, if any.
    NotAllowed {
        /// The PDU's `command_id`.
        command_id: CommandId,
        /// Its `sequence_number`.
        sequence_number: u32,
        /// The session state it came in.
        state: SessionState,
        /// The status it was answered with.
        command_status: CommandStatus,
    },
    /// A request beyond the inbound window, refused as
    /// [`InboundOverflow::Refuse`] asks: as many of the peer's requests as
    /// the inbound window allows already await the application's answer.
    /// Answered with `ESME_RTHROTTLED` (by an MC) or `ESME_RX_T_APPN` (by an
    /// ESME).
    WindowExceeded {
        /// The request's `command_id`.
        command_id: CommandId,
        /// Its `sequence_number`.
        sequence_number: u32,
        /// The status it was answered with.
        command_status: CommandStatus,
    },
    /// A request with the `sequence_number` of one that still awaits the
    /// application's answer. Not answered: a response could only be taken
    /// for the first one's.
    DuplicateSequenceNumber {
        /// The request's `command_id`.
        command_id: CommandId,
        /// The `sequence_number` in use.
        sequence_number: u32,
    },
    /// A response that answers no outstanding request (or one already
    /// timed out).
    UnexpectedResponse {
        /// The response's `command_id`.
        command_id: CommandId,
        /// Its `sequence_number`.
        sequence_number: u32,
        /// Its `command_status`.
        command_status: CommandStatus,
    },
    /// A response whose `sequence_number` is that of an outstanding request
    /// of another command; the request stays outstanding.
    MismatchedResponse {
        /// The outstanding request's `command_id`.
        request: CommandId,
        /// The response's `command_id`.
        command_id: CommandId,
        /// The `sequence_number` both carry.
        sequence_number: u32,
    },
}

impl ProtocolError {
    /// The `command_status` of the answer the engine sent to the PDU:
    /// the refusal's status, or for a malformed PDU [`Error::command_status`]
    /// (in the request's response or a `generic_nack`). `None` when
    /// nothing was sent: responses are never answered, and a request
    /// reusing the `sequence_number` of one awaiting its answer is not
    /// either.
    ///
    /// ```
    /// use smpp_core::session::{Config, Event, Millis, ProtocolError, Session};
    /// use smpp_core::CommandStatus;
    ///
    /// let mut mc: Session = Session::new(Config::mc(), Millis(0));
    /// // A submit_sm before any bind.
    /// let submit = [
    ///     0, 0, 0, 33, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ///     0, 0, 0, 0, 0,
    /// ];
    /// mc.handle_frame(&submit, Millis(0))?;
    /// let Some(Event::ProtocolError(error)) = mc.poll_event() else { panic!("no error") };
    /// assert_eq!(error.answer_status(), Some(CommandStatus::ESME_RINVBNDSTS));
    /// // A response to a request never sent is not answered.
    /// let resp = [0, 0, 0, 16, 0x80, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 9];
    /// mc.handle_frame(&resp, Millis(0))?;
    /// let Some(Event::ProtocolError(error)) = mc.poll_event() else { panic!("no error") };
    /// assert!(matches!(error, ProtocolError::UnexpectedResponse { .. }));
    /// assert_eq!(error.answer_status(), None);
    /// # Ok::<(), Box<dyn core::error::Error>>(())
    /// ```
    pub fn answer_status(&self) -> Option<CommandStatus> {
        match *self {
            Self::Malformed(error) => answers_malformed(&error).then(|| error.command_status()),
            Self::NotAllowed { command_status, .. }
            | Self::WindowExceeded { command_status, .. } => Some(command_status),
            Self::DuplicateSequenceNumber { .. }
            | Self::UnexpectedResponse { .. }
            | Self::MismatchedResponse { .. } => None,
        }
    }
}

/// True if the engine answers a PDU that failed to decode with `error`
/// (as [`Error::reply`] says): a header error always, a body error unless
/// the PDU is a response.
fn answers_malformed(error: &Error) -> bool {
    error.kind().is_header_error() || error.header().is_none_or(|h| !h.command_id.is_response())
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Malformed(e) => write!(f, "malformed PDU: {e}"),
            Self::NotAllowed {
                command_id,
                sequence_number,
                state,
                command_status,
            } => write!(
                f,
                "{command_id} (sequence {sequence_number}) is not allowed in {state}: answered {command_status}"
            ),
            Self::WindowExceeded {
                command_id,
                sequence_number,
                command_status,
            } => write!(
                f,
                "{command_id} (sequence {sequence_number}) beyond the inbound window: answered {command_status}"
            ),
            Self::DuplicateSequenceNumber {
                command_id,
                sequence_number,
            } => write!(
                f,
                "{command_id} reuses sequence {sequence_number} of a request still awaiting its answer"
            ),
            Self::UnexpectedResponse {
                command_id,
                sequence_number,
                command_status,
            } => write!(
                f,
                "{command_id} ({command_status}, sequence {sequence_number}) answers no outstanding request"
            ),
            Self::MismatchedResponse {
                request,
                command_id,
                sequence_number,
            } => write!(
                f,
                "{command_id} does not answer {request} (sequence {sequence_number})"
            ),
        }
    }
}

impl core::error::Error for ProtocolError {}

/// Why a call was refused. Nothing changed in the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SessionError {
    /// The session is closed.
    Closed,
    /// The call belongs to the other side (`bind` to the ESME,
    /// `accept_bind` and `outbind` to the MC).
    WrongRole(Role),
    /// The operation matrix does not allow sending this PDU in this state.
    NotAllowed {
        /// The session state.
        state: SessionState,
        /// The PDU's `command_id`.
        command_id: CommandId,
        /// What the peer would answer (`ESME_RINVBNDSTS`, `ESME_RINVCMDID`
        /// for a `command_id` the version does not define, ...).
        command_status: CommandStatus,
    },
    /// [`Session::send_request`] was given a response.
    NotARequest(CommandId),
    /// [`Session::send_request`] was given a bind, `unbind` or `outbind`:
    /// they change the session state and have calls of their own.
    Reserved(CommandId),
    /// A bind is already waiting for its answer.
    BindInProgress,
    /// `unbind` was sent: no new request may follow.
    Unbinding,
    /// The window is full: wait for a response or a timeout.
    WindowFull,
    /// The transmit queue has no room for the PDU (and, for the
    /// application's PDUs, the octets kept for the engine's own): send
    /// what [`Session::poll_transmit`] gives, then try again. A PDU larger
    /// than the session's `TRANSMIT` capacity never fits.
    TransmitQueueFull {
        /// Octets needed.
        needed: usize,
        /// Octets free.
        available: usize,
    },
    /// The event queue is full: take events with [`Session::poll_event`],
    /// then give the same input again.
    EventQueueFull,
    /// The frame is a request for the application, and the inbound window
    /// is full ([`InboundOverflow::Wait`]): give the same frame again once
    /// the application answered a request, and read nothing more from the
    /// connection meanwhile.
    InboundWindowFull,
    /// The peer ended its side of the connection
    /// ([`Session::handle_end_of_stream`]): it takes no new request.
    EndOfStream,
    /// No request of the peer with this `sequence_number` awaits an
    /// answer.
    UnknownRequest(u32),
    /// The response does not answer the request.
    WrongResponse {
        /// The request's response `command_id`.
        expected: CommandId,
        /// The `command_id` given.
        command_id: CommandId,
    },
    /// [`Session::accept_bind`] without a bind to answer.
    NoBindRequest,
    /// The PDU does not encode.
    Encode(Error),
}

impl fmt::Display for SessionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Self::Closed => f.write_str("the session is closed"),
            Self::WrongRole(role) => write!(f, "not a call for the {role:?} side"),
            Self::NotAllowed {
                state,
                command_id,
                command_status,
            } => write!(
                f,
                "{command_id} is not allowed in {state} ({command_status})"
            ),
            Self::NotARequest(id) => write!(f, "{id} is not a request"),
            Self::Reserved(id) => write!(f, "{id} has a call of its own"),
            Self::BindInProgress => f.write_str("a bind is in progress"),
            Self::Unbinding => f.write_str("the session is unbinding"),
            Self::WindowFull => f.write_str("the window is full"),
            Self::TransmitQueueFull { needed, available } => write!(
                f,
                "the transmit queue has {available} octets free, {needed} are needed"
            ),
            Self::EventQueueFull => f.write_str("the event queue is full"),
            Self::InboundWindowFull => f.write_str("the inbound window is full"),
            Self::EndOfStream => f.write_str("the peer ended its side of the connection"),
            Self::UnknownRequest(n) => write!(f, "no request with sequence_number {n} awaits"),
            Self::WrongResponse {
                expected,
                command_id,
            } => write!(
                f,
                "{command_id} does not answer the request ({expected} does)"
            ),
            Self::NoBindRequest => f.write_str("no bind to answer"),
            Self::Encode(e) => write!(f, "encoding: {e}"),
        }
    }
}

impl core::error::Error for SessionError {}

impl From<NoRoom> for SessionError {
    fn from(e: NoRoom) -> Self {
        Self::TransmitQueueFull {
            needed: e.needed,
            available: e.available,
        }
    }
}

/// A request of the engine's own (bind, `enquire_link`, `unbind`) awaiting
/// its response.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Control {
    sequence_number: u32,
    command_id: CommandId,
    deadline: Millis,
}

/// A request of the peer awaiting the application's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Unanswered {
    sequence_number: u32,
    command_id: CommandId,
}

/// MC: a bind awaiting [`Session::accept_bind`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct PeerBind {
    sequence_number: u32,
    bind_type: BindType,
    interface_version: InterfaceVersion,
}

/// True if `response` answers a request of `request`.
fn answers(request: CommandId, response: CommandId) -> bool {
    response == CommandId::GENERIC_NACK || response == request.response()
}

/// One SMPP session, ESME or MC side, as a deterministic state machine
/// without I/O: octets and time go in, octets, timers and events come out.
///
/// `S` says where it keeps what it holds ([`Storage`]): [`Fixed`] arrays
/// inside the session (the default, `Fixed<16, 4096>`; nothing is
/// allocated) or the [`Heap`](super::Heap) (feature `alloc`, grown as
/// used). Its `WINDOW` caps both windows ([`Config::with_window`],
/// [`Config::with_inbound_window`]); its `TRANSMIT` is the most octets of
/// encoded PDUs queued, and must hold the largest PDU the application
/// sends plus 64 octets kept for the engine's own PDUs (at least 256).
///
/// Its size (64-bit targets, `rustc` 1.95, held by a test): 5,952 octets
/// with the default `Fixed<16, 4096>`; 1,696 with `Fixed<2, 512>`, enough
/// for a small device that sends one 160-character `submit_sm` at a time
/// (the configuration, about 220 octets, and the event queue, about 520,
/// come on top of the window and the queue). With the `Heap` an idle
/// session is about 1,150 octets plus what it holds.
///
/// See the [module documentation](super) for the driving loop and a
/// complete example.
pub struct Session<S: Storage = Fixed> {
    config: Config,
    state: SessionState,
    version: Version,
    bind_type: Option<BindType>,
    sequence: SequenceNumbers,
    window: Window<S>,
    unanswered: S::List<Unanswered>,
    bind: Option<Control>,
    peer_bind: Option<PeerBind>,
    enquire_link: Option<Control>,
    unbind: Option<Control>,
    /// The reason the session closes when the unbind exchange ends.
    unbind_reason: CloseReason,
    /// When an `UNBOUND` session stops waiting for the peer to close.
    unbound_until: Millis,
    opened: Millis,
    last_received: Millis,
    last_activity: Millis,
    /// The latest time an input brought.
    now: Millis,
    /// When octets last left the transmit queue, or were queued into an
    /// empty one: the write timer runs from there while octets wait.
    transmit_since: Millis,
    /// The peer ended its side of the connection: the session closes once
    /// the application answered the peer's requests, at the latest then.
    end_of_stream: Option<Millis>,
    /// The application's requests are given up (abandoned): every one of
    /// them left in the window is reported by `poll_event`.
    abandoning: bool,
    /// This side's `unbind` was answered while the application still owed
    /// answers to requests of the peer received before: the session closes
    /// once they are given, at the latest at `unbound_until`.
    unbound_answering: bool,
    close_reason: Option<CloseReason>,
    closed_reported: bool,
    events: heapless::Deque<Event, EVENTS>,
    transmit: TransmitQueue<S>,
}

impl<S: Storage> fmt::Debug for Session<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Session")
            .field("role", &self.config.role())
            .field("state", &self.state)
            .field("version", &self.version)
            .field("outstanding", &self.window.len())
            .field("unanswered", &self.unanswered.as_slice().len())
            .field("events", &self.events.len())
            .field("transmit", &self.transmit.len())
            .field("close_reason", &self.close_reason)
            .finish_non_exhaustive()
    }
}

impl<S: Storage> Session<S> {
    /// A session on a connection established at `now` (the
    /// `session_init_timer` starts), in state `OPEN`.
    ///
    /// The storage's `WINDOW` must be at least 1 and its `TRANSMIT` at
    /// least 256; other values do not compile.
    pub fn new(config: Config, now: Millis) -> Self {
        const {
            assert!(S::WINDOW >= 1, "a session needs a window of at least 1");
            assert!(
                S::TRANSMIT >= MIN_TRANSMIT,
                "a session needs a transmit queue of at least 256 octets"
            );
        }
        Self {
            version: Version::from_interface_version(config.interface_version()),
            sequence: SequenceNumbers::starting_at(config.first_sequence_number()),
            config,
            state: SessionState::Open,
            bind_type: None,
            window: Window::new(),
            unanswered: S::List::default(),
            bind: None,
            peer_bind: None,
            enquire_link: None,
            unbind: None,
            unbind_reason: CloseReason::Unbound,
            unbound_until: now,
            opened: now,
            last_received: now,
            last_activity: now,
            now,
            transmit_since: now,
            end_of_stream: None,
            unbound_answering: false,
            abandoning: false,
            close_reason: None,
            closed_reported: false,
            events: heapless::Deque::new(),
            transmit: TransmitQueue::new(),
        }
    }

    // ---------------------------------------------------------------
    // State

    /// The configuration.
    pub const fn config(&self) -> &Config {
        &self.config
    }

    /// The side this session plays.
    pub const fn role(&self) -> Role {
        self.config.role()
    }

    /// The session state.
    pub const fn state(&self) -> SessionState {
        self.state
    }

    /// The version whose operation matrix applies: this side's until bound,
    /// then the lower of both sides' (an MC's bind response without
    /// `sc_interface_version` means v3.4).
    pub const fn version(&self) -> Version {
        self.version
    }

    /// How the session is bound, once it is.
    pub const fn bind_type(&self) -> Option<BindType> {
        self.bind_type
    }

    /// Why the session closed, once it has.
    pub const fn close_reason(&self) -> Option<CloseReason> {
        self.close_reason
    }

    /// True once the session is `CLOSED`.
    pub fn is_closed(&self) -> bool {
        self.state == SessionState::Closed
    }

    /// The application's requests awaiting a response (timed out ones
    /// until their event is taken, and after closing until each is
    /// reported abandoned).
    pub fn outstanding(&self) -> impl Iterator<Item = &Outstanding> {
        self.window.iter()
    }

    /// How many of the application's requests may await a response at
    /// once: the configured window, capped at the storage's `WINDOW`.
    pub fn window_size(&self) -> usize {
        self.config.window().min(S::WINDOW)
    }

    /// How many of the peer's requests may await the application's answer
    /// at once: the configured inbound window, capped at the storage's
    /// `WINDOW`.
    pub fn inbound_window_size(&self) -> usize {
        self.config.inbound_window().min(S::WINDOW)
    }

    /// Octets queued for sending.
    pub fn transmit_len(&self) -> usize {
        self.transmit.len()
    }

    /// True once the peer ended its side of the connection
    /// ([`Self::handle_end_of_stream`]).
    pub const fn is_end_of_stream(&self) -> bool {
        self.end_of_stream.is_some()
    }

    /// The peer's requests awaiting the application's answer, as
    /// (`sequence_number`, `command_id`).
    pub fn unanswered(&self) -> impl Iterator<Item = (u32, CommandId)> + '_ {
        let bind = self
            .peer_bind
            .map(|b| (b.sequence_number, b.bind_type.command_id()));
        bind.into_iter().chain(
            self.unanswered
                .as_slice()
                .iter()
                .map(|r| (r.sequence_number, r.command_id)),
        )
    }

    // ---------------------------------------------------------------
    // Inputs

    /// Takes one frame received from the peer (exactly one PDU, as cut by
    /// [`frame_len`](crate::frame_len)) and reacts to it: answers what the
    /// engine answers itself, matches responses with the window, and queues
    /// the events the application must see.
    ///
    /// Returns the decoded PDU when the application has something to read
    /// in it: the request of an [`Event::IncomingRequest`] or
    /// [`Event::BindRequest`], the response of an [`Event::Response`] or
    /// [`Event::BindResult`], an `outbind` or `alert_notification`. `None`
    /// when the engine dealt with the frame alone (`enquire_link`,
    /// `unbind`, a refused or malformed PDU, ...). Octets after the header
    /// of an `enquire_link` or `unbind` are ignored, as receivers are
    /// advised to: the request is answered as it is.
    ///
    /// Refused, with the frame not consumed, when the session is closed,
    /// when the event or transmit queue lacks room for what the frame may
    /// produce (take events and send queued PDUs, then give the same frame
    /// again), and when the frame is a request for the application while
    /// the inbound window is full and [`InboundOverflow::Wait`] applies
    /// ([`SessionError::InboundWindowFull`]: give the same frame again once
    /// the application answered a request).
    pub fn handle_frame<'a>(
        &mut self,
        frame: &'a [u8],
        now: Millis,
    ) -> Result<Option<Pdu<&'a [u8]>>, SessionError> {
        self.ensure_open()?;
        if self.events.capacity() - self.events.len() < EVENTS_PER_INPUT {
            return Err(SessionError::EventQueueFull);
        }
        if self.transmit.free() < REPLY_LEN {
            return Err(SessionError::TransmitQueueFull {
                needed: REPLY_LEN,
                available: self.transmit.free(),
            });
        }
        if self.config.inbound_overflow() == InboundOverflow::Wait
            && self.inbound_full()
            && Header::parse(frame).is_ok_and(|h| for_the_application(h.command_id))
        {
            return Err(SessionError::InboundWindowFull);
        }
        self.tick(now);
        self.last_received = self.last_received.max(now);
        Ok(match Pdu::parse(frame) {
            Ok(pdu) if pdu.command_id().is_response() => self.on_response(pdu, now),
            Ok(pdu) => self.on_request(pdu, now),
            Err(error) => {
                if let Some(pdu) = header_only_request(error) {
                    self.on_request(pdu, now)
                } else {
                    self.on_malformed(error);
                    None
                }
            }
        })
    }

    /// Lets time pass: call it at [`Self::poll_timeout`] (or later). Times
    /// out requests, sends `enquire_link` after the `enquire_link_timer`
    /// of silence, unbinds after the `inactivity_timer`, and closes the
    /// session when the `session_init_timer` or the response timer of the
    /// engine's own requests runs out.
    ///
    /// An `enquire_link` or `unbind` that finds the transmit queue full is
    /// sent by a later call ([`Self::poll_timeout`] stays due meanwhile):
    /// write queued PDUs before waiting.
    pub fn handle_timeout(&mut self, now: Millis) {
        if self.is_closed() {
            return;
        }
        self.tick(now);
        if self.write_deadline().is_some_and(|d| d <= now) {
            self.finish(CloseReason::WriteTimeout);
            return;
        }
        if self.end_of_stream.is_some_and(|d| d <= now) {
            self.finish(self.disconnect_reason());
            return;
        }
        self.window.expire(now);
        let controls = [self.bind, self.enquire_link, self.unbind];
        if let Some(c) = controls.into_iter().flatten().find(|c| c.deadline <= now) {
            self.finish(CloseReason::ResponseTimeout {
                command_id: c.command_id,
                sequence_number: c.sequence_number,
            });
            return;
        }
        if self.state == SessionState::Unbound && self.unbound_until <= now {
            self.finish(self.unbind_reason);
            return;
        }
        if self.session_init_deadline().is_some_and(|d| d <= now) {
            self.finish(CloseReason::SessionInitTimeout);
            return;
        }
        // Without room in the transmit queue, both wait for the next call.
        if self.inactivity_deadline().is_some_and(|d| d <= now) {
            let _ = self.start_unbind(now, CloseReason::Inactivity);
        }
        if self.enquire_link_deadline().is_some_and(|d| d <= now) {
            let _ = self.send_enquire_link(now);
        }
    }

    /// The peer closed the connection, or it failed. The session closes
    /// (with [`CloseReason::Unbound`] if it was `UNBOUND`, else
    /// [`CloseReason::Disconnected`]).
    pub fn handle_disconnect(&mut self) {
        self.finish(self.disconnect_reason());
    }

    /// The peer ended its side of the connection (a TCP half-close: end of
    /// stream on reading) and will send nothing more; this side may still
    /// write. Requests of the application still awaiting a response are
    /// given up ([`Event::RequestAbandoned`], those not written yet taken
    /// off the transmit queue), and no new one is taken
    /// ([`SessionError::EndOfStream`]). The session closes once the
    /// application answered every request of the peer already received
    /// (at most the `response_timer` from now), at once if none awaits:
    /// with [`CloseReason::Unbound`] if it was `UNBOUND`, else
    /// [`CloseReason::Disconnected`]. Send what is queued, then close the
    /// connection.
    pub fn handle_end_of_stream(&mut self, now: Millis) {
        if self.is_closed() || self.end_of_stream.is_some() {
            return;
        }
        self.tick(now);
        self.end_of_stream = Some(now + self.config.timers().response_timer);
        self.bind = None;
        self.enquire_link = None;
        if self.unbind.take().is_some() {
            // The unbind goes unanswered: the peer has gone.
            self.finish(self.unbind_reason);
            return;
        }
        self.give_up_requests();
        self.close_if_drained();
    }

    /// The byte stream cannot be framed: [`frame_len`](crate::frame_len)
    /// failed (a `command_length` out of bounds, another protocol). Queues
    /// the `generic_nack` that [`Error::reply`] gives (when there is room)
    /// and closes the session: send what [`Self::poll_transmit`] gives, then
    /// close the connection.
    pub fn handle_framing_error(&mut self, error: Error) {
        if self.is_closed() {
            return;
        }
        let reply = error.reply();
        let _ = self.queue_reply(
            CommandId::GENERIC_NACK,
            reply.command_status,
            reply.sequence_number,
            0,
        );
        self.finish(CloseReason::FramingError(error));
    }

    // ---------------------------------------------------------------
    // Application commands

    /// ESME: sends the bind of the configuration (`bind_transmitter`,
    /// `bind_receiver` or `bind_transceiver`, with its `system_id`,
    /// `password`, `system_type`, `interface_version` and address range).
    /// The answer comes as [`Event::BindResult`]. Returns the bind's
    /// `sequence_number`.
    ///
    /// Refused, with nothing sent: on the MC side
    /// ([`SessionError::WrongRole`]), while a bind awaits its answer
    /// ([`SessionError::BindInProgress`]), once bound
    /// ([`SessionError::NotAllowed`] with `ESME_RALYBND`), when the
    /// transmit queue has no room, and once closed.
    pub fn bind(&mut self, now: Millis) -> Result<u32, SessionError> {
        self.ensure_open()?;
        self.ensure_role(Role::Esme)?;
        self.tick(now);
        if self.bind.is_some() {
            return Err(SessionError::BindInProgress);
        }
        let bind_type = self.config.bind_type();
        let command_id = bind_type.command_id();
        self.ensure_allowed(command_id)?;
        let sequence_number = self.send_own(|config| {
            let bind = Bind {
                system_id: COctet::new(config.system_id()),
                password: COctet::new(config.password()),
                system_type: COctet::new(config.system_type()),
                interface_version: config.interface_version(),
                addr_ton: config.addr_ton(),
                addr_npi: config.addr_npi(),
                address_range: COctet::new(config.address_range()),
                tlvs: Tlvs::EMPTY,
            };
            match bind_type {
                BindType::Transmitter => Body::BindTransmitter(bind),
                BindType::Receiver => Body::BindReceiver(bind),
                BindType::Transceiver => Body::BindTransceiver(bind),
            }
        })?;
        self.bind = Some(self.control(sequence_number, command_id, now));
        Ok(sequence_number)
    }

    /// MC: answers the bind of [`Event::BindRequest`]. `ESME_ROK` accepts
    /// it (the session is bound; the response carries the configured
    /// `system_id` and, for a v3.4 or later ESME, `sc_interface_version`);
    /// any other status refuses it (a response without body; the session
    /// stays unbound and the ESME may bind again).
    ///
    /// Refused, with nothing sent: on the ESME side
    /// ([`SessionError::WrongRole`]), without a bind to answer
    /// ([`SessionError::NoBindRequest`]), when the transmit queue has no
    /// room, and once closed.
    pub fn accept_bind(
        &mut self,
        command_status: CommandStatus,
        now: Millis,
    ) -> Result<(), SessionError> {
        self.ensure_open()?;
        self.ensure_role(Role::Mc)?;
        let peer = self.peer_bind.ok_or(SessionError::NoBindRequest)?;
        self.tick(now);
        let accepted = command_status.is_ok();
        let own = self.config.interface_version();
        let tlv = [0x02, 0x10, 0x00, 0x01, own.0];
        let tlvs = if accepted && peer.interface_version.supports_tlvs() {
            Tlvs::parse(&tlv).unwrap_or(Tlvs::EMPTY)
        } else {
            Tlvs::EMPTY
        };
        // A copy: the response borrows it while the session queues it.
        let config = self.config.clone();
        let resp = accepted.then(|| BindResp {
            system_id: COctet::new(config.system_id()),
            tlvs,
        });
        let body = match peer.bind_type {
            BindType::Transmitter => Body::BindTransmitterResp(resp),
            BindType::Receiver => Body::BindReceiverResp(resp),
            BindType::Transceiver => Body::BindTransceiverResp(resp),
        };
        self.queue(
            &Pdu::new(peer.sequence_number, body).with_status(command_status),
            0,
        )?;
        self.peer_bind = None;
        if accepted && self.end_of_stream.is_none() {
            self.state = peer.bind_type.bound_state();
            self.bind_type = Some(peer.bind_type);
            let theirs = Version::from_interface_version(peer.interface_version);
            self.version = self.version.min(theirs);
            self.last_activity = now;
        }
        self.close_if_drained();
        Ok(())
    }

    /// MC: sends `outbind` (with the configured `system_id` and
    /// `password`) on a connection the MC opened to an ESME, asking it to
    /// bind. Under v5.0 the session goes `OUTBOUND`. Returns its
    /// `sequence_number`.
    ///
    /// Refused, with nothing sent: on the ESME side
    /// ([`SessionError::WrongRole`]), in a state other than `OPEN`
    /// ([`SessionError::NotAllowed`]), when the transmit queue has no
    /// room, and once closed.
    pub fn outbind(&mut self, now: Millis) -> Result<u32, SessionError> {
        self.ensure_open()?;
        self.ensure_role(Role::Mc)?;
        self.tick(now);
        self.ensure_allowed(CommandId::OUTBIND)?;
        let sequence_number = self.send_own(|config| {
            Body::Outbind(Outbind {
                system_id: COctet::new(config.system_id()),
                password: COctet::new(config.password()),
                tlvs: Tlvs::EMPTY,
            })
        })?;
        if self.version == Version::V50 {
            self.state = SessionState::Outbound;
        }
        self.last_activity = now;
        Ok(sequence_number)
    }

    /// Sends a request of the application (`submit_sm`, `deliver_sm`,
    /// `data_sm`, `query_sm`, ...; binds, `unbind` and `outbind` have calls
    /// of their own). It takes a slot of the window until its response
    /// ([`Event::Response`]), its timeout ([`Event::RequestTimedOut`]) or
    /// the end of the session ([`Event::RequestAbandoned`]); those events
    /// carry `tag`. Returns the `sequence_number` allocated.
    ///
    /// Refused, with nothing sent, when the state does not allow the PDU
    /// (for example before the bind completes: [`SessionError::NotAllowed`]),
    /// when the window is full ([`SessionError::WindowFull`]: wait for a
    /// response), when the PDU does not encode, when the transmit queue
    /// has no room, or once the peer ended its side of the connection.
    pub fn send_request<B: AsRef<[u8]>>(
        &mut self,
        body: Body<B>,
        tag: u64,
        now: Millis,
    ) -> Result<u32, SessionError> {
        self.ensure_open()?;
        let command_id = body.command_id();
        if command_id.is_response() {
            return Err(SessionError::NotARequest(command_id));
        }
        if BindType::from_command_id(command_id).is_some()
            || command_id == CommandId::UNBIND
            || command_id == CommandId::OUTBIND
        {
            return Err(SessionError::Reserved(command_id));
        }
        if self.unbind.is_some() {
            return Err(SessionError::Unbinding);
        }
        if self.end_of_stream.is_some() {
            return Err(SessionError::EndOfStream);
        }
        self.ensure_allowed(command_id)?;
        self.tick(now);
        let expects_response = command_id.expects_response();
        if expects_response && self.window.len() >= self.window_size() {
            return Err(SessionError::WindowFull);
        }
        let (sequence_number, next) = self.reserve_sequence_number();
        let request = Outstanding {
            sequence_number,
            command_id,
            deadline: now + self.config.timers().response_timer,
            tag,
        };
        if expects_response {
            self.window
                .insert_at(request, self.transmit.pushed())
                .map_err(|_| SessionError::WindowFull)?;
        }
        if let Err(e) = self.queue(&Pdu::new(sequence_number, body), RESERVE) {
            self.window.remove(sequence_number);
            return Err(e);
        }
        self.sequence = next;
        if command_id != CommandId::ENQUIRE_LINK {
            self.last_activity = now;
        }
        Ok(sequence_number)
    }

    /// Answers the peer's request `sequence_number` (from
    /// [`Event::IncomingRequest`]) with `body` (its response, or
    /// `generic_nack`) and `command_status`. Each request is answered once:
    /// afterwards its `sequence_number` is unknown. (A bind is answered
    /// with [`Self::accept_bind`].)
    ///
    /// Responses are sent in any state but `CLOSED` (a request accepted in
    /// a bound state may be answered after an `unbind` came in).
    pub fn respond<B: AsRef<[u8]>>(
        &mut self,
        sequence_number: u32,
        command_status: CommandStatus,
        body: Body<B>,
        now: Millis,
    ) -> Result<(), SessionError> {
        self.ensure_open()?;
        let i = self.unanswered_position(sequence_number)?;
        let expected = self
            .unanswered
            .as_slice()
            .get(i)
            .map_or(CommandId::GENERIC_NACK, |r| r.command_id.response());
        let command_id = body.command_id();
        if command_id != expected && command_id != CommandId::GENERIC_NACK {
            return Err(SessionError::WrongResponse {
                expected,
                command_id,
            });
        }
        self.tick(now);
        self.queue(
            &Pdu::new(sequence_number, body).with_status(command_status),
            RESERVE,
        )?;
        self.answered(i, now);
        Ok(())
    }

    /// Answers the peer's request `sequence_number` with its response
    /// carrying `command_status` and no other field: header only, the
    /// usual form of an error response (SMPP v5.0 3.2.1.3) and the whole of
    /// the header-only responses (`cancel_sm_resp`, `replace_sm_resp`,
    /// ...). `deliver_sm_resp` and `data_sm_resp` carry an empty
    /// `message_id` (one NUL octet) as well: v3.4 gives them that body
    /// whatever the status, and peers that parse it would otherwise fail.
    pub fn respond_status(
        &mut self,
        sequence_number: u32,
        command_status: CommandStatus,
        now: Millis,
    ) -> Result<(), SessionError> {
        self.ensure_open()?;
        let i = self.unanswered_position(sequence_number)?;
        let Some(request) = self.unanswered.as_slice().get(i).copied() else {
            return Err(SessionError::UnknownRequest(sequence_number));
        };
        self.tick(now);
        self.queue_reply(
            request.command_id.response(),
            command_status,
            sequence_number,
            RESERVE,
        )?;
        self.answered(i, now);
        Ok(())
    }

    /// Sends `unbind`: the session closes when the `unbind_resp` comes
    /// ([`Event::Unbound`], then [`Event::Closed`] with
    /// [`CloseReason::Unbound`]). No new request may be sent meanwhile;
    /// responses to outstanding requests are still taken until the
    /// `unbind_resp` comes, and requests left then are reported abandoned:
    /// to lose no answer, unbind once [`Self::outstanding`] is empty.
    /// Requests of the peer that came before the `unbind_resp` (the peer
    /// wrote them before it saw the `unbind`) are still answered: the
    /// session stays `UNBOUND` until the application answered each of them
    /// ([`Self::unanswered`]), at most the `response_timer`, then closes.
    /// Returns its `sequence_number`.
    ///
    /// Refused, with nothing sent: before the session is bound
    /// ([`SessionError::NotAllowed`] with `ESME_RINVBNDSTS`), once `unbind`
    /// was sent ([`SessionError::Unbinding`]), once the peer ended its side
    /// ([`SessionError::EndOfStream`]), when the transmit queue has no
    /// room, and once closed.
    pub fn unbind(&mut self, now: Millis) -> Result<u32, SessionError> {
        self.ensure_open()?;
        if self.unbind.is_some() {
            return Err(SessionError::Unbinding);
        }
        if self.end_of_stream.is_some() {
            return Err(SessionError::EndOfStream);
        }
        self.ensure_allowed(CommandId::UNBIND)?;
        self.tick(now);
        self.start_unbind(now, CloseReason::Unbound)
    }

    /// Closes the session at once, without unbinding
    /// ([`CloseReason::Local`]). Requests still outstanding are reported
    /// abandoned; those not written yet are taken off the transmit queue
    /// (responses stay, to be sent).
    pub fn close(&mut self) {
        self.finish(CloseReason::Local);
    }

    // ---------------------------------------------------------------
    // Outputs

    /// Moves queued PDUs, whole and in order, into `out`: as many as fit,
    /// and counts them as written at `now`. Returns the octets moved;
    /// `None` when nothing is queued, `Some(0)` when the next PDU is larger
    /// than `out` (see [`Self::next_transmit_len`]; a buffer of the
    /// storage's `TRANSMIT` octets always takes it).
    pub fn poll_transmit(&mut self, out: &mut [u8], now: Millis) -> Option<usize> {
        if self.transmit.len() == 0 {
            return None;
        }
        let moved = self.transmit.pop_into(out);
        if moved > 0 {
            self.tick(now);
            self.transmit_since = self.now;
        }
        Some(moved)
    }

    /// The octets of the next queued PDU (what is left of it after a
    /// partial [`Self::advance_transmit`]).
    pub fn next_transmit_len(&self) -> Option<usize> {
        self.transmit.next_len()
    }

    /// Every queued octet, for writing straight from the queue; follow with
    /// [`Self::advance_transmit`] by the octets written (which may end
    /// inside a PDU).
    pub fn transmit_bytes(&self) -> &[u8] {
        self.transmit.bytes()
    }

    /// Drops the first `n` queued octets: they were written at `now`.
    pub fn advance_transmit(&mut self, n: usize, now: Millis) {
        if n > 0 {
            self.transmit.advance(n);
            self.tick(now);
            self.transmit_since = self.now;
        }
    }

    /// When [`Self::handle_timeout`] is next due; `None` when no timer runs
    /// (or the session is closed). May be in the past: call
    /// `handle_timeout` at once.
    ///
    /// The timers that send a PDU (`enquire_link_timer`,
    /// `inactivity_timer`) are not due while the transmit queue lacks room
    /// for it: write first. The write timer runs meanwhile.
    pub fn poll_timeout(&self) -> Option<Millis> {
        if self.is_closed() {
            return None;
        }
        let unbound = (self.state == SessionState::Unbound).then_some(self.unbound_until);
        let controls = [self.bind, self.enquire_link, self.unbind];
        let room = self.transmit.free() >= Header::LEN;
        [
            self.window.next_deadline(),
            unbound,
            self.session_init_deadline(),
            self.enquire_link_deadline().filter(|_| room),
            self.inactivity_deadline().filter(|_| room),
            self.write_deadline(),
            self.end_of_stream,
        ]
        .into_iter()
        .chain(controls.into_iter().map(|c| c.map(|c| c.deadline)))
        .flatten()
        .min()
    }

    /// The next event, in order; `None` when there is none. Take them all
    /// after every input. Each request of the application is reported
    /// exactly once (answered, timed out or abandoned), and
    /// [`Event::Closed`] is the last event of a session.
    pub fn poll_event(&mut self) -> Option<Event> {
        if let Some(event) = self.events.pop_front() {
            return Some(event);
        }
        if let Some(request) = self.window.pop_expired() {
            return Some(Event::RequestTimedOut(request));
        }
        if self.abandoning
            && let Some((request, written)) = self.window.pop_settled()
        {
            return Some(Event::RequestAbandoned { request, written });
        }
        if self.is_closed() && !self.closed_reported {
            self.closed_reported = true;
            return self.close_reason.map(Event::Closed);
        }
        None
    }

    // ---------------------------------------------------------------
    // Internals

    fn ensure_open(&self) -> Result<(), SessionError> {
        if self.is_closed() {
            Err(SessionError::Closed)
        } else {
            Ok(())
        }
    }

    fn ensure_role(&self, role: Role) -> Result<(), SessionError> {
        if self.role() == role {
            Ok(())
        } else {
            Err(SessionError::WrongRole(self.role()))
        }
    }

    /// The operation matrix, for a PDU this side sends.
    fn ensure_allowed(&self, command_id: CommandId) -> Result<(), SessionError> {
        self.matrix(command_id, Direction::Sent)
            .map_err(|r| SessionError::NotAllowed {
                state: self.state,
                command_id,
                command_status: r.command_status,
            })
    }

    /// The operation matrix, for a request received.
    fn accepts(&self, command_id: CommandId) -> Result<(), Refusal> {
        self.matrix(command_id, Direction::Received)
    }

    /// The operation matrix with the one reading of v3.4 the module
    /// documentation describes: `replace_sm` on a v3.4 transceiver, which
    /// v3.4's table leaves out and its prose (a transceiver may use every
    /// transmitter operation) and v5.0 allow.
    fn matrix(&self, command_id: CommandId, direction: Direction) -> Result<(), Refusal> {
        let version = if self.version == Version::V34
            && self.state == SessionState::BoundTrx
            && matches!(
                command_id,
                CommandId::REPLACE_SM | CommandId::REPLACE_SM_RESP
            ) {
            Version::V50
        } else {
            self.version
        };
        check(self.role(), version, self.state, command_id, direction)
    }

    /// Queues an encoded PDU, keeping `reserve` octets free; the write
    /// timer starts if the queue was empty.
    fn queue<B: AsRef<[u8]>>(&mut self, pdu: &Pdu<B>, reserve: usize) -> Result<(), SessionError> {
        // Checked once: the write does not check the fields again.
        let command_length = pdu
            .checked_header()
            .map_err(SessionError::Encode)?
            .command_length;
        if self.transmit.len() == 0 {
            self.transmit_since = self.now;
        }
        let len = usize::try_from(command_length).unwrap_or(usize::MAX);
        self.transmit
            .push(len, reserve, |out| pdu.emit_checked(command_length, out))?
            .map_err(SessionError::Encode)
    }

    /// Queues a request of the session's own whose body `body` builds from
    /// the configuration (a bind, `outbind`) under a new `sequence_number`,
    /// which it returns.
    fn send_own(&mut self, body: impl FnOnce(&Config) -> Body<&[u8]>) -> Result<u32, SessionError> {
        let (sequence_number, next) = self.reserve_sequence_number();
        // A copy: the body borrows it while the session queues it.
        let config = self.config.clone();
        self.queue(&Pdu::new(sequence_number, body(&config)), 0)?;
        self.sequence = next;
        Ok(sequence_number)
    }

    /// Forgets the request at `i` of the unanswered ones, just answered.
    fn answered(&mut self, i: usize, now: Millis) {
        self.unanswered.swap_remove(i);
        self.last_activity = now;
        self.close_if_drained();
    }

    /// The next free `sequence_number` and the allocator past it (committed
    /// by the caller once the PDU is queued).
    fn reserve_sequence_number(&self) -> (u32, SequenceNumbers) {
        let mut numbers = self.sequence;
        loop {
            let n = numbers.allocate();
            let controls = [self.bind, self.enquire_link, self.unbind];
            let taken = self.window.contains(n)
                || controls.iter().flatten().any(|c| c.sequence_number == n);
            // At most WINDOW + 3 numbers are taken out of 2^31.
            if !taken {
                return (n, numbers);
            }
        }
    }

    fn unanswered_position(&self, sequence_number: u32) -> Result<usize, SessionError> {
        self.unanswered
            .as_slice()
            .iter()
            .position(|r| r.sequence_number == sequence_number)
            .ok_or(SessionError::UnknownRequest(sequence_number))
    }

    /// True if a request of the peer with this `sequence_number` awaits the
    /// application's answer.
    fn awaits_answer(&self, sequence_number: u32) -> bool {
        self.unanswered().any(|(n, _)| n == sequence_number)
    }

    /// Queues a PDU of the engine's making: a header and, for a response,
    /// [`status_only_body`].
    fn queue_reply(
        &mut self,
        command_id: CommandId,
        command_status: CommandStatus,
        sequence_number: u32,
        reserve: usize,
    ) -> Result<(), SessionError> {
        let body = status_only_body(command_id);
        let len = Header::LEN + body.len();
        let header = Header {
            // A header and at most one octet.
            #[allow(clippy::cast_possible_truncation)]
            command_length: len as u32,
            command_id,
            command_status,
            sequence_number,
        };
        self.mark_transmit_start();
        self.transmit
            .push(len, reserve, |out| {
                let (head, tail) = out.split_at_mut(Header::LEN);
                head.copy_from_slice(&header.to_bytes());
                tail.copy_from_slice(body);
                Ok(len)
            })?
            .map_err(SessionError::Encode)
    }

    /// Queues the engine's answer to a received PDU. `handle_frame` checked
    /// that it fits.
    fn reply(
        &mut self,
        command_id: CommandId,
        command_status: CommandStatus,
        sequence_number: u32,
    ) {
        let queued = self.queue_reply(command_id, command_status, sequence_number, 0);
        debug_assert!(queued.is_ok(), "handle_frame keeps room for one reply");
    }

    /// Takes the time an input brought.
    fn tick(&mut self, now: Millis) {
        self.now = self.now.max(now);
    }

    /// The write timer starts when octets are queued into an empty queue.
    fn mark_transmit_start(&mut self) {
        if self.transmit.len() == 0 {
            self.transmit_since = self.now;
        }
    }

    /// When the write timer runs out, while octets wait.
    fn write_deadline(&self) -> Option<Millis> {
        (self.transmit.len() > 0).then(|| self.transmit_since + self.config.timers().write_timer())
    }

    /// True when as many of the peer's requests as the inbound window
    /// allows await the application's answer.
    fn inbound_full(&self) -> bool {
        self.unanswered.as_slice().len() >= self.inbound_window_size()
    }

    /// How the session closes when the connection ends.
    fn disconnect_reason(&self) -> CloseReason {
        if self.state == SessionState::Unbound {
            self.unbind_reason
        } else {
            CloseReason::Disconnected
        }
    }

    /// No response will come for the application's requests: each is
    /// reported abandoned, with whether some of it was written; those not
    /// written are taken off the transmit queue (responses stay).
    fn give_up_requests(&mut self) {
        self.abandoning = true;
        self.window.settle_written(self.transmit.taken());
        self.transmit.retain_unsent(CommandId::is_response);
    }

    /// After the peer's end of stream: closes once nothing awaits the
    /// application's answer.
    fn close_if_drained(&mut self) {
        if self.is_closed() || !self.unanswered.as_slice().is_empty() {
            return;
        }
        if self.end_of_stream.is_some() && self.peer_bind.is_none() {
            self.finish(self.disconnect_reason());
        } else if self.unbound_answering {
            self.finish(self.unbind_reason);
        }
    }

    /// Queues an event. Every input checks first that the events it may
    /// queue fit.
    fn event(&mut self, event: Event) {
        let queued = self.events.push_back(event);
        debug_assert!(queued.is_ok(), "every input keeps room for its events");
    }

    fn protocol_error(&mut self, error: ProtocolError) {
        self.event(Event::ProtocolError(error));
    }

    fn session_init_deadline(&self) -> Option<Millis> {
        // Also while the MC's application decides a bind: a decision that
        // never comes must not keep the connection open.
        let waiting = matches!(self.state, SessionState::Open | SessionState::Outbound)
            && self.bind.is_none();
        let timer = self.config.timers().session_init_timer;
        timer.filter(|_| waiting).map(|t| self.opened + t)
    }

    fn enquire_link_deadline(&self) -> Option<Millis> {
        let due = self.state.is_bound() && self.enquire_link.is_none() && self.unbind.is_none();
        let timer = self.config.timers().enquire_link_timer;
        timer.filter(|_| due).map(|t| self.last_received + t)
    }

    fn inactivity_deadline(&self) -> Option<Millis> {
        let due = self.state.is_bound() && self.unbind.is_none();
        let timer = self.config.timers().inactivity_timer;
        timer.filter(|_| due).map(|t| self.last_activity + t)
    }

    fn send_enquire_link(&mut self, now: Millis) -> Result<(), SessionError> {
        self.enquire_link = Some(self.send_control(CommandId::ENQUIRE_LINK, now)?);
        Ok(())
    }

    fn start_unbind(&mut self, now: Millis, reason: CloseReason) -> Result<u32, SessionError> {
        let unbind = self.send_control(CommandId::UNBIND, now)?;
        self.unbind_reason = reason;
        self.unbind = Some(unbind);
        Ok(unbind.sequence_number)
    }

    /// Queues the engine's own `enquire_link` or `unbind` (a header alone).
    fn send_control(
        &mut self,
        command_id: CommandId,
        now: Millis,
    ) -> Result<Control, SessionError> {
        let (sequence_number, next) = self.reserve_sequence_number();
        self.queue_reply(command_id, CommandStatus::ESME_ROK, sequence_number, 0)?;
        self.sequence = next;
        Ok(self.control(sequence_number, command_id, now))
    }

    /// A request of the engine's own, sent at `now`: it awaits its response
    /// for the `response_timer`.
    fn control(&self, sequence_number: u32, command_id: CommandId, now: Millis) -> Control {
        Control {
            sequence_number,
            command_id,
            deadline: now + self.config.timers().response_timer,
        }
    }

    fn enter_unbound(&mut self, now: Millis) {
        self.state = SessionState::Unbound;
        self.unbound_until = now + self.config.timers().response_timer;
        self.event(Event::Unbound);
    }

    /// Closes the session. Requests of the application still in the window
    /// are reported abandoned by `poll_event`, then `Closed`.
    fn finish(&mut self, reason: CloseReason) {
        if self.is_closed() {
            return;
        }
        self.give_up_requests();
        self.state = SessionState::Closed;
        self.close_reason = Some(reason);
        self.bind = None;
        self.enquire_link = None;
        self.unbind = None;
        self.peer_bind = None;
        self.unanswered.clear();
    }

    fn on_malformed(&mut self, error: Error) {
        let header = error.header();
        let header_error = error.kind().is_header_error();
        if let Some(h) = header {
            let request = !h.command_id.is_response();
            if request && !header_error && self.awaits_answer(h.sequence_number) {
                self.protocol_error(ProtocolError::DuplicateSequenceNumber {
                    command_id: h.command_id,
                    sequence_number: h.sequence_number,
                });
                return;
            }
        }
        if answers_malformed(&error) {
            let reply = error.reply();
            self.reply(
                reply.command_id,
                reply.command_status,
                reply.sequence_number,
            );
        }
        self.protocol_error(ProtocolError::Malformed(error));
    }

    fn on_request<'a>(&mut self, pdu: Pdu<&'a [u8]>, now: Millis) -> Option<Pdu<&'a [u8]>> {
        let command_id = pdu.command_id();
        let sequence_number = pdu.sequence_number;
        if self.awaits_answer(sequence_number) {
            self.protocol_error(ProtocolError::DuplicateSequenceNumber {
                command_id,
                sequence_number,
            });
            return None;
        }
        if command_id == CommandId::ENQUIRE_LINK {
            // Answered in every state, as v5.0 allows (v3.4 asks for a
            // bound state): be liberal in what is received.
            self.reply(
                CommandId::ENQUIRE_LINK_RESP,
                CommandStatus::ESME_ROK,
                sequence_number,
            );
            return None;
        }
        if let Err(refusal) = self.accepts(command_id) {
            if let Some(reply) = refusal.reply {
                self.reply(reply, refusal.command_status, sequence_number);
            }
            self.protocol_error(ProtocolError::NotAllowed {
                command_id,
                sequence_number,
                state: self.state,
                command_status: refusal.command_status,
            });
            return None;
        }
        self.last_activity = now;
        match command_id {
            CommandId::UNBIND => {
                self.reply(
                    CommandId::UNBIND_RESP,
                    CommandStatus::ESME_ROK,
                    sequence_number,
                );
                self.enter_unbound(now);
                None
            }
            CommandId::OUTBIND => {
                if self.version == Version::V50 {
                    self.state = SessionState::Outbound;
                }
                self.event(Event::Outbind { sequence_number });
                Some(pdu)
            }
            CommandId::ALERT_NOTIFICATION => {
                self.event(Event::AlertNotification { sequence_number });
                Some(pdu)
            }
            _ => match BindType::from_command_id(command_id) {
                Some(bind_type) => self.on_bind(pdu, bind_type),
                None => self.on_application_request(pdu),
            },
        }
    }

    /// MC: a bind, allowed in this state by the matrix.
    fn on_bind<'a>(&mut self, pdu: Pdu<&'a [u8]>, bind_type: BindType) -> Option<Pdu<&'a [u8]>> {
        let sequence_number = pdu.sequence_number;
        if self.peer_bind.is_some() {
            let command_status = CommandStatus::ESME_RINVBNDSTS;
            self.reply(pdu.command_id().response(), command_status, sequence_number);
            self.protocol_error(ProtocolError::NotAllowed {
                command_id: pdu.command_id(),
                sequence_number,
                state: self.state,
                command_status,
            });
            return None;
        }
        let interface_version = match &pdu.body {
            Body::BindTransmitter(b) | Body::BindReceiver(b) | Body::BindTransceiver(b) => {
                b.interface_version
            }
            _ => InterfaceVersion::V34,
        };
        self.peer_bind = Some(PeerBind {
            sequence_number,
            bind_type,
            interface_version,
        });
        self.event(Event::BindRequest {
            sequence_number,
            bind_type,
            interface_version,
        });
        Some(pdu)
    }

    /// A request for the application to answer.
    fn on_application_request<'a>(&mut self, pdu: Pdu<&'a [u8]>) -> Option<Pdu<&'a [u8]>> {
        let command_id = pdu.command_id();
        let sequence_number = pdu.sequence_number;
        let entry = Unanswered {
            sequence_number,
            command_id,
        };
        if !self.inbound_full() && self.unanswered.push(entry).is_ok() {
            self.event(Event::IncomingRequest {
                sequence_number,
                command_id,
            });
            return Some(pdu);
        }
        let command_status = match self.role() {
            Role::Mc => CommandStatus::ESME_RTHROTTLED,
            Role::Esme => CommandStatus::ESME_RX_T_APPN,
        };
        self.reply(command_id.response(), command_status, sequence_number);
        self.protocol_error(ProtocolError::WindowExceeded {
            command_id,
            sequence_number,
            command_status,
        });
        None
    }

    fn on_response<'a>(&mut self, pdu: Pdu<&'a [u8]>, now: Millis) -> Option<Pdu<&'a [u8]>> {
        let command_id = pdu.command_id();
        let sequence_number = pdu.sequence_number;
        let own = |c: &Option<Control>| c.filter(|c| c.sequence_number == sequence_number);
        if let Some(control) = own(&self.bind)
            .or(own(&self.enquire_link))
            .or(own(&self.unbind))
        {
            if !answers(control.command_id, command_id) {
                self.protocol_error(ProtocolError::MismatchedResponse {
                    request: control.command_id,
                    command_id,
                    sequence_number,
                });
                return None;
            }
            return match control.command_id {
                CommandId::ENQUIRE_LINK => {
                    self.enquire_link = None;
                    None
                }
                CommandId::UNBIND => {
                    self.unbind = None;
                    if self.state != SessionState::Unbound {
                        self.enter_unbound(now);
                    }
                    // Requests of the peer that came before its answer
                    // (written before it saw the unbind) are answered
                    // first: closing now would leave the peer without
                    // their outcome.
                    self.unbound_answering = true;
                    self.close_if_drained();
                    None
                }
                _ => {
                    self.bind = None;
                    self.on_bind_response(&pdu, control, now);
                    Some(pdu)
                }
            };
        }
        match self.window.match_response(command_id, sequence_number) {
            Matched::Response(request) => {
                if request.command_id != CommandId::ENQUIRE_LINK {
                    self.last_activity = now;
                }
                self.event(Event::Response {
                    request,
                    command_id,
                    command_status: pdu.command_status,
                });
                Some(pdu)
            }
            Matched::Mismatch { request, response } => {
                self.protocol_error(ProtocolError::MismatchedResponse {
                    request: request.command_id,
                    command_id: response,
                    sequence_number,
                });
                None
            }
            Matched::Expired(_) | Matched::Unknown => {
                self.protocol_error(ProtocolError::UnexpectedResponse {
                    command_id,
                    sequence_number,
                    command_status: pdu.command_status,
                });
                None
            }
        }
    }

    /// ESME: the answer to the bind.
    fn on_bind_response(&mut self, pdu: &Pdu<&[u8]>, control: Control, now: Millis) {
        let Some(bind_type) = BindType::from_command_id(control.command_id) else {
            return;
        };
        let command_id = pdu.command_id();
        if command_id == CommandId::GENERIC_NACK || !pdu.command_status.is_ok() {
            let command_status = if pdu.command_status.is_ok() {
                CommandStatus::ESME_RBINDFAIL
            } else {
                pdu.command_status
            };
            self.event(Event::BindResult {
                bind_type,
                command_status,
            });
            return;
        }
        // The MC's version: sc_interface_version, absent meaning v3.4.
        let theirs = match &pdu.body {
            Body::BindTransmitterResp(Some(resp))
            | Body::BindReceiverResp(Some(resp))
            | Body::BindTransceiverResp(Some(resp)) => resp
                .tlvs
                .get(TlvTag::SC_INTERFACE_VERSION)
                .and_then(|t| t.as_u8())
                .map(InterfaceVersion),
            _ => None,
        };
        let theirs = theirs.map_or(Version::V34, Version::from_interface_version);
        self.version = self.version.min(theirs);
        self.state = bind_type.bound_state();
        self.bind_type = Some(bind_type);
        self.last_activity = now;
        self.event(Event::BindResult {
            bind_type,
            command_status: CommandStatus::ESME_ROK,
        });
    }
}

/// An `enquire_link` or `unbind` followed by octets it has no room for:
/// the header-only request itself. A receiver should ignore such octets
/// rather than fail (the codec refuses them, to stay lossless); the
/// frame was cut on `command_length` all the same.
fn header_only_request<'a>(error: Error) -> Option<Pdu<&'a [u8]>> {
    let header = error.header()?;
    if !matches!(error.kind(), ErrorKind::TrailingBytes { .. }) {
        return None;
    }
    let body = match header.command_id {
        CommandId::ENQUIRE_LINK => Body::EnquireLink,
        CommandId::UNBIND => Body::Unbind,
        _ => return None,
    };
    Some(Pdu {
        command_status: header.command_status,
        sequence_number: header.sequence_number,
        body,
    })
}

#[cfg(test)]
mod tests {
    use super::{
        Body, CommandId, CommandStatus, Config, Event, Header, Millis, Pdu, SequenceNumbers,
        Session, SessionState,
    };
    use crate::session::BindType;

    /// An ESME bound as a transmitter by a hand-made bind response.
    fn bound() -> Session<crate::session::Fixed<4, 512>> {
        let mut s = Session::new(Config::esme(BindType::Transmitter), Millis(0));
        let seq = s.bind(Millis(0)).unwrap();
        let mut out = [0u8; 512];
        s.poll_transmit(&mut out, Millis(0)).unwrap();
        let resp = Header {
            command_length: 16,
            command_id: CommandId::BIND_TRANSMITTER_RESP,
            command_status: CommandStatus::ESME_ROK,
            sequence_number: seq,
        }
        .to_bytes();
        s.handle_frame(&resp, Millis(0)).unwrap();
        assert_eq!(s.state(), SessionState::BoundTx);
        assert!(matches!(s.poll_event(), Some(Event::BindResult { .. })));
        s
    }

    #[test]
    fn answer_status_is_the_status_of_the_answer_queued() {
        let mut s = bound();
        let mut out = [0u8; 512];
        let mut feed = |s: &mut Session<crate::session::Fixed<4, 512>>, frame: &[u8]| {
            s.handle_frame(frame, Millis(0)).unwrap();
            let Some(Event::ProtocolError(error)) = s.poll_event() else {
                panic!("no protocol error")
            };
            let answer = s.poll_transmit(&mut out, Millis(0)).map(|n| {
                let pdu = Pdu::parse(&out[..n]).unwrap();
                pdu.command_status
            });
            assert_eq!(error.answer_status(), answer, "{error:?}");
            answer
        };
        // A deliver_sm cut inside its service_type: answered.
        let mut cut = Header {
            command_length: 18,
            command_id: CommandId::DELIVER_SM,
            command_status: CommandStatus::ESME_ROK,
            sequence_number: 5,
        }
        .to_bytes()
        .to_vec();
        cut.extend_from_slice(b"ab");
        assert!(feed(&mut s, &cut).is_some());
        // A submit_sm_resp with a message_id that never ends: not answered.
        let mut resp = Header {
            command_length: 16 + 70,
            command_id: CommandId::SUBMIT_SM_RESP,
            command_status: CommandStatus::ESME_ROK,
            sequence_number: 6,
        }
        .to_bytes()
        .to_vec();
        resp.extend_from_slice(&[b'a'; 70]);
        assert_eq!(feed(&mut s, &resp), None);
        // A command_id nobody defines: a header error, answered.
        let unknown = Header {
            command_length: 16,
            command_id: CommandId(0x0000_0099),
            command_status: CommandStatus::ESME_ROK,
            sequence_number: 7,
        }
        .to_bytes();
        assert_eq!(feed(&mut s, &unknown), Some(CommandStatus::ESME_RINVCMDID));
    }

    #[test]
    fn allocation_skips_numbers_still_outstanding() {
        let mut s = bound();
        let enquire = Body::<&[u8]>::EnquireLink;
        let a = s.send_request(enquire, 1, Millis(0)).unwrap();
        let b = s.send_request(enquire, 2, Millis(0)).unwrap();
        // As if 2^31 requests later the numbering came back to `a`.
        s.sequence = SequenceNumbers::starting_at(a);
        let c = s.send_request(enquire, 3, Millis(0)).unwrap();
        assert_ne!(c, a);
        assert_ne!(c, b);
        assert_eq!(c, b + 1);
        // The engine's own requests count as outstanding too.
        s.sequence = SequenceNumbers::starting_at(c);
        let unbind = s.unbind(Millis(0)).unwrap();
        assert_eq!(unbind, c + 1);
    }

    #[test]
    fn a_refused_request_consumes_no_number_and_no_slot() {
        let mut s = bound();
        let next = s.sequence.peek();
        let big = Body::SubmitSm(crate::SubmitSm {
            short_message: &[0u8; 255][..],
            ..crate::SubmitSm::default()
        });
        // 16 + 33 + 255 octets do not fit 512 minus the engine's reserve
        // once one is queued.
        s.send_request(big, 1, Millis(0)).unwrap();
        let err = s.send_request(big, 2, Millis(0)).unwrap_err();
        assert!(matches!(err, super::SessionError::TransmitQueueFull { .. }));
        assert_eq!(s.sequence.peek(), next.wrapping_add(1));
        assert_eq!(s.outstanding().count(), 1);
        let mut out = [0u8; 512];
        let n = s.poll_transmit(&mut out, Millis(0)).unwrap();
        let pdu = Pdu::parse(&out[..n]).unwrap();
        assert_eq!(pdu.sequence_number, next);
    }
}
