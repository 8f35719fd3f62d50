import { readFileSync } from 'fs';
import { join } from 'path';

/**
 * Per-environment construct versions, as reviewed in `pins.json`.
 *
 * Each environment names, for each `@piksel/*` library, either an exact published version
 * (`"0.2.0"`, installed from the npm registry) or `"workspace"` (this checkout's source, for an
 * environment that follows main). Promotion is a one-line change of that file.
 */
export type Pins = Record<string, Record<string, string>>;

/** The file that holds the pins, beside the app's package.json. */
export const PINS_FILE = 'pins.json';

/** The pin that means "this checkout's source". */
export const WORKSPACE_PIN = 'workspace';

/**
 * Libraries that other libraries take as a peer dependency (spoke-vpc builds on network-hub).
 * A peer has one copy per app, so such a library is pinned once, by the stack that owns it, and
 * installed under its own name too: every pinned spoke-vpc resolves its peer to that copy.
 */
export const SHARED_PEERS: Record<string, string> = { '@piksel/core': 'hub', '@piksel/network-hub': 'hub' };

const EXACT_VERSION = /^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/;
const LIBRARY = /^@piksel\/[a-z][a-z0-9-]*$/;

/** Reads and checks `pins.json` in `appDir`. */
export function readPins(appDir: string): Pins {
  const file = join(appDir, PINS_FILE);
  const pins: Pins = JSON.parse(readFileSync(file, 'utf-8'));
  for (const [env, libraries] of Object.entries(pins)) {
    for (const [library, pin] of Object.entries(libraries)) {
      if (!LIBRARY.test(library)) {
        throw new Error(`${file}: ${env}: "${library}" is not a Piksel library; pin only @piksel/<package> names.`);
      }
      const owner = SHARED_PEERS[library];
      if (owner !== undefined && owner !== env) {
        throw new Error(`${file}: ${env}.${library}: pin it under "${owner}" only; other stacks use that copy (it is a peer dependency of the libraries they pin).`);
      }
      if (pin !== WORKSPACE_PIN && !EXACT_VERSION.test(pin)) {
        throw new Error(
          `${file}: ${env}.${library} is "${pin}"; use an exact published version such as "0.2.0" ` +
          `(no ranges: a pin must not move by itself) or "${WORKSPACE_PIN}".`,
        );
      }
    }
  }
  return pins;
}

/**
 * The name under which `env`'s copy of `library` is installed: `@piksel-pin/<env>-<package>`.
 * Several environments may pin different versions of one library, so each gets its own alias.
 */
export function pinAlias(env: string, library: string): string {
  return `@piksel-pin/${env}-${library.replace(/^@piksel\//, '')}`;
}

/** The dependency specifier that installs `library` at `pin`. */
export function pinSpecifier(library: string, pin: string): string {
  return pin === WORKSPACE_PIN ? `workspace:${library}@*` : `npm:${library}@${pin}`;
}

/** Every alias dependency the pins need, as `name@specifier` strings. */
export function pinDependencies(pins: Pins): string[] {
  return Object.entries(pins).flatMap(([env, libraries]) =>
    Object.entries(libraries).map(([library, pin]) => `${pinAlias(env, library)}@${pinSpecifier(library, pin)}`),
  );
}

/** The shared peers, installed under their own names at their owner's pin (see `SHARED_PEERS`). */
export function sharedPeerDependencies(pins: Pins): string[] {
  return Object.entries(SHARED_PEERS).flatMap(([library, owner]) => {
    const pin = pins[owner]?.[library];
    if (pin === undefined) return [];
    return [`${library}@${pin === WORKSPACE_PIN ? 'workspace:*' : pin}`];
  });
}

/** Loads `env`'s pinned copy of `library`. */
export function loadPinned<T>(env: string, library: string): T {
  const alias = pinAlias(env, library);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(alias) as T;
  } catch (err) {
    throw new Error(
      `${env} pins ${library} but ${alias} is not installed: run "pnpm install" after changing ${PINS_FILE} ` +
      `(and "npx projen" to regenerate package.json). Cause: ${(err as Error).message}`,
    );
  }
}
