// Money as the API shows it: a decimal string with two places, never a JSON number
// (ATTRIBUTION.md rule 8), with the currency given once beside it.
import { z } from 'zod';

export const money = z
  .string()
  .regex(/^-?\d+\.\d{2}$/)
  .meta({
    description: 'A decimal amount with two places, in the workspace reporting currency.',
    example: '120000.00',
  });
