-- Issue 15, point 2: "Mein Konto" lists the active sessions with the browser
-- and system they run on, so a citizen recognises a login that is not theirs
-- and ends it. Only the two words are kept (for example "firefox windows"),
-- never the whole User-Agent header: data minimisation (DESIGN.md §7).
-- Sessions started before this migration show as an unknown device.
ALTER TABLE sso_sessions ADD COLUMN device text NOT NULL DEFAULT '';

-- The login history on "Mein Konto" reads the account's own audit events,
-- newest first; without this it would scan the whole log.
CREATE INDEX audit_events_actor ON audit_events (actor, id);
