// Translations: the same catalogues (ui/locales/*.json) the core uses for documents, served
// by the core so there is one copy. t(key, vars) replaces {name} placeholders.
import { api } from './api.js';

let catalogue = {};
let fallback = {};
let lang = 'en';
const listeners = new Set();

export const LANGUAGES = [
  { code: 'kk', name: 'Қазақша' },
  { code: 'ru', name: 'Русский' },
  { code: 'en', name: 'English' },
];

export function currentLanguage() {
  return lang;
}

/** The OS/webview language if it is one of ours, else Kazakh's neighbours in order. */
export function systemLanguage() {
  const langs = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en'];
  for (const l of langs) {
    const code = String(l).slice(0, 2).toLowerCase();
    if (LANGUAGES.some((x) => x.code === code)) return code;
  }
  return 'en';
}

export async function setLanguage(code) {
  const [cat, en] = await Promise.all([api.catalogue(code), Object.keys(fallback).length || code === 'en' ? fallback : api.catalogue('en')]);
  catalogue = cat;
  fallback = code === 'en' && !Object.keys(fallback).length ? cat : en;
  lang = code;
  document.documentElement.lang = code;
  try { localStorage.setItem('esep.language', code); } catch (_) { /* private mode */ }
  listeners.forEach((f) => f(code));
}

export function savedLanguage() {
  try { return localStorage.getItem('esep.language'); } catch (_) { return null; }
}

export function onLanguageChange(f) {
  listeners.add(f);
  return () => listeners.delete(f);
}

const pluralRules = new Map();
/** The CLDR plural category of `n` in the current language (one, few, many, other). */
function pluralOf(n) {
  if (!pluralRules.has(lang)) pluralRules.set(lang, new Intl.PluralRules(lang));
  return pluralRules.get(lang).select(n);
}

/** A message; with a numeric `n` among `vars`, its plural form (`key.one`, `key.few`, ...)
 * when the language has one, else the key itself. */
export function t(key, vars) {
  const form = vars && typeof vars.n === 'number' ? catalogue[`${key}.${pluralOf(vars.n)}`] : undefined;
  let s = form ?? catalogue[key] ?? fallback[key] ?? key;
  if (vars) for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}
