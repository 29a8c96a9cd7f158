//! Property tests: every valid PDU of every type survives emit then parse
//! unchanged, and arbitrary or mutated octets never panic the decoder; what
//! decodes re-encodes to exactly the same octets.

mod common;

use std::sync::OnceLock;

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::strategy::ValueTree;

use smpp_core::{
    AlertNotification, Bind, BindResp, Body, BroadcastSm, COctet, CancelBroadcastSm, CancelSm,
    CommandId, CommandStatus, DataCoding, DataSm, DestAddress, DestAddressBuf, ErrorKind, EsmClass,
    Header, InterfaceVersion, MessageState, Npi, Outbind, Pdu, PriorityFlag, QuerySm, QuerySmResp,
    RegisteredDelivery, ReplaceIfPresentFlag, ReplaceSm, SubmitMulti, SubmitMultiResp, SubmitSm,
    SubmitSmResp, TlvBuf, TlvTag, TlvValue, Tlvs, Ton, UnsuccessSme, UnsuccessSmeBuf,
};

use smpp_core::time::{AbsoluteTime, OffsetSign, RelativeTime, SmppTime, days_in_month};

type B = Vec<u8>;

// ---------------------------------------------------------------- fields

/// A C-Octet String value of a field whose size (NUL included) is `max`.
fn co(max: usize) -> impl Strategy<Value = COctet<B>> {
    vec(1u8..=255, 0..max).prop_map(COctet::new)
}

/// An absolute SMPP time, any valid date of 2000-2099 and offset.
fn absolute_time() -> impl Strategy<Value = B> {
    (
        (0u8..=99, 1u8..=12, 1u8..=31),
        (0u8..=23, 0u8..=59, 0u8..=59, 0u8..=9),
        (0u8..=48, any::<bool>()),
    )
        .prop_map(
            |((year, month, day), (hour, minute, second, tenths), (q, ahead))| {
                let day = day.min(days_in_month(2000 + i32::from(year), month));
                let sign = if ahead {
                    OffsetSign::Ahead
                } else {
                    OffsetSign::Behind
                };
                let t = SmppTime::Absolute(AbsoluteTime {
                    year,
                    month,
                    day,
                    hour,
                    minute,
                    second,
                    tenths,
                    offset_quarters: q,
                    sign,
                });
                t.try_format().unwrap().to_vec()
            },
        )
}

/// An SMPP time: empty, absolute or relative.
fn time() -> impl Strategy<Value = COctet<B>> {
    let relative = vec(0u8..=99, 6).prop_map(|f| {
        let t = SmppTime::Relative(RelativeTime {
            years: f[0],
            months: f[1],
            days: f[2],
            hours: f[3],
            minutes: f[4],
            seconds: f[5],
        });
        t.format().to_vec()
    });
    prop_oneof![Just(Vec::new()), absolute_time(), relative].prop_map(COctet::new)
}

/// `final_date`: empty or absolute.
fn final_date() -> impl Strategy<Value = COctet<B>> {
    prop_oneof![Just(Vec::new()), absolute_time()].prop_map(COctet::new)
}

fn short_message() -> impl Strategy<Value = B> {
    prop_oneof![vec(any::<u8>(), 0..=16), vec(any::<u8>(), 0..=255)]
}

fn ton() -> impl Strategy<Value = Ton> {
    any::<u8>().prop_map(Ton)
}

fn npi() -> impl Strategy<Value = Npi> {
    any::<u8>().prop_map(Npi)
}

// ---------------------------------------------------------------- TLVs

/// Every (known tag, value length) its rule allows, up to 24 octets.
fn known_tag_lengths() -> &'static [(TlvTag, usize)] {
    static PAIRS: OnceLock<Vec<(TlvTag, usize)>> = OnceLock::new();
    PAIRS.get_or_init(|| {
        let mut pairs = Vec::new();
        for &tag in TlvTag::ALL {
            for len in 0..=24 {
                if TlvBuf::<64>::new().push(tag, &vec![0x31; len]).is_ok() {
                    pairs.push((tag, len));
                }
            }
        }
        pairs
    })
}

/// One TLV: a known tag with a length its rule allows, or an unknown or
/// vendor tag with any value.
fn tlv() -> impl Strategy<Value = (TlvTag, B)> {
    let known = proptest::sample::select(known_tag_lengths())
        .prop_flat_map(|(tag, len)| (Just(tag), vec(any::<u8>(), len)));
    let unknown = (
        prop_oneof![
            0x1400u16..=0x3FFF,
            Just(0x0001),
            Just(0x060C),
            0x4000u16..=0xFFFF
        ],
        vec(any::<u8>(), 0..24),
    )
        .prop_map(|(tag, value)| (TlvTag(tag), value));
    prop_oneof![3 => known, 1 => unknown]
}

fn raw_region(tlvs: &[(TlvTag, B)]) -> B {
    tlvs.iter()
        .flat_map(|(tag, value)| common::tlv(*tag, value))
        .collect()
}

fn owned(raw: &[u8]) -> Tlvs<B> {
    Tlvs::parse(raw).unwrap().map(<[u8]>::to_vec)
}

/// A TLV region (duplicates and unknown tags included).
fn tlvs() -> impl Strategy<Value = Tlvs<B>> {
    vec(tlv(), 0..6).prop_map(|list| owned(&raw_region(&list)))
}

fn encode(values: &[TlvValue<'_>]) -> B {
    let mut buf = TlvBuf::<512>::new();
    for v in values {
        buf.push_value(v).unwrap();
    }
    buf.tlvs().as_bytes().to_vec()
}

fn area() -> impl Strategy<Value = (u8, B)> {
    (any::<u8>(), vec(any::<u8>(), 0..=100))
}

/// The mandatory TLVs of `broadcast_sm` among random others.
fn broadcast_tlvs() -> impl Strategy<Value = Tlvs<B>> {
    (
        vec(tlv(), 0..3),
        area(),
        (
            any::<u8>(),
            any::<u16>(),
            any::<u16>(),
            any::<u8>(),
            any::<u16>(),
        ),
        vec(tlv(), 0..3),
    )
        .prop_map(|(before, (format, area), (nt, ct, rep, unit, n), after)| {
            let mut raw = raw_region(&before);
            raw.extend(encode(&[
                TlvValue::BroadcastAreaIdentifier {
                    format,
                    area: &area,
                },
                TlvValue::BroadcastContentType {
                    network_type: nt,
                    content_type: ct,
                },
                TlvValue::BroadcastRepNum {
                    number: rep,
                    one_octet: false,
                },
                TlvValue::BroadcastFrequencyInterval {
                    time_unit: unit,
                    number: n,
                },
            ]));
            raw.extend(raw_region(&after));
            owned(&raw)
        })
}

/// The mandatory TLVs of `query_broadcast_sm_resp` among random others.
fn query_broadcast_resp_tlvs() -> impl Strategy<Value = Tlvs<B>> {
    (vec(tlv(), 0..3), any::<u8>(), area(), any::<u8>()).prop_map(
        |(extra, state, (format, area), success)| {
            let mut raw = encode(&[
                TlvValue::MessageState(MessageState(state)),
                TlvValue::BroadcastAreaIdentifier {
                    format,
                    area: &area,
                },
            ]);
            raw.extend(raw_region(&extra));
            raw.extend(encode(&[TlvValue::BroadcastAreaSuccess(success)]));
            owned(&raw)
        },
    )
}

// ---------------------------------------------------------------- bodies

/// `$ty { .. }` with each field drawn from its strategy, the strategies
/// tupled in the order the fields are written.
macro_rules! fields {
    ($ty:ident { $($field:ident: $strategy:expr),* $(,)? }) => {
        ($($strategy,)*).prop_map(|($($field,)*)| $ty { $($field),* })
    };
}

fn gen_bind() -> impl Strategy<Value = Bind<B>> {
    fields!(Bind {
        system_id: co(16),
        password: co(9),
        system_type: co(13),
        interface_version: any::<u8>().prop_map(InterfaceVersion),
        addr_ton: ton(),
        addr_npi: npi(),
        address_range: co(41),
        tlvs: tlvs(),
    })
}

fn gen_bind_resp() -> impl Strategy<Value = Option<BindResp<B>>> {
    proptest::option::of(fields!(BindResp {
        system_id: co(16),
        tlvs: tlvs(),
    }))
}

fn gen_outbind() -> impl Strategy<Value = Outbind<B>> {
    fields!(Outbind {
        system_id: co(16),
        password: co(9),
        tlvs: tlvs(),
    })
}

fn gen_alert() -> impl Strategy<Value = AlertNotification<B>> {
    fields!(AlertNotification {
        source_addr_ton: ton(),
        source_addr_npi: npi(),
        source_addr: co(65),
        esme_addr_ton: ton(),
        esme_addr_npi: npi(),
        esme_addr: co(65),
        tlvs: tlvs(),
    })
}

/// The message fields shared by `submit_sm`, `deliver_sm` and
/// `submit_multi`: `esm_class` to `sm_default_msg_id`.
type MsgFields = (u8, u8, u8, COctet<B>, COctet<B>, u8, u8, u8, u8);

/// `$ty { $fields }` (each field followed by a comma) with the message
/// fields of a [`MsgFields`] added.
macro_rules! with_msg_fields {
    ($ty:ident { $($fields:tt)* }, $msg:expr) => {{
        let (esm, pid, prio, sched, valid, rd, rip, dc, dmid) = $msg;
        $ty {
            $($fields)*
            esm_class: EsmClass(esm),
            protocol_id: pid,
            priority_flag: PriorityFlag(prio),
            schedule_delivery_time: sched,
            validity_period: valid,
            registered_delivery: RegisteredDelivery(rd),
            replace_if_present_flag: ReplaceIfPresentFlag(rip),
            data_coding: DataCoding(dc),
            sm_default_msg_id: dmid,
        }
    }};
}

fn msg_fields() -> impl Strategy<Value = MsgFields> {
    (
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
        time(),
        time(),
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
        any::<u8>(),
    )
}

fn gen_submit_sm() -> impl Strategy<Value = SubmitSm<B>> {
    (
        (co(6), ton(), npi(), co(21), ton(), npi(), co(21)),
        msg_fields(),
        short_message(),
        tlvs(),
    )
        .prop_map(
            |((st, sa_ton, sa_npi, sa, da_ton, da_npi, da), msg, sm, tlvs)| {
                with_msg_fields!(
                    SubmitSm {
                        service_type: st,
                        source_addr_ton: sa_ton,
                        source_addr_npi: sa_npi,
                        source_addr: sa,
                        dest_addr_ton: da_ton,
                        dest_addr_npi: da_npi,
                        destination_addr: da,
                        short_message: sm,
                        tlvs,
                    },
                    msg
                )
            },
        )
}

fn gen_sm_resp() -> impl Strategy<Value = SubmitSmResp<B>> {
    fields!(SubmitSmResp {
        message_id: co(65),
        tlvs: tlvs(),
    })
}

fn gen_data_sm() -> impl Strategy<Value = DataSm<B>> {
    fields!(DataSm {
        service_type: co(6),
        source_addr_ton: ton(),
        source_addr_npi: npi(),
        source_addr: co(65),
        dest_addr_ton: ton(),
        dest_addr_npi: npi(),
        destination_addr: co(65),
        esm_class: any::<u8>().prop_map(EsmClass),
        registered_delivery: any::<u8>().prop_map(RegisteredDelivery),
        data_coding: any::<u8>().prop_map(DataCoding),
        tlvs: tlvs(),
    })
}

#[derive(Clone, Debug)]
enum OwnedDest {
    Sme(Ton, Npi, B),
    List(B),
}

fn gen_submit_multi() -> impl Strategy<Value = SubmitMulti<B>> {
    let dest = prop_oneof![
        (ton(), npi(), vec(1u8..=255, 0..21)).prop_map(|(t, n, a)| OwnedDest::Sme(t, n, a)),
        vec(1u8..=255, 0..21).prop_map(OwnedDest::List),
    ];
    (
        (co(6), ton(), npi(), co(21)),
        vec(dest, 1..6),
        msg_fields(),
        short_message(),
        tlvs(),
    )
        .prop_map(|((st, a, b, sa), dests, msg, sm, tlvs)| {
            let mut buf = DestAddressBuf::<1024>::new();
            for d in &dests {
                buf.push(match d {
                    OwnedDest::Sme(t, n, addr) => DestAddress::SmeAddress {
                        dest_addr_ton: *t,
                        dest_addr_npi: *n,
                        destination_addr: COctet::new(addr),
                    },
                    OwnedDest::List(name) => DestAddress::DistributionList {
                        dl_name: COctet::new(name),
                    },
                })
                .unwrap();
            }
            with_msg_fields!(
                SubmitMulti {
                    service_type: st,
                    source_addr_ton: a,
                    source_addr_npi: b,
                    source_addr: sa,
                    dest_address: buf.list().map(<[u8]>::to_vec),
                    short_message: sm,
                    tlvs,
                },
                msg
            )
        })
}

fn gen_submit_multi_resp() -> impl Strategy<Value = SubmitMultiResp<B>> {
    let entry = (ton(), npi(), vec(1u8..=255, 0..21), any::<u32>());
    (co(65), vec(entry, 0..6), tlvs()).prop_map(|(message_id, entries, tlvs)| {
        let mut buf = UnsuccessSmeBuf::<1024>::new();
        for (t, n, addr, code) in &entries {
            buf.push(UnsuccessSme {
                dest_addr_ton: *t,
                dest_addr_npi: *n,
                destination_addr: COctet::new(addr),
                error_status_code: CommandStatus(*code),
            })
            .unwrap();
        }
        SubmitMultiResp {
            message_id,
            unsuccess_sme: buf.list().map(<[u8]>::to_vec),
            tlvs,
        }
    })
}

fn gen_query_sm() -> impl Strategy<Value = QuerySm<B>> {
    fields!(QuerySm {
        message_id: co(65),
        source_addr_ton: ton(),
        source_addr_npi: npi(),
        source_addr: co(21),
        tlvs: tlvs(),
    })
}

fn gen_query_sm_resp() -> impl Strategy<Value = QuerySmResp<B>> {
    fields!(QuerySmResp {
        message_id: co(65),
        final_date: final_date(),
        message_state: any::<u8>().prop_map(MessageState),
        error_code: any::<u8>(),
        tlvs: tlvs(),
    })
}

fn gen_cancel_sm() -> impl Strategy<Value = CancelSm<B>> {
    fields!(CancelSm {
        service_type: co(6),
        message_id: co(65),
        source_addr_ton: ton(),
        source_addr_npi: npi(),
        source_addr: co(21),
        dest_addr_ton: ton(),
        dest_addr_npi: npi(),
        destination_addr: co(21),
        tlvs: tlvs(),
    })
}

fn gen_replace_sm() -> impl Strategy<Value = ReplaceSm<B>> {
    fields!(ReplaceSm {
        message_id: co(65),
        source_addr_ton: ton(),
        source_addr_npi: npi(),
        source_addr: co(21),
        schedule_delivery_time: time(),
        validity_period: time(),
        registered_delivery: any::<u8>().prop_map(RegisteredDelivery),
        sm_default_msg_id: any::<u8>(),
        short_message: short_message(),
        tlvs: tlvs(),
    })
}

fn gen_broadcast_sm() -> impl Strategy<Value = BroadcastSm<B>> {
    fields!(BroadcastSm {
        service_type: co(6),
        source_addr_ton: ton(),
        source_addr_npi: npi(),
        source_addr: co(21),
        message_id: co(65),
        priority_flag: any::<u8>().prop_map(PriorityFlag),
        schedule_delivery_time: time(),
        validity_period: time(),
        replace_if_present_flag: any::<u8>().prop_map(ReplaceIfPresentFlag),
        data_coding: any::<u8>().prop_map(DataCoding),
        sm_default_msg_id: any::<u8>(),
        tlvs: broadcast_tlvs(),
    })
}

fn gen_cancel_broadcast_sm() -> impl Strategy<Value = CancelBroadcastSm<B>> {
    fields!(CancelBroadcastSm {
        service_type: co(6),
        message_id: co(65),
        source_addr_ton: ton(),
        source_addr_npi: npi(),
        source_addr: co(21),
        tlvs: tlvs(),
    })
}

fn gen_query_broadcast_sm_resp() -> impl Strategy<Value = SubmitSmResp<B>> {
    fields!(SubmitSmResp {
        message_id: co(65),
        tlvs: query_broadcast_resp_tlvs(),
    })
}

// ---------------------------------------------------------------- PDUs

fn pdu(body: impl Strategy<Value = Body<B>>) -> impl Strategy<Value = Pdu<B>> {
    (any::<u32>(), any::<u32>(), body)
        .prop_map(|(status, seq, body)| Pdu::new(seq, body).with_status(CommandStatus(status)))
}

fn check_round_trip(pdu: &Pdu<B>) -> Result<(), TestCaseError> {
    let mut out = vec![0u8; pdu.encoded_len()];
    let n = pdu
        .emit(&mut out)
        .map_err(|e| TestCaseError::fail(format!("{e}")))?;
    prop_assert_eq!(n, out.len());
    prop_assert_eq!(Header::parse(&out).unwrap(), pdu.header());
    let parsed = Pdu::parse(&out).map_err(|e| TestCaseError::fail(format!("{e}")))?;
    prop_assert_eq!(parsed.command_id(), pdu.command_id());
    prop_assert_eq!(&parsed.map(<[u8]>::to_vec), pdu);
    Ok(())
}

macro_rules! round_trip {
    ($($test:ident => $body:expr;)*) => {
        /// One property per PDU type.
        mod each_pdu {
            use super::*;

            proptest! {
                $(
                    #[test]
                    fn $test(pdu in pdu($body)) {
                        check_round_trip(&pdu)?;
                    }
                )*
            }
        }

        /// Every command id has its own property above.
        #[test]
        fn every_command_id_is_covered() {
            let mut runner = proptest::test_runner::TestRunner::deterministic();
            let mut ids: Vec<CommandId> = Vec::new();
            $(
                let tree = pdu($body).new_tree(&mut runner).unwrap();
                ids.push(tree.current().command_id());
            )*
            ids.sort();
            ids.dedup();
            let mut all = CommandId::ALL.to_vec();
            all.sort();
            assert_eq!(ids, all);
        }
    };
}

round_trip! {
    generic_nack => tlvs().prop_map(Body::GenericNack);
    bind_receiver => gen_bind().prop_map(Body::BindReceiver);
    bind_receiver_resp => gen_bind_resp().prop_map(Body::BindReceiverResp);
    bind_transmitter => gen_bind().prop_map(Body::BindTransmitter);
    bind_transmitter_resp => gen_bind_resp().prop_map(Body::BindTransmitterResp);
    query_sm => gen_query_sm().prop_map(Body::QuerySm);
    query_sm_resp => proptest::option::of(gen_query_sm_resp()).prop_map(Body::QuerySmResp);
    submit_sm => gen_submit_sm().prop_map(Body::SubmitSm);
    submit_sm_resp => proptest::option::of(gen_sm_resp()).prop_map(Body::SubmitSmResp);
    deliver_sm => gen_submit_sm().prop_map(Body::DeliverSm);
    deliver_sm_resp => proptest::option::of(gen_sm_resp()).prop_map(Body::DeliverSmResp);
    unbind => Just(Body::Unbind);
    unbind_resp => tlvs().prop_map(Body::UnbindResp);
    replace_sm => gen_replace_sm().prop_map(Body::ReplaceSm);
    replace_sm_resp => tlvs().prop_map(Body::ReplaceSmResp);
    cancel_sm => gen_cancel_sm().prop_map(Body::CancelSm);
    cancel_sm_resp => tlvs().prop_map(Body::CancelSmResp);
    bind_transceiver => gen_bind().prop_map(Body::BindTransceiver);
    bind_transceiver_resp => gen_bind_resp().prop_map(Body::BindTransceiverResp);
    outbind => gen_outbind().prop_map(Body::Outbind);
    enquire_link => Just(Body::EnquireLink);
    enquire_link_resp => tlvs().prop_map(Body::EnquireLinkResp);
    submit_multi => gen_submit_multi().prop_map(Body::SubmitMulti);
    submit_multi_resp => proptest::option::of(gen_submit_multi_resp()).prop_map(Body::SubmitMultiResp);
    alert_notification => gen_alert().prop_map(Body::AlertNotification);
    data_sm => gen_data_sm().prop_map(Body::DataSm);
    data_sm_resp => proptest::option::of(gen_sm_resp()).prop_map(Body::DataSmResp);
    broadcast_sm => gen_broadcast_sm().prop_map(Body::BroadcastSm);
    broadcast_sm_resp => proptest::option::of(gen_sm_resp()).prop_map(Body::BroadcastSmResp);
    query_broadcast_sm => gen_query_sm().prop_map(Body::QueryBroadcastSm);
    query_broadcast_sm_resp => proptest::option::of(gen_query_broadcast_sm_resp()).prop_map(Body::QueryBroadcastSmResp);
    cancel_broadcast_sm => gen_cancel_broadcast_sm().prop_map(Body::CancelBroadcastSm);
    cancel_broadcast_sm_resp => tlvs().prop_map(Body::CancelBroadcastSmResp);
}

/// Typed TLV values re-encode to the octets they were read from.
fn check_typed_tlvs(tlvs: &Tlvs<B>) -> Result<(), TestCaseError> {
    let mut buf = TlvBuf::<4096>::new();
    for tlv in tlvs {
        let typed = tlv.typed();
        prop_assert_eq!(typed.tag(), tlv.tag);
        let well_formed = !common::is_cstr_value(&typed) || tlv.value.last() == Some(&0);
        if well_formed {
            buf.push_value(&typed)
                .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        } else {
            // A C-Octet String without its NUL gains it.
            buf.push_tlv(tlv).unwrap();
            prop_assert_eq!(typed.encoded_value_len(), tlv.value.len() + 1);
        }
    }
    let rebuilt = buf.tlvs();
    prop_assert_eq!(rebuilt.as_bytes(), tlvs.as_bytes());
    Ok(())
}

proptest! {
    #[test]
    fn typed_tlvs_re_encode(tlvs in vec(tlv(), 0..12).prop_map(|l| owned(&raw_region(&l)))) {
        check_typed_tlvs(&tlvs)?;
    }
}

// ---------------------------------------------------------------- robustness

fn vectors() -> &'static [Vec<u8>] {
    static VECTORS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    VECTORS.get_or_init(|| common::vectors().into_iter().map(|(_, v)| v).collect())
}

/// Parses `frame` with `Pdu::parse` and `Pdu::parse_any`; whatever
/// decodes must re-encode to exactly `frame`, and `parse_any` differs from
/// `parse` only by keeping unknown `command_id`s.
fn parse_is_faithful(frame: &[u8]) -> Result<(), TestCaseError> {
    let strict = Pdu::parse(frame);
    let any = Pdu::parse_any(frame);
    match &strict {
        Ok(pdu) => prop_assert_eq!(any.as_ref(), Ok(pdu)),
        Err(e) if e.kind() == ErrorKind::UnknownCommandId => {}
        Err(e) => prop_assert_eq!(any.as_ref().map(|_| ()), Err(e)),
    }
    if let Ok(pdu) = any {
        let mut out = vec![0u8; pdu.encoded_len()];
        let n = pdu
            .emit(&mut out)
            .map_err(|e| TestCaseError::fail(format!("{e}")))?;
        prop_assert_eq!(&out[..n], frame);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_octets(frame in vec(any::<u8>(), 0..96)) {
        parse_is_faithful(&frame)?;
    }

    #[test]
    fn arbitrary_bodies_of_every_command(
        id in proptest::sample::select(CommandId::ALL),
        status in any::<u32>(),
        seq in any::<u32>(),
        body in prop_oneof![vec(any::<u8>(), 0..64), vec(0u8..4, 0..64), vec(prop_oneof![Just(0u8), 0x30u8..0x7A], 0..128)],
    ) {
        parse_is_faithful(&common::frame_of(id, CommandStatus(status), seq, &body))?;
    }

    #[test]
    fn arbitrary_bodies_of_any_command_id(
        id in any::<u32>(),
        status in any::<u32>(),
        seq in any::<u32>(),
        body in vec(any::<u8>(), 0..64),
    ) {
        let frame = common::frame_of(CommandId(id), CommandStatus(status), seq, &body);
        parse_is_faithful(&frame)?;
        if CommandId(id).name().is_none() {
            let pdu = Pdu::parse_any(&frame).map_err(|e| TestCaseError::fail(format!("{e}")))?;
            prop_assert_eq!(pdu.command_id(), CommandId(id));
            prop_assert!(matches!(pdu.body, Body::Raw(raw) if raw.octets == &body[..]));
        }
    }

    #[test]
    fn mutated_golden_vectors(
        index in any::<prop::sample::Index>(),
        flips in vec((any::<prop::sample::Index>(), any::<u8>()), 1..4),
        cut in any::<prop::sample::Index>(),
        extra in vec(any::<u8>(), 0..8),
        shape in 0u8..3,
    ) {
        let mut frame = index.get(vectors()).clone();
        for (at, byte) in &flips {
            let i = at.index(frame.len());
            frame[i] = *byte;
        }
        match shape {
            0 => {}
            1 => frame.truncate(cut.index(frame.len() + 1)),
            _ => frame.extend_from_slice(&extra),
        }
        parse_is_faithful(&frame)?;
        // And with command_length patched to the frame.
        if frame.len() >= 4 {
            common::patch_len(&mut frame);
            parse_is_faithful(&frame)?;
        }
    }

    #[test]
    fn mutated_bodies_keep_the_header(
        index in any::<prop::sample::Index>(),
        flips in vec((any::<prop::sample::Index>(), any::<u8>()), 1..3),
    ) {
        let mut frame = index.get(vectors()).clone();
        if frame.len() > 16 {
            for (at, byte) in &flips {
                let i = 16 + at.index(frame.len() - 16);
                frame[i] = *byte;
            }
        }
        match Pdu::parse(&frame) {
            Ok(_) => parse_is_faithful(&frame)?,
            Err(err) => {
                // A body error keeps the header, so the reply can be built.
                let header = Header::parse(&frame).unwrap();
                prop_assert_eq!(err.header(), Some(header));
                prop_assert_eq!(err.reply().sequence_number, header.sequence_number);
            }
        }
    }
}
