-- eID login with the German ID card through a TR-03130 eID-Server (issue 6).

-- The cards (and Smart-eIDs) linked to an account. A card is known only by
-- its RestrictedID, which is per card and per terminal sector (the
-- authorisation certificate, "Ein Zertifikat für alle"); only a keyed hash
-- of it is stored (design notes §7).
CREATE TABLE eid_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  sector text NOT NULL,
  restricted_id_hash text NOT NULL,
  document_type text NOT NULL,
  eid_type text NOT NULL CHECK (eid_type IN ('CardCertified', 'SECertified', 'SEEndorsed', 'HWKeyStore')),
  created_at timestamptz NOT NULL,
  last_used_at timestamptz,
  blocked_at timestamptz,
  UNIQUE (sector, restricted_id_hash)
);
CREATE INDEX eid_links_account ON eid_links (account_id);

-- One reading of a card: created with the hand-over page, bound to that
-- browser (cookie hash), started when the eID client fetches the TC token,
-- done when getResult answered; while one request asks getResult, the
-- reading is `polling` (a reload or a second tab waits instead of asking
-- too, which would end the server's session). The eID-Server's session id and the data
-- read are kept sealed and only until the transaction expires.
CREATE TABLE eid_transactions (
  id text PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('login', 'register', 'link', 'refresh', 'recover', 'guest')),
  base text NOT NULL,
  context jsonb NOT NULL DEFAULT '{}',
  binding_hash text NOT NULL,
  tc_ref_hash text NOT NULL UNIQUE,
  refresh_ref_hash text UNIQUE,
  request jsonb NOT NULL,
  server_session text,
  request_counter integer NOT NULL DEFAULT 0,
  state text NOT NULL CHECK (state IN ('created', 'started', 'polling', 'done', 'failed', 'used')),
  polling_since timestamptz,
  outcome text,
  result text,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX eid_transactions_expires ON eid_transactions (expires_at);

-- How a session was authenticated: SAML's AssertionProvedBy says `eID` only
-- for an eID login (PROFILES.md §1); amr keeps RFC 8176 values.
ALTER TABLE sso_sessions ADD COLUMN method text NOT NULL DEFAULT 'password';
