/**
 * Credit recomputation for a province's producers (docs/credit.md): PRODUCERS (default 10,000) with their
 * certificates, lots, violations, rapid tests and recalls written in bulk, then every grade recomputed twice — the
 * first pass writes a history row for each producer, the second finds nothing changed.
 *
 * Run: npx tsx bench/credit/main.ts   (PRODUCERS; DATABASES=sqlite or sqlite,postgresql)
 */
import { randomUUID } from 'node:crypto';
import { openRawSqlite } from '@liangzheng/prisma';
import { systemClock } from '@liangzheng/server/clock/clock';
import { recomputeCredit } from '@liangzheng/server/credit/credit-service';
import { type DatabaseKind, startBenchServer } from '../scan-ingest/setup.ts';
import { type BulkWriter, type Cell, postgresBulk, sqliteBulk } from '../trace/bulk.ts';

const producers = Number(process.env.PRODUCERS ?? 10_000);
const kinds = (process.env.DATABASES ?? 'sqlite,postgresql').split(',') as DatabaseKind[];
const day = 24 * 60 * 60 * 1000;
const reasons = ['MISSING', 'QUANTITY_EXCEEDED', 'PRODUCT_MISMATCH', 'BAD_SIGNATURE'];
const statuses = ['open', 'reviewing', 'confirmed', 'rectified', 'dismissed'];

/** Issuer i gets 5 certificates over the last 150 days, a lot per certificate, and a share of the problems. */
async function writeProvince(
  bulk: BulkWriter,
  marketId: number,
  now: Date,
): Promise<{ ids: number[]; rows: number }> {
  const firstId = 100_000;
  const ids = Array.from({ length: producers }, (_, i) => firstId + i);
  const at = (daysAgo: number) => new Date(now.getTime() - daysAgo * day);
  let rows = 0;
  const chunk = 1000;
  for (let start = 0; start < producers; start += chunk) {
    const slice = ids.slice(start, start + chunk);
    const issuers: Cell[][] = [];
    const certificates: Cell[][] = [];
    const lots: Cell[][] = [];
    const documents: Cell[][] = [];
    const violations: Cell[][] = [];
    const tests: Cell[][] = [];
    const recalls: Cell[][] = [];
    for (const id of slice) {
      issuers.push([id, 'producer', `生产者${id}`, `BENCH${id}`, 'other', '0731-0000', '430102']);
      for (let c = 0; c < 5; c++) {
        const certificateId = `${id.toString(16).padStart(8, '0')}${c.toString(16).padStart(8, '0')}`;
        certificates.push([
          certificateId,
          'producer',
          id,
          'bench',
          'bench',
          1001,
          '白菜',
          'vegetable',
          100,
          'kg',
          '430102',
          `生产者${id}`,
          '0731-0000',
          'quality_control',
          at(c * 30 + (id % 30)),
        ]);
        const lotId = `bench-${certificateId}`;
        lots.push([lotId, marketId, '白菜', 'vegetable', 100, 'kg']);
        documents.push([randomUUID(), lotId, 'code', certificateId]);
        // One lot in four has a violation, one in six a rapid test.
        if ((id + c) % 4 === 0) {
          const opened = at((id * 7 + c * 13) % 400);
          violations.push([
            randomUUID(),
            lotId,
            marketId,
            '430102',
            reasons[(id + c) % reasons.length] as string,
            statuses[(id + c) % statuses.length] as string,
            opened,
            opened,
          ]);
        }
        if ((id + c) % 6 === 0) {
          const positive = (id + c) % 30 === 0;
          tests.push([
            randomUUID(),
            lotId,
            'enzyme_inhibition',
            '有机磷',
            5,
            positive ? 'positive' : 'negative',
            at((id + c) % 200),
            positive && id % 2 === 0 ? randomUUID() : null,
          ]);
        }
      }
      if (id % 50 === 0) recalls.push([randomUUID(), '抽检不合格', id, 'bench', at(id % 300), 5, 0]);
    }
    await bulk.insert(
      'Issuer',
      ['id', 'kind', 'name', 'subjectId', 'subjectIdKind', 'contact', 'regionCode'],
      issuers,
    );
    await bulk.insert(
      'Certificate',
      [
        'id',
        'kind',
        'issuerId',
        'keyId',
        'code',
        'productCode',
        'productName',
        'category',
        'quantity',
        'unit',
        'originRegion',
        'issuerName',
        'contact',
        'basis',
        'issuedAt',
      ],
      certificates,
    );
    await bulk.insert('Lot', ['id', 'marketId', 'productName', 'category', 'quantity', 'unit'], lots);
    await bulk.insert('LotDocument', ['id', 'lotId', 'type', 'certificateId'], documents);
    await bulk.insert(
      'Violation',
      ['id', 'lotId', 'marketId', 'regionCode', 'reason', 'status', 'createdAt', 'updatedAt'],
      violations,
    );
    await bulk.insert(
      'RapidTest',
      ['id', 'lotId', 'method', 'analyte', 'sampleCount', 'result', 'testedAt', 'violationId'],
      tests,
    );
    await bulk.insert(
      'Recall',
      ['id', 'reason', 'issuerId', 'actor', 'at', 'revokedCount', 'heldCount'],
      recalls,
    );
    rows += issuers.length + certificates.length + lots.length + documents.length + violations.length;
    rows += tests.length + recalls.length;
  }
  return { ids, rows };
}

async function measure(kind: DatabaseKind) {
  const server = await startBenchServer(kind, 1);
  const raw = kind === 'sqlite' ? openRawSqlite(server.databaseUrl) : undefined;
  const bulk = raw ? sqliteBulk(raw) : await postgresBulk(server.databaseUrl);
  try {
    const now = new Date();
    const { ids, rows } = await writeProvince(bulk, server.demo.markets.wholesale, now);
    if (kind === 'postgresql') await server.app.prisma.$executeRawUnsafe('ANALYZE');
    const deps = { db: server.app.prisma, clock: systemClock, audit: server.app.audit };
    const timed = async () => {
      const started = performance.now();
      const done = await recomputeCredit(deps, ids, 'bench', 'bench');
      return { ms: performance.now() - started, ...done };
    };
    const first = await timed();
    const second = await timed();
    const grades = await server.app.prisma.issuer.groupBy({
      by: ['creditGrade'],
      where: { id: { gte: ids[0] } },
      _count: true,
    });
    return {
      database: kind,
      producers: ids.length,
      'rows written (setup)': rows,
      'first pass ms': Math.round(first.ms),
      'per producer ms': Number((first.ms / ids.length).toFixed(3)),
      'grades changed': first.changed.length,
      'second pass ms (no change)': Math.round(second.ms),
      grades: grades
        .sort((a, b) => a.creditGrade.localeCompare(b.creditGrade))
        .map((g) => `${g.creditGrade} ${g._count}`)
        .join(', '),
    };
  } finally {
    await bulk.close();
    raw?.close();
    await server.close();
  }
}

const results = [];
for (const kind of kinds) results.push(await measure(kind));
console.table(results);
