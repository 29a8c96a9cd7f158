//! An SMSC's TLS port against sources that open connections and never
//! finish their handshake: they are held to the budgets of connections
//! that have not bound, per source and in all, as plain ones are.
#![cfg(feature = "tls")]

#[path = "common/server.rs"]
mod server;

use core::net::SocketAddr;
use std::sync::Arc;

use server::{Taker, bounded, pki, quiet};
use smpp_core::session::{BindType, Config};
use smpp_std::client::{self, rustls};
use smpp_std::server::{Server, ServerHandle};
use tokio::net::{TcpSocket, TcpStream};
use tokio::task::JoinHandle;

/// A TCP connection to `addr` from the address `source`, which says
/// nothing.
async fn silent_from(source: &str, addr: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{source}:0").parse().unwrap()).unwrap();
    socket.connect(addr).await.unwrap()
}

/// A running SMSC on a TLS port, `configure`d: its address, its handle,
/// its task, and the configuration of a client that trusts it.
async fn tls_smsc(
    configure: impl FnOnce(Server<Taker>) -> Server<Taker>,
) -> (
    SocketAddr,
    ServerHandle,
    JoinHandle<()>,
    Arc<rustls::ClientConfig>,
) {
    let (server_tls, client_tls) = pki();
    let config = Config::mc().with_timers(quiet());
    let taker = Arc::new(Taker {
        throttle_every: None,
    });
    let server = Server::bind_tls("127.0.0.1:0", config, taker, server_tls)
        .await
        .unwrap();
    let server = configure(server);
    let addr = server.local_addr().unwrap();
    let smsc = server.handle();
    (addr, smsc, tokio::spawn(server.run()), client_tls)
}

/// One source that opens connections to the TLS port and never begins the
/// handshake cannot keep another source's ESME out: it is held to its own
/// budget of connections not bound, as on a plain port.
#[test]
fn a_source_that_never_finishes_its_handshakes_keeps_no_other_out() {
    bounded(async {
        let (addr, smsc, serving, client_tls) =
            tls_smsc(|s| s.with_max_unbound(4).with_max_unbound_per_source(2)).await;

        let mut silent = Vec::new();
        for _ in 0..8 {
            silent.push(silent_from("127.0.0.2", addr).await);
        }
        server::until(|| smsc.stats().connections == 8).await;
        let stats = smsc.stats();
        assert!(stats.unbound <= 2, "{stats:?}");
        assert_eq!(stats.evicted_per_source, 6, "{stats:?}");

        let esme = Config::esme(BindType::Transmitter)
            .with_system_id("shop")
            .unwrap()
            .with_timers(quiet());
        let (esme, _incoming) = client::connect_tls(addr, "localhost", client_tls, esme)
            .await
            .unwrap();
        assert_eq!(smsc.stats().bound, 1);
        esme.unbind().await.unwrap();
        drop(silent);
        smsc.shutdown();
        serving.await.unwrap();
        let stats = smsc.stats();
        assert_eq!((stats.connections, stats.closed), (9, 9), "{stats:?}");
    });
}

/// A TLS handshake under way when the server shuts down starts no session
/// after it: the connection is closed with the others, and `run` returns
/// with nothing left to serve.
#[test]
fn a_handshake_under_way_at_shutdown_starts_no_session() {
    bounded(async {
        let (addr, smsc, serving, client_tls) = tls_smsc(|s| s).await;

        let stream = silent_from("127.0.0.1", addr).await;
        server::until(|| smsc.stats().connections == 1).await;
        smsc.shutdown();
        serving.await.unwrap();

        // The handshake the server had begun to wait for, late.
        let name = rustls::pki_types::ServerName::try_from("localhost").unwrap();
        let tls = tokio_rustls::TlsConnector::from(client_tls);
        if let Ok(stream) = tls.connect(name, stream).await {
            let esme = Config::esme(BindType::Transmitter).with_timers(quiet());
            let bound = client::bind(stream, esme).await;
            assert!(bound.is_err(), "bound after shutdown");
        }
        let stats = smsc.stats();
        assert_eq!((stats.connections, stats.closed, stats.bound), (1, 1, 0));
    });
}
