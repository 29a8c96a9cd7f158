//! The wall clock in the forms SMPP writes dates: `YYMMDDhhmm` in delivery
//! receipts, `YYMMDDhhmmsstnnp` for `final_date`.

use std::time::{SystemTime, UNIX_EPOCH};

use smpp_core::time::{AbsoluteTime, OffsetSign, SmppTime, UtcDateTime};

/// Seconds since 1970-01-01T00:00:00Z now (0 for a clock set before it).
pub fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The UTC date and time `secs` seconds after 1970-01-01T00:00:00Z.
///
/// ```
/// use smpp_tools::clock::{receipt_date, smpp_absolute, utc_from_unix};
///
/// let t = utc_from_unix(1_733_054_400); // 2024-12-01T12:00:00Z
/// assert_eq!((t.year, t.month, t.day, t.hour), (2024, 12, 1, 12));
/// assert_eq!(receipt_date(&t), "2412011200");
/// assert_eq!(smpp_absolute(&t), "241201120000000+");
/// ```
pub fn utc_from_unix(secs: i64) -> UtcDateTime {
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
    UtcDateTime {
        year: i32::try_from(year).unwrap_or(i32::MAX),
        month: small(month),
        day: small(day),
        hour: small(rem / 3600),
        minute: small(rem / 60 % 60),
        second: small(rem % 60),
        tenths: 0,
    }
}

/// Now, in UTC.
pub fn now() -> UtcDateTime {
    utc_from_unix(unix_now())
}

/// The year within its century, as SMPP writes it.
fn yy(t: &UtcDateTime) -> u8 {
    u8::try_from(t.year.rem_euclid(100)).unwrap_or(0)
}

/// `YYMMDDhhmm`: a delivery receipt's `submit date:` and `done date:`.
pub fn receipt_date(t: &UtcDateTime) -> String {
    format!(
        "{:02}{:02}{:02}{:02}{:02}",
        yy(t),
        t.month,
        t.day,
        t.hour,
        t.minute
    )
}

/// The absolute SMPP time in UTC (`YYMMDDhhmmsst00+`), as `query_sm_resp`
/// gives `final_date`.
pub fn smpp_absolute(t: &UtcDateTime) -> String {
    let time = SmppTime::Absolute(AbsoluteTime {
        year: yy(t),
        month: t.month,
        day: t.day,
        hour: t.hour,
        minute: t.minute,
        second: t.second,
        tenths: t.tenths,
        offset_quarters: 0,
        sign: OffsetSign::Ahead,
    });
    String::from_utf8_lossy(&time.format()).into_owned()
}

#[cfg(test)]
mod tests {
    use super::{SmppTime, smpp_absolute, utc_from_unix};

    #[test]
    fn civil_dates_across_leap_years_and_eras() {
        let cases = [
            (0, (1970, 1, 1), (0, 0, 0)),
            (951_782_400, (2000, 2, 29), (0, 0, 0)),
            (1_709_251_199, (2024, 2, 29), (23, 59, 59)),
            (4_107_542_400, (2100, 3, 1), (0, 0, 0)),
            (-1, (1969, 12, 31), (23, 59, 59)),
        ];
        for (secs, date, time) in cases {
            let t = utc_from_unix(secs);
            assert_eq!((t.year, t.month, t.day), date, "{secs}");
            assert_eq!((t.hour, t.minute, t.second), time, "{secs}");
        }
    }

    #[test]
    fn the_absolute_time_reads_back_as_the_same_instant() {
        for secs in [951_782_400, 1_709_251_199, 1_733_054_400] {
            let text = smpp_absolute(&utc_from_unix(secs));
            let Ok(SmppTime::Absolute(a)) = SmppTime::parse(text.as_bytes()) else {
                panic!("{text}")
            };
            assert_eq!(a.to_unix_seconds(), secs, "{text}");
        }
    }
}
