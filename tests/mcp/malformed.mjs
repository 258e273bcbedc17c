// SPDX-License-Identifier: MIT
// malformed.mjs BINARY - pipe a stream of malformed lines into ONE
// `BINARY serve` process and check that it answers each with a JSON-RPC
// error, stays alive and still answers correctly afterwards. Needs only node.
//
// After each malformed line a marker ping (id 1000+i) follows, so the
// responses between two markers belong to exactly one input line.
// Prints "ok - ..." / "not ok - ..." lines and "malformed: N passed, M failed".
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, summary } from './tap.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(process.argv[2] ?? resolve(root, 'build', 'pcapmcp'));
const captures = resolve(root, 'captures');


const PARSE = -32700;
const INVALID = -32600;
const digits = '1234567890'.repeat(100); // 1000 digits
// [label, line, expected: null = no response, else {codes, id}] (id: the id
// the error may carry besides null/absent)
const cases = [
	['garbage text', 'this is not json at all }{', { codes: [PARSE] }],
	['truncated JSON', '{"jsonrpc":"2.0","id":1,"method":"pi', { codes: [PARSE] }],
	['id true', '{"jsonrpc":"2.0","id":true,"method":"ping"}', { codes: [INVALID] }],
	['id float 1.5', '{"jsonrpc":"2.0","id":1.5,"method":"ping"}', { codes: [INVALID] }],
	['id null', '{"jsonrpc":"2.0","id":null,"method":"ping"}', { codes: [INVALID] }],
	['id object', '{"jsonrpc":"2.0","id":{"a":1},"method":"ping"}', { codes: [INVALID] }],
	['method 5', '{"jsonrpc":"2.0","id":4,"method":5}', { codes: [INVALID], id: 4 }],
	['method missing', '{"jsonrpc":"2.0","id":40}', { codes: [INVALID], id: 40 }],
	['params "x"', '{"jsonrpc":"2.0","id":5,"method":"ping","params":"x"}', { codes: [INVALID, -32602], id: 5 }],
	['jsonrpc "1.0"', '{"jsonrpc":"1.0","id":6,"method":"ping"}', { codes: [INVALID], id: 6 }],
	['jsonrpc missing', '{"id":7,"method":"ping"}', { codes: [INVALID], id: 7 }],
	['a bare number', '42', { codes: [INVALID] }],
	['a bare string', '"ping"', { codes: [INVALID] }],
	['null', 'null', { codes: [INVALID] }],
	['huge id (1000 digits)', `{"jsonrpc":"2.0","id":${digits},"method":"ping"}`, { codes: [INVALID] }],
	['long string id (10 KB) is valid', `{"jsonrpc":"2.0","id":"${'i'.repeat(10000)}","method":"ping"}`,
		{ ok: true, id: 'i'.repeat(10000) }],
	['deep nesting (100,000 "[")', '['.repeat(100000), { codes: [PARSE, INVALID] }],
	['deep nesting balanced inside params', `{"jsonrpc":"2.0","id":9,"method":"ping","params":{"x":${'['.repeat(100000)}${']'.repeat(100000)}}}`,
		{ codes: [PARSE, INVALID], id: 9 }],
	['deep objects (50,000 {"a":)', `${'{"a":'.repeat(50000)}1${'}'.repeat(50000)}`, { codes: [PARSE, INVALID] }],
	['invalid UTF-8 in a string', Buffer.concat([Buffer.from('{"jsonrpc":"2.0","id":11,"method":"p'), Buffer.from([0xc3, 0x28]),
		Buffer.from('"}')]), { codes: [PARSE] }],
	['lone surrogate escape', '{"jsonrpc":"2.0","id":12,"method":"\\ud800"}', { codes: [PARSE, INVALID, -32601], id: 12 }],
	['10 MB line', `{"jsonrpc":"2.0","id":13,"method":"ping","params":{"pad":"${'a'.repeat(10 * 1024 * 1024)}"}}`,
		{ codes: [INVALID, PARSE] }],
	['10 MB line of garbage without JSON', 'x'.repeat(10 * 1024 * 1024), { codes: [INVALID, PARSE] }],
	['empty line', '', null],
	['whitespace line', '   \t ', null],
	['a top-level array (batch) under 2025-11-25', '[{"jsonrpc":"2.0","id":14,"method":"ping"}]', { codes: [INVALID] }],
	['an empty array', '[]', { codes: [INVALID] }],
	['unknown method', '{"jsonrpc":"2.0","id":15,"method":"no/such"}', { codes: [-32601], id: 15 }],
	['unknown notification (no response)', '{"jsonrpc":"2.0","method":"notifications/no_such"}', null],
	['a response from the client (no response)', '{"jsonrpc":"2.0","id":77,"result":{}}', null],
	['an error response from the client (no response)', '{"jsonrpc":"2.0","id":78,"error":{"code":-32601,"message":"x"}}', null],
	['CRLF line ending', '{"jsonrpc":"2.0","id":16,"method":"ping"}\r', { ok: true, id: 16 }],
];

const p = spawn(bin, ['serve'], {
	env: { ...process.env, PCAPMCP_ALLOWED_DIR: captures, SOURCE_DATE_EPOCH: '1700000000' },
	stdio: ['pipe', 'pipe', 'pipe'],
});
const out = [];
let stderr = '';
p.stdout.on('data', (b) => out.push(b));
p.stderr.on('data', (b) => (stderr += b.toString()));
p.stdin.on('error', () => {});
const exited = new Promise((res) => p.on('exit', (code, sig) => res({ code, sig })));
const killer = setTimeout(() => p.kill('SIGKILL'), 60000);

// Write a line, waiting for the pipe to drain (or the server to die).
let dead = false;
exited.then(() => (dead = true));
const w = (line) => dead ? Promise.resolve() : Promise.race([exited, new Promise((res) => {
	if (!p.stdin.write(line)) p.stdin.once('drain', res);
	else res();
})]);
const json = (o) => JSON.stringify(o) + '\n';
await w(json({ jsonrpc: '2.0', id: 0, method: 'initialize',
	params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'malformed', version: '1' } } }));
await w(json({ jsonrpc: '2.0', method: 'notifications/initialized' }));
for (let i = 0; i < cases.length; i++) {
	const line = cases[i][1];
	await w(Buffer.concat([Buffer.isBuffer(line) ? line : Buffer.from(line), Buffer.from('\n')]));
	await w(json({ jsonrpc: '2.0', id: 1000 + i, method: 'ping' }));
}
await w(json({ jsonrpc: '2.0', id: 99, method: 'ping' }));
await w(json({ jsonrpc: '2.0', id: 100, method: 'tools/call',
	params: { name: 'analyze_capinfos', arguments: { path: 'loopback-http.pcapng' } } }));
p.stdin.end();
const ex = await exited;
clearTimeout(killer);

// Every stdout line is one JSON-RPC message.
const text = Buffer.concat(out).toString('utf8');
const lines = text.split('\n');
check('stdout ends with a newline', text.endsWith('\n'), JSON.stringify(text.slice(-80)));
if (lines[lines.length - 1] === '') lines.pop();
const msgs = [];
const bad = [];
for (const l of lines) {
	try {
		const m = JSON.parse(l);
		if (m === null || typeof m !== 'object' || Array.isArray(m) || m.jsonrpc !== '2.0') bad.push(l);
		msgs.push(m);
	} catch {
		bad.push(l);
	}
}
check('stdout holds only JSON-RPC lines', bad.length === 0, bad.map((l) => l.slice(0, 120)));
const init = msgs[0];
check('initialize answered', init?.id === 0 && init?.result?.protocolVersion === '2025-11-25', init);

// Split the responses at the marker pings.
let k = 1;
for (let i = 0; i < cases.length; i++) {
	const [label, , want] = cases[i];
	const got = [];
	while (k < msgs.length && msgs[k]?.id !== 1000 + i) got.push(msgs[k++]);
	const marker = msgs[k++];
	const markerOk = marker?.id === 1000 + i && marker.result && Object.keys(marker.result).length === 0;
	if (want === null) {
		check(`${label}: no response`, got.length === 0, got);
	} else if (want.ok) {
		const r = got[0];
		check(`${label}: answered with result {}`, got.length === 1 && r.id === want.id && r.result &&
			Object.keys(r.result).length === 0 && r.error === undefined, got.map((m) => JSON.stringify(m).slice(0, 200)));
	} else {
		const r = got[0];
		const codeOk = got.length === 1 && r.error && want.codes.includes(r.error.code) && r.result === undefined &&
			typeof r.error.message === 'string';
		check(`${label}: one error ${want.codes.join('/')}`, codeOk, got.map((m) => JSON.stringify(m).slice(0, 200)));
		if (got.length === 1 && r.error) {
			const idOk = r.id === undefined || r.id === null || (want.id !== undefined && r.id === want.id);
			check(`${label}: error id ${want.id ?? 'absent'}${want.id !== undefined ? ' (or absent)' : ''}`, idOk, r.id);
		}
	}
	check(`${label}: then the marker ping ${1000 + i} answers {}`, markerOk, marker);
	if (!markerOk) {
		// lost sync (the server died or skipped the ping): resynchronise on the next marker
		while (k < msgs.length && !(typeof msgs[k]?.id === 'number' && msgs[k].id > 1000 + i)) k++;
	}
}
const ping = msgs.find((m) => m?.id === 99);
check('final ping id 99 answers result {}', ping?.result && Object.keys(ping.result).length === 0 && !ping.error, ping);
const call = msgs.find((m) => m?.id === 100);
check('then tools/call analyze_capinfos still works (packet_count 46)',
	call?.result?.structuredContent?.packet_count === 46, call && JSON.stringify(call).slice(0, 300));
check('nothing after the last response', msgs.length === 0 || msgs[msgs.length - 1]?.id === 100,
	msgs.slice(-3).map((m) => JSON.stringify(m).slice(0, 200)));
check('server exits 0 on stdin EOF', ex.code === 0, ex);
check('stderr stays small (no echo of the input)', stderr.length < 64 * 1024, `${stderr.length} bytes`);

summary('malformed');
