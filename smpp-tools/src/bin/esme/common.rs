//! What the commands share: the connection flags and binding, the
//! messages as PDUs, the receipts as they come.

use core::time::Duration;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, PoisonError};

use clap::{Args, ValueEnum};
use serde_json::{Map, Value};
use smpp_core::session::{BindType, Config, Timers};
use smpp_core::text::choose::{Concatenation, choose_for};
use smpp_core::text::gsm7::Language;
use smpp_core::text::split::{Content, Method, SplitOptions};
use smpp_core::text::udh::Ie;
use smpp_core::{Body, CommandStatus, DataCoding, Npi, RegisteredDelivery, Ton};
use smpp_std::client::{ConnectFailure, Esme, EsmeBuilder, EsmeEvent, EsmeIncoming};
use smpp_std::{COctet, Pdu, SubmitSm};
use smpp_tools::message::receipt_json;
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use tokio::time::Instant;

/// How to reach and bind to the SMSC.
// The doc comments are the `--help` text, shown as they are.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Args)]
pub(crate) struct Connection {
    /// The SMSC (listen: or --accept-outbind).
    #[arg(long, value_name = "ADDR:PORT")]
    pub(crate) connect: Option<String>,
    /// Connects over TLS.
    #[arg(long)]
    pub(crate) tls: bool,
    /// Trusts the certificates of this PEM file instead of the system's
    /// roots.
    #[arg(long, value_name = "PEM", requires = "tls")]
    pub(crate) ca: Option<PathBuf>,
    /// The name the SMSC's certificate must carry (default: the host of
    /// --connect).
    #[arg(long, value_name = "NAME", requires = "tls")]
    pub(crate) server_name: Option<String>,
    /// The account.
    #[arg(long, value_name = "ID")]
    pub(crate) system_id: String,
    /// The account's password.
    #[arg(long, value_name = "PW")]
    pub(crate) password: String,
    /// How to bind (send and bench: trx by default, or tx; listen: rx by
    /// default, or trx).
    #[arg(long, value_enum, value_name = "trx|tx|rx")]
    pub(crate) bind: Option<Bind>,
    /// The bind's system_type.
    #[arg(long, value_name = "T")]
    pub(crate) system_type: Option<String>,
    /// The bind's address_range: the addresses this ESME serves.
    #[arg(long, value_name = "RANGE")]
    pub(crate) address_range: Option<String>,
    /// Requests outstanding at once on each session.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub(crate) window: usize,
    /// Sessions to bind; requests are spread over them.
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub(crate) binds: usize,
    /// How long connecting and binding may take; send and bench stop
    /// when no session has been bound again this long after every one
    /// dropped.
    #[arg(long, value_name = "N", default_value_t = 10_000)]
    pub(crate) connect_timeout_ms: u64,
    /// How long a request waits for its response.
    #[arg(long, value_name = "N", default_value_t = 30_000)]
    pub(crate) response_timeout_ms: u64,
}

/// `--bind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Bind {
    /// A transceiver.
    Trx,
    /// A transmitter.
    Tx,
    /// A receiver.
    Rx,
}

impl Bind {
    fn bind_type(self) -> BindType {
        match self {
            Self::Trx => BindType::Transceiver,
            Self::Tx => BindType::Transmitter,
            Self::Rx => BindType::Receiver,
        }
    }
}

/// `--split`: how long messages are tied together.
// The doc comments are the `--help` text, shown as they are.
#[allow(clippy::doc_markdown)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Split {
    /// A concatenation element with an 8-bit reference in each part.
    Udh,
    /// A concatenation element with a 16-bit reference in each part.
    Udh16,
    /// The SAR TLVs.
    Sar,
    /// Not split: the whole message in one message_payload TLV.
    Payload,
}

impl Split {
    /// The concatenation reference that tells apart the messages split
    /// with `reference`: its low 8 bits in an 8-bit element (`udh`), all
    /// of it otherwise.
    pub(crate) fn key(self, reference: u16) -> u16 {
        match self {
            Self::Udh => reference & 0xFF,
            Self::Udh16 | Self::Sar | Self::Payload => reference,
        }
    }
}

/// The host of `host:port` (`[v6]:port` too), for the TLS server name.
fn host_of(addr: &str) -> String {
    let host = addr.rsplit_once(':').map_or(addr, |(host, _)| host);
    host.trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned()
}

impl Connection {
    /// Refuses a `--bind` that cannot do what `command` does: a receiver
    /// cannot submit (`submits`), a transmitter is delivered nothing.
    pub(crate) fn check_bind(&self, command: &str, submits: bool) -> Result<(), String> {
        match (self.bind, submits) {
            (Some(Bind::Rx), true) => Err(format!(
                "--bind rx: a receiver cannot submit messages ({command} binds as trx or tx)"
            )),
            (Some(Bind::Tx), false) => Err(format!(
                "--bind tx: a transmitter is delivered nothing ({command} binds as rx or trx)"
            )),
            _ => Ok(()),
        }
    }

    /// `--connect`, which every command but `listen --accept-outbind`
    /// needs.
    pub(crate) fn connect(&self) -> Result<&str, String> {
        let addr = self
            .connect
            .as_deref()
            .ok_or_else(|| "--connect ADDR:PORT is required".to_owned())?;
        smpp_tools::check_host_port("--connect", addr)?;
        Ok(addr)
    }

    /// The session configuration of the flags, binding as `default`
    /// unless `--bind` says otherwise.
    pub(crate) fn config(&self, default: Bind) -> Result<Config, String> {
        let bind = self.bind.unwrap_or(default).bind_type();
        let timers = Timers {
            response_timer: Duration::from_millis(self.response_timeout_ms.max(1)),
            ..Timers::DEFAULT
        };
        let mut config = Config::esme(bind)
            .with_system_id(&self.system_id)
            .map_err(|e| format!("--system-id: {e}"))?
            .with_password(&self.password)
            .map_err(|e| format!("--password: {e}"))?
            .with_window(self.window.max(1))
            .with_timers(timers);
        if let Some(system_type) = &self.system_type {
            config = config
                .with_system_type(system_type)
                .map_err(|e| format!("--system-type: {e}"))?;
        }
        if let Some(range) = &self.address_range {
            config = config
                .with_address_range(Ton::UNKNOWN, Npi::UNKNOWN, range)
                .map_err(|e| format!("--address-range: {e}"))?;
        }
        Ok(config)
    }

    /// `--connect-timeout-ms`.
    pub(crate) fn connect_timeout(&self) -> Duration {
        Duration::from_millis(self.connect_timeout_ms.max(1))
    }
}

/// Bind refusals that another attempt cannot cure.
fn is_final_refusal(status: CommandStatus) -> bool {
    matches!(
        status,
        CommandStatus::ESME_RINVPASWD
            | CommandStatus::ESME_RINVSYSID
            | CommandStatus::ESME_RINVSYSTYP
    )
}

/// Why a TLS handshake failed for good, if another attempt cannot cure
/// it: the SMSC's certificate was refused (not trusted, for another name,
/// expired), or the port answered with something other than TLS.
fn tls_failure(kind: ConnectFailure, error: &str) -> Option<String> {
    match kind {
        ConnectFailure::Certificate => Some(error.to_owned()),
        ConnectFailure::NotTls => Some(format!("{error} (not a TLS port?)")),
        _ => None,
    }
}

/// Starts the ESME (as `default` binds unless --bind says otherwise, with
/// `tune` applied to the builder) and waits until every session is bound
/// or the connect timeout runs out with at least one bound; fails at once
/// on a refusal of the credentials or of the SMSC's certificate, on a port
/// that does not speak TLS to `--tls`, or when
/// `stop` is told (a signal).
pub(crate) async fn start(
    conn: &Connection,
    default: Bind,
    stop: &Stop,
    tune: impl FnOnce(EsmeBuilder) -> EsmeBuilder,
) -> Result<(Esme, EsmeIncoming), String> {
    let config = conn.config(default)?;
    let connect = conn.connect()?;
    let connect_timeout = conn.connect_timeout();
    // A request that waits this long for a bound session fails with
    // `Error::NoSession`, never written: `send` and `bench` then stop
    // (`listen` submits nothing).
    let mut builder = Esme::builder(connect.to_owned(), config)
        .binds(conn.binds)
        .connect_timeout(connect_timeout)
        .no_session_timeout(connect_timeout);
    if conn.tls {
        let tls = smpp_tools::tls::client_config(conn.ca.as_deref()).map_err(|e| e.to_string())?;
        let name = conn.server_name.clone().unwrap_or_else(|| host_of(connect));
        builder = builder.tls(&name, tls);
    }
    let (esme, incoming) = tune(builder).start().map_err(|e| e.to_string())?;
    // On this one-threaded runtime the sessions have not run yet: no
    // event is missed.
    let mut events = esme.events();
    let deadline = Instant::now() + connect_timeout;
    let mut bound = 0;
    let mut failure: Option<String> = None;
    while bound < conn.binds.max(1) {
        tokio::select! {
            event = events.recv() => match event {
                Ok(EsmeEvent::Bound { .. }) => bound += 1,
                Ok(EsmeEvent::BindFailed { status: Some(status), .. }) if is_final_refusal(status) => {
                    return Err(format!("bind refused: {status}"));
                }
                Ok(EsmeEvent::BindFailed { status, .. }) => {
                    failure = Some(status.map_or_else(
                        || "the bind got no response".to_owned(),
                        |s| format!("bind refused: {s}"),
                    ));
                }
                Ok(EsmeEvent::ConnectFailed { kind, error, .. }) => {
                    if let Some(error) = tls_failure(kind, &error) {
                        return Err(format!("cannot connect to {connect}: {error}"));
                    }
                    failure = Some(format!("cannot connect to {connect}: {error}"));
                }
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => break,
            },
            () = tokio::time::sleep_until(deadline) => break,
            () = stop.stopped() => {
                let why = stop.reason().unwrap_or("stopped");
                return Err(format!("{why} before every session was bound"));
            }
        }
    }
    let live = esme.sessions().len();
    if live == 0 {
        return Err(failure.unwrap_or_else(|| format!("not bound to {connect} in time")));
    }
    if live < conn.binds {
        smpp_tools::note!(
            "esme: {live} of {} sessions bound{}",
            conn.binds,
            failure.map(|f| format!(" ({f})")).unwrap_or_default()
        );
    }
    Ok((esme, incoming))
}

/// Why a run ends early, once it does: a signal (SIGINT, SIGTERM), or for
/// `send` and `bench` no session bound for the connect timeout (the SMSC
/// went away, or no longer takes the binds).
#[derive(Debug)]
pub(crate) struct Stop {
    reason: Arc<OnceLock<String>>,
    /// Told when `reason` is set.
    told: Arc<Notify>,
}

impl Stop {
    /// Watches for SIGINT and SIGTERM: the first stops the run (which
    /// then waits for the responses to come, unbinds and reports), a
    /// second one exits at once with 1.
    pub(crate) fn on_signals() -> Result<Self, String> {
        let mut terminate = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
        let mut interrupt = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;
        let stop = Self {
            reason: Arc::new(OnceLock::new()),
            told: Arc::new(Notify::new()),
        };
        let (reason, told) = (Arc::clone(&stop.reason), Arc::clone(&stop.told));
        // Runs until the process exits.
        tokio::spawn(async move {
            for _ in 0..2 {
                let name = tokio::select! {
                    _ = interrupt.recv() => "SIGINT",
                    _ = terminate.recv() => "SIGTERM",
                };
                if reason.set(name.to_owned()).is_ok() {
                    smpp_tools::note!("esme: {name}: stopping (again to exit at once)");
                    told.notify_waiters();
                } else {
                    smpp_tools::note!("esme: {name} again: exiting");
                    std::process::exit(crate::exit::INCOMPLETE.into());
                }
            }
        });
        Ok(stop)
    }

    /// Stops the run for `why`, unless it was stopped already (the first
    /// reason stays).
    pub(crate) fn stop(&self, why: String) {
        if self.reason.set(why).is_ok() {
            let why = self.reason().unwrap_or_default();
            smpp_tools::note!("esme: {why}: stopping");
            self.told.notify_waiters();
        }
    }

    /// Why the run was stopped, if it was.
    pub(crate) fn reason(&self) -> Option<&str> {
        self.reason.get().map(String::as_str)
    }

    /// Waits until the run is stopped.
    pub(crate) async fn stopped(&self) {
        loop {
            let told = self.told.notified();
            tokio::pin!(told);
            told.as_mut().enable();
            if self.reason.get().is_some() {
                return;
            }
            told.await;
        }
    }
}

/// Why `send` and `bench` stop when no session is bound: the words of
/// their `stopped`.
pub(crate) fn no_session(patience: Duration) -> String {
    format!("no session bound for {} ms", patience.as_millis())
}

/// Returns once no session of `esme` has been bound for `patience`: the
/// SMSC went away, or no longer takes the binds. For the time nothing is
/// submitted (the requests themselves fail with `Error::NoSession` then).
/// Woken by the ESME's events, not by polling.
pub(crate) async fn unbound_for(esme: &Esme, patience: Duration) {
    let mut events = Some(esme.events());
    let mut unbound_since: Option<Instant> = None;
    loop {
        let bound = esme.sessions().iter().any(|s| !s.is_closed());
        let give_up = if bound {
            unbound_since = None;
            None
        } else {
            Some(*unbound_since.get_or_insert_with(Instant::now) + patience)
        };
        let event = async {
            match &mut events {
                Some(events) => events.recv().await,
                None => core::future::pending().await,
            }
        };
        let timer = async {
            match give_up {
                Some(at) => tokio::time::sleep_until(at).await,
                None => core::future::pending().await,
            }
        };
        tokio::select! {
            event = event => match event {
                // The count starts over from a bind, even one seen before
                // its session is listed.
                Ok(EsmeEvent::Bound { .. }) => unbound_since = None,
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                // No more changes come: only the timer counts.
                Err(RecvError::Closed) => events = None,
            },
            () = timer => {
                if !esme.sessions().iter().any(|s| !s.is_closed()) {
                    return;
                }
            }
        }
    }
}

/// What a message carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Payload {
    Text(String),
    Binary(Vec<u8>),
}

/// A message to submit.
#[derive(Clone, Debug)]
pub(crate) struct Message<'a> {
    pub(crate) from: &'a str,
    pub(crate) to: &'a str,
    pub(crate) payload: &'a Payload,
    pub(crate) dlr: bool,
    pub(crate) flash: bool,
    pub(crate) port: Option<u16>,
    pub(crate) split: Split,
    /// The national languages whose GSM 7-bit tables text may be sent in.
    pub(crate) languages: &'a [Language],
}

/// An address with the type of number it looks like: `+` and digits
/// international, digits unknown (ISDN plan), anything else alphanumeric.
fn address(addr: &str) -> (Ton, Npi, &str) {
    if let Some(digits) = addr.strip_prefix('+') {
        return (Ton::INTERNATIONAL, Npi::ISDN, digits);
    }
    if addr.is_empty() {
        (Ton::UNKNOWN, Npi::UNKNOWN, addr)
    } else if addr.bytes().all(|b| b.is_ascii_digit()) {
        (Ton::UNKNOWN, Npi::ISDN, addr)
    } else {
        (Ton::ALPHANUMERIC, Npi::UNKNOWN, addr)
    }
}

/// The class-0 (flash) form of a `data_coding` of the general group
/// (GSM 7-bit, 8-bit, UCS-2); others are kept.
pub(crate) fn flash(data_coding: DataCoding) -> DataCoding {
    match data_coding.0 {
        0x00 => DataCoding(0x10),
        0x04 => DataCoding(0x14),
        0x08 => DataCoding(0x18),
        other => DataCoding(other),
    }
}

/// The `submit_sm` PDUs of a message: the smallest coding for text (GSM
/// 7-bit, else UCS-2), split as `--split` says, `reference` tying the
/// parts together.
pub(crate) fn submit_sms(message: &Message<'_>, reference: u16) -> Result<Vec<Pdu>, String> {
    let (source_addr_ton, source_addr_npi, from) = address(message.from);
    let (dest_addr_ton, dest_addr_npi, to) = address(message.to);
    let template = SubmitSm {
        source_addr_ton,
        source_addr_npi,
        source_addr: COctet::new(bytes::Bytes::copy_from_slice(from.as_bytes())),
        dest_addr_ton,
        dest_addr_npi,
        destination_addr: COctet::new(bytes::Bytes::copy_from_slice(to.as_bytes())),
        registered_delivery: if message.dlr {
            RegisteredDelivery::RECEIPT_ON_FINAL
        } else {
            RegisteredDelivery::NONE
        },
        ..SubmitSm::default()
    };
    let (method, concatenation) = match message.split {
        Split::Udh => (
            Method::Udh8 {
                reference: u8::try_from(reference & 0xFF).unwrap_or(0),
            },
            Concatenation::Udh8,
        ),
        Split::Udh16 => (Method::Udh16 { reference }, Concatenation::Udh16),
        Split::Sar => (Method::Sar { reference }, Concatenation::Sar),
        Split::Payload => (Method::Payload, Concatenation::Payload),
    };
    let content = match message.payload {
        Payload::Text(text) => {
            Content::Text(text, choose_for(text, message.languages, concatenation))
        }
        Payload::Binary(octets) => Content::Binary(octets),
    };
    let ports = message.port.map(|port| Ie::Port16 {
        dest: port,
        src: port,
    });
    let options = SplitOptions {
        ies: ports.as_slice(),
        ..SplitOptions::default()
    };
    let mut pdus = smpp_std::text::submit_sms(&template, content, method, options)
        .map_err(|e| e.to_string())?;
    if message.flash {
        for pdu in &mut pdus {
            if let Body::SubmitSm(sm) = &mut pdu.body {
                sm.data_coding = flash(sm.data_coding);
            }
        }
    }
    Ok(pdus)
}

/// The `data_coding` of a message's PDUs.
pub(crate) fn data_coding_of(pdus: &[Pdu]) -> Option<u8> {
    pdus.iter().find_map(|p| match &p.body {
        Body::SubmitSm(sm) => Some(sm.data_coding.0),
        _ => None,
    })
}

/// The receipts that came, by the message id they report.
#[derive(Debug)]
pub(crate) struct Receipts {
    seen: Mutex<Seen>,
    /// How many came: changes wake those who wait.
    count: watch::Sender<usize>,
}

/// The receipts kept: with their JSON for `send`'s lines, or only their
/// ids for `bench`, which counts them (an id is all it asks about; the
/// JSON, even an empty map, would hold several times more per message).
#[derive(Debug)]
enum Seen {
    Kept(HashMap<IdKey, Map<String, Value>>),
    Counted(HashSet<IdKey>),
}

/// A message id as `smpp_core::receipt::ids_match` compares it, so that
/// ids it deems the same are equal keys: the number it reads as
/// (hexadecimal when it holds a letter `a`-`f`, decimal otherwise), else
/// its text in lowercase; from the first NUL on nothing counts. Most ids
/// are numbers, held in the key itself.
#[derive(Debug, PartialEq, Eq, Hash)]
enum IdKey {
    Number(u64),
    Text(Box<str>),
}

impl IdKey {
    /// The key of `id`; `None` for an empty id, which matches none.
    fn of(id: &str) -> Option<Self> {
        let id = id.split('\0').next().unwrap_or_default();
        if id.is_empty() {
            return None;
        }
        let hex = id.bytes().any(|b| matches!(b, b'a'..=b'f' | b'A'..=b'F'));
        let radix: u32 = if hex { 16 } else { 10 };
        let number = id.chars().try_fold(0u128, |n, c| {
            n.checked_mul(u128::from(radix))?
                .checked_add(u128::from(c.to_digit(radix)?))
        });
        Some(match number {
            Some(n) => {
                u64::try_from(n).map_or_else(|_| Self::Text(format!("#{n}").into()), Self::Number)
            }
            None => Self::Text(id.to_ascii_lowercase().into()),
        })
    }
}

impl Receipts {
    /// No receipts yet (`keep`: keep their JSON).
    fn new(keep: bool) -> Arc<Self> {
        Arc::new(Self {
            seen: Mutex::new(if keep {
                Seen::Kept(HashMap::new())
            } else {
                Seen::Counted(HashSet::new())
            }),
            count: watch::Sender::new(0),
        })
    }

    /// Reads the SMSC's requests until the ESME has unbound: receipts
    /// are recorded (`keep`: with their JSON), everything is acknowledged.
    pub(crate) fn spawn(mut incoming: EsmeIncoming, keep: bool) -> (Arc<Self>, JoinHandle<()>) {
        let receipts = Self::new(keep);
        let reader = Arc::clone(&receipts);
        let task = tokio::spawn(async move {
            while let Some(request) = incoming.recv().await {
                if let Some(receipt) = receipt_json(&request.pdu().body) {
                    reader.add(receipt);
                }
                // Dropped: answered ESME_ROK.
            }
        });
        (receipts, task)
    }

    fn seen(&self) -> MutexGuard<'_, Seen> {
        self.seen.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn add(&self, receipt: Map<String, Value>) {
        // A receipt without an id (or an empty one) names no message.
        let Some(key) = receipt
            .get("message_id")
            .and_then(Value::as_str)
            .and_then(IdKey::of)
        else {
            return;
        };
        match &mut *self.seen() {
            Seen::Kept(kept) => {
                kept.insert(key, receipt);
            }
            Seen::Counted(ids) => {
                ids.insert(key);
            }
        }
        self.count.send_modify(|n| *n += 1);
    }

    /// The receipt for `id` if it came and was kept: by that id, or the
    /// same number written in another base
    /// (`smpp_core::receipt::ids_match`).
    pub(crate) fn get(&self, id: &str) -> Option<Map<String, Value>> {
        let key = IdKey::of(id)?;
        match &*self.seen() {
            Seen::Kept(kept) => kept.get(&key).cloned(),
            Seen::Counted(_) => None,
        }
    }

    /// True if the receipt for `id` came: by that id, or the same number
    /// written in another base (`smpp_core::receipt::ids_match`).
    pub(crate) fn has(&self, id: &str) -> bool {
        IdKey::of(id).is_some_and(|key| match &*self.seen() {
            Seen::Kept(kept) => kept.contains_key(&key),
            Seen::Counted(ids) => ids.contains(&key),
        })
    }

    /// The octets the receipts counted take, about: each entry of the set
    /// (a pointer and a length, and the table's control octet) and its id.
    #[cfg(test)]
    fn counted_octets(&self) -> Option<usize> {
        let Seen::Counted(ids) = &*self.seen() else {
            return None;
        };
        let entry = size_of::<IdKey>() + 1;
        let text = |key: &IdKey| match key {
            IdKey::Number(_) => 0,
            IdKey::Text(text) => text.len(),
        };
        Some(ids.capacity() * entry + ids.iter().map(text).sum::<usize>())
    }

    /// Waits until `found` holds for every id of `ids`, or until
    /// `deadline`; whether it holds for all. The ids are checked in turn and
    /// each is never checked again once found, so a run of n receipts costs
    /// about n checks in all, however often the count changes (checking
    /// every id at every change costs n² for a bulk run).
    pub(crate) async fn wait_for_all<S: AsRef<str>>(
        &self,
        deadline: Instant,
        ids: &[S],
        mut found: impl FnMut(&Self, &str) -> bool,
    ) -> bool {
        let mut next = 0;
        let mut done = |r: &Self| {
            while let Some(id) = ids.get(next)
                && found(r, id.as_ref())
            {
                next += 1;
            }
            next == ids.len()
        };
        let mut updates = self.count.subscribe();
        loop {
            if done(self) {
                return true;
            }
            tokio::select! {
                changed = updates.changed() => if changed.is_err() { return done(self) },
                () = tokio::time::sleep_until(deadline) => return done(self),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{DataCoding, Npi, Receipts, Ton, address, flash, host_of};

    fn receipt(id: &str) -> serde_json::Map<String, serde_json::Value> {
        let mut r = serde_json::Map::new();
        r.insert("message_id".into(), id.into());
        r
    }

    #[tokio::test]
    async fn waiting_for_receipts_checks_each_id_about_once() {
        let receipts = Receipts::new(false);
        let ids: Vec<String> = (0..2_000).map(|n| format!("{n:010}")).collect();
        let adder = std::sync::Arc::clone(&receipts);
        let expected = ids.clone();
        let feed = tokio::spawn(async move {
            for id in &expected {
                adder.add(receipt(id));
                tokio::task::yield_now().await;
            }
        });
        let mut checks = 0usize;
        let deadline = tokio::time::Instant::now() + core::time::Duration::from_secs(30);
        let all = receipts
            .wait_for_all(deadline, &ids, |r, id| {
                checks += 1;
                r.has(id)
            })
            .await;
        feed.await.unwrap();
        assert!(all);
        // Every id once when found, plus one miss per wake-up at most.
        assert!(checks <= 2 * ids.len() + 1, "{checks} checks");
    }

    #[tokio::test]
    async fn a_missing_receipt_ends_the_wait_at_the_deadline() {
        let receipts = Receipts::new(false);
        receipts.add(receipt("1"));
        let deadline = tokio::time::Instant::now() + core::time::Duration::from_millis(50);
        let ids = ["1", "2"];
        assert!(!receipts.wait_for_all(deadline, &ids, Receipts::has).await);
        receipts.add(receipt("2"));
        assert!(receipts.wait_for_all(deadline, &ids, Receipts::has).await);
    }

    #[test]
    fn receipts_only_counted_keep_their_id_and_little_more() {
        let receipts = Receipts::new(false);
        let ids: Vec<String> = (0..10_000).map(|n| format!("{n:010}")).collect();
        for id in &ids {
            let mut r = receipt(id);
            r.insert("text".into(), "id:0000000001 sub:001 dlvrd:001".into());
            receipts.add(r);
        }
        assert!(ids.iter().all(|id| receipts.has(id)));
        assert!(!receipts.has("0000010000"));
        // Not even an empty map per receipt: the id, a pointer and a
        // length, and the table's slack.
        let octets = receipts.counted_octets().unwrap();
        assert!(octets <= ids.len() * (10 + 2 * 17), "{octets} octets");
        assert_eq!(receipts.get(&ids[0]), None);
        // Kept receipts keep their JSON.
        let kept = Receipts::new(true);
        kept.add(receipt("7"));
        assert_eq!(kept.get("7"), Some(receipt("7")));
        assert_eq!(kept.counted_octets(), None);
    }

    #[test]
    fn receipts_counted_match_ids_in_another_base_as_ids_match_does() {
        let ids = [
            "0059113978",
            "38601fa",
            "38601FA",
            "42",
            "0042",
            "10",
            "16",
            "a",
            "256",
            "100",
            "msg-7",
            "MSG-7",
            "99999999999999999999",
            "99999999999999999999\0",
            "ffffffffffffffffffffffffffffffff1",
            "",
            "\0",
            "+42",
            " 42",
        ];
        for got in ids {
            let receipts = Receipts::new(false);
            receipts.add(receipt(got));
            let kept = Receipts::new(true);
            kept.add(receipt(got));
            for asked in ids {
                let same = smpp_core::receipt::ids_match(got.as_bytes(), asked.as_bytes());
                assert_eq!(receipts.has(asked), same, "{got:?} for {asked:?}");
                assert_eq!(kept.has(asked), same, "{got:?} for {asked:?}");
            }
        }
    }

    #[test]
    fn hosts_of_addresses() {
        assert_eq!(host_of("localhost:2775"), "localhost");
        assert_eq!(host_of("[::1]:2775"), "::1");
        assert_eq!(host_of("smsc.example"), "smsc.example");
    }

    #[test]
    fn addresses_get_a_type_of_number() {
        assert_eq!(
            address("+447700900123"),
            (Ton::INTERNATIONAL, Npi::ISDN, "447700900123")
        );
        assert_eq!(address("12345"), (Ton::UNKNOWN, Npi::ISDN, "12345"));
        assert_eq!(address("INFO"), (Ton::ALPHANUMERIC, Npi::UNKNOWN, "INFO"));
    }

    #[test]
    fn flash_codings_are_class_0() {
        for (plain, class0) in [(0x00, 0x10), (0x04, 0x14), (0x08, 0x18), (0x03, 0x03)] {
            let flashed = flash(DataCoding(plain));
            assert_eq!(flashed, DataCoding(class0));
            if plain != 0x03 {
                assert!(flashed.is_flash());
            }
        }
    }
}
