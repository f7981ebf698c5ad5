// A trace of one Start on a generated page (not part of the suite): the
// page renderer's main-thread tasks from the start message to the
// snapshot stored, summed by trace event (inclusive, so nested events
// count in their parents too): where a Start's fixed cost goes (script
// evaluation, wasm compilation, messaging) beside the walk.
//
//   node bench/trace_start.mjs [nodes]      (from `tests/`, after `cargo xtask build`; default 1000)
import { tabIdOf, watchSnapshotStored } from '../e2e/harness.mjs';
import { startSite } from './site.mjs';
import { openBenchBrowser } from './recorders.mjs';
const nodes = Number(process.argv[2] ?? 1000);
const site = await startSite();
const browser = await openBenchBrowser();
const page = await browser.context.newPage();
await page.goto(`${site.url}/gen/${nodes}`);
await page.bringToFront();
await page.waitForTimeout(500);
const cdp = await browser.context.newCDPSession(page);
const tabId = await tabIdOf(browser.worker, page);
const events = [];
cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
const done = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: ['devtools.timeline', 'v8', 'v8.wasm', 'disabled-by-default-devtools.timeline', 'blink'] } });
const { ready, stored } = watchSnapshotStored(browser.worker);
await ready;
await browser.helper.evaluate((tab) => chrome.runtime.sendMessage({ kind: 'start', tab }), tabId);
const { tookMs } = await stored;
await page.waitForTimeout(300);
await cdp.send('Tracing.end');
await done;
// The renderer main thread of the page: the CrRendererMain thread with the most time in complete events.
const names = new Map(events.filter((e) => e.name === 'thread_name').map((e) => [`${e.pid}:${e.tid}`, e.args?.name]));
const busy = new Map();
for (const e of events) if (e.ph === 'X' && names.get(`${e.pid}:${e.tid}`) === 'CrRendererMain') busy.set(`${e.pid}:${e.tid}`, (busy.get(`${e.pid}:${e.tid}`) ?? 0) + e.dur);
const key = [...busy].sort((a, b) => b[1] - a[1])[0][0];
const mine = events.filter((e) => `${e.pid}:${e.tid}` === key && e.ph === 'X');
const top = (name) => mine.filter((e) => e.name === name).reduce((a, e) => a + e.dur, 0) / 1000;
const total = top('ThreadControllerImpl::RunTask') || top('RunTask');
const sum = new Map();
for (const e of mine) sum.set(e.name, (sum.get(e.name) ?? 0) + e.dur / 1000);
console.log(`walk ${tookMs.toFixed(0)} ms; main-thread tasks ${total.toFixed(1)} ms; events by name (inclusive ms):`);
for (const [n, ms] of [...sum].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${ms.toFixed(1).padStart(8)}  ${n}`);
await browser.context.close(); site.close();
