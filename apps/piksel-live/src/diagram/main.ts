import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { join } from 'path';
import { DOCS_DIR, drawEstate } from './render';

/**
 * `pnpm diagram`: synthesizes the estate and redraws `docs/network.svg` and
 * `docs/cluster-<env>.svg`, saying which pictures changed. Commit them with the change that
 * moved them: `test/diagram.test.ts` fails while they differ from what the code draws.
 */
async function main(): Promise<void> {
  const drawn = await drawEstate();
  mkdirSync(DOCS_DIR, { recursive: true });
  const changed: string[] = [];
  for (const { file, svg } of drawn) {
    const path = join(DOCS_DIR, file);
    if (existsSync(path) && readFileSync(path, 'utf-8') === svg) continue;
    writeFileSync(path, svg);
    changed.push(file);
  }
  // A cluster picture of an environment that no longer exists would stay behind, stale.
  const names = new Set(drawn.map((d) => d.file));
  const dropped = readdirSync(DOCS_DIR).filter((f) => /^(network|cluster-.+)\.svg$/.test(f) && !names.has(f));
  dropped.forEach((f) => rmSync(join(DOCS_DIR, f)));
  for (const file of changed) console.log(`drew docs/${file}`);
  for (const file of dropped) console.log(`removed docs/${file}`);
  console.log(`docs/: ${drawn.length} pictures${changed.length + dropped.length === 0 ? ' (unchanged)' : ''}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
