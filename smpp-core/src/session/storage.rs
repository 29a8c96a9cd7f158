//! Where a session keeps what it holds: the window of outstanding requests,
//! the peer's requests awaiting an answer, and the queue of encoded PDUs.
//!
//! [`Fixed`] keeps them in arrays inside the [`Session`](super::Session)
//! (no allocator; the size of the session is its capacity). [`Heap`]
//! (feature `alloc`) keeps them on the heap, grown as they fill up to the
//! same kind of capacities and given back when they empty, so that an idle
//! session holds almost nothing.

/// How a [`Session`](super::Session) (and a [`Window`](super::Window))
/// stores what it holds: [`Fixed`] or [`Heap`].
///
/// `WINDOW` bounds the requests each side may have awaiting an answer
/// (the configured windows are capped by it); `TRANSMIT` bounds the
/// octets queued for sending, and must hold the largest PDU sent plus 64
/// octets the engine keeps for its own PDUs.
///
/// The trait is sealed: its items are the engine's business.
pub trait Storage: sealed::Sealed {
    /// The most requests awaiting an answer, each way.
    const WINDOW: usize;
    /// The most octets queued for sending.
    const TRANSMIT: usize;
    #[doc(hidden)]
    type List<T>: List<T>;
    #[doc(hidden)]
    type Octets: Octets;
}

/// Arrays of fixed capacity inside the session: `WINDOW` requests each way
/// and a transmit queue of `TRANSMIT` octets. No allocator is needed, and
/// the session's size is what it can hold (see
/// [`Session`](super::Session)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Fixed<const WINDOW: usize = 16, const TRANSMIT: usize = 4096>;

impl<const WINDOW: usize, const TRANSMIT: usize> sealed::Sealed for Fixed<WINDOW, TRANSMIT> {}

impl<const WINDOW: usize, const TRANSMIT: usize> Storage for Fixed<WINDOW, TRANSMIT> {
    const WINDOW: usize = WINDOW;
    const TRANSMIT: usize = TRANSMIT;
    type List<T> = heapless::Vec<T, WINDOW>;
    type Octets = FixedOctets<TRANSMIT>;
}

/// The heap (feature `alloc`): lists and the transmit queue grow as they
/// fill, up to `WINDOW` requests each way and `TRANSMIT` octets, and are
/// given back when they empty. An idle session holds a few hundred octets
/// whatever its capacities.
#[cfg(feature = "alloc")]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Heap<const WINDOW: usize = 4096, const TRANSMIT: usize = { 1 << 20 }>;

#[cfg(feature = "alloc")]
impl<const WINDOW: usize, const TRANSMIT: usize> sealed::Sealed for Heap<WINDOW, TRANSMIT> {}

#[cfg(feature = "alloc")]
impl<const WINDOW: usize, const TRANSMIT: usize> Storage for Heap<WINDOW, TRANSMIT> {
    const WINDOW: usize = WINDOW;
    const TRANSMIT: usize = TRANSMIT;
    type List<T> = HeapList<T, WINDOW>;
    type Octets = alloc::vec::Vec<u8>;
}

mod sealed {
    pub trait Sealed {}
}

/// A list of at most a storage's `WINDOW` entries.
// Public so that `Storage` can name it; not reachable from outside the
// crate, so nobody else implements or calls it.
#[allow(unreachable_pub)]
pub trait List<T>: Default {
    /// The entries.
    fn as_slice(&self) -> &[T];
    /// The entries, to change in place.
    fn as_mut_slice(&mut self) -> &mut [T];
    /// Adds an entry; gives it back when the list is full.
    fn push(&mut self, value: T) -> Result<(), T>;
    /// Removes the entry at `index` (the last one takes its place).
    fn swap_remove(&mut self, index: usize) -> Option<T>;
    /// Removes every entry.
    fn clear(&mut self);
}

impl<T, const N: usize> List<T> for heapless::Vec<T, N> {
    fn as_slice(&self) -> &[T] {
        self
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        self
    }

    fn push(&mut self, value: T) -> Result<(), T> {
        Self::push(self, value)
    }

    fn swap_remove(&mut self, index: usize) -> Option<T> {
        (index < self.len()).then(|| Self::swap_remove(self, index))
    }

    fn clear(&mut self) {
        Self::clear(self);
    }
}

/// A list on the heap of at most `N` entries, whose memory is given back
/// when it empties.
#[cfg(feature = "alloc")]
#[allow(unreachable_pub)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeapList<T, const N: usize>(alloc::vec::Vec<T>);

#[cfg(feature = "alloc")]
impl<T, const N: usize> Default for HeapList<T, N> {
    fn default() -> Self {
        Self(alloc::vec::Vec::new())
    }
}

/// Entries a [`HeapList`] keeps room for once it is empty again.
#[cfg(feature = "alloc")]
const KEEP_ENTRIES: usize = 4;

#[cfg(feature = "alloc")]
impl<T, const N: usize> HeapList<T, N> {
    fn release_if_empty(&mut self) {
        if self.0.is_empty() && self.0.capacity() > KEEP_ENTRIES {
            self.0 = alloc::vec::Vec::new();
        }
    }
}

#[cfg(feature = "alloc")]
impl<T, const N: usize> List<T> for HeapList<T, N> {
    fn as_slice(&self) -> &[T] {
        &self.0
    }

    fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.0
    }

    fn push(&mut self, value: T) -> Result<(), T> {
        if self.0.len() >= N {
            return Err(value);
        }
        self.0.push(value);
        Ok(())
    }

    fn swap_remove(&mut self, index: usize) -> Option<T> {
        let value = (index < self.0.len()).then(|| self.0.swap_remove(index));
        self.release_if_empty();
        value
    }

    fn clear(&mut self) {
        self.0.clear();
        self.release_if_empty();
    }
}

/// The octets of a transmit queue: a buffer that may grow up to the
/// storage's `TRANSMIT` octets.
#[allow(unreachable_pub)]
pub trait Octets: Default {
    /// The buffer.
    fn as_slice(&self) -> &[u8];
    /// The buffer, to write into.
    fn as_mut_slice(&mut self) -> &mut [u8];
    /// Makes the buffer at least `len` octets long (never longer than the
    /// capacity); false if it cannot be.
    fn grow_to(&mut self, len: usize, capacity: usize) -> bool;
    /// The queue is empty: memory may be given back.
    fn emptied(&mut self);
}

/// `N` octets inside the session.
#[allow(unreachable_pub)]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FixedOctets<const N: usize>([u8; N]);

impl<const N: usize> Default for FixedOctets<N> {
    fn default() -> Self {
        Self([0; N])
    }
}

impl<const N: usize> Octets for FixedOctets<N> {
    fn as_slice(&self) -> &[u8] {
        &self.0
    }

    fn as_mut_slice(&mut self) -> &mut [u8] {
        &mut self.0
    }

    fn grow_to(&mut self, len: usize, _capacity: usize) -> bool {
        len <= N
    }

    fn emptied(&mut self) {}
}

/// Octets a heap transmit queue keeps once it is empty again.
#[cfg(feature = "alloc")]
const KEEP_OCTETS: usize = 512;

#[cfg(feature = "alloc")]
impl Octets for alloc::vec::Vec<u8> {
    fn as_slice(&self) -> &[u8] {
        self
    }

    fn as_mut_slice(&mut self) -> &mut [u8] {
        self
    }

    fn grow_to(&mut self, len: usize, capacity: usize) -> bool {
        if len > capacity {
            return false;
        }
        if self.len() < len {
            // Doubling, as a vector grows, but never past the capacity.
            let target = len.max(self.len().saturating_mul(2)).min(capacity);
            self.resize(target, 0);
        }
        true
    }

    fn emptied(&mut self) {
        if self.capacity() > KEEP_OCTETS {
            *self = Self::new();
        }
    }
}
