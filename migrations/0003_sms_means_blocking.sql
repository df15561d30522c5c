-- SMS-TAN, blocking lost means, and the level of the means behind a session.

-- The level of the means a session was started with, before the cap by the
-- identity data: adding a means needs a login at the account's current
-- maximum (TR-03160-1), which is a property of the means, not of the data.
ALTER TABLE sso_sessions ADD COLUMN means_level smallint NOT NULL DEFAULT 2 CHECK (means_level BETWEEN 1 AND 4);

-- One pending TAN per SSO session and purpose: bound to the session, stored
-- as a keyed hash, a few tries only, short-lived (TR-03107-1 for OTPs).
CREATE TABLE sms_challenges (
  session_id text NOT NULL REFERENCES sso_sessions (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('register', 'authenticate')),
  phone text NOT NULL,
  tan_hash text NOT NULL,
  attempts smallint NOT NULL DEFAULT 0,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (session_id, purpose)
);

-- Development SMS sink (/dev/sms); never written in production.
CREATE TABLE dev_sms_outbox (
  id bigserial PRIMARY KEY,
  recipient text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A lost means blocked through the e-mail link, without a second factor:
-- means added afterwards reach substanziell only when added in a session of
-- that level, so a stolen password plus mailbox cannot swap in a new token.
ALTER TABLE accounts ADD COLUMN means_reset_at timestamptz;

ALTER TABLE email_tokens DROP CONSTRAINT email_tokens_purpose_check;
ALTER TABLE email_tokens ADD CONSTRAINT email_tokens_purpose_check CHECK (purpose IN ('verify_email', 'reset_password', 'change_email', 'block_means'));
