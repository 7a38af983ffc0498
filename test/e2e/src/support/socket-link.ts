import type { Page, WebSocketRoute } from '@playwright/test';

/**
 * The exam page's socket.io link to the venue, under the test's control: cut it (open sockets are
 * closed and new ones refused, as when the network cable is pulled), or let it through but drop
 * the answer saves the page sends (the venue never sees them). Frames pass unchanged otherwise.
 */
export class SocketLink {
  private mode: 'open' | 'down' | 'drop-saves' = 'open';
  private readonly open = new Set<WebSocketRoute>();

  static async install(page: Page): Promise<SocketLink> {
    const link = new SocketLink(page);
    // While the network is down new sockets are not routed: they meet Chromium's offline network and
    // fail before they open, as a pulled cable makes them fail (socket.io then retries at once).
    await page.routeWebSocket(
      (url) => /\/socket\.io\//.test(url.pathname) && link.mode !== 'down',
      (ws) => {
        const server = ws.connectToServer();
        link.open.add(ws);
        ws.onClose(() => link.open.delete(ws));
        ws.onMessage((message) => {
          if (link.mode === 'drop-saves' && typeof message === 'string' && message.includes('"answer:save"')) return;
          server.send(message);
        });
        server.onMessage((message) => ws.send(message));
        server.onClose(() => void ws.close().catch(() => undefined));
      },
    );
    return link;
  }

  private constructor(private readonly page: Page) {}

  /** The network goes down: every open socket closes, new ones fail. */
  async cut(): Promise<void> {
    this.mode = 'down';
    await this.page.context().setOffline(true);
    await Promise.all([...this.open].map((ws) => ws.close({ code: 4000, reason: 'network down' }).catch(() => undefined)));
    this.open.clear();
  }

  /** Saves leave the page but never reach the venue (everything else passes). */
  dropSaves(): void {
    this.mode = 'drop-saves';
  }

  async restore(): Promise<void> {
    this.mode = 'open';
    await this.page.context().setOffline(false);
  }
}
