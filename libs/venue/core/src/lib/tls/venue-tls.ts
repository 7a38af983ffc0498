import 'reflect-metadata'; // @peculiar/x509 resolves its providers through tsyringe
import * as x509 from '@peculiar/x509';
import { webcrypto, X509Certificate, createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';

type CryptoKey = webcrypto.CryptoKey;
type CryptoKeyPair = webcrypto.CryptoKeyPair;

/**
 * The venue's own PKI (考点证书): a venue CA made once at setup, and the server certificate it
 * issues for the names the exam machines use (kaowu-venue.local by default). The kiosk's trust
 * store holds only this CA, and `.local` names can never be certified by a public CA, so an
 * exam machine talks to this venue server and nothing else.
 */
export interface VenueTls {
  /** PEM of the venue CA certificate — what a kiosk installs as its only trust anchor. */
  caPem: string;
  /** SHA-256 fingerprint of the CA certificate (colon hex), read aloud when installing kiosks. */
  caFingerprint: string;
  certPem: string;
  keyPem: string;
  hostnames: string[];
  /** True when this call created or re-issued something (logged at boot). */
  issued: 'ca+server' | 'server' | 'none';
}

const EC = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const DAY = 86_400_000;
const CA_VALID_DAYS = 3650;
const SERVER_VALID_DAYS = 825; // the longest leaf lifetime browsers accept

let providerSet = false;
function useNodeCrypto(): void {
  if (providerSet) return;
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  providerSet = true;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n').replace(/\n$/, '');
  return `-----BEGIN ${label}-----\n${b64}\n-----END ${label}-----\n`;
}

function serialNumber(): string {
  // Positive 16-byte serial (top bit clear), as RFC 5280 asks.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] &= 0x7f;
  return Buffer.from(bytes).toString('hex');
}

async function importKey(keyPem: string): Promise<CryptoKey> {
  const der = Buffer.from(keyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, EC, true, ['sign']) as Promise<CryptoKey>;
}

function fingerprint(certPem: string): string {
  const der = Buffer.from(certPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64');
  return createHash('sha256').update(der).digest('hex').toUpperCase().replace(/(..)(?!$)/g, '$1:');
}

/** Does the existing server certificate still fit: issued by this CA, covering these names, not near expiry? */
function serverCertFits(certPem: string, caPem: string, hostnames: string[], now: number): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const ca = new X509Certificate(caPem);
    if (!cert.verify(ca.publicKey)) return false;
    if (Date.parse(cert.validTo) - now < 30 * DAY) return false;
    const san = cert.subjectAltName ?? '';
    return hostnames.every((h) => san.includes(isIP(h) ? `IP Address:${h}` : `DNS:${h}`));
  } catch {
    return false;
  }
}

/**
 * Load the venue CA and server certificate from `dir`, creating the CA on first run and
 * (re-)issuing the server certificate when the names change or it nears expiry. Keys are
 * written 0600; the CA key never leaves the venue server's data directory.
 */
export async function ensureVenueTls(dir: string, hostnames: string[], venueCode: string, now = Date.now()): Promise<VenueTls> {
  useNodeCrypto();
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const paths = { caCert: join(dir, 'venue-ca.crt.pem'), caKey: join(dir, 'venue-ca.key.pem'), cert: join(dir, 'venue-server.crt.pem'), key: join(dir, 'venue-server.key.pem') };
  let issued: VenueTls['issued'] = 'none';

  if (!existsSync(paths.caCert) || !existsSync(paths.caKey)) {
    const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
    const ca = await x509.X509CertificateGenerator.createSelfSigned({
      serialNumber: serialNumber(),
      name: `CN=Kaowu Venue CA ${venueCode}, O=Kaowu, OU=${venueCode}`,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + CA_VALID_DAYS * DAY),
      keys,
      signingAlgorithm: EC,
      extensions: [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      ],
    });
    writeFileSync(paths.caKey, pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), { mode: 0o600 });
    writeFileSync(paths.caCert, ca.toString('pem') + '\n');
    issued = 'ca+server';
  }
  const caPem = readFileSync(paths.caCert, 'utf8');

  if (issued !== 'none' || !existsSync(paths.cert) || !existsSync(paths.key) || !serverCertFits(readFileSync(paths.cert, 'utf8'), caPem, hostnames, now)) {
    const caCert = new x509.X509Certificate(caPem);
    const caKey = await importKey(readFileSync(paths.caKey, 'utf8'));
    const keys = (await webcrypto.subtle.generateKey(EC, true, ['sign', 'verify'])) as CryptoKeyPair;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: serialNumber(),
      subject: `CN=${hostnames[0]}, O=Kaowu, OU=${venueCode}`,
      issuer: caCert.subject,
      notBefore: new Date(now - DAY),
      notAfter: new Date(now + SERVER_VALID_DAYS * DAY),
      publicKey: keys.publicKey,
      signingKey: caKey,
      signingAlgorithm: EC,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(hostnames.map((h) => (isIP(h) ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }))),
        await x509.AuthorityKeyIdentifierExtension.create(caCert, false),
      ],
    });
    writeFileSync(paths.key, pem('PRIVATE KEY', await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), { mode: 0o600 });
    writeFileSync(paths.cert, cert.toString('pem') + '\n' + caPem);
    if (issued === 'none') issued = 'server';
  }
  return { caPem, caFingerprint: fingerprint(caPem), certPem: readFileSync(paths.cert, 'utf8'), keyPem: readFileSync(paths.key, 'utf8'), hostnames, issued };
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}
