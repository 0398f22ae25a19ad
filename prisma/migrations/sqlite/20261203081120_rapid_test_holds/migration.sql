-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_RapidTest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "lotId" TEXT NOT NULL,
    "inventoryItemId" TEXT,
    "method" TEXT NOT NULL,
    "analyte" TEXT NOT NULL,
    "sampleCount" INTEGER NOT NULL,
    "result" TEXT NOT NULL,
    "retestOfId" TEXT,
    "testerId" INTEGER,
    "testerName" TEXT NOT NULL DEFAULT '',
    "photo" BLOB,
    "photoType" TEXT,
    "testedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "retestBy" DATETIME,
    "decision" TEXT,
    "decisionNote" TEXT NOT NULL DEFAULT '',
    "decidedById" INTEGER,
    "decidedAt" DATETIME,
    "violationId" TEXT,
    CONSTRAINT "RapidTest_lotId_fkey" FOREIGN KEY ("lotId") REFERENCES "Lot" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_RapidTest" ("analyte", "id", "lotId", "method", "result", "retestOfId", "sampleCount", "testedAt", "testerId") SELECT "analyte", "id", "lotId", "method", "result", "retestOfId", "sampleCount", "testedAt", "testerId" FROM "RapidTest";
DROP TABLE "RapidTest";
ALTER TABLE "new_RapidTest" RENAME TO "RapidTest";
CREATE INDEX "RapidTest_lotId_idx" ON "RapidTest"("lotId");
CREATE INDEX "RapidTest_retestOfId_idx" ON "RapidTest"("retestOfId");
CREATE INDEX "RapidTest_inventoryItemId_idx" ON "RapidTest"("inventoryItemId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
