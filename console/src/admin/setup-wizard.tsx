import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useRegistryList } from './admin-form.tsx';
import { EnrollmentCodeForm } from './devices-section.tsx';
import { GateForm, GatesList } from './gates-section.tsx';
import { MarketForm } from './markets-section.tsx';
import { RegionForm } from './regions-section.tsx';
import { StallForm, StallsList } from './stalls-section.tsx';

const steps = ['region', 'market', 'gates', 'stalls', 'device'] as const;
type Step = (typeof steps)[number];

/** The steps as a list that says where the admin is; the screen reader hears the current one. */
function Progress({ step }: { step: Step }) {
  const { t } = useTranslation();
  const at = steps.indexOf(step);
  return (
    <>
      <p className="hint" role="status">
        {t('admin.setup.progress', { step: at + 1, total: steps.length })}
      </p>
      <ol className="wizard-steps">
        {steps.map((s, i) => (
          <li key={s} className={i < at ? 'done' : undefined} aria-current={s === step ? 'step' : undefined}>
            {t(`admin.setup.steps.${s}`)}
          </li>
        ))}
      </ol>
    </>
  );
}

/**
 * A row already in the database to go on with instead of a new one: a known region for a second market, or the
 * market made before the page was reloaded.
 */
function ExistingChoice({
  title,
  label,
  options,
  onChoose,
}: {
  title: string;
  label: string;
  options: { value: string; text: string }[];
  onChoose: (value: string) => void;
}) {
  const { t } = useTranslation();
  if (!options.length) return null;
  return (
    <form
      className="card admin-form"
      aria-label={title}
      onSubmit={(event) => {
        event.preventDefault();
        onChoose(String(new FormData(event.currentTarget).get('existing')));
      }}
    >
      <h2>{title}</h2>
      <label>
        {label}
        <select aria-label={label} name="existing" required defaultValue="">
          <option value="">{t('admin.choose')}</option>
          {options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.text}
            </option>
          ))}
        </select>
      </label>
      <button type="submit">{t('admin.setup.next')}</button>
    </form>
  );
}

/**
 * The first run on a database without markets: region → market → gates → stalls → a gate device's enrolment code.
 * Each step is the section's own form, bound to what the step before made.
 */
export function SetupWizard() {
  const { t } = useTranslation();
  const [step, setStep] = useState<Step>('region');
  const [regionCode, setRegionCode] = useState<string>();
  const [marketId, setMarketId] = useState<number>();
  const [enrolled, setEnrolled] = useState(false);
  const regions = useRegistryList('regions');
  const markets = useRegistryList('markets');
  const gates = useRegistryList('gates');
  const stalls = useRegistryList('stalls');
  const marketGates = gates.data?.filter((g) => g.marketId === marketId && g.active) ?? [];
  const marketStalls = stalls.data?.filter((s) => s.marketId === marketId && s.active) ?? [];
  const back = (to: Step) => (
    <button type="button" className="secondary" onClick={() => setStep(to)}>
      {t('admin.setup.back')}
    </button>
  );
  const next = (to: Step, ready: boolean) => (
    <button type="button" className="primary" disabled={!ready} onClick={() => setStep(to)}>
      {t('admin.setup.next')}
    </button>
  );

  return (
    <section className="admin-section wizard" aria-label={t('admin.setup.title')}>
      <h1>{t('admin.setup.title')}</h1>
      <p>{t('admin.setup.intro')}</p>
      <Progress step={step} />
      {step === 'region' && (
        <>
          <RegionForm
            onDone={(region) => {
              setRegionCode(region.code);
              setStep('market');
            }}
          />
          <ExistingChoice
            title={t('admin.setup.useRegion')}
            label={t('admin.field.regionCode')}
            options={(regions.data ?? []).map((r) => ({ value: r.code, text: `${r.code} ${r.name}` }))}
            onChoose={(code) => {
              setRegionCode(code);
              setStep('market');
            }}
          />
        </>
      )}
      {step === 'market' && (
        <>
          <MarketForm
            regionCode={regionCode}
            onDone={(market) => {
              setMarketId(market.id);
              setStep('gates');
            }}
          />
          <ExistingChoice
            title={t('admin.setup.useMarket')}
            label={t('admin.field.marketId')}
            options={(markets.data ?? [])
              .filter((m) => m.active)
              .map((m) => ({ value: String(m.id), text: m.name }))}
            onChoose={(id) => {
              setMarketId(Number(id));
              setStep('gates');
            }}
          />
          <div className="wizard-moves">{back('region')}</div>
        </>
      )}
      {step === 'gates' && (
        <>
          <GateForm marketId={marketId} />
          <GatesList marketId={marketId} />
          <p className="hint">{t('admin.setup.addAnother')}</p>
          <div className="wizard-moves">
            {back('market')}
            {next('stalls', marketGates.length > 0)}
          </div>
        </>
      )}
      {step === 'stalls' && (
        <>
          <StallForm marketId={marketId} />
          <StallsList marketId={marketId} />
          <p className="hint">{t('admin.setup.addAnother')}</p>
          <div className="wizard-moves">
            {back('gates')}
            {next('device', marketStalls.length > 0)}
          </div>
        </>
      )}
      {step === 'device' && (
        <>
          <EnrollmentCodeForm
            marketId={marketId}
            gateId={marketGates[0]?.id}
            onDone={() => setEnrolled(true)}
          />
          <div className="wizard-moves">
            {back('stalls')}
            {enrolled && (
              <Link className="button primary" to="/admin/devices">
                {t('admin.setup.done')}
              </Link>
            )}
          </div>
          {enrolled && (
            <p className="saved" role="status">
              {t('admin.setup.finished')}
            </p>
          )}
        </>
      )}
    </section>
  );
}
