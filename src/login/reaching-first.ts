import type { AuthenticationMethod, MethodChoice } from '../methods/method.ts';
import type { Level } from '../session/limits.ts';

/**
 * The method choice for a service that needs hoch: the methods that reach it
 * on their own first (the eID, DESIGN.md §3), the others after, since a
 * verified account may still step up from them (issue 15, point 7). Below
 * hoch the registry's order stays: the password with a second factor reaches
 * substanziell, which a first factor's own level does not show.
 */
export function reachingFirst<M extends MethodChoice>(
  methods: readonly M[],
  registered: readonly AuthenticationMethod[],
  required: Level,
): M[] {
  if (required < 4) return [...methods];
  const reaches = (m: M) => (registered.find((r) => r.id === m.id)?.level ?? 0) >= required;
  return [...methods.filter(reaches), ...methods.filter((m) => !reaches(m))];
}
