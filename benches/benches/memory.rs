//! Heap memory per idle connection, on each side, of this workspace's
//! ESME client and SMSC server (`smpp_std::client`, `smpp_std::server`) and
//! of the `smpp34` crate's.
//!
//! Each case runs in a process of its own (this binary re-run with
//! `--measure SIDE IMPL STATE`), whose global allocator counts every heap
//! byte allocated and freed (`stats_alloc`). The other end of the 2,000
//! connections is one more child process (`--peer ...`), so the count sees
//! only the measured side:
//!
//! - server side: the SMSC listens in the measuring process; the peer opens
//!   the connections and either sends nothing (unbound) or binds as a
//!   transmitter with this workspace's client (bound);
//! - client side: the ESMEs connect from the measuring process; the peer
//!   either reads the binds and never answers them (unbound: connected,
//!   bind sent, no answer) or is this workspace's SMSC, which accepts them
//!   (bound).
//!
//! The figure is the live heap (bytes allocated less bytes freed) once the
//! connections are established and settled, less the live heap before the
//! first was opened, divided by their number. Settled: every connection is
//! accepted, every bind sent or answered (the server's counters, the
//! peer's word, the process's open descriptors), then the count holds
//! still for half a second. The servers' timers are set long enough that
//! none fires meanwhile; our server's budget of unbound connections
//! (512 by default, 64 per source address) is raised to the 2,000 measured.
//!
//! Run: `cargo bench -p smpp-benches --bench memory` (`-- --connections N`).

#![allow(missing_docs, clippy::missing_panics_doc)]

mod loopback;

use core::net::SocketAddr;
use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;
use std::alloc::System;
use std::sync::Arc;
use std::time::Instant;

use loopback::{
    LOOPBACK, Peer, Smpp34Binder, Smpp34Smsc, Smsc, arg, exit_when_stdin_closes, free_port,
    runtime, smpp34_esme, tell_parent,
};
use smpp_core::session::{BindType, Config, Timers};
use smpp_std::server::Server;
use stats_alloc::{INSTRUMENTED_SYSTEM, StatsAlloc};
use tokio::io::AsyncReadExt;
use tokio::task::JoinSet;

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// Long enough that no timer fires while a case runs.
const LONG: Duration = Duration::from_mins(10);

/// How long a case may take to settle before it fails.
const SETTLE_TIMEOUT: Duration = Duration::from_mins(2);

/// Connections opened at once.
const CONCURRENCY: usize = 64;

/// The bytes live on the heap now.
fn live() -> i64 {
    let s = GLOBAL.stats();
    i64::try_from(s.bytes_allocated).unwrap_or(i64::MAX)
        - i64::try_from(s.bytes_deallocated).unwrap_or(i64::MAX)
}

/// Descriptors open in this process (Linux), if they can be counted.
fn open_fds() -> Option<usize> {
    std::fs::read_dir("/proc/self/fd").ok().map(Iterator::count)
}

/// Timers that keep an idle session as it is.
fn quiet_timers() -> Timers {
    Timers {
        session_init_timer: Some(LONG),
        enquire_link_timer: Some(LONG),
        response_timer: LONG,
        ..Timers::DEFAULT
    }
}

/// Our SMSC, listening on loopback with quiet timers, admitting up to
/// `unbound` connections not bound yet (from one source or all).
async fn our_smsc(unbound: usize) -> Server<Smsc> {
    let config = Config::mc().with_timers(quiet_timers());
    Server::bind("127.0.0.1:0", config, Arc::new(Smsc))
        .await
        .expect("our SMSC listens")
        .with_max_unbound(unbound)
        .with_max_unbound_per_source(unbound)
}

/// The configuration of a transmitter ESME of ours, with quiet timers.
fn our_esme() -> Config {
    Config::esme(BindType::Transmitter)
        .with_system_id("bench")
        .and_then(|c| c.with_password("bench"))
        .expect("valid credentials")
        .with_timers(quiet_timers())
}

/// Waits until `ready` holds (at most [`SETTLE_TIMEOUT`]), then until the
/// live heap holds still for half a second.
fn settle(what: &str, mut ready: impl FnMut() -> bool) {
    let start = Instant::now();
    while !ready() {
        assert!(
            start.elapsed() < SETTLE_TIMEOUT,
            "{what}: not settled after {SETTLE_TIMEOUT:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    std::thread::sleep(Duration::from_millis(500));
    loop {
        let before = live();
        std::thread::sleep(Duration::from_millis(500));
        if (live() - before).abs() < 4096 {
            return;
        }
        assert!(
            start.elapsed() < SETTLE_TIMEOUT,
            "{what}: the heap keeps changing"
        );
    }
}

/// Waits until `n` more descriptors than `base` are open.
fn fds_at_least(base: Option<usize>, n: usize) -> impl FnMut() -> bool {
    move || match (base, open_fds()) {
        (Some(base), Some(now)) => now >= base + n,
        _ => true,
    }
}

/// Pieces, server side: accepts connections and holds each as `piece`
/// says (the socket alone, in a task, under `server::serve`).
async fn listen_for_pieces(piece: &str, n: usize, future_size: Arc<AtomicUsize>) -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("listens");
    let addr = listener.local_addr().expect("its address");
    let mut held = Vec::with_capacity(n);
    let piece = piece.to_string();
    tokio::spawn(async move {
        let config = Config::mc().with_timers(quiet_timers());
        let handler = Arc::new(Smsc);
        loop {
            let (mut stream, _) = listener.accept().await.expect("accepts");
            let _ = stream.set_nodelay(true);
            match piece.as_str() {
                "socket" => held.push(stream),
                "task" => {
                    tokio::spawn(async move {
                        let mut octet = [0u8; 1];
                        let _ = stream.read(&mut octet).await;
                        core::future::pending::<()>().await;
                    });
                }
                _ => {
                    let session =
                        smpp_std::server::serve(stream, config.clone(), Arc::clone(&handler));
                    future_size.store(size_of_val(&session), Ordering::Relaxed);
                    tokio::spawn(session);
                }
            }
        }
    });
    addr
}

/// Measuring process, server side: our SMSC or smpp34's listens here; the
/// peer process opens `n` connections and binds them or not.
fn measure_server(implementation: &str, bound: bool, n: usize) -> Measured {
    let runtime = runtime();
    let base_fds = open_fds();
    let mut ours = None;
    let mut theirs = None;
    let future_size = Arc::new(AtomicUsize::new(0));
    let addr: SocketAddr = match implementation {
        piece @ ("socket" | "task" | "serve") => {
            runtime.block_on(listen_for_pieces(piece, n, Arc::clone(&future_size)))
        }
        "ours" => runtime.block_on(async {
            let server = our_smsc(n + 16).await;
            let addr = server.local_addr().expect("its address");
            ours = Some(server.handle());
            tokio::spawn(server.run());
            addr
        }),
        "smpp34" => runtime.block_on(async {
            let port = free_port();
            let listener = Arc::new(Smpp34Smsc::default());
            let long = u64::try_from(LONG.as_millis()).expect("milliseconds");
            let mut server = smpp34::SmppServer::new_with_default_timers(
                LOOPBACK,
                port,
                listener.clone(),
                long,
                long,
                long,
                30_000,
                1500,
            );
            server.start().await;
            assert!(server.is_alive(), "smpp34's SMSC listens");
            theirs = Some((server, listener));
            SocketAddr::new(LOOPBACK, port)
        }),
        other => panic!("ours|smpp34, not {other:?}"),
    };
    std::thread::sleep(Duration::from_millis(200));
    let base = live();
    let mode = if bound { "bind" } else { "connect" };
    let mut peer = Peer::spawn(&["--peer", mode, &addr.to_string(), &n.to_string()]);
    assert_eq!(peer.line(), "ready", "the peer opened every connection");
    let listening = base_fds.map(|b| b + 1);
    match (&ours, &theirs) {
        (Some(handle), _) => settle("our server", || {
            let stats = handle.stats();
            if bound {
                stats.bound == n
            } else {
                stats.unbound == n
            }
        }),
        (_, Some((_, listener))) if bound => settle("smpp34's server", || {
            listener.bound.load(Ordering::SeqCst) == n
        }),
        _ => settle("the server", fds_at_least(listening, n)),
    }
    let net = live() - base;
    peer.stop();
    drop(theirs);
    drop(runtime);
    Measured {
        net,
        future_size: future_size.load(Ordering::Relaxed),
    }
}

/// What a measuring process found.
struct Measured {
    /// Live heap bytes added by the connections.
    net: i64,
    /// The size of the future of one connection's session (0: not known),
    /// which its task holds on the heap.
    future_size: usize,
}

/// An ESME of ours waiting for its bind response, in a task.
type Binding = tokio::task::JoinHandle<
    Result<(smpp_std::client::Client, smpp_std::session::Incoming), smpp_std::session::Error>,
>;

/// Pieces, client side: `n` connections, each held as `piece` says (the
/// socket alone, in a task, under `client::bind`); the size of the
/// session's future, if there is one.
async fn connect_pieces(
    piece: &str,
    addr: SocketAddr,
    config: &Config,
    n: usize,
    sockets: &mut Vec<tokio::net::TcpStream>,
    tasks: &mut Vec<Binding>,
) -> usize {
    use tokio::io::AsyncWriteExt;
    let mut future_size = 0;
    for _ in 0..n {
        let mut stream = tokio::net::TcpStream::connect(addr)
            .await
            .expect("connected");
        let _ = stream.set_nodelay(true);
        match piece {
            "socket" => {
                // Something for the peer to read, as a bind would be.
                let _ = stream.write_all(&[0u8; 16]).await;
                sockets.push(stream);
            }
            "task" => {
                let _ = stream.write_all(&[0u8; 16]).await;
                tasks.push(tokio::spawn(async move {
                    let mut octet = [0u8; 1];
                    let _ = stream.read(&mut octet).await;
                    core::future::pending().await
                }));
            }
            _ => {
                let bind = smpp_std::client::bind(stream, config.clone());
                future_size = size_of_val(&bind);
                tasks.push(tokio::spawn(bind));
            }
        }
    }
    future_size
}

/// Connects and binds `n` ESMEs of ours, [`CONCURRENCY`] at a time.
async fn bind_all(
    addr: SocketAddr,
    config: &Config,
    n: usize,
    bound: &mut Vec<(smpp_std::client::Client, smpp_std::session::Incoming)>,
) {
    for chunk in 0..n.div_ceil(CONCURRENCY) {
        let mut binds = JoinSet::new();
        for _ in (chunk * CONCURRENCY)..((chunk + 1) * CONCURRENCY).min(n) {
            binds.spawn(smpp_std::client::connect(addr, config.clone()));
        }
        while let Some(done) = binds.join_next().await {
            bound.push(done.expect("the task").expect("bound"));
        }
    }
}

/// Measuring process, client side: `n` ESMEs of ours or smpp34's connect
/// from here to the peer process, which answers their binds or not.
fn measure_client(implementation: &str, bound: bool, n: usize) -> Measured {
    let runtime = runtime();
    let mode = if bound { "serve-bind" } else { "serve-silent" };
    let mut peer = Peer::spawn(&["--peer", mode, &n.to_string()]);
    let addr: SocketAddr = peer.line().parse().expect("the peer's address");
    let base_fds = open_fds();
    // What the bench itself keeps, allocated before the count starts.
    let mut ours_bound = Vec::with_capacity(n);
    let mut ours_binding = Vec::with_capacity(n);
    let mut theirs = Vec::with_capacity(n);
    let mut theirs_bound = Vec::with_capacity(n);
    let mut sockets = Vec::with_capacity(n);
    let mut future_size = 0;
    let config = our_esme();
    std::thread::sleep(Duration::from_millis(200));
    let base = live();
    let long = u64::try_from(LONG.as_millis()).expect("milliseconds");
    runtime.block_on(async {
        match (implementation, bound) {
            ("ours", true) => {
                bind_all(addr, &config, n, &mut ours_bound).await;
            }
            ("ours", false) => {
                // The bind is never answered: `connect` waits, in a task
                // of its own, for as long as the response timer allows.
                for _ in 0..n {
                    let connect = smpp_std::client::connect(addr, config.clone());
                    future_size = size_of_val(&connect);
                    ours_binding.push(tokio::spawn(connect));
                }
            }
            // Pieces: the socket alone, in a task, under `client::bind`.
            (piece @ ("socket" | "task" | "bind"), false) => {
                future_size =
                    connect_pieces(piece, addr, &config, n, &mut sockets, &mut ours_binding).await;
            }
            ("smpp34", bound) => {
                for _ in 0..n {
                    let (listener, smsc) = Smpp34Binder::new();
                    let mut esme = smpp34_esme(addr, listener, 10, long);
                    // Connects, then sends the bind from a task of its own.
                    esme.start().await;
                    theirs.push((esme, smsc));
                }
                if bound {
                    for (_, smsc) in &mut theirs {
                        let smsc = tokio::time::timeout(SETTLE_TIMEOUT, smsc)
                            .await
                            .expect("bound in time")
                            .expect("bound");
                        theirs_bound.push(smsc);
                    }
                }
            }
            (other, _) => panic!("ours|smpp34, not {other:?}"),
        }
    });
    if bound {
        settle("bound ESMEs", || true);
    } else {
        let mut peer_ready = false;
        settle("ESMEs binding", || {
            if !peer_ready {
                assert_eq!(peer.line(), "ready", "the peer got every bind");
                peer_ready = true;
            }
            fds_at_least(base_fds, n)()
        });
    }
    let net = live() - base;
    drop(runtime);
    peer.stop();
    drop((ours_bound, ours_binding, theirs, theirs_bound, sockets));
    Measured { net, future_size }
}

/// The peer process of a case.
fn peer(mode: &str, args: &[String]) {
    exit_when_stdin_closes();
    let number = |i: usize| -> usize {
        args.get(i)
            .and_then(|v| v.parse().ok())
            .expect("a connection count")
    };
    runtime().block_on(async {
        match mode {
            // Opens the connections and sends nothing.
            "connect" => {
                let addr: SocketAddr = args[0].parse().expect("an address");
                let mut held = Vec::new();
                for _ in 0..number(1) {
                    held.push(
                        tokio::net::TcpStream::connect(addr)
                            .await
                            .expect("connected"),
                    );
                }
                tell_parent("ready");
                core::future::pending::<()>().await;
            }
            // Opens the connections and binds each as a transmitter.
            "bind" => {
                let addr: SocketAddr = args[0].parse().expect("an address");
                let mut held = Vec::new();
                bind_all(addr, &our_esme(), number(1), &mut held).await;
                tell_parent("ready");
                core::future::pending::<()>().await;
            }
            // Accepts connections, reads what comes, answers nothing; says
            // "ready" once `n` connections have each sent a PDU header.
            "serve-silent" => {
                let n = number(0);
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("listens");
                tell_parent(&listener.local_addr().expect("its address").to_string());
                let (heard, mut heard_rx) = tokio::sync::mpsc::unbounded_channel::<()>();
                tokio::spawn(async move {
                    let mut count = 0;
                    while heard_rx.recv().await.is_some() {
                        count += 1;
                        if count == n {
                            tell_parent("ready");
                        }
                    }
                });
                loop {
                    let (mut stream, _) = listener.accept().await.expect("accepts");
                    let heard = heard.clone();
                    tokio::spawn(async move {
                        let mut buf = vec![0u8; 4096];
                        let mut got = 0;
                        let mut told = false;
                        while let Ok(k) = stream.read(&mut buf).await {
                            if k == 0 {
                                break;
                            }
                            got += k;
                            if got >= 16 && !told {
                                told = true;
                                let _ = heard.send(());
                            }
                        }
                    });
                }
            }
            // Our SMSC, accepting every bind.
            "serve-bind" => {
                let server = our_smsc(65_536).await;
                tell_parent(&server.local_addr().expect("its address").to_string());
                server.run().await;
            }
            other => panic!("unknown peer mode {other:?}"),
        }
    });
}

/// The cases: (side, implementation, state).
const CASES: [(&str, &str, &str); 8] = [
    ("server", "ours", "unbound"),
    ("server", "smpp34", "unbound"),
    ("server", "ours", "bound"),
    ("server", "smpp34", "bound"),
    ("client", "ours", "unbound"),
    ("client", "smpp34", "unbound"),
    ("client", "ours", "bound"),
    ("client", "smpp34", "bound"),
];

/// With `--pieces`: where an idle unbound connection of ours goes, built
/// up step by step. (side, piece, what it holds).
const PIECES: [(&str, &str, &str); 6] = [
    (
        "server",
        "socket",
        "the accepted socket alone (tokio's registration)",
    ),
    (
        "server",
        "task",
        "the socket in a task of its own awaiting a read",
    ),
    (
        "server",
        "serve",
        "`server::serve` on the accepted socket: the session, no registry",
    ),
    ("client", "socket", "the connected socket alone"),
    (
        "client",
        "task",
        "the socket in a task of its own awaiting a read",
    ),
    (
        "client",
        "bind",
        "`client::bind` on the connected socket, spawned, bind unanswered",
    ),
];

/// Runs one case in a process of its own; (bytes per connection, future
/// size).
#[allow(clippy::cast_precision_loss)]
fn run_case(side: &str, implementation: &str, state: &str, n: usize) -> (f64, usize) {
    let n_arg = n.to_string();
    let mut case = Peer::spawn(&[
        "--measure",
        side,
        implementation,
        state,
        "--connections",
        &n_arg,
    ]);
    let line = case.line();
    case.stop();
    let mut words = line.split_whitespace();
    let net: i64 = words
        .next()
        .and_then(|w| w.parse().ok())
        .expect("a byte count");
    let future_size = words.next().and_then(|w| w.parse().ok()).unwrap_or(0);
    (net as f64 / n as f64, future_size)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--peer") {
        let mode = args.get(i + 1).expect("a peer mode").clone();
        peer(&mode, &args[i + 2..]);
        return;
    }
    let n: usize = arg(&args, "--connections").map_or(2_000, |v| v.parse().expect("a number"));
    if let Some(i) = args.iter().position(|a| a == "--measure") {
        let side = args.get(i + 1).expect("server|client");
        let implementation = args.get(i + 2).expect("an implementation or piece");
        let bound = args.get(i + 3).expect("bound|unbound") == "bound";
        exit_when_stdin_closes();
        let measured = if side == "server" {
            measure_server(implementation, bound, n)
        } else {
            measure_client(implementation, bound, n)
        };
        tell_parent(&format!("{} {}", measured.net, measured.future_size));
        return;
    }
    if !args.iter().any(|a| a == "--bench") {
        // `cargo test --benches` runs bench binaries without `--bench`.
        println!("memory: measures only under `cargo bench`");
        return;
    }
    println!(
        "Heap bytes per idle connection, {n} connections (live heap after less before, ÷ {n})"
    );
    println!("| side | implementation | state | bytes per connection | KiB | target |");
    println!("|---|---|---|---|---|---|");
    let mut missed = Vec::new();
    for (side, implementation, state) in CASES {
        let (each, _) = run_case(side, implementation, state, n);
        let target = match (implementation, state) {
            ("ours", "unbound") => Some(8 * 1024),
            ("ours", _) => Some(12 * 1024),
            _ => None,
        };
        #[allow(clippy::cast_precision_loss)]
        let verdict = match target {
            Some(t) if each <= f64::from(t) => format!("≤ {} KiB: met", t / 1024),
            Some(t) => {
                missed.push(format!("{side} {implementation} {state}"));
                format!("≤ {} KiB: missed", t / 1024)
            }
            None => "-".to_string(),
        };
        println!(
            "| {side} | {implementation} | {state} | {each:.0} | {:.1} | {verdict} |",
            each / 1024.0
        );
    }
    if args.iter().any(|a| a == "--pieces") {
        println!();
        println!("Pieces of an idle unbound connection of ours, {n} connections");
        println!("| side | piece | bytes per connection | session future (octets) |");
        println!("|---|---|---|---|");
        for (side, piece, what) in PIECES {
            let (each, future_size) = run_case(side, piece, "unbound", n);
            let size = if future_size == 0 {
                "-".to_string()
            } else {
                future_size.to_string()
            };
            println!("| {side} | {what} | {each:.0} | {size} |");
        }
    }
    if !missed.is_empty() {
        println!();
        println!("missed: {}", missed.join(", "));
    }
}
