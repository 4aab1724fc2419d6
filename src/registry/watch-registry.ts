import { watch } from 'chokidar';

export interface RegistryWatcherOptions {
  dir: string;
  /** Quiet period after the last change; editors write files in several steps. */
  debounceMs: number;
  onChange: (changedFiles: string[]) => void;
}

export interface RegistryWatcher extends AsyncDisposable {
  /** Resolves once the initial scan is done and changes are being reported. */
  ready: Promise<void>;
  close(): Promise<void>;
}

/** Reports changes under the registry folder, debounced into one call per burst of edits. */
export function watchRegistry({ dir, debounceMs, onChange }: RegistryWatcherOptions): RegistryWatcher {
  const watcher = watch(dir, { ignoreInitial: true, ignored: (path) => /(^|[/\\])\.[^/\\]/.test(path.slice(dir.length)) });
  let pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  watcher.on('all', (_event, path) => {
    pending.add(path);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending = new Set();
      onChange(files);
    }, debounceMs);
  });
  const ready = new Promise<void>((resolve) => watcher.once('ready', () => resolve()));
  const close = async () => {
    clearTimeout(timer);
    await watcher.close();
  };
  return { ready, close, [Symbol.asyncDispose]: close };
}
