-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN     "recallId" TEXT,
ADD COLUMN     "transformationId" TEXT,
ADD COLUMN     "voidKind" TEXT;

-- CreateTable
CREATE TABLE "InventoryItem" (
    "id" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "stallId" INTEGER,
    "certificateId" TEXT NOT NULL,
    "lotId" TEXT,
    "transformationId" TEXT,
    "received" DOUBLE PRECISION NOT NULL,
    "drawn" DOUBLE PRECISION NOT NULL DEFAULT 0,
    "unit" TEXT NOT NULL,
    "held" BOOLEAN NOT NULL DEFAULT false,
    "heldReason" TEXT,
    "receivedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "InventoryItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Transformation" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "stallId" INTEGER NOT NULL,
    "issuerId" INTEGER NOT NULL,
    "actor" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "taken" DOUBLE PRECISION NOT NULL,
    "made" DOUBLE PRECISION NOT NULL,
    "loss" DOUBLE PRECISION NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Transformation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TransformationDraw" (
    "id" TEXT NOT NULL,
    "transformationId" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "sourceCertificateId" TEXT NOT NULL,
    "outputCertificateId" TEXT NOT NULL,
    "quantity" DOUBLE PRECISION NOT NULL,
    "returnedAt" TIMESTAMP(3),

    CONSTRAINT "TransformationDraw_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Recall" (
    "id" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "certificateId" TEXT,
    "issuerId" INTEGER,
    "issuedFrom" TIMESTAMP(3),
    "issuedTo" TIMESTAMP(3),
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "revokedCount" INTEGER NOT NULL,
    "heldCount" INTEGER NOT NULL,

    CONSTRAINT "Recall_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "InventoryItem_marketId_stallId_idx" ON "InventoryItem"("marketId", "stallId");

-- CreateIndex
CREATE INDEX "InventoryItem_stallId_idx" ON "InventoryItem"("stallId");

-- CreateIndex
CREATE INDEX "InventoryItem_certificateId_idx" ON "InventoryItem"("certificateId");

-- CreateIndex
CREATE INDEX "InventoryItem_lotId_idx" ON "InventoryItem"("lotId");

-- CreateIndex
CREATE INDEX "Transformation_stallId_at_idx" ON "Transformation"("stallId", "at");

-- CreateIndex
CREATE INDEX "TransformationDraw_transformationId_idx" ON "TransformationDraw"("transformationId");

-- CreateIndex
CREATE INDEX "TransformationDraw_inventoryItemId_idx" ON "TransformationDraw"("inventoryItemId");

-- CreateIndex
CREATE INDEX "TransformationDraw_outputCertificateId_idx" ON "TransformationDraw"("outputCertificateId");

-- CreateIndex
CREATE INDEX "Certificate_transformationId_idx" ON "Certificate"("transformationId");

-- AddForeignKey
ALTER TABLE "InventoryItem" ADD CONSTRAINT "InventoryItem_marketId_fkey" FOREIGN KEY ("marketId") REFERENCES "Market"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InventoryItem" ADD CONSTRAINT "InventoryItem_stallId_fkey" FOREIGN KEY ("stallId") REFERENCES "Stall"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InventoryItem" ADD CONSTRAINT "InventoryItem_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InventoryItem" ADD CONSTRAINT "InventoryItem_lotId_fkey" FOREIGN KEY ("lotId") REFERENCES "Lot"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Transformation" ADD CONSTRAINT "Transformation_stallId_fkey" FOREIGN KEY ("stallId") REFERENCES "Stall"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TransformationDraw" ADD CONSTRAINT "TransformationDraw_transformationId_fkey" FOREIGN KEY ("transformationId") REFERENCES "Transformation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TransformationDraw" ADD CONSTRAINT "TransformationDraw_inventoryItemId_fkey" FOREIGN KEY ("inventoryItemId") REFERENCES "InventoryItem"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
