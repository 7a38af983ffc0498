import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '@kaowu/exam-domain';
import { createScratchDatabase } from '@kaowu/persistence';
import { ProvincialConfigSchema } from '../provincial-config';
import { ProvincialServer, createProvincialServer } from '../provincial-server';

/** The sitting the planning specs work on: three subjects in order, in the given batches. */
export const ZJ2026_SUBJECTS = [
  { subjectCode: 'ZJSW', subjectName: '中级会计实务', durationMinutes: 165 },
  { subjectCode: 'CWGL', subjectName: '财务管理', durationMinutes: 135 },
  { subjectCode: 'JJF', subjectName: '经济法', durationMinutes: 120 },
];

/**
 * A provincial server for the planning specs, on the embedded database or a throwaway one on
 * DATABASE_URL, with two regions (贵阳市, 遵义市) and the sitting ZJ2026 already planned.
 */
export async function startPlanningServer(name: string, clock: Clock, batches: { batchCode: string; date: string; startTimes: string[] }[]) {
  const dir = mkdtempSync(join(tmpdir(), `kaowu-${name}-`));
  const scratch = process.env['DATABASE_URL'] ? await createScratchDatabase(process.env['DATABASE_URL'], `kaowu_test_${name}`) : undefined;
  const server: ProvincialServer = await createProvincialServer(ProvincialConfigSchema.parse({ PROVINCIAL_PORT: '0', PROVINCIAL_DATA_DIR: dir, DATABASE_URL: scratch?.url }), {
    clock,
    keyStrength: 'interactive',
    quiet: true,
  });
  const api = `${server.url}/api/v1`;
  // Test bodies are checked field by field by the specs.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const send = async (method: string, path: string, body?: unknown): Promise<any> => {
    const res = await fetch(api + path, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  await send('PUT', '/regions', { regions: [{ regionCode: '520100', name: '贵阳市' }, { regionCode: '520300', name: '遵义市' }] });
  await send('POST', '/sittings', { sittingCode: 'ZJ2026', name: '2026年度中级会计资格', subjects: ZJ2026_SUBJECTS, batches });
  return {
    server,
    api,
    send,
    auditActions: async (): Promise<string[]> => (await server.ctx.db.dataSource.query('SELECT action FROM audit_event ORDER BY id')).map((r: { action: string }) => r.action),
    close: async () => {
      await server.close();
      await scratch?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
