//! Interop with real SMPP implementations from the package registries
//! (`tests/interop/README.md`): `smpplib` (`PyPI`) as an ESME against
//! `smpp_std::server`, and `node-smpp` (npm) as an SMSC for
//! `smpp_std::client`. Each side checks what the other decoded.
//!
//! A peer that is not installed is skipped with a note on stderr, unless
//! `SMPP_INTEROP=require` is set (CI sets it after installing both), in
//! which case its absence fails the test.

use core::sync::atomic::{AtomicU32, Ordering};
use core::time::Duration;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use smpp_core::session::{BindType, Config};
use smpp_core::text::udh::Udh;
use smpp_core::{Body, CommandStatus, DataCoding, EsmClass, MessageState, TlvTag};
use smpp_std::client;
use smpp_std::server::{BindRequest, Context, Handler, Server};
use smpp_std::session::Answer;
use smpp_std::session::Error as ClientError;
use smpp_std::text::decode_short_message;
use smpp_std::{Pdu, SubmitSmBuilder};

const SYSTEM_ID: &str = "interop";
const PASSWORD: &str = "secret1";

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

fn smpplib_installed() -> bool {
    Command::new("python3")
        .args(["-c", "import smpplib.client, smpplib.gsm"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
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
fn json_lines(text: &str) -> Vec<serde_json::Value> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

/// An SMSC that records every `submit_sm` and sends a delivery receipt for
/// each one that asks for it.
#[derive(Default)]
struct Recorder {
    submits: Mutex<Vec<(EsmClass, DataCoding, Bytes)>>,
    next_id: AtomicU32,
    binds: Mutex<Vec<(String, CommandStatus)>>,
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
            let session = cx.session().clone();
            tokio::spawn(async move { session.deliver_sm(receipt).await });
        }
        Answer::message_id(id)
    }
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
    if !available("smpplib (PyPI)", smpplib_installed()) {
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
        let server = Server::bind("127.0.0.1:0", Config::mc(), recorder.clone())
            .await
            .unwrap();
        let port = server.local_addr().unwrap().port();
        let stop = server.handle();
        let serving = tokio::spawn(server.run());
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
    let receipts: Vec<&serde_json::Value> =
        lines.iter().filter(|l| l["pdu"] == "deliver_sm").collect();
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

    // What we decoded: smpplib's texts, the long one rejoined.
    assert_eq!(texts(&submits), sent);
    assert_eq!(
        recorder.binds.lock().unwrap()[..],
        [(SYSTEM_ID.to_owned(), CommandStatus::ESME_ROK)]
    );
}

/// node-smpp's SMSC, listening on a port of its own.
struct NodeSmsc {
    child: Child,
    port: u16,
    lines: std::sync::mpsc::Receiver<serde_json::Value>,
}

impl NodeSmsc {
    fn start() -> Self {
        let mut child = Command::new("node")
            .arg(interop_dir().join("node_smsc.js"))
            .args([SYSTEM_ID, PASSWORD])
            .current_dir(interop_dir())
            .stdout(Stdio::piped())
            .spawn()
            .expect("node runs");
        let stdout = BufReader::new(child.stdout.take().unwrap());
        let (tx, lines) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str(&line)
                    && tx.send(v).is_err()
                {
                    break;
                }
            }
        });
        let first: serde_json::Value = lines
            .recv_timeout(Duration::from_secs(30))
            .expect("node-smpp listens");
        let port = u16::try_from(first["listening"].as_u64().expect("a port")).unwrap();
        Self { child, port, lines }
    }

    /// Every line logged until `done` says the last one came.
    fn collect(&self, done: impl Fn(&[serde_json::Value]) -> bool) -> Vec<serde_json::Value> {
        let mut out = Vec::new();
        while !done(&out) {
            match self.lines.recv_timeout(Duration::from_secs(30)) {
                Ok(v) => out.push(v),
                Err(e) => panic!("node-smpp went quiet ({e}); so far: {out:?}"),
            }
        }
        out
    }
}

impl Drop for NodeSmsc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn esme_config(password: &str) -> Config {
    Config::esme(BindType::Transceiver)
        .with_system_id(SYSTEM_ID)
        .unwrap()
        .with_password(password)
        .unwrap()
}

#[test]
#[allow(clippy::too_many_lines)] // one conversation, checked from both ends
fn our_esme_binds_submits_and_gets_receipts_from_node_smpp() {
    if !available("node-smpp (npm)", node_smpp_installed()) {
        return;
    }
    let smsc = NodeSmsc::start();
    let addr = format!("127.0.0.1:{}", smsc.port);
    let long = "A long message split by smpp-std into concatenated parts, each with \
                its user data header, that node-smpp decodes part by part. "
        .repeat(2);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (ids, receipts, parts) = runtime.block_on(async {
        let (esme, mut incoming) = client::connect(addr.as_str(), esme_config(PASSWORD))
            .await
            .expect("bound");
        assert_eq!(
            esme.bind_info().expect("bound").system_id.as_bytes(),
            b"node-smsc"
        );
        let template = SubmitSmBuilder::new(0)
            .source_addr("12025550100")
            .destination_addr("447700900123")
            .registered_delivery(smpp_core::RegisteredDelivery::RECEIPT_ON_FINAL)
            .build()
            .unwrap();
        let Body::SubmitSm(template) = template.body else {
            panic!("the submit_sm builder makes a submit_sm")
        };
        let mut pdus = Vec::new();
        for text in ["Hello from smpp-std @ 12:00", long.trim_end(), "Привет 👋"] {
            pdus.extend(
                smpp_std::text::submit_sms_for_text(
                    &template,
                    text,
                    &[],
                    smpp_core::text::split::Method::Udh8 { reference: 0x42 },
                    || 0,
                )
                .unwrap(),
            );
        }
        let parts = pdus.len();
        let mut ids = Vec::new();
        for pdu in pdus {
            let resp = esme.submit_sm(pdu).await.expect("answered");
            assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
            ids.push(String::from_utf8(resp.message_id.as_bytes().to_vec()).unwrap());
        }
        let mut receipts = Vec::new();
        while receipts.len() < parts {
            let request = tokio::time::timeout(Duration::from_secs(30), incoming.recv())
                .await
                .expect("a receipt in time")
                .expect("the session is open");
            let Body::DeliverSm(dlr) = &request.pdu().body else {
                panic!("not a deliver_sm: {:?}", request.pdu())
            };
            assert!(dlr.esm_class.is_delivery_receipt());
            let id = dlr
                .tlvs
                .get(TlvTag::RECEIPTED_MESSAGE_ID)
                .map(|t| String::from_utf8_lossy(t.as_cstr()).into_owned());
            let state = dlr.tlvs.get(TlvTag::MESSAGE_STATE).and_then(|t| t.as_u8());
            let text = smpp_core::receipt::DeliveryReceipt::parse(&dlr.short_message)
                .expect("a receipt text")
                .id
                .map(|id| String::from_utf8_lossy(id).into_owned());
            receipts.push((id, state, text));
            drop(request); // answered ESME_ROK
        }
        esme.unbind().await.expect("unbind answered");
        (ids, receipts, parts)
    });

    // Our receipts: each names one of our message ids (hex in the TLV,
    // decimal in the text, as node_smsc.js writes them).
    for (id, state, text) in &receipts {
        let id = id.as_deref().expect("receipted_message_id");
        assert!(ids.iter().any(|i| i == id), "{id}");
        assert_eq!(*state, Some(MessageState::DELIVERED.0));
        let decimal = u32::from_str_radix(id, 16).unwrap().to_string();
        assert_eq!(text.as_deref(), Some(decimal.as_str()));
    }

    // What node-smpp decoded of ours.
    let seen = smsc.collect(|l| l.iter().any(|v| v["pdu"] == "unbind"));
    let bind = &seen[0];
    assert_eq!(bind["pdu"], "bind_transceiver");
    assert_eq!(bind["system_id"], SYSTEM_ID);
    assert_eq!(bind["ok"], true);
    let submits: Vec<&serde_json::Value> =
        seen.iter().filter(|v| v["pdu"] == "submit_sm").collect();
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
    if !available("node-smpp (npm)", node_smpp_installed()) {
        return;
    }
    let smsc = NodeSmsc::start();
    let addr = format!("127.0.0.1:{}", smsc.port);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let refused = runtime.block_on(async {
        match client::connect(addr.as_str(), esme_config("wrong")).await {
            Err(ClientError::BindRefused(status)) => status,
            Err(e) => panic!("not a refusal: {e}"),
            Ok(_) => panic!("bound with a wrong password"),
        }
    });
    assert_eq!(refused, CommandStatus::ESME_RINVPASWD);
    let log = smsc.collect(|l| !l.is_empty());
    assert_eq!(log[0]["ok"], false);
}
