/**
 * Phone numbers for SMS-TAN, stored in E.164 (ITU-T E.164: "+", country
 * code, at most 15 digits). German numbers may be typed the national way
 * ("0151 2345678"); they must be mobile numbers (0151–0179, Bundesnetzagentur
 * numbering plan), since landlines cannot receive the TAN.
 */
export type PhoneProblem = 'invalid' | 'notMobile';

export function normalizePhone(input: string): { phone: string } | { problem: PhoneProblem } {
  const compact = input.trim().replace(/[\s\-/().]/g, '');
  let international: string;
  if (/^\+\d+$/.test(compact)) international = compact;
  else if (/^00\d+$/.test(compact)) international = `+${compact.slice(2)}`;
  else if (/^0\d+$/.test(compact)) international = `+49${compact.slice(1)}`;
  else return { problem: 'invalid' };
  // "+49 (0) 151 …" is a common way of writing it; the trunk 0 does not belong in E.164.
  international = international.replace(/^\+490/, '+49');
  if (!/^\+[1-9]\d{6,14}$/.test(international)) return { problem: 'invalid' };
  if (international.startsWith('+49') && !/^\+491[5-7]\d{8,9}$/.test(international)) return { problem: 'notMobile' };
  return { phone: international };
}

/** Shows enough of a number to recognise it, not enough to learn it: "+49 151 ••••• 67". */
export function maskPhone(phone: string): string {
  const prefix = phone.startsWith('+49') ? `+49 ${phone.slice(3, 6)}` : phone.slice(0, 4);
  return `${prefix} ••••• ${phone.slice(-2)}`;
}
