//! What the session engine tests share.

use core::time::Duration;

use smpp_core::CommandStatus;
use smpp_core::session::{CloseReason, Config, Event, Millis, Session, Storage, Timers};
use smpp_core::{Body, COctet, DeliverSm, Header, SubmitSm, SubmitSmResp, Tlvs, frame_len};

/// No timer but the response timer (10 s).
pub(crate) fn no_timers() -> Timers {
    Timers {
        session_init_timer: None,
        enquire_link_timer: None,
        inactivity_timer: None,
        response_timer: Duration::from_secs(10),
        write_timer: None,
    }
}

/// The frames of `bytes`, which holds whole PDUs only.
pub(crate) fn frames_of(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut frames = Vec::new();
    let mut rest = bytes;
    while let Some(len) = frame_len(rest, u32::MAX).unwrap() {
        frames.push(rest[..len].to_vec());
        rest = &rest[len..];
    }
    assert!(rest.is_empty(), "whole PDUs only");
    frames
}

/// Every event `s` has for the application.
pub(crate) fn events<S: Storage>(s: &mut Session<S>) -> Vec<Event> {
    core::iter::from_fn(|| s.poll_event()).collect()
}

/// The only event `s` has is that it closed for `reason`.
pub(crate) fn assert_closed<S: Storage>(s: &mut Session<S>, reason: CloseReason) {
    assert_eq!(events(s), [Event::Closed(reason)]);
}

pub(crate) fn header(frame: &[u8]) -> Header {
    Header::parse(frame).unwrap()
}

/// A `submit_sm` of `text`.
pub(crate) fn submit(text: &str) -> Body<&[u8]> {
    Body::SubmitSm(SubmitSm {
        source_addr: COctet::from("12025550100"),
        destination_addr: COctet::from("447700900123"),
        short_message: text.as_bytes(),
        ..SubmitSm::default()
    })
}

/// A `deliver_sm` with every field at its default.
pub(crate) fn deliver_sm() -> Body<&'static [u8]> {
    Body::DeliverSm(DeliverSm::default())
}

/// A `submit_sm_resp` with `id`.
pub(crate) fn message_id(id: &str) -> Body<&[u8]> {
    Body::SubmitSmResp(Some(SubmitSmResp {
        message_id: COctet::from(id),
        tlvs: Tlvs::EMPTY,
    }))
}

/// An ESME and an MC engine wired to each other in memory: what one side
/// transmits (taken from it by `take`), the other handles, at `now`.
pub(crate) struct Link<S: Storage> {
    pub(crate) esme: Session<S>,
    pub(crate) mc: Session<S>,
    pub(crate) now: Millis,
    take: fn(&mut Session<S>, Millis) -> Vec<Vec<u8>>,
}

impl<S: Storage> Link<S> {
    /// Sessions of `esme` and `mc` opened at `now`, not bound; `take` takes
    /// the frames a side has queued, one each.
    pub(crate) fn new(
        esme: Config,
        mc: Config,
        now: Millis,
        take: fn(&mut Session<S>, Millis) -> Vec<Vec<u8>>,
    ) -> Self {
        Self {
            esme: Session::new(esme, now),
            mc: Session::new(mc, now),
            now,
            take,
        }
    }

    /// Binds the ESME as its configuration says: the MC is asked for that
    /// bind type and accepts it, both sides end bound, with both event
    /// queues empty.
    pub(crate) fn bind(mut self) -> Self {
        let seq = self.esme.bind(self.now).unwrap();
        self.esme_to_mc();
        let bind = self.esme.config().bind_type();
        assert!(matches!(
            events(&mut self.mc)[..],
            [Event::BindRequest { sequence_number, bind_type, .. }]
                if sequence_number == seq && bind_type == bind
        ));
        self.mc
            .accept_bind(CommandStatus::ESME_ROK, self.now)
            .unwrap();
        self.mc_to_esme();
        assert_eq!(
            events(&mut self.esme),
            [Event::BindResult {
                bind_type: bind,
                command_status: CommandStatus::ESME_ROK
            }]
        );
        assert_eq!(self.esme.state(), bind.bound_state());
        assert_eq!(self.mc.state(), bind.bound_state());
        self
    }

    /// Hands every frame the ESME queued to the MC; returns the frames.
    pub(crate) fn esme_to_mc(&mut self) -> Vec<Vec<u8>> {
        let frames = (self.take)(&mut self.esme, self.now);
        for frame in &frames {
            self.mc.handle_frame(frame, self.now).unwrap();
        }
        frames
    }

    /// Hands every frame the MC queued to the ESME; returns the frames.
    pub(crate) fn mc_to_esme(&mut self) -> Vec<Vec<u8>> {
        let frames = (self.take)(&mut self.mc, self.now);
        for frame in &frames {
            self.esme.handle_frame(frame, self.now).unwrap();
        }
        frames
    }
}
