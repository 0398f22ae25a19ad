import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError, StallReceiptAnswer, Transformation, TransformationInput } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { problemText } from '../api/api-problem.ts';
import { useUser } from '../session/session.tsx';

/** The items chosen as inputs, with the quantity typed for each. */
export interface ChosenInput {
  itemId: string;
  quantity: string;
}

/**
 * The stall screen's data and actions (docs/custody.md): the vendor's inventory, its repacks and resales, the
 * certificates it issued, the inputs chosen for the next transformation, and what the last one made.
 */
export function useStall() {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const user = useUser();
  const scope = user.data?.scope;
  const stallId = scope?.kind === 'stall' ? scope.stallId : undefined;
  const enabled = stallId !== undefined;
  const inventory = useQuery({
    queryKey: ['inventory', stallId],
    queryFn: () => api.inventory(stallId!),
    enabled,
  });
  const history = useQuery({
    queryKey: ['transformations', stallId],
    queryFn: () => api.transformations(stallId!),
    enabled,
  });
  const certificates = useQuery({
    queryKey: ['certificates'],
    queryFn: () => api.certificates({ limit: 100 }),
  });
  const [inputs, setInputs] = useState<ChosenInput[]>([]);
  const [made, setMade] = useState<Transformation | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  // One press, one transformation: a second tap while the first is in flight would draw twice.
  const [sending, setSending] = useState(false);
  const inFlight = useRef(false);

  const say = (error: ApiError) =>
    setProblem(t(`custody.error.${error.code}`, { defaultValue: '' }) || problemText(t, error));

  const refresh = () =>
    Promise.all(
      ['inventory', 'transformations', 'certificates'].map((key) =>
        queries.invalidateQueries({ queryKey: [key] }),
      ),
    );

  async function transform(request: TransformationInput): Promise<void> {
    if (inFlight.current || stallId === undefined) return;
    inFlight.current = true;
    setSending(true);
    try {
      const result = await api.transform(stallId, request);
      if (!result.ok) return say(result.error);
      setProblem(null);
      setMade(result.value);
      setInputs([]);
      await refresh();
    } finally {
      inFlight.current = false;
      setSending(false);
    }
  }

  /** Goods received at the stall without a gate: the code scanned here, judged and charged as at a gate. */
  async function receive(rawText: string, quantity: number | undefined): Promise<StallReceiptAnswer | null> {
    if (stallId === undefined) return null;
    const result = await api.receive(stallId, {
      scanId: crypto.randomUUID(),
      rawText,
      source: 'manual',
      ...(quantity ? { quantity } : {}),
    });
    if (!result.ok) {
      say(result.error);
      return null;
    }
    setProblem(null);
    await refresh();
    return result.value;
  }

  async function voidCertificate(id: string, reason: string): Promise<void> {
    const result = await api.voidCertificate(id, reason);
    if (!result.ok) return say(result.error);
    setProblem(null);
    await refresh();
  }

  return {
    stallId,
    loading: user.isLoading,
    inventory,
    history,
    certificates,
    inputs,
    pick: (itemId: string) =>
      setInputs((now) => (now.some((i) => i.itemId === itemId) ? now : [...now, { itemId, quantity: '' }])),
    setQuantity: (itemId: string, quantity: string) =>
      setInputs((now) => now.map((i) => (i.itemId === itemId ? { ...i, quantity } : i))),
    drop: (itemId: string) => setInputs((now) => now.filter((i) => i.itemId !== itemId)),
    made,
    problem,
    sending,
    transform,
    receive,
    voidCertificate,
  };
}
export type Stall = ReturnType<typeof useStall>;
