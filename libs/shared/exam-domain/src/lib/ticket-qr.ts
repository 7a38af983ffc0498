import { AdmissionTicketQrBody } from '@kaowu/contracts';
import { CryptoError, PartyKeys, PartyPublicKeys, SignedDocument, signDocument, verifyDocument } from '@kaowu/crypto';

/**
 * 准考证二维码: the ticket's facts signed by the province, so a venue (or a proctor's device)
 * checks a printed ticket offline with the province's public key alone.
 *
 * Text form, short on purpose (a smaller QR symbol prints and scans better):
 * `KWT1|keyId|signature|sittingCode|ticketNo|idNo|seat,seat,…|issuedAt|name` — the signature is
 * over the canonical JSON of the body, so the fields cannot be changed one by one.
 */
const PREFIX = 'KWT1';

export function signTicketQr(body: AdmissionTicketQrBody, province: PartyKeys): string {
  const b = AdmissionTicketQrBody.parse(body);
  const { signature } = signDocument(b, province);
  return [PREFIX, signature.keyId, signature.value, b.sittingCode, b.ticketNo, b.idNo, b.seats.join(','), b.issuedAt, b.name].join('|');
}

export type TicketQrProblem = 'QR_FORMAT' | 'QR_UNKNOWN_SIGNER' | 'QR_BAD_SIGNATURE';

export class TicketQrError extends Error {
  constructor(
    readonly reason: TicketQrProblem,
    message: string,
  ) {
    super(message);
  }
}

/** The ticket facts when the QR text carries a valid province signature; TicketQrError otherwise. */
export function verifyTicketQr(text: string, province: PartyPublicKeys | PartyPublicKeys[]): AdmissionTicketQrBody {
  const parts = text.split('|');
  if (parts[0] !== PREFIX || parts.length < 9) throw new TicketQrError('QR_FORMAT', 'not a Kaowu admission ticket code');
  const [, keyId, value, sittingCode, ticketNo, idNo, seats, issuedAt] = parts;
  const parsed = AdmissionTicketQrBody.safeParse({ format: 'kaowu.ticket', version: 1, sittingCode, ticketNo, idNo, name: parts.slice(8).join('|'), seats: seats.split(','), issuedAt });
  if (!parsed.success) throw new TicketQrError('QR_FORMAT', 'the ticket code does not carry ticket facts');
  const doc: SignedDocument<AdmissionTicketQrBody> = { body: parsed.data, signature: { alg: 'ed25519', keyId, value } };
  try {
    return verifyDocument(doc, province);
  } catch (error) {
    const code = error instanceof CryptoError ? error.code : 'BAD_FORMAT';
    if (code === 'UNKNOWN_SIGNER') throw new TicketQrError('QR_UNKNOWN_SIGNER', 'signed by a key that is not the province');
    if (code === 'BAD_SIGNATURE') throw new TicketQrError('QR_BAD_SIGNATURE', 'the ticket code was altered or forged');
    throw new TicketQrError('QR_FORMAT', 'the ticket code is malformed');
  }
}
