/**
 * Profile certificates: the keyserver signs, at onboarding, who a profile's device is. A client
 * presents its certificate with every shard request, so a keyserver restored from its backup key
 * alone (no database, no profile table) still knows which devices it onboarded.
 */
import { certificateMessage, type CertificateBody, type ProfileCertificate } from '../../protocol/messages.js';
import { signEd25519, verifyEd25519 } from '../../protocol/ed25519.js';
import type { KeyserverIdentity } from '../store/types.js';
import { privateKeyObject } from './keys.js';

export function issueCertificate(identity: KeyserverIdentity, body: Omit<CertificateBody, 'keyserver_id'>): ProfileCertificate {
  const full: CertificateBody = { keyserver_id: identity.id, ...body };
  return { body: full, signature: signEd25519(privateKeyObject(identity), certificateMessage(full)) };
}

/** true when this keyserver signed the certificate (for itself). */
export function certificateValid(identity: KeyserverIdentity, cert: ProfileCertificate): boolean {
  return cert.body.keyserver_id === identity.id && verifyEd25519(identity.publicKey, certificateMessage(cert.body), cert.signature);
}
