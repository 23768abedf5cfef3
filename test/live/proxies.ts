/**
 * Real local proxies for the proxy tests (test/live/proxy-route.test.ts): an HTTP CONNECT proxy and a SOCKS5
 * proxy (RFC 1928, with RFC 1929 user/password), both on 127.0.0.1, that count the tunnels they carry and log
 * each target as the client sent it (a host name is not resolved by the client when it goes through a proxy).
 * `hosts` maps test names (kube.test) to 127.0.0.1: the proxy's own "DNS", as a real proxy resolves names.
 */
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface Tunnel {
  /** host:port as the client asked for it. */
  target: string;
  /** CONNECT: the Proxy-Authorization header; SOCKS5: "user:password" from the RFC 1929 exchange. */
  auth?: string;
  /** SOCKS5 address type: 'domain', 'ipv4' or 'ipv6'. */
  addressType?: string;
}

export interface TestProxy {
  url: string;
  port: number;
  tunnels: Tunnel[];
  close: () => Promise<void>;
}

function resolveTarget(hosts: Record<string, string>, host: string): string {
  return hosts[host] ?? host;
}

function listen(server: { listen: (port: number, host: string, cb: () => void) => unknown; address: () => AddressInfo | string | null }): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** HTTP CONNECT proxy; with `requireAuth` a tunnel without that Proxy-Authorization gets 407. */
/** A started proxy as the tests use it: its URL, the tunnels it carried, and a close that drops every connection. */
async function serving(server: Server, scheme: string, tunnels: Tunnel[], sockets: Set<Socket>): Promise<TestProxy> {
  const port = await listen(server);
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

export async function startConnectProxy(opts: { hosts?: Record<string, string>; requireAuth?: string } = {}): Promise<TestProxy> {
  const hosts = opts.hosts ?? {};
  const tunnels: Tunnel[] = [];
  const sockets = new Set<Socket>();
  const proxy = createHttpServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    const target = req.url ?? '';
    const auth = req.headers['proxy-authorization'];
    tunnels.push({ target, ...(typeof auth === 'string' ? { auth } : {}) });
    client.on('error', () => undefined);
    if (opts.requireAuth !== undefined && auth !== opts.requireAuth) {
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const i = target.lastIndexOf(':');
    const upstream = connect(Number(target.slice(i + 1)), resolveTarget(hosts, target.slice(0, i).replace(/^\[|\]$/g, '')), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  return serving(proxy, 'http', tunnels, sockets);
}

/** A SOCKS5 proxy (CONNECT only); with `user`/`password` it requires RFC 1929 authentication. */
export async function startSocks5Proxy(opts: { hosts?: Record<string, string>; user?: string; password?: string } = {}): Promise<TestProxy> {
  const hosts = opts.hosts ?? {};
  const tunnels: Tunnel[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    sockets.add(client);
    client.on('error', () => undefined);
    let buf = Buffer.alloc(0);
    let stage: 'greeting' | 'auth' | 'request' | 'open' = 'greeting';
    let auth: string | undefined;
    const onData = (chunk: Buffer): void => {
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (stage === 'greeting') {
          if (buf.length < 2 || buf.length < 2 + buf[1]!) return;
          const methods = [...buf.subarray(2, 2 + buf[1]!)];
          buf = buf.subarray(2 + buf[1]!);
          const want = opts.user !== undefined ? 0x02 : 0x00;
          if (!methods.includes(want)) {
            client.end(Buffer.from([0x05, 0xff]));
            return;
          }
          client.write(Buffer.from([0x05, want]));
          stage = want === 0x02 ? 'auth' : 'request';
        } else if (stage === 'auth') {
          // RFC 1929: VER(1) ULEN(1) UNAME PLEN(1) PASSWD
          if (buf.length < 2) return;
          const ulen = buf[1]!;
          if (buf.length < 3 + ulen) return;
          const plen = buf[2 + ulen]!;
          if (buf.length < 3 + ulen + plen) return;
          const user = buf.subarray(2, 2 + ulen).toString();
          const password = buf.subarray(3 + ulen, 3 + ulen + plen).toString();
          buf = buf.subarray(3 + ulen + plen);
          auth = `${user}:${password}`;
          const ok = user === opts.user && password === opts.password;
          client.write(Buffer.from([0x01, ok ? 0x00 : 0x01]));
          if (!ok) {
            tunnels.push({ target: '(authentication failed)', auth });
            client.end();
            return;
          }
          stage = 'request';
        } else if (stage === 'request') {
          // RFC 1928 section 4: VER CMD RSV ATYP DST.ADDR DST.PORT
          if (buf.length < 5) return;
          const atyp = buf[3]!;
          const addrLen = atyp === 0x01 ? 4 : atyp === 0x04 ? 16 : 1 + buf[4]!;
          if (buf.length < 4 + addrLen + 2) return;
          let host: string;
          let addressType: string;
          if (atyp === 0x01) {
            host = [...buf.subarray(4, 8)].join('.');
            addressType = 'ipv4';
          } else if (atyp === 0x04) {
            host = `[${[...Array(8).keys()].map((i) => buf.readUInt16BE(4 + 2 * i).toString(16)).join(':')}]`;
            addressType = 'ipv6';
          } else {
            host = buf.subarray(5, 5 + buf[4]!).toString();
            addressType = 'domain';
          }
          const port = buf.readUInt16BE(4 + addrLen);
          const rest = buf.subarray(4 + addrLen + 2);
          tunnels.push({ target: `${host}:${port}`, addressType, ...(auth !== undefined ? { auth } : {}) });
          stage = 'open';
          client.off('data', onData);
          const upstream = connect(port, resolveTarget(hosts, host.replace(/^\[|\]$/g, '')), () => {
            client.write(Buffer.from([0x05, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0]));
            if (rest.length > 0) upstream.write(rest);
            upstream.pipe(client);
            client.pipe(upstream);
          });
          sockets.add(upstream);
          upstream.on('error', () => client.end(Buffer.from([0x05, 0x05, 0x00, 0x01, 0, 0, 0, 0, 0, 0])));
          client.on('close', () => upstream.destroy());
          return;
        } else return;
      }
    };
    client.on('data', onData);
  });
  return serving(server, 'socks5', tunnels, sockets);
}
