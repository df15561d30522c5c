/**
 * Exports `eidNs` (the namespaces of the eID-Interface and its WS-Security
 * header) and `soapActions`.
 *
 * TR-03130-1 v2.4.0 examples 3–6 and the Governikus WSDL (design notes §1):
 * the eID-Interface is SOAP 1.1 document/literal in `http://bsi.bund.de/eID/`,
 * with `dss:Result` from OASIS DSS core. The request does not use the ISO
 * 24727 namespace: that is the PAOS side between eID client and server.
 */
import { xmlNs } from '../../../platform/xml/namespaces.ts';

export const eidNs = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  eid: 'http://bsi.bund.de/eID/',
  dss: 'urn:oasis:names:tc:dss:1.0:core:schema',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  dsig: xmlNs.dsig,
} as const;

/** SOAPAction header values of the Governikus WSDL (design notes §1). */
export const soapActions = {
  useID: 'http://bsi.bund.de/eID/useID',
  getResult: 'http://bsi.bund.de/eID/getResult',
  getServerInfo: 'http://bsi.bund.de/eID/getServerInfo',
} as const;
