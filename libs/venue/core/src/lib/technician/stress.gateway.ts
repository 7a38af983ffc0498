import { Inject } from '@nestjs/common';
import { MessageBody, OnGatewayConnection, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io';
import { Ack, STRESS_NAMESPACE } from '@kaowu/contracts';
import { toErrorBody } from '@kaowu/server-kit';
import { StressTestService } from './stress-test.service';

/** The 压力测试's sandbox endpoint: only the running test's own simulated machines get in. */
@WebSocketGateway({ namespace: STRESS_NAMESPACE, transports: ['websocket'] })
export class StressGateway implements OnGatewayConnection {
  constructor(@Inject(StressTestService) private readonly stress: StressTestService) {}

  handleConnection(socket: Socket): void {
    if (!this.stress.acceptsToken((socket.handshake.auth as { runToken?: unknown } | undefined)?.runToken)) socket.disconnect(true);
  }

  @SubscribeMessage('stress:save')
  async save(@MessageBody() body: unknown): Promise<Ack<null>> {
    try {
      await this.stress.accept(body);
      return { ok: true, data: null };
    } catch (error) {
      return { ok: false, error: toErrorBody(error) };
    }
  }
}
