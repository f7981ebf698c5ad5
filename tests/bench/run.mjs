// The recorder benchmark: Repro's recorder (the real built extension, both
// its wasm and its wasm2js build) against rrweb (npm, pinned) on the same
// pages in the same headless Chromium run. Every sample is a fresh tab; the
// recorders take turns within each round. Prints medians (min–max) and the
// ratios to rrweb, and writes everything to bench/results.json.
//
// Run it with `cargo xtask bench` (which builds the extension first).
import { createServer } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { ROOT, launchBrowser, configure, tabIdOf, fixtureFile, wasmMemoryBytes, watchSnapshotStored } from '../e2e/harness.mjs';
import { generatedPage } from './pages.mjs';
import { WORKLOADS } from './workloads.mjs';
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

const RRWEB = readFileSync(join(ROOT, 'tests', 'node_modules', 'rrweb', 'dist', 'rrweb.umd.min.cjs'));
const pages = new Map();

function startSite() {
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://bench');
    const csp = url.searchParams.has('csp') ? { 'content-security-policy': "script-src 'self'" } : {};
    if (url.pathname === '/rrweb.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(RRWEB);
    }
    const generated = url.pathname.match(/^\/gen\/(\d+)$/);
    if (generated) {
      const nodes = Number(generated[1]);
      if (!pages.has(nodes)) pages.set(nodes, generatedPage(nodes));
      res.writeHead(200, { 'content-type': 'text/html', ...csp });
      return res.end(pages.get(nodes));
    }
    const file = fixtureFile(url.pathname.slice(1));
    if (!file) { res.writeHead(404); return res.end(); }
    res.writeHead(200, { 'content-type': file.type, ...csp });
    res.end(file.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
    url: `http://127.0.0.1:${server.address().port}`, close: () => server.close(),
  })));
}

/** JS heap, ArrayBuffer backing stores and wasm memories after a full GC, in MB. */
async function heapMb(cdp) {
  await cdp.send('HeapProfiler.collectGarbage');
  const usage = await cdp.send('Runtime.getHeapUsage');
  return (usage.usedSize + (usage.backingStorageSize || 0) + await wasmMemoryBytes(cdp)) / 1e6;
}

const RECORDERS = {
  none: {
    start: async () => ({}),
    stop: async () => ({}),
  },
  rrweb: {
    prepare: (page) => page.addScriptTag({ url: '/rrweb.js' }),
    start: async ({ page }) => ({
      // Started from a task of the page's own, so that the long-task
      // observer sees it as the page would.
      snapshotMs: await page.evaluate(() => new Promise((resolve) => setTimeout(() => {
        window.benchEvents = [];
        const started = performance.now();
        window.benchStop = window.rrweb.record({ emit: (event) => window.benchEvents.push(event) });
        resolve(performance.now() - started);
      }, 0))),
    }),
    stop: async ({ page }) => {
      const json = await page.evaluate(() => {
        window.benchStop();
        const text = JSON.stringify(window.benchEvents);
        window.benchEvents = null;
        window.benchStop = null;
        return text;
      });
      return { gzipBytes: gzipSync(json).length };
    },
  },
  repro: {
    start: async ({ tabId, helper, worker }) => {
      // Resolves when the first chunk holding the snapshot is in extension
      // storage, with the main-thread time the recorder's walk took (the sum
      // of its slices).
      const { ready, stored } = watchSnapshotStored(worker);
      await ready;
      const pressed = Date.now();
      await helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'start', tab }), tabId);
      const { at, tookMs } = await stored;
      const session = await worker.evaluate(async (tab) => JSON.parse((await chrome.storage.local.get(`session:${tab}`))[`session:${tab}`]), tabId);
      return { snapshotMs: tookMs, startToStoredMs: at - pressed, session: session.id, build: session.environment?.recorder_build };
    },
    stop: async ({ tabId, helper, worker }, started) => {
      await helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'stop', tab }), tabId);
      const chunks = await worker.evaluate(async (id) => {
        const all = await chrome.storage.local.get(null);
        return Object.keys(all).filter((key) => key.startsWith(`chunk:${id}:`)).sort().map((key) => all[key]);
      }, started.session);
      await helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'discard', tab }), tabId);
      return { gzipBytes: gzipSync(`[${chunks.join(',')}]`).length };
    },
  },
};

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
    for (const [name, work] of Object.entries(WORKLOADS)) {
      // The page's work and every recorder's listeners and mutation
      // callbacks: the observers of both worlds are called in the microtask
      // queued at the first change, before this function goes on. Then on
      // to the next task, which may or may not include a rendering step
      // (style and layout of what was added), depending on whether a frame
      // fell due meanwhile: reported, but not what the ratios use.
      const times = await page.evaluate(async (source) => {
        const began = performance.now();
        await (0, eval)(`(${source})`)();
        await new Promise((resolve) => queueMicrotask(resolve));
        const callbacks = performance.now() - began;
        await new Promise((resolve) => setTimeout(resolve, 0));
        return { callbacks, nextTask: performance.now() - began };
      }, work.toString());
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
  const browser = await launchBrowser();
  // No server is needed: recordings stop in review and are discarded. The
  // pre-roll hook is off so that no page but Repro's own samples carries it.
  await configure(browser.context, browser.id, 'http://127.0.0.1:9', 'unused', { preRoll: false });
  const helper = await browser.context.newPage();
  await helper.goto(`chrome-extension://${browser.id}/options.html`);
  const env = { context: browser.context, worker: browser.worker, helper, site, samples: 0 };
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
