import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useRegistryList } from './admin-form.tsx';
import { EnrollmentCodeForm } from './devices-section.tsx';
import { GateForm, GatesList } from './gates-section.tsx';
import { MarketForm } from './markets-section.tsx';
import { RegionForm } from './regions-section.tsx';
import {
  marketEnrolled,
  placeFromUrl,
  placeToUrl,
  type SetupFacts,
  type SetupPlace,
  type SetupStep,
  setupSteps as steps,
  whereSetupStands,
} from './setup-progress.ts';
import { StallForm, StallsList } from './stalls-section.tsx';

type Step = SetupStep;

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
 * What the server holds for the wizard to resume from, once every list has answered (a list the caller may not
 * read counts as empty).
 */
function useSetupFacts(): SetupFacts | null {
  const lists = {
    regions: useRegistryList('regions'),
    markets: useRegistryList('markets'),
    gates: useRegistryList('gates'),
    stalls: useRegistryList('stalls'),
    enrollmentCodes: useRegistryList('enrollmentCodes'),
    devices: useRegistryList('devices'),
  };
  if (Object.values(lists).some((list) => list.isPending)) return null;
  return {
    // a deactivated region takes no new market: the wizard neither resumes in one nor offers it
    regions: (lists.regions.data ?? []).filter((region) => region.active),
    markets: lists.markets.data ?? [],
    gates: lists.gates.data ?? [],
    stalls: lists.stalls.data ?? [],
    enrollmentCodes: lists.enrollmentCodes.data ?? [],
    devices: lists.devices.data ?? [],
  };
}

/**
 * The first run on a database without markets: region → market → gates → stalls → a gate device's enrolment code.
 * Each step is the section's own form, bound to what the step before made. The step is kept in the URL; without
 * one (a new tab, a second admin) the wizard opens at the first step the server's data has not done yet.
 */
export function SetupWizard() {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchParams();
  const facts = useSetupFacts();
  const kept = placeFromUrl(search);
  const place: SetupPlace | null = kept ?? (facts && whereSetupStands(facts));
  if (place === null)
    return (
      <section className="admin-section wizard" aria-label={t('admin.setup.title')}>
        <h1>{t('admin.setup.title')}</h1>
        <p className="hint">{t('admin.loading')}</p>
      </section>
    );
  return <WizardAt place={place} facts={facts} go={(to) => setSearch(placeToUrl(to))} />;
}

function WizardAt({
  place,
  facts,
  go,
}: {
  place: SetupPlace;
  facts: SetupFacts | null;
  go: (to: SetupPlace) => void;
}) {
  const { t } = useTranslation();
  const { step, regionCode, marketId } = place;
  const regions = useRegistryList('regions');
  const markets = useRegistryList('markets');
  const gates = useRegistryList('gates');
  const stalls = useRegistryList('stalls');
  const marketGates = gates.data?.filter((g) => g.marketId === marketId && g.active) ?? [];
  const marketStalls = stalls.data?.filter((s) => s.marketId === marketId && s.active) ?? [];
  const enrolled = facts !== null && marketEnrolled(facts, marketId);
  const setStep = (to: Step) => go({ ...place, step: to });
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
          <RegionForm onDone={(region) => go({ step: 'market', regionCode: region.code })} />
          <ExistingChoice
            title={t('admin.setup.useRegion')}
            label={t('admin.field.regionCode')}
            options={(regions.data ?? [])
              .filter((r) => r.active)
              .map((r) => ({ value: r.code, text: `${r.code} ${r.name}` }))}
            onChoose={(code) => go({ step: 'market', regionCode: code })}
          />
        </>
      )}
      {step === 'market' && (
        <>
          <MarketForm
            regionCode={regionCode}
            onDone={(market) => go({ step: 'gates', regionCode: market.regionCode, marketId: market.id })}
          />
          <ExistingChoice
            title={t('admin.setup.useMarket')}
            label={t('admin.field.marketId')}
            options={(markets.data ?? [])
              .filter((m) => m.active)
              .map((m) => ({ value: String(m.id), text: m.name }))}
            onChoose={(id) => go({ step: 'gates', regionCode, marketId: Number(id) })}
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
          <EnrollmentCodeForm marketId={marketId} gateId={marketGates[0]?.id} />
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
