//! The tokio tests' harness: an SMSC of the test's handler on a loopback
//! port, the runtime and time bound of every test, and timers that stay
//! quiet; the configurations, bind and certificates the tests share.
#![allow(dead_code)]

use core::future::Future;
use core::net::SocketAddr;
use core::time::Duration;
use std::sync::Arc;

use smpp_core::CommandStatus;
use smpp_core::session::{BindType, Config, Timers};
#[cfg(feature = "tls")]
use smpp_std::client::rustls;
use smpp_std::server::{BindRequest, Context, Handler, Server, ServerHandle};
use smpp_std::session::{Answer, Handle, Incoming};
use smpp_std::{BindBuilder, Pdu};
use tokio::task::JoinHandle;

/// A server running `smsc` until [`Running::stop`].
pub(crate) struct Running<H> {
    pub(crate) addr: SocketAddr,
    pub(crate) handle: ServerHandle,
    pub(crate) smsc: Arc<H>,
    pub(crate) task: JoinHandle<()>,
}

impl<H: Handler> Running<H> {
    /// A server of `smsc` with `config`.
    pub(crate) async fn start(smsc: H, config: Config) -> Self {
        Self::start_with(smsc, config, |server| server).await
    }

    /// A server of `smsc` with `config` and the settings `configure` gives
    /// it.
    pub(crate) async fn start_with(
        smsc: H,
        config: Config,
        configure: impl FnOnce(Server<H>) -> Server<H>,
    ) -> Self {
        let smsc = Arc::new(smsc);
        let server = Server::bind("127.0.0.1:0", config, Arc::clone(&smsc))
            .await
            .unwrap();
        Self::run(smsc, configure(server))
    }

    /// A server of `smsc` with `config` on a TLS port.
    #[cfg(feature = "tls")]
    pub(crate) async fn start_tls(smsc: H, config: Config, tls: Arc<rustls::ServerConfig>) -> Self {
        let smsc = Arc::new(smsc);
        let server = Server::bind_tls("127.0.0.1:0", config, Arc::clone(&smsc), tls)
            .await
            .unwrap();
        Self::run(smsc, server)
    }

    fn run(smsc: Arc<H>, server: Server<H>) -> Self {
        let addr = server.local_addr().unwrap();
        let handle = server.handle();
        let task = tokio::spawn(server.run());
        Self {
            addr,
            handle,
            smsc,
            task,
        }
    }

    /// Shuts the server down and waits for its task.
    pub(crate) async fn stop(self) -> Arc<H> {
        self.handle.shutdown();
        self.task.await.unwrap();
        self.smsc
    }
}

/// Unbinds `esme`, then stops `server`; the server's handler.
pub(crate) async fn unbind_and_stop<H: Handler>(esme: &Handle, server: Running<H>) -> Arc<H> {
    esme.unbind().await.unwrap();
    server.stop().await
}

/// Runs `test` on a runtime of its own on this thread, failing if it takes
/// more than 30 seconds.
pub(crate) fn bounded<T>(test: impl Future<Output = T>) -> T {
    bounded_on(&mut tokio::runtime::Builder::new_current_thread(), test)
}

/// As [`bounded`], on a runtime of two worker threads.
pub(crate) fn bounded_on_two_workers<T>(test: impl Future<Output = T>) -> T {
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    bounded_on(runtime.worker_threads(2), test)
}

fn bounded_on<T>(runtime: &mut tokio::runtime::Builder, test: impl Future<Output = T>) -> T {
    let runtime = runtime.enable_all().build().unwrap();
    let test = async { tokio::time::timeout(Duration::from_secs(30), test).await };
    runtime.block_on(test).expect("the test hung")
}

/// The answer of an SMSC that takes the password `secret` to `request`.
pub(crate) fn password_checked(request: &BindRequest) -> CommandStatus {
    if request.password() == b"secret" {
        CommandStatus::ESME_ROK
    } else {
        CommandStatus::ESME_RINVPASWD
    }
}

/// An SMSC that takes every bind and answers every request with the
/// `message_id` `id`, but refuses with `ESME_RTHROTTLED` each whose
/// `sequence_number` is a multiple of `throttle_every`, if set.
pub(crate) struct Taker {
    pub(crate) throttle_every: Option<u32>,
}

impl Handler for Taker {
    async fn bind(&self, _cx: &Context, _request: &BindRequest) -> CommandStatus {
        CommandStatus::ESME_ROK
    }

    async fn request(&self, _cx: &Context, pdu: Pdu) -> Answer {
        match self.throttle_every {
            Some(every) if pdu.sequence_number.is_multiple_of(every) => {
                Answer::Status(CommandStatus::ESME_RTHROTTLED)
            }
            _ => Answer::message_id("id"),
        }
    }
}

/// `smsc` running with [`quiet`] timers, and the ESME `watched` (a
/// transmitter, window 8, quiet timers) bound to it.
pub(crate) async fn watched<H: Handler>(smsc: H) -> (Running<H>, Handle, Incoming) {
    let server = Running::start(smsc, Config::mc().with_timers(quiet())).await;
    let config = Config::esme(BindType::Transmitter)
        .with_system_id("watched")
        .unwrap()
        .with_window(8)
        .with_timers(quiet());
    let (esme, incoming) = connect(server.addr, config).await;
    (server, esme, incoming)
}

/// An ESME of `config` bound to `addr`.
pub(crate) async fn connect(addr: SocketAddr, config: Config) -> (Handle, Incoming) {
    smpp_std::client::connect(addr, config).await.unwrap()
}

/// `result` is a bind the MC refused with `status`.
pub(crate) fn assert_bind_refused<T: core::fmt::Debug>(
    result: &Result<T, smpp_std::session::Error>,
    status: CommandStatus,
) {
    assert!(
        matches!(result, Err(smpp_std::session::Error::BindRefused(s)) if *s == status),
        "{result:?}"
    );
}

/// Waits until `ready` holds, checking every few milliseconds.
pub(crate) async fn until(ready: impl Fn() -> bool) {
    while !ready() {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

/// An ESME `esme`/`secret`, window 10, quiet timers.
pub(crate) fn esme(bind_type: BindType) -> Config {
    Config::esme(bind_type)
        .with_system_id("esme")
        .and_then(|c| c.with_password("secret"))
        .unwrap()
        .with_timers(response_timer_only(Duration::from_secs(10)))
}

/// An MC `SMSC`, window 10, quiet timers.
pub(crate) fn mc() -> Config {
    Config::mc()
        .with_system_id("SMSC")
        .unwrap()
        .with_timers(response_timer_only(Duration::from_secs(10)))
}

/// The bind of `esme`/`secret` as `bind_type`.
pub(crate) fn bind(bind_type: BindType, sequence_number: u32) -> Pdu {
    let bind = match bind_type {
        BindType::Transmitter => BindBuilder::transmitter(sequence_number),
        BindType::Receiver => BindBuilder::receiver(sequence_number),
        BindType::Transceiver => BindBuilder::transceiver(sequence_number),
    };
    bind.system_id("esme").password("secret").build().unwrap()
}

/// The default timers without `session_init_timer` and
/// `enquire_link_timer`.
pub(crate) fn quiet() -> Timers {
    Timers {
        session_init_timer: None,
        enquire_link_timer: None,
        ..Timers::DEFAULT
    }
}

/// Every timer off but the response timer, so that only what a test turns
/// on runs.
pub(crate) fn response_timer_only(response_timer: Duration) -> Timers {
    Timers {
        session_init_timer: None,
        enquire_link_timer: None,
        inactivity_timer: None,
        response_timer,
        write_timer: None,
    }
}

/// A certificate for `localhost` and 127.0.0.1, its key, and a client
/// configuration that trusts it.
#[cfg(feature = "tls")]
pub(crate) fn pki() -> (Arc<rustls::ServerConfig>, Arc<rustls::ClientConfig>) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
            .unwrap();
    let cert = certified.cert.der().clone();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let server = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key)
        .unwrap();
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert).unwrap();
    let client = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    (Arc::new(server), Arc::new(client))
}
