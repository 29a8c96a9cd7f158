#!/usr/bin/env python3
"""Both ends of a small SMPP exchange, with every PDU written by hand (struct)
and every write placed on purpose, for the captures of this folder.

  peer.py server HOST PORT...        answers on each port until the client
                                     is done (a port of 8080 speaks HTTP)
  peer.py client SCENARIO HOST PORT  runs SCENARIO (main, gap, sniffed, http)

Both sockets use TCP_NODELAY and an MSS of 100, so that a write is sent at
once and a PDU longer than a segment is split. The client waits for each
response before it goes on, so the exchange is the same on every run.
"""

import socket
import struct
import sys
import time

MSS = 100


def cstr(s):
    return s.encode("latin-1") + b"\0"


def tlv(tag, value):
    return struct.pack(">HH", tag, len(value)) + value


def pdu(command_id, seq, body=b"", status=0):
    return struct.pack(">IIII", 16 + len(body), command_id, status, seq) + body


BIND_TRANSCEIVER = 0x00000009
BIND_TRANSCEIVER_RESP = 0x80000009
SUBMIT_SM = 0x00000004
SUBMIT_SM_RESP = 0x80000004
DELIVER_SM = 0x00000005
DELIVER_SM_RESP = 0x80000005
ENQUIRE_LINK = 0x00000015
ENQUIRE_LINK_RESP = 0x80000015
UNBIND = 0x00000006
UNBIND_RESP = 0x80000006


def bind_transceiver(seq):
    body = cstr("esme01") + cstr("secret") + cstr("") + bytes([0x34, 0, 0]) + cstr("")
    return pdu(BIND_TRANSCEIVER, seq, body)


def submit_sm(seq, dest, message, data_coding=0, registered_delivery=0):
    body = (
        cstr("")
        + bytes([5, 0])
        + cstr("INFO")
        + bytes([1, 1])
        + cstr(dest)
        + bytes([0, 0, 0])
        + cstr("")
        + cstr("")
        + bytes([registered_delivery, 0, data_coding, 0, len(message)])
        + message
    )
    return pdu(SUBMIT_SM, seq, body)


def receipt(seq, message_id, dest):
    text = (
        f"id:{message_id} sub:001 dlvrd:001 submit date:2611010930 "
        f"done date:2611010931 stat:DELIVRD err:000 text:Hello"
    ).encode()
    body = (
        cstr("")
        + bytes([1, 1])
        + cstr(dest)
        + bytes([5, 0])
        + cstr("INFO")
        + bytes([0x04, 0, 0])
        + cstr("")
        + cstr("")
        + bytes([0, 0, 0, 0, len(text)])
        + text
        + tlv(0x001E, cstr(message_id))
        + tlv(0x0427, bytes([2]))
    )
    return pdu(DELIVER_SM, seq, body)


def gsm(text):
    """ASCII letters, digits and spaces are the same septets in GSM 7-bit."""
    return text.encode("ascii")


def connect(host, port):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, MSS)
    s.connect((host, port))
    return s


def read_pdu(s):
    head = b""
    while len(head) < 16:
        chunk = s.recv(16 - len(head))
        if not chunk:
            return None
        head += chunk
    length, command_id, status, seq = struct.unpack(">IIII", head)
    body = b""
    while len(body) < length - 16:
        chunk = s.recv(length - 16 - len(body))
        if not chunk:
            return None
        body += chunk
    return command_id, status, seq, body


def expect(s, command_id, seq):
    got = read_pdu(s)
    if got is None or got[0] != command_id or got[2] != seq:
        sys.exit(f"client: expected {command_id:#x} seq {seq}, got {got}")
    return got


def pause():
    time.sleep(0.05)


def scenario_main(s):
    # A PDU in two writes.
    bind = bind_transceiver(1)
    s.sendall(bind[:10])
    pause()
    s.sendall(bind[10:])
    expect(s, BIND_TRANSCEIVER_RESP, 1)
    # Two PDUs in one segment.
    s.sendall(pdu(ENQUIRE_LINK, 2) + pdu(ENQUIRE_LINK, 3))
    expect(s, ENQUIRE_LINK_RESP, 2)
    expect(s, ENQUIRE_LINK_RESP, 3)
    # A PDU over three segments (the MSS splits it): UCS-2 text.
    text = "Привет! Это длинное сообщение в UCS-2, длиннее одного сегмента, с эмодзи 😀."
    s.sendall(submit_sm(4, "447700900004", text.encode("utf-16-be"), data_coding=8))
    expect(s, SUBMIT_SM_RESP, 4)
    # Three PDUs in one write, over two segments, one asking for a receipt.
    batch = (
        submit_sm(5, "447700900005", gsm("Message five"))
        + submit_sm(6, "447700900006", gsm("Message six"), registered_delivery=1)
        + submit_sm(7, "447700900007", gsm("Message seven"))
    )
    s.sendall(batch)
    for seq in (5, 6, 7):
        expect(s, SUBMIT_SM_RESP, seq)
    # The receipt.
    got = expect(s, DELIVER_SM, 1)
    s.sendall(pdu(DELIVER_SM_RESP, got[2], cstr("")))
    # More segments in flight: three submits, one write each.
    for seq in (8, 9, 10):
        s.sendall(submit_sm(seq, f"44770090{seq:04}", gsm(f"Burst message number {seq}")))
    for seq in (8, 9, 10):
        expect(s, SUBMIT_SM_RESP, seq)
    s.sendall(pdu(UNBIND, 11))
    expect(s, UNBIND_RESP, 11)


def scenario_gap(s):
    s.sendall(bind_transceiver(1))
    expect(s, BIND_TRANSCEIVER_RESP, 1)
    s.sendall(submit_sm(2, "447700900002", gsm("Before the gap")))
    expect(s, SUBMIT_SM_RESP, 2)
    # The second write starts with "GAPX": the capture filter leaves out
    # the segment that starts with it, in the middle of this PDU.
    long = submit_sm(3, "447700900003", gsm("GAPX" * 40 + " end of the lost message"))
    cut = long.index(b"GAPX")
    s.sendall(long[:cut])
    pause()
    s.sendall(long[cut:])
    expect(s, SUBMIT_SM_RESP, 3)
    s.sendall(submit_sm(4, "447700900004", gsm("After the gap")))
    expect(s, SUBMIT_SM_RESP, 4)
    s.sendall(pdu(UNBIND, 5))
    expect(s, UNBIND_RESP, 5)


def scenario_sniffed(s):
    s.sendall(bind_transceiver(1))
    expect(s, BIND_TRANSCEIVER_RESP, 1)
    s.sendall(pdu(ENQUIRE_LINK, 2))
    expect(s, ENQUIRE_LINK_RESP, 2)
    s.sendall(pdu(UNBIND, 3))
    expect(s, UNBIND_RESP, 3)


def scenario_http(s):
    s.sendall(b"GET /status HTTP/1.1\r\nHost: smsc\r\n\r\n")
    s.recv(4096)


SCENARIOS = {
    "main": scenario_main,
    "gap": scenario_gap,
    "sniffed": scenario_sniffed,
    "http": scenario_http,
}


def client(name, host, port):
    s = connect(host, int(port))
    SCENARIOS[name](s)
    s.close()


def submit_fields(body):
    """(destination_addr, registered_delivery) of a submit_sm body."""
    pos = 0

    def take_cstr():
        nonlocal pos
        end = body.index(b"\0", pos)
        value = body[pos:end]
        pos = end + 1
        return value

    take_cstr()  # service_type
    pos += 2
    take_cstr()  # source_addr
    pos += 2
    dest = take_cstr().decode()
    pos += 3  # esm_class, protocol_id, priority_flag
    take_cstr()  # schedule_delivery_time
    take_cstr()  # validity_period
    return dest, body[pos]


def answer(conn):
    """Answers PDUs until unbind; responses to PDUs that arrived together
    go out in one write, receipts after them."""
    pending = b""
    receipts = []
    while True:
        got = read_pdu(conn)
        if got is None:
            return
        command_id, _, seq, body = got
        if command_id == BIND_TRANSCEIVER:
            pending += pdu(BIND_TRANSCEIVER_RESP, seq, cstr("SMSC"))
        elif command_id == ENQUIRE_LINK:
            pending += pdu(ENQUIRE_LINK_RESP, seq)
        elif command_id == SUBMIT_SM:
            message_id = f"msg-{seq}"
            pending += pdu(SUBMIT_SM_RESP, seq, cstr(message_id))
            dest, registered_delivery = submit_fields(body)
            if registered_delivery & 1:
                receipts.append(receipt(len(receipts) + 1, message_id, dest))
        elif command_id == UNBIND:
            conn.sendall(pending + pdu(UNBIND_RESP, seq))
            return
        conn.setblocking(False)
        try:
            more = conn.recv(1, socket.MSG_PEEK)
        except BlockingIOError:
            more = b""
        conn.setblocking(True)
        if more:
            continue
        if pending:
            conn.sendall(pending)
            pending = b""
        for r in receipts:
            # A PDU in two writes from this side too.
            pause()
            conn.sendall(r[:30])
            pause()
            conn.sendall(r[30:])
        receipts = []


def server(host, ports):
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    listeners = []
    for port in ports:
        s = socket.socket(family, socket.SOCK_STREAM)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG, MSS)
        s.bind((host, int(port)))
        s.listen(1)
        listeners.append((int(port), s))
    print("listening", flush=True)
    for port, s in listeners:
        conn, _ = s.accept()
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if port == 8080:
            conn.recv(4096)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        else:
            answer(conn)
        conn.close()


if __name__ == "__main__":
    if sys.argv[1] == "server":
        server(sys.argv[2], sys.argv[3:])
    else:
        client(sys.argv[2], sys.argv[3], sys.argv[4])
