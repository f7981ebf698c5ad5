// Main-thread tasks of a page from a Chromium performance trace, with the
// time the extension's own scripts ran in each (its listeners, timers,
// message handlers and mutation callbacks), so a test can hold the tasks the
// recorder causes to a budget apart from the page's own work.

/** Run `work` while tracing `page`; resolves to its main-thread tasks `{ ms, extensionMs }`. */
export async function traceTasks(context, page, work) {
  const cdp = await context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', ({ value }) => events.push(...value));
  const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
  await cdp.send('Tracing.start', {
    traceConfig: { includedCategories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'] },
    transferMode: 'ReportEvents',
  });
  await work();
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  return mainThreadTasks(events, page.url());
}

function mainThreadTasks(events, url) {
  const started = events.find((e) => e.name === 'TracingStartedInBrowser');
  const frames = started?.args?.data?.frames || [];
  const frame = frames.find((f) => !f.parent && f.url === url) || frames.find((f) => !f.parent);
  const main = events.find((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain' && (!frame || e.pid === frame.processId));
  if (!main) throw new Error('no renderer main thread in the trace');
  const mine = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  const tasks = outermost(mine.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'));
  const calls = mine.filter((e) => e.name === 'FunctionCall').sort((a, b) => a.ts - b.ts);
  let next = 0;
  return tasks.map((task) => {
    const end = task.ts + task.dur;
    while (next < calls.length && calls[next].ts < task.ts) next++;
    let extension = 0;
    let outerEnd = -1;
    for (; next < calls.length && calls[next].ts <= end; next++) {
      const call = calls[next];
      if (call.ts < outerEnd) continue; // nested in a call already counted
      outerEnd = call.ts + call.dur;
      if ((call.args?.data?.url || '').startsWith('chrome-extension://')) extension += call.dur;
    }
    return { ms: task.dur / 1000, extensionMs: extension / 1000 };
  });
}

/** The events not nested in another of them, in time order. */
function outermost(events) {
  const sorted = events.sort((a, b) => a.ts - b.ts || b.dur - a.dur);
  const out = [];
  for (const event of sorted) {
    const last = out[out.length - 1];
    if (!last || event.ts >= last.ts + last.dur) out.push(event);
  }
  return out;
}
