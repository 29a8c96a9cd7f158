#!/bin/sh
# Regenerates the captures of this folder. Run as root on Linux:
#
#     sh testdata/captures/make.sh
#
# Two network namespaces (client 192.0.2.1 / 2001:db8::1, server 192.0.2.2 /
# 2001:db8::2) are joined through relay.py, which holds back, delays and
# drops chosen TCP segments (it does what `tc qdisc ... netem` would on a
# kernel built with it). peer.py runs an SMPP exchange across them while
# tcpdump or dumpcap captures in the server's namespace; tshark then checks
# that each capture has what the tests rely on. Addresses, ports and PDUs are
# the same on every run; timestamps, sequence numbers and the exact
# segments differ, so the tests' expectations may need updating after a run.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
cd "$here"

if ! command -v tcpdump >/dev/null || ! command -v dumpcap >/dev/null \
    || ! command -v tshark >/dev/null; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q tcpdump tshark
fi

C=smppdump-client
S=smppdump-server
work=$(mktemp -d)
relay=
capture=

stop() {
    if [ -n "$capture" ]; then
        kill -INT "$capture" 2>/dev/null || true
        wait "$capture" 2>/dev/null || true
        capture=
    fi
    if [ -n "$relay" ]; then
        kill "$relay" 2>/dev/null || true
        wait "$relay" 2>/dev/null || true
        relay=
    fi
    ip netns del "$C" 2>/dev/null || true
    ip netns del "$S" 2>/dev/null || true
}
trap 'stop; rm -rf "$work"' EXIT

# Waits until file $1 holds the text $2.
wait_for() {
    i=0
    until grep -q "$2" "$1" 2>/dev/null; do
        i=$((i + 1))
        [ "$i" -lt 100 ] || { echo "make.sh: no '$2' in $1" >&2; cat "$1" >&2; exit 1; }
        sleep 0.1
    done
}

# net RELAY-RULES...: the two namespaces, joined through the relay.
net() {
    stop
    ip netns add "$C"
    ip netns add "$S"
    rm -f "$work/relay.out" "$work/capture.err" "$work/server.out"
    python3 relay.py smppdump-c0 smppdump-s0 "$@" >"$work/relay.out" &
    relay=$!
    wait_for "$work/relay.out" ready
    for side in "$C smppdump-c0 1" "$S smppdump-s0 2"; do
        set -- $side
        ip link set "$2" netns "$1"
        ip -n "$1" link set lo up
        ip -n "$1" link set "$2" up
        ip -n "$1" addr add "192.0.2.$3/24" dev "$2"
        ip -n "$1" addr add "2001:db8::$3/64" dev "$2" nodad
    done
}

# capture COMMAND...: starts capturing in the server's namespace.
capture() {
    ip netns exec "$S" "$@" 2>"$work/capture.err" &
    capture=$!
    wait_for "$work/capture.err" "listening on\|Capturing on"
}

# exchange HOST PORT:SCENARIO...: the server on every port, then the client
# for each scenario in turn.
exchange() {
    host=$1
    shift
    ports=
    for p in "$@"; do ports="$ports ${p%%:*}"; done
    ip netns exec "$S" python3 peer.py server "$host" $ports >"$work/server.out" &
    server=$!
    wait_for "$work/server.out" listening
    for p in "$@"; do
        ip netns exec "$C" python3 peer.py client "${p#*:}" "$host" "${p%%:*}"
    done
    wait "$server"
    # Let the last ACKs and FINs reach the capture file.
    sleep 1.5
    stop
}

# check FILE FILTER MINIMUM WHAT: tshark finds at least MINIMUM packets.
check() {
    n=$(tshark -r "$1" -d tcp.port==2776,smpp -Y "$2" 2>/dev/null | wc -l)
    echo "$1: $n $4"
    [ "$n" -ge "$3" ] || { echo "make.sh: $1 lacks $4" >&2; exit 1; }
}

# check_common FILE: the segment handling the tests rely on.
check_common() {
    check "$1" "tcp.segments" 1 "PDUs reassembled from several segments"
    check "$1" "tcp.analysis.lost_segment" 1 "segments that arrived before one they follow"
    check "$1" "tcp.analysis.retransmission || tcp.analysis.spurious_retransmission || tcp.analysis.fast_retransmission" 1 "retransmissions"
    check "$1" "smpp" 1 "frames with SMPP PDUs"
}

# 1. pcap (tcpdump, Ethernet, microseconds), IPv4. The client's 7th and 12th
# data segments arrive after the two that follow them, its 9th after its
# retransmission; the server's 4th is lost once and retransmitted.
net --hold c2s:7:2 --hold c2s:12:2 --late c2s:9:1500 --drop s2c:4
capture tcpdump -i smppdump-s0 --immediate-mode -U -w "$work/reorder.pcap" tcp
exchange 192.0.2.2 2775:main
mv "$work/reorder.pcap" reorder-ipv4.pcap
check_common reorder-ipv4.pcap

# 2. pcapng (dumpcap on every interface: Linux cooked v2), IPv6; then an
# SMPP session on port 2776 (found by its first octets) and an HTTP request
# on port 8080 (ignored).
net --hold c2s:7:2 --late c2s:9:1500 --drop s2c:4 --hold s2c:6:1
capture dumpcap -i any -y LINUX_SLL2 -f tcp -w "$work/reorder.pcapng"
exchange 2001:db8::2 2775:main 2776:sniffed 8080:http
mv "$work/reorder.pcapng" reorder-ipv6.pcapng
check_common reorder-ipv6.pcapng

# 3. pcap (tcpdump on every interface as Linux cooked v1, nanoseconds),
# IPv4; the filter leaves out the segment that starts with "GAPX", in the
# middle of submit_sm 3, which the server receives and acknowledges (segments
# with less than 4 octets of payload are kept without looking at them).
net
capture tcpdump -i any -y LINUX_SLL --time-stamp-precision=nano --immediate-mode -U \
    -w "$work/gap.pcap" 'tcp and (ip[2:2] - ((ip[0] & 0xf) << 2) - ((tcp[12] & 0xf0) >> 2) < 4
        or tcp[((tcp[12] & 0xf0) >> 2):4] != 0x47415058)'
exchange 192.0.2.2 2775:gap
mv "$work/gap.pcap" gap-ipv4.pcap
check gap-ipv4.pcap "tcp.analysis.ack_lost_segment || tcp.analysis.lost_segment" 1 "missing segments"

chmod 644 ./*.pcap ./*.pcapng
ls -l ./*.pcap ./*.pcapng
