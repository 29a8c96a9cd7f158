//! The application's side of a running session: a cloneable [`Handle`]
//! that sends requests through the window and waits for their responses.

use core::future::Future;
use core::net::SocketAddr;
use core::pin::Pin;
use core::sync::atomic::{AtomicU64, Ordering};
use core::task::{Context, Poll};
use core::time::Duration;
use std::sync::{Arc, Mutex, OnceLock};

use smpp_core::session::{CloseReason, ProtocolError};
use smpp_core::{CommandId, CommandStatus};
use tokio::sync::{Notify, OwnedSemaphorePermit, Semaphore, mpsc, oneshot, watch};
use tokio::time::Instant;

use super::answer::Answer;
use super::error::Error;
use super::info::BindInfo;
use super::lock;
use super::metrics::{SessionStats, SharedMeter};
use super::request::{IntoRequest, SmResponse};
use crate::owned::{AlertNotification, Body, COctet, Pdu};

/// What the application asks of the task that runs a session. Small: a
/// channel of them costs little while idle.
pub(crate) enum Command {
    /// Send a request and report its response.
    Request(Box<Outgoing>),
    /// Send a request that gets no response (`alert_notification`).
    Notify(Box<(Body, oneshot::Sender<Result<(), Error>>)>),
    /// Answer a request of the peer.
    Respond {
        sequence_number: u32,
        command_id: CommandId,
        answer: Box<Answer>,
    },
    /// MC: answer the bind awaiting a decision.
    Bind(CommandStatus),
    /// Unbind once every outstanding request is answered, then close.
    Unbind(Option<oneshot::Sender<Result<(), Error>>>),
    /// Close at once, without unbinding.
    Close,
}

/// A request of the application on its way to the session.
pub(crate) struct Outgoing {
    pub(crate) body: Body,
    pub(crate) reply: oneshot::Sender<Result<Pdu, Error>>,
    /// The window slot the request holds until it is answered.
    pub(crate) permit: WindowSlot,
}

/// A window slot a request holds until it is answered. Given back, it
/// wakes one request waiting for a free slot of any session of the same
/// pool, if the session belongs to one
/// ([`client::Esme`](crate::client::Esme)).
#[derive(Debug)]
pub(crate) struct WindowSlot {
    permit: Option<OwnedSemaphorePermit>,
    freed: Option<Arc<Notify>>,
}

impl Drop for WindowSlot {
    fn drop(&mut self) {
        drop(self.permit.take());
        if let Some(freed) = &self.freed {
            freed.notify_one();
        }
    }
}

/// What the handles of a session and the task running it share.
#[derive(Debug)]
pub(crate) struct Shared {
    /// A number no other session of the process has.
    id: u64,
    /// One permit per window slot.
    pub(crate) permits: Arc<Semaphore>,
    window: usize,
    /// Told when a window slot is given back (see [`WindowSlot`]).
    slot_freed: OnceLock<Arc<Notify>>,
    bind: OnceLock<BindInfo>,
    closed: watch::Sender<Option<CloseReason>>,
    peer_addr: Option<SocketAddr>,
    rate: Mutex<Option<Rate>>,
    /// What went over the session.
    pub(crate) meter: SharedMeter,
    /// The peer's latest protocol error.
    pub(crate) last_protocol_error: Mutex<Option<ProtocolError>>,
}

/// A limit on the requests a session sends per second
/// ([`Handle::set_max_rate`]).
#[derive(Clone, Copy, Debug)]
struct Rate {
    /// Requests per second, at least 1.
    per_second: u32,
    /// When the next request may go.
    next: Instant,
}

impl Shared {
    pub(crate) fn new(window: usize, peer_addr: Option<SocketAddr>) -> Arc<Self> {
        static NEXT: AtomicU64 = AtomicU64::new(1);
        Arc::new(Self {
            id: NEXT.fetch_add(1, Ordering::Relaxed),
            permits: Arc::new(Semaphore::new(window)),
            window,
            slot_freed: OnceLock::new(),
            bind: OnceLock::new(),
            closed: watch::Sender::new(None),
            peer_addr,
            rate: Mutex::new(None),
            meter: SharedMeter::default(),
            last_protocol_error: Mutex::new(None),
        })
    }

    /// Takes the next send time the rate limit allows, if there is one.
    fn reserve_send_time(&self) -> Option<Instant> {
        let mut rate = lock(&self.rate);
        let rate = rate.as_mut()?;
        let at = rate.next.max(Instant::now());
        rate.next = at + Duration::from_secs(1) / rate.per_second;
        Some(at)
    }

    /// Waits until `at`, or fails once the session closes.
    async fn wait_until(&self, at: Instant) -> Result<(), Error> {
        let mut closed = self.closed.subscribe();
        tokio::select! {
            () = tokio::time::sleep_until(at) => Ok(()),
            _ = closed.wait_for(Option::is_some) => Err(self.closed_error()),
        }
    }

    pub(crate) fn set_protocol_error(&self, error: ProtocolError) {
        *lock(&self.last_protocol_error) = Some(error);
    }

    pub(crate) fn set_bound(&self, info: BindInfo) {
        let _ = self.bind.set(info);
    }

    pub(crate) fn bind_info(&self) -> Option<&BindInfo> {
        self.bind.get()
    }

    /// Records the end of the session (the first reason counts) and fails
    /// every request still waiting for a window slot.
    pub(crate) fn mark_closed(&self, reason: CloseReason) {
        self.closed.send_if_modified(|current| {
            if current.is_none() {
                *current = Some(reason);
                true
            } else {
                false
            }
        });
        self.permits.close();
    }

    pub(crate) fn peer_addr(&self) -> Option<SocketAddr> {
        self.peer_addr
    }

    pub(crate) fn close_reason(&self) -> Option<CloseReason> {
        *self.closed.borrow()
    }

    pub(crate) fn closed_error(&self) -> Error {
        Error::Closed(self.close_reason().unwrap_or(CloseReason::Disconnected))
    }
}

/// A cloneable handle to one running session, ESME or MC side: sends
/// requests through the SMPP window and waits for their responses.
///
/// The session runs in a task of its own (started by
/// [`client::connect`](crate::client::connect) on the ESME side, by the
/// [`Server`](crate::server::Server) for each connection on the MC side);
/// every clone of the handle talks to that task. Requests are sent in the
/// order their calls got a window slot.
///
/// **The window is the back-pressure.** A request first waits for a free
/// slot of the window (as many as the session's
/// [`Config::with_window`](smpp_core::session::Config::with_window),
/// at most 512): no more requests than that are ever outstanding or
/// queued, whatever the number of callers. The slot is freed when the
/// response comes, when the `response_timer` runs out
/// ([`Error::Timeout`]) or when the session ends ([`Error::Closed`]).
///
/// [`Handle::send`] waits for the response; [`Handle::queue`] returns once
/// the request has its slot, with a [`Pending`] response to await later,
/// so that one task can keep the whole window busy.
///
/// The operation matrix applies: an ESME bound as a transmitter may
/// `submit_sm` but not `deliver_sm`, an MC may `deliver_sm` only to a
/// receiver or transceiver; other PDUs are refused with
/// [`Error::Refused`] and nothing is sent.
///
/// An ESME's session (over an in-memory pipe to an SMSC that numbers its
/// messages):
///
/// ```
/// use core::time::Duration;
///
/// use smpp_core::session::{BindType, CloseReason, Config};
/// use smpp_core::{CommandId, CommandStatus};
/// use smpp_std::session::SmResponse;
/// use smpp_std::{DataSmBuilder, SubmitSmBuilder, client};
/// # use std::sync::Arc;
/// # use smpp_std::server::{self, BindRequest, Context, Handler};
/// # use smpp_std::session::Answer;
/// # struct Smsc;
/// # impl Handler for Smsc {
/// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
/// #     async fn request(&self, _: &Context, pdu: smpp_std::Pdu) -> Answer {
/// #         Answer::message_id(format!("id-{}", pdu.sequence_number))
/// #     }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let (esme_side, mc_side) = tokio::io::duplex(64 * 1024);
/// # tokio::spawn(server::serve(mc_side, Config::mc().with_system_id("SMSC")?, Arc::new(Smsc)));
///
/// let config = Config::esme(BindType::Transceiver).with_window(8);
/// let (esme, _incoming) = client::bind(esme_side, config).await?;
/// assert_eq!(esme.bind_info().map(|b| b.bind_type), Some(BindType::Transceiver));
/// assert_eq!(esme.system_id().map(ToString::to_string).as_deref(), Some("SMSC"));
/// assert_eq!(esme.peer_addr(), None); // an in-memory pipe, not TCP
/// assert_eq!(esme.window(), 8);
/// let copy = esme.clone();
/// assert!(copy.same_session(&esme) && copy.id() == esme.id());
/// assert_eq!(esme.close_reason(), None);
///
/// // One request at a time: each call waits for its response.
/// let submit = || SubmitSmBuilder::new(0).destination_addr("447700900123").build();
/// let resp = esme.submit_sm(submit()?).await?;
/// assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
/// assert_eq!(resp.message_id.to_string(), "id-2");
/// let data = DataSmBuilder::new(0).destination_addr("447700900123").build()?;
/// assert!(esme.data_sm(data).await?.is_ok());
/// let pdu = esme.send(submit()?).await?; // any request: its response PDU
/// assert_eq!(pdu.command_id(), CommandId::SUBMIT_SM_RESP);
/// esme.enquire_link().await?;
///
/// // Pipelined: queue() returns once the request has a window slot.
/// let mut pending = Vec::new();
/// for _ in 0..8 {
///     pending.push(esme.queue(submit()?).await?);
/// }
/// assert_eq!(esme.available_window(), 0);
/// assert_eq!(esme.stats().outstanding, 8);
/// for response in pending {
///     assert!(SmResponse::from(response.await?).is_ok());
/// }
/// assert_eq!(esme.available_window(), 8);
///
/// // At most 50 requests a second: three take 40 ms at least.
/// esme.set_max_rate(Some(50));
/// assert_eq!(esme.max_rate(), Some(50));
/// let start = tokio::time::Instant::now();
/// for _ in 0..3 {
///     esme.submit_sm(submit()?).await?;
/// }
/// assert!(start.elapsed() >= Duration::from_millis(40));
///
/// assert_eq!(esme.stats().traffic.sent_of(CommandId::SUBMIT_SM), 13);
/// esme.unbind().await?;
/// assert!(esme.is_closed());
/// assert_eq!(esme.close_reason(), Some(CloseReason::Unbound));
/// assert_eq!(copy.closed().await, CloseReason::Unbound);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct Handle {
    commands: mpsc::UnboundedSender<Command>,
    shared: Arc<Shared>,
}

impl Handle {
    pub(crate) fn new(commands: mpsc::UnboundedSender<Command>, shared: Arc<Shared>) -> Self {
        Self { commands, shared }
    }

    pub(crate) fn command(&self, command: Command) {
        let _ = self.commands.send(command);
    }

    pub(crate) fn downgrade(&self) -> mpsc::WeakUnboundedSender<Command> {
        self.commands.downgrade()
    }

    pub(crate) fn sender(&self) -> mpsc::UnboundedSender<Command> {
        self.commands.clone()
    }

    /// Waits for a window slot, then hands the request to the session;
    /// the returned [`Pending`] resolves to its response.
    ///
    /// Takes what the builders and the splitter make (a [`Pdu`]) or a
    /// [`Body`] ([`IntoRequest`]). The `sequence_number` is the session's
    /// to allocate: any in the PDU is not used. Fails at once with
    /// [`Error::NoResponse`] for a PDU that gets no response, and with
    /// [`Error::Closed`] once the session is closed. Under a rate limit
    /// ([`Self::set_max_rate`]) it then waits for the request's turn.
    /// Dropping the `Pending` does not withdraw the request: it is sent
    /// and its slot held until it is answered.
    ///
    /// See the example on [`Handle`].
    pub async fn queue(&self, request: impl IntoRequest) -> Result<Pending, Error> {
        self.queue_body(request.into_request(None)?).await
    }

    async fn queue_body(&self, body: Body) -> Result<Pending, Error> {
        let command_id = body.command_id();
        if !command_id.is_response() && !command_id.expects_response() {
            return Err(Error::NoResponse(command_id));
        }
        let permit = Arc::clone(&self.shared.permits)
            .acquire_owned()
            .await
            .map_err(|_| self.shared.closed_error())?;
        let permit = WindowSlot {
            permit: Some(permit),
            freed: self.shared.slot_freed.get().cloned(),
        };
        if command_id != CommandId::ENQUIRE_LINK
            && let Some(at) = self.shared.reserve_send_time()
        {
            self.shared.wait_until(at).await?;
        }
        let (reply, response) = oneshot::channel();
        self.commands
            .send(Command::Request(Box::new(Outgoing {
                body,
                reply,
                permit,
            })))
            .map_err(|_| self.shared.closed_error())?;
        Ok(Pending {
            response,
            shared: Arc::clone(&self.shared),
        })
    }

    /// Sends a request and waits for its response: the response PDU (its
    /// `command_status` may be an error: that is the peer's answer) or the
    /// `generic_nack` that answered it.
    ///
    /// See the example on [`Handle`].
    pub async fn send(&self, request: impl IntoRequest) -> Result<Pdu, Error> {
        self.queue(request).await?.await
    }

    /// Sends `request` as the `command_id` request and waits for the
    /// answer.
    async fn send_as(
        &self,
        command_id: CommandId,
        request: impl IntoRequest,
    ) -> Result<SmResponse, Error> {
        let body = request.into_request(Some(command_id))?;
        let pending = self.queue_body(body).await?;
        pending.await.map(SmResponse::from)
    }

    /// ESME: sends `submit_sm` (a [`SubmitSmBuilder`](crate::SubmitSmBuilder)'s
    /// PDU, a part from [`text::submit_sms`](crate::text::submit_sms), or
    /// the body); the answer is the `submit_sm_resp`'s status and
    /// `message_id`. Another command is refused with
    /// [`Error::UnexpectedCommand`], and nothing is sent; otherwise it
    /// fails as [`Self::queue`] does.
    ///
    /// See the example on [`Handle`].
    pub async fn submit_sm(&self, submit_sm: impl IntoRequest) -> Result<SmResponse, Error> {
        self.send_as(CommandId::SUBMIT_SM, submit_sm).await
    }

    /// MC: sends `deliver_sm` (a delivery receipt, a mobile-originated
    /// message) to a receiver or transceiver; the answer is the
    /// `deliver_sm_resp`'s status.
    ///
    /// An SMSC's session with a receiver, found by its `system_id`:
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use smpp_core::session::{BindType, Config};
    /// use smpp_core::{Body, CommandId};
    /// use smpp_std::server::Server;
    /// use smpp_std::{AlertNotification, SubmitSmBuilder, client};
    /// # use smpp_core::CommandStatus;
    /// # use smpp_std::server::{BindRequest, Context, Handler};
    /// # use smpp_std::session::Answer;
    /// # struct Smsc;
    /// # impl Handler for Smsc {
    /// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
    /// #     async fn request(&self, _: &Context, _: smpp_std::Pdu) -> Answer { Answer::Ok }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await?;
    /// let addr = server.local_addr()?;
    /// let smsc = server.handle();
    /// tokio::spawn(server.run());
    ///
    /// let config = Config::esme(BindType::Receiver).with_system_id("shop")?;
    /// let (_esme, mut incoming) = client::connect(addr, config).await?;
    /// let receiving = tokio::spawn(async move {
    ///     let request = incoming.recv().await.expect("a deliver_sm");
    ///     let Body::DeliverSm(sm) = &request.pdu().body else { panic!("not a deliver_sm") };
    ///     let text = sm.short_message.clone();
    ///     drop(request); // answered ESME_ROK
    ///     let alert = incoming.recv().await.expect("an alert_notification");
    ///     (text, alert.command_id(), alert.needs_answer())
    /// });
    ///
    /// let session = smsc.session("shop").expect("bound");
    /// assert_eq!(session.system_id().map(ToString::to_string).as_deref(), Some("shop"));
    /// assert!(session.peer_addr().is_some_and(|peer| peer.ip().is_loopback()));
    /// let mo = SubmitSmBuilder::deliver_sm(0)
    ///     .source_addr("447700900123")
    ///     .short_message("Hi")
    ///     .build()?;
    /// assert!(session.deliver_sm(mo).await?.is_ok());
    /// session.alert_notification(AlertNotification::default()).await?; // no response
    /// let (text, alert, needs_answer) = receiving.await?;
    /// assert_eq!(text, "Hi");
    /// assert_eq!(alert, CommandId::ALERT_NOTIFICATION);
    /// assert!(!needs_answer);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn deliver_sm(&self, deliver_sm: impl IntoRequest) -> Result<SmResponse, Error> {
        self.send_as(CommandId::DELIVER_SM, deliver_sm).await
    }

    /// Sends `data_sm` (either side); the answer is the `data_sm_resp`'s
    /// status and `message_id`. Another command is refused with
    /// [`Error::UnexpectedCommand`], and nothing is sent; otherwise it
    /// fails as [`Self::queue`] does.
    ///
    /// See the example on [`Handle`].
    pub async fn data_sm(&self, data_sm: impl IntoRequest) -> Result<SmResponse, Error> {
        self.send_as(CommandId::DATA_SM, data_sm).await
    }

    /// Sends `enquire_link` and waits for its response. (The session also
    /// sends one by itself after the `enquire_link_timer` of silence.)
    ///
    /// See the example on [`Handle`].
    pub async fn enquire_link(&self) -> Result<(), Error> {
        self.queue_body(Body::EnquireLink).await?.await.map(|_| ())
    }

    /// MC: sends `alert_notification` (it has no response); returns once
    /// it is queued for sending.
    ///
    /// See the example on [`Handle::deliver_sm`].
    pub async fn alert_notification(&self, alert: AlertNotification) -> Result<(), Error> {
        let (reply, done) = oneshot::channel();
        self.commands
            .send(Command::Notify(Box::new((
                Body::AlertNotification(alert),
                reply,
            ))))
            .map_err(|_| self.shared.closed_error())?;
        done.await.map_err(|_| self.shared.closed_error())?
    }

    /// Unbinds: new requests are refused, requests already sent get their
    /// responses, then `unbind` goes out, and the session closes when the
    /// `unbind_resp` comes. Ok once the unbind exchange completed (also
    /// when the peer unbound first).
    ///
    /// See the example on [`Handle`].
    pub async fn unbind(&self) -> Result<(), Error> {
        let (reply, done) = oneshot::channel();
        self.commands
            .send(Command::Unbind(Some(reply)))
            .map_err(|_| self.unbound_or_closed())?;
        done.await.map_err(|_| self.unbound_or_closed())?
    }

    fn unbound_or_closed(&self) -> Error {
        match self.shared.close_reason() {
            Some(CloseReason::Unbound) => Error::Closed(CloseReason::Unbound),
            _ => self.shared.closed_error(),
        }
    }

    /// Closes the session at once, without unbinding; outstanding requests
    /// fail with [`Error::Closed`].
    ///
    /// See the example on [`Error`].
    pub fn close(&self) {
        self.command(Command::Close);
    }

    /// The session's counters and latencies, and how full its window is.
    ///
    /// See the example on [`Handle`].
    pub fn stats(&self) -> SessionStats {
        let last = *lock(&self.shared.last_protocol_error);
        SessionStats {
            traffic: self.shared.meter.traffic(),
            outstanding: self.shared.window - self.shared.permits.available_permits(),
            window: self.shared.window,
            last_protocol_error: last,
        }
    }

    /// A number no other session of the process has (they count from 1):
    /// to tell sessions apart, as a key for state kept per session.
    ///
    /// See the example on [`Handle`].
    pub fn id(&self) -> u64 {
        self.shared.id
    }

    /// True if `other` is a handle of the same session.
    ///
    /// See the example on [`Handle`].
    pub fn same_session(&self, other: &Self) -> bool {
        self.shared.id == other.shared.id
    }

    /// From now on, each window slot of this session given back notifies
    /// `freed` once (for the first call only).
    pub(crate) fn notify_freed_slots(&self, freed: &Arc<Notify>) {
        let _ = self.shared.slot_freed.set(Arc::clone(freed));
    }

    /// Waits until the session is closed; returns why.
    ///
    /// See the example on [`Handle`].
    pub async fn closed(&self) -> CloseReason {
        let mut watch = self.shared.closed.subscribe();
        let reason = watch.wait_for(Option::is_some).await.ok().and_then(|r| *r);
        reason.unwrap_or(CloseReason::Disconnected)
    }

    /// Why the session closed, once it has.
    ///
    /// See the example on [`Handle`].
    pub fn close_reason(&self) -> Option<CloseReason> {
        self.shared.close_reason()
    }

    /// True once the session is closed.
    ///
    /// See the example on [`Handle`].
    pub fn is_closed(&self) -> bool {
        self.close_reason().is_some()
    }

    /// How the session is bound (`None` on the MC side until the bind is
    /// accepted).
    ///
    /// See the example on [`Handle`].
    pub fn bind_info(&self) -> Option<&BindInfo> {
        self.shared.bind_info()
    }

    /// The peer's `system_id`, once bound.
    ///
    /// See the examples on [`Handle`] and [`Handle::deliver_sm`].
    pub fn system_id(&self) -> Option<&COctet> {
        self.bind_info().map(|b| &b.system_id)
    }

    /// The peer's address, for a TCP connection.
    ///
    /// See the examples on [`Handle`] and [`Handle::deliver_sm`].
    pub fn peer_addr(&self) -> Option<SocketAddr> {
        self.shared.peer_addr
    }

    /// The window: how many requests may be outstanding at once.
    ///
    /// See the example on [`Handle`].
    pub fn window(&self) -> usize {
        self.shared.window
    }

    /// Window slots free right now.
    ///
    /// See the example on [`Handle`].
    pub fn available_window(&self) -> usize {
        self.shared.permits.available_permits()
    }

    /// Limits the requests this session sends to `per_second` (the
    /// throughput an MC account allows, beyond which it answers
    /// `ESME_RTHROTTLED`), for every clone of the handle; `None` or 0
    /// lifts the limit. Requests go out evenly spaced, one every
    /// `1 / per_second` seconds, each holding its window slot while it
    /// waits for its turn (so the window still bounds what is queued).
    /// `enquire_link` is not limited, nor are responses, nor the PDUs the
    /// session sends by itself.
    ///
    /// See the example on [`Handle`].
    pub fn set_max_rate(&self, per_second: Option<u32>) {
        let mut rate = lock(&self.shared.rate);
        // Turns already taken under the old limit stay taken.
        let next = rate.map_or_else(Instant::now, |r| r.next);
        *rate = per_second
            .filter(|&n| n > 0)
            .map(|per_second| Rate { per_second, next });
    }

    /// The limit [`Self::set_max_rate`] set: requests per second.
    ///
    /// See the example on [`Handle`].
    pub fn max_rate(&self) -> Option<u32> {
        lock(&self.shared.rate).map(|r| r.per_second)
    }
}

/// The response to a request sent with [`Handle::queue`]: a future of
/// the response PDU (its `command_status` may be an error: that is the
/// peer's answer, or the `generic_nack` that answered it).
///
/// It fails with [`Error::Refused`] when the session refused the request
/// and sent nothing (the operation matrix forbids it for this bind, the
/// session is unbinding, the PDU is larger than the transmit queue), with
/// [`Error::Encode`] for a PDU that does not encode, with
/// [`Error::Timeout`] when no response came within the `response_timer`,
/// and with [`Error::Closed`] or [`Error::OutcomeUnknown`] when the session
/// closed before the response (not written, or written);
/// [`Error::may_have_been_received`] tells them apart.
///
/// See the example on [`Handle`].
#[derive(Debug)]
#[must_use = "a Pending does nothing unless awaited (the request is sent anyway)"]
pub struct Pending {
    response: oneshot::Receiver<Result<Pdu, Error>>,
    shared: Arc<Shared>,
}

impl Future for Pending {
    type Output = Result<Pdu, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.response)
            .poll(cx)
            .map(|result| result.unwrap_or_else(|_| Err(self.shared.closed_error())))
    }
}
