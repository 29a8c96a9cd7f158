//! A blocking ESME written from the documentation of `smpp_std::blocking`:
//! `data_sm` and `query_sm` over `Client::connect`, the window by hand,
//! the MC's `deliver_sm` taken or left, and the promises of `unbind`,
//! `bind` and `queue`.

use core::time::Duration;
use std::sync::Arc;

use smpp_core::session::{BindType, Config, SessionError};
use smpp_core::{Body, CommandId, CommandStatus};
use smpp_std::blocking::{Answer, Client, Error};
use smpp_std::server::{BindRequest, Context, Handler, Server, ServerHandle};
use smpp_std::{DataSmBuilder, Pdu, QuerySmBuilder, SubmitSmBuilder};

/// An SMSC that refuses the password "wrong", answers `data_sm` with an
/// id and `query_sm` with `ESME_RQUERYFAIL`.
struct Smsc;

impl Handler for Smsc {
    async fn bind(&self, _cx: &Context, bind: &BindRequest) -> CommandStatus {
        if bind.password() == b"wrong" {
            CommandStatus::ESME_RINVPASWD
        } else {
            CommandStatus::ESME_ROK
        }
    }

    async fn request(&self, _cx: &Context, pdu: Pdu) -> Answer {
        match pdu.body {
            Body::DataSm(_) | Body::SubmitSm(_) => {
                Answer::message_id(format!("id-{}", pdu.sequence_number))
            }
            Body::QuerySm(_) => Answer::Status(CommandStatus::ESME_RQUERYFAIL),
            _ => Answer::Status(CommandStatus::ESME_RINVCMDID),
        }
    }
}

/// The SMSC on a runtime of its own.
fn smsc() -> (tokio::runtime::Runtime, core::net::SocketAddr, ServerHandle) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    let server = runtime
        .block_on(Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)))
        .unwrap();
    let addr = server.local_addr().unwrap();
    let handle = server.handle();
    runtime.spawn(server.run());
    (runtime, addr, handle)
}

#[test]
fn data_sm_query_sm_and_the_window_by_hand() -> Result<(), Box<dyn core::error::Error>> {
    let (_runtime, addr, _smsc) = smsc();
    let config = Config::esme(BindType::Transmitter)
        .with_system_id("esme")?
        .with_window(2);
    let mut client = Client::connect(addr, config)?;

    let data = DataSmBuilder::new(0)
        .destination_addr("447700900123")
        .build()?;
    let resp = client.data_sm(data)?;
    assert_eq!(resp.message_id.to_string(), "id-2");

    let query = QuerySmBuilder::new(0).message_id("id-2").build()?;
    let answer = client.send(query)?;
    assert_eq!(answer.command_id(), CommandId::QUERY_SM_RESP);
    assert_eq!(answer.command_status, CommandStatus::ESME_RQUERYFAIL);

    // Typed calls refuse another command.
    let query = QuerySmBuilder::new(0).message_id("id-2").build()?;
    assert!(matches!(
        client.data_sm(query),
        Err(Error::UnexpectedCommand { .. })
    ));

    // The window of 2 by hand: a third queued request is refused, unsent.
    let data = || {
        DataSmBuilder::new(0)
            .destination_addr("447700900123")
            .build()
    };
    let first = client.queue(data()?)?;
    let second = client.queue(data()?)?;
    let third = client.queue(data()?).unwrap_err();
    assert!(
        matches!(third, Error::Refused(SessionError::WindowFull)),
        "{third:?}"
    );
    assert!(!third.may_have_been_received());
    let outcomes: Vec<u32> = core::iter::from_fn(|| client.wait())
        .map(|o| o.map(|pdu| pdu.sequence_number))
        .collect::<Result<_, _>>()?;
    assert_eq!(outcomes, [first, second]);
    assert_eq!(
        second,
        first + 1,
        "the refused request took no sequence_number"
    );

    client.unbind()?;
    let err = client.data_sm(data()?).unwrap_err();
    assert!(matches!(err, Error::Closed(_)), "{err:?}");
    assert!(client.wait().is_none());
    Ok(())
}

/// `unbind`: "the MC's requests not taken are answered `ESME_RX_T_APPN`".
#[test]
fn requests_not_taken_are_refused_at_unbind() -> Result<(), Box<dyn core::error::Error>> {
    let (runtime, addr, smsc) = smsc();
    let config = Config::esme(BindType::Receiver).with_system_id("inbox")?;
    let mut client = Client::connect(addr, config)?;

    let mo = |text: &'static str| {
        SubmitSmBuilder::deliver_sm(0)
            .short_message(text)
            .build()
            .unwrap()
    };
    let session = smsc.session("inbox").expect("bound");
    let taken = {
        let session = session.clone();
        runtime.spawn(async move { session.deliver_sm(mo("taken")).await })
    };
    let request = client.recv(Duration::from_secs(5))?.expect("a deliver_sm");
    request.respond(Answer::Ok);
    let left = runtime.spawn(async move { session.deliver_sm(mo("left")).await });
    while client.received() == 0 {
        client.run_for(Duration::from_millis(5))?;
    }
    client.unbind()?;
    assert_eq!(
        runtime.block_on(taken)??.command_status,
        CommandStatus::ESME_ROK
    );
    assert_eq!(
        runtime.block_on(left)??.command_status,
        CommandStatus::ESME_RX_T_APPN
    );
    Ok(())
}

/// `bind`'s errors: the MC's refusal, and a configuration of the MC side.
#[test]
fn bind_errors() -> Result<(), Box<dyn core::error::Error>> {
    let (_runtime, addr, _smsc) = smsc();
    let refused = Client::connect(
        addr,
        Config::esme(BindType::Transmitter).with_password("wrong")?,
    );
    assert!(matches!(
        refused,
        Err(Error::BindRefused(CommandStatus::ESME_RINVPASWD))
    ));
    let stream = std::net::TcpStream::connect(addr)?;
    let wrong = Client::bind(stream, Config::mc());
    assert!(matches!(
        wrong,
        Err(Error::Refused(SessionError::WrongRole(_)))
    ));
    Ok(())
}
