-- CreateTable
CREATE TABLE "FigureLots" (
    "id" SERIAL NOT NULL,
    "day" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "category" TEXT NOT NULL,
    "lots" INTEGER NOT NULL,
    "scanned" INTEGER NOT NULL,
    "inspected" INTEGER NOT NULL,
    "verified" INTEGER NOT NULL,
    "accept" INTEGER NOT NULL,
    "review" INTEGER NOT NULL,
    "reject" INTEGER NOT NULL,

    CONSTRAINT "FigureLots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FigureProducerLots" (
    "id" SERIAL NOT NULL,
    "day" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "producerId" INTEGER,
    "lots" INTEGER NOT NULL,
    "scanned" INTEGER NOT NULL,
    "inspected" INTEGER NOT NULL,
    "verified" INTEGER NOT NULL,
    "accept" INTEGER NOT NULL,
    "review" INTEGER NOT NULL,
    "reject" INTEGER NOT NULL,

    CONSTRAINT "FigureProducerLots_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FigureViolations" (
    "id" SERIAL NOT NULL,
    "day" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "producerId" INTEGER,
    "supplier" TEXT NOT NULL,
    "count" INTEGER NOT NULL,

    CONSTRAINT "FigureViolations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FigureRapidTests" (
    "id" SERIAL NOT NULL,
    "day" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "tests" INTEGER NOT NULL,
    "positives" INTEGER NOT NULL,
    "confirmed" INTEGER NOT NULL,

    CONSTRAINT "FigureRapidTests_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FigureChange" (
    "id" SERIAL NOT NULL,
    "marketId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FigureChange_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FigureSummary" (
    "id" INTEGER NOT NULL,
    "timeZone" TEXT NOT NULL,
    "utcOffsetMinutes" INTEGER NOT NULL,
    "builtAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FigureSummary_pkey" PRIMARY KEY ("id")
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
-- load, a script); the summariser rebuilds those days and markets and deletes the rows it has consumed. OLD is null on
-- INSERT and NEW on DELETE, so one function serves all three.
-- A lot counts on the day it opened; its violations are also counted by its category and supplier.
CREATE FUNCTION "lz_figures_lot"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at")
  SELECT DISTINCT c."marketId", c."at"
  FROM (VALUES (OLD."marketId", OLD."openedAt"), (NEW."marketId", NEW."openedAt")) AS c ("marketId", "at")
  WHERE c."marketId" IS NOT NULL;
  IF TG_OP = 'UPDATE' AND (NEW."category" IS DISTINCT FROM OLD."category" OR NEW."supplier" IS DISTINCT FROM OLD."supplier") THEN
    INSERT INTO "FigureChange" ("marketId", "at") SELECT v."marketId", v."createdAt" FROM "Violation" v WHERE v."lotId" = NEW."id";
  END IF;
  RETURN NULL;
END
$$;

-- A code read makes its lot scanned, inspected and perhaps verified.
CREATE FUNCTION "lz_figures_scan"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at")
  SELECT l."marketId", l."openedAt" FROM "Lot" l WHERE l."id" IN (OLD."lotId", NEW."lotId");
  RETURN NULL;
END
$$;

-- A document makes its lot inspected; one with a certificate names the lot's producer, by which its violations count.
CREATE FUNCTION "lz_figures_lot_document"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at")
  SELECT l."marketId", l."openedAt" FROM "Lot" l WHERE l."id" IN (OLD."lotId", NEW."lotId");
  IF OLD."certificateId" IS NOT NULL OR NEW."certificateId" IS NOT NULL THEN
    INSERT INTO "FigureChange" ("marketId", "at")
    SELECT v."marketId", v."createdAt" FROM "Violation" v WHERE v."lotId" IN (OLD."lotId", NEW."lotId");
  END IF;
  RETURN NULL;
END
$$;

-- Violations count on the day they were opened, by reason; a status move changes no figure.
CREATE FUNCTION "lz_figures_violation"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at")
  SELECT DISTINCT c."marketId", c."at"
  FROM (VALUES (OLD."marketId", OLD."createdAt"), (NEW."marketId", NEW."createdAt")) AS c ("marketId", "at")
  WHERE c."marketId" IS NOT NULL;
  RETURN NULL;
END
$$;

-- Rapid tests count on the day they were made, at their lot's market.
CREATE FUNCTION "lz_figures_rapid_test"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at")
  SELECT DISTINCT l."marketId", c."at"
  FROM (VALUES (OLD."lotId", OLD."testedAt"), (NEW."lotId", NEW."testedAt")) AS c ("lotId", "at")
  JOIN "Lot" l ON l."id" = c."lotId";
  RETURN NULL;
END
$$;

CREATE TRIGGER "Lot_figures" AFTER INSERT OR DELETE ON "Lot"
FOR EACH ROW EXECUTE FUNCTION "lz_figures_lot"();
CREATE TRIGGER "Lot_figures_update" AFTER UPDATE OF "marketId", "openedAt", "category", "outcome", "supplier" ON "Lot"
FOR EACH ROW WHEN (NEW."marketId" IS DISTINCT FROM OLD."marketId" OR NEW."openedAt" IS DISTINCT FROM OLD."openedAt"
  OR NEW."category" IS DISTINCT FROM OLD."category" OR NEW."outcome" IS DISTINCT FROM OLD."outcome"
  OR NEW."supplier" IS DISTINCT FROM OLD."supplier")
EXECUTE FUNCTION "lz_figures_lot"();

CREATE TRIGGER "Scan_figures" AFTER INSERT OR DELETE ON "Scan"
FOR EACH ROW EXECUTE FUNCTION "lz_figures_scan"();
CREATE TRIGGER "Scan_figures_update" AFTER UPDATE OF "lotId", "certificateId", "outcome" ON "Scan"
FOR EACH ROW WHEN (NEW."lotId" IS DISTINCT FROM OLD."lotId" OR NEW."certificateId" IS DISTINCT FROM OLD."certificateId"
  OR NEW."outcome" IS DISTINCT FROM OLD."outcome")
EXECUTE FUNCTION "lz_figures_scan"();

CREATE TRIGGER "LotDocument_figures" AFTER INSERT OR DELETE ON "LotDocument"
FOR EACH ROW EXECUTE FUNCTION "lz_figures_lot_document"();
CREATE TRIGGER "LotDocument_figures_update" AFTER UPDATE OF "lotId", "certificateId" ON "LotDocument"
FOR EACH ROW WHEN (NEW."lotId" IS DISTINCT FROM OLD."lotId" OR NEW."certificateId" IS DISTINCT FROM OLD."certificateId")
EXECUTE FUNCTION "lz_figures_lot_document"();

CREATE TRIGGER "Violation_figures" AFTER INSERT OR DELETE ON "Violation"
FOR EACH ROW EXECUTE FUNCTION "lz_figures_violation"();
CREATE TRIGGER "Violation_figures_update" AFTER UPDATE OF "lotId", "marketId", "reason", "createdAt" ON "Violation"
FOR EACH ROW WHEN (NEW."lotId" IS DISTINCT FROM OLD."lotId" OR NEW."marketId" IS DISTINCT FROM OLD."marketId"
  OR NEW."reason" IS DISTINCT FROM OLD."reason" OR NEW."createdAt" IS DISTINCT FROM OLD."createdAt")
EXECUTE FUNCTION "lz_figures_violation"();

CREATE TRIGGER "RapidTest_figures" AFTER INSERT OR DELETE ON "RapidTest"
FOR EACH ROW EXECUTE FUNCTION "lz_figures_rapid_test"();
CREATE TRIGGER "RapidTest_figures_update" AFTER UPDATE OF "lotId", "testedAt", "result", "retestOfId", "violationId" ON "RapidTest"
FOR EACH ROW WHEN (NEW."lotId" IS DISTINCT FROM OLD."lotId" OR NEW."testedAt" IS DISTINCT FROM OLD."testedAt"
  OR NEW."result" IS DISTINCT FROM OLD."result" OR NEW."retestOfId" IS DISTINCT FROM OLD."retestOfId"
  OR NEW."violationId" IS DISTINCT FROM OLD."violationId")
EXECUTE FUNCTION "lz_figures_rapid_test"();
