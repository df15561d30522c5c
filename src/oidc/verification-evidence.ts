import type { AttributeSource } from '../identity/attributes.ts';
import type { StoredEvidence } from './evidence-repository.ts';

/**
 * Our document names (src/cli/verify-in-person.ts) mapped to the document
 * types of the OIDF eKYC-IDA predefined values (OIDC4IA §12).
 */
const documentTypes: Record<string, string> = {
  idcard: 'idcard',
  passport: 'passport',
  'residence-permit': 'residence_permit',
};

export const documentsSupported = [...new Set(Object.values(documentTypes))];

/**
 * Check methods of the predefined values (OIDC4IA §12) we state:
 * vpip – the document's physical security features inspected in person;
 * pvp – an authorised person compared the citizen's face with the document;
 * vcrypt – the chip's cryptographic features verified (eID);
 * token – the citizen proved holding the card with its PIN (eID).
 */
export const checkMethodsSupported = ['vpip', 'pvp', 'vcrypt', 'token'];

/** ISO 8601 `YYYY-MM-DDThh:mm:ssZ` in UTC, the time format of the schema (IDA Schema §5.4.2; OIDC4IA §9: UTC). */
export function schemaTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function documentDetails(stored: StoredEvidence | undefined): { document_details?: { type: string } } {
  const ours = typeof stored?.document === 'string' ? stored.document : undefined;
  const type = ours === undefined ? undefined : documentTypes[ours];
  return type ? { document_details: { type } } : {};
}

/**
 * The `evidence` array of a verification (OpenID Identity Assurance Schema
 * Definition 1.0 §5.4.4, evidence type `document` with `check_details`;
 * the draft-era `method` "pipp"/"eid" was replaced by check methods).
 * Undefined where we cannot yet say more than trust framework, level and
 * time (ELSTER and wallet data: their flows define their evidence).
 */
export function evidenceFor(
  source: AttributeSource,
  stored: StoredEvidence | undefined,
  verifiedAt: Date | null,
): Record<string, unknown>[] | undefined {
  const time = verifiedAt ? { time: schemaTime(verifiedAt) } : {};
  if (source === 'clerk') {
    // The office is the legal entity that performed the check (`organization`);
    // the clerk's name stays in our audit log: the service does not need it.
    const organization = typeof stored?.office === 'string' && stored.office ? { organization: stored.office } : {};
    return [
      {
        type: 'document',
        check_details: [
          { check_method: 'vpip', ...organization, ...time },
          { check_method: 'pvp', ...organization, ...time },
        ],
        ...documentDetails(stored),
      },
    ];
  }
  if (source === 'eid') {
    return [
      {
        type: 'document',
        check_details: [
          { check_method: 'vcrypt', ...time },
          { check_method: 'token', ...time },
        ],
        ...documentDetails(stored),
      },
    ];
  }
  return undefined;
}
