-- An e-mail address belongs to an account only once it is confirmed (issue 13,
-- point 9). Before, every address typed into a registration form was taken at
-- once, so a card holder could register with someone else's address and keep
-- its owner from registering or resetting, and the form told who had an
-- account. Now several unconfirmed registrations may name one address; the
-- first to open its confirmation link gets it, and the others can no longer
-- be confirmed and expire with the unconfirmed registrations (housekeeping).
DROP INDEX accounts_email_key;
CREATE UNIQUE INDEX accounts_confirmed_email_key ON accounts (lower(email)) WHERE email_verified_at IS NOT NULL;
CREATE INDEX accounts_email ON accounts (lower(email));
