/**
 * The capability probe: for each configured feature that needs an ASSUMED extension
 * (./extensions.ts) — aliases, phones, -g, -l, a token without email — find out, with GETs only,
 * whether this LoginTC supports it. Decided once per run, in the read phase (so dry runs show it
 * too), and returned as one plain value; `--doctor` calls the same function.
 *
 * Never "supported" from no evidence: a first sync may start from an empty domain, with no user
 * object to look at. Evidence, per feature (docs/logintc-api.md, "Talking to a real LoginTC Admin"):
 * - aliases: user objects that carry alias1..3. None carry them → unsupported; no user object
 *   at all → unverified (unavailable this run; the next run has users to look at).
 * - phone: user objects that carry `phones` → supported. Otherwise GET /users/{id}/phones for a
 *   user we read: 404 → unsupported; 2xx or 405 (the path exists) → write-only (what we add is
 *   kept as write-only values, src/state/writeOnlyValues.ts); no user to ask about → unverified.
 * - -g: GET /groups?page=1..: 404 → unsupported. It answers → the group is resolved by name;
 *   membership is read from user objects' `groups` when they carry it, else write-only.
 * - -l: GET /notifications: 404 → unsupported; 2xx or 405 → supported; else unverified (tried).
 * - issue_token_without_email: nothing a GET can show. A LoginTC that ignores {"sendEmail":
 *   false} emails the activation code anyway, so the run says so every time (unverified, used).
 */
import { PATHS } from "./paths.ts";
import { LoginTCError } from "../errors.ts";
import {
  ALIAS_SLOTS,
  type LdapConfig,
  type LoginTCConfig,
  type LoginTCGroup,
  type LoginTCUser,
  type SyncOptions,
} from "../types.ts";
import type { LoginTCApi } from "./api.ts";
import { EXTENSION_PATHS } from "./extensions.ts";

/**
 * Every feature the probe decides, in the order of its checks, with the keys or flags that ask for
 * it (`--doctor` lists them when none is asked for).
 */
export const FEATURES = {
  aliases: "attr_alias1..3",
  phone: "attr_phone",
  group: "-g",
  notification: "-l",
  tokenWithoutEmail: "issue_token_without_email",
} as const;
export type Feature = keyof typeof FEATURES;

/** The features that change what the planner compares (src/sync/features.ts); the others change how a run sends. */
export const PLANNED_FEATURES = ["aliases", "phone", "group"] as const satisfies readonly Feature[];
export type PlannedFeature = (typeof PLANNED_FEATURES)[number];

/**
 * - supported: LoginTC has it and shows its values; the planner compares with them.
 * - write-only: LoginTC has it but does not show the values; the planner compares with what
 *   this tool last wrote (src/state/writeOnlyValues.ts).
 * - unsupported: LoginTC lacks it; unavailable to the run (one warning, exit 5).
 * - unverified: a GET cannot tell. Unavailable (exit 5), except the token without email and -l,
 *   which are tried and warned about.
 */
export type Support = "supported" | "write-only" | "unsupported" | "unverified";

export interface FeatureCheck {
  feature: Feature;
  /** The config key(s) or flag asking for it, as the admin wrote it: "attr_alias1, attr_alias3", "-g". */
  asked: string;
  support: Support;
  /** What the probe saw, in words, naming the request when there was one. */
  evidence: string;
  /** Whether this run uses the feature. False: unavailable, with one warning, exit 5. */
  used: boolean;
}

export interface Capabilities {
  /** One per configured feature, in a fixed order (aliases, phone, group, notification, token). */
  checks: FeatureCheck[];
  /** The -g group, resolved by name, when LoginTC has groups and one has that name. */
  group?: LoginTCGroup;
  /** What stops a real run even though LoginTC has the feature (the -g group does not exist). */
  problems: string[];
}

export interface ProbeOptions extends Pick<SyncOptions, "group" | "emailNotification" | "syncTokenMode"> {
  /**
   * User objects this run already read (domain members, organization users): the evidence of
   * which fields this LoginTC returns. When absent, the probe reads page 1 of the domain's
   * members; when that (or the given sample) is empty, page 1 of the organization's users.
   */
  sample?: readonly LoginTCUser[];
}

/** The parts of the config the probe reads (a whole Config will do). */
export interface ProbeConfig {
  ldap: Pick<LdapConfig, "attrAlias" | "attrPhone">;
  logintc: Pick<LoginTCConfig, "domainId">;
}

export async function probeCapabilities(
  api: LoginTCApi,
  config: ProbeConfig,
  options: ProbeOptions,
): Promise<Capabilities> {
  const checks: FeatureCheck[] = [];
  const problems: string[] = [];
  let group: LoginTCGroup | undefined;
  const aliasKeys = ALIAS_SLOTS.filter((k) => config.ldap.attrAlias[k] !== undefined);
  const needsSample = aliasKeys.length > 0 || config.ldap.attrPhone !== undefined ||
    options.group !== undefined;
  const sample = needsSample ? await readSample(api, config.logintc.domainId, options.sample) : [];
  const seen = `${sample.length} user object(s) read`;

  if (aliasKeys.length > 0) {
    const asked = aliasKeys.map((k) => `attr_${k}`).join(", ");
    if (sample.some((u) => ALIAS_SLOTS.some((k) => u[k] !== undefined))) {
      checks.push(yes("aliases", asked, "supported", `${seen}; they carry alias1..3`));
    } else if (sample.length > 0) {
      checks.push(no("aliases", asked, "unsupported", `LoginTC's user objects carry no alias1..3 (${seen})`));
    } else {
      checks.push(no("aliases", asked, "unverified", NO_USER_YET("alias1..3")));
    }
  }

  if (config.ldap.attrPhone !== undefined) {
    checks.push(await probePhone(api, sample, seen));
  }

  if (options.group !== undefined) {
    const asked = "-g";
    const path = `/api${EXTENSION_PATHS.groups}?page=1`;
    let groups: LoginTCGroup[] | undefined;
    try {
      groups = await api.listGroups();
    } catch (e) {
      if (!(e instanceof LoginTCError && e.details.status === 404)) throw e;
    }
    if (groups === undefined) {
      checks.push(no("group", asked, "unsupported", `LoginTC has no groups API (GET ${path} answered 404)`));
    } else {
      const wanted = options.group.toLowerCase();
      group = groups.find((g) => g.name === options.group) ??
        groups.find((g) => g.name.toLowerCase() === wanted);
      if (!group) problems.push(`group "${options.group}" not found in LoginTC Admin`);
      if (sample.some((u) => u.groups !== undefined)) {
        checks.push(yes("group", asked, "supported", `GET ${path} answered; user objects carry groups`));
      } else {
        const why = sample.length > 0 ? "user objects carry no groups" : "no user object to look at yet";
        checks.push(
          yes("group", asked, "write-only", `GET ${path} answered, but ${why}: additions are remembered`),
        );
      }
    }
  }

  if (options.emailNotification !== undefined) {
    const path = `/api${EXTENSION_PATHS.notifications}`;
    const status = await api.probe(EXTENSION_PATHS.notifications);
    if (status === 404) {
      checks.push(
        no("notification", "-l", "unsupported", `LoginTC has no notification API (GET ${path} answered 404)`),
      );
    } else if (status === 405 || (status >= 200 && status < 300)) {
      checks.push(yes("notification", "-l", "supported", `GET ${path} answered ${status}: the path exists`));
    } else {
      checks.push(
        yes("notification", "-l", "unverified", `GET ${path} answered ${status}; the notification is tried`),
      );
    }
  }

  if (options.syncTokenMode === "issue_token_without_email") {
    checks.push(yes(
      "tokenWithoutEmail",
      "-t issue_token_without_email",
      "unverified",
      "LoginTC's public API has no documented way to issue a token without emailing the activation code; " +
        'logintc-sync asks with {"sendEmail": false}, which a LoginTC without that extension ignores ' +
        "(the user gets the email anyway)",
    ));
  }
  return { checks, problems, ...(group ? { group } : {}) };
}

async function probePhone(
  api: LoginTCApi,
  sample: readonly LoginTCUser[],
  seen: string,
): Promise<FeatureCheck> {
  const asked = "attr_phone";
  if (sample.some((u) => u.phones !== undefined)) {
    return yes("phone", asked, "supported", `${seen}; they carry phones`);
  }
  if (sample.length === 0) return no("phone", asked, "unverified", NO_USER_YET("phones"));
  const userId = sample[0].id;
  const path = `/api${EXTENSION_PATHS.userPhones(userId)}`;
  const status = await api.probe(EXTENSION_PATHS.userPhones(userId));
  if (status === 404) {
    return no(
      "phone",
      asked,
      "unsupported",
      `LoginTC has no phones API (GET ${path} answered 404) and ` +
        `its user objects carry no phones (${seen})`,
    );
  }
  if (status === 405 || (status >= 200 && status < 300)) {
    return yes(
      "phone",
      asked,
      "write-only",
      `GET ${path} answered ${status} (the path exists), but user ` +
        "objects carry no phones: numbers added are remembered",
    );
  }
  return no("phone", asked, "unverified", `GET ${path} answered ${status}, and user objects carry no phones`);
}

const NO_USER_YET = (field: string) =>
  `no user object to look at yet (the domain and the organization are empty), so whether LoginTC ` +
  `keeps ${field} is unknown; the next run decides`;

function yes(feature: Feature, asked: string, support: Support, evidence: string): FeatureCheck {
  return { feature, asked, support, evidence, used: true };
}

function no(feature: Feature, asked: string, support: Support, evidence: string): FeatureCheck {
  return { feature, asked, support, evidence, used: false };
}

async function readSample(
  api: LoginTCApi,
  domainId: string,
  given: readonly LoginTCUser[] | undefined,
): Promise<readonly LoginTCUser[]> {
  if (given !== undefined && given.length > 0) return given;
  if (given === undefined) {
    const members = await api.firstPage(PATHS.domainMembers(domainId));
    if (members.length > 0) return members;
  }
  return await api.firstPage(PATHS.users);
}

/** The features unavailable to this run: asked for, not used (one warning each, exit 5; printed as "skipped"). */
export function unavailableFeatures(caps: Capabilities): FeatureCheck[] {
  return caps.checks.filter((c) => !c.used);
}

/** One line per configured feature, for a dry run's and --doctor's report. */
export function capabilityLines(caps: Capabilities): string[] {
  return caps.checks.map((c) => `${c.asked}: ${c.support}${c.used ? "" : " (skipped)"}: ${c.evidence}`);
}

/**
 * The run's warnings, one per feature that is unavailable or cannot be verified (without the
 * "warning: " prefix); nothing for a feature that works.
 */
export function capabilityWarnings(caps: Capabilities): string[] {
  return caps.checks.flatMap((c) => {
    if (!c.used) {
      return [
        `${c.asked}: skipped: ${c.evidence}. The rest of the sync runs; see docs/logintc-api.md (exit 5)`,
      ];
    }
    if (c.support === "unverified") return [`${c.asked}: cannot be verified: ${c.evidence}`];
    return [];
  });
}
