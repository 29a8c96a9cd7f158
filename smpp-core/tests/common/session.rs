//! What the session engine tests share.

use core::time::Duration;

use smpp_core::session::{Event, Session, Storage, Timers};
use smpp_core::{Body, COctet, Header, SubmitSm, SubmitSmResp, Tlvs};

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

/// Every event `s` has for the application.
pub(crate) fn events<S: Storage>(s: &mut Session<S>) -> Vec<Event> {
    core::iter::from_fn(|| s.poll_event()).collect()
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

/// A `submit_sm_resp` with `id`.
pub(crate) fn message_id(id: &str) -> Body<&[u8]> {
    Body::SubmitSmResp(Some(SubmitSmResp {
        message_id: COctet::from(id),
        tlvs: Tlvs::EMPTY,
    }))
}
