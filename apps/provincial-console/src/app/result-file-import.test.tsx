import { LanguageProvider } from '@kaowu/ui';
import { fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ResultFileImport } from './result-file-import';

const digest = 'ab'.repeat(32);
const receipt = {
  body: {
    format: 'kaowu.receipt', version: 1, packageId: 'V001-S1-R01', manifestSha256: 'cd'.repeat(32), venueCode: 'V001', roomCode: 'R01', sessionId: 'S1',
    attemptsImported: 30, answersImported: 612, receivedAt: '2026-09-09T04:10:00.000Z',
  },
  signature: { alg: 'ed25519', keyId: 'province', value: 'c2lnbmF0dXJl' },
};
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

function choose(onImported = vi.fn()) {
  render(
    <LanguageProvider>
      <ResultFileImport onImported={onImported} />
    </LanguageProvider>,
  );
  fireEvent.change(screen.getByLabelText('数据包文件（.kwr）'), { target: { files: [new File(['{"manifest":{}}'], 'V001-S1-R01.kwr')] } });
  fireEvent.change(screen.getByLabelText('校验文件（.sha256）'), { target: { files: [new File([`${digest}  V001-S1-R01.kwr\n`], 'V001-S1-R01.kwr.sha256')] } });
  fireEvent.click(screen.getByRole('button', { name: '校验并导入' }));
  return onImported;
}

afterEach(() => vi.unstubAllGlobals());

describe('离线导入考场数据包', () => {
  it('sends the file with the digest from its checksum file and shows the signed receipt', async () => {
    const fetchMock = vi.fn(async (_url: string, _init?: RequestInit) => json(receipt));
    vi.stubGlobal('fetch', fetchMock);
    const onImported = choose();
    expect((await screen.findByRole('status')).textContent).toBe('已接收：V001-S1-R01，考生 30 人，作答 612 条。回执已由省级签名。');
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe('/api/v1/result-files');
    expect(init?.headers).toMatchObject({ 'x-package-sha256': digest, 'content-type': 'application/octet-stream' });
    expect(onImported).toHaveBeenCalledTimes(1);
  });

  it('shows the refusal code and the reason in Chinese, and refreshes nothing', async () => {
    vi.stubGlobal('fetch', vi.fn(async () => json({ code: 'UPLOAD_CHECKSUM_MISMATCH', message: '数据包文件与校验文件不符', messageEn: 'mismatch', field: 'file' }, 422)));
    const onImported = choose();
    expect((await screen.findByRole('alert')).textContent).toBe('拒绝导入（UPLOAD_CHECKSUM_MISMATCH）：数据包文件与校验文件不符');
    expect(onImported).not.toHaveBeenCalled();
  });
});
