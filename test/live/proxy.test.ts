/**
 * The proxy decision (src/collector/live/proxy.ts) against the rules of Go's golang.org/x/net/http/httpproxy,
 * which client-go uses through http.ProxyFromEnvironment. The tables are written after that package's own
 * tests, golang.org/x/net/http/httpproxy/proxy_test.go: TestUseProxy (the UseProxyTests hosts, each tried
 * on port 80, against its noProxy list) and TestFromEnvironment / proxyForURLTests (which variable, the
 * http:// default scheme, the CGI rule, NO_PROXY domains).
 */
import { describe, expect, it } from 'vitest';
import { parseEnvProxy, proxyFor, redactProxyUrl, useProxy } from '../../src/collector/live/proxy.ts';

// proxy_test.go: var noProxy, the NO_PROXY list of TestUseProxy.
const NO_PROXY = 'foobar.com, .barbaz.net, *.wildcard.io, 192.168.1.1, 192.168.1.2:81, 192.168.1.3:80, 10.0.0.0/30, 2001:db8::52:0:1, [2001:db8::52:0:3]:80, 2002:db8:a::45/64';

// proxy_test.go: UseProxyTests; `proxied` is its `match` (true: the request goes through the proxy).
const USE_PROXY: Array<[host: string, proxied: boolean, why: string]> = [
  ['localhost', false, 'never proxy localhost'],
  ['127.0.0.1', false, 'loopback'],
  ['127.0.0.2', false, 'loopback (all of 127/8)'],
  ['[::1]', false, 'IPv6 loopback'],
  ['[::2]', true, 'not a loopback address'],
  ['192.168.1.1', false, 'matches exact IPv4'],
  ['192.168.1.2', true, 'ports do not match'],
  ['192.168.1.3', false, 'matches exact IPv4:port'],
  ['192.168.1.4', true, 'no match'],
  ['10.0.0.2', false, 'matches IPv4/CIDR'],
  ['[2001:db8::52:0:1]', false, 'matches exact IPv6'],
  ['[2001:db8::52:0:2]', true, 'no match'],
  ['[2001:db8::52:0:3]', false, 'matches exact [IPv6]:port'],
  ['[2002:db8:a::123]', false, 'matches IPv6/CIDR'],
  ['[fe80::424b:c8be:1643:a1b6]', true, 'no match'],
  ['barbaz.net', true, 'does not match as .barbaz.net'],
  ['www.barbaz.net', false, 'does match as .barbaz.net'],
  ['foobar.com', false, 'does match as foobar.com'],
  ['www.foobar.com', false, 'match because NO_PROXY includes "foobar.com"'],
  ['foofoobar.com', true, 'not match as a part of foobar.com'],
  ['baz.com', true, 'not match as a part of barbaz.com'],
  ['localhost.net', true, 'not match as suffix of address'],
  ['local.localhost', true, 'not match as prefix as address'],
  ['barbarbaz.net', true, 'not match, wrong domain'],
  ['wildcard.io', true, 'does not match as *.wildcard.io'],
  ['nested.wildcard.io', false, 'match as *.wildcard.io'],
  ['awildcard.io', true, "not a match because of '*'"],
];

describe('NO_PROXY (httpproxy useProxy, proxy_test.go TestUseProxy)', () => {
  for (const [host, proxied, why] of USE_PROXY) {
    it(`${host}:80 ${proxied ? 'goes through the proxy' : 'is reached directly'} (${why})`, () => {
      expect(useProxy(host, '80', NO_PROXY)).toBe(proxied);
    });
  }

  it('"*" matches every host, IPs included (TestUseProxy with NoProxy "*")', () => {
    for (const host of ['example.com', 'a.b.c', '10.1.2.3', '[2001:db8::1]']) expect(useProxy(host, '443', '*')).toBe(false);
    expect(useProxy('example.com', '443', 'foo.com, *')).toBe(false);
  });

  it('entries are trimmed and compared case-insensitively; a port-specific domain matches that port only', () => {
    expect(useProxy('API.Example.COM', '443', '  EXAMPLE.com ')).toBe(false);
    expect(useProxy('api.example.com', '443', 'example.com:443')).toBe(false);
    expect(useProxy('api.example.com', '6443', 'example.com:443')).toBe(true);
    expect(useProxy('api.example.com', '6443', '.example.com:6443')).toBe(false);
  });

  it('malformed entries (no host part, a bad CIDR) are ignored, not fatal', () => {
    expect(useProxy('example.com', '443', ':80, ,')).toBe(true);
    expect(useProxy('10.0.0.1', '443', '10.0.0.0/99')).toBe(true);
    expect(useProxy('10.0.0.1', '443', '10.0.0.0/8')).toBe(false);
  });

  it('an IPv4 CIDR also covers the IPv4-mapped IPv6 form, as Go compares IPs', () => {
    expect(useProxy('[::ffff:10.1.2.3]', '443', '10.0.0.0/8')).toBe(false);
    expect(useProxy('[::ffff:127.0.0.1]', '443', '')).toBe(false); // loopback
    expect(useProxy(new URL('https://[::ffff:127.0.0.1]').hostname, '443', '')).toBe(false); // "[::ffff:7f00:1]", as a URL writes it
    expect(useProxy(new URL('https://[::ffff:10.1.2.3]').hostname, '443', '10.1.2.3')).toBe(false);
  });
});

const S = (u: string): URL => new URL(u);
const via = (server: string, env: Record<string, string>): string | undefined => proxyFor(S(server), env)?.url.href;

describe('which proxy (httpproxy FromEnvironment / proxyForURL, proxy_test.go proxyForURLTests)', () => {
  it('a value without a scheme means http:// ("cache.corp.example.com:1234", "127.0.0.1:8080")', () => {
    expect(via('http://x.example/', { HTTP_PROXY: '127.0.0.1:8080' })).toBe('http://127.0.0.1:8080/');
    expect(via('http://x.example/', { HTTP_PROXY: 'cache.corp.example.com:1234' })).toBe('http://cache.corp.example.com:1234/');
    expect(via('http://x.example/', { HTTP_PROXY: 'cache.corp.example.com' })).toBe('http://cache.corp.example.com/');
    expect(via('http://x.example/', { HTTP_PROXY: 'https://cache.corp.example.com' })).toBe('https://cache.corp.example.com/');
    expect(via('http://x.example/', { HTTP_PROXY: 'socks5://127.0.0.1' })).toBe('socks5://127.0.0.1');
  });

  it('HTTPS_PROXY for https:// servers, HTTP_PROXY for http:// servers ("don\'t use secure for http")', () => {
    const env = { HTTP_PROXY: 'http.proxy.tld', HTTPS_PROXY: 'secure.proxy.tld' };
    expect(via('http://insecure.tld/', env)).toBe('http://http.proxy.tld/');
    expect(via('https://secure.tld/', env)).toBe('http://secure.proxy.tld/');
    expect(via('https://secure.tld/', { ...env, HTTPS_PROXY: 'https://secure.proxy.tld' })).toBe('https://secure.proxy.tld/');
    expect(via('https://secure.tld/', { HTTP_PROXY: 'http.proxy.tld' })).toBeUndefined();
    expect(via('https://secure.tld/', {})).toBeUndefined();
  });

  it('the upper-case variable first, the lower-case one when it is unset or empty (getEnvAny)', () => {
    expect(proxyFor(S('https://a.example'), { HTTPS_PROXY: 'upper:1', https_proxy: 'lower:2' })).toEqual({ url: new URL('http://upper:1'), source: 'HTTPS_PROXY' });
    expect(proxyFor(S('https://a.example'), { HTTPS_PROXY: '', https_proxy: 'lower:2' })).toEqual({ url: new URL('http://lower:2'), source: 'https_proxy' });
    expect(via('https://a.example', { HTTPS_PROXY: 'p:1', NO_PROXY: '', no_proxy: 'a.example' })).toBeUndefined();
    expect(via('https://a.example', { HTTPS_PROXY: 'p:1', NO_PROXY: 'other.example', no_proxy: 'a.example' })).toBe('http://p:1/');
  });

  it('issue 16405: HTTP_PROXY is refused in a CGI environment; HTTPS_PROXY is still used', () => {
    expect(() => proxyFor(S('http://x.example/'), { HTTP_PROXY: 'http://10.1.2.3:8080', REQUEST_METHOD: 'GET' })).toThrow(/refusing to use \$HTTP_PROXY in a CGI environment/);
    expect(via('https://secure.tld/', { HTTPS_PROXY: 'https://secure.proxy.tld', REQUEST_METHOD: 'GET' })).toBe('https://secure.proxy.tld/');
  });

  it('NO_PROXY domains: "example.com" covers example.com and foo.example.com, ".example.com" only subdomains, no partial labels', () => {
    const p = { HTTP_PROXY: 'proxy' };
    expect(via('http://example.com/', { ...p, NO_PROXY: 'example.com' })).toBeUndefined();
    expect(via('http://example.com/', { ...p, NO_PROXY: '.example.com' })).toBe('http://proxy/');
    expect(via('http://www.example.com/', { ...p, NO_PROXY: '.example.com' })).toBeUndefined();
    expect(via('http://example.com/', { ...p, NO_PROXY: 'ample.com' })).toBe('http://proxy/');
    expect(via('http://foo.example.com/', { ...p, NO_PROXY: 'example.com' })).toBeUndefined();
    expect(via('http://example.com/', { ...p, NO_PROXY: '.foo.com' })).toBe('http://proxy/');
  });

  it('the server\'s default port counts for port-specific entries (canonicalAddr: https 443, http 80)', () => {
    expect(via('https://api.example.com/', { HTTPS_PROXY: 'p:1', NO_PROXY: 'api.example.com:443' })).toBeUndefined();
    expect(via('https://api.example.com:6443/', { HTTPS_PROXY: 'p:1', NO_PROXY: 'api.example.com:443' })).toBe('http://p:1/');
    expect(via('https://10.0.0.7:6443/', { HTTPS_PROXY: 'p:1', NO_PROXY: '10.0.0.0/24' })).toBeUndefined();
    expect(via('https://[2001:db8::7]:6443/', { HTTPS_PROXY: 'p:1', NO_PROXY: '2001:db8::/32' })).toBeUndefined();
    expect(via('https://127.0.0.1:6443/', { HTTPS_PROXY: 'p:1' })).toBeUndefined();
    expect(via('https://localhost:6443/', { HTTPS_PROXY: 'p:1' })).toBeUndefined();
  });

  it('socks5:// and socks5h:// are accepted (Go\'s transport), socks4 and other schemes are refused clearly', () => {
    expect(via('https://a.example', { HTTPS_PROXY: 'socks5h://gw:1080' })).toBe('socks5h://gw:1080');
    expect(() => proxyFor(S('https://a.example'), { HTTPS_PROXY: 'socks4://gw:1080' })).toThrow(/\$HTTPS_PROXY: a socks4 proxy is not supported/);
    expect(() => proxyFor(S('https://a.example'), { HTTPS_PROXY: 'ftp://gw:21' })).toThrow(/\$HTTPS_PROXY: expected an http:\/\/, https:\/\/, socks5:\/\/ or socks5h:\/\/ proxy URL, found "ftp:"/);
  });
});

describe('proxy credentials are redacted', () => {
  it('in URLs and in strings that do not parse', () => {
    expect(redactProxyUrl(new URL('http://gwe:s3cret@proxy:3128'))).toBe('http://xxxxx@proxy:3128/');
    expect(redactProxyUrl(new URL('socks5://only-user@proxy:1080'))).toBe('socks5://xxxxx@proxy:1080');
    expect(redactProxyUrl(new URL('http://proxy:3128'))).toBe('http://proxy:3128/');
    expect(redactProxyUrl('http://gwe:s3cret@[bad')).toBe('http://xxxxx@[bad');
    expect(redactProxyUrl('gwe:s3cret@proxy:3128')).toBe('xxxxx@proxy:3128');
  });

  it('an unusable $HTTPS_PROXY with user:password is named without them', () => {
    for (const value of ['http://gwe:s3cret@[bad', 'ftp://gwe:s3cret@proxy:21', 'http://gwe:s3cret@proxy:3128/path']) {
      let message = '';
      try {
        parseEnvProxy(value, 'HTTPS_PROXY');
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/^\$HTTPS_PROXY: /);
      expect(message).not.toContain('s3cret');
      expect(message).not.toContain('gwe:');
    }
  });
});
