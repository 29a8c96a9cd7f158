//! Sans-I/O SMPP sessions: the bind state machine, `sequence_number`
//! allocation, the request window and the session timers (SMPP v5.0 2.3 to
//! 2.8; v3.4 2.2 to 2.7), for the ESME and the MC side.
//!
//! [`Session`] holds one session and does no I/O and reads no clock. Octets
//! and the current time go in through `handle_*` calls; octets to send,
//! the next timer and events for the application come out through
//! `poll_*` calls. The same engine runs under a blocking loop, an async
//! task, a test that moves time by hand, or firmware, and the same inputs
//! always give the same outputs. Nothing allocates: the window, the
//! transmit queue and the event queue have fixed capacities, and a call
//! that finds no room is refused with a [`SessionError`] instead of
//! dropping anything.
//!
//! The pieces also work alone: [`SequenceNumbers`] allocates
//! `sequence_number`s, [`check`] is the operation matrix (which PDU each
//! side may send in which state), [`Window`] tracks outstanding requests.
//!
//! # A session in a few calls
//!
//! An ESME and an MC wired to each other in memory: what one transmits,
//! the other handles.
//!
//! ```
//! use smpp_core::session::{BindType, Config, Event, Millis, Session};
//! use smpp_core::{Body, COctet, CommandStatus, SubmitSm, SubmitSmResp, Tlvs};
//!
//! /// Moves every queued PDU of `from` into `to`; returns the PDUs `to`
//! /// handed back to the application (as octets, to read after the call).
//! fn pump(from: &mut Session, to: &mut Session, now: Millis) -> usize {
//!     let mut frames = 0;
//!     let mut buf = [0u8; 4096];
//!     while let Some(n) = from.poll_transmit(&mut buf, now) {
//!         let mut rest = &buf[..n];
//!         while let Ok(Some(len)) = smpp_core::frame_len(rest, 4096) {
//!             let (frame, tail) = rest.split_at(len);
//!             to.handle_frame(frame, now).expect("room for the frame");
//!             frames += 1;
//!             rest = tail;
//!         }
//!     }
//!     frames
//! }
//!
//! let now = Millis(0);
//! let esme_config = Config::esme(BindType::Transceiver)
//!     .with_system_id("esme")?
//!     .with_password("secret")?;
//! let mc_config = Config::mc().with_system_id("mc")?;
//! let mut esme: Session = Session::new(esme_config, now);
//! let mut mc: Session = Session::new(mc_config, now);
//!
//! // Bind: the MC's application decides.
//! esme.bind(now)?;
//! pump(&mut esme, &mut mc, now);
//! assert!(matches!(mc.poll_event(), Some(Event::BindRequest { .. })));
//! mc.accept_bind(CommandStatus::ESME_ROK, now)?;
//! pump(&mut mc, &mut esme, now);
//! assert!(matches!(
//!     esme.poll_event(),
//!     Some(Event::BindResult { command_status: CommandStatus::ESME_ROK, .. })
//! ));
//!
//! // submit_sm, tagged 7 by the application.
//! let submit = SubmitSm {
//!     source_addr: COctet::from("1234"),
//!     destination_addr: COctet::from("447700900123"),
//!     short_message: &b"Hello"[..],
//!     ..SubmitSm::default()
//! };
//! let seq = esme.send_request(Body::SubmitSm(submit), 7, now)?;
//!
//! // The MC reads the request from the frame it handles and answers it.
//! let mut buf = [0u8; 4096];
//! let n = esme.poll_transmit(&mut buf, now).unwrap();
//! let pdu = mc.handle_frame(&buf[..n], now)?.expect("a request to answer");
//! let Body::SubmitSm(sm) = pdu.body else { panic!("not a submit_sm") };
//! assert_eq!(sm.short_message, b"Hello");
//! assert_eq!(
//!     mc.poll_event(),
//!     Some(Event::IncomingRequest { sequence_number: seq, command_id: pdu.command_id() })
//! );
//! let resp = SubmitSmResp { message_id: COctet::from("msg-1"), tlvs: Tlvs::EMPTY };
//! mc.respond(seq, CommandStatus::ESME_ROK, Body::SubmitSmResp(Some(resp)), now)?;
//!
//! // The ESME gets the response with its tag, and the message_id.
//! let n = mc.poll_transmit(&mut buf, now).unwrap();
//! let resp = esme.handle_frame(&buf[..n], now)?.expect("the response");
//! let Some(Event::Response { request, command_status, .. }) = esme.poll_event() else {
//!     panic!("no response event")
//! };
//! assert_eq!((request.tag, command_status), (7, CommandStatus::ESME_ROK));
//! assert!(matches!(resp.body, Body::SubmitSmResp(Some(r)) if r.message_id.as_bytes() == b"msg-1"));
//!
//! // Unbind; both sides close.
//! esme.unbind(now)?;
//! pump(&mut esme, &mut mc, now);
//! pump(&mut mc, &mut esme, now);
//! assert_eq!(esme.poll_event(), Some(Event::Unbound));
//! assert!(matches!(esme.poll_event(), Some(Event::Closed(_))));
//! assert_eq!(mc.poll_event(), Some(Event::Unbound));
//! mc.handle_disconnect(); // the ESME closed the connection
//! assert!(matches!(mc.poll_event(), Some(Event::Closed(_))));
//! # Ok::<(), Box<dyn core::error::Error>>(())
//! ```
//!
//! # Driving a session
//!
//! The driver owns the connection and a clock; the session owns the
//! protocol. One loop serves a blocking program and an async task alike:
//!
//! 1. **Frames in.** Cut frames from the received octets with
//!    [`frame_len`](crate::frame_len) (or `smpp-std`'s frame decoder) and
//!    give each to [`Session::handle_frame`] with the current time. Read
//!    the PDU it returns, if any, before the frame's buffer is reused: it
//!    borrows the frame. A framing error (a `command_length` out of bounds)
//!    goes to [`Session::handle_framing_error`], which queues the
//!    `generic_nack` and closes the session.
//! 2. **Events out.** After every input, take every [`Session::poll_event`]
//!    and act: answer [`Event::IncomingRequest`] with
//!    [`Session::respond`], a bind with [`Session::accept_bind`], release
//!    waiting work on [`Event::Response`], retry or fail on
//!    [`Event::RequestTimedOut`], stop on [`Event::Closed`].
//! 3. **Commands.** The application calls [`Session::bind`],
//!    [`Session::send_request`], [`Session::respond`],
//!    [`Session::unbind`] at any time. [`SessionError::WindowFull`] means
//!    wait for the next response or timeout event; a full transmit queue
//!    means write first.
//! 4. **Octets out.** Write what [`Session::poll_transmit`] gives (whole
//!    PDUs), or write from [`Session::transmit_bytes`] and call
//!    [`Session::advance_transmit`] with what the socket took (partial
//!    writes are fine), until nothing is left.
//! 5. **Wait.** Sleep until octets arrive, the application has work, or
//!    [`Session::poll_timeout`] passes; at the timeout call
//!    [`Session::handle_timeout`], then go back to step 2.
//!
//! When the connection ends, call [`Session::handle_disconnect`]. After
//! [`Event::Closed`], write what is still queued (a last response) and
//! close the connection.
//!
//! A sketch of a tokio task (the `frames`, `write_all` and `clock.now()`
//! of your connection and clock). `out` has the storage's `TRANSMIT`
//! octets, so that every queued PDU fits it (`poll_transmit` gives
//! `Some(0)` for a PDU larger than `out`). A frame the session refuses
//! for now is kept and given again, and nothing more is read meanwhile:
//! with the default [`InboundOverflow::Wait`], that is how a peer with
//! more requests in flight than the inbound window is slowed down, so the
//! refusal must not end the task.
//!
//! ```text
//! let mut out = [0u8; 4096]; // Fixed<16, 4096>, the default storage
//! let mut pending = None;
//! loop {
//!     while let Some(event) = session.poll_event() { handle(event, &mut session) }
//!     while let Some(n) = session.poll_transmit(&mut out, clock.now()) { socket.write_all(&out[..n]).await? }
//!     if session.is_closed() { break }
//!     if let Some(frame) = pending.take() {
//!         match session.handle_frame(&frame, clock.now()) {
//!             Ok(pdu) => { read(pdu); continue }
//!             Err(SessionError::Closed) => break,
//!             // Still refused: wait for a command (an answer) or a timer.
//!             Err(_) => pending = Some(frame),
//!         }
//!     }
//!     let deadline = session.poll_timeout();
//!     tokio::select! {
//!         frame = frames.next(), if pending.is_none() => match frame {
//!             Some(Ok(frame)) => match session.handle_frame(&frame, clock.now()) {
//!                 Ok(pdu) => read(pdu),
//!                 Err(SessionError::Closed) => break,
//!                 // The inbound window, event or transmit queue is full.
//!                 Err(_) => pending = Some(frame),
//!             },
//!             Some(Err(framing)) => session.handle_framing_error(framing),
//!             None => session.handle_disconnect(),
//!         },
//!         command = commands.recv() => run(command, &mut session, clock.now()),
//!         _ = sleep_until(deadline) => session.handle_timeout(clock.now()),
//!     }
//! }
//! ```
//!
//! # What the engine does by itself
//!
//! - Answers `enquire_link` with `enquire_link_resp`, in every state.
//! - Sends `enquire_link` when a bound session has received nothing for the
//!   `enquire_link_timer`, and closes the session
//!   ([`CloseReason::ResponseTimeout`]) if no response comes within the
//!   `response_timer`.
//! - Answers `unbind` with `unbind_resp` and goes `UNBOUND`
//!   ([`Event::Unbound`]); the side that sent `unbind` closes when the
//!   `unbind_resp` arrives. An `UNBOUND` session waits up to the
//!   `response_timer` for the peer to close the connection, then closes.
//! - Unbinds a bound session that exchanged no request or response other
//!   than `enquire_link` for the `inactivity_timer`
//!   ([`CloseReason::Inactivity`]), and closes a session still unbound
//!   after the `session_init_timer` ([`CloseReason::SessionInitTimeout`]).
//! - Refuses PDUs the state does not allow, with the status of the
//!   operation matrix ([`check`]): `ESME_RINVBNDSTS` in the request's own
//!   response (`ESME_RALYBND` for a bind on a bound session),
//!   `generic_nack` for `outbind` and `alert_notification`.
//! - Answers a frame that does not decode as [`Error::reply`](crate::Error::reply)
//!   says: `generic_nack` for a header error (`ESME_RINVCMDLEN`,
//!   `ESME_RINVCMDID`), the request's response with the field's status for
//!   a body error (`ESME_RINVSRCADR`, ...). A response with a bad body is
//!   not answered.
//! - Leaves requests beyond the inbound window (more of the peer's
//!   requests awaiting the application than the window allows) unread
//!   ([`SessionError::InboundWindowFull`], the default
//!   [`InboundOverflow::Wait`]), or answers them with `ESME_RTHROTTLED`
//!   (MC) or `ESME_RX_T_APPN` (ESME) under [`InboundOverflow::Refuse`].
//! - Matches responses to requests by `sequence_number` and checks that
//!   the response is the request's (`generic_nack` answers any request).
//!   `sequence_number`s of outstanding requests are never reused, also
//!   across the wrap from 0x7FFFFFFF to 1.
//!
//! # Versions
//!
//! The operation matrix of the session's [`Version`] applies: this side's
//! version until bound, then the lower of both sides'. An ESME learns the
//! MC's version from `sc_interface_version` in the bind response (absent:
//! v3.4); an MC from the bind's `interface_version`, and it sends
//! `sc_interface_version` only to ESMEs of v3.4 or later (a v3.3 peer
//! must not receive TLVs).
//!
//! ## Liberal reception
//!
//! [`check`] is the matrix as written. The engine accepts two more things
//! from the peer, as the specification data recommends:
//!
//! - `enquire_link` in every state (v3.4 requires a bound state; v5.0
//!   allows it everywhere);
//! - `replace_sm` from a v3.4 transceiver (v3.4's matrix lists
//!   `BOUND_TX` only, but a transceiver may use every transmitter
//!   operation, and v5.0 lists `BOUND_TRX`).
//!
//! It sends by the matrix, with the same reading of `replace_sm` on a
//! v3.4 transceiver.
//!
//! # Outbind
//!
//! An MC that connects to an ESME calls [`Session::outbind`]; under v5.0
//! its session goes `OUTBOUND`. The ESME's session reports
//! [`Event::Outbind`] (going `OUTBOUND` under v5.0, staying `OPEN` under
//! v3.4, which has no such state) and the application binds with
//! [`Session::bind`], as a receiver or transceiver, or closes the
//! connection to refuse.
//!
//! # Responses in any state
//!
//! A response answers a request that was allowed when it came, so the
//! engine takes responses to its outstanding requests, and lets the
//! application answer the peer's requests, in every state but `CLOSED`
//! (after an `unbind` came in, for example). When the session closes, the
//! peer's requests still unanswered are dropped with the connection.

mod clock;
mod config;
mod engine;
mod sequence;
mod state;
mod storage;
mod transmit;
mod window;

pub use clock::Millis;
pub use config::{Config, InboundOverflow, Timers};
pub use engine::{CloseReason, Event, ProtocolError, Session, SessionError};
pub use sequence::SequenceNumbers;
pub use state::{
    BindType, Direction, Refusal, Role, SessionState, StateSet, Version, allowed_states, check,
};
#[cfg(feature = "alloc")]
pub use storage::Heap;
pub use storage::{Fixed, Storage};
pub use window::{Matched, Outstanding, Window, WindowError};
