//! A blocking ESME on `std::net`, without an async runtime: connect, bind,
//! send and receive from one thread, as a script or a plain program does.
//!
//! [`Client`] runs the same sans-I/O engine as the async client
//! ([`smpp_core::session`]) over a [`TcpStream`] (or any [`Transport`]: a
//! TLS stream through [`WithSocket`]), in the calling thread: each call
//! reads, writes and runs the session timers until it has its answer.
//! The session does what the engine does by itself (answers
//! `enquire_link`, sends one after the `enquire_link_timer` of silence,
//! times requests out after the `response_timer`, refuses what the
//! operation matrix forbids, answers malformed PDUs) while the application
//! waits in any call.
//!
//! - [`Client::connect`] (with a connect timeout) or [`Client::bind`] over
//!   an open stream binds as the [`Config`] says, or fails with the bind's
//!   refusal ([`Error::BindRefused`]).
//! - [`Client::submit_sm`], [`Client::data_sm`] and [`Client::send`] take
//!   what the builders make (a [`Pdu`]) or a [`Body`], and return the
//!   response, or an [`Error`] that says whether the MC may have received
//!   the request ([`Error::may_have_been_received`]).
//! - [`Client::submit_many`] and [`Client::send_many`] keep the window
//!   full and give each result in order; [`Client::queue`] and
//!   [`Client::wait`] do the same by hand.
//! - The MC's `deliver_sm`, `data_sm` and `alert_notification` wait in a
//!   bounded queue for [`Client::recv`] (or go to a handler,
//!   [`Client::on_request`]); answer each with [`Request::respond`], or
//!   drop it to answer `ESME_ROK`.
//! - [`Client::unbind`] unbinds once the outstanding requests are
//!   answered; [`Client::close`] closes at once; dropping a bound client
//!   unbinds (waiting two seconds at most).
//!
//! The errors, [`Answer`] and [`SmResponse`] are the async client's
//! (`smpp_std::session`, there also without the `tokio` feature): one set
//! of types for both.
//!
//! # Example
//!
//! A transceiver sends a message, then takes its delivery receipt:
//!
//! ```
//! use core::time::Duration;
//!
//! use smpp_core::session::{BindType, Config};
//! use smpp_core::{Body, CommandStatus, RegisteredDelivery};
//! use smpp_std::SubmitSmBuilder;
//! use smpp_std::blocking::{Answer, Client};
//! # use std::io::Write;
//! # use smpp_core::session::{Event, Session};
//! # use smpp_std::SmppReader;
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # // A tiny SMSC on the engine: accepts the bind, gives each message an
//! # // id, and sends a receipt for it.
//! # let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
//! # let addr = listener.local_addr()?;
//! # std::thread::spawn(move || -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
//! #     let (mut socket, _) = listener.accept()?;
//! #     let mut frames = SmppReader::new(socket.try_clone()?);
//! #     let mut mc: Session = Session::new(Config::mc(), smpp_core::session::Millis(0));
//! #     let now = smpp_core::session::Millis(0);
//! #     let mut out = [0u8; 4096];
//! #     while let Some(frame) = frames.read_frame()? {
//! #         let pdu = mc.handle_frame(&frame.bytes, now)?.map(|p| p.body);
//! #         while let Some(event) = mc.poll_event() {
//! #             match event {
//! #                 Event::BindRequest { .. } => mc.accept_bind(CommandStatus::ESME_ROK, now)?,
//! #                 Event::IncomingRequest { sequence_number, .. } => {
//! #                     let resp = smpp_core::SubmitSmResp { message_id: b"id-1"[..].into(), ..Default::default() };
//! #                     mc.respond(sequence_number, CommandStatus::ESME_ROK, Body::SubmitSmResp(Some(resp)), now)?;
//! #                     let receipt = SubmitSmBuilder::deliver_sm(0)
//! #                         .esm_class(smpp_core::EsmClass::DELIVERY_RECEIPT)
//! #                         .receipted_message_id("id-1")
//! #                         .build()?;
//! #                     mc.send_request(receipt.body, 0, now)?;
//! #                 }
//! #                 Event::Closed(_) => return Ok(()),
//! #                 _ => {}
//! #             }
//! #         }
//! #         let _ = pdu;
//! #         while let Some(n) = mc.poll_transmit(&mut out, now) {
//! #             socket.write_all(&out[..n])?;
//! #         }
//! #     }
//! #     Ok(())
//! # });
//!
//! let config = Config::esme(BindType::Transceiver)
//!     .with_system_id("esme")?
//!     .with_password("secret")?;
//! let mut client = Client::connect(addr, config)?;
//!
//! let submit = SubmitSmBuilder::new(0)
//!     .source_addr("INFO")
//!     .destination_addr("447700900123")
//!     .short_message("Hello")
//!     .registered_delivery(RegisteredDelivery::RECEIPT_ON_FINAL)
//!     .build()?;
//! let resp = client.submit_sm(submit)?;
//! assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
//!
//! // The receipt: taken, read, answered (dropping it answers ESME_ROK too).
//! let receipt = client.recv(Duration::from_secs(5))?.expect("a receipt");
//! let Body::DeliverSm(dlr) = &receipt.pdu().body else { panic!("not a deliver_sm") };
//! let id = dlr.tlvs.get(smpp_core::TlvTag::RECEIPTED_MESSAGE_ID).map(|t| t.as_cstr());
//! assert_eq!(id, Some(resp.message_id.as_bytes()));
//! receipt.respond(Answer::Ok);
//!
//! client.unbind()?;
//! # Ok(())
//! # }
//! ```
//!
//! # Waiting
//!
//! Every wait is bounded: a read or a write blocks at most until the next
//! session timer (or the caller's timeout), and no loop turns without
//! reading, writing or blocking. Reading and writing alternate in turns of
//! 50 ms while the MC is slow to read, so that two peers writing to each
//! other never block for good. A request gets its outcome within the
//! `response_timer`: its response, [`Error::Timeout`], or, when the
//! connection ends first, [`Error::OutcomeUnknown`] if it was written and
//! [`Error::Closed`] if not.
//!
//! # Flow control
//!
//! Requests go out through the window ([`Config::with_window`]): at most
//! that many await their response, and [`Client::queue`] refuses more
//! than that many queued and not waited for
//! ([`SessionError::WindowFull`]). The MC's requests are kept until taken,
//! up to the inbound window ([`Config::with_inbound_window`], and a few
//! `alert_notification`s); beyond it the client reads nothing more (TCP
//! slows the MC down) instead of refusing anything, and it answers
//! `ESME_ROK` only for what the application took.
//!
//! So an application bound as a receiver or transceiver takes what comes:
//! with [`Client::recv`] between its sends, or with a handler
//! ([`Client::on_request`]) that gets each request as it arrives, during
//! any call. One that leaves the inbound window full while waiting for a
//! response stops the reading that would bring that response, and the
//! request times out.

mod incoming;
mod transport;

use core::fmt;
use core::time::Duration;
use std::collections::{BTreeMap, VecDeque};
use std::io::{self, ErrorKind};
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::Arc;
use std::time::Instant;

use smpp_core::session::{
    BindType, CloseReason, Config, Event, Role, SessionError, SessionState, Version,
};
use smpp_core::{CommandId, CommandStatus, Header};

pub use incoming::Request;
pub use transport::{Transport, WithSocket};

pub use crate::session::{Answer, BindInfo, Error, IntoRequest, SmResponse};

use crate::owned::{Body, COctet, Outbind, Pdu};
use crate::session::inbound::{
    Clock, Engine, HIGH_WATER, Inbound, Input, MAX_PDU, READ_CHUNK, WINDOW_CAPACITY,
};
use crate::session::info::responder_system_id;
use incoming::{Answers, Given, Received};

/// Requests kept for the application beyond the inbound window, for
/// `alert_notification`s (which no window counts).
const ALERT_ROOM: usize = 16;

/// How long a write blocks before a read gets its turn, and the other way
/// round, while the peer is slow to read.
const TURN: Duration = Duration::from_millis(50);

/// How often a waiting client looks for answers given on other threads.
const ANSWER_POLL: Duration = Duration::from_millis(20);

/// How long a closing session may take to write what is left, and a
/// dropped client to unbind.
const LINGER: Duration = Duration::from_secs(2);

/// The state of the connection.
#[derive(Debug)]
struct Link {
    input: Input,
    /// Reading or writing failed: the connection is gone.
    broken: bool,
    /// Octets were written and the stream not flushed since.
    unflushed: bool,
    /// The connection was shut down.
    shut: bool,
}

/// A timeout last set on the stream.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Timeout {
    /// Not set by the client yet.
    Unknown,
    /// Set to this (`None`: no timeout).
    Set(Option<Duration>),
}

/// The timeouts last set on the stream.
#[derive(Debug)]
struct Timeouts {
    read: Timeout,
    write: Timeout,
}

/// A timeout a stream accepts: whole milliseconds, at least one.
fn stream_timeout(wait: Option<Duration>) -> Option<Duration> {
    wait.map(|d| {
        let ms = d.as_nanos().div_ceil(1_000_000).max(1);
        Duration::from_millis(u64::try_from(ms).unwrap_or(u64::MAX))
    })
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
    )
}

fn earliest(a: Option<Instant>, b: Option<Instant>) -> Option<Instant> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// A bound ESME session over a blocking stream: sends requests through
/// the SMPP window and takes the MC's requests, in the calling thread.
///
/// See the [module documentation](self) for the whole picture. Every call
/// that waits runs the session meanwhile: it reads and hands frames to the
/// engine, writes, answers `enquire_link`, runs the timers, and keeps the
/// MC's requests for [`Client::recv`].
///
/// Once the session is closed (unbound, the connection lost, a timer),
/// every call fails with [`Error::Closed`] carrying the reason; results
/// already known stay available to [`Client::wait`].
///
/// One message, then a batch through the window, then a few pipelined by
/// hand:
///
/// ```
/// use smpp_core::session::{BindType, CloseReason, Config};
/// use smpp_core::{CommandId, CommandStatus};
/// use smpp_std::SubmitSmBuilder;
/// use smpp_std::blocking::{Answer, Client, SmResponse};
/// # use std::sync::Arc;
/// # use smpp_std::server::{BindRequest, Context, Handler, Server};
/// # struct Smsc;
/// # impl Handler for Smsc {
/// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
/// #     async fn request(&self, _: &Context, pdu: smpp_std::Pdu) -> Answer {
/// #         Answer::message_id(format!("id-{}", pdu.sequence_number))
/// #     }
/// # }
/// # /// An SMSC on a thread of its own.
/// # fn smsc() -> std::net::SocketAddr {
/// #     let (tx, rx) = std::sync::mpsc::channel();
/// #     std::thread::spawn(move || {
/// #         let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
/// #         runtime.block_on(async move {
/// #             let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await.unwrap();
/// #             tx.send(server.local_addr().unwrap()).unwrap();
/// #             server.run().await
/// #         })
/// #     });
/// #     rx.recv().unwrap()
/// # }
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let addr = smsc();
///
/// let config = Config::esme(BindType::Transmitter).with_system_id("shop")?;
/// let mut client = Client::connect(addr, config)?;
/// let submit = |n: u32| {
///     SubmitSmBuilder::new(0)
///         .destination_addr("447700900123")
///         .short_message(format!("message {n}"))
///         .build()
/// };
///
/// let resp = client.submit_sm(submit(0)?)?;
/// assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
/// assert_eq!(resp.message_id.to_string(), "id-2"); // the bind was number 1
/// let pdu = client.send(submit(1)?)?; // any request: its response PDU
/// assert_eq!(pdu.command_id(), CommandId::SUBMIT_SM_RESP);
///
/// // A hundred messages, the window kept full; the answers in order.
/// let messages = (0..100).map(submit).collect::<Result<Vec<_>, _>>()?;
/// let answers = client.submit_many(messages).collect::<Result<Vec<_>, _>>()?;
/// assert_eq!(answers.len(), 100);
/// assert!(answers.iter().all(SmResponse::is_ok));
///
/// // By hand: queue without waiting, then take each outcome, oldest first.
/// let first = client.queue(submit(200)?)?;
/// let second = client.queue(submit(201)?)?;
/// assert_eq!(client.queued(), 2);
/// let outcomes: Vec<u32> = std::iter::from_fn(|| client.wait())
///     .map(|outcome| outcome.map(|pdu| pdu.sequence_number))
///     .collect::<Result<_, _>>()?;
/// assert_eq!(outcomes, [first, second]);
///
/// client.unbind()?;
/// assert_eq!(client.close_reason(), Some(CloseReason::Unbound));
/// # Ok(())
/// # }
/// ```
pub struct Client<S: Transport = TcpStream> {
    stream: S,
    engine: Engine,
    clock: Clock<Instant>,
    inbound: Inbound,
    link: Link,
    timeouts: Timeouts,
    /// The outcomes of the requests sent and not yet waited for, by tag,
    /// in sending order (`None` until known).
    outcomes: BTreeMap<u64, Option<Result<Pdu, Error>>>,
    /// Requests of `outcomes` whose outcome is not known yet: those
    /// holding a slot of the window.
    in_flight: usize,
    next_tag: u64,
    /// The MC's requests not taken yet.
    inbox: VecDeque<Received>,
    inbox_capacity: usize,
    answers: Arc<Answers>,
    handler: Option<Box<dyn FnMut(Request) + Send>>,
    /// Unbinding: the MC's requests are answered `ESME_RX_T_APPN` as they
    /// come.
    refusing: bool,
    /// The bind's outcome, once answered.
    bind_status: Option<CommandStatus>,
    /// The MC's `system_id`, from its bind response.
    system_id: COctet,
    /// Waiting for the MC's `outbind` ([`Client::accept_outbind`]).
    awaits_outbind: bool,
    /// The MC's `outbind`, once it came while waited for.
    outbind: Option<Pdu>,
}

impl<S: Transport> fmt::Debug for Client<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("state", &self.engine.state())
            .field("system_id", &self.system_id)
            .field("queued", &self.outcomes.len())
            .field("received", &self.inbox.len())
            .field("close_reason", &self.engine.close_reason())
            .finish_non_exhaustive()
    }
}

impl Client<TcpStream> {
    /// Connects to `addr` over TCP (with `TCP_NODELAY`) and binds as
    /// `config` says (see [`Client::bind`]). Connecting may take up to the
    /// `response_timer` for each address `addr` resolves to.
    ///
    /// See the example on [`Client`].
    pub fn connect(addr: impl ToSocketAddrs, config: Config) -> Result<Self, Error> {
        let timeout = config.timers().response_timer;
        Self::connect_timeout(addr, config, timeout)
    }

    /// [`Client::connect`], giving up on each address after `timeout`
    /// ([`Error::Io`] with [`ErrorKind::TimedOut`]).
    ///
    /// See the example on [`Client::on_request`].
    pub fn connect_timeout(
        addr: impl ToSocketAddrs,
        config: Config,
        timeout: Duration,
    ) -> Result<Self, Error> {
        let mut last = None;
        for addr in addr.to_socket_addrs()? {
            match TcpStream::connect_timeout(&addr, timeout) {
                Ok(stream) => {
                    stream.set_nodelay(true)?;
                    return Self::bind(stream, config);
                }
                Err(e) => last = Some(e),
            }
        }
        Err(Error::Io(last.unwrap_or_else(|| {
            io::Error::new(ErrorKind::InvalidInput, "no address to connect to")
        })))
    }
}

impl<S: Transport> Client<S> {
    /// Binds over an open connection: sends the bind of `config`
    /// ([`Config::esme`]: bind type, `system_id`, `password`,
    /// `system_type`, `interface_version`, address range) and waits for its
    /// response, at most the `response_timer`.
    ///
    /// Returns the client once bound; [`Error::BindRefused`] with the MC's
    /// status if the bind is refused; [`Error::Closed`] if the connection
    /// ends, or the `response_timer` runs out, first. A configuration of
    /// the MC side is refused with [`SessionError::WrongRole`]. The
    /// connection is shut down on every error.
    ///
    /// Over a connection the application opened itself:
    ///
    /// ```
    /// use core::time::Duration;
    /// use std::net::TcpStream;
    ///
    /// use smpp_core::session::{BindType, Config, Version};
    /// use smpp_core::CommandStatus;
    /// use smpp_std::DataSmBuilder;
    /// use smpp_std::blocking::{Answer, Client};
    /// # use std::sync::Arc;
    /// # use smpp_std::server::{BindRequest, Context, Handler, Server};
    /// # struct Smsc;
    /// # impl Handler for Smsc {
    /// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
    /// #     async fn request(&self, _: &Context, pdu: smpp_std::Pdu) -> Answer {
    /// #         Answer::message_id(format!("id-{}", pdu.sequence_number))
    /// #     }
    /// # }
    /// # /// An SMSC on a thread of its own.
    /// # fn smsc() -> std::net::SocketAddr {
    /// #     let (tx, rx) = std::sync::mpsc::channel();
    /// #     std::thread::spawn(move || {
    /// #         let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    /// #         runtime.block_on(async move {
    /// #             let server = Server::bind("127.0.0.1:0", Config::mc().with_system_id("SMSC").unwrap(), Arc::new(Smsc)).await.unwrap();
    /// #             tx.send(server.local_addr().unwrap()).unwrap();
    /// #             server.run().await
    /// #         })
    /// #     });
    /// #     rx.recv().unwrap()
    /// # }
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let addr = smsc();
    ///
    /// let stream = TcpStream::connect(addr)?;
    /// let mut client = Client::bind(stream, Config::esme(BindType::Transceiver))?;
    /// assert_eq!(client.bind_type(), Some(BindType::Transceiver));
    /// assert_eq!(client.bind_info().map(|b| b.bind_type), Some(BindType::Transceiver));
    /// assert_eq!(client.system_id().to_string(), "SMSC"); // from its bind response
    /// assert_eq!(client.version(), Version::V34); // the SMSC speaks v3.4
    /// assert_eq!(client.window(), 10); // Config's default
    /// assert_eq!(client.get_ref().peer_addr()?, addr);
    ///
    /// let data = DataSmBuilder::new(0).destination_addr("447700900123").build()?;
    /// let resp = client.data_sm(data)?;
    /// assert!(resp.is_ok());
    /// assert_eq!(resp.message_id.to_string(), "id-2"); // the bind was number 1
    /// client.enquire_link()?;
    /// client.run_for(Duration::from_millis(5))?; // nothing to do, nothing taken
    /// client.flush()?;
    ///
    /// client.close(); // no unbind
    /// assert!(client.is_closed());
    /// assert_eq!(client.bind_type(), None);
    /// # Ok(())
    /// # }
    /// ```
    pub fn bind(stream: S, config: Config) -> Result<Self, Error> {
        Self::open(stream, config)?.send_bind()
    }

    /// Waits on `stream`, a connection an MC opened to this ESME, for the
    /// MC's `outbind` (SMPP's way for an MC to ask an ESME to bind,
    /// typically as a receiver, to deliver messages), then binds over the
    /// same connection, as the async
    /// [`client::accept_outbind`](crate::client::accept_outbind) does.
    ///
    /// `accept` sees the `outbind` (the MC's `system_id` and `password`)
    /// and decides. Accepted, the client sends the bind of `config` (SMPP
    /// v3.4 asks for a receiver) and waits for its response as
    /// [`Client::bind`] does. Refused, the connection is closed and
    /// [`Error::Closed`] with [`CloseReason::Local`] returned. No
    /// `outbind` within the `session_init_timer`: [`Error::Closed`] with
    /// [`CloseReason::SessionInitTimeout`].
    ///
    /// An ESME listening for its MC:
    ///
    /// ```
    /// use std::net::TcpListener;
    ///
    /// use smpp_core::session::{BindType, CloseReason, Config};
    /// use smpp_std::blocking::Client;
    /// # use std::sync::Arc;
    /// # use smpp_core::CommandStatus;
    /// # use smpp_std::server::{BindRequest, Context, Handler, Server};
    /// # use smpp_std::session::Answer;
    /// # struct Smsc;
    /// # impl Handler for Smsc {
    /// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
    /// #     async fn request(&self, _: &Context, _: smpp_std::Pdu) -> Answer { Answer::Ok }
    /// # }
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let runtime = tokio::runtime::Runtime::new()?;
    /// # let smsc = runtime.block_on(Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)))?.handle();
    /// let listener = TcpListener::bind("127.0.0.1:0")?;
    /// # let addr = listener.local_addr()?;
    /// # let outbinding = runtime.spawn(async move { smsc.outbind(addr, "s3cret").await });
    /// let (stream, _mc) = listener.accept()?;
    /// let receiver = Config::esme(BindType::Receiver).with_system_id("shop")?;
    /// let mut client = Client::accept_outbind(stream, receiver, |outbind| {
    ///     outbind.password.as_bytes() == b"s3cret"
    /// })?;
    /// assert_eq!(client.bind_type(), Some(BindType::Receiver));
    /// client.unbind()?;
    /// # assert_eq!(runtime.block_on(outbinding)??, CloseReason::Unbound);
    /// # Ok(())
    /// # }
    /// ```
    pub fn accept_outbind(
        stream: S,
        config: Config,
        accept: impl FnOnce(&Outbind) -> bool,
    ) -> Result<Self, Error> {
        let mut client = Self::open(stream, config)?;
        client.awaits_outbind = true;
        client.drive(None, |c| c.outbind.is_some());
        client.awaits_outbind = false;
        match client.outbind.take().map(|pdu| pdu.body) {
            Some(Body::Outbind(outbind)) if accept(&outbind) => client.send_bind(),
            Some(_) => {
                client.close();
                Err(Error::Closed(CloseReason::Local))
            }
            None => {
                client.close();
                Err(client.closed_error())
            }
        }
    }

    /// A session on `stream`, not bound yet.
    fn open(mut stream: S, config: Config) -> Result<Self, Error> {
        if config.role() != Role::Esme {
            let _ = stream.shutdown();
            return Err(Error::Refused(SessionError::WrongRole(config.role())));
        }
        let clock = Clock::<Instant>::start();
        let inbox_capacity = config
            .inbound_window()
            .min(WINDOW_CAPACITY)
            .saturating_add(ALERT_ROOM);
        // Until the session sets its own: a layer that reads while writing
        // (a TLS handshake) waits no longer than the bind may.
        let bind_wait = Some(config.timers().response_timer);
        if let Err(e) = stream.set_read_timeout(bind_wait) {
            let _ = stream.shutdown();
            return Err(Error::Io(e));
        }
        let engine = Engine::new(config, clock.now());
        let client = Self {
            stream,
            engine,
            clock,
            inbound: Inbound::default(),
            link: Link {
                input: Input::Open,
                broken: false,
                unflushed: false,
                shut: false,
            },
            timeouts: Timeouts {
                read: Timeout::Set(bind_wait),
                write: Timeout::Unknown,
            },
            outcomes: BTreeMap::new(),
            in_flight: 0,
            next_tag: 0,
            inbox: VecDeque::new(),
            inbox_capacity,
            answers: Arc::default(),
            handler: None,
            refusing: false,
            bind_status: None,
            system_id: COctet::default(),
            awaits_outbind: false,
            outbind: None,
        };
        Ok(client)
    }

    /// Sends the bind of the configuration and waits for its response.
    fn send_bind(mut self) -> Result<Self, Error> {
        let now = self.clock.now();
        if let Err(e) = self.engine.bind(now) {
            self.close();
            return Err(Error::refused(e, Some(CloseReason::Local)));
        }
        self.drive(None, |c| c.bind_status.is_some());
        if self.bind_status.is_some_and(CommandStatus::is_ok) {
            return Ok(self);
        }
        self.close();
        Err(self
            .bind_status
            .map_or_else(|| self.closed_error(), Error::BindRefused))
    }

    // ---------------------------------------------------------------
    // Sending

    /// Sends a request and waits for its response: the response PDU (its
    /// `command_status` may be an error: that is the MC's answer) or the
    /// `generic_nack` that answered it.
    ///
    /// Takes what the builders make (a [`Pdu`]) or a [`Body`]
    /// ([`IntoRequest`]). Waits first for a slot of the window, if the
    /// window is full of requests queued with [`Client::queue`]. Fails at
    /// once with [`Error::NoResponse`] for a PDU that gets no response,
    /// with [`Error::Refused`] for one the operation matrix forbids, and
    /// with [`Error::Closed`] once the session is closed.
    ///
    /// See the example on [`Client`].
    pub fn send(&mut self, request: impl IntoRequest) -> Result<Pdu, Error> {
        self.send_body(request.into_request(None)?)
    }

    /// Sends `submit_sm` (a [`SubmitSmBuilder`](crate::SubmitSmBuilder)'s
    /// PDU, a part from [`text::submit_sms`](crate::text::submit_sms), or
    /// the body) and waits for the `submit_sm_resp`: its status and
    /// `message_id`. Another command is refused with
    /// [`Error::UnexpectedCommand`], and nothing is sent.
    ///
    /// See the example on [`Client`].
    pub fn submit_sm(&mut self, submit_sm: impl IntoRequest) -> Result<SmResponse, Error> {
        let body = submit_sm.into_request(Some(CommandId::SUBMIT_SM))?;
        self.send_body(body).map(SmResponse::from)
    }

    /// Sends `data_sm` and waits for the `data_sm_resp`: its status and
    /// `message_id`. Another command is refused with
    /// [`Error::UnexpectedCommand`], and nothing is sent.
    ///
    /// See the example on [`Client::bind`].
    pub fn data_sm(&mut self, data_sm: impl IntoRequest) -> Result<SmResponse, Error> {
        let body = data_sm.into_request(Some(CommandId::DATA_SM))?;
        self.send_body(body).map(SmResponse::from)
    }

    /// Sends `enquire_link` and waits for its response. (The session also
    /// sends one by itself after the `enquire_link_timer` of silence.)
    ///
    /// See the example on [`Client::bind`].
    pub fn enquire_link(&mut self) -> Result<(), Error> {
        self.send_body(Body::EnquireLink).map(|_| ())
    }

    fn send_body(&mut self, body: Body) -> Result<Pdu, Error> {
        let (tag, _) = self.start(body)?;
        self.wait_for(tag)
    }

    /// Sends a request without waiting for its response: returns its
    /// `sequence_number` once it is written. [`Client::wait`] gives the
    /// outcomes, oldest first.
    ///
    /// At most as many requests as the window may be queued and not waited
    /// for: one more is refused with [`SessionError::WindowFull`]
    /// ([`Error::Refused`]), and nothing is sent. Fails as
    /// [`Client::send`] does otherwise.
    ///
    /// See the example on [`Client`].
    pub fn queue(&mut self, request: impl IntoRequest) -> Result<u32, Error> {
        if self.outcomes.len() >= self.window() {
            return Err(Error::Refused(SessionError::WindowFull));
        }
        let (_, sequence_number) = self.start(request.into_request(None)?)?;
        self.drive(None, |c| !c.writing());
        Ok(sequence_number)
    }

    /// The outcome of the oldest request queued with [`Client::queue`],
    /// waiting for it if needed; `None` when none is queued.
    ///
    /// See the example on [`Client`].
    pub fn wait(&mut self) -> Option<Result<Pdu, Error>> {
        let tag = *self.outcomes.keys().next()?;
        Some(self.wait_for(tag))
    }

    /// Requests queued with [`Client::queue`] and not waited for yet.
    ///
    /// See the example on [`Client`].
    pub fn queued(&self) -> usize {
        self.outcomes.len()
    }

    /// Sends every request of `requests` through the window, keeping it
    /// full, and gives the outcome of each, in order (see
    /// [`Client::send`]). Requests are taken from `requests` as slots free
    /// up: an iterator of a million messages holds a window's worth at a
    /// time.
    ///
    /// Requests queued with [`Client::queue`] before share the window;
    /// their outcomes stay for [`Client::wait`].
    ///
    /// See the example on [`Client`].
    pub fn send_many<I>(&mut self, requests: I) -> Responses<'_, S, I::IntoIter>
    where
        I: IntoIterator,
        I::Item: IntoRequest,
    {
        Responses {
            client: self,
            requests: requests.into_iter(),
            command_id: None,
            started: VecDeque::new(),
            exhausted: false,
        }
    }

    /// [`Client::send_many`] for `submit_sm`: the status and `message_id`
    /// of each response, in order. Another command is refused with
    /// [`Error::UnexpectedCommand`] in its place, and not sent.
    ///
    /// See the example on [`Client`].
    pub fn submit_many<I>(&mut self, requests: I) -> impl Iterator<Item = Result<SmResponse, Error>>
    where
        I: IntoIterator,
        I::Item: IntoRequest,
    {
        let mut responses = self.send_many(requests);
        responses.command_id = Some(CommandId::SUBMIT_SM);
        responses.map(|outcome| outcome.map(SmResponse::from))
    }

    /// Hands `body` to the engine once the window has a slot; its tag and
    /// `sequence_number`.
    fn start(&mut self, body: Body) -> Result<(u64, u32), Error> {
        let command_id = body.command_id();
        if !command_id.is_response() && !command_id.expects_response() {
            return Err(Error::NoResponse(command_id));
        }
        // Below the high water mark the transmit queue has room for any
        // PDU but the largest, which wait for it to empty.
        let large = Header::LEN + body.encoded_len() > MAX_PDU;
        self.drive(None, |c| {
            c.in_flight < c.engine.window_size()
                && c.engine.transmit_len() < HIGH_WATER
                && (!large || c.engine.transmit_bytes().is_empty())
        });
        let tag = self.next_tag;
        let sequence_number = self
            .engine
            .send_request(body, tag, self.clock.now())
            .map_err(|e| Error::refused(e, self.engine.close_reason()))?;
        self.next_tag += 1;
        self.in_flight += 1;
        self.outcomes.insert(tag, None);
        Ok((tag, sequence_number))
    }

    /// Waits for the outcome of request `tag` and takes it.
    fn wait_for(&mut self, tag: u64) -> Result<Pdu, Error> {
        self.drive(None, |c| c.settled(tag));
        self.take_outcome(tag)
    }

    /// True once the outcome of request `tag` is known (or it is unknown).
    fn settled(&self, tag: u64) -> bool {
        self.outcomes.get(&tag).is_none_or(Option::is_some)
    }

    /// Takes the outcome of request `tag`.
    fn take_outcome(&mut self, tag: u64) -> Result<Pdu, Error> {
        match self.outcomes.remove(&tag) {
            Some(Some(outcome)) => outcome,
            _ => Err(self.closed_error()),
        }
    }

    // ---------------------------------------------------------------
    // Receiving

    /// The next request of the MC (`deliver_sm`, `data_sm`,
    /// `alert_notification`), waiting up to `timeout` for one: `Ok(None)`
    /// if none came. Fails with [`Error::Closed`] once the session is
    /// closed (requests not taken then are dropped unanswered, and the MC
    /// delivers them again).
    ///
    /// With a handler ([`Client::on_request`]) requests go there instead,
    /// and `recv` runs the session for `timeout`.
    ///
    /// A receiver, and the message its SMSC sends it once it is bound:
    ///
    /// ```
    /// use core::time::Duration;
    ///
    /// use smpp_core::session::{BindType, Config};
    /// use smpp_core::{Body, CommandId, CommandStatus};
    /// use smpp_std::blocking::{Answer, Client};
    /// # use std::sync::Arc;
    /// # use smpp_std::server::{BindRequest, Context, Handler, Server};
    /// # struct Smsc;
    /// # impl Handler for Smsc {
    /// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
    /// #     async fn request(&self, _: &Context, pdu: smpp_std::Pdu) -> Answer {
    /// #         Answer::message_id(format!("id-{}", pdu.sequence_number))
    /// #     }
    /// #     fn bound(&self, cx: &Context) {
    /// #         let session = cx.session().clone();
    /// #         let mo = smpp_std::SubmitSmBuilder::deliver_sm(0).short_message("Hi").build().unwrap();
    /// #         tokio::spawn(async move { session.deliver_sm(mo).await });
    /// #     }
    /// # }
    /// # /// An SMSC on a thread of its own.
    /// # fn smsc() -> std::net::SocketAddr {
    /// #     let (tx, rx) = std::sync::mpsc::channel();
    /// #     std::thread::spawn(move || {
    /// #         let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    /// #         runtime.block_on(async move {
    /// #             let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await.unwrap();
    /// #             tx.send(server.local_addr().unwrap()).unwrap();
    /// #             server.run().await
    /// #         })
    /// #     });
    /// #     rx.recv().unwrap()
    /// # }
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let addr = smsc();
    ///
    /// let mut client = Client::connect(addr, Config::esme(BindType::Receiver))?;
    /// let request = client.recv(Duration::from_secs(5))?.expect("a deliver_sm");
    /// assert_eq!(request.command_id(), CommandId::DELIVER_SM);
    /// assert!(request.needs_answer());
    /// let Body::DeliverSm(mo) = &request.pdu().body else { panic!("not a deliver_sm") };
    /// assert_eq!(mo.short_message, "Hi");
    /// request.respond(Answer::Ok);
    ///
    /// // Nothing more comes.
    /// assert!(client.recv(Duration::from_millis(10))?.is_none());
    /// client.unbind()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn recv(&mut self, timeout: Duration) -> Result<Option<Request>, Error> {
        let deadline = Instant::now().checked_add(timeout);
        self.drive(deadline, |c| !c.inbox.is_empty());
        self.take_received()
    }

    /// The next request of the MC if one was received, without waiting:
    /// hands the engine what was read already, and reads nothing.
    ///
    /// See the example on [`Client::on_request`].
    pub fn try_recv(&mut self) -> Result<Option<Request>, Error> {
        self.inputs();
        self.take_received()
    }

    /// Requests of the MC received and not taken yet.
    ///
    /// See the example on [`Client::on_request`].
    pub fn received(&self) -> usize {
        self.inbox.len()
    }

    /// Gives every request of the MC to `handler` as it arrives, during
    /// any call that runs the session, instead of keeping it for
    /// [`Client::recv`] (those waiting go to the handler first). The
    /// handler answers each [`Request`] (at once, or later from anywhere);
    /// dropping it answers `ESME_ROK`. The inbound window still applies:
    /// while as many requests as it allows await their answers, the
    /// client reads nothing more.
    ///
    /// A receiver whose requests go to a handler, and the message its SMSC
    /// sends it once it is bound:
    ///
    /// ```
    /// use core::time::Duration;
    ///
    /// use smpp_core::session::{BindType, Config};
    /// use smpp_core::{CommandId, CommandStatus};
    /// use smpp_std::blocking::{Answer, Client};
    /// # use std::sync::Arc;
    /// # use smpp_std::server::{BindRequest, Context, Handler, Server};
    /// # struct Smsc;
    /// # impl Handler for Smsc {
    /// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
    /// #     async fn request(&self, _: &Context, pdu: smpp_std::Pdu) -> Answer {
    /// #         Answer::message_id(format!("id-{}", pdu.sequence_number))
    /// #     }
    /// #     fn bound(&self, cx: &Context) {
    /// #         let session = cx.session().clone();
    /// #         let mo = smpp_std::SubmitSmBuilder::deliver_sm(0).short_message("Hi").build().unwrap();
    /// #         tokio::spawn(async move { session.deliver_sm(mo).await });
    /// #     }
    /// # }
    /// # /// An SMSC on a thread of its own.
    /// # fn smsc() -> std::net::SocketAddr {
    /// #     let (tx, rx) = std::sync::mpsc::channel();
    /// #     std::thread::spawn(move || {
    /// #         let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    /// #         runtime.block_on(async move {
    /// #             let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await.unwrap();
    /// #             tx.send(server.local_addr().unwrap()).unwrap();
    /// #             server.run().await
    /// #         })
    /// #     });
    /// #     rx.recv().unwrap()
    /// # }
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let addr = smsc();
    ///
    /// let config = Config::esme(BindType::Receiver);
    /// let mut client = Client::connect_timeout(addr, config, Duration::from_secs(5))?;
    /// // Without a handler, the message is kept for recv.
    /// while client.received() == 0 {
    ///     client.run_for(Duration::from_millis(5))?;
    /// }
    /// assert_eq!(client.received(), 1);
    ///
    /// let (tx, rx) = std::sync::mpsc::channel();
    /// client.on_request(move |request| {
    ///     tx.send(request.command_id()).unwrap();
    ///     request.respond(Answer::Ok);
    /// });
    /// assert_eq!(rx.try_recv()?, CommandId::DELIVER_SM); // the one waiting
    /// assert_eq!(client.received(), 0);
    /// assert!(client.try_recv()?.is_none());
    /// client.unbind()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn on_request(&mut self, handler: impl FnMut(Request) + Send + 'static) {
        let mut handler: Box<dyn FnMut(Request) + Send> = Box::new(handler);
        for received in self.inbox.drain(..) {
            handler(self.answers.hand_out(received));
        }
        self.handler = Some(handler);
    }

    /// Runs the session for `duration` without taking anything: reads (as
    /// far as there is room for the MC's requests), writes, sends the
    /// answers given, answers `enquire_link`, runs the timers. Fails with
    /// [`Error::Closed`] once the session is closed.
    ///
    /// See the examples on [`Client::bind`] and [`Client::on_request`].
    pub fn run_for(&mut self, duration: Duration) -> Result<(), Error> {
        let deadline = Instant::now().checked_add(duration);
        self.drive(deadline, |_| false);
        self.ensure_open()
    }

    /// Sends the answers given so far and writes everything queued;
    /// returns once it is written. Fails with [`Error::Closed`] once the
    /// session is closed.
    ///
    /// See the example on [`Client::bind`].
    pub fn flush(&mut self) -> Result<(), Error> {
        self.drive(None, |c| !c.answers.any_given() && !c.writing());
        self.ensure_open()
    }

    fn take_received(&mut self) -> Result<Option<Request>, Error> {
        if let Some(received) = self.inbox.pop_front() {
            return Ok(Some(self.answers.hand_out(received)));
        }
        self.ensure_open().map(|()| None)
    }

    // ---------------------------------------------------------------
    // Ending

    /// Unbinds: the MC's requests not taken are answered `ESME_RX_T_APPN`
    /// (the MC delivers them again), requests already sent get their
    /// outcomes (kept for [`Client::wait`]), answers given are sent, then
    /// `unbind` goes out and the session closes when the `unbind_resp`
    /// comes (at most the `response_timer`). Requests the application
    /// took and has not answered by then (their [`Request`]s held, on
    /// another thread say) are waited for, at most the `response_timer`
    /// again; any still unanswered then stay so (the MC delivers them
    /// again). Drop or answer the requests taken before unbinding from
    /// the thread that holds them. Ok once the unbind exchange completed,
    /// also when the MC unbound first.
    ///
    /// See the example on [`Client`].
    pub fn unbind(&mut self) -> Result<(), Error> {
        self.unbind_within(None);
        match self.engine.close_reason() {
            Some(CloseReason::Unbound) => Ok(()),
            _ => Err(self.closed_error()),
        }
    }

    /// Closes the session at once, without unbinding: requests still
    /// outstanding fail ([`Error::OutcomeUnknown`] if written), queued
    /// answers get two seconds to leave, and the connection is shut down.
    ///
    /// See the example on [`Client::bind`].
    pub fn close(&mut self) {
        if !self.engine.is_closed() {
            self.engine.close();
            self.events(None);
        }
        self.finish();
    }

    /// Unbinds as [`Client::unbind`] does; with a `deadline`, without
    /// waiting for outstanding requests, and closing at the deadline.
    fn unbind_within(&mut self, deadline: Option<Instant>) {
        if !self.engine.is_closed() {
            self.refusing = true;
            for received in core::mem::take(&mut self.inbox) {
                self.refuse(&received.pdu, received.needs_answer);
            }
            self.inputs();
            if deadline.is_none() {
                self.drive(None, |c| c.in_flight == 0);
            }
            self.send_unbind(deadline);
            self.drive(deadline, |c| c.engine.is_closed());
        }
        self.close();
    }

    /// Queues `unbind` (or closes, when not bound any more).
    fn send_unbind(&mut self, deadline: Option<Instant>) {
        while !self.engine.is_closed() {
            match self.engine.unbind(self.clock.now()) {
                Ok(_) | Err(SessionError::Unbinding) => return,
                Err(SessionError::TransmitQueueFull { .. }) => {
                    if !self.drive(deadline, |c| c.engine.transmit_bytes().is_empty()) {
                        return;
                    }
                }
                Err(_) => {
                    // The MC unbound first (close as unbound), or the
                    // session is no longer bound.
                    if self.engine.state() == SessionState::Unbound {
                        self.engine.handle_disconnect();
                    } else {
                        self.engine.close();
                    }
                    self.events(None);
                    return;
                }
            }
        }
    }

    /// The session is closed: writes what is left (a last response) for a
    /// while, unless the peer stopped reading, and shuts the connection
    /// down. Requests not taken can no longer be answered.
    fn finish(&mut self) {
        if self.link.shut {
            return;
        }
        self.link.shut = true;
        let reason = self.engine.close_reason().unwrap_or(CloseReason::Local);
        self.inbox.clear();
        self.inbound.clear();
        for outcome in self.outcomes.values_mut() {
            // Every request was reported by the engine; none is left, but
            // a wait must never hang.
            outcome.get_or_insert(Err(Error::Closed(reason)));
        }
        self.in_flight = 0;
        if reason != CloseReason::WriteTimeout {
            let until = Instant::now() + LINGER;
            while self.writing() {
                let left = until.saturating_duration_since(Instant::now());
                if left.is_zero() || !self.write(Some(left)) {
                    break;
                }
            }
        }
        let _ = self.stream.shutdown();
    }

    // ---------------------------------------------------------------
    // State

    /// True once the session is closed.
    ///
    /// See the example on [`Client::bind`].
    pub fn is_closed(&self) -> bool {
        self.engine.is_closed()
    }

    /// Why the session closed, once it has.
    ///
    /// See the example on [`Client`].
    pub fn close_reason(&self) -> Option<CloseReason> {
        self.engine.close_reason()
    }

    /// How the session is bound (`None` once closed).
    ///
    /// See the example on [`Client::bind`].
    pub fn bind_type(&self) -> Option<BindType> {
        self.engine.bind_type().filter(|_| !self.is_closed())
    }

    /// The MC's `system_id`, from its bind response.
    ///
    /// See the example on [`Client::bind`].
    pub fn system_id(&self) -> &COctet {
        &self.system_id
    }

    /// The version whose operation matrix applies: the lower of both
    /// sides'.
    ///
    /// See the example on [`Client::bind`].
    pub fn version(&self) -> Version {
        self.engine.version()
    }

    /// How the session is bound (`None` until it is), as the async
    /// client's `Handle::bind_info` says it.
    ///
    /// See the example on [`Client::bind`].
    pub fn bind_info(&self) -> Option<BindInfo> {
        let bind_type = self.engine.bind_type()?;
        Some(BindInfo::of_config(
            bind_type,
            self.system_id.clone(),
            self.engine.version(),
            self.engine.config(),
        ))
    }

    /// The window: how many requests may await their response at once.
    ///
    /// See the example on [`Client::bind`].
    pub fn window(&self) -> usize {
        self.engine.window_size()
    }

    /// The connection.
    ///
    /// See the example on [`Client::bind`].
    pub fn get_ref(&self) -> &S {
        &self.stream
    }

    fn ensure_open(&self) -> Result<(), Error> {
        if self.engine.is_closed() {
            Err(self.closed_error())
        } else {
            Ok(())
        }
    }

    fn closed_error(&self) -> Error {
        Error::Closed(
            self.engine
                .close_reason()
                .unwrap_or(CloseReason::Disconnected),
        )
    }

    // ---------------------------------------------------------------
    // Running the session

    /// One step of a wait without deadline: [`Self::step`], or the end of
    /// a closed session.
    fn wait_step(&mut self) {
        if self.engine.is_closed() {
            self.finish();
        } else {
            self.step(None);
        }
    }

    /// Runs the session until `done`, the session closed, or `deadline`
    /// passed; true if `done`.
    fn drive(&mut self, deadline: Option<Instant>, mut done: impl FnMut(&Self) -> bool) -> bool {
        loop {
            if done(self) {
                return true;
            }
            if self.engine.is_closed() {
                self.finish();
                return done(self);
            }
            if deadline.is_some_and(|d| Instant::now() >= d) {
                return false;
            }
            self.step(deadline);
        }
    }

    /// One step: takes the inputs at hand; if there were none, reads or
    /// writes once, blocking at most until `deadline`, the engine's next
    /// timer, or (while the application holds requests to answer) a
    /// short while.
    fn step(&mut self, deadline: Option<Instant>) {
        if self.inputs() || self.engine.is_closed() {
            return;
        }
        let now = Instant::now();
        let timer = self.engine.poll_timeout().map(|t| self.clock.instant(t));
        let mut wake = earliest(timer, deadline);
        if self.answers.held() > 0 {
            wake = earliest(wake, Some(now + ANSWER_POLL));
        }
        let wait = wake.map(|w| w.saturating_duration_since(now));
        if wait.is_some_and(|w| w.is_zero()) {
            // Due: the next step runs the timer, or the caller returns.
            return;
        }
        let can_read =
            self.link.input == Input::Open && !self.link.broken && self.inbound.wants_input();
        let turn =
            |wait: Option<Duration>| Some(wait.map_or(TURN, |w| w.min(TURN))).filter(|_| can_read);
        if self.writing() {
            if self.write(turn(wait).or(wait)) {
                return;
            }
            if can_read {
                self.read(turn(wait));
            } else {
                // Nothing left, nothing to read: a turn before trying again
                // (a stream that refuses octets at once may not block).
                let left = wake.map(|w| w.saturating_duration_since(Instant::now()));
                std::thread::sleep(left.map_or(TURN, |l| l.min(TURN)));
            }
        } else if can_read {
            self.read(wait);
        } else {
            // Nothing to read or write: a frame waits for room the
            // application makes, or the session for a timer.
            std::thread::sleep(wait.unwrap_or(ANSWER_POLL));
        }
    }

    /// Takes what is at hand without blocking: answers given, frames read,
    /// due timers, the end of the connection. True if anything moved.
    fn inputs(&mut self) -> bool {
        let mut progress = self.send_answers();
        progress |= self.take_frames();
        let now = self.clock.now();
        if self.engine.poll_timeout().is_some_and(|due| due <= now) {
            self.engine.handle_timeout(now);
            self.events(None);
            progress = true;
        }
        if self.link.broken && !self.engine.is_closed() {
            self.engine.handle_disconnect();
            self.events(None);
            progress = true;
        }
        if self.link.input == Input::Ended && self.inbound.framed_all() {
            self.link.input = Input::Reported;
            self.engine.handle_end_of_stream(self.clock.now());
            self.events(None);
            progress = true;
        }
        progress
    }

    /// Queues the answers the application gave.
    fn send_answers(&mut self) -> bool {
        if self.engine.transmit_len() >= HIGH_WATER {
            return false;
        }
        let given = self.answers.take();
        let any = !given.is_empty();
        for Given {
            sequence_number,
            command_id,
            answer,
        } in given
        {
            let now = self.clock.now();
            answer.respond(
                &mut self.engine,
                sequence_number,
                command_id,
                usize::MAX,
                now,
            );
        }
        any
    }

    /// Hands complete frames to the engine while it and the application
    /// have room; a frame without room is held. True if any was taken.
    fn take_frames(&mut self) -> bool {
        let mut progress = false;
        while !self.engine.is_closed() && self.engine.transmit_len() < HIGH_WATER {
            let Ok(next) = self.inbound.next_frame(&mut self.engine) else {
                self.link.input = Input::Ended;
                self.events(None);
                return true;
            };
            let Some(frame) = next else { break };
            let alert = frame.header.command_id == CommandId::ALERT_NOTIFICATION;
            let keeps = !self.refusing && self.handler.is_none();
            if alert && keeps && self.inbox.len() >= self.inbox_capacity {
                self.inbound.hold(frame);
                break;
            }
            let now = self.clock.now();
            let Some(pdu) = self.inbound.hand_over(&mut self.engine, frame, now) else {
                self.events(None); // held until there is room, or refused
                break;
            };
            self.events(pdu);
            progress = true;
        }
        self.inbound.release_if_empty();
        progress
    }

    /// Acts on every queued event; `pdu` is the PDU of the frame just
    /// handled, for the event it belongs to.
    fn events(&mut self, mut pdu: Option<Pdu>) {
        while let Some(event) = self.engine.poll_event() {
            match event {
                Event::BindResult { command_status, .. } => {
                    if let Some(system_id) = responder_system_id(pdu.take()) {
                        self.system_id = system_id;
                    }
                    self.bind_status = Some(command_status);
                }
                Event::IncomingRequest { .. } | Event::AlertNotification { .. } => {
                    // An alert_notification has no response.
                    let needs_answer = matches!(event, Event::IncomingRequest { .. });
                    if let Some(pdu) = pdu.take() {
                        self.take_in(pdu, needs_answer);
                    }
                }
                Event::Response { request, .. } => {
                    let outcome = pdu.take().ok_or(Error::Closed(CloseReason::Local));
                    self.settle(request.tag, outcome);
                }
                Event::RequestTimedOut(request) => {
                    self.settle(request.tag, Err(Error::timed_out(&request)));
                }
                Event::RequestAbandoned { request, written } => {
                    let error = Error::abandoned(&request, written, self.engine.close_reason());
                    self.settle(request.tag, Err(error));
                }
                // An outbind is kept while waited for; otherwise this side
                // connected, so none is expected (the engine keeps the
                // session as it is).
                Event::Outbind { .. } if self.awaits_outbind && self.outbind.is_none() => {
                    self.outbind = pdu.take();
                }
                // Protocol errors were answered by the engine. Unbound and
                // Closed: the end is handled once the engine is closed.
                _ => {}
            }
        }
    }

    fn settle(&mut self, tag: u64, outcome: Result<Pdu, Error>) {
        if let Some(slot) = self.outcomes.get_mut(&tag)
            && slot.is_none()
        {
            *slot = Some(outcome);
            self.in_flight -= 1;
        }
    }

    /// A request of the MC: to the handler, the inbox, or refused while
    /// unbinding.
    fn take_in(&mut self, pdu: Pdu, needs_answer: bool) {
        if self.refusing {
            self.refuse(&pdu, needs_answer);
            return;
        }
        let received = Received { pdu, needs_answer };
        match &mut self.handler {
            Some(handler) => handler(self.answers.hand_out(received)),
            None => self.inbox.push_back(received),
        }
    }

    /// Answers a request the application will not take `ESME_RX_T_APPN`,
    /// so that the MC delivers it again.
    fn refuse(&mut self, pdu: &Pdu, needs_answer: bool) {
        if needs_answer {
            let status = CommandStatus::ESME_RX_T_APPN;
            let _ = self
                .engine
                .respond_status(pdu.sequence_number, status, self.clock.now());
        }
    }

    /// True while octets wait to be written: in the engine's queue, or
    /// in the stream's own buffer (a TLS layer) until flushed.
    fn writing(&self) -> bool {
        !self.link.broken && (self.link.unflushed || !self.engine.transmit_bytes().is_empty())
    }

    /// Writes queued octets, blocking at most `timeout`, and flushes the
    /// stream once all are written. True if anything moved (or the
    /// connection broke).
    fn write(&mut self, timeout: Option<Duration>) -> bool {
        let timeout = stream_timeout(timeout);
        if self.timeouts.write != Timeout::Set(timeout) {
            if self.stream.set_write_timeout(timeout).is_err() {
                self.link.broken = true;
                return true;
            }
            self.timeouts.write = Timeout::Set(timeout);
        }
        let mut wrote = false;
        if !self.engine.transmit_bytes().is_empty() {
            match self.stream.write(self.engine.transmit_bytes()) {
                // A layer with a full buffer of its own takes nothing.
                Ok(0) => return false,
                Ok(n) => {
                    self.engine.advance_transmit(n, self.clock.now());
                    self.link.unflushed = true;
                    wrote = true;
                }
                Err(e) if is_timeout(&e) => return false,
                Err(_) => {
                    self.link.broken = true;
                    return true;
                }
            }
            if !self.engine.transmit_bytes().is_empty() {
                return true;
            }
        }
        match self.stream.flush() {
            Ok(()) => {
                self.link.unflushed = false;
                true
            }
            Err(e) if is_timeout(&e) => wrote,
            Err(_) => {
                self.link.broken = true;
                true
            }
        }
    }

    /// Reads once, blocking at most `timeout`.
    fn read(&mut self, timeout: Option<Duration>) {
        let timeout = stream_timeout(timeout);
        if self.timeouts.read != Timeout::Set(timeout) {
            if self.stream.set_read_timeout(timeout).is_err() {
                self.link.input = Input::Ended;
                self.link.broken = true;
                return;
            }
            self.timeouts.read = Timeout::Set(timeout);
        }
        let mut chunk = [0u8; READ_CHUNK];
        match self.stream.read(&mut chunk) {
            Ok(0) => self.link.input = Input::Ended,
            Ok(n) => self
                .inbound
                .rbuf
                .extend_from_slice(chunk.get(..n).unwrap_or_default()),
            Err(e) if is_timeout(&e) => {}
            Err(_) => {
                self.link.input = Input::Ended;
                self.link.broken = true;
            }
        }
    }
}

impl<S: Transport> Drop for Client<S> {
    /// Unbinds a bound session (the MC's requests not taken answered
    /// `ESME_RX_T_APPN`), waiting at most two seconds for the
    /// `unbind_resp`; closes any other.
    fn drop(&mut self) {
        if self.engine.state().is_bound() {
            self.unbind_within(Instant::now().checked_add(LINGER));
        } else {
            self.close();
        }
    }
}

/// The outcomes of [`Client::send_many`], in the order of the requests.
///
/// A request is sent as soon as the window has a slot for it, also while
/// the outcome of an older one is awaited: responses that come out of
/// order never leave the window idle. Outcomes that came before those of
/// older requests are kept until their turn, as many as the window at
/// most (beyond that, sending waits).
///
/// See the example on [`Client`].
#[must_use = "requests are sent as the outcomes are taken"]
pub struct Responses<'a, S: Transport, I> {
    client: &'a mut Client<S>,
    requests: I,
    /// The command every request must be, if one is asked for.
    command_id: Option<CommandId>,
    /// The requests handed to the engine (their tags) or refused at once,
    /// in order.
    started: VecDeque<Result<u64, Error>>,
    exhausted: bool,
}

impl<S: Transport, I> fmt::Debug for Responses<'_, S, I> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Responses")
            .field("client", &self.client)
            .field("started", &self.started.len())
            .field("exhausted", &self.exhausted)
            .finish_non_exhaustive()
    }
}

impl<S, I> Responses<'_, S, I>
where
    S: Transport,
    I: Iterator,
    I::Item: IntoRequest,
{
    /// Starts requests while the window has free slots (it is shared with
    /// requests queued with [`Client::queue`] before).
    fn fill(&mut self) {
        let window = self.client.window();
        while !self.exhausted && self.started.len() < 2 * window && self.client.in_flight < window {
            match self.requests.next() {
                Some(request) => {
                    let started = request
                        .into_request(self.command_id)
                        .and_then(|body| self.client.start(body));
                    self.started.push_back(started.map(|(tag, _)| tag));
                }
                None => self.exhausted = true,
            }
        }
    }
}

impl<S, I> Iterator for Responses<'_, S, I>
where
    S: Transport,
    I: Iterator,
    I::Item: IntoRequest,
{
    type Item = Result<Pdu, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            self.fill();
            match self.started.front() {
                Some(Err(_)) => return self.started.pop_front().and_then(Result::err).map(Err),
                Some(&Ok(tag)) if self.client.settled(tag) => {
                    self.started.pop_front();
                    return Some(self.client.take_outcome(tag));
                }
                None if self.exhausted => return None,
                // The oldest awaits its outcome, or the window is full of
                // requests queued before.
                _ => self.client.wait_step(),
            }
        }
    }
}
