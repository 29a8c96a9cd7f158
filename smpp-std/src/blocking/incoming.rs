//! The MC's requests, as the application takes and answers them.

use std::sync::{Arc, Mutex};

use smpp_core::CommandId;

use super::Answer;
use crate::owned::Pdu;
use crate::session::lock;

/// A request of the MC received and not taken yet.
#[derive(Debug)]
pub(super) struct Received {
    pub(super) pdu: Pdu,
    /// False for `alert_notification`, which has no response.
    pub(super) needs_answer: bool,
}

/// An answer given to a [`Request`], for the client to send.
#[derive(Debug)]
pub(super) struct Given {
    pub(super) sequence_number: u32,
    pub(super) command_id: CommandId,
    pub(super) answer: Answer,
}

/// What a client and the requests it handed out share: the answers given
/// and not sent yet, and how many requests still await theirs.
#[derive(Debug, Default)]
pub(super) struct Answers {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    given: Vec<Given>,
    /// Requests taken by the application and not answered yet.
    held: usize,
}

impl Answers {
    /// Hands a received request to the application.
    pub(super) fn hand_out(self: &Arc<Self>, received: Received) -> Request {
        let Received { pdu, needs_answer } = received;
        let responder = needs_answer.then(|| {
            lock(&self.state).held += 1;
            Responder {
                answers: Arc::clone(self),
                sequence_number: pdu.sequence_number,
                command_id: pdu.command_id(),
            }
        });
        Request { pdu, responder }
    }

    /// The answers given since the last call.
    pub(super) fn take(&self) -> Vec<Given> {
        core::mem::take(&mut lock(&self.state).given)
    }

    /// True while answers wait to be sent.
    pub(super) fn any_given(&self) -> bool {
        !lock(&self.state).given.is_empty()
    }

    /// Requests taken by the application and not answered yet.
    pub(super) fn held(&self) -> usize {
        lock(&self.state).held
    }
}

/// Where the answer to one request goes.
#[derive(Debug)]
struct Responder {
    answers: Arc<Answers>,
    sequence_number: u32,
    command_id: CommandId,
}

impl Responder {
    fn answer(self, answer: Answer) {
        let mut state = lock(&self.answers.state);
        state.held = state.held.saturating_sub(1);
        state.given.push(Given {
            sequence_number: self.sequence_number,
            command_id: self.command_id,
            answer,
        });
    }
}

/// A request of the MC (`deliver_sm`, `data_sm`, `alert_notification`)
/// taken with [`Client::recv`](super::Client::recv), to answer with
/// [`Request::respond`].
///
/// The answer goes out with the client's next call that moves the session
/// ([`Client::recv`](super::Client::recv), a send,
/// [`Client::flush`](super::Client::flush), ...). A `Request` is `Send`: it
/// may be answered on another thread, and a client waiting meanwhile looks
/// for the answer every few milliseconds.
///
/// **Default answer:** a `Request` dropped unanswered is answered
/// [`Answer::Ok`] (`ESME_ROK`): the application took it. Requests the
/// application never took are never acknowledged: they get
/// `ESME_RX_T_APPN` when the client unbinds (the MC delivers them again),
/// or nothing when the connection ends. `alert_notification` has no
/// response; answering it does nothing.
///
/// See the example on [`Client::recv`](super::Client::recv).
///
/// The PDU's fields are slices of the frame it came in.
#[derive(Debug)]
pub struct Request {
    pdu: Pdu,
    responder: Option<Responder>,
}

impl Request {
    request_methods!(
        "See the example on [`Client::recv`](super::Client::recv).",
        /// Answers the request.
        ///
        /// See the example on [`Client::recv`](super::Client::recv).
    );
}

impl Drop for Request {
    fn drop(&mut self) {
        if let Some(responder) = self.responder.take() {
            responder.answer(Answer::Ok);
        }
    }
}
