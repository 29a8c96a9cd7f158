//! Benchmarks for the SMPP workspace (see `benches/` and `RESULTS.md`).
//!
//! This library builds the benchmark inputs, so the benchmark and the test
//! that checks every peer decodes them correctly use the same octets.

use smpp_core::text::OnUnmappable;
use smpp_core::text::gsm7::{self, Tables};
use smpp_core::{Body, COctet, Npi, Pdu, SubmitSm, TlvBuf, TlvTag, Ton};

#[allow(dead_code, unreachable_pub)]
#[path = "../../tests/src/testdata.rs"]
mod testdata;

/// Decodes a `.hex` golden vector (hex digits; `#` lines are comments).
pub use testdata::hex;

/// The GSM 7-bit septets of `text` (default alphabet, unpacked), as
/// `data_coding` 0 carries them.
///
/// # Panics
///
/// If `text` has a character the alphabet lacks.
pub fn septets(text: &str) -> Vec<u8> {
    let mut out = vec![0u8; 2 * text.chars().count()];
    let n = gsm7::encode_unpacked(text, Tables::DEFAULT, OnUnmappable::Error, &mut out).unwrap();
    out.truncate(n);
    out
}

/// 160 characters of the GSM 7-bit default alphabet (all ASCII here).
pub const GSM_TEXT_160: &str = "Your parcel 4711-0815 will arrive today between 10:00 and 12:00. \
Reply STOP to opt out, HELP for help. Track it at example.com/t/4711 any time, day or night!!!!";

/// Encodes `pdu` into a new frame.
pub use testdata::encode;

/// A `submit_sm` as an ESME sends it: international numbers, no TLVs, the
/// given short message.
pub fn submit_sm_with<'a>(
    short_message: &'a [u8],
    tlvs: smpp_core::Tlvs<&'a [u8]>,
) -> Pdu<&'a [u8]> {
    Pdu::new(
        0x0102_0304,
        Body::SubmitSm(SubmitSm {
            source_addr_ton: Ton::INTERNATIONAL,
            source_addr_npi: Npi::ISDN,
            source_addr: COctet::from("447700900001"),
            dest_addr_ton: Ton::INTERNATIONAL,
            dest_addr_npi: Npi::ISDN,
            destination_addr: COctet::from("447700900123"),
            short_message,
            tlvs,
            ..SubmitSm::default()
        }),
    )
}

/// The benchmark inputs, each one complete frame.
#[derive(Clone, Debug)]
pub struct Inputs {
    /// `submit_sm`, 160-character GSM text, no TLVs.
    pub submit_sm: Vec<u8>,
    /// `submit_sm` with `sar_msg_ref_num`, `sar_total_segments`,
    /// `sar_segment_seqnum` (golden vector `submit_sm_sar_tlvs`).
    pub submit_sm_sar: Vec<u8>,
    /// `submit_sm` with an empty `short_message` and a 1000-octet
    /// `message_payload`.
    pub submit_sm_payload: Vec<u8>,
    /// `deliver_sm` delivery receipt with `receipted_message_id` and
    /// `message_state` (golden vector `deliver_sm_delivery_receipt`).
    pub deliver_sm_receipt: Vec<u8>,
    /// `submit_sm_resp` (golden vector).
    pub submit_sm_resp: Vec<u8>,
    /// `enquire_link` (golden vector).
    pub enquire_link: Vec<u8>,
}

impl Inputs {
    /// Builds every input.
    ///
    /// # Panics
    ///
    /// If a golden vector or a built PDU is invalid.
    pub fn new() -> Self {
        let submit_sm = encode(&submit_sm_with(
            GSM_TEXT_160.as_bytes(),
            smpp_core::Tlvs::EMPTY,
        ));
        let payload: Vec<u8> = (0..1000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let mut tlvs = TlvBuf::<1100>::new();
        tlvs.push(TlvTag::MESSAGE_PAYLOAD, &payload)
            .expect("payload fits");
        let submit_sm_payload = encode(&submit_sm_with(&[], tlvs.tlvs()));
        Self {
            submit_sm,
            submit_sm_sar: hex(include_str!("../../testdata/submit_sm_sar_tlvs.hex")),
            submit_sm_payload,
            deliver_sm_receipt: hex(include_str!(
                "../../testdata/deliver_sm_delivery_receipt.hex"
            )),
            submit_sm_resp: hex(include_str!("../../testdata/submit_sm_resp.hex")),
            enquire_link: hex(include_str!("../../testdata/enquire_link.hex")),
        }
    }

    /// (name, frame) of every input, in a fixed order.
    pub fn named(&self) -> [(&'static str, &[u8]); 6] {
        [
            ("submit_sm_160", &self.submit_sm),
            ("submit_sm_sar", &self.submit_sm_sar),
            ("submit_sm_payload_1000", &self.submit_sm_payload),
            ("deliver_sm_receipt", &self.deliver_sm_receipt),
            ("submit_sm_resp", &self.submit_sm_resp),
            ("enquire_link", &self.enquire_link),
        ]
    }

    /// `count` PDUs back to back, cycling through every input.
    pub fn stream(&self, count: usize) -> Vec<u8> {
        let named = self.named();
        let mut out = Vec::new();
        for (_, frame) in named.iter().cycle().take(count) {
            out.extend_from_slice(frame);
        }
        out
    }
}

impl Default for Inputs {
    fn default() -> Self {
        Self::new()
    }
}

/// The baseline "hand-written header read": the four big-endian header
/// fields, with the one check every decoder needs (16 octets present).
pub fn read_header(frame: &[u8]) -> Option<[u32; 4]> {
    let h: &[u8; 16] = frame.first_chunk()?;
    let word = |i: usize| u32::from_be_bytes([h[i], h[i + 1], h[i + 2], h[i + 3]]);
    Some([word(0), word(4), word(8), word(12)])
}

/// 160 characters of GSM text that needs the table, not ASCII alone: accented
/// letters of the default alphabet (one septet each) and characters of the
/// extension table (`€`, `[`, `]`, `{`, `}`, `~`, `^`, `|`: two septets each). No `§`: smpp-codec 0.2 has a backtick at its code 0x5F.
pub const GSM_TEXT_MIXED: &str = "Grüße aus Köln! Preis: 12€ [inkl. MwSt] {Code ~4711} \
Rückruf ^ Info | Öffnungszeiten: Mo-Fr 9-18 Uhr. Ångström, Ñandù, Æsir, Øre, #5, ¿Què? ¡Sì! Ça va? Δ=Ω, oki";

/// A long text (about 1000 GSM 7-bit characters) that needs several parts.
pub fn long_gsm_text() -> String {
    let mut text = String::new();
    while text.len() < 1000 {
        text.push_str(GSM_TEXT_160);
        text.push(' ');
    }
    text.truncate(1000);
    text
}

/// A long text that needs UCS-2: Cyrillic and emoji (surrogate pairs),
/// about 400 UTF-16 units.
pub fn long_ucs2_text() -> String {
    "Привет! Ваш заказ 4711 уже в пути 🚚📦, доставка сегодня с 10:00 до 12:00 😀. ".repeat(5)
}
