//! The messages the simulator accepted, kept for `query_sm`, `cancel_sm`
//! and `replace_sm` and for their receipts: at most so many, the oldest
//! forgotten first.

use std::collections::{HashMap, VecDeque};

use bytes::Bytes;
use smpp_core::text::gsm7::Tables;
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
    /// The GSM 7-bit tables its header named (national language shift).
    pub(crate) tables: Tables,
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

    /// True if the `registered_delivery` asks for a receipt in the final
    /// state the message reaches (its `fate`).
    pub(crate) fn asks_receipt(&self) -> bool {
        match self.registered_delivery.mc_receipt() {
            1 => true,
            2 => self.fate != MessageState::DELIVERED,
            3 => self.fate == MessageState::DELIVERED,
            _ => false,
        }
    }

    /// The receipts the message still owes: one per destination while it
    /// is pending and asks for one in the state it will reach.
    pub(crate) fn receipts_due(&self) -> usize {
        if self.is_pending() && self.asks_receipt() {
            self.destinations.len()
        } else {
            0
        }
    }
}

/// The kept messages, by message id, and the receipts they still owe.
#[derive(Debug)]
pub(crate) struct Store {
    messages: HashMap<u64, Stored>,
    /// Ids in the order they were accepted.
    order: VecDeque<u64>,
    capacity: usize,
    /// The sum of [`Stored::receipts_due`] over `messages`, kept as they
    /// come, change and go: read on every `/stats`, `/metrics` and status
    /// page, where a walk over 100,000 messages under the lock would hold
    /// up the sessions.
    receipts_due: usize,
}

impl Store {
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            messages: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
            receipts_due: 0,
        }
    }

    /// The receipts the kept messages still owe
    /// ([`Stored::receipts_due`]).
    pub(crate) fn receipts_due(&self) -> usize {
        self.receipts_due
    }

    /// [`Self::receipts_due`] counted afresh.
    #[cfg(test)]
    pub(crate) fn recount_receipts_due(&self) -> usize {
        self.messages.values().map(Stored::receipts_due).sum()
    }

    /// `f` on `message`, the count of receipts due following the change.
    fn change<R>(due: &mut usize, message: &mut Stored, f: impl FnOnce(&mut Stored) -> R) -> R {
        let before = message.receipts_due();
        let out = f(message);
        *due = (*due + message.receipts_due()).saturating_sub(before);
        out
    }

    pub(crate) fn len(&self) -> usize {
        self.messages.len()
    }

    /// Keeps `message` under `id`, forgetting the oldest message if the
    /// store is full: the message forgotten, if any.
    pub(crate) fn insert(&mut self, id: u64, message: Stored) -> Option<Stored> {
        let mut forgotten = None;
        while self.order.len() >= self.capacity {
            if let Some(old) = self.order.pop_front()
                && let Some(gone) = self.messages.remove(&old)
            {
                self.receipts_due = self.receipts_due.saturating_sub(gone.receipts_due());
                forgotten = Some(gone);
            }
        }
        self.order.push_back(id);
        self.receipts_due += message.receipts_due();
        if let Some(replaced) = self.messages.insert(id, message) {
            self.receipts_due = self.receipts_due.saturating_sub(replaced.receipts_due());
        }
        forgotten
    }

    /// The ids kept, oldest first.
    #[cfg(test)]
    pub(crate) fn ids(&self) -> impl Iterator<Item = u64> + '_ {
        self.order.iter().copied()
    }

    /// `f` on the message `id` of the account `system_id` (any account:
    /// `None`), if it is kept.
    pub(crate) fn update<R>(
        &mut self,
        system_id: Option<&[u8]>,
        id: u64,
        f: impl FnOnce(&mut Stored) -> R,
    ) -> Option<R> {
        let message = self
            .messages
            .get_mut(&id)
            .filter(|m| system_id.is_none_or(|s| m.system_id == s))?;
        Some(Self::change(&mut self.receipts_due, message, f))
    }

    /// `f` on every kept message of the account `system_id`.
    pub(crate) fn update_account(&mut self, system_id: &[u8], mut f: impl FnMut(&mut Stored)) {
        for message in self.messages.values_mut() {
            if message.system_id == system_id {
                Self::change(&mut self.receipts_due, message, &mut f);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{
        Address, Bytes, DataCoding, MessageState, Npi, RegisteredDelivery, Store, Stored, Tables,
        Ton,
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
            tables: Tables::DEFAULT,
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
        assert!(store.update(None, 1, |_| ()).is_none());
        assert!(store.update(Some(b"a"), 2, |_| ()).is_none());
        assert!(store.update(Some(b"b"), 2, |_| ()).is_some());
        let mut of_a = 0;
        store.update_account(b"a", |_| of_a += 1);
        assert_eq!(of_a, 1);
    }

    #[test]
    fn the_count_of_receipts_due_agrees_with_a_recount() {
        let mut rng = fastrand::Rng::with_seed(7);
        let mut store = Store::new(50);
        let accounts: [&'static [u8]; 3] = [b"a", b"b", b"c"];
        let states = [
            MessageState::DELIVERED,
            MessageState::UNDELIVERABLE,
            MessageState::EXPIRED,
        ];
        let mut changed = 0;
        for n in 0..5_000u64 {
            let account = accounts[rng.usize(..accounts.len())];
            match rng.u8(..6) {
                // Accepted, asking for a receipt in some states or none,
                // to one destination or several; the oldest forgotten.
                0 | 1 => {
                    let mut m = message(account);
                    m.registered_delivery = RegisteredDelivery(rng.u8(..4));
                    m.fate = states[rng.usize(..states.len())];
                    m.destinations = vec![m.source.clone(); rng.usize(1..4)];
                    store.insert(n, m);
                }
                // Settled, cancelled or replaced (another receipt request).
                2 => {
                    let id = n.saturating_sub(rng.u64(..60));
                    store.update(None, id, |m| m.state = m.fate);
                }
                3 => {
                    let id = n.saturating_sub(rng.u64(..60));
                    store.update(Some(account), id, |m| m.state = MessageState::DELETED);
                }
                4 => {
                    let id = n.saturating_sub(rng.u64(..60));
                    let asked = RegisteredDelivery(rng.u8(..4));
                    store.update(Some(account), id, |m| m.registered_delivery = asked);
                }
                // Every pending message of an account cancelled.
                _ => store.update_account(account, |m| {
                    if m.is_pending() && rng.bool() {
                        m.state = MessageState::DELETED;
                    }
                }),
            }
            if store.receipts_due() > 0 {
                changed += 1;
            }
            assert_eq!(
                store.receipts_due(),
                store.recount_receipts_due(),
                "step {n}"
            );
        }
        // The operations left receipts due often enough to mean something.
        assert!(changed > 1_000, "{changed}");
    }
}
