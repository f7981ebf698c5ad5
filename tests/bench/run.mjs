// The recorder benchmark: Repro's recorder (the real built extension, both
// its wasm and its wasm2js build) against rrweb (npm, pinned) on the same
// pages in the same headless Chromium run. Every sample is a fresh tab; the
// recorders take turns within each round. Prints medians (min–max) and the
// ratios to rrweb, and writes everything to bench/results.json.
//
// Then the live dashboard recorded for minutes (both builds), and what
// being installed costs a page that is not recorded; last, every target of
// issue 30 against this run's medians (`targets` in results.json).
//
// Run it with `cargo xtask bench` (which builds the extension first);
// `--quick` takes one sample of each, `--only=NAME` one group (or
// `live dashboard`, `installed`), `--steady-minutes=N` (default 2).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { ROOT, tabIdOf, heapMb } from '../e2e/harness.mjs';
import { startSite } from './site.mjs';
import { RECORDERS, openBenchBrowser } from './recorders.mjs';
import { WORKLOADS, timeWorkload } from './workloads.mjs';
import { summarize, report } from './report.mjs';
import { measureSteady } from './steady.mjs';
import { measureInstalled } from './installed.mjs';
import { targets, targetsTable } from './targets.mjs';
import { busySeconds } from './main_thread.mjs';

const QUICK = process.argv.includes('--quick');
const option = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
/** Minutes of steady recording measured per recorder on the live page. */
const STEADY_MINUTES = Number(option('steady-minutes', QUICK ? 0.25 : 2));
const reps = (n) => (QUICK ? 1 : n);
/**
 * The headline measure's window: the page renderer's main-thread time from
 * just before the recorder is loaded until this long after, Start and the
 * first seconds of recording included (less the same page left idle).
 */
const WHOLE_COST_MS = 4000;
/** The pause after each workload, so that one's deferred work (Repro seals chunks every 500 ms) does not fall into the next. */
const SETTLE_MS = 700;

const GROUPS = [
  { name: 'generated 10k', path: '/gen/10000', recorders: ['none', 'rrweb', 'repro'], workloads: true, reps: reps(5) },
  { name: 'generated 10k, strict CSP (Repro runs its wasm2js build)', path: '/gen/10000?csp', recorders: ['none', 'rrweb', 'repro'], workloads: true, reps: reps(3), csp: true },
  { name: 'generated 1k', path: '/gen/1000', recorders: ['none', 'rrweb', 'repro'], reps: reps(5) },
  // Ten Starts: the long-task target is "none in 10 of 10".
  { name: 'generated 100k', path: '/gen/100000', recorders: ['none', 'rrweb', 'repro'], reps: reps(10) },
  { name: 'generated 100k, strict CSP (Repro runs its wasm2js build)', path: '/gen/100000?csp', recorders: ['none', 'rrweb', 'repro'], reps: reps(3), csp: true },
  { name: 'text-heavy 100k', path: '/text/100000', recorders: ['none', 'rrweb', 'repro'], reps: reps(3) },
  { name: 'fixture index.html', path: '/index.html', recorders: ['rrweb', 'repro'], reps: reps(3) },
  { name: 'fixture privacy.html', path: '/privacy.html', recorders: ['rrweb', 'repro'], reps: reps(3) },
];

async function sample(env, group, recorder) {
  const { context, worker, helper, site } = env;
  const page = await context.newPage();
  await page.goto(`${site.url}${group.path}${group.path.includes('?') ? '&' : '?'}sample=${env.samples++}`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  await cdp.send('Performance.enable');
  const nodes = await page.evaluate(() => {
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
    let count = 1;
    while (walker.nextNode()) count++;
    return count;
  });
  await page.bringToFront();
  await page.waitForTimeout(300);
  const heapBefore = await heapMb(cdp);
  // Everything the recorder costs the page from here on counts: loading
  // it (rrweb's script, Repro's injection and wasm), Start, the snapshot
  // and the first seconds of recording.
  const busyBefore = await busySeconds(cdp);
  const began = Date.now();
  // Tasks of 50 ms or more while the recorder loads and starts (the page itself is idle).
  await page.evaluate(() => {
    window.benchLongTasks = [];
    new PerformanceObserver((list) => window.benchLongTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask' });
  });
  const driver = RECORDERS[recorder];
  if (driver.prepare) await driver.prepare(page);
  const tabId = await tabIdOf(worker, page);
  const ctx = { page, tabId, helper, worker };
  const started = await driver.start(ctx);
  await page.waitForTimeout(Math.max(200, WHOLE_COST_MS - (Date.now() - began)));
  started.wholeCostMs = ((await busySeconds(cdp)) - busyBefore) * 1000;
  started.longestTaskMs = await page.evaluate(() => Math.max(0, ...window.benchLongTasks));
  const result = { nodes, start: started, workloads: {}, workloadsToNextTask: {} };
  if (group.workloads) {
    for (const name of Object.keys(WORKLOADS)) {
      // The ratios use the time to the end of the callbacks; the time to
      // the next task is reported as well.
      const times = await timeWorkload(page, name);
      result.workloads[name] = times.callbacks;
      result.workloadsToNextTask[name] = times.nextTask;
      await page.waitForTimeout(SETTLE_MS);
    }
  }
  result.heapRecordingMb = (await heapMb(cdp)) - heapBefore;
  Object.assign(result, await driver.stop(ctx, started));
  result.heapAfterStopMb = (await heapMb(cdp)) - heapBefore;
  await cdp.detach();
  await page.close();
  return result;
}


async function main() {
  const began = Date.now();
  const loadBefore = os.loadavg();
  const site = await startSite();
  const browser = await openBenchBrowser();
  const env = { context: browser.context, worker: browser.worker, helper: browser.helper, site, samples: 0 };
  const results = [];
  const only = option('only');
  const progress = (line) => process.stderr.write(`${line}\n`);
  for (const group of GROUPS.filter((g) => !only || g.name.includes(only))) {
    const runs = Object.fromEntries(group.recorders.map((r) => [r, []]));
    for (let round = 0; round < group.reps; round++) {
      const order = group.recorders.map((_, i) => group.recorders[(i + round) % group.recorders.length]);
      for (const recorder of order) {
        progress(`${group.name}: round ${round + 1}/${group.reps}, ${recorder}`);
        runs[recorder].push(await sample(env, group, recorder));
      }
    }
    results.push({ group: group.name, path: group.path, runs, summary: summarize(runs) });
  }
  const steady = [];
  if (!only || 'live dashboard'.includes(only)) {
    for (const csp of [false, true]) steady.push(await measureSteady(env, { minutes: STEADY_MINUTES, csp, progress }));
  }
  await browser.context.close();
  site.close();
  let installed;
  if (!only || 'installed'.includes(only)) {
    progress('installed, not recording: the page\'s own requests and console, with and without Repro');
    installed = await measureInstalled({ rounds: QUICK ? 1 : 7 });
  }
  const out = {
    command: `cargo xtask bench${QUICK ? ' -- --quick' : ''}`,
    date: new Date().toISOString(),
    seconds: Math.round((Date.now() - began) / 1000),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), loadBefore, loadAfter: os.loadavg(),
      chromium: execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim(), rrweb: '2.2.2' },
    results,
    steady,
    installed,
  };
  out.targets = targets(out);
  // A quick run's single samples are for trying the bench, not results to keep.
  if (!QUICK) writeFileSync(join(ROOT, 'tests', 'bench', 'results.json'), `${JSON.stringify(out, null, 1)}\n`);
  process.stdout.write(report(out));
  for (const live of out.steady) {
    process.stdout.write(`\n## live dashboard${live.csp ? ', strict CSP (Repro runs its wasm2js build)' : ''}, ${live.minutes} min each\n\n`
      + '| recorder | main-thread ms per minute added to the page\'s own | stored KB per minute (gzip) | heap while recording, MB |\n|---|---|---|---|\n'
      + ['rrweb', 'repro'].map((r) => `| ${r} | ${live.addedMsPerMinute[r].toFixed(0)} (page's own ${live.pageOwnMsPerMinute.toFixed(0)}) | ${(live.runs[r].bytesPerMinute / 1024).toFixed(1)} | ${live.runs[r].heapRecordingMb.toFixed(1)} |`).join('\n')
      + '\n');
  }
  const held = out.targets.filter((t) => t.holds).length;
  process.stdout.write(`\n## Targets (issue 30): ${held} of ${out.targets.length} hold\n\n${targetsTable(out.targets)}\n`);
}

main().catch((error) => { console.error(error); process.exit(1); });
