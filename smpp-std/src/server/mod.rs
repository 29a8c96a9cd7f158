//! An async SMSC (feature `tokio`): accepts ESMEs on a TCP listener (or
//! over connections the application accepted itself, TLS ones included)
//! and runs one session per connection, in a task of its own, on the
//! sans-I/O engine of [`smpp_core::session`]. The application's
//! [`Handler`] decides binds and answers requests; each call gets a
//! [`Context`] with the session and the server, to send `deliver_sm`
//! (delivery receipts, mobile-originated messages) to any bound receiver
//! or transceiver through its window.
//!
//! The engine does the protocol: it answers `enquire_link`, refuses PDUs
//! the operation matrix forbids (a `submit_sm` before the bind gets
//! `ESME_RINVBNDSTS`), answers malformed PDUs as their error says and
//! carries on, answers `unbind` and runs the session timers of the
//! [`Config::mc`] given. The session does the flow control: an ESME that
//! sends faster than the handler answers is read no further than the
//! inbound window until answers are given (TCP slows it down), and one
//! that stops reading is closed by the write timer.
//!
//! - [`Server::bind`] listens; [`Server::run`] accepts until
//!   [`ServerHandle::shutdown`], then waits for every session to end
//!   (bound ones are unbound gracefully, the others closed), at most the
//!   shutdown timeout; [`ServerHandle::serve`] runs a connection accepted
//!   elsewhere as one of the server's.
//! - Admission: [`Server::with_max_connections`] caps the bound sessions,
//!   [`Server::with_max_unbound`] and
//!   [`Server::with_max_unbound_per_source`] the connections that have not
//!   bound (the oldest idle one makes room for a new one), and
//!   [`Server::with_account_limits`] the binds and the message rate of
//!   each `system_id`; every refusal is counted in [`ServerHandle::stats`].
//! - [`Handler::bind`] answers a bind with a status (`ESME_ROK` accepts;
//!   `ESME_RINVPASWD`, `ESME_RINVSYSID`, ... refuse, and the ESME may try
//!   again); [`Handler::request`] answers `submit_sm`, `data_sm`,
//!   `query_sm`, `cancel_sm`, `replace_sm`, `submit_multi`, ... with an
//!   [`Answer`] (a `message_id`, a status, a full response).
//! - Routing: [`ServerHandle::deliver_to_system_id`] sends a receipt to
//!   whichever session of an account receives (its transmitter may be
//!   another connection); [`ServerHandle::deliver_to_address`] sends a
//!   mobile-originated message to a session whose bind's `address_range`
//!   matches the destination.
//! - [`serve`] runs one session over any `AsyncRead + AsyncWrite`, without
//!   a listener.
//!
//! Handler calls that complete at once (no `.await` that waits) are
//! answered inline; the others run in a task of their own, so a slow
//! answer never holds up the connection.
//!
//! # Example
//!
//! A receipt for every message, routed to the account's receiver, which
//! is another connection than its transmitter:
//!
//! ```
//! use std::sync::Arc;
//!
//! use smpp_core::session::{BindType, Config};
//! use smpp_core::{Body, CommandStatus, EsmClass, TlvTag};
//! use smpp_std::server::{BindRequest, Context, Handler, Server};
//! use smpp_std::session::Answer;
//! use smpp_std::{Pdu, SubmitSmBuilder, client};
//!
//! struct Smsc;
//!
//! impl Handler for Smsc {
//!     async fn bind(&self, _cx: &Context, _bind: &BindRequest) -> CommandStatus {
//!         CommandStatus::ESME_ROK
//!     }
//!
//!     async fn request(&self, cx: &Context, pdu: Pdu) -> Answer {
//!         let id = format!("{}", pdu.sequence_number);
//!         let receipt = SubmitSmBuilder::deliver_sm(0)
//!             .esm_class(EsmClass::DELIVERY_RECEIPT)
//!             .receipted_message_id(id.as_str())
//!             .build()
//!             .expect("a valid deliver_sm");
//!         // Sent after the response, to a receiver of the same account.
//!         let server = cx.server().clone();
//!         let account = cx.session().system_id().and_then(|s| s.to_str()).unwrap_or("").to_owned();
//!         tokio::spawn(async move { server.deliver_to_system_id(&account, receipt).await });
//!         Answer::message_id(id)
//!     }
//! }
//!
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! tokio::runtime::Runtime::new()?.block_on(async {
//!     let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await?;
//!     let addr = server.local_addr()?;
//!     let stop = server.handle();
//!     let serving = tokio::spawn(server.run());
//!
//!     let esme = |bind_type| Config::esme(bind_type).with_system_id("shop");
//!     let (_rx, mut incoming) = client::connect(addr, esme(BindType::Receiver)?).await?;
//!     let (tx, _) = client::connect(addr, esme(BindType::Transmitter)?).await?;
//!     let submit = SubmitSmBuilder::new(0).destination_addr("447700900123").build()?;
//!     let resp = tx.submit_sm(submit).await?;
//!
//!     let receipt = incoming.recv().await.expect("a receipt");
//!     if let Body::DeliverSm(dlr) = &receipt.pdu().body {
//!         let id = dlr.tlvs.get(TlvTag::RECEIPTED_MESSAGE_ID).map(|t| t.as_cstr());
//!         assert_eq!(id, Some(resp.message_id.as_bytes()));
//!     }
//!     drop(receipt); // taken, so answered ESME_ROK
//!
//!     tx.unbind().await?;
//!     stop.shutdown();
//!     serving.await?;
//!     Ok(())
//! })
//! # }
//! ```

mod registry;

use core::future::Future;
use core::net::SocketAddr;
use core::panic::AssertUnwindSafe;
use core::pin::Pin;
use core::task::Poll;
use core::time::Duration;
use std::io;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
pub use registry::{AccountLimits, ServerStats};
use registry::{Limits, Quota, Registry};
use smpp_core::session::{CloseReason, Config, ProtocolError, Role, SessionError};
use smpp_core::{CommandId, CommandStatus};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio::sync::{mpsc, watch};

#[cfg(feature = "tls")]
pub use crate::client::rustls;
use crate::owned::Pdu;
pub use crate::session::BindRequest;
use crate::session::driver::{Driver, Hooks, LINGER, now_or_later, until_stopped};
use crate::session::handle::{Command, Shared};
use crate::session::inbound::WINDOW_CAPACITY;
use crate::session::{Answer, Error, Handle, IntoRequest, SharedMeter, SmResponse, Traffic, lock};

/// What a [`Handler`] is given with each call: the server (to find other
/// sessions, route a message, read the counters) and the session the call
/// is about (to send it requests, read how it is bound).
///
/// See the example on [`Handler`].
#[derive(Clone, Debug)]
pub struct Context {
    server: ServerHandle,
    session: Handle,
}

impl Context {
    /// The server.
    ///
    /// See the example on [`Handler`].
    pub fn server(&self) -> &ServerHandle {
        &self.server
    }

    /// The session.
    ///
    /// See the example on [`Handler`].
    pub fn session(&self) -> &Handle {
        &self.session
    }
}

/// The SMSC application: decides binds and answers requests. One handler
/// serves every session of a [`Server`].
///
/// Implement the `async fn`s as `async fn` (their futures must be `Send`).
/// A call that completes without waiting is answered at once, inline;
/// one that waits runs in a task of its own meanwhile, as many at once as
/// the session's inbound window allows
/// ([`Config::with_inbound_window`](smpp_core::session::Config::with_inbound_window)):
/// beyond it the session reads nothing more from the ESME until an answer
/// is given. Such a call runs to its end even when the session closes
/// meanwhile (its answer then goes nowhere): it is never cancelled half-way,
/// so a handler that stores a message finishes storing it. One that never
/// completes keeps its task and its [`Context`] for ever: bound the waits
/// of a handler (a timeout on a database call) as for any task.
///
/// A call that panics is answered as a fault of the SMSC: a bind is
/// refused with `ESME_RBINDFAIL`, a request answered `ESME_RSYSERR`, and
/// the session goes on. A panic in [`Self::bound`] or
/// [`Self::protocol_error`] ends the session (its connection closes,
/// without a call of [`Self::closed`]), as it would end a task; the server
/// counts it closed and its bind no longer counts against any limit.
///
/// An SMSC that knows one account, numbers its messages per account, and
/// counts the sessions bound:
///
/// ```
/// use std::sync::Arc;
/// use std::sync::atomic::{AtomicUsize, Ordering};
///
/// use smpp_core::session::{BindType, CloseReason, Config};
/// use smpp_core::CommandStatus;
/// use smpp_std::server::{BindRequest, Context, Handler, Server};
/// use smpp_std::session::{Answer, Error};
/// use smpp_std::{Pdu, SubmitSmBuilder, client};
///
/// #[derive(Default)]
/// struct Smsc {
///     bound: AtomicUsize,
/// }
///
/// impl Handler for Smsc {
///     async fn bind(&self, _cx: &Context, bind: &BindRequest) -> CommandStatus {
///         match bind.system_id() {
///             b"shop" if bind.password() == b"secret" => CommandStatus::ESME_ROK,
///             b"shop" => CommandStatus::ESME_RINVPASWD,
///             _ => CommandStatus::ESME_RINVSYSID,
///         }
///     }
///
///     async fn request(&self, cx: &Context, pdu: Pdu) -> Answer {
///         // The server lists the session among those bound.
///         if !cx.server().sessions().iter().any(|s| s.same_session(cx.session())) {
///             return Answer::Status(CommandStatus::ESME_RSYSERR);
///         }
///         let account = cx.session().bind_info().map(|b| b.system_id.to_string());
///         Answer::message_id(format!("{}-{}", account.unwrap_or_default(), pdu.sequence_number))
///     }
///
///     fn bound(&self, _cx: &Context) {
///         self.bound.fetch_add(1, Ordering::Relaxed);
///     }
///
///     fn closed(&self, cx: &Context, _reason: CloseReason) {
///         // Every session closes, also those that never bound.
///         if cx.session().bind_info().is_some() {
///             self.bound.fetch_sub(1, Ordering::Relaxed);
///         }
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc::default())).await?;
/// let addr = server.local_addr()?;
/// let smsc = Arc::clone(server.handler());
/// tokio::spawn(server.run());
///
/// let esme = |system_id, password| {
///     Config::esme(BindType::Transmitter).with_system_id(system_id)?.with_password(password)
/// };
/// let refused = client::connect(addr, esme("guest", "secret")?).await;
/// assert!(matches!(refused, Err(Error::BindRefused(CommandStatus::ESME_RINVSYSID))));
/// let refused = client::connect(addr, esme("shop", "guess")?).await.unwrap_err();
/// assert_eq!(refused.command_status(), Some(CommandStatus::ESME_RINVPASWD));
///
/// let (shop, _incoming) = client::connect(addr, esme("shop", "secret")?).await?;
/// assert_eq!(smsc.bound.load(Ordering::Relaxed), 1);
/// let submit = SubmitSmBuilder::new(0).destination_addr("447700900123").build()?;
/// assert_eq!(shop.submit_sm(submit).await?.message_id.to_string(), "shop-2");
/// # Ok(())
/// # }
/// ```
pub trait Handler: Send + Sync + 'static {
    /// Answers a bind: `ESME_ROK` accepts it (if the server's admission
    /// has room: [`Server::with_max_connections`],
    /// [`Server::with_account_limits`]); any other status refuses it
    /// (`ESME_RINVPASWD`, `ESME_RINVSYSID`, `ESME_RBINDFAIL`,
    /// `ESME_RALYBND`, ...), and the ESME may bind again. `cx.session()`
    /// is the session asking.
    fn bind(
        &self,
        cx: &Context,
        request: &BindRequest,
    ) -> impl Future<Output = CommandStatus> + Send;

    /// Answers a request of a bound ESME (`submit_sm`, `data_sm`,
    /// `query_sm`, `cancel_sm`, `replace_sm`, `submit_multi`,
    /// `broadcast_sm`, ...; `enquire_link` and `unbind` are the engine's).
    /// The PDU's fields are slices of the frame it came in.
    ///
    /// To end the session over a request (an account suspended), answer
    /// it and unbind from a task of its own (`tokio::spawn` of
    /// `cx.session().unbind()`): `unbind` returns once the session has
    /// closed, and the session, once unbound, waits for the answers it
    /// owes the ESME, this one included, up to the `response_timer`; a
    /// request that awaits it waits that long, and its answer is lost.
    fn request(&self, cx: &Context, pdu: Pdu) -> impl Future<Output = Answer> + Send;

    /// A session is bound; `cx.session()` sends it requests (`deliver_sm`)
    /// for as long as it lives. Called before any request of the session.
    fn bound(&self, cx: &Context) {
        let _ = cx;
    }

    /// A session closed (unbound, the connection lost, a timer).
    fn closed(&self, cx: &Context, reason: CloseReason) {
        let _ = (cx, reason);
    }

    /// The ESME broke the protocol (a malformed PDU, one the state does
    /// not allow, ...); the engine already answered where an answer is
    /// due, and the session goes on.
    fn protocol_error(&self, cx: &Context, error: ProtocolError) {
        let _ = (cx, error);
    }
}

/// A connection of any kind, boxed, for sessions started by
/// [`ServerHandle::serve`].
trait Connection: AsyncRead + AsyncWrite + Unpin + Send + 'static {}

impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Connection for T {}

type SessionFuture = Pin<Box<dyn Future<Output = CloseReason> + Send>>;

/// Starts a session of the server over a connection, with this
/// configuration; with `true`, it begins with an `outbind`.
type Starter = dyn Fn(Box<dyn Connection>, Option<SocketAddr>, ServerHandle, Config, bool) -> SessionFuture
    + Send
    + Sync;

/// What every handle of a server shares.
struct Inner {
    /// The configuration of every session.
    config: Config,
    registry: Registry,
    /// What went over every session, those closed included.
    traffic: SharedMeter,
    stop: watch::Sender<bool>,
    limits: Mutex<Limits>,
    starter: Box<Starter>,
}

impl core::fmt::Debug for Inner {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Server")
            .field("stats", &self.registry.stats())
            .field("stopped", &*self.stop.borrow())
            .finish_non_exhaustive()
    }
}

/// A cloneable handle on a [`Server`]: finds and routes to sessions, runs
/// connections accepted elsewhere, reads the counters, shuts down.
///
/// A receiver serving the numbers that start with 4477, and the messages
/// the SMSC sends it:
///
/// ```
/// use smpp_core::session::{BindType, Config};
/// use smpp_core::{CommandId, EsmClass, Npi, Ton};
/// use smpp_std::session::Error;
/// use smpp_std::{SubmitSmBuilder, client};
/// # use std::sync::Arc;
/// # use smpp_core::CommandStatus;
/// # use smpp_std::server::{BindRequest, Context, Handler, Server};
/// # use smpp_std::session::Answer;
/// # struct Smsc;
/// # impl Handler for Smsc {
/// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
/// #     async fn request(&self, _: &Context, _: smpp_std::Pdu) -> Answer { Answer::Ok }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await?;
/// # let addr = server.local_addr()?;
/// let smsc = server.handle();
/// tokio::spawn(server.run());
///
/// let config = Config::esme(BindType::Receiver)
///     .with_system_id("shop")?
///     .with_address_range(Ton::INTERNATIONAL, Npi::ISDN, "^4477")?;
/// let (_receiver, mut incoming) = client::connect(addr, config).await?;
/// // The ESME takes what comes (each answered ESME_ROK when dropped).
/// let taking = tokio::spawn(async move {
///     let mut taken = 0;
///     while incoming.recv().await.is_some() {
///         taken += 1;
///     }
///     taken
/// });
///
/// assert_eq!(smsc.sessions().len(), 1);
/// let session = smsc.session("shop").expect("a receiver of shop");
/// assert_eq!(session.bind_info().map(|b| b.bind_type), Some(BindType::Receiver));
/// assert_eq!(smsc.route("447700900123").len(), 1);
/// assert!(smsc.route("33612345678").is_empty());
///
/// // A delivery receipt to the account, a mobile-originated message by address.
/// let receipt = SubmitSmBuilder::deliver_sm(0)
///     .esm_class(EsmClass::DELIVERY_RECEIPT)
///     .receipted_message_id("id-7")
///     .build()?;
/// assert!(smsc.deliver_to_system_id("shop", receipt).await?.is_ok());
/// let mo = |to| SubmitSmBuilder::deliver_sm(0).destination_addr(to).short_message("Hi").build();
/// assert!(smsc.deliver_to_address("447700900123", mo("447700900123")?).await?.is_ok());
/// let nobody = smsc.deliver_to_address("33612345678", mo("33612345678")?).await;
/// assert!(matches!(nobody, Err(Error::NoRoute)));
///
/// assert_eq!(smsc.traffic().sent_of(CommandId::DELIVER_SM), 2);
/// assert_eq!(smsc.stats().bound, 1);
/// smsc.shutdown(); // unbinds the receiver: its requests end
/// assert_eq!(taking.await?, 2);
/// assert!(smsc.is_shut_down());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct ServerHandle {
    inner: Arc<Inner>,
}

impl ServerHandle {
    fn new<H: Handler>(config: Config, handler: Arc<H>) -> Self {
        let starter: Box<Starter> = Box::new(move |io, peer, server, config, outbind| {
            Box::pin(session(
                io,
                config,
                Arc::clone(&handler),
                peer,
                server,
                outbind,
            ))
        });
        Self {
            inner: Arc::new(Inner {
                config,
                registry: Registry::default(),
                traffic: SharedMeter::default(),
                stop: watch::Sender::new(false),
                limits: Mutex::new(Limits::default()),
                starter,
            }),
        }
    }

    fn limits(&self) -> std::sync::MutexGuard<'_, Limits> {
        lock(&self.inner.limits)
    }

    /// Runs one session over a connection the application accepted itself
    /// (a TLS stream, a Unix socket, an in-memory pipe), under the same
    /// handler, admission and shutdown as the listener's sessions; returns
    /// why it closed. `peer_addr` is the ESME's address (the per-source
    /// budget applies to it). After [`Self::shutdown`] the connection is
    /// closed at once ([`CloseReason::Local`]). Dropping the future closes
    /// the connection; the server no longer counts it (it is counted
    /// closed, without a call of [`Handler::closed`]).
    ///
    /// A connection the application made itself (here an in-memory pipe):
    ///
    /// ```
    /// use smpp_core::session::{BindType, CloseReason, Config};
    /// use smpp_std::client;
    /// # use std::sync::Arc;
    /// # use smpp_core::CommandStatus;
    /// # use smpp_std::server::{BindRequest, Context, Handler, Server};
    /// # use smpp_std::session::Answer;
    /// # struct Smsc;
    /// # impl Handler for Smsc {
    /// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
    /// #     async fn request(&self, _: &Context, _: smpp_std::Pdu) -> Answer { Answer::Ok }
    /// # }
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await?;
    /// let smsc = server.handle();
    ///
    /// let (esme_side, mc_side) = tokio::io::duplex(64 * 1024);
    /// let serving = tokio::spawn({
    ///     let smsc = smsc.clone();
    ///     async move { smsc.serve(mc_side, None).await }
    /// });
    /// let config = Config::esme(BindType::Transceiver).with_system_id("shop")?;
    /// let (esme, _incoming) = client::bind(esme_side, config).await?;
    /// assert!(smsc.session("shop").is_some()); // one of the server's sessions
    ///
    /// esme.unbind().await?;
    /// assert_eq!(serving.await?, CloseReason::Unbound);
    /// assert_eq!(smsc.stats().closed, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn serve(
        &self,
        io: impl AsyncRead + AsyncWrite + Unpin + Send + 'static,
        peer_addr: Option<SocketAddr>,
    ) -> CloseReason {
        let config = self.inner.config.clone();
        self.serve_with(io, peer_addr, config, false).await
    }

    /// Serves `io` with `config`, beginning with an `outbind` if asked to;
    /// closes it at once after [`Self::shutdown`].
    async fn serve_with(
        &self,
        io: impl AsyncRead + AsyncWrite + Unpin + Send + 'static,
        peer_addr: Option<SocketAddr>,
        config: Config,
        outbind: bool,
    ) -> CloseReason {
        if self.is_shut_down() {
            return CloseReason::Local;
        }
        (self.inner.starter)(Box::new(io), peer_addr, self.clone(), config, outbind).await
    }

    /// The configuration of sessions that begin with an `outbind` carrying
    /// `password`.
    fn outbind_config(&self, password: &str) -> Result<Config, Error> {
        let config = self.inner.config.clone().with_password(password);
        config.map_err(Error::Encode)
    }

    /// Serves `io`, a connection this MC opened to an ESME that waits for
    /// `outbind` (SMPP's way for an MC to ask an ESME to bind, typically as
    /// a receiver, to deliver messages to it): sends `outbind` with the
    /// server's `system_id` and `password`, then serves the connection as
    /// [`Self::serve`] does. The ESME's bind goes to the [`Handler`] and
    /// the admission like any other; no bind within the
    /// `session_init_timer` closes the connection
    /// ([`CloseReason::SessionInitTimeout`]).
    ///
    /// `password` is the ESME's for this MC, at most 8 characters (an
    /// [`Error::Encode`] otherwise).
    ///
    /// See the example of [`client::accept_outbind`](crate::client::accept_outbind).
    pub async fn serve_outbind(
        &self,
        io: impl AsyncRead + AsyncWrite + Unpin + Send + 'static,
        peer_addr: Option<SocketAddr>,
        password: &str,
    ) -> Result<CloseReason, Error> {
        let config = self.outbind_config(password)?;
        Ok(self.serve_with(io, peer_addr, config, true).await)
    }

    /// Connects to an ESME at `addr` that waits for `outbind`, and serves
    /// the connection as [`Self::serve_outbind`] does, until it ends. A
    /// password too long fails before connecting.
    pub async fn outbind(
        &self,
        addr: impl ToSocketAddrs,
        password: &str,
    ) -> Result<CloseReason, Error> {
        let config = self.outbind_config(password)?;
        if self.is_shut_down() {
            return Ok(CloseReason::Local);
        }
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;
        let peer = stream.peer_addr().ok();
        Ok(self.serve_with(stream, peer, config, true).await)
    }

    /// True once [`Self::shutdown`] was called.
    ///
    /// See the example on [`ServerHandle`].
    pub fn is_shut_down(&self) -> bool {
        *self.inner.stop.borrow()
    }

    /// Every bound session (one that unbound is not, though its
    /// connection may stay open until the ESME closes it, the
    /// `response_timer` runs out, or a newer connection needs its place:
    /// it counts among those not bound, [`Server::with_max_unbound`]).
    ///
    /// See the example on [`ServerHandle`].
    pub fn sessions(&self) -> Vec<Handle> {
        self.inner
            .registry
            .bound_handles()
            .into_iter()
            .filter(|h| h.bind_info().is_some() && !h.is_closed())
            .collect()
    }

    /// A bound receiver or transceiver session of the ESME `system_id`
    /// (the one with the most free window slots, if there are several):
    /// where its `deliver_sm`s go.
    ///
    /// See the example on [`ServerHandle`].
    pub fn session(&self, system_id: &str) -> Option<Handle> {
        self.inner.registry.receiver_of(system_id.as_bytes(), &[])
    }

    /// The bound receivers and transceivers whose `address_range` (a
    /// regular expression, as the ESME gave it in its bind) matches
    /// `destination_addr`: where a mobile-originated message to it may go.
    ///
    /// See the example on [`ServerHandle`].
    pub fn route(&self, destination_addr: &str) -> Vec<Handle> {
        self.inner.registry.receivers_for(destination_addr)
    }

    /// Sends `deliver_sm` (a delivery receipt, a mobile-originated
    /// message) to the ESME `system_id`, through whichever of its bound
    /// receivers and transceivers has the most room (its transmitter may
    /// be another connection). If the chosen session can take no new
    /// request by the time the message would be written (it closed,
    /// unbinds or unbound, or the ESME ended its side of the connection),
    /// the next one is tried.
    /// [`Error::NoRoute`] when the account has no session left to take it.
    ///
    /// The PDU goes as given, TLVs included: an ESME that bound with an
    /// `interface_version` below 3.4 must be sent none (SMPP v3.4 2.11.2),
    /// so its receipts are to be built without them (its sessions'
    /// [`BindInfo::interface_version`](crate::session::BindInfo::interface_version)
    /// tells).
    ///
    /// See the example on [`ServerHandle`].
    pub async fn deliver_to_system_id(
        &self,
        system_id: &str,
        deliver_sm: impl IntoRequest,
    ) -> Result<SmResponse, Error> {
        let body = deliver_sm.into_request(Some(CommandId::DELIVER_SM))?;
        self.deliver(body, |except| {
            self.inner
                .registry
                .receiver_of(system_id.as_bytes(), except)
        })
        .await
    }

    /// Sends `deliver_sm` to a bound receiver or transceiver whose
    /// `address_range` matches `destination_addr` ([`Self::route`]), the
    /// one with the most room; as [`Self::deliver_to_system_id`] otherwise.
    ///
    /// See the example on [`ServerHandle`].
    pub async fn deliver_to_address(
        &self,
        destination_addr: &str,
        deliver_sm: impl IntoRequest,
    ) -> Result<SmResponse, Error> {
        let body = deliver_sm.into_request(Some(CommandId::DELIVER_SM))?;
        self.deliver(body, |except| {
            self.inner.registry.receiver_for(destination_addr, except)
        })
        .await
    }

    async fn deliver(
        &self,
        body: crate::owned::Body,
        best: impl Fn(&[Handle]) -> Option<Handle>,
    ) -> Result<SmResponse, Error> {
        // The sessions that refused it for closing or unbinding: each is
        // tried once.
        let mut refused = Vec::new();
        loop {
            let Some(session) = best(&refused) else {
                return Err(Error::NoRoute);
            };
            match session.deliver_sm(body.clone()).await {
                // Nothing of it left, for the session can take no new
                // request (closed, unbinding or unbound, its peer's side
                // ended): another session may take it (or, with none
                // left, it has no route).
                Err(
                    Error::Closed(_)
                    | Error::Refused(
                        SessionError::Unbinding
                        | SessionError::EndOfStream
                        | SessionError::NotAllowed { .. },
                    ),
                ) => {
                    refused.push(session);
                }
                other => return other,
            }
        }
    }

    /// What went over every session of the server so far, those closed
    /// included: PDUs by command and status, the latency of the server's
    /// own requests (`deliver_sm`), throttling, timeouts, protocol errors.
    ///
    /// See the example on [`ServerHandle`].
    pub fn traffic(&self) -> Traffic {
        self.inner.traffic.traffic()
    }

    /// What the server admitted and refused so far, and what is open now.
    ///
    /// See the example on [`ServerHandle`].
    pub fn stats(&self) -> ServerStats {
        self.inner.registry.stats()
    }

    /// Stops accepting connections and ends every session: bound ones
    /// unbind once their outstanding requests are answered, the others
    /// close. [`Server::run`] returns when all have ended, or at the
    /// latest after the shutdown timeout
    /// ([`Server::with_shutdown_timeout`]).
    ///
    /// See the examples on [`ServerHandle`] and [`Server`].
    pub fn shutdown(&self) {
        self.inner.stop.send_replace(true);
        self.end_sessions();
    }

    fn end_sessions(&self) {
        for handle in self.inner.registry.handles() {
            if handle.bind_info().is_some() {
                handle.command(Command::Unbind(None));
            } else {
                handle.close();
            }
        }
    }

    /// Waits for every session to end, for at most `timeout`; then closes
    /// those left and gives them the time to write a last PDU.
    async fn wait_sessions(&self, timeout: Duration) {
        let registry = &self.inner.registry;
        if tokio::time::timeout(timeout, registry.all_closed())
            .await
            .is_err()
        {
            for handle in registry.handles() {
                handle.close();
            }
            let grace = LINGER + Duration::from_secs(1);
            let _ = tokio::time::timeout(grace, registry.all_closed()).await;
        }
    }
}

/// A listening socket of a server, plain or TLS.
struct Listener {
    socket: TcpListener,
    #[cfg(feature = "tls")]
    tls: Option<tokio_rustls::TlsAcceptor>,
}

/// An SMSC listening for ESMEs, on one or several addresses (plain TCP or
/// TLS), all sharing its handler, admission, routing and counters.
///
/// Two ports, room for two bound sessions, and a shutdown that unbinds
/// them:
///
/// ```
/// use core::time::Duration;
///
/// use smpp_core::session::{BindType, CloseReason, Config};
/// use smpp_core::CommandStatus;
/// use smpp_std::session::Error;
/// use smpp_std::client;
/// # use std::sync::Arc;
/// # use smpp_std::server::{BindRequest, Context, Handler, Server};
/// # use smpp_std::session::Answer;
/// # struct Smsc;
/// # impl Handler for Smsc {
/// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
/// #     async fn request(&self, _: &Context, _: smpp_std::Pdu) -> Answer { Answer::Ok }
/// # }
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc))
///     .await?
///     .listen("127.0.0.1:0")
///     .await?
///     .with_max_connections(2)
///     .with_max_unbound(100)
///     .with_max_unbound_per_source(10)
///     .with_shutdown_timeout(Duration::from_secs(5));
/// assert_eq!(server.max_connections(), 2);
/// let [first, second] = server.local_addrs()[..] else { panic!("two ports") };
/// assert_eq!(server.local_addr()?, first);
/// let smsc = server.handle();
/// let serving = tokio::spawn(server.run());
///
/// let esme = || Config::esme(BindType::Transmitter);
/// let (a, _) = client::connect(first, esme()).await?;
/// let (b, _) = client::connect(second, esme()).await?;
/// let third = client::connect(first, esme()).await;
/// assert!(matches!(third, Err(Error::BindRefused(CommandStatus::ESME_RBINDFAIL))));
/// assert_eq!(smsc.stats().binds_refused_full, 1);
///
/// smsc.shutdown();
/// serving.await?; // every session ended
/// assert_eq!(a.closed().await, CloseReason::Unbound);
/// assert_eq!(b.closed().await, CloseReason::Unbound);
/// # Ok(())
/// # }
/// ```
pub struct Server<H> {
    listeners: Vec<Listener>,
    config: Config,
    handler: Arc<H>,
    handle: ServerHandle,
    shutdown_timeout: Duration,
}

impl<H> core::fmt::Debug for Server<H> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Server")
            .field(
                "listeners",
                &self
                    .listeners
                    .iter()
                    .filter_map(|l| l.socket.local_addr().ok())
                    .collect::<Vec<_>>(),
            )
            .field("config", &self.config)
            .field("handle", &self.handle)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .finish_non_exhaustive()
    }
}

impl<H: Handler> Server<H> {
    /// Listens on `addr`. Every session is configured with `config`
    /// ([`Config::mc`]: the `system_id` of the bind responses, the
    /// version, the windows, the timers).
    ///
    /// Fails with [`io::ErrorKind::InvalidInput`] for a configuration of
    /// the ESME side.
    ///
    /// See the example on [`Server`].
    pub async fn bind(
        addr: impl ToSocketAddrs,
        config: Config,
        handler: Arc<H>,
    ) -> io::Result<Self> {
        if config.role() != Role::Mc {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "a server needs a configuration of the MC side (Config::mc)",
            ));
        }
        // Long enough for every session to unbind (its outstanding
        // requests time out, then the unbind_resp) and write what is left.
        let shutdown_timeout = config.timers().response_timer * 2 + Duration::from_secs(3);
        let handle = ServerHandle::new(config.clone(), Arc::clone(&handler));
        let server = Self {
            listeners: Vec::new(),
            config,
            handler,
            handle,
            shutdown_timeout,
        };
        server.listen(addr).await
    }

    /// Listens on another address too, for plain TCP: the sessions of
    /// every address share the server.
    ///
    /// See the example on [`Server`].
    pub async fn listen(mut self, addr: impl ToSocketAddrs) -> io::Result<Self> {
        self.listeners.push(Listener {
            socket: TcpListener::bind(addr).await?,
            #[cfg(feature = "tls")]
            tls: None,
        });
        Ok(self)
    }

    /// Listens on another address too, for TLS (feature `tls`): a server
    /// that takes plain ESMEs on one port and TLS ones on another, with
    /// one handler, one admission, one routing table and one set of
    /// counters. The handshake is as [`Self::bind_tls`]'s.
    ///
    /// See the example on
    /// [`EsmeBuilder::tls`](crate::client::EsmeBuilder::tls).
    #[cfg(feature = "tls")]
    pub async fn listen_tls(
        mut self,
        addr: impl ToSocketAddrs,
        tls: Arc<rustls::ServerConfig>,
    ) -> io::Result<Self> {
        self.listeners.push(Listener {
            socket: TcpListener::bind(addr).await?,
            tls: Some(tokio_rustls::TlsAcceptor::from(tls)),
        });
        Ok(self)
    }

    /// Listens on `addr` for ESMEs that connect over TLS (feature `tls`),
    /// with the application's rustls configuration (certificate chain and
    /// key, client authentication, versions); otherwise as
    /// [`Self::bind`]. The handshake must complete within the
    /// `session_init_timer` (the `response_timer` if that is off); while it
    /// runs the connection counts as one that has not bound, in all and
    /// for its source ([`Self::with_max_unbound`],
    /// [`Self::with_max_unbound_per_source`]), and a newer one may close
    /// it to make room.
    ///
    /// See the example on [`client::connect_tls`](crate::client::connect_tls).
    #[cfg(feature = "tls")]
    pub async fn bind_tls(
        addr: impl ToSocketAddrs,
        config: Config,
        handler: Arc<H>,
        tls: Arc<rustls::ServerConfig>,
    ) -> io::Result<Self> {
        let mut server = Self::bind(addr, config, handler).await?;
        if let Some(first) = server.listeners.first_mut() {
            first.tls = Some(tokio_rustls::TlsAcceptor::from(tls));
        }
        Ok(server)
    }

    /// Serves at most `max` bound sessions at once (at least 1; no limit
    /// unless set): a bind beyond them is refused with `ESME_RBINDFAIL`
    /// ([`ServerStats::binds_refused_full`]), and the ESME may try again
    /// later.
    ///
    /// Connections that have not bound yet do not count here: they have
    /// their own budget ([`Self::with_max_unbound`]), so that they can
    /// never keep a binding ESME out while bound sessions are under this
    /// cap.
    ///
    /// See the example on [`Server`].
    #[must_use]
    pub fn with_max_connections(self, max: usize) -> Self {
        self.handle.limits().max_sessions = max.max(1);
        self
    }

    /// The most bound sessions at once ([`Self::with_max_connections`]).
    ///
    /// See the example on [`Server`].
    pub fn max_connections(&self) -> usize {
        self.handle.limits().max_sessions
    }

    /// Keeps at most `max` connections that have not bound yet (at least
    /// 1; 512 by default). A new connection beyond it closes the oldest
    /// of them ([`ServerStats::evicted_unbound`]): connections that never
    /// bind can delay a real ESME by no more than its own bind takes, and
    /// each costs little meanwhile. Those that do not bind are closed by
    /// the `session_init_timer` anyway. A session that unbound and waits
    /// for the ESME to close its connection counts among them again.
    ///
    /// See the example on [`Server`].
    #[must_use]
    pub fn with_max_unbound(self, max: usize) -> Self {
        self.handle.limits().max_unbound = max.max(1);
        self
    }

    /// Keeps at most `max` connections that have not bound yet from one
    /// source address (at least 1; 64 by default). A new connection from
    /// that address closes its oldest one
    /// ([`ServerStats::evicted_per_source`]), so that one source cannot
    /// spend the whole budget of [`Self::with_max_unbound`].
    ///
    /// See the example on [`Server`].
    #[must_use]
    pub fn with_max_unbound_per_source(self, max: usize) -> Self {
        self.handle.limits().max_unbound_per_source = max.max(1);
        self
    }

    /// What every account (`system_id`) may do, unless it has limits of its
    /// own ([`Self::with_account`]): how many sessions it may have bound at
    /// once, how many messages it may send per second over all of them.
    /// No limit by default.
    ///
    /// See the example on [`AccountLimits`].
    #[must_use]
    pub fn with_account_limits(self, limits: AccountLimits) -> Self {
        self.handle.limits().account = limits;
        self
    }

    /// The limits of the account `system_id`, instead of those of
    /// [`Self::with_account_limits`].
    ///
    /// See the example on [`AccountLimits`].
    #[must_use]
    pub fn with_account(self, system_id: &str, limits: AccountLimits) -> Self {
        self.handle
            .limits()
            .accounts
            .insert(Bytes::copy_from_slice(system_id.as_bytes()), limits);
        self
    }

    /// The status of a bind beyond its account's `max_binds`:
    /// `ESME_RALYBND` (the default) or `ESME_RBINDFAIL`, as the ESMEs of
    /// the deployment expect.
    ///
    /// See the example on [`AccountLimits`].
    #[must_use]
    pub fn with_bind_limit_status(self, status: CommandStatus) -> Self {
        self.handle.limits().bind_limit_status = status;
        self
    }

    /// How long [`Self::run`] waits for the sessions to end after
    /// [`ServerHandle::shutdown`] before it closes those left (their
    /// requests fail). By default twice the `response_timer` and 3 s: room
    /// for every session to unbind.
    ///
    /// See the example on [`Server`].
    #[must_use]
    pub fn with_shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }

    /// The address it listens on (the first, given to [`Self::bind`] or
    /// [`Self::bind_tls`]).
    ///
    /// See the example on [`Server`].
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listeners.first().map_or_else(
            || Err(io::ErrorKind::NotFound.into()),
            |l| l.socket.local_addr(),
        )
    }

    /// Every address it listens on, in the order they were added.
    ///
    /// See the example on [`Server`].
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.listeners
            .iter()
            .filter_map(|l| l.socket.local_addr().ok())
            .collect()
    }

    /// A handle to find sessions, serve connections accepted elsewhere and
    /// shut down.
    ///
    /// See the example on [`Server`].
    pub fn handle(&self) -> ServerHandle {
        self.handle.clone()
    }

    /// The handler.
    ///
    /// See the example on [`Handler`].
    pub fn handler(&self) -> &Arc<H> {
        &self.handler
    }

    /// Accepts connections, each in a task of its own, as the admission
    /// settings allow ([`Self::with_max_connections`],
    /// [`Self::with_max_unbound`], [`Self::with_max_unbound_per_source`],
    /// [`Self::with_account_limits`]), until [`ServerHandle::shutdown`];
    /// then ends every session and returns once all have ended (those of
    /// [`ServerHandle::serve`] too), or when the shutdown timeout runs out
    /// ([`Self::with_shutdown_timeout`]). A failed `accept` (too many open
    /// files, a connection reset before it was accepted) is retried
    /// shortly after.
    ///
    /// See the example on [`Server`].
    pub async fn run(self) {
        let Self {
            listeners,
            config,
            handler,
            handle,
            shutdown_timeout,
        } = self;
        let accepting = Accepting {
            config,
            handler,
            server: handle.clone(),
        };
        let loops: Vec<_> = listeners
            .into_iter()
            .map(|listener| tokio::spawn(accepting.clone().run(listener)))
            .collect();
        for accept in loops {
            let _ = accept.await;
        }
        // Sessions accepted while shutdown began are told too.
        handle.end_sessions();
        handle.wait_sessions(shutdown_timeout).await;
    }
}

/// What each listener's accept loop needs.
struct Accepting<H> {
    config: Config,
    handler: Arc<H>,
    server: ServerHandle,
}

impl<H> Clone for Accepting<H> {
    fn clone(&self) -> Self {
        Self {
            config: self.config.clone(),
            handler: Arc::clone(&self.handler),
            server: self.server.clone(),
        }
    }
}

impl<H: Handler> Accepting<H> {
    /// Accepts connections on `listener` until the server stops; the
    /// listening socket closes then.
    async fn run(self, listener: Listener) {
        let mut stop = self.server.inner.stop.subscribe();
        loop {
            tokio::select! {
                biased;
                () = until_stopped(&mut stop) => break,
                accepted = listener.socket.accept() => match accepted {
                    Ok((stream, peer)) => {
                        let _ = stream.set_nodelay(true);
                        #[cfg(feature = "tls")]
                        if let Some(tls) = &listener.tls {
                            self.handshake(tls, stream, peer);
                            continue;
                        }
                        // On the books before this loop looks for the
                        // stop again: a shutdown that follows closes it.
                        let connection = Registered::new(&self.server, &self.config, Some(peer));
                        tokio::spawn(run_session(
                            stream,
                            self.config.clone(),
                            Arc::clone(&self.handler),
                            connection,
                            false,
                        ));
                    }
                    Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                },
            }
        }
    }

    /// Runs the TLS handshake of `stream`, then its session. The
    /// connection is one of the server's from the start: while the
    /// handshake runs it counts as one that has not bound, and may be
    /// closed to make room for a newer one as such.
    #[cfg(feature = "tls")]
    fn handshake(&self, tls: &tokio_rustls::TlsAcceptor, stream: TcpStream, peer: SocketAddr) {
        let mut connection = Registered::new(&self.server, &self.config, Some(peer));
        let timers = self.config.timers();
        let limit = timers.session_init_timer.unwrap_or(timers.response_timer);
        let handshake = tokio::time::timeout(limit, tls.accept(stream));
        let (config, handler) = (self.config.clone(), Arc::clone(&self.handler));
        tokio::spawn(async move {
            let stream = tokio::select! {
                stream = handshake => stream.ok().and_then(Result::ok),
                // Closed to make room for another, or the server stops.
                _ = connection.commands.recv() => None,
            };
            match stream {
                Some(stream) => {
                    run_session(stream, config, handler, connection, false).await;
                }
                None => connection.abandon(),
            }
        });
    }
}

/// Runs one MC session over `io` (a connection accepted elsewhere, TLS,
/// an in-memory pipe) until it ends, with a server of its own (no
/// listener, the default admission); returns why it closed. To share a
/// server's handler, admission and shutdown, use [`ServerHandle::serve`].
///
/// See the example of the [`session`](crate::session) module.
pub async fn serve<IO, H>(io: IO, config: Config, handler: Arc<H>) -> CloseReason
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    H: Handler,
{
    let server = ServerHandle::new(config.clone(), Arc::clone(&handler));
    session(io, config, handler, None, server, false).await
}

/// Runs one session of `server` over `io`, beginning with an `outbind`
/// if asked to.
async fn session<IO, H>(
    io: IO,
    config: Config,
    handler: Arc<H>,
    peer: Option<SocketAddr>,
    server: ServerHandle,
    outbind: bool,
) -> CloseReason
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    H: Handler,
{
    let connection = Registered::new(&server, &config, peer);
    run_session(io, config, handler, connection, outbind).await
}

/// A connection the server counts, before its session runs: its place in
/// the registry and the session's handle.
struct Registered {
    server: ServerHandle,
    id: u64,
    shared: Arc<Shared>,
    handle: Handle,
    commands: mpsc::UnboundedReceiver<Command>,
}

impl Registered {
    /// Registers a connection from `peer` (unbound, under the budgets of
    /// connections that have not bound).
    fn new(server: &ServerHandle, config: &Config, peer: Option<SocketAddr>) -> Self {
        let shared = Shared::new(config.window().min(WINDOW_CAPACITY), peer);
        let (commands, received) = mpsc::unbounded_channel();
        let handle = Handle::new(commands, Arc::clone(&shared));
        // The limits are read in place: an account table of thousands is
        // not copied for every connection.
        let id = server
            .inner
            .registry
            .insert(handle.clone(), peer, &server.limits());
        Self {
            server: server.clone(),
            id,
            shared,
            handle,
            commands: received,
        }
    }

    /// The connection closes before its session ran.
    #[cfg(feature = "tls")]
    fn abandon(self) {
        self.shared.mark_closed(CloseReason::Local);
        self.server.inner.registry.remove(self.id);
    }
}

/// Runs the session of a registered connection over `io`.
async fn run_session<IO, H>(
    io: IO,
    config: Config,
    handler: Arc<H>,
    connection: Registered,
    outbind: bool,
) -> CloseReason
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    H: Handler,
{
    let Registered {
        server,
        id,
        shared,
        handle,
        commands,
    } = connection;
    let hooks = McHooks {
        handler,
        cx: Context {
            server,
            session: handle,
        },
        id,
        system_id: Bytes::new(),
        quota: Quota::default(),
        registered: true,
    };
    let mut driver = Driver::new(io, config, hooks, shared, commands);
    if outbind {
        // A new MC session may always send it; were it refused, the
        // session would wait for a bind under its init timer all the same.
        let _ = driver.outbind();
    }
    driver.run().await
}

/// The MC side's reactions: the application's handler, the server's
/// admission.
struct McHooks<H> {
    handler: Arc<H>,
    cx: Context,
    /// The session's place in the server's registry.
    id: u64,
    /// The `system_id` of the bind being decided.
    system_id: Bytes,
    /// The session's message quotas: its account's, its own.
    quota: Quota,
    registered: bool,
}

impl<H: Handler> Hooks for McHooks<H> {
    fn bind_request(&mut self, request: BindRequest) -> Option<CommandStatus> {
        self.system_id = Bytes::copy_from_slice(request.bind.system_id.as_bytes());
        let handler = Arc::clone(&self.handler);
        let cx = self.cx.clone();
        let session = self.cx.session.clone();
        now_or_later(
            async move {
                let decided = unwound(async { handler.bind(&cx, &request).await }).await;
                decided.unwrap_or(CommandStatus::ESME_RBINDFAIL)
            },
            move |status| session.command(Command::Bind(status)),
        )
    }

    fn admit(&mut self) -> Result<(), CommandStatus> {
        let server = &self.cx.server;
        let registry = &server.inner.registry;
        let admitted = registry.admit(self.id, &self.system_id, &server.limits());
        self.quota = admitted.map_err(|refused| refused.0)?;
        Ok(())
    }

    fn bound(&mut self) {
        if let Some(info) = self.cx.session.bind_info() {
            self.cx.server.inner.registry.bound(self.id, info);
        }
        self.handler.bound(&self.cx);
    }

    fn request(&mut self, pdu: Pdu, sequence_number: u32, command_id: CommandId) -> Option<Answer> {
        let message = matches!(
            command_id,
            CommandId::SUBMIT_SM
                | CommandId::SUBMIT_MULTI
                | CommandId::DATA_SM
                | CommandId::BROADCAST_SM
        );
        if message && !self.quota.take() {
            self.cx.server.inner.registry.count_throttled();
            return Some(Answer::Status(CommandStatus::ESME_RTHROTTLED));
        }
        let handler = Arc::clone(&self.handler);
        let cx = self.cx.clone();
        let session = self.cx.session.clone();
        now_or_later(
            async move {
                let answer = unwound(async { handler.request(&cx, pdu).await }).await;
                answer.unwrap_or(Answer::Status(CommandStatus::ESME_RSYSERR))
            },
            move |answer| {
                session.command(Command::Respond {
                    sequence_number,
                    command_id,
                    answer: Box::new(answer),
                });
            },
        )
    }

    fn unbound(&mut self) {
        // Its account may bind again at once, though the connection may
        // stay open a while (the ESME closes it).
        self.cx.server.inner.registry.unbound(self.id);
    }

    fn protocol_error(&mut self, error: ProtocolError) {
        self.handler.protocol_error(&self.cx, error);
    }

    fn totals(&self) -> Option<&SharedMeter> {
        Some(&self.cx.server.inner.traffic)
    }

    fn closing(&mut self) {
        // Off the books before `Handle::closed` returns: an application
        // that closed a session and waited for it may bind again at once.
        self.deregister();
    }

    fn closed(&mut self, reason: CloseReason) {
        self.deregister();
        self.handler.closed(&self.cx, reason);
    }
}

impl<H> McHooks<H> {
    /// Takes the session off the server's books, once.
    fn deregister(&mut self) {
        if core::mem::take(&mut self.registered) {
            self.cx.server.inner.registry.remove(self.id);
        }
    }
}

impl<H> Drop for McHooks<H> {
    fn drop(&mut self) {
        // A session that ends without closing (a panic of the handler's
        // `bound` or `protocol_error`, its task dropped) leaves no bind
        // counted against the server or its account.
        self.deregister();
    }
}

/// Runs `future`, a call of the application's handler: `None` if it
/// panics (the panic hook has reported it), so that the panic ends that
/// call, not the session.
async fn unwound<T>(future: impl Future<Output = T>) -> Option<T> {
    let mut future = core::pin::pin!(future);
    core::future::poll_fn(|cx| {
        match std::panic::catch_unwind(AssertUnwindSafe(|| future.as_mut().poll(cx))) {
            Ok(Poll::Ready(output)) => Poll::Ready(Some(output)),
            Ok(Poll::Pending) => Poll::Pending,
            Err(_) => Poll::Ready(None),
        }
    })
    .await
}
