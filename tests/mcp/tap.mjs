// tap.mjs - the check() the MCP tests use: prints "ok - ..." or
// "not ok - ...: detail" and counts, and summary(name) prints the closing
// "NAME: N passed, N failed" line tests/run.sh reads and sets the exit code.
export const counts = { pass: 0, fail: 0 };

export function check(what, cond, detail) {
	if (cond) {
		counts.pass++;
		console.log(`ok - ${what}`);
	} else {
		counts.fail++;
		let d = detail === undefined ? '' : typeof detail === 'string' ? detail : JSON.stringify(detail);
		if (d.length > 600) d = d.slice(0, 600) + '...';
		console.log(`not ok - ${what}${d ? ': ' + d : ''}`);
	}
	return cond;
}

// Print the closing line (with `extra` more failures, e.g. a crash) and exit.
export function summary(name, extra = 0) {
	console.log(`${name}: ${counts.pass} passed, ${counts.fail + extra} failed`);
	process.exit(counts.fail + extra === 0 ? 0 : 1);
}

// JSON of v for a failure message, cut at 400 characters.
export const short = (v) => {
	const s = JSON.stringify(v);
	return s === undefined ? String(v) : s.length > 400 ? s.slice(0, 400) + '...' : s;
};

// Run fn; an exception fails the check named what (and the rest of fn is skipped).
export async function section(what, fn) {
	try {
		await fn();
	} catch (e) {
		check(`${what}: no exception`, false, `${e?.name}: ${e?.message}`);
	}
}
