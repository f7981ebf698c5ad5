// Two builds of the extension measured side by side, to tell whether a
// change helped: each build runs in a headless Chromium of its own, and
// fresh tabs of a generated page take turns between them, so that both see
// the same machine state. Per tab: the snapshot's main-thread time, Start
// to the snapshot stored, each workload of the benchmark (to the end of
// every listener and mutation callback), and the heap while recording.
//
//   node bench/compare.mjs BEFORE_DIR AFTER_DIR [--runs=16] [--nodes=10000] [--csp] [--passes=1]
//
// (from `tests/`; each DIR an unpacked extension such as `../dist/chromium`;
// `--csp` serves the page with a CSP that forbids WebAssembly, so the
// wasm2js build runs; `--passes=N` runs the workloads N times over in each
// tab, the later passes with the recorder's code warm, as bench/warm.mjs
// does). Prints medians (min–max) per build.
import { resolve } from 'node:path';
import { tabIdOf, heapMb, watchSnapshotStored } from '../e2e/harness.mjs';
import { startSite } from './site.mjs';
import { openBenchBrowser } from './recorders.mjs';
import { stats, fmt } from './report.mjs';
import { WORKLOADS, timeWorkload } from './workloads.mjs';

const option = (name, fallback) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? fallback;
const dirs = process.argv.slice(2).filter((a) => !a.startsWith('--'));
if (dirs.length !== 2) {
  console.error('usage: node bench/compare.mjs BEFORE_DIR AFTER_DIR [--runs=16] [--nodes=10000] [--csp] [--passes=1]');
  process.exit(2);
}
const runs = Number(option('runs', 16));
const passes = Number(option('passes', 1));
const site = await startSite();
const url = `${site.url}/gen/${Number(option('nodes', 10000))}?${process.argv.includes('--csp') ? 'csp&' : ''}`;
// Scrolling waits for frames, which a recorder does not change.
const workloads = Object.keys(WORKLOADS).filter((name) => name !== 'scrolling');

async function open(extension) {
  return { ...(await openBenchBrowser({ extension: resolve(extension) })), samples: {} };
}

async function sample(build, round) {
  const note = (name, value) => (build.samples[name] ??= []).push(value);
  const page = await build.context.newPage();
  await page.goto(`${url}round=${round}`);
  await page.bringToFront();
  await page.waitForTimeout(300);
  const cdp = await build.context.newCDPSession(page);
  const heapBefore = await heapMb(cdp);
  const tabId = await tabIdOf(build.worker, page);
  const { ready, stored } = watchSnapshotStored(build.worker);
  await ready;
  const pressed = Date.now();
  await build.helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'start', tab }), tabId);
  const { at, tookMs } = await stored;
  note('snapshot, ms', tookMs);
  note('Start→stored, ms', at - pressed);
  await page.waitForTimeout(300);
  for (let pass = 1; pass <= passes; pass++) {
    // The removal has nothing left to remove after its first pass.
    for (const name of workloads.filter((w) => pass === 1 || w !== 'remove a 1k-node subtree')) {
      note(`${name}${pass > 1 ? `, pass ${pass}` : ''}, ms`, (await timeWorkload(page, name)).callbacks);
      await page.waitForTimeout(700); // the chunk sealed every 500 ms falls here
    }
  }
  note('heap while recording, MB', (await heapMb(cdp)) - heapBefore);
  await build.helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'stop', tab }), tabId);
  await build.helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'discard', tab }), tabId);
  await cdp.detach();
  await page.close();
}

const builds = [await open(dirs[0]), await open(dirs[1])];
for (let round = 0; round < runs; round++) {
  process.stderr.write(`round ${round + 1}/${runs}\n`);
  for (const build of round % 2 ? [builds[1], builds[0]] : builds) await sample(build, round);
}
const shown = (xs) => fmt(stats(xs));
console.log(`| ${runs} tabs each | before: ${dirs[0]} | after: ${dirs[1]} |\n|---|---|---|`);
for (const name of Object.keys(builds[0].samples)) {
  console.log(`| ${name} | ${shown(builds[0].samples[name])} | ${shown(builds[1].samples[name])} |`);
}
for (const build of builds) await build.context.close();
site.close();
