//! The `smpp_time` oracle: `SmppTime::parse` and `parse_field` against an
//! independent reading of the time format.

use smpp_core::time::{AbsoluteTime, OffsetSign, SmppTime, TimeError, UtcDateTime};

/// SMPP times: `SmppTime::parse` accepts exactly the 16-character strings
/// of the format (`YYMMDDhhmmsstnn+`/`-` with every field in range, or
/// `YYMMDDhhmmss000R`); an accepted time formats back to the same octets,
/// and its fields, UTC conversion and Unix time are consistent.
/// `parse_field` is `parse` after one trailing NUL is dropped, with an
/// empty field meaning "not given".
///
/// # Panics
///
/// When `parse` accepts something outside the format or rejects a valid
/// time, or an accepted time does not format back to its octets.
pub fn smpp_time(data: &[u8]) {
    let parsed = SmppTime::parse(data);
    assert_eq!(
        parsed.is_ok(),
        is_valid_time(data),
        "{:?}: {parsed:?}",
        data.escape_ascii().to_string()
    );
    match parsed {
        Ok(time) => check_time(&time, data),
        Err(e) => {
            assert!(!e.to_string().is_empty());
            assert_eq!(matches!(e, TimeError::Length(_)), data.len() != 16, "{e:?}");
            if let TimeError::Length(n) = e {
                assert_eq!(n, data.len());
            }
        }
    }

    let text = data.strip_suffix(&[0]).unwrap_or(data);
    match SmppTime::parse_field(data) {
        Ok(None) => assert!(text.is_empty()),
        Ok(Some(time)) => {
            assert_eq!(SmppTime::parse(text), Ok(time));
            assert_eq!(time.format(), text);
        }
        Err(e) => {
            assert!(!text.is_empty());
            assert_eq!(SmppTime::parse(text), Err(e));
        }
    }
}

/// The format, read without the parser: 15 digits and a type character,
/// each field of an absolute time in range, a relative time ending `000R`.
fn is_valid_time(s: &[u8]) -> bool {
    let Ok(s) = <&[u8; 16]>::try_from(s) else {
        return false;
    };
    if !s[..15].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let two = |i: usize| (s[i] - b'0') * 10 + (s[i + 1] - b'0');
    match s[15] {
        b'R' => &s[12..15] == b"000",
        b'+' | b'-' => {
            let year = 2000 + u16::from(two(0));
            let month = two(2);
            (1..=12).contains(&month)
                && (1..=month_days(year, month)).contains(&two(4))
                && two(6) < 24
                && two(8) < 60
                && two(10) < 60
                && two(13) <= 48
        }
        _ => false,
    }
}

fn is_leap(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

fn month_days(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Seconds since 1970-01-01 of a date and time, counted day by day from the
/// calendar (years 1970 to 2200).
fn unix_seconds(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> i64 {
    assert!((1970..2200).contains(&year), "year {year}");
    let days_before_year: i64 = (1970..year)
        .map(|y| if is_leap(y) { 366 } else { 365 })
        .sum();
    let days_before_month: i64 = (1..month).map(|m| i64::from(month_days(year, m))).sum();
    let days = days_before_year + days_before_month + i64::from(day) - 1;
    days * 86_400 + i64::from(hour) * 3600 + i64::from(minute) * 60 + i64::from(second)
}

fn check_time(time: &SmppTime, data: &[u8]) {
    assert_eq!(time.format(), data, "{time:?}");
    assert_eq!(time.try_format().as_ref().map(|s| &s[..]), Ok(data));
    assert_eq!(time.to_string().as_bytes(), data);
    match time {
        SmppTime::Absolute(abs) => check_absolute(abs),
        SmppTime::Relative(rel) => {
            assert_eq!(rel.validate(), Ok(()));
            let days =
                u64::from(rel.years) * 365 + u64::from(rel.months) * 30 + u64::from(rel.days);
            let seconds = days * 86_400
                + u64::from(rel.hours) * 3600
                + u64::from(rel.minutes) * 60
                + u64::from(rel.seconds);
            assert_eq!(rel.approx_seconds(), seconds);
        }
    }
}

fn check_absolute(abs: &AbsoluteTime) {
    assert_eq!(abs.validate(), Ok(()));
    let year = 2000 + u16::from(abs.year);
    assert!(abs.year <= 99);
    assert!((1..=12).contains(&abs.month), "{abs:?}");
    assert!(
        (1..=month_days(year, abs.month)).contains(&abs.day),
        "{abs:?}"
    );
    assert!(
        abs.hour < 24 && abs.minute < 60 && abs.second < 60,
        "{abs:?}"
    );
    assert!(abs.tenths <= 9 && abs.offset_quarters <= 48, "{abs:?}");

    let offset = i32::from(abs.offset_quarters) * 15;
    let offset = match abs.sign {
        OffsetSign::Ahead => offset,
        OffsetSign::Behind => -offset,
    };
    assert_eq!(abs.offset_minutes(), offset);
    let local = unix_seconds(year, abs.month, abs.day, abs.hour, abs.minute, abs.second);
    let unix = abs.to_unix_seconds();
    assert_eq!(unix, local - i64::from(offset) * 60, "{abs:?}");

    let utc = abs.to_utc();
    let UtcDateTime {
        year,
        month,
        day,
        hour,
        minute,
        second,
        tenths,
    } = utc;
    let year = u16::try_from(year).expect("a year after 1999");
    assert!((1..=12).contains(&month), "{utc:?}");
    assert!((1..=month_days(year, month)).contains(&day), "{utc:?}");
    assert!(hour < 24 && minute < 60 && second < 60, "{utc:?}");
    assert_eq!(tenths, abs.tenths);
    assert_eq!(
        unix_seconds(year, month, day, hour, minute, second),
        unix,
        "{abs:?} is {utc:?} in UTC"
    );
}
