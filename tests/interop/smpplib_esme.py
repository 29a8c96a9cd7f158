"""An ESME from PyPI (smpplib) for the interop tests.

Binds as a transceiver to the SMSC at host:port, submits the texts given
as JSON on stdin (a list of strings; smpplib splits long ones with a UDH),
each asking for a delivery receipt, waits for the receipts, unbinds, and
prints one JSON object per line: every submit_sm_resp and every deliver_sm
as smpplib decoded them.

    python3 smpplib_esme.py <host> <port> <system_id> <password> < texts.json
"""
import json
import sys

import smpplib.client
import smpplib.consts
import smpplib.gsm


def log(**obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    host, port, system_id, password = sys.argv[1:5]
    texts = json.load(sys.stdin)
    client = smpplib.client.Client(host, int(port), timeout=10)
    expected = 0
    receipts = []

    def on_sent(pdu):
        log(pdu="submit_sm_resp", sequence=pdu.sequence, status=pdu.status,
            message_id=pdu.message_id.decode("ascii", "replace") if pdu.message_id else None)

    def on_message(pdu):
        sm = pdu.short_message or b""
        receipts.append(pdu)
        tlv_id = getattr(pdu, "receipted_message_id", None)
        log(pdu="deliver_sm", esm_class=pdu.esm_class, short_message=sm.decode("latin-1"),
            receipted_message_id=tlv_id.decode("ascii", "replace") if tlv_id else None,
            message_state=getattr(pdu, "message_state", None))

    client.set_message_sent_handler(on_sent)
    client.set_message_received_handler(on_message)
    client.connect()
    resp = client.bind_transceiver(system_id=system_id, password=password)
    log(pdu="bind_transceiver_resp", status=resp.status,
        system_id=resp.system_id.decode("ascii", "replace") if resp.system_id else None)
    for text in texts:
        parts, encoding, esm_class = smpplib.gsm.make_parts(text)
        for part in parts:
            client.send_message(
                source_addr_ton=smpplib.consts.SMPP_TON_ALNUM,
                source_addr="INTEROP",
                dest_addr_ton=smpplib.consts.SMPP_TON_INTL,
                destination_addr="447700900123",
                short_message=part,
                data_coding=encoding,
                esm_class=esm_class,
                registered_delivery=True,
            )
            expected += 1
    while len(receipts) < expected:
        client.read_once()
    client.unbind()
    log(pdu="unbind_resp")
    client.disconnect()


if __name__ == "__main__":
    main()
