import { AnswerValue } from '@kaowu/contracts';
import type { AnswerEvent } from './answer-outbox';
import type { AnswerQueueStore } from './answer-queue-store';

const DB_NAME = 'kaowu-answer-queue';
const KEYS = 'keys';
const EVENTS = 'events';

interface SealedEvent {
  attemptId: string;
  seq: number;
  iv: Uint8Array<ArrayBuffer>;
  data: ArrayBuffer;
}

/** What is authenticated with each event: it cannot be moved to another attempt or seq. */
const additionalData = (attemptId: string, seq: number) => new TextEncoder().encode(`kaowu-answer/1:${attemptId}:${seq}`);

/**
 * AES-256-GCM sealing of answer events with a per-attempt key made by WebCrypto as non-extractable:
 * the key object can be stored and used, its bytes can never be read out.
 */
export class AnswerSealer {
  constructor(private readonly subtle: SubtleCrypto = crypto.subtle) {}

  newKey(): Promise<CryptoKey> {
    return this.subtle.generateKey({ name: 'AES-GCM', length: 256 }, false, ['encrypt', 'decrypt']);
  }

  async seal(key: CryptoKey, attemptId: string, event: AnswerEvent): Promise<SealedEvent> {
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const plain = new TextEncoder().encode(JSON.stringify({ itemId: event.itemId, value: event.value }));
    const data = await this.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(attemptId, event.seq) }, key, plain);
    return { attemptId, seq: event.seq, iv, data };
  }

  /** The event, or null when it does not open (tampered, another key) or is not an answer. */
  async open(key: CryptoKey, sealed: SealedEvent): Promise<AnswerEvent | null> {
    try {
      const plain = await this.subtle.decrypt({ name: 'AES-GCM', iv: sealed.iv, additionalData: additionalData(sealed.attemptId, sealed.seq) }, key, sealed.data);
      const body = JSON.parse(new TextDecoder().decode(plain)) as { itemId?: unknown; value?: unknown };
      const value = AnswerValue.safeParse(body.value);
      if (typeof body.itemId !== 'string' || !value.success) return null;
      return { seq: sealed.seq, itemId: body.itemId, value: value.data };
    } catch {
      return null;
    }
  }
}

function done<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/**
 * The exam machine's offline answer queue in IndexedDB: every unacknowledged event sealed with the
 * attempt's key (kept in the same database as a non-extractable CryptoKey). Survives a reload and a
 * kiosk restart; nothing in it is readable without running this page's code on this machine.
 */
export class SealedAnswerQueue implements AnswerQueueStore {
  private db: Promise<IDBDatabase> | null = null;
  private readonly keys = new Map<string, Promise<CryptoKey>>();

  constructor(
    private readonly factory: IDBFactory = indexedDB,
    private readonly sealer = new AnswerSealer(),
  ) {}

  async load(attemptId: string): Promise<AnswerEvent[]> {
    const db = await this.open();
    const key = await this.key(attemptId);
    const range = IDBKeyRange.bound([attemptId, 0], [attemptId, Number.MAX_SAFE_INTEGER]);
    const sealed = (await done(db.transaction(EVENTS).objectStore(EVENTS).getAll(range))) as SealedEvent[];
    const events = await Promise.all(sealed.map((s) => this.sealer.open(key, s)));
    return events.filter((e): e is AnswerEvent => e !== null).sort((a, b) => a.seq - b.seq);
  }

  async append(attemptId: string, event: AnswerEvent): Promise<void> {
    const sealed = await this.sealer.seal(await this.key(attemptId), attemptId, event);
    const tx = (await this.open()).transaction(EVENTS, 'readwrite');
    tx.objectStore(EVENTS).put(sealed);
    await committed(tx);
  }

  async dropThrough(attemptId: string, seq: number): Promise<void> {
    const tx = (await this.open()).transaction(EVENTS, 'readwrite');
    tx.objectStore(EVENTS).delete(IDBKeyRange.bound([attemptId, 0], [attemptId, seq]));
    await committed(tx);
  }

  private open(): Promise<IDBDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const request = this.factory.open(DB_NAME, 1);
      request.onupgradeneeded = () => {
        request.result.createObjectStore(KEYS);
        request.result.createObjectStore(EVENTS, { keyPath: ['attemptId', 'seq'] });
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    return this.db;
  }

  /** The attempt's key: made once, stored as a non-extractable CryptoKey, reused after a reload. */
  private key(attemptId: string): Promise<CryptoKey> {
    let key = this.keys.get(attemptId);
    if (!key) {
      key = (async () => {
        const db = await this.open();
        const stored = (await done(db.transaction(KEYS).objectStore(KEYS).get(attemptId))) as CryptoKey | undefined;
        if (stored) return stored;
        const made = await this.sealer.newKey();
        const tx = db.transaction(KEYS, 'readwrite');
        // add, not put: if another tab raced us, its key wins and we read it back
        tx.objectStore(KEYS).add(made, attemptId);
        await committed(tx).catch(() => undefined);
        return ((await done(db.transaction(KEYS).objectStore(KEYS).get(attemptId))) as CryptoKey | undefined) ?? made;
      })();
      key.catch(() => this.keys.delete(attemptId));
      this.keys.set(attemptId, key);
    }
    return key;
  }
}
