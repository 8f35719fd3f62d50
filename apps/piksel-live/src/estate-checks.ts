import { join } from 'path';
import { Environment, HUB } from '@piksel/estate';
import { readPins } from './pins';

/**
 * Relations of the estate as a whole, checked before any stack is built: the environments are the
 * estate table's known set, each named once, and `pins.json` pins exactly those (plus the hub).
 * Relations between stacks (spoke CIDRs and accounts, a cluster and its VPC) are checked by the
 * libraries themselves (`Claims` of @piksel/core) as the stacks are built.
 */
export function checkEstate(environments: Environment[], appDir: string = join(__dirname, '..')): void {
  const names = environments.map((env) => env.name);
  const twice = names.find((name, index) => names.indexOf(name) !== index);
  if (twice !== undefined) {
    throw new Error(`estate: environment name is "${twice}" twice; give each environment of @piksel/estate its own name`);
  }
  if (names.includes(HUB.name)) {
    throw new Error(`estate: environment name is "${HUB.name}"; that is the hub's name, give the environment another`);
  }
  const known = [HUB.name, ...names];
  const pinned = Object.keys(readPins(appDir));
  const unknown = pinned.filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw new Error(`pins.json: environment is ${JSON.stringify(unknown)}; the estate knows only ${known.join(', ')}: remove the pins or add the environment to @piksel/estate`);
  }
  const unpinned = known.filter((name) => !pinned.includes(name));
  if (unpinned.length > 0) {
    throw new Error(`pins.json: environment ${JSON.stringify(unpinned)} has no pins; pin its libraries (a version or "workspace") before it is built`);
  }
}
