// Tabs nobody inspects: a headless Chromium started by hand with a
// DevTools port that is only used over HTTP (`/json/new`, `/json/list`),
// so no tab has the DevTools protocol attached. A tab attached by
// Playwright has its console calls serialized for the test runner, which
// makes a console call about 100 µs and hides what a page really pays.
// A page measured here runs its own workload and writes the result in its
// title, which `/json/list` reads.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Start Chromium on `profile` (with the unpacked `extension`, if given).
 * Resolves to `{ run(url), close() }`: `run` opens `url` in a new tab,
 * waits until its title starts with `done:` and resolves to the rest.
 */
export async function launchUninspected({ profile, extension = null }) {
  const args = ['--headless=new', '--no-sandbox', '--remote-debugging-port=0', `--user-data-dir=${profile}`,
    '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
    '--window-size=1000,700'];
  if (extension) args.push(`--disable-extensions-except=${extension}`, `--load-extension=${extension}`);
  else args.push('--disable-extensions');
  const child = spawn('/usr/bin/chromium', [...args, 'about:blank'], { stdio: 'ignore' });
  const portFile = join(profile, 'DevToolsActivePort');
  let port;
  for (let i = 0; i < 200 && !port; i++) {
    await sleep(100);
    if (existsSync(portFile)) port = Number(readFileSync(portFile, 'utf8').split('\n')[0]) || undefined;
  }
  if (!port) { child.kill(); throw new Error('Chromium did not open its DevTools port'); }
  const endpoint = `http://127.0.0.1:${port}`;
  // The extension's background starts (and registers the page hook) first.
  await sleep(extension ? 1500 : 300);
  return {
    async run(url, timeoutMs = 60_000) {
      const target = await (await fetch(`${endpoint}/json/new?${encodeURI(url)}`, { method: 'PUT' })).json();
      // In front, as the tab a tester works in (a background tab's tasks wait longer).
      await fetch(`${endpoint}/json/activate/${target.id}`);
      try {
        for (let waited = 0; waited < timeoutMs; waited += 100) {
          await sleep(100);
          const list = await (await fetch(`${endpoint}/json/list`)).json();
          const title = list.find((t) => t.id === target.id)?.title ?? '';
          if (title.startsWith('done:')) return title.slice(5);
        }
        throw new Error(`${url} did not finish within ${timeoutMs} ms`);
      } finally {
        await fetch(`${endpoint}/json/close/${target.id}`).catch(() => {});
      }
    },
    close: () => new Promise((resolve) => { child.once('exit', resolve); child.kill(); }),
  };
}
