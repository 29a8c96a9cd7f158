//! The wall clock in the forms SMPP writes dates: `YYMMDDhhmm` in delivery
//! receipts, `YYMMDDhhmmsstnnp` for `final_date`.

use std::time::{SystemTime, UNIX_EPOCH};

use smpp_core::time::{AbsoluteTime, OffsetSign, SmppTime};

/// A UTC date and time, to the second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Utc {
    /// The year.
    pub year: i32,
    /// The month, 1-12.
    pub month: u8,
    /// The day of the month, 1-31.
    pub day: u8,
    /// The hour, 0-23.
    pub hour: u8,
    /// The minute, 0-59.
    pub minute: u8,
    /// The second, 0-59.
    pub second: u8,
}

/// Seconds since 1970-01-01T00:00:00Z now (0 for a clock set before it).
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

impl Utc {
    /// Now.
    pub fn now() -> Self {
        Self::from_unix(unix_now())
    }

    /// The date and time `secs` seconds after 1970-01-01T00:00:00Z.
    ///
    /// ```
    /// use smpp_tools::clock::Utc;
    ///
    /// let t = Utc::from_unix(1_733_054_400); // 2024-12-01T12:00:00Z
    /// assert_eq!((t.year, t.month, t.day, t.hour), (2024, 12, 1, 12));
    /// assert_eq!(t.receipt_date(), "2412011200");
    /// assert_eq!(t.smpp_absolute(), "241201120000000+");
    /// ```
    pub fn from_unix(secs: i64) -> Self {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        // Days to a civil date (proleptic Gregorian), in eras of 400 years.
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        let small = |v: i64| u8::try_from(v).unwrap_or(0);
        Self {
            year: i32::try_from(year).unwrap_or(i32::MAX),
            month: small(month),
            day: small(day),
            hour: small(rem / 3600),
            minute: small(rem / 60 % 60),
            second: small(rem % 60),
        }
    }

    /// The year within its century, as SMPP writes it.
    fn yy(&self) -> u8 {
        u8::try_from(self.year.rem_euclid(100)).unwrap_or(0)
    }

    /// `YYMMDDhhmm`: a delivery receipt's `submit date:` and `done date:`.
    pub fn receipt_date(&self) -> String {
        format!(
            "{:02}{:02}{:02}{:02}{:02}",
            self.yy(),
            self.month,
            self.day,
            self.hour,
            self.minute
        )
    }

    /// The absolute SMPP time in UTC (`YYMMDDhhmmss000+`), as
    /// `query_sm_resp` gives `final_date`.
    pub fn smpp_absolute(&self) -> String {
        let time = SmppTime::Absolute(AbsoluteTime {
            year: self.yy(),
            month: self.month,
            day: self.day,
            hour: self.hour,
            minute: self.minute,
            second: self.second,
            tenths: 0,
            offset_quarters: 0,
            sign: OffsetSign::Ahead,
        });
        String::from_utf8_lossy(&time.format()).into_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::Utc;

    #[test]
    fn civil_dates_across_leap_years_and_eras() {
        let cases = [
            (0, (1970, 1, 1, 0, 0, 0)),
            (951_782_400, (2000, 2, 29, 0, 0, 0)),
            (1_709_251_199, (2024, 2, 29, 23, 59, 59)),
            (4_107_542_400, (2100, 3, 1, 0, 0, 0)),
            (-1, (1969, 12, 31, 23, 59, 59)),
        ];
        for (secs, (year, month, day, hour, minute, second)) in cases {
            let want = Utc {
                year,
                month,
                day,
                hour,
                minute,
                second,
            };
            assert_eq!(Utc::from_unix(secs), want, "{secs}");
        }
    }

    #[test]
    fn the_absolute_time_parses_back() {
        let t = Utc::from_unix(1_709_251_199).smpp_absolute();
        let parsed = smpp_core::time::SmppTime::parse(t.as_bytes()).unwrap();
        let smpp_core::time::SmppTime::Absolute(a) = parsed else {
            panic!("{t}")
        };
        assert_eq!(a.to_unix_seconds(), 1_709_251_199);
    }
}
