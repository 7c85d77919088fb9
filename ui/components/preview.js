// The in-app preview of a document: the pages Rust lays out for the PDF (positions in mm, each
// text with its width measured from the PDF font's glyph advances), drawn as SVG. The same
// layout draws the PDF, so what is seen here is where things land on paper, including the
// address in the envelope window. Text is set with textContent: user text stays text.
import { h, modal } from './dom.js';
import { t } from '../i18n.js';

const SVG = 'http://www.w3.org/2000/svg';
const PT_TO_MM = 25.4 / 72;

function svg(tag, attrs) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  return el;
}

/** One page as an SVG element (viewBox in mm). */
export function pageSvg(page, label, images = {}) {
  const root = svg('svg', { viewBox: `0 0 ${page.width} ${page.height}`, class: 'paper', role: 'img', 'aria-label': label });
  root.append(svg('rect', { x: 0, y: 0, width: page.width, height: page.height, fill: '#fff' }));
  for (const it of page.items) {
    if (it.k === 'rect') {
      root.append(svg('rect', { x: it.x, y: it.y, width: it.w, height: it.h, fill: it.fill ? '#ededed' : 'none', stroke: it.fill ? 'none' : '#000', 'stroke-width': 0.5 * PT_TO_MM }));
    } else if (it.k === 'image' && images[it.name]) {
      root.append(svg('image', { href: images[it.name], x: it.x, y: it.y, width: it.w, height: it.h, preserveAspectRatio: 'none' }));
    } else if (it.k === 'line') {
      root.append(svg('line', { x1: it.x1, y1: it.y1, x2: it.x2, y2: it.y2, stroke: '#000', 'stroke-width': it.width * PT_TO_MM }));
    }
  }
  for (const it of page.items) {
    if (it.k !== 'text' || !it.text.trim()) continue;
    const el = svg('text', {
      x: it.x, y: it.y, 'font-size': (it.size * PT_TO_MM).toFixed(3), 'font-weight': it.bold ? 700 : 400, fill: it.grey ? '#666' : '#000',
      textLength: it.w, lengthAdjust: 'spacingAndGlyphs',
    });
    el.textContent = it.text;
    root.append(el);
  }
  return root;
}

/** Opens the preview of `doc` ({kind, id, ...}) in a dialog. */
export async function openPreview(api, doc, actions = []) {
  const d = await api.documentLayout(doc);
  const pages = d.pages.map((p, i) => h('figure', { class: 'paper-page' },
    pageSvg(p, t('preview.pageLabel', { title: d.title, n: i + 1, total: d.pages.length }), d.images),
    h('figcaption', {}, t('preview.page', { n: i + 1, total: d.pages.length }))));
  const body = h('div', { class: 'preview', id: 'document-preview' },
    h('p', { class: 'hint' }, t('preview.hint')),
    h('div', { class: 'paper-stack', tabindex: '0', 'aria-label': d.title }, pages),
    actions.length ? h('div', { class: 'actions' }, actions) : null);
  return modal(d.title, body, { wide: true });
}
