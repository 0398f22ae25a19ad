-- Appends several rows to the hash-chained audit log (server/src/audit/audit-log.ts) from inside one statement, in
-- the order given, each chained onto the one before: the PostgreSQL transformation store writes the repacks that
-- queued while its last write ran as one statement (group commit), so the audit lock (7355608, the one every audit
-- writer takes) is taken, and a commit flushed, once for all of them.
CREATE OR REPLACE FUNCTION "lz_audit_append_all"(
  p_at TIMESTAMP(3)[], p_actor TEXT[], p_action TEXT[], p_entity TEXT[], p_entity_id TEXT[], p_data TEXT[],
  p_canonical TEXT[]
) RETURNS VOID LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  head TEXT;
  next TEXT;
BEGIN
  PERFORM pg_advisory_xact_lock(7355608);
  SELECT a."hash" INTO head FROM "AuditLog" a ORDER BY a."seq" DESC LIMIT 1;
  head := COALESCE(head, repeat('0', 64));
  FOR n IN 1 .. COALESCE(cardinality(p_canonical), 0) LOOP
    next := encode(sha256(convert_to(head || p_canonical[n], 'UTF8')), 'hex');
    INSERT INTO "AuditLog" ("at", "actor", "action", "entity", "entityId", "data", "prevHash", "hash")
    VALUES (p_at[n], p_actor[n], p_action[n], p_entity[n], p_entity_id[n], p_data[n], head, next);
    head := next;
  END LOOP;
END
$$;
