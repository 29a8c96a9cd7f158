//! The operation matrix of `smpp_core::session::check`, one test per row of
//! the specification's table (SMPP v3.4 Table 2-1, v5.0 Table 2-1): for each
//! `command_id`, the states in which the ESME and the MC may send it, per
//! version. The rows below are the specification data, written out here;
//! each test checks every state, role, version and direction against them.

use smpp_core::session::{
    Direction, Refusal, Role, SessionState, StateSet, Version, allowed_states, check,
};
use smpp_core::{CommandId, CommandStatus};

/// The states of a `|`-separated list of specification state names.
fn states(list: &str) -> Vec<SessionState> {
    list.split('|')
        .filter(|s| !s.is_empty())
        .map(|name| {
            *SessionState::ALL
                .iter()
                .find(|s| s.name().eq_ignore_ascii_case(name))
                .unwrap_or_else(|| panic!("unknown state {name}"))
        })
        .collect()
}

/// Checks one row: `columns` are v3.4 ESME, v3.4 MC, v5.0 ESME, v5.0 MC.
fn check_row(name: &str, id: u32, columns: [&str; 4]) {
    let command_id = CommandId(id);
    assert_eq!(command_id.name(), Some(name), "{id:#x}");
    let [v34_esme, v34_mc, v50_esme, v50_mc] = columns.map(states);
    let column = |sender: Role, version: Version| match (sender, version) {
        (Role::Esme, Version::V34) => &v34_esme,
        (Role::Mc, Version::V34) => &v34_mc,
        (Role::Esme, Version::V50) => &v50_esme,
        (Role::Mc, Version::V50) => &v50_mc,
    };
    for version in [Version::V34, Version::V50] {
        for sender in [Role::Esme, Role::Mc] {
            let listed = column(sender, version);
            assert_eq!(
                allowed_states(sender, version, command_id),
                StateSet::of(listed),
                "{name} sent by {sender:?} under {version:?}"
            );
            for state in SessionState::ALL {
                // The same PDU seen from both ends: sent by `sender`,
                // received by its peer.
                let seen = [
                    (sender, Direction::Sent),
                    (sender.peer(), Direction::Received),
                ];
                for (role, direction) in seen {
                    let verdict = check(role, version, state, command_id, direction);
                    let context =
                        format!("{name} {direction:?} by {role:?} in {state} ({version:?})");
                    if listed.contains(&state) {
                        assert_eq!(verdict, Ok(()), "{context}");
                    } else {
                        assert_eq!(
                            verdict,
                            Err(expected_refusal(command_id, version, state)),
                            "{context}"
                        );
                    }
                }
            }
        }
    }
}

/// What the matrix answers a PDU outside its states with.
fn expected_refusal(command_id: CommandId, version: Version, state: SessionState) -> Refusal {
    if version == Version::V34 && command_id.is_v50_only() {
        return Refusal {
            command_status: CommandStatus::ESME_RINVCMDID,
            reply: Some(CommandId::GENERIC_NACK),
        };
    }
    let is_bind = matches!(
        command_id,
        CommandId::BIND_TRANSMITTER | CommandId::BIND_RECEIVER | CommandId::BIND_TRANSCEIVER
    );
    let command_status = if is_bind && state.is_bound() {
        CommandStatus::ESME_RALYBND
    } else {
        CommandStatus::ESME_RINVBNDSTS
    };
    let reply = if command_id.is_response() {
        None
    } else if command_id == CommandId::OUTBIND || command_id == CommandId::ALERT_NOTIFICATION {
        Some(CommandId::GENERIC_NACK)
    } else {
        Some(command_id.response())
    };
    Refusal {
        command_status,
        reply,
    }
}

macro_rules! row {
    ($name:ident, $id:literal, $v34_esme:literal, $v34_mc:literal, $v50_esme:literal, $v50_mc:literal) => {
        #[test]
        fn $name() {
            check_row(
                stringify!($name),
                $id,
                [$v34_esme, $v34_mc, $v50_esme, $v50_mc],
            );
        }
    };
}

// name, command_id, v3.4 ESME, v3.4 MC (SMSC), v5.0 ESME, v5.0 MC.
#[rustfmt::skip]
mod rows {
    use super::check_row;

    row!(generic_nack, 0x8000_0000, "bound_tx|bound_rx|bound_trx", "bound_tx|bound_rx|bound_trx", "open|outbound|bound_tx|bound_rx|bound_trx|unbound", "open|outbound|bound_tx|bound_rx|bound_trx|unbound");
    row!(bind_receiver, 0x0000_0001, "open", "", "open|outbound", "");
    row!(bind_receiver_resp, 0x8000_0001, "", "open", "", "open|outbound");
    row!(bind_transmitter, 0x0000_0002, "open", "", "open|outbound", "");
    row!(bind_transmitter_resp, 0x8000_0002, "", "open", "", "open|outbound");
    row!(query_sm, 0x0000_0003, "bound_tx|bound_trx", "", "bound_tx|bound_trx", "");
    row!(query_sm_resp, 0x8000_0003, "", "bound_tx|bound_trx", "", "bound_tx|bound_trx");
    row!(submit_sm, 0x0000_0004, "bound_tx|bound_trx", "", "bound_tx|bound_trx", "");
    row!(submit_sm_resp, 0x8000_0004, "", "bound_tx|bound_trx", "", "bound_tx|bound_trx");
    row!(deliver_sm, 0x0000_0005, "", "bound_rx|bound_trx", "", "bound_rx|bound_trx");
    row!(deliver_sm_resp, 0x8000_0005, "bound_rx|bound_trx", "", "bound_rx|bound_trx", "");
    row!(unbind, 0x0000_0006, "bound_tx|bound_rx|bound_trx", "bound_tx|bound_rx|bound_trx", "bound_tx|bound_rx|bound_trx", "bound_tx|bound_rx|bound_trx");
    row!(unbind_resp, 0x8000_0006, "bound_tx|bound_rx|bound_trx", "bound_tx|bound_rx|bound_trx", "bound_tx|bound_rx|bound_trx", "bound_tx|bound_rx|bound_trx");
    row!(replace_sm, 0x0000_0007, "bound_tx", "", "bound_tx|bound_trx", "");
    row!(replace_sm_resp, 0x8000_0007, "", "bound_tx", "", "bound_tx|bound_trx");
    row!(cancel_sm, 0x0000_0008, "bound_tx|bound_trx", "", "bound_tx|bound_trx", "");
    row!(cancel_sm_resp, 0x8000_0008, "", "bound_tx|bound_trx", "", "bound_tx|bound_trx");
    row!(bind_transceiver, 0x0000_0009, "open", "", "open|outbound", "");
    row!(bind_transceiver_resp, 0x8000_0009, "", "open", "", "open|outbound");
    row!(outbind, 0x0000_000B, "", "open", "", "open");
    row!(enquire_link, 0x0000_0015, "bound_tx|bound_rx|bound_trx", "bound_tx|bound_rx|bound_trx", "open|outbound|bound_tx|bound_rx|bound_trx|unbound", "open|outbound|bound_tx|bound_rx|bound_trx|unbound");
    row!(enquire_link_resp, 0x8000_0015, "bound_tx|bound_rx|bound_trx", "bound_tx|bound_rx|bound_trx", "open|outbound|bound_tx|bound_rx|bound_trx|unbound", "open|outbound|bound_tx|bound_rx|bound_trx|unbound");
    row!(submit_multi, 0x0000_0021, "bound_tx|bound_trx", "", "bound_tx|bound_trx", "");
    row!(submit_multi_resp, 0x8000_0021, "", "bound_tx|bound_trx", "", "bound_tx|bound_trx");
    row!(alert_notification, 0x0000_0102, "", "bound_rx|bound_trx", "", "bound_rx|bound_trx");
    row!(data_sm, 0x0000_0103, "bound_tx|bound_rx|bound_trx", "bound_tx|bound_rx|bound_trx", "bound_tx|bound_trx", "bound_rx|bound_trx");
    row!(data_sm_resp, 0x8000_0103, "bound_tx|bound_rx|bound_trx", "bound_tx|bound_rx|bound_trx", "bound_rx|bound_trx", "bound_tx|bound_trx");
    row!(broadcast_sm, 0x0000_0111, "", "", "bound_tx|bound_trx", "");
    row!(broadcast_sm_resp, 0x8000_0111, "", "", "", "bound_tx|bound_trx");
    row!(query_broadcast_sm, 0x0000_0112, "", "", "bound_tx|bound_trx", "");
    row!(query_broadcast_sm_resp, 0x8000_0112, "", "", "", "bound_tx|bound_trx");
    row!(cancel_broadcast_sm, 0x0000_0113, "", "", "bound_tx|bound_trx", "");
    row!(cancel_broadcast_sm_resp, 0x8000_0113, "", "", "", "bound_tx|bound_trx");
}

#[test]
fn every_command_id_has_a_row() {
    // One row above per command_id the specification defines.
    assert_eq!(CommandId::ALL.len(), 33);
}

#[test]
fn ids_outside_the_table_get_generic_nack_with_esme_rinvcmdid() {
    for id in [0x0000_0099, 0x8000_0099, 0x0001_0200, 0x0000_000A] {
        for state in SessionState::ALL {
            let verdict = check(
                Role::Mc,
                Version::V50,
                state,
                CommandId(id),
                Direction::Received,
            );
            assert_eq!(
                verdict,
                Err(Refusal {
                    command_status: CommandStatus::ESME_RINVCMDID,
                    reply: Some(CommandId::GENERIC_NACK),
                }),
                "{id:#x} in {state}"
            );
        }
        assert!(allowed_states(Role::Esme, Version::V50, CommandId(id)).is_empty());
    }
}
