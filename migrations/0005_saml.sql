-- SAML 2.0 identity provider (issue: SAML with the BundID profile).

-- A validated AuthnRequest waiting for the citizen: bound to the browser
-- that brought it (a cookie holds a random token, this table its hash), so
-- the cross-site POST that carried it needs no session cookie (SameSite=Lax).
CREATE TABLE saml_pending_logins (
  uid text PRIMARY KEY,
  browser_hash text NOT NULL,
  service_id text NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  request jsonb NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  completed_at timestamptz
);
CREATE INDEX saml_pending_logins_expires ON saml_pending_logins (expires_at);

-- Request ids seen per service, kept until their IssueInstant window has
-- passed: a request replayed within it is refused (saml-profiles §4.1.4.5).
CREATE TABLE saml_seen_ids (
  service_id text NOT NULL,
  message_id text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (service_id, message_id)
);
CREATE INDEX saml_seen_ids_expires ON saml_seen_ids (expires_at);

-- Which services an SSO session was used for, so a logout can reach them:
-- SAML with its NameID and SessionIndex (DESIGN.md §5a).
CREATE TABLE session_participations (
  id bigserial PRIMARY KEY,
  sso_session_id text NOT NULL,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  service_id text NOT NULL REFERENCES services (id) ON DELETE CASCADE,
  protocol text NOT NULL CHECK (protocol IN ('oidc', 'saml')),
  session_index text UNIQUE,
  name_id text,
  name_id_format text,
  created_at timestamptz NOT NULL DEFAULT now(),
  ended_at timestamptz
);
CREATE INDEX session_participations_session ON session_participations (sso_session_id) WHERE ended_at IS NULL;
CREATE INDEX session_participations_account ON session_participations (account_id) WHERE ended_at IS NULL;

-- A single logout walking the browser through the services of a session,
-- one LogoutRequest after the other (saml-profiles §4.4), then back to whoever
-- started it: a service's LogoutRequest, or our own logout page.
CREATE TABLE saml_logout_flows (
  id text PRIMARY KEY,
  remaining bigint[] NOT NULL,
  current_request_id text UNIQUE,
  current_participation bigint,
  initiator jsonb NOT NULL,
  partial boolean NOT NULL DEFAULT false,
  expires_at timestamptz NOT NULL
);

-- Where a consent came from, e.g. BundID's OnlineServiceId.
ALTER TABLE consents ADD COLUMN context jsonb;
