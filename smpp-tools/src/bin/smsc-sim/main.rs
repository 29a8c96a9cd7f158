//! `smsc-sim`: an SMSC simulator for testing ESMEs and gateways without an
//! operator. It accepts binds of all three kinds, answers `submit_sm`,
//! `submit_multi`, `data_sm`, `query_sm`, `cancel_sm` and `replace_sm`,
//! sends delivery receipts and mobile-originated messages, and reports
//! over HTTP.
//!
//! ```text
//! smsc-sim --listen ADDR:PORT [--listen-tls ADDR:PORT --tls-cert PEM --tls-key PEM]
//!          [--users ID:PW,...] [--dlr-delay-ms N] [--dlr-mix delivered=95,undeliverable=3,expired=2]
//!          [--mo-every-ms N] [--max-binds-per-user N] [--throttle-above N] [--http ADDR:PORT]
//!          [--log-messages FILE|-] [--outbind ADDR:PORT [--outbind-password PW]]
//! ```
//!
//! Once listening it prints one JSON line on stderr with the addresses
//! (`{"listening":..., "tls":..., "http":...}`, handy with port 0). On
//! SIGINT or SIGTERM it unbinds every session and prints its totals as one
//! JSON line on stdout (a second signal exits at once with 1). It does the
//! same, then exits with 2, when a line of `--log-messages` cannot be
//! written; that line's message is refused with `ESME_RSYSERR`, so none is
//! accepted without being logged.

mod http;
mod report;
mod sim;
mod store;

use core::net::SocketAddr;
use core::time::Duration;
use std::collections::HashMap;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::{Arc, Mutex};

use clap::Parser;
use serde_json::{Value, json};
use smpp_core::session::Config;
use smpp_std::SubmitSmBuilder;
use smpp_std::server::{AccountLimits, Server, ServerHandle};
use smpp_std::session::Handle;
use tokio::net::TcpListener;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

use crate::report::Rates;
use crate::sim::{Log, Mix, Settings, Sim, bump, receives};

/// An SMSC simulator: binds, messages, receipts, mobile-originated
/// messages, throttling, statistics over HTTP.
// The doc comments are the `--help` text, shown as they are.
#[allow(clippy::doc_markdown)]
#[derive(Debug, Parser)]
#[command(name = "smsc-sim", version)]
struct Args {
    /// Where ESMEs connect.
    #[arg(long, value_name = "ADDR:PORT")]
    listen: String,
    /// Where ESMEs connect over TLS (needs --tls-cert and --tls-key).
    #[arg(long, value_name = "ADDR:PORT", requires_all = ["tls_cert", "tls_key"])]
    listen_tls: Option<String>,
    /// The certificate chain presented over TLS (PEM, the end entity first).
    #[arg(long, value_name = "PEM", requires = "listen_tls")]
    tls_cert: Option<PathBuf>,
    /// The private key of the certificate (PEM).
    #[arg(long, value_name = "PEM", requires = "listen_tls")]
    tls_key: Option<PathBuf>,
    /// The accounts that may bind; any system_id and password when not
    /// given. A wrong system_id gets ESME_RINVSYSID, a wrong password
    /// ESME_RINVPASWD.
    #[arg(long, value_name = "ID:PW,...", value_delimiter = ',', value_parser = parse_user)]
    users: Vec<(String, String)>,
    /// How long after its acceptance a message reaches its final state and
    /// its receipt goes out.
    #[arg(long, value_name = "N", default_value_t = 0)]
    dlr_delay_ms: u64,
    /// The final states messages reach, with their weights.
    #[arg(long, value_name = "STATE=WEIGHT,...", default_value = "delivered=100", value_parser = Mix::parse)]
    dlr_mix: Mix,
    /// Sends a mobile-originated message to every bound receiver and
    /// transceiver every N milliseconds (a session whose window is full
    /// skips the tick: counted as mo_skipped).
    #[arg(long, value_name = "N")]
    mo_every_ms: Option<u64>,
    /// The most sessions one system_id may have bound at once (more get
    /// ESME_RALYBND).
    #[arg(long, value_name = "N")]
    max_binds_per_user: Option<usize>,
    /// Answers ESME_RTHROTTLED to the message PDUs of a session beyond N
    /// per second.
    #[arg(long, value_name = "N")]
    throttle_above: Option<u32>,
    /// Serves GET /stats, GET /metrics, POST /mo and a status page at GET /
    /// (at most 64 connections at once; a request's head must come within
    /// 5 s of the connection or of the previous response).
    #[arg(long, value_name = "ADDR:PORT")]
    http: Option<String>,
    /// Writes one JSON line per complete message (long ones joined) to
    /// FILE, or to stdout with -. A line that cannot be written (full
    /// disk, closed stdout) refuses its message with ESME_RSYSERR and
    /// shuts the simulator down (exit status 2).
    #[arg(long, value_name = "FILE|-")]
    log_messages: Option<String>,
    /// The simulator's system_id in its bind responses.
    #[arg(long, value_name = "ID", default_value = "smsc-sim")]
    system_id: String,
    /// The most sessions bound at once (more get ESME_RBINDFAIL).
    #[arg(long, value_name = "N")]
    max_sessions: Option<usize>,
    /// Requests (deliver_sm) outstanding at once on each session.
    #[arg(long, value_name = "N", default_value_t = 10)]
    window: usize,
    /// How many accepted messages to keep for query_sm, cancel_sm and
    /// replace_sm (the oldest are forgotten first). A message forgotten
    /// before --dlr-delay-ms is over loses its receipt (receipts_dropped):
    /// keep at least the messages of one delay.
    #[arg(long, value_name = "N", default_value_t = 100_000)]
    keep_messages: usize,
    /// The most receipts held for receivers that cannot take them yet (none
    /// bound, or every window full), over all accounts; beyond it the
    /// account's oldest is dropped (receipts_dropped).
    #[arg(long, value_name = "N", default_value_t = 1_000_000)]
    max_waiting_receipts: usize,
    /// The most connections that have not bound yet, from all sources and
    /// from any one (the oldest is closed to make room): load tests open
    /// many at once from one host.
    #[arg(long, value_name = "N", default_value_t = 4096)]
    max_unbound: usize,
    /// How long the parts of a long (concatenated) message wait for the
    /// others; a message still incomplete then is dropped and counted
    /// (messages_expired, parts_expired).
    #[arg(long, value_name = "N", default_value_t = 300_000)]
    reassembly_timeout_ms: u64,
    /// Connects to an ESME waiting for an outbind at ADDR:PORT (several
    /// separated by commas) and sends it outbind; its bind is then checked
    /// like any other. When the session ends, or the ESME cannot be
    /// reached, it outbinds again after --outbind-retry-ms.
    #[arg(long, value_name = "ADDR:PORT,...", value_delimiter = ',')]
    outbind: Vec<String>,
    /// The password sent in the outbind (the ESME's for this SMSC, at most
    /// 8 characters).
    #[arg(long, value_name = "PW", default_value = "", requires = "outbind")]
    outbind_password: String,
    /// How long to wait before outbinding again.
    #[arg(long, value_name = "N", default_value_t = 1_000, requires = "outbind")]
    outbind_retry_ms: u64,
    /// How long shutting down waits for the sessions to unbind.
    #[arg(long, value_name = "N", default_value_t = 5_000)]
    shutdown_timeout_ms: u64,
}

fn parse_user(s: &str) -> Result<(String, String), String> {
    match s.split_once(':') {
        Some((id, pw)) if !id.is_empty() => Ok((id.to_owned(), pw.to_owned())),
        _ => Err(format!("{s:?}: expected SYSTEM_ID:PASSWORD")),
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut runtime = tokio::runtime::Builder::new_multi_thread();
    smpp_tools::run_tool("smsc-sim", &mut runtime, 2, async {
        run(args).await.map(|()| ExitCode::SUCCESS)
    })
}

fn open_log(target: Option<&str>) -> io::Result<Option<Log>> {
    let writer: Box<dyn Write + Send> = match target {
        None => return Ok(None),
        Some("-") => Box::new(io::stdout()),
        Some(path) => Box::new(BufWriter::new(std::fs::File::create(path)?)),
    };
    Ok(Some(Log::new(writer)))
}

fn settings(args: &Args) -> Result<Settings, String> {
    let users = (!args.users.is_empty()).then(|| {
        args.users
            .iter()
            .map(|(id, pw)| (id.clone().into_bytes(), pw.clone().into_bytes()))
            .collect::<HashMap<_, _>>()
    });
    let log = open_log(args.log_messages.as_deref()).map_err(|e| format!("--log-messages: {e}"))?;
    Ok(Settings {
        users,
        dlr_delay: Duration::from_millis(args.dlr_delay_ms),
        mix: args.dlr_mix.clone(),
        throttle_above: args.throttle_above,
        keep_messages: args.keep_messages,
        max_waiting_receipts: args.max_waiting_receipts,
        window: args.window.max(1),
        log,
        reassembly_timeout: Duration::from_millis(args.reassembly_timeout_ms),
    })
}

/// Outbinds to the ESME at `addr` for ever: again `retry` after each
/// session ends or each attempt fails. A failure is printed on stderr
/// when it differs from the one before.
async fn outbind(server: ServerHandle, sim: Sim, addr: String, password: String, retry: Duration) {
    let mut last = None;
    loop {
        bump(&sim.inner.counters.outbinds);
        let error = match server.outbind(addr.as_str(), &password).await {
            Ok(reason) => format!("session closed: {reason}"),
            Err(e) => {
                bump(&sim.inner.counters.outbinds_failed);
                e.to_string()
            }
        };
        if server.is_shut_down() {
            return;
        }
        if last.as_ref() != Some(&error) {
            smpp_tools::note!("smsc-sim: --outbind {addr}: {error}");
            last = Some(error);
        }
        tokio::time::sleep(retry).await;
    }
}

/// A task outbinding to each ESME of `--outbind`.
fn spawn_outbinds(args: &Args, server: &ServerHandle, sim: &Sim) -> Vec<JoinHandle<()>> {
    let retry = Duration::from_millis(args.outbind_retry_ms.max(1));
    let outbind = |addr: &String| {
        let password = args.outbind_password.clone();
        tokio::spawn(outbind(
            server.clone(),
            sim.clone(),
            addr.clone(),
            password,
            retry,
        ))
    };
    args.outbind.iter().map(outbind).collect()
}

/// The server on `--listen`, with the admission the flags ask for.
async fn server(args: &Args, sim: &Sim) -> Result<Server<Sim>, String> {
    let config = Config::mc()
        .with_system_id(&args.system_id)
        .map_err(|e| format!("--system-id: {e}"))?
        .with_window(args.window.max(1));
    let mut server = Server::bind(&args.listen, config, Arc::new(sim.clone()))
        .await
        .map_err(|e| format!("--listen {}: {e}", args.listen))?
        .with_shutdown_timeout(Duration::from_millis(args.shutdown_timeout_ms))
        .with_max_unbound(args.max_unbound)
        .with_max_unbound_per_source(args.max_unbound);
    if let Some(max) = args.max_binds_per_user {
        server = server.with_account_limits(AccountLimits::UNLIMITED.with_max_binds(max));
    }
    if let Some(max) = args.max_sessions {
        server = server.with_max_connections(max);
    }
    Ok(server)
}

/// The TLS listener of `--listen-tls`, if asked for: its address and the
/// task accepting on it.
async fn listen_tls(
    args: &Args,
    server: &ServerHandle,
    sim: &Sim,
) -> Result<Option<(SocketAddr, JoinHandle<()>)>, String> {
    let (Some(addr), Some(cert), Some(key)) = (&args.listen_tls, &args.tls_cert, &args.tls_key)
    else {
        return Ok(None);
    };
    let config = smpp_tools::tls::server_config(cert, key).map_err(|e| e.to_string())?;
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("--listen-tls {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let acceptor = tokio_rustls::TlsAcceptor::from(config);
    let task = tokio::spawn(accept_tls(
        listener,
        acceptor,
        server.clone(),
        sim.clone(),
        args.max_unbound,
    ));
    Ok(Some((local, task)))
}

/// The HTTP endpoint of `--http`, if asked for: its address and task.
async fn listen_http(
    args: &Args,
    app: http::App,
) -> Result<Option<(SocketAddr, JoinHandle<()>)>, String> {
    let Some(addr) = &args.http else {
        return Ok(None);
    };
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| format!("--http {addr}: {e}"))?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    Ok(Some((local, tokio::spawn(http::serve(listener, app)))))
}

async fn run(args: Args) -> Result<(), String> {
    // An address or a password the outbind cannot use fails now, not at
    // each attempt.
    for addr in &args.outbind {
        smpp_tools::check_host_port("--outbind", addr)?;
    }
    Config::mc()
        .with_password(&args.outbind_password)
        .map_err(|e| format!("--outbind-password: {e}"))?;
    let sim = Sim::new(settings(&args)?);
    let server = server(&args, &sim).await?;
    let handle = server.handle();
    let listening = server.local_addr().map_err(|e| e.to_string())?;
    // Signals are caught from here on: a SIGTERM right after the
    // addresses are printed shuts down cleanly.
    let mut terminate = signal(SignalKind::terminate()).map_err(|e| e.to_string())?;
    let mut interrupt = signal(SignalKind::interrupt()).map_err(|e| e.to_string())?;

    let rates = Arc::new(Mutex::new(Rates::default()));
    let mut tasks = Vec::new();
    {
        let (server, rates) = (handle.clone(), Arc::clone(&rates));
        tasks.push(tokio::spawn(async move {
            report::sample(server, &rates).await;
        }));
    }
    tasks.push(tokio::spawn(
        Arc::clone(&sim.inner).settle_due(handle.clone()),
    ));
    // Long messages too old are dropped (and counted) even when no part
    // comes any more.
    let inner = Arc::clone(&sim.inner);
    tasks.push(tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(1));
        loop {
            tick.tick().await;
            let _ = inner.assembly();
        }
    }));
    let tls = listen_tls(&args, &handle, &sim).await?;
    let app = http::App {
        sim: sim.clone(),
        server: handle.clone(),
        rates,
    };
    let http = listen_http(&args, app).await?;
    let mut addr = |listener: Option<(SocketAddr, JoinHandle<()>)>| {
        listener.map(|(addr, task)| {
            tasks.push(task);
            addr.to_string()
        })
    };
    let line = json!({
        "listening": listening.to_string(),
        "tls": addr(tls),
        "http": addr(http),
    });
    if let Some(every) = args.mo_every_ms {
        tasks.push(tokio::spawn(mo_every(
            Duration::from_millis(every.max(1)),
            handle.clone(),
            sim.clone(),
        )));
    }
    smpp_tools::note!("{line}");

    let serving = tokio::spawn(server.run());
    // Each runs its session: not stopped with the other tasks, so that
    // shutting down unbinds it like any other.
    let outbinds = spawn_outbinds(&args, &handle, &sim);
    let log_failed = async {
        match &sim.inner.settings.log {
            Some(log) => log.failed().await.to_owned(),
            None => core::future::pending().await,
        }
    };
    let failed = tokio::select! {
        _ = terminate.recv() => None,
        _ = interrupt.recv() => None,
        error = log_failed => Some(error),
    };
    handle.shutdown();
    for task in &tasks {
        task.abort();
    }
    tokio::spawn(exit_on_signal(terminate, interrupt));
    let _ = serving.await;
    // Every session is closed: those still connecting or waiting to try
    // again end here.
    for task in &outbinds {
        task.abort();
    }
    let totals = Value::Object(report::totals(&sim.inner, &handle));
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "{totals}");
    let _ = out.flush();
    if let Some(log) = &sim.inner.settings.log {
        log.flush();
    }
    match failed {
        Some(error) => Err(format!("--log-messages: {error}")),
        None => Ok(()),
    }
}

/// Shutting down waits up to `--shutdown-timeout-ms` for sessions that
/// stall: a signal meanwhile exits at once with 1, without the totals.
async fn exit_on_signal(mut terminate: Signal, mut interrupt: Signal) {
    tokio::select! {
        _ = terminate.recv() => {}
        _ = interrupt.recv() => {}
    }
    smpp_tools::note!("smsc-sim: signal again: exiting");
    std::process::exit(1);
}

/// Accepts TLS connections and runs each as a session of the one server,
/// which so routes, limits and shuts down plain and TLS sessions alike.
async fn accept_tls(
    listener: TcpListener,
    acceptor: tokio_rustls::TlsAcceptor,
    server: ServerHandle,
    sim: Sim,
    max_unbound: usize,
) {
    // As many handshakes at once as the server keeps unbound connections.
    let handshakes = Arc::new(Semaphore::new(max_unbound.max(1)));
    loop {
        let Ok((stream, peer)) = listener.accept().await else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let _ = stream.set_nodelay(true);
        let Ok(permit) = Arc::clone(&handshakes).try_acquire_owned() else {
            continue;
        };
        let (acceptor, server, sim) = (acceptor.clone(), server.clone(), sim.clone());
        tokio::spawn(async move {
            let stream =
                tokio::time::timeout(Duration::from_secs(10), acceptor.accept(stream)).await;
            drop(permit);
            if let Ok(Ok(stream)) = stream {
                sim.inner.set_tls(peer, true);
                server.serve(stream, Some(peer)).await;
                sim.inner.set_tls(peer, false);
            }
        });
    }
}

/// The destination of a generated mobile-originated message: the
/// session's `address_range` if it is one address, else a short code.
fn mo_destination(session: &Handle) -> String {
    let range = session
        .bind_info()
        .map(|b| b.address_range.to_string())
        .unwrap_or_default();
    if !range.is_empty() && range.chars().all(|c| c.is_ascii_digit() || c == '+') {
        range
    } else {
        "12345".to_owned()
    }
}

/// Every `every`, a mobile-originated message to each bound receiver and
/// transceiver that has a free window slot. A session whose window is full
/// (its ESME is slow or stopped answering) skips the tick, counted as
/// `mo_skipped`, instead of piling up messages that wait for it.
async fn mo_every(every: Duration, server: ServerHandle, sim: Sim) {
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut n = 0u64;
    loop {
        tick.tick().await;
        for session in server.sessions().into_iter().filter(receives) {
            if session.available_window() == 0 {
                bump(&sim.inner.counters.mo_skipped);
                continue;
            }
            n += 1;
            let pdu = SubmitSmBuilder::deliver_sm(0)
                .source_addr(format!("4477009{:05}", n % 100_000))
                .destination_addr(mo_destination(&session))
                .short_message(format!("MO message {n}"))
                .build();
            let Ok(pdu) = pdu else {
                continue;
            };
            let sim = sim.clone();
            tokio::spawn(async move {
                let sent = session.deliver_sm(pdu).await;
                let counters = &sim.inner.counters;
                bump(match sent {
                    Ok(resp) if resp.is_ok() => &counters.mo_sent,
                    _ => &counters.mo_failed,
                });
            });
        }
    }
}
