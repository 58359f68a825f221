/**
 * Which LoginTC extensions this LoginTC supports (aliases, phones, groups, notifications):
 * the capability probe of src/logintc, once it is available.
 */
import type { LoginTCApi } from "../logintc/api.ts";
import type { Config, Options } from "../types.ts";
import { type DoctorCheck, warn } from "./check.ts";

export function checkExtensions(
  _api: LoginTCApi,
  _config: Config,
  _options: Pick<Options, "group" | "emailNotification" | "syncTokenMode">,
): Promise<DoctorCheck> {
  return Promise.resolve(warn(
    "logintc.extensions",
    "not checked: this build has no capability probe",
    "a real sync reports any extension this LoginTC lacks (exit 5)",
  ));
}
