//! SMPP over TLS: `client::connect_tls` against `Server::bind_tls`, with
//! certificates made in the test; a certificate for another name, and a
//! plain connection to a TLS port, fail instead of hanging; an `Esme`
//! says why its TLS connections fail.

#![cfg(feature = "tls")]

#[path = "common/server.rs"]
mod server;

use core::time::Duration;
use std::sync::Arc;

use smpp_core::CommandStatus;
use smpp_core::session::{BindType, CloseReason, Config};
use smpp_std::client::{self, Backoff, ConnectFailure, Esme, EsmeEvent, rustls};
use smpp_std::server::{BindRequest, Context, Handler, Server};
use smpp_std::session::{Answer, Error};
use smpp_std::{Pdu, SubmitSmBuilder};

use server::{Running, bounded, password_checked, pki, unbind_and_stop};

struct Smsc;

impl Handler for Smsc {
    async fn bind(&self, _cx: &Context, request: &BindRequest) -> CommandStatus {
        password_checked(request)
    }

    async fn request(&self, _cx: &Context, pdu: Pdu) -> Answer {
        Answer::message_id(format!("tls-{}", pdu.sequence_number))
    }
}

/// The test SMSC on a TLS port (with `mc`), and a client configuration
/// that trusts it.
async fn tls_smsc(mc: Config) -> (Running<Smsc>, Arc<rustls::ClientConfig>) {
    let (server_tls, client_tls) = pki();
    (Running::start_tls(Smsc, mc, server_tls).await, client_tls)
}

fn esme_config(password: &str) -> Config {
    Config::esme(BindType::Transceiver)
        .with_system_id("esme")
        .unwrap()
        .with_password(password)
        .unwrap()
        .with_window(32)
}

#[test]
fn an_esme_binds_and_submits_over_tls() {
    bounded(async {
        let (server, client_tls) = tls_smsc(Config::mc()).await;
        let addr = server.addr;

        let (esme, _incoming) = client::connect_tls(
            addr,
            "localhost",
            Arc::clone(&client_tls),
            esme_config("secret"),
        )
        .await
        .unwrap();
        let mut pending = Vec::new();
        for n in 0..200 {
            let submit = SubmitSmBuilder::new(0)
                .destination_addr("447700900123")
                .short_message(format!("over tls {n}"))
                .build()
                .unwrap();
            pending.push(esme.queue(submit).await.unwrap());
        }
        for p in pending {
            let resp = smpp_std::session::SmResponse::from(p.await.unwrap());
            assert!(resp.is_ok());
            assert!(resp.message_id.to_str().unwrap().starts_with("tls-"));
        }
        // The bind is checked as on plain TCP.
        let refused =
            client::connect_tls(addr, "127.0.0.1", client_tls, esme_config("wrong")).await;
        server::assert_bind_refused(&refused, CommandStatus::ESME_RINVPASWD);
        unbind_and_stop(&esme, server).await;
        assert_eq!(esme.closed().await, CloseReason::Unbound);
    });
}

#[test]
fn a_certificate_for_another_name_is_refused() {
    bounded(async {
        let (server, client_tls) = tls_smsc(Config::mc()).await;
        let addr = server.addr;
        let wrong =
            client::connect_tls(addr, "smsc.example.com", client_tls, esme_config("secret")).await;
        let Err(Error::Io(e)) = wrong else {
            panic!("bound to a certificate of another name: {wrong:?}")
        };
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "{e}");
        assert_eq!(server.handle.stats().bound, 0);
        server.stop().await;
    });
}

#[test]
fn a_plain_esme_on_a_tls_port_fails_without_hanging() {
    bounded(async {
        let mc = Config::mc().with_timers(smpp_core::session::Timers {
            session_init_timer: Some(Duration::from_secs(1)),
            ..smpp_core::session::Timers::DEFAULT
        });
        let (server, _) = tls_smsc(mc).await;
        let addr = server.addr;
        // The bind is no TLS ClientHello: the server drops the connection.
        let plain = client::connect(addr, esme_config("secret")).await;
        assert!(
            matches!(plain, Err(Error::Closed(_) | Error::Io(_))),
            "{plain:?}"
        );
        server.stop().await;
    });
}

#[test]
fn a_tls_stream_accepted_by_the_application_joins_the_server() {
    bounded(async {
        let (server_tls, client_tls) = pki();
        // The application runs its own listener and handshake.
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc))
            .await
            .unwrap();
        let handle = server.handle();
        let serving = tokio::spawn(server.run());
        let acceptor = tokio_rustls::TlsAcceptor::from(server_tls);
        let accepted = {
            let handle = handle.clone();
            tokio::spawn(async move {
                let (tcp, peer) = listener.accept().await.unwrap();
                let tls = acceptor.accept(tcp).await.unwrap();
                handle.serve(tls, Some(peer)).await
            })
        };
        let (esme, _incoming) =
            client::connect_tls(addr, "localhost", client_tls, esme_config("secret"))
                .await
                .unwrap();
        assert_eq!(handle.stats().bound, 1);
        let submit = SubmitSmBuilder::new(0)
            .destination_addr("1")
            .build()
            .unwrap();
        assert!(esme.submit_sm(submit).await.unwrap().is_ok());
        handle.shutdown();
        assert_eq!(accepted.await.unwrap(), CloseReason::Unbound);
        serving.await.unwrap();
    });
}

#[test]
fn one_server_listens_plain_and_tls_and_routes_between_them() {
    bounded(async {
        let (server_tls, client_tls) = pki();
        let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc))
            .await
            .unwrap()
            .listen_tls("127.0.0.1:0", server_tls)
            .await
            .unwrap();
        let addrs = server.local_addrs();
        assert_eq!(addrs.len(), 2);
        let handle = server.handle();
        let serving = tokio::spawn(server.run());
        // A transmitter: the account's receipts can only go to the TLS
        // transceiver, whose incoming PDUs the test reads.
        let transmitter = Config::esme(BindType::Transmitter)
            .with_system_id("esme")
            .unwrap()
            .with_password("secret")
            .unwrap();
        let (plain, _plain_incoming) = client::connect(addrs[0], transmitter).await.unwrap();
        let (tls, mut tls_incoming) =
            client::connect_tls(addrs[1], "localhost", client_tls, esme_config("secret"))
                .await
                .unwrap();
        // One server: one count, one routing table.
        assert_eq!(handle.stats().bound, 2);
        assert_ne!(plain.id(), tls.id());
        let receipt = SubmitSmBuilder::deliver_sm(0)
            .esm_class(smpp_core::EsmClass::DELIVERY_RECEIPT)
            .build()
            .unwrap();
        let mut delivered = 0;
        let pushes = tokio::spawn({
            let handle = handle.clone();
            async move {
                for _ in 0..4 {
                    let resp = handle.deliver_to_system_id("esme", receipt.clone()).await;
                    assert!(resp.unwrap().is_ok());
                }
            }
        });
        while delivered < 4 {
            tokio::select! {
                Some(r) = tls_incoming.recv() => { drop(r); delivered += 1; }
                () = tokio::time::sleep(Duration::from_millis(1)) => {}
            }
            if pushes.is_finished() {
                break;
            }
        }
        pushes.await.unwrap();
        assert_eq!(delivered, 4, "every receipt went to the TLS receiver");
        handle.shutdown();
        serving.await.unwrap();
        assert_eq!(plain.closed().await, CloseReason::Unbound);
        assert_eq!(tls.closed().await, CloseReason::Unbound);
    });
}

#[test]
fn an_esme_says_why_its_tls_connection_failed() {
    bounded(async {
        let (server, client_tls) = tls_smsc(Config::mc()).await;
        let plain = Running::start(Smsc, Config::mc()).await;
        let quick = Backoff {
            initial: Duration::from_millis(10),
            max: Duration::from_millis(10),
            factor: 1.0,
        };
        let cases = [
            // The certificate is made out to localhost and 127.0.0.1.
            (server.addr, "smsc.example.com", ConnectFailure::Certificate),
            // A plain SMPP port answers the ClientHello with no TLS.
            (plain.addr, "localhost", ConnectFailure::NotTls),
        ];
        for (addr, name, kind) in cases {
            let (esme, _incoming) = Esme::builder(addr.to_string(), esme_config("secret"))
                .tls(name, Arc::clone(&client_tls))
                .reconnect(quick)
                .start()
                .unwrap();
            let mut events = esme.events();
            let failed = loop {
                match events.recv().await.unwrap() {
                    EsmeEvent::ConnectFailed { kind, .. } => break kind,
                    EsmeEvent::Connecting { .. } => {}
                    other => panic!("{other:?}"),
                }
            };
            assert_eq!(failed, kind, "{addr} as {name}");
            esme.unbind().await;
        }
        // A port nobody listens on: the connection itself fails.
        let gone = {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            listener.local_addr().unwrap()
        };
        let (esme, _incoming) = Esme::builder(gone.to_string(), esme_config("secret"))
            .reconnect(quick)
            .start()
            .unwrap();
        let mut events = esme.events();
        let failed = loop {
            if let EsmeEvent::ConnectFailed { kind, .. } = events.recv().await.unwrap() {
                break kind;
            }
        };
        assert_eq!(failed, ConnectFailure::Io);
        esme.unbind().await;
        server.stop().await;
        plain.stop().await;
    });
}
