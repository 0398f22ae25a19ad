import type { ScanReversal, ScanReversalReason } from '@liangzheng/domain/scan/scan-reversal';
import type { ScanAnswer } from '@liangzheng/domain/scan/scan-schema';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type {
  Api,
  ApiError,
  ApiResult,
  Lot,
  LotDocumentsInput,
  LotInput,
  LotReviewInput,
  StaffScan,
  User,
} from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { listenForWedgeScans } from '../scan/wedge-listener.ts';
import type { ShownVerdict } from '../verdict/verdict.ts';
import { verdictOfLot, verdictOfVerification } from '../verdict/verdict.ts';
import { soundVerdict } from '../verdict/verdict-sound.ts';
import type { FeedState, GateFeed } from './gate-feed.ts';

const gateKey = 'lz.gate';
const resetKey = 'lz.gate.resetSeconds';
/** How long a verdict stays up before the screen returns to 等待扫码, unless the gate sets its own. */
export const defaultResetSeconds = 30;
/** How often an unreachable server is asked again. */
const probeMs = 2_000;

/** The truck being scanned now: an open lot, named as people name it. */
export interface CurrentLot {
  id: string;
  name: string;
}

/** A line under the verdict: information (已登记) or a problem a person can act on. */
export interface Notice {
  tone: 'info' | 'problem';
  text: string;
}

/** A lot as people name it at the gate: its plate and product, never an id. */
export const lotName = (lot: { plate: string; productName: string }) =>
  [lot.plate, lot.productName].filter(Boolean).join(' · ');

/** A sentence for an API error: the console's words for codes people meet, else the server's own message. */
export function problemOf(t: TFunction, error: Pick<ApiError, 'code' | 'message'>): string {
  return (
    t(`apiError.${error.code}`, { defaultValue: '' }) ||
    error.message ||
    t('error.generic', { code: error.code })
  );
}

/**
 * Sends a staff scan, re-sending once with the same scanId when the network failed: the server answers a re-send
 * with its first answer, so a lost reply never judges the code twice.
 */
export async function submitStaffScan(api: Api, scan: StaffScan): Promise<ApiResult<ScanAnswer>> {
  const first = await api.scan(scan);
  return !first.ok && first.error.code === 'NETWORK' ? api.scan(scan) : first;
}

const isToday = (iso: string) => new Date(iso).toDateString() === new Date().toDateString();

/** A failed request: NETWORK means the server is out of reach, anything else is the server's answer. */
type Failure = (error: ApiError) => void;

/**
 * The gate screen's state: which gate, the truck being scanned, the verdict shown and for how long, whether the
 * server can be reached, and every request the screen makes. Layout components only read it and call its actions.
 */
export function useGate(user: User, feed: GateFeed) {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const gates = useQuery({ queryKey: ['gates'], queryFn: api.gates });
  const [gateId, setGateId] = useState<number | null>(() => Number(localStorage.getItem(gateKey)) || null);
  const [feedState, setFeedState] = useState<FeedState>('offline');
  const [shown, setShown] = useState<ShownVerdict | null>(null);
  const [recent, setRecent] = useState<ShownVerdict[]>([]);
  const [notice, setNotice] = useState<Notice | null>(null);
  const [current, setCurrent] = useState<CurrentLot | null>(null);
  const [reviewLotId, setReviewLotId] = useState<string | null>(null);
  const [reachable, setReachable] = useState(true);
  const [unsent, setUnsent] = useState<StaffScan[]>([]);
  const [undoneScans, setUndoneScans] = useState<ReadonlySet<string>>(new Set());
  const [resetSeconds, setResetSecondsState] = useState(
    () => Number(localStorage.getItem(resetKey)) || defaultResetSeconds,
  );
  const codeField = useRef<HTMLInputElement>(null);
  const seenScans = useRef(new Set<string>());
  /** scans this screen is undoing or heard were undone: the live event of its own undo says nothing more */
  const undoneHere = useRef(new Set<string>());
  const names = useRef(new Map<string, string>());

  const lots = useQuery({
    queryKey: ['lots', 'recent'],
    queryFn: () => api.lots({ limit: 200 }),
    enabled: gateId !== null,
  });
  const todayLots: Lot[] = (lots.data?.ok ? lots.data.value : []).filter(
    (lot) => lot.gateId === gateId && isToday(lot.openedAt),
  );
  for (const lot of todayLots) names.current.set(lot.id, lotName(lot));
  const gateList = gates.data?.ok ? gates.data.value : [];
  const marketId = user.scope.kind === 'market' ? user.scope.marketId : gateList[0]?.marketId;

  /** The last scan judged for a lot at this gate and not undone: the one 撤销上一次扫码 undoes. */
  const lastScan = recent.find((v) => v.scanId && v.lotId && !undoneScans.has(v.scanId)) ?? null;

  const focusCode = useCallback(() => codeField.current?.focus(), []);
  const clearCode = useCallback(() => {
    if (codeField.current) codeField.current.value = '';
  }, []);

  /** Shows a verdict once: the POST answer and the live event of the same scan sound and list it once. */
  const show = useCallback((verdict: ShownVerdict) => {
    if (verdict.scanId) {
      if (seenScans.current.has(verdict.scanId)) return;
      seenScans.current.add(verdict.scanId);
    }
    setShown(verdict);
    setRecent((list) => [verdict, ...list].slice(0, 8));
    soundVerdict(verdict.outcome);
    if (verdict.outcome === 'review' && verdict.lotId) setReviewLotId(verdict.lotId);
  }, []);

  /** The server is out of reach: no colour stays up that the server did not just confirm. */
  const lose = useCallback(() => {
    setReachable(false);
    setShown(null);
    setNotice(null);
  }, []);

  const fail: Failure = useCallback(
    (error) =>
      error.code === 'NETWORK' ? lose() : setNotice({ tone: 'problem', text: problemOf(t, error) }),
    [lose, t],
  );

  /** A lot's verdict: the truck is done with unless it still has to show more (继续扫码). */
  const showLotAnswer = useCallback(
    (answer: ScanAnswer, name: string) => {
      show(
        verdictOfLot(answer.verdict, name, answer.receivedAt, { lotId: answer.lotId, scanId: answer.scanId }),
      );
      if (answer.verdict.outcome !== 'pending') {
        setCurrent((lot) => (lot?.id === answer.lotId ? null : lot));
      }
      void queries.invalidateQueries({ queryKey: ['lots'] });
    },
    [show, queries],
  );

  const sendScan = useCallback(
    async (scan: StaffScan, name: string) => {
      const judged = await submitStaffScan(api, scan);
      if (judged.ok) return showLotAnswer(judged.value, name);
      // Never lost: a scan the server did not receive is kept and sent again, same scanId, once it is back.
      if (judged.error.code === 'NETWORK') setUnsent((list) => [...list, scan]);
      fail(judged.error);
    },
    [api, showLotAnswer, fail],
  );

  const check = useCallback(
    async (raw: string, source: StaffScan['source'] = 'manual', keystrokeTimings: number[] = []) => {
      const code = raw.trim();
      // The field is emptied before anything else, so a failed code never prefixes the next scan.
      clearCode();
      focusCode();
      if (!code) return;
      setNotice(null);
      if (current && gateId !== null) {
        const scan = { scanId: crypto.randomUUID(), lotId: current.id, gateId, source, rawText: code };
        return sendScan({ ...scan, keystrokeTimings }, current.name);
      }
      const result = await api.verify(code);
      if (!result.ok) return fail(result.error);
      const checked = verdictOfVerification(result.value, new Date().toISOString());
      show({
        ...checked,
        subject: t('gate.checkOnlySubject', { product: checked.subject || code.slice(0, 24) }),
      });
    },
    [api, clearCode, current, fail, focusCode, gateId, sendScan, show, t],
  );

  const latestCheck = useRef(check);
  latestCheck.current = check;
  // Every wedge scan, wherever the focus is (數量, a button, nothing): the listener restores the field it typed into.
  useEffect(
    () =>
      listenForWedgeScans(window, (scan) => void latestCheck.current(scan.text, 'manual', scan.intervals)),
    [],
  );

  /** A scan undone on another screen of this gate: its verdict comes down and the lot is listed as it is now. */
  const reversedElsewhere = useCallback(
    (reversal: ScanReversal) => {
      if (undoneHere.current.has(reversal.scanId)) return;
      undoneHere.current.add(reversal.scanId);
      setUndoneScans((scans) => new Set(scans).add(reversal.scanId));
      setShown((verdict) => (verdict?.scanId === reversal.scanId ? null : verdict));
      setNotice({
        tone: 'info',
        text: t('gateUndo.undoneElsewhere', { name: names.current.get(reversal.lotId) ?? '' }),
      });
      void queries.invalidateQueries({ queryKey: ['lots'] });
    },
    [queries, t],
  );

  // Live verdicts from the gate room: named by the lot's plate and product, looked up when the screen has not seen it.
  useEffect(() => {
    if (gateId === null) return;
    return feed.watch(
      gateId,
      async (answer) => {
        const known = names.current.get(answer.lotId);
        if (known !== undefined) return showLotAnswer(answer, known);
        const lot = await api.lot(answer.lotId);
        const name = lot.ok ? lotName(lot.value) : '';
        if (lot.ok) names.current.set(answer.lotId, name);
        showLotAnswer(answer, name);
      },
      setFeedState,
      reversedElsewhere,
    );
  }, [api, feed, gateId, showLotAnswer, reversedElsewhere]);

  // The live edge dropped: ask the server once whether it is the network or only the socket.
  useEffect(() => {
    if (feedState !== 'offline' || gateId === null) return;
    void api.me().then((me) => !me.ok && me.error.code === 'NETWORK' && lose());
  }, [api, feedState, gateId, lose]);

  // While unreachable, ask again until the server answers; then send what it never received.
  useEffect(() => {
    if (reachable) return;
    const timer = setInterval(async () => {
      const me = await api.me();
      if (me.ok || me.error.code !== 'NETWORK') setReachable(true);
    }, probeMs);
    return () => clearInterval(timer);
  }, [api, reachable]);

  useEffect(() => {
    if (!reachable || unsent.length === 0) return;
    const waiting = unsent;
    setUnsent([]);
    for (const scan of waiting) void sendScan(scan, names.current.get(scan.lotId) ?? '');
  }, [reachable, unsent, sendScan]);

  // A verdict is about the truck in front of the gate now: after a while the screen waits for the next one.
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setShown(null), resetSeconds * 1000);
    return () => clearTimeout(timer);
  }, [shown, resetSeconds]);

  const chooseGate = (id: number) => {
    localStorage.setItem(gateKey, String(id));
    setGateId(id);
    setCurrent(null);
    focusCode();
  };

  const setResetSeconds = (seconds: number) => {
    if (!(seconds >= 1)) return;
    localStorage.setItem(resetKey, String(seconds));
    setResetSecondsState(seconds);
  };

  /** Registers the next truck. True when it was registered, so its form starts empty for the one after. */
  const register = async (input: Omit<LotInput, 'marketId' | 'gateId'>): Promise<boolean> => {
    const lot: LotInput = {
      ...input,
      ...(marketId ? { marketId } : {}),
      ...(gateId ? { gateId } : {}),
    };
    const result = await api.createLot(lot);
    focusCode();
    if (!result.ok) {
      fail(result.error);
      return false;
    }
    const { verdict, lot: created } = result.value;
    const name = lotName(created);
    names.current.set(created.id, name);
    void queries.invalidateQueries({ queryKey: ['lots'] });
    setReviewLotId(null);
    if (!verdict) {
      setCurrent({ id: created.id, name });
      setShown(null);
      setNotice({ tone: 'info', text: t('gate.lotOpen', { name }) });
      return true;
    }
    setCurrent(null);
    setNotice(null);
    show(verdictOfLot(verdict, name, created.judgedAt ?? created.openedAt, { lotId: created.id }));
    return true;
  };

  /** The truck has shown everything: the server judges the lot as closed (a short lot becomes a violation now). */
  const closeCurrent = async () => {
    if (!current) return;
    const closed = await api.closeLot(current.id);
    focusCode();
    if (!closed.ok) return fail(closed.error);
    setCurrent(null);
    show(verdictOfLot(closed.value.verdict, current.name, new Date().toISOString(), { lotId: current.id }));
    void queries.invalidateQueries({ queryKey: ['lots'] });
  };

  const review = async (lotId: string, body: LotReviewInput) => {
    const decided = await api.reviewLot(lotId, body);
    focusCode();
    if (!decided.ok) return fail(decided.error);
    setReviewLotId(null);
    setShown(null);
    const name = names.current.get(lotId) ?? '';
    setNotice({
      tone: 'info',
      text: t(body.decision === 'clear' ? 'gate.cleared' : 'gate.held', { name }),
    });
    void queries.invalidateQueries({ queryKey: ['lots'] });
  };

  const addDocuments = async (lotId: string, body: LotDocumentsInput): Promise<boolean> => {
    const added = await api.addLotDocuments(lotId, body);
    focusCode();
    if (!added.ok) {
      fail(added.error);
      return false;
    }
    setNotice({ tone: 'info', text: t('gate.documentsAdded', { name: lotName(added.value) }) });
    void queries.invalidateQueries({ queryKey: ['lots'] });
    return true;
  };

  /**
   * Undoes the last scan (docs/custody.md): the server records the reversal, gives the ledger back what the lot no
   * longer claims and judges the lot again. A lot open again becomes the truck being scanned, for the right code.
   */
  const undoLastScan = async (reason: ScanReversalReason) => {
    const scanId = lastScan?.scanId;
    if (!scanId) return;
    // before the request: the server's live event of this undo may arrive before its answer
    undoneHere.current.add(scanId);
    const undone = await api.reverseScan(scanId, { reason });
    focusCode();
    if (!undone.ok) {
      undoneHere.current.delete(scanId);
      return fail(undone.error);
    }
    const { lotId, verdict, lotStatus } = undone.value;
    const name = names.current.get(lotId) ?? lastScan.subject;
    setUndoneScans((scans) => new Set(scans).add(scanId));
    setShown(null);
    const coverage = verdict?.outcome === 'pending' ? verdict.coverage : undefined;
    setNotice({
      tone: 'info',
      text: coverage
        ? t('gateUndo.undoneCoverage', { name, ...coverage, unit: t(`unit.${coverage.unit}`) })
        : t('gateUndo.undone', { name }),
    });
    if (lotStatus === 'open') setCurrent({ id: lotId, name });
    void queries.invalidateQueries({ queryKey: ['lots'] });
  };

  /** Picks a truck from today's list again: its next scans count for it. */
  const resume = (lot: Lot) => {
    setCurrent({ id: lot.id, name: lotName(lot) });
    setShown(null);
    setNotice(null);
    focusCode();
  };

  return {
    gateList,
    gateId,
    chooseGate,
    feedState,
    reachable,
    unsentCount: unsent.length,
    shown,
    recent,
    undoneScans,
    lastScan,
    undoLastScan,
    notice,
    current,
    reviewLotId,
    setReviewLotId,
    todayLots,
    resetSeconds,
    setResetSeconds,
    codeField,
    focusCode,
    check,
    register,
    closeCurrent,
    review,
    addDocuments,
    resume,
  };
}
export type GateState = ReturnType<typeof useGate>;
