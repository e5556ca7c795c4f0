// A TCP proxy between the service and its database, for outage tests: `cut()` kills every
// open connection and resets new ones (the database is gone), `stall()` holds the
// replies so a statement stays in flight, `restore()` forwards again.
import { AddressInfo, createServer, Server, Socket } from 'node:net';

export class TcpProxy {
  private mode: 'forward' | 'stalled' | 'cut' = 'forward';
  private readonly pairs = new Set<[Socket, Socket]>();

  private constructor(
    private readonly server: Server,
    private readonly target: { host: string; port: number },
  ) {
    server.on('connection', (client) => this.accept(client));
  }

  static async start(target: { host: string; port: number }): Promise<TcpProxy> {
    const server = createServer();
    const proxy = new TcpProxy(server, target);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** `url` with its host and port replaced by the proxy's. */
  proxiedUrl(url: string): string {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  /** The database is gone: open connections die, new ones are reset at once. */
  cut(): void {
    this.mode = 'cut';
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    this.pairs.clear();
  }

  /** Replies from the database are held (not lost) until restore() or cut(). */
  stall(): void {
    this.mode = 'stalled';
    for (const [, upstream] of this.pairs) upstream.pause();
  }

  restore(): void {
    this.mode = 'forward';
    for (const [, upstream] of this.pairs) upstream.resume();
  }

  get openConnections(): number {
    return this.pairs.size;
  }

  async close(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode === 'cut') {
      client.destroy();
      return;
    }
    const upstream = new Socket();
    const pair: [Socket, Socket] = [client, upstream];
    this.pairs.add(pair);
    const drop = () => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    upstream.connect(this.target.port, this.target.host);
    if (this.mode === 'stalled') upstream.pause();
    client.pipe(upstream);
    upstream.pipe(client);
  }
}
