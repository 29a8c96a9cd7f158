//! An ESME written from the documentation of `smpp_std::client` and
//! `smpp_std::session`: `client::connect` over TCP to a loopback SMSC,
//! `data_sm` and `query_sm` through the window, a receipt the MC sends as
//! a `data_sm`, and the calls' documented refusals.

use std::sync::Arc;

use smpp_core::receipt::{MessageState, Receipt};
use smpp_core::session::{BindType, Config};
use smpp_core::{Body, CommandId, CommandStatus, EsmClass, TlvTag};
use smpp_std::server::{BindRequest, Context, Handler, Server};
use smpp_std::session::{Answer, Error, SmResponse};
use smpp_std::{
    AlertNotification, DataSmBuilder, Pdu, QuerySmBuilder, QuerySmRespBuilder, SubmitSmBuilder,
    client,
};

/// An SMSC that answers `data_sm` with an id and a receipt (a `data_sm`
/// back), and `query_sm` with the state of the message it names.
struct Smsc;

impl Handler for Smsc {
    async fn bind(&self, _cx: &Context, _bind: &BindRequest) -> CommandStatus {
        CommandStatus::ESME_ROK
    }

    async fn request(&self, cx: &Context, pdu: Pdu) -> Answer {
        match &pdu.body {
            Body::DataSm(sm) => {
                let id = format!("d{}", pdu.sequence_number);
                let payload = sm
                    .tlvs
                    .get(TlvTag::MESSAGE_PAYLOAD)
                    .map(|t| t.value.to_vec());
                assert_eq!(payload.as_deref(), Some(&b"payload"[..]));
                let receipt = DataSmBuilder::new(0)
                    .source_addr(sm.destination_addr.as_bytes().to_vec())
                    .destination_addr(sm.source_addr.as_bytes().to_vec())
                    .esm_class(EsmClass::DELIVERY_RECEIPT)
                    .receipted_message_id(id.as_bytes().to_vec())
                    .message_state(MessageState::DELIVERED)
                    .build()
                    .unwrap();
                let session = cx.session().clone();
                tokio::spawn(async move { session.data_sm(receipt).await });
                Answer::message_id(id)
            }
            Body::QuerySm(q) if q.message_id.as_bytes() == b"d2" => {
                let body = QuerySmRespBuilder::new(0)
                    .message_id("d2")
                    .message_state(MessageState::DELIVERED)
                    .build()
                    .unwrap()
                    .body;
                Answer::Response {
                    command_status: CommandStatus::ESME_ROK,
                    body,
                }
            }
            Body::QuerySm(_) => Answer::Status(CommandStatus::ESME_RQUERYFAIL),
            _ => Answer::Status(CommandStatus::ESME_RINVCMDID),
        }
    }
}

#[tokio::test]
async fn data_sm_and_query_sm_over_connect() -> Result<(), Box<dyn core::error::Error>> {
    let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await?;
    let addr = server.local_addr()?;
    let stop = server.handle();
    let serving = tokio::spawn(server.run());

    let config = Config::esme(BindType::Transceiver).with_system_id("esme")?;
    let (esme, mut incoming) = client::connect(addr, config).await?;

    // data_sm, its payload in message_payload; the bind was sequence 1.
    let data = DataSmBuilder::new(0)
        .source_addr("1234")
        .destination_addr("447700900123")
        .message_payload(&b"payload"[..])
        .build()?;
    let resp = esme.data_sm(data).await?;
    assert!(resp.is_ok());
    assert_eq!(resp.message_id.to_string(), "d2");

    // The receipt comes as a data_sm; dropping the request answers it.
    let request = incoming.recv().await.expect("the receipt");
    assert_eq!(request.command_id(), CommandId::DATA_SM);
    let Body::DataSm(sm) = &request.pdu().body else {
        panic!("not a data_sm")
    };
    let receipt = Receipt::from_data_sm(sm);
    assert_eq!(receipt.message_id(), Some(&b"d2"[..]));
    assert_eq!(receipt.state(), Some(MessageState::DELIVERED));
    drop(request);

    // query_sm has no typed call: `send` gives the response PDU.
    let query = QuerySmBuilder::new(0)
        .message_id("d2")
        .source_addr("1234")
        .build()?;
    let answer = esme.send(query).await?;
    assert_eq!(answer.command_status, CommandStatus::ESME_ROK);
    let Body::QuerySmResp(Some(q)) = &answer.body else {
        panic!("{answer:?}")
    };
    assert_eq!(
        (q.message_id.as_bytes(), q.message_state),
        (&b"d2"[..], MessageState::DELIVERED)
    );

    // An unknown id: an error response without a body.
    let unknown = QuerySmBuilder::new(0).message_id("nope").build()?;
    let answer = esme.send(unknown).await?;
    assert_eq!(answer.command_status, CommandStatus::ESME_RQUERYFAIL);
    assert!(matches!(answer.body, Body::QuerySmResp(None)));

    // The typed calls refuse another command, and nothing is sent.
    let query = QuerySmBuilder::new(0).message_id("d2").build()?;
    let err = esme.data_sm(query).await.unwrap_err();
    assert!(matches!(
        err,
        Error::UnexpectedCommand {
            expected: CommandId::DATA_SM,
            found: CommandId::QUERY_SM
        }
    ));
    assert!(!err.may_have_been_received());
    let submit = SubmitSmBuilder::new(0).destination_addr("1").build()?;
    assert!(matches!(
        esme.data_sm(submit).await,
        Err(Error::UnexpectedCommand { .. })
    ));
    // A request without response cannot be queued.
    let err = esme
        .queue(Body::AlertNotification(AlertNotification::default()))
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        Error::NoResponse(CommandId::ALERT_NOTIFICATION)
    ));
    assert_eq!(
        SmResponse::default().command_status,
        CommandStatus::ESME_ROK
    );

    esme.unbind().await?;
    assert!(esme.is_closed());
    // After the unbind, every call answers Closed and nothing is sent.
    let data = DataSmBuilder::new(0).destination_addr("1").build()?;
    let err = esme.data_sm(data).await.unwrap_err();
    assert!(matches!(err, Error::Closed(_)), "{err:?}");
    assert!(!err.may_have_been_received());
    assert!(incoming.recv().await.is_none());

    stop.shutdown();
    serving.await?;
    Ok(())
}

/// A receiver may not send `submit_sm` (the operation matrix): the call
/// is refused by the session and nothing is sent.
#[tokio::test]
async fn a_receiver_is_refused_submit_sm() -> Result<(), Box<dyn core::error::Error>> {
    let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await?;
    let addr = server.local_addr()?;
    let stop = server.handle();
    let serving = tokio::spawn(server.run());

    let (esme, _incoming) = client::connect(addr, Config::esme(BindType::Receiver)).await?;
    let submit = SubmitSmBuilder::new(0).destination_addr("1").build()?;
    let err = esme.submit_sm(submit).await.unwrap_err();
    assert!(matches!(err, Error::Refused(_)), "{err:?}");
    assert!(!err.may_have_been_received());
    assert_eq!(esme.stats().traffic.sent_of(CommandId::SUBMIT_SM), 0);

    // A body that does not encode (source_addr over 21 octets), built by
    // hand: refused as an encoding error, nothing sent.
    let (tx, _rx) = client::connect(addr, Config::esme(BindType::Transmitter)).await?;
    let long = smpp_std::SubmitSm {
        source_addr: smpp_std::COctet::new(bytes::Bytes::from(vec![b'1'; 30])),
        ..smpp_std::SubmitSm::default()
    };
    let err = tx.send(Body::SubmitSm(long)).await.unwrap_err();
    assert!(matches!(err, Error::Encode(_)), "{err:?}");
    assert_eq!(err.command_status(), Some(CommandStatus::ESME_RINVSRCADR));
    assert!(!err.may_have_been_received());
    tx.unbind().await?;
    esme.unbind().await?;

    stop.shutdown();
    serving.await?;
    Ok(())
}

/// `client::bind`'s errors: a configuration of the MC side, and an MC
/// that never answers the bind (the `response_timer` runs out).
#[tokio::test(start_paused = true)]
async fn bind_errors() {
    use core::time::Duration;
    use smpp_core::session::{CloseReason, SessionError, Timers};

    let (esme_side, _mc_side) = tokio::io::duplex(4096);
    let wrong = client::bind(esme_side, Config::mc()).await;
    assert!(
        matches!(wrong, Err(Error::Refused(SessionError::WrongRole(_)))),
        "{wrong:?}"
    );

    let (esme_side, _silent) = tokio::io::duplex(4096);
    let timers = Timers {
        response_timer: Duration::from_secs(3),
        ..Timers::DEFAULT
    };
    let config = Config::esme(BindType::Transmitter).with_timers(timers);
    let late = client::bind(esme_side, config).await;
    assert!(
        matches!(
            late,
            Err(Error::Closed(CloseReason::ResponseTimeout {
                command_id: CommandId::BIND_TRANSMITTER,
                ..
            }))
        ),
        "{late:?}"
    );
}

/// `Esme::builder(..).start()` spawns its sessions on the current tokio
/// runtime: outside one it panics, as its doc says.
#[test]
fn starting_an_esme_outside_a_runtime_panics() {
    let result = std::panic::catch_unwind(|| {
        client::Esme::builder("127.0.0.1:9", Config::esme(BindType::Transmitter)).start()
    });
    assert!(result.is_err());
}

/// `Answer::Response` with a body that is not the request's response is
/// replaced by the response with `ESME_RSYSERR`; an ESME that drops the
/// `Incoming` answers what it never took with `ESME_RX_T_APPN`.
#[tokio::test]
async fn wrong_answers_and_requests_never_taken() -> Result<(), Box<dyn core::error::Error>> {
    let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await?;
    let addr = server.local_addr()?;
    let smsc = server.handle();
    let serving = tokio::spawn(server.run());

    let config = Config::esme(BindType::Receiver).with_system_id("inbox")?;
    let (esme, mut incoming) = client::connect(addr, config).await?;
    let mo = || {
        SubmitSmBuilder::deliver_sm(0)
            .short_message("Hi")
            .build()
            .unwrap()
    };
    let to_inbox = smsc.clone();
    let delivering =
        tokio::spawn(async move { to_inbox.deliver_to_system_id("inbox", mo()).await });
    let request = incoming.recv().await.expect("a deliver_sm");
    let wrong = QuerySmRespBuilder::new(0).message_id("x").build()?.body;
    request.respond(Answer::Response {
        command_status: CommandStatus::ESME_ROK,
        body: wrong,
    });
    assert_eq!(
        delivering.await??.command_status,
        CommandStatus::ESME_RSYSERR
    );

    drop(incoming);
    let answer = smsc.deliver_to_system_id("inbox", mo()).await?;
    assert_eq!(answer.command_status, CommandStatus::ESME_RX_T_APPN);
    esme.unbind().await?;

    smsc.shutdown();
    serving.await?;
    Ok(())
}
