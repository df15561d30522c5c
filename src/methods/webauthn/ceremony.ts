/** A WebAuthn result posted by the page's script: JSON, or nothing usable. */
export function parseCeremonyResponse<T>(value: string | undefined): T | undefined {
  if (!value || value.length > 16_000) return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { id?: unknown }).id === 'string'
      ? (parsed as T)
      : undefined;
  } catch {
    return undefined;
  }
}
