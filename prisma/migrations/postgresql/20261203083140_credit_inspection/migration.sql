-- CreateTable
CREATE TABLE "CreditGrade" (
    "id" SERIAL NOT NULL,
    "issuerId" INTEGER NOT NULL,
    "grade" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "source" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "inputs" TEXT NOT NULL DEFAULT '{}',
    "reason" TEXT NOT NULL DEFAULT '',
    "actor" TEXT NOT NULL,
    "computedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CreditGrade_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InspectionDraw" (
    "id" TEXT NOT NULL,
    "seed" TEXT NOT NULL,
    "params" TEXT NOT NULL,
    "inspectorPool" TEXT NOT NULL,
    "targetPool" TEXT NOT NULL,
    "result" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InspectionDraw_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InspectionTask" (
    "id" TEXT NOT NULL,
    "drawId" TEXT NOT NULL,
    "inspectorId" INTEGER NOT NULL,
    "targetKind" TEXT NOT NULL,
    "marketId" INTEGER NOT NULL,
    "stallId" INTEGER,
    "regionCode" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'assigned',
    "doneAt" TIMESTAMP(3),

    CONSTRAINT "InspectionTask_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "InspectionFinding" (
    "id" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "compliant" BOOLEAN NOT NULL,
    "note" TEXT NOT NULL,
    "lotId" TEXT,
    "violationId" TEXT,
    "actorId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "InspectionFinding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ViolationDisposition" (
    "id" TEXT NOT NULL,
    "violationId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "amountYuan" DOUBLE PRECISION,
    "supervisor" TEXT NOT NULL DEFAULT '',
    "actorId" INTEGER NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ViolationDisposition_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "InspectionTask" ADD CONSTRAINT "InspectionTask_drawId_fkey" FOREIGN KEY ("drawId") REFERENCES "InspectionDraw"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "InspectionFinding" ADD CONSTRAINT "InspectionFinding_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "InspectionTask"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
