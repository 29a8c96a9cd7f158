//! The task that runs one session: the engine of `smpp-core`, the
//! connection, the clock and the application's commands, in one loop.
//!
//! Each turn takes every input that is ready (frames cut from the read
//! buffer, commands, a due timer), hands it to the engine, acts on every
//! event, then waits for the next input while writing what the engine
//! queued. Reading, writing, commands and the timer are polled together,
//! so a peer that stops reading never stops this side from reading.

use core::future::{Future, poll_fn};
use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use core::time::Duration;
use std::collections::VecDeque;
use std::sync::Arc;

use bytes::BytesMut;
use smpp_core::session::{
    BindType, CloseReason, Config, Event, Millis, ProtocolError, Session, SessionError,
    SessionState,
};
use smpp_core::{CommandId, CommandStatus, Header};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::sync::{OwnedSemaphorePermit, mpsc, oneshot};
use tokio::time::{Instant, Sleep};

use super::answer::Answer;
use super::error::Error;
use super::handle::{BindInfo, Command, Shared};
use crate::frame::{Frame, FrameDecoder};
use crate::owned::{Body, COctet, Pdu};
use crate::server::BindRequest;

/// The most requests a session may have outstanding (and requests of the
/// peer awaiting an answer): the cap on [`Config::with_window`].
pub(crate) const WINDOW_CAPACITY: usize = 512;

/// The transmit queue: the largest PDU the frame decoder accepts by
/// default (70,000 octets), plus the 64 octets the engine keeps for its
/// own PDUs, fits.
const TRANSMIT_CAPACITY: usize = 72 * 1024;

/// Octets the engine keeps free in the transmit queue when the application
/// queues a request or a response.
const RESERVE: usize = 64;

type Engine = Session<WINDOW_CAPACITY, TRANSMIT_CAPACITY>;

/// Room kept free in the read buffer for each read.
const READ_CHUNK: usize = 64 * 1024;

/// Octets read ahead of the engine at most, while it waits for room to
/// answer.
const READ_LIMIT: usize = 256 * 1024;

/// Commands carried out per turn before inputs are looked at again.
const COMMANDS_PER_TURN: usize = 1024;

/// How long queued octets (a last response) may take to leave once the
/// session is closed.
const LINGER: Duration = Duration::from_secs(2);

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

    /// MC: the bind was accepted.
    fn bound(&mut self) {}

    /// A request of the peer. `Some(answer)` answers it now; `None` means
    /// a [`Command::Respond`] follows.
    fn request(&mut self, pdu: Pdu, sequence_number: u32, command_id: CommandId) -> Option<Answer>;

    /// ESME: an `alert_notification` (no answer).
    fn alert_notification(&mut self, pdu: Pdu) {
        let _ = pdu;
    }

    /// The peer broke the protocol; the engine answered where due.
    fn protocol_error(&mut self, error: ProtocolError) {
        let _ = error;
    }

    /// The session is closed.
    fn closed(&mut self, reason: CloseReason) {
        let _ = reason;
    }
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

/// A request of the application awaiting its response.
struct Waiting {
    reply: oneshot::Sender<Result<Pdu, Error>>,
    _permit: OwnedSemaphorePermit,
}

/// The requests awaiting responses, by the tag the engine carries for them
/// (an index here).
#[derive(Default)]
struct Waiters {
    slots: Vec<Option<Waiting>>,
    free: Vec<usize>,
}

impl Waiters {
    fn insert(&mut self, waiting: Waiting) -> u64 {
        let index = if let Some(i) = self.free.pop() {
            if let Some(slot) = self.slots.get_mut(i) {
                *slot = Some(waiting);
            }
            i
        } else {
            self.slots.push(Some(waiting));
            self.slots.len() - 1
        };
        index as u64
    }

    fn take(&mut self, tag: u64) -> Option<Waiting> {
        let i = usize::try_from(tag).ok()?;
        let waiting = self.slots.get_mut(i)?.take()?;
        self.free.push(i);
        Some(waiting)
    }

    fn drain(&mut self) -> impl Iterator<Item = Waiting> + '_ {
        self.free.clear();
        self.slots.drain(..).flatten()
    }
}

/// The caller's clock for the engine: milliseconds since the session began.
struct Clock {
    start: Instant,
}

impl Clock {
    fn now(&self) -> Millis {
        Millis(u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX))
    }

    fn instant(&self, at: Millis) -> Instant {
        self.start
            .checked_add(Duration::from_millis(at.0))
            .unwrap_or_else(|| Instant::now() + Duration::from_secs(86_400))
    }
}

/// Whether a PDU fits the transmit queue.
enum Room {
    Fits,
    Later,
    Never(usize),
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
    /// The peer may still send: no end of stream, no framing error.
    read_open: bool,
    /// Reading or writing failed: the connection is gone.
    broken: bool,
    /// Octets were written since the last flush.
    needs_flush: bool,
}

/// One session and its connection.
pub(crate) struct Driver<IO, H: Hooks> {
    io: IO,
    engine: Box<Engine>,
    hooks: H,
    shared: Arc<Shared>,
    commands: mpsc::UnboundedReceiver<Command>,
    commands_open: bool,
    /// Commands taken from the channel and not carried out yet; the first
    /// may be waiting for room in the transmit queue.
    inbox: VecDeque<Command>,
    waiters: Waiters,
    rbuf: BytesMut,
    decoder: FrameDecoder,
    /// A frame the engine had no room for yet.
    held: Option<Frame>,
    link: Link,
    clock: Clock,
    sleep: Pin<Box<Sleep>>,
    sleep_at: Option<Instant>,
    unbind: Unbind,
    /// MC: how the bind awaiting a decision binds, and its `system_id`.
    peer_bind: Option<(BindType, COctet)>,
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
    ) -> Self {
        let clock = Clock {
            start: Instant::now(),
        };
        let engine = Box::new(Engine::new(config, clock.now()));
        Self {
            io,
            engine,
            hooks,
            shared,
            commands,
            commands_open: true,
            inbox: VecDeque::new(),
            waiters: Waiters::default(),
            rbuf: BytesMut::with_capacity(READ_CHUNK),
            decoder: FrameDecoder::new(),
            held: None,
            link: Link {
                read_open: true,
                broken: false,
                needs_flush: false,
            },
            sleep: Box::pin(tokio::time::sleep_until(clock.start)),
            sleep_at: None,
            clock,
            unbind: Unbind::default(),
            peer_bind: None,
        }
    }

    /// ESME: queues the bind of the configuration.
    pub(crate) fn bind(&mut self) -> Result<(), SessionError> {
        self.engine.bind(self.clock.now()).map(|_| ())
    }

    /// Runs the session to its end; returns why it closed.
    pub(crate) async fn run(mut self) -> CloseReason {
        loop {
            self.turn();
            if self.engine.is_closed() {
                break;
            }
            self.wait().await;
        }
        self.finish().await
    }

    /// Takes every input that is ready and acts on what follows.
    fn turn(&mut self) {
        loop {
            let now = self.clock.now();
            if self.engine.poll_timeout().is_some_and(|due| due <= now) {
                self.engine.handle_timeout(now);
                self.events(None);
            }
            let frames = self.take_frames();
            let commands = self.take_commands();
            self.try_unbind();
            self.events(None);
            let ended = self.link.broken || (!self.link.read_open && self.held.is_none());
            if ended && !self.engine.is_closed() {
                self.engine.handle_disconnect();
                self.events(None);
            }
            if self.engine.is_closed() || !(frames || commands) {
                return;
            }
        }
    }

    /// Hands complete frames to the engine until none is left or the
    /// engine has no room.
    fn take_frames(&mut self) -> bool {
        let mut progressed = false;
        while !self.engine.is_closed() {
            let frame = match self.held.take() {
                Some(frame) => frame,
                None => match self.decoder.decode(&mut self.rbuf) {
                    Ok(Some(frame)) => frame,
                    Ok(None) => break,
                    Err(error) => {
                        // Not SMPP, or an impossible command_length: the
                        // engine answers generic_nack and closes.
                        self.engine.handle_framing_error(error);
                        self.link.read_open = false;
                        self.events(None);
                        return true;
                    }
                },
            };
            match self.engine.handle_frame(&frame.bytes, self.clock.now()) {
                Ok(pdu) => {
                    // The PDU's fields become slices of the frame: no copy.
                    let pdu = pdu.map(|pdu| pdu.map(|s| frame.bytes.slice_ref(s)));
                    self.events(pdu);
                    progressed = true;
                }
                Err(SessionError::EventQueueFull) => {
                    self.events(None);
                    self.held = Some(frame);
                }
                Err(SessionError::TransmitQueueFull { .. }) => {
                    self.held = Some(frame);
                    break;
                }
                Err(_) => progressed = true,
            }
        }
        progressed
    }

    /// Carries out commands until none is left or one must wait for room.
    fn take_commands(&mut self) -> bool {
        let mut progressed = false;
        for _ in 0..COMMANDS_PER_TURN {
            if self.engine.is_closed() {
                break;
            }
            let command = match self.inbox.pop_front() {
                Some(command) => command,
                None if self.commands_open => match self.commands.try_recv() {
                    Ok(command) => command,
                    Err(mpsc::error::TryRecvError::Empty) => break,
                    Err(mpsc::error::TryRecvError::Disconnected) => {
                        self.handles_gone();
                        break;
                    }
                },
                None => break,
            };
            progressed = true;
            if let Some(retry) = self.execute(command) {
                self.inbox.push_front(retry);
                break;
            }
        }
        progressed
    }

    /// Every handle is gone: nobody can send or wait for anything more, so
    /// the session unbinds.
    fn handles_gone(&mut self) {
        self.commands_open = false;
        self.unbind.requested = true;
    }

    /// Whether a PDU with a body of `body_len` octets fits the transmit
    /// queue now.
    fn room(&self, body_len: usize) -> Room {
        let needed = Header::LEN + body_len + RESERVE;
        let free = TRANSMIT_CAPACITY - self.engine.transmit_bytes().len();
        if needed > TRANSMIT_CAPACITY {
            Room::Never(needed)
        } else if needed > free {
            Room::Later
        } else {
            Room::Fits
        }
    }

    /// Carries out one command; gives it back if it must wait for room.
    fn execute(&mut self, command: Command) -> Option<Command> {
        let now = self.clock.now();
        match command {
            Command::Request {
                body,
                reply,
                permit,
            } => {
                if self.unbind.requested {
                    let _ = reply.send(Err(Error::Refused(SessionError::Unbinding)));
                    return None;
                }
                match self.room(body.encoded_len()) {
                    Room::Later => {
                        return Some(Command::Request {
                            body,
                            reply,
                            permit,
                        });
                    }
                    Room::Never(needed) => {
                        let _ = reply.send(Err(too_large(needed)));
                        return None;
                    }
                    Room::Fits => {}
                }
                let tag = self.waiters.insert(Waiting {
                    reply,
                    _permit: permit,
                });
                if let Err(e) = self.engine.send_request(body, tag, now)
                    && let Some(waiting) = self.waiters.take(tag)
                {
                    let error = Error::refused(e, self.engine.close_reason());
                    let _ = waiting.reply.send(Err(error));
                }
                None
            }
            Command::Notify { body, reply } => {
                match self.room(body.encoded_len()) {
                    Room::Later => return Some(Command::Notify { body, reply }),
                    Room::Never(needed) => {
                        let _ = reply.send(Err(too_large(needed)));
                        return None;
                    }
                    Room::Fits => {}
                }
                let sent = self.engine.send_request(body, 0, now);
                let result = sent.map(|_| ());
                let _ =
                    reply.send(result.map_err(|e| Error::refused(e, self.engine.close_reason())));
                None
            }
            Command::Respond {
                sequence_number,
                command_id,
                answer,
            } => self.respond(sequence_number, command_id, answer),
            Command::Bind(status) => self.answer_bind(status),
            Command::Unbind(waiter) => {
                self.unbind.requested = true;
                self.unbind.waiters.extend(waiter);
                None
            }
            Command::Close => {
                self.engine.close();
                None
            }
        }
    }

    /// Answers the peer's request; gives the answer back if it must wait
    /// for room.
    fn respond(
        &mut self,
        sequence_number: u32,
        command_id: CommandId,
        answer: Answer,
    ) -> Option<Command> {
        let now = self.clock.now();
        let (status, body) = answer.into_response(command_id);
        let len = body.as_ref().map_or(0, Body::encoded_len);
        let result = match (self.room(len), body) {
            (Room::Later, body) => {
                let answer = match body {
                    Some(body) => Answer::Response {
                        command_status: status,
                        body,
                    },
                    None => Answer::Status(status),
                };
                return Some(Command::Respond {
                    sequence_number,
                    command_id,
                    answer,
                });
            }
            (Room::Fits, Some(body)) => self.engine.respond(sequence_number, status, body, now),
            (Room::Fits, None) => self.engine.respond_status(sequence_number, status, now),
            (Room::Never(_), _) => Err(SessionError::Encode(smpp_core::Error::new(
                smpp_core::ErrorKind::BufferTooSmall {
                    needed: len,
                    available: TRANSMIT_CAPACITY,
                },
            ))),
        };
        match result {
            Ok(()) | Err(SessionError::UnknownRequest(_) | SessionError::Closed) => None,
            Err(SessionError::TransmitQueueFull { .. }) => Some(Command::Respond {
                sequence_number,
                command_id,
                answer: Answer::Status(status),
            }),
            Err(_) => {
                // The application's response is not the request's, or does
                // not encode: the request still gets an answer.
                let failed = CommandStatus::ESME_RSYSERR;
                match self.engine.respond_status(sequence_number, failed, now) {
                    Err(SessionError::TransmitQueueFull { .. }) => Some(Command::Respond {
                        sequence_number,
                        command_id,
                        answer: Answer::Status(failed),
                    }),
                    _ => None,
                }
            }
        }
    }

    /// MC: answers the bind awaiting a decision.
    fn answer_bind(&mut self, status: CommandStatus) -> Option<Command> {
        match self.engine.accept_bind(status, self.clock.now()) {
            Ok(()) => {
                let peer = self.peer_bind.take();
                if let (true, Some((bind_type, system_id))) = (status.is_ok(), peer) {
                    self.shared.set_bound(BindInfo {
                        bind_type,
                        system_id,
                        version: self.engine.version(),
                    });
                    self.hooks.bound();
                }
                None
            }
            Err(SessionError::TransmitQueueFull { .. }) => Some(Command::Bind(status)),
            Err(_) => None,
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
            Event::BindRequest { bind_type, .. } => {
                let bind = match pdu.take().map(|p| p.body) {
                    Some(
                        smpp_core::Body::BindTransmitter(b)
                        | smpp_core::Body::BindReceiver(b)
                        | smpp_core::Body::BindTransceiver(b),
                    ) => b,
                    _ => crate::owned::Bind::default(),
                };
                self.peer_bind = Some((bind_type, bind.system_id.clone()));
                let request = BindRequest {
                    bind_type,
                    bind,
                    peer_addr: self.shared.peer_addr(),
                };
                if let Some(status) = self.hooks.bind_request(request)
                    && let Some(retry) = self.answer_bind(status)
                {
                    self.inbox.push_front(retry);
                }
            }
            Event::BindResult {
                bind_type,
                command_status,
            } => {
                if command_status.is_ok() {
                    let system_id = match pdu.take().map(|p| p.body) {
                        Some(
                            smpp_core::Body::BindTransmitterResp(Some(r))
                            | smpp_core::Body::BindReceiverResp(Some(r))
                            | smpp_core::Body::BindTransceiverResp(Some(r)),
                        ) => r.system_id,
                        _ => COctet::default(),
                    };
                    let info = BindInfo {
                        bind_type,
                        system_id,
                        version: self.engine.version(),
                    };
                    self.shared.set_bound(info.clone());
                    self.hooks.bind_result(Ok(&info));
                } else {
                    self.hooks.bind_result(Err(command_status));
                    self.engine.close();
                }
            }
            Event::IncomingRequest {
                sequence_number,
                command_id,
            } => {
                if let Some(pdu) = pdu.take()
                    && let Some(answer) = self.hooks.request(pdu, sequence_number, command_id)
                    && let Some(retry) = self.respond(sequence_number, command_id, answer)
                {
                    self.inbox.push_front(retry);
                }
            }
            Event::AlertNotification { .. } => {
                if let Some(pdu) = pdu.take() {
                    self.hooks.alert_notification(pdu);
                }
            }
            Event::Response { request, .. } => {
                if let Some(waiting) = self.waiters.take(request.tag) {
                    let response = pdu.take().ok_or(Error::Closed(CloseReason::Local));
                    let _ = waiting.reply.send(response);
                }
            }
            Event::RequestTimedOut(request) => {
                if let Some(waiting) = self.waiters.take(request.tag) {
                    let _ = waiting.reply.send(Err(Error::Timeout {
                        command_id: request.command_id,
                        sequence_number: request.sequence_number,
                    }));
                }
            }
            Event::RequestAbandoned(request) => {
                if let Some(waiting) = self.waiters.take(request.tag) {
                    let reason = self.engine.close_reason().unwrap_or(CloseReason::Local);
                    let _ = waiting.reply.send(Err(Error::Closed(reason)));
                }
            }
            Event::ProtocolError(error) => self.hooks.protocol_error(error),
            // Outbind: this side connected, so none is expected (the
            // engine keeps the session open and unbound). Unbound and
            // Closed: the end is handled once the engine is closed.
            _ => {}
        }
    }

    /// Waits until some input is ready, writing queued octets meanwhile.
    async fn wait(&mut self) {
        let now = self.clock.now();
        let timer = self.engine.poll_timeout().map(|due| {
            // A timer already due waits for room in the transmit queue (see
            // `Session::handle_timeout`): look again shortly.
            let due = if due > now {
                due
            } else {
                now + Duration::from_millis(10)
            };
            self.clock.instant(due)
        });
        if let Some(at) = timer
            && self.sleep_at != Some(at)
        {
            self.sleep.as_mut().reset(at);
            self.sleep_at = Some(at);
        }
        poll_fn(|cx| self.poll_inputs(cx, timer.is_some())).await;
    }

    fn poll_inputs(&mut self, cx: &mut Context<'_>, timer: bool) -> Poll<()> {
        let mut ready = false;
        if !self.link.broken && !self.engine.transmit_bytes().is_empty() {
            match Pin::new(&mut self.io).poll_write(cx, self.engine.transmit_bytes()) {
                Poll::Ready(Ok(0) | Err(_)) => {
                    self.link.broken = true;
                    return Poll::Ready(());
                }
                Poll::Ready(Ok(n)) => {
                    self.engine.advance_transmit(n);
                    self.link.needs_flush = true;
                    ready = true;
                }
                Poll::Pending => {}
            }
        }
        if self.link.needs_flush && self.engine.transmit_bytes().is_empty() {
            match Pin::new(&mut self.io).poll_flush(cx) {
                Poll::Ready(Ok(())) => self.link.needs_flush = false,
                Poll::Ready(Err(_)) => {
                    self.link.broken = true;
                    return Poll::Ready(());
                }
                Poll::Pending => {}
            }
        }
        if self.link.read_open && self.rbuf.len() < READ_LIMIT {
            if self.rbuf.capacity() - self.rbuf.len() < READ_CHUNK / 4 {
                self.rbuf.reserve(READ_CHUNK);
            }
            match tokio_util::io::poll_read_buf(Pin::new(&mut self.io), cx, &mut self.rbuf) {
                Poll::Ready(Ok(0)) => {
                    self.link.read_open = false;
                    ready = true;
                }
                Poll::Ready(Ok(_)) => ready = true,
                Poll::Ready(Err(_)) => {
                    self.link.read_open = false;
                    self.link.broken = true;
                    return Poll::Ready(());
                }
                Poll::Pending => {}
            }
        }
        if self.inbox.is_empty() && self.commands_open {
            match self.commands.poll_recv(cx) {
                Poll::Ready(Some(command)) => {
                    self.inbox.push_back(command);
                    ready = true;
                }
                Poll::Ready(None) => {
                    self.handles_gone();
                    ready = true;
                }
                Poll::Pending => {}
            }
        }
        if timer && self.sleep.as_mut().poll(cx).is_ready() {
            self.sleep_at = None;
            ready = true;
        }
        if ready {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }

    /// The session is closed: fails what is left, writes what is queued
    /// (for a while), closes the connection.
    async fn finish(mut self) -> CloseReason {
        let reason = self.engine.close_reason().unwrap_or(CloseReason::Local);
        self.shared.mark_closed(reason);
        self.commands.close();
        let mut left: Vec<Command> = self.inbox.drain(..).collect();
        while let Ok(command) = self.commands.try_recv() {
            left.push(command);
        }
        let unbound = || {
            if reason == CloseReason::Unbound {
                Ok(())
            } else {
                Err(Error::Closed(reason))
            }
        };
        for command in left {
            match command {
                Command::Request { reply, .. } => {
                    let _ = reply.send(Err(Error::Closed(reason)));
                }
                Command::Notify { reply, .. } => {
                    let _ = reply.send(Err(Error::Closed(reason)));
                }
                Command::Unbind(Some(waiter)) => {
                    let _ = waiter.send(unbound());
                }
                _ => {}
            }
        }
        for waiting in self.waiters.drain() {
            let _ = waiting.reply.send(Err(Error::Closed(reason)));
        }
        for waiter in self.unbind.waiters.drain(..) {
            let _ = waiter.send(unbound());
        }
        self.hooks.closed(reason);
        let io = &mut self.io;
        let engine = &mut self.engine;
        let broken = self.link.broken;
        let flush = async move {
            while !broken && !engine.transmit_bytes().is_empty() {
                match io.write(engine.transmit_bytes()).await {
                    Ok(0) | Err(_) => break,
                    Ok(n) => engine.advance_transmit(n),
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
        // handle learns that the session is gone.
        let reason = self.engine.close_reason().unwrap_or(CloseReason::Local);
        self.shared.mark_closed(reason);
    }
}

/// The error for a PDU that can never fit the transmit queue.
fn too_large(needed: usize) -> Error {
    Error::Refused(SessionError::TransmitQueueFull {
        needed,
        available: TRANSMIT_CAPACITY,
    })
}
