-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN "recallId" TEXT;
ALTER TABLE "Certificate" ADD COLUMN "transformationId" TEXT;
ALTER TABLE "Certificate" ADD COLUMN "voidKind" TEXT;

-- CreateTable
CREATE TABLE "InventoryItem" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "marketId" INTEGER NOT NULL,
    "stallId" INTEGER,
    "certificateId" TEXT NOT NULL,
    "lotId" TEXT,
    "transformationId" TEXT,
    "received" REAL NOT NULL,
    "drawn" REAL NOT NULL DEFAULT 0,
    "unit" TEXT NOT NULL,
    "held" BOOLEAN NOT NULL DEFAULT false,
    "heldReason" TEXT,
    "receivedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "InventoryItem_marketId_fkey" FOREIGN KEY ("marketId") REFERENCES "Market" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "InventoryItem_stallId_fkey" FOREIGN KEY ("stallId") REFERENCES "Stall" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "InventoryItem_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "InventoryItem_lotId_fkey" FOREIGN KEY ("lotId") REFERENCES "Lot" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Transformation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "stallId" INTEGER NOT NULL,
    "issuerId" INTEGER NOT NULL,
    "actor" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "taken" REAL NOT NULL,
    "made" REAL NOT NULL,
    "loss" REAL NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "Transformation_stallId_fkey" FOREIGN KEY ("stallId") REFERENCES "Stall" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "TransformationDraw" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "transformationId" TEXT NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "sourceCertificateId" TEXT NOT NULL,
    "outputCertificateId" TEXT NOT NULL,
    "quantity" REAL NOT NULL,
    "returnedAt" DATETIME,
    CONSTRAINT "TransformationDraw_transformationId_fkey" FOREIGN KEY ("transformationId") REFERENCES "Transformation" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "TransformationDraw_inventoryItemId_fkey" FOREIGN KEY ("inventoryItemId") REFERENCES "InventoryItem" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Recall" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "reason" TEXT NOT NULL,
    "certificateId" TEXT,
    "issuerId" INTEGER,
    "issuedFrom" DATETIME,
    "issuedTo" DATETIME,
    "actor" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "revokedCount" INTEGER NOT NULL,
    "heldCount" INTEGER NOT NULL
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
