-- A rapid test counts at its lot's market: a lot moved to another market moves its rapid tests too, so both markets'
-- days of those tests are named as changed (the figures summary, docs/figures.md).
DROP TRIGGER "Lot_figures_update";

CREATE TRIGGER "Lot_figures_update" AFTER UPDATE OF "marketId", "openedAt", "category", "outcome", "supplier" ON "Lot"
WHEN NEW."marketId" IS NOT OLD."marketId" OR NEW."openedAt" IS NOT OLD."openedAt"
  OR NEW."category" IS NOT OLD."category" OR NEW."outcome" IS NOT OLD."outcome" OR NEW."supplier" IS NOT OLD."supplier"
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at") VALUES (NEW."marketId", NEW."openedAt");
  INSERT INTO "FigureChange" ("marketId", "at") SELECT OLD."marketId", OLD."openedAt"
    WHERE NEW."marketId" IS NOT OLD."marketId" OR NEW."openedAt" IS NOT OLD."openedAt";
  INSERT INTO "FigureChange" ("marketId", "at") SELECT v."marketId", v."createdAt" FROM "Violation" v
    WHERE v."lotId" = NEW."id" AND (NEW."category" IS NOT OLD."category" OR NEW."supplier" IS NOT OLD."supplier");
  INSERT INTO "FigureChange" ("marketId", "at")
    SELECT m."marketId", t."testedAt" FROM "RapidTest" t, (SELECT OLD."marketId" AS "marketId" UNION SELECT NEW."marketId") m
    WHERE t."lotId" = NEW."id" AND NEW."marketId" IS NOT OLD."marketId";
END;
