// The server's team pages in the browser: a tester signs in with the upload
// token, finds the report just shared, searches, sets its status and
// filters on it, and deletes it; an admin
// creates a token (shown once) and revokes it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { testEnvironment, startRecording, stopAndShare, SERVER_BIN, launchBrowser } from './harness.mjs';

const env = testEnvironment({});

test('a tester finds, searches and deletes a report on the reports page', async () => {
  const { server, browser } = env;
  const { page, popup } = await startRecording(env, '/?team-pages');
  await page.locator('#name').pressSequentially('team');
  const { href, bundle } = await stopAndShare(popup);

  const reports = await browser.context.newPage();
  // The server's address alone leads to the reports page.
  await reports.goto(`${server.url}/`);
  assert.equal(new URL(reports.url()).pathname, '/reports');
  await reports.getByLabel('Upload token').fill(server.token);
  await reports.getByRole('button', { name: 'Sign in' }).click();
  const row = reports.locator('#reports tr', { has: reports.locator(`a[href="/r/${href.split('/r/')[1]}"]`) });
  await row.waitFor();
  assert.match(await row.textContent(), new RegExp(bundle.title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));

  await reports.getByLabel('Title or URL').fill('team-pages');
  await reports.getByRole('button', { name: 'Search' }).click();
  await reports.getByText('1 report', { exact: true }).waitFor();
  await reports.getByLabel('Title or URL').fill('no-such-page');
  await reports.getByRole('button', { name: 'Search' }).click();
  await reports.getByText('0 reports', { exact: true }).waitFor();

  // Where the team is with it: a status the list filters on.
  await reports.goto(`${server.url}/reports`);
  await row.getByRole('combobox', { name: /^Status of / }).selectOption('In progress');
  await row.getByRole('button', { name: 'Set' }).click();
  await reports.getByLabel('Status', { exact: true }).selectOption('In progress');
  await reports.getByRole('button', { name: 'Search' }).click();
  await row.waitFor();
  assert.equal(await row.getByRole('combobox', { name: /^Status of / }).inputValue(), 'in_progress');
  await reports.getByLabel('Status', { exact: true }).selectOption('Fixed');
  await reports.getByRole('button', { name: 'Search' }).click();
  await reports.getByText('0 reports', { exact: true }).waitFor();

  await reports.goto(`${server.url}/reports`);
  await row.getByRole('button', { name: 'Delete' }).click();
  await row.waitFor({ state: 'detached' });
  assert.equal((await fetch(href)).status, 404, 'the deleted report\'s link is gone');
});

test('an admin creates a token, sees it once, and revokes it', async () => {
  const { server, browser } = env;
  const out = execFileSync(SERVER_BIN, ['token', 'create', '--admin', '--label', 'lead', '--data', server.data], { encoding: 'utf8' });
  const admin = out.trim().split('\n').pop();
  const page = await browser.context.newPage();
  await page.goto(`${server.url}/admin`);
  await page.getByLabel('Upload token').fill(admin);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByLabel('Label (the tester\'s name)').fill('carol');
  await page.getByRole('button', { name: 'Create token' }).click();
  const created = await page.locator('#new-token').textContent();
  assert.match(created, /^repro_[0-9a-f]{32}$/);
  await page.goto(`${server.url}/admin`);
  assert.ok(!(await page.content()).includes(created), 'a token is shown only once');
  const carol = page.locator('#tokens tr', { hasText: 'carol' });
  await carol.getByRole('button', { name: 'Revoke' }).click();
  await page.locator('#tokens tr', { hasText: 'carol' }).getByText('revoked').waitFor();
  const upload = await fetch(`${server.url}/api/reports`, {
    method: 'POST', headers: { authorization: `Bearer ${created}`, 'content-type': 'application/json' }, body: '{}',
  });
  assert.equal(upload.status, 401, 'a revoked token cannot upload');
});

test('a form on another site can sign the browser neither in (with its own token) nor out', async () => {
  const { server, site } = env;
  // A browser of its own: the tests before signed the shared one in.
  const browser = await launchBrowser();
  const attacker = execFileSync(SERVER_BIN, ['token', 'create', '--data', server.data, '--label', 'mallory'], { encoding: 'utf8' })
    .trim().split('\n').pop();
  const reports = await browser.context.newPage();
  await reports.goto(`${server.url}/reports`);
  // The sign-in page was opened, so its check cookie is in the browser.
  const signedIn = async () => {
    await reports.goto(`${server.url}/reports`);
    const text = await reports.locator('body').textContent();
    return text.match(/Signed in as ([^.]*)\./)?.[1] ?? null;
  };
  assert.equal(await signedIn(), null);
  const post = async (path, fields) => {
    const other = await browser.context.newPage();
    await other.goto(`${site.url}/second.html`);
    await Promise.all([
      other.waitForNavigation(),
      other.evaluate(({ action, fields }) => {
        const form = document.createElement('form');
        form.method = 'post';
        form.action = action;
        for (const [name, value] of Object.entries(fields)) {
          const input = document.createElement('input');
          input.name = name;
          input.value = value;
          form.append(input);
        }
        document.body.append(form);
        form.submit();
      }, { action: `${server.url}${path}`, fields }),
    ]);
    await other.close();
  };
  await post('/sign-in', { token: attacker, next: '/reports', check: 'guessed' });
  assert.equal(await signedIn(), null, 'another site signed the browser in with its token');

  await reports.getByLabel('Upload token').fill(server.token);
  await reports.getByRole('button', { name: 'Sign in' }).click();
  assert.notEqual(await signedIn(), null, 'the page itself signs in');
  const holder = await signedIn();
  await post('/sign-out', {});
  assert.equal(await signedIn(), holder, 'another site signed the browser out');
  await browser.context.close();
});
