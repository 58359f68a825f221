/**
 * Runs a command for the bench and measures it from outside: wall time and peak RSS of the
 * process. Peak RSS comes from GNU time's %M when /usr/bin/time exists (exact, taken at exit),
 * otherwise from polling /proc/<pid>/status VmHWM (a lower bound: the last sample before exit).
 */

export interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  /** Bytes; NaN when it could not be measured. */
  peakRss: number;
  /** How peakRss was taken. */
  rssSource: "time" | "proc" | "none";
}

export interface RunSpec {
  cmd: string;
  args: string[];
  env: Record<string, string>;
  cwd?: string;
  /** Drain stdout without keeping it (large outputs, e.g. ldapsearch's LDIF); count lines starting with this. */
  countLinesStartingWith?: string;
  /** Send stdout to /dev/null (timed baselines: reading a pipe would slow the writer down). */
  discardStdout?: boolean;
  /** Measure peak RSS (default true). Off for timing baselines: GNU time would add its own fork/exec. */
  rss?: boolean;
}

const GNU_TIME = "/usr/bin/time";

function hasGnuTime(): boolean {
  try {
    return Deno.statSync(GNU_TIME).isFile;
  } catch {
    return false;
  }
}

function vmHwmOf(pid: number): number {
  try {
    const m = Deno.readTextFileSync(`/proc/${pid}/status`).match(/^VmHWM:\s+(\d+) kB/m);
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Reads a stream to the end: the text, or only the count of lines that start with a prefix. */
async function drain(stream: ReadableStream<Uint8Array>, countPrefix?: string): Promise<string> {
  const decoder = new TextDecoder();
  if (countPrefix === undefined) {
    let text = "";
    for await (const chunk of stream) text += decoder.decode(chunk, { stream: true });
    return text + decoder.decode();
  }
  let count = 0;
  let carry = "";
  for await (const chunk of stream) {
    const lines = (carry + decoder.decode(chunk, { stream: true })).split("\n");
    carry = lines.pop()!;
    for (const l of lines) if (l.startsWith(countPrefix)) count++;
  }
  if (carry.startsWith(countPrefix)) count++;
  return String(count);
}

export async function measure(spec: RunSpec): Promise<Measured> {
  const useTime = spec.rss !== false && hasGnuTime();
  const rssFile = useTime ? await Deno.makeTempFile({ prefix: "bench-rss-" }) : undefined;
  const [cmd, args] = useTime
    ? [GNU_TIME, ["-f", "%M", "-o", rssFile!, spec.cmd, ...spec.args]]
    : [spec.cmd, spec.args];
  const t0 = performance.now();
  const child = new Deno.Command(cmd, {
    args,
    env: spec.env,
    clearEnv: true,
    cwd: spec.cwd,
    stdin: "null",
    stdout: spec.discardStdout ? "null" : "piped",
    stderr: "piped",
  }).spawn();
  let polled = NaN;
  const poll = useTime || spec.rss === false ? undefined : setInterval(() => {
    const v = vmHwmOf(child.pid);
    if (Number.isFinite(v)) polled = Number.isFinite(polled) ? Math.max(polled, v) : v;
  }, 20);
  try {
    const [stdout, stderr, status] = await Promise.all([
      spec.discardStdout ? Promise.resolve("") : drain(child.stdout, spec.countLinesStartingWith),
      drain(child.stderr),
      child.status,
    ]);
    const wallMs = performance.now() - t0;
    let peakRss = polled;
    if (rssFile) {
      const kb = Number((await Deno.readTextFile(rssFile)).trim().split("\n").pop());
      peakRss = Number.isFinite(kb) ? kb * 1024 : NaN;
    }
    return {
      code: status.code,
      stdout,
      stderr,
      wallMs,
      peakRss,
      rssSource: useTime ? "time" : Number.isFinite(polled) ? "proc" : "none",
    };
  } finally {
    if (poll !== undefined) clearInterval(poll);
    if (rssFile) await Deno.remove(rssFile).catch(() => {});
  }
}
