// One CPU profile of Repro on a page (not part of the suite), printing the
// functions with the most self time:
//   node bench/profile.mjs [nodes]          the Start on a generated page
//   node bench/profile.mjs --live [SECONDS] steady recording of the live dashboard
import { tabIdOf, watchSnapshotStored } from '../e2e/harness.mjs';
import { startSite } from './site.mjs';
import { openBenchBrowser } from './recorders.mjs';

const live = process.argv.includes('--live');
const number = Number(process.argv.find((a) => /^\d+$/.test(a)));
const nodes = live ? 0 : number || 100000;
const site = await startSite();
const browser = await openBenchBrowser();
const { helper } = browser;
const page = await browser.context.newPage();
await page.goto(live ? `${site.url}/live` : `${site.url}/gen/${nodes}`);
await page.bringToFront();
await page.waitForTimeout(500);
const cdp = await browser.context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
const tabId = await tabIdOf(browser.worker, page);
const { ready, stored } = watchSnapshotStored(browser.worker);
await ready;
if (!live) await cdp.send('Profiler.start');
await helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'start', tab }), tabId);
const { tookMs } = await stored;
if (live) {
  await page.waitForTimeout(3000);
  await cdp.send('Profiler.start');
  await page.waitForTimeout((number || 20) * 1000);
}
const { profile } = await cdp.send('Profiler.stop');
const self = new Map();
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = profile.timeDeltas;
profile.samples.forEach((id, i) => {
  const n = byId.get(id);
  const f = n.callFrame;
  const name = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}:${f.lineNumber}`;
  self.set(name, (self.get(name) ?? 0) + (dt[i] ?? 0) / 1000);
});
const total = [...self.values()].reduce((a, b) => a + b, 0);
console.log(live ? `live dashboard, ${number || 20} s of steady recording; profiled ${total.toFixed(0)} ms` : `snapshot took_ms ${tookMs.toFixed(0)}; profiled ${total.toFixed(0)} ms`);
for (const [name, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
}
await helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'stop', tab }), tabId);
await browser.context.close();
site.close();
