//! Capture files: pcap and pcapng read with `pcap-parser`, packets taken
//! apart down to TCP, segments handed to the reassembly of [`crate::tcp`].
//!
//! Link types: Ethernet (with 802.1Q/802.1ad tags), Linux cooked capture v1
//! (tags too) and v2 (`tcpdump -i any`), BSD loopback (`NULL`, `LOOP`) and raw IP
//! (`RAW`, `IPV4`, `IPV6`). IPv4 and IPv6 (hop-by-hop, routing,
//! destination options and authentication headers skipped, and the fragment
//! header of an atomic fragment); fragmented datagrams are put back
//! together (at most 256 at once); anything that is not TCP is skipped. A length of 0 in the IP header
//! (a segment captured before the network card cut it) reads as the
//! captured length; a packet a snapshot length cut short says how many
//! payload octets are missing, for the reassembly to report them.

use core::fmt;
use core::net::{IpAddr, SocketAddr};
use std::collections::{BTreeMap, HashMap};
use std::io::Read;

use pcap_parser::{Block, Linktype, PcapBlockOwned, PcapError};

use crate::tcp::{Event, Ports, Segment, Tracker};

/// The reader's buffer: the largest block a capture may hold (tcpdump's
/// largest snapshot length is 256 KiB).
const BLOCK_BUFFER: usize = 1 << 20;

/// Whether the first four octets of an input are those of a capture file:
/// the pcap magic number in either byte order, for microsecond or
/// nanosecond timestamps, or the pcapng section header block type.
pub(crate) fn is_capture(head: &[u8]) -> bool {
    matches!(
        head,
        [0xa1, 0xb2, 0xc3, 0xd4, ..]
            | [0xd4, 0xc3, 0xb2, 0xa1, ..]
            | [0xa1, 0xb2, 0x3c, 0x4d, ..]
            | [0x4d, 0x3c, 0xb2, 0xa1, ..]
            | [0x0a, 0x0d, 0x0d, 0x0a, ..]
    )
}

/// A packet's time: seconds and nanoseconds since 1970-01-01 UTC, and the
/// fraction digits the capture's resolution warrants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Ts {
    pub(crate) secs: i64,
    pub(crate) nanos: u32,
    /// 6 for microseconds (or coarser), 9 otherwise.
    pub(crate) digits: u8,
}

impl Ts {
    /// From a count of `units` per second since the epoch, plus `offset`
    /// seconds.
    fn from_units(units: u64, per_second: u64, offset: i64) -> Option<Self> {
        if per_second == 0 {
            return None;
        }
        let secs = i64::try_from(units / per_second)
            .ok()?
            .checked_add(offset)?;
        let fraction = u128::from(units % per_second) * 1_000_000_000 / u128::from(per_second);
        Some(Self {
            secs,
            nanos: u32::try_from(fraction).ok()?,
            digits: if per_second <= 1_000_000 { 6 } else { 9 },
        })
    }
}

impl fmt::Display for Ts {
    /// RFC 3339 in UTC: `2026-11-01T09:30:00.123456Z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let days = self.secs.div_euclid(86_400);
        let in_day = self.secs.rem_euclid(86_400);
        let (year, month, day) = civil_date(days);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            in_day / 3600,
            in_day / 60 % 60,
            in_day % 60
        )?;
        if self.digits == 6 {
            write!(f, ".{:06}Z", self.nanos / 1000)
        } else {
            write!(f, ".{:09}Z", self.nanos)
        }
    }
}

/// The proleptic Gregorian date of a day count since 1970-01-01, by whole
/// 400-year eras (146,097 days each) counted from 0000-03-01, so that the
/// leap day ends a year.
fn civil_date(days: i64) -> (i64, i64, i64) {
    let from_march_0000 = days + 719_468;
    let era = from_march_0000.div_euclid(146_097);
    let day_of_era = from_march_0000.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    // Months from March, of 153 days per five.
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// What a capture interface says about its packets.
#[derive(Clone, Copy)]
struct Interface {
    linktype: Linktype,
    /// Timestamp units per second.
    per_second: u64,
    offset: i64,
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2)?
        .first_chunk::<2>()
        .map(|b| u16::from_be_bytes(*b))
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4)?
        .first_chunk::<4>()
        .map(|b| u32::from_be_bytes(*b))
}

/// The IP packet inside a frame; `None` for anything else.
fn ip_packet(linktype: Linktype, frame: &[u8]) -> Option<&[u8]> {
    const IPV4: u16 = 0x0800;
    const IPV6: u16 = 0x86DD;
    /// The IP packet after the ethertype at `at`, and after the VLAN tags
    /// it announces: 802.1Q, 802.1ad and the older Q-in-Q tags.
    fn after_tags(frame: &[u8], mut at: usize) -> Option<&[u8]> {
        let mut ethertype = be16(frame, at)?;
        while matches!(ethertype, 0x8100 | 0x88A8 | 0x9100) {
            at += 4;
            ethertype = be16(frame, at)?;
        }
        matches!(ethertype, IPV4 | IPV6).then_some(frame.get(at + 2..)?)
    }
    fn by_ethertype(ethertype: u16, rest: &[u8]) -> Option<&[u8]> {
        matches!(ethertype, IPV4 | IPV6).then_some(rest)
    }
    match linktype {
        Linktype::ETHERNET => after_tags(frame, 12),
        // libpcap puts back the tag the network card took off a frame
        // before the protocol field (as it does for Ethernet).
        Linktype::LINUX_SLL => after_tags(frame, 14),
        Linktype::LINUX_SLL2 => by_ethertype(be16(frame, 0)?, frame.get(20..)?),
        // A four-octet address family (in the capturing host's byte order
        // for NULL, big-endian for LOOP, with values that differ between
        // systems): the IP version tells instead.
        Linktype::NULL | Linktype::LOOP => frame.get(4..),
        // 12 and 14 are raw IP on some systems.
        Linktype::RAW | Linktype::IPV4 | Linktype::IPV6 | Linktype(12 | 14) => Some(frame),
        _ => None,
    }
}

/// What an IP packet carries, as far as the reassembly cares.
enum Carried<'a> {
    /// TCP: its header and payload, and how many octets of the packet a
    /// snapshot length cut off.
    Tcp {
        src: IpAddr,
        dst: IpAddr,
        tcp: &'a [u8],
        truncated: usize,
    },
    /// A fragment of a datagram that carries TCP.
    Fragment(Fragment<'a>),
}

/// One fragment of an IP datagram.
struct Fragment<'a> {
    key: DatagramKey,
    /// Where its octets go in the datagram's payload.
    offset: usize,
    /// Whether fragments follow it.
    more: bool,
    data: &'a [u8],
    /// Whether the capture kept all of it.
    whole: bool,
}

/// What tells a datagram's fragments from those of others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct DatagramKey {
    src: IpAddr,
    dst: IpAddr,
    id: u32,
}

/// What an IP packet carries: TCP, or a fragment of a datagram carrying
/// TCP; `None` for anything else.
fn ip_carried(packet: &[u8]) -> Option<Carried<'_>> {
    const TCP: u8 = 6;
    match packet.first()? >> 4 {
        4 => {
            let header = usize::from(packet.first()? & 0x0F) * 4;
            // A total length of 0: a packet captured on its way out before
            // the network card cut it into segments (TCP segmentation
            // offload) and filled in the lengths; the capture holds it all.
            let total = match usize::from(be16(packet, 2)?) {
                0 => packet.len(),
                total => total,
            };
            if header < 20 || total < header || *packet.get(9)? != TCP {
                return None;
            }
            let src: [u8; 4] = packet.get(12..16)?.try_into().ok()?;
            let dst: [u8; 4] = packet.get(16..20)?.try_into().ok()?;
            let (src, dst) = (IpAddr::V4(src.into()), IpAddr::V4(dst.into()));
            // The capture may hold less than the packet (a snapshot length),
            // or more (Ethernet padding).
            let data = packet.get(header..total.min(packet.len()))?;
            let fragment = be16(packet, 6)?;
            // More fragments, or an offset: a fragment.
            if fragment & 0x3FFF != 0 {
                return Some(Carried::Fragment(Fragment {
                    key: DatagramKey {
                        src,
                        dst,
                        id: u32::from(be16(packet, 4)?),
                    },
                    offset: usize::from(fragment & 0x1FFF) * 8,
                    more: fragment & 0x2000 != 0,
                    data,
                    whole: total <= packet.len(),
                }));
            }
            Some(Carried::Tcp {
                src,
                dst,
                tcp: data,
                truncated: total.saturating_sub(packet.len()),
            })
        }
        6 => {
            // A payload length of 0 with a TCP header after it: a jumbogram,
            // or a large segment captured before it was cut (as for IPv4).
            let end = match usize::from(be16(packet, 4)?) {
                0 => packet.len(),
                len => 40 + len,
            };
            let mut next = *packet.get(6)?;
            let src: [u8; 16] = packet.get(8..24)?.try_into().ok()?;
            let dst: [u8; 16] = packet.get(24..40)?.try_into().ok()?;
            let (src, dst) = (IpAddr::V6(src.into()), IpAddr::V6(dst.into()));
            let mut at = 40;
            loop {
                match next {
                    TCP => break,
                    // Hop-by-hop, routing, destination options.
                    0 | 43 | 60 => {
                        next = *packet.get(at)?;
                        at += (usize::from(*packet.get(at + 1)?) + 1) * 8;
                    }
                    // Authentication header.
                    51 => {
                        next = *packet.get(at)?;
                        at += (usize::from(*packet.get(at + 1)?) + 2) * 4;
                    }
                    // A fragment header: an atomic fragment (offset 0, no
                    // more fragments) holds the whole packet.
                    44 if be16(packet, at + 2)? & 0xFFF9 == 0 => {
                        next = *packet.get(at)?;
                        at += 8;
                    }
                    // A fragment of a datagram whose fragmentable part
                    // starts with TCP.
                    44 if *packet.get(at)? == TCP => {
                        let fragment = be16(packet, at + 2)?;
                        return Some(Carried::Fragment(Fragment {
                            key: DatagramKey {
                                src,
                                dst,
                                id: be32(packet, at + 4)?,
                            },
                            offset: usize::from(fragment & 0xFFF8),
                            more: fragment & 1 != 0,
                            data: packet.get(at + 8..end.min(packet.len()))?,
                            whole: end <= packet.len(),
                        }));
                    }
                    _ => return None,
                }
            }
            Some(Carried::Tcp {
                src,
                dst,
                tcp: packet.get(at..end.min(packet.len()))?,
                truncated: end.saturating_sub(packet.len()),
            })
        }
        _ => None,
    }
}

/// A TCP segment from its header and payload.
fn tcp_in(src: IpAddr, dst: IpAddr, tcp: &[u8], truncated: usize) -> Option<Segment<'_>> {
    let header = usize::from(tcp.get(12)? >> 4) * 4;
    let flags = *tcp.get(13)?;
    if header < 20 {
        return None;
    }
    Some(Segment {
        src: SocketAddr::new(src, be16(tcp, 0)?),
        dst: SocketAddr::new(dst, be16(tcp, 2)?),
        seq: be32(tcp, 4)?,
        ack: if flags & 0x10 == 0 {
            None
        } else {
            Some(be32(tcp, 8)?)
        },
        fin: flags & 0x01 != 0,
        syn: flags & 0x02 != 0,
        rst: flags & 0x04 != 0,
        payload: tcp.get(header..)?,
        truncated,
    })
}

/// A TCP segment inside an IP packet that is not a fragment.
#[cfg(test)]
fn tcp_segment(packet: &[u8]) -> Option<Segment<'_>> {
    match ip_carried(packet)? {
        Carried::Tcp {
            src,
            dst,
            tcp,
            truncated,
        } => tcp_in(src, dst, tcp, truncated),
        Carried::Fragment(_) => None,
    }
}

/// Datagrams being put back together at once; past it, the one waiting
/// longest is dropped.
const MAX_DATAGRAMS: usize = 256;
/// The largest datagram payload.
const MAX_DATAGRAM: usize = 65_535;

/// IP fragments put back together into the TCP segments they carry: at
/// most [`MAX_DATAGRAMS`] datagrams of [`MAX_DATAGRAM`] octets at once. A
/// datagram that misses a fragment, or one the capture cut short, never
/// completes: its segment is a hole for the reassembly to report.
#[derive(Default)]
struct Defragmenter {
    pending: HashMap<DatagramKey, Datagram>,
    /// Datagrams by when their first fragment came, oldest first.
    by_age: BTreeMap<u64, DatagramKey>,
    tick: u64,
}

#[derive(Default)]
struct Datagram {
    payload: Vec<u8>,
    /// The ranges of `payload` received, in order and apart.
    have: Vec<(usize, usize)>,
    /// Its length, once the last fragment came.
    len: Option<usize>,
    tick: u64,
    /// A fragment the capture cut short, or one past the largest datagram.
    damaged: bool,
}

impl Defragmenter {
    /// Takes a fragment; the datagram's payload when it completes it.
    fn add(&mut self, f: &Fragment<'_>) -> Option<Vec<u8>> {
        if !self.pending.contains_key(&f.key) {
            while self.pending.len() >= MAX_DATAGRAMS {
                let (_, oldest) = self.by_age.pop_first()?;
                self.pending.remove(&oldest);
            }
            self.tick += 1;
            self.by_age.insert(self.tick, f.key);
            self.pending.insert(
                f.key,
                Datagram {
                    tick: self.tick,
                    ..Datagram::default()
                },
            );
        }
        let d = self.pending.get_mut(&f.key)?;
        let end = f.offset + f.data.len();
        if !f.whole || end > MAX_DATAGRAM {
            d.damaged = true;
        }
        if !d.damaged {
            if d.payload.len() < end {
                d.payload.resize(end, 0);
            }
            d.payload.get_mut(f.offset..end)?.copy_from_slice(f.data);
            d.have.push((f.offset, end));
            d.have.sort_unstable();
            let mut merged: Vec<(usize, usize)> = Vec::with_capacity(d.have.len());
            for &(a, b) in &d.have {
                match merged.last_mut() {
                    Some(last) if a <= last.1 => last.1 = last.1.max(b),
                    _ => merged.push((a, b)),
                }
            }
            d.have = merged;
        }
        if !f.more {
            d.len = Some(end);
        }
        let complete = d.len.is_some_and(|len| d.have.first() == Some(&(0, len)))
            || (d.damaged && d.len.is_some());
        if !complete {
            return None;
        }
        let d = self.pending.remove(&f.key)?;
        self.by_age.remove(&d.tick);
        let mut payload = d.payload;
        payload.truncate(d.len?);
        (!d.damaged).then_some(payload)
    }
}

/// A reader whose first read returns the file header (the pcap header,
/// or the pcapng section header block) and nothing more: the capture reader
/// parses it from one read and then reads again, which must not wait for
/// input that a live capture on standard input has not written yet. The
/// octets read past the header come next.
struct HeaderFirst<R> {
    inner: R,
    first: bool,
    rest: Vec<u8>,
    at: usize,
}

/// The octets the file header takes, as far as `head` tells.
fn header_len(head: &[u8]) -> usize {
    const PCAPNG_SHB: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];
    match head {
        [a, b, c, d, l0, l1, l2, l3, m0, ..] if [*a, *b, *c, *d] == PCAPNG_SHB => {
            // The byte-order magic 0x1A2B3C4D says how to read the length.
            let len = if *m0 == 0x1a {
                u32::from_be_bytes([*l0, *l1, *l2, *l3])
            } else {
                u32::from_le_bytes([*l0, *l1, *l2, *l3])
            };
            usize::try_from(len).unwrap_or(usize::MAX)
        }
        [0x0a, 0x0d, 0x0d, 0x0a, ..] => 12,
        _ => 24,
    }
}

impl<R: Read> Read for HeaderFirst<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.first {
            self.first = false;
            let mut head = Vec::new();
            let mut chunk = [0u8; 4096];
            while head.len() < header_len(&head).min(BLOCK_BUFFER) {
                match self.inner.read(&mut chunk) {
                    Ok(0) => break,
                    Ok(n) => head.extend_from_slice(chunk.get(..n).unwrap_or_default()),
                    Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(e) => return Err(e),
                }
            }
            let n = header_len(&head).min(head.len()).min(buf.len());
            buf.get_mut(..n)
                .unwrap_or_default()
                .copy_from_slice(head.get(..n).unwrap_or_default());
            self.rest = head.split_off(n);
            return Ok(n);
        }
        if let Some(rest) = self.rest.get(self.at..).filter(|r| !r.is_empty()) {
            let n = rest.len().min(buf.len());
            buf.get_mut(..n)
                .unwrap_or_default()
                .copy_from_slice(rest.get(..n).unwrap_or_default());
            self.at += n;
            if self.at == self.rest.len() {
                self.rest = Vec::new();
                self.at = 0;
            }
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

/// The interfaces of the current pcapng section (the one of a pcap file).
#[derive(Default)]
struct Interfaces(Vec<Interface>, Undescribed);

/// Packets of an interface no description block described (a damaged or
/// cut pcapng file): the first one's interface, to be told once.
#[derive(Default)]
struct Undescribed {
    first: Option<u32>,
    told: bool,
}

impl Interfaces {
    /// Takes note of a block that describes interfaces; a packet's
    /// interface, time and frame.
    fn packet<'a>(
        &mut self,
        block: PcapBlockOwned<'a>,
    ) -> Option<(Interface, Option<Ts>, &'a [u8])> {
        match block {
            PcapBlockOwned::LegacyHeader(header) => {
                self.0 = vec![Interface {
                    linktype: header.network,
                    per_second: if header.is_nanosecond_precision() {
                        1_000_000_000
                    } else {
                        1_000_000
                    },
                    offset: 0,
                }];
                None
            }
            PcapBlockOwned::Legacy(b) => self.0.first().map(|i| {
                let units = u64::from(b.ts_sec) * i.per_second + u64::from(b.ts_usec);
                (*i, Ts::from_units(units, i.per_second, 0), b.data)
            }),
            PcapBlockOwned::NG(Block::SectionHeader(_)) => {
                self.0.clear();
                None
            }
            PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
                self.0.push(Interface {
                    linktype: idb.linktype,
                    per_second: idb.ts_resolution().unwrap_or(0),
                    offset: idb.ts_offset(),
                });
                None
            }
            PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => usize::try_from(epb.if_id)
                .ok()
                .and_then(|i| self.0.get(i))
                .or_else(|| {
                    self.1.first.get_or_insert(epb.if_id);
                    None
                })
                .map(|i| {
                    let units = u64::from(epb.ts_high) << 32 | u64::from(epb.ts_low);
                    (
                        *i,
                        Ts::from_units(units, i.per_second, i.offset),
                        captured(epb.data, epb.caplen),
                    )
                }),
            // No timestamp in a simple packet block.
            PcapBlockOwned::NG(Block::SimplePacket(spb)) => self
                .0
                .first()
                .or_else(|| {
                    self.1.first.get_or_insert(0);
                    None
                })
                .map(|i| (*i, None, captured(spb.data, spb.origlen))),
            PcapBlockOwned::NG(_) => None,
        }
    }
}

/// Reads a capture and reports what its TCP streams carry, event by event.
///
/// Damage in the file (a truncated last block, a block that does not parse)
/// ends the reading with a [`Event::Notice`], after the streams finished.
/// `Err` only when the input cannot be read.
pub(crate) fn read<R: Read + Send>(
    input: R,
    ports: Ports,
    mut emit: impl FnMut(Event) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut tracker = Tracker::new(ports);
    let mut defragmenter = Defragmenter::default();
    let mut events = Vec::new();
    let mut interfaces = Interfaces::default();
    let mut unsupported: Vec<Linktype> = Vec::new();
    let mut reader = match pcap_parser::create_reader(
        BLOCK_BUFFER,
        HeaderFirst {
            inner: input,
            first: true,
            rest: Vec::new(),
            at: 0,
        },
    ) {
        Ok(r) => r,
        Err(e) => return emit(Event::Notice(format!("capture file: {}", describe(&e)))),
    };
    loop {
        let (used, block) = match reader.next() {
            Ok(next) => next,
            Err(PcapError::Eof) => break,
            Err(PcapError::Incomplete(_)) => {
                if let Err(e) = reader.refill() {
                    events.push(Event::Notice(format!("capture file: {}", describe(&e))));
                    break;
                }
                continue;
            }
            Err(e) => {
                let what = describe(&e);
                let at = reader.consumed();
                events.push(Event::Notice(format!("capture file: {what} at octet {at}")));
                break;
            }
        };
        let packet = interfaces.packet(block);
        if let Some(id) = interfaces.1.first.filter(|_| !interfaces.1.told) {
            interfaces.1.told = true;
            events.push(Event::Notice(format!(
                "packets of interface {id}, which no interface description block describes, \
                 are skipped"
            )));
        }
        if let Some((interface, ts, frame)) = packet {
            match ip_packet(interface.linktype, frame) {
                Some(ip) => match ip_carried(ip) {
                    Some(Carried::Tcp {
                        src,
                        dst,
                        tcp,
                        truncated,
                    }) => {
                        if let Some(segment) = tcp_in(src, dst, tcp, truncated) {
                            tracker.segment(ts, &segment, &mut events);
                        }
                    }
                    Some(Carried::Fragment(fragment)) => {
                        let whole = defragmenter.add(&fragment);
                        let key = fragment.key;
                        if let Some(segment) = whole
                            .as_deref()
                            .and_then(|tcp| tcp_in(key.src, key.dst, tcp, 0))
                        {
                            tracker.segment(ts, &segment, &mut events);
                        }
                    }
                    None => {}
                },
                None if !known_linktype(interface.linktype)
                    && !unsupported.contains(&interface.linktype) =>
                {
                    unsupported.push(interface.linktype);
                    events.push(Event::Notice(format!(
                        "link type {} is not supported: its packets are skipped",
                        interface.linktype.0
                    )));
                }
                None => {}
            }
        }
        reader.consume(used);
        for event in events.drain(..) {
            emit(event)?;
        }
    }
    // Streams finish before the reason the reading stopped is told.
    let stopped = core::mem::take(&mut events);
    tracker.finish(&mut events);
    for event in events.into_iter().chain(stopped) {
        emit(event)?;
    }
    Ok(())
}

/// A packet block's data without its padding.
fn captured(data: &[u8], len: u32) -> &[u8] {
    usize::try_from(len)
        .ok()
        .and_then(|len| data.get(..len))
        .unwrap_or(data)
}

fn known_linktype(linktype: Linktype) -> bool {
    matches!(
        linktype,
        Linktype::ETHERNET
            | Linktype::LINUX_SLL
            | Linktype::LINUX_SLL2
            | Linktype::NULL
            | Linktype::LOOP
            | Linktype::RAW
            | Linktype::IPV4
            | Linktype::IPV6
            | Linktype(12 | 14)
    )
}

fn describe<I>(e: &PcapError<I>) -> String {
    match e {
        PcapError::Eof | PcapError::UnexpectedEof | PcapError::Incomplete(_) => {
            "truncated: the last block is cut short".into()
        }
        PcapError::BufferTooSmall => format!("a block longer than {BLOCK_BUFFER} octets"),
        PcapError::ReadError => "read error".into(),
        PcapError::HeaderNotRecognized => "neither pcap nor pcapng".into(),
        PcapError::NomError(_, kind) | PcapError::OwnedNomError(_, kind) => {
            format!("a block does not parse ({kind:?})")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_print_as_rfc3339_utc() {
        let ts = |secs, nanos, digits| Ts {
            secs,
            nanos,
            digits,
        };
        assert_eq!(ts(0, 0, 6).to_string(), "1970-01-01T00:00:00.000000Z");
        assert_eq!(
            ts(951_782_400, 5_000, 6).to_string(),
            "2000-02-29T00:00:00.000005Z"
        );
        assert_eq!(
            ts(1_798_761_599, 999_999_999, 9).to_string(),
            "2026-12-31T23:59:59.999999999Z"
        );
        assert_eq!(ts(-1, 0, 6).to_string(), "1969-12-31T23:59:59.000000Z");
        assert_eq!(
            ts(4_107_542_400, 0, 6).to_string(),
            "2100-03-01T00:00:00.000000Z"
        );
        // Units and resolutions.
        assert_eq!(
            Ts::from_units(1_700_000_000_123_456, 1_000_000, 0),
            Some(ts(1_700_000_000, 123_456_000, 6))
        );
        assert_eq!(
            Ts::from_units(3 << 20 | 1 << 19, 1 << 20, 10),
            Some(ts(13, 500_000_000, 9))
        );
        assert_eq!(Ts::from_units(5, 0, 0), None);
        assert_eq!(Ts::from_units(u64::MAX, 1, i64::MAX), None);
    }

    /// A TCP header from port 40000 to 2775, sequence number 7, then
    /// `payload`.
    fn tcp_with(payload: &[u8]) -> Vec<u8> {
        let mut tcp = vec![0x9c, 0x40, 0x0a, 0xd7, 0, 0, 0, 7, 0, 0, 0, 0, 0x50, 0x18];
        tcp.extend_from_slice(&[0xff, 0xff, 0, 0, 0, 0]);
        tcp.extend_from_slice(payload);
        tcp
    }

    fn ipv4(total: u16, tcp: &[u8]) -> Vec<u8> {
        let mut ip = vec![0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 6, 0, 0];
        ip[2..4].copy_from_slice(&total.to_be_bytes());
        ip.extend_from_slice(&[192, 0, 2, 1, 192, 0, 2, 2]);
        ip.extend_from_slice(tcp);
        ip
    }

    fn ipv6(next: u8, extensions: &[u8], tcp: &[u8]) -> Vec<u8> {
        let len = u16::try_from(extensions.len() + tcp.len()).unwrap();
        let mut ip = vec![0x60, 0, 0, 0];
        ip.extend_from_slice(&len.to_be_bytes());
        ip.extend_from_slice(&[next, 64]);
        ip.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        ip.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
        ip.extend_from_slice(extensions);
        ip.extend_from_slice(tcp);
        ip
    }

    #[test]
    fn what_a_snapshot_length_cut_off_is_counted() {
        let tcp = tcp_with(&[0x41; 200]);
        let packet = ipv4(240, &tcp);
        let seg = tcp_segment(&packet[..100]).unwrap();
        assert_eq!((seg.payload.len(), seg.truncated), (60, 140));
        let packet = ipv6(6, &[], &tcp);
        let seg = tcp_segment(&packet[..100]).unwrap();
        assert_eq!((seg.payload.len(), seg.truncated), (40, 160));
        // Cut inside the TCP header: nothing to read.
        assert!(tcp_segment(&packet[..50]).is_none());
    }

    #[test]
    fn a_segment_captured_before_the_card_cut_it_has_no_ipv4_length() {
        let tcp = tcp_with(&[0x41; 3000]);
        let packet = ipv4(0, &tcp);
        let seg = tcp_segment(&packet).unwrap();
        assert_eq!(seg.payload, &[0x41; 3000][..]);
        assert_eq!((seg.seq, seg.truncated), (7, 0));
        // With its length, Ethernet padding after the packet is not
        // payload.
        let mut padded = ipv4(44, &tcp_with(b"abcd"));
        padded.extend_from_slice(&[0; 6]);
        assert_eq!(tcp_segment(&padded).unwrap().payload, b"abcd");
    }

    #[test]
    fn an_ipv6_atomic_fragment_is_read_and_a_true_fragment_is_not() {
        let tcp = tcp_with(b"abcd");
        // Fragment header: next header TCP, offset 0, no more fragments.
        let atomic = ipv6(44, &[6, 0, 0, 0, 0, 0, 0, 9], &tcp);
        assert_eq!(tcp_segment(&atomic).unwrap().payload, b"abcd");
        // After a hop-by-hop options header.
        let hop = [44, 0, 1, 4, 0, 0, 0, 0];
        let both = ipv6(0, &[&hop[..], &[6, 0, 0, 0, 0, 0, 0, 9]].concat(), &tcp);
        assert_eq!(tcp_segment(&both).unwrap().payload, b"abcd");
        // More fragments; an offset.
        for fragment in [[6, 0, 0, 1, 0, 0, 0, 9], [6, 0, 0, 8, 0, 0, 0, 9]] {
            assert!(tcp_segment(&ipv6(44, &fragment, &tcp)).is_none());
        }
    }

    /// A little-endian pcapng block.
    fn block(kind: u32, body: &[u8]) -> Vec<u8> {
        let len = u32::try_from(12 + body.len().next_multiple_of(4)).unwrap();
        let mut b = [kind.to_le_bytes(), len.to_le_bytes()].concat();
        b.extend_from_slice(body);
        b.resize(usize::try_from(len).unwrap() - 4, 0);
        b.extend_from_slice(&len.to_le_bytes());
        b
    }

    #[test]
    fn packets_of_an_interface_never_described_are_told_of() {
        let mut file = block(
            0x0A0D_0D0A,
            &[
                0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
            ],
        );
        // Interface 0: raw IP.
        file.extend(block(1, &[101, 0, 0, 0, 0, 0, 4, 0]));
        let frame = ipv4(44, &tcp_with(&[0, 0, 0, 16]));
        for interface in [0u32, 3, 3, 0] {
            let mut epb = [interface.to_le_bytes(), [0; 4], [0; 4]].concat();
            epb.extend_from_slice(&u32::try_from(frame.len()).unwrap().to_le_bytes());
            epb.extend_from_slice(&u32::try_from(frame.len()).unwrap().to_le_bytes());
            epb.extend_from_slice(&frame);
            file.extend(block(6, &epb));
        }
        let mut events = Vec::new();
        read(&file[..], Ports::default(), |e| {
            events.push(e);
            Ok(())
        })
        .unwrap();
        let notices: Vec<_> = events
            .iter()
            .filter_map(|e| match e {
                Event::Notice(n) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            notices,
            ["packets of interface 3, which no interface description block describes, are skipped"]
        );
    }

    /// The fragments of an IPv4 datagram carrying `tcp`, cut at `cuts`
    /// (multiples of 8).
    fn ipv4_fragments(tcp: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
        let mut bounds = vec![0];
        bounds.extend_from_slice(cuts);
        bounds.push(tcp.len());
        bounds
            .windows(2)
            .map(|w| {
                let part = &tcp[w[0]..w[1]];
                let mut ip = ipv4(u16::try_from(20 + part.len()).unwrap(), part);
                let more = if w[1] < tcp.len() { 0x2000 } else { 0 };
                let field = u16::try_from(w[0] / 8).unwrap() | more;
                ip[4..6].copy_from_slice(&[0x12, 0x34]);
                ip[6..8].copy_from_slice(&field.to_be_bytes());
                ip
            })
            .collect()
    }

    /// Feeds packets to a defragmenter: the payloads of the segments they
    /// complete.
    fn defragment(d: &mut Defragmenter, packets: &[Vec<u8>]) -> Vec<Vec<u8>> {
        let mut out = Vec::new();
        for p in packets {
            match ip_carried(p) {
                Some(Carried::Fragment(f)) => {
                    if let Some(tcp) = d.add(&f) {
                        let seg = tcp_in(f.key.src, f.key.dst, &tcp, 0).unwrap();
                        out.push(seg.payload.to_vec());
                    }
                }
                Some(Carried::Tcp { .. }) => panic!("not a fragment"),
                None => panic!("not read"),
            }
        }
        out
    }

    #[test]
    fn ip_fragments_are_put_back_together() {
        let payload: Vec<u8> = (0..=255).cycle().take(1000).collect();
        let tcp = tcp_with(&payload);
        let mut d = Defragmenter::default();
        // Out of order, one sent twice.
        let f = ipv4_fragments(&tcp, &[400, 808]);
        let got = defragment(
            &mut d,
            &[f[2].clone(), f[0].clone(), f[0].clone(), f[1].clone()],
        );
        assert_eq!(got, core::slice::from_ref(&payload));
        assert!(d.pending.is_empty());
        // IPv6: fragment headers with next header TCP.
        let v6 = [&tcp[..504], &tcp[504..]].map(<[u8]>::to_vec);
        let packets: Vec<Vec<u8>> = [(0u16, 1u16, &v6[0]), (504, 0, &v6[1])]
            .into_iter()
            .map(|(offset, more, part)| {
                let mut header = vec![6, 0];
                header.extend_from_slice(&(offset | more).to_be_bytes());
                header.extend_from_slice(&[0, 0, 0, 5]);
                ipv6(44, &header, part)
            })
            .collect();
        assert_eq!(
            defragment(&mut d, &packets),
            core::slice::from_ref(&payload)
        );
        // A fragment the capture cut short: the datagram is dropped.
        let f = ipv4_fragments(&tcp, &[400]);
        let cut = f[0][..100].to_vec();
        assert!(defragment(&mut d, &[cut, f[1].clone()]).is_empty());
        assert!(d.pending.is_empty());
        // Datagrams that never complete are bounded.
        for id in 0..=u16::try_from(MAX_DATAGRAMS).unwrap() {
            let mut first = f[0].clone();
            first[4..6].copy_from_slice(&id.to_be_bytes());
            assert!(defragment(&mut d, &[first]).is_empty());
        }
        assert_eq!(d.pending.len(), MAX_DATAGRAMS);
        assert_eq!(d.by_age.len(), MAX_DATAGRAMS);
    }

    #[test]
    fn vlan_tags_in_ethernet_and_linux_cooked_frames() {
        let ip = ipv4(44, &tcp_with(b"abcd"));
        let tag = |tpid: u16, vid: u16| [tpid.to_be_bytes(), vid.to_be_bytes()].concat();
        let ethernet = |tags: &[Vec<u8>]| [&[2u8; 12][..], &tags.concat(), &[8, 0], &ip].concat();
        let cooked = |tags: &[Vec<u8>]| [&[0u8; 14][..], &tags.concat(), &[8, 0], &ip].concat();
        for tags in [
            vec![],
            vec![tag(0x8100, 5)],
            vec![tag(0x88A8, 5), tag(0x8100, 7)],
        ] {
            assert_eq!(
                ip_packet(Linktype::ETHERNET, &ethernet(&tags)),
                Some(&ip[..])
            );
            assert_eq!(
                ip_packet(Linktype::LINUX_SLL, &cooked(&tags)),
                Some(&ip[..])
            );
        }
        // ARP, tagged or not, is not IP.
        let arp = [&[0u8; 14][..], &tag(0x8100, 5), &[8, 6], &ip].concat();
        assert_eq!(ip_packet(Linktype::LINUX_SLL, &arp), None);
    }

    #[test]
    fn magic_numbers() {
        for head in [
            [0xa1, 0xb2, 0xc3, 0xd4],
            [0xd4, 0xc3, 0xb2, 0xa1],
            [0xa1, 0xb2, 0x3c, 0x4d],
            [0x4d, 0x3c, 0xb2, 0xa1],
            [0x0a, 0x0d, 0x0d, 0x0a],
        ] {
            assert!(is_capture(&head));
            assert!(!is_capture(&head[..3]));
        }
        assert!(!is_capture(b"0000"));
        assert!(!is_capture(b"{\"co"));
    }
}
