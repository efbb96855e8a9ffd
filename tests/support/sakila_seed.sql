-- Rows for the end-to-end test of examples/sakila, with dates on both sides of every
-- retention period, relative to now(). sakila's columns are `timestamp without time zone`
-- holding Berlin wall-clock time, so "now" is `now() AT TIME ZONE 'Europe/Berlin'`.
-- Every row that must expire is at least 30 days past its period and every row that must
-- stay at least 30 days short of it, so neither DST nor leap days can tip the outcome.
--
-- Marker values: a name or city starting with `old` must be anonymised or deleted, one
-- starting with `keep` must stay as it is.
--
-- store and staff reference each other (store.manager_staff_id, staff.store_id) with
-- foreign keys that are not deferrable, so the seed switches foreign-key triggers off
-- (session_replication_role = replica) while it inserts; every reference is still valid.

BEGIN;
SET LOCAL session_replication_role = replica;

INSERT INTO country (country_id, country) VALUES (1, 'Germany');
INSERT INTO city (city_id, city, country_id) VALUES (1, 'Berlin', 1);
INSERT INTO language (language_id, name) VALUES (1, 'English');
INSERT INTO film (film_id, title, language_id, fulltext)
VALUES (1, 'ACADEMY DINOSAUR', 1, to_tsvector('academy dinosaur'));
INSERT INTO store (store_id, manager_staff_id, address_id) VALUES (1, 1, 1);
INSERT INTO inventory (inventory_id, film_id, store_id) VALUES (1, 1, 1);

-- address: P3Y after last_update, then anonymise.
INSERT INTO address (address_id, address, address2, district, city_id, postal_code, phone, last_update) VALUES
  (1, 'keep store, Friedrichstr. 1', NULL, 'keep Mitte', 1, '10117', '+4930111111', (now() AT TIME ZONE 'Europe/Berlin')),
  (2, 'old customer street 2', 'old 2nd floor', 'old Wedding', 1, '13347', '+4930222222', (now() AT TIME ZONE 'Europe/Berlin') - interval '3 years 30 days'),
  (3, 'keep customer street 3', 'keep attic', 'keep Pankow', 1, '13187', '+4930333333', (now() AT TIME ZONE 'Europe/Berlin') - interval '3 years' + interval '30 days'),
  (4, 'keep staff street 4', NULL, 'keep Moabit', 1, '10551', '+4930444444', (now() AT TIME ZONE 'Europe/Berlin') - interval '1 day'),
  (5, 'old staff street 5', NULL, 'old Spandau', 1, '13597', '+4930555555', (now() AT TIME ZONE 'Europe/Berlin') - interval '7 years'),
  (6, 'keep customer street 6', NULL, 'keep Neukoelln', 1, '12043', '+4930666666', (now() AT TIME ZONE 'Europe/Berlin'));

-- staff: P3Y after last_update, then anonymise.
INSERT INTO staff (staff_id, first_name, last_name, address_id, email, store_id, active, username, password, last_update, picture) VALUES
  (1, 'keepMike', 'keepHillyer', 4, 'mike@sakila-rentals.example', 1, true, 'mike', '8cb2237d0679ca88db6464eac60da96345513964', (now() AT TIME ZONE 'Europe/Berlin') - interval '3 years' + interval '30 days', NULL),
  (2, 'oldJon', 'oldStephens', 5, 'jon@sakila-rentals.example', 1, false, 'jon', '8cb2237d0679ca88db6464eac60da96345513964', (now() AT TIME ZONE 'Europe/Berlin') - interval '3 years 30 days', '\x89504e47'::bytea);

-- customer: P3Y after last_update, then anonymise.
INSERT INTO customer (customer_id, store_id, first_name, last_name, email, address_id, activebool, create_date, last_update, active) VALUES
  (1, 1, 'oldMary', 'oldSmith', 'mary@example.org', 2, true, DATE '2015-06-17', (now() AT TIME ZONE 'Europe/Berlin') - interval '3 years 30 days', 1),
  (2, 1, 'keepPatricia', 'keepJohnson', 'patricia@example.org', 3, true, DATE '2016-02-03', (now() AT TIME ZONE 'Europe/Berlin') - interval '3 years' + interval '30 days', 1),
  (3, 1, 'oldLinda', 'oldWilliams', 'linda@example.org', 2, false, DATE '2009-11-30', (now() AT TIME ZONE 'Europe/Berlin') - interval '9 years', 0),
  (4, 1, 'keepBarbara', 'keepJones', NULL, 6, true, CURRENT_DATE, (now() AT TIME ZONE 'Europe/Berlin'), 1);

-- rental: P10Y after rental_date, then delete. payment.rental_id is NOT NULL and its
-- foreign key is ON DELETE SET NULL, so a rental can only go once its payments have gone:
-- each expired rental's payments are expired too (the payment job runs first).
INSERT INTO rental (rental_id, rental_date, inventory_id, customer_id, return_date, staff_id) VALUES
  (1, (now() AT TIME ZONE 'Europe/Berlin') - interval '10 years 30 days', 1, 3, (now() AT TIME ZONE 'Europe/Berlin') - interval '10 years 25 days', 1),
  (2, (now() AT TIME ZONE 'Europe/Berlin') - interval '10 years' + interval '30 days', 1, 1, (now() AT TIME ZONE 'Europe/Berlin') - interval '10 years' + interval '33 days', 1),
  (3, (now() AT TIME ZONE 'Europe/Berlin') - interval '2 days', 1, 2, NULL, 2),
  (4, (now() AT TIME ZONE 'Europe/Berlin') - interval '12 years', 1, 3, (now() AT TIME ZONE 'Europe/Berlin') - interval '12 years' + interval '3 days', 1),
  (5, (now() AT TIME ZONE 'Europe/Berlin') - interval '4 years', 1, 1, (now() AT TIME ZONE 'Europe/Berlin') - interval '4 years' + interval '2 days', 1);

-- payment: P10Y after payment_date, then delete.
INSERT INTO payment (payment_id, customer_id, staff_id, rental_id, amount, payment_date) VALUES
  (1, 3, 1, 1, 2.99, (now() AT TIME ZONE 'Europe/Berlin') - interval '10 years 30 days'),
  (2, 1, 1, 2, 0.99, (now() AT TIME ZONE 'Europe/Berlin') - interval '10 years' + interval '30 days'),
  (3, 2, 2, 3, 5.99, (now() AT TIME ZONE 'Europe/Berlin') - interval '2 days'),
  (4, 3, 1, 4, 4.99, (now() AT TIME ZONE 'Europe/Berlin') - interval '12 years'),
  (5, 1, 1, 2, 1.00, (now() AT TIME ZONE 'Europe/Berlin') - interval '10 years 40 days'),
  (6, 1, 1, 5, 3.99, (now() AT TIME ZONE 'Europe/Berlin') - interval '4 years');

COMMIT;

-- The dump's sequences start at 1; move them past the seeded ids.
SELECT setval('address_address_id_seq', 100), setval('customer_customer_id_seq', 100),
       setval('staff_staff_id_seq', 100), setval('rental_rental_id_seq', 100),
       setval('payment_payment_id_seq', 100);
