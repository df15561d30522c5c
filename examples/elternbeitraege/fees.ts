/**
 * A demo fee table after the pattern of municipal day-care fee statutes:
 * monthly fee by yearly household income and weekly care hours.
 */
export const incomeBrackets = [
  { max: 25_000, label: 'bis 25.000 €' },
  { max: 37_000, label: '25.001 € bis 37.000 €' },
  { max: 50_000, label: '37.001 € bis 50.000 €' },
  { max: 62_000, label: '50.001 € bis 62.000 €' },
  { max: 75_000, label: '62.001 € bis 75.000 €' },
  { max: 100_000, label: '75.001 € bis 100.000 €' },
  { max: Number.POSITIVE_INFINITY, label: 'über 100.000 €' },
] as const;

export const careHours = [25, 35, 45] as const;
export type CareHours = (typeof careHours)[number];

const monthlyFeeTable: Record<CareHours, readonly number[]> = {
  25: [0, 38, 76, 114, 152, 190, 228],
  35: [0, 50, 100, 150, 200, 250, 300],
  45: [0, 68, 136, 204, 272, 340, 408],
};

export function monthlyFee(bracket: number, hours: CareHours): number {
  return monthlyFeeTable[hours][bracket] ?? 0;
}

export function formatEuro(value: number): string {
  return new Intl.NumberFormat('de-DE', { style: 'currency', currency: 'EUR' }).format(value);
}
