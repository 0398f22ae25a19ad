-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN     "unverifiedSources" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "UnverifiedSource" (
    "id" TEXT NOT NULL,
    "transformationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "description" TEXT NOT NULL,
    "quantity" DOUBLE PRECISION NOT NULL,
    "unit" TEXT NOT NULL,
    "code" TEXT,
    "photo" BYTEA,
    "photoType" TEXT,

    CONSTRAINT "UnverifiedSource_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "UnverifiedSource_transformationId_idx" ON "UnverifiedSource"("transformationId");

-- AddForeignKey
ALTER TABLE "UnverifiedSource" ADD CONSTRAINT "UnverifiedSource_transformationId_fkey" FOREIGN KEY ("transformationId") REFERENCES "Transformation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
