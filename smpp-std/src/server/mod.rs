//! An async SMSC (feature `tokio`): accepts ESMEs on a TCP listener and
//! runs one session per connection, in a task of its own, on the sans-I/O
//! engine of [`smpp_core::session`]. The application's [`Handler`] decides
//! binds and answers requests; a [`Handle`] per session pushes
//! `deliver_sm` (delivery receipts, mobile-originated messages) to bound
//! receivers and transceivers, through the window.
//!
//! The engine does the protocol: it answers `enquire_link`, refuses PDUs
//! the operation matrix forbids (a `submit_sm` before the bind gets
//! `ESME_RINVBNDSTS`), answers malformed PDUs as their error says and
//! carries on, throttles an ESME that exceeds the window
//! (`ESME_RTHROTTLED`), answers `unbind` and runs the session timers of
//! the [`Config::mc`] given.
//!
//! - [`Server::bind`] listens; [`Server::run`] accepts until
//!   [`ServerHandle::shutdown`], then waits for every session to end
//!   (bound ones are unbound gracefully, the others closed);
//!   [`Server::with_max_connections`] caps the connections served at once.
//! - [`Handler::bind`] answers a bind with a status (`ESME_ROK` accepts;
//!   `ESME_RINVPASWD`, `ESME_RINVSYSID`, ... refuse, and the ESME may try
//!   again); [`Handler::request`] answers `submit_sm`, `data_sm`,
//!   `query_sm`, `cancel_sm`, `replace_sm`, `submit_multi`, ... with an
//!   [`Answer`] (a `message_id`, a status, a full response).
//! - [`Handler::bound`] gets each session's [`Handle`] once bound;
//!   [`ServerHandle::session`] finds a bound receiver or transceiver by
//!   `system_id`.
//! - [`serve`] runs one session over any `AsyncRead + AsyncWrite`, without
//!   a listener.
//!
//! Handler calls that complete at once (no `.await` that waits) are
//! answered inline; the others run in a task of their own, so a slow
//! answer never holds up the connection.
//!
//! # Example
//!
//! A receipt for every message, pushed back to the ESME:
//!
//! ```
//! use std::sync::Arc;
//!
//! use smpp_core::session::{BindType, Config};
//! use smpp_core::{CommandStatus, EsmClass};
//! use smpp_std::server::{BindRequest, Handler, Server};
//! use smpp_std::session::{Answer, Handle};
//! use smpp_std::{Pdu, SubmitSmBuilder, client};
//!
//! struct Smsc;
//!
//! impl Handler for Smsc {
//!     async fn bind(&self, _bind: &BindRequest) -> CommandStatus {
//!         CommandStatus::ESME_ROK
//!     }
//!
//!     async fn request(&self, session: &Handle, pdu: Pdu) -> Answer {
//!         let id = format!("{}", pdu.sequence_number);
//!         let receipt = SubmitSmBuilder::deliver_sm(0)
//!             .esm_class(EsmClass::DELIVERY_RECEIPT)
//!             .receipted_message_id(id.as_str())
//!             .build()
//!             .expect("a valid deliver_sm");
//!         let smpp_core::Body::DeliverSm(receipt) = receipt.body else { unreachable!() };
//!         // Sent after the response, through the session's window.
//!         let session = session.clone();
//!         tokio::spawn(async move { session.deliver_sm(receipt).await });
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
//!     let (esme, mut incoming) = client::connect(addr, Config::esme(BindType::Transceiver)).await?;
//!     let submit = SubmitSmBuilder::new(0).destination_addr("447700900123").build()?;
//!     let smpp_core::Body::SubmitSm(sm) = submit.body else { unreachable!() };
//!     let resp = esme.submit_sm(sm).await?;
//!
//!     let receipt = incoming.recv().await.expect("a receipt");
//!     let smpp_core::Body::DeliverSm(dlr) = &receipt.pdu().body else { unreachable!() };
//!     let id = dlr.tlvs.get(smpp_core::TlvTag::RECEIPTED_MESSAGE_ID).map(|t| t.as_cstr());
//!     assert_eq!(id, Some(resp.message_id.as_bytes()));
//!     drop(receipt); // answered ESME_ROK
//!
//!     esme.unbind().await?;
//!     stop.shutdown();
//!     serving.await?;
//!     Ok(())
//! })
//! # }
//! ```

mod registry;

use core::future::Future;
use core::net::SocketAddr;
use core::time::Duration;
use std::io;
use std::sync::Arc;

pub use registry::ServerStats;
use registry::{Limits, Registry};

use smpp_core::session::{BindType, CloseReason, Config, ProtocolError, Role};
use smpp_core::{CommandId, CommandStatus};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, ToSocketAddrs};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinSet;

use crate::owned::{Bind, Pdu};
use crate::session::driver::{Driver, Hooks, WINDOW_CAPACITY, now_or_later};
use crate::session::handle::{Command, Shared};
use crate::session::{Answer, Handle};

/// A bind to decide ([`Handler::bind`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BindRequest {
    /// How the ESME binds.
    pub bind_type: BindType,
    /// The bind's body: `system_id`, `password`, `system_type`,
    /// `interface_version`, `addr_ton`, `addr_npi`, `address_range`.
    pub bind: Bind,
    /// The ESME's address, on a TCP connection.
    pub peer_addr: Option<SocketAddr>,
}

impl BindRequest {
    /// The ESME's `system_id`.
    pub fn system_id(&self) -> &[u8] {
        self.bind.system_id.as_bytes()
    }

    /// The ESME's `password`.
    pub fn password(&self) -> &[u8] {
        self.bind.password.as_bytes()
    }
}

/// The SMSC application: decides binds and answers requests. One handler
/// serves every session of a [`Server`].
///
/// Implement the `async fn`s as `async fn` (their futures must be `Send`).
/// A call that completes without waiting is answered at once, inline;
/// one that waits runs in a task of its own meanwhile (the request awaits
/// its answer in the window of the peer's requests; beyond the window the
/// engine answers `ESME_RTHROTTLED` itself).
pub trait Handler: Send + Sync + 'static {
    /// Answers a bind: `ESME_ROK` accepts it; any other status refuses it
    /// (`ESME_RINVPASWD`, `ESME_RINVSYSID`, `ESME_RBINDFAIL`,
    /// `ESME_RALYBND`, ...), and the ESME may bind again.
    fn bind(&self, request: &BindRequest) -> impl Future<Output = CommandStatus> + Send;

    /// Answers a request of a bound ESME (`submit_sm`, `data_sm`,
    /// `query_sm`, `cancel_sm`, `replace_sm`, `submit_multi`,
    /// `broadcast_sm`, ...; `enquire_link` and `unbind` are the engine's).
    /// The PDU's fields are slices of the frame it came in.
    fn request(&self, session: &Handle, pdu: Pdu) -> impl Future<Output = Answer> + Send;

    /// A session is bound; `session` sends it requests (`deliver_sm`) for
    /// as long as it lives. Called before any request of the session.
    fn bound(&self, session: &Handle) {
        let _ = session;
    }

    /// A session closed (unbound, the connection lost, a timer).
    fn closed(&self, session: &Handle, reason: CloseReason) {
        let _ = (session, reason);
    }

    /// The ESME broke the protocol (a malformed PDU, one the state does
    /// not allow, ...); the engine already answered where an answer is
    /// due, and the session goes on.
    fn protocol_error(&self, session: &Handle, error: ProtocolError) {
        let _ = (session, error);
    }
}

/// A cloneable handle on a [`Server`]: finds sessions, reads its
/// counters, shuts down.
#[derive(Clone, Debug)]
pub struct ServerHandle {
    registry: Arc<Registry>,
    stop: Arc<watch::Sender<bool>>,
}

impl ServerHandle {
    /// Every bound session.
    pub fn sessions(&self) -> Vec<Handle> {
        self.registry
            .handles()
            .into_iter()
            .filter(|h| h.bind_info().is_some() && !h.is_closed())
            .collect()
    }

    /// A bound receiver or transceiver session of the ESME `system_id`
    /// (the one with the most free window slots, if there are several):
    /// where its `deliver_sm`s go.
    pub fn session(&self, system_id: &str) -> Option<Handle> {
        self.registry
            .handles()
            .into_iter()
            .filter(|h| !h.is_closed())
            .filter(|h| {
                h.bind_info().is_some_and(|b| {
                    b.system_id.as_bytes() == system_id.as_bytes()
                        && b.bind_type != BindType::Transmitter
                })
            })
            .max_by_key(Handle::available_window)
    }

    /// What the server admitted and refused so far, and what is open now.
    pub fn stats(&self) -> ServerStats {
        self.registry.stats()
    }

    /// Stops accepting connections and ends every session: bound ones
    /// unbind once their outstanding requests are answered, the others
    /// close. [`Server::run`] returns when all have ended, or at the
    /// latest after the shutdown timeout
    /// ([`Server::with_shutdown_timeout`]).
    pub fn shutdown(&self) {
        self.stop.send_replace(true);
        self.end_sessions();
    }

    fn end_sessions(&self) {
        for handle in self.registry.handles() {
            if handle.bind_info().is_some() {
                handle.command(Command::Unbind(None));
            } else {
                handle.close();
            }
        }
    }
}

/// An SMSC listening for ESMEs.
pub struct Server<H> {
    listener: TcpListener,
    config: Config,
    handler: Arc<H>,
    handle: ServerHandle,
    limits: Limits,
    shutdown_timeout: Duration,
}

impl<H> core::fmt::Debug for Server<H> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Server")
            .field("listener", &self.listener)
            .field("config", &self.config)
            .field("handle", &self.handle)
            .field("limits", &self.limits)
            .field("shutdown_timeout", &self.shutdown_timeout)
            .finish_non_exhaustive()
    }
}

impl<H: Handler> Server<H> {
    /// Listens on `addr`. Every session is configured with `config`
    /// ([`Config::mc`]: the `system_id` of the bind responses, the
    /// version, the window, the timers).
    ///
    /// Fails with [`io::ErrorKind::InvalidInput`] for a configuration of
    /// the ESME side.
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
        let listener = TcpListener::bind(addr).await?;
        // Long enough for every session to unbind (its outstanding
        // requests time out, then the unbind_resp) and write what is left.
        let shutdown_timeout = config.timers().response_timer * 2 + Duration::from_secs(3);
        Ok(Self {
            listener,
            config,
            handler,
            handle: ServerHandle {
                registry: Arc::default(),
                stop: Arc::new(watch::Sender::new(false)),
            },
            limits: Limits::DEFAULT,
            shutdown_timeout,
        })
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
    #[must_use]
    pub fn with_max_connections(mut self, max: usize) -> Self {
        self.limits.max_sessions = max.max(1);
        self
    }

    /// The most bound sessions at once ([`Self::with_max_connections`]).
    pub fn max_connections(&self) -> usize {
        self.limits.max_sessions
    }

    /// Keeps at most `max` connections that have not bound yet (at least
    /// 1; 512 by default). A new connection beyond it closes the oldest
    /// of them ([`ServerStats::evicted_unbound`]): connections that never
    /// bind can delay a real ESME by no more than its own bind takes, and
    /// each costs little meanwhile. Those that do not bind are closed by
    /// the `session_init_timer` anyway.
    #[must_use]
    pub fn with_max_unbound(mut self, max: usize) -> Self {
        self.limits.max_unbound = max.max(1);
        self
    }

    /// Keeps at most `max` connections that have not bound yet from one
    /// source address (at least 1; 64 by default). A new connection from
    /// that address closes its oldest one
    /// ([`ServerStats::evicted_per_source`]), so that one source cannot
    /// spend the whole budget of [`Self::with_max_unbound`].
    #[must_use]
    pub fn with_max_unbound_per_source(mut self, max: usize) -> Self {
        self.limits.max_unbound_per_source = max.max(1);
        self
    }

    /// How long [`Self::run`] waits for the sessions to end after
    /// [`ServerHandle::shutdown`] before it drops those left (their
    /// connections close, their requests fail). By default twice the
    /// `response_timer` and 3 s: room for every session to unbind.
    #[must_use]
    pub fn with_shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }

    /// The address it listens on.
    pub fn local_addr(&self) -> io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// A handle to find sessions and shut down.
    pub fn handle(&self) -> ServerHandle {
        self.handle.clone()
    }

    /// The handler.
    pub fn handler(&self) -> &Arc<H> {
        &self.handler
    }

    /// Accepts connections, each in a task of its own, as the admission
    /// settings allow ([`Self::with_max_connections`],
    /// [`Self::with_max_unbound`], [`Self::with_max_unbound_per_source`]),
    /// until [`ServerHandle::shutdown`]; then ends every session and
    /// returns once all have ended, or when the shutdown timeout runs out
    /// ([`Self::with_shutdown_timeout`]). A failed `accept` (too many open
    /// files, a connection reset before it was accepted) is retried
    /// shortly after.
    pub async fn run(self) {
        let Self {
            listener,
            config,
            handler,
            handle,
            limits,
            shutdown_timeout,
        } = self;
        let mut stop = handle.stop.subscribe();
        let mut tasks = JoinSet::new();
        let registry = &handle.registry;
        loop {
            tokio::select! {
                biased;
                () = stopped(&mut stop) => break,
                accepted = listener.accept() => {
                    match accepted {
                        Ok((stream, peer)) => {
                            let _ = stream.set_nodelay(true);
                            let driver = connection(
                                stream,
                                config.clone(),
                                Arc::clone(&handler),
                                Some(peer),
                                Some((Arc::clone(registry), limits)),
                            );
                            tasks.spawn(driver.run());
                        }
                        Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
                    }
                }
                Some(_) = tasks.join_next(), if !tasks.is_empty() => {}
            }
        }
        drop(listener);
        // Sessions accepted while shutdown began are told too.
        handle.end_sessions();
        let all_ended = async { while tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(shutdown_timeout, all_ended)
            .await
            .is_err()
        {
            tasks.shutdown().await;
        }
    }
}

/// Returns once the server is told to stop.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    // The guard `wait_for` returns is not kept: it must not live across
    // an await.
    let _ = stop.wait_for(|stopped| *stopped).await.is_ok();
}

/// Runs one MC session over `io` (a connection accepted elsewhere, TLS,
/// an in-memory pipe) until it ends; returns why it closed.
pub async fn serve<IO, H>(io: IO, config: Config, handler: Arc<H>) -> CloseReason
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    H: Handler,
{
    connection(io, config, handler, None, None).run().await
}

/// The driver of one accepted connection.
fn connection<IO, H>(
    io: IO,
    config: Config,
    handler: Arc<H>,
    peer: Option<SocketAddr>,
    registry: Option<(Arc<Registry>, Limits)>,
) -> Driver<IO, McHooks<H>>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    H: Handler,
{
    let shared = Shared::new(config.window().min(WINDOW_CAPACITY), peer);
    let (commands, received) = mpsc::unbounded_channel();
    let handle = Handle::new(commands, Arc::clone(&shared));
    let registered = registry.map(|(registry, limits)| {
        let id = registry.insert(handle.clone(), peer, limits);
        Registered {
            registry,
            id,
            limits,
        }
    });
    let hooks = McHooks {
        handler,
        handle,
        registered,
    };
    Driver::new(io, config, hooks, shared, received)
}

/// A session's place in its server's registry.
struct Registered {
    registry: Arc<Registry>,
    id: u64,
    limits: Limits,
}

/// The MC side's reactions: the application's handler.
struct McHooks<H> {
    handler: Arc<H>,
    handle: Handle,
    registered: Option<Registered>,
}

impl<H: Handler> Hooks for McHooks<H> {
    fn bind_request(&mut self, request: BindRequest) -> Option<CommandStatus> {
        let handler = Arc::clone(&self.handler);
        let handle = self.handle.clone();
        now_or_later(async move { handler.bind(&request).await }, move |status| {
            handle.command(Command::Bind(status));
        })
    }

    fn admit(&mut self) -> bool {
        self.registered
            .as_ref()
            .is_none_or(|r| r.registry.admit(r.id, r.limits))
    }

    fn bound(&mut self) {
        self.handler.bound(&self.handle);
    }

    fn request(&mut self, pdu: Pdu, sequence_number: u32, command_id: CommandId) -> Option<Answer> {
        let handler = Arc::clone(&self.handler);
        let session = self.handle.clone();
        let handle = self.handle.clone();
        now_or_later(
            async move { handler.request(&session, pdu).await },
            move |answer| {
                handle.command(Command::Respond {
                    sequence_number,
                    command_id,
                    answer: Box::new(answer),
                });
            },
        )
    }

    fn protocol_error(&mut self, error: ProtocolError) {
        self.handler.protocol_error(&self.handle, error);
    }

    fn closed(&mut self, reason: CloseReason) {
        if let Some(registered) = self.registered.take() {
            registered.registry.remove(registered.id);
        }
        self.handler.closed(&self.handle, reason);
    }
}
