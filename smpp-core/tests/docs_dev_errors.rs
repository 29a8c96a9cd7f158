//! The `# Errors` of small building blocks a proxy or an encoder uses:
//! `Header::parse` and the `TlvBuf` pushes.

use smpp_core::{CommandId, ErrorKind, Header, TlvBuf, TlvProblem, TlvTag};

#[test]
fn a_short_header_is_answered_with_generic_nack_0() {
    let err = Header::parse(&[0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0]).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::HeaderTruncated { len: 15 });
    let reply = err.reply();
    assert_eq!(
        (reply.command_id, reply.sequence_number),
        (CommandId::GENERIC_NACK, 0)
    );
    // Octets after the header are ignored.
    let header =
        Header::parse(&[0, 0, 0, 16, 0, 0, 0, 0x15, 0, 0, 0, 0, 0, 0, 0, 9, 0xFF]).unwrap();
    assert_eq!(header.sequence_number, 9);
}

#[test]
fn integer_pushes_refuse_the_wrong_width_and_a_full_buffer() {
    let mut buf = TlvBuf::<16>::new();
    let width = |r: Result<(), smpp_core::Error>| match r.unwrap_err().kind() {
        ErrorKind::Tlv {
            problem: TlvProblem::InvalidLength { len },
            ..
        } => len,
        other => panic!("{other:?}"),
    };
    assert_eq!(width(buf.push_u8(TlvTag::SAR_MSG_REF_NUM, 1)), 1);
    assert_eq!(width(buf.push_u16(TlvTag::SAR_TOTAL_SEGMENTS, 1)), 2);
    assert_eq!(width(buf.push_u32(TlvTag::SAR_MSG_REF_NUM, 1)), 4);
    assert!(buf.tlvs().is_empty());
    buf.push_u32(TlvTag(0x1400), 7).unwrap(); // 8 octets
    buf.push_u16(TlvTag::SAR_MSG_REF_NUM, 7).unwrap(); // 14
    let full = buf.push_u8(TlvTag::SAR_TOTAL_SEGMENTS, 2).unwrap_err();
    assert!(matches!(
        full.kind(),
        ErrorKind::BufferTooSmall {
            needed: 19,
            available: 16
        }
    ));
    assert_eq!(
        buf.tlvs().as_bytes().len(),
        14,
        "nothing of a refused TLV is appended"
    );
}

/// `SmppTime::parse`'s errors, and `format` against `try_format` for a
/// value built by hand out of range.
#[test]
fn smpp_time_errors_and_unchecked_format() {
    use smpp_core::time::{RelativeTime, SmppTime, TimeError};

    assert_eq!(
        SmppTime::parse(b"000001000000000"),
        Err(TimeError::Length(15))
    );
    assert_eq!(
        SmppTime::parse(b"00000100000x000R"),
        Err(TimeError::NotADigit { position: 11 })
    );
    assert_eq!(
        SmppTime::parse(b"0000010000000000"),
        Err(TimeError::Sign(b'0'))
    );
    assert_eq!(SmppTime::parse(b"260230120000000+"), Err(TimeError::Day));
    assert_eq!(
        SmppTime::parse(b"000001000000100R"),
        Err(TimeError::RelativeTail)
    );
    let by_hand = SmppTime::Relative(RelativeTime {
        days: 150,
        ..RelativeTime::default()
    });
    assert_eq!(&by_hand.format(), b"000050000000000R");
    assert_eq!(by_hand.try_format(), Err(TimeError::Period));
}

/// `Udh::split`'s errors, the known elements' lengths checked by `ies`,
/// and `UdhBuilder::push` stopping at 255 octets after the UDHL.
#[test]
fn udh_errors() {
    use smpp_core::text::udh::{Ie, Udh, UdhBuilder, UdhError, write_udh};

    assert_eq!(Udh::split(&[]), Err(UdhError::NoRoom));
    assert_eq!(
        Udh::split(&[5, 0, 3, 1]),
        Err(UdhError::UdhlPastEnd {
            udhl: 5,
            available: 3
        })
    );
    assert!(matches!(
        Udh::split(&[3, 0, 3, 1, b'x']),
        Err(UdhError::IeOverrun { .. })
    ));
    // A concatenation element of 2 octets: split passes, ies reports it.
    let (udh, rest) = Udh::split(&[4, 0, 2, 1, 2, b'x']).unwrap();
    assert_eq!(rest, b"x");
    assert!(matches!(
        udh.ies().next(),
        Some(Err(UdhError::IeLength { iei: 0, len: 2 }))
    ));

    let mut buf = [0u8; 300];
    let mut b = UdhBuilder::new(&mut buf).unwrap();
    let data = [0u8; 249];
    b.push(Ie::Other {
        iei: 0x70,
        data: &data,
    })
    .unwrap(); // 251 octets after the UDHL
    b.push(Ie::Concat8 {
        reference: 1,
        total: 2,
        seq: 1,
    })
    .unwrap_err(); // 256 > 255
    b.push(Ie::Port8 { dest: 1, src: 2 }).unwrap(); // 255
    assert_eq!(b.finish(), 256);
    assert_eq!(buf[0], 255);
    assert_eq!(
        write_udh(&[Ie::Port8 { dest: 1, src: 2 }], &mut []),
        Err(UdhError::BufferTooSmall)
    );
    assert_eq!(
        write_udh(&[Ie::Port8 { dest: 1, src: 2 }], &mut [0u8; 4]),
        Err(UdhError::BufferTooSmall)
    );
}

/// The `# Errors` of the Latin-1, ASCII and UCS-2 encoders.
#[test]
fn text_encoder_errors() {
    use smpp_core::text::{OnUnmappable, TextError, latin1, ucs2};

    let mut out = [0u8; 8];
    assert_eq!(
        latin1::encode_latin1("café", OnUnmappable::Error, &mut out),
        Ok(4)
    );
    assert_eq!(
        latin1::encode_latin1("a€", OnUnmappable::Error, &mut out),
        Err(TextError::Unmappable {
            ch: '€', offset: 1
        })
    );
    assert_eq!(
        latin1::encode_latin1("a€", OnUnmappable::Replace, &mut out),
        Ok(2)
    );
    assert_eq!(&out[..2], b"a?");
    assert_eq!(
        latin1::encode_ascii("é", OnUnmappable::Error, &mut out),
        Err(TextError::Unmappable {
            ch: 'é', offset: 0
        })
    );
    assert_eq!(
        latin1::encode_latin1("123456789", OnUnmappable::Error, &mut out),
        Err(TextError::BufferTooSmall)
    );
    assert_eq!(latin1::latin1_to_utf8(&[0xE9; 4], &mut out), Ok(8));
    assert_eq!(
        latin1::latin1_to_utf8(&[0xE9; 5], &mut out),
        Err(TextError::BufferTooSmall)
    );
    assert_eq!(ucs2::encode("a😀", &mut out), Ok(6));
    assert_eq!(
        ucs2::encode("a😀", &mut out[..5]),
        Err(TextError::BufferTooSmall)
    );
    let mut units = [0u16; 2];
    assert_eq!(ucs2::encode_units("😀", &mut units), Ok(2));
    assert_eq!(
        ucs2::encode_units("a😀", &mut units),
        Err(TextError::BufferTooSmall)
    );
}
