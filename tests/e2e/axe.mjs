// The accessibility check the browser tests share: axe-core (npm, pinned)
// run in the real browser, in the light theme and in the dark one.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './harness.mjs';

const AXE = readFileSync(join(ROOT, 'tests', 'node_modules', 'axe-core', 'axe.min.js'), 'utf8');

/**
 * The serious and critical violations axe finds on `page` (or a frame), in
 * words. The library is evaluated as an expression through the DevTools
 * protocol, which the pages' strict policies allow (nothing is added to them).
 */
async function violations(target) {
  await target.evaluate(AXE);
  return target.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'] });
    return result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/**
 * Fail unless `target` (a page or a frame) has no serious or critical
 * violation in the light theme and in the dark one (following the system,
 * as the pages do).
 */
export async function checkAccessibility(name, target) {
  const page = typeof target.page === 'function' ? target.page() : target;
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    const found = await violations(target);
    assert.deepEqual(found, [], `${name} (${colorScheme}):\n${found.join('\n')}`);
  }
  await page.emulateMedia({ colorScheme: 'light' });
}
