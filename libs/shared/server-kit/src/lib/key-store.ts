import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PartyKeys, ProtectedKeyFile, generatePartyKeys, protectPartyKeys, unlockPartyKeys } from '@kaowu/crypto';

/**
 * The server's own key pair, at rest under `dir` encrypted with a passphrase (Argon2id).
 * First run generates it (demo keys live only under var/, never in the repository). When no
 * passphrase is configured, a random one is written beside it with owner-only permissions —
 * fine for a demo; a real server sets KEY_PASSPHRASE, and with NODE_ENV=production it refuses to start without.
 */
export function loadOrCreatePartyKeys(dir: string, label: string, passphrase?: string, strength: 'interactive' | 'moderate' = 'moderate'): { keys: PartyKeys; created: boolean } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const keyPath = join(dir, `${label}.key.json`);
  const passPath = join(dir, `${label}.passphrase`);
  let secret = passphrase;
  // A passphrase beside the key protects nothing: off the demo (NODE_ENV=production) it must come from the environment.
  if (!secret && process.env['NODE_ENV'] === 'production')
    throw new Error('KEY_PASSPHRASE must be set in production: the private key is not kept next to its passphrase (unset only for the demo and tests)');
  if (!secret) {
    if (!existsSync(passPath)) writeFileSync(passPath, randomBytes(24).toString('base64url'), { mode: 0o600 });
    secret = readFileSync(passPath, 'utf8').trim();
  }
  if (existsSync(keyPath)) {
    const file = JSON.parse(readFileSync(keyPath, 'utf8')) as ProtectedKeyFile;
    return { keys: unlockPartyKeys(file, secret), created: false };
  }
  const keys = generatePartyKeys(label);
  writeFileSync(keyPath, JSON.stringify(protectPartyKeys(keys, secret, strength), null, 2), { mode: 0o600 });
  return { keys, created: true };
}
