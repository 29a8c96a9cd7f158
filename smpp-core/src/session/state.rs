//! Session states and the operation matrix: which PDU each side may send in
//! which state (SMPP v3.4 2.2 and Table 2-1; v5.0 2.3 and Table 2-1).

use core::fmt;

use crate::command_id::CommandId;
use crate::command_status::CommandStatus;
pub use crate::values::Version;

/// The state of an SMPP session (SMPP v5.0 2.3).
///
/// SMPP v3.4 knows `OPEN`, the three bound states and `CLOSED`; v5.0 adds
/// `OUTBOUND` and `UNBOUND`. The engine uses `UNBOUND` in both versions for
/// the time between the unbind exchange and the end of the connection (in
/// v3.4 the operation matrix allows nothing there).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SessionState {
    /// `OPEN`: connected, not bound yet (v5.0 2.3.1).
    Open,
    /// `OUTBOUND`: the MC connected to the ESME and sent `outbind`; the ESME
    /// is to bind (v5.0 2.3.7, v5.0 only).
    Outbound,
    /// `BOUND_TX`: bound as a transmitter (v5.0 2.3.2).
    BoundTx,
    /// `BOUND_RX`: bound as a receiver (v5.0 2.3.3).
    BoundRx,
    /// `BOUND_TRX`: bound as a transceiver (v5.0 2.3.4).
    BoundTrx,
    /// `UNBOUND`: an `unbind` was answered; the connection is about to
    /// close (v5.0 2.3.5).
    Unbound,
    /// `CLOSED`: the connection is closed (v5.0 2.3.6).
    Closed,
}

impl SessionState {
    /// Every state, in the order of the specification's list.
    pub const ALL: [Self; 7] = [
        Self::Open,
        Self::Outbound,
        Self::BoundTx,
        Self::BoundRx,
        Self::BoundTrx,
        Self::Unbound,
        Self::Closed,
    ];

    /// The state's name in the specification (`BOUND_TRX`).
    pub const fn name(self) -> &'static str {
        match self {
            Self::Open => "OPEN",
            Self::Outbound => "OUTBOUND",
            Self::BoundTx => "BOUND_TX",
            Self::BoundRx => "BOUND_RX",
            Self::BoundTrx => "BOUND_TRX",
            Self::Unbound => "UNBOUND",
            Self::Closed => "CLOSED",
        }
    }

    /// True in `BOUND_TX`, `BOUND_RX` and `BOUND_TRX`.
    pub const fn is_bound(self) -> bool {
        matches!(self, Self::BoundTx | Self::BoundRx | Self::BoundTrx)
    }

    /// The bind of a bound state.
    pub const fn bind_type(self) -> Option<BindType> {
        match self {
            Self::BoundTx => Some(BindType::Transmitter),
            Self::BoundRx => Some(BindType::Receiver),
            Self::BoundTrx => Some(BindType::Transceiver),
            _ => None,
        }
    }

    const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

display_name!(SessionState);

/// How an ESME binds: `bind_transmitter`, `bind_receiver` or
/// `bind_transceiver`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BindType {
    /// `bind_transmitter`: the ESME submits messages (`BOUND_TX`).
    Transmitter,
    /// `bind_receiver`: the MC delivers messages (`BOUND_RX`).
    Receiver,
    /// `bind_transceiver`: both (`BOUND_TRX`).
    Transceiver,
}

impl BindType {
    /// The bind request's `command_id`.
    pub const fn command_id(self) -> CommandId {
        match self {
            Self::Transmitter => CommandId::BIND_TRANSMITTER,
            Self::Receiver => CommandId::BIND_RECEIVER,
            Self::Transceiver => CommandId::BIND_TRANSCEIVER,
        }
    }

    /// The bind of a bind request or response `command_id`.
    pub const fn from_command_id(command_id: CommandId) -> Option<Self> {
        match command_id.request() {
            CommandId::BIND_TRANSMITTER => Some(Self::Transmitter),
            CommandId::BIND_RECEIVER => Some(Self::Receiver),
            CommandId::BIND_TRANSCEIVER => Some(Self::Transceiver),
            _ => None,
        }
    }

    /// The state a successful bind enters.
    pub const fn bound_state(self) -> SessionState {
        match self {
            Self::Transmitter => SessionState::BoundTx,
            Self::Receiver => SessionState::BoundRx,
            Self::Transceiver => SessionState::BoundTrx,
        }
    }
}

/// The side of the session: the ESME (the application that binds) or the
/// MC (the message centre, "SMSC" in v3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// External Short Message Entity: binds to the MC.
    Esme,
    /// Message Centre: accepts binds.
    Mc,
}

impl Role {
    /// The other side.
    #[must_use]
    pub const fn peer(self) -> Self {
        match self {
            Self::Esme => Self::Mc,
            Self::Mc => Self::Esme,
        }
    }
}

/// Whether a PDU is sent by this side or received from the peer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    /// This side sends it.
    Sent,
    /// The peer sent it.
    Received,
}

/// A set of [`SessionState`]s.
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct StateSet(u8);

impl StateSet {
    /// No state.
    pub const EMPTY: Self = Self(0);

    /// The set of the given states.
    pub const fn of(states: &[SessionState]) -> Self {
        let mut bits = 0;
        let mut rest = states;
        while let [state, tail @ ..] = rest {
            bits |= state.bit();
            rest = tail;
        }
        Self(bits)
    }

    /// True if `state` is in the set.
    pub const fn contains(self, state: SessionState) -> bool {
        self.0 & state.bit() != 0
    }

    /// True for the empty set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The states of the set, in [`SessionState::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = SessionState> {
        SessionState::ALL
            .into_iter()
            .filter(move |&s| self.contains(s))
    }
}

impl fmt::Debug for StateSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

/// Why a PDU may not be sent or received in a state, and what answers it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Refusal {
    /// `ESME_RINVBNDSTS` (incorrect bind status) in general;
    /// `ESME_RALYBND` for a bind on a bound session; `ESME_RINVCMDID` for a
    /// `command_id` the version does not define.
    pub command_status: CommandStatus,
    /// What answers the PDU: the request's own response, `generic_nack` for
    /// a request that has none (`outbind`, `alert_notification`) and for a
    /// `command_id` the version does not define, nothing for a response
    /// (responses are never answered).
    pub reply: Option<CommandId>,
}

impl Refusal {
    /// The refusal of a `command_id` the version does not define.
    const fn unknown() -> Self {
        Self {
            command_status: CommandStatus::ESME_RINVCMDID,
            reply: Some(CommandId::GENERIC_NACK),
        }
    }

    /// The refusal of a known `command_id` outside its states.
    fn wrong_state(command_id: CommandId, state: SessionState) -> Self {
        let command_status = if BindType::from_command_id(command_id).is_some()
            && !command_id.is_response()
            && state.is_bound()
        {
            CommandStatus::ESME_RALYBND
        } else {
            CommandStatus::ESME_RINVBNDSTS
        };
        let reply = if command_id.is_response() {
            None
        } else if command_id.expects_response() {
            Some(command_id.response())
        } else {
            Some(CommandId::GENERIC_NACK)
        };
        Self {
            command_status,
            reply,
        }
    }
}

/// One row of the operation matrix: where each side may send a PDU.
#[derive(Clone, Copy, Debug)]
struct Row {
    command_id: CommandId,
    /// v3.4: sent by the ESME, by the MC.
    v34: [StateSet; 2],
    /// v5.0: sent by the ESME, by the MC.
    v50: [StateSet; 2],
}

impl Row {
    const fn states(self, sender: Role, version: Version) -> StateSet {
        let [esme, mc] = match version {
            Version::V34 => self.v34,
            Version::V50 => self.v50,
        };
        match sender {
            Role::Esme => esme,
            Role::Mc => mc,
        }
    }
}

const NONE: StateSet = StateSet::EMPTY;
const OPEN: StateSet = StateSet::of(&[SessionState::Open]);
const OPEN_OUTBOUND: StateSet = StateSet::of(&[SessionState::Open, SessionState::Outbound]);
const TX: StateSet = StateSet::of(&[SessionState::BoundTx]);
const TX_TRX: StateSet = StateSet::of(&[SessionState::BoundTx, SessionState::BoundTrx]);
const RX_TRX: StateSet = StateSet::of(&[SessionState::BoundRx, SessionState::BoundTrx]);
const BOUND: StateSet = StateSet::of(&[
    SessionState::BoundTx,
    SessionState::BoundRx,
    SessionState::BoundTrx,
]);
/// Every state but `CLOSED`.
const ANY: StateSet = StateSet::of(&[
    SessionState::Open,
    SessionState::Outbound,
    SessionState::BoundTx,
    SessionState::BoundRx,
    SessionState::BoundTrx,
    SessionState::Unbound,
]);

const fn row(id: CommandId, v34: [StateSet; 2], v50: [StateSet; 2]) -> Row {
    Row {
        command_id: id,
        v34,
        v50,
    }
}

/// The operation matrix, one row per `command_id`: for v3.4 and v5.0, the
/// states in which the ESME and the MC may send the PDU (v3.4 Table 2-1,
/// v5.0 Table 2-1). An empty set: that side never sends it.
#[rustfmt::skip]
const TABLE: [Row; 33] = [
    //   command_id                                  v3.4 [ESME, MC]      v5.0 [ESME, MC]
    row(CommandId::GENERIC_NACK,                     [BOUND, BOUND],      [ANY, ANY]),
    row(CommandId::BIND_RECEIVER,                    [OPEN, NONE],        [OPEN_OUTBOUND, NONE]),
    row(CommandId::BIND_RECEIVER_RESP,               [NONE, OPEN],        [NONE, OPEN_OUTBOUND]),
    row(CommandId::BIND_TRANSMITTER,                 [OPEN, NONE],        [OPEN_OUTBOUND, NONE]),
    row(CommandId::BIND_TRANSMITTER_RESP,            [NONE, OPEN],        [NONE, OPEN_OUTBOUND]),
    row(CommandId::QUERY_SM,                         [TX_TRX, NONE],      [TX_TRX, NONE]),
    row(CommandId::QUERY_SM_RESP,                    [NONE, TX_TRX],      [NONE, TX_TRX]),
    row(CommandId::SUBMIT_SM,                        [TX_TRX, NONE],      [TX_TRX, NONE]),
    row(CommandId::SUBMIT_SM_RESP,                   [NONE, TX_TRX],      [NONE, TX_TRX]),
    row(CommandId::DELIVER_SM,                       [NONE, RX_TRX],      [NONE, RX_TRX]),
    row(CommandId::DELIVER_SM_RESP,                  [RX_TRX, NONE],      [RX_TRX, NONE]),
    row(CommandId::UNBIND,                           [BOUND, BOUND],      [BOUND, BOUND]),
    row(CommandId::UNBIND_RESP,                      [BOUND, BOUND],      [BOUND, BOUND]),
    row(CommandId::REPLACE_SM,                       [TX, NONE],          [TX_TRX, NONE]),
    row(CommandId::REPLACE_SM_RESP,                  [NONE, TX],          [NONE, TX_TRX]),
    row(CommandId::CANCEL_SM,                        [TX_TRX, NONE],      [TX_TRX, NONE]),
    row(CommandId::CANCEL_SM_RESP,                   [NONE, TX_TRX],      [NONE, TX_TRX]),
    row(CommandId::BIND_TRANSCEIVER,                 [OPEN, NONE],        [OPEN_OUTBOUND, NONE]),
    row(CommandId::BIND_TRANSCEIVER_RESP,            [NONE, OPEN],        [NONE, OPEN_OUTBOUND]),
    row(CommandId::OUTBIND,                          [NONE, OPEN],        [NONE, OPEN]),
    row(CommandId::ENQUIRE_LINK,                     [BOUND, BOUND],      [ANY, ANY]),
    row(CommandId::ENQUIRE_LINK_RESP,                [BOUND, BOUND],      [ANY, ANY]),
    row(CommandId::SUBMIT_MULTI,                     [TX_TRX, NONE],      [TX_TRX, NONE]),
    row(CommandId::SUBMIT_MULTI_RESP,                [NONE, TX_TRX],      [NONE, TX_TRX]),
    row(CommandId::ALERT_NOTIFICATION,               [NONE, RX_TRX],      [NONE, RX_TRX]),
    row(CommandId::DATA_SM,                          [BOUND, BOUND],      [TX_TRX, RX_TRX]),
    row(CommandId::DATA_SM_RESP,                     [BOUND, BOUND],      [RX_TRX, TX_TRX]),
    row(CommandId::BROADCAST_SM,                     [NONE, NONE],        [TX_TRX, NONE]),
    row(CommandId::BROADCAST_SM_RESP,                [NONE, NONE],        [NONE, TX_TRX]),
    row(CommandId::QUERY_BROADCAST_SM,               [NONE, NONE],        [TX_TRX, NONE]),
    row(CommandId::QUERY_BROADCAST_SM_RESP,          [NONE, NONE],        [NONE, TX_TRX]),
    row(CommandId::CANCEL_BROADCAST_SM,              [NONE, NONE],        [TX_TRX, NONE]),
    row(CommandId::CANCEL_BROADCAST_SM_RESP,         [NONE, NONE],        [NONE, TX_TRX]),
];

fn find(command_id: CommandId) -> Option<&'static Row> {
    TABLE.iter().find(|row| row.command_id == command_id)
}

/// The states in which `sender` may send a PDU of `command_id` under
/// `version`: a row of the operation matrix (empty for a `command_id` the
/// version does not define).
///
/// ```
/// use smpp_core::CommandId;
/// use smpp_core::session::{Role, SessionState, Version, allowed_states};
///
/// let states = allowed_states(Role::Esme, Version::V50, CommandId::SUBMIT_SM);
/// assert!(states.contains(SessionState::BoundTrx));
/// assert!(!states.contains(SessionState::BoundRx));
/// // v3.4 requires a bound state for enquire_link; v5.0 allows it unbound.
/// let v34 = allowed_states(Role::Mc, Version::V34, CommandId::ENQUIRE_LINK);
/// let v50 = allowed_states(Role::Mc, Version::V50, CommandId::ENQUIRE_LINK);
/// assert!(!v34.contains(SessionState::Open) && v50.contains(SessionState::Open));
/// ```
pub fn allowed_states(sender: Role, version: Version, command_id: CommandId) -> StateSet {
    find(command_id).map_or(StateSet::EMPTY, |row| row.states(sender, version))
}

/// Whether the side playing `role` may send (or accept from its peer) a
/// PDU of `command_id` in `state`, under the operation matrix of
/// `version`.
///
/// The matrix lists where each side may *send* a PDU, so a received PDU is
/// checked against the peer's column. A refusal says which
/// `command_status` answers the PDU and in which PDU (see [`Refusal`]):
///
/// - a request outside its states: its own response with
///   `ESME_RINVBNDSTS`, or `ESME_RALYBND` for a bind on a bound session;
/// - `outbind` and `alert_notification`, which have no response:
///   `generic_nack` with `ESME_RINVBNDSTS`;
/// - a response outside its states: nothing (`reply` is `None`);
/// - a `command_id` the version does not define (the broadcast operations
///   under v3.4, vendor ids): `generic_nack` with `ESME_RINVCMDID`.
///
/// This is the matrix as written; the engine ([`Session`](super::Session))
/// is more liberal in two places the specification data recommends (see
/// the [module documentation](super#liberal-reception)).
///
/// ```
/// use smpp_core::{CommandId, CommandStatus};
/// use smpp_core::session::{Direction, Role, SessionState, Version, check};
///
/// // An MC receives submit_sm from an ESME bound as a receiver.
/// let refusal = check(
///     Role::Mc,
///     Version::V34,
///     SessionState::BoundRx,
///     CommandId::SUBMIT_SM,
///     Direction::Received,
/// )
/// .unwrap_err();
/// assert_eq!(refusal.command_status, CommandStatus::ESME_RINVBNDSTS);
/// assert_eq!(refusal.reply, Some(CommandId::SUBMIT_SM_RESP));
///
/// // The same ESME may receive deliver_sm.
/// let ok = check(
///     Role::Esme,
///     Version::V34,
///     SessionState::BoundRx,
///     CommandId::DELIVER_SM,
///     Direction::Received,
/// );
/// assert_eq!(ok, Ok(()));
/// ```
pub fn check(
    role: Role,
    version: Version,
    state: SessionState,
    command_id: CommandId,
    direction: Direction,
) -> Result<(), Refusal> {
    let sender = match direction {
        Direction::Sent => role,
        Direction::Received => role.peer(),
    };
    let Some(row) = find(command_id) else {
        return Err(Refusal::unknown());
    };
    if version == Version::V34 && command_id.is_v50_only() {
        return Err(Refusal::unknown());
    }
    if row.states(sender, version).contains(state) {
        Ok(())
    } else {
        Err(Refusal::wrong_state(command_id, state))
    }
}

#[cfg(test)]
mod tests {
    use super::{
        BindType, CommandId, Direction, Role, SessionState, StateSet, TABLE, Version, check,
    };
    use crate::command_status::CommandStatus;
    use crate::values::InterfaceVersion;
    use std::format;
    use std::string::ToString;

    #[test]
    fn the_table_has_one_row_per_command_id() {
        assert_eq!(TABLE.len(), CommandId::ALL.len());
        for id in CommandId::ALL {
            assert_eq!(TABLE.iter().filter(|r| r.command_id == *id).count(), 1);
        }
    }

    #[test]
    fn nothing_is_allowed_when_closed() {
        for row in &TABLE {
            for version in [Version::V34, Version::V50] {
                for role in [Role::Esme, Role::Mc] {
                    assert!(!row.states(role, version).contains(SessionState::Closed));
                }
            }
        }
    }

    #[test]
    fn v34_has_no_outbound_or_unbound_state() {
        for row in &TABLE {
            for role in [Role::Esme, Role::Mc] {
                let states = row.states(role, Version::V34);
                assert!(!states.contains(SessionState::Outbound));
                assert!(!states.contains(SessionState::Unbound));
            }
        }
    }

    #[test]
    fn binds_on_a_bound_session_are_already_bound() {
        let r = check(
            Role::Mc,
            Version::V50,
            SessionState::BoundTrx,
            CommandId::BIND_TRANSMITTER,
            Direction::Received,
        )
        .unwrap_err();
        assert_eq!(r.command_status, CommandStatus::ESME_RALYBND);
        assert_eq!(r.reply, Some(CommandId::BIND_TRANSMITTER_RESP));
        let r = check(
            Role::Mc,
            Version::V50,
            SessionState::Unbound,
            CommandId::BIND_TRANSMITTER,
            Direction::Received,
        )
        .unwrap_err();
        assert_eq!(r.command_status, CommandStatus::ESME_RINVBNDSTS);
    }

    #[test]
    fn unknown_and_version_less_ids_get_generic_nack() {
        for (id, version) in [
            (CommandId(0x0001_0200), Version::V50),
            (CommandId::BROADCAST_SM, Version::V34),
            (CommandId::BROADCAST_SM_RESP, Version::V34),
        ] {
            let r = check(
                Role::Mc,
                version,
                SessionState::BoundTrx,
                id,
                Direction::Received,
            )
            .unwrap_err();
            assert_eq!(r.command_status, CommandStatus::ESME_RINVCMDID);
            assert_eq!(r.reply, Some(CommandId::GENERIC_NACK));
        }
    }

    #[test]
    fn requests_without_response_are_refused_with_generic_nack() {
        let r = check(
            Role::Esme,
            Version::V50,
            SessionState::BoundTx,
            CommandId::ALERT_NOTIFICATION,
            Direction::Received,
        )
        .unwrap_err();
        assert_eq!(r.reply, Some(CommandId::GENERIC_NACK));
        assert_eq!(r.command_status, CommandStatus::ESME_RINVBNDSTS);
        let r = check(
            Role::Esme,
            Version::V50,
            SessionState::BoundTx,
            CommandId::SUBMIT_SM_RESP,
            Direction::Sent,
        )
        .unwrap_err();
        assert_eq!(r.reply, None);
    }

    #[test]
    fn names_bind_types_and_versions() {
        assert_eq!(SessionState::BoundTrx.to_string(), "BOUND_TRX");
        for state in SessionState::ALL {
            assert_eq!(state.is_bound(), state.bind_type().is_some());
        }
        for bind in [
            BindType::Transmitter,
            BindType::Receiver,
            BindType::Transceiver,
        ] {
            assert_eq!(BindType::from_command_id(bind.command_id()), Some(bind));
            let resp = bind.command_id().response();
            assert_eq!(BindType::from_command_id(resp), Some(bind));
            assert_eq!(bind.bound_state().bind_type(), Some(bind));
        }
        assert_eq!(BindType::from_command_id(CommandId::SUBMIT_SM), None);
        assert_eq!(
            Version::from_interface_version(InterfaceVersion::V33),
            Version::V34
        );
        assert_eq!(
            Version::from_interface_version(InterfaceVersion(0x51)),
            Version::V50
        );
        assert_eq!(Version::V50.interface_version(), InterfaceVersion::V50);
        assert_eq!(Role::Esme.peer(), Role::Mc);
        let set = StateSet::of(&[SessionState::Open, SessionState::Closed]);
        assert_eq!(format!("{set:?}"), "{Open, Closed}");
        assert!(StateSet::EMPTY.is_empty() && !set.is_empty());
    }
}
