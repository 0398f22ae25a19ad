-- CreateTable
CREATE TABLE "FigureLots" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "day" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "lots" INTEGER NOT NULL,
    "scanned" INTEGER NOT NULL,
    "inspected" INTEGER NOT NULL,
    "verified" INTEGER NOT NULL,
    "accept" INTEGER NOT NULL,
    "review" INTEGER NOT NULL,
    "reject" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "FigureProducerLots" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "day" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "producerId" INTEGER,
    "lots" INTEGER NOT NULL,
    "scanned" INTEGER NOT NULL,
    "inspected" INTEGER NOT NULL,
    "verified" INTEGER NOT NULL,
    "accept" INTEGER NOT NULL,
    "review" INTEGER NOT NULL,
    "reject" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "FigureViolations" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "day" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "producerId" INTEGER,
    "supplier" TEXT NOT NULL,
    "count" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "FigureRapidTests" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "day" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "tests" INTEGER NOT NULL,
    "positives" INTEGER NOT NULL,
    "confirmed" INTEGER NOT NULL
);

-- CreateTable
CREATE TABLE "FigureChange" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "marketId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FigureSummary" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "timeZone" TEXT NOT NULL,
    "utcOffsetMinutes" INTEGER NOT NULL,
    "builtAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "FigureLots_day_marketId_idx" ON "FigureLots"("day", "marketId");

-- CreateIndex
CREATE INDEX "FigureProducerLots_day_marketId_idx" ON "FigureProducerLots"("day", "marketId");

-- CreateIndex
CREATE INDEX "FigureViolations_day_marketId_idx" ON "FigureViolations"("day", "marketId");

-- CreateIndex
CREATE INDEX "FigureRapidTests_day_marketId_idx" ON "FigureRapidTests"("day", "marketId");

-- Figures summary (docs/figures.md). Every write that can change what a day's figures count names the market and the
-- instant of that day here, in the writer's own transaction and whoever writes (the server, the raw scan store, a bulk
-- load, a script); the summariser rebuilds those days and markets and deletes the rows it has consumed.
-- A lot counts on the day it opened; its violations are also counted by its category and supplier.
CREATE TRIGGER "Lot_figures_insert" AFTER INSERT ON "Lot"
BEGIN INSERT INTO "FigureChange" ("marketId", "at") VALUES (NEW."marketId", NEW."openedAt"); END;

CREATE TRIGGER "Lot_figures_update" AFTER UPDATE OF "marketId", "openedAt", "category", "outcome", "supplier" ON "Lot"
WHEN NEW."marketId" IS NOT OLD."marketId" OR NEW."openedAt" IS NOT OLD."openedAt"
  OR NEW."category" IS NOT OLD."category" OR NEW."outcome" IS NOT OLD."outcome" OR NEW."supplier" IS NOT OLD."supplier"
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at") VALUES (NEW."marketId", NEW."openedAt");
  INSERT INTO "FigureChange" ("marketId", "at") SELECT OLD."marketId", OLD."openedAt"
    WHERE NEW."marketId" IS NOT OLD."marketId" OR NEW."openedAt" IS NOT OLD."openedAt";
  INSERT INTO "FigureChange" ("marketId", "at") SELECT v."marketId", v."createdAt" FROM "Violation" v
    WHERE v."lotId" = NEW."id" AND (NEW."category" IS NOT OLD."category" OR NEW."supplier" IS NOT OLD."supplier");
END;

CREATE TRIGGER "Lot_figures_delete" AFTER DELETE ON "Lot"
BEGIN INSERT INTO "FigureChange" ("marketId", "at") VALUES (OLD."marketId", OLD."openedAt"); END;

-- A code read makes its lot scanned, inspected and perhaps verified.
CREATE TRIGGER "Scan_figures_insert" AFTER INSERT ON "Scan" WHEN NEW."lotId" IS NOT NULL
BEGIN INSERT INTO "FigureChange" ("marketId", "at") SELECT l."marketId", l."openedAt" FROM "Lot" l WHERE l."id" = NEW."lotId"; END;

CREATE TRIGGER "Scan_figures_update" AFTER UPDATE OF "lotId", "certificateId", "outcome" ON "Scan"
WHEN NEW."lotId" IS NOT OLD."lotId" OR NEW."certificateId" IS NOT OLD."certificateId" OR NEW."outcome" IS NOT OLD."outcome"
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at")
    SELECT l."marketId", l."openedAt" FROM "Lot" l WHERE l."id" IN (OLD."lotId", NEW."lotId");
END;

CREATE TRIGGER "Scan_figures_delete" AFTER DELETE ON "Scan" WHEN OLD."lotId" IS NOT NULL
BEGIN INSERT INTO "FigureChange" ("marketId", "at") SELECT l."marketId", l."openedAt" FROM "Lot" l WHERE l."id" = OLD."lotId"; END;

-- A document makes its lot inspected; one with a certificate names the lot's producer, by which its violations count.
CREATE TRIGGER "LotDocument_figures_insert" AFTER INSERT ON "LotDocument"
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at") SELECT l."marketId", l."openedAt" FROM "Lot" l WHERE l."id" = NEW."lotId";
  INSERT INTO "FigureChange" ("marketId", "at") SELECT v."marketId", v."createdAt" FROM "Violation" v
    WHERE v."lotId" = NEW."lotId" AND NEW."certificateId" IS NOT NULL;
END;

CREATE TRIGGER "LotDocument_figures_update" AFTER UPDATE OF "lotId", "certificateId" ON "LotDocument"
WHEN NEW."lotId" IS NOT OLD."lotId" OR NEW."certificateId" IS NOT OLD."certificateId"
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at")
    SELECT l."marketId", l."openedAt" FROM "Lot" l WHERE l."id" IN (OLD."lotId", NEW."lotId");
  INSERT INTO "FigureChange" ("marketId", "at") SELECT v."marketId", v."createdAt" FROM "Violation" v
    WHERE v."lotId" IN (OLD."lotId", NEW."lotId");
END;

CREATE TRIGGER "LotDocument_figures_delete" AFTER DELETE ON "LotDocument"
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at") SELECT l."marketId", l."openedAt" FROM "Lot" l WHERE l."id" = OLD."lotId";
  INSERT INTO "FigureChange" ("marketId", "at") SELECT v."marketId", v."createdAt" FROM "Violation" v
    WHERE v."lotId" = OLD."lotId" AND OLD."certificateId" IS NOT NULL;
END;

-- Violations count on the day they were opened, by reason; a status move changes no figure.
CREATE TRIGGER "Violation_figures_insert" AFTER INSERT ON "Violation"
BEGIN INSERT INTO "FigureChange" ("marketId", "at") VALUES (NEW."marketId", NEW."createdAt"); END;

CREATE TRIGGER "Violation_figures_update" AFTER UPDATE OF "lotId", "marketId", "reason", "createdAt" ON "Violation"
WHEN NEW."lotId" IS NOT OLD."lotId" OR NEW."marketId" IS NOT OLD."marketId"
  OR NEW."reason" IS NOT OLD."reason" OR NEW."createdAt" IS NOT OLD."createdAt"
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at") VALUES (OLD."marketId", OLD."createdAt"), (NEW."marketId", NEW."createdAt");
END;

CREATE TRIGGER "Violation_figures_delete" AFTER DELETE ON "Violation"
BEGIN INSERT INTO "FigureChange" ("marketId", "at") VALUES (OLD."marketId", OLD."createdAt"); END;

-- Rapid tests count on the day they were made, at their lot's market.
CREATE TRIGGER "RapidTest_figures_insert" AFTER INSERT ON "RapidTest"
BEGIN INSERT INTO "FigureChange" ("marketId", "at") SELECT l."marketId", NEW."testedAt" FROM "Lot" l WHERE l."id" = NEW."lotId"; END;

CREATE TRIGGER "RapidTest_figures_update" AFTER UPDATE OF "lotId", "testedAt", "result", "retestOfId", "violationId" ON "RapidTest"
WHEN NEW."lotId" IS NOT OLD."lotId" OR NEW."testedAt" IS NOT OLD."testedAt" OR NEW."result" IS NOT OLD."result"
  OR NEW."retestOfId" IS NOT OLD."retestOfId" OR NEW."violationId" IS NOT OLD."violationId"
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at") SELECT l."marketId", OLD."testedAt" FROM "Lot" l WHERE l."id" = OLD."lotId";
  INSERT INTO "FigureChange" ("marketId", "at") SELECT l."marketId", NEW."testedAt" FROM "Lot" l WHERE l."id" = NEW."lotId";
END;

CREATE TRIGGER "RapidTest_figures_delete" AFTER DELETE ON "RapidTest"
BEGIN INSERT INTO "FigureChange" ("marketId", "at") SELECT l."marketId", OLD."testedAt" FROM "Lot" l WHERE l."id" = OLD."lotId"; END;
