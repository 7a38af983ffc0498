import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { initCrypto } from '@kaowu/crypto';
import { parseConfig } from './config';
import { DomainError, parseInput } from './domain-error';
import { loadOrCreatePartyKeys } from './key-store';

describe('server kit', () => {
  beforeAll(() => initCrypto());

  it('stops at boot with a message naming the bad variable', () => {
    const schema = z.object({ PORT: z.coerce.number().int().max(65535, 'PORT must be a port number') });
    expect(() => parseConfig(schema, { PORT: '99999' })).toThrow(/PORT: PORT must be a port number/);
    expect(parseConfig(schema, { PORT: '3200' })).toEqual({ PORT: 3200 });
  });

  it('maps bad input to VALIDATION_FAILED with the field and both languages', () => {
    const schema = z.object({ seats: z.array(z.object({ seatNo: z.number().int().positive() })) });
    let error: DomainError | undefined;
    try {
      parseInput(schema, { seats: [{ seatNo: 1 }, { seatNo: -1 }] }, '考场');
    } catch (e) {
      error = e as DomainError;
    }
    expect(error?.toBody()).toMatchObject({ code: 'VALIDATION_FAILED', field: 'seats.1.seatNo' });
    expect(error?.toBody().message).toContain('考场');
    expect(error?.httpStatus).toBe(400);
  });

  it('creates the key pair once, protected by the passphrase, and reloads the same keys', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaowu-keys-'));
    try {
      const first = loadOrCreatePartyKeys(dir, 'venue-V9', 'correct horse battery', 'interactive');
      expect(first.created).toBe(true);
      const again = loadOrCreatePartyKeys(dir, 'venue-V9', 'correct horse battery', 'interactive');
      expect(again.created).toBe(false);
      expect(again.keys.keyId).toBe(first.keys.keyId);
      expect(Buffer.from(again.keys.signing.privateKey).equals(Buffer.from(first.keys.signing.privateKey))).toBe(true);
      expect(readFileSync(join(dir, 'venue-V9.key.json'), 'utf8')).not.toContain(Buffer.from(first.keys.signing.privateKey).toString('base64'));
      expect(() => loadOrCreatePartyKeys(dir, 'venue-V9', 'wrong passphrase', 'interactive')).toThrow(expect.objectContaining({ code: 'WRONG_PASSPHRASE' }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to keep a generated passphrase beside the key in production', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kaowu-prod-keys-'));
    const before = process.env['NODE_ENV'];
    process.env['NODE_ENV'] = 'production';
    try {
      expect(() => loadOrCreatePartyKeys(dir, 'venue-V001', undefined, 'interactive')).toThrow(/KEY_PASSPHRASE must be set in production/);
      expect(loadOrCreatePartyKeys(dir, 'venue-V001', 'a-long-passphrase', 'interactive').created).toBe(true);
    } finally {
      process.env['NODE_ENV'] = before;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
