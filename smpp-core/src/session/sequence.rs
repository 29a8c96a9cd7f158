//! `sequence_number` allocation (SMPP v5.0 4.7.24; v3.4 5.1.4).

/// Allocates the `sequence_number` of each request a session sends.
///
/// The specification allows 0x00000001 to 0x7FFFFFFF and asks for a new
/// number per request, increasing monotonically and wrapping back to 1 after
/// 0x7FFFFFFF. 0 is never allocated: it is kept for a `generic_nack` whose
/// trigger had no readable header.
///
/// ```
/// use smpp_core::session::SequenceNumbers;
///
/// let mut numbers = SequenceNumbers::new();
/// assert_eq!(numbers.allocate(), 1);
/// assert_eq!(numbers.allocate(), 2);
///
/// let mut numbers = SequenceNumbers::starting_at(0x7FFF_FFFF);
/// assert_eq!(numbers.allocate(), 0x7FFF_FFFF);
/// assert_eq!(numbers.allocate(), 1); // wraps, skipping 0
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SequenceNumbers {
    next: u32,
}

impl SequenceNumbers {
    /// The lowest number allocated.
    pub const MIN: u32 = 0x0000_0001;
    /// The highest number allocated; the one after it is [`Self::MIN`].
    pub const MAX: u32 = 0x7FFF_FFFF;

    /// Numbers from 1.
    pub const fn new() -> Self {
        Self { next: Self::MIN }
    }

    /// Numbers from `first`; a number outside 1..=0x7FFFFFFF starts at 1.
    pub const fn starting_at(first: u32) -> Self {
        Self {
            next: if Self::is_valid(first) {
                first
            } else {
                Self::MIN
            },
        }
    }

    /// True for the numbers a request may carry: 1..=0x7FFFFFFF.
    pub const fn is_valid(sequence_number: u32) -> bool {
        sequence_number >= Self::MIN && sequence_number <= Self::MAX
    }

    /// The number [`Self::allocate`] gives next.
    pub const fn peek(&self) -> u32 {
        self.next
    }

    /// The next number: this one, and after it the following one, wrapping
    /// from 0x7FFFFFFF to 1.
    pub const fn allocate(&mut self) -> u32 {
        let n = self.next;
        self.next = if n >= Self::MAX { Self::MIN } else { n + 1 };
        n
    }
}

impl Default for SequenceNumbers {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::SequenceNumbers;

    #[test]
    fn never_zero_never_above_the_maximum() {
        for first in [0, 1, 2, 0x7FFF_FFFE, 0x7FFF_FFFF, 0x8000_0000, u32::MAX] {
            let mut numbers = SequenceNumbers::starting_at(first);
            for _ in 0..5 {
                let n = numbers.allocate();
                assert!(SequenceNumbers::is_valid(n), "{first:#x} gave {n:#x}");
            }
        }
        assert_eq!(SequenceNumbers::starting_at(0).peek(), 1);
        assert_eq!(SequenceNumbers::starting_at(0x8000_0000).peek(), 1);
        assert_eq!(SequenceNumbers::default(), SequenceNumbers::new());
    }

    #[test]
    fn wraps_from_the_maximum_to_one() {
        let mut numbers = SequenceNumbers::starting_at(0x7FFF_FFFE);
        assert_eq!(numbers.allocate(), 0x7FFF_FFFE);
        assert_eq!(numbers.allocate(), 0x7FFF_FFFF);
        assert_eq!(numbers.allocate(), 1);
        assert_eq!(numbers.allocate(), 2);
    }

    #[test]
    fn validity_bounds() {
        assert!(!SequenceNumbers::is_valid(0));
        assert!(SequenceNumbers::is_valid(1));
        assert!(SequenceNumbers::is_valid(0x7FFF_FFFF));
        assert!(!SequenceNumbers::is_valid(0x8000_0000));
    }
}
