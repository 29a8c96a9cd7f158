//! SMSCs on raw sockets for the ESME tests: PDUs through the codec, each
//! test scripting what its SMSC does wrong; the ledger of what an SMSC
//! got, checked against the outcomes the application saw.
#![allow(dead_code)]

use core::future::Future;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use futures_util::{SinkExt, StreamExt};
use smpp_core::receipt::{MessageState, ReceiptBuilder};
use smpp_core::{CommandId, CommandStatus};
use smpp_std::session::{Error, SmResponse};
use smpp_std::{
    BindResp, Body, COctet, Pdu, PduCodec, StreamError, SubmitSmBuilder, SubmitSmResp, Tlvs,
};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio_util::codec::Framed;

/// What became of one message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    /// The SMSC took it, under this id.
    Accepted(String),
    /// The SMSC refused it with this status.
    Refused(CommandStatus),
    /// It was never written: safe to send again.
    NotWritten(String),
    /// It was written, but no answer came: the SMSC may have it.
    Unknown(String),
}

impl Outcome {
    pub(crate) fn of(result: Result<Pdu, Error>) -> Self {
        match result {
            Ok(pdu) => {
                let resp = SmResponse::from(pdu);
                if resp.is_ok() {
                    Self::Accepted(resp.message_id.to_string())
                } else {
                    Self::Refused(resp.command_status)
                }
            }
            Err(e) if e.may_have_been_received() => Self::Unknown(e.to_string()),
            Err(e) => Self::NotWritten(e.to_string()),
        }
    }
}

pub(crate) fn submit(text: &str) -> Pdu {
    SubmitSmBuilder::new(0)
        .source_addr("BULK")
        .destination_addr("447700900123")
        .short_message(text)
        .build()
        .unwrap()
}

pub(crate) fn texts(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("m{i}")).collect()
}

/// One connection of an ESME, seen from the SMSC.
pub(crate) struct Peer {
    pub(crate) wire: Framed<TcpStream, PduCodec>,
}

impl Peer {
    pub(crate) async fn accept(listener: &TcpListener) -> Self {
        let (stream, _) = listener.accept().await.unwrap();
        Self {
            wire: Framed::new(stream, PduCodec::new()),
        }
    }

    /// The next PDU; `None` once the ESME closed the connection.
    pub(crate) async fn recv(&mut self) -> Option<Pdu> {
        match self.wire.next().await? {
            Ok((_, Ok(pdu))) => Some(pdu),
            Ok((frame, Err(e))) => panic!("the ESME sent a malformed PDU {frame:?}: {e}"),
            Err(_) => None,
        }
    }

    /// The next PDU of the ESME but `enquire_link` and `unbind`, which
    /// are answered on the way, as an SMSC answers them.
    pub(crate) async fn request(&mut self) -> Option<Pdu> {
        loop {
            let pdu = self.recv().await?;
            let resp = match pdu.command_id() {
                CommandId::ENQUIRE_LINK => Body::EnquireLinkResp(Tlvs::default()),
                CommandId::UNBIND => Body::UnbindResp(Tlvs::default()),
                _ => return Some(pdu),
            };
            self.send(Pdu::new(pdu.sequence_number, resp)).await;
        }
    }

    pub(crate) async fn send(&mut self, pdu: Pdu) {
        // The ESME may have gone: what it missed, it missed. A PDU that
        // does not encode is the test's mistake.
        if let Err(StreamError::Encode(e)) = self.wire.send(pdu).await {
            panic!("the SMSC's PDU does not encode: {e}");
        }
    }

    /// Reads the bind and answers it with `status`.
    pub(crate) async fn bind(&mut self, status: CommandStatus) -> Option<()> {
        let bind = self.recv().await?;
        self.send(bind_resp(&bind, status)).await;
        Some(())
    }

    /// Accepts a connection and binds it.
    pub(crate) async fn bound(listener: &TcpListener) -> Self {
        let mut peer = Self::accept(listener).await;
        peer.bind(CommandStatus::ESME_ROK).await.expect("a bind");
        peer
    }

    /// Reads `n` requests, each recorded as arrived in `ledger`.
    pub(crate) async fn take_logged(&mut self, n: usize, ledger: &Ledger) -> Vec<Pdu> {
        let taken = self.take(n).await;
        for request in &taken {
            ledger.arrived(request);
        }
        taken
    }

    /// Reads `taken` requests and accepts the first `answered` of them.
    pub(crate) async fn accept_some(&mut self, taken: usize, answered: usize, ledger: &Ledger) {
        let window = self.take_logged(taken, ledger).await;
        for request in &window[..answered] {
            ledger.accepted(request);
            self.send(accept(request)).await;
        }
    }

    /// Reads until the ESME closes, answering nothing but `enquire_link`
    /// and `unbind`.
    pub(crate) async fn swallow(&mut self, ledger: &Ledger) {
        while let Some(pdu) = self.request().await {
            if pdu.command_id() == CommandId::SUBMIT_SM {
                ledger.arrived(&pdu);
            }
        }
    }

    /// Ends the SMSC's side of the connection, then reads until the ESME
    /// closes, as [`Self::swallow`]: what was sent before reaches the
    /// ESME (a close with requests unread would reset the connection, and
    /// the ESME lose what it had not read yet).
    pub(crate) async fn hang_up(&mut self, ledger: &Ledger) {
        tokio::io::AsyncWriteExt::shutdown(self.wire.get_mut())
            .await
            .unwrap();
        self.swallow(ledger).await;
    }

    /// Reads `n` requests.
    pub(crate) async fn take(&mut self, n: usize) -> Vec<Pdu> {
        let mut taken = Vec::new();
        while taken.len() < n {
            taken.push(self.request().await.expect("the ESME's requests"));
        }
        taken
    }

    /// Reads until the ESME closes, answering `unbind` and `enquire_link`;
    /// returns the other requests.
    pub(crate) async fn drain(&mut self) -> Vec<Pdu> {
        let mut rest = Vec::new();
        while let Some(pdu) = self.request().await {
            rest.push(pdu);
        }
        rest
    }
}

/// The answer to `bind`, with `status`.
pub(crate) fn bind_resp(bind: &Pdu, status: CommandStatus) -> Pdu {
    let resp = BindResp {
        system_id: COctet::new(Bytes::from_static(b"SMSC")),
        ..BindResp::default()
    };
    let body = match bind.command_id() {
        CommandId::BIND_TRANSMITTER => Body::BindTransmitterResp(Some(resp)),
        CommandId::BIND_RECEIVER => Body::BindReceiverResp(Some(resp)),
        CommandId::BIND_TRANSCEIVER => Body::BindTransceiverResp(Some(resp)),
        other => panic!("{other} before the bind"),
    };
    Pdu::new(bind.sequence_number, body).with_status(status)
}

/// The text of a `submit_sm`.
pub(crate) fn text_of(pdu: &Pdu) -> String {
    match &pdu.body {
        Body::SubmitSm(sm) => String::from_utf8_lossy(&sm.short_message).into_owned(),
        other => panic!("not a submit_sm: {:?}", other.command_id()),
    }
}

/// The `submit_sm_resp` to `request`, `message_id` its text.
pub(crate) fn accept(request: &Pdu) -> Pdu {
    let resp = SubmitSmResp {
        message_id: COctet::new(Bytes::from(format!("id-{}", text_of(request)))),
        ..SubmitSmResp::default()
    };
    Pdu::new(request.sequence_number, Body::SubmitSmResp(Some(resp)))
}

/// A `submit_sm_resp` without body refusing `request` with `status`.
pub(crate) fn refuse(request: &Pdu, status: CommandStatus) -> Pdu {
    Pdu::new(request.sequence_number, Body::SubmitSmResp(None)).with_status(status)
}

/// What an SMSC got, by text: how many times each message arrived, and
/// which ones it accepted.
#[derive(Default)]
pub(crate) struct Ledger {
    pub(crate) arrived: Mutex<HashMap<String, usize>>,
    pub(crate) accepted: Mutex<HashMap<String, usize>>,
}

/// Counts `request` under its text in `counts`.
fn count(counts: &Mutex<HashMap<String, usize>>, request: &Pdu) {
    *counts.lock().unwrap().entry(text_of(request)).or_default() += 1;
}

impl Ledger {
    pub(crate) fn arrived(&self, request: &Pdu) {
        count(&self.arrived, request);
    }

    pub(crate) fn accepted(&self, request: &Pdu) {
        count(&self.accepted, request);
    }

    /// Checks the application's outcomes against what the SMSC saw: each
    /// message arrived at most once; accepted ones exactly once, and the
    /// SMSC accepted them; refused ones the SMSC did not accept; those
    /// reported not written never arrived.
    pub(crate) fn check(&self, outcomes: &HashMap<String, Outcome>) {
        let arrived = self.arrived.lock().unwrap().clone();
        let accepted = self.accepted.lock().unwrap().clone();
        for (text, n) in &arrived {
            assert_eq!(*n, 1, "{text} arrived {n} times");
        }
        for (text, outcome) in outcomes {
            match outcome {
                Outcome::Accepted(id) => {
                    assert_eq!(id, &format!("id-{text}"), "{text}'s own answer");
                    assert_eq!(accepted.get(text), Some(&1), "{text} accepted once");
                }
                Outcome::NotWritten(why) => {
                    assert_eq!(arrived.get(text), None, "{text} arrived: {why}");
                }
                Outcome::Refused(_) => {
                    assert_eq!(accepted.get(text), None, "{text}: {outcome:?}");
                }
                // The SMSC may have it, even have accepted it (an answer
                // that came too late).
                Outcome::Unknown(_) => {}
            }
        }
    }
}

/// An SMSC on a loopback port that runs `script` with its listener and
/// its ledger: the port's address, the ledger and the SMSC's task.
pub(crate) async fn smsc<T, Fut>(
    script: impl FnOnce(TcpListener, Arc<Ledger>) -> Fut,
) -> (String, Arc<Ledger>, JoinHandle<T>)
where
    Fut: Future<Output = T> + Send + 'static,
    T: Send + 'static,
{
    let (listener, addr) = listener().await;
    let ledger = Arc::new(Ledger::default());
    let task = tokio::spawn(script(listener, Arc::clone(&ledger)));
    (addr, ledger, task)
}

pub(crate) async fn listener() -> (TcpListener, String) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    (listener, addr)
}

/// Serves every connection after the first: binds it and accepts every
/// request, until the ESME closes it.
pub(crate) async fn accept_all(listener: &TcpListener, ledger: &Ledger) {
    loop {
        let mut peer = Peer::bound(listener).await;
        while let Some(request) = peer.request().await {
            ledger.arrived(&request);
            ledger.accepted(&request);
            peer.send(accept(&request)).await;
        }
    }
}

/// A delivery receipt for the message `id`, numbered `sequence_number`.
pub(crate) fn receipt(sequence_number: u32, id: &str) -> Pdu {
    let receipt = ReceiptBuilder::new(id.as_bytes(), MessageState::DELIVERED);
    let body = smpp_std::receipt::deliver_sm(&receipt, "447700900123", "BULK").unwrap();
    Pdu::new(sequence_number, Body::DeliverSm(body))
}

/// The answers an SMSC got to its `deliver_sm`, by status.
#[derive(Default)]
pub(crate) struct Answers {
    pub(crate) by_status: Mutex<HashMap<CommandStatus, usize>>,
    /// The sequence numbers answered, each once.
    pub(crate) answered: Mutex<HashSet<u32>>,
}

impl Answers {
    pub(crate) fn answered(&self, resp: &Pdu) {
        assert_eq!(resp.command_id(), CommandId::DELIVER_SM_RESP, "{resp:?}");
        assert!(
            self.answered.lock().unwrap().insert(resp.sequence_number),
            "answered twice: {resp:?}"
        );
        *self
            .by_status
            .lock()
            .unwrap()
            .entry(resp.command_status)
            .or_default() += 1;
    }

    pub(crate) fn count(&self, status: CommandStatus) -> usize {
        self.by_status
            .lock()
            .unwrap()
            .get(&status)
            .copied()
            .unwrap_or(0)
    }
}
