import { AddressInfo, Server, Socket, createServer, connect } from 'node:net';

/**
 * A TCP proxy that cuts connections: after a planned number of bytes from the client it
 * forwards exactly up to that byte and destroys both sides, as a flaky WAN link would.
 * While held, new connections wait (the client's bytes are buffered) until released; while
 * down, every connection is dropped at once (the link is gone).
 */
export class CuttingProxy {
  private server: Server;
  private target?: { host: string; port: number };
  private gaps: number[] = [];
  private sinceCut = 0;
  private held: Socket[] = [];
  private sockets = new Set<Socket>();
  private holding = false;
  private isDown = false;
  cuts = 0;
  upstreamBytes = 0;
  /** Offsets of every chunk PUT the proxy saw, in order. */
  chunkOffsets: number[] = [];

  private constructor() {
    this.server = createServer((client) => this.accept(client));
  }

  static async start(): Promise<CuttingProxy> {
    const proxy = new CuttingProxy();
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  forwardTo(url: string): void {
    const u = new URL(url);
    this.target = { host: u.hostname, port: Number(u.port) };
  }

  /** The link goes down: open connections (kept alive by the client) are dropped, new ones wait. */
  hold(): void {
    this.holding = true;
    for (const s of this.sockets) s.destroy();
  }

  /** The link is gone: open connections drop, new ones are closed at once. */
  down(): void {
    this.isDown = true;
    for (const s of this.sockets) s.destroy();
  }

  up(): void {
    this.isDown = false;
  }

  /** Cut after each of these many client bytes (counted across connections), then pass the rest. */
  release(gaps: number[]): void {
    this.gaps = [...gaps];
    this.sinceCut = 0;
    this.holding = false;
    for (const client of this.held.splice(0)) this.pipe(client);
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    this.sockets.add(client);
    client.on('close', () => this.sockets.delete(client));
    client.on('error', () => client.destroy());
    if (this.isDown) client.destroy();
    else if (this.holding) {
      client.pause();
      this.held.push(client);
    } else this.pipe(client);
  }

  private pipe(client: Socket): void {
    const upstream = connect(this.target!.port, this.target!.host);
    this.sockets.add(upstream);
    upstream.on('close', () => {
      this.sockets.delete(upstream);
      client.destroy();
    });
    upstream.on('error', () => upstream.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('data', (d) => client.write(d));
    client.on('data', (buf: Buffer) => {
      for (const m of buf.toString('latin1').matchAll(/PUT \/api\/v1\/result-uploads\/\w+\/chunks\/(\d+) HTTP/g)) this.chunkOffsets.push(Number(m[1]));
      const left = this.gaps.length > 0 ? this.gaps[0] - this.sinceCut : Infinity;
      if (buf.length >= left) {
        upstream.write(buf.subarray(0, left), () => upstream.destroy());
        this.upstreamBytes += left;
        this.gaps.shift();
        this.sinceCut = 0;
        this.cuts++;
        client.destroy();
        return;
      }
      this.sinceCut += buf.length;
      this.upstreamBytes += buf.length;
      upstream.write(buf);
    });
    client.resume();
  }
}
