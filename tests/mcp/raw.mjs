// SPDX-License-Identifier: MIT
// raw.mjs - RawServer: a spawned `BINARY serve` spoken to in raw JSON-RPC
// lines, for the checks the SDK client cannot make (modern era, batches,
// timing). Responses are matched by id, so they may arrive in any order.
import { spawn } from 'node:child_process';

export class RawServer {
	// env is added to process.env; the child's stderr is kept in this.stderr.
	constructor(bin, env = {}) {
		this.p = spawn(bin, ['serve'], {
			env: { ...process.env, ...env },
			stdio: ['pipe', 'pipe', 'pipe'],
		});
		this.buf = '';
		this.lines = [];
		this.stderr = '';
		this.waiters = new Map();
		this.listeners = []; // called with every parsed message
		this.exit = new Promise((res) => this.p.on('exit', (code, sig) => {
			this.exitedAt = performance.now();
			res({ code, sig });
		}));
		this.p.stderr.on('data', (b) => (this.stderr += b.toString('utf8')));
		this.p.stdin.on('error', () => {});
		this.p.stdout.on('data', (b) => {
			this.buf += b.toString('utf8');
			let i;
			while ((i = this.buf.indexOf('\n')) >= 0) {
				const line = this.buf.slice(0, i);
				this.buf = this.buf.slice(i + 1);
				this.lines.push(line);
				let m;
				try {
					m = JSON.parse(line);
				} catch {
					continue;
				}
				for (const f of this.listeners) f(m);
				if (m && m.id !== undefined && this.waiters.has(m.id)) {
					this.waiters.get(m.id)(m);
					this.waiters.delete(m.id);
				}
			}
		});
	}
	// Write one message line without waiting for anything.
	send(msg) {
		this.p.stdin.write(JSON.stringify(msg) + '\n');
	}
	// Send a request; resolves with its response (rejects after ms without one).
	request(id, method, params, ms = 20000) {
		const msg = { jsonrpc: '2.0', id, method };
		if (params !== undefined) msg.params = params;
		return new Promise((res, rej) => {
			const t = setTimeout(() => {
				this.waiters.delete(id);
				rej(new Error(`no response to ${method} id ${id} within ${ms / 1000} s`));
			}, ms);
			this.waiters.set(id, (m) => {
				clearTimeout(t);
				res(m);
			});
			this.send(msg);
		});
	}
	// Wait until a line from index `from` on satisfies pred; false after ms.
	async until(from, pred, ms = 20000) {
		for (const t0 = Date.now(); Date.now() - t0 < ms; await new Promise((res) => setTimeout(res, 10))) {
			if (this.lines.slice(from).some(pred)) return true;
		}
		return false;
	}
	// Close stdin and wait for the exit (SIGKILL after 5 s).
	async close() {
		this.p.stdin.end();
		const t = setTimeout(() => this.p.kill('SIGKILL'), 5000);
		const r = await this.exit;
		clearTimeout(t);
		return r;
	}
}
