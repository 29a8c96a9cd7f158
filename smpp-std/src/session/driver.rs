//! The task that runs one session: moves octets between the connection and
//! the engine of `smpp-core`, commands from the application to the engine,
//! and time.
//!
//! The protocol is the engine's. The driver is one poll function whose
//! every pass either reads, writes, hands the engine a frame or a command,
//! or lets a timer run, and which returns `Pending` only once every source
//! it waits on has its waker registered: it never spins and never waits
//! for something no waker announces.
//!
//! Flow control is back-pressure at every step:
//!
//! - while the engine has as many octets queued for sending as
//!   [`HIGH_WATER`], no frame is handed to it (its answers would queue
//!   more) and no command is taken: the connection is written meanwhile;
//! - a frame the engine or the application cannot take yet (the inbound
//!   window is full, the ESME's application has not taken what waits) is
//!   held, and nothing more is read: TCP slows the peer down;
//! - octets that wait for the write timer without leaving close the
//!   session (the engine's write timer).

use core::future::{Future, poll_fn};
use core::mem::MaybeUninit;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use core::time::Duration;
use std::sync::Arc;

use smpp_core::session::{
    BindType, CloseReason, Config, Event, ProtocolError, SessionError, SessionState,
};
use smpp_core::{CommandId, CommandStatus, Header};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::sync::{mpsc, oneshot, watch};
use tokio::time::{Instant, Sleep};

use super::answer::Answer;
use super::error::Error;
use super::handle::{Command, Outgoing, Shared, WindowSlot};
use super::inbound::{Clock, Engine, HIGH_WATER, Inbound, Input, MAX_PDU, READ_AHEAD, READ_CHUNK};
use super::info::{BindInfo, BindRequest, responder_system_id};
use super::metrics::{Meter, SharedMeter};
use super::observe::Observer;
use crate::owned::{Bind, COctet, Pdu};

/// Frames handed to the engine per pass.
const FRAMES_PER_PASS: usize = 256;

/// Passes that made progress before the task yields to others.
const PASSES_PER_POLL: usize = 32;

/// How long queued octets (a last response) may take to leave once the
/// session is closed.
pub(crate) const LINGER: Duration = Duration::from_secs(2);

/// What a side does with the engine's events; the ESME and the MC differ
/// only here.
pub(crate) trait Hooks: Send + 'static {
    /// ESME: the bind was answered (bound, or refused with the status).
    fn bind_result(&mut self, result: Result<&BindInfo, CommandStatus>) {
        let _ = result;
    }

    /// MC: a bind to decide. `Some(status)` answers it now; `None` means a
    /// [`Command::Bind`] follows.
    fn bind_request(&mut self, request: BindRequest) -> Option<CommandStatus> {
        let _ = request;
        Some(CommandStatus::ESME_RBINDFAIL)
    }

    /// MC: the application accepts a bind; the server's admission may
    /// still refuse it with a status (`ESME_RBINDFAIL`, `ESME_RALYBND`).
    fn admit(&mut self) -> Result<(), CommandStatus> {
        Ok(())
    }

    /// MC: the bind was accepted.
    fn bound(&mut self) {}

    /// Whether the application can take a request of the peer now
    /// (`Pending` registers `cx` to be woken when it can).
    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let _ = cx;
        Poll::Ready(())
    }

    /// A request of the peer. `Some(answer)` answers it now; `None` means
    /// a [`Command::Respond`] follows.
    fn request(&mut self, pdu: Pdu, sequence_number: u32, command_id: CommandId) -> Option<Answer>;

    /// ESME: an `alert_notification` (no answer).
    fn alert_notification(&mut self, pdu: Pdu) {
        let _ = pdu;
    }

    /// The session is unbound (its unbind answered, or the peer's): no
    /// request of the peer comes any more.
    fn unbound(&mut self) {}

    /// ESME: the MC sent `outbind` (no answer): what to do. By default
    /// it is ignored (an ESME that connected itself expects none).
    fn outbind(&mut self, pdu: Pdu) -> OutbindDecision {
        let _ = pdu;
        OutbindDecision::Ignore
    }

    /// The peer broke the protocol; the engine answered where due.
    fn protocol_error(&mut self, error: ProtocolError) {
        let _ = error;
    }

    /// Where what went over the session is summed up too (a server's
    /// totals, an `Esme`'s), if anywhere.
    fn totals(&self) -> Option<&SharedMeter> {
        None
    }

    /// The session is closed; called before its handles learn it, so
    /// that whatever waits for that finds the books up to date.
    fn closing(&mut self) {}

    /// The session is closed.
    fn closed(&mut self, reason: CloseReason) {
        let _ = reason;
    }
}

/// What an ESME does with an MC's `outbind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum OutbindDecision {
    /// Nothing: the session stays open and unbound.
    Ignore,
    /// Binds as the configuration says.
    Bind,
    /// Closes the connection.
    Refuse,
}

/// Runs `future` at once if it completes without waiting; otherwise spawns
/// it, and `later` gets its output.
pub(crate) fn now_or_later<T: Send + 'static>(
    future: impl Future<Output = T> + Send + 'static,
    later: impl FnOnce(T) + Send + 'static,
) -> Option<T> {
    let mut future = Box::pin(future);
    let mut cx = Context::from_waker(Waker::noop());
    match future.as_mut().poll(&mut cx) {
        Poll::Ready(output) => Some(output),
        Poll::Pending => {
            tokio::spawn(async move { later(future.await) });
            None
        }
    }
}

/// Returns once the ESME or the server is told to stop (`stop` turns
/// true). The guard `wait_for` returns is not kept: it must not live across
/// an await.
pub(crate) async fn until_stopped(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|stopped| *stopped).await.is_ok();
}

/// A request of the application awaiting its response.
struct Waiting {
    reply: oneshot::Sender<Result<Pdu, Error>>,
    _permit: WindowSlot,
    /// When the request went to the engine, for its latency.
    sent: Instant,
}

/// The requests awaiting responses, by the tag the engine carries for them
/// (an index here).
#[derive(Default)]
struct Waiters {
    slots: Vec<Option<Waiting>>,
    free: Vec<usize>,
    len: usize,
}

impl Waiters {
    fn insert(&mut self, waiting: Waiting) -> u64 {
        self.len += 1;
        if let Some(i) = self.free.pop()
            && let Some(slot) = self.slots.get_mut(i)
        {
            *slot = Some(waiting);
            return i as u64;
        }
        self.slots.push(Some(waiting));
        (self.slots.len() - 1) as u64
    }

    fn take(&mut self, tag: u64) -> Option<Waiting> {
        let i = usize::try_from(tag).ok()?;
        let waiting = self.slots.get_mut(i)?.take()?;
        self.len -= 1;
        if self.len == 0 {
            // Idle again: give the memory back.
            self.slots = Vec::new();
            self.free = Vec::new();
        } else {
            self.free.push(i);
        }
        Some(waiting)
    }

    fn drain(&mut self) -> impl Iterator<Item = Waiting> + use<> {
        self.len = 0;
        self.free = Vec::new();
        core::mem::take(&mut self.slots).into_iter().flatten()
    }
}

/// A graceful unbind asked for.
#[derive(Default)]
struct Unbind {
    requested: bool,
    sent: bool,
    waiters: Vec<oneshot::Sender<Result<(), Error>>>,
}

/// The state of the connection.
struct Link {
    input: Input,
    /// Reading or writing failed: the connection is gone.
    broken: bool,
    /// Octets were written since the last flush.
    needs_flush: bool,
}

/// One session and its connection.
pub(crate) struct Driver<IO, H: Hooks> {
    io: IO,
    engine: Engine,
    hooks: H,
    shared: Arc<Shared>,
    commands: mpsc::UnboundedReceiver<Command>,
    commands_open: bool,
    waiters: Waiters,
    inbound: Inbound,
    link: Link,
    clock: Clock<Instant>,
    sleep: Pin<Box<Sleep>>,
    sleep_at: Option<Instant>,
    unbind: Unbind,
    /// MC: how the bind awaiting a decision binds, and its body.
    peer_bind: Option<(BindType, Bind)>,
    /// What went over the session since the last publish.
    meter: Meter,
    observer: Observer,
}

impl<IO, H> Driver<IO, H>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    H: Hooks,
{
    pub(crate) fn new(
        io: IO,
        config: Config,
        hooks: H,
        shared: Arc<Shared>,
        commands: mpsc::UnboundedReceiver<Command>,
    ) -> Box<Self> {
        let clock = Clock::<Instant>::start();
        let observer = Observer::new(config.role(), shared.peer_addr());
        let engine = Engine::new(config, clock.now());
        // Boxed: the futures that run it hold a pointer, not a copy each.
        Box::new(Self {
            io,
            engine,
            hooks,
            shared,
            commands,
            commands_open: true,
            waiters: Waiters::default(),
            inbound: Inbound::default(),
            link: Link {
                input: Input::Open,
                broken: false,
                needs_flush: false,
            },
            sleep: Box::pin(tokio::time::sleep_until(clock.start)),
            sleep_at: None,
            clock,
            unbind: Unbind::default(),
            peer_bind: None,
            meter: Meter::default(),
            observer,
        })
    }

    /// ESME: queues the bind of the configuration.
    pub(crate) fn bind(&mut self) -> Result<(), SessionError> {
        let now = self.clock.now();
        self.counting(|d| d.engine.bind(now)).map(|_| ())
    }

    /// MC: queues an `outbind` (the configuration's `system_id` and
    /// `password`), asking the ESME at the other end to bind.
    pub(crate) fn outbind(&mut self) -> Result<(), SessionError> {
        let now = self.clock.now();
        self.counting(|d| d.engine.outbind(now)).map(|_| ())
    }

    /// Runs the session to its end; returns why it closed.
    pub(crate) async fn run(self: Box<Self>) -> CloseReason {
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument;
            let span = self.observer.span();
            self.run_inner().instrument(span).await
        }
        #[cfg(not(feature = "tracing"))]
        self.run_inner().await
    }

    async fn run_inner(mut self: Box<Self>) -> CloseReason {
        poll_fn(|cx| self.poll_session(cx)).await;
        self.finish().await
    }

    /// Moves everything that can move; `Ready` once the engine is closed.
    fn poll_session(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        let poll = self.poll_passes(cx);
        self.publish();
        poll
    }

    fn poll_passes(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        for _ in 0..PASSES_PER_POLL {
            let mut progress = false;
            progress |= self.counting(|d| d.poll_timer(cx));
            progress |= self.poll_write(cx);
            progress |= self.poll_read(cx);
            progress |= self.counting(|d| d.take_frames(cx));
            progress |= self.counting(|d| d.take_commands(cx));
            self.counting(Self::after_inputs);
            if self.engine.is_closed() {
                return Poll::Ready(());
            }
            if !progress {
                // Every source that can unblock this session has its waker.
                return Poll::Pending;
            }
        }
        // Busy: let other tasks run, and come back at once.
        cx.waker().wake_by_ref();
        Poll::Pending
    }

    /// Runs `step` and counts the PDUs it queued for sending (appended to
    /// the transmit queue, which nothing writes meanwhile).
    fn counting<T>(&mut self, step: impl FnOnce(&mut Self) -> T) -> T {
        let before = self.engine.transmit_len();
        let out = step(self);
        let queued = self.engine.transmit_bytes();
        let mut rest = queued.get(before..).unwrap_or_default();
        while let Ok(header) = Header::parse(rest) {
            self.meter
                .count_sent(header.command_id, header.command_status);
            self.observer.sent(&header);
            let len = usize::try_from(header.command_length).unwrap_or(usize::MAX);
            rest = rest.get(len.max(Header::LEN)..).unwrap_or_default();
        }
        out
    }

    /// Adds what was counted to the snapshots.
    fn publish(&mut self) {
        if self.meter.is_dirty() {
            self.observer.publish(&self.meter);
            let shared = &self.shared.meter;
            match self.hooks.totals() {
                Some(totals) => self.meter.publish_to(&[shared, totals]),
                None => self.meter.publish_to(&[shared]),
            }
        }
    }

    /// Lets the engine's timers run; arms the sleep for the next one.
    fn poll_timer(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(due) = self.engine.poll_timeout() else {
            self.sleep_at = None;
            return false;
        };
        let now = self.clock.now();
        if due <= now {
            self.engine.handle_timeout(now);
            self.events(None);
            return true;
        }
        let at = self.clock.instant(due);
        // Moving the timer costs a trip to the runtime's timer wheel, and
        // the next deadline moves with every response: an earlier timer is
        // kept instead (it fires, finds nothing due, and is armed again).
        if self.sleep_at.is_none_or(|armed| armed > at) {
            self.sleep.as_mut().reset(at);
            self.sleep_at = Some(at);
        }
        if self.sleep.as_mut().poll(cx).is_ready() {
            self.sleep_at = None;
            let now = self.clock.now();
            if self.engine.poll_timeout().is_some_and(|due| due <= now) {
                self.engine.handle_timeout(now);
                self.events(None);
            }
            return true;
        }
        false
    }

    /// Writes queued octets; flushes once all are written.
    fn poll_write(&mut self, cx: &mut Context<'_>) -> bool {
        if self.link.broken {
            return false;
        }
        let mut progress = false;
        if !self.engine.transmit_bytes().is_empty() {
            match Pin::new(&mut self.io).poll_write(cx, self.engine.transmit_bytes()) {
                Poll::Ready(Ok(0) | Err(_)) => {
                    self.link.broken = true;
                    return true;
                }
                Poll::Ready(Ok(n)) => {
                    self.engine.advance_transmit(n, self.clock.now());
                    self.link.needs_flush = true;
                    progress = true;
                }
                Poll::Pending => {}
            }
        }
        if self.link.needs_flush && self.engine.transmit_bytes().is_empty() {
            match Pin::new(&mut self.io).poll_flush(cx) {
                Poll::Ready(Ok(())) => self.link.needs_flush = false,
                Poll::Ready(Err(_)) => {
                    self.link.broken = true;
                    return true;
                }
                Poll::Pending => {}
            }
        }
        progress
    }

    /// Reads, unless a frame waits for room or enough is read ahead.
    fn poll_read(&mut self, cx: &mut Context<'_>) -> bool {
        if self.link.input != Input::Open || self.link.broken || !self.inbound.wants_input() {
            return false;
        }
        let read = if self.inbound.rbuf.capacity() - self.inbound.rbuf.len() >= READ_CHUNK / 4 {
            // Octets come in bulk: straight into the read buffer's room.
            tokio_util::io::poll_read_buf(Pin::new(&mut self.io), cx, &mut self.inbound.rbuf)
        } else {
            // Idle, or a trickle: through the stack, so that the read
            // buffer holds only what arrived.
            let mut chunk = [const { MaybeUninit::<u8>::uninit() }; READ_CHUNK];
            let mut buf = ReadBuf::uninit(&mut chunk);
            let read = Pin::new(&mut self.io).poll_read(cx, &mut buf);
            self.inbound.rbuf.extend_from_slice(buf.filled());
            if buf.filled().len() == READ_CHUNK {
                // A full chunk: more is coming; make room to read it
                // straight into the buffer.
                self.inbound.rbuf.reserve(READ_AHEAD);
            }
            read.map_ok(|()| buf.filled().len())
        };
        match read {
            Poll::Ready(Ok(0)) => {
                self.link.input = Input::Ended;
                true
            }
            Poll::Ready(Ok(_)) => true,
            Poll::Ready(Err(_)) => {
                self.link.input = Input::Ended;
                self.link.broken = true;
                true
            }
            Poll::Pending => false,
        }
    }

    /// Hands complete frames to the engine while it and the application
    /// have room; a frame without room is held.
    fn take_frames(&mut self, cx: &mut Context<'_>) -> bool {
        let mut progress = false;
        for _ in 0..FRAMES_PER_PASS {
            if self.engine.is_closed() {
                break;
            }
            let Ok(next) = self.inbound.next_frame(&mut self.engine) else {
                self.link.input = Input::Ended;
                self.events(None);
                return true;
            };
            let Some(frame) = next else { break };
            // A request's answer would queue more while much waits to be
            // written; a response queues nothing, and frees its caller.
            if self.engine.transmit_len() >= HIGH_WATER && !frame.header.command_id.is_response() {
                self.inbound.hold(frame);
                break;
            }
            if for_the_application(frame.header.command_id)
                && self.hooks.poll_ready(cx).is_pending()
            {
                self.inbound.hold(frame);
                break;
            }
            let header = frame.header;
            let now = self.clock.now();
            let Some(pdu) = self.inbound.hand_over(&mut self.engine, frame, now) else {
                self.events(None); // held until there is room, or refused
                break;
            };
            self.meter
                .count_received(header.command_id, header.command_status);
            self.observer.received(&header);
            self.events(pdu);
            progress = true;
        }
        self.inbound.release_if_empty();
        progress
    }

    /// Carries out commands while the transmit queue is below
    /// [`HIGH_WATER`]; above it, the rest wait in the channel until the
    /// queue has been written down.
    fn take_commands(&mut self, cx: &mut Context<'_>) -> bool {
        let mut progress = false;
        while self.commands_open
            && !self.engine.is_closed()
            && self.engine.transmit_len() < HIGH_WATER
        {
            match self.commands.poll_recv(cx) {
                Poll::Ready(Some(command)) => self.execute(command),
                Poll::Ready(None) => self.handles_gone(),
                Poll::Pending => break,
            }
            progress = true;
        }
        progress
    }

    /// What follows the inputs: the end of the peer's stream, a broken
    /// connection, a graceful unbind.
    fn after_inputs(&mut self) {
        if self.link.broken && !self.engine.is_closed() {
            self.engine.handle_disconnect();
            self.events(None);
        }
        if self.link.input == Input::Ended && self.inbound.framed_all() {
            self.link.input = Input::Reported;
            self.observer.end_of_stream();
            self.engine.handle_end_of_stream(self.clock.now());
            self.events(None);
        }
        self.try_unbind();
        self.events(None);
    }

    /// Every handle is gone: nobody can send or wait for anything more, so
    /// the session unbinds.
    fn handles_gone(&mut self) {
        self.commands_open = false;
        self.unbind.requested = true;
    }

    /// Carries out one command.
    fn execute(&mut self, command: Command) {
        let now = self.clock.now();
        match command {
            Command::Request(outgoing) => {
                let Outgoing {
                    body,
                    reply,
                    permit,
                } = *outgoing;
                if self.unbind.requested {
                    let _ = reply.send(Err(Error::Refused(SessionError::Unbinding)));
                    return;
                }
                if let Err(error) = fits(body.encoded_len()) {
                    let _ = reply.send(Err(error));
                    return;
                }
                let tag = self.waiters.insert(Waiting {
                    reply,
                    _permit: permit,
                    sent: Instant::now(),
                });
                if let Err(e) = self.engine.send_request(body, tag, now)
                    && let Some(waiting) = self.waiters.take(tag)
                {
                    let error = Error::refused(e, self.engine.close_reason());
                    let _ = waiting.reply.send(Err(error));
                }
            }
            Command::Notify(notify) => {
                let (body, reply) = *notify;
                let result = fits(body.encoded_len()).and_then(|()| {
                    self.engine
                        .send_request(body, 0, now)
                        .map(|_| ())
                        .map_err(|e| Error::refused(e, self.engine.close_reason()))
                });
                let _ = reply.send(result);
            }
            Command::Respond {
                sequence_number,
                command_id,
                answer,
            } => self.respond(sequence_number, command_id, *answer),
            Command::Bind(status) => self.answer_bind(status),
            Command::Unbind(waiter) => {
                self.unbind.requested = true;
                self.unbind.waiters.extend(waiter);
            }
            Command::Close => self.engine.close(),
        }
    }

    /// Answers the peer's request. The transmit queue is below
    /// [`HIGH_WATER`], far from full, so there is room.
    fn respond(&mut self, sequence_number: u32, command_id: CommandId, answer: Answer) {
        let now = self.clock.now();
        answer.respond(&mut self.engine, sequence_number, command_id, MAX_PDU, now);
    }

    /// MC: answers the bind awaiting a decision.
    fn answer_bind(&mut self, status: CommandStatus) {
        let status = match status {
            CommandStatus::ESME_ROK => self.hooks.admit().err().unwrap_or(status),
            refused => refused,
        };
        if self.engine.accept_bind(status, self.clock.now()).is_err() {
            return;
        }
        let peer = self.peer_bind.take();
        if let (true, Some((bind_type, bind))) = (status.is_ok(), peer)
            && self.engine.state().is_bound()
        {
            let info = BindInfo::of_bind(bind_type, &bind, self.engine.version());
            self.observer.bound(&info);
            self.shared.set_bound(info);
            self.hooks.bound();
        }
    }

    /// Sends `unbind` once asked to and nothing is outstanding.
    fn try_unbind(&mut self) {
        if !self.unbind.requested || self.unbind.sent || self.engine.is_closed() {
            return;
        }
        if self.engine.outstanding().next().is_some() {
            return;
        }
        match self.engine.unbind(self.clock.now()) {
            Ok(_) | Err(SessionError::Unbinding) => self.unbind.sent = true,
            Err(SessionError::TransmitQueueFull { .. }) => {}
            Err(_) => {
                // Not bound: the peer unbound first (close as unbound), or
                // the bind never completed.
                if self.engine.state() == SessionState::Unbound {
                    self.engine.handle_disconnect();
                } else {
                    self.engine.close();
                }
                self.unbind.sent = true;
            }
        }
    }

    /// Acts on every queued event; `pdu` is the PDU of the frame just
    /// handled, for the event it belongs to.
    fn events(&mut self, mut pdu: Option<Pdu>) {
        while let Some(event) = self.engine.poll_event() {
            self.event(event, &mut pdu);
        }
    }

    fn event(&mut self, event: Event, pdu: &mut Option<Pdu>) {
        match event {
            Event::BindRequest { bind_type, .. } => self.bind_request(bind_type, pdu.take()),
            Event::BindResult {
                bind_type,
                command_status,
            } => self.bind_result(bind_type, command_status, pdu.take()),
            Event::IncomingRequest {
                sequence_number,
                command_id,
            } => {
                if let Some(pdu) = pdu.take()
                    && let Some(answer) = self.hooks.request(pdu, sequence_number, command_id)
                {
                    self.respond(sequence_number, command_id, answer);
                }
            }
            Event::AlertNotification { .. } => {
                if let Some(pdu) = pdu.take() {
                    self.hooks.alert_notification(pdu);
                }
            }
            Event::Response {
                request,
                command_status,
                ..
            } => {
                if let Some(waiting) = self.waiters.take(request.tag) {
                    let waited = waiting.sent.elapsed();
                    self.meter.answered(waited, command_status);
                    #[cfg(feature = "metrics")]
                    self.observer.answered(waited);
                    let response = pdu.take().ok_or(Error::Closed(CloseReason::Local));
                    let _ = waiting.reply.send(response);
                }
            }
            Event::RequestTimedOut(request) => {
                self.meter.timed_out();
                if let Some(waiting) = self.waiters.take(request.tag) {
                    let _ = waiting.reply.send(Err(Error::timed_out(&request)));
                }
            }
            Event::RequestAbandoned { request, written } => {
                if let Some(waiting) = self.waiters.take(request.tag) {
                    let error = Error::abandoned(&request, written, self.engine.close_reason());
                    let _ = waiting.reply.send(Err(error));
                }
            }
            Event::ProtocolError(error) => {
                self.meter.protocol_error();
                self.observer.protocol_error(&error);
                self.shared.set_protocol_error(error);
                self.hooks.protocol_error(error);
            }
            Event::Outbind { .. } => {
                let decision = match pdu.take() {
                    Some(pdu) => self.hooks.outbind(pdu),
                    None => OutbindDecision::Ignore,
                };
                match decision {
                    // Queued from within `counting`: counted as sent there.
                    OutbindDecision::Bind => {
                        if self.engine.bind(self.clock.now()).is_err() {
                            self.engine.close();
                        }
                    }
                    OutbindDecision::Refuse => self.engine.close(),
                    OutbindDecision::Ignore => {}
                }
            }
            Event::Unbound => self.hooks.unbound(),
            // Closed: the end is handled once the engine is closed.
            _ => {}
        }
    }

    /// MC: a bind to decide.
    fn bind_request(&mut self, bind_type: BindType, pdu: Option<Pdu>) {
        let bind = match pdu.map(|p| p.body) {
            Some(
                smpp_core::Body::BindTransmitter(b)
                | smpp_core::Body::BindReceiver(b)
                | smpp_core::Body::BindTransceiver(b),
            ) => b,
            _ => Bind::default(),
        };
        // The password is not kept past the decision.
        let kept = Bind {
            password: COctet::default(),
            ..bind.clone()
        };
        self.peer_bind = Some((bind_type, kept));
        let request = BindRequest {
            bind_type,
            bind,
            peer_addr: self.shared.peer_addr(),
        };
        if let Some(status) = self.hooks.bind_request(request) {
            self.answer_bind(status);
        }
    }

    /// ESME: the bind was answered.
    fn bind_result(
        &mut self,
        bind_type: BindType,
        command_status: CommandStatus,
        pdu: Option<Pdu>,
    ) {
        if command_status.is_ok() {
            let system_id = responder_system_id(pdu).unwrap_or_default();
            let info = BindInfo::of_config(
                bind_type,
                system_id,
                self.engine.version(),
                self.engine.config(),
            );
            self.observer.bound(&info);
            self.shared.set_bound(info.clone());
            self.hooks.bind_result(Ok(&info));
        } else {
            self.observer.bind_refused(command_status);
            self.hooks.bind_result(Err(command_status));
            self.engine.close();
        }
    }

    /// The session is closed: fails what is left, writes what is queued
    /// (for a while, unless the peer stopped reading), closes the
    /// connection.
    async fn finish(mut self: Box<Self>) -> CloseReason {
        self.publish();
        let reason = self.engine.close_reason().unwrap_or(CloseReason::Local);
        self.hooks.closing();
        self.shared.mark_closed(reason);
        self.commands.close();
        let unbound = || {
            if reason == CloseReason::Unbound {
                Ok(())
            } else {
                Err(Error::Closed(reason))
            }
        };
        // The commands left in the channel, which no longer takes any.
        while let Ok(command) = self.commands.try_recv() {
            match command {
                Command::Request(outgoing) => {
                    let _ = outgoing.reply.send(Err(Error::Closed(reason)));
                }
                Command::Notify(notify) => {
                    let _ = notify.1.send(Err(Error::Closed(reason)));
                }
                Command::Unbind(Some(waiter)) => {
                    let _ = waiter.send(unbound());
                }
                _ => {}
            }
        }
        // Every request was reported by the engine; none is left, but a
        // waiter must never hang.
        for waiting in self.waiters.drain() {
            let _ = waiting.reply.send(Err(Error::Closed(reason)));
        }
        for waiter in self.unbind.waiters.drain(..) {
            let _ = waiter.send(unbound());
        }
        self.observer.closed(reason);
        self.hooks.closed(reason);
        let io = &mut self.io;
        let engine = &mut self.engine;
        let clock = &self.clock;
        let linger = !self.link.broken && reason != CloseReason::WriteTimeout;
        let flush = async move {
            while linger && !engine.transmit_bytes().is_empty() {
                match io.write(engine.transmit_bytes()).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => engine.advance_transmit(n, clock.now()),
                }
            }
            let _ = io.shutdown().await;
        };
        let _ = tokio::time::timeout(LINGER, flush).await;
        reason
    }
}

impl<IO, H: Hooks> Drop for Driver<IO, H> {
    fn drop(&mut self) {
        // Also when the task is dropped (the runtime shuts down): every
        // handle learns that the session is gone, and every request
        // awaiting its response whether it was written (outcome unknown)
        // or not (safe to send again), as when the session closes.
        if !self.engine.is_closed() {
            self.engine.close();
        }
        let reason = self.engine.close_reason().unwrap_or(CloseReason::Local);
        while let Some(event) = self.engine.poll_event() {
            if let Event::RequestAbandoned { request, written } = event
                && let Some(waiting) = self.waiters.take(request.tag)
            {
                let error = Error::abandoned(&request, written, Some(reason));
                let _ = waiting.reply.send(Err(error));
            }
        }
        self.shared.mark_closed(reason);
    }
}

/// True for a request the application takes (not a response, nor a PDU the
/// engine deals with alone).
fn for_the_application(command_id: CommandId) -> bool {
    !command_id.is_response()
        && BindType::from_command_id(command_id).is_none()
        && !matches!(
            command_id,
            CommandId::ENQUIRE_LINK | CommandId::UNBIND | CommandId::OUTBIND
        )
}

/// Whether a PDU with a body of `body_len` octets can be queued (the
/// transmit queue is below [`HIGH_WATER`] when a command is carried out).
fn fits(body_len: usize) -> Result<(), Error> {
    let needed = Header::LEN + body_len;
    if needed > MAX_PDU {
        Err(Error::Refused(SessionError::TransmitQueueFull {
            needed,
            available: MAX_PDU,
        }))
    } else {
        Ok(())
    }
}
