import { readFileSync } from 'fs';
import { join } from 'path';
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

/**
 * Records which library versions synthesized a stack, under the Terraform JSON comment key `//`
 * (ignored by Terraform: no resource and no state changes):
 * `"//": { "<prefix>": { "libraries": { "@piksel/secrets": "0.1.0" } } }`.
 */
export class LibraryVersion {
  /**
   * Reads the manifest of the package whose root is `packageRoot` (the directory holding its
   * package.json). Read once per library, at load.
   */
  public static readManifest(packageRoot: string): LibraryManifest {
    const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf-8'));
    return { name: manifest.name, version: manifest.version };
  }

  /** Records `library` in the stack of `scope`. */
  public static record(scope: IConstruct, library: LibraryManifest): void {
    const prefix = Naming.of(scope).prefix;
    TerraformStack.of(scope).addOverride(`//.${prefix}.libraries.${library.name}`, library.version);
  }
}
