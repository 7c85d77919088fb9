-- #9: a shop moving in 100,000 unbilled services. The dashboard counts and sums every unbilled
-- service and the Unbilled screen lists them oldest first, a page at a time: both read this
-- index alone (the services not on any invoice, by date), never the table.
DROP INDEX charges_unbilled;
CREATE INDEX charges_unbilled ON charges (invoice_id, service_date, id, customer_id, currency, unit_price_minor, quantity);
