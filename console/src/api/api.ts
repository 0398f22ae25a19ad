import type { Category } from '@liangzheng/domain/category/category';
import type { Certificate, IssuedCertificate } from '@liangzheng/domain/certificate/certificate-schemas';
import type {
  InventoryItemView,
  StallReceipt,
  StallReceiptRequest,
  TransformationRequest,
  TransformationView,
} from '@liangzheng/domain/custody/custody-schemas';
import type { Figures as ServerFigures } from '@liangzheng/domain/figures/figures-schema';
import type { UserPrincipal } from '@liangzheng/domain/identity/principal';
import type {
  DrawRequestBody,
  InspectionDrawView,
  InspectionFindingBody,
  InspectionTaskView,
} from '@liangzheng/domain/inspection/inspection-schemas';
import type {
  LotClosed,
  LotCreate,
  LotCreated,
  LotDocumentsAdd,
  LotReview,
  LotView,
} from '@liangzheng/domain/lot/lot-schema';
import type {
  DecisionInput,
  RapidTestInput,
  RapidTestView,
  RetestInput,
  SamplingAnswer,
} from '@liangzheng/domain/rapid-test/rapid-test-schemas';
import { ReasonCode } from '@liangzheng/domain/reason/reason-code';
import type { Gate, Vendor } from '@liangzheng/domain/registry/registry-schemas';
import type { DemoGateReplayStarted, DemoGateReplayStatus } from '@liangzheng/domain/scan/demo-gate-replay';
import type { ScanReversal, ScanReversalRequest } from '@liangzheng/domain/scan/scan-reversal';
import type { ScanAnswer as ServerScanAnswer } from '@liangzheng/domain/scan/scan-schema';
import type { CertificateTrace } from '@liangzheng/domain/trace/trace-schema';
import type {
  RepackSource,
  Verification as ServerVerification,
  Unverifiable,
} from '@liangzheng/domain/verify/verification';
import type {
  ViolationBulk,
  ViolationBulkResult,
  ViolationDetail,
  ViolationDispositionBody,
  ViolationView,
} from '@liangzheng/domain/violation/violation-schema';
import type { ViolationStatus } from '@liangzheng/domain/violation/violation-status';
import type { z } from 'zod';
import { catalogueCalls } from '../admin/catalogue-api.ts';
import { registryCalls } from '../admin/registry-api.ts';
import { vendorCalls } from '../admin/vendors/vendor-api.ts';
import { producerCalls } from '../producer/producer-api.ts';
import type { ApiRequest, Transport } from './transport.ts';

/** `GET /auth/me` (the server's `Me`): the session's principal without its session id. */
export type User = Pick<UserPrincipal, 'userId' | 'username' | 'role' | 'scope'>;
/**
 * `GET /api/v1/verify`: the verification plus its sentence (`VerificationBody`, 200), or the reason a code cannot be
 * verified (the 422 `CODE_NOT_VERIFIABLE` error's `reason` and message), which is still an answer about the code.
 */
export type Verification = (ServerVerification | Unverifiable) & { message: string };
export type { RepackSource };
export type GateView = z.infer<typeof Gate>;
export type VendorView = z.infer<typeof Vendor>;
export type CertificateView = z.infer<typeof Certificate>;
export type Issued = z.infer<typeof IssuedCertificate>;
export type InventoryItem = InventoryItemView;
export type TransformationInput = z.input<typeof TransformationRequest>;
export type Transformation = TransformationView;
export type StallReceiptInput = z.input<typeof StallReceiptRequest>;
export type StallReceiptAnswer = z.infer<typeof StallReceipt>;
export type LotInput = z.input<typeof LotCreate>;
export type LotResult = z.infer<typeof LotCreated>;
export type Lot = LotView;
/** `GET /api/v1/lots/:id`: the lot with its verdicts and scans. */
export type LotDetail = LotView & {
  verdicts: { id: string; outcome: string; decidedAt: string; reasons: { code: string }[] }[];
  scans: { id: string; certificateId: string | null; outcome: string; receivedAt: string }[];
};
export type LotReviewInput = z.input<typeof LotReview>;
export type LotDocumentsInput = z.input<typeof LotDocumentsAdd>;
export type Violation = ViolationView;
export type ViolationFilters = {
  status?: ViolationStatus;
  limit?: number;
  regionPrefix?: string;
  marketId?: number;
  stallId?: number;
  issuerId?: number;
  reason?: string;
  from?: string;
  to?: string;
  overdue?: 'true';
};
export type ViolationBulkBody = z.input<typeof ViolationBulk>;
export type ViolationBulkAnswer = z.infer<typeof ViolationBulkResult>;
export type DispositionBody = z.input<typeof ViolationDispositionBody>;
export type DrawBody = z.input<typeof DrawRequestBody>;
export type InspectionDraw = InspectionDrawView;
export type InspectionTask = InspectionTaskView;
export type FindingBody = z.input<typeof InspectionFindingBody>;
export type ViolationFull = z.infer<typeof ViolationDetail>;
export type Trace = CertificateTrace;
export type Figures = ServerFigures;
export type FiguresParams = {
  from?: string;
  to?: string;
  regionPrefix?: string;
  period?: ServerFigures['period'];
  groupBy?: NonNullable<ServerFigures['breakdown']>['groupBy'];
};
/** The monthly report for the level above, downloaded by the browser with the session cookie. */
export const figuresReportUrl = (month: string) =>
  `/api/v1/figures/report.xlsx?month=${encodeURIComponent(month)}`;
export type ScanAnswer = ServerScanAnswer;
/** `POST /api/v1/scans` from the console: a code typed or filmed by gate staff, at a gate of their market. */
export interface StaffScan {
  /** chosen once per read and kept for re-sends, so a retry is answered, not judged twice */
  scanId: string;
  lotId: string;
  gateId: number;
  source: 'manual' | 'camera';
  rawText: string;
  /** milliseconds between a wedge scanner's keystrokes, kept as the read's provenance */
  keystrokeTimings?: number[];
}
export type { Category, ReasonCode, ViolationStatus };
export type RapidTest = RapidTestView;
export type RapidTestBody = z.input<typeof RapidTestInput>;
export type RetestBody = z.input<typeof RetestInput>;
export type DecisionBody = z.input<typeof DecisionInput>;
export type SamplingSuggestions = z.infer<typeof SamplingAnswer>;

/** Errors are values: the server's `{ error: { code, message } }`, or NETWORK when it could not be reached. */
export interface ApiError {
  code: string;
  message: string;
  status: number;
  /** the whole answer, for callers that read more (e.g. a 422 verification body) */
  body: unknown;
}
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

function errorOf(status: number, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  return {
    code: typeof error?.code === 'string' ? error.code : `HTTP_${status}`,
    message: typeof error?.message === 'string' ? error.message : '',
    status,
    body,
  };
}

/** The reason code a `CODE_NOT_VERIFIABLE` answer gives for a certificate code, when it gives one. */
export function reasonOf(error: ApiError): ReasonCode | undefined {
  return ReasonCode.safeParse((error.body as { error?: { reason?: unknown } } | null)?.error?.reason).data;
}

/** The 422 `CODE_NOT_VERIFIABLE` answer as a verification of no certificate, with the reason the server gave. */
function unverifiable(error: ApiError): ApiResult<Verification> {
  return {
    ok: true,
    value: {
      valid: false,
      reason: reasonOf(error) ?? 'MALFORMED',
      certificate: null,
      issuer: null,
      chain: [],
      message: error.message,
    },
  };
}

const query = (params: Record<string, string | number | undefined>) => {
  const pairs = Object.entries(params).filter(([, v]) => v !== undefined && v !== '');
  return pairs.length ? `?${new URLSearchParams(pairs.map(([k, v]) => [k, String(v)]))}` : '';
};

/** Every call the console makes, typed by the server's own schemas. */
export function createApi(transport: Transport) {
  async function call<T>(request: ApiRequest, okStatuses: number[] = [200, 201, 204]): Promise<ApiResult<T>> {
    try {
      const { status, body } = await transport(request);
      if (okStatuses.includes(status)) return { ok: true, value: body as T };
      return { ok: false, error: errorOf(status, body) };
    } catch (cause) {
      return { ok: false, error: { code: 'NETWORK', message: String(cause), status: 0, body: null } };
    }
  }
  const get = <T>(path: string) => call<T>({ method: 'GET', path });
  const post = <T>(path: string, body?: unknown) => call<T>({ method: 'POST', path, body });
  const patch = <T>(path: string, body: unknown) => call<T>({ method: 'PATCH', path, body });

  return {
    ...catalogueCalls({ get, post, patch }),
    ...producerCalls({ get, post }),
    login: (username: string, password: string) =>
      post<{ user: User; csrfToken: string }>('/api/v1/auth/login', { username, password }),
    logout: () => post<null>('/api/v1/auth/logout'),
    me: () => get<User>('/api/v1/auth/me'),
    /** the admin screens' registry calls */
    registry: registryCalls({ get, post, patch }),
    /** the admin screen's vendor files and the link to a vendor's own issuing identity */
    vendorAdmin: vendorCalls({ post, patch }),
    /** Public; a code the server cannot verify answers 422 with its reason, which is still an answer. */
    verify: async (code: string): Promise<ApiResult<Verification>> => {
      const answer = await call<Verification>({ method: 'GET', path: `/api/v1/verify${query({ code })}` });
      return answer.ok || answer.error.code !== 'CODE_NOT_VERIFIABLE' ? answer : unverifiable(answer.error);
    },
    /** A code the vendor holds, as a repack source: its state and what is left (behind the login). */
    repackSource: (code: string) => get<RepackSource>(`/api/v1/certificates/source${query({ code })}`),
    gates: () => get<GateView[]>('/api/v1/gates'),
    vendors: () => get<VendorView[]>('/api/v1/vendors'),
    createLot: (lot: LotInput) => post<LotResult>('/api/v1/lots', lot),
    lots: (params: { status?: string; limit?: number } = {}) => get<Lot[]>(`/api/v1/lots${query(params)}`),
    violations: (params: ViolationFilters = {}) => get<Violation[]>(`/api/v1/violations${query(params)}`),
    assignViolation: (id: string, assigneeId: number) =>
      post<Violation>(`/api/v1/violations/${encodeURIComponent(id)}/assign`, { assigneeId }),
    addEvidence: (id: string, evidence: { description: string; photo?: string }) =>
      post<Violation>(`/api/v1/violations/${encodeURIComponent(id)}/evidence`, evidence),
    bulkViolations: (body: ViolationBulkBody) => post<ViolationBulkAnswer>('/api/v1/violations/bulk', body),
    addDisposition: (id: string, body: DispositionBody) =>
      post<unknown>(`/api/v1/violations/${encodeURIComponent(id)}/dispositions`, body),
    drawInspection: (body: DrawBody) => post<InspectionDraw>('/api/v1/inspection-draws', body),
    replayDraw: (id: string) =>
      post<{ same: boolean }>(`/api/v1/inspection-draws/${encodeURIComponent(id)}/replay`),
    inspectionTasks: (params: { mine?: 'true'; status?: 'assigned' | 'done'; drawId?: string } = {}) =>
      get<InspectionTask[]>(`/api/v1/inspection-tasks${query(params)}`),
    recordFinding: (taskId: string, body: FindingBody) =>
      post<InspectionTask>(`/api/v1/inspection-tasks/${encodeURIComponent(taskId)}/findings`, body),
    violation: (id: string) => get<ViolationFull>(`/api/v1/violations/${encodeURIComponent(id)}`),
    transition: (id: string, to: ViolationStatus, note: string) =>
      post<unknown>(`/api/v1/violations/${encodeURIComponent(id)}/transition`, { to, note }),
    addNote: (id: string, note: string) =>
      post<unknown>(`/api/v1/violations/${encodeURIComponent(id)}/notes`, { note }),
    certificates: (params: { status?: 'valid' | 'void'; limit?: number } = {}) =>
      get<CertificateView[]>(`/api/v1/certificates${query(params)}`),
    certificate: (id: string) => get<CertificateView>(`/api/v1/certificates/${encodeURIComponent(id)}`),
    /** docs/custody.md: the stall's goods, and repacks and resales drawn from them */
    inventory: (stallId: number) => get<InventoryItem[]>(`/api/v1/stalls/${stallId}/inventory`),
    transform: (stallId: number, request: TransformationInput) =>
      post<Transformation>(`/api/v1/stalls/${stallId}/transformations`, request),
    transformations: (stallId: number) => get<Transformation[]>(`/api/v1/stalls/${stallId}/transformations`),
    receive: (stallId: number, request: StallReceiptInput) =>
      post<StallReceiptAnswer>(`/api/v1/stalls/${stallId}/receipts`, request),
    voidCertificate: (id: string, reason: string) =>
      post<CertificateView>(`/api/v1/certificates/${encodeURIComponent(id)}/void`, { reason }),
    lot: (lotId: string) => get<LotDetail>(`/api/v1/lots/${encodeURIComponent(lotId)}`),
    reviewLot: (lotId: string, review: LotReviewInput) =>
      post<{ lotId: string; status: string; violationId: string | null }>(
        `/api/v1/lots/${encodeURIComponent(lotId)}/review`,
        review,
      ),
    addLotDocuments: (lotId: string, body: LotDocumentsInput) =>
      post<Lot>(`/api/v1/lots/${encodeURIComponent(lotId)}/documents`, body),
    closeLot: (lotId: string) => post<LotClosed>(`/api/v1/lots/${encodeURIComponent(lotId)}/close`, {}),
    /** docs/custody.md: undo a lot's last scan, with the reason; recorded, never deleted */
    reverseScan: (scanId: string, body: ScanReversalRequest) =>
      post<ScanReversal>(`/api/v1/scans/${encodeURIComponent(scanId)}/reversal`, body),
    /** docs/demo.md: the simulated gate, replayed in demo mode */
    demoGateReplay: () => get<DemoGateReplayStatus>('/api/v1/demo/gate-replay'),
    playDemoGate: () =>
      call<DemoGateReplayStarted>({ method: 'POST', path: '/api/v1/demo/gate-replay' }, [202]),
    trace: (id: string) => get<Trace>(`/api/v1/certificates/${encodeURIComponent(id)}/trace`),
    figures: (params: FiguresParams = {}) => get<Figures>(`/api/v1/figures${query(params)}`),
    rapidTests: (marketId: number, held = false) =>
      get<RapidTest[]>(`/api/v1/rapid-tests${query({ marketId, held: held ? 'true' : undefined })}`),
    recordRapidTest: (body: RapidTestBody) => post<RapidTest>('/api/v1/rapid-tests', body),
    retest: (id: string, body: RetestBody) =>
      post<RapidTest>(`/api/v1/rapid-tests/${encodeURIComponent(id)}/retest`, body),
    decide: (id: string, body: DecisionBody) =>
      post<RapidTest>(`/api/v1/rapid-tests/${encodeURIComponent(id)}/decision`, body),
    samplingSuggestions: (marketId: number) =>
      get<SamplingSuggestions>(`/api/v1/markets/${marketId}/sampling-suggestions`),
    scan: (scan: StaffScan) =>
      post<ScanAnswer>('/api/v1/scans', {
        scanId: scan.scanId,
        lotId: scan.lotId,
        gateId: scan.gateId,
        provenance: {
          source: scan.source,
          rawText: scan.rawText,
          keystrokeTimings: scan.keystrokeTimings ?? [],
          deviceTime: new Date().toISOString(),
          decoder: 'console',
        },
      }),
  };
}
export type Api = ReturnType<typeof createApi>;

/**
 * The server's label PDF for a certificate at its label size, `copies` pages of it; printed from a hidden frame or
 * opened in a new tab, so the browser's print dialog handles it.
 */
export const labelUrl = (certificateId: string, size: '60x40' | '60x80', copies = 1) =>
  `/api/v1/certificates/${certificateId}/label?format=pdf&size=${size}&copies=${copies}`;

/** The trace as a spreadsheet, downloaded by the browser with the session cookie. */
export const traceXlsxUrl = (certificateId: string) =>
  `/api/v1/certificates/${encodeURIComponent(certificateId)}/trace.xlsx`;

/** The server-rendered public page: the path printed in the QR. */
export const publicPageUrl = (code: string) => {
  const path = code.replace(/^https?:\/\/[^/]+\/V\//i, '');
  return `/V/${path}`;
};
