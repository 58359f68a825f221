/**
 * Throwaway PKI for one test run or one `deno task emulator` session: a CA, a server certificate signed by it, and an unrelated
 * second CA for "untrusted certificate" tests. Made with the openssl CLI (Debian package,
 * already needed by slapd); P-256 keys because RSA-2048 generation costs ~0.5 s a key.
 */

export interface TestPki {
  dir: string;
  /** PEM of the CA that signed server.crt. */
  caFile: string;
  caPem: string;
  /** PEM of a CA that signed nothing we serve. */
  otherCaFile: string;
  serverCert: string;
  serverKey: string;
  serverCertPem: string;
  serverKeyPem: string;
}

async function openssl(args: string[], cwd: string): Promise<void> {
  const out = await new Deno.Command("openssl", { args, cwd, stdout: "piped", stderr: "piped" }).output();
  if (!out.success) {
    throw new Error(`openssl ${args.join(" ")} failed: ${new TextDecoder().decode(out.stderr)}`);
  }
}

/** A new unencrypted P-256 key, for `openssl req`. */
const NEW_EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

async function makeCa(dir: string, name: string, days: number): Promise<void> {
  await openssl([
    "req",
    "-x509",
    ...NEW_EC_KEY,
    "-keyout",
    `${name}.key`,
    "-out",
    `${name}.crt`,
    "-days",
    String(days),
    "-subj",
    `/CN=logintc-sync test ${name}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ], dir);
}

/**
 * Creates the PKI in `dir` (created if missing). `san` is the server certificate's
 * subjectAltName, e.g. "DNS:localhost,IP:127.0.0.1" (the default). `days`: validity, 2 by
 * default (a test run's); `deno task emulator --dir` keeps its PKI and asks for longer.
 */
export async function makeTestPki(
  dir: string,
  opts: { san?: string; cn?: string; days?: number } = {},
): Promise<TestPki> {
  await Deno.mkdir(dir, { recursive: true });
  const san = opts.san ?? "DNS:localhost,IP:127.0.0.1";
  const days = opts.days ?? 2;
  await makeCa(dir, "ca", days);
  await makeCa(dir, "other-ca", days);
  await openssl([
    "req",
    "-new",
    ...NEW_EC_KEY,
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    `/CN=${opts.cn ?? "localhost"}`,
  ], dir);
  await Deno.writeTextFile(
    `${dir}/server.ext`,
    `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  await openssl([
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.crt",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.crt",
    "-days",
    String(days),
    "-extfile",
    "server.ext",
  ], dir);
  await Deno.chmod(`${dir}/server.key`, 0o600); // samba refuses keys readable by others
  return await readTestPki(dir);
}

/** The PKI makeTestPki wrote in `dir` (throws NotFound when a file is missing). */
export async function readTestPki(dir: string): Promise<TestPki> {
  return {
    dir,
    caFile: `${dir}/ca.crt`,
    caPem: await Deno.readTextFile(`${dir}/ca.crt`),
    otherCaFile: `${dir}/other-ca.crt`,
    serverCert: `${dir}/server.crt`,
    serverKey: `${dir}/server.key`,
    serverCertPem: await Deno.readTextFile(`${dir}/server.crt`),
    serverKeyPem: await Deno.readTextFile(`${dir}/server.key`),
  };
}

/** Server certificates that must be refused, each for its own reason (TLS error message tests). */
export type CertVariant = "expired" | "not-yet-valid" | "wrong-host";

/** openssl ca's minimal configuration: no database checks, any subject, extensions from -extfile. */
const CA_CONF = [
  "[ca]",
  "default_ca = d",
  "[d]",
  "database = variants.idx",
  "new_certs_dir = .",
  "serial = variants.srl",
  "default_md = sha256",
  "policy = p",
  "unique_subject = no",
  "[p]",
  "commonName = supplied",
  "",
].join("\n");

/**
 * A certificate for the PKI's server key, signed by its CA, refused for `variant`: expired (valid
 * 2020-01-01 to 2020-01-02), not yet valid (2099-12-31 to 2100-01-01) or for other names only
 * (DNS:ldap.invalid, DNS:other.invalid). `openssl ca` because `openssl x509 -req` (OpenSSL 3.0)
 * cannot set a start date. `dir` is a PKI's dir (makeTestPki). Returns the file in it and its PEM.
 */
export async function makeCertVariant(
  dir: string,
  variant: CertVariant,
): Promise<{ certFile: string; certPem: string }> {
  await Deno.writeTextFile(`${dir}/variants.cnf`, CA_CONF);
  await Deno.writeTextFile(`${dir}/variants.idx`, "", { append: true });
  try {
    await Deno.stat(`${dir}/variants.srl`);
  } catch {
    await Deno.writeTextFile(`${dir}/variants.srl`, "1000\n");
  }
  const san = variant === "wrong-host" ? "DNS:ldap.invalid,DNS:other.invalid" : "DNS:localhost,IP:127.0.0.1";
  await Deno.writeTextFile(
    `${dir}/${variant}.ext`,
    `subjectAltName=${san}\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\n`,
  );
  const dates = variant === "expired"
    ? ["-startdate", "20200101000000Z", "-enddate", "20200102000000Z"]
    : variant === "not-yet-valid"
    ? ["-startdate", "20991231000000Z", "-enddate", "21000101000000Z"]
    : ["-days", "2"];
  await openssl([
    "ca",
    "-batch",
    "-notext",
    "-config",
    "variants.cnf",
    "-cert",
    "ca.crt",
    "-keyfile",
    "ca.key",
    "-in",
    "server.csr",
    "-out",
    `${variant}.crt`,
    "-extfile",
    `${variant}.ext`,
    ...dates,
  ], dir);
  const certFile = `${dir}/${variant}.crt`;
  return { certFile, certPem: await Deno.readTextFile(certFile) };
}
