// One CPU profile of Repro's snapshot of a generated page (not part of the
// suite): node bench/profile.mjs [nodes]; prints the functions with the most
// self time while the recorder starts.
import { tabIdOf, watchSnapshotStored } from '../e2e/harness.mjs';
import { startSite } from './site.mjs';
import { openBenchBrowser } from './recorders.mjs';

const nodes = Number(process.argv[2] ?? 100000);
const site = await startSite();
const browser = await openBenchBrowser();
const { helper } = browser;
const page = await browser.context.newPage();
await page.goto(`${site.url}/gen/${nodes}`);
await page.bringToFront();
await page.waitForTimeout(500);
const cdp = await browser.context.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
const tabId = await tabIdOf(browser.worker, page);
const { ready, stored } = watchSnapshotStored(browser.worker);
await ready;
await cdp.send('Profiler.start');
await helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'start', tab }), tabId);
const { tookMs } = await stored;
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
console.log(`snapshot took_ms ${tookMs.toFixed(0)}; profiled ${total.toFixed(0)} ms`);
for (const [name, ms] of [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 30)) {
  console.log(`${ms.toFixed(1).padStart(8)} ms  ${name}`);
}
await helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'stop', tab }), tabId);
await browser.context.close();
site.close();
