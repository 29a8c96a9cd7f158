//! An SMSC's accounts against ESMEs that push them: binds of one
//! `system_id` at its limit while an old session lingers, message quotas
//! at their edges.
#![cfg(feature = "tokio")]

#[path = "common/server.rs"]
mod server;

use server::{Running, Taker, bounded, connect, quiet};
use smpp_core::CommandStatus;
use smpp_core::session::{BindType, Config};
use smpp_std::SubmitSmBuilder;
use smpp_std::server::{AccountLimits, Server};

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
                let submit = SubmitSmBuilder::new(0)
                    .destination_addr("447700900123")
                    .build()
                    .unwrap();
                let resp = esme.submit_sm(submit).await.unwrap();
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
