import { backoffMs } from './result-uploader.service';

describe('upload retry backoff', () => {
  it('doubles per failure up to the cap, with half of each step left to chance', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 100, 5_000, () => 0))).toEqual([50, 100, 200, 400]);
    expect([1, 2, 3, 4].map((n) => backoffMs(n, 100, 5_000, () => 1))).toEqual([100, 200, 400, 800]);
    expect(backoffMs(20, 100, 5_000, () => 0.5)).toBe(3_750);
  });
});
