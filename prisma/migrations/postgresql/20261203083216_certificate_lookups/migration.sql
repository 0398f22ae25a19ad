-- AlterTable
ALTER TABLE "Certificate" ADD COLUMN     "firstLookupAt" TIMESTAMP(3),
ADD COLUMN     "lookupCount" INTEGER NOT NULL DEFAULT 0;
