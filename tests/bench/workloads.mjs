// The page-side workloads of the benchmark, run in the page's own world the
// same way for every recorder (and for none, the baseline).

/** Name → function evaluated in the page; each returns once its DOM work is queued. */
export const WORKLOADS = {
  'append 10k nodes': () => {
    const list = document.createElement('ul');
    for (let i = 0; i < 2500; i++) {
      const li = document.createElement('li');
      const span = document.createElement('span');
      span.textContent = `item ${i}`;
      li.append(span, ` text ${i}`);
      list.append(li);
    }
    document.getElementById('scratch').append(list);
  },
  '1k attribute changes': () => {
    const elements = document.querySelectorAll('#app *');
    for (let i = 0; i < 1000; i++) elements[i * 3].setAttribute('data-state', `s${i}`);
  },
  '1k text changes': () => {
    const walker = document.createTreeWalker(document.getElementById('app'), NodeFilter.SHOW_TEXT);
    for (let i = 0; i < 1000 && walker.nextNode(); i++) walker.currentNode.data = `changed ${i}`;
  },
  'remove a 1k-node subtree': () => document.getElementById('doomed').remove(),
  '1k input events': () => {
    const input = document.getElementById('typing');
    for (let i = 0; i < 1000; i++) {
      input.value = `typed ${i}`;
      input.dispatchEvent(new Event('input', { bubbles: true }));
    }
  },
  // A framework's list as it lives: mounted (500 keyed rows of a few
  // elements), then re-rendered three times, each time every row's class
  // and texts updated in place and 25 rows taken out and 25 new ones put in.
  'framework re-render (500 rows)': () => {
    const row = (key, pass) => {
      const li = document.createElement('li');
      li.dataset.key = key;
      li.className = `row r${(key + pass) % 3}`;
      const name = document.createElement('span');
      name.textContent = `Row ${key}`;
      const value = document.createElement('b');
      value.textContent = `${(key * 31 + pass) % 997}`;
      li.append(name, ' ', value);
      return li;
    };
    const list = document.createElement('ul');
    for (let key = 0; key < 500; key++) list.append(row(key, 0));
    document.getElementById('scratch').append(list);
    let nextKey = 500;
    for (let pass = 1; pass <= 3; pass++) {
      for (const li of list.children) {
        const key = Number(li.dataset.key);
        li.className = `row r${(key + pass) % 3}`;
        li.lastChild.firstChild.data = `${(key * 31 + pass) % 997}`;
      }
      for (let i = 0; i < 25; i++) {
        list.children[i * 19].remove();
        list.insertBefore(row(nextKey++, pass), list.children[i * 17] ?? null);
      }
    }
  },
  'scrolling': async () => {
    for (let i = 1; i <= 30; i++) {
      window.scrollTo(0, i * 100);
      await new Promise((resolve) => requestAnimationFrame(resolve));
    }
  },
};

/**
 * Run workload `name` in `page`, timed in the page: to the end of the
 * page's work and of every recorder's listeners and mutation callbacks
 * (`callbacks`: both worlds' observers are called in the microtask queued
 * at the first change, before the function goes on), and to the next task
 * (`nextTask`), which may include a rendering step depending on whether a
 * frame fell due. In ms.
 */
export function timeWorkload(page, name) {
  return page.evaluate(async (source) => {
    const began = performance.now();
    await (0, eval)(`(${source})`)();
    await new Promise((resolve) => queueMicrotask(resolve));
    const callbacks = performance.now() - began;
    await new Promise((resolve) => setTimeout(resolve, 0));
    return { callbacks, nextTask: performance.now() - began };
  }, WORKLOADS[name].toString());
}
