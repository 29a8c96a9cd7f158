//! `smsc-sim` and `esme` as processes: `esme bench` against `smsc-sim`
//! (plain and TLS), `esme listen` receiving mobile-originated messages
//! posted to `/mo`, receipts, long messages logged joined, `query_sm`,
//! `cancel_sm` and `replace_sm` on accepted messages, the bind checks, the
//! throttle, the shutdown on SIGTERM; and both tools against node-smpp.
//!
//! The node-smpp tests skip with a note when node-smpp is not installed
//! (`npm ci --prefix tests/interop`), unless `SMPP_INTEROP=require`.

use core::time::Duration;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Instant;

use serde_json::{Value, json};
use smpp_core::receipt::DeliveryReceipt;
use smpp_core::session::{BindType, Config};
use smpp_core::{Body, CommandStatus, MessageState, Npi, Ton};
use smpp_std::session::Error as SessionError;
use smpp_std::{
    CancelSmBuilder, DataSmBuilder, QuerySmBuilder, ReplaceSmBuilder, SubmitMultiBuilder,
    SubmitSmBuilder, client,
};

/// A running `smsc-sim`, killed if a test fails before it stops it.
struct Sim {
    child: Child,
    addr: String,
    tls: Option<String>,
    http: Option<String>,
    stdout: Option<JoinHandle<String>>,
    stderr: Arc<Mutex<String>>,
}

/// Reads a pipe to its end in a thread of its own.
fn drain(mut pipe: impl Read + Send + 'static) -> JoinHandle<String> {
    std::thread::spawn(move || {
        let mut out = String::new();
        let _ = pipe.read_to_string(&mut out);
        out
    })
}

impl Sim {
    /// Starts `smsc-sim --listen 127.0.0.1:0` with `args`; returns once it
    /// printed its addresses.
    fn start(args: &[&str]) -> Self {
        Self::start_reading_stdout(args, true)
    }

    /// As [`Self::start`]; with `read` false, nothing reads the
    /// simulator's stdout: the pipe is closed at once.
    fn start_reading_stdout(args: &[&str], read: bool) -> Self {
        let mut child = spawn_piped(
            Command::new(env!("CARGO_BIN_EXE_smsc-sim"))
                .args(["--listen", "127.0.0.1:0"])
                .args(args),
        );
        let stdout = child.stdout.take().unwrap();
        let stdout = if read {
            Some(drain(stdout))
        } else {
            drop(stdout);
            None
        };
        let mut stderr = BufReader::new(child.stderr.take().unwrap());
        let mut first = String::new();
        stderr.read_line(&mut first).unwrap();
        let addresses: Value = serde_json::from_str(&first)
            .unwrap_or_else(|e| panic!("{e}: the first line of smsc-sim's stderr is {first:?}"));
        let rest = Arc::new(Mutex::new(String::new()));
        let sink = Arc::clone(&rest);
        std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            sink.lock().unwrap().push_str(&text);
        });
        let text = |key: &str| addresses[key].as_str().map(str::to_owned);
        Self {
            child,
            addr: text("listening").expect("the listening address"),
            tls: text("tls"),
            http: text("http"),
            stdout,
            stderr: rest,
        }
    }

    fn tls(&self) -> &str {
        self.tls.as_deref().expect("started with --listen-tls")
    }

    fn http(&self) -> &str {
        self.http.as_deref().expect("started with --http")
    }

    /// `GET /stats`.
    fn stats(&self) -> Value {
        let (status, body) = http(self.http(), "GET", "/stats", "");
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }

    /// Waits until `/stats` satisfies `done` (at most 10 s).
    fn wait_stats(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let stats = self.stats();
            if done(&stats) {
                return stats;
            }
            assert!(Instant::now() < deadline, "{what}: {stats:#}");
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Sends SIGTERM and waits for the exit, which must succeed: the
    /// totals it printed, one JSON line.
    fn terminate(mut self) -> Value {
        let killed = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(killed.success());
        let status = wait_for(&mut self.child, Duration::from_secs(15));
        let stdout = self.stdout.take().unwrap().join().unwrap();
        assert!(status.success(), "{status:?}");
        let mut lines = json_lines(&stdout);
        assert_eq!(lines.len(), 1, "{stdout}");
        lines.remove(0)
    }
}

impl Drop for Sim {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
            eprintln!("smsc-sim stderr: {}", self.stderr.lock().unwrap());
        }
    }
}

/// Kills `child` and waits for it.
fn stop(mut child: Child) {
    let _ = child.kill();
    let _ = child.wait();
}

/// Starts `command` without input, its output piped.
fn spawn_piped(command: &mut Command) -> Child {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{command:?}: {e}"))
}

/// Waits for `child`, started by [`spawn_piped`], to exit, at most
/// `limit`: its status and output.
fn output_within(mut child: Child, limit: Duration) -> Output {
    let stdout = drain(child.stdout.take().unwrap());
    let stderr = drain(child.stderr.take().unwrap());
    let status = wait_for(&mut child, limit);
    Output {
        status,
        stdout: stdout.join().unwrap().into_bytes(),
        stderr: stderr.join().unwrap().into_bytes(),
    }
}

/// Waits for `child` to exit, at most `limit`; kills it and fails past it.
fn wait_for(child: &mut Child, limit: Duration) -> ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        if Instant::now() >= deadline {
            let _ = child.kill();
            panic!("the process did not exit within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// A request over HTTP/1.1: the status and the body.
fn http(addr: &str, method: &str, path: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\
         Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let (head, body) = response.split_once("\r\n\r\n").unwrap();
    let status = head.split(' ').nth(1).unwrap().parse().unwrap();
    (status, body.to_owned())
}

/// An `esme` command line: `COMMAND --connect ADDR --system-id ID
/// --password PW`, then the flags added.
struct Esme(Vec<String>);

impl Esme {
    fn new(command: &str, addr: &str, system_id: &str, password: &str) -> Self {
        let head = [command, "--connect", addr, "--system-id", system_id];
        Self(
            head.into_iter()
                .chain(["--password", password])
                .map(str::to_owned)
                .collect(),
        )
    }

    /// Flags and values written as one line, split at spaces.
    fn flags(mut self, line: &str) -> Self {
        self.0.extend(line.split_whitespace().map(str::to_owned));
        self
    }

    /// A flag whose value may hold spaces.
    fn flag(mut self, name: &str, value: &str) -> Self {
        self.0.extend([name.to_owned(), value.to_owned()]);
        self
    }

    /// TLS, trusting the certificate in the PEM file `ca` for `localhost`.
    fn tls(self, ca: &Path) -> Self {
        self.flags("--tls --server-name localhost")
            .flag("--ca", ca.to_str().unwrap())
    }

    fn spawn(&self) -> Child {
        spawn_piped(Command::new(env!("CARGO_BIN_EXE_esme")).args(&self.0))
    }

    /// Starts it and waits until the simulator `sim` has `sessions`
    /// sessions bound (`what` says which): the process, and `/stats` then.
    fn spawn_bound(&self, sim: &Sim, what: &str, sessions: usize) -> (Child, Value) {
        let child = self.spawn();
        let bound = |s: &Value| s["sessions"].as_array().unwrap().len() == sessions;
        (child, sim.wait_stats(what, bound))
    }

    /// Runs it to its end.
    fn run(&self) -> Output {
        output_within(self.spawn(), Duration::from_secs(30))
    }
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn stdout_lines(out: &Output) -> Vec<Value> {
    json_lines(&String::from_utf8_lossy(&out.stdout))
}

/// The JSON lines of a run that succeeded.
fn success_lines(out: &Output) -> Vec<Value> {
    assert_exit(out, 0);
    stdout_lines(out)
}

/// Checks that a run exited with `code`.
fn assert_exit(out: &Output, code: i32) {
    assert_eq!(out.status.code(), Some(code), "{}", show(out));
}

fn show(out: &Output) -> String {
    format!(
        "status {:?}\nstdout {}\nstderr {}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// A directory of its own for a test's files.
fn scratch(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("simulator-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tokio() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Checks a bench summary: every count adds up, the percentiles are in
/// order.
fn check_summary(summary: &Value, messages: u64, submitted: u64) {
    assert_eq!(summary["messages"], messages, "{summary:#}");
    assert_eq!(summary["submitted"], submitted, "{summary:#}");
    assert_eq!(summary["acknowledged"], submitted, "{summary:#}");
    assert_eq!(summary["errors"], json!({}), "{summary:#}");
    assert_eq!(summary["throttled"], 0, "{summary:#}");
    assert_eq!(summary["stopped"], Value::Null, "{summary:#}");
    assert_eq!(summary["receipts"], submitted, "{summary:#}");
    assert_eq!(summary["receipts_expected"], submitted, "{summary:#}");
    assert!(summary["throughput_per_s"].as_f64().unwrap() > 0.0);
    let l = &summary["latency_ms"];
    let q = |k: &str| l[k].as_f64().unwrap();
    assert!(q("p50") > 0.0, "{summary:#}");
    assert!(q("p50") <= q("p90") && q("p90") <= q("p99") && q("p99") <= q("max"));
}

/// Checks the totals printed at shutdown: the simulator unbound the
/// `sessions` still bound, and each answered.
fn check_unbound_at_shutdown(totals: &Value, sessions: u64) {
    assert_eq!(totals["bound"], 0, "{totals:#}");
    assert_eq!(totals["sent"]["unbind"]["ESME_ROK"], sessions, "{totals:#}");
    let answered = &totals["received"]["unbind_resp"]["ESME_ROK"];
    assert_eq!(*answered, sessions, "{totals:#}");
}

#[test]
fn bench_against_the_simulator_then_sigterm_prints_the_totals() {
    let sim = Sim::start(&["--http", "127.0.0.1:0"]);
    // 100 messages, one in five long (three parts): 140 submit_sm.
    let out = Esme::new("bench", &sim.addr, "bench", "pw")
        .flags("--count 100 --mix gsm,long,ucs2,binary,flash --dlr --json --binds 2 --window 16")
        .run();
    let lines = success_lines(&out);
    assert_eq!(lines.len(), 1, "{}", show(&out));
    check_summary(&lines[0], 100, 140);

    let snapshot = sim.stats();
    let totals = &snapshot["totals"];
    assert_eq!(totals["messages"], 140, "{snapshot:#}");
    assert_eq!(totals["messages_complete"], 100, "{snapshot:#}");
    assert_eq!(totals["receipts"], 140, "{snapshot:#}");
    assert_eq!(totals["received"]["submit_sm"]["ESME_ROK"], 140);
    assert_eq!(totals["received"]["bind_transceiver"]["ESME_ROK"], 2);
    let (status, metrics) = http(sim.http(), "GET", "/metrics", "");
    assert_eq!(status, 200);
    assert!(
        metrics.contains("# TYPE smsc_sim_messages_total counter\nsmsc_sim_messages_total 140\n")
    );
    assert!(metrics.contains(
        "smsc_sim_pdus_total{direction=\"in\",command=\"submit_sm\",status=\"ESME_ROK\"} 140\n"
    ));
    let (status, page) = http(sim.http(), "GET", "/", "");
    assert_eq!(status, 200);
    assert!(page.contains("<meta http-equiv=\"refresh\""), "{page}");
    assert!(page.contains("Bench message"), "{page}");
    assert_eq!(http(sim.http(), "GET", "/nowhere", "").0, 404);

    // A receiver still bound when the simulator is told to stop is
    // unbound by it.
    let (listener, _) = Esme::new("listen", &sim.addr, "late", "pw")
        .flags("--timeout-ms 5000")
        .spawn_bound(&sim, "the receiver binds", 1);
    let totals = &sim.terminate();
    assert_eq!(totals["messages"], 140, "{totals:#}");
    assert_eq!(totals["receipts"], 140, "{totals:#}");
    assert_eq!(totals["connections"], 3, "{totals:#}");
    check_unbound_at_shutdown(totals, 1);
    stop(listener);
}

/// A self-signed certificate for `localhost` and 127.0.0.1, made here:
/// the PEM files of the certificate and of its key.
fn certificate(name: &str) -> (PathBuf, PathBuf) {
    let dir = scratch(name);
    let names = vec!["localhost".to_owned(), "127.0.0.1".to_owned()];
    let certified = rcgen::generate_simple_self_signed(names).unwrap();
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    std::fs::write(&cert, certified.cert.pem()).unwrap();
    std::fs::write(&key, certified.signing_key.serialize_pem()).unwrap();
    (cert, key)
}

/// A simulator with a TLS listener too, started with `args`, and the PEM
/// file of its certificate.
fn tls_sim(name: &str, args: &[&str]) -> (Sim, PathBuf) {
    let (cert, key) = certificate(name);
    let mut all = vec![
        "--listen-tls",
        "127.0.0.1:0",
        "--tls-cert",
        cert.to_str().unwrap(),
        "--tls-key",
        key.to_str().unwrap(),
    ];
    all.extend_from_slice(args);
    (Sim::start(&all), cert)
}

#[test]
fn bench_over_tls() {
    let (sim, cert) = tls_sim("tls-bench", &["--http", "127.0.0.1:0"]);
    let tls = sim.tls();
    let out = Esme::new("bench", tls, "secure", "pw")
        .tls(&cert)
        .flags("--count 30 --mix gsm,long --dlr --json")
        .run();
    check_summary(&success_lines(&out)[0], 30, 60);

    // Plain SMPP on the TLS port gets nowhere; neither does TLS with a
    // certificate nobody trusts.
    let plain = Esme::new("send", tls, "secure", "pw")
        .flags("--to 1 --text x --connect-timeout-ms 500")
        .run();
    assert_exit(&plain, 2);
    let (_, other) = tls_sim("tls-other", &[]);
    let untrusted = Esme::new("send", tls, "secure", "pw")
        .tls(&other)
        .flags("--to 1 --text x --connect-timeout-ms 500")
        .run();
    assert_exit(&untrusted, 2);
    assert!(
        String::from_utf8_lossy(&untrusted.stderr).contains("certificate"),
        "{}",
        show(&untrusted)
    );
}

#[test]
fn receipts_cross_from_plain_to_tls_sessions() {
    // A receiver over TLS and a transmitter over plain TCP are sessions
    // of one server: the receipts of the transmitter go to the receiver.
    let (sim, cert) = tls_sim("tls-listen", &["--http", "127.0.0.1:0"]);
    let tls = sim.tls();
    let (listener, bound) = Esme::new("listen", tls, "secure", "pw")
        .tls(&cert)
        .flags("--count 1 --timeout-ms 10000")
        .spawn_bound(&sim, "the receiver binds over TLS", 1);
    assert_eq!(bound["sessions"][0]["tls"], true, "{bound:#}");
    assert_eq!(bound["sessions"][0]["bind_type"], "receiver", "{bound:#}");
    let sent = Esme::new("send", &sim.addr, "secure", "pw")
        .flags("--bind tx --to 447700900777")
        .flag("--text", "over two connections")
        .flags("--dlr --dlr-timeout-ms 1")
        .run();
    let id = stdout_lines(&sent)[0]["message_ids"][0].clone();
    let out = listener.wait_with_output().unwrap();
    let lines = success_lines(&out);
    assert_eq!(lines[0]["type"], "receipt", "{}", show(&out));
    assert_eq!(lines[0]["message_id"], id, "{}", show(&out));
}

#[test]
fn listen_prints_mo_posted_to_the_simulator() {
    let sim = Sim::start(&["--http", "127.0.0.1:0"]);
    let (listener, _) = Esme::new("listen", &sim.addr, "shop", "pw")
        .flags("--address-range ^1234$ --count 2 --timeout-ms 10000")
        .spawn_bound(&sim, "the receiver binds", 1);
    let long = "A mobile-originated message long enough to take two parts. ".repeat(3);
    // Routed by the receiver's address_range.
    let body = json!({"to": "1234", "from": "447700900555", "text": long}).to_string();
    let (status, answer) = http(sim.http(), "POST", "/mo", &body);
    assert_eq!(status, 200, "{answer}");
    let answer: Value = serde_json::from_str(&answer).unwrap();
    assert_eq!(
        answer,
        json!({"parts": 2, "statuses": ["ESME_ROK", "ESME_ROK"]})
    );
    // Routed by system_id.
    let body = json!({"system_id": "shop", "from": "447700900556", "hex": "0102ff"}).to_string();
    assert_eq!(http(sim.http(), "POST", "/mo", &body).0, 200);
    // Nobody receives for this account; the body is checked.
    let nobody = json!({"system_id": "nobody", "text": "hi"}).to_string();
    assert_eq!(http(sim.http(), "POST", "/mo", &nobody).0, 404);
    assert_eq!(http(sim.http(), "POST", "/mo", "{not json").0, 400);
    assert_eq!(http(sim.http(), "POST", "/mo", "{\"text\":\"hi\"}").0, 400);

    let out = listener.wait_with_output().unwrap();
    let lines = success_lines(&out);
    assert_eq!(
        lines,
        vec![
            json!({"type": "mo", "source": "447700900555", "destination": "1234",
                   "data_coding": 0, "text": long, "parts": 2}),
            json!({"type": "mo", "source": "447700900556", "destination": "",
                   "data_coding": 4, "hex": "0102ff", "parts": 1}),
        ]
    );
    assert_eq!(sim.stats()["totals"]["mo"], 3);
}

#[test]
fn generated_mo_reaches_receivers() {
    let sim = Sim::start(&["--mo-every-ms", "20"]);
    let out = Esme::new("listen", &sim.addr, "shop", "pw")
        .flags("--count 3 --timeout-ms 10000")
        .run();
    let lines = success_lines(&out);
    assert_eq!(lines.len(), 3);
    for line in &lines {
        assert_eq!(line["type"], "mo");
        assert!(
            line["text"].as_str().unwrap().starts_with("MO message "),
            "{line}"
        );
    }
}

#[test]
fn generated_mo_skips_a_receiver_whose_window_is_full() {
    let sim = Sim::start(&[
        "--mo-every-ms",
        "1",
        "--window",
        "2",
        "--http",
        "127.0.0.1:0",
    ]);
    tokio().block_on(async {
        let config = Config::esme(BindType::Receiver).with_system_id("slow");
        // Never takes what comes: the MOs are never answered.
        let (esme, _incoming) = client::connect(&sim.addr, config.unwrap()).await.unwrap();
        let stats = sim.wait_stats("ticks skipped", |s| {
            s["totals"]["mo_skipped"].as_u64() > Some(200)
        });
        let totals = &stats["totals"];
        assert_eq!(totals["sent"]["deliver_sm"]["ESME_ROK"], 2, "{totals:#}");
        assert_eq!(
            (&totals["mo"], &totals["mo_failed"]),
            (&json!(0), &json!(0))
        );
        esme.close();
    });
}

#[test]
fn a_thousand_sessions_bind_and_are_unbound_at_shutdown() {
    let sim = Sim::start(&["--http", "127.0.0.1:0"]);
    let (listener, snapshot) = Esme::new("listen", &sim.addr, "crowd", "pw")
        .flags("--binds 1000 --connect-timeout-ms 20000 --timeout-ms 30000")
        .spawn_bound(&sim, "a thousand sessions bind", 1000);
    assert_eq!(snapshot["totals"]["bound"], 1000);
    assert_eq!(
        snapshot["totals"]["connections"], 1000,
        "no bind was turned away"
    );
    check_unbound_at_shutdown(&sim.terminate(), 1000);
    stop(listener);
}

#[test]
fn users_are_checked() {
    let sim = Sim::start(&["--users", "alice:secret,bob:pw2"]);
    let send = |id: &str, password: &str| {
        Esme::new("send", &sim.addr, id, password)
            .flags("--to 447700900123 --text hi")
            .run()
    };
    let wrong_password = send("alice", "nope");
    assert_exit(&wrong_password, 2);
    assert!(String::from_utf8_lossy(&wrong_password.stderr).contains("ESME_RINVPASWD"));
    let unknown = send("carol", "secret");
    assert_exit(&unknown, 2);
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("ESME_RINVSYSID"));
    let right = send("bob", "pw2");
    assert_exit(&right, 0);

    // The statuses themselves, as the library's client sees them.
    tokio().block_on(async {
        let bind = |id: &str, pw: &str| {
            Config::esme(BindType::Transceiver)
                .with_system_id(id)
                .unwrap()
                .with_password(pw)
                .unwrap()
        };
        for (config, status) in [
            (bind("alice", "nope"), CommandStatus::ESME_RINVPASWD),
            (bind("mallory", "secret"), CommandStatus::ESME_RINVSYSID),
        ] {
            match client::connect(sim.addr.as_str(), config).await {
                Err(SessionError::BindRefused(s)) => assert_eq!(s, status),
                other => panic!("{other:?}"),
            }
        }
        let (alice, _) = client::connect(sim.addr.as_str(), bind("alice", "secret"))
            .await
            .unwrap();
        alice.unbind().await.unwrap();
    });
}

#[test]
fn throttle_above_and_max_binds_per_user() {
    let sim = Sim::start(&[
        "--throttle-above",
        "5",
        "--max-binds-per-user",
        "2",
        "--http",
        "127.0.0.1:0",
    ]);
    // 30 submit_sm at once on one session: 5 a second are taken.
    let out = Esme::new("bench", &sim.addr, "fast", "pw")
        .flags("--count 30 --window 30 --json")
        .run();
    assert_exit(&out, 1);
    let summary = &stdout_lines(&out)[0];
    let acknowledged = summary["acknowledged"].as_u64().unwrap();
    let throttled = summary["errors"]["ESME_RTHROTTLED"].as_u64().unwrap();
    assert!((5..30).contains(&acknowledged), "{summary:#}");
    assert_eq!(acknowledged + throttled, 30, "{summary:#}");
    assert_eq!(summary["throttled"], throttled, "{summary:#}");
    assert_eq!(sim.stats()["totals"]["throttled"], throttled);

    // Sent again after a backoff, every one is taken in the end.
    let out = Esme::new("bench", &sim.addr, "patient", "pw")
        .flags("--count 8 --window 8 --retry-throttled 10 --json")
        .run();
    let summary = &success_lines(&out)[0];
    assert_eq!(summary["acknowledged"], 8, "{summary:#}");
    assert_eq!(summary["errors"], json!({}), "{summary:#}");
    assert!(summary["throttled"].as_u64().unwrap() >= 3, "{summary:#}");

    // A third bind of one account is refused.
    let out = Esme::new("listen", &sim.addr, "many", "pw")
        .flags("--binds 3 --connect-timeout-ms 1000 --timeout-ms 10")
        .run();
    assert_exit(&out, 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("2 of 3 sessions bound"), "{stderr}");
    assert!(stderr.contains("ESME_RALYBND"), "{stderr}");
    let refused = &sim.stats()["totals"]["binds_refused"];
    assert!(
        refused["max_binds_per_user"].as_u64().unwrap() >= 1,
        "{refused}"
    );
    assert_eq!(refused["credentials"], 0);
}

/// Checks a line of `esme send`: a message in `parts` parts, each with
/// its receipt, whose `stat` is `stat`; each part's message id and receipt.
fn receipts_of_parts<'a>(line: &'a Value, parts: usize, stat: &str) -> Vec<(&'a Value, &'a Value)> {
    assert_eq!(line["parts"], parts, "{line:#}");
    let ids = line["message_ids"].as_array().unwrap();
    let receipts = line["receipts"].as_array().unwrap();
    assert_eq!((ids.len(), receipts.len()), (parts, parts), "{line:#}");
    for (id, receipt) in ids.iter().zip(receipts) {
        assert_eq!(&receipt["message_id"], id, "{receipt:#}");
        assert_eq!(receipt["stat"], stat, "{receipt:#}");
    }
    ids.iter().zip(receipts).collect()
}

#[test]
fn receipts_name_the_message_and_its_state() {
    let sim = Sim::start(&["--dlr-mix", "undeliverable=1", "--dlr-delay-ms", "50"]);
    let text = "Two parts, each with a receipt of its own. ".repeat(4);
    let out = Esme::new("send", &sim.addr, "dlr", "pw")
        .flags("--from INFO --to 447700900123 --to 447700900124")
        .flag("--text", &text)
        .flags("--dlr")
        .run();
    let lines = success_lines(&out);
    assert_eq!(lines.len(), 2, "{}", show(&out));
    let mut all_ids = Vec::new();
    for (line, to) in lines.iter().zip(["447700900123", "447700900124"]) {
        assert_eq!(line["to"], to);
        assert_eq!(line["statuses"], json!(["ESME_ROK", "ESME_ROK"]));
        let ids = line["message_ids"].as_array().unwrap();
        for (id, receipt) in receipts_of_parts(line, 2, "UNDELIV") {
            assert_eq!(receipt["state"], "UNDELIVERABLE");
            assert_eq!(receipt["err"], "001");
            // From the destination back to the source.
            assert_eq!(receipt["source"], to);
            assert_eq!(receipt["destination"], "INFO");
            let text = receipt["text"].as_str().unwrap();
            let parsed = DeliveryReceipt::parse(text.as_bytes()).unwrap();
            assert_eq!(parsed.id_str(), id.as_str(), "{text}");
            assert_eq!(parsed.state(), Some(MessageState::UNDELIVERABLE));
            assert_eq!(parsed.submitted(), Some(1));
            assert_eq!(parsed.delivered(), Some(0));
            assert!(parsed.submit_date().unwrap().is_ok());
        }
        all_ids.extend(ids.iter().cloned());
    }
    all_ids.sort_by_key(ToString::to_string);
    all_ids.dedup();
    assert_eq!(all_ids.len(), 4, "every part has an id of its own");

    // A receipt asked for that never comes: exit code 1.
    let sim = Sim::start(&["--dlr-delay-ms", "60000"]);
    let out = Esme::new("send", &sim.addr, "dlr", "pw")
        .flags("--to 447700900123 --text late --dlr --dlr-timeout-ms 200")
        .run();
    assert_exit(&out, 1);
    assert_eq!(stdout_lines(&out)[0]["receipts"], json!([]));
}

#[test]
fn receipts_wait_for_a_receiver_of_the_account() {
    let sim = Sim::start(&[]);
    // A transmitter cannot take receipts: its own wait runs out (exit 1).
    let sent = Esme::new("send", &sim.addr, "later", "pw")
        .flags("--bind tx --to 447700900123")
        .flag("--text", "kept for later")
        .flags("--dlr --dlr-timeout-ms 100")
        .run();
    assert_exit(&sent, 1);
    let id = stdout_lines(&sent)[0]["message_ids"][0].clone();
    // The receipt goes out when a receiver of the account binds.
    let out = Esme::new("listen", &sim.addr, "later", "pw")
        .flags("--count 1 --timeout-ms 10000")
        .run();
    let receipt = &success_lines(&out)[0];
    assert_eq!(receipt["type"], "receipt");
    assert_eq!(receipt["message_id"], id);
    assert_eq!(receipt["stat"], "DELIVRD");
}

#[test]
fn receipts_not_written_before_a_receiver_closes_wait_for_the_next() {
    const MESSAGES: u64 = 600;
    // As many receipts of one account as smsc-sim sends at once.
    const IN_FLIGHT: u64 = 256;
    let sim = Sim::start(&["--window", "1", "--http", "127.0.0.1:0"]);
    tokio().block_on(async {
        // A receiver that never takes what comes: the first receipt is
        // written and never answered, 255 more wait for its window, the
        // rest wait in the simulator's queue.
        let config = Config::esme(BindType::Receiver).with_system_id("acct");
        let (stuck, _incoming) = client::connect(&sim.addr, config.unwrap()).await.unwrap();
        let (esme, _incoming) = transmitter(&sim.addr, "acct").await;
        for n in 0..MESSAGES {
            let submit = SubmitSmBuilder::new(0)
                .destination_addr("447700900002")
                .short_message(format!("message {n}"))
                .registered_delivery(smpp_core::RegisteredDelivery::from(1))
                .build()
                .unwrap();
            assert!(esme.submit_sm(submit).await.unwrap().is_ok());
        }
        let stats = sim.wait_stats("the first receipt written", |s| {
            s["totals"]["sent"]["deliver_sm"]["ESME_ROK"] == 1
                && s["totals"]["receipts_waiting"] == MESSAGES - IN_FLIGHT
        });
        let totals = &stats["totals"];
        assert_eq!(totals["receipts_dropped"], 0, "{stats:#}");
        // Those on their way are accounted for too.
        assert_eq!(totals["receipts_sending"], IN_FLIGHT, "{stats:#}");
        assert_eq!(receipts_accounted(totals), MESSAGES, "{stats:#}");
        stuck.close();
        let closed = tokio::time::timeout(Duration::from_secs(10), stuck.closed());
        closed.await.unwrap();
        let stats = sim.wait_stats("the rest waiting", |s| {
            s["totals"]["receipts_waiting"] == MESSAGES - 1
        });
        // The written one may have reached the ESME: not sent twice.
        assert_eq!(stats["totals"]["receipts_failed"], 1, "{stats:#}");
        esme.unbind().await.unwrap();
    });
    let out = Esme::new("listen", &sim.addr, "acct", "pw")
        .flags("--count 599 --timeout-ms 10000")
        .run();
    let lines = success_lines(&out);
    assert_eq!(lines.len(), 599);
    assert!(lines.iter().all(|l| l["type"] == "receipt"), "{lines:?}");
}

#[test]
fn long_messages_are_logged_joined() {
    let dir = scratch("log");
    let log = dir.join("messages.jsonl");
    let sim = Sim::start(&["--log-messages", log.to_str().unwrap()]);
    let gsm = "Concatenated GSM text that needs more than one part to travel. ".repeat(3);
    let ucs2 = "Длинное сообщение в UCS-2, которое не помещается в одну часть. ".repeat(2);
    let mut sent = Vec::new();
    for (split, text) in [
        ("udh", &gsm),
        ("udh16", &gsm),
        ("sar", &ucs2),
        ("payload", &gsm),
    ] {
        let out = Esme::new("send", &sim.addr, "long", "pw")
            .flags("--from 447700900001 --to 447700900002")
            .flag("--text", text)
            .flag("--split", split)
            .run();
        sent.push((split, text.clone(), success_lines(&out).remove(0)));
    }
    let out = Esme::new("send", &sim.addr, "long", "pw")
        .flags("--to 2948 --hex 00112233 --port 2948")
        .run();
    assert_exit(&out, 0);
    let totals = sim.terminate();
    assert_eq!(totals["messages_complete"], 5, "{totals:#}");

    let logged = json_lines(&std::fs::read_to_string(&log).unwrap());
    assert_eq!(logged.len(), 5, "{logged:#?}");
    for ((split, text, send), line) in sent.iter().zip(&logged) {
        let parts = if *split == "payload" { 1 } else { 2 };
        let data_coding = if *split == "sar" { 8 } else { 0 };
        assert_eq!(send["parts"], parts, "{split}: {send}");
        assert_eq!(
            line,
            &json!({
                "system_id": "long",
                "source": "447700900001",
                "destination": "447700900002",
                "data_coding": data_coding,
                "text": text,
                "parts": parts,
                "message_ids": send["message_ids"],
            }),
            "{split}"
        );
    }
    // The port element is a header, not content.
    assert_eq!(logged[4]["hex"], "00112233");
    assert_eq!(logged[4]["data_coding"], 4);
}

#[test]
fn text_sent_in_national_language_tables_is_logged_and_listened_to_as_sent() {
    let dir = scratch("national");
    let log = dir.join("messages.jsonl");
    let sim = Sim::start(&[
        "--http",
        "127.0.0.1:0",
        "--log-messages",
        log.to_str().unwrap(),
    ]);
    let turkish = "Dağların ardında kış çok uzun sürer; İstanbul'da ise güneşli günler \
                   başlıyor. Öğretmenimiz sınavı ertelediğini söyledi, çünkü öğrencilerin \
                   çoğu hastaydı. Şimdi herkes iyileşti ve yarın sabah sınava girecekler.";
    let portuguese = "Não há ação sem reação: João e Conceição estão à espera do pão.";
    let mut sent = Vec::new();
    for (language, text) in [("turkish", turkish), ("portuguese", portuguese)] {
        let out = Esme::new("send", &sim.addr, "national", "pw")
            .flags("--from 447700900001 --to 447700900002")
            .flag("--text", text)
            .flag("--language", language)
            .run();
        let line = success_lines(&out).remove(0);
        // GSM 7-bit in the language's tables, not UCS-2.
        assert_eq!(line["data_coding"], 0, "{language}: {line}");
        sent.push((text, line["parts"].clone()));
    }
    assert_eq!(sent[0].1, 2, "{sent:?}");
    // The same texts as mobile-originated messages, to `esme listen`.
    let listen = Esme::new("listen", &sim.addr, "national", "pw")
        .flags("--count 2 --timeout-ms 10000")
        .spawn();
    sim.wait_stats("listening", |s| {
        s["sessions"].as_array().unwrap().len() == 1
    });
    for ((text, parts), language) in sent.iter().zip(["turkish", "portuguese"]) {
        let mo = json!({
            "system_id": "national",
            "from": "447700900001",
            "text": text,
            "languages": [language],
        });
        let (code, answer) = http(sim.http(), "POST", "/mo", &mo.to_string());
        assert_eq!(code, 200, "{answer}");
        // As few parts as esme's: GSM 7-bit in the language's tables.
        assert_eq!(
            serde_json::from_str::<Value>(&answer).unwrap()["parts"],
            *parts
        );
    }
    let wrong = json!({"system_id": "national", "text": "x", "languages": ["klingon"]});
    let (code, answer) = http(sim.http(), "POST", "/mo", &wrong.to_string());
    assert_eq!(code, 400, "{answer}");
    let heard = success_lines(&output_within(listen, Duration::from_secs(15)));
    // The receipt quotes the text as it was written, in plain ASCII.
    let out = Esme::new("send", &sim.addr, "national", "pw")
        .flags("--to 447700900002 --language portuguese --dlr --dlr-timeout-ms 10000")
        .flag("--text", "Ação ~z^ {x} | pão")
        .run();
    let line = success_lines(&out).remove(0);
    assert_eq!(line["data_coding"], 0, "{line}");
    let receipt = line["receipts"][0]["text"].as_str().unwrap();
    assert!(receipt.ends_with("text:A??o ~z^ {x} | p?o"), "{receipt}");
    sim.terminate();
    let logged = json_lines(&std::fs::read_to_string(&log).unwrap());
    for (n, (text, parts)) in sent.iter().enumerate() {
        assert_eq!(logged[n]["text"], *text, "{logged:#?}");
        assert_eq!(logged[n]["parts"], *parts, "{logged:#?}");
        assert_eq!(heard[n]["text"], *text, "{heard:#?}");
        assert_eq!(heard[n]["data_coding"], 0, "{heard:#?}");
    }
}

#[test]
fn a_message_log_that_cannot_be_written_refuses_the_message_and_ends_the_simulator() {
    // A full disk, and a reader of stdout that went away (`| head`).
    let full = Path::new("/dev/full");
    let cases: &[(&[&str], bool)] = if full.exists() {
        &[
            (&["--log-messages", "/dev/full"], true),
            (&["--log-messages", "-"], false),
        ]
    } else {
        &[(&["--log-messages", "-"], false)]
    };
    for (args, read) in cases {
        let mut sim = Sim::start_reading_stdout(args, *read);
        tokio().block_on(async {
            let (esme, _incoming) = transmitter(&sim.addr, "acct").await;
            let submit = SubmitSmBuilder::new(0)
                .destination_addr("447700900002")
                .short_message("to be logged")
                .build()
                .unwrap();
            // Not accepted unrecorded: the ESME keeps it to send again.
            let answer = esme.submit_sm(submit).await.unwrap();
            assert_eq!(
                answer.command_status,
                CommandStatus::ESME_RSYSERR,
                "{args:?}"
            );
            // The simulator shuts down: the session is unbound.
            let closed = tokio::time::timeout(Duration::from_secs(10), esme.closed()).await;
            assert!(closed.is_ok(), "{args:?}: still bound");
        });
        let status = wait_for(&mut sim.child, Duration::from_secs(15));
        assert_eq!(status.code(), Some(2), "{args:?}");
        let deadline = Instant::now() + Duration::from_secs(5);
        while !sim.stderr.lock().unwrap().contains("--log-messages") {
            assert!(
                Instant::now() < deadline,
                "{args:?}: {}",
                sim.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// Binds a transmitter of the account `id` to the simulator at `addr`:
/// SMPP v3.4's operation matrix lets only a transmitter send `replace_sm`.
async fn transmitter(addr: &str, id: &str) -> (client::Client, smpp_std::session::Incoming) {
    let config = Config::esme(BindType::Transmitter).with_system_id(id);
    client::connect(addr, config.unwrap()).await.unwrap()
}

/// `query_sm` for message `id`: the response.
async fn query(esme: &client::Client, id: &str) -> smpp_std::Pdu {
    let pdu = QuerySmBuilder::new(0)
        .message_id(id)
        .source_addr("447700900001")
        .build()
        .unwrap();
    esme.send(pdu).await.unwrap()
}

/// Sends `pdu` on `esme`: the `command_status` of the response.
async fn status_of(esme: &client::Client, pdu: smpp_std::Pdu) -> CommandStatus {
    esme.send(pdu).await.unwrap().command_status
}

/// The `message_state` and `final_date` of a `query_sm_resp`.
fn state_of(pdu: &smpp_std::Pdu) -> (MessageState, String) {
    match &pdu.body {
        Body::QuerySmResp(Some(resp)) => (resp.message_state, resp.final_date.to_string()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn query_cancel_and_replace_work_on_accepted_messages() {
    // Messages stay en route for a minute.
    let sim = Sim::start(&["--dlr-delay-ms", "60000"]);
    tokio().block_on(async {
        let (esme, _incoming) = transmitter(&sim.addr, "owner").await;
        let mut ids = Vec::new();
        for n in 0..3 {
            let submit = SubmitSmBuilder::new(0)
                .source_addr("447700900001")
                .destination_addr("447700900002")
                .short_message(format!("message {n}"))
                .build()
                .unwrap();
            let resp = esme.submit_sm(submit).await.unwrap();
            assert!(resp.is_ok());
            ids.push(resp.message_id.to_string());
        }
        let resp = query(&esme, &ids[0]).await;
        assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
        assert_eq!(state_of(&resp), (MessageState::ENROUTE, String::new()));

        // replace_sm on a pending message.
        let replace = ReplaceSmBuilder::new(0)
            .message_id(ids[0].as_str())
            .source_addr("447700900001")
            .short_message("replaced")
            .build()
            .unwrap();
        assert_eq!(status_of(&esme, replace).await, CommandStatus::ESME_ROK);

        // cancel_sm by id, then the message is deleted for good.
        let cancel = |id: &str| {
            CancelSmBuilder::new(0)
                .message_id(id)
                .source_addr("447700900001")
                .destination_addr("447700900002")
                .build()
                .unwrap()
        };
        assert_eq!(
            status_of(&esme, cancel(&ids[0])).await,
            CommandStatus::ESME_ROK
        );
        let resp = query(&esme, &ids[0]).await;
        let (state, final_date) = state_of(&resp);
        assert_eq!(state, MessageState::DELETED);
        assert!(
            smpp_core::time::SmppTime::parse(final_date.as_bytes()).is_ok(),
            "{final_date}"
        );
        assert_eq!(
            status_of(&esme, cancel(&ids[0])).await,
            CommandStatus::ESME_RCANCELFAIL
        );
        let replace = ReplaceSmBuilder::new(0)
            .message_id(ids[0].as_str())
            .short_message("too late")
            .build()
            .unwrap();
        assert_eq!(
            status_of(&esme, replace).await,
            CommandStatus::ESME_RREPLACEFAIL
        );

        // cancel_sm without an id: every pending message from the source
        // to the destination.
        assert_eq!(status_of(&esme, cancel("")).await, CommandStatus::ESME_ROK);
        for id in &ids[1..] {
            assert_eq!(state_of(&query(&esme, id).await).0, MessageState::DELETED);
        }
        assert_eq!(
            status_of(&esme, cancel("")).await,
            CommandStatus::ESME_RCANCELFAIL
        );

        // Unknown ids, and another account's messages, are not found.
        assert_eq!(
            query(&esme, "999999").await.command_status,
            CommandStatus::ESME_RINVMSGID
        );
        let (other, _incoming) = transmitter(&sim.addr, "other").await;
        let pdu = QuerySmBuilder::new(0)
            .message_id(ids[1].as_str())
            .build()
            .unwrap();
        assert_eq!(status_of(&other, pdu).await, CommandStatus::ESME_RINVMSGID);

        esme.unbind().await.unwrap();
        other.unbind().await.unwrap();
    });
    let totals = &sim.terminate();
    assert_eq!(totals["messages"], 3, "{totals:#}");
    assert_eq!(totals["cancels"], 4, "{totals:#}");
}

#[test]
fn submit_multi_and_data_sm_are_kept_too() {
    let sim = Sim::start(&["--dlr-delay-ms", "60000"]);
    tokio().block_on(async {
        let (esme, _incoming) = transmitter(&sim.addr, "owner").await;
        // submit_multi: one id for every SME address; a distribution
        // list is unknown here.
        let multi = SubmitMultiBuilder::new(0)
            .source_addr("447700900001")
            .dest_sme(Ton::INTERNATIONAL, Npi::ISDN, "447700900003")
            .dest_sme(Ton::INTERNATIONAL, Npi::ISDN, "447700900004")
            .dest_dl("FRIENDS")
            .short_message("to many")
            .build()
            .unwrap();
        let resp = esme.send(multi).await.unwrap();
        assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
        let Body::SubmitMultiResp(Some(multi)) = &resp.body else {
            panic!("{resp:?}")
        };
        assert!(!multi.message_id.is_empty());
        let unsuccess: Vec<_> = multi.unsuccess_sme.iter().collect();
        assert_eq!(unsuccess.len(), 1);
        assert_eq!(unsuccess[0].destination_addr.to_str(), Some("FRIENDS"));
        assert_eq!(
            unsuccess[0].error_status_code,
            CommandStatus::ESME_RINVDLNAME
        );
        let resp = query(&esme, multi.message_id.to_str().unwrap()).await;
        assert_eq!(state_of(&resp).0, MessageState::ENROUTE);

        // data_sm gets an id, and so may be queried too.
        let data = DataSmBuilder::new(0)
            .source_addr("447700900001")
            .destination_addr("447700900002")
            .message_payload("by data_sm")
            .build()
            .unwrap();
        let resp = smpp_std::session::SmResponse::from(esme.send(data).await.unwrap());
        assert!(resp.is_ok());
        assert_eq!(
            state_of(&query(&esme, &resp.message_id.to_string()).await).0,
            MessageState::ENROUTE
        );

        // No destination: refused.
        let nowhere = SubmitSmBuilder::new(0).short_message("?").build().unwrap();
        assert_eq!(
            esme.submit_sm(nowhere).await.unwrap().command_status,
            CommandStatus::ESME_RINVDSTADR
        );
        esme.unbind().await.unwrap();
    });
    let totals = &sim.terminate();
    assert_eq!(totals["messages"], 2, "{totals:#}");
    assert_eq!(totals["messages_refused"], 1, "{totals:#}");
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Whether node-smpp is installed; if not, whether that fails the test
/// (`SMPP_INTEROP=require`).
fn node_smpp() -> Option<PathBuf> {
    let modules = workspace().join("tests/interop/node_modules");
    let installed = modules.join("smpp/package.json").is_file()
        && Command::new("node")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
    if !installed {
        assert!(
            std::env::var("SMPP_INTEROP").as_deref() != Ok("require"),
            "node-smpp is not installed (npm ci --prefix tests/interop) and SMPP_INTEROP=require"
        );
        eprintln!("skipped: node-smpp is not installed (npm ci --prefix tests/interop)");
        return None;
    }
    Some(modules)
}

/// node-smpp's ESME (`tests/interop/node_esme.js`) at `url` sends
/// `count` messages and gets a receipt for each; checks what it decoded.
fn node_esme(modules: &Path, url: &str, count: usize, ca: Option<&Path>) {
    let node = spawn_piped(
        Command::new("node")
            .arg(modules.join("../node_esme.js"))
            .args([url, "node", "pw", &count.to_string()])
            .args(ca)
            .env("NODE_PATH", modules),
    );
    let out = output_within(node, Duration::from_secs(20));
    assert_exit(&out, 0);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines = json_lines(&stdout);
    let of = |pdu: &str| -> Vec<&Value> { lines.iter().filter(|l| l["pdu"] == pdu).collect() };
    assert_eq!(
        of("bind_transceiver_resp"),
        [&json!({"pdu": "bind_transceiver_resp", "status": 0, "system_id": "smsc-sim"})]
    );
    let mut ids: Vec<&Value> = of("submit_sm_resp")
        .into_iter()
        .map(|r| {
            assert_eq!(r["status"], 0, "{r}");
            &r["message_id"]
        })
        .collect();
    ids.sort_by_key(ToString::to_string);
    ids.dedup();
    assert_eq!(ids.len(), count, "{stdout}");
    let receipts = of("deliver_sm");
    assert_eq!(receipts.len(), count, "{stdout}");
    for receipt in receipts {
        assert_eq!(receipt["esm_class"], 4, "{receipt}");
        assert_eq!(receipt["message_state"], 2, "{receipt}");
        let id = &receipt["receipted_message_id"];
        assert!(ids.contains(&id), "{receipt}");
        let text = receipt["short_message"].as_str().unwrap();
        let parsed = DeliveryReceipt::parse(text.as_bytes()).unwrap();
        assert_eq!(Some(parsed.id_str().unwrap()), id.as_str(), "{text}");
        assert_eq!(parsed.state(), Some(MessageState::DELIVERED));
    }
    assert_eq!(
        of("unbind_resp"),
        [&json!({"pdu": "unbind_resp", "status": 0})]
    );
}

#[test]
fn smsc_sim_serves_node_smpp_as_an_esme() {
    let Some(modules) = node_smpp() else {
        return;
    };
    let log = scratch("node-esme-log").join("messages.jsonl");
    let (sim, cert) = tls_sim(
        "node-esme",
        &[
            "--users",
            "node:pw",
            "--log-messages",
            log.to_str().unwrap(),
        ],
    );
    let port = |addr: &str| addr.rsplit_once(':').unwrap().1.to_owned();
    let plain = format!("smpp://127.0.0.1:{}", port(&sim.addr));
    node_esme(&modules, &plain, 10, None);
    let tls = format!("ssmpp://127.0.0.1:{}", port(sim.tls()));
    node_esme(&modules, &tls, 10, Some(&cert));

    let totals = sim.terminate();
    assert_eq!(totals["receipts"], 20, "{totals:#}");
    // Even messages are ASCII, odd ones UCS-2 (with a surrogate pair).
    let logged = json_lines(&std::fs::read_to_string(&log).unwrap());
    assert_eq!(logged.len(), 20, "{logged:#?}");
    let mut texts: Vec<&str> = logged.iter().map(|l| l["text"].as_str().unwrap()).collect();
    texts.sort_unstable();
    texts.dedup();
    let mut want: Vec<String> = (0..10)
        .map(|n| {
            if n % 2 == 0 {
                format!("message {n}")
            } else {
                format!("Привет {n} 👋")
            }
        })
        .collect();
    want.sort_unstable();
    assert_eq!(texts, want);
    assert!(
        logged
            .iter()
            .all(|l| l["system_id"] == "node" && l["parts"] == 1)
    );
}

#[test]
fn esme_sends_to_node_smpp_as_an_smsc() {
    let Some(modules) = node_smpp() else {
        return;
    };
    let mut node = spawn_piped(
        Command::new("node")
            .arg(modules.join("../node_smsc.js"))
            .args(["interop", "secret1"])
            .env("NODE_PATH", &modules),
    );
    let mut lines = BufReader::new(node.stdout.take().unwrap());
    let mut first = String::new();
    lines.read_line(&mut first).unwrap();
    let port = serde_json::from_str::<Value>(&first).unwrap()["listening"]
        .as_u64()
        .unwrap_or_else(|| panic!("{first}"));
    let connect = format!("127.0.0.1:{port}");
    let text =
        "From the esme tool to node-smpp, long enough to need two parts of a concatenated message."
            .repeat(2);
    let out = Esme::new("send", &connect, "interop", "secret1")
        .flags("--from 447700900001 --to 447700900002")
        .flag("--text", &text)
        .flags("--dlr --dlr-timeout-ms 10000")
        .run();
    stop(node);
    let mut log = String::new();
    lines.read_to_string(&mut log).unwrap();
    assert!(out.status.success(), "{}\nnode: {log}", show(&out));
    let sent = &stdout_lines(&out)[0];
    receipts_of_parts(sent, 2, "DELIVRD");
    // What node-smpp decoded: two parts with a concatenation element each,
    // the text split between them.
    let node_lines = json_lines(&log);
    let bind = node_lines
        .iter()
        .find(|l| l["pdu"] == "bind_transceiver")
        .unwrap();
    assert_eq!(bind["ok"], true);
    let submits: Vec<&Value> = node_lines
        .iter()
        .filter(|l| l["pdu"] == "submit_sm")
        .collect();
    assert_eq!(submits.len(), 2, "{log}");
    let mut joined = String::new();
    for (n, submit) in submits.iter().enumerate() {
        assert_eq!(submit["esm_class"], 0x40);
        assert_eq!(submit["registered_delivery"], 1);
        let udh = submit["udh"][0].as_str().unwrap();
        // IEI 0, length 3, reference, total 2, sequence n + 1.
        assert!(udh.starts_with("0003"), "{udh}");
        assert!(udh.ends_with(&format!("02{:02x}", n + 1)), "{udh}");
        joined.push_str(submit["message"].as_str().unwrap());
    }
    assert_eq!(joined, text);
    assert!(node_lines.iter().any(|l| l["pdu"] == "unbind"), "{log}");
}

/// `esme listen` for `system_id`, bound to `sim`, whose stdout nobody
/// reads any more.
fn listener_without_stdout(sim: &Sim, system_id: &str) -> Child {
    let (mut listener, _) = Esme::new("listen", &sim.addr, system_id, "pw")
        .flags("--timeout-ms 10000")
        .spawn_bound(sim, "the receiver binds", 1);
    drop(listener.stdout.take());
    listener
}

#[test]
fn listen_with_its_stdout_closed_refuses_the_message_and_exits() {
    let sim = Sim::start(&["--http", "127.0.0.1:0"]);
    let mut listener = listener_without_stdout(&sim, "shop");
    let body = json!({"system_id": "shop", "from": "447700900555", "text": "lost?"}).to_string();
    let (status, answer) = http(sim.http(), "POST", "/mo", &body);
    assert_eq!(status, 200, "{answer}");
    let answer: Value = serde_json::from_str(&answer).unwrap();
    // Not acknowledged: its line could not be written.
    assert_eq!(answer, json!({"parts": 1, "statuses": ["ESME_RX_T_APPN"]}));
    let stderr = drain(listener.stderr.take().unwrap());
    let status = wait_for(&mut listener, Duration::from_secs(10));
    let stderr = stderr.join().unwrap();
    assert_eq!(status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("stdout"), "{stderr}");
    let totals = &sim.terminate();
    assert_eq!(totals["received"]["unbind"]["ESME_ROK"], 1, "{totals:#}");
}

#[test]
fn send_and_bench_whose_report_cannot_be_written_fail() {
    let sim = Sim::start(&[]);
    let runs = [
        Esme::new("send", &sim.addr, "acct", "pw").flags("--to 447700900001 --text hello"),
        Esme::new("bench", &sim.addr, "acct", "pw").flags("--count 10 --json"),
        Esme::new("bench", &sim.addr, "acct", "pw").flags("--count 10"),
    ];
    for esme in &runs {
        let mut child = esme.spawn();
        // Nobody reads the report.
        drop(child.stdout.take());
        let stderr = drain(child.stderr.take().unwrap());
        let status = wait_for(&mut child, Duration::from_secs(30));
        let stderr = stderr.join().unwrap();
        // Not a success whose report went nowhere, and no panic.
        assert_eq!(status.code(), Some(2), "{:?}: {stderr}", esme.0);
        assert!(
            stderr.starts_with("esme: stdout: "),
            "{:?}: {stderr}",
            esme.0
        );
    }
    // The messages themselves went out.
    let totals = sim.terminate();
    assert_eq!(totals["messages"], 21, "{totals:#}");
}

/// Whether the peer of `stream` has closed it, waiting at most `wait`.
fn closed_within(stream: &mut TcpStream, wait: Duration) -> bool {
    stream.set_read_timeout(Some(wait)).unwrap();
    let mut octet = [0u8; 1];
    match stream.read(&mut octet) {
        Ok(0) => true,
        Ok(_) => false,
        Err(e) => matches!(
            e.kind(),
            std::io::ErrorKind::ConnectionReset | std::io::ErrorKind::ConnectionAborted
        ),
    }
}

#[test]
fn idle_http_clients_are_capped_and_timed_out_and_stats_still_answer() {
    let sim = Sim::start(&["--http", "127.0.0.1:0"]);
    // 100 clients that send half a request head and then nothing: 64 are
    // served (waiting for the rest of their head), the others closed.
    let mut clients: Vec<TcpStream> = (0..100)
        .map(|_| {
            let mut stream = TcpStream::connect(sim.http()).unwrap();
            stream
                .write_all(b"GET /stats HTTP/1.1\r\nHost: x\r\n")
                .unwrap();
            stream
        })
        .collect();
    let started = Instant::now();
    // The simulator closes the clients beyond 64 as it accepts them; the
    // others stay open until their head is late.
    let mut open = vec![true; clients.len()];
    let mut refused = 0;
    while refused < 36 && started.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(50));
        for (client, open) in clients.iter_mut().zip(&mut open) {
            if *open && closed_within(client, Duration::from_millis(1)) {
                *open = false;
                refused += 1;
            }
        }
    }
    assert_eq!(refused, 36, "100 clients, 64 served at once");
    // An SMPP bind is not held up by them.
    tokio().block_on(async {
        let (esme, _incoming) = transmitter(&sim.addr, "smpp").await;
        esme.unbind().await.unwrap();
    });
    // Each served client is closed once its head is 5 s late.
    let mut served: Vec<TcpStream> = clients
        .into_iter()
        .zip(open)
        .filter_map(|(client, open)| open.then_some(client))
        .collect();
    assert_eq!(served.len(), 64);
    for client in &mut served {
        assert!(closed_within(client, Duration::from_secs(10)));
    }
    let waited = started.elapsed();
    assert!(
        waited > Duration::from_secs(4) && waited < Duration::from_secs(8),
        "{waited:?}"
    );
    // Then a new client is served.
    assert_eq!(sim.stats()["totals"]["received"]["unbind"]["ESME_ROK"], 1);
    sim.terminate();
}

/// A simulator keeping ten messages, settling each `delay_ms` after it
/// was accepted, and the summary of a bench of `count` messages at once
/// asking for receipts, which must all be acknowledged.
fn forgetful(count: u64, delay_ms: &str, dlr_timeout_ms: u64) -> (Sim, Value) {
    let sim = Sim::start(&["--keep-messages", "10", "--dlr-delay-ms", delay_ms]);
    let out = Esme::new("bench", &sim.addr, "forgetful", "pw")
        .flags(&format!(
            "--count {count} --window {count} --dlr --dlr-timeout-ms {dlr_timeout_ms} --json"
        ))
        .run();
    assert_exit(&out, 1);
    let summary = stdout_lines(&out).remove(0);
    assert_eq!(summary["acknowledged"], count, "{summary:#}");
    (sim, summary)
}

#[test]
fn a_receipt_whose_message_is_forgotten_before_it_settles_counts_as_dropped() {
    // Ten messages kept, each settled after 300 ms: of 100 submitted at
    // once, 90 are forgotten before their receipt is due.
    let (sim, summary) = forgetful(100, "300", 1500);
    let summary = &summary;
    assert_eq!(summary["receipts"], 10, "{summary:#}");
    let totals = sim.terminate();
    assert_eq!(totals["messages"], 100, "{totals:#}");
    assert_eq!(totals["stored"], 10, "{totals:#}");
    assert_eq!(totals["receipts"], 10, "{totals:#}");
    // Every receipt asked for is sent or counted.
    assert_eq!(totals["receipts_dropped"], 90, "{totals:#}");
    assert_eq!(totals["receipts_waiting"], 0, "{totals:#}");
}

/// Runs `esme` (made for the simulator's address) against a simulator
/// started with `args` and `--http`; once it is bound and `meanwhile` has
/// returned, stops the simulator for good: its totals, and what `esme`
/// did then.
fn smsc_gone(
    args: &[&str],
    esme: impl FnOnce(&str) -> Esme,
    meanwhile: impl FnOnce(&Sim),
) -> (Value, Output) {
    let sim = Sim::start(&[&["--http", "127.0.0.1:0"], args].concat());
    let (child, _) = esme(&sim.addr).spawn_bound(&sim, "bound", 1);
    meanwhile(&sim);
    let totals = sim.terminate();
    (totals, output_within(child, Duration::from_secs(20)))
}

#[test]
fn bench_stops_when_the_smsc_goes_away_for_good() {
    // The simulator unbinds the bench and is gone: the bench reconnects
    // in vain, then gives up instead of waiting for ever.
    let (totals, out) = smsc_gone(
        &[],
        |addr| {
            Esme::new("bench", addr, "stranded", "pw")
                .flags("--count 1000000 --rate 500 --connect-timeout-ms 500 --json")
        },
        |_| std::thread::sleep(Duration::from_millis(300)),
    );
    check_unbound_at_shutdown(&totals, 1);
    assert_exit(&out, 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no session bound"), "{stderr}");
    let summary = &stdout_lines(&out)[0];
    let submitted = summary["submitted"].as_u64().unwrap();
    assert!(submitted < 1_000_000, "{summary:#}");
    assert_eq!(summary["acknowledged"], totals["messages"], "{summary:#}");
    assert!(
        summary["stopped"]
            .as_str()
            .unwrap()
            .contains("no session bound")
    );
}

#[test]
fn send_waiting_for_receipts_stops_when_the_smsc_goes_away_for_good() {
    // Gone with the receipt still due: the send reconnects in vain, then
    // prints its line instead of waiting out the minute.
    let (_, out) = smsc_gone(
        &["--dlr-delay-ms", "60000"],
        |addr| {
            Esme::new("send", addr, "stranded", "pw")
                .flags("--to 447700900123 --text late --dlr --dlr-timeout-ms 60000")
                .flags("--connect-timeout-ms 500")
        },
        |sim| {
            sim.wait_stats("message accepted", |s| s["totals"]["messages"] == 1);
        },
    );
    assert_exit(&out, 1);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("no session bound for 500 ms"), "{stderr}");
    let lines = stdout_lines(&out);
    assert_eq!(lines.len(), 1, "{}", show(&out));
    assert_eq!(lines[0]["statuses"], json!(["ESME_ROK"]));
    assert_eq!(lines[0]["receipts"], json!([]));
}

#[test]
fn send_to_an_smsc_gone_for_good_gives_up_on_every_part_left() {
    // An SMSC that binds once, then closes the connection at the first
    // submit_sm and never answers a bind again.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    let done = Arc::new(core::sync::atomic::AtomicBool::new(false));
    let finished = Arc::clone(&done);
    let smsc = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut header = [0u8; 16];
        stream.read_exact(&mut header).unwrap();
        let len = u32::from_be_bytes(header[..4].try_into().unwrap()) as usize;
        let mut body = vec![0u8; len - 16];
        stream.read_exact(&mut body).unwrap();
        // bind_transceiver_resp, ESME_ROK, the same sequence number.
        let mut resp = vec![0, 0, 0, 0x15, 0x80, 0, 0, 0x09, 0, 0, 0, 0];
        resp.extend_from_slice(&header[12..16]);
        resp.extend_from_slice(b"smsc\0");
        stream.write_all(&resp).unwrap();
        // The first submit_sm (or enquire_link): closed without an answer.
        let _ = stream.read_exact(&mut header);
        drop(stream);
        // Every later connection is closed at once.
        listener.set_nonblocking(true).unwrap();
        let until = Instant::now() + Duration::from_secs(20);
        while Instant::now() < until && !finished.load(core::sync::atomic::Ordering::Relaxed) {
            if let Ok((s, _)) = listener.accept() {
                drop(s);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    });
    let text = "Long enough to need two parts. ".repeat(6);
    let send = Esme::new("send", &addr, "stranded", "pw")
        .flags("--to 447700900123 --to 447700900124 --to 447700900125")
        .flag("--text", &text)
        .flags("--connect-timeout-ms 500");
    let out = output_within(send.spawn(), Duration::from_secs(20));
    done.store(true, core::sync::atomic::Ordering::Relaxed);
    assert_exit(&out, 1);
    let lines = stdout_lines(&out);
    assert_eq!(lines.len(), 3, "{}", show(&out));
    // The first message went out and its outcome is unknown; every part
    // after it was given up, none sent, each waiting no more once one
    // found no session.
    let statuses: Vec<&str> = lines
        .iter()
        .flat_map(|l| l["statuses"].as_array().unwrap())
        .map(|s| s.as_str().unwrap())
        .collect();
    assert_eq!(statuses.len(), 6, "{statuses:?}");
    let given_up = "not submitted: no session bound for 500 ms";
    assert!(statuses[2..].iter().all(|s| *s == given_up), "{statuses:?}");
    smsc.join().unwrap();
}

#[test]
fn listen_says_once_that_its_smsc_is_gone() {
    // The session reconnects in vain, twice a second and more: each
    // failure alike is said once.
    let (_, out) = smsc_gone(
        &[],
        |addr| {
            Esme::new("listen", addr, "watcher", "pw")
                .flags("--timeout-ms 2500 --connect-timeout-ms 200")
        },
        |_| {},
    );
    assert_exit(&out, 0);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches("esme: session 0 lost").count(),
        1,
        "{stderr}"
    );
    assert_eq!(stderr.matches("cannot connect").count(), 1, "{stderr}");
    assert_eq!(stderr.lines().count(), 2, "{stderr}");
}

/// Sends `signal` (`INT`, `TERM`) to `child`.
fn signal(child: &Child, signal: &str) {
    let sent = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
}

#[test]
fn bench_stopped_by_a_signal_unbinds_and_prints_what_it_did() {
    for name in ["INT", "TERM"] {
        let sim = Sim::start(&["--http", "127.0.0.1:0"]);
        let bench = Esme::new("bench", &sim.addr, "impatient", "pw")
            .flags("--count 1000000 --rate 500 --binds 2 --dlr --json");
        let (child, _) = bench.spawn_bound(&sim, "bench bound", 2);
        sim.wait_stats("messages accepted", |s| s["totals"]["messages"] != 0);
        signal(&child, name);
        let out = output_within(child, Duration::from_secs(15));
        assert_exit(&out, 1);
        let summary = &stdout_lines(&out)[0];
        assert_eq!(summary["stopped"], format!("SIG{name}"), "{summary:#}");
        // Every submit handed over was answered before the unbind.
        let submitted = summary["submitted"].as_u64().unwrap();
        assert!((1..1_000_000).contains(&submitted), "{summary:#}");
        assert_eq!(summary["acknowledged"], submitted, "{summary:#}");
        assert_eq!(summary["errors"], json!({}), "{summary:#}");
        let totals = sim.terminate();
        assert_eq!(totals["messages"], submitted, "{totals:#}");
        // Both sessions unbound by the bench, none left for the simulator.
        assert_eq!(totals["received"]["unbind"]["ESME_ROK"], 2, "{totals:#}");
        assert_eq!(totals["sent"].get("unbind"), None, "{totals:#}");
    }
}

#[test]
fn send_stopped_by_a_signal_prints_its_lines_without_waiting_for_receipts() {
    let sim = Sim::start(&["--http", "127.0.0.1:0", "--dlr-delay-ms", "60000"]);
    let send = Esme::new("send", &sim.addr, "impatient", "pw")
        .flags("--to 447700900123 --text late --dlr --dlr-timeout-ms 60000");
    let (child, _) = send.spawn_bound(&sim, "send bound", 1);
    sim.wait_stats("message accepted", |s| s["totals"]["messages"] == 1);
    signal(&child, "INT");
    let out = output_within(child, Duration::from_secs(15));
    assert_exit(&out, 1);
    let lines = stdout_lines(&out);
    assert_eq!(lines.len(), 1, "{}", show(&out));
    assert_eq!(lines[0]["statuses"], json!(["ESME_ROK"]));
    assert_eq!(lines[0]["receipts"], json!([]));
    let totals = sim.terminate();
    assert_eq!(totals["received"]["unbind"]["ESME_ROK"], 1, "{totals:#}");
}

#[test]
fn a_certificate_refused_fails_at_once() {
    let (sim, cert) = tls_sim("tls-refused", &[]);
    let (_, other) = tls_sim("tls-refused-other", &[]);
    let port = sim.tls().rsplit_once(':').unwrap().1;
    let localhost = format!("localhost:{port}");
    // Neither a certificate nobody trusts nor one for another name gets
    // better with time: the minute --connect-timeout-ms allows is not
    // waited for.
    for (ca, name) in [(&other, "localhost"), (&cert, "smsc.example")] {
        let send = Esme::new("send", &localhost, "secure", "pw")
            .flag("--server-name", name)
            .flag("--ca", ca.to_str().unwrap())
            .flags("--tls --to 1 --text x --connect-timeout-ms 60000");
        let out = output_within(send.spawn(), Duration::from_secs(20));
        assert_exit(&out, 2);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("invalid peer certificate"), "{stderr}");
    }
    // Nor does a port that speaks plain SMPP.
    let send = Esme::new("send", &sim.addr, "secure", "pw")
        .flag("--ca", cert.to_str().unwrap())
        .flags("--tls --server-name localhost --to 1 --text x --connect-timeout-ms 60000");
    let out = output_within(send.spawn(), Duration::from_secs(20));
    assert_exit(&out, 2);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("not a TLS port?"), "{stderr}");
}

#[test]
fn bench_never_has_two_long_messages_with_one_reference_in_flight() {
    // 2,000 messages of three parts over 8 windows of 200: far more than
    // the 256 references of an 8-bit concatenation element are in flight
    // at once unless the bench waits for a reference to be free.
    let sim = Sim::start(&[]);
    let out = Esme::new("bench", &sim.addr, "long", "pw")
        .flags("--count 2000 --binds 8 --window 200 --mix long --json")
        .run();
    check_summary_without_receipts(&success_lines(&out)[0], 2000, 6000);
    let totals = sim.terminate();
    // Each message joined from its own three parts.
    assert_eq!(totals["messages"], 6000, "{totals:#}");
    assert_eq!(totals["messages_complete"], 2000, "{totals:#}");
    assert_eq!(totals["parts_pending"], 0, "{totals:#}");
}

/// [`check_summary`] for a run that asked for no receipts.
fn check_summary_without_receipts(summary: &Value, messages: u64, submitted: u64) {
    let mut with = summary.clone();
    with["receipts"] = submitted.into();
    with["receipts_expected"] = submitted.into();
    assert_eq!(summary["receipts_expected"], 0, "{summary:#}");
    check_summary(&with, messages, submitted);
}

#[test]
fn a_signal_while_connecting_ends_the_attempt() {
    // Nobody listens there: the tools try again until the connect
    // timeout, unless told to stop.
    let nobody = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = nobody.local_addr().unwrap().to_string();
    drop(nobody);
    for command in ["send", "bench", "listen"] {
        let esme = Esme::new(command, &addr, "early", "pw")
            .flags("--connect-timeout-ms 60000")
            .flags(match command {
                "send" => "--to 1 --text x",
                "bench" => "--count 1",
                _ => "",
            });
        let child = esme.spawn();
        std::thread::sleep(Duration::from_millis(300));
        signal(&child, "INT");
        let out = output_within(child, Duration::from_secs(20));
        assert_exit(&out, 2);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("SIGINT before every session was bound"),
            "{stderr}"
        );
    }
}

#[test]
fn bench_counts_the_throttling_of_sessions_gone_too() {
    let sim = Sim::start(&["--http", "127.0.0.1:0", "--throttle-above", "2"]);
    let bench = Esme::new("bench", &sim.addr, "throttled", "pw")
        .flags("--count 1000000 --rate 50 --retry-throttled 1000 --connect-timeout-ms 500 --json");
    let (child, _) = bench.spawn_bound(&sim, "bench bound", 1);
    sim.wait_stats("throttled", |s| {
        s["totals"]["throttled"].as_u64().unwrap() >= 5
    });
    // The session the throttling happened on is gone when the bench
    // reports.
    let totals = sim.terminate();
    let out = output_within(child, Duration::from_secs(20));
    assert_exit(&out, 1);
    let summary = &stdout_lines(&out)[0];
    assert_eq!(summary["throttled"], totals["throttled"], "{summary:#}");
}

#[test]
fn a_receipt_refused_for_now_is_sent_again() {
    let sim = Sim::start(&["--http", "127.0.0.1:0"]);
    // A receiver that cannot write what it gets answers ESME_RX_T_APPN
    // and leaves.
    let mut refusing = listener_without_stdout(&sim, "retry");
    let sent = Esme::new("send", &sim.addr, "retry", "pw")
        .flags("--bind tx --to 447700900123 --text again --dlr --dlr-timeout-ms 100")
        .run();
    let id = stdout_lines(&sent)[0]["message_ids"][0].clone();
    let status = wait_for(&mut refusing, Duration::from_secs(10));
    assert_eq!(status.code(), Some(2));
    // The receipt was not lost: the next receiver gets it.
    let out = Esme::new("listen", &sim.addr, "retry", "pw")
        .flags("--count 1 --timeout-ms 10000")
        .run();
    let receipt = &success_lines(&out)[0];
    assert_eq!(receipt["message_id"], id, "{receipt:#}");
    let totals = sim.terminate();
    assert_eq!(totals["receipts"], 1, "{totals:#}");
    assert_eq!(totals["receipts_failed"], 0, "{totals:#}");
    let refused = &totals["received"]["deliver_sm_resp"]["ESME_RX_T_APPN"];
    assert_eq!(*refused, 1, "{totals:#}");
}

#[test]
fn a_bind_that_cannot_do_the_command_is_a_wrong_flag() {
    // Refused before connecting: nobody listens there, and the minute
    // --connect-timeout-ms allows is not waited for.
    let nobody = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = nobody.local_addr().unwrap().to_string();
    drop(nobody);
    for (command, flags, wrong) in [
        ("send", "--bind rx --to 1 --text x", "--bind rx"),
        ("bench", "--bind rx --count 1", "--bind rx"),
        ("listen", "--bind tx", "--bind tx"),
        // A message no SMSC would take is as wrong a flag.
        (
            "bench",
            "--to 1234567890123456789012345 --count 1",
            "destination_addr",
        ),
    ] {
        let out = output_within(
            Esme::new(command, &addr, "wrong", "pw")
                .flags(flags)
                .flags("--connect-timeout-ms 60000")
                .spawn(),
            Duration::from_secs(20),
        );
        assert_exit(&out, 2);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains(wrong), "{stderr}");
    }
}

#[test]
fn receipts_still_waiting_out_the_delay_are_counted_and_add_up() {
    // Ten messages kept, each settled a minute after it was accepted: of
    // 31, 21 are forgotten (the receipts of 21 of the first 30 dropped),
    // and 9 receipts still wait out the delay when the simulator stops.
    let (sim, _) = forgetful(30, "60000", 100);
    // And one that asks for no receipt.
    let out = Esme::new("send", &sim.addr, "forgetful", "pw")
        .flags("--to 447700900123 --text quiet")
        .run();
    assert_exit(&out, 0);
    let totals = sim.terminate();
    assert_eq!(totals["messages"], 31, "{totals:#}");
    assert_eq!(totals["stored"], 10, "{totals:#}");
    assert_eq!(totals["receipts_due"], 9, "{totals:#}");
    assert_eq!(totals["receipts_dropped"], 21, "{totals:#}");
    // Every receipt asked for is accounted for.
    assert_eq!(receipts_accounted(&totals), 30, "{totals:#}");
}

/// Part `seq` of `total` of a long message with SAR reference `reference`.
fn sar_part(reference: u16, total: u8, seq: u8) -> smpp_std::Pdu {
    SubmitSmBuilder::new(0)
        .source_addr("447700900001")
        .destination_addr("447700900002")
        .short_message(format!("part {seq} of {total}"))
        .sar(reference, total, seq)
        .build()
        .unwrap()
}

#[test]
fn long_messages_whose_parts_never_all_came_are_counted_when_they_expire() {
    let sim = Sim::start(&["--http", "127.0.0.1:0", "--reassembly-timeout-ms", "1500"]);
    tokio().block_on(async {
        let (esme, _incoming) = transmitter(&sim.addr, "gappy").await;
        // Two of three parts of one message, one of two of another.
        for pdu in [sar_part(1, 3, 1), sar_part(1, 3, 3), sar_part(2, 2, 2)] {
            assert!(esme.submit_sm(pdu).await.unwrap().is_ok());
        }
        let totals = &sim.stats()["totals"];
        assert_eq!(totals["messages"], 3, "{totals:#}");
        assert_eq!(totals["messages_complete"], 0, "{totals:#}");
        assert_eq!(totals["messages_incomplete"], 2, "{totals:#}");
        assert_eq!(totals["parts_pending"], 3, "{totals:#}");
        assert_eq!(totals["messages_expired"], 0, "{totals:#}");
        // Nothing more comes: they expire all the same.
        sim.wait_stats("expired", |s| s["totals"]["messages_expired"] == 2);
        esme.unbind().await.unwrap();
    });
    let totals = sim.terminate();
    let expected = [
        ("messages_incomplete", 0),
        ("parts_pending", 0),
        ("messages_expired", 2),
        ("parts_expired", 3),
    ];
    for (key, n) in expected {
        assert_eq!(totals[key], n, "{key}: {totals:#}");
    }
}

#[test]
fn bench_times_only_the_responses_when_the_smsc_goes_away() {
    let sim = Sim::start(&["--http", "127.0.0.1:0"]);
    let bench = Esme::new("bench", &sim.addr, "slow", "pw")
        .flags("--count 100 --rate 1 --connect-timeout-ms 300 --json");
    let (child, _) = bench.spawn_bound(&sim, "bench bound", 1);
    sim.wait_stats("one message", |s| s["totals"]["messages"] == 1);
    let totals = sim.terminate();
    let out = output_within(child, Duration::from_secs(20));
    assert_exit(&out, 1);
    let summary = &stdout_lines(&out)[0];
    assert_eq!(summary["acknowledged"], totals["messages"], "{summary:#}");
    let acknowledged = summary["acknowledged"].as_u64().unwrap();
    let submitted = summary["submitted"].as_u64().unwrap();
    let errors: u64 = summary["errors"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(acknowledged + errors, submitted, "{summary:#}");
    assert!(
        summary["not_sent"].as_u64().unwrap() <= errors,
        "{summary:#}"
    );
    // Only the responses are timed.
    let latency = &summary["latency_ms"];
    assert_eq!(latency["count"], acknowledged, "{summary:#}");
    assert!(latency["p50"].as_f64().unwrap() > 0.0, "{summary:#}");
}

/// Starts `esme listen --accept-outbind 127.0.0.1:0` with `flags`: the
/// process, the address it waits on, and the rest of its stderr to come.
fn outbind_listener(flags: &str) -> (Child, String, JoinHandle<String>) {
    let mut child = Esme(Vec::new())
        .flags("listen --accept-outbind 127.0.0.1:0 --system-id outbound --password pw")
        .flags(flags)
        .spawn();
    let mut stderr = BufReader::new(child.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    let line: Value = serde_json::from_str(&first).unwrap_or_else(|e| panic!("{e}: {first:?}"));
    let addr = line["outbind_listening"].as_str().unwrap().to_owned();
    (child, addr, drain(stderr))
}

/// Waits for the listener of [`outbind_listener`] to exit: its output.
fn outbind_listener_output(mut child: Child, stderr: JoinHandle<String>) -> Output {
    let stdout = drain(child.stdout.take().unwrap());
    let status = wait_for(&mut child, Duration::from_secs(15));
    Output {
        status,
        stdout: stdout.join().unwrap().into_bytes(),
        stderr: stderr.join().unwrap().into_bytes(),
    }
}

#[test]
fn the_simulator_outbinds_to_a_listening_esme() {
    let (listener, addr, stderr) =
        outbind_listener("--outbind-password s3cret --count 1 --timeout-ms 10000");
    // A connection that never sends an outbind (a port probe) holds up
    // no other.
    let silent = TcpStream::connect(&addr).unwrap();
    let sim = Sim::start(&[
        "--http",
        "127.0.0.1:0",
        "--users",
        "outbound:pw",
        "--outbind",
        &addr,
        "--outbind-password",
        "s3cret",
    ]);
    let stats = sim.wait_stats("the ESME binds after the outbind", |s| {
        s["sessions"].as_array().unwrap().len() == 1
    });
    let session = &stats["sessions"][0];
    assert_eq!(session["system_id"], "outbound", "{stats:#}");
    assert_eq!(session["bind_type"], "receiver", "{stats:#}");
    let mo = json!({"system_id": "outbound", "from": "447700900555", "text": "Hi"});
    let (code, answer) = http(sim.http(), "POST", "/mo", &mo.to_string());
    assert_eq!(code, 200, "{answer}");
    let out = outbind_listener_output(listener, stderr);
    let lines = success_lines(&out);
    assert_eq!(lines.len(), 1, "{}", show(&out));
    assert_eq!(lines[0]["type"], "mo");
    assert_eq!(lines[0]["text"], "Hi");
    drop(silent);
    let totals = sim.terminate();
    assert_eq!(
        totals["received"]["bind_receiver"]["ESME_ROK"], 1,
        "{totals:#}"
    );
    assert!(totals["outbinds"].as_u64().unwrap() >= 1, "{totals:#}");
}

#[test]
fn an_outbind_with_the_wrong_password_is_refused_and_tried_again() {
    let (listener, addr, stderr) = outbind_listener("--outbind-password s3cret");
    let sim = Sim::start(&[
        "--http",
        "127.0.0.1:0",
        "--outbind",
        &addr,
        "--outbind-password",
        "guess",
        "--outbind-retry-ms",
        "100",
    ]);
    sim.wait_stats("outbound again", |s| {
        s["totals"]["outbinds"].as_u64().unwrap() >= 5
    });
    signal(&listener, "INT");
    let out = outbind_listener_output(listener, stderr);
    // Nothing was bound, nothing printed; the listener waited until told.
    assert_eq!(success_lines(&out), Vec::<Value>::new());
    // Said once, not at every retry.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("outbind from").count(), 1, "{stderr}");
    assert!(
        stderr.contains("refused: not the --outbind-password"),
        "{stderr}"
    );
    let totals = sim.terminate();
    assert_eq!(totals["received"].get("bind_receiver"), None, "{totals:#}");
    // No ESME at all: each attempt fails, and the simulator goes on.
    let sim = Sim::start(&[
        "--http",
        "127.0.0.1:0",
        "--outbind",
        &addr,
        "--outbind-retry-ms",
        "50",
    ]);
    sim.wait_stats("failed twice", |s| {
        s["totals"]["outbinds_failed"].as_u64().unwrap() >= 2
    });
    sim.terminate();
}

/// Binds a transmitter of "a" to the SMSC at `addr`, then reads and
/// answers nothing: an unbind waits for an answer that never comes.
fn stalled_bind(addr: &str) -> TcpStream {
    let mut stalled = TcpStream::connect(addr).unwrap();
    let body = b"a\0\0\0\x34\0\0\0";
    let mut bind = Vec::new();
    bind.extend_from_slice(&u32::try_from(16 + body.len()).unwrap().to_be_bytes());
    bind.extend_from_slice(&[0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 1]);
    bind.extend_from_slice(body);
    stalled.write_all(&bind).unwrap();
    stalled
}

#[test]
fn a_second_signal_ends_a_shutdown_that_waits_for_a_stalled_session() {
    let sim = Sim::start(&["--http", "127.0.0.1:0", "--shutdown-timeout-ms", "60000"]);
    let stalled = stalled_bind(&sim.addr);
    sim.wait_stats("bound", |s| s["sessions"].as_array().unwrap().len() == 1);
    let mut sim = sim;
    signal(&sim.child, "TERM");
    std::thread::sleep(Duration::from_millis(300));
    assert!(sim.child.try_wait().unwrap().is_none(), "still unbinding");
    signal(&sim.child, "TERM");
    let status = wait_for(&mut sim.child, Duration::from_secs(10));
    assert_eq!(status.code(), Some(1));
    drop(stalled);
}

#[test]
fn an_address_without_a_port_is_a_wrong_flag() {
    // Refused at once, not tried again until --connect-timeout-ms.
    for addr in ["127.0.0.1", "smsc.example", "127.0.0.1:99999", ":2775"] {
        let send = Esme::new("send", addr, "early", "pw")
            .flags("--to 1 --text x --connect-timeout-ms 60000");
        let out = output_within(send.spawn(), Duration::from_secs(20));
        assert_exit(&out, 2);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("expected HOST:PORT"), "{stderr}");
    }
    // Nor outbound to for ever.
    let sim = spawn_piped(Command::new(env!("CARGO_BIN_EXE_smsc-sim")).args([
        "--listen",
        "127.0.0.1:0",
        "--outbind",
        "127.0.0.1",
    ]));
    let out = output_within(sim, Duration::from_secs(20));
    assert_exit(&out, 2);
    assert!(show(&out).contains("expected HOST:PORT"), "{}", show(&out));
}

/// The receipts asked for, as the totals account for them: sent, failed,
/// waiting, being sent, dropped or still due.
fn receipts_accounted(totals: &Value) -> u64 {
    [
        "receipts",
        "receipts_failed",
        "receipts_waiting",
        "receipts_sending",
        "receipts_dropped",
        "receipts_due",
    ]
    .iter()
    .map(|k| {
        totals[k]
            .as_u64()
            .unwrap_or_else(|| panic!("{k}: {totals:#}"))
    })
    .sum()
}

#[test]
fn an_outbound_session_is_unbound_when_the_simulator_stops() {
    let (listener, addr, stderr) = outbind_listener("");
    let sim = Sim::start(&["--http", "127.0.0.1:0", "--outbind", &addr]);
    sim.wait_stats("bound after the outbind", |s| {
        s["sessions"].as_array().unwrap().len() == 1
    });
    let totals = sim.terminate();
    check_unbound_at_shutdown(&totals, 1);
    // The listener waits for the next outbind until told to stop.
    signal(&listener, "INT");
    let out = outbind_listener_output(listener, stderr);
    assert_exit(&out, 0);
}

#[test]
fn a_closed_stderr_does_not_stop_the_tools_from_stopping() {
    // A reader of stderr that went away (a log pipe that died): the
    // messages the tools print on a signal must not cost the signal.
    let sim = Sim::start(&["--http", "127.0.0.1:0"]);
    let mut listener = Esme::new("listen", &sim.addr, "deaf", "pw").spawn();
    drop(listener.stderr.take());
    sim.wait_stats("bound", |s| s["sessions"].as_array().unwrap().len() == 1);
    signal(&listener, "INT");
    let status = wait_for(&mut listener, Duration::from_secs(10));
    assert_eq!(status.code(), Some(0));
    let totals = sim.terminate();
    assert_eq!(totals["received"]["unbind"]["ESME_ROK"], 1, "{totals:#}");

    // Nor a second signal, to a simulator whose shutdown waits for a
    // session that stalls.
    let mut sim = spawn_piped(Command::new(env!("CARGO_BIN_EXE_smsc-sim")).args([
        "--listen",
        "127.0.0.1:0",
        "--shutdown-timeout-ms",
        "60000",
    ]));
    let mut stderr = BufReader::new(sim.stderr.take().unwrap());
    let mut first = String::new();
    stderr.read_line(&mut first).unwrap();
    drop(stderr);
    let addresses: Value = serde_json::from_str(&first).unwrap();
    let stalled = stalled_bind(addresses["listening"].as_str().unwrap());
    // Bound once the response came.
    let mut response = [0; 16];
    (&stalled).read_exact(&mut response).unwrap();
    signal(&sim, "TERM");
    std::thread::sleep(Duration::from_millis(300));
    signal(&sim, "TERM");
    let status = wait_for(&mut sim, Duration::from_secs(10));
    assert_eq!(status.code(), Some(1));
}
