//! The seed scripts of the `session` target.

use super::session::{SessionOp, SessionScript};

use SessionOp::{
    Bind, End, Flush, Outbind, PartialFlush, PeerAnswer, PeerRequest, Raw, Respond, Send, Timeout,
    Unbind,
};

// Configuration octets (see `SessionScript`).
const ESME_TRX_V34: u8 = 0x08;
const ESME_RX_V34: u8 = 0x04;
const ESME_TRX_V50: u8 = 0x0A;
const MC_V50: u8 = 0x03;
const MC_V34: u8 = 0x01;
const WITH_TIMERS: u8 = 0x70;
const NEAR_WRAP: u8 = 0x80;
// Window octet bit (see `SessionScript`): refuse beyond the inbound window
// instead of waiting.
const REFUSE_BEYOND_INBOUND: u8 = 0x40;

fn script(config: u8, window: u8, ops: Vec<SessionOp<'_>>) -> SessionScript<'_> {
    SessionScript {
        config,
        window,
        ops,
    }
}

/// ESME: bind and the MC's answer.
fn esme_bound() -> Vec<SessionOp<'static>> {
    vec![Bind(0), Flush, PeerAnswer(0, 0)]
}

/// MC: a `bind_transceiver` from the ESME, accepted.
fn mc_bound() -> Vec<SessionOp<'static>> {
    vec![PeerRequest(8, 0), Bind(0), Flush]
}

/// An ESME floods `submit_sm` against a window of 3, gets receipts,
/// unbinds.
fn flood() -> SessionScript<'static> {
    let mut ops = esme_bound();
    for _ in 0..3 {
        ops.extend([Send(0), Send(0), Send(0), Send(0), Send(0), Flush]);
        ops.extend([PeerAnswer(0, 0), PeerAnswer(1, 0), PeerAnswer(0, 2)]);
        ops.extend([PeerRequest(1, 0), Respond(0, 0), Flush]);
    }
    ops.extend([Unbind, Flush, PeerAnswer(0, 0)]);
    script(ESME_TRX_V34, 3, ops)
}

/// An MC throttles a flood, answers in every way, delivers, is unbound.
fn mc_throttle() -> SessionScript<'static> {
    let mut ops = mc_bound();
    for kind in [0, 0, 0, 0, 0, 3, 11, 12] {
        ops.push(PeerRequest(kind, 0));
    }
    ops.extend([Respond(0, 0), Respond(0, 1), Respond(0, 2), Respond(0, 3)]);
    ops.extend([Send(1), Send(2), Send(5), Flush]);
    ops.extend([PeerAnswer(0, 0), PeerAnswer(0, 3)]);
    ops.extend([PeerRequest(5, 0), Flush, End(1)]);
    // A window of 4 and an inbound window of 3, refused beyond.
    script(MC_V50, REFUSE_BEYOND_INBOUND | (2 << 2) | 3, ops)
}

/// A `submit_sm` times out (and is answered late); `enquire_link` every
/// 3 s is answered, yet the inactivity timer unbinds at 20 s.
fn inactivity() -> SessionScript<'static> {
    let mut ops = esme_bound();
    ops.extend([Send(0), Flush]);
    for _ in 0..9 {
        ops.extend([Timeout, Flush, PeerAnswer(1, 0)]);
    }
    script(ESME_TRX_V50 | WITH_TIMERS, 1, ops)
}

/// An `enquire_link` goes unanswered.
fn silent_peer() -> SessionScript<'static> {
    let mut ops = esme_bound();
    ops.extend([Send(0), Flush]);
    for _ in 0..4 {
        ops.extend([Timeout, Flush]);
    }
    ops.push(Timeout);
    script(ESME_TRX_V50 | WITH_TIMERS, 1, ops)
}

/// The peer stops reading: what is queued never leaves, and the write
/// timer closes the session.
fn deaf_peer() -> SessionScript<'static> {
    let mut ops = esme_bound();
    ops.extend([Send(0), Send(0), PeerRequest(1, 0), Respond(0, 0)]);
    ops.extend([Timeout, Timeout, Timeout]);
    script(ESME_TRX_V34, 1, ops)
}

/// The peer half-closes after its requests: the application's request
/// is given up (one written, one not), the peer's are answered, then the
/// session closes.
fn half_close() -> SessionScript<'static> {
    let mut ops = mc_bound();
    ops.extend([
        PeerRequest(0, 0),
        PeerRequest(0, 0),
        Send(1),
        Flush,
        Send(1),
    ]);
    ops.extend([End(3), Respond(0, 0), Flush, Respond(0, 0), Flush]);
    script(MC_V34, (2 << 2) | 1, ops)
}

/// Sequence numbers from 0x7FFFFFF0 wrap to 1.
fn wrap() -> SessionScript<'static> {
    let mut ops = esme_bound();
    for _ in 0..10 {
        ops.extend([Send(0), Send(3), Flush, PeerAnswer(1, 0), PeerAnswer(0, 0)]);
    }
    script(ESME_TRX_V34 | NEAR_WRAP, 1, ops)
}

/// An ESME gets PDUs before its bind, an outbind, a refused bind, then
/// binds and gets binds and outbind again.
fn wrong_state() -> SessionScript<'static> {
    let ops = vec![
        PeerRequest(1, 0),
        PeerRequest(0, 0),
        PeerRequest(6, 0),
        Send(0),
        Outbind,
        PeerRequest(9, 0),
        Bind(0),
        Flush,
        PeerAnswer(0, 1),
        Bind(0),
        Flush,
        PeerAnswer(0, 0),
        PeerRequest(7, 0),
        PeerRequest(9, 0),
        Flush,
    ];
    script(ESME_TRX_V50, 0, ops)
}

/// A bound MC gets malformed frames and a reused sequence number, writes
/// partially, then meets a framing error.
fn malformed() -> SessionScript<'static> {
    let mut ops = mc_bound();
    ops.extend([
        Raw(&[0, 0, 0, 16, 0, 0]),
        Raw(&[0, 0, 0, 20, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 7]),
        Raw(&[0, 0, 0, 16, 0, 0, 0, 0x99, 0, 0, 0, 0, 0, 0, 0, 8]),
        Raw(&[0, 0, 0, 17, 0, 0, 0, 0x04, 0, 0, 0, 0, 0, 0, 0, 9, 0]),
        PeerRequest(0, 3),
        PeerRequest(0, 3),
        Flush,
        PartialFlush(7),
        PartialFlush(100),
        End(2),
    ]);
    // An inbound window of 2, so that the reused number meets the first.
    script(MC_V34, (1 << 2) | 2, ops)
}

/// A receiver gets an alert, a delivery and a refused `submit_sm`.
fn receiver() -> SessionScript<'static> {
    let ops = vec![
        Bind(0),
        Flush,
        PeerAnswer(0, 0),
        PeerRequest(10, 0),
        PeerRequest(1, 0),
        PeerRequest(0, 0),
        Respond(0, 0),
        Send(0),
        Flush,
        End(1),
    ];
    script(ESME_RX_V34, 2, ops)
}

/// An MC refuses a bind, accepts the next, and its timers run.
fn transmitter() -> SessionScript<'static> {
    let ops = vec![
        PeerRequest(6, 0),
        Bind(1),
        Flush,
        PeerRequest(6, 0),
        Bind(0),
        Flush,
        PeerRequest(0, 0),
        PeerRequest(1, 0),
        Respond(0, 0),
        Flush,
        Timeout,
        Flush,
        PeerAnswer(0, 0),
        Timeout,
        Timeout,
        Flush,
        Timeout,
        Timeout,
    ];
    script(MC_V34 | WITH_TIMERS, 2, ops)
}

/// The MC connects and asks the ESME to bind.
fn outbind() -> SessionScript<'static> {
    let ops = vec![
        Outbind,
        Flush,
        PeerRequest(7, 0),
        Bind(0),
        Flush,
        Send(5),
        Send(1),
        Flush,
        PeerAnswer(0, 0),
        Unbind,
        Flush,
        PeerAnswer(0, 0),
    ];
    script(MC_V50, 2, ops)
}

/// Every golden vector (`vectors`) sent to a bound session.
fn vectors_to<'a>(
    bound: Vec<SessionOp<'a>>,
    vectors: &'a [(String, Vec<u8>)],
) -> Vec<SessionOp<'a>> {
    let mut ops = bound;
    for (_, bytes) in vectors {
        ops.extend([Raw(bytes), Flush]);
    }
    ops
}

/// The `session` seeds, by file name: scripted sessions of both sides
/// (bind, a flood against the window, receipts, timers, unbind both ways,
/// outbind, wrong-state and malformed PDUs, the sequence wrap), and every
/// golden vector of `vectors` sent to a bound ESME and a bound MC.
pub fn session_seeds(vectors: &[(String, Vec<u8>)]) -> Vec<(&'static str, SessionScript<'_>)> {
    vec![
        ("esme_flood_receipts_unbind", flood()),
        ("mc_throttle_deliver_unbound", mc_throttle()),
        ("esme_enquire_link_inactivity", inactivity()),
        ("esme_enquire_link_unanswered", silent_peer()),
        ("esme_peer_stops_reading", deaf_peer()),
        ("mc_peer_half_closes", half_close()),
        ("mc_outbind_receiver", outbind()),
        ("esme_sequence_wrap", wrap()),
        ("esme_wrong_state_outbind", wrong_state()),
        ("mc_malformed_duplicates", malformed()),
        ("esme_receiver_alerts", receiver()),
        ("mc_transmitter_timers", transmitter()),
        (
            "esme_golden_vectors",
            script(ESME_TRX_V50, 3, vectors_to(esme_bound(), vectors)),
        ),
        (
            "mc_golden_vectors",
            script(MC_V50, 3, vectors_to(mc_bound(), vectors)),
        ),
    ]
}
