import { execFileSync } from 'child_process';
import { join } from 'path';

/**
 * The repository stands alone: no tracked file sends its reader to a design or style document
 * that is not in the repository. A comment states the fact, or points to where the repository
 * keeps it (the estate table's docs, a package README, the root README). `.ci/` belongs to the
 * machinery that runs the checkout, not to the project, and is left out.
 */
const ROOT = join(__dirname, '..');

/** The outside documents, spelled so that this file does not cite them itself. */
const OUTSIDE_DOCUMENTS = ['DESIGN', 'STYLE'];
const CITATION = `\\b(${OUTSIDE_DOCUMENTS.join('|')})\\.md\\b`;

/** `path:line: text` of every tracked line outside `.ci/` that cites one of them. */
function citations(): string[] {
  try {
    const out = execFileSync('git', ['grep', '-n', '-I', '-E', CITATION, '--', '.', ':(exclude).ci/**'], { cwd: ROOT, encoding: 'utf-8' });
    return out.split('\n').filter((line) => line !== '');
  } catch (err) {
    // git grep exits 1 when nothing matches; anything else is a real failure.
    if ((err as { status?: number }).status === 1) return [];
    throw err;
  }
}

describe('the repository stands alone', () => {
  test('no tracked file outside .ci/ cites a design or style document the repository does not hold', () => {
    expect(citations()).toEqual([]);
  });
});
