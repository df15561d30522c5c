-- An account's means by its id: the second factors a login or a SAML answer
-- asks about (methods/means-repository.ts `secondFactorWishColumns`), the
-- settings pages' lists, and the cascade when an account is deleted. Only the
-- password had an index (authentication_means_one_password, partial), so every
-- such read scanned the whole table: with a million accounts, millions of rows
-- per login. Found by auto_explain in issue 16's bench.
CREATE INDEX authentication_means_account ON authentication_means (account_id);
