import { ReasonCode } from '@liangzheng/domain';
import { z } from 'zod';

/**
 * Every error the HTTP API answers with carries one of these codes. Clients branch on the code; people read the
 * message. Add new codes here (with their status) rather than inventing strings at the call site.
 */
export const errorStatus = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  INVALID_USCC: 400,
  INVALID_REFERENCE: 400,
  /** `GET /trust?since=` names a version newer than any the server has stored: fetch the full snapshot */
  TRUST_VERSION_UNKNOWN: 400,
  BAD_CREDENTIALS: 401,
  UNAUTHENTICATED: 401,
  SESSION_EXPIRED: 401,
  DEVICE_UNKNOWN: 401,
  DEVICE_REVOKED: 401,
  CSRF_MISMATCH: 403,
  FORBIDDEN: 403,
  /** the scan names a gate other than the device's own, or one outside the user's market */
  GATE_MISMATCH: 403,
  NOT_FOUND: 404,
  /** a scan names a lot that does not exist at the device's (or user's) market: the same code alone and in a batch */
  LOT_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  /** the record is there and visible to the caller, but was stored without a photo */
  NO_PHOTO: 404,
  ALREADY_EXISTS: 409,
  INACTIVE: 409,
  /** a region is deactivated only once none of its markets is active */
  REGION_IN_USE: 409,
  NO_ACTIVE_KEY: 409,
  ALREADY_VOID: 409,
  QUANTITY_EXCEEDED: 409,
  RETENTION_PERIOD: 409,
  /** a scanId already recorded by another market's gate: a replay comes from where the scan was made */
  SCAN_ID_CONFLICT: 409,
  /** the lot is closed: no more documents or scans */
  LOT_CLOSED: 409,
  /** undoing a scan (docs/custody.md): the lot has read another code since */
  SCAN_NOT_LAST: 409,
  /** undoing a scan: it is older than the undo window (scanUndoMinutes) */
  UNDO_WINDOW_PASSED: 409,
  ALREADY_REVERSED: 409,
  /** undoing a scan: its lot was closed, is in review, was rejected, or its goods are at a stall */
  SCAN_NOT_REVERSIBLE: 409,
  /** the simulated gate replays only on a server with the demo data (docs/demo.md) */
  DEMO_MODE_OFF: 409,
  /** one simulated gate replay at a time */
  DEMO_REPLAY_RUNNING: 409,
  /** the gate agent that plays the simulated gate is not installed next to the server */
  DEMO_AGENT_MISSING: 503,
  /** someone else changed the record between read and write; reload and decide again */
  CHANGED_CONCURRENTLY: 409,
  /** custody (docs/custody.md): the goods drawn on are not in the caller's stall inventory */
  NOT_IN_CUSTODY: 403,
  /** an inventory item held (stop-sale) or whose certificate is void */
  ITEM_HELD: 409,
  UNIT_MISMATCH: 400,
  /** 台账 export: the range ends before it starts, or covers more than a year */
  LEDGER_RANGE_INVALID: 400,
  LEDGER_RANGE_TOO_LONG: 400,
  CATEGORY_MISMATCH: 400,
  PRODUCT_MISMATCH: 400,
  /** a code lists at most 8 parents */
  TOO_MANY_SOURCES: 400,
  /** a resale passes received goods on unchanged: unverified sources (paper, foreign code) need a repack */
  UNVERIFIED_IN_RESALE: 400,
  /** a repack trims more than its category allows, or a resale loses anything */
  LOSS_EXCEEDS_LIMIT: 409,
  /** the stall's vendor has no repacker identity to sign with yet */
  NO_ISSUER_IDENTITY: 409,
  /** the certificate's own quantity was already admitted at a market: a void cannot return it */
  OUTPUT_ADMITTED: 409,
  /** the certificate was kept at the stall and drawn on: void what was made from it first */
  OUTPUT_DRAWN: 409,
  /** 快检 (docs/rapid-test.md): only a positive first test can be retested or decided on */
  RAPID_TEST_NOT_POSITIVE: 409,
  /** a retest may not use a rapid method (酶抑制法, 胶体金) */
  RETEST_METHOD_NOT_ALLOWED: 400,
  /** the 4-hour retest window has ended */
  RETEST_WINDOW_CLOSED: 409,
  RETEST_ALREADY_RECORDED: 409,
  /** no decision on held goods before the retest window ends without a retest result */
  DECISION_BEFORE_WINDOW_ENDS: 409,
  /** cleared goods can only be released; confirmed positives only destroyed or returned */
  DECISION_NOT_ALLOWED: 409,
  ALREADY_DECIDED: 409,
  /** an administrator's credit grade override names no reason (docs/credit.md) */
  CREDIT_OVERRIDE_REASON_REQUIRED: 400,
  /** 双随机: the inspector or the target pool of a draw is empty */
  DRAW_POOL_EMPTY: 409,
  /** 双随机: a drawn target lies in the region of every inspector in the pool */
  DRAW_REGION_CONSTRAINT: 409,
  /** a disposition or finding on a violation or task in a state that does not take it */
  DISPOSITION_NOT_ALLOWED: 409,
  TASK_DONE: 409,
  /** a rule set sent to be published fails `validateRuleSet`; `issues` name each error's code and path */
  RULE_SET_INVALID: 400,
  /** the rule set stored as active fails validation (edited outside the API): nothing is judged until it is fixed */
  STORED_RULE_SET_INVALID: 503,
  /** `POST /devices/enroll`: no such code, or it was revoked */
  ENROLLMENT_CODE_INVALID: 400,
  /** the enrolment code was already used to enrol a device */
  ENROLLMENT_CODE_USED: 409,
  ENROLLMENT_CODE_EXPIRED: 410,
  BODY_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** the print route names a port outside LIANGZHENG_PRINTER_PORTS */
  PRINTER_PORT_NOT_ALLOWED: 400,
  /** the certificate's text does not fit the chosen label size even at the smallest legible type */
  LABEL_OVERFLOW: 422,
  /** the label printer did not accept a connection on its raw port */
  PRINTER_UNREACHABLE: 502,
  /** `GET /verify`: the code names no certificate this server can vouch for; `reason` says why */
  CODE_NOT_VERIFIABLE: 422,
  RATE_LIMITED: 429,
  /** a device (or user) has uploaded its day's allowance of photos (LIANGZHENG_PHOTO_BYTES_PER_DAY) */
  PHOTO_BUDGET_EXCEEDED: 429,
  INTERNAL: 500,
  DATABASE_UNAVAILABLE: 503,
  /** the certificate ledger kept moving under concurrent scans; send the same scan again */
  LEDGER_CONTENDED: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export const ErrorCode = z.enum(Object.keys(errorStatus) as [ErrorCode, ...ErrorCode[]]);

export const ErrorIssue = z.object({ path: z.string(), message: z.string() });
export type ErrorIssue = z.infer<typeof ErrorIssue>;

/** The one error body shape of the API. */
export const ErrorBody = z.object({
  error: z.object({
    code: ErrorCode,
    message: z.string(),
    issues: z.array(ErrorIssue).optional(),
    /** answers about a certificate code (`CODE_NOT_VERIFIABLE`): the verdict reason code */
    reason: ReasonCode.optional(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** An error value with a code; handlers and hooks throw it and the central error handler answers with it. */
export class ApiProblem extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: ErrorIssue[],
    readonly reason?: ReasonCode,
  ) {
    super(message);
    this.name = 'ApiProblem';
    this.status = errorStatus[code];
  }

  toBody(): ErrorBody {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.issues ? { issues: this.issues } : {}),
        ...(this.reason ? { reason: this.reason } : {}),
      },
    };
  }
}

/** Response schemas for the error statuses a route can answer, to spread into `schema.response`. */
export function errorResponses<S extends number>(...statuses: S[]): Record<S, typeof ErrorBody> {
  return Object.fromEntries(statuses.map((s) => [s, ErrorBody])) as Record<S, typeof ErrorBody>;
}
