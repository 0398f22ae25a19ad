-- A rapid test counts at its lot's market: a lot moved to another market moves its rapid tests too, so both markets'
-- days of those tests are named as changed (the figures summary, docs/figures.md).
CREATE OR REPLACE FUNCTION "lz_figures_lot"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "FigureChange" ("marketId", "at")
  SELECT DISTINCT c."marketId", c."at"
  FROM (VALUES (OLD."marketId", OLD."openedAt"), (NEW."marketId", NEW."openedAt")) AS c ("marketId", "at")
  WHERE c."marketId" IS NOT NULL;
  IF TG_OP = 'UPDATE' AND (NEW."category" IS DISTINCT FROM OLD."category" OR NEW."supplier" IS DISTINCT FROM OLD."supplier") THEN
    INSERT INTO "FigureChange" ("marketId", "at") SELECT v."marketId", v."createdAt" FROM "Violation" v WHERE v."lotId" = NEW."id";
  END IF;
  IF TG_OP = 'UPDATE' AND NEW."marketId" IS DISTINCT FROM OLD."marketId" THEN
    INSERT INTO "FigureChange" ("marketId", "at")
    SELECT m."marketId", t."testedAt" FROM "RapidTest" t CROSS JOIN (VALUES (OLD."marketId"), (NEW."marketId")) AS m ("marketId")
    WHERE t."lotId" = NEW."id";
  END IF;
  RETURN NULL;
END
$$;
