//! The messages the simulator accepted, kept for `query_sm`, `cancel_sm`
//! and `replace_sm` and for their receipts: at most so many, the oldest
//! forgotten first.

use std::collections::{HashMap, VecDeque};

use bytes::Bytes;
use smpp_core::{DataCoding, MessageState, Npi, RegisteredDelivery, Ton};

/// An address with its type of number and numbering plan.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Address {
    pub(crate) ton: Ton,
    pub(crate) npi: Npi,
    pub(crate) addr: Bytes,
}

/// A message accepted from an ESME.
#[derive(Clone, Debug)]
pub(crate) struct Stored {
    /// The account that submitted it.
    pub(crate) system_id: Bytes,
    pub(crate) service_type: Bytes,
    pub(crate) source: Address,
    pub(crate) destinations: Vec<Address>,
    pub(crate) data_coding: DataCoding,
    /// The user data, its header removed.
    pub(crate) content: Bytes,
    pub(crate) registered_delivery: RegisteredDelivery,
    /// When it was accepted (seconds since the epoch).
    pub(crate) submitted: i64,
    pub(crate) state: MessageState,
    /// The final state it reaches once the receipt delay is over, drawn
    /// from `--dlr-mix` when it is accepted (so the receipts still due are
    /// known before it settles).
    pub(crate) fate: MessageState,
    /// When it reached its final state.
    pub(crate) done: Option<i64>,
    /// The network error code of a failed delivery (0 when delivered).
    pub(crate) error: u8,
}

impl Stored {
    /// True while the message may still be cancelled or replaced.
    pub(crate) fn is_pending(&self) -> bool {
        !self.state.is_final()
    }

    /// True while the message may still be cancelled or replaced by a
    /// request naming `source` (empty: any source).
    pub(crate) fn may_change(&self, source: &[u8]) -> bool {
        self.is_pending() && (source.is_empty() || self.source.addr == source)
    }
}

/// The kept messages, by message id.
#[derive(Debug)]
pub(crate) struct Store {
    messages: HashMap<u64, Stored>,
    /// Ids in the order they were accepted.
    order: VecDeque<u64>,
    capacity: usize,
}

impl Store {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            messages: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.messages.len()
    }

    /// Keeps `message` under `id`, forgetting the oldest message if the
    /// store is full: the message forgotten, if any.
    pub(crate) fn insert(&mut self, id: u64, message: Stored) -> Option<Stored> {
        let mut forgotten = None;
        while self.order.len() >= self.capacity {
            if let Some(old) = self.order.pop_front() {
                forgotten = self.messages.remove(&old).or(forgotten);
            }
        }
        self.order.push_back(id);
        self.messages.insert(id, message);
        forgotten
    }

    /// The ids kept, oldest first.
    #[cfg(test)]
    pub(crate) fn ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.order.iter().copied()
    }

    /// The message `id` of the account `system_id`.
    pub(crate) fn get_mut(&mut self, system_id: &[u8], id: u64) -> Option<&mut Stored> {
        self.messages
            .get_mut(&id)
            .filter(|m| m.system_id == system_id)
    }

    /// The message `id`, whoever sent it, to read.
    pub(crate) fn get(&self, id: u64) -> Option<&Stored> {
        self.messages.get(&id)
    }

    /// The message `id`, whoever sent it.
    pub(crate) fn by_id(&mut self, id: u64) -> Option<&mut Stored> {
        self.messages.get_mut(&id)
    }

    /// Every kept message of the account `system_id`.
    pub(crate) fn of_account<'a>(
        &'a mut self,
        system_id: &'a [u8],
    ) -> impl Iterator<Item = &'a mut Stored> + 'a {
        self.messages
            .values_mut()
            .filter(move |m| m.system_id == system_id)
    }
}

#[cfg(test)]
mod tests {
    use super::{
        Address, Bytes, DataCoding, MessageState, Npi, RegisteredDelivery, Store, Stored, Ton,
    };

    fn message(system_id: &'static [u8]) -> Stored {
        let addr = Address {
            ton: Ton::UNKNOWN,
            npi: Npi::UNKNOWN,
            addr: Bytes::from_static(b"1"),
        };
        Stored {
            system_id: Bytes::from_static(system_id),
            service_type: Bytes::new(),
            source: addr.clone(),
            destinations: vec![addr],
            data_coding: DataCoding::DEFAULT,
            content: Bytes::new(),
            registered_delivery: RegisteredDelivery::NONE,
            submitted: 0,
            state: MessageState::ENROUTE,
            fate: MessageState::DELIVERED,
            done: None,
            error: 0,
        }
    }

    #[test]
    fn the_oldest_message_goes_first_and_accounts_stay_apart() {
        let mut store = Store::new(2);
        assert!(store.insert(1, message(b"a")).is_none());
        assert!(store.insert(2, message(b"b")).is_none());
        let forgotten = store.insert(3, message(b"a")).unwrap();
        assert_eq!(forgotten.system_id, Bytes::from_static(b"a"));
        assert_eq!(store.len(), 2);
        assert!(store.by_id(1).is_none());
        assert!(store.get_mut(b"a", 2).is_none());
        assert!(store.get_mut(b"b", 2).is_some());
        assert_eq!(store.of_account(b"a").count(), 1);
    }
}
