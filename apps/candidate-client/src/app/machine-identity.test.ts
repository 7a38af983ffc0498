import { describe, expect, it } from 'vitest';
import { readMachineIdentity } from './machine-identity';

describe('readMachineIdentity', () => {
  it('reads room, seat, machine and attestation from the kiosk URL', () => {
    expect(readMachineIdentity('?room=R01&seat=3&machine=M-R01-03&k=abc')).toEqual({
      ok: true,
      hello: { protocol: 'kaowu.exam/1', machineId: 'M-R01-03', roomCode: 'R01', seatNo: 3, attestation: 'abc' },
    });
  });

  it('names the missing or malformed URL parameter', () => {
    expect(readMachineIdentity('?seat=3&machine=M-R01-03&k=abc')).toEqual({ ok: false, field: 'room' });
    expect(readMachineIdentity('?room=R01&seat=x&machine=M&k=a')).toEqual({ ok: false, field: 'seat' });
    expect(readMachineIdentity('?room=R%2001&seat=3&machine=M&k=a')).toEqual({ ok: false, field: 'room' });
  });

  it('lets a plain browser without the attestation key say hello, for the venue to refuse', () => {
    expect(readMachineIdentity('?room=R01&seat=3&machine=M-R01-03')).toMatchObject({ ok: true, hello: { attestation: '' } });
  });
});
