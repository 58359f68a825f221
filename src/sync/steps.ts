/** The words for each kind of step, shared by the plan table, the job record and error lines. */
import type { Step } from "./types.ts";

const ACTION: Record<Step["kind"], string> = {
  createUser: "create",
  updateUser: "update",
  addToDomain: "add to domain",
  issueToken: "issue token",
  addToGroup: "add to group",
  setAlias: "set alias",
  clearAlias: "clear alias",
  addPhone: "add phone",
  removeFromDomain: "remove from domain",
  deleteUser: "delete user",
};

export function actionName(step: Step): string {
  return ACTION[step.kind];
}
