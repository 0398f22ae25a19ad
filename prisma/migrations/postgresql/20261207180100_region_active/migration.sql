-- AlterTable
ALTER TABLE "Region" ADD COLUMN     "active" BOOLEAN NOT NULL DEFAULT true;
