/**
 * LoginTC features the original sync tool has but the public REST API does not document:
 * groups (-g), user aliases and phones (attr_alias1..3, attr_phone) and the administrator
 * email notification (-l). None has a public endpoint (docs/logintc-api.md).
 *
 * Both sides use this one module — our API client and the emulator — so when a real
 * LoginTC Admin is checked, this is the only file to correct. docs/logintc-api.md lists these as
 * assumptions to verify. They follow the public API's conventions (paths under /api,
 * 1-based ?page=N lists, 200 with an empty body for bodiless PUT and DELETE, errors as
 * {"errors":[{"code","message"}]}).
 *
 * A real LoginTC may have none of them. The sync never relies on them blindly: the capability
 * probe (./capabilities.ts) asks, with GETs, whether each configured one exists, and a run skips
 * the ones that do not (exit 5). What the probe reads as evidence is listed there.
 *
 * Contract (ASSUMED):
 * - Groups:    GET    /groups?page=N                  → 200 [{"id","name"}, …] ([] past the end)
 *              PUT    /groups/{groupId}/users/{userId} → 200, empty body, idempotent
 *              DELETE /groups/{groupId}/users/{userId} → 200, empty body; 404 when not a member
 *              The user object carries "groups": [groupId, …].
 * - Aliases:   PUT    /users/{userId} with any of "alias1", "alias2", "alias3" (strings);
 *              "" clears the alias. The user object carries alias1..3 ("" when none).
 * - Phones:    POST   /users/{userId}/phones  {"number": "+1 555 0100"} → 200 updated user object;
 *              the path answers a GET with 405 (it exists; the probe relies on that);
 *              adding a number the user already has is a no-op. Phones are never removed by sync.
 *              The user object carries "phones": [number, …].
 * - Token without email: PUT /domains/{d}/users/{u}/token with the JSON body {"sendEmail": false}.
 *              The public call is bodiless and LoginTC emails the activation code
 *              (https://www.logintc.com/docs/guides/admin-panel/); the
 *              original's issue_token_without_email mode needs a way to say "don't".
 * - Notify:    POST   /notifications {"email","added":[username…],"removed":[username…]} → 200 empty;
 *              a GET on it answers 405 (the path exists);
 *              404 api.error.notfound.administrator when the email is not an administrator's.
 */

import { apiPath } from "./paths.ts";

export const EXTENSION_PATHS = {
  groups: apiPath("groups"),
  groupMember: (groupId: string, userId: string) => apiPath("groups", groupId, "users", userId),
  userPhones: (userId: string) => apiPath("users", userId, "phones"),
  notifications: apiPath("notifications"),
} as const;

export const EXTENSION_ERROR_CODES = {
  administratorNotFound: "api.error.notfound.administrator",
  groupNotFound: "api.error.notfound.group",
} as const;

export interface NotificationBody {
  email: string;
  added: string[];
  removed: string[];
}
