//! SMPP absolute and relative times.

use smpp_core::time::{AbsoluteTime, OffsetSign, RelativeTime, SmppTime, TimeError, UtcDateTime};

/// `s` is refused with `error`.
fn assert_refused(s: &[u8], error: TimeError) {
    assert_eq!(SmppTime::parse(s), Err(error), "{}", s.escape_ascii());
}

fn abs(s: &[u8]) -> AbsoluteTime {
    match SmppTime::parse(s).unwrap() {
        SmppTime::Absolute(a) => a,
        SmppTime::Relative(_) => panic!("relative"),
    }
}

#[test]
fn absolute_example_and_utc() {
    let a = abs(b"150203040506708+");
    assert_eq!(
        a,
        AbsoluteTime {
            year: 15,
            month: 2,
            day: 3,
            hour: 4,
            minute: 5,
            second: 6,
            tenths: 7,
            offset_quarters: 8,
            sign: OffsetSign::Ahead
        }
    );
    assert_eq!(a.offset_minutes(), 120);
    assert_eq!(
        a.to_utc(),
        UtcDateTime {
            year: 2015,
            month: 2,
            day: 3,
            hour: 2,
            minute: 5,
            second: 6,
            tenths: 7
        }
    );
    assert_eq!(a.to_unix_seconds(), 1_422_929_106);
    // Behind UTC by 12 hours crosses midnight and the year.
    let b = abs(b"991231235959948-");
    assert_eq!(
        b.to_utc(),
        UtcDateTime {
            year: 2100,
            month: 1,
            day: 1,
            hour: 11,
            minute: 59,
            second: 59,
            tenths: 9
        }
    );
    let c = abs(b"000101000000048+");
    assert_eq!(
        c.to_utc(),
        UtcDateTime {
            year: 1999,
            month: 12,
            day: 31,
            hour: 12,
            minute: 0,
            second: 0,
            tenths: 0
        }
    );
    // 2070-01-01T00:00:00Z.
    assert_eq!(abs(b"700101000000000+").to_unix_seconds(), 3_155_760_000);
}

#[test]
fn relative() {
    assert_eq!(
        SmppTime::parse(b"020610233429000R"),
        Ok(SmppTime::Relative(RelativeTime {
            years: 2,
            months: 6,
            days: 10,
            hours: 23,
            minutes: 34,
            seconds: 29
        }))
    );
    let one_day = SmppTime::parse(b"000001000000000R").unwrap();
    let SmppTime::Relative(r) = one_day else {
        panic!()
    };
    assert_eq!(r.approx_seconds(), 86_400);
    // Relative fields are periods: 99 hours is fine.
    assert!(SmppTime::parse(b"000000995959000R").is_ok());
    assert_refused(b"000001000000100R", TimeError::RelativeTail);
    assert_refused(b"000001000000001R", TimeError::RelativeTail);
    assert_eq!(one_day.format(), *b"000001000000000R");
}

#[test]
fn field_edges() {
    for ok in [
        &b"000101000000000+"[..],
        b"991231235959948-",
        b"240229120000000+", // leap year 2024
        b"000229120000000+", // 2000 is a leap year
        b"230430000000000+",
        b"230131000000000-",
    ] {
        let t = SmppTime::parse(ok).unwrap();
        assert_eq!(&t.format()[..], ok);
    }
    let bad: [(&[u8], TimeError); 14] = [
        (b"001301000000000+", TimeError::Month),
        (b"000001000000000+", TimeError::Month),
        (b"000100000000000+", TimeError::Day),
        (b"000132000000000+", TimeError::Day),
        (b"230229000000000+", TimeError::Day),
        (b"230431000000000+", TimeError::Day),
        (b"000101240000000+", TimeError::Hour),
        (b"000101236000000+", TimeError::Minute),
        (b"000101235960000+", TimeError::Second),
        (b"000101000000049+", TimeError::Offset),
        (b"000101000000099-", TimeError::Offset),
        (b"0001010000000000", TimeError::Sign(b'0')),
        (b"0001010000000+", TimeError::Length(14)),
        (b"0A0101000000000+", TimeError::NotADigit { position: 1 }),
    ];
    for (s, e) in bad {
        assert_refused(s, e);
    }
    assert_refused(b"0001010000000001R", TimeError::Length(17));
    assert_refused(b"000101000000X00+", TimeError::NotADigit { position: 12 });
}

#[test]
fn field_values() {
    assert_eq!(SmppTime::parse_field(b""), Ok(None));
    assert_eq!(SmppTime::parse_field(b"\0"), Ok(None));
    assert!(
        SmppTime::parse_field(b"150203040506708+\0")
            .unwrap()
            .is_some()
    );
    assert_eq!(
        SmppTime::parse_field(b"1502030405\0"),
        Err(TimeError::Length(10))
    );
}

#[test]
fn try_format_validates() {
    let mut a = abs(b"150203040506708+");
    a.day = 30;
    assert_eq!(SmppTime::Absolute(a).try_format(), Err(TimeError::Day));
    a.day = 28;
    a.sign = OffsetSign::Behind;
    assert_eq!(SmppTime::Absolute(a).try_format(), Ok(*b"150228040506708-"));
    assert_eq!(SmppTime::Absolute(a).to_string(), "150228040506708-");
    let r = RelativeTime {
        days: 100,
        ..RelativeTime::default()
    };
    assert_eq!(SmppTime::Relative(r).try_format(), Err(TimeError::Period));
}

#[test]
fn absolute_year_above_99_is_a_year_error() {
    let mut a = abs(b"991231235959948+");
    assert_eq!(a.validate(), Ok(()));
    a.year = 100;
    assert_eq!(a.validate(), Err(TimeError::Year));
    assert_eq!(SmppTime::Absolute(a).try_format(), Err(TimeError::Year));
    assert_eq!(TimeError::Year.to_string(), "year above 99");
}

#[test]
fn a_bad_digit_is_reported_before_a_bad_type_character() {
    // Every one of the first 15 positions, the last offset digit included.
    for position in 0..15 {
        let mut s = *b"0001010000000000";
        s[position] = b'x';
        s[15] = b'Z';
        assert_refused(&s, TimeError::NotADigit { position });
    }
    assert_refused(b"000101000000000Z", TimeError::Sign(b'Z'));
    // The type character is case-sensitive, and a NUL in its place is no type.
    assert_refused(b"000001000000000r", TimeError::Sign(b'r'));
    assert_refused(b"000001000000000\0", TimeError::Sign(0));
}

#[test]
fn relative_edges() {
    // Every field 00 and 99.
    assert_eq!(
        SmppTime::parse(b"000000000000000R"),
        Ok(SmppTime::Relative(RelativeTime::default()))
    );
    let max = SmppTime::parse(b"999999999999000R").unwrap();
    assert_eq!(
        max,
        SmppTime::Relative(RelativeTime {
            years: 99,
            months: 99,
            days: 99,
            hours: 99,
            minutes: 99,
            seconds: 99
        })
    );
    assert_eq!(max.format(), *b"999999999999000R");
    // Month 00 and 13, day 00 and 32, hour 24, minute and second 60: periods, not dates.
    for s in [
        &b"001300000000000R"[..],
        b"000032000000000R",
        b"000000246060000R",
    ] {
        assert!(SmppTime::parse(s).is_ok(), "{}", s.escape_ascii());
    }
    // Each of the three tail characters must be '0'.
    for (s, e) in [
        (&b"000001000000900R"[..], TimeError::RelativeTail),
        (b"000001000000010R", TimeError::RelativeTail),
        (b"000001000000001R", TimeError::RelativeTail),
        (b"000001000000 00R", TimeError::NotADigit { position: 12 }),
        (b"000001000000-00R", TimeError::NotADigit { position: 12 }),
        (b"0000010000000x0R", TimeError::NotADigit { position: 13 }),
        (b"00000100000000xR", TimeError::NotADigit { position: 14 }),
        (b"0000010000x0000R", TimeError::NotADigit { position: 10 }),
    ] {
        assert_refused(s, e);
    }
    // A relative period has no field above 99 to build by hand except through the fields.
    for field in 0..6 {
        let mut r = RelativeTime::default();
        *[
            &mut r.years,
            &mut r.months,
            &mut r.days,
            &mut r.hours,
            &mut r.minutes,
            &mut r.seconds,
        ][field] = 100;
        assert_eq!(r.validate(), Err(TimeError::Period), "field {field}");
    }
    assert_eq!(
        RelativeTime {
            years: 1,
            months: 1,
            days: 1,
            hours: 1,
            minutes: 1,
            seconds: 1
        }
        .approx_seconds(),
        (365 + 30 + 1) * 86_400 + 3600 + 60 + 1
    );
}

#[test]
fn every_absolute_field_at_its_limits() {
    // (string, expected error) for the value just inside and just outside each limit.
    let cases: [(&[u8], Option<TimeError>); 22] = [
        (b"000101000000000+", None),
        (b"990101000000000+", None),
        (b"000001000000000+", Some(TimeError::Month)),
        (b"001201000000000+", None),
        (b"001301000000000+", Some(TimeError::Month)),
        (b"009901000000000+", Some(TimeError::Month)),
        (b"000100000000000+", Some(TimeError::Day)),
        (b"000131000000000+", None),
        (b"000230000000000+", Some(TimeError::Day)),
        (b"010229000000000+", Some(TimeError::Day)),
        (b"000630000000000+", None),
        (b"000631000000000+", Some(TimeError::Day)),
        (b"001231000000000+", None),
        (b"000101230000000+", None),
        (b"000101240000000+", Some(TimeError::Hour)),
        (b"000101005900000+", None),
        (b"000101006000000+", Some(TimeError::Minute)),
        (b"000101000059000+", None),
        (b"000101000060000+", Some(TimeError::Second)),
        (b"000101000000948+", None),
        (b"000101000000049-", Some(TimeError::Offset)),
        (b"000101000000000-", None),
    ];
    for (s, e) in cases {
        let what = String::from_utf8_lossy(s);
        match e {
            None => assert_eq!(
                SmppTime::parse(s).map(|t| t.format()),
                Ok(*s.first_chunk::<16>().unwrap()),
                "{what}"
            ),
            Some(e) => assert_refused(s, e),
        }
    }
    // Every month's last day, in a common and a leap year, and the day after it.
    for (month, days) in [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        .into_iter()
        .enumerate()
    {
        let month = month + 1;
        for (year, leap) in [(23, false), (24, true)] {
            let last = if month == 2 && leap { 29 } else { days };
            let ok = format!("{year:02}{month:02}{last:02}000000000+");
            assert!(SmppTime::parse(ok.as_bytes()).is_ok(), "{ok}");
            let bad = format!("{year:02}{month:02}{:02}000000000+", last + 1);
            assert_refused(bad.as_bytes(), TimeError::Day);
        }
    }
    // Lengths other than 16, and the field form's NUL.
    for len in [0, 1, 15, 17, 32] {
        let s = vec![b'0'; len];
        assert_refused(&s, TimeError::Length(len));
    }
    assert_eq!(
        SmppTime::parse_field(b"150203040506708+\0\0"),
        Err(TimeError::Length(17))
    );
    // The widest offsets move the instant by twelve hours either way.
    let ahead = abs(b"000101120000048+");
    let behind = abs(b"000101120000048-");
    assert_eq!(ahead.offset_minutes(), 720);
    assert_eq!(behind.offset_minutes(), -720);
    assert_eq!(
        behind.to_unix_seconds() - ahead.to_unix_seconds(),
        24 * 3600
    );
}

/// The civil-date conversion agrees with a calendar walked one day at a
/// time, from 1600 to 2400 (leap centuries and their neighbours included),
/// and holds at the ends of its range.
#[test]
fn civil_dates_against_a_walked_calendar() {
    use smpp_core::time::{civil_from_days, days_from_civil, days_in_month};
    // 1600-01-01 is 135,140 days before 1970-01-01.
    let (mut y, mut m, mut d) = (1600, 1u8, 1u8);
    let mut n: i64 = -135_140;
    while y <= 2400 {
        assert_eq!(days_from_civil(y, m, d), Some(n), "{y}-{m}-{d}");
        assert_eq!(civil_from_days(n), Some((y, m, d)), "{n}");
        n += 1;
        d += 1;
        if d > days_in_month(y, m) {
            d = 1;
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
    }
    assert_eq!(n, days_from_civil(2401, 1, 1).unwrap());
    // Impossible dates.
    for (y, m, d) in [
        (2023, 2, 29),
        (2100, 2, 29),
        (2024, 4, 31),
        (2024, 0, 1),
        (2024, 13, 1),
        (2024, 1, 0),
    ] {
        assert_eq!(days_from_civil(y, m, d), None, "{y}-{m}-{d}");
    }
    assert_eq!(days_from_civil(2000, 2, 29), Some(11_016));
    // The ends of the range.
    for (y, m, d) in [
        (i32::MAX, 12, 31),
        (i32::MIN, 1, 1),
        (0, 1, 1),
        (-1, 12, 31),
    ] {
        let days = days_from_civil(y, m, d).unwrap();
        assert_eq!(civil_from_days(days), Some((y, m, d)));
    }
    let last = days_from_civil(i32::MAX, 12, 31).unwrap();
    assert_eq!(civil_from_days(last + 1), None);
    let first = days_from_civil(i32::MIN, 1, 1).unwrap();
    assert_eq!(civil_from_days(first - 1), None);
    assert_eq!(civil_from_days(i64::MAX), None);
    assert_eq!(civil_from_days(i64::MIN), None);
}

#[test]
fn timestamps_to_utc_and_smpp_time() {
    // Before the epoch, and the last second of a leap day.
    let t = UtcDateTime::from_unix_seconds(-1).unwrap();
    assert_eq!(
        (t.year, t.month, t.day, t.hour, t.minute, t.second),
        (1969, 12, 31, 23, 59, 59)
    );
    let leap = UtcDateTime::from_unix_seconds(951_868_799).unwrap();
    assert_eq!(
        (leap.year, leap.month, leap.day, leap.hour),
        (2000, 2, 29, 23)
    );
    for secs in [
        -86_401,
        -1,
        0,
        1,
        951_868_799,
        4_102_444_799,
        253_402_300_799,
    ] {
        let t = UtcDateTime::from_unix_seconds(secs).unwrap();
        assert_eq!(t.to_unix_seconds(), Some(secs));
    }
    assert_eq!(UtcDateTime::from_unix_seconds(i64::MAX), None);
    let bad = UtcDateTime {
        hour: 24,
        ..UtcDateTime::from_unix_seconds(0).unwrap()
    };
    assert_eq!(bad.to_unix_seconds(), None);

    // SMPP times of a timestamp, at several offsets; each reads back as the same instant.
    let secs = 1_735_689_599; // 2024-12-31T23:59:59Z
    for (offset, text) in [
        (0, b"241231235959000+"),
        (60, b"250101005959004+"),
        (-330, b"241231182959022-"),
        (720, b"250101115959048+"),
        (-720, b"241231115959048-"),
    ] {
        let t = AbsoluteTime::from_unix_seconds(secs, offset).unwrap();
        assert_eq!(&SmppTime::Absolute(t).format(), text, "{offset}");
        assert_eq!(t.to_unix_seconds(), secs);
        assert_eq!(SmppTime::parse(text), Ok(SmppTime::Absolute(t)));
    }
    // Only 2000-2099 has two digits; the offset decides the local year.
    assert!(AbsoluteTime::from_unix_seconds(946_684_799, 60).is_ok());
    assert!(AbsoluteTime::from_unix_seconds(4_102_444_799, 0).is_ok());
    for (secs, offset, error) in [
        (secs, 7, TimeError::Offset),
        (secs, 735, TimeError::Offset),
        (secs, -735, TimeError::Offset),
        (secs, 1, TimeError::Offset),
        (946_684_799, 0, TimeError::Year),
        (4_102_444_799, 15, TimeError::Year),
        (i64::MAX, 60, TimeError::Year),
    ] {
        let got = AbsoluteTime::from_unix_seconds(secs, offset);
        assert_eq!(got, Err(error), "{secs} at {offset}");
    }
}
