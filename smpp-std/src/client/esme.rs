//! An ESME that stays bound: one or several sessions to one MC, each
//! reconnected and re-bound with exponential backoff when it drops, behind
//! one cloneable handle that spreads requests over the live sessions.

use core::future::Future;
use core::pin::Pin;
use core::sync::atomic::{AtomicBool, Ordering};
use core::task::{Context, Poll, Waker};
use core::time::Duration;
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::task::Wake;

use smpp_core::session::{CloseReason, Config, Role, SessionError};
use smpp_core::{CommandId, CommandStatus};
use tokio::net::TcpStream;
use tokio::sync::{Notify, broadcast, watch};
use tokio::time::Instant;

use crate::owned::{Body, Pdu};
use crate::session::driver::until_stopped;
use crate::session::lock;
use crate::session::{
    BindInfo, Error, Handle, Incoming, IntoRequest, Request, SharedMeter, SmResponse, Traffic,
    is_throttling,
};

/// How long to wait between attempts: an exponential backoff with jitter.
///
/// The first wait is `initial`, each next one `factor` times the last, at
/// most `max`; each is then drawn at random between half of it and all
/// of it ("equal jitter"), so that many ESMEs dropped at once do not come
/// back at once.
///
/// ```
/// use core::time::Duration;
///
/// use smpp_std::client::Backoff;
///
/// let backoff = Backoff::RECONNECT;
/// assert_eq!(backoff.delay(0), Duration::from_millis(500));
/// assert_eq!(backoff.delay(3), Duration::from_secs(4));
/// assert_eq!(backoff.delay(20), Duration::from_secs(30)); // at most `max`
///
/// let second = Duration::from_secs(1);
/// let steady = Backoff { initial: second, max: second, factor: 1.0 };
/// assert_eq!(steady.delay(7), Duration::from_secs(1));
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// The first wait.
    pub initial: Duration,
    /// The longest wait.
    pub max: Duration,
    /// How much each wait grows.
    pub factor: f64,
}

impl Backoff {
    /// 500 ms, doubling, up to 30 s: for reconnecting.
    pub const RECONNECT: Self = Self {
        initial: Duration::from_millis(500),
        max: Duration::from_secs(30),
        factor: 2.0,
    };

    /// 100 ms, doubling, up to 5 s: for a session the MC throttles.
    pub const THROTTLED: Self = Self {
        initial: Duration::from_millis(100),
        max: Duration::from_secs(5),
        factor: 2.0,
    };

    /// The wait after `attempt` failed attempts in a row (0: the first),
    /// before jitter.
    ///
    /// See the example on [`Backoff`].
    pub fn delay(&self, attempt: u32) -> Duration {
        let grown =
            self.initial.as_secs_f64() * self.factor.max(1.0).powi(attempt.min(64).cast_signed());
        Duration::from_secs_f64(grown.min(self.max.as_secs_f64()))
    }
}

/// What happens to the connections of an [`Esme`]
/// ([`Esme::events`]); `slot` numbers its sessions from 0.
///
/// An ESME whose MC does not listen (yet):
///
/// ```
/// use core::time::Duration;
///
/// use smpp_core::session::{BindType, Config};
/// use smpp_std::client::{Backoff, Esme, EsmeEvent};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// // An address nobody listens on.
/// let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
///
/// let wait = Duration::from_millis(10);
/// let retry = Backoff { initial: wait, max: wait, factor: 1.0 };
/// let config = Config::esme(BindType::Transmitter);
/// let (esme, _incoming) = Esme::builder(addr.to_string(), config).reconnect(retry).start()?;
/// let mut events = esme.events();
/// assert_eq!(events.recv().await?, EsmeEvent::Connecting { slot: 0 });
/// assert!(matches!(events.recv().await?, EsmeEvent::ConnectFailed { slot: 0, .. }));
///
/// esme.unbind().await; // gives up
/// loop {
///     match events.recv().await? {
///         EsmeEvent::Stopped => break,
///         EsmeEvent::Connecting { .. } | EsmeEvent::ConnectFailed { .. } => {}
///         other => panic!("{other:?}"),
///     }
/// }
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EsmeEvent {
    /// Connecting (again).
    Connecting {
        /// The session's number.
        slot: usize,
    },
    /// The connection or its TLS handshake failed, or took longer than
    /// the connect timeout; another attempt follows.
    ConnectFailed {
        /// The session's number.
        slot: usize,
        /// What failed, as a kind: an application may give up at once on
        /// one that another attempt will not mend (a certificate refused).
        kind: ConnectFailure,
        /// What failed, in words.
        error: String,
    },
    /// The MC refused the bind, or it got no answer within the bind
    /// timeout (`status` is then `None`); another attempt follows.
    BindFailed {
        /// The session's number.
        slot: usize,
        /// The MC's status.
        status: Option<CommandStatus>,
    },
    /// Bound: requests go out through this session too.
    Bound {
        /// The session's number.
        slot: usize,
        /// How it is bound.
        info: BindInfo,
    },
    /// The session ended; unless the ESME is stopping, it reconnects.
    Disconnected {
        /// The session's number.
        slot: usize,
        /// Why it ended.
        reason: CloseReason,
    },
    /// Every session unbound and none reconnects ([`Esme::unbind`]).
    Stopped,
}

/// Why connecting failed ([`EsmeEvent::ConnectFailed`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ConnectFailure {
    /// The TCP connection failed (refused, unreachable, reset), or the
    /// connection failed while binding.
    Io,
    /// Connecting, or the TLS handshake, took longer than the connect
    /// timeout.
    Timeout,
    /// The MC's TLS certificate was refused (not trusted, expired, made
    /// out to another name): no attempt succeeds until the configuration
    /// or the certificate changes.
    Certificate,
    /// What came back is not TLS: the port does not speak TLS (a plain
    /// SMPP port, most likely).
    NotTls,
    /// The TLS handshake failed otherwise (no common version or cipher
    /// suite, an alert from the MC, an invalid server name).
    Tls,
}

/// Settings of an [`Esme`] ([`Esme::builder`]).
///
/// ```
/// use core::time::Duration;
///
/// use smpp_core::session::{BindType, Config};
/// use smpp_std::client::{Backoff, Esme};
/// use smpp_std::SubmitSmBuilder;
/// # use std::sync::Arc;
/// # use smpp_core::CommandStatus;
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
/// let (esme, _incoming) = Esme::builder(addr.to_string(), config)
///     .binds(3)
///     .connect_timeout(Duration::from_secs(5))
///     .bind_timeout(Duration::from_secs(5))
///     .reconnect(Backoff::RECONNECT)
///     .throttle_backoff(Backoff::THROTTLED, 3)
///     .max_rate(1_000)
///     .start()?;
/// esme.wait_bound(3).await?;
/// assert_eq!(esme.sessions().len(), 3);
///
/// let submit = SubmitSmBuilder::new(0).destination_addr("447700900123").build()?;
/// assert!(esme.submit_sm(submit).await?.is_ok());
/// esme.unbind().await;
/// assert!(esme.sessions().is_empty());
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
#[must_use]
pub struct EsmeBuilder {
    addr: String,
    config: Config,
    binds: usize,
    connect_timeout: Duration,
    bind_timeout: Option<Duration>,
    reconnect: Backoff,
    throttled: Option<(Backoff, u32)>,
    max_rate: Option<u32>,
    no_session_timeout: Option<Duration>,
    #[cfg(feature = "tls")]
    tls: Option<(String, Arc<super::rustls::ClientConfig>)>,
}

impl EsmeBuilder {
    /// How many sessions to keep bound (at least 1; 1 by default). Each
    /// binds as the configuration says: transmitters or transceivers raise
    /// the throughput an MC allows per session.
    ///
    /// See the example on [`EsmeBuilder`].
    pub fn binds(mut self, binds: usize) -> Self {
        self.binds = binds.max(1);
        self
    }

    /// How long a TCP connection (and its TLS handshake) may take. Default
    /// 10 s.
    ///
    /// See the example on [`EsmeBuilder`].
    pub const fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long the bind may wait for its response. Default: the
    /// configuration's `response_timer`.
    ///
    /// See the example on [`EsmeBuilder`].
    pub const fn bind_timeout(mut self, timeout: Duration) -> Self {
        self.bind_timeout = Some(timeout);
        self
    }

    /// The waits between attempts to connect and bind
    /// ([`Backoff::RECONNECT`] by default).
    ///
    /// See the example on [`EsmeBuilder`].
    pub const fn reconnect(mut self, backoff: Backoff) -> Self {
        self.reconnect = backoff;
        self
    }

    /// Backs off when the MC throttles: a response with a throttling status
    /// (`ESME_RTHROTTLED`, `ESME_RMSGQFUL`) pauses its session for the
    /// backoff's next wait, and the request, which the MC did not take, is
    /// sent again, up to `retries` times; then its throttled response is
    /// the answer. Off by default: the response is the answer at once.
    ///
    /// The wait grows with the throttled episodes in a row, not with the
    /// throttled responses: only a response to a request sent after the
    /// last pause began counts again, so a full window throttled at once
    /// pauses the session for the first wait, and the first response that
    /// is not throttled starts the backoff over.
    ///
    /// See the example on [`EsmeBuilder`].
    pub const fn throttle_backoff(mut self, backoff: Backoff, retries: u32) -> Self {
        self.throttled = Some((backoff, retries));
        self
    }

    /// At most `per_second` requests per second over all sessions
    /// (`enquire_link` aside), evenly spaced on a schedule: turns that
    /// timers or a busy runtime made late are made up at once, up to 20 ms
    /// behind, so the rate is what was asked for. No limit by default.
    ///
    /// See the example on [`EsmeBuilder`].
    pub const fn max_rate(mut self, per_second: u32) -> Self {
        self.max_rate = Some(per_second);
        self
    }

    /// Gives up on a request that waits for a bound session: once no
    /// session has been bound for `timeout` while it waited (the MC is
    /// gone, refuses every bind, or does not answer them), the request
    /// fails with [`Error::NoSession`]. It was never written, so nothing
    /// of it reached the MC: the application may keep it for later, or
    /// send it elsewhere.
    ///
    /// Only the time without any bound session counts: a request that
    /// waits for a window slot of a bound session (an MC slow to answer,
    /// or throttling) waits on, and the count starts over whenever a
    /// session is bound again. A request sent again because its session
    /// dropped before writing it waits this long once more, at most. The
    /// sessions go on reconnecting meanwhile, and the requests that come
    /// later get the same time each; [`Esme::unbind`] stops them.
    ///
    /// Off by default: a request waits for a session until
    /// [`Esme::unbind`].
    ///
    /// An ESME whose MC is not there, as a command-line tool that gives up
    /// after five seconds would start it:
    ///
    /// ```
    /// use core::time::Duration;
    ///
    /// use smpp_core::session::{BindType, Config};
    /// use smpp_std::client::Esme;
    /// use smpp_std::session::Error;
    /// use smpp_std::SubmitSmBuilder;
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// // An address nobody listens on.
    /// let addr = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?;
    ///
    /// let config = Config::esme(BindType::Transmitter).with_system_id("shop")?;
    /// let (esme, _incoming) = Esme::builder(addr.to_string(), config)
    ///     .no_session_timeout(Duration::from_millis(50))
    ///     .start()?;
    /// let submit = SubmitSmBuilder::new(0).destination_addr("447700900123").build()?;
    /// let error = esme.submit_sm(submit).await.unwrap_err();
    /// assert!(matches!(error, Error::NoSession(_)));
    /// assert!(!error.may_have_been_received()); // never sent
    /// esme.unbind().await;
    /// # Ok(())
    /// # }
    /// ```
    pub const fn no_session_timeout(mut self, timeout: Duration) -> Self {
        self.no_session_timeout = Some(timeout);
        self
    }

    /// Connects over TLS (feature `tls`): `server_name` is the name the
    /// MC's certificate must carry, `tls` the rustls configuration.
    ///
    /// Two TLS sessions to an MC that takes plain TCP on one port and TLS
    /// on another ([`Server::listen_tls`](crate::server::Server::listen_tls)):
    ///
    /// ```
    /// use std::sync::Arc;
    ///
    /// use smpp_core::session::{BindType, Config};
    /// use smpp_std::client::{Esme, rustls};
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
    /// let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc))
    ///     .await?
    ///     .listen_tls("127.0.0.1:0", server_tls)
    ///     .await?;
    /// let [_plain, secure] = server.local_addrs()[..] else { panic!("two ports") };
    /// let smsc = server.handle();
    /// tokio::spawn(server.run());
    ///
    /// let config = Config::esme(BindType::Transceiver).with_system_id("shop")?;
    /// let (esme, _incoming) = Esme::builder(secure.to_string(), config)
    ///     .binds(2)
    ///     .tls("localhost", client_tls)
    ///     .start()?;
    /// esme.wait_bound(2).await?;
    /// assert_eq!(smsc.stats().bound, 2);
    /// esme.unbind().await;
    /// # Ok(())
    /// # }
    /// ```
    #[cfg(feature = "tls")]
    pub fn tls(mut self, server_name: &str, tls: Arc<super::rustls::ClientConfig>) -> Self {
        self.tls = Some((server_name.to_owned(), tls));
        self
    }

    /// Starts the sessions (in tasks of their own, on the current tokio
    /// runtime) and returns at once: requests wait for a session to be
    /// bound. The [`Incoming`] requests of every session arrive on the
    /// returned [`EsmeIncoming`] (drop it if the application takes none).
    ///
    /// Fails with [`SessionError::WrongRole`] for a configuration of the
    /// MC side.
    ///
    /// # Panics
    ///
    /// Outside a tokio runtime: the sessions' tasks are spawned on the
    /// current one, which needs its I/O and time drivers enabled.
    ///
    /// See the example on [`EsmeBuilder`].
    pub fn start(self) -> Result<(Esme, EsmeIncoming), Error> {
        if self.config.role() != Role::Esme {
            return Err(Error::Refused(SessionError::WrongRole(self.config.role())));
        }
        let (events, first) = broadcast::channel(64);
        let inner = Arc::new(Inner {
            supervising: watch::Sender::new(self.binds),
            totals: Arc::default(),
            first_events: Mutex::new(Some(first)),
            live: watch::Sender::new(Vec::new()),
            stop: watch::Sender::new(false),
            events,
            incoming: Arc::new(IncomingSet::default()),
            throttled: Mutex::new(HashMap::new()),
            leaving: Mutex::new(HashSet::new()),
            slot_freed: Arc::new(Notify::new()),
            rate: Mutex::new(
                self.max_rate
                    .map(|per_second| Rate::new(per_second, Instant::now())),
            ),
            settings: self,
        });
        let esme = Esme {
            inner: Arc::clone(&inner),
            _token: Arc::new(Token(Arc::clone(&inner))),
        };
        for slot in 0..inner.settings.binds {
            tokio::spawn(supervise(Arc::clone(&inner), slot));
        }
        let incoming = EsmeIncoming {
            set: Arc::clone(&inner.incoming),
        };
        Ok((esme, incoming))
    }
}

/// The turns of a rate limit: one request every `1 s / per_second`, on a
/// schedule. A turn taken late (timers fire on whole milliseconds, tasks
/// wait to be run) is made up by the next ones, which go at once until the
/// schedule is kept again; but time left unused is not banked beyond
/// [`Rate::CREDIT`], so a pause is not followed by a burst.
#[derive(Clone, Copy, Debug)]
struct Rate {
    interval: Duration,
    /// When the next turn is due.
    next: Instant,
}

impl Rate {
    /// How far behind its schedule the limit may run (and catch up).
    const CREDIT: Duration = Duration::from_millis(20);

    fn new(per_second: u32, now: Instant) -> Self {
        Self {
            interval: Duration::from_secs(1) / per_second.max(1),
            next: now,
        }
    }

    /// When a request asking at `now` may go (`now` or earlier: at once).
    fn turn(&mut self, now: Instant) -> Instant {
        let at = self.next.max(now.checked_sub(Self::CREDIT).unwrap_or(now));
        self.next = at + self.interval;
        at
    }
}

/// How long a session is paused for throttling, and how often in a row
/// the MC throttled it.
///
/// Only an answer to a request sent after the last strike counts: a
/// throttled one is a new strike, any other lifts the pause and forgets
/// the strikes. The other answers of the window that was in flight when
/// the MC began to throttle belong to the same episode: the backoff grows
/// once for it, not once per request, and a late one does not start a new
/// pause after the session was accepted again.
#[derive(Clone, Copy, Debug, Default)]
struct Strikes {
    /// When the last strike was counted.
    since: Option<Instant>,
    /// Until when the session is paused.
    until: Option<Instant>,
    /// Throttled episodes in a row.
    count: u32,
}

impl Strikes {
    /// Whether an answer to a request sent at `sent` counts.
    fn counts(&self, sent: Instant) -> bool {
        self.since.is_none_or(|since| sent >= since)
    }

    /// A throttled answer, at `now`, to a request sent at `sent`.
    fn throttled(&mut self, backoff: Backoff, sent: Instant, now: Instant) {
        if !self.counts(sent) {
            return;
        }
        let until = now + jitter(backoff.delay(self.count));
        self.count = self.count.saturating_add(1);
        self.since = Some(now);
        self.until = Some(self.until.map_or(until, |u| u.max(until)));
    }

    /// An answer that was not throttled, to a request sent at `sent`.
    fn accepted(&mut self, sent: Instant) {
        if self.counts(sent) {
            self.count = 0;
            self.until = None;
        }
    }

    /// Whether the session is paused at `now`: until when.
    fn paused_at(&self, now: Instant) -> Option<Instant> {
        self.until.filter(|&until| until > now)
    }
}

struct Inner {
    settings: EsmeBuilder,
    /// What went over every session, those closed included.
    totals: Arc<SharedMeter>,
    /// The first receiver of events, subscribed before any session started,
    /// for the first call of [`Esme::events`].
    first_events: Mutex<Option<broadcast::Receiver<EsmeEvent>>>,
    /// The bound sessions, by slot.
    live: watch::Sender<Vec<(usize, Handle)>>,
    stop: watch::Sender<bool>,
    events: broadcast::Sender<EsmeEvent>,
    incoming: Arc<IncomingSet>,
    /// The throttling strikes of each session, by [`Handle::id`].
    throttled: Mutex<HashMap<u64, Strikes>>,
    /// The sessions, by [`Handle::id`], that refused a request because
    /// they are no longer bound (the MC unbound, or ended its side) and
    /// are not closed yet: no request goes to them.
    leaving: Mutex<HashSet<u64>>,
    /// Told once per window slot a session gives back: a request waiting
    /// for a free slot of any session takes it.
    slot_freed: Arc<Notify>,
    /// The rate limit.
    rate: Mutex<Option<Rate>>,
    /// How many sessions still connect, are bound or back off: those whose
    /// task has not seen the stop yet.
    supervising: watch::Sender<usize>,
}

/// An ESME that stays bound to one MC: `binds` sessions, each reconnected
/// and re-bound with [`Backoff`] when it drops, behind one cloneable handle
/// ([`Esme::builder`], [`EsmeBuilder::start`]).
///
/// - Requests ([`Esme::submit_sm`], [`Esme::send`], [`Esme::queue`]) wait
///   for a free window slot of any bound session (none waits behind a
///   session that is slow to answer while another has room), then go out
///   through the one with the most free slots. A request that had not
///   been written when its session dropped or stopped being bound (it
///   waited for the window, or sat in the transmit queue, when the
///   connection ended, the MC sent `unbind` or ended its side) goes out
///   again on the next session, transparently: the MC never had it.
///   One that was written comes back as [`Error::OutcomeUnknown`]: the
///   library never sends it twice on its own.
/// - While no session is bound, requests wait for one, for ever unless
///   [`EsmeBuilder::no_session_timeout`] bounds the wait: then they fail
///   with [`Error::NoSession`], never written.
/// - [`Esme::events`] reports each connection's state changes.
/// - [`Esme::unbind`] unbinds every session and stops reconnecting.
///
/// ```
/// use std::sync::Arc;
///
/// use smpp_core::session::{BindType, Config};
/// use smpp_core::{CommandId, CommandStatus};
/// use smpp_std::client::{Esme, EsmeEvent};
/// use smpp_std::server::{BindRequest, Context, Handler, Server};
/// use smpp_std::session::{Answer, SmResponse};
/// use smpp_std::{Body, DataSmBuilder, Pdu, SubmitSmBuilder};
///
/// struct Smsc;
///
/// impl Handler for Smsc {
///     async fn bind(&self, _cx: &Context, _bind: &BindRequest) -> CommandStatus {
///         CommandStatus::ESME_ROK
///     }
///     async fn request(&self, _cx: &Context, pdu: Pdu) -> Answer {
///         Answer::message_id(format!("{}", pdu.sequence_number))
///     }
/// }
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await?;
/// let addr = server.local_addr()?;
/// let stop = server.handle();
/// let serving = tokio::spawn(server.run());
///
/// // Two transmitters; requests go through both.
/// let config = Config::esme(BindType::Transmitter).with_system_id("shop")?;
/// let (esme, _incoming) = Esme::builder(addr.to_string(), config).binds(2).start()?;
/// let mut events = esme.events();
/// for _ in 0..10 {
///     let submit = SubmitSmBuilder::new(0).destination_addr("447700900123").build()?;
///     assert!(esme.submit_sm(submit).await?.is_ok());
/// }
/// esme.wait_bound(2).await?;
/// assert_eq!(esme.sessions().len(), 2);
/// let mut bound = 0;
/// while bound < 2 {
///     match events.recv().await? {
///         EsmeEvent::Bound { info, .. } => {
///             assert_eq!(info.bind_type, BindType::Transmitter);
///             bound += 1;
///         }
///         event => assert!(matches!(event, EsmeEvent::Connecting { .. })),
///     }
/// }
///
/// let data = DataSmBuilder::new(0).destination_addr("447700900123").build()?;
/// assert!(esme.data_sm(data).await?.is_ok());
///
/// // Any request, answered by its response PDU.
/// let resp = esme.send(Body::EnquireLink).await?;
/// assert_eq!(resp.command_id(), CommandId::ENQUIRE_LINK_RESP);
///
/// // Queued: the response is awaited later (here, after queueing five).
/// let mut pending = Vec::new();
/// for _ in 0..5 {
///     let submit = SubmitSmBuilder::new(0).destination_addr("447700900123").build()?;
///     pending.push(esme.queue(submit).await?);
/// }
/// for response in pending {
///     assert!(SmResponse::from(response.await?).is_ok());
/// }
///
/// // What went over both sessions.
/// let traffic = esme.traffic();
/// assert_eq!(traffic.sent_of(CommandId::SUBMIT_SM), 15);
/// assert_eq!(traffic.received_of(CommandId::SUBMIT_SM_RESP), 15);
///
/// esme.unbind().await;
/// assert!(esme.sessions().is_empty());
/// stop.shutdown();
/// serving.await?;
/// # Ok(())
/// # }
/// ```
///
/// Dropping every clone of the `Esme` unbinds its sessions and stops
/// reconnecting, as [`Esme::unbind`] does.
#[derive(Clone)]
pub struct Esme {
    inner: Arc<Inner>,
    _token: Arc<Token>,
}

/// Held by every clone of an [`Esme`]: the last one dropped stops it.
struct Token(Arc<Inner>);

impl Drop for Token {
    fn drop(&mut self) {
        self.0.stop.send_replace(true);
    }
}

impl core::fmt::Debug for Esme {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Esme")
            .field("addr", &self.inner.settings.addr)
            .field("binds", &self.inner.settings.binds)
            .field("bound", &self.inner.live.borrow().len())
            .finish_non_exhaustive()
    }
}

impl Esme {
    /// An ESME of the MC at `addr` (`host:port`, resolved at each
    /// connection), bound as `config` says ([`Config::esme`]).
    ///
    /// See the examples on [`Esme`] and [`EsmeBuilder`].
    pub fn builder(addr: impl Into<String>, config: Config) -> EsmeBuilder {
        EsmeBuilder {
            addr: addr.into(),
            config,
            binds: 1,
            connect_timeout: Duration::from_secs(10),
            bind_timeout: None,
            reconnect: Backoff::RECONNECT,
            throttled: None,
            max_rate: None,
            no_session_timeout: None,
            #[cfg(feature = "tls")]
            tls: None,
        }
    }

    /// The sessions bound now.
    ///
    /// See the example on [`Esme`].
    pub fn sessions(&self) -> Vec<Handle> {
        self.inner
            .live
            .borrow()
            .iter()
            .map(|(_, h)| h.clone())
            .collect()
    }

    /// The connections' state changes: from the start for the first call
    /// (nothing is missed, even on a runtime that started the sessions at
    /// once), from now on for the next ones.
    ///
    /// See the example on [`Esme`].
    pub fn events(&self) -> broadcast::Receiver<EsmeEvent> {
        lock(&self.inner.first_events)
            .take()
            .unwrap_or_else(|| self.inner.events.subscribe())
    }

    /// What went over every session of the ESME so far, those closed
    /// included: PDUs by command and status, response latencies,
    /// throttling, timeouts, the MC's protocol errors.
    ///
    /// See the example on [`Esme`].
    pub fn traffic(&self) -> Traffic {
        self.inner.totals.traffic()
    }

    /// Waits until at least `n` sessions are bound (`n` above the number of
    /// binds counts as that number); fails with [`Error::Closed`] once the
    /// ESME is stopped.
    ///
    /// See the example on [`Esme`].
    pub async fn wait_bound(&self, n: usize) -> Result<(), Error> {
        let n = n.min(self.inner.settings.binds);
        let mut live = self.inner.live.subscribe();
        let mut stop = self.inner.stop.subscribe();
        tokio::select! {
            result = live.wait_for(|l| l.len() >= n) => result.map(|_| ()).map_err(|_| stopped()),
            () = until_stopped(&mut stop) => Err(stopped()),
        }
    }

    /// Sends a request through a bound session and waits for its response
    /// (see [`Handle::send`]).
    ///
    /// See the example on [`Esme`].
    pub async fn send(&self, request: impl IntoRequest) -> Result<Pdu, Error> {
        self.send_body(request.into_request(None)?).await
    }

    /// Sends `submit_sm` (a builder's or the splitter's PDU, or the body)
    /// through a bound session; the answer is the `submit_sm_resp`'s status
    /// and `message_id`.
    ///
    /// See the example on [`Esme`].
    pub async fn submit_sm(&self, submit_sm: impl IntoRequest) -> Result<SmResponse, Error> {
        let body = submit_sm.into_request(Some(CommandId::SUBMIT_SM))?;
        self.send_body(body).await.map(SmResponse::from)
    }

    /// Sends `data_sm` through a bound session; the answer is the
    /// `data_sm_resp`'s status and `message_id` (see [`Handle::data_sm`]:
    /// another command is refused with [`Error::UnexpectedCommand`]).
    ///
    /// See the example on [`Esme`].
    pub async fn data_sm(&self, data_sm: impl IntoRequest) -> Result<SmResponse, Error> {
        let body = data_sm.into_request(Some(CommandId::DATA_SM))?;
        self.send_body(body).await.map(SmResponse::from)
    }

    /// Waits for a bound session with a free window slot and hands it the
    /// request; the returned future resolves to the response (sending the
    /// request again if its session dropped before writing it, and after
    /// throttling, as [`EsmeBuilder::throttle_backoff`] asks). For keeping
    /// every window busy from one task.
    ///
    /// While no session is bound it waits for one: for ever by default,
    /// or until [`EsmeBuilder::no_session_timeout`] runs out, when it
    /// fails with [`Error::NoSession`] (the request was not sent). The
    /// same holds for the returned future when the request goes out again.
    ///
    /// See the example on [`Esme`].
    pub async fn queue(
        &self,
        request: impl IntoRequest,
    ) -> Result<impl Future<Output = Result<Pdu, Error>> + Send + 'static, Error> {
        let body = request.into_request(None)?;
        let (session, sent, pending) = self.dispatch(body.clone()).await?;
        let esme = self.clone();
        Ok(async move {
            let first = pending.await;
            esme.settle(session, sent, body, first, 0).await
        })
    }

    /// Unbinds every session (their outstanding requests are answered
    /// first) and stops reconnecting. Requests still waiting for a session
    /// fail with [`Error::Closed`]. An attempt to connect or bind under way
    /// is given up (a bind the MC answers later binds nothing). Returns
    /// once every session is closed; [`EsmeEvent::Stopped`] is then the
    /// last event.
    ///
    /// See the example on [`Esme`].
    pub async fn unbind(&self) {
        self.inner.stop.send_replace(true);
        // All at once: each waits for its own outstanding requests.
        let unbinds: Vec<_> = self
            .sessions()
            .into_iter()
            .map(|session| tokio::spawn(async move { session.unbind().await }))
            .collect();
        for unbind in unbinds {
            let _ = unbind.await;
        }
        // Every session closed, and no attempt under way either: a bind
        // answered late binds nothing.
        let mut supervising = self.inner.supervising.subscribe();
        let _ = supervising.wait_for(|&n| n == 0).await;
        let _ = self.inner.events.send(EsmeEvent::Stopped);
    }

    async fn send_body(&self, body: Body) -> Result<Pdu, Error> {
        let (session, sent, pending) = self.dispatch(body.clone()).await?;
        let first = pending.await;
        self.settle(session, sent, body, first, 0).await
    }

    /// What the answer to a request sent through `session` at `sent`
    /// becomes: sent again if it was not written, or throttled and the
    /// settings say so.
    async fn settle(
        &self,
        mut session: Handle,
        mut sent: Instant,
        body: Body,
        mut result: Result<Pdu, Error>,
        mut retries: u32,
    ) -> Result<Pdu, Error> {
        loop {
            match &result {
                // Not written: the MC never had it; another session may.
                Err(e) if session_gone(e) && !self.is_stopped() => self.retire(&session),
                Ok(pdu) if is_throttling(pdu.command_status) => {
                    let Some((backoff, max)) = self.inner.settings.throttled else {
                        return result;
                    };
                    self.pause(&session, backoff, sent);
                    if retries >= max {
                        return result;
                    }
                    retries += 1;
                }
                Ok(_) => {
                    self.unpause(&session, sent);
                    return result;
                }
                _ => return result,
            }
            let (next, at, pending) = self.dispatch(body.clone()).await?;
            (session, sent) = (next, at);
            result = pending.await;
        }
    }

    fn is_stopped(&self) -> bool {
        *self.inner.stop.borrow()
    }

    /// Waits for a bound, unpaused session and its window slot; sends.
    /// Returns the session, when the request was handed to it, and its
    /// response to come.
    async fn dispatch(
        &self,
        body: Body,
    ) -> Result<(Handle, Instant, crate::session::Pending), Error> {
        loop {
            let session = self.pick().await?;
            self.wait_rate(body.command_id()).await;
            match session.queue(body.clone()).await {
                Ok(pending) => return Ok((session, Instant::now(), pending)),
                // The session dropped while the request waited for its
                // window: nothing was sent.
                Err(e) if session_gone(&e) && !self.is_stopped() => self.retire(&session),
                Err(e) => return Err(e),
            }
        }
    }

    /// The bound session with the most free window slots, not paused by
    /// throttling; waits for one with a free slot. Waiting for any
    /// session's slot, rather than for one session's, a request does not
    /// queue behind a session that is slow to answer or paused while
    /// another could send it. Fails with [`Error::NoSession`] once no
    /// session has been bound for the `no_session_timeout`.
    async fn pick(&self) -> Result<Handle, Error> {
        let mut live = self.inner.live.subscribe();
        let mut stop = self.inner.stop.subscribe();
        // Since when no session has been bound, while this request waits.
        let mut unbound_since: Option<Instant> = None;
        loop {
            if self.is_stopped() {
                return Err(stopped());
            }
            // Listening before looking: a slot given back meanwhile is
            // not missed.
            let freed = self.inner.slot_freed.notified();
            tokio::pin!(freed);
            freed.as_mut().enable();
            let (candidate, wake, any_bound) = {
                let sessions = live.borrow_and_update();
                let (candidate, wake) = self.candidate(&sessions);
                (
                    candidate,
                    wake,
                    sessions.iter().any(|(_, h)| !h.is_closed()),
                )
            };
            if let Some(session) = candidate {
                return Ok(session);
            }
            let give_up = match self.inner.settings.no_session_timeout {
                Some(timeout) if !any_bound => {
                    let since = *unbound_since.get_or_insert_with(Instant::now);
                    if since.elapsed() >= timeout {
                        return Err(Error::NoSession(since.elapsed()));
                    }
                    Some(since + timeout)
                }
                _ => {
                    unbound_since = None;
                    None
                }
            };
            let sleep = async {
                match wake.into_iter().chain(give_up).min() {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => core::future::pending().await,
                }
            };
            tokio::select! {
                changed = live.changed() => if changed.is_err() { return Err(stopped()) },
                () = until_stopped(&mut stop) => return Err(stopped()),
                () = sleep => {}
                () = freed => {}
            }
        }
    }

    /// Of `sessions`, the open one with the most free window slots, at
    /// least one, that throttling does not pause and that is not leaving;
    /// else when the first pause ends, if any.
    fn candidate(&self, sessions: &[(usize, Handle)]) -> (Option<Handle>, Option<Instant>) {
        let now = Instant::now();
        let leaving = lock(&self.inner.leaving);
        let paused = lock(&self.inner.throttled);
        let mut wake: Option<Instant> = None;
        let candidate = sessions
            .iter()
            .map(|(_, h)| h)
            .filter(|h| !h.is_closed() && !leaving.contains(&h.id()))
            .filter(
                |h| match paused.get(&h.id()).and_then(|s| s.paused_at(now)) {
                    Some(until) => {
                        wake = Some(wake.map_or(until, |w| w.min(until)));
                        false
                    }
                    None => true,
                },
            )
            .max_by_key(|h| h.available_window())
            .filter(|h| h.available_window() > 0)
            .cloned();
        (candidate, wake)
    }

    /// Waits for the turn the rate limit gives.
    async fn wait_rate(&self, command_id: CommandId) {
        if command_id == CommandId::ENQUIRE_LINK {
            return;
        }
        let at = match lock(&self.inner.rate).as_mut() {
            Some(rate) => rate.turn(Instant::now()),
            None => return,
        };
        tokio::time::sleep_until(at).await;
    }

    /// `session` refused a request because it is no longer bound, and is
    /// not closed yet: no request goes to it any more (else the request
    /// would come back to it, again and again, until it closes).
    fn retire(&self, session: &Handle) {
        let mut leaving = lock(&self.inner.leaving);
        // Checked under the lock: a session is forgotten once it closed,
        // and none is added after.
        if !session.is_closed() {
            leaving.insert(session.id());
        }
    }

    /// The MC throttled a request sent through `session` at `sent`.
    fn pause(&self, session: &Handle, backoff: Backoff, sent: Instant) {
        let mut paused = lock(&self.inner.throttled);
        // Checked under the lock: a session's strikes are forgotten once
        // it closed, and none are counted after.
        if session.is_closed() {
            return;
        }
        let strikes = paused.entry(session.id()).or_default();
        strikes.throttled(backoff, sent, Instant::now());
    }

    /// The MC accepted a request sent through `session` at `sent` (every
    /// accepted response comes here: a session never throttled has
    /// nothing to lift).
    fn unpause(&self, session: &Handle, sent: Instant) {
        let mut paused = lock(&self.inner.throttled);
        if let Some(strikes) = paused.get_mut(&session.id()) {
            strikes.accepted(sent);
        }
    }
}

fn stopped() -> Error {
    Error::Closed(CloseReason::Local)
}

/// True for the error of a request that was not written because its
/// session ended or stopped being bound: closed, unbinding (either side
/// began it), or the MC ended its side of the connection. Another
/// session may send it. A request the operation matrix refuses in a bound
/// state (a `submit_sm` on a receiver) is refused on every session.
fn session_gone(error: &Error) -> bool {
    match error {
        Error::Closed(_) | Error::Refused(SessionError::Unbinding | SessionError::EndOfStream) => {
            true
        }
        Error::Refused(SessionError::NotAllowed { state, .. }) => !state.is_bound(),
        _ => false,
    }
}

/// Between half of `wait` and all of it, at random.
fn jitter(wait: Duration) -> Duration {
    use core::hash::{BuildHasher, Hasher};
    // A fresh random seed per call: std's hasher keys are random.
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u64(0);
    // 32 random bits are plenty for a wait.
    let bits = u32::try_from(hasher.finish() >> 32).unwrap_or(u32::MAX);
    let fraction = f64::from(bits) / f64::from(u32::MAX);
    wait.mul_f64(0.5 + fraction / 2.0)
}

/// Keeps one session of `inner` bound: connects, binds, waits for its end,
/// backs off, again, until the ESME stops.
async fn supervise(inner: Arc<Inner>, slot: usize) {
    let _supervising = Supervising(Arc::clone(&inner));
    let settings = &inner.settings;
    let mut failures = 0u32;
    let mut stop = inner.stop.subscribe();
    loop {
        if *stop.borrow() {
            break;
        }
        let _ = inner.events.send(EsmeEvent::Connecting { slot });
        // Stopped meanwhile, the attempt is dropped: a session that was
        // binding closes, as it does once its handle is gone.
        let attempt = tokio::select! {
            attempt = connect_once(settings, Arc::clone(&inner.totals)) => attempt,
            () = until_stopped(&mut stop) => break,
        };
        match attempt {
            Ok((session, incoming)) => {
                let Some(info) = session.bind_info().cloned() else {
                    continue;
                };
                let _ = inner.events.send(EsmeEvent::Bound { slot, info });
                session.notify_freed_slots(&inner.slot_freed);
                inner.incoming.add(incoming);
                inner.live.send_modify(|l| l.push((slot, session.clone())));
                let since = Instant::now();
                let reason = tokio::select! {
                    reason = session.closed() => reason,
                    () = until_stopped(&mut stop) => {
                        let _ = session.unbind().await;
                        session.closed().await
                    }
                };
                inner.live.send_modify(|l| l.retain(|(s, _)| *s != slot));
                // Its strikes go with it (see `Esme::pause`), and its
                // leaving (see `Esme::retire`).
                lock(&inner.throttled).remove(&session.id());
                lock(&inner.leaving).remove(&session.id());
                let _ = inner.events.send(EsmeEvent::Disconnected { slot, reason });
                // A session that held for a while starts the backoff over.
                if since.elapsed() >= settings.reconnect.max {
                    failures = 0;
                }
            }
            Err(event) => {
                let _ = inner.events.send(match event {
                    Failure::Connect(kind, error) => EsmeEvent::ConnectFailed { slot, kind, error },
                    Failure::Bind(status) => EsmeEvent::BindFailed { slot, status },
                });
            }
        }
        if *stop.borrow() {
            break;
        }
        let wait = jitter(settings.reconnect.delay(failures));
        failures = failures.saturating_add(1);
        tokio::select! {
            () = tokio::time::sleep(wait) => {}
            () = until_stopped(&mut stop) => break,
        }
    }
}

/// Held by the task of a session while it runs: counts it in
/// [`Inner::supervising`].
struct Supervising(Arc<Inner>);

impl Drop for Supervising {
    fn drop(&mut self) {
        self.0.supervising.send_modify(|n| *n = n.saturating_sub(1));
        // The last one: every session is closed for good.
        if *self.0.supervising.borrow() == 0 {
            self.0.incoming.end();
        }
    }
}

/// Why an attempt failed.
enum Failure {
    Connect(ConnectFailure, String),
    Bind(Option<CommandStatus>),
}

impl Failure {
    /// Connecting (or binding) failed with `error`.
    fn io(error: &std::io::Error) -> Self {
        Self::Connect(ConnectFailure::Io, error.to_string())
    }

    /// The TLS handshake failed with `error`.
    #[cfg(feature = "tls")]
    fn tls(error: &std::io::Error) -> Self {
        use super::rustls::Error as Tls;
        let kind = match error.get_ref().and_then(|e| e.downcast_ref::<Tls>()) {
            Some(Tls::InvalidCertificate(_)) => ConnectFailure::Certificate,
            Some(Tls::InvalidMessage(_)) => ConnectFailure::NotTls,
            Some(_) => ConnectFailure::Tls,
            None => ConnectFailure::Io,
        };
        Self::Connect(kind, error.to_string())
    }

    /// Connecting, or the TLS handshake (`what`), took too long.
    fn timeout(what: &str) -> Self {
        Self::Connect(ConnectFailure::Timeout, format!("{what} timeout"))
    }
}

/// One attempt: connect (and TLS) within the connect timeout, bind within
/// the bind timeout.
async fn connect_once(
    settings: &EsmeBuilder,
    totals: Arc<SharedMeter>,
) -> Result<(Handle, Incoming), Failure> {
    let connect = async {
        let stream = TcpStream::connect(settings.addr.as_str()).await?;
        stream.set_nodelay(true)?;
        Ok::<_, std::io::Error>(stream)
    };
    let stream = match tokio::time::timeout(settings.connect_timeout, connect).await {
        Ok(Ok(stream)) => stream,
        Ok(Err(e)) => return Err(Failure::io(&e)),
        Err(_) => return Err(Failure::timeout("connect")),
    };
    let peer = stream.peer_addr().ok();
    let bind_timeout = settings
        .bind_timeout
        .unwrap_or(settings.config.timers().response_timer);
    #[cfg(feature = "tls")]
    if let Some((name, tls)) = &settings.tls {
        let name = super::rustls::pki_types::ServerName::try_from(name.clone())
            .map_err(|e| Failure::Connect(ConnectFailure::Tls, e.to_string()))?;
        let handshake = tokio_rustls::TlsConnector::from(Arc::clone(tls)).connect(name, stream);
        let stream = match tokio::time::timeout(settings.connect_timeout, handshake).await {
            Ok(Ok(stream)) => stream,
            Ok(Err(e)) => return Err(Failure::tls(&e)),
            Err(_) => return Err(Failure::timeout("TLS handshake")),
        };
        let bind = super::start(stream, settings.config.clone(), peer, Some(totals));
        return bound(tokio::time::timeout(bind_timeout, bind).await);
    }
    let bind = super::start(stream, settings.config.clone(), peer, Some(totals));
    bound(tokio::time::timeout(bind_timeout, bind).await)
}

fn bound(
    result: Result<Result<(Handle, Incoming), Error>, tokio::time::error::Elapsed>,
) -> Result<(Handle, Incoming), Failure> {
    match result {
        Ok(Ok(bound)) => Ok(bound),
        Ok(Err(Error::BindRefused(status))) => Err(Failure::Bind(Some(status))),
        Ok(Err(Error::Io(e))) => Err(Failure::io(&e)),
        Ok(Err(_)) | Err(_) => Err(Failure::Bind(None)),
    }
}

/// The [`Incoming`] of every session of an [`Esme`]. A session is polled
/// only once its own waker fired (or it was just added), so taking a
/// request costs the same with one session as with a thousand.
#[derive(Default)]
struct IncomingSet {
    sessions: Mutex<Sessions>,
    ready: Arc<Ready>,
}

#[derive(Default)]
struct Sessions {
    /// Each session by the key its waker carries.
    by_key: HashMap<u64, (Incoming, Arc<SessionWaker>)>,
    next_key: u64,
    /// The application dropped its [`EsmeIncoming`]: each session's
    /// [`Incoming`] is dropped as it comes.
    closed: bool,
    /// The ESME is stopped and every session closed: once the sessions
    /// left are drained, nothing more comes.
    ended: bool,
    /// How many times a session was polled (for the tests' cost check).
    #[cfg(test)]
    polls: usize,
}

/// The sessions that may have a request, in the order they became so
/// (each at most once), and the application's waker.
#[derive(Default)]
struct Ready {
    state: Mutex<ReadyState>,
}

#[derive(Default)]
struct ReadyState {
    keys: VecDeque<u64>,
    /// The application waits for a request.
    waker: Option<Waker>,
}

impl Ready {
    /// Queues `key` (unless `queued` says it is already) and gives the
    /// application's waker, if it waits.
    fn queue(&self, key: u64, queued: &AtomicBool) -> Option<Waker> {
        if queued.swap(true, Ordering::AcqRel) {
            return None;
        }
        let mut state = lock(&self.state);
        state.keys.push_back(key);
        state.waker.take()
    }
}

/// The waker one session's [`Incoming`] is polled with: it queues the
/// session as ready and wakes the application.
struct SessionWaker {
    key: u64,
    ready: Arc<Ready>,
    queued: AtomicBool,
}

impl Wake for SessionWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        if let Some(waker) = self.ready.queue(self.key, &self.queued) {
            waker.wake();
        }
    }
}

impl IncomingSet {
    fn add(&self, incoming: Incoming) {
        let mut sessions = lock(&self.sessions);
        if sessions.closed {
            drop(sessions);
            drop(incoming);
            return;
        }
        let key = sessions.next_key;
        sessions.next_key += 1;
        let waker = Arc::new(SessionWaker {
            key,
            ready: Arc::clone(&self.ready),
            queued: AtomicBool::new(false),
        });
        // Polled once to start with: requests may be waiting already.
        Arc::clone(&waker).wake();
        sessions.by_key.insert(key, (incoming, waker));
    }

    /// Nobody takes requests any more: every session's [`Incoming`] is
    /// dropped (the MC's requests are answered `ESME_RX_T_APPN`), now and
    /// as sessions bind.
    fn close(&self) {
        let gone = {
            let mut sessions = lock(&self.sessions);
            sessions.closed = true;
            core::mem::take(&mut sessions.by_key)
        };
        // Out of the lock: each answers what waits in it.
        drop(gone);
    }

    /// The ESME is stopped and every session closed: the application gets
    /// what the sessions still hold, then `None`.
    fn end(&self) {
        lock(&self.sessions).ended = true;
        let waker = lock(&self.ready.state).waker.take();
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// The next request of a ready session; each session that gave one
    /// goes to the back of the queue, so that none waits behind another.
    fn poll_recv(&self, cx: &mut Context<'_>) -> Poll<Option<Request>> {
        loop {
            let key = {
                let mut ready = lock(&self.ready.state);
                let Some(key) = ready.keys.pop_front() else {
                    if !ready
                        .waker
                        .as_ref()
                        .is_some_and(|w| w.will_wake(cx.waker()))
                    {
                        ready.waker = Some(cx.waker().clone());
                    }
                    drop(ready);
                    // Checked after the waker is in place: `end` wakes it.
                    let sessions = lock(&self.sessions);
                    if sessions.ended && sessions.by_key.is_empty() {
                        return Poll::Ready(None);
                    }
                    return Poll::Pending;
                };
                key
            };
            let mut sessions = lock(&self.sessions);
            #[cfg(test)]
            {
                sessions.polls += 1;
            }
            let Some((incoming, session_waker)) = sessions.by_key.get_mut(&key) else {
                continue;
            };
            session_waker.queued.store(false, Ordering::Release);
            let waker = Waker::from(Arc::clone(session_waker));
            match incoming.poll_recv(&mut Context::from_waker(&waker)) {
                Poll::Ready(Some(request)) => {
                    // It may hold more; the application is running now,
                    // so it need not be woken.
                    drop(self.ready.queue(key, &session_waker.queued));
                    return Poll::Ready(Some(request));
                }
                // That session ended: its requests are over.
                Poll::Ready(None) => drop(sessions.by_key.remove(&key)),
                Poll::Pending => {}
            }
        }
    }
}

/// The requests of the MC (`deliver_sm`, `data_sm`, `alert_notification`)
/// from every session of an [`Esme`], in the order each session received
/// them: see [`Incoming`] for how each is answered and how a slow
/// application slows the MC down.
///
/// Dropped, as an [`Incoming`] is: every session, those bound later
/// included, answers the MC's requests `ESME_RX_T_APPN` (the MC delivers
/// them again later). An application that takes none (a sender bound as a
/// transceiver, which the MC sends receipts) drops it: kept and never
/// read, it fills, and each session stops reading from the MC, answers
/// to its own requests included.
///
/// See the example on [`EsmeIncoming::recv`].
pub struct EsmeIncoming {
    set: Arc<IncomingSet>,
}

impl core::fmt::Debug for EsmeIncoming {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("EsmeIncoming").finish_non_exhaustive()
    }
}

impl EsmeIncoming {
    /// The next request of any session. It waits across reconnections;
    /// `None` once the ESME is stopped ([`Esme::unbind`], or every clone
    /// of it dropped) and every session is closed, so that a loop taking
    /// requests ends with the ESME.
    ///
    /// A receiver that takes a message the MC sends it:
    ///
    /// ```
    /// use std::task::{Context as TaskContext, Waker};
    ///
    /// use smpp_core::session::{BindType, Config};
    /// use smpp_core::CommandId;
    /// use smpp_std::client::Esme;
    /// use smpp_std::session::Answer;
    /// use smpp_std::SubmitSmBuilder;
    /// # use std::sync::Arc;
    /// # use smpp_core::CommandStatus;
    /// use smpp_std::server::Server;
    /// # use smpp_std::server::{BindRequest, Context, Handler};
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
    /// let (esme, mut incoming) = Esme::builder(addr.to_string(), config).start()?;
    /// esme.wait_bound(1).await?;
    ///
    /// let mo = SubmitSmBuilder::deliver_sm(0)
    ///     .source_addr("447700900123")
    ///     .short_message("Hi")
    ///     .build()?;
    /// let delivering = tokio::spawn(async move { smsc.deliver_to_system_id("shop", mo).await });
    /// let request = incoming.recv().await.expect("a deliver_sm");
    /// assert_eq!(request.command_id(), CommandId::DELIVER_SM);
    /// request.respond(Answer::Ok);
    /// assert!(delivering.await??.is_ok());
    ///
    /// // Nothing more waits.
    /// assert!(incoming.try_recv().is_none());
    /// assert!(incoming.poll_recv(&mut TaskContext::from_waker(Waker::noop())).is_pending());
    ///
    /// // Stopped: nothing more comes.
    /// esme.unbind().await;
    /// assert!(incoming.recv().await.is_none());
    /// # Ok(())
    /// # }
    /// ```
    pub async fn recv(&mut self) -> Option<Request> {
        core::future::poll_fn(|cx| self.poll_recv(cx)).await
    }

    /// The next request if one is waiting.
    ///
    /// See the example on [`EsmeIncoming::recv`].
    pub fn try_recv(&mut self) -> Option<Request> {
        match self.poll_recv(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(request) => request,
            Poll::Pending => None,
        }
    }

    /// Polls for the next request of any session.
    ///
    /// See the example on [`EsmeIncoming::recv`].
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Request>> {
        self.set.poll_recv(cx)
    }
}

impl Drop for EsmeIncoming {
    fn drop(&mut self) {
        self.set.close();
    }
}

impl futures_core::Stream for EsmeIncoming {
    type Item = Request;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Request>> {
        self.get_mut().poll_recv(cx)
    }
}

#[cfg(test)]
mod tests {
    use core::task::{Context, Poll, Waker};
    use core::time::Duration;
    use std::sync::Arc;

    use smpp_core::Body;
    use tokio::time::Instant;

    use core::sync::atomic::AtomicUsize;
    use core::sync::atomic::Ordering::SeqCst;

    use smpp_core::CommandStatus;
    use smpp_core::session::{BindType, Config};

    use super::{Backoff, Esme, IncomingSet, Rate, Strikes};
    use crate::SubmitSmBuilder;
    use crate::server::{self, BindRequest, Handler, Server};
    use crate::session::incoming::Inbox;
    use crate::session::{Answer, Incoming, Request, lock};

    /// `count` sessions in one set, with their inboxes.
    fn sessions(count: usize) -> (IncomingSet, Vec<Arc<Inbox>>) {
        let set = IncomingSet::default();
        let (commands, _) = tokio::sync::mpsc::unbounded_channel();
        let inboxes: Vec<_> = (0..count)
            .map(|_| {
                let inbox = Inbox::new(10);
                set.add(Incoming::new(Arc::clone(&inbox), commands.clone()));
                inbox
            })
            .collect();
        (set, inboxes)
    }

    /// A request numbered `n` (nobody answers it).
    fn request(n: u32) -> Request {
        Request::new(smpp_core::Pdu::new(n, Body::EnquireLink), None)
    }

    /// The sequence numbers of the requests taken until none is ready.
    fn take_all(set: &IncomingSet) -> Vec<u32> {
        let mut cx = Context::from_waker(Waker::noop());
        let mut taken = Vec::new();
        while let Poll::Ready(Some(request)) = set.poll_recv(&mut cx) {
            taken.push(request.pdu().sequence_number);
        }
        taken
    }

    fn polls(set: &IncomingSet) -> usize {
        lock(&set.sessions).polls
    }

    /// Throttles the first `throttle` requests, accepts the rest.
    struct Throttling {
        throttle: AtomicUsize,
    }

    impl Handler for Throttling {
        async fn bind(&self, _: &server::Context, _: &BindRequest) -> CommandStatus {
            CommandStatus::ESME_ROK
        }

        async fn request(&self, _: &server::Context, _: crate::Pdu) -> Answer {
            let take = |n: usize| n.checked_sub(1);
            if self.throttle.fetch_update(SeqCst, SeqCst, take).is_ok() {
                Answer::Status(CommandStatus::ESME_RTHROTTLED)
            } else {
                Answer::message_id("1")
            }
        }
    }

    #[test]
    fn a_sessions_strikes_are_kept_by_its_id_and_forgotten_when_it_closes() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let smsc = Arc::new(Throttling {
                throttle: AtomicUsize::new(1),
            });
            let server = Server::bind("127.0.0.1:0", Config::mc(), smsc)
                .await
                .unwrap();
            let addr = server.local_addr().unwrap().to_string();
            let smsc = server.handle();
            tokio::spawn(server.run());
            let config = Config::esme(BindType::Transmitter).with_system_id("shop");
            let quick = Backoff {
                initial: Duration::from_millis(10),
                max: Duration::from_millis(10),
                factor: 1.0,
            };
            let (esme, _incoming) = Esme::builder(addr, config.unwrap())
                .reconnect(quick)
                .throttle_backoff(quick, 1)
                .start()
                .unwrap();
            esme.wait_bound(1).await.unwrap();
            let first = esme.sessions()[0].clone();
            // Throttled once, then accepted.
            let pdu = SubmitSmBuilder::new(0).short_message("hi").build().unwrap();
            assert!(esme.submit_sm(pdu).await.unwrap().is_ok());
            let kept: Vec<u64> = lock(&esme.inner.throttled).keys().copied().collect();
            assert_eq!(kept, [first.id()]);
            // The MC closes the session; the ESME binds again.
            smsc.sessions()[0].close();
            let rebound = async {
                while esme
                    .sessions()
                    .first()
                    .is_none_or(|s| s.same_session(&first))
                {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            };
            tokio::time::timeout(Duration::from_secs(10), rebound)
                .await
                .expect("bound again");
            assert!(lock(&esme.inner.throttled).is_empty());
            esme.unbind().await;
            smsc.shutdown();
        });
    }

    #[test]
    fn a_request_costs_the_polls_of_the_sessions_woken_not_of_all() {
        let (set, inboxes) = sessions(1000);
        // Each new session is polled once.
        assert_eq!(take_all(&set), Vec::<u32>::new());
        assert_eq!(polls(&set), 1000);
        inboxes[500].push(request(1));
        inboxes[7].push(request(2));
        assert_eq!(take_all(&set), [1, 2]);
        // 500 and 7 each once for its request, once more to find it empty.
        assert_eq!(polls(&set), 1004);
        assert_eq!(take_all(&set), Vec::<u32>::new());
        assert_eq!(polls(&set), 1004);
    }

    #[test]
    fn sessions_with_requests_take_turns_and_closed_ones_leave() {
        let (set, inboxes) = sessions(3);
        assert_eq!(take_all(&set), Vec::<u32>::new());
        for n in [1, 2, 3] {
            inboxes[0].push(request(n));
        }
        for n in [11, 12] {
            inboxes[2].push(request(n));
        }
        assert_eq!(take_all(&set), [1, 11, 2, 12, 3]);
        inboxes[1].close();
        assert_eq!(take_all(&set), Vec::<u32>::new());
        assert_eq!(lock(&set.sessions).by_key.len(), 2);
        // A request that came before the session was added is found.
        let late = Inbox::new(10);
        late.push(request(21));
        let (commands, _) = tokio::sync::mpsc::unbounded_channel();
        set.add(Incoming::new(Arc::clone(&late), commands));
        assert_eq!(take_all(&set), [21]);
    }

    const BACKOFF: Backoff = Backoff {
        initial: Duration::from_millis(100),
        max: Duration::from_secs(5),
        factor: 2.0,
    };

    /// Where a timer set for `at` fires: the next whole millisecond after
    /// `start`.
    fn on_the_tick(start: Instant, at: Instant) -> Instant {
        let since = at.saturating_duration_since(start).as_nanos();
        let ticks = since.div_ceil(1_000_000);
        start + Duration::from_millis(u64::try_from(ticks).unwrap())
    }

    #[test]
    fn a_rate_keeps_its_schedule_when_timers_fire_late() {
        let start = Instant::now();
        // 3,000 a second: one every 333 us, where timers fire on whole
        // milliseconds. Each request asks when the previous one went.
        let mut rate = Rate::new(3_000, start);
        let mut now = start;
        for _ in 0..3_000 {
            let at = rate.turn(now);
            now = now.max(on_the_tick(start, at));
        }
        // Taking each turn from when the late timer fired gave one a
        // millisecond, 1,000 a second.
        let took = now - start;
        assert!(took >= Duration::from_millis(999), "{took:?}");
        assert!(took <= Duration::from_millis(1_001), "{took:?}");
    }

    #[test]
    fn a_rate_banks_no_more_than_its_credit() {
        let start = Instant::now();
        let mut rate = Rate::new(1_000, start);
        // Idle for a second: then 20 ms worth go at once, no more.
        let now = start + Duration::from_secs(1);
        let at_once = (0..1_000).take_while(|_| rate.turn(now) <= now).count();
        assert_eq!(at_once, 21);
    }

    #[test]
    fn the_answers_of_one_window_are_one_strike() {
        let start = Instant::now();
        let mut strikes = Strikes::default();
        assert_eq!(strikes.paused_at(start), None);
        let sent = start - Duration::from_millis(1);
        strikes.throttled(BACKOFF, sent, start);
        let until = strikes.paused_at(start).unwrap();
        assert!(until > start + Duration::from_millis(49));
        assert!(until <= start + Duration::from_millis(100));
        // 99 more throttled answers to requests sent before the strike:
        // the pause stays as it is.
        for n in 1..100 {
            strikes.throttled(BACKOFF, sent, start + Duration::from_micros(n));
        }
        assert_eq!(strikes.count, 1);
        assert_eq!(strikes.paused_at(start), Some(until));
        // Nor does an accepted one of those lift it.
        strikes.accepted(sent);
        assert_eq!(strikes.paused_at(start), Some(until));
    }

    #[test]
    fn a_request_sent_after_a_strike_counts_again() {
        let start = Instant::now();
        let mut strikes = Strikes::default();
        strikes.throttled(BACKOFF, start, start);
        let later = start + Duration::from_millis(150);
        strikes.throttled(BACKOFF, later, later + Duration::from_millis(1));
        assert_eq!(strikes.count, 2);
        // The second strike waits 100 to 200 ms (jitter) from its answer.
        let until = strikes.paused_at(later).unwrap();
        assert!(until > later + Duration::from_millis(100));
        assert!(until <= later + Duration::from_millis(201));
        // An answer sent before the second strike does not lift it; one
        // sent after does, and the strikes start again from the first.
        strikes.accepted(later);
        assert_eq!(strikes.paused_at(later), Some(until));
        let after = until + Duration::from_millis(1);
        strikes.accepted(after);
        assert_eq!((strikes.paused_at(later), strikes.count), (None, 0));
        // A late throttled answer to a request of before is no new strike.
        strikes.throttled(BACKOFF, later, after);
        assert_eq!((strikes.paused_at(after), strikes.count), (None, 0));
    }
}
