//! SMPP absolute and relative times.

use smpp_core::time::{AbsoluteTime, OffsetSign, RelativeTime, SmppTime, TimeError, UtcDateTime};

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
    assert_eq!(
        SmppTime::parse(b"000001000000100R"),
        Err(TimeError::RelativeTail)
    );
    assert_eq!(
        SmppTime::parse(b"000001000000001R"),
        Err(TimeError::RelativeTail)
    );
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
        assert_eq!(SmppTime::parse(s), Err(e), "{}", String::from_utf8_lossy(s));
    }
    assert_eq!(
        SmppTime::parse(b"0001010000000001R"),
        Err(TimeError::Length(17))
    );
    assert_eq!(
        SmppTime::parse(b"000101000000X00+"),
        Err(TimeError::NotADigit { position: 12 })
    );
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
