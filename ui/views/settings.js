// Settings: the business profile and invoice numbering.
import { fileName } from '../format.js';
import { h, clear, field, formValues, showError, clearErrors, toast, confirmDialog, liveCheck, filePicker } from '../components/dom.js';
import { LANGUAGES, currentLanguage } from '../i18n.js';
import { VAT_RATES } from './shared.js';
import { settingsCard as serverCard } from './server.js';

/** The payment purpose codes (КНП) a shop picks most; any other 3-digit code can be typed. */
const KNP_CODES = ['710', '859'];

export async function mount(root, ctx) {
  const { t, api, state } = ctx;
  const p = state.profile;
  const [currencies, terms, series] = await Promise.all([api.currencies(), api.terms(currentLanguage()), api.series()]);
  const form = h('form', { class: 'card form-grid', novalidate: true, id: 'profile-form' },
    h('h2', { class: 'wide' }, t('settings.profile')),
    field({ name: 'name', label: t('profile.name'), required: true, wide: true, value: p.name }),
    field({ name: 'address', label: t('profile.address'), type: 'textarea', rows: 3, wide: true, value: p.address }),
    field({ name: 'currency', label: t('profile.currency'), type: 'select', value: p.currency, options: currencies.map((c) => ({ value: c.code, label: c.code })) }),
    field({ name: 'language', label: t('profile.language'), type: 'select', value: p.language, options: LANGUAGES.map((l) => ({ value: l.code, label: l.name })) }),
    field({ name: 'defaultTermsId', label: t('profile.defaultTerms'), type: 'select', value: p.defaultTermsId, options: terms.map((x) => ({ value: x.id, label: x.name })) }),
    field({ name: 'defaultTaxRate', label: t('profile.defaultTaxRate'), inputmode: 'decimal', value: p.defaultTaxRate, list: VAT_RATES }),
    field({ name: 'pricesIncludeTax', label: t('invoice.pricesIncludeTax'), type: 'checkbox', value: p.pricesIncludeTax }),
    field({ name: 'bin', label: t('profile.bin'), inputmode: 'numeric', value: p.bin, hint: t('profile.binHint') }),
    field({ name: 'taxIds', label: t('profile.otherRegistrations'), value: p.taxIds }),
    field({ name: 'vatPayer', label: t('profile.vatPayer'), type: 'checkbox', value: p.vatPayer }),
    field({ name: 'vatRegistration', label: t('profile.vatRegistration'), value: p.vatRegistration }),
    field({ name: 'signerName', label: t('profile.signerName'), value: p.signerName }),
    field({ name: 'signerPosition', label: t('profile.signerPosition'), value: p.signerPosition, list: ['director', 'entrepreneur'].map((k) => ({ value: t(`profile.position.${k}`) })) }),
    field({ name: 'invoiceLayout', label: t('profile.invoiceLayout'), type: 'select', value: p.invoiceLayout, options: ['kz', 'standard'].map((k) => ({ value: k, label: t(`profile.layout.${k}`) })) }),
    field({ name: 'email', label: t('profile.email'), type: 'email', value: p.email }),
    field({ name: 'phone', label: t('profile.phone'), type: 'tel', value: p.phone }),
    field({ name: 'bankAccount', label: t('profile.bankAccount'), value: p.bankAccount }),
    field({ name: 'bankName', label: t('profile.bankName'), value: p.bankName }),
    field({ name: 'bankBic', label: t('profile.bankBic'), value: p.bankBic }),
    field({ name: 'bankKbe', label: t('profile.bankKbe'), inputmode: 'numeric', value: p.bankKbe }),
    field({ name: 'knp', label: t('profile.knp'), inputmode: 'numeric', value: p.knp, list: KNP_CODES.map((c) => ({ value: c, label: t(`knp.${c}`) })) }),
    field({ name: 'unbilledWarnDays', label: t('profile.unbilledWarnDays'), inputmode: 'numeric', value: p.unbilledWarnDays }),
    field({ name: 'thankYou', label: t('profile.thankYou'), type: 'textarea', rows: 2, wide: true, value: p.thankYou }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'profile-save' }, t('action.save'))));
  liveCheck(form, { bin: 'bin', email: 'email', bankAccount: 'iban', bankBic: 'bic', bankKbe: 'kbe', knp: 'knp' }, api.checkIdentifier);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(form);
    const v = formValues(form);
    try {
      state.profile = await api.saveProfile({ ...v, defaultTermsId: Number(v.defaultTermsId) });
      toast(t('settings.saved'));
    } catch (err) { showError(form, err); }
  });
  // Numbering: one form per series (invoices, credit notes), each with its yearly restart.
  const seriesForms = series.map((sr) => {
    const key = { invoice: 'settings.numbering', credit_note: 'settings.numberingCreditNotes', act: 'settings.numberingActs', quote: 'settings.numberingQuotes' }[sr.id] || 'settings.numbering';
    const sform = h('form', { class: 'card form-grid', novalidate: true, id: `series-form-${sr.id}` },
      h('h2', { class: 'wide' }, t(key)),
      field({ name: 'format', label: t('settings.numberFormat'), value: sr.format, hint: t('settings.numberFormatHint') }),
      field({ name: 'nextNumber', label: t('settings.nextNumber'), inputmode: 'numeric', value: sr.nextNumber, hint: sr.issued ? t('settings.nextNumberLocked') : t('settings.nextNumberHint') }),
      field({ name: 'yearly', label: t('settings.yearly'), type: 'checkbox', value: sr.yearly, wide: true, hint: t(sr.issued && sr.yearly ? 'settings.yearlyLocked' : 'settings.yearlyHint') }),
      h('p', { class: 'wide series-example' }, t('settings.example', { example: sr.example })),
      h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary' }, t('action.save'))));
    if (sr.issued) sform.querySelector('[data-field="nextNumber"]').readOnly = true;
    if (sr.issued && sr.yearly) sform.querySelector('[data-field="yearly"]').disabled = true;
    sform.addEventListener('submit', async (e) => {
      e.preventDefault();
      clearErrors(sform);
      const v = formValues(sform);
      try {
        const res = await api.setSeries({ id: sr.id, format: v.format, nextNumber: sr.issued ? undefined : v.nextNumber, yearly: v.yearly });
        const now = res.find((x) => x.id === sr.id);
        sform.querySelector('.series-example').textContent = t('settings.example', { example: now.example });
        toast(t('settings.saved'));
      } catch (err) { showError(sform, err); }
    });
    return sform;
  });
  // Envelope: the preset, the printer offset, and the calibration page to find it.
  const env = state.profile.envelope || { preset: 'din5008b', offsetX: '0', offsetY: '0' };
  const eform = h('form', { class: 'card form-grid', novalidate: true, id: 'envelope-form' },
    h('h2', { class: 'wide' }, t('settings.envelope')),
    h('p', { class: 'hint wide' }, t('settings.envelopeHint')),
    field({ name: 'preset', label: t('settings.envelopePreset'), type: 'select', value: env.preset, options: [
      { value: 'din5008b', label: t('settings.envelope.din5008b') }, { value: 'din5008a', label: t('settings.envelope.din5008a') }, { value: 'us10', label: t('settings.envelope.us10') }] }),
    field({ name: 'offsetX', label: t('settings.offsetX'), inputmode: 'decimal', value: env.offsetX }),
    field({ name: 'offsetY', label: t('settings.offsetY'), inputmode: 'decimal', value: env.offsetY }),
    h('div', { class: 'actions wide' },
      h('button', { type: 'submit', class: 'primary', id: 'envelope-save' }, t('action.save')),
      h('button', { type: 'button', class: 'secondary', id: 'envelope-calibration', onclick: async () => {
        try { const r = await api.savePdf({ kind: 'calibration' }); if (!r.cancelled) toast(t('pdf.saved', { path: fileName(r.path) })); } catch (err) { toast(t(err.key), 'error'); }
      } }, t('reports.calibration'))));
  eform.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(eform);
    try {
      state.profile = await api.saveEnvelope(formValues(eform));
      toast(t('settings.saved'));
    } catch (err) { showError(eform, err); }
  });

  // Payment terms: the presets and the user's own, each with the sentence invoices print.
  const termsBox = h('div', { id: 'terms-list' });
  const showTerms = (list) => clear(termsBox).append(h('ul', { class: 'terms' }, list.map((x) => h('li', {},
    h('strong', {}, x.name), ' — ', x.sentence, x.preset ? h('span', { class: 'pill' }, t('settings.termsPreset')) : null))));
  showTerms(terms);
  const tform = h('form', { class: 'form-grid', novalidate: true, id: 'terms-form' },
    h('h3', { class: 'wide' }, t('settings.termsNew')),
    field({ name: 'name', label: t('settings.termsName'), required: true }),
    field({ name: 'kind', label: t('settings.termsKind'), type: 'select', value: 'net', options: ['receipt', 'net', 'after_receipt', 'eom', 'proximo'].map((k) => ({ value: k, label: t(`settings.termsKind.${k}`) })) }),
    field({ name: 'days', label: t('settings.termsDays'), inputmode: 'numeric', value: '30' }),
    field({ name: 'dayOfMonth', label: t('settings.termsDayOfMonth'), inputmode: 'numeric' }),
    field({ name: 'discountPercent', label: t('settings.termsDiscountPercent'), inputmode: 'decimal' }),
    field({ name: 'discountDays', label: t('settings.termsDiscountDays'), inputmode: 'numeric' }),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary', id: 'terms-save' }, t('action.save'))));
  tform.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(tform);
    const v = Object.fromEntries(Object.entries(formValues(tform)).filter(([, x]) => x !== ''));
    try {
      await api.saveTerms(v);
      showTerms(await api.terms(currentLanguage()));
      tform.reset();
      toast(t('settings.saved'));
    } catch (err) { showError(tform, err); }
  });
  const termsCard = h('section', { class: 'card', id: 'terms-card' }, h('h2', {}, t('settings.terms')), termsBox, tform);

  const rs = await api.reminderSettings();
  const rform = h('form', { class: 'card form-grid', novalidate: true, id: 'reminder-form' },
    h('h2', { class: 'wide' }, t('settings.reminders')),
    field({ name: 'graceDays', label: t('settings.graceDays'), inputmode: 'numeric', value: rs.graceDays }),
    field({ name: 'spacingDays', label: t('settings.spacingDays'), inputmode: 'numeric', value: rs.spacingDays }),
    field({ name: 'feeKind', label: t('settings.feeKind'), type: 'select', value: rs.feeKind, options: ['none', 'fixed', 'interest'].map((k) => ({ value: k, label: t(`settings.fee.${k}`) })) }),
    field({ name: 'feeFixed', label: t('settings.feeFixed'), inputmode: 'decimal', value: rs.feeFixed }),
    field({ name: 'interestPercent', label: t('settings.interestPercent'), inputmode: 'decimal', value: rs.interestPercent }),
    [1, 2, 3].map((n) => field({ name: `text${n}`, label: t(`reminder.level${n}`), type: 'textarea', rows: 2, wide: true, value: rs[`text${n}`], hint: t('settings.reminderTextHint') })),
    h('div', { class: 'actions wide' }, h('button', { type: 'submit', class: 'primary' }, t('action.save'))));
  rform.addEventListener('submit', async (e) => {
    e.preventDefault();
    clearErrors(rform);
    try { await api.saveReminderSettings(formValues(rform)); toast(t('settings.saved')); } catch (err) { showError(rform, err); }
  });
  const backupOut = h('p', { id: 'backup-result', 'aria-live': 'polite' });
  const backupList = h('div', { id: 'backups' });
  // The logo, and the signer's signature and the seal for the Kazakh invoice and the act:
  // each a PNG (with transparency) or JPEG, checked and stored by the core.
  const has = { logo: 'hasLogo', signature: 'hasSignature', seal: 'hasSeal' };
  const imagePicker = (kind) => {
    const { el: picker, input } = filePicker({ id: `${kind}-file`, accept: 'image/png,image/jpeg' });
    const out = h('p', { class: 'hint', 'aria-live': 'polite' }, t(`settings.${kind}Hint`));
    const thumb = h('div', { class: 'logo-thumb' });
    const remove = h('button', { type: 'button', class: 'secondary small', id: `${kind}-remove`, hidden: !state.profile[has[kind]], onclick: async () => {
      try { await api.setImage(kind, null); state.profile[has[kind]] = false; remove.hidden = true; clear(thumb); out.textContent = t(`settings.${kind}Removed`); } catch (err) { out.textContent = t(err.key); }
    } }, t(`settings.${kind}Remove`));
    input.addEventListener('change', () => {
      const file = input.files && input.files[0];
      if (!file) return;
      const reader = new FileReader();
      reader.onload = async () => {
        const url = String(reader.result);
        const b64 = url.split(',')[1] || '';
        try {
          await api.setImage(kind, b64);
          state.profile[has[kind]] = true;
          remove.hidden = false;
          clear(thumb).append(h('img', { src: url, alt: t(`settings.${kind}`), height: 40 }));
          out.textContent = t(`settings.${kind}Saved`);
        } catch (err) { out.textContent = t(err.key); }
      };
      reader.readAsDataURL(file);
    });
    return h('div', { class: 'field wide' }, h('label', { for: `${kind}-file` }, t(`settings.${kind}`)), picker, thumb, remove, out);
  };
  for (const kind of ['logo', 'signature', 'seal']) form.insertBefore(imagePicker(kind), form.querySelector('.actions'));
  // Shared books are backed up on their server: the file and its backups are this computer's.
  if (state.info.server) {
    root.append(h('header', { class: 'page-head' }, h('h1', {}, t('nav.settings'))), form, ...seriesForms, eform, termsCard, rform, serverCard(ctx));
    return;
  }
  root.append(h('header', { class: 'page-head' }, h('h1', {}, t('nav.settings'))), form, ...seriesForms, eform, termsCard, rform,
    h('section', { class: 'card' }, h('h2', {}, t('settings.data')), h('p', {}, t('app.dataFile'), ' ', h('code', { id: 'data-file' }, state.info.database || '')),
      h('p', { class: 'hint' }, t('settings.backupHint')),
      h('div', { class: 'toolbar' },
        h('button', { type: 'button', class: 'secondary', id: 'backup-now', onclick: async () => {
          try { const r = await api.backupNow(); backupOut.textContent = t('settings.backupDone', { path: r.path }); await listBackups(); } catch (err) { backupOut.textContent = t(err.key); }
        } }, t('settings.backupNow')),
        h('button', { type: 'button', class: 'secondary', id: 'save-copy', onclick: async () => {
          try { const r = await api.saveCopy(); if (!r.cancelled) backupOut.textContent = t('pdf.saved', { path: fileName(r.path) }); } catch (err) { backupOut.textContent = t(err.key); }
        } }, t('backup.saveCopy'))),
      backupOut, backupList),
    serverCard(ctx));
  await listBackups();

  // Backups, newest first, each restorable (a safety copy of the current books comes first).
  async function listBackups() {
    let res;
    try { res = await api.listBackups(); } catch (err) { clear(backupList).append(h('p', {}, t(err.key))); return; }
    clear(backupList);
    if (!res.backups.length) { backupList.append(h('p', { class: 'hint' }, t('backup.none'))); return; }
    backupList.append(h('table', { class: 'data', id: 'backup-list' },
      h('caption', {}, t('backup.listCaption')),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, t('backup.written')), h('th', { scope: 'col' }, t('backup.kind')), h('th', { scope: 'col', class: 'num' }, t('backup.size')), h('th', { scope: 'col' }, ''))),
      h('tbody', {}, res.backups.map((b) => h('tr', {},
        h('td', {}, b.written), h('td', {}, t(`backup.kind.${b.kind}`)), h('td', { class: 'num' }, `${(b.bytes / 1024).toFixed(0)} KB`),
        h('td', {}, h('button', { type: 'button', class: 'small secondary', 'data-backup': b.name, onclick: async () => {
          const ok = await confirmDialog(t('backup.restoreTitle'), t('backup.restoreConfirm', { when: b.written }), t('backup.restore'));
          if (!ok) return;
          try {
            const r = await api.restoreBackup(b.name);
            toast(t('backup.restored', { name: r.restored, safety: r.safetyCopy }));
            setTimeout(() => location.reload(), 1200);
          } catch (err) { toast(t(err.key), 'error'); }
        } }, t('backup.restore'))))))));
  }
}
