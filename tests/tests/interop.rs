//! Interop with real SMPP implementations from the package registries
//! (`tests/interop/README.md`): `smpplib` (`PyPI`) as an ESME against
//! `smpp_std::server`, and `node-smpp` (npm) as an SMSC for
//! `smpp_std::client` and as an ESME against `smpp_std::server`, over TCP
//! and (feature `tls`) over TLS. Each side checks what the other decoded;
//! the bulk runs account for every message and every delivery receipt.
//!
//! A peer that is not installed is skipped with a note on stderr, unless
//! `SMPP_INTEROP=require` is set (CI sets it after installing both), in
//! which case its absence fails the test. Every wait is bounded: a run
//! that hangs fails with what each side saw so far.

use core::future::Future;
use core::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use core::time::Duration;
use std::collections::HashSet;
use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use bytes::Bytes;
use serde_json::Value;
use smpp_core::session::{BindType, Config};
use smpp_core::text::udh::Udh;
use smpp_core::{
    Body, CommandStatus, DataCoding, EsmClass, MessageState, RegisteredDelivery, TlvTag,
};
use smpp_std::client::{self, Client};
use smpp_std::server::{BindRequest, Context, Handler, Server, ServerHandle};
use smpp_std::session::{Answer, Error as ClientError, Incoming, SmResponse};
use smpp_std::text::decode_short_message;
use smpp_std::{Pdu, SubmitSmBuilder};

const SYSTEM_ID: &str = "interop";
const PASSWORD: &str = "secret1";
/// How long a bulk run may take, end to end, before it counts as hung.
const BULK_DEADLINE: Duration = Duration::from_mins(2);
/// How long a peer may stay silent while more is expected of it.
const QUIET: Duration = Duration::from_secs(30);

fn interop_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("interop")
}

/// Whether a peer is there; if not, whether that fails the test.
fn available(peer: &str, ok: bool) -> bool {
    if !ok {
        assert!(
            std::env::var("SMPP_INTEROP").as_deref() != Ok("require"),
            "{peer} is not installed (see tests/interop/README.md) and SMPP_INTEROP=require"
        );
        eprintln!("skipped: {peer} is not installed (see tests/interop/README.md)");
    }
    ok
}

/// Whether `python3` can import `modules` (a Python import list), as a peer
/// written in Python needs.
fn python_imports(modules: &str) -> bool {
    Command::new("python3")
        .args(["-c", &format!("import {modules}")])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether node-smpp is installed (if not, whether that fails the test).
fn node_smpp() -> bool {
    available("node-smpp (npm)", node_smpp_installed())
}

fn node_smpp_installed() -> bool {
    interop_dir()
        .join("node_modules/smpp/package.json")
        .is_file()
        && Command::new("node")
            .arg("--version")
            .stdout(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
}

/// One JSON object per line of a peer's output.
fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// A peer's log in short: how many lines of each PDU (or error), and the
/// last few lines.
fn summary(lines: &[Value]) -> String {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for line in lines {
        let key = match (&line["pdu"], &line["error"]) {
            (Value::String(pdu), _) => pdu.clone(),
            (_, Value::Null) => "other".to_owned(),
            (_, _) => "error".to_owned(),
        };
        match counts.iter_mut().find(|(k, _)| *k == key) {
            Some((_, n)) => *n += 1,
            None => counts.push((key, 1)),
        }
    }
    let tail: Vec<String> = lines
        .iter()
        .rev()
        .take(4)
        .rev()
        .map(ToString::to_string)
        .collect();
    format!("{counts:?}, last lines: {}", tail.join(" "))
}

// ---------------------------------------------------------------------------
// Transports and certificates

/// How the peers connect.
enum Transport {
    /// Plain TCP.
    Plain,
    /// TLS, with certificates made for the test.
    #[cfg(feature = "tls")]
    Tls(pki::Pki),
}

impl Transport {
    /// The scheme of node-smpp's URLs.
    fn scheme(&self) -> &'static str {
        match self {
            Self::Plain => "smpp",
            #[cfg(feature = "tls")]
            Self::Tls(_) => "ssmpp",
        }
    }

    /// The PEM files of the certificates (`ca.pem`, `cert.pem`,
    /// `key.pem`) named, for node-smpp; none over plain TCP.
    fn files(&self, names: &[&str]) -> Vec<OsString> {
        match self {
            Self::Plain => {
                let _ = names;
                Vec::new()
            }
            #[cfg(feature = "tls")]
            Self::Tls(pki) => names.iter().map(|n| pki.file(n).into()).collect(),
        }
    }
}

#[cfg(feature = "tls")]
mod pki {
    //! A certificate authority and a certificate for `localhost` and
    //! 127.0.0.1 signed by it, made for one test: as rustls configurations
    //! for our side and as PEM files for node-smpp's.

    use std::path::{Path, PathBuf};
    use std::sync::Arc;

    use rcgen::{
        BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose,
        IsCa, KeyPair, KeyUsagePurpose,
    };
    use smpp_std::client::rustls;

    pub(crate) struct Pki {
        dir: PathBuf,
        pub(crate) server: Arc<rustls::ServerConfig>,
        pub(crate) client: Arc<rustls::ClientConfig>,
    }

    impl Pki {
        /// Makes the certificates, and writes `ca.pem`, `cert.pem` and
        /// `key.pem` to a directory of their own named after `test`.
        pub(crate) fn new(test: &str) -> Self {
            let mut ca = CertificateParams::new(Vec::new()).unwrap();
            ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
            ca.distinguished_name
                .push(DnType::CommonName, "SMPP interop test CA");
            ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
            let ca = CertifiedIssuer::self_signed(ca, KeyPair::generate().unwrap()).unwrap();

            let mut leaf =
                CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
                    .unwrap();
            leaf.distinguished_name
                .push(DnType::CommonName, "localhost");
            leaf.key_usages = vec![KeyUsagePurpose::DigitalSignature];
            leaf.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
            leaf.use_authority_key_identifier_extension = true;
            let key = KeyPair::generate().unwrap();
            let cert = leaf.signed_by(&key, &*ca).unwrap();

            let dir =
                std::env::temp_dir().join(format!("smpp-interop-{}-{test}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("ca.pem"), ca.pem()).unwrap();
            std::fs::write(dir.join("cert.pem"), cert.pem()).unwrap();
            std::fs::write(dir.join("key.pem"), key.serialize_pem()).unwrap();

            let provider = Arc::new(rustls::crypto::ring::default_provider());
            let server = rustls::ServerConfig::builder_with_provider(Arc::clone(&provider))
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_no_client_auth()
                .with_single_cert(
                    vec![cert.der().clone()],
                    rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
                )
                .unwrap();
            let mut roots = rustls::RootCertStore::empty();
            roots.add(ca.der().clone()).unwrap();
            let client = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .unwrap()
                .with_root_certificates(roots)
                .with_no_client_auth();
            Self {
                dir,
                server: Arc::new(server),
                client: Arc::new(client),
            }
        }

        /// One of the PEM files.
        pub(crate) fn file(&self, name: &str) -> PathBuf {
            let path = self.dir.join(name);
            assert!(Path::is_file(&path), "{}", path.display());
            path
        }
    }

    impl Drop for Pki {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

// ---------------------------------------------------------------------------
// Our SMSC

/// An SMSC that records every `submit_sm` and sends a delivery receipt for
/// each one that asks for it, to the account's receiving session
/// (`ServerHandle::deliver_to_system_id`), recording the ESME's answer.
#[derive(Default)]
struct Recorder {
    submits: Mutex<Vec<(EsmClass, DataCoding, Bytes)>>,
    next_id: AtomicU32,
    binds: Mutex<Vec<(String, CommandStatus)>>,
    /// What each receipt got: the ESME's status, or why it got none.
    receipts: Arc<Mutex<Vec<Result<CommandStatus, String>>>>,
}

impl Recorder {
    /// Waits (at most `QUIET`) until `n` receipts have their outcome.
    fn receipt_outcomes(&self, n: usize) -> Vec<Result<CommandStatus, String>> {
        let start = Instant::now();
        loop {
            let receipts = self.receipts.lock().unwrap().clone();
            if receipts.len() >= n || start.elapsed() > QUIET {
                return receipts;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Handler for Recorder {
    async fn bind(&self, _cx: &Context, bind: &BindRequest) -> CommandStatus {
        let system_id = bind.bind.system_id.to_str().unwrap_or("").to_owned();
        let ok = system_id == SYSTEM_ID && bind.bind.password.as_bytes() == PASSWORD.as_bytes();
        let status = if ok {
            CommandStatus::ESME_ROK
        } else {
            CommandStatus::ESME_RINVPASWD
        };
        self.binds.lock().unwrap().push((system_id, status));
        status
    }

    async fn request(&self, cx: &Context, pdu: Pdu) -> Answer {
        let Body::SubmitSm(sm) = pdu.body else {
            return Answer::Status(CommandStatus::ESME_RINVCMDID);
        };
        self.submits
            .lock()
            .unwrap()
            .push((sm.esm_class, sm.data_coding, sm.short_message.clone()));
        let n = 0x0386_0100 + self.next_id.fetch_add(1, Ordering::SeqCst);
        let id = format!("{n:x}");
        if sm.registered_delivery.mc_receipt() != 0 {
            let text = format!(
                "id:{n} sub:001 dlvrd:001 submit date:2412011200 done date:2412011201 stat:DELIVRD err:000 text:"
            );
            let receipt = SubmitSmBuilder::deliver_sm(0)
                .source_addr(sm.destination_addr.as_bytes())
                .destination_addr(sm.source_addr.as_bytes())
                .esm_class(EsmClass::DELIVERY_RECEIPT)
                .short_message(text.as_bytes())
                .receipted_message_id(id.as_str())
                .message_state(MessageState::DELIVERED)
                .build()
                .expect("a valid receipt");
            let server = cx.server().clone();
            let account = cx
                .session()
                .system_id()
                .and_then(|s| s.to_str())
                .unwrap_or("")
                .to_owned();
            let outcomes = Arc::clone(&self.receipts);
            // Sent after the response, as an SMSC does once it delivered.
            tokio::spawn(async move {
                let outcome = server
                    .deliver_to_system_id(&account, receipt)
                    .await
                    .map(|resp| resp.command_status)
                    .map_err(|e| e.to_string());
                outcomes.lock().unwrap().push(outcome);
            });
        }
        Answer::message_id(id)
    }
}

/// Our SMSC with `recorder`, listening on a port of its own: the port, a
/// handle to stop it, and its task.
async fn our_smsc(
    recorder: Arc<Recorder>,
    transport: &Transport,
) -> (u16, ServerHandle, tokio::task::JoinHandle<()>) {
    let server = match transport {
        Transport::Plain => Server::bind("127.0.0.1:0", Config::mc(), recorder).await,
        #[cfg(feature = "tls")]
        Transport::Tls(pki) => {
            Server::bind_tls(
                "127.0.0.1:0",
                Config::mc(),
                recorder,
                Arc::clone(&pki.server),
            )
            .await
        }
    }
    .expect("listening");
    let port = server.local_addr().unwrap().port();
    let handle = server.handle();
    (port, handle, tokio::spawn(server.run()))
}

/// The texts of the recorded `submit_sm` PDUs, concatenated parts joined in
/// order of their sequence numbers.
fn texts(submits: &[(EsmClass, DataCoding, Bytes)]) -> Vec<String> {
    let mut out = Vec::new();
    let mut parts: Vec<(u8, String)> = Vec::new();
    for (esm, dc, sm) in submits {
        let text = decode_short_message(sm, esm.udhi(), *dc)
            .expect("decodes")
            .expect("text");
        let concat = esm
            .udhi()
            .then(|| Udh::split(sm).expect("UDH").0.concat().expect("IE"))
            .flatten();
        match concat {
            Some(c) => {
                parts.push((c.seq, text));
                if parts.len() == usize::from(c.total) {
                    parts.sort();
                    out.push(parts.drain(..).map(|(_, t)| t).collect());
                }
            }
            None => out.push(text),
        }
    }
    assert!(parts.is_empty(), "an incomplete long message");
    out
}

#[test]
fn smpplib_binds_submits_and_gets_receipts_from_our_smsc() {
    if !available(
        "smpplib (PyPI)",
        python_imports("smpplib.client, smpplib.gsm"),
    ) {
        return;
    }
    let long = "This message is longer than one SMS can carry, so the ESME splits it into \
                parts with a user data header, and the SMSC joins them again in order. "
        .repeat(2);
    let sent = vec![
        "Hello from smpplib @ 12:00".to_owned(),
        long.trim_end().to_owned(),
        "Привет, мир! 👋".to_owned(),
    ];
    let recorder = Arc::new(Recorder::default());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (stdout, status) = runtime.block_on(async {
        let (port, stop, serving) = our_smsc(recorder.clone(), &Transport::Plain).await;
        let texts = serde_json::to_string(&sent).unwrap();
        let output = tokio::task::spawn_blocking(move || {
            let mut child = Command::new("python3")
                .arg(interop_dir().join("smpplib_esme.py"))
                .args(["127.0.0.1", &port.to_string(), SYSTEM_ID, PASSWORD])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("python3 runs");
            child
                .stdin
                .take()
                .unwrap()
                .write_all(texts.as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        });
        let output = tokio::time::timeout(Duration::from_mins(1), output)
            .await
            .expect("smpplib finishes")
            .unwrap();
        stop.shutdown();
        serving.await.unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.success(), "smpplib failed: {stderr}");
        (String::from_utf8(output.stdout).unwrap(), output.status)
    });
    assert!(status.success());
    let lines = json_lines(&stdout);

    // What smpplib saw: bound, a message id per part, a receipt per part
    // naming that id in text and TLV, then unbind answered.
    assert_eq!(lines[0]["pdu"], "bind_transceiver_resp");
    assert_eq!(lines[0]["status"], 0);
    let ids: Vec<&str> = lines
        .iter()
        .filter(|l| l["pdu"] == "submit_sm_resp")
        .map(|l| {
            assert_eq!(l["status"], 0, "{l}");
            l["message_id"].as_str().unwrap()
        })
        .collect();
    let receipts: Vec<&Value> = lines.iter().filter(|l| l["pdu"] == "deliver_sm").collect();
    let submits = recorder.submits.lock().unwrap().clone();
    assert!(
        submits.len() >= 4,
        "the long text is in parts: {}",
        submits.len()
    );
    assert_eq!(ids.len(), submits.len());
    assert_eq!(receipts.len(), submits.len());
    for r in &receipts {
        assert_eq!(r["esm_class"], 4);
        assert_eq!(r["message_state"], 2);
        let id = r["receipted_message_id"].as_str().unwrap();
        assert!(ids.contains(&id), "receipt for unknown id {id}");
        let decimal = u32::from_str_radix(id, 16).unwrap();
        let text = r["short_message"].as_str().unwrap();
        assert!(text.starts_with(&format!("id:{decimal} ")), "{text}");
        assert!(text.contains("stat:DELIVRD"));
    }
    assert_eq!(lines.last().unwrap()["pdu"], "unbind_resp");
    assert_eq!(
        recorder.receipt_outcomes(submits.len()),
        vec![Ok(CommandStatus::ESME_ROK); submits.len()],
        "smpplib acknowledged every receipt"
    );

    // What we decoded: smpplib's texts, the long one rejoined.
    assert_eq!(texts(&submits), sent);
    assert_eq!(
        recorder.binds.lock().unwrap()[..],
        [(SYSTEM_ID.to_owned(), CommandStatus::ESME_ROK)]
    );
}

// ---------------------------------------------------------------------------
// Peers in processes of their own

/// A peer's script running (node-smpp's, smpp.twisted3's), its stdout read
/// line by line as JSON.
struct Peer {
    name: &'static str,
    child: Child,
    lines: Receiver<Value>,
    stderr: Arc<Mutex<String>>,
}

impl Peer {
    /// Runs `program` (`node`, `python3`) on `script` in `tests/interop`.
    fn start(name: &'static str, program: &str, script: &str, args: &[OsString]) -> Self {
        let mut child = Command::new(program)
            .arg(interop_dir().join(script))
            .args(args)
            .current_dir(interop_dir())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("{program} does not run: {e}"));
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                let value = serde_json::from_str(&line)
                    .unwrap_or_else(|_| serde_json::json!({ "error": "not JSON", "line": line }));
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        let stderr = Arc::new(Mutex::new(String::new()));
        let mut from = child.stderr.take().unwrap();
        let to = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut buf = [0; 4096];
            while let Ok(n @ 1..) = from.read(&mut buf) {
                to.lock()
                    .unwrap()
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        Self {
            name,
            child,
            lines,
            stderr,
        }
    }

    /// Every line logged until `done` says the last one came; fails if the
    /// script goes quiet for `QUIET`, exits, or the whole takes longer than
    /// `BULK_DEADLINE`, saying what came so far and what `context` gives.
    fn collect(&self, done: impl Fn(&[Value]) -> bool, context: impl Fn() -> String) -> Vec<Value> {
        let deadline = Instant::now() + BULK_DEADLINE;
        let mut out = Vec::new();
        while !done(&out) {
            let wait = deadline
                .saturating_duration_since(Instant::now())
                .min(QUIET);
            match self.lines.recv_timeout(wait) {
                Ok(v) => out.push(v),
                Err(e) => {
                    let why = match e {
                        RecvTimeoutError::Timeout if Instant::now() >= deadline => {
                            "did not finish in time"
                        }
                        RecvTimeoutError::Timeout => "went quiet",
                        RecvTimeoutError::Disconnected => "exited",
                    };
                    panic!(
                        "{} {why}; it logged {}; stderr: {}; our side: {}",
                        self.name,
                        summary(&out),
                        self.stderr.lock().unwrap(),
                        context()
                    )
                }
            }
        }
        out
    }

    /// The lines logged so far and not yet collected.
    fn drain(&self) -> Vec<Value> {
        self.lines.try_iter().collect()
    }

    /// Waits (at most `QUIET`) for the script to exit.
    fn wait(&mut self) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                start.elapsed() < QUIET,
                "{} does not exit; stderr: {}",
                self.name,
                self.stderr.lock().unwrap()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A peer's SMSC, listening on a port of its own.
struct PeerSmsc {
    peer: Peer,
    port: u16,
}

impl PeerSmsc {
    /// node-smpp's (`node_smsc.js`), over `transport`.
    fn node(transport: &Transport) -> Self {
        let mut args: Vec<OsString> = vec![SYSTEM_ID.into(), PASSWORD.into()];
        args.extend(transport.files(&["key.pem", "cert.pem"]));
        Self::listening(Peer::start("node-smpp", "node", "node_smsc.js", &args))
    }

    /// smpp.twisted3's (`twisted_smsc.py`).
    fn twisted() -> Self {
        let args: Vec<OsString> = vec![SYSTEM_ID.into(), PASSWORD.into()];
        Self::listening(Peer::start(
            "smpp.twisted3",
            "python3",
            "twisted_smsc.py",
            &args,
        ))
    }

    fn listening(peer: Peer) -> Self {
        let first = peer.lines.recv_timeout(QUIET).unwrap_or_else(|e| {
            panic!(
                "{} does not listen ({e}): {}",
                peer.name,
                peer.stderr.lock().unwrap()
            )
        });
        let port = u16::try_from(first["listening"].as_u64().expect("a port")).unwrap();
        Self { peer, port }
    }

    /// Every line logged until `done` says the last one came.
    fn collect(&self, done: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        self.peer.collect(done, String::new)
    }
}

fn esme_config(bind_type: BindType, password: &str) -> Config {
    Config::esme(bind_type)
        .with_system_id(SYSTEM_ID)
        .unwrap()
        .with_password(password)
        .unwrap()
}

/// Our ESME, with the default configuration, bound to the SMSC on `port`.
async fn our_esme(port: u16, transport: &Transport) -> (Client, Incoming) {
    let config = esme_config(BindType::Transceiver, PASSWORD);
    match transport {
        Transport::Plain => client::connect(("127.0.0.1", port), config).await,
        #[cfg(feature = "tls")]
        Transport::Tls(pki) => {
            client::connect_tls(
                ("127.0.0.1", port),
                "localhost",
                Arc::clone(&pki.client),
                config,
            )
            .await
        }
    }
    .expect("bound")
}

/// What a delivery receipt names: the `receipted_message_id` TLV, the
/// `message_state` TLV, and the id in the text.
#[derive(Debug)]
struct Receipt {
    id: Option<String>,
    state: Option<u8>,
    text_id: Option<String>,
}

impl Receipt {
    fn of(pdu: &Pdu) -> Self {
        let Body::DeliverSm(dlr) = &pdu.body else {
            panic!("not a deliver_sm: {pdu:?}")
        };
        assert!(dlr.esm_class.is_delivery_receipt(), "{pdu:?}");
        let id = dlr
            .tlvs
            .get(TlvTag::RECEIPTED_MESSAGE_ID)
            .map(|t| String::from_utf8_lossy(t.as_cstr()).into_owned());
        let state = dlr.tlvs.get(TlvTag::MESSAGE_STATE).and_then(|t| t.as_u8());
        let text_id = smpp_core::receipt::DeliveryReceipt::parse(&dlr.short_message)
            .expect("a receipt text")
            .id
            .map(|id| String::from_utf8_lossy(id).into_owned());
        Self { id, state, text_id }
    }

    /// Checks that it names one of `ids` (hex in the TLV, decimal in the
    /// text, as `node_smsc.js` writes them) as delivered; returns that id.
    fn check(&self, ids: &HashSet<String>) -> &str {
        let id = self.id.as_deref().expect("receipted_message_id");
        assert!(ids.contains(id), "a receipt for an id not ours: {self:?}");
        assert_eq!(self.state, Some(MessageState::DELIVERED.0), "{self:?}");
        let decimal = u32::from_str_radix(id, 16).unwrap().to_string();
        assert_eq!(self.text_id.as_deref(), Some(decimal.as_str()), "{self:?}");
        id
    }
}

#[test]
#[allow(clippy::too_many_lines)] // one conversation, checked from both ends
fn our_esme_binds_submits_and_gets_receipts_from_node_smpp() {
    if !node_smpp() {
        return;
    }
    let smsc = PeerSmsc::node(&Transport::Plain);
    let long = "A long message split by smpp-std into concatenated parts, each with \
                its user data header, that node-smpp decodes part by part. "
        .repeat(2);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (ids, receipts, parts) = runtime.block_on(async {
        let (esme, mut incoming) = our_esme(smsc.port, &Transport::Plain).await;
        assert_eq!(
            esme.bind_info().expect("bound").system_id.as_bytes(),
            b"node-smsc"
        );
        let template = SubmitSmBuilder::new(0)
            .source_addr("12025550100")
            .destination_addr("447700900123")
            .registered_delivery(RegisteredDelivery::RECEIPT_ON_FINAL)
            .build()
            .unwrap();
        let mut pdus = Vec::new();
        for text in ["Hello from smpp-std @ 12:00", long.trim_end(), "Привет 👋"] {
            pdus.extend(
                smpp_std::text::submit_sms_for_text(
                    &template,
                    text,
                    &[],
                    smpp_core::text::split::Method::Udh8 { reference: 0x42 },
                )
                .unwrap(),
            );
        }
        let parts = pdus.len();
        let mut ids = HashSet::new();
        for pdu in pdus {
            let resp = esme.submit_sm(pdu).await.expect("answered");
            assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
            ids.insert(resp.message_id.to_str().unwrap().to_owned());
        }
        let mut receipts = Vec::new();
        while receipts.len() < parts {
            let request = tokio::time::timeout(QUIET, incoming.recv())
                .await
                .expect("a receipt in time")
                .expect("the session is open");
            receipts.push(Receipt::of(request.pdu()));
            drop(request); // taken, so answered ESME_ROK
        }
        esme.unbind().await.expect("unbind answered");
        (ids, receipts, parts)
    });

    // Our receipts: each names one of our message ids.
    assert_eq!(ids.len(), parts);
    for r in &receipts {
        r.check(&ids);
    }

    // What node-smpp decoded of ours.
    let seen = smsc.collect(|l| l.iter().any(|v| v["pdu"] == "unbind"));
    let bind = &seen[0];
    assert_eq!(bind["pdu"], "bind_transceiver");
    assert_eq!(bind["system_id"], SYSTEM_ID);
    assert_eq!(bind["ok"], true);
    let submits: Vec<&Value> = seen.iter().filter(|v| v["pdu"] == "submit_sm").collect();
    assert_eq!(submits.len(), parts);
    assert_eq!(submits[0]["message"], "Hello from smpp-std @ 12:00");
    assert_eq!(submits[0]["data_coding"], 0);
    let joined: String = submits[1..submits.len() - 1]
        .iter()
        .map(|s| {
            assert_eq!(s["esm_class"].as_u64().unwrap() & 0x40, 0x40, "{s}");
            let udh = s["udh"][0].as_str().unwrap();
            assert!(
                udh.starts_with("000342"),
                "concatenation IE, reference 0x42: {udh}"
            );
            s["message"].as_str().unwrap()
        })
        .collect();
    assert_eq!(joined, long.trim_end());
    let last = submits[submits.len() - 1];
    assert_eq!(last["data_coding"], 8);
    assert_eq!(last["message"], "Привет 👋");
    assert_eq!(
        seen.iter()
            .filter(|v| v["pdu"] == "deliver_sm_resp" && v["command_status"] == 0)
            .count(),
        parts
    );
}

#[test]
fn node_smpp_refuses_our_bind_with_a_wrong_password() {
    if !node_smpp() {
        return;
    }
    let smsc = PeerSmsc::node(&Transport::Plain);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let refused = runtime.block_on(async {
        match client::connect(
            ("127.0.0.1", smsc.port),
            esme_config(BindType::Transceiver, "wrong"),
        )
        .await
        {
            Err(ClientError::BindRefused(status)) => status,
            Err(e) => panic!("not a refusal: {e}"),
            Ok(_) => panic!("bound with a wrong password"),
        }
    });
    assert_eq!(refused, CommandStatus::ESME_RINVPASWD);
    let log = smsc.collect(|l| !l.is_empty());
    assert_eq!(log[0]["ok"], false);
}

/// How far our ESME got in a bulk run.
#[derive(Debug, Default)]
struct Progress {
    queued: AtomicUsize,
    answered: AtomicUsize,
    receipts: AtomicUsize,
}

/// Our ESME, default settings, bound to a peer's SMSC (`esme` sends,
/// `incoming` receives; `receiver` is the receiving session if it is
/// another one): one task queues `count` `submit_sm` asking for a receipt
/// as fast as the window lets it, one awaits their responses, one takes
/// the receipts from `Incoming` (answering the first `refuse` of them
/// `ESME_RX_T_APPN`, the others `ESME_ROK`). Then it unbinds. Returns the
/// message ids and the receipts, or what went wrong.
async fn submit_in_bulk(
    esme: Client,
    receiver: Option<Client>,
    mut incoming: Incoming,
    (count, refuse): (usize, usize),
    progress: Arc<Progress>,
) -> Result<(Vec<String>, Vec<Receipt>), String> {
    let (pendings, mut to_answer) = tokio::sync::mpsc::unbounded_channel();
    let queuing = {
        let esme = esme.clone();
        let progress = Arc::clone(&progress);
        tokio::spawn(async move {
            for n in 0..count {
                let submit = SubmitSmBuilder::new(0)
                    .source_addr("12025550100")
                    .destination_addr("447700900123")
                    .registered_delivery(RegisteredDelivery::RECEIPT_ON_FINAL)
                    .short_message(format!("bulk message {n}"))
                    .build()
                    .unwrap();
                let pending = esme
                    .queue(submit)
                    .await
                    .unwrap_or_else(|e| panic!("message {n} not queued: {e}"));
                progress.queued.fetch_add(1, Ordering::Relaxed);
                pendings.send(pending).unwrap();
            }
        })
    };
    let answering = {
        let progress = Arc::clone(&progress);
        tokio::spawn(async move {
            let mut ids = Vec::with_capacity(count);
            while let Some(pending) = to_answer.recv().await {
                let n = ids.len();
                let resp = tokio::time::timeout(QUIET, pending)
                    .await
                    .unwrap_or_else(|_| panic!("no answer to message {n} for {QUIET:?}"))
                    .unwrap_or_else(|e| panic!("message {n} unanswered: {e}"));
                let resp = SmResponse::from(resp);
                assert_eq!(resp.command_status, CommandStatus::ESME_ROK, "message {n}");
                ids.push(resp.message_id.to_str().expect("an ASCII id").to_owned());
                progress.answered.fetch_add(1, Ordering::Relaxed);
            }
            ids
        })
    };
    let receiving = tokio::spawn(async move {
        let mut receipts = Vec::with_capacity(count);
        while receipts.len() < count {
            let request = tokio::time::timeout(QUIET, incoming.recv())
                .await
                .unwrap_or_else(|_| panic!("no receipt for {QUIET:?} after {}", receipts.len()))
                .unwrap_or_else(|| panic!("the session closed after {} receipts", receipts.len()));
            receipts.push(Receipt::of(request.pdu()));
            progress.receipts.fetch_add(1, Ordering::Relaxed);
            if receipts.len() <= refuse {
                request.respond(Answer::Status(CommandStatus::ESME_RX_T_APPN));
            } else {
                drop(request); // taken, so answered ESME_ROK
            }
        }
        (receipts, incoming)
    });
    let ((), ids, (receipts, mut incoming)) = tokio::try_join!(queuing, answering, receiving)
        .map_err(|e| panic_message(e.into_panic()))?;
    for session in core::iter::once(esme).chain(receiver) {
        session
            .unbind()
            .await
            .map_err(|e| format!("unbind unanswered: {e}"))?;
    }
    // The session ended with exactly `count` receipts: nothing came after.
    if let Some(extra) = incoming.recv().await {
        return Err(format!(
            "a request beyond the {count} receipts: {:?}",
            extra.pdu()
        ));
    }
    Ok((ids, receipts))
}

/// What a task panicked with.
fn panic_message(panic: Box<dyn core::any::Any + Send>) -> String {
    match panic.downcast::<String>() {
        Ok(s) => *s,
        Err(panic) => panic
            .downcast_ref::<&str>()
            .map_or_else(|| "a panic".to_owned(), |s| (*s).to_owned()),
    }
}

/// Runs `bulk` (a [`submit_in_bulk`] of `count` messages to `smsc`) within
/// `BULK_DEADLINE`, checks that every message was answered `ESME_ROK` with
/// an id of its own and that exactly one receipt came for each id; returns
/// the ids.
fn bulk_to_peer_smsc<F>(
    smsc: &PeerSmsc,
    count: usize,
    bulk: impl FnOnce(Arc<Progress>) -> F,
) -> HashSet<String>
where
    F: Future<Output = Result<(Vec<String>, Vec<Receipt>), String>>,
{
    let progress = Arc::new(Progress::default());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let started = Instant::now();
    let run = runtime
        .block_on(async { tokio::time::timeout(BULK_DEADLINE, bulk(Arc::clone(&progress))).await });
    let (ids, receipts) = run
        .unwrap_or_else(|_| Err(format!("no end after {BULK_DEADLINE:?}")))
        .unwrap_or_else(|e| {
            panic!(
                "{e}; our ESME got {progress:?}; {} logged {}",
                smsc.peer.name,
                summary(&smsc.peer.drain())
            )
        });
    eprintln!(
        "{count} messages and receipts with the SMSC of {} in {:?}",
        smsc.peer.name,
        started.elapsed()
    );

    // Every message answered ESME_ROK with an id of its own.
    let distinct: HashSet<String> = ids.iter().cloned().collect();
    assert_eq!(ids.len(), count);
    assert_eq!(distinct.len(), count, "message ids repeat");
    // Every receipt names one of them, each id exactly once.
    assert_eq!(receipts.len(), count);
    let named: HashSet<&str> = receipts.iter().map(|r| r.check(&distinct)).collect();
    assert_eq!(named.len(), count, "an id has two receipts");
    distinct
}

/// Checks a peer SMSC's log `seen` after a bulk run: a `submit_sm` line
/// for each of our `ids` and no other, and one `deliver_sm_resp` line for
/// the receipt of each (the id under `id_key`); returns those lines.
fn receipts_answered<'a>(seen: &'a [Value], ids: &HashSet<String>, id_key: &str) -> Vec<&'a Value> {
    let ours: HashSet<&str> = ids.iter().map(String::as_str).collect();
    let submitted: Vec<&str> = seen
        .iter()
        .filter(|v| v["pdu"] == "submit_sm")
        .map(|v| v["message_id"].as_str().unwrap())
        .collect();
    assert_eq!(submitted.len(), ids.len(), "{}", summary(seen));
    assert_eq!(submitted.into_iter().collect::<HashSet<_>>(), ours);
    let answers: Vec<&Value> = seen
        .iter()
        .filter(|v| v["pdu"] == "deliver_sm_resp")
        .collect();
    assert_eq!(answers.len(), ids.len(), "{}", summary(seen));
    let acknowledged: HashSet<&str> = answers
        .iter()
        .map(|v| v[id_key].as_str().unwrap())
        .collect();
    assert_eq!(acknowledged, ours, "a receipt answered twice");
    answers
}

/// Our ESME sends `count` messages to node-smpp's SMSC, which sends a
/// receipt for each; checks every one from both ends.
fn our_esme_to_node_smsc(count: usize, transport: &Transport) {
    let smsc = PeerSmsc::node(transport);
    let ids = bulk_to_peer_smsc(&smsc, count, |progress| async move {
        let (esme, incoming) = our_esme(smsc.port, transport).await;
        submit_in_bulk(esme, None, incoming, (count, 0), progress).await
    });

    // node-smpp saw every submit_sm, and ESME_ROK for every receipt.
    let seen = smsc.collect(|l| l.iter().any(|v| v["pdu"] == "unbind"));
    let errors: Vec<&Value> = seen.iter().filter(|v| !v["error"].is_null()).collect();
    assert!(errors.is_empty(), "node-smpp: {errors:?}");
    let answers = receipts_answered(&seen, &ids, "for");
    let refused: Vec<&&Value> = answers
        .iter()
        .filter(|v| v["command_status"] != 0)
        .collect();
    assert!(refused.is_empty(), "receipts refused: {refused:?}");
}

/// The arguments of `node_esme.js` for our SMSC on `port`: its URL over
/// `transport`, the account, `count` messages, and the CA of `trust` (none
/// over plain TCP).
fn node_esme_args(
    port: u16,
    transport: &Transport,
    count: usize,
    trust: &Transport,
) -> Vec<OsString> {
    let mut args: Vec<OsString> = vec![
        format!("{}://127.0.0.1:{port}", transport.scheme()).into(),
        SYSTEM_ID.into(),
        PASSWORD.into(),
        count.to_string().into(),
    ];
    args.extend(trust.files(&["ca.pem"]));
    args
}

/// Shuts our SMSC down and waits (at most `QUIET`) for it to stop.
fn stop_smsc(
    runtime: &tokio::runtime::Runtime,
    stop: &ServerHandle,
    serving: tokio::task::JoinHandle<()>,
) {
    runtime.block_on(async {
        stop.shutdown();
        tokio::time::timeout(QUIET, serving)
            .await
            .expect("the server stops")
            .unwrap();
    });
}

/// node-smpp's ESME (`node_esme.js`, default settings) sends `count`
/// messages to our SMSC, which answers each and sends a receipt for it;
/// checks every one from both ends.
#[allow(clippy::too_many_lines)] // one conversation, checked from both ends
fn node_esme_to_our_smsc(count: usize, transport: &Transport) {
    let recorder = Arc::new(Recorder::default());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (port, stop, serving) = runtime.block_on(our_smsc(recorder.clone(), transport));
    let args = node_esme_args(port, transport, count, transport);
    let started = Instant::now();
    let mut node = Peer::start("node-smpp", "node", "node_esme.js", &args);
    let lines = node.collect(
        |l| {
            l.last()
                .is_some_and(|v| v["pdu"] == "unbind_resp" || !v["error"].is_null())
        },
        || {
            format!(
                "{} submit_sm decoded, {} receipts answered, {:?}",
                recorder.submits.lock().unwrap().len(),
                recorder.receipts.lock().unwrap().len(),
                stop.stats()
            )
        },
    );
    let status = node.wait();
    let outcomes = recorder.receipt_outcomes(count);
    eprintln!(
        "{count} messages and receipts with node-smpp's ESME in {:?}",
        started.elapsed()
    );
    stop_smsc(&runtime, &stop, serving);
    assert!(
        status.success(),
        "node-smpp failed ({status}): {}; stderr: {}",
        summary(&lines),
        node.stderr.lock().unwrap()
    );

    // What node-smpp saw: bound, ESME_ROK and an id of its own for every
    // message, a receipt naming each id once, then unbind answered.
    assert_eq!(lines[0]["pdu"], "bind_transceiver_resp", "{}", lines[0]);
    assert_eq!(lines[0]["status"], 0);
    let answers: Vec<&Value> = lines
        .iter()
        .filter(|v| v["pdu"] == "submit_sm_resp")
        .collect();
    assert_eq!(answers.len(), count, "{}", summary(&lines));
    let mut numbers = HashSet::new();
    let mut ids = HashSet::new();
    for a in &answers {
        assert_eq!(a["status"], 0, "{a}");
        numbers.insert(a["n"].as_u64().unwrap());
        ids.insert(a["message_id"].as_str().unwrap().to_owned());
    }
    assert_eq!(numbers.len(), count, "a message answered twice");
    assert_eq!(ids.len(), count, "message ids repeat");
    let receipts: Vec<&Value> = lines.iter().filter(|v| v["pdu"] == "deliver_sm").collect();
    assert_eq!(receipts.len(), count, "{}", summary(&lines));
    let mut named = HashSet::new();
    for r in &receipts {
        assert_eq!(r["esm_class"], 4, "{r}");
        assert_eq!(r["message_state"], 2, "{r}");
        let id = r["receipted_message_id"].as_str().unwrap();
        assert!(ids.contains(id), "a receipt for an id not given: {r}");
        let decimal = u32::from_str_radix(id, 16).unwrap();
        let text = r["short_message"].as_str().unwrap();
        assert!(text.starts_with(&format!("id:{decimal} ")), "{text}");
        named.insert(id);
    }
    assert_eq!(named.len(), count, "an id has two receipts");
    assert_eq!(lines.last().unwrap()["pdu"], "unbind_resp");
    assert_eq!(lines.last().unwrap()["status"], 0);

    // What we saw: node-smpp's texts (ASCII and UCS-2) decoded, and
    // ESME_ROK from node-smpp for every receipt.
    let mut got = texts(&recorder.submits.lock().unwrap());
    let mut sent: Vec<String> = (0..count)
        .map(|n| {
            if n % 2 == 0 {
                format!("message {n}")
            } else {
                format!("Привет {n} 👋")
            }
        })
        .collect();
    got.sort();
    sent.sort();
    assert_eq!(got, sent);
    assert_eq!(outcomes.len(), count);
    let refused: Vec<_> = outcomes
        .iter()
        .filter(|o| **o != Ok(CommandStatus::ESME_ROK))
        .collect();
    assert!(refused.is_empty(), "receipts not acknowledged: {refused:?}");
    assert_eq!(
        recorder.binds.lock().unwrap()[..],
        [(SYSTEM_ID.to_owned(), CommandStatus::ESME_ROK)]
    );
}

#[test]
fn node_smpp_smsc_takes_1000_messages_and_our_esme_every_receipt() {
    if node_smpp() {
        our_esme_to_node_smsc(1000, &Transport::Plain);
    }
}

#[test]
fn node_smpp_esme_sends_1000_messages_and_acknowledges_every_receipt() {
    if node_smpp() {
        node_esme_to_our_smsc(1000, &Transport::Plain);
    }
}

#[cfg(feature = "tls")]
#[test]
fn over_tls_node_smpp_secure_smsc_takes_our_messages_and_sends_receipts() {
    if node_smpp() {
        our_esme_to_node_smsc(300, &Transport::Tls(pki::Pki::new("node-smsc")));
    }
}

#[cfg(feature = "tls")]
#[test]
fn over_tls_node_smpp_esme_sends_to_our_smsc_and_acknowledges_receipts() {
    if node_smpp() {
        node_esme_to_our_smsc(300, &Transport::Tls(pki::Pki::new("node-esme")));
    }
}

#[cfg(feature = "tls")]
#[test]
fn over_tls_node_smpp_refuses_a_certificate_its_ca_did_not_sign() {
    if !node_smpp() {
        return;
    }
    let ours = Transport::Tls(pki::Pki::new("own-ca"));
    let other = Transport::Tls(pki::Pki::new("other-ca"));
    let recorder = Arc::new(Recorder::default());
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (port, stop, serving) = runtime.block_on(our_smsc(recorder.clone(), &ours));
    let args = node_esme_args(port, &ours, 1, &other);
    let mut node = Peer::start("node-smpp", "node", "node_esme.js", &args);
    let lines = node.collect(|l| !l.is_empty(), String::new);
    let status = node.wait();
    stop_smsc(&runtime, &stop, serving);
    // node-smpp verifies the chain: it never gets to bind.
    assert!(!status.success());
    let error = lines[0]["error"].as_str().expect("an error");
    assert!(error.contains("certificate"), "{error}");
    assert!(recorder.binds.lock().unwrap().is_empty());
    assert_eq!(stop.stats().bound, 0);
}

/// The case: smpp.twisted3's SMSC, our ESME bound as a transmitter
/// and a receiver; 1,000 messages, a receipt for each, the first receipt
/// refused with `ESME_RX_T_APPN` (a `deliver_sm_resp` smpp.twisted3 must
/// parse, or it drops the receiver).
#[test]
fn twisted_smsc_sends_1000_receipts_to_our_receiver_and_parses_a_refusal() {
    if !available(
        "smpp.twisted3 (PyPI)",
        python_imports("smpp.twisted.server, smpp.pdu.operations"),
    ) {
        return;
    }
    let count = 1000;
    let smsc = PeerSmsc::twisted();
    let ids = bulk_to_peer_smsc(&smsc, count, |progress| async move {
        let connect =
            |bind_type| client::connect(("127.0.0.1", smsc.port), esme_config(bind_type, PASSWORD));
        // Bound as two sessions: the receipts come on the receiver.
        let (receiver, incoming) = connect(BindType::Receiver).await.expect("receiver bound");
        let (transmitter, _) = connect(BindType::Transmitter)
            .await
            .expect("transmitter bound");
        submit_in_bulk(transmitter, Some(receiver), incoming, (count, 1), progress).await
    });

    // smpp.twisted3 bound both, saw every submit_sm, got our answer to
    // every receipt, and kept both connections until we unbound.
    let seen = smsc.collect(|l| l.iter().filter(|v| v["event"] == "connection_lost").count() == 2);
    let bound: Vec<&Value> = seen.iter().filter(|v| v["event"] == "bound").collect();
    assert_eq!(bound.len(), 2, "{bound:?}");
    assert_eq!(bound[0]["bind_type"], "bind_receiver");
    assert_eq!(bound[1]["bind_type"], "bind_transmitter");
    let answers = receipts_answered(&seen, &ids, "message_id");
    // The first receipt's refusal parsed as such, all others ESME_ROK.
    let (refused, ok): (Vec<&Value>, Vec<&Value>) =
        answers.iter().partition(|v| v["status"] != "ESME_ROK");
    assert_eq!(refused.len(), 1, "{refused:?}");
    assert!(
        refused[0]["error"]
            .as_str()
            .is_some_and(|e| e.starts_with("ESME_RX_T_APPN")),
        "{}",
        refused[0]
    );
    assert_eq!(ok.len(), count - 1);
    // The receiver's connection ended cleanly because we unbound, after
    // the last receipt was answered.
    for lost in seen.iter().filter(|v| v["event"] == "connection_lost") {
        assert_eq!(lost["reason"], "Connection was closed cleanly.", "{lost}");
    }
    let last_answer = seen
        .iter()
        .rposition(|v| v["pdu"] == "deliver_sm_resp")
        .unwrap();
    let receiver_lost = seen
        .iter()
        .position(|v| v["event"] == "connection_lost" && v["bind_type"] == "bind_receiver")
        .unwrap();
    assert!(last_answer < receiver_lost, "{}", summary(&seen));
}
