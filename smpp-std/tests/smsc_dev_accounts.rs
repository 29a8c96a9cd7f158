//! An SMSC's accounts against ESMEs that push them: binds of one
//! `system_id` at its limit while an old session lingers, message quotas
//! at their edges.
#![cfg(feature = "tokio")]

#[path = "smsc_dev_common/mod.rs"]
mod dev;
#[path = "common/server.rs"]
mod server;

use core::net::SocketAddr;

use futures_util::{SinkExt, StreamExt};
use server::{Running, Taker, bounded, bounded_on_two_workers, connect, quiet};
use smpp_core::session::{BindType, Config};
use smpp_core::{CommandId, CommandStatus};
use smpp_std::server::{AccountLimits, Server};
use smpp_std::{BindBuilder, HeaderOnlyBuilder, Pdu, PduCodec};
use tokio::net::TcpStream;
use tokio_util::codec::Framed;

/// The SMSC with every account held to `limits`.
async fn start(limits: AccountLimits) -> Running<Taker> {
    let config = Config::mc().with_timers(quiet());
    let taker = Taker {
        throttle_every: None,
    };
    Running::start_with(taker, config, |s: Server<Taker>| {
        s.with_account_limits(limits)
    })
    .await
}

fn shop(bind_type: BindType) -> Config {
    Config::esme(bind_type)
        .with_system_id("shop")
        .unwrap()
        .with_timers(quiet())
}

/// A raw connection to `addr`.
async fn raw(addr: SocketAddr) -> Framed<TcpStream, PduCodec> {
    Framed::new(TcpStream::connect(addr).await.unwrap(), PduCodec::new())
}

/// Sends `pdu` over `raw`; the next PDU that comes back.
async fn exchange(raw: &mut Framed<TcpStream, PduCodec>, pdu: Pdu) -> Pdu {
    raw.send(pdu).await.unwrap();
    let (_, pdu) = raw.next().await.unwrap().unwrap();
    pdu.unwrap()
}

/// An ESME that unbinds but keeps its connection open (the MC waits for it
/// to close, as SMPP has the initiator of an unbind close) is no longer
/// bound: a new session of its account binds, though the account may have
/// one session only, and the server counts one session bound.
#[test]
fn an_account_that_unbound_may_bind_again_before_its_old_connection_closes() {
    bounded(async {
        let server = start(AccountLimits::UNLIMITED.with_max_binds(1)).await;
        let mut old = raw(server.addr).await;
        let bind = BindBuilder::receiver(1).system_id("shop").build().unwrap();
        let resp = exchange(&mut old, bind).await;
        assert_eq!(resp.command_status, CommandStatus::ESME_ROK);
        assert_eq!(server.handle.stats().bound, 1);
        let unbind = HeaderOnlyBuilder::unbind(2).build().unwrap();
        let resp = exchange(&mut old, unbind).await;
        assert_eq!(resp.command_id(), CommandId::UNBIND_RESP);

        // The old connection is still open, its session unbound.
        assert!(server.handle.session("shop").is_none());
        assert!(server.handle.sessions().is_empty());
        let stats = server.handle.stats();
        assert_eq!((stats.bound, stats.unbound), (0, 1));
        let (esme, _incoming) = connect(server.addr, shop(BindType::Receiver)).await;
        assert_eq!(server.handle.stats().bound, 1);
        assert_eq!(server.handle.sessions().len(), 1);
        assert!(server.handle.session("shop").is_some());

        drop(old);
        server::until(|| server.handle.stats().closed == 1).await;
        let stats = server.handle.stats();
        assert_eq!((stats.connections, stats.bound, stats.unbound), (2, 1, 0));
        esme.unbind().await.unwrap();
        server.stop().await;
    });
}

/// A session that unbound and waits for its ESME to close the connection
/// counts among the connections not bound: a newer connection beyond the
/// budget closes it first, as it would an idle one.
#[test]
fn a_connection_left_open_after_unbinding_makes_room_for_a_new_one() {
    bounded(async {
        let config = Config::mc().with_timers(quiet());
        let taker = Taker {
            throttle_every: None,
        };
        let server =
            Running::start_with(taker, config, |s: Server<Taker>| s.with_max_unbound(1)).await;
        let mut old = raw(server.addr).await;
        let bind = BindBuilder::transmitter(1)
            .system_id("shop")
            .build()
            .unwrap();
        assert!(exchange(&mut old, bind).await.command_status.is_ok());
        let unbind = HeaderOnlyBuilder::unbind(2).build().unwrap();
        assert_eq!(
            exchange(&mut old, unbind).await.command_id(),
            CommandId::UNBIND_RESP
        );

        let (esme, _incoming) = connect(server.addr, shop(BindType::Transmitter)).await;
        assert!(old.next().await.is_none(), "closed to make room");
        server::until(|| server.handle.stats().closed == 1).await;
        let stats = server.handle.stats();
        assert_eq!(
            (stats.evicted_unbound, stats.bound, stats.unbound),
            (1, 1, 0)
        );
        esme.unbind().await.unwrap();
        server.stop().await;
    });
}

/// An SMSC that closes an account's session and waits for it to close
/// finds it off its books: the account, allowed one session, binds again
/// at once. (On two workers the session was marked closed, and the waiter
/// woken, before the server took it off its books.)
#[test]
fn a_session_the_smsc_closed_and_waited_for_holds_no_bind() {
    bounded_on_two_workers(async {
        let server = start(AccountLimits::UNLIMITED.with_max_binds(1)).await;
        let mut esme = connect(server.addr, shop(BindType::Receiver)).await.0;
        for _ in 0..200 {
            let session = server.handle.session("shop").unwrap();
            session.close();
            session.closed().await;
            assert_eq!(server.handle.stats().bound, 0);
            assert!(server.handle.session("shop").is_none());
            esme.closed().await;
            esme = connect(server.addr, shop(BindType::Receiver)).await.0;
        }
        esme.unbind().await.unwrap();
        server.stop().await;
    });
}

/// An account allowed no messages a second sends none.
#[test]
fn an_account_allowed_no_messages_a_second_sends_none() {
    for limits in [
        AccountLimits::UNLIMITED.with_max_messages_per_second(0),
        AccountLimits::UNLIMITED.with_max_messages_per_session(0),
    ] {
        bounded(async {
            let server = start(limits).await;
            let (esme, _incoming) = connect(server.addr, shop(BindType::Transmitter)).await;
            for _ in 0..3 {
                let resp = esme.submit_sm(dev::submit(0, "")).await.unwrap();
                assert_eq!(
                    resp.command_status,
                    CommandStatus::ESME_RTHROTTLED,
                    "{limits:?}"
                );
            }
            assert_eq!(server.handle.stats().throttled, 3);
            esme.unbind().await.unwrap();
            server.stop().await;
        });
    }
}
