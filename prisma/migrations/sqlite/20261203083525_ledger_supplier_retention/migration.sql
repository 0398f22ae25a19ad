-- The 台账 (SAMR Order 81) names the supplier's address and contact: optional at the gate, completed later. Added
-- in place rather than by redefining "Lot", so the table's retention triggers stay.
ALTER TABLE "Lot" ADD COLUMN "supplierAddress" TEXT NOT NULL DEFAULT '';
ALTER TABLE "Lot" ADD COLUMN "supplierContact" TEXT NOT NULL DEFAULT '';

-- 20261203083216_certificate_lookups redefined "Certificate" (DROP TABLE + RENAME), which drops the table's
-- triggers with it: put the retention guard of 20261129060000_retention_guard back.
CREATE TRIGGER IF NOT EXISTS "Certificate_retention" BEFORE DELETE ON "Certificate"
WHEN julianday(OLD."createdAt") > julianday('now', '-6 months')
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: certificate records younger than 6 months cannot be deleted'); END;

CREATE TRIGGER IF NOT EXISTS "Certificate_createdAt_fixed" BEFORE UPDATE OF "createdAt" ON "Certificate"
WHEN NEW."createdAt" IS NOT OLD."createdAt"
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: the createdAt of a certificate record cannot be changed'); END;

-- The evidence around those records is kept as long: a lot's documents (paper certificates, photos, second
-- documents), a certificate's parents (as long as the child), a violation's events and the rapid tests.
CREATE TRIGGER "LotDocument_retention" BEFORE DELETE ON "LotDocument"
WHEN julianday(OLD."createdAt") > julianday('now', '-6 months')
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: lot document records younger than 6 months cannot be deleted'); END;

CREATE TRIGGER "LotDocument_createdAt_fixed" BEFORE UPDATE OF "createdAt" ON "LotDocument"
WHEN NEW."createdAt" IS NOT OLD."createdAt"
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: the createdAt of a lot document record cannot be changed'); END;

CREATE TRIGGER "CertificateParent_retention" BEFORE DELETE ON "CertificateParent"
WHEN EXISTS (SELECT 1 FROM "Certificate" c WHERE c."id" = OLD."childId"
             AND julianday(c."createdAt") > julianday('now', '-6 months'))
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: certificate parent records younger than 6 months cannot be deleted'); END;

CREATE TRIGGER "CertificateParent_fixed" BEFORE UPDATE ON "CertificateParent"
WHEN EXISTS (SELECT 1 FROM "Certificate" c WHERE c."id" = OLD."childId"
             AND julianday(c."createdAt") > julianday('now', '-6 months'))
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: certificate parent records younger than 6 months cannot be changed'); END;

CREATE TRIGGER "ViolationEvent_retention" BEFORE DELETE ON "ViolationEvent"
WHEN julianday(OLD."at") > julianday('now', '-6 months')
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: violation event records younger than 6 months cannot be deleted'); END;

CREATE TRIGGER "ViolationEvent_at_fixed" BEFORE UPDATE OF "at" ON "ViolationEvent"
WHEN NEW."at" IS NOT OLD."at"
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: the at of a violation event record cannot be changed'); END;

CREATE TRIGGER "RapidTest_retention" BEFORE DELETE ON "RapidTest"
WHEN julianday(OLD."testedAt") > julianday('now', '-6 months')
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: rapid test records younger than 6 months cannot be deleted'); END;

CREATE TRIGGER "RapidTest_testedAt_fixed" BEFORE UPDATE OF "testedAt" ON "RapidTest"
WHEN NEW."testedAt" IS NOT OLD."testedAt"
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: the testedAt of a rapid test record cannot be changed'); END;

-- A vendor's file is kept while the vendor trades and 6 months after they leave (leftAt). Once set, leftAt may be
-- cleared (the vendor returns) but not moved, or a file could be aged and deleted.
CREATE TRIGGER "Vendor_retention" BEFORE DELETE ON "Vendor"
WHEN OLD."leftAt" IS NULL OR julianday(OLD."leftAt") > julianday('now', '-6 months')
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: vendor files are kept until 6 months after the vendor leaves'); END;

CREATE TRIGGER "Vendor_leftAt_fixed" BEFORE UPDATE OF "leftAt" ON "Vendor"
WHEN OLD."leftAt" IS NOT NULL AND NEW."leftAt" IS NOT NULL AND NEW."leftAt" IS NOT OLD."leftAt"
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: the leftAt of a vendor file cannot be changed'); END;
