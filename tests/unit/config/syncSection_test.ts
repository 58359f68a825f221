/**
 * The [sync] section: optional (the original's files have none and get its behaviour), every key
 * validated with one message naming the key and its line, and unknown or misplaced keys named.
 */
import assert from "node:assert/strict";
import { lineOf, parse, problems, text } from "../../support/configText.ts";

const FILE = "/etc/sync/c.cfg";
const DEFAULTS = { disabledUsers: "include", protectUsers: [], removeScope: "all", deleteAfterDays: 0 };

Deno.test("[sync]: a file without it gets the defaults, which are the original's behaviour", () => {
  assert.deepEqual(parse().sync, DEFAULTS);
  // An empty section, and keys left empty (as in sample.cfg), are the same.
  assert.deepEqual(parse({ sync: {} }).sync, DEFAULTS);
  assert.deepEqual(
    parse({
      sync: {
        disabled_users: "",
        disabled_filter: "",
        protect_users: "",
        remove_scope: "",
        delete_after_days: "",
      },
    }).sync,
    DEFAULTS,
  );
});

Deno.test("[sync]: every key read; values in any case; names trimmed, in the order written", () => {
  const c = parse({
    sync: {
      disabled_users: "Exclude",
      disabled_filter: "(userAccountControl:1.2.840.113556.1.4.803:=2)",
      protect_users: " breakglass ,svc-Backup,  Ops.Admin ",
      remove_scope: "Managed",
      delete_after_days: "30",
    },
  });
  assert.deepEqual(c.sync, {
    disabledUsers: "exclude",
    disabledFilter: "(userAccountControl:1.2.840.113556.1.4.803:=2)",
    protectUsers: ["breakglass", "svc-Backup", "Ops.Admin"],
    removeScope: "managed",
    deleteAfterDays: 30,
  });
  assert.equal(parse({ sync: { delete_after_days: "0" } }).sync.deleteAfterDays, 0);
  assert.equal(parse({ sync: { delete_after_days: "3650" } }).sync.deleteAfterDays, 3650);
  assert.ok(Object.isFrozen(c.sync.protectUsers), "the config is frozen");
  // A bare item is wrapped, as for [ldap] filter.
  assert.equal(
    parse({ sync: { disabled_filter: "employeeType=leaver" } }).sync.disabledFilter,
    "(employeeType=leaver)",
  );
});

Deno.test("[sync]: a bad value is one message naming the key and its line", () => {
  const over = {
    sync: {
      disabled_users: "maybe",
      disabled_filter: "(&(a=b)",
      protect_users: "a,,b, A",
      remove_scope: "mine",
      delete_after_days: "30d",
    },
  };
  const t = text(over);
  const at = (key: string) => `${FILE}:${lineOf(t, key, "sync")}`;
  assert.deepEqual(problems(over), [
    `${at("disabled_users")}: [sync] disabled_users: 'maybe' is not one of include, exclude`,
    `${at("disabled_filter")}: [sync] disabled_filter: not a valid LDAP filter: missing ')' at the end`,
    `${at("protect_users")}: [sync] protect_users: has an empty name between commas`,
    `${at("protect_users")}: [sync] protect_users: 'A' is listed twice`,
    `${at("remove_scope")}: [sync] remove_scope: 'mine' is not one of all, managed`,
    `${
      at("delete_after_days")
    }: [sync] delete_after_days: '30d' is not a whole number of days from 0 to 3650`,
  ]);
  for (const bad of ["-1", "1.5", "3651", "1e3", "99999999"]) {
    assert.match(
      problems({ sync: { delete_after_days: bad } })[0],
      /is not a whole number of days from 0 to 3650$/,
      bad,
    );
  }
});

Deno.test("[sync]: unknown keys get 'did you mean', keys of another section are pointed there", () => {
  const over = { sync: { disabled_user: "exclude", filter: "(uid=*)" } };
  const t = text(over);
  assert.deepEqual(problems(over), [
    `${FILE}:${
      lineOf(t, "disabled_user", "sync")
    }: [sync] unknown key 'disabled_user'; did you mean 'disabled_users'?`,
    `${FILE}:${lineOf(t, "filter", "sync")}: [sync] unknown key 'filter'; it belongs in [ldap]`,
  ]);
  // And the other way round.
  const misplaced = { ldap: { protect_users: "x" } };
  assert.deepEqual(problems(misplaced), [
    `${FILE}:${
      lineOf(text(misplaced), "protect_users")
    }: [ldap] unknown key 'protect_users'; it belongs in [sync]`,
  ]);
});
