//! What a connection costs a server with many accounts configured: its
//! account table is looked up, not copied, for each connection and bind.
//!
//! This file holds a single test so that no other test thread allocates
//! while it counts.
#![cfg(feature = "tokio")]

#[path = "common/server.rs"]
mod server;

use std::alloc::System;
use std::sync::Arc;

use server::{Taker, quiet};
use smpp_core::session::{BindType, Config};
use smpp_std::client;
use smpp_std::server::{AccountLimits, Server, ServerHandle};
use stats_alloc::{INSTRUMENTED_SYSTEM, Region, StatsAlloc};

#[global_allocator]
static GLOBAL: &StatsAlloc<System> = &INSTRUMENTED_SYSTEM;

/// A server with `accounts` accounts of their own limits.
async fn smsc(accounts: usize) -> ServerHandle {
    let taker = Arc::new(Taker {
        throttle_every: None,
    });
    let mut server = Server::bind("127.0.0.1:0", Config::mc().with_timers(quiet()), taker)
        .await
        .unwrap();
    for n in 0..accounts {
        let limits = AccountLimits::UNLIMITED.with_max_binds(2);
        server = server.with_account(&format!("account-{n}"), limits);
    }
    server.handle()
}

/// The octets allocated while an ESME connects to `smsc` and binds.
async fn bytes_to_bind(smsc: &ServerHandle) -> usize {
    let region = Region::new(GLOBAL);
    let (esme_side, mc_side) = tokio::io::duplex(4096);
    let serving = tokio::spawn({
        let smsc = smsc.clone();
        async move { smsc.serve(mc_side, None).await }
    });
    let config = Config::esme(BindType::Transmitter)
        .with_system_id("account-7")
        .unwrap()
        .with_timers(quiet());
    let (esme, _incoming) = client::bind(esme_side, config).await.unwrap();
    let allocated = region.change().bytes_allocated;
    esme.unbind().await.unwrap();
    serving.await.unwrap();
    allocated
}

#[test]
fn a_connection_costs_no_copy_of_the_account_table() {
    server::bounded(async {
        let few = smsc(1).await;
        let many = smsc(20_000).await;
        // Warm up both (first-use allocations of the runtime).
        bytes_to_bind(&few).await;
        bytes_to_bind(&many).await;
        let (with_few, with_many) = (bytes_to_bind(&few).await, bytes_to_bind(&many).await);
        assert!(
            with_many < with_few + 64 * 1024,
            "{with_few} octets with one account, {with_many} with 20,000"
        );
    });
}
