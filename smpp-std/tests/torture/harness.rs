//! What the torture tests share: a time bound that holds even when a task
//! spins, the two transports, raw SMPP peers that put exactly the chosen
//! octets on the wire, PDU makers, and a test SMSC.

use core::future::Future;
use core::net::SocketAddr;
use core::ops::RangeInclusive;
use core::panic::AssertUnwindSafe;
use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;
use std::collections::BTreeMap;
use std::panic::{catch_unwind, resume_unwind};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::thread;

use bytes::BytesMut;
use smpp_core::session::{BindType, CloseReason, Config};
use smpp_core::{Body, CommandId, CommandStatus, TlvTag};
use smpp_std::server::{BindRequest, Context, Handler};
use smpp_std::session::{Answer, Error, Handle, Incoming, Pending, Request, SmResponse};
use smpp_std::{
    AlertNotificationBuilder, BindRespBuilder, Frame, FrameDecoder, Pdu, SubmitSmBuilder,
    SubmitSmRespBuilder, client, server,
};
use tokio::io::{
    AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadHalf, WriteHalf, duplex, split,
};
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinHandle;
use tokio::time::timeout;

pub(crate) use crate::common::{encode, raw_pdu};
pub(crate) use crate::server::{esme, mc, response_timer_only};

// ------------------------------------------------------------ the bound

/// Every test ends within this, or fails naming what it was waiting for.
pub(crate) const LIMIT: Duration = Duration::from_secs(20);

/// How much longer the watchdog thread waits for a runtime that froze
/// (every worker inside a poll that never returns, so that no timer of the
/// runtime can fire).
const GRACE: Duration = Duration::from_secs(5);

/// What a test is waiting for, for the message when it hangs.
#[derive(Clone, Default)]
pub(crate) struct Probe(Arc<Mutex<String>>);

impl Probe {
    /// Records what the test waits for now.
    pub(crate) fn step(&self, what: impl Into<String>) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = what.into();
    }

    fn last(&self) -> String {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits for `future`, at most `limit`; fails naming `what`.
    pub(crate) async fn within<T>(
        &self,
        limit: Duration,
        what: &str,
        future: impl Future<Output = T>,
    ) -> T {
        self.step(what);
        timeout(limit, future)
            .await
            .unwrap_or_else(|_| panic!("hung: {what} (not within {limit:?})"))
    }

    /// Waits until `ready` holds, checking every few milliseconds, at most
    /// `limit`; fails naming `what`.
    pub(crate) async fn until(&self, limit: Duration, what: &str, ready: impl Fn() -> bool) {
        self.within(limit, what, async {
            while !ready() {
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
        })
        .await;
    }

    /// Waits for `future` (a task, or a response to come), at most `limit`,
    /// and unwraps what it gives; fails naming `what`, or with the error
    /// (a task's own panic).
    pub(crate) async fn within_ok<T, E: core::fmt::Debug>(
        &self,
        limit: Duration,
        what: &str,
        future: impl Future<Output = Result<T, E>>,
    ) -> T {
        self.within(limit, what, future).await.unwrap()
    }

    /// Reads until the connection of `rx` ends, at most `limit`; the PDUs
    /// that came first.
    pub(crate) async fn rest(&self, limit: Duration, what: &str, rx: &mut RawRx) -> Vec<Pdu> {
        self.within(limit, what, rx.rest()).await
    }

    /// Waits (at most 3 s) for a server session's end; its reason.
    pub(crate) async fn session_end(&self, session: JoinHandle<CloseReason>) -> CloseReason {
        self.within_ok(secs(3), "the session's end", session).await
    }

    /// Waits (at most 3 s) for a flood of [`write_without_reading`] to end,
    /// and checks that it was cut short: the session closed the connection
    /// instead of reading it all.
    pub(crate) async fn flood_cut(&self, what: &str, flood: JoinHandle<std::io::Result<()>>) {
        let written = self.within_ok(secs(3), what, flood).await;
        assert!(written.is_err(), "{what}: the whole flood was read");
    }
}

/// `n` seconds.
pub(crate) const fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

/// `#[test]`s of scenarios whose first argument is the [`Transport`]:
/// `scenario => { Tcp: name, Pipe(args): name }` makes a test `name` that
/// runs `scenario(Transport::Tcp)`, one that runs
/// `scenario(Transport::Pipe, args)`, and so on.
macro_rules! transport_tests {
    ($($scenario:ident => {
        $($transport:ident $(($($arg:expr),*))?: $name:ident),+ $(,)?
    })+) => {
        $($(
            #[test]
            fn $name() {
                $scenario($crate::harness::Transport::$transport $($(, $arg)*)?);
            }
        )+)+
    };
}
pub(crate) use transport_tests;

/// Waits (at most a second) until every window slot of `handle` is free
/// again: a slot is given back just after its request's answer is handed
/// over.
pub(crate) async fn window_whole(probe: &Probe, handle: &Handle) {
    let window = handle.window();
    probe
        .until(
            Duration::from_secs(1),
            "every window slot free again",
            || handle.available_window() == window,
        )
        .await;
}

/// Runs a test on a runtime of two workers in a thread of its own, bounded
/// by [`LIMIT`].
///
/// `tokio::time::timeout` alone cannot bound a test whose session spins:
/// once every worker is inside a poll that never returns, no timer fires.
/// So a watchdog outside the runtime waits too, and fails the test naming
/// the last step if the runtime froze. (A frozen runtime's threads are
/// left behind; the test binary ends them when it exits.)
pub(crate) fn run<F, Fut>(body: F)
where
    F: FnOnce(Probe) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + 'static,
{
    let name = thread::current().name().unwrap_or("test").to_owned();
    let probe = Probe::default();
    probe.step("starting");
    let (done, outcome) = mpsc::channel();
    let inner = probe.clone();
    thread::Builder::new()
        .name(format!("{name} (runtime)"))
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            let result = catch_unwind(AssertUnwindSafe(|| {
                runtime.block_on(async { timeout(LIMIT, body(inner)).await })
            }));
            let _ = done.send(result);
            // Does not wait for tasks that spin.
            runtime.shutdown_background();
        })
        .unwrap();
    match outcome.recv_timeout(LIMIT + GRACE) {
        Ok(Ok(Ok(()))) => {}
        Ok(Ok(Err(_))) => panic!("{name}: hung for {LIMIT:?}; last step: {}", probe.last()),
        Ok(Err(panic)) => resume_unwind(panic),
        Err(mpsc::RecvTimeoutError::Disconnected) => {
            panic!("{name}: the runtime's thread ended without an outcome")
        }
        Err(mpsc::RecvTimeoutError::Timeout) => panic!(
            "{name}: the runtime froze (a task kept both workers busy, no timer could fire); \
             last step: {}",
            probe.last()
        ),
    }
}

// ------------------------------------------------------------ transports

/// A connection of either transport.
pub(crate) trait Io: AsyncRead + AsyncWrite + Unpin + Send + 'static {}

impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Io for T {}

/// A boxed connection.
pub(crate) type Conn = Box<dyn Io>;

/// How the two ends of a test are connected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Transport {
    /// Loopback TCP with the kernel's buffers.
    Tcp,
    /// An in-memory pipe of [`PIPE`] octets each way: queues fill at once.
    Pipe,
}

/// The buffer of an in-memory pipe, each way.
pub(crate) const PIPE: usize = 4 * 1024;

/// How the raw end of a connection behaves.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct RawEnd {
    /// TCP: dropping the raw end resets the connection (`RST`) instead of
    /// closing it (`FIN`).
    pub(crate) resets: bool,
    /// TCP: the raw end's receive buffer (and, where the test makes both
    /// ends, the library end's send buffer) is a few KiB, so that the
    /// library's writes block soon after the raw end stops reading.
    pub(crate) small_buffers: bool,
}

/// The socket buffers of [`RawEnd::small_buffers`].
const SMALL_BUFFER: u32 = 4 * 1024;

/// A connection: the end for the library (client or server) and the raw
/// end.
pub(crate) async fn link(transport: Transport, raw: RawEnd) -> (Conn, Conn) {
    match transport {
        Transport::Pipe => {
            let (library, raw) = duplex(PIPE);
            (Box::new(library), Box::new(raw))
        }
        Transport::Tcp => {
            let listening = TcpSocket::new_v4().unwrap();
            let library = TcpSocket::new_v4().unwrap();
            if raw.small_buffers {
                // Accepted sockets inherit the listener's.
                listening.set_recv_buffer_size(SMALL_BUFFER).unwrap();
                library.set_send_buffer_size(SMALL_BUFFER).unwrap();
            }
            listening.bind("127.0.0.1:0".parse().unwrap()).unwrap();
            let listener = listening.listen(16).unwrap();
            let addr = listener.local_addr().unwrap();
            let (connected, accepted) = tokio::join!(library.connect(addr), listener.accept());
            let (connected, (accepted, _)) = (connected.unwrap(), accepted.unwrap());
            connected.set_nodelay(true).unwrap();
            accepted.set_nodelay(true).unwrap();
            if raw.resets {
                accepted.set_zero_linger().unwrap();
            }
            (Box::new(connected), Box::new(accepted))
        }
    }
}

/// Connects the raw end of a TCP connection to a server.
pub(crate) async fn tcp_connect(addr: SocketAddr, raw: RawEnd) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    if raw.small_buffers {
        socket.set_recv_buffer_size(SMALL_BUFFER).unwrap();
    }
    let stream = socket.connect(addr).await.unwrap();
    stream.set_nodelay(true).unwrap();
    if raw.resets {
        stream.set_zero_linger().unwrap();
    }
    stream
}

// ------------------------------------------------------------ raw peers

/// A raw SMPP peer: writes the octets a test chooses, and cuts what it
/// receives into frames with the crate's [`FrameDecoder`].
pub(crate) struct Raw {
    pub(crate) rx: RawRx,
    pub(crate) tx: RawTx,
}

/// The receiving half of a raw peer.
pub(crate) struct RawRx {
    io: ReadHalf<Conn>,
    buf: BytesMut,
    decoder: FrameDecoder,
}

/// The sending half of a raw peer.
pub(crate) struct RawTx {
    io: WriteHalf<Conn>,
}

impl Raw {
    pub(crate) fn new(conn: Conn) -> Self {
        let (rd, wr) = split(conn);
        Self {
            rx: RawRx {
                io: rd,
                buf: BytesMut::new(),
                decoder: FrameDecoder::new(),
            },
            tx: RawTx { io: wr },
        }
    }

    /// A raw peer over TCP to `addr`.
    pub(crate) async fn connect(addr: SocketAddr, raw: RawEnd) -> Self {
        Self::new(Box::new(tcp_connect(addr, raw).await))
    }

    /// ESME: binds as `bind_type` (`sequence_number` 1) and checks that the
    /// bind is accepted.
    pub(crate) async fn bind(&mut self, bind_type: BindType) {
        self.tx.send(&crate::server::bind(bind_type, 1)).await;
        let (_, resp) = self.rx.expect("the bind response").await;
        assert_eq!(resp.command_id(), bind_type.command_id().response());
        assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
        assert_eq!(resp.sequence_number, 1);
    }

    /// MC: takes the ESME's bind and accepts it.
    pub(crate) async fn accept_bind(&mut self) {
        let (_, bind) = self.rx.expect("the ESME's bind").await;
        let resp = match bind.command_id() {
            CommandId::BIND_TRANSMITTER => BindRespBuilder::transmitter_resp(bind.sequence_number),
            CommandId::BIND_RECEIVER => BindRespBuilder::receiver_resp(bind.sequence_number),
            CommandId::BIND_TRANSCEIVER => BindRespBuilder::transceiver_resp(bind.sequence_number),
            other => panic!("expected a bind, got {other}"),
        };
        self.tx.send(&resp.system_id("RAW").build().unwrap()).await;
    }
}

impl RawRx {
    /// The next frame; `None` once the connection is closed or reset.
    pub(crate) async fn frame(&mut self) -> Option<Frame> {
        loop {
            let cut = self.decoder.decode(&mut self.buf);
            if let Some(frame) = cut.expect("the library sent octets that frame") {
                return Some(frame);
            }
            self.buf.reserve(16 * 1024);
            match self.io.read_buf(&mut self.buf).await {
                Ok(0) | Err(_) => return None,
                Ok(_) => {}
            }
        }
    }

    /// The next frame and its PDU; `None` once the connection is closed.
    pub(crate) async fn pdu(&mut self) -> Option<(Frame, Pdu)> {
        let frame = self.frame().await?;
        let pdu = frame.to_pdu().expect("the library sent a PDU that decodes");
        Some((frame, pdu))
    }

    /// The next frame and its PDU, within five seconds.
    pub(crate) async fn expect(&mut self, what: &str) -> (Frame, Pdu) {
        timeout(Duration::from_secs(5), self.pdu())
            .await
            .unwrap_or_else(|_| panic!("hung: {what} (not within 5 s)"))
            .unwrap_or_else(|| panic!("the connection closed before {what}"))
    }

    /// The next `count` frames and their PDUs, each within five seconds.
    pub(crate) async fn expect_many(&mut self, count: usize, what: &str) -> Vec<(Frame, Pdu)> {
        let mut pdus = Vec::with_capacity(count);
        for _ in 0..count {
            pdus.push(self.expect(what).await);
        }
        pdus
    }

    /// The next `count` frames and their PDUs, by `sequence_number`.
    pub(crate) async fn by_sequence(
        &mut self,
        count: usize,
        what: &str,
    ) -> BTreeMap<u32, (Frame, Pdu)> {
        let pdus = self.expect_many(count, what).await;
        pdus.into_iter()
            .map(|(frame, pdu)| (pdu.sequence_number, (frame, pdu)))
            .collect()
    }

    /// Reads until the connection ends; the PDUs that came first.
    pub(crate) async fn rest(&mut self) -> Vec<Pdu> {
        let mut pdus = Vec::new();
        while let Some((_, pdu)) = self.pdu().await {
            pdus.push(pdu);
        }
        pdus
    }
}

impl RawTx {
    /// Writes one PDU.
    pub(crate) async fn send(&mut self, pdu: &Pdu) {
        self.io.write_all(&encode(pdu)).await.unwrap();
    }

    /// Writes octets as they are (several PDUs in one write, garbage).
    pub(crate) async fn write(&mut self, octets: &[u8]) -> std::io::Result<()> {
        self.io.write_all(octets).await?;
        self.io.flush().await
    }

    /// Shuts the write side: the peer reads the end of the stream.
    pub(crate) async fn shutdown(&mut self) {
        self.io.shutdown().await.unwrap();
    }
}

// ------------------------------------------------------------------ PDUs

/// The `message_payload` of a large PDU.
pub(crate) const LARGE: usize = 40_000;

/// How large the messages of a test are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Size {
    /// A short message of a few characters.
    Small,
    /// A short message of 160 octets, as much as one SMS holds.
    Sms,
    /// A `message_payload` of [`LARGE`] octets.
    Large,
}

/// The short message of message `n` of `size`.
fn short_message(n: u32, size: Size) -> String {
    match size {
        Size::Small => format!("m{n}"),
        Size::Sms => format!("m{n:.<159}"),
        Size::Large => String::new(),
    }
}

/// The `message_payload` of message `n`: octets that say which message it
/// is.
pub(crate) fn payload(n: u32) -> Vec<u8> {
    let letter = b'a' + u8::try_from(n % 26).unwrap();
    vec![letter; LARGE]
}

/// Whether `body` (a `submit_sm` or `deliver_sm`) carries message `n` of
/// `size`.
pub(crate) fn carries(body: &Body<bytes::Bytes>, n: u32, size: Size) -> bool {
    let (Body::SubmitSm(sm) | Body::DeliverSm(sm)) = body else {
        return false;
    };
    match size {
        Size::Small | Size::Sms => sm.short_message == short_message(n, size),
        Size::Large => sm
            .tlvs
            .get(TlvTag::MESSAGE_PAYLOAD)
            .is_some_and(|tlv| tlv.value == payload(n)),
    }
}

/// Which of messages `numbers` of `size` the `submit_sm` or `deliver_sm`
/// `pdu` carries whole.
pub(crate) fn which(pdu: &Pdu, numbers: RangeInclusive<u32>, size: Size) -> u32 {
    numbers
        .clone()
        .find(|&n| carries(&pdu.body, n, size))
        .unwrap_or_else(|| panic!("not one of messages {numbers:?} whole: {pdu:?}"))
}

fn sm(builder: SubmitSmBuilder, n: u32, size: Size) -> Pdu {
    let builder = builder.source_addr("INFO").destination_addr("447700900123");
    match size {
        Size::Small | Size::Sms => builder.short_message(short_message(n, size)),
        Size::Large => builder.message_payload(payload(n)),
    }
    .build()
    .unwrap()
}

/// `submit_sm` number `n` with `sequence_number` `n`.
pub(crate) fn submit_sm(n: u32, size: Size) -> Pdu {
    sm(SubmitSmBuilder::new(n), n, size)
}

/// `deliver_sm` number `n` with `sequence_number` `n`.
pub(crate) fn deliver_sm(n: u32, size: Size) -> Pdu {
    sm(SubmitSmBuilder::deliver_sm(n), n, size)
}

/// An `alert_notification` with `sequence_number` `n`.
pub(crate) fn alert(n: u32) -> Pdu {
    AlertNotificationBuilder::new(n)
        .source_addr("447700900123")
        .esme_addr("INFO")
        .build()
        .unwrap()
}

/// The octets of every PDU, back to back (one write).
pub(crate) fn encode_all(pdus: impl IntoIterator<Item = Pdu>) -> Vec<u8> {
    pdus.into_iter().flat_map(|pdu| encode(&pdu)).collect()
}

/// `count` copies of the PDU `template`, with `sequence_number`s from
/// `first` on: a flood, encoded once.
pub(crate) fn flood(template: &Pdu, first: u32, count: u32) -> Vec<u8> {
    let one = encode(template);
    let mut out = Vec::with_capacity(one.len() * count as usize);
    for n in first..first + count {
        out.extend_from_slice(&one[..12]);
        out.extend_from_slice(&n.to_be_bytes());
        out.extend_from_slice(&one[16..]);
    }
    out
}

/// A peer writes `octets` in one go and never reads; the task ends with
/// how the writing ended (an error once the other side closed the
/// connection).
pub(crate) fn write_without_reading(raw: Raw, octets: Vec<u8>) -> JoinHandle<std::io::Result<()>> {
    let Raw { rx, mut tx } = raw;
    tokio::spawn(async move {
        let written = tx.write(&octets).await;
        // Held, never read, until the writing ended.
        drop(rx);
        written
    })
}

// ------------------------------------------------------------ test SMSC

/// The test SMSC: accepts every bind, answers `submit_sm` with
/// `id-<sequence_number>` (after `delay`, if set), refuses `data_sm` with
/// `ESME_RINVDSTADR`, and records what happened.
#[derive(Default)]
pub(crate) struct Smsc {
    /// How long an answer to `submit_sm` takes (none: inline).
    pub(crate) delay: Option<Duration>,
    /// `Handler::bind` never decides.
    pub(crate) undecided_bind: bool,
    /// `submit_sm` handed to the application.
    pub(crate) submits: AtomicUsize,
    /// Binds handed to the application.
    pub(crate) binds: AtomicUsize,
    /// Octets of the `message_id`s given (`id-<sequence_number>`, padded
    /// with `0`s after the dash): long ones fill buffers sooner.
    pub(crate) id_len: usize,
    /// `submit_sm` the application is answering now, and the most at once.
    pub(crate) in_flight: AtomicUsize,
    pub(crate) max_in_flight: AtomicUsize,
    pub(crate) bound: Mutex<Vec<Handle>>,
    pub(crate) closed: Mutex<Vec<CloseReason>>,
}

impl Smsc {
    /// The `message_id` given to `submit_sm` `sequence_number`.
    pub(crate) fn message_id(&self, sequence_number: u32) -> String {
        let digits = sequence_number.to_string();
        let width = self.id_len.saturating_sub(3).max(digits.len());
        format!("id-{digits:0>width$}")
    }

    pub(crate) fn submits(&self) -> usize {
        self.submits.load(Ordering::SeqCst)
    }

    pub(crate) fn bound(&self) -> Vec<Handle> {
        self.bound.lock().unwrap().clone()
    }

    pub(crate) fn closed(&self) -> Vec<CloseReason> {
        self.closed.lock().unwrap().clone()
    }
}

impl Handler for Smsc {
    async fn bind(&self, _cx: &Context, _request: &BindRequest) -> CommandStatus {
        self.binds.fetch_add(1, Ordering::SeqCst);
        if self.undecided_bind {
            core::future::pending::<()>().await;
        }
        CommandStatus::ESME_ROK
    }

    async fn request(&self, _cx: &Context, pdu: Pdu) -> Answer {
        match pdu.body {
            Body::SubmitSm(_) => {
                self.submits.fetch_add(1, Ordering::SeqCst);
                let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
                self.max_in_flight.fetch_max(now, Ordering::SeqCst);
                if let Some(delay) = self.delay {
                    tokio::time::sleep(delay).await;
                }
                self.in_flight.fetch_sub(1, Ordering::SeqCst);
                Answer::message_id(self.message_id(pdu.sequence_number))
            }
            Body::DataSm(_) => Answer::Status(CommandStatus::ESME_RINVDSTADR),
            _ => Answer::Status(CommandStatus::ESME_RINVCMDID),
        }
    }

    fn bound(&self, cx: &Context) {
        self.bound.lock().unwrap().push(cx.session().clone());
    }

    fn closed(&self, _cx: &Context, reason: CloseReason) {
        self.closed.lock().unwrap().push(reason);
    }
}

/// The torture SMSC running on a loopback port.
pub(crate) type Running = crate::server::Running<Smsc>;

impl Running {
    /// An ESME of this crate binds (at most 3 s, or fails naming `what`).
    pub(crate) async fn connect_esme(&self, probe: &Probe, what: &str) -> (Handle, Incoming) {
        let connecting = client::connect(self.addr, esme(BindType::Transmitter));
        probe.within_ok(secs(3), what, connecting).await
    }

    /// Shuts down and waits for every session to end, at most `limit`.
    pub(crate) async fn stop_within(self, probe: &Probe, limit: Duration) -> Arc<Smsc> {
        self.handle.shutdown();
        probe
            .within(limit, "the server's shutdown", self.task)
            .await
            .unwrap();
        self.smsc
    }
}

/// An ESME client bound over a fresh connection to a raw MC.
pub(crate) async fn client_link(
    transport: Transport,
    raw_end: RawEnd,
    config: Config,
) -> (Handle, Incoming, Raw) {
    let (library, raw) = link(transport, raw_end).await;
    let mut raw = Raw::new(raw);
    let binding = tokio::spawn(client::bind(library, config));
    raw.accept_bind().await;
    let (esme, incoming) = binding.await.unwrap().unwrap();
    (esme, incoming, raw)
}

/// A server session ([`server::serve`]) over a fresh connection to a raw
/// ESME (not bound yet).
pub(crate) async fn server_link(
    transport: Transport,
    raw_end: RawEnd,
    config: Config,
    smsc: &Arc<Smsc>,
) -> (JoinHandle<CloseReason>, Raw) {
    let (library, raw) = link(transport, raw_end).await;
    let session = tokio::spawn(server::serve(library, config, Arc::clone(smsc)));
    (session, Raw::new(raw))
}

/// A server session over a fresh connection to a raw ESME, bound as
/// `bind_type`.
pub(crate) async fn bound_server_link(
    transport: Transport,
    raw_end: RawEnd,
    config: Config,
    smsc: &Arc<Smsc>,
    bind_type: BindType,
) -> (JoinHandle<CloseReason>, Raw) {
    let (session, mut raw) = server_link(transport, raw_end, config, smsc).await;
    raw.bind(bind_type).await;
    (session, raw)
}

/// The test SMSC of the defaults, and its session (with [`mc`]) over a
/// fresh connection to a raw ESME bound as `bind_type`.
pub(crate) async fn bound_to_smsc(
    transport: Transport,
    bind_type: BindType,
) -> (Arc<Smsc>, JoinHandle<CloseReason>, Raw) {
    let smsc = Arc::new(Smsc::default());
    let (session, raw) =
        bound_server_link(transport, RawEnd::default(), mc(), &smsc, bind_type).await;
    (smsc, session, raw)
}

/// A session of the test SMSC (with `config`) to a raw ESME bound as a
/// receiver, and the session's handle, to push `deliver_sm` with.
pub(crate) async fn receiver_session(
    probe: &Probe,
    transport: Transport,
    raw_end: RawEnd,
    config: Config,
) -> (Arc<Smsc>, JoinHandle<CloseReason>, Raw, Handle) {
    let smsc = Arc::new(Smsc::default());
    let (session, raw) =
        bound_server_link(transport, raw_end, config, &smsc, BindType::Receiver).await;
    let handle = bound_session(probe, &smsc).await;
    (smsc, session, raw, handle)
}

/// A server session and a client bound to it, both of this crate, over a
/// fresh connection.
pub(crate) async fn pair(
    transport: Transport,
    mc: Config,
    esme: Config,
    smsc: &Arc<Smsc>,
) -> (JoinHandle<CloseReason>, Handle, Incoming) {
    let (server_end, client_end) = link(transport, RawEnd::default()).await;
    let session = tokio::spawn(server::serve(server_end, mc, Arc::clone(smsc)));
    let (client, incoming) = client::bind(client_end, esme).await.unwrap();
    (session, client, incoming)
}

/// MC: waits until the (one) session of `smsc` is bound; its handle.
pub(crate) async fn bound_session(probe: &Probe, smsc: &Smsc) -> Handle {
    probe
        .until(Duration::from_secs(2), "the ESME bound", || {
            smsc.bound().len() == 1
        })
        .await;
    smsc.bound()[0].clone()
}

/// ESME: queues `submit_sm` number `numbers` of `size`, in order, from a
/// task of its own; the task ends with their answers to come once every
/// one has its window slot.
pub(crate) fn queue_submits(
    esme: &Handle,
    numbers: RangeInclusive<u32>,
    size: Size,
) -> JoinHandle<Vec<Pending>> {
    let esme = esme.clone();
    tokio::spawn(async move {
        let mut pending = Vec::new();
        for n in numbers {
            let body = submit_sm(n, size);
            pending.push(esme.queue(body).await.unwrap());
        }
        pending
    })
}

/// Waits for every answer of `pending` (`submit_sm` sent to the test SMSC
/// or answered with [`accepted`]): each `ESME_ROK` with
/// `id-<sequence_number>`. Their `sequence_number`s.
pub(crate) async fn all_accepted(probe: &Probe, pending: Vec<Pending>) -> Vec<u32> {
    let mut sequence_numbers = Vec::new();
    for response in pending {
        let pdu = probe
            .within(Duration::from_secs(5), "a submit_sm_resp", response)
            .await
            .unwrap();
        assert_eq!(pdu.command_id(), CommandId::SUBMIT_SM_RESP);
        assert_eq!(pdu.command_status, CommandStatus::ESME_ROK);
        let resp = SmResponse::from(pdu);
        assert_eq!(
            resp.message_id.to_string(),
            format!("id-{}", resp.sequence_number)
        );
        sequence_numbers.push(resp.sequence_number);
    }
    sequence_numbers
}

/// ESME: sends `submit_sm` number `n` from a task of its own.
pub(crate) fn submit(esme: &Handle, n: u32, size: Size) -> JoinHandle<Result<SmResponse, Error>> {
    let esme = esme.clone();
    tokio::spawn(async move { esme.submit_sm(submit_sm(n, size)).await })
}

/// MC: pushes `deliver_sm` number `n` from a task of its own.
pub(crate) fn push(handle: &Handle, n: u32, size: Size) -> JoinHandle<Result<SmResponse, Error>> {
    let handle = handle.clone();
    tokio::spawn(async move { handle.deliver_sm(deliver_sm(n, size)).await })
}

/// `ESME_ROK` to `submit_sm` `sequence_number` (`message_id`
/// `id-<sequence_number>`) or to a `deliver_sm`.
pub(crate) fn accepted(request: CommandId, sequence_number: u32) -> Pdu {
    let builder = if request == CommandId::SUBMIT_SM {
        SubmitSmRespBuilder::new(sequence_number).message_id(format!("id-{sequence_number}"))
    } else {
        SubmitSmRespBuilder::deliver_sm_resp(sequence_number)
    };
    builder.build().unwrap()
}

/// The session goes on: the next PDU the raw peer reads is message `n`
/// (sent by `sending`), and the answer the peer gives reaches the sender.
pub(crate) async fn goes_on(
    probe: &Probe,
    raw: &mut Raw,
    sending: JoinHandle<Result<SmResponse, Error>>,
    n: u32,
    size: Size,
) {
    let (_, pdu) = raw.rx.expect("the next request").await;
    assert!(carries(&pdu.body, n, size), "not message {n} next: {pdu:?}");
    raw.tx
        .send(&accepted(pdu.command_id(), pdu.sequence_number))
        .await;
    let resp = probe
        .within(Duration::from_secs(3), "the next request's answer", sending)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
    assert_eq!(resp.sequence_number, pdu.sequence_number);
}

/// The `command_id`s and `sequence_number`s of `pdus`, to compare lists.
pub(crate) fn ids<'a>(pdus: impl IntoIterator<Item = &'a Pdu>) -> Vec<(CommandId, u32)> {
    pdus.into_iter()
        .map(|pdu| (pdu.command_id(), pdu.sequence_number))
        .collect()
}

/// Takes what `incoming` hands over until `count` requests came or none
/// came for `quiet`; `take` sees each request (dropping it answers
/// `ESME_ROK`).
pub(crate) async fn take_requests(
    incoming: &mut Incoming,
    count: usize,
    quiet: Duration,
    mut take: impl FnMut(Request),
) -> Vec<Pdu> {
    let mut taken = Vec::new();
    while taken.len() < count {
        match timeout(quiet, incoming.recv()).await {
            Ok(Some(request)) => {
                taken.push(request.pdu().clone());
                take(request);
            }
            Ok(None) | Err(_) => break,
        }
    }
    taken
}
