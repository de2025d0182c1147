// Shared Jest preset: TypeScript via ts-jest (type checks run in the `typecheck` target, so
// tests only transpile), and @paymnt/* mapped to sources so no build is needed to test.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = {};
for (const [name, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${name.replace('/', '\\/')}$`] = path.join(__dirname, target);
}

module.exports = {
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/tsconfig.spec.json' }],
  },
  moduleNameMapper,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
  coverageReporters: ['text-summary'],
  // A handle left open by a failed test must not hold CI until its deadline: end the run when the tests end.
  forceExit: true,
  reporters: ['default', path.join(__dirname, 'tools/jest-totals-reporter.js')],
};
