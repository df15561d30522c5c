/**
 * Exports `restrictedIdentifier(cardId, sector): string` — the simulated
 * card's RestrictedID for a terminal sector, 64 upper-case hex characters.
 *
 * Computed the way a card does it (TR-03110-2 §3.5 Restricted
 * Identification, as PersoSim's `RiProtocol.calculateSectorIdentifier`:
 * `hash(KA(SK_ID, PK_sector))`, design notes §0.4 and §4): ECDH on
 * brainpoolP256r1 between the card's RI private key and the sector's public
 * key, then SHA-256 of the shared x-coordinate (id-RI-ECDH-SHA-256). Both
 * keys are derived from names, so the value is stable per card and per
 * sector, differs across both, and a "new card" (another id) gets a new one.
 */
import { createECDH, createHash } from 'node:crypto';

// The order n of brainpoolP256r1 (RFC 5639 §3.4).
const order = BigInt('0xA9FB57DBA1EEA9BC3E660A909D838D718C397AA3B561A6F7901E0E82974856A7');

/** SHA-256 of the label reduced into [1, n-1], a valid private scalar. */
function scalar(label: string): Buffer {
  const hash = BigInt(`0x${createHash('sha256').update(label).digest('hex')}`);
  return Buffer.from(((hash % (order - 1n)) + 1n).toString(16).padStart(64, '0'), 'hex');
}

export function restrictedIdentifier(cardId: string, sector: string): string {
  const card = createECDH('brainpoolP256r1');
  card.setPrivateKey(scalar(`sk-eid-sim|card|${cardId}`));
  const sectorKey = createECDH('brainpoolP256r1');
  sectorKey.setPrivateKey(scalar(`sk-eid-sim|sector|${sector}`));
  // computeSecret returns the x-coordinate of the shared point (SEC 1 §3.3.1).
  const shared = card.computeSecret(sectorKey.getPublicKey());
  return createHash('sha256').update(shared).digest('hex').toUpperCase();
}
