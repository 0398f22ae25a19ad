import { z } from 'zod';

/** Weight units convert into kilograms; count units never convert into weight. */
export const weightUnits = ['kg', 'g', 't', 'jin', 'gongjin'] as const;
export const countUnits = ['head', 'piece', 'box'] as const;
export const units = [...weightUnits, ...countUnits] as const;

export const Unit = z.enum(units);
export type Unit = z.infer<typeof Unit>;
