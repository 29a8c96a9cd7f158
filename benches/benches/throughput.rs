//! End-to-end throughput: `submit_sm` and `submit_sm_resp` over loopback
//! TCP, 1 and 4 ESMEs, windows 1, 10, 100 and 512, for four pairs of ESME
//! client and SMSC server: this workspace's (`smpp_std::client`,
//! `smpp_std::server`) and the `smpp34` crate's, each with its own and
//! with the other's.
//!
//! Each SMSC runs in a child process of its own (this binary re-run with
//! `--serve ours|smpp34`, a tokio runtime with two workers); the ESMEs run
//! in this process (another two workers). Both SMSCs answer every
//! `submit_sm` at once with the same `message_id`. Every ESME sends the
//! same 160-character GSM `submit_sm` (`smpp_benches::Inputs::submit_sm`)
//! and keeps its window full:
//!
//! - ours: one task queues the messages (`Handle::queue` returns once the
//!   request has a window slot), another awaits the `Pending`s (with
//!   `--ours-per-slot`, ours is driven as smpp34 is instead: a comparison
//!   of the two ways, not the figure of the table);
//! - smpp34: its client has no window of its own (the `window_size` it is
//!   given is only logged), and `send_submit_sm_pdu` sends one request and
//!   waits for its response; `window` tasks per ESME each send, await,
//!   and send again, so at most `window` requests are in flight, as its
//!   own `perf_esme` example does.
//!
//! A round sends a number of `submit_sm`, split evenly among the ESMEs,
//! and takes it over the time until the last response; the figure is the
//! median of `--rounds` rounds (default 5). One round of `--messages`
//! (default 20,000) warms up and sizes the others: each then sends what
//! the warm-up's rate gives in `--round-secs` (default 1 s), at least
//! `--messages`, so that the fast pairs are timed as long as the slow.
//! The four pairs of a cell take their rounds in turn, so that load from
//! elsewhere falls on all of them alike. A round that has not finished
//! after `--timeout` seconds (default 30) is a stall: the cell shows
//! `STALL`, and the bench exits with an error at the end.
//!
//! Run: `cargo bench -p smpp-benches --bench throughput`
//! (`-- --messages 20000 --round-secs 1 --rounds 5 --timeout 30`; a part
//! only: `--esmes 1,4 --windows 10,100 --pairs ours>ours,smpp34>smpp34`).

#![allow(missing_docs, clippy::missing_panics_doc)]

mod loopback;

use core::fmt::Write as _;
use core::net::SocketAddr;
use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use loopback::{
    LOOPBACK, Peer, Smpp34Binder, Smpp34Smsc, Smsc, arg, exit_when_stdin_closes, free_port,
    runtime, smpp34_esme, tell_parent,
};
use smpp_core::session::{BindType, Config};
use smpp_std::server::Server;
use smpp_std::session::{Handle, Pending};
use smpp34::client::{SMSC, SmppClient};
use tokio::sync::mpsc;
use tokio::task::JoinSet;

const ESMES: [usize; 2] = [1, 4];
const WINDOWS: [usize; 4] = [1, 10, 100, 512];

/// How long to connect and bind, and to unbind.
const SETUP_TIMEOUT: Duration = Duration::from_secs(10);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    Ours,
    Smpp34,
}

impl Side {
    fn name(self) -> &'static str {
        match self {
            Self::Ours => "ours",
            Self::Smpp34 => "smpp34",
        }
    }
}

/// (client, server) in the order of the table's columns.
const PAIRS: [(Side, Side); 4] = [
    (Side::Ours, Side::Ours),
    (Side::Smpp34, Side::Smpp34),
    (Side::Ours, Side::Smpp34),
    (Side::Smpp34, Side::Ours),
];

struct Options {
    esmes: Vec<usize>,
    windows: Vec<usize>,
    /// Which of [`PAIRS`] run.
    pairs: [bool; 4],
    messages: usize,
    round_secs: f64,
    rounds: usize,
    /// `--ours-per-slot`: drive our ESME as smpp34's is.
    ours_per_slot: bool,
    timeout: Duration,
}

impl Options {
    fn parse(args: &[String]) -> Self {
        let number = |flag: &str, default: u64| {
            arg(args, flag).map_or(default, |v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("{flag} takes a number, not {v:?}"))
            })
        };
        let list = |flag: &str, default: &[usize]| -> Vec<usize> {
            arg(args, flag).map_or_else(
                || default.to_vec(),
                |v| {
                    v.split(',')
                        .map(|n| n.parse().expect("a list of numbers"))
                        .collect()
                },
            )
        };
        let pairs = arg(args, "--pairs").map_or([true; 4], |v| {
            let wanted: Vec<&str> = v.split(',').collect();
            core::array::from_fn(|i| {
                let (client, server) = PAIRS[i];
                wanted.contains(&format!("{}>{}", client.name(), server.name()).as_str())
            })
        });
        Self {
            esmes: list("--esmes", &ESMES),
            windows: list("--windows", &WINDOWS),
            pairs,
            ours_per_slot: args.iter().any(|a| a == "--ours-per-slot"),
            messages: usize::try_from(number("--messages", 20_000)).expect("a message count"),
            round_secs: arg(args, "--round-secs").map_or(1.0, |v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("--round-secs takes seconds, not {v:?}"))
            }),
            rounds: usize::try_from(number("--rounds", 5).max(1)).expect("a round count"),
            timeout: Duration::from_secs(number("--timeout", 30)),
        }
    }
}

/// The `submit_sm` in each implementation's form, from the same frame.
#[derive(Clone)]
struct Message {
    ours: smpp_std::Body,
    smpp34: smpp34::submit_sm,
}

impl Message {
    fn new() -> Self {
        let frame = smpp_benches::Inputs::new().submit_sm;
        let ours = smpp_std::parse_owned(&Bytes::from(frame.clone()))
            .expect("the submit_sm decodes")
            .body;
        let header = smpp34::CommandHeader::decode(&frame).expect("smpp34 decodes the header");
        let smpp34 = smpp34::submit_sm::decode(header, &frame).expect("smpp34 decodes it");
        assert_eq!(
            smpp34.clone().encode(),
            frame,
            "smpp34 sends the same octets"
        );
        Self { ours, smpp34 }
    }
}

/// The bound ESMEs of one pair.
enum Esmes {
    Ours(Vec<Handle>),
    Smpp34(Vec<(SmppClient, Arc<SMSC>)>),
}

impl Esmes {
    async fn connect(
        client: Side,
        addr: SocketAddr,
        count: usize,
        window: usize,
    ) -> Result<Self, String> {
        match client {
            Side::Ours => {
                let mut esmes = Vec::new();
                for _ in 0..count {
                    let config = Config::esme(BindType::Transmitter)
                        .with_system_id("bench")
                        .and_then(|c| c.with_password("bench"))
                        .map_err(|e| e.to_string())?
                        .with_window(window);
                    let connect = smpp_std::client::connect(addr, config);
                    let (esme, _incoming) = tokio::time::timeout(SETUP_TIMEOUT, connect)
                        .await
                        .map_err(|_| "bind timed out".to_string())?
                        .map_err(|e| format!("bind failed: {e}"))?;
                    esmes.push(esme);
                }
                Ok(Self::Ours(esmes))
            }
            Side::Smpp34 => {
                let mut esmes = Vec::new();
                for _ in 0..count {
                    let (listener, bound) = Smpp34Binder::new();
                    let mut esme = smpp34_esme(addr, listener, window, 5_000);
                    esme.start().await;
                    let smsc = tokio::time::timeout(SETUP_TIMEOUT, bound)
                        .await
                        .map_err(|_| "bind timed out".to_string())?
                        .map_err(|_| "bind failed".to_string())?;
                    esmes.push((esme, Arc::new(smsc)));
                }
                Ok(Self::Smpp34(esmes))
            }
        }
    }

    /// Sends `messages` `submit_sm` through the ESMEs, each keeping its
    /// window full; the messages answered (all of them) and the time until
    /// the last response.
    async fn round(
        &self,
        message: &Message,
        messages: usize,
        window: usize,
        timeout: Duration,
        per_slot: bool,
    ) -> Result<(usize, Duration), String> {
        let count = match self {
            Self::Ours(esmes) => esmes.len(),
            Self::Smpp34(esmes) => esmes.len(),
        };
        let each = messages / count;
        // Dropping the set (a stall) aborts every task of the round.
        let mut tasks: JoinSet<Result<usize, String>> = JoinSet::new();
        let start = Instant::now();
        match self {
            Self::Ours(esmes) if per_slot => {
                // Driven as smpp34 is: `window` tasks per ESME, each sends
                // and awaits the response, then sends again.
                for esme in esmes {
                    let left = Arc::new(AtomicUsize::new(each));
                    for _ in 0..window {
                        let esme = esme.clone();
                        let left = Arc::clone(&left);
                        let body = message.ours.clone();
                        tasks.spawn(async move {
                            let mut ok = 0;
                            while take_one(&left) {
                                match esme.send(body.clone()).await {
                                    Ok(resp) if resp.command_status.is_ok() => ok += 1,
                                    Ok(resp) => return Err(format!("{:?}", resp.command_status)),
                                    Err(e) => return Err(e.to_string()),
                                }
                            }
                            Ok(ok)
                        });
                    }
                }
            }
            Self::Ours(esmes) => {
                for esme in esmes {
                    // One task queues, another awaits the responses.
                    let (tx, mut rx) = mpsc::unbounded_channel::<Pending>();
                    tasks.spawn(async move {
                        let mut ok = 0;
                        while let Some(pending) = rx.recv().await {
                            match pending.await {
                                Ok(resp) if resp.command_status.is_ok() => ok += 1,
                                Ok(resp) => return Err(format!("{:?}", resp.command_status)),
                                Err(e) => return Err(e.to_string()),
                            }
                        }
                        Ok(ok)
                    });
                    let esme = esme.clone();
                    let body = message.ours.clone();
                    tasks.spawn(async move {
                        for _ in 0..each {
                            let pending = esme.queue(body.clone()).await;
                            tx.send(pending.map_err(|e| e.to_string())?)
                                .map_err(|_| "the collector ended".to_string())?;
                        }
                        Ok(0)
                    });
                }
            }
            Self::Smpp34(esmes) => {
                for (_, smsc) in esmes {
                    let left = Arc::new(AtomicUsize::new(each));
                    for _ in 0..window {
                        let smsc = Arc::clone(smsc);
                        let left = Arc::clone(&left);
                        let pdu = message.smpp34.clone();
                        tasks.spawn(async move {
                            let mut ok = 0;
                            while take_one(&left) {
                                match smsc.send_submit_sm_pdu(pdu.clone()).await {
                                    Ok(resp) if resp.is_success() => ok += 1,
                                    Ok(resp) => return Err(format!("{:?}", resp.get_error())),
                                    Err(e) => return Err(format!("{e:?}")),
                                }
                            }
                            Ok(ok)
                        });
                    }
                }
            }
        }
        let all = async {
            let mut ok = 0;
            while let Some(done) = tasks.join_next().await {
                ok += done.map_err(|e| e.to_string())??;
            }
            Ok::<_, String>(ok)
        };
        let ok = tokio::time::timeout(timeout, all)
            .await
            .map_err(|_| format!("STALL: no end after {timeout:?}"))??;
        let elapsed = start.elapsed();
        if ok == each * count {
            Ok((ok, elapsed))
        } else {
            Err(format!("{ok} of {} answered ESME_ROK", each * count))
        }
    }

    async fn unbind(self) {
        match self {
            Self::Ours(esmes) => {
                for esme in esmes {
                    let _ = tokio::time::timeout(SETUP_TIMEOUT, esme.unbind()).await;
                }
            }
            Self::Smpp34(esmes) => {
                for (mut esme, smsc) in esmes {
                    let _ = tokio::time::timeout(SETUP_TIMEOUT, smsc.send_unbind()).await;
                    esme.stop().await;
                }
            }
        }
    }
}

/// Takes one message off what is left to send; false once none is.
fn take_one(left: &AtomicUsize) -> bool {
    left.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
        .is_ok()
}

/// A pair left out with `--pairs`.
const SKIPPED: &str = "skipped";

/// One cell: the median of the rounds, or why there is none.
type Cell = Result<f64, String>;

/// Messages in a round at `rate`: about `round_secs`' worth, at least
/// `--messages`.
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
fn round_size(rate: f64, options: &Options) -> usize {
    let size = (rate * options.round_secs).min(10_000_000.0) as usize;
    size.max(options.messages)
}

#[allow(clippy::cast_precision_loss)]
fn per_second(messages: usize, elapsed: Duration) -> f64 {
    messages as f64 / elapsed.as_secs_f64()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}

/// Every pair at `esmes` ESMEs and `window`, rounds taken in turn.
async fn measure(
    servers: [(Side, SocketAddr); 2],
    esmes: usize,
    window: usize,
    options: &Options,
) -> [Cell; 4] {
    let message = Message::new();
    let addr = |side: Side| {
        servers
            .iter()
            .find(|(s, _)| *s == side)
            .map(|(_, a)| *a)
            .expect("a server of each side")
    };
    let mut pairs = Vec::new();
    for (i, (client, server)) in PAIRS.into_iter().enumerate() {
        pairs.push(if options.pairs[i] {
            Esmes::connect(client, addr(server), esmes, window).await
        } else {
            Err(SKIPPED.to_string())
        });
    }
    let mut rates: [Vec<f64>; 4] = Default::default();
    let mut failed: [Option<String>; 4] = Default::default();
    let mut sizes = [options.messages; 4];
    // One round of warm-up, then the measured ones.
    for round in 0..=options.rounds {
        for (i, pair) in pairs.iter().enumerate() {
            if failed[i].is_some() {
                continue;
            }
            let esmes = match pair {
                Ok(esmes) => esmes,
                Err(e) => {
                    failed[i] = Some(e.clone());
                    continue;
                }
            };
            match esmes
                .round(
                    &message,
                    sizes[i],
                    window,
                    options.timeout,
                    options.ours_per_slot,
                )
                .await
            {
                Ok((answered, elapsed)) if round > 0 => {
                    rates[i].push(per_second(answered, elapsed));
                }
                Ok((answered, elapsed)) => {
                    // Measured rounds last about `round_secs`.
                    let rate = per_second(answered, elapsed);
                    sizes[i] = round_size(rate, options);
                }
                Err(e) => failed[i] = Some(e),
            }
        }
    }
    for pair in pairs.into_iter().flatten() {
        pair.unbind().await;
    }
    let cells: [Cell; 4] = core::array::from_fn(|i| match failed[i].take() {
        Some(e) => Err(e),
        None => Ok(median(core::mem::take(&mut rates[i]))),
    });
    cells
}

/// Child process: an SMSC of `side` on a loopback port, printed on the
/// first line, until the parent closes our standard input.
fn serve(side: &str) {
    exit_when_stdin_closes();
    runtime().block_on(async {
        match side {
            "ours" => {
                let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc))
                    .await
                    .expect("our SMSC listens");
                tell_parent(&server.local_addr().expect("its address").to_string());
                server.run().await;
            }
            "smpp34" => {
                let port = free_port();
                let mut server =
                    smpp34::SmppServer::new(LOOPBACK, port, Arc::new(Smpp34Smsc::default()));
                server.start().await;
                assert!(server.is_alive(), "smpp34's SMSC listens");
                tell_parent(&SocketAddr::new(LOOPBACK, port).to_string());
                core::future::pending::<()>().await;
            }
            other => panic!("--serve ours|smpp34, not {other:?}"),
        }
    });
}

fn rate(cell: &Cell) -> String {
    match cell {
        Ok(r) => format!("{:.1} k", r / 1000.0),
        Err(e) if e.starts_with("STALL") => "STALL".to_string(),
        Err(e) if e == SKIPPED => "-".to_string(),
        Err(_) => "FAILED".to_string(),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(side) = arg(&args, "--serve") {
        serve(side);
        return;
    }
    if !args.iter().any(|a| a == "--bench") {
        // `cargo test --benches` runs bench binaries without `--bench`.
        println!("throughput: measures only under `cargo bench`");
        return;
    }
    let options = Options::parse(&args);
    let mut ours = Peer::spawn(&["--serve", "ours"]);
    let mut theirs = Peer::spawn(&["--serve", "smpp34"]);
    let servers = [
        (Side::Ours, ours.line().parse().expect("an address")),
        (Side::Smpp34, theirs.line().parse().expect("an address")),
    ];
    let runtime = runtime();
    println!(
        "submit_sm + submit_sm_resp per second over loopback TCP (median of {} rounds of about {} s, at least {} messages each); client → server",
        options.rounds, options.round_secs, options.messages
    );
    if options.ours_per_slot {
        println!("our ESMEs driven as smpp34's: `window` tasks each sending and awaiting");
    }
    let mut header = String::from("| ESMEs | window |");
    for (client, server) in PAIRS {
        let _ = write!(header, " {} → {} |", client.name(), server.name());
    }
    header.push_str(" ours ÷ smpp34 |");
    println!("{header}");
    println!("{}", "|---".repeat(PAIRS.len() + 3) + "|");
    let mut problems = Vec::new();
    for &esmes in &options.esmes {
        for &window in &options.windows {
            let cells = runtime.block_on(measure(servers, esmes, window, &options));
            let mut line = format!("| {esmes} | {window} |");
            for cell in &cells {
                let _ = write!(line, " {} |", rate(cell));
            }
            match (&cells[0], &cells[1]) {
                (Ok(a), Ok(b)) => {
                    let _ = write!(line, " {:.2} |", a / b);
                }
                _ => line.push_str(" - |"),
            }
            println!("{line}");
            for ((client, server), cell) in PAIRS.iter().zip(&cells) {
                if let Err(e) = cell
                    && e != SKIPPED
                {
                    problems.push(format!(
                        "{} → {}, {esmes} ESME(s), window {window}: {e}",
                        client.name(),
                        server.name()
                    ));
                }
            }
        }
    }
    drop(runtime);
    ours.stop();
    theirs.stop();
    if !problems.is_empty() {
        for p in &problems {
            eprintln!("{p}");
        }
        std::process::exit(1);
    }
}
