/**
 * The LDAP client seam: the part of ldapts' Client the reader uses, plus the one thing ldapts does not
 * give us — the URLs of a referral result (LDAP result 10).
 *
 * RFC 4511 §4.1.9/§4.1.10: an LDAPResult is resultCode, matchedDN, diagnosticMessage, then an optional
 * `referral [3] SEQUENCE OF URI`. ldapts 8 reads the first three fields and stops (MessageResponse's
 * parseMessage, https://github.com/ldapts/ldapts/tree/v8.2.0), then turns the response into an error
 * carrying only code and message, so the URLs are lost. The reader is left positioned on the referral
 * field, which is where we read it (docs/development.md, "ldapts under Deno").
 */
import { Client, type ClientOptions, type SearchOptions, type SearchResult } from "ldapts";
import { noDelayConnections } from "./sockets.ts";
import type { ConnectionOptions } from "node:tls";

export interface LdapClient {
  readonly isBound: boolean;
  readonly isConnected: boolean;
  search(baseDn: string, options: SearchOptions): Promise<SearchResult>;
  startTLS(options: ConnectionOptions): Promise<void>;
  bind(dn: string, password: string): Promise<void>;
  searchPaginated(baseDn: string, options: SearchOptions): AsyncGenerator<SearchResult>;
  unbind(): Promise<void>;
  /**
   * The URLs of the last referral result (LDAP result 10) this client received; undefined when the
   * client cannot tell (then the reader refuses to guess where the entries are).
   */
  referralUrls?(): readonly string[] | undefined;
}

/** RFC 4511 §4.1.10: Referral ::= [3] SEQUENCE, i.e. context-specific, constructed, tag 3. */
const REFERRAL_TAG = 0xa3;

/** The shapes of ldapts' BER reader and message parser that the hook touches (private in ldapts). */
interface BerReaderLike {
  peek(): number | null;
  readSequence(tag?: number): number | null;
  readString(): string | null;
  readonly offset: number;
  readonly length: number;
}
type ParseFn = (id: number, op: number, reader: BerReaderLike, details?: unknown) => unknown;
interface ParserLike {
  _getMessageFromProtocolOperation?: ParseFn;
}

/** No referral field: one shared value, as this runs for every entry of a search. */
const NO_URLS: readonly string[] = Object.freeze([]);

/** The URLs of a referral field at the reader's position; none when there is none or it is malformed. */
function referralField(reader: BerReaderLike): readonly string[] {
  try {
    if (reader.peek() !== REFERRAL_TAG) return NO_URLS;
    reader.readSequence(REFERRAL_TAG);
    const end = reader.offset + reader.length;
    const urls: string[] = [];
    while (reader.offset < end) urls.push(reader.readString() ?? "");
    return urls;
  } catch {
    return NO_URLS; // malformed: the URLs stay unknown and the reader refuses to guess
  }
}

/**
 * Wraps the client's own message parser (one per Client, so nothing global is patched): after ldapts
 * has parsed a response, a referral field that follows is read and remembered. Returns false when
 * ldapts' internals no longer look as expected; then referral results stay without URLs.
 */
function hookReferralUrls(client: Client, remember: (urls: readonly string[]) => void): boolean {
  const parser = (client as unknown as { messageParser?: ParserLike }).messageParser;
  const original = parser?._getMessageFromProtocolOperation;
  if (!parser || typeof original !== "function") return false;
  parser._getMessageFromProtocolOperation = function (id, op, reader, details) {
    const message = original.call(this, id, op, reader, details);
    // Every message resets it, so it always describes the response that ended the last operation.
    remember(referralField(reader));
    return message;
  };
  return true;
}

/** A real ldapts client that also reports the URLs of referral results. */
export function openLdapClient(options: ClientOptions): LdapClient {
  // TCP_NODELAY on every connection, referrals' too (./sockets.ts).
  const client = new Client({ ...noDelayConnections, ...options });
  let last: readonly string[] = NO_URLS;
  const hooked = hookReferralUrls(client, (urls) => last = urls);
  return {
    get isBound() {
      return client.isBound;
    },
    get isConnected() {
      return client.isConnected;
    },
    search: (base, o) => client.search(base, o),
    startTLS: (o) => client.startTLS(o),
    bind: (dn, pw) => client.bind(dn, pw),
    searchPaginated: (base, o) => client.searchPaginated(base, o),
    unbind: () => client.unbind(),
    referralUrls: () => hooked ? last : undefined,
  };
}
