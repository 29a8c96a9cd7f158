//! The workspace's main job: an SMSC and an ESME talking SMPP over loopback
//! TCP, with the traffic a gateway really carries, on the tokio ESME client
//! (`smpp_std::client`) and SMSC server (`smpp_std::server`).
//!
//! The ESME binds as transceiver and pipelines thousands of messages through
//! a window: plain GSM 7-bit text, long GSM text concatenated by UDH, Unicode
//! with emoji split by a 16-bit-reference UDH, SAR-concatenated text, a WAP
//! push to port 2948, flash messages and `message_payload` messages. A second,
//! raw connection sends one malformed `submit_sm` written by hand. The SMSC's
//! handler decodes every message, reassembles and checks every long message,
//! answers with a message id, and pushes a delivery receipt for each
//! `submit_sm` and a long mobile-originated message back through the session;
//! the ESME matches every receipt to its message id and reassembles the MO
//! message. `enquire_link` and `unbind` go through the session too. Every
//! check is asserted: the program exits non-zero if anything is lost or
//! wrong.
//!
//! Run it with `cargo run --release -p smpp-std --example demo`.

use core::error::Error;
use core::net::SocketAddr;
use core::time::Duration;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use smpp_core::receipt::{DeliveryReceipt, IdBase, MessageState, Receipt, ids_match_with};
use smpp_core::session::{BindType, Config, ProtocolError};
use smpp_core::text::choose::Encoding;
use smpp_core::text::gsm7::Tables;
use smpp_core::text::split::{Content, Method, SplitOptions};
use smpp_core::text::udh::{Ie, Udh};
use smpp_core::{
    Body, CommandId, CommandStatus, DataCoding, EsmClass, InterfaceVersion, Npi,
    RegisteredDelivery, TlvTag, Ton,
};
use smpp_std::client::{self, Client};
use smpp_std::reassembly::{self, Outcome, Reassembler};
use smpp_std::server::{BindRequest, Context, Handler, Server};
use smpp_std::session::{Answer, Handle, Incoming, Pending, SmResponse};
use smpp_std::text::{decode_to_string, deliver_sms, submit_sms};
use smpp_std::{BindBuilder, HeaderOnlyBuilder, Pdu, PduCodec, SubmitSmBuilder};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpStream;
use tokio::sync::{mpsc, watch};
use tokio_util::codec::Framed;

/// Messages the ESME submits.
const MESSAGES: usize = 12_000;
/// Requests the ESME may have outstanding before it waits for responses.
const WINDOW: usize = 256;
const SYSTEM_ID: &str = "demo-esme";
const PASSWORD: &str = "s3cret";
/// The longest the ESME waits for anything of the SMSC.
const PATIENCE: Duration = Duration::from_secs(60);

const LONG_GSM: &str = "Your parcel 4711 is out for delivery today between 10:00 and 12:00. \
    Reply {STOP} to stop updates; fees: €0.00 [free]. Track it at example.com/t/4711 ~ thanks! \
    This text is longer than one SMS, so it travels in parts.";
const UNICODE: &str = "Доставка сегодня 🚚📦 — спасибо, что выбрали нас! 你好 🎉 \
    This line mixes scripts and emoji, so it must go as UCS-2 in two parts.";
const MO_TEXT: &str = "Привет! Ответ абонента: заказ получен, всё в порядке. \
    Большое спасибо за быструю доставку и отличный сервис. До свидания! 👋";

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
    let smsc = Arc::new(Smsc::default());
    let config = Config::mc()
        .with_system_id("SMSC")?
        .with_interface_version(InterfaceVersion::V50)
        .with_window(WINDOW);
    let server = Server::bind("127.0.0.1:0", config, Arc::clone(&smsc)).await?;
    let addr = server.local_addr()?;
    println!("SMSC listening on {addr}");
    let stop = server.handle();
    let serving = tokio::spawn(server.run());

    let esme = run_esme(addr).await?;
    stop.shutdown();
    serving.await?;
    let smsc = smsc.report()?;

    println!();
    println!("== SMSC");
    println!(
        "  answered {} submit_sm PDUs; answered {} malformed PDU(s) with {}",
        smsc.submit_sm, smsc.rejected, smsc.reject_status
    );
    println!(
        "  reassembled {} long messages from their parts; every text equal to what was sent",
        smsc.long_reassembled
    );
    println!(
        "  {} message_payload messages decoded, each equal to what was sent",
        smsc.payloads
    );
    println!(
        "  {} WAP pushes to port {} ({} octets of WSP each), {} flash (class 0) messages",
        smsc.wap_pushes, smsc.wap_port, smsc.wap_octets, smsc.flash
    );
    println!(
        "  pushed {} deliver_sm (receipts and MO parts), every one answered ESME_ROK",
        smsc.delivered
    );
    println!("== ESME");
    println!(
        "  submitted {MESSAGES} messages as {} submit_sm PDUs in {:.2?}: {:.0} PDUs/s, window {WINDOW}",
        esme.pdus_sent,
        esme.elapsed,
        f64::from(u32::try_from(esme.pdus_sent)?) / esme.elapsed.as_secs_f64()
    );
    for (kind, n) in &esme.by_kind {
        println!("    {kind:?}: {n} messages");
    }
    println!(
        "  {} delivery receipts (one per submit_sm), each matched to the message id of its \
         submit_sm_resp (hex id in the TLV, decimal id in the text)",
        esme.receipts
    );
    println!(
        "  mobile-originated long message reassembled: {:?}",
        esme.mo_text
    );
    println!(
        "  malformed submit_sm answered with {} for sequence {}; the session carried on",
        esme.rejected_status, esme.rejected_sequence
    );
    println!("  enquire_link answered; unbind answered");

    if smsc.submit_sm != esme.pdus_sent + 1 {
        return Err(format!(
            "the SMSC answered {} submit_sm, the ESMEs sent {}",
            smsc.submit_sm,
            esme.pdus_sent + 1
        )
        .into());
    }
    if smsc.rejected != 1 || smsc.reject_status != CommandStatus::ESME_RINVSRCADR {
        return Err("the SMSC did not see exactly the one malformed submit_sm".into());
    }
    if smsc.delivered != esme.receipts + smsc.mo_parts {
        return Err("a deliver_sm was not answered ESME_ROK".into());
    }
    Ok(())
}

// ---------------------------------------------------------------- SMSC side

#[derive(Default)]
struct SmscReport {
    submit_sm: usize,
    rejected: usize,
    reject_status: CommandStatus,
    long_reassembled: usize,
    wap_port: u16,
    wap_pushes: usize,
    wap_octets: usize,
    flash: usize,
    payloads: usize,
    mo_parts: usize,
    /// `deliver_sm` the ESME answered with `ESME_ROK`.
    delivered: usize,
}

/// What the SMSC's handler keeps between calls.
struct SmscState {
    report: SmscReport,
    parts: Reassembler<&'static str>,
    sar_parts: HashMap<u8, Bytes>,
    next_id: u64,
    failure: Option<String>,
}

/// The SMSC application: checks the bind, inspects and answers every
/// message, pushes a receipt per message and one long MO message.
struct Smsc {
    state: Arc<Mutex<SmscState>>,
}

impl Default for Smsc {
    fn default() -> Self {
        Self {
            state: Arc::new(Mutex::new(SmscState {
                report: SmscReport::default(),
                parts: Reassembler::new(reassembly::Config::default()),
                sar_parts: HashMap::new(),
                next_id: 59_113_978,
                failure: None,
            })),
        }
    }
}

impl Smsc {
    fn lock(&self) -> std::sync::MutexGuard<'_, SmscState> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn report(&self) -> Res<SmscReport> {
        let mut state = self.lock();
        if let Some(failure) = state.failure.take() {
            return Err(failure.into());
        }
        Ok(core::mem::take(&mut state.report))
    }

    /// Sends `deliver_sm` through `session`'s window, counting the answer.
    fn push(&self, session: &Handle, deliver_sm: smpp_std::DeliverSm) {
        let session = session.clone();
        let state = Arc::clone(&self.state);
        tokio::spawn(async move {
            let answered = session.deliver_sm(deliver_sm).await;
            let mut state = state.lock().unwrap_or_else(PoisonError::into_inner);
            match answered {
                Ok(resp) if resp.is_ok() => state.report.delivered += 1,
                other => state.failure = Some(format!("deliver_sm not answered: {other:?}")),
            }
        });
    }
}

impl Handler for Smsc {
    async fn bind(&self, _cx: &Context, bind: &BindRequest) -> CommandStatus {
        if bind.system_id() == SYSTEM_ID.as_bytes() && bind.password() == PASSWORD.as_bytes() {
            CommandStatus::ESME_ROK
        } else {
            CommandStatus::ESME_RBINDFAIL
        }
    }

    fn bound(&self, cx: &Context) {
        let session = cx.session();
        // A long mobile-originated message, in UCS-2 parts, to every
        // session that receives.
        if session.bind_info().map(|b| b.bind_type) == Some(BindType::Transmitter) {
            return;
        }
        match mo_parts() {
            Ok(parts) => {
                self.lock().report.mo_parts = parts.len();
                for pdu in parts {
                    if let Body::DeliverSm(sm) = pdu.body {
                        self.push(session, sm);
                    }
                }
            }
            Err(e) => self.lock().failure = Some(format!("MO message: {e}")),
        }
    }

    async fn request(&self, cx: &Context, pdu: Pdu) -> Answer {
        let Body::SubmitSm(sm) = pdu.body else {
            return Answer::Status(CommandStatus::ESME_RINVCMDID);
        };
        let (hex_id, receipt) = {
            let mut state = self.lock();
            let state = &mut *state;
            state.report.submit_sm += 1;
            let id = state.next_id;
            state.next_id += 1;
            let inspected = inspect(
                &sm,
                &mut state.parts,
                &mut state.sar_parts,
                &[LONG_GSM, UNICODE],
                &mut state.report,
            );
            if let Err(e) = inspected {
                state.failure = Some(e.to_string());
            }
            let wanted = sm.registered_delivery.mc_receipt() != 0;
            (format!("{id:x}"), wanted.then(|| receipt(&sm, id)))
        };
        match receipt {
            Some(Ok(receipt)) => self.push(cx.session(), receipt),
            Some(Err(e)) => self.lock().failure = Some(format!("receipt: {e}")),
            None => {}
        }
        Answer::message_id(hex_id)
    }

    fn protocol_error(&self, _cx: &Context, error: ProtocolError) {
        // A malformed PDU: the session answered it and carries on.
        if let ProtocolError::Malformed(e) = error {
            let mut state = self.lock();
            state.report.rejected += 1;
            state.report.reject_status = e.command_status();
        }
    }
}

/// Checks the content of one submitted message.
fn inspect(
    sm: &smpp_std::SubmitSm,
    parts: &mut Reassembler<&'static str>,
    sar_parts: &mut HashMap<u8, Bytes>,
    expected: &[&str],
    report: &mut SmscReport,
) -> Res<()> {
    let coding = sm.data_coding;
    if coding.is_flash() {
        report.flash += 1;
    }
    if let Some(port) = Udh::split(&sm.short_message)
        .ok()
        .filter(|_| sm.esm_class.udhi())
        .and_then(|(udh, _)| udh.ports().ok().flatten())
    {
        report.wap_port = port.0;
        report.wap_pushes += 1;
        report.wap_octets = Udh::split(&sm.short_message)?.1.len();
        return Ok(());
    }
    if let Some(payload) = sm.tlvs.get(TlvTag::MESSAGE_PAYLOAD) {
        check_text(payload.value, coding, expected)?;
        report.payloads += 1;
        return Ok(());
    }
    if let Some(seq) = sm
        .tlvs
        .get(TlvTag::SAR_SEGMENT_SEQNUM)
        .and_then(|t| t.as_u8())
    {
        let total = sm
            .tlvs
            .get(TlvTag::SAR_TOTAL_SEGMENTS)
            .and_then(|t| t.as_u8())
            .ok_or("SAR part without sar_total_segments")?;
        sar_parts.insert(seq, sm.short_message.clone());
        if sar_parts.len() == usize::from(total) {
            let mut joined = Vec::new();
            for n in 1..=total {
                joined.extend_from_slice(&sar_parts[&n]);
            }
            sar_parts.clear();
            check_text(&joined, coding, expected)?;
            report.long_reassembled += 1;
        }
        return Ok(());
    }
    if sm.esm_class.udhi() {
        let outcome = parts.insert_short_message(
            Instant::now(),
            "esme",
            sm.source_addr.as_bytes(),
            sm.destination_addr.as_bytes(),
            sm.short_message.clone(),
            true,
        )?;
        if let Outcome::Complete(message) = outcome {
            check_text(&message.concat(), coding, expected)?;
            report.long_reassembled += 1;
        }
    }
    Ok(())
}

/// Decodes reassembled user data and checks it is one of the texts sent.
fn check_text(data: &[u8], coding: DataCoding, expected: &[&str]) -> Res<()> {
    let text = decode_to_string(coding, Tables::DEFAULT, data).ok_or("not a text coding")??;
    if expected.contains(&text.as_str()) {
        Ok(())
    } else {
        Err(format!("reassembled text differs: {text:?}").into())
    }
}

/// The delivery receipt of message `id`: the de-facto text (decimal id)
/// plus the `receipted_message_id` (hex id) and `message_state` TLVs.
fn receipt(sm: &smpp_std::SubmitSm, id: u64) -> Res<smpp_std::DeliverSm> {
    let hex_id = format!("{id:x}");
    let decimal = format!("{id:010}");
    let text = DeliveryReceipt {
        id: Some(decimal.as_bytes()),
        sub: Some(b"001"),
        dlvrd: Some(b"001"),
        submit_date: Some(b"2611220930"),
        done_date: Some(b"2611220931"),
        stat: MessageState::DELIVERED.stat().map(str::as_bytes),
        err: Some(b"000"),
        text: Some(b""),
    };
    let mut buf = [0u8; 200];
    let n = text.format(&mut buf)?;
    let pdu = SubmitSmBuilder::deliver_sm(1)
        .source_addr_ton(sm.dest_addr_ton)
        .source_addr_npi(sm.dest_addr_npi)
        .source_addr(sm.destination_addr.as_bytes().to_vec())
        .destination_addr(sm.source_addr.as_bytes().to_vec())
        .esm_class(EsmClass::DELIVERY_RECEIPT)
        .short_message(buf[..n].to_vec())
        .receipted_message_id(hex_id.as_str())
        .message_state(MessageState::DELIVERED)
        .build()?;
    match pdu.body {
        Body::DeliverSm(receipt) => Ok(receipt),
        _ => Err("the builder made no deliver_sm".into()),
    }
}

/// The `deliver_sm` parts of the long mobile-originated message, in UCS-2.
fn mo_parts() -> Res<Vec<Pdu>> {
    let template = smpp_std::SubmitSm {
        source_addr_ton: Ton::INTERNATIONAL,
        source_addr_npi: Npi::ISDN,
        source_addr: smpp_std::COctet::new(Bytes::from_static(b"447700900123")),
        destination_addr: smpp_std::COctet::new(Bytes::from_static(b"INFO")),
        ..smpp_std::SubmitSm::default()
    };
    Ok(deliver_sms(
        &template,
        Content::Text(MO_TEXT, Encoding::Ucs2),
        Method::Udh8 { reference: 0x5A },
        SplitOptions::default(),
    )?)
}

// ---------------------------------------------------------------- ESME side

struct EsmeReport {
    pdus_sent: usize,
    elapsed: Duration,
    by_kind: Vec<(Kind, usize)>,
    receipts: usize,
    mo_text: String,
    rejected_status: CommandStatus,
    rejected_sequence: u32,
}

/// What the ESME's receiving task learns.
#[derive(Default)]
struct Inbox {
    /// Receipts: (id from the TLV, id from the text).
    receipts: Vec<(String, String)>,
    mo_text: Option<String>,
    failure: Option<String>,
}

async fn run_esme(addr: SocketAddr) -> Res<EsmeReport> {
    let config = Config::esme(BindType::Transceiver)
        .with_system_id(SYSTEM_ID)?
        .with_password(PASSWORD)?
        .with_interface_version(InterfaceVersion::V34)
        .with_window(WINDOW);
    let (esme, incoming) = client::connect(addr, config).await?;
    let bound = esme.bind_info().ok_or("bound without bind info")?;
    println!(
        "bind_transceiver answered ESME_ROK by {} (SMPP {:?})",
        bound.system_id, bound.version
    );

    // The SMSC's requests: receipts and the MO message, answered ESME_ROK.
    let (inbox, watch_inbox) = watch::channel(Inbox::default());
    let receiving = tokio::spawn(receive(incoming, inbox));

    let Submitted {
        sent,
        by_kind,
        ids,
        elapsed,
        rejected: (rejected_status, rejected_sequence),
    } = submit_mix(&esme, addr).await?;

    // Keep-alive, then wait for every receipt and the MO message, then unbind.
    esme.enquire_link().await?;
    let mut watch_inbox = watch_inbox;
    let all_in = tokio::time::timeout(
        PATIENCE,
        watch_inbox.wait_for(|i| {
            i.failure.is_some() || (i.receipts.len() == ids.len() && i.mo_text.is_some())
        }),
    )
    .await
    .is_ok_and(|r| r.is_ok());
    if !all_in {
        let inbox = watch_inbox.borrow();
        return Err(format!(
            "timed out waiting for the SMSC: {} of {} receipts, MO message {:?}",
            inbox.receipts.len(),
            ids.len(),
            inbox.mo_text
        )
        .into());
    }
    esme.unbind().await?;
    receiving.await?;

    let inbox = watch_inbox.borrow();
    if let Some(failure) = &inbox.failure {
        return Err(failure.clone().into());
    }
    let ids: HashSet<&str> = ids.iter().map(String::as_str).collect();
    if ids.len() != sent {
        return Err("message ids are not unique".into());
    }
    for (tlv_id, text_id) in &inbox.receipts {
        if !ids.contains(tlv_id.as_str())
            || !ids_match_with(
                tlv_id.as_bytes(),
                IdBase::Hex,
                text_id.as_bytes(),
                IdBase::Decimal,
            )
        {
            return Err(format!("receipt {tlv_id}/{text_id} matches no submission").into());
        }
    }
    let mo_text = inbox.mo_text.clone().unwrap_or_default();
    if mo_text != MO_TEXT {
        return Err(format!("MO text differs: {mo_text:?}").into());
    }
    if rejected_status != CommandStatus::ESME_RINVSRCADR {
        return Err(format!("malformed submit_sm answered with {rejected_status}").into());
    }
    let mut by_kind: Vec<_> = by_kind.into_iter().collect();
    by_kind.sort_by_key(|(k, _)| KINDS.iter().position(|x| x == k));
    Ok(EsmeReport {
        pdus_sent: sent,
        elapsed,
        by_kind,
        receipts: inbox.receipts.len(),
        mo_text,
        rejected_status,
        rejected_sequence,
    })
}

/// What submitting the mix gave.
struct Submitted {
    /// `submit_sm` PDUs sent.
    sent: usize,
    by_kind: HashMap<Kind, usize>,
    /// The message ids of the responses.
    ids: Vec<String>,
    elapsed: Duration,
    /// The answer to the raw peer's malformed `submit_sm`.
    rejected: (CommandStatus, u32),
}

/// Submits the mix through the window while a raw peer sends its malformed
/// `submit_sm`; returns once every response is in.
async fn submit_mix(esme: &Client, addr: SocketAddr) -> Res<Submitted> {
    // One task collects the responses, in order, while the loop below
    // keeps the window full.
    let (responses, mut collected) = mpsc::unbounded_channel::<Pending>();
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

    // Submit the mix through the window.
    let start = Instant::now();
    let mut sent = 0usize;
    let mut by_kind: HashMap<Kind, usize> = HashMap::new();
    let mut malformed = None;
    for n in 0..MESSAGES {
        let kind = KINDS[n % KINDS.len()];
        *by_kind.entry(kind).or_default() += 1;
        let dest = format!("4477009{:05}", n % 100_000);
        for pdu in message(kind, &dest, n)? {
            responses.send(esme.queue(pdu.body).await?)?;
            sent += 1;
        }
        if n == MESSAGES / 2 {
            // Meanwhile a raw peer sends one malformed submit_sm.
            malformed = Some(tokio::spawn(raw_peer(addr)));
        }
    }
    drop(responses);
    let ids = collecting.await??;
    let elapsed = start.elapsed();
    let rejected = malformed.ok_or("no raw peer")?.await??;
    Ok(Submitted {
        sent,
        by_kind,
        ids,
        elapsed,
        rejected,
    })
}

/// What one request of the SMSC told the ESME.
enum Learned {
    Receipt(String, String),
    MoText(String),
    Nothing,
}

/// Takes every request of the SMSC until the session closes: checks
/// receipts, reassembles the MO message, answers each with `ESME_ROK`.
async fn receive(mut incoming: Incoming, inbox: watch::Sender<Inbox>) {
    let mut parts = Reassembler::new(reassembly::Config::default());
    while let Some(request) = incoming.recv().await {
        let learned = learn(request.pdu(), &mut parts);
        // Answered before the news spreads: the unbind it may lead to comes
        // after the answer.
        request.respond(Answer::Ok);
        inbox.send_modify(|i| match learned {
            Ok(Learned::Receipt(tlv_id, text_id)) => i.receipts.push((tlv_id, text_id)),
            Ok(Learned::MoText(text)) => i.mo_text = Some(text),
            Ok(Learned::Nothing) => {}
            Err(e) => i.failure = Some(e.to_string()),
        });
    }
}

/// Reads one `deliver_sm`: a receipt's ids, or a part of the MO message.
fn learn(pdu: &Pdu, parts: &mut Reassembler<&'static str>) -> Res<Learned> {
    let Body::DeliverSm(sm) = &pdu.body else {
        return Err(format!("unexpected PDU {:?}", pdu.command_id()).into());
    };
    if sm.esm_class.is_delivery_receipt() {
        let tlv_id = sm
            .tlvs
            .get(TlvTag::RECEIPTED_MESSAGE_ID)
            .map(|t| t.as_cstr());
        let state = sm.tlvs.get(TlvTag::MESSAGE_STATE).and_then(|t| t.as_u8());
        let receipt = Receipt::new(&sm.short_message, tlv_id, state, None);
        let text_id = receipt.text.and_then(|t| t.id).unwrap_or_default();
        if receipt.state() != Some(MessageState::DELIVERED) {
            return Err("receipt with an unexpected state".into());
        }
        return Ok(Learned::Receipt(
            String::from_utf8_lossy(receipt.message_id().unwrap_or_default()).into_owned(),
            String::from_utf8_lossy(text_id).into_owned(),
        ));
    }
    let outcome = parts.insert_short_message(
        Instant::now(),
        "smsc",
        sm.source_addr.as_bytes(),
        sm.destination_addr.as_bytes(),
        sm.short_message.clone(),
        sm.esm_class.udhi(),
    )?;
    let Outcome::Complete(msg) = outcome else {
        return Ok(Learned::Nothing);
    };
    let text = decode_to_string(sm.data_coding, Tables::DEFAULT, &msg.concat());
    Ok(Learned::MoText(text.ok_or("MO message is not text")??))
}

/// A second ESME, written by hand: binds as transmitter, sends a malformed
/// `submit_sm` (a 30-digit `source_addr`, 21 octets at most) and a good
/// one, and unbinds. Returns the malformed one's answer.
async fn raw_peer(addr: SocketAddr) -> Res<(CommandStatus, u32)> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let mut peer = Framed::new(stream, PduCodec::new());
    let bind = BindBuilder::transmitter(1)
        .system_id(SYSTEM_ID)
        .password(PASSWORD)
        .build()?;
    peer.send(bind).await?;
    expect(&mut peer, CommandId::BIND_TRANSMITTER_RESP, 1).await?;

    let mut raw = vec![0u8; 16];
    raw.extend_from_slice(b"\0\x01\x01");
    raw.extend_from_slice(&[b'9'; 30]);
    raw.extend_from_slice(b"\0\x01\x01447700900123\0");
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
        .destination_addr("447700900123")
        .short_message("after the malformed one")
        .build()?;
    peer.send(good).await?;
    let resp = expect(&mut peer, CommandId::SUBMIT_SM_RESP, 3).await?;
    if !resp.command_status.is_ok() {
        return Err(format!("good submit_sm answered with {}", resp.command_status).into());
    }
    peer.send(HeaderOnlyBuilder::unbind(4).build()?).await?;
    expect(&mut peer, CommandId::UNBIND_RESP, 4).await?;
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

/// The PDUs for message `n` of `kind`.
fn message(kind: Kind, dest: &str, n: usize) -> Res<Vec<Pdu>> {
    let base = smpp_std::SubmitSm {
        source_addr_ton: Ton::ALPHANUMERIC,
        source_addr: smpp_std::COctet::new(Bytes::from_static(b"INFO")),
        dest_addr_ton: Ton::INTERNATIONAL,
        dest_addr_npi: Npi::ISDN,
        destination_addr: smpp_std::COctet::new(Bytes::copy_from_slice(dest.as_bytes())),
        registered_delivery: RegisteredDelivery::RECEIPT_ON_FINAL,
        ..smpp_std::SubmitSm::default()
    };
    let reference = u16::try_from(n % 65_536)?;
    let gsm = Encoding::Gsm7(Tables::DEFAULT);
    // A WAP push (WSP/WBXML octets) goes to port 2948 from port 9200.
    let ports = [Ie::Port16 {
        dest: 2948,
        src: 9200,
    }];
    let mut options = SplitOptions::default();
    let (content, method) = match kind {
        Kind::Plain => (
            Content::Text("Your code is 4711", gsm),
            Method::Udh8 { reference: 0 },
        ),
        Kind::LongGsm => (
            Content::Text(LONG_GSM, gsm),
            Method::Udh8 {
                reference: u8::try_from(n % 256)?,
            },
        ),
        Kind::Unicode => (
            Content::Text(UNICODE, Encoding::Ucs2),
            Method::Udh16 { reference },
        ),
        Kind::Sar => (Content::Text(LONG_GSM, gsm), Method::Sar { reference }),
        Kind::Flash => (
            Content::Text("ALERT: flash message", gsm),
            Method::Udh8 { reference: 0 },
        ),
        Kind::Payload => (Content::Text(LONG_GSM, gsm), Method::Payload),
        Kind::WapPush => {
            options.ies = &ports;
            (Content::Binary(&WSP), Method::Udh8 { reference: 0 })
        }
    };
    // The session numbers the PDUs it sends: the builder's numbers go unused.
    let mut pdus = submit_sms(&base, content, method, options)?;
    if kind == Kind::Flash {
        for pdu in &mut pdus {
            if let Body::SubmitSm(sm) = &mut pdu.body {
                sm.data_coding = DataCoding(0x10); // GSM 7-bit, class 0
            }
        }
    }
    Ok(pdus)
}

/// The WSP/WBXML octets of the WAP push.
const WSP: [u8; 15] = [
    0x01, 0x06, 0x04, 0x03, 0xAE, 0x81, 0xEA, 0x02, 0x05, 0x6A, 0x00, 0x45, 0xC6, 0x0C, 0x03,
];
