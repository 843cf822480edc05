import { z } from 'zod';

/** The id of an imported model (its own module: runs and models both refer to it). */
export const ModelId = z.number().int().positive();
