import { lookup } from 'node:dns/promises';
import { request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { addressKind } from './address-kind.ts';

/** Metadata documents are small; anything larger is not an SP's metadata. */
export const metadataMaxBytes = 1024 * 1024;

const timeoutMs = 10_000;

/**
 * One message for every network failure (no answer, refused, reset, timed
 * out, a TLS failure, an unknown name): an error that names the cause would
 * tell whoever can register a metadata URL which ports are open on hosts the
 * server reaches (OWASP SSRF Prevention Cheat Sheet).
 */
export const unreachableMessage = 'the metadata URL could not be fetched';

/** Who may be fetched from: production refuses non-public addresses except on the hosts an operator allowed. */
export interface MetadataFetchPolicy {
  production: boolean;
  /** SAML_METADATA_ALLOWED_HOSTS: host names whose addresses are not checked, lower case. */
  samlMetadataAllowedHosts: readonly string[];
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Injected for tests: name resolution, and the trust anchor of a test server's certificate. */
export interface MetadataFetchDeps {
  resolve?: (hostname: string) => Promise<ResolvedAddress[]>;
  ca?: string;
}

const systemResolve = async (hostname: string): Promise<ResolvedAddress[]> =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/** Outside production the suite and the example serve metadata from this machine over http. */
const localNames = ['localhost', '127.0.0.1', '[::1]'];

/**
 * Fetches SP metadata from a URL (`sp add --metadata URL` and every
 * refresh): https only (http to this machine outside production), no
 * redirects (a redirect could lead to another origin's document), 10 s,
 * 1 MiB. The host is resolved once and every address checked; the
 * connection goes to the checked address, so a second, rebound answer of
 * the name server is never used (OWASP SSRF Prevention Cheat Sheet, "DNS
 * pinning"). Non-public addresses (address-kind.ts) are refused unless the
 * operator allowed the host; outside production loopback is allowed too.
 */
export async function fetchMetadata(
  url: string,
  policy: MetadataFetchPolicy,
  deps: MetadataFetchDeps = {},
): Promise<string> {
  const parsed = new URL(url);
  const local = localNames.includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local && !policy.production))
    throw new Error('metadata URLs must use https');
  if (parsed.username !== '' || parsed.password !== '') throw new Error('metadata URLs must not carry credentials');

  const hostname = parsed.hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  const literal = isIP(hostname);
  const addresses: ResolvedAddress[] =
    literal !== 0
      ? [{ address: hostname, family: literal === 6 ? 6 : 4 }]
      : await (deps.resolve ?? systemResolve)(hostname).catch(() => []);
  const target = addresses[0];
  if (!target) throw new Error(unreachableMessage);
  if (!policy.samlMetadataAllowedHosts.includes(hostname)) {
    for (const { address } of addresses) {
      const kind = addressKind(address);
      if (kind !== 'public' && !(kind === 'loopback' && !policy.production)) {
        throw new Error(
          `the metadata URL's host has a ${kind} address; an operator may allow the host with SAML_METADATA_ALLOWED_HOSTS`,
        );
      }
    }
  }

  // Every connection attempt gets the checked address (with `all` when Node tries several families).
  const pinned: LookupFunction = (_name, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const options: RequestOptions & { ca?: string } = {
    method: 'GET',
    lookup: pinned,
    // A connection of its own, closed after the answer: a pooled one could be reused for another host's name.
    agent: false,
    signal: AbortSignal.timeout(timeoutMs),
    headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' },
    ...(deps.ca ? { ca: deps.ca } : {}),
  };
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    const request = (parsed.protocol === 'https:' ? httpsRequest : httpRequest)(parsed, options, resolve);
    request.on('error', (error) => {
      // The socket goes with the request: a peer that sent garbage keeps no half-open connection.
      request.destroy();
      reject(error);
    });
    request.end();
  }).catch(() => {
    throw new Error(unreachableMessage);
  });
  return readBody(response);
}

/** The body of a 2xx answer, at most 1 MiB of UTF-8; any other status is named (redirects are not followed). */
async function readBody(response: IncomingMessage): Promise<string> {
  const status = response.statusCode ?? 0;
  if (status < 200 || status > 299) {
    response.destroy();
    throw new Error(`the metadata URL answered ${status}`);
  }
  const tooLarge = new Error('the metadata is larger than 1 MiB');
  if (Number(response.headers['content-length'] ?? '0') > metadataMaxBytes) {
    response.destroy();
    throw tooLarge;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Deliberately without the cause: a reset or a timeout mid-body is a network failure like any other.
  const read = async (): Promise<void> => {
    // Leaving the loop early destroys the stream: nothing past the limit is read.
    for await (const chunk of response) {
      size += (chunk as Buffer).byteLength;
      if (size > metadataMaxBytes) break;
      chunks.push(chunk as Buffer);
    }
  };
  await read().catch(() => {
    throw new Error(unreachableMessage);
  });
  if (size > metadataMaxBytes) throw tooLarge;
  return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
}
