//! Messages out of PDUs: the user data of `submit_sm`, `deliver_sm`,
//! `data_sm` and `submit_multi`, concatenated parts joined (user data
//! headers with 8- or 16-bit references, SAR TLVs) by the library's
//! [`Reassembler`], text decoded, and the JSON the tools print.

use core::hash::Hash;
use core::time::Duration;
use std::collections::HashMap;
use std::time::Instant;

use bytes::Bytes;
use serde_json::{Map, Value, json};
use smpp_core::receipt::Receipt;
use smpp_core::text::gsm7::{Language, Tables};
use smpp_core::text::reassembly::Part;
use smpp_core::text::udh::Udh;
use smpp_core::text::user_data;
use smpp_core::text::{OnUnmappable, decode_parts_into};
use smpp_core::{Body, DataCoding, DeliverSm, DestAddress, EsmClass, RegisteredDelivery};
use smpp_std::reassembly::{self, MessageKey, Outcome, Reassembler, ReferenceKind};

/// Where a part sits in a concatenated message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Concat {
    /// The kind of reference: an 8- or 16-bit concatenation element, or
    /// the SAR TLVs.
    pub kind: ReferenceKind,
    /// The reference the parts share.
    pub reference: u16,
    /// How many parts.
    pub total: u8,
    /// This part's number, from 1.
    pub seq: u8,
}

/// The user data of a message PDU, and the addresses it goes between.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserData {
    /// `source_addr`.
    pub source: Bytes,
    /// `destination_addr`, or each SME address of a `submit_multi`.
    pub destinations: Vec<Bytes>,
    /// `esm_class`.
    pub esm_class: EsmClass,
    /// `data_coding`.
    pub data_coding: DataCoding,
    /// `registered_delivery`.
    pub registered_delivery: RegisteredDelivery,
    /// The user data (`short_message`, or the `message_payload` TLV),
    /// without its user data header.
    pub content: Bytes,
    /// Where the part sits, if it is one of several.
    pub concat: Option<Concat>,
    /// The GSM 7-bit tables its user data header puts in force (national
    /// language shift elements; the default tables without them). They
    /// hold for this part only (TS 23.038 annex C).
    pub tables: Tables,
}

fn owned(bytes: &[u8]) -> Bytes {
    Bytes::copy_from_slice(bytes)
}

/// The content, the concatenation and the GSM 7-bit tables of the user
/// data a `deliver_sm` view carries (a `submit_sm` and a `submit_multi`
/// have the same user data fields, a `data_sm` its `message_payload`
/// TLV), read by `smpp_core::text::reassembly::Part`.
fn read(view: &DeliverSm<&[u8]>) -> (Bytes, Option<Concat>, Tables) {
    let data = user_data(view.short_message, &view.tlvs);
    let header = view
        .esm_class
        .udhi()
        .then(|| Udh::split(data).ok())
        .flatten();
    // Unknown languages are ignored (TS 23.038); a malformed element
    // leaves the default tables.
    let tables = header
        .and_then(|(udh, _)| udh.tables().ok())
        .unwrap_or(Tables::DEFAULT);
    if let Ok(Some(part)) = Part::from_deliver_sm(view) {
        let concat = Concat {
            kind: part.kind,
            reference: part.reference,
            total: part.total,
            seq: part.seq,
        };
        return (owned(part.payload), Some(concat), tables);
    }
    let content = header.map_or(data, |(_, rest)| rest);
    (owned(content), None, tables)
}

impl UserData {
    /// The user data of a `submit_sm`, `deliver_sm`, `data_sm` or
    /// `submit_multi`; `None` for other PDUs.
    pub fn of(body: &Body<Bytes>) -> Option<Self> {
        // The same fields in each body type: the source, the coding, the
        // receipt request, and a `deliver_sm` view of the user data.
        macro_rules! fields {
            ($sm:ident, $destinations:expr, $short_message:expr) => {
                (
                    &$sm.source_addr,
                    $destinations,
                    $sm.data_coding,
                    $sm.registered_delivery,
                    DeliverSm {
                        esm_class: $sm.esm_class,
                        short_message: $short_message,
                        tlvs: $sm.tlvs.as_ref(),
                        ..DeliverSm::default()
                    },
                )
            };
        }
        let (source, destinations, data_coding, registered_delivery, view) = match body {
            Body::SubmitSm(sm) | Body::DeliverSm(sm) => fields!(
                sm,
                vec![owned(sm.destination_addr.as_bytes())],
                &sm.short_message[..]
            ),
            // The user data of a `data_sm` is its `message_payload` TLV.
            Body::DataSm(sm) => fields!(sm, vec![owned(sm.destination_addr.as_bytes())], &[][..]),
            Body::SubmitMulti(sm) => {
                let smes = sm.dest_address.iter().filter_map(|d| match d {
                    DestAddress::SmeAddress {
                        destination_addr, ..
                    } => Some(owned(destination_addr.as_bytes())),
                    DestAddress::DistributionList { .. } => None,
                });
                fields!(sm, smes.collect(), &sm.short_message[..])
            }
            _ => return None,
        };
        let (content, concat, tables) = read(&view);
        Some(Self {
            source: owned(source.as_bytes()),
            destinations,
            esm_class: view.esm_class,
            data_coding,
            registered_delivery,
            content,
            concat,
            tables,
        })
    }

    /// The first destination (empty if there is none).
    pub fn destination(&self) -> &[u8] {
        self.destinations.first().map_or(&[][..], |d| &d[..])
    }
}

/// A complete message: its parts joined, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    /// `source_addr`.
    pub source: Bytes,
    /// The destinations.
    pub destinations: Vec<Bytes>,
    /// `data_coding`.
    pub data_coding: DataCoding,
    /// The user data of every part, headers removed, joined.
    pub content: Bytes,
    /// How many parts it came in.
    pub parts: usize,
    /// The message id of each part, in part order, where known.
    pub message_ids: Vec<String>,
    /// Each part's GSM 7-bit tables (those its header named) and the
    /// length of its user data in `content`, in part order.
    pub segments: Vec<(Tables, usize)>,
}

/// The text of a message received in `parts` (`None` for a `data_coding`
/// that is not text), each part of GSM 7-bit text decoded with its own
/// tables (`smpp_core::text::decode_parts_into`); what does not decode
/// becomes U+FFFD or `?`.
pub fn decode_parts<'p>(
    data_coding: DataCoding,
    parts: impl IntoIterator<Item = (Tables, &'p [u8])> + Clone,
) -> Option<String> {
    let octets: usize = parts.clone().into_iter().map(|(_, p)| p.len()).sum();
    // Three octets of UTF-8 for each octet, plus 3, always suffice.
    let mut out = vec![0u8; octets.saturating_mul(3).saturating_add(3)];
    decode_parts_into(parts, data_coding, OnUnmappable::Replace, &mut out)
        .ok()
        .flatten()
        .map(str::to_owned)
}

/// A national language by its name in any case (`turkish`, `spanish`,
/// `portuguese`, `bengali`, ... `urdu`): the GSM 7-bit tables the tools
/// may send text in (`esme send --language`, smsc-sim's `/mo`).
pub fn language(name: &str) -> Result<Language, String> {
    let national = || {
        Language::ALL
            .into_iter()
            .filter(|l| *l != Language::Default)
    };
    national()
        .find(|l| format!("{l:?}").eq_ignore_ascii_case(name))
        .ok_or_else(|| {
            let names: Vec<String> = national()
                .map(|l| format!("{l:?}").to_lowercase())
                .collect();
            format!("{name:?} is not a national language: {}", names.join(", "))
        })
}

/// Lowercase hexadecimal.
pub fn hex(octets: &[u8]) -> String {
    smpp_core::hex::Hex(octets).to_string()
}

/// The octets of a hexadecimal string, whitespace allowed between digits;
/// `None` for another character or an odd number of digits.
pub fn unhex(text: &str) -> Option<Vec<u8>> {
    let digits = text.bytes().filter(|b| !b.is_ascii_whitespace());
    smpp_core::hex::octets(digits).collect()
}

fn lossy(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

impl Message {
    /// The text, if `data_coding` is a text coding: each part decoded with
    /// the GSM 7-bit tables its own header named.
    pub fn text(&self) -> Option<String> {
        decode_parts(self.data_coding, self.parts_with_tables())
    }

    /// Each part's tables and user data, split from `content` by
    /// `segments` (what they do not cover: in the default tables).
    fn parts_with_tables(&self) -> Vec<(Tables, &[u8])> {
        let mut rest = &self.content[..];
        let mut parts = Vec::with_capacity(self.segments.len() + 1);
        for &(tables, len) in &self.segments {
            let (part, after) = rest.split_at(len.min(rest.len()));
            parts.push((tables, part));
            rest = after;
        }
        if !rest.is_empty() {
            parts.push((Tables::DEFAULT, rest));
        }
        parts
    }

    /// `source`, `destination` (and `destinations` when there are
    /// several), `data_coding`, `text` (or `hex` for binary content),
    /// `parts`, `message_ids`.
    pub fn to_json(&self) -> Map<String, Value> {
        let mut out = Map::new();
        out.insert("source".into(), lossy(&self.source).into());
        let first = self.destinations.first().map_or(&[][..], |d| &d[..]);
        out.insert("destination".into(), lossy(first).into());
        if self.destinations.len() > 1 {
            let all: Vec<Value> = self.destinations.iter().map(|d| lossy(d).into()).collect();
            out.insert("destinations".into(), all.into());
        }
        out.insert("data_coding".into(), self.data_coding.0.into());
        match self.text() {
            Some(text) => out.insert("text".into(), text.into()),
            None => out.insert("hex".into(), hex(&self.content).into()),
        };
        out.insert("parts".into(), self.parts.into());
        out.insert("message_ids".into(), json!(self.message_ids));
        out
    }
}

/// What is known of an incomplete message's parts besides their user
/// data.
#[derive(Debug)]
struct PartsSeen {
    /// When its first part came.
    first_seen: Instant,
    /// The message ids of its parts received, by part number.
    ids: Vec<(u8, String)>,
    /// The GSM 7-bit tables of its parts received whose header named
    /// others than the default ones, by part number.
    tables: Vec<(u8, Tables)>,
}

impl PartsSeen {
    fn new(first_seen: Instant) -> Self {
        Self {
            first_seen,
            ids: Vec::new(),
            tables: Vec::new(),
        }
    }

    fn add(&mut self, seq: u8, message_id: Option<String>, tables: Tables) {
        self.ids.extend(message_id.map(|id| (seq, id)));
        if tables != Tables::DEFAULT {
            self.tables.push((seq, tables));
        }
    }

    /// The tables of part `seq`.
    fn tables_of(&self, seq: u8) -> Tables {
        self.tables
            .iter()
            .rev()
            .find(|(s, _)| *s == seq)
            .map_or(Tables::DEFAULT, |(_, t)| *t)
    }
}

/// Joins the parts of concatenated messages, from many peers (a
/// `system_id`, a session), remembering each part's message id.
#[derive(Debug)]
pub struct Assembler<P> {
    parts: Reassembler<P>,
    /// The message ids and tables of the parts received of each
    /// incomplete message, with when its first part came: a reference used
    /// again begins a new message under the same key, and the old one's
    /// report (stamped with its own first part) must not take the new
    /// one's ids.
    ids: HashMap<MessageKey<P>, PartsSeen>,
    expired_at: Instant,
    /// Incomplete messages dropped and reported: too old, or a new
    /// message took their reference.
    expired: u64,
    /// The parts those messages had received.
    parts_expired: u64,
}

impl<P: Eq + Hash + Clone> Assembler<P> {
    /// Incomplete messages are dropped `timeout` after their first part; a
    /// peer holds at most `max_bytes_per_peer` octets meanwhile.
    pub fn new(timeout: Duration, max_bytes_per_peer: usize) -> Self {
        Self {
            parts: Reassembler::new(reassembly::Config {
                timeout,
                max_bytes_per_peer,
            }),
            ids: HashMap::new(),
            expired_at: Instant::now(),
            expired: 0,
            parts_expired: 0,
        }
    }

    /// Incomplete messages now.
    pub fn pending(&self) -> usize {
        self.parts.len()
    }

    /// The parts received of the incomplete messages now.
    pub fn parts_pending(&self) -> usize {
        self.parts
            .incomplete()
            .map(|message| usize::from(message.received))
            .sum()
    }

    /// Incomplete messages dropped so far: their first part older than
    /// the timeout, or a new message took their reference (key) before
    /// they were complete. Counted when [`Self::push`] or
    /// [`Self::expire_now`] looks for them.
    pub fn expired(&self) -> u64 {
        self.expired.saturating_add(self.parts.reports_discarded())
    }

    /// The parts the messages of [`Self::expired`] had received (but for
    /// those the library had to discard the report of, to make room for a
    /// part of the same peer: none while [`Self::expire_now`] runs often).
    pub fn parts_expired(&self) -> u64 {
        self.parts_expired
    }

    /// Drops the incomplete messages too old now, counting them in
    /// [`Self::expired`]; [`Self::push`] does it too, at most once a second.
    pub fn expire_now(&mut self) {
        self.expire_at(Instant::now());
    }

    fn expire_at(&mut self, now: Instant) {
        self.expired_at = now;
        for gone in self.parts.expire(now) {
            if self
                .ids
                .get(&gone.key)
                .is_some_and(|seen| seen.first_seen == gone.first_seen)
            {
                self.ids.remove(&gone.key);
            }
            self.expired += 1;
            self.parts_expired += u64::from(gone.received);
        }
    }

    /// Adds a part of `peer` (a whole message if it is not concatenated)
    /// whose message id is `message_id`; the message once it is complete.
    /// A part that does not fit (its numbering is wrong, the peer holds
    /// too much) is given back as a message of its own.
    pub fn push(
        &mut self,
        peer: P,
        data: &UserData,
        message_id: Option<String>,
    ) -> Option<Message> {
        let now = Instant::now();
        if now.duration_since(self.expired_at) >= Duration::from_secs(1) {
            self.expire_at(now);
        }
        let joined =
            |content: Bytes, message_ids: Vec<String>, segments: Vec<(Tables, usize)>| Message {
                source: data.source.clone(),
                destinations: data.destinations.clone(),
                data_coding: data.data_coding,
                content,
                parts: segments.len(),
                message_ids,
                segments,
            };
        let whole = |content: Bytes| {
            let segments = vec![(data.tables, content.len())];
            Some(joined(
                content,
                message_id.iter().cloned().collect(),
                segments,
            ))
        };
        let Some(Concat {
            kind,
            reference,
            total,
            seq,
        }) = data.concat
        else {
            return whole(data.content.clone());
        };
        let payload = data.content.clone();
        let key = MessageKey::new(peer, &data.source, data.destination(), kind, reference);
        let outcome = self
            .parts
            .insert(now, key.clone(), total, seq, payload.clone());
        match outcome {
            Ok(Outcome::Incomplete { received, .. }) => {
                // The first part of a message, maybe under a reference
                // used again: the ids of before are another message's.
                let entry = self.ids.entry(key).or_insert_with(|| PartsSeen::new(now));
                if received == 1 {
                    *entry = PartsSeen::new(now);
                }
                entry.add(seq, message_id, data.tables);
                None
            }
            Ok(Outcome::Duplicate) => None,
            Ok(Outcome::Complete(message)) => {
                // A message of one part has no ids waiting (any under its
                // key are an older message's, for its report).
                let mut seen = if message.parts.len() > 1 {
                    self.ids.remove(&key)
                } else {
                    None
                }
                .unwrap_or_else(|| PartsSeen::new(now));
                seen.add(seq, message_id, data.tables);
                // The parts come in part order, from 1.
                let segments = (1..=u8::MAX)
                    .zip(&message.parts)
                    .map(|(n, part)| (seen.tables_of(n), part.len()))
                    .collect();
                seen.ids.sort_by_key(|(seq, _)| *seq);
                let ids = seen.ids.into_iter().map(|(_, id)| id).collect();
                Some(joined(message.concat(), ids, segments))
            }
            Err(_) => whole(payload),
        }
    }
}

/// A delivery receipt's fields as JSON, if `body` is a `deliver_sm` or
/// `data_sm` carrying one (by `esm_class` or by the receipt TLVs), read by
/// `smpp_core::receipt::Receipt`: `message_id`, `stat`, `state`, `err`,
/// `source`, `destination`, `text` (the receipt's own text).
pub fn receipt_json(body: &Body<Bytes>) -> Option<Map<String, Value>> {
    // Room for a receipt text an MC sent in UCS-2, decoded (UTF-8 takes
    // at most 3 octets for the 2 of a UTF-16 unit).
    let coded = match body {
        Body::DeliverSm(sm) => user_data(&sm.short_message, &sm.tlvs).len(),
        Body::DataSm(sm) => user_data(&[], &sm.tlvs).len(),
        _ => return None,
    };
    let mut buf = vec![0; coded / 2 * 3];
    let (receipt, esm_class, source, destination, text) = match body {
        Body::DeliverSm(sm) => (
            Receipt::from_deliver_sm_in(sm, &mut buf),
            sm.esm_class,
            &sm.source_addr,
            &sm.destination_addr,
            user_data(&sm.short_message, &sm.tlvs),
        ),
        Body::DataSm(sm) => (
            Receipt::from_data_sm_in(sm, &mut buf),
            sm.esm_class,
            &sm.source_addr,
            &sm.destination_addr,
            user_data(&[], &sm.tlvs),
        ),
        _ => return None,
    };
    if !esm_class.is_delivery_receipt() && !receipt.is_receipt() {
        return None;
    }
    let mut out = Map::new();
    let id = receipt.message_id().map(lossy);
    out.insert("message_id".into(), id.into());
    let state = receipt.state();
    out.insert(
        "stat".into(),
        state.and_then(smpp_core::MessageState::stat).into(),
    );
    out.insert(
        "state".into(),
        state.and_then(smpp_core::MessageState::name).into(),
    );
    let err = receipt.text.and_then(|t| t.err).map(lossy);
    out.insert("err".into(), err.into());
    out.insert("source".into(), lossy(source.as_bytes()).into());
    out.insert("destination".into(), lossy(destination.as_bytes()).into());
    out.insert("text".into(), lossy(text).into());
    Some(out)
}

#[cfg(test)]
mod tests {
    use core::time::Duration;

    use bytes::Bytes;
    use smpp_core::text::gsm7::{Language, Tables};
    use smpp_core::text::split::Method;
    use smpp_core::{DataCoding, EsmClass, RegisteredDelivery};
    use smpp_std::reassembly::ReferenceKind;
    use smpp_std::text::submit_sms_for_text;

    use super::{Assembler, Concat, Message, UserData, hex, language, receipt_json, unhex};

    #[test]
    fn a_receipt_text_in_ucs2_is_read() {
        let text = "id:0911897980 sub:001 dlvrd:001 submit date:2312011200 \
                    done date:2312011201 stat:DELIVRD err:000 text:";
        let ucs2: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        let sm = smpp_std::DeliverSm {
            esm_class: EsmClass::DELIVERY_RECEIPT,
            data_coding: DataCoding(0x08),
            short_message: Bytes::from(ucs2),
            ..Default::default()
        };
        let json = receipt_json(&smpp_core::Body::DeliverSm(sm)).unwrap();
        assert_eq!(json["message_id"], "0911897980");
        assert_eq!(json["stat"], "DELIVRD");
        assert_eq!(json["err"], "000");
    }

    /// Part `seq` of `total` of the message with reference 7.
    fn part(total: u8, seq: u8, text: &str) -> UserData {
        UserData {
            source: Bytes::from_static(b"447700900001"),
            destinations: vec![Bytes::from_static(b"447700900002")],
            esm_class: EsmClass::default(),
            data_coding: DataCoding::default(),
            registered_delivery: RegisteredDelivery::default(),
            content: Bytes::copy_from_slice(text.as_bytes()),
            concat: Some(Concat {
                kind: ReferenceKind::Udh8,
                reference: 7,
                total,
                seq,
            }),
            tables: Tables::DEFAULT,
        }
    }

    /// `text` as the library's splitter sends it with the national
    /// languages `allowed`, joined again by an [`Assembler`]: the message,
    /// and the tables of each part the splitter chose.
    fn split_and_joined(text: &str, allowed: &[Language], method: Method) -> (Message, usize) {
        let pdus =
            submit_sms_for_text(&smpp_std::SubmitSm::default(), text, allowed, method).unwrap();
        let count = pdus.len();
        let mut parts = Assembler::new(Duration::from_secs(300), 1 << 20);
        let mut joined = None;
        for (n, pdu) in pdus.iter().enumerate() {
            let data = UserData::of(&pdu.body).unwrap();
            // Each part names the language it was written in.
            assert_ne!(data.tables, Tables::DEFAULT, "part {n}");
            joined = parts.push((), &data, Some(n.to_string()));
            assert_eq!(joined.is_some(), n + 1 == count, "part {n}");
        }
        (joined.unwrap(), count)
    }

    #[test]
    fn turkish_and_portuguese_text_split_with_national_shifts_is_read_back() {
        let turkish = "Dağların ardında kış çok uzun sürer; İstanbul'da ise güneşli \
                       günler başlıyor. Öğretmenimiz sınavı ertelediğini söyledi, çünkü \
                       öğrencilerin çoğu hastaydı. Şimdi herkes çalışıyor.";
        let portuguese = "Não há ação sem reação: João e Conceição estão à espera do \
                          pão e do café na estação, às três horas. Você também vem? \
                          Informações no balcão, por favor, obrigado!";
        for (text, language) in [
            (turkish, Language::Turkish),
            (portuguese, Language::Portuguese),
        ] {
            for method in [
                Method::Udh8 { reference: 9 },
                Method::Udh16 { reference: 300 },
                Method::Sar { reference: 9 },
            ] {
                let (message, count) = split_and_joined(text, &[language], method);
                assert!(count > 1, "{language:?} {method:?}: {count} parts");
                assert_eq!(message.parts, count);
                assert_eq!(message.text().as_deref(), Some(text), "{method:?}");
                assert_eq!(message.to_json()["text"], text);
            }
            // A short text: one part, whose header holds only the shift.
            let short: String = text.chars().take(40).collect();
            let (message, count) =
                split_and_joined(&short, &[language], Method::Udh8 { reference: 1 });
            assert_eq!(count, 1);
            assert_eq!(message.text(), Some(short));
        }
    }

    #[test]
    fn a_reference_used_again_keeps_the_ids_of_its_own_message() {
        let mut parts = Assembler::new(Duration::from_secs(300), 1 << 20);
        let id = |id: &str| Some(id.to_owned());
        assert!(parts.push((), &part(3, 1, "old "), id("a1")).is_none());
        // Another total: a new message under the same reference.
        assert!(parts.push((), &part(2, 1, "new "), id("b1")).is_none());
        // The next part comes after the old message's report is due
        // (reports are collected at most once a second).
        std::thread::sleep(Duration::from_millis(1050));
        let message = parts.push((), &part(2, 2, "text"), id("b2")).unwrap();
        assert_eq!(message.content, "new text");
        assert_eq!(message.message_ids, ["b1", "b2"]);
        assert_eq!(parts.pending(), 0);
    }

    #[test]
    fn national_languages_by_name() {
        assert_eq!(language("turkish"), Ok(Language::Turkish));
        assert_eq!(language("Portuguese"), Ok(Language::Portuguese));
        assert_eq!(language("URDU"), Ok(Language::Urdu));
        for wrong in ["default", "", "klingon"] {
            let e = language(wrong).unwrap_err();
            assert!(e.contains(": turkish, spanish, portuguese,"), "{e}");
        }
    }

    #[test]
    fn hex_both_ways_with_whitespace_between_digits() {
        assert_eq!(unhex("00 ff10"), Some(vec![0, 0xff, 0x10]));
        assert_eq!(unhex("0a FF\t7e\n"), Some(vec![0x0a, 0xff, 0x7e]));
        assert_eq!(unhex(""), Some(vec![]));
        assert_eq!(unhex("abc"), None);
        assert_eq!(unhex("0"), None);
        assert_eq!(unhex("zz"), None);
        assert_eq!(unhex("0g"), None);
        assert_eq!(hex(&[0x0a, 0xff, 0x7e]), "0aff7e");
    }
}
