//! Shared by the `throughput` and `memory` benches: the SMSC applications
//! and ESME listener of both implementations (this workspace's
//! `smpp_std::{client, server}` and the `smpp34` crate's), the
//! `submit_sm` both send, and the child processes that hold the other end
//! of the connections.

// Each bench uses a part of this module.
#![allow(dead_code)]

use core::net::{IpAddr, Ipv4Addr, SocketAddr};
use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;
use std::io::{BufRead, BufReader, Read};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Mutex, mpsc};

use async_trait::async_trait;
use smpp_core::CommandStatus;
use smpp_std::server::{BindRequest, Context, Handler};
use smpp_std::session::Answer;
use smpp34::client::{BIND_TYPE, SMSC, SmppClient, SmppClientListener};
use smpp34::{
    SmppConnectionInformation, SmppServerListener, bind_transceiver, bind_transceiver_resp,
    bind_transmitter, bind_transmitter_resp,
};
use tokio::sync::oneshot;

/// The `message_id` both SMSCs answer every `submit_sm` with.
pub(crate) const MESSAGE_ID: &str = "5a3c9e01";

/// Our SMSC: accepts every bind, answers every request at once with
/// [`MESSAGE_ID`].
pub(crate) struct Smsc;

impl Handler for Smsc {
    async fn bind(&self, _cx: &Context, _bind: &BindRequest) -> CommandStatus {
        CommandStatus::ESME_ROK
    }

    async fn request(&self, _cx: &Context, _pdu: smpp_std::Pdu) -> Answer {
        Answer::MessageId(bytes::Bytes::from_static(MESSAGE_ID.as_bytes()))
    }
}

/// smpp34's SMSC: accepts every transmitter and transceiver bind, answers
/// every `submit_sm` with [`MESSAGE_ID`], counts the binds.
#[derive(Default)]
pub(crate) struct Smpp34Smsc {
    /// Sessions bound so far.
    pub(crate) bound: AtomicUsize,
}

#[async_trait]
impl SmppServerListener for Smpp34Smsc {
    async fn on_bind_transmitter(
        &self,
        bind: bind_transmitter,
        _connection: &SmppConnectionInformation,
        _session_id: &String,
    ) -> bind_transmitter_resp {
        bind.accept("SMSC".to_string(), Some(0x34))
    }

    async fn on_bind_transceiver(
        &self,
        bind: bind_transceiver,
        _connection: &SmppConnectionInformation,
        _session_id: &String,
    ) -> bind_transceiver_resp {
        bind.accept("SMSC".to_string(), Some(0x34))
    }

    async fn on_submit_sm(
        &self,
        submit_sm: smpp34::submit_sm,
        _connection: &SmppConnectionInformation,
        _session_id: &String,
    ) -> smpp34::submit_sm_resp {
        submit_sm.accept(MESSAGE_ID.to_string())
    }

    async fn on_esme_bound(&self, _esme: smpp34::server::ESME, _session_id: &String) {
        self.bound.fetch_add(1, Ordering::SeqCst);
    }
}

/// smpp34's ESME listener: hands the bound session (`SMSC`) out once.
pub(crate) struct Smpp34Binder {
    bound: Mutex<Option<oneshot::Sender<SMSC>>>,
}

impl Smpp34Binder {
    /// The listener, and where the bound session arrives.
    pub(crate) fn new() -> (std::sync::Arc<Self>, oneshot::Receiver<SMSC>) {
        let (tx, rx) = oneshot::channel();
        let binder = Self {
            bound: Mutex::new(Some(tx)),
        };
        (std::sync::Arc::new(binder), rx)
    }
}

#[async_trait]
impl SmppClientListener for Smpp34Binder {
    async fn on_smsc_bound(&self, smsc: SMSC, _session_id: &String) {
        let sender = self
            .bound
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(sender) = sender {
            let _ = sender.send(smsc);
        }
    }
}

/// An smpp34 ESME that binds as a transmitter to `addr` (`start` connects
/// and binds), with smpp34's default timers and buffer size, except the
/// `session_init_timer` (how long it waits for the bind response).
pub(crate) fn smpp34_esme(
    addr: SocketAddr,
    listener: std::sync::Arc<Smpp34Binder>,
    window: usize,
    session_init_ms: u64,
) -> SmppClient {
    SmppClient::new_with_default_timers(
        addr.ip().to_string(),
        addr.port(),
        false,
        BIND_TYPE::TX,
        "bench".to_string(),
        "bench".to_string(),
        String::new(),
        1,
        1,
        String::new(),
        listener,
        session_init_ms,
        30_000,
        300_000,
        30_000,
        1500,
        window,
    )
}

/// A tokio runtime with two workers (the machine's cores, in the
/// measurements of `RESULTS.md`).
pub(crate) fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

/// A free loopback port (smpp34's server takes a port, not a listener).
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// The loopback address.
pub(crate) const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// This bench binary re-run as a child process with `args`; its first line
/// of output is read back. The child ends when its standard input closes
/// (see [`exit_when_stdin_closes`]), so it never outlives this process.
pub(crate) struct Peer {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<String>,
}

/// How long a child may take to say its line.
const LINE_TIMEOUT: Duration = Duration::from_mins(3);

impl Peer {
    /// Starts the child.
    ///
    /// # Panics
    ///
    /// If it cannot be started.
    pub(crate) fn spawn(args: &[&str]) -> Self {
        let exe = std::env::current_exe().expect("the bench binary's path");
        let mut child = Command::new(exe)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("the child process starts");
        let stdin = child.stdin.take();
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    return;
                }
            }
        });
        Self {
            child,
            stdin,
            lines,
        }
    }

    /// The child's next line of output.
    ///
    /// # Panics
    ///
    /// If the child ended first, or said nothing for three minutes.
    pub(crate) fn line(&mut self) -> String {
        match self.lines.recv_timeout(LINE_TIMEOUT) {
            Ok(line) => line,
            Err(e) => panic!("no line from the child process: {e}"),
        }
    }

    /// Tells the child to stop and waits for it.
    pub(crate) fn stop(mut self) {
        self.end();
    }

    fn end(&mut self) {
        // Closing its standard input stops it; kill it if it does not.
        drop(self.stdin.take());
        for _ in 0..50 {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        self.end();
    }
}

/// In a child process: exits once the parent closes our standard input
/// (it ended, or it is done with us).
pub(crate) fn exit_when_stdin_closes() {
    std::thread::spawn(|| {
        let mut sink = Vec::new();
        let _ = std::io::stdin().read_to_end(&mut sink);
        std::process::exit(0);
    });
}

/// Prints one line to the parent and flushes it.
pub(crate) fn tell_parent(line: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{line}");
    let _ = out.flush();
}

/// The value after `flag` in `args`.
pub(crate) fn arg<'a>(args: &'a [String], flag: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}
