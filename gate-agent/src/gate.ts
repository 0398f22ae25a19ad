import { type Ed25519, judgeLot, type LotDeclaration, type Reason } from '@liangzheng/domain';
import type { AgentConfig } from './config/config.ts';
import type { Sounder } from './feedback/sounder.ts';
import {
  type Journal,
  type JournalEntry,
  type LotArrival,
  type Outcome,
  scannedArrival,
} from './journal/journal.ts';
import type { Read } from './read/read.ts';
import type { SourceEvent } from './read/source-event.ts';
import { arrivalOf, closedOf, conflictOf, type GateStatus, lastOf, lotLabel } from './status/gate-status.ts';
import type { Clock } from './sync/server-clock.ts';
import {
  closingVerdict,
  declarationFromCode,
  type GateLot,
  isStale,
  provisionalVerdict,
  snapshotAgeMs,
  type TrustState,
} from './verdict/provisional.ts';

export interface GateDeps {
  config: Pick<AgentConfig, 'gateId' | 'maxSnapshotAgeHours'>;
  journal: Journal;
  /** server-corrected clock */
  clock: Clock & { local(): Date };
  sounder: Sounder;
  ed25519: Ed25519;
  trust: () => TrustState | null;
  /** where status changes go (the local page); called after the journal write */
  show: (change: Partial<GateStatus>) => void;
  /** a read was journaled: the uploader may send it now */
  journaled: () => void;
}

/** A lot judged the moment it is registered: no certificate at all, or a paper one. */
export interface ArrivalVerdict {
  outcome: Outcome;
  reasons: Reason[];
}

/** Nothing more is coming for such a lot: the server judges it at once too (MISSING, PAPER_UNVERIFIED). */
function judgedOnArrival(arrival: LotArrival): boolean {
  return arrival.noCertificate || arrival.documents.length > 0;
}

/**
 * One gate: every read is judged, journaled (durably), and only then sounded, shown and queued for upload.
 * Nothing here waits on the network.
 */
export class Gate {
  readonly #deps: GateDeps;
  #lot: GateLot;
  #last: JournalEntry | null = null;

  /** reads with nothing to declare them by, when no lot is open; the server refuses them, the journal keeps them */
  readonly #unassigned: GateLot;

  constructor(deps: GateDeps) {
    this.#deps = deps;
    this.#unassigned = {
      id: `unassigned-gate-${deps.config.gateId}`,
      declaration: null,
      documents: [],
      auto: true,
    };
    this.#lot = this.#unassigned;
  }

  /** the latest judged read */
  get lastEntry(): JournalEntry | null {
    return this.#last;
  }

  get lot(): GateLot {
    return this.#lot;
  }

  /** Staff (or a script) declare a new arrival: it is journaled, and later reads belong to it. */
  openLot(
    declaration: LotDeclaration,
    lotId: string = crypto.randomUUID(),
    arrival: LotArrival = scannedArrival,
  ): GateLot {
    this.#deps.journal.recordLot({ lotId, declaration, arrival, openedAt: this.#deps.clock.now() });
    this.#lot = { id: lotId, declaration, documents: [], auto: false };
    return this.#lot;
  }

  /**
   * An arrival entered by hand at the gate. One waiting for its codes becomes the current lot; one judged at
   * once (no certificate, or paper) is judged, sounded and shown like a read, and later reads open their own
   * lots again, as they are the next truck's.
   */
  registerArrival(
    declaration: LotDeclaration,
    arrival: LotArrival,
  ): { lot: GateLot; verdict: ArrivalVerdict | null } {
    const lot = this.openLot(declaration, crypto.randomUUID(), arrival);
    if (!judgedOnArrival(arrival)) {
      this.#deps.show({ lot: lotLabel(lot.id, declaration, arrival), ...this.queueAndSnapshot() });
      this.#deps.journaled();
      return { lot, verdict: null };
    }
    const verdict = this.#judgeArrival(declaration, arrival);
    this.#lot = this.#unassigned;
    this.#deps.sounder.play(verdict.outcome);
    this.#deps.show({
      last: arrivalOf(lot.id, declaration, arrival, verdict, this.#deps.clock.local()),
      lot: null,
      ...this.queueAndSnapshot(),
    });
    this.#deps.journaled();
    return { lot, verdict };
  }

  /** The shared core with the cached snapshot; with none, what the server's rules give such a lot. */
  #judgeArrival(declaration: LotDeclaration, arrival: LotArrival): ArrivalVerdict {
    const trust = this.#deps.trust();
    if (!trust) {
      return arrival.noCertificate
        ? { outcome: 'reject', reasons: [{ code: 'MISSING' }] }
        : { outcome: 'review', reasons: [{ code: 'PAPER_UNVERIFIED' }, { code: 'SNAPSHOT_STALE' }] };
    }
    const { outcome, reasons } = judgeLot({
      lot: declaration,
      documents: arrival.noCertificate
        ? []
        : arrival.documents.map((document) => ({ type: 'paper' as const, fields: document.fields })),
      trust: trust.index,
      snapshotAge: { receivedAt: trust.receivedAt, maxAgeHours: this.#deps.config.maxSnapshotAgeHours },
      ledger: () => 0,
      rules: trust.index.snapshot.rules,
      now: this.#deps.clock.now(),
      ed25519: this.#deps.ed25519,
      closing: true,
    });
    return { outcome, reasons };
  }

  /**
   * Staff say the truck has shown everything (本车扫完): the declared lot is judged offline with the core's closing
   * rule (short of its quantity: INSUFFICIENT_COVERAGE), the close is journaled, and the server closes the lot too
   * once the reads before it are in. Later reads are the next truck's. Null when no declared lot is open.
   */
  closeLot(): { lotId: string; verdict: ArrivalVerdict } | null {
    const lot = this.#lot;
    if (lot.auto || !lot.declaration) return null;
    const { journal, clock, config } = this.#deps;
    const { outcome, reasons } = closingVerdict(
      {
        lot,
        trust: this.#deps.trust(),
        now: clock.now(),
        maxSnapshotAgeHours: config.maxSnapshotAgeHours,
        ed25519: this.#deps.ed25519,
      },
      lot.declaration,
    );
    journal.recordClose(lot.id, clock.now());
    this.#lot = this.#unassigned;
    this.#deps.sounder.play(outcome);
    this.#deps.show({
      last: closedOf(lot.id, lot.declaration, { outcome, reasons }, clock.local()),
      lot: null,
      ...this.queueAndSnapshot(),
    });
    this.#deps.journaled();
    return { lotId: lot.id, verdict: { outcome, reasons } };
  }

  /** After a restart: the lot is already journaled, only the gate's notion of "current" is restored. */
  resumeLot(lotId: string, declaration: LotDeclaration): void {
    this.#lot = { id: lotId, declaration, documents: [], auto: false };
  }

  /**
   * With no declared lot, each decodable certificate opens its own lot declared from the certificate: one
   * truck, one certificate, the common case at a gate.
   */
  #lotFor(text: string): GateLot {
    if (!this.#lot.auto) return this.#lot;
    const trust = this.#deps.trust();
    if (!trust) return this.#unassigned;
    const declaration = declarationFromCode(text, trust, this.#deps.ed25519);
    if (!declaration) return this.#unassigned;
    this.openLot(declaration);
    this.#lot = { ...this.#lot, auto: true };
    return this.#lot;
  }

  handle(event: SourceEvent): JournalEntry | null {
    if (event.kind === 'status') return null;
    return event.kind === 'repeat' ? this.#repeat(event.read) : this.judge(event.read);
  }

  /** One new read, from any input: judged, journaled, then sounded, shown and queued. */
  judge(read: Read): JournalEntry {
    const { journal, clock, config } = this.#deps;
    const now = clock.now();
    const lot = this.#lotFor(read.text);
    const verdict = provisionalVerdict({
      text: read.text,
      lot,
      trust: this.#deps.trust(),
      now,
      maxSnapshotAgeHours: config.maxSnapshotAgeHours,
      ed25519: this.#deps.ed25519,
    });
    const entry = journal.record({
      read,
      verdict,
      lotId: lot.id,
      deviceTime: clock.local(),
      serverTime: now,
      repeated: false,
    });
    if (lot === this.#lot)
      this.#lot = { ...lot, documents: [...lot.documents, { type: 'code', text: read.text }] };
    this.#last = entry;
    this.#deps.sounder.play(verdict.outcome);
    this.#deps.show({ last: lastOf(entry), ...this.queueAndSnapshot() });
    this.#deps.journaled();
    return entry;
  }

  /** Kept for the record, never judged or uploaded: the same code seen again inside the repeat window. */
  #repeat(read: Read): JournalEntry {
    const { journal, clock } = this.#deps;
    const entry = journal.record({
      read,
      verdict: {
        outcome: 'accept',
        reasons: [{ code: 'DUPLICATE_READ' }],
        codeKind: 'repeat',
        certificateId: null,
        snapshotVersion: 0,
      },
      lotId: this.#lot.id,
      deviceTime: clock.local(),
      serverTime: clock.now(),
      repeated: true,
    });
    this.#deps.sounder.play('repeat');
    return entry;
  }

  conflict(entry: JournalEntry): void {
    this.#deps.show({ conflict: conflictOf(entry) });
  }

  queueAndSnapshot(): Pick<GateStatus, 'queueLength' | 'snapshot'> {
    const counts = this.#deps.journal.counts();
    const trust = this.#deps.trust();
    const now = this.#deps.clock.now();
    return {
      queueLength:
        counts.pending +
        counts.sent +
        this.#deps.journal.pendingLotCount() +
        this.#deps.journal.pendingCloseCount(),
      snapshot: trust
        ? {
            version: trust.version,
            ageMinutes: Math.floor(snapshotAgeMs(trust, now) / 60_000),
            stale: isStale(trust, now, this.#deps.config.maxSnapshotAgeHours),
          }
        : null,
    };
  }
}
