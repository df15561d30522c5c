-- WebAuthn challenges: one pending ceremony per SSO session and purpose,
-- short-lived and used once (W3C WebAuthn Level 3 §13.4.3).
CREATE TABLE webauthn_challenges (
  session_id text NOT NULL REFERENCES sso_sessions (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('register', 'authenticate')),
  challenge text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (session_id, purpose)
);
