// The page renderer's main-thread busy time, as DevTools counts it: the
// measure of what a recorder costs the page as a whole.

/** Seconds of main-thread tasks so far in `cdp`'s page (`Performance.enable` first). */
export async function busySeconds(cdp) {
  const { metrics } = await cdp.send('Performance.getMetrics');
  return metrics.find((m) => m.name === 'TaskDuration').value;
}
