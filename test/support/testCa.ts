/**
 * A throwaway certificate authority for TLS tests: leaf certificates for any names, valid for
 * any period (an expired one included, which openssl's `req -days` cannot make). Nothing of it
 * is real; the keys live only in memory.
 */
import { generateKeyPairSync } from "node:crypto";
import forge from "node-forge";

export interface Issued {
    readonly cert: string;
    readonly key: string;
}

export interface TestCa {
    /** The CA certificate, PEM: what a client trusts. */
    readonly caPem: string;
    /** A certificate for `names` (subjectAltName DNS entries), valid from `notBefore` to `notAfter`. */
    readonly issue: (names: readonly string[], notBefore: Date, notAfter: Date) => Issued;
}

let serial = 1;

/** An RSA key pair made by Node's native crypto (forge's own generator is far slower), as forge keys. */
function keyPair(): { publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
    const { publicKey, privateKey } = generateKeyPairSync("rsa", {
        modulusLength: 2048,
        publicKeyEncoding: { type: "spki", format: "pem" },
        privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    return {
        publicKey: forge.pki.publicKeyFromPem(publicKey) as forge.pki.rsa.PublicKey,
        privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    };
}

const nextSerial = (): string => (serial++).toString(16).padStart(2, "0");

export function makeTestCa(now: Date, name = "tenant-apps verify test CA"): TestCa {
    const caKeys = keyPair();
    const ca = forge.pki.createCertificate();
    ca.publicKey = caKeys.publicKey;
    ca.serialNumber = nextSerial();
    ca.validity.notBefore = new Date(now.getTime() - 365 * 86_400_000);
    ca.validity.notAfter = new Date(now.getTime() + 3650 * 86_400_000);
    const caName = [{ name: "commonName", value: name }];
    ca.setSubject(caName);
    ca.setIssuer(caName);
    ca.setExtensions([
        { name: "basicConstraints", cA: true, critical: true },
        { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    ]);
    ca.sign(caKeys.privateKey, forge.md.sha256.create());
    return {
        caPem: forge.pki.certificateToPem(ca),
        issue: (names, notBefore, notAfter) => {
            const keys = keyPair();
            const cert = forge.pki.createCertificate();
            cert.publicKey = keys.publicKey;
            cert.serialNumber = nextSerial();
            cert.validity.notBefore = notBefore;
            cert.validity.notAfter = notAfter;
            cert.setSubject([{ name: "commonName", value: names[0] ?? "" }]);
            cert.setIssuer(caName);
            cert.setExtensions([
                { name: "basicConstraints", cA: false },
                { name: "extKeyUsage", serverAuth: true },
                { name: "subjectAltName", altNames: names.map((value) => ({ type: 2, value })) },
            ]);
            cert.sign(caKeys.privateKey, forge.md.sha256.create());
            return { cert: forge.pki.certificateToPem(cert), key: forge.pki.privateKeyToPem(keys.privateKey) };
        },
    };
}
