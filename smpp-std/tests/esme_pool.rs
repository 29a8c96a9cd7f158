//! The ESME that stays bound (`client::Esme`): several binds behind one
//! handle, reconnection with backoff, requests that survive a dropped
//! connection without ever being sent twice by the library, throttling,
//! connect and bind timeouts, events.

#![cfg(feature = "tokio")]

#[path = "common/server.rs"]
mod server;

use core::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use core::time::Duration;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use smpp_core::CommandStatus;
use smpp_core::session::{BindType, Config};
use smpp_std::client::{Backoff, Esme, EsmeBuilder, EsmeEvent, EsmeIncoming};
use smpp_std::server::{BindRequest, Context, Handler};
use smpp_std::session::{Answer, Error};
use smpp_std::{Body, Pdu, SubmitSmBuilder};
use tokio::sync::broadcast;

use server::{Running, bounded, bounded_on_two_workers, response_timer_only, until};

fn quick() -> Backoff {
    Backoff {
        initial: Duration::from_millis(20),
        max: Duration::from_millis(200),
        factor: 2.0,
    }
}

fn esme_config() -> Config {
    Config::esme(BindType::Transmitter)
        .with_system_id("pool")
        .unwrap()
        .with_password("secret")
        .unwrap()
        .with_window(16)
        .with_timers(response_timer_only(Duration::from_secs(5)))
}

fn submit(text: &str) -> Pdu {
    SubmitSmBuilder::new(0)
        .destination_addr("447700900123")
        .short_message(text)
        .build()
        .unwrap()
}

/// Counts every message by text and by session; may throttle, refuse
/// binds, or answer slowly.
#[derive(Default)]
struct Smsc {
    seen: Mutex<HashMap<String, usize>>,
    per_session: Mutex<HashMap<u64, usize>>,
    /// Throttle the first attempt of each message whose number is a
    /// multiple of 3.
    throttle: AtomicBool,
    refuse_binds: AtomicBool,
    /// How many requests still to throttle, whatever they carry.
    throttle_next: AtomicUsize,
    /// The messages throttled once already.
    throttled_once: Mutex<std::collections::HashSet<String>>,
    binds: AtomicUsize,
    delay: Mutex<Option<Duration>>,
    /// Requests wait while a test holds this.
    gate: tokio::sync::RwLock<()>,
    /// A request with one of these texts waits for a permit of its own.
    holds: Mutex<HashMap<String, Arc<tokio::sync::Semaphore>>>,
}

impl Handler for Smsc {
    async fn bind(&self, _cx: &Context, request: &BindRequest) -> CommandStatus {
        self.binds.fetch_add(1, Ordering::SeqCst);
        if self.refuse_binds.load(Ordering::SeqCst) || request.password() != b"secret" {
            CommandStatus::ESME_RINVPASWD
        } else {
            CommandStatus::ESME_ROK
        }
    }

    async fn request(&self, cx: &Context, pdu: Pdu) -> Answer {
        let Body::SubmitSm(sm) = &pdu.body else {
            return Answer::Status(CommandStatus::ESME_RINVCMDID);
        };
        let text = String::from_utf8_lossy(&sm.short_message).into_owned();
        let hold = self.holds.lock().unwrap().get(&text).cloned();
        if let Some(hold) = hold {
            drop(hold.acquire().await);
        }
        drop(self.gate.read().await);
        let delay = *self.delay.lock().unwrap();
        if let Some(delay) = delay {
            tokio::time::sleep(delay).await;
        }
        let number: usize = text.trim_start_matches('m').parse().unwrap_or(1);
        let throttle_next =
            self.throttle_next
                .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1));
        if throttle_next.is_ok() {
            return Answer::Status(CommandStatus::ESME_RTHROTTLED);
        }
        if self.throttle.load(Ordering::SeqCst)
            && number.is_multiple_of(3)
            && self.throttled_once.lock().unwrap().insert(text.clone())
        {
            // Refused: not taken, so not counted as received.
            return Answer::Status(CommandStatus::ESME_RTHROTTLED);
        }
        *self.seen.lock().unwrap().entry(text.clone()).or_default() += 1;
        let key = session_key(cx);
        *self.per_session.lock().unwrap().entry(key).or_default() += 1;
        Answer::message_id(text)
    }
}

/// A number for the session of `cx`.
fn session_key(cx: &Context) -> u64 {
    cx.session().peer_addr().map_or(0, |a| u64::from(a.port()))
}

async fn start(smsc: Smsc) -> Running<Smsc> {
    let config = Config::mc()
        .with_timers(response_timer_only(Duration::from_secs(5)))
        .with_inbound_window(64);
    Running::start(smsc, config).await
}

/// An [`Esme`] of [`esme_config`] to `addr`, with the settings `configure`
/// gives it, started.
fn pool(
    addr: &impl ToString,
    configure: impl FnOnce(EsmeBuilder) -> EsmeBuilder,
) -> (Esme, EsmeIncoming) {
    configure(Esme::builder(addr.to_string(), esme_config()))
        .start()
        .unwrap()
}

/// Each of `texts` submitted in turn, each answered `ESME_ROK`.
async fn all_accepted(esme: &Esme, texts: impl IntoIterator<Item = String>) {
    for text in texts {
        let resp = esme.submit_sm(submit(&text)).await.unwrap();
        assert!(resp.is_ok(), "{text}: {resp:?}");
    }
}

/// The status of the next `BindFailed` event (`None`: no answer).
async fn bind_failed(events: &mut broadcast::Receiver<EsmeEvent>) -> Option<CommandStatus> {
    next_event(events, |e| match e {
        EsmeEvent::BindFailed { status, .. } => Some(*status),
        _ => None,
    })
    .await
}

/// The next event that `pick` accepts, skipping others.
async fn next_event<T>(
    events: &mut broadcast::Receiver<EsmeEvent>,
    pick: impl Fn(&EsmeEvent) -> Option<T>,
) -> T {
    loop {
        let event = events.recv().await.expect("an event");
        if let Some(found) = pick(&event) {
            return found;
        }
    }
}

#[test]
fn requests_spread_over_every_bind() {
    bounded(async {
        let server = start(Smsc::default()).await;
        let (esme, _incoming) = pool(&server.addr, |b| b.binds(3).reconnect(quick()));
        esme.wait_bound(3).await.unwrap();
        assert_eq!(esme.sessions().len(), 3);
        let mut pending = Vec::new();
        for n in 0..300 {
            pending.push(esme.queue(submit(&format!("m{n}"))).await.unwrap());
        }
        for p in pending {
            assert!(p.await.unwrap().command_status.is_ok());
        }
        let per_session = server.smsc.per_session.lock().unwrap().clone();
        assert_eq!(per_session.len(), 3, "{per_session:?}");
        assert_eq!(per_session.values().sum::<usize>(), 300);
        assert!(per_session.values().all(|&n| n >= 20), "{per_session:?}");
        esme.unbind().await;
        assert!(esme.sessions().is_empty());
        let err = esme.submit_sm(submit("late")).await.unwrap_err();
        assert!(matches!(err, Error::Closed(_)), "{err:?}");
        server.stop().await;
    });
}

#[test]
fn a_request_waits_for_a_free_slot_of_any_session_not_behind_a_busy_one() {
    bounded(async {
        let server = start(Smsc::default()).await;
        let held = |text: &str| {
            let hold = Arc::new(tokio::sync::Semaphore::new(0));
            let holds = &server.smsc.holds;
            holds
                .lock()
                .unwrap()
                .insert(text.to_owned(), Arc::clone(&hold));
            hold
        };
        let (first, second) = (held("held-1"), held("held-2"));
        let config = esme_config().with_window(1);
        let (esme, _incoming) = Esme::builder(server.addr.to_string(), config)
            .binds(2)
            .start()
            .unwrap();
        esme.wait_bound(2).await.unwrap();
        // A held request fills each session's window of one.
        let held_1 = esme.queue(submit("held-1")).await.unwrap();
        let held_2 = esme.queue(submit("held-2")).await.unwrap();
        let third = tokio::spawn({
            let esme = esme.clone();
            async move { esme.submit_sm(submit("m3")).await }
        });
        // The session of held-2 answers first: the third request goes
        // there, whichever session it is, while held-1 is still held.
        second.add_permits(1);
        assert!(held_2.await.unwrap().command_status.is_ok());
        let third = tokio::time::timeout(Duration::from_secs(5), third)
            .await
            .expect("sent on the session that had room");
        assert!(third.unwrap().unwrap().is_ok());
        first.add_permits(1);
        assert!(held_1.await.unwrap().command_status.is_ok());
        esme.unbind().await;
        server.stop().await;
    });
}

#[test]
fn a_dropped_connection_is_bound_again_and_requests_wait_for_it() {
    bounded(async {
        let server = start(Smsc::default()).await;
        let (esme, _incoming) = pool(&server.addr, |b| b.reconnect(quick()));
        let mut events = esme.events();
        esme.wait_bound(1).await.unwrap();
        assert!(esme.submit_sm(submit("m1")).await.unwrap().is_ok());
        // The MC drops the session.
        for session in server.handle.sessions() {
            session.close();
        }
        next_event(&mut events, |e| {
            matches!(e, EsmeEvent::Disconnected { slot: 0, .. }).then_some(())
        })
        .await;
        // A request made meanwhile waits for the new session.
        let resp = esme.submit_sm(submit("m2")).await.unwrap();
        assert!(resp.is_ok());
        next_event(&mut events, |e| match e {
            EsmeEvent::Bound { slot: 0, info } => Some(info.system_id.clone()),
            _ => None,
        })
        .await;
        assert_eq!(server.smsc.binds.load(Ordering::SeqCst), 2);
        esme.unbind().await;
        server.stop().await;
    });
}

#[test]
fn under_load_every_message_is_acknowledged_once_or_reported_unknown() {
    bounded(async {
        let server = start(Smsc::default()).await;
        *server.smsc.delay.lock().unwrap() = Some(Duration::from_millis(1));
        let (esme, _incoming) = pool(&server.addr, |b| b.binds(2).reconnect(quick()));
        esme.wait_bound(2).await.unwrap();
        // The MC drops a session now and then while 2,000 messages go.
        let dropper = {
            let handle = server.handle.clone();
            tokio::spawn(async move {
                for _ in 0..6 {
                    tokio::time::sleep(Duration::from_millis(60)).await;
                    if let Some(session) = handle.sessions().first() {
                        session.close();
                    }
                }
            })
        };
        let sends: Vec<_> = (0..2000)
            .map(|n| {
                let esme = esme.clone();
                tokio::spawn(async move { (n, esme.submit_sm(submit(&format!("m{n}"))).await) })
            })
            .collect();
        let mut acknowledged = Vec::new();
        let mut unknown = Vec::new();
        for send in sends {
            match send.await.unwrap() {
                (n, Ok(resp)) => {
                    assert!(resp.is_ok(), "{resp:?}");
                    acknowledged.push(n);
                }
                (n, Err(e)) if e.may_have_been_received() => unknown.push(n),
                (n, Err(e)) => panic!("m{n}: {e:?}"),
            }
        }
        dropper.await.unwrap();
        assert_eq!(acknowledged.len() + unknown.len(), 2000, "none lost");
        let seen = server.smsc.seen.lock().unwrap().clone();
        // Never sent twice by the library: each text reached the MC at most
        // once; each acknowledged one exactly once.
        assert!(seen.values().all(|&n| n <= 1), "a duplicate");
        for n in &acknowledged {
            assert_eq!(seen.get(&format!("m{n}")), Some(&1), "m{n}");
        }
        assert!(server.handle.stats().closed >= 3, "the MC dropped sessions");
        esme.unbind().await;
        server.stop().await;
    });
}

#[test]
fn throttled_requests_back_off_and_go_again_when_asked() {
    bounded(async {
        let server = start(Smsc {
            throttle: true.into(),
            ..Smsc::default()
        })
        .await;
        let backoff = Backoff {
            initial: Duration::from_millis(10),
            max: Duration::from_millis(50),
            factor: 2.0,
        };
        let (esme, _incoming) = pool(&server.addr, |b| b.throttle_backoff(backoff, 3));
        all_accepted(&esme, (0..30).map(|n| format!("m{n}"))).await;
        let seen = server.smsc.seen.lock().unwrap().clone();
        assert!((0..30).all(|n| seen.get(&format!("m{n}")) == Some(&1)));
        esme.unbind().await;

        // Without the backoff the throttled answer is the answer.
        let (plain, _incoming) = pool(&server.addr, |b| b);
        let resp = plain.submit_sm(submit("m300")).await.unwrap();
        assert_eq!(resp.command_status, CommandStatus::ESME_RTHROTTLED);
        plain.unbind().await;
        server.stop().await;
    });
}

#[test]
fn a_throttled_window_backs_off_once_not_once_per_request() {
    bounded(async {
        // Every request of the first full window is throttled.
        let server = start(Smsc {
            throttle_next: 16.into(),
            ..Smsc::default()
        })
        .await;
        // 100 ms, doubling, up to 5 s.
        let (esme, _incoming) = pool(&server.addr, |b| b.throttle_backoff(Backoff::THROTTLED, 3));
        esme.wait_bound(1).await.unwrap();
        // The whole window goes out before the first answer comes.
        let held = server.smsc.gate.write().await;
        let mut answers = Vec::new();
        for n in 0..16 {
            answers.push(esme.queue(submit(&format!("m{n}"))).await.unwrap());
        }
        let started = tokio::time::Instant::now();
        drop(held);
        // Awaited together, as an application that keeps its window busy
        // does.
        let answers: Vec<_> = answers.into_iter().map(tokio::spawn).collect();
        for answer in answers {
            assert!(answer.await.unwrap().unwrap().command_status.is_ok());
        }
        // One strike for the window: a pause of 50 to 100 ms. Counted once
        // per throttled answer, the 16 strikes paused the session for the
        // 5 s maximum (at least 2.5 s with jitter).
        let took = started.elapsed();
        assert!(took < Duration::from_secs(1), "{took:?}");
        assert_eq!(server.smsc.seen.lock().unwrap().len(), 16);
        esme.unbind().await;
        server.stop().await;
    });
}

#[test]
fn a_refused_bind_is_reported_and_tried_again() {
    bounded(async {
        let server = start(Smsc {
            refuse_binds: true.into(),
            ..Smsc::default()
        })
        .await;
        let (esme, _incoming) = pool(&server.addr, |b| b.reconnect(quick()));
        let mut events = esme.events();
        for _ in 0..2 {
            let status = bind_failed(&mut events).await;
            assert_eq!(status, Some(CommandStatus::ESME_RINVPASWD));
        }
        server.smsc.refuse_binds.store(false, Ordering::SeqCst);
        esme.wait_bound(1).await.unwrap();
        assert!(server.smsc.binds.load(Ordering::SeqCst) >= 3);
        drop(esme);
        // Dropping the last handle unbinds.
        until(|| server.handle.stats().bound == 0).await;
        server.stop().await;
    });
}

#[test]
fn an_unanswered_bind_times_out_and_is_reported() {
    bounded(async {
        // Accepts connections and reads, never answers.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap().to_string();
        let silent = tokio::spawn(async move {
            let mut held = Vec::new();
            loop {
                let (stream, _) = listener.accept().await.unwrap();
                held.push(stream);
            }
        });
        let (esme, _incoming) = pool(&addr, |b| {
            b.bind_timeout(Duration::from_millis(200))
                .reconnect(quick())
        });
        let mut events = esme.events();
        let started = tokio::time::Instant::now();
        assert_eq!(bind_failed(&mut events).await, None);
        assert!(started.elapsed() < Duration::from_secs(3));
        // Nothing listens here at all.
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let nowhere = closed.local_addr().unwrap().to_string();
        drop(closed);
        let (refused, _incoming) = pool(&nowhere, |b| {
            b.connect_timeout(Duration::from_millis(200))
                .reconnect(quick())
        });
        let mut events = refused.events();
        next_event(&mut events, |e| {
            matches!(e, EsmeEvent::ConnectFailed { .. }).then_some(())
        })
        .await;
        silent.abort();
    });
}

#[test]
fn the_first_events_are_kept_and_traffic_outlives_sessions() {
    bounded_on_two_workers(async {
        let server = start(Smsc::default()).await;
        let (esme, _incoming) = pool(&server.addr, |b| b.binds(2).reconnect(quick()));
        // Subscribed late, on a runtime that ran the sessions at once:
        // the first receiver still has every event from the start.
        esme.wait_bound(2).await.unwrap();
        let mut events = esme.events();
        let mut seen = Vec::new();
        while seen.len() < 4 {
            seen.push(events.recv().await.unwrap());
        }
        let connecting = seen
            .iter()
            .filter(|e| matches!(e, EsmeEvent::Connecting { .. }))
            .count();
        let bound = seen
            .iter()
            .filter(|e| matches!(e, EsmeEvent::Bound { .. }))
            .count();
        assert_eq!((connecting, bound), (2, 2), "{seen:?}");
        all_accepted(&esme, (0..10).map(|n| format!("t{n}"))).await;
        for session in server.handle.sessions() {
            session.close();
        }
        // Both dropped and bound again.
        let (mut dropped, mut rebound) = (0, 0);
        while dropped < 2 || rebound < 2 {
            match events.recv().await.unwrap() {
                EsmeEvent::Disconnected { .. } => dropped += 1,
                EsmeEvent::Bound { .. } if dropped > 0 => rebound += 1,
                _ => {}
            }
        }
        all_accepted(&esme, (10..20).map(|n| format!("t{n}"))).await;
        esme.unbind().await;
        let traffic = esme.traffic();
        assert_eq!(traffic.sent_of(smpp_core::CommandId::SUBMIT_SM), 20);
        assert_eq!(
            traffic.received_of(smpp_core::CommandId::SUBMIT_SM_RESP),
            20
        );
        assert_eq!(traffic.sent_of(smpp_core::CommandId::BIND_TRANSMITTER), 4);
        assert_eq!(traffic.latency.count, 20);
        server.stop().await;
    });
}
