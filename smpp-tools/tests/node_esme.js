// An ESME from the npm registry (node-smpp) against smsc-sim, for the
// interop test in simulator.rs: it binds as a transceiver, submits a
// short message and a two-part one (UDH concatenation), all asking for
// receipts, waits for the three receipts, queries the first message,
// unbinds, and prints one JSON object per line for every step.
//
//   NODE_PATH=tests/interop/node_modules node node_esme.js <port> <system_id> <password>
'use strict';
const smpp = require('smpp');

const [port, systemId, password] = process.argv.slice(2);

function log(obj) {
	process.stdout.write(JSON.stringify(obj) + '\n');
}

function text(sm) {
	if (sm && typeof sm === 'object' && !Buffer.isBuffer(sm)) {
		return Buffer.isBuffer(sm.message) ? sm.message.toString('hex') : sm.message;
	}
	return Buffer.isBuffer(sm) ? sm.toString('hex') : sm;
}

setTimeout(() => {
	log({ error: 'timed out' });
	process.exit(1);
}, 15000).unref();

const session = smpp.connect({ url: `smpp://127.0.0.1:${port}` });
session.on('error', (e) => {
	log({ error: String(e) });
	process.exit(1);
});

const ids = [];
let receipts = 0;

session.on('deliver_sm', (pdu) => {
	session.send(pdu.response());
	log({
		deliver_sm: {
			esm_class: pdu.esm_class,
			receipted_message_id: pdu.receipted_message_id,
			message_state: pdu.message_state,
			short_message: text(pdu.short_message),
		},
	});
	receipts += 1;
	if (receipts === 3) {
		session.query_sm({ message_id: ids[0] }, (resp) => {
			log({
				query_sm_resp: {
					command_status: resp.command_status,
					message_id: resp.message_id,
					message_state: resp.message_state,
				},
			});
			session.unbind(() => {
				log({ unbound: true });
				session.close();
				process.exit(0);
			});
		});
	}
});

function submit(fields) {
	return new Promise((resolve) => {
		session.submit_sm(Object.assign({
			source_addr: 'NODE',
			destination_addr: '447700900321',
			registered_delivery: 1,
		}, fields), (resp) => {
			log({ submit_sm_resp: { command_status: resp.command_status, message_id: resp.message_id } });
			ids.push(resp.message_id);
			resolve();
		});
	});
}

session.bind_transceiver({ system_id: systemId, password }, async (pdu) => {
	log({ bind_transceiver_resp: { command_status: pdu.command_status, system_id: pdu.system_id } });
	if (pdu.command_status !== 0) {
		process.exit(1);
	}
	await submit({ short_message: 'Hello from node-smpp' });
	const udh = (n) => Buffer.from([0x05, 0x00, 0x03, 0x5a, 0x02, n]);
	await submit({ esm_class: 0x40, short_message: { udh: udh(1), message: 'First half, ' } });
	await submit({ esm_class: 0x40, short_message: { udh: udh(2), message: 'second half.' } });
});
