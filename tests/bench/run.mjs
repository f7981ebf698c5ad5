// The recorder benchmark: Repro's recorder (the real built extension, both
// its wasm and its wasm2js build) against rrweb (npm, pinned) on the same
// pages in the same headless Chromium run. Every sample is a fresh tab; the
// recorders take turns within each round. Prints medians (min–max) and the
// ratios to rrweb, and writes everything to bench/results.json.
//
// Run it with `cargo xtask bench` (which builds the extension first).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { ROOT, tabIdOf, heapMb } from '../e2e/harness.mjs';
import { startSite } from './site.mjs';
import { RECORDERS, openBenchBrowser } from './recorders.mjs';
import { WORKLOADS, timeWorkload } from './workloads.mjs';
import { summarize, report } from './report.mjs';

const QUICK = process.argv.includes('--quick');
const reps = (n) => (QUICK ? 1 : n);
/** The pause after each workload, so that one's deferred work (Repro seals chunks every 500 ms) does not fall into the next. */
const SETTLE_MS = 700;

const GROUPS = [
  { name: 'generated 10k', path: '/gen/10000', recorders: ['none', 'rrweb', 'repro'], workloads: true, reps: reps(5) },
  { name: 'generated 10k, strict CSP (Repro runs its wasm2js build)', path: '/gen/10000?csp', recorders: ['none', 'rrweb', 'repro'], workloads: true, reps: reps(3) },
  { name: 'generated 1k', path: '/gen/1000', recorders: ['rrweb', 'repro'], reps: reps(5) },
  { name: 'generated 100k', path: '/gen/100000', recorders: ['rrweb', 'repro'], reps: reps(3) },
  { name: 'fixture index.html', path: '/index.html', recorders: ['rrweb', 'repro'], reps: reps(3) },
  { name: 'fixture privacy.html', path: '/privacy.html', recorders: ['rrweb', 'repro'], reps: reps(3) },
];

async function sample(env, group, recorder) {
  const { context, worker, helper, site } = env;
  const page = await context.newPage();
  await page.goto(`${site.url}${group.path}${group.path.includes('?') ? '&' : '?'}sample=${env.samples++}`);
  const cdp = await context.newCDPSession(page);
  await cdp.send('HeapProfiler.enable');
  const nodes = await page.evaluate(() => {
    const walker = document.createTreeWalker(document, NodeFilter.SHOW_ALL);
    let count = 1;
    while (walker.nextNode()) count++;
    return count;
  });
  await page.bringToFront();
  await page.waitForTimeout(300);
  const heapBefore = await heapMb(cdp);
  const driver = RECORDERS[recorder];
  if (driver.prepare) await driver.prepare(page);
  const tabId = await tabIdOf(worker, page);
  const ctx = { page, tabId, helper, worker };
  // Tasks of 50 ms or more while the recorder starts (the page itself is idle).
  await page.evaluate(() => {
    window.benchLongTasks = [];
    new PerformanceObserver((list) => window.benchLongTasks.push(...list.getEntries().map((e) => e.duration)))
      .observe({ type: 'longtask' });
  });
  const started = await driver.start(ctx);
  await page.waitForTimeout(200);
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
  const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);
  for (const group of GROUPS.filter((g) => !only || g.name.includes(only))) {
    const runs = Object.fromEntries(group.recorders.map((r) => [r, []]));
    for (let round = 0; round < group.reps; round++) {
      const order = group.recorders.map((_, i) => group.recorders[(i + round) % group.recorders.length]);
      for (const recorder of order) {
        process.stderr.write(`${group.name}: round ${round + 1}/${group.reps}, ${recorder}\n`);
        runs[recorder].push(await sample(env, group, recorder));
      }
    }
    results.push({ group: group.name, path: group.path, runs, summary: summarize(runs) });
  }
  await browser.context.close();
  site.close();
  const out = {
    command: `cargo xtask bench${QUICK ? ' -- --quick' : ''}`,
    date: new Date().toISOString(),
    seconds: Math.round((Date.now() - began) / 1000),
    machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memoryGb: Math.round(os.totalmem() / 2 ** 30), loadBefore, loadAfter: os.loadavg(),
      chromium: execFileSync('/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim(), rrweb: '2.2.2' },
    results,
  };
  writeFileSync(join(ROOT, 'tests', 'bench', 'results.json'), `${JSON.stringify(out, null, 1)}\n`);
  process.stdout.write(report(out));
}

main().catch((error) => { console.error(error); process.exit(1); });
