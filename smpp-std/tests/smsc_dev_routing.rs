//! Deliveries routed to an account whose receivers go away in odd ways: a
//! session that has ended its side of the connection takes no new
//! request, and the delivery goes to another receiver of the account.
#![cfg(feature = "tokio")]

#[path = "smsc_dev_common/mod.rs"]
mod dev;
#[path = "common/server.rs"]
mod server;

use std::sync::Arc;

use futures_util::{SinkExt, StreamExt};
use server::{Running, bounded, connect, quiet};
use smpp_core::session::{BindType, Config};
use smpp_core::{CommandId, CommandStatus};
use smpp_std::server::{BindRequest, Context, Handler, ServerHandle};
use smpp_std::session::Answer;
use smpp_std::session::{Handle, Incoming};
use smpp_std::{BindBuilder, Pdu, PduCodec};
use tokio::io::{AsyncWriteExt, DuplexStream};
use tokio::sync::Semaphore;
use tokio_util::codec::Framed;

/// Takes every bind; holds each message until the test gives a permit.
struct Holding {
    permits: Arc<Semaphore>,
}

impl Handler for Holding {
    async fn bind(&self, _cx: &Context, _request: &BindRequest) -> CommandStatus {
        CommandStatus::ESME_ROK
    }

    async fn request(&self, _cx: &Context, _pdu: Pdu) -> Answer {
        let _ = self.permits.acquire().await;
        Answer::message_id("held")
    }
}

/// A receiver of `shop`, connected to `addr`.
async fn shop_receiver(addr: core::net::SocketAddr) -> (Handle, Incoming) {
    let esme = Config::esme(BindType::Receiver)
        .with_system_id("shop")
        .unwrap()
        .with_timers(quiet());
    connect(addr, esme).await
}

/// A raw ESME over a pipe of `size` octets that `smsc` serves, bound with
/// `bind`.
async fn raw_bound(smsc: &ServerHandle, size: usize, bind: Pdu) -> Framed<DuplexStream, PduCodec> {
    let (esme_side, mc_side) = tokio::io::duplex(size);
    tokio::spawn({
        let smsc = smsc.clone();
        async move { smsc.serve(mc_side, None).await }
    });
    let mut raw = Framed::new(esme_side, PduCodec::new());
    raw.send(bind).await.unwrap();
    let (resp, _) = raw.next().await.unwrap().unwrap();
    assert_eq!(resp.header.command_status, CommandStatus::ESME_ROK);
    raw
}

/// A receiver of the account that ended its side of the connection (a
/// message of its still with the handler keeps the session open) is
/// chosen first for having the most room, refuses the delivery without
/// sending it, and the delivery goes to the account's other receiver.
#[test]
fn a_delivery_skips_a_receiver_that_ended_its_side_for_another() {
    bounded(async {
        let permits = Arc::new(Semaphore::new(0));
        let holding = Holding {
            permits: Arc::clone(&permits),
        };
        let server =
            Running::start(holding, Config::mc().with_timers(quiet()).with_window(4)).await;
        let smsc = server.handle.clone();

        // The other receiver, which takes a first delivery and does not
        // answer it yet: it has less room.
        let (_other, mut incoming) = shop_receiver(server.addr).await;
        let first = tokio::spawn({
            let smsc = smsc.clone();
            async move { smsc.deliver_to_system_id("shop", dev::receipt()).await }
        });
        let held = incoming.recv().await.unwrap();

        // The receiver that ends its side, over a pipe.
        let bind = BindBuilder::transceiver(1).system_id("shop").build();
        let mut ending = raw_bound(&smsc, 16 * 1024, bind.unwrap()).await;
        ending.send(dev::submit(2, "")).await.unwrap();
        ending.get_mut().shutdown().await.unwrap();
        // The server's session reads the end of the stream.
        for _ in 0..8 {
            tokio::task::yield_now().await;
        }
        assert_eq!(smsc.sessions().len(), 2);

        let second = tokio::spawn({
            let smsc = smsc.clone();
            async move { smsc.deliver_to_system_id("shop", dev::receipt()).await }
        });
        // The other receiver takes what comes now (answered when dropped).
        let taking = tokio::spawn(async move { while incoming.recv().await.is_some() {} });
        let resp = second.await.unwrap();
        assert!(matches!(&resp, Ok(r) if r.is_ok()), "{resp:?}");

        drop(held);
        assert!(first.await.unwrap().unwrap().is_ok());
        // The held message is answered; its session then closes.
        permits.add_permits(1);
        let (answer, _) = ending.next().await.unwrap().unwrap();
        assert_eq!(answer.header.command_id, CommandId::SUBMIT_SM_RESP);
        server.stop().await;
        taking.await.unwrap();
    });
}

/// One of an account's receivers stops reading: the write timer closes it,
/// and each delivery routed to it either was written (its outcome unknown)
/// or goes to the account's other receiver; none is lost without a word.
#[test]
fn deliveries_to_a_receiver_that_stops_reading_are_told_or_go_elsewhere() {
    bounded(async {
        let permits = Arc::new(Semaphore::new(0));
        let timers = smpp_core::session::Timers {
            write_timer: Some(core::time::Duration::from_millis(300)),
            ..quiet()
        };
        let config = Config::mc().with_timers(timers).with_window(8);
        let server = Running::start(Holding { permits }, config).await;
        let smsc = server.handle.clone();

        let (_good, mut incoming) = shop_receiver(server.addr).await;
        let taking = tokio::spawn(async move {
            let mut taken = 0;
            while incoming.recv().await.is_some() {
                taken += 1;
            }
            taken
        });
        // The stuck one, over a small pipe it never reads again.
        let bind = BindBuilder::receiver(1).system_id("shop").build();
        let stuck = raw_bound(&smsc, 256, bind.unwrap()).await;

        let deliveries: Vec<_> = (0..40)
            .map(|_| {
                let smsc = smsc.clone();
                tokio::spawn(async move { smsc.deliver_to_system_id("shop", dev::receipt()).await })
            })
            .collect();
        let (mut delivered, mut unknown) = (0, 0);
        for delivery in deliveries {
            match delivery.await.unwrap() {
                Ok(resp) if resp.is_ok() => delivered += 1,
                Err(smpp_std::session::Error::OutcomeUnknown { .. }) => unknown += 1,
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(delivered + unknown, 40);
        assert!(unknown > 0, "the stuck receiver took some");
        server::until(|| smsc.stats().closed == 1).await;
        server.stop().await;
        assert_eq!(taking.await.unwrap(), delivered);
        drop(stuck);
    });
}
