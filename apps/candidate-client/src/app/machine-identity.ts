import { EXAM_PROTOCOL, MachineHello } from '@kaowu/contracts';

/**
 * The kiosk opens `/?room=R01&seat=3&machine=M-R01-03&k=<attestation>`; that URL is this
 * machine's identity for machine:hello. Without `k` (a plain browser) the hello still goes out, so
 * the venue refuses it with MACHINE_NOT_ATTESTED and the screen says why.
 */
export function readMachineIdentity(search: string): { ok: true; hello: MachineHello } | { ok: false; field: string } {
  const params = new URLSearchParams(search);
  const seat = params.get('seat');
  const parsed = MachineHello.safeParse({
    protocol: EXAM_PROTOCOL,
    machineId: params.get('machine') ?? '',
    roomCode: params.get('room') ?? '',
    seatNo: seat !== null && /^\d+$/.test(seat) ? Number(seat) : Number.NaN,
    attestation: params.get('k') ?? '',
  });
  if (parsed.success) return { ok: true, hello: parsed.data };
  const urlParam: Record<string, string> = { machineId: 'machine', roomCode: 'room', seatNo: 'seat', attestation: 'k' };
  const field = String(parsed.error.issues[0]?.path[0] ?? '');
  return { ok: false, field: urlParam[field] ?? field };
}
