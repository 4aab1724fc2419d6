import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type AddressInfo } from 'node:net';

export interface BenchProcess {
  pid: number;
  /** First `http://...` URL the process printed. */
  url: string;
  /** Peak resident set size so far, in MiB (VmHWM). */
  peakRssMiB(): number;
  /** User + system CPU time consumed so far, in ms. */
  cpuMs(): number;
  /** The main thread is running or waiting for a CPU (state R): it has work, whatever CPU time it got lately. */
  runnable(): boolean;
  stop(): Promise<void>;
}

const root = new URL('../..', import.meta.url).pathname;
const TASKSET = ['/usr/bin/taskset', '/bin/taskset'].find(existsSync);
const TICKS_PER_SECOND = 100;

/**
 * Starts `node [--import tsx] <args>` (optionally pinned to one CPU with taskset) and waits for the
 * line that carries its URL. Standard output goes to a file, as a log file or a container runtime's
 * log reader would take it: read by this process over a pipe, a gateway's log lines would compete
 * with the load generator for its CPU, and stall the gateway's (synchronous) log writes whenever
 * this process fell behind.
 */
export function startNode(args: string[], options: { cpu?: number; env?: Record<string, string>; label: string }): Promise<BenchProcess> {
  // TypeScript entry points run through tsx; the gateway runs as installed (bin/junction.js -> dist/).
  const command = args[0]?.endsWith('.ts') ? [process.execPath, '--import', 'tsx', ...args] : [process.execPath, ...args];
  const argv = options.cpu !== undefined && TASKSET ? [TASKSET, '-c', String(options.cpu), ...command] : command;
  const logDir = mkdtempSync(join(tmpdir(), 'junction-bench-stdout-'));
  const stdoutFile = join(logDir, 'stdout.log');
  const stdoutFd = openSync(stdoutFile, 'w');
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), { cwd: root, stdio: ['ignore', stdoutFd, 'pipe'], env: { ...process.env, ...options.env } });
  closeSync(stdoutFd);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const removeLogs = () => rmSync(logDir, { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const poll = setInterval(() => {
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(readHead(stdoutFile));
      if (!match) return;
      clearInterval(poll);
      const pid = child.pid!;
      resolve({
        pid,
        url: match[1]!,
        peakRssMiB: () => readStatusKb(pid, 'VmHWM') / 1024,
        cpuMs: () => readCpuMs(pid),
        runnable: () => readState(pid) === 'R',
        stop: () =>
          new Promise<void>((done) => {
            const finish = () => {
              removeLogs();
              done();
            };
            if (child.exitCode !== null || child.signalCode !== null) return finish(); // exited, or killed by a signal
            child.once('exit', finish);
            child.kill('SIGTERM');
            setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5_000).unref();
          }),
      });
    }, 50);
    child.once('exit', (code) => {
      clearInterval(poll);
      const out = readHead(stdoutFile);
      removeLogs();
      reject(new Error(`${options.label} exited (${code}) before printing its URL:\n${out}${stderr}`));
    });
  });
}

/** The first 64 KiB of a file (where a program prints its URL), '' when unreadable. */
function readHead(file: string): string {
  try {
    const fd = openSync(file, 'r');
    try {
      const buffer = Buffer.alloc(64 * 1024);
      return buffer.toString('utf8', 0, readSync(fd, buffer, 0, buffer.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch {
    return '';
  }
}

/**
 * Starts any Node program that does not print its URL (e.g. Hive Gateway's CLI) on a port chosen
 * here, pinned like `startNode`, and waits until `readyPath` answers.
 */
export async function startProgram(
  argv: string[], options: { cpu?: number; env?: Record<string, string>; cwd?: string; label: string; port: number; readyPath: string },
): Promise<BenchProcess> {
  const command = options.cpu !== undefined && TASKSET ? [TASKSET, '-c', String(options.cpu), ...argv] : argv;
  const child: ChildProcess = spawn(command[0]!, command.slice(1), { cwd: options.cwd ?? root, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...options.env } });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${options.port}`;
  const until = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${options.label} exited (${child.exitCode}) before answering:\n${stderr}`);
    const ready = await fetch(url + options.readyPath).then((r) => r.ok, () => false);
    if (ready) break;
    if (Date.now() > until) {
      child.kill('SIGKILL');
      throw new Error(`${options.label} did not answer ${url}${options.readyPath} within 60 s:\n${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const pid = child.pid!;
  return {
    pid,
    url,
    peakRssMiB: () => readStatusKb(pid, 'VmHWM') / 1024,
    cpuMs: () => readCpuMs(pid),
    runnable: () => readState(pid) === 'R',
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.exitCode === null && child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

/** A TCP port free right now on 127.0.0.1, for programs that cannot listen on port 0 and report it. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function readStatusKb(pid: number, field: string): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
    return line ? Number(line.split(/\s+/)[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** The fields of /proc/pid/stat after the command name (field 3, the state, first); undefined once the process is gone. */
function readStat(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

function readCpuMs(pid: number): number {
  const fields = readStat(pid);
  // utime and stime are fields 14 and 15 of /proc/pid/stat (1-based), i.e. 11 and 12 after the name.
  return fields ? ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND : NaN;
}

function readState(pid: number): string | undefined {
  return readStat(pid)?.[0];
}

export const pinningAvailable = TASKSET !== undefined;
