-- Foundation schema: accounts, identity data with trust levels, authentication
-- means, SSO sessions, services, consent, OIDC protocol store, mail jobs,
-- throttling and the audit log (DESIGN.md §5a).

-- Secrets generated per installation (pairwise salt, cookie keys, CSRF key).
CREATE TABLE installation_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- OIDC signing keys; newest active first; retired keys stay published until
-- every token signed with them has expired.
CREATE TABLE signing_keys (
  kid text PRIMARY KEY,
  alg text NOT NULL,
  private_jwk jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  retired_at timestamptz
);

CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL,
  email text NOT NULL,
  email_verified_at timestamptz,
  language text NOT NULL DEFAULT 'de' CHECK (language IN ('de', 'en')),
  state text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'locked')),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_login_at timestamptz
);
CREATE UNIQUE INDEX accounts_username_key ON accounts (lower(username));
CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email));

-- Identity data: each attribute with its own trust level 1..4 (DESIGN.md §3).
CREATE TABLE identity_attributes (
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name text NOT NULL,
  value text NOT NULL,
  trust_level smallint NOT NULL CHECK (trust_level BETWEEN 1 AND 4),
  source text NOT NULL CHECK (source IN ('typed', 'eid', 'clerk', 'upstream', 'wallet')),
  verified_at timestamptz,
  evidence jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (account_id, name)
);

-- Authentication means: password now; TOTP, WebAuthn, SMS, recovery codes later.
CREATE TABLE authentication_means (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  kind text NOT NULL,
  secret text,
  public_data jsonb,
  display_name text,
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz,
  blocked_at timestamptz
);
CREATE UNIQUE INDEX authentication_means_one_password ON authentication_means (account_id) WHERE kind = 'password';

-- The one SSO session of a browser; the cookie holds a random token, the
-- table only its SHA-256.
CREATE TABLE sso_sessions (
  id text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  level smallint NOT NULL CHECK (level BETWEEN 1 AND 4),
  amr text[] NOT NULL,
  auth_time timestamptz NOT NULL,
  last_active_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  idle_expires_at timestamptz NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sso_sessions_account ON sso_sessions (account_id);

-- Online services (OIDC clients now, SAML service providers later).
CREATE TABLE services (
  id text PRIMARY KEY,
  display_name text NOT NULL,
  operator text,
  protocol text NOT NULL CHECK (protocol IN ('oidc', 'saml')),
  config jsonb NOT NULL,
  min_level smallint NOT NULL DEFAULT 1 CHECK (min_level BETWEEN 1 AND 4),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Consent per account, service and set of scopes (attribute groups).
CREATE TABLE consents (
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  service_id text NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  scopes text[] NOT NULL,
  granted_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  PRIMARY KEY (account_id, service_id)
);

-- Single-use links sent by mail: the mail holds the token, the table its SHA-256.
CREATE TABLE email_tokens (
  id text PRIMARY KEY,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
  new_email text,
  -- Where the citizen continues afterwards (an internal path, e.g. a pending OIDC interaction).
  return_to text,
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX email_tokens_account ON email_tokens (account_id, purpose);

-- Everything oidc-provider persists (codes, tokens, grants, interactions, sessions).
CREATE TABLE oidc_payloads (
  model text NOT NULL,
  id text NOT NULL,
  payload jsonb NOT NULL,
  grant_id text,
  user_code text,
  uid text,
  account_id text,
  client_id text,
  expires_at timestamptz,
  consumed_at timestamptz,
  PRIMARY KEY (model, id)
);
CREATE INDEX oidc_payloads_grant ON oidc_payloads (grant_id) WHERE grant_id IS NOT NULL;
CREATE INDEX oidc_payloads_uid ON oidc_payloads (uid) WHERE uid IS NOT NULL;
CREATE INDEX oidc_payloads_user_code ON oidc_payloads (user_code) WHERE user_code IS NOT NULL;
CREATE INDEX oidc_payloads_account_client ON oidc_payloads (account_id, client_id) WHERE account_id IS NOT NULL;
CREATE INDEX oidc_payloads_expires ON oidc_payloads (expires_at);

-- Background work shared by every instance (FOR UPDATE SKIP LOCKED).
CREATE TABLE jobs (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  payload jsonb NOT NULL,
  run_at timestamptz NOT NULL DEFAULT now(),
  attempts integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  done_at timestamptz,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_due ON jobs (run_at) WHERE done_at IS NULL;

-- Development outbox (/dev/mail); never written in production.
CREATE TABLE dev_outbox (
  id bigserial PRIMARY KEY,
  recipient text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Fixed-window counters for rate limits and failed-login throttling.
CREATE TABLE rate_counters (
  key text PRIMARY KEY,
  count integer NOT NULL,
  window_start timestamptz NOT NULL,
  blocked_until timestamptz
);

-- Append-only audit log; each row carries the hash of the previous one.
CREATE TABLE audit_events (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  actor text NOT NULL,
  action text NOT NULL,
  subject text,
  outcome text NOT NULL,
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
