import { ApiBody } from '@nestjs/swagger';
import { z } from 'zod';

/** OpenAPI bodies come straight from the contracts schemas. */
export const body = (schema: z.ZodType) => ApiBody({ schema: z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as object });
