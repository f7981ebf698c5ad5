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
