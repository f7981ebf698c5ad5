// Generated benchmark pages of a given size, with the mix a real app has:
// nested layout, tables, forms, inline styles, SVG, a style block and long
// text. The same seed gives the same page, so every recorder sees the same DOM.

/**
 * A page of about `nodes` DOM nodes (elements and text), as HTML, plus a
 * separate `#doomed` block of about 1,000 nodes for the removal workload.
 */
export function generatedPage(nodes) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Generated ${nodes}</title>
<style>
body { font: 14px sans-serif; } .card { border: 1px solid #ccc; } .grid td { border: 1px solid #eee; padding: 2px }
.long { line-height: 1.4; color: #333 } .tag { background: #def; } form.f { display: flex; gap: 4px }
</style></head>
<body><main id="app">${block(nodes)}</main>
<div id="doomed">${block(1000)}</div>
<div id="scratch"></div>
<input id="typing" aria-label="typing">
<div id="spacer" style="height:4000px"></div>
</body></html>`;
}

function block(nodes) {
  const parts = [];
  let count = 0;
  let n = 0;
  const el = (html, cost) => { parts.push(html); count += cost; };
  const words = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore'.split(' ');
  const sentence = (k) => Array.from({ length: 12 }, (_, i) => words[(k * 7 + i * 3) % words.length]).join(' ');
  while (count < nodes) {
    n++;
    switch (n % 5) {
      case 0: // nested cards: section > div > div > h3 + p + span (8 elements and texts)
        el(`<section class="card c${n % 7}" style="margin:${n % 9}px;padding:4px"><div class="row"><div class="col"><h3>Card ${n}</h3><p>${sentence(n)}</p><span class="tag">t${n}</span></div></div></section>`, 10);
        break;
      case 1: { // a table of 3 rows x 3 cells
        const rows = Array.from({ length: 3 }, (_, r) => `<tr>${Array.from({ length: 3 }, (_, c) => `<td data-c="${c}">${n}.${r}.${c}</td>`).join('')}</tr>`).join('');
        el(`<table class="grid"><tbody>${rows}</tbody></table>`, 2 + 3 * 4 + 9);
        break;
      }
      case 2: // a small form
        el(`<form class="f" onsubmit="return false"><label>Name <input name="name${n}" value="v${n}"></label><select name="s${n}"><option>a</option><option selected>b</option></select><textarea name="t${n}">note ${n}</textarea><button type="button">Go</button></form>`, 13);
        break;
      case 3: // an inline SVG icon
        el(`<svg width="16" height="16" viewBox="0 0 16 16"><g fill="none" stroke="#345"><circle cx="8" cy="8" r="${3 + (n % 4)}"/><path d="M2 2L14 14"/></g></svg>`, 4);
        break;
      default: // long text
        el(`<p class="long">${sentence(n)} ${sentence(n + 1)} ${sentence(n + 2)} <b>${n}</b> ${sentence(n + 3)}</p>`, 4);
    }
  }
  return parts.join('\n');
}

/**
 * A text-heavy page of about `nodes` DOM nodes: articles of headings and
 * long paragraphs whose words come from a seeded generator over a large
 * vocabulary, so that the text does not repeat (as on a documentation or
 * news site); the bundle's bytes there are mostly the page's own text.
 */
export function textHeavyPage(nodes) {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const syllables = ['ka', 'lo', 'mi', 'ne', 'ru', 'sa', 'ti', 'vo', 'pe', 'da', 'gri', 'tho', 'ben', 'cal', 'dor', 'fen', 'hul', 'jas', 'mor', 'quin'];
  const vocabulary = Array.from({ length: 2000 }, () => Array.from({ length: 1 + (next() % 3) }, () => syllables[next() % syllables.length]).join(''));
  const words = (n) => Array.from({ length: n }, () => vocabulary[next() % vocabulary.length]).join(' ');
  const parts = [];
  let count = 0;
  for (let article = 0; count < nodes; article++) {
    const paragraphs = [];
    for (let p = 0; p < 6; p++) {
      paragraphs.push(`<p>${words(14)} <a href="#a${article}-${p}">${words(2)}</a> ${words(10)}.</p>`);
      count += 4;
    }
    parts.push(`<article><h2>${words(5)}</h2>${paragraphs.join('')}</article>`);
    count += 3;
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Text ${nodes}</title>
<style>body { font: 15px/1.5 serif; max-width: 60em; margin: auto } h2 { font: bold 20px sans-serif }</style></head>
<body><main id="app">${parts.join('\n')}</main><div id="scratch"></div></body></html>`;
}

/**
 * A live dashboard, as a monitoring or admin page is: 20 of its 200 cells
 * change text and class every 100 ms, it logs once a second and fetches
 * `/api/tick` every 2 s. Nothing else moves.
 */
export function livePage() {
  const cells = Array.from({ length: 200 }, (_, i) => `<td id="c${i}" class="ok">${i}</td>`);
  const rows = Array.from({ length: 20 }, (_, r) => `<tr>${cells.slice(r * 10, r * 10 + 10).join('')}</tr>`).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Live dashboard</title>
<style>td { padding: 2px 6px; border: 1px solid #ddd } .ok { color: #070 } .warn { color: #a60 } .bad { color: #b00 }</style></head>
<body><h1>Live dashboard</h1><table><tbody>${rows}</tbody></table><p id="status">starting</p>
<script src="/live.js"></script></body></html>`;
}

/** The live dashboard's script (served as a file, so a strict CSP allows it). */
export const LIVE_SCRIPT = `
let tick = 0;
const classes = ['ok', 'warn', 'bad'];
setInterval(() => {
  tick++;
  for (let k = 0; k < 20; k++) {
    const cell = document.getElementById('c' + ((tick * 20 + k) % 200));
    cell.textContent = String((tick * 7 + k * 13) % 1000);
    cell.className = classes[(tick + k) % 3];
  }
}, 100);
setInterval(() => console.log('tick', { tick, healthy: tick % 3 !== 0 }), 1000);
setInterval(async () => {
  const answer = await (await fetch('/api/tick?n=' + tick)).json();
  document.getElementById('status').textContent = 'server says ' + answer.state + ' at ' + tick;
}, 2000);
`;
