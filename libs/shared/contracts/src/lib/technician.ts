import { z } from 'zod';
import { Code, IsoDateTime } from './common';

/** 环境检查: one check of the venue server, with what was found in words a technician can act on. */
export const EnvironmentCheck = z.object({ code: z.string(), label: z.string(), ok: z.boolean(), detail: z.string() });
export type EnvironmentCheck = z.infer<typeof EnvironmentCheck>;

/** One connected exam machine: it passed the attestation to be here; its clock against the server's. */
export const MachineCheck = z.object({
  machineId: z.string(),
  roomCode: Code.nullable(),
  seatNo: z.number().int().nullable(),
  attested: z.boolean(),
  /** Server clock − machine clock at its last time sync (includes one-way latency); null before one. */
  clockSkewMs: z.number().nullable(),
  ok: z.boolean(),
});
export type MachineCheck = z.infer<typeof MachineCheck>;

export const EnvironmentReport = z.object({
  venueCode: Code,
  checkedAt: IsoDateTime,
  /** Every server check passed: the venue may be sealed (封场). */
  passed: z.boolean(),
  checks: z.array(EnvironmentCheck),
  machines: z.array(MachineCheck),
  sealed: z.object({ by: z.string(), actor: z.string(), at: IsoDateTime }).nullable(),
});
export type EnvironmentReport = z.infer<typeof EnvironmentReport>;

/** 封场: who signs (主考 and 技术负责人 by name). */
export const SealVenue = z.object({ signedBy: z.string().trim().min(2, '请填写签字人（主考、技术负责人）').max(200) });
export type SealVenue = z.infer<typeof SealVenue>;
