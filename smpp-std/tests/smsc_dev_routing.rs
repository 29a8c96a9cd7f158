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
use smpp_std::server::{BindRequest, Context, Handler};
use smpp_std::session::Answer;
use smpp_std::{BindBuilder, Pdu, PduCodec};
use tokio::io::AsyncWriteExt;
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
        let esme = Config::esme(BindType::Receiver)
            .with_system_id("shop")
            .unwrap()
            .with_timers(quiet());
        let (_other, mut incoming) = connect(server.addr, esme).await;
        let first = tokio::spawn({
            let smsc = smsc.clone();
            async move { smsc.deliver_to_system_id("shop", dev::receipt()).await }
        });
        let held = incoming.recv().await.unwrap();

        // The receiver that ends its side, over a pipe.
        let (esme_side, mc_side) = tokio::io::duplex(16 * 1024);
        tokio::spawn({
            let smsc = smsc.clone();
            async move { smsc.serve(mc_side, None).await }
        });
        let mut ending = Framed::new(esme_side, PduCodec::new());
        let bind = BindBuilder::transceiver(1)
            .system_id("shop")
            .build()
            .unwrap();
        ending.send(bind).await.unwrap();
        let (resp, _) = ending.next().await.unwrap().unwrap();
        assert_eq!(resp.header.command_status, CommandStatus::ESME_ROK);
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
