import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initCrypto } from '@kaowu/crypto';
import { MockExamClock, SimulatedCandidate, SittingHarness, startSittingHarness, venueJson } from '@kaowu/testing';
import { VenueConfigSchema, createVenueServer, ensureVenueTls } from '@kaowu/venue-core';

const T0 = new Date('2026-09-09T02:00:00Z');

/** Exam machines reach the venue only over HTTPS/WSS with the venue certificate. */
describe('venue HTTPS/WSS with the venue CA', () => {
  const workDir = mkdtempSync(join(tmpdir(), 'kaowu-tls-'));
  const clock = new MockExamClock(new Date(T0.getTime() - 20 * 60_000), 1);
  let h: SittingHarness;
  const people: SimulatedCandidate[] = [];

  beforeAll(async () => {
    await initCrypto();
    h = await startSittingHarness({ candidates: 2, workDir, databaseUrl: process.env.DATABASE_URL, durationMinutes: 120, T0, clock, venueTls: true });
  });
  afterAll(async () => {
    people.forEach((p) => p.close());
    await h?.close();
    rmSync(workDir, { recursive: true, force: true });
  });

  const seatOf = (i: number) => {
    const c = h.roster.candidates[i];
    return { roomCode: c.roomCode, seatNo: c.seatNo, ticketNo: c.ticketNo, idNo: c.idNo };
  };

  it('serves the exam protocol over WSS to a machine that trusts the venue CA', async () => {
    expect(h.venue.url).toMatch(/^https:\/\//);
    expect(h.venue.tls?.caFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const p = new SimulatedCandidate(h.venue.url, seatOf(0), h.kioskKey, undefined, { ca: h.venue.tls!.caPem });
    people.push(p);
    await p.connect();
    const login = await p.logIn();
    expect(login.session.phase).toBe('login_open');
    // the CA a kiosk installs is published for technicians
    expect(await venueJson<{ caPem: string }>(`${h.venue.url}/api/v1/tls/ca`, { ca: h.venue.tls!.caPem })).toEqual({ caPem: h.venue.tls!.caPem });
  });

  it('is refused by a machine that does not trust the venue CA, or trusts another venue', async () => {
    const stranger = new SimulatedCandidate(h.venue.url, seatOf(1), h.kioskKey);
    people.push(stranger);
    const certificateRefused = (e: { message?: string; description?: { message?: string } }) => `${e.message} ${e.description?.message ?? ''}`;
    expect(certificateRefused(await stranger.connect().then(() => ({ message: 'connected' }), (e) => e))).toMatch(/self-signed certificate/);
    const otherVenue = await ensureVenueTls(join(workDir, 'other-venue-tls'), ['kaowu-venue.local', '127.0.0.1'], 'V999');
    const misled = new SimulatedCandidate(h.venue.url, seatOf(1), h.kioskKey, undefined, { ca: otherVenue.caPem });
    people.push(misled);
    expect(certificateRefused(await misled.connect().then(() => ({ message: 'connected' }), (e) => e))).toMatch(/certificate/);
    await expect(venueJson(`${h.venue.url}/api/v1/venue-keys`)).rejects.toThrow(/certificate/);
  });

  it('keeps its CA across restarts and re-issues the server certificate when the names change', async () => {
    const dir = join(workDir, 'venue', 'tls');
    const again = await ensureVenueTls(dir, h.venue.tls!.hostnames, 'V001');
    expect(again).toMatchObject({ issued: 'none', caPem: h.venue.tls!.caPem, certPem: h.venue.tls!.certPem });
    const renamed = await ensureVenueTls(dir, ['kc-2.venue.local', '10.1.2.3'], 'V001');
    expect(renamed.issued).toBe('server');
    expect(renamed.caPem).toBe(h.venue.tls!.caPem);
    expect(renamed.certPem).not.toBe(h.venue.tls!.certPem);
  });

  it('refuses to serve plain HTTP on anything but loopback', async () => {
    const config = VenueConfigSchema.parse({ VENUE_HOST: '0.0.0.0', VENUE_TLS: 'off', VENUE_DATA_DIR: join(workDir, 'plain'), PROVINCE_URL: h.province.url });
    await expect(createVenueServer(config, { quiet: true })).rejects.toThrow(/VENUE_TLS=off is allowed only on loopback/);
  });
});
