-- Inactivity deletion (DESIGN.md §7, PROFILES.md §5: deleted after 24 months
-- unused, warned 6 and 3 months before). An account counts as used when the
-- citizen logs in (any method) or uses a logged-in session (Mein Konto, a
-- service login through the SSO session); last_active_at keeps the day of the
-- last such use (written at most once a day, session/sso-session-repository.ts).
ALTER TABLE accounts ADD COLUMN last_active_at timestamptz;
-- Existing accounts: the latest of registration, last login and any session's last request.
UPDATE accounts SET last_active_at = greatest(created_at, last_login_at);
UPDATE accounts a SET last_active_at = greatest(a.last_active_at, s.last_active_at)
  FROM (SELECT account_id, max(last_active_at) AS last_active_at FROM sso_sessions GROUP BY account_id) s
  WHERE s.account_id = a.id;
ALTER TABLE accounts ALTER COLUMN last_active_at SET DEFAULT now();
ALTER TABLE accounts ALTER COLUMN last_active_at SET NOT NULL;
-- Which warning went out (0 none, 1 the first, 2 the second) and when: each is sent once, and the next step waits
-- for the time the last mail promised. Any use sets both back.
ALTER TABLE accounts ADD COLUMN inactivity_warnings smallint NOT NULL DEFAULT 0 CHECK (inactivity_warnings BETWEEN 0 AND 2);
ALTER TABLE accounts ADD COLUMN inactivity_warned_at timestamptz;
CREATE INDEX accounts_last_active_at ON accounts (last_active_at);
