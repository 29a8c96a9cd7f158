//! What both session loops, the tokio driver and the blocking client, do
//! with the octets a peer sent: the engine they run, the read buffer, the
//! frames cut from it, and the frame held back while the engine or the
//! application has no room for it.

use core::time::Duration;

use bytes::BytesMut;
use smpp_core::session::{Heap, Millis, Session, SessionError};

use crate::frame::{Frame, FrameDecoder};
use crate::owned::Pdu;

/// The most requests a session may have outstanding each way: the cap on
/// [`Config::with_window`](smpp_core::session::Config::with_window) and
/// [`Config::with_inbound_window`](smpp_core::session::Config::with_inbound_window).
pub(crate) const WINDOW_CAPACITY: usize = 65_536;

/// The most octets the engine queues for sending: room for many PDUs of
/// the largest size the frame decoder accepts (70,000 octets).
pub(crate) const TRANSMIT_CAPACITY: usize = 1 << 20;

/// Octets queued for sending beyond which a session takes no request or
/// answer of the application and hands the engine no request of the peer
/// until writing brought it below.
pub(crate) const HIGH_WATER: usize = 64 * 1024;

/// Octets the engine keeps free in the transmit queue for its own PDUs.
pub(crate) const RESERVE: usize = 64;

/// The largest PDU a session sends: what the transmit queue holds beyond
/// [`HIGH_WATER`] and the engine's reserve.
pub(crate) const MAX_PDU: usize = TRANSMIT_CAPACITY - HIGH_WATER - RESERVE;

/// Octets read from the connection at most per read.
pub(crate) const READ_CHUNK: usize = 16 * 1024;

/// Octets read ahead of the engine at most: beyond, nothing more is read
/// until frames were taken.
pub(crate) const READ_AHEAD: usize = 64 * 1024;

/// The engine, its lists and queue on the heap, grown as used.
pub(crate) type Engine = Session<Heap<WINDOW_CAPACITY, TRANSMIT_CAPACITY>>;

/// The octets read and not yet handed to the engine.
#[derive(Default)]
pub(crate) struct Inbound {
    /// What was read and not yet framed.
    pub(crate) rbuf: BytesMut,
    decoder: FrameDecoder,
    /// A frame the engine or the application has no room for yet.
    held: Option<Frame>,
}

/// The reading side of the connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Input {
    /// The peer may still send.
    Open,
    /// End of stream, a framing error or a read error: nothing more is
    /// read.
    Ended,
    /// Ended, and the engine was told once every frame was taken.
    Reported,
}

/// Octets that cannot be framed came in; the engine was told.
pub(crate) struct Unframed;

impl Inbound {
    /// True while more may be read: no frame is held and not too much is
    /// read ahead.
    pub(crate) fn wants_input(&self) -> bool {
        self.held.is_none() && self.rbuf.len() < READ_AHEAD
    }

    /// True once every complete frame read was handed over: what is left
    /// (if anything) is the start of a frame whose rest never came.
    pub(crate) fn framed_all(&self) -> bool {
        self.held.is_none()
            && self
                .decoder
                .missing(&self.rbuf)
                .is_none_or(|missing| missing > 0)
    }

    /// The next frame: the one held back, else the next complete one read.
    /// Octets that cannot be framed are the engine's to answer (it closes
    /// the session): `Err` once it was told.
    pub(crate) fn next_frame(&mut self, engine: &mut Engine) -> Result<Option<Frame>, Unframed> {
        if let Some(frame) = self.held.take() {
            return Ok(Some(frame));
        }
        self.decoder.decode(&mut self.rbuf).map_err(|error| {
            engine.handle_framing_error(error);
            Unframed
        })
    }

    /// Keeps `frame` to be the next one again.
    pub(crate) fn hold(&mut self, frame: Frame) {
        self.held = Some(frame);
    }

    /// Hands `frame` to the engine: the request or response it carried if
    /// the engine took it (`Some(None)` when the application is not to see
    /// it), its fields slices of the frame (no copy); `None` if the engine
    /// has no room for it now (it is held, and given again once the
    /// application answered, octets left, or events were taken) or refused
    /// it (and closed or answered it itself).
    #[allow(clippy::option_option)]
    pub(crate) fn hand_over(
        &mut self,
        engine: &mut Engine,
        frame: Frame,
        now: Millis,
    ) -> Option<Option<Pdu>> {
        match engine.handle_frame(&frame.bytes, now) {
            Ok(pdu) => Some(pdu.map(|pdu| pdu.map(|s| frame.bytes.slice_ref(s)))),
            Err(
                SessionError::InboundWindowFull
                | SessionError::TransmitQueueFull { .. }
                | SessionError::EventQueueFull,
            ) => {
                self.held = Some(frame);
                None
            }
            Err(_) => None,
        }
    }

    /// Gives the read buffer back once nothing is left to frame (frames
    /// still in use keep their own part of it alive).
    pub(crate) fn release_if_empty(&mut self) {
        if self.rbuf.is_empty() && self.rbuf.capacity() > 0 {
            self.rbuf = BytesMut::new();
        }
    }

    /// Drops what was read and the frame held: nothing more is handed over.
    pub(crate) fn clear(&mut self) {
        *self = Self::default();
    }
}

/// An instant of the clock a session loop runs on: the standard library's
/// for the blocking client, tokio's (which tests may pause) for the driver.
pub(crate) trait Moment: Copy {
    /// The present.
    fn now() -> Self;
    /// The time since `self`.
    fn elapsed(self) -> Duration;
    /// `self` plus `after`, if that can be told.
    fn checked_add(self, after: Duration) -> Option<Self>;
}

/// Implements [`Moment`] with the instant type's own methods.
macro_rules! moment {
    ($($(#[$cfg:meta])* $instant:ty),*) => {$(
        $(#[$cfg])*
        impl Moment for $instant {
            fn now() -> Self {
                Self::now()
            }
            fn elapsed(self) -> Duration {
                Self::elapsed(&self)
            }
            fn checked_add(self, after: Duration) -> Option<Self> {
                Self::checked_add(&self, after)
            }
        }
    )*};
}

moment!(
    std::time::Instant,
    #[cfg(feature = "tokio")]
    tokio::time::Instant
);

/// The caller's clock for the engine: milliseconds since the session began.
#[derive(Debug)]
pub(crate) struct Clock<I> {
    /// The engine's zero.
    pub(crate) start: I,
}

impl<I: Moment> Clock<I> {
    /// A clock whose zero is now.
    pub(crate) fn start() -> Self {
        Self { start: I::now() }
    }

    /// The engine's time now.
    pub(crate) fn now(&self) -> Millis {
        Millis(u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX))
    }

    /// The instant the engine's time `at` stands for (a day from now if it
    /// cannot be told).
    pub(crate) fn instant(&self, at: Millis) -> I {
        self.start
            .checked_add(Duration::from_millis(at.0))
            .or_else(|| I::now().checked_add(Duration::from_secs(86_400)))
            .unwrap_or(self.start)
    }
}
