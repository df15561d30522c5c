-- Caches of rarely changing rows in each instance (src/platform/db/change-feed.ts)
-- learn of every change from a NOTIFY on the channel servicekonto_changes whose
-- payload is the table's name. A trigger sends it, so no writer (server, CLI,
-- console, psql) can forget; PostgreSQL delivers it only when the transaction
-- commits, and not at all when it rolls back.
CREATE FUNCTION notify_change() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN PERFORM pg_notify('servicekonto_changes', TG_TABLE_NAME); RETURN NULL; END$$;

CREATE TRIGGER services_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON services
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();

CREATE TRIGGER signing_keys_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON signing_keys
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();

CREATE TRIGGER saml_keys_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON saml_keys
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();

CREATE TRIGGER installation_secrets_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON installation_secrets
  FOR EACH STATEMENT EXECUTE FUNCTION notify_change();
