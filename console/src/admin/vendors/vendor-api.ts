import type { VendorIssuerLink } from '@liangzheng/domain/custody/custody-schemas';
import type { Vendor, VendorCreate, VendorUpdate } from '@liangzheng/domain/registry/registry-schemas';
import type { z } from 'zod';
import type { Verbs } from '../registry-api.ts';

export type VendorRow = z.infer<typeof Vendor>;
export type VendorInput = z.input<typeof VendorCreate>;
export type VendorChange = z.input<typeof VendorUpdate>;
export type IssuerLink = z.infer<typeof VendorIssuerLink>;

/**
 * The vendor files (经营者档案, server/src/registry/vendor.routes.ts) and the link to a vendor's own repacker
 * identity (docs/custody.md, “A vendor issues in its own name”). The server scopes every answer to the caller.
 */
export function vendorCalls({ post, patch }: Pick<Verbs, 'post' | 'patch'>) {
  return {
    createVendor: (body: VendorInput) => post<VendorRow>('/api/v1/vendors', body),
    updateVendor: (id: number, body: VendorChange) => patch<VendorRow>(`/api/v1/vendors/${id}`, body),
    linkVendorIssuer: (id: number) => post<IssuerLink>(`/api/v1/vendors/${id}/issuer`),
  };
}
