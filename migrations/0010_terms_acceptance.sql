-- Issue 15: acceptance of the terms of use at registration, and the service
-- a confirmation link leads back to.
--
-- Every account registered from now on records when its holder accepted the
-- terms of use and which version they read (flows/registration/terms.ts), so
-- a change of the terms can be told apart from what was agreed. Accounts
-- registered before stay NULL: they accepted nothing recorded here.
ALTER TABLE accounts
  ADD COLUMN terms_accepted_at timestamptz,
  ADD COLUMN terms_version text;

-- The service whose login the registration started from (an OIDC client id or
-- a SAML service id). The pending login (`return_to`) lives only in the
-- browser that registered and only for minutes; with the service known, a
-- link opened later or on another device starts that service's login afresh
-- instead of ending at an expired one.
ALTER TABLE email_tokens ADD COLUMN service_id text;
