// An SMSC from the npm registry (node-smpp) for the interop tests: it
// accepts one system_id/password, answers submit_sm with message ids,
// sends a delivery receipt for each one that asks for it, and prints one
// JSON object per line for every PDU it receives, as node-smpp decoded it
// (and for every deliver_sm_resp, the receipt's id).
//
//   node node_smsc.js <system_id> <password> [<key.pem> <cert.pem>]
//
// With a key and a certificate (PEM files), it is node-smpp's secure
// server: SMPP over TLS. The first line is {"listening":<port>}.
'use strict';
const fs = require('fs');
const smpp = require('smpp');

const [systemId, password, keyPath, certPath] = process.argv.slice(2);
let nextId = 0x38601f0;

function log(obj) {
	process.stdout.write(JSON.stringify(obj) + '\n');
}

function text(sm) {
	if (sm && typeof sm === 'object' && !Buffer.isBuffer(sm)) {
		const udh = (sm.udh || []).map((ie) => Buffer.from(ie).toString('hex'));
		const message = Buffer.isBuffer(sm.message) ? sm.message.toString('hex') : sm.message;
		return { udh, message };
	}
	return { udh: [], message: Buffer.isBuffer(sm) ? sm.toString('hex') : sm };
}

const options = { debug: false };
if (keyPath && certPath) {
	options.key = fs.readFileSync(keyPath);
	options.cert = fs.readFileSync(certPath);
}

const server = smpp.createServer(options, (session) => {
	let bound = false;
	const bind = (pdu) => {
		const ok = pdu.system_id === systemId && pdu.password === password;
		log({ pdu: pdu.command, system_id: pdu.system_id, interface_version: pdu.interface_version, ok });
		session.send(pdu.response({ command_status: ok ? 0 : smpp.ESME_RINVPASWD, system_id: 'node-smsc' }));
		bound = ok;
	};
	session.on('bind_transceiver', bind);
	session.on('bind_transmitter', bind);
	session.on('bind_receiver', bind);
	session.on('submit_sm', (pdu) => {
		const id = (nextId++).toString(16);
		const sm = text(pdu.short_message);
		log({
			pdu: 'submit_sm',
			sequence_number: pdu.sequence_number,
			source_addr: pdu.source_addr,
			destination_addr: pdu.destination_addr,
			esm_class: pdu.esm_class,
			data_coding: pdu.data_coding,
			registered_delivery: pdu.registered_delivery,
			udh: sm.udh,
			message: sm.message,
			sar_msg_ref_num: pdu.sar_msg_ref_num,
			message_id: id,
		});
		session.send(pdu.response({ message_id: id }));
		if (bound && (pdu.registered_delivery & 1)) {
			const receipt = `id:${parseInt(id, 16)} sub:001 dlvrd:001 submit date:2412011200 ` +
				`done date:2412011201 stat:DELIVRD err:000 text:`;
			session.deliver_sm({
				source_addr: pdu.destination_addr,
				destination_addr: pdu.source_addr,
				esm_class: 0x04,
				short_message: receipt,
				receipted_message_id: id,
				message_state: 2,
			}, (resp) => log({ pdu: 'deliver_sm_resp', command_status: resp.command_status, for: id }));
		}
	});
	session.on('enquire_link', (pdu) => {
		log({ pdu: 'enquire_link' });
		session.send(pdu.response());
	});
	session.on('unbind', (pdu) => {
		log({ pdu: 'unbind' });
		session.send(pdu.response());
		session.close();
	});
	session.on('error', (e) => log({ error: String(e) }));
});
server.on('tlsClientError', (e) => log({ error: String(e) }));
server.listen(0, '127.0.0.1', () => log({ listening: server.address().port }));
