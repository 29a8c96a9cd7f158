//! The peers measured against smpp-core, behind one small API each, and a
//! normalized summary of what each decoded (checked by `tests/peers.rs`, so
//! no peer is measured doing less work than the others).

#![allow(dead_code, unreachable_pub, missing_docs)]

use smpp_core::{Body, Pdu};

/// Capacity of the borrowed rusmpp PDUs' TLV vectors.
pub const RUSMPPZ_TLVS: usize = 8;

/// What a decoder found in a frame, in one shape for every implementation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub command_id: u32,
    pub command_status: u32,
    pub sequence_number: u32,
    pub source_addr: Vec<u8>,
    pub destination_addr: Vec<u8>,
    pub short_message: Vec<u8>,
    pub message_id: Vec<u8>,
    pub tlvs: Vec<(u16, Vec<u8>)>,
}

/// rusmpp keeps the NUL inside its C-Octet String values; the value is
/// what precedes it.
pub fn strip_nul(v: &[u8]) -> Vec<u8> {
    v.strip_suffix(&[0]).unwrap_or(v).to_vec()
}

fn tlv_list(tlvs: smpp_core::Tlvs<&[u8]>) -> Vec<(u16, Vec<u8>)> {
    tlvs.iter().map(|t| (t.tag.0, t.value.to_vec())).collect()
}

/// smpp-core's decode, summarized.
pub fn ours(frame: &[u8]) -> Summary {
    let pdu = Pdu::parse(frame).expect("smpp-core decodes");
    let mut s = Summary {
        command_id: pdu.command_id().0,
        command_status: pdu.command_status.0,
        sequence_number: pdu.sequence_number,
        ..Summary::default()
    };
    match pdu.body {
        Body::SubmitSm(b) | Body::DeliverSm(b) => {
            s.source_addr = b.source_addr.as_bytes().to_vec();
            s.destination_addr = b.destination_addr.as_bytes().to_vec();
            s.short_message = b.short_message.to_vec();
            s.tlvs = tlv_list(b.tlvs);
        }
        Body::SubmitSmResp(Some(b)) => {
            s.message_id = b.message_id.as_bytes().to_vec();
            s.tlvs = tlv_list(b.tlvs);
        }
        Body::EnquireLink => {}
        other => panic!("not a bench input: {other:?}"),
    }
    s
}

/// A `match` with one arm body for several patterns whose bindings differ
/// in type (each peer has a type for `submit_sm` and one for `deliver_sm`),
/// which an or-pattern cannot join; the other arms follow.
macro_rules! match_alike {
    ($value:expr; $($alike:pat),+ => $body:expr; $($arm:tt)*) => {
        match $value {
            $($alike => $body,)+
            $($arm)*
        }
    };
}

// ---------------------------------------------------------------- rusmpp

/// What rusmpp's two paths share, written once: their API is the same but
/// for the types. `encode` and `summary` for `$krate`, whose commands are
/// `$cmd` and TLVs `$tlv`; `$decode` gets the command of `$frame`, and
/// `$octets` is the method giving a `short_message`'s octets.
macro_rules! rusmpp_path {
    ($krate:ident, $cmd:ty, $tlv:ty, $octets:ident, |$frame:ident| $decode:expr) => {
        use $krate::Pdu;
        use $krate::encode::{Encode, Length};

        use super::Summary;

        /// Encodes one frame into `out`, returning its length.
        pub fn encode(cmd: &$cmd, out: &mut [u8]) -> usize {
            let len = 4 + cmd.length();
            out[..4].copy_from_slice(&u32::try_from(len).unwrap().to_be_bytes());
            4 + cmd.encode(&mut out[4..len])
        }

        fn tlv_bytes<T: Encode>(t: &T) -> Vec<u8> {
            let mut buf = vec![0u8; t.length()];
            let n = t.encode(&mut buf);
            buf.truncate(n);
            buf
        }

        fn tlvs(list: &[$tlv]) -> Vec<(u16, Vec<u8>)> {
            list.iter()
                .map(|t| (u16::from(t.tag()), tlv_bytes(t)[4..].to_vec()))
                .collect()
        }

        pub fn summary($frame: &[u8]) -> Summary {
            let cmd = $decode.expect(concat!(stringify!($krate), " decodes"));
            let mut s = Summary {
                command_id: u32::from(cmd.id()),
                command_status: u32::from(cmd.status),
                sequence_number: cmd.sequence_number,
                ..Summary::default()
            };
            match_alike!(cmd.pdu();
                Some(Pdu::SubmitSm(b)), Some(Pdu::DeliverSm(b)) => {
                    s.source_addr = super::strip_nul(b.source_addr.as_ref());
                    s.destination_addr = super::strip_nul(b.destination_addr.as_ref());
                    s.short_message = b.short_message().$octets().to_vec();
                    s.tlvs = tlvs(b.tlvs());
                };
                Some(Pdu::SubmitSmResp(b)) => {
                    s.message_id = super::strip_nul(b.message_id().as_ref());
                    s.tlvs = tlvs(b.tlvs());
                }
                Some(Pdu::EnquireLink) => {}
                other => panic!(concat!(stringify!($krate), ": unexpected {:?}"), other),
            );
            s
        }
    };
}

pub mod rusmpp_borrowed {
    //! `rusmppz` (rusmpp-core's borrowed, no-alloc path).
    use rusmppz::Command;
    use rusmppz::decode::DecodeWithLength;

    use super::RUSMPPZ_TLVS;

    pub type Cmd<'a> = Command<'a, RUSMPPZ_TLVS>;

    /// Decodes one whole frame (as its framing codec does).
    pub fn decode(frame: &[u8]) -> Option<Cmd<'_>> {
        let body = frame.get(4..)?;
        Cmd::decode(body, body.len()).ok().map(|(c, _)| c)
    }

    rusmpp_path!(rusmppz, Cmd<'_>, rusmppz::tlvs::Tlv<'_>, bytes, |frame| {
        decode(frame)
    });
}

pub mod rusmpp_owned {
    //! `rusmpp` (rusmpp-core's owned path on `bytes`).
    use bytes::BytesMut;
    use rusmpp::Command;
    use rusmpp::decode::DecodeWithLength;

    /// The input its decoder takes: the frame after `command_length`, in a
    /// `BytesMut` (the tokio codec hands it that after framing).
    pub fn input(frame: &[u8]) -> BytesMut {
        BytesMut::from(&frame[4..])
    }

    /// Decodes one frame (as prepared by [`input`]).
    pub fn decode(src: &mut BytesMut) -> Option<Command> {
        let len = src.len();
        Command::decode(src, len).ok().map(|(c, _)| c)
    }

    rusmpp_path!(rusmpp, Command, rusmpp::tlvs::Tlv, as_ref, |frame| decode(
        &mut input(frame)
    ));
}

// ---------------------------------------------------------------- smpp34

pub mod smpp34 {
    //! `smpp34`: a header decode, then the body decoder for the command.
    use smpp34::{CommandHeader, deliver_sm, enquire_link, submit_sm, submit_sm_resp};

    use super::Summary;

    #[derive(Clone, Debug)]
    pub enum Decoded {
        SubmitSm(submit_sm),
        DeliverSm(deliver_sm),
        SubmitSmResp(submit_sm_resp),
        EnquireLink(enquire_link),
    }

    pub fn decode(frame: &[u8]) -> Option<Decoded> {
        let header = CommandHeader::decode(frame).ok()?;
        Some(match header.command_id {
            0x0000_0004 => Decoded::SubmitSm(submit_sm::decode(header, frame).ok()?),
            0x0000_0005 => Decoded::DeliverSm(deliver_sm::decode(header, frame).ok()?),
            0x8000_0004 => Decoded::SubmitSmResp(submit_sm_resp::decode(header, frame).ok()?),
            0x0000_0015 => Decoded::EnquireLink(enquire_link::decode(header, frame).ok()?),
            _ => return None,
        })
    }

    /// Encodes (its encoders consume the value and return a new `Vec`).
    pub fn encode(d: Decoded) -> Vec<u8> {
        match d {
            Decoded::SubmitSm(m) => m.encode(),
            Decoded::DeliverSm(m) => m.encode(),
            Decoded::SubmitSmResp(m) => m.encode(),
            Decoded::EnquireLink(m) => m.encode(),
        }
    }

    pub fn summary(frame: &[u8]) -> Summary {
        let d = decode(frame).expect("smpp34 decodes");
        let header = CommandHeader::decode(frame).unwrap();
        let mut s = Summary {
            command_id: header.command_id,
            command_status: header.command_status,
            sequence_number: header.sequence_number,
            ..Summary::default()
        };
        match_alike!(d;
            Decoded::SubmitSm(m), Decoded::DeliverSm(m) => {
                s.source_addr = m.source_addr.into_bytes();
                s.destination_addr = m.destination_addr.into_bytes();
                s.short_message = m.short_message;
                s.tlvs = m.tlvs.into_iter().map(|t| (t.tag, t.value)).collect();
            };
            Decoded::SubmitSmResp(m) => {
                s.message_id = m.message_id.unwrap_or_default().into_bytes();
            }
            Decoded::EnquireLink(_) => {}
        );
        s
    }
}

// ---------------------------------------------------------------- smpp-codec

pub mod smpp_codec {
    //! `smpp-codec`: the body decoder for the command, on the whole frame.
    use smpp_codec::pdus::{
        DeliverSmRequest, EnquireLinkRequest, SubmitSmRequest, SubmitSmResponse,
    };

    use super::Summary;

    #[derive(Clone, Debug)]
    pub enum Decoded {
        SubmitSm(SubmitSmRequest),
        DeliverSm(DeliverSmRequest),
        SubmitSmResp(SubmitSmResponse),
        EnquireLink(EnquireLinkRequest),
    }

    pub fn decode(frame: &[u8]) -> Option<Decoded> {
        let id = u32::from_be_bytes(frame.get(4..8)?.try_into().ok()?);
        Some(match id {
            0x0000_0004 => Decoded::SubmitSm(SubmitSmRequest::decode(frame).ok()?),
            0x0000_0005 => Decoded::DeliverSm(DeliverSmRequest::decode(frame).ok()?),
            0x8000_0004 => Decoded::SubmitSmResp(SubmitSmResponse::decode(frame).ok()?),
            0x0000_0015 => Decoded::EnquireLink(EnquireLinkRequest::decode(frame).ok()?),
            _ => return None,
        })
    }

    /// Encodes into `out` (cleared first; its capacity is reused).
    pub fn encode(d: &Decoded, out: &mut Vec<u8>) {
        out.clear();
        match d {
            Decoded::SubmitSm(m) => m.encode(out),
            Decoded::DeliverSm(m) => m.encode(out),
            Decoded::SubmitSmResp(m) => m.encode(out),
            Decoded::EnquireLink(m) => m.encode(out),
        }
        .expect("smpp-codec encodes");
    }

    pub fn summary(frame: &[u8]) -> Summary {
        let d = decode(frame).expect("smpp-codec decodes");
        let mut s = Summary {
            command_id: u32::from_be_bytes(frame[4..8].try_into().unwrap()),
            command_status: u32::from_be_bytes(frame[8..12].try_into().unwrap()),
            ..Summary::default()
        };
        match_alike!(d;
            Decoded::SubmitSm(m), Decoded::DeliverSm(m) => {
                s.sequence_number = m.sequence_number;
                s.source_addr = m.source_addr.into_bytes();
                s.destination_addr = m.dest_addr.into_bytes();
                s.short_message = m.short_message;
                s.tlvs = m.optional_params.into_iter().map(|t| (t.tag, t.value)).collect();
            };
            Decoded::SubmitSmResp(m) => {
                s.sequence_number = m.sequence_number;
                s.command_status = m.command_status;
                s.message_id = m.message_id.into_bytes();
            }
            Decoded::EnquireLink(m) => s.sequence_number = m.sequence_number,
        );
        s
    }
}
