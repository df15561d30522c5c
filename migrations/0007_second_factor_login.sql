-- Issue 13, point 2: once an account has a second factor, every login asks
-- for it by default. The citizen may allow the password alone for logins to
-- services that need only "niedrig"; services asking for "substanziell" or
-- more always get the step-up.
ALTER TABLE accounts ADD COLUMN password_enough_for_low boolean NOT NULL DEFAULT false;
