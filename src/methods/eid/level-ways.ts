import type { LevelGap, LevelWay } from '../method.ts';
import { eidInfo } from './info.ts';

/**
 * The eID's ways to a service's level (issue 15, point 6). Data the citizen
 * typed in become hoch once the card is linked on "Mein Konto" (DESIGN.md §3);
 * data already verified at hoch (by a clerk) only need a login with the card,
 * which links it on the spot (login/scopes.ts `finishEidLogin`, same holder).
 */
export function eidLevelWays(gap: LevelGap): readonly LevelWay[] {
  if (gap.required > eidInfo.level) return [];
  if (gap.reason === 'identity')
    return [{ href: '/account/eid', title: 'eid.levelWay.link.title', text: 'eid.levelWay.link.text' }];
  if (gap.identity >= eidInfo.level)
    return [{ href: `${gap.base}/eid`, title: 'eid.levelWay.login.title', text: 'eid.levelWay.login.text' }];
  return [];
}
