/** How the report writes its figures (report.ts, report-hash.ts, verdicts.ts): one way for every table. */

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** A figure with thousands separators; a dash where the run has none. */
export const num = (value: number | undefined, digits = 0) =>
  value === undefined || !Number.isFinite(value)
    ? '–'
    : value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });

/** Milliseconds: one decimal below 10. */
export const ms = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '–' : value < 10 ? value.toFixed(1) : value.toFixed(0);

export const ratio = (value: number | undefined) =>
  value === undefined || !Number.isFinite(value) ? '–' : `${value.toFixed(2)}×`;

/** A target's mark in a table: met, **missed**, or nothing when not judged. */
export const verdict = (ok: boolean | undefined) => (ok === undefined ? '' : ok ? 'met' : '**missed**');
