import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';
import type { AttemptEndedPush, AttemptTimePush, ReminderPush, RoomMessagePush, SessionView } from '@kaowu/contracts';

/** The one typed event map from the venue services to the socket gateways. */
export interface RoomEventMap {
  /** A room's phase changed: push the session view to every machine in the room. */
  sessionPhase: [roomCode: string, sessionId: string];
  /** One attempt was ended (time up, hand-in, forced). */
  attemptEnded: [push: AttemptEndedPush, roomCode: string];
  /** A machine or an attempt of the room changed (proctor seat map refresh). */
  roomChanged: [roomCode: string];
  /** An attempt was leased to a new machine: the old connection must stop writing. */
  leaseMoved: [attemptId: string, leaseEpoch: number];
  sessionView: [attemptId: string, view: SessionView];
  /** The 10-minute reminder for one attempt. */
  reminder: [push: ReminderPush];
  /** 暂停 / 恢复 / 补时 for one attempt. */
  timeChanged: [push: AttemptTimePush];
  /** 广播: a proctor's message for every screen of the room. */
  roomMessage: [push: RoomMessagePush];
  /** 核查无误: the proctor confirmed the room's results for sealing. */
  roomConfirmed: [roomCode: string, sessionId: string];
}

@Injectable()
export class RoomEvents {
  private readonly emitter = new EventEmitter();
  constructor() {
    this.emitter.setMaxListeners(50);
  }
  emit<K extends keyof RoomEventMap>(event: K, ...args: RoomEventMap[K]): void {
    this.emitter.emit(event, ...args);
  }
  on<K extends keyof RoomEventMap>(event: K, listener: (...args: RoomEventMap[K]) => void): () => void {
    this.emitter.on(event, listener as (...a: unknown[]) => void);
    return () => this.emitter.off(event, listener as (...a: unknown[]) => void);
  }
}
