// The README's screenshots, made from a real recording so they stay
// current: the settings page whose Save answers 403, recorded through the
// extension, with a mark on the Save button, and shared to a real server;
// then each screen captured at 1280×800 (the popup at its own size) in the
// light and the dark theme: options, popup, mark form, review, screenshot
// editor, viewer, issue, reports, admin.
//
//   node docs-screenshots.mjs      (from `tests/`; after `cargo xtask build`
//                                   and `cargo build -p repro-server`)
//
// Writes `docs/screenshots/*.png`.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  ROOT, SERVER_BIN, startFixtureSite, startReproServer, launchBrowser, configure, startRecording, untilRecorded,
} from './e2e/harness.mjs';

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
  const options = await browser.context.newPage();
  await options.goto(`chrome-extension://${browser.id}/options.html`);
  await options.getByLabel('Server URL').waitFor();
  await shoot(options, 'options');
  await options.close();

  const { page, tabId, popup } = await startRecording(env, '/settings.html');
  await page.bringToFront();
  await page.locator('#display-name').pressSequentially('Grace Hopper');
  await page.locator('#newsletter').check();
  for (let i = 0; i < 3; i++) await page.locator('#save').click();
  await untilRecorded(browser.worker, tabId, (r) => r.console.filter((e) => e.level === 'error').length >= 3, 'the refused saves');
  await page.waitForTimeout(1500);
  await popup.bringToFront();
  await shoot(popup, 'popup-recording', { size: { width: 360, height: 260 } });

  // A mark on the Save button: the page with the form open beside it.
  await popup.getByRole('button', { name: 'Mark an element' }).click();
  await page.bringToFront();
  await page.setViewportSize({ width: 1280, height: 800 });
  const save = await page.locator('#save').boundingBox();
  let form;
  for (let i = 0; i < 50 && !form; i++) {
    await page.mouse.move(save.x + save.width / 2, save.y + save.height / 2);
    await page.waitForTimeout(50);
    await page.mouse.click(save.x + save.width / 2, save.y + save.height / 2);
    await page.waitForTimeout(150);
    form = page.frames().find((f) => f.url().endsWith('/mark.html'));
  }
  await form.getByLabel('Comment').fill('Save answers 403 and nothing tells me. Expected: saved.');
  await shoot(page, 'mark-form', { themes: ['light'] });
  await form.getByRole('button', { name: 'Save mark' }).click().catch(() => {});
  await page.waitForTimeout(2000);

  // Stopped with the page in view (as from the toolbar), so the report has its thumbnail.
  await popup.evaluate(() => document.getElementById('stop').click());
  await popup.getByText(/^Review before sharing: /).waitFor();
  const review = await browser.context.newPage();
  await review.goto(`chrome-extension://${browser.id}/review.html?tab=${tabId}`);
  await review.locator('#diagnosis-list li').first().waitFor();
  await review.getByRole('img', { name: 'Screenshot of mark 1' }).waitFor();
  await shoot(review, 'review');
  await review.setViewportSize({ width: 1280, height: 800 });
  await review.getByRole('button', { name: 'Annotate mark 1' }).click();
  const canvas = review.locator('#annotation-canvas');
  const box = await canvas.boundingBox();
  await review.mouse.move(box.x + box.width * 0.03, box.y + box.height * 0.2);
  await review.mouse.down();
  await review.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.33, { steps: 4 });
  await review.mouse.up();
  await shoot(review, 'annotate');
  await review.getByRole('button', { name: 'Save annotations' }).click();
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
  const admin = execFileSync(SERVER_BIN, ['token', 'create', '--admin', '--label', 'lead', '--data', server.data], { encoding: 'utf8' })
    .trim().split('\n').pop();
  await team.getByRole('button', { name: 'Sign out' }).click();
  await team.getByLabel('Upload token').fill(admin);
  await team.getByRole('button', { name: 'Sign in' }).click();
  await team.goto(`${server.url}/admin`);
  await team.getByRole('button', { name: 'Create token' }).waitFor();
  await shoot(team, 'admin');
  console.log(`Screenshots written to ${out}`);
} finally {
  await browser.context.close();
  server.stop();
  site.close();
}
