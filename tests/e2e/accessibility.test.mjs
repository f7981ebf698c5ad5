// Every screen a tester or a developer meets, checked by axe-core (npm,
// pinned) in the real browser: the popup (idle and recording), the
// options, the review step, the mark form, the viewer of a real report,
// and the team's pages (sign-in, reports, admin). None may have a serious
// or critical violation, in the light theme or the dark one.
import { test } from 'node:test';
import { execFileSync } from 'node:child_process';
import { SERVER_BIN, testEnvironment, startRecording, tabIdOf, openPopup } from './harness.mjs';
import { checkAccessibility } from './axe.mjs';

const env = testEnvironment({});
const check = checkAccessibility;

test('no serious or critical accessibility violation on any screen', async () => {
  const { site, server, browser } = env;
  const base = `chrome-extension://${browser.id}`;
  const pages = await browser.context.newPage();
  await pages.goto(`${base}/options.html`);
  await pages.getByLabel('Server URL').waitFor();
  await check('options', pages);
  await pages.getByLabel('Server URL').fill(server.url);
  await pages.getByLabel('Upload token').fill(server.token);
  await pages.getByRole('button', { name: 'Save' }).click();

  const idle = await browser.context.newPage();
  await idle.goto(`${site.url}/settings.html`);
  const idleTab = await tabIdOf(browser.worker, idle);
  const idlePopup = await openPopup(browser.context, browser.id, idleTab);
  await idlePopup.getByRole('button', { name: 'Start recording' }).waitFor();
  await check('popup (not recording)', idlePopup);
  await Promise.all([idlePopup.close(), idle.close()]);

  const { page, tabId, popup } = await startRecording(env, '/settings.html');
  await check('popup (recording)', popup);
  await page.bringToFront();
  await page.locator('#display-name').pressSequentially('Ada');
  await page.locator('#save').click();
  await page.waitForTimeout(500);
  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  await popup.getByText(/^Review before sharing: /).waitFor();
  await check('popup (review)', popup);
  const review = await browser.context.newPage();
  await review.goto(`${base}/review.html?tab=${tabId}`);
  await review.locator('#diagnosis-list li').first().waitFor();
  await check('review', review);
  await review.getByRole('button', { name: 'Share report' }).click();
  const link = review.locator('#link[href]');
  await link.waitFor({ timeout: 20000 });
  const href = await link.getAttribute('href');
  await check('review (shared)', review);

  const mark = await browser.context.newPage();
  await mark.goto(`${base}/mark.html`);
  await mark.getByLabel('Comment').waitFor();
  await check('mark form', mark);

  const viewer = await browser.context.newPage();
  // At 1280 px, with the divider beside the replay (narrower, the panels go under it).
  await viewer.setViewportSize({ width: 1280, height: 800 });
  await viewer.goto(href);
  await viewer.locator('#steps li').first().waitFor();
  await check('viewer', viewer);

  const team = await browser.context.newPage();
  const admin = execFileSync(SERVER_BIN, ['token', 'create', '--admin', '--label', 'lead', '--data', server.data], { encoding: 'utf8' })
    .trim().split('\n').pop();
  await team.goto(`${server.url}/reports`);
  await team.getByLabel('Upload token').waitFor();
  await check('sign-in', team);
  await team.getByLabel('Upload token').fill(admin);
  await team.getByRole('button', { name: 'Sign in' }).click();
  await team.getByRole('table').first().waitFor();
  await check('reports', team);
  await team.goto(`${server.url}/admin`);
  await team.getByRole('button', { name: 'Create token' }).waitFor();
  await check('admin', team);
  await Promise.all([pages, page, popup, review, mark, viewer, team].map((p) => p.close()));
});
