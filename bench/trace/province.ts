import type { createPrismaClient } from '@liangzheng/prisma';
import { canonicalJson, canonicalRow, chainHash } from '@liangzheng/server/audit/audit-log';
import type { BulkWriter, Cell } from './bulk.ts';

/**
 * A synthetic province for tracing: producers issuing certificates, each certificate arriving at markets as
 * lots, and repack chains (分装/混装 of 分装 …) down to `chainDepth` levels, plus one producer certificate with a
 * wide tree of `recallDescendants` descendants for the recall measurement. Ids are deterministic so runs compare.
 * Each lot was received by a stall of its market, whose inventory holds it (sold out by now); each repack is a
 * transformation at a stall; every scan and transformation has its row in the audit chain, as the live paths write
 * them: a database that has run for a month, whose plans are made for tables of that size.
 */
export interface ProvinceSize {
  producerCertificates: number;
  lotsPerCertificate: number;
  /** producer certificates that start a repack chain */
  chainRoots: number;
  chainDepth: number;
  /** one in this many lots also has its scan row, as gates that scanned it */
  scanEvery: number;
  recallDescendants: number;
  /** how many such producer certificates to build */
  recalls: number;
}

export interface Province {
  size: ProvinceSize;
  /** roots of the repack chains: producer certificates with descendants */
  chainRoots: string[];
  /** the deepest repack certificate of each chain */
  chainLeaves: string[];
  /** producer certificates with `recallDescendants` descendants each, one per recall measured */
  wideRoots: { certificateId: string; descendants: number }[];
  rows: number;
}

/** Columns of the bulk rows, shared by every benchmark that writes a province or a stall's stock. */
export const certificateColumns = [
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
  'originText',
  'issuerName',
  'contact',
  'basis',
  'issuedAt',
  'status',
  'usedQuantity',
  'createdAt',
  'transformationId',
] as const;
export const lotColumns = [
  'id',
  'marketId',
  'gateId',
  'plate',
  'supplier',
  'productName',
  'productCode',
  'category',
  'quantity',
  'unit',
  'noCertificate',
  'status',
  'outcome',
  'openedAt',
  'judgedAt',
] as const;
export const documentColumns = [
  'id',
  'lotId',
  'type',
  'scanId',
  'certificateId',
  'fields',
  'quantityClaim',
  'createdAt',
] as const;
const scanColumns = [
  'id',
  'lotId',
  'marketId',
  'source',
  'rawText',
  'symbology',
  'keystrokeTimings',
  'deviceTime',
  'receivedAt',
  'codeKind',
  'certificateId',
  'provisional',
  'outcome',
  'reasons',
  'conflict',
  'response',
] as const;

const transformationColumns = [
  'id',
  'kind',
  'marketId',
  'stallId',
  'issuerId',
  'actor',
  'unit',
  'taken',
  'made',
  'loss',
  'at',
] as const;
const itemColumns = [
  'id',
  'marketId',
  'stallId',
  'certificateId',
  'lotId',
  'received',
  'drawn',
  'unit',
  'held',
  'receivedAt',
  'createdAt',
] as const;
const auditColumns = ['at', 'actor', 'action', 'entity', 'entityId', 'data', 'prevHash', 'hash'] as const;

const hex16 = (prefix: number, n: number) =>
  `${prefix.toString(16).padStart(2, '0')}${n.toString(16).padStart(14, '0')}`;
const day = 86_400_000;

export interface World {
  issuers: { id: number; name: string; regionCode: string }[];
  markets: { id: number; gateId: number }[];
  /** where the province's repacks were made */
  stalls: { id: number; marketId: number }[];
  /** the audit chain's newest hash, which the province's rows chain onto */
  auditHead: string;
  /** when the province's history ends: every date is before it */
  until: Date;
}

/** The gates, stalls and audit head of a server's database, for a province written into it. */
export async function placesOf(
  prisma: ReturnType<typeof createPrismaClient>,
): Promise<Pick<World, 'markets' | 'stalls' | 'auditHead'>> {
  const gates = await prisma.gate.findMany({ select: { id: true, marketId: true } });
  const stalls = await prisma.stall.findMany({ select: { id: true, marketId: true } });
  const head = await prisma.auditLog.findFirst({ orderBy: { seq: 'desc' }, select: { hash: true } });
  return {
    markets: gates.map((g) => ({ id: g.marketId, gateId: g.id })),
    stalls,
    auditHead: head?.hash ?? '0'.repeat(64),
  };
}

/** Writes the province in chunks of `chunk` certificates; `progress` is called after each. */
export async function buildProvince(
  bulk: BulkWriter,
  world: World,
  size: ProvinceSize,
  progress: (done: number, total: number) => void,
): Promise<Province> {
  let rows = 0;
  let lotSeq = 0;
  const certificates: Cell[][] = [];
  const lots: Cell[][] = [];
  const documents: Cell[][] = [];
  const scans: Cell[][] = [];
  const parents: Cell[][] = [];
  const transformations: Cell[][] = [];
  const audits: Cell[][] = [];
  const items: Cell[][] = [];
  const stallsOf = new Map<number, World['stalls']>();
  for (const stall of world.stalls)
    stallsOf.set(stall.marketId, [...(stallsOf.get(stall.marketId) ?? []), stall]);
  let auditHead = world.auditHead;

  /** The audit row the live path writes beside a scan or a transformation, chained onto the one before. */
  function audit(at: Date, actor: string, action: string, entity: string, entityId: string): void {
    const row = { at, actor, action, entity, entityId, data: canonicalJson({}) };
    const hash = chainHash(auditHead, canonicalRow(row));
    audits.push([at, actor, action, entity, entityId, row.data, auditHead, hash]);
    auditHead = hash;
  }

  async function flush(): Promise<void> {
    await bulk.insert('Transformation', transformationColumns, transformations);
    await bulk.insert('Certificate', certificateColumns, certificates);
    await bulk.insert('CertificateParent', ['childId', 'parentId', 'quantity'], parents);
    await bulk.insert('Lot', [...lotColumns, 'stallId'], lots);
    await bulk.insert('Scan', scanColumns, scans);
    await bulk.insert('LotDocument', documentColumns, documents);
    await bulk.insert('InventoryItem', itemColumns, items);
    // in chain order: the sequence numbers them as they are inserted
    await bulk.insert('AuditLog', auditColumns, audits);
    const lists = [transformations, certificates, parents, lots, scans, documents, items, audits];
    for (const list of lists) {
      rows += list.length;
      list.length = 0;
    }
  }

  function certificate(
    id: string,
    kind: 'producer' | 'repack',
    issuerIndex: number,
    at: Date,
    quantity: number,
    transformationId: string | null = null,
  ): void {
    const issuer = world.issuers[issuerIndex % world.issuers.length]!;
    certificates.push([
      id,
      kind,
      issuer.id,
      'bench000',
      `LZ1-BENCH-${id}`,
      1001,
      '大白菜',
      'vegetable',
      quantity,
      'kg',
      issuer.regionCode,
      '',
      issuer.name,
      '13800000000',
      'quality_control',
      at,
      'valid',
      quantity,
      at,
      transformationId,
    ]);
  }

  function arrive(certificateId: string, quantity: number, at: Date): void {
    const lotId = `bench-lot-${(lotSeq++).toString(36)}`;
    const market = world.markets[lotSeq % world.markets.length]!;
    const stalls = stallsOf.get(market.id) ?? [];
    const stall = stalls.length > 0 ? stalls[lotSeq % stalls.length]! : undefined;
    lots.push([
      lotId,
      market.id,
      market.gateId,
      '湘A·00000',
      '',
      '大白菜',
      1001,
      'vegetable',
      quantity,
      'kg',
      false,
      'judged',
      'accept',
      at,
      at,
      stall?.id ?? null,
    ]);
    if (stall) {
      items.push([
        `lot:${lotId}:${certificateId}`,
        market.id,
        stall.id,
        certificateId,
        lotId,
        quantity,
        quantity,
        'kg',
        false,
        at,
        at,
      ]);
    }
    const scanId =
      lotSeq % size.scanEvery === 0
        ? `00000000-0000-4000-8000-${lotSeq.toString(16).padStart(12, '0')}`
        : null;
    if (scanId) {
      scans.push([
        scanId,
        lotId,
        market.id,
        'hid',
        `LZ1-BENCH-${certificateId}`,
        'qr',
        '[]',
        at,
        at,
        'liangzheng',
        certificateId,
        false,
        'accept',
        '[]',
        false,
        '{}',
      ]);
      audit(at, `device:${market.gateId}`, 'scan.judged', 'Scan', scanId);
    }
    documents.push([
      `bench-doc-${lotSeq.toString(36)}`,
      lotId,
      'code',
      scanId,
      certificateId,
      '{}',
      quantity,
      at,
    ]);
  }

  /** A repack tree under `parentId`: `width(level)` children per node, down to `depth` levels. */
  function repackTree(
    parentId: string,
    rootIndex: number,
    depth: number,
    width: (level: number) => number,
    at: Date,
    ids: { next: number },
  ): { leaves: string[]; count: number } {
    let level = [parentId];
    let count = 0;
    for (let d = 1; d <= depth; d++) {
      const next: string[] = [];
      for (const parent of level) {
        for (let w = 0; w < width(d); w++) {
          const id = hex16(0xa0 + d, ids.next++);
          const issued = new Date(at.getTime() + d * 3_600_000);
          const stall = world.stalls[ids.next % world.stalls.length]!;
          const issuer = world.issuers[(rootIndex + d) % world.issuers.length]!;
          const transformationId = `bench-t-${id}`;
          transformations.push([
            transformationId,
            'repack',
            stall.marketId,
            stall.id,
            issuer.id,
            'user:bench',
            'kg',
            10,
            10,
            0,
            issued,
          ]);
          audit(issued, 'user:bench', 'transformation.repack', 'Transformation', transformationId);
          certificate(id, 'repack', rootIndex + d, issued, 10, transformationId);
          parents.push([id, parent, 10]);
          arrive(id, 10, new Date(issued.getTime() + 600_000));
          next.push(id);
          count++;
        }
      }
      level = next;
    }
    return { leaves: level, count };
  }

  const chainEvery = Math.max(1, Math.floor(size.producerCertificates / size.chainRoots));
  const chainRoots: string[] = [];
  const chainLeaves: string[] = [];
  const repackIds = { next: 0 };
  const start = world.until.getTime() - 30 * day;
  const chunk = 5_000;
  for (let i = 0; i < size.producerCertificates; i++) {
    const id = hex16(0x10, i);
    const at = new Date(start + Math.floor((i / size.producerCertificates) * 29 * day));
    certificate(id, 'producer', i, at, 100 * size.lotsPerCertificate);
    for (let l = 0; l < size.lotsPerCertificate; l++)
      arrive(id, 100, new Date(at.getTime() + (l + 1) * 3_600_000));
    if (i % chainEvery === 0 && chainRoots.length < size.chainRoots) {
      // two children per node for three levels, then one per node: 2 + 4 + 8 + 8 + 8 + 8 at depth 6
      const tree = repackTree(id, i, size.chainDepth, (d) => (d <= 3 ? 2 : 1), at, repackIds);
      chainRoots.push(id);
      chainLeaves.push(tree.leaves[0]!);
    }
    if ((i + 1) % chunk === 0) {
      await flush();
      progress(i + 1, size.producerCertificates);
    }
  }
  const wideRoots: Province['wideRoots'] = [];
  const side = Math.ceil(Math.cbrt(size.recallDescendants));
  for (let w = 0; w < size.recalls; w++) {
    const wideId = hex16(0x20, w);
    const wideAt = new Date(world.until.getTime() - 2 * day);
    certificate(wideId, 'producer', w, wideAt, 100_000);
    const wide = repackTree(wideId, w, 3, () => side, wideAt, repackIds);
    wideRoots.push({ certificateId: wideId, descendants: wide.count });
    await flush();
  }
  progress(size.producerCertificates, size.producerCertificates);
  return {
    size,
    chainRoots,
    chainLeaves,
    wideRoots,
    rows,
  };
}
