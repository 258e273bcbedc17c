// SPDX-License-Identifier: MIT
// schema.mjs BINARY - every tool's outputSchema from `BINARY serve`'s
// tools/list, compiled by a standard JSON Schema 2020-12 validator in strict
// mode (ajv: new Ajv2020({strict: true, allErrors: true})), checked against
// every tool's result on every capture in captures/ and on a deterministic
// sample of ../shared/corpus (skipped when absent), with default arguments
// and with limit/top/top_k at their maximum; then every required member of
// a result (top level and one level down) is deleted in turn and the schema
// must reject what is left.
//
// Prints "ok - ..." / "not ok - ..." lines and ends with
// "schema: N passed, M failed"; exits 1 when a check failed.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

import Ajv2020 from 'ajv/dist/2020.js';
import { check, summary } from './tap.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
const bin = resolve(process.argv[2] ?? resolve(root, 'build', 'pcapmcp'));
const corpus = resolve(root, '..', 'shared', 'corpus');
const SAMPLE = 40;       // corpus captures checked
const MAX_BYTES = 8 << 20; // corpus captures larger than this are left out (speed)

const short = (v) => {
	const s = JSON.stringify(v);
	return s === undefined ? String(v) : s.length > 400 ? s.slice(0, 400) + '...' : s;
};

const watchdog = setTimeout(() => {
	console.log('not ok - finished within 600 s (watchdog)');
	summary('schema', 1);
}, 600000);
watchdog.unref();

// The captures: captures/, then every Nth pcap and pcapng file of the corpus manifest.
function captureFiles() {
	const files = readdirSync(resolve(root, 'captures'))
		.filter((f) => /\.(pcap|pcapng)$/.test(f))
		.sort()
		.map((f) => resolve(root, 'captures', f));
	const manifest = resolve(corpus, 'MANIFEST.tsv');
	if (!existsSync(manifest)) {
		console.log('# corpus: skipped (no ../shared/corpus/MANIFEST.tsv)');
		return { files, fromCorpus: 0 };
	}
	const byFormat = new Map();
	for (const line of readFileSync(manifest, 'utf8').split('\n').slice(1)) {
		const [path, , , , size, , format] = line.split('\t');
		if (!path || !/^pcap/.test(format ?? '') || Number(size) > MAX_BYTES) continue;
		if (!existsSync(resolve(corpus, path))) continue;
		const kind = format.startsWith('pcapng') ? 'pcapng' : 'pcap';
		if (!byFormat.has(kind)) byFormat.set(kind, []);
		byFormat.get(kind).push(path);
	}
	// A third from pcapng (when there are so many), the rest pcap, evenly spaced.
	const pick = (list, n) => {
		list.sort();
		if (list.length <= n) return list;
		const out = [];
		for (let i = 0; i < n; i++) out.push(list[Math.floor((i * list.length) / n)]);
		return out;
	};
	const ng = pick(byFormat.get('pcapng') ?? [], Math.floor(SAMPLE / 3));
	const pc = pick(byFormat.get('pcap') ?? [], SAMPLE - ng.length);
	// And captures that carry members the even sample may miss: top_talkers[].names.
	const named = ['wireshark-2013/test/captures/dns+icmp.pcapng'].filter(
		(p) => existsSync(resolve(corpus, p)) && !pc.includes(p) && !ng.includes(p));
	const sample = [...pc, ...ng, ...named].map((p) => resolve(corpus, p));
	return { files: [...files, ...sample], fromCorpus: sample.length };
}

// A JSON-RPC session over one `serve` process: send a request, await its response.
function startServer() {
	const child = spawn(bin, ['serve'], {
		env: { ...process.env, PCAPMCP_ALLOWED_DIR: '/', SOURCE_DATE_EPOCH: '1700000000' },
		stdio: ['pipe', 'pipe', 'ignore'],
	});
	const waiting = new Map();
	let next = 1;
	createInterface({ input: child.stdout }).on('line', (line) => {
		let msg;
		try {
			msg = JSON.parse(line);
		} catch {
			return;
		}
		const w = waiting.get(msg.id);
		if (w) {
			waiting.delete(msg.id);
			w(msg);
		}
	});
	const request = (method, params) =>
		new Promise((res) => {
			const id = next++;
			waiting.set(id, res);
			child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
		});
	return { child, request };
}

// The object branch of a member's schema (nullable members are anyOf [X, null]).
function objectBranch(s) {
	if (s?.type === 'object' && s.properties) return s;
	for (const b of s?.anyOf ?? []) if (b.type === 'object' && b.properties) return b;
	return null;
}

// Paths (arrays of keys/indexes) of every required member, top level and one level down.
function requiredPaths(schema, value) {
	const ok = schema.anyOf?.[0];
	const out = [];
	for (const k of ok?.required ?? []) {
		out.push([k]);
		const sub = ok.properties[k];
		const v = value[k];
		let obj = objectBranch(sub);
		if (obj && v && typeof v === 'object' && !Array.isArray(v)) {
			for (const k2 of obj.required) out.push([k, k2]);
		}
		const items = objectBranch(sub?.items);
		if (items && Array.isArray(v) && v.length > 0) {
			for (const k2 of items.required) out.push([k, 0, k2]);
		}
	}
	return out;
}

function without(value, path) {
	const copy = structuredClone(value);
	let o = copy;
	for (let i = 0; i < path.length - 1; i++) o = o[path[i]];
	delete o[path[path.length - 1]];
	return copy;
}

const { child, request } = startServer();
let validated = 0, rejected = 0, errorsValidated = 0;
const filesSeen = new Set();
try {
	const init = await request('initialize', {
		protocolVersion: '2025-06-18',
		capabilities: {},
		clientInfo: { name: 'schema.mjs', version: '1' },
	});
	check('initialize answers', init.result?.protocolVersion !== undefined, init);
	child.stdin.write(JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) + '\n');
	const list = await request('tools/list', {});
	const tools = list.result?.tools ?? [];
	check('tools/list lists tools', tools.length > 0, list);

	const ajv = new Ajv2020({ strict: true, allErrors: true });
	const validate = new Map();
	for (const t of tools) {
		try {
			validate.set(t.name, ajv.compile(t.outputSchema));
			ajv.compile(t.inputSchema);
			check(`${t.name}: input and output schemas compile in strict mode`, true);
		} catch (e) {
			check(`${t.name}: input and output schemas compile in strict mode`, false, e.message);
		}
		check(`${t.name}: outputSchema is an object with type "object"`, t.outputSchema?.type === 'object');
	}

	const capTools = tools.filter((t) => 'path' in (t.inputSchema?.properties ?? {}));
	const maxArgs = (t) => {
		const a = {};
		for (const k of ['limit', 'top', 'top_k']) if (k in t.inputSchema.properties) a[k] = t.inputSchema.properties[k].maximum;
		return a;
	};
	// The largest successful result of each tool, for the removal checks.
	const richest = new Map();
	const { files, fromCorpus } = captureFiles();
	console.log(`# ${files.length} captures (${fromCorpus} from the corpus), ${capTools.length} capture tools`);

	const call = async (t, args) => {
		const r = await request('tools/call', { name: t.name, arguments: args });
		return r.result?.structuredContent;
	};
	const validateOne = (t, sc, what) => {
		const v = validate.get(t.name);
		if (!v) return false;
		const good = v(sc);
		if (!good) {
			check(`${what}: validates`, false, short({ errors: v.errors?.slice(0, 5), result: sc }));
			return false;
		}
		return true;
	};

	for (const file of files) {
		// Arguments that make the filtered tools return something: the first flow's ends.
		const sum = await call({ name: 'get_pcap_summary' }, { path: file, top: 1 });
		const flow = sum?.top_flows?.[0];
		const tcp = (await call({ name: 'analyze_protocol_flows' }, { path: file, protocol: 'tcp', limit: 1 }))?.flows?.[0];
		const required = {
			port: flow?.server_port ?? 80,
			ip: flow?.server ?? '192.0.2.1',
			protocol: flow?.label && flow.label !== 'unknown' ? flow.label : 'tcp',
			server_ip: tcp?.server ?? flow?.server ?? '192.0.2.1',
		};
		let allGood = true;
		for (const t of capTools) {
			const base = { path: file };
			for (const k of t.inputSchema.required ?? []) if (k !== 'path') base[k] = required[k];
			for (const args of [base, { ...base, ...maxArgs(t) }]) {
				const sc = await call(t, args);
				if (sc === undefined) {
					check(`${t.name} ${file}: structuredContent`, false, args);
					allGood = false;
					continue;
				}
				if (!validateOne(t, sc, `${t.name} ${short(args)}`)) {
					allGood = false;
					continue;
				}
				if (sc.ok) {
					validated++;
					const size = JSON.stringify(sc).length;
					if (!richest.has(t.name) || richest.get(t.name).size < size) richest.set(t.name, { size, sc });
				} else {
					errorsValidated++;
				}
			}
		}
		filesSeen.add(file);
		check(`every capture tool's result on ${file.replace(root + '/', '')} validates`, allGood);
	}

	// get_info and an error result of each tool validate too.
	for (const t of tools) {
		if (!capTools.includes(t)) {
			// Tools without a capture get the arguments they require.
			const sample = { enrich_ip: { ip: '8.8.8.8' }, correlate: { ips: '8.8.8.8 10.0.0.1', sort_by_score: true } };
			const sc = await call(t, sample[t.name] ?? {});
			if (validateOne(t, sc, `${t.name} ${short(sample[t.name] ?? {})}`) && sc.ok) {
				validated++;
				richest.set(t.name, { size: 0, sc });
			}
			continue;
		}
		const args = { path: 'no/such/file.pcap' };
		for (const k of t.inputSchema.required ?? []) if (k !== 'path') args[k] = k === 'port' ? 80 : 'tcp';
		const sc = await call(t, args);
		check(`${t.name}: an error result (path_not_found) validates`,
			sc?.ok === false && sc.error === 'path_not_found' && validate.get(t.name)?.(sc), sc);
	}

	// Deleting any required member must make the schema reject the result.
	for (const t of tools) {
		const best = richest.get(t.name);
		if (!check(`${t.name}: a successful result to mutate`, best !== undefined)) continue;
		const paths = requiredPaths(t.outputSchema, best.sc);
		let missed = [];
		for (const p of paths) {
			if (validate.get(t.name)(without(best.sc, p))) missed.push(p.join('.'));
			else rejected++;
		}
		check(`${t.name}: each of ${paths.length} required members, deleted, is rejected`, missed.length === 0 && paths.length > 0, missed);
	}
	console.log(`# validated ${validated} successful results (${capTools.length} tools x ${filesSeen.size} captures x 2 argument sets, plus get_info) and ${errorsValidated} error results; ${rejected} deletions rejected`);
} catch (e) {
	check('no exception', false, `${e?.name}: ${e?.message}`);
} finally {
	child.stdin.end();
}
summary('schema');
