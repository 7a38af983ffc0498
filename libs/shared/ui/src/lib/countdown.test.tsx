import { act, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Countdown, formatRemaining, remainingMs } from './countdown';

describe('formatRemaining', () => {
  it('formats hours, minutes and seconds with two digits', () => {
    expect(formatRemaining(0)).toBe('00:00:00');
    expect(formatRemaining(59_000)).toBe('00:00:59');
    expect(formatRemaining(61_000)).toBe('00:01:01');
    expect(formatRemaining((2 * 3600 + 30 * 60 + 5) * 1000)).toBe('02:30:05');
    expect(formatRemaining(150 * 3600 * 1000)).toBe('150:00:00');
  });

  it('rounds partial seconds up so zero means time is over', () => {
    expect(formatRemaining(1)).toBe('00:00:01');
    expect(formatRemaining(59_001)).toBe('00:01:00');
  });

  it('never shows a negative time', () => {
    expect(formatRemaining(-5_000)).toBe('00:00:00');
    expect(formatRemaining(Number.NaN)).toBe('00:00:00');
  });
});

describe('remainingMs', () => {
  it('measures against server time, not the client clock', () => {
    const endsAt = '2026-05-16T02:00:00.000Z';
    const clientNow = Date.parse('2026-05-16T01:00:00.000Z');
    expect(remainingMs(endsAt, 0, clientNow)).toBe(3_600_000);
    // client clock 10 minutes slow: server is later, less time left
    expect(remainingMs(endsAt, 600_000, clientNow)).toBe(3_000_000);
    expect(remainingMs(endsAt, 7_200_000, clientNow)).toBe(0);
  });
});

describe('<Countdown>', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-05-16T01:00:00.000Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('ticks down using the server offset and stops at zero', () => {
    render(<Countdown endsAt="2026-05-16T01:00:10.000Z" offsetMs={5_000} warnBelowMs={60_000} data-testid="remaining" />);
    const timer = screen.getByTestId('remaining');
    expect(timer.textContent).toBe('00:00:05');
    expect(timer.className).toContain('is-warning');
    act(() => {
      vi.advanceTimersByTime(3_000);
    });
    expect(timer.textContent).toBe('00:00:02');
    act(() => {
      vi.advanceTimersByTime(10_000);
    });
    expect(timer.textContent).toBe('00:00:00');
  });
});
