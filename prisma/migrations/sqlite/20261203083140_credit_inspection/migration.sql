-- CreateTable
CREATE TABLE "CreditGrade" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "issuerId" INTEGER NOT NULL,
    "grade" TEXT NOT NULL,
    "score" REAL NOT NULL,
    "source" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "inputs" TEXT NOT NULL DEFAULT '{}',
    "reason" TEXT NOT NULL DEFAULT '',
    "actor" TEXT NOT NULL,
    "computedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "InspectionDraw" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "seed" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "inspectorPool" TEXT NOT NULL,
    "targetPool" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "InspectionTask" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "drawId" TEXT NOT NULL,
    "inspectorId" INTEGER NOT NULL,
    "targetKind" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "stallId" INTEGER,
    "regionCode" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'assigned',
    "doneAt" DATETIME,
    CONSTRAINT "InspectionTask_drawId_fkey" FOREIGN KEY ("drawId") REFERENCES "InspectionDraw" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "InspectionFinding" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "taskId" TEXT NOT NULL,
    "compliant" BOOLEAN NOT NULL,
    "note" TEXT NOT NULL,
    "lotId" TEXT,
    "violationId" TEXT,
    "actorId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL,
    CONSTRAINT "InspectionFinding_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "InspectionTask" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "ViolationDisposition" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "violationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "amountYuan" REAL,
    "supervisor" TEXT NOT NULL DEFAULT '',
    "actorId" INTEGER NOT NULL,
    "at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "CreditGrade_issuerId_computedAt_idx" ON "CreditGrade"("issuerId", "computedAt");

-- CreateIndex
CREATE INDEX "InspectionTask_drawId_idx" ON "InspectionTask"("drawId");

-- CreateIndex
CREATE INDEX "InspectionTask_inspectorId_status_idx" ON "InspectionTask"("inspectorId", "status");

-- CreateIndex
CREATE INDEX "InspectionFinding_taskId_idx" ON "InspectionFinding"("taskId");

-- CreateIndex
CREATE INDEX "ViolationDisposition_violationId_idx" ON "ViolationDisposition"("violationId");
