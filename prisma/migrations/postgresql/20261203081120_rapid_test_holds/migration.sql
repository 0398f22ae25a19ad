-- AlterTable
ALTER TABLE "RapidTest" ADD COLUMN     "decidedAt" TIMESTAMP(3),
ADD COLUMN     "decidedById" INTEGER,
ADD COLUMN     "decision" TEXT,
ADD COLUMN     "decisionNote" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "inventoryItemId" TEXT,
ADD COLUMN     "photo" BYTEA,
ADD COLUMN     "photoType" TEXT,
ADD COLUMN     "retestBy" TIMESTAMP(3),
ADD COLUMN     "testerName" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "violationId" TEXT;

-- CreateIndex
CREATE INDEX "RapidTest_retestOfId_idx" ON "RapidTest"("retestOfId");

-- CreateIndex
CREATE INDEX "RapidTest_inventoryItemId_idx" ON "RapidTest"("inventoryItemId");
