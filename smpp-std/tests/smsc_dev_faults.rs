//! An SMSC whose application fails: a handler that panics (at once or
//! after waiting) must cost the server neither a bind of the account nor
//! an answer to the ESME.
#![cfg(feature = "tokio")]

#[path = "smsc_dev_common/mod.rs"]
mod dev;
#[path = "common/server.rs"]
mod server;

use core::time::Duration;

use server::{Running, bounded, bounded_on_two_workers, quiet};
use smpp_core::session::{BindType, CloseReason, Config};
use smpp_core::{Body, CommandStatus};
use smpp_std::server::{AccountLimits, BindRequest, Context, Handler, Server};
use smpp_std::session::{Answer, Error};
use smpp_std::{Pdu, client};

/// An SMSC with bugs: a `submit_sm` whose text is "panic" panics at once,
/// "later" panics after waiting; a bind with the password "panic" panics
/// (at once, "later" after waiting); `bound` panics for a session of the
/// `system_type` "panic".
struct Buggy;

impl Handler for Buggy {
    async fn bind(&self, _cx: &Context, request: &BindRequest) -> CommandStatus {
        match request.password() {
            b"panic" => panic!("a bug in the bind"),
            b"later" => {
                tokio::task::yield_now().await;
                panic!("a bug in the bind, later");
            }
            _ => CommandStatus::ESME_ROK,
        }
    }

    async fn request(&self, _cx: &Context, pdu: Pdu) -> Answer {
        let Body::SubmitSm(sm) = &pdu.body else {
            return Answer::Ok;
        };
        match &sm.short_message[..] {
            b"panic" => panic!("a bug in the handler"),
            b"later" => {
                tokio::task::yield_now().await;
                panic!("a bug in the handler, later");
            }
            _ => Answer::message_id("ok"),
        }
    }

    fn bound(&self, cx: &Context) {
        let system_type = cx.session().bind_info().map(|b| b.system_type.as_bytes());
        assert!(system_type != Some(b"panic"), "a bug in bound");
    }
}

/// The SMSC with one bind per account.
async fn start() -> Running<Buggy> {
    let config = Config::mc().with_timers(quiet());
    let one = AccountLimits::UNLIMITED.with_max_binds(1);
    Running::start_with(Buggy, config, |s: Server<Buggy>| s.with_account_limits(one)).await
}

/// A transmitter of `shop` with `password`, whose requests time out after
/// 2 s (long past any answer of a server that answers).
fn shop(password: &str) -> Config {
    Config::esme(BindType::Transmitter)
        .with_system_id("shop")
        .and_then(|c| c.with_password(password))
        .unwrap()
        .with_timers(server::response_timer_only(Duration::from_secs(2)))
}

/// The handler's panics are not printed; the tests' own failures are.
fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info.payload().downcast_ref::<&str>().copied();
            if !message.is_some_and(|m| m.starts_with("a bug in")) {
                default(info);
            }
        }));
    });
}

/// A submit whose handler panics (`text`) is answered `ESME_RSYSERR`; the
/// session goes on, and once it unbinds its account may bind again.
fn a_panicking_request_is_answered_and_the_session_goes_on(text: &'static str) {
    quiet_panics();
    bounded_on_two_workers(async {
        let server = start().await;
        let (esme, _incoming) = client::connect(server.addr, shop("secret")).await.unwrap();
        let resp = esme.submit_sm(dev::submit(0, text)).await.unwrap();
        assert_eq!(resp.command_status, CommandStatus::ESME_RSYSERR);
        let resp = esme.submit_sm(dev::submit(0, "fine")).await.unwrap();
        assert!(resp.is_ok());
        esme.unbind().await.unwrap();
        assert_eq!(esme.closed().await, CloseReason::Unbound);

        server::until(|| server.handle.stats().bound == 0).await;
        let (again, _incoming) = client::connect(server.addr, shop("secret")).await.unwrap();
        again.unbind().await.unwrap();
        server.stop().await;
    });
}

#[test]
fn a_request_that_panics_at_once_is_answered_system_error() {
    a_panicking_request_is_answered_and_the_session_goes_on("panic");
}

#[test]
fn a_request_that_panics_after_waiting_is_answered_system_error() {
    a_panicking_request_is_answered_and_the_session_goes_on("later");
}

/// A bind whose handler panics is refused (`ESME_RBINDFAIL`), the
/// connection stays unbound, and the ESME may bind again on it or another.
fn a_panicking_bind_is_refused(password: &'static str) {
    quiet_panics();
    bounded(async {
        let server = start().await;
        let refused = client::connect(server.addr, shop(password)).await;
        assert!(
            matches!(
                refused,
                Err(Error::BindRefused(CommandStatus::ESME_RBINDFAIL))
            ),
            "{refused:?}"
        );
        let (esme, _incoming) = client::connect(server.addr, shop("secret")).await.unwrap();
        esme.unbind().await.unwrap();
        server::until(|| server.handle.stats().closed == 2).await;
        let stats = server.handle.stats();
        assert_eq!((stats.connections, stats.bound, stats.unbound), (2, 0, 0));
        server.stop().await;
    });
}

#[test]
fn a_bind_that_panics_at_once_is_refused() {
    a_panicking_bind_is_refused("panic");
}

#[test]
fn a_bind_that_panics_after_waiting_is_refused() {
    a_panicking_bind_is_refused("later");
}

/// A panic in `bound` ends the session, as a panic ends a task; the
/// server's books keep no trace of it, so the account may bind again.
#[test]
fn a_session_whose_bound_panics_is_taken_off_the_books() {
    quiet_panics();
    bounded(async {
        let server = start().await;
        let fragile = shop("secret").with_system_type("panic").unwrap();
        // Its bind_resp may or may not have left before the end.
        if let Ok((esme, _incoming)) = client::connect(server.addr, fragile).await {
            esme.closed().await;
        }
        server::until(|| server.handle.stats().closed == 1).await;
        let stats = server.handle.stats();
        assert_eq!((stats.connections, stats.bound, stats.unbound), (1, 0, 0));
        assert!(server.handle.sessions().is_empty());
        let (esme, _incoming) = client::connect(server.addr, shop("secret")).await.unwrap();
        esme.unbind().await.unwrap();
        server.stop().await;
    });
}

/// A session of `ServerHandle::serve` whose future the application drops
/// (a task aborted, a `select!` that took another branch) leaves the
/// server's books too: its account may bind again.
#[test]
fn a_served_session_dropped_by_the_application_is_taken_off_the_books() {
    bounded(async {
        let server = start().await;
        let (esme_side, mc_side) = tokio::io::duplex(16 * 1024);
        let serving = tokio::spawn({
            let smsc = server.handle.clone();
            async move { smsc.serve(mc_side, None).await }
        });
        let (esme, _incoming) = client::bind(esme_side, shop("secret")).await.unwrap();
        assert_eq!(server.handle.stats().bound, 1);
        serving.abort();
        assert!(serving.await.unwrap_err().is_cancelled());
        esme.closed().await;
        let stats = server.handle.stats();
        assert_eq!((stats.bound, stats.unbound, stats.closed), (0, 0, 1));
        let (again, _incoming) = client::connect(server.addr, shop("secret")).await.unwrap();
        again.unbind().await.unwrap();
        server.stop().await;
    });
}
