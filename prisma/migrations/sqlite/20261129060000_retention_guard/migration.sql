-- Certificates, scans, lots and violations are kept at least six months (MOA Order 2025 No. 4, SAMR Order 81).
-- The server refuses such deletes with RETENTION_PERIOD, and these triggers make the database itself refuse them, so
-- no other client (a script, a console session, a faulty migration) can remove the evidence either.
-- The timestamp a record's age is measured from cannot be changed afterwards, or a record could be aged and deleted.
CREATE TRIGGER "Certificate_retention" BEFORE DELETE ON "Certificate"
WHEN julianday(OLD."createdAt") > julianday('now', '-6 months')
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: certificate records younger than 6 months cannot be deleted'); END;

CREATE TRIGGER "Scan_retention" BEFORE DELETE ON "Scan"
WHEN julianday(OLD."receivedAt") > julianday('now', '-6 months')
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: scan records younger than 6 months cannot be deleted'); END;

CREATE TRIGGER "Lot_retention" BEFORE DELETE ON "Lot"
WHEN julianday(OLD."openedAt") > julianday('now', '-6 months')
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: lot records younger than 6 months cannot be deleted'); END;

CREATE TRIGGER "Violation_retention" BEFORE DELETE ON "Violation"
WHEN julianday(OLD."createdAt") > julianday('now', '-6 months')
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: violation records younger than 6 months cannot be deleted'); END;

CREATE TRIGGER "Certificate_createdAt_fixed" BEFORE UPDATE OF "createdAt" ON "Certificate"
WHEN NEW."createdAt" IS NOT OLD."createdAt"
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: the createdAt of a certificate record cannot be changed'); END;

CREATE TRIGGER "Scan_receivedAt_fixed" BEFORE UPDATE OF "receivedAt" ON "Scan"
WHEN NEW."receivedAt" IS NOT OLD."receivedAt"
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: the receivedAt of a scan record cannot be changed'); END;

CREATE TRIGGER "Lot_openedAt_fixed" BEFORE UPDATE OF "openedAt" ON "Lot"
WHEN NEW."openedAt" IS NOT OLD."openedAt"
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: the openedAt of a lot record cannot be changed'); END;

CREATE TRIGGER "Violation_createdAt_fixed" BEFORE UPDATE OF "createdAt" ON "Violation"
WHEN NEW."createdAt" IS NOT OLD."createdAt"
BEGIN SELECT RAISE(ABORT, 'RETENTION_PERIOD: the createdAt of a violation record cannot be changed'); END;
