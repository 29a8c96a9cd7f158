//! The serialized form of PDUs (feature `serde`): the JSON shape printed by
//! the `smppdump` tool of `smpp-tools`.
//!
//! [`Pdu`](crate::Pdu) serializes to one map per PDU, with the
//! specification's field names (those of its PDU and TLV tables):
//!
//! ```json
//! {"command":"submit_sm","command_id":4,"command_status":0,"sequence_number":7,
//!  "body":{"service_type":"","source_addr_ton":1,"...":"...","sm_length":2,"short_message":"6869"},
//!  "tlvs":[{"tag":524,"name":"sar_msg_ref_num","value":1,"hex":"0001"}]}
//! ```
//!
//! # Keys
//!
//! - `command` is the command's name; `command_id`, `command_status` and
//!   `sequence_number` are the header's numbers. `command_length` is not
//!   written (it is derived).
//! - `body` holds every mandatory field in wire order; it is `null` for a
//!   PDU without body (`unbind`, `enquire_link`, the header-only responses
//!   and error responses sent without body). Integers are numbers;
//!   C-Octet Strings are strings; octet strings (`short_message`) are
//!   lowercase hex. Derived counts (`sm_length`, `number_of_dests`,
//!   `no_unsuccess`) are included as decoded. A C-Octet String that is not
//!   UTF-8 is written in hex under its name with a `_hex` suffix (for
//!   example `"source_addr_hex":"ff41"`); either key is accepted back.
//! - `body_hex` is written instead of the fields for a body kept as its
//!   octets ([`Body::Raw`](crate::Body::Raw)): the body of a `command_id`
//!   the specification does not define (a vendor PDU, kept by
//!   [`Pdu::parse_any`](crate::Pdu::parse_any); its `command` is `null`)
//!   and the body of an error response that does not follow its command's
//!   layout. It holds every octet after the header in lowercase hex (`""`
//!   for none); `body` is then `null` and `tlvs` empty. Other PDUs have no
//!   `body_hex` key.
//!
//! ```
//! use smpp_core::Pdu;
//!
//! // A vendor request 0x00010200 (sequence 5) with a two-octet body.
//! let frame = [0, 0, 0, 18, 0, 1, 2, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0xAB, 0xCD];
//! let json = serde_json::to_string(&Pdu::parse_any(&frame).unwrap()).unwrap();
//! assert_eq!(
//!     json,
//!     r#"{"command":null,"command_id":66048,"command_status":0,"sequence_number":5,"body":null,"body_hex":"abcd","tlvs":[]}"#
//! );
//! let back: Pdu<Vec<u8>> = serde_json::from_str(&json).unwrap();
//! let mut out = [0u8; 18];
//! assert_eq!(back.emit(&mut out), Ok(18));
//! assert_eq!(out, frame);
//! ```
//! - `submit_multi`'s `dest_address` is a list of maps (`dest_flag` then
//!   `dest_addr_ton`, `dest_addr_npi`, `destination_addr`, or `dl_name`);
//!   `submit_multi_resp`'s `unsuccess_sme` a list of maps (`dest_addr_ton`,
//!   `dest_addr_npi`, `destination_addr`, `error_status_code`).
//! - `tlvs` lists the TLVs in wire order: `tag`, `name` (known tags only;
//!   the v3.4 name where v5.0 renamed one, `destination_port`), `value`
//!   (typed, when the octets fit the tag's type) and `hex` (the raw value
//!   octets, always).
//!
//! # TLV values
//!
//! - Integer tags: a number, decoded from however many octets were sent.
//!   This includes `dest_addr_np_country` (0x0613), which the specification
//!   types as an Integer of 1 to 5 octets.
//! - C-Octet String tags: a string without the NUL. `source_node_id` and
//!   `dest_node_id`: their decimal digits as a string.
//! - Octet String tags (`message_payload`, `source_subaddress`, ...): hex.
//! - Composites are maps: `network_error_code` `{network_type, error_code}`,
//!   `broadcast_content_type` `{network_type, content_type}`,
//!   `broadcast_frequency_interval` `{time_unit, number}`,
//!   `broadcast_area_identifier` `{format, area}` (area in hex),
//!   `callback_num` `{digit_mode, ton, npi, number}` (`number_hex` if not
//!   UTF-8), `its_session_info` `{session_number, sequence_number,
//!   end_of_session}`.
//! - `ms_validity` is a number (1 octet) or `{behaviour, time_unit, number}`
//!   (4 octets); `alert_on_message_delivery` is `null` (no value) or a
//!   number.
//! - Unknown and vendor tags have no `value`, only `hex`.
//!
//! # Deserializing
//!
//! Deserializing needs a self-describing format (JSON, ...). It takes the
//! same map:
//!
//! - `command` or `command_id` (both must agree when given),
//!   `command_status` (0 if absent), `sequence_number`, `body`, `tlvs`
//!   (empty if absent).
//! - `body_hex` instead of `body` and `tlvs` (`body` `null` or absent, no
//!   TLVs): the body octets as they are, for any `command_id`. It is the
//!   only way to give a PDU of an unknown `command_id`, which is then kept
//!   raw as [`Pdu::parse_any`](crate::Pdu::parse_any) keeps it.
//! - Derived lengths (`command_length`, `sm_length`, `number_of_dests`,
//!   `no_unsuccess`, a TLV's `length`) may be left out; when present they
//!   must match.
//! - A TLV is identified by `tag` or `name` (the v5.0 name `dest_port` is
//!   accepted too) and written from `hex` when given, else from `value`. An
//!   integer `value` takes the tag's size, or the `length` given with it
//!   (`{"name":"dest_addr_np_country","value":44,"length":5}`);
//!   `dest_addr_np_country` without `length` takes as few octets as the
//!   number needs.
//! - A top-level `content` key is reserved for derived, read-only views
//!   (`smppdump` writes one) and ignored. Unknown keys are refused.
//!
//! The map is first turned into wire octets, refusing what does not fit the
//! shape; the octets are then checked exactly as [`Pdu::parse`](crate::Pdu::parse) checks
//! received ones (an unknown `command_id` kept, as by
//! [`Pdu::parse_any`](crate::Pdu::parse_any)). [`PduWire`] stops after the first step, so that the second
//! one's [`Error`](crate::Error) keeps its type and its `command_status`
//! (`smppdump --encode` reports it for a line that breaks a field rule).
//!
//! # Bodies and TLV lists
//!
//! The body types serialize on their own too:
//!
//! - Each body struct ([`SubmitSm`](crate::SubmitSm),
//!   [`Bind`](crate::Bind), [`SubmitMultiResp`](crate::SubmitMultiResp),
//!   ...) is the `body` map above followed by its `tlvs` list under the key
//!   `tlvs`, the specification's last field. A struct that serves several
//!   commands (`SubmitSm` is also `deliver_sm`'s, `SubmitSmResp` also
//!   `data_sm_resp`'s, ...) is checked by the rules of the first command
//!   its type is named after.
//! - [`Body`](crate::Body) is the PDU's map without `command_status`,
//!   `sequence_number` and `command_length`: `command`, `command_id`,
//!   `body`, `tlvs`. Without a `command_status` it is written and read by
//!   the rules of a PDU with status 0, so the body of an error response
//!   that breaks them (a raw body, missing mandatory TLVs) is written and
//!   read only inside its [`Pdu`](crate::Pdu).
//! - [`Tlvs`](crate::Tlvs) is the `tlvs` list.
//!
//! ```
//! use smpp_core::{Body, Pdu, SubmitSm};
//!
//! let json = r#"{"command":"submit_sm","sequence_number":7,"body":{
//!     "service_type":"","source_addr_ton":5,"source_addr_npi":0,"source_addr":"INFO",
//!     "dest_addr_ton":1,"dest_addr_npi":1,"destination_addr":"447700900123",
//!     "esm_class":0,"protocol_id":0,"priority_flag":0,"schedule_delivery_time":"",
//!     "validity_period":"","registered_delivery":0,"replace_if_present_flag":0,
//!     "data_coding":0,"sm_default_msg_id":0,"short_message":"6869"},
//!     "tlvs":[{"name":"sar_msg_ref_num","value":1}]}"#;
//! let pdu: Pdu<Vec<u8>> = serde_json::from_str(json).unwrap();
//! let Body::SubmitSm(sm) = &pdu.body else { unreachable!() };
//! assert_eq!(sm.short_message, b"hi");
//!
//! let text = serde_json::to_string(sm).unwrap();
//! assert!(text.ends_with(r#""sm_length":2,"short_message":"6869","tlvs":[{"tag":524,"name":"sar_msg_ref_num","value":1,"hex":"0001"}]}"#));
//! let back: SubmitSm<Vec<u8>> = serde_json::from_str(&text).unwrap();
//! assert_eq!(&back, sm);
//! ```

#[doc(inline)]
pub use crate::serde_impls::PduWire;
