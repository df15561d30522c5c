import { auditRepository, type AuditRow } from '../../audit/audit-repository.ts';
import type { AppContext } from '../../context.ts';
import type { Level } from '../../session/limits.ts';
import type { MessageId } from '../../text/index.ts';
import { historyLength, type HistoryEntry } from './sessions-page.ts';

const meansWords: Record<string, MessageId> = {
  pwd: 'accountArea.means.pwd',
  otp: 'accountArea.means.otp',
  hwk: 'accountArea.means.hwk',
  sms: 'accountArea.means.sms',
};

/**
 * The means of a login in words, from its audit details: the eID as one
 * (its `amr` says card and PIN, RFC 8176), otherwise each `amr` value
 * (`mfa` only says there were two).
 */
export function meansOf(details: AuditRow['details']): MessageId[] {
  if (details.method === 'eid') return ['accountArea.means.eid'];
  const amr = String(details.amr ?? '')
    .split(' ')
    .filter((value) => value !== '' && value !== 'mfa');
  const words = [...new Set(amr.map((value) => meansWords[value] ?? 'accountArea.means.other'))];
  return words.length > 0 ? words : ['accountArea.means.other'];
}

const levelOf = (value: unknown): Level | undefined =>
  value === 1 || value === 2 || value === 3 || value === 4 ? value : undefined;

/**
 * The last logins from the audit log (audit/audit-repository.ts), which
 * keeps them as long as it keeps anything: logins to the Servicekonto
 * (`login`) and to services (`login.service`, continue.ts). A service
 * removed since shows as such.
 */
export async function loginHistory(app: AppContext, accountId: string): Promise<HistoryEntry[]> {
  const rows = await auditRepository(app.db).recentLogins(accountId, historyLength);
  const names = new Map<string, string | undefined>();
  for (const row of rows) {
    const id = row.action === 'login.service' ? row.subject?.replace(/^service:/, '') : undefined;
    if (id !== undefined && !names.has(id)) names.set(id, (await app.services.byId(id))?.displayName);
  }
  return rows.map((row) => {
    const serviceId = row.action === 'login.service' ? row.subject?.replace(/^service:/, '') : undefined;
    return {
      at: new Date(row.at),
      means: meansOf(row.details),
      level: levelOf(row.details.level),
      service: serviceId === undefined ? undefined : (names.get(serviceId) ?? ''),
    };
  });
}
