-- CreateTable
CREATE TABLE "UnverifiedSource" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "transformationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" REAL NOT NULL,
    "unit" TEXT NOT NULL,
    "code" TEXT,
    "photo" BLOB,
    "photoType" TEXT,
    CONSTRAINT "UnverifiedSource_transformationId_fkey" FOREIGN KEY ("transformationId") REFERENCES "Transformation" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Certificate" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "issuerId" INTEGER NOT NULL,
    "keyId" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "productCode" INTEGER NOT NULL,
    "productName" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "quantity" REAL NOT NULL,
    "unit" TEXT NOT NULL,
    "originRegion" TEXT NOT NULL,
    "originText" TEXT NOT NULL DEFAULT '',
    "issuerName" TEXT NOT NULL,
    "contact" TEXT NOT NULL,
    "basis" TEXT NOT NULL,
    "commitmentVersion" TEXT NOT NULL DEFAULT '2026',
    "issuedAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'valid',
    "voidReason" TEXT,
    "voidedAt" DATETIME,
    "usedQuantity" REAL NOT NULL DEFAULT 0,
    "voidKind" TEXT,
    "transformationId" TEXT,
    "recallId" TEXT,
    "unverifiedSources" BOOLEAN NOT NULL DEFAULT false,
    "lookupCount" INTEGER NOT NULL DEFAULT 0,
    "firstLookupAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Certificate_issuerId_fkey" FOREIGN KEY ("issuerId") REFERENCES "Issuer" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_Certificate" ("basis", "category", "code", "commitmentVersion", "contact", "createdAt", "firstLookupAt", "id", "issuedAt", "issuerId", "issuerName", "keyId", "kind", "lookupCount", "originRegion", "originText", "productCode", "productName", "quantity", "recallId", "status", "transformationId", "unit", "usedQuantity", "voidKind", "voidReason", "voidedAt") SELECT "basis", "category", "code", "commitmentVersion", "contact", "createdAt", "firstLookupAt", "id", "issuedAt", "issuerId", "issuerName", "keyId", "kind", "lookupCount", "originRegion", "originText", "productCode", "productName", "quantity", "recallId", "status", "transformationId", "unit", "usedQuantity", "voidKind", "voidReason", "voidedAt" FROM "Certificate";
DROP TABLE "Certificate";
ALTER TABLE "new_Certificate" RENAME TO "Certificate";
CREATE INDEX "Certificate_issuerId_issuedAt_idx" ON "Certificate"("issuerId", "issuedAt");
CREATE INDEX "Certificate_status_idx" ON "Certificate"("status");
CREATE INDEX "Certificate_transformationId_idx" ON "Certificate"("transformationId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "UnverifiedSource_transformationId_idx" ON "UnverifiedSource"("transformationId");
