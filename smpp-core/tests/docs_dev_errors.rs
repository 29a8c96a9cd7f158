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
