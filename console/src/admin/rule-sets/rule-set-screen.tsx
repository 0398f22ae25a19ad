import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../../api/api-context.tsx';
import { issuesOf, productsKey, type RuleSetVersion, ruleSetsKey } from '../catalogue-api.ts';
import {
  ConfirmAction,
  marketTime,
  refusalSentence,
  useWriteOutcome,
  WideTable,
  WriteOutcome,
} from '../catalogue-parts.tsx';

/** One error in a rule set: where (a JSON pointer), what (the validator's code) and in which rule. */
interface RuleSetProblem {
  path: string;
  code: string;
  ruleId?: string;
}

/** A refused publish names each error as `CODE` or `CODE (rule ID)`, as the validate route's errors do. */
function problemOfIssue(issue: { path: string; message: string }): RuleSetProblem {
  const named = /^(\w+)(?: \(rule (.+)\))?$/.exec(issue.message);
  return named
    ? { path: issue.path, code: named[1]!, ...(named[2] ? { ruleId: named[2] } : {}) }
    : { path: issue.path, code: issue.message };
}

/**
 * 规则集: the versions published (the one in force marked), a JSON editor with 校验 and 发布, and roll back to a
 * stored version. A refused rule set is said with each error and its path; nothing changes behind it.
 */
export function RuleSetScreen() {
  const { t } = useTranslation();
  const api = useApi();
  const versions = useQuery({ queryKey: [...ruleSetsKey, 'versions'], queryFn: () => api.ruleSets() });
  const active = useQuery({ queryKey: [...ruleSetsKey, 'active'], queryFn: () => api.activeRuleSet() });
  const [loaded, setLoaded] = useState<{ version: string; text: string } | null>(null);
  const inForce = active.data?.ok ? active.data.value : null;
  const rows = versions.data?.ok ? versions.data.value : [];
  return (
    <div className="catalogue rule-sets">
      <h1>{t('catalogue.ruleSets.title')}</h1>
      <p className="hint">{t('catalogue.ruleSets.hint')}</p>
      {active.data && !active.data.ok && (
        <p className="problem" role="alert">
          {active.data.error.message} ({active.data.error.code})
        </p>
      )}
      {inForce && (
        <p className="in-force" data-testid="rule-set-in-force">
          {inForce.source === 'default'
            ? t('catalogue.ruleSets.defaultInForce')
            : t('catalogue.ruleSets.storedInForce', { version: inForce.ruleSet.version })}
        </p>
      )}
      <VersionList versions={rows} onLoad={(version, text) => setLoaded({ version, text })} />
      {inForce && (
        <RuleSetEditor
          key={loaded?.version ?? 'in-force'}
          initial={loaded?.text ?? JSON.stringify(inForce.ruleSet, null, 2)}
          inForceVersion={inForce.ruleSet.version}
        />
      )}
    </div>
  );
}

function useRefreshRuleSets() {
  const queries = useQueryClient();
  return async () => {
    await queries.invalidateQueries({ queryKey: ruleSetsKey });
    // The catalogue's second documents follow the rule set in force.
    await queries.invalidateQueries({ queryKey: productsKey });
  };
}

function VersionList({
  versions,
  onLoad,
}: {
  versions: RuleSetVersion[];
  onLoad: (version: string, text: string) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const refresh = useRefreshRuleSets();
  const outcome = useWriteOutcome();
  async function load(version: string) {
    const body = await outcome.settle(api.ruleSet(version), () => '');
    if (body) {
      outcome.clear();
      onLoad(version, JSON.stringify(body, null, 2));
    }
  }
  return (
    <section aria-label={t('catalogue.ruleSets.versions')}>
      <h2>{t('catalogue.ruleSets.versions')}</h2>
      {versions.length === 0 && <p className="empty">{t('catalogue.ruleSets.none')}</p>}
      {versions.length > 0 && (
        <WideTable label={t('catalogue.ruleSets.versions')}>
          <thead>
            <tr>
              <th>{t('catalogue.ruleSets.version')}</th>
              <th>{t('catalogue.ruleSets.createdAt')}</th>
              <th>{t('catalogue.ruleSets.inForce')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {versions.map((row) => (
              <tr key={row.version} data-version={row.version} className={row.active ? 'chosen' : undefined}>
                <td>{row.version}</td>
                <td>{marketTime(row.createdAt)}</td>
                <td className={row.active ? 'marker-active' : undefined}>
                  {row.active ? `✔ ${t('catalogue.ruleSets.inForce')}` : ''}
                </td>
                <td>
                  <div className="actions">
                    <button
                      type="button"
                      aria-label={`${t('catalogue.ruleSets.load')} ${row.version}`}
                      onClick={() => load(row.version)}
                    >
                      {t('catalogue.ruleSets.load')}
                    </button>
                    {!row.active && (
                      <ConfirmAction
                        label={t('catalogue.ruleSets.rollback')}
                        name={`${t('catalogue.ruleSets.rollback')} ${row.version}`}
                        question={t('catalogue.ruleSets.confirmRollback', { version: row.version })}
                        onConfirm={async () => {
                          if (
                            await outcome.settle(api.activateRuleSet(row.version), (v) =>
                              t('catalogue.ruleSets.rolledBack', { version: v.version }),
                            )
                          )
                            await refresh();
                        }}
                      />
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </WideTable>
      )}
      <WriteOutcome outcome={outcome} />
    </section>
  );
}

/** What the last 校验 or 发布 came to. */
type Check =
  | { kind: 'none' }
  | { kind: 'not-json'; message: string }
  | { kind: 'valid' }
  | { kind: 'invalid'; problems: RuleSetProblem[] }
  | { kind: 'published'; version: string }
  | { kind: 'refused'; message: string; code: string; problems: RuleSetProblem[] };

function parsedJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function RuleSetEditor({ initial, inForceVersion }: { initial: string; inForceVersion: string }) {
  const { t } = useTranslation();
  const api = useApi();
  const refresh = useRefreshRuleSets();
  const outcome = useWriteOutcome();
  const [text, setText] = useState(initial);
  const [check, setCheck] = useState<Check>({ kind: 'none' });

  async function validate() {
    outcome.clear();
    const json = parsedJson(text);
    if (!json.ok) return setCheck({ kind: 'not-json', message: json.message });
    const answer = await outcome.settle(api.validateRuleSet(json.value), () => '');
    if (!answer) return setCheck({ kind: 'none' });
    outcome.clear();
    setCheck(answer.ok ? { kind: 'valid' } : { kind: 'invalid', problems: answer.errors });
  }

  async function publish() {
    outcome.clear();
    const json = parsedJson(text);
    if (!json.ok) return setCheck({ kind: 'not-json', message: json.message });
    const answer = await api.publishRuleSet(json.value);
    if (answer.ok) {
      setCheck({ kind: 'published', version: answer.value.version });
      await refresh();
      return;
    }
    const issues = issuesOf(answer.error);
    if (answer.error.code === 'NETWORK') {
      setCheck({ kind: 'none' });
      await outcome.settle(Promise.resolve(answer), () => '');
      return;
    }
    setCheck({
      kind: 'refused',
      message: refusalSentence(t, answer.error),
      code: answer.error.code,
      problems: issues.map(problemOfIssue),
    });
  }

  return (
    <form
      className="card rule-set-editor"
      aria-label={t('catalogue.ruleSets.editor')}
      onSubmit={(event) => {
        event.preventDefault();
        void publish();
      }}
    >
      <label className="wide">
        {t('catalogue.ruleSets.editor')}
        <textarea
          name="ruleSet"
          className="rule-set-json"
          spellCheck={false}
          value={text}
          onChange={(event) => {
            setText(event.currentTarget.value);
            setCheck({ kind: 'none' });
          }}
        />
      </label>
      <div className="actions">
        <button type="button" onClick={() => void validate()}>
          {t('catalogue.ruleSets.validate')}
        </button>
        <button type="submit" className="chosen">
          {t('catalogue.ruleSets.publish')}
        </button>
      </div>
      {/* A publish is reported while its version is in force; a roll back since then makes it old news. */}
      <CheckResult
        check={check.kind === 'published' && check.version !== inForceVersion ? { kind: 'none' } : check}
      />
      <WriteOutcome outcome={outcome} />
    </form>
  );
}

function CheckResult({ check }: { check: Check }) {
  const { t } = useTranslation();
  switch (check.kind) {
    case 'none':
      return null;
    case 'not-json':
      return (
        <p className="problem" role="alert">
          {t('catalogue.ruleSets.notJson', { message: check.message })}
        </p>
      );
    case 'valid':
      return <output className="done">{t('catalogue.ruleSets.valid')}</output>;
    case 'published':
      return (
        <output className="done">{t('catalogue.ruleSets.published', { version: check.version })}</output>
      );
    case 'invalid':
      return (
        <div role="alert" className="rule-set-problems">
          <p className="problem">{t('catalogue.ruleSets.invalid', { count: check.problems.length })}</p>
          <ProblemList problems={check.problems} />
        </div>
      );
    case 'refused':
      return (
        <div role="alert" className="rule-set-problems">
          <p className="problem">
            {t('catalogue.ruleSets.publishRefused', { message: check.message, code: check.code })}
          </p>
          <ProblemList problems={check.problems} />
        </div>
      );
  }
}

function ProblemList({ problems }: { problems: RuleSetProblem[] }) {
  const { t } = useTranslation();
  return (
    <ul className="errors">
      {problems.map((problem) => (
        <li key={`${problem.path}|${problem.code}|${problem.ruleId ?? ''}`}>
          <code>{problem.path}</code>：
          {t(`catalogue.ruleSets.codes.${problem.code}`, { defaultValue: problem.code })}
          {problem.ruleId ? `（${problem.ruleId}）` : ''} <small>{problem.code}</small>
        </li>
      ))}
    </ul>
  );
}
