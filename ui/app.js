// Esep's front end: boot, the shell (navigation, language switch, shortcuts) and the router.
import { api } from './api.js';
import { h, clear, toast, confirmDialog } from './components/dom.js';
import { t, setLanguage, savedLanguage, systemLanguage, currentLanguage, LANGUAGES, onLanguageChange } from './i18n.js';
import { shortcutKey, shortcutLabel } from './shortcuts.js';
import { setCoreToday, setCurrencies } from './format.js';
import * as setup from './views/setup.js';
import * as home from './views/home.js';
import * as customers from './views/customers.js';
import * as charges from './views/charges.js';
import * as invoices from './views/invoices.js';
import * as invoice from './views/invoice.js';
import * as journal from './views/journal.js';
import * as settings from './views/settings.js';
import * as tosend from './views/tosend.js';
import * as reports from './views/reports.js';
import * as importer from './views/import.js';
import * as bank from './views/bank.js';
import * as server from './views/server.js';

const app = document.getElementById('app');
const state = { profile: null, status: null, info: null };

const NAV = [
  { route: 'home', key: 'nav.home', shortcut: '1' },
  { route: 'customers', key: 'nav.customers', shortcut: '2' },
  { route: 'unbilled', key: 'nav.unbilled', shortcut: '3' },
  { route: 'invoices', key: 'nav.invoices', shortcut: '4' },
  { route: 'tosend', key: 'nav.tosend', shortcut: '5' },
  { route: 'bank', key: 'nav.bank', shortcut: '9' },
  { route: 'reports', key: 'nav.reports', shortcut: '6' },
  { route: 'journal', key: 'nav.journal', shortcut: '7' },
  { route: 'settings', key: 'nav.settings', shortcut: '8' },
];

const ROUTES = {
  home: home,
  customers: customers,
  unbilled: charges,
  invoices: invoices,
  invoice: invoice,
  journal: journal,
  settings: settings,
  tosend: tosend,
  reports: reports,
  import: importer,
  bank: bank,
};

export function navigate(route) {
  if (location.hash !== `#/${route}`) location.hash = `#/${route}`;
  else render();
}

function parseHash() {
  const raw = location.hash.replace(/^#\/?/, '') || 'home';
  const [path, query] = raw.split('?');
  const parts = path.split('/');
  const params = Object.fromEntries(new URLSearchParams(query || ''));
  return { name: parts[0], id: parts[1], params };
}

function ctx(extra) {
  return { api, t, navigate, state, refresh: render, ...extra };
}

// The home page's answers, asked at start-up alongside the language and the books' state
// (used by the first home screen only; dropped if the first screen is another one).
let early = null;

async function boot() {
  // Start-up milestones, read by the app bench (tests/bench/app.rs).
  performance.mark('esep-modules');
  const first = parseHash().name;
  // Recurring invoices due since Esep was last open are made first (nothing to do is a few
  // milliseconds), so the first screen counts them; then once every few hours while it stays
  // open (a period is never made twice, so running often is harmless).
  const recurring = api.runRecurring().catch(() => null);
  setInterval(() => {
    api.runRecurring().then((r) => { if (r && r.generated.length) toast(t('recurring.made', { n: r.generated.length })); }).catch(() => {});
  }, 4 * 3600 * 1000);
  if (!first || first === 'home') {
    early = recurring.then(() => home.load(api));
    early.catch(() => {}); // books that failed to open: the first screen says why
  }
  try {
    await setLanguage(savedLanguage() || systemLanguage());
    performance.mark('esep-locale');
  } catch (e) {
    clear(app).append(h('main', { id: 'main', class: 'fatal' }, h('h1', {}, 'Esep'), h('p', {}, String(e.detail || e.key || e))));
    return;
  }
  onLanguageChange(() => render());
  // Shared books: another desktop's writes refresh the screen; a lost server is said.
  server.watch(ctx({}));
  // The skip link moves focus to the page itself; it never navigates (a hash change would drop
  // an open form and go Home).
  const skip = document.querySelector('.skip-link');
  if (skip) {
    skip.addEventListener('click', (e) => {
      e.preventDefault();
      const main = document.getElementById('main');
      const target = main?.querySelector('h1') || main;
      if (target) { target.tabIndex = -1; target.focus(); }
    });
  }
  // Esep was launched again on these books: this window came to the front instead.
  const ev = window.__TAURI__ && window.__TAURI__.event;
  if (ev) ev.listen('second-launch', () => toast(t('app.secondLaunch')));
  // Esep → Settings… (⌘,) in the Mac menu bar.
  if (ev) ev.listen('open-settings', () => { if (state.profile) navigate('settings'); });
  window.addEventListener('hashchange', () => render());
  document.addEventListener('keydown', onKey);
  await render();
}

function onKey(e) {
  if (!state.profile || document.querySelector('dialog[open]')) return;
  const key = shortcutKey(e, os());
  if (!key) return;
  const n = NAV.find((x) => x.shortcut === key);
  if (n) { e.preventDefault(); navigate(n.route); return; }
  if (!server.may(state.info, 'write')) return;
  if (key === 'N') { e.preventDefault(); charges.openRecordCharge(ctx({}), null, () => render()); return; }
  if (key === 'I') { e.preventDefault(); navigate('invoice/new'); }
}

/** The operating system Esep runs on ("macos", "windows", "linux"), from app_info. */
function os() {
  return (state.info && state.info.os) || 'linux';
}

// The core's currency table (symbols for amounts), asked once with the first screen.
let currenciesLoaded = null;

async function render() {
  app.setAttribute('aria-busy', 'true');
  try {
    // Three questions at once (each a round trip to Rust; one after another they held up the
    // first screen). Books that failed to open answer only the first.
    const asked = await Promise.allSettled([api.appInfo(), state.status ? Promise.resolve(state.status) : api.appStatus(), api.getProfile(), currenciesLoaded || api.currencies()]);
    if (asked[0].status === 'rejected') throw asked[0].reason;
    state.info = asked[0].value;
    document.body.dataset.role = server.role(state.info);
    if (state.info.openError) {
      early = null;
      if (state.info.pendingServer) {
        clear(app).append(server.openFailed(ctx({}), state.info.openError));
        return;
      }
      return renderOpenError(state.info.openError);
    }
    const failed = asked.find((r) => r.status === 'rejected');
    if (failed) throw failed.reason;
    // The books check runs in the background (seconds on a large shop); the banner appears
    // when it reports a problem.
    if (!state.status) {
      state.status = /** @type {PromiseFulfilledResult<any>} */ (asked[1]).value;
      setCoreToday(state.status.today);
      watchHealth();
    }
    state.profile = /** @type {PromiseFulfilledResult<any>} */ (asked[2]).value;
    if (!currenciesLoaded) {
      currenciesLoaded = /** @type {PromiseFulfilledResult<any>} */ (asked[3]).value;
      setCurrencies(currenciesLoaded);
    }
    if (!state.profile) {
      early = null; // asked before the shop existed
      clear(app);
      const root = h('main', { id: 'main', class: 'setup-page' });
      app.append(root);
      await setup.mount(root, ctx({ onDone: () => { location.hash = '#/home'; render(); } }));
      return;
    }
    renderShell();
  } catch (e) {
    clear(app).append(h('main', { id: 'main', class: 'fatal' }, h('h1', {}, t('app.errorTitle')), h('p', {}, t(e.key || 'error.internal')), e.detail ? h('pre', {}, e.detail) : null));
  } finally {
    app.setAttribute('aria-busy', 'false');
  }
}

function booksBanner() {
  return h('div', { class: 'banner banner-error', role: 'alert' }, h('p', {}, t('app.booksProblem', { n: state.status.problems.length })), restoreNewestButton());
}

async function watchHealth() {
  for (;;) {
    let h;
    try { h = await api.booksHealth(); } catch { return; }
    if (h.done) {
      state.status.booksOk = h.ok;
      state.status.problems = h.problems;
      const content = document.querySelector('.content');
      // Added in place: a re-render would lose what the user is typing.
      if (!h.ok && content && !content.querySelector('.banner-error')) content.prepend(booksBanner());
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}

function renderOpenError(err) {
  clear(app).append(h('main', { id: 'main', class: 'fatal' },
    h('h1', {}, err.message === 'error.databaseInUse' ? t('app.inUseTitle') : t('app.errorTitle')),
    h('p', { class: 'lead' }, t(err.message)),
    state.info.database ? h('p', {}, t('app.dataFile'), ' ', h('code', {}, state.info.database)) : null,
    err.message === 'error.databaseInUse' ? null : restoreNewestButton()));
}

/** "Restore the newest good backup": offered when the books fail to open or fail their check. */
function restoreNewestButton() {
  const out = h('p', { 'aria-live': 'polite' });
  const button = h('button', { type: 'button', class: 'primary', id: 'restore-newest', onclick: async () => {
    const ok = await confirmDialog(t('backup.restoreTitle'), t('backup.restoreNewestConfirm'), t('backup.restore'));
    if (!ok) return;
    try {
      const r = await api.restoreBackup();
      out.textContent = t('backup.restored', { name: r.restored, safety: r.safetyCopy });
      setTimeout(() => location.reload(), 1200);
    } catch (err) { out.textContent = t(err.key); }
  } }, t('backup.restoreNewest'));
  return h('div', { class: 'restore-offer' }, button, out);
}

/** Shown on every screen while the sample shop is open. */
function sampleBanner() {
  return h('div', { class: 'sample-banner', role: 'status', id: 'sample-banner' },
    h('p', {}, h('strong', {}, t('sample.title')), ' ', t('sample.text')),
    h('button', { type: 'button', class: 'secondary', id: 'leave-sample', onclick: async () => {
      try {
        await api.leaveSample();
        state.status = null;
        location.hash = '#/home';
        await render();
      } catch (err) { toast(t(err.key), 'error'); }
    } }, t('sample.leave')));
}

function languageSwitch() {
  const sel = h('select', { id: 'lang-switch', 'aria-label': t('app.language') },
    LANGUAGES.map((l) => h('option', { value: l.code, selected: l.code === currentLanguage() }, l.name)));
  sel.addEventListener('change', () => setLanguage(sel.value));
  return h('div', { class: 'lang' }, h('label', { for: 'lang-switch', class: 'visually-hidden' }, t('app.language')), sel);
}

async function renderShell() {
  const route = parseHash();
  // What the role on shared books may not do is not offered (the server refuses it anyway).
  const maySettings = server.may(state.info, 'settings');
  const mayWrite = server.may(state.info, 'write');
  if (route.name === 'settings' && !maySettings) route.name = 'home';
  const active = route.name === 'invoice' ? 'invoices' : route.name === 'import' ? (route.id === 'charges' ? 'unbilled' : 'customers') : route.name;
  const nav = h('nav', { class: 'sidebar', 'aria-label': t('nav.label') },
    h('div', { class: 'brand' }, h('img', { src: 'styles/logo.svg', alt: '', width: 28, height: 28 }), h('span', {}, 'Esep')),
    h('p', { class: 'shop-name' }, state.profile.name),
    server.badge(ctx({})),
    h('ul', {}, NAV.filter((n) => n.route !== 'settings' || maySettings).map((n) => h('li', {}, h('a', {
      href: `#/${n.route}`, 'aria-current': active === n.route ? 'page' : undefined, title: shortcutLabel(os(), n.shortcut),
    }, t(n.key), h('kbd', { 'aria-hidden': 'true' }, shortcutLabel(os(), n.shortcut)))))),
    !mayWrite ? h('p', { class: 'hint read-only-note', id: 'read-only-note' }, t('server.readOnly')) : h('div', { class: 'quick' },
      h('button', { type: 'button', class: 'primary', id: 'quick-charge', onclick: () => charges.openRecordCharge(ctx({}), null, () => render()) }, t('action.recordCharge'), h('kbd', {}, shortcutLabel(os(), 'N'))),
      h('button', { type: 'button', class: 'secondary', id: 'quick-invoice', onclick: () => navigate('invoice/new') }, t('action.newInvoice'), h('kbd', {}, shortcutLabel(os(), 'I')))),
    languageSwitch());
  const main = h('main', { id: 'main', tabindex: '-1' });
  const banner = state.status && state.status.booksOk === false ? booksBanner() : null;
  clear(app).append(h('div', { class: 'shell' }, nav, h('div', { class: 'content' }, state.info.sample ? sampleBanner() : null, banner, main)));
  performance.mark('esep-shell');
  const view = ROUTES[route.name] || home;
  const answers = view === home ? early : null;
  early = null;
  server.screenShown();
  server.restoreBanners();
  try {
    await view.mount(main, ctx({ route, early: answers }));
  } catch (e) {
    main.append(h('div', { class: 'banner banner-error', role: 'alert' }, t(e.key || 'error.internal')));
    toast(t(e.key || 'error.internal'), 'error');
  }
  document.title = `Esep — ${t(NAV.find((n) => n.route === active)?.key || 'nav.home')}`;
  const skip = document.querySelector('.skip-link');
  if (skip) skip.textContent = t('app.skipLink');
  // After a navigation, focus goes to the page's heading (unless the page put it in a field):
  // a keyboard user starts on the page, not back at the top of the sidebar.
  if (!document.activeElement || document.activeElement === document.body) {
    const heading = main.querySelector('h1');
    if (heading) { heading.tabIndex = -1; heading.focus({ preventScroll: true }); }
  }
  // The first interactive screen (read by the app bench to time the cold start).
  if (!performance.getEntriesByName('esep-first-screen').length) {
    performance.mark('esep-first-screen');
    // To the app's start-up trace (only written with --trace-start): "js <mark> <epoch ms>".
    for (const m of performance.getEntriesByType('mark')) api.startupMark(`js ${m.name} ${Math.round(performance.timeOrigin + m.startTime)}`).catch(() => {});
  }
}

boot();
