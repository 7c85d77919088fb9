-- #20: what a Kazakh invoice and act of completed works carry.

-- The business's БИН (or an entrepreneur's ИИН), checked; tax_ids stays for other registrations.
ALTER TABLE business_profile ADD COLUMN bin TEXT NOT NULL DEFAULT '';
-- The default payment purpose code (КНП) printed in the payment order sample.
ALTER TABLE business_profile ADD COLUMN knp TEXT NOT NULL DEFAULT '';
-- A VAT payer prints "в т.ч. НДС" / its VAT registration; others print "Без НДС".
ALTER TABLE business_profile ADD COLUMN vat_payer INTEGER NOT NULL DEFAULT 0 CHECK (vat_payer IN (0, 1));
ALTER TABLE business_profile ADD COLUMN vat_registration TEXT NOT NULL DEFAULT '';
-- Who signs (director, individual entrepreneur), and optional images of the signature and seal.
ALTER TABLE business_profile ADD COLUMN signer_name TEXT NOT NULL DEFAULT '';
ALTER TABLE business_profile ADD COLUMN signer_position TEXT NOT NULL DEFAULT '';
ALTER TABLE business_profile ADD COLUMN signature BLOB;
ALTER TABLE business_profile ADD COLUMN seal BLOB;
-- The invoice layout: 'kz' is the one Kazakh accountants know (payment order sample at the
-- top), for documents in kk or ru; 'standard' the generic one.
ALTER TABLE business_profile ADD COLUMN invoice_layout TEXT NOT NULL DEFAULT 'standard' CHECK (invoice_layout IN ('standard', 'kz'));
-- A Kazakh shop that set up its books before this gets the Kazakh layout.
UPDATE business_profile SET invoice_layout = 'kz'
 WHERE lower(trim(country)) IN ('', 'kz', 'kaz', 'kazakhstan', 'republic of kazakhstan')
    OR trim(country) IN ('Казахстан', 'казахстан', 'Қазақстан', 'қазақстан', 'Республика Казахстан', 'Қазақстан Республикасы');

-- The contract a customer works under, printed on its invoices and acts.
ALTER TABLE customers ADD COLUMN contract_number TEXT NOT NULL DEFAULT '';
ALTER TABLE customers ADD COLUMN contract_date TEXT;
