//! An MC that outbinds ESMEs, with what an operator may get wrong.
#![cfg(feature = "tokio")]

#[path = "common/server.rs"]
mod server;

use server::{Running, Taker, bounded, quiet};
use smpp_core::session::Config;
use smpp_std::session::Error;

/// An outbind password too long for the PDU fails before anything is
/// done: the ESME sees no connection come and go.
#[test]
fn an_outbind_password_too_long_fails_before_connecting() {
    bounded(async {
        let taker = Taker {
            throttle_every: None,
        };
        let server = Running::start(taker, Config::mc().with_timers(quiet())).await;
        let esme = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        esme.set_nonblocking(true).unwrap();
        let addr = esme.local_addr().unwrap();

        let outbind = server.handle.outbind(addr, "nine-char").await;
        assert!(matches!(outbind, Err(Error::Encode(_))), "{outbind:?}");
        let accepted = esme.accept();
        assert!(
            accepted
                .as_ref()
                .is_err_and(|e| e.kind() == std::io::ErrorKind::WouldBlock),
            "{accepted:?}"
        );
        assert_eq!(server.handle.stats().connections, 0);
        server.stop().await;
    });
}
