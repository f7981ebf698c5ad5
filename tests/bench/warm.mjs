// The benchmark's workloads run three times over in the same tab, with no
// recorder, rrweb and Repro: the first pass is what `cargo xtask bench`
// measures (each recorder's code still cold: compiled and optimized as it
// is first used), the later passes what a recorder costs once it is warm.
// Not part of the benchmark, which keeps to one pass per tab and to its
// ten minutes.
//
//   node bench/warm.mjs [--runs=5] [--csp]
//
// (from `tests/`, after `cargo xtask build`; `--csp` serves the page with a
// CSP that forbids WebAssembly, so that Repro runs its wasm2js build).
// Prints medians (min–max) per recorder and pass, and Repro's ratio to
// rrweb of the time over the page's own.
import { tabIdOf } from '../e2e/harness.mjs';
import { startSite } from './site.mjs';
import { RECORDERS, openBenchBrowser } from './recorders.mjs';
import { stats, fmt } from './report.mjs';
import { WORKLOADS, timeWorkload } from './workloads.mjs';

const PASSES = 3;
const runs = Number(process.argv.find((a) => a.startsWith('--runs='))?.slice(7) ?? 5);
const path = process.argv.includes('--csp') ? '/gen/10000?csp' : '/gen/10000?';
// The removal has nothing left to remove after its first pass, and
// scrolling waits for frames, which a recorder does not change.
const workloads = Object.keys(WORKLOADS).filter((name) => !['remove a 1k-node subtree', 'scrolling'].includes(name));
const recorders = ['none', 'rrweb', 'repro'];

const site = await startSite();
const browser = await openBenchBrowser();
const { helper } = browser;
/** `recorder|workload|pass` → ms. */
const times = new Map();

async function sample(recorder, round) {
  const page = await browser.context.newPage();
  await page.goto(`${site.url}${path}&round=${round}`);
  await page.bringToFront();
  await page.waitForTimeout(300);
  const driver = RECORDERS[recorder];
  if (driver.prepare) await driver.prepare(page);
  const ctx = { page, tabId: await tabIdOf(browser.worker, page), helper, worker: browser.worker };
  const started = await driver.start(ctx);
  await page.waitForTimeout(300);
  for (let pass = 1; pass <= PASSES; pass++) {
    for (const name of workloads) {
      const key = `${recorder}|${name}|${pass}`;
      times.set(key, [...(times.get(key) ?? []), (await timeWorkload(page, name)).callbacks]);
      await page.waitForTimeout(700); // Repro seals a chunk every 500 ms
    }
  }
  await driver.stop(ctx, started);
  await page.close();
}

for (let round = 0; round < runs; round++) {
  process.stderr.write(`round ${round + 1}/${runs}\n`);
  for (let i = 0; i < recorders.length; i++) await sample(recorders[(i + round) % recorders.length], round);
}
await browser.context.close();
site.close();

const median = (xs) => stats(xs).median;
const shown = (xs) => fmt(stats(xs));
console.log(`| ${path}, ${runs} tabs each | pass | ${recorders.join(' | ')} | Repro / rrweb over the page's own |`);
console.log(`|---|---|${recorders.map(() => '---|').join('')}---|`);
for (const name of workloads) {
  for (let pass = 1; pass <= PASSES; pass++) {
    const of = (recorder) => times.get(`${recorder}|${name}|${pass}`);
    const base = median(of('none'));
    const ratio = (median(of('repro')) - base) / (median(of('rrweb')) - base);
    console.log(`| ${name} | ${pass} | ${recorders.map((r) => shown(of(r))).join(' | ')} | ${ratio.toFixed(2)} |`);
  }
}
