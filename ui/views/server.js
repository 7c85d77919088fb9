// Shared books on a PostgreSQL server (#23): connecting (Settings, or the screen shown when
// saved shared books cannot be opened), who is signed in, and what the window does when
// another desktop writes or the server goes away.
import { h, field, formValues, showError, clearErrors, toast, confirmDialog, modal } from '../components/dom.js';
import { t } from '../i18n.js';

/** Each role's name, as the window shows it. */
const ROLE_NAMES = { owner: 'server.role.owner', clerk: 'server.role.clerk', accountant: 'server.role.accountant' };

function roleName(r) {
  return t(ROLE_NAMES[r] || ROLE_NAMES.owner);
}

/** The role of whoever is signed in: "owner" on this computer's own books. */
export function role(info) {
  return (info && info.role) || 'owner';
}

/** Whether the role may do what a button offers: `write` (any change) or `settings`. */
export function may(info, what) {
  const r = role(info);
  if (what === 'settings') return r === 'owner';
  if (what === 'write') return r !== 'accountant';
  return true;
}

/**
 * The connection form: server, port, database, login, password, "remember".
 * @param {any} ctx
 * @param {{preset?: any, submitLabel?: string, onConnected: (info: any) => void}} options
 */
function connectForm(ctx, { preset, submitLabel, onConnected }) {
  const { api } = ctx;
  const p = preset || {};
  const form = h('form', { class: 'form-grid', novalidate: true, id: 'server-form' },
    field({ name: 'host', label: t('server.host'), required: true, value: p.host || '', autocomplete: 'off' }),
    field({ name: 'port', label: t('server.port'), inputmode: 'numeric', value: p.port ? String(p.port) : '5432' }),
    field({ name: 'database', label: t('server.database'), required: true, value: p.database || '' }),
    field({ name: 'user', label: t('server.user'), required: true, value: p.user || '' }),
    field({ name: 'password', label: t('server.password'), type: 'password', autocomplete: 'current-password' }),
    field({ name: 'remember', label: t('server.remember'), type: 'checkbox', value: true }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'server-connect' }, submitLabel || t('server.connect'))));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    const port = v.port === '' ? undefined : Number(v.port);
    if (port !== undefined && !(Number.isInteger(port) && port > 0 && port < 65536)) {
      showError(form, { key: 'error.serverPort', field: 'port' });
      return;
    }
    const button = /** @type {HTMLButtonElement} */ (form.querySelector('#server-connect'));
    button.disabled = true;
    try {
      const info = await api.connectServer({ host: v.host, port, database: v.database, user: v.user, password: v.password || undefined, remember: !!v.remember });
      if (v.remember && v.password && info.passwordKept === false) toast(t('server.passwordNotKept'), 'error');
      onConnected(info);
    } catch (err) {
      showError(form, err);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}

/** What the status line says about the connection. */
function connectedText(s) {
  return t('server.connected', { database: s.database, host: s.host, user: s.user, role: roleName(s.role) });
}

/** "Use the books on this computer": forgets the server (asks first). */
function disconnectButton(ctx) {
  return h('button', { type: 'button', class: 'secondary', id: 'server-disconnect', onclick: async () => {
    const ok = await confirmDialog(t('server.disconnect'), t('server.disconnectConfirm'), t('server.disconnect'));
    if (!ok) return;
    try {
      await ctx.api.disconnectServer();
      ctx.state.status = null;
      location.hash = '#/home';
      await ctx.refresh();
    } catch (err) { toast(t(err.key), 'error'); }
  } }, t('server.disconnect'));
}

/** Settings → Shared books on a server. */
export function settingsCard(ctx) {
  const { state } = ctx;
  const s = state.info && state.info.server;
  const card = h('section', { class: 'card', id: 'server-card', 'aria-labelledby': 'server-title' },
    h('h2', { id: 'server-title' }, t('settings.server')));
  if (s) {
    card.append(
      h('p', { id: 'server-status' }, connectedText(s)),
      h('p', { class: 'hint' }, t(s.encrypted ? 'server.encrypted' : 'server.notEncrypted')),
      s.fromCommandLine ? h('p', { class: 'hint' }, t('server.fromCommandLine')) : null,
      h('p', { class: 'hint' }, t('server.backupHint')),
      h('div', { class: 'actions' }, disconnectButton(ctx)));
    return card;
  }
  card.append(h('p', { class: 'hint' }, t('settings.serverHint')),
    connectForm(ctx, { onConnected: async () => {
      ctx.state.status = null;
      toast(t('server.connectedToast'));
      location.hash = '#/home';
      await ctx.refresh();
    } }),
    h('p', { class: 'hint' }, t('server.moveHint')));
  return card;
}

/** The screen shown when saved shared books could not be opened: why, and what to do. */
export function openFailed(ctx, err) {
  const { state } = ctx;
  const pending = state.info.pendingServer;
  const form = connectForm(ctx, { preset: pending, submitLabel: t('server.retry'), onConnected: () => location.reload() });
  if (err && err.field) {
    // Point at the field the server refused (the password, the database).
    setTimeout(() => showError(form, { key: err.message, field: err.field }), 0);
  }
  return h('main', { id: 'main', class: 'fatal server-open' },
    h('h1', {}, t('server.openTitle')),
    h('p', { class: 'lead' }, t(err.message)),
    h('p', {}, t('server.openHint', { database: pending.database, host: pending.host })),
    h('section', { class: 'card' }, form),
    h('div', { class: 'actions' }, disconnectButton(ctx)));
}

/** The sidebar's line about shared books: where, and as whom; a click shows the details. */
export function badge(ctx) {
  const s = ctx.state.info && ctx.state.info.server;
  if (!s) return null;
  return h('button', { type: 'button', class: 'server-badge', id: 'server-badge', title: connectedText(s), onclick: () => {
    modal(t('settings.server'), h('div', {},
      h('p', {}, connectedText(s)),
      h('p', { class: 'hint' }, t(s.encrypted ? 'server.encrypted' : 'server.notEncrypted')),
      role(ctx.state.info) === 'accountant' ? h('p', { class: 'hint' }, t('server.readOnly')) : null,
      h('div', { class: 'actions' }, disconnectButton(ctx))));
  } }, h('span', { class: 'server-dot', 'aria-hidden': 'true' }), h('span', {}, `${s.database} · ${roleName(s.role)}`));
}

// Another desktop's writes: the screen is shown again with their work, unless the user is in
// the middle of something here (a form typed into, a dialog open) — then a banner offers it.
let typing = false;
let away = false;

/** Forgets what was typed (a new screen). */
export function screenShown() {
  typing = false;
}

/** Listens to the shell's news about shared books (once, at start-up). */
export function watch(ctx) {
  const ev = window.__TAURI__ && window.__TAURI__.event;
  if (!ev) return;
  document.addEventListener('input', (e) => {
    const target = /** @type {HTMLElement} */ (e.target);
    if (target && target.closest && target.closest('#main form, dialog')) typing = true;
  }, true);
  ev.listen('books-changed', () => {
    if (!ctx.state.info || !ctx.state.info.server) return;
    if (typing || document.querySelector('dialog[open]')) {
      showBanner('changed', t('server.changedElsewhere'), h('button', { type: 'button', class: 'secondary', id: 'changed-refresh', onclick: () => { removeBanner('changed'); ctx.refresh(); } }, t('server.refresh')));
      return;
    }
    ctx.refresh();
  });
  ev.listen('server-reachable', (e) => {
    if (!ctx.state.info || !ctx.state.info.server) return;
    if (e.payload === false) {
      away = true;
      showBanner('away', t('server.lost'));
    } else if (away) {
      away = false;
      removeBanner('away');
      toast(t('server.back'));
    }
  });
}

/** Banners survive a refresh of the screen (they sit above it) until they are answered. */
function showBanner(id, text, action) {
  const content = document.querySelector('.content');
  if (!content) return;
  removeBanner(id);
  content.prepend(h('div', { class: `banner ${id === 'away' ? 'banner-error' : 'banner-warn'} server-banner`, id: `server-${id}`, role: 'alert' },
    h('p', {}, text), action || null));
}

function removeBanner(id) {
  const el = document.getElementById(`server-${id}`);
  if (el) el.remove();
}

/** After a re-render: the server is still away, so its banner comes back. */
export function restoreBanners() {
  if (away) showBanner('away', t('server.lost'));
}
