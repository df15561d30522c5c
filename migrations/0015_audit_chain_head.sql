-- The audit chain's newest hash in one row (issue 16), so an append takes the
-- lock that keeps the chain linear and reads the hash to extend in one
-- statement (audit-repository.ts `lockHead`): in READ COMMITTED an INSERT ...
-- ON CONFLICT DO UPDATE waits for a concurrent append and then locks and
-- returns the row as that append left it (PostgreSQL manual §13.2.1, §INSERT),
-- where a read of audit_events after an advisory lock needed a statement of its
-- own (a statement's snapshot is older than a lock granted inside it). With
-- the row gone (emptied tables), the next append starts it at `genesis`; amid
-- rows, that breaks the chain where the verifier looks (audit-log.ts `verify`).
CREATE TABLE audit_chain_head (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  hash text NOT NULL
);
INSERT INTO audit_chain_head (hash)
  SELECT coalesce((SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1), 'genesis');

-- Every row added must extend the head, whoever writes it (an instance still
-- on the advisory lock during an update, psql): a row naming another
-- predecessor would fork the chain, so it is refused.
-- (No line of the body ends in a semicolon: migrate.ts splits statements there.)
CREATE FUNCTION audit_chain_extend() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE audit_chain_head SET hash = NEW.hash WHERE hash = NEW.prev_hash; IF NOT FOUND THEN
    RAISE EXCEPTION 'audit event % does not extend the chain''s head', NEW.hash USING ERRCODE = 'serialization_failure'; END IF; RETURN NEW; END
$$;

CREATE TRIGGER audit_events_extend BEFORE INSERT ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_chain_extend();
