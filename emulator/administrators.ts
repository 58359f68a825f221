/**
 * LoginTC administrators as far as the -l notification extension needs them: who may receive
 * a notification, and what was sent (src/logintc/extensions.ts, ASSUMED).
 */
import type { NotificationBody } from "../src/logintc/extensions.ts";
import { ApiProblem, ERROR_CODES } from "./problems.ts";
import type { RecordedNotification } from "./model.ts";

export class Administrators {
  readonly notifications: RecordedNotification[] = [];
  #emails = new Set<string>();

  constructor(readonly now: () => Date) {}

  add(email: string): void {
    this.#emails.add(email.toLowerCase());
  }

  /** The administrators' emails (lowercased), for --dir. */
  emails(): string[] {
    return [...this.#emails];
  }

  /** POST /notifications: recorded when the email is an administrator's (case-insensitive). */
  notify(body: NotificationBody): void {
    if (!this.#emails.has(body.email.toLowerCase())) {
      throw new ApiProblem(
        404,
        ERROR_CODES.administratorNotFound,
        `No administrator with email ${JSON.stringify(body.email)}.`,
      );
    }
    this.notifications.push({ ...body, at: this.now().toISOString() });
  }
}
