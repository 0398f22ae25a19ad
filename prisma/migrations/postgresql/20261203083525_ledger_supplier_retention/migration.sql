-- The 台账 (SAMR Order 81) names the supplier's address and contact: optional at the gate, completed later.
ALTER TABLE "Lot" ADD COLUMN "supplierAddress" TEXT NOT NULL DEFAULT '',
ADD COLUMN "supplierContact" TEXT NOT NULL DEFAULT '';

-- The evidence around the records 20261129060000_retention_guard keeps is kept as long: a lot's documents (paper
-- certificates, photos, second documents), a certificate's parents (as long as the child), a violation's events
-- and the rapid tests. The functions are that migration's.
CREATE TRIGGER "LotDocument_retention" BEFORE DELETE ON "LotDocument"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_young_delete"('createdAt');
CREATE TRIGGER "ViolationEvent_retention" BEFORE DELETE ON "ViolationEvent"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_young_delete"('at');
CREATE TRIGGER "RapidTest_retention" BEFORE DELETE ON "RapidTest"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_young_delete"('testedAt');

CREATE TRIGGER "LotDocument_createdAt_fixed" BEFORE UPDATE OF "createdAt" ON "LotDocument"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_aging"('createdAt');
CREATE TRIGGER "ViolationEvent_at_fixed" BEFORE UPDATE OF "at" ON "ViolationEvent"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_aging"('at');
CREATE TRIGGER "RapidTest_testedAt_fixed" BEFORE UPDATE OF "testedAt" ON "RapidTest"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_aging"('testedAt');

-- A certificate's parents have no timestamp of their own: they are kept, unchanged, as long as the child is.
CREATE FUNCTION "lz_refuse_young_parent_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM "Certificate" c WHERE c."id" = OLD."childId"
             AND c."createdAt" > (now() AT TIME ZONE 'UTC') - interval '6 months') THEN
    RAISE EXCEPTION 'RETENTION_PERIOD: certificate parent records younger than 6 months cannot be %', CASE TG_OP WHEN 'DELETE' THEN 'deleted' ELSE 'changed' END
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "CertificateParent_retention" BEFORE DELETE ON "CertificateParent"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_young_parent_change"();
CREATE TRIGGER "CertificateParent_fixed" BEFORE UPDATE ON "CertificateParent"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_young_parent_change"();

-- A vendor's file is kept while the vendor trades and 6 months after they leave (leftAt). Once set, leftAt may be
-- cleared (the vendor returns) but not moved, or a file could be aged and deleted.
CREATE FUNCTION "lz_refuse_vendor_file_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."leftAt" IS NULL OR OLD."leftAt" > (now() AT TIME ZONE 'UTC') - interval '6 months' THEN
    RAISE EXCEPTION 'RETENTION_PERIOD: vendor files are kept until 6 months after the vendor leaves'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN OLD;
END
$$;
CREATE FUNCTION "lz_refuse_vendor_left_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD."leftAt" IS NOT NULL AND NEW."leftAt" IS NOT NULL AND NEW."leftAt" IS DISTINCT FROM OLD."leftAt" THEN
    RAISE EXCEPTION 'RETENTION_PERIOD: the leftAt of a vendor file cannot be changed'
      USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "Vendor_retention" BEFORE DELETE ON "Vendor"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_vendor_file_delete"();
CREATE TRIGGER "Vendor_leftAt_fixed" BEFORE UPDATE OF "leftAt" ON "Vendor"
FOR EACH ROW EXECUTE FUNCTION "lz_refuse_vendor_left_change"();

-- TRUNCATE skips row triggers, so it is refused on these tables outright.
CREATE TRIGGER "LotDocument_no_truncate" BEFORE TRUNCATE ON "LotDocument"
FOR EACH STATEMENT EXECUTE FUNCTION "lz_refuse_truncate"();
CREATE TRIGGER "CertificateParent_no_truncate" BEFORE TRUNCATE ON "CertificateParent"
FOR EACH STATEMENT EXECUTE FUNCTION "lz_refuse_truncate"();
CREATE TRIGGER "ViolationEvent_no_truncate" BEFORE TRUNCATE ON "ViolationEvent"
FOR EACH STATEMENT EXECUTE FUNCTION "lz_refuse_truncate"();
CREATE TRIGGER "RapidTest_no_truncate" BEFORE TRUNCATE ON "RapidTest"
FOR EACH STATEMENT EXECUTE FUNCTION "lz_refuse_truncate"();
CREATE TRIGGER "Vendor_no_truncate" BEFORE TRUNCATE ON "Vendor"
FOR EACH STATEMENT EXECUTE FUNCTION "lz_refuse_truncate"();
