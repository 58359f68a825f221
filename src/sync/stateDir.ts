/**
 * Where job records and the lock live. Precedence: --state-dir, then LOGINTC_SYNC_STATE_DIR,
 * then the config file's directory (the original kept nothing locally; the config's directory
 * is the one place every run of one config shares).
 */
export function resolveStateDir(input: { flag?: string; env?: string; configPath: string }): string {
  if (input.flag !== undefined && input.flag !== "") return input.flag;
  if (input.env !== undefined && input.env !== "") return input.env;
  return dirname(input.configPath);
}

function dirname(path: string): string {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  if (cut < 0) return ".";
  if (cut === 0) return path[0];
  // "C:\cfg.cfg" → "C:\" (a bare "C:" would mean C's current directory).
  if (cut === 2 && path[1] === ":") return path.slice(0, 3);
  return path.slice(0, cut);
}
