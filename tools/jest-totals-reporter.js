// Jest reporter: records each project's totals so tools/run-tests.js can print one closing line.
const fs = require('node:fs');
const path = require('node:path');

class TotalsReporter {
  constructor(globalConfig) {
    this.rootDir = globalConfig.rootDir;
  }

  onRunComplete(_contexts, results) {
    const dir = path.join(__dirname, '..', '.nx', 'test-totals');
    fs.mkdirSync(dir, { recursive: true });
    // The project's folder relative to the workspace (apps/sandbox and packages/sandbox share a basename).
    const name = path.relative(path.join(__dirname, '..'), this.rootDir).replace(/[\\/]/g, '-');
    const failedSuites = results.numFailedTestSuites + results.numRuntimeErrorTestSuites;
    fs.writeFileSync(
      path.join(dir, `${name}.json`),
      JSON.stringify({
        passed: results.numPassedTests,
        failed: results.numFailedTests + (failedSuites > 0 && results.numFailedTests === 0 ? failedSuites : 0),
        skipped: results.numPendingTests + results.numTodoTests,
      }),
    );
  }
}

module.exports = TotalsReporter;
