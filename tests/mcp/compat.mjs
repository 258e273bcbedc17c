// SPDX-License-Identifier: MIT
// compat.mjs BINARY - a PortHunter user and an mcpcap user switch to
// `BINARY serve` by changing one line of their MCP config (issue 9).
//
// PortHunter: the server is started with the env block of PortHunter's
// README (mcp.json: PORT_HUNTER_TOKEN, PORT_HUNTER_ALLOWED_DIR ".",
// PORT_HUNTER_REQUIRE_TOKEN, PORT_HUNTER_MAX_PCAP_MB) and nothing else, in a
// working directory holding captures/, and its tools are called with
// PortHunter's argument names and types (numbers also as strings, as its
// Python framework coerces them). mcpcap: its tool names with pcap_file and
// the arguments its TCP tools document (detailed, server_ip, server_port,
// threshold). Also: resource URIs as path, and every name of
// get_pcap_summary.protocols round-tripping through analyze_protocol_flows.
//
// Prints "ok - ..." / "not ok - ..." per check and ends with
// "compat: N passed, M failed".
import { copyFileSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { check, section, short, summary } from './tap.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(process.argv[2] ?? resolve(root, 'build', 'pcapmcp'));
const captures = resolve(root, 'captures');
const T = { timeout: 20000 };
const FLAGS = ['SYN', 'FIN', 'PSH', 'URG', 'RST', 'ACK'];

const watchdog = setTimeout(() => {
	console.log('not ok - finished within 180 s (watchdog)');
	summary('compat', 1);
}, 180000);
watchdog.unref();

// A PortHunter working directory: captures/ below it, as its README's examples use.
const work = mkdtempSync(join(tmpdir(), 'pcapmcp-compat-'));
mkdirSync(join(work, 'captures'));
for (const f of ['scan-syn.pcap', 'scan-xmas.pcap', 'scan-null.pcap', 'scan-ack.pcap', 'scan-fin.pcap',
	'scan-mixed-benign.pcap', 'loopback-http.pcapng', 'loopback-mixed.pcap', 'lt-ether.pcap', 'scan-udp.pcap']) {
	copyFileSync(join(captures, f), join(work, 'captures', f));
}
const workReal = realpathSync(work);

// Only the env block given, with PATH so the spawn works, in cwd.
async function connect(env, cwd = work) {
	const transport = new StdioClientTransport({ command: bin, args: ['serve'], env, cwd, stderr: 'pipe' });
	let stderr = '';
	transport.stderr?.on('data', (b) => (stderr += b.toString()));
	const client = new Client({ name: 'compat', version: '0.0.1' });
	await client.connect(transport);
	return { client, stderr: () => stderr };
}

async function call(client, name, args) {
	const r = await client.callTool({ name, arguments: args }, undefined, T);
	return { r, sc: r.structuredContent ?? {} };
}

async function ok(client, what, name, args) {
	const { r, sc } = await call(client, name, args);
	check(`${what}: ok`, r.isError !== true && sc.ok === true, short(sc));
	return sc;
}

async function fails(client, what, name, args, code) {
	const { r, sc } = await call(client, name, args);
	check(`${what}: ${code}`, r.isError === true && sc.ok === false && sc.error === code, short(sc));
	return sc;
}

// PortHunter's README, mcp.json "env", verbatim.
const PH_ENV = {
	PORT_HUNTER_TOKEN: 'TEST_TOKEN',
	PORT_HUNTER_ALLOWED_DIR: '.',
	PORT_HUNTER_REQUIRE_TOKEN: 'true',
	PORT_HUNTER_MAX_PCAP_MB: '50',
};
const TOK = { auth_token: 'TEST_TOKEN' };

await section('PortHunter mcp.json', async () => {
	const { client } = await connect(PH_ENV);
	const names = (await client.listTools(undefined, T)).tools.map((t) => t.name);
	check('porthunter: its three scan tools are offered',
		['scan_overview', 'list_suspects', 'first_scan_event'].every((n) => names.includes(n)), names);

	// get_info: PortHunter's keys, no token needed.
	const gi = await ok(client, 'porthunter get_info without auth_token', 'get_info', {});
	check('porthunter get_info: serverInfo {name, version}',
		gi.serverInfo?.name === 'pcapmcp' && typeof gi.serverInfo?.version === 'string', gi.serverInfo);
	check('porthunter get_info: protocolVersion', /^\d{4}-\d\d-\d\d$/.test(gi.protocolVersion ?? ''), gi.protocolVersion);
	check('porthunter get_info: secure_mode true (token required)', gi.secure_mode === true, gi.secure_mode);
	check('porthunter get_info: allow_private false', gi.allow_private === false, gi.allow_private);
	check('porthunter get_info: allowed_dir is "." resolved', gi.allowed_dir === workReal, gi.allowed_dir);

	// scan_overview(path, time_window_s=60, top_k=20), as in its README.
	const un = await fails(client, 'porthunter scan_overview without auth_token', 'scan_overview',
		{ path: 'captures/scan-syn.pcap' }, 'unauthorized');
	check('porthunter unauthorized: message names PORT_HUNTER_TOKEN, never the token',
		(un.message ?? '').includes('PORT_HUNTER_TOKEN') && !(un.message ?? '').includes('TEST_TOKEN'), un.message);
	const so = await ok(client, 'porthunter scan_overview', 'scan_overview',
		{ path: 'captures/scan-syn.pcap', time_window_s: 60, top_k: 20, ...TOK });
	const o = so.overview ?? {};
	check('porthunter scan_overview: overview.file is the path as given', o.file === 'captures/scan-syn.pcap', o.file);
	check('porthunter scan_overview: total_pkts, interval_s numbers',
		typeof o.total_pkts === 'number' && typeof o.interval_s === 'number', short(o));
	const sc0 = o.scanners?.[0] ?? {};
	check('porthunter scan_overview: scanners[0] ip, pkts, distinct_ports, distinct_hosts',
		sc0.ip === '127.0.0.66' && sc0.pkts > 0 && sc0.distinct_ports === 203 && sc0.distinct_hosts === 1, short(sc0));
	check('porthunter scan_overview: flag_stats keyed by the six TCP flags',
		isDeepStrictEqual(Object.keys(sc0.flag_stats ?? {}).sort(), [...FLAGS].sort()) &&
		FLAGS.every((f) => Number.isInteger(sc0.flag_stats[f])), sc0.flag_stats);
	check('porthunter scan_overview: flag_stats SYN counts the SYN probes, no FIN/PSH/URG',
		sc0.flag_stats?.SYN === 203 && sc0.flag_stats?.FIN === 0 && sc0.flag_stats?.PSH === 0 && sc0.flag_stats?.URG === 0,
		sc0.flag_stats);
	check('porthunter scan_overview: technique counts under technique_stats',
		sc0.technique_stats?.SYN === 203 && sc0.technique_stats?.CONNECT === 0, sc0.technique_stats);
	const t0 = o.targets?.[0] ?? {};
	check('porthunter scan_overview: targets[0] {ip, pkts, ports_hit: [ports]}',
		t0.ip === '127.0.0.1' && t0.pkts > 0 && Array.isArray(t0.ports_hit) && t0.ports_hit.every(Number.isInteger), short(t0));
	check('porthunter scan_overview: ports_hit bounded (32), ascending, with ports_hit_count beside it',
		t0.ports_hit?.length === 32 && t0.ports_hit_count === 203 &&
		t0.ports_hit.every((p, i, a) => i === 0 || a[i - 1] < p), short(t0));
	check('porthunter scan_overview: port_distribution [{port, hits}]',
		o.port_distribution?.length === 20 && o.port_distribution.every((p) => Number.isInteger(p.port) && p.hits > 0),
		short(o.port_distribution));
	check('porthunter scan_overview: suspected_patterns ["syn_scan"]',
		isDeepStrictEqual(o.suspected_patterns, ['syn_scan']), o.suspected_patterns);

	// The same with numbers as strings: PortHunter's framework coerces them.
	const so2 = await ok(client, 'porthunter scan_overview with "60" and "2"', 'scan_overview',
		{ path: 'captures/scan-syn.pcap', time_window_s: '60', top_k: '2', ...TOK });
	check('porthunter scan_overview: "2" as top_k gives 2 items per list',
		so2.overview?.port_distribution?.length === 2 && so2.overview?.thresholds?.time_window_s === 60,
		short(so2.overview?.port_distribution));
	await fails(client, 'porthunter scan_overview with top_k "twenty"', 'scan_overview',
		{ path: 'captures/scan-syn.pcap', top_k: 'twenty', ...TOK }, 'invalid_argument');

	// list_suspects(path, min_ports=10, min_rate_pps=5.0).
	const ls = await ok(client, 'porthunter list_suspects', 'list_suspects',
		{ path: 'captures/scan-mixed-benign.pcap', min_ports: 10, min_rate_pps: 5.0, ...TOK });
	const sus = ls.suspects ?? [];
	check('porthunter list_suspects: suspects with ip, kind, distinct_ports, rate_pps',
		sus.length === 3 && sus.every((s) => typeof s.ip === 'string' && typeof s.kind === 'string' &&
			Number.isInteger(s.distinct_ports) && typeof s.rate_pps === 'number'), short(sus));
	check('porthunter list_suspects: flags_seen are TCP flag names only',
		sus.every((s) => Array.isArray(s.flags_seen) && s.flags_seen.every((f) => FLAGS.includes(f))), sus.map((s) => s.flags_seen));
	check('porthunter list_suspects: techniques stay in their own member',
		sus.every((s) => Array.isArray(s.techniques)), sus.map((s) => s.techniques));
	const lsx = await ok(client, 'porthunter list_suspects xmas, "10" and "5.0" as strings', 'list_suspects',
		{ path: 'captures/scan-xmas.pcap', min_ports: '10', min_rate_pps: '5.0', ...TOK });
	check('porthunter list_suspects: an XMAS scan has flags_seen [FIN, PSH, URG]',
		isDeepStrictEqual(lsx.suspects?.[0]?.flags_seen, ['FIN', 'PSH', 'URG']), short(lsx.suspects));
	check('porthunter list_suspects: min_ports "10" read as 10', lsx.thresholds?.min_ports === 10, lsx.thresholds);

	// first_scan_event(path): {ts, src, dst, port, flags} with tcpdump letters.
	const letters = { 'scan-syn.pcap': 'S', 'scan-xmas.pcap': 'FPU', 'scan-null.pcap': '', 'scan-ack.pcap': 'A', 'scan-fin.pcap': 'F' };
	for (const [f, want] of Object.entries(letters)) {
		const fe = (await ok(client, `porthunter first_scan_event ${f}`, 'first_scan_event',
			{ path: `captures/${f}`, ...TOK })).first_event ?? {};
		check(`porthunter first_scan_event ${f}: flags "${want}"`, fe.flags === want, short(fe));
		check(`porthunter first_scan_event ${f}: ts, src, dst, port`,
			typeof fe.ts === 'string' && typeof fe.src === 'string' && typeof fe.dst === 'string' && Number.isInteger(fe.port), short(fe));
		check(`porthunter first_scan_event ${f}: richer members kept (time, tcp_flags, technique)`,
			/\.\d{9}Z$/.test(fe.time ?? '') && typeof fe.tcp_flags === 'string' && typeof fe.technique === 'string', short(fe));
	}
	const fs = (await ok(client, 'porthunter first_scan_event microseconds', 'first_scan_event',
		{ path: 'captures/scan-syn.pcap', ...TOK })).first_event ?? {};
	check('porthunter first_scan_event: ts ISO-8601 UTC with microseconds when the capture has them',
		/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/.test(fs.ts ?? '') && fs.time?.startsWith(fs.ts.slice(0, 26)), short(fs));
	const fu = (await ok(client, 'porthunter first_scan_event UDP', 'first_scan_event',
		{ path: 'captures/scan-udp.pcap', ...TOK })).first_event ?? {};
	check('porthunter first_scan_event UDP: flags null', fu.flags === null && fu.protocol === 'UDP', short(fu));

	// The sandbox's words name PortHunter's variables.
	const out = await fails(client, 'porthunter path outside', 'scan_overview', { path: '/etc/hostname', ...TOK },
		'path_outside_allowed_dir');
	check('porthunter path outside: message names PORT_HUNTER_ALLOWED_DIR',
		(out.message ?? '').includes('PORT_HUNTER_ALLOWED_DIR'), out.message);
	await client.close();
});

await section('PortHunter pseudo-client env (token set, requirement unset)', async () => {
	// Its README's Python client sets only the token and the directory: the token is required.
	const { client } = await connect({ PORT_HUNTER_TOKEN: 'TEST_TOKEN', PORT_HUNTER_ALLOWED_DIR: '.' });
	await fails(client, 'porthunter default: scan_overview without auth_token', 'scan_overview',
		{ path: 'captures/scan-syn.pcap' }, 'unauthorized');
	await ok(client, 'porthunter default: with auth_token', 'scan_overview', { path: 'captures/scan-syn.pcap', ...TOK });
	await client.close();
	const off = await connect({ PORT_HUNTER_TOKEN: 'TEST_TOKEN', PORT_HUNTER_ALLOWED_DIR: '.', PORT_HUNTER_REQUIRE_TOKEN: 'false' });
	await ok(off.client, 'porthunter REQUIRE_TOKEN=false: no auth_token needed', 'scan_overview', { path: 'captures/scan-syn.pcap' });
	await off.client.close();
});

await section('PortHunter PORT_HUNTER_MAX_PCAP_MB decimals', async () => {
	const size = statSync(join(work, 'captures', 'scan-mixed-benign.pcap')).size; // 64013 bytes
	const { client } = await connect({ ...PH_ENV, PORT_HUNTER_MAX_PCAP_MB: '0.05' }); // 52429 bytes
	const big = await fails(client, `porthunter 0.05 MiB: a ${size}-byte capture`, 'scan_overview',
		{ path: 'captures/scan-mixed-benign.pcap', ...TOK }, 'file_too_large');
	check('porthunter 0.05 MiB: message names PORT_HUNTER_MAX_PCAP_MB, not PCAPMCP_MAX_FILE_MB',
		(big.message ?? '').includes('PORT_HUNTER_MAX_PCAP_MB') && !(big.message ?? '').includes('PCAPMCP_'), big.message);
	await ok(client, 'porthunter 0.05 MiB: a 29478-byte capture', 'scan_overview', { path: 'captures/scan-syn.pcap', ...TOK });
	await client.close();
});

// ---------------------------------------------------------------------------
// mcpcap: its tool names, pcap_file (an absolute path, as mcpcap wants), its TCP arguments.

await section('mcpcap tools with pcap_file', async () => {
	const { client } = await connect({ PCAPMCP_ALLOWED_DIR: work });
	const tools = (await client.listTools(undefined, T)).tools;
	const byName = Object.fromEntries(tools.map((t) => [t.name, t]));
	for (const t of tools.filter((x) => x.inputSchema?.properties?.path)) {
		check(`mcpcap ${t.name}: inputSchema lists pcap_file beside path`,
			t.inputSchema.properties.pcap_file?.type === 'string', t.inputSchema.properties);
	}
	const mcpcapArgs = {
		analyze_capinfos: ['pcap_file'],
		analyze_tcp_connections: ['pcap_file', 'server_ip', 'server_port', 'detailed'],
		analyze_tcp_anomalies: ['pcap_file', 'server_ip', 'server_port'],
		analyze_tcp_retransmissions: ['pcap_file', 'server_ip', 'threshold'],
		analyze_traffic_flow: ['pcap_file', 'server_ip', 'server_port'],
	};
	for (const [n, args] of Object.entries(mcpcapArgs)) {
		const props = byName[n]?.inputSchema?.properties ?? {};
		check(`mcpcap ${n}: takes every argument mcpcap documents (${args.join(', ')})`,
			args.every((a) => a in props), Object.keys(props));
	}
	const says = {
		analyze_capinfos: /capinfos/i,
		analyze_tcp_connections: /connection states and lifecycle/i,
		analyze_tcp_anomalies: /patterns.*statistical analysis/i,
		analyze_tcp_retransmissions: /retransmission patterns/i,
		analyze_traffic_flow: /bidirectional traffic flow/i,
	};
	for (const [n, re] of Object.entries(says)) {
		check(`mcpcap ${n}: description says what mcpcap's says`, re.test(byName[n]?.description ?? ''), byName[n]?.description);
	}

	const http = join(work, 'captures', 'loopback-http.pcapng');
	const scan = join(work, 'captures', 'scan-syn.pcap');
	const ci = await ok(client, 'mcpcap analyze_capinfos pcap_file', 'analyze_capinfos', { pcap_file: http });
	check('mcpcap analyze_capinfos: packet_count 46, file_size_bytes, filename',
		ci.packet_count === 46 && ci.file_size_bytes > 0 && ci.filename === 'loopback-http.pcapng', short(ci));
	const c10 = await ok(client, 'mcpcap analyze_tcp_connections detailed false', 'analyze_tcp_connections',
		{ pcap_file: scan, detailed: false });
	check('mcpcap analyze_tcp_connections detailed=false: the first 10 connections',
		c10.connections?.length === 10 && c10.summary?.total_connections === 203, short(c10.connections_page));
	const call_ = await ok(client, 'mcpcap analyze_tcp_connections detailed true', 'analyze_tcp_connections',
		{ pcap_file: scan, detailed: true });
	const pg = call_.connections_page ?? {};
	const got = call_.connections?.length ?? 0;
	check('mcpcap analyze_tcp_connections detailed=true: all of them, or a page that says how to go on',
		got === 203 || (pg.truncated === true && got === pg.limit && got > 10), short(pg));
	const dflt = await ok(client, 'mcpcap analyze_tcp_connections no detailed', 'analyze_tcp_connections', { pcap_file: scan });
	check('mcpcap analyze_tcp_connections: without detailed the default page (more than 10, under 20,000 chars)',
		(dflt.connections?.length ?? 0) > 10 && JSON.stringify(dflt).length < 20000, dflt.connections?.length);
	const filt = await ok(client, 'mcpcap analyze_tcp_connections server_ip/server_port', 'analyze_tcp_connections',
		{ pcap_file: http, server_ip: '127.0.0.1', server_port: 8080, detailed: true });
	check('mcpcap analyze_tcp_connections: filter echoed', filt.filter?.server_ip === '127.0.0.1' && filt.filter?.server_port === 8080, filt.filter);
	const an = await ok(client, 'mcpcap analyze_tcp_anomalies', 'analyze_tcp_anomalies',
		{ pcap_file: http, server_ip: '127.0.0.1', server_port: 8080 });
	check('mcpcap analyze_tcp_anomalies: statistics, patterns, summary',
		typeof an.statistics === 'object' && Array.isArray(an.patterns) && typeof an.summary === 'object', short(an));
	const rt = await ok(client, 'mcpcap analyze_tcp_retransmissions', 'analyze_tcp_retransmissions',
		{ pcap_file: http, server_ip: '127.0.0.1', threshold: 0.02 });
	check('mcpcap analyze_tcp_retransmissions: total_retransmissions, retransmission_rate, by_connection, summary',
		Number.isInteger(rt.total_retransmissions) && typeof rt.retransmission_rate === 'number' &&
		Array.isArray(rt.by_connection) && typeof rt.summary === 'object' && rt.threshold === 0.02, short(rt));
	const tf = await ok(client, 'mcpcap analyze_traffic_flow', 'analyze_traffic_flow',
		{ pcap_file: http, server_ip: '127.0.0.1', server_port: 8080 });
	check('mcpcap analyze_traffic_flow: client_to_server, server_to_client, analysis',
		tf.client_to_server?.packet_count > 0 && tf.server_to_client?.packet_count > 0 && typeof tf.analysis === 'object', short(tf));
	await ok(client, 'mcpcap pcap_file and path the same', 'analyze_capinfos', { pcap_file: http, path: http });
	await fails(client, 'mcpcap pcap_file and path different', 'analyze_capinfos',
		{ pcap_file: http, path: join(work, 'captures', 'lt-ether.pcap') }, 'invalid_argument');

	// A resource URI from resources/list is a path.
	const res = (await client.listResources(undefined, T)).resources ?? [];
	const r0 = res.find((x) => x.name === 'captures/loopback-http.pcapng');
	check('resources/list: lists the capture with a file:// URI', r0?.uri?.startsWith('file:///'), short(res.slice(0, 3)));
	if (r0) {
		const byUri = await ok(client, 'analyze_capinfos with the resource URI as path', 'analyze_capinfos', { path: r0.uri });
		check('resource URI as path: the same capture', byUri.packet_count === 46, byUri.packet_count);
		await ok(client, 'get_pcap_summary with the resource URI as pcap_file', 'get_pcap_summary', { pcap_file: r0.uri });
	}
	await fails(client, 'a file:// URI with a bad escape', 'analyze_capinfos', { path: 'file:///x%zz.pcap' }, 'invalid_argument');

	// Every name get_pcap_summary.protocols reports selects exactly the flows counted under it.
	for (const f of ['loopback-http.pcapng', 'loopback-mixed.pcap', 'scan-mixed-benign.pcap', 'lt-ether.pcap']) {
		const sum = await ok(client, `summary ${f}`, 'get_pcap_summary', { pcap_file: join(work, 'captures', f) });
		for (const row of sum.protocols ?? []) {
			for (const name of [row.name, row.name.toUpperCase(), row.name.toLowerCase()]) {
				const { r, sc } = await call(client, 'analyze_protocol_flows',
					{ pcap_file: join(work, 'captures', f), protocol: name, limit: 1000 });
				const flows = sc.totals?.flows ?? -1;
				const want = row.name === 'non-IP' || row.name.startsWith('untracked') || row.name.startsWith('IP only') ? 0 : row.packets;
				check(`protocols ${f} "${name}": analyze_protocol_flows returns the ${want} packets counted`,
					r.isError !== true && sc.totals?.packets === want && (want === 0 || flows > 0), short(sc.totals ?? sc));
			}
		}
	}
	await client.close();
});

rmSync(work, { recursive: true, force: true });
summary('compat');
