// SPDX-License-Identifier: MIT
// e2e.mjs BINARY - drive `BINARY serve` with the official MCP TypeScript SDK
// client (@modelcontextprotocol/sdk, installed into tests/mcp/node_modules by
// `npm ci --prefix tests/mcp`), then speak the modern (2026-07-28) era with
// raw JSON-RPC lines.
//
// The SDK compiles every tool's outputSchema in listTools() and checks each
// callTool() result against it, so a call that returns is a schema check.
//
// Prints one "ok - ..." / "not ok - ..." line per check and ends with
// "e2e: N passed, M failed"; exits 1 when a check failed.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { McpError } from '@modelcontextprotocol/sdk/types.js';
import { RawServer } from './raw.mjs';
import { check, section, short, summary } from './tap.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(process.argv[2] ?? resolve(root, 'build', 'pcapmcp'));
const captures = resolve(root, 'captures');
const EPOCH = '1700000000';
const EPOCH_ISO = '2023-11-14T22:13:20Z';
const MODERN = '2026-07-28';
const T = { timeout: 20000 }; // per request; the SDK default is 60 s

if (!existsSync(bin)) {
	console.log(`not ok - binary ${bin} exists`);
	console.log('e2e: 0 passed, 1 failed');
	process.exit(1);
}
// A hung server must not hang CI.
const watchdog = setTimeout(() => {
	console.log('not ok - finished within 180 s (watchdog)');
	summary('e2e', 1);
}, 180000);
watchdog.unref();

// The registry as the CLI prints it: "name group title".
const registry = execFileSync(bin, ['tools'], { encoding: 'utf8' })
	.split('\n')
	.filter((l) => l.trim() !== '')
	.map((l) => {
		const [name, group] = l.trim().split(/\s+/);
		return { name, group };
	});
const allNames = registry.map((t) => t.name);
check('pcapmcp tools lists tools', allNames.length >= 11, allNames);

// ---------------------------------------------------------------------------
// SDK client helpers

async function connect(extraEnv = {}, name = 'pcapmcp-e2e') {
	const transport = new StdioClientTransport({
		command: bin,
		args: ['serve'],
		env: { PCAPMCP_ALLOWED_DIR: captures, SOURCE_DATE_EPOCH: EPOCH, ...extraEnv },
		stderr: 'pipe',
	});
	let stderr = '';
	transport.stderr?.on('data', (b) => (stderr += b.toString()));
	const client = new Client({ name, version: '0.0.1' });
	const errors = [];
	client.onerror = (e) => errors.push(String(e?.message ?? e));
	await client.connect(transport);
	return { client, transport, errors, stderr: () => stderr };
}

// callTool, plus the checks every result must pass: one text block whose
// JSON equals structuredContent, ok/isError agreeing, generated_at fixed.
async function call(client, what, name, args, { wantError } = {}) {
	const r = await client.callTool({ name, arguments: args }, undefined, T);
	const sc = r.structuredContent;
	check(`${what}: structuredContent is an object`, sc !== null && typeof sc === 'object', short(r));
	if (!sc) return r;
	if (wantError) {
		check(`${what}: isError true`, r.isError === true, short(r));
		check(`${what}: ok false`, sc.ok === false, short(sc));
		check(`${what}: error "${wantError}"`, sc.error === wantError, short(sc));
		check(`${what}: message is a non-empty string`, typeof sc.message === 'string' && sc.message !== '', short(sc));
	} else {
		check(`${what}: not isError, ok true`, r.isError !== true && sc.ok === true, short(sc));
	}
	const texts = (r.content ?? []).filter((c) => c.type === 'text');
	let parsed;
	try {
		parsed = JSON.parse(texts[0]?.text);
	} catch {
		parsed = undefined;
	}
	check(`${what}: one text block equal to structuredContent`,
		r.content?.length === 1 && texts.length === 1 && isDeepStrictEqual(parsed, sc), short(r.content));
	check(`${what}: generated_at from SOURCE_DATE_EPOCH`, sc.generated_at === EPOCH_ISO, sc.generated_at);
	return r;
}

async function expectMcpError(what, promise, code) {
	try {
		const r = await promise;
		check(`${what}: rejected with McpError ${code}`, false, `resolved with ${short(r)}`);
	} catch (e) {
		check(`${what}: rejected with McpError ${Array.isArray(code) ? code.join('/') : code}`,
			e instanceof McpError && (Array.isArray(code) ? code.includes(e.code) : e.code === code),
			`${e?.name} code ${e?.code}: ${e?.message}`);
	}
}

// ---------------------------------------------------------------------------
// 1. The default server: every tool, errors, prompts, resources

await section('default server', async () => {
	const s = await connect();
	const { client } = s;
	const info = client.getServerVersion();
	check('connect: serverInfo.name is pcapmcp', info?.name === 'pcapmcp', info);
	check('connect: serverInfo.version is a string', typeof info?.version === 'string' && info.version !== '', info);
	const caps = client.getServerCapabilities() ?? {};
	check('connect: capabilities tools, prompts, resources', !!caps.tools && !!caps.prompts && !!caps.resources, caps);
	await section('ping', async () => {
		check('ping answers {}', isDeepStrictEqual(await client.ping(T), {}));
	});

	let tools = [];
	await section('listTools', async () => {
		tools = (await client.listTools(undefined, T)).tools;
		const names = tools.map((t) => t.name);
		check('listTools: the tools `pcapmcp tools` prints, in its order', isDeepStrictEqual(names, allNames),
			{ got: names, want: allNames });
		for (const t of tools) {
			const g = registry.find((x) => x.name === t.name)?.group;
			check(`listTools ${t.name}: title and description`,
				typeof t.title === 'string' && t.title !== '' && typeof t.description === 'string' && t.description.length >= 40,
				{ title: t.title, description: t.description });
			check(`listTools ${t.name}: inputSchema object, additionalProperties false`,
				t.inputSchema?.type === 'object' && t.inputSchema.additionalProperties === false &&
				typeof t.inputSchema.properties === 'object', t.inputSchema);
			check(`listTools ${t.name}: outputSchema object`, t.outputSchema?.type === 'object', t.outputSchema);
			check(`listTools ${t.name}: annotations.readOnlyHint true`, t.annotations?.readOnlyHint === true, t.annotations);
			if (g !== 'enrichment') {
				check(`listTools ${t.name}: annotations.openWorldHint false`, t.annotations?.openWorldHint === false, t.annotations);
			} else {
				check(`listTools ${t.name}: annotations.openWorldHint true`, t.annotations?.openWorldHint === true, t.annotations);
			}
		}
		const again = (await client.listTools(undefined, T)).tools;
		check('listTools: deterministic (second list identical)', isDeepStrictEqual(again, tools));
	});
	const called = new Set();
	const ok = async (what, name, args) => {
		called.add(name);
		return (await call(client, what, name, args))?.structuredContent ?? {};
	};

	await section('analyze_capinfos', async () => {
		const sc = await ok('analyze_capinfos loopback-http.pcapng', 'analyze_capinfos', { path: 'loopback-http.pcapng' });
		check('analyze_capinfos: packet_count 46', sc.packet_count === 46, sc.packet_count);
		check('analyze_capinfos: format pcapng', sc.format === 'pcapng', sc.format);
		check('analyze_capinfos: filename', sc.filename === 'loopback-http.pcapng', sc.filename);
		check('analyze_capinfos: no warnings', Array.isArray(sc.warnings) && sc.warnings.length === 0, sc.warnings);
	});
	await section('analyze_capinfos damaged', async () => {
		const sc = await ok('analyze_capinfos dmg-trunc-last.pcap (damaged, still ok)', 'analyze_capinfos',
			{ path: 'dmg-trunc-last.pcap' });
		check('analyze_capinfos damaged: packet_count 5', sc.packet_count === 5, sc.packet_count);
		check('analyze_capinfos damaged: capture_damaged warning',
			Array.isArray(sc.warnings) && sc.warnings.some((w) => w?.code === 'capture_damaged'), sc.warnings);
	});
	await section('get_pcap_summary', async () => {
		const sc = await ok('get_pcap_summary loopback-http.pcapng', 'get_pcap_summary', { path: 'loopback-http.pcapng', top: 3 });
		check('get_pcap_summary: total_packets 46', sc.total_packets === 46, sc.total_packets);
		check('get_pcap_summary: flow_count.tcp 4', sc.flow_count?.tcp === 4, sc.flow_count);
		check('get_pcap_summary: tcp_health 4 handshakes', sc.tcp_health?.handshakes_completed === 4, sc.tcp_health);
		check('get_pcap_summary: top_ports[0] is 8080', sc.top_ports?.[0]?.port === 8080, sc.top_ports);
	});
	await section('analyze_port_flows', async () => {
		const sc = await ok('analyze_port_flows port 8080', 'analyze_port_flows', { path: 'loopback-http.pcapng', port: 8080 });
		check('analyze_port_flows: flows_page.total 4', sc.flows_page?.total === 4, sc.flows_page);
		check('analyze_port_flows: 4 flows, all to 127.0.0.1:8080',
			sc.flows?.length === 4 && sc.flows.every((f) => f.server === '127.0.0.1' && f.server_port === 8080), sc.flows);
		const paged = await ok('analyze_port_flows limit 1 offset 1', 'analyze_port_flows',
			{ path: 'loopback-http.pcapng', port: 8080, limit: 1, offset: 1, sort: 'start' });
		check('analyze_port_flows paged: 1 flow, truncated, total 4',
			paged.flows?.length === 1 && paged.flows_page?.total === 4 && paged.flows_page?.truncated === true, paged.flows_page);
	});
	await section('analyze_ip_flows', async () => {
		const sc = await ok('analyze_ip_flows 127.0.0.2 loopback-mixed.pcap', 'analyze_ip_flows', { path: 'loopback-mixed.pcap', ip: '127.0.0.2' });
		check('analyze_ip_flows: one UDP flow to 127.0.0.2:9999, inbound',
			sc.flows_page?.total === 1 && sc.flows?.[0]?.protocol === 'UDP' && sc.flows[0].server === '127.0.0.2' &&
			sc.flows[0].server_port === 9999 && sc.flows[0].direction === 'inbound', sc.flows);
		check('analyze_ip_flows: totals 2 packets', sc.totals?.packets === 2, sc.totals);
	});
	await section('analyze_protocol_flows', async () => {
		const sc = await ok('analyze_protocol_flows http', 'analyze_protocol_flows', { path: 'loopback-http.pcapng', protocol: 'http' });
		check('analyze_protocol_flows http: 4 flows, 46 packets', sc.flows_page?.total === 4 && sc.totals?.packets === 46,
			{ page: sc.flows_page, totals: sc.totals });
	});
	await section('analyze_tcp_connections', async () => {
		const sc = await ok('analyze_tcp_connections', 'analyze_tcp_connections', { path: 'loopback-http.pcapng' });
		check('analyze_tcp_connections: 4 connections, 4 handshakes, 4 normal closes',
			sc.summary?.total_connections === 4 && sc.summary.successful_handshakes === 4 && sc.summary.normal_close === 4 &&
			sc.connections?.length === 4, sc.summary);
	});
	await section('analyze_tcp_anomalies', async () => {
		const sc = await ok('analyze_tcp_anomalies loopback-mixed.pcap', 'analyze_tcp_anomalies', { path: 'loopback-mixed.pcap' });
		check('analyze_tcp_anomalies: the refused SYN (1 failed handshake, 1 RST from the server)',
			sc.statistics?.handshake?.failed === 1 && sc.statistics?.rst_distribution?.from_server === 1, sc.statistics);
		check('analyze_tcp_anomalies: patterns listed', Array.isArray(sc.patterns) && sc.patterns.length >= 1, sc.patterns);
	});
	await section('analyze_tcp_retransmissions', async () => {
		const sc = await ok('analyze_tcp_retransmissions', 'analyze_tcp_retransmissions', { path: 'loopback-http.pcapng', threshold: 0.05 });
		check('analyze_tcp_retransmissions: none on loopback', sc.total_retransmissions === 0 && sc.retransmission_rate === 0, sc);
	});
	await section('analyze_traffic_flow', async () => {
		const sc = await ok('analyze_traffic_flow server_ip 127.0.0.1', 'analyze_traffic_flow',
			{ path: 'loopback-http.pcapng', server_ip: '127.0.0.1', server_port: 8080 });
		check('analyze_traffic_flow: 25 packets client->server, 21 back',
			sc.client_to_server?.packet_count === 25 && sc.server_to_client?.packet_count === 21,
			{ c2s: sc.client_to_server, s2c: sc.server_to_client });
	});
	await section('scan_overview', async () => {
		const sc = await ok('scan_overview scan-syn.pcap', 'scan_overview', { path: 'scan-syn.pcap' });
		const o = sc.overview ?? {};
		check('scan_overview: one scanner 127.0.0.66, vertical, syn',
			o.scanners?.length === 1 && o.scanners[0].ip === '127.0.0.66' && o.scanners[0].kind === 'vertical' &&
			o.scanners[0].techniques?.[0]?.name === 'syn' && o.scanners[0].flag_stats?.SYN > 0, o.scanners);
		check('scan_overview: suspected_patterns ["syn_scan"]', isDeepStrictEqual(o.suspected_patterns, ['syn_scan']), o.suspected_patterns);
		check('scan_overview: targets [127.0.0.1], pages present',
			o.targets?.[0]?.ip === '127.0.0.1' && o.scanners_page?.total === 1 && typeof o.port_distribution_page?.total === 'number', o.targets);
		const small = await ok('scan_overview top_k 2, time_window_s 0.001', 'scan_overview',
			{ path: 'scan-syn.pcap', top_k: 2, time_window_s: 0.001 });
		const so = small.overview ?? {};
		check('scan_overview top_k 2: port_distribution has 2 items and is truncated',
			so.port_distribution?.length === 2 && so.port_distribution_page?.truncated === true, so.port_distribution_page);
		check('scan_overview: a 1 ms window holds fewer targets than 60 s',
			so.scanners?.[0]?.max_targets_in_window < o.scanners?.[0]?.max_targets_in_window,
			[so.scanners?.[0]?.max_targets_in_window, o.scanners?.[0]?.max_targets_in_window]);
		await call(client, 'scan_overview time_window_s 0', 'scan_overview', { path: 'scan-syn.pcap', time_window_s: 0 },
			{ wantError: 'invalid_argument' });
	});
	await section('list_suspects', async () => {
		const sc = await ok('list_suspects scan-slow.pcap', 'list_suspects', { path: 'scan-slow.pcap' });
		check('list_suspects: the slow scan is below min_rate_pps 5', sc.suspects?.length === 0, sc.suspects);
		const lo = await ok('list_suspects scan-slow.pcap min_rate_pps 0.01', 'list_suspects',
			{ path: 'scan-slow.pcap', min_rate_pps: 0.01, min_ports: 10 });
		check('list_suspects min_rate_pps 0.01: the slow scanner, with a score',
			lo.suspects?.length === 1 && lo.suspects[0].ip === '203.0.113.7' && typeof lo.suspects[0].score === 'number' &&
			lo.thresholds?.min_rate_pps === 0.01, lo);
		const m = await ok('list_suspects scan-mixed-benign.pcap', 'list_suspects', { path: 'scan-mixed-benign.pcap' });
		check('list_suspects mixed: exactly the three scanners',
			isDeepStrictEqual((m.suspects ?? []).map((x) => x.ip).sort(), ['2001:db8::bad', '203.0.113.5', '203.0.113.9']),
			m.suspects?.map((x) => x.ip));
	});
	await section('first_scan_event', async () => {
		const sc = await ok('first_scan_event scan-slow.pcap', 'first_scan_event', { path: 'scan-slow.pcap' });
		const e = sc.first_event ?? {};
		check('first_scan_event: the slow scan\'s first SYN',
			e.src === '203.0.113.7' && e.technique === 'syn' && e.tcp_flags === 'SYN' && typeof e.ts === 'string' && e.ts.endsWith('Z'), e);
		check('first_scan_event: PortHunter\'s flags letter S and ts without a fraction (whole seconds)',
			e.flags === 'S' && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(e.ts ?? ''), e);
		const none = await ok('first_scan_event loopback-http.pcapng (no scan)', 'first_scan_event', { path: 'loopback-http.pcapng' });
		check('first_scan_event: null without a scanner', none.first_event === null, none);
	});
	await section('protocol analysers (captures/)', async () => {
		// scan-udp.pcap (captures/gen_scans.c): UDP probes, 10 of them DNS queries
		// (mDNS and version.bind) that nobody answered, ICMP port unreachables, one DHCP INFORM.
		const d = await ok('analyze_dns_packets scan-udp.pcap', 'analyze_dns_packets', { path: 'scan-udp.pcap', limit: 2 });
		check('analyze_dns_packets: mcpcap\'s keys, 10 queries, no responses',
			d.total_packets_in_file === 62 && d.dns_packets_found === 10 && d.statistics?.queries === 10 &&
			d.statistics?.responses === 0 && Array.isArray(d.statistics?.unique_domains), short(d.statistics));
		check('analyze_dns_packets: a page of 2 packets with mcpcap\'s flags',
			d.packets?.length === 2 && d.packets_page?.total === 10 && d.packets[0].flags?.is_response === false, short(d.packets));
		const m = await ok('analyze_dns_packets pcap_file, type PTR', 'analyze_dns_packets', { pcap_file: 'scan-udp.pcap', type: 'PTR' });
		check('analyze_dns_packets type PTR: only PTR questions in the sample',
			m.packets?.length > 0 && m.packets.every((p) => p.questions?.[0]?.type === 12), short(m.packets_page));
		await call(client, 'analyze_dns_packets rcode BOGUS', 'analyze_dns_packets', { path: 'scan-udp.pcap', rcode: 'BOGUS' },
			{ wantError: 'invalid_argument' });
		await call(client, 'analyze_dns_packets client not an address', 'analyze_dns_packets', { path: 'scan-udp.pcap', client: 'nope' },
			{ wantError: 'invalid_ip' });
		const h = await ok('analyze_dhcp_packets scan-udp.pcap', 'analyze_dhcp_packets', { path: 'scan-udp.pcap' });
		check('analyze_dhcp_packets: one INFORM probe', h.dhcp_packets_found === 1 && h.statistics?.message_type_counts?.INFORM === 1,
			short(h.statistics));
		const i = await ok('analyze_icmp_packets scan-udp.pcap', 'analyze_icmp_packets', { path: 'scan-udp.pcap', limit: 1 });
		check('analyze_icmp_packets: 27 port unreachables with the embedded UDP header',
			i.statistics?.icmp_type_counts?.['Destination Unreachable'] === 27 && i.packets?.[0]?.original_protocol === 'UDP' &&
			i.unreachable?.some((u) => u.protocol === 'UDP' && u.port === 53), short(i.unreachable));
		const s = await ok('analyze_sip_packets loopback-mixed.pcap (no SIP)', 'analyze_sip_packets', { path: 'loopback-mixed.pcap' });
		check('analyze_sip_packets: no SIP, empty sample and findings',
			s.sip_packets_found === 0 && s.packets?.length === 0 && s.findings?.length === 0, short(s));
	});
	await section('analyze_http_packets, analyze_tls', async () => {
		const h = await ok('analyze_http_packets loopback-http.pcapng', 'analyze_http_packets', { path: 'loopback-http.pcapng' });
		check('analyze_http_packets: 4 requests, 4 responses, exchanges paged',
			h.statistics?.total_requests === 4 && h.statistics?.total_responses === 4 && h.exchanges_page?.total === 4, h.statistics);
		const t = await ok('analyze_tls loopback-http.pcapng', 'analyze_tls', { path: 'loopback-http.pcapng' });
		check('analyze_tls: no handshake in plain HTTP, the list still paged',
			t.statistics?.total_handshakes === 0 && t.handshakes_page?.total === 0 && Array.isArray(t.findings), t.statistics);
		// captures/README.md: the recorded forms capture and the expired certificate.
		const f = await ok('analyze_http_packets loopback-http-forms.pcapng', 'analyze_http_packets', { path: 'loopback-http-forms.pcapng' });
		const fx = f.exchanges ?? [];
		check('analyze_http_packets: keep-alive, a chunked body, a form password and Basic auth',
			f.statistics?.total_requests === 5 && f.statistics?.status_codes?.['401'] === 1 &&
			fx.some((e) => e.uri === '/chunked' && e.chunked === true && e.body_bytes === 25) &&
			fx.some((e) => e.uri === '/secret' && e.authorization === 'Basic' && e.status === 200) &&
			f.findings?.some((x) => x.type === 'cleartext_credentials' && !JSON.stringify(x).includes('hunter2')), short(fx));
		const creds = (f.findings ?? []).filter((x) => x.type === 'cleartext_credentials');
		check('analyze_http_packets: form password and Basic auth are two findings, neither shows the secret',
			creds.length === 2 && creds.some((x) => x.evidence?.kind === 'form_password' && x.count === 1) &&
			creds.some((x) => x.evidence?.kind === 'basic_auth' && x.count === 1) &&
			!JSON.stringify(creds).includes('hunter2') && !JSON.stringify(creds).includes('Ym9iOmh1bnRlcjI'), short(creds));
		const x = await ok('analyze_tls loopback-tls-expired.pcapng', 'analyze_tls', { path: 'loopback-tls-expired.pcapng' });
		check('analyze_tls: the expired certificate found, with its validity',
			x.findings?.some((y) => y.type === 'expired_certificate') && x.handshakes?.[0]?.sni === 'expired.example', short(x.findings));
		// JA3s from tshark 4.0.17: tshark -r captures/loopback-tls.pcapng -Y tls.handshake.type==1
		//   -T fields -e tls.handshake.ja3 -e tls.handshake.extensions_server_name
		const l = await ok('analyze_tls loopback-tls.pcapng', 'analyze_tls', { pcap_file: 'loopback-tls.pcapng' });
		const hs = l.handshakes ?? [];
		check('analyze_tls: two handshakes with tshark\'s SNIs and JA3 hashes',
			l.statistics?.total_handshakes === 2 && l.handshakes_page?.total === 2 &&
			hs.some((h) => h.sni === 'test.example' && h.ja3_hash === '87b9bfc7da97115ed2276737b09f8d74') &&
			hs.some((h) => h.sni === 'www.example.net' && h.ja3_hash === '89dfc51e72bdcb94e4ba4622588002b1'), short(hs));
		const k = await ok('analyze_tls known-clients.pcapng', 'analyze_tls', { path: 'known-clients.pcapng' });
		check('analyze_tls: the five recorded tools marked from the built-in table, severity low',
			k.handshakes?.length === 5 && k.handshakes.every((h) => h.known?.kind === 'tool' && h.known.source.includes('known-clients.pcapng')) &&
			k.handshakes[2].known.name === 'curl' && k.statistics?.known_fingerprints?.['openssl s_client'] === 2 &&
			k.findings?.filter((f) => f.type === 'known_fingerprint' && f.severity === 'low').length === 5 &&
			k.fingerprint_table === undefined, short(k));
	});
	await section('analyze_quic', async () => {
		const q = await ok('analyze_quic loopback-mixed.pcap', 'analyze_quic', { path: 'loopback-mixed.pcap', limit: 5 });
		check('analyze_quic: no QUIC in the mixed capture, the list still paged',
			q.statistics?.total_connections === 0 && q.connections_page?.total === 0 &&
			q.statistics?.version_negotiation?.failed === 0 && Array.isArray(q.findings), q.statistics);
		const f = await ok('analyze_quic with filters', 'analyze_quic', { path: 'loopback-mixed.pcap', sni: 'example', client: '10.0.0.1' });
		check('analyze_quic: filters accepted', f.connections_page?.total === 0, f.connections_page);
	});
	await section('load_pcap_file', async () => {
		const sc = await ok('load_pcap_file loopback-mixed.pcap', 'load_pcap_file', { path: 'loopback-mixed.pcap' });
		check('load_pcap_file: loaded path and packet_count 16',
			typeof sc.loaded === 'string' && sc.loaded.endsWith('/loopback-mixed.pcap') && sc.packet_count === 16, sc);
		const c = await ok('analyze_capinfos without path (loaded capture)', 'analyze_capinfos', {});
		check('analyze_capinfos without path: the loaded capture (16 packets)',
			c.packet_count === 16 && c.filename === 'loopback-mixed.pcap', { packet_count: c.packet_count, filename: c.filename });
		const f = await ok('analyze_port_flows without path', 'analyze_port_flows', { port: 9999 });
		check('analyze_port_flows without path: the UDP flow of the loaded capture', f.flows_page?.total === 1, f.flows_page);
	});
	await section('enrichment', async () => {
		const e = (await ok('enrich_ip 8.8.8.8', 'enrich_ip', { ip: '8.8.8.8' })).enrichment ?? {};
		check('enrich_ip: public, shodan not configured without a key',
			e.ip === '8.8.8.8' && e.kind === 'public' && e.skipped === false &&
			['not_configured', 'offline'].includes(e.shodan?.status), e);
		const p = (await ok('enrich_ip 10.1.2.3', 'enrich_ip', { ip: '10.1.2.3' })).enrichment ?? {};
		check('enrich_ip: RFC 1918 skipped as private_ip', p.kind === 'private' && p.skipped === true &&
			p.reason === 'private_ip' && p.range === 'rfc1918', p);
		await call(client, 'enrich_ip not an address', 'enrich_ip', { ip: '300.1.1.1' }, { wantError: 'invalid_ip' });
		const c = await ok('correlate two addresses', 'correlate', { ips: '192.0.2.1, ::ffff:8.8.4.4', sort_by_score: true });
		check('correlate: one result each, in order, scored 0..100', c.results?.length === 2 &&
			c.results[0].ip === '192.0.2.1' && c.results[1].enrichment?.ip === '8.8.4.4' &&
			c.results.every((r) => r.threat?.score >= 0 && r.threat.score <= 100 && r.threat.rationale.length > 0), c);
		const ec = await ok('enrich_capture scan-mixed-benign.pcap', 'enrich_capture', { path: 'scan-mixed-benign.pcap', top_n: 5 });
		check('enrich_capture: five talkers and the three scan suspects, suspects scored',
			ec.suspects_total === 3 && ec.hosts?.filter((h) => h.roles.includes('scan_suspect')).length === 3 &&
			ec.hosts.filter((h) => h.roles.includes('top_talker')).length === 5 &&
			ec.hosts.some((h) => h.roles.includes('scan_suspect') && h.threat.score > 0), ec);
	});
	await section('get_info', async () => {
		const sc = await ok('get_info', 'get_info', {});
		check('get_info: name pcapmcp', sc.name === 'pcapmcp', sc.name);
		check('get_info: protocol_versions has 2025-11-25 and 2026-07-28',
			Array.isArray(sc.protocol_versions) && sc.protocol_versions.includes('2025-11-25') && sc.protocol_versions.includes(MODERN),
			sc.protocol_versions);
		check('get_info: sandbox.allowed_dir is captures/', sc.sandbox?.allowed_dir === captures, sc.sandbox);
		check('get_info: tools are the listed tools', isDeepStrictEqual(sc.tools, allNames), sc.tools);
		check('get_info: loaded_capture is loopback-mixed.pcap',
			typeof sc.loaded_capture === 'string' && sc.loaded_capture.endsWith('/loopback-mixed.pcap'), sc.loaded_capture);
	});
	for (const n of allNames) {
		check(`every tool called: ${n}`, called.has(n));
	}
	await section('progress token', async () => {
		let progress = 0;
		const r = await client.callTool({ name: 'get_pcap_summary', arguments: { path: 'loopback-mixed.pcap' } }, undefined,
			{ ...T, onprogress: () => progress++ });
		check('callTool with a progress token still answers', r.structuredContent?.ok === true, short(r));
	});

	// Errors: tool errors come back as isError results with the error contract.
	await section('errors', async () => {
		await call(client, 'path ../README.md', 'analyze_capinfos', { path: '../README.md' }, { wantError: 'path_outside_allowed_dir' });
		await call(client, 'path /etc/passwd', 'analyze_capinfos', { path: '/etc/passwd' }, { wantError: 'path_outside_allowed_dir' });
		await call(client, 'path ../captures/../../etc/passwd', 'get_pcap_summary', { path: '../captures/../../etc/passwd' },
			{ wantError: 'path_outside_allowed_dir' });
		await call(client, 'missing file', 'analyze_capinfos', { path: 'no-such-file.pcap' }, { wantError: 'path_not_found' });
		await call(client, 'text file README.md', 'analyze_capinfos', { path: 'README.md' }, { wantError: 'unsupported_file_type' });
		await call(client, 'bad magic dmg-bad-magic.pcap', 'analyze_capinfos', { path: 'dmg-bad-magic.pcap' },
			{ wantError: 'unsupported_file_type' });
		await call(client, 'port "x"', 'analyze_port_flows', { path: 'loopback-http.pcapng', port: 'x' }, { wantError: 'invalid_argument' });
		await call(client, 'port 70000', 'analyze_port_flows', { path: 'loopback-http.pcapng', port: 70000 }, { wantError: 'invalid_argument' });
		await call(client, 'missing required port', 'analyze_port_flows', { path: 'loopback-http.pcapng' }, { wantError: 'invalid_argument' });
		await call(client, 'unknown argument', 'analyze_capinfos', { path: 'loopback-http.pcapng', frobnicate: 1 },
			{ wantError: 'invalid_argument' });
		await call(client, 'path 42', 'analyze_capinfos', { path: 42 }, { wantError: 'invalid_argument' });
		await expectMcpError('unknown tool', client.callTool({ name: 'no_such_tool', arguments: {} }, undefined, T), -32602);
		await expectMcpError('unknown prompt', client.getPrompt({ name: 'no_such_prompt', arguments: {} }, T), -32602);
		await expectMcpError('unknown resource', client.readResource({ uri: 'file:///etc/passwd' }, T), [-32002, -32602]);
		const after = await client.callTool({ name: 'analyze_capinfos', arguments: { path: 'loopback-http.pcapng' } }, undefined, T);
		check('after the errors the server still answers', after.structuredContent?.packet_count === 46, short(after.structuredContent));
	});

	await section('prompts', async () => {
		const { prompts } = await client.listPrompts(undefined, T);
		const names = prompts.map((p) => p.name).sort();
		check('listPrompts: 4 prompts', isDeepStrictEqual(names,
			['forensic_timeline', 'network_troubleshooting', 'scan_investigation', 'security_triage']), names);
		for (const p of prompts) {
			check(`listPrompts ${p.name}: description and a path argument`,
				typeof p.description === 'string' && p.description !== '' && p.arguments?.some((a) => a.name === 'path'), p);
		}
		const g = await client.getPrompt({ name: 'security_triage', arguments: { path: 'loopback-http.pcapng' } }, T);
		const m = g.messages?.[0];
		const text = m?.content?.type === 'text' ? m.content.text : '';
		check('getPrompt security_triage: a user text message', m?.role === 'user' && text.length > 0, g);
		check('getPrompt security_triage: names the capture', text.includes('loopback-http.pcapng'), text);
		check('getPrompt security_triage: names offered tools (get_pcap_summary, analyze_tcp_anomalies)',
			text.includes('get_pcap_summary') && text.includes('analyze_tcp_anomalies'), text);
		const unknown = ['analyze_dns_packets', 'analyze_tls', 'scan_overview', 'enrich_ip']
			.filter((n) => !allNames.includes(n) && text.includes(n));
		check('getPrompt security_triage: names no tool the server lacks', unknown.length === 0, unknown);
	});

	await section('resources', async () => {
		const { resources } = await client.listResources(undefined, T);
		const http = resources.find((r) => r.name === 'loopback-http.pcapng' || r.uri.endsWith('/loopback-http.pcapng'));
		check('listResources: includes loopback-http.pcapng', !!http, resources.map((r) => r.uri));
		check('listResources: includes loopback-mixed.pcap',
			resources.some((r) => r.name === 'loopback-mixed.pcap' || r.uri.endsWith('/loopback-mixed.pcap')));
		check('listResources: uris unique', new Set(resources.map((r) => r.uri)).size === resources.length);
		if (!http) return;
		const rr = await client.readResource({ uri: http.uri }, T);
		const c = rr.contents?.[0];
		let j;
		try {
			j = JSON.parse(c?.text);
		} catch {
			j = undefined;
		}
		check('readResource loopback-http.pcapng: uri echoed', c?.uri === http.uri, c?.uri);
		check('readResource loopback-http.pcapng: JSON text with packet_count 46', j?.packet_count === 46, short(c));
	});

	check('default server: no transport/protocol errors (stdout only JSON-RPC)', s.errors.length === 0, s.errors);
	await client.close();
});

// ---------------------------------------------------------------------------
// 2. PCAPMCP_TOOLS=flows: only the flows group

await section('PCAPMCP_TOOLS=flows', async () => {
	const s = await connect({ PCAPMCP_TOOLS: 'flows' });
	const want = registry.filter((t) => t.group === 'flows').map((t) => t.name);
	const names = (await s.client.listTools(undefined, T)).tools.map((t) => t.name);
	check('PCAPMCP_TOOLS=flows: lists only the flows tools', want.length > 0 && isDeepStrictEqual(names, want), { got: names, want });
	const r = await call(s.client, 'PCAPMCP_TOOLS=flows analyze_port_flows', 'analyze_port_flows', { path: 'loopback-http.pcapng', port: 8080 });
	check('PCAPMCP_TOOLS=flows: analyze_port_flows works', r.structuredContent?.flows_page?.total === 4, short(r.structuredContent));
	await expectMcpError('PCAPMCP_TOOLS=flows: get_info is not offered',
		s.client.callTool({ name: 'get_info', arguments: {} }, undefined, T), -32602);
	const g = await s.client.getPrompt({ name: 'security_triage', arguments: { path: 'loopback-http.pcapng' } }, T);
	const text = g.messages?.[0]?.content?.text ?? '';
	check('PCAPMCP_TOOLS=flows: prompt names only offered tools (no get_pcap_summary)',
		text.includes('analyze_tcp_anomalies') && !text.includes('get_pcap_summary'), text);
	check('PCAPMCP_TOOLS=flows: no transport/protocol errors', s.errors.length === 0, s.errors);
	await s.client.close();
});

// ---------------------------------------------------------------------------
// 2b. PCAPMCP_JA3_FEED: an SSLBL-layout feed marks curl's JA3 as malware; a bad row is skipped

await section('PCAPMCP_JA3_FEED', async () => {
	const tmp = mkdtempSync(resolve(tmpdir(), 'pcapmcp-ja3-'));
	try {
		const feed = resolve(tmp, 'ja3_fingerprints.csv');
		writeFileSync(feed, '# ja3_md5,Firstseen,Lastseen,Listingreason\n' +
			'0149f47eabf9a20d0893e2a44e5a6323,2020-01-01 00:00:00,2020-01-02 00:00:00,Test C2\n' +
			'not-a-hash,x,y,Broken\n');
		const s = await connect({ PCAPMCP_JA3_FEED: feed });
		const r = await call(s.client, 'PCAPMCP_JA3_FEED analyze_tls known-clients.pcapng', 'analyze_tls', { path: 'known-clients.pcapng' });
		const k = r.structuredContent ?? {};
		check('PCAPMCP_JA3_FEED: curl\'s handshake marked malware from the feed, severity high, the rest tools',
			k.handshakes?.[2]?.known?.kind === 'malware' && k.handshakes[2].known.name === 'Test C2' && k.handshakes[2].known.source === 'feed' &&
			k.handshakes[0].known?.kind === 'tool' && k.statistics?.known_fingerprints?.['Test C2'] === 1 &&
			k.findings?.some((f) => f.type === 'known_fingerprint' && f.severity === 'high' && f.evidence?.ja3_hash === '0149f47eabf9a20d0893e2a44e5a6323'), short(k));
		check('PCAPMCP_JA3_FEED: fingerprint_table says loaded, 1 entry, 1 row skipped',
			k.fingerprint_table?.feed === 'loaded' && k.fingerprint_table.feed_entries === 1 && k.fingerprint_table.feed_skipped === 1, k.fingerprint_table);
		check('PCAPMCP_JA3_FEED: no transport/protocol errors', s.errors.length === 0, s.errors);
		await s.client.close();
		const m = await connect({ PCAPMCP_JA3_FEED: resolve(tmp, 'missing.csv') });
		const r2 = await call(m.client, 'PCAPMCP_JA3_FEED missing file', 'analyze_tls', { path: 'known-clients.pcapng' });
		check('PCAPMCP_JA3_FEED: a missing feed is reported, never fatal; built-in marks stay',
			r2.structuredContent?.fingerprint_table?.feed === 'unreadable' && r2.structuredContent.handshakes?.[2]?.known?.name === 'curl',
			r2.structuredContent?.fingerprint_table);
		await m.client.close();
	} finally {
		rmSync(tmp, { recursive: true, force: true });
	}
});

// ---------------------------------------------------------------------------
// 3. PCAPMCP_REQUIRE_TOKEN=1 PCAPMCP_TOKEN=s3cret

await section('token', async () => {
	const s = await connect({ PCAPMCP_REQUIRE_TOKEN: '1', PCAPMCP_TOKEN: 's3cret' });
	const { client } = s;
	await client.listTools(undefined, T);
	// get_info needs no token (issue 9, PortHunter's clients ask it first); a wrong one is still refused.
	const no = await call(client, 'token: get_info without auth_token answers', 'get_info', {});
	check('token: get_info without auth_token says secure_mode', no.structuredContent?.secure_mode === true, short(no.structuredContent));
	await call(client, 'token: capinfos without auth_token', 'analyze_capinfos', { path: 'loopback-http.pcapng' }, { wantError: 'unauthorized' });
	const bad = await call(client, 'token: analyze_capinfos with a wrong token', 'analyze_capinfos',
		{ path: 'loopback-http.pcapng', auth_token: 's3cre' }, { wantError: 'unauthorized' });
	await call(client, 'token: a longer wrong token', 'get_info', { auth_token: 's3cretX' }, { wantError: 'unauthorized' });
	await call(client, 'token: an empty token', 'get_info', { auth_token: '' }, { wantError: 'unauthorized' });
	await call(client, 'token: a sandbox escape without token is unauthorized first', 'analyze_capinfos',
		{ path: '/etc/passwd' }, { wantError: 'unauthorized' });
	const good = await call(client, 'token: analyze_capinfos with the right token', 'analyze_capinfos',
		{ path: 'loopback-http.pcapng', auth_token: 's3cret' });
	check('token: right token gives packet_count 46', good.structuredContent?.packet_count === 46, short(good.structuredContent));
	const gi = await call(client, 'token: get_info with the right token', 'get_info', { auth_token: 's3cret' });
	check('token: get_info says a token is required', gi.structuredContent?.sandbox?.require_token === true, gi.structuredContent?.sandbox);
	const all = JSON.stringify([no, bad, gi]);
	check('token: never echoed in results', !all.includes('s3cret'));
	await client.close();
	check('token: never written to stderr', !s.stderr().includes('s3cret'), s.stderr());
	check('token: no transport/protocol errors', s.errors.length === 0, s.errors);
});

// ---------------------------------------------------------------------------
// 4. Sandbox escapes, in a temporary allowed directory (PCAPMCP_MAX_FILE_MB=1)

await section('sandbox', async () => {
	const tmp = mkdtempSync(resolve(tmpdir(), 'pcapmcp-e2e-'));
	try {
		const allowed = resolve(tmp, 'allowed');
		mkdirSync(allowed);
		mkdirSync(resolve(allowed, 'sub'));
		mkdirSync(resolve(tmp, 'allowed2')); // a sibling sharing the prefix
		copyFileSync(resolve(captures, 'loopback-http.pcapng'), resolve(allowed, 'cap.pcapng'));
		copyFileSync(resolve(captures, 'loopback-http.pcapng'), resolve(allowed, 'capture.txt')); // magic, not extension
		copyFileSync(resolve(captures, 'lt-ether.pcap'), resolve(tmp, 'allowed2', 'x.pcap'));
		writeFileSync(resolve(allowed, 'notes.pcap'), 'hello, not a capture\n');
		symlinkSync(resolve(captures, 'loopback-http.pcapng'), resolve(allowed, 'out.pcap'));
		symlinkSync('cap.pcapng', resolve(allowed, 'in.pcap'));
		symlinkSync('..', resolve(allowed, 'up'));
		writeFileSync(resolve(allowed, 'big.pcap'), '');
		truncateSync(resolve(allowed, 'big.pcap'), 2 * 1024 * 1024);
		let fifo = false;
		try {
			execFileSync('mkfifo', [resolve(allowed, 'fifo.pcap')]);
			fifo = true;
		} catch {
			/* no mkfifo: skip that case */
		}
		const s = await connect({ PCAPMCP_ALLOWED_DIR: allowed, PCAPMCP_MAX_FILE_MB: '1' });
		const { client } = s;
		await client.listTools(undefined, T);
		const okc = await call(client, 'sandbox: cap.pcapng inside', 'analyze_capinfos', { path: 'cap.pcapng' });
		check('sandbox: cap.pcapng has 46 packets', okc.structuredContent?.packet_count === 46);
		const txt = await call(client, 'sandbox: a capture named .txt (type by magic)', 'analyze_capinfos', { path: 'capture.txt' });
		check('sandbox: capture.txt has 46 packets', txt.structuredContent?.packet_count === 46);
		await call(client, 'sandbox: symlink inside to inside', 'analyze_capinfos', { path: 'in.pcap' });
		await call(client, 'sandbox: text file named .pcap', 'analyze_capinfos', { path: 'notes.pcap' }, { wantError: 'unsupported_file_type' });
		await call(client, 'sandbox: symlink out', 'analyze_capinfos', { path: 'out.pcap' }, { wantError: 'path_outside_allowed_dir' });
		await call(client, 'sandbox: through a symlinked ..', 'analyze_capinfos', { path: 'up/allowed2/x.pcap' },
			{ wantError: 'path_outside_allowed_dir' });
		await call(client, 'sandbox: prefix sibling ../allowed2', 'analyze_capinfos', { path: '../allowed2/x.pcap' },
			{ wantError: 'path_outside_allowed_dir' });
		await call(client, 'sandbox: prefix sibling, absolute', 'analyze_capinfos', { path: resolve(tmp, 'allowed2', 'x.pcap') },
			{ wantError: 'path_outside_allowed_dir' });
		await call(client, 'sandbox: absolute path inside', 'analyze_capinfos', { path: resolve(allowed, 'cap.pcapng') });
		await call(client, 'sandbox: directory', 'analyze_capinfos', { path: 'sub' }, { wantError: 'not_a_regular_file' });
		if (fifo) {
			await call(client, 'sandbox: FIFO (must not block)', 'analyze_capinfos', { path: 'fifo.pcap' }, { wantError: 'not_a_regular_file' });
		}
		await call(client, 'sandbox: 2 MiB file over PCAPMCP_MAX_FILE_MB=1', 'analyze_capinfos', { path: 'big.pcap' },
			{ wantError: 'file_too_large' });
		await call(client, 'sandbox: empty path', 'analyze_capinfos', { path: '' }, { wantError: 'invalid_argument' });
		await call(client, 'sandbox: NUL in path', 'analyze_capinfos', { path: 'cap.pcapng\u0000.txt' }, { wantError: 'invalid_argument' });
		await call(client, 'sandbox: load_pcap_file outside', 'load_pcap_file', { path: '/etc/passwd' }, { wantError: 'path_outside_allowed_dir' });

		const { resources } = await client.listResources(undefined, T);
		const names = resources.map((r) => r.name).sort();
		check('sandbox resources: the two captures only (no symlink out, no text, no sibling)',
			isDeepStrictEqual(names, ['cap.pcapng', 'capture.txt']), resources.map((r) => r.uri));
		const fileUri = (p) => 'file://' + p;
		for (const [what, uri] of [
			['symlink out', fileUri(resolve(allowed, 'out.pcap'))],
			['prefix sibling', fileUri(resolve(tmp, 'allowed2', 'x.pcap'))],
			['dot-dot', fileUri(allowed) + '/../allowed2/x.pcap'],
			['/etc/passwd', 'file:///etc/passwd'],
		]) {
			await expectMcpError(`sandbox readResource ${what} refused`, client.readResource({ uri }, T), [-32002, -32602]);
		}
		const out = JSON.stringify(await client.listResources(undefined, T));
		check('sandbox resources: nothing outside is named', !out.includes('allowed2') && !out.includes('out.pcap'));
		check('sandbox: no transport/protocol errors', s.errors.length === 0, s.errors);
		await client.close();
	} finally {
		rmSync(tmp, { recursive: true, force: true });
	}
});

// ---------------------------------------------------------------------------
// The protocol analysers on real captures of ../shared/corpus (skipped when
// absent), copied into a temporary allowed directory. Expected values from
// tshark 4.x (tests/mk_{dns,dhcp,icmp,sip}_expected.sh use the same fields):
//   tshark -r dns-wiresharkrepo.pcap -Y dns -T fields -e dns.flags.response -e dns.flags.rcode
//     -> 19 queries, 19 responses: 13 rcode 0, 6 rcode 3
//   tshark -r wireshark-dhcp.pcap -Y dhcp -T fields -e dhcp.id -e dhcp.option.dhcp
//     -> 0x3d1d: 1 2, 0x3d1e: 3 5 (DISCOVER OFFER, REQUEST ACK)
//   tshark -r icmp.pcap -Y icmp -T fields -e icmp.type -> 8 type 8, 8 type 0
//   tshark -r sip_resp.pcap -Y sip -T fields -e sip.Status-Code -> 100 180 200 401 401 503 504

const corpus = resolve(root, '..', 'shared', 'corpus');
const realCaptures = {
	'dns.pcap': 'arkime/pcap/dns-wiresharkrepo.pcap',
	'dhcp.pcap': 'arkime/pcap/wireshark-dhcp.pcap',
	'icmp.pcap': 'markofu-pcaps/PracticalPacketAnalysis/icmp.pcap',
	'sip.pcap': 'pcapplusplus/Packet++Test/PacketExamples/sip_resp.pcap',
};
await section('protocol analysers (corpus)', async () => {
	if (!Object.values(realCaptures).every((p) => existsSync(resolve(corpus, p)))) {
		console.log('# protocol analysers (corpus): skipped (no ../shared/corpus)');
		return;
	}
	const tmp = mkdtempSync(resolve(tmpdir(), 'pcapmcp-e2e-proto-'));
	try {
		for (const [name, p] of Object.entries(realCaptures)) copyFileSync(resolve(corpus, p), resolve(tmp, name));
		const s = await connect({ PCAPMCP_ALLOWED_DIR: tmp });
		const { client } = s;
		const d = (await call(client, 'analyze_dns_packets dns-wiresharkrepo', 'analyze_dns_packets', { path: 'dns.pcap' })).structuredContent;
		check('dns: tshark\'s 19 queries, 19 responses, 13 NOERROR, 6 NXDOMAIN',
			d.statistics?.queries === 19 && d.statistics?.responses === 19 && d.statistics?.rcodes?.NOERROR === 13 &&
			d.statistics?.rcodes?.NXDOMAIN === 6 && d.statistics?.nxdomain === 6, short(d.statistics));
		check('dns: every query answered (19 transactions, none unanswered)',
			d.statistics?.transactions === 19 && d.statistics?.unanswered_queries === 0, short(d.statistics));
		const nx = (await call(client, 'analyze_dns_packets rcode NXDOMAIN', 'analyze_dns_packets', { path: 'dns.pcap', rcode: 'NXDOMAIN' })).structuredContent;
		check('dns rcode NXDOMAIN: the 6 NXDOMAIN responses', nx.packets_page?.total === 6 && nx.packets?.every((p) => p.rcode === 'NXDOMAIN'),
			short(nx.packets_page));
		const h = (await call(client, 'analyze_dhcp_packets wireshark-dhcp', 'analyze_dhcp_packets', { path: 'dhcp.pcap' })).structuredContent;
		check('dhcp: tshark\'s DISCOVER, OFFER, REQUEST, ACK in 2 transactions',
			isDeepStrictEqual(h.statistics?.message_type_counts, { DISCOVER: 1, OFFER: 1, REQUEST: 1, ACK: 1 }) &&
			h.statistics?.transaction_count === 2 &&
			isDeepStrictEqual(h.transactions?.map((t) => t.messages), [['DISCOVER', 'OFFER'], ['REQUEST', 'ACK']]), short(h.transactions));
		check('dhcp: one client 00:0b:82:01:fc:42', isDeepStrictEqual(h.statistics?.unique_clients, ['00:0b:82:01:fc:42']), short(h.statistics));
		const i = (await call(client, 'analyze_icmp_packets icmp.pcap', 'analyze_icmp_packets', { path: 'icmp.pcap' })).structuredContent;
		check('icmp: tshark\'s 8 echo requests and 8 replies, all answered',
			i.statistics?.icmp_type_counts?.['Echo Request'] === 8 && i.statistics?.icmp_type_counts?.['Echo Reply'] === 8 &&
			i.statistics?.echo_unanswered === 0 && i.echo_hosts?.reduce((n, e) => n + e.answered, 0) === 8, short(i.echo_hosts));
		check('icmp: round-trip times min <= avg <= max',
			i.echo_hosts?.every((e) => e.rtt_ms && e.rtt_ms.min <= e.rtt_ms.avg && e.rtt_ms.avg <= e.rtt_ms.max), short(i.echo_hosts));
		const p = (await call(client, 'analyze_sip_packets sip_resp', 'analyze_sip_packets', { path: 'sip.pcap', status: 401 })).structuredContent;
		check('sip: tshark\'s 7 responses, 100 180 200 401 401 503 504',
			p.statistics?.responses === 7 && p.statistics?.requests === 0 &&
			isDeepStrictEqual(p.statistics?.status_codes, { 100: 1, 180: 1, 200: 1, 401: 2, 503: 1, 504: 1 }), short(p.statistics));
		check('sip status 401: the two 401 responses', p.packets_page?.total === 2 && p.packets?.every((x) => x.status_code === 401),
			short(p.packets_page));
		check('protocol analysers (corpus): no transport/protocol errors', s.errors.length === 0, s.errors);
		await client.close();
	} finally {
		rmSync(tmp, { recursive: true, force: true });
	}
});

// ---------------------------------------------------------------------------
// QUIC on a real capture of ../shared/corpus (skipped when absent), read in
// place: the sandbox root is the capture's directory. Expected values from
// tshark 4.0 (tests/mk_quic_expected.sh uses the same fields):
//   tshark -r curl-8.1.2-dev-http3-www-google-de.pcap -Y quic -T fields -e udp.stream
//     -e quic.version -e tls.handshake.extensions_server_name -e tls.handshake.extensions_alpn_str
//     -> one UDP stream (0), version 0x00000001, SNI www.google.de, ALPN h3 offered first
//   (172.17.0.2:34347 -> 64.233.166.94:443)

const quicDir = resolve(corpus, 'zeek/Traces/quic');
const quicName = 'curl-8.1.2-dev-http3-www-google-de.pcap';
await section('analyze_quic (corpus)', async () => {
	if (!existsSync(resolve(quicDir, quicName))) {
		console.log('# analyze_quic (corpus): skipped (no ../shared/corpus)');
		return;
	}
	const s = await connect({ PCAPMCP_ALLOWED_DIR: quicDir });
	const { client } = s;
	const path = quicName;
	const q = (await call(client, 'analyze_quic curl-8.1.2 www.google.de', 'analyze_quic', { path })).structuredContent;
	const c = q.connections?.[0];
	check('analyze_quic (corpus): tshark\'s one connection, v1, SNI www.google.de, ALPN h3',
		q.connections_page?.total === 1 && q.statistics?.total_connections === 1 && c?.version === 'v1' &&
		c?.sni === 'www.google.de' && c?.alpn === 'h3' && c?.client_hello === true, short(c));
	const f = (await call(client, 'analyze_protocol_flows quic (corpus)', 'analyze_protocol_flows', { path, protocol: 'quic' })).structuredContent;
	check('analyze_protocol_flows quic (corpus): that flow, labelled QUIC',
		f.flows_page?.total === 1 && f.flows?.[0]?.label === 'QUIC' && f.flows?.[0]?.client === '172.17.0.2' &&
		f.flows?.[0]?.client_port === 34347 && f.flows?.[0]?.server_port === 443, short(f.flows));
	check('analyze_quic (corpus): no transport/protocol errors', s.errors.length === 0, s.errors);
	await client.close();
});

// ---------------------------------------------------------------------------
// 5. Modern era: raw JSON-RPC lines, no initialize

// Raw JSON-RPC lines over a spawned `serve` (raw.mjs), in captures/.
class Raw extends RawServer {
	constructor(env = {}) {
		super(bin, { PCAPMCP_ALLOWED_DIR: captures, SOURCE_DATE_EPOCH: EPOCH, ...env });
	}
}
const meta = (version = MODERN, extra = {}) => ({
	'io.modelcontextprotocol/protocolVersion': version,
	'io.modelcontextprotocol/clientCapabilities': {},
	'io.modelcontextprotocol/clientInfo': { name: 'pcapmcp-e2e', version: '0.0.1' },
	...extra,
});

await section('modern era', async () => {
	const raw = new Raw();
	const d = await raw.request(1, 'server/discover', { _meta: meta() });
	const dr = d.result ?? {};
	check('server/discover: a result', d.result !== undefined && d.error === undefined, d);
	check('server/discover: resultType complete', dr.resultType === 'complete', dr);
	check('server/discover: supportedVersions has 2026-07-28', Array.isArray(dr.supportedVersions) && dr.supportedVersions.includes(MODERN),
		dr.supportedVersions);
	check('server/discover: capabilities.tools', typeof dr.capabilities === 'object' && !!dr.capabilities?.tools, dr.capabilities);
	check('server/discover: ttlMs number, cacheScope public|private',
		typeof dr.ttlMs === 'number' && dr.ttlMs >= 0 && ['public', 'private'].includes(dr.cacheScope), dr);
	check('server/discover: serverInfo in _meta',
		dr._meta?.['io.modelcontextprotocol/serverInfo']?.name === 'pcapmcp', dr._meta);

	const l = await raw.request(2, 'tools/list', { _meta: meta() });
	const lr = l.result ?? {};
	check('modern tools/list without initialize: a result', l.result !== undefined, l);
	check('modern tools/list: all tools', isDeepStrictEqual(lr.tools?.map((t) => t.name), allNames), lr.tools?.map((t) => t.name));
	check('modern tools/list: resultType complete', lr.resultType === 'complete', lr.resultType);
	check('modern tools/list: ttlMs number, cacheScope string',
		typeof lr.ttlMs === 'number' && typeof lr.cacheScope === 'string', { ttlMs: lr.ttlMs, cacheScope: lr.cacheScope });

	const c = await raw.request(3, 'tools/call', { name: 'analyze_capinfos', arguments: { path: 'loopback-http.pcapng' }, _meta: meta() });
	check('modern tools/call: resultType complete, packet_count 46',
		c.result?.resultType === 'complete' && c.result?.structuredContent?.packet_count === 46, short(c));

	const pl = await raw.request(4, 'prompts/list', { _meta: meta() });
	check('modern prompts/list: 4 prompts, resultType, ttlMs, cacheScope',
		pl.result?.prompts?.length === 4 && pl.result.resultType === 'complete' && typeof pl.result.ttlMs === 'number' &&
		typeof pl.result.cacheScope === 'string', short(pl));
	const rl = await raw.request(5, 'resources/list', { _meta: meta() });
	check('modern resources/list: resultType, ttlMs, cacheScope',
		Array.isArray(rl.result?.resources) && rl.result.resultType === 'complete' && typeof rl.result.ttlMs === 'number' &&
		typeof rl.result.cacheScope === 'string', short(rl));

	const u = await raw.request(6, 'tools/list', { _meta: meta('2099-01-01') });
	check('unsupported version 2099-01-01: error -32022', u.error?.code === -32022 && u.result === undefined, u);
	check('unsupported version: error.data.supported lists 2026-07-28',
		Array.isArray(u.error?.data?.supported) && u.error.data.supported.includes(MODERN), u.error?.data);
	check('unsupported version: error.data.requested echoed', u.error?.data?.requested === '2099-01-01', u.error?.data);

	const noCaps = await raw.request(7, 'tools/list', {
		_meta: { 'io.modelcontextprotocol/protocolVersion': MODERN },
	});
	check('modern: _meta without clientCapabilities: error -32602', noCaps.error?.code === -32602, noCaps);
	const bad = await raw.request(8, 'tools/call', { name: 'nope', arguments: {}, _meta: meta() });
	check('modern: unknown tool: error -32602', bad.error?.code === -32602, bad);
	const after = await raw.request(9, 'server/discover', { _meta: meta() });
	check('modern: still answers after the errors', after.result?.resultType === 'complete', after);

	const nonJson = raw.lines.filter((x) => {
		try {
			return JSON.parse(x)?.jsonrpc !== '2.0';
		} catch {
			return true;
		}
	});
	check('modern: stdout only JSON-RPC lines', nonJson.length === 0, nonJson);
	const r = await raw.close();
	check('modern: exits 0 on stdin EOF', r.code === 0, r);
});

// ---------------------------------------------------------------------------
// 6. Legacy era details the SDK client does not exercise: version
// negotiation, batches only under 2025-03-26, logging/setLevel, cursors

const init = (id, version) => ['initialize', {
	protocolVersion: version, capabilities: {}, clientInfo: { name: 'pcapmcp-e2e', version: '0.0.1' },
}];
await section('legacy era', async () => {
	for (const [asked, want] of [['2024-11-05', '2024-11-05'], ['2025-03-26', '2025-03-26'], ['2025-06-18', '2025-06-18'],
		['2025-11-25', '2025-11-25'], ['1999-01-01', '2025-11-25']]) {
		const raw = new Raw();
		const r = await raw.request(1, ...init(1, asked));
		check(`initialize ${asked}: answers ${want}`, r.result?.protocolVersion === want, r.result?.protocolVersion ?? r);
		if (asked === '2025-03-26') {
			raw.p.stdin.write(JSON.stringify([
				{ jsonrpc: '2.0', method: 'notifications/initialized' },
				{ jsonrpc: '2.0', id: 2, method: 'ping' },
				{ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'analyze_capinfos', arguments: { path: 'loopback-http.pcapng' } } },
			]) + '\n');
			const n = raw.lines.length;
			const p = await raw.request(4, 'ping');
			await raw.until(n, (l) => l.startsWith('['));
			const batch = raw.lines.slice(n).map((l) => JSON.parse(l)).find(Array.isArray);
			check('batch under 2025-03-26: one array with both responses',
				Array.isArray(batch) && batch.length === 2 && batch.some((m) => m.id === 2 && m.result) &&
				batch.some((m) => m.id === 3 && m.result?.structuredContent?.packet_count === 46), raw.lines.slice(n).map((l) => l.slice(0, 200)));
			check('batch under 2025-03-26: ping after it', p.result !== undefined, p);
		}
		if (asked === '2025-11-25') {
			raw.p.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
			const n = raw.lines.length;
			raw.p.stdin.write(JSON.stringify([{ jsonrpc: '2.0', id: 2, method: 'ping' }]) + '\n');
			await raw.request(3, 'ping');
			const got = raw.lines.slice(n).map((l) => JSON.parse(l)).filter((m) => m.id !== 3);
			check('batch under 2025-11-25: one -32600 error',
				got.length === 1 && !Array.isArray(got[0]) && got[0].error?.code === -32600, got);
			const lv = await raw.request(4, 'logging/setLevel', { level: 'warning' });
			check('logging/setLevel warning: {}', lv.result !== undefined && Object.keys(lv.result).length === 0, lv);
			const bl = await raw.request(5, 'logging/setLevel', { level: 'loud' });
			check('logging/setLevel loud: -32602', bl.error?.code === -32602, bl);
			const cur = await raw.request(6, 'tools/list', { cursor: 'not-a-cursor' });
			check('tools/list with an invalid cursor: -32602', cur.error?.code === -32602, short(cur));
			const pg = await raw.request(7, 'prompts/get', { name: 'security_triage' });
			check('prompts/get without the required path: -32602', pg.error?.code === -32602, pg);
			const um = await raw.request(8, 'no/such/method');
			check('unknown method: -32601', um.error?.code === -32601, um);
		}
		const ex = await raw.close();
		check(`initialize ${asked}: exits 0 on EOF`, ex.code === 0, ex);
	}
	// SIGTERM ends the server cleanly.
	const raw = new Raw();
	await raw.request(1, ...init(1, '2025-11-25'));
	raw.p.kill('SIGTERM');
	const t = setTimeout(() => raw.p.kill('SIGKILL'), 5000);
	const ex = await raw.exit;
	clearTimeout(t);
	check('SIGTERM: exits 0', ex.code === 0, ex);
});

clearTimeout(watchdog);
summary('e2e');
