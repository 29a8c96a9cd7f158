"""An SMSC built on PyPI's smpp.twisted3 (the SMPP server of a widely
deployed Python gateway stack) for the interop tests.

Accepts one system_id/password (transmitter, receiver and transceiver
binds, up to two of each), answers every submit_sm with a message id, then
sends a delivery receipt for it (deliver_sm, id in the text and in the
receipted_message_id TLV) through the account's next receiving bind, as
smpp.twisted3's bind manager picks it. Prints one JSON object per line:
first {"listening": <port>}, then every bind, submit_sm, receipt's
outcome (its deliver_sm_resp status, or the error) and lost connection.

    python3 twisted_smsc.py <system_id> <password>
"""
import json
import logging
import sys

from twisted.cred.checkers import InMemoryUsernamePasswordDatabaseDontUse
from twisted.cred.portal import IRealm, Portal
from twisted.internet import reactor
from zope.interface import implementer

from smpp.pdu import operations, pdu_types
from smpp.twisted.config import SMPPServerConfig
from smpp.twisted.protocol import DataHandlerResponse, SMPPServerProtocol
from smpp.twisted.server import SMPPServerFactory


def log(**obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


@implementer(IRealm)
class Realm:
    def requestAvatar(self, avatar_id, mind, *interfaces):
        return ("SMPP", avatar_id, lambda: None)


class Protocol(SMPPServerProtocol):
    def connectionLost(self, reason):
        log(event="connection_lost", system_id=self.system_id,
            bind_type=getattr(getattr(self, "bind_type", None), "name", None),
            reason=reason.getErrorMessage())
        SMPPServerProtocol.connectionLost(self, reason)


class Factory(SMPPServerFactory):
    protocol = Protocol

    def addBoundConnection(self, connection):
        log(event="bound", system_id=connection.system_id, bind_type=connection.bind_type.name)
        SMPPServerFactory.addBoundConnection(self, connection)


class Smsc:
    def __init__(self, system_id):
        self.system_id = system_id
        self.next_id = 0x3861000
        self.factory = None

    def on_message(self, system_id, smpp, pdu):
        if not isinstance(pdu, operations.SubmitSM):
            return pdu_types.CommandStatus.ESME_RINVCMDID
        message_id = "%x" % self.next_id
        self.next_id += 1
        log(pdu="submit_sm", message_id=message_id,
            short_message=(pdu.params.get("short_message") or b"").decode("latin-1"))
        # The receipt goes out after the response.
        reactor.callLater(0, self.receipt, system_id, pdu, message_id)
        return DataHandlerResponse(status=pdu_types.CommandStatus.ESME_ROK,
                                   message_id=message_id)

    def receipt(self, system_id, submit, message_id):
        binds = self.factory.getBoundConnections(system_id)
        receiver = binds.getNextBindingForDelivery() if binds else None
        if receiver is None:
            log(pdu="deliver_sm", message_id=message_id, error="no receiving bind")
            return
        text = ("id:%d sub:001 dlvrd:001 submit date:2412011200 done date:2412011201 "
                "stat:DELIVRD err:000 text:" % int(message_id, 16)).encode("ascii")
        deliver = operations.DeliverSM(
            source_addr=submit.params.get("destination_addr"),
            destination_addr=submit.params.get("source_addr"),
            esm_class=pdu_types.EsmClass(pdu_types.EsmClassMode.DEFAULT,
                                         pdu_types.EsmClassType.SMSC_DELIVERY_RECEIPT),
            short_message=text,
            receipted_message_id=message_id,
            message_state=pdu_types.MessageState.DELIVERED,
        )
        sent = receiver.sendDataRequest(deliver)
        sent.addCallbacks(
            lambda result: log(pdu="deliver_sm_resp", message_id=message_id,
                               status=result.response.status.name),
            lambda failure: log(pdu="deliver_sm_resp", message_id=message_id,
                                error=failure.getErrorMessage()),
        )


def main():
    system_id, password = sys.argv[1:3]
    logging.basicConfig(level=logging.CRITICAL, stream=sys.stderr)
    smsc = Smsc(system_id)
    config = SMPPServerConfig(msgHandler=smsc.on_message,
                              systems={system_id: {"max_bindings": 2}})
    portal = Portal(Realm())
    checker = InMemoryUsernamePasswordDatabaseDontUse()
    checker.addUser(system_id, password)
    portal.registerChecker(checker)
    factory = Factory(config, auth_portal=portal)
    smsc.factory = factory
    port = reactor.listenTCP(0, factory, interface="127.0.0.1")
    log(listening=port.getHost().port)
    reactor.run()


if __name__ == "__main__":
    main()
