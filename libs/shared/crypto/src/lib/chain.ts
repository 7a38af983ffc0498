import { canonicalJson, isHash, sha256Hex } from './encoding';
import { CryptoError } from './errors';

/** Start of a plain hash chain: 64 zero hex chars. */
export const CHAIN_GENESIS = '0'.repeat(64);

function checkHash(h: string, what: string): void {
  if (!isHash(h)) throw new CryptoError('BAD_FORMAT', `${what} must be 64 lowercase hex chars`);
}

/** sha256Hex(prevHash + canonicalJson(entry)), hashing the UTF-8 of the concatenated string. */
export function chainNext(prevHash: string, entry: unknown): string {
  checkHash(prevHash, 'prevHash');
  return sha256Hex(prevHash + canonicalJson(entry));
}

export function chainHead(entries: unknown[], genesis: string = CHAIN_GENESIS): string {
  checkHash(genesis, 'genesis');
  let h = genesis;
  for (const e of entries) h = chainNext(h, e);
  return h;
}

/** Throws CHAIN_BROKEN unless the entries, in this order, lead from genesis to expectedHead. */
export function verifyChain(entries: unknown[], expectedHead: string, genesis: string = CHAIN_GENESIS): void {
  if (chainHead(entries, genesis) !== expectedHead) {
    throw new CryptoError('CHAIN_BROKEN', `hash chain of ${entries.length} entries does not reach the expected head`);
  }
}
