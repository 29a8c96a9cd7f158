//! The peer's requests on their way to the application: each answered
//! once, and only once the application took it.

use core::pin::Pin;
use core::task::{Context, Poll, Waker};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};

use smpp_core::{CommandId, CommandStatus};
use tokio::sync::mpsc;

use super::answer::Answer;
use super::handle::Command;
use super::lock;
use crate::owned::Pdu;

/// Who answers a received request: the running session's command channel.
#[derive(Debug)]
pub(crate) struct Responder {
    pub(crate) commands: mpsc::UnboundedSender<Command>,
    pub(crate) sequence_number: u32,
    pub(crate) command_id: CommandId,
}

impl Responder {
    fn answer(self, answer: Answer) {
        let _ = self.commands.send(Command::Respond {
            sequence_number: self.sequence_number,
            command_id: self.command_id,
            answer: Box::new(answer),
        });
    }
}

/// A request the peer sent (`deliver_sm`, `data_sm`, `alert_notification`
/// to an ESME), to answer with [`Request::respond`].
///
/// **Default answer:** a `Request` the application took from [`Incoming`]
/// and dropped unanswered is answered with [`Answer::Ok`] (`ESME_ROK`), so
/// that no request of the peer is ever left waiting. One the application
/// never took (it dropped `Incoming`) is answered `ESME_RX_T_APPN`: the MC
/// delivers it again later. `alert_notification` gets no response;
/// answering it does nothing.
///
/// The PDU's fields are slices of the frame it came in (no octet was
/// copied).
///
/// See the example on [`Request::respond`].
#[derive(Debug)]
pub struct Request {
    pdu: Pdu,
    responder: Option<Responder>,
    /// The application took it from [`Incoming`].
    taken: bool,
}

impl Request {
    pub(crate) fn new(pdu: Pdu, responder: Option<Responder>) -> Self {
        Self {
            pdu,
            responder,
            taken: false,
        }
    }

    request_methods!(
        "See the example on [`Request::respond`].",
        /// Answers the request.
        ///
        /// An ESME that cannot take a message now: the MC gets its status.
        ///
        /// ```
        /// use std::sync::Arc;
        /// use std::task::{Context as TaskContext, Poll, Waker};
        ///
        /// use smpp_core::session::{BindType, Config};
        /// use smpp_core::{Body, CommandId, CommandStatus};
        /// use smpp_std::server::Server;
        /// use smpp_std::session::Answer;
        /// use smpp_std::{SubmitSmBuilder, client};
        /// # use smpp_std::server::{BindRequest, Context, Handler};
        /// # struct Smsc;
        /// # impl Handler for Smsc {
        /// #     async fn bind(&self, _: &Context, _: &BindRequest) -> CommandStatus { CommandStatus::ESME_ROK }
        /// #     async fn request(&self, _: &Context, _: smpp_std::Pdu) -> Answer { Answer::Ok }
        /// # }
        /// # #[tokio::main(flavor = "current_thread")]
        /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
        /// let server = Server::bind("127.0.0.1:0", Config::mc(), Arc::new(Smsc)).await?;
        /// let addr = server.local_addr()?;
        /// let smsc = server.handle();
        /// tokio::spawn(server.run());
        ///
        /// let config = Config::esme(BindType::Transceiver).with_system_id("shop")?;
        /// let (_esme, mut incoming) = client::connect(addr, config).await?;
        ///
        /// let mo = SubmitSmBuilder::deliver_sm(0)
        ///     .source_addr("447700900123")
        ///     .short_message("Hi")
        ///     .build()?;
        /// let delivering = tokio::spawn(async move { smsc.deliver_to_system_id("shop", mo).await });
        /// let request = incoming.recv().await.expect("a deliver_sm");
        /// assert_eq!(request.command_id(), CommandId::DELIVER_SM);
        /// let Body::DeliverSm(sm) = &request.pdu().body else { panic!("not a deliver_sm") };
        /// assert_eq!(sm.short_message, "Hi");
        /// assert!(request.needs_answer());
        /// request.respond(Answer::Status(CommandStatus::ESME_RX_T_APPN));
        ///
        /// let answer = delivering.await??;
        /// assert_eq!(answer.command_status, CommandStatus::ESME_RX_T_APPN);
        /// // Nothing more waits, and the session is open.
        /// assert!(incoming.try_recv().is_none());
        /// let mut cx = TaskContext::from_waker(Waker::noop());
        /// assert!(matches!(incoming.poll_recv(&mut cx), Poll::Pending));
        /// # Ok(())
        /// # }
        /// ```
    );
}

impl Drop for Request {
    fn drop(&mut self) {
        if let Some(responder) = self.responder.take() {
            responder.answer(if self.taken {
                Answer::Ok
            } else {
                Answer::Status(CommandStatus::ESME_RX_T_APPN)
            });
        }
    }
}

/// Requests kept for the application beyond its inbound window, for
/// `alert_notification`s (which no window counts).
const ALERT_ROOM: usize = 16;

/// What an [`Incoming`] and its session share: the requests the session
/// received and the application has not taken yet, at most as many as the
/// inbound window (plus a few alerts). The session hands over a request
/// only once there is room for it; until then it reads nothing more.
#[derive(Debug)]
pub(crate) struct Inbox {
    state: Mutex<InboxState>,
}

#[derive(Debug)]
struct InboxState {
    queue: VecDeque<Request>,
    capacity: usize,
    /// The application waits for a request.
    receiver: Option<Waker>,
    /// The session waits for room.
    sender: Option<Waker>,
    /// `Incoming` was dropped: nobody takes requests any more.
    receiver_gone: bool,
    /// The session closed: nothing more comes.
    sender_gone: bool,
}

impl Inbox {
    /// Room for `inbound_window` requests (and a few alerts).
    pub(crate) fn new(inbound_window: usize) -> Arc<Self> {
        Arc::new(Self {
            state: Mutex::new(InboxState {
                queue: VecDeque::new(),
                capacity: inbound_window.saturating_add(ALERT_ROOM),
                receiver: None,
                sender: None,
                receiver_gone: false,
                sender_gone: false,
            }),
        })
    }

    /// Whether a request can be handed over now (also when nobody takes
    /// requests any more: [`Self::push`] then gives it back).
    pub(crate) fn poll_room(&self, cx: &mut Context<'_>) -> Poll<()> {
        let mut state = lock(&self.state);
        if state.receiver_gone || state.queue.len() < state.capacity {
            Poll::Ready(())
        } else {
            state.sender = Some(cx.waker().clone());
            Poll::Pending
        }
    }

    /// Hands a request over. When nobody takes requests any more it is
    /// dropped untaken, which answers it `ESME_RX_T_APPN`.
    pub(crate) fn push(&self, request: Request) {
        let mut state = lock(&self.state);
        if state.receiver_gone || state.sender_gone {
            drop(state);
            drop(request);
            return;
        }
        state.queue.push_back(request);
        let waker = state.receiver.take();
        drop(state);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    /// The session closed: requests not taken yet can no longer be
    /// answered, and are dropped (the MC delivers them again); the
    /// application's next wait ends.
    pub(crate) fn close(&self) {
        self.end(|state| {
            state.sender_gone = true;
            state.receiver.take()
        });
    }

    /// One side is gone, as `mark` records (giving the other side's
    /// waker): the requests waiting are dropped, out of the lock (each
    /// answers as its `Drop` says), and the other side is woken.
    fn end(&self, mark: impl FnOnce(&mut InboxState) -> Option<Waker>) {
        let mut state = lock(&self.state);
        let waker = mark(&mut state);
        let left = core::mem::take(&mut state.queue);
        drop(state);
        drop(left);
        if let Some(waker) = waker {
            waker.wake();
        }
    }

    fn poll_take(&self, cx: &mut Context<'_>) -> Poll<Option<Request>> {
        let mut state = lock(&self.state);
        if let Some(mut request) = state.queue.pop_front() {
            request.taken = true;
            if state.queue.is_empty() && state.queue.capacity() > ALERT_ROOM {
                state.queue = VecDeque::new();
            }
            let waker = state.sender.take();
            drop(state);
            if let Some(waker) = waker {
                waker.wake();
            }
            return Poll::Ready(Some(request));
        }
        if state.sender_gone {
            return Poll::Ready(None);
        }
        state.receiver = Some(cx.waker().clone());
        Poll::Pending
    }

    /// `Incoming` is gone: requests waiting are answered `ESME_RX_T_APPN`
    /// (not taken), and the session stops waiting for room.
    fn receiver_gone(&self) {
        self.end(|state| {
            state.receiver_gone = true;
            state.sender.take()
        });
    }
}

/// The requests an ESME receives: a stream of [`Request`]s, ending when the
/// session closes.
///
/// **Flow control:** the session hands over a request only when it has room
/// here (the inbound window, [`Config::with_inbound_window`](smpp_core::session::Config::with_inbound_window),
/// plus a few `alert_notification`s), and reads nothing more from the MC
/// meanwhile: an application that is slow to take requests slows the MC
/// down through TCP, and no request is refused or lost for it. A request is
/// acknowledged only once the application took it: answered by
/// [`Request::respond`], or `ESME_ROK` when dropped.
///
/// When `Incoming` is dropped, requests still coming are answered
/// `ESME_RX_T_APPN` by the session (the MC delivers them again later;
/// `alert_notification`s are dropped). So are the requests not taken yet
/// once the session is unbound (its unbind answered, or the MC's): the
/// session then waits for the answers of the requests already taken (at
/// most the `response_timer`) and closes. Requests not taken when the
/// session closes otherwise are dropped unanswered: their answer could no
/// longer be sent, so the MC delivers them again. While `Incoming` lives,
/// the session does: it keeps it bound even when every
/// [`Handle`](super::Handle) is gone.
///
/// See the example on [`Request::respond`].
#[derive(Debug)]
pub struct Incoming {
    inbox: Arc<Inbox>,
    _session: mpsc::UnboundedSender<Command>,
}

impl Incoming {
    pub(crate) fn new(inbox: Arc<Inbox>, session: mpsc::UnboundedSender<Command>) -> Self {
        Self {
            inbox,
            _session: session,
        }
    }

    /// The next request; `None` once the session is closed.
    ///
    /// See the example on [`Request::respond`].
    pub async fn recv(&mut self) -> Option<Request> {
        core::future::poll_fn(|cx| self.inbox.poll_take(cx)).await
    }

    /// The next request if one is waiting.
    ///
    /// See the example on [`Request::respond`].
    pub fn try_recv(&mut self) -> Option<Request> {
        match self
            .inbox
            .poll_take(&mut Context::from_waker(Waker::noop()))
        {
            Poll::Ready(request) => request,
            Poll::Pending => None,
        }
    }

    /// Polls for the next request (see [`Incoming::recv`]).
    ///
    /// See the example on [`Request::respond`].
    pub fn poll_recv(&mut self, cx: &mut Context<'_>) -> Poll<Option<Request>> {
        self.inbox.poll_take(cx)
    }
}

impl Drop for Incoming {
    fn drop(&mut self) {
        self.inbox.receiver_gone();
    }
}

impl futures_core::Stream for Incoming {
    type Item = Request;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Request>> {
        self.inbox.poll_take(cx)
    }
}
