//! What sessions report: counters and latencies per session and per
//! server, the peer's protocol errors and the `metrics` facade (feature
//! `metrics`); `tracing` spans and events are in `tracing_spans.rs`.

#![cfg(feature = "tokio")]

#[path = "common/server.rs"]
mod server;

use core::time::Duration;

use futures_util::StreamExt;
use smpp_core::session::{BindType, Config, ProtocolError};
use smpp_core::{CommandId, CommandStatus};
use smpp_std::server::ServerHandle;
use smpp_std::session::{Handle, Incoming};
use smpp_std::{Pdu, SubmitSmBuilder, client};
use tokio::io::AsyncWriteExt;

use server::{Running, Taker, bounded, quiet, until, watched};

/// The test SMSC, throttling every tenth request, and the ESME `watched`
/// bound to it.
async fn pair() -> (ServerHandle, tokio::task::JoinHandle<()>, Handle, Incoming) {
    let smsc = Taker {
        throttle_every: Some(10),
    };
    let (Running { handle, task, .. }, esme, incoming) = watched(smsc).await;
    (handle, task, esme, incoming)
}

fn submit() -> Pdu {
    SubmitSmBuilder::new(0)
        .destination_addr("447700900123")
        .short_message("counted")
        .build()
        .unwrap()
}

#[test]
fn sessions_and_servers_count_pdus_latencies_and_throttles() {
    bounded(async {
        let (server, task, esme, _incoming) = pair().await;
        let mut throttled = 0;
        for _ in 0..100 {
            let resp = esme.submit_sm(submit()).await.unwrap();
            if resp.command_status == CommandStatus::ESME_RTHROTTLED {
                throttled += 1;
            }
        }
        let stats = esme.stats();
        let t = &stats.traffic;
        assert_eq!(t.sent_of(CommandId::SUBMIT_SM), 100);
        assert_eq!(t.sent_of(CommandId::BIND_TRANSMITTER), 1);
        assert_eq!(t.received_of(CommandId::SUBMIT_SM_RESP), 100);
        let throttled_resp = t
            .received
            .iter()
            .find(|c| {
                c.command_id == CommandId::SUBMIT_SM_RESP
                    && c.command_status == CommandStatus::ESME_RTHROTTLED
            })
            .map_or(0, |c| c.count);
        assert_eq!(throttled_resp, throttled);
        assert_eq!(t.throttled, throttled);
        assert_eq!(t.latency.count, 100);
        assert!(t.latency.p50 <= t.latency.p99 && t.latency.p99 <= t.latency.max);
        assert!(t.latency.max > Duration::ZERO);
        assert_eq!((stats.outstanding, stats.window), (0, 8));
        assert_eq!(stats.last_protocol_error, None);

        // The server counts the other way round, over all its sessions.
        until(|| server.traffic().sent_of(CommandId::SUBMIT_SM_RESP) == 100).await;
        let t = server.traffic();
        assert_eq!(t.received_of(CommandId::SUBMIT_SM), 100);
        assert_eq!(t.received_of(CommandId::BIND_TRANSMITTER), 1);
        assert_eq!(t.sent_of(CommandId::BIND_TRANSMITTER_RESP), 1);
        esme.unbind().await.unwrap();
        // Closed sessions stay counted.
        until(|| server.traffic().received_of(CommandId::UNBIND) == 1).await;
        assert_eq!(server.traffic().received_of(CommandId::SUBMIT_SM), 100);
        server.shutdown();
        task.await.unwrap();
    });
}

#[test]
fn the_client_reports_the_peers_protocol_errors() {
    bounded(async {
        // A raw MC: answers the bind, then sends a response to nothing and
        // a malformed PDU.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let mc = tokio::spawn(async move {
            let (mut stream, _) = listener.accept().await.unwrap();
            let mut framed =
                tokio_util::codec::Framed::new(&mut stream, smpp_std::SmppCodec::new());
            let bind = framed.next().await.unwrap().unwrap();
            let resp = smpp_std::BindRespBuilder::transceiver_resp(bind.header.sequence_number)
                .system_id("raw")
                .build()
                .unwrap();
            let mut wire = bytes::BytesMut::new();
            tokio_util::codec::Encoder::encode(&mut smpp_std::SmppCodec::new(), &resp, &mut wire)
                .unwrap();
            let stream = framed.get_mut();
            stream.write_all(&wire).await.unwrap();
            // submit_sm_resp for sequence 999, which nothing asked for.
            stream
                .write_all(&[0, 0, 0, 17, 0x80, 0, 0, 4, 0, 0, 0, 0, 0, 0, 3, 0xE7, 0])
                .await
                .unwrap();
            tokio::time::sleep(Duration::from_secs(5)).await;
        });
        let config = Config::esme(BindType::Transceiver).with_timers(quiet());
        let (esme, _incoming) = client::connect(addr, config).await.unwrap();
        until(|| esme.stats().traffic.protocol_errors == 1).await;
        assert_eq!(
            esme.stats().last_protocol_error,
            Some(ProtocolError::UnexpectedResponse {
                command_id: CommandId::SUBMIT_SM_RESP,
                sequence_number: 999,
                command_status: CommandStatus::ESME_ROK
            })
        );
        let shown = esme.stats().last_protocol_error.unwrap().to_string();
        assert!(shown.contains("answers no outstanding request"), "{shown}");
        esme.close();
        mc.abort();
    });
}

#[cfg(feature = "metrics")]
#[test]
fn the_metrics_facade_gets_counters_and_latencies() {
    use metrics_util::debugging::{DebugValue, DebuggingRecorder};

    let recorder = DebuggingRecorder::new();
    let snapshotter = recorder.snapshotter();
    metrics::with_local_recorder(&recorder, || {
        bounded(async {
            let (server, task, esme, _incoming) = pair().await;
            for _ in 0..20 {
                esme.submit_sm(submit()).await.unwrap();
            }
            esme.unbind().await.unwrap();
            server.shutdown();
            task.await.unwrap();
        });
    });
    let snapshot = snapshotter.snapshot().into_vec();
    let counter = |name: &str, labels: &[(&str, &str)]| -> u64 {
        snapshot
            .iter()
            .filter(|(key, ..)| {
                key.key().name() == name
                    && labels
                        .iter()
                        .all(|(k, v)| key.key().labels().any(|l| l.key() == *k && l.value() == *v))
            })
            .map(|(.., value)| match value {
                DebugValue::Counter(n) => *n,
                _ => 0,
            })
            .sum()
    };
    let out = [
        ("role", "esme"),
        ("direction", "out"),
        ("command", "submit_sm"),
    ];
    assert_eq!(counter("smpp_pdus_total", &out), 20);
    let resp = [
        ("role", "mc"),
        ("direction", "out"),
        ("command", "submit_sm_resp"),
    ];
    assert_eq!(counter("smpp_pdus_total", &resp), 20);
    assert_eq!(counter("smpp_binds_total", &[("role", "esme")]), 1);
    let latencies: usize = snapshot
        .iter()
        .filter(|(key, ..)| key.key().name() == "smpp_response_seconds")
        .map(|(.., value)| match value {
            DebugValue::Histogram(samples) => samples.len(),
            _ => 0,
        })
        .sum();
    assert_eq!(latencies, 20);
}
