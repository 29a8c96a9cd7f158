//! The 400-character UCS-2 text with the owned API: split by
//! `text::submit_sms_for_text`, reassembled from the parts received in
//! reverse order with `reassembly::Reassembler`, decoded by
//! `text::decode_message`.

use std::time::Instant;

use smpp_core::DataCoding;
use smpp_core::text::split::Method;
use smpp_std::reassembly::{Config, Outcome, Reassembler};
use smpp_std::text::{decode_message, submit_sms_for_text};
use smpp_std::{Body, SubmitSmBuilder};

/// 400 characters that need UCS-2, with an emoji every 50 characters.
fn text() -> String {
    (0..400u32)
        .map(|i| {
            if i % 50 == 49 {
                '😀'
            } else {
                char::from_u32(0x0410 + i % 32).unwrap()
            }
        })
        .collect()
}

#[test]
fn a_400_character_ucs2_text_round_trips() -> Result<(), Box<dyn core::error::Error>> {
    let text = text();
    let template = SubmitSmBuilder::new(9)
        .source_addr("4477")
        .destination_addr("404")
        .build()?;
    for method in [
        Method::Udh8 { reference: 3 },
        Method::Udh16 { reference: 0x303 },
        Method::Sar { reference: 3 },
    ] {
        let pdus = submit_sms_for_text(&template, &text, &[], method)?;
        assert!(pdus.len() >= 7, "{method:?}: {}", pdus.len());
        let mut r = Reassembler::new(Config::default());
        let mut done = None;
        for pdu in pdus.iter().rev() {
            assert_eq!(pdu.sequence_number, 0, "a session numbers the parts");
            let Body::SubmitSm(sm) = &pdu.body else {
                panic!("not a submit_sm")
            };
            assert_eq!(sm.data_coding, DataCoding::UCS2);
            assert!(sm.short_message.len() <= 140);
            if let Outcome::Complete(message) = r.insert_deliver_sm(Instant::now(), "peer", sm)? {
                done = Some(message);
            }
        }
        let message = done.expect("complete");
        assert_eq!(
            decode_message(&message, DataCoding::UCS2)?.as_deref(),
            Some(text.as_str())
        );
    }
    Ok(())
}

/// A builder's error names the field and carries the PDU's header, so
/// that `reply` answers it as its doc says.
#[test]
fn a_builder_error_answers_its_pdu() {
    let err = SubmitSmBuilder::new(41)
        .source_addr("1".repeat(21))
        .build()
        .unwrap_err();
    assert!(matches!(
        err.kind(),
        smpp_core::ErrorKind::Field {
            field: smpp_core::Field::SourceAddr,
            ..
        }
    ));
    let reply = err.reply();
    assert_eq!(reply.command_id, smpp_core::CommandId::SUBMIT_SM_RESP);
    assert_eq!(
        reply.command_status,
        smpp_core::CommandStatus::ESME_RINVSRCADR
    );
    assert_eq!(reply.sequence_number, 41);
}
