//! The `content` view of `smppdump`: what the text tools of `smpp-core` make of a message's user
//! data. It is derived from the decoded PDU, read-only, and ignored by `--encode`; its shape is
//! documented at the top of `main.rs` (and in the repository README).

use serde_json::{Map, Value, json};
use smpp_core::receipt::{DeliveryReceipt, Receipt};
use smpp_core::text::dcs::Alphabet;
use smpp_core::text::gsm7::{Language, Tables};
use smpp_core::text::udh::{Ie, Udh};
use smpp_core::text::{self, TextError};
use smpp_core::{Body, DataCoding, EsmClass, Pdu, TlvTag, Tlvs};

use crate::to_hex;

/// The fields of a PDU that carry or describe its user data.
struct SmFields<'a> {
    /// `None` for the PDUs without `esm_class` (`replace_sm`, `broadcast_sm`).
    esm_class: Option<EsmClass>,
    data_coding: DataCoding,
    short_message: &'a [u8],
    tlvs: Tlvs<&'a [u8]>,
    /// `deliver_sm` and `data_sm` may be delivery receipts.
    may_be_receipt: bool,
}

/// The `content` object of a PDU that carries a message, `None` for any other PDU.
pub(crate) fn content(pdu: &Pdu<&[u8]>) -> Option<Value> {
    let msg = match &pdu.body {
        Body::SubmitSm(b) | Body::DeliverSm(b) => SmFields {
            esm_class: Some(b.esm_class),
            data_coding: b.data_coding,
            short_message: b.short_message,
            tlvs: b.tlvs,
            may_be_receipt: matches!(pdu.body, Body::DeliverSm(_)),
        },
        Body::SubmitMulti(b) => SmFields {
            esm_class: Some(b.esm_class),
            data_coding: b.data_coding,
            short_message: b.short_message,
            tlvs: b.tlvs,
            may_be_receipt: false,
        },
        Body::DataSm(b) => SmFields {
            esm_class: Some(b.esm_class),
            data_coding: b.data_coding,
            short_message: &[],
            tlvs: b.tlvs,
            may_be_receipt: true,
        },
        Body::ReplaceSm(b) => SmFields {
            esm_class: None,
            data_coding: DataCoding::DEFAULT,
            short_message: b.short_message,
            tlvs: b.tlvs,
            may_be_receipt: false,
        },
        Body::BroadcastSm(b) => SmFields {
            esm_class: None,
            data_coding: b.data_coding,
            short_message: &[],
            tlvs: b.tlvs,
            may_be_receipt: false,
        },
        _ => return None,
    };
    Some(Value::Object(msg.describe()))
}

/// What the header's elements say, as far as they parse.
#[derive(Default)]
struct HeaderInfo {
    ies: Vec<Value>,
    concat: Option<Value>,
    port: Option<(u16, u16)>,
    single: Option<Language>,
    locking: Option<Language>,
}

impl HeaderInfo {
    fn read(udh: &Udh<'_>, errors: &mut Vec<String>) -> Self {
        let mut info = Self::default();
        for raw in udh.raw_ies() {
            // `Udh::split` has checked that every element lies within the header.
            let raw = match raw {
                Ok(raw) => raw,
                Err(e) => {
                    errors.push(format!("udh: {e}"));
                    break;
                }
            };
            info.ies
                .push(json!({"iei": raw.iei, "hex": to_hex(raw.data)}));
            let ie = match raw.parse() {
                Ok(ie) => ie,
                Err(e) => {
                    errors.push(format!("udh: {e}"));
                    continue;
                }
            };
            if let Some(c) = ie.as_concat() {
                info.concat = Some(json!({"ref": c.reference, "total": c.total, "seq": c.seq}));
            }
            match ie {
                Ie::Port8 { dest, src } => info.port = Some((dest.into(), src.into())),
                Ie::Port16 { dest, src } => info.port = Some((dest, src)),
                // Unknown languages are ignored, as TS 23.038 asks of receivers.
                Ie::SingleShift(id) => info.single = Language::from_id(id).or(info.single),
                Ie::LockingShift(id) => {
                    info.locking = Language::from_id(id)
                        .filter(|l| l.has_locking_shift())
                        .or(info.locking);
                }
                _ => {}
            }
        }
        info
    }

    fn tables(&self) -> Tables {
        let single = self.single.unwrap_or(Language::Default);
        Tables::new(self.locking.unwrap_or(Language::Default), single)
            .unwrap_or(Tables::single_shift(single))
    }
}

impl SmFields<'_> {
    /// `short_message`, or `message_payload` when `short_message` is empty.
    fn user_data(&self) -> &[u8] {
        if self.short_message.is_empty() {
            self.tlvs
                .get(TlvTag::MESSAGE_PAYLOAD)
                .map_or(&[], |t| t.value)
        } else {
            self.short_message
        }
    }

    fn tlv_u8(&self, tag: TlvTag) -> Option<u8> {
        self.tlvs.get(tag).and_then(|t| t.as_u8())
    }

    fn tlv_u16(&self, tag: TlvTag) -> Option<u16> {
        self.tlvs.get(tag).and_then(|t| t.as_u16())
    }

    fn describe(&self) -> Map<String, Value> {
        let mut out = Map::new();
        let mut errors = Vec::new();
        let user_data = self.user_data();

        // The header, when UDHI says there is one; `None` when it does not parse, since then
        // nobody knows where the text starts.
        let mut header = HeaderInfo::default();
        let body = if self.esm_class.is_some_and(EsmClass::udhi) {
            match Udh::split(user_data) {
                Ok((udh, rest)) => {
                    header = HeaderInfo::read(&udh, &mut errors);
                    out.insert("udh".into(), Value::Array(core::mem::take(&mut header.ies)));
                    Some(rest)
                }
                Err(e) => {
                    errors.push(format!("udh: {e}"));
                    None
                }
            }
        } else {
            Some(user_data)
        };

        if let Some(concat) = header.concat.take().or_else(|| self.sar(&mut errors)) {
            out.insert("concat".into(), concat);
        }
        let port = header.port.map_or_else(
            || {
                let (dest, src) = (
                    self.tlv_u16(TlvTag::DESTINATION_PORT),
                    self.tlv_u16(TlvTag::SOURCE_PORT),
                );
                (dest.is_some() || src.is_some()).then(|| json!({"dest": dest, "src": src}))
            },
            |(dest, src)| Some(json!({"dest": dest, "src": src})),
        );
        if let Some(port) = port {
            out.insert("port".into(), port);
        }

        let text = body.and_then(|b| self.text(b, header.tables(), &mut errors));
        if let Some(t) = &text {
            out.insert("text".into(), Value::String(t.clone()));
        }

        if let Some(receipt) = self.receipt(body.unwrap_or(user_data), text.as_deref(), &mut errors)
        {
            out.insert("receipt".into(), receipt);
        }

        if !errors.is_empty() {
            out.insert("error".into(), Value::String(errors.join("; ")));
        }
        out
    }

    /// `concat` from the SAR TLVs.
    fn sar(&self, errors: &mut Vec<String>) -> Option<Value> {
        let reference = self.tlv_u16(TlvTag::SAR_MSG_REF_NUM);
        let total = self.tlv_u8(TlvTag::SAR_TOTAL_SEGMENTS);
        let seq = self.tlv_u8(TlvTag::SAR_SEGMENT_SEQNUM);
        match (reference, total, seq) {
            (Some(r), Some(t), Some(s)) => Some(json!({"ref": r, "total": t, "seq": s})),
            (None, None, None) => None,
            _ => {
                errors.push(
                    "sar: sar_msg_ref_num, sar_total_segments and sar_segment_seqnum \
                     must come together"
                        .into(),
                );
                None
            }
        }
    }

    /// The decoded text, `None` for binary data or when it does not decode.
    fn text(&self, octets: &[u8], tables: Tables, errors: &mut Vec<String>) -> Option<String> {
        let chars = text::decode(self.data_coding, tables, octets)?;
        match chars.collect::<Result<String, TextError>>() {
            Ok(s) => Some(s),
            Err(e) => {
                let gsm = matches!(
                    self.data_coding.alphabet(),
                    Alphabet::McDefault | Alphabet::Gsm7
                );
                let hint = if gsm && matches!(e, TextError::InvalidSeptet(_)) {
                    " (GSM 7-bit is read unpacked, one septet per octet; packed data is not \
                     decoded)"
                } else {
                    ""
                };
                errors.push(format!(
                    "text: data_coding {:#04x}: {e}{hint}",
                    self.data_coding.0
                ));
                None
            }
        }
    }

    /// The `receipt` object of a delivery receipt.
    fn receipt(
        &self,
        octets: &[u8],
        text: Option<&str>,
        errors: &mut Vec<String>,
    ) -> Option<Value> {
        if !self.may_be_receipt {
            return None;
        }
        let esm = self.esm_class?;
        // MC delivery receipts and intermediate notifications have the receipt layout; SME
        // acknowledgements carry the recipient's own text and are shown only if they look like one.
        let expected = match esm.message_type() {
            t if t == EsmClass::DELIVERY_RECEIPT.0
                || t == EsmClass::INTERMEDIATE_NOTIFICATION.0 =>
            {
                true
            }
            t if t == EsmClass::DELIVERY_ACK.0 || t == EsmClass::USER_ACK.0 => false,
            _ => return None,
        };
        let network_error_code =
            self.tlvs
                .get(TlvTag::NETWORK_ERROR_CODE)
                .and_then(|t| match *t.value {
                    [network_type, hi, lo] => Some((network_type, u16::from_be_bytes([hi, lo]))),
                    _ => None,
                });
        let mut receipt = Receipt::new(
            octets,
            self.tlvs
                .get(TlvTag::RECEIPTED_MESSAGE_ID)
                .map(|t| t.as_cstr()),
            self.tlv_u8(TlvTag::MESSAGE_STATE),
            network_error_code,
        );
        // Receipts are ASCII in practice and are read from the octets; when those are not a
        // receipt text (a UCS-2 receipt, say) the decoded text is tried.
        let mut from_text = false;
        if receipt.text.is_none() {
            receipt.text = text.and_then(|t| DeliveryReceipt::parse(t.as_bytes()).ok());
            from_text = receipt.text.is_some();
        }
        if !receipt.is_receipt() {
            if expected {
                errors.push("receipt: text is not a delivery receipt".into());
            } else {
                return None;
            }
        }
        let show = |s: &[u8]| if from_text { utf8(s) } else { latin1(s) };
        let fields = receipt.text.unwrap_or_default();
        let mut obj = Map::new();
        for (key, value) in [
            ("id", fields.id),
            ("sub", fields.sub),
            ("dlvrd", fields.dlvrd),
            ("submit_date", fields.submit_date),
            ("done_date", fields.done_date),
            ("stat", fields.stat),
            ("err", fields.err),
            ("text", fields.text),
        ] {
            obj.insert(key.into(), value.map(show).into());
        }
        if let Some(id) = receipt.receipted_message_id {
            obj.insert("receipted_message_id".into(), utf8(id).into());
        }
        if let Some(state) = receipt.message_state {
            obj.insert("message_state".into(), state.into());
        }
        if let Some((network_type, error_code)) = receipt.network_error_code {
            obj.insert(
                "network_error_code".into(),
                json!({"network_type": network_type, "error_code": error_code}),
            );
        }
        // The combined view: the TLV where there is one, else the text.
        let id_from_tlv = receipt.receipted_message_id.is_some_and(|t| !t.is_empty());
        let message_id = receipt
            .message_id()
            .map(|id| if id_from_tlv { utf8(id) } else { show(id) });
        obj.insert("message_id".into(), message_id.into());
        obj.insert(
            "state".into(),
            receipt
                .state()
                .and_then(smpp_core::MessageState::name)
                .into(),
        );
        Some(Value::Object(obj))
    }
}

/// Octets as Latin-1: every octet is one character, so nothing is lost or refused.
fn latin1(s: &[u8]) -> String {
    s.iter().map(|&b| char::from(b)).collect()
}

/// A C-Octet String value as text (invalid UTF-8 replaced).
fn utf8(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}
