//! Sessions: `submit_sm` and `submit_sm_resp` through the window, (a)
//! between two sans-I/O engines in memory (no I/O, no clock: the protocol
//! work alone), (b) between the tokio ESME client and SMSC server over
//! loopback TCP (the whole stack: framing, engine, tasks, sockets).
//!
//! Run: `cargo bench -p smpp-benches --bench session -- --warm-up-time 1 --measurement-time 2`.

#![allow(missing_docs, clippy::missing_panics_doc)]

use core::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use smpp_core::session::{BindType, Config, Event, Fixed, Millis, Session, Timers};
use smpp_core::{Body, COctet, CommandStatus, Pdu, SubmitSm, SubmitSmResp, Tlvs, frame_len};
use smpp_std::server::{BindRequest, Context, Handler, Server};
use smpp_std::session::Answer;

/// `submit_sm` per iteration.
const MESSAGES: usize = 10_000;
/// The window of both benchmarks.
const WINDOW: usize = 64;

type Engine = Session<Fixed<WINDOW, 65_536>>;

fn timers() -> Timers {
    Timers {
        session_init_timer: None,
        enquire_link_timer: None,
        ..Timers::DEFAULT
    }
}

fn submit_body() -> Body<&'static [u8]> {
    Body::SubmitSm(SubmitSm {
        source_addr: COctet::from("INFO"),
        destination_addr: COctet::from("447700900123"),
        short_message: smpp_benches::GSM_TEXT_160.as_bytes(),
        ..SubmitSm::default()
    })
}

/// Moves everything `from` queued into `to`, frame by frame; `each` sees
/// the PDU `to` hands to the application.
fn pump(
    from: &mut Engine,
    to: &mut Engine,
    buf: &mut [u8],
    mut each: impl FnMut(&mut Engine, Pdu<&[u8]>),
) {
    while let Some(n) = from.poll_transmit(buf, Millis(0)) {
        let mut rest = buf.get(..n).unwrap_or_default();
        while let Ok(Some(len)) = frame_len(rest, u32::MAX) {
            let (frame, tail) = rest.split_at(len);
            if let Some(pdu) = to
                .handle_frame(frame, Millis(0))
                .expect("room for the frame")
            {
                each(to, pdu);
            }
            rest = tail;
        }
    }
}

/// A bound ESME engine and its MC.
fn bound_engines() -> (Engine, Engine) {
    let esme = Config::esme(BindType::Transmitter)
        .with_window(WINDOW)
        .with_timers(timers());
    let mc = Config::mc().with_window(WINDOW).with_timers(timers());
    let mut esme = Engine::new(esme, Millis(0));
    let mut mc = Engine::new(mc, Millis(0));
    let mut buf = vec![0u8; 65_536];
    esme.bind(Millis(0)).unwrap();
    pump(&mut esme, &mut mc, &mut buf, |_, _| {});
    while mc.poll_event().is_some() {}
    mc.accept_bind(CommandStatus::ESME_ROK, Millis(0)).unwrap();
    pump(&mut mc, &mut esme, &mut buf, |_, _| {});
    while esme.poll_event().is_some() {}
    (esme, mc)
}

fn engines(c: &mut Criterion) {
    let mut g = c.benchmark_group("session/engines-in-memory");
    g.throughput(Throughput::Elements(MESSAGES as u64));
    g.bench_function("submit_sm+resp", |b| {
        let (mut esme, mut mc) = bound_engines();
        let mut buf = vec![0u8; 65_536];
        let resp = Body::SubmitSmResp(Some(SubmitSmResp {
            message_id: COctet::from("5a3c9e01"),
            tlvs: Tlvs::EMPTY,
        }));
        b.iter(|| {
            let mut sent = 0;
            let mut answered = 0;
            while answered < MESSAGES {
                // Fill the window, then let the MC answer the batch.
                while sent < MESSAGES && esme.send_request(submit_body(), 0, Millis(0)).is_ok() {
                    sent += 1;
                }
                pump(&mut esme, &mut mc, &mut buf, |mc, pdu| {
                    let seq = pdu.sequence_number;
                    while mc.poll_event().is_some() {}
                    mc.respond(seq, CommandStatus::ESME_ROK, resp, Millis(0))
                        .unwrap();
                });
                pump(&mut mc, &mut esme, &mut buf, |esme, pdu| {
                    black_box(&pdu);
                    while let Some(event) = esme.poll_event() {
                        if matches!(event, Event::Response { .. }) {
                            answered += 1;
                        }
                    }
                });
            }
        });
    });
    g.finish();
}

/// Accepts every bind and answers every message at once.
struct Smsc;

impl Handler for Smsc {
    async fn bind(&self, _cx: &Context, _bind: &BindRequest) -> CommandStatus {
        CommandStatus::ESME_ROK
    }

    async fn request(&self, _cx: &Context, _pdu: smpp_std::Pdu) -> Answer {
        Answer::MessageId(bytes::Bytes::from_static(b"5a3c9e01"))
    }
}

fn client_server(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (esme, stop, serving) = runtime.block_on(async {
        let mc = Config::mc().with_window(WINDOW).with_timers(timers());
        let server = Server::bind("127.0.0.1:0", mc, Arc::new(Smsc))
            .await
            .unwrap();
        let addr = server.local_addr().unwrap();
        let stop = server.handle();
        let serving = tokio::spawn(server.run());
        let config = Config::esme(BindType::Transmitter)
            .with_window(WINDOW)
            .with_timers(timers());
        let (esme, _incoming) = smpp_std::client::connect(addr, config).await.unwrap();
        (esme, stop, serving)
    });
    let submit = submit_body().map(bytes::Bytes::from_static);
    let mut g = c.benchmark_group("session/tokio-loopback-tcp");
    g.throughput(Throughput::Elements(MESSAGES as u64));
    g.sample_size(10);
    g.bench_function("submit_sm+resp", |b| {
        b.iter(|| {
            runtime.block_on(async {
                // One task fills the window; another awaits the responses.
                let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
                let collect = tokio::spawn(async move {
                    let mut ok = 0;
                    while let Some(pending) = rx.recv().await {
                        let pending: smpp_std::session::Pending = pending;
                        if pending.await.is_ok_and(|p| p.command_status.is_ok()) {
                            ok += 1;
                        }
                    }
                    ok
                });
                for _ in 0..MESSAGES {
                    tx.send(esme.queue(submit.clone()).await.unwrap()).unwrap();
                }
                drop(tx);
                assert_eq!(collect.await.unwrap(), MESSAGES);
            });
        });
    });
    g.finish();
    runtime.block_on(async {
        esme.unbind().await.unwrap();
        stop.shutdown();
        serving.await.unwrap();
    });
}

criterion_group!(benches, engines, client_server);
criterion_main!(benches);
