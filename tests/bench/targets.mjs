// The performance targets (issue 30), each checked against one benchmark
// run's medians: Repro against rrweb 2.2.2 in the same browser run, and
// the installed-but-not-recording cost against a browser without Repro.

const WHOLE = 'whole cost: loading, Start and 4 s of recording (main-thread time over the idle page)';
const MUTATIONS = ['append 10k nodes', '1k attribute changes', '1k text changes', 'remove a 1k-node subtree', '1k input events', 'framework re-render (500 rows)'];
const LONG_TASK_MS = 50;

/**
 * Every target as `{ target, limit, value, holds }` (`value` a ratio, or a
 * count for the long tasks; `holds` false when it was not measured).
 */
export function targets(out) {
  const group = (prefix) => out.results.find((r) => r.group === prefix);
  const ratioOf = (name, key) => group(name)?.summary.ratios[key];
  const rows = [];
  const shown = (limit) => (limit === 1 / 3 ? '⅓' : String(limit));
  const atMost = (target, limit, value) => rows.push({ target, limit: `≤ ${shown(limit)}`, value, holds: value !== undefined && Number.isFinite(value) && value <= limit });
  const csp = (size) => `generated ${size}, strict CSP (Repro runs its wasm2js build)`;

  atMost('whole cost of Start, 10k page', 0.25, ratioOf('generated 10k', WHOLE));
  atMost('whole cost of Start, 100k page', 0.25, ratioOf('generated 100k', WHOLE));
  atMost('whole cost of Start, 10k page, strict-CSP build', 0.5, ratioOf(csp('10k'), WHOLE));
  atMost('whole cost of Start, 100k page, strict-CSP build', 0.5, ratioOf(csp('100k'), WHOLE));
  for (const workload of MUTATIONS) {
    const key = `${workload}: time over the page's own`;
    atMost(`${workload}, 10k page`, 0.25, ratioOf('generated 10k', key));
    atMost(`${workload}, 10k page, strict-CSP build`, 0.5, ratioOf(csp('10k'), key));
  }
  for (const steady of out.steady ?? []) {
    const build = steady.csp ? ', strict-CSP build' : '';
    atMost(`steady recording of a live page: main-thread time per minute${build}`, steady.csp ? 0.5 : 0.25, steady.ratios['main-thread time per minute']);
    atMost(`steady recording of a live page: stored bytes per minute${build}`, 0.5, steady.ratios['stored bytes per minute']);
    atMost(`heap while recording a live page${build}`, 1 / 3, steady.ratios['heap while recording']);
  }
  atMost('stored bytes, generated 10k page', 0.5, ratioOf('generated 10k', 'gzipped session bytes'));
  atMost('stored bytes, generated 100k page', 0.5, ratioOf('generated 100k', 'gzipped session bytes'));
  atMost('stored bytes, text-heavy 100k page', 0.5, ratioOf('text-heavy 100k', 'gzipped session bytes'));
  atMost('heap while recording, 10k page', 1 / 3, ratioOf('generated 10k', 'heap while recording'));
  atMost('heap while recording, 100k page', 1 / 3, ratioOf('generated 100k', 'heap while recording'));
  atMost('heap while recording, 10k page, strict-CSP build', 1 / 3, ratioOf(csp('10k'), 'heap while recording'));

  const starts = group('generated 100k')?.runs.repro ?? [];
  const long = starts.filter((run) => run.start.longestTaskMs >= LONG_TASK_MS).length;
  rows.push({ target: `Starts on the 100k page with a task of ${LONG_TASK_MS} ms or more`, limit: `0 of ${starts.length} (10 wanted)`, value: long, holds: starts.length >= 10 && long === 0 });

  for (const [workload, result] of Object.entries(out.installed ?? {})) {
    atMost(`installed, not recording: the page's ${workload}, against no Repro`, 1.1, result.ratio);
  }
  return rows;
}

/** The targets as a Markdown table. */
export function targetsTable(rows) {
  const value = (v) => (v === undefined ? 'not measured' : Number.isInteger(v) ? String(v) : v.toFixed(2));
  return [
    '| target | limit | measured | holds |',
    '|---|---|---|---|',
    ...rows.map((r) => `| ${r.target} | ${r.limit} | ${value(r.value)} | ${r.holds ? 'yes' : '**no**'} |`),
  ].join('\n');
}
