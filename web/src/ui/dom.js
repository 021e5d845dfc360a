// Building DOM nodes: `h('p', { class: 'x' }, 'text', child)`. Text goes in
// as text nodes, never as HTML, so names and sources from the data cannot
// inject markup.

const SVG_NS = 'http://www.w3.org/2000/svg';

function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'on') for (const [ev, fn] of Object.entries(v)) el.addEventListener(ev, fn);
    else if (k === 'style' && typeof v === 'object') Object.assign(el.style, v);
    else if (k in el && !k.includes('-') && typeof v !== 'string' && el.namespaceURI !== SVG_NS) el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c == null || c === false || c === '') continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** An HTML element with attributes (`on` takes event handlers) and children. */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** Replaces an element's children (null, false and empty strings skipped). */
export function fill(el, ...children) {
  el.replaceChildren();
  return build(el, {}, children);
}

/** An SVG element. */
export function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** A link to a source: only http(s) URLs become links; anything else stays text. */
export function sourceLink(src) {
  if (!src) return null;
  const url = src.url || '';
  return /^https?:\/\//.test(url)
    ? h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, src.title || url)
    : h('span', {}, src.title || url);
}

/** Copies text to the clipboard and says so on the button for a moment. */
export async function copyText(text, button) {
  await navigator.clipboard.writeText(text);
  if (!button) return;
  const old = button.textContent;
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = old; }, 1500);
}

/** Offers `text` as a file download named `name`. */
export function download(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}
