/**
 * Remembers the results of an expensive pure function of a string (parsing a
 * PEM key or certificate) for the few distinct inputs a server sees: the
 * installation's own keys and its services' certificates. Bounded, so
 * hostile input cannot grow it; the oldest entry goes first.
 */
export function memoByString<V>(limit: number, make: (input: string) => V): (input: string) => V {
  const results = new Map<string, V>();
  return (input) => {
    const known = results.get(input);
    if (known !== undefined) return known;
    const made = make(input);
    if (results.size >= limit) {
      const oldest = results.keys().next();
      if (!oldest.done) results.delete(oldest.value);
    }
    results.set(input, made);
    return made;
  };
}
