/** Messages between the Playwright worker and the harness process (plain JSON over IPC). */
export interface RosterEntry {
  ticketNo: string;
  idNo: string;
  name: string;
  roomCode: string;
  seatNo: number;
}

export interface HarnessReady {
  type: 'ready';
  venueUrl: string;
  /** The provincial REST API, `…/api/v1`. */
  api: string;
  kioskKey: string;
  database: 'embedded' | 'postgres';
  T0: string;
  durationMinutes: number;
  candidates: RosterEntry[];
}

export type HarnessRequest =
  | { type: 'clock'; id: number; at: string; speed: number }
  | { type: 'now'; id: number }
  | { type: 'close'; id: number }
  /** Stop the venue server (graceful close) and start it again on the same port and data. */
  | { type: 'restartVenue'; id: number }
  /** The candidate's current answers as the venue database holds them. */
  | { type: 'answers'; id: number; ticketNo: string }
  /** The venue's link to the province (E2E_PROVINCE_LINK=proxy): up, or down (every connection dropped). */
  | { type: 'provinceLink'; id: number; up: boolean };

export interface HarnessReply {
  type: 'reply';
  id: number;
  /** The harness clock right after the request was handled. */
  now: string;
  /** For `answers`: item id → stored answer value. */
  answers?: Record<string, unknown>;
  /** Set when the request failed. */
  error?: string;
}
