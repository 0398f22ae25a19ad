import type {
  CreditGradeView,
  CreditHistory,
  CreditOverride,
} from '@liangzheng/domain/credit/credit-schemas';
import type {
  Product,
  ProductCreate,
  ProductImportResult,
  ProductUpdate,
} from '@liangzheng/domain/product/product';
import type {
  Issuer,
  IssuerCreate,
  IssuerKey,
  IssuerUpdate,
  Region,
} from '@liangzheng/domain/registry/registry-schemas';
import type { RuleSet } from '@liangzheng/domain/rules/rule-set';
import type {
  ActiveRuleSet,
  RuleSetValidation,
  RuleSetVersionSummary,
} from '@liangzheng/domain/rules/rule-set-version';
import type { z } from 'zod';
import type { ApiError, ApiResult } from '../api/api.ts';

export type IssuerView = z.infer<typeof Issuer>;
export type IssuerInput = z.input<typeof IssuerCreate>;
export type IssuerChange = z.input<typeof IssuerUpdate>;
export type IssuerKeyView = z.infer<typeof IssuerKey>;
export type RegionView = z.infer<typeof Region>;
export type CreditHistoryView = z.infer<typeof CreditHistory>;
export type CreditGradeRow = CreditGradeView;
export type CreditOverrideInput = z.input<typeof CreditOverride>;
export type ProductView = Product;
export type ProductInput = z.input<typeof ProductCreate>;
export type ProductChange = z.input<typeof ProductUpdate>;
export type ProductImportAnswer = z.infer<typeof ProductImportResult>;
export type RuleSetVersion = z.infer<typeof RuleSetVersionSummary>;
export type RuleSetInForce = z.infer<typeof ActiveRuleSet>;
export type RuleSetCheck = z.infer<typeof RuleSetValidation>;
export type { RuleSet };

/** The three verbs the catalogue screens use, as `createApi` makes them (errors are values). */
export interface CatalogueCalls {
  get<T>(path: string): Promise<ApiResult<T>>;
  post<T>(path: string, body?: unknown): Promise<ApiResult<T>>;
  patch<T>(path: string, body: unknown): Promise<ApiResult<T>>;
}

/** The query keys the catalogue screens share, so a write refreshes every list that shows it. */
export const issuersKey = ['catalogue', 'issuers'] as const;
export const productsKey = ['catalogue', 'products'] as const;
export const ruleSetsKey = ['catalogue', 'rule-sets'] as const;

const at = (id: number | string) => encodeURIComponent(String(id));

/** The admin calls for issuers and their keys, the product catalogue and rule sets (docs/api.md). */
export function catalogueCalls({ get, post, patch }: CatalogueCalls) {
  return {
    regions: () => get<RegionView[]>('/api/v1/regions'),
    issuers: () => get<IssuerView[]>('/api/v1/issuers'),
    createIssuer: (issuer: IssuerInput) => post<IssuerView>('/api/v1/issuers', issuer),
    updateIssuer: (id: number, change: IssuerChange) =>
      patch<IssuerView>(`/api/v1/issuers/${at(id)}`, change),
    deactivateIssuer: (id: number) => post<IssuerView>(`/api/v1/issuers/${at(id)}/deactivate`),
    issuerKeys: (id: number) => get<IssuerKeyView[]>(`/api/v1/issuers/${at(id)}/keys`),
    /** The server makes the new key pair and retires the issuer's active key in the same step. */
    rotateIssuerKey: (id: number) => post<IssuerKeyView>(`/api/v1/issuers/${at(id)}/keys`),
    compromiseIssuerKey: (keyId: string) =>
      post<IssuerKeyView>(`/api/v1/issuer-keys/${at(keyId)}/compromise`),
    credit: (id: number) => get<CreditHistoryView>(`/api/v1/issuers/${at(id)}/credit`),
    overrideCredit: (id: number, body: CreditOverrideInput) =>
      post<CreditGradeRow>(`/api/v1/issuers/${at(id)}/credit/override`, body),
    products: () => get<ProductView[]>('/api/v1/products'),
    createProduct: (product: ProductInput) => post<ProductView>('/api/v1/products', product),
    updateProduct: (code: number, change: ProductChange) =>
      patch<ProductView>(`/api/v1/products/${at(code)}`, change),
    deactivateProduct: (code: number) => post<ProductView>(`/api/v1/products/${at(code)}/deactivate`),
    importProducts: (csv: string) => post<ProductImportAnswer>('/api/v1/products/import', { csv }),
    ruleSets: () => get<RuleSetVersion[]>('/api/v1/rule-sets'),
    activeRuleSet: () => get<RuleSetInForce>('/api/v1/rule-sets/active'),
    ruleSet: (version: string) => get<RuleSet>(`/api/v1/rule-sets/${at(version)}`),
    validateRuleSet: (body: unknown) => post<RuleSetCheck>('/api/v1/rule-sets/validate', body),
    publishRuleSet: (body: unknown) => post<RuleSetVersion>('/api/v1/rule-sets', body),
    activateRuleSet: (version: string) => post<RuleSetVersion>(`/api/v1/rule-sets/${at(version)}/activate`),
  };
}

/** One part of a refusal; `code` and `detail` where the part has a code of its own (a CSV line's problem). */
export interface ApiIssue {
  path: string;
  message: string;
  code?: unknown;
  detail?: unknown;
}

/** What a refusal says about each part of the request (`issues` of the error body): a CSV line, a rule's path. */
export function issuesOf(error: ApiError): ApiIssue[] {
  const issues = (error.body as { error?: { issues?: unknown } } | null)?.error?.issues;
  return Array.isArray(issues)
    ? issues.filter(
        (issue): issue is ApiIssue => typeof issue?.path === 'string' && typeof issue?.message === 'string',
      )
    : [];
}
