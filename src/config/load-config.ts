import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import { ErrorCode, JunctionError } from '../shared/errors.js';
import { gatewayConfigSchema, type GatewayConfig, type GatewayConfigInput } from './gateway-config.js';
import { validateYaml } from './validate-yaml.js';

export interface LoadConfigOptions {
  /** YAML config file; optional, everything has a default. */
  file?: string;
  /** Values from the command line / environment, applied over the file. */
  overrides?: GatewayConfigInput;
}

/** Reads, merges and validates the gateway configuration, then freezes it. */
export async function loadConfig({ file, overrides = {} }: LoadConfigOptions = {}): Promise<GatewayConfig> {
  let fromFile: GatewayConfigInput = {};
  if (file) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new JunctionError(ErrorCode.CONFIG_INVALID, `Cannot read config file ${file}: ${(error as Error).message}`);
    }
    // Validate the file on its own first so its problems carry line numbers.
    const parsed = validateYaml(gatewayConfigSchema, text, file);
    if (!parsed.ok) throw new JunctionError(ErrorCode.CONFIG_INVALID, 'Invalid gateway configuration', parsed.problems);
    fromFile = parsed.value;
    // A registry path written in a config file is relative to that file, not to the working directory.
    if (fromFile.registry && !isAbsolute(fromFile.registry)) fromFile.registry = resolve(dirname(file), fromFile.registry);
    const supergraph = fromFile.federation?.supergraph;
    if (supergraph && !isAbsolute(supergraph)) fromFile.federation = { ...fromFile.federation, supergraph: resolve(dirname(file), supergraph) };
    const { policies, overlay } = fromFile.authz ?? {};
    if (typeof policies === 'string' && !isAbsolute(policies)) fromFile.authz = { ...fromFile.authz, policies: resolve(dirname(file), policies) };
    if (overlay && !isAbsolute(overlay)) fromFile.authz = { ...fromFile.authz, overlay: resolve(dirname(file), overlay) };
  }
  return resolveConfig(deepMerge(fromFile, overrides), file ?? '(options)');
}

/** Validates options given in code (e.g. `createGateway({...})`). */
export function resolveConfig(input: GatewayConfigInput, source = '(options)'): GatewayConfig {
  const result = gatewayConfigSchema.safeParse(input);
  if (!result.success) {
    throw new JunctionError(
      ErrorCode.CONFIG_INVALID,
      'Invalid gateway configuration',
      result.error.issues.map((issue) => ({ file: source, message: `${issue.path.join('.') || '(top level)'}: ${issue.message}` })),
    );
  }
  return deepFreeze(result.data);
}

function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(over)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    if (value !== undefined) out[key] = deepMerge(out[key], value);
  }
  return out as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
