// A bundle is data from outside: anyone with a token can post one straight
// to the server. Attribute names in upper case (`ONERROR`, `SRCDOC`,
// `HREF=javascript:`) used to pass the replay's filter, which compared
// names as written while the browser lower-cases them when they are set.
// The replay must drop them whatever their case.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { testEnvironment, ROOT } from './harness.mjs';

const env = testEnvironment();

function forgedBundle() {
  const bundle = JSON.parse(readFileSync(join(ROOT, 'manifest', 'fixtures', 'bundle-v1.json'), 'utf8'));
  bundle.id = 'feedfacefeedfacefeedfacefeedface';
  const element = (id, p, tag, attrs) => ({ id, p, k: 'element', tag, attrs });
  bundle.events = [{
    type: 'snapshot', t: 0, page: 0, viewport: { w: 800, h: 600 }, scroll: [0, 0], nodes: [
      { id: 1, k: 'document' },
      element(2, 1, 'html', []),
      element(3, 2, 'head', []),
      element(4, 3, 'meta', [['HTTP-EQUIV', 'refresh'], ['CONTENT', '0;url=http://127.0.0.1:9/away']]),
      element(5, 3, 'base', [['HREF', 'http://127.0.0.1:9/']]),
      element(6, 2, 'body', [['ONLOAD', 'parent.postMessage("ran", "*")']]),
      element(7, 6, 'img', [['id', 'img'], ['SRC', '/missing.png'], ['ONERROR', 'parent.postMessage("ran", "*")']]),
      element(8, 6, 'iframe', [['id', 'frame'], ['SRCDOC', '<p>inside</p>'], ['SRC', 'http://127.0.0.1:9/']]),
      element(9, 6, 'a', [['id', 'link'], ['HREF', 'javascript:parent.postMessage("ran", "*")']]),
      { id: 10, p: 9, k: 'text', text: 'forged link' },
    ],
  }];
  return bundle;
}

test('a forged bundle\'s upper-case handlers, srcdoc, script URLs and frame sources never reach the replay', async () => {
  const { server, browser } = env;
  const upload = await fetch(`${server.url}/api/reports`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(forgedBundle()),
  });
  assert.equal(upload.status, 201, await upload.clone().text());
  const { url } = await upload.json();
  const viewer = await browser.context.newPage();
  await viewer.goto(url);
  const frame = viewer.frameLocator('#replay');
  await frame.getByText('forged link').waitFor();
  const attributes = await viewer.locator('#replay').evaluate((iframe) => {
    const doc = iframe.contentDocument;
    // The replay's own policy (`<meta name="referrer" content="no-referrer">`) aside.
    const own = (e) => e.localName === 'meta' && e.getAttribute('name') === 'referrer' && e.getAttribute('content') === 'no-referrer';
    return [...doc.querySelectorAll('*')].filter((e) => !own(e)).map((e) => `${e.localName}: ${e.getAttributeNames().join(' ')}`);
  });
  const all = attributes.join('\n');
  for (const name of ['onload', 'onerror', 'srcdoc', 'http-equiv', 'content']) {
    assert.ok(!new RegExp(`\\b${name}\\b`).test(all), `${name} reached the replay:\n${all}`);
  }
  assert.equal(await frame.locator('#link').getAttribute('href'), null, 'the script URL is dropped');
  assert.equal(await frame.locator('#frame').getAttribute('src'), null, 'a frame loads nothing');
  assert.equal(await frame.locator('#img').getAttribute('src'), '/missing.png', 'ordinary attributes stay, lower-cased');
  const bases = await viewer.locator('#replay').evaluate((iframe) => [...iframe.contentDocument.querySelectorAll('base')].map((b) => b.getAttribute('href')));
  assert.ok(!bases.includes('http://127.0.0.1:9/'), `the forged base href is dropped: ${bases}`);
  await viewer.close();
});
