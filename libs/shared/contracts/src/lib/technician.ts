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
  /** Round trip to the venue server at its last time sync; null before a second sync. */
  latencyMs: z.number().nullable().optional(),
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

/** 考试包与试卷: what was imported, and whether the paper is unlocked yet (only from its release time). */
export const VenuePackageStatus = z.object({
  packageId: z.string(),
  sessionId: Code,
  examName: z.string(),
  subjectName: z.string(),
  startsAt: IsoDateTime,
  releaseAt: IsoDateTime,
  importedAt: IsoDateTime,
  candidates: z.number().int().nonnegative(),
  rooms: z.number().int().nonnegative(),
  paperReleased: z.boolean(),
  releasedAt: IsoDateTime.nullable(),
});
export type VenuePackageStatus = z.infer<typeof VenuePackageStatus>;

/** 压力测试: the save's p95 the venue must hold under the whole venue's load (the exam screen's target). */
export const STRESS_SAVE_P95_TARGET_MS = 150;
export const StartStressTest = z.object({
  machines: z.number().int().min(1, '至少 1 台').max(2000, '最多 2000 台'),
  seconds: z.number().int().min(5, '至少 5 秒').max(600, '最多 600 秒'),
  /** Each simulated machine saves once per this many seconds (an answering candidate saves every few seconds). */
  saveEverySeconds: z.number().min(0.2).max(60).default(2),
});
export type StartStressTest = z.infer<typeof StartStressTest>;

export const StressSecond = z.object({
  second: z.number().int().nonnegative(),
  saves: z.number().int().nonnegative(),
  errors: z.number().int().nonnegative(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  p99Ms: z.number().nullable(),
  connected: z.number().int().nonnegative(),
});
export type StressSecond = z.infer<typeof StressSecond>;

export const StressTestRun = z.object({
  runId: z.string(),
  status: z.enum(['running', 'passed', 'failed']),
  actor: z.string(),
  startedAt: IsoDateTime,
  finishedAt: IsoDateTime.nullable(),
  machines: z.number().int(),
  seconds: z.number().int(),
  saveEverySeconds: z.number(),
  series: z.array(StressSecond),
  summary: z
    .object({
      saves: z.number().int(),
      errors: z.number().int(),
      connectFailures: z.number().int(),
      savesPerSecond: z.number(),
      p50Ms: z.number().nullable(),
      p95Ms: z.number().nullable(),
      p99Ms: z.number().nullable(),
    })
    .nullable(),
  /** Why it failed, in words a technician can act on; null while running or when it passed. */
  verdict: z.string().nullable(),
});
export type StressTestRun = z.infer<typeof StressTestRun>;

/** The stress test's own namespace: simulated machines save into a sandbox table, never into the exam's. */
export const STRESS_NAMESPACE = '/stress';
export const StressSave = z.object({ machine: z.number().int().nonnegative(), seq: z.number().int().positive(), payload: z.string().max(2000) });
export type StressSave = z.infer<typeof StressSave>;
