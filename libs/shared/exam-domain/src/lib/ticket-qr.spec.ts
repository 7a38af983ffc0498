import { AdmissionTicketQrBody } from '@kaowu/contracts';
import { generatePartyKeys, initCrypto, publicKeysOf } from '@kaowu/crypto';
import { TicketQrError, signTicketQr, verifyTicketQr } from './ticket-qr';

const body: AdmissionTicketQrBody = {
  format: 'kaowu.ticket', version: 1, sittingCode: 'ZJ2026', ticketNo: '2600000001', idNo: '11010519491231002X', name: '张三',
  seats: ['ZJSW/B1/V0001/R01/1', 'CWGL/B1/V0001/R01/1', 'JJF/B1/V0001/R01/1'], issuedAt: '2026-08-20T00:00:00.000Z',
};

const reasonOf = (f: () => unknown) => {
  try {
    f();
  } catch (error) {
    return error instanceof TicketQrError ? error.reason : 'other';
  }
  return 'accepted';
};

describe('准考证二维码 (signed ticket QR)', () => {
  beforeAll(() => initCrypto());

  it('verifies a code signed by the province and returns the ticket facts', () => {
    const province = generatePartyKeys('province');
    expect(verifyTicketQr(signTicketQr(body, province), publicKeysOf(province))).toEqual(body);
  });

  it('refuses an altered seat, a code signed by another key, and text that is no ticket code', () => {
    const province = generatePartyKeys('province');
    const qr = signTicketQr(body, province);
    const altered = qr.replace('R01/1', 'R02/9');
    expect(altered).not.toBe(qr);
    expect(reasonOf(() => verifyTicketQr(altered, publicKeysOf(province)))).toBe('QR_BAD_SIGNATURE');
    // signed by another key that claims the province's key id
    const forged = signTicketQr(body, generatePartyKeys('province')).split('|');
    forged[1] = province.keyId;
    expect(reasonOf(() => verifyTicketQr(forged.join('|'), publicKeysOf(province)))).toBe('QR_BAD_SIGNATURE');
    expect(reasonOf(() => verifyTicketQr(qr.replace('|张三', '|李四'), publicKeysOf(province)))).toBe('QR_BAD_SIGNATURE');
    expect(reasonOf(() => verifyTicketQr(signTicketQr(body, generatePartyKeys('venue-V001')), publicKeysOf(province)))).toBe('QR_UNKNOWN_SIGNER');
    expect(reasonOf(() => verifyTicketQr('https://example.com/ticket', publicKeysOf(province)))).toBe('QR_FORMAT');
    expect(reasonOf(() => verifyTicketQr('KWT1|broken', publicKeysOf(province)))).toBe('QR_FORMAT');
    expect(qr.length).toBeLessThan(260); // fits a small QR symbol
  });
});
