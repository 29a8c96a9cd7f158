//! The workspace's main job: an SMSC and an ESME talking SMPP over loopback
//! TCP, with the traffic a gateway really carries.
//!
//! The ESME binds as transceiver and pipelines thousands of messages through
//! a window: plain GSM 7-bit text, long GSM text concatenated by UDH, Unicode
//! with emoji split by a 16-bit-reference UDH, SAR-concatenated text, a WAP
//! push to port 2948, flash messages and `message_payload` messages, plus one
//! malformed `submit_sm`. The SMSC decodes every PDU, reassembles and checks
//! every long message, answers with `submit_sm_resp`, sends a delivery
//! receipt for each message and a long mobile-originated message back; the
//! ESME matches every receipt to its message id and reassembles the MO
//! message. Every check is asserted: the program exits non-zero if anything
//! is lost or wrong.
//!
//! Run it with `cargo run --release -p smpp-std --example demo`.

use core::error::Error;
use core::net::SocketAddr;
use core::time::Duration;
use std::collections::{HashMap, HashSet};
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::Instant;

use bytes::Bytes;
use smpp_core::receipt::{DeliveryReceipt, IdBase, MessageState, Receipt, ids_match_with};
use smpp_core::text::choose::Encoding;
use smpp_core::text::gsm7::Tables;
use smpp_core::text::split::{Content, Method, SplitOptions};
use smpp_core::text::udh::{Ie, Udh};
use smpp_core::{
    Body, CommandId, CommandStatus, DataCoding, EsmClass, InterfaceVersion, Npi,
    RegisteredDelivery, TlvTag, Ton,
};
use smpp_std::reassembly::{Config, Outcome, Reassembler};
use smpp_std::text::{decode_to_string, deliver_sms, submit_sms};
use smpp_std::{
    BindBuilder, BindRespBuilder, HeaderOnlyBuilder, SmppReader, SmppWriter, SubmitSmBuilder,
    SubmitSmRespBuilder,
};

/// Messages the ESME submits.
const MESSAGES: usize = 12_000;
/// Requests the ESME may have outstanding before it waits for responses.
const WINDOW: usize = 256;
const SYSTEM_ID: &str = "demo-esme";
const PASSWORD: &str = "s3cret";

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

fn main() -> Res<()> {
    let listener = TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?;
    println!("SMSC listening on {addr}");
    let smsc = thread::spawn(move || {
        let report = run_smsc(&listener);
        if let Err(e) = &report {
            eprintln!("SMSC failed: {e}");
        }
        report
    });
    let esme = run_esme(addr)?;
    let smsc = smsc.join().map_err(|_| "SMSC thread panicked")??;

    println!();
    println!("== SMSC");
    println!(
        "  decoded {} PDUs ({} submit_sm), answered {} malformed PDU(s) with {}",
        smsc.pdus, smsc.submit_sm, smsc.rejected, smsc.reject_status
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
    Ok(())
}

// ---------------------------------------------------------------- SMSC side

struct SmscReport {
    pdus: usize,
    submit_sm: usize,
    rejected: usize,
    reject_status: CommandStatus,
    long_reassembled: usize,
    wap_port: u16,
    wap_pushes: usize,
    wap_octets: usize,
    flash: usize,
    payloads: usize,
}

/// Serves one ESME: checks the bind, answers every request, reassembles long
/// messages, sends a receipt per message and one long MO message.
fn run_smsc(listener: &TcpListener) -> Res<SmscReport> {
    let (stream, _) = listener.accept()?;
    stream.set_nodelay(true)?;
    let mut reader = SmppReader::new(stream.try_clone()?);
    let mut writer = SmppWriter::new(stream);
    let mut report = SmscReport {
        pdus: 0,
        submit_sm: 0,
        rejected: 0,
        reject_status: CommandStatus::ESME_ROK,
        long_reassembled: 0,
        wap_port: 0,
        wap_pushes: 0,
        wap_octets: 0,
        flash: 0,
        payloads: 0,
    };
    let mut parts = Reassembler::new(Config::default());
    let mut next_id: u64 = 59_113_978;
    let mut seq: u32 = 1;
    let expected = [LONG_GSM, UNICODE];
    let mut sar_parts: HashMap<u8, Bytes> = HashMap::new();

    while let Some(frame) = reader.read_frame()? {
        report.pdus += 1;
        let pdu = match frame.to_pdu() {
            Ok(pdu) => pdu,
            Err(err) => {
                // A malformed body is answered, not fatal.
                let reply = err.reply();
                report.rejected += 1;
                report.reject_status = reply.command_status;
                writer.queue(&smpp_std::reply_pdu(&reply))?;
                continue;
            }
        };
        match pdu.body {
            Body::BindTransceiver(bind) => {
                let ok = bind.system_id.as_bytes() == SYSTEM_ID.as_bytes()
                    && bind.password.as_bytes() == PASSWORD.as_bytes();
                let resp = BindRespBuilder::transceiver_resp(pdu.sequence_number)
                    .system_id("SMSC")
                    .sc_interface_version(InterfaceVersion::V50)
                    .command_status(if ok {
                        CommandStatus::ESME_ROK
                    } else {
                        CommandStatus::ESME_RBINDFAIL
                    })
                    .build()?;
                writer.send(&resp)?;
                send_mo(&mut writer, &mut seq)?;
            }
            Body::SubmitSm(sm) => {
                report.submit_sm += 1;
                let id = format!("{next_id:x}");
                next_id += 1;
                let resp = SubmitSmRespBuilder::new(pdu.sequence_number)
                    .message_id(id.as_str())
                    .build()?;
                writer.queue(&resp)?;
                inspect(&sm, &mut parts, &mut sar_parts, &expected, &mut report)?;
                if sm.registered_delivery.mc_receipt() != 0 {
                    writer.queue(&receipt(&sm, &id, next_id - 1, &mut seq)?)?;
                }
            }
            Body::DeliverSmResp(_) => {}
            Body::EnquireLink => {
                writer
                    .queue(&HeaderOnlyBuilder::enquire_link_resp(pdu.sequence_number).build()?)?;
            }
            Body::Unbind => {
                writer.send(&HeaderOnlyBuilder::unbind_resp(pdu.sequence_number).build()?)?;
                break;
            }
            _ => {
                let nack = HeaderOnlyBuilder::generic_nack(
                    pdu.sequence_number,
                    CommandStatus::ESME_RINVCMDID,
                )
                .build()?;
                writer.queue(&nack)?;
            }
        }
        if reader.buffered().is_empty() {
            writer.flush()?;
        }
    }
    writer.flush()?;
    Ok(report)
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

/// A delivery receipt for a message: the de-facto text (decimal id) plus the
/// `receipted_message_id` (hex id) and `message_state` TLVs.
fn receipt(sm: &smpp_std::SubmitSm, hex_id: &str, id: u64, seq: &mut u32) -> Res<smpp_std::Pdu> {
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
    *seq += 1;
    Ok(SubmitSmBuilder::deliver_sm(*seq)
        .source_addr_ton(sm.dest_addr_ton)
        .source_addr_npi(sm.dest_addr_npi)
        .source_addr(sm.destination_addr.as_bytes().to_vec())
        .destination_addr(sm.source_addr.as_bytes().to_vec())
        .esm_class(EsmClass::DELIVERY_RECEIPT)
        .short_message(buf[..n].to_vec())
        .receipted_message_id(hex_id)
        .message_state(MessageState::DELIVERED)
        .build()?)
}

/// Sends a long mobile-originated message in UCS-2 parts.
fn send_mo(writer: &mut SmppWriter<TcpStream>, seq: &mut u32) -> Res<()> {
    let template = smpp_std::SubmitSm {
        source_addr_ton: Ton::INTERNATIONAL,
        source_addr_npi: Npi::ISDN,
        source_addr: smpp_std::COctet::new(Bytes::from_static(b"447700900123")),
        destination_addr: smpp_std::COctet::new(Bytes::from_static(b"INFO")),
        ..smpp_std::SubmitSm::default()
    };
    let parts = deliver_sms(
        &template,
        Content::Text(MO_TEXT, Encoding::Ucs2),
        Method::Udh8 { reference: 0x5A },
        SplitOptions::default(),
        || {
            *seq += 1;
            *seq
        },
    )?;
    for pdu in &parts {
        writer.queue(pdu)?;
    }
    Ok(())
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

/// What the ESME's reader thread learns.
#[derive(Default)]
struct Inbox {
    /// Responses received for requests sent.
    answered: usize,
    /// message ids from `submit_sm_resp`, by sequence number.
    ids: HashMap<u32, String>,
    /// Receipts: (id from the TLV, id from the text).
    receipts: Vec<(String, String)>,
    mo_text: Option<String>,
    rejected: Option<(CommandStatus, u32)>,
    bound: Option<CommandStatus>,
    closed: bool,
}

type Shared = Arc<(Mutex<Inbox>, Condvar)>;

fn run_esme(addr: SocketAddr) -> Res<EsmeReport> {
    let stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    // One thread writes, so neither the submitting loop nor the reader ever
    // blocks the other: they hand it PDUs through a channel.
    let (writer, outbox) = channel::<Outgoing>();
    let write_stream = stream.try_clone()?;
    let writer_thread = thread::spawn(move || esme_writer(SmppWriter::new(write_stream), &outbox));
    let shared: Shared = Arc::default();
    let reader = {
        let (writer, shared) = (writer.clone(), Arc::clone(&shared));
        thread::spawn(move || esme_reader(SmppReader::new(stream), &writer, &shared))
    };

    // Bind.
    let bind = BindBuilder::transceiver(1)
        .system_id(SYSTEM_ID)
        .password(PASSWORD)
        .interface_version(InterfaceVersion::V34)
        .build()?;
    writer.send(Outgoing::Pdu(Box::new(bind)))?;
    wait(&shared, |i| i.bound.is_some())?;
    let status = shared.0.lock().map_err(|_| "poisoned")?.bound;
    println!("bind_transceiver answered: {status:?}");

    // Submit the mix through the window.
    let start = Instant::now();
    let mut seq: u32 = 1;
    let mut sent = 0usize;
    let mut by_kind: HashMap<Kind, usize> = HashMap::new();
    for n in 0..MESSAGES {
        let kind = KINDS[n % KINDS.len()];
        *by_kind.entry(kind).or_default() += 1;
        let dest = format!("4477009{:05}", n % 100_000);
        for pdu in message(kind, &dest, n, &mut seq)? {
            wait(&shared, |i| sent - i.answered < WINDOW)?;
            writer.send(Outgoing::Pdu(Box::new(pdu)))?;
            sent += 1;
        }
        if n == MESSAGES / 2 {
            // One malformed submit_sm: a 30-digit source_addr (max 21 octets).
            seq += 1;
            let mut raw = vec![0u8; 16];
            raw.extend_from_slice(b"\0\x01\x01");
            raw.extend_from_slice(&[b'9'; 30]);
            raw.extend_from_slice(b"\0\x01\x01447700900123\0");
            raw.extend_from_slice(&[0; 10]);
            let len = u32::try_from(raw.len())?;
            raw[..4].copy_from_slice(&len.to_be_bytes());
            raw[4..8].copy_from_slice(&CommandId::SUBMIT_SM.0.to_be_bytes());
            raw[12..16].copy_from_slice(&seq.to_be_bytes());
            writer.send(Outgoing::Raw(raw))?;
            sent += 1;
        }
    }
    wait(&shared, |i| i.answered == sent)?;
    let elapsed = start.elapsed();

    // Keep-alive, then wait for every receipt and the MO message, then unbind.
    seq += 1;
    writer.send(Outgoing::Pdu(Box::new(
        HeaderOnlyBuilder::enquire_link(seq).build()?,
    )))?;
    wait(&shared, |i| {
        i.answered == sent + 1 && i.receipts.len() == i.ids.len() && i.mo_text.is_some()
    })?;
    seq += 1;
    writer.send(Outgoing::Pdu(Box::new(
        HeaderOnlyBuilder::unbind(seq).build()?,
    )))?;
    wait(&shared, |i| i.closed)?;
    reader.join().map_err(|_| "reader thread panicked")??;
    drop(writer);
    writer_thread
        .join()
        .map_err(|_| "writer thread panicked")??;

    let inbox = shared.0.lock().map_err(|_| "poisoned")?;
    let ids: HashSet<&str> = inbox.ids.values().map(String::as_str).collect();
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
    let (rejected_status, rejected_sequence) = inbox.rejected.ok_or("no rejection seen")?;
    if rejected_status != CommandStatus::ESME_RINVSRCADR {
        return Err(format!("malformed submit_sm answered with {rejected_status}").into());
    }
    let mut by_kind: Vec<_> = by_kind.into_iter().collect();
    by_kind.sort_by_key(|(k, _)| KINDS.iter().position(|x| x == k));
    Ok(EsmeReport {
        pdus_sent: sent - 1,
        elapsed,
        by_kind,
        receipts: inbox.receipts.len(),
        mo_text,
        rejected_status,
        rejected_sequence,
    })
}

/// Waits until `ready` holds for the inbox (or the connection closed).
fn wait(shared: &Shared, ready: impl Fn(&Inbox) -> bool) -> Res<()> {
    let (lock, cond) = &**shared;
    let mut inbox = lock.lock().map_err(|_| "poisoned")?;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !ready(&inbox) {
        if inbox.closed && !ready(&inbox) {
            return Err("connection closed early".into());
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            eprintln!(
                "answered {} ids {} receipts {} mo {:?} closed {}",
                inbox.answered,
                inbox.ids.len(),
                inbox.receipts.len(),
                inbox.mo_text,
                inbox.closed
            );
            return Err("timed out waiting for the SMSC".into());
        }
        inbox = cond.wait_timeout(inbox, left).map_err(|_| "poisoned")?.0;
    }
    Ok(())
}

/// The PDUs for message `n` of `kind`.
fn message(kind: Kind, dest: &str, n: usize, seq: &mut u32) -> Res<Vec<smpp_std::Pdu>> {
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
    let mut pdus = submit_sms(&base, content, method, options, || {
        *seq += 1;
        *seq
    })?;
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

/// Reads everything the SMSC sends, answering `deliver_sm` as it goes.
fn esme_reader(
    mut reader: SmppReader<TcpStream>,
    writer: &Sender<Outgoing>,
    shared: &Shared,
) -> Res<()> {
    let mut parts = Reassembler::new(Config::default());
    let result = (|| -> Res<()> {
        while let Some(frame) = reader.read_frame()? {
            let pdu = frame.to_pdu()?;
            let mut inbox = shared.0.lock().map_err(|_| "poisoned")?;
            match &pdu.body {
                Body::BindTransceiverResp(_) => inbox.bound = Some(pdu.command_status),
                Body::SubmitSmResp(resp) => {
                    inbox.answered += 1;
                    if pdu.command_status.is_ok() {
                        let id = resp.as_ref().map(|r| r.message_id.to_string());
                        inbox
                            .ids
                            .insert(pdu.sequence_number, id.unwrap_or_default());
                    } else {
                        inbox.rejected = Some((pdu.command_status, pdu.sequence_number));
                    }
                }
                Body::EnquireLinkResp(_) => inbox.answered += 1,
                Body::UnbindResp(_) => {
                    inbox.closed = true;
                    shared.1.notify_all();
                    return Ok(());
                }
                Body::DeliverSm(sm) => {
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
                        inbox.receipts.push((
                            String::from_utf8_lossy(receipt.message_id().unwrap_or_default())
                                .into_owned(),
                            String::from_utf8_lossy(text_id).into_owned(),
                        ));
                    } else if let Outcome::Complete(msg) = parts.insert_short_message(
                        Instant::now(),
                        "smsc",
                        sm.source_addr.as_bytes(),
                        sm.destination_addr.as_bytes(),
                        sm.short_message.clone(),
                        sm.esm_class.udhi(),
                    )? {
                        let text = decode_to_string(sm.data_coding, Tables::DEFAULT, &msg.concat());
                        inbox.mo_text = Some(text.ok_or("MO message is not text")??);
                    }
                    drop(inbox);
                    let resp = SubmitSmRespBuilder::deliver_sm_resp(pdu.sequence_number).build()?;
                    writer.send(Outgoing::Pdu(Box::new(resp)))?;
                    shared.1.notify_all();
                    continue;
                }
                other => return Err(format!("unexpected PDU {:?}", other.command_id()).into()),
            }
            shared.1.notify_all();
        }
        Ok(())
    })();
    let mut inbox = shared.0.lock().map_err(|_| "poisoned")?;
    inbox.closed = true;
    shared.1.notify_all();
    result
}

/// What the ESME's writer thread sends.
enum Outgoing {
    Pdu(Box<smpp_std::Pdu>),
    /// Octets written as they are (the deliberately malformed PDU).
    Raw(Vec<u8>),
}

/// Writes whatever arrives, batching: it flushes when the channel is empty.
fn esme_writer(mut writer: SmppWriter<TcpStream>, outbox: &Receiver<Outgoing>) -> Res<()> {
    while let Ok(first) = outbox.recv() {
        let mut next = Some(first);
        while let Some(item) = next {
            match item {
                Outgoing::Pdu(pdu) => writer.queue(&*pdu)?,
                Outgoing::Raw(raw) => {
                    writer.flush()?;
                    std::io::Write::write_all(writer.get_mut(), &raw)?;
                }
            }
            next = outbox.try_recv().ok();
        }
        writer.flush()?;
    }
    Ok(())
}
