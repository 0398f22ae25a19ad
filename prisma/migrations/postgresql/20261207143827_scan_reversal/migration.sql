-- CreateTable
CREATE TABLE "ScanReversal" (
    "id" TEXT NOT NULL,
    "scanId" TEXT NOT NULL,
    "lotId" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "reversedBy" TEXT NOT NULL,
    "returned" TEXT NOT NULL,
    "reversedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ScanReversal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "ScanReversal_scanId_key" ON "ScanReversal"("scanId");

-- CreateIndex
CREATE INDEX "ScanReversal_lotId_idx" ON "ScanReversal"("lotId");

-- AddForeignKey
ALTER TABLE "ScanReversal" ADD CONSTRAINT "ScanReversal_scanId_fkey" FOREIGN KEY ("scanId") REFERENCES "Scan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
