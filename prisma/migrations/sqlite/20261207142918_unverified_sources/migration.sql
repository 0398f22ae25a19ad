-- AlterTable
-- Hand-written as ADD COLUMN instead of the generated table redefinition: redefining "Certificate" (DROP TABLE +
-- rename) would drop its retention triggers and break the one on "CertificateParent" (docs/storage.md).
ALTER TABLE "Certificate" ADD COLUMN "unverifiedSources" BOOLEAN NOT NULL DEFAULT false;

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

-- CreateIndex
CREATE INDEX "UnverifiedSource_transformationId_idx" ON "UnverifiedSource"("transformationId");
