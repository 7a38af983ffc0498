import sodium from 'libsodium-wrappers-sumo';

// The wrapper object is filled in only once the WASM module has loaded; until then its
// functions are undefined and fail with an opaque TypeError, hence the explicit guard.
let ready = false;

/** Loads libsodium. Idempotent; must be awaited once before any other function of this library. */
export async function initCrypto(): Promise<void> {
  await sodium.ready;
  ready = true;
}

/** The libsodium wrapper, or a clear error if initCrypto() has not completed. */
export function lib(): typeof sodium {
  if (!ready) {
    // Someone may have awaited sodium.ready directly; accept that too.
    if (typeof sodium.crypto_secretstream_xchacha20poly1305_init_push !== 'function') {
      throw new Error('@kaowu/crypto: libsodium is not ready; call `await initCrypto()` first');
    }
    ready = true;
  }
  return sodium;
}
