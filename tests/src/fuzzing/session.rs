//! The `session` oracle: a session engine driven by a script of frames from
//! its peer, clock ticks and application commands, with the engine's
//! invariants checked after every step.

use std::collections::{BTreeMap, BTreeSet};

use arbitrary::{Arbitrary, Unstructured};
use smpp_core::session::{
    BindType, CloseReason, Config, Event, Fixed, InboundOverflow, Millis, ProtocolError, Role,
    SequenceNumbers, Session, SessionError, Timers,
};
use smpp_core::{
    AlertNotification, Bind, BindResp, Body, COctet, CancelSm, CommandId, CommandStatus, DataSm,
    DeliverSm, Error, ErrorKind, Header, InterfaceVersion, Outbind, Pdu, QuerySm, RawBody,
    ReplaceSm, SubmitSm, Tlvs, frame_len,
};

use super::Octets;
use crate::testdata::encode;

/// The engine under test: a window of 4 and a small transmit queue, so
/// that both fill up.
type Engine = Session<Fixed<4, 1024>>;

/// One step of a [`SessionScript`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionOp<'a> {
    /// Time moves `n` × 100 ms, then `handle_timeout`.
    Tick(u8),
    /// Time moves to `poll_timeout` (if a timer runs), then
    /// `handle_timeout`.
    Timeout,
    /// The peer reads every queued PDU (`poll_transmit`).
    Flush,
    /// The socket takes `n` queued octets (`transmit_bytes` then
    /// `advance_transmit`).
    PartialFlush(u8),
    /// ESME: `bind`. MC: `accept_bind` with status 0 (`ESME_ROK`), 1
    /// (`ESME_RINVPASWD`), 2 (`ESME_RBINDFAIL`), else `ESME_ROK`.
    Bind(u8),
    /// `send_request` of a body chosen by `kind` (see [`app_request`]).
    Send(u8),
    /// The application answers the `index`-th request it holds (`mode`:
    /// 0 a response body, 1 `respond_status` with an error, 2
    /// `generic_nack`, 3 a wrong response id, refused).
    Respond(u8, u8),
    /// `unbind`.
    Unbind,
    /// The peer answers the `index`-th request the engine sent it (`mode`:
    /// 0 `ESME_ROK` with a body, 1 an error status, 2 `generic_nack`, 3 a
    /// response of another command, which leaves the request owed).
    PeerAnswer(u8, u8),
    /// The peer sends a request of `kind` (see [`peer_request`]) with
    /// `sequence_number` `seq` (0: a fresh number).
    PeerRequest(u8, u8),
    /// The peer sends the PDU `Arbitrary` builds from these octets.
    ArbitraryPdu(&'a [u8]),
    /// The peer sends these octets as one frame.
    Raw(&'a [u8]),
    /// The connection ends: 0 `close`, 1 `handle_disconnect`, else
    /// `handle_framing_error`.
    End(u8),
    /// MC: `outbind`.
    Outbind,
}

/// The input of the `session` target: a configuration octet, a window
/// octet, then operations.
///
/// Configuration bits: 0 the role (ESME, MC), 1 the version (3.4, 5.0),
/// 2-3 the bind type (transmitter, receiver, transceiver), 4 the
/// `enquire_link_timer` (3 s), 5 the `inactivity_timer` (20 s), 6 the
/// `session_init_timer` (10 s), 7 sequence numbers from 0x7FFFFFF0. The
/// window octet: the window is 1 + bits 0-1, the inbound window 1 + bits
/// 2-3; bit 6 refuses requests beyond the inbound window instead of
/// waiting.
///
/// Each operation is an octet (its number below) and its arguments:
/// 0 `Tick(n)`, 1 `Flush`, 2 `PartialFlush(n)`, 3 `Bind(status)`,
/// 4 `Send(kind)`, 5 `Respond(index, mode)`, 6 `Unbind`,
/// 7 `PeerAnswer(index, mode)`, 8 `PeerRequest(kind, seq)`,
/// 9 `ArbitraryPdu` (a length octet, then that many octets),
/// 10 `Raw` (a two-octet big-endian length, then that many octets),
/// 11 `End(how)` (0 close, 1 disconnect, 2 framing error, 3 the peer's
/// end of stream), 12 `Outbind`, 13 `Timeout`; other octets are skipped.
/// Missing arguments read as 0.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionScript<'a> {
    /// The configuration octet.
    pub config: u8,
    /// The window octet.
    pub window: u8,
    /// The operations.
    pub ops: Vec<SessionOp<'a>>,
}

impl<'a> SessionScript<'a> {
    /// Reads the layout described on [`SessionScript`]; `None` for fewer
    /// than two octets.
    pub fn parse(data: &'a [u8]) -> Option<Self> {
        let (&config, rest) = data.split_first()?;
        let (&window, rest) = rest.split_first()?;
        let mut r = Octets(rest);
        let mut ops = Vec::new();
        while !r.0.is_empty() {
            let op = match r.octet() {
                0 => SessionOp::Tick(r.octet()),
                1 => SessionOp::Flush,
                2 => SessionOp::PartialFlush(r.octet()),
                3 => SessionOp::Bind(r.octet()),
                4 => SessionOp::Send(r.octet()),
                5 => SessionOp::Respond(r.octet(), r.octet()),
                6 => SessionOp::Unbind,
                7 => SessionOp::PeerAnswer(r.octet(), r.octet()),
                8 => SessionOp::PeerRequest(r.octet(), r.octet()),
                9 => {
                    let n = r.octet();
                    SessionOp::ArbitraryPdu(r.take(usize::from(n)))
                }
                10 => {
                    let n = u16::from_be_bytes([r.octet(), r.octet()]);
                    SessionOp::Raw(r.take(usize::from(n)))
                }
                11 => SessionOp::End(r.octet()),
                12 => SessionOp::Outbind,
                13 => SessionOp::Timeout,
                _ => continue,
            };
            ops.push(op);
        }
        Some(Self {
            config,
            window,
            ops,
        })
    }

    /// The octets [`Self::parse`] reads back as this script.
    ///
    /// # Panics
    ///
    /// On an `ArbitraryPdu` longer than 255 octets or a `Raw` frame longer
    /// than 65535.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![self.config, self.window];
        for op in &self.ops {
            match *op {
                SessionOp::Tick(n) => out.extend([0, n]),
                SessionOp::Flush => out.push(1),
                SessionOp::PartialFlush(n) => out.extend([2, n]),
                SessionOp::Bind(s) => out.extend([3, s]),
                SessionOp::Send(k) => out.extend([4, k]),
                SessionOp::Respond(i, m) => out.extend([5, i, m]),
                SessionOp::Unbind => out.push(6),
                SessionOp::PeerAnswer(i, m) => out.extend([7, i, m]),
                SessionOp::PeerRequest(k, s) => out.extend([8, k, s]),
                SessionOp::ArbitraryPdu(data) => {
                    out.extend([9, u8::try_from(data.len()).expect("at most 255 octets")]);
                    out.extend_from_slice(data);
                }
                SessionOp::Raw(frame) => {
                    let len = u16::try_from(frame.len()).expect("at most 65535 octets");
                    out.push(10);
                    out.extend(len.to_be_bytes());
                    out.extend_from_slice(frame);
                }
                SessionOp::End(how) => out.extend([11, how]),
                SessionOp::Outbind => out.push(12),
                SessionOp::Timeout => out.push(13),
            }
        }
        out
    }
}

/// The configuration a script's first two octets ask for.
fn config(octet: u8, window: u8) -> Config {
    let bind_type = match (octet >> 2) & 3 {
        0 => BindType::Transmitter,
        1 => BindType::Receiver,
        _ => BindType::Transceiver,
    };
    let base = if octet & 1 == 0 {
        Config::esme(bind_type)
            .with_system_id("esme")
            .and_then(|c| c.with_password("pw"))
    } else {
        Config::mc().with_system_id("mc")
    };
    let version = if octet & 2 == 0 {
        InterfaceVersion::V34
    } else {
        InterfaceVersion::V50
    };
    let secs = |bit: u8, s: u64| (octet & bit != 0).then(|| core::time::Duration::from_secs(s));
    let timers = Timers {
        enquire_link_timer: secs(0x10, 3),
        inactivity_timer: secs(0x20, 20),
        session_init_timer: secs(0x40, 10),
        response_timer: core::time::Duration::from_secs(2),
        write_timer: None,
    };
    let first = if octet & 0x80 != 0 { 0x7FFF_FFF0 } else { 1 };
    let overflow = if window & 0x40 == 0 {
        InboundOverflow::Wait
    } else {
        InboundOverflow::Refuse
    };
    base.expect("short strings")
        .with_interface_version(version)
        .with_timers(timers)
        .with_window(1 + usize::from(window % 4))
        .with_inbound_window(1 + usize::from((window >> 2) % 4))
        .with_inbound_overflow(overflow)
        .with_first_sequence_number(first)
}

/// A request the application sends, by `kind`; some are refused by
/// `send_request` whatever the state (a response, a bind, an unknown id).
pub fn app_request(kind: u8) -> Body<&'static [u8]> {
    match kind % 11 {
        0 => Body::SubmitSm(SubmitSm {
            short_message: b"hello",
            ..SubmitSm::default()
        }),
        1 => Body::DeliverSm(DeliverSm::default()),
        2 => Body::DataSm(DataSm::default()),
        3 => Body::QuerySm(QuerySm {
            message_id: COctet::from("1"),
            ..QuerySm::default()
        }),
        4 => Body::EnquireLink,
        5 => Body::AlertNotification(AlertNotification::default()),
        6 => Body::CancelSm(CancelSm::default()),
        7 => Body::ReplaceSm(ReplaceSm::default()),
        8 => Body::GenericNack(Tlvs::EMPTY),
        9 => Body::BindTransmitter(Bind::default()),
        _ => Body::Raw(RawBody::new(CommandId(0x0001_0200), &[1, 2])),
    }
}

/// A request the peer sends, by `kind`, whatever its role would allow.
pub fn peer_request(kind: u8) -> Body<&'static [u8]> {
    let bind = |v: u8| Bind {
        system_id: COctet::from("peer"),
        interface_version: InterfaceVersion(v),
        ..Bind::default()
    };
    match kind % 13 {
        0 => app_request(0),
        1 => app_request(1),
        2 => app_request(2),
        3 => app_request(3),
        4 => Body::EnquireLink,
        5 => Body::Unbind,
        6 => Body::BindTransmitter(bind(0x34)),
        7 => Body::BindReceiver(bind(0x50)),
        8 => Body::BindTransceiver(bind(0x33)),
        9 => Body::Outbind(Outbind::default()),
        10 => app_request(5),
        11 => app_request(6),
        _ => app_request(7),
    }
}

fn header_only(command_id: CommandId, status: CommandStatus, seq: u32) -> Vec<u8> {
    Header {
        command_length: 16,
        command_id,
        command_status: status,
        sequence_number: seq,
    }
    .to_bytes()
    .to_vec()
}

/// What a script made the engine do, for checking that seeds reach every
/// part of it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionSummary {
    /// The session states seen between steps (specification names).
    pub states: BTreeSet<&'static str>,
    /// The events seen, by kind (`ProtocolError` and `Closed` with their
    /// variant, e.g. `ProtocolError::Malformed`, `Closed::Unbound`).
    pub events: BTreeSet<&'static str>,
    /// The `command_id`s of the requests the engine sent.
    pub requests_sent: BTreeSet<u32>,
    /// True if the engine sent a request numbered 1 after one numbered
    /// 0x7FFFFFFF.
    pub wrapped: bool,
}

/// The kind of an event, as [`SessionSummary::events`] records it.
pub fn event_kind(event: &Event) -> &'static str {
    match event {
        Event::BindRequest { .. } => "BindRequest",
        Event::BindResult { command_status, .. } if command_status.is_ok() => "BindResult::Ok",
        Event::BindResult { .. } => "BindResult::Refused",
        Event::Outbind { .. } => "Outbind",
        Event::IncomingRequest { .. } => "IncomingRequest",
        Event::AlertNotification { .. } => "AlertNotification",
        Event::Response { .. } => "Response",
        Event::RequestTimedOut(_) => "RequestTimedOut",
        Event::RequestAbandoned { .. } => "RequestAbandoned",
        Event::Unbound => "Unbound",
        Event::Closed(reason) => match reason {
            CloseReason::Unbound => "Closed::Unbound",
            CloseReason::Inactivity => "Closed::Inactivity",
            CloseReason::SessionInitTimeout => "Closed::SessionInitTimeout",
            CloseReason::ResponseTimeout { .. } => "Closed::ResponseTimeout",
            CloseReason::FramingError(_) => "Closed::FramingError",
            CloseReason::Local => "Closed::Local",
            CloseReason::Disconnected => "Closed::Disconnected",
            CloseReason::WriteTimeout => "Closed::WriteTimeout",
            _ => "Closed::?",
        },
        Event::ProtocolError(e) => match e {
            ProtocolError::Malformed(_) => "ProtocolError::Malformed",
            ProtocolError::NotAllowed { .. } => "ProtocolError::NotAllowed",
            ProtocolError::WindowExceeded { .. } => "ProtocolError::WindowExceeded",
            ProtocolError::DuplicateSequenceNumber { .. } => {
                "ProtocolError::DuplicateSequenceNumber"
            }
            ProtocolError::UnexpectedResponse { .. } => "ProtocolError::UnexpectedResponse",
            ProtocolError::MismatchedResponse { .. } => "ProtocolError::MismatchedResponse",
            _ => "ProtocolError::?",
        },
        _ => "?",
    }
}

/// The engine, its peer and its application, with what each has seen.
struct Harness {
    session: Engine,
    role: Role,
    now: Millis,
    /// Octets the engine transmitted that do not make a whole frame yet.
    stream: Vec<u8>,
    /// Requests the engine sent that the peer has not answered.
    peer_owes: Vec<(u32, CommandId)>,
    peer_seq: u32,
    /// Responses the engine transmitted, per `sequence_number`.
    responses: BTreeMap<u32, u32>,
    /// Frames handed to the engine that it may answer, per
    /// `sequence_number` (0 for frames without a header).
    may: BTreeMap<u32, u32>,
    /// Well-formed requests handed to the engine that must get one
    /// response, per `sequence_number`.
    must: BTreeMap<u32, u32>,
    /// The application's requests awaiting their outcome, by tag.
    sent: BTreeMap<u64, (u32, CommandId)>,
    next_tag: u64,
    /// The peer's requests the application must answer.
    incoming: Vec<(u32, CommandId)>,
    /// The application's requests given up before any octet of them left:
    /// they must never be transmitted.
    unwritten: BTreeSet<(u32, CommandId)>,
    /// The peer ended its stream: it sends nothing more.
    peer_ended: bool,
    bind_request: Option<u32>,
    closed: bool,
    last_request_seq: u32,
    summary: SessionSummary,
}

impl Harness {
    fn new(config: Config) -> Self {
        let role = config.role();
        Self {
            session: Session::new(config, Millis(0)),
            role,
            now: Millis(0),
            stream: Vec::new(),
            peer_owes: Vec::new(),
            peer_seq: 1000,
            responses: BTreeMap::new(),
            may: BTreeMap::new(),
            must: BTreeMap::new(),
            sent: BTreeMap::new(),
            next_tag: 0,
            incoming: Vec::new(),
            unwritten: BTreeSet::new(),
            peer_ended: false,
            bind_request: None,
            closed: false,
            last_request_seq: 0,
            summary: SessionSummary::default(),
        }
    }

    /// The `sequence_number`s of the application's outstanding requests.
    fn outstanding(&self) -> Vec<u32> {
        self.session
            .outstanding()
            .map(|r| r.sequence_number)
            .collect()
    }

    /// Takes every event and checks it against what the harness knows.
    fn events(&mut self) -> Vec<Event> {
        let mut all = Vec::new();
        while let Some(event) = self.session.poll_event() {
            assert!(!self.closed, "{event:?} after Closed");
            self.summary.events.insert(event_kind(&event));
            self.check_event(event);
            all.push(event);
        }
        all
    }

    fn check_event(&mut self, event: Event) {
        match event {
            Event::Response {
                request,
                command_id,
                ..
            } => {
                self.resolve(request.tag, request.sequence_number, request.command_id);
                assert!(
                    command_id == CommandId::GENERIC_NACK
                        || command_id == request.command_id.response(),
                    "{event:?}"
                );
            }
            Event::RequestTimedOut(r) => self.resolve(r.tag, r.sequence_number, r.command_id),
            Event::RequestAbandoned {
                request: r,
                written,
            } => {
                self.resolve(r.tag, r.sequence_number, r.command_id);
                let sent = self
                    .peer_owes
                    .iter()
                    .any(|&(s, id)| s == r.sequence_number && id == r.command_id);
                // Once some octets of it left, the peer may have it.
                if !written {
                    assert!(!sent, "{event:?}, but the peer received it whole");
                    self.unwritten.insert((r.sequence_number, r.command_id));
                }
            }
            Event::IncomingRequest {
                sequence_number,
                command_id,
            } => {
                assert!(command_id.expects_response(), "{event:?}");
                assert!(
                    !self.incoming.iter().any(|&(s, _)| s == sequence_number),
                    "{event:?}: the sequence_number already awaits an answer"
                );
                self.incoming.push((sequence_number, command_id));
            }
            Event::BindRequest {
                sequence_number, ..
            } => {
                assert_eq!(self.role, Role::Mc);
                assert_eq!(self.bind_request, None, "two binds pending");
                self.bind_request = Some(sequence_number);
            }
            Event::BindResult { .. } | Event::Outbind { .. } | Event::AlertNotification { .. } => {
                assert_eq!(self.role, Role::Esme, "{event:?}");
            }
            Event::Closed(_) => {
                assert!(self.session.is_closed());
                assert!(
                    self.sent.is_empty(),
                    "Closed before every request was reported: {:?}",
                    self.sent
                );
                assert_eq!(self.session.outstanding().count(), 0);
                self.closed = true;
                // The peer's requests the application held die with the
                // connection.
                let dropped = self.incoming.drain(..).map(|(s, _)| s);
                for seq in dropped.chain(self.bind_request.take()) {
                    if let Some(n) = self.must.get_mut(&seq) {
                        *n = n.saturating_sub(1);
                    }
                }
            }
            Event::Unbound | Event::ProtocolError(_) => {}
            _ => panic!("an event the oracle does not know: {event:?}"),
        }
    }

    /// One request of the application reported: it must be outstanding
    /// exactly once.
    fn resolve(&mut self, tag: u64, seq: u32, command_id: CommandId) {
        let known = self.sent.remove(&tag);
        assert_eq!(
            known,
            Some((seq, command_id)),
            "tag {tag} reported without being outstanding (lost or twice)"
        );
    }

    /// The peer reads every queued PDU.
    fn flush(&mut self) {
        let mut buf = [0u8; 1024];
        while let Some(n) = self.session.poll_transmit(&mut buf, self.now) {
            assert!(n > 0, "a buffer of TRANSMIT octets takes any PDU");
            self.stream.extend_from_slice(&buf[..n]);
        }
        self.cut();
    }

    fn partial_flush(&mut self, n: usize) {
        let bytes = self.session.transmit_bytes();
        let n = n.min(bytes.len());
        self.stream.extend_from_slice(&bytes[..n]);
        self.session.advance_transmit(n, self.now);
        self.cut();
    }

    /// Every whole frame the engine transmitted: a valid PDU, a response
    /// to something the peer sent, a request with a fresh number.
    fn cut(&mut self) {
        loop {
            let len = frame_len(&self.stream, u32::MAX)
                .unwrap_or_else(|e| panic!("the engine sent a bad command_length: {e}"));
            let Some(len) = len else { break };
            let frame: Vec<u8> = self.stream.drain(..len).collect();
            let pdu = Pdu::parse(&frame)
                .unwrap_or_else(|e| panic!("the engine sent a PDU that does not decode: {e}"));
            let seq = pdu.sequence_number;
            let id = pdu.command_id();
            if id.is_response() {
                let count = self.responses.entry(seq).or_default();
                *count += 1;
                let allowed = self.may.get(&seq).copied().unwrap_or(0);
                assert!(
                    *count <= allowed,
                    "{id} #{count} for sequence {seq}, but only {allowed} frames could be answered"
                );
            } else {
                assert!(
                    SequenceNumbers::is_valid(seq),
                    "{id} with sequence {seq:#x}"
                );
                self.summary.requests_sent.insert(id.0);
                if self.last_request_seq == SequenceNumbers::MAX && seq == SequenceNumbers::MIN {
                    self.summary.wrapped = true;
                }
                self.last_request_seq = seq;
                assert!(
                    !self.peer_owes.iter().any(|&(s, _)| s == seq),
                    "{id} reuses sequence {seq} of an outstanding request"
                );
                assert!(
                    !self.unwritten.contains(&(seq, id)),
                    "{id} {seq} was reported given up unwritten, then sent"
                );
                if id.expects_response() {
                    self.peer_owes.push((seq, id));
                }
            }
        }
    }

    /// Hands a frame to the engine, as the peer sends it.
    fn feed(&mut self, frame: &[u8]) {
        if self.peer_ended {
            return;
        }
        let mut result = self.session.handle_frame(frame, self.now);
        if matches!(result, Err(SessionError::TransmitQueueFull { .. })) {
            self.flush();
            result = self.session.handle_frame(frame, self.now);
        }
        if matches!(result, Err(SessionError::InboundWindowFull)) {
            // Back-pressure: only a request for the application waits, only
            // while the inbound window is full; the application answers
            // one, and the same frame goes in.
            let id = Header::parse(frame).map(|h| h.command_id);
            assert!(
                id.is_ok_and(|id| !id.is_response() && id != CommandId::ENQUIRE_LINK),
                "{id:?} waited for the inbound window"
            );
            assert!(
                self.incoming.len() >= self.session.inbound_window_size(),
                "the inbound window waits with {} of {} taken",
                self.incoming.len(),
                self.session.inbound_window_size()
            );
            self.flush();
            self.respond(0, 1);
            self.flush();
            result = self.session.handle_frame(frame, self.now);
        }
        let returned = match result {
            Ok(returned) => returned.map(|pdu| encode(&pdu)),
            Err(SessionError::Closed) => {
                assert!(self.session.is_closed());
                return;
            }
            Err(e) => panic!("handle_frame refused with the queues drained: {e}"),
        };
        // What the engine may answer, and must.
        let parsed = Pdu::parse(frame);
        if let Some(pdu) = &returned {
            assert_eq!(Some(&pdu[..]), parsed.as_ref().ok().map(|_| frame));
        }
        let seq = Header::parse(frame).map_or(0, |h| h.sequence_number);
        let must = match &parsed {
            Ok(pdu) if pdu.command_id().is_response() => None,
            Ok(pdu) => {
                *self.may.entry(seq).or_default() += 1;
                pdu.command_id().expects_response().then_some(seq)
            }
            Err(_) => {
                *self.may.entry(seq).or_default() += 1;
                None
            }
        };
        let duplicate = self.events().into_iter().any(|e| {
            matches!(e, Event::ProtocolError(ProtocolError::DuplicateSequenceNumber {
                sequence_number, ..
            }) if sequence_number == seq)
        });
        if let Some(seq) = must.filter(|_| !duplicate) {
            *self.must.entry(seq).or_default() += 1;
        }
    }

    fn tick(&mut self, to: Millis) {
        self.now = self.now.max(to);
        self.session.handle_timeout(self.now);
        // Nothing due is left behind, unless a PDU could not be queued.
        if let Some(due) = self.session.poll_timeout() {
            let free = 1024 - self.session.transmit_bytes().len();
            assert!(
                due > self.now || free < 16,
                "a timer due at {due} is left at {}",
                self.now
            );
        }
    }

    fn send(&mut self, kind: u8) {
        let body = app_request(kind);
        let id = body.command_id();
        let before = self.outstanding();
        let full = before.len() >= self.session.window_size();
        let tag = self.next_tag;
        match self.session.send_request(body, tag, self.now) {
            Ok(seq) => {
                assert!(SequenceNumbers::is_valid(seq));
                assert!(!before.contains(&seq), "sequence {seq} is outstanding");
                if id.expects_response() {
                    assert!(!full, "the window took more than its size");
                    self.sent.insert(tag, (seq, id));
                }
                self.next_tag += 1;
            }
            Err(SessionError::WindowFull) => assert!(full),
            Err(SessionError::NotARequest(i)) => assert!(i.is_response()),
            Err(SessionError::Reserved(i)) => assert_eq!(i, CommandId::BIND_TRANSMITTER),
            Err(_) => {}
        }
    }

    fn respond(&mut self, index: u8, mode: u8) {
        if self.incoming.is_empty() {
            let r = self
                .session
                .respond_status(0x7FFF_0000, CommandStatus::ESME_ROK, self.now);
            assert!(matches!(
                r,
                Err(SessionError::UnknownRequest(_) | SessionError::Closed)
            ));
            return;
        }
        let i = usize::from(index) % self.incoming.len();
        let (seq, id) = self.incoming[i];
        let now = self.now;
        let result = match mode % 4 {
            0 => {
                let body = Body::parse_with_status(id.response(), CommandStatus::ESME_ROK, &[])
                    .expect("an absent response body decodes");
                self.session
                    .respond(seq, CommandStatus::ESME_ROK, body, now)
            }
            1 => self
                .session
                .respond_status(seq, CommandStatus::ESME_RSYSERR, now),
            2 => self.session.respond(
                seq,
                CommandStatus::ESME_RINVCMDID,
                Body::GenericNack(Tlvs::EMPTY),
                now,
            ),
            _ => {
                let r = self.session.respond(
                    seq,
                    CommandStatus::ESME_ROK,
                    Body::EnquireLinkResp(Tlvs::EMPTY),
                    now,
                );
                assert!(
                    matches!(r, Err(SessionError::WrongResponse { .. })),
                    "{r:?}"
                );
                r
            }
        };
        match result {
            Ok(()) => {
                self.incoming.remove(i);
            }
            Err(SessionError::TransmitQueueFull { .. } | SessionError::WrongResponse { .. }) => {}
            Err(e) => panic!("respond to a pending request: {e}"),
        }
    }

    fn bind(&mut self, status: u8) {
        match self.role {
            Role::Esme => {
                let _ = self.session.bind(self.now);
            }
            Role::Mc => {
                let status = match status {
                    1 => CommandStatus::ESME_RINVPASWD,
                    2 => CommandStatus::ESME_RBINDFAIL,
                    _ => CommandStatus::ESME_ROK,
                };
                match self.session.accept_bind(status, self.now) {
                    Ok(()) => {
                        assert!(self.bind_request.take().is_some());
                    }
                    Err(SessionError::NoBindRequest) => assert!(self.bind_request.is_none()),
                    Err(SessionError::TransmitQueueFull { .. } | SessionError::Closed) => {}
                    Err(e) => panic!("accept_bind: {e}"),
                }
            }
        }
    }

    fn peer_answer(&mut self, index: u8, mode: u8) {
        if self.peer_owes.is_empty() {
            return;
        }
        let i = usize::from(index) % self.peer_owes.len();
        let (seq, id) = self.peer_owes.remove(i);
        let frame = match mode % 4 {
            0 => {
                let version = if mode & 4 == 0 { 0x34 } else { 0x50 };
                let tlv = [0x02, 0x10, 0x00, 0x01, version];
                let resp = Some(BindResp {
                    system_id: COctet::from("peer"),
                    tlvs: Tlvs::parse(&tlv).expect("sc_interface_version"),
                });
                let body = match id {
                    CommandId::BIND_TRANSMITTER => Body::BindTransmitterResp(resp),
                    CommandId::BIND_RECEIVER => Body::BindReceiverResp(resp),
                    CommandId::BIND_TRANSCEIVER => Body::BindTransceiverResp(resp),
                    _ => Body::parse_with_status(id.response(), CommandStatus::ESME_ROK, &[])
                        .expect("an absent response body decodes"),
                };
                encode(&Pdu::new(seq, body))
            }
            1 => header_only(id.response(), CommandStatus::ESME_RSYSERR, seq),
            2 => header_only(CommandId::GENERIC_NACK, CommandStatus::ESME_RINVCMDID, seq),
            _ => {
                // Still owed after a response of the wrong command.
                self.peer_owes.push((seq, id));
                let wrong = if id == CommandId::QUERY_SM {
                    CommandId::SUBMIT_SM_RESP
                } else {
                    CommandId::QUERY_SM_RESP
                };
                header_only(wrong, CommandStatus::ESME_ROK, seq)
            }
        };
        self.feed(&frame);
    }

    fn peer_request(&mut self, kind: u8, seq: u8) {
        let seq = if seq == 0 {
            self.peer_seq += 1;
            self.peer_seq
        } else {
            u32::from(seq % 16)
        };
        let frame = encode(&Pdu::new(seq, peer_request(kind)));
        self.feed(&frame);
    }

    fn end(&mut self, how: u8) {
        match how {
            0 => self.session.close(),
            1 => self.session.handle_disconnect(),
            3 => {
                // The peer half-closes: it sends nothing more, and no
                // response will come for what the application sent.
                self.session.handle_end_of_stream(self.now);
                self.peer_ended = true;
                self.events();
                assert_eq!(
                    self.session.outstanding().count(),
                    0,
                    "requests left waiting for a peer that ended"
                );
                assert!(self.sent.is_empty(), "unreported: {:?}", self.sent);
                return;
            }
            _ => {
                // The bad octets are answered with generic_nack, sequence 0.
                if !self.session.is_closed() {
                    *self.may.entry(0).or_default() += 1;
                }
                self.session
                    .handle_framing_error(Error::new(ErrorKind::CommandLengthTooShort {
                        command_length: 3,
                    }));
            }
        }
        assert!(self.session.is_closed());
    }

    fn step(&mut self, op: &SessionOp<'_>) {
        match *op {
            SessionOp::Tick(n) => self.tick(Millis(self.now.0 + u64::from(n) * 100)),
            SessionOp::Timeout => {
                if let Some(due) = self.session.poll_timeout() {
                    self.tick(due);
                }
            }
            SessionOp::Flush => self.flush(),
            SessionOp::PartialFlush(n) => self.partial_flush(usize::from(n)),
            SessionOp::Bind(status) => self.bind(status),
            SessionOp::Send(kind) => self.send(kind),
            SessionOp::Respond(index, mode) => self.respond(index, mode),
            SessionOp::Unbind => {
                let _ = self.session.unbind(self.now);
            }
            SessionOp::PeerAnswer(index, mode) => self.peer_answer(index, mode),
            SessionOp::PeerRequest(kind, seq) => self.peer_request(kind, seq),
            SessionOp::ArbitraryPdu(data) => {
                if let Ok(pdu) = Pdu::<&[u8]>::arbitrary(&mut Unstructured::new(data)) {
                    self.feed(&encode(&pdu));
                }
            }
            SessionOp::Raw(frame) => self.feed(frame),
            SessionOp::End(how) => self.end(how),
            SessionOp::Outbind => {
                let _ = self.session.outbind(self.now);
            }
        }
        self.events();
        self.check();
    }

    /// The invariants that hold between steps.
    fn check(&mut self) {
        self.summary.states.insert(self.session.state().name());
        let seqs = self.outstanding();
        assert!(seqs.len() <= self.session.window_size());
        assert!(self.session.window_size() <= 4);
        let mut unique = seqs.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), seqs.len(), "duplicate outstanding numbers");
        for r in self.session.outstanding() {
            assert_eq!(
                self.sent.get(&r.tag),
                Some(&(r.sequence_number, r.command_id)),
                "an outstanding request the application did not send"
            );
        }
        if self.session.is_closed() {
            assert_eq!(self.session.poll_timeout(), None);
        }
    }

    /// Answers what the application holds, closes, and checks that every
    /// request was reported and every request received answered.
    fn finish(mut self) -> SessionSummary {
        if !self.session.is_closed() {
            self.flush();
            if self.bind_request.is_some() {
                self.bind(0);
                self.flush();
            }
            while let Some(&(seq, _)) = self.incoming.first() {
                self.session
                    .respond_status(seq, CommandStatus::ESME_ROK, self.now)
                    .expect("room after a flush");
                self.incoming.remove(0);
                self.flush();
            }
            self.session.close();
        }
        self.events();
        self.flush();
        assert!(self.closed, "Closed was never reported");
        assert!(self.sent.is_empty(), "unreported requests: {:?}", self.sent);
        assert_eq!(self.session.poll_event(), None);
        for (seq, &n) in &self.must {
            let got = self.responses.get(seq).copied().unwrap_or(0);
            assert!(got >= n, "sequence {seq}: {n} requests, {got} responses");
        }
        self.summary
    }
}

/// Session engine: runs a [`SessionScript`] against one engine and checks,
/// after every step, that the window never holds more than its size, that
/// outstanding `sequence_number`s are unique and valid, that every event
/// concerns a request the application sent (each reported exactly once:
/// answered, timed out or abandoned) and that `Closed` comes last; that
/// every transmitted PDU decodes, answers a frame that could be answered
/// (never twice), and that no timer is left due. At the end it answers
/// what the application holds and closes: every request must have been
/// reported, and every well-formed request received answered.
///
/// # Panics
///
/// When an invariant breaks.
pub fn session(data: &[u8]) {
    session_summary(data);
}

/// Runs [`session`] and says what the script made the engine do; `None`
/// for an input too short to be a script.
///
/// # Panics
///
/// When an invariant breaks.
pub fn session_summary(data: &[u8]) -> Option<SessionSummary> {
    let script = SessionScript::parse(data)?;
    let mut harness = Harness::new(config(script.config, script.window));
    for op in &script.ops {
        harness.step(op);
    }
    Some(harness.finish())
}
