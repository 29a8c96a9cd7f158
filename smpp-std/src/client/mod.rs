//! An async ESME (feature `tokio`): connects to an SMSC, binds, and gives a
//! cloneable [`Client`] to send requests through the SMPP window, plus the
//! [`Incoming`] requests of the SMSC (`deliver_sm`, `data_sm`,
//! `alert_notification`).
//!
//! The session runs in a task of its own, on the sans-I/O engine of
//! [`smpp_core::session`]: it answers `enquire_link`, sends one after the
//! `enquire_link_timer` of silence, times requests out after the
//! `response_timer`, refuses what the operation matrix forbids, and
//! answers malformed PDUs. Everything is configured with
//! [`Config::esme`].
//!
//! - [`connect`] opens a TCP connection; [`bind`] takes any
//!   `AsyncRead + AsyncWrite` (TLS, an in-memory pipe). Both return once
//!   the bind is answered: bound, or [`Error::BindRefused`] with the MC's
//!   status.
//! - [`Client::submit_sm`] (and the other calls of [`Handle`]) waits for
//!   a window slot, sends, and waits for the response;
//!   [`Client::queue`] returns once the request has its slot, for
//!   pipelining from one task.
//! - The MC's requests arrive on [`Incoming`]; answer each with
//!   [`Request::respond`](crate::session::Request::respond), or let it go:
//!   a request dropped unanswered is answered `ESME_ROK`.
//! - [`Client::unbind`] unbinds once the outstanding requests are answered
//!   and closes; dropping every `Client` and the `Incoming` does the same.
//!
//! # Example
//!
//! An ESME against a loopback SMSC that accepts every bind and gives
//! each message an id:
//!
//! ```
//! use std::sync::Arc;
//!
//! use smpp_core::session::{BindType, Config};
//! use smpp_core::CommandStatus;
//! use smpp_std::server::{BindRequest, Context, Handler, Server};
//! use smpp_std::session::Answer;
//! use smpp_std::{Pdu, SubmitSmBuilder, client};
//!
//! struct Smsc;
//!
//! impl Handler for Smsc {
//!     async fn bind(&self, _cx: &Context, bind: &BindRequest) -> CommandStatus {
//!         if bind.password() == b"secret" {
//!             CommandStatus::ESME_ROK
//!         } else {
//!             CommandStatus::ESME_RINVPASWD
//!         }
//!     }
//!
//!     async fn request(&self, _cx: &Context, pdu: Pdu) -> Answer {
//!         Answer::message_id(format!("id-{}", pdu.sequence_number))
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
//!     let config = Config::esme(BindType::Transmitter)
//!         .with_system_id("esme")?
//!         .with_password("secret")?
//!         .with_window(64);
//!     let (esme, _incoming) = client::connect(addr, config).await?;
//!     let submit = SubmitSmBuilder::new(0)
//!         .source_addr("INFO")
//!         .destination_addr("447700900123")
//!         .short_message("Hello")
//!         .build()?;
//!     let resp = esme.submit_sm(submit).await?;
//!     assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
//!     assert!(resp.message_id.to_string().starts_with("id-"));
//!     esme.unbind().await?;
//!
//!     stop.shutdown();
//!     serving.await?;
//!     Ok(())
//! })
//! # }
//! ```

mod esme;

use core::net::SocketAddr;
use core::task::{Context, Poll};
use std::sync::Arc;

use smpp_core::session::{CloseReason, Config, Role, SessionError};
use smpp_core::{CommandId, CommandStatus};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpStream, ToSocketAddrs};
use tokio::sync::{mpsc, oneshot};

use crate::owned::{Body, Outbind, Pdu};
use crate::session::BindInfo;
use crate::session::driver::{Driver, Hooks, OutbindDecision};
use crate::session::handle::{Command, Shared};
use crate::session::inbound::WINDOW_CAPACITY;
use crate::session::incoming::{Inbox, Responder};
use crate::session::{Answer, Error, Handle, Incoming, Request, SharedMeter};

/// The rustls crate the TLS calls take configurations of (feature `tls`).
#[cfg(feature = "tls")]
pub use tokio_rustls::rustls;

pub use esme::{Backoff, ConnectFailure, Esme, EsmeBuilder, EsmeEvent, EsmeIncoming};

/// An ESME's handle on its session: a [`Handle`] (see there for every
/// call). See the example on [`connect`].
pub type Client = Handle;

/// Connects to `addr` over TCP (with `TCP_NODELAY`) and binds as the
/// configuration says (see [`bind`]).
///
/// ```
/// use smpp_core::session::{BindType, Config};
/// use smpp_core::CommandStatus;
/// use smpp_std::{SubmitSmBuilder, client};
/// # use std::sync::Arc;
/// # use smpp_std::server::{BindRequest, Context, Handler, Server};
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
/// # let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await?;
/// # let addr = server.local_addr()?;
/// # tokio::spawn(server.run());
///
/// let config = Config::esme(BindType::Transmitter).with_system_id("shop")?;
/// let (esme, _incoming) = client::connect(addr, config).await?;
/// assert_eq!(esme.peer_addr(), Some(addr));
///
/// let submit = SubmitSmBuilder::new(0).destination_addr("447700900123").build()?;
/// let resp = esme.submit_sm(submit).await?;
/// assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
/// assert_eq!(resp.message_id.to_string(), "id-2"); // the bind was number 1
/// esme.unbind().await?;
/// # Ok(())
/// # }
/// ```
pub async fn connect(
    addr: impl ToSocketAddrs,
    config: Config,
) -> Result<(Client, Incoming), Error> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let peer = stream.peer_addr().ok();
    start(stream, config, peer, None).await
}

/// Connects to `addr` over TCP, then TLS (feature `tls`), and binds as
/// [`connect`] does. `server_name` is the name the MC's certificate must
/// carry (a DNS name or an IP address); `tls` is the application's rustls
/// configuration (root certificates, client certificate, versions).
///
/// A TLS failure (a certificate refused, a handshake cut short) is an
/// [`Error::Io`]; so is a handshake that takes longer than the
/// configuration's `response_timer` (of kind
/// [`TimedOut`](std::io::ErrorKind::TimedOut)), as a bind that long
/// unanswered fails.
///
/// ```
/// use std::sync::Arc;
///
/// use smpp_core::session::{BindType, Config};
/// use smpp_std::client::{self, rustls};
/// use smpp_std::server::Server;
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
/// # // A certificate for "localhost", and a client configuration that trusts it.
/// # let made = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])?;
/// # let key = rustls::pki_types::PrivateKeyDer::Pkcs8(made.signing_key.serialize_der().into());
/// # let ring = Arc::new(rustls::crypto::ring::default_provider());
/// # let server_tls = Arc::new(rustls::ServerConfig::builder_with_provider(Arc::clone(&ring))
/// #     .with_safe_default_protocol_versions()?
/// #     .with_no_client_auth()
/// #     .with_single_cert(vec![made.cert.der().clone()], key)?);
/// # let mut roots = rustls::RootCertStore::empty();
/// # roots.add(made.cert.der().clone())?;
/// # let client_tls = Arc::new(rustls::ClientConfig::builder_with_provider(ring)
/// #     .with_safe_default_protocol_versions()?
/// #     .with_root_certificates(roots)
/// #     .with_no_client_auth());
/// let server = Server::bind_tls("127.0.0.1:0", Config::mc(), Arc::new(Smsc), server_tls).await?;
/// let addr = server.local_addr()?;
/// tokio::spawn(server.run());
///
/// let config = Config::esme(BindType::Transceiver).with_system_id("shop")?;
/// let (esme, _incoming) = client::connect_tls(addr, "localhost", client_tls, config).await?;
/// esme.enquire_link().await?;
/// esme.unbind().await?;
/// # Ok(())
/// # }
/// ```
#[cfg(feature = "tls")]
pub async fn connect_tls(
    addr: impl ToSocketAddrs,
    server_name: &str,
    tls: Arc<rustls::ClientConfig>,
    config: Config,
) -> Result<(Client, Incoming), Error> {
    let name = rustls::pki_types::ServerName::try_from(server_name.to_owned())
        .map_err(|e| Error::Io(std::io::Error::new(std::io::ErrorKind::InvalidInput, e)))?;
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let peer = stream.peer_addr().ok();
    let handshake = tokio_rustls::TlsConnector::from(tls).connect(name, stream);
    let stream = tokio::time::timeout(config.timers().response_timer, handshake)
        .await
        .map_err(|_| {
            Error::Io(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "TLS handshake timeout",
            ))
        })??;
    start(stream, config, peer, None).await
}

/// Binds over an established connection: sends the bind of `config`
/// ([`Config::esme`]: bind type, `system_id`, `password`, `system_type`,
/// `interface_version`, address range) and waits for its response.
///
/// Returns the [`Client`] and the [`Incoming`] requests of the MC once
/// bound; [`Error::BindRefused`] with the MC's status if the bind is
/// refused (the connection is closed); [`Error::Closed`] if the
/// connection ends, or the `response_timer` runs out, first. A
/// configuration of the MC side is refused with
/// [`SessionError::WrongRole`].
///
/// Over an in-memory pipe, to an MC that refuses the password:
///
/// ```
/// use std::sync::Arc;
///
/// use smpp_core::session::{BindType, Config};
/// use smpp_core::CommandStatus;
/// use smpp_std::server::{self, BindRequest, Context, Handler};
/// use smpp_std::session::{Answer, Error};
/// use smpp_std::{Pdu, client};
///
/// struct Smsc;
///
/// impl Handler for Smsc {
///     async fn bind(&self, _cx: &Context, bind: &BindRequest) -> CommandStatus {
///         if bind.password() == b"secret" {
///             CommandStatus::ESME_ROK
///         } else {
///             CommandStatus::ESME_RINVPASWD
///         }
///     }
///
///     async fn request(&self, _cx: &Context, _pdu: Pdu) -> Answer {
///         Answer::Ok
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let esme = |password| Config::esme(BindType::Transceiver).with_password(password);
///
/// let (esme_side, mc_side) = tokio::io::duplex(64 * 1024);
/// tokio::spawn(server::serve(mc_side, Config::mc(), Arc::new(Smsc)));
/// let refused = client::bind(esme_side, esme("guess")?).await;
/// assert!(matches!(refused, Err(Error::BindRefused(CommandStatus::ESME_RINVPASWD))));
///
/// let (esme_side, mc_side) = tokio::io::duplex(64 * 1024);
/// tokio::spawn(server::serve(mc_side, Config::mc(), Arc::new(Smsc)));
/// let (session, _incoming) = client::bind(esme_side, esme("secret")?).await?;
/// let bound = session.bind_info().expect("bound");
/// assert_eq!(bound.bind_type, BindType::Transceiver);
/// session.unbind().await?;
/// # Ok(())
/// # }
/// ```
pub async fn bind<IO>(io: IO, config: Config) -> Result<(Client, Incoming), Error>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    start(io, config, None, None).await
}

/// Waits on `io`, a connection an MC opened to this ESME, for the MC's
/// `outbind` (SMPP's way for an MC to ask an ESME to bind, typically as a
/// receiver, to deliver messages), then binds over the same connection.
///
/// `accept` sees the `outbind` (the MC's `system_id` and `password`) and
/// decides. Accepted, the ESME sends the bind of `config` (SMPP v3.4 asks
/// for a receiver: [`Config::esme`] with
/// [`BindType::Receiver`](smpp_core::session::BindType::Receiver); v5.0 also
/// allows a transceiver) and waits for its response, as [`bind`] does.
/// Refused, the connection is closed and [`Error::Closed`] with
/// [`CloseReason::Local`] returned. No `outbind` within the
/// `session_init_timer`: [`Error::Closed`] with
/// [`CloseReason::SessionInitTimeout`].
///
/// An MC ([`ServerHandle::serve_outbind`](crate::server::ServerHandle::serve_outbind))
/// and an ESME that waits for its `outbind`, over an in-memory pipe:
///
/// ```
/// use std::sync::Arc;
///
/// use smpp_core::session::{BindType, CloseReason, Config};
/// use smpp_core::CommandStatus;
/// use smpp_std::server::{BindRequest, Context, Handler, Server};
/// use smpp_std::session::{Answer, Error};
/// use smpp_std::{Pdu, client};
///
/// struct Smsc;
///
/// impl Handler for Smsc {
///     async fn bind(&self, _cx: &Context, _bind: &BindRequest) -> CommandStatus {
///         CommandStatus::ESME_ROK
///     }
///
///     async fn request(&self, _cx: &Context, _pdu: Pdu) -> Answer {
///         Answer::Ok
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let mc = Config::mc().with_system_id("SMSC")?;
/// let server = Server::bind("127.0.0.1:0", mc, Arc::new(Smsc)).await?;
/// let smsc = server.handle();
/// let receiver = Config::esme(BindType::Receiver).with_system_id("shop")?;
///
/// let (esme_side, mc_side) = tokio::io::duplex(64 * 1024);
/// let serving = tokio::spawn({
///     let smsc = smsc.clone();
///     async move { smsc.serve_outbind(mc_side, None, "s3cret").await }
/// });
/// let (esme, _incoming) = client::accept_outbind(esme_side, receiver.clone(), |outbind| {
///     outbind.system_id.as_bytes() == b"SMSC" && outbind.password.as_bytes() == b"s3cret"
/// })
/// .await?;
/// assert_eq!(esme.bind_info().unwrap().bind_type, BindType::Receiver);
/// assert!(smsc.session("shop").is_some()); // bound like any session
/// esme.unbind().await?;
/// assert_eq!(serving.await??, CloseReason::Unbound);
///
/// // An outbind with the wrong password is refused: no bind is sent.
/// let (esme_side, mc_side) = tokio::io::duplex(64 * 1024);
/// tokio::spawn(async move { smsc.serve_outbind(mc_side, None, "guess").await });
/// let refused = client::accept_outbind(esme_side, receiver, |outbind| {
///     outbind.password.as_bytes() == b"s3cret"
/// })
/// .await;
/// assert!(matches!(refused, Err(Error::Closed(CloseReason::Local))));
/// # Ok(())
/// # }
/// ```
pub async fn accept_outbind<IO>(
    io: IO,
    config: Config,
    accept: impl FnOnce(&Outbind) -> bool + Send + 'static,
) -> Result<(Client, Incoming), Error>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    start_with(io, config, None, None, Some(Box::new(accept))).await
}

/// Binds over `io`; `totals` also gets what the session counts (an
/// [`Esme`]'s, over all its sessions).
async fn start<IO>(
    io: IO,
    config: Config,
    peer: Option<SocketAddr>,
    totals: Option<Arc<SharedMeter>>,
) -> Result<(Client, Incoming), Error>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    start_with(io, config, peer, totals, None).await
}

/// Decides an MC's `outbind`: true binds.
type OutbindCheck = Box<dyn FnOnce(&Outbind) -> bool + Send>;

/// Binds over `io` at once, or once `outbind` accepts the MC's `outbind`.
async fn start_with<IO>(
    io: IO,
    config: Config,
    peer: Option<SocketAddr>,
    totals: Option<Arc<SharedMeter>>,
    outbind: Option<OutbindCheck>,
) -> Result<(Client, Incoming), Error>
where
    IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    if config.role() != Role::Esme {
        return Err(Error::Refused(SessionError::WrongRole(config.role())));
    }
    let window = config.window().min(WINDOW_CAPACITY);
    let shared = Shared::new(window, peer);
    let (commands, received) = mpsc::unbounded_channel();
    let handle = Handle::new(commands, Arc::clone(&shared));
    let inbox = Inbox::new(config.inbound_window().min(WINDOW_CAPACITY));
    let (bound, bind_result) = oneshot::channel();
    let waits_for_outbind = outbind.is_some();
    let hooks = EsmeHooks {
        bound: Some(bound),
        inbox: Arc::clone(&inbox),
        commands: handle.downgrade(),
        totals,
        outbind,
    };
    let mut driver = Driver::new(io, config, hooks, shared, received);
    if !waits_for_outbind {
        driver
            .bind()
            .map_err(|e| Error::refused(e, Some(CloseReason::Local)))?;
    }
    tokio::spawn(driver.run());
    bind_result.await.unwrap_or_else(|_| {
        Err(Error::Closed(
            handle.close_reason().unwrap_or(CloseReason::Disconnected),
        ))
    })?;
    let incoming = Incoming::new(inbox, handle.sender());
    Ok((handle, incoming))
}

/// The ESME side's reactions.
struct EsmeHooks {
    /// Where the bind's outcome goes, until it is known.
    bound: Option<oneshot::Sender<Result<(), Error>>>,
    /// Where the MC's requests go.
    inbox: Arc<Inbox>,
    /// For the answers of the requests handed out (weak: the session
    /// unbinds once the application holds no handle).
    commands: mpsc::WeakUnboundedSender<Command>,
    /// Totals over several sessions, if the session is one of them.
    totals: Option<Arc<SharedMeter>>,
    /// Decides the MC's `outbind`, if the session waits for one.
    outbind: Option<OutbindCheck>,
}

impl Hooks for EsmeHooks {
    fn totals(&self) -> Option<&SharedMeter> {
        self.totals.as_deref()
    }

    fn bind_result(&mut self, result: Result<&BindInfo, CommandStatus>) {
        if let Some(bound) = self.bound.take() {
            let _ = bound.send(result.map(|_| ()).map_err(Error::BindRefused));
        }
    }

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        self.inbox.poll_room(cx)
    }

    fn unbound(&mut self) {
        // The application will not take what waits: answered
        // `ESME_RX_T_APPN` now, so that the session closes once the
        // requests already taken are answered, and the MC knows the
        // others' outcome.
        self.inbox.close();
    }

    fn outbind(&mut self, pdu: Pdu) -> OutbindDecision {
        // Only the first, and only when waiting for one.
        let Some(accept) = self.outbind.take() else {
            return OutbindDecision::Ignore;
        };
        match &pdu.body {
            Body::Outbind(outbind) if accept(outbind) => OutbindDecision::Bind,
            _ => OutbindDecision::Refuse,
        }
    }

    fn request(&mut self, pdu: Pdu, sequence_number: u32, command_id: CommandId) -> Option<Answer> {
        let Some(commands) = self.commands.upgrade() else {
            // Nobody holds the session: nobody can take the request.
            return Some(Answer::Status(CommandStatus::ESME_RX_T_APPN));
        };
        let request = Request::new(
            pdu,
            Some(Responder {
                commands,
                sequence_number,
                command_id,
            }),
        );
        // The driver waited for room (`poll_ready`): only an application
        // that dropped `Incoming` refuses it, and the request, dropped
        // untaken, answers ESME_RX_T_APPN itself.
        self.inbox.push(request);
        None
    }

    fn alert_notification(&mut self, pdu: Pdu) {
        self.inbox.push(Request::new(pdu, None));
    }

    fn closed(&mut self, reason: CloseReason) {
        self.inbox.close();
        if let Some(bound) = self.bound.take() {
            let _ = bound.send(Err(Error::Closed(reason)));
        }
    }
}
