import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useApi } from '../api/api-context.tsx';
import { fieldsOf, Problem, useMarketNames, useRegistryList, useRegistryWrite } from './admin-form.tsx';
import type { DeviceView, EnrollmentCodeView, IssuedCode } from './registry-api.ts';
import { ConfirmedWrite, RegistryListCard } from './registry-list.tsx';

/** The line an installer runs at the gate PC; the server is the one this console came from. */
export const enrollCommand = (code: string, serverUrl: string) =>
  `gate-agent enroll ${code} --server ${serverUrl}`;

const shanghaiTime = (iso: string) =>
  new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false });

/** Gate names by id, with their market, to name a device's or a code's gate. */
function useGateNames(): (id: number) => string {
  const gates = useRegistryList('gates');
  const marketName = useMarketNames();
  return (id) => {
    const gate = gates.data?.find((g) => g.id === id);
    return gate ? `${marketName(gate.marketId)} ${gate.name}` : `#${id}`;
  };
}

/** A code just made: the QR the agent's camera reads, the typed code, and the command line. Shown once. */
export function IssuedCodeCard({ issued }: { issued: IssuedCode }) {
  const { t } = useTranslation();
  const gateName = useGateNames();
  return (
    <section className="card issued-code" aria-label={t('admin.device.issued')}>
      <h2>{t('admin.device.issued')}</h2>
      <p>{t('admin.device.issuedHint')}</p>
      <div className="issued-code-body">
        <img
          className="enrollment-qr"
          alt={t('admin.device.qr')}
          src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(issued.qrSvg)}`}
        />
        <dl>
          <dt>{t('admin.device.typed')}</dt>
          <dd className="enrollment-code" data-code={issued.code}>
            {issued.code}
          </dd>
          <dt>{t('admin.device.command')}</dt>
          <dd>
            <code className="enrollment-command">{enrollCommand(issued.code, window.location.origin)}</code>
          </dd>
          <dt>{t('admin.field.gateId')}</dt>
          <dd>
            {gateName(issued.gateId)} · {issued.name}
          </dd>
          <dd className="hint">{t('admin.device.expires', { time: shanghaiTime(issued.expiresAt) })}</dd>
        </dl>
      </div>
    </section>
  );
}

/** Makes a one-time enrolment code for a gate; `gateId` preselects one (the wizard's first gate). */
export function EnrollmentCodeForm({
  gateId,
  marketId,
  onDone,
}: {
  gateId?: number;
  marketId?: number;
  onDone?: (issued: IssuedCode) => void;
}) {
  const { t } = useTranslation();
  const api = useApi();
  const gates = useRegistryList('gates');
  const gateName = useGateNames();
  const [issued, setIssued] = useState<IssuedCode | null>(null);
  const write = useRegistryWrite(
    (body: { gateId: number; name: string; validMinutes: number }) => api.registry.createEnrollmentCode(body),
    (code) => {
      setIssued(code);
      onDone?.(code);
    },
  );
  const active =
    gates.data?.filter((g) => g.active && (marketId === undefined || g.marketId === marketId)) ?? [];
  const chosen = gateId ?? (active.length === 1 ? active[0]!.id : undefined);
  return (
    <>
      <form
        className="card admin-form"
        aria-label={t('admin.device.createCode')}
        onSubmit={(event) => {
          const field = fieldsOf(event);
          write.run({
            gateId: Number(field('gateId')),
            name: field('name'),
            validMinutes: Number(field('validMinutes')),
          });
        }}
      >
        <h2>{t('admin.device.createCode')}</h2>
        <label>
          {t('admin.field.gateId')}
          <select
            aria-label={t('admin.field.gateId')}
            name="gateId"
            required
            defaultValue={chosen ?? ''}
            key={`${chosen}-${active.length}`}
          >
            <option value="">{t('admin.choose')}</option>
            {active.map((gate) => (
              <option key={gate.id} value={gate.id}>
                {gateName(gate.id)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('admin.field.deviceName')}
          <input name="name" required maxLength={40} autoComplete="off" />
        </label>
        <label>
          {t('admin.field.validMinutes')}
          <input name="validMinutes" type="number" min={1} max={1440} defaultValue={30} required />
        </label>
        <Problem text={write.problem} />
        <button type="submit" className="primary" disabled={write.busy}>
          {t('admin.device.createCode')}
        </button>
      </form>
      {issued && <IssuedCodeCard issued={issued} />}
    </>
  );
}

function CodeItem({ code, gateName }: { code: EnrollmentCodeView; gateName: string }) {
  const { t } = useTranslation();
  const api = useApi();
  return (
    <li>
      <span className="admin-name">{code.name}</span>
      <span className="hint">
        {gateName} · {t(`admin.device.status.${code.status}`)} ·{' '}
        {t('admin.device.expires', { time: shanghaiTime(code.expiresAt) })}
      </span>
      <ConfirmedWrite
        write={() => api.registry.revokeEnrollmentCode(code.id)}
        label={t('admin.device.revoke')}
        confirm={t('admin.device.confirmRevoke')}
        shown={code.status === 'pending'}
      />
    </li>
  );
}

function DeviceItem({ device, gateName }: { device: DeviceView; gateName: string }) {
  const { t } = useTranslation();
  const api = useApi();
  return (
    <li className={device.revoked ? 'inactive' : undefined}>
      <span className="admin-name">{device.name}</span>
      <span className="hint">
        {gateName} ·{' '}
        {device.revoked
          ? t('admin.device.revoked')
          : device.lastSeenAt
            ? t('admin.device.lastSeen', { time: shanghaiTime(device.lastSeenAt) })
            : t('admin.device.neverSeen')}
      </span>
      <ConfirmedWrite
        write={() => api.registry.revokeDevice(device.id)}
        label={t('admin.device.revoke')}
        confirm={t('admin.device.confirmRevoke')}
        shown={!device.revoked}
      />
    </li>
  );
}

/** Gate devices: enrol one with a one-time code, revoke an unused code, revoke a device. */
export function DevicesSection() {
  const { t } = useTranslation();
  const devices = useRegistryList('devices');
  const codes = useRegistryList('enrollmentCodes');
  const gateName = useGateNames();
  return (
    <section className="admin-section">
      <EnrollmentCodeForm />
      <RegistryListCard
        title={t('admin.device.list')}
        rows={devices.data}
        error={devices.error}
        rowKey={(device) => device.id}
        row={(device) => <DeviceItem device={device} gateName={gateName(device.gateId)} />}
      />
      <RegistryListCard
        title={t('admin.device.codes')}
        rows={codes.data}
        error={codes.error}
        rowKey={(code) => code.id}
        row={(code) => <CodeItem code={code} gateName={gateName(code.gateId)} />}
      />
    </section>
  );
}
