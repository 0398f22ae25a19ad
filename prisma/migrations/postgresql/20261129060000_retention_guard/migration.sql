-- Certificates, scans, lots and violations are kept at least six months (MOA Order 2025 No. 4, SAMR Order 81).
-- The server refuses such deletes with RETENTION_PERIOD, and these triggers make the database itself refuse them, so
-- no other client (a script, a psql session, a faulty migration) can remove the evidence either. Timestamps are
-- stored as UTC in timestamp(3) columns. TRUNCATE skips row triggers, so it is refused on these tables outright.
-- The timestamp a record's age is measured from cannot be changed afterwards, or a record could be aged and deleted.
CREATE FUNCTION "lz_refuse_young_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(OLD) ->> TG_ARGV[0])::timestamp > (now() AT TIME ZONE 'UTC') - interval '6 months' THEN
    RAISE EXCEPTION 'RETENTION_PERIOD: % records younger than 6 months cannot be deleted', TG_TABLE_NAME
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN OLD;
END
$$;

CREATE FUNCTION "lz_refuse_truncate"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'RETENTION_PERIOD: % cannot be truncated; delete rows older than 6 months instead', TG_TABLE_NAME
    USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE FUNCTION "lz_refuse_aging"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF (to_jsonb(NEW) ->> TG_ARGV[0]) IS DISTINCT FROM (to_jsonb(OLD) ->> TG_ARGV[0]) THEN
    RAISE EXCEPTION 'RETENTION_PERIOD: the % of a % record cannot be changed', TG_ARGV[0], TG_TABLE_NAME
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER "Certificate_retention" BEFORE DELETE ON "Certificate"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_young_delete"('createdAt');
CREATE TRIGGER "Scan_retention" BEFORE DELETE ON "Scan"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_young_delete"('receivedAt');
CREATE TRIGGER "Lot_retention" BEFORE DELETE ON "Lot"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_young_delete"('openedAt');
CREATE TRIGGER "Violation_retention" BEFORE DELETE ON "Violation"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_young_delete"('createdAt');

CREATE TRIGGER "Certificate_no_truncate" BEFORE TRUNCATE ON "Certificate"
FOR EACH STATEMENT EXECUTE FUNCTION "lz_refuse_truncate"();
CREATE TRIGGER "Scan_no_truncate" BEFORE TRUNCATE ON "Scan"
FOR EACH STATEMENT EXECUTE FUNCTION "lz_refuse_truncate"();
CREATE TRIGGER "Lot_no_truncate" BEFORE TRUNCATE ON "Lot"
FOR EACH STATEMENT EXECUTE FUNCTION "lz_refuse_truncate"();
CREATE TRIGGER "Violation_no_truncate" BEFORE TRUNCATE ON "Violation"
FOR EACH STATEMENT EXECUTE FUNCTION "lz_refuse_truncate"();
CREATE TRIGGER "Certificate_createdAt_fixed" BEFORE UPDATE OF "createdAt" ON "Certificate"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_aging"('createdAt');
CREATE TRIGGER "Scan_receivedAt_fixed" BEFORE UPDATE OF "receivedAt" ON "Scan"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_aging"('receivedAt');
CREATE TRIGGER "Lot_openedAt_fixed" BEFORE UPDATE OF "openedAt" ON "Lot"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_aging"('openedAt');
CREATE TRIGGER "Violation_createdAt_fixed" BEFORE UPDATE OF "createdAt" ON "Violation"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_aging"('createdAt');
