import { initCrypto } from './sodium';
import { generatePartyKeys, publicKeysOf } from './keys';
import { utf8 } from './encoding';
import { parseVenueAuthorization, signVenueRequest, verifyVenueRequest } from './request-signature';

beforeAll(() => initCrypto());

describe('venue request signatures', () => {
  const req = { method: 'GET', pathAndQuery: '/api/v1/venue-packages/V001/S1', atMs: 1_790_000_000_000 };

  it('verifies for the signing venue and exactly the signed request', () => {
    const venue = generatePartyKeys('venue-V001');
    const header = signVenueRequest(venue, { ...req, body: utf8('{"a":1}') });
    const auth = parseVenueAuthorization(header)!;
    expect(auth).toMatchObject({ keyId: venue.keyId, atMs: req.atMs });
    const pk = publicKeysOf(venue).signingPublicKey;
    expect(verifyVenueRequest(auth, { method: 'GET', pathAndQuery: req.pathAndQuery, body: utf8('{"a":1}') }, pk)).toBe(true);
    // another path, another body, another method, another venue's key: refused
    expect(verifyVenueRequest(auth, { method: 'GET', pathAndQuery: '/api/v1/venue-packages/V002/S1', body: utf8('{"a":1}') }, pk)).toBe(false);
    expect(verifyVenueRequest(auth, { method: 'GET', pathAndQuery: req.pathAndQuery, body: utf8('{"a":2}') }, pk)).toBe(false);
    expect(verifyVenueRequest(auth, { method: 'POST', pathAndQuery: req.pathAndQuery, body: utf8('{"a":1}') }, pk)).toBe(false);
    expect(verifyVenueRequest(auth, { method: 'GET', pathAndQuery: req.pathAndQuery, body: utf8('{"a":1}') }, publicKeysOf(generatePartyKeys('venue-V002')).signingPublicKey)).toBe(false);
  });

  it('reads nothing from a header that is not a venue signature', () => {
    expect(parseVenueAuthorization(undefined)).toBeNull();
    expect(parseVenueAuthorization('Bearer abc')).toBeNull();
    expect(parseVenueAuthorization('Kaowu-Venue keyId="v", at="soon", sig="x"')).toBeNull();
  });
});
