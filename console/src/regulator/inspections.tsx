import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InspectionDraw, InspectionTask } from '../api/api.ts';
import { useApi } from '../api/api-context.tsx';
import { problemText } from '../api/api-problem.ts';
import { marketTime } from '../time/market-time.ts';

/**
 * 双随机: draw inspectors and targets over the province with a seed anyone can re-run, then the caller's own tasks
 * with what they found. A non-compliant finding on a lot there opens a violation.
 */
export function InspectionsView() {
  const { t } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const [count, setCount] = useState(2);
  const [seed, setSeed] = useState('');
  const [weightByCredit, setWeightByCredit] = useState(false);
  const [draw, setDraw] = useState<InspectionDraw | null>(null);
  const [replay, setReplay] = useState<boolean | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  async function runDraw() {
    const result = await api.drawInspection({
      count,
      weightByCredit,
      ...(seed.trim() ? { seed: seed.trim() } : {}),
    });
    if (!result.ok) return setProblem(problemText(t, result.error));
    setProblem(null);
    setReplay(null);
    setDraw(result.value);
    await queries.invalidateQueries({ queryKey: ['inspection-tasks'] });
  }

  async function checkReplay(id: string) {
    const result = await api.replayDraw(id);
    if (result.ok) setReplay(result.value.same);
  }

  return (
    <div className="inspections">
      <section className="card draw">
        <h2>{t('inspection.draw')}</h2>
        <label>
          {t('inspection.count')}
          <input
            type="number"
            min={1}
            max={500}
            value={count}
            onChange={(e) => setCount(Number(e.target.value))}
          />
        </label>
        <label>
          {t('inspection.seed')}
          <input name="seed" value={seed} onChange={(e) => setSeed(e.target.value)} maxLength={100} />
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={weightByCredit}
            onChange={(e) => setWeightByCredit(e.target.checked)}
          />
          {t('inspection.weightByCredit')}
        </label>
        <button type="button" className="big" onClick={runDraw}>
          {t('inspection.run')}
        </button>
        {problem && (
          <p className="problem" role="alert">
            {problem}
          </p>
        )}
        {draw && (
          <div className="drawn" data-draw-id={draw.id}>
            <p className="hint">
              {t('inspection.seedWas')} <code>{draw.seed}</code> · {t('inspection.pools')}{' '}
              {draw.inspectorPool.length} · {t('inspection.targets')} {draw.targetPool.length}
            </p>
            <TaskTable tasks={draw.tasks} />
            <button type="button" onClick={() => checkReplay(draw.id)}>
              {t('inspection.replay')}
            </button>
            {replay !== null && (
              <p role="status" className={replay ? 'ok' : 'problem'}>
                {replay ? t('inspection.replaySame') : t('inspection.replayDiffers')}
              </p>
            )}
          </div>
        )}
      </section>
      <MyTasks />
    </div>
  );
}

function TaskTable({ tasks }: { tasks: InspectionTask[] }) {
  const { t } = useTranslation();
  return (
    <table className="tasks">
      <thead>
        <tr>
          <th>{t('inspection.inspector')}</th>
          <th>{t('regulator.market')}</th>
          <th>{t('inspection.region')}</th>
          <th>{t('regulator.status')}</th>
        </tr>
      </thead>
      <tbody>
        {tasks.map((task) => (
          <tr key={task.id}>
            <td>{task.inspectorName}</td>
            <td>{[task.marketName, task.stallNumber].filter(Boolean).join(' · ')}</td>
            <td>{task.regionCode}</td>
            <td>{task.status === 'done' ? t('inspection.done') : t('inspection.assigned')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function MyTasks() {
  const { t } = useTranslation();
  const api = useApi();
  const tasks = useQuery({
    queryKey: ['inspection-tasks', 'mine'],
    queryFn: () => api.inspectionTasks({ mine: 'true' }),
  });
  const mine = tasks.data?.ok ? tasks.data.value : [];
  return (
    <section className="card my-tasks">
      <h2>{t('inspection.myTasks')}</h2>
      {mine.length === 0 && <p>{t('inspection.none')}</p>}
      {mine.map((task) => (
        <TaskCard key={task.id} task={task} />
      ))}
    </section>
  );
}

function TaskCard({ task }: { task: InspectionTask }) {
  const { t, i18n } = useTranslation();
  const api = useApi();
  const queries = useQueryClient();
  const [note, setNote] = useState('');
  const [lotId, setLotId] = useState('');
  const [compliant, setCompliant] = useState(true);
  const [problem, setProblem] = useState<string | null>(null);

  async function record(done: boolean) {
    const openViolation = !compliant && lotId.trim() !== '';
    const result = await api.recordFinding(task.id, {
      compliant,
      note,
      ...(lotId.trim() ? { lotId: lotId.trim() } : {}),
      openViolation,
      done,
    });
    if (!result.ok) return setProblem(problemText(t, result.error));
    setProblem(null);
    setNote('');
    await queries.invalidateQueries({ queryKey: ['inspection-tasks'] });
  }

  return (
    <article className="task" data-status={task.status} data-draw-id={task.drawId}>
      <h3>
        {[task.marketName, task.stallNumber].filter(Boolean).join(' · ')} ·{' '}
        {task.status === 'done' ? t('inspection.done') : t('inspection.assigned')}
      </h3>
      <ol className="findings">
        {task.findings.map((f) => (
          <li key={f.id}>
            {marketTime(f.at, i18n.language)} ·{' '}
            {f.compliant ? t('inspection.compliant') : t('inspection.nonCompliant')} · {f.note}
            {f.violationId && ` · ${t('inspection.violationOpened')}`}
          </li>
        ))}
      </ol>
      {task.status !== 'done' && (
        <>
          <label className="check">
            <input type="checkbox" checked={!compliant} onChange={(e) => setCompliant(!e.target.checked)} />
            {t('inspection.nonCompliant')}
          </label>
          <label>
            {t('inspection.note')}
            <textarea value={note} onChange={(e) => setNote(e.target.value)} maxLength={1000} />
          </label>
          <label>
            {t('inspection.lot')}
            <input name="lotId" value={lotId} onChange={(e) => setLotId(e.target.value)} />
          </label>
          <div className="actions">
            <button type="button" disabled={!note.trim()} onClick={() => record(false)}>
              {t('inspection.record')}
            </button>
            <button type="button" className="big" disabled={!note.trim()} onClick={() => record(true)}>
              {t('inspection.recordAndClose')}
            </button>
          </div>
        </>
      )}
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
    </article>
  );
}
