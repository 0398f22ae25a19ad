-- CreateTable
CREATE TABLE "EnrollmentCode" (
    "codeHash" TEXT NOT NULL PRIMARY KEY,
    "gateId" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "usedAt" DATETIME,
    "deviceId" TEXT,
    "revokedAt" DATETIME,
    "createdBy" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "EnrollmentCode_gateId_fkey" FOREIGN KEY ("gateId") REFERENCES "Gate" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "EnrollmentCode_gateId_idx" ON "EnrollmentCode"("gateId");
