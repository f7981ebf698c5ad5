// A recording becomes steps a person can follow and a diagnosis: the
// field typed into and the button clicked, named as a person names them,
// repeated clicks folded, each a moment of the replay; and the classic
// case said on its own: Save answered 403 three times, a console error
// each time, and the page showed nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { testEnvironment, startRecording, fetchBundle, untilRecorded, ROOT } from './harness.mjs';

const env = testEnvironment({});

test('the viewer lists the steps and the diagnosis: Save clicked 3×, each answered 403, a console error, no change shown', async () => {
  const { page, tabId, popup } = await startRecording(env, '/settings.html');
  await page.bringToFront();
  await page.locator('#display-name').pressSequentially('Grace Hopper');
  await page.locator('#newsletter').check();
  for (let i = 0; i < 3; i++) await page.locator('#save').click();
  await untilRecorded(env.browser.worker, tabId, (r) => r.events.filter((e) => e.type === 'click').length >= 3
    && r.console.filter((e) => e.args[0] === 'Save failed with status 403').length === 3, 'the three clicks and their errors');
  // The tester sees the diagnosis before sharing, on the review page.
  await popup.bringToFront();
  await popup.getByRole('button', { name: 'Stop recording' }).click();
  await popup.getByText(/^Review before sharing: /).waitFor();
  const review = await env.browser.context.newPage();
  await review.goto(`chrome-extension://${env.browser.id}/review.html?tab=${tabId}`);
  await review.locator('#diagnosis-list li').first().waitFor();
  const told = await review.locator('#diagnosis-list li').allTextContents();
  assert.equal(told[0], 'POST /api/settings answered 403 (3 times) after the step: Clicked \u201cSave changes\u201d 3×', told.join('\n'));
  await review.getByRole('button', { name: 'Share report' }).click();
  const link = review.locator('#link[href]');
  await link.waitFor({ timeout: 20000 });
  const href = await link.getAttribute('href');
  const bundle = await fetchBundle(href);
  await Promise.all([page.close(), popup.close(), review.close()]);
  const clicks = bundle.events.filter((e) => e.type === 'click');
  assert.deepEqual(clicks.map((e) => e.label), ['Email me the newsletter', 'Save changes', 'Save changes', 'Save changes'], 'each click names its control (a button by its text, not its icon)');
  assert.ok(!JSON.stringify(bundle.events).includes('Grace Hopper'), 'what was typed stays masked');

  const viewer = await env.browser.context.newPage();
  await viewer.goto(href);
  const steps = viewer.locator('#steps li .message');
  await steps.first().waitFor();
  const lines = await steps.allTextContents();
  assert.deepEqual(lines.slice(1), [
    'Entered 12 characters into \u201cDisplay name\u201d',
    'Checked \u201cEmail me the newsletter\u201d',
    'Clicked \u201cSave changes\u201d 3×',
  ], lines.join('\n'));
  assert.match(lines[0], /^Opened http:\/\/127\.0\.0\.1:\d+\/settings\.html$/);
  const findings = await viewer.locator('#diagnosis li .message').allTextContents();
  assert.deepEqual(findings, [
    'POST /api/settings answered 403 (3 times) after the step: Clicked \u201cSave changes\u201d 3×',
    'The page showed no change after POST /api/settings answered 403: no error was shown to the tester',
  ].concat(findings.slice(2)), findings.join('\n'));
  assert.ok(findings[2].startsWith('Console error (3 times) after the step: Clicked \u201cSave changes\u201d 3×: \u201cSave failed with status 403\u201d, at '), findings[2]);
  assert.ok(findings[2].includes('/settings.html:') && !findings[2].includes('extension://'), `the page's own first frame: ${findings[2]}`);
  assert.match(findings[3] ?? '', /^Clicked \u201cSave changes\u201d 3 times in \d+\.\d s: the tester expected something to happen$/);
  // A step is a moment of the replay.
  await viewer.locator('#steps li', { hasText: 'Clicked' }).click();
  const clock = await viewer.locator('#timeline').inputValue();
  assert.equal(Number(clock), clicks.find((e) => e.label === 'Save changes').t, 'clicking the step seeks to its first click');
  await viewer.close();
  shared = href;
});

/** The share link of the recording above. */
let shared;

test('the report as a Markdown issue: the steps, the 403, the request and moments linking into the replay', async () => {
  assert.ok(shared, 'the recording above was shared');
  const response = await fetch(`${shared}/issue.md`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type'), /^text\/markdown/);
  const md = await response.text();
  const moment = (text) => new RegExp(`\\[\\d:\\d\\d\\.\\d\\]\\(${shared.replace(/[.]/g, '\\.')}#t=\\d+\\.\\d\\) ${text}`);
  assert.match(md, /^# POST \/api\/settings answered 403 \(3 times\) after the step: Clicked “Save changes” 3×\n/, md);
  assert.match(md, moment('Entered 12 characters into “Display name”'), md);
  assert.match(md, moment('Clicked “Save changes” 3×'), md);
  assert.match(md, moment('The page showed no change after POST /api/settings answered 403'), md);
  assert.match(md, /\| POST http:\/\/127\.0\.0\.1:\d+\/api\/settings \| 403 \|/, md);
  assert.ok(md.includes('Save failed with status 403'), md);
  assert.ok(md.includes(`Replay: ${shared} `), md);
  assert.ok(!md.includes('Grace Hopper'), 'what was typed stays masked');
  const prompt = await (await fetch(`${shared}/prompt.md`)).text();
  assert.ok(prompt.includes(`${shared}/playwright.spec.ts`) && prompt.includes('/mcp') && prompt.includes(md.slice(0, 200)), prompt.slice(0, 600));
});

test('the viewer opens at a linked moment, copies the issue and opens a prefilled new issue on GitHub and GitLab', async () => {
  assert.ok(shared, 'the recording above was shared');
  const { context } = env.browser;
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
  // The forges are not reachable from here: their pages are answered locally.
  const opened = [];
  await context.route(/^https:\/\/(github\.com|git\.acme\.test)\//, (route) => { opened.push(route.request().url()); return route.fulfill({ body: 'new issue form' }); });
  const viewer = await context.newPage();
  try {
    const { duration_ms: duration } = await fetchBundle(shared);
    const seconds = Math.floor(duration / 200) / 10;
    assert.ok(seconds > 0, `a moment inside the recording (${duration} ms)`);
    await viewer.goto(`${shared}#t=${seconds}`);
    await viewer.locator('#steps li').first().waitFor();
    assert.equal(await viewer.locator('#timeline').inputValue(), String(Math.round(seconds * 1000)), 'a link to a moment opens there');
    assert.equal(await viewer.locator('#play').textContent(), 'Play', 'paused');
    const issue = await (await fetch(`${shared}/issue.md`)).text();
    await viewer.getByRole('button', { name: 'Copy issue (Markdown)' }).click();
    await viewer.getByText('Issue copied as Markdown.').waitFor();
    assert.equal(await viewer.evaluate(() => navigator.clipboard.readText()), issue);

    await viewer.getByRole('textbox', { name: /Issue repository/ }).fill('acme/shop');
    const [github] = await Promise.all([context.waitForEvent('page'), viewer.getByRole('button', { name: 'New GitHub issue' }).click()]);
    await github.waitForURL(/^https:\/\/github\.com\//);
    const url = new URL(github.url());
    assert.equal(url.origin + url.pathname, 'https://github.com/acme/shop/issues/new');
    assert.equal(url.searchParams.get('title'), 'POST /api/settings answered 403 (3 times) after the step: Clicked \u201cSave changes\u201d 3×');
    assert.equal(url.searchParams.get('body'), issue, 'the whole issue, when it fits a link');
    assert.equal(await github.evaluate(() => window.opener), null, 'the forge cannot reach back into the viewer');
    await github.close();

    await viewer.getByRole('textbox', { name: /Issue repository/ }).fill('https://git.acme.test/team/shop');
    const [gitlab] = await Promise.all([context.waitForEvent('page'), viewer.getByRole('button', { name: 'New GitLab issue' }).click()]);
    await gitlab.waitForURL(/^https:\/\/git\.acme\.test\//);
    const lab = new URL(gitlab.url());
    assert.equal(lab.pathname, '/team/shop/-/issues/new');
    assert.equal(lab.searchParams.get('issue[description]'), issue);
    await gitlab.close();
    // The repository typed is remembered in this browser.
    await viewer.reload();
    await viewer.locator('#steps li').first().waitFor();
    assert.equal(await viewer.getByRole('textbox', { name: /Issue repository/ }).inputValue(), 'https://git.acme.test/team/shop');
    await viewer.getByRole('textbox', { name: /Issue repository/ }).fill('not a repository');
    await viewer.getByRole('button', { name: 'New GitHub issue' }).click();
    await viewer.getByText("\u201cnot a repository\u201d is not a repository: type owner/name, or the repository's address").waitFor();
    assert.equal(opened.length, 2, opened.join('\n'));
  } finally {
    await context.unroute(/^https:\/\/(github\.com|git\.acme\.test)\//);
    await viewer.close();
  }
});

/** Run a Playwright Test file with Debian's Chromium against `baseURL`; its exit code and output. */
async function runPlaywrightTest(spec, baseURL) {
  const dir = join(ROOT, 'tests', 'output', `playwright-${process.pid}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'report.spec.ts'), spec);
  writeFileSync(join(dir, 'playwright.config.mjs'), `export default {
  testDir: '.', workers: 1, retries: 0, timeout: 60000, reporter: 'line', outputDir: 'results',
  use: { baseURL: ${JSON.stringify(baseURL)}, headless: true, launchOptions: { executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] } },
};\n`);
  try {
    return await new Promise((resolve) => {
      execFile(join(ROOT, 'tests', 'node_modules', '.bin', 'playwright'), ['test', '--config', join(dir, 'playwright.config.mjs')],
        { cwd: dir, timeout: 120000, env: { ...process.env, CI: '1', FORCE_COLOR: '0' } },
        (error, stdout, stderr) => resolve({ code: error ? (error.code ?? 1) : 0, output: `${stdout}\n${stderr}` }));
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the generated Playwright test fails on the broken app naming the 403 and its request, and passes once it is fixed', async () => {
  assert.ok(shared, 'the recording above was shared');
  const response = await fetch(`${shared}/playwright.spec.ts`);
  assert.equal(response.status, 200);
  const spec = await response.text();
  assert.ok(spec.includes("find(page, \"textbox\", \"Display name\", \"#display-name\").fill(TYPED[\"Display name\"])"), spec);
  assert.ok(spec.includes('for (let i = 0; i < 3; i++) await find(page, "button", "Save changes", "#save").click();'), spec);
  assert.ok(spec.includes('"Display name": "TODO: the 12 characters typed into “Display name”"'), 'a masked value is a named placeholder');
  try {
    const broken = await runPlaywrightTest(spec, env.site.url);
    assert.notEqual(broken.code, 0, `it fails while the bug is there:\n${broken.output}`);
    assert.match(broken.output, /POST \/api\/settings answered 403/, broken.output);
    assert.match(broken.output, /console error: Save failed with status 403/, broken.output);
    env.site.fixSettings();
    const fixed = await runPlaywrightTest(spec, env.site.url);
    assert.equal(fixed.code, 0, `it passes once fixed:\n${fixed.output}`);
    assert.match(fixed.output, /1 passed/, fixed.output);
  } finally {
    env.site.fixSettings(false);
  }
});

/** An MCP client of the official TypeScript SDK, connected to the server's `/mcp` with `token` (or none). */
async function mcpClient(token) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  const transport = new StreamableHTTPClientTransport(new URL(`${env.server.url}/mcp`), { requestInit: { headers } });
  const client = new Client({ name: 'repro-e2e', version: '1.0.0' });
  await client.connect(transport);
  return client;
}

test('a coding agent reads the report through MCP: tools listed, the report, its console and network; nothing without a token', async () => {
  assert.ok(shared, 'the recording above was shared');
  await assert.rejects(mcpClient(null), /401|Unauthorized|needs an upload token/i, 'no token, no answer');
  await assert.rejects(mcpClient('not-a-token'), /401|Unauthorized|unknown or revoked/i);
  const client = await mcpClient(env.server.token);
  try {
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    for (const name of ['list_reports', 'get_report', 'get_console', 'get_network', 'get_marks', 'get_dom_at', 'get_screenshot', 'get_har', 'get_playwright_test']) {
      assert.ok(names.includes(name), `${name} in ${names}`);
    }
    const json = (result) => { assert.ok(!result.isError, result.content?.[0]?.text); return JSON.parse(result.content[0].text); };
    const listed = json(await client.callTool({ name: 'list_reports', arguments: { text: 'settings' } }));
    assert.ok(listed.reports.some((r) => r.link === shared), JSON.stringify(listed));
    const report = json(await client.callTool({ name: 'get_report', arguments: { id: shared } }));
    assert.deepEqual(report.steps.slice(1).map((s) => s.step), ['Entered 12 characters into \u201cDisplay name\u201d', 'Checked \u201cEmail me the newsletter\u201d', 'Clicked \u201cSave changes\u201d 3×']);
    assert.equal(report.diagnosis[0].finding, 'POST /api/settings answered 403 (3 times) after the step: Clicked \u201cSave changes\u201d 3×');
    const id = shared.split('/r/')[1];
    const errors = json(await client.callTool({ name: 'get_console', arguments: { id, level: 'error', limit: 2 } }));
    assert.equal(errors.total, 3);
    assert.equal(errors.entries[0].message, 'Save failed with status 403');
    assert.match(errors.note, /1 more: call again with offset 2/, 'a cut list says so');
    const failed = json(await client.callTool({ name: 'get_network', arguments: { id, failed_only: true } }));
    assert.equal(failed.total, 3);
    assert.deepEqual([failed.requests[0].method, failed.requests[0].status], ['POST', 403]);
    const dom = await client.callTool({ name: 'get_dom_at', arguments: { id, time: report.duration_ms / 1000 } });
    assert.match(dom.content[0].text, /<input id="display-name" name="display_name" value="\*{12}">/, 'the page at the end, typed value masked');
    assert.ok(!dom.content[0].text.includes('Grace Hopper'));
    const missing = await client.callTool({ name: 'get_report', arguments: { id: 'f'.repeat(32) } });
    assert.ok(missing.isError && /there is no report f{32}/.test(missing.content[0].text), JSON.stringify(missing));
    const test = await client.callTool({ name: 'get_playwright_test', arguments: { id } });
    assert.ok(test.content[0].text.includes("from '@playwright/test'"));
  } finally {
    await client.close();
  }
});
