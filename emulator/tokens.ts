/**
 * Tokens: one per (domain, user), pending with a 10-character [a-z0-9] activation code, or
 * active (https://www.logintc.com/docs/rest-api/tokens.html). Revoked tokens are deleted, so they
 * read as 404 api.error.notfound.token (the official clients' tests; their token states are only
 * pending and active: docs/logintc-api.md).
 */
import type { LoginTCToken } from "../src/types.ts";
import { type ActivationEmail, CODE_CHARS, type Organization, type TokenRecord, tokenView } from "./model.ts";
import { notFound } from "./problems.ts";

export class Tokens {
  /**
   * Activation emails LoginTC would have sent (issuing a token emails the code:
   * https://www.logintc.com/docs/guides/admin-panel/).
   */
  readonly emails: ActivationEmail[] = [];

  constructor(private readonly s: Organization) {}

  /**
   * PUT …/token: creates a pending token with a 10-char [a-z0-9] code
   * (https://www.logintc.com/docs/rest-api/tokens.html); a pending or active token is returned
   * unchanged (the official clients). Issuing does not add the user to the domain (an assumption:
   * docs/logintc-api.md).
   */
  issue(domainId: string, userId: string, sendEmail: boolean): LoginTCToken {
    const d = this.s.domainRecord(domainId);
    const u = this.s.userRecord(userId);
    if (!d.members.has(userId)) throw notFound.user(userId);
    let t = d.tokens.get(userId);
    if (!t) {
      t = { state: "pending", code: this.s.randomText(CODE_CHARS, 10), sendEmail };
      d.tokens.set(userId, t);
      if (sendEmail) {
        this.emails.push({
          domainId,
          userId,
          username: u.username,
          email: u.email,
          code: t.code,
          at: this.s.opts.now().toISOString(),
        });
      }
    }
    return tokenView(t);
  }

  get(domainId: string, userId: string): LoginTCToken {
    const t = this.record(domainId, userId);
    if (!t) throw notFound.token();
    return tokenView(t);
  }

  record(domainId: string, userId: string): Readonly<TokenRecord> | undefined {
    const d = this.s.domainRecord(domainId);
    this.s.userRecord(userId);
    return d.tokens.get(userId);
  }

  revoke(domainId: string, userId: string): void {
    const d = this.s.domainRecord(domainId);
    this.s.userRecord(userId);
    if (!d.members.has(userId)) throw notFound.user(userId);
    if (!d.tokens.delete(userId)) throw notFound.token();
  }

  /** Test hook: the user typed the activation code into the app. */
  activate(domainId: string, userId: string): void {
    const t = this.s.domainRecord(domainId).tokens.get(userId);
    if (!t) throw notFound.token();
    t.state = "active";
  }
}
