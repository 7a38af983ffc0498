import type { Page, WebSocketRoute } from '@playwright/test';

/**
 * Sits in the page's socket.io websocket to the real venue server and can hold back what the
 * server sends (acks included) — to watch the screen before an acknowledgement arrives.
 * Everything is forwarded unchanged and in order.
 */
export class ServerMessageGate {
  private holding = false;
  private readonly held: { to: WebSocketRoute; message: string | Buffer }[] = [];

  static async install(page: Page): Promise<ServerMessageGate> {
    const gate = new ServerMessageGate();
    await page.routeWebSocket(/\/socket\.io\//, (ws) => {
      const server = ws.connectToServer();
      server.onMessage((message) => {
        if (gate.holding) gate.held.push({ to: ws, message });
        else ws.send(message);
      });
    });
    return gate;
  }

  hold(): void {
    this.holding = true;
  }

  /** Delivers everything held back, in order, then lets messages through again. */
  release(): number {
    this.holding = false;
    const held = this.held.splice(0);
    for (const { to, message } of held) to.send(message);
    return held.length;
  }
}
