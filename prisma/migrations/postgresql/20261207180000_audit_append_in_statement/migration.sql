-- Appends one row to the hash-chained audit log (server/src/audit/audit-log.ts) from inside a single statement, so a
-- write can be one autocommitted statement that holds the audit lock only while PostgreSQL runs and commits it, never
-- across a round trip to the application. The lock is the one every audit writer takes (7355608); a VOLATILE
-- function's next query takes a fresh snapshot, so the head it reads is the newest one committed under that lock.
CREATE OR REPLACE FUNCTION "lz_audit_append"(
  p_at TIMESTAMP(3), p_actor TEXT, p_action TEXT, p_entity TEXT, p_entity_id TEXT, p_data TEXT, p_canonical TEXT
) RETURNS VOID LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  head TEXT;
BEGIN
  PERFORM pg_advisory_xact_lock(7355608);
  SELECT a."hash" INTO head FROM "AuditLog" a ORDER BY a."seq" DESC LIMIT 1;
  head := COALESCE(head, repeat('0', 64));
  INSERT INTO "AuditLog" ("at", "actor", "action", "entity", "entityId", "data", "prevHash", "hash")
  VALUES (p_at, p_actor, p_action, p_entity, p_entity_id, p_data, head,
    encode(sha256(convert_to(head || p_canonical, 'UTF8')), 'hex'));
END
$$;

-- Aborts the calling statement with a refusal the application maps by its code (SQLSTATE LZ409): a conditional write
-- that found its precondition gone (say, an inventory item drawn meanwhile) takes back everything it had done.
CREATE OR REPLACE FUNCTION "lz_refuse"(p_code TEXT, p_detail TEXT) RETURNS VOID LANGUAGE plpgsql VOLATILE AS $$
BEGIN
  RAISE EXCEPTION USING ERRCODE = 'LZ409', MESSAGE = p_code, DETAIL = p_detail;
END
$$;
