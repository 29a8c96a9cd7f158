//! Time as the caller sees it: the engine reads no clock of its own.

use core::fmt;
use core::ops::{Add, Sub};
use core::time::Duration;

/// A point in time, in milliseconds on the caller's monotonic clock (from
/// any origin the caller likes: the start of the process, of the
/// connection, boot).
///
/// The session engine never reads a clock: every input takes the current
/// `Millis`, and [`Session::poll_timeout`](super::Session::poll_timeout)
/// answers in `Millis`. A test drives time by hand; a program maps its
/// clock, for example `Millis(start.elapsed().as_millis() as u64)` with a
/// `std::time::Instant` taken once.
///
/// Arithmetic saturates: adding a [`Duration`] never wraps, and an earlier
/// instant minus a later one is zero.
///
/// The clock must never go back. After a time earlier than one already
/// given, the timers running then (the response timer of each request)
/// and those counted from the latest time seen (the `enquire_link_timer`,
/// the write timer) wait until the clock is back where it was. A firmware
/// tick of 32 bits wraps after 49.7 days; given as it is, that jump back
/// would keep those timers from firing for as long again. Extend such a
/// tick to 64 bits first, counting its wraps:
///
/// ```
/// use core::time::Duration;
/// use smpp_core::session::Millis;
///
/// /// A 32-bit millisecond tick (as a HAL gives it) made monotonic; read
/// /// it at least once per wrap.
/// struct Clock {
///     last: u32,
///     wraps: u64,
/// }
///
/// impl Clock {
///     fn now(&mut self, tick: u32) -> Millis {
///         if tick < self.last {
///             self.wraps += 1;
///         }
///         self.last = tick;
///         Millis(self.wraps << 32 | u64::from(tick))
///     }
/// }
///
/// let mut clock = Clock { last: 0, wraps: 0 };
/// let before = clock.now(u32::MAX - 9);
/// let after = clock.now(5); // the tick wrapped
/// assert!(after > before);
/// assert_eq!(after - before, Duration::from_millis(15));
/// ```
///
/// ```
/// use core::time::Duration;
/// use smpp_core::session::Millis;
///
/// let t = Millis(1_000) + Duration::from_secs(30);
/// assert_eq!(t, Millis(31_000));
/// assert_eq!(t - Millis(1_000), Duration::from_secs(30));
/// assert_eq!(Millis(5) - Millis(9), Duration::ZERO);
/// // Sub-millisecond parts round up: a timer never fires early.
/// assert_eq!(Millis(0) + Duration::from_micros(1), Millis(1));
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Millis(pub u64);

impl Millis {
    /// The origin of the caller's clock.
    pub const ZERO: Self = Self(0);

    /// `secs` seconds after the origin.
    pub const fn from_secs(secs: u64) -> Self {
        Self(secs.saturating_mul(1000))
    }

    /// This instant plus `duration` (rounded up to a whole millisecond),
    /// saturating at `u64::MAX` milliseconds.
    #[must_use]
    pub const fn saturating_add(self, duration: Duration) -> Self {
        Self(self.0.saturating_add(duration_millis(duration)))
    }

    /// The time from `earlier` to this instant; zero if `earlier` is later.
    pub const fn saturating_since(self, earlier: Self) -> Duration {
        Duration::from_millis(self.0.saturating_sub(earlier.0))
    }
}

/// A duration in whole milliseconds, rounded up, saturating.
const fn duration_millis(duration: Duration) -> u64 {
    let nanos = duration.as_nanos();
    let millis = nanos.div_ceil(1_000_000);
    if millis > u64::MAX as u128 {
        u64::MAX
    } else {
        // In range: checked on the line above.
        #[allow(clippy::cast_possible_truncation)]
        let millis = millis as u64;
        millis
    }
}

impl Add<Duration> for Millis {
    type Output = Self;

    fn add(self, rhs: Duration) -> Self {
        self.saturating_add(rhs)
    }
}

impl Sub for Millis {
    type Output = Duration;

    fn sub(self, rhs: Self) -> Duration {
        self.saturating_since(rhs)
    }
}

impl fmt::Debug for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

impl fmt::Display for Millis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::{Duration, Millis};

    #[test]
    fn adding_saturates_and_rounds_up() {
        assert_eq!(
            Millis(u64::MAX - 1) + Duration::from_secs(1),
            Millis(u64::MAX)
        );
        assert_eq!(Millis(0) + Duration::MAX, Millis(u64::MAX));
        assert_eq!(Millis(10) + Duration::from_nanos(1_000_001), Millis(12));
        assert_eq!(Millis(10) + Duration::ZERO, Millis(10));
        assert_eq!(Millis::from_secs(u64::MAX), Millis(u64::MAX));
    }

    #[test]
    fn subtracting_saturates() {
        assert_eq!(Millis(3) - Millis(10), Duration::ZERO);
        assert_eq!(Millis(10) - Millis(3), Duration::from_millis(7));
    }
}
