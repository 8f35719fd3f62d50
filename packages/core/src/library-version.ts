import { existsSync, readFileSync } from 'fs';
import { dirname, join } from 'path';
import { TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
import { Naming } from './naming';

/** A library's npm name and version. */
export interface LibraryManifest {
  /** npm name, e.g. `@piksel/secrets`. */
  readonly name: string;
  /** Version, e.g. `0.1.0`. */
  readonly version: string;
}

const MANIFESTS = new Map<string, LibraryManifest>();

/**
 * Records which library versions synthesized a stack, under the Terraform JSON comment key `//`
 * (ignored by Terraform: no resource and no state changes):
 * `"//": { "<prefix>": { "libraries": { "@piksel/secrets": "0.1.0" } } }`.
 *
 * A library calls `LibraryVersion.record(this, __dirname)` in its top-level constructs.
 */
export class LibraryVersion {
  /**
   * The manifest of the package that holds `directory`: the nearest package.json at or above it.
   * Read once per directory.
   */
  public static manifestOf(directory: string): LibraryManifest {
    const cached = MANIFESTS.get(directory);
    if (cached) return cached;
    let dir = directory;
    while (!existsSync(join(dir, 'package.json'))) {
      const parent = dirname(dir);
      if (parent === dir) throw new Error(`no package.json at or above ${directory}`);
      dir = parent;
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf-8'));
    const found = { name: manifest.name, version: manifest.version };
    MANIFESTS.set(directory, found);
    return found;
  }

  /** Records, in the stack of `scope`, the version of the library whose code lives in `directory`. */
  public static record(scope: IConstruct, directory: string): void {
    const library = LibraryVersion.manifestOf(directory);
    const prefix = Naming.of(scope).prefix;
    TerraformStack.of(scope).addOverride(`//.${prefix}.libraries.${library.name}`, library.version);
  }
}
