import { LanguageProvider } from '@kaowu/ui';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { CompletenessDashboard } from './completeness-dashboard';

const base = { venueName: '第一考点', sessionId: 'S1', startsAt: '2026-09-09T02:00:00.000Z', endsAt: '2026-09-09T04:00:00.000Z', deadlineAt: '2026-09-09T04:30:00.000Z', receivedLate: false, confirmedBytes: null, totalBytes: null, errorCode: null, errorMessage: null };
const completeness = {
  sessionId: 'S1',
  serverTime: '2026-09-09T04:40:00.000Z',
  counts: { not_started: 0, in_progress: 0, awaiting_upload: 0, sealed: 0, uploaded: 0, verified: 1, late: 1, failed: 0 },
  rooms: [
    { ...base, venueCode: 'V001', roomCode: 'R01', state: 'verified', secondsToDeadline: -600, expectedCandidates: 30, presentCandidates: 29, packageId: 'V001-S1-R01', receivedAt: '2026-09-09T04:01:00.000Z' },
    { ...base, venueCode: 'V001', roomCode: 'R02', state: 'late', secondsToDeadline: -600, expectedCandidates: 30, presentCandidates: null, packageId: null, receivedAt: null },
  ],
};
const detail = {
  manifest: {
    body: {
      format: 'kaowu.result-package', version: 2, packageId: 'V001-S1-R01', venueCode: 'V001', venueKeyId: 'k', roomCode: 'R01', sessionId: 'S1', paperId: 'P1',
      closedAt: '2026-09-09T04:00:00.000Z', expectedCandidates: 30, presentCandidates: 29,
      attempts: [{ attemptId: 'a1', ticketNo: '20260520100001', status: 'ended', answerCount: 20, lastSeq: 20, chainHead: 'a'.repeat(64), finalAnswersSha256: 'b'.repeat(64) }],
      incidents: [{ auditId: 7, auditHash: 'c'.repeat(64), at: '2026-09-09T02:30:00.000Z', action: 'venue.paused', actor: 'technician', ticketNo: null, reason: '考点停电' }],
      auditHead: { auditId: 90, hash: 'd'.repeat(64) },
      payload: { sha256: 'e'.repeat(64), bytes: 1000 },
    },
    signature: { alg: 'ed25519', keyId: 'k', value: 'c2ln' },
  },
  receipt: {
    body: { format: 'kaowu.receipt', version: 1, packageId: 'V001-S1-R01', manifestSha256: 'f'.repeat(64), venueCode: 'V001', roomCode: 'R01', sessionId: 'S1', attemptsImported: 30, answersImported: 580, receivedAt: '2026-09-09T04:01:00.000Z' },
    signature: { alg: 'ed25519', keyId: 'p', value: 'c2ln' },
  },
  absent: [{ ticketNo: '20260520100030', name: '王五' }],
};
const json = (body: unknown) => new Response(JSON.stringify(body), { status: 200, headers: { 'content-type': 'application/json' } });

afterEach(() => vi.unstubAllGlobals());

describe('回收完整性看板', () => {
  it('shows a late room against the deadline and opens a verified room to its manifest', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) =>
        json(url.endsWith('/completeness/sessions') ? [{ sessionId: 'S1', startsAt: base.startsAt, endsAt: base.endsAt, venues: 1 }] : url.endsWith('/completeness') ? completeness : detail),
      ),
    );
    render(
      <LanguageProvider>
        <CompletenessDashboard />
      </LanguageProvider>,
    );
    const late = (await screen.findByText('R02')).closest('tr') as HTMLElement;
    expect(within(late).getByText('超时未交')).toBeTruthy();
    expect(within(late).getByText('(已超时 10 分钟)')).toBeTruthy();
    expect(screen.getByTestId('count-late').textContent).toBe('超时未交 1');

    fireEvent.click(screen.getByText('R01'));
    expect(await screen.findByText('20260520100030 王五')).toBeTruthy();
    expect(screen.getByText('考点停电')).toBeTruthy();
    expect(screen.getByText('考场数据包 V001-S1-R01')).toBeTruthy();
  });
});
