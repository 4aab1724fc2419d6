import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

export interface BenchProcess {
  pid: number;
  /** First `http://...` URL the process printed. */
  url: string;
  /** Peak resident set size so far, in MiB (VmHWM). */
  peakRssMiB(): number;
  /** User + system CPU time consumed so far, in ms. */
  cpuMs(): number;
  stop(): Promise<void>;
}

const root = new URL('../..', import.meta.url).pathname;
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find(existsSync);
const TICKS_PER_SECOND = 100;

/**
 * Starts `node --import tsx <args>` (optionally pinned to one CPU with taskset) and waits for the
 * line that carries its URL.
 */
export function startNode(args: string[], options: { cpu?: number; env?: Record<string, string>; label: string }): Promise<BenchProcess> {
  const command = [process.execPath, '--import', 'tsx', ...args];
  const argv = options.cpu !== undefined && TASKSET ? [TASKSET, '-c', String(options.cpu), ...command] : command;
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...options.env } });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(line);
      if (!match) return;
      lines.removeAllListeners('line');
      child.stdout!.resume();
      const pid = child.pid!;
      resolve({
        pid,
        url: match[1]!,
        peakRssMiB: () => readStatusKb(pid, 'VmHWM') / 1024,
        cpuMs: () => readCpuMs(pid),
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done(); // exited, or killed by a signal
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5_000).unref();
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`${options.label} exited (${code}) before printing its URL:\n${stderr}`)));
  });
}

function readStatusKb(pid: number, field: string): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
    return line ? Number(line.split(/\s+/)[1]) : NaN;
  } catch {
    return NaN;
  }
}

function readCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of /proc/pid/stat (1-based), i.e. 11 and 12 after the name.
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return NaN;
  }
}

export const pinningAvailable = TASKSET !== undefined;
