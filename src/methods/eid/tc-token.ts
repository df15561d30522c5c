import { buildXml, el, type XmlElement } from '../../platform/xml/build.ts';

/**
 * The TC token the eID client fetches first (BSI TR-03124-1 §2.4): where the
 * eID-Server's PAOS endpoint is, the session and its pre-shared key, and
 * where the browser goes afterwards. The root has no namespace and the
 * children come in this order (Governikus eidas-middleware `TcToken.xsd`).
 */
export interface TcToken {
  /** The eID-Server's PAOS address: the useID answer's eCardServerAddress, or the configured one. */
  serverAddress: string;
  /** useID `PSK/ID`. */
  sessionIdentifier: string;
  refreshAddress: string;
  communicationErrorAddress?: string | undefined;
  /** useID `PSK/Key`, hex. */
  psk: string;
}

/** PAOS binding and TLS-PSK path security (TR-03124-1 §2.4.1). */
export const paosBinding = 'urn:liberty:paos:2006-08';
export const pskProtocol = 'urn:ietf:rfc:4279';

const hex = /^[0-9A-Fa-f]{32,}$/;

export function buildTcToken(t: TcToken): string {
  if (!hex.test(t.psk)) throw new Error('the PSK must be hex, at least 16 bytes');
  const children: XmlElement[] = [
    el('', 'ServerAddress', {}, [t.serverAddress]),
    el('', 'SessionIdentifier', {}, [t.sessionIdentifier]),
    el('', 'RefreshAddress', {}, [t.refreshAddress]),
    ...(t.communicationErrorAddress ? [el('', 'CommunicationErrorAddress', {}, [t.communicationErrorAddress])] : []),
    el('', 'Binding', {}, [paosBinding]),
    el('', 'PathSecurity-Protocol', {}, [pskProtocol]),
    el('', 'PathSecurity-Parameters', {}, [el('', 'PSK', {}, [t.psk])]),
  ];
  return buildXml(el('', 'TCTokenType', {}, children));
}

/**
 * When useID failed: a token with only the CommunicationErrorAddress. The
 * AusweisApp and open-ecard both read a token without RefreshAddress as an
 * error and send the browser there.
 */
export function buildErrorToken(communicationErrorAddress: string): string {
  return buildXml(el('', 'TCTokenType', {}, [el('', 'CommunicationErrorAddress', {}, [communicationErrorAddress])]));
}
