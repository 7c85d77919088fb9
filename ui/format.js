// Display formatting. Amounts arrive as exact decimal strings and are formatted as strings:
// no floating point ever touches money. Dates use Intl for display only.
import { currentLanguage } from './i18n.js';

const SEPARATORS = {
  kk: { group: '\u00a0', decimal: ',' },
  ru: { group: '\u00a0', decimal: ',' },
  en: { group: ',', decimal: '.' },
};
// The currencies' symbols and where they go come from the core's table (list_currencies), the
// one documents print from: a KGS amount reads "сом" on screen as on paper.
let SYMBOLS = {};
let FIRST_IN_ENGLISH = new Set();

/** Takes the core's currency table ([{code, symbol, symbolFirstInEnglish}]). */
export function setCurrencies(list) {
  SYMBOLS = Object.fromEntries((list || []).map((c) => [c.code, c.symbol]));
  FIRST_IN_ENGLISH = new Set((list || []).filter((c) => c.symbolFirstInEnglish).map((c) => c.code));
}

/** "1234567.89" → "1 234 567,89" (kk/ru) or "1,234,567.89" (en). */
export function formatNumber(decimalString, lang = currentLanguage()) {
  if (decimalString === null || decimalString === undefined || decimalString === '') return '';
  const s = String(decimalString);
  const neg = s.startsWith('-');
  const [int, frac] = (neg ? s.slice(1) : s).split('.');
  const sep = SEPARATORS[lang] || SEPARATORS.en;
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, sep.group);
  return (neg ? '−' : '') + grouped + (frac !== undefined ? sep.decimal + frac : '');
}

/** An amount with its currency: "1 234,50 ₸", "$1,234.50". */
export function formatMoney(amount, currency, lang = currentLanguage()) {
  if (amount === null || amount === undefined) return '';
  const sym = SYMBOLS[currency];
  const n = formatNumber(amount, lang);
  if (!sym) return `${n}\u00a0${currency}`;
  if (lang === 'en' && FIRST_IN_ENGLISH.has(currency)) {
    return n.startsWith('−') ? `−${sym}${n.slice(1)}` : `${sym}${n}`;
  }
  return `${n}\u00a0${sym}`;
}

// One formatter per language: building an Intl.DateTimeFormat costs far more than using it,
// and a page of the invoice list formats a hundred dates.
const DATE_FORMATS = new Map();

/** "2026-11-27" → a short local date. */
export function formatDate(iso, lang = currentLanguage()) {
  if (!iso) return '';
  const [y, m, d] = iso.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  const locale = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' }[lang] || 'en-GB';
  try {
    let f = DATE_FORMATS.get(locale);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'UTC' });
      DATE_FORMATS.set(locale, f);
    }
    return f.format(date);
  } catch (_) {
    return iso;
  }
}

// Days between the core's today and the local calendar: 0 in real use, the pinned clock's
// distance in tests (`--today`), so a form never defaults to a date the books call the future.
let shiftDays = 0;

/** Takes the core's today (app_status) as the date the forms start from. */
export function setCoreToday(iso) {
  const [y, m, d] = String(iso || '').split('-').map(Number);
  if (!y || !m || !d) return;
  const now = new Date();
  shiftDays = Math.round((Date.UTC(y, m - 1, d) - Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())) / 86400000);
}

/** Today's date as ISO: the core's, moving on at local midnight. */
export function isoToday() {
  const d = new Date();
  d.setDate(d.getDate() + shiftDays);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** The last part of a path (a saved file's name, for a short message). */
export function fileName(path) {
  return String(path ?? '').split(/[\\/]/).pop();
}

const MONTH_FORMATS = new Map();
/** A month (`YYYY-MM`) as words in the language: "Nov 2026", "нояб. 2026 г.", "2026 ж. қар.". */
export function formatMonth(ym, lang = currentLanguage()) {
  const m = /^(\d{4})-(\d{2})$/.exec(ym || '');
  if (!m) return ym || '';
  const locale = { kk: 'kk-KZ', ru: 'ru-RU', en: 'en-GB' }[lang] || 'en-GB';
  let f = MONTH_FORMATS.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { month: 'short', year: 'numeric', timeZone: 'UTC' });
    MONTH_FORMATS.set(locale, f);
  }
  return f.format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
}
