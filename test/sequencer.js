// Starts the suites that drive a toolchain (jsii, npm, a registry, Terraform) first, so that on a
// fresh clone, where jest has no timings yet and would order suites by file size, the longest ones
// do not start last and leave one worker idle at the end. The rest keep jest's order (failed
// first, then slowest first by the timings of earlier runs).
const { dirname, join } = require('path');

// jest → @jest/core → jest-config → @jest/test-sequencer: the sequencer jest itself uses, without
// depending on how the package manager lays out node_modules.
const core = require.resolve('@jest/core', { paths: [dirname(require.resolve('jest/package.json'))] });
const config = dirname(require.resolve('jest-config/package.json', { paths: [core] }));
const Sequencer = require(require.resolve('@jest/test-sequencer', { paths: [config] })).default;

/** Slowest first, as measured by `.ci/run` (README "CI"). */
const FIRST = [
  'test/release.test.ts',
  'test/outside-consumer.test.ts',
  'apps/piksel-live/test/terraform.test.ts',
  'apps/piksel-live/test/terraform-baseline.test.ts',
  'apps/piksel-live/test/terraform-data.test.ts',
].map((path) => join(__dirname, '..', path));

class ToolchainFirstSequencer extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const rank = (test) => {
      const at = FIRST.indexOf(test.path);
      return at < 0 ? FIRST.length : at;
    };
    // Array.prototype.sort is stable: the rest keep jest's order.
    return [...sorted].sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = ToolchainFirstSequencer;
