import { isIPv4, isIPv6 } from 'node:net';

/**
 * The network an address belongs to, for counting failures per network as
 * well as per address (issue 13 §4): an IPv6 /64 is one subscriber's link
 * (RFC 4291 §2.5.1, RFC 7421), so its 2^64 addresses are one source; an IPv4
 * /24 is the smallest block routed on its own. IPv4-mapped IPv6 addresses
 * count as IPv4. Anything else (a Unix socket) is its own network.
 */
export function networkOf(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  const ip = mapped?.[1] ?? address;
  if (isIPv4(ip)) return `${ip.split('.').slice(0, 3).join('.')}.0/24`;
  if (isIPv6(ip)) return `${expandIPv6(ip).slice(0, 4).join(':')}::/64`;
  return address;
}

/** The eight groups of an IPv6 address, without leading zeros; a zone (`%eth0`) is dropped. */
function expandIPv6(address: string): string[] {
  const [withoutZone = ''] = address.split('%');
  // An embedded IPv4 tail (::a.b.c.d) is two groups.
  const text = withoutZone.replace(
    /(\d+)\.(\d+)\.(\d+)\.(\d+)$/,
    (_m, a: string, b: string, c: string, d: string) =>
      `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`,
  );
  const [head = '', tail] = text.split('::');
  const left = head === '' ? [] : head.split(':');
  const right = tail === undefined || tail === '' ? [] : tail.split(':');
  const middle = tail === undefined ? [] : Array.from({ length: 8 - left.length - right.length }, () => '0');
  return [...left, ...middle, ...right].map((group) => parseInt(group, 16).toString(16));
}
