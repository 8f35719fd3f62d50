import { mkdtempSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { App } from 'cdktf';
import { ADDRESSES_DIR, checkAddresses, readRecord, readSynthesized, reportMessage, writeRecord } from './addresses';
import { buildEstate } from './main';

/**
 * `pnpm addresses`: synthesizes the estate and rewrites the address lock
 * (`apps/piksel-live/addresses/<stack>.txt`) from it, saying what the new record adds and drops.
 * A dropped address is a destroy you accept: say why in the changeset.
 */
function main(appDir: string): void {
  const outdir = mkdtempSync(join(tmpdir(), 'piksel-addresses-'));
  try {
    const app = new App({ outdir });
    buildEstate(app);
    app.synth();
    const stacks = readSynthesized(outdir);
    const recordDir = join(appDir, ADDRESSES_DIR);
    const check = checkAddresses(readRecord(recordDir), stacks);
    writeRecord(recordDir, stacks);

    const report = reportMessage(check);
    if (report) console.log(report.replace(/^Address lock: not yet recorded[^\n]*/, 'Recorded:'));
    if (check.lost.length > 0) {
      console.log([
        `Dropped from the record (${check.lost.length}); Terraform will destroy these, so say why in the changeset:`,
        ...check.lost.map(({ stack, address }) => `  stack ${stack}: ${address}`),
      ].join('\n'));
    }
    const total = stacks.reduce((sum, s) => sum + s.addresses.length, 0);
    console.log(`${ADDRESSES_DIR}/: ${total} addresses in ${stacks.length} stacks${report || check.lost.length ? '' : ' (unchanged)'}`);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

main(join(__dirname, '..'));
