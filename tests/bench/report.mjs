// Medians (min–max) of the benchmark's samples and the ratios to rrweb, as
// JSON for results.json and as the text the command prints.

const median = (xs) => {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
/** Median, min and max of `xs` (`undefined` when empty). */
export const stats = (xs) => (xs.length ? { median: median(xs), min: Math.min(...xs), max: Math.max(...xs) } : undefined);

/** Every numeric metric of the runs, flattened to `a.b` names. */
function metrics(run, prefix = '', out = {}) {
  for (const [key, value] of Object.entries(run)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'number') out[name] = value;
    else if (value && typeof value === 'object') metrics(value, name, out);
  }
  return out;
}

/** Per recorder, per metric: median, min, max; plus the ratios of Repro to rrweb. */
export function summarize(runs) {
  const byRecorder = {};
  for (const [recorder, samples] of Object.entries(runs)) {
    const flat = samples.map((s) => metrics(s));
    const names = new Set(flat.flatMap((f) => Object.keys(f)));
    byRecorder[recorder] = Object.fromEntries([...names].map((name) => [name, stats(flat.map((f) => f[name]).filter((v) => v !== undefined))]));
  }
  const m = (recorder, name) => byRecorder[recorder]?.[name]?.median;
  const ratio = (a, b) => (a !== undefined && b ? a / b : undefined);
  const overIdle = (recorder) => (m('none', 'start.wholeCostMs') === undefined ? undefined : m(recorder, 'start.wholeCostMs') - m('none', 'start.wholeCostMs'));
  const ratios = {
    'whole cost: loading, Start and 4 s of recording (main-thread time over the idle page)': ratio(overIdle('repro'), overIdle('rrweb')),
    'full snapshot (main-thread time)': ratio(m('repro', 'start.snapshotMs'), m('rrweb', 'start.snapshotMs')),
    'Start pressed to snapshot stored, vs rrweb snapshot': ratio(m('repro', 'start.startToStoredMs'), m('rrweb', 'start.snapshotMs')),
    'gzipped session bytes': ratio(m('repro', 'gzipBytes'), m('rrweb', 'gzipBytes')),
    'heap while recording': ratio(m('repro', 'heapRecordingMb'), m('rrweb', 'heapRecordingMb')),
  };
  const workloads = Object.keys(byRecorder.repro || {}).filter((n) => n.startsWith('workloads.'));
  for (const name of workloads) {
    const base = m('none', name);
    if (base === undefined) continue;
    ratios[`${name.slice(10)}: time over the page's own`] = ratio(m('repro', name) - base, m('rrweb', name) - base);
  }
  return { byRecorder, ratios };
}

/** Stats as `median (min–max)`. */
export const fmt = (s) => (s ? `${s.median.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : '–');

/** The text report. */
export function report(out) {
  const lines = [`Repro recorder vs rrweb ${out.machine.rrweb}, ${out.machine.chromium}, ${out.machine.cpus} CPUs, load ${out.machine.loadBefore.map((l) => l.toFixed(2)).join(' ')}; ${out.seconds} s`];
  for (const { group, summary } of out.results) {
    lines.push('', `## ${group}`);
    const recorders = Object.keys(summary.byRecorder);
    const names = [...new Set(recorders.flatMap((r) => Object.keys(summary.byRecorder[r])))].sort();
    lines.push(`| metric | ${recorders.join(' | ')} |`, `|---|${recorders.map(() => '---').join('|')}|`);
    for (const name of names) lines.push(`| ${name} | ${recorders.map((r) => fmt(summary.byRecorder[r][name])).join(' | ')} |`);
    lines.push('', '| Repro / rrweb (medians) | ratio |', '|---|---|');
    for (const [name, value] of Object.entries(summary.ratios)) if (value !== undefined) lines.push(`| ${name} | ${value.toFixed(2)} |`);
  }
  return `${lines.join('\n')}\n`;
}
