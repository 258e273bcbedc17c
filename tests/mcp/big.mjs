// SPDX-License-Identifier: MIT
// big.mjs BINARY DIR - responsiveness of `BINARY serve` while it analyses a
// big capture: DIR holds big.pcap (bench/gen_big.c, about 3 GB) and small.pcapng.
// Raw JSON-RPC lines, timed from the write to the response:
//   1. during the analysis of big.pcap, ping, tools/list and a tools/call on
//      the cached small.pcapng are each answered in under 100 ms;
//   2. two simultaneous get_pcap_summary calls on big.pcap share one analysis
//      (the server's closing "cache:" line on stderr counts analyses and
//      shared waits), and cancelling one of them leaves the other to finish;
//   3. a tools/call on the now cached big.pcap is answered in under 100 ms;
//   4. closing stdin while a fresh server analyses big.pcap ends it within
//      0.5 s, without a response to the abandoned call;
//   5. so does closing the read end of its stdout (a broken pipe).
// Prints "ok - ..." / "not ok - ..." lines, measured times as "# ..." lines,
// and "big: N passed, M failed".
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { RawServer } from './raw.mjs';
import { check, summary } from './tap.mjs';

const bin = resolve(process.argv[2] ?? 'build/pcapmcp');
const dir = resolve(process.argv[3] ?? '.');
const LIMIT_MS = 100;
const EXIT_MS = 500;
const T = 300000; // per request: the analysis of 3 GB may take minutes under sanitizers
const watchdog = setTimeout(() => {
	console.log('not ok - finished within 15 minutes (watchdog)');
	summary('big', 1);
}, 900000);
watchdog.unref();

if (!existsSync(resolve(dir, 'big.pcap')) || !existsSync(resolve(dir, 'small.pcapng'))) {
	console.log(`not ok - ${dir} holds big.pcap and small.pcapng`);
	summary('big', 0);
}
const env = { PCAPMCP_ALLOWED_DIR: dir, SOURCE_DATE_EPOCH: '1700000000' };
const init = (raw) => raw.request(0, 'initialize', {
	protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'big', version: '1' },
});
const call = (name, path, token) => ({
	name, arguments: { path }, ...(token !== undefined ? { _meta: { progressToken: token } } : {}),
});
// Milliseconds one request takes, and its response.
async function timed(raw, id, method, params) {
	const t0 = performance.now();
	const r = await raw.request(id, method, params, T);
	return [performance.now() - t0, r];
}
// Resolves when the first progress notification with token arrives (the pass is running).
const progressed = (raw, token) => new Promise((res) => raw.listeners.push((m) => {
	if (m.method === 'notifications/progress' && m.params?.progressToken === token) res(m);
}));
const ms = (x) => `${x.toFixed(1)} ms`;

// 1-3: one server.
{
	const raw = new RawServer(bin, env);
	await init(raw);
	raw.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
	const warm = await raw.request(1, 'tools/call', call('analyze_capinfos', 'small.pcapng'), T);
	check('small.pcapng analysed first', warm.result?.structuredContent?.ok === true, warm);

	const started = performance.now();
	const first = progressed(raw, 'a');
	const gotB = progressed(raw, 'b');
	const a = raw.request(10, 'tools/call', call('get_pcap_summary', 'big.pcap', 'a'), T);
	const b = raw.request(11, 'tools/call', call('get_pcap_summary', 'big.pcap', 'b'), T);
	await first;
	console.log(`# first progress after ${ms(performance.now() - started)}`);

	const pings = [];
	for (let i = 0; i < 5; i++) {
		const [t, r] = await timed(raw, 100 + i, 'ping');
		pings.push(t);
		if (!r.result) pings.push(Infinity);
		await new Promise((res) => setTimeout(res, 50));
	}
	const [tl, list] = await timed(raw, 200, 'tools/list');
	const [tc, cached] = await timed(raw, 201, 'tools/call', call('analyze_capinfos', 'small.pcapng'));
	const stillRunning = !raw.lines.some((l) => l.includes('"id":11,') && l.includes('"result"'));
	console.log(`# during the analysis: pings ${pings.map(ms).join(', ')}; tools/list ${ms(tl)}; cached tools/call ${ms(tc)}`);
	check('the analysis was still running during the checks', stillRunning);
	check(`ping during the analysis: every one of 5 answered in under ${LIMIT_MS} ms`,
		pings.every((t) => t < LIMIT_MS), pings);
	check(`tools/list during the analysis: under ${LIMIT_MS} ms`, tl < LIMIT_MS && Array.isArray(list.result?.tools), tl);
	check(`tools/call on the cached small.pcapng during the analysis: under ${LIMIT_MS} ms`,
		tc < LIMIT_MS && cached.result?.structuredContent?.ok === true, tc);

	await gotB;
	raw.send({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: 10, reason: 'test' } });
	const rb = await b;
	console.log(`# both summaries: ${ms(performance.now() - started)}`);
	const sb = rb.result?.structuredContent;
	check('the second summary, sharing the pass, finishes after the first is cancelled',
		sb?.ok === true && sb.total_packets > 1000000, rb.result?.structuredContent ?? rb);
	const [ta, cap] = await timed(raw, 300, 'tools/call', call('analyze_capinfos', 'big.pcap'));
	const [ts, sum] = await timed(raw, 301, 'tools/call', call('get_pcap_summary', 'big.pcap'));
	console.log(`# cached big.pcap: analyze_capinfos ${ms(ta)}, get_pcap_summary ${ms(ts)}`);
	check(`tools/call analyze_capinfos on the cached big.pcap: under ${LIMIT_MS} ms`,
		ta < LIMIT_MS && cap.result?.structuredContent?.packet_count === sb?.total_packets, ta);
	check('get_pcap_summary on the cached big.pcap: the same totals',
		sum.result?.structuredContent?.total_packets === sb?.total_packets);
	let cancelledAnswered = false;
	a.then(() => (cancelledAnswered = true), () => {});
	const ex = await raw.close();
	check('the cancelled call got no response', !cancelledAnswered);
	check('exits 0 on stdin EOF', ex.code === 0, ex);
	const counts = /cache: (\d+) analyses, (\d+) hits, (\d+) shared/.exec(raw.stderr);
	console.log(`# ${counts?.[0]}`);
	check('two simultaneous calls on big.pcap ran one analysis (small.pcapng is the other)',
		counts !== null && Number(counts[1]) === 2 && Number(counts[3]) === 1, raw.stderr.slice(-300));
}

// 4: stdin EOF during an analysis.
{
	const raw = new RawServer(bin, env);
	await init(raw);
	const first = progressed(raw, 'c');
	let answered = false;
	raw.request(20, 'tools/call', call('get_pcap_summary', 'big.pcap', 'c'), T).then(() => (answered = true), () => {});
	await first;
	const t0 = performance.now();
	const ex = await raw.close();
	const t = raw.exitedAt - t0;
	console.log(`# exit after stdin EOF during the analysis: ${ms(t)}`);
	check(`stdin EOF during the analysis: the server exits within ${EXIT_MS} ms`, t < EXIT_MS, t);
	check('stdin EOF: exit code 0', ex.code === 0, ex);
	check('stdin EOF: the abandoned call gets no response', !answered);
}

// 5: the client closes its end of stdout (a broken pipe) during an analysis.
{
	const raw = new RawServer(bin, env);
	await init(raw);
	const first = progressed(raw, 'd');
	raw.request(30, 'tools/call', call('get_pcap_summary', 'big.pcap', 'd'), T).catch(() => {});
	await first;
	const t0 = performance.now();
	raw.p.stdout.destroy();
	const killer = setTimeout(() => raw.p.kill('SIGKILL'), 5000);
	const ex = await raw.exit;
	clearTimeout(killer);
	const t = raw.exitedAt - t0;
	console.log(`# exit after stdout closed during the analysis: ${ms(t)}`);
	check(`broken pipe during the analysis: the server exits within ${EXIT_MS} ms`, t < EXIT_MS, t);
	check('broken pipe: exit code 1 (writing failed)', ex.code === 1, ex);
}

clearTimeout(watchdog);
summary('big');
