import { loadDevTexts } from '../text/index.ts';
import { eidClientTexts } from './eid-client/text.ts';
import { outboxTexts } from './outbox/text.ts';

/**
 * The texts of the development pages (STYLE.md habit 5). Their ids are part
 * of `MessageId` (text/index.ts imports this type), but the texts enter the
 * catalogue only when a development page is registered, so a production
 * process never loads them.
 */
export const devTexts = { ...outboxTexts, ...eidClientTexts };

/** Called by every development page's route factory; loading twice is harmless. */
export function useDevTexts(): void {
  loadDevTexts(devTexts);
}
