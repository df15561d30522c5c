/** Metadata documents are small; anything larger is not an SP's metadata. */
export const metadataMaxBytes = 1024 * 1024;

/**
 * Fetches SP metadata from a URL: https only (http://localhost outside
 * production), no redirects (a redirect could lead to another origin's
 * document), 10 s, 1 MiB (the plan of the issue: metadata loaded from a URL
 * is refreshed, so it must be fetched the same careful way every time).
 */
export async function fetchMetadata(url: string, production: boolean, fetchImpl: typeof fetch = fetch): Promise<string> {
  const parsed = new URL(url);
  const local = ['localhost', '127.0.0.1', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && local && !production)) throw new Error('metadata URLs must use https');
  const response = await fetchImpl(url, { redirect: 'error', signal: AbortSignal.timeout(10_000), headers: { accept: 'application/samlmetadata+xml, application/xml, text/xml' } });
  if (!response.ok) throw new Error(`the metadata URL answered ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > metadataMaxBytes) throw new Error('the metadata is larger than 1 MiB');
  const body = await response.arrayBuffer();
  if (body.byteLength > metadataMaxBytes) throw new Error('the metadata is larger than 1 MiB');
  return new TextDecoder('utf-8', { fatal: true }).decode(body);
}
