// An ESME from the npm registry (node-smpp) for the interop tests, with
// node-smpp's default settings: it binds as a transceiver, submits <count>
// messages at once (node-smpp has no window: every submit_sm is written
// as soon as it is made), each asking for a delivery receipt, answers
// every deliver_sm with deliver_sm_resp ESME_ROK, and once it has every
// submit_sm_resp and every receipt, unbinds. It prints one JSON object per
// line for every response and request it receives, as node-smpp decoded
// it.
//
//   node node_esme.js <url> <system_id> <password> <count> [<ca.pem>]
//
// <url> is smpp://host:port, or ssmpp://host:port for TLS, where the
// server's certificate must be signed by <ca.pem> (and name the host).
// Even-numbered messages are ASCII ("message <n>"), odd ones need UCS-2
// ("Привет <n> 👋"), so the SMSC's decoding is checked too. The last line
// is {"pdu":"unbind_resp",...}; a failure prints {"error":...} and exits
// with a non-zero status.
'use strict';
const fs = require('fs');
const smpp = require('smpp');

const [url, systemId, password, countArg, caPath] = process.argv.slice(2);
const count = Number(countArg);

function log(obj) {
	process.stdout.write(JSON.stringify(obj) + '\n');
}

let done = false;

function fail(error) {
	if (!done) {
		done = true;
		log({ error: String(error) });
		process.exitCode = 1;
	}
}

function text(sm) {
	if (sm && typeof sm === 'object' && !Buffer.isBuffer(sm)) {
		return Buffer.isBuffer(sm.message) ? sm.message.toString('hex') : sm.message;
	}
	return Buffer.isBuffer(sm) ? sm.toString('hex') : sm;
}

const options = { url };
if (caPath) {
	options.ca = fs.readFileSync(caPath);
}

let answered = 0;
let receipts = 0;
let unbinding = false;

const session = smpp.connect(options, () => {
	session.bind_transceiver({ system_id: systemId, password }, (resp) => {
		log({ pdu: 'bind_transceiver_resp', status: resp.command_status, system_id: resp.system_id });
		if (resp.command_status !== 0) {
			done = true;
			session.close();
			return;
		}
		for (let n = 0; n < count; n++) {
			session.submit_sm({
				source_addr: '12025550100',
				destination_addr: '447700900123',
				registered_delivery: 1,
				short_message: n % 2 === 0 ? `message ${n}` : `Привет ${n} 👋`,
			}, (resp) => {
				log({ pdu: 'submit_sm_resp', n, status: resp.command_status, message_id: resp.message_id });
				answered++;
				finish();
			});
		}
	});
});

session.on('deliver_sm', (pdu) => {
	log({
		pdu: 'deliver_sm',
		esm_class: pdu.esm_class,
		receipted_message_id: pdu.receipted_message_id,
		message_state: pdu.message_state,
		short_message: text(pdu.short_message),
	});
	session.send(pdu.response());
	receipts++;
	finish();
});

function finish() {
	if (unbinding || answered < count || receipts < count) {
		return;
	}
	unbinding = true;
	session.unbind((resp) => {
		log({ pdu: 'unbind_resp', status: resp.command_status });
		done = true;
		session.close();
	});
}

session.on('error', fail);
session.on('close', () => {
	if (!done) {
		fail(`connection closed after ${answered} submit_sm_resp and ${receipts} deliver_sm`);
	}
});
