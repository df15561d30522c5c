-- Passwordless login with a passkey (issue 15, point 8). Before the login there is no session to bind a
-- challenge to: the challenge is signed and carries its expiry (methods/passkey/challenge.ts), and this
-- table only remembers the ones used, so each works once (WebAuthn §13.4.3) until it would expire anyway.
CREATE TABLE passkey_used_challenges (
  challenge text PRIMARY KEY,
  expires_at timestamptz NOT NULL
);
CREATE INDEX passkey_used_challenges_expiry ON passkey_used_challenges (expires_at);

-- A discoverable credential names itself, not its account (WebAuthn §6.2.2): the login finds it by its id.
CREATE INDEX authentication_means_credential_id ON authentication_means ((public_data ->> 'credentialId'));
