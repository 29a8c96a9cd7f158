//! The `session_driver` target: the tokio session of `smpp-std` (the
//! client, or the server's session) against an adversarial peer over a
//! small in-memory pipe, on a runtime whose clock only moves when every
//! task waits.
//!
//! The script's peer writes well-formed PDUs (requests, answers to what
//! the session sent, large ones) and raw octets, reads some or none of what
//! comes back, lets time pass, half-closes or vanishes; the application
//! sends requests and takes (or ignores) what the session hands it.
//!
//! The oracle: the whole run ends within a few seconds of real time (the
//! clock is virtual, so a task that spins instead of waiting never lets it
//! finish); every request of the application comes back with an answer or
//! an error; the peer never gets two answers to one request, nor an answer
//! it did not ask for; an ESME acknowledges (`ESME_ROK`) no more of the
//! MC's requests than its application took; and, when the caller gives a
//! probe of the heap, live memory stays under a bound that does not grow
//! with what the peer only announces.

use core::sync::atomic::{AtomicUsize, Ordering};
use core::time::Duration;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use bytes::{Bytes, BytesMut};
use smpp_core::session::{BindType, Config, InboundOverflow, Timers};
use smpp_core::{CommandId, CommandStatus, Header};
use smpp_std::server::{BindRequest, Context, Handler};
use smpp_std::session::{Answer, Error, Handle, Incoming};
use smpp_std::{FrameDecoder, Pdu, SubmitSmBuilder};
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

use super::Octets;
use crate::testdata::encode;

/// Which side of the pipe is ours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Side {
    /// Our client against an adversarial MC.
    Esme,
    /// Our server's session against an adversarial ESME.
    Mc,
}

/// One step of a script.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Op {
    /// The peer writes a well-formed PDU of `kind` (sequence from `seq`).
    Pdu(u8, u8),
    /// The peer writes these octets.
    Raw(Vec<u8>),
    /// The peer reads up to `n` × 128 octets of what came.
    Read(u8),
    /// The peer reads everything that came.
    ReadAll,
    /// Time passes: `n` × 50 ms.
    Wait(u8),
    /// The peer shuts down its writing side.
    HalfClose,
    /// The application sends a request of `kind`.
    Send(u8),
    /// The ESME's application takes up to `n` requests from `Incoming`.
    Take(u8),
    /// The peer vanishes: the script ends.
    Vanish,
}

/// Reads a script: a configuration octet, a window octet, then steps.
fn script(data: &[u8]) -> Option<(u8, u8, Vec<Op>)> {
    let (&config, rest) = data.split_first()?;
    let (&window, rest) = rest.split_first()?;
    let mut r = Octets(rest);
    let mut ops = Vec::new();
    while !r.0.is_empty() {
        ops.push(match r.octet() % 9 {
            0 => Op::Pdu(r.octet(), r.octet()),
            1 => {
                let len = r.octet() % 64;
                Op::Raw(r.take(usize::from(len)).to_vec())
            }
            2 => Op::Read(r.octet()),
            3 => Op::ReadAll,
            4 => Op::Wait(r.octet()),
            5 => Op::HalfClose,
            6 => Op::Send(r.octet()),
            7 => Op::Take(r.octet()),
            _ => Op::Vanish,
        });
        if ops.len() >= 256 {
            break;
        }
    }
    Some((config, window, ops))
}

/// A message payload large enough that a few fill the pipe.
fn big() -> Bytes {
    Bytes::from(vec![b'x'; 20_000])
}

/// The MC handler: answers at once, or after a while (virtual time).
struct Mc {
    slow: bool,
}

impl Handler for Mc {
    async fn bind(&self, _cx: &Context, _request: &BindRequest) -> CommandStatus {
        CommandStatus::ESME_ROK
    }

    async fn request(&self, _cx: &Context, _pdu: Pdu) -> Answer {
        if self.slow {
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
        Answer::message_id("fz")
    }
}

/// What the adversarial peer knows.
#[derive(Default)]
struct Peer {
    /// Requests it wrote and expects an answer to, by sequence number: the
    /// command and how many carried that number.
    asked: BTreeMap<u32, (CommandId, u32)>,
    /// Answers it read, per sequence number.
    answered: BTreeMap<u32, u32>,
    /// Requests of the session it read and may answer.
    owed: Vec<(u32, CommandId)>,
    /// `deliver_sm`/`data_sm` it wrote, answered `ESME_ROK`.
    acknowledged: usize,
    /// Octets it read and has not cut into frames yet.
    buffer: BytesMut,
    next_seq: u32,
    writing: bool,
    /// It wrote octets of its own making, not only well-formed PDUs.
    wrote_raw: bool,
}

impl Peer {
    fn take_frames(&mut self) {
        let mut decoder = FrameDecoder::with_max_command_length(1 << 20);
        while let Ok(Some(frame)) = decoder.decode(&mut self.buffer) {
            let h = frame.header;
            if self.wrote_raw && h.command_id == CommandId::GENERIC_NACK {
                // Garbage carries any sequence number: a generic_nack to
                // it cannot be told from one to a request of the peer.
                continue;
            }
            if h.command_id.is_response() {
                let n = self.answered.entry(h.sequence_number).or_default();
                *n += 1;
                // Octets of the peer's own making, run together with the
                // PDUs after them, can frame a request with any sequence
                // number (a bind_receiver whose body is the submit_sm that
                // followed), which the session rightly answers: only
                // without them does every answer belong to a request
                // counted here.
                if let Some(&(id, sent)) = self.asked.get(&h.sequence_number)
                    && !self.wrote_raw
                {
                    assert!(
                        *n <= sent,
                        "{} answered {n} times, {id} sent {sent} times (sequence {})",
                        h.command_id,
                        h.sequence_number
                    );
                }
                // By the answer's own command: the peer may write several
                // requests with one sequence number.
                let deliver = matches!(
                    h.command_id,
                    CommandId::DELIVER_SM_RESP | CommandId::DATA_SM_RESP
                );
                if deliver && h.command_status == CommandStatus::ESME_ROK {
                    self.acknowledged += 1;
                }
            } else {
                self.owed.push((h.sequence_number, h.command_id));
            }
        }
    }
}

/// What the application under test did and got.
#[derive(Default)]
struct App {
    /// Requests it sent and whose outcome came back.
    settled: AtomicUsize,
    /// Requests of the peer it took from `Incoming`.
    taken: AtomicUsize,
    /// Outcomes that are neither answers nor known errors.
    odd: Mutex<Vec<String>>,
}

/// A PDU of `kind` as the peer writes it, or `None` to answer one of the
/// session's requests instead.
fn peer_pdu(side: Side, kind: u8, seq: u32) -> Option<Pdu> {
    let sm = match side {
        Side::Mc => SubmitSmBuilder::new(seq),
        Side::Esme => SubmitSmBuilder::deliver_sm(seq),
    };
    let pdu = match (kind % 10, side) {
        (0 | 1, _) => sm
            .destination_addr("447700900123")
            .short_message("from the peer")
            .build(),
        (2, _) => sm.destination_addr("1").message_payload(big()).build(),
        (3, _) => Ok(Pdu::new(seq, smpp_core::Body::EnquireLink)),
        (4, _) => smpp_std::DataSmBuilder::new(seq)
            .destination_addr("1")
            .build(),
        (5, Side::Esme) => smpp_std::AlertNotificationBuilder::new(seq).build(),
        (6, _) => Ok(Pdu::new(seq, smpp_core::Body::Unbind)),
        _ => return None,
    };
    pdu.ok()
}

/// Runs one script. `live` probes the heap's live octets, when the caller
/// counts them.
///
/// # Panics
///
/// When an invariant breaks.
pub fn session_driver(data: &[u8]) {
    session_driver_with(data, None);
}

/// [`session_driver`] with a probe of the heap's live octets.
///
/// # Panics
///
/// When an invariant breaks.
pub fn session_driver_with(data: &[u8], live: Option<fn() -> usize>) {
    let Some((config, window, ops)) = script(data) else {
        return;
    };
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let shown = format!("{ops:?}");
    // A thread of its own, which a spinning session may keep: the verdict
    // does not wait for it.
    let runner = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .start_paused(true)
            .build()
            .expect("a runtime");
        runtime.block_on(run(config, window, &ops, live));
        let _ = done_tx.send(());
    });
    // The clock is virtual: a run that is not over after this much real
    // time has a task that keeps the runtime busy without waiting.
    match done_rx.recv_timeout(Duration::from_secs(20)) {
        Ok(()) => {}
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => {
            // The oracle failed in the runner: its panic, here.
            if let Err(panic) = runner.join() {
                std::panic::resume_unwind(panic);
            }
        }
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {
            panic!("the session spun: the virtual clock could not move ({shown})")
        }
    }
}

fn timers() -> Timers {
    Timers {
        session_init_timer: Some(Duration::from_secs(5)),
        enquire_link_timer: Some(Duration::from_secs(3)),
        inactivity_timer: None,
        response_timer: Duration::from_secs(5),
        write_timer: None,
    }
}

#[allow(clippy::too_many_lines)] // one scenario, read top to bottom
async fn run(config: u8, window: u8, ops: &[Op], live: Option<fn() -> usize>) {
    let side = if config & 1 == 0 {
        Side::Esme
    } else {
        Side::Mc
    };
    let pipe = 256 << (((config >> 3) & 3) * 2);
    let window_size = 1 + usize::from(window % 16);
    let inbound = 1 + usize::from((window >> 4) % 8);
    let overflow = if config & 0x40 == 0 {
        InboundOverflow::Wait
    } else {
        InboundOverflow::Refuse
    };
    let baseline = live.map(|f| f());
    let (ours, mut theirs) = tokio::io::duplex(pipe);
    let app = Arc::new(App::default());
    let mut peer = Peer {
        next_seq: 1,
        writing: true,
        ..Peer::default()
    };
    let mut tasks = Vec::new();
    let mut incoming: Option<Incoming> = None;
    let handle: Arc<Mutex<Option<Handle>>> = Arc::default();
    let tune = |config: Config| {
        config
            .with_timers(timers())
            .with_window(window_size)
            .with_inbound_window(inbound)
            .with_inbound_overflow(overflow)
    };
    let session = match side {
        Side::Mc => {
            let mc = tune(Config::mc());
            let handler = Arc::new(Mc {
                slow: config & 2 != 0,
            });
            tokio::spawn(smpp_std::server::serve(ours, mc, handler))
        }
        Side::Esme => {
            let esme = tune(Config::esme(BindType::Transceiver));
            // Bit 5: the client waits for the MC's outbind before binding.
            let outbind = config & 0x20 != 0;
            let slot = Arc::clone(&handle);
            let (tx, rx) = tokio::sync::oneshot::channel();
            let bind = tokio::spawn(async move {
                let bound = if outbind {
                    smpp_std::client::accept_outbind(ours, esme, |_| true).await
                } else {
                    smpp_std::client::bind(ours, esme).await
                };
                if let Ok((h, i)) = bound {
                    *slot.lock().unwrap() = Some(h.clone());
                    let _ = tx.send(Some(i));
                    h.closed().await
                } else {
                    let _ = tx.send(None);
                    smpp_core::session::CloseReason::Local
                }
            });
            // The MC answers the bind first (asks for it with an outbind
            // first), unless the script says not to.
            if config & 4 == 0 {
                if outbind {
                    let pdu = smpp_std::OutbindBuilder::new(peer.next_seq)
                        .system_id("fuzz")
                        .build()
                        .unwrap();
                    peer.next_seq += 1;
                    let _ = theirs.write_all(&encode(&pdu)).await;
                }
                read_some(&mut theirs, &mut peer, usize::MAX).await;
                if let Some(&(seq, id)) = peer.owed.first() {
                    let mut resp = smpp_std::BindRespBuilder::transceiver_resp(seq)
                        .system_id("fuzz")
                        .build()
                        .unwrap();
                    if let Some(kind) = BindType::from_command_id(id) {
                        resp.body = match kind {
                            BindType::Transmitter => smpp_core::Body::BindTransmitterResp(None),
                            BindType::Receiver => smpp_core::Body::BindReceiverResp(None),
                            BindType::Transceiver => resp.body,
                        };
                    }
                    peer.owed.clear();
                    let _ = theirs.write_all(&encode(&resp)).await;
                    incoming = rx.await.ok().flatten();
                }
            }
            bind
        }
    };
    if side == Side::Mc && config & 4 == 0 {
        // The ESME binds first.
        let bind = smpp_std::BindBuilder::transceiver(peer.next_seq)
            .system_id("fuzz")
            .build()
            .unwrap();
        peer.asked.insert(peer.next_seq, (bind.command_id(), 1));
        peer.next_seq += 1;
        let _ = theirs.write_all(&encode(&bind)).await;
    }

    let mut peak = 0usize;
    for op in ops {
        match op {
            Op::Pdu(kind, seq) => {
                if !peer.writing {
                    continue;
                }
                let sequence_number = if seq % 16 == 0 {
                    // A number already used: a duplicate of an earlier one.
                    peer.next_seq.saturating_sub(1).max(1)
                } else {
                    peer.next_seq
                };
                if let Some(pdu) = peer_pdu(side, *kind, sequence_number) {
                    // An alert_notification takes no response, but one the
                    // session may not take now (after an unbind) is
                    // refused with a generic_nack: at most one answer.
                    if pdu.command_id().expects_response()
                        || pdu.command_id() == CommandId::ALERT_NOTIFICATION
                    {
                        peer.asked
                            .entry(sequence_number)
                            .or_insert((pdu.command_id(), 0))
                            .1 += 1;
                    }
                    peer.next_seq += 1;
                    write(&mut theirs, &encode(&pdu), &mut peer).await;
                } else if !peer.owed.is_empty() {
                    // Answer one of the session's requests, in any order.
                    let i = usize::from(*seq) % peer.owed.len();
                    let (seq, id) = peer.owed.swap_remove(i);
                    let status = if kind % 3 == 0 {
                        CommandStatus::ESME_RTHROTTLED
                    } else {
                        CommandStatus::ESME_ROK
                    };
                    let resp = answer(id, seq, status);
                    write(&mut theirs, &resp, &mut peer).await;
                }
            }
            Op::Raw(raw) => {
                if peer.writing {
                    peer.wrote_raw = true;
                    write(&mut theirs, raw, &mut peer).await;
                }
            }
            Op::Read(n) => read_some(&mut theirs, &mut peer, usize::from(*n) * 128).await,
            Op::ReadAll => read_some(&mut theirs, &mut peer, usize::MAX).await,
            Op::Wait(n) => {
                tokio::time::sleep(Duration::from_millis(u64::from(*n) * 50)).await;
            }
            Op::HalfClose => {
                let _ = theirs.shutdown().await;
                peer.writing = false;
            }
            Op::Send(kind) => {
                let target = match side {
                    Side::Esme => handle.lock().unwrap().clone(),
                    Side::Mc => None,
                };
                if let Some(h) = target {
                    let app = Arc::clone(&app);
                    let kind = *kind;
                    tasks.push(tokio::spawn(async move {
                        let mut request = SubmitSmBuilder::new(0).destination_addr("1");
                        if kind % 4 == 0 {
                            request = request.message_payload(big());
                        }
                        let outcome = h.submit_sm(request.build().unwrap()).await;
                        settle(&app, outcome.map(|_| ()));
                    }));
                }
            }
            Op::Take(n) => {
                if let Some(incoming) = &mut incoming {
                    let taken = core::iter::from_fn(|| incoming.try_recv());
                    for request in taken.take(usize::from(*n % 8)) {
                        app.taken.fetch_add(1, Ordering::SeqCst);
                        drop(request);
                    }
                }
            }
            Op::Vanish => break,
        }
        // Let the session run before the next step.
        tokio::task::yield_now().await;
        if let (Some(probe), Some(base)) = (live, baseline) {
            peak = peak.max(probe().saturating_sub(base));
        }
        assert!(
            peer.acknowledged <= app.taken.load(Ordering::SeqCst) || side == Side::Mc,
            "the ESME acknowledged {} deliver_sm, its application took {}",
            peer.acknowledged,
            app.taken.load(Ordering::SeqCst)
        );
    }

    // The peer goes away; everything must end, with an outcome for every
    // request of the application.
    read_some(&mut theirs, &mut peer, usize::MAX).await;
    drop(theirs);
    drop(incoming);
    let ended = tokio::time::timeout(Duration::from_mins(2), async {
        for task in tasks {
            let _ = task.await;
        }
        session.await
    })
    .await;
    assert!(ended.is_ok(), "a request or the session never ended");
    let odd = app.odd.lock().unwrap();
    assert!(odd.is_empty(), "unexpected outcomes: {odd:?}");
    // What the peer asked was answered at most once (checked as read), and
    // nothing it never asked for, garbage aside, got an answer.
    let asked: BTreeSet<u32> = peer.asked.keys().copied().collect();
    for seq in peer.answered.keys() {
        assert!(
            asked.contains(seq) || *seq == 0 || data_has_raw(ops),
            "an answer to sequence {seq}, which the peer never sent"
        );
    }
    // Memory follows what was sent: the pipe, the windows and one large
    // PDU each way, far below what the peer may announce.
    if live.is_some() {
        assert!(peak < 8 << 20, "{peak} octets live");
    }
}

/// True if the script writes raw octets (which may hold any header).
fn data_has_raw(ops: &[Op]) -> bool {
    ops.iter().any(|op| matches!(op, Op::Raw(_)))
}

/// Records the outcome of an application request.
fn settle(app: &App, outcome: Result<(), Error>) {
    app.settled.fetch_add(1, Ordering::SeqCst);
    match outcome {
        Ok(())
        | Err(
            Error::Closed(_)
            | Error::OutcomeUnknown { .. }
            | Error::Timeout { .. }
            | Error::Refused(_),
        ) => {}
        Err(e) => app.odd.lock().unwrap().push(e.to_string()),
    }
}

/// The response to the session's request `id`.
fn answer(id: CommandId, seq: u32, status: CommandStatus) -> Vec<u8> {
    let header = Header {
        command_length: 16,
        command_id: if id.expects_response() {
            id.response()
        } else {
            CommandId::GENERIC_NACK
        },
        command_status: status,
        sequence_number: seq,
    };
    let mut out = header.to_bytes().to_vec();
    if matches!(
        header.command_id,
        CommandId::SUBMIT_SM_RESP | CommandId::DELIVER_SM_RESP | CommandId::DATA_SM_RESP
    ) {
        out.push(0);
        out[3] = 17;
    }
    out
}

/// Writes what the pipe takes without waiting for room (a peer that
/// writes faster than the session reads stalls, as TCP would).
async fn write(stream: &mut DuplexStream, octets: &[u8], peer: &mut Peer) {
    if !peer.writing {
        return;
    }
    let attempt = tokio::time::timeout(Duration::from_millis(200), stream.write_all(octets));
    if attempt.await.is_err() {
        // The session reads no more: the peer gives up. Part of the PDU
        // may be in the pipe, so whatever it wrote next would be read from
        // the middle of this one: it writes nothing more.
        peer.writing = false;
    }
}

/// Reads up to `limit` octets of what came, without waiting for more.
async fn read_some(stream: &mut DuplexStream, peer: &mut Peer, limit: usize) {
    let mut chunk = [0u8; 4096];
    let mut read = 0;
    while read < limit {
        let want = chunk.len().min(limit - read);
        let Some(buf) = chunk.get_mut(..want) else {
            break;
        };
        match tokio::time::timeout(Duration::from_millis(1), stream.read(buf)).await {
            Ok(Ok(n)) if n > 0 => {
                read += n;
                peer.buffer
                    .extend_from_slice(buf.get(..n).unwrap_or_default());
                peer.take_frames();
            }
            _ => break,
        }
    }
}

/// The seeds of the `session_driver` corpus, by file name: scripts that
/// reach bulk traffic both ways, a peer that stops reading, a flood of
/// requests never read, a half-close with a slow handler, garbage
/// mid-session, duplicates and unbind, refusals beyond the inbound window,
/// a bind that is never answered, and a bind asked for by `outbind`.
///
/// Each script is a configuration octet (bit 0 the side under test: 0 our
/// client, 1 our server; bit 1 a slow handler; bit 2 no bind; bits 3-4 the
/// pipe, 256 << 2n octets; bit 5 our client binds only after the MC's
/// `outbind`; bit 6 refuse beyond the inbound window), a
/// window octet (the window 1 + bits 0-3, the inbound window 1 + bits
/// 4-6), then steps, each its number modulo 9 and its arguments: 0 a PDU
/// of the peer (kind, sequence; kinds 7-9 answer one of the session's
/// requests), 1 raw octets (a length, then octets), 2 read n × 128 octets,
/// 3 read all, 4 wait n × 50 ms, 5 half-close, 6 the application sends
/// (kind), 7 the application takes n requests, 8 the peer vanishes.
pub fn session_driver_seeds() -> Vec<(&'static str, Vec<u8>)> {
    let repeat = |times: usize, step: &[u8]| step.repeat(times);
    let mut esme_bulk = vec![0x00, 0x33];
    esme_bulk.extend(repeat(10, &[6, 1]));
    esme_bulk.push(3);
    for i in 0..10 {
        esme_bulk.extend([0, 7, i, 3]);
    }
    esme_bulk.extend(repeat(6, &[0, 0, 1]));
    esme_bulk.extend([7, 8, 3, 4, 10, 3]);

    let mut deaf = vec![0x08, 0x01];
    deaf.extend(repeat(4, &[6, 0]));
    deaf.extend(repeat(6, &[4, 255]));

    let mut flood = vec![0x01, 0x00];
    flood.extend(repeat(60, &[0, 1, 1]));
    flood.extend(repeat(4, &[4, 255]));
    flood.push(3);

    let mut half_close = vec![0x13, 0x44];
    half_close.extend(repeat(5, &[0, 0, 1]));
    half_close.extend([5, 4, 20, 3, 4, 20, 3]);

    let mut garbage = vec![0x00, 0x11, 6, 1, 3];
    garbage.extend([1, 10, 0, 0, 0, 12, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02]);
    garbage.extend([3, 0, 7, 0, 3, 1, 4, 0x47, 0x45, 0x54, 0x20, 3]);

    let mut duplicates = vec![0x01, 0x22];
    duplicates.extend([0, 1, 1, 0, 1, 16, 0, 3, 1, 3, 0, 6, 1, 3, 4, 40, 3]);

    let mut refuse = vec![0x40, 0x10];
    refuse.extend(repeat(10, &[0, 0, 1]));
    refuse.extend([3, 7, 3, 3]);

    let unanswered_bind = vec![0x04, 0x00, 6, 1, 4, 255, 4, 255, 3];

    // The MC opens with outbind; then traffic both ways.
    let mut outbind = vec![0x20, 0x22];
    outbind.extend(repeat(4, &[6, 1]));
    outbind.push(3);
    outbind.extend(repeat(4, &[0, 7, 1]));
    outbind.extend([0, 0, 1, 7, 1, 3]);

    let mut big_both_ways = vec![0x18, 0x71];
    big_both_ways.extend(repeat(3, &[0, 2, 1]));
    big_both_ways.extend(repeat(3, &[6, 0]));
    big_both_ways.extend([2, 4, 7, 4, 3, 0, 8, 0, 0, 9, 1, 3, 4, 100, 3]);

    vec![
        ("esme_bulk_both_ways", esme_bulk),
        ("esme_peer_stops_reading", deaf),
        ("mc_flood_never_read", flood),
        ("mc_half_close_slow_handler", half_close),
        ("esme_garbage_mid_session", garbage),
        ("mc_duplicates_and_unbind", duplicates),
        ("esme_refuses_beyond_inbound_window", refuse),
        ("esme_bind_never_answered", unanswered_bind),
        ("esme_binds_after_outbind", outbind),
        ("esme_large_pdus_both_ways", big_both_ways),
    ]
}
