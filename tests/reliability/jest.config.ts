export default {
  displayName: 'reliability',
  preset: '../../jest.preset.js',
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.spec.ts'],
  // Suites boot real servers, child processes and Redis connections: give them room on 2 cores.
  testTimeout: 60_000,
};
