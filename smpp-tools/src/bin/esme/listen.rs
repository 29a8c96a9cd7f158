//! `esme listen`: prints each mobile-originated message (long ones
//! joined) and receipt as one JSON line, and acknowledges it once the line
//! is written.

use core::net::{IpAddr, SocketAddr};
use core::sync::atomic::{AtomicBool, Ordering};
use core::time::Duration;
use std::collections::HashMap;
use std::io::Write as _;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use clap::Args;
use serde_json::{Map, Value};
use smpp_core::CommandStatus;
use smpp_core::session::Config;
use smpp_std::Outbind;
use smpp_std::client::{self, Client, Esme, EsmeEvent, EsmeIncoming};
use smpp_std::session::{Answer, Request};
use smpp_tools::message::{Assembler, UserData, receipt_json};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::broadcast::error::RecvError;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::common::{self, Bind, Connection, Stop};

/// `esme listen`.
#[derive(Debug, Args)]
pub(crate) struct ListenArgs {
    #[command(flatten)]
    conn: Connection,
    /// Stops after N messages and receipts (exit code 1 if fewer came
    /// before --timeout-ms).
    #[arg(long, value_name = "N")]
    count: Option<u64>,
    /// Stops after N milliseconds.
    #[arg(long, value_name = "N")]
    timeout_ms: Option<u64>,
    /// Instead of connecting, waits on ADDR:PORT for SMSCs to connect
    /// and send outbind, and binds on each such connection, for as long as
    /// it runs. The address is printed on stderr as
    /// {"outbind_listening":"ADDR:PORT"}.
    // The doc comment is the `--help` text, shown as it is.
    #[allow(clippy::doc_markdown)]
    #[arg(long, value_name = "ADDR:PORT", conflicts_with_all = ["connect", "tls", "binds"])]
    accept_outbind: Option<String>,
    /// Accepts only an outbind carrying this password (any without it).
    #[arg(long, value_name = "PW", requires = "accept_outbind")]
    outbind_password: Option<String>,
}

/// Where the SMSC's requests come from: the sessions the ESME binds, or
/// those bound after an SMSC's outbind.
enum Source {
    /// The ESME, its requests, and the task saying how its sessions fare
    /// ([`report_sessions`]).
    Connected(Esme, EsmeIncoming, JoinHandle<()>),
    Outbind(Outbinds),
}

/// Says on stderr when a session of `esme` is lost and when it is bound
/// again, and what fails meanwhile: once per kind of failure, not at every
/// attempt (the sessions reconnect with a backoff for as long as `listen`
/// runs, and a listener with nothing to print would otherwise not show
/// that its SMSC is gone).
async fn report_sessions(esme: Esme) {
    let mut events = esme.events();
    // What was said last of each session that is not bound.
    let mut said: HashMap<usize, String> = HashMap::new();
    loop {
        let (slot, what) = match events.recv().await {
            Ok(EsmeEvent::Disconnected { slot, reason }) => {
                (slot, format!("lost ({reason}), reconnecting"))
            }
            Ok(EsmeEvent::ConnectFailed { slot, error, .. }) => {
                (slot, format!("cannot connect: {error}"))
            }
            Ok(EsmeEvent::BindFailed { slot, status }) => (
                slot,
                status.map_or_else(
                    || "the bind got no response".to_owned(),
                    |s| format!("bind refused: {s}"),
                ),
            ),
            Ok(EsmeEvent::Bound { slot, .. }) => {
                said.remove(&slot);
                smpp_tools::note!("esme: session {slot} bound");
                continue;
            }
            Ok(EsmeEvent::Stopped) | Err(RecvError::Closed) => return,
            Ok(_) | Err(RecvError::Lagged(_)) => continue,
        };
        if said.get(&slot) != Some(&what) {
            smpp_tools::note!("esme: session {slot} {what}");
            said.insert(slot, what);
        }
    }
}

/// Sessions bound after an outbind, as many as SMSCs send one: each
/// connection waits for its outbind on its own, so one that never sends it
/// (a port probe) holds up no other.
struct Outbinds {
    /// The requests of every session, one at a time: a session waits
    /// (and stops reading) while one of its requests is not taken.
    requests: mpsc::Receiver<Request>,
    /// The sessions bound, for the unbind at the end.
    sessions: Arc<Mutex<Vec<Client>>>,
    accepting: JoinHandle<()>,
}

impl Outbinds {
    fn start(listener: TcpListener, config: Config, password: Option<String>) -> Self {
        let (requests, received) = mpsc::channel(1);
        let sessions = Arc::new(Mutex::new(Vec::new()));
        let accepting = tokio::spawn(accept_outbinds(
            listener,
            OutbindSettings {
                config,
                password,
                failures: Arc::default(),
            },
            requests,
            Arc::clone(&sessions),
        ));
        Self {
            requests: received,
            sessions,
            accepting,
        }
    }

    /// Stops accepting, answers `ESME_RX_T_APPN` to the requests not
    /// taken (the SMSC delivers them again) and unbinds every session.
    async fn unbind(mut self) {
        self.accepting.abort();
        self.requests.close();
        while let Ok(request) = self.requests.try_recv() {
            request.respond(Answer::Status(CommandStatus::ESME_RX_T_APPN));
        }
        let sessions = core::mem::take(&mut *lock(&self.sessions));
        for session in sessions {
            let _ = session.unbind().await;
        }
    }
}

/// How the sessions bound after an outbind are set up.
#[derive(Clone)]
struct OutbindSettings {
    config: Config,
    /// `--outbind-password`: the password an outbind must carry.
    password: Option<String>,
    /// What failed last for each SMSC.
    failures: Arc<Mutex<Failures>>,
}

/// The last failure of each SMSC (by its address: the port of each of
/// its connections differs), so that an SMSC whose outbinds keep failing
/// the same way is reported once, not at every retry, until the failure
/// changes or a session is bound. At most [`Failures::MAX`] addresses are
/// remembered (a port open to the world meets many): beyond them all are
/// forgotten, and each is reported once more.
#[derive(Debug, Default)]
struct Failures {
    last: HashMap<IpAddr, String>,
}

impl Failures {
    const MAX: usize = 1024;

    /// Records that `smsc` failed with `error`: true if this is news (the
    /// first failure since it last bound, or another than the last).
    fn failed(&mut self, smsc: IpAddr, error: &str) -> bool {
        match self.last.get_mut(&smsc) {
            Some(last) if last == error => false,
            Some(last) => {
                error.clone_into(last);
                true
            }
            None => {
                if self.last.len() >= Self::MAX {
                    self.last.clear();
                }
                self.last.insert(smsc, error.to_owned());
                true
            }
        }
    }

    /// `smsc` bound a session: its next failure is news.
    fn bound(&mut self, smsc: IpAddr) {
        self.last.remove(&smsc);
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Accepts the connections of SMSCs for ever, each served by
/// [`serve_outbind`] in a task of its own.
async fn accept_outbinds(
    listener: TcpListener,
    settings: OutbindSettings,
    requests: mpsc::Sender<Request>,
    sessions: Arc<Mutex<Vec<Client>>>,
) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                smpp_tools::note!("esme: --accept-outbind: {e}");
                // Out of descriptors, say: not a busy loop.
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(serve_outbind(
            stream,
            peer,
            settings.clone(),
            requests.clone(),
            Arc::clone(&sessions),
        ));
    }
}

/// Waits for the outbind on `stream`, binds, and hands the session's
/// requests on until it ends (or nobody takes them any more: then
/// `ESME_RX_T_APPN`, and the rest with the session's `Incoming`).
async fn serve_outbind(
    stream: TcpStream,
    peer: SocketAddr,
    settings: OutbindSettings,
    requests: mpsc::Sender<Request>,
    sessions: Arc<Mutex<Vec<Client>>>,
) {
    let OutbindSettings {
        config,
        password,
        failures,
    } = settings;
    // Whether the check refused the outbind (the session then ends as
    // closed locally, which says nothing to an operator).
    let refused = Arc::new(AtomicBool::new(false));
    let check = {
        let refused = Arc::clone(&refused);
        move |outbind: &Outbind| {
            let accepted = password
                .as_ref()
                .is_none_or(|pw| outbind.password.as_bytes() == pw.as_bytes());
            refused.store(!accepted, Ordering::Relaxed);
            accepted
        }
    };
    let (session, mut incoming) = match client::accept_outbind(stream, config, check).await {
        Ok(bound) => bound,
        Err(e) => {
            let e = if refused.load(Ordering::Relaxed) {
                "refused: not the --outbind-password".to_owned()
            } else {
                e.to_string()
            };
            if lock(&failures).failed(peer.ip(), &e) {
                smpp_tools::note!(
                    "esme: outbind from {peer}: {e} (said once while the SMSC's outbinds fail so)"
                );
            }
            return;
        }
    };
    lock(&failures).bound(peer.ip());
    smpp_tools::note!("esme: bound after an outbind from {peer}");
    {
        let mut sessions = lock(&sessions);
        sessions.retain(|s| !s.is_closed());
        sessions.push(session);
    }
    while let Some(request) = incoming.recv().await {
        if let Err(unsent) = requests.send(request).await {
            unsent
                .0
                .respond(Answer::Status(CommandStatus::ESME_RX_T_APPN));
            return;
        }
    }
}

impl Source {
    async fn recv(&mut self) -> Option<Request> {
        match self {
            Self::Connected(_, incoming, _) => incoming.recv().await,
            Self::Outbind(outbinds) => outbinds.requests.recv().await,
        }
    }

    /// Unbinds; requests received but not taken get `ESME_RX_T_APPN`.
    async fn unbind(self) {
        match self {
            Self::Connected(esme, incoming, reporting) => {
                // The sessions closing now are no news.
                reporting.abort();
                drop(incoming);
                esme.unbind().await;
            }
            Self::Outbind(outbinds) => outbinds.unbind().await,
        }
    }
}

/// Starts receiving as the flags say.
async fn source(args: &ListenArgs, stop: &Stop) -> Result<Source, String> {
    let Some(addr) = &args.accept_outbind else {
        let (esme, incoming) = common::start(&args.conn, Bind::Rx, stop, |b| b).await?;
        let reporting = tokio::spawn(report_sessions(esme.clone()));
        return Ok(Source::Connected(esme, incoming, reporting));
    };
    let config = args.conn.config(Bind::Rx)?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("--accept-outbind {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    smpp_tools::note!(
        "{}",
        serde_json::json!({ "outbind_listening": local.to_string() })
    );
    let password = args.outbind_password.clone();
    Ok(Source::Outbind(Outbinds::start(listener, config, password)))
}

fn line(kind: &str, fields: Map<String, Value>) -> String {
    let mut out = Map::new();
    out.insert("type".into(), kind.into());
    out.extend(fields);
    Value::Object(out).to_string()
}

pub(crate) async fn run(args: ListenArgs) -> Result<bool, String> {
    args.conn.check_bind("listen", false)?;
    let stop = Stop::on_signals()?;
    let mut source = source(&args, &stop).await?;
    let deadline = args
        .timeout_ms
        .map(|ms| Instant::now() + Duration::from_millis(ms));
    let until_deadline = async {
        match deadline {
            Some(at) => tokio::time::sleep_until(at).await,
            None => core::future::pending().await,
        }
    };
    tokio::pin!(until_deadline);
    let mut parts = Assembler::<()>::new(Duration::from_secs(300), 1024 * 1024);
    let mut seen = 0u64;
    let mut failed = None;
    let mut out = std::io::stdout();
    while args.count.is_none_or(|count| seen < count) {
        let request = tokio::select! {
            request = source.recv() => request,
            () = stop.stopped() => break,
            () = &mut until_deadline => break,
        };
        let Some(request) = request else {
            break;
        };
        let body = &request.pdu().body;
        let printed = if let Some(receipt) = receipt_json(body) {
            Some(line("receipt", receipt))
        } else if let Some(data) = UserData::of(body) {
            parts.push((), &data, None).map(|message| {
                let mut fields = message.to_json();
                fields.remove("message_ids");
                line("mo", fields)
            })
        } else {
            None
        };
        // A message is acknowledged once its line is written, and only
        // then: a closed stdout gets the SMSC a temporary error, which it
        // retries later, and ends the listener.
        if let Some(printed) = printed {
            if let Err(e) = writeln!(out, "{printed}").and_then(|()| out.flush()) {
                request.respond(Answer::Status(CommandStatus::ESME_RX_T_APPN));
                failed = Some(format!("stdout: {e}"));
                break;
            }
            seen += 1;
        }
        // Dropped: acknowledged with ESME_ROK.
        drop(request);
    }
    source.unbind().await;
    match failed {
        Some(e) => Err(e),
        None => Ok(args.count.is_none_or(|count| seen >= count)),
    }
}

#[cfg(test)]
mod tests {
    use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use super::Failures;

    #[test]
    fn an_smsc_failing_the_same_way_again_is_reported_once() {
        let mut failures = Failures::default();
        let (smsc, other) = (
            IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)),
            IpAddr::V4(Ipv4Addr::new(192, 0, 2, 2)),
        );
        let refused = || "bind refused: ESME_RINVPASWD";
        assert!(failures.failed(smsc, refused()));
        for _ in 0..10 {
            assert!(!failures.failed(smsc, refused()));
        }
        // Another SMSC, another failure, a bind: each is news.
        assert!(failures.failed(other, refused()));
        assert!(failures.failed(smsc, "connection reset"));
        assert!(failures.failed(smsc, refused()));
        failures.bound(smsc);
        assert!(failures.failed(smsc, refused()));
        // Many addresses: no more than MAX are held.
        for n in 0..3 * Failures::MAX {
            let probe = IpAddr::V6(Ipv6Addr::from(u128::try_from(n).unwrap()));
            assert!(failures.failed(probe, "reset"));
            assert!(failures.last.len() <= Failures::MAX);
        }
    }
}
