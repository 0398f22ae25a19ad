import { categories } from '@liangzheng/domain/category/category';
import { units } from '@liangzheng/domain/unit/unit';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Api, ApiResult, LotInput, ScanAnswer, StaffScan, User } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { CameraScan } from '../scan/camera-scan.tsx';
import type { ShownVerdict } from '../verdict/verdict.ts';
import { verdictOfLot, verdictOfVerification } from '../verdict/verdict.ts';
import { VerdictPanel } from '../verdict/verdict-panel.tsx';
import { soundVerdict } from '../verdict/verdict-sound.ts';
import type { FeedState, GateFeed } from './gate-feed.ts';

const gateKey = 'lz.gate';
/** Stored with a lot registered as "no certificate" before anyone typed a product: the record stays in Chinese. */
const undeclaredProduct = '未申报';

/**
 * The gate: the latest verdict fills the top half; code entry and lot registration sit below, always in the
 * page (no dialogs steal the scanner's focus). Verdicts arrive live from the gate room or from this screen.
 */
export function GateScreen({ user, feed }: { user: User; feed: GateFeed }) {
  const { t } = useTranslation();
  const api = useApi();
  const gates = useQuery({ queryKey: ['gates'], queryFn: api.gates });
  const [gateId, setGateId] = useState<number | null>(() => Number(localStorage.getItem(gateKey)) || null);
  const [state, setState] = useState<FeedState>('offline');
  const [shown, setShown] = useState<ShownVerdict | null>(null);
  const [recent, setRecent] = useState<ShownVerdict[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  const [lotId, setLotId] = useState<string | null>(null);
  const openLots = useQuery({
    queryKey: ['lots', 'open'],
    queryFn: () => api.lots({ status: 'open', limit: 50 }),
  });

  const show = useCallback((verdict: ShownVerdict) => {
    setShown(verdict);
    setRecent((list) => [verdict, ...list].slice(0, 8));
    soundVerdict(verdict.outcome);
  }, []);

  const codeProblem = useCallback(
    (code: string) => setProblem(code === 'NETWORK' ? t('error.network') : t('error.generic', { code })),
    [t],
  );

  useEffect(() => {
    if (gateId === null) return;
    return feed.watch(
      gateId,
      (answer) => show(verdictOfLot(answer.verdict, answer.lotId.slice(0, 8), answer.receivedAt)),
      setState,
    );
  }, [feed, gateId, show]);

  const gateList = gates.data?.ok ? gates.data.value : [];
  const marketId = user.scope.kind === 'market' ? user.scope.marketId : gateList[0]?.marketId;

  return (
    <div className="gate">
      <header className="gate-bar">
        <fieldset className="gate-choice" aria-label={t('gate.chooseGate')}>
          {gateList.map((gate) => (
            <button
              type="button"
              key={gate.id}
              aria-pressed={gate.id === gateId}
              className={gate.id === gateId ? 'chosen' : ''}
              onClick={() => {
                localStorage.setItem(gateKey, String(gate.id));
                setGateId(gate.id);
              }}
            >
              {gate.name}
            </button>
          ))}
        </fieldset>
        <span className={`feed feed-${state}`}>{state === 'live' ? t('gate.live') : t('gate.offline')}</span>
      </header>
      <VerdictPanel verdict={shown} />
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <LotChoice lots={openLots.data?.ok ? openLots.data.value : []} lotId={lotId} onChoose={setLotId} />
      <CodeEntry gateId={gateId} lotId={lotId} onVerdict={show} onProblem={codeProblem} />
      {lotId !== null && (
        <CloseLot
          lotId={lotId}
          onVerdict={show}
          onProblem={codeProblem}
          onClosed={() => {
            setLotId(null);
            void openLots.refetch();
          }}
        />
      )}
      <LotRegistration
        marketId={marketId}
        gateId={gateId}
        onVerdict={show}
        onProblem={(code) => setProblem(t('error.generic', { code }))}
        onOpen={(id) => {
          setProblem(t('gate.lotOpen'));
          setLotId(id);
          void openLots.refetch();
        }}
      />
      <section>
        <h2>{t('gate.recent')}</h2>
        <ol className="recent">
          {recent.map((v) => (
            <li key={`${v.at}-${v.subject}`} className={`recent-${v.outcome}`}>
              {new Date(v.at).toLocaleTimeString()} · {t(`outcome.${v.outcome}`)} · {v.subject}
              {v.reason && ` · ${t(`reason.${v.reason}`)}`}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}

/**
 * The truck has shown everything it will: the server judges the lot as closed, so a lot still short of its declared
 * quantity becomes a violation now rather than at the sweep, and the gate is free for the next truck.
 */
function CloseLot(props: {
  lotId: string;
  onVerdict: (v: ShownVerdict) => void;
  onProblem: (code: string) => void;
  onClosed: () => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const [busy, setBusy] = useState(false);
  return (
    <button
      type="button"
      className="close-lot"
      disabled={busy}
      onClick={async () => {
        setBusy(true);
        const closed = await api.closeLot(props.lotId);
        setBusy(false);
        if (!closed.ok) return props.onProblem(closed.error.code);
        props.onVerdict(
          verdictOfLot(closed.value.verdict, props.lotId.slice(0, 8), new Date().toISOString()),
        );
        props.onClosed();
      }}
    >
      {t('gate.closeLot')}
    </button>
  );
}

/** Which open lot a typed code is judged against; none: the code is only checked, as the public would. */
function LotChoice(props: {
  lots: { id: string; plate: string; productName: string }[];
  lotId: string | null;
  onChoose: (id: string | null) => void;
}) {
  const { t } = useTranslation();
  const known = props.lotId === null || props.lots.some((lot) => lot.id === props.lotId);
  return (
    <label className="wide">
      {t('gate.lot')}
      <select value={props.lotId ?? ''} onChange={(event) => props.onChoose(event.target.value || null)}>
        <option value="">{t('gate.checkOnly')}</option>
        {!known && <option value={props.lotId ?? ''}>{props.lotId}</option>}
        {props.lots.map((lot) => (
          <option key={lot.id} value={lot.id}>
            {[lot.plate, lot.productName, lot.id.slice(0, 8)].filter(Boolean).join(' · ')}
          </option>
        ))}
      </select>
    </label>
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

function CodeEntry(props: {
  gateId: number | null;
  lotId: string | null;
  onVerdict: (v: ShownVerdict) => void;
  onProblem: (code: string) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const input = useRef<HTMLInputElement>(null);
  const { gateId, lotId, onVerdict, onProblem } = props;

  const check = useCallback(
    async (code: string, source: StaffScan['source'] = 'manual') => {
      if (!code) return;
      if (lotId !== null && gateId !== null) {
        const scan = { scanId: crypto.randomUUID(), lotId, gateId, source, rawText: code };
        const judged = await submitStaffScan(api, scan);
        if (!judged.ok) return onProblem(judged.error.code);
        const { verdict, receivedAt } = judged.value;
        onVerdict(verdictOfLot(verdict, lotId.slice(0, 8), receivedAt));
      } else {
        const result = await api.verify(code);
        if (!result.ok) return onProblem(result.error.code);
        onVerdict(verdictOfVerification(result.value, new Date().toISOString()));
      }
      if (input.current) {
        input.current.value = '';
        input.current.focus();
      }
    },
    [api, gateId, lotId, onVerdict, onProblem],
  );

  return (
    <form
      className="code-entry"
      onSubmit={(event) => {
        event.preventDefault();
        void check(input.current?.value.trim() ?? '');
      }}
    >
      <label className="wide">
        {t('gate.code')}
        <input ref={input} name="code" placeholder={t('gate.codePlaceholder')} autoComplete="off" />
      </label>
      <button type="submit" className="big">
        {t('gate.check')}
      </button>
      <CameraScan onCode={(code) => check(code, 'camera')} />
    </form>
  );
}

function LotRegistration(props: {
  marketId: number | undefined;
  gateId: number | null;
  onVerdict: (v: ShownVerdict) => void;
  onProblem: (code: string) => void;
  onOpen: (lotId: string) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const form = useRef<HTMLFormElement>(null);

  async function register(noCertificate: boolean) {
    const element = form.current;
    if (!element || (!noCertificate && !element.reportValidity())) return;
    const data = new FormData(element);
    const lot: LotInput = {
      ...(props.marketId ? { marketId: props.marketId } : {}),
      ...(props.gateId ? { gateId: props.gateId } : {}),
      plate: String(data.get('plate') ?? ''),
      supplier: String(data.get('supplier') ?? ''),
      declaration: {
        productName: String(data.get('productName') || undeclaredProduct),
        category: String(data.get('category')) as LotInput['declaration']['category'],
        quantity: Number(data.get('quantity')) || 1,
        unit: String(data.get('unit')),
      },
      noCertificate,
    };
    const result = await api.createLot(lot);
    if (!result.ok) return props.onProblem(result.error.code);
    const { verdict, lot: created } = result.value;
    if (!verdict) return props.onOpen(created.id);
    props.onVerdict(
      verdictOfLot(
        verdict,
        [created.plate, created.productName].filter(Boolean).join(' '),
        created.judgedAt ?? created.openedAt,
      ),
    );
    element.reset();
  }

  return (
    <form
      ref={form}
      className="lot-form"
      onSubmit={(event) => {
        event.preventDefault();
        void register(false);
      }}
    >
      <h2>{t('gate.register')}</h2>
      <label>
        {t('gate.plate')}
        <input name="plate" maxLength={16} autoComplete="off" />
      </label>
      <label>
        {t('gate.supplier')}
        <input name="supplier" maxLength={80} autoComplete="off" />
      </label>
      <label>
        {t('gate.product')}
        <input name="productName" maxLength={40} required />
      </label>
      <label>
        {t('gate.category')}
        <select name="category" defaultValue="vegetable">
          {categories.map((c) => (
            <option key={c} value={c}>
              {t(`category.${c}`)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('gate.quantity')}
        <input name="quantity" type="number" inputMode="decimal" min="0.001" step="any" required />
      </label>
      <label>
        {t('gate.unit')}
        <select name="unit" defaultValue="kg">
          {units.map((u) => (
            <option key={u} value={u}>
              {t(`unit.${u}`)}
            </option>
          ))}
        </select>
      </label>
      <div className="actions">
        <button type="submit" className="big">
          {t('gate.submitLot')}
        </button>
        <button type="button" className="big danger" onClick={() => void register(true)}>
          {t('gate.noCertificate')}
        </button>
      </div>
    </form>
  );
}
