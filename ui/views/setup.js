// First run: choose the language, then only what an invoice needs.
import { h, field, formValues, showError, clearErrors, liveCheck } from '../components/dom.js';
import { LANGUAGES, currentLanguage, setLanguage } from '../i18n.js';

export async function mount(root, ctx) {
  const { t, api } = ctx;
  const [currencies, terms] = await Promise.all([api.currencies(), api.terms(currentLanguage())]);
  const langChoice = h('fieldset', { class: 'lang-choice' }, h('legend', {}, t('setup.chooseLanguage')),
    LANGUAGES.map((l) => {
      const id = `setup-lang-${l.code}`;
      const input = h('input', { type: 'radio', name: 'setup-language', id, value: l.code, checked: l.code === currentLanguage() });
      input.addEventListener('change', () => setLanguage(l.code));
      return h('label', { for: id, class: 'lang-option' }, input, h('span', {}, l.name));
    }));
  const form = h('form', { class: 'card form-grid', novalidate: true, id: 'setup-form' },
    h('h2', { class: 'wide' }, t('setup.profileTitle')),
    h('p', { class: 'wide hint' }, t('setup.profileHint')),
    field({ name: 'name', label: t('profile.name'), required: true, wide: true, autocomplete: 'organization' }),
    field({ name: 'address', label: t('profile.address'), type: 'textarea', rows: 3, wide: true }),
    field({ name: 'currency', label: t('profile.currency'), type: 'select', value: 'KZT', options: currencies.map((c) => ({ value: c.code, label: `${c.code} ${c.symbol}` })) }),
    field({ name: 'defaultTermsId', label: t('profile.defaultTerms'), type: 'select', value: 7, options: terms.map((x) => ({ value: x.id, label: x.name })) }),
    field({ name: 'bin', label: t('profile.bin'), inputmode: 'numeric', hint: t('profile.taxIdsHint') }),
    field({ name: 'email', label: t('profile.email'), type: 'email', autocomplete: 'email' }),
    field({ name: 'phone', label: t('profile.phone'), type: 'tel', autocomplete: 'tel' }),
    field({ name: 'bankAccount', label: t('profile.bankAccount') }),
    field({ name: 'bankName', label: t('profile.bankName') }),
    field({ name: 'bankBic', label: t('profile.bankBic') }),
    field({ name: 'bankKbe', label: t('profile.bankKbe'), inputmode: 'numeric' }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'setup-save' }, t('setup.start'))));
  liveCheck(form, { bin: 'bin', email: 'email', bankAccount: 'iban', bankBic: 'bic', bankKbe: 'kbe' }, api.checkIdentifier);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    try {
      await api.saveProfile({ ...v, defaultTermsId: Number(v.defaultTermsId), language: currentLanguage() });
      ctx.onDone();
    } catch (err) {
      showError(form, err);
    }
  });
  // Not ready to type in the shop's details? Look around a made-up shop first (its own file).
  const sampleOut = h('p', { 'aria-live': 'polite' });
  const sample = h('section', { class: 'card sample-offer', 'aria-labelledby': 'sample-title' },
    h('h2', { id: 'sample-title' }, t('setup.sampleTitle')),
    h('p', {}, t('setup.sampleText')),
    h('button', { type: 'button', class: 'secondary', id: 'explore-sample', onclick: async (e) => {
      e.target.disabled = true;
      sampleOut.textContent = t('setup.sampleMaking');
      try {
        await api.openSample(currentLanguage());
        ctx.onDone();
      } catch (err) {
        e.target.disabled = false;
        sampleOut.textContent = t(err.key);
      }
    } }, t('setup.sampleButton')), sampleOut);
  root.append(h('div', { class: 'setup' },
    h('header', { class: 'setup-head' }, h('img', { src: 'styles/logo.svg', alt: '', width: 56, height: 56 }),
      h('div', {}, h('h1', {}, t('setup.welcome')), h('p', { class: 'lead' }, t('setup.intro')))),
    langChoice, form, sample));
  form.querySelector('[data-field="name"]').focus();
}
