// DOM building without innerHTML: user text is only ever set through textContent/attributes,
// so a customer called <img src=x onerror=alert(1)> is shown literally.
import { t, currentLanguage } from '../i18n.js';

/** h('button', {class: 'primary', onclick: f}, 'Save') */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = !!v;
    else if (v === true) el.setAttribute(k, '');
    else el.setAttribute(k, String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

let uid = 0;
export function nextId(prefix = 'f') {
  uid += 1;
  return `${prefix}-${uid}`;
}

/**
 * A labelled form control. spec: {name, label, type, required, options:[{value,label}],
 * inputmode, value, hint, rows, autocomplete}. The control gets data-field=name so errors
 * from Rust (which name the field) land next to it.
 */
export function field(spec) {
  const id = spec.id || nextId(spec.name.replace(/[^a-z0-9]/gi, '-'));
  let control;
  if (spec.type === 'select') {
    control = h('select', { id, name: spec.name }, (spec.options || []).map((o) => h('option', { value: o.value, selected: String(o.value) === String(spec.value ?? '') }, o.label)));
  } else if (spec.type === 'textarea') {
    control = h('textarea', { id, name: spec.name, rows: spec.rows || 3, value: spec.value ?? '' });
  } else if (spec.type === 'checkbox') {
    control = h('input', { id, name: spec.name, type: 'checkbox', checked: !!spec.value });
  } else if (spec.type === 'date') {
    control = dateInput({ id, name: spec.name, value: spec.value });
  } else {
    control = h('input', {
      id, name: spec.name, type: spec.type || 'text', value: spec.value ?? '', inputmode: spec.inputmode,
      autocomplete: spec.autocomplete || 'off', placeholder: spec.placeholder, spellcheck: spec.type === 'date' ? 'false' : undefined,
      list: spec.list ? `${id}-list` : undefined,
    });
  }
  // Suggestions the user can pick or type past (tax rates, payment purpose codes).
  const suggestions = spec.list ? h('datalist', { id: `${id}-list` }, spec.list.map((o) => h('option', { value: o.value }, o.label ?? o.value))) : null;
  control.dataset.field = spec.name;
  if (spec.required) control.setAttribute('aria-required', 'true');
  const errId = `${id}-error`;
  const error = h('p', { class: 'field-error', id: errId, hidden: true });
  control.setAttribute('aria-describedby', errId);
  const label = h('label', { for: id }, spec.label, spec.required ? h('span', { class: 'req', 'aria-hidden': 'true' }, ' *') : null);
  const wrap = h('div', { class: `field ${spec.type === 'checkbox' ? 'field-check' : ''} ${spec.wide ? 'wide' : ''}` },
    spec.type === 'checkbox' ? [control, label] : [label, control],
    suggestions, spec.hint ? h('p', { class: 'hint' }, spec.hint) : null, error);
  return wrap;
}

/**
 * Checks identifier fields as they are typed, by the core's own rules (`check`: the
 * check_identifier command): `fields` maps a field name to its kind (bin, iban, bic, kbe,
 * knp, email). A wrong value is marked and explained beside the field; saving still checks.
 */
export function liveCheck(form, fields, check) {
  for (const [name, kind] of Object.entries(fields)) {
    const control = form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (!control) continue;
    // The field's own error line (found in the form: it may not be in the page yet).
    const out = control.closest('.field')?.querySelector('.field-error');
    let timer = null;
    const run = async () => {
      const value = control.value.trim();
      let res;
      try { res = await check(kind, value); } catch { return; }
      if (control.value.trim() !== value) return;
      if (res.ok) {
        control.removeAttribute('aria-invalid');
        if (out) { out.hidden = true; out.textContent = ''; }
      } else {
        control.setAttribute('aria-invalid', 'true');
        if (out) { out.textContent = t(res.message); out.hidden = false; }
      }
    };
    control.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(run, 250); });
    control.addEventListener('change', () => { clearTimeout(timer); run(); });
  }
}

/** Values of every [data-field] control in a form, trimmed strings (checkboxes as booleans). */
export function formValues(form) {
  const out = {};
  form.querySelectorAll('[data-field]').forEach((c) => {
    const name = c.dataset.field;
    if (c.type === 'checkbox') out[name] = c.checked;
    else if ('date' in c.dataset) out[name] = dateValue(c);
    else out[name] = c.value.trim();
  });
  return out;
}

/** Clears the error marks of a form. */
export function clearErrors(form) {
  form.querySelectorAll('[aria-invalid]').forEach((c) => c.removeAttribute('aria-invalid'));
  form.querySelectorAll('.field-error').forEach((p) => { p.hidden = true; p.textContent = ''; });
  const summary = form.querySelector('.error-summary');
  if (summary) summary.remove();
}

/**
 * Shows an ApiError on a form: next to the field it names (aria-invalid, message), plus an
 * error summary at the top linking to the field; focus moves to the summary. What the user
 * typed stays where it is.
 */
export function showError(form, err) {
  clearErrors(form);
  const message = t(err.key || 'error.internal');
  let target = null;
  if (err.field) {
    target = form.querySelector(`[data-field="${CSS.escape(err.field)}"]`)
      || form.querySelector(`[data-field="${CSS.escape(err.field.replace(/^.*\./, ''))}"]`);
  }
  const fieldName = target ? (form.querySelector(`label[for="${target.id}"]`)?.firstChild?.textContent || err.field) : null;
  if (target) {
    target.setAttribute('aria-invalid', 'true');
    const p = document.getElementById(target.getAttribute('aria-describedby'));
    if (p) { p.textContent = message; p.hidden = false; }
  }
  const link = target ? h('a', { href: `#${target.id}`, onclick: (e) => { e.preventDefault(); target.focus(); } }, `${fieldName}: ${message}`) : h('span', {}, message);
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1' },
    h('h3', {}, t('form.errorTitle')), h('ul', {}, h('li', {}, link)),
    err.detail && err.code === 'internal' ? h('details', {}, h('summary', {}, t('form.details')), h('pre', {}, err.detail)) : null);
  form.prepend(summary);
  summary.focus();
}

/** A short message at the bottom of the window, read out by screen readers. */
export function toast(message, kind = 'ok') {
  const host = document.getElementById('toasts');
  if (!host) return;
  const el = h('div', { class: `toast toast-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);
  while (host.children.length >= 1) host.firstChild.remove();
  host.append(el);
  setTimeout(() => el.remove(), 3500);
}

/**
 * A modal <dialog>; returns {dialog, close}. Escape closes it; focus returns to the opener.
 * @param {any} title
 * @param {any} body
 * @param {{onClose?: () => void, wide?: boolean}} [options]
 */
export function modal(title, body, { onClose, wide } = {}) {
  const opener = /** @type {HTMLElement | null} */ (document.activeElement);
  const titleId = nextId('dlg');
  const dialog = h('dialog', { class: `modal ${wide ? 'modal-wide' : ''}`, 'aria-labelledby': titleId },
    h('header', {}, h('h2', { id: titleId }, title), h('button', { type: 'button', class: 'icon-button', 'aria-label': t('action.close'), onclick: () => close() }, '×')),
    body);
  function close() {
    if (dialog.open) dialog.close();
  }
  dialog.addEventListener('close', () => {
    dialog.remove();
    if (onClose) onClose();
    if (opener && opener.focus) opener.focus();
  });
  document.body.append(dialog);
  dialog.showModal();
  const first = dialog.querySelector('input, select, textarea, button:not(.icon-button)');
  if (first) first.focus();
  return { dialog, close };
}

/** Asks a yes/no question in a modal; resolves true/false. */
export function confirmDialog(title, text, okLabel) {
  return new Promise((resolve) => {
    let answer = false;
    const body = h('div', { class: 'confirm' }, typeof text === 'string' ? h('p', {}, text) : text,
      h('div', { class: 'actions' },
        h('button', { type: 'button', class: 'secondary', onclick: () => m.close() }, t('action.cancel')),
        h('button', { type: 'button', class: 'primary', id: 'confirm-ok', onclick: () => { answer = true; m.close(); } }, okLabel)));
    const m = modal(title, body, { onClose: () => resolve(answer) });
  });
}

// Dates are typed and shown in the app's format for its language (01.12.2026; 01/12/2026 in
// English), whatever the computer's locale: a native date input follows the OS and showed
// 12/01/2026 under C.UTF-8. Digits move on to the next part by themselves; an ISO date typed
// or pasted is understood too. The core always gets ISO (YYYY-MM-DD).
const DATE_SEPARATOR = { kk: '.', ru: '.', en: '/' };
const datePattern = () => t('date.pattern');

function separator() {
  return DATE_SEPARATOR[currentLanguage()] || '.';
}

/** An ISO date as the app shows it ("2026-12-01" → "01.12.2026"); anything else unchanged. */
export function displayDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
  return m ? [m[3], m[2], m[1]].join(separator()) : (iso || '');
}

/** What was typed, as ISO when it reads as a date ("1.12.2026", "01122026", "2026-12-01"). */
export function isoDate(text) {
  const v = String(text ?? '').trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return v;
  const m = /^(\d{1,2})[./\-\s](\d{1,2})[./\-\s](\d{4})$/.exec(v);
  /** @type {string[] | null} */
  const parts = m ?? (/^\d{8}$/.test(v) ? [v, v.slice(0, 2), v.slice(2, 4), v.slice(4)] : null);
  return parts ? `${parts[3]}-${parts[2].padStart(2, '0')}-${parts[1].padStart(2, '0')}` : v;
}

/** The ISO value of a date input made by `dateInput` (what was typed, if it is not a date). */
export function dateValue(input) {
  return isoDate(input.value);
}

/** A text input for a date in the app's format. */
export function dateInput({ id, name, value }) {
  const input = h('input', { id, name, type: 'text', inputmode: 'numeric', autocomplete: 'off', spellcheck: 'false', placeholder: datePattern(), value: displayDate(value), maxlength: 10 });
  input.dataset.date = '';
  input.addEventListener('input', (e) => {
    const v = input.value;
    // Typing or deleting digits: the separators follow ("0112" → "01.12"); an ISO date or a
    // separator typed by hand is left as typed.
    if (!/^[\d.\/]*$/.test(v) || e.inputType?.startsWith('delete')) return;
    const digits = v.replace(/\D/g, '').slice(0, 8);
    const sep = separator();
    const shown = digits.slice(0, 2) + (digits.length > 2 ? sep + digits.slice(2, 4) : '') + (digits.length > 4 ? sep + digits.slice(4) : '');
    if (shown !== v) input.value = shown;
  });
  input.addEventListener('change', () => {
    const iso = isoDate(input.value);
    if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) input.value = displayDate(iso);
  });
  return input;
}

/**
 * A file input that speaks the app's language: the browser's own button says "Choose File" /
 * "No file chosen" in the OS language. The real input lies over a button-like label, nearly
 * transparent, so a click (or a test's keys) still reaches it; the chosen name is shown.
 */
export function filePicker({ id, accept }) {
  const input = h('input', { type: 'file', id, accept, class: 'file-input' });
  const name = h('span', { class: 'file-name muted' }, t('file.none'));
  input.addEventListener('change', () => { name.textContent = input.files?.[0]?.name || t('file.none'); });
  const el = h('span', { class: 'file-pick' }, h('span', { class: 'button secondary', 'aria-hidden': 'true' }, t('file.choose')), name, input);
  return { el, input };
}
