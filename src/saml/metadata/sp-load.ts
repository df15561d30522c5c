import { ns } from '../constants.ts';
import { childElements } from '../authn-request/elements.ts';
import { parseSamlXml } from '../../platform/xml/parse.ts';
import { validateSamlSchema } from '../xml/schema.ts';
import { metadataMaxBytes } from './fetch.ts';
import { readSpMetadata, type SpMetadata } from './sp-read.ts';
import { SamlXmlError } from '../../platform/xml/errors.ts';

export type SpMetadataLoad =
  | {
      ok: true;
      metadata: SpMetadata;
      warnings: string[];
      /** The shortest `cacheDuration` of the entity and its SP role, in milliseconds. */
      cacheDurationMs: number | undefined;
      /** The earliest `validUntil` of the entity and its SP role. */
      validUntil: Date | undefined;
    }
  | { ok: false; problem: string; detail?: string };

/**
 * xs:duration (XML Schema part 2 §3.2.6) in milliseconds. A year counts 365
 * days and a month 30: the value is only ever compared with a few hours.
 * Negative durations are meaningless for caching and read as absent.
 */
export function durationMs(value: string): number | undefined {
  const text = value.trim();
  const match = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  // "P" and "P…T" alone match the pattern but are not durations.
  if (!match || text === 'P' || text.endsWith('T')) return undefined;
  const n = (index: number) => Number(match[index] ?? 0);
  const days = n(1) * 365 + n(2) * 30 + n(3);
  return ((days * 24 + n(4)) * 60 + n(5)) * 60_000 + n(6) * 1000;
}

/**
 * `validUntil` and `cacheDuration` of the EntityDescriptor and its SPSSODescriptor (saml-metadata §2.3.2, §2.4.1); the
 * stricter one counts.
 */
function cachingOf(root: Element): { cacheDurationMs: number | undefined; validUntil: Date | undefined } {
  let cacheDurationMs: number | undefined;
  let validUntil: Date | undefined;
  for (const element of [root, ...childElements(root, ns.metadata, 'SPSSODescriptor')]) {
    const duration = element.hasAttribute('cacheDuration')
      ? durationMs(element.getAttribute('cacheDuration') ?? '')
      : undefined;
    if (duration !== undefined) cacheDurationMs = Math.min(cacheDurationMs ?? duration, duration);
    const until = element.hasAttribute('validUntil') ? new Date(element.getAttribute('validUntil') ?? '') : undefined;
    if (until && !Number.isNaN(until.getTime()) && (!validUntil || until < validUntil)) validUntil = until;
  }
  return { cacheDurationMs, validUntil };
}

/**
 * One service provider's metadata, checked the same way for `sp add` and for
 * every refresh: the safe parser (1 MiB), the metadata schema, the profile's
 * rules (readSpMetadata), and not past its `validUntil` (saml-metadata §2.3.2:
 * expired metadata must not be relied on).
 */
export async function loadSpMetadata(
  xml: string,
  options: { production: boolean; now: Date },
): Promise<SpMetadataLoad> {
  let document: Document;
  try {
    document = parseSamlXml(xml, { maxBytes: metadataMaxBytes });
    await validateSamlSchema(xml, 'metadata');
  } catch (error) {
    // Only the XML layer's refusals are the metadata's fault; anything else is ours.
    if (!(error instanceof SamlXmlError)) throw error;
    return { ok: false, problem: 'not_saml_metadata', detail: error.message };
  }
  const read = readSpMetadata(document, { production: options.production });
  if (!read.ok) return read;
  const caching = cachingOf(document.documentElement as Element);
  if (caching.validUntil && caching.validUntil <= options.now)
    return { ok: false, problem: 'metadata_expired', detail: caching.validUntil.toISOString() };
  return { ok: true, metadata: read.metadata, warnings: read.warnings, ...caching };
}
