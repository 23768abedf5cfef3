/**
 * A minimal local HTTPS "API server" for credential tests: a test CA (made with openssl at test time, in a
 * temp directory; no key is committed), a server certificate for 127.0.0.1 and `kube.test` (or only
 * `kube.test`, for tls-server-name), a client certificate signed by the same CA, and a server that asks for
 * client certificates and answers GET /version with 200 or 401 as the test decides. Every request's
 * Authorization header, Impersonate-* headers and verified client certificate CN are logged. An HTTP
 * CONNECT proxy is available for proxy-url tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage } from 'node:http';
import { createServer, type Server } from 'node:https';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';

export interface TestPki {
  dir: string;
  caPem: string;
  /** Files in `dir`: ca.crt, client.crt, client.key (and the server's). */
  clientCertPem: string;
  clientKeyPem: string;
  /** A second client certificate from another CA: the server rejects it. */
  otherCertPem: string;
  otherKeyPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  /** A server certificate valid only for DNS:kube.test (not 127.0.0.1). */
  sniCertPem: string;
  sniKeyPem: string;
}

function openssl(args: string[]): void {
  execFileSync('openssl', args, { stdio: 'pipe' });
}

const EC = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

function issue(dir: string, name: string, subj: string, ext: string, ca: string): void {
  openssl(['req', ...EC, '-keyout', join(dir, `${name}.key`), '-out', join(dir, `${name}.csr`), '-subj', subj]);
  writeFileSync(join(dir, `${name}.ext`), `${ext}\n`);
  openssl(['x509', '-req', '-in', join(dir, `${name}.csr`), '-CA', join(dir, `${ca}.crt`), '-CAkey', join(dir, `${ca}.key`), '-CAcreateserial', '-out', join(dir, `${name}.crt`), '-days', '2', '-extfile', join(dir, `${name}.ext`)]);
}

export function makePki(): TestPki {
  const dir = mkdtempSync(join(tmpdir(), 'gwe-pki-'));
  for (const ca of ['ca', 'other-ca']) {
    openssl(['req', '-x509', ...EC, '-keyout', join(dir, `${ca}.key`), '-out', join(dir, `${ca}.crt`), '-days', '2', '-subj', `/CN=${ca}`, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign']);
  }
  issue(dir, 'server', '/CN=kube-apiserver', 'subjectAltName=IP:127.0.0.1,DNS:localhost,DNS:kube.test', 'ca');
  issue(dir, 'sni', '/CN=kube.test', 'subjectAltName=DNS:kube.test', 'ca');
  issue(dir, 'client', '/CN=alice/O=auditors', 'extendedKeyUsage=clientAuth', 'ca');
  issue(dir, 'other', '/CN=mallory', 'extendedKeyUsage=clientAuth', 'other-ca');
  const r = (f: string): string => readFileSync(join(dir, f), 'utf8');
  return {
    dir,
    caPem: r('ca.crt'),
    clientCertPem: r('client.crt'),
    clientKeyPem: r('client.key'),
    otherCertPem: r('other.crt'),
    otherKeyPem: r('other.key'),
    serverCertPem: r('server.crt'),
    serverKeyPem: r('server.key'),
    sniCertPem: r('sni.crt'),
    sniKeyPem: r('sni.key'),
  };
}

export interface SeenRequest {
  path: string;
  authorization?: string;
  impersonate: Record<string, string | string[]>;
  /** CN of a client certificate that the server verified against the test CA. */
  clientCN?: string;
}

export interface TestServer {
  url: string;
  port: number;
  seen: SeenRequest[];
  close: () => Promise<void>;
}

/** Starts the server; `accept` decides 200 (true) or 401 per request. */
export async function startTlsServer(pki: TestPki, accept: (r: SeenRequest) => boolean, opts: { sniOnly?: boolean } = {}): Promise<TestServer> {
  const seen: SeenRequest[] = [];
  const server: Server = createServer(
    { key: opts.sniOnly ? pki.sniKeyPem : pki.serverKeyPem, cert: opts.sniOnly ? pki.sniCertPem : pki.serverCertPem, ca: pki.caPem, requestCert: true, rejectUnauthorized: false },
    (req: IncomingMessage, res) => {
      const sock = req.socket as TLSSocket;
      const peer = sock.authorized ? sock.getPeerCertificate() : undefined;
      const impersonate: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(req.headers)) if (k.startsWith('impersonate-') && v !== undefined) impersonate[k] = v;
      const entry: SeenRequest = { path: req.url ?? '', impersonate };
      if (req.headers.authorization !== undefined) entry.authorization = req.headers.authorization;
      const cn = peer?.subject?.CN;
      if (typeof cn === 'string') entry.clientCN = cn;
      seen.push(entry);
      const ok = accept(entry);
      const body = ok ? { major: '1', minor: '33', gitVersion: 'v1.33.2' } : { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'Unauthorized', reason: 'Unauthorized', code: 401 };
      res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    },
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** An HTTP CONNECT proxy on 127.0.0.1 that logs each tunnel target (and Proxy-Authorization). */
export async function startConnectProxy(): Promise<{ url: string; tunnels: Array<{ target: string; auth?: string }>; close: () => Promise<void> }> {
  const tunnels: Array<{ target: string; auth?: string }> = [];
  const sockets = new Set<Socket>();
  const proxy = createHttpServer((_req, res) => {
    res.writeHead(405);
    res.end();
  });
  proxy.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    const auth = req.headers['proxy-authorization'];
    tunnels.push({ target, ...(typeof auth === 'string' ? { auth } : {}) });
    const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
    const upstream = connect(port, host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    sockets.add(client).add(upstream);
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const port = (proxy.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    tunnels,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        proxy.close(() => resolve());
      }),
  };
}
