import { BlockList, isIP } from 'node:net';

/** Why an address is not on the public internet, or `public`. */
export type AddressKind = 'public' | 'loopback' | 'private' | 'link-local' | 'unspecified' | 'multicast' | 'reserved';

function list(ranges: readonly (readonly [string, number])[], family: 'ipv4' | 'ipv6'): BlockList {
  const blocks = new BlockList();
  for (const [network, prefix] of ranges) blocks.addSubnet(network, prefix, family);
  return blocks;
}

/** IANA IPv4 Special-Purpose Address Registry (RFC 6890 and updates), by kind. */
const ipv4: readonly [Exclude<AddressKind, 'public'>, BlockList][] = [
  ['unspecified', list([['0.0.0.0', 8]], 'ipv4')],
  ['loopback', list([['127.0.0.0', 8]], 'ipv4')],
  // RFC 1918, and the shared address space of carrier-grade NAT (RFC 6598).
  [
    'private',
    list(
      [
        ['10.0.0.0', 8],
        ['172.16.0.0', 12],
        ['192.168.0.0', 16],
        ['100.64.0.0', 10],
      ],
      'ipv4',
    ),
  ],
  ['link-local', list([['169.254.0.0', 16]], 'ipv4')],
  ['multicast', list([['224.0.0.0', 4]], 'ipv4')],
  // Protocol assignments, documentation (RFC 5737), 6to4 relays, benchmarking (RFC 2544), 240/4 and broadcast.
  [
    'reserved',
    list(
      [
        ['192.0.0.0', 24],
        ['192.0.2.0', 24],
        ['192.88.99.0', 24],
        ['198.18.0.0', 15],
        ['198.51.100.0', 24],
        ['203.0.113.0', 24],
        ['240.0.0.0', 4],
      ],
      'ipv4',
    ),
  ],
];

/**
 * Global unicast (RFC 4291 §2.4) is 2000::/3; within it, these are not public hosts (IANA IPv6 Special-Purpose
 * Registry).
 */
const ipv6GlobalUnicast = list([['2000::', 3]], 'ipv6');
const ipv6ReservedInGlobal = list(
  [
    ['2001::', 23],
    ['2001:db8::', 32],
    ['2002::', 16],
    ['3fff::', 20],
  ],
  'ipv6',
);
const ipv6: readonly [Exclude<AddressKind, 'public'>, BlockList][] = [
  ['unspecified', list([['::', 128]], 'ipv6')],
  ['loopback', list([['::1', 128]], 'ipv6')],
  // Unique local addresses (RFC 4193) and the deprecated site-local ones.
  [
    'private',
    list(
      [
        ['fc00::', 7],
        ['fec0::', 10],
      ],
      'ipv6',
    ),
  ],
  ['link-local', list([['fe80::', 10]], 'ipv6')],
  ['multicast', list([['ff00::', 8]], 'ipv6')],
];

/**
 * The kind of an IP address, for the SSRF check of metadata fetching
 * (OWASP SSRF Prevention Cheat Sheet). IPv6 is public only inside global
 * unicast and outside its special blocks: IPv4-mapped (::ffff:0:0/96),
 * NAT64 (64:ff9b::/96), 6to4 and Teredo can all reach an internal IPv4
 * address, so they count as reserved rather than being unwrapped.
 */
export function addressKind(address: string): AddressKind {
  const family = isIP(address);
  if (family === 4) return ipv4.find(([, blocks]) => blocks.check(address, 'ipv4'))?.[0] ?? 'public';
  if (family !== 6) return 'reserved';
  const special = ipv6.find(([, blocks]) => blocks.check(address, 'ipv6'))?.[0];
  if (special) return special;
  return ipv6GlobalUnicast.check(address, 'ipv6') && !ipv6ReservedInGlobal.check(address, 'ipv6')
    ? 'public'
    : 'reserved';
}
