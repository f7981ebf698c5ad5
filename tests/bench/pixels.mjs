// What recording canvas and video pixels costs the page: each page is
// loaded in a fresh tab and left alone (none), recorded by Repro (its
// pixels on, as always), or recorded by rrweb with its canvas recording on
// (`recordCanvas`, sampled at 2 frames a second as Repro looks, WebP at
// 0.8), in turns. Measured from outside, over RECORD_S seconds of steady
// recording (from START_S after Start): the page renderer's main-thread
// busy time (DevTools `TaskDuration`) per second, less the page's own
// alone; and what was stored per second of the whole recording (Repro:
// its chunks; rrweb: its events; both gzipped, snapshot included).
//
//   node bench/pixels.mjs [--quick]      (from `tests/`, after `cargo xtask build`)
//
// Writes bench/pixels-results.json and prints a table.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, tabIdOf, extensionStorage } from '../e2e/harness.mjs';
import { startSite } from './site.mjs';
import { RECORDERS, openBenchBrowser } from './recorders.mjs';
import { stats, fmt } from './report.mjs';
import { busySeconds } from './main_thread.mjs';

const QUICK = process.argv.includes('--quick');
const ROUNDS = QUICK ? 1 : 3;
const RECORD_S = 5;
/** How long after Start the measure begins: it is of steady recording. */
const START_S = 1.5;
const PAGES = [
  { name: 'animated 2D chart (800 × 400, every frame)', path: '/canvas-animated.html' },
  { name: 'Chart.js, drawn once', path: '/lib-chartjs.html' },
  { name: 'WebGL scene (480 × 300, every frame)', path: '/webgl.html' },
  { name: 'playing video (400 × 300)', path: '/video.html' },
];

const rrwebCanvas = {
  prepare: RECORDERS.rrweb.prepare,
  start: async ({ page }) => {
    await page.evaluate(() => {
      window.benchEvents = [];
      window.benchStop = window.rrweb.record({
        emit: (event) => window.benchEvents.push(event),
        recordCanvas: true,
        sampling: { canvas: 2 },
        dataURLOptions: { type: 'image/webp', quality: 0.8 },
      });
    });
    return {};
  },
  stop: RECORDERS.rrweb.stop,
};

const repro = {
  start: RECORDERS.repro.start,
  stop: async ({ tabId, helper, worker }, started) => {
    await helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'stop', tab }), tabId);
    const all = await extensionStorage(worker);
    const chunks = Object.keys(all).filter((key) => key.startsWith(`chunk:${started.session}:`)).sort().map((key) => all[key]);
    await helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'discard', tab }), tabId);
    const frames = chunks.flatMap((c) => JSON.parse(c).events ?? []).filter((e) => e.type === 'pixels').length;
    return { gzipBytes: gzipSync(`[${chunks.join(',')}]`).length, frames };
  },
};

const DRIVERS = { none: RECORDERS.none, repro, 'rrweb (recordCanvas)': rrwebCanvas };

const site = await startSite();
const browser = await openBenchBrowser();
const { context, worker, helper } = browser;
const runs = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const spec of PAGES) {
    for (const [recorder, driver] of Object.entries(DRIVERS)) {
      const page = await context.newPage();
      await page.setViewportSize({ width: 1000, height: 700 });
      await page.goto(`${site.url}${spec.path}`);
      await page.bringToFront();
      await page.waitForTimeout(1500);
      if (driver.prepare) await driver.prepare(page);
      const cdp = await context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const tabId = await tabIdOf(worker, page);
      const ctx = { page, tabId, helper, worker };
      const started = await driver.start(ctx);
      // Steady recording: the start (injection, the snapshot) is over.
      await page.waitForTimeout(START_S * 1000);
      const before = await busySeconds(cdp);
      await page.waitForTimeout(RECORD_S * 1000);
      const busy = (await busySeconds(cdp)) - before;
      const stopped = await driver.stop(ctx, started);
      runs.push({ page: spec.name, recorder, busyMsPerS: (busy * 1000) / RECORD_S, bytesPerS: (stopped.gzipBytes ?? 0) / (RECORD_S + START_S), frames: stopped.frames });
      await page.close();
    }
  }
}

const rows = [];
for (const spec of PAGES) {
  const of = (recorder) => runs.filter((r) => r.page === spec.name && r.recorder === recorder);
  const idle = stats(of('none').map((r) => r.busyMsPerS));
  for (const recorder of Object.keys(DRIVERS).filter((r) => r !== 'none')) {
    const mine = of(recorder);
    rows.push({
      page: spec.name,
      recorder,
      idleBusyMsPerS: idle,
      addedBusyMsPerS: stats(mine.map((r) => r.busyMsPerS - (idle?.median ?? 0))),
      storedKbPerS: stats(mine.map((r) => r.bytesPerS / 1024)),
      frames: stats(mine.filter((r) => r.frames !== undefined).map((r) => r.frames)),
    });
  }
}
console.log(`| page | recorder | page alone: main-thread ms/s | added by recording: ms/s | stored KB/s (gzip) | Repro frames in ${RECORD_S + START_S} s |\n|---|---|---|---|---|---|`);
for (const r of rows) {
  console.log(`| ${r.page} | ${r.recorder} | ${fmt(r.idleBusyMsPerS)} | ${fmt(r.addedBusyMsPerS)} | ${fmt(r.storedKbPerS)} | ${r.frames ? fmt(r.frames) : '–'} |`);
}
if (!QUICK) {
  writeFileSync(join(ROOT, 'tests', 'bench', 'pixels-results.json'), `${JSON.stringify({
    command: 'node bench/pixels.mjs (from tests/)', at: new Date().toISOString(), recordSeconds: RECORD_S, rounds: ROUNDS, runs, rows,
  }, null, 2)}\n`);
}
await context.close();
site.close();
