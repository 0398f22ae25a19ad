import { randomUUID } from 'node:crypto';
import type { TestApp } from '../helper.ts';
import { bearer, issueTestCertificate, scanBody, type TestCertificate } from '../scan/scan-fixture.ts';

/**
 * A truck through the demo's east gate for a stall, its certificates scanned one after the other by the gate
 * device, as the gate does it. Returns the lot id and the last scan's answer.
 */
export async function truckForStall(
  t: TestApp,
  stallId: number | undefined,
  certificates: TestCertificate[],
  declaration: {
    quantity: number;
    productCode?: number;
    productName?: string;
    category?: string;
    unit?: string;
  },
) {
  const token = t.demo!.deviceToken;
  const lot = await t.inject(
    {
      method: 'POST',
      url: '/api/v1/lots',
      payload: {
        plate: '湘A·C0001',
        ...(stallId === undefined ? {} : { stallId }),
        declaration: {
          productName: declaration.productName ?? '大白菜',
          productCode: declaration.productCode ?? 1001,
          category: declaration.category ?? 'vegetable',
          quantity: declaration.quantity,
          unit: declaration.unit ?? 'kg',
        },
      },
    },
    bearer(token),
  );
  if (lot.statusCode !== 201) throw new Error(`lot: ${lot.statusCode} ${lot.body}`);
  const lotId: string = lot.json().lot.id;
  let answer: { verdict: { outcome: string } } | undefined;
  for (const certificate of certificates) {
    const res = await t.inject(
      {
        method: 'POST',
        url: '/api/v1/scans',
        payload: scanBody(lotId, t.demo!.gates.wholesaleEast, certificate.text),
      },
      bearer(token),
    );
    if (res.statusCode !== 200) throw new Error(`scan: ${res.statusCode} ${res.body}`);
    answer = res.json();
  }
  return { lotId, outcome: answer?.verdict.outcome };
}

/** Producer certificates of the demo cooperative, each `quantity` of 大白菜 unless told otherwise. */
export function cooperativeCertificates(
  t: TestApp,
  count: number,
  options: { quantity?: number; productCode?: number; productName?: string } = {},
) {
  return Promise.all(
    Array.from({ length: count }, () =>
      issueTestCertificate(t, {
        issuerId: t.demo!.issuers.coop,
        quantity: options.quantity ?? 100,
        ...options,
      }),
    ),
  );
}

export const lotItem = (lotId: string, certificateId: string) => `lot:${lotId}:${certificateId}`;

export function inventoryOf(t: TestApp, stallId: number, headers: Record<string, string>, all = false) {
  return t.inject({ method: 'GET', url: `/api/v1/stalls/${stallId}/inventory?all=${all}` }, headers);
}

export function transformAt(t: TestApp, stallId: number, headers: Record<string, string>, body: unknown) {
  return t.inject(
    { method: 'POST', url: `/api/v1/stalls/${stallId}/transformations`, payload: body as object },
    headers,
  );
}

export const newScanId = () => randomUUID();
