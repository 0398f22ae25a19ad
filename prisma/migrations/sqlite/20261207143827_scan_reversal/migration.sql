-- CreateTable
CREATE TABLE "ScanReversal" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "scanId" TEXT NOT NULL,
    "lotId" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "reversedBy" TEXT NOT NULL,
    "returned" TEXT NOT NULL,
    "reversedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ScanReversal_scanId_fkey" FOREIGN KEY ("scanId") REFERENCES "Scan" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "ScanReversal_scanId_key" ON "ScanReversal"("scanId");

-- CreateIndex
CREATE INDEX "ScanReversal_lotId_idx" ON "ScanReversal"("lotId");
