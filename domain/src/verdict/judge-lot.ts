import type { CertificatePayload } from '../certificate/certificate.ts';
import { readCode } from '../certificate/code.ts';
import type { CodeReading } from '../certificate/code-reading.ts';
import type { Ed25519 } from '../certificate/ed25519.ts';
import type { LotDeclaration, PaperFields, PresentedDocument } from '../lot/lot.ts';
import { compareReasonCodes, reasonSeverity } from '../reason/reason-outcome.ts';
import type { RuleData } from '../rules/rule-data.ts';
import type { CategoryDefaults, RuleSet } from '../rules/rule-set.ts';
import type { TrustIndex } from '../trust/trust-index.ts';
import { type CoveringCertificate, coverLot } from './coverage.ts';
import { productMatches } from './product-match.ts';
import { applyRules } from './rule-evaluation.ts';
import type { DocumentResult, Reason, VerdictOutcome, VerdictResult } from './verdict-result.ts';

/** How old the gate's trust snapshot is. Agents pass it; the server, whose data is live, passes undefined. */
export interface SnapshotAge {
  receivedAt: Date;
  maxAgeHours: number;
}

export interface LotJudgement {
  lot: LotDeclaration;
  documents: readonly PresentedDocument[];
  trust: TrustIndex;
  snapshotAge: SnapshotAge | undefined;
  /**
   * Quantity of a certificate already used anywhere, in that certificate's unit (0 when never used).
   * Must be finite and ≥ 0: the ledger is ours, so a bad figure is a bug to fix there, not a lot to judge.
   */
  ledger: (certificateId: string) => number;
  rules: RuleSet;
  now: Date;
  ed25519: Ed25519;
  /**
   * Nothing more will be shown for this lot: staff closed it, the sweep did, or it came with paper only. A lot
   * still short of its declared quantity is then INSUFFICIENT_COVERAGE; while open, it is only pending.
   */
  closing?: boolean;
}

/** A certificate whose contents we can read: a verified code, or paper typed in at the gate. */
interface ReadableCertificate {
  documentIndex: number;
  payload?: CertificatePayload;
  paper?: PaperFields;
}

const hour = 3_600_000;

/** Paper carries a date only (China time): the earliest and latest moments it could have been issued. */
function paperIssueWindow(issuedOn: string): { earliest: string; latest: string } {
  return {
    earliest: new Date(`${issuedOn}T00:00:00.000+08:00`).toISOString(),
    latest: new Date(`${issuedOn}T23:59:59.999+08:00`).toISOString(),
  };
}

function snapshotStaleness(judgement: LotJudgement): Reason | undefined {
  const { snapshotAge, now, trust } = judgement;
  if (!snapshotAge) return undefined;
  const ageHours = (now.getTime() - snapshotAge.receivedAt.getTime()) / hour;
  if (ageHours > snapshotAge.maxAgeHours) {
    return {
      code: 'SNAPSHOT_STALE',
      detail: `received ${Math.floor(ageHours)} h ago, limit ${snapshotAge.maxAgeHours} h`,
    };
  }
  if (now.getTime() > Date.parse(trust.snapshot.expiresAt)) {
    return { code: 'SNAPSHOT_STALE', detail: `expired at ${trust.snapshot.expiresAt}` };
  }
  return undefined;
}

/** What makes two reads the same document: the certificate id once known, else the text or fields. */
function identityOf(document: PresentedDocument, reading: CodeReading | undefined): string {
  if (reading?.kind === 'liangzheng' && reading.payload) return `certificate:${reading.payload.id}`;
  switch (document.type) {
    case 'code':
      return `text:${document.text.trim().toUpperCase()}`;
    case 'paper':
      return `paper:${JSON.stringify(document.fields)}`;
    case 'second_document':
      return `second:${document.kind}:${document.number.trim().toUpperCase()}`;
  }
}

function readingReasons(reading: CodeReading, documentIndex: number, trust: TrustIndex): Reason[] {
  switch (reading.kind) {
    case 'liangzheng':
      if (reading.failure)
        return [{ code: reading.failure.reason, documentIndex, detail: reading.failure.detail }];
      // A genuine certificate, but the vendor who made it declared goods nobody could verify: a person decides.
      return reading.payload && trust.unverifiedSources.has(reading.payload.id)
        ? [{ code: 'UNVERIFIED_SOURCES', documentIndex }]
        : [];
    case 'foreign_url':
      return [{ code: 'UNVERIFIABLE', documentIndex, detail: `foreign_url:${reading.platform}` }];
    case 'national_trace':
    case 'serial':
    case 'unknown':
      return [{ code: 'UNVERIFIABLE', documentIndex, detail: reading.kind }];
  }
}

function categoryDefaults(rules: RuleSet, category: string): CategoryDefaults | null {
  return rules.categoryDefaults[category] ?? null;
}

function certificateFacts(
  certificate: ReadableCertificate,
  lot: LotDeclaration,
): RuleData['certificate'] & {} {
  const { payload, paper } = certificate;
  if (payload) {
    const issuedAt = payload.issuedAt.toISOString();
    return {
      id: payload.id,
      kind: payload.kind,
      category: payload.category,
      productName: payload.productName,
      quantity: payload.quantity,
      unit: payload.unit,
      basis: payload.basis,
      issuedAt,
      issuedEarliest: issuedAt,
      issuedLatest: issuedAt,
    };
  }
  const fields = paper!;
  const window = paperIssueWindow(fields.issuedOn);
  return {
    id: null,
    kind: 'paper',
    // Paper names no category; the declared one is the best we have.
    category: lot.category,
    productName: fields.productName,
    quantity: fields.quantity,
    unit: fields.unit,
    basis: fields.basis,
    issuedAt: window.earliest,
    issuedEarliest: window.earliest,
    issuedLatest: window.latest,
  };
}

function productReason(
  certificate: ReadableCertificate,
  lot: LotDeclaration,
  trust: TrustIndex,
): Reason | undefined {
  const { documentIndex, payload, paper } = certificate;
  if (payload && payload.category !== lot.category) {
    return {
      code: 'PRODUCT_MISMATCH',
      documentIndex,
      detail: `category ${payload.category} vs ${lot.category}`,
    };
  }
  const catalogueName = payload ? trust.products.get(payload.productCode)?.name : undefined;
  const names = [payload?.productName ?? paper?.productName ?? '', ...(catalogueName ? [catalogueName] : [])];
  const declared = { productCode: lot.productCode, names: [lot.productName] };
  if (productMatches(declared, { productCode: payload?.productCode, names })) return undefined;
  return { code: 'PRODUCT_MISMATCH', documentIndex, detail: `${names[0]} vs ${lot.productName}` };
}

function worstOutcome(reasons: readonly Reason[]): Exclude<VerdictOutcome, 'pending'> {
  const severities = reasons.map((reason) => reasonSeverity[reason.code]);
  if (severities.includes('reject')) return 'reject';
  if (severities.includes('review')) return 'review';
  return 'accept';
}

/**
 * A lot short of its quantity while more may come is pending, unless something already refuses it: a forged,
 * voided or used-up certificate is told at once. Pending comes before review, because the person who would review
 * it is the one still scanning.
 */
function lotOutcome(reasons: readonly Reason[], awaitingMore: boolean): VerdictOutcome {
  const worst = worstOutcome(reasons);
  return awaitingMore && worst !== 'reject' ? 'pending' : worst;
}

function byImportance(a: Reason, b: Reason): number {
  return compareReasonCodes(a.code, b.code) || (a.documentIndex ?? -1) - (b.documentIndex ?? -1);
}

/** What reading the presented documents yields, before any rule or quantity is looked at. */
interface DocumentReadings {
  reasons: Reason[];
  results: DocumentResult[];
  readable: ReadableCertificate[];
  presentedKinds: Set<string>;
  /** certificate documents (code or paper) after dropping repeats */
  certificateDocuments: number;
  /** certificate documents whose quantity cannot be counted (unreadable, refused, unverifiable) */
  uncounted: number;
}

function readDocuments(
  documents: readonly PresentedDocument[],
  trust: TrustIndex,
  ed25519: Ed25519,
): DocumentReadings {
  const read: DocumentReadings = {
    reasons: [],
    results: [],
    readable: [],
    presentedKinds: new Set(),
    certificateDocuments: 0,
    uncounted: 0,
  };
  const seen = new Map<string, number>();
  documents.forEach((document, index) => {
    const reading = document.type === 'code' ? readCode(document.text, trust, ed25519) : undefined;
    const identity = identityOf(document, reading);
    const first = seen.get(identity);
    const readingKind = reading ? reading.kind : document.type === 'code' ? 'unknown' : document.type;
    const certificateId = reading?.kind === 'liangzheng' ? reading.payload?.id : undefined;
    const result: DocumentResult = { index, reading: readingKind, outcome: 'accept' };
    if (certificateId) result.certificateId = certificateId;
    read.results.push(result);
    if (first !== undefined) {
      read.reasons.push({
        code: 'DUPLICATE_READ',
        documentIndex: index,
        detail: `same as document ${first}`,
      });
      result.outcome = 'ignored';
      return;
    }
    seen.set(identity, index);

    if (document.type === 'second_document') {
      read.presentedKinds.add(document.kind);
      return;
    }
    read.certificateDocuments++;
    if (document.type === 'paper') {
      read.reasons.push({ code: 'PAPER_UNVERIFIED', documentIndex: index });
      read.readable.push({ documentIndex: index, paper: document.fields });
      return;
    }
    read.reasons.push(...readingReasons(reading!, index, trust));
    if (reading?.kind === 'liangzheng' && !reading.failure && reading.payload) {
      read.readable.push({ documentIndex: index, payload: reading.payload });
    } else {
      read.uncounted++;
    }
  });
  return read;
}

/**
 * THE verdict: the one place where a lot and the documents shown for it become accept, review or reject.
 * Pure: the clock, the signature primitive, the trust data and the ledger all come in as arguments.
 */
export function judgeLot(judgement: LotJudgement): VerdictResult {
  const { lot, documents, trust, rules, now, ledger, ed25519, closing = false } = judgement;
  const stale = snapshotStaleness(judgement);
  const read = readDocuments(documents, trust, ed25519);
  const { results, readable, presentedKinds, certificateDocuments } = read;
  const reasons: Reason[] = stale ? [stale, ...read.reasons] : read.reasons;
  let uncounted = read.uncounted;

  if (certificateDocuments === 0) reasons.push({ code: 'MISSING' });

  const nowIso = now.toISOString();
  const certificates = readable.map((certificate) => ({
    certificate,
    facts: certificateFacts(certificate, lot),
  }));
  // A lot needs what its declared category needs, and what the categories on its certificates need.
  const requiredDocuments = [
    ...new Set(
      [lot.category, ...certificates.map(({ facts }) => facts.category)].flatMap(
        (category) => categoryDefaults(rules, category)?.requiredDocuments ?? [],
      ),
    ),
  ];
  const lotFacts: RuleData['lot'] = {
    productName: lot.productName,
    category: lot.category,
    quantity: lot.quantity,
    unit: lot.unit,
    requiredDocuments,
    presentedDocuments: [...presentedKinds],
    missingDocuments: requiredDocuments.filter((kind) => !presentedKinds.has(kind)),
  };

  const covering: CoveringCertificate[] = [];
  for (const { certificate, facts } of certificates) {
    const category = categoryDefaults(rules, facts.category);
    const data: RuleData = { now: nowIso, lot: lotFacts, certificate: facts, category };
    reasons.push(...applyRules(rules, 'certificate', facts.category, data, certificate.documentIndex));
    const mismatch = productReason(certificate, lot, trust);
    if (mismatch) {
      reasons.push(mismatch);
      uncounted++;
      continue;
    }
    const { documentIndex, payload } = certificate;
    covering.push(
      payload
        ? { documentIndex, certificateId: payload.id, quantity: payload.quantity, unit: payload.unit }
        : { documentIndex, quantity: facts.quantity, unit: certificate.paper!.unit },
    );
  }

  const lotData: RuleData = {
    now: nowIso,
    lot: lotFacts,
    certificate: null,
    category: categoryDefaults(rules, lot.category),
  };
  reasons.push(...applyRules(rules, 'lot', lot.category, lotData));

  const coverage = coverLot(lot, covering, ledger, uncounted === 0, closing);
  reasons.push(...coverage.reasons);

  reasons.sort(byImportance);
  for (const result of results) {
    if (result.outcome === 'ignored') continue;
    result.outcome = worstOutcome(reasons.filter((reason) => reason.documentIndex === result.index));
  }
  return {
    outcome: lotOutcome(reasons, coverage.awaitingMore),
    reasons,
    primary: reasons[0] ?? null,
    documents: results,
    claims: coverage.claims,
    coverage: coverage.coverage,
    rulesVersion: rules.version,
  };
}
