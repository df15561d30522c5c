/**
 * Exports:
 * - `fetchTcToken(url, options)` → `FetchedToken`: the TC token, fetched
 *   server-side as the AusweisApp does (TR-03124-1 §2.4).
 * - `readTcToken(xml, publicUrl)`: its strict reading.
 * - `allowedUrl(url, publicUrl)`: whether we talk to a ServerAddress there.
 * - `ownOriginUrl(url, publicUrl)`: whether a tcTokenURL is ours.
 * - `TokenError` (with a short `code`), types `ClientTcToken`, `FetchedToken`.
 *
 * Limits as `saml/metadata/fetch.ts`: no redirects (a redirect could lead to
 * another origin's document), 10 s, 16 KiB, `text/xml` or `application/xml`.
 * The TC token only from our own PUBLIC_URL origin: the stand-in serves
 * this Servicekonto alone, and a page anybody can link to must not make
 * the server fetch other addresses (server-side request forgery). Its
 * ServerAddress (the eID-Server, which may be elsewhere): https anywhere,
 * http only for localhost and our own origin.
 * Parsed with the hardened parser and small limits. The shape is the
 * Governikus `TcToken.xsd` (design notes §2): root `TCTokenType` without
 * namespace; any order (the BSI testbed's schema uses `xs:all`), each child
 * at most once. A token without RefreshAddress but with a
 * CommunicationErrorAddress is an error token (AusweisApp, open-ecard
 * `isErrorToken`).
 */
import { parseSamlXml } from '../../platform/xml/parse.ts';
import { paosBinding, pskProtocol } from '../../methods/eid/tc-token.ts';

export interface ClientTcToken {
  serverAddress: string;
  sessionIdentifier: string;
  refreshAddress: string;
  communicationErrorAddress?: string;
  /** Hex. */
  psk: string;
}

export type FetchedToken =
  { kind: 'token'; token: ClientTcToken } | { kind: 'error-token'; communicationErrorAddress: string };

export type TokenErrorCode =
  'url' | 'network' | 'timeout' | 'redirect' | 'status' | 'content_type' | 'too_large' | 'encoding' | 'xml' | 'shape';

export class TokenError extends Error {
  readonly code: TokenErrorCode;
  constructor(code: TokenErrorCode, detail?: string) {
    super(detail === undefined ? code : `${code}: ${detail}`);
    this.code = code;
  }
}

export const tokenMaxBytes = 16 * 1024;
const loopback = new Set(['localhost', '127.0.0.1', '[::1]']);

/** The URL when we may fetch it: https, or http to loopback or to our own origin. */
export function allowedUrl(value: string, publicUrl: string): URL | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.username !== '' || url.password !== '') return undefined;
  if (url.protocol === 'https:') return url;
  if (url.protocol === 'http:' && (loopback.has(url.hostname) || url.origin === new URL(publicUrl).origin)) return url;
  return undefined;
}

/** The URL when it is on our own origin (PUBLIC_URL), the only place a TC token is fetched from. */
export function ownOriginUrl(value: string, publicUrl: string): URL | undefined {
  const url = allowedUrl(value, publicUrl);
  return url && url.origin === new URL(publicUrl).origin ? url : undefined;
}

export async function fetchTcToken(
  value: string,
  options: { publicUrl: string; fetch?: typeof fetch; timeoutMs?: number },
): Promise<FetchedToken> {
  const url = ownOriginUrl(value, options.publicUrl);
  if (!url) throw new TokenError('url');
  let response: Response;
  try {
    response = await (options.fetch ?? fetch)(url, {
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      headers: { accept: 'text/xml, application/xml' },
    });
  } catch (error) {
    throw networkError(error);
  }
  if (response.status >= 300 && response.status < 400) {
    await response.body?.cancel().catch(() => undefined);
    throw new TokenError('redirect');
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw new TokenError('status', String(response.status));
  }
  if (!/^(text|application)\/xml\s*(;|$)/i.test(response.headers.get('content-type') ?? '')) {
    await response.body?.cancel().catch(() => undefined);
    throw new TokenError('content_type');
  }
  return readTcToken(await readCapped(response), options.publicUrl);
}

function networkError(error: unknown): TokenError {
  const name = error instanceof Error ? error.name : '';
  return name === 'TimeoutError' || name === 'AbortError' ? new TokenError('timeout') : new TokenError('network');
}

async function readCapped(response: Response): Promise<string> {
  if (Number(response.headers.get('content-length') ?? '0') > tokenMaxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw new TokenError('too_large');
  }
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > tokenMaxBytes) {
        await reader.cancel().catch(() => undefined);
        throw new TokenError('too_large');
      }
      chunks.push(value);
    }
  } catch (error) {
    throw error instanceof TokenError ? error : networkError(error);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
  } catch {
    throw new TokenError('encoding');
  }
}

const children = [
  'ServerAddress',
  'SessionIdentifier',
  'RefreshAddress',
  'CommunicationErrorAddress',
  'Binding',
  'PathSecurity-Protocol',
  'PathSecurity-Parameters',
] as const;
type Child = (typeof children)[number];

const ELEMENT = 1;
const TEXT = 3;
const COMMENT = 8;

export function readTcToken(xml: string, publicUrl: string): FetchedToken {
  let doc: Document;
  try {
    doc = parseSamlXml(xml, { maxBytes: tokenMaxBytes, maxDepth: 4, maxNodes: 100, maxAttributes: 4 });
  } catch (error) {
    throw new TokenError('xml', (error as Error).message);
  }
  const root = doc.documentElement;
  if (!root || root.localName !== 'TCTokenType' || root.namespaceURI) throw new TokenError('shape', 'root');
  const found = new Map<Child, Element>();
  for (let node = root.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === COMMENT || (node.nodeType === TEXT && (node.nodeValue ?? '').trim() === '')) continue;
    if (node.nodeType !== ELEMENT) throw new TokenError('shape', 'text in the root');
    const element = node as Element;
    const name = children.find((c) => c === element.localName);
    if (!name || element.namespaceURI || element.attributes.length > 0)
      throw new TokenError('shape', element.localName ?? '');
    if (found.has(name)) throw new TokenError('shape', `two ${name}`);
    found.set(name, element);
  }
  const text = (name: Child) => {
    const element = found.get(name);
    return element ? textOf(element) : undefined;
  };

  const refreshAddress = text('RefreshAddress');
  const communicationErrorAddress = text('CommunicationErrorAddress');
  if (communicationErrorAddress !== undefined) browserUrl(communicationErrorAddress, 'CommunicationErrorAddress');
  if (!refreshAddress) {
    if (!communicationErrorAddress)
      throw new TokenError('shape', 'neither RefreshAddress nor CommunicationErrorAddress');
    return { kind: 'error-token', communicationErrorAddress };
  }
  browserUrl(refreshAddress, 'RefreshAddress');
  const serverAddress = text('ServerAddress');
  if (!serverAddress || !allowedUrl(serverAddress, publicUrl)) throw new TokenError('shape', 'ServerAddress');
  const sessionIdentifier = text('SessionIdentifier');
  if (!sessionIdentifier || !/^[\x21-\x7E]{16,256}$/.test(sessionIdentifier))
    throw new TokenError('shape', 'SessionIdentifier');
  if (text('Binding') !== paosBinding) throw new TokenError('shape', 'Binding');
  if (text('PathSecurity-Protocol') !== pskProtocol) throw new TokenError('shape', 'PathSecurity-Protocol');
  const psk = pskOf(found.get('PathSecurity-Parameters'));
  return {
    kind: 'token',
    token: {
      serverAddress,
      sessionIdentifier,
      refreshAddress,
      ...(communicationErrorAddress !== undefined && { communicationErrorAddress }),
      psk,
    },
  };
}

/** The element's text; an element inside is a shape error. */
function textOf(element: Element): string {
  let value = '';
  for (let node = element.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === COMMENT) continue;
    if (node.nodeType !== TEXT && node.nodeType !== 4)
      throw new TokenError('shape', `${element.localName} is not text`);
    value += node.nodeValue ?? '';
  }
  return value.trim();
}

function pskOf(parameters: Element | undefined): string {
  if (!parameters) throw new TokenError('shape', 'PathSecurity-Parameters');
  let psk: Element | undefined;
  for (let node = parameters.firstChild; node; node = node.nextSibling) {
    if (node.nodeType === COMMENT || (node.nodeType === TEXT && (node.nodeValue ?? '').trim() === '')) continue;
    const element = node as Element;
    if (node.nodeType !== ELEMENT || element.localName !== 'PSK' || element.namespaceURI || psk)
      throw new TokenError('shape', 'PathSecurity-Parameters');
    psk = element;
  }
  const value = psk ? textOf(psk) : '';
  // hexBinary, at least 16 bytes (TR-03130-1 §3.2.1.2).
  if (!/^(?:[0-9A-Fa-f]{2}){16,}$/.test(value)) throw new TokenError('shape', 'PSK');
  return value;
}

/** Where the browser is sent: an absolute http(s) URL. */
function browserUrl(value: string, name: string): void {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'https:' && url.protocol !== 'http:')) throw new TokenError('shape', name);
}
