import { z } from 'zod';

/** The product categories the certificate rules cover (MOA Order 2025 No. 4). */
export const categories = ['vegetable', 'fruit', 'tea', 'livestock_poultry', 'egg', 'aquatic'] as const;
export const Category = z.enum(categories);
export type Category = z.infer<typeof Category>;
