#!/usr/bin/env python3
"""A two-port Ethernet relay between two TAP devices that reorders, delays
and drops chosen TCP segments.

It stands in for `tc qdisc ... netem` on kernels built without it: frames go
from one TAP device to the other through this process, and the rules below
decide which TCP data segments are held back or lost. The TAP devices are
created here and left in the root namespace under the given names; make.sh
moves them into network namespaces. The relay runs until SIGTERM.

Rules (repeatable), with DIR `c2s` (from the side whose TAP is named first)
or `s2c`, and N counting that direction's data segments from 1, each new
sequence number once (a retransmission is not counted again):

  --hold DIR:N:K     hold segment N until K more data segments of DIR have
                     passed (or 300 ms), so that it arrives after them
  --late DIR:N:MS    hold segment N for MS milliseconds: past the sender's
                     retransmission timeout, so its retransmission arrives
                     first and the late original follows as a duplicate
  --drop DIR:N       drop segment N's first transmission: the receiver gets
                     only the retransmission
"""

import argparse
import fcntl
import os
import select
import struct
import sys
import time

TUNSETIFF = 0x400454CA
IFF_TAP = 0x0002
IFF_NO_PI = 0x1000


def open_tap(name):
    fd = os.open("/dev/net/tun", os.O_RDWR)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TAP | IFF_NO_PI))
    return fd


def tcp_data(frame):
    """(sequence number, payload length) of a TCP segment in an Ethernet
    frame, or None."""
    if len(frame) < 14:
        return None
    ethertype = struct.unpack_from(">H", frame, 12)[0]
    ip = frame[14:]
    if ethertype == 0x0800 and len(ip) >= 20 and ip[9] == 6:
        header = (ip[0] & 0x0F) * 4
        total = struct.unpack_from(">H", ip, 2)[0]
        tcp = ip[header:total]
    elif ethertype == 0x86DD and len(ip) >= 40 and ip[6] == 6:
        tcp = ip[40 : 40 + struct.unpack_from(">H", ip, 4)[0]]
    else:
        return None
    if len(tcp) < 20:
        return None
    seq = struct.unpack_from(">I", tcp, 4)[0]
    payload = len(tcp) - (tcp[12] >> 4) * 4
    return seq, payload


def send(fd, frame):
    """Writes a frame; one for a device that is not up yet is dropped."""
    try:
        os.write(fd, frame)
    except OSError:
        pass


def parse_rule(text, fields):
    parts = text.split(":")
    if len(parts) != fields or parts[0] not in ("c2s", "s2c"):
        sys.exit(f"relay: bad rule {text!r}")
    return (parts[0], int(parts[1])) + tuple(int(p) for p in parts[2:])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("client_tap")
    ap.add_argument("server_tap")
    ap.add_argument("--hold", action="append", default=[])
    ap.add_argument("--late", action="append", default=[])
    ap.add_argument("--drop", action="append", default=[])
    args = ap.parse_args()
    hold = {(d, n): k for d, n, k in (parse_rule(r, 3) for r in args.hold)}
    late = {(d, n): ms for d, n, ms in (parse_rule(r, 3) for r in args.late)}
    drop = {parse_rule(r, 2) for r in args.drop}

    fds = {"c2s": open_tap(args.client_tap), "s2c": open_tap(args.server_tap)}
    out = {"c2s": fds["s2c"], "s2c": fds["c2s"]}
    print("ready", flush=True)

    seen = {"c2s": {}, "s2c": {}}  # seq -> segment number
    count = {"c2s": 0, "s2c": 0}
    # Held frames: [direction, frame, release after this many more data
    # segments (or None), release time].
    held = []

    def release(now):
        for h in list(held):
            direction, frame, after, at = h
            if (after is not None and after <= 0) or now >= at:
                send(out[direction], frame)
                held.remove(h)

    while True:
        timeout = None
        if held:
            timeout = max(0.0, min(h[3] for h in held) - time.monotonic())
        ready, _, _ = select.select(list(fds.values()), [], [], timeout)
        now = time.monotonic()
        for direction, fd in fds.items():
            if fd not in ready:
                continue
            frame = os.read(fd, 65536)
            segment = tcp_data(frame)
            if segment is None or segment[1] == 0:
                send(out[direction], frame)
                continue
            seq = segment[0]
            first = seq not in seen[direction]
            if first:
                count[direction] += 1
                seen[direction][seq] = count[direction]
                for h in held:
                    if h[0] == direction and h[2] is not None:
                        h[2] -= 1
            n = seen[direction][seq]
            key = (direction, n)
            if first and key in drop:
                continue
            if first and key in hold:
                held.append([direction, frame, hold[key], now + 0.3])
                continue
            if first and key in late:
                held.append([direction, frame, None, now + late[key] / 1000])
                continue
            send(out[direction], frame)
        release(time.monotonic())


if __name__ == "__main__":
    main()
