// The README's screenshots, made from a real recording so they stay
// current: the settings page whose Save answers 403, recorded through the
// extension and shared to a real server; then each screen captured at
// 1280×800 (the popup at its own size) in the light and the dark theme.
//
//   node docs-screenshots.mjs      (from `tests/`; after `cargo xtask build`
//                                   and `cargo build -p repro-server`)
//
// Writes `docs/screenshots/*.png`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, startFixtureSite, startReproServer, launchBrowser, configure, startRecording, untilRecorded } from './e2e/harness.mjs';

const out = join(ROOT, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const site = await startFixtureSite();
const server = await startReproServer();
const browser = await launchBrowser();
await configure(browser.context, browser.id, server.url, server.token);
const env = { site, server, browser };

const shoot = async (page, name, { size = { width: 1280, height: 800 }, themes = ['light', 'dark'] } = {}) => {
  await page.setViewportSize(size);
  for (const colorScheme of themes) {
    await page.emulateMedia({ colorScheme });
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(out, `${name}-${colorScheme}.png`) });
  }
  await page.emulateMedia({ colorScheme: 'light' });
};

try {
  const { page, tabId, popup } = await startRecording(env, '/settings.html');
  await page.bringToFront();
  await page.locator('#display-name').pressSequentially('Grace Hopper');
  await page.locator('#newsletter').check();
  for (let i = 0; i < 3; i++) await page.locator('#save').click();
  await untilRecorded(browser.worker, tabId, (r) => r.console.filter((e) => e.level === 'error').length >= 3, 'the refused saves');
  await page.waitForTimeout(1500);
  await popup.bringToFront();
  await shoot(popup, 'popup-recording', { size: { width: 360, height: 260 } });
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  await popup.getByText(/^Review before sharing: /).waitFor();
  const review = await browser.context.newPage();
  await review.goto(`chrome-extension://${browser.id}/review.html?tab=${tabId}`);
  await review.locator('#diagnosis-list li').first().waitFor();
  await shoot(review, 'review');
  await review.getByRole('button', { name: 'Share report' }).click();
  const link = review.locator('#link[href]');
  await link.waitFor({ timeout: 20000 });
  const href = await link.getAttribute('href');

  const viewer = await browser.context.newPage();
  await viewer.goto(`${href}#t=1.2`);
  await viewer.locator('#steps li').first().waitFor();
  await shoot(viewer, 'viewer');

  // The Markdown issue as text (the server sends it as a download).
  const markdown = await (await fetch(`${href}/issue.md`)).text();
  const issue = await browser.context.newPage();
  await issue.setContent('<pre style="font: 13px/1.45 ui-monospace, monospace; white-space: pre-wrap; margin: 16px"></pre>');
  await issue.locator('pre').evaluate((pre, text) => { pre.textContent = text; }, markdown);
  await shoot(issue, 'issue-markdown', { themes: ['light'] });

  const team = await browser.context.newPage();
  await team.goto(`${server.url}/reports`);
  await team.getByLabel('Upload token').fill(server.token);
  await team.getByRole('button', { name: 'Sign in' }).click();
  await team.getByRole('table').first().waitFor();
  await shoot(team, 'reports');
  console.log(`Screenshots written to ${out}`);
} finally {
  await browser.context.close();
  server.stop();
  site.close();
}
