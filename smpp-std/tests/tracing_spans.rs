//! `tracing` spans and events of a session (feature `tracing`).
//!
//! The one test of this binary installs its subscriber as the process's
//! global default before any session runs: tracing caches each callsite's
//! interest when the callsite is first hit, so a scoped subscriber that
//! shares its process with other sessions can miss events.

#![cfg(feature = "tracing")]

#[path = "common/server.rs"]
mod server;

use core::time::Duration;
use std::sync::Arc;

use smpp_std::SubmitSmBuilder;

use server::{Running, Taker, watched};

mod tracing_events {
    use std::sync::Mutex;

    use tracing::field::{Field, Visit};
    use tracing::span::{Attributes, Id, Record};
    use tracing::{Event, Level, Metadata, Subscriber};

    /// Remembers every span's fields and every event, flattened to text.
    #[derive(Default)]
    pub(super) struct Collect {
        pub(super) lines: Mutex<Vec<String>>,
        next: Mutex<u64>,
    }

    struct Text(String);

    impl Visit for Text {
        fn record_debug(&mut self, field: &Field, value: &dyn core::fmt::Debug) {
            use core::fmt::Write;
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    impl Subscriber for Collect {
        fn enabled(&self, _: &Metadata<'_>) -> bool {
            true
        }

        fn new_span(&self, span: &Attributes<'_>) -> Id {
            let mut text = Text(format!("span {}", span.metadata().name()));
            span.record(&mut text);
            self.lines.lock().unwrap().push(text.0);
            let mut next = self.next.lock().unwrap();
            *next += 1;
            Id::from_u64(*next)
        }

        fn record(&self, _: &Id, values: &Record<'_>) {
            let mut text = Text("record".to_owned());
            values.record(&mut text);
            self.lines.lock().unwrap().push(text.0);
        }

        fn record_follows_from(&self, _: &Id, _: &Id) {}

        fn event(&self, event: &Event<'_>) {
            let level = *event.metadata().level();
            let mut text = Text(level_name(level).to_owned());
            event.record(&mut text);
            self.lines.lock().unwrap().push(text.0);
        }

        fn enter(&self, _: &Id) {}

        fn exit(&self, _: &Id) {}
    }

    fn level_name(level: Level) -> &'static str {
        match level {
            Level::TRACE => "trace",
            Level::DEBUG => "debug",
            Level::INFO => "info",
            Level::WARN => "warn",
            Level::ERROR => "error",
        }
    }
}

#[test]
fn a_session_traces_its_pdus_and_states_in_a_span() {
    let collect = Arc::new(tracing_events::Collect::default());
    tracing::dispatcher::set_global_default(tracing::Dispatch::from(Arc::clone(&collect)))
        .expect("the only subscriber of this process");
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        tokio::time::timeout(Duration::from_secs(20), async {
            let smsc = Taker {
                throttle_every: None,
            };
            let (Running { handle, task, .. }, esme, _incoming) = watched(smsc).await;
            let submit = SubmitSmBuilder::new(0)
                .destination_addr("447700900123")
                .short_message("traced")
                .build()
                .unwrap();
            esme.submit_sm(submit).await.unwrap();
            esme.unbind().await.unwrap();
            handle.shutdown();
            task.await.unwrap();
        })
        .await
        .expect("the test hung");
    });
    let lines = collect.lines.lock().unwrap().clone();
    let has = |needle: &[&str]| lines.iter().any(|l| needle.iter().all(|n| l.contains(n)));
    for needle in [
        &["span smpp_session", "role=Esme"][..],
        &["span smpp_session", "role=Mc", "peer="],
        &["record", "system_id=watched"],
        &["record", "bind_type=Transmitter"],
        &["trace", "received", "command=submit_sm"],
        &["trace", "queued", "command=submit_sm_resp"],
        &["debug", "bound"],
        &["debug", "closed", "reason=unbound"],
    ] {
        assert!(has(needle), "{needle:?} in {lines:#?}");
    }
}
