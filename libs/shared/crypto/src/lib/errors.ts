/** Every failure this library reports on purpose carries one of these codes, so callers can branch without parsing messages. */
export type CryptoErrorCode =
  | 'BAD_SIGNATURE'
  | 'UNKNOWN_SIGNER'
  | 'TAMPERED'
  | 'TRUNCATED'
  | 'WRONG_RECIPIENT'
  | 'WRONG_PASSPHRASE'
  | 'RECORD_DROPPED'
  | 'RECORD_REORDERED'
  | 'CHAIN_BROKEN'
  | 'BAD_FORMAT';

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoError';
    this.code = code;
  }
}
