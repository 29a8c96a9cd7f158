//! The workspace's main job: an SMSC and three ESMEs talking SMPP over
//! loopback, plain TCP and TLS, with the traffic a gateway really carries,
//! on the tokio ESME client (`smpp_std::client`) and SMSC server
//! (`smpp_std::server`).
//!
//! - One SMSC listens on a plain port and a TLS port (a certificate made at
//!   start). Its handler checks the accounts, decodes every message,
//!   reassembles and checks every long one, answers with a message id and
//!   routes a delivery receipt per `submit_sm` back to the sender's
//!   account; a message to a number another ESME serves is routed to that
//!   ESME as a mobile-originated `deliver_sm`.
//! - The bulk ESME (`client::Esme`) keeps two transceivers bound over TLS
//!   and pipelines thousands of messages through their windows, in two
//!   batches: plain GSM 7-bit text, long GSM text concatenated by UDH,
//!   Unicode with emoji split by a 16-bit-reference UDH, SAR-concatenated
//!   text, WAP pushes to port 2948, flash messages and `message_payload`
//!   messages. Between the batches the SMSC drops one of its sessions; the
//!   ESME reconnects and re-binds by itself (its events are printed) while
//!   the second batch goes on. It matches every receipt to its message id
//!   and reassembles a long mobile-originated message. A third bind of its
//!   account is refused by the server's account limit.
//! - The inbox ESME binds as receiver over plain TCP with an
//!   `address_range`; it gets exactly the messages sent to its numbers,
//!   reassembled and equal to what was sent.
//! - A raw connection, written by hand, sends one malformed `submit_sm`: it
//!   is answered `ESME_RINVSRCADR` and the session goes on.
//! - `enquire_link` and `unbind` go through the sessions; the metrics of
//!   the server and of the bulk ESME are printed at the end.
//!
//! Every check is asserted: the program exits non-zero if anything is lost,
//! duplicated or wrong.
//!
//! Run it with `cargo run --release -p smpp-std --all-features --example demo`.

use core::error::Error;
use core::future::Future;
use core::net::SocketAddr;
use core::pin::Pin;
use core::sync::atomic::{AtomicBool, Ordering};
use core::time::Duration;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Instant, SystemTime};

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use smpp_core::receipt::{MessageState, Receipt, ReceiptBuilder, ReceiptDate};
use smpp_core::session::{BindType, CloseReason, Config, ProtocolError};
use smpp_core::text::choose::Encoding;
use smpp_core::text::gsm7::Tables;
use smpp_core::text::reassembly::Part;
use smpp_core::text::split::{Content, Method, SplitOptions};
use smpp_core::text::udh::{Ie, Udh};
use smpp_core::{
    Body, CommandId, CommandStatus, DataCoding, InterfaceVersion, Npi, RegisteredDelivery, TlvTag,
    Ton,
};
use smpp_std::client::{self, Backoff, Esme, EsmeEvent, EsmeIncoming, rustls};
use smpp_std::reassembly::{self, Outcome, Reassembler};
use smpp_std::server::{
    AccountLimits, BindRequest, Context, Handler, Server, ServerHandle, ServerStats,
};
use smpp_std::session::{
    Answer, Error as SessionError, Handle, Incoming, PduCount, SmResponse, Traffic,
};
use smpp_std::text::{decode_to_string, deliver_sms, submit_sms};
use smpp_std::{BindBuilder, HeaderOnlyBuilder, Pdu, PduCodec, SubmitSm, SubmitSmBuilder};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::{broadcast, watch};
use tokio_util::codec::Framed;

/// Messages the bulk ESME submits, in two batches.
const MESSAGES: usize = 12_000;
/// Requests each session may have outstanding before it waits for responses.
const WINDOW: usize = 256;
/// The bulk ESME's sessions, and the most its account may bind.
const BULK_BINDS: usize = 2;
const PASSWORD: &str = "s3cret";
/// The accounts of the SMSC.
const BULK: &str = "bulk";
const INBOX: &str = "inbox";
const PROBE: &str = "probe";
/// The numbers the inbox ESME serves (its bind's `address_range`), and
/// how often the bulk ESME sends to one of them.
const INBOX_RANGE: &str = "^4477009";
const ROUTED_EVERY: usize = 25;
/// The handset that sends the long mobile-originated message.
const HANDSET: &str = "447700500123";
/// The longest anyone waits for anything.
const PATIENCE: Duration = Duration::from_secs(30);

const PLAIN: &str = "Your code is 4711";
const FLASH: &str = "ALERT: flash message";
const LONG_GSM: &str = "Your parcel 4711 is out for delivery today between 10:00 and 12:00. \
    Reply {STOP} to stop updates; fees: €0.00 [free]. Track it at example.com/t/4711 ~ thanks! \
    This text is longer than one SMS, so it travels in parts.";
const UNICODE: &str = "Доставка сегодня 🚚📦 — спасибо, что выбрали нас! 你好 🎉 \
    This line mixes scripts and emoji, so it must go as UCS-2 in two parts.";
const MO_TEXT: &str = "Привет! Ответ абонента: заказ получен, всё в порядке. \
    Большое спасибо за быструю доставку и отличный сервис. До свидания! 👋";
/// The WSP/WBXML octets of the WAP push.
const WSP: [u8; 15] = [
    0x01, 0x06, 0x04, 0x03, 0xAE, 0x81, 0xEA, 0x02, 0x05, 0x6A, 0x00, 0x45, 0xC6, 0x0C, 0x03,
];

/// The kinds of message in the mix, chosen round-robin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Plain,
    LongGsm,
    Unicode,
    Sar,
    WapPush,
    Flash,
    Payload,
}

const KINDS: [Kind; 7] = [
    Kind::Plain,
    Kind::LongGsm,
    Kind::Unicode,
    Kind::Sar,
    Kind::WapPush,
    Kind::Flash,
    Kind::Payload,
];

type Res<T> = Result<T, Box<dyn Error + Send + Sync>>;

#[tokio::main]
async fn main() -> Res<()> {
    let start = Instant::now();

    // One server, two listeners: plain TCP and TLS.
    let (server_tls, client_tls) = pki()?;
    let smsc = Arc::new(Smsc::default());
    let config = Config::mc()
        .with_system_id("SMSC")?
        .with_interface_version(InterfaceVersion::V50)
        .with_window(WINDOW);
    let server = Server::bind("127.0.0.1:0", config, Arc::clone(&smsc))
        .await?
        .listen_tls("127.0.0.1:0", server_tls)
        .await?
        .with_account(BULK, AccountLimits::default().with_max_binds(BULK_BINDS));
    let [plain, tls] = server.local_addrs()[..] else {
        return Err("the server listens on two addresses".into());
    };
    println!("SMSC on {plain} (plain TCP) and {tls} (TLS, a certificate made at start)");
    let server_handle = server.handle();
    let serving = tokio::spawn(server.run());

    let run = run_esmes(&smsc, &server_handle, (plain, tls), client_tls, start).await;
    // What went wrong at the SMSC, if anything, explains the rest.
    let run = run.map_err(|e| smsc.failure().map_or(e, Into::into))?;
    server_handle.shutdown();
    serving.await?;
    report(&smsc, &server_handle, &run, start.elapsed())
}

/// What the ESMEs did.
struct Run {
    bulk: Bulk,
    inbox: Handle,
    inbox_messages: watch::Receiver<InboxMessages>,
    first: Batch,
    second: Batch,
    /// The answer to the raw peer's malformed `submit_sm`.
    rejected: (CommandStatus, u32),
    /// The session the SMSC closed between the batches.
    dropped: u64,
}

/// Runs the ESMEs against the SMSC at `plain` and `tls`, from their binds
/// to their unbinds.
async fn run_esmes(
    smsc: &Smsc,
    server: &ServerHandle,
    (plain, tls): (SocketAddr, SocketAddr),
    client_tls: Arc<rustls::ClientConfig>,
    start: Instant,
) -> Res<Run> {
    // The inbox: a receiver over plain TCP, for the numbers of its range.
    let (inbox, inbox_messages, inbox_task) = start_inbox(plain).await?;

    // The bulk ESME: two transceivers over TLS, kept bound.
    let bulk = start_bulk(tls, Arc::clone(&client_tls), start)?;
    bulk.esme.wait_bound(BULK_BINDS).await?;
    // The account may bind twice: a third bind is refused.
    match client::connect_tls(tls, "localhost", client_tls, bulk_config()?).await {
        Err(SessionError::BindRefused(status)) => println!(
            "a third bind of account {BULK} refused with {status} (the account may bind \
             {BULK_BINDS} times)"
        ),
        other => return Err(format!("a third bind of {BULK}: {other:?}").into()),
    }

    // Batch 1, while a raw peer sends its malformed submit_sm.
    let raw = tokio::spawn(raw_peer(plain));
    let first = submit_batch(&bulk.esme, 0..MESSAGES / 2).await?;
    let rejected = raw.await??;
    bulk.all_receipts(first.ids.len()).await?;
    first.print("batch 1");

    // A quiet moment: every response and receipt answered, both ways. The
    // SMSC drops one of the bulk ESME's sessions.
    smsc.quiet().await?;
    let dropped = drop_session(server, BULK).ok_or("no session of bulk to drop")?;
    println!(
        "SMSC closes bulk session #{} (from {}) between the batches",
        dropped.id(),
        dropped
            .peer_addr()
            .map_or_else(|| "?".to_owned(), |a| a.to_string())
    );
    bulk.wait_events(|log| {
        log.iter()
            .any(|e| matches!(e, EsmeEvent::Disconnected { .. }))
    })
    .await?;

    // Batch 2 goes out on the session left; the other joins once bound
    // again.
    let second = submit_batch(&bulk.esme, MESSAGES / 2..MESSAGES).await?;
    bulk.all_receipts(first.ids.len() + second.ids.len())
        .await?;
    second.print("batch 2");
    let bound = bulk.events_of(|e| matches!(e, EsmeEvent::Bound { .. }));
    if bound != BULK_BINDS + 1 {
        return Err(format!("{bound} binds of the bulk ESME, not {}", BULK_BINDS + 1).into());
    }

    // Keep-alive on every session, then unbind.
    let sessions = bulk.esme.sessions();
    for session in &sessions {
        session.enquire_link().await?;
    }
    inbox.enquire_link().await?;
    println!(
        "enquire_link answered on {} bulk sessions and the inbox; unbinding",
        sessions.len()
    );
    // Every routed message in, every deliver_sm of the SMSC answered.
    let routed = routed_messages().len();
    wait_for(&inbox_messages, |m| m.count >= routed, "routed messages").await?;
    smsc.quiet().await?;
    bulk.esme.unbind().await;
    // Every session unbound and the ESME stopped (the events of the last
    // session and of the ESME come in either order).
    bulk.wait_events(|log| {
        let unbound = |e: &&EsmeEvent| {
            matches!(
                e,
                EsmeEvent::Disconnected {
                    reason: CloseReason::Unbound,
                    ..
                }
            )
        };
        log.contains(&EsmeEvent::Stopped) && log.iter().filter(unbound).count() == BULK_BINDS
    })
    .await?;
    inbox.unbind().await?;
    inbox_task.await?;
    Ok(Run {
        bulk,
        inbox,
        inbox_messages,
        first,
        second,
        rejected,
        dropped: dropped.id(),
    })
}

/// Checks what each side saw against the others, and prints it with the
/// metrics.
fn report(smsc: &Smsc, server: &ServerHandle, run: &Run, elapsed: Duration) -> Res<()> {
    let smsc_report = smsc.report()?;
    let esme = run.bulk.report(&[&run.first, &run.second])?;
    let inbox_report = check_inbox(&run.inbox_messages.borrow(), &routed_messages())?;
    println!();
    println!("== SMSC");
    smsc_report.print(run.dropped, run.rejected);
    println!("== bulk ESME");
    esme.print();
    println!("== inbox ESME");
    println!(
        "  {} messages to numbers of {INBOX_RANGE}, as {} deliver_sm; each reassembled and equal \
         to what was\n    sent, none missing, none twice",
        inbox_report.messages, inbox_report.parts
    );

    println!();
    println!("== Metrics, at the end ({elapsed:.2?} after the start)");
    let server_traffic = server.traffic();
    let server_stats = server.stats();
    let esme_traffic = run.bulk.esme.traffic();
    let inbox_stats = run.inbox.stats();
    print_traffic(
        "SMSC, every session (ServerHandle::traffic)",
        &server_traffic,
    );
    print_stats(&server_stats);
    print_traffic(
        "bulk ESME, its sessions and the one dropped (Esme::traffic)",
        &esme_traffic,
    );
    println!(
        "inbox ESME (Handle::stats): {} deliver_sm in, {} deliver_sm_resp out, {} outstanding",
        inbox_stats.traffic.received_of(CommandId::DELIVER_SM),
        inbox_stats.traffic.sent_of(CommandId::DELIVER_SM_RESP),
        inbox_stats.outstanding
    );

    // What each side counted agrees with the others.
    let pdus = run.first.pdus + run.second.pdus;
    let expect = |ok: bool, what: &str| if ok { Ok(()) } else { Err(what.to_owned()) };
    expect(
        smsc_report.accepted == pdus && smsc_report.duplicates == 0,
        "the SMSC did not take every submit_sm of the bulk ESME exactly once",
    )?;
    expect(
        smsc_report.rejected == 1 && smsc_report.reject_status == CommandStatus::ESME_RINVSRCADR,
        "the SMSC did not see exactly the one malformed submit_sm",
    )?;
    expect(
        smsc_report.messages == MESSAGES,
        "the SMSC did not reassemble every message",
    )?;
    expect(
        smsc_report.receipts == pdus,
        "a receipt was not answered ESME_ROK",
    )?;
    expect(
        smsc_report.routed_parts == inbox_report.parts,
        "the inbox did not get every routed part",
    )?;
    expect(
        esme_traffic.sent_of(CommandId::SUBMIT_SM) == u64::try_from(pdus)?,
        "the bulk ESME wrote a submit_sm more than once",
    )?;
    // The raw peer's two submit_sm, the malformed one included.
    expect(
        server_traffic.received_of(CommandId::SUBMIT_SM) == u64::try_from(pdus + 2)?,
        "the server's count of submit_sm differs",
    )?;
    expect(
        server_traffic.timeouts == 0 && esme_traffic.timeouts == 0,
        "a request timed out",
    )?;
    expect(
        server_stats.binds_refused_account >= 1,
        "the third bind was not counted",
    )?;
    println!("\nevery check passed");
    Ok(())
}

/// A certificate for `localhost`, made now: the server's configuration
/// with it and its key, and a client configuration that trusts it.
fn pki() -> Res<(Arc<rustls::ServerConfig>, Arc<rustls::ClientConfig>)> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let certified = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])?;
    let cert = certified.cert.der().clone();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(certified.signing_key.serialize_der().into());
    let server = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
        .with_safe_default_protocol_versions()?
        .with_no_client_auth()
        .with_single_cert(vec![cert.clone()], key)?;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(cert)?;
    let client = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    Ok((Arc::new(server), Arc::new(client)))
}

/// Closes one bound session of `account`, as an SMSC does when it moves a
/// link to another node.
fn drop_session(server: &ServerHandle, account: &str) -> Option<Handle> {
    let session = server.sessions().into_iter().find(|s| {
        s.system_id()
            .is_some_and(|id| id.as_bytes() == account.as_bytes())
    })?;
    session.close();
    Some(session)
}

/// Waits until `watched` satisfies `done`, or fails after [`PATIENCE`].
async fn wait_for<T>(watched: &watch::Receiver<T>, done: impl Fn(&T) -> bool, what: &str) -> Res<()>
where
    T: Failing,
{
    let mut watched = watched.clone();
    let finished = tokio::time::timeout(
        PATIENCE,
        watched.wait_for(|t| t.failure().is_some() || done(t)),
    )
    .await
    .is_ok_and(|r| r.is_ok());
    if let Some(failure) = watched.borrow().failure() {
        return Err(failure.to_owned().into());
    }
    if finished {
        Ok(())
    } else {
        Err(format!("timed out waiting for the {what}").into())
    }
}

/// What a receiving task learnt, with the first thing that went wrong.
trait Failing {
    fn failure(&self) -> Option<&str>;
}

// ---------------------------------------------------------------- SMSC side

/// What the SMSC saw.
#[derive(Default)]
struct SmscReport {
    submit_sm: usize,
    /// `submit_sm` of the bulk ESME taken (each part once).
    accepted: usize,
    /// Parts taken a second time.
    duplicates: usize,
    /// Messages of the bulk ESME complete, and how many were long.
    messages: usize,
    long_reassembled: usize,
    payloads: usize,
    wap_port: u16,
    wap_pushes: usize,
    flash: usize,
    /// `submit_sm` per session of the bulk ESME, by session id.
    per_session: BTreeMap<u64, usize>,
    /// `deliver_sm` answered `ESME_ROK`: receipts, parts routed to the
    /// inbox, parts of the MO message.
    receipts: usize,
    routed_parts: usize,
    mo_parts: usize,
    rejected: usize,
    reject_status: CommandStatus,
}

impl SmscReport {
    /// Prints the report; `dropped` is the session closed between the
    /// batches, `rejected` the answer to the malformed `submit_sm`.
    fn print(&self, dropped: u64, rejected: (CommandStatus, u32)) {
        let last = self.per_session.keys().max().copied();
        let sessions: Vec<String> = self
            .per_session
            .iter()
            .map(|(&id, n)| match id {
                _ if id == dropped => format!("#{id} {n} (closed between the batches)"),
                _ if Some(id) == last => format!("#{id} {n} (bound after)"),
                _ => format!("#{id} {n}"),
            })
            .collect();
        println!(
            "  took {} submit_sm of the bulk ESME, each once (by destination and part), and {} of \
             the raw peer\n    per bulk session: {}",
            self.accepted,
            self.submit_sm - self.accepted,
            sessions.join(", ")
        );
        println!(
            "  reassembled and checked {} messages: {} long (UDH 8-bit and 16-bit, SAR), {} \
             message_payload,\n    {} WAP pushes to port {}, {} flash; each equal to what was sent",
            self.messages,
            self.long_reassembled,
            self.payloads,
            self.wap_pushes,
            self.wap_port,
            self.flash
        );
        println!(
            "  deliver_sm answered ESME_ROK: {} receipts to account {BULK}, {} parts routed to the \
             inbox\n    by its address range, {} parts of an MO message",
            self.receipts, self.routed_parts, self.mo_parts
        );
        println!(
            "  {} malformed submit_sm answered with {} (sequence {}); that session carried on",
            self.rejected, rejected.0, rejected.1
        );
    }
}

/// What the SMSC's handler keeps between calls.
struct SmscState {
    report: SmscReport,
    /// Parts of long messages, by account: one message's parts may come
    /// over several sessions.
    parts: Reassembler<String>,
    /// The parts taken: account, destination, part number.
    seen: HashSet<(String, Bytes, u8)>,
    next_id: u64,
    failure: Option<String>,
}

/// What the SMSC application and its delivery tasks share.
struct Shared {
    state: Mutex<SmscState>,
    /// `deliver_sm` under way (routing, receipts).
    pushing: watch::Sender<usize>,
    mo_sent: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, SmscState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn fail(&self, failure: String) {
        self.lock().failure.get_or_insert(failure);
    }
}

/// The SMSC application: checks the accounts, inspects and answers every
/// message, routes messages to the ESMEs that serve their numbers and a
/// receipt per message to its sender, sends one long MO message.
struct Smsc {
    shared: Arc<Shared>,
}

impl Default for Smsc {
    fn default() -> Self {
        Self {
            shared: Arc::new(Shared {
                state: Mutex::new(SmscState {
                    report: SmscReport::default(),
                    parts: Reassembler::new(reassembly::Config::default()),
                    seen: HashSet::new(),
                    next_id: 0x3860_1fa0,
                    failure: None,
                }),
                pushing: watch::Sender::new(0),
                mo_sent: AtomicBool::new(false),
            }),
        }
    }
}

impl Smsc {
    fn report(&self) -> Res<SmscReport> {
        let mut state = self.shared.lock();
        if let Some(failure) = state.failure.take() {
            return Err(failure.into());
        }
        Ok(core::mem::take(&mut state.report))
    }

    /// The first thing that went wrong, if anything did.
    fn failure(&self) -> Option<String> {
        self.shared.lock().failure.clone()
    }

    /// Waits until no `deliver_sm` is under way.
    async fn quiet(&self) -> Res<()> {
        let mut pushing = self.shared.pushing.subscribe();
        tokio::time::timeout(PATIENCE, pushing.wait_for(|n| *n == 0))
            .await?
            .map(|_| ())
            .map_err(Into::into)
    }

    /// Runs `delivery` (sending `deliver_sm`) in a task of its own, counted
    /// as under way until it is answered.
    fn deliver(&self, delivery: impl Future<Output = Res<()>> + Send + 'static) {
        self.shared.pushing.send_modify(|n| *n += 1);
        let shared = Arc::clone(&self.shared);
        tokio::spawn(async move {
            if let Err(e) = delivery.await {
                shared.fail(e.to_string());
            }
            shared.pushing.send_modify(|n| *n -= 1);
        });
    }
}

/// Delivers what message `id` (one part of it) gives: routed to the ESME
/// bound for its destination if `routed`, then its receipt to
/// `receipt_to`.
async fn deliver_message(
    server: ServerHandle,
    shared: Arc<Shared>,
    (sm, id): (SubmitSm, String),
    routed: bool,
    receipt_to: Option<String>,
) -> Res<()> {
    if routed {
        // A mobile-originated message for the ESME that serves the number:
        // the same user data, as deliver_sm.
        let mo = SubmitSm {
            registered_delivery: RegisteredDelivery::default(),
            ..sm.clone()
        };
        let dest = sm.destination_addr.to_str().unwrap_or_default();
        answered(server.deliver_to_address(dest, mo).await, "routed part")?;
        shared.lock().report.routed_parts += 1;
    }
    if let Some(account) = receipt_to {
        // Through whichever session of the account receives.
        let receipt = receipt(&sm, &id)?;
        answered(
            server.deliver_to_system_id(&account, receipt).await,
            "receipt",
        )?;
        shared.lock().report.receipts += 1;
    }
    Ok(())
}

/// Delivers the long MO message from the handset to `account`.
async fn deliver_mo(server: ServerHandle, shared: Arc<Shared>, account: &str) -> Res<()> {
    for part in mo_parts()? {
        answered(server.deliver_to_system_id(account, part).await, "MO part")?;
        shared.lock().report.mo_parts += 1;
    }
    Ok(())
}

/// An answer to a `deliver_sm` that must be `ESME_ROK`.
fn answered(answer: Result<SmResponse, SessionError>, what: &str) -> Res<()> {
    match answer {
        Ok(resp) if resp.is_ok() => Ok(()),
        other => Err(format!("{what} not delivered: {other:?}").into()),
    }
}

impl Handler for Smsc {
    async fn bind(&self, _cx: &Context, bind: &BindRequest) -> CommandStatus {
        if ![BULK, INBOX, PROBE]
            .iter()
            .any(|a| a.as_bytes() == bind.system_id())
        {
            CommandStatus::ESME_RINVSYSID
        } else if bind.password() != PASSWORD.as_bytes() {
            CommandStatus::ESME_RINVPASWD
        } else {
            CommandStatus::ESME_ROK
        }
    }

    fn bound(&self, cx: &Context) {
        // A long mobile-originated message to the bulk account, once.
        let bulk = cx
            .session()
            .system_id()
            .is_some_and(|s| s.as_bytes() == BULK.as_bytes());
        if bulk && !self.shared.mo_sent.swap(true, Ordering::SeqCst) {
            let server = cx.server().clone();
            self.deliver(deliver_mo(server, Arc::clone(&self.shared), BULK));
        }
    }

    async fn request(&self, cx: &Context, pdu: Pdu) -> Answer {
        let Body::SubmitSm(sm) = pdu.body else {
            return Answer::Status(CommandStatus::ESME_RINVCMDID);
        };
        let account = cx
            .session()
            .system_id()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_owned();
        let id = {
            let mut state = self.shared.lock();
            let state = &mut *state;
            state.report.submit_sm += 1;
            let id = state.next_id;
            state.next_id += 1;
            if account == BULK {
                *state
                    .report
                    .per_session
                    .entry(cx.session().id())
                    .or_default() += 1;
                if let Err(e) = inspect(&sm, state) {
                    state.failure.get_or_insert(e.to_string());
                }
            }
            format!("{id:x}")
        };
        let routed = !cx
            .server()
            .route(sm.destination_addr.to_str().unwrap_or_default())
            .is_empty();
        let wants_receipt = sm.registered_delivery.mc_receipt() != 0;
        if routed || wants_receipt {
            self.deliver(deliver_message(
                cx.server().clone(),
                Arc::clone(&self.shared),
                (sm, id.clone()),
                routed,
                wants_receipt.then_some(account),
            ));
        }
        Answer::message_id(id)
    }

    fn protocol_error(&self, _cx: &Context, error: ProtocolError) {
        // A malformed PDU: the session answered it and carries on.
        if let ProtocolError::Malformed(e) = error {
            let mut state = self.shared.lock();
            state.report.rejected += 1;
            state.report.reject_status = e.command_status();
        }
    }
}

/// Takes one part of the bulk ESME: checks it is new, reassembles the
/// message and checks its content.
fn inspect(sm: &SubmitSm, state: &mut SmscState) -> Res<()> {
    let report = &mut state.report;
    let part = Part::from_deliver_sm(sm)?.map_or(1, |p| p.seq);
    let key = (
        BULK.to_owned(),
        sm.destination_addr.clone().into_inner(),
        part,
    );
    if !state.seen.insert(key) {
        report.duplicates += 1;
        return Err(format!("{} part {part} taken twice", sm.destination_addr).into());
    }
    report.accepted += 1;
    if sm.data_coding.is_flash() {
        report.flash += 1;
    }
    let ports = Udh::split(&sm.short_message)
        .ok()
        .filter(|_| sm.esm_class.udhi())
        .and_then(|(udh, _)| udh.ports().ok().flatten());
    let outcome = state
        .parts
        .insert_deliver_sm(Instant::now(), BULK.to_owned(), sm)?;
    let Outcome::Complete(message) = outcome else {
        return Ok(());
    };
    report.messages += 1;
    if message.parts.len() > 1 {
        report.long_reassembled += 1;
    }
    if sm.tlvs.get(TlvTag::MESSAGE_PAYLOAD).is_some() {
        report.payloads += 1;
    }
    let data = message.concat();
    if let Some((port, _)) = ports {
        report.wap_port = port;
        report.wap_pushes += 1;
        return if data[..] == WSP[..] {
            Ok(())
        } else {
            Err("WAP push octets differ".into())
        };
    }
    let text = decode_to_string(sm.data_coding, Tables::DEFAULT, &data).ok_or("not text")??;
    if [PLAIN, FLASH, LONG_GSM, UNICODE].contains(&text.as_str()) {
        Ok(())
    } else {
        Err(format!("reassembled text differs: {text:?}").into())
    }
}

/// The delivery receipt of message `id`, from the message's destination to
/// its source: the receipt text and TLVs.
fn receipt(sm: &SubmitSm, id: &str) -> Res<smpp_std::DeliverSm> {
    let now = SystemTime::now().duration_since(SystemTime::UNIX_EPOCH)?;
    let date = ReceiptDate::from_unix_seconds(i64::try_from(now.as_secs())?, false)?;
    let receipt = ReceiptBuilder {
        submit_date: Some(date),
        done_date: Some(date),
        ..ReceiptBuilder::new(id.as_bytes(), MessageState::DELIVERED)
    };
    let mut body = smpp_std::receipt::deliver_sm(
        &receipt,
        sm.destination_addr.as_bytes(),
        sm.source_addr.as_bytes(),
    )?;
    body.source_addr_ton = sm.dest_addr_ton;
    body.source_addr_npi = sm.dest_addr_npi;
    body.dest_addr_ton = sm.source_addr_ton;
    body.dest_addr_npi = sm.source_addr_npi;
    Ok(body)
}

/// The `deliver_sm` parts of the long mobile-originated message, in UCS-2.
fn mo_parts() -> Res<Vec<Pdu>> {
    let template = SubmitSmBuilder::deliver_sm(0)
        .source_addr_ton(Ton::INTERNATIONAL)
        .source_addr_npi(Npi::ISDN)
        .source_addr(HANDSET)
        .destination_addr("INFO")
        .build()?;
    Ok(deliver_sms(
        &template,
        Content::Text(MO_TEXT, Encoding::Ucs2),
        Method::Udh8 { reference: 0x5A },
        SplitOptions::default(),
    )?)
}

// ----------------------------------------------------------- bulk ESME side

fn bulk_config() -> Res<Config> {
    Ok(Config::esme(BindType::Transceiver)
        .with_system_id(BULK)?
        .with_password(PASSWORD)?
        .with_interface_version(InterfaceVersion::V34)
        .with_window(WINDOW))
}

/// The bulk ESME, what it received and what happened to its connections.
struct Bulk {
    esme: Esme,
    inbox: watch::Receiver<BulkInbox>,
    events: watch::Receiver<Vec<EsmeEvent>>,
}

/// What the bulk ESME's receiving task learns.
#[derive(Default)]
struct BulkInbox {
    /// Receipts by message id.
    receipts: HashMap<String, usize>,
    count: usize,
    mo_text: Option<String>,
    failure: Option<String>,
}

impl Failing for BulkInbox {
    fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }
}

impl Failing for Vec<EsmeEvent> {
    fn failure(&self) -> Option<&str> {
        None
    }
}

/// Starts the bulk ESME over TLS, with tasks that take the SMSC's requests
/// and print the connections' events.
fn start_bulk(addr: SocketAddr, tls: Arc<rustls::ClientConfig>, start: Instant) -> Res<Bulk> {
    let (esme, incoming) = Esme::builder(addr.to_string(), bulk_config()?)
        .binds(BULK_BINDS)
        .tls("localhost", tls)
        .reconnect(Backoff {
            initial: Duration::from_millis(50),
            max: Duration::from_secs(2),
            factor: 2.0,
        })
        .start()?;
    println!("bulk ESME: client::Esme keeping {BULK_BINDS} bind_transceiver over TLS");
    let (inbox, inbox_rx) = watch::channel(BulkInbox::default());
    tokio::spawn(receive_bulk(incoming, inbox));
    let (events, events_rx) = watch::channel(Vec::new());
    tokio::spawn(follow(esme.events(), events, start));
    Ok(Bulk {
        esme,
        inbox: inbox_rx,
        events: events_rx,
    })
}

impl Bulk {
    /// Waits for `n` receipts in all and the MO message.
    async fn all_receipts(&self, n: usize) -> Res<()> {
        wait_for(
            &self.inbox,
            |i| i.count >= n && i.mo_text.is_some(),
            "receipts",
        )
        .await
    }

    /// Waits until the events so far satisfy `done`.
    async fn wait_events(&self, done: impl Fn(&[EsmeEvent]) -> bool) -> Res<()> {
        wait_for(&self.events, |e| done(e), "ESME's events").await
    }

    /// The events `pick` accepts so far.
    fn events_of(&self, pick: impl Fn(&EsmeEvent) -> bool) -> usize {
        self.events.borrow().iter().filter(|e| pick(e)).count()
    }

    /// Checks what the batches got against what was received.
    fn report(&self, batches: &[&Batch]) -> Res<EsmeReport> {
        let inbox = self.inbox.borrow();
        if let Some(failure) = &inbox.failure {
            return Err(failure.clone().into());
        }
        let ids: Vec<&String> = batches.iter().flat_map(|b| &b.ids).collect();
        let unique: HashSet<&String> = ids.iter().copied().collect();
        if unique.len() != ids.len() {
            return Err("message ids are not unique".into());
        }
        for id in &ids {
            match inbox.receipts.get(*id) {
                Some(1) => {}
                Some(n) => return Err(format!("{n} receipts for {id}").into()),
                None => return Err(format!("no receipt for {id}").into()),
            }
        }
        if inbox.receipts.len() != ids.len() || inbox.count != ids.len() {
            return Err("a receipt for no message of this ESME".into());
        }
        let mo_text = inbox.mo_text.clone().unwrap_or_default();
        if mo_text != MO_TEXT {
            return Err(format!("MO text differs: {mo_text:?}").into());
        }
        let mut by_kind: HashMap<Kind, usize> = HashMap::new();
        for batch in batches {
            for (kind, n) in &batch.by_kind {
                *by_kind.entry(*kind).or_default() += n;
            }
        }
        Ok(EsmeReport {
            messages: batches.iter().map(|b| b.messages).sum(),
            pdus: ids.len(),
            by_kind: KINDS.iter().map(|k| (*k, by_kind[k])).collect(),
            mo_text,
        })
    }
}

/// What the bulk ESME sent and got.
struct EsmeReport {
    messages: usize,
    pdus: usize,
    by_kind: Vec<(Kind, usize)>,
    mo_text: String,
}

impl EsmeReport {
    fn print(&self) {
        let kinds: Vec<String> = self
            .by_kind
            .iter()
            .map(|(kind, n)| format!("{kind:?} {n}"))
            .collect();
        println!(
            "  {} messages as {} submit_sm, each answered once:\n    {}",
            self.messages,
            self.pdus,
            kinds.join(", ")
        );
        println!(
            "  {} receipts, one per submit_sm, each matched to its message id (text and TLV agree)",
            self.pdus
        );
        println!("  MO message reassembled: {:?}", self.mo_text);
    }
}

/// Prints each event of the bulk ESME's connections, and keeps it, for as
/// long as the ESME lives.
async fn follow(
    mut events: broadcast::Receiver<EsmeEvent>,
    log: watch::Sender<Vec<EsmeEvent>>,
    start: Instant,
) {
    loop {
        let event = match events.recv().await {
            Ok(event) => event,
            Err(broadcast::error::RecvError::Lagged(_)) => continue,
            Err(broadcast::error::RecvError::Closed) => break,
        };
        let at = start.elapsed().as_millis();
        let text = match &event {
            EsmeEvent::Connecting { slot } => format!("slot {slot}: connecting"),
            EsmeEvent::Bound { slot, info } => format!(
                "slot {slot}: bound as {:?} to {} (SMPP {:?})",
                info.bind_type, info.system_id, info.version
            ),
            EsmeEvent::Disconnected { slot, reason } => {
                format!("slot {slot}: disconnected ({reason})")
            }
            EsmeEvent::Stopped => "stopped".to_owned(),
            other => format!("{other:?}"),
        };
        println!("  [{at:>5} ms] bulk ESME event: {text}");
        log.send_modify(|l| l.push(event));
    }
}

/// What one batch gave.
struct Batch {
    messages: usize,
    /// `submit_sm` PDUs sent.
    pdus: usize,
    by_kind: HashMap<Kind, usize>,
    /// The message ids of the responses.
    ids: Vec<String>,
    elapsed: Duration,
}

impl Batch {
    fn print(&self, name: &str) {
        println!(
            "{name}: {} messages, {} submit_sm in {:.2?} ({:.0} PDUs/s); all responses and \
             receipts in",
            self.messages,
            self.pdus,
            self.elapsed,
            f64::from(u32::try_from(self.pdus).unwrap_or(u32::MAX)) / self.elapsed.as_secs_f64()
        );
    }
}

/// A response on its way.
type Response = Pin<Box<dyn Future<Output = Result<Pdu, SessionError>> + Send>>;

/// Submits messages `numbers` of the mix through every bound session's
/// window; returns once every response is in.
async fn submit_batch(esme: &Esme, numbers: core::ops::Range<usize>) -> Res<Batch> {
    // One task collects the responses, in order, while the loop below
    // keeps the windows full.
    let (responses, mut collected) = tokio::sync::mpsc::unbounded_channel::<Response>();
    let collecting = tokio::spawn(async move {
        let mut ids = Vec::new();
        while let Some(pending) = collected.recv().await {
            let resp = SmResponse::from(pending.await?);
            if !resp.is_ok() {
                return Err(format!("submit_sm refused with {}", resp.command_status).into());
            }
            ids.push(resp.message_id.to_string());
        }
        Res::Ok(ids)
    });

    let start = Instant::now();
    let mut pdus = 0;
    let mut by_kind: HashMap<Kind, usize> = HashMap::new();
    let messages = numbers.len();
    for n in numbers {
        let kind = KINDS[n % KINDS.len()];
        *by_kind.entry(kind).or_default() += 1;
        for pdu in message(kind, n)? {
            responses
                .send(Box::pin(esme.queue(pdu).await?))
                .map_err(|_| "the responses are no longer collected")?;
            pdus += 1;
        }
    }
    drop(responses);
    let ids = collecting.await??;
    Ok(Batch {
        messages,
        pdus,
        by_kind,
        ids,
        elapsed: start.elapsed(),
    })
}

/// What one request of the SMSC told the bulk ESME.
enum Learned {
    Receipt(String),
    MoText(String),
    Nothing,
}

/// Takes every request of the SMSC, from every session, until the ESME
/// stops: checks receipts, reassembles the MO message, answers each
/// `ESME_ROK`.
async fn receive_bulk(mut incoming: EsmeIncoming, inbox: watch::Sender<BulkInbox>) {
    let mut parts = Reassembler::new(reassembly::Config::default());
    // `EsmeIncoming` waits across reconnections; it ends once the ESME has
    // unbound and every session is closed.
    while let Some(request) = incoming.recv().await {
        let learned = learn_bulk(request.pdu(), &mut parts);
        // Answered before the news spreads: the unbind it may lead to comes
        // after the answer.
        request.respond(Answer::Ok);
        inbox.send_modify(|i| match learned {
            Ok(Learned::Receipt(id)) => {
                *i.receipts.entry(id).or_default() += 1;
                i.count += 1;
            }
            Ok(Learned::MoText(text)) => i.mo_text = Some(text),
            Ok(Learned::Nothing) => {}
            Err(e) => {
                i.failure.get_or_insert(e.to_string());
            }
        });
    }
}

/// Reads one `deliver_sm`: a receipt's message id, or a part of the MO
/// message.
fn learn_bulk(pdu: &Pdu, parts: &mut Reassembler<&'static str>) -> Res<Learned> {
    let Body::DeliverSm(sm) = &pdu.body else {
        return Err(format!("unexpected PDU {:?}", pdu.command_id()).into());
    };
    if sm.esm_class.is_delivery_receipt() {
        let receipt = Receipt::from_deliver_sm(sm);
        if receipt.state() != Some(MessageState::DELIVERED) || receipt.ids_agree() != Some(true) {
            return Err(format!("a receipt not as sent: {receipt:?}").into());
        }
        let id = receipt.message_id().ok_or("a receipt without message id")?;
        return Ok(Learned::Receipt(String::from_utf8_lossy(id).into_owned()));
    }
    let Outcome::Complete(msg) = parts.insert_deliver_sm(Instant::now(), "smsc", sm)? else {
        return Ok(Learned::Nothing);
    };
    let text = decode_to_string(sm.data_coding, Tables::DEFAULT, &msg.concat());
    Ok(Learned::MoText(text.ok_or("MO message is not text")??))
}

// ---------------------------------------------------------- inbox ESME side

/// What the inbox ESME received: each message reassembled, by destination.
#[derive(Default)]
struct InboxMessages {
    /// The `data_coding` and user data of each message, by destination.
    by_dest: HashMap<String, Vec<(DataCoding, Bytes)>>,
    count: usize,
    parts: usize,
    failure: Option<String>,
}

impl Failing for InboxMessages {
    fn failure(&self) -> Option<&str> {
        self.failure.as_deref()
    }
}

/// Binds the inbox as receiver over plain TCP for the numbers of
/// [`INBOX_RANGE`], with a task taking what the SMSC routes to it.
async fn start_inbox(
    addr: SocketAddr,
) -> Res<(
    Handle,
    watch::Receiver<InboxMessages>,
    tokio::task::JoinHandle<()>,
)> {
    let config = Config::esme(BindType::Receiver)
        .with_system_id(INBOX)?
        .with_password(PASSWORD)?
        .with_address_range(Ton::INTERNATIONAL, Npi::ISDN, INBOX_RANGE)?;
    let (inbox, incoming) = client::connect(addr, config).await?;
    let bound = inbox.bind_info().ok_or("bound without bind info")?;
    println!(
        "inbox ESME: bind_receiver over plain TCP for address_range {INBOX_RANGE}, bound to {} \
         (SMPP {:?})",
        bound.system_id, bound.version
    );
    let (messages, messages_rx) = watch::channel(InboxMessages::default());
    let task = tokio::spawn(receive_inbox(incoming, messages));
    Ok((inbox, messages_rx, task))
}

/// Takes every `deliver_sm` routed to the inbox until its session ends,
/// reassembling each message.
async fn receive_inbox(mut incoming: Incoming, messages: watch::Sender<InboxMessages>) {
    let mut parts = Reassembler::new(reassembly::Config::default());
    while let Some(request) = incoming.recv().await {
        let outcome = match &request.pdu().body {
            Body::DeliverSm(sm) => parts
                .insert_deliver_sm(Instant::now(), "smsc", sm)
                .map(|o| (sm.destination_addr.to_string(), sm.data_coding, o))
                .map_err(|e| e.to_string()),
            other => Err(format!("unexpected {:?}", other.command_id())),
        };
        request.respond(Answer::Ok);
        messages.send_modify(|m| match outcome {
            Ok((dest, coding, outcome)) => {
                m.parts += 1;
                if let Outcome::Complete(message) = outcome {
                    m.count += 1;
                    m.by_dest
                        .entry(dest)
                        .or_default()
                        .push((coding, message.concat()));
                }
            }
            Err(e) => {
                m.failure.get_or_insert(e);
            }
        });
    }
}

/// What the inbox got.
struct InboxReport {
    messages: usize,
    parts: usize,
}

/// The messages sent to the inbox's numbers: kind by destination.
fn routed_messages() -> HashMap<String, Kind> {
    (0..MESSAGES)
        .filter(|n| n.is_multiple_of(ROUTED_EVERY))
        .map(|n| (destination(n), KINDS[n % KINDS.len()]))
        .collect()
}

/// Checks the inbox got exactly the routed messages, each once and as sent.
fn check_inbox(got: &InboxMessages, routed: &HashMap<String, Kind>) -> Res<InboxReport> {
    if let Some(failure) = &got.failure {
        return Err(failure.clone().into());
    }
    for (dest, received) in &got.by_dest {
        let kind = routed
            .get(dest)
            .ok_or_else(|| format!("the inbox got a message for {dest}"))?;
        let [(coding, data)] = &received[..] else {
            return Err(format!("the inbox got {} messages for {dest}", received.len()).into());
        };
        let equal = match expected_text(*kind) {
            None => data[..] == WSP[..],
            Some(expected) => decode_to_string(*coding, Tables::DEFAULT, data)
                .and_then(Result::ok)
                .is_some_and(|text| text == expected),
        };
        if !equal {
            return Err(format!("the message for {dest} ({kind:?}) differs").into());
        }
    }
    if got.by_dest.len() != routed.len() {
        return Err(format!(
            "the inbox got {} of {} messages",
            got.by_dest.len(),
            routed.len()
        )
        .into());
    }
    Ok(InboxReport {
        messages: got.count,
        parts: got.parts,
    })
}

// ------------------------------------------------------------ the raw peer

/// A third ESME, written by hand: binds as transmitter, sends a malformed
/// `submit_sm` (a 30-digit `source_addr`, 21 octets at most) and a good
/// one, and unbinds. Returns the malformed one's answer.
async fn raw_peer(addr: SocketAddr) -> Res<(CommandStatus, u32)> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut peer = Framed::new(stream, PduCodec::new());
    let bind = BindBuilder::transmitter(1)
        .system_id(PROBE)
        .password(PASSWORD)
        .build()?;
    peer.send(bind).await?;
    expect(&mut peer, CommandId::BIND_TRANSMITTER_RESP, 1).await?;

    let mut raw = vec![0u8; 16];
    raw.extend_from_slice(b"\0\x01\x01");
    raw.extend_from_slice(&[b'9'; 30]);
    raw.extend_from_slice(b"\0\x01\x01447700200123\0");
    raw.extend_from_slice(&[0; 10]);
    let len = u32::try_from(raw.len())?;
    raw[..4].copy_from_slice(&len.to_be_bytes());
    raw[4..8].copy_from_slice(&CommandId::SUBMIT_SM.0.to_be_bytes());
    raw[12..16].copy_from_slice(&2u32.to_be_bytes());
    peer.get_mut().write_all(&raw).await?;
    let rejected = expect(&mut peer, CommandId::SUBMIT_SM_RESP, 2).await?;

    // The session carried on.
    let good = SubmitSmBuilder::new(3)
        .source_addr("INFO")
        .destination_addr("447700200123")
        .short_message("after the malformed one")
        .build()?;
    peer.send(good).await?;
    let resp = expect(&mut peer, CommandId::SUBMIT_SM_RESP, 3).await?;
    if !resp.command_status.is_ok() {
        return Err(format!("good submit_sm answered with {}", resp.command_status).into());
    }
    peer.send(HeaderOnlyBuilder::unbind(4).build()?).await?;
    expect(&mut peer, CommandId::UNBIND_RESP, 4).await?;
    if rejected.command_status != CommandStatus::ESME_RINVSRCADR {
        return Err(format!(
            "malformed submit_sm answered with {}",
            rejected.command_status
        )
        .into());
    }
    Ok((rejected.command_status, rejected.sequence_number))
}

/// The next PDU of the raw peer, which must be `command_id` for `sequence`.
async fn expect(
    peer: &mut Framed<TcpStream, PduCodec>,
    command_id: CommandId,
    sequence: u32,
) -> Res<Pdu> {
    let next = tokio::time::timeout(PATIENCE, peer.next()).await?;
    let (_, pdu) = next.ok_or("the SMSC closed the raw connection")??;
    let pdu = pdu?;
    if pdu.command_id() != command_id || pdu.sequence_number != sequence {
        return Err(format!("expected {command_id} for {sequence}, got {pdu:?}").into());
    }
    Ok(pdu)
}

// ------------------------------------------------------------- the messages

/// Message `n`'s destination: one of the inbox's numbers for every
/// [`ROUTED_EVERY`]th message, a handset on the mobile network otherwise.
fn destination(n: usize) -> String {
    if n.is_multiple_of(ROUTED_EVERY) {
        format!("4477009{n:05}")
    } else {
        format!("4477001{n:05}")
    }
}

/// The text of a message of `kind`; `None` for the WAP push, which
/// carries [`WSP`].
fn expected_text(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Plain => Some(PLAIN),
        Kind::Flash => Some(FLASH),
        Kind::Unicode => Some(UNICODE),
        Kind::LongGsm | Kind::Sar | Kind::Payload => Some(LONG_GSM),
        Kind::WapPush => None,
    }
}

/// The PDUs of message `n`, of `kind`.
fn message(kind: Kind, n: usize) -> Res<Vec<Pdu>> {
    let template = SubmitSmBuilder::new(0)
        .source_addr_ton(Ton::ALPHANUMERIC)
        .source_addr("INFO")
        .dest_addr_ton(Ton::INTERNATIONAL)
        .dest_addr_npi(Npi::ISDN)
        .destination_addr(destination(n))
        .registered_delivery(RegisteredDelivery::RECEIPT_ON_FINAL)
        .build()?;
    let reference = u16::try_from(n % 65_536)?;
    let gsm = Encoding::Gsm7(Tables::DEFAULT);
    // A WAP push (WSP/WBXML octets) goes to port 2948 from port 9200.
    let ports = [Ie::Port16 {
        dest: 2948,
        src: 9200,
    }];
    let mut options = SplitOptions::default();
    let text = Content::Text(expected_text(kind).unwrap_or_default(), gsm);
    let (content, method) = match kind {
        Kind::Plain | Kind::Flash => (text, Method::Udh8 { reference: 0 }),
        Kind::LongGsm => (
            text,
            Method::Udh8 {
                reference: u8::try_from(n % 256)?,
            },
        ),
        Kind::Unicode => (
            Content::Text(UNICODE, Encoding::Ucs2),
            Method::Udh16 { reference },
        ),
        Kind::Sar => (text, Method::Sar { reference }),
        Kind::Payload => (text, Method::Payload),
        Kind::WapPush => {
            options.ies = &ports;
            (Content::Binary(&WSP), Method::Udh8 { reference: 0 })
        }
    };
    let mut pdus = submit_sms(&template, content, method, options)?;
    if kind == Kind::Flash {
        for pdu in &mut pdus {
            if let Body::SubmitSm(sm) = &mut pdu.body {
                sm.data_coding = DataCoding(0x10); // GSM 7-bit, class 0
            }
        }
    }
    Ok(pdus)
}

// --------------------------------------------------------------- metrics

/// Prints what went over sessions: PDUs by command (a request next to its
/// response) and status, the latency of this side's requests, throttling,
/// timeouts and protocol errors.
fn print_traffic(title: &str, traffic: &Traffic) {
    println!("{title}:");
    println!("    {:<24} {:>8} {:>8}", "command", "in", "out");
    let mut commands: Vec<CommandId> = traffic
        .received
        .iter()
        .chain(&traffic.sent)
        .map(|c| c.command_id)
        .collect();
    commands.sort_by_key(|id| (id.0 & 0x7FFF_FFFF, id.0));
    commands.dedup();
    let ok = |counts: &[PduCount], id: CommandId| -> String {
        let n: u64 = counts
            .iter()
            .filter(|c| c.command_id == id && c.command_status.is_ok())
            .map(|c| c.count)
            .sum();
        if n == 0 {
            "-".to_owned()
        } else {
            n.to_string()
        }
    };
    for id in commands {
        let errors: Vec<String> = [(&traffic.received, "in"), (&traffic.sent, "out")]
            .into_iter()
            .flat_map(|(counts, way)| {
                counts
                    .iter()
                    .filter(move |c| c.command_id == id && !c.command_status.is_ok())
                    .map(move |c| format!("{} {} {way}", c.count, c.command_status))
            })
            .collect();
        let errors = if errors.is_empty() {
            String::new()
        } else {
            format!("   and {}", errors.join(", "))
        };
        println!(
            "    {:<24} {:>8} {:>8}{errors}",
            id.to_string(),
            ok(&traffic.received, id),
            ok(&traffic.sent, id)
        );
    }
    let latency = traffic.latency;
    println!(
        "    response latency of its {} requests: p50 {}, p90 {}, p99 {}, max {}",
        latency.count,
        millis(latency.p50),
        millis(latency.p90),
        millis(latency.p99),
        millis(latency.max)
    );
    println!(
        "    throttled {}, timed out {}, protocol errors of peers {}",
        traffic.throttled, traffic.timeouts, traffic.protocol_errors
    );
}

/// Prints what the server admitted and refused.
fn print_stats(stats: &ServerStats) {
    println!(
        "SMSC admission (ServerHandle::stats): {} connections, {} closed, {} bound now\n    binds \
         refused: {} by an account limit, {} server full; unbound connections evicted: {} (per \
         source {});\n    messages throttled: {}",
        stats.connections,
        stats.closed,
        stats.bound,
        stats.binds_refused_account,
        stats.binds_refused_full,
        stats.evicted_unbound,
        stats.evicted_per_source,
        stats.throttled
    );
}

fn millis(d: Duration) -> String {
    format!("{:.2} ms", d.as_secs_f64() * 1000.0)
}
