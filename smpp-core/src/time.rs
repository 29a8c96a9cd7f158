//! SMPP time strings (v5.0 4.7.23, v3.4 7.1.1): `schedule_delivery_time`, `validity_period`,
//! `final_date` and `broadcast_end_time`.
//!
//! Absolute times are `YYMMDDhhmmsstnnp`: local time, tenths of a second, the offset from UTC in
//! quarter hours (00-48) and `'+'` (ahead of UTC) or `'-'` (behind). Relative times are
//! `YYMMDDhhmmss000R`, a period added to the MC's current time. Years are read as 2000-2099.
//!
//! The codec applies these rules to the time fields of every PDU, when decoding and when
//! encoding: a field is empty (a lone NUL on the wire) or a time [`SmppTime::parse`] accepts;
//! `final_date` holds absolute times only. A field that breaks them is a
//! [`FieldProblem::TimeFormat`] (or [`FieldProblem::TimeLength`]), answered with
//! `ESME_RINVSCHED` for `schedule_delivery_time` and `ESME_RINVEXPIRY` for `validity_period`.
//!
//! ```
//! use smpp_core::time::{SmppTime, UtcDateTime};
//!
//! let t = SmppTime::parse(b"150203040506708+")?;
//! let SmppTime::Absolute(abs) = t else { unreachable!() };
//! assert_eq!(abs.to_utc(), UtcDateTime { year: 2015, month: 2, day: 3, hour: 2, minute: 5, second: 6, tenths: 7 });
//! assert_eq!(&t.format(), b"150203040506708+");
//! assert_eq!(SmppTime::parse(b"150231040506708+"), Err(smpp_core::time::TimeError::Day));
//! # Ok::<(), smpp_core::time::TimeError>(())
//! ```

use core::fmt;

use crate::error::{Field, FieldProblem};

/// Errors from parsing or building an SMPP time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TimeError {
    /// The string is not 16 characters long (a trailing NUL is accepted by [`SmppTime::parse_field`]).
    Length(usize),
    /// An absolute time's year above 99 (the string holds two digits).
    Year,
    /// A position that must hold a digit does not.
    NotADigit {
        /// Zero-based position in the string.
        position: usize,
    },
    /// The 16th character is not `'+'`, `'-'` or `'R'`.
    Sign(u8),
    /// Month outside 1-12.
    Month,
    /// Day outside 1 to the length of the month.
    Day,
    /// Hour above 23.
    Hour,
    /// Minute above 59.
    Minute,
    /// Second above 59.
    Second,
    /// Tenths above 9.
    Tenths,
    /// UTC offset above 48 quarter hours.
    Offset,
    /// A relative time whose tenths are not `0` or offset is not `00`.
    RelativeTail,
    /// A relative period above 99 in some field.
    Period,
    /// A relative time in a field that holds only absolute times
    /// (`final_date`).
    NotAbsolute,
}

impl fmt::Display for TimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Length(n) => write!(f, "SMPP time must be 16 characters, got {n}"),
            Self::Year => f.write_str("year above 99"),
            Self::NotADigit { position } => write!(f, "expected a digit at position {position}"),
            Self::Sign(b) => write!(f, "invalid time type character 0x{b:02X}"),
            Self::Month => f.write_str("month out of range"),
            Self::Day => f.write_str("day out of range for the month"),
            Self::Hour => f.write_str("hour out of range"),
            Self::Minute => f.write_str("minute out of range"),
            Self::Second => f.write_str("second out of range"),
            Self::Tenths => f.write_str("tenths out of range"),
            Self::Offset => f.write_str("UTC offset above 48 quarter hours"),
            Self::RelativeTail => f.write_str("relative time must end in 000R"),
            Self::Period => f.write_str("relative period field above 99"),
            Self::NotAbsolute => f.write_str("relative time where only an absolute one is allowed"),
        }
    }
}

impl core::error::Error for TimeError {}

/// Direction of the UTC offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OffsetSign {
    /// `'+'`: local time is ahead of UTC.
    Ahead,
    /// `'-'`: local time is behind UTC.
    Behind,
}

/// An absolute time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AbsoluteTime {
    /// Year within the century, 0-99 (read as 2000-2099).
    pub year: u8,
    /// Month, 1-12.
    pub month: u8,
    /// Day, 1-31 depending on the month.
    pub day: u8,
    /// Hour, 0-23.
    pub hour: u8,
    /// Minute, 0-59.
    pub minute: u8,
    /// Second, 0-59.
    pub second: u8,
    /// Tenths of a second, 0-9.
    pub tenths: u8,
    /// Offset from UTC in quarter hours, 0-48.
    pub offset_quarters: u8,
    /// Direction of the offset.
    pub sign: OffsetSign,
}

/// A relative period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct RelativeTime {
    /// Years, 0-99.
    pub years: u8,
    /// Months, 0-99.
    pub months: u8,
    /// Days, 0-99.
    pub days: u8,
    /// Hours, 0-99.
    pub hours: u8,
    /// Minutes, 0-99.
    pub minutes: u8,
    /// Seconds, 0-99.
    pub seconds: u8,
}

/// An SMPP time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SmppTime {
    /// `YYMMDDhhmmsstnn+` or `...-`.
    Absolute(AbsoluteTime),
    /// `YYMMDDhhmmss000R`.
    Relative(RelativeTime),
}

/// A normalized UTC date and time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UtcDateTime {
    /// Full year.
    pub year: i32,
    /// Month, 1-12.
    pub month: u8,
    /// Day, 1-31.
    pub day: u8,
    /// Hour, 0-23.
    pub hour: u8,
    /// Minute, 0-59.
    pub minute: u8,
    /// Second, 0-59.
    pub second: u8,
    /// Tenths of a second, 0-9.
    pub tenths: u8,
}

const fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Days in `month` (1-12) of `year`; 0 for an invalid month.
pub const fn days_in_month(year: i32, month: u8) -> u8 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Days since 1970-01-01 of a date of the proleptic Gregorian calendar; `None` unless `month`
/// is 1-12 and `day` a day of that month.
///
/// With [`civil_from_days`], the calendar arithmetic behind [`AbsoluteTime::to_unix_seconds`]
/// and [`UtcDateTime::from_unix_seconds`], for code that converts dates without a date
/// library. Years before 1970 give negative counts; every `i32` year works.
///
/// ```
/// use smpp_core::time::{civil_from_days, days_from_civil};
///
/// assert_eq!(days_from_civil(1970, 1, 1), Some(0));
/// assert_eq!(days_from_civil(2000, 3, 1), Some(11_017));
/// assert_eq!(days_from_civil(1969, 12, 31), Some(-1));
/// assert_eq!(days_from_civil(2023, 2, 29), None); // not a leap year
/// assert_eq!(civil_from_days(11_017), Some((2000, 3, 1)));
/// ```
pub const fn days_from_civil(year: i32, month: u8, day: u8) -> Option<i64> {
    if month < 1 || month > 12 || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let y = if month <= 2 {
        year as i64 - 1
    } else {
        year as i64
    };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = month as i64;
    let mp = if m > 2 { m - 3 } else { m + 9 };
    let doy = (153 * mp + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// The date (year, month 1-12, day 1-31) `days` days after 1970-01-01 (before it when
/// negative); `None` when the year does not fit an `i32`. The inverse of [`days_from_civil`].
///
/// ```
/// use smpp_core::time::civil_from_days;
///
/// assert_eq!(civil_from_days(0), Some((1970, 1, 1)));
/// assert_eq!(civil_from_days(-719_468), Some((0, 3, 1)));
/// assert_eq!(civil_from_days(19_782), Some((2024, 2, 29)));
/// assert_eq!(civil_from_days(i64::MAX), None);
/// ```
#[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // month and day are small
pub const fn civil_from_days(days: i64) -> Option<(i32, u8, u8)> {
    let Some(z) = days.checked_add(719_468) else {
        return None;
    };
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u8;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
    let y = if m <= 2 { y + 1 } else { y };
    if y < i32::MIN as i64 || y > i32::MAX as i64 {
        return None;
    }
    Some((y as i32, m, d))
}

impl UtcDateTime {
    /// The UTC date and time `secs` seconds after 1970-01-01T00:00:00Z (tenths 0); `None` when
    /// the year does not fit an `i32`.
    ///
    /// ```
    /// use smpp_core::time::UtcDateTime;
    ///
    /// let t = UtcDateTime::from_unix_seconds(1_422_929_106).unwrap();
    /// assert_eq!((t.year, t.month, t.day, t.hour, t.minute, t.second), (2015, 2, 3, 2, 5, 6));
    /// assert_eq!(t.to_unix_seconds(), Some(1_422_929_106));
    /// ```
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // rem_euclid results are small
    pub const fn from_unix_seconds(secs: i64) -> Option<Self> {
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let Some((year, month, day)) = civil_from_days(days) else {
            return None;
        };
        Some(Self {
            year,
            month,
            day,
            hour: (rem / 3600) as u8,
            minute: (rem / 60 % 60) as u8,
            second: (rem % 60) as u8,
            tenths: 0,
        })
    }

    /// Seconds since 1970-01-01T00:00:00Z (tenths dropped); `None` unless every field is in
    /// range.
    pub const fn to_unix_seconds(&self) -> Option<i64> {
        if self.hour > 23 || self.minute > 59 || self.second > 59 {
            return None;
        }
        let Some(days) = days_from_civil(self.year, self.month, self.day) else {
            return None;
        };
        Some(days * 86_400 + self.hour as i64 * 3600 + self.minute as i64 * 60 + self.second as i64)
    }
}

fn two(s: &[u8; 16], i: usize) -> Result<u8, TimeError> {
    let d = |p: usize| match s.get(p) {
        Some(&b) if b.is_ascii_digit() => Ok(b - b'0'),
        _ => Err(TimeError::NotADigit { position: p }),
    };
    Ok(d(i)? * 10 + d(i + 1)?)
}

fn put_two(out: &mut [u8; 16], i: usize, v: u8) {
    if let Some(slot) = out.get_mut(i..i + 2) {
        slot.copy_from_slice(&[b'0' + (v / 10) % 10, b'0' + v % 10]);
    }
}

impl AbsoluteTime {
    /// Checks every field's range (day against the month, with leap years of 20YY).
    pub const fn validate(&self) -> Result<(), TimeError> {
        if self.year > 99 {
            return Err(TimeError::Year);
        }
        if self.month < 1 || self.month > 12 {
            return Err(TimeError::Month);
        }
        if self.day < 1 || self.day > days_in_month(2000 + self.year as i32, self.month) {
            return Err(TimeError::Day);
        }
        if self.hour > 23 {
            return Err(TimeError::Hour);
        }
        if self.minute > 59 {
            return Err(TimeError::Minute);
        }
        if self.second > 59 {
            return Err(TimeError::Second);
        }
        if self.tenths > 9 {
            return Err(TimeError::Tenths);
        }
        if self.offset_quarters > 48 {
            return Err(TimeError::Offset);
        }
        Ok(())
    }

    /// Offset from UTC in minutes (positive when local time is ahead).
    pub const fn offset_minutes(&self) -> i32 {
        let m = self.offset_quarters as i32 * 15;
        match self.sign {
            OffsetSign::Ahead => m,
            OffsetSign::Behind => -m,
        }
    }

    /// Seconds since 1970-01-01T00:00:00Z (tenths dropped). For a time that
    /// [`Self::validate`] refuses the result is the calendar arithmetic of its fields (a day
    /// past the month's end counts into the next month).
    pub const fn to_unix_seconds(&self) -> i64 {
        let first = match days_from_civil(2000 + self.year as i32, self.month, 1) {
            Some(days) => days,
            None => 0,
        };
        let days = first + self.day as i64 - 1;
        let local =
            days * 86_400 + self.hour as i64 * 3600 + self.minute as i64 * 60 + self.second as i64;
        local - self.offset_minutes() as i64 * 60
    }

    /// The same instant as a UTC date and time.
    pub const fn to_utc(&self) -> UtcDateTime {
        match UtcDateTime::from_unix_seconds(self.to_unix_seconds()) {
            Some(utc) => UtcDateTime {
                tenths: self.tenths,
                ..utc
            },
            // Years 1999-2101 always fit.
            None => UtcDateTime {
                year: 2000,
                month: 1,
                day: 1,
                hour: 0,
                minute: 0,
                second: 0,
                tenths: self.tenths,
            },
        }
    }

    /// The absolute time of the instant `secs` seconds after 1970-01-01T00:00:00Z, written as
    /// local time at `offset_minutes` from UTC (positive when ahead; a multiple of 15 within
    /// ±12 hours), tenths 0. Fails with [`TimeError::Offset`] for another offset and
    /// [`TimeError::Year`] unless the local year is 2000-2099 (the two digits of an SMPP time).
    ///
    /// ```
    /// use smpp_core::time::{AbsoluteTime, SmppTime};
    ///
    /// let utc = AbsoluteTime::from_unix_seconds(1_422_929_106, 0)?;
    /// assert_eq!(&SmppTime::Absolute(utc).format(), b"150203020506000+");
    /// let local = AbsoluteTime::from_unix_seconds(1_422_929_106, 120)?;
    /// assert_eq!(&SmppTime::Absolute(local).format(), b"150203040506008+");
    /// assert_eq!(local.to_unix_seconds(), 1_422_929_106);
    /// # Ok::<(), smpp_core::time::TimeError>(())
    /// ```
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)] // checked ranges
    pub const fn from_unix_seconds(secs: i64, offset_minutes: i32) -> Result<Self, TimeError> {
        if offset_minutes % 15 != 0 || offset_minutes.unsigned_abs() > 48 * 15 {
            return Err(TimeError::Offset);
        }
        let Some(local) = secs.checked_add(offset_minutes as i64 * 60) else {
            return Err(TimeError::Year);
        };
        let Some(t) = UtcDateTime::from_unix_seconds(local) else {
            return Err(TimeError::Year);
        };
        if t.year < 2000 || t.year > 2099 {
            return Err(TimeError::Year);
        }
        Ok(Self {
            year: (t.year - 2000) as u8,
            month: t.month,
            day: t.day,
            hour: t.hour,
            minute: t.minute,
            second: t.second,
            tenths: 0,
            offset_quarters: (offset_minutes.unsigned_abs() / 15) as u8,
            sign: if offset_minutes < 0 {
                OffsetSign::Behind
            } else {
                OffsetSign::Ahead
            },
        })
    }
}

impl RelativeTime {
    /// Checks that every field is at most 99.
    pub const fn validate(&self) -> Result<(), TimeError> {
        if self.years > 99
            || self.months > 99
            || self.days > 99
            || self.hours > 99
            || self.minutes > 99
            || self.seconds > 99
        {
            return Err(TimeError::Period);
        }
        Ok(())
    }

    /// The period in seconds, counting days, hours, minutes and seconds exactly and years and
    /// months as 365 and 30 days (MCs differ; this is an estimate for those two fields).
    pub const fn approx_seconds(&self) -> u64 {
        let days = self.years as u64 * 365 + self.months as u64 * 30 + self.days as u64;
        days * 86_400 + self.hours as u64 * 3600 + self.minutes as u64 * 60 + self.seconds as u64
    }
}

impl SmppTime {
    /// Parses a 16-character time: absolute (`YYMMDDhhmmsstnnp`, `p` `+` or
    /// `-`) or relative (`YYMMDDhhmmss000R`).
    ///
    /// # Errors
    ///
    /// The first problem found, as a [`TimeError`]: another length, a
    /// character that must be a digit and is not, a 16th character other
    /// than `+`, `-` or `R`, a field out of its range (an impossible date),
    /// or a relative time whose last four characters are not `000R`.
    pub fn parse(s: &[u8]) -> Result<Self, TimeError> {
        let s: &[u8; 16] = s.try_into().map_err(|_| TimeError::Length(s.len()))?;
        let f = |i| two(s, i);
        let kind = s.get(15).copied().unwrap_or(0);
        match kind {
            b'R' => {
                let tail_digits = two(s, 12)?;
                let t = s.get(14).copied().unwrap_or(0);
                if !t.is_ascii_digit() {
                    return Err(TimeError::NotADigit { position: 14 });
                }
                if tail_digits != 0 || t != b'0' {
                    return Err(TimeError::RelativeTail);
                }
                Ok(Self::Relative(RelativeTime {
                    years: f(0)?,
                    months: f(2)?,
                    days: f(4)?,
                    hours: f(6)?,
                    minutes: f(8)?,
                    seconds: f(10)?,
                }))
            }
            b'+' | b'-' => {
                let t = s.get(12).copied().unwrap_or(0);
                if !t.is_ascii_digit() {
                    return Err(TimeError::NotADigit { position: 12 });
                }
                let abs = AbsoluteTime {
                    year: f(0)?,
                    month: f(2)?,
                    day: f(4)?,
                    hour: f(6)?,
                    minute: f(8)?,
                    second: f(10)?,
                    tenths: t - b'0',
                    offset_quarters: f(13)?,
                    sign: if kind == b'+' {
                        OffsetSign::Ahead
                    } else {
                        OffsetSign::Behind
                    },
                };
                abs.validate()?;
                Ok(Self::Absolute(abs))
            }
            other => {
                // Report a bad digit (any of the first 15 characters) before a bad type
                // character.
                if let Some(position) = s.iter().take(15).position(|b| !b.is_ascii_digit()) {
                    return Err(TimeError::NotADigit { position });
                }
                Err(TimeError::Sign(other))
            }
        }
    }

    /// Parses a PDU field value: empty (or a lone NUL) means "not specified" and gives `None`;
    /// otherwise 16 characters, optionally followed by the NUL terminator.
    pub fn parse_field(s: &[u8]) -> Result<Option<Self>, TimeError> {
        let s = s.strip_suffix(&[0]).unwrap_or(s);
        if s.is_empty() {
            Ok(None)
        } else {
            Self::parse(s).map(Some)
        }
    }

    /// Formats as 16 ASCII characters (without NUL). The fields are not
    /// checked: each is written as its last two digits (its last digit for
    /// the tenths), so a value built by hand with a field out of range
    /// formats as another time. [`Self::try_format`] checks first.
    pub fn format(&self) -> [u8; 16] {
        // The six two-digit fields, then tenths, offset and type.
        let (fields, tenths, quarters, kind) = match self {
            Self::Absolute(a) => {
                let sign = match a.sign {
                    OffsetSign::Ahead => b'+',
                    OffsetSign::Behind => b'-',
                };
                let fields = [a.year, a.month, a.day, a.hour, a.minute, a.second];
                (fields, a.tenths % 10, a.offset_quarters, sign)
            }
            Self::Relative(r) => {
                let fields = [r.years, r.months, r.days, r.hours, r.minutes, r.seconds];
                (fields, 0, 0, b'R')
            }
        };
        let mut out = [b'0'; 16];
        for (i, v) in fields.into_iter().enumerate() {
            put_two(&mut out, i * 2, v);
        }
        put_two(&mut out, 13, quarters);
        let [.., t, _, _, p] = &mut out;
        *t = b'0' + tenths;
        *p = kind;
        out
    }

    /// Validates and formats; use this for values built by hand.
    pub fn try_format(&self) -> Result<[u8; 16], TimeError> {
        match self {
            Self::Absolute(a) => a.validate()?,
            Self::Relative(r) => r.validate()?,
        }
        Ok(self.format())
    }
}

/// The rule of an SMPP time field of a PDU, applied alike when decoding
/// and encoding: empty (a lone NUL on the wire) or 16 characters that
/// [`SmppTime::parse`] accepts; `final_date` holds absolute times only.
#[inline]
pub(crate) fn check_field(field: Field, value: &[u8]) -> Result<(), FieldProblem> {
    match value.len() {
        0 => Ok(()),
        16 => match SmppTime::parse(value) {
            Ok(SmppTime::Relative(_)) if matches!(field, Field::FinalDate) => {
                Err(FieldProblem::TimeFormat {
                    error: TimeError::NotAbsolute,
                })
            }
            Ok(_) => Ok(()),
            Err(error) => Err(FieldProblem::TimeFormat { error }),
        },
        len => Err(FieldProblem::TimeLength { len }),
    }
}

impl fmt::Display for SmppTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.format() {
            fmt::Write::write_char(f, char::from(b))?;
        }
        Ok(())
    }
}
